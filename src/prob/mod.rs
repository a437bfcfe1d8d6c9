//! Probability distributions and the experiments built on them.
//!
//! Everything here is plain Rust: validated parameters, closed forms, and seeded sampling. This
//! file owns what every model shares: [`ParamError`] (a setting out of range, said in words),
//! [`check_probability`] and [`log_sum_exp`], the one way to add probabilities held as logs.

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

/// log Σ exp(v_k), shifting by the maximum so that nothing overflows or underflows to 0;
/// -∞ when every term is -∞ (or there are none).
pub fn log_sum_exp(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max == f64::NEG_INFINITY {
        return max;
    }
    max + values.iter().map(|v| (v - max).exp()).sum::<f64>().ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_sum_exp_adds_probabilities_held_as_logs_without_overflow() {
        let six = log_sum_exp(&[1f64.ln(), 2f64.ln(), 3f64.ln()]);
        assert!((six - 6f64.ln()).abs() < 1e-15, "{six}");
        // exp(1000) overflows; the shifted sum does not.
        let big = log_sum_exp(&[1000.0, 1000.0]);
        assert!((big - (1000.0 + 2f64.ln())).abs() < 1e-12, "{big}");
        assert_eq!(log_sum_exp(&[-800.0, f64::NEG_INFINITY]), -800.0);
        assert_eq!(log_sum_exp(&[f64::NEG_INFINITY; 2]), f64::NEG_INFINITY);
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    }
}
