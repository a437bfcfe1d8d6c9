//! What a VAE learns from, [`Source`]: 2-D points from a target distribution, modelled by a
//! Gaussian decoder with a learned variance, or labelled images, modelled by a Bernoulli decoder
//! (one logit per pixel, trained on the binary cross-entropy). It fixes the data's dimension,
//! how a batch is drawn, and what the decoder's outputs mean.

use crate::images::ImageSet;
use crate::nn::fastmath;
use crate::rng::Rng;
use crate::targets::Target;
use std::sync::Arc;

/// The data a VAE trains on.
#[derive(Clone, Debug)]
pub enum Source {
    Points(Target),
    Images(Arc<ImageSet>),
}

impl From<Target> for Source {
    fn from(target: Target) -> Self {
        Source::Points(target)
    }
}

impl From<Arc<ImageSet>> for Source {
    fn from(images: Arc<ImageSet>) -> Self {
        Source::Images(images)
    }
}

impl Source {
    /// Numbers per example: 2 for a point, one per pixel for an image.
    pub fn dim(&self) -> usize {
        match self {
            Source::Points(_) => 2,
            Source::Images(images) => images.pixels(),
        }
    }

    pub fn is_images(&self) -> bool {
        matches!(self, Source::Images(_))
    }

    pub fn images(&self) -> Option<&ImageSet> {
        match self {
            Source::Images(images) => Some(images),
            Source::Points(_) => None,
        }
    }

    /// Fills `out` (a whole number of examples) with a training batch.
    pub fn sample(&self, rng: &mut Rng, out: &mut [f32]) {
        match self {
            Source::Points(target) => target.sample(rng, out),
            Source::Images(images) => images.sample(rng, out),
        }
    }

    /// Turns the decoder's outputs into the mean of p(x | z) in place: the Gaussian's mean is
    /// the output itself; a Bernoulli's is sigmoid(logit), the pixel's grey level.
    pub fn to_means(&self, outputs: &mut [f32]) {
        if self.is_images() {
            outputs.iter_mut().for_each(|v| *v = fastmath::sigmoid(*v));
        }
    }
}
