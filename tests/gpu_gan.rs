//! The GAN lab on the GPU (Mesa's lavapipe in CI) against its own CPU path from the same seed:
//! every game with both optimizers, 1-D and 2-D noise, several steps per network, each over 100
//! iterations whose losses agree within 1e-3 relative at every iteration; a device lost mid-run
//! falls back to the CPU keeping the run; and "gpu" is refused, with the reason, without a GPU.
//! These tests never skip: a machine without a Vulkan driver fails them.

use genplay::gpu::{self, Gpu};
use genplay::labs::backend::GpuAccess;
use genplay::labs::gan::GanRun;
use genplay::labs::{Lab, Value};

fn device() -> Gpu {
    gpu::acquire_blocking().expect("a Vulkan adapter (install mesa-vulkan-drivers)")
}

/// A GAN lab with `settings` applied (a batch of 64 unless they say otherwise: lavapipe runs the
/// kernels on the CPU, some 30 times slower than the CPU path), on the GPU when `gpu` is given.
fn lab(settings: &[(&str, Value)], gpu: Option<&Gpu>) -> Lab<GanRun> {
    let mut lab = Lab::<GanRun>::new(5).unwrap();
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

/// |a - b| relative to |b|, with losses near 0 (the hinge game's G loss crosses it) compared
/// relative to 0.01.
fn relative(a: f32, b: f32) -> f64 {
    ((a - b).abs() / b.abs().max(0.01)) as f64
}

/// The largest relative difference of the D loss, the G loss and the distance over the
/// histories, which must cover the same iterations.
fn history_error(gpu: &Lab<GanRun>, cpu: &Lab<GanRun>) -> [f64; 3] {
    let (g, c) = (gpu.model().gan().history(), cpu.model().gan().history());
    assert_eq!(g.iterations(), c.iterations());
    let worst = |a: &[f32], b: &[f32]| {
        a.iter()
            .zip(b)
            .map(|(&x, &y)| relative(x, y))
            .fold(0.0, f64::max)
    };
    [
        worst(g.discriminator_loss(), c.discriminator_loss()),
        worst(g.generator_loss(), c.generator_loss()),
        worst(g.distance(), c.distance()),
    ]
}

fn text(s: &str) -> Value {
    Value::text(s)
}

#[test]
fn every_game_with_both_optimizers_trains_on_the_gpu_as_on_the_cpu() {
    let gpu = device();
    let n = Value::Number;
    // Each game with each optimizer, 1-D and 2-D noise of both kinds, several steps per network
    // and three activations. Every one agrees to about 1e-5 here. (Some other settings, such as
    // hinge with Adam at 64 units, or LSGAN with 2 D and 2 G steps at seed 1, are chaotic: a
    // one-ulp change of one weight on the CPU alone moves their losses by 10 % within 100
    // iterations, and the GPU's different rounding does the same; no tolerance can hold there.)
    let cases: Vec<Vec<(&str, Value)>> = vec![
        // The default settings, at their batch of 256 (the discriminator's 512 rows take two
        // chunks of the weight gradients' reduction).
        vec![("batch_size", n(256.0))],
        // A batch that is no multiple of the kernels' tiles.
        vec![("loss", text("nonsaturating")), ("batch_size", n(100.0))],
        vec![
            ("loss", text("nonsaturating")),
            ("optimizer", text("sgd")),
            ("momentum", n(0.9)),
        ],
        vec![
            ("loss", text("nonsaturating")),
            ("noise_dim", n(1.0)),
            ("noise", text("uniform")),
        ],
        vec![("loss", text("minimax")), ("noise_dim", n(1.0))],
        vec![
            ("loss", text("minimax")),
            ("optimizer", text("sgd")),
            ("momentum", n(0.5)),
            ("d_steps", n(3.0)),
        ],
        vec![("loss", text("lsgan")), ("g_steps", n(2.0))],
        vec![
            ("loss", text("lsgan")),
            ("optimizer", text("sgd")),
            ("noise_dim", n(1.0)),
        ],
        vec![("loss", text("hinge")), ("hidden_units", n(32.0))],
        vec![
            ("loss", text("hinge")),
            ("optimizer", text("sgd")),
            ("momentum", n(0.5)),
            ("activation", text("relu")),
        ],
        vec![
            ("loss", text("hinge")),
            ("activation", text("tanh")),
            ("seed", n(7.0)),
        ],
    ];
    for settings in &cases {
        let mut on_cpu = lab(settings, None);
        let mut on_gpu = lab(settings, Some(&gpu));
        on_cpu.step(100.0).unwrap();
        // In runs of uneven length, so that the GPU's copy goes up and comes back several times.
        for n in [1.0, 9.0, 30.0, 60.0] {
            on_gpu.step_blocking(n).unwrap();
        }
        assert_eq!(on_gpu.progress_count(), 100);
        let [d, g, distance] = history_error(&on_gpu, &on_cpu);
        let names: Vec<String> = settings.iter().map(|(k, v)| format!("{k}={v}")).collect();
        println!(
            "{}: max relative error over 100 iterations: D loss {d:.1e}, G loss {g:.1e}, distance {distance:.1e}",
            names.join(" ")
        );
        assert!(d < 1e-3 && g < 1e-3, "{names:?}: D {d}, G {g}");
        assert!(distance < 1e-3, "{names:?}: distance {distance}");
        let (a, b) = (on_gpu.model().updates(), on_cpu.model().updates());
        assert_eq!(a, b, "network updates");
        assert_eq!(on_gpu.backend().unwrap().backend, "gpu");
    }
}

#[test]
fn the_views_and_a_cpu_step_work_from_the_weights_read_back() {
    let gpu = device();
    let mut on_cpu = lab(&[], None);
    let mut on_gpu = lab(&[], Some(&gpu));
    on_cpu.step(20.0).unwrap();
    on_gpu.step_blocking(20.0).unwrap();
    let grid = |lab: &mut Lab<GanRun>| lab.model_mut().gan_mut().discriminator_grid(16).to_vec();
    let (a, b) = (grid(&mut on_gpu), grid(&mut on_cpu));
    let worst = a
        .iter()
        .zip(&b)
        .map(|(&x, &y)| (x - y).abs())
        .fold(0.0, f32::max);
    assert!(worst < 1e-3, "heat maps differ by {worst}");
    let (ga, gb) = (on_gpu.model().gan(), on_cpu.model().gan());
    for (x, y) in [
        (ga.fake_samples(), gb.fake_samples()),
        (ga.fake_gradients(), gb.fake_gradients()),
        (ga.real_samples(), gb.real_samples()),
        (ga.fake_beliefs(), gb.fake_beliefs()),
        (ga.real_beliefs(), gb.real_beliefs()),
    ] {
        let worst = x
            .iter()
            .zip(y)
            .map(|(&p, &q)| (p - q).abs() / (1.0 + q.abs()))
            .fold(0.0, f32::max);
        assert!(worst < 1e-3, "a view's batch differs by {worst}");
    }
    // Single network steps and narrated sub-steps run on the CPU's copy, then the GPU goes on.
    for l in [&mut on_cpu, &mut on_gpu] {
        l.model_mut().train_discriminator();
        l.model_mut().train_generator();
        for _ in 0..3 {
            l.model_mut().sub_step().unwrap();
        }
        l.step(2.0).unwrap();
    }
    on_cpu.step(10.0).unwrap();
    on_gpu.step_blocking(10.0).unwrap();
    assert_eq!(on_gpu.progress_count(), on_cpu.progress_count());
    let [d, g, _] = history_error(&on_gpu, &on_cpu);
    assert!(d < 1e-3 && g < 1e-3, "D {d}, G {g}");
    assert_eq!(on_gpu.model().updates(), on_cpu.model().updates());
}

#[test]
fn a_device_lost_mid_run_falls_back_to_the_cpu_keeping_the_run() {
    let gpu = device();
    let mut on_cpu = lab(&[], None);
    let mut on_gpu = lab(&[], Some(&gpu));
    on_gpu.step_blocking(30.0).unwrap();
    // Lost while 10 iterations are on their way: they are lost, the 30 before are kept.
    assert!(on_gpu.gpu_begin(10.0).unwrap());
    assert_eq!(on_gpu.gpu_continue(), None, "the run is on its way");
    gpu.destroy();
    let count = loop {
        let _ = gpu.device.poll(wgpu::PollType::wait_indefinitely());
        if let Some(count) = on_gpu.gpu_continue() {
            break count;
        }
    };
    assert_eq!(count, 30.0);
    let report = on_gpu.backend().unwrap();
    assert_eq!(report.backend, "cpu");
    let note = report.backend_note.unwrap();
    println!("the note after the loss: {note}");
    assert!(
        note.contains("10 iterations on the GPU were lost"),
        "{note}"
    );
    assert!(note.contains("goes on from iteration 30"), "{note}");
    // The run goes on on the CPU from where the GPU left it, as if it had been there all along.
    on_gpu.step_blocking(20.0).unwrap();
    on_cpu.step(50.0).unwrap();
    let [d, g, distance] = history_error(&on_gpu, &on_cpu);
    assert!(
        d < 1e-3 && g < 1e-3 && distance < 1e-3,
        "D {d}, G {g}, distance {distance}"
    );
    // And the GPU cannot be chosen again: the lab says why.
    on_gpu.set("backend", &text("cpu")).unwrap();
    let refusal = on_gpu.set("backend", &text("gpu")).unwrap_err();
    assert!(refusal.contains("the GPU was lost"), "{refusal}");
}

#[test]
fn a_device_lost_between_steps_loses_nothing() {
    let gpu = device();
    let mut on_gpu = lab(&[], Some(&gpu));
    on_gpu.step_blocking(12.0).unwrap();
    let losses = on_gpu.model().gan().losses();
    gpu.destroy();
    assert_eq!(on_gpu.step_blocking(5.0).unwrap(), 12.0);
    assert_eq!(on_gpu.model().gan().losses(), losses);
    let note = on_gpu.backend().unwrap().backend_note.unwrap();
    assert!(
        note.contains("goes on from iteration 12") && !note.contains("lost)"),
        "{note}"
    );
    assert_eq!(on_gpu.step_blocking(5.0).unwrap(), 17.0);
}

#[test]
fn gpu_is_refused_with_the_reason_when_there_is_none() {
    let mut lab = Lab::<GanRun>::new(1).unwrap();
    lab.attach_gpu(GpuAccess::Unavailable("this browser has no WebGPU".into()));
    let before = serde_json::to_value(lab.snapshot()).unwrap();
    let message = lab.set("backend", &text("gpu")).unwrap_err();
    assert!(message.contains("this browser has no WebGPU"), "{message}");
    assert_eq!(serde_json::to_value(lab.snapshot()).unwrap(), before);
    assert_eq!(lab.value("backend").unwrap(), text("auto"));
    let report = lab.backend().unwrap();
    assert_eq!(report.backend, "cpu");
    assert_eq!(
        report.backend_note.as_deref(),
        Some("this browser has no WebGPU")
    );
}

#[test]
fn auto_keeps_a_software_adapter_and_a_small_batch_on_the_cpu() {
    let gpu = device();
    let mut lab = Lab::<GanRun>::new(1).unwrap();
    lab.attach_gpu(GpuAccess::Available(gpu.clone()));
    let report = lab.backend().unwrap();
    assert_eq!(report.backend, "cpu");
    if gpu.adapter.fallback {
        assert!(report.backend_note.unwrap().contains("software adapter"));
    } else {
        // A hardware adapter: the default batch is below the crossover, 4096 above it.
        assert!(report.backend_note.unwrap().contains("too small"));
        lab.set("batch_size", &Value::Number(4096.0)).unwrap();
        assert_eq!(lab.backend().unwrap().backend, "gpu");
    }
    assert_eq!(report.gpu_adapter.unwrap().name, gpu.adapter.name);
}
