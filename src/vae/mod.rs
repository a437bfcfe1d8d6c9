//! A variational autoencoder (VAE): an encoder maps an example x (a 2-D point, or an image) to a
//! Gaussian q(z | x) = N(μ(x), diag σ²(x)) over a latent z of 1 to 16 coordinates, a decoder
//! maps z back to p(x | z), and both train together by maximising the evidence lower bound
//! ELBO = E_q[log p(x | z)] - KL(q(z | x) ‖ N(0, I)).
//!
//! For points p(x | z) = N(m(z), diag s²); for images it is a Bernoulli per pixel with
//! probability sigmoid(logit(z)), whose log-likelihood is minus the binary cross-entropy
//! ([`Source`] says which).
//!
//! The points' decoder variance s² is one learned number per output coordinate (not a function of z):
//! it lets the reconstruction term be a true log-density whose scale the model finds itself, so
//! the ELBO is a real bound on log p(x), while staying as stable as a fixed variance.
//!
//! [`Vae`] owns both networks, their optimizers and every buffer a step needs (allocated once,
//! reused every step), the fixed point sets the views draw (a batch of data with its encodings
//! and reconstructions, decoded draws from the prior, the decoder's image of a latent grid), the
//! ELBO history, and the guard that stops training when it diverges.
//!
//! The files: [`config`] (the settings and their limits), [`source`] (the data and its decoder's
//! likelihood), [`elbo`] (the terms of the bound, the KL in closed form, the history), `train` (the training step and its gradient-check hooks),
//! [`gpu`] (the same training on the GPU) and [`views`] (the encodings, prior samples and
//! manifold the lab draws).

pub mod config;
pub mod elbo;
pub mod gpu;
pub mod source;
mod state;
mod train;
pub mod views;

pub use config::{VaeConfig, MAX_BETA, MAX_LATENT_DIM};
pub use elbo::{gaussian_kl, History, Terms};
pub use source::Source;
pub use train::Trace;
pub use views::{Encodings, MANIFOLD_RANGE, RECONSTRUCTED_IMAGES, VIEW_IMAGES, VIEW_POINTS};

use crate::divergence::DivergenceGuard;
use crate::nn::LEARNING_RATE;
use crate::nn::{Mlp, Optimizer, OptimizerKind, Workspace};
use crate::prob::ParamError;
use crate::rng::{self, Rng};
use crate::targets::TargetError;
pub use config::{BETA, HIDDEN_UNITS, LATENT_DIM};
use std::fmt;
use views::{view_sets, VIEW_CHUNK};

/// Entries the history keeps before thinning itself.
pub const HISTORY_CAPACITY: usize = 2048;
/// The decoder's log-variance starts small (standard deviation 0.1): a reconstruction term
/// that cares about detail from the start makes the networks use the latent. Starting at the
/// data's own scale (about 0.5) lets the decoder settle on predicting the data's mean for every
/// z, a posterior collapse the ELBO rewards just as well in the first few hundred steps.
const INITIAL_DECODER_LOG_VARIANCE: f32 = -4.6;
/// Adam with its usual moment decays.
const ADAM: OptimizerKind = OptimizerKind::Adam {
    beta1: 0.9,
    beta2: 0.999,
};

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

/// A VAE with everything needed to train and to draw it.
pub struct Vae {
    config: VaeConfig,
    source: Source,
    encoder: Mlp,
    decoder: Mlp,
    /// log s² of p(x | z) for each output coordinate, learned like a weight (points only).
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
    /// The class of each view image (empty for points).
    view_labels: Vec<u8>,
    view_prior_noise: Vec<f32>,
    /// Draws fresh prior samples for the views, apart from training's stream.
    view_rng: Rng,
    view_out: Vec<f32>,
}

impl Vae {
    /// A freshly initialised VAE learning `source` (a [`Target`](crate::targets::Target) of
    /// points, or an [`ImageSet`](crate::images::ImageSet) in an `Arc`).
    pub fn new(config: VaeConfig, source: impl Into<Source>) -> Result<Self, VaeError> {
        // One copy of the body, whatever the source's type (the page's WebAssembly stays small).
        Self::with_source(config, source.into())
    }

    fn with_source(config: VaeConfig, source: Source) -> Result<Self, VaeError> {
        config.validate()?;
        if let Source::Points(target) = &source {
            target.validate()?;
        }
        let mut rng = rng::seeded(config.seed);
        let d = source.dim();
        let encoder = Mlp::new(config.encoder(d), &mut rng)?;
        let decoder = Mlp::new(config.decoder(d), &mut rng)?;
        let b = config.batch_size;
        let l = config.latent_dim;
        let (view_data, view_labels, view_prior_noise, view_rng) = view_sets(&config, &source);
        Ok(Self {
            encoder_optimizer: Optimizer::new(ADAM, config.learning_rate, encoder.param_count()),
            decoder_optimizer: Optimizer::new(ADAM, config.learning_rate, decoder.param_count()),
            variance_optimizer: Optimizer::new(ADAM, config.learning_rate, 2),
            decoder_log_variance: [INITIAL_DECODER_LOG_VARIANCE; 2],
            encoder_work: encoder.workspace(b),
            decoder_work: decoder.workspace(b),
            encoder_view_work: encoder.workspace(VIEW_CHUNK),
            decoder_view_work: decoder.workspace(VIEW_CHUNK),
            data: vec![0.0; d * b],
            noise: vec![0.0; l * b],
            latent: vec![0.0; l * b],
            log_variance_rows: vec![0.0; 2 * b],
            grad_mean: vec![0.0; d * b],
            grad_log_variance: vec![0.0; 2 * b],
            grad_variance_param: [0.0; 2],
            grad_encoder_output: vec![0.0; 2 * l * b],
            terms: None,
            iteration: 0,
            divergence: DivergenceGuard::new(),
            history: History::new(HISTORY_CAPACITY),
            view_data,
            view_labels,
            view_prior_noise,
            view_rng,
            view_out: Vec::new(),
            config,
            source,
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
        (
            self.view_data,
            self.view_labels,
            self.view_prior_noise,
            self.view_rng,
        ) = view_sets(&self.config, &self.source);
    }

    /// Changes the step size without restarting (the UI's slider).
    pub fn set_learning_rate(&mut self, learning_rate: f32) -> Result<(), VaeError> {
        LEARNING_RATE.check("learning_rate", learning_rate.into())?;
        self.config.learning_rate = learning_rate;
        self.encoder_optimizer.set_learning_rate(learning_rate);
        self.decoder_optimizer.set_learning_rate(learning_rate);
        self.variance_optimizer.set_learning_rate(learning_rate);
        Ok(())
    }

    /// Changes the KL weight without restarting, so a student can watch the trade-off move.
    pub fn set_beta(&mut self, beta: f32) -> Result<(), VaeError> {
        BETA.check("beta", beta.into())?;
        self.config.beta = beta;
        Ok(())
    }

    pub fn config(&self) -> &VaeConfig {
        &self.config
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    pub fn encoder(&self) -> &Mlp {
        &self.encoder
    }

    pub fn decoder(&self) -> &Mlp {
        &self.decoder
    }

    /// The optimizers of the encoder, the decoder and the decoder's log-variance.
    pub fn optimizers(&self) -> [&Optimizer; 3] {
        [
            &self.encoder_optimizer,
            &self.decoder_optimizer,
            &self.variance_optimizer,
        ]
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
}
