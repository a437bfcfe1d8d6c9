//! The evidence lower bound a VAE maximises: its two terms on a batch ([`Terms`]), the closed
//! form of the KL term for one encoding ([`gaussian_kl`]) and the ELBO [`History`] of a run.

use crate::history::Curves;
use crate::nn::fastmath;

/// The terms of the bound on one batch, each averaged over its points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Terms {
    /// E_q[log p(x | z)], estimated with one z per point.
    pub reconstruction: f32,
    /// KL(q(z | x) ‖ N(0, I)) in closed form.
    pub kl: f32,
}

impl Terms {
    /// The evidence lower bound: reconstruction - KL (whatever β training uses).
    pub fn elbo(&self) -> f32 {
        self.reconstruction - self.kl
    }

    /// What training minimises: -reconstruction + β·KL.
    pub fn loss(&self, beta: f32) -> f32 {
        -self.reconstruction + beta * self.kl
    }
}

/// KL(N(μ, diag exp(log σ²)) ‖ N(0, I)) = ½ Σ (μ² + σ² - 1 - log σ²), the closed form for one
/// point's encoding.
pub fn gaussian_kl(mean: &[f32], log_variance: &[f32]) -> f32 {
    mean.iter()
        .zip(log_variance)
        .map(|(&m, &lv)| 0.5 * (m * m + fastmath::exp(lv) - 1.0 - lv))
        .sum()
}

/// The ELBO, reconstruction term and KL per iteration, thinned as the run grows (see [`Curves`]).
#[derive(Clone, Debug)]
pub struct History(pub(crate) Curves<3>);

impl History {
    /// An empty history holding at most `capacity` (at least 2) entries.
    pub fn new(capacity: usize) -> Self {
        Self(Curves::new(capacity))
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Records the terms after `iteration` if it falls on the current stride.
    pub fn record(&mut self, iteration: u64, terms: Terms) {
        self.0
            .record(iteration, [terms.elbo(), terms.reconstruction, terms.kl]);
    }

    /// The iteration numbers of the recorded entries.
    pub fn iterations(&self) -> &[u64] {
        self.0.iterations()
    }

    pub fn elbo(&self) -> &[f32] {
        self.0.series(0)
    }

    pub fn reconstruction(&self) -> &[f32] {
        self.0.series(1)
    }

    pub fn kl(&self) -> &[f32] {
        self.0.series(2)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
