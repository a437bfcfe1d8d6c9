//! Seeded randomness shared by every model.
//!
//! One named generator (xoshiro256++) is used everywhere, so that the same seed gives the same
//! run on every machine and in every browser: `rand`'s `StdRng` may change its algorithm between
//! releases, a named generator never does. This module also owns the one Box–Muller transform
//! ([`normal_pair`]) behind every normal draw, and the noise fills the networks' trainers use.

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

/// Two independent draws from the standard normal N(0, 1), by one Box–Muller transform of two
/// uniforms u₁, u₂: r cos θ and r sin θ with r = √(-2 ln(1 - u₁)) and θ = 2π u₂.
///
/// Box–Muller is used rather than a ziggurat because a student can check it by hand and it
/// consumes exactly two uniforms per transform, which keeps runs easy to reason about.
pub fn normal_pair(rng: &mut Rng) -> [f64; 2] {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1 = 1.0 - uniform(rng);
    let u2 = uniform(rng);
    let radius = (-2.0 * u1.ln()).sqrt();
    let angle = std::f64::consts::TAU * u2;
    [radius * angle.cos(), radius * angle.sin()]
}

/// One draw from the standard normal N(0, 1): the cosine half of [`normal_pair`] (the sine half
/// is dropped, so each call consumes two uniforms).
pub fn standard_normal(rng: &mut Rng) -> f64 {
    normal_pair(rng)[0]
}

/// Fills `out` with independent standard normal draws, both halves of each [`normal_pair`] (half
/// the logarithms and square roots of calling [`standard_normal`] for each; sampling is a visible
/// share of a small network's training step).
pub fn fill_standard_normal(rng: &mut Rng, out: &mut [f32]) {
    let mut pairs = out.chunks_exact_mut(2);
    for pair in &mut pairs {
        let [a, b] = normal_pair(rng);
        pair[0] = a as f32;
        pair[1] = b as f32;
    }
    if let [last] = pairs.into_remainder() {
        *last = normal_pair(rng)[0] as f32;
    }
}

/// Fills `out` with independent uniform draws from [-1, 1).
pub fn fill_signed_uniform(rng: &mut Rng, out: &mut [f32]) {
    out.iter_mut()
        .for_each(|v| *v = (2.0 * uniform(rng) - 1.0) as f32);
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
    fn every_normal_draw_is_one_box_muller_transform_by_hand() {
        let (mut a, mut b, mut c) = (seeded(4), seeded(4), seeded(4));
        let mut filled = [0.0f32; 5];
        fill_standard_normal(&mut c, &mut filled);
        for pair in 0..3 {
            let u1 = 1.0 - uniform(&mut a);
            let u2 = uniform(&mut a);
            let r = (-2.0 * u1.ln()).sqrt();
            let (sin, cos) = (std::f64::consts::TAU * u2).sin_cos();
            assert_eq!(standard_normal(&mut b), r * cos);
            assert_eq!(filled[2 * pair], (r * cos) as f32);
            if pair < 2 {
                assert_eq!(filled[2 * pair + 1], (r * sin) as f32);
            }
        }
        // The odd last entry used up a whole transform.
        assert_eq!(uniform(&mut b), uniform(&mut c));
    }

    #[test]
    fn signed_uniform_fill_covers_minus_one_to_one() {
        let mut values = vec![0.0f32; 10_000];
        fill_signed_uniform(&mut seeded(2), &mut values);
        assert!(values.iter().all(|v| (-1.0..1.0).contains(v)));
        let below = values.iter().filter(|&&v| v < -0.9).count();
        let above = values.iter().filter(|&&v| v > 0.9).count();
        // Each tenth of the range expects 500 of 10,000 (binomial standard deviation about 22).
        assert!(
            below.abs_diff(500) < 100 && above.abs_diff(500) < 100,
            "{below} {above}"
        );
    }

    #[test]
    fn standard_normal_fill_has_unit_variance_also_for_odd_lengths() {
        let mut values = vec![0.0f32; 100_001];
        fill_standard_normal(&mut seeded(3), &mut values);
        let n = values.len() as f64;
        let mean = values.iter().map(|&v| v as f64).sum::<f64>() / n;
        let variance = values
            .iter()
            .map(|&v| (v as f64 - mean).powi(2))
            .sum::<f64>()
            / n;
        assert!(
            mean.abs() < 0.015 && (variance - 1.0).abs() < 0.03,
            "{mean} {variance}"
        );
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
