//! Fitting a generative classifier: where the priors P(y) come from ([`Prior`]), the fit's
//! settings ([`FitOptions`]), what a student should know about a fit that succeeded
//! ([`FitNote`]), and [`GenerativeClassifier`] itself: the fitted priors and class densities in
//! closed form (QDA, LDA, naive Bayes) or by EM (a mixture per class, which can be stepped), with
//! the regularisation of small classes.

// Matrix loops read as the formulas do (Σ_ab, x_a) with index variables.
#![allow(clippy::needless_range_loop)]

use super::data::check_classes;
use super::family::check_components;
use super::{ClassifyError, Family, LabeledData};
use crate::mixture::{CovarianceType, Dataset, Em, EmOptions, GaussianMixture};
use crate::prob::ParamError;
use crate::range::Range;
use std::fmt;

/// Added to the covariance diagonal of a class with too few points for its covariance: a
/// variance of 0.1 (a standard deviation of about 0.3) keeps a one- or two-point class a small,
/// visible blob instead of a spike.
pub const SMALL_CLASS_REG_COVAR: f64 = 0.1;
/// Keeps a per-class mixture's components from shrinking onto single points: EM on a
/// few clicked points would otherwise make needle-thin components.
pub const MIXTURE_REG_COVAR: f64 = 1e-3;

/// Where the class prior P(y) comes from.
#[derive(Debug, Clone, PartialEq)]
pub enum Prior {
    /// The class frequencies n_y / n (with smoothing: (n_y + 1) / (n + C)).
    FromCounts,
    /// Given probabilities, one per class, each in (0, 1), summing to 1.
    Fixed(Vec<f64>),
}

/// P(class 1) of a two-class prior: a class of probability 0 or 1 could never be predicted,
/// or never missed.
pub const TWO_CLASS_PRIOR: Range = Range::open(0.0, 1.0);

impl Prior {
    /// Two classes with P(class 1) = p1, which must lie in [`TWO_CLASS_PRIOR`].
    pub fn two_class(p1: f64) -> Result<Self, ClassifyError> {
        TWO_CLASS_PRIOR.check("prior", p1)?;
        Ok(Prior::Fixed(vec![1.0 - p1, p1]))
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
