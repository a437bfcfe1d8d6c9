//! The two-coins lab: a 2 × 2 joint table built from P(X = H), P(Y = H | X = H) and
//! P(Y = H | X = T) (or edited cell by cell), and seeded pairs counted into an empirical table.
//!
//! Changing the distribution replays the same uniform draws under the new table (the pairs are
//! redrawn from the same seed), so the empirical table always describes the current distribution
//! and a student sees "the same luck" counted under different coins.

use super::lab::{playing_setting, seed_setting, speed_setting, Entry, Model};
use super::schema::{ChoiceItem, Control, InLink, Item, Progress, Setting, Stepping};
use super::value::Value;
use crate::field;
use crate::prob::joint::{EmpiricalJoint, JointTable};
use crate::prob::PROBABILITY;
use crate::range::{number_text, Range};
use crate::rng::{self, Rng};
use ndarray::Array2;
use serde::Serialize;
use std::collections::VecDeque;

/// The most pairs one run holds; replaying them after an edit stays within a frame's budget.
pub const MAX_SAMPLES: u64 = 1_000_000;
/// How many of the latest pairs are kept for the "latest pairs" strip.
const RECENT: usize = 24;
/// Cells closer than this to P(x) P(y) count as independent (rounding of slider steps is far
/// larger than this, so a table reads as independent only when it really is).
const INDEPENDENCE_TOLERANCE: f64 = 1e-9;
/// Pairs per second while playing.
const SPEEDS: [f64; 13] = [
    1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 5000.0, 20000.0, 100000.0,
];
/// An outcome's index in a cell address: 0 for heads, 1 for tails.
const OUTCOME: Range = Range::whole(0, 1);

#[derive(Clone, Debug, PartialEq)]
pub struct JointSettings {
    pub p_x: f64,
    /// P(Y = H | X = H) and P(Y = H | X = T).
    pub p_y_given_x: [f64; 2],
    pub seed: u64,
    pub speed: f64,
    pub playing: bool,
}

impl Default for JointSettings {
    fn default() -> Self {
        Self {
            p_x: 0.3,
            p_y_given_x: [0.9, 0.2],
            seed: 7,
            speed: 100.0,
            playing: false,
        }
    }
}

impl JointSettings {
    fn table(&self) -> Result<JointTable, String> {
        let [heads, tails] = self.p_y_given_x;
        JointTable::two_coins(self.p_x, heads, tails).map_err(|e| e.to_string())
    }
}

/// Sets cell `[x, y]` to `value`, rescaling the other cells; the three parameters become the
/// ones the new table implies (a conditional of an all-zero row keeps its old value, since the
/// table says nothing about it).
fn put_cell(s: &mut JointSettings, cell: &Value) -> Result<(), String> {
    let numbers = cell.as_numbers().unwrap_or_default();
    let [x, y, value] = numbers[..] else {
        return Err("cell must be [x, y, value]".into());
    };
    let mut table = s.table()?;
    table
        .set_cell(x as usize, y as usize, value)
        .map_err(|e| e.to_string())?;
    let t = table.table();
    let p_x = t[[0, 0]] + t[[0, 1]];
    if p_x > 0.0 {
        s.p_y_given_x[0] = t[[0, 0]] / p_x;
    }
    if 1.0 - p_x > 0.0 {
        s.p_y_given_x[1] = t[[1, 0]] / (t[[1, 0]] + t[[1, 1]]);
    }
    s.p_x = p_x;
    Ok(())
}

/// The table and the pairs drawn from it.
pub struct JointRun {
    table: JointTable,
    seed: u64,
    rng: Rng,
    empirical: EmpiricalJoint,
    recent: VecDeque<(usize, usize)>,
}

impl JointRun {
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

    /// Redraws as many pairs as were drawn, from the same seed, under `table`.
    fn replay_under(&mut self, table: JointTable) {
        let n = self.empirical.total();
        self.table = table;
        self.rng = rng::seeded(self.seed);
        self.empirical.clear();
        self.recent.clear();
        self.sample(n);
    }
}

/// The lab's state as plain data. Undefined conditional rows are `null`, with the reason in
/// `undefined`.
#[derive(Serialize)]
pub struct JointSnapshot {
    pub p_x: f64,
    pub p_y_given_x: [f64; 2],
    pub joint: Vec<Vec<f64>>,
    pub marginal_x: Vec<f64>,
    pub marginal_y: Vec<f64>,
    pub conditional_y_given_x: Vec<Option<Vec<f64>>>,
    pub conditional_x_given_y: Vec<Option<Vec<f64>>>,
    pub undefined: Vec<String>,
    pub product_of_marginals: Vec<Vec<f64>>,
    pub mutual_information_bits: f64,
    pub independent: bool,
    pub article_row_sums: [f64; 2],
    pub seed: u64,
    pub n_samples: u64,
    pub counts: Vec<Vec<u64>>,
    pub empirical_joint: Option<Vec<Vec<f64>>>,
    pub recent: Vec<[usize; 2]>,
    pub max_samples: u64,
}

