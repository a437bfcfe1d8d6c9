// A dense layer y = act(x·W + b) over a batch of rows, forward and backward, as src/nn/dense.rs
// computes it on the CPU.
//
// A layer's parameters sit in its network's one flat buffer from `layer.offset` on: the weights
// as an inputs×outputs row-major matrix, then the biases (src/nn/dense.rs's layout). Read as one
// (inputs + 1)×outputs matrix P, the biases are P's last row; so with a column of ones appended
// to x, x·W + b = [x, 1]·P, and the weight and bias gradients are the one matrix [x, 1]ᵀ·dZ.
//
// Every product is tiled: a 16×16 workgroup computes a 16×16 tile of the result, loading 16×16
// tiles of both factors into workgroup memory (2 KiB) so that each number read from the buffers
// is used 16 times.

// The activations, numbered as nn::Activation (tests/gpu_nn.rs checks that they agree).
const IDENTITY: u32 = 0u;
const RELU: u32 = 1u;
const LEAKY_RELU: u32 = 2u;
const TANH: u32 = 3u;
const SIGMOID: u32 = 4u;
// LeakyReLU's slope for negative inputs: nn::activation::LEAKY_SLOPE, set by the Rust driver.
override LEAKY_SLOPE: f32;

const TILE: u32 = 16u;

struct Layer {
    // Batch rows.
    rows: u32,
    inputs: u32,
    outputs: u32,
    // Where the layer's weights start in `params`, and its gradients in `grads`.
    offset: u32,
    // The activation after this layer.
    activation: u32,
    // Weight gradients: the rows one workgroup sums (a multiple of TILE), and how many such
    // chunks the batch has (a second pass adds the chunks up).
    chunk_rows: u32,
    chunks: u32,
    unused: u32,
}

@group(0) @binding(0) var<uniform> layer: Layer;
// The layer's input (rows×inputs): the network's input or the layer below's output.
@group(0) @binding(1) var<storage, read> x: array<f32>;
// The network's parameters.
@group(0) @binding(2) var<storage, read> params: array<f32>;
// forward: the layer's output (rows×outputs), after the activation.
@group(0) @binding(3) var<storage, read_write> y_out: array<f32>;
// backward: the output the forward pass wrote, and dL/dy.
@group(0) @binding(4) var<storage, read> y: array<f32>;
@group(0) @binding(5) var<storage, read> grad_y: array<f32>;
// backward: each chunk's (inputs + 1)×outputs share of the parameter gradient.
@group(0) @binding(6) var<storage, read_write> partials: array<f32>;
// backward: the network's parameter gradients, laid out like `params`.
@group(0) @binding(7) var<storage, read_write> grads: array<f32>;
// backward: dL/dx (rows×inputs).
@group(0) @binding(8) var<storage, read_write> grad_x: array<f32>;

var<workgroup> tile_a: array<array<f32, 16>, 16>;
var<workgroup> tile_b: array<array<f32, 16>, 16>;

fn activate(v: f32, activation: u32) -> f32 {
    switch activation {
        case RELU: { return max(v, 0.0); }
        case LEAKY_RELU: { return select(LEAKY_SLOPE * v, v, v > 0.0); }
        // tanh(9) is 1 in f32; clamping keeps every implementation's tanh away from e^(2v)
        // overflowing into NaN.
        case TANH: { return tanh(clamp(v, -9.0, 9.0)); }
        case SIGMOID: { return sigmoid(v); }
        default: { return v; }
    }
}

// The activation's derivative, written with its output y (nn::Activation::backward's rule).
fn slope(y: f32, activation: u32) -> f32 {
    switch activation {
        case RELU: { return select(0.0, 1.0, y > 0.0); }
        // The slope is positive, so the output has the sign of the input.
        case LEAKY_RELU: { return select(LEAKY_SLOPE, 1.0, y > 0.0); }
        case TANH: { return 1.0 - y * y; }
        case SIGMOID: { return y * (1.0 - y); }
        default: { return 1.0; }
    }
}

// [x, 1](r, k) for rows below `limit`, 0 outside (a tile that overhangs the matrix adds nothing).
fn input_with_one(r: u32, k: u32, limit: u32) -> f32 {
    if (r >= limit || k > layer.inputs) {
        return 0.0;
    }
    if (k == layer.inputs) {
        return 1.0;
    }
    return x[r * layer.inputs + k];
}

