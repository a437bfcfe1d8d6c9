//! A lab: its checked settings, the model built from them, and everything done with both
//! through the schema (set, reset, step, links), the same way for every lab.
//!
//! A lab's own module says only what is its own: the entries of its settings (each a schema
//! [`Setting`] bound to a field), how to build its model, what applies live, how it steps and
//! what its snapshot holds. [`Lab`] does the rest: it checks a value against its entry, refuses
//! it with the entry's message and changes nothing, or applies it (rebuilding the model or
//! not), and it writes and reads links.

use super::backend::{BackendReport, GpuAccess};
use super::import::{self, Imported};
use super::schema::{
    Applies, ChoiceItem, InLink, Kind, LinkGroup, Progress, Schema, Setting, Stepping, RUN,
};
use super::transfer::{self, ModelFile};
use super::value::Value;
use crate::choice::Choice;
use crate::range::{number_text, Range};
use serde::Serialize;
use std::collections::BTreeMap;

/// Reads a setting's value out of a lab's settings.
pub type Get<S> = fn(&S) -> Value;
/// Writes a checked (canonical) value into a lab's settings; may still refuse it when it
/// conflicts with another setting.
pub type Put<S> = fn(&mut S, &Value) -> Result<(), String>;

/// How a setting is read and written.
pub type Binding<S> = (Get<S>, Put<S>);

/// A schema entry bound to the lab's settings.
pub struct Entry<S> {
    pub setting: Setting,
    pub get: Get<S>,
    pub put: Put<S>,
}

impl Setting {
    /// Binds this setting to `get` and `put` (usually written with [`field!`]).
    pub fn bind<S>(self, (get, put): Binding<S>) -> Entry<S> {
        Entry {
            setting: self,
            get,
            put,
        }
    }
}

/// A type a setting's value is held in, with its conversion from and to [`Value`]. `from_value`
/// only sees values the schema has checked.
pub trait SettingType: Sized {
    fn to_value(&self) -> Value;
    fn from_value(value: &Value) -> Self;
}

impl SettingType for f64 {
    fn to_value(&self) -> Value {
        Value::Number(*self)
    }
    fn from_value(value: &Value) -> Self {
        value.as_number().unwrap_or(f64::NAN)
    }
}

impl SettingType for f32 {
    /// The shortest decimal that reads back as this f32 ("0.001", not 0.0010000000474974513),
    /// so links and snapshots show the number the user typed.
    fn to_value(&self) -> Value {
        Value::Number(format!("{self}").parse().unwrap_or(f64::NAN))
    }
    fn from_value(value: &Value) -> Self {
        value.as_number().unwrap_or(f64::NAN) as f32
    }
}

macro_rules! whole_setting_types {
    ($($t:ty),*) => {$(
        impl SettingType for $t {
            fn to_value(&self) -> Value {
                Value::Number(*self as f64)
            }
            fn from_value(value: &Value) -> Self {
                value.as_number().unwrap_or(0.0) as $t
            }
        }
    )*};
}
whole_setting_types!(usize, u32, u64);

impl SettingType for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
    fn from_value(value: &Value) -> Self {
        value.as_bool().unwrap_or(false)
    }
}

impl<C: Choice> SettingType for C {
    fn to_value(&self) -> Value {
        Value::text(self.api_name())
    }
    fn from_value(value: &Value) -> Self {
        value
            .as_text()
            .and_then(C::from_api_name)
            .unwrap_or(C::ALL[0])
    }
}

/// Binds a setting to a field of the lab's settings: `field!(batch_size)` or
/// `field!(view.show_heatmap)`.
#[macro_export]
macro_rules! field {
    ($($path:ident).+) => {
        (
            |s: &_| $crate::labs::SettingType::to_value(&s.$($path).+),
            |s: &mut _, v: &$crate::labs::Value| {
                s.$($path).+ = $crate::labs::SettingType::from_value(v);
                Ok(())
            },
        )
    };
}

