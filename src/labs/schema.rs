//! The settings schema: one entry per setting of a lab, describing everything about it that
//! anything else needs.
//!
//! From an entry come the check of a value and its refusal message (so no range text is typed
//! twice), the control the page draws for it (its label, help, range and step), how it is
//! written in a link and read back from one, whether a change rebuilds the model or applies
//! live, and its row in the README's tables.

use super::value::Value;
use crate::choice::Choice;
use crate::range::{number_text, Range};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// What a change does to the running model.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applies {
    /// The running model takes the new value and goes on (a learning rate, a view layer).
    Live,
    /// The model is built again from the settings and the seed (training starts over).
    Rebuild,
}

impl Applies {
    pub fn name(self) -> &'static str {
        match self {
            Applies::Live => "live",
            Applies::Rebuild => "rebuild",
        }
    }
}

/// Whether a link carries the setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InLink {
    /// Always: links stay correct even if a default changes later.
    Always,
    /// Only when it differs from the default (view settings), to keep links short.
    WhenChanged,
    /// Never (what is playing, a probe point, an edit such as "set this cell").
    Never,
}

impl InLink {
    fn name(self) -> &'static str {
        match self {
            InLink::Always => "always",
            InLink::WhenChanged => "when_changed",
            InLink::Never => "never",
        }
    }
}

/// The control the page draws for a setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    Slider,
    Select,
    /// One radio button per choice (for two or three short choices).
    Radio,
    Checkbox,
    /// Drawn by the lab itself (points are clicked or drawn, a cell is dragged), or by the run
    /// bar (speed, seed, playing).
    Custom,
}

impl Control {
    fn name(self) -> &'static str {
        match self {
            Control::Slider => "slider",
            Control::Select => "select",
            Control::Radio => "radio",
            Control::Checkbox => "checkbox",
            Control::Custom => "custom",
        }
    }
}

/// One value of a choice: what `set` takes, and what a menu shows.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceItem {
    pub value: Value,
    pub label: String,
}

impl ChoiceItem {
    pub fn new(value: impl Into<Value>, label: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            label: label.into(),
        }
    }
}

/// One number of a fixed-length list (a pair of probabilities, a table cell's address).
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    /// Its name, joined to the setting's in messages and controls (`p_y_given_x_tails`).
    pub name: &'static str,
    /// How the list's description writes it ("P(Y = H | X = T)", or just "x").
    pub symbol: &'static str,
    /// What it means, for its slider's label.
    pub label: &'static str,
    pub range: Range,
}

/// What values a setting takes.
#[derive(Clone, Debug, PartialEq)]
pub enum Kind {
    /// A number or a whole number (`range.whole`). `step` is the control's step; `ladder`, when
    /// given, is the list of values a slider steps through (for log-scaled settings such as a
    /// learning rate); `also` lists names that are allowed besides the numbers ("counts").
    Number {
        range: Range,
        step: f64,
        ladder: Option<&'static [f64]>,
        also: &'static [&'static str],
    },
    Choice(Vec<ChoiceItem>),
    Boolean,
    /// A list of rows of numbers: points `[x, y]`, or `[x, y, class]` with a class column.
    Points {
        columns: &'static [&'static str],
        /// The range every coordinate must lie in, if any.
        coordinates: Option<Range>,
        /// With a class column: classes run from 0 to `classes` − 1.
        classes: Option<usize>,
        max_rows: usize,
        /// Links carry data sets of at most this many rows (a link has to stay short).
        link_rows: usize,
    },
    /// A fixed-length list of numbers, each with its own name and range.
    Tuple(Vec<Item>),
    /// A list of finite numbers as long as the setting `length_from` says (a latent point), or
    /// null when `nullable`.
    Vector {
        length_from: &'static str,
        nullable: bool,
    },
}

