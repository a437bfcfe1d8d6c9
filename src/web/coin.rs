//! The coin lab's handle, and the views its page draws every frame.

use super::{lab_handle, whole_number};
use crate::prob::coin_flips::{CoinExperiment, MAX_FLIPS};
use wasm_bindgen::prelude::*;

lab_handle!(
    /// The coin lab (`#/coin`).
    CoinLab,
    CoinExperiment
);

#[wasm_bindgen]
impl CoinLab {
    /// Flips single coins, for play speeds below one batch per frame.
    pub fn flip(&mut self, count: f64) -> Result<f64, JsError> {
        let count = whole_number("flips", count, 0.0, MAX_FLIPS as f64)?;
        Ok(self.lab.model_mut().flip(count) as f64)
    }

    /// The latest flips, oldest first: 1 for heads, 0 for tails.
    pub fn recent_flips(&self) -> Vec<u8> {
        self.lab.model().recent_flips().map(u8::from).collect()
    }

    /// Flip counts of the running-frequency history, as a view of wasm memory: read it at once,
    /// before any other call into wasm (which may move memory).
    pub fn history_flips(&self) -> js_sys::Float64Array {
        // SAFETY: the view is only valid until wasm memory next grows; JS copies or draws it at once.
        unsafe { js_sys::Float64Array::view(self.lab.model().history_flips()) }
    }

    /// The running frequency at each of `history_flips`, as a view of wasm memory.
    pub fn history_frequency(&self) -> js_sys::Float64Array {
        // SAFETY: as for `history_flips`.
        unsafe { js_sys::Float64Array::view(self.lab.model().history_frequency()) }
    }
}
