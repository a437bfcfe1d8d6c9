//! The VAE: its gradient against an independent f64 computation (the Gaussian decoder of points
//! and the Bernoulli decoder of images), the closed-form KL, learning the ring (the ELBO rises, reconstructions and prior samples approach the data), the β
//! trade-off, reproducibility, the divergence guard and the configuration messages.

use genplay::images::ImageSet;
use genplay::metrics::{projection_directions, sliced_wasserstein};
use genplay::nn::Mlp;
use genplay::rng;
use genplay::targets::Target;
use genplay::vae::{gaussian_kl, History, Terms, Vae, VaeConfig, VaeError, VIEW_POINTS};
use std::sync::Arc;

const LEAKY_SLOPE: f64 = 0.2;

/// An f64 forward pass of `mlp` (LeakyReLU between layers, linear output) on one row.
fn forward_f64(mlp: &Mlp, params: &[f64], input: &[f64]) -> Vec<f64> {
    let mut x = input.to_vec();
    let mut offset = 0;
    let last = mlp.layers().len() - 1;
    for (l, layer) in mlp.layers().iter().enumerate() {
        let (n_in, n_out) = (layer.inputs, layer.outputs);
        let weights = &params[offset..offset + n_in * n_out];
        let biases = &params[offset + n_in * n_out..offset + n_in * n_out + n_out];
        offset += layer.param_count();
        let mut y: Vec<f64> = biases.to_vec();
        for i in 0..n_in {
            for o in 0..n_out {
                y[o] += x[i] * weights[i * n_out + o];
            }
        }
        if l < last {
            y.iter_mut().for_each(|v| {
                if *v < 0.0 {
                    *v *= LEAKY_SLOPE
                }
            });
        }
        x = y;
    }
    x
}

/// The loss -reconstruction + β·KL averaged over the batch, computed from scratch in f64: with
/// the Gaussian decoder of that log-variance, or with `None` the Bernoulli decoder of images
/// (log p(x | z) = Σ x·logit - ln(1 + e^logit)).
fn loss_f64(
    vae: &Vae,
    encoder: &[f64],
    decoder: &[f64],
    log_variance: Option<[f64; 2]>,
    data: &[f32],
    noise: &[f32],
) -> f64 {
    let l = vae.config().latent_dim;
    let beta = vae.config().beta as f64;
    let rows = noise.len() / l;
    let dim = data.len() / rows;
    let mut total = 0.0;
    for (x, eps) in data.chunks_exact(dim).zip(noise.chunks_exact(l)) {
        let x: Vec<f64> = x.iter().map(|&v| v as f64).collect();
        let encoded = forward_f64(vae.encoder(), encoder, &x);
        let (mean, lv) = encoded.split_at(l);
        let z: Vec<f64> = (0..l)
            .map(|j| mean[j] + (0.5 * lv[j]).exp() * eps[j] as f64)
            .collect();
        let kl: f64 = (0..l)
            .map(|j| 0.5 * (mean[j] * mean[j] + lv[j].exp() - 1.0 - lv[j]))
            .sum();
        let decoded = forward_f64(vae.decoder(), decoder, &z);
        let log_likelihood: f64 = match log_variance {
            Some(log_variance) => (0..2)
                .map(|d| {
                    let diff = x[d] - decoded[d];
                    -0.5 * ((std::f64::consts::TAU).ln()
                        + log_variance[d]
                        + diff * diff / log_variance[d].exp())
                })
                .sum(),
            None => (0..dim)
                .map(|d| x[d] * decoded[d] - decoded[d].exp().ln_1p())
                .sum(),
        };
        total += -log_likelihood + beta * kl;
    }
    total / rows as f64
}

fn to_f64(values: &[f32]) -> Vec<f64> {
    values.iter().map(|&v| v as f64).collect()
}

