//! The VAE trained on the GPU ([`VaeGpu`]): the encoder, the decoder, the decoder's learned
//! log-variance and the three Adam states live in GPU buffers while it trains.
//!
//! The same random numbers feed both paths: for each iteration the CPU draws the data batch and
//! then ε with the VAE's own seeded generator, as its own step does, and uploads them. On the GPU
//! an iteration encodes, draws z = μ + σ·ε, decodes, takes the likelihood (Gaussian with the
//! learned log-variance for points; Bernoulli on the logits for images, which have no variance to
//! learn) and the KL to N(0, I) weighted by β, backpropagates through both networks and updates
//! the parameter sets (the log-variance for points only, as on the CPU). A run of iterations is one submission; each iteration's
//! terms, gradient norms and weight sums come back in one read-back at its end, with the weights
//! and the optimizers' state, into the CPU's [`Vae`] (which the views draw from, and which is at
//! most one read-back old when the GPU fails).

use super::train::{loss_diverged, GRADIENTS_DIVERGED, WEIGHTS_DIVERGED};
use super::{Terms, Vae};
use crate::gpu::nn::optim::Training;
use crate::gpu::nn::run::{CpuCopy, GpuTraining, InFlight, Planned};
use crate::gpu::nn::vae_loss::{self, VaeLoss};
use crate::gpu::nn::{Dispatch, Kernels, Network, Parameters, Pass, Recorder, RunFailed};
use crate::gpu::Gpu;
use crate::nn::{Gradients, Optimizer};
use crate::rng::{self, Rng};

/// The most numbers one submission uploads (16 MiB); longer runs take several submissions.
const MAX_UPLOAD: usize = 1 << 22;
/// The most iterations one submission records.
const MAX_ITERATIONS: u64 = 500;
/// Per iteration, what lands in `stats`: the reconstruction term and the KL (vae_loss.wgsl puts
/// them first), the encoder's and the decoder's squared gradient norms, then the sums of the
/// encoder's, the decoder's and the log-variance's weights.
const STATS: usize = 7;

/// One batch's terms and gradients, computed on the GPU ([`VaeGpu::evaluate_blocking`]).
#[derive(Clone, Debug)]
pub struct Evaluation {
    pub terms: Terms,
    pub encoder_grads: Vec<f32>,
    pub decoder_grads: Vec<f32>,
    pub log_variance_grads: [f32; 2],
}

/// A run of iterations on its way.
pub struct Plan {
    iterations: u64,
    /// The VAE's generator after the draws.
    rng: Rng,
    data: Vec<f32>,
    noise: Vec<f32>,
    /// The optimizers' update count after the run (those that train step together).
    steps: u32,
    stats: Vec<usize>,
    /// Where the encoder's, the decoder's and (points only) the log-variance's state start.
    states: Vec<usize>,
}

impl Planned for Plan {
    fn iterations(&self) -> u64 {
        self.iterations
    }
}

/// A VAE's training on the GPU: buffers and dispatches built once for its configuration.
pub struct VaeGpu {
    gpu: Gpu,
    batch: usize,
    latent: usize,
    /// The data's columns (2, or an image's pixels).
    dim: usize,
    encoder: Network,
    decoder: Network,
    log_variance: Parameters,
    /// The encoder's, the decoder's and, for points, the log-variance's updates with their sums.
    training: Vec<Training>,
    encode: Pass,
    decode: Pass,
    loss: VaeLoss,
    data: wgpu::Buffer,
    noise: wgpu::Buffer,
    stats: wgpu::Buffer,
    runs: InFlight<Plan>,
}

