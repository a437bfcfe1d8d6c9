//! A diffusion model's training state as bytes (src/state.rs): the network, the optimizer, the
//! generator, the last batch, the loss, the curves, the divergence and the last reverse pass's samples, so that
//! a copy trained elsewhere (the page's Web Worker) continues the same run. What the settings fix
//! (the target, the schedule, the fixed view sets) is not held: a state is read into a model
//! built with the same settings. A narrated step half done is not a state: the worker only ever
//! holds whole iterations.

use super::{Batch, Diffusion, ReversePass, SubStep};
use crate::state::{Reader, Writer};

impl Diffusion {
    /// Writes the state (the learning rate included: it applies live).
    pub fn write_state(&self, w: &mut Writer) {
        w.f32s(self.network.params());
        w.optimizer(&self.optimizer);
        w.rng(&self.rng);
        let b = &self.batch;
        for part in [
            &b.data,
            &b.times,
            &b.noise,
            &b.noisy,
            &b.targets,
            &b.prediction,
        ] {
            w.f32s(part);
        }
        w.flag(self.loss.is_some());
        if let Some(loss) = self.loss {
            w.f32(loss);
        }
        w.u64(self.iteration);
        w.divergence(&self.divergence);
        w.curves(&self.loss_history);
        w.curves(&self.distance_history);
        w.f32(self.distance);
        w.u64(self.pass_iteration);
        w.f32s(self.pass.samples());
    }

    /// Reads a state written by [`Diffusion::write_state`] of a model with the same settings
    /// (the learning rate aside: the state's applies), to its end; changes nothing unless all of
    /// it fits. The reverse pass keeps only its samples; its paths are run again on demand.
    pub fn read_state(&mut self, mut r: Reader) -> Result<(), String> {
        let params = r.f32s("the network", self.network.param_count())?;
        let optimizer = r.optimizer("the optimizer", &self.optimizer)?;
        let rng = r.rng()?;
        let b = self.config.batch_size;
        let batch = Batch {
            data: r.f32s("the batch", 2 * b)?,
            times: r.f32s("the batch's times", b)?,
            noise: r.f32s("the batch's ε", 2 * b)?,
            noisy: r.f32s("the batch's x_t", 2 * b)?,
            targets: r.f32s("the batch's targets", 2 * b)?,
            prediction: r.f32s("the batch's predictions", 2 * b)?,
        };
        let loss = if r.flag("loss")? {
            Some(r.f32()?)
        } else {
            None
        };
        let iteration = r.u64()?;
        let divergence = r.divergence()?;
        let loss_history = r.curves(&self.loss_history)?;
        let distance_history = r.curves(&self.distance_history)?;
        let distance = r.f32()?;
        let pass_iteration = r.u64()?;
        let samples = r.f32s("the samples", self.start_noise.len())?;
        r.finish()?;
        self.set_learning_rate(optimizer.learning_rate())
            .map_err(|e| format!("the training state's {e}"))?;
        self.network.params_mut().copy_from_slice(&params);
        self.optimizer = optimizer;
        self.rng = rng;
        for (c, &u) in self.coefficients.iter_mut().zip(&batch.times) {
            let (m, s) = self.process.coefficients(u as f64);
            *c = [m as f32, s as f32];
        }
        self.batch = batch;
        self.loss = loss;
        self.iteration = iteration;
        self.divergence = divergence;
        self.loss_history = loss_history;
        self.distance_history = distance_history;
        self.distance = distance;
        self.next = SubStep::SampleTimes;
        if pass_iteration != self.pass_iteration || self.pass.samples() != samples.as_slice() {
            // Only the samples came: a pass of one step from the noise to them stands in until
            // the page asks for the paths (`sample`), which runs the whole pass again.
            let mut frames = self.start_noise.clone();
            frames.extend_from_slice(&samples);
            self.pass = ReversePass {
                steps: 1,
                frames,
                times: vec![1.0, 0.0],
            };
        }
        self.pass_iteration = pass_iteration;
        Ok(())
    }
}
