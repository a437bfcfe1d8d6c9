//! The neural-network core: dense layers, activations, multi-layer perceptrons, losses and
//! optimizers, in f32 and written for speed (no allocation per training step, vectorisable
//! kernels), so that a GAN trains at hundreds of iterations per second in the browser.
//!
//! Everything is plain Rust, tested natively; every gradient is checked against finite
//! differences in the tests.

pub mod activation;
pub mod dense;
pub mod fastmath;
pub mod loss;
pub mod matmul;
pub mod mlp;
pub mod optim;

pub use activation::{Activation, Initialisation};
pub use dense::Dense;
pub use mlp::{Gradients, Mlp, MlpConfig, Workspace};
pub use optim::{
    Optimizer, OptimizerKind, BATCH_SIZE, LEARNING_RATE, MAX_BATCH_SIZE, MAX_LEARNING_RATE,
};
