//! A variational autoencoder (VAE) on the plane: an encoder maps a 2-D point x to a Gaussian
//! q(z | x) = N(μ(x), diag σ²(x)) over a 1-D or 2-D latent z, a decoder maps z back to a
//! Gaussian p(x | z) = N(m(z), diag s²), and both train together by maximising the evidence
//! lower bound ELBO = E_q[log p(x | z)] - KL(q(z | x) ‖ N(0, I)).
//!
//! The decoder's variance s² is one learned number per output coordinate (not a function of z):
//! it lets the reconstruction term be a true log-density whose scale the model finds itself, so
//! the ELBO is a real bound on log p(x), while staying as stable as a fixed variance.
//!
//! [`Vae`] owns both networks, their optimizers and every buffer a step needs (allocated once,
//! reused every step), the fixed point sets the views draw (a batch of data with its encodings
//! and reconstructions, decoded draws from the prior, the decoder's image of a latent grid), the
//! ELBO history, and the guard that stops training when it diverges.

use crate::divergence::{all_finite, non_finite_name, DivergenceGuard};
use crate::history::Curves;
use crate::nn::mlp::{MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS};
use crate::nn::{
    fastmath, loss, Activation, Gradients, Mlp, MlpConfig, Optimizer, OptimizerKind, Workspace,
};
use crate::prob::ParamError;
use crate::rng::{self, Rng};
use crate::targets::{Target, TargetError};
use std::fmt;

/// The largest batch a VAE may train on.
pub const MAX_BATCH_SIZE: usize = 1024;
/// The largest learning rate accepted (larger ones only ever diverge).
pub const MAX_LEARNING_RATE: f32 = 10.0;
/// The largest KL weight β accepted.
pub const MAX_BETA: f32 = 100.0;
/// Points in the fixed sets the views draw (data with reconstructions, prior samples).
pub const VIEW_POINTS: usize = 256;
/// Entries the history keeps before thinning itself.
pub const HISTORY_CAPACITY: usize = 2048;
/// The latent grid of the manifold view spans ± this many prior standard deviations.
pub const MANIFOLD_RANGE: f32 = 2.5;
/// The decoder's log-variance starts small (standard deviation 0.1): a reconstruction term
/// that cares about detail from the start makes the networks use the latent. Starting at the
/// data's own scale (about 0.5) lets the decoder settle on predicting the data's mean for every
/// z, a posterior collapse the ELBO rewards just as well in the first few hundred steps.
const INITIAL_DECODER_LOG_VARIANCE: f32 = -4.6;
/// Between hidden layers of both networks.
const ACTIVATION: Activation = Activation::LeakyRelu;
/// Adam with its usual moment decays.
const ADAM: OptimizerKind = OptimizerKind::Adam {
    beta1: 0.9,
    beta2: 0.999,
};
/// Mixed into the seed for the fixed view sets, so they never share draws with training.
const VIEW_SEED_MIX: u64 = 0x9e37_79b9_7f4a_7c15;
/// Rows evaluated per batch when drawing the views.
const VIEW_CHUNK: usize = 1024;

/// Everything that defines a VAE run.
#[derive(Clone, Debug, PartialEq)]
pub struct VaeConfig {
    /// Hidden layers of the encoder and of the decoder, from 0 to 4.
    pub hidden_layers: usize,
    /// Units per hidden layer, from 1 to 128.
    pub hidden_units: usize,
    /// 1 or 2.
    pub latent_dim: usize,
    /// Data points per step, from 1 to [`MAX_BATCH_SIZE`].
    pub batch_size: usize,
    /// Adam's step size, above 0 and at most [`MAX_LEARNING_RATE`].
    pub learning_rate: f32,
    /// The weight of the KL term (β-VAE); 1 is the true ELBO.
    pub beta: f32,
    pub seed: u64,
}

