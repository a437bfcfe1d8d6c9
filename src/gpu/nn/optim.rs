//! Driving optim.wgsl: an optimizer's update of a parameter vector ([`Update`]), and the sums
//! behind the divergence checks and the gradient norms ([`total`]).

use super::network::Parameters;
use super::{groups_for, uniform, Dispatch, Kernels};
use crate::gpu::Gpu;
use crate::nn::OptimizerKind;

/// The byte offset in an update's uniform of the two numbers that change from step to step
/// (`rate` and `epsilon` in optim.wgsl's `Update`).
const FACTORS_OFFSET: u64 = 16;

/// One optimizer step over a parameter vector, its state in [`Parameters`]' buffers.
#[derive(Clone, Debug)]
pub struct Update {
    uniform: wgpu::Buffer,
    dispatch: Dispatch,
}

impl Update {
    pub fn new(gpu: &Gpu, kernels: &Kernels, parameters: &Parameters, kind: OptimizerKind) -> Self {
        let (beta1, beta2, momentum) = match kind {
            OptimizerKind::Adam { beta1, beta2 } => (beta1, beta2, 0.0),
            OptimizerKind::Sgd { momentum } => (0.0, 0.0, momentum),
        };
        let uniform = uniform(
            gpu,
            "update",
            &[
                parameters.len as u32,
                beta1.to_bits(),
                beta2.to_bits(),
                momentum.to_bits(),
                0,
                0,
                0,
                0,
            ],
        );
        let p = parameters;
        let dispatch = match kind {
            OptimizerKind::Adam { .. } => Dispatch::new(
                gpu,
                &kernels.adam,
                &[
                    (0, &uniform),
                    (1, &p.params),
                    (2, &p.grads),
                    (3, &p.first),
                    (4, &p.second),
                ],
                groups_for(p.len),
            ),
            OptimizerKind::Sgd { .. } => Dispatch::new(
                gpu,
                &kernels.sgd,
                &[(0, &uniform), (1, &p.params), (2, &p.grads), (3, &p.first)],
                groups_for(p.len),
            ),
        };
        Self { uniform, dispatch }
    }

    pub fn dispatch(&self) -> &Dispatch {
        &self.dispatch
    }

    /// Where each step's two numbers (nn::Optimizer::step_factors) go: the uniform buffer and
    /// the offset in it, in f32s.
    pub fn factors_target(&self) -> (&wgpu::Buffer, usize) {
        (&self.uniform, FACTORS_OFFSET as usize / 4)
    }

    /// Sets the next step's two numbers at once (for a step submitted on its own).
    pub fn set_factors(&self, gpu: &Gpu, factors: [f32; 2]) {
        gpu.queue.write_buffer(
            &self.uniform,
            FACTORS_OFFSET,
            &crate::gpu::to_bytes(&factors),
        );
    }
}

/// A parameter vector's update with the two sums the divergence checks read: the gradient's
/// squared norm (before the update) and the sum of the weights (after it).
#[derive(Clone, Debug)]
pub struct Training {
    pub update: Update,
    pub grad_squares: Dispatch,
    pub weight_sum: Dispatch,
}

impl Training {
    /// The sums land in `stats[grad_stat]` and `stats[weight_stat]`.
    pub fn new(
        gpu: &Gpu,
        kernels: &Kernels,
        parameters: &Parameters,
        kind: OptimizerKind,
        stats: &wgpu::Buffer,
        [grad_stat, weight_stat]: [u32; 2],
    ) -> Self {
        let p = parameters;
        Self {
            update: Update::new(gpu, kernels, p, kind),
            grad_squares: total(gpu, kernels, &p.grads, p.len, true, (stats, grad_stat)),
            weight_sum: total(gpu, kernels, &p.params, p.len, false, (stats, weight_stat)),
        }
    }

    /// The gradient's norm, the update, then the weights' sum.
    pub fn dispatches(&self) -> [&Dispatch; 3] {
        [&self.grad_squares, self.update.dispatch(), &self.weight_sum]
    }
}

/// The sum of the first `len` values of `values` (of their squares with `squares`), written to
/// `stats[stat]`.
pub fn total(
    gpu: &Gpu,
    kernels: &Kernels,
    values: &wgpu::Buffer,
    len: usize,
    squares: bool,
    (stats, stat): (&wgpu::Buffer, u32),
) -> Dispatch {
    let params = uniform(gpu, "total", &[len as u32, u32::from(squares), stat, 0]);
    Dispatch::new(
        gpu,
        &kernels.sum,
        &[(5, &params), (6, values), (7, stats)],
        [1, 1, 1],
    )
}
