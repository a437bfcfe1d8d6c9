//! Where EM starts: k-means++ seeding or random data points, always from a seeded generator.
//!
//! Owns [`Init`] and [`initial_mixture`]. Both methods first choose K centres among the data
//! points, then build a mixture from them:
//! - `KMeansPlusPlus`: centres by k-means++ (each next centre drawn with probability ∝ squared
//!   distance to the nearest chosen one), refined by a few Lloyd (k-means) iterations; each
//!   component then takes the weight, mean and covariance of the points nearest to its centre,
//!   like scikit-learn's default `init_params="kmeans"`;
//! - `Random`: K distinct points drawn uniformly as means, equal weights, every covariance the
//!   covariance of the whole data set (scikit-learn's `"random_from_data"`).
//!
//! When a k-means cluster has fewer than D + 1 points its own scatter says nothing about a
//! covariance, so it gets the data set's covariance instead. When all points are equal (duplicate
//! points only) every distance is 0 and k-means++ falls back to uniform draws; reg_covar then
//! keeps every covariance invertible.

use super::model::{CovarianceType, Dataset, GaussianMixture};
use super::MixtureError;
use crate::choice::Choice;
use crate::rng::{self, Rng};

/// How EM chooses its starting mixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Init {
    /// k-means++ seeding and a few k-means iterations (scikit-learn's default).
    KMeansPlusPlus,
    /// K distinct data points as means, the data covariance for every component.
    Random,
}

/// In menu order: the random start first, since its mistakes are the ones worth watching EM fix.
impl Choice for Init {
    const ALL: &'static [Self] = &[Init::Random, Init::KMeansPlusPlus];

    fn api_name(self) -> &'static str {
        match self {
            Init::KMeansPlusPlus => "kmeans++",
            Init::Random => "random",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Init::KMeansPlusPlus => "k-means++",
            Init::Random => "random data points",
        }
    }
}

/// Lloyd iterations after k-means++: enough to settle the centres on typical data, few enough to
/// leave EM visible work.
const KMEANS_ITERATIONS: usize = 10;

/// The starting mixture for `k` components; `data` must hold at least `k` points.
pub fn initial_mixture<const D: usize>(
    data: &Dataset<D>,
    k: usize,
    covariance_type: CovarianceType,
    reg_covar: f64,
    init: Init,
    rng: &mut Rng,
) -> Result<GaussianMixture<D>, MixtureError> {
    if k == 0 {
        return Err(MixtureError::NoComponents);
    }
    if k > data.len() {
        return Err(MixtureError::TooManyComponents {
            k,
            points: data.len(),
        });
    }
    let data_covariance = regularised(data.covariance(), covariance_type, reg_covar);
    match init {
        Init::Random => {
            let means = distinct_indices(data.len(), k, rng)
                .into_iter()
                .map(|i| data.point(i))
                .collect();
            GaussianMixture::new(
                vec![1.0 / k as f64; k],
                means,
                vec![data_covariance; k],
                covariance_type,
            )
        }
        Init::KMeansPlusPlus => {
            let mut centres = kmeans_plus_plus(data, k, rng);
            let mut labels = nearest_centres(data, &centres);
            for _ in 0..KMEANS_ITERATIONS {
                centres = cluster_means(data, &labels, &centres);
                labels = nearest_centres(data, &centres);
            }
            let mut weights = Vec::with_capacity(k);
            let mut means = Vec::with_capacity(k);
            let mut covariances = Vec::with_capacity(k);
            for (c, centre) in centres.iter().enumerate() {
                let members: Vec<[f64; D]> = (0..data.len())
                    .filter(|&i| labels[i] == c)
                    .map(|i| data.point(i))
                    .collect();
                // An empty cluster (possible with duplicate points) keeps a small weight so that
                // every component starts alive.
                weights.push(members.len().max(1) as f64);
                if members.len() > D {
                    let cluster = Dataset::from_points(&members)?;
                    means.push(cluster.mean());
                    covariances.push(regularised(
                        cluster.covariance(),
                        covariance_type,
                        reg_covar,
                    ));
                } else {
                    means.push(*centre);
                    covariances.push(data_covariance);
                }
            }
            let total: f64 = weights.iter().sum();
            GaussianMixture::new(
                weights.iter().map(|w| w / total).collect(),
                means,
                covariances,
                covariance_type,
            )
        }
    }
}

