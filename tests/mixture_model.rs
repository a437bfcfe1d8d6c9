//! The mixture itself: densities, sampling, parameter counts, BIC/AIC, the responsibility
//! explanation, presets, BIC model selection and the fast kernel's `exp`.

use genplay::mixture::{
    fast_exp, information_criteria, presets, CovarianceType, Dataset, EmOptions, GaussianMixture,
    EXP_CUTOFF,
};
use genplay::rng;
use std::f64::consts::PI;

fn two_component() -> GaussianMixture<2> {
    GaussianMixture::new(
        vec![0.3, 0.7],
        vec![[-1.0, 0.0], [2.0, 1.0]],
        vec![[[1.0, 0.4], [0.4, 0.5]], [[0.8, 0.0], [0.0, 1.5]]],
        CovarianceType::Full,
    )
    .unwrap()
}

#[test]
fn density_matches_the_closed_form_and_integrates_to_one() {
    let m = two_component();
    // Closed form of component 1 at (0, 0): det = 0.34, precision = [[0.5, -0.4], [-0.4, 1]] / 0.34.
    let x = [0.0, 0.0];
    let d: [f64; 2] = [1.0, 0.0];
    let q = (0.5 * d[0] * d[0] - 0.8 * d[0] * d[1] + d[1] * d[1]) / 0.34;
    let n1 = (-0.5 * q).exp() / (2.0 * PI * 0.34f64.sqrt());
    let d2: [f64; 2] = [-2.0, -1.0];
    let n2 =
        (-0.5 * (d2[0] * d2[0] / 0.8 + d2[1] * d2[1] / 1.5)).exp() / (2.0 * PI * 1.2f64.sqrt());
    assert!((m.density(&x) - (0.3 * n1 + 0.7 * n2)).abs() < 1e-15);
    // Midpoint rule over [-10, 10]²; the tails beyond hold less than 1e-10.
    let h = 0.05;
    let mut total = 0.0;
    for i in 0..400 {
        for j in 0..400 {
            let p = [-10.0 + (i as f64 + 0.5) * h, -10.0 + (j as f64 + 0.5) * h];
            total += m.density(&p) * h * h;
        }
    }
    assert!((total - 1.0).abs() < 1e-6, "integral {total}");
}

#[test]
fn one_dimensional_density_integrates_to_one_and_samples_have_its_moments() {
    let m = presets::one_dimensional(10, 0).truth.unwrap();
    let h = 0.01;
    let total: f64 = (0..3000)
        .map(|i| m.density(&[-15.0 + (i as f64 + 0.5) * h]) * h)
        .sum();
    assert!((total - 1.0).abs() < 1e-9);
    let (xs, _) = m.sample(200_000, &mut rng::seeded(3));
    let mean = xs.iter().map(|x| x[0]).sum::<f64>() / xs.len() as f64;
    // True mean 0.5·(-4) + 0.3·1 + 0.2·5 = -0.7; the spread is about 3.4, so SE ≈ 0.008.
    assert!((mean + 0.7).abs() < 0.04, "mean {mean}");
}

#[test]
fn samples_follow_each_component() {
    let m = two_component();
    let (points, labels) = m.sample(100_000, &mut rng::seeded(5));
    let ones: Vec<&[f64; 2]> = points
        .iter()
        .zip(&labels)
        .filter(|(_, &l)| l == 0)
        .map(|(p, _)| p)
        .collect();
    let share = ones.len() as f64 / points.len() as f64;
    assert!((share - 0.3).abs() < 0.006, "share {share}");
    let data = Dataset::from_points(&ones.iter().map(|p| **p).collect::<Vec<_>>()).unwrap();
    let (mean, cov) = (data.mean(), data.covariance());
    assert!((mean[0] + 1.0).abs() < 0.02 && mean[1].abs() < 0.02);
    assert!(
        (cov[0][0] - 1.0).abs() < 0.03
            && (cov[0][1] - 0.4).abs() < 0.02
            && (cov[1][1] - 0.5).abs() < 0.02
    );
}

