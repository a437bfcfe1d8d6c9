//! EM behaviour: the lower bound never decreases, known mixtures are recovered, the fast kernel
//! equals the reference one, the same seed gives the same run, and the half-step machine
//! alternates E and M.

use genplay::mixture::presets;
use genplay::mixture::{
    CovarianceType, Dataset, Em, EmOptions, GaussianMixture, HalfStep, Init, Kernel,
};
use genplay::rng;

const TYPES: [CovarianceType; 3] = [
    CovarianceType::Full,
    CovarianceType::Diag,
    CovarianceType::Spherical,
];

fn random_data(n: usize, seed: u64) -> Dataset<2> {
    let mut r = rng::seeded(seed);
    // Two loose clumps with a correlated spread, so EM has something to move towards.
    let points: Vec<[f64; 2]> = (0..n)
        .map(|i| {
            let (u, v) = (rng::standard_normal(&mut r), rng::standard_normal(&mut r));
            let shift = if i % 3 == 0 { 3.0 } else { 0.0 };
            [u + shift, 0.5 * u + v]
        })
        .collect();
    Dataset::from_points(&points).unwrap()
}

#[test]
fn lower_bound_never_decreases_over_200_iterations() {
    for seed in 0..12 {
        let data = random_data(150, seed);
        for k in [1, 2, 3, 5] {
            for covariance_type in TYPES {
                let options = EmOptions {
                    covariance_type,
                    seed,
                    tol: 0.0,
                    max_iter: 200,
                    init: if seed % 2 == 0 {
                        Init::KMeansPlusPlus
                    } else {
                        Init::Random
                    },
                    ..EmOptions::default()
                };
                let mut em = Em::new(data.clone(), k, options).unwrap();
                em.run().unwrap();
                assert!(em.reseeds().is_empty());
                let history = em.lower_bound_history();
                assert_eq!(history.len(), 200);
                for w in history.windows(2) {
                    assert!(
                        w[1] >= w[0] - 1e-9 * w[0].abs(),
                        "seed {seed}, k {k}, {covariance_type:?}: {} then {}",
                        w[0],
                        w[1]
                    );
                }
            }
        }
    }
}

/// Index of the fitted component nearest to each true component's mean.
fn match_by_mean(truth: &GaussianMixture<2>, fitted: &[[f64; 2]]) -> Vec<usize> {
    let distance = |a: &[f64; 2], b: &[f64; 2]| (a[0] - b[0]).hypot(a[1] - b[1]);
    let matched: Vec<usize> = truth
        .means()
        .iter()
        .map(|m| {
            (0..fitted.len())
                .min_by(|&a, &b| distance(m, &fitted[a]).total_cmp(&distance(m, &fitted[b])))
                .unwrap()
        })
        .collect();
    let mut sorted = matched.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(
        sorted.len(),
        truth.k(),
        "two true components matched one fitted"
    );
    matched
}

#[test]
fn em_recovers_a_well_separated_mixture_whatever_the_label_order() {
    for seed in [1, 2, 3] {
        let preset = presets::well_separated_blobs(3000, seed);
        let truth = preset.truth.unwrap();
        let options = EmOptions {
            seed,
            ..EmOptions::default()
        };
        let mut em = Em::new(preset.data, 3, options).unwrap();
        em.run().unwrap();
        assert!(em.converged());
        let matched = match_by_mean(&truth, em.means());
        for (t, &f) in matched.iter().enumerate() {
            // Sampling error with ~1000 points per component: about 0.015 on weights,
            // 0.03 on means, 0.05 on covariance entries; allow about 4 of them.
            assert!((truth.weights()[t] - em.weights()[f]).abs() < 0.04);
            for a in 0..2 {
                assert!((truth.means()[t][a] - em.means()[f][a]).abs() < 0.15);
                for b in 0..2 {
                    let (x, y) = (truth.covariances()[t][a][b], em.covariances()[f][a][b]);
                    assert!((x - y).abs() < 0.2, "cov[{a}][{b}] true {x} fitted {y}");
                }
            }
        }
    }
}

#[test]
fn em_recovers_a_one_dimensional_mixture() {
    let preset = presets::one_dimensional(3000, 4);
    let truth = preset.truth.unwrap();
    let mut em = Em::new(preset.data, 3, EmOptions::default()).unwrap();
    em.run().unwrap();
    let mut fitted: Vec<(f64, f64, f64)> = (0..3)
        .map(|k| (em.means()[k][0], em.weights()[k], em.covariances()[k][0][0]))
        .collect();
    fitted.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (k, (mean, weight, variance)) in fitted.iter().enumerate() {
        assert!((mean - truth.means()[k][0]).abs() < 0.15, "mean {mean}");
        assert!(
            (weight - truth.weights()[k]).abs() < 0.04,
            "weight {weight}"
        );
        assert!(
            (variance - truth.covariances()[k][0][0]).abs() < 0.25,
            "variance {variance}"
        );
    }
}

fn assert_relative(a: f64, b: f64, scale: f64, what: &str) {
    assert!(
        (a - b).abs() <= 1e-9 * (a.abs().max(b.abs()) + scale),
        "{what}: fast {a}, reference {b}"
    );
}

