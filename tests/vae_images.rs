//! The VAE on images: the digits' file and the glyph generator, and training on the real
//! handwritten digits with a fixed seed (the ELBO rises, reconstructions beat a stated binary
//! cross-entropy, the 2-D latent map sorts the classes, a large β collapses the posterior),
//! plus a short run on the 28×28 glyphs with the 784-256-2 network of the speed goal.

use genplay::images::{digits, glyphs, ImageSet};
use genplay::vae::{Encodings, Vae, VaeConfig};
use std::sync::Arc;

const DIGITS_FILE: &[u8] = include_bytes!("../www/data/digits.bin");

fn digits_set() -> Arc<ImageSet> {
    Arc::new(digits::parse(DIGITS_FILE).unwrap())
}

/// The networks the digits tests train: one hidden layer of 128, batch 128, Adam at 0.003.
fn digits_config(beta: f32) -> VaeConfig {
    VaeConfig {
        hidden_layers: 1,
        hidden_units: 128,
        latent_dim: 2,
        batch_size: 128,
        learning_rate: 3e-3,
        beta,
        seed: 7,
    }
}

fn mean(values: &[f32]) -> f32 {
    values.iter().sum::<f32>() / values.len() as f32
}

/// The share of points whose 5 nearest other points (Euclidean, in the latent plane) vote for
/// their own class, ties to the nearest.
fn five_nn_accuracy(means: &[f32], labels: &[u8]) -> f64 {
    let n = labels.len();
    let mut right = 0;
    for i in 0..n {
        let mut by_distance: Vec<(f32, u8)> = (0..n)
            .filter(|&j| j != i)
            .map(|j| {
                let (dx, dy) = (
                    means[2 * i] - means[2 * j],
                    means[2 * i + 1] - means[2 * j + 1],
                );
                (dx * dx + dy * dy, labels[j])
            })
            .collect();
        by_distance.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut votes = [0usize; 10];
        for &(_, c) in &by_distance[..5] {
            votes[c as usize] += 1;
        }
        let best = *votes.iter().max().unwrap();
        let winner = by_distance[..5]
            .iter()
            .find(|(_, c)| votes[*c as usize] == best)
            .unwrap()
            .1;
        right += usize::from(winner == labels[i]);
    }
    right as f64 / n as f64
}

#[test]
fn the_digits_file_holds_1797_images_of_8x8_with_every_class() {
    let set = digits_set();
    assert_eq!((set.len(), set.size(), set.classes()), (1797, [8, 8], 10));
    let mut per_class = [0usize; 10];
    set.labels()
        .iter()
        .for_each(|&c| per_class[c as usize] += 1);
    // The UCI test set has 174 to 183 images of each digit.
    assert!(
        per_class.iter().all(|&n| (174..=183).contains(&n)),
        "{per_class:?}"
    );
    // The first image is a 0, as scikit-learn's load_digits() gives it.
    assert_eq!(set.labels()[0], 0);
    assert_eq!(&set.levels(0)[..8], &[0, 0, 5, 13, 9, 1, 0, 0]);
    let mut pixels = vec![0.0; 64];
    set.write(0, &mut pixels);
    assert_eq!(pixels[3], 13.0 / 16.0);
    assert!(digits::parse(&DIGITS_FILE[1..])
        .unwrap_err()
        .contains("116804 bytes, not 116805"));
}

#[test]
fn the_glyph_generator_is_deterministic_for_a_seed_and_draws_every_class() {
    let a = glyphs::glyphs(4, glyphs::COUNT);
    let b = glyphs::glyphs(4, glyphs::COUNT);
    assert_eq!(a, b, "the same seed gave different glyphs");
    assert_eq!((a.len(), a.size(), a.classes()), (10_000, [28, 28], 10));
    let mut per_class = [0usize; 10];
    a.labels().iter().for_each(|&c| per_class[c as usize] += 1);
    assert_eq!(per_class, [1000; 10]);
    let other = glyphs::glyphs(5, 20);
    assert_ne!(
        other.levels(3),
        a.levels(3),
        "another seed drew the same glyph"
    );
    // Every glyph has ink (a stroke) and background; two glyphs of one class differ.
    for i in 0..200 {
        let ink = a.levels(i).iter().filter(|&&v| v > 128).count();
        assert!(
            (20..400).contains(&ink),
            "glyph {i}: {ink} inked pixels of 784"
        );
    }
    assert_ne!(a.levels(0), a.levels(10));
    // Classes differ on average more than two glyphs of a class (mean images far apart).
    let class_mean = |c: usize| -> Vec<f32> {
        let mut m = vec![0.0; 784];
        for i in (c..1000).step_by(10) {
            for (s, &v) in m.iter_mut().zip(a.levels(i)) {
                *s += v as f32 / 100.0;
            }
        }
        m
    };
    let (one, zero) = (class_mean(1), class_mean(0));
    let distance: f32 = one.iter().zip(&zero).map(|(x, y)| (x - y).powi(2)).sum();
    assert!(
        distance.sqrt() > 500.0,
        "the 0s and the 1s look alike: {distance}"
    );
}

