//! The GAN trained on the GPU ([`GanGpu`]): both networks, their optimizers' state and every
//! batch live in GPU buffers while it trains.
//!
//! The same random numbers feed both paths: for each discriminator and generator step the CPU
//! draws the noise and the real batch with the GAN's own seeded generator, in the order its own
//! step draws them, and uploads them. A run of iterations is recorded as one submission; what it
//! produced comes back in one read-back at its end: each step's loss, gradient norm and weight
//! sum (the divergence checks), the generated points the distance is measured on every
//! [`DISTANCE_INTERVAL`] iterations, the last batches and gradients the views draw, and the
//! weights with their optimizers' state. All of it is written into the CPU's [`Gan`], which
//! stays the run's copy: its views draw from it, and when the GPU fails it is at most one
//! read-back old.

use super::{
    gradients_diverged, loss_diverged, weights_diverged, Gan, Phase, DISTANCE_INTERVAL,
    DISTANCE_SAMPLES,
};
use crate::gpu::nn::gan_loss::{self, Game};
use crate::gpu::nn::optim::Training;
use crate::gpu::nn::run::{CpuCopy, GpuTraining, InFlight, Planned};
use crate::gpu::nn::{Dispatch, Kernels, Network, Parameters, Pass, Recorder, RunFailed};
use crate::gpu::Gpu;
use crate::nn::{Gradients, Mlp, Optimizer};
use crate::rng::Rng;

/// The most numbers one submission uploads (16 MiB): a run of iterations longer than that is
/// split into several submissions, each read back before the next starts.
const MAX_UPLOAD: usize = 1 << 22;
/// The most iterations one submission records (its commands are built on the CPU).
const MAX_ITERATIONS: u64 = 500;
/// Per network step, what lands in `stats`: its loss, its gradient's squared norm and the sum of
/// its weights after the update.
const STATS: usize = 3;

/// One network's buffers and the dispatches that update it.
struct Trained {
    network: Network,
    /// The update, after the gradient's squared norm (stats[1]) and before the weights' sum
    /// (stats[2]).
    training: Training,
}

impl Trained {
    fn new(
        gpu: &Gpu,
        kernels: &Kernels,
        (label, mlp, optimizer): (&str, &Mlp, &Optimizer),
        stats: &wgpu::Buffer,
    ) -> Self {
        let network = Network::new(gpu, label, mlp, optimizer);
        let training = Training::new(
            gpu,
            kernels,
            &network.parameters,
            optimizer.kind(),
            stats,
            [1, 2],
        );
        Self { network, training }
    }
}

/// A run of iterations on its way: what the CPU drew for it and where its results will be in
/// the read-back.
pub struct Plan {
    /// Iterations completed before it.
    start: u64,
    iterations: u64,
    /// The GAN's generator after the draws (the CPU's takes it once the results are in).
    rng: Rng,
    /// The last noise and real batch drawn.
    noise: Vec<f32>,
    real: Vec<f32>,
    /// Each optimizer's update count after the run.
    steps: [u32; 2],
    /// Where each network step's stats start, in order.
    stats: Vec<usize>,
    /// (iteration, offset) of each set of points for the distance.
    distances: Vec<(u64, usize)>,
    real_outputs: usize,
    fake_outputs: usize,
    fakes: usize,
    fake_gradients: usize,
    /// Where each network's parameters and optimizer state start (discriminator, generator).
    states: [usize; 2],
}

impl Planned for Plan {
    fn iterations(&self) -> u64 {
        self.iterations
    }
}

/// What a run of iterations on the GPU did, once read back.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Done {
    pub iterations: u64,
    pub discriminator_steps: u64,
    pub generator_steps: u64,
}

/// A GAN's training on the GPU: buffers and dispatches built once for its configuration.
pub struct GanGpu {
    gpu: Gpu,
    batch: usize,
    noise_dim: usize,
    generator: Trained,
    discriminator: Trained,
    /// G over the noise (batch rows), with its backward pass.
    generate: Pass,
    /// D over real then fake samples (2 × batch rows), training D.
    judge: Pass,
    /// D over G's fakes (batch rows), passing the gradient back to the fakes.
    judge_fakes: Pass,
    /// G over the fixed noise the distance uses.
    evaluate: Pass,
    noise: wgpu::Buffer,
    /// D's input in its own step: the real batch, then the fakes.
    samples: wgpu::Buffer,
    stats: wgpu::Buffer,
    discriminator_loss: Dispatch,
    generator_loss: Dispatch,
    runs: InFlight<Plan>,
}

