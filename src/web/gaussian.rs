//! The bivariate Gaussian lab's handle, and the views its page draws.

use super::{js_error, lab_handle, whole_number};
use crate::labs::gaussian::GaussianRun;
use wasm_bindgen::prelude::*;

/// The finest density grid and ellipse the page may ask for.
const MAX_GRID: f64 = 1024.0;
const MAX_ELLIPSE_POINTS: f64 = 4096.0;

lab_handle!(
    /// The bivariate Gaussian lab (`#/gaussian`).
    GaussianLab,
    GaussianRun
);

#[wasm_bindgen]
impl GaussianLab {
    /// The samples as x₀, y₀, x₁, y₁, …, as a view of wasm memory: read it at once, before any
    /// other call into wasm (which may move memory).
    pub fn samples(&self) -> js_sys::Float64Array {
        // SAFETY: the view is only valid until wasm memory next grows; JS copies or draws it at once.
        unsafe { js_sys::Float64Array::view(self.lab.model().samples()) }
    }

    /// The density on an `nx` × `ny` grid over [x_low, x_high] × [y_low, y_high], row 0 at the
    /// TOP (highest y), as a canvas draws it.
    pub fn density_grid(
        &self,
        x_low: f64,
        x_high: f64,
        y_low: f64,
        y_high: f64,
        nx: f64,
        ny: f64,
    ) -> Result<Vec<f64>, JsError> {
        let nx = whole_number("nx", nx, 1.0, MAX_GRID)? as usize;
        let ny = whole_number("ny", ny, 1.0, MAX_GRID)? as usize;
        let grid = self
            .lab
            .model()
            .distribution()
            .density_grid((x_low, x_high), (y_low, y_high), nx, ny)
            .map_err(js_error)?;
        // The core's row 0 is the lowest y; a canvas's row 0 is its top.
        Ok(grid.chunks(nx).rev().flatten().copied().collect())
    }

    /// `points` points around the k-σ ellipse as x₀, y₀, x₁, y₁, … (close the path when drawing).
    pub fn ellipse(&self, k: f64, points: f64) -> Result<Vec<f64>, JsError> {
        let points = whole_number("points", points, 3.0, MAX_ELLIPSE_POINTS)? as usize;
        let ellipse = self
            .lab
            .model()
            .distribution()
            .ellipse(k, points)
            .map_err(js_error)?;
        Ok(ellipse.into_iter().flat_map(|(x, y)| [x, y]).collect())
    }
}
