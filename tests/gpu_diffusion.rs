//! The diffusion lab on the GPU (Mesa's lavapipe in CI) against its own CPU path from the same
//! seed: the loss and every gradient of one batch (the network on the embedded times, the mean
//! squared error), for both objectives; then training whose losses agree within 1e-3 relative at
//! every iteration, across a distance measurement (a whole reverse pass, from the weights read
//! back) and a learning-rate change; a device lost mid-run falls back keeping the run; "gpu" is
//! refused with the reason without a GPU. These tests never skip.

use genplay::choice::Choice;
use genplay::diffusion::gpu::DiffusionGpu;
use genplay::diffusion::{Diffusion, DiffusionConfig, Objective, DISTANCE_INTERVAL};
use genplay::gpu::{self, Gpu};
use genplay::labs::backend::GpuAccess;
use genplay::labs::diffusion::DiffusionRun;
use genplay::labs::{Lab, Value};
use genplay::rng;
use genplay::targets::Target;

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
    for (objective, batch, layers) in [
        (Objective::Ddpm, 256, 3),
        (Objective::FlowMatching, 77, 2),
        (Objective::Ddpm, 64, 1),
    ] {
        let config = DiffusionConfig {
            objective,
            sampler: objective.default_sampler(),
            batch_size: batch,
            hidden_layers: layers,
            hidden_units: 48,
            seed: 3,
            ..DiffusionConfig::default()
        };
        let mut model = Diffusion::new(config, Target::Ring).unwrap();
        let mut r = rng::seeded(11);
        let mut data = vec![0.0; 2 * batch];
        Target::Ring.sample(&mut r, &mut data);
        let times: Vec<f32> = (0..batch).map(|_| rng::uniform(&mut r) as f32).collect();
        let mut noise = vec![0.0; 2 * batch];
        rng::fill_standard_normal(&mut r, &mut noise);
        let mut on_gpu = DiffusionGpu::new(&gpu, &model);
        let (loss, grads) = on_gpu
            .evaluate_blocking(&model, &data, &times, &noise)
            .unwrap();
        let cpu_loss = model.evaluate(&data, &times, &noise);
        let errors = [
            relative(loss, cpu_loss),
            max_error(&grads, model.network().grads()),
        ];
        println!(
            "{}, batch {batch}, {layers} layers: loss {:.1e}, gradients {:.1e}",
            objective.api_name(),
            errors[0],
            errors[1]
        );
        assert!(errors.iter().all(|&e| e < 1e-4), "{errors:?}");
    }
}

/// A diffusion lab with `settings` (a batch of 64 and 2 × 32 units unless they say otherwise:
/// lavapipe is slow), on the GPU when `gpu` is given.
fn lab(settings: &[(&str, Value)], gpu: Option<&Gpu>) -> Lab<DiffusionRun> {
    let mut lab = Lab::<DiffusionRun>::new(4).unwrap();
    let n = Value::Number;
    for (name, value) in [
        ("batch_size", n(64.0)),
        ("hidden_layers", n(2.0)),
        ("hidden_units", n(32.0)),
        ("sampling_steps", n(20.0)),
    ] {
        lab.set(name, &value).unwrap();
    }
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

/// The largest relative differences of the loss curves and of the distance curves.
fn history_error(gpu: &Lab<DiffusionRun>, cpu: &Lab<DiffusionRun>) -> [f64; 2] {
    let (g, c) = (gpu.model().model(), cpu.model().model());
    assert_eq!(g.loss_history().iterations(), c.loss_history().iterations());
    assert_eq!(
        g.distance_history().iterations(),
        c.distance_history().iterations()
    );
    let worst = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(&x, &y)| relative(x, y))
            .fold(0.0, f64::max)
    };
    [
        worst(g.loss_history().series(0), c.loss_history().series(0)),
        worst(
            g.distance_history().series(0),
            c.distance_history().series(0),
        ),
    ]
}

#[test]
fn training_on_the_gpu_follows_the_cpu_across_a_distance_measurement() {
    let gpu = device();
    let n = Value::Number;
    let cases: Vec<Vec<(&str, Value)>> = vec![
        vec![],
        vec![
            ("objective", Value::text("flow_matching")),
            ("target", Value::text("moons")),
        ],
        vec![("schedule", Value::text("linear")), ("timesteps", n(50.0))],
    ];
    let total = DISTANCE_INTERVAL + 20;
    for settings in &cases {
        let mut on_cpu = lab(settings, None);
        let mut on_gpu = lab(settings, Some(&gpu));
        on_cpu.step(total as f64).unwrap();
        // Runs that start and end off the distance's interval: the GPU's runs end where a
        // distance is due, whatever the step asked.
        for n in [1.0, 19.0, (total - 20) as f64] {
            on_gpu.step_blocking(n).unwrap();
        }
        assert_eq!(on_gpu.progress_count(), total);
        let [loss, distance] = history_error(&on_gpu, &on_cpu);
        let names: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!(
            "{}: max relative error over {total} iterations: loss {loss:.1e}, distance {distance:.1e}",
            names.join(" ")
        );
        assert_eq!(
            on_gpu.model().model().distance_history().iterations(),
            [0, DISTANCE_INTERVAL]
        );
        assert!(loss < 1e-3 && distance < 1e-3, "{names:?}");
        // The samples are drawn with the weights read back.
        let (a, b) = (
            on_gpu.model_mut().model_mut().sample().to_vec(),
            on_cpu.model_mut().model_mut().sample().to_vec(),
        );
        let error = max_error(&a, &b);
        assert!(error < 1e-3, "samples differ by {error}");
    }
}

#[test]
fn the_learning_rate_changes_live_and_cpu_steps_interleave_on_the_gpu() {
    let gpu = device();
    let mut on_cpu = lab(&[], None);
    let mut on_gpu = lab(&[], Some(&gpu));
    for l in [&mut on_cpu, &mut on_gpu] {
        l.step_blocking(20.0).unwrap();
        l.set("learning_rate", &Value::Number(0.01)).unwrap();
        l.step_blocking(20.0).unwrap();
        // A step on the CPU in between, then the GPU again; then two narrated sub-steps, which
        // the GPU's next step finishes first on the CPU.
        l.step(3.0).unwrap();
        l.step_blocking(7.0).unwrap();
        l.model_mut().sub_step().unwrap();
        l.model_mut().sub_step().unwrap();
        l.step_blocking(5.0).unwrap();
    }
    // Finishing the half-done iteration is the first of the last step's five.
    assert_eq!(on_gpu.progress_count(), 55);
    assert_eq!(on_cpu.progress_count(), 55);
    let [loss, _] = history_error(&on_gpu, &on_cpu);
    assert!(loss < 1e-3, "{loss}");
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
    let [loss, _] = history_error(&on_gpu, &on_cpu);
    assert!(loss < 1e-3, "{loss}");
}

#[test]
fn gpu_is_refused_with_the_reason_when_there_is_none() {
    let mut lab = Lab::<DiffusionRun>::new(4).unwrap();
    lab.attach_gpu(GpuAccess::Unavailable(
        "this browser has no WebGPU (navigator.gpu is missing)".into(),
    ));
    let err = lab.set("backend", &Value::text("gpu")).unwrap_err();
    assert!(
        err.contains("backend = \"gpu\" is not allowed here")
            && err.contains("navigator.gpu is missing"),
        "{err}"
    );
    assert_eq!(lab.backend().unwrap().backend, "cpu");
    assert_eq!(lab.value("backend").unwrap(), Value::text("auto"));
}