/// What a lab's module provides; [`Lab`] does everything else.
pub trait Model: Sized {
    /// Every setting, in one plain struct (checked values only).
    type Settings: Clone + Default;
    /// The lab's state as plain data.
    type Snapshot: Serialize;

    /// The lab's API name ("gan").
    const NAME: &'static str;

    /// One entry per setting, in the order a link is applied (a preset before what it sets).
    fn entries() -> Vec<Entry<Self::Settings>>;
    fn progress() -> Progress;
    fn stepping() -> Stepping;
    /// Settings written in a link as one list (none for most labs).
    fn link_groups() -> Vec<LinkGroup> {
        Vec::new()
    }
    /// Whether a link of a run with `settings` writes the setting `name` at all (for a setting
    /// that only means something beside another one, such as the Classify lab's `classes`
    /// beside its own `points`). Every setting is, unless a lab says otherwise.
    fn written_in_link(_settings: &Self::Settings, _name: &str) -> bool {
        true
    }

    /// The model for `settings`, or why there can be none (nothing is changed then).
    fn build(settings: &Self::Settings) -> Result<Self, String>;
    /// Applies a live change of the setting `name` (already in `settings`); on an error the
    /// model must be as it was.
    fn apply_live(&mut self, _settings: &Self::Settings, _name: &str) -> Result<(), String> {
        Ok(())
    }
    /// `step(n)` of the API; returns what the API returns.
    fn step(&mut self, settings: &Self::Settings, n: u64) -> Result<f64, String>;
    /// How far the run has gone, in the unit of [`Model::progress`].
    fn progress_count(&self) -> u64;
    /// Goes `count` units further (to replay a link).
    fn advance(&mut self, settings: &Self::Settings, count: u64) -> Result<(), String>;
    fn snapshot(&self, settings: &Self::Settings) -> Self::Snapshot;

    /// Moves onto the GPU or back to the CPU as `settings` and `gpu` say, keeping the run.
    /// `strict` (the `backend` setting itself was set): an explicit "gpu" without a usable GPU is
    /// refused, with the reason. Otherwise the lab stays on the CPU and its note says why. Labs
    /// without a GPU path keep this default.
    fn use_backend(
        &mut self,
        _settings: &Self::Settings,
        _gpu: &GpuAccess,
        _strict: bool,
    ) -> Result<(), String> {
        Ok(())
    }

    /// The backend the lab runs on, for labs with a GPU path.
    fn backend(&self) -> Option<BackendReport> {
        None
    }

    /// Starts `step(n)` on the GPU (only called while the GPU is active).
    fn gpu_begin(&mut self, _settings: &Self::Settings, _n: u64) -> Result<(), String> {
        Err(format!("the {} lab has no GPU path", Self::NAME))
    }

    /// Goes on with the step begun on the GPU: `Ok(None)` while it waits for
    /// [`Model::gpu_readback`], `Ok(Some(result))` (what `step` returns) once done. An error
    /// means the GPU failed: the lab then moves back to the CPU, keeping its run.
    fn gpu_continue(&mut self, _settings: &Self::Settings) -> Result<Option<f64>, String> {
        Ok(Some(0.0))
    }

    /// The result the GPU step waits for, if it waits for one.
    fn gpu_readback(&self) -> Option<&crate::gpu::Readback> {
        None
    }

    /// The run's whole training state as bytes (src/state.rs), for a copy trained elsewhere.
    fn export_state(&self) -> Result<Vec<u8>, String> {
        Err(format!(
            "the {} lab has no training state to export",
            Self::NAME
        ))
    }

    /// Continues from a state that [`Model::export_state`] wrote of a run with the same
    /// settings; a state that does not fit is refused and nothing changes.
    fn import_state(&mut self, _settings: &Self::Settings, _bytes: &[u8]) -> Result<(), String> {
        Err(format!(
            "the {} lab has no training state to import",
            Self::NAME
        ))
    }

