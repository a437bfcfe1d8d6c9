//! The bivariate Gaussian lab: the distribution, the line x = x₀ it is conditioned on, and
//! seeded samples drawn from it.
//!
//! Changing a parameter redraws the same number of samples from the same seed, so the cloud
//! moves and stretches with the sliders instead of being replaced by new random points.

use super::lab::{playing_setting, seed_setting, speed_setting, Entry, Model};
use super::schema::{ChoiceItem, Progress, Setting, Stepping};
use crate::field;
use crate::prob::gaussian::{probability_inside_ellipse, BivariateGaussian, CORRELATION};
use crate::range::{number_text, Range};
use crate::rng;
use serde::Serialize;

/// The most samples one run holds: enough to see the shape, few enough to draw every frame.
pub const MAX_SAMPLES: u64 = 20_000;
/// Means stay within the plotted square [−5, 5]² and spreads at most 4, so the centre of
/// whatever the API sets can be seen; x₀ may go to either edge.
pub const MEAN: Range = Range::closed(-4.0, 4.0);
pub const SPREAD: Range = Range::above(0.0, 4.0);
pub const SLICE: Range = Range::closed(-5.0, 5.0);
/// Samples per second while playing.
const SPEEDS: [f64; 10] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0];

#[derive(Clone, Debug, PartialEq)]
pub struct GaussianSettings {
    pub mu_x: f64,
    pub mu_y: f64,
    pub sigma_x: f64,
    pub sigma_y: f64,
    pub rho: f64,
    pub x0: f64,
    pub seed: u64,
    pub speed: f64,
    pub playing: bool,
}

impl Default for GaussianSettings {
    fn default() -> Self {
        Self {
            mu_x: 0.0,
            mu_y: 0.0,
            sigma_x: 1.5,
            sigma_y: 1.0,
            rho: 0.7,
            x0: 1.5,
            seed: 11,
            speed: 50.0,
            playing: false,
        }
    }
}

impl GaussianSettings {
    fn distribution(&self) -> Result<BivariateGaussian, String> {
        BivariateGaussian::new(self.mu_x, self.mu_y, self.sigma_x, self.sigma_y, self.rho)
            .map_err(|e| e.to_string())
    }
}

/// The distribution and the samples drawn from it.
pub struct GaussianRun {
    distribution: BivariateGaussian,
    seed: u64,
    /// x₀, y₀, x₁, y₁, …
    samples: Vec<f64>,
}

impl GaussianRun {
    fn n_samples(&self) -> u64 {
        (self.samples.len() / 2) as u64
    }

    /// Draws the first `n` samples of this seed under the current distribution.
    fn draw(&mut self, n: u64) {
        let mut generator = rng::seeded(self.seed);
        let pairs = self.distribution.sample_many(&mut generator, n as usize);
        self.samples = pairs.into_iter().flat_map(|(x, y)| [x, y]).collect();
    }

    /// The samples as x₀, y₀, x₁, y₁, …
    pub fn samples(&self) -> &[f64] {
        &self.samples
    }

    pub fn distribution(&self) -> &BivariateGaussian {
        &self.distribution
    }
}

#[derive(Serialize)]
pub struct GaussianSnapshot {
    pub mu_x: f64,
    pub mu_y: f64,
    pub sigma_x: f64,
    pub sigma_y: f64,
    pub rho: f64,
    pub mean: [f64; 2],
    pub cov: [[f64; 2]; 2],
    pub x0: f64,
    pub conditional_mean: f64,
    pub conditional_sd: f64,
    pub regression: Regression,
    pub inside_1_sigma: f64,
    pub inside_2_sigma: f64,
    pub seed: u64,
    pub n_samples: u64,
    pub max_samples: u64,
}

#[derive(Serialize)]
pub struct Regression {
    pub slope: f64,
    pub intercept: f64,
}

