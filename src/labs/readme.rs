//! The README's tables of `set` names, written from the schemas.
//!
//! Each lab's table sits in the README between `<!-- settings:<lab> -->` and
//! `<!-- /settings:<lab> -->`. `cargo run --example readme_settings` rewrites them, and a native
//! test fails when the README and the schemas differ, so the documentation cannot drift.

use super::schema::{Applies, InLink, Kind, Schema, Setting};

/// The markdown table of one lab's settings.
pub fn settings_table(schema: &Schema) -> String {
    let mut out = String::from(
        "| `set` name | allowed | default | a change | what it is |\n|---|---|---|---|---|\n",
    );
    for s in &schema.settings {
        let applies = match s.applies {
            Applies::Live => "applies live",
            Applies::Rebuild => "rebuilds",
        };
        let link = match s.link {
            InLink::Always => "",
            InLink::WhenChanged => " (in a link when not the default)",
            InLink::Never => " (never in a link)",
        };
        let default = match s.default.to_string().as_str() {
            "null" => "none".to_string(),
            text => format!("`{text}`"),
        };
        let what = if s.help.is_empty() {
            s.label.to_string()
        } else {
            format!("{}: {}", s.label, s.help)
        };
        out += &format!(
            "| `{}` | {} | {default} | {applies}{link} | {} |\n",
            s.name,
            cell(&allowed(s)),
            cell(&what)
        );
    }
    out += &format!(
        "\n`step(n)`: n from 0 to {} ({}; default {}). A link records `{}` ({}, up to {}).\n",
        schema.step.max,
        schema.step.unit,
        schema.step.default,
        schema.progress.name,
        schema.progress.unit,
        schema.progress.max
    );
    out
}

/// What a setting allows, with each choice's label beside its name (a refusal lists the names
/// only).
fn allowed(s: &Setting) -> String {
    match &s.kind {
        Kind::Choice(items) => {
            let items: Vec<String> = items
                .iter()
                .map(|c| {
                    let name = c.value.to_string();
                    if c.label.is_empty() || c.label == name.trim_matches('"') {
                        format!("`{name}`")
                    } else {
                        format!("`{name}` ({})", c.label)
                    }
                })
                .collect();
            let unit = s.unit.map(|u| format!(" ({u})")).unwrap_or_default();
            format!("one of {}{unit}", items.join(", "))
        }
        _ => s.allowed(),
    }
}

/// A table cell: pipes escaped so that they do not end the cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// `readme` with every lab's table block rewritten from `schemas`; an error names a lab whose
/// block is missing.
pub fn rewrite(readme: &str, schemas: &[Schema]) -> Result<String, String> {
    let mut out = readme.to_string();
    for schema in schemas {
        let open = format!("<!-- settings:{} -->", schema.lab);
        let close = format!("<!-- /settings:{} -->", schema.lab);
        let (Some(start), Some(end)) = (out.find(&open), out.find(&close)) else {
            return Err(format!(
                "the README has no block {open} … {close} for the {} lab's settings",
                schema.lab
            ));
        };
        let body = format!("{open}\n{}{close}", settings_table(schema));
        out.replace_range(start..end + close.len(), &body);
    }
    Ok(out)
}
