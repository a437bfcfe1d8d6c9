//! Gaussian (normal) distributions in one and two dimensions: the continuous side of the
//! "joint, marginal and conditional distributions" lesson.
//!
//! This module owns the univariate [`Gaussian`] (density, cdf, sampling) and the
//! [`BivariateGaussian`] with its covariance matrix, density, Cholesky sampling, marginals,
//! conditionals, regression line, k-σ contour ellipses and density grids for heatmaps.
//! Matrices are small fixed `[[f64; 2]; 2]` arrays indexed [row][column], with x first.

use crate::range::Range;
use std::f64::consts::{SQRT_2, TAU};

use super::ParamError;
use crate::rng::{self, Rng};

const FINITE: &str = "a finite number";
const POSITIVE: &str = "a positive finite number";

/// The correlations a bivariate Gaussian may have (|ρ| = 1 is a line, not a density).
pub const CORRELATION: Range = Range::open(-1.0, 1.0);

fn check_finite(name: &'static str, value: f64) -> Result<f64, ParamError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(ParamError::new(name, value, FINITE))
    }
}

fn check_positive(name: &'static str, value: f64) -> Result<f64, ParamError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(ParamError::new(name, value, POSITIVE))
    }
}

/// The complementary error function erfc(z) = 1 − erf(z), by the Chebyshev fit in Numerical
/// Recipes (`erfcc`), whose relative error is below 1.2e-7 everywhere: ample for drawing and
/// reading off probabilities, and free of a special-functions dependency.
fn erfc(z: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * z.abs());
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let tail = t * poly.exp();
    if z >= 0.0 {
        tail
    } else {
        2.0 - tail
    }
}

/// A normal distribution N(mean, sd²) on the real line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Gaussian {
    mean: f64,
    sd: f64,
}

impl Gaussian {
    /// Accepts any finite `mean` and a positive finite standard deviation `sd` (called `sigma`
    /// in messages, as on the sliders).
    pub fn new(mean: f64, sd: f64) -> Result<Self, ParamError> {
        Ok(Self {
            mean: check_finite("mean", mean)?,
            sd: check_positive("sigma", sd)?,
        })
    }

    pub fn mean(&self) -> f64 {
        self.mean
    }

    pub fn sd(&self) -> f64 {
        self.sd
    }

    pub fn variance(&self) -> f64 {
        self.sd * self.sd
    }

    /// log p(x) = −½ ((x − μ)/σ)² − ln σ − ½ ln 2π; far in the tails this stays finite where
    /// the density itself underflows to 0.
    pub fn log_density(&self, x: f64) -> f64 {
        let z = (x - self.mean) / self.sd;
        -0.5 * z * z - self.sd.ln() - 0.5 * TAU.ln()
    }

    /// p(x) = exp(−½ ((x − μ)/σ)²) / (σ √(2π)).
    pub fn density(&self, x: f64) -> f64 {
        self.log_density(x).exp()
    }

    /// P(X ≤ x) = ½ erfc(−(x − μ) / (σ √2)), accurate to a relative 1.2e-7.
    pub fn cdf(&self, x: f64) -> f64 {
        0.5 * erfc(-(x - self.mean) / (self.sd * SQRT_2))
    }

    /// One draw: μ + σ z with z standard normal.
    pub fn sample(&self, rng: &mut Rng) -> f64 {
        self.mean + self.sd * rng::standard_normal(rng)
    }
}

/// The straight line y = intercept + slope · x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line {
    pub slope: f64,
    pub intercept: f64,
}

impl Line {
    /// The line's height at `x`.
    pub fn at(&self, x: f64) -> f64 {
        self.intercept + self.slope * x
    }
}

/// A normal distribution of the pair (X, Y): means μx, μy, standard deviations σx, σy and
/// correlation ρ, so that Cov(X, Y) = ρ σx σy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BivariateGaussian {
    mean_x: f64,
    mean_y: f64,
    sd_x: f64,
    sd_y: f64,
    rho: f64,
}

impl BivariateGaussian {
    /// Accepts finite means, positive finite standard deviations (`sigma_x`, `sigma_y` in
    /// messages) and −1 < ρ < 1; at |ρ| = 1 the covariance is singular and there is no density.
    pub fn new(
        mean_x: f64,
        mean_y: f64,
        sd_x: f64,
        sd_y: f64,
        rho: f64,
    ) -> Result<Self, ParamError> {
        let mean_x = check_finite("mean_x", mean_x)?;
        let mean_y = check_finite("mean_y", mean_y)?;
        let sd_x = check_positive("sigma_x", sd_x)?;
        let sd_y = check_positive("sigma_y", sd_y)?;
        CORRELATION.check("rho", rho)?;
        Ok(Self {
            mean_x,
            mean_y,
            sd_x,
            sd_y,
            rho,
        })
    }

