//! CSV of 2-D points, read and written: what a student's own data set looks like in a file.
//!
//! A file holds one point a line, `x, y` or `x, y, class`, separated by commas, semicolons or
//! tabs (the first line with data says which; with semicolons or tabs a decimal comma is read as
//! a point, as spreadsheets in many languages write it). A first line that is not numbers is a
//! header. The class column holds whole numbers (class 0, 1, ...) or names, which are numbered in
//! the order they first appear. Blank lines are skipped.
//!
//! Anything else is refused with a [`CsvError`] that names the line and the column ("line 7,
//! column 2: 'abc' is not a number") and says what is allowed; nothing is half-read. This module
//! also fits points into a lab's plane ([`fit_into`]) and writes points back as CSV ([`write`]).

use crate::range::number_text;
use std::fmt;

/// The largest file read (bytes): a million points of about 20 characters a line.
pub const MAX_BYTES: usize = 24_000_000;

/// The most distinct class names a file may hold (a lab may take fewer).
pub const MAX_CLASS_NAMES: usize = 64;

/// Why a file was refused, and where (line and column count from 1).
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    /// `(line, column)`, when the trouble is at one place in the file.
    pub at: Option<(usize, usize)>,
    pub message: String,
}

impl CsvError {
    fn at(line: usize, column: usize, message: String) -> Self {
        CsvError {
            at: Some((line, column)),
            message,
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.at {
            Some((line, column)) => write!(f, "line {line}, column {column}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A file's points, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The points, in file order.
    pub points: Vec<[f64; 2]>,
    /// Each point's class, when the file has a class column.
    pub classes: Option<Vec<u32>>,
    /// The class names in class order, when the class column held names ("setosa"), not numbers.
    pub class_names: Vec<String>,
    /// The line each point came from (for messages about a point).
    pub lines: Vec<usize>,
    /// The header's fields, when the file has one.
    pub header: Option<Vec<String>>,
    pub delimiter: char,
}

impl Table {
    /// How many classes the points use (0 without a class column).
    pub fn class_count(&self) -> usize {
        self.classes
            .as_ref()
            .map_or(0, |c| c.iter().max().map_or(0, |&m| m as usize + 1))
    }
}

/// Reads `text`, refusing more than `max_rows` points.
pub fn parse(text: &str, max_rows: usize) -> Result<Table, CsvError> {
    if text.len() > MAX_BYTES {
        return Err(CsvError {
            at: None,
            message: format!(
                "the file has {} bytes, which is too large: give at most {MAX_BYTES} bytes ({} MB)",
                text.len(),
                MAX_BYTES / 1_000_000
            ),
        });
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((first_line, first)) = lines.next() else {
        return Err(CsvError {
            at: None,
            message: "the file holds no points: give one point a line, x,y or x,y,class".into(),
        });
    };
    let delimiter = ['\t', ';', ','] // a tab or a semicolon leaves the comma to decimals
        .into_iter()
        .find(|&d| first.contains(d))
        .unwrap_or(',');
    let width = first.split(delimiter).count();
    if !(2..=3).contains(&width) {
        return Err(CsvError::at(
            first_line,
            1,
            format!(
                "the line has {width} field(s) separated by {}: give 2 (x, y) or 3 (x, y, class)",
                delimiter_name(delimiter)
            ),
        ));
    }
    let decimal_comma = delimiter != ',';
    // "NaN" or "inf" reads as a number, refused below: a header is words.
    let is_header = first
        .split(delimiter)
        .take(2)
        .any(|f| any_number(f, decimal_comma).is_none());
    let mut table = Table {
        points: Vec::new(),
        classes: (width == 3).then(Vec::new),
        class_names: Vec::new(),
        lines: Vec::new(),
        header: is_header.then(|| {
            first
                .split(delimiter)
                .map(|f| unquote(f).to_string())
                .collect()
        }),
        delimiter,
    };
    // Class fields, as written, until the end shows whether they are all whole numbers.
    let mut class_fields: Vec<&str> = Vec::new();
    let data = std::iter::once((first_line, first))
        .filter(|_| !is_header)
        .chain(lines);
    for (line, text) in data {
        let fields: Vec<&str> = text.split(delimiter).collect();
        if fields.len() != width {
            return Err(CsvError::at(
                line,
                fields.len().min(width) + 1,
                format!(
                    "the line has {} field(s), the file's first line {width}: every line must have {width} ({})",
                    fields.len(),
                    if width == 2 { "x, y" } else { "x, y, class" }
                ),
            ));
        }
        if table.points.len() == max_rows {
            return Err(CsvError::at(
                line,
                1,
                format!("more than {max_rows} points: a file may hold at most {max_rows} points"),
            ));
        }
        let mut point = [0.0; 2];
        for (c, field) in fields.iter().take(2).enumerate() {
            point[c] = number(field, decimal_comma).ok_or_else(|| {
                let shown = unquote(field);
                let why = match shown.parse::<f64>() {
                    Ok(_) => "is not a finite number",
                    Err(_) if shown.is_empty() => "is empty",
                    Err(_) => "is not a number",
                };
                CsvError::at(
                    line,
                    c + 1,
                    format!("'{shown}' {why}: x and y must be finite numbers such as -1.25 or 3e2"),
                )
            })?;
        }
        if width == 3 {
            let class = unquote(fields[2]);
            if class.is_empty() {
                return Err(CsvError::at(
                    line,
                    3,
                    "the class is empty: give a whole number (0, 1, ...) or a name".into(),
                ));
            }
            class_fields.push(class);
        }
        table.points.push(point);
        table.lines.push(line);
    }
    if table.points.is_empty() {
        return Err(CsvError {
            at: None,
            message: "the file holds a header but no points: give one point a line after it".into(),
        });
    }
    if let Some(classes) = &mut table.classes {
        let whole = |f: &str| {
            f.parse::<u32>()
                .ok()
                .filter(|&c| c < MAX_CLASS_NAMES as u32)
        };
        if class_fields.iter().all(|f| whole(f).is_some()) {
            classes.extend(class_fields.iter().filter_map(|f| whole(f)));
        } else {
            for (i, field) in class_fields.iter().enumerate() {
                let index = match table.class_names.iter().position(|n| n == field) {
                    Some(index) => index,
                    None if table.class_names.len() == MAX_CLASS_NAMES => {
                        return Err(CsvError::at(
                            table.lines[i],
                            3,
                            format!("'{field}' is class number {}: a file may name at most {MAX_CLASS_NAMES} classes", MAX_CLASS_NAMES + 1),
                        ));
                    }
                    None => {
                        table.class_names.push(field.to_string());
                        table.class_names.len() - 1
                    }
                };
                classes.push(index as u32);
            }
        }
    }
    Ok(table)
}

/// A field as a finite number, if it is one.
fn number(field: &str, decimal_comma: bool) -> Option<f64> {
    any_number(field, decimal_comma).filter(|x| x.is_finite())
}

/// A field as a number, finite or not ("NaN", "inf"), if it is one.
fn any_number(field: &str, decimal_comma: bool) -> Option<f64> {
    let field = unquote(field);
    let parsed = if decimal_comma && field.contains(',') {
        field.replace(',', ".").parse::<f64>()
    } else {
        field.parse::<f64>()
    };
    parsed.ok()
}

/// A field without its surrounding blanks and quotes.
fn unquote(field: &str) -> &str {
    let field = field.trim();
    field
        .strip_prefix('"')
        .and_then(|f| f.strip_suffix('"'))
        .unwrap_or(field)
        .trim()
}

fn delimiter_name(delimiter: char) -> &'static str {
    match delimiter {
        '\t' => "tabs",
        ';' => "semicolons",
        _ => "commas",
    }
}

/// Points as CSV: a header `x,y` (or `x,y,class`), then one point a line, each number written
/// as the shortest decimal that reads back as the same number.
pub fn write(points: &[[f64; 2]], classes: Option<&[u32]>) -> String {
    let mut out = String::from(if classes.is_some() {
        "x,y,class\n"
    } else {
        "x,y\n"
    });
    for (i, [x, y]) in points.iter().enumerate() {
        out.push_str(&number_text(*x));
        out.push(',');
        out.push_str(&number_text(*y));
        if let Some(c) = classes.and_then(|c| c.get(i)) {
            out.push(',');
            out.push_str(&c.to_string());
        }
        out.push('\n');
    }
    out
}

/// How imported points were moved into a lab's plane: x' = (x − center) × scale, both axes
/// alike, so shapes keep their proportions.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scaling {
    pub center: [f64; 2],
    pub scale: f64,
}

impl Scaling {
    pub const NONE: Scaling = Scaling {
        center: [0.0, 0.0],
        scale: 1.0,
    };

    pub fn apply(&self, [x, y]: [f64; 2]) -> [f64; 2] {
        [
            (x - self.center[0]) * self.scale,
            (y - self.center[1]) * self.scale,
        ]
    }

    /// For a person: "x' = (x − 3) × 0.5, y' = (y + 1) × 0.5", or that the points were kept.
    pub fn describe(&self) -> String {
        if *self == Scaling::NONE {
            return "the points are used as they are (no scaling)".into();
        }
        let axis = |name: &str, c: f64| {
            let shifted = if c == 0.0 {
                name.to_string()
            } else if c < 0.0 {
                format!("({name} + {})", number_text(-c))
            } else {
                format!("({name} − {})", number_text(c))
            };
            format!("{name}′ = {shifted} × {}", number_text(self.scale))
        };
        format!(
            "scaled into the plane: {}, {}",
            axis("x", self.center[0]),
            axis("y", self.center[1])
        )
    }
}

/// The scaling that brings `points` into the square from −`half` to `half`: none when they are
/// all inside already; otherwise the bounding box is centred and its longer side spans 90 % of
/// the plane (a round-off margin keeps every point strictly inside).
pub fn fit_into(points: &[[f64; 2]], half: f64) -> Scaling {
    if points.iter().flatten().all(|v| v.abs() <= half) {
        return Scaling::NONE;
    }
    let (mut lo, mut hi) = ([f64::INFINITY; 2], [f64::NEG_INFINITY; 2]);
    for p in points {
        for a in 0..2 {
            lo[a] = lo[a].min(p[a]);
            hi[a] = hi[a].max(p[a]);
        }
    }
    let center = [(lo[0] + hi[0]) / 2.0, (lo[1] + hi[1]) / 2.0];
    let extent = (hi[0] - lo[0]).max(hi[1] - lo[1]) / 2.0;
    // One point far away (extent 0) is only moved to the middle.
    let scale = if extent > 0.0 {
        0.9 * half / extent
    } else {
        1.0
    };
    // Rounded down to three significant digits, so that the scaling shown is the one applied.
    let mut digits = 1.0;
    while scale * digits < 100.0 {
        digits *= 10.0;
    }
    while scale * digits >= 1000.0 {
        digits /= 10.0;
    }
    Scaling {
        center,
        scale: (scale * digits).floor() / digits,
    }
}
