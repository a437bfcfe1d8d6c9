//! Diffusion on the plane: a forward process that turns data into Gaussian noise step by step,
//! a network that learns to undo it, and samplers that run it backwards from noise to new data.
//!
//! Two objectives train the same network on the same targets: DDPM's noise prediction
//! ε_θ(x_t, t) with the simple loss ‖ε − ε_θ‖², and flow matching's velocity v_θ(x_t, t) on the
//! straight path from data to noise. [`Diffusion`] owns the network, its optimizer and every
//! buffer a step needs (allocated once), the fixed sets the views draw (data and noise for the
//! forward view, the 512 starting noises of [`Diffusion::sample`] and the distance's reference
//! set), the last reverse pass, the loss and distance curves, and the divergence guard.
//!
//! The files: [`config`] (the settings and their limits), [`schedule`] (the forward process in
//! closed form), [`embedding`] (the time embedding), [`sampler`] (DDPM, DDIM and Euler), `train`
//! (the training step, sub-step by sub-step), [`gpu`] (the same training on the GPU) and `state`
//! (the training state as bytes).

pub mod config;
pub mod embedding;
pub mod gpu;
pub mod sampler;
pub mod schedule;
mod state;
mod train;

pub use config::{
    DiffusionConfig, Objective, Sampler, ScheduleKind, MAX_TIMESTEPS, MIN_TIMESTEPS, TIMESTEPS,
};
pub use sampler::ReversePass;
pub use schedule::Process;
pub use train::SubStep;

use crate::divergence::DivergenceGuard;
use crate::history::Curves;
use crate::metrics::{self, SlicedWasserstein};
use crate::nn::{Mlp, Optimizer, OptimizerKind, Workspace, LEARNING_RATE};
use crate::prob::ParamError;
use crate::rng::{self, Rng};
use crate::targets::{Target, TargetError};
use embedding::{network_inputs, EMBEDDING_DIM};
use std::fmt;

/// Starting noises of [`Diffusion::sample`], and the size of the distance's sets: the same 512
/// points as the GAN's (src/gan), so the distances of the generative labs compare.
pub const SAMPLE_POINTS: usize = crate::gan::DISTANCE_SAMPLES;
/// Projection directions of the sliced Wasserstein distance, as in the GAN.
pub const DISTANCE_DIRECTIONS: usize = crate::gan::DISTANCE_DIRECTIONS;
/// The distance is measured every this many iterations: each measurement is a whole reverse
/// pass (512 points × the sampling steps), about as costly as 70 training steps at the defaults.
pub const DISTANCE_INTERVAL: u64 = 250;
/// Paths of the first this many starting noises are in the snapshot.
pub const TRAJECTORIES: usize = 16;
/// Entries each curve keeps before thinning itself.
pub const HISTORY_CAPACITY: usize = 2048;
/// Rows evaluated per batch when drawing the views.
const VIEW_CHUNK: usize = 1024;
/// Mixed into the seed for the fixed view sets, so they never share draws with training.
const VIEW_SEED_MIX: u64 = 0x9e37_79b9_7f4a_7c15;
/// Mixed into the seed for DDPM's fresh noise while sampling: every pass starts this stream
/// again, so `sample()` of the same network gives the same points.
const SAMPLING_SEED_MIX: u64 = 0xd1b5_4a32_d192_ed03;
/// Adam with its usual moment decays.
const ADAM: OptimizerKind = OptimizerKind::Adam {
    beta1: 0.9,
    beta2: 0.999,
};

/// Why a diffusion model could not be built or trained.
#[derive(Clone, Debug, PartialEq)]
pub enum DiffusionError {
    /// A setting outside its allowed range.
    Invalid(ParamError),
    /// A target that cannot be sampled (an empty or out-of-plane drawing).
    Target(TargetError),
    /// Training produced a non-finite number; the message says where and what to do.
    Diverged(String),
}

