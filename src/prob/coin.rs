//! The coin's distributions: one flip (Bernoulli) and the number of heads in n flips (Binomial).

use super::{check_probability, ParamError};
use crate::range::Range;

/// Flips per batch: at most 200, so that the histogram's bars stay wide enough to read.
pub const BATCH_N: Range = Range::whole(1, 200);

/// One flip of a coin that shows heads with probability `p`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bernoulli {
    p: f64,
}

impl Bernoulli {
    pub fn new(p: f64) -> Result<Self, ParamError> {
        Ok(Self {
            p: check_probability("p", p)?,
        })
    }

    pub fn p(&self) -> f64 {
        self.p
    }

    /// P(X = x) for x = 1 (heads) or x = 0 (tails).
    pub fn pmf(&self, heads: bool) -> f64 {
        if heads {
            self.p
        } else {
            1.0 - self.p
        }
    }

    pub fn mean(&self) -> f64 {
        self.p
    }

    pub fn variance(&self) -> f64 {
        self.p * (1.0 - self.p)
    }

    /// Shannon entropy H(p) = -p log2 p - (1-p) log2 (1-p) in bits, with 0 log 0 = 0.
    pub fn entropy_bits(&self) -> f64 {
        fn term(q: f64) -> f64 {
            if q > 0.0 {
                -q * q.log2()
            } else {
                0.0
            }
        }
        term(self.p) + term(1.0 - self.p)
    }

    /// A flip driven by a uniform draw `u` in [0, 1): heads exactly when u < p.
    ///
    /// Taking the uniform as input (rather than a generator) lets the coin experiment replay the
    /// same luck under a different p.
    pub fn flip(&self, u: f64) -> bool {
        u < self.p
    }
}

/// The number of heads in `n` independent flips of a `p`-coin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Binomial {
    n: u32,
    p: f64,
}

impl Binomial {
    pub fn new(n: u32, p: f64) -> Result<Self, ParamError> {
        BATCH_N.check("batch_n", n.into())?;
        Ok(Self {
            n,
            p: check_probability("p", p)?,
        })
    }

    pub fn n(&self) -> u32 {
        self.n
    }

    pub fn mean(&self) -> f64 {
        self.n as f64 * self.p
    }

    pub fn variance(&self) -> f64 {
        self.n as f64 * self.p * (1.0 - self.p)
    }

    /// P(K = k) for k = 0..=n, as one table.
    ///
    /// Built in log space (ln C(n,k) + k ln p + (n-k) ln(1-p)), because for n = 200 the binomial
    /// coefficient alone reaches 9e58 while p^k underflows; the endpoints p = 0 and p = 1 are
    /// exact point masses.
    pub fn pmf_table(&self) -> Vec<f64> {
        let n = self.n as usize;
        let mut table = vec![0.0; n + 1];
        if self.p == 0.0 {
            table[0] = 1.0;
            return table;
        }
        if self.p == 1.0 {
            table[n] = 1.0;
            return table;
        }
        let (ln_p, ln_q) = (self.p.ln(), (1.0 - self.p).ln());
        let mut ln_choose = 0.0; // ln C(n, 0)
        for (k, slot) in table.iter_mut().enumerate() {
            if k > 0 {
                ln_choose += ((n - k + 1) as f64).ln() - (k as f64).ln();
            }
            *slot = (ln_choose + k as f64 * ln_p + (n - k) as f64 * ln_q).exp();
        }
        table
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bernoulli_pmf_sums_to_one_and_moments_match() {
        for p in [0.0, 0.1, 0.5, 0.73, 1.0] {
            let b = Bernoulli::new(p).unwrap();
            assert!((b.pmf(true) + b.pmf(false) - 1.0).abs() < 1e-15);
            assert_eq!(b.mean(), p);
            assert!((b.variance() - p * (1.0 - p)).abs() < 1e-15);
        }
    }

    #[test]
    fn entropy_has_its_known_values() {
        let h = |p| Bernoulli::new(p).unwrap().entropy_bits();
        assert_eq!(h(0.0), 0.0);
        assert_eq!(h(1.0), 0.0);
        assert!((h(0.5) - 1.0).abs() < 1e-15);
        // H(0.25) = 2 - (3/4) log2 3
        assert!((h(0.25) - (2.0 - 0.75 * 3f64.log2())).abs() < 1e-12);
        assert!((h(0.1) - h(0.9)).abs() < 1e-15, "entropy is symmetric");
    }

    #[test]
    fn binomial_pmf_sums_to_one_and_moments_match_closed_forms() {
        for n in [1, 2, 10, 57, 200] {
            for p in [0.0, 0.01, 0.3, 0.5, 0.99, 1.0] {
                let b = Binomial::new(n, p).unwrap();
                let t = b.pmf_table();
                let sum: f64 = t.iter().sum();
                assert!((sum - 1.0).abs() < 1e-12, "n={n} p={p} sum={sum}");
                let mean: f64 = t.iter().enumerate().map(|(k, q)| k as f64 * q).sum();
                let var: f64 = t
                    .iter()
                    .enumerate()
                    .map(|(k, q)| (k as f64 - mean).powi(2) * q)
                    .sum();
                assert!((mean - n as f64 * p).abs() < 1e-9, "mean n={n} p={p}");
                assert!(
                    (var - n as f64 * p * (1.0 - p)).abs() < 1e-9,
                    "var n={n} p={p}"
                );
                assert!((b.mean() - n as f64 * p).abs() < 1e-12);
                assert!((b.variance() - n as f64 * p * (1.0 - p)).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn binomial_pmf_matches_hand_computed_values() {
        // Binomial(4, 0.5): 1/16, 4/16, 6/16, 4/16, 1/16.
        let t = Binomial::new(4, 0.5).unwrap().pmf_table();
        for (got, want) in t.iter().zip([1.0, 4.0, 6.0, 4.0, 1.0]) {
            assert!((got - want / 16.0).abs() < 1e-14);
        }
        // Binomial(3, 0.2): P(K = 1) = 3 * 0.2 * 0.64 = 0.384.
        let t = Binomial::new(3, 0.2).unwrap().pmf_table();
        assert!((t[1] - 0.384).abs() < 1e-14);
    }

    #[test]
    fn invalid_parameters_are_rejected_with_the_allowed_range() {
        for p in [-0.01, 1.01, f64::NAN, f64::INFINITY] {
            let e = Bernoulli::new(p).unwrap_err();
            assert_eq!(e.name, "p");
            assert!(e.to_string().contains("from 0 to 1"), "{e}");
        }
        assert_eq!(Binomial::new(0, 0.5).unwrap_err().name, "batch_n");
        assert_eq!(Binomial::new(201, 0.5).unwrap_err().name, "batch_n");
        assert_eq!(Binomial::new(10, 2.0).unwrap_err().name, "p");
    }
}
