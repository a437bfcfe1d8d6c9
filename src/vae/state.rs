//! A VAE's training state as bytes (src/state.rs): the networks, the decoder's variance, the
//! three optimizers, the generator, the last batch and its terms, the history, the divergence and
//! the prior draws the views decode, so that a copy trained elsewhere (the page's Web Worker)
//! continues the same run. What the settings fix (the target, the fixed view data) is not held:
//! a state is read into a VAE built with the same settings.

use super::{Terms, Vae};
use crate::state::{Reader, Writer};

impl Vae {
    /// Writes the state, β and the learning rate included (they apply live).
    pub fn write_state(&self, w: &mut Writer) {
        w.f32(self.config.beta);
        w.f32s(self.encoder.params());
        w.f32s(self.decoder.params());
        w.f32s(&self.decoder_log_variance);
        w.optimizer(&self.encoder_optimizer);
        w.optimizer(&self.decoder_optimizer);
        w.optimizer(&self.variance_optimizer);
        w.rng(&self.rng);
        w.f32s(&self.data);
        w.f32s(&self.noise);
        w.flag(self.terms.is_some());
        if let Some(terms) = self.terms {
            w.f32(terms.reconstruction);
            w.f32(terms.kl);
        }
        w.u64(self.iteration);
        w.divergence(&self.divergence);
        w.curves(&self.history.0);
        w.f32s(&self.view_prior_noise);
        w.rng(&self.view_rng);
    }

    /// Reads a state written by [`Vae::write_state`] of a VAE with the same settings (β and the
    /// learning rate aside: the state's apply), to its end; changes nothing unless all of it
    /// fits.
    pub fn read_state(&mut self, mut r: Reader) -> Result<(), String> {
        let beta = r.f32()?;
        let encoder = r.f32s("the encoder", self.encoder.param_count())?;
        let decoder = r.f32s("the decoder", self.decoder.param_count())?;
        let log_variance = r.f32s("the decoder's variance", 2)?;
        let encoder_optimizer = r.optimizer("the encoder's optimizer", &self.encoder_optimizer)?;
        let decoder_optimizer = r.optimizer("the decoder's optimizer", &self.decoder_optimizer)?;
        let variance_optimizer =
            r.optimizer("the variance's optimizer", &self.variance_optimizer)?;
        let rng = r.rng()?;
        let data = r.f32s("the batch", self.data.len())?;
        let noise = r.f32s("the batch's ε", self.noise.len())?;
        let terms = if r.flag("terms")? {
            Some(Terms {
                reconstruction: r.f32()?,
                kl: r.f32()?,
            })
        } else {
            None
        };
        let iteration = r.u64()?;
        let divergence = r.divergence()?;
        let history = r.curves(&self.history.0)?;
        let prior_noise = r.f32s("the prior draws", self.view_prior_noise.len())?;
        let view_rng = r.rng()?;
        r.finish()?;
        let learning_rate = encoder_optimizer.learning_rate();
        // Checked before anything changes: β, then the learning rate (which also sets it).
        super::BETA
            .check("beta", beta.into())
            .map_err(|e| format!("the training state's {e}"))?;
        self.set_learning_rate(learning_rate)
            .map_err(|e| format!("the training state's {e}"))?;
        self.config.beta = beta;
        self.encoder.params_mut().copy_from_slice(&encoder);
        self.decoder.params_mut().copy_from_slice(&decoder);
        self.decoder_log_variance.copy_from_slice(&log_variance);
        self.encoder_optimizer = encoder_optimizer;
        self.decoder_optimizer = decoder_optimizer;
        self.variance_optimizer = variance_optimizer;
        self.rng = rng;
        self.data = data;
        self.noise = noise;
        self.terms = terms;
        self.iteration = iteration;
        self.divergence = divergence;
        self.history.0 = history;
        self.view_prior_noise = prior_noise;
        self.view_rng = view_rng;
        Ok(())
    }
}
