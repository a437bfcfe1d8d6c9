//! What the VAE lab draws: the fixed data set with its encodings and reconstructions
//! ([`Encodings`]), decoded draws from the prior, the decoder's image of a latent grid (the
//! manifold for points, the decoded grid of images), the decoded straight path between two
//! encodings (an interpolation) and single decodings. Every decoding is the mean of p(x | z):
//! a point, or an image of grey levels. The fixed sets come from a stream of their own, so
//! drawing them never changes the training run.

use super::{Source, Vae, VaeConfig};
use crate::nn::{fastmath, loss};
use crate::rng::{self, Rng};

/// Points in the fixed sets the views draw for points (data with reconstructions, prior samples).
pub const VIEW_POINTS: usize = 256;
/// The most images whose encodings the latent map shows (the first of the set).
pub const VIEW_IMAGES: usize = 500;
/// Of larger images, as many as hold this many pixels (256 glyphs of 28×28): the views are
/// encoded again after every step, on the page's thread while the worker trains.
pub const VIEW_PIXELS: usize = 256 * 784;
/// Images of the view set that are also reconstructed (the originals-beside-reconstructions
/// view, and the reconstruction error), and draws from the prior decoded into images.
pub const RECONSTRUCTED_IMAGES: usize = 32;
/// The latent grid of the manifold view spans ± this many prior standard deviations.
pub const MANIFOLD_RANGE: f32 = 2.5;
/// Mixed into the seed for the fixed view sets, so they never share draws with training.
const VIEW_SEED_MIX: u64 = 0x9e37_79b9_7f4a_7c15;
/// Rows evaluated per batch when drawing the views.
pub(super) const VIEW_CHUNK: usize = 256;

/// What the views show for the fixed data set: encodings and reconstructions.
#[derive(Clone, Debug, Default)]
pub struct Encodings {
    /// The examples, one after the other (x, y pairs, or images).
    pub data: Vec<f32>,
    /// The class of each image (empty for points).
    pub labels: Vec<u8>,
    /// Each example's encoder mean μ(x) (latent_dim numbers per example).
    pub means: Vec<f32>,
    /// Each example's encoder standard deviation σ(x) (latent_dim numbers per example).
    pub std_devs: Vec<f32>,
    /// The decoder's mean at z = μ(x): the reconstruction without sampling noise. Every point
    /// is reconstructed; of images, the first [`RECONSTRUCTED_IMAGES`].
    pub reconstructions: Vec<f32>,
    /// Points: the mean distance from each point to its reconstruction. Images: the mean binary
    /// cross-entropy per pixel of the reconstructed images (nats).
    pub reconstruction_error: f32,
}

impl Vae {
    /// Replaces the fixed prior draws of [`Vae::prior_samples`] by fresh ones, from a stream of
    /// their own: training goes on exactly as it would have.
    pub fn redraw_prior_samples(&mut self) {
        rng::fill_standard_normal(&mut self.view_rng, &mut self.view_prior_noise);
    }

    /// Runs `latent` (rows of latent_dim numbers) through the decoder into `out` as means of
    /// p(x | z), appending.
    fn decode_into(&mut self, latent: &[f32], out: &mut Vec<f32>) {
        let l = self.config.latent_dim;
        for rows in latent.chunks(l * VIEW_CHUNK) {
            let decoded = self
                .decoder
                .forward(&mut self.decoder_view_work, rows, rows.len() / l);
            let start = out.len();
            out.extend_from_slice(decoded);
            self.source.to_means(&mut out[start..]);
        }
    }

    /// The fixed data set of the views with its encodings and reconstructions (decoder mean at
    /// the encoder mean), written into `out` (reusing its buffers).
    pub fn encodings(&mut self, out: &mut Encodings) {
        let l = self.config.latent_dim;
        let d = self.source.dim();
        out.data.clear();
        out.data.extend_from_slice(&self.view_data);
        out.labels.clear();
        out.labels.extend_from_slice(&self.view_labels);
        out.means.clear();
        out.std_devs.clear();
        out.reconstructions.clear();
        for examples in self.view_data.chunks(d * VIEW_CHUNK) {
            let rows = examples.len() / d;
            let encoded = self
                .encoder
                .forward(&mut self.encoder_view_work, examples, rows);
            for row in encoded.chunks_exact(2 * l) {
                let (mean, log_variance) = row.split_at(l);
                out.means.extend_from_slice(mean);
                out.std_devs
                    .extend(log_variance.iter().map(|&lv| fastmath::exp(0.5 * lv)));
            }
        }
        if self.source.is_images() {
            let shown = RECONSTRUCTED_IMAGES.min(self.view_labels.len());
            let means = &out.means[..shown * l];
            let logits = self
                .decoder
                .forward(&mut self.decoder_view_work, means, shown);
            // The error from the logits themselves: a probability rounded to 0 or 1 is never logged.
            let mut unused = vec![0.0; logits.len()];
            let log_likelihood =
                loss::bernoulli_log_likelihood(&self.view_data[..shown * d], logits, &mut unused);
            out.reconstruction_error = -log_likelihood / (shown * d).max(1) as f32;
            out.reconstructions.extend_from_slice(logits);
            self.source.to_means(&mut out.reconstructions);
        } else {
            let means = std::mem::take(&mut out.means);
            self.decode_into(&means, &mut out.reconstructions);
            out.means = means;
            let total: f32 = out
                .data
                .chunks_exact(2)
                .zip(out.reconstructions.chunks_exact(2))
                .map(|(x, r)| ((x[0] - r[0]).powi(2) + (x[1] - r[1]).powi(2)).sqrt())
                .sum();
            out.reconstruction_error = total / (out.data.len() / 2).max(1) as f32;
        }
    }

