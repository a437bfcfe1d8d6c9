//! The fast E-step: a blocked, fused loop and the polynomial `exp` it relies on.
//!
//! Owns [`exp`] and [`fused_e_step`]. Why it is fast:
//! - points are taken 256 at a time and every per-component quantity lives in its own contiguous
//!   row of a scratch block, so each inner loop runs over plain slices and auto-vectorises;
//! - E and M are fused: while the responsibilities r_ik are computed, the sufficient statistics
//!   Σ r, Σ r·(x-μ), Σ r·(x-μ)(x-μ)ᵀ are accumulated, so the M-step never reads the data again;
//! - `exp`, about half the work, is a branch-free polynomial instead of a libm call.
//!
//! The statistics are centred at the component means used in the E-step (not at 0): the new
//! covariance is then S2/N - s sᵀ with a small shift s = S1/N, which loses no digits when the
//! data sit far from the origin.

use super::model::{Dataset, GaussianMixture};

/// Points processed together: the scratch rows for K = 8 stay in L1 cache.
const BLOCK: usize = 256;
/// Independent accumulators per statistic so that the sums vectorise.
const LANES: usize = 8;

/// Below this argument [`exp`] returns exactly 0: e^-500 ≈ 7e-218, far below anything that
/// changes a responsibility, and cutting there keeps subnormals (slow on most CPUs) out.
pub const EXP_CUTOFF: f64 = -500.0;

/// e^r on |r| ≤ ln 2 / 2, highest power first: the degree-11 polynomial that interpolates e^r at
/// the 12 Chebyshev nodes of that interval (computed in 50-digit arithmetic). Chebyshev nodes
/// spread the error evenly, so degree 11 reaches 2.2e-16 relative (evaluated by Horner's rule;
/// 4.4e-16, two units in the last place, by Estrin's scheme, as [`exp`] does) where a Taylor
/// polynomial needs degree 13; two fewer multiply-adds per exponential is a tenth of the E-step.
const EXP_POLYNOMIAL: [f64; 12] = [
    2.511_003_760_596_377_7e-8,
    2.763_263_963_904_103e-7,
    2.755_724_091_857_897e-6,
    2.480_148_548_232_849_4e-5,
    1.984_126_989_004_711_3e-4,
    1.388_888_895_231_477_5e-3,
    8.333_333_333_319_601e-3,
    4.166_666_666_648_81e-2,
    1.666_666_666_666_668e-1,
    5.000_000_000_000_019e-1,
    1.0,
    1.0,
];

/// e^x for x ≤ 709, branch-free so that loops over it vectorise; 0 below [`EXP_CUTOFF`].
///
/// Range reduction x = k·ln 2 + r with |r| ≤ ln 2 / 2, then e^r by [`EXP_POLYNOMIAL`] and 2^k by
/// writing the exponent bits. The relative error against `f64::exp` is below 1e-15 (tested).
#[inline(always)]
pub fn exp(x: f64) -> f64 {
    const LN2_HI: f64 = 6.931_471_803_691_238e-1;
    const LN2_LO: f64 = 1.908_214_929_270_587_7e-10;
    // Adding 1.5·2^52 rounds to the nearest integer and leaves it in the low mantissa bits.
    const SHIFTER: f64 = 6_755_399_441_055_744.0;
    let clamped = x.clamp(EXP_CUTOFF, 709.0);
    let shifted = clamped * std::f64::consts::LOG2_E + SHIFTER;
    let k = shifted - SHIFTER;
    let r = (clamped - k * LN2_HI) - k * LN2_LO;
    // Estrin's scheme: pairs, then pairs of pairs, so that the multiply-adds form a tree four
    // deep instead of Horner's chain of eleven (the loops over points are bound by that depth).
    let a = |i: usize| EXP_POLYNOMIAL[11 - i];
    let r2 = r * r;
    let r4 = r2 * r2;
    let r8 = r4 * r4;
    let b0 = a(0) + a(1) * r;
    let b1 = a(2) + a(3) * r;
    let b2 = a(4) + a(5) * r;
    let b3 = a(6) + a(7) * r;
    let b4 = a(8) + a(9) * r;
    let b5 = a(10) + a(11) * r;
    let c0 = b0 + b1 * r2;
    let c1 = b2 + b3 * r2;
    let c2 = b4 + b5 * r2;
    let p = (c0 + c1 * r4) + c2 * r8;
    let k_int = (shifted.to_bits() as i64).wrapping_sub(SHIFTER.to_bits() as i64);
    let two_to_k = f64::from_bits(((k_int + 1023) as u64) << 52);
    if x < EXP_CUTOFF {
        0.0
    } else {
        p * two_to_k
    }
}

