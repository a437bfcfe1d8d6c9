//! genplay: a browser playground for learning generative models by touching them.
//!
//! The math lives in plain Rust modules that know nothing about the browser and are tested
//! natively with `cargo test`. The `web` module (compiled for wasm32 only) is the one thin
//! layer that adapts them to JavaScript as opaque handles.

pub mod choice;
pub mod classify;
pub mod csv;
pub mod diffusion;
pub mod divergence;
pub mod gan;
pub mod gpu;
pub mod history;
pub mod images;
pub mod labs;
pub mod metrics;
pub mod mixture;
pub mod nn;
pub mod prob;
pub mod range;
pub mod rng;
pub mod state;
pub mod targets;
pub mod vae;

#[cfg(target_arch = "wasm32")]
pub mod web;
