//! Probability distributions and the experiments built on them.
//!
//! Everything here is plain Rust: validated parameters, closed forms, and seeded sampling.

pub mod coin;
pub mod coin_flips;
pub mod gaussian;
pub mod joint;

use std::fmt;

/// A parameter outside the range a distribution allows.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    /// The parameter's name as the user sees it (for example `p`).
    pub name: &'static str,
    /// What the user gave, written out.
    pub given: String,
    /// The allowed values, written for a person (for example `a number from 0 to 1`).
    pub allowed: &'static str,
}

impl ParamError {
    pub fn new(name: &'static str, given: impl fmt::Display, allowed: &'static str) -> Self {
        Self {
            name,
            given: given.to_string(),
            allowed,
        }
    }
}

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} = {} is not allowed: {} must be {}",
            self.name, self.given, self.name, self.allowed
        )
    }
}

impl std::error::Error for ParamError {}

/// Checks that `p` is a probability: a finite number in [0, 1].
pub fn check_probability(name: &'static str, p: f64) -> Result<f64, ParamError> {
    if p.is_finite() && (0.0..=1.0).contains(&p) {
        Ok(p)
    } else {
        Err(ParamError::new(name, p, "a number from 0 to 1"))
    }
}
