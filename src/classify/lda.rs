//! LDA's boundary in closed form: [`LinearBoundary`], a linear log-odds w·x + b (also what
//! [`super::logistic::LogisticRegression`] fits), and [`lda_boundary`], which reads w and b off a
//! fitted LDA classifier's means, shared covariance and priors.

use super::{Family, GenerativeClassifier};

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
