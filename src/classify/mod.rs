//! Generative classifiers on 2-D points: fit P(y) and p(x | y) for each class, classify by
//! Bayes' rule.
//!
//! This module owns what the Classify lab teaches:
//! - [`LabeledData`]: validated points with a class label each, C = 2..4 classes;
//! - [`Family`]: the shape of p(x | y): QDA (a full covariance per class), LDA (one shared
//!   covariance, so the boundary is a line), naive Bayes (a diagonal covariance per class) or a
//!   Gaussian mixture per class fitted by EM (curved, multi-modal classes);
//! - [`GenerativeClassifier`]: the fitted priors and class densities, posteriors P(y | x) by
//!   Bayes' rule in log space, predictions, accuracy, log loss, grids for heatmaps, the marginal
//!   p(x) as an "unlike any class" flag, and [`GenerativeClassifier::explain`] with every number
//!   of Bayes' rule at one point;
//! - [`lda_boundary`]: the closed-form linear log-odds w·x + b of LDA, to compare with the
//!   discriminatively fitted [`logistic::LogisticRegression`];
//! - [`presets`]: seeded data sets.
//!
//! Degenerate cases are reported, not hidden: a class with no points gets prior 0 and is never
//! predicted (a [`FitNote::EmptyClass`] names it); a class with fewer points than its covariance
//! needs (3 for a full 2-D covariance, 2 for a diagonal one) gets [`SMALL_CLASS_REG_COVAR`] added
//! to its covariance's diagonal ([`FitNote::Regularised`]); a mixture class with fewer points than
//! components gets fewer components ([`FitNote::FewerComponents`]). Every covariance also gets
//! `reg_covar` (default 1e-6, as scikit-learn's `GaussianMixture`) so that duplicate points keep
//! it invertible; the mixture family uses at least [`MIXTURE_REG_COVAR`] (1e-3), because EM on a
//! few points per component would otherwise shrink components onto single points.

// Matrix loops read as the formulas do (Σ_ab, x_a) with index variables.
#![allow(clippy::needless_range_loop)]

pub mod logistic;
pub mod presets;

use crate::mixture::{CovarianceType, Dataset, Em, EmOptions, GaussianMixture, MixtureError};
use crate::prob::{log_sum_exp, ParamError};
use std::fmt;

/// The fewest classes and the most.
pub const MIN_CLASSES: usize = 2;
pub const MAX_CLASSES: usize = 4;
/// The most mixture components per class.
pub const MAX_COMPONENTS: usize = 4;
/// Added to the covariance diagonal of a class with too few points for its covariance: a
/// variance of 0.1 (a standard deviation of about 0.3) keeps a one- or two-point class a small,
/// visible blob instead of a spike.
pub const SMALL_CLASS_REG_COVAR: f64 = 0.1;

/// What went wrong, with what to do about it.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassifyError {
    /// No points at all.
    NoPoints,
    /// A coordinate that is NaN or infinite; rows count from 0.
    NonFinite { row: usize, value: f64 },
    /// A label outside 0..n_classes.
    BadLabel {
        row: usize,
        label: usize,
        n_classes: usize,
    },
    /// Points and labels of different lengths.
    LengthMismatch { points: usize, labels: usize },
    /// A parameter outside its range (classes, components, prior, reg_covar).
    Param(ParamError),
    /// The fitted covariance could not be inverted (only with reg_covar = 0).
    Singular { class: usize },
    /// The logistic regression comparison needs points of classes 0 and 1.
    NeedsTwoClasses,
}

