//! A network on the GPU: its parameters, gradients and optimizer state ([`Parameters`], laid out
//! as the CPU's [`Mlp`] and [`Optimizer`] lay them out), its layers ([`Network`]), and the
//! forward and backward passes over a batch of a fixed number of rows ([`Pass`]), each a list
//! of dispatches of dense.wgsl built once.

use super::{uniform, Dispatch, Kernels};
use crate::gpu::{to_bytes, Gpu};
use crate::nn::{Activation, Gradients, Mlp, Optimizer};

/// Rows one workgroup adds up for a weight gradient (a multiple of dense.wgsl's TILE); a larger
/// batch is split into chunks of this many rows, added up in a second pass.
const CHUNK_ROWS: usize = 256;
/// The dense kernels' tile side (dense.wgsl's TILE).
const TILE: usize = 16;

/// A parameter vector on the GPU with its gradient and its optimizer's state.
#[derive(Clone, Debug)]
pub struct Parameters {
    pub len: usize,
    pub params: wgpu::Buffer,
    pub grads: wgpu::Buffer,
    /// Adam's first moment, or SGD's velocity.
    pub first: wgpu::Buffer,
    /// Adam's second moment (unused by SGD).
    pub second: wgpu::Buffer,
}

impl Parameters {
    /// Buffers for `len` parameters, zeroed.
    pub fn new(gpu: &Gpu, label: &str, len: usize) -> Self {
        Self {
            len,
            params: gpu.storage(&format!("{label} parameters"), len),
            grads: gpu.storage(&format!("{label} gradients"), len),
            first: gpu.storage(&format!("{label} first moment"), len),
            second: gpu.storage(&format!("{label} second moment"), len),
        }
    }

    /// Writes the CPU's parameters and optimizer state (moments or velocity) into the buffers.
    pub fn upload(&self, gpu: &Gpu, params: &[f32], optimizer: &Optimizer) {
        assert_eq!(params.len(), self.len, "parameters of another shape");
        gpu.write(&self.params, params);
        let (first, second) = optimizer.state();
        gpu.write(&self.first, first);
        if !second.is_empty() {
            gpu.queue.write_buffer(&self.second, 0, &to_bytes(second));
        }
    }

    /// The buffers a read-back needs to restore the CPU's copy: the parameters and the state.
    pub fn state_buffers(&self) -> [&wgpu::Buffer; 3] {
        [&self.params, &self.first, &self.second]
    }

    /// Writes read-back values (the parameters, the first and the second state vector, each
    /// `len` long) into the CPU's parameters and optimizer, with `steps` updates taken.
    pub fn write_back(values: &[f32], params: &mut [f32], optimizer: &mut Optimizer, steps: u32) {
        let len = params.len();
        params.copy_from_slice(&values[..len]);
        let (first, second, count) = optimizer.state_mut();
        first.copy_from_slice(&values[len..2 * len]);
        if !second.is_empty() {
            second.copy_from_slice(&values[2 * len..3 * len]);
        }
        *count = steps;
    }
}

/// One dense layer of a network on the GPU.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Layer {
    pub inputs: usize,
    pub outputs: usize,
    /// Where its weights start in the network's parameters.
    pub offset: usize,
    /// The activation after it.
    pub activation: Activation,
}

/// A multi-layer perceptron on the GPU: the shape of the CPU's [`Mlp`] and its parameters.
#[derive(Clone, Debug)]
pub struct Network {
    layers: Vec<Layer>,
    pub parameters: Parameters,
}

impl Network {
    /// The network `mlp` with its optimizer's state, uploaded.
    pub fn new(gpu: &Gpu, label: &str, mlp: &Mlp, optimizer: &Optimizer) -> Self {
        let config = mlp.config();
        let last = mlp.layers().len() - 1;
        let mut offset = 0;
        let layers = mlp
            .layers()
            .iter()
            .enumerate()
            .map(|(l, dense)| {
                let layer = Layer {
                    inputs: dense.inputs,
                    outputs: dense.outputs,
                    offset,
                    activation: if l == last {
                        config.output_activation
                    } else {
                        config.activation
                    },
                };
                offset += dense.param_count();
                layer
            })
            .collect();
        let parameters = Parameters::new(gpu, label, mlp.param_count());
        parameters.upload(gpu, mlp.params(), optimizer);
        Self { layers, parameters }
    }

    pub fn inputs(&self) -> usize {
        self.layers[0].inputs
    }

    pub fn outputs(&self) -> usize {
        self.layers[self.layers.len() - 1].outputs
    }

    /// Writes the CPU's network and optimizer state into the buffers (after the CPU trained).
    pub fn upload(&self, gpu: &Gpu, mlp: &Mlp, optimizer: &Optimizer) {
        self.parameters.upload(gpu, mlp.params(), optimizer);
    }
}

/// A forward pass of a network over `rows` rows of an input buffer, and optionally its backward
/// pass: the buffers of every layer's output and gradient, and the dispatches over them.
#[derive(Debug)]
pub struct Pass {
    rows: usize,
    /// Each layer's output (rows×outputs), after its activation.
    outputs: Vec<wgpu::Buffer>,
    /// dL/d(the network's output), where a loss writes its gradient.
    output_grad: wgpu::Buffer,
    /// dL/d(the network's input), when the backward pass computes it.
    input_grad: Option<wgpu::Buffer>,
    forward: Vec<Dispatch>,
    backward: Vec<Dispatch>,
}

