//! The GAN lab's handle: a GAN on the plane (networks, target, training run) adapted to JavaScript.
//!
//! Owns the settings under the names the automation API uses, the target (built in or drawn),
//! the preset last chosen and the running [`Gan`]. A change of architecture, loss, optimizer,
//! noise, batch, steps, target, preset or seed rebuilds the GAN from the seed; a learning-rate
//! change applies to the running networks. A refused setting changes nothing. The handle also
//! counts the network updates, so the page can show which network a step trained.

use super::{js_error, seed, whole_number};
use crate::gan::config::{MAX_BATCH_SIZE, MAX_STEPS_PER_ITERATION};
use crate::gan::{Gan, GanConfig, GanLoss, NoiseKind, Phase, Position, Preset, SubStep};
use crate::nn::{Activation, OptimizerKind};
use crate::targets::Target;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The built-in targets by their API names, in menu order.
const TARGETS: [(&str, Target); 5] = [
    ("ring", Target::Ring),
    ("grid", Target::Grid),
    ("moons", Target::TwoMoons),
    ("spiral", Target::Spiral),
    ("line", Target::Line),
];
/// Adam's moment decays for GANs (0.5 for the first moment, as in DCGAN).
const ADAM: OptimizerKind = OptimizerKind::Adam {
    beta1: 0.5,
    beta2: 0.999,
};
/// The most iterations one `iterations` call may run (a typo must not freeze the page for hours).
const MAX_ITERATIONS_PER_CALL: f64 = 1e6;

fn loss_name(loss: GanLoss) -> &'static str {
    match loss {
        GanLoss::Minimax => "minimax",
        GanLoss::NonSaturating => "nonsaturating",
        GanLoss::LeastSquares => "lsgan",
        GanLoss::Hinge => "hinge",
    }
}

fn activation_name(activation: Activation) -> &'static str {
    match activation {
        Activation::Identity => "identity",
        Activation::Relu => "relu",
        Activation::LeakyRelu => "leaky_relu",
        Activation::Tanh => "tanh",
        Activation::Sigmoid => "sigmoid",
    }
}

fn preset_name(preset: Preset) -> &'static str {
    match preset {
        Preset::Healthy => "healthy",
        Preset::ModeCollapse => "mode_collapse",
        Preset::VanishingGradients => "vanishing_gradients",
        Preset::Oscillation => "oscillation",
    }
}

fn phase_name(phase: Phase) -> &'static str {
    match phase {
        Phase::Discriminator => "discriminator",
        Phase::Generator => "generator",
    }
}

fn sub_step_name(sub_step: SubStep) -> &'static str {
    match sub_step {
        SubStep::SampleNoise => "sample_noise",
        SubStep::Generate => "generate",
        SubStep::Classify => "classify",
        SubStep::ComputeLoss => "compute_loss",
        SubStep::Backpropagate => "backpropagate",
        SubStep::Update => "update",
    }
}

/// Finds `value` among `choices` (API name, meaning) or says which names are allowed.
fn choose<T: Copy>(name: &str, value: &str, choices: &[(&str, T)]) -> Result<T, JsError> {
    choices
        .iter()
        .find(|(n, _)| *n == value)
        .map(|(_, t)| *t)
        .ok_or_else(|| {
            let allowed: Vec<String> = choices.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            JsError::new(&format!(
                "{name} = \"{value}\" is not allowed: {name} must be one of {}",
                allowed.join(", ")
            ))
        })
}

/// The settings under their API names (see docs/readme-gan.md).
#[derive(Serialize)]
struct ConfigSnapshot {
    target: String,
    hidden_layers: usize,
    hidden_units: usize,
    activation: &'static str,
    loss: &'static str,
    optimizer: &'static str,
    /// SGD's momentum (null for Adam).
    momentum: Option<f32>,
    d_learning_rate: f32,
    g_learning_rate: f32,
    batch_size: usize,
    d_steps: usize,
    g_steps: usize,
    noise_dim: usize,
    noise: &'static str,
    seed: u64,
}

/// Where a narrated iteration stands, or which sub-step was just run.
#[derive(Serialize)]
struct PositionSnapshot {
    phase: &'static str,
    step: usize,
    sub_step: &'static str,
    narration: &'static str,
}

