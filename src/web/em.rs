//! The EM lab's handle, and the views and actions its page needs besides the settings: points
//! clicked in or cleared, large data as flat columns, one point's responsibilities, the BIC scan
//! (and its scores from a Web Worker),
//! the drawn points with their colours, and the Scale view's probe.

use super::{js_error, lab_handle, to_js};
use crate::labs::em::{EmModel, Score};
use wasm_bindgen::prelude::*;

lab_handle!(
    /// The EM lab (`#/em`).
    EmLab,
    EmModel
);
super::csv_import!(EmLab);
super::model_files!(EmLab);

#[wasm_bindgen]
impl EmLab {
    /// Adds one clicked point (in 1-D only `x` counts) and restarts EM; always kept, even when
    /// EM cannot start yet (then the snapshot's `problem` says why).
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        self.lab.add_point(x, y).map_err(js_error)
    }

    /// Removes every point (the dimension stays); EM waits for points.
    pub fn clear_points(&mut self) {
        self.lab.clear_points();
    }

    /// Replaces the data by 2-D points given as two columns (for large data sets); refused,
    /// changing nothing, as `set("points", ...)` refuses.
    pub fn set_points_xy(&mut self, xs: &[f64], ys: &[f64]) -> Result<(), JsError> {
        self.lab.set_points_xy(xs, ys).map_err(js_error)
    }

    /// The numbers behind the responsibilities of the point (x, y) under the current mixture.
    pub fn explain(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        to_js(&self.lab.explain(x, y).map_err(js_error)?)
    }

    /// As `explain`, and the snapshot's `inspected` shows this point from now on.
    pub fn inspect(&mut self, x: f64, y: f64) -> Result<JsValue, JsError> {
        to_js(&self.lab.inspect(x, y).map_err(js_error)?)
    }

    /// BIC and AIC of fits with K = 1..=16 (fewer when there are fewer points), each run to
    /// convergence from the current seed, start and covariance type.
    pub fn information_criteria(&mut self) -> Result<JsValue, JsError> {
        to_js(&self.lab.information_criteria().map_err(js_error)?)
    }

    /// Keeps the scores of a BIC scan that a Web Worker ran on a copy of this lab, given as
    /// rows of `k, bic, aic, mean_log_likelihood, n_parameters, converged` (1 or 0), in the
    /// order `information_criteria` gives them.
    pub fn keep_information_criteria(&mut self, rows: &[f64]) -> Result<(), JsError> {
        if !rows.len().is_multiple_of(6) {
            return Err(JsError::new(
                "a BIC scan's scores come as rows of 6 numbers",
            ));
        }
        let scores = rows
            .chunks_exact(6)
            .map(|row| Score {
                k: row[0] as usize,
                bic: row[1],
                aic: row[2],
                mean_log_likelihood: row[3],
                n_parameters: row[4] as usize,
                converged: row[5] != 0.0,
            })
            .collect();
        self.lab.keep_information_criteria(scores).map_err(js_error)
    }

    /// Replaces the data by points of `dimension` (1 or 2) coordinates each, interleaved in
    /// `flat` (a Web Worker gets its copy of the data so).
    pub fn set_points_flat(&mut self, dimension: usize, flat: Vec<f64>) -> Result<(), JsError> {
        self.lab.set_points_flat(dimension, flat).map_err(js_error)
    }

    /// Whether EM is running (false while the data cannot be fitted).
    pub fn running(&self) -> bool {
        self.lab.model().running()
    }

    /// Whether the run has converged; cheaper than a snapshot, for the play loop.
    pub fn converged(&self) -> bool {
        self.lab.model().converged()
    }

    /// Whether the next half-step is an E-step.
    pub fn next_is_e_step(&self) -> bool {
        self.lab.model().next_is_e_step()
    }

    /// The points to draw (all of them up to 20,000, else an evenly spaced sample),
    /// interleaved `x0, y0, ...` in 2-D and `x0, x1, ...` in 1-D.
    pub fn drawn_points(&self) -> Vec<f64> {
        self.lab.model().drawn_points()
    }

    /// The last E-step's responsibilities of the drawn points, point-major (m×K); empty before
    /// the first E-step.
    pub fn drawn_responsibilities(&self) -> Vec<f32> {
        self.lab.model().drawn_responsibilities()
    }

    /// Every point, coordinates interleaved as in `drawn_points`.
    pub fn all_points(&self) -> Vec<f64> {
        self.lab.model().all_points().to_vec()
    }

    /// Every point's x coordinate (for the 1-D histogram).
    pub fn xs(&self) -> Vec<f64> {
        self.lab.model().xs()
    }

    /// A fresh EM lab for the Scale view: `n` points of the blobs preset, this lab's K,
    /// covariance type, start and seed, on the CPU; the page times it on each backend.
    pub fn scale_probe(&self, n: f64) -> Result<EmLab, JsError> {
        let lab = self.lab.scale_probe(n).map_err(js_error)?;
        Ok(EmLab { lab })
    }
}