impl fmt::Display for ClassifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClassifyError::NoPoints => write!(f, "there are no points: add at least one point"),
            ClassifyError::NonFinite { row, value } => write!(
                f,
                "row {row} has a non-finite coordinate ({value}); every coordinate must be a \
                 finite number: fix or remove row {row} (rows count from 0)"
            ),
            ClassifyError::BadLabel {
                row,
                label,
                n_classes,
            } => write!(
                f,
                "row {row} has class {label}, but there are {n_classes} classes: the class \
                 must be a whole number from 0 to {} (rows count from 0)",
                n_classes - 1
            ),
            ClassifyError::LengthMismatch { points, labels } => write!(
                f,
                "got {points} points and {labels} labels: give one label per point"
            ),
            ClassifyError::Param(e) => e.fmt(f),
            ClassifyError::Singular { class } => write!(
                f,
                "the covariance of class {class} is singular (its points lie on a line): set \
                 reg_covar above 0"
            ),
            ClassifyError::NeedsTwoClasses => write!(
                f,
                "logistic regression here separates class 0 from class 1: add points of both"
            ),
        }
    }
}

impl std::error::Error for ClassifyError {}

impl From<ParamError> for ClassifyError {
    fn from(e: ParamError) -> Self {
        ClassifyError::Param(e)
    }
}

impl From<MixtureError> for ClassifyError {
    fn from(e: MixtureError) -> Self {
        match e {
            MixtureError::NonFinite { row, value, .. } => ClassifyError::NonFinite { row, value },
            MixtureError::EmptyData => ClassifyError::NoPoints,
            MixtureError::Param(p) => ClassifyError::Param(p),
            MixtureError::Collapsed { component } => ClassifyError::Singular { class: component },
            // The classifier builds every other mixture input itself, valid by construction.
            other => unreachable!("the classifier built an invalid mixture: {other}"),
        }
    }
}

/// Points in the plane, each with a class label 0..n_classes.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledData {
    points: Vec<[f64; 2]>,
    labels: Vec<usize>,
    n_classes: usize,
}

impl LabeledData {
    /// Checks the class count (2..=4), that every coordinate is finite and every label is a class.
    /// An empty set is allowed here (a student may clear the points); fitting needs a point.
    pub fn new(
        points: Vec<[f64; 2]>,
        labels: Vec<usize>,
        n_classes: usize,
    ) -> Result<Self, ClassifyError> {
        check_classes(n_classes)?;
        if points.len() != labels.len() {
            return Err(ClassifyError::LengthMismatch {
                points: points.len(),
                labels: labels.len(),
            });
        }
        for (row, (p, &label)) in points.iter().zip(&labels).enumerate() {
            if let Some(&value) = p.iter().find(|v| !v.is_finite()) {
                return Err(ClassifyError::NonFinite { row, value });
            }
            if label >= n_classes {
                return Err(ClassifyError::BadLabel {
                    row,
                    label,
                    n_classes,
                });
            }
        }
        Ok(Self {
            points,
            labels,
            n_classes,
        })
    }

    pub fn points(&self) -> &[[f64; 2]] {
        &self.points
    }

    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The number of points of each class.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.n_classes];
        for &label in &self.labels {
            counts[label] += 1;
        }
        counts
    }

    /// The points of one class.
    pub fn class_points(&self, class: usize) -> Vec<[f64; 2]> {
        self.points
            .iter()
            .zip(&self.labels)
            .filter(|(_, &label)| label == class)
            .map(|(p, _)| *p)
            .collect()
    }

    /// Adds one point (checked like the constructor's rows).
    pub fn push(&mut self, point: [f64; 2], label: usize) -> Result<(), ClassifyError> {
        let row = self.points.len();
        if let Some(&value) = point.iter().find(|v| !v.is_finite()) {
            return Err(ClassifyError::NonFinite { row, value });
        }
        if label >= self.n_classes {
            return Err(ClassifyError::BadLabel {
                row,
                label,
                n_classes: self.n_classes,
            });
        }
        self.points.push(point);
        self.labels.push(label);
        Ok(())
    }
}

fn check_classes(n_classes: usize) -> Result<(), ClassifyError> {
    if (MIN_CLASSES..=MAX_CLASSES).contains(&n_classes) {
        Ok(())
    } else {
        Err(ParamError::new("classes", n_classes, "a whole number from 2 to 4").into())
    }
}

