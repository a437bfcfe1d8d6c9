//! The shape of each class's density p(x | y): [`Family`] (QDA, LDA, naive Bayes or a Gaussian
//! mixture per class), its names in the lab's API (as a [`Choice`]) and its parameter count, and the limit on
//! mixture components.

use super::ClassifyError;
use crate::choice::Choice;
use crate::range::Range;

/// The most mixture components per class.
pub const MAX_COMPONENTS: usize = 4;

/// The shape of each class's density p(x | y).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Quadratic discriminant analysis: a Gaussian with its own full covariance per class.
    Qda,
    /// Linear discriminant analysis: a Gaussian per class, one covariance shared by all.
    Lda,
    /// Naive Bayes: a Gaussian per class with a diagonal covariance (features independent given
    /// the class).
    NaiveBayes,
    /// A Gaussian mixture with this many components (1..=4) per class, fitted by EM.
    Mixture { components: usize },
}

impl Choice for Family {
    /// The mixture's components here are a placeholder: the Classify lab's `components` setting
    /// decides them.
    const ALL: &'static [Self] = &[
        Family::Qda,
        Family::Lda,
        Family::NaiveBayes,
        Family::Mixture { components: 2 },
    ];

    fn api_name(self) -> &'static str {
        match self {
            Family::Qda => "qda",
            Family::Lda => "lda",
            Family::NaiveBayes => "naive_bayes",
            Family::Mixture { .. } => "mixture",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Family::Qda => "QDA (own covariance)",
            Family::Lda => "LDA (shared covariance)",
            Family::NaiveBayes => "Naive Bayes (diagonal)",
            Family::Mixture { .. } => "Mixture per class (EM)",
        }
    }
}

impl Family {
    /// The free parameters of the class densities (priors not included) for `n_classes` classes.
    pub fn density_parameters(self, n_classes: usize) -> usize {
        match self {
            Family::Qda => n_classes * 5,
            Family::Lda => n_classes * 2 + 3,
            Family::NaiveBayes => n_classes * 4,
            Family::Mixture { components: m } => n_classes * ((m - 1) + 5 * m),
        }
    }
}

/// The mixture components a class may have.
pub const COMPONENTS: Range = Range::whole(1, MAX_COMPONENTS as u64);

/// Checks a number of mixture components per class.
pub fn check_components(components: usize) -> Result<(), ClassifyError> {
    COMPONENTS.check_count("components", components)?;
    Ok(())
}
