//! The EM lab's GPU path on a real device (Mesa's lavapipe in CI) against its CPU path: the same
//! data, start and seed give the same weights, means and covariances (1e-4 relative) and lower
//! bound (1e-5 relative) after 10 iterations, for every covariance type; a lost device sends the
//! lab back to the CPU with its run; and "gpu" without a GPU is refused with the reason. These
//! tests never skip: a machine without a Vulkan driver fails them (scripts/setup.sh installs
//! one). `cargo test --test gpu_em -- --nocapture` prints the errors measured.

use genplay::gpu::{self, em::EStepKernel, Gpu};
use genplay::labs::backend::GpuAccess;
use genplay::labs::em::EmModel;
use genplay::labs::{Lab, Value};
use genplay::mixture::{presets, Dataset, Em, EmOptions, GaussianMixture};

/// Weights, means and covariances within this relative error after 10 iterations.
const PARAMETERS: f64 = 1e-4;
/// The lower bound within this relative error.
const LOWER_BOUND: f64 = 1e-5;

fn device() -> Gpu {
    gpu::acquire_blocking().expect("a Vulkan adapter (install mesa-vulkan-drivers)")
}

fn snapshot(lab: &Lab<EmModel>) -> serde_json::Value {
    serde_json::to_value(lab.snapshot()).unwrap()
}

/// A lab with `settings`, on the CPU or (given a device) on the GPU.
fn lab_with(settings: &[(&str, Value)], gpu: Option<&Gpu>) -> Lab<EmModel> {
    let mut lab = Lab::<EmModel>::new(7).unwrap();
    for (name, value) in settings {
        lab.set(name, value).unwrap();
    }
    match gpu {
        Some(gpu) => {
            lab.attach_gpu(GpuAccess::Available(gpu.clone()));
            lab.set("backend", &Value::text("gpu")).unwrap();
            assert_eq!(snapshot(&lab)["backend"], "gpu");
        }
        None => {
            lab.set("backend", &Value::text("cpu")).unwrap();
        }
    }
    lab
}

/// The largest relative error |gpu − cpu| / |cpu| of each quantity. An entry that is exactly 0
/// on the CPU (the off-diagonal of a diagonal covariance) must be exactly 0 on the GPU too.
#[derive(Debug, Default)]
struct Errors {
    weights: f64,
    means: f64,
    covariances: f64,
    lower_bound: f64,
}

fn numbers(v: &serde_json::Value) -> Vec<f64> {
    match v {
        serde_json::Value::Array(items) => items.iter().flat_map(numbers).collect(),
        other => vec![other.as_f64().expect("a number")],
    }
}

fn largest_relative(cpu: &[f64], gpu: &[f64]) -> f64 {
    assert_eq!(cpu.len(), gpu.len());
    cpu.iter().zip(gpu).fold(0.0, |worst: f64, (&c, &g)| {
        if c == 0.0 {
            assert_eq!(g, 0.0, "an entry that is 0 on the CPU");
            worst
        } else {
            worst.max((g - c).abs() / c.abs())
        }
    })
}

fn errors(cpu: &serde_json::Value, gpu: &serde_json::Value) -> Errors {
    let of = |name: &str| largest_relative(&numbers(&cpu[name]), &numbers(&gpu[name]));
    let last = |s: &serde_json::Value| *numbers(&s["lower_bound_history"]).last().unwrap();
    Errors {
        weights: of("weights"),
        means: of("means"),
        covariances: of("covariances"),
        lower_bound: largest_relative(&[last(cpu)], &[last(gpu)]),
    }
}

fn assert_within(errors: &Errors, what: &str) {
    eprintln!(
        "{what}: weights {:.1e}, means {:.1e}, covariances {:.1e}, lower bound {:.1e}",
        errors.weights, errors.means, errors.covariances, errors.lower_bound
    );
    let parameters = errors.weights.max(errors.means).max(errors.covariances);
    assert!(parameters <= PARAMETERS, "{what}: {errors:?}");
    assert!(errors.lower_bound <= LOWER_BOUND, "{what}: {errors:?}");
}

