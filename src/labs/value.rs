//! The value of a setting as it crosses the API: what JavaScript (or a link, or a test) passes to
//! `set`, and what a lab reports back.
//!
//! Values arrive untyped; a setting's schema entry checks one and turns it into its canonical
//! form (whole numbers as numbers, rows of points as [`Value::Rows`]) before a lab sees it.

use crate::range::number_text;
use serde::ser::{Serialize, SerializeSeq, Serializer};
use std::fmt;
use std::rc::Rc;

#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    List(Vec<Value>),
    /// Rows of numbers, `columns` to a row, stored flat: the canonical form of a set of points
    /// (cheap to clone, however many points there are).
    Rows {
        columns: usize,
        data: Rc<[f64]>,
    },
    /// Something no setting takes (an object, a function, `undefined`), described for a person.
    Other(&'static str),
}

impl Value {
    pub fn text(s: &str) -> Self {
        Value::Text(s.to_string())
    }

    /// Rows of `columns` numbers from a flat list.
    pub fn rows(columns: usize, data: impl Into<Rc<[f64]>>) -> Self {
        Value::Rows {
            columns,
            data: data.into(),
        }
    }

    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(x) => Some(*x),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            Value::Text(s) => Some(s),
            _ => None,
        }
    }

    /// The numbers of a list of numbers (a pair, a latent point).
    pub fn as_numbers(&self) -> Option<Vec<f64>> {
        match self {
            Value::List(items) => items.iter().map(Value::as_number).collect(),
            _ => None,
        }
    }

    /// The flat numbers of [`Value::Rows`].
    pub fn as_rows(&self) -> Option<&Rc<[f64]>> {
        match self {
            Value::Rows { data, .. } => Some(data),
            _ => None,
        }
    }

    /// What kind of value this is, for a refusal: "a string", "a list", ...
    pub fn kind_text(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "true or false",
            Value::Number(_) => "a number",
            Value::Text(_) => "a string",
            Value::List(_) | Value::Rows { .. } => "a list",
            Value::Other(what) => what,
        }
    }
}

impl From<f64> for Value {
    fn from(x: f64) -> Self {
        Value::Number(x)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::text(s)
    }
}

/// The most rows a refusal writes out before "…".
const ROWS_SHOWN: usize = 4;

impl fmt::Display for Value {
    /// As JavaScript's `JSON.stringify` would write it (numbers as [`number_text`]), with long
    /// lists of rows cut short.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Null => f.write_str("null"),
            Value::Bool(b) => write!(f, "{b}"),
            Value::Number(x) => f.write_str(&number_text(*x)),
            Value::Text(s) => write!(f, "{s:?}"),
            Value::List(items) => {
                f.write_str("[")?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    if i == ROWS_SHOWN * 4 {
                        return write!(f, "… {} more]", items.len() - i);
                    }
                    write!(f, "{item}")?;
                }
                f.write_str("]")
            }
            Value::Rows { columns, data } => {
                f.write_str("[")?;
                let rows = data.len() / columns.max(&1);
                for (i, row) in data.chunks(*columns.max(&1)).take(ROWS_SHOWN).enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    let row: Vec<String> = row.iter().map(|&x| number_text(x)).collect();
                    write!(f, "[{}]", row.join(", "))?;
                }
                if rows > ROWS_SHOWN {
                    write!(f, ", … {} more", rows - ROWS_SHOWN)?;
                }
                f.write_str("]")
            }
            Value::Other(what) => f.write_str(what),
        }
    }
}

impl Serialize for Value {
    /// As plain data: numbers, strings, booleans, null, and lists (rows as lists of lists).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null | Value::Other(_) => serializer.serialize_none(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(x) => serializer.serialize_f64(*x),
            Value::Text(s) => serializer.serialize_str(s),
            Value::List(items) => items.serialize(serializer),
            Value::Rows { columns, data } => {
                let columns = (*columns).max(1);
                let mut seq = serializer.serialize_seq(Some(data.len() / columns))?;
                for row in data.chunks(columns) {
                    seq.serialize_element(row)?;
                }
                seq.end()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_as_json_would_write_them() {
        let v = Value::List(vec![1.5.into(), "a".into(), Value::Null, true.into()]);
        assert_eq!(v.to_string(), r#"[1.5, "a", null, true]"#);
        let rows = Value::rows(2, vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0]);
        assert_eq!(
            rows.to_string(),
            "[[0, 1], [2, 3], [4, 5], [6, 7], … 1 more]"
        );
        assert_eq!(Value::Number(f64::NAN).to_string(), "NaN");
    }
}
