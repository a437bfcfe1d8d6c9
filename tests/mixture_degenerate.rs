//! Degenerate inputs: each gives its documented message or recovery.

use genplay::mixture::{
    information_criteria, CovarianceType, Dataset, Em, EmOptions, GaussianMixture, Kernel,
    MixtureError,
};

fn points(v: &[[f64; 2]]) -> Dataset<2> {
    Dataset::from_points(v).unwrap()
}

#[test]
fn more_components_than_points_says_how_many_are_allowed() {
    let data = points(&[[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [2.0, 2.0], [3.0, 1.0]]);
    let err = Em::new(data.clone(), 9, EmOptions::default()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "k = 9 but there are only 5 points; choose k ≤ 5 or add points"
    );
    let err = information_criteria(&data, 8, &EmOptions::default()).unwrap_err();
    assert_eq!(err, MixtureError::TooManyComponents { k: 8, points: 5 });
    assert!(Em::new(data, 5, EmOptions::default()).is_ok());
}

#[test]
fn empty_data_is_refused_with_what_to_do() {
    let err = Dataset::<2>::from_points(&[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the data set is empty: add at least one point"
    );
    assert_eq!(
        Dataset::<1>::from_interleaved(&[]).unwrap_err(),
        MixtureError::EmptyData
    );
}

#[test]
fn non_finite_coordinates_are_refused_with_their_row() {
    let err =
        Dataset::from_points(&[[0.0, 1.0], [2.0, 3.0], [1.0, 1.0], [4.0, f64::NAN]]).unwrap_err();
    assert!(matches!(
        err,
        MixtureError::NonFinite { row: 3, column: 1, value } if value.is_nan()
    ));
    assert!(err
        .to_string()
        .starts_with("row 3 has a non-finite coordinate (NaN in column 1)"));
    let err = Dataset::<2>::from_interleaved(&[0.0, 1.0, f64::INFINITY, 2.0]).unwrap_err();
    assert!(err
        .to_string()
        .starts_with("row 1 has a non-finite coordinate (inf in column 0)"));
    let err = Dataset::<2>::from_interleaved(&[0.0, 1.0, 2.0]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "got 3 numbers, which is not a whole number of 2-D points: give 2 numbers per point"
    );
}

#[test]
fn duplicate_points_fit_with_reg_covar_keeping_covariances_invertible() {
    let mut v = vec![[1.0, 2.0]; 20];
    v.extend([[5.0, 5.0], [5.1, 4.9], [4.9, 5.2], [5.0, 5.1]]);
    for kernel in [Kernel::Fast, Kernel::Reference] {
        let mut em = Em::new(
            points(&v),
            2,
            EmOptions {
                kernel,
                ..EmOptions::default()
            },
        )
        .unwrap();
        em.run().unwrap();
        assert!(em.lower_bound().is_finite());
        // The component on the 20 identical points has zero scatter: only reg_covar remains.
        let at_duplicates = (0..2)
            .find(|&k| (em.means()[k][0] - 1.0).abs() < 1e-9)
            .unwrap();
        let c = em.covariances()[at_duplicates];
        assert!((c[0][0] - 1e-6).abs() < 1e-12 && (c[1][1] - 1e-6).abs() < 1e-12);
        assert!((em.weights()[at_duplicates] - 20.0 / 24.0).abs() < 1e-9);
    }
    // All points identical, more components than distinct points: still a finite fit.
    let mut em = Em::new(points(&[[3.0, 3.0]; 6]), 3, EmOptions::default()).unwrap();
    em.run().unwrap();
    assert!(em.lower_bound().is_finite());
    assert!(em.means().iter().all(|m| *m == [3.0, 3.0]));
}

fn cluster_and_outlier() -> (Dataset<2>, GaussianMixture<2>) {
    let mut v: Vec<[f64; 2]> = (0..40)
        .map(|i| [(i % 7) as f64 * 0.3, (i % 5) as f64 * 0.4])
        .collect();
    v.push([30.0, 30.0]);
    let start = GaussianMixture::new(
        vec![0.9, 0.1],
        vec![[1.0, 1.0], [30.0, 30.0]],
        vec![[[1.0, 0.0], [0.0, 1.0]], [[0.01, 0.0], [0.0, 0.01]]],
        CovarianceType::Full,
    )
    .unwrap();
    (points(&v), start)
}

#[test]
fn a_component_collapsing_onto_one_point_stays_invertible_through_reg_covar() {
    let (data, start) = cluster_and_outlier();
    let mut em = Em::from_mixture(data, start, EmOptions::default()).unwrap();
    em.run().unwrap();
    assert_eq!(em.means()[1], [30.0, 30.0]);
    let c = em.covariances()[1];
    assert!((c[0][0] - 1e-6).abs() < 1e-12 && c[0][1].abs() < 1e-12);
    assert!((em.weights()[1] - 1.0 / 41.0).abs() < 1e-12);
    assert!(em.lower_bound().is_finite());
}

#[test]
fn a_collapse_without_reg_covar_is_reported_with_the_fix() {
    let (data, start) = cluster_and_outlier();
    let mut em = Em::from_mixture(
        data,
        start,
        EmOptions {
            reg_covar: 0.0,
            ..EmOptions::default()
        },
    )
    .unwrap();
    let err = em.run().unwrap_err();
    assert_eq!(err, MixtureError::Collapsed { component: 1 });
    assert!(err.to_string().contains("set reg_covar above 0"));
}

#[test]
fn a_component_with_no_points_is_reseeded_at_the_worst_explained_point() {
    let (data, _) = cluster_and_outlier();
    // Component 1 starts a million units away: every responsibility for it is 0.
    let start = GaussianMixture::new(
        vec![0.5, 0.5],
        vec![[1.0, 1.0], [1e6, 1e6]],
        vec![[[1.0, 0.0], [0.0, 1.0]]; 2],
        CovarianceType::Full,
    )
    .unwrap();
    for kernel in [Kernel::Fast, Kernel::Reference] {
        let mut em = Em::from_mixture(
            data.clone(),
            start.clone(),
            EmOptions {
                kernel,
                ..EmOptions::default()
            },
        )
        .unwrap();
        em.iterate().unwrap();
        let reseed = em.reseeds()[0];
        assert_eq!((reseed.iteration, reseed.component), (1, 1));
        // The outlier (row 40) is the point the starting mixture explains worst.
        assert_eq!(reseed.point, 40);
        assert_eq!(em.means()[1], [30.0, 30.0]);
        assert!((em.weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
        em.run().unwrap();
        assert!(em.lower_bound().is_finite());
        assert!(em.means().iter().flatten().all(|v| v.is_finite()));
    }
}

#[test]
fn m_step_before_e_step_and_bad_options_are_refused() {
    let (data, start) = cluster_and_outlier();
    let mut em = Em::from_mixture(data.clone(), start.clone(), EmOptions::default()).unwrap();
    let err = em.m_step().unwrap_err();
    assert_eq!(
        err.to_string(),
        "the M-step needs the responsibilities of an E-step: run the E-step first"
    );
    let err = Em::from_mixture(
        data,
        start,
        EmOptions {
            reg_covar: -1.0,
            ..EmOptions::default()
        },
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "reg_covar = -1 is not allowed: reg_covar must be a finite number ≥ 0"
    );
    let err = Em::new(points(&[[0.0, 0.0]]), 0, EmOptions::default()).unwrap_err();
    assert_eq!(err, MixtureError::NoComponents);
}

#[test]
fn invalid_mixtures_say_which_component_is_wrong() {
    let err = GaussianMixture::new(
        vec![0.5, 0.5],
        vec![[0.0, 0.0], [1.0, 1.0]],
        vec![[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]],
        CovarianceType::Full,
    )
    .unwrap_err();
    assert!(matches!(
        err,
        MixtureError::BadCovariance { component: 1, .. }
    ));
    assert!(err
        .to_string()
        .starts_with("the covariance of component 1 is not positive definite"));
    let err = GaussianMixture::new(
        vec![0.5, 0.6],
        vec![[0.0, 0.0], [1.0, 1.0]],
        vec![[[1.0, 0.0], [0.0, 1.0]]; 2],
        CovarianceType::Full,
    )
    .unwrap_err();
    assert_eq!(err, MixtureError::BadWeights { sum: 1.1 });
    let err = GaussianMixture::new(
        vec![1.0],
        vec![[0.0, 0.0]],
        vec![[[1.0, 0.1], [0.1, 1.0]]],
        CovarianceType::Diag,
    )
    .unwrap_err();
    assert!(err.to_string().contains("off-diagonal"));
}
