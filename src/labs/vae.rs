//! The VAE lab: a variational autoencoder on the plane, its settings (target, β, latent size,
//! networks, learning rate, batch, seed), the views' settings (layers, a probed latent point,
//! speed), and the encodings and decodings the views draw, kept up to date after every step.
//!
//! Changing the target, the latent dimension, the networks, the batch or the seed rebuilds the
//! VAE from the seed; β and the learning rate apply to the running networks, so a student can
//! move β mid-training and watch the terms respond.
//!
//! The `backend` setting moves training onto the GPU ([`VaeGpu`]) and back; the CPU's [`Vae`]
//! keeps the run as of the last read-back, and the views are drawn from it.

use super::backend::{backend_setting, Backend, BackendReport, GpuAccess};
use super::lab::{playing_setting, seed_setting, Entry, Model};
use super::schema::{ChoiceItem, Control, InLink, Progress, Setting, Stepping};
use super::training::{self, FrameSpeed, OnGpu};
use super::transfer;
use super::value::Value;
use super::SettingType;
use crate::choice::Choice;
use crate::field;
use crate::nn::mlp::{HIDDEN_LAYERS, HIDDEN_UNITS};
use crate::nn::{BATCH_SIZE, LEARNING_RATE};
use crate::state::{Reader, Writer};
use crate::targets::Shape;
use crate::vae::gpu::VaeGpu;
use crate::vae::{Encodings, Vae, VaeConfig, BETA};
use serde::Serialize;
use std::rc::Rc;

/// The slider positions of β, the learning rate, the units and the batch size.
const BETAS: [f64; 13] = [
    0.0, 0.01, 0.03, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0,
];
const LEARNING_RATES: [f64; 11] = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];

/// The layers of the data view and of the latent view.
#[derive(Clone, Debug, PartialEq)]
pub struct VaeLayers {
    pub show_data: bool,
    pub show_reconstructions: bool,
    pub show_prior_samples: bool,
    pub show_manifold: bool,
    pub show_sigma: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct VaeSettings {
    pub shape: Shape,
    /// Your own points (imported from a file, or given to `set`), kept while a built-in target
    /// is chosen.
    pub drawing: Option<Rc<[f64]>>,
    pub config: VaeConfig,
    pub backend: Backend,
    pub speed: FrameSpeed,
    pub playing: bool,
    /// A latent point the student picked, decoded live (latent_dim numbers).
    pub probe: Option<Vec<f64>>,
    pub layers: VaeLayers,
}

impl training::WithTarget for VaeSettings {
    fn target_parts(&self) -> (Shape, &Option<Rc<[f64]>>) {
        (self.shape, &self.drawing)
    }
    fn target_parts_mut(&mut self) -> (&mut Shape, &mut Option<Rc<[f64]>>) {
        (&mut self.shape, &mut self.drawing)
    }
}

impl Default for VaeSettings {
    fn default() -> Self {
        Self {
            shape: Shape::Ring,
            drawing: None,
            config: VaeConfig::default(),
            backend: Backend::Auto,
            speed: FrameSpeed::Max,
            playing: false,
            probe: None,
            layers: VaeLayers {
                show_data: true,
                show_reconstructions: true,
                show_prior_samples: true,
                show_manifold: true,
                show_sigma: true,
            },
        }
    }
}

/// A VAE with what its views show, refreshed after every change.
pub struct VaeRun {
    vae: Vae,
    encodings: Encodings,
    /// The decoder's means at the fixed prior draws: new data (x, y pairs).
    prior_samples: Vec<f32>,
    /// The decoding of the probed latent point, if one is picked.
    probe_decoded: Option<[f32; 2]>,
    gpu: OnGpu<VaeGpu>,
}

impl VaeRun {
    pub fn vae(&self) -> &Vae {
        &self.vae
    }

    pub fn vae_mut(&mut self) -> &mut Vae {
        &mut self.vae
    }

    pub fn encodings(&self) -> &Encodings {
        &self.encodings
    }

    pub fn prior_samples(&self) -> &[f32] {
        &self.prior_samples
    }

    /// Where the decoder sends the probed latent point, if one is picked.
    pub fn probe_decoded(&self) -> Option<[f32; 2]> {
        self.probe_decoded
    }

    /// Replaces the prior draws behind `prior_samples` by fresh ones (training is unaffected).
    pub fn redraw_prior_samples(&mut self, settings: &VaeSettings) {
        self.vae.redraw_prior_samples();
        self.refresh(settings);
    }

