//! Matrix products, the hot spot of every forward and backward pass.
//!
//! Two fast kernels and their plain reference versions (kept for the tests that prove them equal):
//! - [`matmul`]: C = A·B with B row-major and A read through strides, so the same kernel computes
//!   X·W (forward), Xᵀ·dY (weight gradients) and dY·Wᵀ (input gradients, with Wᵀ copied out).
//!   It works on tiles of 4 rows × 8 columns held in a `[[f32; 8]; 4]` accumulator: plain Rust
//!   that the compiler keeps in eight 4-lane vector registers (measured as fast as hand-written
//!   intrinsics in V8; 16-accumulator tiles were slower there).
//! - [`matmul_narrow`]: C = A·Btᵀ for at most [`NARROW_MAX`] output columns (the discriminator's
//!   logit, the generator's 2-D sample), as dot products vectorised along the shared dimension,
//!   where an 8-column tile would waste most of its lanes.

/// Tile height: rows of C computed together.
const TILE_ROWS: usize = 4;
/// Tile width: columns of C computed together (two 4-lane vectors).
const TILE_COLUMNS: usize = 8;
/// Columns of A (the shared dimension) packed at a time; 4 KiB of stack.
const PANEL_DEPTH: usize = 256;
/// The widest output that [`matmul_narrow`] handles.
pub const NARROW_MAX: usize = 4;

/// Where the entries of a left-hand matrix A live: A(i, k) = `data[i * row_stride + k * column_stride]`.
///
/// A row-major m×k matrix has strides (k, 1); the transpose of a row-major k×m matrix has (1, m).
#[derive(Clone, Copy, Debug)]
pub struct Strided<'a> {
    pub data: &'a [f32],
    pub row_stride: usize,
    pub column_stride: usize,
}

impl<'a> Strided<'a> {
    /// A row-major matrix with `columns` columns.
    pub fn rows(data: &'a [f32], columns: usize) -> Self {
        Self {
            data,
            row_stride: columns,
            column_stride: 1,
        }
    }

    /// The transpose of a row-major matrix that has `columns` columns.
    pub fn transposed(data: &'a [f32], columns: usize) -> Self {
        Self {
            data,
            row_stride: 1,
            column_stride: columns,
        }
    }

    #[inline(always)]
    fn at(&self, i: usize, k: usize) -> f32 {
        self.data[i * self.row_stride + k * self.column_stride]
    }

    fn check(&self, m: usize, k: usize) {
        if m > 0 && k > 0 {
            let last = (m - 1) * self.row_stride + (k - 1) * self.column_stride;
            assert!(last < self.data.len(), "left matrix too short for {m}×{k}");
        }
    }
}

/// C (m×n, row-major) = A (m×k) · B (k×n, row-major), straightforwardly. The yardstick for [`matmul`].
pub fn matmul_reference(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    for i in 0..m {
        for j in 0..n {
            let mut sum = 0.0f32;
            for kk in 0..k {
                sum += a.at(i, kk) * b[kk * n + j];
            }
            c[i * n + j] = sum;
        }
    }
}

/// C (m×n, row-major) = A (m×k) · B (k×n, row-major), overwriting C.
pub fn matmul(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    #[cfg(all(target_arch = "wasm32", feature = "relaxed-simd"))]
    tiled_fused(m, n, k, a, b, c);
    #[cfg(not(all(target_arch = "wasm32", feature = "relaxed-simd")))]
    tiled(m, n, k, a, b, c);
}

/// [`tiled`] where relaxed SIMD may be used: its fused [`full_tile`] is inlined only into a
/// function that has the feature. A function's feature, rather than the whole build's, lets this
/// build share every dependency's compilation with the plain one.
#[cfg(all(target_arch = "wasm32", feature = "relaxed-simd"))]
#[target_feature(enable = "relaxed-simd")]
fn tiled_fused(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    tiled(m, n, k, a, b, c);
}

