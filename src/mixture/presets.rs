//! Seeded data sets to fit mixtures to, each with the mixture that generated it where one exists.
//!
//! Owns [`Preset`] and the preset functions. Every function takes the number of points and a
//! seed; the same seed gives the same points.

use super::model::{CovarianceType, Dataset, GaussianMixture};
use crate::rng::{self, Rng};
use std::f64::consts::TAU;

/// Points and, when they were drawn from a mixture, that mixture and each point's component.
#[derive(Debug, Clone)]
pub struct Preset<const D: usize> {
    pub data: Dataset<D>,
    /// The generating mixture; None when no mixture generated the data (the ring).
    pub truth: Option<GaussianMixture<D>>,
    /// The component each point came from, when `truth` is Some.
    pub labels: Option<Vec<usize>>,
}

fn from_truth<const D: usize>(truth: GaussianMixture<D>, n: usize, seed: u64) -> Preset<D> {
    let mut rng = rng::seeded(seed);
    let (points, labels) = truth.sample(n.max(1), &mut rng);
    Preset {
        data: Dataset::from_points(&points).expect("samples of a valid mixture are finite"),
        truth: Some(truth),
        labels: Some(labels),
    }
}

fn full_2d(
    weights: &[f64],
    means: &[[f64; 2]],
    covariances: &[[[f64; 2]; 2]],
) -> GaussianMixture<2> {
    GaussianMixture::new(
        weights.to_vec(),
        means.to_vec(),
        covariances.to_vec(),
        CovarianceType::Full,
    )
    .expect("preset parameters are valid")
}

/// Three round-ish, well-separated blobs: the easy case EM recovers from any start.
pub fn well_separated_blobs(n: usize, seed: u64) -> Preset<2> {
    let truth = full_2d(
        &[0.3, 0.3, 0.4],
        &[[-5.0, 0.0], [5.0, 0.0], [0.0, 7.0]],
        &[
            [[1.0, 0.2], [0.2, 0.8]],
            [[0.7, -0.1], [-0.1, 1.2]],
            [[1.1, 0.0], [0.0, 0.9]],
        ],
    );
    from_truth(truth, n, seed)
}

/// Long, tilted ellipses: full covariances fit them, spherical ones need more components.
pub fn anisotropic(n: usize, seed: u64) -> Preset<2> {
    let truth = full_2d(
        &[0.5, 0.5],
        &[[-3.0, 0.0], [3.0, 1.0]],
        &[[[4.0, 3.4], [3.4, 3.2]], [[3.0, -2.4], [-2.4, 2.3]]],
    );
    from_truth(truth, n, seed)
}

/// One large component and two small ones (weights 0.8, 0.15, 0.05).
pub fn unbalanced(n: usize, seed: u64) -> Preset<2> {
    let truth = full_2d(
        &[0.8, 0.15, 0.05],
        &[[0.0, 0.0], [6.0, 4.0], [-5.0, 5.0]],
        &[
            [[2.0, 0.3], [0.3, 1.5]],
            [[0.5, 0.0], [0.0, 0.5]],
            [[0.3, 0.1], [0.1, 0.3]],
        ],
    );
    from_truth(truth, n, seed)
}

/// Three components close enough that their points mix: responsibilities are far from 0 and 1.
pub fn overlapping(n: usize, seed: u64) -> Preset<2> {
    let truth = full_2d(
        &[0.35, 0.35, 0.3],
        &[[-1.0, 0.0], [1.0, 0.5], [0.0, 1.8]],
        &[
            [[1.0, 0.3], [0.3, 1.0]],
            [[1.2, -0.2], [-0.2, 0.8]],
            [[0.9, 0.0], [0.0, 1.1]],
        ],
    );
    from_truth(truth, n, seed)
}

/// Points around a circle of radius 5 with a little radial noise: no small mixture fits it, a
/// good case for watching BIC ask for many components.
pub fn ring(n: usize, seed: u64) -> Preset<2> {
    let mut rng: Rng = rng::seeded(seed);
    let points: Vec<[f64; 2]> = (0..n.max(1))
        .map(|_| {
            let angle = TAU * rng::uniform(&mut rng);
            let radius = 5.0 + 0.3 * rng::standard_normal(&mut rng);
            [radius * angle.cos(), radius * angle.sin()]
        })
        .collect();
    Preset {
        data: Dataset::from_points(&points).expect("ring points are finite"),
        truth: None,
        labels: None,
    }
}

/// A 1-D mixture of three Gaussians on a line.
pub fn one_dimensional(n: usize, seed: u64) -> Preset<1> {
    let truth = GaussianMixture::new(
        vec![0.5, 0.3, 0.2],
        vec![[-4.0], [1.0], [5.0]],
        vec![[[1.0]], [[0.5]], [[1.5]]],
        CovarianceType::Full,
    )
    .expect("preset parameters are valid");
    from_truth(truth, n, seed)
}
