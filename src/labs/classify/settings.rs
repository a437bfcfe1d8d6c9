//! The Classify lab's settings as one plain struct, and how a value of the data settings
//! (`preset`, `points`, `classes`, `prior`) is written into it: the rules that tie them together
//! (a preset sets its classes; points grow the classes; a number prior needs two classes) live
//! here, so every way in (the API, a control, a link) obeys them.

use super::{CUSTOM, PRESET_POINTS};
use crate::choice::Choice;
use crate::classify::presets::ClassPreset;
use crate::classify::{Family, LabeledData, MAX_CLASSES};
use crate::labs::Value;
use crate::range::{number_text, Range};
use std::rc::Rc;

/// What a click on the main plot does (hovering always moves the inspector).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClickMode {
    Add,
    Inspect,
}

impl Choice for ClickMode {
    const ALL: &'static [Self] = &[ClickMode::Add, ClickMode::Inspect];

    fn api_name(self) -> &'static str {
        match self {
            ClickMode::Add => "add",
            ClickMode::Inspect => "inspect",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ClickMode::Add => "adds a point",
            ClickMode::Inspect => "pins the Bayes'-rule inspector",
        }
    }
}

/// The layers of the main plot.
#[derive(Clone, Debug, PartialEq)]
pub struct Layers {
    pub show_heatmap: bool,
    pub show_boundary: bool,
    pub show_ellipses: bool,
    pub show_points: bool,
    pub show_lines: bool,
    pub show_unusual: bool,
}

impl Default for Layers {
    fn default() -> Self {
        Self {
            show_heatmap: true,
            show_boundary: true,
            show_ellipses: true,
            show_points: true,
            show_lines: false,
            show_unusual: true,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct ClassifySettings {
    /// The preset the points are drawn from; None when they are the user's own (`custom`).
    pub preset: Option<ClassPreset>,
    /// The user's own points as x, y, class rows (empty while a preset is chosen).
    pub custom: Rc<[f64]>,
    pub classes: usize,
    /// The family as chosen; its mixture components come from `components`.
    pub family: Family,
    pub components: usize,
    /// P(class 1) for two classes; None: from the counts.
    pub prior: Option<f64>,
    pub smoothing: bool,
    pub seed: u64,
    pub click_class: usize,
    pub click_mode: ClickMode,
    pub speed: f64,
    pub playing: bool,
    pub layers: Layers,
}

impl Default for ClassifySettings {
    fn default() -> Self {
        Self {
            preset: Some(ClassPreset::TwoGaussians),
            custom: Rc::new([]),
            classes: ClassPreset::TwoGaussians.n_classes(),
            family: Family::Qda,
            components: 2,
            prior: None,
            smoothing: false,
            seed: 7,
            click_class: 0,
            click_mode: ClickMode::Add,
            speed: 20.0,
            playing: false,
            layers: Layers::default(),
        }
    }
}

impl ClassifySettings {
    /// The family fitted: the chosen one, with `components` components when it is the mixture.
    pub fn family(&self) -> Family {
        match self.family {
            Family::Mixture { .. } => Family::Mixture {
                components: self.components,
            },
            family => family,
        }
    }

    /// The points as x, y, class rows: the preset's, drawn with the seed, or the user's own.
    fn rows(&self) -> Rc<[f64]> {
        match self.preset {
            Some(preset) => rows_of(&preset.generate(PRESET_POINTS, self.seed)).into(),
            None => self.custom.clone(),
        }
    }

    pub(super) fn data(&self) -> Result<LabeledData, String> {
        match self.preset {
            Some(preset) => Ok(preset.generate(PRESET_POINTS, self.seed)),
            None => {
                let rows = self.custom.chunks_exact(3);
                let points = rows.clone().map(|r| [r[0], r[1]]).collect();
                let labels = rows.map(|r| r[2] as usize).collect();
                LabeledData::new(points, labels, self.classes).map_err(|e| e.to_string())
            }
        }
    }

    /// Makes `rows` the user's own data with `classes` classes; a number prior, which means
    /// P(class 1) of two classes, goes back to the counts when there are not two.
    fn use_own_points(&mut self, rows: Rc<[f64]>, classes: usize) {
        self.preset = None;
        self.custom = rows;
        self.classes = classes;
        if self.classes != 2 {
            self.prior = None;
        }
    }
}

/// x, y, class for each point, flat.
pub(super) fn rows_of(data: &LabeledData) -> Vec<f64> {
    data.points()
        .iter()
        .zip(data.labels())
        .flat_map(|(p, &l)| [p[0], p[1], l as f64])
        .collect()
}

/// One more than the largest class among the rows (0 for no rows).
pub(super) fn classes_used(rows: &[f64]) -> usize {
    rows.chunks_exact(3)
        .map(|r| r[2] as usize + 1)
        .max()
        .unwrap_or(0)
}

pub(super) fn put_preset(s: &mut ClassifySettings, value: &Value) -> Result<(), String> {
    match value.as_text() {
        // The points on screen become the user's own: the seed no longer redraws them.
        Some(CUSTOM) => {
            if s.preset.is_some() {
                let classes = s.classes;
                s.use_own_points(s.rows(), classes);
            }
        }
        name => {
            let preset = name
                .and_then(ClassPreset::from_api_name)
                .expect("the schema checked the preset");
            s.preset = Some(preset);
            s.custom = Rc::new([]);
            s.classes = preset.n_classes();
            if s.classes != 2 {
                s.prior = None;
            }
        }
    }
    Ok(())
}

/// The points replace the data; the number of classes grows to hold the largest class given.
pub(super) fn put_points(s: &mut ClassifySettings, value: &Value) -> Result<(), String> {
    let rows = value.as_rows().cloned().unwrap_or_else(|| Rc::new([]));
    let classes = classes_used(&rows).max(s.classes);
    s.use_own_points(rows, classes);
    Ok(())
}

/// The number of classes; refused when a point has a class outside the new range.
pub(super) fn put_classes(s: &mut ClassifySettings, value: &Value) -> Result<(), String> {
    let classes = value.as_number().unwrap_or(0.0) as usize;
    let rows = s.rows();
    let used = classes_used(&rows);
    if used > classes {
        return Err(format!(
            "classes = {classes} is not allowed: the points include class {}, so classes must be {}",
            used - 1,
            Range::whole(used as u64, MAX_CLASSES as u64).describe()
        ));
    }
    s.use_own_points(rows, classes);
    Ok(())
}

pub(super) fn get_prior(s: &ClassifySettings) -> Value {
    match s.prior {
        Some(p) => Value::Number(p),
        None => Value::text("counts"),
    }
}

/// A number sets P(class 1), which means something for two classes only.
pub(super) fn put_prior(s: &mut ClassifySettings, value: &Value) -> Result<(), String> {
    match value.as_number() {
        None => s.prior = None,
        Some(p) if s.classes == 2 => s.prior = Some(p),
        Some(p) => {
            return Err(format!(
                "prior = {} is not allowed with {} classes: a number sets P(class 1) for two \
                 classes only; use \"counts\"",
                number_text(p),
                s.classes
            ))
        }
    }
    Ok(())
}
