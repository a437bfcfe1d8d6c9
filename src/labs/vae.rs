//! The VAE lab: a variational autoencoder on 2-D points or on images (the real handwritten
//! digits, the 28×28 glyphs), its settings (data, β, latent size, networks, learning rate,
//! batch, seed), the views' settings (layers, a probed latent point, the two latent coordinates
//! shown, the two images interpolated, speed), and the encodings and decodings the views draw,
//! kept up to date after every step.
//!
//! The digits come from a file the page fetches ([`provide_digits`]); the glyphs are drawn
//! here, once per page, from a fixed seed (the data stay the same whatever the run's seed).
//!
//! Changing the target, the latent dimension, the networks, the batch or the seed rebuilds the
//! VAE from the seed; β and the learning rate apply to the running networks, so a student can
//! move β mid-training and watch the terms respond.
//!
//! The `backend` setting moves training onto the GPU ([`VaeGpu`]), on points and on images, and
//! back; the CPU's [`Vae`] keeps the run as of the last read-back, and the views are drawn from
//! it.

use super::backend::{backend_setting, Backend, BackendReport, GpuAccess};
use super::lab::{playing_setting, seed_setting, Entry, Model};
use super::schema::{ChoiceItem, Control, InLink, Item, Progress, Setting, Stepping};
use super::training::{self, FrameSpeed, OnGpu};
use super::transfer;
use super::value::Value;
use super::SettingType;
use crate::choice::Choice;
use crate::field;
use crate::images::{digits, glyphs, ImageSet};
use crate::nn::mlp::HIDDEN_LAYERS;
use crate::nn::{BATCH_SIZE, LEARNING_RATE};
use crate::range::Range;
use crate::state::{Reader, Writer};
use crate::targets::Shape;
use crate::vae::gpu::VaeGpu;
use crate::vae::{
    Encodings, Source, Trace, Vae, VaeConfig, BETA, HIDDEN_UNITS, LATENT_DIM, MAX_LATENT_DIM,
    VIEW_IMAGES,
};
use serde::Serialize;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// The slider positions of β, the learning rate, the units and the batch size.
const BETAS: [f64; 13] = [
    0.0, 0.01, 0.03, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0,
];
const LEARNING_RATES: [f64; 11] = [1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0];
/// The units ladder of the other labs, then the widths images want.
const UNITS: [f64; 14] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 24.0, 32.0, 48.0, 64.0, 96.0, 128.0, 256.0, 512.0, 1024.0,
];
/// Lines per side of the decoded grid of images.
pub const GRID_SIDE: usize = 15;
/// Images along the interpolation, both ends included.
pub const INTERPOLATION_STEPS: usize = 10;
/// The glyph set's own seed: the data are the same whatever the run's seed.
const GLYPH_SET_SEED: u64 = 28;

/// The image sets the VAE learns besides the 2-D targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ImageKind {
    Digits,
    Glyphs,
}

impl Choice for ImageKind {
    const ALL: &'static [Self] = &[ImageKind::Digits, ImageKind::Glyphs];

    fn api_name(self) -> &'static str {
        match self {
            ImageKind::Digits => "digits",
            ImageKind::Glyphs => "glyphs",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ImageKind::Digits => "Handwritten digits (8×8 images, UCI)",
            ImageKind::Glyphs => "Glyphs (28×28 digits drawn here)",
        }
    }
}

thread_local! {
    /// The digits once the page has handed their file over, and the glyphs once drawn: shared
    /// by every run (a rebuild does not read or draw them again).
    static DIGITS: RefCell<Option<Arc<ImageSet>>> = const { RefCell::new(None) };
    static GLYPHS: RefCell<Option<Arc<ImageSet>>> = const { RefCell::new(None) };
}

/// Takes the digits' file (www/data/digits.bin); the page fetches it and hands it over before
/// the lab is created. Giving it again keeps the first copy.
pub fn provide_digits(bytes: &[u8]) -> Result<(), String> {
    if DIGITS.with_borrow(Option::is_some) {
        return Ok(());
    }
    let set = digits::parse(bytes)?;
    DIGITS.set(Some(Arc::new(set)));
    Ok(())
}

