//! The diffusion lab: a denoising diffusion model or a flow-matching model on the plane, its
//! settings (target or drawing, objective, schedule, T, sampler, networks, learning rate, batch,
//! seed), the views' settings (the time t shown, layers, speed), and its snapshot.
//!
//! Changing the target, the objective, the schedule, T, the networks, the batch or the seed
//! rebuilds the model from the seed; the sampler and its steps apply to the trained network (a
//! new reverse pass, no retraining), the learning rate to the running optimizer, and t only to
//! the views.
//!
//! The `backend` setting moves training onto the GPU ([`DiffusionGpu`]) and back; the CPU's
//! [`Diffusion`] keeps the run as of the last read-back, and the views and samplers use it.

use super::backend::{backend_setting, Backend, BackendReport, GpuAccess};
use super::lab::{playing_setting, seed_setting, Entry, Model};
use super::schema::{Control, Progress, Setting, Stepping};
use super::training::{self, FrameSpeed, OnGpu};
use super::transfer;
use super::value::Value;
use super::SettingType;
use crate::choice::Choice;
use crate::diffusion::gpu::DiffusionGpu;
use crate::diffusion::{
    Diffusion, DiffusionConfig, Objective, Sampler, ScheduleKind, SubStep, MAX_TIMESTEPS,
    TIMESTEPS, TRAJECTORIES,
};
use crate::field;
use crate::nn::mlp::{HIDDEN_LAYERS, HIDDEN_UNITS};
use crate::nn::{BATCH_SIZE, LEARNING_RATE};
use crate::range::Range;
use crate::state::{Reader, Writer};
use crate::targets::{Shape, Target, TargetError};
use serde::Serialize;
use std::rc::Rc;

/// The slider positions of T, the sampling steps and the learning rate.
const TIMESTEP_LADDER: [f64; 9] = [10.0, 20.0, 50.0, 100.0, 200.0, 250.0, 500.0, 750.0, 1000.0];
const SAMPLING_LADDER: [f64; 13] = [
    1.0, 2.0, 5.0, 10.0, 20.0, 25.0, 50.0, 100.0, 200.0, 250.0, 500.0, 750.0, 1000.0,
];
const LEARNING_RATES: [f64; 10] = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 10.0];
/// Batch points the snapshot shows of the narrated step.
const NARRATED_POINTS: usize = 16;

/// The layers of the views.
#[derive(Clone, Debug, PartialEq)]
pub struct DiffusionLayers {
    pub show_data: bool,
    pub show_field: bool,
    pub show_samples: bool,
    pub show_trajectories: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct DiffusionSettings {
    pub shape: Shape,
    /// The last drawing (flat x, y pairs), kept while a built-in target is chosen.
    pub drawing: Option<Rc<[f64]>>,
    pub config: DiffusionConfig,
    /// The step shown in the forward and field views, from 0 (the data) to T (noise).
    pub t: usize,
    pub backend: Backend,
    pub speed: FrameSpeed,
    pub playing: bool,
    pub layers: DiffusionLayers,
}

impl Default for DiffusionSettings {
    fn default() -> Self {
        let config = DiffusionConfig::default();
        Self {
            shape: Shape::Ring,
            drawing: None,
            t: config.timesteps / 4,
            config,
            backend: Backend::Auto,
            speed: FrameSpeed::Max,
            playing: false,
            layers: DiffusionLayers {
                show_data: true,
                show_field: true,
                show_samples: true,
                show_trajectories: true,
            },
        }
    }
}

impl training::WithTarget for DiffusionSettings {
    fn target_parts(&self) -> (Shape, &Option<Rc<[f64]>>) {
        (self.shape, &self.drawing)
    }
    fn target_parts_mut(&mut self) -> (&mut Shape, &mut Option<Rc<[f64]>>) {
        (&mut self.shape, &mut self.drawing)
    }
}

impl DiffusionSettings {
    fn target(&self) -> Result<Target, TargetError> {
        training::target_of(self.shape, &self.drawing)
    }
}

/// The lab's model: a diffusion model (every view is computed from it on demand), and its
/// training on the GPU when that backend is active.
pub struct DiffusionRun {
    model: Diffusion,
    gpu: OnGpu<DiffusionGpu>,
}

impl DiffusionRun {
    pub fn model(&self) -> &Diffusion {
        &self.model
    }

