//! The VAE lab's handle: a variational autoencoder on the plane adapted to JavaScript.
//!
//! Owns the settings under the names the automation API uses, the target's name and the running
//! [`Vae`] with a reusable buffer for its encodings. A change of target, latent dimension,
//! architecture, batch or seed rebuilds the VAE from the seed; β and the learning rate apply to
//! the running networks, so a student can move β mid-training and watch the terms respond. A
//! refused setting changes nothing.

use super::{js_error, seed, whole_number};
use crate::targets::Target;
use crate::vae::{Encodings, Vae, VaeConfig, MAX_BATCH_SIZE};
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
/// The most iterations one `iterations` call may run (a typo must not freeze the page for hours).
const MAX_ITERATIONS_PER_CALL: f64 = 1e6;

/// The settings under their API names (see docs/readme-vae.md).
#[derive(Serialize)]
struct ConfigSnapshot {
    target: String,
    hidden_layers: usize,
    hidden_units: usize,
    latent_dim: usize,
    batch_size: usize,
    learning_rate: f32,
    beta: f32,
    seed: u64,
}

/// The lab's state as plain data.
#[derive(Serialize)]
struct Snapshot {
    iteration: u64,
    config: ConfigSnapshot,
    beta: f32,
    latent_dim: usize,
    target: String,
    seed: u64,
    elbo: Option<f32>,
    reconstruction: Option<f32>,
    kl: Option<f32>,
    decoder_std_dev: [f32; 2],
    reconstruction_error: f32,
    history_iterations: Vec<u64>,
    elbo_history: Vec<f32>,
    reconstruction_history: Vec<f32>,
    kl_history: Vec<f32>,
    real_samples: Vec<[f32; 2]>,
    reconstructions: Vec<[f32; 2]>,
    latent_means: Vec<Vec<f32>>,
    latent_std_devs: Vec<Vec<f32>>,
    prior_samples: Vec<[f32; 2]>,
    diverged: Option<String>,
}

fn pairs(flat: &[f32]) -> Vec<[f32; 2]> {
    flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect()
}

#[wasm_bindgen]
pub struct VaeLab {
    vae: Vae,
    target_name: String,
    encodings: Encodings,
}

#[wasm_bindgen]
impl VaeLab {
    /// The default VAE (2-D latent, β = 1) on the ring of eight Gaussians.
    #[wasm_bindgen(constructor)]
    pub fn new(seed_value: f64) -> Result<VaeLab, JsError> {
        let config = VaeConfig {
            seed: seed(seed_value)?,
            ..VaeConfig::default()
        };
        let mut lab = VaeLab {
            vae: Vae::new(config, Target::Ring).map_err(js_error)?,
            target_name: "ring".into(),
            encodings: Encodings::default(),
        };
        lab.refresh_encodings();
        Ok(lab)
    }

    /// Sets a numeric setting: `beta` and `learning_rate` apply live; `latent_dim`,
    /// `hidden_layers`, `hidden_units`, `batch_size` and `seed` rebuild the VAE from the seed.
    pub fn set_number(&mut self, name: &str, value: f64) -> Result<(), JsError> {
        let mut config = self.vae.config().clone();
        let whole = |min: f64, max: f64| whole_number(name, value, min, max).map(|v| v as usize);
        match name {
            "beta" => {
                if !value.is_finite() {
                    return Err(JsError::new(&format!(
                        "beta = {value} is not allowed: beta must be a number from 0 to 100 (1 is the true ELBO)"
                    )));
                }
                return self.vae.set_beta(value as f32).map_err(js_error);
            }
            "learning_rate" => {
                if !value.is_finite() {
                    return Err(JsError::new(&format!(
                        "learning_rate = {value} is not allowed: learning_rate must be a number above 0 and at most 10 (try 0.0003 to 0.01)"
                    )));
                }
                return self.vae.set_learning_rate(value as f32).map_err(js_error);
            }
            "latent_dim" => config.latent_dim = whole(1.0, 2.0)?,
            "hidden_layers" => config.hidden_layers = whole(0.0, 4.0)?,
            "hidden_units" => config.hidden_units = whole(1.0, 128.0)?,
            "batch_size" => config.batch_size = whole(1.0, MAX_BATCH_SIZE as f64)?,
            "seed" => config.seed = seed(value)?,
            _ => {
                return Err(JsError::new(&format!(
                    "the VAE lab has no numeric setting \"{name}\""
                )))
            }
        }
        self.rebuild(config, self.vae.target().clone(), None)
    }

    /// Sets `target` ("ring", "grid", "moons", "spiral" or "line"); rebuilds from the seed.
    pub fn set_target(&mut self, value: &str) -> Result<(), JsError> {
        let Some((name, target)) = TARGETS.iter().find(|(n, _)| *n == value) else {
            let allowed: Vec<String> = TARGETS.iter().map(|(n, _)| format!("\"{n}\"")).collect();
            return Err(JsError::new(&format!(
                "target = \"{value}\" is not allowed: target must be one of {}",
                allowed.join(", ")
            )));
        };
        let config = self.vae.config().clone();
        self.rebuild(config, target.clone(), Some(name))
    }

    /// Starts over with `seed`: fresh networks, empty history, no divergence.
    pub fn reset(&mut self, seed_value: f64) -> Result<(), JsError> {
        self.set_number("seed", seed_value)
    }

    /// Runs `count` iterations; stops at a divergence and returns its message as the error.
    pub fn iterations(&mut self, count: f64) -> Result<(), JsError> {
        let count = whole_number("n", count, 0.0, MAX_ITERATIONS_PER_CALL)?;
        let result = self.vae.iterations(count as usize).map_err(js_error);
        self.refresh_encodings();
        result
    }

