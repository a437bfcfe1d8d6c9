//! The Classify lab's handle: its own actions (adding and clearing points, Bayes' rule at a
//! point) and the views its page draws, each checked in [`crate::labs::classify`].

use super::{js_error, lab_handle, to_js};
use crate::labs::classify::ClassifyModel;
use wasm_bindgen::prelude::*;

lab_handle!(
    /// The Classify lab (`#/classify`).
    ClassifyLab,
    ClassifyModel
);
super::csv_import!(ClassifyLab);

/// A grid as the page draws it: f32 is plenty for colours and halves the copy.
fn to_f32(values: Vec<f64>) -> Vec<f32> {
    values.into_iter().map(|v| v as f32).collect()
}

#[wasm_bindgen]
impl ClassifyLab {
    /// Adds one point of class `class` (0 to 3); the number of classes grows to hold it.
    pub fn add_point(&mut self, x: f64, y: f64, class: f64) -> Result<(), JsError> {
        self.lab.add_point(x, y, class).map_err(js_error)
    }

    /// Removes every point (the classes stay).
    pub fn clear_points(&mut self) -> Result<(), JsError> {
        self.lab.clear_points().map_err(js_error)
    }

    /// The points as x, y, class, flat.
    pub fn points(&self) -> Vec<f64> {
        self.lab.points()
    }

    /// Bayes' rule at (x, y), number by number; null when there is no fit.
    pub fn explain(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        let explanation = self.lab.explain(x, y).map_err(js_error)?;
        to_js(&explanation)
    }

    /// P(y | x) at the centres of an nx × ny grid over [x_min, x_max] × [y_min, y_max]: entry
    /// (iy·nx + ix)·C + y, row 0 the lowest y. Empty when there is no fit.
    pub fn posterior_grid(
        &self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
        nx: f64,
        ny: f64,
    ) -> Result<Vec<f32>, JsError> {
        let grid = self
            .lab
            .posterior_grid((x_min, x_max), (y_min, y_max), nx, ny);
        grid.map(to_f32).map_err(js_error)
    }

    /// ln p(x) on the same grid (one number per cell).
    pub fn log_evidence_grid(
        &self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
        nx: f64,
        ny: f64,
    ) -> Result<Vec<f32>, JsError> {
        let grid = self
            .lab
            .log_evidence_grid((x_min, x_max), (y_min, y_max), nx, ny);
        grid.map(to_f32).map_err(js_error)
    }

    /// P(y) p(x | y) for every class at n points x from x_min to x_max along the line y = y0:
    /// entry i·C + class.
    pub fn joint_slice(
        &self,
        y0: f64,
        x_min: f64,
        x_max: f64,
        n: f64,
    ) -> Result<Vec<f64>, JsError> {
        self.lab
            .joint_slice(y0, (x_min, x_max), n)
            .map_err(js_error)
    }
}
