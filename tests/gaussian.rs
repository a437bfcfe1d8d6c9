//! Checks of the univariate and bivariate Gaussians: normalisation, closed forms, exact
//! identities between joint, marginal and conditional densities, and seeded Monte Carlo.

use genplay::prob::gaussian::{probability_inside_ellipse, BivariateGaussian, Gaussian};
use genplay::prob::ParamError;
use genplay::rng;

fn assert_close(got: f64, expected: f64, tolerance: f64, what: &str) {
    assert!(
        (got - expected).abs() <= tolerance,
        "{what}: got {got}, expected {expected} (tolerance {tolerance:e})"
    );
}

/// Correlations of both signs and strengths, with unequal spreads and off-origin means.
fn sample_bivariates() -> Vec<BivariateGaussian> {
    vec![
        BivariateGaussian::new(0.0, 0.0, 1.0, 1.0, 0.0).unwrap(),
        BivariateGaussian::new(1.0, -2.0, 1.0, 2.0, 0.8).unwrap(),
        BivariateGaussian::new(-3.0, 0.5, 2.5, 0.7, -0.5).unwrap(),
        BivariateGaussian::new(0.0, 1.0, 0.5, 1.5, 0.97).unwrap(),
    ]
}

fn mean_and_variance(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    let variance = values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0);
    (mean, variance)
}

fn covariance(a: &[f64], b: &[f64]) -> f64 {
    let (mean_a, _) = mean_and_variance(a);
    let (mean_b, _) = mean_and_variance(b);
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - mean_a) * (y - mean_b))
        .sum::<f64>()
        / (a.len() as f64 - 1.0)
}

/// (v − μ)ᵀ Σ⁻¹ (v − μ) computed from the covariance matrix by the explicit 2 × 2 inverse, so
/// that it checks the closed form in `mahalanobis_squared` rather than repeating it.
fn quadratic_form(g: &BivariateGaussian, x: f64, y: f64) -> f64 {
    let [[a, b], [c, d]] = g.covariance();
    let det = a * d - b * c;
    let (dx, dy) = (x - g.mean_x(), y - g.mean_y());
    (d * dx * dx - (b + c) * dx * dy + a * dy * dy) / det
}

#[test]
fn univariate_density_integrates_to_one_and_peaks_at_one_over_sigma_root_two_pi() {
    for (mean, sd) in [(0.0, 1.0), (3.0, 0.2), (-5.0, 4.0)] {
        let g = Gaussian::new(mean, sd).unwrap();
        // Midpoint rule over ±10σ with 2000 cells: for a smooth bell the error is far below 1e-9.
        let cells = 2000;
        let width = 20.0 * sd / cells as f64;
        let integral: f64 = (0..cells)
            .map(|i| g.density(mean - 10.0 * sd + (i as f64 + 0.5) * width) * width)
            .sum();
        assert_close(integral, 1.0, 1e-9, "∫ p(x) dx");
        assert_close(
            g.density(mean),
            1.0 / (sd * (2.0 * std::f64::consts::PI).sqrt()),
            1e-14,
            "peak height",
        );
        let x = mean + 1.3 * sd;
        assert_close(g.log_density(x), g.density(x).ln(), 1e-12, "log density");
        assert_close(g.variance(), sd * sd, 0.0, "variance");
    }
    // Far in the tail the density underflows but the log density stays exact: −½ · 40² − ln √(2π).
    let standard = Gaussian::new(0.0, 1.0).unwrap();
    assert_eq!(standard.density(40.0), 0.0);
    assert_close(
        standard.log_density(40.0),
        -800.0 - 0.5 * (2.0 * std::f64::consts::PI).ln(),
        1e-12,
        "tail log density",
    );
}

#[test]
fn cdf_matches_the_normal_table() {
    // Φ(0) = 0.5, Φ(1) = 0.8413447460685429, Φ(1.96) = 0.9750021048517795,
    // Φ(−2) = 0.022750131948179195; the erfc fit is good to a relative 1.2e-7.
    let g = Gaussian::new(2.0, 3.0).unwrap();
    for (z, phi) in [
        (0.0, 0.5),
        (1.0, 0.841_344_746_068_542_9),
        (1.96, 0.975_002_104_851_779_5),
        (-2.0, 0.022_750_131_948_179_195),
    ] {
        assert_close(g.cdf(2.0 + 3.0 * z), phi, 1.2e-7 * phi, &format!("Φ({z})"));
    }
}