    pub fn mean_x(&self) -> f64 {
        self.mean_x
    }

    pub fn mean_y(&self) -> f64 {
        self.mean_y
    }

    pub fn sd_x(&self) -> f64 {
        self.sd_x
    }

    pub fn sd_y(&self) -> f64 {
        self.sd_y
    }

    pub fn rho(&self) -> f64 {
        self.rho
    }

    /// Σ = [[σx², ρ σx σy], [ρ σx σy, σy²]].
    pub fn covariance(&self) -> [[f64; 2]; 2] {
        let cross = self.rho * self.sd_x * self.sd_y;
        [
            [self.sd_x * self.sd_x, cross],
            [cross, self.sd_y * self.sd_y],
        ]
    }

    /// The lower-triangular Cholesky factor L of Σ (Σ = L Lᵀ):
    /// L = [[σx, 0], [ρ σy, σy √(1 − ρ²)]].
    ///
    /// Multiplying independent standard normals (z₁, z₂) by L gives exactly covariance Σ, which
    /// is how [`sample`](Self::sample) works; L also maps the unit circle onto the 1σ ellipse.
    pub fn cholesky(&self) -> [[f64; 2]; 2] {
        [
            [self.sd_x, 0.0],
            [
                self.rho * self.sd_y,
                self.sd_y * (1.0 - self.rho * self.rho).sqrt(),
            ],
        ]
    }

    /// The squared Mahalanobis distance (v − μ)ᵀ Σ⁻¹ (v − μ) of v = (x, y) from the mean:
    /// (zx² − 2ρ zx zy + zy²) / (1 − ρ²) with zx, zy the standardised coordinates.
    pub fn mahalanobis_squared(&self, x: f64, y: f64) -> f64 {
        let zx = (x - self.mean_x) / self.sd_x;
        let zy = (y - self.mean_y) / self.sd_y;
        (zx * zx - 2.0 * self.rho * zx * zy + zy * zy) / (1.0 - self.rho * self.rho)
    }

    /// log p(x, y) = −½ d² − ln(2π σx σy √(1 − ρ²)), with d² the squared Mahalanobis distance.
    pub fn log_density(&self, x: f64, y: f64) -> f64 {
        let normaliser = TAU * self.sd_x * self.sd_y * (1.0 - self.rho * self.rho).sqrt();
        -0.5 * self.mahalanobis_squared(x, y) - normaliser.ln()
    }

    /// p(x, y) = exp(−½ d²) / (2π σx σy √(1 − ρ²)).
    pub fn density(&self, x: f64, y: f64) -> f64 {
        self.log_density(x, y).exp()
    }

    /// One draw (x, y) = μ + L (z₁, z₂) with L from [`cholesky`](Self::cholesky).
    pub fn sample(&self, rng: &mut Rng) -> (f64, f64) {
        let z1 = rng::standard_normal(rng);
        let z2 = rng::standard_normal(rng);
        let l = self.cholesky();
        (
            self.mean_x + l[0][0] * z1,
            self.mean_y + l[1][0] * z1 + l[1][1] * z2,
        )
    }

    /// Draws `n` pairs in order from the same generator.
    pub fn sample_many(&self, rng: &mut Rng, n: usize) -> Vec<(f64, f64)> {
        (0..n).map(|_| self.sample(rng)).collect()
    }

    /// X alone: N(μx, σx²), whatever ρ is.
    pub fn marginal_x(&self) -> Gaussian {
        Gaussian {
            mean: self.mean_x,
            sd: self.sd_x,
        }
    }

    /// Y alone: N(μy, σy²), whatever ρ is.
    pub fn marginal_y(&self) -> Gaussian {
        Gaussian {
            mean: self.mean_y,
            sd: self.sd_y,
        }
    }

    /// Y given X = x0: N(μy + ρ (σy/σx)(x0 − μx), σy² (1 − ρ²)).
    ///
    /// The mean moves along the regression line; the spread shrinks by √(1 − ρ²) and does not
    /// depend on x0.
    pub fn conditional_y_given_x(&self, x0: f64) -> Gaussian {
        Gaussian {
            mean: self.regression_y_on_x().at(x0),
            sd: self.sd_y * (1.0 - self.rho * self.rho).sqrt(),
        }
    }

    /// X given Y = y0: N(μx + ρ (σx/σy)(y0 − μy), σx² (1 − ρ²)).
    pub fn conditional_x_given_y(&self, y0: f64) -> Gaussian {
        Gaussian {
            mean: self.regression_x_on_y().at(y0),
            sd: self.sd_x * (1.0 - self.rho * self.rho).sqrt(),
        }
    }

