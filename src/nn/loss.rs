//! Loss functions, each returning its value and writing its gradient.
//!
//! Every function takes the network's outputs and a slice to receive dL/doutputs (overwritten).
//! The "mean" losses average over all entries, so their gradients carry the 1/n; the
//! log-likelihoods are sums, as a VAE's evidence lower bound adds them over dimensions.

use super::{fastmath, matmul};

/// ln(2π), the constant in a Gaussian log-density.
const LN_TWO_PI: f32 = 1.837_877_1;

/// Mean binary cross-entropy between `targets` (probabilities, usually 0 or 1) and
/// sigmoid(`logits`): mean of t·softplus(-x) + (1 - t)·softplus(x).
///
/// Working on logits with softplus never takes the log of a rounded-to-zero probability, so
/// the loss stays finite however confident the network becomes.
pub fn bce_with_logits(logits: &[f32], targets: &[f32], grad: &mut [f32]) -> f32 {
    assert!(logits.len() == targets.len() && logits.len() == grad.len());
    let scale = 1.0 / logits.len() as f32;
    let mut total = 0.0;
    for ((&x, &t), g) in logits.iter().zip(targets).zip(grad.iter_mut()) {
        // softplus(-x) = softplus(x) - x.
        let sp = fastmath::softplus(x);
        total += sp - t * x;
        *g = (fastmath::sigmoid(x) - t) * scale;
    }
    total * scale
}

/// Mean squared error: mean of (prediction - target)².
pub fn mean_squared_error(predictions: &[f32], targets: &[f32], grad: &mut [f32]) -> f32 {
    assert!(predictions.len() == targets.len() && predictions.len() == grad.len());
    let scale = 1.0 / predictions.len() as f32;
    let mut total = 0.0;
    for ((&p, &t), g) in predictions.iter().zip(targets).zip(grad.iter_mut()) {
        let d = p - t;
        total += d * d;
        *g = 2.0 * d * scale;
    }
    total * scale
}

/// The least-squares GAN loss: mean of ½(output - target)², with targets such as 1 for real
/// and 0 for fake. Half the mean squared error, so the gradient is simply (output - target)/n.
pub fn least_squares(outputs: &[f32], targets: &[f32], grad: &mut [f32]) -> f32 {
    let loss = mean_squared_error(outputs, targets, grad);
    grad.iter_mut().for_each(|g| *g *= 0.5);
    0.5 * loss
}

/// The hinge loss: mean of max(0, 1 - label·output) with labels +1 (real) or -1 (fake).
pub fn hinge(outputs: &[f32], labels: &[f32], grad: &mut [f32]) -> f32 {
    assert!(outputs.len() == labels.len() && outputs.len() == grad.len());
    let scale = 1.0 / outputs.len() as f32;
    let mut total = 0.0;
    for ((&x, &y), g) in outputs.iter().zip(labels).zip(grad.iter_mut()) {
        let margin = 1.0 - y * x;
        total += margin.max(0.0);
        *g = if margin > 0.0 { -y * scale } else { 0.0 };
    }
    total * scale
}

/// The mean of the outputs (the generator's hinge and Wasserstein loss is its negative).
pub fn mean(outputs: &[f32], grad: &mut [f32]) -> f32 {
    assert_eq!(outputs.len(), grad.len());
    let scale = 1.0 / outputs.len() as f32;
    grad.fill(scale);
    outputs.iter().sum::<f32>() * scale
}

/// Σ log N(x; mean, exp(log_variance)) over all entries, with its gradients with respect to
/// the mean and the log-variance (the decoder of a Gaussian VAE).
pub fn gaussian_log_likelihood(
    x: &[f32],
    mean: &[f32],
    log_variance: &[f32],
    grad_mean: &mut [f32],
    grad_log_variance: &mut [f32],
) -> f32 {
    assert!(x.len() == mean.len() && x.len() == log_variance.len());
    assert!(x.len() == grad_mean.len() && x.len() == grad_log_variance.len());
    let mut total = 0.0;
    for i in 0..x.len() {
        let precision = fastmath::exp(-log_variance[i]);
        let d = x[i] - mean[i];
        let squared = d * d * precision;
        total += -0.5 * (LN_TWO_PI + log_variance[i] + squared);
        grad_mean[i] = d * precision;
        grad_log_variance[i] = 0.5 * (squared - 1.0);
    }
    total
}

/// Σ log Bernoulli(x; sigmoid(logit)) = Σ x·logit - softplus(logit) over all entries, with its
/// gradient with respect to the logits (the decoder of a binary VAE). `x` may be fractional.
pub fn bernoulli_log_likelihood(x: &[f32], logits: &[f32], grad: &mut [f32]) -> f32 {
    assert!(x.len() == logits.len() && x.len() == grad.len());
    // Eight running sums, one per lane: a single sum waits on every addition, and since the
    // compiler may not reorder float sums it kept the whole loop scalar, 22 % of an image
    // VAE's step in Chromium (one logit per pixel).
    let (x_chunks, x_tail) = x.as_chunks::<LANES>();
    let (logit_chunks, logit_tail) = logits.as_chunks::<LANES>();
    let (grad_chunks, grad_tail) = grad.as_chunks_mut::<LANES>();
    let mut partial = [0.0f32; LANES];
    for ((xs, ls), gs) in x_chunks.iter().zip(logit_chunks).zip(grad_chunks) {
        for lane in 0..LANES {
            partial[lane] += bernoulli_term(xs[lane], ls[lane], &mut gs[lane]);
        }
    }
    let tail: f32 = x_tail
        .iter()
        .zip(logit_tail)
        .zip(grad_tail)
        .map(|((&t, &l), g)| bernoulli_term(t, l, g))
        .sum();
    matmul::sum(&partial) + tail
}

/// Lanes of [`bernoulli_log_likelihood`]'s running sums (two 4-lane vectors).
const LANES: usize = 8;

/// One entry of [`bernoulli_log_likelihood`]: t·l - softplus(l), and t - sigmoid(l) in `grad`.
#[inline(always)]
fn bernoulli_term(t: f32, l: f32, grad: &mut f32) -> f32 {
    // One exponential serves both: with e = exp(-|l|), softplus(l) = max(l, 0) + ln(1 + e)
    // and sigmoid(l) = 1 / (1 + e) for l ≥ 0, e / (1 + e) below.
    let e = fastmath::exp(-l.abs());
    let softplus = l.max(0.0) + fastmath::ln_1p(e);
    let sigmoid = if l >= 0.0 { 1.0 } else { e } / (1.0 + e);
    *grad = t - sigmoid;
    t * l - softplus
}
