//! Which backend a lab that can use the GPU runs on (the EM, GAN and VAE labs), and why.
//!
//! A lab holds what it knows of the GPU ([`GpuAccess`]: not asked yet, unavailable and why, or
//! a device) and a `backend` setting: "auto", "gpu" or "cpu". [`choose`] turns both, and
//! whether the workload is large enough for the GPU to pay, into the backend that runs and the
//! reason the GPU is not used when it is not. The snapshot reports it ([`BackendReport`]).
//!
//! Work on the GPU completes later than the call that starts it (a browser cannot wait for the
//! GPU), so a step on the GPU is a loop the caller drives: [`Lab::gpu_begin`](super::Lab) sets
//! the goal, and each `gpu_continue` does what it can until it needs a result back from the GPU
//! (`true`: wait for `gpu_readback()` to be ready, then continue) or the goal is reached.

use super::schema::{InLink, Setting};
use crate::choice::Choice;
use crate::gpu::{AdapterSummary, Gpu};
use serde::Serialize;

/// The `backend` setting's values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// The GPU when it is a hardware one and the work is large enough; else the CPU.
    Auto,
    Gpu,
    Cpu,
}

impl Choice for Backend {
    const ALL: &'static [Self] = &[Backend::Auto, Backend::Gpu, Backend::Cpu];

    fn api_name(self) -> &'static str {
        match self {
            Backend::Auto => "auto",
            Backend::Gpu => "gpu",
            Backend::Cpu => "cpu",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Backend::Auto => "auto: the GPU when it pays",
            Backend::Gpu => "GPU (WebGPU)",
            Backend::Cpu => "CPU (WebAssembly)",
        }
    }
}

/// Where the work runs now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Active {
    Cpu,
    Gpu,
}

impl Active {
    pub fn name(self) -> &'static str {
        match self {
            Active::Cpu => "cpu",
            Active::Gpu => "gpu",
        }
    }
}

/// What a lab knows of the GPU.
#[derive(Clone, Debug, Default)]
pub enum GpuAccess {
    /// Not asked yet (the page asks once, when it starts).
    #[default]
    Unknown,
    /// No usable GPU, and why (no WebGPU in this browser, no adapter, a device lost).
    Unavailable(String),
    Available(Gpu),
}

impl GpuAccess {
    pub fn gpu(&self) -> Option<&Gpu> {
        match self {
            GpuAccess::Available(gpu) => Some(gpu),
            _ => None,
        }
    }

    pub fn adapter(&self) -> Option<AdapterSummary> {
        self.gpu().map(|g| g.adapter.clone())
    }
}

/// The backend a lab runs on, as the snapshot reports it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BackendReport {
    /// "gpu" or "cpu": the one active.
    pub backend: &'static str,
    /// Why the GPU is not used (or a caveat about it), or null.
    pub backend_note: Option<String>,
    /// The adapter's name and whether it is a software fallback, or null without one.
    pub gpu_adapter: Option<AdapterSummary>,
    /// Time per step of the active backend, measured (null before the first timed step).
    pub step_ms: Option<f64>,
}

/// The `backend` entry of a lab that can use the GPU.
pub fn backend_setting() -> Setting {
    Setting::choice::<Backend>("backend")
        .label("Compute on")
        .help("auto takes the GPU only when it is a hardware one and the work is large enough to gain from it.")
        .group("Compute")
        .in_link(InLink::WhenChanged)
}

/// Why there is no GPU to run on, for a lab's note (when one was asked for and is not there).
pub fn unavailable_reason(access: &GpuAccess) -> String {
    match access {
        GpuAccess::Unknown => "the page has not asked for a GPU yet".to_string(),
        GpuAccess::Unavailable(why) => why.clone(),
        GpuAccess::Available(gpu) => format!("{} is there, but was not taken", gpu.adapter.name),
    }
}

/// The backend for `requested`, given the GPU's availability and whether the workload is large
/// enough for a hardware GPU to win (`large`, with `size` saying how large, for the note).
/// An explicit "gpu" without a usable GPU is an error whose message says why.
pub fn choose(
    requested: Backend,
    access: &GpuAccess,
    large: bool,
    size: &str,
) -> Result<(Active, Option<String>), String> {
    let unavailable = || unavailable_reason(access);
    match (requested, access) {
        (Backend::Cpu, _) => Ok((Active::Cpu, Some("the CPU was chosen".into()))),
        (Backend::Gpu, GpuAccess::Available(gpu)) => {
            let note = gpu.adapter.fallback.then(|| {
                format!(
                    "{} is a software adapter: it shows that the GPU path gives the same numbers, not its speed",
                    gpu.adapter.name
                )
            });
            Ok((Active::Gpu, note))
        }
        (Backend::Gpu, _) => Err(format!(
            "backend = \"gpu\" is not allowed here: {}; the lab stays on the CPU",
            unavailable()
        )),
        (Backend::Auto, GpuAccess::Available(gpu)) if gpu.adapter.fallback => Ok((
            Active::Cpu,
            Some(format!(
                "{} is a software adapter, slower than the CPU (choose \"gpu\" to try it anyway)",
                gpu.adapter.name
            )),
        )),
        (Backend::Auto, GpuAccess::Available(_)) if !large => Ok((
            Active::Cpu,
            Some(format!(
                "the work ({size}) is too small for the GPU to gain (choose \"gpu\" to try it anyway)"
            )),
        )),
        (Backend::Auto, GpuAccess::Available(_)) => Ok((Active::Gpu, None)),
        (Backend::Auto, _) => Ok((Active::Cpu, Some(unavailable()))),
    }
}
