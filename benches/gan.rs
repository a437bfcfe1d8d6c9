//! GAN training speed: iterations per second of the default configuration (2×64 LeakyReLU
//! networks, batch 256, one discriminator and one generator step, Adam), the median of a few
//! timed runs, plus the cost of the views the UI draws every frame.
//!
//! Run with `cargo bench --bench gan`. The same model and step in PyTorch (CPU, one thread) is
//! benches/peers/gan_torch.py.

use genplay::choice::Choice;
use genplay::gan::{Gan, GanConfig};
use genplay::targets::Target;
use std::time::Instant;

const WARM_UP_ITERATIONS: usize = 100;
const ITERATIONS_PER_RUN: usize = 1000;
const RUNS: usize = 5;

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn main() {
    let config = GanConfig::default();
    let mut gan = Gan::new(config.clone(), Target::Ring).expect("default config is valid");
    gan.iterations(WARM_UP_ITERATIONS).expect("training runs");
    let rates: Vec<f64> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            gan.iterations(ITERATIONS_PER_RUN).expect("training runs");
            ITERATIONS_PER_RUN as f64 / start.elapsed().as_secs_f64()
        })
        .collect();
    println!(
        "gan default (2x64 {}, batch {}, {}D+{}G, {}): median {:.0} iterations/s over {RUNS} runs of {ITERATIONS_PER_RUN} (runs: {})",
        config.activation.label(),
        config.batch_size,
        config.discriminator_steps,
        config.generator_steps,
        config.optimizer.name(),
        median(rates.clone()),
        rates.iter().map(|r| format!("{r:.0}")).collect::<Vec<_>>().join(", ")
    );
    println!(
        "distance to the ring after the benchmark: {:.4}",
        gan.measure_distance_now()
    );

    let frames = 50;
    let time_view = |gan: &mut Gan, view: &dyn Fn(&mut Gan)| {
        let times: Vec<f64> = (0..frames)
            .map(|_| {
                let start = Instant::now();
                view(gan);
                start.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        median(times)
    };
    let grid = time_view(&mut gan, &|g| {
        std::hint::black_box(g.discriminator_grid(100));
    });
    let manifold = time_view(&mut gan, &|g| {
        std::hint::black_box(g.generator_manifold(32));
    });
    let distance = time_view(&mut gan, &|g| {
        std::hint::black_box(g.measure_distance_now());
    });
    println!(
        "views (median ms): discriminator grid 100x100 {grid:.2}, manifold 32x32 {manifold:.2}, distance {distance:.2}"
    );
}
