//! The coin lab's experiment: a stream of seeded flips, their running frequency of heads, and a
//! histogram of heads per batch of n flips.
//!
//! The flips are driven by one seeded stream of uniform numbers u₁, u₂, …, and flip i is heads
//! exactly when uᵢ < p. Changing p or the batch size replays the same stream, so a student who
//! drags p sees the same luck under a different bias (a coupled simulation) instead of a fresh
//! random picture every time.

use super::coin::{Bernoulli, Binomial};
use super::ParamError;
use crate::rng::{self, Rng};
use std::collections::VecDeque;

/// Every flip up to this many is kept in the frequency history; after it, only flips that grow
/// the count by about 1%, which keeps the history under a few thousand points for any run.
const DENSE_HISTORY: u64 = 500;
const HISTORY_GROWTH: f64 = 1.01;

/// The most flips one experiment holds, so that replaying it after a change of p stays within a
/// frame (a few milliseconds).
pub const MAX_FLIPS: u64 = 1_000_000;

/// How many of the latest flips are kept for the lab's strip of coins.
pub const RECENT_FLIPS: usize = 40;

#[derive(Debug, Clone)]
pub struct CoinExperiment {
    coin: Bernoulli,
    batches: Binomial,
    seed: u64,
    rng: Rng,
    n_flips: u64,
    heads: u64,
    heads_in_open_batch: u32,
    flips_in_open_batch: u32,
    /// histogram[k] = number of completed batches with exactly k heads.
    histogram: Vec<u64>,
    history_flips: Vec<f64>,
    history_frequency: Vec<f64>,
    /// The latest flips, oldest first (true = heads).
    recent: VecDeque<bool>,
}

impl CoinExperiment {
    pub fn new(p: f64, batch_n: u32, seed: u64) -> Result<Self, ParamError> {
        let coin = Bernoulli::new(p)?;
        let batches = Binomial::new(batch_n, p)?;
        Ok(Self {
            coin,
            batches,
            seed,
            rng: rng::seeded(seed),
            n_flips: 0,
            heads: 0,
            heads_in_open_batch: 0,
            flips_in_open_batch: 0,
            histogram: vec![0; batch_n as usize + 1],
            history_flips: Vec::new(),
            history_frequency: Vec::new(),
            recent: VecDeque::with_capacity(RECENT_FLIPS),
        })
    }

    /// Flips `count` more coins (fewer if the experiment would pass [`MAX_FLIPS`]); returns how
    /// many were flipped.
    pub fn flip(&mut self, count: u64) -> u64 {
        let count = count.min(MAX_FLIPS - self.n_flips);
        let n = self.batches.n();
        for _ in 0..count {
            let heads = self.coin.flip(rng::uniform(&mut self.rng));
            self.n_flips += 1;
            self.heads += heads as u64;
            self.heads_in_open_batch += heads as u32;
            self.flips_in_open_batch += 1;
            if self.flips_in_open_batch == n {
                self.histogram[self.heads_in_open_batch as usize] += 1;
                self.heads_in_open_batch = 0;
                self.flips_in_open_batch = 0;
            }
            if self.recent.len() == RECENT_FLIPS {
                self.recent.pop_front();
            }
            self.recent.push_back(heads);
            self.record_history();
        }
        count
    }

    /// Flips `batches` whole batches of n flips.
    pub fn step_batches(&mut self, batches: u64) -> u64 {
        self.flip(batches.saturating_mul(self.batches.n() as u64))
    }

    fn record_history(&mut self) {
        let n = self.n_flips as f64;
        let due = match self.history_flips.last() {
            None => true,
            Some(&last) => self.n_flips <= DENSE_HISTORY || n >= (last * HISTORY_GROWTH).ceil(),
        };
        if due {
            self.history_flips.push(n);
            self.history_frequency.push(self.frequency());
        }
    }

    /// Starts again from zero flips with a new seed, keeping p and the batch size.
    pub fn reset(&mut self, seed: u64) {
        *self = Self::new(self.coin.p(), self.batches.n(), seed).expect("parameters were valid");
    }

    /// Sets the coin's bias and replays the same flips under it.
    pub fn set_p(&mut self, p: f64) -> Result<(), ParamError> {
        let replayed = Self::new(p, self.batches.n(), self.seed)?;
        self.replace_and_replay(replayed);
        Ok(())
    }

    /// Sets the number of flips per batch and regroups the same flips into batches of that size.
    pub fn set_batch_n(&mut self, batch_n: u32) -> Result<(), ParamError> {
        let replayed = Self::new(self.coin.p(), batch_n, self.seed)?;
        self.replace_and_replay(replayed);
        Ok(())
    }

    fn replace_and_replay(&mut self, mut fresh: Self) {
        fresh.flip(self.n_flips);
        *self = fresh;
    }

    pub fn p(&self) -> f64 {
        self.coin.p()
    }
    pub fn coin(&self) -> &Bernoulli {
        &self.coin
    }
    pub fn batches(&self) -> &Binomial {
        &self.batches
    }
    pub fn seed(&self) -> u64 {
        self.seed
    }
    pub fn n_flips(&self) -> u64 {
        self.n_flips
    }
    pub fn heads(&self) -> u64 {
        self.heads
    }
    pub fn n_batches(&self) -> u64 {
        self.histogram.iter().sum()
    }
    pub fn is_full(&self) -> bool {
        self.n_flips >= MAX_FLIPS
    }

