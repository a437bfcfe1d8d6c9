//! What the VAE lab draws: the fixed data set with its encodings and reconstructions
//! ([`Encodings`]), decoded draws from the prior, the decoder's image of a latent grid (the
//! manifold) and single decodings. The fixed sets come from a stream of their own, so drawing
//! them never changes the training run.

use super::{Vae, VaeConfig};
use crate::nn::fastmath;
use crate::rng::{self, Rng};
use crate::targets::Target;

/// Points in the fixed sets the views draw (data with reconstructions, prior samples).
pub const VIEW_POINTS: usize = 256;
/// The latent grid of the manifold view spans ± this many prior standard deviations.
pub const MANIFOLD_RANGE: f32 = 2.5;
/// Mixed into the seed for the fixed view sets, so they never share draws with training.
const VIEW_SEED_MIX: u64 = 0x9e37_79b9_7f4a_7c15;
/// Rows evaluated per batch when drawing the views.
pub(super) const VIEW_CHUNK: usize = 1024;

/// What the views show for the fixed data set: encodings and reconstructions.
#[derive(Clone, Debug, Default)]
pub struct Encodings {
    /// The data points (x, y pairs).
    pub data: Vec<f32>,
    /// Each point's encoder mean μ(x) (latent_dim numbers per point).
    pub means: Vec<f32>,
    /// Each point's encoder standard deviation σ(x) (latent_dim numbers per point).
    pub std_devs: Vec<f32>,
    /// decoder mean at z = μ(x) (x, y pairs): the reconstruction without sampling noise.
    pub reconstructions: Vec<f32>,
}

impl Encodings {
    /// The mean distance between each data point and its reconstruction.
    pub fn mean_reconstruction_error(&self) -> f32 {
        let total: f32 = self
            .data
            .chunks_exact(2)
            .zip(self.reconstructions.chunks_exact(2))
            .map(|(x, r)| ((x[0] - r[0]).powi(2) + (x[1] - r[1]).powi(2)).sqrt())
            .sum();
        total / (self.data.len() / 2).max(1) as f32
    }
}

impl Vae {
    /// Replaces the fixed prior draws of [`Vae::prior_samples`] by fresh ones, from a stream of
    /// their own: training goes on exactly as it would have.
    pub fn redraw_prior_samples(&mut self) {
        rng::fill_standard_normal(&mut self.view_rng, &mut self.view_prior_noise);
    }

    /// The fixed data set of the views with its encodings and reconstructions (decoder mean at
    /// the encoder mean), written into `out` (reusing its buffers).
    pub fn encodings(&mut self, out: &mut Encodings) {
        let l = self.config.latent_dim;
        out.data.clear();
        out.data.extend_from_slice(&self.view_data);
        out.means.clear();
        out.std_devs.clear();
        out.reconstructions.clear();
        for points in self.view_data.chunks(2 * VIEW_CHUNK) {
            let rows = points.len() / 2;
            let encoded = self
                .encoder
                .forward(&mut self.encoder_view_work, points, rows);
            for row in encoded.chunks_exact(2 * l) {
                let (mean, log_variance) = row.split_at(l);
                out.means.extend_from_slice(mean);
                out.std_devs
                    .extend(log_variance.iter().map(|&lv| fastmath::exp(0.5 * lv)));
            }
        }
        for means in out.means.chunks(l * VIEW_CHUNK) {
            let decoded = self
                .decoder
                .forward(&mut self.decoder_view_work, means, means.len() / l);
            out.reconstructions.extend_from_slice(decoded);
        }
    }

    /// The decoder's means for a fixed set of [`VIEW_POINTS`] draws from the prior N(0, I):
    /// new data the model generates (x, y pairs).
    pub fn prior_samples(&mut self) -> &[f32] {
        let l = self.config.latent_dim;
        self.view_out.clear();
        for noise in self.view_prior_noise.chunks(l * VIEW_CHUNK) {
            let decoded = self
                .decoder
                .forward(&mut self.decoder_view_work, noise, noise.len() / l);
            self.view_out.extend_from_slice(decoded);
        }
        &self.view_out
    }

    /// The decoder's mean at one latent point z (latent_dim numbers).
    pub fn decode(&mut self, z: &[f32]) -> [f32; 2] {
        assert_eq!(
            z.len(),
            self.config.latent_dim,
            "z is not latent_dim numbers"
        );
        let x = self.decoder.forward(&mut self.decoder_view_work, z, 1);
        [x[0], x[1]]
    }

    /// The decoder applied to a regular latent grid over ±[`MANIFOLD_RANGE`]: for a 1-D latent,
    /// `n` points along the line (a curve); for a 2-D latent, n×n points row by row (a warped
    /// sheet). Returns x, y pairs.
    pub fn manifold(&mut self, n: usize) -> &[f32] {
        let l = self.config.latent_dim;
        let coordinate = |i: usize| {
            if n <= 1 {
                0.0
            } else {
                -MANIFOLD_RANGE + 2.0 * MANIFOLD_RANGE * i as f32 / (n - 1) as f32
            }
        };
        let mut grid = Vec::with_capacity(l * n * n);
        if l == 1 {
            grid.extend((0..n).map(coordinate));
        } else {
            for row in 0..n {
                for column in 0..n {
                    grid.extend_from_slice(&[coordinate(column), coordinate(row)]);
                }
            }
        }
        self.view_out.clear();
        for latent in grid.chunks(l * VIEW_CHUNK) {
            let decoded =
                self.decoder
                    .forward(&mut self.decoder_view_work, latent, latent.len() / l);
            self.view_out.extend_from_slice(decoded);
        }
        &self.view_out
    }

    /// The mean distance between each fixed data point and its reconstruction.
    pub fn reconstruction_error(&mut self) -> f32 {
        let mut encodings = Encodings::default();
        self.encodings(&mut encodings);
        encodings.mean_reconstruction_error()
    }
}

/// The views' fixed data points and prior draws, and the stream later redraws come from.
pub(super) fn view_sets(config: &VaeConfig, target: &Target) -> (Vec<f32>, Vec<f32>, Rng) {
    let mut view_rng = rng::seeded(config.seed ^ VIEW_SEED_MIX);
    let mut data = vec![0.0; 2 * VIEW_POINTS];
    target.sample(&mut view_rng, &mut data);
    let mut prior_noise = vec![0.0; config.latent_dim * VIEW_POINTS];
    rng::fill_standard_normal(&mut view_rng, &mut prior_noise);
    (data, prior_noise, view_rng)
}