    /// The decoder's means for a fixed set of draws from the prior N(0, I) ([`VIEW_POINTS`]
    /// points, or [`RECONSTRUCTED_IMAGES`] images): new data the model generates.
    pub fn prior_samples(&mut self) -> &[f32] {
        let noise = std::mem::take(&mut self.view_prior_noise);
        let mut out = std::mem::take(&mut self.view_out);
        out.clear();
        self.decode_into(&noise, &mut out);
        self.view_prior_noise = noise;
        self.view_out = out;
        &self.view_out
    }

    /// The decoder's mean at one latent point z (latent_dim numbers): a point or an image.
    pub fn decode(&mut self, z: &[f32]) -> &[f32] {
        assert_eq!(
            z.len(),
            self.config.latent_dim,
            "z is not latent_dim numbers"
        );
        let mut out = std::mem::take(&mut self.view_out);
        out.clear();
        self.decode_into(z, &mut out);
        self.view_out = out;
        &self.view_out
    }

    /// The latent coordinates of a regular grid over ±[`MANIFOLD_RANGE`]: for a 1-D latent, `n`
    /// points along the line; otherwise n×n points row by row (the first coordinate along a
    /// row), in the latent coordinates `dims`, the others at 0. Rows of latent_dim numbers.
    pub fn latent_grid(&self, n: usize, dims: [usize; 2]) -> Vec<f32> {
        let l = self.config.latent_dim;
        let coordinate = |i: usize| {
            if n <= 1 {
                0.0
            } else {
                -MANIFOLD_RANGE + 2.0 * MANIFOLD_RANGE * i as f32 / (n - 1) as f32
            }
        };
        if l == 1 {
            return (0..n).map(coordinate).collect();
        }
        assert!(dims[0] < l && dims[1] < l, "a shown dimension ≥ latent_dim");
        let mut grid = vec![0.0; l * n * n];
        for (k, z) in grid.chunks_exact_mut(l).enumerate() {
            // Rows run from the top of the plane (high second coordinate) down, as an image's.
            z[dims[0]] = coordinate(k % n);
            z[dims[1]] = coordinate(n - 1 - k / n);
        }
        grid
    }

    /// The decoder applied to [`Vae::latent_grid`]: for points a curve or a warped sheet (x, y
    /// pairs), for images the decoded grid, image after image.
    pub fn manifold(&mut self, n: usize, dims: [usize; 2]) -> &[f32] {
        let grid = self.latent_grid(n, dims);
        let mut out = std::mem::take(&mut self.view_out);
        out.clear();
        self.decode_into(&grid, &mut out);
        self.view_out = out;
        &self.view_out
    }

    /// The decodings of `steps` (at least 2) evenly spaced points on the straight latent path
    /// from the encoder mean of view example `from` to that of `to`, ends included.
    pub fn interpolation(&mut self, from: usize, to: usize, steps: usize) -> &[f32] {
        let (l, d) = (self.config.latent_dim, self.source.dim());
        let count = self.view_data.len() / d;
        assert!(from < count && to < count, "an example beyond the view set");
        let mut ends = Vec::with_capacity(2 * d);
        ends.extend_from_slice(&self.view_data[from * d..(from + 1) * d]);
        ends.extend_from_slice(&self.view_data[to * d..(to + 1) * d]);
        let encoded = self.encoder.forward(&mut self.encoder_view_work, &ends, 2);
        let (a, b) = (&encoded[..l], &encoded[2 * l..3 * l]);
        let steps = steps.max(2);
        let path: Vec<f32> = (0..steps)
            .flat_map(|s| {
                let t = s as f32 / (steps - 1) as f32;
                (0..l).map(move |j| a[j] + t * (b[j] - a[j]))
            })
            .collect();
        let mut out = std::mem::take(&mut self.view_out);
        out.clear();
        self.decode_into(&path, &mut out);
        self.view_out = out;
        &self.view_out
    }

    /// The reconstruction error of the view set (see [`Encodings::reconstruction_error`]).
    pub fn reconstruction_error(&mut self) -> f32 {
        let mut encodings = Encodings::default();
        self.encodings(&mut encodings);
        encodings.reconstruction_error
    }
}

/// The views' fixed examples with their classes, the prior draws, and the stream later redraws
/// come from.
pub(super) fn view_sets(config: &VaeConfig, source: &Source) -> (Vec<f32>, Vec<u8>, Vec<f32>, Rng) {
    let mut view_rng = rng::seeded(config.seed ^ VIEW_SEED_MIX);
    let (data, labels, draws) = match source {
        Source::Points(target) => {
            let mut data = vec![0.0; 2 * VIEW_POINTS];
            target.sample(&mut view_rng, &mut data);
            (data, Vec::new(), VIEW_POINTS)
        }
        Source::Images(images) => {
            let count = VIEW_IMAGES
                .min(VIEW_PIXELS / images.pixels())
                .min(images.len());
            let d = images.pixels();
            let mut data = vec![0.0; count * d];
            for (i, image) in data.chunks_exact_mut(d).enumerate() {
                images.write(i, image);
            }
            (
                data,
                images.labels()[..count].to_vec(),
                RECONSTRUCTED_IMAGES,
            )
        }
    };
    let mut prior_noise = vec![0.0; config.latent_dim * draws];
    rng::fill_standard_normal(&mut view_rng, &mut prior_noise);
    (data, labels, prior_noise, view_rng)
}
