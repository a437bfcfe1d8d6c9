//! A CSV file of points brought into a lab, through the lab's points setting: the schema says
//! which setting holds a lab's own points, its columns, its plane and its row limit, so any lab
//! with a points setting takes a file with nothing written for it (EM's `points`, Classify's
//! `points` with their classes, the GAN's and the VAE's `drawn_points`).
//!
//! The file's points become the value of that setting, set as `set(name, rows)` would: a file
//! the parser refuses, or a value the setting refuses, changes nothing. So the imported data
//! appear in the link exactly as that setting does (`points=x,y;...`, up to the setting's
//! `link_rows` points).

use super::link::Linked;
use super::schema::{Kind, Setting};
use super::value::Value;
use crate::csv::{self, Scaling, Table};
use serde::Serialize;

/// What an import did, for the page and the API (`import_csv` returns it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Imported {
    /// Points read.
    pub rows: usize,
    /// Classes the points use (0 when the file has no class column).
    pub classes: usize,
    /// The class names, when the file named its classes (class 0 first).
    pub class_names: Vec<String>,
    /// The setting the points went into.
    pub setting: &'static str,
    /// How the points were moved into the lab's plane, in words.
    pub scaling: String,
    pub scale: f64,
    pub center: [f64; 2],
    /// What a person should know: a class column the lab does not use, say.
    pub notes: Vec<String>,
}

/// Takes `text` into `lab`'s points setting, as `set` would; returns what it did.
pub(crate) fn import_csv(lab: &mut dyn Linked, text: &str) -> Result<Imported, String> {
    let schema = lab.schema();
    let name = schema.lab;
    let setting = points_setting(&schema.settings)
        .ok_or_else(|| format!("the {name} lab takes no points"))?;
    let (value, imported) = plan(name, setting, text)?;
    lab.set(imported.setting, &value)?;
    Ok(imported)
}

/// The lab's points setting, if it has one.
pub fn points_setting(settings: &[Setting]) -> Option<&Setting> {
    settings
        .iter()
        .find(|s| matches!(s.kind, Kind::Points { .. }))
}

/// Reads `text` for `setting` (a points setting): the value to set and the report, or why the
/// file cannot be taken ("line 7, column 2: 'abc' is not a number: ...").
pub fn plan(lab: &str, setting: &Setting, text: &str) -> Result<(Value, Imported), String> {
    let Kind::Points {
        columns,
        coordinates,
        classes,
        max_rows,
        ..
    } = &setting.kind
    else {
        return Err(format!("the {lab} lab takes no points"));
    };
    let table = csv::parse(text, *max_rows).map_err(|e| e.to_string())?;
    let scaling = match coordinates {
        Some(range) => csv::fit_into(&table.points, range.max.min(-range.min)),
        None => Scaling::NONE,
    };
    let mut notes = Vec::new();
    let class_of = |i: usize| table.classes.as_ref().map_or(0, |c| c[i]);
    if let Some(most) = classes {
        if let Some(i) = (0..table.points.len()).find(|&i| class_of(i) as usize >= *most) {
            return Err(format!(
                "line {}, column 3: {} is class {}: the {lab} lab takes at most {most} classes (0 to {})",
                table.lines[i],
                class_text(&table, class_of(i)),
                class_of(i),
                most - 1
            ));
        }
        if table.classes.is_none() {
            notes.push("the file has no class column: every point is class 0".into());
        }
    } else if table.classes.is_some() {
        notes.push(format!(
            "the {lab} lab does not use classes: the class column was left out"
        ));
    }
    let mut flat = Vec::with_capacity(table.points.len() * columns.len());
    for (i, &p) in table.points.iter().enumerate() {
        flat.extend_from_slice(&scaling.apply(p));
        if classes.is_some() {
            flat.push(class_of(i) as f64);
        }
    }
    let imported = Imported {
        rows: table.points.len(),
        classes: table.class_count(),
        class_names: table.class_names.clone(),
        setting: setting.name,
        scaling: scaling.describe(),
        scale: scaling.scale,
        center: scaling.center,
        notes,
    };
    Ok((Value::rows(columns.len(), flat), imported))
}

/// A class as the file wrote it: its name, or its number.
fn class_text(table: &Table, class: u32) -> String {
    match table.class_names.get(class as usize) {
        Some(name) => format!("'{name}'"),
        None => format!("'{class}'"),
    }
}
