//! The GPU path's plumbing on a real device (Mesa's lavapipe in CI): an adapter is found, a
//! kernel runs, and its result comes back. These tests never skip: a machine without a Vulkan
//! driver fails them (scripts/setup.sh installs one).

use genplay::gpu::{self, Readback};

const DOUBLE: &str = "
@group(0) @binding(0) var<storage, read_write> values: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
    if (id.x < arrayLength(&values)) { values[id.x] = 2.0 * values[id.x] + 1.0; }
}";

#[test]
fn a_kernel_runs_and_its_result_reads_back() {
    let gpu = gpu::acquire_blocking().expect("a Vulkan adapter (install mesa-vulkan-drivers)");
    assert!(!gpu.adapter.name.is_empty());
    let n = 1000;
    let input: Vec<f32> = (0..n).map(|i| i as f32 * 0.5).collect();
    let buffer = gpu.storage("values", n);
    gpu.write(&buffer, &input);
    let pipeline = gpu.pipeline("double", DOUBLE, "main");
    let bind = gpu.bind(&pipeline, &[&buffer]);
    let mut encoder = gpu.device.create_command_encoder(&Default::default());
    {
        let mut pass = encoder.begin_compute_pass(&Default::default());
        pass.set_pipeline(&pipeline);
        pass.set_bind_group(0, &bind, &[]);
        pass.dispatch_workgroups((n as u32).div_ceil(64), 1, 1);
    }
    let staging = Readback::staging(&gpu, "staging", n);
    let out = Readback::start(&gpu, encoder, &buffer, &staging, n)
        .wait(&gpu)
        .unwrap();
    for (i, (x, y)) in input.iter().zip(&out).enumerate() {
        assert_eq!(*y, 2.0 * x + 1.0, "value {i}");
    }
}