    /// Re-encodes the view set and re-decodes the prior draws and the probe after the networks
    /// or the probe changed.
    fn refresh(&mut self, s: &VaeSettings) {
        self.vae.encodings(&mut self.encodings);
        self.prior_samples.clear();
        self.prior_samples
            .extend_from_slice(self.vae.prior_samples());
        self.probe_decoded = s.probe.as_ref().map(|z| {
            let z: Vec<f32> = z.iter().map(|&v| v as f32).collect();
            self.vae.decode(&z)
        });
    }
}

/// The settings under their API names.
#[derive(Serialize)]
pub struct ConfigSnapshot {
    pub target: &'static str,
    pub hidden_layers: usize,
    pub hidden_units: usize,
    pub latent_dim: usize,
    pub batch_size: usize,
    pub learning_rate: f32,
    pub beta: f32,
    pub seed: u64,
}

/// The picked latent point and where the decoder sends it.
#[derive(Serialize)]
pub struct ProbeSnapshot {
    pub z: Vec<f64>,
    pub x: [f32; 2],
}

/// The lab's state as plain data.
#[derive(Serialize)]
pub struct VaeSnapshot {
    pub iteration: u64,
    pub config: ConfigSnapshot,
    pub beta: f32,
    pub latent_dim: usize,
    pub target: &'static str,
    pub seed: u64,
    pub elbo: Option<f32>,
    pub reconstruction: Option<f32>,
    pub kl: Option<f32>,
    pub decoder_std_dev: [f32; 2],
    pub reconstruction_error: f32,
    pub history_iterations: Vec<u64>,
    pub elbo_history: Vec<f32>,
    pub reconstruction_history: Vec<f32>,
    pub kl_history: Vec<f32>,
    pub real_samples: Vec<[f32; 2]>,
    pub reconstructions: Vec<[f32; 2]>,
    pub latent_means: Vec<Vec<f32>>,
    pub latent_std_devs: Vec<Vec<f32>>,
    pub prior_samples: Vec<[f32; 2]>,
    pub probe: Option<ProbeSnapshot>,
    pub diverged: Option<String>,
}

impl Model for VaeRun {
    type Settings = VaeSettings;
    type Snapshot = VaeSnapshot;
    const NAME: &'static str = "vae";

    /// Both networks' weights, the decoder's log-variance and the optimizers' state (see
    /// src/labs/transfer.rs).
    fn model_arrays(&self, _: &VaeSettings) -> Vec<(String, Value)> {
        let vae = &self.vae;
        let [encoder, decoder, variance] = vae.optimizers();
        let mut out = Vec::new();
        transfer::network(&mut out, "encoder", vae.encoder(), encoder);
        transfer::network(&mut out, "decoder", vae.decoder(), decoder);
        let log_variance = vae.decoder_log_variance().map(|v| v as f64);
        out.push((
            "decoder_log_variance".into(),
            transfer::numbers(log_variance),
        ));
        let (m, v) = variance.state();
        let moments = |x: &[f32]| transfer::numbers(x.iter().map(|&x| x as f64));
        out.push(("decoder_log_variance_optimizer_m".into(), moments(m)));
        out.push(("decoder_log_variance_optimizer_v".into(), moments(v)));
        out
    }