#[test]
fn on_digits_3000_steps_raise_the_elbo_by_15_nats_beat_0_35_bce_and_sort_the_latent_map() {
    let mut vae = Vae::new(digits_config(1.0), digits_set()).unwrap();
    let mut encodings = Encodings::default();
    vae.encodings(&mut encodings);
    let start_error = encodings.reconstruction_error;
    let start_accuracy = five_nn_accuracy(&encodings.means, &encodings.labels);
    vae.iterations(3000).unwrap();
    let elbo = vae.history().elbo();
    // The first iteration's bound against the last 200 iterations' mean.
    let (early, late) = (elbo[0], mean(&elbo[elbo.len() - 200..]));
    vae.encodings(&mut encodings);
    let accuracy = five_nn_accuracy(&encodings.means, &encodings.labels);
    eprintln!(
        "digits: ELBO {early} -> {late}; BCE per pixel {start_error} -> {}; 5-NN accuracy {start_accuracy} -> {accuracy}",
        encodings.reconstruction_error
    );
    assert_eq!(encodings.labels.len(), 500);
    assert!(late > early + 15.0, "ELBO {early} -> {late}");
    // The digits' grey levels are fractional: even a perfect decoder keeps their entropy, so
    // the floor is well above 0.
    assert!(
        encodings.reconstruction_error < 0.35 && start_error > 0.6,
        "BCE per pixel {start_error} -> {}",
        encodings.reconstruction_error
    );
    assert!(
        accuracy >= 0.6,
        "5-NN accuracy of the latent means {accuracy} (chance 0.1)"
    );
}

#[test]
fn on_digits_beta_50_drives_the_kl_near_0_in_1500_steps() {
    let mut vae = Vae::new(digits_config(50.0), digits_set()).unwrap();
    vae.iterations(1500).unwrap();
    let kl = vae.history().kl();
    let end = mean(&kl[kl.len() - 100..]);
    eprintln!("digits, β = 50: KL {} -> {end}", mean(&kl[..20]));
    assert!(end < 0.05, "KL {end}: the posterior did not collapse");
}

#[test]
fn on_glyphs_the_784_256_2_network_raises_the_elbo_by_50_nats_in_300_steps() {
    let config = VaeConfig {
        hidden_layers: 1,
        hidden_units: 256,
        latent_dim: 2,
        batch_size: 64,
        learning_rate: 1e-3,
        beta: 1.0,
        seed: 3,
    };
    let mut vae = Vae::new(config, Arc::new(glyphs::glyphs(1, 2000))).unwrap();
    assert_eq!(vae.encoder().param_count(), 784 * 256 + 256 + 256 * 4 + 4);
    vae.iterations(300).unwrap();
    let elbo = vae.history().elbo();
    let (early, late) = (mean(&elbo[..10]), mean(&elbo[elbo.len() - 50..]));
    eprintln!("glyphs: ELBO {early} -> {late}");
    assert!(late > early + 50.0, "ELBO {early} -> {late}");
    // The decoded grid is 15×15 images of 784 grey levels.
    let grid = vae.manifold(15, [0, 1]);
    assert_eq!(grid.len(), 225 * 784);
    assert!(grid.iter().all(|v| (0.0..=1.0).contains(v)));
}

#[test]
fn a_narrated_iteration_is_the_same_iteration_and_its_trace_adds_up() {
    let mut plain = Vae::new(digits_config(1.0), digits_set()).unwrap();
    let mut narrated = Vae::new(digits_config(1.0), digits_set()).unwrap();
    plain.iterations(3).unwrap();
    narrated.iterations(2).unwrap();
    let trace = narrated.traced_iteration().unwrap();
    assert_eq!(plain.history().elbo(), narrated.history().elbo());
    assert_eq!(plain.encoder().params(), narrated.encoder().params());
    assert_eq!(trace.iteration, 3);
    assert_eq!((trace.x.len(), trace.decoded.len()), (64, 64));
    for j in 0..2 {
        let z = trace.mean[j] + trace.std_dev[j] * trace.noise[j];
        assert!(
            (trace.z[j] - z).abs() < 1e-5,
            "z = μ + σ·ε: {} vs {z}",
            trace.z[j]
        );
    }
    assert!(trace.decoded.iter().all(|p| (0.0..=1.0).contains(p)));
    let terms = narrated.terms().unwrap();
    assert_eq!(trace.terms, terms);
    assert!(trace.encoder_grad_norm > 0.0 && trace.decoder_grad_norm > 0.0);
}