/// Everything about one setting.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    /// The API name (`set(name, value)`), also its name in a link unless `link_name` differs.
    pub name: &'static str,
    pub kind: Kind,
    /// Filled in by the lab from its default settings.
    pub default: Value,
    pub unit: Option<&'static str>,
    pub applies: Applies,
    pub label: &'static str,
    pub help: &'static str,
    /// The heading the control sits under ("Data", "Training", ...; "run" for the run bar,
    /// "layers" for the check boxes of a plot's layers).
    pub group: &'static str,
    pub link: InLink,
    /// The setting's name in links (kept when older links used another name).
    pub link_name: &'static str,
    pub control: Control,
}

/// The group of the run bar's settings (speed, seed, playing).
pub const RUN: &str = "run";
/// The group of a plot's layer check boxes.
pub const LAYERS: &str = "layers";

impl Setting {
    fn new(name: &'static str, kind: Kind, control: Control) -> Self {
        Self {
            name,
            kind,
            default: Value::Null,
            unit: None,
            applies: Applies::Live,
            label: name,
            help: "",
            group: "",
            link: InLink::Always,
            link_name: name,
            control,
        }
    }

    /// A number in `range` (a whole number when the range is whole), drawn as a slider.
    pub fn number(name: &'static str, range: Range) -> Self {
        let step = if range.whole { 1.0 } else { 0.01 };
        Self::new(
            name,
            Kind::Number {
                range,
                step,
                ladder: None,
                also: &[],
            },
            Control::Slider,
        )
    }

    /// One of the values of a [`Choice`] enum, by their API names and labels.
    pub fn choice<C: Choice>(name: &'static str) -> Self {
        Self::choices(
            name,
            C::ALL
                .iter()
                .map(|c| ChoiceItem::new(c.api_name(), c.label()))
                .collect(),
        )
    }

    /// One of `items`.
    pub fn choices(name: &'static str, items: Vec<ChoiceItem>) -> Self {
        Self::new(name, Kind::Choice(items), Control::Select)
    }

    pub fn boolean(name: &'static str) -> Self {
        Self::new(name, Kind::Boolean, Control::Checkbox)
    }