    fn entries() -> Vec<Entry<VaeSettings>> {
        let targets = Shape::ALL
            .iter()
            .map(|&s| match s {
                // The VAE has no drawing tool: its own points come from a file or from `set`.
                Shape::Drawn => ChoiceItem::new(s.api_name(), "Your points (imported)"),
                _ => ChoiceItem::new(s.api_name(), s.label()),
            })
            .collect();
        vec![
            training::drawn_points_setting()
                .label("Your points")
                .help("2-D points to learn (at least one), from a CSV file or `set`; the target becomes \"drawn\".")
                .bind(training::drawing_binding()),
            Setting::choices("target", targets)
                .label("Data (target)")
                .help("The distribution the VAE learns to encode and generate (\"drawn\": your points).")
                .group("Data")
                .rebuilds()
                .bind(training::target_binding()),
            Setting::number("beta", BETA)
                .label("β, the weight of the KL term")
                .help("1 is the true ELBO. Small β: sharp reconstructions, encodings far from the prior. Large β: encodings collapse onto the prior and the decoder ignores z.")
                .group("Training")
                .ladder(&BETAS)
                .bind(field!(config.beta)),
            Setting::choices(
                "latent_dim",
                vec![
                    ChoiceItem::new(2.0, "2 (a plane: mesh manifold)"),
                    ChoiceItem::new(1.0, "1 (a line: curve manifold)"),
                ],
            )
            .label("Latent dimension")
            .group("Networks")
            .rebuilds()
            .bind((
                |s| s.config.latent_dim.to_value(),
                |s, v| {
                    s.config.latent_dim = usize::from_value(v);
                    // A picked point of the old latent space means nothing in the new one.
                    s.probe = None;
                    Ok(())
                },
            )),
            Setting::number("hidden_layers", HIDDEN_LAYERS)
                .label("Hidden layers (each network)")
                .group("Networks")
                .rebuilds()
                .bind(field!(config.hidden_layers)),
            Setting::number("hidden_units", HIDDEN_UNITS)
                .label("Units per hidden layer")
                .group("Networks")
                .ladder(&training::UNITS)
                .rebuilds()
                .bind(field!(config.hidden_units)),
            Setting::number("learning_rate", LEARNING_RATE)
                .label("Learning rate (Adam)")
                .help("Try 0.0003 to 0.01.")
                .group("Training")
                .ladder(&LEARNING_RATES)
                .bind(field!(config.learning_rate)),
            Setting::number("batch_size", BATCH_SIZE)
                .label("Batch size")
                .group("Training")
                .ladder(&training::BATCHES)
                .rebuilds()
                .bind(field!(config.batch_size)),
            seed_setting("Rebuilds the VAE: fresh networks from this seed, training starts over.")
                .bind(field!(config.seed)),
            backend_setting().bind(field!(backend)),
            training::frame_speed().bind(field!(speed)),
            playing_setting().bind(field!(playing)),
            Setting::vector("probe", "latent_dim")
                .label("A picked latent point")
                .help("Decoded live and marked in both views (what a click or drag in the latent view does).")
                .in_link(InLink::Never)
                .control(Control::Custom)
                .bind((
                    |s| match &s.probe {
                        Some(z) => Value::List(z.iter().map(|&v| Value::Number(v)).collect()),
                        None => Value::Null,
                    },
                    |s, v| {
                        let dim = s.config.latent_dim;
                        s.probe = match v.as_numbers() {
                            Some(z) if z.len() == dim => Some(z),
                            Some(_) => {
                                let plural = if dim == 1 { "" } else { "s" };
                                return Err(format!(
                                    "probe = {v} is not allowed: probe must be {dim} finite number{plural} (a point of the {dim}-D latent space), or null"
                                ));
                            }
                            None => None,
                        };
                        Ok(())
                    },
                )),
            training::layer("show_data", "Data points (coloured by direction)").bind(field!(layers.show_data)),
            training::layer("show_reconstructions", "Reconstructions (line from each point)")
                .bind(field!(layers.show_reconstructions)),
            training::layer("show_prior_samples", "New data: decoded draws from the prior")
                .bind(field!(layers.show_prior_samples)),
            training::layer("show_manifold", "Decoder manifold (decoded latent grid)")
                .bind(field!(layers.show_manifold)),
            training::layer("show_sigma", "Encoder spread σ (ellipses, latent view)")
                .bind(field!(layers.show_sigma)),
        ]
    }

    fn progress() -> Progress {
        training::progress()
    }

    fn stepping() -> Stepping {
        training::stepping("iterations: one batch and one Adam update each")
    }

    fn build(s: &VaeSettings) -> Result<Self, String> {
        let target = training::target_of(s.shape, &s.drawing).map_err(|e| e.to_string())?;
        let vae = Vae::new(s.config.clone(), target).map_err(|e| e.to_string())?;
        let mut run = Self {
            vae,
            encodings: Encodings::default(),
            prior_samples: Vec::new(),
            probe_decoded: None,
            gpu: OnGpu::default(),
        };
        run.refresh(s);
        Ok(run)
    }

    fn apply_live(&mut self, s: &VaeSettings, name: &str) -> Result<(), String> {
        match name {
            "beta" => self.vae.set_beta(s.config.beta),
            "learning_rate" => self.vae.set_learning_rate(s.config.learning_rate),
            _ => Ok(()),
        }
        .map_err(|e| e.to_string())?;
        if name == "probe" {
            self.refresh(s);
        }
        Ok(())
    }