/// Three 3×2 images of levels 0 to 4, two classes: enough to build an image VAE of dimension 6.
fn tiny_images() -> Arc<ImageSet> {
    let levels = vec![0, 1, 4, 2, 3, 0, 4, 4, 1, 0, 2, 3, 1, 0, 0, 3, 4, 2];
    Arc::new(ImageSet::new(3, 2, 4, 2, levels, vec![0, 1, 1]))
}

/// Central differences of the f64 loss against the analytic f32 gradient, every parameter, for
/// points (the Gaussian decoder and its log-variance) or images (the Bernoulli decoder).
fn check_gradient(latent_dim: usize, images: bool) {
    let config = VaeConfig {
        hidden_layers: 2,
        hidden_units: 6,
        latent_dim,
        batch_size: 5,
        beta: 0.7,
        seed: 3,
        ..VaeConfig::default()
    };
    let mut vae = if images {
        Vae::new(config, tiny_images()).unwrap()
    } else {
        Vae::new(config, Target::TwoMoons).unwrap()
    };
    vae.set_decoder_log_variance([-0.8, -1.3]);
    let mut r = rng::seeded(11);
    let data: Vec<f32> = if images {
        // Grey levels in [0, 1], the fractional targets the Bernoulli likelihood takes.
        (0..5 * 6).map(|_| rng::uniform(&mut r) as f32).collect()
    } else {
        (0..10)
            .map(|_| 0.6 * rng::standard_normal(&mut r) as f32)
            .collect()
    };
    let noise: Vec<f32> = (0..5 * latent_dim)
        .map(|_| rng::standard_normal(&mut r) as f32)
        .collect();
    let terms = vae.evaluate(&data, &noise).unwrap();
    let encoder = to_f64(vae.encoder().params());
    let decoder = to_f64(vae.decoder().params());
    let log_variance = [-0.8, -1.3];
    let decoder_variance = (!images).then_some(log_variance);
    let reference = loss_f64(&vae, &encoder, &decoder, decoder_variance, &data, &noise);
    assert!(
        (terms.loss(0.7) as f64 - reference).abs() < 1e-4 * reference.abs().max(1.0),
        "loss {} vs f64 {reference}",
        terms.loss(0.7)
    );

    let h = 1e-6;
    let numeric = |which: usize, i: usize| {
        let (mut e, mut d, mut v) = (encoder.clone(), decoder.clone(), log_variance);
        let mut at = |delta: f64| {
            match which {
                0 => e[i] = encoder[i] + delta,
                1 => d[i] = decoder[i] + delta,
                _ => v[i] = log_variance[i] + delta,
            }
            loss_f64(&vae, &e, &d, (!images).then_some(v), &data, &noise)
        };
        (at(h) - at(-h)) / (2.0 * h)
    };
    let mut checked = 0;
    let mut worst: f64 = 0.0;
    let groups: [(usize, &[f32]); 3] = [
        (0, vae.encoder().grads()),
        (1, vae.decoder().grads()),
        (2, &vae.decoder_log_variance_grad()),
    ];
    if images {
        // Images have no decoder variance: nothing flows into it.
        assert_eq!(vae.decoder_log_variance_grad(), [0.0, 0.0]);
    }
    for (which, analytic) in groups.into_iter().take(if images { 2 } else { 3 }) {
        let numbers: Vec<f64> = (0..analytic.len()).map(|i| numeric(which, i)).collect();
        let norm = numbers.iter().map(|n| n * n).sum::<f64>().sqrt();
        assert!(norm > 1e-3, "group {which}: the gradient vanishes");
        for (i, (&a, &n)) in analytic.iter().zip(&numbers).enumerate() {
            // Entries far below the gradient's size are compared against 1% of its norm.
            let error = (a as f64 - n).abs() / (n.abs().max(a.abs() as f64) + 0.01 * norm);
            worst = worst.max(error);
            assert!(
                error < 1e-3,
                "latent {latent_dim}, group {which}, entry {i}: analytic {a} vs numeric {n}"
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} parameters checked");
    eprintln!(
        "latent {latent_dim}, images {images}: worst relative error {worst:.2e} over {checked} parameters"
    );
}

#[test]
fn gradient_of_the_negative_elbo_matches_f64_finite_differences() {
    check_gradient(2, false);
    check_gradient(1, false);
}

#[test]
fn gradient_through_the_bernoulli_decoder_matches_f64_finite_differences() {
    check_gradient(2, true);
    check_gradient(1, true);
    check_gradient(5, true);
}

#[test]
fn kl_closed_form_matches_a_hand_value_and_monte_carlo() {
    let mean = [0.5f32, -1.0];
    let log_variance = [0.25f32.ln(), 2.0f32.ln()];
    // ½(0.25 + 0.25 - 1 - ln 0.25) + ½(1 + 2 - 1 - ln 2).
    let hand = 0.5 * (0.25 + 0.25 - 1.0 - 0.25f64.ln()) + 0.5 * (1.0 + 2.0 - 1.0 - 2.0f64.ln());
    let closed = gaussian_kl(&mean, &log_variance) as f64;
    assert!((closed - hand).abs() < 1e-6, "{closed} vs {hand}");
    assert!((hand - 1.096_574).abs() < 1e-5);

    // E_q[log q(z) - log p(z)] by sampling z ~ q.
    let mut r = rng::seeded(5);
    let n = 400_000;
    let mut total = 0.0;
    for _ in 0..n {
        for j in 0..2 {
            let sd = (0.5 * log_variance[j] as f64).exp();
            let eps = rng::standard_normal(&mut r);
            let z = mean[j] as f64 + sd * eps;
            // log q - log p; the ½ ln 2π cancels.
            total += -0.5 * eps * eps - sd.ln() + 0.5 * z * z;
        }
    }
    let monte_carlo = total / n as f64;
    assert!(
        (monte_carlo - hand).abs() < 0.01,
        "Monte Carlo {monte_carlo} vs closed form {hand}"
    );
    assert_eq!(gaussian_kl(&[0.0, 0.0], &[0.0, 0.0]), 0.0);
}

#[test]
fn kl_closed_form_matches_monte_carlo_for_a_16_dimensional_latent() {
    // The widest latent images may use: a mean and a spread per coordinate, all different.
    let mean: Vec<f32> = (0..16).map(|j| 0.15 * j as f32 - 1.0).collect();
    let log_variance: Vec<f32> = (0..16).map(|j| -1.5 + 0.2 * j as f32).collect();
    let closed = gaussian_kl(&mean, &log_variance) as f64;
    let mut r = rng::seeded(8);
    let n = 100_000;
    let mut total = 0.0;
    for _ in 0..n {
        for j in 0..16 {
            let sd = (0.5 * log_variance[j] as f64).exp();
            let eps = rng::standard_normal(&mut r);
            let z = mean[j] as f64 + sd * eps;
            total += -0.5 * eps * eps - sd.ln() + 0.5 * z * z;
        }
    }
    let monte_carlo = total / n as f64;
    // The estimate's standard error here is about 0.02; 0.1 is five of them.
    assert!(
        (monte_carlo - closed).abs() < 0.1,
        "Monte Carlo {monte_carlo} vs closed form {closed}"
    );
    assert!(
        closed > 5.0,
        "KL {closed}: the test point is too close to the prior"
    );
}

fn mean(values: &[f32]) -> f32 {
    values.iter().sum::<f32>() / values.len() as f32
}

/// The sliced Wasserstein distance between the decoded prior samples and fresh ring data.
fn prior_distance(vae: &mut Vae) -> f32 {
    let mut real = vec![0.0; 2 * VIEW_POINTS];
    Target::Ring.sample(&mut rng::seeded(99), &mut real);
    let generated = vae.prior_samples().to_vec();
    sliced_wasserstein(&real, &generated, &projection_directions(64, 1))
}

#[test]
fn training_on_the_ring_raises_the_elbo_and_reconstructs_and_generates_the_data() {
    let mut vae = Vae::new(VaeConfig::default(), Target::Ring).unwrap();
    let start_error = vae.reconstruction_error();
    let start_distance = prior_distance(&mut vae);
    vae.iterations(2000).unwrap();
    let elbo = vae.history().elbo();
    assert_eq!(elbo.len(), 2000);
    let early = mean(&elbo[..50]);
    let late = mean(&elbo[elbo.len() - 200..]);
    let end_error = vae.reconstruction_error();
    // The prior's centre decodes to a point of the plane, as the manifold's middle point does.
    let manifold_centre = {
        let grid = vae.manifold(5, [0, 1]);
        [grid[2 * 12], grid[2 * 12 + 1]]
    };
    assert_eq!(vae.decode(&[0.0, 0.0]), &manifold_centre[..]);
    let end_distance = prior_distance(&mut vae);
    eprintln!(
        "ELBO {early} -> {late}; reconstruction error {start_error} -> {end_error}; \
         prior distance {start_distance} -> {end_distance}"
    );
    assert!(late > early + 1.0, "ELBO rose only from {early} to {late}");
    assert!(
        end_error < 0.3 * start_error && end_error < 0.15,
        "reconstruction error {start_error} -> {end_error}"
    );
    assert!(
        start_distance > 0.3 && end_distance < 0.1 && end_distance < start_distance / 4.0,
        "prior samples' distance to the ring {start_distance} -> {end_distance}"
    );
}

fn kl_after(beta: f32, iterations: usize) -> (f32, f32) {
    let config = VaeConfig {
        beta,
        ..VaeConfig::default()
    };
    let mut vae = Vae::new(config, Target::Ring).unwrap();
    vae.iterations(iterations).unwrap();
    let kl = vae.history().kl();
    (mean(&kl[..20]), mean(&kl[kl.len() - 100..]))
}

#[test]
fn beta_trades_reconstruction_against_kl_and_a_large_beta_collapses_the_posterior() {
    let (_, kl_true) = kl_after(1.0, 1000);
    let (free_start, free_end) = kl_after(0.0, 1000);
    let (_, collapsed) = kl_after(20.0, 1000);
    eprintln!("KL: β=0 {free_start} -> {free_end}, β=1 {kl_true}, β=20 {collapsed}");
    assert!(
        free_end > free_start + 2.0 && free_end > kl_true + 1.0,
        "β = 0: KL {free_start} -> {free_end} (β = 1: {kl_true})"
    );
    assert!(collapsed < 0.05, "β = 20: KL {collapsed}, no collapse");
    assert!(kl_true > 0.5, "β = 1: KL {kl_true}, the latent is unused");
}

#[test]
fn same_seed_gives_the_same_run_and_another_seed_does_not() {
    let run = |seed: u64| {
        let config = VaeConfig {
            seed,
            ..VaeConfig::default()
        };
        let mut vae = Vae::new(config, Target::Spiral).unwrap();
        vae.iterations(30).unwrap();
        (vae.history().elbo().to_vec(), vae.prior_samples().to_vec())
    };
    let a = run(7);
    assert_eq!(a, run(7));
    assert_ne!(a.0, run(8).0);
}

#[test]
fn fresh_prior_draws_change_the_new_data_but_not_training_and_reset_restores_them() {
    let config = VaeConfig {
        seed: 7,
        ..VaeConfig::default()
    };
    let mut plain = Vae::new(config.clone(), Target::Spiral).unwrap();
    let mut redrawn = Vae::new(config, Target::Spiral).unwrap();
    let first = redrawn.prior_samples().to_vec();
    redrawn.redraw_prior_samples();
    let second = redrawn.prior_samples().to_vec();
    assert_ne!(first, second);
    plain.iterations(30).unwrap();
    redrawn.iterations(30).unwrap();
    assert_eq!(plain.history().elbo(), redrawn.history().elbo());
    redrawn.reset();
    plain.reset();
    assert_eq!(plain.prior_samples(), redrawn.prior_samples());
}

#[test]
fn a_huge_learning_rate_trips_the_divergence_guard_and_reset_recovers() {
    let config = VaeConfig {
        learning_rate: 10.0,
        ..VaeConfig::default()
    };
    let mut vae = Vae::new(config, Target::Ring).unwrap();
    let error = vae.iterations(200).unwrap_err();
    let VaeError::Diverged(message) = &error else {
        panic!("expected a divergence, got {error}");
    };
    assert!(
        message.contains("training diverged") && message.contains("lower the learning rate"),
        "{message}"
    );
    assert_eq!(vae.diverged(), Some(message.as_str()));
    let stopped_at = vae.iteration_count();
    assert!(vae.iteration().is_err());
    assert_eq!(vae.iteration_count(), stopped_at, "a diverged run went on");

    vae.set_learning_rate(3e-3).unwrap();
    vae.reset();
    assert_eq!(vae.diverged(), None);
    assert_eq!(vae.iteration_count(), 0);
    assert!(vae.history().is_empty());
    vae.iterations(50).unwrap();
    assert!(vae.history().elbo().iter().all(|e| e.is_finite()));
}

#[test]
fn invalid_settings_are_refused_with_the_allowed_range() {
    let cases: [(VaeConfig, &str); 8] = [
        (
            VaeConfig {
                hidden_layers: 5,
                ..VaeConfig::default()
            },
            "hidden_layers = 5 is not allowed: hidden_layers must be a whole number from 0 to 4",
        ),
        (
            VaeConfig {
                hidden_units: 0,
                ..VaeConfig::default()
            },
            "hidden_units = 0 is not allowed: hidden_units must be a whole number from 1 to 1024",
        ),
        (
            VaeConfig {
                latent_dim: 17,
                ..VaeConfig::default()
            },
            "latent_dim = 17 is not allowed: latent_dim must be a whole number from 1 to 16",
        ),
        (
            VaeConfig {
                batch_size: 20000,
                ..VaeConfig::default()
            },
            "batch_size = 20000 is not allowed: batch_size must be a whole number from 1 to 16384",
        ),
        (
            VaeConfig {
                learning_rate: f32::NAN,
                ..VaeConfig::default()
            },
            "learning_rate = NaN is not allowed",
        ),
        (
            VaeConfig {
                learning_rate: 0.0,
                ..VaeConfig::default()
            },
            "learning_rate must be a number above 0 and at most 10",
        ),
        (
            VaeConfig {
                beta: -1.0,
                ..VaeConfig::default()
            },
            "beta = -1 is not allowed: beta must be a number from 0 to 100",
        ),
        (
            VaeConfig {
                beta: f32::INFINITY,
                ..VaeConfig::default()
            },
            "beta = Infinity is not allowed",
        ),
    ];
    for (config, expected) in cases {
        let message = Vae::new(config, Target::Ring).err().unwrap().to_string();
        assert!(message.contains(expected), "{message} lacks {expected}");
    }
    let mut vae = Vae::new(VaeConfig::default(), Target::Ring).unwrap();
    assert!(vae.set_beta(-0.5).is_err());
    assert!(vae.set_learning_rate(0.0).is_err());
    assert_eq!(
        vae.config(),
        &VaeConfig::default(),
        "a refused set changed the config"
    );
    let empty = Target::Drawn(Vec::new());
    let message = Vae::new(VaeConfig::default(), empty)
        .err()
        .unwrap()
        .to_string();
    assert!(message.contains("no points"), "{message}");
}

#[test]
fn history_thins_to_its_capacity_and_keeps_evenly_spaced_iterations() {
    let mut history = History::new(8);
    for it in 1..=100u64 {
        let terms = Terms {
            reconstruction: it as f32,
            kl: 1.0,
        };
        history.record(it, terms);
    }
    let its = history.iterations();
    assert!((4..=8).contains(&its.len()), "{its:?}");
    assert!(its.windows(2).all(|w| w[1] - w[0] == 16), "{its:?}");
    assert!(history
        .elbo()
        .iter()
        .zip(its)
        .all(|(e, &i)| *e == i as f32 - 1.0));
}