    /// The line x ↦ E[Y | X = x]: slope ρ σy/σx, passing through (μx, μy).
    pub fn regression_y_on_x(&self) -> Line {
        let slope = self.rho * self.sd_y / self.sd_x;
        Line {
            slope,
            intercept: self.mean_y - slope * self.mean_x,
        }
    }

    /// The line y ↦ E[X | Y = y]: slope ρ σx/σy, passing through (μy, μx). Drawn in the
    /// (x, y) plane it is steeper than the other regression line unless |ρ| = 1.
    pub fn regression_x_on_y(&self) -> Line {
        let slope = self.rho * self.sd_x / self.sd_y;
        Line {
            slope,
            intercept: self.mean_x - slope * self.mean_y,
        }
    }

    /// `points` points (x, y) evenly spaced in angle around the k-σ contour, the ellipse
    /// {v : (v − μ)ᵀ Σ⁻¹ (v − μ) = k²}, starting at angle 0 and not repeating the first point
    /// (close the path when drawing).
    ///
    /// Each point is μ + k L (cos θ, sin θ): since Σ = L Lᵀ, the Mahalanobis distance of that
    /// point is k |(cos θ, sin θ)| = k exactly. The 1σ ellipse holds 1 − e^(−1/2) ≈ 39% of the
    /// probability and the 2σ one 1 − e^(−2) ≈ 86%, less than the 68% and 95% of one dimension.
    pub fn ellipse(&self, k: f64, points: usize) -> Result<Vec<(f64, f64)>, ParamError> {
        let k = check_positive("k", k)?;
        if points < 3 {
            return Err(ParamError::new(
                "points",
                points,
                "a whole number of at least 3",
            ));
        }
        let l = self.cholesky();
        Ok((0..points)
            .map(|i| {
                let theta = TAU * i as f64 / points as f64;
                let (u, v) = (k * theta.cos(), k * theta.sin());
                (
                    self.mean_x + l[0][0] * u,
                    self.mean_y + l[1][0] * u + l[1][1] * v,
                )
            })
            .collect())
    }

    /// The density at the centres of an `nx` × `ny` grid of equal cells covering
    /// `x_range` × `y_range`, row-major: entry `iy * nx + ix` is the density at
    /// x = x_min + (ix + ½) Δx, y = y_min + (iy + ½) Δy. Row 0 is the lowest y, so a canvas
    /// (whose row 0 is the top) draws row `ny − 1 − iy`.
    ///
    /// Because the points are cell centres, Σ density · Δx Δy is the midpoint-rule integral.
    pub fn density_grid(
        &self,
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
    ) -> Result<Vec<f64>, ParamError> {
        const RANGE: &str = "a pair (low, high) of finite numbers with low < high";
        const COUNT: &str = "a whole number of at least 1";
        let is_range = |(low, high): (f64, f64)| low.is_finite() && high.is_finite() && low < high;
        if !is_range(x_range) {
            return Err(ParamError::new("x_range", format!("{x_range:?}"), RANGE));
        }
        if !is_range(y_range) {
            return Err(ParamError::new("y_range", format!("{y_range:?}"), RANGE));
        }
        if nx == 0 {
            return Err(ParamError::new("nx", nx, COUNT));
        }
        if ny == 0 {
            return Err(ParamError::new("ny", ny, COUNT));
        }
        let dx = (x_range.1 - x_range.0) / nx as f64;
        let dy = (y_range.1 - y_range.0) / ny as f64;
        let mut grid = Vec::with_capacity(nx * ny);
        for iy in 0..ny {
            let y = y_range.0 + (iy as f64 + 0.5) * dy;
            for ix in 0..nx {
                let x = x_range.0 + (ix as f64 + 0.5) * dx;
                grid.push(self.density(x, y));
            }
        }
        Ok(grid)
    }
}

/// The probability inside the k-σ ellipse of any bivariate Gaussian: 1 − exp(−k²/2), because
/// the squared Mahalanobis distance follows a χ² distribution with 2 degrees of freedom.
pub fn probability_inside_ellipse(k: f64) -> f64 {
    1.0 - (-0.5 * k * k).exp()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erfc_matches_known_values() {
        // erfc(0) = 1, erfc(1) = 0.157299207050285, erfc(-1) = 1.842700792949715,
        // erfc(2) = 0.004677734981047266.
        let cases = [
            (0.0, 1.0),
            (1.0, 0.157_299_207_050_285),
            (-1.0, 1.842_700_792_949_715),
            (2.0, 0.004_677_734_981_047_266),
        ];
        for (z, expected) in cases {
            let got = erfc(z);
            assert!(
                ((got - expected) / expected).abs() < 1.2e-7,
                "erfc({z}) = {got}, expected {expected}"
            );
        }
    }
}
