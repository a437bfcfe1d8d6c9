//! The GAN learns the ring, runs are reproducible, divergence is caught and reset recovers,
//! the narrated sub-steps are the same computation as a plain iteration, and each failure preset
//! shows its failure in a seeded run of a few thousand iterations.

use genplay::choice::Choice;
use genplay::gan::{
    Gan, GanConfig, GanError, GanLoss, NetworkShape, Phase, Position, Preset, SubStep,
};
use genplay::nn::{Activation, OptimizerKind};
use genplay::rng;
use genplay::targets::{Target, PLANE_HALF_WIDTH};
use std::sync::OnceLock;

#[test]
fn default_gan_learns_the_ring_of_eight_gaussians() {
    let mut gan = Gan::new(GanConfig::default(), Target::Ring).unwrap();
    let start = gan.distance();
    gan.iterations(1000).unwrap();
    let end = gan.measure_distance_now();
    // Untrained, the fakes sit in a small blob near the origin, about 0.5 from the ring.
    assert!(start > 0.4, "starting distance {start}");
    assert!(
        end < 0.15,
        "distance after 1000 iterations {end} (start {start})"
    );
    assert!(
        end < start / 4.0,
        "distance fell only from {start} to {end}"
    );
    assert_eq!(gan.iteration_count(), 1000);
    assert_eq!(gan.history().len(), 1000);
}

#[test]
fn same_seed_gives_the_same_run_and_another_seed_does_not() {
    let run = |seed: u64| {
        let config = GanConfig {
            seed,
            ..GanConfig::default()
        };
        let mut gan = Gan::new(config, Target::TwoMoons).unwrap();
        gan.iterations(20).unwrap();
        (
            gan.history().discriminator_loss().to_vec(),
            gan.history().generator_loss().to_vec(),
            gan.fake_samples().to_vec(),
        )
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a.0, run(8).0);
}

fn explosive_config() -> GanConfig {
    GanConfig {
        optimizer: OptimizerKind::Sgd { momentum: 0.9 },
        discriminator_learning_rate: 10.0,
        generator_learning_rate: 10.0,
        ..GanConfig::default()
    }
}

#[test]
fn a_huge_learning_rate_trips_the_divergence_guard_and_reset_recovers() {
    let mut gan = Gan::new(explosive_config(), Target::Ring).unwrap();
    let error = gan.iterations(500).unwrap_err();
    let message = error.to_string();
    assert!(
        message.starts_with("training diverged at iteration "),
        "{message}"
    );
    assert!(
        message.ends_with("lower the learning rate (now 10) and press Reset"),
        "{message}"
    );
    assert!(message.contains("became"), "{message}");
    assert_eq!(gan.diverged(), Some(message.as_str()));
    // Every further step refuses with the same message.
    assert_eq!(gan.iteration(), Err(GanError::Diverged(message.clone())));
    assert_eq!(
        gan.train_generator_step(),
        Err(GanError::Diverged(message.clone()))
    );
    assert!(gan.advance_sub_step().is_err());

    gan.set_learning_rates(1e-3, 1e-3).unwrap();
    gan.reset();
    assert_eq!(gan.diverged(), None);
    assert_eq!(gan.iteration_count(), 0);
    assert!(gan.history().is_empty());
    gan.iterations(20).unwrap();
    // Reset means "as if freshly built": the same numbers as a new GAN with these settings.
    let mut fresh = Gan::new(
        GanConfig {
            discriminator_learning_rate: 1e-3,
            generator_learning_rate: 1e-3,
            ..explosive_config()
        },
        Target::Ring,
    )
    .unwrap();
    fresh.iterations(20).unwrap();
    assert_eq!(gan.losses(), fresh.losses());
    assert!(gan.losses().0.is_finite());
}

