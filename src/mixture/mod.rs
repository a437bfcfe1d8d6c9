//! Gaussian mixtures and the EM algorithm that fits them, in 1-D and 2-D.
//!
//! This module owns everything a student touches when playing with mixtures:
//! - [`Dataset`]: validated points, stored one column per coordinate (structure of arrays);
//! - [`GaussianMixture`]: weights, means and covariances with densities, sampling, per-point
//!   log-likelihood, BIC/AIC and [`GaussianMixture::explain_responsibility`];
//! - [`Em`]: the EM algorithm as a state machine whose E- and M-steps can be called one at a time;
//! - [`presets`]: seeded data sets (blobs, anisotropic, unbalanced, overlapping, ring);
//! - [`select`]: choosing K by BIC/AIC.
//!
//! Names follow scikit-learn's `GaussianMixture` (`weights`, `means`, `covariances`,
//! `lower_bound`, `n_iter`, `reg_covar`, `converged`) so that results can be compared with it.
//! The dimension is a const parameter `D`; genplay uses `D = 1` and `D = 2`, which share one
//! code path.

// Matrix and coordinate loops read as the formulas do (Σ_ab, x_a) with index variables.
#![allow(clippy::needless_range_loop)]

pub mod em;
mod fast;
pub mod init;
pub mod model;
pub mod presets;
pub mod select;

pub use em::{Em, EmOptions, HalfStep, Kernel, Reseed};
pub(crate) use fast::Statistics;
pub use fast::{exp as fast_exp, EXP_CUTOFF};
pub use init::Init;
pub use model::{CovarianceType, Dataset, GaussianMixture, ResponsibilityExplanation};
pub use presets::Preset;
pub use select::{information_criteria, ModelScore};

use crate::prob::ParamError;
use std::fmt;

/// Everything that can go wrong when building data, a mixture or an EM run, each with what to do.
#[derive(Debug, Clone, PartialEq)]
pub enum MixtureError {
    /// No points at all.
    EmptyData,
    /// A coordinate that is NaN or infinite; `row` counts points from 0.
    NonFinite {
        row: usize,
        column: usize,
        value: f64,
    },
    /// A flat list of numbers whose length is not a multiple of the dimension.
    RaggedPoints { numbers: usize, dim: usize },
    /// More components than points: EM cannot give every component a point of its own.
    TooManyComponents { k: usize, points: usize },
    /// A mixture with no component.
    NoComponents,
    /// Lists of weights, means and covariances of different lengths.
    LengthMismatch {
        weights: usize,
        means: usize,
        covariances: usize,
    },
    /// Weights that are negative, non-finite or do not sum to 1.
    BadWeights { sum: f64 },
    /// A covariance that is not symmetric positive definite, or not of the declared type.
    BadCovariance {
        component: usize,
        reason: &'static str,
    },
    /// A mean with a non-finite coordinate.
    BadMean { component: usize },
    /// An option outside its allowed range (`reg_covar`, `tol`, ...).
    Param(ParamError),
    /// `m_step` called when the E-step is due.
    MStepBeforeEStep,
    /// With `reg_covar = 0`, a component shrank onto a single point and its covariance became
    /// singular.
    Collapsed { component: usize },
}

impl fmt::Display for MixtureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MixtureError::EmptyData => write!(f, "the data set is empty: add at least one point"),
            MixtureError::NonFinite { row, column, value } => write!(
                f,
                "row {row} has a non-finite coordinate ({value} in column {column}); every \
                 coordinate must be a finite number: fix or remove row {row} (rows count from 0)"
            ),
            MixtureError::RaggedPoints { numbers, dim } => write!(
                f,
                "got {numbers} numbers, which is not a whole number of {dim}-D points: give \
                 {dim} numbers per point"
            ),
            MixtureError::TooManyComponents { k, points } => write!(
                f,
                "k = {k} but there are only {points} points; choose k ≤ {points} or add points"
            ),
            MixtureError::NoComponents => write!(
                f,
                "k = 0 is not allowed: a mixture needs at least one component"
            ),
            MixtureError::LengthMismatch {
                weights,
                means,
                covariances,
            } => write!(
                f,
                "got {weights} weights, {means} means and {covariances} covariances: give one \
                 of each per component"
            ),
            MixtureError::BadWeights { sum } => write!(
                f,
                "the weights must be finite, non-negative and sum to 1 (these sum to {sum})"
            ),
            MixtureError::BadCovariance { component, reason } => {
                write!(f, "the covariance of component {component} {reason}")
            }
            MixtureError::BadMean { component } => write!(
                f,
                "the mean of component {component} has a non-finite coordinate: give finite numbers"
            ),
            MixtureError::Param(e) => e.fmt(f),
            MixtureError::MStepBeforeEStep => write!(
                f,
                "the M-step needs the responsibilities of an E-step: run the E-step first"
            ),
            MixtureError::Collapsed { component } => write!(
                f,
                "component {component} collapsed onto a single point and its covariance is no \
                 longer invertible: set reg_covar above 0 (scikit-learn's default is 1e-6)"
            ),
        }
    }
}

impl std::error::Error for MixtureError {}

impl From<ParamError> for MixtureError {
    fn from(e: ParamError) -> Self {
        MixtureError::Param(e)
    }
}
