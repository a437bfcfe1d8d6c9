//! Driving gan_loss.wgsl: a game's loss on the discriminator's outputs and its gradient, for
//! the discriminator's step (real then fake outputs) or the generator's (fakes only).

use super::{uniform, Dispatch, Kernels};
use crate::gan::{GanLoss, Phase};
use crate::gpu::Gpu;

/// Which loss, on how many outputs, and where its value goes.
#[derive(Clone, Copy, Debug)]
pub struct Game {
    pub game: GanLoss,
    pub phase: Phase,
    pub rows: usize,
    /// In the discriminator's step, the first this many outputs score real samples.
    pub real_rows: usize,
    /// The loss is written to `stats[stat]`.
    pub stat: u32,
}

/// The loss over `outputs`, its gradient written into `grad` (both `game.rows` long).
pub fn dispatch(
    gpu: &Gpu,
    kernels: &Kernels,
    game: Game,
    outputs: &wgpu::Buffer,
    grad: &wgpu::Buffer,
    stats: &wgpu::Buffer,
) -> Dispatch {
    let params = uniform(
        gpu,
        "game",
        &[
            game.rows as u32,
            game.real_rows as u32,
            game.game as u32,
            game.phase as u32,
            game.stat,
            0,
            0,
            0,
        ],
    );
    Dispatch::new(
        gpu,
        &kernels.gan_loss,
        &[(0, &params), (1, outputs), (2, grad), (3, stats)],
        [1, 1, 1],
    )
}
