//! The diffusion model trained on the GPU ([`DiffusionGpu`]): the network and its Adam state live
//! in GPU buffers while it trains.
//!
//! The same random numbers feed both paths: for each iteration the CPU makes the batch as its own
//! first three sub-steps do (x₀, the times, ε, then x_t, the targets and the network's input
//! rows with the time embedding, [`Diffusion::draw_batch`]) with the model's own seeded
//! generator, and uploads the input rows and the targets. On the GPU an iteration runs the
//! network forward, takes the mean squared error against the targets, backpropagates and makes
//! one Adam update. A run of iterations is one submission; each iteration's loss, gradient norm
//! and weight sum come back in one read-back at its end, with the weights and the optimizer's
//! state, into the CPU's [`Diffusion`], which the views and the samplers draw from.
//!
//! The distance to the target is a whole reverse pass, run on the CPU: a run ends where one is
//! due, so that it is measured from the weights of that very iteration, as on the CPU.

use super::embedding::EMBEDDING_DIM;
use super::train::{loss_diverged, GRADIENTS_DIVERGED, WEIGHTS_DIVERGED};
use super::{Batch, Diffusion, DISTANCE_INTERVAL};
use crate::gpu::nn::optim::Training;
use crate::gpu::nn::run::{CpuCopy, GpuTraining, InFlight, Planned};
use crate::gpu::nn::{mse, Dispatch, Kernels, Network, Parameters, Pass, Recorder, RunFailed};
use crate::gpu::Gpu;
use crate::nn::Gradients;
use crate::rng::Rng;

/// The most numbers one submission uploads (16 MiB); longer runs take several submissions.
const MAX_UPLOAD: usize = 1 << 22;
/// The most iterations one submission records.
const MAX_ITERATIONS: u64 = 500;
/// Per iteration, what lands in `stats`: the loss, the gradient's squared norm and the sum of
/// the weights after the update.
const STATS: usize = 3;

/// A run of iterations on its way.
pub struct Plan {
    iterations: u64,
    /// The model's generator after the draws, and the last iteration's batch.
    rng: Rng,
    batch: Batch,
    coefficients: Vec<[f32; 2]>,
    inputs: Vec<f32>,
    /// The optimizer's update count after the run.
    steps: u32,
    stats: Vec<usize>,
    /// Where the last iteration's predictions and the network's state start.
    prediction: usize,
    state: usize,
}

impl Planned for Plan {
    fn iterations(&self) -> u64 {
        self.iterations
    }
}

/// A diffusion model's training on the GPU: buffers and dispatches built once for its
/// configuration.
pub struct DiffusionGpu {
    gpu: Gpu,
    batch: usize,
    network: Network,
    training: Training,
    pass: Pass,
    loss: Dispatch,
    inputs: wgpu::Buffer,
    targets: wgpu::Buffer,
    stats: wgpu::Buffer,
    runs: InFlight<Plan>,
}

impl DiffusionGpu {
    /// Moves `model` onto `gpu`: uploads what it trains and builds the step's dispatches.
    pub fn new(gpu: &Gpu, model: &Diffusion) -> Self {
        let kernels = Kernels::of(gpu);
        let b = model.config.batch_size;
        let stats = gpu.storage("stats", STATS);
        let network = Network::new(gpu, "denoiser", &model.network, &model.optimizer);
        let inputs = gpu.storage("inputs", (2 + EMBEDDING_DIM) * b);
        let targets = gpu.storage("targets", 2 * b);
        let pass = Pass::new(
            gpu,
            &kernels,
            &network,
            &inputs,
            b,
            Some(Gradients::Parameters),
            None,
        );
        let loss = mse::dispatch(
            gpu,
            &kernels,
            2 * b,
            [pass.output(), &targets, pass.output_grad(), &stats],
            0,
        );
        let kind = model.optimizer.kind();
        let training = Training::new(gpu, &kernels, &network.parameters, kind, &stats, [1, 2]);
        Self {
            gpu: gpu.clone(),
            batch: b,
            network,
            training,
            pass,
            loss,
            inputs,
            targets,
            stats,
            runs: InFlight::default(),
        }
    }

    fn gradients(&self) -> impl Iterator<Item = &Dispatch> {
        self.pass
            .forward()
            .iter()
            .chain([&self.loss])
            .chain(self.pass.backward())
    }

    /// Writes the CPU's network and optimizer state into the GPU's buffers if the CPU changed
    /// them.
    fn sync(&mut self, model: &Diffusion) {
        if self.runs.take_stale() {
            self.network
                .upload(&self.gpu, &model.network, &model.optimizer);
        }
    }

    /// The loss of `data` at `times` (u = t/T) with `noise`, and its gradient with respect to
    /// the parameters, computed on the GPU without an update (for the tests that hold the
    /// kernels to the CPU's `Diffusion::evaluate`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn evaluate_blocking(
        &mut self,
        model: &Diffusion,
        data: &[f32],
        times: &[f32],
        noise: &[f32],
    ) -> Result<(f32, Vec<f32>), crate::gpu::GpuError> {
        self.sync(model);
        let b = self.batch;
        let mut batch = Batch {
            data: data.to_vec(),
            times: times.to_vec(),
            noise: noise.to_vec(),
            noisy: vec![0.0; 2 * b],
            targets: vec![0.0; 2 * b],
            prediction: vec![0.0; 2 * b],
        };
        let coefficients: Vec<[f32; 2]> = times
            .iter()
            .map(|&u| {
                let (m, s) = model.process.coefficients(u as f64);
                [m as f32, s as f32]
            })
            .collect();
        let mut inputs = vec![0.0; (2 + EMBEDDING_DIM) * b];
        let flow = model.config.objective == super::Objective::FlowMatching;
        super::train::form_noisy(flow, &coefficients, &mut batch, &mut inputs);
        let len = self.network.parameters.len;
        let mut rec = Recorder::new(&self.gpu, inputs.len() + 2 * b, 1 + len);
        rec.upload(&inputs, &self.inputs, 0);
        rec.upload(&batch.targets, &self.targets, 0);
        rec.run(self.gradients());
        rec.gather(&self.stats, 0, 1);
        rec.gather(&self.network.parameters.grads, 0, len);
        let values = rec.finish(&self.gpu).wait(&self.gpu)?;
        Ok((values[0], values[1..].to_vec()))
    }
}

