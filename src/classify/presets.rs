//! Seeded labelled data sets for the Classify lab, each showing one lesson.
//!
//! Owns [`ClassPreset`]. Each preset but the moons is a Gaussian mixture whose components are
//! the classes; the moons are noisy half-circles. The same seed gives the same points.

use super::LabeledData;
use crate::choice::Choice;
use crate::mixture::{CovarianceType, GaussianMixture};
use crate::rng::{self, Rng};
use std::f64::consts::PI;

/// The data sets the lab offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClassPreset {
    /// Two Gaussian classes with one shared, tilted covariance: LDA's own model.
    TwoGaussians,
    /// A tight round class beside a wide tilted one: QDA's curved boundary fits, LDA's line does not.
    DifferentCovariances,
    /// Three classes.
    ThreeClasses,
    /// Two interleaved half-moons: one Gaussian per class cannot bend around the other class, a
    /// mixture of two or three Gaussians per class can.
    Moons,
    /// Two overlapping classes, 90 % / 10 %: the prior pushes the boundary into the rare class.
    Imbalanced,
}

impl Choice for ClassPreset {
    const ALL: &'static [Self] = &[
        ClassPreset::TwoGaussians,
        ClassPreset::DifferentCovariances,
        ClassPreset::ThreeClasses,
        ClassPreset::Moons,
        ClassPreset::Imbalanced,
    ];

    fn api_name(self) -> &'static str {
        match self {
            ClassPreset::TwoGaussians => "two_gaussians",
            ClassPreset::DifferentCovariances => "different_covariances",
            ClassPreset::ThreeClasses => "three_classes",
            ClassPreset::Moons => "moons",
            ClassPreset::Imbalanced => "imbalanced",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ClassPreset::TwoGaussians => "Two Gaussians (shared shape)",
            ClassPreset::DifferentCovariances => "Different covariances",
            ClassPreset::ThreeClasses => "Three classes",
            ClassPreset::Moons => "Two moons",
            ClassPreset::Imbalanced => "Imbalanced (90% / 10%)",
        }
    }
}

impl ClassPreset {
    /// The number of classes.
    pub fn n_classes(self) -> usize {
        match self {
            ClassPreset::ThreeClasses => 3,
            _ => 2,
        }
    }

    /// The generating mixture and the class of each of its components.
    fn truth(self) -> (GaussianMixture<2>, Vec<usize>) {
        let round = |s: f64| [[s, 0.0], [0.0, s]];
        let (weights, means, covariances, classes): (Vec<f64>, Vec<[f64; 2]>, Vec<_>, Vec<usize>) =
            match self {
                ClassPreset::TwoGaussians => (
                    vec![0.5, 0.5],
                    vec![[-1.2, -0.6], [1.2, 0.6]],
                    vec![[[1.0, 0.6], [0.6, 1.0]]; 2],
                    vec![0, 1],
                ),
                ClassPreset::DifferentCovariances => (
                    vec![0.5, 0.5],
                    vec![[-1.0, 0.5], [1.0, -0.3]],
                    vec![round(0.25), [[2.2, -1.2], [-1.2, 1.6]]],
                    vec![0, 1],
                ),
                ClassPreset::ThreeClasses => (
                    vec![1.0 / 3.0; 3],
                    vec![[-2.0, -1.2], [2.0, -1.2], [0.0, 2.0]],
                    vec![
                        [[0.8, 0.3], [0.3, 0.7]],
                        [[0.7, -0.3], [-0.3, 0.8]],
                        [[1.0, 0.0], [0.0, 0.6]],
                    ],
                    vec![0, 1, 2],
                ),
                ClassPreset::Moons => unreachable!("the moons are not a mixture"),
                ClassPreset::Imbalanced => (
                    vec![0.9, 0.1],
                    vec![[-0.8, 0.0], [1.2, 0.4]],
                    vec![[[1.1, 0.2], [0.2, 1.0]], [[0.8, 0.2], [0.2, 0.8]]],
                    vec![0, 1],
                ),
            };
        let mixture = GaussianMixture::new(weights, means, covariances, CovarianceType::Full)
            .expect("preset parameters are valid");
        (mixture, classes)
    }

    /// `n` points drawn with `seed`.
    pub fn generate(self, n: usize, seed: u64) -> LabeledData {
        let mut rng = rng::seeded(seed);
        if self == ClassPreset::Moons {
            return moons(n, &mut rng);
        }
        let (mixture, classes) = self.truth();
        let (points, components) = mixture.sample(n, &mut rng);
        let labels = components.into_iter().map(|k| classes[k]).collect();
        LabeledData::new(points, labels, self.n_classes()).expect("samples are finite and labelled")
    }
}

/// The standard deviation of the moons' noise around their half-circles.
const MOON_NOISE: f64 = 0.25;

/// Class 0 on the upper half-circle of radius 2 around (−1, −0.5), class 1 on the lower one around
/// (1, 0.5): each moon's tips reach into the other's hollow.
fn moons(n: usize, rng: &mut Rng) -> LabeledData {
    let mut points = Vec::with_capacity(n);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % 2;
        let t = PI * rng::uniform(rng);
        let (cx, cy, sign) = if class == 0 {
            (-1.0, -0.5, 1.0)
        } else {
            (1.0, 0.5, -1.0)
        };
        points.push([
            cx + 2.0 * t.cos() + MOON_NOISE * rng::standard_normal(rng),
            cy + sign * 2.0 * t.sin() + MOON_NOISE * rng::standard_normal(rng),
        ]);
        labels.push(class);
    }
    LabeledData::new(points, labels, 2).expect("moon points are finite and labelled")
}