impl GanGpu {
    /// Moves `gan` onto `gpu`: uploads both networks and their optimizers' state and builds
    /// every step's dispatches.
    pub fn new(gpu: &Gpu, gan: &Gan) -> Self {
        let kernels = Kernels::of(gpu);
        let c = &gan.config;
        let (b, nd) = (c.batch_size, c.noise_dim);
        let stats = gpu.storage("stats", STATS);
        let generator = Trained::new(
            gpu,
            &kernels,
            ("generator", &gan.generator, &gan.generator_optimizer),
            &stats,
        );
        let discriminator = Trained::new(
            gpu,
            &kernels,
            (
                "discriminator",
                &gan.discriminator,
                &gan.discriminator_optimizer,
            ),
            &stats,
        );
        let noise = gpu.storage("noise", b * nd);
        let samples = gpu.storage("real and fake samples", 4 * b);
        let generate = Pass::new(
            gpu,
            &kernels,
            &generator.network,
            &noise,
            b,
            Some(Gradients::Parameters),
            None,
        );
        let judge = Pass::new(
            gpu,
            &kernels,
            &discriminator.network,
            &samples,
            2 * b,
            Some(Gradients::Parameters),
            None,
        );
        // The gradient at the fakes is G's output gradient.
        let judge_fakes = Pass::new(
            gpu,
            &kernels,
            &discriminator.network,
            generate.output(),
            b,
            Some(Gradients::Input),
            Some(generate.output_grad()),
        );
        let evaluation_noise = gpu.storage("evaluation noise", gan.evaluation_noise.len());
        gpu.write(&evaluation_noise, &gan.evaluation_noise);
        let evaluate = Pass::new(
            gpu,
            &kernels,
            &generator.network,
            &evaluation_noise,
            DISTANCE_SAMPLES,
            None,
            None,
        );
        let game = |phase, rows, real_rows| Game {
            game: c.loss,
            phase,
            rows,
            real_rows,
            stat: 0,
        };
        let discriminator_loss = gan_loss::dispatch(
            gpu,
            &kernels,
            game(Phase::Discriminator, 2 * b, b),
            judge.output(),
            judge.output_grad(),
            &stats,
        );
        let generator_loss = gan_loss::dispatch(
            gpu,
            &kernels,
            game(Phase::Generator, b, 0),
            judge_fakes.output(),
            judge_fakes.output_grad(),
            &stats,
        );
        Self {
            gpu: gpu.clone(),
            batch: b,
            noise_dim: nd,
            generator,
            discriminator,
            generate,
            judge,
            judge_fakes,
            evaluate,
            noise,
            samples,
            stats,
            discriminator_loss,
            generator_loss,
            runs: InFlight::default(),
        }
    }

    /// Iterations one submission may hold for this configuration.
    fn iterations_per_submission(&self, gan: &Gan) -> u64 {
        let c = &gan.config;
        let per_iteration = c.discriminator_steps * (self.batch * (self.noise_dim + 2) + 2)
            + c.generator_steps * (self.batch * self.noise_dim + 2);
        ((MAX_UPLOAD / per_iteration) as u64).clamp(1, MAX_ITERATIONS)
    }