/// The shape of each class's density p(x | y).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Family {
    /// Quadratic discriminant analysis: a Gaussian with its own full covariance per class.
    Qda,
    /// Linear discriminant analysis: a Gaussian per class, one covariance shared by all.
    Lda,
    /// Naive Bayes: a Gaussian per class with a diagonal covariance (features independent given
    /// the class).
    NaiveBayes,
    /// A Gaussian mixture with this many components (1..=4) per class, fitted by EM.
    Mixture { components: usize },
}

impl Family {
    /// Parses the names the lab uses: `qda`, `lda`, `naive_bayes`, `mixture` (with `components`).
    pub fn from_name(name: &str, components: usize) -> Result<Self, ClassifyError> {
        let family = match name {
            "qda" => Family::Qda,
            "lda" => Family::Lda,
            "naive_bayes" => Family::NaiveBayes,
            "mixture" => Family::Mixture { components },
            _ => {
                return Err(ParamError::new(
                    "family",
                    format!("\"{name}\""),
                    "one of \"qda\", \"lda\", \"naive_bayes\", \"mixture\"",
                )
                .into())
            }
        };
        check_components(components)?;
        Ok(family)
    }

    pub fn name(self) -> &'static str {
        match self {
            Family::Qda => "qda",
            Family::Lda => "lda",
            Family::NaiveBayes => "naive_bayes",
            Family::Mixture { .. } => "mixture",
        }
    }

    /// The free parameters of the class densities (priors not included) for `n_classes` classes.
    pub fn density_parameters(self, n_classes: usize) -> usize {
        match self {
            Family::Qda => n_classes * 5,
            Family::Lda => n_classes * 2 + 3,
            Family::NaiveBayes => n_classes * 4,
            Family::Mixture { components: m } => n_classes * ((m - 1) + 5 * m),
        }
    }
}

/// Checks a number of mixture components per class.
pub fn check_components(components: usize) -> Result<(), ClassifyError> {
    if (1..=MAX_COMPONENTS).contains(&components) {
        Ok(())
    } else {
        Err(ParamError::new("components", components, "a whole number from 1 to 4").into())
    }
}

/// Where the class prior P(y) comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Prior {
    /// The class frequencies n_y / n (with smoothing: (n_y + 1) / (n + C)).
    FromCounts,
    /// Given probabilities, one per class, each in (0, 1), summing to 1.
    Fixed(Vec<f64>),
}

impl Prior {
    /// Two classes with P(class 1) = p1, which must lie strictly between 0 and 1.
    pub fn two_class(p1: f64) -> Result<Self, ClassifyError> {
        if p1.is_finite() && p1 > 0.0 && p1 < 1.0 {
            Ok(Prior::Fixed(vec![1.0 - p1, p1]))
        } else {
            Err(ParamError::new(
                "prior",
                p1,
                "a number strictly between 0 and 1, or \"counts\"",
            )
            .into())
        }
    }
}

/// How to fit a classifier.
#[derive(Debug, Clone, PartialEq)]
pub struct FitOptions {
    pub family: Family,
    pub prior: Prior,
    /// Laplace (add-one) smoothing of the counts when the prior comes from them.
    pub smoothing: bool,
    /// Added to every covariance's diagonal (default 1e-6).
    pub reg_covar: f64,
    /// Seeds the k-means++ start of the mixture family's EM.
    pub seed: u64,
}

impl Default for FitOptions {
    fn default() -> Self {
        Self {
            family: Family::Qda,
            prior: Prior::FromCounts,
            smoothing: false,
            reg_covar: 1e-6,
            seed: 0,
        }
    }
}

/// Something a student should know about a fit that still succeeded.
#[derive(Debug, Clone, PartialEq)]
pub enum FitNote {
    /// The class has no points: prior 0, never predicted.
    EmptyClass { class: usize },
    /// The class has fewer points than its covariance needs; `added` went on the diagonal.
    Regularised {
        class: usize,
        points: usize,
        needed: usize,
        added: f64,
    },
    /// The class has fewer points than the requested components.
    FewerComponents {
        class: usize,
        points: usize,
        components: usize,
    },
}

