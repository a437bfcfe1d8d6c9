//! The coin lab's handle: the coin experiment, adapted to JavaScript.

use super::{js_error, seed, whole_number};
use crate::prob::coin_flips::{CoinExperiment, MAX_FLIPS};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
pub struct CoinLab {
    experiment: CoinExperiment,
}

/// The coin lab's state as plain data (see the README's automation API).
#[derive(Serialize)]
struct Snapshot<'a> {
    p: f64,
    seed: u64,
    n_flips: u64,
    heads: u64,
    frequency: f64,
    batch_n: u32,
    n_batches: u64,
    histogram: &'a [u64],
    pmf: Vec<f64>,
    entropy_bits: f64,
    binomial_mean: f64,
    binomial_variance: f64,
    max_flips: u64,
}

#[wasm_bindgen]
impl CoinLab {
    #[wasm_bindgen(constructor)]
    pub fn new(p: f64, batch_n: f64, seed_value: f64) -> Result<CoinLab, JsError> {
        let batch_n = whole_number("batch_n", batch_n, 1.0, 200.0)? as u32;
        let experiment = CoinExperiment::new(p, batch_n, seed(seed_value)?).map_err(js_error)?;
        Ok(Self { experiment })
    }

    /// Flips `batches` batches of n flips; returns how many flips were made (fewer at the cap).
    pub fn step(&mut self, batches: f64) -> Result<f64, JsError> {
        let batches = whole_number("n", batches, 0.0, MAX_FLIPS as f64)?;
        Ok(self.experiment.step_batches(batches) as f64)
    }

    /// Flips single coins, for play speeds below one batch per frame.
    pub fn flip(&mut self, count: f64) -> Result<f64, JsError> {
        let count = whole_number("flips", count, 0.0, MAX_FLIPS as f64)?;
        Ok(self.experiment.flip(count) as f64)
    }

    pub fn reset(&mut self, seed_value: f64) -> Result<(), JsError> {
        self.experiment.reset(seed(seed_value)?);
        Ok(())
    }

    pub fn set_p(&mut self, p: f64) -> Result<(), JsError> {
        self.experiment.set_p(p).map_err(js_error)
    }

    pub fn set_batch_n(&mut self, batch_n: f64) -> Result<(), JsError> {
        let batch_n = whole_number("batch_n", batch_n, 1.0, 200.0)? as u32;
        self.experiment.set_batch_n(batch_n).map_err(js_error)
    }

    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let e = &self.experiment;
        let snapshot = Snapshot {
            p: e.p(),
            seed: e.seed(),
            n_flips: e.n_flips(),
            heads: e.heads(),
            frequency: e.frequency(),
            batch_n: e.batches().n(),
            n_batches: e.n_batches(),
            histogram: e.histogram(),
            pmf: e.batches().pmf_table(),
            entropy_bits: e.coin().entropy_bits(),
            binomial_mean: e.batches().mean(),
            binomial_variance: e.batches().variance(),
            max_flips: MAX_FLIPS,
        };
        serde_wasm_bindgen::to_value(&snapshot).map_err(js_error)
    }

    /// The latest flips, oldest first: 1 for heads, 0 for tails.
    pub fn recent_flips(&self) -> Vec<u8> {
        self.experiment.recent_flips().map(u8::from).collect()
    }

    /// Flip counts of the running-frequency history, as a view of wasm memory: read it at once,
    /// before any other call into wasm (which may move memory).
    pub fn history_flips(&self) -> js_sys::Float64Array {
        // SAFETY: the view is only valid until wasm memory next grows; JS copies or draws it at once.
        unsafe { js_sys::Float64Array::view(self.experiment.history_flips()) }
    }

    /// The running frequency at each of `history_flips`, as a view of wasm memory.
    pub fn history_frequency(&self) -> js_sys::Float64Array {
        // SAFETY: as for `history_flips`.
        unsafe { js_sys::Float64Array::view(self.experiment.history_frequency()) }
    }
}
