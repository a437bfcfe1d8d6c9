//! The run of training steps a network trainer has on its way on the GPU (the GAN's and the
//! VAE's share it): its read-back and the plan of where the results lie in it, one run at a
//! time because each starts from the weights the last one left on the device; and whether the
//! CPU's copy changed since it was uploaded (a step on the CPU), so the next run uploads it first.

use super::RunFailed;
use crate::gpu::{Gpu, Readback};

/// A trainer's record of one run: how many iterations it holds (lost if the device fails).
pub trait Planned {
    fn iterations(&self) -> u64;
}

/// The CPU's copy of a run a trainer moves onto the GPU (the views draw from it, and it is the
/// run when the GPU fails).
pub trait CpuCopy {
    /// Whole iterations trained.
    fn iteration_count(&self) -> u64;
    /// Why training stopped, once it diverged.
    fn diverged(&self) -> Option<&str>;
}

/// A network trainer on the GPU, as the labs drive it.
pub trait GpuTraining {
    type Plan: Planned;
    /// The run it trains.
    type Model: CpuCopy;
    /// What a run read back did (at least how many iterations it trained).
    type Done;
    /// The device it trains on.
    fn device(&self) -> &Gpu;
    fn runs(&self) -> &InFlight<Self::Plan>;
    fn runs_mut(&mut self) -> &mut InFlight<Self::Plan>;
    /// Records and submits up to `iterations` iterations of `model` and starts reading them
    /// back; returns how many it started, or the device's failure (then nothing is recorded).
    fn start(&mut self, model: &Self::Model, iterations: u64) -> Result<u64, RunFailed>;
    /// Once the read-back is in: writes the run's results into `model` and says what it did.
    /// `Ok(None)` while the read-back is on its way; an error when the GPU failed (`model` is
    /// then as the last read-back left it).
    fn finish(&mut self, model: &mut Self::Model) -> Result<Option<Self::Done>, RunFailed>;

    /// Whether this training runs on `gpu`'s device.
    fn is_on(&self, gpu: &Gpu) -> bool {
        self.device().device == gpu.device
    }
}

/// The run on its way, if any, and whether the device's copy is out of date.
pub struct InFlight<P> {
    pending: Option<(Readback, P)>,
    stale: bool,
}

impl<P> Default for InFlight<P> {
    fn default() -> Self {
        InFlight {
            pending: None,
            stale: false,
        }
    }
}

impl<P: Planned> InFlight<P> {
    /// Before recording a run: there is none on its way, and the device has not failed (then
    /// nothing is recorded and no iteration is lost).
    pub fn ready(&self, gpu: &Gpu) -> Result<(), RunFailed> {
        assert!(self.pending.is_none(), "one run at a time");
        match gpu.failure() {
            Some(error) => Err(RunFailed { error, lost: 0 }),
            None => Ok(()),
        }
    }

    /// A run was submitted: its results will arrive in `readback`, laid out as `plan` says.
    pub fn begin(&mut self, readback: Readback, plan: P) {
        self.pending = Some((readback, plan));
    }

    /// The CPU's copy changed: upload it before the next run.
    pub fn mark_stale(&mut self) {
        self.stale = true;
    }

    /// Whether the next run must upload the CPU's copy first (asking clears it).
    pub fn take_stale(&mut self) -> bool {
        std::mem::take(&mut self.stale)
    }

    /// Forgets the run on its way, if any (the CPU's copy is as the last read-back left it);
    /// returns how many iterations it held.
    pub fn abandon(&mut self) -> u64 {
        self.pending.take().map_or(0, |(_, plan)| plan.iterations())
    }

    /// The read-back the run on its way waits for.
    pub fn readback(&self) -> Option<&Readback> {
        self.pending.as_ref().map(|(readback, _)| readback)
    }

    pub fn busy(&self) -> bool {
        self.pending.is_some()
    }

    /// Once the read-back is in, `commit`s the run's results; `idle` when there was none on its
    /// way, `Ok(None)` while it is still coming, and an error when the device failed meanwhile
    /// (then its own failure says best what went wrong, whatever the read-back holds).
    pub fn finish<T>(
        &mut self,
        gpu: &Gpu,
        idle: T,
        commit: impl FnOnce(P, &[f32]) -> T,
    ) -> Result<Option<T>, RunFailed> {
        match &self.pending {
            None => return Ok(Some(idle)),
            Some((readback, _)) if !readback.is_ready() => return Ok(None),
            Some(_) => {}
        }
        let (readback, plan) = self.pending.take().expect("checked above");
        match (readback.take(), gpu.failure()) {
            (Ok(values), None) => Ok(Some(commit(plan, &values))),
            (_, Some(error)) | (Err(error), None) => Err(RunFailed {
                error,
                lost: plan.iterations(),
            }),
        }
    }
}
