//! A dense (fully connected) layer: y = x·W + b over a batch of rows.
//!
//! The layer owns no numbers: its weights and biases live in a slice handed in by the network
//! (all of a network's parameters sit in one flat vector, so an optimizer is a single loop).
//! Layout inside that slice: the weights as an inputs×outputs row-major matrix, then the biases.

use super::activation::Initialisation;
use super::matmul::{self, Strided, NARROW_MAX};
use crate::rng::{self, Rng};

/// The shape of one dense layer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dense {
    pub inputs: usize,
    pub outputs: usize,
}

impl Dense {
    pub fn new(inputs: usize, outputs: usize) -> Self {
        Self { inputs, outputs }
    }

    /// Weights plus biases.
    pub fn param_count(&self) -> usize {
        self.inputs * self.outputs + self.outputs
    }

    /// The scratch length [`Dense::forward`] and [`Dense::backward`] need.
    pub fn scratch_len(&self) -> usize {
        self.inputs * self.outputs
    }

    /// Draws fresh weights and zero biases into `params`.
    pub fn initialise(&self, params: &mut [f32], initialisation: Initialisation, rng: &mut Rng) {
        let (weights, biases) = params.split_at_mut(self.inputs * self.outputs);
        match initialisation {
            Initialisation::He => {
                let std = (2.0 / self.inputs as f64).sqrt();
                weights
                    .iter_mut()
                    .for_each(|w| *w = (std * rng::standard_normal(rng)) as f32);
            }
            Initialisation::Xavier => {
                let limit = (6.0 / (self.inputs + self.outputs) as f64).sqrt();
                weights
                    .iter_mut()
                    .for_each(|w| *w = (limit * (2.0 * rng::uniform(rng) - 1.0)) as f32);
            }
        }
        biases.fill(0.0);
    }

    /// `output` (batch×outputs) = `input` (batch×inputs) · W + b.
    pub fn forward(
        &self,
        params: &[f32],
        input: &[f32],
        batch: usize,
        output: &mut [f32],
        scratch: &mut [f32],
    ) {
        let (weights, biases) = params.split_at(self.inputs * self.outputs);
        if self.outputs <= NARROW_MAX {
            let transposed = &mut scratch[..self.inputs * self.outputs];
            matmul::transpose(self.inputs, self.outputs, weights, transposed);
            matmul::matmul_narrow(batch, self.outputs, self.inputs, input, transposed, output);
        } else {
            let a = Strided::rows(input, self.inputs);
            matmul::matmul(batch, self.outputs, self.inputs, a, weights, output);
        }
        for row in output.chunks_exact_mut(self.outputs).take(batch) {
            row.iter_mut().zip(biases).for_each(|(y, b)| *y += b);
        }
    }

    /// Backpropagates `output_grad` (batch×outputs): writes dL/dW and dL/db into `param_grads`
    /// and dL/dx into `input_grad` (batch×inputs), each only when asked for, overwriting.
    #[allow(clippy::too_many_arguments)]
    pub fn backward(
        &self,
        params: &[f32],
        input: &[f32],
        output_grad: &[f32],
        batch: usize,
        param_grads: Option<&mut [f32]>,
        input_grad: Option<&mut [f32]>,
        scratch: &mut [f32],
    ) {
        let (inputs, outputs) = (self.inputs, self.outputs);
        let weights = &params[..inputs * outputs];
        let scratch = &mut scratch[..inputs * outputs];
        if let Some(grads) = param_grads {
            let (weight_grads, bias_grads) = grads.split_at_mut(inputs * outputs);
            let output_grad_t = Strided::transposed(output_grad, outputs);
            if outputs <= NARROW_MAX {
                // dWᵀ = dYᵀ·X keeps the long dimension (inputs) as the tile's columns.
                matmul::matmul(outputs, inputs, batch, output_grad_t, input, scratch);
                matmul::transpose(outputs, inputs, scratch, weight_grads);
            } else {
                let input_t = Strided::transposed(input, inputs);
                matmul::matmul(inputs, outputs, batch, input_t, output_grad, weight_grads);
            }
            bias_grads.fill(0.0);
            for row in output_grad.chunks_exact(outputs).take(batch) {
                bias_grads.iter_mut().zip(row).for_each(|(b, g)| *b += g);
            }
        }
        if let Some(input_grad) = input_grad {
            if inputs <= NARROW_MAX {
                // dX = dY·Wᵀ, and the rows of W are exactly the rows of (Wᵀ)ᵀ.
                matmul::matmul_narrow(batch, inputs, outputs, output_grad, weights, input_grad);
            } else {
                matmul::transpose(inputs, outputs, weights, scratch);
                let a = Strided::rows(output_grad, outputs);
                matmul::matmul(batch, inputs, outputs, a, scratch, input_grad);
            }
        }
    }
}
