//! Reading a small result back from the GPU: a copy into a mappable staging buffer, then a map
//! that completes later. Natively it completes during `device.poll`, so [`Readback::wait`]
//! blocks for it; in a browser it completes only after control returns to the event loop, so
//! the page awaits [`Readback::ready`] and then calls [`Readback::take`], and never spins.

use super::{from_bytes, Gpu, GpuError};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

#[derive(Default)]
struct State {
    /// Set by the map's callback: Ok once the staging buffer can be read.
    done: Option<Result<(), String>>,
    waker: Option<Waker>,
}

/// A result on its way back from the GPU.
pub struct Readback {
    staging: wgpu::Buffer,
    len: usize,
    state: Arc<Mutex<State>>,
}

impl Readback {
    /// A staging buffer for reading back `len` f32 values (one per reader, reused each time).
    pub fn staging(gpu: &Gpu, label: &str, len: usize) -> wgpu::Buffer {
        gpu.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some(label),
            size: (len.max(1) * 4) as u64,
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        })
    }

    /// Adds to `encoder` a copy of the first `len` values of `source` into `staging`, submits
    /// it, and starts mapping `staging`.
    pub fn start(
        gpu: &Gpu,
        mut encoder: wgpu::CommandEncoder,
        source: &wgpu::Buffer,
        staging: &wgpu::Buffer,
        len: usize,
    ) -> Readback {
        let bytes = (len.max(1) * 4) as u64;
        encoder.copy_buffer_to_buffer(source, 0, staging, 0, bytes);
        gpu.queue.submit([encoder.finish()]);
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        staging
            .slice(..bytes)
            .map_async(wgpu::MapMode::Read, move |result| {
                let mut state = shared.lock().unwrap_or_else(|e| e.into_inner());
                state.done = Some(result.map_err(|e| e.to_string()));
                if let Some(waker) = state.waker.take() {
                    waker.wake();
                }
            });
        Readback {
            staging: staging.clone(),
            len,
            state,
        }
    }

    /// Whether the values can be taken now.
    pub fn is_ready(&self) -> bool {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .done
            .is_some()
    }

    /// Resolves once the values can be taken (for the browser, where nothing may block).
    pub fn ready(&self) -> impl Future<Output = ()> + 'static {
        Ready {
            state: Arc::clone(&self.state),
        }
    }

    /// The values, once [`Readback::ready`] has resolved (or [`Readback::is_ready`] says so).
    pub fn take(self) -> Result<Vec<f32>, GpuError> {
        let done = self
            .state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .done
            .take();
        match done {
            Some(Ok(())) => {
                let bytes = (self.len.max(1) * 4) as u64;
                let values = {
                    let view = self
                        .staging
                        .slice(..bytes)
                        .get_mapped_range()
                        .map_err(|e| GpuError::Failed(e.to_string()))?;
                    from_bytes(&view)
                };
                self.staging.unmap();
                Ok(values[..self.len].to_vec())
            }
            Some(Err(why)) => Err(GpuError::Lost(why)),
            None => Err(GpuError::Failed(
                "the read-back was taken before it was ready".into(),
            )),
        }
    }

    /// Waits for the device, then takes the values (native only: a browser cannot block).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn wait(self, gpu: &Gpu) -> Result<Vec<f32>, GpuError> {
        gpu.device
            .poll(wgpu::PollType::wait_indefinitely())
            .map_err(|e| GpuError::Lost(e.to_string()))?;
        self.take()
    }
}

struct Ready {
    state: Arc<Mutex<State>>,
}

impl Future for Ready {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        if state.done.is_some() {
            Poll::Ready(())
        } else {
            state.waker = Some(cx.waker().clone());
            Poll::Pending
        }
    }
}