impl From<Position> for PositionSnapshot {
    fn from(p: Position) -> Self {
        Self {
            phase: phase_name(p.phase),
            step: p.step,
            sub_step: sub_step_name(p.sub_step),
            narration: p.narration(),
        }
    }
}

/// The lab's state as plain data.
#[derive(Serialize)]
struct Snapshot {
    iteration: u64,
    config: ConfigSnapshot,
    seed: u64,
    target: String,
    preset: &'static str,
    preset_explanation: Option<&'static str>,
    d_loss: Option<f32>,
    g_loss: Option<f32>,
    distance: f32,
    d_gradient_norm: f32,
    g_gradient_norm: f32,
    d_updates: u64,
    g_updates: u64,
    /// A sum over each network's parameters: changes exactly when that network is trained.
    d_parameter_sum: f64,
    g_parameter_sum: f64,
    next: PositionSnapshot,
    history_iterations: Vec<u64>,
    d_loss_history: Vec<f32>,
    g_loss_history: Vec<f32>,
    distance_history: Vec<f32>,
    real_samples: Vec<[f32; 2]>,
    fake_samples: Vec<[f32; 2]>,
    drawn_points: Vec<[f32; 2]>,
    diverged: Option<String>,
}

fn pairs(flat: &[f32]) -> Vec<[f32; 2]> {
    flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect()
}

fn finite(x: f32) -> Option<f32> {
    x.is_finite().then_some(x)
}

#[wasm_bindgen]
pub struct GanLab {
    gan: Gan,
    target_name: String,
    /// The preset the settings came from, or None once a setting departs from it.
    preset: Option<Preset>,
    d_updates: u64,
    g_updates: u64,
}

#[wasm_bindgen]
impl GanLab {
    /// The default (healthy) GAN on the ring of eight Gaussians.
    #[wasm_bindgen(constructor)]
    pub fn new(seed_value: f64) -> Result<GanLab, JsError> {
        let config = GanConfig {
            seed: seed(seed_value)?,
            ..GanConfig::default()
        };
        Ok(GanLab {
            gan: Gan::new(config, Target::Ring).map_err(js_error)?,
            target_name: "ring".into(),
            preset: Some(Preset::Healthy),
            d_updates: 0,
            g_updates: 0,
        })
    }

    /// Sets a numeric setting: `learning_rate` (both), `d_learning_rate` and `g_learning_rate`
    /// apply live; `hidden_layers`, `hidden_units`, `batch_size`, `d_steps`, `g_steps`,
    /// `noise_dim`, `momentum` and `seed` rebuild the GAN from the seed.
    pub fn set_number(&mut self, name: &str, value: f64) -> Result<(), JsError> {
        let mut config = self.gan.config().clone();
        let whole = |min: f64, max: f64| whole_number(name, value, min, max).map(|v| v as usize);
        match name {
            "learning_rate" | "d_learning_rate" | "g_learning_rate" => {
                let lr = value as f32;
                if !(value.is_finite() && lr > 0.0 && lr <= 10.0) {
                    return Err(JsError::new(&format!(
                        "{name} = {value} is not allowed: {name} must be a number above 0 and at most 10 (try 0.0001 to 0.01)"
                    )));
                }
                let d = if name == "g_learning_rate" {
                    config.discriminator_learning_rate
                } else {
                    lr
                };
                let g = if name == "d_learning_rate" {
                    config.generator_learning_rate
                } else {
                    lr
                };
                self.gan.set_learning_rates(d, g).map_err(js_error)?;
                self.preset = None;
                return Ok(());
            }
            "hidden_layers" => {
                let layers = whole(0.0, 4.0)?;
                config.generator.hidden_layers = layers;
                config.discriminator.hidden_layers = layers;
            }
            "hidden_units" => {
                let units = whole(1.0, 128.0)?;
                config.generator.hidden_units = units;
                config.discriminator.hidden_units = units;
            }
            "batch_size" => config.batch_size = whole(1.0, MAX_BATCH_SIZE as f64)?,
            "d_steps" => config.discriminator_steps = whole(1.0, MAX_STEPS_PER_ITERATION as f64)?,
            "g_steps" => config.generator_steps = whole(1.0, MAX_STEPS_PER_ITERATION as f64)?,
            "noise_dim" => config.noise_dim = whole(1.0, 2.0)?,
            "momentum" => {
                if !(value.is_finite() && (0.0..1.0).contains(&value)) {
                    return Err(JsError::new(&format!(
                        "momentum = {value} is not allowed: momentum must be a number from 0 up to (not including) 1"
                    )));
                }
                config.optimizer = OptimizerKind::Sgd {
                    momentum: value as f32,
                };
            }
            "seed" => {
                config.seed = seed(value)?;
                return self.rebuild(config, self.gan.target().clone(), None, self.preset);
            }
            _ => {
                return Err(JsError::new(&format!(
                    "the GAN lab has no numeric setting \"{name}\""
                )))
            }
        }
        self.rebuild(config, self.gan.target().clone(), None, None)
    }