#[inline(always)]
fn tiled(m: usize, n: usize, k: usize, a: Strided, b: &[f32], c: &mut [f32]) {
    a.check(m, k);
    assert!(b.len() >= k * n, "right matrix too short for {k}×{n}");
    assert!(c.len() >= m * n, "output too short for {m}×{n}");
    if k == 0 {
        c[..m * n].fill(0.0);
        return;
    }
    // A is copied, four rows and up to PANEL_DEPTH columns at a time, into a contiguous panel
    // (zero rows pad the last block): the tile loop then reads it with no stride arithmetic and
    // no bounds checks, and the copy is shared by every column tile of those rows.
    let mut panel = [[0.0f32; TILE_ROWS]; PANEL_DEPTH];
    for i0 in (0..m).step_by(TILE_ROWS) {
        let rows = (m - i0).min(TILE_ROWS);
        for k0 in (0..k).step_by(PANEL_DEPTH) {
            let depth = (k - k0).min(PANEL_DEPTH);
            for (t, slot) in panel[..depth].iter_mut().enumerate() {
                for (r, value) in slot.iter_mut().enumerate() {
                    *value = if r < rows { a.at(i0 + r, k0 + t) } else { 0.0 };
                }
            }
            let panel = &panel[..depth];
            let b_block = &b[k0 * n..(k0 + depth) * n];
            for j0 in (0..n).step_by(TILE_COLUMNS) {
                let width = (n - j0).min(TILE_COLUMNS);
                let acc = if width == TILE_COLUMNS {
                    full_tile(panel, b_block, n, j0)
                } else {
                    partial_tile(panel, b_block, n, j0, width)
                };
                for (r, acc_row) in acc.iter().enumerate().take(rows) {
                    let start = (i0 + r) * n + j0;
                    store(&mut c[start..start + width], acc_row, k0 == 0);
                }
            }
        }
    }
}

/// Writes (`first`) or adds a tile row into `out`. A full row is stored as one fixed-size
/// array: a slice copy of variable length compiles to `memory.copy`, a call out of the wasm
/// code in V8 that cost more than the eight values it moves, four times per tile.
#[inline(always)]
fn store(out: &mut [f32], acc_row: &[f32; TILE_COLUMNS], first: bool) {
    if let Ok(full) = <&mut [f32; TILE_COLUMNS]>::try_from(&mut *out) {
        if first {
            *full = *acc_row;
        } else {
            full.iter_mut().zip(acc_row).for_each(|(o, a)| *o += a);
        }
    } else {
        for (o, &a) in out.iter_mut().zip(acc_row) {
            *o = if first { a } else { *o + a };
        }
    }
}

/// What a full tile multiplies at each step of the shared dimension: the panel's four values
/// of A and the eight values of B's row from `j0`.
#[inline(always)]
fn tile_steps<'a>(
    panel: &'a [[f32; TILE_ROWS]],
    b: &'a [f32],
    n: usize,
    j0: usize,
) -> impl Iterator<Item = (&'a [f32; TILE_ROWS], &'a [f32; TILE_COLUMNS])> {
    panel
        .iter()
        .zip(b.chunks_exact(n))
        .map(move |(a_values, b_row)| {
            let b_values: &[f32; TILE_COLUMNS] =
                b_row[j0..j0 + TILE_COLUMNS].try_into().expect("tile width");
            (a_values, b_values)
        })
}

/// Rows of A (a packed panel, `[A(i0..i0+4, k)]` for each k) times 8 columns of B from `j0`.
#[cfg(not(all(target_arch = "wasm32", feature = "relaxed-simd")))]
#[inline(always)]
fn full_tile(
    panel: &[[f32; TILE_ROWS]],
    b: &[f32],
    n: usize,
    j0: usize,
) -> [[f32; TILE_COLUMNS]; TILE_ROWS] {
    let mut acc = [[0.0f32; TILE_COLUMNS]; TILE_ROWS];
    for (a_values, b_values) in tile_steps(panel, b, n, j0) {
        for (acc_row, &a_value) in acc.iter_mut().zip(a_values) {
            for (sum, &b_value) in acc_row.iter_mut().zip(b_values) {
                *sum += a_value * b_value;
            }
        }
    }
    acc
}