    /// Rows of `columns` numbers, at most `max_rows`, in links up to `link_rows`.
    pub fn points(
        name: &'static str,
        columns: &'static [&'static str],
        max_rows: usize,
        link_rows: usize,
    ) -> Self {
        Self::new(
            name,
            Kind::Points {
                columns,
                coordinates: None,
                classes: None,
                max_rows,
                link_rows,
            },
            Control::Custom,
        )
    }

    pub fn tuple(name: &'static str, items: Vec<Item>) -> Self {
        Self::new(name, Kind::Tuple(items), Control::Custom)
    }

    pub fn vector(name: &'static str, length_from: &'static str) -> Self {
        Self::new(
            name,
            Kind::Vector {
                length_from,
                nullable: true,
            },
            Control::Custom,
        )
    }

    pub fn label(mut self, label: &'static str) -> Self {
        self.label = label;
        self
    }

    pub fn help(mut self, help: &'static str) -> Self {
        self.help = help;
        self
    }

    pub fn unit(mut self, unit: &'static str) -> Self {
        self.unit = Some(unit);
        self
    }

    pub fn group(mut self, group: &'static str) -> Self {
        self.group = group;
        self
    }

    /// A change builds the model again from the settings and the seed.
    pub fn rebuilds(mut self) -> Self {
        self.applies = Applies::Rebuild;
        self
    }

    pub fn in_link(mut self, link: InLink) -> Self {
        self.link = link;
        self
    }

    pub fn link_name(mut self, name: &'static str) -> Self {
        self.link_name = name;
        self
    }

    pub fn control(mut self, control: Control) -> Self {
        self.control = control;
        self
    }

    /// The control's step (numbers only).
    pub fn step(mut self, value: f64) -> Self {
        if let Kind::Number { step, .. } = &mut self.kind {
            *step = value;
        }
        self
    }

    /// The values a slider steps through (numbers only).
    pub fn ladder(mut self, values: &'static [f64]) -> Self {
        if let Kind::Number { ladder, .. } = &mut self.kind {
            *ladder = Some(values);
        }
        self
    }

    /// Names allowed besides the numbers (numbers only).
    pub fn or_names(mut self, names: &'static [&'static str]) -> Self {
        if let Kind::Number { also, .. } = &mut self.kind {
            *also = names;
        }
        self
    }

    /// The range every coordinate must lie in (points only).
    pub fn coordinates(mut self, range: Range) -> Self {
        if let Kind::Points { coordinates, .. } = &mut self.kind {
            *coordinates = Some(range);
        }
        self
    }

    /// A class column with classes 0 to `count` − 1 (points only).
    pub fn classes(mut self, count: usize) -> Self {
        if let Kind::Points { classes, .. } = &mut self.kind {
            *classes = Some(count);
        }
        self
    }

    /// The values allowed, written for a person (the one text every refusal, control hint and
    /// README row uses).
    pub fn allowed(&self) -> String {
        let text = match &self.kind {
            Kind::Number { range, also, .. } => {
                let names: Vec<String> = also.iter().map(|n| format!("{n:?}")).collect();
                if names.is_empty() {
                    range.describe()
                } else {
                    format!("{}, or {}", range.describe(), names.join(" or "))
                }
            }
            Kind::Choice(items) => {
                let mut values: Vec<&Value> = items.iter().map(|c| &c.value).collect();
                // Numbers read best in their own order, whatever order a menu shows them in.
                if values.iter().all(|v| v.as_number().is_some()) {
                    values.sort_by(|a, b| a.as_number().partial_cmp(&b.as_number()).unwrap());
                }
                let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
                format!("one of {}", values.join(", "))
            }
            Kind::Boolean => "true or false".to_string(),
            Kind::Points {
                columns,
                coordinates,
                classes,
                max_rows,
                ..
            } => {
                let mut text = format!("a list of [{}] rows", columns.join(", "));
                match coordinates {
                    Some(r) => text += &format!(" with coordinates {}", in_words(r)),
                    None => text += " of finite numbers",
                }
                if let Some(c) = classes {
                    text += &format!(", class a whole number from 0 to {}", c - 1);
                }
                text + &format!(", at most {max_rows} rows")
            }
            Kind::Tuple(items) => {
                let symbols: Vec<&str> = items.iter().map(|i| i.symbol).collect();
                let first = &items[0].range;
                if items.iter().all(|i| i.range == *first) {
                    format!("[{}]: each {}", symbols.join(", "), first.describe())
                } else {
                    let parts: Vec<String> = items
                        .iter()
                        .map(|i| format!("{} {}", i.symbol, i.range.describe()))
                        .collect();
                    format!("[{}]: {}", symbols.join(", "), parts.join(", "))
                }
            }
            Kind::Vector {
                length_from,
                nullable,
            } => format!(
                "{}a list of {length_from} finite numbers",
                if *nullable { "null, or " } else { "" }
            ),
        };
        match self.unit {
            Some(unit) => format!("{text} ({unit})"),
            None => text,
        }
    }

    /// The message for `value`, which this setting does not take; `why` is a short reason to
    /// add when the value is of the wrong kind altogether.
    pub fn refusal(&self, value: &Value, why: Option<&str>) -> String {
        let name = self.name;
        match why {
            Some(why) => format!(
                "{name} = {value} is not allowed ({why}): {name} must be {}",
                self.allowed()
            ),
            None => format!(
                "{name} = {value} is not allowed: {name} must be {}",
                self.allowed()
            ),
        }
    }

    /// Checks `value` and returns it in its canonical form, or the refusal.
    pub fn check(&self, value: &Value) -> Result<Value, String> {
        let wrong_kind = |expected: &str| {
            self.refusal(
                value,
                Some(&format!("{}, not {expected}", value.kind_text())),
            )
        };
        match &self.kind {
            Kind::Number { range, also, .. } => match value {
                Value::Number(x) if range.contains(*x) => Ok(value.clone()),
                Value::Number(x) if range.whole && x.is_finite() && x.fract() != 0.0 => {
                    Err(self.refusal(value, Some("not a whole number")))
                }
                Value::Number(_) => Err(self.refusal(value, None)),
                Value::Text(s) if also.contains(&s.as_str()) => Ok(value.clone()),
                Value::Text(_) if !also.is_empty() => Err(self.refusal(value, None)),
                _ => Err(wrong_kind("a number")),
            },
            Kind::Choice(items) => {
                if items.iter().any(|c| c.value == *value) {
                    Ok(value.clone())
                } else {
                    Err(self.refusal(value, None))
                }
            }
            Kind::Boolean => match value {
                Value::Bool(_) => Ok(value.clone()),
                _ => Err(wrong_kind("true or false")),
            },
            Kind::Points { .. } => self.check_points(value),
            Kind::Tuple(items) => {
                let numbers = value
                    .as_numbers()
                    .filter(|n| n.len() == items.len())
                    .ok_or_else(|| match items.len() {
                        2 => self.refusal(value, Some("not a pair of numbers")),
                        n => self.refusal(value, Some(&format!("not a list of {n} numbers"))),
                    })?;
                for (item, &x) in items.iter().zip(&numbers) {
                    if !item.range.contains(x) {
                        let part = format!("{}_{}", self.name, item.name);
                        return Err(format!(
                            "{part} = {} is not allowed: {part} must be {} ({} = {value})",
                            number_text(x),
                            item.range.describe(),
                            self.name
                        ));
                    }
                }
                Ok(Value::List(
                    numbers.into_iter().map(Value::Number).collect(),
                ))
            }
            Kind::Vector { nullable, .. } => match value {
                Value::Null if *nullable => Ok(Value::Null),
                _ => match value.as_numbers() {
                    Some(n) if n.iter().all(|x| x.is_finite()) => {
                        Ok(Value::List(n.into_iter().map(Value::Number).collect()))
                    }
                    _ => Err(self.refusal(value, None)),
                },
            },
        }
    }

    /// Points arrive as a list of rows (or already as rows); each row is checked, and named
    /// (counting from 0) when it is refused.
    fn check_points(&self, value: &Value) -> Result<Value, String> {
        let Kind::Points {
            columns,
            coordinates,
            classes,
            max_rows,
            ..
        } = &self.kind
        else {
            unreachable!("check_points is called for points only")
        };
        let width = columns.len();
        let mut flat = Vec::new();
        match value {
            Value::Rows { columns: c, data } if *c == width => flat.extend_from_slice(data),
            Value::List(rows) => {
                flat.reserve(rows.len() * width);
                for (i, row) in rows.iter().enumerate() {
                    match row.as_numbers() {
                        Some(numbers) if numbers.len() == width => flat.extend(numbers),
                        _ => {
                            return Err(format!(
                                "{} row {i} ({row}) is not allowed: every row must be [{}], {} numbers (rows count from 0)",
                                self.name,
                                columns.join(", "),
                                width
                            ))
                        }
                    }
                }
            }
            _ => {
                return Err(self.refusal(
                    value,
                    Some(&format!("{}, not a list of rows", value.kind_text())),
                ))
            }
        }
        let rows = flat.len() / width;
        if rows > *max_rows {
            return Err(format!(
                "{} has {rows} rows, which is too many: give at most {max_rows}",
                self.name
            ));
        }
        for (i, row) in flat.chunks_exact(width).enumerate() {
            let (coords, class) = match classes {
                Some(_) => row.split_at(width - 1),
                None => (row, &[][..]),
            };
            if let Some(&bad) = coords.iter().find(|x| !x.is_finite()) {
                return Err(format!(
                    "{} row {i} has a non-finite coordinate ({}): every coordinate must be a finite number (rows count from 0)",
                    self.name,
                    number_text(bad)
                ));
            }
            if let Some(range) = coordinates {
                if let Some(&bad) = coords.iter().find(|&&x| !range.contains(x)) {
                    return Err(format!(
                        "{} row {i} has a coordinate {} outside the plane: every coordinate must be {} (rows count from 0)",
                        self.name,
                        number_text(bad),
                        range.describe()
                    ));
                }
            }
            if let (Some(count), [c]) = (classes, class) {
                if !Range::whole(0, *count as u64 - 1).contains(*c) {
                    return Err(format!(
                        "{} row {i} has class {}: the class must be a whole number from 0 to {} (rows count from 0)",
                        self.name,
                        number_text(*c),
                        count - 1
                    ));
                }
            }
        }
        Ok(Value::rows(width, flat))
    }

    /// How the value is written in a link; `None` when it is not written (null, or, unless
    /// `every_row`, too many rows for a link).
    pub fn link_text(&self, value: &Value, every_row: bool) -> Option<String> {
        let numbers = |xs: &[f64]| {
            xs.iter()
                .map(|&x| number_text(x))
                .collect::<Vec<_>>()
                .join(",")
        };
        match (value, &self.kind) {
            (Value::Null, _) => None,
            (Value::Rows { columns, data }, Kind::Points { link_rows, .. }) => {
                (every_row || data.len() / columns <= *link_rows).then(|| {
                    data.chunks(*columns)
                        .map(numbers)
                        .collect::<Vec<_>>()
                        .join(";")
                })
            }
            (Value::Number(x), _) => Some(number_text(*x)),
            (Value::Bool(b), _) => Some(b.to_string()),
            (Value::Text(s), _) => Some(s.clone()),
            (Value::List(_), _) => value.as_numbers().map(|xs| numbers(&xs)),
            _ => None,
        }
    }

    /// Reads a value written by [`Setting::link_text`] (or by an older link); the value is
    /// still to be checked.
    pub fn parse_link_text(&self, text: &str) -> Value {
        let number = |t: &str| match t.trim().parse::<f64>() {
            Ok(x) => Value::Number(x),
            Err(_) => Value::text(t),
        };
        let list = |t: &str| Value::List(t.split(',').map(number).collect());
        match &self.kind {
            Kind::Number { .. } | Kind::Choice(_) => number(text),
            Kind::Boolean => match text {
                "true" | "1" => Value::Bool(true),
                "false" | "0" => Value::Bool(false),
                _ => Value::text(text),
            },
            Kind::Points { .. } => Value::List(
                text.split(';')
                    .filter(|r| !r.is_empty())
                    .map(list)
                    .collect(),
            ),
            Kind::Tuple(_) | Kind::Vector { .. } => list(text),
        }
    }
}

