//! How far a generative model's samples are from the real ones: the one distance between point
//! sets on the plane that every generative lab (the GAN, the VAE) reports.
//!
//! The distance is the sliced Wasserstein-1 distance: project both point sets onto a fixed set of
//! directions, and average the 1-D Wasserstein distances (mean gap between sorted projections).
//! It is zero only when the sets match, needs no training, and its value is in plane units.
//! Owns [`projection_directions`], [`sliced_wasserstein`] and [`SlicedWasserstein`], which keeps
//! one reference set's sorted projections for repeated measurements.

use crate::rng;

/// Fixed directions for projections: evenly spread angles over a half turn, with a seeded
/// offset (a direction and its opposite give the same 1-D distance, so a half turn suffices).
pub fn projection_directions(count: usize, seed: u64) -> Vec<[f32; 2]> {
    let offset = rng::uniform(&mut rng::seeded(seed)) as f32;
    (0..count)
        .map(|i| {
            let angle = std::f32::consts::PI * (i as f32 + offset) / count as f32;
            [angle.cos(), angle.sin()]
        })
        .collect()
}

/// Sliced Wasserstein-1 distance between two equally sized point sets (x, y pairs).
pub fn sliced_wasserstein(a: &[f32], b: &[f32], directions: &[[f32; 2]]) -> f32 {
    SlicedWasserstein::new(a, directions).distance_to(b)
}

/// A sliced Wasserstein distance to a fixed reference set, with the reference's sorted
/// projections computed once and scratch space reused between evaluations.
#[derive(Clone, Debug)]
pub struct SlicedWasserstein {
    directions: Vec<[f32; 2]>,
    /// For each direction, the reference set's projections in increasing order.
    reference_sorted: Vec<Vec<f32>>,
    projections: Vec<f32>,
}

impl SlicedWasserstein {
    /// Prepares distances to `reference` (x, y pairs) along `directions`.
    pub fn new(reference: &[f32], directions: &[[f32; 2]]) -> Self {
        let mut reference_sorted = Vec::with_capacity(directions.len());
        for direction in directions {
            let mut projected = Vec::with_capacity(reference.len() / 2);
            project(reference, *direction, &mut projected);
            reference_sorted.push(projected);
        }
        Self {
            directions: directions.to_vec(),
            reference_sorted,
            projections: Vec::with_capacity(reference.len() / 2),
        }
    }

    /// The distance from `points` (as many pairs as the reference) to the reference set.
    pub fn distance_to(&mut self, points: &[f32]) -> f32 {
        let mut total = 0.0;
        for (direction, reference) in self.directions.iter().zip(&self.reference_sorted) {
            project(points, *direction, &mut self.projections);
            assert_eq!(
                self.projections.len(),
                reference.len(),
                "point sets differ in size"
            );
            let gaps: f32 = self
                .projections
                .iter()
                .zip(reference)
                .map(|(p, r)| (p - r).abs())
                .sum();
            total += gaps / reference.len() as f32;
        }
        total / self.directions.len() as f32
    }
}

/// Projects the points onto `direction` into `out`, sorted increasingly (NaN last).
fn project(points: &[f32], direction: [f32; 2], out: &mut Vec<f32>) {
    out.clear();
    out.extend(
        points
            .chunks_exact(2)
            .map(|p| p[0] * direction[0] + p[1] * direction[1]),
    );
    out.sort_unstable_by(f32::total_cmp);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliced_wasserstein_of_a_shift_is_the_mean_projected_shift() {
        // Shifting every point by (d, 0) moves each projection by d·|cos θ|; averaged over
        // evenly spread angles θ in [0, π) that is d·2/π.
        let a: Vec<f32> = (0..200)
            .flat_map(|i| [(i as f32 * 0.37).sin(), (i as f32 * 0.11).cos()])
            .collect();
        let shifted: Vec<f32> = a.chunks_exact(2).flat_map(|p| [p[0] + 0.5, p[1]]).collect();
        let directions = projection_directions(256, 1);
        assert!(sliced_wasserstein(&a, &a, &directions).abs() < 1e-7);
        let d = sliced_wasserstein(&a, &shifted, &directions);
        assert!((d - 0.5 * 2.0 / std::f32::consts::PI).abs() < 2e-3, "{d}");
    }
}