    /// Heads divided by flips; 0 before the first flip.
    pub fn frequency(&self) -> f64 {
        if self.n_flips == 0 {
            0.0
        } else {
            self.heads as f64 / self.n_flips as f64
        }
    }

    pub fn histogram(&self) -> &[u64] {
        &self.histogram
    }
    /// The flip counts at which the running frequency was recorded.
    pub fn history_flips(&self) -> &[f64] {
        &self.history_flips
    }
    /// The latest flips (at most [`RECENT_FLIPS`]), oldest first; true is heads.
    pub fn recent_flips(&self) -> impl Iterator<Item = bool> + '_ {
        self.recent.iter().copied()
    }
    /// The running frequency of heads at each of [`Self::history_flips`].
    pub fn history_frequency(&self) -> &[f64] {
        &self.history_frequency
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frequency_is_within_four_sigma_of_p() {
        for (i, p) in [0.05, 0.2, 0.5, 0.77, 0.95].into_iter().enumerate() {
            let mut e = CoinExperiment::new(p, 10, 100 + i as u64).unwrap();
            let n = 100_000;
            e.flip(n);
            let sigma = (p * (1.0 - p) / n as f64).sqrt();
            assert!(
                (e.frequency() - p).abs() < 4.0 * sigma,
                "p={p} frequency={}",
                e.frequency()
            );
        }
    }

    #[test]
    fn same_seed_gives_the_same_flips_and_another_seed_does_not() {
        let run = |seed| {
            let mut e = CoinExperiment::new(0.5, 7, seed).unwrap();
            e.step_batches(300);
            (e.heads(), e.histogram().to_vec())
        };
        assert_eq!(run(42), run(42));
        assert_ne!(run(42), run(43));
    }

    #[test]
    fn batch_histogram_matches_the_binomial_pmf() {
        let (n, p) = (20, 0.3);
        let mut e = CoinExperiment::new(p, n, 5).unwrap();
        let batches = 20_000u64;
        e.step_batches(batches);
        assert_eq!(e.n_batches(), batches);
        assert_eq!(e.n_flips(), batches * n as u64);
        let pmf = e.batches().pmf_table();
        // Each bin's count is Binomial(batches, pmf[k]); allow 4 standard deviations plus one.
        for (k, (&count, &q)) in e.histogram().iter().zip(&pmf).enumerate() {
            let expected = batches as f64 * q;
            let sd = (batches as f64 * q * (1.0 - q)).sqrt();
            assert!(
                (count as f64 - expected).abs() <= 4.0 * sd + 1.0,
                "k={k} count={count} expected={expected}"
            );
        }
    }

    #[test]
    fn changing_p_replays_the_same_luck() {
        let mut e = CoinExperiment::new(0.3, 10, 9).unwrap();
        e.flip(5_000);
        let heads_at_low_p = e.heads();
        e.set_p(0.6).unwrap();
        assert_eq!(e.n_flips(), 5_000, "the flip count is kept");
        // Every flip that was heads at p = 0.3 (u < 0.3) is still heads at p = 0.6.
        assert!(e.heads() > heads_at_low_p);
        let mut fresh = CoinExperiment::new(0.6, 10, 9).unwrap();
        fresh.flip(5_000);
        assert_eq!(e.heads(), fresh.heads());
        assert_eq!(e.histogram(), fresh.histogram());
    }

    #[test]
    fn history_starts_dense_then_thins_and_ends_at_the_current_count() {
        let mut e = CoinExperiment::new(0.5, 10, 1).unwrap();
        e.flip(MAX_FLIPS + 10);
        assert_eq!(e.n_flips(), MAX_FLIPS, "the experiment stops at its cap");
        assert!(e.is_full());
        let h = e.history_flips();
        assert_eq!(&h[..3], &[1.0, 2.0, 3.0]);
        assert!(h.len() < 2_000, "history has {} points", h.len());
        assert!(h.windows(2).all(|w| w[0] < w[1]));
        assert!(*h.last().unwrap() >= MAX_FLIPS as f64 / HISTORY_GROWTH);
    }

    #[test]
    fn recent_flips_are_the_last_ones_and_agree_with_the_head_count() {
        let mut e = CoinExperiment::new(0.5, 10, 4).unwrap();
        e.flip(10);
        let first: Vec<bool> = e.recent_flips().collect();
        assert_eq!(first.len(), 10);
        assert_eq!(first.iter().filter(|&&h| h).count() as u64, e.heads());
        e.flip(100);
        let last: Vec<bool> = e.recent_flips().collect();
        assert_eq!(last.len(), RECENT_FLIPS);
        let mut replay = CoinExperiment::new(0.5, 10, 4).unwrap();
        replay.flip(110 - RECENT_FLIPS as u64);
        let before = replay.heads();
        replay.flip(RECENT_FLIPS as u64);
        let heads_in_window = last.iter().filter(|&&h| h).count() as u64;
        assert_eq!(replay.heads() - before, heads_in_window);
    }

    #[test]
    fn invalid_settings_leave_the_experiment_unchanged() {
        let mut e = CoinExperiment::new(0.4, 10, 3).unwrap();
        e.flip(100);
        let before = (e.p(), e.heads(), e.histogram().to_vec());
        assert_eq!(e.set_p(f64::NAN).unwrap_err().name, "p");
        assert_eq!(e.set_batch_n(0).unwrap_err().name, "batch_n");
        assert_eq!(before, (e.p(), e.heads(), e.histogram().to_vec()));
    }
}