    fn record(&self, gan: &Gan, iterations: u64) -> (Recorder, Plan) {
        let c = &gan.config;
        let (b, nd) = (self.batch, self.noise_dim);
        let start = gan.iteration;
        let network_steps = iterations as usize * (c.discriminator_steps + c.generator_steps);
        let measured = (start + 1..=start + iterations)
            .filter(|i| i.is_multiple_of(DISTANCE_INTERVAL))
            .count();
        let d_len = gan.discriminator.param_count();
        let g_len = gan.generator.param_count();
        let state_len = |optimizer: &Optimizer, len: usize| {
            len + optimizer.state().0.len() + optimizer.state().1.len()
        };
        let upload_len = iterations as usize
            * (c.discriminator_steps * (b * (nd + 2) + 2) + c.generator_steps * (b * nd + 2));
        let gather_len = network_steps * STATS
            + measured * 2 * DISTANCE_SAMPLES
            + 6 * b
            + state_len(&gan.discriminator_optimizer, d_len)
            + state_len(&gan.generator_optimizer, g_len);
        let mut rec = Recorder::new(&self.gpu, upload_len, gather_len);
        let mut rng = gan.rng.clone();
        let mut noise = vec![0.0; b * nd];
        let mut real = vec![0.0; 2 * b];
        let mut steps = [
            gan.discriminator_optimizer.steps(),
            gan.generator_optimizer.steps(),
        ];
        let mut stats = Vec::with_capacity(network_steps);
        let mut distances = Vec::with_capacity(measured);
        let (d, g) = (&self.discriminator, &self.generator);
        for i in 0..iterations {
            for _ in 0..c.discriminator_steps {
                // The draws of the CPU's sub-step "sample noise": the noise, then the real batch.
                c.noise.fill(&mut rng, &mut noise);
                gan.target.sample(&mut rng, &mut real);
                rec.upload(&noise, &self.noise, 0);
                rec.upload(&real, &self.samples, 0);
                steps[0] += 1;
                let (uniform, at) = d.training.update.factors_target();
                rec.upload(
                    &gan.discriminator_optimizer.step_factors(steps[0]),
                    uniform,
                    at,
                );
                rec.run(self.generate.forward());
                rec.copy(self.generate.output(), 0, &self.samples, 2 * b, 2 * b);
                rec.run(
                    self.judge
                        .forward()
                        .iter()
                        .chain([&self.discriminator_loss])
                        .chain(self.judge.backward())
                        .chain(d.training.dispatches()),
                );
                stats.push(rec.gather(&self.stats, 0, STATS));
            }
            for _ in 0..c.generator_steps {
                c.noise.fill(&mut rng, &mut noise);
                rec.upload(&noise, &self.noise, 0);
                steps[1] += 1;
                let (uniform, at) = g.training.update.factors_target();
                rec.upload(&gan.generator_optimizer.step_factors(steps[1]), uniform, at);
                rec.run(
                    self.generate
                        .forward()
                        .iter()
                        .chain(self.judge_fakes.forward())
                        .chain([&self.generator_loss])
                        .chain(self.judge_fakes.backward())
                        .chain(self.generate.backward())
                        .chain(g.training.dispatches()),
                );
                stats.push(rec.gather(&self.stats, 0, STATS));
            }
            let iteration = start + i + 1;
            if iteration.is_multiple_of(DISTANCE_INTERVAL) {
                rec.run(self.evaluate.forward());
                let at = rec.gather(self.evaluate.output(), 0, 2 * DISTANCE_SAMPLES);
                distances.push((iteration, at));
            }
        }
        let real_outputs = rec.gather(self.judge.output(), 0, b);
        let fake_outputs = rec.gather(self.judge_fakes.output(), 0, b);
        let fakes = rec.gather(self.generate.output(), 0, 2 * b);
        let fake_gradients = rec.gather(self.generate.output_grad(), 0, 2 * b);
        let mut gather_state = |trained: &Trained, optimizer: &Optimizer| {
            let [params, first, second] = trained.network.parameters.state_buffers();
            let (m, v) = optimizer.state();
            let at = rec.gather(params, 0, trained.network.parameters.len);
            rec.gather(first, 0, m.len());
            rec.gather(second, 0, v.len());
            at
        };
        let states = [
            gather_state(d, &gan.discriminator_optimizer),
            gather_state(g, &gan.generator_optimizer),
        ];
        let plan = Plan {
            start,
            iterations,
            rng,
            noise,
            real,
            steps,
            stats,
            distances,
            real_outputs,
            fake_outputs,
            fakes,
            fake_gradients,
            states,
        };
        (rec, plan)
    }
}

impl CpuCopy for Gan {
    fn iteration_count(&self) -> u64 {
        Gan::iteration_count(self)
    }
    fn diverged(&self) -> Option<&str> {
        Gan::diverged(self)
    }
}

impl GpuTraining for GanGpu {
    type Plan = Plan;
    type Model = Gan;
    type Done = Done;
    fn device(&self) -> &Gpu {
        &self.gpu
    }
    fn runs(&self) -> &InFlight<Plan> {
        &self.runs
    }
    fn runs_mut(&mut self) -> &mut InFlight<Plan> {
        &mut self.runs
    }