    /// The trained model's numbers as readable arrays, by name (a model file's `model`; see
    /// src/labs/transfer.rs). Empty for a lab without a model to keep; a lab that has one
    /// lists every number its next step depends on, so that a changed file is noticed.
    fn model_arrays(&self, _settings: &Self::Settings) -> Vec<(String, Value)> {
        Vec::new()
    }
}

/// A snapshot: the lab's own fields, then the run bar's settings (`speed`, `playing`) and, for
/// labs with plot layers, `layers` (`{show_heatmap: true, ...}`).
#[derive(Serialize)]
pub struct Snapshot<T> {
    #[serde(flatten)]
    pub lab: T,
    /// `backend`, `backend_note`, `gpu_adapter` and `step_ms`, for labs with a GPU path.
    #[serde(flatten)]
    pub backend: Option<BackendReport>,
    #[serde(flatten)]
    pub run: BTreeMap<&'static str, Value>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub layers: BTreeMap<&'static str, Value>,
}

/// What opening a link did.
#[derive(Debug, Default, PartialEq, Serialize)]
pub struct LinkOutcome {
    /// One message per refused value (the rest of the link still applied).
    pub refused: Vec<String>,
    /// Units of progress still to replay over the next frames.
    pub replay: u64,
}

/// A lab: checked settings and the model built from them.
pub struct Lab<M: Model> {
    schema: Schema,
    bindings: Vec<Binding<M::Settings>>,
    settings: M::Settings,
    model: M,
    gpu: GpuAccess,
    /// Milliseconds per step of the active backend, as the page last timed it.
    step_ms: Option<f64>,
}

impl<M: Model> Lab<M> {
    /// The lab with its default settings and `seed`.
    pub fn new(seed: u64) -> Result<Self, String> {
        let defaults = M::Settings::default();
        let (settings_list, bindings): (Vec<Setting>, Vec<_>) = M::entries()
            .into_iter()
            .map(|e| {
                let setting = Setting {
                    default: (e.get)(&defaults),
                    ..e.setting
                };
                (setting, (e.get, e.put))
            })
            .unzip();
        let schema = Schema {
            lab: M::NAME,
            settings: settings_list,
            progress: M::progress(),
            step: M::stepping(),
            link_groups: M::link_groups(),
        };
        let mut settings = defaults;
        let seed_index = schema
            .settings
            .iter()
            .position(|s| s.name == "seed")
            .ok_or_else(|| format!("the {} lab has no seed", M::NAME))?;
        let seed = schema.settings[seed_index].check(&Value::Number(seed as f64))?;
        (bindings[seed_index].1)(&mut settings, &seed)?;
        let mut model = M::build(&settings)?;
        let gpu = GpuAccess::Unknown;
        model.use_backend(&settings, &gpu, false)?;
        Ok(Self {
            schema,
            bindings,
            settings,
            model,
            gpu,
            step_ms: None,
        })
    }

    pub fn schema(&self) -> &Schema {
        &self.schema
    }

    pub fn settings(&self) -> &M::Settings {
        &self.settings
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }

    /// The settings, for a lab's own action on state that no schema entry describes and that
    /// must outlive a rebuild (the point an inspector shows, say). A setting itself is changed
    /// through [`Lab::set`], which checks it.
    pub fn settings_mut(&mut self) -> &mut M::Settings {
        &mut self.settings
    }

    /// Replaces settings and model at once (for a lab's own actions, such as adding a point);
    /// the new model runs on the backend the settings ask for, as far as it can.
    pub fn replace(&mut self, settings: M::Settings, mut model: M) {
        // Not strict, so it cannot fail: without a usable GPU the model stays on the CPU.
        let _ = model.use_backend(&settings, &self.gpu, false);
        self.settings = settings;
        self.model = model;
    }

    /// Tells the lab what it can have of the GPU (the page asks once it starts, and again when a
    /// device is lost); the model moves onto it or off it as its settings say.
    pub fn attach_gpu(&mut self, gpu: GpuAccess) {
        self.gpu = gpu;
        self.step_ms = None;
        // Not strict: an explicit "gpu" without one stays on the CPU, with the reason noted.
        let _ = self.model.use_backend(&self.settings, &self.gpu, false);
    }