    /// Sets a named choice: `target`, `preset`, `loss`, `optimizer`, `noise` or `activation`;
    /// each rebuilds the GAN from the seed. `target = "drawn"` keeps the current drawing, and is
    /// refused when there is none.
    pub fn set_choice(&mut self, name: &str, value: &str) -> Result<(), JsError> {
        let mut config = self.gan.config().clone();
        match name {
            "target" => {
                let target = if value == "drawn" {
                    match self.gan.target() {
                        Target::Drawn(points) => Target::Drawn(points.clone()),
                        _ => return Err(js_error(crate::targets::TargetError::EmptyDrawing)),
                    }
                } else {
                    let names: Vec<(&str, usize)> = TARGETS
                        .iter()
                        .enumerate()
                        .map(|(i, (n, _))| (*n, i))
                        .collect();
                    let index = choose(name, value, &names)?;
                    TARGETS[index].1.clone()
                };
                return self.rebuild(config, target, Some(value), self.preset);
            }
            "preset" => {
                let presets = Preset::all().map(|p| (preset_name(p), p));
                let preset = choose(name, value, &presets)?;
                let config = GanConfig {
                    seed: config.seed,
                    ..preset.config()
                };
                return self.rebuild(config, self.gan.target().clone(), None, Some(preset));
            }
            "loss" => {
                config.loss = choose(
                    name,
                    value,
                    &[
                        ("minimax", GanLoss::Minimax),
                        ("nonsaturating", GanLoss::NonSaturating),
                        ("lsgan", GanLoss::LeastSquares),
                        ("hinge", GanLoss::Hinge),
                    ],
                )?
            }
            "optimizer" => {
                config.optimizer = choose(
                    name,
                    value,
                    &[
                        ("adam", ADAM),
                        ("sgd", OptimizerKind::Sgd { momentum: 0.0 }),
                    ],
                )?;
                if let (OptimizerKind::Sgd { .. }, OptimizerKind::Sgd { momentum }) =
                    (config.optimizer, self.gan.config().optimizer)
                {
                    // Choosing SGD again keeps its momentum.
                    config.optimizer = OptimizerKind::Sgd { momentum };
                }
            }
            "noise" => {
                config.noise = choose(
                    name,
                    value,
                    &[
                        ("gaussian", NoiseKind::Gaussian),
                        ("uniform", NoiseKind::Uniform),
                    ],
                )?
            }
            "activation" => {
                config.activation = choose(
                    name,
                    value,
                    &[
                        ("leaky_relu", Activation::LeakyRelu),
                        ("relu", Activation::Relu),
                        ("tanh", Activation::Tanh),
                        ("sigmoid", Activation::Sigmoid),
                        ("identity", Activation::Identity),
                    ],
                )?
            }
            _ => {
                return Err(JsError::new(&format!(
                    "the GAN lab has no choice \"{name}\""
                )))
            }
        }
        self.rebuild(config, self.gan.target().clone(), None, None)
    }

    /// Trains on a drawing given as flat x, y pairs (plane coordinates); refused with the core's
    /// message when it is empty or a point lies outside the plane.
    pub fn set_drawn(&mut self, coordinates: &[f32]) -> Result<(), JsError> {
        let target = Target::drawn_from_pairs(coordinates).map_err(js_error)?;
        let config = self.gan.config().clone();
        self.rebuild(config, target, Some("drawn"), self.preset)
    }

