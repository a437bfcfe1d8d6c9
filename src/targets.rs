//! The target distributions on the plane that the generative labs (the GAN, the VAE) learn to
//! imitate, each a seeded sampler of 2-D points.
//!
//! Owns [`Target`] (the built-in shapes and a user's drawing), its samplers, the plane every
//! view shows ([`PLANE_HALF_WIDTH`]) and [`TargetError`], why a drawing cannot be sampled.
//! Every target lies inside [-1, 1]²; the views cover the larger square
//! [-PLANE_HALF_WIDTH, PLANE_HALF_WIDTH]² so that stray generated points stay visible.

use crate::choice::Choice;
use crate::rng::{self, Rng};
use std::fmt;

/// The views (discriminator heat map, manifold) cover [-PLANE_HALF_WIDTH, PLANE_HALF_WIDTH]².
pub const PLANE_HALF_WIDTH: f32 = 1.5;
/// The standard deviation of the jitter around each point a user drew.
pub const DRAWN_JITTER: f32 = 0.03;

/// Why a target cannot be sampled.
#[derive(Clone, Debug, PartialEq)]
pub enum TargetError {
    /// A drawn target with no points.
    EmptyDrawing,
    /// A drawn point outside the plane the views show.
    DrawnPointOutsidePlane { x: f32, y: f32 },
}

impl fmt::Display for TargetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TargetError::EmptyDrawing => write!(
                f,
                "the drawing has no points: draw at least one point on the plane, or pick a built-in target"
            ),
            TargetError::DrawnPointOutsidePlane { x, y } => write!(
                f,
                "the drawn point ({x}, {y}) is outside the plane: both coordinates must be numbers from -{PLANE_HALF_WIDTH} to {PLANE_HALF_WIDTH}"
            ),
        }
    }
}

impl std::error::Error for TargetError {}

/// A distribution over the plane to learn.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// Eight Gaussians (standard deviation 0.05) evenly spaced on a circle of radius 0.8.
    Ring,
    /// Twenty-five Gaussians (standard deviation 0.04) on a 5×5 grid spanning [-0.8, 0.8]².
    Grid,
    /// Two interleaved half circles, with Gaussian noise of standard deviation 0.04.
    TwoMoons,
    /// One and a half turns of a spiral out to radius 0.9, with noise of standard deviation 0.025.
    Spiral,
    /// A single line segment from (-0.8, -0.4) to (0.8, 0.4), with noise of standard deviation 0.02.
    Line,
    /// The points a user drew (x, y pairs in plane coordinates), each sampled equally often
    /// with Gaussian jitter of standard deviation [`DRAWN_JITTER`].
    Drawn(Vec<[f32; 2]>),
}

/// The kinds of target a user picks from a menu (a drawing's points come separately).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    Ring,
    Grid,
    Moons,
    Spiral,
    Line,
    Drawn,
}

impl Choice for Shape {
    const ALL: &'static [Self] = &[
        Shape::Ring,
        Shape::Grid,
        Shape::Moons,
        Shape::Spiral,
        Shape::Line,
        Shape::Drawn,
    ];

    fn api_name(self) -> &'static str {
        match self {
            Shape::Ring => "ring",
            Shape::Grid => "grid",
            Shape::Moons => "moons",
            Shape::Spiral => "spiral",
            Shape::Line => "line",
            Shape::Drawn => "drawn",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Shape::Ring => "Ring of 8 Gaussians",
            Shape::Grid => "5×5 grid of Gaussians",
            Shape::Moons => "Two moons",
            Shape::Spiral => "Spiral",
            Shape::Line => "A single line",
            Shape::Drawn => "Draw your own…",
        }
    }
}

impl Target {
    /// The target of `shape`; a drawing takes its points from `drawing` (flat x, y pairs) and is
    /// validated.
    pub fn of_shape(shape: Shape, drawing: &[f32]) -> Result<Target, TargetError> {
        Ok(match shape {
            Shape::Ring => Target::Ring,
            Shape::Grid => Target::Grid,
            Shape::Moons => Target::TwoMoons,
            Shape::Spiral => Target::Spiral,
            Shape::Line => Target::Line,
            Shape::Drawn => Target::drawn_from_pairs(drawing)?,
        })
    }

