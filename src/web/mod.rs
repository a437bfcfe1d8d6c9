//! The web layer: the only code that talks to JavaScript.
//!
//! Each lab gets one opaque handle that owns its long-lived state. Methods return
//! `Result<_, JsError>` whose messages say what was wrong and what is allowed; bulk numbers go to
//! JavaScript as typed arrays (views of wasm memory where they are large), never as JSON.

mod classify;
mod coin;
mod em;
mod gan;
mod gaussian;
mod joint;
mod vae;

pub use classify::ClassifyLab;
pub use coin::CoinLab;
pub use em::EmLab;
pub use gan::GanLab;
pub use gaussian::GaussianLab;
pub use joint::JointLab;
pub use vae::VaeLab;

use wasm_bindgen::prelude::*;

/// The largest seed a user can type: seeds are whole numbers that fit in 32 bits, so that they
/// survive a round trip through a URL and a JavaScript number unchanged.
const MAX_SEED: f64 = u32::MAX as f64;

/// Checks that `value` is a whole number in `min..=max`; the message names the parameter.
pub(crate) fn whole_number(name: &str, value: f64, min: f64, max: f64) -> Result<u64, JsError> {
    if value.is_finite() && value.fract() == 0.0 && value >= min && value <= max {
        Ok(value as u64)
    } else {
        Err(JsError::new(&format!(
            "{name} = {value} is not allowed: {name} must be a whole number from {min} to {max}"
        )))
    }
}

/// Checks a seed typed by a user or read from a URL.
pub(crate) fn seed(value: f64) -> Result<u64, JsError> {
    whole_number("seed", value, 0.0, MAX_SEED)
}

pub(crate) fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// A fresh seed from the browser's entropy, for "new random run" buttons. Runs stay reproducible
/// because the seed is shown and written into the URL.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(js_error)?;
    Ok(u32::from_le_bytes(bytes))
}
