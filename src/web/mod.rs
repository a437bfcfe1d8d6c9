//! The web layer: the only code that talks to JavaScript.
//!
//! Each lab gets one opaque handle around its [`Lab`](crate::labs::Lab) controller, made by
//! [`lab_handle!`]: `schema()`, `set(name, value)`, `step(n)`, `reset(seed)`, `snapshot()`, links,
//! and nothing else but the typed-array views its page draws. Methods return
//! `Result<_, JsError>` whose messages say what was wrong and what is allowed; bulk numbers go to
//! JavaScript as typed arrays (views of wasm memory where they are large), never as JSON.
//!
//! The handles come in two modules (the `basic-labs` and `training-labs` features, built apart by
//! scripts/build-wasm.sh); what is outside the handles is in both.
//!
//! A Rust panic traps the module and leaves every handle unusable, so the panic hook reports the
//! message to the page (`genplay.reportPanic`), which loads a fresh instance and restores the lab
//! from its link.

#[cfg(feature = "basic-labs")]
mod classify;
#[cfg(feature = "basic-labs")]
mod coin;
#[cfg(feature = "training-labs")]
mod diffusion;
#[cfg(feature = "basic-labs")]
mod em;
#[cfg(feature = "training-labs")]
mod gan;
#[cfg(feature = "basic-labs")]
mod gaussian;
#[cfg(feature = "basic-labs")]
mod joint;
#[cfg(feature = "training-labs")]
mod vae;

#[cfg(feature = "basic-labs")]
pub use {classify::ClassifyLab, coin::CoinLab, em::EmLab, gaussian::GaussianLab, joint::JointLab};
#[cfg(feature = "training-labs")]
pub use {diffusion::DiffusionLab, gan::GanLab, vae::VaeLab};

use crate::labs::transfer::ModelFile;
use crate::labs::Value;
use js_sys::Array;
use serde::Serialize;
use wasm_bindgen::prelude::*;

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
    whole_number("seed", value, 0.0, u32::MAX as f64)
}

pub(crate) fn js_error(error: impl std::fmt::Display) -> JsError {
    JsError::new(&error.to_string())
}

/// Plain data as a JavaScript value: missing values as `null`, maps as plain objects.
pub(crate) fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new()
        .serialize_missing_as_null(true)
        .serialize_maps_as_objects(true);
    value.serialize(&serializer).map_err(js_error)
}

/// Lists deeper than this (a list of rows is 2 deep) are not taken apart, so that a list that
/// contains itself cannot exhaust the stack.
const MAX_DEPTH: usize = 3;

/// A value passed from JavaScript, as the schema checks it.
pub(crate) fn value_from_js(value: &JsValue) -> Value {
    value_at_depth(value, 0)
}

fn value_at_depth(value: &JsValue, depth: usize) -> Value {
    if value.is_null() {
        Value::Null
    } else if value.is_undefined() {
        Value::Other("undefined")
    } else if let Some(b) = value.as_bool() {
        Value::Bool(b)
    } else if let Some(x) = value.as_f64() {
        Value::Number(x)
    } else if let Some(s) = value.as_string() {
        Value::Text(s)
    } else if Array::is_array(value) {
        if depth >= MAX_DEPTH {
            return Value::Other("a list nested too deeply");
        }
        let items = Array::from(value);
        Value::List(
            items
                .iter()
                .map(|v| value_at_depth(&v, depth + 1))
                .collect(),
        )
    } else if value.is_function() {
        Value::Other("a function")
    } else {
        Value::Other("an object")
    }
}