    /// The model, for what leaves its training alone (sampling, the field): a run on the GPU
    /// goes on.
    pub fn model_mut(&mut self) -> &mut Diffusion {
        &mut self.model
    }

    /// Runs the next narrated sub-step; returns which it was (a divergence is kept in the
    /// model and shown).
    pub fn sub_step(&mut self) -> Result<SubStep, String> {
        self.gpu.cpu_takes_over();
        self.model.advance_sub_step().map_err(|e| e.to_string())
    }
}

/// The settings under their API names.
#[derive(Serialize)]
pub struct ConfigSnapshot {
    pub target: &'static str,
    pub objective: &'static str,
    pub schedule: &'static str,
    pub timesteps: usize,
    pub sampler: &'static str,
    pub sampling_steps: usize,
    pub hidden_layers: usize,
    pub hidden_units: usize,
    pub batch_size: usize,
    pub learning_rate: f32,
    pub seed: u64,
}

/// The first points of the last training batch, as far as the narrated step formed them.
#[derive(Serialize)]
pub struct BatchSnapshot {
    /// The sub-step run last (null before any), its narration, and the one that runs next.
    pub sub_step: Option<&'static str>,
    pub narration: Option<&'static str>,
    pub next_sub_step: &'static str,
    pub next_narration: &'static str,
    pub data: Vec<[f32; 2]>,
    /// t of each point as a fraction of T.
    pub times: Vec<f32>,
    pub noise: Vec<[f32; 2]>,
    pub noisy: Vec<[f32; 2]>,
    pub targets: Vec<[f32; 2]>,
    pub prediction: Vec<[f32; 2]>,
}

/// The lab's state as plain data.
#[derive(Serialize)]
pub struct DiffusionSnapshot {
    pub iteration: u64,
    pub config: ConfigSnapshot,
    pub target: &'static str,
    pub objective: &'static str,
    pub seed: u64,
    /// The step the forward and field views show, and the forward process there in closed form:
    /// x_t = mean_factor · x₀ + √noise_variance · ε (ᾱ_t for DDPM; null for flow matching).
    pub t: usize,
    pub alpha_bar: Option<f64>,
    pub mean_factor: f64,
    pub noise_variance: f64,
    pub loss: Option<f32>,
    pub distance: Option<f32>,
    pub history_iterations: Vec<u64>,
    pub loss_history: Vec<f32>,
    pub distance_iterations: Vec<u64>,
    pub distance_history: Vec<f32>,
    pub real_samples: Vec<[f32; 2]>,
    /// The last reverse pass's final points, the iteration it ran at, and the paths of its
    /// first 16 points (each from the noise to the sample, one point per step).
    pub samples: Vec<[f32; 2]>,
    pub samples_iteration: u64,
    pub sampling_steps_taken: usize,
    pub trajectories: Vec<Vec<[f32; 2]>>,
    pub forward_samples: Vec<[f32; 2]>,
    pub batch: BatchSnapshot,
    pub drawn_points: Vec<[f32; 2]>,
    pub diverged: Option<String>,
}

/// The sampler's refusal when it does not follow what `objective` trains.
fn sampler_refusal(sampler: Sampler, objective: Objective) -> String {
    format!(
        "sampler = \"{}\" is not allowed: sampler must be {} while objective is \"{}\" ({})",
        sampler.api_name(),
        Sampler::allowed_with(objective),
        objective.api_name(),
        match objective {
            Objective::Ddpm => "euler follows a velocity, and a DDPM network predicts noise",
            Objective::FlowMatching => "DDPM and DDIM follow a noise prediction, and a flow-matching network predicts a velocity",
        }
    )
}

impl Model for DiffusionRun {
    type Settings = DiffusionSettings;
    type Snapshot = DiffusionSnapshot;
    const NAME: &'static str = "diffusion";