    fn start(&mut self, gan: &Gan, iterations: u64) -> Result<u64, RunFailed> {
        self.runs.ready(&self.gpu)?;
        let iterations = iterations.min(self.iterations_per_submission(gan));
        if iterations == 0 {
            return Ok(0);
        }
        if self.runs.take_stale() {
            self.discriminator.network.upload(
                &self.gpu,
                &gan.discriminator,
                &gan.discriminator_optimizer,
            );
            self.generator
                .network
                .upload(&self.gpu, &gan.generator, &gan.generator_optimizer);
        }
        let (recorder, plan) = self.record(gan, iterations);
        let readback = recorder.finish(&self.gpu);
        self.runs.begin(readback, plan);
        Ok(iterations)
    }

    fn finish(&mut self, gan: &mut Gan) -> Result<Option<Done>, RunFailed> {
        self.runs
            .finish(&self.gpu, Done::default(), |plan, values| {
                commit(gan, plan, values)
            })
    }
}

/// Writes a run's read-back `values` into `gan`, checking each network step as the CPU's
/// sub-steps do (loss, then gradients, then weights) and stopping the run at the first
/// non-finite number with the CPU's message.
fn commit(gan: &mut Gan, plan: Plan, values: &[f32]) -> Done {
    let c = gan.config.clone();
    let mut done = Done::default();
    let mut stats = plan.stats.iter().map(|&at| &values[at..at + STATS]);
    let mut distances = plan.distances.iter().peekable();
    let mut diverged = None;
    'run: for _ in 0..plan.iterations {
        for (phase, count) in [
            (Phase::Discriminator, c.discriminator_steps),
            (Phase::Generator, c.generator_steps),
        ] {
            for _ in 0..count {
                let step = stats.next().expect("a step's stats");
                let (loss, norm, weights) = (step[0], step[1].sqrt(), step[2]);
                let (loss_slot, norm_slot) = match phase {
                    Phase::Discriminator => (
                        &mut gan.discriminator_loss,
                        &mut gan.discriminator_grad_norm,
                    ),
                    Phase::Generator => (&mut gan.generator_loss, &mut gan.generator_grad_norm),
                };
                *loss_slot = loss;
                if !loss.is_finite() {
                    diverged = Some(loss_diverged(phase, loss));
                    break 'run;
                }
                *norm_slot = norm;
                if !norm.is_finite() {
                    diverged = Some(gradients_diverged(phase));
                    break 'run;
                }
                if !weights.is_finite() {
                    diverged = Some(weights_diverged(phase));
                    break 'run;
                }
                match phase {
                    Phase::Discriminator => done.discriminator_steps += 1,
                    Phase::Generator => done.generator_steps += 1,
                }
            }
        }
        gan.iteration += 1;
        done.iterations += 1;
        if let Some(&(iteration, at)) = distances.next_if(|(i, _)| *i == gan.iteration) {
            debug_assert_eq!(iteration, gan.iteration);
            let points = &values[at..at + 2 * DISTANCE_SAMPLES];
            gan.distance = gan.distance_evaluator.distance_to(points);
        }
        gan.history.record(
            gan.iteration,
            gan.discriminator_loss,
            gan.generator_loss,
            gan.distance,
        );
    }
    debug_assert!(diverged.is_some() || gan.iteration == plan.start + plan.iterations);
    if let Some(what) = diverged {
        // The message names the iteration the CPU would have stopped in.
        let _ = gan.stop(what);
    }
    let b = c.batch_size;
    gan.rng = plan.rng;
    gan.noise.copy_from_slice(&plan.noise);
    gan.real.copy_from_slice(&plan.real);
    gan.fake
        .copy_from_slice(&values[plan.fakes..plan.fakes + 2 * b]);
    gan.fake_gradient_samples.copy_from_slice(&gan.fake);
    gan.fake_gradients
        .copy_from_slice(&values[plan.fake_gradients..plan.fake_gradients + 2 * b]);
    super::beliefs(
        c.loss,
        &values[plan.real_outputs..plan.real_outputs + b],
        &mut gan.real_beliefs,
    );
    super::beliefs(
        c.loss,
        &values[plan.fake_outputs..plan.fake_outputs + b],
        &mut gan.fake_beliefs,
    );
    let [d_at, g_at] = plan.states;
    Parameters::write_back(
        &values[d_at..],
        gan.discriminator.params_mut(),
        &mut gan.discriminator_optimizer,
        plan.steps[0],
    );
    Parameters::write_back(
        &values[g_at..],
        gan.generator.params_mut(),
        &mut gan.generator_optimizer,
        plan.steps[1],
    );
    done
}