impl CpuCopy for Diffusion {
    fn iteration_count(&self) -> u64 {
        Diffusion::iteration_count(self)
    }
    fn diverged(&self) -> Option<&str> {
        Diffusion::diverged(self)
    }
}

impl GpuTraining for DiffusionGpu {
    type Plan = Plan;
    type Model = Diffusion;
    type Done = u64;
    fn device(&self) -> &Gpu {
        &self.gpu
    }
    fn runs(&self) -> &InFlight<Plan> {
        &self.runs
    }
    fn runs_mut(&mut self) -> &mut InFlight<Plan> {
        &mut self.runs
    }

    fn start(&mut self, model: &Diffusion, iterations: u64) -> Result<u64, RunFailed> {
        self.runs.ready(&self.gpu)?;
        let b = self.batch;
        let per_iteration = b * (2 + EMBEDDING_DIM + 2) + 2;
        let to_distance = DISTANCE_INTERVAL - model.iteration % DISTANCE_INTERVAL;
        let iterations = iterations
            .min(to_distance)
            .min(((MAX_UPLOAD / per_iteration) as u64).clamp(1, MAX_ITERATIONS));
        if iterations == 0 {
            return Ok(0);
        }
        self.sync(model);
        let optimizer = &model.optimizer;
        let (first, second) = optimizer.state();
        let len = self.network.parameters.len;
        let gather_len = iterations as usize * STATS + 2 * b + len + first.len() + second.len();
        let mut rec = Recorder::new(&self.gpu, iterations as usize * per_iteration, gather_len);
        let mut rng = model.rng.clone();
        let mut batch = model.batch.clone();
        let mut coefficients = model.coefficients.clone();
        let mut inputs = model.inputs.clone();
        let mut steps = optimizer.steps();
        let mut stats = Vec::with_capacity(iterations as usize);
        for _ in 0..iterations {
            model.draw_batch(&mut rng, &mut batch, &mut coefficients, &mut inputs);
            rec.upload(&inputs, &self.inputs, 0);
            rec.upload(&batch.targets, &self.targets, 0);
            steps += 1;
            let (uniform, at) = self.training.update.factors_target();
            rec.upload(&optimizer.step_factors(steps), uniform, at);
            rec.run(self.gradients().chain(self.training.dispatches()));
            stats.push(rec.gather(&self.stats, 0, STATS));
        }
        let prediction = rec.gather(self.pass.output(), 0, 2 * b);
        let [params, m, v] = self.network.parameters.state_buffers();
        let state = rec.gather(params, 0, len);
        rec.gather(m, 0, first.len());
        rec.gather(v, 0, second.len());
        let plan = Plan {
            iterations,
            rng,
            batch,
            coefficients,
            inputs,
            steps,
            stats,
            prediction,
            state,
        };
        let readback = rec.finish(&self.gpu);
        self.runs.begin(readback, plan);
        Ok(iterations)
    }

    fn finish(&mut self, model: &mut Diffusion) -> Result<Option<u64>, RunFailed> {
        self.runs
            .finish(&self.gpu, 0, |plan, values| commit(model, plan, values))
    }
}

/// Writes a run's read-back `values` into `model`, checking each iteration as the CPU's step
/// does (the loss, then the gradients, then the weights) and stopping at the first non-finite
/// number with the CPU's message; returns the iterations completed.
fn commit(model: &mut Diffusion, mut plan: Plan, values: &[f32]) -> u64 {
    let mut losses = Vec::with_capacity(plan.stats.len());
    let mut diverged = None;
    for &at in &plan.stats {
        let (loss, norm, weights) = (values[at], values[at + 1].sqrt(), values[at + 2]);
        diverged = if !loss.is_finite() {
            Some(loss_diverged(loss))
        } else if !norm.is_finite() {
            Some(GRADIENTS_DIVERGED.to_string())
        } else if !weights.is_finite() {
            Some(WEIGHTS_DIVERGED.to_string())
        } else {
            None
        };
        if diverged.is_some() {
            break;
        }
        losses.push(loss);
    }
    let b = model.config.batch_size;
    plan.batch
        .prediction
        .copy_from_slice(&values[plan.prediction..plan.prediction + 2 * b]);
    model.rng = plan.rng;
    model.batch = plan.batch;
    model.coefficients = plan.coefficients;
    model.inputs = plan.inputs;
    Parameters::write_back(
        &values[plan.state..],
        model.network.params_mut(),
        &mut model.optimizer,
        plan.steps,
    );
    // After the weights: the last iteration of a run may be one whose distance is due.
    for &loss in &losses {
        model.complete_iteration(loss);
    }
    if let Some(what) = diverged {
        let (iteration, rate) = (model.iteration, model.config.learning_rate);
        model.divergence.trip(iteration, &what, rate);
    }
    losses.len() as u64
}
