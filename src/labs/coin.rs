//! The coin lab: a coin of bias p flipped in batches of n, its running frequency and the
//! histogram of heads per batch against Binomial(n, p).
//!
//! Changing p or n replays the same uniform draws under the new setting (see
//! [`CoinExperiment`]), so both apply live; a new seed starts a new run.

use super::lab::{playing_setting, seed_setting, speed_setting, Entry, Model};
use super::schema::{ChoiceItem, Progress, Setting, Stepping};
use crate::field;
use crate::prob::coin::BATCH_N;
use crate::prob::coin_flips::{CoinExperiment, MAX_FLIPS};
use crate::prob::PROBABILITY;
use crate::range::number_text;
use serde::Serialize;

/// Batches per second while playing.
const SPEEDS: [f64; 12] = [
    1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0, 1000.0, 5000.0, 20000.0,
];

#[derive(Clone, Debug, PartialEq)]
pub struct CoinSettings {
    pub p: f64,
    pub batch_n: u32,
    pub seed: u64,
    pub speed: f64,
    pub playing: bool,
}

impl Default for CoinSettings {
    fn default() -> Self {
        Self {
            p: 0.5,
            batch_n: 10,
            seed: 42,
            speed: 10.0,
            playing: false,
        }
    }
}

/// The coin lab's state as plain data (see the README's automation API).
#[derive(Serialize)]
pub struct CoinSnapshot {
    pub p: f64,
    pub seed: u64,
    pub n_flips: u64,
    pub heads: u64,
    pub frequency: f64,
    pub batch_n: u32,
    pub n_batches: u64,
    pub histogram: Vec<u64>,
    pub pmf: Vec<f64>,
    pub entropy_bits: f64,
    pub binomial_mean: f64,
    pub binomial_variance: f64,
    pub max_flips: u64,
    pub history: History,
}

/// The running frequency at each recorded number of flips.
#[derive(Serialize)]
pub struct History {
    pub flips: Vec<f64>,
    pub frequency: Vec<f64>,
}

impl Model for CoinExperiment {
    type Settings = CoinSettings;
    type Snapshot = CoinSnapshot;
    const NAME: &'static str = "coin";

    fn entries() -> Vec<Entry<CoinSettings>> {
        vec![
            Setting::number("p", PROBABILITY)
                .label("Bias p = P(heads)")
                .help("The probability of heads. Changing it replays the same random draws under the new bias.")
                .group("Coin")
                .bind(field!(p)),
            Setting::number("batch_n", BATCH_N)
                .label("Flips per batch n")
                .help("The histogram counts heads in batches of n flips; the same flips are regrouped.")
                .group("Coin")
                .bind(field!(batch_n)),
            seed_setting("Starts a new run: the flips are drawn again from this seed.")
                .bind(field!(seed)),
            speed_setting(
                SPEEDS
                    .iter()
                    .map(|&v| {
                        let plural = if v == 1.0 { "" } else { "es" };
                        ChoiceItem::new(v, format!("{} batch{plural}/s", number_text(v)))
                    })
                    .collect(),
                "batches per second while playing",
            )
            .bind(field!(speed)),
            playing_setting().bind(field!(playing)),
        ]
    }

    fn progress() -> Progress {
        Progress {
            name: "flips",
            max: MAX_FLIPS,
            over_frames: false,
            unit: "flips",
        }
    }

    fn stepping() -> Stepping {
        Stepping {
            default: 1,
            max: MAX_FLIPS,
            unit: "batches of n flips",
        }
    }

    fn build(s: &CoinSettings) -> Result<Self, String> {
        CoinExperiment::new(s.p, s.batch_n, s.seed).map_err(|e| e.to_string())
    }

    fn apply_live(&mut self, s: &CoinSettings, name: &str) -> Result<(), String> {
        let result = match name {
            "p" => self.set_p(s.p),
            "batch_n" => self.set_batch_n(s.batch_n),
            _ => Ok(()),
        };
        result.map_err(|e| e.to_string())
    }

    /// Flips `n` batches; returns how many flips were made (fewer at the cap).
    fn step(&mut self, _: &CoinSettings, n: u64) -> Result<f64, String> {
        Ok(self.step_batches(n) as f64)
    }

    fn progress_count(&self) -> u64 {
        self.n_flips()
    }

    fn advance(&mut self, _: &CoinSettings, count: u64) -> Result<(), String> {
        self.flip(count);
        Ok(())
    }

    fn snapshot(&self, _: &CoinSettings) -> CoinSnapshot {
        CoinSnapshot {
            p: self.p(),
            seed: self.seed(),
            n_flips: self.n_flips(),
            heads: self.heads(),
            frequency: self.frequency(),
            batch_n: self.batches().n(),
            n_batches: self.n_batches(),
            histogram: self.histogram().to_vec(),
            pmf: self.batches().pmf_table(),
            entropy_bits: self.coin().entropy_bits(),
            binomial_mean: self.batches().mean(),
            binomial_variance: self.batches().variance(),
            max_flips: MAX_FLIPS,
            history: History {
                flips: self.history_flips().to_vec(),
                frequency: self.history_frequency().to_vec(),
            },
        }
    }
}
