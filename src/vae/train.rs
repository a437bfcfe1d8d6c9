//! Training a VAE: one step samples a batch and its noise ε, encodes, draws z = μ + σ·ε (the
//! reparameterisation), decodes, and backpropagates -reconstruction + β·KL into both networks
//! (and, for points, the decoder's variance) before one Adam update of everything. The
//! reconstruction term is the Gaussian log-density for points and the Bernoulli log-likelihood
//! (minus the binary cross-entropy on the logits) for images; the divergence guard stops
//! the run at the first non-finite number. Also [`Trace`], what one narrated iteration shows of
//! its first example, and the hooks the gradient checks use.

use super::{gaussian_kl, Terms, Vae, VaeError};
use crate::divergence::{all_finite, non_finite_name};
use crate::nn::{fastmath, loss, Gradients};
use crate::rng;

/// What the divergence message says when the loss became `value` (NaN or infinite).
pub(super) fn loss_diverged(value: f32) -> String {
    format!("the loss became {}", non_finite_name(value))
}

pub(super) const GRADIENTS_DIVERGED: &str = "the gradients became NaN or infinite";

/// One iteration followed through its first example, for the narrated step: what the encoder,
/// the noise and the decoder made of it, the batch's two loss terms, and the gradients the
/// update used. Each is a vector of the data's or the latent's size.
#[derive(Clone, Debug, PartialEq)]
pub struct Trace {
    /// The iteration this was (1 for the first).
    pub iteration: u64,
    /// The first example of the batch.
    pub x: Vec<f32>,
    /// Its encoding: μ(x) and σ(x).
    pub mean: Vec<f32>,
    pub std_dev: Vec<f32>,
    /// The noise drawn for it, and z = μ + σ·ε.
    pub noise: Vec<f32>,
    pub z: Vec<f32>,
    /// The decoder's mean of p(x | z): a point, or an image's grey levels.
    pub decoded: Vec<f32>,
    /// The batch's reconstruction term and KL, and β.
    pub terms: Terms,
    pub beta: f32,
    /// The gradients' norms before the update.
    pub encoder_grad_norm: f32,
    pub decoder_grad_norm: f32,
}
pub(super) const WEIGHTS_DIVERGED: &str = "the weights became NaN or infinite";

impl Vae {
    /// Runs `count` iterations, stopping at the first error.
    pub fn iterations(&mut self, count: usize) -> Result<(), VaeError> {
        for _ in 0..count {
            self.iteration()?;
        }
        Ok(())
    }

    /// One training step: sample a batch and its ε, then one Adam update of everything.
    pub fn iteration(&mut self) -> Result<(), VaeError> {
        self.traced(false).map(|_| ())
    }

    /// One training step exactly as [`Vae::iteration`] (the same draws, the same update), with
    /// its first example followed through it.
    pub fn traced_iteration(&mut self) -> Result<Trace, VaeError> {
        self.traced(true)
            .map(|trace| trace.expect("a trace was asked for"))
    }

    fn traced(&mut self, trace: bool) -> Result<Option<Trace>, VaeError> {
        self.divergence.check().map_err(VaeError::Diverged)?;
        self.source.sample(&mut self.rng, &mut self.data);
        rng::fill_standard_normal(&mut self.rng, &mut self.noise);
        let mut traced = None;
        let result = self.gradients().and_then(|terms| {
            if trace {
                traced = Some(self.trace(terms));
            }
            self.update()?;
            Ok(terms)
        });
        match result {
            Ok(terms) => {
                self.terms = Some(terms);
                self.iteration += 1;
                self.history.record(self.iteration, terms);
                Ok(traced)
            }
            // Named by the iteration that broke, the one after the last completed.
            Err(what) => Err(VaeError::Diverged(self.divergence.trip(
                self.iteration + 1,
                &what,
                self.config.learning_rate,
            ))),
        }
    }

    /// Evaluates the bound on `data` with the given `noise` ε (batch × latent_dim) and leaves
    /// the gradient of the loss -reconstruction + β·KL (averaged over the batch) in the
    /// networks' gradients and [`Vae::decoder_log_variance_grad`]. The batch must have
    /// batch_size examples. For gradient checks: training draws its own data and ε.
    pub fn evaluate(&mut self, data: &[f32], noise: &[f32]) -> Result<Terms, String> {
        assert_eq!(data.len(), self.data.len(), "data is not batch_size × dim");
        assert_eq!(
            noise.len(),
            self.noise.len(),
            "noise is not batch_size × latent_dim"
        );
        self.data.copy_from_slice(data);
        self.noise.copy_from_slice(noise);
        self.gradients()
    }

    /// The gradient of the loss with respect to the decoder's two log-variances, from the last
    /// evaluation.
    pub fn decoder_log_variance_grad(&self) -> [f32; 2] {
        self.grad_variance_param
    }

    /// Sets the decoder's log-variances (for gradient checks).
    pub fn set_decoder_log_variance(&mut self, log_variance: [f32; 2]) {
        self.decoder_log_variance = log_variance;
    }