/// "from −1.5 to 1.5" out of "a number from −1.5 to 1.5".
fn in_words(range: &Range) -> String {
    range
        .describe()
        .trim_start_matches("a whole number ")
        .trim_start_matches("a number ")
        .to_string()
}

impl Serialize for Setting {
    /// As plain data for the page: `{name, kind, min, max, step, ..., default, unit, applies,
    /// label, help, group, link, control, allowed}`.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("name", self.name)?;
        match &self.kind {
            Kind::Number {
                range,
                step,
                ladder,
                also,
            } => {
                map.serialize_entry("kind", if range.whole { "integer" } else { "number" })?;
                map.serialize_entry("min", &range.min)?;
                map.serialize_entry("max", &range.max)?;
                if range.min_exclusive {
                    map.serialize_entry("min_exclusive", &true)?;
                }
                if range.max_exclusive {
                    map.serialize_entry("max_exclusive", &true)?;
                }
                map.serialize_entry("step", step)?;
                if let Some(ladder) = ladder {
                    map.serialize_entry("ladder", ladder)?;
                }
                if !also.is_empty() {
                    map.serialize_entry("also", also)?;
                }
            }
            Kind::Choice(items) => {
                map.serialize_entry("kind", "choice")?;
                let choices: Vec<ChoiceJson> = items
                    .iter()
                    .map(|c| ChoiceJson {
                        value: &c.value,
                        label: &c.label,
                    })
                    .collect();
                map.serialize_entry("choices", &choices)?;
            }
            Kind::Boolean => map.serialize_entry("kind", "boolean")?,
            Kind::Points {
                columns,
                coordinates,
                classes,
                max_rows,
                link_rows,
            } => {
                map.serialize_entry("kind", "points")?;
                map.serialize_entry("columns", columns)?;
                if let Some(r) = coordinates {
                    map.serialize_entry("coordinate_min", &r.min)?;
                    map.serialize_entry("coordinate_max", &r.max)?;
                }
                if let Some(c) = classes {
                    map.serialize_entry("classes", c)?;
                }
                map.serialize_entry("max_rows", max_rows)?;
                map.serialize_entry("link_rows", link_rows)?;
            }
            Kind::Tuple(items) => {
                map.serialize_entry("kind", "tuple")?;
                let items: Vec<ItemJson> = items
                    .iter()
                    .map(|i| ItemJson {
                        name: i.name,
                        symbol: i.symbol,
                        label: i.label,
                        min: i.range.min,
                        max: i.range.max,
                    })
                    .collect();
                map.serialize_entry("items", &items)?;
            }
            Kind::Vector {
                length_from,
                nullable,
            } => {
                map.serialize_entry("kind", "vector")?;
                map.serialize_entry("length_from", length_from)?;
                map.serialize_entry("nullable", nullable)?;
            }
        }
        map.serialize_entry("default", &self.default)?;
        if let Some(unit) = self.unit {
            map.serialize_entry("unit", unit)?;
        }
        map.serialize_entry("applies", self.applies.name())?;
        map.serialize_entry("label", self.label)?;
        map.serialize_entry("help", self.help)?;
        map.serialize_entry("group", self.group)?;
        map.serialize_entry("link", self.link.name())?;
        if self.link_name != self.name {
            map.serialize_entry("link_name", self.link_name)?;
        }
        map.serialize_entry("control", self.control.name())?;
        map.serialize_entry("allowed", &self.allowed())?;
        map.end()
    }
}

