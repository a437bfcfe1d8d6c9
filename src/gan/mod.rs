//! A generative adversarial network on the plane: a generator maps noise to 2-D points, a
//! discriminator scores points as real or fake, and the two train against each other.
//!
//! [`Gan`] owns both networks, their optimizers and every buffer a step needs (allocated once,
//! reused every step), the views the UI draws (discriminator heat map, generator manifold,
//! gradients on the fakes), the distance to the target and the loss history, and the guard that
//! stops training when it diverges. Training runs whole iterations, single network steps, or one
//! narrated sub-step at a time for the slow-motion mode.

pub mod config;
pub mod game;
pub mod gpu;
pub mod history;
mod state;

pub use config::{GanConfig, GanLoss, NetworkShape, NoiseKind, Preset};
pub use history::History;

use crate::divergence::{all_finite, non_finite_name, DivergenceGuard};
use crate::metrics::{self, SlicedWasserstein};
use crate::nn::{Activation, Gradients, Mlp, MlpConfig, Optimizer, Workspace};
use crate::prob::ParamError;
use crate::rng::{self, Rng};
use crate::targets::{Target, TargetError, PLANE_HALF_WIDTH};
use std::fmt;

/// Points used to measure the distance between generated and real samples.
pub const DISTANCE_SAMPLES: usize = 512;
/// Projection directions of the sliced Wasserstein distance.
pub const DISTANCE_DIRECTIONS: usize = 32;
/// The distance is measured every this many iterations (it costs about a third of an iteration,
/// 0.25 ms against 0.85 in `cargo bench --bench gan` on 2026-12-04: 3 % of training here).
pub const DISTANCE_INTERVAL: u64 = 10;
/// Entries the loss history keeps before thinning itself.
pub const HISTORY_CAPACITY: usize = 2048;
/// Rows evaluated per batch when drawing the views.
const VIEW_CHUNK: usize = 1024;
/// The noise range the manifold view spans for Gaussian noise (± this many standard deviations).
const GAUSSIAN_MANIFOLD_RANGE: f32 = 2.0;
/// Mixed into the seed for the fixed evaluation sets, so they never share draws with training.
const EVALUATION_SEED_MIX: u64 = 0x9e37_79b9_7f4a_7c15;
/// Mixed into the seed for the batches shown before the first step (see `show_first_batches`).
const PREVIEW_SEED_MIX: u64 = 0x2545_f491_4f6c_dd1d;

/// Why a GAN could not be built or trained.
#[derive(Clone, Debug, PartialEq)]
pub enum GanError {
    /// A setting outside its allowed range.
    Invalid(ParamError),
    /// A target that cannot be sampled (an empty or out-of-plane drawing).
    Target(TargetError),
    /// Training produced a non-finite number; the message says where and what to do.
    Diverged(String),
}

impl fmt::Display for GanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GanError::Invalid(e) => e.fmt(f),
            GanError::Target(e) => e.fmt(f),
            GanError::Diverged(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for GanError {}

impl From<ParamError> for GanError {
    fn from(e: ParamError) -> Self {
        GanError::Invalid(e)
    }
}

impl From<TargetError> for GanError {
    fn from(e: TargetError) -> Self {
        GanError::Target(e)
    }
}

/// Which network a step trains (numbered as src/gpu/nn/gan_loss.wgsl numbers them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Phase {
    Discriminator = 0,
    Generator = 1,
}

/// The sub-steps of one network step, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubStep {
    /// Draw a batch of noise (and, for the discriminator, a batch of real samples).
    SampleNoise,
    /// Map the noise through the generator to fake samples.
    Generate,
    /// Score the samples with the discriminator (real and fake, or fake only).
    Classify,
    /// Compute the loss and its gradient with respect to the discriminator's outputs.
    ComputeLoss,
    /// Backpropagate that gradient to the parameters being trained.
    Backpropagate,
    /// Let the optimizer update the parameters.
    Update,
}

