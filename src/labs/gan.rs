//! The GAN lab: a GAN on the plane, its settings (target or drawing, preset, networks, game,
//! optimizer, learning rates, batch and steps, noise, seed) and the views' settings (layers,
//! slow motion, speed), and a run that counts each network's updates so the page can show which
//! network a step trained.
//!
//! Changing the target, a preset, the networks, the loss, the optimizer, the noise, the batch,
//! the steps or the seed rebuilds the GAN from the seed; the learning rates apply to the
//! running networks. The preset is not stored: it is whichever preset the settings equal, so it
//! reads "custom" exactly when a setting departs from every preset.
//!
//! The `backend` setting moves training onto the GPU ([`GanGpu`]) and back. Whole iterations
//! run there; the CPU's [`Gan`] keeps the run as of the last read-back, and everything else (the
//! views, narrated sub-steps, single network steps, a step called on the CPU) works on it, the
//! GPU's copy being uploaded again before its next run.

use super::backend::{backend_setting, Backend, BackendReport, GpuAccess};
use super::lab::{playing_setting, seed_setting, Entry, Model};
use super::schema::{ChoiceItem, Control, InLink, Progress, Setting, Stepping};
use super::training::{self, FrameSpeed, OnGpu};
use super::transfer;
use super::value::Value;
use super::SettingType;
use crate::choice::Choice;
use crate::field;
use crate::gan::config::{MOMENTUM, STEPS_PER_ITERATION};
use crate::gan::gpu::GanGpu;
use crate::gan::{Gan, GanConfig, GanError, GanLoss, NoiseKind, Phase, Position, Preset, SubStep};
use crate::nn::mlp::{HIDDEN_LAYERS, HIDDEN_UNITS};
use crate::nn::{Activation, OptimizerKind, BATCH_SIZE, LEARNING_RATE};
use crate::state::{Reader, Writer};
use crate::targets::{Shape, Target, TargetError};
use serde::Serialize;
use std::rc::Rc;

pub use super::training::{LINK_DRAWN_POINTS, MAX_DRAWN_POINTS};
/// Adam's moment decays for GANs (0.5 for the first moment, as in DCGAN).
const ADAM: OptimizerKind = OptimizerKind::Adam {
    beta1: 0.5,
    beta2: 0.999,
};
/// The slider positions of the learning rates, the units, the batch size and the momentum.
const LEARNING_RATES: [f64; 19] = [
    1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0,
    2.0, 5.0, 10.0,
];
const MOMENTA: [f64; 6] = [0.0, 0.5, 0.8, 0.9, 0.95, 0.99];

/// Which optimizer both networks use (each keeps its own state).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OptimizerChoice {
    Adam,
    Sgd,
}

impl Choice for OptimizerChoice {
    const ALL: &'static [Self] = &[OptimizerChoice::Adam, OptimizerChoice::Sgd];

    fn api_name(self) -> &'static str {
        match self {
            OptimizerChoice::Adam => "adam",
            OptimizerChoice::Sgd => "sgd",
        }
    }

    fn label(self) -> &'static str {
        match self {
            OptimizerChoice::Adam => "Adam (β₁ 0.5, β₂ 0.999)",
            OptimizerChoice::Sgd => "SGD (with momentum below)",
        }
    }
}

/// The layers of the plane.
#[derive(Clone, Debug, PartialEq)]
pub struct GanLayers {
    pub show_heatmap: bool,
    pub show_real: bool,
    pub show_fake: bool,
    pub show_gradients: bool,
    pub show_manifold: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct GanSettings {
    pub shape: Shape,
    /// The last drawing (flat x, y pairs), kept while a built-in target is chosen.
    pub drawing: Option<Rc<[f64]>>,
    pub config: GanConfig,
    /// Whether the page's sliders move both learning rates together.
    pub linked_rates: bool,
    pub backend: Backend,
    pub speed: FrameSpeed,
    pub slow_motion: bool,
    pub playing: bool,
    pub layers: GanLayers,
}

impl Default for GanSettings {
    fn default() -> Self {
        Self {
            shape: Shape::Ring,
            drawing: None,
            config: GanConfig::default(),
            linked_rates: true,
            backend: Backend::Auto,
            speed: FrameSpeed::Max,
            slow_motion: false,
            playing: false,
            layers: GanLayers {
                show_heatmap: true,
                show_real: true,
                show_fake: true,
                show_gradients: true,
                show_manifold: true,
            },
        }
    }
}

impl training::WithTarget for GanSettings {
    fn target_parts(&self) -> (Shape, &Option<Rc<[f64]>>) {
        (self.shape, &self.drawing)
    }
    fn target_parts_mut(&mut self) -> (&mut Shape, &mut Option<Rc<[f64]>>) {
        (&mut self.shape, &mut self.drawing)
    }
}

impl GanSettings {
    fn target(&self) -> Result<Target, TargetError> {
        training::target_of(self.shape, &self.drawing)
    }