impl fmt::Display for FitNote {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FitNote::EmptyClass { class } => write!(
                f,
                "class {class} has no points, so its prior is 0 and it is never predicted: add \
                 points of class {class}"
            ),
            FitNote::Regularised {
                class,
                points,
                needed,
                added,
            } => write!(
                f,
                "class {class} has {points} point(s), fewer than the {needed} its covariance \
                 needs: reg_covar = {added} was added to its variances"
            ),
            FitNote::FewerComponents {
                class,
                points,
                components,
            } => write!(
                f,
                "class {class} has only {points} point(s), so its mixture has {points} \
                 component(s) instead of {components}"
            ),
        }
    }
}

/// Every number of Bayes' rule at one point, class by class.
#[derive(Debug, Clone, PartialEq)]
pub struct BayesExplanation {
    /// P(y).
    pub priors: Vec<f64>,
    /// p(x | y) (0 for an empty class; may underflow to 0 far away).
    pub likelihoods: Vec<f64>,
    /// P(y) · p(x | y).
    pub products: Vec<f64>,
    /// p(x) = Σ_y P(y) p(x | y).
    pub evidence: f64,
    /// log p(x), exact even where p(x) underflows.
    pub log_evidence: f64,
    /// P(y | x), by log-sum-exp: they sum to 1 even far from every class.
    pub posteriors: Vec<f64>,
}

/// A linear function w·x + b, here the log-odds ln P(1 | x) / P(0 | x).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LinearBoundary {
    pub weights: [f64; 2],
    pub bias: f64,
}

impl LinearBoundary {
    pub fn value(&self, x: &[f64; 2]) -> f64 {
        self.weights[0] * x[0] + self.weights[1] * x[1] + self.bias
    }

    /// The angle in degrees between this boundary's normal and another's (0 to 180: 180 means
    /// the same line with the classes swapped).
    pub fn angle_to(&self, other: &LinearBoundary) -> f64 {
        let dot = self.weights[0] * other.weights[0] + self.weights[1] * other.weights[1];
        let norms =
            self.weights[0].hypot(self.weights[1]) * other.weights[0].hypot(other.weights[1]);
        (dot / norms).clamp(-1.0, 1.0).acos().to_degrees()
    }
}

/// A fitted generative classifier: P(y) and p(x | y) for every class.
#[derive(Debug, Clone)]
pub struct GenerativeClassifier {
    family: Family,
    priors: Vec<f64>,
    /// None for a class with no points.
    densities: Vec<Option<GaussianMixture<2>>>,
    /// The EM runs of the mixture family, one per non-empty class.
    em_runs: Vec<Option<Em<2>>>,
    notes: Vec<FitNote>,
}

impl GenerativeClassifier {
    /// Fits priors and class densities; the mixture family runs EM to convergence.
    pub fn fit(data: &LabeledData, options: &FitOptions) -> Result<Self, ClassifyError> {
        let mut classifier = Self::start(data, options)?;
        classifier.run_em();
        Ok(classifier)
    }