/// The images of `kind`; Err when the digits' file has not arrived.
pub fn image_set(kind: ImageKind) -> Result<Arc<ImageSet>, String> {
    match kind {
        ImageKind::Digits => DIGITS.with_borrow(Clone::clone).ok_or_else(|| {
            "the digits are not loaded: the page fetches data/digits.bin when it opens the VAE lab; reload the page, or pick glyphs or a 2-D target".to_string()
        }),
        ImageKind::Glyphs => Ok(GLYPHS.with_borrow_mut(|set| {
            set.get_or_insert_with(|| Arc::new(glyphs::glyphs(GLYPH_SET_SEED, glyphs::COUNT)))
                .clone()
        })),
    }
}

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
    /// The 2-D target, while no image set is chosen.
    pub shape: Shape,
    /// The image set learned instead of a 2-D target.
    pub images: Option<ImageKind>,
    /// Your own points (imported from a file, or given to `set`), kept while a built-in target
    /// is chosen.
    pub drawing: Option<Rc<[f64]>>,
    pub config: VaeConfig,
    pub backend: Backend,
    pub speed: FrameSpeed,
    pub playing: bool,
    /// A latent point the student picked, decoded live (latent_dim numbers).
    pub probe: Option<Vec<f64>>,
    /// The latent coordinates the views show (1-based, as the page labels them z₁, z₂, …);
    /// one beyond latent_dim shows the last one.
    pub shown_dims: [usize; 2],
    /// The two view images the interpolation runs between (their indices in the latent map).
    pub interpolate: [usize; 2],
    pub layers: VaeLayers,
}

impl VaeSettings {
    /// The shown latent coordinates as 0-based indices below latent_dim, distinct when there
    /// are two or more coordinates.
    pub fn view_dims(&self) -> [usize; 2] {
        let l = self.config.latent_dim;
        let x = self.shown_dims[0].clamp(1, l) - 1;
        let y = self.shown_dims[1].clamp(1, l) - 1;
        if x == y && l > 1 {
            [x, if x + 1 < l { x + 1 } else { x - 1 }]
        } else {
            [x, y]
        }
    }
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
            images: None,
            drawing: None,
            config: VaeConfig::default(),
            backend: Backend::Auto,
            speed: FrameSpeed::Max,
            playing: false,
            probe: None,
            shown_dims: [1, 2],
            interpolate: [0, 1],
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
    probe_decoded: Option<Vec<f32>>,
    /// Images only: the decoded grid over the two shown latent coordinates (image after
    /// image, row by row from the top) and the interpolation between the two picked images.
    grid: Vec<f32>,
    interpolation: Vec<f32>,
    /// The last narrated iteration, followed through its first example.
    trace: Option<Trace>,
    /// Whether the views still show the networks as they were before the last imported state.
    views_stale: bool,
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

    /// Where the decoder sends the probed latent point (a point or an image), if one is picked.
    pub fn probe_decoded(&self) -> Option<&[f32]> {
        self.probe_decoded.as_deref()
    }

    /// Images only: the decoded grid ([`GRID_SIDE`]² images), empty for points.
    pub fn decoded_grid(&self) -> &[f32] {
        &self.grid
    }

    /// Images only: the [`INTERPOLATION_STEPS`] images between the two picked ones.
    pub fn interpolation(&self) -> &[f32] {
        &self.interpolation
    }

    /// Runs one iteration, the same as a step's, keeping what it did to its first example for
    /// the narrated step (a divergence is kept in the VAE, as a step's is).
    pub fn narrated_step(&mut self, settings: &VaeSettings) {
        self.gpu.cpu_takes_over();
        if let Ok(trace) = self.vae.traced_iteration() {
            self.trace = Some(trace);
        }
        self.refresh(settings);
    }

    /// The last narrated iteration as plain data.
    pub fn narration(&self) -> Option<NarrationSnapshot> {
        self.trace.as_ref().map(|t| NarrationSnapshot {
            iteration: t.iteration,
            x: t.x.clone(),
            mean: t.mean.clone(),
            std_dev: t.std_dev.clone(),
            noise: t.noise.clone(),
            z: t.z.clone(),
            decoded: t.decoded.clone(),
            reconstruction: t.terms.reconstruction,
            kl: t.terms.kl,
            beta: t.beta,
            loss: t.terms.loss(t.beta),
            encoder_grad_norm: t.encoder_grad_norm,
            decoder_grad_norm: t.decoder_grad_norm,
        })
    }

    /// Replaces the prior draws behind `prior_samples` by fresh ones (training is unaffected).
    pub fn redraw_prior_samples(&mut self, settings: &VaeSettings) {
        self.vae.redraw_prior_samples();
        self.refresh(settings);
    }