/// `m` projected onto `covariance_type` with `reg_covar` added to its diagonal.
pub(crate) fn regularised<const D: usize>(
    m: [[f64; D]; D],
    covariance_type: CovarianceType,
    reg_covar: f64,
) -> [[f64; D]; D] {
    let mut c = covariance_type.project(m);
    for (a, row) in c.iter_mut().enumerate() {
        row[a] += reg_covar;
    }
    c
}

fn distinct_indices(n: usize, k: usize, rng: &mut Rng) -> Vec<usize> {
    // A partial Fisher–Yates shuffle: k draws, no repeats.
    let mut pool: Vec<usize> = (0..n).collect();
    for j in 0..k {
        let pick = j + ((rng::uniform(rng) * (n - j) as f64) as usize).min(n - j - 1);
        pool.swap(j, pick);
    }
    pool.truncate(k);
    pool
}

fn squared_distance<const D: usize>(x: &[f64; D], y: &[f64; D]) -> f64 {
    (0..D).map(|a| (x[a] - y[a]) * (x[a] - y[a])).sum()
}

fn kmeans_plus_plus<const D: usize>(data: &Dataset<D>, k: usize, rng: &mut Rng) -> Vec<[f64; D]> {
    let n = data.len();
    let first = ((rng::uniform(rng) * n as f64) as usize).min(n - 1);
    let mut centres = vec![data.point(first)];
    let mut nearest: Vec<f64> = (0..n)
        .map(|i| squared_distance(&data.point(i), &centres[0]))
        .collect();
    while centres.len() < k {
        let total: f64 = nearest.iter().sum();
        let next = if total > 0.0 {
            let target = rng::uniform(rng) * total;
            let mut cumulative = 0.0;
            let mut chosen = n - 1;
            for (i, d) in nearest.iter().enumerate() {
                cumulative += d;
                if cumulative > target {
                    chosen = i;
                    break;
                }
            }
            chosen
        } else {
            // Every point coincides with a centre already: any point is as good as any other.
            ((rng::uniform(rng) * n as f64) as usize).min(n - 1)
        };
        let centre = data.point(next);
        for (i, d) in nearest.iter_mut().enumerate() {
            *d = d.min(squared_distance(&data.point(i), &centre));
        }
        centres.push(centre);
    }
    centres
}

fn nearest_centres<const D: usize>(data: &Dataset<D>, centres: &[[f64; D]]) -> Vec<usize> {
    (0..data.len())
        .map(|i| {
            let p = data.point(i);
            (0..centres.len())
                .min_by(|&a, &b| {
                    squared_distance(&p, &centres[a]).total_cmp(&squared_distance(&p, &centres[b]))
                })
                .expect("at least one centre")
        })
        .collect()
}

fn cluster_means<const D: usize>(
    data: &Dataset<D>,
    labels: &[usize],
    old: &[[f64; D]],
) -> Vec<[f64; D]> {
    let mut sums = vec![[0.0; D]; old.len()];
    let mut counts = vec![0usize; old.len()];
    for (i, &c) in labels.iter().enumerate() {
        let p = data.point(i);
        for a in 0..D {
            sums[c][a] += p[a];
        }
        counts[c] += 1;
    }
    (0..old.len())
        .map(|c| {
            if counts[c] == 0 {
                old[c]
            } else {
                std::array::from_fn(|a| sums[c][a] / counts[c] as f64)
            }
        })
        .collect()
}