    /// The preset these settings are, if any (the seed aside).
    pub fn preset(&self) -> Option<Preset> {
        Preset::ALL.iter().copied().find(|p| {
            GanConfig {
                seed: self.config.seed,
                ..p.config()
            } == self.config
        })
    }
}

fn optimizer_of(s: &GanSettings) -> Value {
    let choice = match s.config.optimizer {
        OptimizerKind::Adam { .. } => OptimizerChoice::Adam,
        OptimizerKind::Sgd { .. } => OptimizerChoice::Sgd,
    };
    choice.to_value()
}

fn put_optimizer(s: &mut GanSettings, v: &Value) -> Result<(), String> {
    s.config.optimizer = match (OptimizerChoice::from_value(v), s.config.optimizer) {
        (OptimizerChoice::Adam, _) => ADAM,
        // Choosing SGD again keeps its momentum.
        (OptimizerChoice::Sgd, OptimizerKind::Sgd { momentum }) => OptimizerKind::Sgd { momentum },
        (OptimizerChoice::Sgd, _) => OptimizerKind::Sgd { momentum: 0.0 },
    };
    Ok(())
}

fn put_preset(s: &mut GanSettings, v: &Value) -> Result<(), String> {
    if let Some(preset) = v.as_text().and_then(Preset::from_api_name) {
        s.config = GanConfig {
            seed: s.config.seed,
            ..preset.config()
        };
    }
    Ok(())
}

/// Sets one or both learning rates; rates that differ unlink the page's two sliders.
fn put_rates(s: &mut GanSettings, d: Option<f64>, g: Option<f64>) {
    if let Some(d) = d {
        s.config.discriminator_learning_rate = d as f32;
    }
    if let Some(g) = g {
        s.config.generator_learning_rate = g as f32;
    }
    if s.config.discriminator_learning_rate != s.config.generator_learning_rate {
        s.linked_rates = false;
    }
}

/// A GAN and the updates of each of its networks since it was built, trained on the CPU or on
/// the GPU.
pub struct GanRun {
    gan: Gan,
    d_updates: u64,
    g_updates: u64,
    gpu: OnGpu<GanGpu>,
}

impl GanRun {
    pub fn gan(&self) -> &Gan {
        &self.gan
    }

    pub fn gan_mut(&mut self) -> &mut Gan {
        &mut self.gan
    }

    /// Discriminator and generator steps taken since the last rebuild.
    pub fn updates(&self) -> [u64; 2] {
        [self.d_updates, self.g_updates]
    }

    /// One sub-step of the narrated iteration, counting the network updates.
    pub fn sub_step(&mut self) -> Result<Position, GanError> {
        self.gpu.cpu_takes_over();
        let done = self.gan.advance_sub_step()?;
        if done.sub_step == SubStep::Update {
            match done.phase {
                Phase::Discriminator => self.d_updates += 1,
                Phase::Generator => self.g_updates += 1,
            }
        }
        Ok(done)
    }

    /// One discriminator step on its own (the generator is untouched); a divergence is kept in
    /// the GAN's state, not returned.
    pub fn train_discriminator(&mut self) {
        self.gpu.cpu_takes_over();
        if self.gan.train_discriminator_step().is_ok() {
            self.d_updates += 1;
        }
    }

    /// One generator step on its own (the discriminator is untouched).
    pub fn train_generator(&mut self) {
        self.gpu.cpu_takes_over();
        if self.gan.train_generator_step().is_ok() {
            self.g_updates += 1;
        }
    }

