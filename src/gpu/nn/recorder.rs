//! Recording many training steps as one submission: the CPU's numbers for every step (its random
//! draws, its optimizer factors) go up in one buffer write, each step's commands copy their share
//! into the buffers the kernels read, and whatever must come back (each step's losses, the last
//! batches, the weights) is copied into one buffer that is read back once, at the end.
//!
//! A buffer write lands before the *next* submission's commands, so writing each step's draws
//! straight into the kernels' buffers would leave only the last step's; copies recorded between
//! the dispatches keep every step's own numbers.

use super::Dispatch;
use crate::gpu::{to_bytes, Gpu, Readback};

/// Bytes per f32.
const F32: u64 = 4;

/// The commands of a run of steps, being recorded.
pub struct Recorder {
    encoder: wgpu::CommandEncoder,
    /// Everything uploaded, in the order the steps take it.
    uploads: Vec<f32>,
    upload: wgpu::Buffer,
    upload_capacity: usize,
    /// What the read-back will hold.
    gather: wgpu::Buffer,
    gathered: usize,
    gather_capacity: usize,
}

impl Recorder {
    /// A recording that uploads at most `upload_len` and reads back at most `gather_len` f32s.
    pub fn new(gpu: &Gpu, upload_len: usize, gather_len: usize) -> Self {
        Self {
            encoder: gpu
                .device
                .create_command_encoder(&wgpu::CommandEncoderDescriptor::default()),
            uploads: Vec::with_capacity(upload_len),
            upload: gpu.storage("uploads", upload_len),
            upload_capacity: upload_len,
            gather: gpu.storage("read-back", gather_len),
            gathered: 0,
            gather_capacity: gather_len,
        }
    }

    /// Puts `values` into `target` from f32 `at` on, at this point of the commands.
    pub fn upload(&mut self, values: &[f32], target: &wgpu::Buffer, at: usize) {
        let from = self.uploads.len();
        assert!(
            from + values.len() <= self.upload_capacity,
            "uploads beyond the recording's capacity"
        );
        self.uploads.extend_from_slice(values);
        let upload = self.upload.clone();
        self.copy(&upload, from, target, at, values.len());
    }

    /// Records `dispatches` in one compute pass.
    pub fn run<'a>(&mut self, dispatches: impl IntoIterator<Item = &'a Dispatch>) {
        super::record(&mut self.encoder, dispatches);
    }

    /// Copies `len` f32s from `source` (from `from` on) into `target` (from `at` on).
    pub fn copy(
        &mut self,
        source: &wgpu::Buffer,
        from: usize,
        target: &wgpu::Buffer,
        at: usize,
        len: usize,
    ) {
        if len > 0 {
            self.encoder.copy_buffer_to_buffer(
                source,
                from as u64 * F32,
                target,
                at as u64 * F32,
                len as u64 * F32,
            );
        }
    }

    /// Adds `len` f32s of `source` (from `from` on) to the read-back, as it is at this point of
    /// the commands; returns where they will be in it.
    pub fn gather(&mut self, source: &wgpu::Buffer, from: usize, len: usize) -> usize {
        let at = self.gathered;
        assert!(
            at + len <= self.gather_capacity,
            "a read-back beyond the recording's capacity"
        );
        let gather = self.gather.clone();
        self.copy(source, from, &gather, at, len);
        self.gathered += len;
        at
    }

    /// Uploads the CPU's numbers, submits the commands and starts reading back what was
    /// gathered.
    pub fn finish(self, gpu: &Gpu) -> Readback {
        if !self.uploads.is_empty() {
            gpu.queue
                .write_buffer(&self.upload, 0, &to_bytes(&self.uploads));
        }
        let staging = Readback::staging(gpu, "read-back staging", self.gathered);
        Readback::start(gpu, self.encoder, &self.gather, &staging, self.gathered)
    }
}