#[test]
fn univariate_samples_have_the_right_mean_and_variance() {
    let g = Gaussian::new(-1.5, 2.0).unwrap();
    let mut r = rng::seeded(21);
    let n = 200_000;
    let xs: Vec<f64> = (0..n).map(|_| g.sample(&mut r)).collect();
    let (mean, variance) = mean_and_variance(&xs);
    let n = n as f64;
    assert_close(mean, -1.5, 4.0 * 2.0 / n.sqrt(), "sample mean");
    assert_close(
        variance,
        4.0,
        4.0 * 4.0 * (2.0 / n).sqrt(),
        "sample variance",
    );
}

#[test]
fn bivariate_density_integrates_to_one_on_a_grid() {
    for g in sample_bivariates() {
        let (nx, ny) = (300, 240);
        let x_range = (g.mean_x() - 10.0 * g.sd_x(), g.mean_x() + 10.0 * g.sd_x());
        let y_range = (g.mean_y() - 10.0 * g.sd_y(), g.mean_y() + 10.0 * g.sd_y());
        let grid = g.density_grid(x_range, y_range, nx, ny).unwrap();
        assert_eq!(grid.len(), nx * ny);
        let dx = (x_range.1 - x_range.0) / nx as f64;
        let dy = (y_range.1 - y_range.0) / ny as f64;
        let integral: f64 = grid.iter().sum::<f64>() * dx * dy;
        assert_close(integral, 1.0, 1e-9, "∫∫ p(x, y) dx dy");

        // Row-major layout: entry iy · nx + ix is the density at that cell's centre.
        let (ix, iy) = (17, 201);
        let x = x_range.0 + (ix as f64 + 0.5) * dx;
        let y = y_range.0 + (iy as f64 + 0.5) * dy;
        assert_eq!(grid[iy * nx + ix], g.density(x, y));
    }
}

#[test]
fn density_has_the_closed_form_and_factorises_when_rho_is_zero() {
    // At the mean: 1 / (2π σx σy √(1 − ρ²)); with σx = 1, σy = 2, ρ = 0.8 that is 1 / (2.4π).
    let g = BivariateGaussian::new(1.0, -2.0, 1.0, 2.0, 0.8).unwrap();
    assert_close(
        g.density(1.0, -2.0),
        1.0 / (2.4 * std::f64::consts::PI),
        1e-15,
        "peak",
    );
    for g in sample_bivariates() {
        let (x, y) = (g.mean_x() + 0.7 * g.sd_x(), g.mean_y() - 1.1 * g.sd_y());
        assert_close(
            g.log_density(x, y),
            g.density(x, y).ln(),
            1e-12,
            "log density",
        );
        assert_close(
            g.mahalanobis_squared(x, y),
            quadratic_form(&g, x, y),
            1e-12,
            "Mahalanobis closed form",
        );
    }
    let independent = BivariateGaussian::new(0.5, 1.0, 1.5, 0.3, 0.0).unwrap();
    let (x, y) = (1.2, 0.8);
    assert_close(
        independent.density(x, y),
        independent.marginal_x().density(x) * independent.marginal_y().density(y),
        1e-15,
        "p(x, y) = p(x) p(y) at ρ = 0",
    );
}

#[test]
fn integrating_out_y_gives_the_marginal_of_x() {
    for g in sample_bivariates() {
        let x = g.mean_x() + 0.6 * g.sd_x();
        let cells = 4000;
        let low = g.mean_y() - 12.0 * g.sd_y();
        let width = 24.0 * g.sd_y() / cells as f64;
        let integral: f64 = (0..cells)
            .map(|i| g.density(x, low + (i as f64 + 0.5) * width) * width)
            .sum();
        assert_close(
            integral,
            g.marginal_x().density(x),
            1e-9,
            "∫ p(x, y) dy = p(x)",
        );
        assert_eq!(g.marginal_y().mean(), g.mean_y());
        assert_eq!(g.marginal_y().sd(), g.sd_y());
    }
}

#[test]
fn conditional_is_the_joint_divided_by_the_marginal() {
    for g in sample_bivariates() {
        let x0 = g.mean_x() - 1.4 * g.sd_x();
        let conditional = g.conditional_y_given_x(x0);
        let rho = g.rho();
        assert_close(
            conditional.mean(),
            g.mean_y() + rho * g.sd_y() / g.sd_x() * (x0 - g.mean_x()),
            1e-12,
            "E[Y | X = x0]",
        );
        assert_close(
            conditional.sd(),
            g.sd_y() * (1.0 - rho * rho).sqrt(),
            1e-15,
            "sd of Y | X = x0",
        );
        // p(y | x0) = p(x0, y) / p(x0) exactly, at several y.
        for k in [-2.0, -0.3, 0.0, 1.7] {
            let y = conditional.mean() + k * conditional.sd();
            assert_close(
                conditional.log_density(y),
                g.log_density(x0, y) - g.marginal_x().log_density(x0),
                1e-11,
                "log p(y | x0)",
            );
        }
        let y0 = g.mean_y() + 0.9 * g.sd_y();
        let other = g.conditional_x_given_y(y0);
        assert_close(
            other.log_density(g.mean_x()),
            g.log_density(g.mean_x(), y0) - g.marginal_y().log_density(y0),
            1e-11,
            "log p(x | y0)",
        );
    }
}

