//! Generative classifiers: Bayes' rule, the closed forms of LDA, logistic regression against LDA,
//! the mixture family on XOR, presets and the degenerate cases.

use genplay::choice::Choice;
use genplay::classify::logistic::LogisticRegression;
use genplay::classify::presets::ClassPreset;
use genplay::classify::{
    check_components, lda_boundary, ClassifyError, Family, FitNote, FitOptions,
    GenerativeClassifier, LabeledData, Prior,
};
use genplay::mixture::{CovarianceType, GaussianMixture};
use genplay::prob::gaussian::Gaussian;
use genplay::rng;

fn gaussian(mean: [f64; 2], covariance: [[f64; 2]; 2]) -> GaussianMixture<2> {
    GaussianMixture::new(
        vec![1.0],
        vec![mean],
        vec![covariance],
        CovarianceType::Full,
    )
    .unwrap()
}

fn options(family: Family) -> FitOptions {
    FitOptions {
        family,
        ..FitOptions::default()
    }
}

/// n points from two Gaussian classes with priors (1 − p1, p1), means m0, m1 and covariance s.
fn two_class_sample(
    p1: f64,
    m0: [f64; 2],
    m1: [f64; 2],
    s: [[f64; 2]; 2],
    n: usize,
    seed: u64,
) -> LabeledData {
    let truth = GaussianMixture::new(
        vec![1.0 - p1, p1],
        vec![m0, m1],
        vec![s, s],
        CovarianceType::Full,
    )
    .unwrap();
    let (points, labels) = truth.sample(n, &mut rng::seeded(seed));
    LabeledData::new(points, labels, 2).unwrap()
}

/// N(x; μ, Σ) for a 2-D Gaussian, written out: exp(-½ dᵀΣ⁻¹d) / (2π √det Σ) with d = x - μ and
/// Σ⁻¹ = [[Σ₁₁, -Σ₀₁], [-Σ₀₁, Σ₀₀]] / det Σ.
fn density_by_hand(x: [f64; 2], mean: [f64; 2], s: [[f64; 2]; 2]) -> f64 {
    let det = s[0][0] * s[1][1] - s[0][1] * s[0][1];
    let d = [x[0] - mean[0], x[1] - mean[1]];
    let q = (s[1][1] * d[0] * d[0] - 2.0 * s[0][1] * d[0] * d[1] + s[0][0] * d[1] * d[1]) / det;
    (-0.5 * q).exp() / (2.0 * std::f64::consts::PI * det.sqrt())
}

#[test]
fn posteriors_are_bayes_rule_on_the_closed_form_densities() {
    // Three classes with their own priors, means and covariances (QDA): at each point,
    // P(y | x) = P(y) N(x; μ_y, Σ_y) / Σ_k P(k) N(x; μ_k, Σ_k).
    let priors = [0.2, 0.5, 0.3];
    let means = [[-1.0, 0.5], [1.5, 0.0], [0.0, -2.0]];
    let covariances = [
        [[1.0, 0.3], [0.3, 0.5]],
        [[0.4, -0.1], [-0.1, 0.9]],
        [[2.0, 0.0], [0.0, 0.25]],
    ];
    let classifier = GenerativeClassifier::from_parts(
        priors.to_vec(),
        (0..3)
            .map(|k| Some(gaussian(means[k], covariances[k])))
            .collect(),
        Family::Qda,
    )
    .unwrap();
    for x in [
        [0.0, 0.0],
        [-1.2, 0.7],
        [1.0, -0.4],
        [0.3, -1.5],
        [2.5, 2.0],
    ] {
        let weighted: Vec<f64> = (0..3)
            .map(|k| priors[k] * density_by_hand(x, means[k], covariances[k]))
            .collect();
        let evidence: f64 = weighted.iter().sum();
        let posterior = classifier.posterior(&x);
        let explanation = classifier.explain(&x);
        assert_eq!(posterior.len(), 3);
        for k in 0..3 {
            let expected = weighted[k] / evidence;
            assert!(
                (posterior[k] - expected).abs() < 1e-12,
                "P({k} | {x:?}) = {}, by hand {expected}",
                posterior[k]
            );
            let likelihood = density_by_hand(x, means[k], covariances[k]);
            assert!((explanation.likelihoods[k] - likelihood).abs() < 1e-12 * likelihood.max(1.0));
        }
        assert!((explanation.evidence - evidence).abs() < 1e-12 * evidence);
        assert!((explanation.log_evidence - evidence.ln()).abs() < 1e-12);
        let best = (0..3)
            .max_by(|&a, &b| weighted[a].total_cmp(&weighted[b]))
            .unwrap();
        assert_eq!(classifier.predict(&x), best, "at {x:?}");
    }
}