#[test]
fn ten_iterations_on_the_gpu_match_the_cpu_for_every_covariance_type_up_to_16_components() {
    let gpu = device();
    for covariance_type in ["full", "diag", "spherical"] {
        for (k, preset) in [(3, "anisotropic"), (8, "blobs"), (16, "ring")] {
            let settings = [
                ("preset", Value::text(preset)),
                ("k", Value::Number(k as f64)),
                ("covariance_type", Value::text(covariance_type)),
                ("init", Value::text("kmeans++")),
                ("seed", Value::Number(11.0)),
            ];
            let mut cpu = lab_with(&settings, None);
            let mut on_gpu = lab_with(&settings, Some(&gpu));
            assert_eq!(cpu.step_blocking(20.0).unwrap(), 20.0);
            assert_eq!(on_gpu.step_blocking(20.0).unwrap(), 20.0);
            let (c, g) = (snapshot(&cpu), snapshot(&on_gpu));
            assert_eq!(g["backend"], "gpu", "still on the GPU");
            assert_eq!(g["n_iter"], 10);
            assert_eq!(g["half_steps"], 20);
            assert_eq!(c["lower_bound_history"].as_array().unwrap().len(), 10);
            assert_within(
                &errors(&c, &g),
                &format!("{covariance_type}, K = {k}, {preset}"),
            );
        }
    }
}

/// 200,000 points of the blobs preset (as the Scale view draws them), K = 8, full covariances.
#[test]
fn one_iteration_on_200000_points_matches_the_cpu() {
    let gpu = device();
    let drawn = presets::well_separated_blobs(200_000, 5);
    let (xs, ys): (Vec<f64>, Vec<f64>) = drawn.data.points().iter().map(|p| (p[0], p[1])).unzip();
    let settings = [("k", Value::Number(8.0)), ("init", Value::text("kmeans++"))];
    let mut cpu = lab_with(&settings, None);
    let mut on_gpu = lab_with(&settings, Some(&gpu));
    for lab in [&mut cpu, &mut on_gpu] {
        lab.set_points_xy(&xs, &ys).unwrap();
        assert_eq!(lab.step_blocking(2.0).unwrap(), 2.0);
    }
    let g = snapshot(&on_gpu);
    assert_eq!(g["backend"], "gpu");
    assert_eq!(g["n_points"], 200_000);
    assert_within(&errors(&snapshot(&cpu), &g), "N = 200,000, K = 8, full");
}

/// The kernel beyond what the lab offers: 16 components, and 1-D data (sent with y = 0).
#[test]
fn the_kernel_takes_sixteen_components_and_one_dimensional_data() {
    let gpu = device();
    let drawn = presets::overlapping(5_000, 3);
    let options = EmOptions {
        keep_responsibilities: false,
        seed: 4,
        ..EmOptions::default()
    };
    let points: Vec<f64> = drawn.data.points().into_iter().flatten().collect();
    ten_iterations_both(&gpu, &drawn.data, &points, 16, &options, "K = 16");
    let line = presets::one_dimensional(3_000, 8);
    let xs = line.data.column(0).to_vec();
    ten_iterations_both(&gpu, &line.data, &xs, 3, &options, "1-D, K = 3");
    // Too many components for the kernel is an error, not a panic.
    let seventeen = Em::new(drawn.data.clone(), 17, EmOptions::default()).unwrap();
    let kernel = EStepKernel::new(&gpu, &points, 2).unwrap();
    assert!(kernel.start(&gpu, seventeen.mixture()).is_err());
}

/// Ten iterations on the CPU and ten with the E-step on the GPU, from the same start, agree.
fn ten_iterations_both<const D: usize>(
    gpu: &Gpu,
    data: &Dataset<D>,
    points: &[f64],
    k: usize,
    options: &EmOptions,
    what: &str,
) {
    let mut cpu = Em::new(data.clone(), k, options.clone()).unwrap();
    let mut on_gpu = cpu.clone();
    let kernel = EStepKernel::new(gpu, points, D).unwrap();
    for _ in 0..10 {
        cpu.iterate().unwrap();
        kernel.e_step_blocking(gpu, &mut on_gpu).unwrap();
        on_gpu.m_step().unwrap();
    }
    assert_close(cpu.mixture(), on_gpu.mixture(), what);
    let lb = largest_relative(&[cpu.lower_bound()], &[on_gpu.lower_bound()]);
    assert!(lb <= LOWER_BOUND, "{what}: lower bound {lb:e}");
}

