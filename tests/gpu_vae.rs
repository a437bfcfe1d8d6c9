//! The VAE lab on the GPU (Mesa's lavapipe in CI) against its own CPU path from the same seed:
//! the loss and every gradient of one batch (the reparameterisation, the KL, the Gaussian
//! likelihood with the learned log-variance, both networks' backward passes), then 100 training
//! iterations whose ELBO, reconstruction and KL agree within 1e-3 relative at every iteration,
//! at β = 1 and other βs, with 1-D and 2-D latents; the same on images through the Bernoulli
//! likelihood (one batch of digits and of 28×28 glyphs on 784-256-2, then 60 iterations on the
//! digits with a 3-D latent); a device lost mid-run falls back keeping the run; "gpu" is refused
//! with the reason without a GPU. These tests never skip.

use genplay::gpu::{self, Gpu};
use genplay::labs::backend::GpuAccess;
use genplay::labs::vae::VaeRun;
use genplay::labs::{Lab, Value};
use genplay::rng;
use genplay::targets::Target;
use genplay::vae::gpu::VaeGpu;
use genplay::vae::{Vae, VaeConfig};

fn device() -> Gpu {
    gpu::acquire_blocking().expect("a Vulkan adapter (install mesa-vulkan-drivers)")
}

fn relative(a: f32, b: f32) -> f64 {
    ((a - b).abs() / b.abs().max(0.01)) as f64
}

fn max_error(gpu: &[f32], cpu: &[f32]) -> f64 {
    assert_eq!(gpu.len(), cpu.len());
    gpu.iter()
        .zip(cpu)
        .map(|(&a, &b)| ((a - b).abs() / (1.0 + b.abs())) as f64)
        .fold(0.0, f64::max)
}

#[test]
fn one_batch_s_loss_and_gradients_match_the_cpu() {
    let gpu = device();
    for (latent_dim, beta, batch) in [(2, 1.0, 300), (1, 0.3, 77), (2, 5.0, 64)] {
        let config = VaeConfig {
            latent_dim,
            beta,
            batch_size: batch,
            hidden_units: 24,
            seed: 3,
            ..VaeConfig::default()
        };
        let mut vae = Vae::new(config, Target::Ring).unwrap();
        let mut r = rng::seeded(11);
        let mut data = vec![0.0; 2 * batch];
        Target::Ring.sample(&mut r, &mut data);
        let mut noise = vec![0.0; latent_dim * batch];
        rng::fill_standard_normal(&mut r, &mut noise);
        // A log-variance away from its start, so that both of its gradients are non-trivial.
        vae.set_decoder_log_variance([-1.0, -2.0]);
        let mut on_gpu = VaeGpu::new(&gpu, &vae);
        let on = on_gpu.evaluate_blocking(&vae, &data, &noise).unwrap();
        let (terms, encoder, decoder, variance) = (
            on.terms,
            on.encoder_grads,
            on.decoder_grads,
            on.log_variance_grads,
        );
        let cpu = vae.evaluate(&data, &noise).unwrap();
        let errors = [
            relative(terms.reconstruction, cpu.reconstruction),
            relative(terms.kl, cpu.kl),
            max_error(&encoder, vae.encoder().grads()),
            max_error(&decoder, vae.decoder().grads()),
            max_error(&variance, &vae.decoder_log_variance_grad()),
        ];
        println!(
            "latent {latent_dim}, β {beta}, batch {batch}: reconstruction {:.1e}, KL {:.1e}, encoder gradients {:.1e}, decoder gradients {:.1e}, log-variance gradients {:.1e}",
            errors[0], errors[1], errors[2], errors[3], errors[4]
        );
        assert!(errors.iter().all(|&e| e < 1e-4), "{errors:?}");
    }
}

/// A VAE lab with `settings` (a batch of 64 unless they say otherwise: lavapipe is slow), on the
/// GPU when `gpu` is given.
fn lab(settings: &[(&str, Value)], gpu: Option<&Gpu>) -> Lab<VaeRun> {
    let mut lab = Lab::<VaeRun>::new(4).unwrap();
    lab.set("batch_size", &Value::Number(64.0)).unwrap();
    for (name, value) in settings {
        lab.set(name, value).unwrap();
    }
    if let Some(gpu) = gpu {
        lab.attach_gpu(GpuAccess::Available(gpu.clone()));
        lab.set("backend", &Value::text("gpu")).unwrap();
        assert_eq!(lab.backend().unwrap().backend, "gpu");
    }
    lab
}