    /// Like [`GenerativeClassifier::fit`], but the mixture family stops at its k-means++ start,
    /// so that [`GenerativeClassifier::em_iterate`] can show EM at work.
    pub fn start(data: &LabeledData, options: &FitOptions) -> Result<Self, ClassifyError> {
        if data.is_empty() {
            return Err(ClassifyError::NoPoints);
        }
        if let Family::Mixture { components } = options.family {
            check_components(components)?;
        }
        if !(options.reg_covar.is_finite() && options.reg_covar >= 0.0) {
            return Err(
                ParamError::new("reg_covar", options.reg_covar, "a number of at least 0").into(),
            );
        }
        let c = data.n_classes();
        let counts = data.counts();
        let mut notes: Vec<FitNote> = (0..c)
            .filter(|&k| counts[k] == 0)
            .map(|class| FitNote::EmptyClass { class })
            .collect();
        let priors = fit_priors(&counts, &options.prior, options.smoothing, c)?;
        let mut densities = vec![None; c];
        let mut em_runs = vec![None; c];
        match options.family {
            Family::Qda | Family::NaiveBayes => {
                let (covariance_type, needed) = if options.family == Family::Qda {
                    (CovarianceType::Full, 3)
                } else {
                    (CovarianceType::Diag, 2)
                };
                for class in (0..c).filter(|&k| counts[k] > 0) {
                    let points = data.class_points(class);
                    let (mean, mut covariance) = mean_and_scatter(&points);
                    if covariance_type == CovarianceType::Diag {
                        // Naive Bayes: the features are independent given the class.
                        covariance[0][1] = 0.0;
                        covariance[1][0] = 0.0;
                    }
                    let mut added = options.reg_covar;
                    if points.len() < needed {
                        added += SMALL_CLASS_REG_COVAR;
                        notes.push(FitNote::Regularised {
                            class,
                            points: points.len(),
                            needed,
                            added,
                        });
                    }
                    add_diagonal(&mut covariance, added);
                    densities[class] = Some(gaussian(mean, covariance, covariance_type, class)?);
                }
            }
            Family::Lda => {
                let mut pooled = [[0.0; 2]; 2];
                let mut means = vec![[0.0; 2]; c];
                for class in (0..c).filter(|&k| counts[k] > 0) {
                    let points = data.class_points(class);
                    let (mean, scatter) = mean_and_scatter(&points);
                    means[class] = mean;
                    for a in 0..2 {
                        for b in 0..2 {
                            pooled[a][b] += scatter[a][b] * points.len() as f64;
                        }
                    }
                }
                let non_empty = counts.iter().filter(|&&n| n > 0).count();
                for row in &mut pooled {
                    for v in row {
                        *v /= data.len() as f64;
                    }
                }
                // The pooled scatter has n − (number of classes) degrees of freedom; a full 2-D
                // covariance needs 2 of them.
                let needed = non_empty + 2;
                let mut added = options.reg_covar;
                if data.len() < needed {
                    added += SMALL_CLASS_REG_COVAR;
                    for class in (0..c).filter(|&k| counts[k] > 0) {
                        notes.push(FitNote::Regularised {
                            class,
                            points: counts[class],
                            needed,
                            added,
                        });
                    }
                }
                add_diagonal(&mut pooled, added);
                for class in (0..c).filter(|&k| counts[k] > 0) {
                    densities[class] =
                        Some(gaussian(means[class], pooled, CovarianceType::Full, class)?);
                }
            }
            Family::Mixture { components } => {
                for class in (0..c).filter(|&k| counts[k] > 0) {
                    let points = data.class_points(class);
                    let m = components.min(points.len());
                    if m < components {
                        notes.push(FitNote::FewerComponents {
                            class,
                            points: points.len(),
                            components,
                        });
                    }
                    let em = Em::new(
                        Dataset::from_points(&points)?,
                        m,
                        EmOptions {
                            reg_covar: options.reg_covar.max(MIXTURE_REG_COVAR),
                            seed: options.seed.wrapping_add(class as u64),
                            ..EmOptions::default()
                        },
                    )?;
                    densities[class] = Some(em.mixture().clone());
                    em_runs[class] = Some(em);
                }
            }
        }
        Ok(Self {
            family: options.family,
            priors,
            densities,
            em_runs,
            notes,
        })
    }

