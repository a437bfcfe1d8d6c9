//! Driving mse.wgsl: the mean squared error of a network's outputs against targets uploaded
//! with each batch (the diffusion model's noise or velocity), and its gradient at the outputs.

use super::{uniform, Dispatch, Kernels};
use crate::gpu::Gpu;

/// The loss of `count` numbers of `predictions` against `targets`: their gradient goes to
/// `grad`, the loss to `stats[stat]`.
pub fn dispatch(
    gpu: &Gpu,
    kernels: &Kernels,
    count: usize,
    [predictions, targets, grad, stats]: [&wgpu::Buffer; 4],
    stat: u32,
) -> Dispatch {
    let params = uniform(gpu, "mean squared error", &[count as u32, stat, 0, 0]);
    Dispatch::new(
        gpu,
        &kernels.mean_squared_error,
        &[
            (0, &params),
            (1, predictions),
            (2, targets),
            (3, grad),
            (4, stats),
        ],
        [1, 1, 1],
    )
}