    /// Forward and backward pass on the current batch and ε; Err names what became non-finite.
    fn gradients(&mut self) -> Result<Terms, String> {
        let b = self.config.batch_size;
        let l = self.config.latent_dim;
        let beta = self.config.beta;
        let scale = 1.0 / b as f32;

        let encoded = self.encoder.forward(&mut self.encoder_work, &self.data, b);
        let mut kl = 0.0;
        for ((row, eps), z) in encoded
            .chunks_exact(2 * l)
            .zip(self.noise.chunks_exact(l))
            .zip(self.latent.chunks_exact_mut(l))
        {
            let (mean, log_variance) = row.split_at(l);
            kl += gaussian_kl(mean, log_variance);
            for j in 0..l {
                // The reparameterisation: z is a smooth function of μ and σ, so gradients flow.
                z[j] = mean[j] + fastmath::exp(0.5 * log_variance[j]) * eps[j];
            }
        }
        kl *= scale;

        let decoded = self
            .decoder
            .forward(&mut self.decoder_work, &self.latent, b);
        let images = self.source.is_images();
        let reconstruction = scale
            * if images {
                loss::bernoulli_log_likelihood(&self.data, decoded, &mut self.grad_mean)
            } else {
                for row in self.log_variance_rows.chunks_exact_mut(2) {
                    row.copy_from_slice(&self.decoder_log_variance);
                }
                loss::gaussian_log_likelihood(
                    &self.data,
                    decoded,
                    &self.log_variance_rows,
                    &mut self.grad_mean,
                    &mut self.grad_log_variance,
                )
            };
        let terms = Terms { reconstruction, kl };
        if !terms.loss(beta).is_finite() {
            return Err(loss_diverged(terms.loss(beta)));
        }

        // The loss is the negative log-likelihood, averaged over the batch.
        self.grad_mean.iter_mut().for_each(|g| *g *= -scale);
        self.grad_variance_param = [0.0; 2];
        // Images have no decoder variance: its gradient stays 0.
        for row in self.grad_log_variance.chunks_exact(2).filter(|_| !images) {
            self.grad_variance_param[0] -= scale * row[0];
            self.grad_variance_param[1] -= scale * row[1];
        }
        self.decoder
            .backward(&mut self.decoder_work, &self.grad_mean, Gradients::Both);
        let grad_latent = self.decoder_work.input_grad();

        let encoded = self.encoder_work.output();
        for (((row, grad_row), eps), dz) in encoded
            .chunks_exact(2 * l)
            .zip(self.grad_encoder_output.chunks_exact_mut(2 * l))
            .zip(self.noise.chunks_exact(l))
            .zip(grad_latent.chunks_exact(l))
        {
            let (mean, log_variance) = row.split_at(l);
            let (grad_mean, grad_log_variance) = grad_row.split_at_mut(l);
            for j in 0..l {
                let variance = fastmath::exp(log_variance[j]);
                // dz/dμ = 1 and dz/dlog σ² = ½σε; the KL adds βμ and ½β(σ² - 1), per point.
                grad_mean[j] = dz[j] + beta * scale * mean[j];
                grad_log_variance[j] =
                    dz[j] * 0.5 * variance.sqrt() * eps[j] + 0.5 * beta * scale * (variance - 1.0);
            }
        }
        self.encoder.backward(
            &mut self.encoder_work,
            &self.grad_encoder_output,
            Gradients::Parameters,
        );
        if !(self.encoder.grad_norm().is_finite() && self.decoder.grad_norm().is_finite()) {
            return Err(GRADIENTS_DIVERGED.into());
        }
        Ok(terms)
    }

    /// The first example's path through the pass just made, before the update.
    fn trace(&mut self, terms: Terms) -> Trace {
        let (l, d) = (self.config.latent_dim, self.source.dim());
        let encoded = &self.encoder_work.output()[..2 * l];
        let mut decoded = self.decoder_work.output()[..d].to_vec();
        self.source.to_means(&mut decoded);
        Trace {
            iteration: self.iteration + 1,
            x: self.data[..d].to_vec(),
            mean: encoded[..l].to_vec(),
            std_dev: encoded[l..]
                .iter()
                .map(|&lv| fastmath::exp(0.5 * lv))
                .collect(),
            noise: self.noise[..l].to_vec(),
            z: self.latent[..l].to_vec(),
            decoded,
            terms,
            beta: self.config.beta,
            encoder_grad_norm: self.encoder.grad_norm(),
            decoder_grad_norm: self.decoder.grad_norm(),
        }
    }

    fn update(&mut self) -> Result<(), String> {
        let (params, grads) = self.encoder.params_and_grads();
        self.encoder_optimizer.step(params, grads);
        let (params, grads) = self.decoder.params_and_grads();
        self.decoder_optimizer.step(params, grads);
        if !self.source.is_images() {
            self.variance_optimizer
                .step(&mut self.decoder_log_variance, &self.grad_variance_param);
        }
        if all_finite(self.encoder.params())
            && all_finite(self.decoder.params())
            && all_finite(&self.decoder_log_variance)
        {
            Ok(())
        } else {
            Err(WEIGHTS_DIVERGED.into())
        }
    }
}