    /// Starts over with `seed`: fresh networks, empty history, no divergence.
    pub fn reset(&mut self, seed_value: f64) -> Result<(), JsError> {
        self.set_number("seed", seed_value)
    }

    /// Runs `count` whole iterations (finishing a narrated one first); stops at a divergence
    /// and returns its message as the error.
    pub fn iterations(&mut self, count: f64) -> Result<(), JsError> {
        let count = whole_number("n", count, 0.0, MAX_ITERATIONS_PER_CALL)?;
        let target = self.gan.iteration_count() + count;
        while self.gan.iteration_count() < target {
            self.sub_step()?;
        }
        Ok(())
    }

    /// One discriminator step on its own (the generator is untouched).
    pub fn train_discriminator(&mut self) -> Result<(), JsError> {
        self.gan.train_discriminator_step().map_err(js_error)?;
        self.d_updates += 1;
        Ok(())
    }

    /// One generator step on its own (the discriminator is untouched).
    pub fn train_generator(&mut self) -> Result<(), JsError> {
        self.gan.train_generator_step().map_err(js_error)?;
        self.g_updates += 1;
        Ok(())
    }

    /// Runs the next sub-step of the narrated iteration; returns `{phase, step, sub_step,
    /// narration}` of the sub-step just run.
    pub fn advance_sub_step(&mut self) -> Result<JsValue, JsError> {
        let done = self.sub_step()?;
        serde_wasm_bindgen::to_value(&PositionSnapshot::from(done)).map_err(js_error)
    }

    /// The sub-step `advance_sub_step` runs next, as `{phase, step, sub_step, narration}`.
    pub fn next_sub_step(&self) -> Result<JsValue, JsError> {
        serde_wasm_bindgen::to_value(&PositionSnapshot::from(self.gan.position())).map_err(js_error)
    }

    /// Whether a narrated iteration is half done (the next sub-step is not the first one).
    pub fn mid_iteration(&self) -> bool {
        let p = self.gan.position();
        !(p.phase == Phase::Discriminator && p.step == 0 && p.sub_step == SubStep::SampleNoise)
    }

    pub fn iteration_count(&self) -> f64 {
        self.gan.iteration_count() as f64
    }

    pub fn diverged(&self) -> Option<String> {
        self.gan.diverged().map(str::to_string)
    }

    /// The last D and G losses (NaN before the first step of each).
    pub fn losses(&self) -> Vec<f32> {
        let (d, g) = self.gan.losses();
        vec![d, g]
    }

    /// The norms of the last D and G parameter gradients.
    pub fn gradient_norms(&self) -> Vec<f32> {
        let (d, g) = self.gan.gradient_norms();
        vec![d, g]
    }

    /// Discriminator and generator steps taken since the last rebuild.
    pub fn updates(&self) -> Vec<f64> {
        vec![self.d_updates as f64, self.g_updates as f64]
    }

    pub fn distance(&self) -> f32 {
        self.gan.distance()
    }

    pub fn noise_dim(&self) -> usize {
        self.gan.config().noise_dim
    }

    pub fn real_samples(&self) -> Vec<f32> {
        self.gan.real_samples().to_vec()
    }

    pub fn fake_samples(&self) -> Vec<f32> {
        self.gan.fake_samples().to_vec()
    }

    /// The last noise batch (batch × noise_dim).
    pub fn noise(&self) -> Vec<f32> {
        self.gan.noise().to_vec()
    }

    pub fn real_beliefs(&self) -> Vec<f32> {
        self.gan.real_beliefs().to_vec()
    }

    pub fn fake_beliefs(&self) -> Vec<f32> {
        self.gan.fake_beliefs().to_vec()
    }

    /// d(generator loss)/d(x, y) at each fake point of the last generator step.
    pub fn fake_gradients(&self) -> Vec<f32> {
        self.gan.fake_gradients().to_vec()
    }

    pub fn fake_gradient_samples(&self) -> Vec<f32> {
        self.gan.fake_gradient_samples().to_vec()
    }