    /// The network's weights and its optimizer's state (see src/labs/transfer.rs).
    fn model_arrays(&self, _: &DiffusionSettings) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        let model = &self.model;
        let name = match model.config().objective {
            Objective::Ddpm => "noise_predictor",
            Objective::FlowMatching => "velocity_predictor",
        };
        transfer::network(&mut out, name, model.network(), model.optimizer());
        out
    }

    fn entries() -> Vec<Entry<DiffusionSettings>> {
        vec![
            training::drawn_points_setting().bind(training::drawing_binding()),
            Setting::choice::<Shape>("target")
                .label("Data (target)")
                .help("The distribution the model learns to generate (\"drawn\": the current drawing).")
                .group("Data")
                .rebuilds()
                .bind(training::target_binding()),
            Setting::choice::<Objective>("objective")
                .label("Objective")
                .help("DDPM learns the noise that was added; flow matching learns the velocity along a straight path from data to noise. Changing it picks that objective's sampler.")
                .group("Model")
                .rebuilds()
                .bind((
                    |s| s.config.objective.to_value(),
                    |s, v| {
                        s.config.objective = Objective::from_value(v);
                        if !s.config.sampler.fits(s.config.objective) {
                            s.config.sampler = s.config.objective.default_sampler();
                        }
                        Ok(())
                    },
                )),
            Setting::choice::<ScheduleKind>("schedule")
                .label("Noise schedule (DDPM)")
                .help("How fast the forward process fades the data: β rising linearly, or ᾱ following a cosine (the signal fades more evenly). Flow matching's path is a straight line whatever this says.")
                .group("Model")
                .control(Control::Radio)
                .rebuilds()
                .bind(field!(config.schedule)),
            Setting::number("timesteps", TIMESTEPS)
                .label("Steps T of the forward process")
                .help("From the data (t = 0) to pure noise (t = T). t and the sampling steps keep their place along the way.")
                .group("Model")
                .ladder(&TIMESTEP_LADDER)
                .rebuilds()
                .bind((
                    |s| s.config.timesteps.to_value(),
                    |s, v| {
                        let (old, new) = (s.config.timesteps, usize::from_value(v));
                        s.t = (s.t * new + old / 2) / old;
                        s.config.sampling_steps = if s.config.sampling_steps == old {
                            new
                        } else {
                            s.config.sampling_steps.min(new)
                        };
                        s.config.timesteps = new;
                        Ok(())
                    },
                )),
            Setting::choice::<Sampler>("sampler")
                .label("Sampler (reverse process)")
                .help("DDPM adds fresh noise at every step; DDIM follows the same model without it (deterministic); Euler follows a flow-matching velocity. Changes the samples, not the training.")
                .group("Sampling")
                .bind((
                    |s| s.config.sampler.to_value(),
                    |s, v| {
                        let sampler = Sampler::from_value(v);
                        if !sampler.fits(s.config.objective) {
                            return Err(sampler_refusal(sampler, s.config.objective));
                        }
                        s.config.sampler = sampler;
                        Ok(())
                    },
                )),
            Setting::number("sampling_steps", Range::whole(1, MAX_TIMESTEPS as u64))
                .label("Sampling steps")
                .help("Steps of the reverse process, at most T: evenly spaced steps of the T. Fewer are faster; DDIM and Euler stay good with far fewer than DDPM.")
                .group("Sampling")
                .ladder(&SAMPLING_LADDER)
                .bind((
                    |s| s.config.sampling_steps.to_value(),
                    |s, v| {
                        let steps = usize::from_value(v);
                        if steps > s.config.timesteps {
                            return Err(format!(
                                "sampling_steps = {steps} is not allowed: sampling_steps must be a whole number from 1 to timesteps (now {})",
                                s.config.timesteps
                            ));
                        }
                        s.config.sampling_steps = steps;
                        Ok(())
                    },
                )),
            Setting::number("t", Range::whole(0, MAX_TIMESTEPS as u64))
                .label("Time t shown")
                .help("The step the forward view and the field view show, from 0 (the data) to T (noise); ← → move it by one step.")
                .group("View")
                .control(Control::Custom)
                .bind((
                    |s| s.t.to_value(),
                    |s, v| {
                        let t = usize::from_value(v);
                        if t > s.config.timesteps {
                            return Err(format!(
                                "t = {t} is not allowed: t must be a whole number from 0 to timesteps (now {})",
                                s.config.timesteps
                            ));
                        }
                        s.t = t;
                        Ok(())
                    },
                )),
            Setting::number("learning_rate", LEARNING_RATE)
                .label("Learning rate (Adam)")
                .help("Try 0.001 to 0.01.")
                .group("Training")
                .ladder(&LEARNING_RATES)
                .bind(field!(config.learning_rate)),
            Setting::number("batch_size", BATCH_SIZE)
                .label("Batch size")
                .group("Training")
                .ladder(&training::BATCHES)
                .rebuilds()
                .bind(field!(config.batch_size)),
            Setting::number("hidden_layers", HIDDEN_LAYERS)
                .label("Hidden layers")
                .group("Network")
                .rebuilds()
                .bind(field!(config.hidden_layers)),
            Setting::number("hidden_units", HIDDEN_UNITS)
                .label("Units per hidden layer")
                .group("Network")
                .ladder(&training::UNITS)
                .rebuilds()
                .bind(field!(config.hidden_units)),
            seed_setting("Rebuilds the model: a fresh network from this seed, training starts over.")
                .bind(field!(config.seed)),
            backend_setting().bind(field!(backend)),
            training::frame_speed().bind(field!(speed)),
            playing_setting().bind(field!(playing)),
            training::layer("show_data", "Data (the target's points)").bind(field!(layers.show_data)),
            training::layer("show_field", "Learned field at t (arrows)").bind(field!(layers.show_field)),
            training::layer("show_samples", "Samples of the reverse process").bind(field!(layers.show_samples)),
            training::layer("show_trajectories", "Paths of 16 samples").bind(field!(layers.show_trajectories)),
        ]
    }