#[derive(serde::Serialize)]
struct ChoiceJson<'a> {
    value: &'a Value,
    label: &'a str,
}

#[derive(serde::Serialize)]
struct ItemJson {
    name: &'static str,
    symbol: &'static str,
    label: &'static str,
    min: f64,
    max: f64,
}

/// Several boolean settings written in a link as one list of those that are on
/// (`show=heatmap,points`), as older links of the Classify lab do.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct LinkGroup {
    /// The name in the link.
    pub name: &'static str,
    /// The settings, by API name.
    pub members: Vec<&'static str>,
    /// Taken off each member's name in the link (`show_heatmap` is written `heatmap`).
    pub strip: &'static str,
}

/// How far a run has gone, as a link records it (`iterations=500`), and how it is replayed.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Progress {
    pub name: &'static str,
    pub max: u64,
    /// True when opening a link replays it over the next frames (training), false when it is
    /// replayed at once (sampling is fast).
    pub over_frames: bool,
    pub unit: &'static str,
}

/// What `step(n)` takes.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Stepping {
    pub default: u64,
    pub max: u64,
    /// What one unit of `n` is ("batches of flips", "half-steps", ...).
    pub unit: &'static str,
}

/// A lab's whole schema, as the page, the README and the tests read it.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Schema {
    pub lab: &'static str,
    pub settings: Vec<Setting>,
    pub progress: Progress,
    pub step: Stepping,
    pub link_groups: Vec<LinkGroup>,
}

impl Schema {
    pub fn setting(&self, name: &str) -> Option<&Setting> {
        self.settings.iter().find(|s| s.name == name)
    }
}

/// The seed every lab has: a whole number that fits in 32 bits, so that it survives a URL and a
/// JavaScript number unchanged.
pub const SEED: Range = Range::whole(0, u32::MAX as u64);
