//! Optimizers: stochastic gradient descent with momentum, and Adam.
//!
//! An optimizer owns its per-parameter state (velocity, moment estimates) and updates a flat
//! parameter slice from a gradient slice of the same length in one pass.

use crate::range::Range;

/// Adam's guard against dividing by a vanishing second moment.
const ADAM_EPSILON: f32 = 1e-8;

/// The largest batch any network of the playground trains on. Above a thousand or so only the
/// GPU makes it quick (src/gpu/nn); the CPU still trains it, just slowly.
pub const MAX_BATCH_SIZE: usize = 16384;
/// The largest learning rate accepted (larger ones only ever diverge).
pub const MAX_LEARNING_RATE: f32 = 10.0;
/// The batch sizes a network may train on.
pub const BATCH_SIZE: Range = Range::whole(1, MAX_BATCH_SIZE as u64);
/// The step sizes an optimizer may take.
pub const LEARNING_RATE: Range = Range::above(0.0, MAX_LEARNING_RATE as f64);

/// Which update rule, with its own settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerKind {
    /// v ← momentum·v + g; θ ← θ - lr·v (momentum 0 is plain SGD).
    Sgd { momentum: f32 },
    /// Adam (Kingma & Ba) with bias-corrected moment estimates.
    Adam { beta1: f32, beta2: f32 },
}

impl OptimizerKind {
    /// The name shown to the user.
    pub fn name(&self) -> &'static str {
        match self {
            OptimizerKind::Sgd { .. } => "SGD",
            OptimizerKind::Adam { .. } => "Adam",
        }
    }
}

/// An optimizer with its state for one parameter vector.
#[derive(Clone, Debug)]
pub struct Optimizer {
    kind: OptimizerKind,
    learning_rate: f32,
    /// SGD: velocity. Adam: first moment.
    first: Vec<f32>,
    /// Adam: second moment (empty for SGD).
    second: Vec<f32>,
    steps: u32,
}

impl Optimizer {
    /// An optimizer for `param_count` parameters, starting from zero state.
    pub fn new(kind: OptimizerKind, learning_rate: f32, param_count: usize) -> Self {
        let second_len = match kind {
            OptimizerKind::Sgd { .. } => 0,
            OptimizerKind::Adam { .. } => param_count,
        };
        Self {
            kind,
            learning_rate,
            first: vec![0.0; param_count],
            second: vec![0.0; second_len],
            steps: 0,
        }
    }

    pub fn kind(&self) -> OptimizerKind {
        self.kind
    }

    pub fn learning_rate(&self) -> f32 {
        self.learning_rate
    }

    /// Changes the step size without forgetting the state (the UI's learning-rate slider).
    pub fn set_learning_rate(&mut self, learning_rate: f32) {
        self.learning_rate = learning_rate;
    }

    /// Updates taken so far.
    pub fn steps(&self) -> u32 {
        self.steps
    }

    /// The per-parameter state: SGD's velocity (and nothing), or Adam's first and second
    /// moments, each laid out like the parameters.
    pub fn state(&self) -> (&[f32], &[f32]) {
        (&self.first, &self.second)
    }

    /// The state and the update count, for a copy of it trained elsewhere (the GPU) to be
    /// written back.
    pub fn state_mut(&mut self) -> (&mut [f32], &mut [f32], &mut u32) {
        (&mut self.first, &mut self.second, &mut self.steps)
    }

    /// The two numbers of the `t`-th update (t ≥ 1) that change from step to step: for Adam the
    /// step size and ε with both bias corrections folded in, for SGD the learning rate (and 0).
    /// The GPU's update takes them from here, so both paths use the same numbers.
    pub fn step_factors(&self, t: u32) -> [f32; 2] {
        match self.kind {
            OptimizerKind::Sgd { .. } => [self.learning_rate, 0.0],
            OptimizerKind::Adam { beta1, beta2 } => {
                let t = t as i32;
                // Folding both bias corrections into the step size leaves one division per entry.
                let correction = (1.0 - beta2.powi(t)).sqrt();
                [
                    self.learning_rate * correction / (1.0 - beta1.powi(t)),
                    ADAM_EPSILON * correction,
                ]
            }
        }
    }

    /// Forgets the state, as if no step had been taken.
    pub fn reset(&mut self) {
        self.first.fill(0.0);
        self.second.fill(0.0);
        self.steps = 0;
    }

    /// One update of `params` against `grads`.
    pub fn step(&mut self, params: &mut [f32], grads: &[f32]) {
        assert!(params.len() == grads.len() && params.len() == self.first.len());
        self.steps += 1;
        let [rate, epsilon] = self.step_factors(self.steps);
        match self.kind {
            OptimizerKind::Sgd { momentum } => {
                for ((p, &g), v) in params.iter_mut().zip(grads).zip(self.first.iter_mut()) {
                    *v = momentum * *v + g;
                    *p -= rate * *v;
                }
            }
            OptimizerKind::Adam { beta1, beta2 } => {
                let step_size = rate;
                let moments = self.first.iter_mut().zip(self.second.iter_mut());
                for ((p, &g), (m, v)) in params.iter_mut().zip(grads).zip(moments) {
                    *m = beta1 * *m + (1.0 - beta1) * g;
                    *v = beta2 * *v + (1.0 - beta2) * g * g;
                    *p -= step_size * *m / (v.sqrt() + epsilon);
                }
            }
        }
    }
}