impl VaeGpu {
    /// Moves `vae` onto `gpu`: uploads everything it trains and builds the step's dispatches.
    pub fn new(gpu: &Gpu, vae: &Vae) -> Self {
        let kernels = Kernels::of(gpu);
        let (b, l, dim) = (
            vae.config.batch_size,
            vae.config.latent_dim,
            vae.source.dim(),
        );
        let images = vae.source.is_images();
        // One slot more than is read back: the log-variance's gradient norm (see below).
        let stats = gpu.storage("stats", STATS + 1);
        let encoder = Network::new(gpu, "encoder", &vae.encoder, &vae.encoder_optimizer);
        let decoder = Network::new(gpu, "decoder", &vae.decoder, &vae.decoder_optimizer);
        let log_variance = Parameters::new(gpu, "decoder log-variance", 2);
        log_variance.upload(gpu, &vae.decoder_log_variance, &vae.variance_optimizer);
        let data = gpu.storage("data", b * dim);
        let noise = gpu.storage("noise", b * l);
        let latent = gpu.storage("latent", b * l);
        let encode = Pass::new(
            gpu,
            &kernels,
            &encoder,
            &data,
            b,
            Some(Gradients::Parameters),
            None,
        );
        let decode = Pass::new(
            gpu,
            &kernels,
            &decoder,
            &latent,
            b,
            Some(Gradients::Both),
            None,
        );
        let loss = VaeLoss::new(
            gpu,
            &kernels,
            [b, l, dim],
            images,
            &vae_loss::Buffers {
                encoded: encode.output(),
                noise: &noise,
                latent: &latent,
                stats: &stats,
                data: &data,
                decoded: decode.output(),
                log_variance: &log_variance.params,
                grad_decoded: decode.output_grad(),
                grad_log_variance: &log_variance.grads,
                grad_latent: decode.input_grad().expect("the decoder passes dL/dz back"),
                grad_encoded: encode.output_grad(),
            },
        );
        let adam = vae.encoder_optimizer.kind();
        // The log-variance's gradient is not among the CPU's checks: its squared norm goes to a
        // slot of its own past the ones read back.
        // (For images its weights' sum stays 0, the CPU's check of two constants.)
        let mut training = vec![
            Training::new(gpu, &kernels, &encoder.parameters, adam, &stats, [2, 4]),
            Training::new(gpu, &kernels, &decoder.parameters, adam, &stats, [3, 5]),
        ];
        if !images {
            training.push(Training::new(
                gpu,
                &kernels,
                &log_variance,
                adam,
                &stats,
                [7, 6],
            ));
        }
        Self {
            gpu: gpu.clone(),
            batch: b,
            latent: l,
            dim,
            encoder,
            decoder,
            log_variance,
            training,
            encode,
            decode,
            loss,
            data,
            noise,
            stats,
            runs: InFlight::default(),
        }
    }

    fn gradients(&self) -> impl Iterator<Item = &Dispatch> {
        self.encode
            .forward()
            .iter()
            .chain([&self.loss.sample])
            .chain(self.decode.forward())
            .chain([&self.loss.likelihood])
            .chain(self.decode.backward())
            .chain([&self.loss.encoder_grad])
            .chain(self.encode.backward())
    }

    /// Writes the CPU's networks, log-variance and optimizer states into the GPU's buffers if the
    /// CPU changed them, and its β (which applies live) in any case.
    fn sync(&mut self, vae: &Vae) {
        if self.runs.take_stale() {
            self.encoder
                .upload(&self.gpu, &vae.encoder, &vae.encoder_optimizer);
            self.decoder
                .upload(&self.gpu, &vae.decoder, &vae.decoder_optimizer);
            self.log_variance.upload(
                &self.gpu,
                &vae.decoder_log_variance,
                &vae.variance_optimizer,
            );
        }
        self.loss.set_beta(&self.gpu, vae.config.beta);
    }

    /// The loss's terms and its gradients for one batch and its ε, computed on the GPU without
    /// an update (for the tests that hold the kernels to the CPU's `Vae::evaluate`).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn evaluate_blocking(
        &mut self,
        vae: &Vae,
        data: &[f32],
        noise: &[f32],
    ) -> Result<Evaluation, crate::gpu::GpuError> {
        self.sync(vae);
        let lens = [self.encoder.parameters.len, self.decoder.parameters.len];
        let mut rec = Recorder::new(
            &self.gpu,
            data.len() + noise.len(),
            2 + lens[0] + lens[1] + 2,
        );
        rec.upload(data, &self.data, 0);
        rec.upload(noise, &self.noise, 0);
        rec.run(self.gradients());
        rec.gather(&self.stats, 0, 2);
        rec.gather(&self.encoder.parameters.grads, 0, lens[0]);
        rec.gather(&self.decoder.parameters.grads, 0, lens[1]);
        rec.gather(&self.log_variance.grads, 0, 2);
        let values = rec.finish(&self.gpu).wait(&self.gpu)?;
        let terms = Terms {
            reconstruction: values[vae_loss::RECONSTRUCTION],
            kl: values[vae_loss::KL],
        };
        let (encoder, rest) = values[2..].split_at(lens[0]);
        let (decoder, variance) = rest.split_at(lens[1]);
        Ok(Evaluation {
            terms,
            encoder_grads: encoder.to_vec(),
            decoder_grads: decoder.to_vec(),
            log_variance_grads: [variance[0], variance[1]],
        })
    }
}

impl CpuCopy for Vae {
    fn iteration_count(&self) -> u64 {
        Vae::iteration_count(self)
    }
    fn diverged(&self) -> Option<&str> {
        Vae::diverged(self)
    }
}

impl GpuTraining for VaeGpu {
    type Plan = Plan;
    type Model = Vae;
    type Done = u64;
    fn device(&self) -> &Gpu {
        &self.gpu
    }
    fn runs(&self) -> &InFlight<Plan> {
        &self.runs
    }
    fn runs_mut(&mut self) -> &mut InFlight<Plan> {
        &mut self.runs
    }