#[test]
fn regression_line_has_slope_rho_sigma_y_over_sigma_x_and_passes_through_the_mean() {
    let g = BivariateGaussian::new(1.0, -2.0, 1.0, 2.0, 0.8).unwrap();
    let line = g.regression_y_on_x();
    // Slope 0.8 · 2 / 1 = 1.6; intercept −2 − 1.6 · 1 = −3.6.
    assert_close(line.slope, 1.6, 1e-15, "slope");
    assert_close(line.intercept, -3.6, 1e-15, "intercept");
    assert_close(line.at(1.0), -2.0, 1e-15, "through the mean");
    // X on Y: slope 0.8 · 1 / 2 = 0.4, through (μy, μx) = (−2, 1).
    let back = g.regression_x_on_y();
    assert_close(back.slope, 0.4, 1e-15, "x-on-y slope");
    assert_close(back.at(-2.0), 1.0, 1e-15, "x-on-y through the mean");
}

#[test]
fn cholesky_factor_reproduces_the_covariance_and_samples_match_it() {
    for (seed, g) in sample_bivariates().into_iter().enumerate() {
        let l = g.cholesky();
        let sigma = g.covariance();
        assert_eq!(l[0][1], 0.0, "lower triangular");
        for i in 0..2 {
            for j in 0..2 {
                let llt = l[i][0] * l[j][0] + l[i][1] * l[j][1];
                assert_close(llt, sigma[i][j], 1e-12, &format!("(L Lᵀ)[{i}][{j}]"));
            }
        }

        let n = 200_000;
        let pairs = g.sample_many(&mut rng::seeded(100 + seed as u64), n);
        let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let ys: Vec<f64> = pairs.iter().map(|p| p.1).collect();
        let (mean_x, var_x) = mean_and_variance(&xs);
        let (mean_y, var_y) = mean_and_variance(&ys);
        let cov = covariance(&xs, &ys);
        let (sx, sy, rho) = (g.sd_x(), g.sd_y(), g.rho());
        let n = n as f64;
        // Standard errors: σ/√n for a mean, σ²√(2/n) for a variance, and
        // σx σy √((1 + ρ²)/n) for a covariance of jointly normal variables.
        assert_close(mean_x, g.mean_x(), 4.0 * sx / n.sqrt(), "mean x");
        assert_close(mean_y, g.mean_y(), 4.0 * sy / n.sqrt(), "mean y");
        assert_close(var_x, sx * sx, 4.0 * sx * sx * (2.0 / n).sqrt(), "var x");
        assert_close(var_y, sy * sy, 4.0 * sy * sy * (2.0 / n).sqrt(), "var y");
        assert_close(
            cov,
            rho * sx * sy,
            4.0 * sx * sy * ((1.0 + rho * rho) / n).sqrt(),
            "cov",
        );
    }
}

#[test]
fn residuals_from_the_regression_line_have_mean_zero_and_the_conditional_variance() {
    for (seed, g) in sample_bivariates().into_iter().enumerate() {
        let line = g.regression_y_on_x();
        let n = 200_000;
        let pairs = g.sample_many(&mut rng::seeded(200 + seed as u64), n);
        let residuals: Vec<f64> = pairs.iter().map(|&(x, y)| y - line.at(x)).collect();
        let xs: Vec<f64> = pairs.iter().map(|p| p.0).collect();
        let (mean, variance) = mean_and_variance(&residuals);
        let expected_sd = g.conditional_y_given_x(0.0).sd();
        let n = n as f64;
        // y − (a + b x) is N(0, σy²(1 − ρ²)) and independent of x.
        assert_close(mean, 0.0, 4.0 * expected_sd / n.sqrt(), "residual mean");
        assert_close(
            variance,
            expected_sd * expected_sd,
            4.0 * expected_sd * expected_sd * (2.0 / n).sqrt(),
            "residual variance",
        );
        assert_close(
            covariance(&residuals, &xs),
            0.0,
            4.0 * expected_sd * g.sd_x() / n.sqrt(),
            "residual uncorrelated with x",
        );
    }
}

