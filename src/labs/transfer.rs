//! A trained model as a file a student keeps, and back: the format tag and version, the lab,
//! its settings (as a link writes them, with every point), how far it trained, the model's
//! numbers as readable arrays (a mixture's parameters, a network's weights, biases and optimizer
//! moments), and, for labs that train networks, the exact training state (`src/state.rs`, as
//! base64) that lets training continue bit for bit.
//!
//! Importing builds the run afresh from the file's settings and brings it to the file's progress
//! (from the state, or by replaying it: EM's half-steps are deterministic), then recomputes the
//! readable arrays and compares them with the file's. A file of another format, version or lab,
//! or whose numbers do not match its settings and state (a tampered file), is refused with a
//! message, and the lab is left as it was.

use super::link::{self, Linked};
use super::value::Value;
use crate::nn::{Mlp, Optimizer};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// What the file says it is, and the only version this genplay reads.
pub const FORMAT: &str = "genplay-model";
pub const VERSION: f64 = 1.0;

/// A model file's contents (written by `Lab::export_model`, read by `Lab::import_model`).
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFile {
    pub format: String,
    pub version: f64,
    pub lab: String,
    /// The settings as `(name, text)` pairs, as a link writes them but with every point.
    pub settings: Vec<(String, String)>,
    /// How far the run went, in the unit of the lab's link progress (`progress_name`).
    pub progress: f64,
    pub progress_name: String,
    /// The model's numbers, by name.
    pub model: Vec<(String, Value)>,
    /// The exact training state as base64, for labs that train networks.
    pub state: Option<String>,
}

impl Serialize for ModelFile {
    /// `{format, version, lab, settings: {name: text}, <progress_name>: n, progress, model:
    /// {name: numbers}, state}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("format", &self.format)?;
        map.serialize_entry("version", &self.version)?;
        map.serialize_entry("lab", &self.lab)?;
        map.serialize_entry("settings", &Pairs(&self.settings))?;
        map.serialize_entry("progress", &self.progress_name)?;
        map.serialize_entry(&self.progress_name, &self.progress)?;
        map.serialize_entry("model", &Pairs(&self.model))?;
        map.serialize_entry("state", &self.state)?;
        map.end()
    }
}

/// Name-value pairs as one object.
struct Pairs<'a, T>(&'a [(String, T)]);

impl<T: Serialize> Serialize for Pairs<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

/// What model files need of a lab besides its links (implemented by `Lab<M>`).
pub(crate) trait Transfer: Linked {
    /// The model's readable arrays (`Model::model_arrays`).
    fn arrays(&self) -> Vec<(String, Value)>;
    fn state(&self) -> Result<Vec<u8>, String>;
    fn restore_state(&mut self, bytes: &[u8]) -> Result<(), String>;
    fn advance_by(&mut self, count: u64) -> Result<(), String>;
    /// A lab of the same kind with its defaults (and the same access to the GPU).
    fn fresh(&self) -> Result<Box<dyn Transfer>, String>;
    /// Takes the settings and the model of `other`, a lab that [`Transfer::fresh`] made.
    fn adopt(&mut self, other: Box<dyn Transfer>);
    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any>;
}

/// The lab's trained model as a file's contents.
pub(crate) fn export(lab: &dyn Transfer) -> Result<ModelFile, String> {
    let schema = lab.schema();
    let model = lab.arrays();
    if model.is_empty() {
        return Err(format!(
            "the {} lab has no trained model to export",
            schema.lab
        ));
    }
    let progress = &schema.progress;
    // A lab whose link replays over frames trains networks: its run is its state (a link cannot
    // replay live changes of a learning rate), so the state travels. Other labs replay.
    let state = if progress.over_frames {
        Some(base64(&lab.state()?))
    } else {
        None
    };
    Ok(ModelFile {
        format: FORMAT.into(),
        version: VERSION,
        lab: schema.lab.into(),
        settings: link::write(lab, true)
            .into_iter()
            .filter(|(name, _)| *name != progress.name)
            .map(|(name, text)| (name.to_string(), text))
            .collect(),
        progress: lab.progress() as f64,
        progress_name: progress.name.into(),
        model,
        state,
    })
}

