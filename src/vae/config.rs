//! The settings of a VAE run: [`VaeConfig`] (architecture, latent size, batch, learning rate,
//! β, seed) with its default and its validation, the limits it is checked against, and the
//! encoder's and decoder's network shapes it implies for data of a given dimension (2 for
//! points, one per pixel for images).

use super::VaeError;
use crate::nn::mlp::{HIDDEN_LAYERS, MAX_NETWORK_UNITS};
use crate::nn::{Activation, MlpConfig, BATCH_SIZE, LEARNING_RATE};
use crate::range::Range;

/// The largest KL weight β accepted.
pub const MAX_BETA: f32 = 100.0;
/// The KL weight: 0 is a plain autoencoder, 1 the true ELBO, large values collapse the posterior.
pub const BETA: Range = Range::closed(0.0, MAX_BETA as f64);
/// The most latent coordinates (the views show two of them).
pub const MAX_LATENT_DIM: usize = 16;
/// A latent point has 1 to [`MAX_LATENT_DIM`] coordinates.
pub const LATENT_DIM: Range = Range::whole(1, MAX_LATENT_DIM as u64);
/// Units per hidden layer: wider than the other labs' networks, for images (784-256-2 is the
/// classic image VAE).
pub const HIDDEN_UNITS: Range = Range::whole(1, MAX_NETWORK_UNITS as u64);
/// Between hidden layers of both networks.
const ACTIVATION: Activation = Activation::LeakyRelu;

/// Everything that defines a VAE run.
#[derive(Clone, Debug, PartialEq)]
pub struct VaeConfig {
    /// Hidden layers of the encoder and of the decoder, from 0 to 4.
    pub hidden_layers: usize,
    /// Units per hidden layer, from 1 to [`MAX_NETWORK_UNITS`].
    pub hidden_units: usize,
    /// From 1 to [`MAX_LATENT_DIM`].
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
        HIDDEN_LAYERS.check_count("hidden_layers", self.hidden_layers)?;
        HIDDEN_UNITS.check_count("hidden_units", self.hidden_units)?;
        LATENT_DIM.check_count("latent_dim", self.latent_dim)?;
        BATCH_SIZE.check_count("batch_size", self.batch_size)?;
        LEARNING_RATE.check("learning_rate", self.learning_rate.into())?;
        BETA.check("beta", self.beta.into())?;
        Ok(())
    }

    /// The encoder for data of `dim` numbers per example.
    pub(super) fn encoder(&self, dim: usize) -> MlpConfig {
        MlpConfig {
            inputs: dim,
            hidden_layers: self.hidden_layers,
            hidden_units: self.hidden_units,
            // The mean then the log-variance of each latent coordinate.
            outputs: 2 * self.latent_dim,
            activation: ACTIVATION,
            output_activation: Activation::Identity,
        }
    }

    /// The decoder for data of `dim` numbers per example: its outputs are the Gaussian's means
    /// (points) or the Bernoulli logits (images).
    pub(super) fn decoder(&self, dim: usize) -> MlpConfig {
        MlpConfig {
            inputs: self.latent_dim,
            hidden_layers: self.hidden_layers,
            hidden_units: self.hidden_units,
            outputs: dim,
            activation: ACTIVATION,
            output_activation: Activation::Identity,
        }
    }
}
