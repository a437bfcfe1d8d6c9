// The EM E-step for a Gaussian mixture in the plane, in two passes (driven by em.rs).
//
// Pass 1, `statistics`: every invocation takes a few points. For each point it computes the
// log of every component's weighted density, log πₖ + log N(x | μₖ, Σₖ), turns them into
// responsibilities rₖ by log-sum-exp, and adds, per component, the six sufficient statistics
//   Σ r,  Σ r·dx,  Σ r·dy,  Σ r·dx·dx,  Σ r·dx·dy,  Σ r·dy·dy      (dx, dy = x − μₖ)
// and log p(x) to its own running sums. The workgroup then adds its 256 invocations' sums by a
// tree reduction in workgroup memory and writes one row of partial sums.
// Pass 2, `reduce_partials`: workgroup k adds component k's statistics over every row (and
// workgroup 0 the log-likelihood), again by a tree reduction, into `totals`.
//
// Why this shape: WGSL has no atomic add for floats, so sums across workgroups need a second
// pass. Moments are taken about each component's current mean (dx = x − μₖ, not x itself), as
// the CPU's fast kernel takes them: the covariance is then S₂/N − s·sᵀ with a small shift s, and
// f32 keeps its digits even when the data sit far from the origin (the points are also uploaded
// relative to their own mean). The covariance type needs no case of its own: a diagonal or
// spherical precision has zero off-diagonal entries, and the M-step on the CPU keeps only the
// statistics its type uses. 1-D data come with y = 0 and zero y-precision.

const WORKGROUP: u32 = 256u;
const MAX_COMPONENTS: u32 = 16u;
const STATISTICS: u32 = 6u;
// The values one reduction adds at once: the six statistics and the log-likelihood.
const SLOTS: u32 = 7u;

struct Params {
    // The number of points.
    n: u32,
    // The number of components K (at most MAX_COMPONENTS).
    k: u32,
    // Workgroups in pass 1, so rows of partial sums for pass 2.
    workgroups: u32,
    unused: u32,
    // Component c: components[2c] = (μx, μy, log πₖ + log normaliser, 0) and
    // components[2c + 1] = (P₀₀, P₀₁, P₁₁, 0), P = Σ⁻¹ (computed on the CPU, in f64).
    components: array<vec4<f32>, 2u * MAX_COMPONENTS>,
}

@group(0) @binding(0) var<uniform> params: Params;
// The points, relative to their mean, uploaded once per data set.
@group(0) @binding(1) var<storage, read> points: array<vec2<f32>>;
// Pass 1's output: per workgroup a row of K × 6 statistics, then the log-likelihood.
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
// Pass 2's output, the row that is read back: K × 6 statistics, then Σ log p(x).
@group(0) @binding(3) var<storage, read_write> totals: array<f32>;

// SLOTS × WORKGROUP values (7 KiB): slot s of invocation i at s * WORKGROUP + i.
var<workgroup> scratch: array<f32, SLOTS * WORKGROUP>;

fn row_length() -> u32 {
    return params.k * STATISTICS + 1u;
}

// Adds the workgroup's SLOTS values per invocation in halving steps (8 steps for 256): the
// rounding error grows with log₂ 256, not with 256 as a running sum's would. The total of slot s
// ends in scratch[s * WORKGROUP].
fn reduce_workgroup(lid: u32) {
    workgroupBarrier();
    for (var half = WORKGROUP / 2u; half > 0u; half = half / 2u) {
        if (lid < half) {
            for (var s = 0u; s < SLOTS; s++) {
                scratch[s * WORKGROUP + lid] += scratch[s * WORKGROUP + lid + half];
            }
        }
        workgroupBarrier();
    }
}

@compute @workgroup_size(256)
fn statistics(
    @builtin(local_invocation_index) lid: u32,
    @builtin(workgroup_id) group: vec3<u32>,
) {
    let k = params.k;
    // This invocation's sums (function-scope variables start at zero).
    var sums: array<f32, MAX_COMPONENTS * STATISTICS>;
    var log_likelihood = 0.0;
    var log_weighted: array<f32, MAX_COMPONENTS>;
    // Consecutive invocations take consecutive points (coalesced reads), striding over the grid.
    let stride = params.workgroups * WORKGROUP;
    for (var i = group.x * WORKGROUP + lid; i < params.n; i += stride) {
        let x = points[i];
        var top = -3.0e38;
        for (var c = 0u; c < k; c++) {
            let mean = params.components[2u * c];
            let p = params.components[2u * c + 1u];
            let d = x - mean.xy;
            let q = p.x * d.x * d.x + 2.0 * p.y * d.x * d.y + p.z * d.y * d.y;
            log_weighted[c] = mean.z - 0.5 * q;
            top = max(top, log_weighted[c]);
        }
        // log-sum-exp: the largest term is e⁰ = 1, so the sum lies in [1, K] and never under-
        // or overflows, however far the point is from every component.
        var total = 0.0;
        for (var c = 0u; c < k; c++) {
            log_weighted[c] = exp(log_weighted[c] - top);
            total += log_weighted[c];
        }
        log_likelihood += top + log(total);
        for (var c = 0u; c < k; c++) {
            let r = log_weighted[c] / total;
            let d = x - params.components[2u * c].xy;
            let o = c * STATISTICS;
            sums[o] += r;
            sums[o + 1u] += r * d.x;
            sums[o + 2u] += r * d.y;
            sums[o + 3u] += r * d.x * d.x;
            sums[o + 4u] += r * d.x * d.y;
            sums[o + 5u] += r * d.y * d.y;
        }
    }
    // One component at a time: 7 values per invocation fit in workgroup memory, 97 would not.
    let row = group.x * row_length();
    for (var c = 0u; c < k; c++) {
        for (var s = 0u; s < STATISTICS; s++) {
            scratch[s * WORKGROUP + lid] = sums[c * STATISTICS + s];
        }
        scratch[STATISTICS * WORKGROUP + lid] = select(0.0, log_likelihood, c == 0u);
        reduce_workgroup(lid);
        if (lid == 0u) {
            for (var s = 0u; s < STATISTICS; s++) {
                partials[row + c * STATISTICS + s] = scratch[s * WORKGROUP];
            }
            if (c == 0u) {
                partials[row + k * STATISTICS] = scratch[STATISTICS * WORKGROUP];
            }
        }
        // The next component overwrites the scratch only once invocation 0 has read it.
        workgroupBarrier();
    }
}

@compute @workgroup_size(256)
fn reduce_partials(
    @builtin(local_invocation_index) lid: u32,
    @builtin(workgroup_id) group: vec3<u32>,
) {
    let c = group.x;
    let k = params.k;
    var sums: array<f32, SLOTS>;
    for (var w = lid; w < params.workgroups; w += WORKGROUP) {
        let row = w * row_length();
        for (var s = 0u; s < STATISTICS; s++) {
            sums[s] += partials[row + c * STATISTICS + s];
        }
        if (c == 0u) {
            sums[STATISTICS] += partials[row + k * STATISTICS];
        }
    }
    for (var s = 0u; s < SLOTS; s++) {
        scratch[s * WORKGROUP + lid] = sums[s];
    }
    reduce_workgroup(lid);
    if (lid == 0u) {
        for (var s = 0u; s < STATISTICS; s++) {
            totals[c * STATISTICS + s] = scratch[s * WORKGROUP];
        }
        if (c == 0u) {
            totals[k * STATISTICS] = scratch[STATISTICS * WORKGROUP];
        }
    }
}
