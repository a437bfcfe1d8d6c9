//! Where the EM lab computes its E-steps: on the CPU, or on the GPU (`crate::gpu::em`), and why.
//!
//! The parameters always live on the CPU: an E-step on the GPU is one pass over the points that
//! are already there and a read-back of K × 6 statistics; the M-step then runs on the CPU, from
//! those statistics, through the run's own M-step. So the lab keeps the same half-steps on both
//! backends, a CPU step may come between GPU steps (a link's replay), and when the GPU fails
//! mid-run nothing of the run is lost: the lab goes back to the CPU from its last M-step (an
//! E-step whose statistics never came back is simply done again).

use super::{Fit, HalfStep};
use crate::gpu::em::EStepKernel;
use crate::gpu::{AdapterSummary, Gpu, Readback};
use crate::labs::backend::{self, Active, Backend, BackendReport, GpuAccess};

/// "auto" takes a hardware GPU from this much work per E-step on: N points × K components.
///
/// Not measured on a hardware GPU (none was at hand; the tests run on software adapters), but
/// estimated: the lab's CPU E-step (WebAssembly, SIMD) costs about 5–10 ns per point and
/// component, and a GPU E-step has a fixed cost of about 1–2 ms per iteration (uploading the
/// parameters, two dispatches, waiting for the read-back through the browser's event loop)
/// while its per-point cost is a small fraction of the CPU's. The two meet near N·K = 200,000
/// (25,000 points at K = 8). The Scale view measures the real crossover in the student's own
/// browser.
pub const CROSSOVER_POINTS_TIMES_COMPONENTS: usize = 200_000;

/// The backend in use, the GPU's copy of the data and a step under way on it.
#[derive(Default)]
pub(super) struct Compute {
    active: Option<Active>,
    note: Option<String>,
    adapter: Option<AdapterSummary>,
    /// The device and the points on it, while the GPU is active.
    device: Option<OnGpu>,
    /// A `step(n)` under way on the GPU.
    step: Option<GpuStep>,
}

struct OnGpu {
    gpu: Gpu,
    kernel: EStepKernel,
}

struct GpuStep {
    /// Half-steps still to do.
    remaining: u64,
    /// Half-steps done so far.
    done: u64,
    /// The E-step whose statistics are on their way back.
    pending: Option<Readback>,
}

impl Compute {
    /// Chooses the backend for `requested` given `access` and a fit of `n` points and `k`
    /// components, and moves the run onto the GPU (its points uploaded once) or off it. With
    /// `strict`, an explicit "gpu" that cannot be had is refused and nothing changes.
    pub fn choose<const D: usize>(
        &mut self,
        requested: Backend,
        access: &GpuAccess,
        fit: &Fit<D>,
        k: usize,
        strict: bool,
    ) -> Result<(), String> {
        let n = fit.n_points();
        let large = n * k > CROSSOVER_POINTS_TIMES_COMPONENTS;
        let size = format!(
            "N·K = {} points × {k} components, below {}",
            crate::range::number_text(n as f64),
            crate::range::number_text(CROSSOVER_POINTS_TIMES_COMPONENTS as f64)
        );
        let (active, note) = match backend::choose(requested, access, large, &size) {
            Ok(chosen) => chosen,
            Err(why) if strict => return Err(why),
            // Asked for "gpu" without one: stay on the CPU and say why, without a refusal's words.
            Err(_) => (Active::Cpu, Some(backend::unavailable_reason(access))),
        };
        let same_device = match (&self.device, access.gpu()) {
            (Some(on), Some(gpu)) => on.gpu.device == gpu.device,
            _ => false,
        };
        // Without a run (no points yet) there is nothing to upload until the data allow one.
        if active == Active::Gpu && fit.run.is_some() && !same_device {
            match fit.points_on(access.gpu().expect("the GPU is chosen only with one")) {
                Ok(on) => self.device = Some(on),
                Err(why) if strict => {
                    return Err(format!(
                        "backend = \"gpu\" is not allowed here: {why}; the lab stays on the CPU"
                    ))
                }
                Err(why) => {
                    self.on_cpu(access, Some(format!("{why}; the lab runs on the CPU")));
                    return Ok(());
                }
            }
        }
        if active == Active::Cpu {
            self.on_cpu(access, note);
        } else {
            self.active = Some(Active::Gpu);
            self.note = note;
            self.adapter = access.adapter();
        }
        Ok(())
    }

