//! Choosing the number of components with information criteria.
//!
//! Owns [`information_criteria`]: fit K = 1..=k_max (seeded) and report BIC and AIC for each,
//! so a student can see the likelihood rise with K while the penalty pulls the other way.

use super::em::{Em, EmOptions};
use super::model::Dataset;
use super::MixtureError;

/// One fitted K and how it scores.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelScore {
    pub k: usize,
    /// Mean log-likelihood per point of the fitted mixture.
    pub score: f64,
    /// Free parameters of the fitted mixture.
    pub n_parameters: usize,
    /// -2 log L + p log n.
    pub bic: f64,
    /// -2 log L + 2p.
    pub aic: f64,
    pub converged: bool,
}

/// Fits K = 1..=k_max components with `options` (same seed for every K) and scores each.
///
/// Errors with the "choose k ≤ n" message when k_max exceeds the number of points.
pub fn information_criteria<const D: usize>(
    data: &Dataset<D>,
    k_max: usize,
    options: &EmOptions,
) -> Result<Vec<ModelScore>, MixtureError> {
    if k_max > data.len() {
        return Err(MixtureError::TooManyComponents {
            k: k_max,
            points: data.len(),
        });
    }
    (1..=k_max)
        .map(|k| {
            let mut em = Em::new(data.clone(), k, options.clone())?;
            em.run()?;
            let mixture = em.mixture();
            Ok(ModelScore {
                k,
                score: mixture.score(data),
                n_parameters: mixture.n_parameters(),
                bic: mixture.bic(data),
                aic: mixture.aic(data),
                converged: em.converged(),
            })
        })
        .collect()
}
