//! Links: writing a lab's run as (name, text) pairs, and reading such pairs back into a lab.
//!
//! The logic is the same for every lab, so it is written once, against [`Linked`] (what it needs
//! of a lab, as a trait object), instead of once per lab: a generic `Lab<M>` method would be
//! compiled seven times into the page's WebAssembly.

use super::lab::LinkOutcome;
use super::schema::{Applies, InLink, Schema};
use super::value::Value;
use crate::range::Range;

/// What reading and writing links needs of a lab.
pub(crate) trait Linked {
    fn schema(&self) -> &Schema;
    /// The current value of setting `index`.
    fn read(&self, index: usize) -> Value;
    /// What setting `index` would read after `value` (checked) were written into a copy of the
    /// settings, or None if writing it would be refused.
    fn read_after(&self, index: usize, value: &Value) -> Option<Value>;
    /// Whether setting `index` belongs in a link of the current run.
    fn written(&self, index: usize) -> bool;
    fn set(&mut self, name: &str, value: &Value) -> Result<Applies, String>;
    fn progress(&self) -> u64;
    /// Brings the run to `target` units of progress (at once, or by starting again and leaving
    /// the rest to be replayed over frames).
    fn replay_to(&mut self, target: u64) -> Result<(), String>;
}

/// The run's link: every setting a link holds, in schema order, then the link groups, then the
/// progress. `every_row`: points however many (for a model file), not only as many as a link
/// carries.
pub(crate) fn write(lab: &dyn Linked, every_row: bool) -> Vec<(&'static str, String)> {
    let schema = lab.schema();
    let grouped: Vec<&str> = schema
        .link_groups
        .iter()
        .flat_map(|g| g.members.iter().copied())
        .collect();
    let value_of = |name: &str| {
        let index = schema.settings.iter().position(|s| s.name == name)?;
        Some(lab.read(index))
    };
    let mut out = Vec::new();
    for (i, s) in schema.settings.iter().enumerate() {
        let value = lab.read(i);
        let held = match s.link {
            InLink::Never => false,
            InLink::WhenChanged => value != s.default,
            InLink::Always => true,
        };
        if held && !grouped.contains(&s.name) && lab.written(i) {
            if let Some(text) = s.link_text(&value, every_row) {
                out.push((s.link_name, text));
            }
        }
    }
    for group in &schema.link_groups {
        let on: Vec<&str> = group
            .members
            .iter()
            .filter(|m| value_of(m) == Some(Value::Bool(true)))
            .map(|m| m.trim_start_matches(group.strip))
            .collect();
        // Written whenever a member differs from its default, so that a link without the
        // group opens the defaults and every other state, all members on included, survives.
        let changed = group.members.iter().any(|m| {
            let default = schema.setting(m).map(|s| s.default.clone());
            value_of(m) != default
        });
        if changed {
            out.push((group.name, on.join(",")));
        }
    }
    out.push((schema.progress.name, lab.progress().to_string()));
    out
}

/// Applies a link's parameters: each setting it holds that differs from the current value (in
/// schema order), then its groups and its progress. A refused value is reported and the rest
/// still applies; a name that is no setting of this lab is reported too.
pub(crate) fn read(lab: &mut dyn Linked, params: &[(String, String)]) -> LinkOutcome {
    let schema = lab.schema().clone();
    let mut outcome = LinkOutcome::default();
    let known = |name: &str| {
        name == schema.progress.name
            || schema.link_groups.iter().any(|g| g.name == name)
            || schema
                .settings
                .iter()
                .any(|s| s.link_name == name && s.link != InLink::Never)
    };
    for (name, _) in params {
        if !known(name) {
            outcome.refused.push(format!(
                "\"{name}\" is not a setting of the {} lab that a link can hold: it was ignored",
                schema.lab
            ));
        }
    }
    let text_of = |name: &str| params.iter().rev().find(|(n, _)| n == name).map(|(_, t)| t);
    for (i, setting) in schema.settings.iter().enumerate() {
        if setting.link == InLink::Never {
            continue;
        }
        let Some(text) = text_of(setting.link_name) else {
            continue;
        };
        // A value the setting already reads is not set again (so a link opened twice rebuilds
        // nothing). It is compared as the setting reads it back from a copy of the settings,
        // so an f32 written out as an f64, or rows given as a list, still match.
        let value = match setting.check(&setting.parse_link_text(text)) {
            Ok(value) => value,
            Err(message) => {
                outcome.refused.push(message);
                continue;
            }
        };
        if lab.read_after(i, &value) == Some(lab.read(i)) {
            continue;
        }
        if let Err(message) = lab.set(setting.name, &value) {
            outcome.refused.push(message);
        }
    }
    for group in &schema.link_groups {
        let Some(text) = text_of(group.name) else {
            continue;
        };
        let listed: Vec<&str> = text.split(',').filter(|k| !k.is_empty()).collect();
        let names: Vec<&str> = group
            .members
            .iter()
            .map(|m| m.trim_start_matches(group.strip))
            .collect();
        if let Some(unknown) = listed.iter().find(|k| !names.contains(k)) {
            outcome.refused.push(format!(
                "{} = {text} is not allowed: \"{unknown}\" is none of {}",
                group.name,
                names.join(", ")
            ));
            continue;
        }
        for (member, short) in group.members.iter().zip(&names) {
            if let Err(message) = lab.set(member, &Value::Bool(listed.contains(short))) {
                outcome.refused.push(message);
            }
        }
    }
    let progress = &schema.progress;
    if let Some(text) = text_of(progress.name) {
        let range = Range::whole(0, progress.max);
        match text.trim().parse::<f64>() {
            Ok(n) if range.contains(n) => {
                if let Err(message) = lab.replay_to(n as u64) {
                    outcome.refused.push(message);
                } else if progress.over_frames {
                    outcome.replay = n as u64 - lab.progress();
                }
            }
            _ => outcome.refused.push(format!(
                "{} = {text} is not allowed: {} must be {} ({})",
                progress.name,
                progress.name,
                range.describe(),
                progress.unit
            )),
        }
    }
    outcome
}
