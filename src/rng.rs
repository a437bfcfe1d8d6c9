//! Seeded randomness shared by every model.
//!
//! One named generator (xoshiro256++) is used everywhere, so that the same seed gives the same
//! run on every machine and in every browser: `rand`'s `StdRng` may change its algorithm between
//! releases, a named generator never does. This module also owns the one Box–Muller transform
//! ([`normal_pair`]) behind every normal draw, and the noise fills the networks' trainers use.

use rand::Rng as _;

/// The generator behind every sampled number in genplay: xoshiro256++ (Blackman and Vigna),
/// written out here rather than taken from `rand_xoshiro` because a run's state travels between
/// instances of the module (a Web Worker trains a copy of the page's run) and that crate keeps
/// its four words private. Its stream is `rand_xoshiro`'s, word for word (a test holds it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    s: [u64; 4],
}

/// A generator started from `seed`; equal seeds give equal streams.
pub fn seeded(seed: u64) -> Rng {
    // Seeded through SplitMix64, as `rand_xoshiro`'s `seed_from_u64` does: four of its outputs
    // are the four words (never all zero).
    let mut x = seed;
    let s = std::array::from_fn(|_| {
        x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    });
    Rng { s }
}

impl Rng {
    /// The generator's four words: with [`Rng::from_state`], the rest of its stream.
    pub fn state(&self) -> [u64; 4] {
        self.s
    }

    /// The generator whose [`Rng::state`] is `s`; None for all zeros, a state xoshiro never
    /// reaches (it would give zeros for ever).
    pub fn from_state(s: [u64; 4]) -> Option<Rng> {
        (s != [0; 4]).then_some(Rng { s })
    }
}

impl rand::RngCore for Rng {
    fn next_u32(&mut self) -> u32 {
        // The upper half: the lowest bits have some linear dependencies.
        (self.next_u64() >> 32) as u32
    }

    fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    fn fill_bytes(&mut self, dest: &mut [u8]) {
        rand::rand_core::impls::fill_bytes_via_next(self, dest);
    }
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
    fn the_stream_is_rand_xoshiros_and_the_state_carries_it() {
        use rand::{RngCore, SeedableRng};
        for seed in [0, 1, 7, u32::MAX as u64, u64::MAX] {
            let mut ours = seeded(seed);
            let mut theirs = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
            for _ in 0..1000 {
                assert_eq!(ours.next_u64(), theirs.next_u64(), "seed {seed}");
            }
            assert_eq!(uniform(&mut ours), theirs.random::<f64>());
            let mut copy = Rng::from_state(ours.state()).expect("a reachable state");
            let mut bytes = [0u8; 11];
            ours.fill_bytes(&mut bytes);
            let mut copied = [0u8; 11];
            copy.fill_bytes(&mut copied);
            assert_eq!(bytes, copied);
            assert_eq!(ours.next_u32(), copy.next_u32());
        }
        assert_eq!(Rng::from_state([0; 4]), None);
    }

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
