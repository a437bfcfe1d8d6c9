//! The settings of a diffusion run: [`DiffusionConfig`] (objective, noise schedule, number of
//! steps, sampler, network, batch, learning rate, seed) with its default and its validation, the
//! choices it names ([`Objective`], [`ScheduleKind`], [`Sampler`]), the limits it is checked
//! against, and the network shape it implies.

use super::embedding::EMBEDDING_DIM;
use super::DiffusionError;
use crate::choice::Choice;
use crate::nn::mlp::{HIDDEN_LAYERS, HIDDEN_UNITS};
use crate::nn::{Activation, MlpConfig, BATCH_SIZE, LEARNING_RATE};
use crate::prob::ParamError;
use crate::range::Range;

/// The fewest and the most steps T of the forward process.
pub const MIN_TIMESTEPS: usize = 10;
pub const MAX_TIMESTEPS: usize = 1000;
/// T, the number of noising steps from the data to N(0, I).
pub const TIMESTEPS: Range = Range::whole(MIN_TIMESTEPS as u64, MAX_TIMESTEPS as u64);
/// Between hidden layers, as in the GAN and the VAE: cheap, and sharp enough for the noise a
/// tight mode's neighbourhood asks for at small t.
const ACTIVATION: Activation = Activation::LeakyRelu;

/// What the network learns to predict.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Objective {
    /// DDPM: the noise ε that was added, with the simple loss ‖ε − ε_θ(x_t, t)‖².
    Ddpm,
    /// Flow matching: the velocity ε − x₀ along the straight path x_t = (1 − t) x₀ + t ε.
    FlowMatching,
}

impl Choice for Objective {
    const ALL: &'static [Self] = &[Objective::Ddpm, Objective::FlowMatching];

    fn api_name(self) -> &'static str {
        match self {
            Objective::Ddpm => "ddpm",
            Objective::FlowMatching => "flow_matching",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Objective::Ddpm => "DDPM: predict the noise ε",
            Objective::FlowMatching => "Flow matching: predict the velocity",
        }
    }
}

impl Objective {
    /// The sampler a run of this objective starts with.
    pub fn default_sampler(self) -> Sampler {
        match self {
            Objective::Ddpm => Sampler::Ddpm,
            Objective::FlowMatching => Sampler::Euler,
        }
    }
}

/// How fast the forward process destroys the data (DDPM only).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleKind {
    /// β_t rising linearly (Ho et al. 2020, scaled to T steps).
    Linear,
    /// ᾱ_t following a squared cosine (Nichol & Dhariwal 2021): the signal fades more evenly.
    Cosine,
}

impl Choice for ScheduleKind {
    const ALL: &'static [Self] = &[ScheduleKind::Linear, ScheduleKind::Cosine];

    fn api_name(self) -> &'static str {
        match self {
            ScheduleKind::Linear => "linear",
            ScheduleKind::Cosine => "cosine",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ScheduleKind::Linear => "linear β",
            ScheduleKind::Cosine => "cosine ᾱ",
        }
    }
}

/// How the reverse process walks from noise back to data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sampler {
    /// DDPM ancestral sampling: each step adds fresh noise (stochastic).
    Ddpm,
    /// DDIM: the same marginals without fresh noise (deterministic), fine with fewer steps.
    Ddim,
    /// Euler steps along the learned velocity (flow matching, deterministic).
    Euler,
}

impl Choice for Sampler {
    const ALL: &'static [Self] = &[Sampler::Ddpm, Sampler::Ddim, Sampler::Euler];

    fn api_name(self) -> &'static str {
        match self {
            Sampler::Ddpm => "ddpm",
            Sampler::Ddim => "ddim",
            Sampler::Euler => "euler",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Sampler::Ddpm => "DDPM ancestral (stochastic)",
            Sampler::Ddim => "DDIM (deterministic)",
            Sampler::Euler => "Euler along the velocity (flow matching)",
        }
    }
}

impl Sampler {
    /// Whether this sampler follows what `objective` trains (a noise or a velocity predictor).
    pub fn fits(self, objective: Objective) -> bool {
        (self == Sampler::Euler) == (objective == Objective::FlowMatching)
    }

    /// The samplers that follow what `objective` trains, as a refusal lists them.
    pub fn allowed_with(objective: Objective) -> &'static str {
        match objective {
            Objective::Ddpm => "\"ddpm\" or \"ddim\"",
            Objective::FlowMatching => "\"euler\"",
        }
    }
}

/// Everything that defines a diffusion run.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffusionConfig {
    pub objective: Objective,
    /// The β schedule of the forward process (DDPM; flow matching's path is fixed).
    pub schedule: ScheduleKind,
    /// T, from [`MIN_TIMESTEPS`] to [`MAX_TIMESTEPS`].
    pub timesteps: usize,
    pub sampler: Sampler,
    /// Steps of the reverse process, from 1 to T.
    pub sampling_steps: usize,
    /// Hidden layers of ε_θ (or v_θ), from 0 to 4.
    pub hidden_layers: usize,
    /// Units per hidden layer, from 1 to 128.
    pub hidden_units: usize,
    pub batch_size: usize,
    /// Adam's step size.
    pub learning_rate: f32,
    pub seed: u64,
}

impl Default for DiffusionConfig {
    /// DDPM on a cosine schedule with T = 100, sampled by DDPM's own 100 steps; a 3×64 tanh
    /// network, batch 256, Adam at 0.003.
    fn default() -> Self {
        Self {
            objective: Objective::Ddpm,
            schedule: ScheduleKind::Cosine,
            timesteps: 100,
            sampler: Sampler::Ddpm,
            sampling_steps: 100,
            hidden_layers: 3,
            hidden_units: 64,
            batch_size: 256,
            learning_rate: 3e-3,
            seed: 1,
        }
    }
}

impl DiffusionConfig {
    /// Checks every setting, naming the first one out of range and what is allowed.
    pub fn validate(&self) -> Result<(), DiffusionError> {
        TIMESTEPS.check_count("timesteps", self.timesteps)?;
        if !self.sampler.fits(self.objective) {
            return Err(ParamError::new(
                "sampler",
                format!("\"{}\"", self.sampler.api_name()),
                format!(
                    "{} while objective is \"{}\"",
                    Sampler::allowed_with(self.objective),
                    self.objective.api_name(),
                ),
            )
            .into());
        }
        if !(1..=self.timesteps).contains(&self.sampling_steps) {
            return Err(ParamError::new(
                "sampling_steps",
                self.sampling_steps,
                format!(
                    "a whole number from 1 to timesteps (now {})",
                    self.timesteps
                ),
            )
            .into());
        }
        HIDDEN_LAYERS.check_count("hidden_layers", self.hidden_layers)?;
        HIDDEN_UNITS.check_count("hidden_units", self.hidden_units)?;
        BATCH_SIZE.check_count("batch_size", self.batch_size)?;
        LEARNING_RATE.check("learning_rate", self.learning_rate.into())?;
        Ok(())
    }

    /// The network: a point and the time's embedding in, a noise or a velocity (2-D) out.
    pub(super) fn network(&self) -> MlpConfig {
        MlpConfig {
            inputs: 2 + EMBEDDING_DIM,
            hidden_layers: self.hidden_layers,
            hidden_units: self.hidden_units,
            outputs: 2,
            activation: ACTIVATION,
            output_activation: Activation::Identity,
        }
    }
}
