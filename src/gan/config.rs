//! A GAN's settings, their validation, and presets that show classic failures.

use super::GanError;
use crate::nn::mlp::{MAX_HIDDEN_LAYERS, MAX_HIDDEN_UNITS};
use crate::nn::{Activation, OptimizerKind};
use crate::prob::ParamError;

/// The largest batch a GAN may train on.
pub const MAX_BATCH_SIZE: usize = 1024;
/// The most discriminator or generator steps per iteration.
pub const MAX_STEPS_PER_ITERATION: usize = 10;
/// The largest learning rate accepted (larger ones only ever diverge).
pub const MAX_LEARNING_RATE: f32 = 10.0;

/// The size of one network's hidden part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkShape {
    /// From 0 to 4.
    pub hidden_layers: usize,
    /// From 1 to 128.
    pub hidden_units: usize,
}

/// The game the two networks play.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GanLoss {
    /// Goodfellow's original minimax game: the generator minimises log(1 - D(G(z))), whose
    /// gradient vanishes exactly when the discriminator confidently rejects the fakes.
    Minimax,
    /// Binary cross-entropy with the non-saturating generator loss -log D(G(z)), the usual fix.
    NonSaturating,
    /// Least squares (LSGAN): the discriminator regresses real to 1 and fake to 0.
    LeastSquares,
    /// Hinge: the discriminator wants real scores above +1 and fake below -1.
    Hinge,
}

impl GanLoss {
    pub fn name(self) -> &'static str {
        match self {
            GanLoss::Minimax => "minimax (saturating)",
            GanLoss::NonSaturating => "non-saturating BCE",
            GanLoss::LeastSquares => "least squares",
            GanLoss::Hinge => "hinge",
        }
    }

    /// The discriminator's raw output turned into its belief that a point is real, in [0, 1]:
    /// sigmoid of the logit for the cross-entropy games, the clamped regression value for least
    /// squares, and the position between the margins -1 and +1 for hinge.
    #[inline]
    pub fn belief(self, output: f32) -> f32 {
        match self {
            GanLoss::Minimax | GanLoss::NonSaturating => crate::nn::fastmath::sigmoid(output),
            GanLoss::LeastSquares => output.clamp(0.0, 1.0),
            GanLoss::Hinge => (0.5 * (output + 1.0)).clamp(0.0, 1.0),
        }
    }
}

/// Where the generator's input comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoiseKind {
    /// Uniform on [-1, 1] in each dimension.
    Uniform,
    /// Standard normal in each dimension.
    Gaussian,
}

/// Everything that defines a GAN run.
#[derive(Clone, Debug, PartialEq)]
pub struct GanConfig {
    pub generator: NetworkShape,
    pub discriminator: NetworkShape,
    /// Between hidden layers of both networks.
    pub activation: Activation,
    pub loss: GanLoss,
    /// Used by both networks, each with its own state and learning rate.
    pub optimizer: OptimizerKind,
    pub generator_learning_rate: f32,
    pub discriminator_learning_rate: f32,
    /// Real and fake samples per step, from 1 to [`MAX_BATCH_SIZE`].
    pub batch_size: usize,
    /// Discriminator steps per iteration, from 1 to [`MAX_STEPS_PER_ITERATION`].
    pub discriminator_steps: usize,
    /// Generator steps per iteration, from 1 to [`MAX_STEPS_PER_ITERATION`].
    pub generator_steps: usize,
    /// 1 or 2.
    pub noise_dim: usize,
    pub noise: NoiseKind,
    pub seed: u64,
}

impl Default for GanConfig {
    /// 2×64 LeakyReLU networks, non-saturating BCE, Adam (lr 1e-3, betas 0.5/0.999 as usual
    /// for GANs), batch 256, one step each: learns the ring of 8 Gaussians reliably.
    fn default() -> Self {
        Self {
            generator: NetworkShape {
                hidden_layers: 2,
                hidden_units: 64,
            },
            discriminator: NetworkShape {
                hidden_layers: 2,
                hidden_units: 64,
            },
            activation: Activation::LeakyRelu,
            loss: GanLoss::NonSaturating,
            optimizer: OptimizerKind::Adam {
                beta1: 0.5,
                beta2: 0.999,
            },
            generator_learning_rate: 1e-3,
            discriminator_learning_rate: 1e-3,
            batch_size: 256,
            discriminator_steps: 1,
            generator_steps: 1,
            noise_dim: 2,
            noise: NoiseKind::Gaussian,
            seed: 1,
        }
    }
}

