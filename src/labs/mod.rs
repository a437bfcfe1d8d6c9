//! The labs' controllers, in plain Rust: each lab's settings, their schema, and the model built
//! from them, driven the same way for every lab (see [`lab::Lab`]).
//!
//! Nothing here knows about the browser: `src/web` adapts a [`Lab`] to JavaScript as one handle
//! per lab, and every behaviour (what a change rebuilds, which value is refused and why, how a
//! link is written and read) is tested natively.

pub mod backend;
pub mod classify;
pub mod coin;
pub mod diffusion;
pub mod em;
pub mod gan;
pub mod gaussian;
pub mod import;
pub mod joint;
pub mod lab;
mod link;
pub mod readme;
pub mod schema;
pub mod training;
pub mod transfer;
pub mod vae;
pub mod value;

pub use lab::{Entry, Lab, LinkOutcome, Model, SettingType, Snapshot};
pub use schema::{Applies, Schema, Setting};
pub use value::Value;

/// The schema of lab `M` (with its defaults filled in).
fn schema_of<M: Model>() -> Schema {
    Lab::<M>::new(1)
        .map(|lab| lab.schema().clone())
        .unwrap_or_else(|e| panic!("the {} lab builds with its defaults: {e}", M::NAME))
}

/// Every lab's schema, in menu order.
pub fn schemas() -> Vec<Schema> {
    vec![
        schema_of::<crate::prob::coin_flips::CoinExperiment>(),
        schema_of::<joint::JointRun>(),
        schema_of::<gaussian::GaussianRun>(),
        schema_of::<em::EmModel>(),
        schema_of::<gan::GanRun>(),
        schema_of::<vae::VaeRun>(),
        schema_of::<diffusion::DiffusionRun>(),
        schema_of::<classify::ClassifyModel>(),
    ]
}