impl Default for VaeConfig {
    /// 2×64 LeakyReLU networks, a 2-D latent, batch 256, Adam at 0.003, β = 1.
    fn default() -> Self {
        Self {
            hidden_layers: 2,
            hidden_units: 64,
            latent_dim: 2,
            batch_size: 256,
            learning_rate: 3e-3,
            beta: 1.0,
            seed: 1,
        }
    }
}

impl VaeConfig {
    /// Checks every setting, naming the first one out of range and the allowed range.
    pub fn validate(&self) -> Result<(), VaeError> {
        if self.hidden_layers > MAX_HIDDEN_LAYERS {
            return Err(ParamError::new(
                "hidden_layers",
                self.hidden_layers,
                "a whole number from 0 to 4",
            )
            .into());
        }
        if self.hidden_units == 0 || self.hidden_units > MAX_HIDDEN_UNITS {
            return Err(ParamError::new(
                "hidden_units",
                self.hidden_units,
                "a whole number from 1 to 128",
            )
            .into());
        }
        if !(1..=2).contains(&self.latent_dim) {
            return Err(ParamError::new("latent_dim", self.latent_dim, "1 or 2").into());
        }
        if self.batch_size == 0 || self.batch_size > MAX_BATCH_SIZE {
            return Err(ParamError::new(
                "batch_size",
                self.batch_size,
                "a whole number from 1 to 1024",
            )
            .into());
        }
        check_learning_rate(self.learning_rate)?;
        check_beta(self.beta)?;
        Ok(())
    }

    fn encoder(&self) -> MlpConfig {
        MlpConfig {
            inputs: 2,
            hidden_layers: self.hidden_layers,
            hidden_units: self.hidden_units,
            // The mean then the log-variance of each latent coordinate.
            outputs: 2 * self.latent_dim,
            activation: ACTIVATION,
            output_activation: Activation::Identity,
        }
    }

    fn decoder(&self) -> MlpConfig {
        MlpConfig {
            inputs: self.latent_dim,
            hidden_layers: self.hidden_layers,
            hidden_units: self.hidden_units,
            outputs: 2,
            activation: ACTIVATION,
            output_activation: Activation::Identity,
        }
    }
}

fn check_learning_rate(learning_rate: f32) -> Result<(), ParamError> {
    if learning_rate.is_finite() && learning_rate > 0.0 && learning_rate <= MAX_LEARNING_RATE {
        Ok(())
    } else {
        Err(ParamError::new(
            "learning_rate",
            learning_rate,
            "a number above 0 and at most 10 (try 0.0003 to 0.01)",
        ))
    }
}

fn check_beta(beta: f32) -> Result<(), ParamError> {
    if beta.is_finite() && (0.0..=MAX_BETA).contains(&beta) {
        Ok(())
    } else {
        Err(ParamError::new(
            "beta",
            beta,
            "a number from 0 to 100 (1 is the true ELBO)",
        ))
    }
}

/// Why a VAE could not be built or trained.
#[derive(Clone, Debug, PartialEq)]
pub enum VaeError {
    /// A setting outside its allowed range.
    Invalid(ParamError),
    /// A target that cannot be sampled (an empty or out-of-plane drawing).
    Target(TargetError),
    /// Training produced a non-finite number; the message says where and what to do.
    Diverged(String),
}

impl fmt::Display for VaeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VaeError::Invalid(e) => e.fmt(f),
            VaeError::Target(e) => e.fmt(f),
            VaeError::Diverged(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for VaeError {}

impl From<ParamError> for VaeError {
    fn from(e: ParamError) -> Self {
        VaeError::Invalid(e)
    }
}

impl From<TargetError> for VaeError {
    fn from(e: TargetError) -> Self {
        VaeError::Target(e)
    }
}

/// The terms of the bound on one batch, each averaged over its points.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Terms {
    /// E_q[log p(x | z)], estimated with one z per point.
    pub reconstruction: f32,
    /// KL(q(z | x) ‖ N(0, I)) in closed form.
    pub kl: f32,
}