#[test]
fn lda_posterior_is_the_sigmoid_of_the_linear_log_odds_even_where_densities_underflow() {
    // Shared Σ = [[1, 0.3], [0.3, 0.5]] (det 0.41), μ₀ = (-1, 0), μ₁ = (1, 1), P(1) = 0.7:
    // P(1 | x) = σ(wᵀx + b), w = Σ⁻¹(μ₁ - μ₀) = (0.7, 0.4) / 0.41,
    // b = -½ μ₁ᵀΣ⁻¹μ₁ + ½ μ₀ᵀΣ⁻¹μ₀ + ln(0.7 / 0.3), with Σ⁻¹μ₁ = (0.2, 0.7) / 0.41 and
    // Σ⁻¹μ₀ = (-0.5, 0.3) / 0.41, so μ₁ᵀΣ⁻¹μ₁ = 0.9 / 0.41 and μ₀ᵀΣ⁻¹μ₀ = 0.5 / 0.41.
    let s = [[1.0, 0.3], [0.3, 0.5]];
    let classifier = GenerativeClassifier::from_parts(
        vec![0.3, 0.7],
        vec![
            Some(gaussian([-1.0, 0.0], s)),
            Some(gaussian([1.0, 1.0], s)),
        ],
        Family::Lda,
    )
    .unwrap();
    let w = [0.7 / 0.41, 0.4 / 0.41];
    let b = -0.5 * 0.9 / 0.41 + 0.5 * 0.5 / 0.41 + (0.7f64 / 0.3).ln();
    let sigmoid = |z: f64| 1.0 / (1.0 + (-z).exp());
    // Points with log-odds -2, 0 and 1.5, near the classes and far along the boundary (60 units
    // out, where both densities are below e^-745 and underflow to 0 in f64).
    let along = [0.4, -0.7];
    for log_odds in [-2.0, 0.0, 1.5] {
        // x₀ = c·w solves wᵀx₀ + b = log_odds.
        let c = (log_odds - b) / (w[0] * w[0] + w[1] * w[1]);
        for t in [0.0, 1.0, -3.0, 75.0, -75.0] {
            let x = [c * w[0] + t * along[0], c * w[1] + t * along[1]];
            let posterior = classifier.posterior(&x);
            let expected = sigmoid(w[0] * x[0] + w[1] * x[1] + b);
            assert!(
                (posterior[1] - expected).abs() < 1e-9
                    && (posterior[0] - (1.0 - expected)).abs() < 1e-9,
                "log-odds {log_odds}, t = {t}: {posterior:?}, by hand P(1 | x) = {expected}"
            );
            if t.abs() > 50.0 {
                assert_eq!(
                    classifier.explain(&x).evidence,
                    0.0,
                    "p(x) should underflow at {x:?}"
                );
            }
        }
    }
}