    /// Starts `step(n)` on the GPU when the GPU is active (returns false otherwise: call
    /// [`Lab::step`] then). Drive it with [`Lab::gpu_continue`].
    pub fn gpu_begin(&mut self, n: f64) -> Result<bool, String> {
        let on_gpu = self.model.backend().is_some_and(|b| b.backend == "gpu");
        if !on_gpu {
            return Ok(false);
        }
        let n = self.checked_steps(n)?;
        self.model.gpu_begin(&self.settings, n)?;
        Ok(true)
    }

    /// Goes on with a step on the GPU: `None` while it waits for [`Lab::gpu_readback`],
    /// `Some(result)` once done. A failure of the GPU moves the lab back to the CPU (its run
    /// kept, the note saying why) and ends the step.
    pub fn gpu_continue(&mut self) -> Option<f64> {
        match self.model.gpu_continue(&self.settings) {
            Ok(done) => done,
            Err(why) => {
                self.attach_gpu(GpuAccess::Unavailable(why));
                Some(self.model.progress_count() as f64)
            }
        }
    }

    /// The backend the lab runs on, with the time per step last measured on it (None for a lab
    /// without a GPU path).
    pub fn backend(&self) -> Option<BackendReport> {
        self.model.backend().map(|report| BackendReport {
            step_ms: self.step_ms,
            ..report
        })
    }

    /// Records how long a step took on the active backend (the page times its steps: a
    /// browser's clock is not Rust's). A change of backend forgets it.
    pub fn record_step_ms(&mut self, ms: f64) {
        if ms.is_finite() && ms >= 0.0 {
            self.step_ms = Some(ms);
        }
    }

    /// What the step on the GPU waits for, if anything.
    pub fn gpu_readback(&self) -> Option<&crate::gpu::Readback> {
        self.model.gpu_readback()
    }

