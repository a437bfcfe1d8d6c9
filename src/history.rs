//! Training curves that stay small however long a run lasts.
//!
//! [`Curves`] records N numbers per iteration (losses, a distance, the ELBO's terms). When
//! `capacity` entries are reached, every other one is dropped and from then on only every
//! `stride`-th iteration is recorded, the stride doubling each time: memory stays bounded and
//! the kept iterations stay evenly spaced, which is what a chart of a long run needs.

#[derive(Clone, Debug)]
pub struct Curves<const N: usize> {
    capacity: usize,
    stride: u64,
    iterations: Vec<u64>,
    series: [Vec<f32>; N],
}

impl<const N: usize> Curves<N> {
    /// Empty curves holding at most `capacity` (at least 2) entries.
    pub fn new(capacity: usize) -> Self {
        let capacity = capacity.max(2);
        Self {
            capacity,
            stride: 1,
            iterations: Vec::with_capacity(capacity),
            series: std::array::from_fn(|_| Vec::with_capacity(capacity)),
        }
    }

    pub fn clear(&mut self) {
        self.stride = 1;
        self.iterations.clear();
        self.series.iter_mut().for_each(Vec::clear);
    }

    /// Records `values` after `iteration` if it falls on the current stride.
    pub fn record(&mut self, iteration: u64, values: [f32; N]) {
        if !iteration.is_multiple_of(self.stride) {
            return;
        }
        if self.iterations.len() == self.capacity {
            self.stride *= 2;
            let keep: Vec<bool> = self
                .iterations
                .iter()
                .map(|i| i.is_multiple_of(self.stride))
                .collect();
            let thin = |values: &mut Vec<f32>| {
                let mut flags = keep.iter();
                values.retain(|_| *flags.next().expect("one flag per entry"));
            };
            self.series.iter_mut().for_each(thin);
            let mut flags = keep.iter();
            self.iterations
                .retain(|_| *flags.next().expect("one flag per entry"));
            if !iteration.is_multiple_of(self.stride) {
                return;
            }
        }
        self.iterations.push(iteration);
        for (series, value) in self.series.iter_mut().zip(values) {
            series.push(value);
        }
    }

    /// The iteration numbers of the recorded entries.
    pub fn iterations(&self) -> &[u64] {
        &self.iterations
    }

    /// The `index`-th recorded number at each of [`Self::iterations`].
    pub fn series(&self, index: usize) -> &[f32] {
        &self.series[index]
    }

    pub fn len(&self) -> usize {
        self.iterations.len()
    }

    /// The stride, the recorded iterations and the series: what a saved run holds of them
    /// (src/state.rs).
    pub fn parts(&self) -> (u64, &[u64], &[Vec<f32>; N]) {
        (self.stride, &self.iterations, &self.series)
    }

    /// Curves of this capacity holding `parts` (as [`Curves::parts`] gave them), refused unless
    /// they are curves this capacity could have recorded.
    pub fn with_parts(
        &self,
        stride: u64,
        iterations: Vec<u64>,
        series: [Vec<f32>; N],
    ) -> Result<Self, String> {
        let fits = stride.is_power_of_two()
            && iterations.len() <= self.capacity
            && iterations.iter().all(|i| i.is_multiple_of(stride))
            && iterations.windows(2).all(|w| w[0] < w[1])
            && series.iter().all(|s| s.len() == iterations.len());
        if !fits {
            return Err("the training state's curves are not curves of this run".into());
        }
        Ok(Self {
            capacity: self.capacity,
            stride,
            iterations,
            series,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.iterations.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thins_to_its_capacity_keeping_evenly_spaced_iterations_and_their_values() {
        let mut curves = Curves::<2>::new(8);
        for it in 1..=100u64 {
            curves.record(it, [it as f32, -(it as f32)]);
        }
        let its = curves.iterations();
        assert!((4..=8).contains(&its.len()), "{its:?}");
        assert!(its.windows(2).all(|w| w[1] - w[0] == 16), "{its:?}");
        for (k, &it) in its.iter().enumerate() {
            assert_eq!(curves.series(0)[k], it as f32);
            assert_eq!(curves.series(1)[k], -(it as f32));
        }
        curves.clear();
        assert!(curves.is_empty());
        curves.record(1, [1.0, 1.0]);
        assert_eq!(curves.iterations(), &[1], "the stride starts again at 1");
    }
}