    fn progress() -> Progress {
        training::progress()
    }

    fn stepping() -> Stepping {
        training::stepping("iterations: one batch and one Adam update each")
    }

    fn build(s: &DiffusionSettings) -> Result<Self, String> {
        let target = s.target().map_err(|e| e.to_string())?;
        let model = Diffusion::new(s.config.clone(), target).map_err(|e| e.to_string())?;
        Ok(Self {
            model,
            gpu: OnGpu::default(),
        })
    }

    fn apply_live(&mut self, s: &DiffusionSettings, name: &str) -> Result<(), String> {
        match name {
            "learning_rate" => self.model.set_learning_rate(s.config.learning_rate),
            "sampler" | "sampling_steps" => self
                .model
                .set_sampling(s.config.sampler, s.config.sampling_steps),
            _ => Ok(()),
        }
        .map_err(|e| e.to_string())
    }

    /// Runs `n` iterations; a divergence stops training there and is kept in the snapshot.
    /// Returns the iteration count.
    fn step(&mut self, _: &DiffusionSettings, n: u64) -> Result<f64, String> {
        self.gpu.cpu_takes_over();
        // A divergence is recorded in the model (and shown), not an error of the call.
        let _ = self.model.iterations(n as usize);
        Ok(self.model.iteration_count() as f64)
    }

    fn progress_count(&self) -> u64 {
        self.model.iteration_count()
    }

    fn advance(&mut self, s: &DiffusionSettings, count: u64) -> Result<(), String> {
        self.step(s, count).map(|_| ())
    }

    fn use_backend(
        &mut self,
        s: &DiffusionSettings,
        access: &GpuAccess,
        strict: bool,
    ) -> Result<(), String> {
        let choice = training::choose_backend(s.backend, access, s.config.batch_size, strict)?;
        let model = &self.model;
        self.gpu
            .place(choice, access, |gpu| DiffusionGpu::new(gpu, model));
        Ok(())
    }

    fn backend(&self) -> Option<BackendReport> {
        Some(self.gpu.report())
    }

    fn gpu_begin(&mut self, _: &DiffusionSettings, n: u64) -> Result<(), String> {
        // A second step begun before the first is done trains n more after it.
        self.gpu.aim(self.model.iteration_count(), n);
        // A narrated iteration is finished on the CPU first, as `step` finishes it.
        while self.model.mid_iteration() && self.model.advance_sub_step().is_ok() {}
        Ok(())
    }