    /// A classifier from given priors and class densities (None: an empty class, whose prior
    /// must be 0). For closed-form checks and for drawing a known model.
    pub fn from_parts(
        priors: Vec<f64>,
        densities: Vec<Option<GaussianMixture<2>>>,
        family: Family,
    ) -> Result<Self, ClassifyError> {
        check_classes(priors.len())?;
        let sum: f64 = priors.iter().sum();
        let valid = priors.iter().all(|p| p.is_finite() && *p >= 0.0)
            && (sum - 1.0).abs() < 1e-9
            && densities.len() == priors.len()
            && densities
                .iter()
                .zip(&priors)
                .all(|(d, p)| d.is_some() || *p == 0.0);
        if !valid {
            return Err(ParamError::new(
                "priors",
                format!("{priors:?}"),
                "non-negative numbers summing to 1, one per class density (0 for a missing one)",
            )
            .into());
        }
        Ok(Self {
            family,
            em_runs: vec![None; priors.len()],
            priors,
            densities,
            notes: Vec::new(),
        })
    }

    /// Runs `n` EM iterations in every class of the mixture family (nothing for other families);
    /// returns whether every class's EM has converged.
    pub fn em_iterate(&mut self, n: usize) -> Result<bool, ClassifyError> {
        for (class, run) in self.em_runs.iter_mut().enumerate() {
            if let Some(em) = run {
                for _ in 0..n {
                    em.iterate()?;
                }
                self.densities[class] = Some(em.mixture().clone());
            }
        }
        Ok(self.em_converged())
    }

    /// Whether every class's EM has converged (true for the closed-form families).
    pub fn em_converged(&self) -> bool {
        self.em_runs.iter().flatten().all(|em| em.converged())
    }

    /// The EM iterations done so far, the largest over the classes.
    pub fn em_iterations(&self) -> usize {
        self.em_runs
            .iter()
            .flatten()
            .map(|em| em.n_iter())
            .max()
            .unwrap_or(0)
    }

    fn run_em(&mut self) {
        for (class, run) in self.em_runs.iter_mut().enumerate() {
            if let Some(em) = run {
                // With reg_covar > 0 EM cannot collapse, so run cannot fail.
                em.run().expect("EM with reg_covar > 0 cannot collapse");
                self.densities[class] = Some(em.mixture().clone());
            }
        }
    }

    pub fn family(&self) -> Family {
        self.family
    }

    pub fn n_classes(&self) -> usize {
        self.priors.len()
    }

    /// P(y) for every class.
    pub fn priors(&self) -> &[f64] {
        &self.priors
    }

    /// p(x | y) of every class; None for an empty class.
    pub fn densities(&self) -> &[Option<GaussianMixture<2>>] {
        &self.densities
    }

    /// What the student should know about this fit (empty classes, regularisation).
    pub fn notes(&self) -> &[FitNote] {
        &self.notes
    }

    /// The number of free parameters: C − 1 prior probabilities plus the class densities'.
    pub fn n_parameters(&self) -> usize {
        let c = self.n_classes();
        (c - 1) + self.family.density_parameters(c)
    }

    /// ln P(y) + ln p(x | y) for every class (−∞ for an empty class).
    pub fn log_joint(&self, x: &[f64; 2]) -> Vec<f64> {
        self.priors
            .iter()
            .zip(&self.densities)
            .map(|(p, d)| match d {
                Some(d) if *p > 0.0 => p.ln() + d.log_density(x),
                _ => f64::NEG_INFINITY,
            })
            .collect()
    }

    /// ln p(x) = ln Σ_y P(y) p(x | y).
    pub fn log_evidence(&self, x: &[f64; 2]) -> f64 {
        log_sum_exp(&self.log_joint(x))
    }

    /// P(y | x) for every class; they sum to 1.
    pub fn posterior(&self, x: &[f64; 2]) -> Vec<f64> {
        let joint = self.log_joint(x);
        let evidence = log_sum_exp(&joint);
        joint.iter().map(|l| (l - evidence).exp()).collect()
    }

    /// The most probable class (the lowest index on a tie).
    pub fn predict(&self, x: &[f64; 2]) -> usize {
        argmax(&self.log_joint(x))
    }