#[test]
fn equal_priors_and_spherical_covariances_give_the_perpendicular_bisector() {
    let (m0, m1) = ([-1.0, 2.0], [3.0, 0.0]);
    let s = [[0.7, 0.0], [0.0, 0.7]];
    for family in [Family::Qda, Family::Lda] {
        let classifier = GenerativeClassifier::from_parts(
            vec![0.5, 0.5],
            vec![Some(gaussian(m0, s)), Some(gaussian(m1, s))],
            family,
        )
        .unwrap();
        let midpoint = [1.0, 1.0];
        // Along the bisector: perpendicular to m1 − m0 = (4, −2), so direction (1, 2).
        for t in [-3.0, -0.5, 0.0, 1.0, 4.0] {
            let on = [midpoint[0] + t, midpoint[1] + 2.0 * t];
            let posterior = classifier.posterior(&on);
            assert!(
                (posterior[0] - 0.5).abs() < 1e-12,
                "{posterior:?} at {on:?}"
            );
            let toward_1 = [on[0] + 0.04, on[1] - 0.02];
            let toward_0 = [on[0] - 0.04, on[1] + 0.02];
            assert_eq!(classifier.predict(&toward_1), 1);
            assert_eq!(classifier.predict(&toward_0), 0);
        }
    }
}

#[test]
fn priors_shift_the_boundary_by_the_log_prior_ratio() {
    let (m0, m1) = ([0.0, 0.0], [2.0, 0.0]);
    let variance = 0.8;
    let s = [[variance, 0.0], [0.0, variance]];
    let (p0, p1) = (0.8, 0.2);
    let classifier = GenerativeClassifier::from_parts(
        vec![p0, p1],
        vec![Some(gaussian(m0, s)), Some(gaussian(m1, s))],
        Family::Lda,
    )
    .unwrap();
    // Equal log-joint: x* = midpoint + σ² ln(P0/P1) / |Δμ|² · Δμ, toward the rarer class 1.
    let shift = variance * (p0 / p1).ln() / 4.0 * 2.0;
    for y in [-1.0, 0.0, 2.5] {
        let x_star = [1.0 + shift, y];
        let posterior = classifier.posterior(&x_star);
        assert!((posterior[0] - 0.5).abs() < 1e-12, "{posterior:?}");
    }
    assert!(
        shift > 0.5,
        "the boundary moved toward the less likely class"
    );

    // Fitted LDA: a fixed prior changes only the intercept, by ln(P1/P0).
    let data = ClassPreset::TwoGaussians.generate(200, 9);
    let fit = |prior| {
        let options = FitOptions {
            family: Family::Lda,
            prior,
            ..FitOptions::default()
        };
        lda_boundary(&GenerativeClassifier::fit(&data, &options).unwrap()).unwrap()
    };
    let even = fit(Prior::two_class(0.5).unwrap());
    let skewed = fit(Prior::two_class(0.1).unwrap());
    assert_eq!(even.weights, skewed.weights);
    assert!((skewed.bias - even.bias - (0.1f64 / 0.9).ln()).abs() < 1e-12);
}

#[test]
fn lda_weights_and_bias_match_the_closed_form() {
    let data = ClassPreset::TwoGaussians.generate(400, 5);
    let classifier = GenerativeClassifier::fit(&data, &options(Family::Lda)).unwrap();
    let boundary = lda_boundary(&classifier).unwrap();

    // Recompute from the points: class means, pooled (divide-by-n) covariance + reg_covar.
    let n = data.len() as f64;
    let class_mean = |c: usize| {
        let pts = data.class_points(c);
        let k = pts.len() as f64;
        [
            pts.iter().map(|p| p[0]).sum::<f64>() / k,
            pts.iter().map(|p| p[1]).sum::<f64>() / k,
        ]
    };
    let means = [class_mean(0), class_mean(1)];
    let mut s = [[0.0; 2]; 2];
    for (p, &y) in data.points().iter().zip(data.labels()) {
        let d = [p[0] - means[y][0], p[1] - means[y][1]];
        for a in 0..2 {
            for b in 0..2 {
                s[a][b] += d[a] * d[b] / n;
            }
        }
    }
    s[0][0] += 1e-6;
    s[1][1] += 1e-6;
    let det = s[0][0] * s[1][1] - s[0][1] * s[1][0];
    let inv = [
        [s[1][1] / det, -s[0][1] / det],
        [-s[1][0] / det, s[0][0] / det],
    ];
    let apply = |m: [f64; 2]| {
        [
            inv[0][0] * m[0] + inv[0][1] * m[1],
            inv[1][0] * m[0] + inv[1][1] * m[1],
        ]
    };
    let (a0, a1) = (apply(means[0]), apply(means[1]));
    let w = [a1[0] - a0[0], a1[1] - a0[1]];
    let counts = data.counts();
    let b = -0.5 * (means[1][0] * a1[0] + means[1][1] * a1[1])
        + 0.5 * (means[0][0] * a0[0] + means[0][1] * a0[1])
        + (counts[1] as f64 / counts[0] as f64).ln();
    assert!((boundary.weights[0] - w[0]).abs() < 1e-9);
    assert!((boundary.weights[1] - w[1]).abs() < 1e-9);
    assert!((boundary.bias - b).abs() < 1e-9);

    // And the classifier's own log-odds are this linear function.
    for x in [[0.3, -2.0], [2.0, 1.0], [-1.5, 0.7]] {
        let joint = classifier.log_joint(&x);
        assert!((joint[1] - joint[0] - boundary.value(&x)).abs() < 1e-9);
    }
}