#[test]
fn narrated_sub_steps_run_in_order_and_equal_a_plain_iteration() {
    let config = GanConfig {
        discriminator_steps: 2,
        ..GanConfig::default()
    };
    let mut narrated = Gan::new(config.clone(), Target::Spiral).unwrap();
    let mut plain = Gan::new(config, Target::Spiral).unwrap();
    let mut seen = Vec::new();
    while narrated.iteration_count() == 0 {
        let done = narrated.advance_sub_step().unwrap();
        if done.phase == Phase::Discriminator && done.sub_step == SubStep::ComputeLoss {
            // BCE from the beliefs: -mean ln D(real) - mean ln(1 - D(fake)).
            let real: f64 = narrated
                .real_beliefs()
                .iter()
                .map(|&p| -(p as f64).ln())
                .sum();
            let fake: f64 = narrated
                .fake_beliefs()
                .iter()
                .map(|&p| -(1.0 - p as f64).ln())
                .sum();
            let from_beliefs = (real + fake) / narrated.config().batch_size as f64;
            let loss = narrated.losses().0 as f64;
            assert!(
                (loss - from_beliefs).abs() < 1e-4,
                "{loss} vs {from_beliefs}"
            );
        }
        seen.push(done);
    }
    assert_eq!(
        seen.len(),
        3 * 6,
        "two discriminator steps and one generator step"
    );
    assert_eq!(
        seen[0],
        Position {
            phase: Phase::Discriminator,
            step: 0,
            sub_step: SubStep::SampleNoise
        }
    );
    assert_eq!((seen[6].phase, seen[6].step), (Phase::Discriminator, 1));
    assert_eq!((seen[12].phase, seen[12].step), (Phase::Generator, 0));
    assert_eq!(seen[17].sub_step, SubStep::Update);
    assert!(seen.iter().all(|p| !p.narration().is_empty()));
    assert_eq!(narrated.position().sub_step, SubStep::SampleNoise);

    plain.iteration().unwrap();
    assert_eq!(narrated.losses(), plain.losses());
    assert_eq!(narrated.fake_samples(), plain.fake_samples());
    assert_eq!(narrated.gradient_norms(), plain.gradient_norms());
}

#[test]
fn fake_gradients_are_the_derivative_of_the_generator_loss_at_each_fake_point() {
    // Smooth activations so finite differences are exact enough.
    let config = GanConfig {
        activation: Activation::Tanh,
        batch_size: 32,
        ..GanConfig::default()
    };
    let mut gan = Gan::new(config, Target::Ring).unwrap();
    gan.iterations(30).unwrap();
    let batch = gan.config().batch_size as f64;
    let points = gan.fake_gradient_samples().to_vec();
    let gradients = gan.fake_gradients().to_vec();
    let discriminator = gan.discriminator().clone();
    let mut workspace = discriminator.workspace(1);
    // Non-saturating loss: each point contributes softplus(-D(x)) / batch.
    let mut loss_at = |x: f32, y: f32| {
        let logit = discriminator.forward(&mut workspace, &[x, y], 1)[0] as f64;
        (-logit).exp().ln_1p() / batch
    };
    let eps = 1e-2;
    for i in 0..4 {
        let (x, y) = (points[2 * i], points[2 * i + 1]);
        let dx = (loss_at(x + eps, y) - loss_at(x - eps, y)) / (2.0 * eps as f64);
        let dy = (loss_at(x, y + eps) - loss_at(x, y - eps)) / (2.0 * eps as f64);
        let scale = dx.abs().max(dy.abs());
        assert!(scale > 1e-5, "gradient vanished at point {i}");
        assert!(
            (gradients[2 * i] as f64 - dx).abs() < 2e-2 * scale,
            "point {i}: {} vs {dx}",
            gradients[2 * i]
        );
        assert!(
            (gradients[2 * i + 1] as f64 - dy).abs() < 2e-2 * scale,
            "point {i}: {} vs {dy}",
            gradients[2 * i + 1]
        );
    }
}

#[test]
fn discriminator_grid_is_row_major_from_the_top_left_and_holds_beliefs() {
    let config = GanConfig {
        loss: GanLoss::NonSaturating,
        ..GanConfig::default()
    };
    let mut gan = Gan::new(config, Target::Grid).unwrap();
    gan.iterations(50).unwrap();
    let n = 40;
    let grid = gan.discriminator_grid(n).to_vec();
    assert_eq!(grid.len(), n * n);
    assert!(grid.iter().all(|p| (0.0..=1.0).contains(p)));
    let discriminator = gan.discriminator().clone();
    let mut workspace = discriminator.workspace(1);
    let cell = 2.0 * PLANE_HALF_WIDTH / n as f32;
    for &(row, column) in &[(0, 0), (0, n - 1), (n - 1, 0), (17, 23)] {
        let x = -PLANE_HALF_WIDTH + (column as f32 + 0.5) * cell;
        let y = PLANE_HALF_WIDTH - (row as f32 + 0.5) * cell;
        let logit = discriminator.forward(&mut workspace, &[x, y], 1)[0];
        let belief = 1.0 / (1.0 + (-logit).exp());
        assert!(
            (grid[row * n + column] - belief).abs() < 1e-5,
            "cell ({row}, {column})"
        );
    }
    // The views leave training untouched: the next iteration equals a twin's.
    let mut twin = Gan::new(gan.config().clone(), Target::Grid).unwrap();
    twin.iterations(51).unwrap();
    gan.iteration().unwrap();
    assert_eq!(gan.losses(), twin.losses());
}