/// The largest relative difference of the ELBO, the reconstruction term and the KL over the
/// two runs' histories.
fn history_error(gpu: &Lab<VaeRun>, cpu: &Lab<VaeRun>) -> [f64; 3] {
    let (g, c) = (gpu.model().vae().history(), cpu.model().vae().history());
    assert_eq!(g.iterations(), c.iterations());
    let worst = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(&x, &y)| relative(x, y))
            .fold(0.0, f64::max)
    };
    [
        worst(g.elbo(), c.elbo()),
        worst(g.reconstruction(), c.reconstruction()),
        worst(g.kl(), c.kl()),
    ]
}

#[test]
fn training_on_the_gpu_follows_the_cpu_for_100_iterations() {
    let gpu = device();
    let n = Value::Number;
    let cases: Vec<Vec<(&str, Value)>> = vec![
        vec![("batch_size", n(256.0))],
        vec![("beta", n(0.2)), ("latent_dim", n(1.0))],
        vec![("beta", n(5.0)), ("hidden_layers", n(1.0))],
        vec![
            ("latent_dim", n(1.0)),
            ("target", Value::text("moons")),
            ("batch_size", n(100.0)),
        ],
    ];
    for settings in &cases {
        let mut on_cpu = lab(settings, None);
        let mut on_gpu = lab(settings, Some(&gpu));
        on_cpu.step(100.0).unwrap();
        for n in [1.0, 19.0, 80.0] {
            on_gpu.step_blocking(n).unwrap();
        }
        assert_eq!(on_gpu.progress_count(), 100);
        let [elbo, reconstruction, kl] = history_error(&on_gpu, &on_cpu);
        let names: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!(
            "{}: max relative error over 100 iterations: ELBO {elbo:.1e}, reconstruction {reconstruction:.1e}, KL {kl:.1e}",
            names.join(" ")
        );
        assert!(
            elbo < 1e-3 && reconstruction < 1e-3 && kl < 1e-3,
            "{names:?}"
        );
        // The views are drawn from the weights read back.
        let (a, b) = (on_gpu.model().encodings(), on_cpu.model().encodings());
        let view_error = max_error(&a.reconstructions, &b.reconstructions);
        assert!(view_error < 1e-3, "reconstructions differ by {view_error}");
    }
}

#[test]
fn beta_and_the_learning_rate_change_live_on_the_gpu() {
    let gpu = device();
    let mut on_cpu = lab(&[], None);
    let mut on_gpu = lab(&[], Some(&gpu));
    for l in [&mut on_cpu, &mut on_gpu] {
        l.step_blocking(20.0).unwrap();
        l.set("beta", &Value::Number(3.0)).unwrap();
        l.set("learning_rate", &Value::Number(0.001)).unwrap();
        l.step_blocking(20.0).unwrap();
        // A step on the CPU in between, then the GPU again.
        l.step(3.0).unwrap();
        l.step_blocking(7.0).unwrap();
    }
    assert_eq!(on_gpu.progress_count(), 50);
    let [elbo, reconstruction, kl] = history_error(&on_gpu, &on_cpu);
    assert!(
        elbo < 1e-3 && reconstruction < 1e-3 && kl < 1e-3,
        "{elbo} {reconstruction} {kl}"
    );
}

#[test]
fn a_device_lost_mid_run_falls_back_to_the_cpu_keeping_the_run() {
    let gpu = device();
    let mut on_cpu = lab(&[], None);
    let mut on_gpu = lab(&[], Some(&gpu));
    on_gpu.step_blocking(15.0).unwrap();
    assert!(on_gpu.gpu_begin(10.0).unwrap());
    assert_eq!(on_gpu.gpu_continue(), None, "the run is on its way");
    gpu.destroy();
    let count = loop {
        let _ = gpu.device.poll(wgpu::PollType::wait_indefinitely());
        if let Some(count) = on_gpu.gpu_continue() {
            break count;
        }
    };
    assert_eq!(count, 15.0);
    let report = on_gpu.backend().unwrap();
    assert_eq!(report.backend, "cpu");
    let note = report.backend_note.unwrap();
    assert!(
        note.contains("10 iterations on the GPU were lost"),
        "{note}"
    );
    on_gpu.step_blocking(15.0).unwrap();
    on_cpu.step(30.0).unwrap();
    let [elbo, reconstruction, kl] = history_error(&on_gpu, &on_cpu);
    assert!(elbo < 1e-3 && reconstruction < 1e-3 && kl < 1e-3);
}

