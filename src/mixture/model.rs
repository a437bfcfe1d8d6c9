//! The Gaussian mixture itself and the data it is fitted to.
//!
//! Owns [`Dataset`] (validated points in structure-of-arrays form), [`GaussianMixture`]
//! (weights, means, covariances, the densities, sampling, per-point log-likelihood, BIC/AIC),
//! the covariance types and the small dense linear algebra (Cholesky, inverse) that D×D
//! covariances need.

use super::MixtureError;
use crate::choice::Choice;
use crate::prob::log_sum_exp;
use crate::rng::{self, Rng};
use crate::state::{Reader, Writer};
use std::f64::consts::TAU;

/// How much freedom each component's covariance has (scikit-learn's `covariance_type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CovarianceType {
    /// Any symmetric positive-definite matrix: tilted ellipses.
    Full,
    /// A diagonal matrix: ellipses aligned with the axes.
    Diag,
    /// A multiple of the identity: circles.
    Spherical,
}

impl CovarianceType {
    /// The free covariance numbers of one component in `dim` dimensions.
    pub fn parameters_per_component(self, dim: usize) -> usize {
        match self {
            CovarianceType::Full => dim * (dim + 1) / 2,
            CovarianceType::Diag => dim,
            CovarianceType::Spherical => 1,
        }
    }

    /// The nearest matrix of this type: the diagonal for `Diag`, the mean variance for `Spherical`.
    pub(crate) fn project<const D: usize>(self, m: [[f64; D]; D]) -> [[f64; D]; D] {
        match self {
            CovarianceType::Full => m,
            CovarianceType::Diag => diagonal_matrix(std::array::from_fn(|a| m[a][a])),
            CovarianceType::Spherical => {
                let mean = (0..D).map(|a| m[a][a]).sum::<f64>() / D as f64;
                diagonal_matrix([mean; D])
            }
        }
    }
}

/// API names are the ones scikit-learn uses (`covariance_type="full"`).
impl Choice for CovarianceType {
    const ALL: &'static [Self] = &[
        CovarianceType::Full,
        CovarianceType::Diag,
        CovarianceType::Spherical,
    ];

    fn api_name(self) -> &'static str {
        match self {
            CovarianceType::Full => "full",
            CovarianceType::Diag => "diag",
            CovarianceType::Spherical => "spherical",
        }
    }

    fn label(self) -> &'static str {
        match self {
            CovarianceType::Full => "full (tilted ellipses)",
            CovarianceType::Diag => "diagonal (axis-aligned)",
            CovarianceType::Spherical => "spherical (circles)",
        }
    }
}

/// Points in D dimensions, all finite, at least one; one contiguous column per coordinate so
/// that the EM loops run over plain slices.
#[derive(Debug, Clone, PartialEq)]
pub struct Dataset<const D: usize> {
    columns: [Vec<f64>; D],
}

impl<const D: usize> Dataset<D> {
    /// Validates and stores points; errors on no points or a non-finite coordinate (with its row).
    pub fn from_points(points: &[[f64; D]]) -> Result<Self, MixtureError> {
        if points.is_empty() {
            return Err(MixtureError::EmptyData);
        }
        for (row, p) in points.iter().enumerate() {
            if let Some(column) = p.iter().position(|v| !v.is_finite()) {
                return Err(MixtureError::NonFinite {
                    row,
                    column,
                    value: p[column],
                });
            }
        }
        Ok(Self {
            columns: std::array::from_fn(|a| points.iter().map(|p| p[a]).collect()),
        })
    }

    /// Points given as one flat list `x0, y0, x1, y1, ...` (what JavaScript typed arrays hold).
    pub fn from_interleaved(values: &[f64]) -> Result<Self, MixtureError> {
        if !values.len().is_multiple_of(D) {
            return Err(MixtureError::RaggedPoints {
                numbers: values.len(),
                dim: D,
            });
        }
        let points: Vec<[f64; D]> = values
            .chunks_exact(D)
            .map(|c| std::array::from_fn(|a| c[a]))
            .collect();
        Self::from_points(&points)
    }