fn assert_close<const D: usize>(cpu: &GaussianMixture<D>, gpu: &GaussianMixture<D>, what: &str) {
    let flat = |m: &GaussianMixture<D>| -> Vec<f64> {
        let means = m.means().iter().flatten();
        let covariances = m.covariances().iter().flatten().flatten();
        m.weights()
            .iter()
            .chain(means)
            .chain(covariances)
            .copied()
            .collect()
    };
    let worst = largest_relative(&flat(cpu), &flat(gpu));
    eprintln!("{what}: largest relative error of the parameters {worst:.1e}");
    assert!(worst <= PARAMETERS, "{what}: {worst:e}");
}

#[test]
fn a_device_lost_mid_run_sends_the_lab_back_to_the_cpu_with_its_run() {
    let gpu = device();
    let mut lab = lab_with(&[("k", Value::Number(3.0))], Some(&gpu));
    lab.step_blocking(6.0).unwrap();
    let before = snapshot(&lab);
    assert_eq!(before["backend"], "gpu");
    assert_eq!(before["next_half_step"], "E");

    gpu.destroy();
    lab.step_blocking(1.0).unwrap();
    let after = snapshot(&lab);
    assert_eq!(after["backend"], "cpu");
    let note = after["backend_note"].as_str().unwrap();
    assert!(note.contains("the GPU was lost"), "{note}");
    assert_eq!(
        after["half_steps"], 6,
        "the E-step that never came back is not counted"
    );
    for kept in [
        "weights",
        "means",
        "covariances",
        "lower_bound_history",
        "n_iter",
    ] {
        assert_eq!(after[kept], before[kept], "{kept} kept");
    }
    assert_eq!(
        lab.value("backend").unwrap(),
        Value::text("gpu"),
        "the setting stays"
    );

    // The run goes on, on the CPU, from where it was.
    lab.step_blocking(4.0).unwrap();
    let on = snapshot(&lab);
    assert_eq!(on["half_steps"], 10);
    assert_eq!(on["n_iter"], 5);
    // "gpu" is refused now, with the reason.
    let refused = lab.set("backend", &Value::text("gpu")).unwrap_err();
    assert!(refused.contains("the GPU was lost"), "{refused}");
}

#[test]
fn gpu_without_a_gpu_is_refused_with_the_reason_and_the_lab_stays_on_the_cpu() {
    let mut lab = Lab::<EmModel>::new(7).unwrap();
    lab.attach_gpu(GpuAccess::Unavailable("this browser has no WebGPU".into()));
    lab.step(3.0).unwrap();
    let before = snapshot(&lab);
    let refused = lab.set("backend", &Value::text("gpu")).unwrap_err();
    assert!(refused.contains("backend"), "{refused}");
    assert!(refused.contains("this browser has no WebGPU"), "{refused}");
    assert_eq!(snapshot(&lab), before, "nothing changed");
    assert_eq!(lab.value("backend").unwrap(), Value::text("auto"));
    assert_eq!(before["backend"], "cpu");
    assert_eq!(before["backend_note"], "this browser has no WebGPU");
}

#[test]
fn auto_stays_on_the_cpu_on_a_software_adapter_and_says_so() {
    let gpu = device();
    assert!(gpu.adapter.fallback, "lavapipe is a software adapter");
    let mut lab = Lab::<EmModel>::new(7).unwrap();
    lab.attach_gpu(GpuAccess::Available(gpu.clone()));
    let s = snapshot(&lab);
    assert_eq!(s["backend"], "cpu");
    assert_eq!(s["gpu_adapter"]["name"], gpu.adapter.name.as_str());
    let note = s["backend_note"].as_str().unwrap();
    assert!(note.contains("software adapter"), "{note}");
    // A CPU step between GPU steps keeps the run consistent.
    lab.set("backend", &Value::text("gpu")).unwrap();
    lab.step_blocking(3.0).unwrap();
    lab.step(2.0).unwrap();
    lab.step_blocking(3.0).unwrap();
    let s = snapshot(&lab);
    assert_eq!(s["half_steps"], 8);
    assert_eq!(s["backend"], "gpu");
}