    /// Whether a narrated iteration is half done (the next sub-step is not the first one).
    pub fn mid_iteration(&self) -> bool {
        let p = self.gan.position();
        !(p.phase == Phase::Discriminator && p.step == 0 && p.sub_step == SubStep::SampleNoise)
    }

    /// The drawn target's points (empty for built-in targets), flat x, y pairs.
    pub fn drawn_points(&self) -> Vec<f32> {
        match self.gan.target() {
            Target::Drawn(points) => points.iter().flatten().copied().collect(),
            _ => Vec::new(),
        }
    }
}

/// Where a narrated iteration stands, or which sub-step was just run.
#[derive(Serialize)]
pub struct PositionSnapshot {
    pub phase: &'static str,
    pub step: usize,
    pub sub_step: &'static str,
    pub narration: &'static str,
}

impl From<Position> for PositionSnapshot {
    fn from(p: Position) -> Self {
        Self {
            phase: match p.phase {
                Phase::Discriminator => "discriminator",
                Phase::Generator => "generator",
            },
            step: p.step,
            sub_step: match p.sub_step {
                SubStep::SampleNoise => "sample_noise",
                SubStep::Generate => "generate",
                SubStep::Classify => "classify",
                SubStep::ComputeLoss => "compute_loss",
                SubStep::Backpropagate => "backpropagate",
                SubStep::Update => "update",
            },
            narration: p.narration(),
        }
    }
}

/// The settings under their API names.
#[derive(Serialize)]
pub struct ConfigSnapshot {
    pub target: &'static str,
    pub hidden_layers: usize,
    pub hidden_units: usize,
    pub activation: &'static str,
    pub loss: &'static str,
    pub optimizer: &'static str,
    /// SGD's momentum (null for Adam).
    pub momentum: Option<f32>,
    pub d_learning_rate: f32,
    pub g_learning_rate: f32,
    pub batch_size: usize,
    pub d_steps: usize,
    pub g_steps: usize,
    pub noise_dim: usize,
    pub noise: &'static str,
    pub seed: u64,
}

/// The lab's state as plain data.
#[derive(Serialize)]
pub struct GanSnapshot {
    pub iteration: u64,
    pub config: ConfigSnapshot,
    pub seed: u64,
    pub target: &'static str,
    pub preset: &'static str,
    pub preset_explanation: Option<&'static str>,
    pub d_loss: Option<f32>,
    pub g_loss: Option<f32>,
    pub distance: f32,
    pub d_gradient_norm: f32,
    pub g_gradient_norm: f32,
    pub d_updates: u64,
    pub g_updates: u64,
    /// A sum over each network's parameters: changes exactly when that network is trained.
    pub d_parameter_sum: f64,
    pub g_parameter_sum: f64,
    pub next: PositionSnapshot,
    pub history_iterations: Vec<u64>,
    pub d_loss_history: Vec<f32>,
    pub g_loss_history: Vec<f32>,
    pub distance_history: Vec<f32>,
    pub real_samples: Vec<[f32; 2]>,
    pub fake_samples: Vec<[f32; 2]>,
    pub drawn_points: Vec<[f32; 2]>,
    pub diverged: Option<String>,
    pub slow_motion: bool,
    pub link_learning_rates: bool,
}

fn finite(x: f32) -> Option<f32> {
    x.is_finite().then_some(x)
}

impl Model for GanRun {
    type Settings = GanSettings;
    type Snapshot = GanSnapshot;
    const NAME: &'static str = "gan";

    /// Both networks' weights and their optimizers' state (see src/labs/transfer.rs).
    fn model_arrays(&self, _: &GanSettings) -> Vec<(String, Value)> {
        let gan = &self.gan;
        let mut out = Vec::new();
        transfer::network(
            &mut out,
            "generator",
            gan.generator(),
            gan.generator_optimizer(),
        );
        let (d, d_optimizer) = (gan.discriminator(), gan.discriminator_optimizer());
        transfer::network(&mut out, "discriminator", d, d_optimizer);
        out
    }