impl fmt::Display for DiffusionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DiffusionError::Invalid(e) => e.fmt(f),
            DiffusionError::Target(e) => e.fmt(f),
            DiffusionError::Diverged(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for DiffusionError {}

impl From<ParamError> for DiffusionError {
    fn from(e: ParamError) -> Self {
        DiffusionError::Invalid(e)
    }
}

impl From<TargetError> for DiffusionError {
    fn from(e: TargetError) -> Self {
        DiffusionError::Target(e)
    }
}

/// The last training batch, as the narrated step shows it.
#[derive(Clone, Debug, Default)]
pub struct Batch {
    /// The data x₀ (x, y pairs).
    pub data: Vec<f32>,
    /// u = t/T of each point.
    pub times: Vec<f32>,
    /// The noise ε.
    pub noise: Vec<f32>,
    /// x_t = m x₀ + s ε.
    pub noisy: Vec<f32>,
    /// What the network should output: ε (DDPM) or ε − x₀ (flow matching).
    pub targets: Vec<f32>,
    /// What it did output.
    pub prediction: Vec<f32>,
}

/// A diffusion model on the plane with everything needed to train, sample and draw it.
pub struct Diffusion {
    config: DiffusionConfig,
    target: Target,
    process: Process,
    network: Mlp,
    optimizer: Optimizer,
    rng: Rng,
    work: Workspace,
    view_work: Workspace,

    batch: Batch,
    /// Each point's (m, s) of x_t = m x₀ + s ε.
    coefficients: Vec<[f32; 2]>,
    inputs: Vec<f32>,
    /// The rows the views and the samplers feed the network (any number of them).
    view_inputs: Vec<f32>,
    grad: Vec<f32>,
    next: SubStep,

    loss: Option<f32>,
    iteration: u64,
    divergence: DivergenceGuard,
    loss_history: Curves<1>,
    distance_history: Curves<1>,
    distance: f32,

    /// The distance's reference set (also the data the forward view diffuses).
    real: Vec<f32>,
    distance_evaluator: SlicedWasserstein,
    /// The ε each forward-view point is diffused with.
    forward_noise: Vec<f32>,
    /// The 512 starting noises of every reverse pass.
    start_noise: Vec<f32>,
    /// The last reverse pass (every point's path), and the iteration it was run at.
    pass: ReversePass,
    pass_iteration: u64,
}

impl Diffusion {
    /// A freshly initialised model learning `target`; its first reverse pass (the untrained
    /// network's samples) gives the distance at iteration 0.
    pub fn new(config: DiffusionConfig, target: Target) -> Result<Self, DiffusionError> {
        config.validate()?;
        target.validate()?;
        let mut rng = rng::seeded(config.seed);
        let network = Mlp::new(config.network(), &mut rng)?;
        let b = config.batch_size;
        let (real, forward_noise, start_noise) = view_sets(&config, &target);
        let directions = metrics::projection_directions(DISTANCE_DIRECTIONS, config.seed);
        let mut diffusion = Self {
            process: Process::new(config.objective, config.schedule, config.timesteps),
            optimizer: Optimizer::new(ADAM, config.learning_rate, network.param_count()),
            work: network.workspace(b),
            view_work: network.workspace(VIEW_CHUNK),
            batch: Batch {
                data: vec![0.0; 2 * b],
                times: vec![0.0; b],
                noise: vec![0.0; 2 * b],
                noisy: vec![0.0; 2 * b],
                targets: vec![0.0; 2 * b],
                prediction: vec![0.0; 2 * b],
            },
            coefficients: vec![[0.0; 2]; b],
            inputs: vec![0.0; (2 + EMBEDDING_DIM) * b],
            view_inputs: Vec::new(),
            grad: vec![0.0; 2 * b],
            next: SubStep::SampleTimes,
            loss: None,
            iteration: 0,
            divergence: DivergenceGuard::new(),
            loss_history: Curves::new(HISTORY_CAPACITY),
            distance_history: Curves::new(HISTORY_CAPACITY),
            distance: f32::NAN,
            distance_evaluator: SlicedWasserstein::new(&real, &directions),
            real,
            forward_noise,
            start_noise,
            pass: ReversePass::default(),
            pass_iteration: 0,
            config,
            target,
            network,
            rng,
        };
        diffusion.measure_distance();
        Ok(diffusion)
    }

    /// Starts over from the seed: a fresh network and optimizer, empty curves, no divergence.
    pub fn reset(&mut self) {
        self.rng = rng::seeded(self.config.seed);
        self.network.initialise(&mut self.rng);
        self.optimizer.reset();
        self.next = SubStep::SampleTimes;
        self.loss = None;
        self.iteration = 0;
        self.divergence.clear();
        self.loss_history.clear();
        self.distance_history.clear();
        self.measure_distance();
    }

    /// Changes the step size without restarting (the UI's slider).
    pub fn set_learning_rate(&mut self, learning_rate: f32) -> Result<(), DiffusionError> {
        LEARNING_RATE.check("learning_rate", learning_rate.into())?;
        self.config.learning_rate = learning_rate;
        self.optimizer.set_learning_rate(learning_rate);
        Ok(())
    }

    /// Changes how the model is sampled (sampler, steps) without retraining, and samples again.
    pub fn set_sampling(&mut self, sampler: Sampler, steps: usize) -> Result<(), DiffusionError> {
        let config = DiffusionConfig {
            sampler,
            sampling_steps: steps,
            ..self.config.clone()
        };
        config.validate()?;
        self.config = config;
        self.sample();
        Ok(())
    }

    pub fn config(&self) -> &DiffusionConfig {
        &self.config
    }

    pub fn target(&self) -> &Target {
        &self.target
    }

    pub fn process(&self) -> &Process {
        &self.process
    }

    /// The network's optimizer (its moments and step count, for a model file).
    pub fn optimizer(&self) -> &Optimizer {
        &self.optimizer
    }

    pub fn network(&self) -> &Mlp {
        &self.network
    }

    /// Whole iterations completed since the last reset.
    pub fn iteration_count(&self) -> u64 {
        self.iteration
    }

    /// The divergence message, once training has produced a non-finite number.
    pub fn diverged(&self) -> Option<&str> {
        self.divergence.message()
    }

    /// The loss of the last completed iteration (None before the first).
    pub fn loss(&self) -> Option<f32> {
        self.loss
    }

    /// The loss at every recorded iteration.
    pub fn loss_history(&self) -> &Curves<1> {
        &self.loss_history
    }

    /// The distance of the samples to the target at every measured iteration (iteration 0
    /// included).
    pub fn distance_history(&self) -> &Curves<1> {
        &self.distance_history
    }

    /// The last measured sliced Wasserstein distance of the samples to the target.
    pub fn distance(&self) -> f32 {
        self.distance
    }

    /// The distance's reference set: 512 points of the target (x, y pairs).
    pub fn real_samples(&self) -> &[f32] {
        &self.real
    }

    /// The last training batch, as far as the narrated step has formed it.
    pub fn batch(&self) -> &Batch {
        &self.batch
    }

    /// The sub-step a narrated step runs next.
    pub fn next_sub_step(&self) -> SubStep {
        self.next
    }

    /// The last reverse pass.
    pub fn pass(&self) -> &ReversePass {
        &self.pass
    }

    /// The iteration the last reverse pass was run at.
    pub fn pass_iteration(&self) -> u64 {
        self.pass_iteration
    }

    /// Runs the reverse process on the 512 fixed starting noises with the chosen sampler, keeps
    /// every step of it (see [`Diffusion::pass`]) and returns the final points (x, y pairs).
    /// DDPM's fresh noise comes from a stream started again for every pass, so the same network
    /// always gives the same samples.
    pub fn sample(&mut self) -> &[f32] {
        let mut sampling_rng = rng::seeded(self.config.seed ^ SAMPLING_SEED_MIX);
        let Self {
            network,
            view_work,
            view_inputs,
            ..
        } = self;
        self.pass = sampler::reverse(
            &self.process,
            self.config.sampler,
            self.config.sampling_steps,
            &self.start_noise,
            &mut sampling_rng,
            true,
            |x, u, out| predict(network, view_work, view_inputs, x, &[u], out),
        );
        self.pass_iteration = self.iteration;
        self.pass.samples()
    }

    /// The network's output (noise or velocity) at `points` (x, y pairs) at time u = t/T.
    pub fn predict(&mut self, points: &[f32], u: f32) -> Vec<f32> {
        let mut out = vec![0.0; points.len()];
        predict(
            &self.network,
            &mut self.view_work,
            &mut self.view_inputs,
            points,
            &[u],
            &mut out,
        );
        out
    }

    /// The forward view: the fixed data set diffused to step t with fixed noise,
    /// x_t = m_t x₀ + s_t ε (x, y pairs).
    pub fn forward_samples(&self, t: usize) -> Vec<f32> {
        let (m, s) = self.process.coefficients_at(t);
        let (m, s) = (m as f32, s as f32);
        self.real
            .iter()
            .zip(&self.forward_noise)
            .map(|(x0, eps)| m * x0 + s * eps)
            .collect()
    }

    /// Samples and measures the distance to the target, recording it at this iteration.
    fn measure_distance(&mut self) {
        self.sample();
        self.distance = self.distance_evaluator.distance_to(self.pass.samples());
        self.distance_history
            .record(self.iteration, [self.distance]);
    }
}

/// The network's outputs at `points` at the times `times` (one per point, or one for all),
/// through `work` in chunks, into `out`; `inputs` is scratch for the rows.
fn predict(
    network: &Mlp,
    work: &mut Workspace,
    inputs: &mut Vec<f32>,
    points: &[f32],
    times: &[f32],
    out: &mut [f32],
) {
    let width = 2 + EMBEDDING_DIM;
    for (i, (chunk, out)) in points
        .chunks(2 * VIEW_CHUNK)
        .zip(out.chunks_mut(2 * VIEW_CHUNK))
        .enumerate()
    {
        let rows = chunk.len() / 2;
        let chunk_times = if times.len() == 1 {
            times
        } else {
            &times[i * VIEW_CHUNK..i * VIEW_CHUNK + rows]
        };
        inputs.resize(rows * width, 0.0);
        network_inputs(chunk, chunk_times, inputs);
        out.copy_from_slice(network.forward(work, inputs, rows));
    }
}

/// The fixed sets: the distance's reference data (also the forward view's x₀), the forward
/// view's noise and the 512 starting noises of the reverse process.
fn view_sets(config: &DiffusionConfig, target: &Target) -> (Vec<f32>, Vec<f32>, Vec<f32>) {
    let mut view_rng = rng::seeded(config.seed ^ VIEW_SEED_MIX);
    let mut real = vec![0.0; 2 * SAMPLE_POINTS];
    target.sample(&mut view_rng, &mut real);
    let mut forward_noise = vec![0.0; 2 * SAMPLE_POINTS];
    rng::fill_standard_normal(&mut view_rng, &mut forward_noise);
    let mut start_noise = vec![0.0; 2 * SAMPLE_POINTS];
    rng::fill_standard_normal(&mut view_rng, &mut start_noise);
    (real, forward_noise, start_noise)
}
