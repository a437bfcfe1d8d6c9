// The optimizers of src/nn/optim.rs on the GPU, one invocation per parameter: Adam with bias
// correction, and SGD with momentum. The state (Adam's moments, SGD's velocity) lies beside the
// parameters in buffers of its own and never leaves the GPU during training. The numbers that
// change from step to step (Adam's corrected step size and ε, SGD's learning rate) come from
// nn::Optimizer::step_factors, copied into the uniform before each step.
//
// Also `total`: the sum (or the sum of squares) of a vector, behind the divergence checks (the
// gradient's norm, whether the weights are finite) and the gradient norms the lab shows.

const LANES: u32 = 256u;

struct Update {
    len: u32,
    beta1: f32,
    beta2: f32,
    momentum: f32,
    // Adam: the bias-corrected step size; SGD: the learning rate.
    rate: f32,
    // Adam: the bias-corrected ε.
    epsilon: f32,
    unused_a: u32,
    unused_b: u32,
}

struct Total {
    len: u32,
    // 1: add up the squares.
    squares: u32,
    // Where the result lands in `stats`.
    stat: u32,
    unused: u32,
}

@group(0) @binding(0) var<uniform> update: Update;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
// Adam: the first moment; SGD: the velocity.
@group(0) @binding(3) var<storage, read_write> first: array<f32>;
// Adam: the second moment.
@group(0) @binding(4) var<storage, read_write> second: array<f32>;

@group(0) @binding(5) var<uniform> total: Total;
@group(0) @binding(6) var<storage, read> values: array<f32>;
@group(0) @binding(7) var<storage, read_write> stats: array<f32>;

var<workgroup> partial: array<f32, 256>;

@compute @workgroup_size(256)
fn adam(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if (i >= update.len) {
        return;
    }
    let g = grads[i];
    let m = update.beta1 * first[i] + (1.0 - update.beta1) * g;
    let v = update.beta2 * second[i] + (1.0 - update.beta2) * g * g;
    first[i] = m;
    second[i] = v;
    params[i] -= update.rate * m / (sqrt(v) + update.epsilon);
}

@compute @workgroup_size(256)
fn sgd(@builtin(global_invocation_id) id: vec3<u32>) {
    let i = id.x;
    if (i >= update.len) {
        return;
    }
    let v = update.momentum * first[i] + grads[i];
    first[i] = v;
    params[i] -= update.rate * v;
}

// One workgroup walks the whole vector (the networks have at most some 50,000 parameters).
@compute @workgroup_size(256)
fn sum(@builtin(local_invocation_index) lane: u32) {
    var s = 0.0;
    for (var i = lane; i < total.len; i += LANES) {
        let v = values[i];
        s += select(v, v * v, total.squares == 1u);
    }
    partial[lane] = s;
    workgroupBarrier();
    for (var half = LANES / 2u; half > 0u; half /= 2u) {
        if (lane < half) {
            partial[lane] += partial[lane + half];
        }
        workgroupBarrier();
    }
    if (lane == 0u) {
        stats[total.stat] = partial[0];
    }
}
