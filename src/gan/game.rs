//! The four games' losses on the discriminator's outputs, with their gradients: what each
//! network minimises in its own step. The GPU computes the same losses in
//! src/gpu/nn/gan_loss.wgsl, term by term as here.

use super::GanLoss;
use crate::nn::loss;

/// The discriminator's loss on its outputs for a batch of real samples then as many fakes
/// (`labels`: 1 then 0, `signs`: +1 then -1), written with its gradient into `grad`.
///
/// Each loss below averages over real and fake together; the discriminator's loss is the usual
/// sum of the real mean and the fake mean, twice that average.
pub fn discriminator_loss(
    game: GanLoss,
    outputs: &[f32],
    labels: &[f32],
    signs: &[f32],
    grad: &mut [f32],
) -> f32 {
    let average = match game {
        GanLoss::Minimax | GanLoss::NonSaturating => loss::bce_with_logits(outputs, labels, grad),
        GanLoss::LeastSquares => loss::least_squares(outputs, labels, grad),
        GanLoss::Hinge => loss::hinge(outputs, signs, grad),
    };
    grad.iter_mut().for_each(|g| *g *= 2.0);
    2.0 * average
}

/// The generator's loss on the discriminator's outputs for a batch of fakes (`ones` and `zeros`:
/// as many 1s and 0s), written with its gradient into `grad`.
pub fn generator_loss(
    game: GanLoss,
    outputs: &[f32],
    ones: &[f32],
    zeros: &[f32],
    grad: &mut [f32],
) -> f32 {
    match game {
        GanLoss::NonSaturating => loss::bce_with_logits(outputs, ones, grad),
        GanLoss::Minimax => {
            // Minimising log(1 - D(G(z))) is maximising the "fake" cross-entropy.
            let value = -loss::bce_with_logits(outputs, zeros, grad);
            grad.iter_mut().for_each(|g| *g = -*g);
            value
        }
        GanLoss::LeastSquares => loss::least_squares(outputs, ones, grad),
        GanLoss::Hinge => {
            let value = -loss::mean(outputs, grad);
            grad.iter_mut().for_each(|g| *g = -*g);
            value
        }
    }
}
