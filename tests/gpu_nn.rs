//! The network kernels of src/gpu/nn on a real device (Mesa's lavapipe in CI) against the CPU
//! code they mirror: the forward and backward passes for each activation, each game's loss in
//! both networks' steps, each optimizer, and the sums. These tests never skip: a machine without
//! a Vulkan driver fails them (scripts/setup.sh installs one).

use genplay::gan::{game, GanLoss, Phase};
use genplay::gpu::nn::{gan_loss, optim, record, Kernels, Network, Parameters, Pass};
use genplay::gpu::{self, Gpu, Readback};
use genplay::nn::{Activation, Gradients, Mlp, MlpConfig, Optimizer, OptimizerKind};
use genplay::rng;

fn device() -> Gpu {
    gpu::acquire_blocking().expect("a Vulkan adapter (install mesa-vulkan-drivers)")
}

/// The first `len` values of `buffer`, once the GPU is done.
fn read(gpu: &Gpu, buffer: &wgpu::Buffer, len: usize) -> Vec<f32> {
    let encoder = gpu.device.create_command_encoder(&Default::default());
    let staging = Readback::staging(gpu, "test staging", len);
    Readback::start(gpu, encoder, buffer, &staging, len)
        .wait(gpu)
        .expect("the read-back completes")
}

fn run<'a>(gpu: &Gpu, dispatches: impl IntoIterator<Item = &'a genplay::gpu::nn::Dispatch>) {
    let mut encoder = gpu.device.create_command_encoder(&Default::default());
    record(&mut encoder, dispatches);
    gpu.queue.submit([encoder.finish()]);
}

fn upload(gpu: &Gpu, values: &[f32]) -> wgpu::Buffer {
    let buffer = gpu.storage("test input", values.len());
    gpu.write(&buffer, values);
    buffer
}

fn normals(seed: u64, len: usize) -> Vec<f32> {
    let mut r = rng::seeded(seed);
    let mut out = vec![0.0; len];
    rng::fill_standard_normal(&mut r, &mut out);
    out
}

/// The largest |gpu - cpu| relative to 1 + |cpu| (sums of different orders differ by ulps).
fn max_error(gpu: &[f32], cpu: &[f32]) -> f32 {
    assert_eq!(gpu.len(), cpu.len());
    gpu.iter()
        .zip(cpu)
        .map(|(a, b)| (a - b).abs() / (1.0 + b.abs()))
        .fold(0.0, f32::max)
}

/// The integer a WGSL file gives the constant `name` (`const NAME: u32 = 3u;`).
fn wgsl_constant(source: &str, name: &str) -> u32 {
    let line = source
        .lines()
        .find(|l| l.starts_with(&format!("const {name}: u32 = ")))
        .unwrap_or_else(|| panic!("no constant {name}"));
    line.split('=')
        .nth(1)
        .unwrap()
        .trim()
        .trim_end_matches("u;")
        .parse()
        .unwrap()
}

#[test]
fn the_kernels_number_activations_games_and_phases_as_the_cpu_does() {
    let dense = include_str!("../src/gpu/nn/dense.wgsl");
    for (name, activation) in [
        ("IDENTITY", Activation::Identity),
        ("RELU", Activation::Relu),
        ("LEAKY_RELU", Activation::LeakyRelu),
        ("TANH", Activation::Tanh),
        ("SIGMOID", Activation::Sigmoid),
    ] {
        assert_eq!(wgsl_constant(dense, name), activation as u32, "{name}");
    }
    let games = include_str!("../src/gpu/nn/gan_loss.wgsl");
    for (name, game) in [
        ("MINIMAX", GanLoss::Minimax),
        ("NON_SATURATING", GanLoss::NonSaturating),
        ("LEAST_SQUARES", GanLoss::LeastSquares),
        ("HINGE", GanLoss::Hinge),
    ] {
        assert_eq!(wgsl_constant(games, name), game as u32, "{name}");
    }
    assert_eq!(
        wgsl_constant(games, "DISCRIMINATOR"),
        Phase::Discriminator as u32
    );
    assert_eq!(wgsl_constant(games, "GENERATOR"), Phase::Generator as u32);
}

fn network(activation: Activation, output_activation: Activation, seed: u64) -> Mlp {
    let config = MlpConfig {
        inputs: 3,
        // Widths that are no multiple of the kernels' 16-wide tiles.
        hidden_layers: 2,
        hidden_units: 20,
        outputs: 5,
        activation,
        output_activation,
    };
    let mut mlp = Mlp::new(config, &mut rng::seeded(seed)).unwrap();
    // Non-zero biases, so that the bias row of the products is tested too.
    let biases = normals(seed + 100, mlp.param_count());
    for (p, b) in mlp.params_mut().iter_mut().zip(biases) {
        *p += 0.1 * b;
    }
    mlp
}

