//! Logistic regression for two classes: the discriminative twin of LDA.
//!
//! Owns [`LogisticRegression`], which models P(1 | x) = σ(w·x + b) directly and fits w and b by
//! minimising the mean log loss plus a small ridge penalty ½ λ |w|² (λ = [`L2_PENALTY`], which
//! keeps the optimum finite when the classes can be separated by a line). Two ways to step:
//! - [`LogisticRegression::gradient_step`]: one step of gradient descent with the step size
//!   4 / trace(E[z zᵀ]) (z = (x, y, 1)), which is at most 1 / (the loss's largest curvature), so
//!   every step lowers the loss — slowly, which is what the lab shows;
//! - [`LogisticRegression::newton_step`]: one Newton (IRLS) step, which converges in a handful.
//!
//! LDA has the same form ln P(1|x)/P(0|x) = w·x + b, but takes w and b from fitted Gaussians in
//! closed form; on data that really are two Gaussians with one covariance both reach the same
//! line as n grows.

use super::{ClassifyError, LabeledData, LinearBoundary};

/// The ridge penalty λ on the weights (not the bias).
pub const L2_PENALTY: f64 = 1e-4;

/// A two-class logistic regression being fitted to the points of classes 0 and 1.
#[derive(Debug, Clone)]
pub struct LogisticRegression {
    points: Vec<[f64; 2]>,
    /// 1.0 for class 1, 0.0 for class 0.
    targets: Vec<f64>,
    boundary: LinearBoundary,
    learning_rate: f64,
    steps: usize,
}

impl LogisticRegression {
    /// Starts at w = 0, b = 0 (P(1 | x) = ½ everywhere) on the points of classes 0 and 1.
    pub fn new(data: &LabeledData) -> Result<Self, ClassifyError> {
        let (points, targets): (Vec<[f64; 2]>, Vec<f64>) = data
            .points()
            .iter()
            .zip(data.labels())
            .filter(|(_, &y)| y < 2)
            .map(|(p, &y)| (*p, y as f64))
            .unzip();
        let ones = targets.iter().filter(|&&t| t == 1.0).count();
        if ones == 0 || ones == targets.len() {
            return Err(ClassifyError::NeedsTwoClasses);
        }
        let n = points.len() as f64;
        let trace = 1.0
            + points
                .iter()
                .map(|p| p[0] * p[0] + p[1] * p[1])
                .sum::<f64>()
                / n;
        Ok(Self {
            points,
            targets,
            boundary: LinearBoundary {
                weights: [0.0; 2],
                bias: 0.0,
            },
            learning_rate: 4.0 / (trace + 4.0 * L2_PENALTY),
            steps: 0,
        })
    }

    /// The current w and b of the log-odds w·x + b.
    pub fn boundary(&self) -> LinearBoundary {
        self.boundary
    }

    /// The steps taken so far (gradient or Newton).
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// The mean log loss plus ½ λ |w|²: the quantity the fit minimises.
    pub fn objective(&self) -> f64 {
        let n = self.points.len() as f64;
        let loss: f64 = self
            .points
            .iter()
            .zip(&self.targets)
            .map(|(p, &t)| {
                let z = self.boundary.value(p);
                // −ln σ(z) = ln(1 + e^−z), written to stay finite for large |z|.
                let softplus = |v: f64| v.max(0.0) + (-v.abs()).exp().ln_1p();
                if t == 1.0 {
                    softplus(-z)
                } else {
                    softplus(z)
                }
            })
            .sum();
        let w = self.boundary.weights;
        loss / n + 0.5 * L2_PENALTY * (w[0] * w[0] + w[1] * w[1])
    }

    /// Gradient (over w₀, w₁, b) and Hessian of the objective.
    fn derivatives(&self) -> ([f64; 3], [[f64; 3]; 3]) {
        let n = self.points.len() as f64;
        let mut gradient = [0.0; 3];
        let mut hessian = [[0.0; 3]; 3];
        for (p, &t) in self.points.iter().zip(&self.targets) {
            let q = sigmoid(self.boundary.value(p));
            let z = [p[0], p[1], 1.0];
            for a in 0..3 {
                gradient[a] += (q - t) * z[a] / n;
                for b in 0..3 {
                    hessian[a][b] += q * (1.0 - q) * z[a] * z[b] / n;
                }
            }
        }
        for a in 0..2 {
            gradient[a] += L2_PENALTY * self.boundary.weights[a];
            hessian[a][a] += L2_PENALTY;
        }
        (gradient, hessian)
    }

    /// One gradient-descent step.
    pub fn gradient_step(&mut self) {
        let (gradient, _) = self.derivatives();
        self.apply(&gradient, self.learning_rate);
    }

    /// One Newton step: solve H Δ = g and move by −Δ.
    pub fn newton_step(&mut self) {
        let (gradient, hessian) = self.derivatives();
        let delta = solve3(hessian, gradient);
        self.apply(&delta, 1.0);
    }

    /// Newton steps until the gradient is below 1e-10 (at most 100 steps).
    pub fn fit(&mut self) {
        for _ in 0..100 {
            let (gradient, _) = self.derivatives();
            if gradient.iter().all(|g| g.abs() < 1e-10) {
                break;
            }
            self.newton_step();
        }
    }

    fn apply(&mut self, direction: &[f64; 3], scale: f64) {
        self.boundary.weights[0] -= scale * direction[0];
        self.boundary.weights[1] -= scale * direction[1];
        self.boundary.bias -= scale * direction[2];
        self.steps += 1;
    }

    /// The fraction of class-0/1 points on the right side of the boundary.
    pub fn accuracy(&self) -> f64 {
        let right = self
            .points
            .iter()
            .zip(&self.targets)
            .filter(|(p, &t)| (self.boundary.value(p) > 0.0) == (t == 1.0))
            .count();
        right as f64 / self.points.len() as f64
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// Solves the symmetric positive-definite 3×3 system m x = v by Gaussian elimination.
// The elimination reads as the textbook's does, with row and column indices.
#[allow(clippy::needless_range_loop)]
fn solve3(mut m: [[f64; 3]; 3], mut v: [f64; 3]) -> [f64; 3] {
    for col in 0..3 {
        for row in col + 1..3 {
            let factor = m[row][col] / m[col][col];
            for k in col..3 {
                m[row][k] -= factor * m[col][k];
            }
            v[row] -= factor * v[col];
        }
    }
    let mut x = [0.0; 3];
    for row in (0..3).rev() {
        let rest: f64 = (row + 1..3).map(|k| m[row][k] * x[k]).sum();
        x[row] = (v[row] - rest) / m[row][row];
    }
    x
}