    /// Every number of Bayes' rule at `x`.
    pub fn explain(&self, x: &[f64; 2]) -> BayesExplanation {
        let joint = self.log_joint(x);
        let log_evidence = log_sum_exp(&joint);
        let likelihoods: Vec<f64> = self
            .densities
            .iter()
            .map(|d| d.as_ref().map_or(0.0, |d| d.density(x)))
            .collect();
        let products: Vec<f64> = joint.iter().map(|l| l.exp()).collect();
        BayesExplanation {
            priors: self.priors.clone(),
            likelihoods,
            evidence: products.iter().sum(),
            products,
            log_evidence,
            posteriors: joint.iter().map(|l| (l - log_evidence).exp()).collect(),
        }
    }

    /// The fraction of points whose predicted class is their label.
    pub fn accuracy(&self, data: &LabeledData) -> f64 {
        let right = data
            .points()
            .iter()
            .zip(data.labels())
            .filter(|(p, &y)| self.predict(p) == y)
            .count();
        right as f64 / data.len().max(1) as f64
    }

    /// The mean of −ln P(y_i | x_i) (cross-entropy; lower is better, 0 is perfect).
    pub fn log_loss(&self, data: &LabeledData) -> f64 {
        let total: f64 = data
            .points()
            .iter()
            .zip(data.labels())
            .map(|(p, &y)| {
                let joint = self.log_joint(p);
                log_sum_exp(&joint) - joint[y]
            })
            .sum();
        total / data.len().max(1) as f64
    }

    /// P(y | x) at the centres of an `nx` × `ny` grid over `x_range` × `y_range`: entry
    /// `(iy * nx + ix) * C + y`, row 0 the lowest y (the layout of
    /// [`crate::prob::gaussian::BivariateGaussian::density_grid`]).
    pub fn posterior_grid(
        &self,
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
    ) -> Vec<f64> {
        let mut grid = Vec::with_capacity(nx * ny * self.n_classes());
        for_each_cell(x_range, y_range, nx, ny, |x| {
            grid.extend(self.posterior(&x))
        });
        grid
    }

    /// ln p(x) at the grid's cell centres (same layout, one number per cell).
    pub fn log_evidence_grid(
        &self,
        x_range: (f64, f64),
        y_range: (f64, f64),
        nx: usize,
        ny: usize,
    ) -> Vec<f64> {
        let mut grid = Vec::with_capacity(nx * ny);
        for_each_cell(x_range, y_range, nx, ny, |x| {
            grid.push(self.log_evidence(&x))
        });
        grid
    }

    /// True when p(x) is below `threshold`: the point is unlike every class, and its posterior
    /// (which always sums to 1) should not be trusted.
    pub fn is_out_of_distribution(&self, x: &[f64; 2], threshold: f64) -> bool {
        self.log_evidence(x) < threshold.ln()
    }
}

/// Keeps a per-class mixture's components from shrinking onto single points: EM on a
/// few clicked points would otherwise make needle-thin components.
pub const MIXTURE_REG_COVAR: f64 = 1e-3;

fn for_each_cell(
    x_range: (f64, f64),
    y_range: (f64, f64),
    nx: usize,
    ny: usize,
    mut visit: impl FnMut([f64; 2]),
) {
    let dx = (x_range.1 - x_range.0) / nx as f64;
    let dy = (y_range.1 - y_range.0) / ny as f64;
    for iy in 0..ny {
        let y = y_range.0 + (iy as f64 + 0.5) * dy;
        for ix in 0..nx {
            visit([x_range.0 + (ix as f64 + 0.5) * dx, y]);
        }
    }
}