impl Pass {
    /// The pass of `network` over the first `rows` rows of `input`; with `gradients`, also the
    /// backward pass from [`Pass::output_grad`], writing the parameter gradients into the
    /// network's gradient buffer and/or dL/dinput into `input_grad` (a buffer of its own when
    /// that is None).
    pub fn new(
        gpu: &Gpu,
        kernels: &Kernels,
        network: &Network,
        input: &wgpu::Buffer,
        rows: usize,
        gradients: Option<Gradients>,
        input_grad: Option<&wgpu::Buffer>,
    ) -> Self {
        let rows_groups = (rows as u32).div_ceil(TILE as u32);
        let tiles = |n: usize| (n as u32).div_ceil(TILE as u32);
        let params = &network.parameters;
        let outputs: Vec<wgpu::Buffer> = network
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| gpu.storage(&format!("layer {l} output"), rows * layer.outputs))
            .collect();
        let chunks = rows.div_ceil(CHUNK_ROWS).max(1);
        let shapes: Vec<wgpu::Buffer> = network
            .layers
            .iter()
            .map(|layer| {
                uniform(
                    gpu,
                    "layer",
                    &[
                        rows as u32,
                        layer.inputs as u32,
                        layer.outputs as u32,
                        layer.offset as u32,
                        layer.activation as u32,
                        CHUNK_ROWS as u32,
                        chunks as u32,
                        0,
                    ],
                )
            })
            .collect();
        let layer_input = |l: usize| if l == 0 { input } else { &outputs[l - 1] };
        let forward = network
            .layers
            .iter()
            .enumerate()
            .map(|(l, layer)| {
                Dispatch::new(
                    gpu,
                    &kernels.forward,
                    &[
                        (0, &shapes[l]),
                        (1, layer_input(l)),
                        (2, &params.params),
                        (3, &outputs[l]),
                    ],
                    [tiles(layer.outputs), rows_groups, 1],
                )
            })
            .collect();
        let last = network.layers.len() - 1;
        let output_grad = gpu.storage("output gradient", rows * network.layers[last].outputs);
        let want_params = matches!(gradients, Some(Gradients::Parameters | Gradients::Both));
        let want_input = matches!(gradients, Some(Gradients::Input | Gradients::Both));
        let input_grad = want_input.then(|| match input_grad {
            Some(buffer) => buffer.clone(),
            None => gpu.storage("input gradient", rows * network.layers[0].inputs),
        });
        let mut backward = Vec::new();
        if gradients.is_some() {
            let widest = network
                .layers
                .iter()
                .map(|l| l.inputs.max(l.outputs))
                .max()
                .unwrap_or(1);
            // dL/d(each hidden layer's output), alternating between two buffers downwards.
            let between = [
                gpu.storage("hidden gradient a", rows * widest),
                gpu.storage("hidden gradient b", rows * widest),
            ];
            let largest = network
                .layers
                .iter()
                .map(|l| (l.inputs + 1) * l.outputs)
                .max()
                .unwrap_or(1);
            let partials = gpu.storage("weight gradient partials", chunks * largest);
            for l in (0..=last).rev() {
                let layer = network.layers[l];
                let grad_y = if l == last {
                    &output_grad
                } else {
                    &between[l % 2]
                };
                if want_params {
                    backward.push(Dispatch::new(
                        gpu,
                        &kernels.weight_grads,
                        &[
                            (0, &shapes[l]),
                            (1, layer_input(l)),
                            (4, &outputs[l]),
                            (5, grad_y),
                            (6, &partials),
                        ],
                        [tiles(layer.outputs), tiles(layer.inputs + 1), chunks as u32],
                    ));
                    backward.push(Dispatch::new(
                        gpu,
                        &kernels.sum_partials,
                        &[(0, &shapes[l]), (6, &partials), (7, &params.grads)],
                        super::groups_for((layer.inputs + 1) * layer.outputs),
                    ));
                }
                let grad_x = match (l, &input_grad) {
                    (0, Some(buffer)) => buffer,
                    (0, None) => continue,
                    _ => &between[(l + 1) % 2],
                };
                backward.push(Dispatch::new(
                    gpu,
                    &kernels.input_grads,
                    &[
                        (0, &shapes[l]),
                        (2, &params.params),
                        (4, &outputs[l]),
                        (5, grad_y),
                        (8, grad_x),
                    ],
                    [tiles(layer.inputs), rows_groups, 1],
                ));
            }
        }
        Self {
            rows,
            outputs,
            output_grad,
            input_grad,
            forward,
            backward,
        }
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The network's output (rows×outputs) after [`Pass::forward`].
    pub fn output(&self) -> &wgpu::Buffer {
        &self.outputs[self.outputs.len() - 1]
    }

    /// Where a loss writes dL/d(the network's output) for [`Pass::backward`].
    pub fn output_grad(&self) -> &wgpu::Buffer {
        &self.output_grad
    }

    /// dL/d(the network's input) after a backward pass that computes it.
    pub fn input_grad(&self) -> Option<&wgpu::Buffer> {
        self.input_grad.as_ref()
    }

    pub fn forward(&self) -> &[Dispatch] {
        &self.forward
    }

    /// The backward pass (empty for a forward-only pass).
    pub fn backward(&self) -> &[Dispatch] {
        &self.backward
    }
}