    fn gpu_continue(&mut self, _: &DiffusionSettings) -> Result<Option<f64>, String> {
        Ok(self.gpu.drive(&mut self.model)?.finished)
    }

    fn gpu_readback(&self) -> Option<&crate::gpu::Readback> {
        self.gpu.readback()
    }

    fn export_state(&self) -> Result<Vec<u8>, String> {
        if self.model.mid_iteration() {
            return Err("a narrated iteration is half done: finish it first".into());
        }
        let mut w = Writer::new(Self::NAME);
        self.model.write_state(&mut w);
        Ok(w.into_bytes())
    }

    fn import_state(&mut self, _: &DiffusionSettings, bytes: &[u8]) -> Result<(), String> {
        // A copy on the GPU no longer holds the run.
        self.gpu.cpu_takes_over();
        self.model.read_state(Reader::new(bytes, Self::NAME)?)
    }

    fn snapshot(&self, s: &DiffusionSettings) -> DiffusionSnapshot {
        let m = &self.model;
        let c = m.config();
        let process = m.process();
        let (mean_factor, noise_std) = process.coefficients_at(s.t);
        let finite = |x: f32| x.is_finite().then_some(x);
        let batch = m.batch();
        let first = |v: &[f32]| training::pairs(&v[..(2 * NARRATED_POINTS).min(v.len())]);
        let next = m.next_sub_step();
        let last = m
            .mid_iteration()
            .then(|| SubStep::ALL[SubStep::ALL.iter().position(|&x| x == next).unwrap_or(1) - 1])
            .or_else(|| (m.loss().is_some()).then_some(SubStep::Update));
        let pass = m.pass();
        let paths = pass.trajectories(TRAJECTORIES);
        let per_path = 2 * (pass.steps + 1);
        DiffusionSnapshot {
            iteration: m.iteration_count(),
            config: ConfigSnapshot {
                target: s.shape.api_name(),
                objective: c.objective.api_name(),
                schedule: c.schedule.api_name(),
                timesteps: c.timesteps,
                sampler: c.sampler.api_name(),
                sampling_steps: c.sampling_steps,
                hidden_layers: c.hidden_layers,
                hidden_units: c.hidden_units,
                batch_size: c.batch_size,
                learning_rate: c.learning_rate,
                seed: c.seed,
            },
            target: s.shape.api_name(),
            objective: c.objective.api_name(),
            seed: c.seed,
            t: s.t,
            alpha_bar: (c.objective == Objective::Ddpm).then(|| process.alpha_bar(s.t)),
            mean_factor,
            noise_variance: noise_std * noise_std,
            loss: m.loss().and_then(finite),
            distance: finite(m.distance()),
            history_iterations: m.loss_history().iterations().to_vec(),
            loss_history: m.loss_history().series(0).to_vec(),
            distance_iterations: m.distance_history().iterations().to_vec(),
            distance_history: m.distance_history().series(0).to_vec(),
            real_samples: training::pairs(m.real_samples()),
            samples: training::pairs(pass.samples()),
            samples_iteration: m.pass_iteration(),
            sampling_steps_taken: pass.steps,
            trajectories: paths.chunks(per_path).map(training::pairs).collect(),
            forward_samples: training::pairs(&m.forward_samples(s.t)),
            batch: BatchSnapshot {
                sub_step: last.map(SubStep::name),
                narration: last.map(|x| x.narration(c.objective)),
                next_sub_step: next.name(),
                next_narration: next.narration(c.objective),
                data: first(&batch.data),
                times: batch.times[..NARRATED_POINTS.min(batch.times.len())].to_vec(),
                noise: first(&batch.noise),
                noisy: first(&batch.noisy),
                targets: first(&batch.targets),
                prediction: first(&batch.prediction),
            },
            drawn_points: match m.target() {
                Target::Drawn(points) => points.clone(),
                _ => Vec::new(),
            },
            diverged: m.diverged().map(str::to_string),
        }
    }
}