#[test]
fn generator_manifold_is_a_curve_for_1d_noise_and_a_sheet_for_2d_noise() {
    for (noise_dim, expected_points) in [(1, 25), (2, 25 * 25)] {
        let config = GanConfig {
            noise_dim,
            ..GanConfig::default()
        };
        let mut gan = Gan::new(config, Target::Line).unwrap();
        gan.iterations(5).unwrap();
        let manifold = gan.generator_manifold(25).to_vec();
        assert_eq!(manifold.len(), 2 * expected_points);
        // Its first point is the generator at the corner of the noise range (Gaussian: -2σ).
        let generator = gan.generator().clone();
        let mut workspace = generator.workspace(1);
        let corner = vec![-2.0; noise_dim];
        let first = generator.forward(&mut workspace, &corner, 1);
        assert_eq!(&manifold[..2], first);
    }
}

#[test]
fn settings_out_of_range_are_rejected_with_the_setting_and_its_range() {
    let message = |config: GanConfig| Gan::new(config, Target::Ring).err().unwrap().to_string();
    assert_eq!(
        message(GanConfig {
            batch_size: 0,
            ..GanConfig::default()
        }),
        "batch size = 0 is not allowed: batch size must be a whole number from 1 to 16384"
    );
    assert_eq!(
        message(GanConfig {
            generator: NetworkShape {
                hidden_layers: 5,
                hidden_units: 64
            },
            ..GanConfig::default()
        }),
        "generator hidden layers = 5 is not allowed: generator hidden layers must be a whole number from 0 to 4"
    );
    assert!(message(GanConfig {
        discriminator_learning_rate: -1.0,
        ..GanConfig::default()
    })
    .starts_with("discriminator learning rate = -1 is not allowed"));
    assert!(message(GanConfig {
        noise_dim: 3,
        ..GanConfig::default()
    })
    .ends_with("noise dimension must be 1 or 2"));
    let empty = Gan::new(GanConfig::default(), Target::Drawn(vec![]));
    assert!(empty
        .err()
        .unwrap()
        .to_string()
        .starts_with("the drawing has no points"));
    let mut gan = Gan::new(GanConfig::default(), Target::Ring).unwrap();
    assert!(gan.set_learning_rates(1e-3, 0.0).is_err());
    assert_eq!(gan.config().generator_learning_rate, 1e-3);
}

/// What a seeded run of a preset on the ring leaves behind.
struct PresetRun {
    /// The sliced Wasserstein distance to the ring after the run.
    distance: f32,
    /// How many of the ring's 8 modes hold at least 1 % of 1024 generated points at the end.
    modes_covered: usize,
    /// Means over the last 500 iterations: the generator's gradient norm, and D's belief that
    /// G's fakes are real.
    late_generator_gradient: f32,
    late_fake_belief: f32,
    /// Every 250 iterations, the mode that holds at least a tenth of the fakes and the most of
    /// them (None when no mode does).
    dominant_modes: Vec<Option<usize>>,
}

/// How many of 1024 fakes (fixed noise) lie near each of the ring's 8 modes.
fn mode_counts(gan: &Gan, noise_dim: usize) -> [usize; 8] {
    let mut noise = vec![0.0; 1024 * noise_dim];
    rng::fill_standard_normal(&mut rng::seeded(99), &mut noise);
    let generator = gan.generator();
    let mut workspace = generator.workspace(1024);
    let fakes = generator.forward(&mut workspace, &noise, 1024);
    let mut counts = [0usize; 8];
    for p in fakes.chunks_exact(2) {
        for (k, count) in counts.iter_mut().enumerate() {
            let angle = k as f32 * std::f32::consts::TAU / 8.0;
            if (p[0] - 0.8 * angle.cos()).hypot(p[1] - 0.8 * angle.sin()) < 0.2 {
                *count += 1;
            }
        }
    }
    counts
}

