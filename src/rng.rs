//! Seeded randomness shared by every model.
//!
//! One named generator (xoshiro256++) is used everywhere, so that the same seed gives the same
//! run on every machine and in every browser: `rand`'s `StdRng` may change its algorithm between
//! releases, a named generator never does.

use rand::{Rng as _, SeedableRng};

/// The generator behind every sampled number in genplay.
pub type Rng = rand_xoshiro::Xoshiro256PlusPlus;

/// A generator started from `seed`; equal seeds give equal streams.
pub fn seeded(seed: u64) -> Rng {
    Rng::seed_from_u64(seed)
}

/// A uniform draw from [0, 1).
pub fn uniform(rng: &mut Rng) -> f64 {
    rng.random::<f64>()
}

/// A draw from the standard normal N(0, 1), by the Box–Muller transform.
///
/// Box–Muller is used rather than a ziggurat because a student can check it by hand and it
/// consumes exactly two uniforms per call, which keeps runs easy to reason about.
pub fn standard_normal(rng: &mut Rng) -> f64 {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1 = 1.0 - uniform(rng);
    let u2 = uniform(rng);
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_different_seed_different_stream() {
        let a: Vec<f64> = (0..5)
            .map({
                let mut r = seeded(7);
                move |_| uniform(&mut r)
            })
            .collect();
        let b: Vec<f64> = (0..5)
            .map({
                let mut r = seeded(7);
                move |_| uniform(&mut r)
            })
            .collect();
        let c: Vec<f64> = (0..5)
            .map({
                let mut r = seeded(8);
                move |_| uniform(&mut r)
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn standard_normal_has_mean_zero_and_variance_one() {
        let mut r = seeded(1);
        let n = 200_000;
        let xs: Vec<f64> = (0..n).map(|_| standard_normal(&mut r)).collect();
        let mean = xs.iter().sum::<f64>() / n as f64;
        let var = xs.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (n as f64 - 1.0);
        // Standard errors: 1/sqrt(n) for the mean, sqrt(2/n) for the variance; allow 4 of them.
        assert!(mean.abs() < 4.0 / (n as f64).sqrt(), "mean {mean}");
        assert!(
            (var - 1.0).abs() < 4.0 * (2.0 / n as f64).sqrt(),
            "variance {var}"
        );
    }
}
