// The mean squared error between a network's outputs and per-number targets, with its
// gradient, as src/nn/loss.rs's mean_squared_error computes it on the CPU: the loss is
// mean((p - t)²) over every number, the gradient 2 (p - t) / count.
//
// One workgroup does the whole batch: each invocation walks every 256th number, writes its
// gradient and adds up its squared errors; a tree reduction in workgroup memory then sums the
// 256 partial sums, and the loss lands in `stats[params.stat]`.

const LANES: u32 = 256u;

struct Params {
    count: u32,
    stat: u32,
    unused_a: u32,
    unused_b: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> predictions: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256)
fn mean_squared_error(@builtin(local_invocation_index) lane: u32) {
    let scale = 1.0 / f32(params.count);
    var total = 0.0;
    for (var i = lane; i < params.count; i += LANES) {
        let d = predictions[i] - targets[i];
        grad[i] = 2.0 * d * scale;
        total += d * d;
    }
    partial[lane] = total;
    workgroupBarrier();
    for (var half = LANES / 2u; half > 0u; half /= 2u) {
        if (lane < half) {
            partial[lane] += partial[lane + half];
        }
        workgroupBarrier();
    }
    if (lane == 0u) {
        stats[params.stat] = partial[0] * scale;
    }
}