    /// Re-encodes the view set and re-decodes the prior draws and the probe after the networks
    /// or the probe changed.
    /// Brings the views up to the imported state, if one came since they were drawn; returns
    /// whether they changed.
    pub fn refresh_views(&mut self, s: &VaeSettings) -> bool {
        let stale = self.views_stale;
        if stale {
            self.refresh(s);
        }
        stale
    }

    fn refresh(&mut self, s: &VaeSettings) {
        self.views_stale = false;
        self.vae.encodings(&mut self.encodings);
        self.prior_samples.clear();
        self.prior_samples
            .extend_from_slice(self.vae.prior_samples());
        self.refresh_probe(s);
        self.refresh_grid(s);
        self.refresh_interpolation(s);
    }

    /// Only the probe's decoding (a click or a drag on the latent map changes nothing else).
    fn refresh_probe(&mut self, s: &VaeSettings) {
        self.probe_decoded = s.probe.as_ref().map(|z| {
            let z: Vec<f32> = z.iter().map(|&v| v as f32).collect();
            self.vae.decode(&z).to_vec()
        });
    }

    /// Images only: the decoded grid over the shown latent coordinates.
    fn refresh_grid(&mut self, s: &VaeSettings) {
        self.grid.clear();
        if self.vae.source().is_images() {
            let grid = self.vae.manifold(GRID_SIDE, s.view_dims());
            self.grid.extend_from_slice(grid);
        }
    }