// dL/dz(r, n), the gradient at the pre-activation z = [x, 1]·P, for rows below `limit`.
fn grad_z(r: u32, n: u32, limit: u32) -> f32 {
    if (r >= limit || n >= layer.outputs) {
        return 0.0;
    }
    let i = r * layer.outputs + n;
    return grad_y[i] * slope(y[i], layer.activation);
}

// P(k, n): the weight from input k to output n, or output n's bias for k = inputs.
fn parameter(k: u32, n: u32) -> f32 {
    if (k > layer.inputs || n >= layer.outputs) {
        return 0.0;
    }
    return params[layer.offset + k * layer.outputs + n];
}

// One tile's share of a product: row `i` of tile_a times column `j` of tile_b.
fn tile_product(i: u32, j: u32) -> f32 {
    var sum = 0.0;
    for (var t = 0u; t < TILE; t++) {
        sum += tile_a[i][t] * tile_b[t][j];
    }
    return sum;
}

// y = act([x, 1]·P): one invocation per output entry, rows along y, outputs along x.
@compute @workgroup_size(16, 16)
fn forward(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
    let row = group.y * TILE + local.y;
    let column = group.x * TILE + local.x;
    var sum = 0.0;
    for (var k0 = 0u; k0 <= layer.inputs; k0 += TILE) {
        tile_a[local.y][local.x] = input_with_one(row, k0 + local.x, layer.rows);
        tile_b[local.y][local.x] = parameter(k0 + local.y, column);
        workgroupBarrier();
        sum += tile_product(local.y, local.x);
        workgroupBarrier();
    }
    if (row < layer.rows && column < layer.outputs) {
        y_out[row * layer.outputs + column] = activate(sum, layer.activation);
    }
}

// The parameter gradient [x, 1]ᵀ·dZ summed over one chunk of rows (workgroup_id.z), into that
// chunk's slot of `partials`. Splitting the batch keeps many workgroups busy however few
// parameters a layer has; `sum_partials` then adds the chunks.
@compute @workgroup_size(16, 16)
fn weight_grads(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
    let k = group.y * TILE + local.y;
    let n = group.x * TILE + local.x;
    let first = group.z * layer.chunk_rows;
    let end = min(first + layer.chunk_rows, layer.rows);
    var sum = 0.0;
    for (var r0 = first; r0 < end; r0 += TILE) {
        // tile_a holds [x, 1]ᵀ (k by r), tile_b holds dZ (r by n).
        tile_a[local.y][local.x] = input_with_one(r0 + local.x, k, end);
        tile_b[local.y][local.x] = grad_z(r0 + local.y, n, end);
        workgroupBarrier();
        sum += tile_product(local.y, local.x);
        workgroupBarrier();
    }
    if (k <= layer.inputs && n < layer.outputs) {
        partials[(group.z * (layer.inputs + 1u) + k) * layer.outputs + n] = sum;
    }
}

// The second pass: each parameter's gradient is the sum of its chunks' shares.
@compute @workgroup_size(256)
fn sum_partials(@builtin(global_invocation_id) id: vec3<u32>) {
    let size = (layer.inputs + 1u) * layer.outputs;
    let e = id.x;
    if (e >= size) {
        return;
    }
    var sum = 0.0;
    for (var c = 0u; c < layer.chunks; c++) {
        sum += partials[c * size + e];
    }
    grads[layer.offset + e] = sum;
}

// dL/dx = dZ·Wᵀ: one invocation per input entry, rows along y, inputs along x.
@compute @workgroup_size(16, 16)
fn input_grads(@builtin(workgroup_id) group: vec3<u32>, @builtin(local_invocation_id) local: vec3<u32>) {
    let row = group.y * TILE + local.y;
    let column = group.x * TILE + local.x;
    var sum = 0.0;
    for (var n0 = 0u; n0 < layer.outputs; n0 += TILE) {
        tile_a[local.y][local.x] = grad_z(row, n0 + local.x, layer.rows);
        // Wᵀ(n, j) = W(j, n); the bias row takes no part.
        let j = group.x * TILE + local.x;
        var w = 0.0;
        if (j < layer.inputs) {
            w = parameter(j, n0 + local.y);
        }
        tile_b[local.y][local.x] = w;
        workgroupBarrier();
        sum += tile_product(local.y, local.x);
        workgroupBarrier();
    }
    if (row < layer.rows && column < layer.inputs) {
        grad_x[row * layer.inputs + column] = sum;
    }
}
