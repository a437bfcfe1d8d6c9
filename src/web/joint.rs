//! The two-coins lab's handle: a 2 × 2 joint table built from P(X = H), P(Y = H | X = H) and
//! P(Y = H | X = T) (or edited cell by cell), and seeded pairs counted into an empirical table.
//!
//! Changing the distribution replays the same uniform draws under the new table (the pairs are
//! redrawn from the same seed), so the empirical table always describes the current distribution
//! and a student sees "the same luck" counted under different coins.

use std::collections::VecDeque;

use super::{js_error, seed, whole_number};
use crate::prob::joint::{EmpiricalJoint, JointTable};
use crate::rng::{self, Rng};
use ndarray::Array2;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The most pairs one run holds; replaying them after an edit stays within a frame's budget.
const MAX_SAMPLES: u64 = 1_000_000;

/// How many of the latest pairs are kept for the "latest pairs" strip.
const RECENT: usize = 24;

/// Cells closer than this to P(x) P(y) count as independent (rounding of slider steps is far
/// larger than this, so a table reads as independent only when it really is).
const INDEPENDENCE_TOLERANCE: f64 = 1e-9;

#[wasm_bindgen]
pub struct JointLab {
    table: JointTable,
    p_x: f64,
    heads_after_heads: f64,
    heads_after_tails: f64,
    seed: u64,
    rng: Rng,
    empirical: EmpiricalJoint,
    recent: VecDeque<(usize, usize)>,
}

/// The lab's state as plain data (see docs/readme-joint.md). Undefined conditional rows are
/// `null`, with the reason in `undefined`.
#[derive(Serialize)]
struct Snapshot {
    p_x: f64,
    p_y_given_x: [f64; 2],
    joint: Vec<Vec<f64>>,
    marginal_x: Vec<f64>,
    marginal_y: Vec<f64>,
    conditional_y_given_x: Vec<Option<Vec<f64>>>,
    conditional_x_given_y: Vec<Option<Vec<f64>>>,
    undefined: Vec<String>,
    product_of_marginals: Vec<Vec<f64>>,
    mutual_information_bits: f64,
    independent: bool,
    article_row_sums: [f64; 2],
    seed: u64,
    n_samples: u64,
    counts: Vec<Vec<u64>>,
    empirical_joint: Option<Vec<Vec<f64>>>,
    recent: Vec<[usize; 2]>,
    max_samples: u64,
}

fn rows<T: Copy>(table: &Array2<T>) -> Vec<Vec<T>> {
    table.outer_iter().map(|row| row.to_vec()).collect()
}

#[wasm_bindgen]
impl JointLab {
    #[wasm_bindgen(constructor)]
    pub fn new(
        p_x: f64,
        heads_after_heads: f64,
        heads_after_tails: f64,
        seed_value: f64,
    ) -> Result<JointLab, JsError> {
        let seed = seed(seed_value)?;
        let table =
            JointTable::two_coins(p_x, heads_after_heads, heads_after_tails).map_err(js_error)?;
        Ok(Self {
            table,
            p_x,
            heads_after_heads,
            heads_after_tails,
            seed,
            rng: rng::seeded(seed),
            empirical: EmpiricalJoint::new(2, 2).map_err(js_error)?,
            recent: VecDeque::with_capacity(RECENT),
        })
    }

    /// Samples `n` more pairs (fewer at the cap); returns how many were sampled.
    pub fn step(&mut self, n: f64) -> Result<f64, JsError> {
        let n = whole_number("n", n, 0.0, MAX_SAMPLES as f64)?;
        let room = MAX_SAMPLES - self.empirical.total();
        let n = n.min(room);
        self.sample(n);
        Ok(n as f64)
    }

    pub fn reset(&mut self, seed_value: f64) -> Result<(), JsError> {
        self.seed = seed(seed_value)?;
        self.rng = rng::seeded(self.seed);
        self.empirical.clear();
        self.recent.clear();
        Ok(())
    }

    pub fn set_p_x(&mut self, p_x: f64) -> Result<(), JsError> {
        self.rebuild(p_x, self.heads_after_heads, self.heads_after_tails)
    }

    /// Sets P(Y = H | X = H) and P(Y = H | X = T) together.
    pub fn set_p_y_given_x(&mut self, after_heads: f64, after_tails: f64) -> Result<(), JsError> {
        self.rebuild(self.p_x, after_heads, after_tails)
    }

