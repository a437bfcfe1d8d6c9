// The VAE's loss between its two networks, as src/vae/train.rs computes it on the CPU:
// - `vae_sample`: the reparameterisation z = μ + σ·ε (ε drawn on the CPU and uploaded) and the
//   closed-form KL(N(μ, σ²) ‖ N(0, I)) averaged over the batch;
// - `vae_likelihood`: the Gaussian log-likelihood of the data under the decoder's mean and its
//   learned per-coordinate log-variance, averaged over the batch, with the gradients of the
//   loss (minus it) at the decoder's outputs and at the two log-variances;
// - `vae_bernoulli`, for images in its place: the Bernoulli log-likelihood of the pixels under
//   the decoder's logits, averaged over the batch, with the loss's gradient at the logits;
// - `vae_encoder_grad`: the gradient at the encoder's outputs, through z and through β·KL.
//
// Each sum runs in one workgroup, reduced in workgroup memory as in gan_loss.wgsl.

const LANES: u32 = 256u;
// ln(2π), as src/nn/loss.rs has it.
const LN_TWO_PI: f32 = 1.8378771;
// Where the terms land in `stats`.
const RECONSTRUCTION: u32 = 0u;
const KL: u32 = 1u;

struct Vae {
    rows: u32,
    latent: u32,
    // The weight of the KL term, and 1 / rows.
    beta: f32,
    scale: f32,
    // The data's columns: 2 for points, the pixels of an image.
    dim: u32,
    unused_a: u32,
    unused_b: u32,
    unused_c: u32,
}

@group(0) @binding(0) var<uniform> vae: Vae;
// The encoder's outputs, per row the latent means then the latent log-variances.
@group(0) @binding(1) var<storage, read> encoded: array<f32>;
// ε, rows×latent standard normal draws.
@group(0) @binding(2) var<storage, read> noise: array<f32>;
@group(0) @binding(3) var<storage, read_write> latent: array<f32>;
@group(0) @binding(4) var<storage, read_write> stats: array<f32>;
@group(0) @binding(5) var<storage, read> data: array<f32>;
// The decoder's outputs (rows×2 means of points, rows×dim logits of pixels), and its two
// learned log-variances (points only).
@group(0) @binding(6) var<storage, read> decoded: array<f32>;
@group(0) @binding(7) var<storage, read> log_variance: array<f32>;
@group(0) @binding(8) var<storage, read_write> grad_decoded: array<f32>;
@group(0) @binding(9) var<storage, read_write> grad_log_variance: array<f32>;
// dL/dz from the decoder's backward pass, and the gradient this writes at the encoder's outputs.
@group(0) @binding(10) var<storage, read> grad_latent: array<f32>;
@group(0) @binding(11) var<storage, read_write> grad_encoded: array<f32>;

var<workgroup> partial: array<vec3<f32>, 256>;

// Sums `partial` over the workgroup into partial[0].
fn reduce(lane: u32) {
    workgroupBarrier();
    for (var half = LANES / 2u; half > 0u; half /= 2u) {
        if (lane < half) {
            partial[lane] += partial[lane + half];
        }
        workgroupBarrier();
    }
}

@compute @workgroup_size(256)
fn vae_sample(@builtin(local_invocation_index) lane: u32) {
    let l = vae.latent;
    var kl = 0.0;
    for (var r = lane; r < vae.rows; r += LANES) {
        for (var j = 0u; j < l; j++) {
            let mean = encoded[r * 2u * l + j];
            let lv = encoded[r * 2u * l + l + j];
            kl += 0.5 * (mean * mean + exp_finite(lv) - 1.0 - lv);
            // The reparameterisation: z is a smooth function of μ and σ, so gradients flow.
            latent[r * l + j] = mean + exp_finite(0.5 * lv) * noise[r * l + j];
        }
    }
    partial[lane] = vec3(kl, 0.0, 0.0);
    reduce(lane);
    if (lane == 0u) {
        stats[KL] = partial[0].x * vae.scale;
    }
}

@compute @workgroup_size(256)
fn vae_likelihood(@builtin(local_invocation_index) lane: u32) {
    // x: the log-likelihood; y, z: the two log-variances' gradient terms.
    var sums = vec3(0.0, 0.0, 0.0);
    for (var r = lane; r < vae.rows; r += LANES) {
        var grad_lv = vec2(0.0, 0.0);
        for (var c = 0u; c < 2u; c++) {
            let i = 2u * r + c;
            let lv = log_variance[c];
            let inverse_variance = exp_finite(-lv);
            let d = data[i] - decoded[i];
            let squared = d * d * inverse_variance;
            sums.x += -0.5 * (LN_TWO_PI + lv + squared);
            // The loss is minus the log-likelihood, averaged over the batch.
            grad_decoded[i] = d * inverse_variance * -vae.scale;
            grad_lv[c] = vae.scale * (0.5 * (squared - 1.0));
        }
        sums.y += grad_lv.x;
        sums.z += grad_lv.y;
    }
    partial[lane] = sums;
    reduce(lane);
    if (lane == 0u) {
        stats[RECONSTRUCTION] = vae.scale * partial[0].x;
        grad_log_variance[0] = -partial[0].y;
        grad_log_variance[1] = -partial[0].z;
    }
}

@compute @workgroup_size(256)
fn vae_bernoulli(@builtin(local_invocation_index) lane: u32) {
    var total = 0.0;
    for (var i = lane; i < vae.rows * vae.dim; i += LANES) {
        // As loss::bernoulli_log_likelihood: x·l - softplus(l), and x - sigmoid(l) at l.
        let x = data[i];
        let l = decoded[i];
        total += x * l - softplus(l);
        // The loss is minus the log-likelihood, averaged over the batch.
        grad_decoded[i] = (x - sigmoid(l)) * -vae.scale;
    }
    partial[lane] = vec3(total, 0.0, 0.0);
    reduce(lane);
    if (lane == 0u) {
        stats[RECONSTRUCTION] = vae.scale * partial[0].x;
    }
}

@compute @workgroup_size(256)
fn vae_encoder_grad(@builtin(global_invocation_id) id: vec3<u32>) {
    let l = vae.latent;
    let i = id.x;
    if (i >= vae.rows * l) {
        return;
    }
    let r = i / l;
    let j = i % l;
    let mean = encoded[r * 2u * l + j];
    let variance = exp_finite(encoded[r * 2u * l + l + j]);
    let dz = grad_latent[i];
    // dz/dμ = 1 and dz/dlog σ² = ½σε; the KL adds βμ and ½β(σ² - 1), per point.
    grad_encoded[r * 2u * l + j] = dz + vae.beta * vae.scale * mean;
    grad_encoded[r * 2u * l + l + j] = dz * 0.5 * sqrt(variance) * noise[i]
        + 0.5 * vae.beta * vae.scale * (variance - 1.0);
}