#[test]
fn fast_kernel_equals_reference_kernel() {
    // 1000 points: several full blocks of 256 and a ragged last one.
    let data = presets::overlapping(1000, 9).data;
    for covariance_type in TYPES {
        for k in [1, 4, 8] {
            let options = EmOptions {
                covariance_type,
                tol: 0.0,
                seed: 3,
                ..EmOptions::default()
            };
            let mut fast = Em::new(data.clone(), k, options.clone()).unwrap();
            let mut reference = Em::new(
                data.clone(),
                k,
                EmOptions {
                    kernel: Kernel::Reference,
                    ..options
                },
            )
            .unwrap();
            for _ in 0..30 {
                fast.e_step();
                reference.e_step();
                let (rf, rr) = (
                    fast.responsibilities().unwrap(),
                    reference.responsibilities().unwrap(),
                );
                assert!(rf.iter().zip(rr).all(|(a, b)| (a - b).abs() < 1e-12));
                assert_relative(
                    fast.lower_bound(),
                    reference.lower_bound(),
                    0.0,
                    "lower bound",
                );
                fast.m_step().unwrap();
                reference.m_step().unwrap();
            }
            for c in 0..k {
                assert_relative(fast.weights()[c], reference.weights()[c], 0.0, "weight");
                let scale = reference.covariances()[c][0][0] + reference.covariances()[c][1][1];
                for a in 0..2 {
                    assert_relative(
                        fast.means()[c][a],
                        reference.means()[c][a],
                        scale.sqrt(),
                        "mean",
                    );
                    for b in 0..2 {
                        let (x, y) = (
                            fast.covariances()[c][a][b],
                            reference.covariances()[c][a][b],
                        );
                        assert_relative(x, y, scale, "covariance");
                    }
                }
            }
        }
    }
}

#[test]
fn same_seed_same_run_and_different_seed_different_start() {
    let data = presets::overlapping(500, 2).data;
    for init in [Init::KMeansPlusPlus, Init::Random] {
        let run = |seed| {
            let mut em = Em::new(
                data.clone(),
                4,
                EmOptions {
                    seed,
                    init,
                    ..EmOptions::default()
                },
            )
            .unwrap();
            em.run().unwrap();
            em
        };
        let (a, b, c) = (run(11), run(11), run(12));
        assert_eq!(a.mixture(), b.mixture());
        assert_eq!(a.lower_bound_history(), b.lower_bound_history());
        assert_ne!(a.lower_bound_history()[0], c.lower_bound_history()[0]);
    }
}

#[test]
fn half_steps_alternate_and_the_lower_bound_matches_the_score_of_the_e_step_parameters() {
    let data = presets::overlapping(300, 5).data;
    let mut em = Em::new(data.clone(), 3, EmOptions::default()).unwrap();
    assert_eq!(em.next_half_step(), HalfStep::E);
    assert!(em.responsibilities().is_none());
    let before = em.mixture().clone();
    assert_eq!(em.step().unwrap(), HalfStep::E);
    assert_eq!(em.next_half_step(), HalfStep::M);
    assert!((em.lower_bound() - before.score(&data)).abs() < 1e-12);
    // The UI reads responsibilities after an E-step: each row sums to 1.
    let r = em.responsibilities().unwrap();
    assert_eq!(r.len(), 300 * 3);
    assert!(r
        .chunks(3)
        .all(|row| (row.iter().sum::<f64>() - 1.0).abs() < 1e-12));
    assert_eq!(em.step().unwrap(), HalfStep::M);
    assert_eq!(em.n_iter(), 1);
    assert_ne!(em.mixture(), &before);
    // Running the E-step twice replaces, not duplicates, its history entry.
    em.e_step();
    em.e_step();
    assert_eq!(em.lower_bound_history().len(), 2);
}

#[test]
fn run_stops_when_the_lower_bound_changes_less_than_tol() {
    let data = presets::well_separated_blobs(600, 8).data;
    let mut em = Em::new(
        data,
        3,
        EmOptions {
            tol: 1e-3,
            ..EmOptions::default()
        },
    )
    .unwrap();
    em.run().unwrap();
    assert!(em.converged());
    let h = em.lower_bound_history();
    assert_eq!(h.len(), em.n_iter());
    assert!((h[h.len() - 1] - h[h.len() - 2]).abs() < 1e-3);
    assert!(h
        .windows(2)
        .rev()
        .skip(1)
        .all(|w| (w[1] - w[0]).abs() >= 1e-3));
}

#[test]
fn fast_kernel_without_stored_responsibilities_gives_the_same_fit() {
    let data = presets::anisotropic(800, 3).data;
    let fit = |keep_responsibilities| {
        let mut em = Em::new(
            data.clone(),
            2,
            EmOptions {
                keep_responsibilities,
                ..EmOptions::default()
            },
        )
        .unwrap();
        em.run().unwrap();
        em
    };
    let (kept, skipped) = (fit(true), fit(false));
    assert_eq!(kept.mixture(), skipped.mixture());
    assert!(skipped.responsibilities().is_none());
}
