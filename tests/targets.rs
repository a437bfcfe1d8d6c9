//! The target samplers: where their samples lie, and the drawn distribution.

use genplay::rng;
use genplay::targets::{Target, TargetError, DRAWN_JITTER};

fn samples(target: &Target, n: usize) -> Vec<[f32; 2]> {
    let mut out = vec![0.0; 2 * n];
    target.sample(&mut rng::seeded(11), &mut out);
    out.chunks_exact(2).map(|p| [p[0], p[1]]).collect()
}

#[test]
fn built_in_targets_lie_in_the_unit_square() {
    for target in Target::built_in() {
        let points = samples(&target, 20_000);
        let outside = points
            .iter()
            .filter(|p| p[0].abs() > 1.0 || p[1].abs() > 1.0)
            .count();
        // Only Gaussian tails (several standard deviations out) may leave the square.
        assert!(
            outside < 20,
            "{}: {outside} of 20000 outside [-1, 1]²",
            target.name()
        );
        let spread = points.iter().map(|p| p[0].hypot(p[1])).sum::<f32>() / points.len() as f32;
        assert!(
            spread > 0.3,
            "{}: collapsed, mean radius {spread}",
            target.name()
        );
    }
}

#[test]
fn ring_samples_sit_near_radius_0_8_in_eight_equal_modes() {
    let points = samples(&Target::Ring, 40_000);
    let mut counts = [0usize; 8];
    for p in &points {
        let radius = p[0].hypot(p[1]);
        assert!((radius - 0.8).abs() < 0.3, "point {p:?}");
        let angle = p[1].atan2(p[0]).rem_euclid(std::f32::consts::TAU);
        counts[((angle / (std::f32::consts::TAU / 8.0)).round() as usize) % 8] += 1;
    }
    // Each mode expects 5000; the binomial standard deviation is about 66.
    for c in counts {
        assert!((c as i32 - 5000).abs() < 300, "{counts:?}");
    }
}

#[test]
fn drawn_target_jitters_around_the_drawn_points_and_uses_them_all() {
    let drawn = vec![[0.5, 0.5], [-0.5, 0.0]];
    let points = samples(&Target::Drawn(drawn.clone()), 10_000);
    let mut near = [0usize; 2];
    for p in &points {
        let (i, d) = drawn
            .iter()
            .map(|q| (p[0] - q[0]).hypot(p[1] - q[1]))
            .enumerate()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .unwrap();
        assert!(
            d < 6.0 * DRAWN_JITTER,
            "{p:?} is far from every drawn point"
        );
        near[i] += 1;
    }
    assert!(
        near.iter().all(|&n| (n as i32 - 5000).abs() < 300),
        "{near:?}"
    );
    let outside = Target::Drawn(vec![[0.0, 2.0]])
        .validate()
        .unwrap_err()
        .to_string();
    assert!(outside.contains("outside the plane"), "{outside}");
}

#[test]
fn a_drawing_that_cannot_be_sampled_is_refused_with_what_to_do() {
    assert_eq!(
        Target::drawn_from_pairs(&[]).unwrap_err().to_string(),
        "the drawing has no points: draw at least one point on the plane, or pick a built-in target"
    );
    assert_eq!(
        Target::drawn_from_pairs(&[0.25, 0.5, -1.75, 0.0])
            .unwrap_err()
            .to_string(),
        "the drawn point (-1.75, 0) is outside the plane: both coordinates must be numbers from -1.5 to 1.5"
    );
    assert!(matches!(
        Target::drawn_from_pairs(&[0.25, f32::NAN]),
        Err(TargetError::DrawnPointOutsidePlane { x, y }) if x == 0.25 && y.is_nan()
    ));
}