    pub fn iteration_count(&self) -> f64 {
        self.vae.iteration_count() as f64
    }

    pub fn diverged(&self) -> Option<String> {
        self.vae.diverged().map(str::to_string)
    }

    pub fn latent_dim(&self) -> usize {
        self.vae.config().latent_dim
    }

    pub fn beta(&self) -> f32 {
        self.vae.config().beta
    }

    /// ELBO, reconstruction term and KL of the last batch (NaN before the first step).
    pub fn terms(&self) -> Vec<f32> {
        match self.vae.terms() {
            Some(t) => vec![t.elbo(), t.reconstruction, t.kl],
            None => vec![f32::NAN; 3],
        }
    }

    /// The decoder's standard deviation for x and y.
    pub fn decoder_std_dev(&self) -> Vec<f32> {
        self.vae
            .decoder_log_variance()
            .iter()
            .map(|lv| (0.5 * lv).exp())
            .collect()
    }

    /// The mean distance between each shown data point and its reconstruction.
    pub fn reconstruction_error(&self) -> f32 {
        self.encodings.mean_reconstruction_error()
    }

    /// The fixed data points of the views (x, y pairs).
    pub fn data(&self) -> Vec<f32> {
        self.encodings.data.clone()
    }

    /// Each data point's reconstruction: the decoder's mean at the encoder's mean.
    pub fn reconstructions(&self) -> Vec<f32> {
        self.encodings.reconstructions.clone()
    }

    /// Each data point's encoder mean (latent_dim numbers per point).
    pub fn latent_means(&self) -> Vec<f32> {
        self.encodings.means.clone()
    }

    /// Each data point's encoder standard deviation (latent_dim numbers per point).
    pub fn latent_std_devs(&self) -> Vec<f32> {
        self.encodings.std_devs.clone()
    }

    /// Replaces the prior draws behind `prior_samples` by fresh ones (training is unaffected).
    pub fn redraw_prior_samples(&mut self) {
        self.vae.redraw_prior_samples();
    }

    /// The decoder's means for a fixed set of draws from the prior: new data (x, y pairs).
    pub fn prior_samples(&mut self) -> Vec<f32> {
        self.vae.prior_samples().to_vec()
    }

    /// The decoder's mean at the latent point `z` (latent_dim finite numbers), as [x₁, x₂].
    pub fn decode(&mut self, z: Vec<f32>) -> Result<Vec<f32>, JsError> {
        let dim = self.vae.config().latent_dim;
        if z.len() != dim || !z.iter().all(|v| v.is_finite()) {
            return Err(JsError::new(&format!(
                "probe = {z:?} is not allowed: probe must be {dim} finite number(s), a point of the latent space, or null"
            )));
        }
        Ok(self.vae.decode(&z).to_vec())
    }

    /// The decoder over a latent grid (n points for a 1-D latent, n×n row by row for 2-D).
    pub fn manifold(&mut self, n: usize) -> Vec<f32> {
        self.vae.manifold(n.clamp(1, 64)).to_vec()
    }

    pub fn history_iterations(&self) -> Vec<f64> {
        self.vae
            .history()
            .iterations()
            .iter()
            .map(|&i| i as f64)
            .collect()
    }

    pub fn history_elbo(&self) -> Vec<f32> {
        self.vae.history().elbo().to_vec()
    }

    pub fn history_reconstruction(&self) -> Vec<f32> {
        self.vae.history().reconstruction().to_vec()
    }

    pub fn history_kl(&self) -> Vec<f32> {
        self.vae.history().kl().to_vec()
    }

    pub fn snapshot(&mut self) -> Result<JsValue, JsError> {
        let c = self.vae.config().clone();
        let terms = self.vae.terms();
        let finite = |x: f32| x.is_finite().then_some(x);
        let l = c.latent_dim;
        let error = self.encodings.mean_reconstruction_error();
        let prior_samples = pairs(self.vae.prior_samples());
        let history = self.vae.history();
        let snapshot = Snapshot {
            iteration: self.vae.iteration_count(),
            config: ConfigSnapshot {
                target: self.target_name.clone(),
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
            target: self.target_name.clone(),
            seed: c.seed,
            elbo: terms.and_then(|t| finite(t.elbo())),
            reconstruction: terms.and_then(|t| finite(t.reconstruction)),
            kl: terms.and_then(|t| finite(t.kl)),
            decoder_std_dev: self.vae.decoder_log_variance().map(|lv| (0.5 * lv).exp()),
            reconstruction_error: error,
            history_iterations: history.iterations().to_vec(),
            elbo_history: history.elbo().to_vec(),
            reconstruction_history: history.reconstruction().to_vec(),
            kl_history: history.kl().to_vec(),
            real_samples: pairs(&self.encodings.data),
            reconstructions: pairs(&self.encodings.reconstructions),
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
            prior_samples,
            diverged: self.diverged(),
        };
        // Missing values (no step yet, no divergence) read as null in JavaScript.
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
        snapshot.serialize(&serializer).map_err(js_error)
    }
}

impl VaeLab {
    /// Replaces the VAE by a fresh one; on a refusal nothing changes.
    fn rebuild(
        &mut self,
        config: VaeConfig,
        target: Target,
        target_name: Option<&str>,
    ) -> Result<(), JsError> {
        self.vae = Vae::new(config, target).map_err(js_error)?;
        if let Some(name) = target_name {
            self.target_name = name.to_string();
        }
        self.refresh_encodings();
        Ok(())
    }

    fn refresh_encodings(&mut self) {
        self.vae.encodings(&mut self.encodings);
    }
}
