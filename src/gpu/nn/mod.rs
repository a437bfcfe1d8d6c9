//! Neural networks on the GPU: the dense layers, losses and optimizers of src/nn, src/gan and
//! src/vae as WGSL kernels, and the Rust that builds a training step out of them.
//!
//! The layouts are the CPU's, so that moving a run onto the GPU is one copy and reading it back
//! gives the CPU the very network the GPU trained: a network's parameters are one flat buffer
//! (each layer's weights as an inputs×outputs row-major matrix, then its biases), batches are
//! row-major rows×width, and an optimizer's state lies in buffers laid out like the parameters.
//! The weights and the optimizer state stay on the GPU while it trains.
//!
//! A training step is built once, when a lab moves onto the GPU, as lists of [`Dispatch`]es over
//! fixed buffers; running it is recording those lists, with the CPU's random draws uploaded
//! before each step and the results gathered into one buffer that is read back at the end
//! ([`Recorder`]).
//!
//! - [`network`]: a network's buffers and its forward and backward passes over a batch
//!   (dense.wgsl: tiled matrix products, bias, activation, their gradients)
//! - [`gan_loss`]: the four games' losses and gradients (gan_loss.wgsl)
//! - [`vae_loss`]: reparameterisation, KL, and the Gaussian or Bernoulli likelihood (vae_loss.wgsl)
//! - [`mse`]: the mean squared error against uploaded targets, the diffusion model's loss
//!   (mse.wgsl)
//! - [`optim`]: Adam, SGD with momentum, and the sums behind the divergence checks (optim.wgsl)
//! - [`run`]: the run a trainer has on its way, and whether the device's copy is out of date

pub mod gan_loss;
pub mod mse;
pub mod network;
pub mod optim;
mod recorder;
pub mod run;
pub mod vae_loss;

pub use network::{Network, Parameters, Pass};
pub use recorder::Recorder;

use super::Gpu;
use crate::nn::activation::LEAKY_SLOPE;

const LOGISTIC: &str = include_str!("logistic.wgsl");
const DENSE: &str = include_str!("dense.wgsl");
const GAN_LOSS: &str = include_str!("gan_loss.wgsl");
const VAE_LOSS: &str = include_str!("vae_loss.wgsl");
const OPTIM: &str = include_str!("optim.wgsl");
const MSE: &str = include_str!("mse.wgsl");

/// Every kernel file of the networks as it is compiled, by file name: the ones that use the
/// shared exponential and logistic functions come after logistic.wgsl (tests/gpu_shaders.rs
/// validates these sources).
pub fn kernel_sources() -> [(&'static str, String); 5] {
    let with_logistic = |file: &str| format!("{LOGISTIC}\n{file}");
    [
        ("dense.wgsl", with_logistic(DENSE)),
        ("gan_loss.wgsl", with_logistic(GAN_LOSS)),
        ("vae_loss.wgsl", with_logistic(VAE_LOSS)),
        ("optim.wgsl", OPTIM.to_string()),
        ("mse.wgsl", MSE.to_string()),
    ]
}

/// A run of training steps the GPU could not finish: why, and how many iterations it held (they
/// are lost; the CPU's copy is as the read-back before them left it). None are lost when the
/// device had failed before the run started.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFailed {
    pub error: super::GpuError,
    pub lost: u64,
}

impl std::fmt::Display for RunFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.lost {
            0 => write!(f, "{}", self.error),
            1 => write!(f, "{} (1 iteration on the GPU was lost)", self.error),
            n => write!(f, "{} ({n} iterations on the GPU were lost)", self.error),
        }
    }
}

/// Invocations per workgroup of the one-dimensional kernels (the WGSL files' `LANES`).
pub(crate) const LANES: u32 = 256;

/// Every kernel of the networks, compiled once per device.
#[derive(Clone, Debug)]
pub struct Kernels {
    pub(crate) forward: wgpu::ComputePipeline,
    pub(crate) weight_grads: wgpu::ComputePipeline,
    pub(crate) sum_partials: wgpu::ComputePipeline,
    pub(crate) input_grads: wgpu::ComputePipeline,
    pub(crate) gan_loss: wgpu::ComputePipeline,
    pub(crate) vae_sample: wgpu::ComputePipeline,
    pub(crate) vae_likelihood: wgpu::ComputePipeline,
    pub(crate) vae_bernoulli: wgpu::ComputePipeline,
    pub(crate) vae_encoder_grad: wgpu::ComputePipeline,
    pub(crate) mean_squared_error: wgpu::ComputePipeline,
    pub(crate) adam: wgpu::ComputePipeline,
    pub(crate) sgd: wgpu::ComputePipeline,
    pub(crate) sum: wgpu::ComputePipeline,
}

thread_local! {
    /// The kernels of the device last asked for: a lab rebuilt on the same device (every change
    /// of its networks rebuilds it) reuses them instead of compiling them again.
    static COMPILED: std::cell::RefCell<Option<(wgpu::Device, Kernels)>> =
        const { std::cell::RefCell::new(None) };
}

