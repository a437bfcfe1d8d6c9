//! The allowed range of a numeric setting, and its one written description.
//!
//! A range is declared once, beside the code that relies on it (`MAX_BATCH_SIZE` and its range
//! in `gan::config`, say). The core's validation and the labs' settings schema both check values
//! against it, and every refusal message uses [`Range::describe`], so the text "a whole number
//! from 1 to 1024" is written by code, never typed twice.

use crate::prob::ParamError;
use std::fmt;

/// An interval of allowed numbers, possibly open at either end, possibly whole numbers only.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Range {
    pub min: f64,
    pub max: f64,
    /// The minimum itself is not allowed.
    pub min_exclusive: bool,
    /// The maximum itself is not allowed.
    pub max_exclusive: bool,
    /// Only whole numbers are allowed.
    pub whole: bool,
}

impl Range {
    /// Whole numbers from `min` to `max`, both included.
    pub const fn whole(min: u64, max: u64) -> Self {
        Self {
            min: min as f64,
            max: max as f64,
            min_exclusive: false,
            max_exclusive: false,
            whole: true,
        }
    }

    /// Numbers from `min` to `max`, both included.
    pub const fn closed(min: f64, max: f64) -> Self {
        Self {
            min,
            max,
            min_exclusive: false,
            max_exclusive: false,
            whole: false,
        }
    }

    /// Numbers above `min` (excluded) and at most `max`.
    pub const fn above(min: f64, max: f64) -> Self {
        Self {
            min_exclusive: true,
            ..Self::closed(min, max)
        }
    }

    /// Numbers from `min` up to `max`, `max` excluded.
    pub const fn below(min: f64, max: f64) -> Self {
        Self {
            max_exclusive: true,
            ..Self::closed(min, max)
        }
    }

    /// Numbers strictly between `min` and `max`.
    pub const fn open(min: f64, max: f64) -> Self {
        Self {
            min_exclusive: true,
            max_exclusive: true,
            ..Self::closed(min, max)
        }
    }

    /// Whether `value` is allowed (never NaN or an infinity).
    pub fn contains(&self, value: f64) -> bool {
        value.is_finite()
            && (!self.whole || value.fract() == 0.0)
            && if self.min_exclusive {
                value > self.min
            } else {
                value >= self.min
            }
            && if self.max_exclusive {
                value < self.max
            } else {
                value <= self.max
            }
    }

    /// The allowed values written for a person: "a whole number from 1 to 1024", "a number
    /// above 0 and at most 10", "a number strictly between -1 and 1", ...
    pub fn describe(&self) -> String {
        let noun = if self.whole {
            "a whole number"
        } else {
            "a number"
        };
        let (min, max) = (number_text(self.min), number_text(self.max));
        if self.whole && !self.min_exclusive && !self.max_exclusive {
            if self.max == self.min {
                return format!("exactly {min}");
            }
            if self.max == self.min + 1.0 {
                return format!("{min} or {max}");
            }
        }
        match (self.min_exclusive, self.max_exclusive) {
            (false, false) => format!("{noun} from {min} to {max}"),
            (true, false) => format!("{noun} above {min} and at most {max}"),
            (false, true) => format!("{noun} from {min} up to (not including) {max}"),
            (true, true) => format!("{noun} strictly between {min} and {max}"),
        }
    }

    /// `Ok(value)` when allowed, else the error naming the parameter and this range.
    pub fn check(&self, name: &'static str, value: f64) -> Result<f64, ParamError> {
        if self.contains(value) {
            Ok(value)
        } else {
            Err(ParamError::new(name, number_text(value), self.describe()))
        }
    }

    /// As [`Range::check`], for a count held in a `usize`.
    pub fn check_count(&self, name: &'static str, value: usize) -> Result<usize, ParamError> {
        self.check(name, value as f64).map(|_| value)
    }
}

impl fmt::Display for Range {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A number as a person (and a URL) writes it: the shortest text that reads back as the same
/// number, with no exponent for ordinary sizes ("0.001", "1024", "-1.5"), and "NaN",
/// "Infinity" or "-Infinity" (as JavaScript writes them) for the numbers that are not finite.
pub fn number_text(value: f64) -> String {
    if value.is_nan() {
        "NaN".into()
    } else if value.is_infinite() {
        if value > 0.0 { "Infinity" } else { "-Infinity" }.into()
    } else if value != 0.0 && !(1e-7..1e21).contains(&value.abs()) {
        format!("{value:e}")
    } else {
        // Rust writes the shortest decimal that round-trips (and "-0" for negative zero).
        format!("{}", value + 0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_name_each_kind_of_end() {
        assert_eq!(
            Range::whole(1, 1024).describe(),
            "a whole number from 1 to 1024"
        );
        assert_eq!(
            Range::above(0.0, 10.0).describe(),
            "a number above 0 and at most 10"
        );
        assert_eq!(
            Range::below(0.0, 1.0).describe(),
            "a number from 0 up to (not including) 1"
        );
        assert_eq!(
            Range::open(-1.0, 1.0).describe(),
            "a number strictly between -1 and 1"
        );
    }

    #[test]
    fn ends_are_included_or_excluded_as_declared() {
        let r = Range::above(0.0, 10.0);
        assert!(!r.contains(0.0) && r.contains(1e-9) && r.contains(10.0) && !r.contains(10.5));
        let o = Range::open(-1.0, 1.0);
        assert!(!o.contains(-1.0) && !o.contains(1.0) && o.contains(0.999));
        let w = Range::whole(1, 4);
        assert!(w.contains(4.0) && !w.contains(2.5) && !w.contains(0.0) && !w.contains(5.0));
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert!(!Range::closed(f64::MIN, f64::MAX).contains(bad));
        }
    }

    #[test]
    fn numbers_read_back_unchanged() {
        for x in [
            0.001,
            1e-5,
            0.1 + 0.2,
            1024.0,
            -1.5,
            4294967295.0,
            1e-9,
            1e300,
            -0.0,
        ] {
            let text = number_text(x);
            assert_eq!(text.parse::<f64>().unwrap(), x, "{text}");
        }
        assert_eq!(number_text(0.001), "0.001");
        assert_eq!(number_text(-0.0), "0");
        assert_eq!(number_text(1e308), "1e308");
        assert_eq!(number_text(f64::NAN), "NaN");
    }
}
