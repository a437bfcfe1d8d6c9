//! A multi-layer perceptron: dense layers with one activation between them.
//!
//! The [`Mlp`] owns the parameters and their gradients, each as one flat vector. The numbers a
//! pass produces on its way (activations, intermediate gradients, scratch) live in a separate
//! [`Workspace`], allocated once for a batch capacity and reused every step; one network can
//! have several workspaces, so drawing a view never disturbs a half-finished training step.

use super::activation::Activation;
use super::dense::Dense;
use crate::prob::ParamError;
use crate::range::Range;
use crate::rng::Rng;

/// The most hidden layers a network may have.
pub const MAX_HIDDEN_LAYERS: usize = 4;
/// The most units a hidden layer of the small networks on points may have (the labs' range).
pub const MAX_HIDDEN_UNITS: usize = 128;
/// The most units any hidden layer may have (an image VAE's layers are wider).
pub const MAX_NETWORK_UNITS: usize = 1024;
/// The hidden layers a network may have, from none to [`MAX_HIDDEN_LAYERS`].
pub const HIDDEN_LAYERS: Range = Range::whole(0, MAX_HIDDEN_LAYERS as u64);
/// The units a hidden layer may have.
pub const HIDDEN_UNITS: Range = Range::whole(1, MAX_HIDDEN_UNITS as u64);

/// The shape of a multi-layer perceptron.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MlpConfig {
    pub inputs: usize,
    /// From 0 (a single linear layer) to [`MAX_HIDDEN_LAYERS`].
    pub hidden_layers: usize,
    /// From 1 to [`MAX_NETWORK_UNITS`].
    pub hidden_units: usize,
    pub outputs: usize,
    /// After every hidden layer.
    pub activation: Activation,
    /// After the last layer (usually [`Activation::Identity`]).
    pub output_activation: Activation,
}

impl MlpConfig {
    /// Checks every size, naming the first one out of range.
    pub fn validate(&self) -> Result<(), ParamError> {
        if self.inputs == 0 {
            return Err(ParamError::new("inputs", self.inputs, "at least 1"));
        }
        if self.outputs == 0 {
            return Err(ParamError::new("outputs", self.outputs, "at least 1"));
        }
        if self.hidden_layers > MAX_HIDDEN_LAYERS {
            return Err(ParamError::new(
                "hidden_layers",
                self.hidden_layers,
                "a whole number from 0 to 4",
            ));
        }
        if self.hidden_units == 0 || self.hidden_units > MAX_NETWORK_UNITS {
            return Err(ParamError::new(
                "hidden_units",
                self.hidden_units,
                "a whole number from 1 to 1024",
            ));
        }
        Ok(())
    }
}

/// Which gradients a backward pass should produce.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gradients {
    /// Only dL/dparameters (training this network).
    Parameters,
    /// Only dL/dinput (passing the gradient through a network that is not being trained).
    Input,
    /// Both.
    Both,
}

/// A multi-layer perceptron with its parameters and their gradients.
#[derive(Clone, Debug)]
pub struct Mlp {
    config: MlpConfig,
    layers: Vec<Dense>,
    /// Where each layer's parameters start in `params` (and its gradients in `grads`).
    offsets: Vec<usize>,
    params: Vec<f32>,
    grads: Vec<f32>,
}

impl Mlp {
    /// A network with freshly initialised parameters drawn from `rng`.
    pub fn new(config: MlpConfig, rng: &mut Rng) -> Result<Self, ParamError> {
        config.validate()?;
        let mut widths = vec![config.inputs];
        widths.extend(std::iter::repeat_n(
            config.hidden_units,
            config.hidden_layers,
        ));
        widths.push(config.outputs);
        let layers: Vec<Dense> = widths.windows(2).map(|w| Dense::new(w[0], w[1])).collect();
        let mut offsets = Vec::with_capacity(layers.len());
        let mut total = 0;
        for layer in &layers {
            offsets.push(total);
            total += layer.param_count();
        }
        let mut mlp = Self {
            config,
            layers,
            offsets,
            params: vec![0.0; total],
            grads: vec![0.0; total],
        };
        mlp.initialise(rng);
        Ok(mlp)
    }