fn run_preset(preset: Preset, iterations: usize) -> PresetRun {
    let config = preset.config();
    assert!(preset.explanation().len() > 40, "{}", preset.api_name());
    let noise_dim = config.noise_dim;
    let mut gan = Gan::new(config, Target::Ring).unwrap();
    let (mut gradient, mut belief) = (0.0, 0.0);
    let mut dominant_modes = Vec::new();
    for iteration in 1..=iterations {
        gan.iteration().unwrap();
        if iteration > iterations - 500 {
            gradient += gan.gradient_norms().1 / 500.0;
            let fakes = gan.fake_beliefs();
            belief += fakes.iter().sum::<f32>() / fakes.len() as f32 / 500.0;
        }
        if iteration % 250 == 0 {
            let counts = mode_counts(&gan, noise_dim);
            let (mode, &most) = counts.iter().enumerate().max_by_key(|&(_, n)| n).unwrap();
            dominant_modes.push((most >= 102).then_some(mode));
        }
    }
    PresetRun {
        distance: gan.measure_distance_now(),
        modes_covered: mode_counts(&gan, noise_dim)
            .iter()
            .filter(|&&n| n >= 10)
            .count(),
        late_generator_gradient: gradient,
        late_fake_belief: belief,
        dominant_modes,
    }
}

/// The length of the runs the failure presets are compared over: long enough that a healthy
/// run has settled on the ring.
const PRESET_ITERATIONS: usize = 2000;

/// The healthy preset's run, shared by the tests that compare a failure with it.
fn healthy() -> &'static PresetRun {
    static HEALTHY: OnceLock<PresetRun> = OnceLock::new();
    HEALTHY.get_or_init(|| run_preset(Preset::Healthy, PRESET_ITERATIONS))
}

#[test]
fn the_healthy_preset_covers_every_mode_of_the_ring() {
    let healthy = healthy();
    eprintln!(
        "healthy: distance {}, modes {}, G gradient {}, D(fake) {}, dominant {:?}",
        healthy.distance,
        healthy.modes_covered,
        healthy.late_generator_gradient,
        healthy.late_fake_belief,
        healthy.dominant_modes
    );
    assert!(healthy.distance < 0.1, "distance {}", healthy.distance);
    assert_eq!(healthy.modes_covered, 8);
    // The discriminator cannot tell: about one half for the fakes.
    assert!((healthy.late_fake_belief - 0.5).abs() < 0.1);
}

#[test]
fn the_mode_collapse_preset_piles_every_fake_onto_one_mode() {
    let (collapse, healthy) = (
        run_preset(Preset::ModeCollapse, PRESET_ITERATIONS),
        healthy(),
    );
    eprintln!(
        "collapse: distance {}, modes {}",
        collapse.distance, collapse.modes_covered
    );
    assert_eq!(collapse.modes_covered, 1);
    assert!(
        collapse.distance > 5.0 * healthy.distance,
        "distance {}, healthy {}",
        collapse.distance,
        healthy.distance
    );
}

#[test]
fn the_vanishing_gradients_preset_lets_d_win_and_starves_the_generator() {
    let (vanishing, healthy) = (
        run_preset(Preset::VanishingGradients, PRESET_ITERATIONS),
        healthy(),
    );
    eprintln!(
        "vanishing: distance {}, G gradient {}, D(fake) {}",
        vanishing.distance, vanishing.late_generator_gradient, vanishing.late_fake_belief
    );
    // D confidently rejects the fakes, so the minimax loss's gradient, proportional to D(fake),
    // is a fraction of a healthy run's, and the fakes stay far from the ring.
    assert!(
        vanishing.late_fake_belief < 0.3,
        "{}",
        vanishing.late_fake_belief
    );
    assert!(
        vanishing.late_generator_gradient < 0.4 * healthy.late_generator_gradient,
        "G gradient {}, healthy {}",
        vanishing.late_generator_gradient,
        healthy.late_generator_gradient
    );
    assert!(
        vanishing.distance > 3.0 * healthy.distance,
        "distance {}, healthy {}",
        vanishing.distance,
        healthy.distance
    );
}

