//! Training: one iteration draws a batch of data x₀ and a time t for each point, draws the noise
//! ε, forms x_t = m_t x₀ + s_t ε, predicts (ε for DDPM, the velocity ε − x₀ for flow matching),
//! takes the mean squared error as the loss and makes one Adam update. Each of those six is a
//! [`SubStep`] the narrated step runs one at a time; a whole iteration runs them in order, so
//! both paths draw the same numbers. The divergence guard stops the run at its first
//! non-finite number.

use super::config::{DiffusionConfig, Objective};
use super::embedding::network_inputs;
use super::{Batch, Diffusion, DiffusionError, Process, DISTANCE_INTERVAL};
use crate::divergence::{all_finite, non_finite_name};
use crate::nn::{loss, Gradients};
use crate::rng::{self, Rng};
use crate::targets::Target;

pub(super) const GRADIENTS_DIVERGED: &str = "the gradients became NaN or infinite";
pub(super) const WEIGHTS_DIVERGED: &str = "the weights became NaN or infinite";

/// What the divergence guard says of a loss that is not finite.
pub(super) fn loss_diverged(loss: f32) -> String {
    format!("the loss became {}", non_finite_name(loss))
}

/// The parts of one training iteration, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SubStep {
    SampleTimes,
    SampleNoise,
    FormNoisy,
    Predict,
    ComputeLoss,
    Update,
}

impl SubStep {
    pub const ALL: [SubStep; 6] = [
        SubStep::SampleTimes,
        SubStep::SampleNoise,
        SubStep::FormNoisy,
        SubStep::Predict,
        SubStep::ComputeLoss,
        SubStep::Update,
    ];

    /// The API name ("sample_t", …).
    pub fn name(self) -> &'static str {
        match self {
            SubStep::SampleTimes => "sample_t",
            SubStep::SampleNoise => "sample_noise",
            SubStep::FormNoisy => "form_x_t",
            SubStep::Predict => "predict",
            SubStep::ComputeLoss => "loss",
            SubStep::Update => "update",
        }
    }

    /// What this sub-step does, for a student, under `objective`.
    pub fn narration(self, objective: Objective) -> &'static str {
        let flow = objective == Objective::FlowMatching;
        match self {
            SubStep::SampleTimes if flow => "Sample t: draw a batch of data points x₀ and, for each, a time t uniformly between 0 (data) and 1 (noise).",
            SubStep::SampleTimes => "Sample t: draw a batch of data points x₀ and, for each, a step t uniformly from 1 to T.",
            SubStep::SampleNoise => "Sample ε: draw one Gaussian noise vector ε ~ N(0, I) for each point.",
            SubStep::FormNoisy if flow => "Form x_t = (1 − t) x₀ + t ε: each point moves a fraction t of the straight way from its data point to its noise.",
            SubStep::FormNoisy => "Form x_t = √ᾱ_t x₀ + √(1 − ᾱ_t) ε: the forward process in one jump, the closed form of t noising steps.",
            SubStep::Predict if flow => "Predict: the network reads x_t and the embedding of t and outputs a velocity v_θ(x_t, t); the true one is ε − x₀.",
            SubStep::Predict => "Predict: the network reads x_t and the embedding of t and outputs its guess ε_θ(x_t, t) of the noise that was added.",
            SubStep::ComputeLoss if flow => "Loss: the mean squared error between v_θ and ε − x₀ over the batch.",
            SubStep::ComputeLoss => "Loss: the simple loss, the mean squared error between ε_θ and ε over the batch.",
            SubStep::Update => "Update: backpropagate the loss through the network and take one Adam step; the iteration is done.",
        }
    }

    fn after(self) -> SubStep {
        let i = SubStep::ALL
            .iter()
            .position(|&s| s == self)
            .expect("listed");
        SubStep::ALL[(i + 1) % SubStep::ALL.len()]
    }
}

/// Sub-step "sample t": a batch of data x₀ and, for each point, a time and its (m, s) of
/// x_t = m x₀ + s ε.
fn sample_times(
    (config, process, target): (&DiffusionConfig, &Process, &Target),
    rng: &mut Rng,
    batch: &mut Batch,
    coefficients: &mut [[f32; 2]],
) {
    target.sample(rng, &mut batch.data);
    let flow = config.objective == Objective::FlowMatching;
    let big_t = config.timesteps;
    for (u, c) in batch.times.iter_mut().zip(coefficients) {
        let draw = rng::uniform(rng);
        // DDPM trains on the steps 1..=T; flow matching on every time in [0, 1).
        let time = if flow {
            draw
        } else {
            (1 + (draw * big_t as f64) as usize).min(big_t) as f64 / big_t as f64
        };
        let (m, s) = process.coefficients(time);
        *u = time as f32;
        *c = [m as f32, s as f32];
    }
}

/// Sub-step "form x_t": the noisy points, what the network should output, and its input rows.
pub(super) fn form_noisy(
    flow: bool,
    coefficients: &[[f32; 2]],
    batch: &mut Batch,
    inputs: &mut [f32],
) {
    for i in 0..batch.data.len() {
        let [m, s] = coefficients[i / 2];
        let (x0, eps) = (batch.data[i], batch.noise[i]);
        batch.noisy[i] = m * x0 + s * eps;
        batch.targets[i] = if flow { eps - x0 } else { eps };
    }
    network_inputs(&batch.noisy, &batch.times, inputs);
}

