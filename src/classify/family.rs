//! The shape of each class's density p(x | y): [`Family`] (QDA, LDA, naive Bayes or a Gaussian
//! mixture per class), its names in the lab's API and its parameter count, and the limit on
//! mixture components.

use super::ClassifyError;
use crate::prob::ParamError;

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

impl Family {
    /// Parses the names the lab uses: `qda`, `lda`, `naive_bayes`, `mixture` (with `components`).
    pub fn from_name(name: &str, components: usize) -> Result<Self, ClassifyError> {
        let family = match name {
            "qda" => Family::Qda,
            "lda" => Family::Lda,
            "naive_bayes" => Family::NaiveBayes,
            "mixture" => Family::Mixture { components },
            _ => {
                return Err(ParamError::new(
                    "family",
                    format!("\"{name}\""),
                    "one of \"qda\", \"lda\", \"naive_bayes\", \"mixture\"",
                )
                .into())
            }
        };
        check_components(components)?;
        Ok(family)
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Qda => "qda",
            Family::Lda => "lda",
            Family::NaiveBayes => "naive_bayes",
            Family::Mixture { .. } => "mixture",
        }
    }

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

/// Checks a number of mixture components per class.
pub fn check_components(components: usize) -> Result<(), ClassifyError> {
    if (1..=MAX_COMPONENTS).contains(&components) {
        Ok(())
    } else {
        Err(ParamError::new("components", components, "a whole number from 1 to 4").into())
    }
}