    /// The built-in targets, in the order the UI lists them.
    pub fn built_in() -> [Target; 5] {
        [
            Target::Ring,
            Target::Grid,
            Target::TwoMoons,
            Target::Spiral,
            Target::Line,
        ]
    }

    /// The name shown to the user.
    pub fn name(&self) -> &'static str {
        match self {
            Target::Ring => "ring of 8 Gaussians",
            Target::Grid => "5×5 grid of Gaussians",
            Target::TwoMoons => "two moons",
            Target::Spiral => "spiral",
            Target::Line => "line",
            Target::Drawn(_) => "your drawing",
        }
    }

    /// A drawn target from flat x, y pairs (as a canvas hands them over), validated.
    pub fn drawn_from_pairs(coordinates: &[f32]) -> Result<Target, TargetError> {
        let points = coordinates.chunks_exact(2).map(|p| [p[0], p[1]]).collect();
        let target = Target::Drawn(points);
        target.validate()?;
        Ok(target)
    }

    /// Rejects drawings that cannot be sampled.
    pub fn validate(&self) -> Result<(), TargetError> {
        if let Target::Drawn(points) = self {
            if points.is_empty() {
                return Err(TargetError::EmptyDrawing);
            }
            let limit = PLANE_HALF_WIDTH;
            if let Some(p) = points
                .iter()
                .find(|p| !p.iter().all(|c| c.is_finite() && c.abs() <= limit))
            {
                return Err(TargetError::DrawnPointOutsidePlane { x: p[0], y: p[1] });
            }
        }
        Ok(())
    }

    /// Fills `out` (pairs x, y) with independent samples.
    pub fn sample(&self, rng: &mut Rng, out: &mut [f32]) {
        for point in out.chunks_exact_mut(2) {
            let [x, y] = self.sample_one(rng);
            point[0] = x;
            point[1] = y;
        }
    }

    fn sample_one(&self, rng: &mut Rng) -> [f32; 2] {
        let u = |rng: &mut Rng| rng::uniform(rng) as f32;
        match self {
            Target::Ring => {
                let k = (u(rng) * 8.0).floor().min(7.0);
                let angle = k * std::f32::consts::TAU / 8.0;
                let [nx, ny] = normal_pair(rng);
                [0.8 * angle.cos() + 0.05 * nx, 0.8 * angle.sin() + 0.05 * ny]
            }
            Target::Grid => {
                let i = (u(rng) * 5.0).floor().min(4.0);
                let j = (u(rng) * 5.0).floor().min(4.0);
                let [nx, ny] = normal_pair(rng);
                [-0.8 + 0.4 * i + 0.04 * nx, -0.8 + 0.4 * j + 0.04 * ny]
            }
            Target::TwoMoons => {
                // scikit-learn's moons (x in [-1, 2], y in [-0.5, 1]) centred and scaled by 0.6.
                let t = u(rng) * std::f32::consts::PI;
                let (x, y) = if u(rng) < 0.5 {
                    (t.cos(), t.sin())
                } else {
                    (1.0 - t.cos(), 0.5 - t.sin())
                };
                let [nx, ny] = normal_pair(rng);
                [0.6 * (x - 0.5) + 0.04 * nx, 0.6 * (y - 0.25) + 0.04 * ny]
            }
            Target::Spiral => {
                let t = u(rng);
                let radius = 0.1 + 0.8 * t;
                let angle = 3.0 * std::f32::consts::PI * t;
                let [nx, ny] = normal_pair(rng);
                [
                    radius * angle.cos() + 0.025 * nx,
                    radius * angle.sin() + 0.025 * ny,
                ]
            }
            Target::Line => {
                let t = 2.0 * u(rng) - 1.0;
                let [nx, ny] = normal_pair(rng);
                [0.8 * t + 0.02 * nx, 0.4 * t + 0.02 * ny]
            }
            Target::Drawn(points) => {
                let index = ((u(rng) * points.len() as f32) as usize).min(points.len() - 1);
                let [nx, ny] = normal_pair(rng);
                let [x, y] = points[index];
                [x + DRAWN_JITTER * nx, y + DRAWN_JITTER * ny]
            }
        }
    }
}

/// Two independent N(0, 1) draws for a point's jitter, from one Box–Muller transform.
fn normal_pair(rng: &mut Rng) -> [f32; 2] {
    rng::normal_pair(rng).map(|v| v as f32)
}