impl GanConfig {
    /// Checks every setting, naming the first one out of range and the allowed range.
    pub fn validate(&self) -> Result<(), GanError> {
        let shape = |prefix_layers: &'static str, prefix_units: &'static str, s: NetworkShape| {
            if s.hidden_layers > MAX_HIDDEN_LAYERS {
                return Err(ParamError::new(
                    prefix_layers,
                    s.hidden_layers,
                    "a whole number from 0 to 4",
                ));
            }
            if s.hidden_units == 0 || s.hidden_units > MAX_HIDDEN_UNITS {
                return Err(ParamError::new(
                    prefix_units,
                    s.hidden_units,
                    "a whole number from 1 to 128",
                ));
            }
            Ok(())
        };
        shape(
            "generator hidden layers",
            "generator hidden units",
            self.generator,
        )?;
        shape(
            "discriminator hidden layers",
            "discriminator hidden units",
            self.discriminator,
        )?;
        let learning_rate = |name: &'static str, lr: f32| {
            if lr.is_finite() && lr > 0.0 && lr <= MAX_LEARNING_RATE {
                Ok(())
            } else {
                Err(ParamError::new(
                    name,
                    lr,
                    "a number above 0 and at most 10 (try 0.0001 to 0.01)",
                ))
            }
        };
        learning_rate("generator learning rate", self.generator_learning_rate)?;
        learning_rate(
            "discriminator learning rate",
            self.discriminator_learning_rate,
        )?;
        if self.batch_size == 0 || self.batch_size > MAX_BATCH_SIZE {
            return Err(ParamError::new(
                "batch size",
                self.batch_size,
                "a whole number from 1 to 1024",
            )
            .into());
        }
        let steps = |name: &'static str, n: usize| {
            if (1..=MAX_STEPS_PER_ITERATION).contains(&n) {
                Ok(())
            } else {
                Err(ParamError::new(name, n, "a whole number from 1 to 10"))
            }
        };
        steps("discriminator steps", self.discriminator_steps)?;
        steps("generator steps", self.generator_steps)?;
        if !(1..=2).contains(&self.noise_dim) {
            return Err(ParamError::new("noise dimension", self.noise_dim, "1 or 2").into());
        }
        let unit = |name: &'static str, x: f32| {
            if x.is_finite() && (0.0..1.0).contains(&x) {
                Ok(())
            } else {
                Err(ParamError::new(
                    name,
                    x,
                    "a number from 0 up to (not including) 1",
                ))
            }
        };
        match self.optimizer {
            OptimizerKind::Sgd { momentum } => unit("momentum", momentum)?,
            OptimizerKind::Adam { beta1, beta2 } => {
                unit("Adam beta1", beta1)?;
                unit("Adam beta2", beta2)?;
            }
        }
        Ok(())
    }
}

/// Ready-made configurations, each showing one behaviour worth seeing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// The default configuration.
    Healthy,
    ModeCollapse,
    VanishingGradients,
    Oscillation,
}

impl Preset {
    pub fn all() -> [Preset; 4] {
        [
            Preset::Healthy,
            Preset::ModeCollapse,
            Preset::VanishingGradients,
            Preset::Oscillation,
        ]
    }

    pub fn name(self) -> &'static str {
        match self {
            Preset::Healthy => "healthy",
            Preset::ModeCollapse => "mode collapse",
            Preset::VanishingGradients => "vanishing gradients",
            Preset::Oscillation => "oscillation",
        }
    }

    /// One sentence on what the preset shows and why.
    pub fn explanation(self) -> &'static str {
        match self {
            Preset::Healthy => {
                "Balanced networks, the non-saturating loss and Adam: the generator spreads over every mode of the target."
            }
            Preset::ModeCollapse => {
                "A small generator with 1-D noise taking five large steps per discriminator step over-fits whatever region the discriminator currently likes, so all its samples pile onto one mode."
            }
            Preset::VanishingGradients => {
                "With the original minimax loss and a discriminator that trains five times as often and ten times as fast, the fakes are rejected confidently, log(1 - D(G(z))) flattens and the generator's gradients (the arrows) stay small, so it creeps."
            }
            Preset::Oscillation => {
                "Plain SGD with heavy momentum and large learning rates makes the two players overshoot each other, so the generated cloud keeps jumping across the plane instead of settling on the target."
            }
        }
    }

    pub fn config(self) -> GanConfig {
        let default = GanConfig::default();
        match self {
            Preset::Healthy => default,
            Preset::ModeCollapse => GanConfig {
                generator: NetworkShape {
                    hidden_layers: 1,
                    hidden_units: 32,
                },
                generator_learning_rate: 1e-2,
                discriminator_learning_rate: 1e-3,
                generator_steps: 5,
                noise_dim: 1,
                ..default
            },
            Preset::VanishingGradients => GanConfig {
                loss: GanLoss::Minimax,
                discriminator_learning_rate: 2e-3,
                generator_learning_rate: 2e-4,
                discriminator_steps: 5,
                ..default
            },
            Preset::Oscillation => GanConfig {
                optimizer: OptimizerKind::Sgd { momentum: 0.9 },
                generator_learning_rate: 0.01,
                discriminator_learning_rate: 0.01,
                ..default
            },
        }
    }
}