impl Terms {
    /// The evidence lower bound: reconstruction - KL (whatever β training uses).
    pub fn elbo(&self) -> f32 {
        self.reconstruction - self.kl
    }

    /// What training minimises: -reconstruction + β·KL.
    pub fn loss(&self, beta: f32) -> f32 {
        -self.reconstruction + beta * self.kl
    }
}

/// KL(N(μ, diag exp(log σ²)) ‖ N(0, I)) = ½ Σ (μ² + σ² - 1 - log σ²), the closed form for one
/// point's encoding.
pub fn gaussian_kl(mean: &[f32], log_variance: &[f32]) -> f32 {
    mean.iter()
        .zip(log_variance)
        .map(|(&m, &lv)| 0.5 * (m * m + fastmath::exp(lv) - 1.0 - lv))
        .sum()
}

/// The ELBO, reconstruction term and KL per iteration, thinned as the run grows (see [`Curves`]).
#[derive(Clone, Debug)]
pub struct History(Curves<3>);

impl History {
    /// An empty history holding at most `capacity` (at least 2) entries.
    pub fn new(capacity: usize) -> Self {
        Self(Curves::new(capacity))
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Records the terms after `iteration` if it falls on the current stride.
    pub fn record(&mut self, iteration: u64, terms: Terms) {
        self.0
            .record(iteration, [terms.elbo(), terms.reconstruction, terms.kl]);
    }

    /// The iteration numbers of the recorded entries.
    pub fn iterations(&self) -> &[u64] {
        self.0.iterations()
    }

    pub fn elbo(&self) -> &[f32] {
        self.0.series(0)
    }

    pub fn reconstruction(&self) -> &[f32] {
        self.0.series(1)
    }

    pub fn kl(&self) -> &[f32] {
        self.0.series(2)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// What the views show for the fixed data set: encodings and reconstructions.
#[derive(Clone, Debug, Default)]
pub struct Encodings {
    /// The data points (x, y pairs).
    pub data: Vec<f32>,
    /// Each point's encoder mean μ(x) (latent_dim numbers per point).
    pub means: Vec<f32>,
    /// Each point's encoder standard deviation σ(x) (latent_dim numbers per point).
    pub std_devs: Vec<f32>,
    /// decoder mean at z = μ(x) (x, y pairs): the reconstruction without sampling noise.
    pub reconstructions: Vec<f32>,
}

impl Encodings {
    /// The mean distance between each data point and its reconstruction.
    pub fn mean_reconstruction_error(&self) -> f32 {
        let total: f32 = self
            .data
            .chunks_exact(2)
            .zip(self.reconstructions.chunks_exact(2))
            .map(|(x, r)| ((x[0] - r[0]).powi(2) + (x[1] - r[1]).powi(2)).sqrt())
            .sum();
        total / (self.data.len() / 2).max(1) as f32
    }
}

/// A VAE on the plane with everything needed to train and to draw it.
pub struct Vae {
    config: VaeConfig,
    target: Target,
    encoder: Mlp,
    decoder: Mlp,
    /// log s² of p(x | z) for each output coordinate, learned like a weight.
    decoder_log_variance: [f32; 2],
    encoder_optimizer: Optimizer,
    decoder_optimizer: Optimizer,
    variance_optimizer: Optimizer,
    rng: Rng,

    encoder_work: Workspace,
    decoder_work: Workspace,
    encoder_view_work: Workspace,
    decoder_view_work: Workspace,

    data: Vec<f32>,
    noise: Vec<f32>,
    latent: Vec<f32>,
    /// decoder log-variance repeated for every row (the log-likelihood takes one per entry).
    log_variance_rows: Vec<f32>,
    grad_mean: Vec<f32>,
    grad_log_variance: Vec<f32>,
    grad_variance_param: [f32; 2],
    grad_encoder_output: Vec<f32>,

    terms: Option<Terms>,
    iteration: u64,
    divergence: DivergenceGuard,
    history: History,

    view_data: Vec<f32>,
    view_prior_noise: Vec<f32>,
    /// Draws fresh prior samples for the views, apart from training's stream.
    view_rng: Rng,
    view_out: Vec<f32>,
}

impl Vae {
    /// A freshly initialised VAE learning `target`.
    pub fn new(config: VaeConfig, target: Target) -> Result<Self, VaeError> {
        config.validate()?;
        target.validate()?;
        let mut rng = rng::seeded(config.seed);
        let encoder = Mlp::new(config.encoder(), &mut rng)?;
        let decoder = Mlp::new(config.decoder(), &mut rng)?;
        let b = config.batch_size;
        let l = config.latent_dim;
        let (view_data, view_prior_noise, view_rng) = view_sets(&config, &target);
        Ok(Self {
            encoder_optimizer: Optimizer::new(ADAM, config.learning_rate, encoder.param_count()),
            decoder_optimizer: Optimizer::new(ADAM, config.learning_rate, decoder.param_count()),
            variance_optimizer: Optimizer::new(ADAM, config.learning_rate, 2),
            decoder_log_variance: [INITIAL_DECODER_LOG_VARIANCE; 2],
            encoder_work: encoder.workspace(b),
            decoder_work: decoder.workspace(b),
            encoder_view_work: encoder.workspace(VIEW_CHUNK),
            decoder_view_work: decoder.workspace(VIEW_CHUNK),
            data: vec![0.0; 2 * b],
            noise: vec![0.0; l * b],
            latent: vec![0.0; l * b],
            log_variance_rows: vec![0.0; 2 * b],
            grad_mean: vec![0.0; 2 * b],
            grad_log_variance: vec![0.0; 2 * b],
            grad_variance_param: [0.0; 2],
            grad_encoder_output: vec![0.0; 2 * l * b],
            terms: None,
            iteration: 0,
            divergence: DivergenceGuard::new(),
            history: History::new(HISTORY_CAPACITY),
            view_data,
            view_prior_noise,
            view_rng,
            view_out: Vec::new(),
            config,
            target,
            encoder,
            decoder,
            rng,
        })
    }

    /// Starts over from the seed: fresh networks and optimizers, empty history, no divergence.
    pub fn reset(&mut self) {
        self.rng = rng::seeded(self.config.seed);
        self.encoder.initialise(&mut self.rng);
        self.decoder.initialise(&mut self.rng);
        self.decoder_log_variance = [INITIAL_DECODER_LOG_VARIANCE; 2];
        self.encoder_optimizer.reset();
        self.decoder_optimizer.reset();
        self.variance_optimizer.reset();
        self.terms = None;
        self.iteration = 0;
        self.divergence.clear();
        self.history.clear();
        (self.view_data, self.view_prior_noise, self.view_rng) =
            view_sets(&self.config, &self.target);
    }

    /// Replaces the fixed prior draws of [`Vae::prior_samples`] by fresh ones, from a stream of
    /// their own: training goes on exactly as it would have.
    pub fn redraw_prior_samples(&mut self) {
        rng::fill_standard_normal(&mut self.view_rng, &mut self.view_prior_noise);
    }

    /// Changes the step size without restarting (the UI's slider).
    pub fn set_learning_rate(&mut self, learning_rate: f32) -> Result<(), VaeError> {
        check_learning_rate(learning_rate)?;
        self.config.learning_rate = learning_rate;
        self.encoder_optimizer.set_learning_rate(learning_rate);
        self.decoder_optimizer.set_learning_rate(learning_rate);
        self.variance_optimizer.set_learning_rate(learning_rate);
        Ok(())
    }

    /// Changes the KL weight without restarting, so a student can watch the trade-off move.
    pub fn set_beta(&mut self, beta: f32) -> Result<(), VaeError> {
        check_beta(beta)?;
        self.config.beta = beta;
        Ok(())
    }

    pub fn config(&self) -> &VaeConfig {
        &self.config
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn encoder(&self) -> &Mlp {
        &self.encoder
    }

    pub fn decoder(&self) -> &Mlp {
        &self.decoder
    }

    /// log s² of the decoder's Gaussian for x and for y.
    pub fn decoder_log_variance(&self) -> [f32; 2] {
        self.decoder_log_variance
    }

    /// Whole iterations completed since the last reset.
    pub fn iteration_count(&self) -> u64 {
        self.iteration
    }

    /// The divergence message, once training has produced a non-finite number.
    pub fn diverged(&self) -> Option<&str> {
        self.divergence.message()
    }

    /// The terms of the bound on the last training batch (None before the first step).
    pub fn terms(&self) -> Option<Terms> {
        self.terms
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// Runs `count` iterations, stopping at the first error.
    pub fn iterations(&mut self, count: usize) -> Result<(), VaeError> {
        for _ in 0..count {
            self.iteration()?;
        }
        Ok(())
    }

    /// One training step: sample a batch and its ε, then one Adam update of everything.
    pub fn iteration(&mut self) -> Result<(), VaeError> {
        self.divergence.check().map_err(VaeError::Diverged)?;
        self.target.sample(&mut self.rng, &mut self.data);
        rng::fill_standard_normal(&mut self.rng, &mut self.noise);
        let result = self.gradients().and_then(|terms| {
            self.update()?;
            Ok(terms)
        });
        match result {
            Ok(terms) => {
                self.terms = Some(terms);
                self.iteration += 1;
                self.history.record(self.iteration, terms);
                Ok(())
            }
            Err(what) => Err(VaeError::Diverged(self.divergence.trip(
                self.iteration,
                &what,
                self.config.learning_rate,
            ))),
        }
    }

    /// Evaluates the bound on `data` with the given `noise` ε (batch × latent_dim) and leaves
    /// the gradient of the loss -reconstruction + β·KL (averaged over the batch) in the
    /// networks' gradients and [`Vae::decoder_log_variance_grad`]. The batch must have
    /// batch_size points. For gradient checks: training draws its own data and ε.
    pub fn evaluate(&mut self, data: &[f32], noise: &[f32]) -> Result<Terms, String> {
        assert_eq!(data.len(), self.data.len(), "data is not batch_size × 2");
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

        for row in self.log_variance_rows.chunks_exact_mut(2) {
            row.copy_from_slice(&self.decoder_log_variance);
        }
        let decoded = self
            .decoder
            .forward(&mut self.decoder_work, &self.latent, b);
        let reconstruction = scale
            * loss::gaussian_log_likelihood(
                &self.data,
                decoded,
                &self.log_variance_rows,
                &mut self.grad_mean,
                &mut self.grad_log_variance,
            );
        let terms = Terms { reconstruction, kl };
        if !terms.loss(beta).is_finite() {
            return Err(format!(
                "the loss became {}",
                non_finite_name(terms.loss(beta))
            ));
        }

        // The loss is the negative log-likelihood, averaged over the batch.
        self.grad_mean.iter_mut().for_each(|g| *g *= -scale);
        self.grad_variance_param = [0.0; 2];
        for row in self.grad_log_variance.chunks_exact(2) {
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
            return Err("the gradients became NaN or infinite".into());
        }
        Ok(terms)
    }

    fn update(&mut self) -> Result<(), String> {
        let (params, grads) = self.encoder.params_and_grads();
        self.encoder_optimizer.step(params, grads);
        let (params, grads) = self.decoder.params_and_grads();
        self.decoder_optimizer.step(params, grads);
        self.variance_optimizer
            .step(&mut self.decoder_log_variance, &self.grad_variance_param);
        if all_finite(self.encoder.params())
            && all_finite(self.decoder.params())
            && all_finite(&self.decoder_log_variance)
        {
            Ok(())
        } else {
            Err("the weights became NaN or infinite".into())
        }
    }

    /// The fixed data set of the views with its encodings and reconstructions (decoder mean at
    /// the encoder mean), written into `out` (reusing its buffers).
    pub fn encodings(&mut self, out: &mut Encodings) {
        let l = self.config.latent_dim;
        out.data.clear();
        out.data.extend_from_slice(&self.view_data);
        out.means.clear();
        out.std_devs.clear();
        out.reconstructions.clear();
        for points in self.view_data.chunks(2 * VIEW_CHUNK) {
            let rows = points.len() / 2;
            let encoded = self
                .encoder
                .forward(&mut self.encoder_view_work, points, rows);
            for row in encoded.chunks_exact(2 * l) {
                let (mean, log_variance) = row.split_at(l);
                out.means.extend_from_slice(mean);
                out.std_devs
                    .extend(log_variance.iter().map(|&lv| fastmath::exp(0.5 * lv)));
            }
        }
        for means in out.means.chunks(l * VIEW_CHUNK) {
            let decoded = self
                .decoder
                .forward(&mut self.decoder_view_work, means, means.len() / l);
            out.reconstructions.extend_from_slice(decoded);
        }
    }

    /// The decoder's means for a fixed set of [`VIEW_POINTS`] draws from the prior N(0, I):
    /// new data the model generates (x, y pairs).
    pub fn prior_samples(&mut self) -> &[f32] {
        let l = self.config.latent_dim;
        self.view_out.clear();
        for noise in self.view_prior_noise.chunks(l * VIEW_CHUNK) {
            let decoded = self
                .decoder
                .forward(&mut self.decoder_view_work, noise, noise.len() / l);
            self.view_out.extend_from_slice(decoded);
        }
        &self.view_out
    }

    /// The decoder's mean at one latent point z (latent_dim numbers).
    pub fn decode(&mut self, z: &[f32]) -> [f32; 2] {
        assert_eq!(
            z.len(),
            self.config.latent_dim,
            "z is not latent_dim numbers"
        );
        let x = self.decoder.forward(&mut self.decoder_view_work, z, 1);
        [x[0], x[1]]
    }

    /// The decoder applied to a regular latent grid over ±[`MANIFOLD_RANGE`]: for a 1-D latent,
    /// `n` points along the line (a curve); for a 2-D latent, n×n points row by row (a warped
    /// sheet). Returns x, y pairs.
    pub fn manifold(&mut self, n: usize) -> &[f32] {
        let l = self.config.latent_dim;
        let coordinate = |i: usize| {
            if n <= 1 {
                0.0
            } else {
                -MANIFOLD_RANGE + 2.0 * MANIFOLD_RANGE * i as f32 / (n - 1) as f32
            }
        };
        let mut grid = Vec::with_capacity(l * n * n);
        if l == 1 {
            grid.extend((0..n).map(coordinate));
        } else {
            for row in 0..n {
                for column in 0..n {
                    grid.extend_from_slice(&[coordinate(column), coordinate(row)]);
                }
            }
        }
        self.view_out.clear();
        for latent in grid.chunks(l * VIEW_CHUNK) {
            let decoded =
                self.decoder
                    .forward(&mut self.decoder_view_work, latent, latent.len() / l);
            self.view_out.extend_from_slice(decoded);
        }
        &self.view_out
    }

    /// The mean distance between each fixed data point and its reconstruction.
    pub fn reconstruction_error(&mut self) -> f32 {
        let mut encodings = Encodings::default();
        self.encodings(&mut encodings);
        encodings.mean_reconstruction_error()
    }
}

/// The views' fixed data points and prior draws, and the stream later redraws come from.
fn view_sets(config: &VaeConfig, target: &Target) -> (Vec<f32>, Vec<f32>, Rng) {
    let mut view_rng = rng::seeded(config.seed ^ VIEW_SEED_MIX);
    let mut data = vec![0.0; 2 * VIEW_POINTS];
    target.sample(&mut view_rng, &mut data);
    let mut prior_noise = vec![0.0; config.latent_dim * VIEW_POINTS];
    rng::fill_standard_normal(&mut view_rng, &mut prior_noise);
    (data, prior_noise, view_rng)
}