#[test]
fn gpu_is_refused_with_the_reason_when_there_is_none() {
    let mut lab = Lab::<VaeRun>::new(1).unwrap();
    lab.attach_gpu(GpuAccess::Unavailable("this browser has no WebGPU".into()));
    let message = lab.set("backend", &Value::text("gpu")).unwrap_err();
    assert!(message.contains("this browser has no WebGPU"), "{message}");
    assert_eq!(lab.value("backend").unwrap(), Value::text("auto"));
    assert_eq!(lab.backend().unwrap().backend, "cpu");
}

const DIGITS_FILE: &[u8] = include_bytes!("../www/data/digits.bin");

#[test]
fn one_batch_of_images_matches_the_cpu_through_the_bernoulli_likelihood() {
    use genplay::images::{digits, glyphs};
    use std::sync::Arc;
    let gpu = device();
    let digit_set = Arc::new(digits::parse(DIGITS_FILE).unwrap());
    // The 8×8 digits with a 3-D latent, and the 28×28 glyphs on the speed goal's 784-256-2.
    for (images, latent_dim, hidden_units, batch) in [
        (digit_set, 3, 32, 50),
        (Arc::new(glyphs::glyphs(5, 64)), 2, 256, 16),
    ] {
        let config = VaeConfig {
            latent_dim,
            batch_size: batch,
            hidden_layers: 1,
            hidden_units,
            beta: 0.5,
            seed: 5,
            ..VaeConfig::default()
        };
        let pixels = images.pixels();
        let mut vae = Vae::new(config, images.clone()).unwrap();
        let mut r = rng::seeded(12);
        let mut data = vec![0.0; pixels * batch];
        for row in data.chunks_exact_mut(pixels) {
            images.write(images.draw_index(&mut r), row);
        }
        let mut noise = vec![0.0; latent_dim * batch];
        rng::fill_standard_normal(&mut r, &mut noise);
        let on = VaeGpu::new(&gpu, &vae)
            .evaluate_blocking(&vae, &data, &noise)
            .unwrap();
        let cpu = vae.evaluate(&data, &noise).unwrap();
        let errors = [
            relative(on.terms.reconstruction, cpu.reconstruction),
            relative(on.terms.kl, cpu.kl),
            max_error(&on.encoder_grads, vae.encoder().grads()),
            max_error(&on.decoder_grads, vae.decoder().grads()),
        ];
        println!(
            "{pixels} pixels, latent {latent_dim}: reconstruction {:.1e} ({} on the CPU), KL {:.1e}, encoder gradients {:.1e}, decoder gradients {:.1e}",
            errors[0], cpu.reconstruction, errors[1], errors[2], errors[3]
        );
        // A Bernoulli term per pixel: far from 0, so the relative error means something.
        assert!(cpu.reconstruction < -(pixels as f32) * 0.1);
        assert!(errors.iter().all(|&e| e < 1e-4), "{errors:?}");
        assert_eq!(
            on.log_variance_grads,
            [0.0, 0.0],
            "images learn no variance"
        );
    }
}

#[test]
fn training_on_images_on_the_gpu_follows_the_cpu() {
    genplay::labs::vae::provide_digits(DIGITS_FILE).unwrap();
    let gpu = device();
    let n = Value::Number;
    let settings = [
        ("target", Value::text("digits")),
        ("hidden_layers", n(1.0)),
        ("hidden_units", n(64.0)),
        ("latent_dim", n(3.0)),
    ];
    let mut on_cpu = lab(&settings, None);
    let mut on_gpu = lab(&settings, Some(&gpu));
    on_cpu.step(60.0).unwrap();
    for n in [1.0, 29.0, 30.0] {
        on_gpu.step_blocking(n).unwrap();
    }
    assert_eq!(on_gpu.progress_count(), 60);
    let [elbo, reconstruction, kl] = history_error(&on_gpu, &on_cpu);
    println!(
        "digits, latent 3: max relative error over 60 iterations: ELBO {elbo:.1e}, reconstruction {reconstruction:.1e}, KL {kl:.1e}"
    );
    assert!(elbo < 1e-3 && reconstruction < 1e-3 && kl < 1e-3);
    let (g, c) = (
        on_gpu.model().vae().history(),
        on_cpu.model().vae().history(),
    );
    assert!(
        g.elbo()[59] > g.elbo()[0] + 5.0,
        "the ELBO rose on the GPU: {} to {}",
        g.elbo()[0],
        g.elbo()[59]
    );
    assert_eq!(g.elbo().len(), c.elbo().len());
    // The image views are drawn from the weights read back.
    let (a, b) = (on_gpu.model().encodings(), on_cpu.model().encodings());
    let view_error = max_error(&a.reconstructions, &b.reconstructions);
    assert!(view_error < 1e-3, "reconstructions differ by {view_error}");
}
