//! Fast f32 versions of exp, log, log1p, sigmoid, softplus and tanh.
//!
//! The library functions (`f32::exp` and friends) are scalar calls that stop the compiler from
//! vectorising a loop; these are the classic Cephes polynomials written with plain arithmetic,
//! bit tricks and selects only, so loops over slices auto-vectorise (SSE/NEON natively,
//! simd128 in WebAssembly). Relative error is about 3e-7 over the ranges the networks use.

const LOG2_E: f32 = std::f32::consts::LOG2_E;
// ln 2 split in a part with few mantissa bits and a correction, so `x - n ln 2` is exact.
const LN2_HIGH: f32 = 0.693_359_4;
const LN2_LOW: f32 = -2.121_944_4e-4;
// Adding then subtracting 1.5 * 2^23 rounds to the nearest integer without a `round` call,
// which baseline SSE2 cannot vectorise.
const ROUNDING_MAGIC: f32 = 12_582_912.0;

/// e^x, clamped so the result is always a finite normal number (about 1.2e-38 to 1.7e38).
#[inline(always)]
pub fn exp(x: f32) -> f32 {
    let x = x.clamp(-87.3, 88.3);
    let n = (x * LOG2_E + ROUNDING_MAGIC) - ROUNDING_MAGIC;
    let r = x - n * LN2_HIGH - n * LN2_LOW;
    let r2 = r * r;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_5e-1)
        * r
        + 5e-1;
    let poly = p * r2 + r + 1.0;
    let scale = f32::from_bits((((n as i32) + 127) as u32) << 23);
    poly * scale
}

/// Natural logarithm of a positive, finite, normal `x`.
#[inline(always)]
pub fn ln(x: f32) -> f32 {
    let bits = x.to_bits();
    let exponent = ((bits >> 23) & 0xff) as i32 - 126;
    // Mantissa scaled into [0.5, 1).
    let mantissa = f32::from_bits((bits & 0x807f_ffff) | 0x3f00_0000);
    // Re-centre the mantissa on 1 so the polynomial only sees [sqrt(1/2) - 1, sqrt(2) - 1).
    let small = mantissa < std::f32::consts::FRAC_1_SQRT_2;
    let e = (exponent - i32::from(small)) as f32;
    let m = if small {
        mantissa + mantissa - 1.0
    } else {
        mantissa - 1.0
    };
    let z = m * m;
    let p = ((((((((7.037_683_6e-2 * m - 1.151_461e-1) * m + 1.167_699_9e-1) * m
        - 1.242_014_1e-1)
        * m
        + 1.424_932_3e-1)
        * m
        - 1.666_805_8e-1)
        * m
        + 2.000_071_5e-1)
        * m
        - 2.499_999_4e-1)
        * m
        + 3.333_333e-1)
        * m
        * z;
    let y = p + e * LN2_LOW - 0.5 * z;
    m + y + e * LN2_HIGH
}

/// ln(1 + y) for y ≥ 0, accurate also for tiny y.
#[inline(always)]
pub fn ln_1p(y: f32) -> f32 {
    let u = 1.0 + y;
    // ln(u) * y / (u - 1) cancels the rounding error made when forming 1 + y (Goldberg's trick).
    let corrected = ln(u) * (y / (u - 1.0));
    if u == 1.0 {
        y
    } else {
        corrected
    }
}

/// The logistic function 1 / (1 + e^-x).
#[inline(always)]
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + exp(-x))
}

/// softplus(x) = ln(1 + e^x), written as max(x, 0) + ln(1 + e^-|x|) so it never overflows.
#[inline(always)]
pub fn softplus(x: f32) -> f32 {
    x.max(0.0) + ln_1p(exp(-x.abs()))
}

/// The hyperbolic tangent.
#[inline(always)]
pub fn tanh(x: f32) -> f32 {
    let a = x.abs();
    // Near zero 1 - 2/(e^2a + 1) loses relative accuracy to cancellation; a short odd
    // polynomial is exact enough there.
    let z = x * x;
    let near_zero =
        ((((-5.704_988_7e-3 * z + 2.063_909e-2) * z - 5.373_971_6e-2) * z + 1.333_144_2e-1) * z
            - 3.333_328e-1)
            * z
            * x
            + x;
    let far = (1.0 - 2.0 / (exp(2.0 * a) + 1.0)).copysign(x);
    if a < 0.625 {
        near_zero
    } else {
        far
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn max_relative_error(
        fast: impl Fn(f32) -> f32,
        exact: impl Fn(f64) -> f64,
        xs: &[f32],
    ) -> f64 {
        xs.iter()
            .map(|&x| {
                let e = exact(x as f64);
                ((fast(x) as f64 - e) / e.abs().max(1e-30)).abs()
            })
            .fold(0.0, f64::max)
    }

    fn grid(lo: f32, hi: f32, n: usize) -> Vec<f32> {
        (0..n)
            .map(|i| lo + (hi - lo) * i as f32 / (n - 1) as f32)
            .collect()
    }

    #[test]
    fn exp_matches_the_library_to_a_few_ulps() {
        let err = max_relative_error(exp, f64::exp, &grid(-80.0, 80.0, 100_001));
        assert!(err < 5e-7, "exp relative error {err}");
    }

    #[test]
    fn ln_and_ln_1p_match_the_library() {
        let err = max_relative_error(ln, f64::ln, &grid(1e-30, 1e30, 100_001));
        assert!(err < 5e-7, "ln relative error {err}");
        let small: Vec<f32> = (0..200)
            .map(|i| 10f32.powf(-12.0 + i as f32 * 0.06))
            .collect();
        let err = max_relative_error(ln_1p, f64::ln_1p, &small);
        assert!(err < 5e-7, "ln_1p relative error {err}");
    }

    #[test]
    fn sigmoid_softplus_and_tanh_match_closed_forms() {
        let xs = grid(-30.0, 30.0, 60_001);
        let err = max_relative_error(sigmoid, |x| 1.0 / (1.0 + (-x).exp()), &xs);
        assert!(err < 1e-6, "sigmoid relative error {err}");
        let err = max_relative_error(softplus, |x| x.max(0.0) + (-x.abs()).exp().ln_1p(), &xs);
        assert!(err < 1e-6, "softplus relative error {err}");
        let err = max_relative_error(tanh, f64::tanh, &grid(-9.0, 9.0, 60_000));
        assert!(err < 1e-6, "tanh relative error {err}");
        assert!(sigmoid(-200.0) < 1e-37);
        assert_eq!(softplus(200.0), 200.0);
    }
}