fn rows<T: Copy>(table: &Array2<T>) -> Vec<Vec<T>> {
    table.outer_iter().map(|row| row.to_vec()).collect()
}

impl Model for JointRun {
    type Settings = JointSettings;
    type Snapshot = JointSnapshot;
    const NAME: &'static str = "joint";

    fn entries() -> Vec<Entry<JointSettings>> {
        vec![
            Setting::number("p_x", PROBABILITY)
                .label("P(X = H): first coin heads")
                .help("The probability that the first coin X shows heads.")
                .bind(field!(p_x)),
            Setting::tuple(
                "p_y_given_x",
                vec![
                    Item {
                        name: "heads",
                        symbol: "P(Y = H | X = H)",
                        label: "P(Y = H | X = H): second coin heads after heads",
                        range: PROBABILITY,
                    },
                    Item {
                        name: "tails",
                        symbol: "P(Y = H | X = T)",
                        label: "P(Y = H | X = T): second coin heads after tails",
                        range: PROBABILITY,
                    },
                ],
            )
            .label("P(Y = H | X)")
            .help("The second coin's bias after heads and after tails.")
            .control(Control::Slider)
            .bind((
                |s| {
                    Value::List(s.p_y_given_x.iter().map(|&p| Value::Number(p)).collect())
                },
                |s, v| {
                    let p = v.as_numbers().unwrap_or_default();
                    s.p_y_given_x = [p[0], p[1]];
                    Ok(())
                },
            )),
            Setting::tuple(
                "cell",
                vec![
                    Item {
                        name: "x",
                        symbol: "x",
                        label: "the row: 0 (X = H) or 1 (X = T)",
                        range: OUTCOME,
                    },
                    Item {
                        name: "y",
                        symbol: "y",
                        label: "the column: 0 (Y = H) or 1 (Y = T)",
                        range: OUTCOME,
                    },
                    Item {
                        name: "value",
                        symbol: "value",
                        label: "the cell's new probability",
                        range: PROBABILITY,
                    },
                ],
            )
            .label("Set one cell of the table")
            .help("The other three cells are rescaled so the total stays 1; p_x and p_y_given_x become the parameters the table implies.")
            .in_link(InLink::Never)
            .bind((|_| Value::Null, put_cell)),
            seed_setting("Starts a new run: clears the sampled pairs.").bind(field!(seed)),
            speed_setting(
                SPEEDS
                    .iter()
                    .map(|&v| {
                        let plural = if v == 1.0 { "" } else { "s" };
                        ChoiceItem::new(v, format!("{} pair{plural}/s", number_text(v)))
                    })
                    .collect(),
                "pairs per second while playing",
            )
            .bind(field!(speed)),
            playing_setting().bind(field!(playing)),
        ]
    }

    fn progress() -> Progress {
        Progress {
            name: "pairs",
            max: MAX_SAMPLES,
            over_frames: false,
            unit: "pairs sampled",
        }
    }

    fn stepping() -> Stepping {
        Stepping {
            default: 10,
            max: MAX_SAMPLES,
            unit: "pairs",
        }
    }

    fn build(s: &JointSettings) -> Result<Self, String> {
        Ok(Self {
            table: s.table()?,
            seed: s.seed,
            rng: rng::seeded(s.seed),
            empirical: EmpiricalJoint::new(2, 2).map_err(|e| e.to_string())?,
            recent: VecDeque::with_capacity(RECENT),
        })
    }

    fn apply_live(&mut self, s: &JointSettings, name: &str) -> Result<(), String> {
        if matches!(name, "p_x" | "p_y_given_x" | "cell") {
            self.replay_under(s.table()?);
        }
        Ok(())
    }

    /// Samples `n` more pairs (fewer at the cap); returns how many were sampled.
    fn step(&mut self, _: &JointSettings, n: u64) -> Result<f64, String> {
        let n = n.min(MAX_SAMPLES - self.empirical.total());
        self.sample(n);
        Ok(n as f64)
    }

    fn progress_count(&self) -> u64 {
        self.empirical.total()
    }

    fn advance(&mut self, s: &JointSettings, count: u64) -> Result<(), String> {
        self.step(s, count).map(|_| ())
    }

    fn snapshot(&self, s: &JointSettings) -> JointSnapshot {
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
        JointSnapshot {
            p_x: s.p_x,
            p_y_given_x: s.p_y_given_x,
            joint: rows(t.table()),
            marginal_x: t.marginal_x().to_vec(),
            marginal_y: t.marginal_y().to_vec(),
            conditional_y_given_x,
            conditional_x_given_y,
            undefined,
            product_of_marginals: rows(&t.product_of_marginals()),
            mutual_information_bits: t.mutual_information_bits(),
            independent: t.is_independent(INDEPENDENCE_TOLERANCE),
            article_row_sums: [2.0 * s.p_x, 1.0 - s.p_x],
            seed: self.seed,
            n_samples: self.empirical.total(),
            counts: rows(self.empirical.counts()),
            empirical_joint: self.empirical.table().map(|e| rows(e.table())),
            recent: self.recent.iter().map(|&(x, y)| [x, y]).collect(),
            max_samples: MAX_SAMPLES,
        }
    }
}