/// The M-step's inputs, summed over points during the E-step, centred at the E-step's means.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Statistics<const D: usize> {
    /// Σ_i r_ik: the effective number of points of each component.
    pub sum_r: Vec<f64>,
    /// Σ_i r_ik (x_i - μ_k).
    pub sum_r_diff: Vec<[f64; D]>,
    /// Σ_i r_ik (x_i - μ_k)(x_i - μ_k)ᵀ, lower triangle filled, upper mirrored.
    pub sum_r_outer: Vec<[[f64; D]; D]>,
}

impl<const D: usize> Statistics<D> {
    pub fn zeros(k: usize) -> Self {
        Self {
            sum_r: vec![0.0; k],
            sum_r_diff: vec![[0.0; D]; k],
            sum_r_outer: vec![[[0.0; D]; D]; k],
        }
    }
}

/// Reusable scratch so that an iteration allocates nothing.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scratch {
    /// K rows of BLOCK: log-weighted densities, then exponentials, then responsibilities.
    rows: Vec<f64>,
    max: Vec<f64>,
    sum: Vec<f64>,
}

/// One E-step over all points: fills `stats`, optionally the n×K `responsibilities`
/// (point-major), and returns Σ_i log p(x_i) under `mixture`.
///
/// On x86-64 CPUs with AVX2 the same code is compiled a second time for 4-wide vectors and
/// chosen at run time; the arithmetic, and so every result bit, is the same either way.
/// On wasm32 with simd128 the statistics' sums use explicit 2-wide vectors (see
/// `accumulate_whole`), which changes only the last bits.
pub(crate) fn fused_e_step<const D: usize>(
    data: &Dataset<D>,
    mixture: &GaussianMixture<D>,
    responsibilities: Option<&mut [f64]>,
    stats: &mut Statistics<D>,
    scratch: &mut Scratch,
) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU supports AVX2, checked just above.
        return unsafe { fused_e_step_avx2(data, mixture, responsibilities, stats, scratch) };
    }
    fused_e_step_body(data, mixture, responsibilities, stats, scratch)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn fused_e_step_avx2<const D: usize>(
    data: &Dataset<D>,
    mixture: &GaussianMixture<D>,
    responsibilities: Option<&mut [f64]>,
    stats: &mut Statistics<D>,
    scratch: &mut Scratch,
) -> f64 {
    fused_e_step_body(data, mixture, responsibilities, stats, scratch)
}

