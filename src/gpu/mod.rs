//! The GPU compute path, on wgpu: the browser's WebGPU in the page, Vulkan natively (Mesa's
//! lavapipe runs it on the CPU in the tests).
//!
//! Acquiring a device ([`acquire`]) is separate from running a kernel: every kernel's driver
//! takes a [`Gpu`] (a device and its queue), so the same kernels run in the browser and in the
//! native tests. "No adapter" is an ordinary [`GpuError`] that the caller handles (the labs
//! then stay on the CPU and say why). Each `.wgsl` kernel sits beside the Rust that drives it.

pub mod em;
pub mod nn;
mod readback;

pub use readback::Readback;

use std::fmt;
use std::sync::{Arc, Mutex};

/// A device and its queue, with what the page tells a student about the adapter.
#[derive(Clone, Debug)]
pub struct Gpu {
    pub device: wgpu::Device,
    pub queue: wgpu::Queue,
    pub adapter: AdapterSummary,
    /// The first failure the device reported (lost, or an error no one caught), if any.
    failure: Arc<Mutex<Option<GpuError>>>,
}

/// The adapter as a student sees it: its name, and whether it is a software fallback (a CPU
/// pretending to be a GPU: SwiftShader in a browser without a GPU, lavapipe natively).
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct AdapterSummary {
    pub name: String,
    pub fallback: bool,
}

/// Why the GPU cannot be used.
#[derive(Clone, Debug, PartialEq)]
pub enum GpuError {
    /// No adapter at all (no WebGPU in this browser, or no Vulkan driver natively).
    NoAdapter(String),
    /// The adapter refused to give a device.
    NoDevice(String),
    /// The device was lost (a driver reset, or `destroy()`), or ran out of memory, mid-run.
    Lost(String),
    /// A kernel or a buffer was refused by the device (a bug or a limit).
    Failed(String),
}

impl fmt::Display for GpuError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GpuError::NoAdapter(why) => write!(f, "no GPU adapter: {why}"),
            GpuError::NoDevice(why) => write!(f, "the GPU adapter gave no device: {why}"),
            GpuError::Lost(why) => write!(f, "the GPU was lost: {why}"),
            GpuError::Failed(why) => write!(f, "the GPU refused the work: {why}"),
        }
    }
}

impl std::error::Error for GpuError {}

/// What an adapter is called when it gives no name (the page may know a better one).
pub const UNNAMED: &str = "an unnamed adapter";

/// Finds an adapter (a hardware one when there is one) and opens a device on it, with the
/// adapter's own limits for buffer sizes (a million points need more than the defaults).
pub async fn acquire() -> Result<Gpu, GpuError> {
    let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle();
    if cfg!(not(target_arch = "wasm32")) {
        descriptor.backends = wgpu::Backends::VULKAN;
    }
    let instance = wgpu::Instance::new(descriptor);
    let adapter = instance
        .request_adapter(&wgpu::RequestAdapterOptions {
            power_preference: wgpu::PowerPreference::HighPerformance,
            ..wgpu::RequestAdapterOptions::default()
        })
        .await
        .map_err(|e| {
            // In a browser wgpu's message lists the native backends it was built without,
            // which says nothing to a student.
            GpuError::NoAdapter(if cfg!(target_arch = "wasm32") {
                "this browser's WebGPU offers no adapter (no usable GPU, or WebGPU is turned off)"
                    .into()
            } else {
                e.to_string()
            })
        })?;
    let info = adapter.get_info();
    let supported = adapter.limits();
    let limits = wgpu::Limits {
        max_storage_buffer_binding_size: supported.max_storage_buffer_binding_size,
        max_buffer_size: supported.max_buffer_size,
        max_compute_workgroups_per_dimension: supported.max_compute_workgroups_per_dimension,
        ..wgpu::Limits::default()
    };
    let (device, queue) = adapter
        .request_device(&wgpu::DeviceDescriptor {
            label: Some("genplay"),
            required_limits: limits,
            ..wgpu::DeviceDescriptor::default()
        })
        .await
        .map_err(|e| GpuError::NoDevice(e.to_string()))?;
    // wgpu's default answer to an error is a panic (natively): the device's errors and its loss
    // are recorded instead, for the code that runs on it to see (`Gpu::failure`) and fall back.
    let failure: Arc<Mutex<Option<GpuError>>> = Arc::default();
    let record = |slot: &Arc<Mutex<Option<GpuError>>>, error: GpuError| {
        let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(error);
    };
    let slot = Arc::clone(&failure);
    device.on_uncaptured_error(Arc::new(move |error: wgpu::Error| {
        let error = match error {
            wgpu::Error::OutOfMemory { .. } => GpuError::Lost("out of GPU memory".into()),
            other => GpuError::Failed(other.to_string()),
        };
        record(&slot, error);
    }));
    let slot = Arc::clone(&failure);
    device.set_device_lost_callback(move |_, message| {
        let why = if message.is_empty() {
            "the device was lost".to_string()
        } else {
            message
        };
        record(&slot, GpuError::Lost(why));
    });
    let name = if info.name.is_empty() {
        UNNAMED.to_string()
    } else {
        info.name.clone()
    };
    Ok(Gpu {
        device,
        queue,
        adapter: AdapterSummary {
            name,
            fallback: info.device_type == wgpu::DeviceType::Cpu,
        },
        failure,
    })
}