#[test]
fn accuracy_approaches_the_bayes_optimal_accuracy() {
    let (m0, m1) = ([0.0, 0.0], [1.6, 0.8]);
    let s = [[1.0, 0.3], [0.3, 1.0]];
    // Δ² = dᵀ Σ⁻¹ d; with equal priors the Bayes-optimal accuracy is Φ(Δ/2).
    let d: [f64; 2] = [1.6, 0.8];
    let det: f64 = 1.0 - 0.09;
    let delta = ((d[0] * d[0] - 2.0 * 0.3 * d[0] * d[1] + d[1] * d[1]) / det).sqrt();
    let optimal = Gaussian::new(0.0, 1.0).unwrap().cdf(delta / 2.0);
    let train = two_class_sample(0.5, m0, m1, s, 20_000, 1);
    let test = two_class_sample(0.5, m0, m1, s, 20_000, 2);
    for family in [Family::Lda, Family::Qda] {
        let classifier = GenerativeClassifier::fit(&train, &options(family)).unwrap();
        let accuracy = classifier.accuracy(&test);
        // The standard error of an accuracy near 0.8 on 20 000 points is about 0.003.
        assert!(
            (accuracy - optimal).abs() < 0.012,
            "{family:?}: {accuracy} vs Φ(Δ/2) = {optimal}"
        );
    }
}

#[test]
fn logistic_regression_reaches_the_lda_direction() {
    let data = ClassPreset::TwoGaussians.generate(20_000, 4);
    let lda =
        lda_boundary(&GenerativeClassifier::fit(&data, &options(Family::Lda)).unwrap()).unwrap();
    let mut logistic = LogisticRegression::new(&data).unwrap();
    logistic.fit();
    let angle = lda.angle_to(&logistic.boundary());
    assert!(angle < 2.0, "angle {angle}°");
}

#[test]
fn gradient_steps_lower_the_loss_toward_newtons_optimum() {
    let data = ClassPreset::TwoGaussians.generate(300, 8);
    let mut gd = LogisticRegression::new(&data).unwrap();
    let mut last = gd.objective();
    assert!(
        (last - std::f64::consts::LN_2).abs() < 1e-12,
        "w = 0 gives ln 2"
    );
    for _ in 0..200 {
        gd.gradient_step();
        let now = gd.objective();
        assert!(now <= last + 1e-15, "{now} > {last}");
        last = now;
    }
    let mut newton = LogisticRegression::new(&data).unwrap();
    newton.fit();
    assert!(newton.objective() <= last);
    assert!(
        last - newton.objective() < 0.02,
        "GD is close after 200 steps"
    );
    for _ in 0..5000 {
        gd.gradient_step();
    }
    assert!(gd.boundary().angle_to(&newton.boundary()) < 1.0);
}