    fn entries() -> Vec<Entry<GanSettings>> {
        let mut presets: Vec<ChoiceItem> = Preset::ALL
            .iter()
            .map(|p| ChoiceItem::new(p.api_name(), p.label()))
            .collect();
        presets.push(ChoiceItem::new("custom", "custom settings"));
        vec![
            training::drawn_points_setting().bind(training::drawing_binding()),
            Setting::choice::<Shape>("target")
                .label("Real data (target)")
                .help("The distribution the generator learns to imitate (\"drawn\": the current drawing).")
                .group("Data")
                .rebuilds()
                .bind(training::target_binding()),
            Setting::choices("preset", presets)
                .label("Preset")
                .help("Sets every training setting at once (the seed stays); \"custom\" once one departs.")
                .group("Preset")
                .rebuilds()
                .bind((
                    |s| Value::text(s.preset().map_or("custom", Preset::api_name)),
                    put_preset,
                )),
            Setting::number("hidden_layers", HIDDEN_LAYERS)
                .label("Hidden layers (each network)")
                .group("Networks")
                .rebuilds()
                .bind((
                    |s| s.config.generator.hidden_layers.to_value(),
                    |s, v| {
                        let n = usize::from_value(v);
                        s.config.generator.hidden_layers = n;
                        s.config.discriminator.hidden_layers = n;
                        Ok(())
                    },
                )),
            Setting::number("hidden_units", HIDDEN_UNITS)
                .label("Units per hidden layer")
                .group("Networks")
                .ladder(&training::UNITS)
                .rebuilds()
                .bind((
                    |s| s.config.generator.hidden_units.to_value(),
                    |s, v| {
                        let n = usize::from_value(v);
                        s.config.generator.hidden_units = n;
                        s.config.discriminator.hidden_units = n;
                        Ok(())
                    },
                )),
            Setting::choice::<Activation>("activation")
                .label("Activation")
                .help("Between the hidden layers of both networks.")
                .group("Networks")
                .rebuilds()
                .bind(field!(config.activation)),
            Setting::choice::<GanLoss>("loss")
                .label("Loss (the game)")
                .group("Training")
                .rebuilds()
                .bind(field!(config.loss)),
            Setting::choice::<OptimizerChoice>("optimizer")
                .label("Optimizer")
                .group("Training")
                .rebuilds()
                .bind((optimizer_of, put_optimizer)),
            Setting::number("momentum", MOMENTUM)
                .label("SGD momentum")
                .help("Choosing it switches to SGD.")
                .group("Training")
                .ladder(&MOMENTA)
                .rebuilds()
                .bind((
                    |s| match s.config.optimizer {
                        OptimizerKind::Sgd { momentum } => momentum.to_value(),
                        OptimizerKind::Adam { .. } => Value::Null,
                    },
                    |s, v| {
                        s.config.optimizer = OptimizerKind::Sgd {
                            momentum: f32::from_value(v),
                        };
                        Ok(())
                    },
                )),
            Setting::number("learning_rate", LEARNING_RATE)
                .label("Learning rate, both networks")
                .help("Sets both networks' rates at once (try 0.0001 to 0.01).")
                .group("Training")
                .ladder(&LEARNING_RATES)
                .in_link(InLink::Never)
                .control(Control::Custom)
                .bind((
                    |s| {
                        let c = &s.config;
                        if c.discriminator_learning_rate == c.generator_learning_rate {
                            c.discriminator_learning_rate.to_value()
                        } else {
                            Value::Null
                        }
                    },
                    |s, v| {
                        put_rates(s, v.as_number(), v.as_number());
                        Ok(())
                    },
                )),
            Setting::number("d_learning_rate", LEARNING_RATE)
                .label("Learning rate, discriminator")
                .group("Training")
                .ladder(&LEARNING_RATES)
                .bind((
                    |s| s.config.discriminator_learning_rate.to_value(),
                    |s, v| {
                        put_rates(s, v.as_number(), None);
                        Ok(())
                    },
                )),
            Setting::number("g_learning_rate", LEARNING_RATE)
                .label("Learning rate, generator")
                .group("Training")
                .ladder(&LEARNING_RATES)
                .bind((
                    |s| s.config.generator_learning_rate.to_value(),
                    |s, v| {
                        put_rates(s, None, v.as_number());
                        Ok(())
                    },
                )),
            Setting::boolean("link_learning_rates")
                .label("Same learning rate for both networks")
                .help("Whether the two sliders move together.")
                .group("Training")
                .in_link(InLink::Never)
                .control(Control::Custom)
                .bind(field!(linked_rates)),
            Setting::number("batch_size", BATCH_SIZE)
                .label("Batch size (real and fake)")
                .group("Training")
                .ladder(&training::BATCHES)
                .rebuilds()
                .bind(field!(config.batch_size)),
            Setting::number("d_steps", STEPS_PER_ITERATION)
                .label("D steps per iteration")
                .group("Training")
                .rebuilds()
                .bind(field!(config.discriminator_steps)),
            Setting::number("g_steps", STEPS_PER_ITERATION)
                .label("G steps per iteration")
                .group("Training")
                .rebuilds()
                .bind(field!(config.generator_steps)),
            Setting::choices(
                "noise_dim",
                vec![
                    ChoiceItem::new(2.0, "2 (a sheet: mesh manifold)"),
                    ChoiceItem::new(1.0, "1 (a line: curve manifold)"),
                ],
            )
            .label("Noise dimension")
            .group("Networks")
            .rebuilds()
            .bind(field!(config.noise_dim)),
            Setting::choice::<NoiseKind>("noise")
                .label("Noise distribution")
                .group("Networks")
                .rebuilds()
                .bind(field!(config.noise)),
            seed_setting("Rebuilds the GAN: fresh networks from this seed, training starts over.")
                .bind(field!(config.seed)),
            backend_setting().bind(field!(backend)),
            training::frame_speed().bind(field!(speed)),
            Setting::boolean("slow_motion")
                .label("Slow motion: Play narrates sub-steps")
                .help("Play runs one narrated sub-step every 1.6 s.")
                .group("Run steps")
                .in_link(InLink::WhenChanged)
                .bind(field!(slow_motion)),
            playing_setting().bind(field!(playing)),
            training::layer("show_heatmap", "Discriminator's belief D(x) (heat map)")
                .bind(field!(layers.show_heatmap)),
            training::layer("show_real", "Real samples").bind(field!(layers.show_real)),
            training::layer("show_fake", "Generated samples").bind(field!(layers.show_fake)),
            training::layer("show_gradients", "Generator's gradients (arrows)")
                .bind(field!(layers.show_gradients)),
            training::layer("show_manifold", "Generator's manifold (warped noise grid)")
                .bind(field!(layers.show_manifold)),
        ]
    }

