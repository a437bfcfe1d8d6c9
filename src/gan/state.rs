//! A GAN's training state as bytes (src/state.rs): everything the next iteration depends on or
//! the views show, so that a copy trained elsewhere (the page's Web Worker) continues the same
//! run. What the settings fix (the target, the fixed evaluation sets, the labels) is not held:
//! a state is read into a GAN built with the same settings.

use super::{Gan, Phase, Position, SubStep};
use crate::state::{Reader, Writer};

impl Gan {
    /// Writes the state; refused in the middle of a network step (a narrated sub-step away from
    /// its start), whose half-computed passes are not held, unless the run diverged there (it
    /// trains no further until a reset, so they are not needed).
    pub fn write_state(&self, w: &mut Writer) -> Result<(), String> {
        let at_start = self.position.sub_step == SubStep::SampleNoise;
        if !at_start && self.divergence.message().is_none() {
            return Err(
                "a narrated step is half done: run its remaining sub-steps first".to_string(),
            );
        }
        w.u32(self.position.phase as u32);
        w.u64(self.position.step as u64);
        let sub_step = SubStep::ORDER
            .iter()
            .position(|&s| s == self.position.sub_step);
        w.u32(sub_step.expect("every sub-step is in the order") as u32);
        w.f32s(self.generator.params());
        w.f32s(self.discriminator.params());
        w.optimizer(&self.generator_optimizer);
        w.optimizer(&self.discriminator_optimizer);
        w.rng(&self.rng);
        for batch in [
            &self.noise,
            &self.real,
            &self.fake,
            &self.real_beliefs,
            &self.fake_beliefs,
            &self.fake_gradients,
            &self.fake_gradient_samples,
        ] {
            w.f32s(batch);
        }
        for number in [
            self.discriminator_loss,
            self.generator_loss,
            self.discriminator_grad_norm,
            self.generator_grad_norm,
            self.distance,
        ] {
            w.f32(number);
        }
        w.u64(self.iteration);
        w.divergence(&self.divergence);
        w.curves(&self.history.0);
        Ok(())
    }

    /// Reads a state written by [`Gan::write_state`] of a GAN with the same settings (the
    /// learning rates aside: the state's apply), to its end; changes nothing unless all of it
    /// fits.
    pub fn read_state(&mut self, mut r: Reader) -> Result<(), String> {
        let phase = match r.u32()? {
            0 => Phase::Discriminator,
            1 => Phase::Generator,
            other => return Err(format!("the training state's phase is {other}")),
        };
        let step = r.u64()? as usize;
        let sub_step = r.u32()?;
        let sub_step = *SubStep::ORDER
            .get(sub_step as usize)
            .ok_or_else(|| format!("the training state's sub-step is {sub_step}"))?;
        let steps = match phase {
            Phase::Discriminator => self.config.discriminator_steps,
            Phase::Generator => self.config.generator_steps,
        };
        if step >= steps {
            return Err(format!(
                "the training state is at step {} of {steps} of a network",
                step + 1
            ));
        }
        let generator = r.f32s("the generator", self.generator.param_count())?;
        let discriminator = r.f32s("the discriminator", self.discriminator.param_count())?;
        let generator_optimizer =
            r.optimizer("the generator's optimizer", &self.generator_optimizer)?;
        let discriminator_optimizer = r.optimizer(
            "the discriminator's optimizer",
            &self.discriminator_optimizer,
        )?;
        let rng = r.rng()?;
        let mut batches = Vec::with_capacity(7);
        for (what, like) in [
            ("the noise", &self.noise),
            ("the real batch", &self.real),
            ("the fake batch", &self.fake),
            ("the real beliefs", &self.real_beliefs),
            ("the fake beliefs", &self.fake_beliefs),
            ("the fake points' gradients", &self.fake_gradients),
            (
                "the fake points of the gradients",
                &self.fake_gradient_samples,
            ),
        ] {
            batches.push(r.f32s(what, like.len())?);
        }
        let numbers = [r.f32()?, r.f32()?, r.f32()?, r.f32()?, r.f32()?];
        let iteration = r.u64()?;
        let divergence = r.divergence()?;
        let history = r.curves(&self.history.0)?;
        r.finish()?;
        if sub_step != SubStep::SampleNoise && divergence.message().is_none() {
            return Err("the training state stops in the middle of a network step".into());
        }
        // The one check that changes something when it passes (and nothing when it fails).
        self.set_learning_rates(
            discriminator_optimizer.learning_rate(),
            generator_optimizer.learning_rate(),
        )
        .map_err(|e| format!("the training state's learning rates: {e}"))?;

        self.position = Position {
            phase,
            step,
            sub_step,
        };
        self.generator.params_mut().copy_from_slice(&generator);
        self.discriminator
            .params_mut()
            .copy_from_slice(&discriminator);
        self.generator_optimizer = generator_optimizer;
        self.discriminator_optimizer = discriminator_optimizer;
        self.rng = rng;
        let mut batches = batches.into_iter();
        for buffer in [
            &mut self.noise,
            &mut self.real,
            &mut self.fake,
            &mut self.real_beliefs,
            &mut self.fake_beliefs,
            &mut self.fake_gradients,
            &mut self.fake_gradient_samples,
        ] {
            *buffer = batches.next().expect("one read batch per buffer");
        }
        [
            self.discriminator_loss,
            self.generator_loss,
            self.discriminator_grad_norm,
            self.generator_grad_norm,
            self.distance,
        ] = numbers;
        self.iteration = iteration;
        self.divergence = divergence;
        self.history.0 = history;
        Ok(())
    }
}