/// A link's parameters from `[[name, text], ...]` (or an object's entries).
pub(crate) fn link_params(params: &JsValue) -> Vec<(String, String)> {
    let entries = if Array::is_array(params) {
        Array::from(params)
    } else {
        js_sys::Object::entries(&js_sys::Object::from(params.clone()))
    };
    entries
        .iter()
        .filter_map(|pair| {
            let pair = Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// A model file's contents from the object its JSON parses to; what is missing reads as
/// empty, for the lab to refuse with its message.
pub(crate) fn model_file(file: &JsValue) -> Result<ModelFile, JsError> {
    if !file.is_object() || Array::is_array(file) {
        return Err(JsError::new(
            "this is not a genplay model file: a model file is a JSON object",
        ));
    }
    let get = |name: &str| js_sys::Reflect::get(file, &JsValue::from_str(name)).ok();
    let text = |name: &str| get(name).and_then(|v| v.as_string()).unwrap_or_default();
    let object = |name: &str| get(name).filter(|v| v.is_object() && !Array::is_array(v));
    let progress_name = text("progress");
    let model = object("model")
        .map(|m| js_sys::Object::entries(&js_sys::Object::from(m)))
        .map(|entries| {
            entries
                .iter()
                .filter_map(|pair| {
                    let pair = Array::from(&pair);
                    Some((pair.get(0).as_string()?, value_from_js(&pair.get(1))))
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ModelFile {
        format: text("format"),
        version: get("version").and_then(|v| v.as_f64()).unwrap_or(f64::NAN),
        lab: text("lab"),
        settings: object("settings").map_or(Vec::new(), |s| link_params(&s)),
        progress: get(&progress_name)
            .and_then(|v| v.as_f64())
            .unwrap_or(f64::NAN),
        progress_name,
        model,
        state: get("state").and_then(|v| v.as_string()),
    })
}

/// Points as CSV (`columns` numbers a row, flat; a third column is the class), for the page's
/// "data as CSV" button.
#[wasm_bindgen(js_name = pointsCsv)]
pub fn points_csv(flat: &[f64], columns: usize) -> Result<String, JsError> {
    if !(2..=3).contains(&columns) || !flat.len().is_multiple_of(columns) {
        return Err(JsError::new(
            "points must be rows of 2 numbers (x, y) or 3 (x, y, class)",
        ));
    }
    let points: Vec<[f64; 2]> = flat.chunks(columns).map(|r| [r[0], r[1]]).collect();
    let classes: Option<Vec<u32>> =
        (columns == 3).then(|| flat.chunks(3).map(|r| r[2] as u32).collect());
    Ok(crate::csv::write(&points, classes.as_deref()))
}

/// Makes the wasm handle `$handle` around `Lab<$model>`, with the methods every lab has.
macro_rules! lab_handle {
    ($(#[$meta:meta])* $handle:ident, $model:ty) => {
        $(#[$meta])*
        #[wasm_bindgen]
        pub struct $handle {
            lab: $crate::labs::Lab<$model>,
        }

        #[wasm_bindgen]
        impl $handle {
            /// The lab with its default settings and `seed`.
            #[wasm_bindgen(constructor)]
            pub fn new(seed: f64) -> Result<$handle, JsError> {
                let seed = $crate::web::seed(seed)?;
                let lab = $crate::labs::Lab::new(seed).map_err($crate::web::js_error)?;
                Ok(Self { lab })
            }

            /// Every setting's schema entry, as plain data.
            pub fn schema(&self) -> Result<JsValue, JsError> {
                $crate::web::to_js(self.lab.schema())
            }

            /// Sets a setting; returns "live" or "rebuild", or refuses with the entry's message
            /// (and nothing changes).
            pub fn set(&mut self, name: &str, value: JsValue) -> Result<String, JsError> {
                let value = $crate::web::value_from_js(&value);
                self.lab
                    .set(name, &value)
                    .map(|applied| applied.name().to_string())
                    .map_err($crate::web::js_error)
            }

            /// A setting's current value.
            pub fn value(&self, name: &str) -> Result<JsValue, JsError> {
                let value = self.lab.value(name).map_err($crate::web::js_error)?;
                $crate::web::to_js(&value)
            }

            /// Every setting's current value (points excepted), by name.
            pub fn values(&self) -> Result<JsValue, JsError> {
                $crate::web::to_js(&self.lab.values())
            }

            /// `step(n)` of the API.
            pub fn step(&mut self, n: f64) -> Result<f64, JsError> {
                self.lab.step(n).map_err($crate::web::js_error)
            }

            /// Starts again from `seed`.
            pub fn reset(&mut self, seed: f64) -> Result<(), JsError> {
                self.lab.reset(seed).map_err($crate::web::js_error)
            }

            pub fn snapshot(&self) -> Result<JsValue, JsError> {
                $crate::web::to_js(&self.lab.snapshot())
            }

            /// The link of this run as `[[name, text], ...]`.
            pub fn link(&self) -> Result<JsValue, JsError> {
                $crate::web::to_js(&self.lab.link())
            }

            /// Applies a link's parameters; returns `{refused: [message, ...], replay}`.
            pub fn apply_link(&mut self, params: JsValue) -> Result<JsValue, JsError> {
                let params = $crate::web::link_params(&params);
                $crate::web::to_js(&self.lab.apply_link(&params))
            }

            /// The run's whole training state (a Web Worker trains a copy from it).
            pub fn export_state(&self) -> Result<Vec<u8>, JsError> {
                self.lab.export_state().map_err($crate::web::js_error)
            }

            /// Continues from a state `export_state` wrote of a run with the same settings; one
            /// that does not fit is refused and nothing changes.
            pub fn import_state(&mut self, bytes: &[u8]) -> Result<(), JsError> {
                self.lab.import_state(bytes).map_err($crate::web::js_error)
            }

            /// Goes `count` units of progress further (a link's replay, frame by frame).
            pub fn advance(&mut self, count: f64) -> Result<(), JsError> {
                let count = $crate::web::whole_number("count", count, 0.0, 1e9)?;
                self.lab.advance(count).map_err($crate::web::js_error)
            }

            /// How far the run has gone (the link's progress).
            pub fn progress(&self) -> f64 {
                self.lab.progress_count() as f64
            }

            /// Tells the lab about the page's GPU device (found when the page started).
            pub fn use_gpu(&mut self, device: &$crate::web::GpuDevice) {
                let access = $crate::labs::backend::GpuAccess::Available(device.gpu.clone());
                self.lab.attach_gpu(access);
            }

            /// Tells the lab there is no usable GPU, and why.
            pub fn no_gpu(&mut self, why: &str) {
                let access = $crate::labs::backend::GpuAccess::Unavailable(why.to_string());
                self.lab.attach_gpu(access);
            }

            /// Starts `step(n)` on the GPU when it is active; returns false when the CPU is
            /// (call `step` then). Drive it with `gpu_continue` and `gpu_ready`.
            pub fn gpu_begin(&mut self, n: f64) -> Result<bool, JsError> {
                self.lab.gpu_begin(n).map_err($crate::web::js_error)
            }

            /// Goes on with a step on the GPU: undefined while it waits (await `gpu_ready()`,
            /// then call again), what `step` returns once done.
            pub fn gpu_continue(&mut self) -> Option<f64> {
                self.lab.gpu_continue()
            }

            /// Resolves once what the GPU step waits for can be read (at once when it waits for
            /// nothing).
            pub fn gpu_ready(&self) -> js_sys::Promise {
                let ready = self.lab.gpu_readback().map(|r| r.ready());
                wasm_bindgen_futures::future_to_promise(async move {
                    if let Some(ready) = ready {
                        ready.await;
                    }
                    Ok(JsValue::UNDEFINED)
                })
            }

            /// Records how long one step took on the active backend (the page times its steps).
            pub fn record_step_ms(&mut self, ms: f64) {
                self.lab.record_step_ms(ms);
            }

            /// `{backend, backend_note, gpu_adapter, step_ms}`, or null for a lab without a GPU
            /// path (cheaper than a snapshot, for the page's badge).
            pub fn backend_report(&self) -> Result<JsValue, JsError> {
                $crate::web::to_js(&self.lab.backend())
            }

            /// Panics on purpose (`genplay.debug.panic()`), to test that the page survives it.
            pub fn debug_panic(&self) {
                panic!(
                    "a panic on purpose in the {} lab (genplay.debug.panic())",
                    self.lab.schema().lab
                );
            }
        }
    };
}
pub(crate) use lab_handle;

/// Gives `$handle` (a lab with a points setting) `import_csv(text)`. Only labs that take points
/// have it: each method compiled is page weight, and the page asks the handle what it has.
macro_rules! csv_import {
    ($handle:ident) => {
        #[wasm_bindgen]
        impl $handle {
            /// Takes a CSV file's points into the lab's points setting; returns `{rows,
            /// classes, class_names, setting, scaling, scale, center, notes}`, or refuses the
            /// file with the line and column at fault (and nothing changes).
            pub fn import_csv(&mut self, text: &str) -> Result<JsValue, JsError> {
                let imported = self.lab.import_csv(text).map_err($crate::web::js_error)?;
                $crate::web::to_js(&imported)
            }
        }
    };
}
pub(crate) use csv_import;

/// Gives `$handle` (a lab with a model to keep: `Model::model_arrays`) `export_model()` and
/// `import_model(file)`.
macro_rules! model_files {
    ($handle:ident) => {
        #[wasm_bindgen]
        impl $handle {
            /// The trained model as a model file's contents (the page writes it as JSON).
            pub fn export_model(&self) -> Result<JsValue, JsError> {
                $crate::web::to_js(&self.lab.export_model().map_err($crate::web::js_error)?)
            }

            /// Restores a model file (parsed from JSON); a file of another lab or version, or
            /// a changed one, is refused with why, and nothing changes.
            pub fn import_model(&mut self, file: JsValue) -> Result<(), JsError> {
                let file = $crate::web::model_file(&file)?;
                self.lab.import_model(&file).map_err($crate::web::js_error)
            }
        }
    };
}
pub(crate) use model_files;

/// The page's GPU device, asked for once when the page starts and shared by the labs.
#[wasm_bindgen]
pub struct GpuDevice {
    pub(crate) gpu: crate::gpu::Gpu,
}

#[wasm_bindgen]
impl GpuDevice {
    /// Resolves to the device, or rejects with why there is none (no WebGPU, no adapter).
    pub async fn acquire() -> Result<GpuDevice, JsError> {
        let gpu = crate::gpu::acquire().await.map_err(js_error)?;
        Ok(GpuDevice { gpu })
    }

    /// The adapter's name.
    pub fn name(&self) -> String {
        self.gpu.adapter.name.clone()
    }

    /// Names an adapter that gave wgpu no name, from what the page read of it
    /// (`GPUAdapterInfo`'s vendor and architecture: SwiftShader leaves its description empty).
    pub fn name_from_page(&mut self, name: &str) {
        if self.gpu.adapter.name == crate::gpu::UNNAMED && !name.trim().is_empty() {
            self.gpu.adapter.name = name.trim().to_string();
        }
    }

    /// Whether the adapter is a software fallback (a CPU pretending to be a GPU).
    pub fn fallback(&self) -> bool {
        self.gpu.adapter.fallback
    }

    /// Ends the device on purpose: a test hook for "the device was lost mid-run".
    pub fn destroy(&self) {
        self.gpu.destroy();
    }
}

#[wasm_bindgen]
extern "C" {
    /// The page's panic report (`window.genplay.reportPanic`); absent in a bare module.
    #[wasm_bindgen(catch, js_namespace = genplay, js_name = reportPanic)]
    fn report_panic(message: &str) -> Result<(), JsValue>;
}

/// Runs once when the module starts: panics are reported to the page before the module traps.
#[wasm_bindgen(start)]
pub fn start() {
    std::panic::set_hook(Box::new(|info| {
        // Nothing is left to do if the page cannot be told: the trap still reaches the caller.
        let _ = report_panic(&info.to_string());
    }));
}

/// A fresh seed from the browser's entropy, for "new random run" buttons. Runs stay reproducible
/// because the seed is shown and written into the URL.
#[wasm_bindgen(js_name = randomSeed)]
pub fn random_seed() -> Result<u32, JsError> {
    let mut bytes = [0u8; 4];
    getrandom::fill(&mut bytes).map_err(js_error)?;
    Ok(u32::from_le_bytes(bytes))
}