#[test]
fn parameter_counts_bic_and_aic_follow_their_formulas() {
    let cov = [[1.0, 0.0], [0.0, 1.0]];
    let counts = [
        (CovarianceType::Full, 17),
        (CovarianceType::Diag, 14),
        (CovarianceType::Spherical, 11),
    ];
    for (t, expected) in counts {
        let m = GaussianMixture::new(
            vec![0.2, 0.3, 0.5],
            vec![[0.0, 0.0], [1.0, 0.0], [0.0, 1.0]],
            vec![cov; 3],
            t,
        )
        .unwrap();
        assert_eq!(m.n_parameters(), expected, "{t:?}");
    }
    for t in [
        CovarianceType::Full,
        CovarianceType::Diag,
        CovarianceType::Spherical,
    ] {
        let m =
            GaussianMixture::new(vec![0.5, 0.5], vec![[0.0], [3.0]], vec![[[1.0]]; 2], t).unwrap();
        assert_eq!(m.n_parameters(), 5);
    }
    let m = two_component();
    let data = presets::overlapping(200, 1).data;
    let log_l: f64 = (0..200).map(|i| m.log_density(&data.point(i))).sum();
    assert!((m.bic(&data) - (-2.0 * log_l + 11.0 * 200f64.ln())).abs() < 1e-9);
    assert!((m.aic(&data) - (-2.0 * log_l + 22.0)).abs() < 1e-9);
}

/// ln N(x; μ, Σ) for a 2-D Gaussian, written out: -½ dᵀΣ⁻¹d - ln(2π √det Σ) with d = x - μ and
/// Σ⁻¹ = [[Σ₁₁, -Σ₀₁], [-Σ₀₁, Σ₀₀]] / det Σ.
fn log_density_by_hand(x: [f64; 2], mean: [f64; 2], s: [[f64; 2]; 2]) -> f64 {
    let det = s[0][0] * s[1][1] - s[0][1] * s[0][1];
    let d = [x[0] - mean[0], x[1] - mean[1]];
    let q = (s[1][1] * d[0] * d[0] - 2.0 * s[0][1] * d[0] * d[1] + s[0][0] * d[1] * d[1]) / det;
    -0.5 * q - (2.0 * PI * det.sqrt()).ln()
}

#[test]
fn explain_responsibility_matches_hand_computed_densities_and_responsibilities() {
    let weights = [0.2, 0.3, 0.5];
    let means = [[-1.0, 0.0], [1.0, 1.0], [0.5, -1.5]];
    let covariances = [
        [[1.0, 0.4], [0.4, 0.5]],
        [[0.3, -0.1], [-0.1, 0.6]],
        [[2.0, 0.0], [0.0, 0.8]],
    ];
    let m = GaussianMixture::new(
        weights.to_vec(),
        means.to_vec(),
        covariances.to_vec(),
        CovarianceType::Full,
    )
    .unwrap();
    for x in [[0.0, 0.0], [0.8, 0.9], [-1.5, 0.2], [2.0, -2.0]] {
        let densities: Vec<f64> = (0..3)
            .map(|k| log_density_by_hand(x, means[k], covariances[k]).exp())
            .collect();
        let p = weights[0] * densities[0] + weights[1] * densities[1] + weights[2] * densities[2];
        let e = m.explain_responsibility(&x);
        assert_eq!(e.weights, weights);
        for k in 0..3 {
            let close = |got: f64, expected: f64, what: &str| {
                assert!(
                    (got - expected).abs() <= 1e-13 * expected,
                    "{what} {k} at {x:?}: {got}, by hand {expected}"
                )
            };
            close(e.densities[k], densities[k], "density");
            close(
                e.weighted_densities[k],
                weights[k] * densities[k],
                "weighted density",
            );
            close(
                e.responsibilities[k],
                weights[k] * densities[k] / p,
                "responsibility",
            );
        }
        assert!((e.normaliser - p).abs() <= 1e-13 * p, "p(x) at {x:?}");
        assert!(
            (e.log_normaliser - p.ln()).abs() < 1e-13,
            "ln p(x) at {x:?}"
        );
        assert_eq!(m.responsibilities(&x), e.responsibilities);
    }

    // Far away every density underflows to 0, but the responsibilities are still exact:
    // r_k = 1 / Σ_j exp(l_j - l_k) with l_k = ln π_k + ln N(x; μ_k, Σ_k).
    let far = [100.0, -60.0];
    let logs: Vec<f64> = (0..3)
        .map(|k| weights[k].ln() + log_density_by_hand(far, means[k], covariances[k]))
        .collect();
    let e = m.explain_responsibility(&far);
    assert_eq!(e.normaliser, 0.0);
    assert!(e.densities.iter().all(|&d| d == 0.0));
    let best = (0..3).max_by(|&a, &b| logs[a].total_cmp(&logs[b])).unwrap();
    let log_p = logs[best]
        + logs
            .iter()
            .map(|l| (l - logs[best]).exp())
            .sum::<f64>()
            .ln();
    assert!(
        log_p < -745.0,
        "ln p(x) = {log_p} should be below f64's smallest exp"
    );
    assert!((e.log_normaliser - log_p).abs() < 1e-12 * log_p.abs());
    for k in 0..3 {
        let expected = 1.0 / logs.iter().map(|l| (l - logs[k]).exp()).sum::<f64>();
        assert!(
            (e.responsibilities[k] - expected).abs() < 1e-9,
            "responsibility {k} far away: {}, by hand {expected}",
            e.responsibilities[k]
        );
    }
}