/// [`full_tile`] with relaxed SIMD's multiply-add, for the page's second wasm build
/// (scripts/build-wasm.sh). Where the machine has a fused multiply-add (every x86 since 2013,
/// every 64-bit ARM) V8 emits one instruction for the two, about 1.25× the tile's speed here;
/// the rounding then differs from the separate product and sum in the last bits, which the
/// README states. LLVM never fuses plain `a * b + c` by itself, so this is the one place.
#[cfg(all(target_arch = "wasm32", feature = "relaxed-simd"))]
#[inline(always)]
fn full_tile(
    panel: &[[f32; TILE_ROWS]],
    b: &[f32],
    n: usize,
    j0: usize,
) -> [[f32; TILE_COLUMNS]; TILE_ROWS] {
    use core::arch::wasm32::{f32x4, f32x4_extract_lane, f32x4_relaxed_madd, f32x4_splat, v128};
    let load = |values: &[f32]| f32x4(values[0], values[1], values[2], values[3]);
    let mut acc = [[f32x4_splat(0.0); 2]; TILE_ROWS];
    for (a_values, b_values) in tile_steps(panel, b, n, j0) {
        let (low, high) = (load(&b_values[..4]), load(&b_values[4..]));
        for (acc_row, &a_value) in acc.iter_mut().zip(a_values) {
            let a = f32x4_splat(a_value);
            acc_row[0] = f32x4_relaxed_madd(a, low, acc_row[0]);
            acc_row[1] = f32x4_relaxed_madd(a, high, acc_row[1]);
        }
    }
    let lanes = |v: v128| {
        [
            f32x4_extract_lane::<0>(v),
            f32x4_extract_lane::<1>(v),
            f32x4_extract_lane::<2>(v),
            f32x4_extract_lane::<3>(v),
        ]
    };
    acc.map(|[low, high]| {
        let (low, high) = (lanes(low), lanes(high));
        [
            low[0], low[1], low[2], low[3], high[0], high[1], high[2], high[3],
        ]
    })
}

/// Like [`full_tile`] for the last `width` (< 8) columns.
#[inline(always)]
fn partial_tile(
    panel: &[[f32; TILE_ROWS]],
    b: &[f32],
    n: usize,
    j0: usize,
    width: usize,
) -> [[f32; TILE_COLUMNS]; TILE_ROWS] {
    let mut acc = [[0.0f32; TILE_COLUMNS]; TILE_ROWS];
    for (a_values, b_row) in panel.iter().zip(b.chunks_exact(n)) {
        let b_values = &b_row[j0..j0 + width];
        for (acc_row, &a_value) in acc.iter_mut().zip(a_values) {
            for (sum, &b_value) in acc_row.iter_mut().zip(b_values) {
                *sum += a_value * b_value;
            }
        }
    }
    acc
}

/// C (m×n) = A (m×k, row-major) · Btᵀ where Bt is n×k row-major, straightforwardly.
pub fn matmul_narrow_reference(m: usize, n: usize, k: usize, a: &[f32], bt: &[f32], c: &mut [f32]) {
    for i in 0..m {
        for j in 0..n {
            let mut sum = 0.0f32;
            for kk in 0..k {
                sum += a[i * k + kk] * bt[j * k + kk];
            }
            c[i * n + j] = sum;
        }
    }
}

/// C (m×n) = A (m×k, row-major) · Btᵀ where Bt is n×k row-major and n ≤ [`NARROW_MAX`].
pub fn matmul_narrow(m: usize, n: usize, k: usize, a: &[f32], bt: &[f32], c: &mut [f32]) {
    assert!(
        n <= NARROW_MAX,
        "narrow product has at most {NARROW_MAX} columns, got {n}"
    );
    assert!(a.len() >= m * k && bt.len() >= n * k && c.len() >= m * n);
    for (a_row, c_row) in a.chunks_exact(k).zip(c.chunks_exact_mut(n)).take(m) {
        for (j, out) in c_row.iter_mut().enumerate() {
            *out = dot(a_row, &bt[j * k..(j + 1) * k]);
        }
    }
}

/// x·y with eight partial sums, so the loop vectorises and the additions pipeline.
#[inline(always)]
pub fn dot(x: &[f32], y: &[f32]) -> f32 {
    let mut acc = [0.0f32; TILE_COLUMNS];
    let mut x_chunks = x.chunks_exact(TILE_COLUMNS);
    let mut y_chunks = y.chunks_exact(TILE_COLUMNS);
    for (xc, yc) in (&mut x_chunks).zip(&mut y_chunks) {
        for l in 0..TILE_COLUMNS {
            acc[l] += xc[l] * yc[l];
        }
    }
    let tail: f32 = x_chunks
        .remainder()
        .iter()
        .zip(y_chunks.remainder())
        .map(|(a, b)| a * b)
        .sum();
    let halves = [
        acc[0] + acc[4],
        acc[1] + acc[5],
        acc[2] + acc[6],
        acc[3] + acc[7],
    ];
    (halves[0] + halves[2]) + (halves[1] + halves[3]) + tail
}