const ACTIVATIONS: [Activation; 5] = [
    Activation::Identity,
    Activation::Relu,
    Activation::LeakyRelu,
    Activation::Tanh,
    Activation::Sigmoid,
];

#[test]
fn a_forward_pass_matches_the_cpu_for_every_activation() {
    let gpu = device();
    let kernels = Kernels::new(&gpu);
    // 300 rows: more than one chunk of the weight gradients, and no multiple of 16.
    let rows = 300;
    for (i, &activation) in ACTIVATIONS.iter().enumerate() {
        // The output activation too, so that each one is also the last layer's.
        let mlp = network(activation, activation, i as u64);
        let optimizer =
            Optimizer::new(OptimizerKind::Sgd { momentum: 0.0 }, 0.1, mlp.param_count());
        let net = Network::new(&gpu, "net", &mlp, &optimizer);
        let input = normals(7 + i as u64, rows * 3);
        let input_buffer = upload(&gpu, &input);
        let pass = Pass::new(&gpu, &kernels, &net, &input_buffer, rows, None, None);
        run(&gpu, pass.forward());
        let on_gpu = read(&gpu, pass.output(), rows * 5);
        let mut work = mlp.workspace(rows);
        let on_cpu = mlp.forward(&mut work, &input, rows);
        let error = max_error(&on_gpu, on_cpu);
        println!("forward, {activation:?}: max error {error:.2e}");
        assert!(error < 1e-5, "{activation:?}: forward differs by {error}");
    }
}

#[test]
fn a_backward_pass_matches_the_cpu_for_every_activation() {
    let gpu = device();
    let kernels = Kernels::new(&gpu);
    let rows = 300;
    for (i, &activation) in ACTIVATIONS.iter().enumerate() {
        let mut mlp = network(activation, activation, 20 + i as u64);
        let optimizer =
            Optimizer::new(OptimizerKind::Sgd { momentum: 0.0 }, 0.1, mlp.param_count());
        let net = Network::new(&gpu, "net", &mlp, &optimizer);
        let input = normals(30 + i as u64, rows * 3);
        let output_grad = normals(40 + i as u64, rows * 5);
        let input_buffer = upload(&gpu, &input);
        let pass = Pass::new(
            &gpu,
            &kernels,
            &net,
            &input_buffer,
            rows,
            Some(Gradients::Both),
            None,
        );
        gpu.write(pass.output_grad(), &output_grad);
        run(&gpu, pass.forward().iter().chain(pass.backward()));
        let param_grads = read(&gpu, &net.parameters.grads, mlp.param_count());
        let input_grads = read(&gpu, pass.input_grad().unwrap(), rows * 3);
        let mut work = mlp.workspace(rows);
        mlp.forward(&mut work, &input, rows);
        mlp.backward(&mut work, &output_grad, Gradients::Both);
        let params_error = max_error(&param_grads, mlp.grads());
        let input_error = max_error(&input_grads, work.input_grad());
        println!(
            "backward, {activation:?}: parameter gradients {params_error:.2e}, input gradients {input_error:.2e}"
        );
        // The parameter gradients are sums over 300 rows of products of order 1.
        assert!(params_error < 1e-4, "{activation:?}: {params_error}");
        assert!(input_error < 1e-5, "{activation:?}: {input_error}");
    }
}