    fn progress() -> Progress {
        training::progress()
    }

    fn stepping() -> Stepping {
        training::stepping("iterations: d_steps discriminator steps, then g_steps generator steps")
    }

    fn build(s: &GanSettings) -> Result<Self, String> {
        let target = s.target().map_err(|e| e.to_string())?;
        let gan = Gan::new(s.config.clone(), target).map_err(|e| e.to_string())?;
        Ok(Self {
            gan,
            d_updates: 0,
            g_updates: 0,
            gpu: OnGpu::default(),
        })
    }

    fn apply_live(&mut self, s: &GanSettings, name: &str) -> Result<(), String> {
        if name.ends_with("learning_rate") {
            self.gan
                .set_learning_rates(
                    s.config.discriminator_learning_rate,
                    s.config.generator_learning_rate,
                )
                .map_err(|e| e.to_string())?;
        }
        Ok(())
    }

    /// Runs `n` whole iterations (finishing a narrated one first); a divergence stops training
    /// there and is kept in the snapshot. Returns the iteration count.
    fn step(&mut self, _: &GanSettings, n: u64) -> Result<f64, String> {
        self.gpu.cpu_takes_over();
        let target = self.gan.iteration_count() + n;
        while self.gan.iteration_count() < target && self.sub_step().is_ok() {}
        Ok(self.gan.iteration_count() as f64)
    }

    fn progress_count(&self) -> u64 {
        // A diverged run's link counts the iteration that broke, so that opening the link
        // replays up to it and diverges there again, instead of stopping one short, healthy.
        self.gan.iteration_count() + u64::from(self.gan.diverged().is_some())
    }

    fn advance(&mut self, s: &GanSettings, count: u64) -> Result<(), String> {
        self.step(s, count).map(|_| ())
    }

    fn use_backend(
        &mut self,
        s: &GanSettings,
        access: &GpuAccess,
        strict: bool,
    ) -> Result<(), String> {
        let choice = training::choose_backend(s.backend, access, s.config.batch_size, strict)?;
        let gan = &self.gan;
        self.gpu.place(choice, access, |gpu| GanGpu::new(gpu, gan));
        Ok(())
    }