/// Restores a model file into `lab`: a run is built afresh from the file's settings and brought
/// to its progress, and taken only when its numbers are the file's; otherwise the file is
/// refused with why, and `lab` is left as it was.
pub(crate) fn import(lab: &mut dyn Transfer, file: &ModelFile) -> Result<(), String> {
    check_header(file, lab.schema().lab)?;
    let mut next = lab.fresh()?;
    let progress_name = next.schema().progress.name;
    let over_frames = next.schema().progress.over_frames;
    let settings: Vec<(String, String)> = file
        .settings
        .iter()
        .filter(|(name, _)| name != progress_name)
        .cloned()
        .collect();
    let refused = link::read(next.as_mut(), &settings).refused;
    if !refused.is_empty() {
        return Err(format!(
            "the model's settings were refused: {}",
            refused.join("; ")
        ));
    }
    let progress = file.progress as u64;
    match &file.state {
        Some(text) => next.restore_state(&from_base64(text)?)?,
        None if over_frames => {
            return Err("the model file has no training state (\"state\")".into())
        }
        None => next.advance_by(progress)?,
    }
    if next.progress() != progress {
        return Err(format!(
            "the file says {progress_name} = {progress} but its state holds {}: the file was changed after it was exported",
            next.progress()
        ));
    }
    if let Some(part) = first_difference(&file.model, &next.arrays()) {
        return Err(format!(
            "the model's numbers do not match its settings and state ({part}): the file was changed after it was exported"
        ));
    }
    lab.adopt(next);
    Ok(())
}

/// Refuses a file that is not a model of `lab` in this format and version.
pub fn check_header(file: &ModelFile, lab: &str) -> Result<(), String> {
    if file.format != FORMAT {
        return Err(format!(
            "this is not a genplay model file: its format is \"{}\", a model file's is \"{FORMAT}\"",
            file.format
        ));
    }
    if file.version != VERSION {
        return Err(format!(
            "this model file has format version {}: this genplay reads version {VERSION} only",
            file.version
        ));
    }
    if file.lab != lab {
        return Err(format!(
            "this is a model of the {} lab, not of the {lab} lab: open it in #/{}",
            file.lab, file.lab
        ));
    }
    if !(file.progress.is_finite() && file.progress >= 0.0 && file.progress.fract() == 0.0) {
        return Err(format!(
            "{} = {} is not allowed in a model file: it must be a whole number from 0",
            file.progress_name, file.progress
        ));
    }
    Ok(())
}

/// Where the file's numbers first depart from the run's ("generator_weights", "means is
/// missing"), or None when they are the same.
pub fn first_difference(file: &[(String, Value)], run: &[(String, Value)]) -> Option<String> {
    for (name, value) in run {
        match file.iter().find(|(n, _)| n == name) {
            None => return Some(format!("{name} is missing")),
            Some((_, v)) if v != value => return Some(name.clone()),
            Some(_) => {}
        }
    }
    file.iter()
        .find(|(n, _)| !run.iter().any(|(m, _)| m == n))
        .map(|(n, _)| format!("{n} is no part of this model"))
}

/// Numbers as a list value.
pub fn numbers(values: impl IntoIterator<Item = f64>) -> Value {
    Value::List(values.into_iter().map(Value::Number).collect())
}

fn f32s(values: &[f32]) -> Value {
    numbers(values.iter().map(|&v| v as f64))
}

/// A network's readable arrays, named `<name>_weights` (per layer, `inputs` rows of `outputs`
/// numbers: x·W + b), `<name>_biases` (per layer), and its optimizer's learning rate, update
/// count and moments (`<name>_optimizer_m`, `_v`: one per parameter, in the order of the layers'
/// weights then biases; zeros for plain SGD's second moment).
pub fn network(out: &mut Vec<(String, Value)>, name: &str, mlp: &Mlp, optimizer: &Optimizer) {
    let mut weights = Vec::new();
    let mut biases = Vec::new();
    let mut at = 0;
    for layer in mlp.layers() {
        let params = &mlp.params()[at..at + layer.param_count()];
        let (w, b) = params.split_at(layer.inputs * layer.outputs);
        weights.push(Value::List(w.chunks(layer.outputs).map(f32s).collect()));
        biases.push(f32s(b));
        at += layer.param_count();
    }
    let (m, v) = optimizer.state();
    out.push((format!("{name}_weights"), Value::List(weights)));
    out.push((format!("{name}_biases"), Value::List(biases)));
    out.push((
        format!("{name}_learning_rate"),
        Value::Number(optimizer.learning_rate() as f64),
    ));
    out.push((
        format!("{name}_optimizer_steps"),
        Value::Number(optimizer.steps() as f64),
    ));
    out.push((format!("{name}_optimizer_m"), f32s(m)));
    out.push((format!("{name}_optimizer_v"), f32s(v)));
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Bytes as base64 (RFC 4648, with padding).
pub fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Base64 back to bytes; anything else is refused.
pub fn from_base64(text: &str) -> Result<Vec<u8>, String> {
    let refused = || "the model's state is not base64: the file was changed".to_string();
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut bits = 0u32;
    let mut held = 0;
    for c in text.bytes() {
        let v = ALPHABET.iter().position(|&a| a == c).ok_or_else(refused)? as u32;
        bits = bits << 6 | v;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
            bits &= (1 << held) - 1;
        }
    }
    if held >= 6 {
        return Err(refused());
    }
    Ok(out)
}