/// The sum of `x` with eight partial sums, as [`dot`] (a single running sum waits on every
/// addition: over a network's parameters it costs more than the vectorised pass).
#[inline(always)]
pub fn sum(x: &[f32]) -> f32 {
    let mut acc = [0.0f32; TILE_COLUMNS];
    let mut chunks = x.chunks_exact(TILE_COLUMNS);
    for chunk in &mut chunks {
        for l in 0..TILE_COLUMNS {
            acc[l] += chunk[l];
        }
    }
    let tail: f32 = chunks.remainder().iter().sum();
    let halves = [
        acc[0] + acc[4],
        acc[1] + acc[5],
        acc[2] + acc[6],
        acc[3] + acc[7],
    ];
    (halves[0] + halves[2]) + (halves[1] + halves[3]) + tail
}

/// Sides of the square blocks [`transpose`] copies: a block's rows and columns both stay in
/// cache, where a row-by-row copy writes every value to a different cache line.
const TRANSPOSE_BLOCK: usize = 16;

/// Writes the transpose of the row-major `rows`×`columns` matrix `source` into `target`.
pub fn transpose(rows: usize, columns: usize, source: &[f32], target: &mut [f32]) {
    assert!(source.len() >= rows * columns && target.len() >= rows * columns);
    for r0 in (0..rows).step_by(TRANSPOSE_BLOCK) {
        let r1 = (r0 + TRANSPOSE_BLOCK).min(rows);
        for c0 in (0..columns).step_by(TRANSPOSE_BLOCK) {
            let c1 = (c0 + TRANSPOSE_BLOCK).min(columns);
            for r in r0..r1 {
                let row = &source[r * columns + c0..r * columns + c1];
                for (c, &value) in (c0..c1).zip(row) {
                    target[c * rows + r] = value;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filled(len: usize, seed: u32) -> Vec<f32> {
        // A cheap deterministic pattern with varied signs and magnitudes.
        (0..len)
            .map(|i| {
                (((i as u32).wrapping_mul(2_654_435_761).wrapping_add(seed) >> 8) % 2000) as f32
                    / 1000.0
                    - 1.0
            })
            .collect()
    }

    fn assert_close(fast: &[f32], reference: &[f32], k: usize) {
        for (i, (x, y)) in fast.iter().zip(reference).enumerate() {
            // Sums of k products of numbers below 1 in different orders differ by at most ~k ulps.
            assert!(
                (x - y).abs() <= 1e-6 * k as f32 + 1e-6,
                "entry {i}: {x} vs {y}"
            );
        }
    }

    #[test]
    fn tiled_matmul_equals_reference_for_edge_sizes_and_both_layouts() {
        for &(m, n, k) in &[
            (1, 1, 1),
            (3, 7, 5),
            (4, 8, 1),
            (5, 9, 13),
            (17, 33, 3),
            (256, 64, 2),
            (2, 64, 256),
            (64, 64, 64),
        ] {
            let a = filled(m * k, 1);
            let b = filled(k * n, 2);
            let mut fast = vec![f32::NAN; m * n];
            let mut reference = vec![0.0; m * n];
            matmul(m, n, k, Strided::rows(&a, k), &b, &mut fast);
            matmul_reference(m, n, k, Strided::rows(&a, k), &b, &mut reference);
            assert_close(&fast, &reference, k);
            // The same numbers stored as the transpose of a k×m matrix.
            let mut at = vec![0.0; m * k];
            transpose(m, k, &a, &mut at);
            matmul(m, n, k, Strided::transposed(&at, m), &b, &mut fast);
            assert_close(&fast, &reference, k);
        }
    }

    #[test]
    fn blocked_transpose_and_sum_equal_the_plain_loops() {
        for &(rows, columns) in &[(1, 1), (3, 17), (16, 16), (33, 20), (256, 784)] {
            let source = filled(rows * columns, 5);
            let mut target = vec![f32::NAN; rows * columns];
            transpose(rows, columns, &source, &mut target);
            for r in 0..rows {
                for c in 0..columns {
                    assert_eq!(target[c * rows + r], source[r * columns + c]);
                }
            }
            let plain: f64 = source.iter().map(|&v| v as f64).sum();
            assert!((sum(&source) as f64 - plain).abs() < 1e-5 * source.len() as f64);
        }
    }

    #[test]
    fn narrow_matmul_equals_reference() {
        for &(m, n, k) in &[(1, 1, 1), (7, 1, 64), (9, 2, 13), (256, 4, 128), (3, 3, 9)] {
            let a = filled(m * k, 3);
            let bt = filled(n * k, 4);
            let mut fast = vec![f32::NAN; m * n];
            let mut reference = vec![0.0; m * n];
            matmul_narrow(m, n, k, &a, &bt, &mut fast);
            matmul_narrow_reference(m, n, k, &a, &bt, &mut reference);
            assert_close(&fast, &reference, k);
        }
    }
}
