//! The reverse process: from pure noise back to data, one step at a time, given a predictor of
//! the noise (DDPM's objective) or of the velocity (flow matching's). The samplers know nothing
//! about networks: the tests hand them the exact predictor of Gaussian data, the lab its network.
//!
//! - DDPM ancestral and DDIM are one update (Song et al., DDIM, eq. 12) from step t to an
//!   earlier step s: predict x̂₀ from x_t and ε̂, then x_s = √ᾱ_s x̂₀ + √(1 − ᾱ_s − σ²) ε̂ + σ z.
//!   DDIM takes σ = 0 (deterministic); DDPM takes σ² = (1 − ᾱ_s)/(1 − ᾱ_t) · (1 − ᾱ_t/ᾱ_s),
//!   which on consecutive steps is exactly DDPM's posterior variance β̃_t. Fewer steps than T
//!   walk an evenly spaced subsequence of the T steps.
//! - Euler for flow matching: x ← x − Δu · v̂(x, u) from u = 1 (noise) to u = 0 (data).
//!
//! Owns [`reverse`], [`step_times`] and [`ReversePass`] (the final points and the path of every
//! point, which the lab animates).

use super::config::Sampler;
use super::schedule::Process;
use crate::rng::{self, Rng};
use crate::targets::PLANE_HALF_WIDTH;

/// x̂₀ is clipped to ± this: with ᾱ_t near 0, x̂₀ = (x_t − √(1 − ᾱ_t) ε̂)/√ᾱ_t magnifies the
/// predictor's error by 1/√ᾱ_t, and one wild estimate would throw a point off the plane. Twice
/// the plane's half-width never clips a point of any target.
pub const CLIP: f32 = 2.0 * PLANE_HALF_WIDTH;

/// One run of the reverse process.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReversePass {
    /// The number of steps taken.
    pub steps: usize,
    /// The points after each step, frame by frame: frame 0 is the starting noise, frame `steps`
    /// the samples ((steps + 1) × points × 2 numbers).
    pub frames: Vec<f32>,
    /// u = t/T at each frame (1 at the noise, 0 at the samples).
    pub times: Vec<f32>,
}

impl ReversePass {
    /// Points per frame.
    pub fn points(&self) -> usize {
        self.frames.len() / (2 * (self.steps + 1)).max(1)
    }

    /// The points after `step` steps (x, y pairs).
    pub fn frame(&self, step: usize) -> &[f32] {
        let n = 2 * self.points();
        &self.frames[step * n..(step + 1) * n]
    }

    /// The final points: the samples.
    pub fn samples(&self) -> &[f32] {
        self.frame(self.steps)
    }

    /// The paths of the first `count` points, each (steps + 1) x, y pairs, point after point.
    pub fn trajectories(&self, count: usize) -> Vec<f32> {
        let count = count.min(self.points());
        let mut out = Vec::with_capacity(count * 2 * (self.steps + 1));
        for i in 0..count {
            for step in 0..=self.steps {
                out.extend_from_slice(&self.frame(step)[2 * i..2 * i + 2]);
            }
        }
        out
    }
}

/// The steps t the reverse process visits, from T down to 0: `steps` + 1 of them, evenly spaced.
pub fn step_times(timesteps: usize, steps: usize) -> Vec<usize> {
    (0..=steps)
        .rev()
        .map(|i| (i * timesteps + steps / 2) / steps)
        .collect()
}

/// Runs `sampler` for `steps` steps from `noise` (x, y pairs drawn from N(0, I)). `predict(x, u,
/// out)` writes the predicted noise (DDPM, DDIM) or velocity (Euler) at the points x at time
/// u = t/T into `out`. `rng` draws DDPM's fresh noise (the deterministic samplers leave it alone).
/// With `keep_frames` false only the start and the end are kept.
pub fn reverse(
    process: &Process,
    sampler: Sampler,
    steps: usize,
    noise: &[f32],
    rng: &mut Rng,
    keep_frames: bool,
    mut predict: impl FnMut(&[f32], f32, &mut [f32]),
) -> ReversePass {
    assert!(steps >= 1, "the reverse process takes at least one step");
    let big_t = process.timesteps();
    let times = step_times(big_t, steps);
    let mut x = noise.to_vec();
    let mut predicted = vec![0.0; x.len()];
    let mut fresh = vec![0.0; x.len()];
    let mut frames = noise.to_vec();
    for pair in times.windows(2) {
        let (t, s) = (pair[0], pair[1]);
        let u = t as f32 / big_t as f32;
        predict(&x, u, &mut predicted);
        match sampler {
            Sampler::Euler => {
                let du = (t - s) as f32 / big_t as f32;
                x.iter_mut().zip(&predicted).for_each(|(x, v)| *x -= du * v);
            }
            Sampler::Ddpm | Sampler::Ddim => {
                let (a_t, a_s) = (process.alpha_bar(t), process.alpha_bar(s));
                let variance = if sampler == Sampler::Ddpm {
                    (1.0 - a_s) / (1.0 - a_t) * (1.0 - a_t / a_s)
                } else {
                    0.0
                };
                if variance > 0.0 {
                    rng::fill_standard_normal(rng, &mut fresh);
                }
                let (sqrt_a_t, sqrt_one_minus_a_t) = (a_t.sqrt() as f32, (1.0 - a_t).sqrt() as f32);
                let sqrt_a_s = a_s.sqrt() as f32;
                let towards = (1.0 - a_s - variance).max(0.0).sqrt() as f32;
                let sigma = variance.sqrt() as f32;
                for ((x, eps), z) in x.iter_mut().zip(&predicted).zip(&fresh) {
                    let x0 = ((*x - sqrt_one_minus_a_t * eps) / sqrt_a_t).clamp(-CLIP, CLIP);
                    // The noise that, with the clipped x̂₀, makes up x_t.
                    let eps = (*x - sqrt_a_t * x0) / sqrt_one_minus_a_t;
                    *x = sqrt_a_s * x0
                        + towards * eps
                        + if variance > 0.0 { sigma * z } else { 0.0 };
                }
            }
        }
        if keep_frames || s == 0 {
            frames.extend_from_slice(&x);
        }
    }
    let kept = if keep_frames { steps } else { 1 };
    ReversePass {
        steps: kept,
        frames,
        times: if keep_frames {
            times.iter().map(|&t| t as f32 / big_t as f32).collect()
        } else {
            vec![1.0, 0.0]
        },
    }
}