impl Diffusion {
    /// The draws of one iteration's first three sub-steps with `rng`, into `batch`,
    /// `coefficients` and `inputs` (the network's input rows), as [`Diffusion::iteration`]
    /// makes them: the GPU's training uploads them, so both paths see the same numbers.
    pub(super) fn draw_batch(
        &self,
        rng: &mut Rng,
        batch: &mut Batch,
        coefficients: &mut [[f32; 2]],
        inputs: &mut [f32],
    ) {
        let c = &self.config;
        sample_times((c, &self.process, &self.target), rng, batch, coefficients);
        rng::fill_standard_normal(rng, &mut batch.noise);
        form_noisy(
            c.objective == Objective::FlowMatching,
            coefficients,
            batch,
            inputs,
        );
    }

    /// Runs `count` iterations, stopping at the first error.
    pub fn iterations(&mut self, count: usize) -> Result<(), DiffusionError> {
        for _ in 0..count {
            self.iteration()?;
        }
        Ok(())
    }

    /// One training iteration (or the rest of one a narrated step has begun).
    pub fn iteration(&mut self) -> Result<(), DiffusionError> {
        while self.advance_sub_step()? != SubStep::Update {}
        Ok(())
    }

    /// Whether a narrated step has begun an iteration it has not finished.
    pub fn mid_iteration(&self) -> bool {
        self.next != SubStep::SampleTimes
    }

    /// Runs the next sub-step and returns which it was.
    pub fn advance_sub_step(&mut self) -> Result<SubStep, DiffusionError> {
        self.divergence.check().map_err(DiffusionError::Diverged)?;
        let done = self.next;
        if let Err(what) = self.run(done) {
            self.next = SubStep::SampleTimes;
            return Err(DiffusionError::Diverged(self.divergence.trip(
                self.iteration,
                &what,
                self.config.learning_rate,
            )));
        }
        self.next = done.after();
        Ok(done)
    }

    fn run(&mut self, sub_step: SubStep) -> Result<(), String> {
        let b = self.config.batch_size;
        let flow = self.config.objective == Objective::FlowMatching;
        match sub_step {
            SubStep::SampleTimes => sample_times(
                (&self.config, &self.process, &self.target),
                &mut self.rng,
                &mut self.batch,
                &mut self.coefficients,
            ),
            SubStep::SampleNoise => rng::fill_standard_normal(&mut self.rng, &mut self.batch.noise),
            SubStep::FormNoisy => {
                form_noisy(flow, &self.coefficients, &mut self.batch, &mut self.inputs)
            }
            SubStep::Predict => {
                let out = self.network.forward(&mut self.work, &self.inputs, b);
                self.batch.prediction.copy_from_slice(out);
            }
            SubStep::ComputeLoss => {
                let loss = loss::mean_squared_error(
                    &self.batch.prediction,
                    &self.batch.targets,
                    &mut self.grad,
                );
                if !loss.is_finite() {
                    return Err(loss_diverged(loss));
                }
                self.loss = Some(loss);
            }
            SubStep::Update => {
                self.network
                    .backward(&mut self.work, &self.grad, Gradients::Parameters);
                if !self.network.grad_norm().is_finite() {
                    return Err(GRADIENTS_DIVERGED.into());
                }
                let (params, grads) = self.network.params_and_grads();
                self.optimizer.step(params, grads);
                if !all_finite(self.network.params()) {
                    return Err(WEIGHTS_DIVERGED.into());
                }
                self.complete_iteration(self.loss.expect("the loss sub-step ran"));
            }
        }
        Ok(())
    }

    /// The books of an iteration whose update is done (on the CPU or on the GPU): its count,
    /// its loss in the curve, and the distance when one is due.
    pub(super) fn complete_iteration(&mut self, loss: f32) {
        self.loss = Some(loss);
        self.iteration += 1;
        self.loss_history.record(self.iteration, [loss]);
        if self.iteration.is_multiple_of(DISTANCE_INTERVAL) {
            self.measure_distance();
        }
    }

    /// The loss of `data` at `times` (u = t/T) with `noise` (each batch_size long), leaving its
    /// gradient with respect to the parameters in the network's gradients. For gradient checks:
    /// training draws its own.
    pub fn evaluate(&mut self, data: &[f32], times: &[f32], noise: &[f32]) -> f32 {
        let b = self.config.batch_size;
        assert!(data.len() == 2 * b && times.len() == b && noise.len() == 2 * b);
        self.batch.data.copy_from_slice(data);
        self.batch.noise.copy_from_slice(noise);
        self.batch.times.copy_from_slice(times);
        for (c, &u) in self.coefficients.iter_mut().zip(times) {
            let (m, s) = self.process.coefficients(u as f64);
            *c = [m as f32, s as f32];
        }
        for sub_step in [SubStep::FormNoisy, SubStep::Predict, SubStep::ComputeLoss] {
            self.run(sub_step).expect("a finite loss");
        }
        self.network
            .backward(&mut self.work, &self.grad, Gradients::Parameters);
        self.loss.expect("the loss sub-step ran")
    }
}