/// [`acquire`], waited for (native only: the browser cannot block).
#[cfg(not(target_arch = "wasm32"))]
pub fn acquire_blocking() -> Result<Gpu, GpuError> {
    pollster::block_on(acquire())
}

impl Gpu {
    /// A compute pipeline for `entry` of the WGSL module `source`, its bind group layout
    /// inferred from the shader.
    pub fn pipeline(&self, label: &str, source: &str, entry: &str) -> wgpu::ComputePipeline {
        let module = self
            .device
            .create_shader_module(wgpu::ShaderModuleDescriptor {
                label: Some(label),
                source: wgpu::ShaderSource::Wgsl(source.into()),
            });
        self.device
            .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(label),
                layout: None,
                module: &module,
                entry_point: Some(entry),
                compilation_options: wgpu::PipelineCompilationOptions::default(),
                cache: None,
            })
    }

    /// A storage buffer of `len` f32 values (zeroed), which kernels read and write and which can
    /// be copied from and to.
    pub fn storage(&self, label: &str, len: usize) -> wgpu::Buffer {
        self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: (len.max(1) * 4) as u64,
            usage: wgpu::BufferUsages::STORAGE
                | wgpu::BufferUsages::COPY_DST
                | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        })
    }

    /// A uniform buffer of `len` 32-bit words (zeroed).
    pub fn uniform(&self, label: &str, len: usize) -> wgpu::Buffer {
        self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: (len.max(4) * 4) as u64,
            usage: wgpu::BufferUsages::UNIFORM | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// Writes f32 values into a buffer at the start.
    pub fn write(&self, buffer: &wgpu::Buffer, values: &[f32]) {
        self.queue.write_buffer(buffer, 0, &to_bytes(values));
    }

    /// Writes 32-bit unsigned words into a buffer at the start.
    pub fn write_words(&self, buffer: &wgpu::Buffer, words: &[u32]) {
        let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
        self.queue.write_buffer(buffer, 0, &bytes);
    }

    /// A bind group for `pipeline`'s group 0 with `buffers` at bindings 0, 1, 2, …
    pub fn bind(
        &self,
        pipeline: &wgpu::ComputePipeline,
        buffers: &[&wgpu::Buffer],
    ) -> wgpu::BindGroup {
        let numbered: Vec<(u32, &wgpu::Buffer)> = (0..).zip(buffers.iter().copied()).collect();
        self.bind_numbered(pipeline, &numbered)
    }

    /// A bind group for `pipeline`'s group 0 with each buffer at its binding number (for entry
    /// points of one module that share some bindings and not others).
    pub fn bind_numbered(
        &self,
        pipeline: &wgpu::ComputePipeline,
        buffers: &[(u32, &wgpu::Buffer)],
    ) -> wgpu::BindGroup {
        let entries: Vec<wgpu::BindGroupEntry> = buffers
            .iter()
            .map(|&(binding, buffer)| wgpu::BindGroupEntry {
                binding,
                resource: buffer.as_entire_binding(),
            })
            .collect();
        self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        })
    }

    /// Ends the device on purpose (a test hook for "the device was lost mid-run").
    pub fn destroy(&self) {
        self.device.destroy();
        // Recorded at once: the device's own report may come only at its next poll.
        let mut slot = self.failure.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert(GpuError::Lost("the device was destroyed".into()));
    }

    /// The first failure the device reported since it was acquired: lost (a driver reset,
    /// `destroy()`, out of memory) or an error no one caught. Work on it should stop then.
    pub fn failure(&self) -> Option<GpuError> {
        self.failure
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    /// Runs `work` (buffers, writes, passes, a submission) and returns the device's failure, if
    /// it has one, as an error (natively errors are reported as they happen; in a browser a lost
    /// device refuses nothing, its work is dropped and the next read-back fails).
    pub fn catch<T>(&self, work: impl FnOnce() -> T) -> Result<T, GpuError> {
        let result = work();
        match self.failure() {
            Some(error) => Err(error),
            None => Ok(result),
        }
    }
}

/// f32 values as the little-endian bytes a buffer holds.
pub fn to_bytes(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Little-endian bytes read back as f32 values.
pub fn from_bytes(bytes: &[u8]) -> Vec<f32> {
    bytes
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect()
}