    fn start(&mut self, vae: &Vae, iterations: u64) -> Result<u64, RunFailed> {
        self.runs.ready(&self.gpu)?;
        let per_iteration = self.batch * (self.dim + self.latent) + 6;
        let iterations =
            iterations.min(((MAX_UPLOAD / per_iteration) as u64).clamp(1, MAX_ITERATIONS));
        if iterations == 0 {
            return Ok(0);
        }
        self.sync(vae);
        // What trains, with its optimizer: the log-variance for points only.
        let trained = [
            (&self.encoder.parameters, &vae.encoder_optimizer),
            (&self.decoder.parameters, &vae.decoder_optimizer),
            (&self.log_variance, &vae.variance_optimizer),
        ];
        let trained = &trained[..self.training.len()];
        let gather_len = iterations as usize * STATS
            + trained
                .iter()
                .map(|(parameters, optimizer)| {
                    parameters.len + optimizer.state().0.len() + optimizer.state().1.len()
                })
                .sum::<usize>();
        let mut rec = Recorder::new(&self.gpu, iterations as usize * per_iteration, gather_len);
        let mut rng = vae.rng.clone();
        let mut data = vec![0.0; self.dim * self.batch];
        let mut noise = vec![0.0; self.batch * self.latent];
        let mut steps = vae.encoder_optimizer.steps();
        let mut stats = Vec::with_capacity(iterations as usize);
        let optimizers = [
            &vae.encoder_optimizer,
            &vae.decoder_optimizer,
            &vae.variance_optimizer,
        ];
        for _ in 0..iterations {
            // The CPU's step draws the batch, then ε.
            vae.source.sample(&mut rng, &mut data);
            rng::fill_standard_normal(&mut rng, &mut noise);
            rec.upload(&data, &self.data, 0);
            rec.upload(&noise, &self.noise, 0);
            steps += 1;
            for (training, optimizer) in self.training.iter().zip(optimizers) {
                let (uniform, at) = training.update.factors_target();
                rec.upload(&optimizer.step_factors(steps), uniform, at);
            }
            rec.run(
                self.gradients()
                    .chain(self.training.iter().flat_map(Training::dispatches)),
            );
            stats.push(rec.gather(&self.stats, 0, STATS));
        }
        let mut gather_state = |parameters: &Parameters, optimizer: &Optimizer| {
            let [params, first, second] = parameters.state_buffers();
            let (m, v) = optimizer.state();
            let at = rec.gather(params, 0, parameters.len);
            rec.gather(first, 0, m.len());
            rec.gather(second, 0, v.len());
            at
        };
        let states = trained
            .iter()
            .map(|&(parameters, optimizer)| gather_state(parameters, optimizer))
            .collect();
        let plan = Plan {
            iterations,
            rng,
            data,
            noise,
            steps,
            stats,
            states,
        };
        let readback = rec.finish(&self.gpu);
        self.runs.begin(readback, plan);
        Ok(iterations)
    }

    fn finish(&mut self, vae: &mut Vae) -> Result<Option<u64>, RunFailed> {
        self.runs
            .finish(&self.gpu, 0, |plan, values| commit(vae, plan, values))
    }
}

/// Writes a run's read-back `values` into `vae`, checking each iteration as the CPU's step does
/// (the loss, then the gradients, then the weights) and stopping at the first non-finite number
/// with the CPU's message; returns the iterations completed.
fn commit(vae: &mut Vae, plan: Plan, values: &[f32]) -> u64 {
    let beta = vae.config.beta;
    let mut done = 0;
    for &at in &plan.stats {
        let s = &values[at..at + STATS];
        let terms = Terms {
            reconstruction: s[vae_loss::RECONSTRUCTION],
            kl: s[vae_loss::KL],
        };
        let diverged = if !terms.loss(beta).is_finite() {
            Some(loss_diverged(terms.loss(beta)))
        } else if !(s[2].sqrt().is_finite() && s[3].sqrt().is_finite()) {
            Some(GRADIENTS_DIVERGED.to_string())
        } else if !(s[4].is_finite() && s[5].is_finite() && s[6].is_finite()) {
            Some(WEIGHTS_DIVERGED.to_string())
        } else {
            None
        };
        if let Some(what) = diverged {
            vae.divergence
                .trip(vae.iteration + 1, &what, vae.config.learning_rate);
            break;
        }
        vae.terms = Some(terms);
        vae.iteration += 1;
        vae.history.record(vae.iteration, terms);
        done += 1;
    }
    vae.rng = plan.rng;
    vae.data.copy_from_slice(&plan.data);
    vae.noise.copy_from_slice(&plan.noise);
    Parameters::write_back(
        &values[plan.states[0]..],
        vae.encoder.params_mut(),
        &mut vae.encoder_optimizer,
        plan.steps,
    );
    Parameters::write_back(
        &values[plan.states[1]..],
        vae.decoder.params_mut(),
        &mut vae.decoder_optimizer,
        plan.steps,
    );
    // Images train no log-variance: it and its optimizer stay as they are, as on the CPU.
    if let Some(&v) = plan.states.get(2) {
        Parameters::write_back(
            &values[v..],
            &mut vae.decoder_log_variance,
            &mut vae.variance_optimizer,
            plan.steps,
        );
    }
    done
}
