//! EM agrees with scikit-learn's GaussianMixture from the same start (fixture written by
//! scripts/fixtures/em_sklearn.py): weights, means, covariances and lower_bound after a fixed
//! number of iterations, for full, diag and spherical covariances in 2-D and for 1-D.

use genplay::choice::Choice;
use genplay::mixture::{CovarianceType, Dataset, Em, EmOptions, GaussianMixture, Kernel};
use serde_json::Value;

const TOLERANCE: f64 = 1e-8;

fn numbers(v: &Value) -> Vec<f64> {
    match v {
        Value::Array(items) => items.iter().flat_map(numbers).collect(),
        other => vec![other.as_f64().expect("a number")],
    }
}

fn covariance_type(name: &str) -> CovarianceType {
    CovarianceType::from_api_name(name).unwrap_or_else(|| panic!("unknown covariance type {name}"))
}

fn mixture<const D: usize>(v: &Value, covariance_type: CovarianceType) -> GaussianMixture<D> {
    let means = numbers(&v["means"]);
    let covariances = numbers(&v["covariances"]);
    let weights = numbers(&v["weights"]);
    let k = weights.len();
    assert_eq!(
        means.len(),
        k * D,
        "fixture: {k} weights but {} mean numbers",
        means.len()
    );
    assert_eq!(
        covariances.len(),
        k * D * D,
        "fixture: {k} weights but {} covariance numbers",
        covariances.len()
    );
    GaussianMixture::new(
        weights.clone(),
        means
            .chunks(D)
            .map(|c| std::array::from_fn(|a| c[a]))
            .collect(),
        covariances
            .chunks(D * D)
            .map(|c| std::array::from_fn(|a| std::array::from_fn(|b| c[a * D + b])))
            .collect(),
        covariance_type,
    )
    .expect("fixture mixture is valid")
}

fn close(ours: f64, theirs: f64, what: &str, case: &str) {
    assert!(
        (ours - theirs).abs() <= TOLERANCE * theirs.abs().max(1.0),
        "{case}: {what} is {ours}, scikit-learn has {theirs}"
    );
}

/// Every number against scikit-learn's, after checking there are as many (a different K or
/// dimension must fail, not be cut short by `zip`).
fn close_all(ours: &[f64], theirs: &[f64], what: &str, case: &str) {
    assert_eq!(
        ours.len(),
        theirs.len(),
        "{case}: {} {what} numbers, scikit-learn has {}",
        ours.len(),
        theirs.len()
    );
    for (o, t) in ours.iter().zip(theirs) {
        close(*o, *t, &format!("a {what}"), case);
    }
}

fn check_case<const D: usize>(case: &Value, kernel: Kernel) {
    let name = case["name"].as_str().unwrap();
    let covariance_type = covariance_type(case["covariance_type"].as_str().unwrap());
    let data = Dataset::<D>::from_interleaved(&numbers(&case["points"])).unwrap();
    let start = mixture::<D>(&case["init"], covariance_type);
    let options = EmOptions {
        tol: 0.0,
        max_iter: case["max_iter"].as_u64().unwrap() as usize,
        reg_covar: case["reg_covar"].as_f64().unwrap(),
        kernel,
        ..EmOptions::default()
    };
    let mut em = Em::from_mixture(data, start, options).unwrap();
    em.run().unwrap();
    let sk = &case["sklearn"];
    assert_eq!(em.n_iter() as u64, sk["n_iter"].as_u64().unwrap(), "{name}");
    assert!(!em.converged(), "{name}: tol = 0 never converges");
    close(
        em.lower_bound(),
        sk["lower_bound"].as_f64().unwrap(),
        "lower_bound",
        name,
    );
    close_all(em.weights(), &numbers(&sk["weights"]), "weight", name);
    let ours: Vec<f64> = em.means().iter().flatten().copied().collect();
    close_all(&ours, &numbers(&sk["means"]), "mean coordinate", name);
    let ours: Vec<f64> = em
        .covariances()
        .iter()
        .flatten()
        .flatten()
        .copied()
        .collect();
    close_all(
        &ours,
        &numbers(&sk["covariances"]),
        "covariance entry",
        name,
    );
}

fn fixture() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/em_sklearn.json"
    ))
    .expect("run scripts/fixtures/em_sklearn.py to write the fixture");
    serde_json::from_str(&text).expect("valid JSON")
}

#[test]
fn fast_and_reference_kernels_match_scikit_learn_for_every_covariance_type() {
    let fixture = fixture();
    let cases = fixture["cases"].as_array().unwrap();
    let types: Vec<&str> = cases
        .iter()
        .map(|c| c["covariance_type"].as_str().unwrap())
        .collect();
    for t in ["full", "diag", "spherical"] {
        assert!(types.contains(&t), "fixture lacks a {t} case");
    }
    for case in cases {
        for kernel in [Kernel::Fast, Kernel::Reference] {
            match case["dim"].as_u64().unwrap() {
                1 => check_case::<1>(case, kernel),
                2 => check_case::<2>(case, kernel),
                d => panic!("unexpected dimension {d}"),
            }
        }
    }
}