    fn backend(&self) -> Option<BackendReport> {
        Some(self.gpu.report())
    }

    fn gpu_begin(&mut self, _: &GanSettings, n: u64) -> Result<(), String> {
        // A second step begun before the first is done trains n more after it.
        self.gpu.aim(self.gan.iteration_count(), n);
        // A narrated iteration is finished on the CPU first, as `step` finishes it.
        while self.mid_iteration() && self.sub_step().is_ok() {}
        Ok(())
    }

    fn gpu_continue(&mut self, _: &GanSettings) -> Result<Option<f64>, String> {
        let driven = self.gpu.drive(&mut self.gan)?;
        if let Some(done) = driven.read {
            self.d_updates += done.discriminator_steps;
            self.g_updates += done.generator_steps;
        }
        Ok(driven.finished)
    }

    fn gpu_readback(&self) -> Option<&crate::gpu::Readback> {
        self.gpu.readback()
    }

    fn export_state(&self) -> Result<Vec<u8>, String> {
        let mut w = Writer::new(Self::NAME);
        w.u64(self.d_updates);
        w.u64(self.g_updates);
        self.gan.write_state(&mut w)?;
        Ok(w.into_bytes())
    }

    fn import_state(&mut self, _: &GanSettings, bytes: &[u8]) -> Result<(), String> {
        let mut r = Reader::new(bytes, Self::NAME)?;
        let updates = [r.u64()?, r.u64()?];
        self.gan.read_state(r)?;
        [self.d_updates, self.g_updates] = updates;
        // A copy on the GPU no longer holds the run.
        self.gpu.cpu_takes_over();
        Ok(())
    }

    fn snapshot(&self, s: &GanSettings) -> GanSnapshot {
        let gan = &self.gan;
        let c = gan.config();
        let (d_loss, g_loss) = gan.losses();
        let (d_norm, g_norm) = gan.gradient_norms();
        let history = gan.history();
        let preset = s.preset();
        let parameter_sum = |p: &[f32]| p.iter().map(|&v| v as f64).sum();
        GanSnapshot {
            iteration: gan.iteration_count(),
            config: ConfigSnapshot {
                target: s.shape.api_name(),
                hidden_layers: c.generator.hidden_layers,
                hidden_units: c.generator.hidden_units,
                activation: c.activation.api_name(),
                loss: c.loss.api_name(),
                optimizer: match c.optimizer {
                    OptimizerKind::Adam { .. } => OptimizerChoice::Adam.api_name(),
                    OptimizerKind::Sgd { .. } => OptimizerChoice::Sgd.api_name(),
                },
                momentum: match c.optimizer {
                    OptimizerKind::Sgd { momentum } => Some(momentum),
                    OptimizerKind::Adam { .. } => None,
                },
                d_learning_rate: c.discriminator_learning_rate,
                g_learning_rate: c.generator_learning_rate,
                batch_size: c.batch_size,
                d_steps: c.discriminator_steps,
                g_steps: c.generator_steps,
                noise_dim: c.noise_dim,
                noise: c.noise.api_name(),
                seed: c.seed,
            },
            seed: c.seed,
            target: s.shape.api_name(),
            preset: preset.map_or("custom", Preset::api_name),
            preset_explanation: preset.map(Preset::explanation),
            d_loss: finite(d_loss),
            g_loss: finite(g_loss),
            distance: gan.distance(),
            d_gradient_norm: d_norm,
            g_gradient_norm: g_norm,
            d_updates: self.d_updates,
            g_updates: self.g_updates,
            d_parameter_sum: parameter_sum(gan.discriminator().params()),
            g_parameter_sum: parameter_sum(gan.generator().params()),
            next: gan.position().into(),
            history_iterations: history.iterations().to_vec(),
            d_loss_history: history.discriminator_loss().to_vec(),
            g_loss_history: history.generator_loss().to_vec(),
            distance_history: history.distance().to_vec(),
            real_samples: training::pairs(gan.real_samples()),
            fake_samples: training::pairs(gan.fake_samples()),
            drawn_points: training::pairs(&self.drawn_points()),
            diverged: gan.diverged().map(str::to_string),
            slow_motion: s.slow_motion,
            link_learning_rates: s.linked_rates,
        }
    }
}