    /// D's beliefs over an n×n grid of the plane, row 0 at the top.
    pub fn discriminator_grid(&mut self, n: usize) -> Vec<f32> {
        self.gan.discriminator_grid(n).to_vec()
    }

    /// The generator applied to a regular noise grid (n points for 1-D noise, n×n for 2-D).
    pub fn generator_manifold(&mut self, n: usize) -> Vec<f32> {
        self.gan.generator_manifold(n).to_vec()
    }

    /// The drawn target's points (empty for built-in targets), flat x, y pairs.
    pub fn drawn_points(&self) -> Vec<f32> {
        match self.gan.target() {
            Target::Drawn(points) => points.iter().flatten().copied().collect(),
            _ => Vec::new(),
        }
    }

    /// Iterations, D loss, G loss and distance of the (thinned) history, as four arrays.
    pub fn history_iterations(&self) -> Vec<f64> {
        self.gan
            .history()
            .iterations()
            .iter()
            .map(|&i| i as f64)
            .collect()
    }

    pub fn history_d_loss(&self) -> Vec<f32> {
        self.gan.history().discriminator_loss().to_vec()
    }

    pub fn history_g_loss(&self) -> Vec<f32> {
        self.gan.history().generator_loss().to_vec()
    }

    pub fn history_distance(&self) -> Vec<f32> {
        self.gan.history().distance().to_vec()
    }

    /// The one-sentence explanation of a preset (by API name).
    pub fn preset_explanation(name: &str) -> Result<String, JsError> {
        let presets = Preset::all().map(|p| (preset_name(p), p));
        Ok(choose("preset", name, &presets)?.explanation().to_string())
    }

    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let gan = &self.gan;
        let c = gan.config();
        let (d_loss, g_loss) = gan.losses();
        let (d_norm, g_norm) = gan.gradient_norms();
        let history = gan.history();
        let config = ConfigSnapshot {
            target: self.target_name.clone(),
            hidden_layers: c.generator.hidden_layers,
            hidden_units: c.generator.hidden_units,
            activation: activation_name(c.activation),
            loss: loss_name(c.loss),
            optimizer: match c.optimizer {
                OptimizerKind::Adam { .. } => "adam",
                OptimizerKind::Sgd { .. } => "sgd",
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
            noise: match c.noise {
                NoiseKind::Gaussian => "gaussian",
                NoiseKind::Uniform => "uniform",
            },
            seed: c.seed,
        };
        let parameter_sum = |p: &[f32]| p.iter().map(|&v| v as f64).sum();
        let snapshot = Snapshot {
            iteration: gan.iteration_count(),
            config,
            seed: c.seed,
            target: self.target_name.clone(),
            preset: self.preset.map_or("custom", preset_name),
            preset_explanation: self.preset.map(Preset::explanation),
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
            real_samples: pairs(gan.real_samples()),
            fake_samples: pairs(gan.fake_samples()),
            drawn_points: pairs(&self.drawn_points()),
            diverged: self.diverged(),
        };
        // Missing values (no loss yet, no divergence) read as null in JavaScript.
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
        snapshot.serialize(&serializer).map_err(js_error)
    }
}

impl GanLab {
    /// Replaces the GAN by a fresh one from `config` and `target`; on a refusal nothing changes.
    fn rebuild(
        &mut self,
        config: GanConfig,
        target: Target,
        target_name: Option<&str>,
        preset: Option<Preset>,
    ) -> Result<(), JsError> {
        self.gan = Gan::new(config, target).map_err(js_error)?;
        if let Some(name) = target_name {
            self.target_name = name.to_string();
        }
        self.preset = preset;
        self.d_updates = 0;
        self.g_updates = 0;
        Ok(())
    }

    /// One sub-step, counting the network updates.
    fn sub_step(&mut self) -> Result<Position, JsError> {
        let done = self.gan.advance_sub_step().map_err(js_error)?;
        if done.sub_step == SubStep::Update {
            match done.phase {
                Phase::Discriminator => self.d_updates += 1,
                Phase::Generator => self.g_updates += 1,
            }
        }
        Ok(done)
    }
}
