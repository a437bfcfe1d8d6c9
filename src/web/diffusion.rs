//! The diffusion lab's handle: its own actions (a reverse pass, a narrated sub-step) and the
//! views its page draws every frame, as typed arrays.

use super::{js_error, lab_handle, to_js, whole_number};
use crate::labs::diffusion::DiffusionRun;
use crate::targets::PLANE_HALF_WIDTH;
use wasm_bindgen::prelude::*;

/// The most arrows per side of the field grid the page may ask for.
const MAX_FIELD: f64 = 64.0;

lab_handle!(
    /// The diffusion lab (`#/diffusion`).
    DiffusionLab,
    DiffusionRun
);

super::csv_import!(DiffusionLab);
super::model_files!(DiffusionLab);

#[wasm_bindgen]
impl DiffusionLab {
    pub fn diverged(&self) -> Option<String> {
        self.lab.model().model().diverged().map(str::to_string)
    }

    /// The loss of the last iteration (NaN before the first).
    pub fn loss(&self) -> f32 {
        self.lab.model().model().loss().unwrap_or(f32::NAN)
    }

    /// The last measured distance of the samples to the target.
    pub fn distance(&self) -> f32 {
        self.lab.model().model().distance()
    }

    /// Runs the reverse process on the 512 fixed starting noises and returns the final points
    /// (x, y pairs); every step of it is then in `frames`.
    pub fn sample(&mut self) -> Vec<f32> {
        self.lab.model_mut().model_mut().sample().to_vec()
    }

    /// Steps of the last reverse pass (1 when only its samples came from a worker's run: call
    /// `sample` for its paths).
    pub fn frame_count(&self) -> usize {
        self.lab.model().model().pass().steps
    }

    /// The iteration the last reverse pass ran at.
    pub fn samples_iteration(&self) -> f64 {
        self.lab.model().model().pass_iteration() as f64
    }

    /// Every frame of the last reverse pass, frame after frame ((steps + 1) × 512 × 2 numbers).
    pub fn frames(&self) -> Vec<f32> {
        self.lab.model().model().pass().frames.clone()
    }

    /// t/T at each frame of the last reverse pass.
    pub fn frame_times(&self) -> Vec<f32> {
        self.lab.model().model().pass().times.clone()
    }

    /// The distance's reference set: 512 points of the target.
    pub fn real_samples(&self) -> Vec<f32> {
        self.lab.model().model().real_samples().to_vec()
    }

    /// The forward view: the data diffused to the shown step t with fixed noise.
    pub fn forward_samples(&self) -> Vec<f32> {
        let t = self.lab.settings().t;
        self.lab.model().model().forward_samples(t)
    }

    /// [ᾱ_t (NaN for flow matching), mean factor m_t, noise variance s_t²] at the shown t.
    pub fn forward_numbers(&self) -> Vec<f64> {
        let t = self.lab.settings().t;
        let process = self.lab.model().model().process();
        let (m, s) = process.coefficients_at(t);
        let alpha_bar = match process.objective() {
            crate::diffusion::Objective::Ddpm => process.alpha_bar(t),
            crate::diffusion::Objective::FlowMatching => f64::NAN,
        };
        vec![alpha_bar, m, s * s]
    }

    /// ᾱ_t of the schedule for t = 0..=T (the schedule view draws √ᾱ_t and 1 − ᾱ_t).
    pub fn alpha_bars(&self) -> Vec<f64> {
        let process = self.lab.model().model().process();
        (0..=process.timesteps())
            .map(|t| process.alpha_bar(t))
            .collect()
    }

    /// The network's output (noise or velocity) at the shown t over an n × n grid of the plane,
    /// row by row from the top left: 2 numbers per grid point.
    pub fn field(&mut self, n: f64) -> Result<Vec<f32>, JsError> {
        let n = whole_number("n", n, 2.0, MAX_FIELD)? as usize;
        let u = self.lab.settings().t as f32 / self.lab.settings().config.timesteps as f32;
        let at =
            |i: usize| -PLANE_HALF_WIDTH + 2.0 * PLANE_HALF_WIDTH * (i as f32 + 0.5) / n as f32;
        let grid: Vec<f32> = (0..n)
            .flat_map(|row| (0..n).flat_map(move |column| [at(column), -at(row)]))
            .collect();
        Ok(self.lab.model_mut().model_mut().predict(&grid, u))
    }

    /// Runs the next sub-step of the narrated iteration; returns `{sub_step, narration}` of it.
    pub fn advance_sub_step(&mut self) -> Result<JsValue, JsError> {
        let done = self.lab.model_mut().sub_step().map_err(js_error)?;
        let objective = self.lab.settings().config.objective;
        to_js(&[done.name(), done.narration(objective)])
    }

    /// Whether a narrated iteration is half done.
    pub fn mid_iteration(&self) -> bool {
        self.lab.model().model().mid_iteration()
    }

    /// The last training batch's data, noisy points, targets and predictions (x, y pairs each)
    /// and times, for the narrated step's view.
    pub fn batch_data(&self) -> Vec<f32> {
        self.lab.model().model().batch().data.clone()
    }

    pub fn batch_noisy(&self) -> Vec<f32> {
        self.lab.model().model().batch().noisy.clone()
    }

    pub fn batch_targets(&self) -> Vec<f32> {
        self.lab.model().model().batch().targets.clone()
    }

    pub fn batch_noise(&self) -> Vec<f32> {
        self.lab.model().model().batch().noise.clone()
    }

    pub fn batch_prediction(&self) -> Vec<f32> {
        self.lab.model().model().batch().prediction.clone()
    }

    pub fn batch_times(&self) -> Vec<f32> {
        self.lab.model().model().batch().times.clone()
    }

    pub fn history_iterations(&self) -> Vec<f64> {
        let history = self.lab.model().model().loss_history();
        history.iterations().iter().map(|&i| i as f64).collect()
    }

    pub fn history_loss(&self) -> Vec<f32> {
        self.lab.model().model().loss_history().series(0).to_vec()
    }

    pub fn distance_iterations(&self) -> Vec<f64> {
        let history = self.lab.model().model().distance_history();
        history.iterations().iter().map(|&i| i as f64).collect()
    }

    pub fn distance_history(&self) -> Vec<f32> {
        self.lab
            .model()
            .model()
            .distance_history()
            .series(0)
            .to_vec()
    }
}