#[test]
fn presets_have_the_requested_size_and_truth_where_one_exists() {
    for preset in [
        presets::well_separated_blobs(123, 1),
        presets::anisotropic(123, 1),
        presets::unbalanced(123, 1),
        presets::overlapping(123, 1),
    ] {
        assert_eq!(preset.data.len(), 123);
        assert!(preset.truth.is_some());
        assert_eq!(preset.labels.unwrap().len(), 123);
    }
    let ring = presets::ring(500, 2);
    assert!(ring.truth.is_none());
    let radii: Vec<f64> = ring
        .data
        .points()
        .iter()
        .map(|p| p[0].hypot(p[1]))
        .collect();
    assert!(radii.iter().all(|r| (r - 5.0).abs() < 2.0));
    assert_eq!(presets::ring(50, 9).data, presets::ring(50, 9).data);
    assert_ne!(presets::ring(50, 9).data, presets::ring(50, 10).data);
    let unbalanced = presets::unbalanced(10, 0).truth.unwrap();
    assert_eq!(unbalanced.weights(), &[0.8, 0.15, 0.05]);
}

#[test]
fn bic_picks_three_components_for_three_blobs_and_more_for_the_ring() {
    let data = presets::well_separated_blobs(900, 6).data;
    let scores = information_criteria(&data, 8, &EmOptions::default()).unwrap();
    assert_eq!(
        scores.iter().map(|s| s.k).collect::<Vec<_>>(),
        (1..=8).collect::<Vec<_>>()
    );
    let best = scores
        .iter()
        .min_by(|a, b| a.bic.total_cmp(&b.bic))
        .unwrap();
    assert_eq!(best.k, 3);
    // The likelihood keeps rising (or nearly) with K even where BIC turns up.
    assert!(scores[7].score > scores[2].score - 0.01);
    let ring = presets::ring(900, 6).data;
    let scores = information_criteria(&ring, 8, &EmOptions::default()).unwrap();
    let best = scores
        .iter()
        .min_by(|a, b| a.bic.total_cmp(&b.bic))
        .unwrap();
    assert!(best.k >= 4, "ring best k {}", best.k);
}

#[test]
fn fast_exp_matches_std_exp_within_two_ulps_over_its_range() {
    let mut r = rng::seeded(1);
    let mut worst: f64 = 0.0;
    for i in 0..200_000 {
        let x = if i % 2 == 0 {
            EXP_CUTOFF + (709.0 - EXP_CUTOFF) * rng::uniform(&mut r)
        } else {
            // Dense near 0, where responsibilities live.
            -40.0 * rng::uniform(&mut r)
        };
        let (fast, exact) = (fast_exp(x), x.exp());
        worst = worst.max((fast - exact).abs() / exact);
    }
    assert!(worst < 4.5e-16, "worst relative error {worst}");
    assert_eq!(fast_exp(0.0), 1.0);
    assert_eq!(fast_exp(EXP_CUTOFF - 1e-9), 0.0);
    assert_eq!(fast_exp(f64::NEG_INFINITY), 0.0);
    assert!(fast_exp(f64::NAN).is_nan());
}
