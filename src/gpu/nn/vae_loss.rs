//! Driving vae_loss.wgsl: the reparameterisation and the KL, the likelihood (Gaussian with the
//! decoder's learned log-variance for points, Bernoulli on the logits for images), and the
//! gradient at the encoder's outputs, over buffers fixed when the VAE moves onto the GPU.

use super::{groups_for, uniform, Dispatch, Kernels};
use crate::gpu::Gpu;

/// Where the reconstruction term (E[log p(x | z)], averaged over the batch) lands in `stats`.
pub const RECONSTRUCTION: usize = 0;
/// Where the KL term (averaged over the batch) lands in `stats`.
pub const KL: usize = 1;

/// The buffers between the VAE's two networks (each one row per data point).
pub struct Buffers<'a> {
    /// The encoder's outputs: per row the latent means, then the latent log-variances.
    pub encoded: &'a wgpu::Buffer,
    /// ε, drawn on the CPU.
    pub noise: &'a wgpu::Buffer,
    /// z = μ + σ·ε, the decoder's input.
    pub latent: &'a wgpu::Buffer,
    pub stats: &'a wgpu::Buffer,
    pub data: &'a wgpu::Buffer,
    /// The decoder's outputs (means of points, logits of pixels), and its two learned
    /// log-variances (points only).
    pub decoded: &'a wgpu::Buffer,
    pub log_variance: &'a wgpu::Buffer,
    /// dL/d(the decoder's means), the decoder's output gradient.
    pub grad_decoded: &'a wgpu::Buffer,
    pub grad_log_variance: &'a wgpu::Buffer,
    /// dL/dz, the decoder's input gradient.
    pub grad_latent: &'a wgpu::Buffer,
    /// dL/d(the encoder's outputs), the encoder's output gradient.
    pub grad_encoded: &'a wgpu::Buffer,
}

/// The three dispatches of the VAE's loss and the uniform they share.
#[derive(Debug)]
pub struct VaeLoss {
    uniform: wgpu::Buffer,
    rows: usize,
    latent: usize,
    dim: usize,
    /// z and the KL term.
    pub sample: Dispatch,
    /// The reconstruction term and its gradients.
    pub likelihood: Dispatch,
    /// The gradient at the encoder's outputs (after the decoder's backward pass).
    pub encoder_grad: Dispatch,
}

impl VaeLoss {
    /// The loss for `rows` data points of `dim` columns; `images`: the Bernoulli likelihood.
    pub fn new(
        gpu: &Gpu,
        kernels: &Kernels,
        [rows, latent, dim]: [usize; 3],
        images: bool,
        b: &Buffers,
    ) -> Self {
        let uniform = uniform(gpu, "vae", &[0; 8]);
        let sample = Dispatch::new(
            gpu,
            &kernels.vae_sample,
            &[
                (0, &uniform),
                (1, b.encoded),
                (2, b.noise),
                (3, b.latent),
                (4, b.stats),
            ],
            [1, 1, 1],
        );
        // The Gaussian likelihood also reads and trains the two log-variances.
        let mut bindings = vec![
            (0, &uniform),
            (4, b.stats),
            (5, b.data),
            (6, b.decoded),
            (8, b.grad_decoded),
        ];
        let kernel = if images {
            &kernels.vae_bernoulli
        } else {
            bindings.extend([(7, b.log_variance), (9, b.grad_log_variance)]);
            &kernels.vae_likelihood
        };
        let likelihood = Dispatch::new(gpu, kernel, &bindings, [1, 1, 1]);
        let encoder_grad = Dispatch::new(
            gpu,
            &kernels.vae_encoder_grad,
            &[
                (0, &uniform),
                (1, b.encoded),
                (2, b.noise),
                (10, b.grad_latent),
                (11, b.grad_encoded),
            ],
            groups_for(rows * latent),
        );
        let loss = Self {
            uniform,
            rows,
            latent,
            dim,
            sample,
            likelihood,
            encoder_grad,
        };
        loss.set_beta(gpu, 1.0);
        loss
    }

    /// Sets the KL weight β for the steps submitted from now on.
    pub fn set_beta(&self, gpu: &Gpu, beta: f32) {
        // 1 / rows, as the CPU computes it.
        let scale = 1.0 / self.rows as f32;
        gpu.write_words(
            &self.uniform,
            &[
                self.rows as u32,
                self.latent as u32,
                beta.to_bits(),
                scale.to_bits(),
                self.dim as u32,
                0,
                0,
                0,
            ],
        );
    }
}