    /// Runs on the CPU from now on: the GPU's copy goes, and a step under way there ends.
    fn on_cpu(&mut self, access: &GpuAccess, note: Option<String>) {
        self.active = Some(Active::Cpu);
        self.note = note;
        self.adapter = access.adapter();
        self.device = None;
        if let Some(step) = &mut self.step {
            step.pending = None;
            step.remaining = 0;
        }
    }

    pub fn report(&self) -> BackendReport {
        BackendReport {
            backend: self.active.unwrap_or(Active::Cpu).name(),
            backend_note: self.note.clone(),
            gpu_adapter: self.adapter.clone(),
            step_ms: None,
        }
    }

    /// Whether a step is under way on the GPU (a CPU step must wait for it).
    pub fn busy(&self) -> bool {
        self.step.is_some()
    }

    /// Starts `step(n)` on the GPU.
    pub fn begin(&mut self, n: u64) -> Result<(), String> {
        if self.busy() {
            return Err("a step is already under way on the GPU: wait for it to finish".into());
        }
        if self.device.is_none() {
            return Err("the lab runs on the CPU: take the step there".into());
        }
        self.step = Some(GpuStep {
            remaining: n,
            done: 0,
            pending: None,
        });
        Ok(())
    }

    /// What the step under way waits for.
    pub fn readback(&self) -> Option<&Readback> {
        self.step.as_ref()?.pending.as_ref()
    }

    /// Goes on with the step under way: E-steps on the GPU, M-steps on the CPU, until it has to
    /// wait for a read-back (`Ok(None)`) or is done (`Ok(Some(half-steps done))`). `Err` when the
    /// GPU failed; the run is then as its last completed half-step left it.
    pub fn resume<const D: usize>(&mut self, fit: &mut Fit<D>) -> Result<Option<f64>, String> {
        let Some(step) = self.step.as_mut() else {
            return Ok(Some(0.0));
        };
        let result = advance(step, self.device.as_ref(), fit);
        match result {
            Ok(Progress::Waiting) => Ok(None),
            Ok(Progress::Done) => Ok(Some(self.step.take().map_or(0, |s| s.done) as f64)),
            Ok(Progress::Stopped(why)) => {
                // EM itself stopped (not the GPU): the step ends there, as on the CPU, and the
                // note says why.
                let done = self.step.take().map_or(0, |s| s.done);
                self.note = Some(format!("EM stopped after {done} half-steps: {why}"));
                Ok(Some(done as f64))
            }
            Err(why) => {
                self.step = None;
                Err(why)
            }
        }
    }
}

enum Progress {
    Waiting,
    Done,
    Stopped(String),
}

fn advance<const D: usize>(
    step: &mut GpuStep,
    device: Option<&OnGpu>,
    fit: &mut Fit<D>,
) -> Result<Progress, String> {
    if let Some(pending) = step.pending.take() {
        if !pending.is_ready() {
            step.pending = Some(pending);
            return Ok(Progress::Waiting);
        }
        let values = pending.take().map_err(|e| e.to_string())?;
        let (Some(on), Some(run)) = (device, fit.run.as_mut()) else {
            return Ok(Progress::Done);
        };
        // Drawing colours the points under the mixture this E-step used (the GPU keeps no
        // responsibilities); no M-step has changed it yet.
        fit.e_step_mixture = Some(run.mixture().clone());
        on.kernel.finish(run, &values).map_err(|e| e.to_string())?;
        fit.half_steps += 1;
        step.done += 1;
        step.remaining -= 1;
    }
    while step.remaining > 0 {
        let (Some(on), Some(run)) = (device, fit.run.as_ref()) else {
            return Ok(Progress::Done);
        };
        if run.next_half_step() == HalfStep::E {
            let readback = on
                .kernel
                .start(&on.gpu, run.mixture())
                .map_err(|e| e.to_string())?;
            step.pending = Some(readback);
            return Ok(Progress::Waiting);
        }
        if let Err(why) = fit.half_steps(1) {
            return Ok(Progress::Stopped(why));
        }
        step.done += 1;
        step.remaining -= 1;
    }
    Ok(Progress::Done)
}

impl<const D: usize> Fit<D> {
    /// The points uploaded to `gpu`, ready for E-steps there.
    fn points_on(&self, gpu: &Gpu) -> Result<OnGpu, String> {
        let kernel = EStepKernel::new(gpu, &self.points, D).map_err(|e| e.to_string())?;
        Ok(OnGpu {
            gpu: gpu.clone(),
            kernel,
        })
    }
}
