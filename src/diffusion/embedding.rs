//! The sinusoidal time embedding: the network sees the time u = t/T in [0, 1] not as one number
//! but as sines and cosines of it at geometrically spaced frequencies, so that a small network can
//! tell nearby times apart and still change smoothly with u (Vaswani et al.; Ho et al. use the
//! same idea for t).
//!
//! Owns [`EMBEDDING_DIM`], [`embed`] and [`network_inputs`], which lays out the rows
//! [x, y, embedding(u)] the network reads.

use std::sync::LazyLock;

/// Numbers in the embedding: a sine and a cosine at each of half as many frequencies.
pub const EMBEDDING_DIM: usize = 16;
/// The highest angular frequency, in radians per unit of u: the finest time detail resolved is
/// about 1/MAX_FREQUENCY of the whole process.
const MAX_FREQUENCY: f32 = 200.0;

/// The angular frequency of pair k: from 1 to [`MAX_FREQUENCY`], evenly spaced in log.
pub fn frequency(k: usize) -> f32 {
    let half = EMBEDDING_DIM / 2;
    (MAX_FREQUENCY.ln() * k as f32 / (half - 1) as f32).exp()
}

/// [`frequency`] of every pair, computed once: a training batch embeds hundreds of times, and
/// in wasm each `exp` is a library call.
static FREQUENCIES: LazyLock<[f32; EMBEDDING_DIM / 2]> =
    LazyLock::new(|| std::array::from_fn(frequency));

/// Writes [sin(ω₀u), cos(ω₀u), sin(ω₁u), cos(ω₁u), …] into `out` ([`EMBEDDING_DIM`] numbers).
pub fn embed(u: f32, out: &mut [f32]) {
    for (pair, omega) in out.chunks_exact_mut(2).zip(FREQUENCIES.iter()) {
        let (sin, cos) = (omega * u).sin_cos();
        pair[0] = sin;
        pair[1] = cos;
    }
}

/// The network's input rows [x, y, embedding(u)] for `points` (x, y pairs) at the times `times`
/// (one per point, or one for all), written into `out`.
pub fn network_inputs(points: &[f32], times: &[f32], out: &mut [f32]) {
    let width = 2 + EMBEDDING_DIM;
    let rows = points.len() / 2;
    assert_eq!(
        out.len(),
        rows * width,
        "out is not rows × (2 + EMBEDDING_DIM)"
    );
    assert!(
        times.len() == rows || times.len() == 1,
        "one time per point, or one for all"
    );
    // One time for all (a sampler's step): its embedding is computed once and copied.
    let mut shared = [0.0; EMBEDDING_DIM];
    if times.len() == 1 {
        embed(times[0], &mut shared);
    }
    for (i, (row, point)) in out
        .chunks_exact_mut(width)
        .zip(points.chunks_exact(2))
        .enumerate()
    {
        row[..2].copy_from_slice(point);
        if times.len() == 1 {
            row[2..].copy_from_slice(&shared);
        } else {
            embed(times[i], &mut row[2..]);
        }
    }
}