#[test]
fn ellipse_points_lie_on_the_k_sigma_contour() {
    for g in sample_bivariates() {
        for k in [1.0, 2.0, 0.5] {
            let points = g.ellipse(k, 64).unwrap();
            assert_eq!(points.len(), 64);
            for &(x, y) in &points {
                assert_close(quadratic_form(&g, x, y), k * k, 1e-9, "(v−μ)ᵀ Σ⁻¹ (v−μ)");
            }
            // The first point is at angle 0, μ + k (σx, ρ σy), and no point repeats it.
            assert_close(points[0].0, g.mean_x() + k * g.sd_x(), 1e-12, "first x");
            assert_close(
                points[0].1,
                g.mean_y() + k * g.rho() * g.sd_y(),
                1e-12,
                "first y",
            );
        }
    }
}

#[test]
fn the_k_sigma_ellipse_holds_one_minus_exp_minus_k_squared_over_two_of_the_samples() {
    // 1σ: 1 − e^(−1/2) = 0.3934693402873666; 2σ: 1 − e^(−2) = 0.8646647167633873.
    assert_close(
        probability_inside_ellipse(1.0),
        0.393_469_340_287_366_6,
        1e-15,
        "1σ",
    );
    assert_close(
        probability_inside_ellipse(2.0),
        0.864_664_716_763_387_3,
        1e-15,
        "2σ",
    );
    let g = BivariateGaussian::new(1.0, -2.0, 1.0, 2.0, 0.8).unwrap();
    let n = 100_000;
    let pairs = g.sample_many(&mut rng::seeded(31), n);
    for k in [1.0, 2.0] {
        let inside = pairs
            .iter()
            .filter(|&&(x, y)| g.mahalanobis_squared(x, y) <= k * k)
            .count() as f64
            / n as f64;
        let p = probability_inside_ellipse(k);
        assert_close(
            inside,
            p,
            4.0 * (p * (1.0 - p) / n as f64).sqrt(),
            "fraction inside",
        );
    }
}

#[test]
fn degenerate_parameters_are_rejected_with_their_names() {
    let message = |r: Result<BivariateGaussian, ParamError>| r.unwrap_err().to_string();
    assert_eq!(
        message(BivariateGaussian::new(0.0, 0.0, 0.0, 1.0, 0.0)),
        "sigma_x = 0 is not allowed: sigma_x must be a positive finite number"
    );
    assert_eq!(
        message(BivariateGaussian::new(0.0, 0.0, 1.0, -2.0, 0.0)),
        "sigma_y = -2 is not allowed: sigma_y must be a positive finite number"
    );
    assert!(
        message(BivariateGaussian::new(0.0, 0.0, f64::INFINITY, 1.0, 0.0)).starts_with("sigma_x")
    );
    assert!(message(BivariateGaussian::new(0.0, 0.0, 1.0, f64::NAN, 0.0)).starts_with("sigma_y"));
    for rho in [1.0, -1.0, 1.5, f64::NAN] {
        let err = BivariateGaussian::new(0.0, 0.0, 1.0, 1.0, rho).unwrap_err();
        assert_eq!(err.name, "rho");
        assert!(
            err.to_string()
                .ends_with("rho must be a number strictly between -1 and 1"),
            "{err}"
        );
    }
    assert_eq!(
        BivariateGaussian::new(f64::NAN, 0.0, 1.0, 1.0, 0.0)
            .unwrap_err()
            .name,
        "mean_x"
    );
    assert_eq!(
        BivariateGaussian::new(0.0, f64::INFINITY, 1.0, 1.0, 0.0)
            .unwrap_err()
            .name,
        "mean_y"
    );
    assert_eq!(Gaussian::new(0.0, -1.0).unwrap_err().name, "sigma");
    assert_eq!(Gaussian::new(f64::NAN, 1.0).unwrap_err().name, "mean");

    let g = BivariateGaussian::new(0.0, 0.0, 1.0, 1.0, 0.3).unwrap();
    assert_eq!(g.ellipse(0.0, 32).unwrap_err().name, "k");
    assert_eq!(g.ellipse(1.0, 2).unwrap_err().name, "points");
    assert_eq!(
        g.density_grid((1.0, 1.0), (0.0, 1.0), 4, 4)
            .unwrap_err()
            .name,
        "x_range"
    );
    assert_eq!(
        g.density_grid((0.0, 1.0), (0.0, f64::NAN), 4, 4)
            .unwrap_err()
            .name,
        "y_range"
    );
    assert_eq!(
        g.density_grid((0.0, 1.0), (0.0, 1.0), 0, 4)
            .unwrap_err()
            .name,
        "nx"
    );
    assert_eq!(
        g.density_grid((0.0, 1.0), (0.0, 1.0), 4, 0)
            .unwrap_err()
            .name,
        "ny"
    );
}