    /// Sets cell [x][y] (0 = H, 1 = T) and rescales the others; the three parameters then become
    /// the ones this table implies (a conditional of a zero row keeps its old value, since the
    /// table says nothing about it).
    pub fn set_cell(&mut self, x: f64, y: f64, value: f64) -> Result<(), JsError> {
        let x = whole_number("x", x, 0.0, 1.0)? as usize;
        let y = whole_number("y", y, 0.0, 1.0)? as usize;
        let mut table = self.table.clone();
        table.set_cell(x, y, value).map_err(js_error)?;
        let t = table.table();
        let p_x = t[[0, 0]] + t[[0, 1]];
        if p_x > 0.0 {
            self.heads_after_heads = t[[0, 0]] / p_x;
        }
        if 1.0 - p_x > 0.0 {
            self.heads_after_tails = t[[1, 0]] / (t[[1, 0]] + t[[1, 1]]);
        }
        self.p_x = p_x;
        self.table = table;
        self.replay();
        Ok(())
    }

    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let t = &self.table;
        let mut undefined = Vec::new();
        let mut defined = |rows: Vec<Result<ndarray::Array1<f64>, _>>| -> Vec<Option<Vec<f64>>> {
            rows.into_iter()
                .map(|row| match row {
                    Ok(row) => Some(row.to_vec()),
                    Err(e) => {
                        undefined.push(format!("{e}"));
                        None
                    }
                })
                .collect()
        };
        let conditional_y_given_x = defined(t.conditional_y_given_x_rows());
        // Bayes' rule from P(X) and P(Y | X); where an evidence P(Y = y) is 0 it fails as a
        // whole, and the per-row division says which rows still exist.
        let conditional_x_given_y = match t.bayes_x_given_y() {
            Ok(posterior) => rows(&posterior).into_iter().map(Some).collect(),
            Err(_) => defined(t.conditional_x_given_y_rows()),
        };
        let snapshot = Snapshot {
            p_x: self.p_x,
            p_y_given_x: [self.heads_after_heads, self.heads_after_tails],
            joint: rows(t.table()),
            marginal_x: t.marginal_x().to_vec(),
            marginal_y: t.marginal_y().to_vec(),
            conditional_y_given_x,
            conditional_x_given_y,
            undefined,
            product_of_marginals: rows(&t.product_of_marginals()),
            mutual_information_bits: t.mutual_information_bits(),
            independent: t.is_independent(INDEPENDENCE_TOLERANCE),
            article_row_sums: [2.0 * self.p_x, 1.0 - self.p_x],
            seed: self.seed,
            n_samples: self.empirical.total(),
            counts: rows(self.empirical.counts()),
            empirical_joint: self.empirical.table().map(|e| rows(e.table())),
            recent: self.recent.iter().map(|&(x, y)| [x, y]).collect(),
            max_samples: MAX_SAMPLES,
        };
        // Missing values (undefined conditionals, no samples yet) become JSON's null.
        let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
        snapshot.serialize(&serializer).map_err(js_error)
    }
}

impl JointLab {
    /// Validates all three parameters before changing anything, so a refused one leaves the lab
    /// as it was.
    fn rebuild(&mut self, p_x: f64, after_heads: f64, after_tails: f64) -> Result<(), JsError> {
        self.table = JointTable::two_coins(p_x, after_heads, after_tails).map_err(js_error)?;
        self.p_x = p_x;
        self.heads_after_heads = after_heads;
        self.heads_after_tails = after_tails;
        self.replay();
        Ok(())
    }

    fn sample(&mut self, n: u64) {
        for _ in 0..n {
            let (x, y) = self.table.sample(&mut self.rng);
            // Both indices come from a 2 × 2 table, so recording cannot fail.
            let _ = self.empirical.record(x, y);
            if self.recent.len() == RECENT {
                self.recent.pop_front();
            }
            self.recent.push_back((x, y));
        }
    }

    /// Redraws as many pairs as were drawn, from the same seed, under the current table.
    fn replay(&mut self) {
        let n = self.empirical.total();
        self.rng = rng::seeded(self.seed);
        self.empirical.clear();
        self.recent.clear();
        self.sample(n);
    }
}