    /// `step(n)` on whichever backend is active, waiting for the GPU (native only).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn step_blocking(&mut self, n: f64) -> Result<f64, String> {
        if !self.gpu_begin(n)? {
            return self.step(n);
        }
        loop {
            if let Some(done) = self.gpu_continue() {
                return Ok(done);
            }
            if let Some(gpu) = self.gpu.gpu() {
                // Waiting makes the pending read-back ready; a lost device shows in the next step.
                let _ = gpu.device.poll(wgpu::PollType::wait_indefinitely());
            }
        }
    }

    fn index(&self, name: &str) -> Result<usize, String> {
        self.schema
            .settings
            .iter()
            .position(|s| s.name == name)
            .ok_or_else(|| {
                let list: Vec<String> = self
                    .schema
                    .settings
                    .iter()
                    .map(|s| format!("{} ({})", s.name, s.allowed()))
                    .collect();
                format!(
                    "{} has no parameter \"{name}\". Parameters: {}",
                    M::NAME,
                    list.join("; ")
                )
            })
    }

    /// The current value of setting `name`.
    pub fn value(&self, name: &str) -> Result<Value, String> {
        let i = self.index(name)?;
        Ok((self.bindings[i].0)(&self.settings))
    }

    /// Every setting's current value except points (which can be large; `value` gives them).
    pub fn values(&self) -> BTreeMap<&'static str, Value> {
        self.schema
            .settings
            .iter()
            .zip(&self.bindings)
            .filter(|(s, _)| !matches!(s.kind, Kind::Points { .. }))
            .map(|(s, (get, _))| (s.name, get(&self.settings)))
            .collect()
    }

    /// Sets `name` to `value`: refused (with a message naming the setting and what is allowed,
    /// and nothing changed) or applied, rebuilding the model or live. Returns which.
    pub fn set(&mut self, name: &str, value: &Value) -> Result<Applies, String> {
        let i = self.index(name)?;
        let setting = &self.schema.settings[i];
        let checked = setting.check(value)?;
        let named = |message: String| {
            if message.contains(name) {
                message
            } else {
                format!("{name} = {value} is not allowed: {message}")
            }
        };
        let mut next = self.settings.clone();
        (self.bindings[i].1)(&mut next, &checked).map_err(named)?;
        // Only setting the backend itself may be refused for want of a GPU; any other change
        // keeps the run on the CPU when the GPU it asked for is gone.
        let strict = name == "backend";
        if strict {
            self.step_ms = None;
        }
        match setting.applies {
            Applies::Rebuild => {
                let mut model = M::build(&next).map_err(named)?;
                model.use_backend(&next, &self.gpu, strict).map_err(named)?;
                self.model = model;
            }
            Applies::Live => {
                self.model.apply_live(&next, name).map_err(named)?;
                self.model
                    .use_backend(&next, &self.gpu, strict)
                    .map_err(named)?;
            }
        }
        self.settings = next;
        Ok(setting.applies)
    }

    /// Starts again from `seed` (what the Reset button does).
    pub fn reset(&mut self, seed: f64) -> Result<(), String> {
        self.set("seed", &Value::Number(seed)).map(|_| ())
    }

    /// `step(n)` of the API (on the CPU), with `n` checked against [`Model::stepping`].
    pub fn step(&mut self, n: f64) -> Result<f64, String> {
        let n = self.checked_steps(n)?;
        self.model.step(&self.settings, n)
    }

    fn checked_steps(&self, n: f64) -> Result<u64, String> {
        let stepping = &self.schema.step;
        if Range::whole(0, stepping.max).contains(n) {
            Ok(n as u64)
        } else {
            Err(format!(
                "n = {} is not allowed: n must be {} ({})",
                number_text(n),
                Range::whole(0, stepping.max).describe(),
                stepping.unit
            ))
        }
    }

    /// Goes `count` units of progress further (a link's replay, frame by frame).
    /// The run's training state as bytes (see [`Model::export_state`]).
    pub fn export_state(&self) -> Result<Vec<u8>, String> {
        self.model.export_state()
    }

    /// Continues from a training state (see [`Model::import_state`]).
    pub fn import_state(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.model.import_state(&self.settings, bytes)
    }

    pub fn advance(&mut self, count: u64) -> Result<(), String> {
        self.model.advance(&self.settings, count)
    }

    pub fn progress_count(&self) -> u64 {
        self.model.progress_count()
    }

    pub fn snapshot(&self) -> Snapshot<M::Snapshot> {
        let mut run = BTreeMap::new();
        let mut layers = BTreeMap::new();
        for (s, (get, _)) in self.schema.settings.iter().zip(&self.bindings) {
            if s.group == RUN && s.name != "seed" {
                run.insert(s.name, get(&self.settings));
            } else if s.group == super::schema::LAYERS {
                layers.insert(s.name, get(&self.settings));
            }
        }
        Snapshot {
            lab: self.model.snapshot(&self.settings),
            // With the time per step the page measured (the model's own report has none).
            backend: self.backend(),
            run,
            layers,
        }
    }

    /// What a link needs to reproduce this run, as (name, text) pairs in schema order, the
    /// progress last.
    pub fn link(&self) -> Vec<(&'static str, String)> {
        super::link::write(self, false)
    }

    /// Applies a link's parameters: each setting it holds that differs from the current value
    /// (in schema order), then its progress. A refused value is reported and the rest still
    /// applies; a name that is no setting of this lab is reported too.
    pub fn apply_link(&mut self, params: &[(String, String)]) -> LinkOutcome {
        super::link::read(self, params)
    }
}

