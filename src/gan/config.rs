//! A GAN's settings, their validation, and presets that show classic failures.

use super::GanError;
use crate::choice::Choice;
use crate::nn::mlp::{HIDDEN_LAYERS, HIDDEN_UNITS};
use crate::nn::{Activation, OptimizerKind, BATCH_SIZE, LEARNING_RATE};
use crate::range::Range;

/// The most discriminator or generator steps per iteration.
pub const MAX_STEPS_PER_ITERATION: usize = 10;
/// Discriminator or generator steps per iteration.
pub const STEPS_PER_ITERATION: Range = Range::whole(1, MAX_STEPS_PER_ITERATION as u64);
/// SGD's momentum and Adam's moment decays.
pub const MOMENTUM: Range = Range::below(0.0, 1.0);
/// The noise is a point on a line or in the plane.
pub const NOISE_DIM: Range = Range::whole(1, 2);

/// The size of one network's hidden part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkShape {
    /// From 0 to 4.
    pub hidden_layers: usize,
    /// From 1 to 128.
    pub hidden_units: usize,
}

/// The game the two networks play. The numbers are the ones the GPU kernels use
/// (src/gpu/nn/gan_loss.wgsl names them the same; tests/gpu_nn.rs checks it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum GanLoss {
    /// Goodfellow's original minimax game: the generator minimises log(1 - D(G(z))), whose
    /// gradient vanishes exactly when the discriminator confidently rejects the fakes.
    Minimax = 0,
    /// Binary cross-entropy with the non-saturating generator loss -log D(G(z)), the usual fix.
    NonSaturating = 1,
    /// Least squares (LSGAN): the discriminator regresses real to 1 and fake to 0.
    LeastSquares = 2,
    /// Hinge: the discriminator wants real scores above +1 and fake below -1.
    Hinge = 3,
}

impl Choice for GanLoss {
    const ALL: &'static [Self] = &[
        GanLoss::NonSaturating,
        GanLoss::Minimax,
        GanLoss::LeastSquares,
        GanLoss::Hinge,
    ];

    fn api_name(self) -> &'static str {
        match self {
            GanLoss::Minimax => "minimax",
            GanLoss::NonSaturating => "nonsaturating",
            GanLoss::LeastSquares => "lsgan",
            GanLoss::Hinge => "hinge",
        }
    }

    fn label(self) -> &'static str {
        match self {
            GanLoss::Minimax => "minimax: G minimises log(1 − D(G(z)))",
            GanLoss::NonSaturating => "non-saturating: G minimises −log D(G(z))",
            GanLoss::LeastSquares => "least squares (LSGAN)",
            GanLoss::Hinge => "hinge",
        }
    }
}

impl GanLoss {
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

impl NoiseKind {
    /// Fills `out` with independent draws of this noise.
    pub fn fill(self, rng: &mut crate::rng::Rng, out: &mut [f32]) {
        match self {
            NoiseKind::Uniform => crate::rng::fill_signed_uniform(rng, out),
            NoiseKind::Gaussian => crate::rng::fill_standard_normal(rng, out),
        }
    }
}

impl Choice for NoiseKind {
    const ALL: &'static [Self] = &[NoiseKind::Gaussian, NoiseKind::Uniform];

    fn api_name(self) -> &'static str {
        match self {
            NoiseKind::Uniform => "uniform",
            NoiseKind::Gaussian => "gaussian",
        }
    }

    fn label(self) -> &'static str {
        match self {
            NoiseKind::Uniform => "uniform on [−1, 1]",
            NoiseKind::Gaussian => "Gaussian",
        }
    }
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
        for (shape, layers, units) in [
            (
                self.generator,
                "generator hidden layers",
                "generator hidden units",
            ),
            (
                self.discriminator,
                "discriminator hidden layers",
                "discriminator hidden units",
            ),
        ] {
            HIDDEN_LAYERS.check_count(layers, shape.hidden_layers)?;
            HIDDEN_UNITS.check_count(units, shape.hidden_units)?;
        }
        LEARNING_RATE.check(
            "generator learning rate",
            self.generator_learning_rate.into(),
        )?;
        LEARNING_RATE.check(
            "discriminator learning rate",
            self.discriminator_learning_rate.into(),
        )?;
        BATCH_SIZE.check_count("batch size", self.batch_size)?;
        STEPS_PER_ITERATION.check_count("discriminator steps", self.discriminator_steps)?;
        STEPS_PER_ITERATION.check_count("generator steps", self.generator_steps)?;
        NOISE_DIM.check_count("noise dimension", self.noise_dim)?;
        match self.optimizer {
            OptimizerKind::Sgd { momentum } => {
                MOMENTUM.check("momentum", momentum.into())?;
            }
            OptimizerKind::Adam { beta1, beta2 } => {
                MOMENTUM.check("Adam beta1", beta1.into())?;
                MOMENTUM.check("Adam beta2", beta2.into())?;
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

impl Choice for Preset {
    const ALL: &'static [Self] = &[
        Preset::Healthy,
        Preset::ModeCollapse,
        Preset::VanishingGradients,
        Preset::Oscillation,
    ];

    fn api_name(self) -> &'static str {
        match self {
            Preset::Healthy => "healthy",
            Preset::ModeCollapse => "mode_collapse",
            Preset::VanishingGradients => "vanishing_gradients",
            Preset::Oscillation => "oscillation",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Preset::Healthy => "Healthy (default)",
            Preset::ModeCollapse => "Failure: mode collapse",
            Preset::VanishingGradients => "Failure: vanishing gradients",
            Preset::Oscillation => "Failure: oscillation",
        }
    }
}

impl Preset {
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
                "With the original minimax loss, plain SGD and a discriminator that trains five times as often and ten times as fast, D soon rejects the fakes confidently; the generator's gradient is proportional to D(fake), so it nearly vanishes (the arrows stay short, G's gradient norm a fraction of a healthy run's) and the fakes stay off the ring."
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
                optimizer: OptimizerKind::Sgd { momentum: 0.0 },
                discriminator_learning_rate: 0.3,
                generator_learning_rate: 0.03,
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