#[test]
fn every_game_s_loss_and_gradient_match_the_cpu_in_both_steps() {
    let gpu = device();
    let kernels = Kernels::new(&gpu);
    let b = 700;
    let stats = gpu.storage("stats", 4);
    let labels: Vec<f32> = (0..2 * b).map(|i| if i < b { 1.0 } else { 0.0 }).collect();
    let signs: Vec<f32> = labels.iter().map(|l| 2.0 * l - 1.0).collect();
    for game in [
        GanLoss::Minimax,
        GanLoss::NonSaturating,
        GanLoss::LeastSquares,
        GanLoss::Hinge,
    ] {
        for phase in [Phase::Discriminator, Phase::Generator] {
            let rows = if phase == Phase::Discriminator {
                2 * b
            } else {
                b
            };
            // Logits of all sizes, some far out (where softplus and sigmoid must not overflow).
            let mut outputs = normals(game as u64 * 2 + phase as u64, rows);
            outputs.iter_mut().enumerate().for_each(|(i, x)| {
                *x *= if i % 50 == 0 { 60.0 } else { 2.0 };
            });
            let outputs_buffer = upload(&gpu, &outputs);
            let grad_buffer = gpu.storage("grad", rows);
            let spec = gan_loss::Game {
                game,
                phase,
                rows,
                real_rows: if phase == Phase::Discriminator { b } else { 0 },
                stat: 1,
            };
            let dispatch =
                gan_loss::dispatch(&gpu, &kernels, spec, &outputs_buffer, &grad_buffer, &stats);
            run(&gpu, [&dispatch]);
            let loss = read(&gpu, &stats, 2)[1];
            let grad = read(&gpu, &grad_buffer, rows);
            let mut cpu_grad = vec![0.0; rows];
            let cpu_loss = match phase {
                Phase::Discriminator => {
                    game::discriminator_loss(game, &outputs, &labels, &signs, &mut cpu_grad)
                }
                Phase::Generator => {
                    let (ones, zeros) = labels.split_at(b);
                    game::generator_loss(game, &outputs, ones, &zeros[..b], &mut cpu_grad)
                }
            };
            let loss_error = ((loss - cpu_loss) / cpu_loss).abs();
            let grad_error = max_error(&grad, &cpu_grad) * rows as f32;
            println!("{game:?}, {phase:?}: loss {loss} vs {cpu_loss} ({loss_error:.2e}), gradient {grad_error:.2e} (× rows)");
            assert!(
                loss_error < 1e-5,
                "{game:?} {phase:?}: {loss} vs {cpu_loss}"
            );
            assert!(
                grad_error < 1e-5,
                "{game:?} {phase:?}: gradient {grad_error}"
            );
        }
    }
}

#[test]
fn adam_and_sgd_update_parameters_and_state_as_the_cpu_does() {
    let gpu = device();
    let kernels = Kernels::new(&gpu);
    let len = 1000;
    for kind in [
        OptimizerKind::Adam {
            beta1: 0.5,
            beta2: 0.999,
        },
        OptimizerKind::Sgd { momentum: 0.9 },
    ] {
        let mut params = normals(1, len);
        let mut optimizer = Optimizer::new(kind, 0.01, len);
        let parameters = Parameters::new(&gpu, "test", len);
        parameters.upload(&gpu, &params, &optimizer);
        let update = optim::Update::new(&gpu, &kernels, &parameters, kind);
        for step in 0..5u64 {
            let grads = normals(10 + step, len);
            gpu.write(&parameters.grads, &grads);
            update.set_factors(&gpu, optimizer.step_factors(optimizer.steps() + 1));
            run(&gpu, [update.dispatch()]);
            optimizer.step(&mut params, &grads);
        }
        let on_gpu = read(&gpu, &parameters.params, len);
        let first = read(&gpu, &parameters.first, len);
        let error = max_error(&on_gpu, &params);
        let state_error = max_error(&first, optimizer.state().0);
        println!(
            "{}: parameters {error:.2e}, state {state_error:.2e}",
            kind.name()
        );
        assert!(error < 1e-6, "{}: {error}", kind.name());
        assert!(state_error < 1e-6, "{}: {state_error}", kind.name());
        if let OptimizerKind::Adam { .. } = kind {
            let second = read(&gpu, &parameters.second, len);
            assert!(max_error(&second, optimizer.state().1) < 1e-6);
        }
    }
}

#[test]
fn sums_and_sums_of_squares_match_the_cpu() {
    let gpu = device();
    let kernels = Kernels::new(&gpu);
    let values = normals(5, 50_001);
    let buffer = upload(&gpu, &values);
    let stats = gpu.storage("stats", 4);
    let sum = optim::total(&gpu, &kernels, &buffer, values.len(), false, (&stats, 2));
    let squares = optim::total(&gpu, &kernels, &buffer, values.len(), true, (&stats, 3));
    run(&gpu, [&sum, &squares]);
    let got = read(&gpu, &stats, 4);
    let exact: f64 = values.iter().map(|&v| v as f64).sum();
    let exact_squares: f64 = values.iter().map(|&v| (v as f64).powi(2)).sum();
    assert!(
        (got[2] as f64 - exact).abs() < 1e-3,
        "{} vs {exact}",
        got[2]
    );
    assert!(((got[3] as f64 - exact_squares) / exact_squares).abs() < 1e-5);
}