#[inline(always)]
fn fused_e_step_body<const D: usize>(
    data: &Dataset<D>,
    mixture: &GaussianMixture<D>,
    mut responsibilities: Option<&mut [f64]>,
    stats: &mut Statistics<D>,
    scratch: &mut Scratch,
) -> f64 {
    let k_count = mixture.k();
    *stats = Statistics::zeros(k_count);
    scratch.rows.resize(k_count * BLOCK, 0.0);
    scratch.max.resize(BLOCK, 0.0);
    scratch.sum.resize(BLOCK, 0.0);
    let log_weights: Vec<f64> = mixture.weights().iter().map(|w| w.ln()).collect();
    let columns = data.columns();
    let n = data.len();
    let mut total = 0.0;
    let mut start = 0;
    while start < n {
        let len = BLOCK.min(n - start);
        let block: [&[f64]; D] = std::array::from_fn(|a| &columns[a][start..start + len]);
        let max = &mut scratch.max[..len];
        let sum = &mut scratch.sum[..len];

        // crate::prob::log_sum_exp over the components, one block of points at a time (the
        // maximum, kept while the rows are written, then the shifted sum), so that each pass runs
        // down contiguous rows.
        max.fill(f64::NEG_INFINITY);
        for k in 0..k_count {
            let row = &mut scratch.rows[k * BLOCK..k * BLOCK + len];
            let pre = &mixture.precomputed()[k];
            let mean = mixture.means()[k];
            let constant = log_weights[k] + pre.log_normaliser;
            for (i, (out, m)) in row.iter_mut().zip(max.iter_mut()).enumerate() {
                let diff: [f64; D] = std::array::from_fn(|a| block[a][i] - mean[a]);
                let mut q = 0.0;
                for a in 0..D {
                    q += pre.precision[a][a] * diff[a] * diff[a];
                    for b in 0..a {
                        q += 2.0 * pre.precision[a][b] * diff[a] * diff[b];
                    }
                }
                let v = constant - 0.5 * q;
                *out = v;
                *m = if v > *m { v } else { *m };
            }
        }

        sum.fill(0.0);
        for k in 0..k_count {
            let row = &mut scratch.rows[k * BLOCK..k * BLOCK + len];
            for ((v, &m), s) in row.iter_mut().zip(max.iter()).zip(sum.iter_mut()) {
                *v = exp(*v - m);
                *s += *v;
            }
        }
        total += max.iter().sum::<f64>() + sum_of_logs(sum);
        for s in sum.iter_mut() {
            *s = 1.0 / *s;
        }

        for k in 0..k_count {
            let row = &mut scratch.rows[k * BLOCK..k * BLOCK + len];
            let mean = mixture.means()[k];
            for (v, &inv) in row.iter_mut().zip(sum.iter()) {
                *v *= inv;
            }
            accumulate(row, &block, &mean, k, stats);
        }

        if let Some(out) = responsibilities.as_deref_mut() {
            let out = &mut out[start * k_count..(start + len) * k_count];
            for k in 0..k_count {
                let row = &scratch.rows[k * BLOCK..k * BLOCK + len];
                for (i, &r) in row.iter().enumerate() {
                    out[i * k_count + k] = r;
                }
            }
        }
        start += len;
    }
    for outer in &mut stats.sum_r_outer {
        for a in 0..D {
            for b in a + 1..D {
                outer[a][b] = outer[b][a];
            }
        }
    }
    total
}

/// Σ ln s_i for a block of sums, each in [1, K].
///
/// The largest term of each sum is e^0 = 1, so every s_i ≥ 1 and is at most K. Rather than one
/// `ln` per point, products of 32 sums are taken (at most K^32, finite for K < 2^31) and their
/// logs added: 8 `ln` calls per 256 points instead of 256.
#[inline(always)]
fn sum_of_logs(sums: &[f64]) -> f64 {
    let mut products = [1.0; LANES];
    let whole = sums.len() / LANES * LANES;
    for chunk in sums[..whole].chunks_exact(LANES) {
        for (p, &s) in products.iter_mut().zip(chunk) {
            *p *= s;
        }
    }
    products.iter().map(|p| p.ln()).sum::<f64>() + sums[whole..].iter().map(|s| s.ln()).sum::<f64>()
}

/// Adds one block's Σ r, Σ r·diff and Σ r·diff·diffᵀ for component `k` to `stats`.
#[inline(always)]
fn accumulate<const D: usize>(
    resp: &[f64],
    block: &[&[f64]; D],
    mean: &[f64; D],
    k: usize,
    stats: &mut Statistics<D>,
) {
    let mut sum_r = [0.0; LANES];
    let mut sum_r_diff = [[0.0; LANES]; D];
    let mut sum_r_outer = [[[0.0; LANES]; D]; D];
    let whole = resp.len() / LANES * LANES;
    accumulate_whole(
        &resp[..whole],
        block,
        mean,
        &mut sum_r,
        &mut sum_r_diff,
        &mut sum_r_outer,
    );
    for i in whole..resp.len() {
        let r = resp[i];
        sum_r[0] += r;
        for a in 0..D {
            let rd = r * (block[a][i] - mean[a]);
            sum_r_diff[a][0] += rd;
            for b in 0..=a {
                sum_r_outer[a][b][0] += rd * (block[b][i] - mean[b]);
            }
        }
    }
    stats.sum_r[k] += sum_r.iter().sum::<f64>();
    for a in 0..D {
        stats.sum_r_diff[k][a] += sum_r_diff[a].iter().sum::<f64>();
        for b in 0..=a {
            stats.sum_r_outer[k][a][b] += sum_r_outer[a][b].iter().sum::<f64>();
        }
    }
}

