//! The GAN's training curves: the discriminator's and the generator's losses and the distance to
//! the target per iteration, thinned as the run grows.

use crate::history::Curves;

/// The D loss, G loss and distance per iteration, thinned as the run grows (see [`Curves`]).
#[derive(Clone, Debug)]
pub struct History(pub(crate) Curves<3>);

impl History {
    /// An empty history holding at most `capacity` (at least 2) entries.
    pub fn new(capacity: usize) -> Self {
        Self(Curves::new(capacity))
    }

    pub fn clear(&mut self) {
        self.0.clear();
    }

    /// Records the values after `iteration` if it falls on the current stride.
    pub fn record(
        &mut self,
        iteration: u64,
        discriminator_loss: f32,
        generator_loss: f32,
        distance: f32,
    ) {
        self.0
            .record(iteration, [discriminator_loss, generator_loss, distance]);
    }

    /// The iteration numbers of the recorded entries.
    pub fn iterations(&self) -> &[u64] {
        self.0.iterations()
    }

    pub fn discriminator_loss(&self) -> &[f32] {
        self.0.series(0)
    }

    pub fn generator_loss(&self) -> &[f32] {
        self.0.series(1)
    }

    pub fn distance(&self) -> &[f32] {
        self.0.series(2)
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_thins_to_its_capacity_and_keeps_evenly_spaced_iterations() {
        let mut history = History::new(8);
        for it in 0..100u64 {
            history.record(it, it as f32, -(it as f32), 0.0);
        }
        assert!(
            history.len() <= 8 && history.len() >= 4,
            "{}",
            history.len()
        );
        let its = history.iterations();
        let step = its[1] - its[0];
        assert!(its.windows(2).all(|w| w[1] - w[0] == step), "{its:?}");
        assert_eq!(step, 16);
        assert!(history
            .discriminator_loss()
            .iter()
            .zip(its)
            .all(|(l, &i)| *l == i as f32));
    }
}
