//! The GAN lab's handle: its own actions (one network step, one narrated sub-step) and the views
//! its page draws every frame.

use super::{js_error, lab_handle, to_js, whole_number};
use crate::labs::gan::{GanRun, PositionSnapshot};
use wasm_bindgen::prelude::*;

/// The finest discriminator heat map and generator manifold the page may ask for.
const MAX_GRID: f64 = 256.0;
const MAX_MANIFOLD: f64 = 512.0;

lab_handle!(
    /// The GAN lab (`#/gan`).
    GanLab,
    GanRun
);
super::csv_import!(GanLab);
super::model_files!(GanLab);

#[wasm_bindgen]
impl GanLab {
    /// One discriminator step on its own (the generator is untouched).
    pub fn train_discriminator(&mut self) {
        self.lab.model_mut().train_discriminator();
    }

    /// One generator step on its own (the discriminator is untouched).
    pub fn train_generator(&mut self) {
        self.lab.model_mut().train_generator();
    }

    /// Runs the next sub-step of the narrated iteration; returns `{phase, step, sub_step,
    /// narration}` of the sub-step just run (a divergence is kept in the snapshot).
    pub fn advance_sub_step(&mut self) -> Result<JsValue, JsError> {
        let done = self.lab.model_mut().sub_step().map_err(js_error)?;
        to_js(&PositionSnapshot::from(done))
    }

    /// The sub-step `advance_sub_step` runs next, as `{phase, step, sub_step, narration}`.
    pub fn next_sub_step(&self) -> Result<JsValue, JsError> {
        to_js(&PositionSnapshot::from(self.lab.model().gan().position()))
    }

    /// Whether a narrated iteration is half done.
    pub fn mid_iteration(&self) -> bool {
        self.lab.model().mid_iteration()
    }

    pub fn diverged(&self) -> Option<String> {
        self.lab.model().gan().diverged().map(str::to_string)
    }

    /// The last D and G losses (NaN before the first step of each).
    pub fn losses(&self) -> Vec<f32> {
        let (d, g) = self.lab.model().gan().losses();
        vec![d, g]
    }

    /// The norms of the last D and G parameter gradients.
    pub fn gradient_norms(&self) -> Vec<f32> {
        let (d, g) = self.lab.model().gan().gradient_norms();
        vec![d, g]
    }

    /// Discriminator and generator steps taken since the last rebuild.
    pub fn updates(&self) -> Vec<f64> {
        self.lab.model().updates().map(|n| n as f64).to_vec()
    }

    pub fn distance(&self) -> f32 {
        self.lab.model().gan().distance()
    }

    pub fn real_samples(&self) -> Vec<f32> {
        self.lab.model().gan().real_samples().to_vec()
    }

    pub fn fake_samples(&self) -> Vec<f32> {
        self.lab.model().gan().fake_samples().to_vec()
    }

    /// The last noise batch (batch × noise_dim).
    pub fn noise(&self) -> Vec<f32> {
        self.lab.model().gan().noise().to_vec()
    }

    pub fn real_beliefs(&self) -> Vec<f32> {
        self.lab.model().gan().real_beliefs().to_vec()
    }

    pub fn fake_beliefs(&self) -> Vec<f32> {
        self.lab.model().gan().fake_beliefs().to_vec()
    }

    /// d(generator loss)/d(x, y) at each fake point of the last generator step.
    pub fn fake_gradients(&self) -> Vec<f32> {
        self.lab.model().gan().fake_gradients().to_vec()
    }

    pub fn fake_gradient_samples(&self) -> Vec<f32> {
        self.lab.model().gan().fake_gradient_samples().to_vec()
    }

    /// D's beliefs over an n×n grid of the plane, row 0 at the top.
    pub fn discriminator_grid(&mut self, n: f64) -> Result<Vec<f32>, JsError> {
        let n = whole_number("n", n, 1.0, MAX_GRID)? as usize;
        Ok(self
            .lab
            .model_mut()
            .gan_mut()
            .discriminator_grid(n)
            .to_vec())
    }

    /// The generator applied to a regular noise grid (n points for 1-D noise, n×n for 2-D).
    pub fn generator_manifold(&mut self, n: f64) -> Result<Vec<f32>, JsError> {
        let n = whole_number("n", n, 2.0, MAX_MANIFOLD)? as usize;
        Ok(self
            .lab
            .model_mut()
            .gan_mut()
            .generator_manifold(n)
            .to_vec())
    }

    /// The drawn target's points (empty for built-in targets), flat x, y pairs.
    pub fn drawn_points(&self) -> Vec<f32> {
        self.lab.model().drawn_points()
    }

    /// Iterations, D loss, G loss and distance of the (thinned) history, as four arrays.
    pub fn history_iterations(&self) -> Vec<f64> {
        let history = self.lab.model().gan().history();
        history.iterations().iter().map(|&i| i as f64).collect()
    }

    pub fn history_d_loss(&self) -> Vec<f32> {
        self.lab
            .model()
            .gan()
            .history()
            .discriminator_loss()
            .to_vec()
    }

    pub fn history_g_loss(&self) -> Vec<f32> {
        self.lab.model().gan().history().generator_loss().to_vec()
    }

    pub fn history_distance(&self) -> Vec<f32> {
        self.lab.model().gan().history().distance().to_vec()
    }
}
