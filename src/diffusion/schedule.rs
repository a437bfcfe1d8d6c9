//! The forward process, in closed form: q(x_t | x₀) = N(m_t x₀, s_t² I). For DDPM, m_t = √ᾱ_t
//! and s_t² = 1 − ᾱ_t, where ᾱ_t = Π_{k ≤ t} (1 − β_k) follows a linear or a cosine β schedule
//! over T steps; for flow matching the path is the straight line x_t = (1 − t/T) x₀ + (t/T) ε.
//!
//! Owns [`Process`] (the ᾱ table of a run, with the coefficients at any step) and the two β
//! schedules that fill it.

use super::config::{Objective, ScheduleKind};

/// The linear schedule's β₁ and β_T for T = 1000 (Ho et al. 2020); for other T both scale by
/// 1000/T, so that the total noise Σβ, and with it ᾱ_T, stays about the same.
const LINEAR_BETA_START: f64 = 1e-4;
const LINEAR_BETA_END: f64 = 0.02;
/// The cosine schedule's offset s (Nichol & Dhariwal): keeps β₁ from being vanishingly small.
const COSINE_OFFSET: f64 = 0.008;
/// β is capped below 1 (as in Nichol & Dhariwal): at β = 1 the last step would divide by √ᾱ = 0.
pub const MAX_BETA: f64 = 0.999;

/// The forward process of one run: what x_t is made of at each step t = 0 (the data) to T.
#[derive(Clone, Debug, PartialEq)]
pub struct Process {
    objective: Objective,
    /// ᾱ_t for t = 0..=T (ᾱ₀ = 1).
    alpha_bar: Vec<f64>,
}

impl Process {
    pub fn new(objective: Objective, schedule: ScheduleKind, timesteps: usize) -> Self {
        let betas = betas(schedule, timesteps);
        let mut alpha_bar = Vec::with_capacity(timesteps + 1);
        alpha_bar.push(1.0);
        let mut product = 1.0;
        for beta in betas {
            product *= 1.0 - beta;
            alpha_bar.push(product);
        }
        Self {
            objective,
            alpha_bar,
        }
    }

    pub fn objective(&self) -> Objective {
        self.objective
    }

    /// T.
    pub fn timesteps(&self) -> usize {
        self.alpha_bar.len() - 1
    }

    /// ᾱ_t of the schedule (t from 0 to T).
    pub fn alpha_bar(&self, t: usize) -> f64 {
        self.alpha_bar[t]
    }

    /// β_t = 1 − ᾱ_t / ᾱ_{t−1} (t from 1 to T).
    pub fn beta(&self, t: usize) -> f64 {
        1.0 - self.alpha_bar[t] / self.alpha_bar[t - 1]
    }

    /// (m, s) at the fraction u = t/T of the way to noise: x_u = m x₀ + s ε. DDPM reads ᾱ at the
    /// nearest step; flow matching's straight path is defined for every u in [0, 1].
    pub fn coefficients(&self, u: f64) -> (f64, f64) {
        match self.objective {
            Objective::Ddpm => {
                let t = (u * self.timesteps() as f64).round() as usize;
                let a = self.alpha_bar[t.min(self.timesteps())];
                (a.sqrt(), (1.0 - a).sqrt())
            }
            Objective::FlowMatching => (1.0 - u, u),
        }
    }

    /// (m, s) at step t.
    pub fn coefficients_at(&self, t: usize) -> (f64, f64) {
        self.coefficients(t as f64 / self.timesteps() as f64)
    }
}

/// β₁..β_T of `schedule` over `timesteps` steps.
fn betas(schedule: ScheduleKind, timesteps: usize) -> Vec<f64> {
    let big_t = timesteps as f64;
    match schedule {
        ScheduleKind::Linear => {
            let scale = 1000.0 / big_t;
            let (start, end) = (scale * LINEAR_BETA_START, scale * LINEAR_BETA_END);
            (0..timesteps)
                .map(|k| {
                    let along = if timesteps > 1 {
                        k as f64 / (big_t - 1.0)
                    } else {
                        1.0
                    };
                    (start + (end - start) * along).min(MAX_BETA)
                })
                .collect()
        }
        ScheduleKind::Cosine => {
            let f = |t: f64| {
                let angle = (t / big_t + COSINE_OFFSET) / (1.0 + COSINE_OFFSET);
                (angle * std::f64::consts::FRAC_PI_2).cos().powi(2)
            };
            (1..=timesteps)
                .map(|t| (1.0 - f(t as f64) / f(t as f64 - 1.0)).min(MAX_BETA))
                .collect()
        }
    }
}
