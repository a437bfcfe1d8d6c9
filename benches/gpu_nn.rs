//! Time per training step of the GAN, the VAE and the diffusion model on the CPU and on the GPU, natively (the GPU
//! through Vulkan: Mesa's lavapipe on a machine without one, a software adapter whose figures
//! show correctness, not speed). The GAN: 2×64 LeakyReLU networks, Adam, one D and one G step per
//! iteration, at batch 256, 4,096 and 16,384. The VAE: latent 2, 2×64 encoder and decoder, Adam,
//! at batch 256 and 4,096; on 28×28 glyphs, the 784-256-2 encoder and its mirrored decoder (the
//! image VAE's speed goal) at batch 64 and 1,024. Diffusion: 3×128 ε-prediction network on x_t and the time embedding,
//! Adam, at batch 256 and 4,096. Each figure is the mean over as many iterations as fit about two
//! seconds (at least two), after one warm-up iteration; the GPU's include reading the results
//! back once per timed run, as the lab does once per frame.
//!
//! Run with `cargo bench --bench gpu_nn` (`make bench` runs it with the others).

use genplay::gpu;
use genplay::labs::backend::GpuAccess;
use genplay::labs::diffusion::DiffusionRun;
use genplay::labs::gan::GanRun;
use genplay::labs::vae::VaeRun;
use genplay::labs::{Lab, Model, Value};
use std::time::Instant;

/// Roughly how long each figure is measured for.
const BUDGET_S: f64 = 2.0;

/// Milliseconds per iteration of `lab` on its active backend: one warm-up iteration, then a
/// second one timed to size the run, then the run.
fn ms_per_iteration<M: Model>(lab: &mut Lab<M>) -> f64 {
    lab.step_blocking(1.0).expect("a step");
    let start = Instant::now();
    lab.step_blocking(1.0).expect("a step");
    let one = start.elapsed().as_secs_f64();
    let n = ((BUDGET_S / one) as u64).clamp(2, 1000);
    let start = Instant::now();
    lab.step_blocking(n as f64).expect("a run");
    start.elapsed().as_secs_f64() * 1e3 / n as f64
}

fn lab_at<M: Model>(batch: usize, gpu: Option<&gpu::Gpu>, settings: &[(&str, Value)]) -> Lab<M> {
    let mut lab = Lab::<M>::new(1).expect("default settings");
    lab.set("batch_size", &Value::Number(batch as f64))
        .expect("a batch size in range");
    for (name, value) in settings {
        lab.set(name, value).expect("a setting in range");
    }
    if let Some(gpu) = gpu {
        lab.attach_gpu(GpuAccess::Available(gpu.clone()));
        lab.set("backend", &Value::text("gpu"))
            .expect("the GPU backend");
    }
    lab
}

fn row<M: Model>(name: &str, batch: usize, gpu: &gpu::Gpu, settings: &[(&str, Value)]) {
    let cpu = ms_per_iteration(&mut lab_at::<M>(batch, None, settings));
    let on_gpu = ms_per_iteration(&mut lab_at::<M>(batch, Some(gpu), settings));
    println!(
        "  {name} batch {batch:>6}: CPU {cpu:>9.2} ms/iteration   GPU {on_gpu:>9.2} ms/iteration   (GPU/CPU {:.2})",
        on_gpu / cpu
    );
}

fn main() {
    let gpu = gpu::acquire_blocking().expect("a Vulkan adapter (install mesa-vulkan-drivers)");
    let caveat = if gpu.adapter.fallback {
        " (software adapter: correctness, not speed)"
    } else {
        ""
    };
    println!("GPU: {}{caveat}", gpu.adapter.name);
    println!("GAN, 2x64 LeakyReLU, Adam, 1 D + 1 G step per iteration:");
    for batch in [256, 4096, 16384] {
        row::<GanRun>("gan", batch, &gpu, &[]);
    }
    println!("VAE, latent 2, 2x64 encoder and decoder, Adam:");
    for batch in [256, 4096] {
        row::<VaeRun>("vae", batch, &gpu, &[]);
    }
    println!("VAE on 28x28 glyphs, 784-256-2 encoder and decoder, Bernoulli likelihood, Adam:");
    let images = [
        ("target", Value::text("glyphs")),
        ("hidden_layers", Value::Number(1.0)),
        ("hidden_units", Value::Number(256.0)),
    ];
    for batch in [64, 1024] {
        row::<VaeRun>("vae images", batch, &gpu, &images);
    }
    println!("Diffusion, 3x128 noise predictor, Adam:");
    let network = [
        ("hidden_layers", Value::Number(3.0)),
        ("hidden_units", Value::Number(128.0)),
    ];
    for batch in [256, 4096] {
        row::<DiffusionRun>("diffusion", batch, &gpu, &network);
    }
}