    /// The number of points.
    pub fn len(&self) -> usize {
        self.columns[0].len()
    }

    /// Always false: a `Dataset` holds at least one point.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Point `i` as an array of coordinates.
    pub fn point(&self, i: usize) -> [f64; D] {
        std::array::from_fn(|a| self.columns[a][i])
    }

    /// All points, one array per point.
    pub fn points(&self) -> Vec<[f64; D]> {
        (0..self.len()).map(|i| self.point(i)).collect()
    }

    /// Coordinate `axis` of every point.
    pub fn column(&self, axis: usize) -> &[f64] {
        &self.columns[axis]
    }

    pub(crate) fn columns(&self) -> &[Vec<f64>; D] {
        &self.columns
    }

    /// The mean of the points.
    pub fn mean(&self) -> [f64; D] {
        let n = self.len() as f64;
        std::array::from_fn(|a| self.columns[a].iter().sum::<f64>() / n)
    }

    /// The (biased, divide-by-n) covariance of the points.
    pub fn covariance(&self) -> [[f64; D]; D] {
        let mean = self.mean();
        let n = self.len() as f64;
        std::array::from_fn(|a| {
            std::array::from_fn(|b| {
                self.columns[a]
                    .iter()
                    .zip(&self.columns[b])
                    .map(|(x, y)| (x - mean[a]) * (y - mean[b]))
                    .sum::<f64>()
                    / n
            })
        })
    }
}

/// One component's numbers that every density evaluation needs, computed once.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Precomputed<const D: usize> {
    /// The inverse covariance.
    pub precision: [[f64; D]; D],
    /// log of the Gaussian's normalising constant: -(D log 2π + log det Σ) / 2.
    pub log_normaliser: f64,
}

/// A mixture of K Gaussians in D dimensions: density p(x) = Σ_k weight_k · N(x; mean_k, cov_k).
///
/// Covariances are always stored as full D×D matrices; for `Diag` the off-diagonal entries are
/// zero and for `Spherical` the diagonal entries are equal.
#[derive(Debug, Clone, PartialEq)]
pub struct GaussianMixture<const D: usize> {
    weights: Vec<f64>,
    means: Vec<[f64; D]>,
    covariances: Vec<[[f64; D]; D]>,
    covariance_type: CovarianceType,
    precomputed: Vec<Precomputed<D>>,
}

/// For one point, the numbers behind its responsibilities, component by component.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct ResponsibilityExplanation {
    /// Each component's weight π_k.
    pub weights: Vec<f64>,
    /// Each component's density N(x; μ_k, Σ_k) at the point (may underflow to 0 far away).
    pub densities: Vec<f64>,
    /// π_k · N(x; μ_k, Σ_k).
    pub weighted_densities: Vec<f64>,
    /// The sum of the weighted densities: the mixture density p(x).
    pub normaliser: f64,
    /// log p(x), exact even when the densities underflow.
    pub log_normaliser: f64,
    /// π_k · N(x; μ_k, Σ_k) / p(x), computed with log-sum-exp so that they sum to 1 even far away.
    pub responsibilities: Vec<f64>,
}