impl Kernels {
    /// The kernels for `gpu`'s device, compiled on first use.
    pub fn of(gpu: &Gpu) -> Self {
        COMPILED.with(|compiled| {
            let mut compiled = compiled.borrow_mut();
            match compiled.as_ref() {
                Some((device, kernels)) if *device == gpu.device => kernels.clone(),
                _ => {
                    let kernels = Kernels::new(gpu);
                    *compiled = Some((gpu.device.clone(), kernels.clone()));
                    kernels
                }
            }
        })
    }

    /// Compiles every kernel for `gpu`'s device.
    pub fn new(gpu: &Gpu) -> Self {
        let module = |label: &str, source: &str| {
            gpu.device
                .create_shader_module(wgpu::ShaderModuleDescriptor {
                    label: Some(label),
                    source: wgpu::ShaderSource::Wgsl(source.into()),
                })
        };
        let [dense, gan, vae, optim, mse] =
            kernel_sources().map(|(file, source)| module(file, &source));
        // The one number the dense kernels take from the CPU's code rather than from a buffer.
        let slope = [("LEAKY_SLOPE", LEAKY_SLOPE as f64)];
        let pipeline = |module: &wgpu::ShaderModule, entry: &str, constants: &[(&str, f64)]| {
            gpu.device
                .create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                    label: Some(entry),
                    layout: None,
                    module,
                    entry_point: Some(entry),
                    compilation_options: wgpu::PipelineCompilationOptions {
                        constants,
                        ..Default::default()
                    },
                    cache: None,
                })
        };
        Self {
            forward: pipeline(&dense, "forward", &slope),
            weight_grads: pipeline(&dense, "weight_grads", &slope),
            sum_partials: pipeline(&dense, "sum_partials", &slope),
            input_grads: pipeline(&dense, "input_grads", &slope),
            gan_loss: pipeline(&gan, "gan_loss", &[]),
            vae_sample: pipeline(&vae, "vae_sample", &[]),
            vae_likelihood: pipeline(&vae, "vae_likelihood", &[]),
            vae_bernoulli: pipeline(&vae, "vae_bernoulli", &[]),
            vae_encoder_grad: pipeline(&vae, "vae_encoder_grad", &[]),
            mean_squared_error: pipeline(&mse, "mean_squared_error", &[]),
            adam: pipeline(&optim, "adam", &[]),
            sgd: pipeline(&optim, "sgd", &[]),
            sum: pipeline(&optim, "sum", &[]),
        }
    }
}

/// One kernel launch, ready to record: the pipeline, its buffers and the workgroup grid.
#[derive(Clone, Debug)]
pub struct Dispatch {
    pipeline: wgpu::ComputePipeline,
    bind: wgpu::BindGroup,
    groups: [u32; 3],
}

impl Dispatch {
    /// `pipeline` over `bindings` (binding number, buffer) in a grid of `groups` workgroups.
    pub(crate) fn new(
        gpu: &Gpu,
        pipeline: &wgpu::ComputePipeline,
        bindings: &[(u32, &wgpu::Buffer)],
        groups: [u32; 3],
    ) -> Self {
        let entries: Vec<wgpu::BindGroupEntry> = bindings
            .iter()
            .map(|&(binding, buffer)| wgpu::BindGroupEntry {
                binding,
                resource: buffer.as_entire_binding(),
            })
            .collect();
        let bind = gpu.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: None,
            layout: &pipeline.get_bind_group_layout(0),
            entries: &entries,
        });
        Self {
            pipeline: pipeline.clone(),
            bind,
            groups,
        }
    }

    fn record(&self, pass: &mut wgpu::ComputePass) {
        pass.set_pipeline(&self.pipeline);
        pass.set_bind_group(0, &self.bind, &[]);
        let [x, y, z] = self.groups;
        pass.dispatch_workgroups(x, y, z);
    }
}

/// Records `dispatches` in order in one compute pass (each one sees what the ones before wrote).
pub fn record<'a>(
    encoder: &mut wgpu::CommandEncoder,
    dispatches: impl IntoIterator<Item = &'a Dispatch>,
) {
    let mut pass = encoder.begin_compute_pass(&wgpu::ComputePassDescriptor::default());
    for dispatch in dispatches {
        dispatch.record(&mut pass);
    }
}

/// A uniform buffer holding `words` (f32 fields go in as their bits).
pub(crate) fn uniform(gpu: &Gpu, label: &str, words: &[u32]) -> wgpu::Buffer {
    let buffer = gpu.uniform(label, words.len());
    gpu.write_words(&buffer, words);
    buffer
}

/// Workgroups of [`LANES`] invocations covering `n` items.
pub(crate) fn groups_for(n: usize) -> [u32; 3] {
    [(n as u32).div_ceil(LANES).max(1), 1, 1]
}