    /// Draws fresh parameters (He or Xavier by the activation that follows each layer).
    pub fn initialise(&mut self, rng: &mut Rng) {
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let following = if l == last {
                self.config.output_activation
            } else {
                self.config.activation
            };
            let range = self.offsets[l]..self.offsets[l] + layer.param_count();
            layer.initialise(&mut self.params[range], following.initialisation(), rng);
        }
        self.grads.fill(0.0);
    }

    pub fn config(&self) -> &MlpConfig {
        &self.config
    }

    pub fn layers(&self) -> &[Dense] {
        &self.layers
    }

    pub fn param_count(&self) -> usize {
        self.params.len()
    }

    /// All parameters: each layer's weights (inputs×outputs, row-major) then biases, layer by layer.
    pub fn params(&self) -> &[f32] {
        &self.params
    }

    pub fn params_mut(&mut self) -> &mut [f32] {
        &mut self.params
    }

    /// The gradients from the last backward pass that asked for them, laid out like `params`.
    pub fn grads(&self) -> &[f32] {
        &self.grads
    }

    /// Parameters and gradients together, for an optimizer step.
    pub fn params_and_grads(&mut self) -> (&mut [f32], &[f32]) {
        (&mut self.params, &self.grads)
    }

    /// The Euclidean norm of the parameter gradients.
    pub fn grad_norm(&self) -> f32 {
        super::matmul::dot(&self.grads, &self.grads).sqrt()
    }

    /// Buffers for batches of up to `capacity` rows (they grow if a larger batch comes).
    pub fn workspace(&self, capacity: usize) -> Workspace {
        let mut workspace = Workspace::default();
        workspace.reserve(self, capacity.max(1));
        workspace
    }

    /// Runs `batch` rows of `input` (batch×inputs, row-major) through the network and returns
    /// the outputs (batch×outputs), which stay in the workspace for the backward pass.
    pub fn forward<'w>(
        &self,
        workspace: &'w mut Workspace,
        input: &[f32],
        batch: usize,
    ) -> &'w [f32] {
        assert_eq!(
            input.len(),
            batch * self.config.inputs,
            "input is not batch×inputs"
        );
        workspace.reserve(self, batch);
        workspace.batch = batch;
        workspace.activations[0][..input.len()].copy_from_slice(input);
        let last = self.layers.len() - 1;
        for (l, layer) in self.layers.iter().enumerate() {
            let (before, after) = workspace.activations.split_at_mut(l + 1);
            let x = &before[l][..batch * layer.inputs];
            let y = &mut after[0][..batch * layer.outputs];
            let params = &self.params[self.offsets[l]..self.offsets[l] + layer.param_count()];
            layer.forward(params, x, batch, y, &mut workspace.scratch);
            let activation = if l == last {
                self.config.output_activation
            } else {
                self.config.activation
            };
            activation.apply(y);
        }
        &workspace.activations[last + 1][..batch * self.config.outputs]
    }

    /// Backpropagates `output_grad` = dL/doutputs (batch×outputs) through the last forward
    /// pass made with `workspace`. Parameter gradients overwrite [`Mlp::grads`]; the input
    /// gradient lands in [`Workspace::input_grad`].
    pub fn backward(&mut self, workspace: &mut Workspace, output_grad: &[f32], wanted: Gradients) {
        let batch = workspace.batch;
        let outputs = self.config.outputs;
        assert_eq!(
            output_grad.len(),
            batch * outputs,
            "gradient is not batch×outputs"
        );
        let want_params = wanted != Gradients::Input;
        let want_input = wanted != Gradients::Parameters;
        let last = self.layers.len() - 1;
        let Workspace {
            activations,
            grad_out,
            grad_in,
            input_grad,
            scratch,
            ..
        } = workspace;
        grad_out[..batch * outputs].copy_from_slice(output_grad);
        self.config.output_activation.backward(
            &activations[last + 1][..batch * outputs],
            &mut grad_out[..batch * outputs],
        );
        for l in (0..=last).rev() {
            let layer = self.layers[l];
            let range = self.offsets[l]..self.offsets[l] + layer.param_count();
            let x = &activations[l][..batch * layer.inputs];
            let dy = &grad_out[..batch * layer.outputs];
            let param_grads = want_params.then(|| &mut self.grads[range.clone()]);
            let dx = if l > 0 {
                Some(&mut grad_in[..batch * layer.inputs])
            } else {
                want_input.then(|| &mut input_grad[..batch * layer.inputs])
            };
            layer.backward(&self.params[range], x, dy, batch, param_grads, dx, scratch);
            if l > 0 {
                let dx = &mut grad_in[..batch * layer.inputs];
                self.config
                    .activation
                    .backward(&activations[l][..batch * layer.inputs], dx);
                std::mem::swap(grad_out, grad_in);
            }
        }
    }
}

/// The buffers of forward and backward passes, sized once for a batch capacity.
#[derive(Clone, Debug, Default)]
pub struct Workspace {
    capacity: usize,
    batch: usize,
    /// activations[0] is the input; activations[l + 1] is layer l's output.
    activations: Vec<Vec<f32>>,
    grad_out: Vec<f32>,
    grad_in: Vec<f32>,
    input_grad: Vec<f32>,
    scratch: Vec<f32>,
}

impl Workspace {
    /// Makes room for `batch` rows of `mlp`; allocates only when the capacity grows.
    fn reserve(&mut self, mlp: &Mlp, batch: usize) {
        if batch <= self.capacity && self.activations.len() == mlp.layers.len() + 1 {
            return;
        }
        let capacity = batch.max(self.capacity);
        let widest = mlp
            .layers
            .iter()
            .map(|l| l.inputs.max(l.outputs))
            .max()
            .unwrap_or(1);
        self.activations = std::iter::once(mlp.config.inputs)
            .chain(mlp.layers.iter().map(|l| l.outputs))
            .map(|width| vec![0.0; capacity * width])
            .collect();
        self.grad_out = vec![0.0; capacity * widest];
        self.grad_in = vec![0.0; capacity * widest];
        self.input_grad = vec![0.0; capacity * mlp.config.inputs];
        self.scratch = vec![0.0; mlp.layers.iter().map(Dense::scratch_len).max().unwrap_or(0)];
        self.capacity = capacity;
    }

    /// The outputs of the last forward pass (batch×outputs).
    pub fn output(&self) -> &[f32] {
        let last = self.activations.last().map_or(&[][..], |a| a.as_slice());
        &last[..self.batch * (last.len() / self.capacity.max(1))]
    }

    /// dL/dinput from the last backward pass that asked for it (batch×inputs).
    pub fn input_grad(&self) -> &[f32] {
        &self.input_grad[..self.batch * (self.input_grad.len() / self.capacity.max(1))]
    }
}