impl Model for GaussianRun {
    type Settings = GaussianSettings;
    type Snapshot = GaussianSnapshot;
    const NAME: &'static str = "gaussian";

    fn entries() -> Vec<Entry<GaussianSettings>> {
        let parameter = |name, range, label, help| {
            Setting::number(name, range)
                .label(label)
                .help(help)
                .group("Distribution")
        };
        vec![
            parameter("mu_x", MEAN, "Mean μx", "The centre of x.")
                .step(0.1)
                .bind(field!(mu_x)),
            parameter("mu_y", MEAN, "Mean μy", "The centre of y.")
                .step(0.1)
                .bind(field!(mu_y)),
            parameter(
                "sigma_x",
                SPREAD,
                "Spread σx",
                "The standard deviation of x.",
            )
            .step(0.05)
            .bind(field!(sigma_x)),
            parameter(
                "sigma_y",
                SPREAD,
                "Spread σy",
                "The standard deviation of y.",
            )
            .step(0.05)
            .bind(field!(sigma_y)),
            parameter(
                "rho",
                CORRELATION,
                "Correlation ρ",
                "Tilts the cloud; ← → change it by 0.01, PgUp/PgDn by 0.1.",
            )
            .bind(field!(rho)),
            Setting::number("x0", SLICE)
                .label("Slice at x₀")
                .help(
                    "Where the line x = x₀ slices the density (or drag the red line on the plot).",
                )
                .group("Distribution")
                .step(0.05)
                .bind(field!(x0)),
            seed_setting("Starts a new run: clears the samples.").bind(field!(seed)),
            speed_setting(
                SPEEDS
                    .iter()
                    .map(|&v| {
                        let plural = if v == 1.0 { "" } else { "s" };
                        ChoiceItem::new(v, format!("{} sample{plural}/s", number_text(v)))
                    })
                    .collect(),
                "samples per second while playing",
            )
            .bind(field!(speed)),
            playing_setting().bind(field!(playing)),
        ]
    }

    fn progress() -> Progress {
        Progress {
            name: "samples",
            max: MAX_SAMPLES,
            over_frames: false,
            unit: "samples drawn",
        }
    }

    fn stepping() -> Stepping {
        Stepping {
            default: 20,
            max: MAX_SAMPLES,
            unit: "samples",
        }
    }

    fn build(s: &GaussianSettings) -> Result<Self, String> {
        Ok(Self {
            distribution: s.distribution()?,
            seed: s.seed,
            samples: Vec::new(),
        })
    }

    fn apply_live(&mut self, s: &GaussianSettings, name: &str) -> Result<(), String> {
        if matches!(name, "mu_x" | "mu_y" | "sigma_x" | "sigma_y" | "rho") {
            self.distribution = s.distribution()?;
            self.draw(self.n_samples());
        }
        Ok(())
    }

    /// Draws `n` more samples (fewer at the cap); returns how many were drawn.
    fn step(&mut self, _: &GaussianSettings, n: u64) -> Result<f64, String> {
        let n = n.min(MAX_SAMPLES - self.n_samples());
        self.draw(self.n_samples() + n);
        Ok(n as f64)
    }

    fn progress_count(&self) -> u64 {
        self.n_samples()
    }

    fn advance(&mut self, s: &GaussianSettings, count: u64) -> Result<(), String> {
        self.step(s, count).map(|_| ())
    }

    fn snapshot(&self, s: &GaussianSettings) -> GaussianSnapshot {
        let d = &self.distribution;
        let conditional = d.conditional_y_given_x(s.x0);
        let line = d.regression_y_on_x();
        GaussianSnapshot {
            mu_x: d.mean_x(),
            mu_y: d.mean_y(),
            sigma_x: d.sd_x(),
            sigma_y: d.sd_y(),
            rho: d.rho(),
            mean: [d.mean_x(), d.mean_y()],
            cov: d.covariance(),
            x0: s.x0,
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
        }
    }
}