/// Σ r, Σ r·diff and Σ r·diff·diffᵀ over `resp` (a whole number of LANES points), lane by lane:
/// lane l sums the points i ≡ l (mod LANES).
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
#[inline(always)]
fn accumulate_whole<const D: usize>(
    resp: &[f64],
    block: &[&[f64]; D],
    mean: &[f64; D],
    sum_r: &mut [f64; LANES],
    sum_r_diff: &mut [[f64; LANES]; D],
    sum_r_outer: &mut [[[f64; LANES]; D]; D],
) {
    // Fixed-size chunks: one bounds check per chunk instead of one per element, and lane loops
    // over arrays that the compiler unrolls and vectorises (simd128 on the web).
    for (c, r_chunk) in resp.chunks_exact(LANES).enumerate() {
        let r: &[f64; LANES] = r_chunk.try_into().expect("chunks_exact gives LANES");
        let x: [&[f64; LANES]; D] = std::array::from_fn(|a| {
            block[a][c * LANES..(c + 1) * LANES]
                .try_into()
                .expect("a block column is as long as its responsibilities")
        });
        for lane in 0..LANES {
            sum_r[lane] += r[lane];
        }
        let diff: [[f64; LANES]; D] =
            std::array::from_fn(|a| std::array::from_fn(|lane| x[a][lane] - mean[a]));
        for a in 0..D {
            let rd: [f64; LANES] = std::array::from_fn(|lane| r[lane] * diff[a][lane]);
            for lane in 0..LANES {
                sum_r_diff[a][lane] += rd[lane];
            }
            for b in 0..=a {
                for lane in 0..LANES {
                    sum_r_outer[a][b][lane] += rd[lane] * diff[b][lane];
                }
            }
        }
    }
}

/// The same sums with explicit 2-wide vectors: LLVM does not pack the portable lane loops into
/// simd128 (it leaves them scalar), and these sums are a third of the E-step. Points go four at a
/// time into two vectors per statistic (lanes 0-1 and 2-3), so the summation order, and so the
/// result, differs from the portable code only in the last bits.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn accumulate_whole<const D: usize>(
    resp: &[f64],
    block: &[&[f64]; D],
    mean: &[f64; D],
    sum_r: &mut [f64; LANES],
    sum_r_diff: &mut [[f64; LANES]; D],
    sum_r_outer: &mut [[[f64; LANES]; D]; D],
) {
    use core::arch::wasm32::{
        f64x2_add, f64x2_extract_lane, f64x2_mul, f64x2_splat, f64x2_sub, v128, v128_load,
    };
    for a in 0..D {
        assert!(
            block[a].len() >= resp.len(),
            "a block column covers its responsibilities"
        );
    }
    let zero = f64x2_splat(0.0);
    let m: [v128; D] = std::array::from_fn(|a| f64x2_splat(mean[a]));
    let mut sr = [zero; 2];
    let mut sd = [[zero; 2]; D];
    let mut so = [[[zero; 2]; D]; D];
    // SAFETY: every load reads two f64 at i + 2h ≤ resp.len() - 2, inside `resp` and, by the
    // assertion above, inside every block column; v128_load allows unaligned addresses.
    let load =
        |column: &[f64], i: usize| unsafe { v128_load(column.as_ptr().add(i) as *const v128) };
    for i in (0..resp.len() / 4 * 4).step_by(4) {
        for h in 0..2 {
            let r = load(resp, i + 2 * h);
            sr[h] = f64x2_add(sr[h], r);
            let diff: [v128; D] =
                std::array::from_fn(|a| f64x2_sub(load(block[a], i + 2 * h), m[a]));
            for a in 0..D {
                let rd = f64x2_mul(r, diff[a]);
                sd[a][h] = f64x2_add(sd[a][h], rd);
                for b in 0..=a {
                    so[a][b][h] = f64x2_add(so[a][b][h], f64x2_mul(rd, diff[b]));
                }
            }
        }
    }
    let lanes = |v: &[v128; 2], out: &mut [f64; LANES]| {
        out[0] += f64x2_extract_lane::<0>(v[0]);
        out[1] += f64x2_extract_lane::<1>(v[0]);
        out[2] += f64x2_extract_lane::<0>(v[1]);
        out[3] += f64x2_extract_lane::<1>(v[1]);
    };
    lanes(&sr, sum_r);
    for a in 0..D {
        lanes(&sd[a], &mut sum_r_diff[a]);
        for b in 0..=a {
            lanes(&so[a][b], &mut sum_r_outer[a][b]);
        }
    }
}
