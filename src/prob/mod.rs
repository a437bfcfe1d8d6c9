//! Probability distributions and the experiments built on them.
//!
//! Everything here is plain Rust: validated parameters, closed forms, and seeded sampling.

pub mod coin;
pub mod coin_flips;
pub mod gaussian;
pub mod joint;

use crate::range::Range;
use std::borrow::Cow;
use std::fmt;

/// A parameter outside the range a distribution allows.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamError {
    /// The parameter's name as the user sees it (for example `p`).
    pub name: &'static str,
    /// What the user gave, written out.
    pub given: String,
    /// The allowed values, written for a person (for example `a number from 0 to 1`).
    pub allowed: Cow<'static, str>,
}

impl ParamError {
    pub fn new(
        name: &'static str,
        given: impl fmt::Display,
        allowed: impl Into<Cow<'static, str>>,
    ) -> Self {
        Self {
            name,
            given: given.to_string(),
            allowed: allowed.into(),
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

/// The values a probability may take.
pub const PROBABILITY: Range = Range::closed(0.0, 1.0);

/// Checks that `p` is a probability: a finite number in [0, 1].
pub fn check_probability(name: &'static str, p: f64) -> Result<f64, ParamError> {
    PROBABILITY.check(name, p)
}
