//! Generative classifiers on 2-D points: fit P(y) and p(x | y) for each class, classify by
//! Bayes' rule.
//!
//! This module owns what the Classify lab teaches, one file each:
//! - [`data`]: [`LabeledData`], validated points with a class label each, C = 2..4 classes;
//! - [`family`]: [`Family`], the shape of p(x | y): QDA (a full covariance per class), LDA (one
//!   shared covariance, so the boundary is a line), naive Bayes (a diagonal covariance per class)
//!   or a Gaussian mixture per class fitted by EM (curved, multi-modal classes);
//! - [`fit`]: [`GenerativeClassifier`], the fitted priors and class densities, with the options
//!   and notes of a fit;
//! - [`bayes`]: posteriors P(y | x) by Bayes' rule in log space, predictions, accuracy, log loss,
//!   grids for heatmaps, the marginal p(x) as an "unlike any class" flag, and
//!   [`GenerativeClassifier::explain`] with every number of Bayes' rule at one point;
//! - [`lda`]: [`lda_boundary`], the closed-form linear log-odds w·x + b of LDA, to compare with
//!   the discriminatively fitted [`logistic::LogisticRegression`];
//! - [`presets`]: seeded data sets.
//!
//! This file owns the errors ([`ClassifyError`]) and the class-count limits.
//!
//! Degenerate cases are reported, not hidden: a class with no points gets prior 0 and is never
//! predicted (a [`FitNote::EmptyClass`] names it); a class with fewer points than its covariance
//! needs (3 for a full 2-D covariance, 2 for a diagonal one) gets [`SMALL_CLASS_REG_COVAR`] added
//! to its covariance's diagonal ([`FitNote::Regularised`]); a mixture class with fewer points than
//! components gets fewer components ([`FitNote::FewerComponents`]). Every covariance also gets
//! `reg_covar` (default 1e-6, as scikit-learn's `GaussianMixture`) so that duplicate points keep
//! it invertible; the mixture family uses at least [`MIXTURE_REG_COVAR`] (1e-3), because EM on a
//! few points per component would otherwise shrink components onto single points.

pub mod bayes;
pub mod data;
pub mod family;
pub mod fit;
pub mod lda;
pub mod logistic;
pub mod presets;

pub use bayes::BayesExplanation;
pub use data::{LabeledData, CLASSES};
pub use family::{check_components, Family, COMPONENTS, MAX_COMPONENTS};
pub use fit::{
    FitNote, FitOptions, GenerativeClassifier, Prior, MIXTURE_REG_COVAR, SMALL_CLASS_REG_COVAR,
    TWO_CLASS_PRIOR,
};
pub use lda::{lda_boundary, LinearBoundary};

use crate::mixture::MixtureError;
use crate::prob::ParamError;
use std::fmt;

/// The fewest classes and the most.
pub const MIN_CLASSES: usize = 2;
pub const MAX_CLASSES: usize = 4;

/// What went wrong, with what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassifyError {
    /// No points at all.
    NoPoints,
    /// A coordinate that is NaN or infinite; rows count from 0.
    NonFinite { row: usize, value: f64 },
    /// A label outside 0..n_classes.
    BadLabel {
        row: usize,
        label: usize,
        n_classes: usize,
    },
    /// Points and labels of different lengths.
    LengthMismatch { points: usize, labels: usize },
    /// A parameter outside its range (classes, components, prior, reg_covar).
    Param(ParamError),
    /// The fitted covariance could not be inverted (only with reg_covar = 0).
    Singular { class: usize },
    /// The logistic regression comparison needs points of classes 0 and 1.
    NeedsTwoClasses,
}

impl fmt::Display for ClassifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassifyError::NoPoints => write!(f, "there are no points: add at least one point"),
            ClassifyError::NonFinite { row, value } => write!(
                f,
                "row {row} has a non-finite coordinate ({value}); every coordinate must be a \
                 finite number: fix or remove row {row} (rows count from 0)"
            ),
            ClassifyError::BadLabel {
                row,
                label,
                n_classes,
            } => write!(
                f,
                "row {row} has class {label}, but there are {n_classes} classes: the class \
                 must be {} (rows count from 0)",
                crate::range::Range::whole(0, *n_classes as u64 - 1).describe()
            ),
            ClassifyError::LengthMismatch { points, labels } => write!(
                f,
                "got {points} points and {labels} labels: give one label per point"
            ),
            ClassifyError::Param(e) => e.fmt(f),
            ClassifyError::Singular { class } => write!(
                f,
                "the covariance of class {class} is singular (its points lie on a line): set \
                 reg_covar above 0"
            ),
            ClassifyError::NeedsTwoClasses => write!(
                f,
                "logistic regression here separates class 0 from class 1: add points of both"
            ),
        }
    }
}

impl std::error::Error for ClassifyError {}

impl From<ParamError> for ClassifyError {
    fn from(e: ParamError) -> Self {
        ClassifyError::Param(e)
    }
}

impl From<MixtureError> for ClassifyError {
    fn from(e: MixtureError) -> Self {
        match e {
            MixtureError::NonFinite { row, value, .. } => ClassifyError::NonFinite { row, value },
            MixtureError::EmptyData => ClassifyError::NoPoints,
            MixtureError::Param(p) => ClassifyError::Param(p),
            MixtureError::Collapsed { component } => ClassifyError::Singular { class: component },
            // The classifier builds every other mixture input itself, valid by construction.
            other => unreachable!("the classifier built an invalid mixture: {other}"),
        }
    }
}
