//! Element-wise activation functions and their derivatives.
//!
//! Derivatives are written in terms of the activation's *output*, so a layer only has to keep
//! its outputs for the backward pass (ReLU: out > 0; tanh: 1 - out²; sigmoid: out (1 - out)).

use super::fastmath;
use crate::choice::Choice;

/// The slope of LeakyReLU for negative inputs; 0.2 is the usual choice in GANs.
pub const LEAKY_SLOPE: f32 = 0.2;

/// An activation applied after a dense layer. The numbers are the ones the GPU kernels use
/// (`Activation::Tanh as u32`; src/gpu/nn/dense.wgsl names them the same, and tests/gpu_nn.rs
/// checks that the two agree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum Activation {
    /// No activation: the layer stays linear (used for logits and generated coordinates).
    Identity = 0,
    Relu = 1,
    LeakyRelu = 2,
    Tanh = 3,
    Sigmoid = 4,
}

impl Choice for Activation {
    const ALL: &'static [Self] = &[
        Activation::LeakyRelu,
        Activation::Relu,
        Activation::Tanh,
        Activation::Sigmoid,
        Activation::Identity,
    ];

    fn api_name(self) -> &'static str {
        match self {
            Activation::Identity => "identity",
            Activation::Relu => "relu",
            Activation::LeakyRelu => "leaky_relu",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Activation::Identity => "none (linear)",
            Activation::Relu => "ReLU",
            Activation::LeakyRelu => "LeakyReLU",
            Activation::Tanh => "tanh",
            Activation::Sigmoid => "sigmoid",
        }
    }
}

impl Activation {
    /// The activation of a single number.
    pub fn of(self, x: f32) -> f32 {
        match self {
            Activation::Identity => x,
            Activation::Relu => x.max(0.0),
            Activation::LeakyRelu => {
                if x > 0.0 {
                    x
                } else {
                    LEAKY_SLOPE * x
                }
            }
            Activation::Tanh => fastmath::tanh(x),
            Activation::Sigmoid => fastmath::sigmoid(x),
        }
    }

    /// Replaces every pre-activation in `values` by its activation.
    pub fn apply(self, values: &mut [f32]) {
        // One loop per variant, so each one vectorises on its own.
        match self {
            Activation::Identity => {}
            Activation::Relu => values.iter_mut().for_each(|v| *v = v.max(0.0)),
            Activation::LeakyRelu => values
                .iter_mut()
                .for_each(|v| *v = if *v > 0.0 { *v } else { LEAKY_SLOPE * *v }),
            Activation::Tanh => values.iter_mut().for_each(|v| *v = fastmath::tanh(*v)),
            Activation::Sigmoid => values.iter_mut().for_each(|v| *v = fastmath::sigmoid(*v)),
        }
    }

    /// Turns gradients with respect to the outputs into gradients with respect to the
    /// pre-activations, given the outputs the forward pass produced.
    pub fn backward(self, outputs: &[f32], grads: &mut [f32]) {
        let pairs = grads.iter_mut().zip(outputs);
        match self {
            Activation::Identity => {}
            Activation::Relu => pairs.for_each(|(g, &y)| *g = if y > 0.0 { *g } else { 0.0 }),
            // The slope is positive, so the output has the sign of the input.
            Activation::LeakyRelu => {
                pairs.for_each(|(g, &y)| *g = if y > 0.0 { *g } else { LEAKY_SLOPE * *g })
            }
            Activation::Tanh => pairs.for_each(|(g, &y)| *g *= 1.0 - y * y),
            Activation::Sigmoid => pairs.for_each(|(g, &y)| *g *= y * (1.0 - y)),
        }
    }

    /// Initialisation suited to the activation: He for the ReLU family (which halves the
    /// variance it passes on), Xavier for the symmetric squashing functions and linear layers.
    pub fn initialisation(self) -> Initialisation {
        match self {
            Activation::Relu | Activation::LeakyRelu => Initialisation::He,
            Activation::Identity | Activation::Tanh | Activation::Sigmoid => Initialisation::Xavier,
        }
    }
}

/// How a dense layer's weights are first drawn (biases always start at zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Initialisation {
    /// Normal with variance 2 / fan_in.
    He,
    /// Uniform on ±sqrt(6 / (fan_in + fan_out)).
    Xavier,
}