#[test]
fn a_mixture_per_class_beats_one_gaussian_on_the_moons() {
    let data = ClassPreset::Moons.generate(400, 1);
    let held_out = ClassPreset::Moons.generate(400, 2);
    let qda = GenerativeClassifier::fit(&data, &options(Family::Qda)).unwrap();
    let mixture =
        GenerativeClassifier::fit(&data, &options(Family::Mixture { components: 3 })).unwrap();
    let (q, m) = (qda.accuracy(&held_out), mixture.accuracy(&held_out));
    eprintln!("moons held-out accuracy: QDA {q}, mixture of 3 per class {m}");
    assert!(q < 0.92, "{q}");
    assert!(m > 0.96, "{m}");
    assert!(m > q + 0.05);
    assert!(mixture.log_loss(&held_out) < qda.log_loss(&held_out));
}

#[test]
fn em_iterations_raise_the_mixture_fit() {
    let data = ClassPreset::Moons.generate(400, 1);
    let mut classifier =
        GenerativeClassifier::start(&data, &options(Family::Mixture { components: 2 })).unwrap();
    // EM raises each class's own log-likelihood Σ ln p(x_i | y_i), not the log loss.
    let class_log_likelihood = |c: &GenerativeClassifier| -> f64 {
        data.points()
            .iter()
            .zip(data.labels())
            .map(|(p, &y)| c.densities()[y].as_ref().unwrap().log_density(p))
            .sum()
    };
    assert_eq!(classifier.em_iterations(), 0);
    let mut last = class_log_likelihood(&classifier);
    for _ in 0..10 {
        classifier.em_iterate(3).unwrap();
        let now = class_log_likelihood(&classifier);
        assert!(now >= last - 1e-9, "{now} < {last}");
        last = now;
    }
    assert_eq!(classifier.em_iterations(), 30);
}

#[test]
fn parameter_counts() {
    let data = ClassPreset::TwoGaussians.generate(100, 1);
    let count = |family| {
        GenerativeClassifier::fit(&data, &options(family))
            .unwrap()
            .n_parameters()
    };
    assert_eq!(count(Family::Qda), 1 + 2 * (2 + 3));
    assert_eq!(count(Family::Lda), 1 + 2 * 2 + 3);
    assert_eq!(count(Family::NaiveBayes), 1 + 2 * (2 + 2));
    assert_eq!(
        count(Family::Mixture { components: 3 }),
        1 + 2 * (2 + 3 * 5)
    );
}

#[test]
fn the_marginal_density_flags_points_unlike_every_class() {
    let data = ClassPreset::TwoGaussians.generate(300, 2);
    let classifier = GenerativeClassifier::fit(&data, &options(Family::Qda)).unwrap();
    assert!(!classifier.is_out_of_distribution(&[0.0, 0.0], 1e-3));
    assert!(classifier.is_out_of_distribution(&[9.0, 4.5], 1e-3));
    // Far away the posterior is still confident: only p(x) says "unlike anything seen".
    assert!(classifier.posterior(&[9.0, 4.5]).iter().any(|p| *p > 0.99));
    let explanation = classifier.explain(&[0.4, 0.1]);
    assert!((explanation.evidence.ln() - explanation.log_evidence).abs() < 1e-12);
    for y in 0..2 {
        let product = explanation.priors[y] * explanation.likelihoods[y];
        assert!((product - explanation.products[y]).abs() < 1e-12 * product.max(1e-300));
        assert!((product / explanation.evidence - explanation.posteriors[y]).abs() < 1e-12);
    }
}

#[test]
fn same_seed_same_data() {
    for &preset in ClassPreset::ALL {
        assert_eq!(preset.generate(120, 7), preset.generate(120, 7));
        assert_ne!(preset.generate(120, 7), preset.generate(120, 8));
        assert_eq!(ClassPreset::from_api_name(preset.api_name()), Some(preset));
    }
    let imbalanced = ClassPreset::Imbalanced.generate(1000, 3).counts();
    assert!((850..950).contains(&imbalanced[0]), "{imbalanced:?}");
}

