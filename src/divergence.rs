//! Stopping a training run at its first non-finite number, and saying where and what to do.
//!
//! Owns [`DivergenceGuard`], which every gradient-trained model (the GAN, the VAE) holds: once a
//! loss, a gradient or a weight becomes NaN or infinite the guard keeps the one message that
//! names the iteration, what broke and the learning rate to lower, and refuses every further
//! step with it until the run is reset. Also the two checks the trainers use to notice it.

/// Remembers whether a training run has diverged, and the message that says so.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DivergenceGuard {
    message: Option<String>,
}

impl DivergenceGuard {
    /// A guard for a run that has not diverged.
    pub fn new() -> Self {
        Self::default()
    }

    /// A guard that has already tripped with `message` (a saved run's, src/state.rs).
    pub fn tripped(message: String) -> Self {
        Self {
            message: Some(message),
        }
    }

    /// Ok while the run is healthy; the divergence message once it has diverged.
    pub fn check(&self) -> Result<(), String> {
        match &self.message {
            Some(message) => Err(message.clone()),
            None => Ok(()),
        }
    }

    /// Records a divergence at `iteration` (`what` says what became non-finite, for example "the
    /// loss became NaN") and returns its message, which every later [`DivergenceGuard::check`]
    /// repeats.
    pub fn trip(&mut self, iteration: u64, what: &str, learning_rate: f32) -> String {
        let message = format!(
            "training diverged at iteration {iteration}: {what}; lower the learning rate (now {learning_rate}) and press Reset"
        );
        self.message = Some(message.clone());
        message
    }

    /// The divergence message, once the run has diverged.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// Forgets the divergence (the run starts over).
    pub fn clear(&mut self) {
        self.message = None;
    }
}

/// Whether every value is finite, as a divergence check on weights after an update.
pub fn all_finite(values: &[f32]) -> bool {
    // A sum of finite parameters overflows only if they are astronomically large, which is a
    // divergence too; one pass without branches is cheaper than testing each entry.
    crate::nn::matmul::sum(values).is_finite()
}

/// "NaN" or "infinite", for a message about a number that is not finite.
pub fn non_finite_name(x: f32) -> &'static str {
    if x.is_nan() {
        "NaN"
    } else {
        "infinite"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tripped_guard_repeats_its_message_until_cleared() {
        let mut guard = DivergenceGuard::new();
        assert_eq!(guard.check(), Ok(()));
        let message = guard.trip(41, "the loss became NaN", 0.5);
        assert_eq!(
            message,
            "training diverged at iteration 41: the loss became NaN; lower the learning rate (now 0.5) and press Reset"
        );
        assert_eq!(guard.message(), Some(message.as_str()));
        assert_eq!(guard.check(), Err(message.clone()));
        guard.clear();
        assert_eq!(guard.check(), Ok(()));
        assert_eq!(guard.message(), None);
    }

    #[test]
    fn non_finite_values_are_noticed_and_named() {
        assert!(all_finite(&[1.0, -2.0, 3e30]));
        assert!(!all_finite(&[1.0, f32::NAN]));
        assert!(!all_finite(&[f32::INFINITY, 0.0]));
        assert!(!all_finite(&[3e38, 3e38]));
        assert_eq!(non_finite_name(f32::NAN), "NaN");
        assert_eq!(non_finite_name(f32::NEG_INFINITY), "infinite");
    }
}