    /// Runs `n` iterations; a divergence stops training there and is kept in the snapshot.
    /// Returns the iteration count.
    fn step(&mut self, s: &VaeSettings, n: u64) -> Result<f64, String> {
        self.gpu.cpu_takes_over();
        // A divergence is recorded in the VAE (and shown), not an error of the call.
        let _ = self.vae.iterations(n as usize);
        self.refresh(s);
        Ok(self.vae.iteration_count() as f64)
    }

    fn progress_count(&self) -> u64 {
        // A diverged run's link counts the iteration that broke, so that opening the link
        // replays up to it and diverges there again, instead of stopping one short, healthy.
        self.vae.iteration_count() + u64::from(self.vae.diverged().is_some())
    }

    fn advance(&mut self, s: &VaeSettings, count: u64) -> Result<(), String> {
        self.step(s, count).map(|_| ())
    }

    fn use_backend(
        &mut self,
        s: &VaeSettings,
        access: &GpuAccess,
        strict: bool,
    ) -> Result<(), String> {
        let choice = training::choose_backend(s.backend, access, s.config.batch_size, strict)?;
        let vae = &self.vae;
        self.gpu.place(choice, access, |gpu| VaeGpu::new(gpu, vae));
        Ok(())
    }

    fn backend(&self) -> Option<BackendReport> {
        Some(self.gpu.report())
    }

    fn gpu_begin(&mut self, _: &VaeSettings, n: u64) -> Result<(), String> {
        // A second step begun before the first is done trains n more after it.
        self.gpu.aim(self.vae.iteration_count(), n);
        Ok(())
    }

    fn gpu_continue(&mut self, s: &VaeSettings) -> Result<Option<f64>, String> {
        let driven = self.gpu.drive(&mut self.vae)?;
        if driven.read.is_some_and(|done| done > 0) {
            // The views follow the weights just read back.
            self.refresh(s);
        }
        Ok(driven.finished)
    }

    fn gpu_readback(&self) -> Option<&crate::gpu::Readback> {
        self.gpu.readback()
    }

    fn export_state(&self) -> Result<Vec<u8>, String> {
        let mut w = Writer::new(Self::NAME);
        self.vae.write_state(&mut w);
        Ok(w.into_bytes())
    }

    fn import_state(&mut self, s: &VaeSettings, bytes: &[u8]) -> Result<(), String> {
        self.vae.read_state(Reader::new(bytes, Self::NAME)?)?;
        // A copy on the GPU no longer holds the run; the views follow the imported networks.
        self.gpu.cpu_takes_over();
        self.refresh(s);
        Ok(())
    }

    fn snapshot(&self, s: &VaeSettings) -> VaeSnapshot {
        let vae = &self.vae;
        let c = vae.config();
        let terms = vae.terms();
        let finite = |x: f32| x.is_finite().then_some(x);
        let l = c.latent_dim;
        let history = vae.history();
        VaeSnapshot {
            iteration: vae.iteration_count(),
            config: ConfigSnapshot {
                target: s.shape.api_name(),
                hidden_layers: c.hidden_layers,
                hidden_units: c.hidden_units,
                latent_dim: l,
                batch_size: c.batch_size,
                learning_rate: c.learning_rate,
                beta: c.beta,
                seed: c.seed,
            },
            beta: c.beta,
            latent_dim: l,
            target: s.shape.api_name(),
            seed: c.seed,
            elbo: terms.and_then(|t| finite(t.elbo())),
            reconstruction: terms.and_then(|t| finite(t.reconstruction)),
            kl: terms.and_then(|t| finite(t.kl)),
            decoder_std_dev: vae.decoder_log_variance().map(|lv| (0.5 * lv).exp()),
            reconstruction_error: self.encodings.mean_reconstruction_error(),
            history_iterations: history.iterations().to_vec(),
            elbo_history: history.elbo().to_vec(),
            reconstruction_history: history.reconstruction().to_vec(),
            kl_history: history.kl().to_vec(),
            real_samples: training::pairs(&self.encodings.data),
            reconstructions: training::pairs(&self.encodings.reconstructions),
            latent_means: self
                .encodings
                .means
                .chunks(l)
                .map(<[f32]>::to_vec)
                .collect(),
            latent_std_devs: self
                .encodings
                .std_devs
                .chunks(l)
                .map(<[f32]>::to_vec)
                .collect(),
            prior_samples: training::pairs(&self.prior_samples),
            probe: s
                .probe
                .clone()
                .zip(self.probe_decoded)
                .map(|(z, x)| ProbeSnapshot { z, x }),
            diverged: vae.diverged().map(str::to_string),
        }
    }
}