fn fit_priors(
    counts: &[usize],
    prior: &Prior,
    smoothing: bool,
    c: usize,
) -> Result<Vec<f64>, ClassifyError> {
    let mut priors = match prior {
        Prior::FromCounts => {
            let add = if smoothing { 1.0 } else { 0.0 };
            let total = counts.iter().sum::<usize>() as f64 + add * c as f64;
            counts.iter().map(|&n| (n as f64 + add) / total).collect()
        }
        Prior::Fixed(p) => {
            let sum: f64 = p.iter().sum();
            if p.len() != c
                || p.iter().any(|v| !(v.is_finite() && *v > 0.0))
                || (sum - 1.0).abs() > 1e-9
            {
                return Err(ParamError::new(
                    "prior",
                    format!("{p:?}"),
                    "one probability per class, each above 0, summing to 1",
                )
                .into());
            }
            p.clone()
        }
    };
    // A class with no points has no density to weigh, so its prior goes to the others.
    for (p, &n) in priors.iter_mut().zip(counts) {
        if n == 0 {
            *p = 0.0;
        }
    }
    let sum: f64 = priors.iter().sum();
    Ok(priors.iter().map(|p| p / sum).collect())
}

/// The mean and the (divide-by-n) covariance of points.
fn mean_and_scatter(points: &[[f64; 2]]) -> ([f64; 2], [[f64; 2]; 2]) {
    let n = points.len() as f64;
    let mean: [f64; 2] = std::array::from_fn(|a| points.iter().map(|p| p[a]).sum::<f64>() / n);
    let scatter = std::array::from_fn(|a| {
        std::array::from_fn(|b| {
            points
                .iter()
                .map(|p| (p[a] - mean[a]) * (p[b] - mean[b]))
                .sum::<f64>()
                / n
        })
    });
    (mean, scatter)
}

fn add_diagonal(m: &mut [[f64; 2]; 2], value: f64) {
    m[0][0] += value;
    m[1][1] += value;
}

fn gaussian(
    mean: [f64; 2],
    mut covariance: [[f64; 2]; 2],
    covariance_type: CovarianceType,
    class: usize,
) -> Result<GaussianMixture<2>, ClassifyError> {
    // Symmetric by construction; rounding must not make the mixture's symmetry check fail.
    covariance[1][0] = covariance[0][1];
    GaussianMixture::new(vec![1.0], vec![mean], vec![covariance], covariance_type)
        .map_err(|_| ClassifyError::Singular { class })
}

fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}

/// LDA's log-odds ln P(1 | x) / P(0 | x) = w·x + b in closed form, from the class means μ₀, μ₁,
/// the shared covariance Σ and the priors: w = Σ⁻¹(μ₁ − μ₀),
/// b = −½ μ₁ᵀΣ⁻¹μ₁ + ½ μ₀ᵀΣ⁻¹μ₀ + ln(P₁ / P₀).
/// None unless the classifier is LDA with points in classes 0 and 1.
pub fn lda_boundary(classifier: &GenerativeClassifier) -> Option<LinearBoundary> {
    if classifier.family() != Family::Lda {
        return None;
    }
    let d0 = classifier.densities()[0].as_ref()?;
    let d1 = classifier.densities()[1].as_ref()?;
    let (m0, m1) = (d0.means()[0], d1.means()[0]);
    let p = inverse(&d0.covariances()[0]);
    let pm0 = mat_vec(&p, &m0);
    let pm1 = mat_vec(&p, &m1);
    let priors = classifier.priors();
    Some(LinearBoundary {
        weights: [pm1[0] - pm0[0], pm1[1] - pm0[1]],
        bias: -0.5 * dot(&m1, &pm1) + 0.5 * dot(&m0, &pm0) + (priors[1] / priors[0]).ln(),
    })
}

fn inverse(m: &[[f64; 2]; 2]) -> [[f64; 2]; 2] {
    let det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    [
        [m[1][1] / det, -m[0][1] / det],
        [-m[1][0] / det, m[0][0] / det],
    ]
}

fn mat_vec(m: &[[f64; 2]; 2], v: &[f64; 2]) -> [f64; 2] {
    [
        m[0][0] * v[0] + m[0][1] * v[1],
        m[1][0] * v[0] + m[1][1] * v[1],
    ]
}

fn dot(a: &[f64; 2], b: &[f64; 2]) -> f64 {
    a[0] * b[0] + a[1] * b[1]
}
