//! Classifying by Bayes' rule with a fitted [`GenerativeClassifier`]: the log joint
//! ln P(y) + ln p(x | y), the evidence p(x), posteriors P(y | x) in log space, predictions,
//! accuracy and log loss, the grids the heatmaps draw, the "unlike every class" flag, and
//! [`BayesExplanation`], every number of Bayes' rule at one point.

use super::{GenerativeClassifier, LabeledData};
use crate::prob::log_sum_exp;

/// Every number of Bayes' rule at one point, class by class.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
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

impl GenerativeClassifier {
    /// ln P(y) + ln p(x | y) for every class (−∞ for an empty class).
    pub fn log_joint(&self, x: &[f64; 2]) -> Vec<f64> {
        self.priors()
            .iter()
            .zip(self.densities())
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
            .densities()
            .iter()
            .map(|d| d.as_ref().map_or(0.0, |d| d.density(x)))
            .collect();
        let products: Vec<f64> = joint.iter().map(|l| l.exp()).collect();
        BayesExplanation {
            priors: self.priors().to_vec(),
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

fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, v) in values.iter().enumerate() {
        if *v > values[best] {
            best = i;
        }
    }
    best
}
