//! The Classify lab's own actions and views, beside what every lab has: adding and clearing
//! points, Bayes' rule at a point, and the grids and slices the page draws. Every number the page
//! sends is checked here like any other input, so the handle only forwards.

use super::settings::rows_of;
use super::{ClassifyModel, GRID_SIDE, MAX_POINTS, SLICE_POINTS};
use crate::classify::{BayesExplanation, MAX_CLASSES};
use crate::labs::{Lab, Value};
use crate::prob::ParamError;
use crate::range::{number_text, Range};
use serde::Serialize;

/// Every number of Bayes' rule at one point, and the class it predicts.
#[derive(Serialize, Debug, PartialEq)]
pub struct Explanation {
    pub point: [f64; 2],
    #[serde(flatten)]
    pub numbers: BayesExplanation,
    pub predicted: usize,
}

/// Checks the bounds of a view: finite, the low one below the high one.
fn check_bounds(
    (low_name, low): (&'static str, f64),
    (high_name, high): (&'static str, f64),
) -> Result<(f64, f64), String> {
    if low.is_finite() && high.is_finite() && low < high {
        Ok((low, high))
    } else {
        Err(format!(
            "{low_name} = {}, {high_name} = {} is not allowed: the bounds must be finite numbers \
             with {low_name} below {high_name}",
            number_text(low),
            number_text(high)
        ))
    }
}

/// A view size sent by the page, checked against its range.
fn check_size(name: &'static str, value: f64, range: Range) -> Result<usize, String> {
    range
        .check(name, value)
        .map(|v| v as usize)
        .map_err(|e| e.to_string())
}

/// The grid's bounds and size, checked.
type Grid = ((f64, f64), (f64, f64), usize, usize);

fn check_grid(x: (f64, f64), y: (f64, f64), nx: f64, ny: f64) -> Result<Grid, String> {
    Ok((
        check_bounds(("x_min", x.0), ("x_max", x.1))?,
        check_bounds(("y_min", y.0), ("y_max", y.1))?,
        check_size("nx", nx, GRID_SIDE)?,
        check_size("ny", ny, GRID_SIDE)?,
    ))
}

/// The lab's own actions and views, beside what every lab has.
impl Lab<ClassifyModel> {
    /// Adds one point of class `class` (0 to 3); the number of classes grows to hold it and the
    /// data become the user's own.
    pub fn add_point(&mut self, x: f64, y: f64, class: f64) -> Result<(), String> {
        let data = &self.model().data;
        if data.len() >= MAX_POINTS {
            return Err(format!(
                "the lab holds at most {MAX_POINTS} points: Clear some first"
            ));
        }
        if !(x.is_finite() && y.is_finite()) {
            return Err(ParamError::new(
                "point",
                format!("({}, {})", number_text(x), number_text(y)),
                "two finite numbers",
            )
            .to_string());
        }
        Range::whole(0, MAX_CLASSES as u64 - 1)
            .check("class", class)
            .map_err(|e| e.to_string())?;
        let mut rows = rows_of(data);
        rows.extend([x, y, class]);
        self.set("points", &Value::rows(3, rows)).map(|_| ())
    }

    /// Removes every point (the classes stay).
    pub fn clear_points(&mut self) -> Result<(), String> {
        self.set("points", &Value::rows(3, Vec::new())).map(|_| ())
    }

    /// The points as x, y, class, flat.
    pub fn points(&self) -> Vec<f64> {
        rows_of(&self.model().data)
    }

    /// Bayes' rule at (x, y), number by number; None when there is no fit.
    pub fn explain(&self, x: f64, y: f64) -> Result<Option<Explanation>, String> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(ParamError::new(
                "point",
                format!("({}, {})", number_text(x), number_text(y)),
                "two finite numbers",
            )
            .to_string());
        }
        let Some(cl) = &self.model().classifier else {
            return Ok(None);
        };
        Ok(Some(Explanation {
            point: [x, y],
            numbers: cl.explain(&[x, y]),
            predicted: cl.predict(&[x, y]),
        }))
    }

    /// P(y | x) at the centres of an nx × ny grid over [x_min, x_max] × [y_min, y_max]: entry
    /// (iy·nx + ix)·C + y, row 0 the lowest y. Empty when there is no fit.
    pub fn posterior_grid(
        &self,
        x: (f64, f64),
        y: (f64, f64),
        nx: f64,
        ny: f64,
    ) -> Result<Vec<f64>, String> {
        let (x, y, nx, ny) = check_grid(x, y, nx, ny)?;
        Ok(self
            .model()
            .classifier
            .as_ref()
            .map_or_else(Vec::new, |cl| cl.posterior_grid(x, y, nx, ny)))
    }

    /// ln p(x) on the same grid (one number per cell).
    pub fn log_evidence_grid(
        &self,
        x: (f64, f64),
        y: (f64, f64),
        nx: f64,
        ny: f64,
    ) -> Result<Vec<f64>, String> {
        let (x, y, nx, ny) = check_grid(x, y, nx, ny)?;
        Ok(self
            .model()
            .classifier
            .as_ref()
            .map_or_else(Vec::new, |cl| cl.log_evidence_grid(x, y, nx, ny)))
    }

    /// P(y) p(x | y) for every class at n points x from x_min to x_max along the line y = y0:
    /// entry i·C + class.
    pub fn joint_slice(&self, y0: f64, x: (f64, f64), n: f64) -> Result<Vec<f64>, String> {
        let (x_min, x_max) = check_bounds(("x_min", x.0), ("x_max", x.1))?;
        let n = check_size("n", n, SLICE_POINTS)?;
        if !y0.is_finite() {
            return Err(ParamError::new("y0", number_text(y0), "a finite number").to_string());
        }
        let Some(cl) = &self.model().classifier else {
            return Ok(Vec::new());
        };
        Ok((0..n)
            .flat_map(|i| {
                let x = x_min + (x_max - x_min) * i as f64 / (n - 1) as f64;
                cl.log_joint(&[x, y0]).into_iter().map(f64::exp)
            })
            .collect())
    }
}
