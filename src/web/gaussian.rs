//! The bivariate Gaussian lab's handle: the distribution, the line x = x₀ it is conditioned on,
//! and seeded samples drawn from it.
//!
//! Changing a parameter redraws the same number of samples from the same seed, so the cloud
//! moves and stretches with the sliders instead of being replaced by new random points.

use super::{js_error, seed, whole_number};
use crate::prob::gaussian::{probability_inside_ellipse, BivariateGaussian};
use crate::prob::ParamError;
use crate::rng;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The most samples one run holds: enough to see the shape, few enough to draw every frame.
const MAX_SAMPLES: u64 = 20_000;

/// Means stay within the plotted square [−5, 5]² and standard deviations at most 4, so the
/// centre of whatever the API sets can be seen; x₀ may go to either edge.
const MAX_MEAN: f64 = 4.0;
const MAX_SIGMA: f64 = 4.0;
const MAX_X0: f64 = 5.0;

#[wasm_bindgen]
pub struct GaussianLab {
    distribution: BivariateGaussian,
    x0: f64,
    seed: u64,
    samples: Vec<f64>,
}

#[derive(Serialize)]
struct Snapshot {
    mu_x: f64,
    mu_y: f64,
    sigma_x: f64,
    sigma_y: f64,
    rho: f64,
    mean: [f64; 2],
    cov: [[f64; 2]; 2],
    x0: f64,
    conditional_mean: f64,
    conditional_sd: f64,
    regression: Regression,
    inside_1_sigma: f64,
    inside_2_sigma: f64,
    seed: u64,
    n_samples: u64,
    max_samples: u64,
}

#[derive(Serialize)]
struct Regression {
    slope: f64,
    intercept: f64,
}

fn check_range(name: &'static str, value: f64, low: f64, high: f64) -> Result<f64, JsError> {
    if (low..=high).contains(&value) {
        Ok(value)
    } else {
        let allowed = match name {
            "x0" => "a number from -5 to 5 (the plotted range)",
            "sigma_x" | "sigma_y" => "a positive number of at most 4 (so the plot shows it)",
            _ => "a number from -4 to 4 (so the plot shows it)",
        };
        Err(js_error(ParamError::new(name, value, allowed)))
    }
}

#[wasm_bindgen]
impl GaussianLab {
    #[wasm_bindgen(constructor)]
    pub fn new(
        mu_x: f64,
        mu_y: f64,
        sigma_x: f64,
        sigma_y: f64,
        rho: f64,
        x0: f64,
        seed_value: f64,
    ) -> Result<GaussianLab, JsError> {
        let mut lab = Self {
            distribution: BivariateGaussian::new(0.0, 0.0, 1.0, 1.0, 0.0).map_err(js_error)?,
            x0: 0.0,
            seed: seed(seed_value)?,
            samples: Vec::new(),
        };
        lab.set_parameters(mu_x, mu_y, sigma_x, sigma_y, rho)?;
        lab.set_x0(x0)?;
        Ok(lab)
    }

    /// Sets all five parameters at once: the means' plotted range, then the core's checks
    /// (σ > 0, −1 < ρ < 1), then the spreads' plotted range. A refused value changes nothing.
    pub fn set_parameters(
        &mut self,
        mu_x: f64,
        mu_y: f64,
        sigma_x: f64,
        sigma_y: f64,
        rho: f64,
    ) -> Result<(), JsError> {
        // The means are checked here first so that a refusal uses the lab's names (mu_x, mu_y);
        // the core calls them mean_x and mean_y.
        check_range("mu_x", mu_x, -MAX_MEAN, MAX_MEAN)?;
        check_range("mu_y", mu_y, -MAX_MEAN, MAX_MEAN)?;
        let distribution =
            BivariateGaussian::new(mu_x, mu_y, sigma_x, sigma_y, rho).map_err(js_error)?;
        check_range("sigma_x", sigma_x, 0.0, MAX_SIGMA)?;
        check_range("sigma_y", sigma_y, 0.0, MAX_SIGMA)?;
        self.distribution = distribution;
        self.replay();
        Ok(())
    }