impl SubStep {
    const ORDER: [SubStep; 6] = [
        SubStep::SampleNoise,
        SubStep::Generate,
        SubStep::Classify,
        SubStep::ComputeLoss,
        SubStep::Backpropagate,
        SubStep::Update,
    ];

    fn next(self) -> Option<SubStep> {
        let i = SubStep::ORDER.iter().position(|&s| s == self)?;
        SubStep::ORDER.get(i + 1).copied()
    }
}

/// A place in an iteration: which network, which of its steps, which sub-step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Position {
    pub phase: Phase,
    /// 0-based, below the configured steps for the phase.
    pub step: usize,
    pub sub_step: SubStep,
}

impl Position {
    const START: Position = Position {
        phase: Phase::Discriminator,
        step: 0,
        sub_step: SubStep::SampleNoise,
    };

    /// A sentence for the slow-motion mode describing this sub-step.
    pub fn narration(&self) -> &'static str {
        use Phase::*;
        use SubStep::*;
        match (self.phase, self.sub_step) {
            (Discriminator, SampleNoise) => "Draw a batch of noise and a batch of real samples.",
            (Discriminator, Generate) => "The generator turns the noise into fake samples.",
            (Discriminator, Classify) => "The discriminator scores the real and the fake samples.",
            (Discriminator, ComputeLoss) => {
                "The discriminator's loss: how far it is from calling real real and fake fake."
            }
            (Discriminator, Backpropagate) => {
                "Backpropagate the loss to every weight of the discriminator."
            }
            (Discriminator, Update) => {
                "The optimizer nudges the discriminator's weights downhill; the generator is untouched."
            }
            (Generator, SampleNoise) => "Draw a fresh batch of noise.",
            (Generator, Generate) => "The generator turns the noise into fake samples.",
            (Generator, Classify) => "The discriminator scores the fake samples.",
            (Generator, ComputeLoss) => {
                "The generator's loss: how clearly the discriminator sees through the fakes."
            }
            (Generator, Backpropagate) => {
                "Backpropagate through the frozen discriminator to each fake point (the arrows), then into the generator's weights."
            }
            (Generator, Update) => {
                "The optimizer nudges the generator's weights; the discriminator is untouched."
            }
        }
    }
}

/// A GAN on the plane with everything needed to train and to draw it.
pub struct Gan {
    config: GanConfig,
    target: Target,
    generator: Mlp,
    discriminator: Mlp,
    generator_optimizer: Optimizer,
    discriminator_optimizer: Optimizer,
    rng: Rng,

    generator_work: Workspace,
    discriminator_work: Workspace,
    /// Separate workspaces for views, so drawing never disturbs a half-finished step.
    generator_view_work: Workspace,
    discriminator_view_work: Workspace,

    noise: Vec<f32>,
    real: Vec<f32>,
    fake: Vec<f32>,
    /// Real then fake samples, the discriminator's input in its own step.
    discriminator_input: Vec<f32>,
    /// 1 for the real half, 0 for the fake half (cross-entropy and least-squares targets).
    labels: Vec<f32>,
    /// +1 for the real half, -1 for the fake half (hinge labels).
    signs: Vec<f32>,
    output_grad: Vec<f32>,
    real_beliefs: Vec<f32>,
    fake_beliefs: Vec<f32>,
    fake_gradients: Vec<f32>,
    fake_gradient_samples: Vec<f32>,
    view_points: Vec<f32>,
    view_values: Vec<f32>,

    discriminator_loss: f32,
    generator_loss: f32,
    discriminator_grad_norm: f32,
    generator_grad_norm: f32,
    iteration: u64,
    position: Position,
    divergence: DivergenceGuard,

    distance_evaluator: SlicedWasserstein,
    evaluation_noise: Vec<f32>,
    distance: f32,
    history: History,
}

