//! The settings of a VAE run: [`VaeConfig`] (architecture, latent size, batch, learning rate,
//! β, seed) with its default and its validation, the limits it is checked against, and the
//! encoder's and decoder's network shapes it implies.

use super::VaeError;
use crate::nn::mlp::{MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS};
use crate::nn::{Activation, MlpConfig};
use crate::prob::ParamError;

/// The largest batch a VAE may train on.
pub const MAX_BATCH_SIZE: usize = 1024;
/// The largest learning rate accepted (larger ones only ever diverge).
pub const MAX_LEARNING_RATE: f32 = 10.0;
/// The largest KL weight β accepted.
pub const MAX_BETA: f32 = 100.0;
/// Between hidden layers of both networks.
const ACTIVATION: Activation = Activation::LeakyRelu;

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

    pub(super) fn encoder(&self) -> MlpConfig {
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

    pub(super) fn decoder(&self) -> MlpConfig {
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

pub(super) fn check_learning_rate(learning_rate: f32) -> Result<(), ParamError> {
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

pub(super) fn check_beta(beta: f32) -> Result<(), ParamError> {
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