    pub fn set_x0(&mut self, x0: f64) -> Result<(), JsError> {
        if !x0.is_finite() {
            return Err(js_error(ParamError::new("x0", x0, "a finite number")));
        }
        self.x0 = check_range("x0", x0, -MAX_X0, MAX_X0)?;
        Ok(())
    }

    /// Draws `n` more samples (fewer at the cap); returns how many were drawn.
    pub fn step(&mut self, n: f64) -> Result<f64, JsError> {
        let n = whole_number("n", n, 0.0, MAX_SAMPLES as f64)?;
        let n = n.min(MAX_SAMPLES - self.n_samples());
        self.draw(self.n_samples() + n);
        Ok(n as f64)
    }

    pub fn reset(&mut self, seed_value: f64) -> Result<(), JsError> {
        self.seed = seed(seed_value)?;
        self.samples.clear();
        Ok(())
    }

    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let d = &self.distribution;
        let conditional = d.conditional_y_given_x(self.x0);
        let line = d.regression_y_on_x();
        let snapshot = Snapshot {
            mu_x: d.mean_x(),
            mu_y: d.mean_y(),
            sigma_x: d.sd_x(),
            sigma_y: d.sd_y(),
            rho: d.rho(),
            mean: [d.mean_x(), d.mean_y()],
            cov: d.covariance(),
            x0: self.x0,
            conditional_mean: conditional.mean(),
            conditional_sd: conditional.sd(),
            regression: Regression {
                slope: line.slope,
                intercept: line.intercept,
            },
            inside_1_sigma: probability_inside_ellipse(1.0),
            inside_2_sigma: probability_inside_ellipse(2.0),
            seed: self.seed,
            n_samples: self.n_samples(),
            max_samples: MAX_SAMPLES,
        };
        serde_wasm_bindgen::to_value(&snapshot).map_err(js_error)
    }

    /// The samples as x₀, y₀, x₁, y₁, …, as a view of wasm memory: read it at once, before any
    /// other call into wasm (which may move memory).
    pub fn samples(&self) -> js_sys::Float64Array {
        // SAFETY: the view is only valid until wasm memory next grows; JS copies or draws it at once.
        unsafe { js_sys::Float64Array::view(&self.samples) }
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
        let nx = whole_number("nx", nx, 1.0, 1024.0)? as usize;
        let ny = whole_number("ny", ny, 1.0, 1024.0)? as usize;
        let grid = self
            .distribution
            .density_grid((x_low, x_high), (y_low, y_high), nx, ny)
            .map_err(js_error)?;
        // The core's row 0 is the lowest y; a canvas's row 0 is its top.
        Ok(grid.chunks(nx).rev().flatten().copied().collect())
    }

    /// `points` points around the k-σ ellipse as x₀, y₀, x₁, y₁, … (close the path when drawing).
    pub fn ellipse(&self, k: f64, points: f64) -> Result<Vec<f64>, JsError> {
        let points = whole_number("points", points, 3.0, 4096.0)? as usize;
        let ellipse = self.distribution.ellipse(k, points).map_err(js_error)?;
        Ok(ellipse.into_iter().flat_map(|(x, y)| [x, y]).collect())
    }
}

impl GaussianLab {
    fn n_samples(&self) -> u64 {
        (self.samples.len() / 2) as u64
    }

    /// Draws the first `n` samples of this seed under the current distribution.
    fn draw(&mut self, n: u64) {
        let mut generator = rng::seeded(self.seed);
        let pairs = self.distribution.sample_many(&mut generator, n as usize);
        self.samples = pairs.into_iter().flat_map(|(x, y)| [x, y]).collect();
    }

    fn replay(&mut self) {
        self.draw(self.n_samples());
    }
}