#[test]
fn the_oscillation_preset_keeps_moving_the_fakes_from_mode_to_mode() {
    let oscillation = run_preset(Preset::Oscillation, 4000);
    // Between two samples where the fakes crowd on one mode, that mode changed.
    let crowded: Vec<usize> = oscillation
        .dominant_modes
        .iter()
        .flatten()
        .copied()
        .collect();
    let changes = crowded.windows(2).filter(|w| w[0] != w[1]).count();
    eprintln!(
        "oscillation: dominant {:?}, changes {changes}",
        oscillation.dominant_modes
    );
    assert!(changes >= 3, "{:?}", oscillation.dominant_modes);
    assert!(oscillation.distance > 3.0 * healthy().distance);
}

/// Runs sub-steps until the generator's backpropagation (its arrows) is done.
fn run_to_the_generator_arrows(gan: &mut Gan) {
    while gan.advance_sub_step().unwrap()
        != (Position {
            phase: Phase::Generator,
            step: 0,
            sub_step: SubStep::Backpropagate,
        })
    {}
}

#[test]
fn the_vanishing_gradients_preset_shrinks_each_arrow_by_d_over_one_minus_d() {
    // The preset's minimax loss and the same run with the non-saturating loss are identical up
    // to the first generator step (the discriminator's loss is the same for both), so at that
    // step they see the same fakes and the same discriminator. Per fake point the generator's
    // gradient is dL/dlogit · dlogit/dx with dL/dlogit = -D (minimax) or -(1 - D)
    // (non-saturating): the minimax arrow is D / (1 - D) times the other, and it vanishes where
    // the discriminator confidently rejects the fake (D near 0).
    let minimax_config = Preset::VanishingGradients.config();
    assert_eq!(minimax_config.loss, GanLoss::Minimax);
    let mut minimax = Gan::new(minimax_config.clone(), Target::Ring).unwrap();
    let mut saturating_free = Gan::new(
        GanConfig {
            loss: GanLoss::NonSaturating,
            ..minimax_config
        },
        Target::Ring,
    )
    .unwrap();
    run_to_the_generator_arrows(&mut minimax);
    run_to_the_generator_arrows(&mut saturating_free);
    assert_eq!(minimax.fake_samples(), saturating_free.fake_samples());
    let beliefs = minimax.fake_beliefs();
    assert_eq!(beliefs, saturating_free.fake_beliefs());
    let mut rejected = 0;
    for ((a, b), &d) in minimax
        .fake_gradients()
        .chunks_exact(2)
        .zip(saturating_free.fake_gradients().chunks_exact(2))
        .zip(beliefs)
    {
        let ratio = a[0].hypot(a[1]) / b[0].hypot(b[1]);
        let expected = d / (1.0 - d);
        assert!(
            (ratio - expected).abs() < 1e-4 * expected,
            "D = {d}: arrow ratio {ratio}, expected {expected}"
        );
        if d < 0.1 {
            rejected += 1;
            assert!(ratio < 0.12, "D = {d}: arrow ratio {ratio}");
        }
    }
    assert!(rejected >= 10, "only {rejected} fakes confidently rejected");
    let (norm, free_norm) = (
        minimax.gradient_norms().1,
        saturating_free.gradient_norms().1,
    );
    assert!(
        norm < 0.5 * free_norm,
        "generator gradient norm {norm}, non-saturating {free_norm}"
    );
}

#[test]
fn before_the_first_step_the_plane_already_shows_the_target_and_the_untrained_generator() {
    let gan = Gan::new(GanConfig::default(), Target::Ring).unwrap();
    assert_eq!(gan.iteration_count(), 0);
    // The ring has radius 0.8 and a small spread: every shown real point lies near it.
    for p in gan.real_samples().chunks(2) {
        let radius = (p[0] * p[0] + p[1] * p[1]).sqrt();
        assert!((radius - 0.8).abs() < 0.3, "real point at radius {radius}");
    }
    // The fakes are the untrained generator's output: spread out, not a pile at the origin.
    let fakes = gan.fake_samples();
    let distinct = fakes
        .chunks(2)
        .filter(|p| p[0] != fakes[0] || p[1] != fakes[1])
        .count();
    assert!(distinct > fakes.len() / 4, "only {distinct} distinct fakes");
    assert!(fakes.iter().all(|v| v.is_finite()));
}
