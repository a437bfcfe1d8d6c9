//! The VAE lab's handle: its own action (fresh draws from the prior) and the views its page
//! draws every frame; and [`provide_digits`], which hands the digits' file to the module.

use super::{lab_handle, whole_number};
use crate::labs::vae::VaeRun;
use wasm_bindgen::prelude::*;

/// The most lines per side of the decoded latent grid the page may ask for.
const MAX_MANIFOLD: f64 = 256.0;

/// Takes the digits' file (www/data/digits.bin), fetched by the page, before a VAE lab is made.
#[wasm_bindgen]
pub fn provide_digits(bytes: &[u8]) -> Result<(), JsError> {
    crate::labs::vae::provide_digits(bytes).map_err(|e| JsError::new(&e))
}

lab_handle!(
    /// The VAE lab (`#/vae`).
    VaeLab,
    VaeRun
);
super::csv_import!(VaeLab);
super::model_files!(VaeLab);

#[wasm_bindgen]
impl VaeLab {
    pub fn diverged(&self) -> Option<String> {
        self.lab.model().vae().diverged().map(str::to_string)
    }

    /// ELBO, reconstruction term and KL of the last batch (NaN before the first step).
    pub fn terms(&self) -> Vec<f32> {
        match self.lab.model().vae().terms() {
            Some(t) => vec![t.elbo(), t.reconstruction, t.kl],
            None => vec![f32::NAN; 3],
        }
    }

    /// The decoder's standard deviation for x and y.
    pub fn decoder_std_dev(&self) -> Vec<f32> {
        let log_variance = self.lab.model().vae().decoder_log_variance();
        log_variance.iter().map(|lv| (0.5 * lv).exp()).collect()
    }

    /// Points: the mean distance between each shown point and its reconstruction. Images: the
    /// mean binary cross-entropy per pixel of the reconstructed images.
    pub fn reconstruction_error(&self) -> f32 {
        self.lab.model().encodings().reconstruction_error
    }

    /// [width, height] of the images, or nothing for points.
    pub fn image_size(&self) -> Option<Vec<u32>> {
        let source = self.lab.model().vae().source();
        source.images().map(|i| i.size().map(|n| n as u32).to_vec())
    }

    /// The class of each image of the latent map (empty for points).
    pub fn labels(&self) -> Vec<u8> {
        self.lab.model().encodings().labels.clone()
    }

    /// Images: the originals that `reconstructions` rebuild, image after image.
    pub fn originals(&self) -> Vec<f32> {
        let e = self.lab.model().encodings();
        e.data[..e.reconstructions.len().min(e.data.len())].to_vec()
    }

    /// Images: the decoded grid, image after image, row by row from the top.
    pub fn decoded_grid(&self) -> Vec<f32> {
        self.lab.model().decoded_grid().to_vec()
    }

    /// Images: the decoded straight latent path between the two picked images.
    pub fn interpolation(&self) -> Vec<f32> {
        self.lab.model().interpolation().to_vec()
    }

    /// The latent coordinates the views show, 0-based.
    pub fn view_dims(&self) -> Vec<u32> {
        self.lab.settings().view_dims().map(|d| d as u32).to_vec()
    }

    /// Your points while the target is drawn (empty otherwise), flat x, y pairs: the training
    /// worker's copy takes them beside the link, which holds few.
    pub fn drawn_points(&self) -> Vec<f32> {
        let s = self.lab.settings();
        match (&s.drawing, s.shape) {
            (Some(points), crate::targets::Shape::Drawn) => {
                points.iter().map(|&v| v as f32).collect()
            }
            _ => Vec::new(),
        }
    }

    /// The fixed data points of the views (x, y pairs).
    pub fn data(&self) -> Vec<f32> {
        self.lab.model().encodings().data.clone()
    }

    /// Each data point's reconstruction: the decoder's mean at the encoder's mean.
    pub fn reconstructions(&self) -> Vec<f32> {
        self.lab.model().encodings().reconstructions.clone()
    }

    /// Each data point's encoder mean (latent_dim numbers per point).
    pub fn latent_means(&self) -> Vec<f32> {
        self.lab.model().encodings().means.clone()
    }

    /// Each data point's encoder standard deviation (latent_dim numbers per point).
    pub fn latent_std_devs(&self) -> Vec<f32> {
        self.lab.model().encodings().std_devs.clone()
    }

    /// Brings the views of images up to the last state a training worker returned (they are
    /// encoded again on demand, not on every import); returns whether they changed.
    pub fn refresh_views(&mut self) -> bool {
        let settings = self.lab.settings().clone();
        self.lab.model_mut().refresh_views(&settings)
    }

    /// Trains one iteration (the same as `step(1)`), followed through its first example; returns
    /// what `narration` returns.
    pub fn narrated_step(&mut self) -> Result<JsValue, JsError> {
        let settings = self.lab.settings().clone();
        self.lab.model_mut().narrated_step(&settings);
        self.narration()
    }

    /// The last narrated iteration (μ, σ, ε, z, the decoding, the two loss terms, the
    /// gradients), or null before one.
    pub fn narration(&self) -> Result<JsValue, JsError> {
        super::to_js(&self.lab.model().narration())
    }

    /// Replaces the prior draws behind `prior_samples` by fresh ones (training is unaffected).
    pub fn redraw_prior_samples(&mut self) {
        let settings = self.lab.settings().clone();
        self.lab.model_mut().redraw_prior_samples(&settings);
    }

    /// The decoder's means for a fixed set of draws from the prior: new data (x, y pairs).
    pub fn prior_samples(&self) -> Vec<f32> {
        self.lab.model().prior_samples().to_vec()
    }

    /// Where the decoder sends the probed latent point ([x₁, x₂], or an image's pixels), or
    /// nothing when none is picked.
    pub fn probe_decoded(&self) -> Option<Vec<f32>> {
        self.lab.model().probe_decoded().map(<[f32]>::to_vec)
    }

    /// The decoder over a latent grid in the shown coordinates (n points for a 1-D latent, n×n
    /// from the top row down otherwise).
    pub fn manifold(&mut self, n: f64) -> Result<Vec<f32>, JsError> {
        let n = whole_number("n", n, 2.0, MAX_MANIFOLD)? as usize;
        let dims = self.lab.settings().view_dims();
        Ok(self.lab.model_mut().vae_mut().manifold(n, dims).to_vec())
    }

    pub fn history_iterations(&self) -> Vec<f64> {
        let history = self.lab.model().vae().history();
        history.iterations().iter().map(|&i| i as f64).collect()
    }

    pub fn history_elbo(&self) -> Vec<f32> {
        self.lab.model().vae().history().elbo().to_vec()
    }

    pub fn history_reconstruction(&self) -> Vec<f32> {
        self.lab.model().vae().history().reconstruction().to_vec()
    }

    pub fn history_kl(&self) -> Vec<f32> {
        self.lab.model().vae().history().kl().to_vec()
    }
}