    /// Images only: the path between the two picked images.
    fn refresh_interpolation(&mut self, s: &VaeSettings) {
        self.interpolation.clear();
        if self.vae.source().is_images() {
            let count = self.encodings.labels.len();
            let [from, to] = s.interpolate.map(|i| i.min(count - 1));
            let path = self.vae.interpolation(from, to, INTERPOLATION_STEPS);
            self.interpolation.extend_from_slice(path);
        }
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

/// The picked latent point and where the decoder sends it (a point, or an image's pixels).
#[derive(Serialize)]
pub struct ProbeSnapshot {
    pub z: Vec<f64>,
    pub x: Vec<f32>,
}

/// The decoded grid of images: each image's latent point (in the two shown coordinates) and
/// its pixels.
#[derive(Serialize)]
pub struct GridSnapshot {
    /// Images per side.
    pub side: usize,
    /// The shown latent coordinates, 1-based.
    pub dims: [usize; 2],
    pub z: Vec<[f32; 2]>,
    pub images: Vec<Vec<f32>>,
}

/// One narrated iteration through its first example: encode (μ, σ), sample ε and form z,
/// decode, the batch's two loss terms, and the gradients of the update.
#[derive(Serialize)]
pub struct NarrationSnapshot {
    pub iteration: u64,
    pub x: Vec<f32>,
    pub mean: Vec<f32>,
    pub std_dev: Vec<f32>,
    pub noise: Vec<f32>,
    pub z: Vec<f32>,
    pub decoded: Vec<f32>,
    /// The batch means of E[log p(x | z)] and of the KL, β, and the loss −reconstruction + β·KL.
    pub reconstruction: f32,
    pub kl: f32,
    pub beta: f32,
    pub loss: f32,
    pub encoder_grad_norm: f32,
    pub decoder_grad_norm: f32,
}

/// The decoded straight latent path between two of the shown images.
#[derive(Serialize)]
pub struct InterpolationSnapshot {
    pub from: usize,
    pub to: usize,
    pub images: Vec<Vec<f32>>,
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
    /// Points: the mean distance to the reconstruction. Images: the mean binary cross-entropy
    /// per pixel of the reconstructed images.
    pub reconstruction_error: f32,
    /// Images: [width, height]; null for points.
    pub image_size: Option<[usize; 2]>,
    /// Images: the class of each image in latent_means (empty for points).
    pub labels: Vec<u8>,
    /// The latent coordinates the views show (1-based).
    pub shown_dims: [usize; 2],
    pub history_iterations: Vec<u64>,
    pub elbo_history: Vec<f32>,
    pub reconstruction_history: Vec<f32>,
    pub kl_history: Vec<f32>,
    /// Points: the shown data points. Images: the originals that `reconstructions` rebuild.
    pub real_samples: Vec<Vec<f32>>,
    pub reconstructions: Vec<Vec<f32>>,
    pub latent_means: Vec<Vec<f32>>,
    pub latent_std_devs: Vec<Vec<f32>>,
    pub prior_samples: Vec<Vec<f32>>,
    pub probe: Option<ProbeSnapshot>,
    /// Images only.
    pub decoded_grid: Option<GridSnapshot>,
    pub interpolation: Option<InterpolationSnapshot>,
    /// The last narrated iteration (null before one).
    pub narration: Option<NarrationSnapshot>,
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
        let mut targets: Vec<ChoiceItem> = ImageKind::ALL
            .iter()
            .map(|&k| ChoiceItem::new(k.api_name(), k.label()))
            .collect();
        targets.extend(Shape::ALL.iter().map(|&s| match s {
            // The VAE has no drawing tool: its own points come from a file or from `set`.
            Shape::Drawn => ChoiceItem::new(s.api_name(), "Your points (imported)"),
            _ => ChoiceItem::new(s.api_name(), s.label()),
        }));
        let shown = Range::whole(1, MAX_LATENT_DIM as u64);
        let view_image = Range::whole(0, VIEW_IMAGES as u64 - 1);
        vec![
            training::drawn_points_setting()
                .label("Your points")
                .help("2-D points to learn (at least one), from a CSV file or `set`; the target becomes \"drawn\".")
                .bind((training::drawing_binding().0, |s, v| {
                    s.images = None;
                    (training::drawing_binding().1)(s, v)
                })),
            Setting::choices("target", targets)
                .label("Data (target)")
                .help("What the VAE learns to encode and generate: images (real handwritten digits, or glyphs drawn here) or a 2-D distribution (\"drawn\": your points).")
                .group("Data")
                .rebuilds()
                .bind((
                    |s| match s.images {
                        Some(kind) => Value::text(kind.api_name()),
                        None => (training::target_binding().0)(s),
                    },
                    |s, v| {
                        let kind = v.as_text().and_then(ImageKind::from_api_name);
                        if let Some(kind) = kind {
                            // Fails here, not at the rebuild, while the digits have not arrived.
                            image_set(kind)?;
                            s.images = Some(kind);
                            return Ok(());
                        }
                        (training::target_binding().1)(s, v)?;
                        s.images = None;
                        Ok(())
                    },
                )),
            Setting::number("beta", BETA)
                .label("β, the weight of the KL term")
                .help("1 is the true ELBO. Small β: sharp reconstructions, encodings far from the prior. Large β: encodings collapse onto the prior and the decoder ignores z.")
                .group("Training")
                .ladder(&BETAS)
                .bind(field!(config.beta)),
            Setting::number("latent_dim", LATENT_DIM)
            .label("Latent dimension")
            .help("1: a line (the manifold is a curve); 2: a plane; more: the views show two chosen coordinates, the others at 0.")
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
                .help("Images learn best with wide layers: 256 (one hidden layer) is the classic image VAE.")
                .group("Networks")
                .ladder(&UNITS)
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
            Setting::tuple(
                "shown_dims",
                vec![
                    Item {
                        name: "x",
                        symbol: "across",
                        label: "Latent coordinate across (z number)",
                        range: shown,
                    },
                    Item {
                        name: "y",
                        symbol: "up",
                        label: "Latent coordinate up (z number)",
                        range: shown,
                    },
                ],
            )
            .label("Latent coordinates shown")
            .help("With a latent of more than 2 coordinates, the two the latent views show (1 = z₁); the decoded grid holds the others at 0.")
            .group("Views")
            .control(Control::Slider)
            .in_link(InLink::WhenChanged)
            .bind((
                |s| Value::List(s.shown_dims.iter().map(|&d| Value::Number(d as f64)).collect()),
                |s, v| {
                    let d = v.as_numbers().unwrap_or_default();
                    s.shown_dims = [d[0] as usize, d[1] as usize];
                    Ok(())
                },
            )),
            Setting::tuple(
                "interpolate",
                vec![
                    Item {
                        name: "from",
                        symbol: "from",
                        label: "First image (its number in the latent map)",
                        range: view_image,
                    },
                    Item {
                        name: "to",
                        symbol: "to",
                        label: "Second image",
                        range: view_image,
                    },
                ],
            )
            .label("Interpolate between two images")
            .help("Images only: the two images (numbered as in the latent map, from 0) whose encodings the interpolation joins by a straight latent path; click an original to pick it.")
            .group("Views")
            .in_link(InLink::WhenChanged)
            .control(Control::Custom)
            .bind((
                |s| Value::List(s.interpolate.iter().map(|&d| Value::Number(d as f64)).collect()),
                |s, v| {
                    let d = v.as_numbers().unwrap_or_default();
                    s.interpolate = [d[0] as usize, d[1] as usize];
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
        let source: Source = match s.images {
            Some(kind) => image_set(kind)?.into(),
            None => training::target_of(s.shape, &s.drawing)
                .map_err(|e| e.to_string())?
                .into(),
        };
        let vae = Vae::new(s.config.clone(), source).map_err(|e| e.to_string())?;
        let mut run = Self {
            vae,
            encodings: Encodings::default(),
            prior_samples: Vec::new(),
            probe_decoded: None,
            grid: Vec::new(),
            interpolation: Vec::new(),
            trace: None,
            views_stale: false,
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
        // Each view setting redraws only what it changes.
        match name {
            "probe" => self.refresh_probe(s),
            "shown_dims" => self.refresh_grid(s),
            "interpolate" => self.refresh_interpolation(s),
            _ => {}
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
        // A copy on the GPU no longer holds the run; the views follow the imported networks:
        // at once for points, and for images when the page next asks (`refresh_views`), since
        // encoding them again takes longer than a frame has and a worker returns a run a frame.
        self.gpu.cpu_takes_over();
        if self.vae.source().is_images() {
            self.views_stale = true;
        } else {
            self.refresh(s);
        }
        Ok(())
    }

    fn snapshot(&self, s: &VaeSettings) -> VaeSnapshot {
        let vae = &self.vae;
        let c = vae.config();
        let terms = vae.terms();
        let finite = |x: f32| x.is_finite().then_some(x);
        let l = c.latent_dim;
        let d = vae.source().dim();
        let history = vae.history();
        let rows = |flat: &[f32], width: usize| -> Vec<Vec<f32>> {
            flat.chunks(width).map(<[f32]>::to_vec).collect()
        };
        let e = &self.encodings;
        let images = vae.source().images();
        // Images: the originals beside their reconstructions, not the whole latent map's set.
        let shown = if images.is_some() {
            &e.data[..e.reconstructions.len()]
        } else {
            &e.data[..]
        };
        let dims = s.view_dims();
        let target = s.images.map_or(s.shape.api_name(), ImageKind::api_name);
        VaeSnapshot {
            iteration: vae.iteration_count(),
            config: ConfigSnapshot {
                target,
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
            target,
            seed: c.seed,
            elbo: terms.and_then(|t| finite(t.elbo())),
            reconstruction: terms.and_then(|t| finite(t.reconstruction)),
            kl: terms.and_then(|t| finite(t.kl)),
            decoder_std_dev: vae.decoder_log_variance().map(|lv| (0.5 * lv).exp()),
            reconstruction_error: e.reconstruction_error,
            image_size: images.map(ImageSet::size),
            labels: e.labels.clone(),
            shown_dims: dims.map(|d| d + 1),
            history_iterations: history.iterations().to_vec(),
            elbo_history: history.elbo().to_vec(),
            reconstruction_history: history.reconstruction().to_vec(),
            kl_history: history.kl().to_vec(),
            real_samples: rows(shown, d),
            reconstructions: rows(&e.reconstructions, d),
            latent_means: rows(&e.means, l),
            latent_std_devs: rows(&e.std_devs, l),
            prior_samples: rows(&self.prior_samples, d),
            probe: s
                .probe
                .clone()
                .zip(self.probe_decoded.clone())
                .map(|(z, x)| ProbeSnapshot { z, x }),
            decoded_grid: images.map(|_| GridSnapshot {
                side: GRID_SIDE,
                dims: dims.map(|d| d + 1),
                z: vae
                    .latent_grid(GRID_SIDE, dims)
                    .chunks(l)
                    .map(|z| [z[dims[0]], z[dims[1].min(l - 1)]])
                    .collect(),
                images: rows(&self.grid, d),
            }),
            interpolation: images.map(|_| {
                let count = e.labels.len();
                let [from, to] = s.interpolate.map(|i| i.min(count - 1));
                InterpolationSnapshot {
                    from,
                    to,
                    images: rows(&self.interpolation, d),
                }
            }),
            narration: self.narration(),
            diverged: vae.diverged().map(str::to_string),
        }
    }
}