impl<const D: usize> GaussianMixture<D> {
    /// A mixture from its parameters; errors say which component is wrong and why.
    ///
    /// Weights must be non-negative and sum to 1 within 1e-6 (they are then rescaled to sum to 1
    /// exactly); covariances must be symmetric positive definite and of `covariance_type`.
    pub fn new(
        weights: Vec<f64>,
        means: Vec<[f64; D]>,
        covariances: Vec<[[f64; D]; D]>,
        covariance_type: CovarianceType,
    ) -> Result<Self, MixtureError> {
        if weights.len() != means.len() || weights.len() != covariances.len() {
            return Err(MixtureError::LengthMismatch {
                weights: weights.len(),
                means: means.len(),
                covariances: covariances.len(),
            });
        }
        if weights.is_empty() {
            return Err(MixtureError::NoComponents);
        }
        let sum: f64 = weights.iter().sum();
        if weights.iter().any(|w| !w.is_finite() || *w < 0.0) || (sum - 1.0).abs() > 1e-6 {
            return Err(MixtureError::BadWeights { sum });
        }
        for (component, m) in means.iter().enumerate() {
            if m.iter().any(|v| !v.is_finite()) {
                return Err(MixtureError::BadMean { component });
            }
        }
        for (component, c) in covariances.iter().enumerate() {
            check_covariance(c, covariance_type)
                .map_err(|reason| MixtureError::BadCovariance { component, reason })?;
        }
        let precomputed = covariances
            .iter()
            .enumerate()
            .map(|(component, c)| {
                precompute(c).ok_or(MixtureError::BadCovariance {
                    component,
                    reason: "is not positive definite: its variances must be positive and its \
                             correlations strictly between -1 and 1",
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            weights: weights.iter().map(|w| w / sum).collect(),
            means,
            covariances,
            covariance_type,
            precomputed,
        })
    }

    /// Writes the parameters, bit for bit, for a copy of the run elsewhere (src/state.rs).
    pub fn write_state(&self, w: &mut Writer) {
        w.f64s(self.weights());
        w.f64s(self.means.as_flattened());
        w.f64s(self.covariances.as_flattened().as_flattened());
    }

    /// Reads a mixture of `k` components of `covariance_type` that [`Self::write_state`] wrote,
    /// checked as [`Self::new`] checks it. The weights stay exactly as written (`new` would
    /// divide them by their sum again), so the copy computes to the last bit as the original.
    pub fn read_state(
        r: &mut Reader,
        k: usize,
        covariance_type: CovarianceType,
    ) -> Result<Self, String> {
        let weights = r.f64s("the mixture's weights", k)?;
        let means = r.f64s("the mixture's means", k * D)?;
        let covariances = r.f64s("the mixture's covariances", k * D * D)?;
        let means = means.chunks_exact(D).map(|m| std::array::from_fn(|a| m[a]));
        let covariances = covariances
            .chunks_exact(D * D)
            .map(|c| std::array::from_fn(|a| std::array::from_fn(|b| c[a * D + b])));
        let mut mixture = Self::new(
            weights.clone(),
            means.collect(),
            covariances.collect(),
            covariance_type,
        )
        .map_err(|e| format!("the training state's mixture is not valid: {e}"))?;
        mixture.weights = weights;
        Ok(mixture)
    }

    /// The number of components K.
    pub fn k(&self) -> usize {
        self.weights.len()
    }

    /// The mixing weights π_k (they sum to 1).
    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// The component means μ_k.
    pub fn means(&self) -> &[[f64; D]] {
        &self.means
    }

    /// The component covariances Σ_k as full D×D matrices.
    pub fn covariances(&self) -> &[[[f64; D]; D]] {
        &self.covariances
    }

    /// The covariance type the mixture was built with.
    pub fn covariance_type(&self) -> CovarianceType {
        self.covariance_type
    }

    pub(crate) fn precomputed(&self) -> &[Precomputed<D>] {
        &self.precomputed
    }

    /// log N(x; μ_k, Σ_k) for component `k`.
    pub fn component_log_density(&self, k: usize, x: &[f64; D]) -> f64 {
        let pre = &self.precomputed[k];
        let diff: [f64; D] = std::array::from_fn(|a| x[a] - self.means[k][a]);
        pre.log_normaliser - 0.5 * quadratic_form(&pre.precision, &diff)
    }

    /// log(π_k) + log N(x; μ_k, Σ_k) for every component.
    pub fn weighted_log_densities(&self, x: &[f64; D]) -> Vec<f64> {
        (0..self.k())
            .map(|k| self.weights[k].ln() + self.component_log_density(k, x))
            .collect()
    }

    /// log p(x), by log-sum-exp so that it stays finite far from every component.
    pub fn log_density(&self, x: &[f64; D]) -> f64 {
        log_sum_exp(&self.weighted_log_densities(x))
    }

    /// The mixture density p(x).
    pub fn density(&self, x: &[f64; D]) -> f64 {
        self.log_density(x).exp()
    }

    /// log p(x_i) for every point (scikit-learn's `score_samples`).
    pub fn score_samples(&self, data: &Dataset<D>) -> Vec<f64> {
        (0..data.len())
            .map(|i| self.log_density(&data.point(i)))
            .collect()
    }

    /// The mean log-likelihood per point (scikit-learn's `score`).
    pub fn score(&self, data: &Dataset<D>) -> f64 {
        self.score_samples(data).iter().sum::<f64>() / data.len() as f64
    }

    /// The number of free parameters: K - 1 weights, K·D mean coordinates and the covariances.
    pub fn n_parameters(&self) -> usize {
        let k = self.k();
        (k - 1) + k * D + k * self.covariance_type.parameters_per_component(D)
    }

    /// Bayesian information criterion: -2 log L + p log n (lower is better).
    pub fn bic(&self, data: &Dataset<D>) -> f64 {
        let n = data.len() as f64;
        -2.0 * self.score(data) * n + self.n_parameters() as f64 * n.ln()
    }

    /// Akaike information criterion: -2 log L + 2p (lower is better).
    pub fn aic(&self, data: &Dataset<D>) -> f64 {
        -2.0 * self.score(data) * data.len() as f64 + 2.0 * self.n_parameters() as f64
    }

    /// The posterior probability of each component given the point.
    pub fn responsibilities(&self, x: &[f64; D]) -> Vec<f64> {
        let log_weighted = self.weighted_log_densities(x);
        posterior(&log_weighted, log_sum_exp(&log_weighted))
    }

    /// The numbers a student needs to recompute one point's responsibilities by hand.
    pub fn explain_responsibility(&self, x: &[f64; D]) -> ResponsibilityExplanation {
        let log_weighted = self.weighted_log_densities(x);
        let log_normaliser = log_sum_exp(&log_weighted);
        let densities: Vec<f64> = (0..self.k())
            .map(|k| self.component_log_density(k, x).exp())
            .collect();
        let weighted_densities: Vec<f64> = log_weighted.iter().map(|l| l.exp()).collect();
        ResponsibilityExplanation {
            weights: self.weights.clone(),
            densities,
            normaliser: weighted_densities.iter().sum(),
            weighted_densities,
            log_normaliser,
            responsibilities: posterior(&log_weighted, log_normaliser),
        }
    }

    /// `n` points drawn from the mixture and the component each came from.
    pub fn sample(&self, n: usize, rng: &mut Rng) -> (Vec<[f64; D]>, Vec<usize>) {
        let factors: Vec<[[f64; D]; D]> = self
            .covariances
            .iter()
            .map(|c| cholesky(c).expect("covariances were checked positive definite"))
            .collect();
        let mut points = Vec::with_capacity(n);
        let mut labels = Vec::with_capacity(n);
        for _ in 0..n {
            let k = self.pick_component(rng::uniform(rng));
            let z: [f64; D] = std::array::from_fn(|_| rng::standard_normal(rng));
            // x = μ + L z has covariance L Lᵀ = Σ.
            let l = &factors[k];
            points.push(std::array::from_fn(|a| {
                self.means[k][a] + (0..=a).map(|b| l[a][b] * z[b]).sum::<f64>()
            }));
            labels.push(k);
        }
        (points, labels)
    }

    fn pick_component(&self, u: f64) -> usize {
        let mut cumulative = 0.0;
        for (k, w) in self.weights.iter().enumerate() {
            cumulative += w;
            if u < cumulative {
                return k;
            }
        }
        // Rounding can leave the cumulative sum a hair below 1; the last component with weight takes it.
        self.weights.iter().rposition(|w| *w > 0.0).unwrap_or(0)
    }
}

fn check_covariance<const D: usize>(
    c: &[[f64; D]; D],
    covariance_type: CovarianceType,
) -> Result<(), &'static str> {
    if c.iter().flatten().any(|v| !v.is_finite()) {
        return Err("has a non-finite entry: give finite numbers");
    }
    for a in 0..D {
        for b in 0..a {
            if (c[a][b] - c[b][a]).abs() > 1e-12 * (c[a][a] * c[b][b]).sqrt() {
                return Err("is not symmetric: entry (a, b) must equal entry (b, a)");
            }
            if covariance_type != CovarianceType::Full && c[a][b] != 0.0 {
                return Err(
                    "has off-diagonal entries, which a diag or spherical covariance \
                            cannot have: use covariance type full or zero them",
                );
            }
        }
    }
    if covariance_type == CovarianceType::Spherical && (1..D).any(|a| c[a][a] != c[0][0]) {
        return Err(
            "has unequal variances, which a spherical covariance cannot have: use \
                    covariance type diag or full",
        );
    }
    Ok(())
}

fn precompute<const D: usize>(covariance: &[[f64; D]; D]) -> Option<Precomputed<D>> {
    let l = cholesky(covariance)?;
    let log_det = 2.0 * (0..D).map(|a| l[a][a].ln()).sum::<f64>();
    Some(Precomputed {
        precision: inverse_from_cholesky(&l),
        log_normaliser: -0.5 * (D as f64 * TAU.ln() + log_det),
    })
}

/// rₖ = exp(log πₖN(x | μₖ, Σₖ) − log p(x)) for every component.
fn posterior(log_weighted: &[f64], log_normaliser: f64) -> Vec<f64> {
    log_weighted
        .iter()
        .map(|l| (l - log_normaliser).exp())
        .collect()
}

/// (x)ᵀ P (x) for a symmetric P.
pub(crate) fn quadratic_form<const D: usize>(p: &[[f64; D]; D], x: &[f64; D]) -> f64 {
    let mut q = 0.0;
    for a in 0..D {
        q += p[a][a] * x[a] * x[a];
        for b in 0..a {
            q += 2.0 * p[a][b] * x[a] * x[b];
        }
    }
    q
}

/// The lower-triangular L with L Lᵀ = m, or None when m is not positive definite.
pub(crate) fn cholesky<const D: usize>(m: &[[f64; D]; D]) -> Option<[[f64; D]; D]> {
    let mut l = [[0.0; D]; D];
    for i in 0..D {
        for j in 0..=i {
            let s = m[i][j] - (0..j).map(|p| l[i][p] * l[j][p]).sum::<f64>();
            if i == j {
                // NaN fails this test too.
                if s.is_nan() || s <= 0.0 {
                    return None;
                }
                l[i][i] = s.sqrt();
            } else {
                l[i][j] = s / l[j][j];
            }
        }
    }
    Some(l)
}

/// m⁻¹ from the Cholesky factor of m: (L Lᵀ)⁻¹ = L⁻ᵀ L⁻¹.
fn inverse_from_cholesky<const D: usize>(l: &[[f64; D]; D]) -> [[f64; D]; D] {
    // Forward substitution column by column gives the lower-triangular L⁻¹.
    let mut inv_l = [[0.0; D]; D];
    for j in 0..D {
        inv_l[j][j] = 1.0 / l[j][j];
        for i in j + 1..D {
            let s: f64 = (j..i).map(|p| l[i][p] * inv_l[p][j]).sum();
            inv_l[i][j] = -s / l[i][i];
        }
    }
    std::array::from_fn(|a| {
        std::array::from_fn(|b| (0..D).map(|p| inv_l[p][a] * inv_l[p][b]).sum())
    })
}

pub(crate) fn diagonal_matrix<const D: usize>(diagonal: [f64; D]) -> [[f64; D]; D] {
    std::array::from_fn(|a| std::array::from_fn(|b| if a == b { diagonal[a] } else { 0.0 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inverse_times_matrix_is_identity() {
        let m = [[2.0, 0.6], [0.6, 0.5]];
        let p = precompute(&m).unwrap().precision;
        for a in 0..2 {
            for b in 0..2 {
                let v: f64 = (0..2).map(|c| m[a][c] * p[c][b]).sum();
                assert!((v - if a == b { 1.0 } else { 0.0 }).abs() < 1e-12);
            }
        }
    }
}