#[test]
fn an_empty_class_gets_prior_zero_and_is_named() {
    let data = LabeledData::new(
        vec![[0.0, 0.0], [1.0, 0.5], [0.3, 1.0], [2.0, 2.0]],
        vec![0, 0, 0, 2],
        3,
    )
    .unwrap();
    for smoothing in [false, true] {
        let fit = GenerativeClassifier::fit(
            &data,
            &FitOptions {
                smoothing,
                ..FitOptions::default()
            },
        )
        .unwrap();
        assert_eq!(fit.priors()[1], 0.0);
        assert!(fit.notes().contains(&FitNote::EmptyClass { class: 1 }));
        let text = fit.notes()[0].to_string();
        assert!(text.contains("class 1 has no points"), "{text}");
        assert!(fit.posterior(&[5.0, -3.0])[1] == 0.0);
        let expected = if smoothing { 4.0 / 6.0 } else { 0.75 };
        assert!(
            (fit.priors()[0] - expected).abs() < 1e-12,
            "{:?}",
            fit.priors()
        );
    }
}

#[test]
fn a_small_class_is_regularised_and_says_so() {
    let data = LabeledData::new(
        vec![[0.0, 0.0], [1.0, 0.5], [0.3, 1.0], [3.0, 3.0], [3.5, 3.0]],
        vec![0, 0, 0, 1, 1],
        2,
    )
    .unwrap();
    let fit = GenerativeClassifier::fit(&data, &options(Family::Qda)).unwrap();
    let note = fit
        .notes()
        .iter()
        .find(|n| matches!(n, FitNote::Regularised { class: 1, .. }))
        .expect("class 1 regularised");
    assert!(note.to_string().contains("reg_covar"), "{note}");
    let covariance = fit.densities()[1].as_ref().unwrap().covariances()[0];
    // Two points 0.5 apart in x: variance 0.0625 in x, 0 in y, plus 0.1 + 1e-6.
    assert!((covariance[1][1] - (0.1 + 1e-6)).abs() < 1e-12);
    assert!((covariance[0][0] - (0.0625 + 0.1 + 1e-6)).abs() < 1e-12);
    assert!(fit
        .notes()
        .iter()
        .all(|n| !matches!(n, FitNote::Regularised { class: 0, .. })));
}

#[test]
fn bad_inputs_give_their_messages() {
    let err = LabeledData::new(
        vec![[0.0, 0.0], [1.0, 1.0], [f64::NAN, 0.0]],
        vec![0, 1, 0],
        2,
    )
    .unwrap_err();
    assert!(matches!(err, ClassifyError::NonFinite { row: 2, .. }));
    assert!(err.to_string().contains("row 2"), "{err}");
    let err = LabeledData::new(vec![[0.0, 0.0]], vec![3], 2).unwrap_err();
    assert!(
        err.to_string().contains("the class must be 0 or 1"),
        "{err}"
    );
    assert_eq!(Family::from_api_name("bogus"), None);
    let err = check_components(0).unwrap_err().to_string();
    assert!(
        err.contains("components = 0") && err.contains("from 1 to 4"),
        "{err}"
    );
    let err = Prior::two_class(1.5).unwrap_err().to_string();
    assert!(err.contains("prior = 1.5"), "{err}");
    let empty = LabeledData::new(vec![], vec![], 2).unwrap();
    assert_eq!(
        GenerativeClassifier::fit(&empty, &FitOptions::default()).unwrap_err(),
        ClassifyError::NoPoints
    );
    let one_class = LabeledData::new(vec![[0.0, 0.0], [1.0, 0.0]], vec![0, 0], 2).unwrap();
    assert_eq!(
        LogisticRegression::new(&one_class).unwrap_err(),
        ClassifyError::NeedsTwoClasses
    );
    assert!(LabeledData::new(vec![], vec![], 5).is_err());
}