impl Gan {
    /// A freshly initialised GAN learning `target`.
    pub fn new(config: GanConfig, target: Target) -> Result<Self, GanError> {
        config.validate()?;
        target.validate()?;
        let mut rng = rng::seeded(config.seed);
        let generator = Mlp::new(generator_config(&config), &mut rng)?;
        let discriminator = Mlp::new(discriminator_config(&config), &mut rng)?;
        let b = config.batch_size;
        let labels: Vec<f32> = (0..2 * b).map(|i| if i < b { 1.0 } else { 0.0 }).collect();
        let signs = labels.iter().map(|l| 2.0 * l - 1.0).collect();
        let (distance_evaluator, evaluation_noise) = evaluation_sets(&config, &target);
        let mut gan = Self {
            generator_optimizer: Optimizer::new(
                config.optimizer,
                config.generator_learning_rate,
                generator.param_count(),
            ),
            discriminator_optimizer: Optimizer::new(
                config.optimizer,
                config.discriminator_learning_rate,
                discriminator.param_count(),
            ),
            generator_work: generator.workspace(b),
            discriminator_work: discriminator.workspace(2 * b),
            generator_view_work: generator.workspace(VIEW_CHUNK),
            discriminator_view_work: discriminator.workspace(VIEW_CHUNK),
            noise: vec![0.0; b * config.noise_dim],
            real: vec![0.0; 2 * b],
            fake: vec![0.0; 2 * b],
            discriminator_input: vec![0.0; 4 * b],
            labels,
            signs,
            output_grad: vec![0.0; 2 * b],
            real_beliefs: vec![0.0; b],
            fake_beliefs: vec![0.0; b],
            fake_gradients: vec![0.0; 2 * b],
            fake_gradient_samples: vec![0.0; 2 * b],
            view_points: Vec::new(),
            view_values: Vec::new(),
            discriminator_loss: f32::NAN,
            generator_loss: f32::NAN,
            discriminator_grad_norm: 0.0,
            generator_grad_norm: 0.0,
            iteration: 0,
            position: Position::START,
            divergence: DivergenceGuard::new(),
            distance_evaluator,
            evaluation_noise,
            distance: f32::NAN,
            history: History::new(HISTORY_CAPACITY),
            config,
            target,
            generator,
            discriminator,
            rng,
        };
        gan.distance = gan.measure_distance();
        gan.show_first_batches();
        Ok(gan)
    }

    /// Fills the real and generated batches before the first step, so that a student sees the
    /// target and the untrained generator's output at once instead of an empty plane. The draws
    /// come from their own stream: the training run is the same with or without them.
    fn show_first_batches(&mut self) {
        let mut rng = rng::seeded(self.config.seed ^ PREVIEW_SEED_MIX);
        self.config.noise.fill(&mut rng, &mut self.noise);
        self.target.sample(&mut rng, &mut self.real);
        let b = self.config.batch_size;
        let fake = self
            .generator
            .forward(&mut self.generator_work, &self.noise, b);
        self.fake.copy_from_slice(fake);
    }

    /// Starts over from the seed: fresh networks and optimizers, empty history, no divergence.
    pub fn reset(&mut self) {
        self.rng = rng::seeded(self.config.seed);
        self.generator.initialise(&mut self.rng);
        self.discriminator.initialise(&mut self.rng);
        self.generator_optimizer.reset();
        self.discriminator_optimizer.reset();
        self.discriminator_loss = f32::NAN;
        self.generator_loss = f32::NAN;
        self.discriminator_grad_norm = 0.0;
        self.generator_grad_norm = 0.0;
        self.iteration = 0;
        self.position = Position::START;
        self.divergence.clear();
        self.history.clear();
        self.fake_gradients.fill(0.0);
        self.distance = self.measure_distance();
        self.show_first_batches();
    }

    /// Changes the learning rates without restarting (the UI's sliders).
    pub fn set_learning_rates(
        &mut self,
        discriminator: f32,
        generator: f32,
    ) -> Result<(), GanError> {
        let config = GanConfig {
            discriminator_learning_rate: discriminator,
            generator_learning_rate: generator,
            ..self.config.clone()
        };
        config.validate()?;
        self.config = config;
        self.discriminator_optimizer
            .set_learning_rate(discriminator);
        self.generator_optimizer.set_learning_rate(generator);
        Ok(())
    }