impl<M: Model + 'static> Lab<M> {
    /// Takes a CSV file's points into the lab's points setting (see src/labs/import.rs): a file
    /// or points refused change nothing.
    pub fn import_csv(&mut self, text: &str) -> Result<Imported, String> {
        import::import_csv(self, text)
    }

    /// The trained model as a file's contents (see src/labs/transfer.rs).
    pub fn export_model(&self) -> Result<ModelFile, String> {
        transfer::export(self)
    }

    /// Restores a model file (see src/labs/transfer.rs); a file refused changes nothing.
    pub fn import_model(&mut self, file: &ModelFile) -> Result<(), String> {
        transfer::import(self, file)
    }
}

/// What model files need of a lab beyond links, kept to one-line calls so that the logic
/// (src/labs/transfer.rs) is compiled once, not once per lab into the page's WebAssembly.
impl<M: Model + 'static> transfer::Transfer for Lab<M> {
    fn arrays(&self) -> Vec<(String, Value)> {
        self.model.model_arrays(&self.settings)
    }

    fn state(&self) -> Result<Vec<u8>, String> {
        self.export_state()
    }

    fn restore_state(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.import_state(bytes)
    }

    fn advance_by(&mut self, count: u64) -> Result<(), String> {
        self.advance(count)
    }

    fn fresh(&self) -> Result<Box<dyn transfer::Transfer>, String> {
        let mut lab = Lab::<M>::new(1)?;
        lab.gpu = self.gpu.clone();
        Ok(Box::new(lab))
    }

    fn adopt(&mut self, other: Box<dyn transfer::Transfer>) {
        if let Ok(other) = other.into_any().downcast::<Lab<M>>() {
            let Lab {
                settings, model, ..
            } = *other;
            self.replace(settings, model);
            self.step_ms = None;
        }
    }

    fn into_any(self: Box<Self>) -> Box<dyn std::any::Any> {
        self
    }
}

impl<M: Model> super::link::Linked for Lab<M> {
    fn schema(&self) -> &Schema {
        &self.schema
    }

    fn read(&self, index: usize) -> Value {
        (self.bindings[index].0)(&self.settings)
    }

    fn read_after(&self, index: usize, value: &Value) -> Option<Value> {
        let (get, put) = self.bindings[index];
        let mut next = self.settings.clone();
        put(&mut next, value).ok().map(|_| get(&next))
    }

    fn written(&self, index: usize) -> bool {
        M::written_in_link(&self.settings, self.schema.settings[index].name)
    }

    fn set(&mut self, name: &str, value: &Value) -> Result<Applies, String> {
        Lab::set(self, name, value)
    }

    fn progress(&self) -> u64 {
        self.progress_count()
    }

    fn replay_to(&mut self, target: u64) -> Result<(), String> {
        if target < self.progress_count() {
            let mut model = M::build(&self.settings)?;
            // Not strict, so it cannot fail: without a usable GPU the model stays on the CPU.
            let _ = model.use_backend(&self.settings, &self.gpu, false);
            self.model = model;
        }
        if !self.schema.progress.over_frames {
            let due = target - self.progress_count();
            self.model.advance(&self.settings, due)?;
        }
        Ok(())
    }
}

/// The `seed` entry every lab has.
pub fn seed_setting(help: &'static str) -> Setting {
    Setting::number("seed", super::schema::SEED)
        .label("Seed")
        .help(help)
        .group(RUN)
        .rebuilds()
        .control(super::schema::Control::Custom)
}

/// The `speed` entry of a lab that plays: one of `choices`, in `unit`.
pub fn speed_setting(choices: Vec<ChoiceItem>, unit: &'static str) -> Setting {
    Setting::choices("speed", choices)
        .label("Speed")
        .unit(unit)
        .help("How fast Play runs.")
        .group(RUN)
        .in_link(InLink::WhenChanged)
        .control(super::schema::Control::Custom)
}

/// The `playing` entry of a lab that plays.
pub fn playing_setting() -> Setting {
    Setting::boolean("playing")
        .label("Playing")
        .help("Whether Play is on (what the Play/Pause button shows).")
        .group(RUN)
        .in_link(InLink::Never)
        .control(super::schema::Control::Custom)
}