    pub fn config(&self) -> &GanConfig {
        &self.config
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn generator(&self) -> &Mlp {
        &self.generator
    }

    pub fn discriminator(&self) -> &Mlp {
        &self.discriminator
    }

    pub fn generator_optimizer(&self) -> &Optimizer {
        &self.generator_optimizer
    }

    pub fn discriminator_optimizer(&self) -> &Optimizer {
        &self.discriminator_optimizer
    }

    /// Whole iterations completed since the last reset.
    pub fn iteration_count(&self) -> u64 {
        self.iteration
    }

    /// The sub-step [`Gan::advance_sub_step`] will run next.
    pub fn position(&self) -> Position {
        self.position
    }

    /// The divergence message, once training has produced a non-finite number.
    pub fn diverged(&self) -> Option<&str> {
        self.divergence.message()
    }

    /// Runs one iteration: the configured discriminator steps, then the generator steps. If a
    /// narrated iteration is under way, finishes it instead.
    pub fn iteration(&mut self) -> Result<(), GanError> {
        let start = self.iteration;
        while self.iteration == start {
            self.advance_sub_step()?;
        }
        Ok(())
    }

    /// Runs `count` iterations, stopping at the first error.
    pub fn iterations(&mut self, count: usize) -> Result<(), GanError> {
        for _ in 0..count {
            self.iteration()?;
        }
        Ok(())
    }

    /// One full discriminator step on its own (abandoning any half-done narrated iteration).
    pub fn train_discriminator_step(&mut self) -> Result<(), GanError> {
        self.single_step(Phase::Discriminator)
    }

    /// One full generator step on its own (abandoning any half-done narrated iteration).
    pub fn train_generator_step(&mut self) -> Result<(), GanError> {
        self.single_step(Phase::Generator)
    }

    fn single_step(&mut self, phase: Phase) -> Result<(), GanError> {
        self.check_not_diverged()?;
        for sub_step in SubStep::ORDER {
            let result = self.run_sub_step(Position {
                phase,
                step: 0,
                sub_step,
            });
            if let Err(e) = result {
                return Err(self.stop(e));
            }
        }
        self.position = Position::START;
        Ok(())
    }

    /// Runs the next sub-step of the current iteration and returns where it was; the values it
    /// produced are readable through the accessors (noise, samples, beliefs, losses, norms).
    pub fn advance_sub_step(&mut self) -> Result<Position, GanError> {
        self.check_not_diverged()?;
        let done = self.position;
        if let Err(e) = self.run_sub_step(done) {
            return Err(self.stop(e));
        }
        self.position = match done.sub_step.next() {
            Some(sub_step) => Position { sub_step, ..done },
            None => self.after_step(done),
        };
        Ok(done)
    }

    /// Where to go after the last sub-step of `done`'s network step.
    fn after_step(&mut self, done: Position) -> Position {
        let steps = match done.phase {
            Phase::Discriminator => self.config.discriminator_steps,
            Phase::Generator => self.config.generator_steps,
        };
        if done.step + 1 < steps {
            return Position {
                step: done.step + 1,
                sub_step: SubStep::SampleNoise,
                ..done
            };
        }
        if done.phase == Phase::Discriminator {
            return Position {
                phase: Phase::Generator,
                step: 0,
                sub_step: SubStep::SampleNoise,
            };
        }
        self.iteration += 1;
        if self.iteration.is_multiple_of(DISTANCE_INTERVAL) {
            self.distance = self.measure_distance();
        }
        self.history.record(
            self.iteration,
            self.discriminator_loss,
            self.generator_loss,
            self.distance,
        );
        Position::START
    }

    fn check_not_diverged(&self) -> Result<(), GanError> {
        self.divergence.check().map_err(GanError::Diverged)
    }

    /// Records a divergence (`what` names the network and the quantity) and returns its error.
    fn stop(&mut self, what: String) -> GanError {
        let learning_rate = if what.starts_with("the generator") {
            self.config.generator_learning_rate
        } else {
            self.config.discriminator_learning_rate
        };
        // Named by the iteration that broke, the one after the last completed.
        GanError::Diverged(
            self.divergence
                .trip(self.iteration + 1, &what, learning_rate),
        )
    }

    /// Runs one sub-step; `Err` carries what became non-finite.
    fn run_sub_step(&mut self, at: Position) -> Result<(), String> {
        let b = self.config.batch_size;
        match (at.phase, at.sub_step) {
            (phase, SubStep::SampleNoise) => {
                self.config.noise.fill(&mut self.rng, &mut self.noise);
                if phase == Phase::Discriminator {
                    self.target.sample(&mut self.rng, &mut self.real);
                }
            }
            (phase, SubStep::Generate) => {
                let fake = self
                    .generator
                    .forward(&mut self.generator_work, &self.noise, b);
                self.fake.copy_from_slice(fake);
                if phase == Phase::Discriminator {
                    let (real_half, fake_half) = self.discriminator_input.split_at_mut(2 * b);
                    real_half.copy_from_slice(&self.real);
                    fake_half.copy_from_slice(&self.fake);
                }
            }
            (Phase::Discriminator, SubStep::Classify) => {
                let outputs = self.discriminator.forward(
                    &mut self.discriminator_work,
                    &self.discriminator_input,
                    2 * b,
                );
                let loss = self.config.loss;
                let (real, fake) = outputs.split_at(b);
                beliefs(loss, real, &mut self.real_beliefs);
                beliefs(loss, fake, &mut self.fake_beliefs);
            }
            (Phase::Generator, SubStep::Classify) => {
                let outputs =
                    self.discriminator
                        .forward(&mut self.discriminator_work, &self.fake, b);
                beliefs(self.config.loss, outputs, &mut self.fake_beliefs);
            }
            (Phase::Discriminator, SubStep::ComputeLoss) => {
                let outputs = self.discriminator_work.output();
                let grad = &mut self.output_grad[..2 * b];
                self.discriminator_loss = game::discriminator_loss(
                    self.config.loss,
                    outputs,
                    &self.labels,
                    &self.signs,
                    grad,
                );
                if !self.discriminator_loss.is_finite() {
                    return Err(loss_diverged(Phase::Discriminator, self.discriminator_loss));
                }
            }
            (Phase::Generator, SubStep::ComputeLoss) => {
                let outputs = self.discriminator_work.output();
                let grad = &mut self.output_grad[..b];
                let (ones, zeros) = self.labels.split_at(b);
                self.generator_loss =
                    game::generator_loss(self.config.loss, outputs, ones, zeros, grad);
                if !self.generator_loss.is_finite() {
                    return Err(loss_diverged(Phase::Generator, self.generator_loss));
                }
            }
            (Phase::Discriminator, SubStep::Backpropagate) => {
                self.discriminator.backward(
                    &mut self.discriminator_work,
                    &self.output_grad[..2 * b],
                    Gradients::Parameters,
                );
                self.discriminator_grad_norm = self.discriminator.grad_norm();
                if !self.discriminator_grad_norm.is_finite() {
                    return Err(gradients_diverged(Phase::Discriminator));
                }
            }
            (Phase::Generator, SubStep::Backpropagate) => {
                // Through the discriminator to the fake points only: its weights stay as they are.
                self.discriminator.backward(
                    &mut self.discriminator_work,
                    &self.output_grad[..b],
                    Gradients::Input,
                );
                self.fake_gradients
                    .copy_from_slice(self.discriminator_work.input_grad());
                self.fake_gradient_samples.copy_from_slice(&self.fake);
                self.generator.backward(
                    &mut self.generator_work,
                    &self.fake_gradients,
                    Gradients::Parameters,
                );
                self.generator_grad_norm = self.generator.grad_norm();
                if !self.generator_grad_norm.is_finite() {
                    return Err(gradients_diverged(Phase::Generator));
                }
            }
            (Phase::Discriminator, SubStep::Update) => {
                let (params, grads) = self.discriminator.params_and_grads();
                self.discriminator_optimizer.step(params, grads);
                if !all_finite(self.discriminator.params()) {
                    return Err(weights_diverged(Phase::Discriminator));
                }
            }
            (Phase::Generator, SubStep::Update) => {
                let (params, grads) = self.generator.params_and_grads();
                self.generator_optimizer.step(params, grads);
                if !all_finite(self.generator.params()) {
                    return Err(weights_diverged(Phase::Generator));
                }
            }
        }
        Ok(())
    }

    /// The sliced Wasserstein distance between a fixed set of generated points (fixed noise)
    /// and a fixed set of real points.
    fn measure_distance(&mut self) -> f32 {
        let mut generated = std::mem::take(&mut self.view_values);
        generated.clear();
        for noise in self
            .evaluation_noise
            .chunks(VIEW_CHUNK * self.config.noise_dim)
        {
            let rows = noise.len() / self.config.noise_dim;
            let points = self
                .generator
                .forward(&mut self.generator_view_work, noise, rows);
            generated.extend_from_slice(points);
        }
        let distance = self.distance_evaluator.distance_to(&generated);
        self.view_values = generated;
        distance
    }

    /// The latest distance between generated and real samples (measured every
    /// [`DISTANCE_INTERVAL`] iterations and at reset).
    pub fn distance(&self) -> f32 {
        self.distance
    }

    /// Measures the distance now, whatever the iteration.
    pub fn measure_distance_now(&mut self) -> f32 {
        self.distance = self.measure_distance();
        self.distance
    }

    pub fn history(&self) -> &History {
        &self.history
    }

    /// The last discriminator loss (real mean plus fake mean) and generator loss.
    pub fn losses(&self) -> (f32, f32) {
        (self.discriminator_loss, self.generator_loss)
    }

    /// The norms of the last discriminator and generator parameter gradients.
    pub fn gradient_norms(&self) -> (f32, f32) {
        (self.discriminator_grad_norm, self.generator_grad_norm)
    }

    /// The last noise batch (batch × noise_dim).
    pub fn noise(&self) -> &[f32] {
        &self.noise
    }

    /// The last real batch (batch × 2, x then y).
    pub fn real_samples(&self) -> &[f32] {
        &self.real
    }

    /// The last generated batch (batch × 2).
    pub fn fake_samples(&self) -> &[f32] {
        &self.fake
    }

    /// The discriminator's belief in [0, 1] that each real sample is real (last classification
    /// of real samples, in the discriminator's step).
    pub fn real_beliefs(&self) -> &[f32] {
        &self.real_beliefs
    }

    /// The discriminator's belief that each fake sample is real (last classification).
    pub fn fake_beliefs(&self) -> &[f32] {
        &self.fake_beliefs
    }

    /// d(generator loss)/d(x, y) for each fake point of the last generator step (batch × 2);
    /// the generator moves its points along minus these. The points are
    /// [`Gan::fake_gradient_samples`].
    pub fn fake_gradients(&self) -> &[f32] {
        &self.fake_gradients
    }

    /// The fake points the last generator step computed [`Gan::fake_gradients`] at.
    pub fn fake_gradient_samples(&self) -> &[f32] {
        &self.fake_gradient_samples
    }

    /// The discriminator's belief in [0, 1] that a point is real, over an n×n grid of cell
    /// centres covering the plane [-PLANE_HALF_WIDTH, PLANE_HALF_WIDTH]², row-major with row 0
    /// at the top (largest y) and column 0 at the left (smallest x), as an image is stored.
    pub fn discriminator_grid(&mut self, n: usize) -> &[f32] {
        let cell = 2.0 * PLANE_HALF_WIDTH / n as f32;
        self.view_points.clear();
        for row in 0..n {
            let y = PLANE_HALF_WIDTH - (row as f32 + 0.5) * cell;
            for column in 0..n {
                let x = -PLANE_HALF_WIDTH + (column as f32 + 0.5) * cell;
                self.view_points.extend_from_slice(&[x, y]);
            }
        }
        self.view_values.clear();
        let loss = self.config.loss;
        for points in self.view_points.chunks(2 * VIEW_CHUNK) {
            let outputs = self.discriminator.forward(
                &mut self.discriminator_view_work,
                points,
                points.len() / 2,
            );
            self.view_values
                .extend(outputs.iter().map(|&o| loss.belief(o)));
        }
        &self.view_values
    }

    /// The generator applied to a regular grid of noise: for 1-D noise, `n` points along the
    /// noise line (a curve); for 2-D noise, n×n points row by row (a warped sheet). Uniform noise
    /// spans [-1, 1], Gaussian noise ±2 standard deviations. Returns x, y pairs.
    pub fn generator_manifold(&mut self, n: usize) -> &[f32] {
        let half = match self.config.noise {
            NoiseKind::Uniform => 1.0,
            NoiseKind::Gaussian => GAUSSIAN_MANIFOLD_RANGE,
        };
        let coordinate = |i: usize| {
            if n == 1 {
                0.0
            } else {
                -half + 2.0 * half * i as f32 / (n - 1) as f32
            }
        };
        self.view_points.clear();
        if self.config.noise_dim == 1 {
            self.view_points.extend((0..n).map(coordinate));
        } else {
            for row in 0..n {
                for column in 0..n {
                    self.view_points
                        .extend_from_slice(&[coordinate(column), coordinate(row)]);
                }
            }
        }
        self.view_values.clear();
        let dim = self.config.noise_dim;
        for noise in self.view_points.chunks(dim * VIEW_CHUNK) {
            let outputs =
                self.generator
                    .forward(&mut self.generator_view_work, noise, noise.len() / dim);
            self.view_values.extend_from_slice(outputs);
        }
        &self.view_values
    }
}

fn generator_config(config: &GanConfig) -> MlpConfig {
    MlpConfig {
        inputs: config.noise_dim,
        hidden_layers: config.generator.hidden_layers,
        hidden_units: config.generator.hidden_units,
        outputs: 2,
        activation: config.activation,
        output_activation: Activation::Identity,
    }
}

fn discriminator_config(config: &GanConfig) -> MlpConfig {
    MlpConfig {
        inputs: 2,
        hidden_layers: config.discriminator.hidden_layers,
        hidden_units: config.discriminator.hidden_units,
        outputs: 1,
        activation: config.activation,
        output_activation: Activation::Identity,
    }
}

/// The fixed real set (inside the distance evaluator) and fixed noise set the distance uses,
/// drawn from their own stream so measuring never changes the training run.
fn evaluation_sets(config: &GanConfig, target: &Target) -> (SlicedWasserstein, Vec<f32>) {
    let mut rng = rng::seeded(config.seed ^ EVALUATION_SEED_MIX);
    let mut real = vec![0.0; 2 * DISTANCE_SAMPLES];
    target.sample(&mut rng, &mut real);
    let mut noise = vec![0.0; config.noise_dim * DISTANCE_SAMPLES];
    config.noise.fill(&mut rng, &mut noise);
    let directions = metrics::projection_directions(DISTANCE_DIRECTIONS, config.seed);
    (SlicedWasserstein::new(&real, &directions), noise)
}

/// "the discriminator's" or "the generator's", as a divergence message names the network.
fn network_of(phase: Phase) -> &'static str {
    match phase {
        Phase::Discriminator => "the discriminator's",
        Phase::Generator => "the generator's",
    }
}

/// What a divergence message says when a network's loss became `value` (NaN or infinite).
fn loss_diverged(phase: Phase, value: f32) -> String {
    format!(
        "{} loss became {}",
        network_of(phase),
        non_finite_name(value)
    )
}

fn gradients_diverged(phase: Phase) -> String {
    format!("{} gradients became NaN or infinite", network_of(phase))
}

fn weights_diverged(phase: Phase) -> String {
    format!("{} weights became NaN or infinite", network_of(phase))
}

fn beliefs(loss: GanLoss, outputs: &[f32], out: &mut [f32]) {
    out.iter_mut()
        .zip(outputs)
        .for_each(|(b, &o)| *b = loss.belief(o));
}
