//! What the labs that train (the GAN, the VAE, later the diffusion lab) share: how fast Play
//! runs, how a link records and replays their iterations, the slider positions of network
//! sizes and batches, a plot layer's schema entry, and a target of your own points (drawn or
//! imported from a CSV file).

use super::backend::{self, Active, Backend, GpuAccess};
use super::lab::{speed_setting, Binding, SettingType};
use super::schema::{ChoiceItem, InLink, Progress, Setting, Stepping, LAYERS};
use super::value::Value;
use crate::gpu::nn::run::{CpuCopy, GpuTraining};
use crate::gpu::{AdapterSummary, Gpu, Readback};
use crate::range::Range;
use crate::targets::{Shape, Target, TargetError, PLANE_HALF_WIDTH};
use std::rc::Rc;

/// The most points a drawing holds, and the most a link carries (a link must stay short).
pub const MAX_DRAWN_POINTS: usize = 3000;
pub const LINK_DRAWN_POINTS: usize = 300;

/// The `drawn_points` entry: the points of a target of your own (drawn, or a CSV file's),
/// written `points=x,y;...` in a link.
pub fn drawn_points_setting() -> Setting {
    let plane = Range::closed(-(PLANE_HALF_WIDTH as f64), PLANE_HALF_WIDTH as f64);
    Setting::points(
        "drawn_points",
        &["x", "y"],
        MAX_DRAWN_POINTS,
        LINK_DRAWN_POINTS,
    )
    .coordinates(plane)
    .label("Your drawing")
    .help("Points of a drawn target (at least one); the target becomes \"drawn\".")
    .group("Data")
    .link_name("points")
    .rebuilds()
}

/// Settings that hold a target and a drawing of one's own (the GAN's, the VAE's, the diffusion
/// lab's): what the `drawn_points` and `target` bindings below read and write.
pub trait WithTarget {
    fn target_parts(&self) -> (Shape, &Option<Rc<[f64]>>);
    fn target_parts_mut(&mut self) -> (&mut Shape, &mut Option<Rc<[f64]>>);
}

/// `drawn_points` bound to a lab's settings: the drawing while the target is drawn; setting
/// points makes them the target.
pub fn drawing_binding<S: WithTarget>() -> Binding<S> {
    (
        |s| {
            let (shape, drawing) = s.target_parts();
            drawing_value(shape, drawing)
        },
        |s, v| {
            let (shape, drawing) = s.target_parts_mut();
            *drawing = v.as_rows().cloned();
            *shape = Shape::Drawn;
            Ok(())
        },
    )
}

/// `target` bound to a lab's settings: "drawn" only once there is a drawing.
pub fn target_binding<S: WithTarget>() -> Binding<S> {
    (
        |s| s.target_parts().0.to_value(),
        |s, v| {
            let (shape, drawing) = s.target_parts_mut();
            *shape = target_shape(drawing, v)?;
            Ok(())
        },
    )
}

/// The value of `drawn_points`: the drawing while the target is drawn, else null.
fn drawing_value(shape: Shape, drawing: &Option<Rc<[f64]>>) -> Value {
    match (drawing, shape) {
        (Some(points), Shape::Drawn) => Value::Rows {
            columns: 2,
            data: points.clone(),
        },
        _ => Value::Null,
    }
}

/// The shape a `target` value names; "drawn" only once there is a drawing.
fn target_shape(drawing: &Option<Rc<[f64]>>, value: &Value) -> Result<Shape, String> {
    let shape = Shape::from_value(value);
    if shape == Shape::Drawn && drawing.is_none() {
        return Err(TargetError::EmptyDrawing.to_string());
    }
    Ok(shape)
}

/// The target of `shape`, with the drawing's points when it is drawn.
pub fn target_of(shape: Shape, drawing: &Option<Rc<[f64]>>) -> Result<Target, TargetError> {
    let drawing: Vec<f32> = drawing
        .iter()
        .flat_map(|d| d.iter().map(|&v| v as f32))
        .collect();
    Target::of_shape(shape, &drawing)
}

/// The most iterations one `step` call may run (a typo must not freeze the page for hours).
pub const MAX_STEPS_PER_CALL: u64 = 1_000_000;
/// The most iterations a link replays.
pub const MAX_LINK_ITERATIONS: u64 = 100_000;
/// The slider positions of the units per hidden layer and of the batch size.
pub const UNITS: [f64; 11] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 24.0, 32.0, 48.0, 64.0, 96.0, 128.0,
];
/// Batches above 1024 are there for the GPU (a CPU step at 16,384 takes about 64 times one at 256).
pub const BATCHES: [f64; 15] = [
    1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0, 2048.0, 4096.0, 8192.0,
    16384.0,
];

/// The smallest batch for which `backend = "auto"` trains a GAN or a VAE on a hardware GPU.
///
/// Chosen, not measured on hardware (the machines these figures come from have only software
/// adapters): an iteration on the GPU is some 40 to 60 kernel launches whose cost in a browser
/// hardly depends on the batch below a few thousand rows (a few microseconds each, so roughly
/// 0.3 to 1 ms per iteration, plus the read-back once per frame), while the CPU's iteration
/// grows with the batch from about 1.1 ms at 256 (the GAN, wasm; the VAE about half) to some
/// 9 ms at 2048. Below 2048 the CPU is at least as fast on most hardware; above it the GPU wins
/// by a growing factor. `make bench` prints both times for each batch.
pub const GPU_MIN_BATCH: usize = 2048;

/// The backend a lab that trains on `batch` rows runs on (see [`backend::choose`]). `strict`
/// (the `backend` setting itself is being set): an explicit "gpu" without a usable GPU is
/// refused. Otherwise the refusal becomes the note, and the lab stays on the CPU.
pub fn choose_backend(
    requested: Backend,
    access: &GpuAccess,
    batch: usize,
    strict: bool,
) -> Result<(Active, Option<String>), String> {
    let large = batch >= GPU_MIN_BATCH;
    let size = format!("batch {batch}");
    match backend::choose(requested, access, large, &size) {
        Ok(choice) => Ok(choice),
        Err(why) if strict => Err(why),
        // Not refused, only noted: why there is no GPU, as "auto" says it.
        Err(_) => backend::choose(Backend::Auto, access, large, &size),
    }
}

/// The GPU side of a lab that trains: its training on the device while the GPU is the
/// backend, the iteration count a step begun there trains up to, and where the lab runs.
pub struct OnGpu<G> {
    pub training: Option<G>,
    pub goal: Option<u64>,
    note: Option<String>,
    adapter: Option<AdapterSummary>,
}

impl<G> Default for OnGpu<G> {
    fn default() -> Self {
        OnGpu {
            training: None,
            goal: None,
            note: None,
            adapter: None,
        }
    }
}

impl<G: GpuTraining> OnGpu<G> {
    /// Before the CPU changes the run itself: a run on its way is dropped (the CPU's copy is as
    /// the last read-back left it), and the device's copy is uploaded again next time.
    pub fn cpu_takes_over(&mut self) {
        if let Some(training) = &mut self.training {
            let runs = training.runs_mut();
            runs.abandon();
            runs.mark_stale();
        }
        self.goal = None;
    }

    /// Runs where `choice` (from [`choose_backend`]) says: on `access`'s GPU, moved there by
    /// `make` unless it is there already, or on the CPU, whose copy is then the run (as of the
    /// last read-back: nothing to move).
    pub fn place(
        &mut self,
        (active, note): (Active, Option<String>),
        access: &GpuAccess,
        make: impl FnOnce(&Gpu) -> G,
    ) {
        match (active, access.gpu()) {
            (Active::Gpu, Some(gpu)) => {
                if !self.training.as_ref().is_some_and(|t| t.is_on(gpu)) {
                    self.training = Some(make(gpu));
                }
            }
            _ => self.failed(),
        }
        self.note = note;
        self.adapter = access.adapter();
    }

    /// The device failed (or the CPU was chosen): the run goes on on the CPU.
    pub fn failed(&mut self) {
        self.training = None;
        self.goal = None;
    }

    /// A step begun on the GPU: `n` more iterations after those already aimed at (or after
    /// `count`, the iterations done).
    pub fn aim(&mut self, count: u64, n: u64) -> u64 {
        *self.goal.insert(self.goal.unwrap_or(count) + n)
    }

    pub fn busy(&self) -> bool {
        self.training.as_ref().is_some_and(|t| t.runs().busy())
    }

    /// Goes on with a step begun on the GPU: takes in the run on its way once it is back, and
    /// starts the next one until the goal is reached (or the run diverged). Says what the run
    /// read back did, if one was, and the iteration count once the step is over; when the
    /// device failed, the message (the run goes on on the CPU, from `model`).
    pub fn drive(&mut self, model: &mut G::Model) -> Result<Driven<G::Done>, String> {
        let goal = self.goal;
        let Some(gpu) = self.training.as_mut() else {
            self.goal = None;
            return Ok(Driven {
                read: None,
                finished: Some(model.iteration_count() as f64),
            });
        };
        let read = gpu.finish(model).and_then(|done| {
            let Some(done) = done else {
                return Ok(None);
            };
            match goal {
                Some(goal) if model.iteration_count() < goal && model.diverged().is_none() => {
                    gpu.start(model, goal - model.iteration_count())?;
                }
                _ => {}
            }
            Ok(Some(done))
        });
        match read {
            Ok(read) => {
                let finished = if self.busy() {
                    None
                } else {
                    self.goal = None;
                    Some(model.iteration_count() as f64)
                };
                Ok(Driven { read, finished })
            }
            Err(failure) => {
                self.failed();
                Err(gpu_failed(failure, model.iteration_count()))
            }
        }
    }

    pub fn readback(&self) -> Option<&Readback> {
        self.training.as_ref().and_then(|t| t.runs().readback())
    }

    pub fn report(&self) -> backend::BackendReport {
        backend::BackendReport {
            backend: if self.training.is_some() {
                "gpu"
            } else {
                "cpu"
            },
            backend_note: self.note.clone(),
            gpu_adapter: self.adapter.clone(),
            step_ms: None,
        }
    }
}

/// What a frame of a step on the GPU came to ([`OnGpu::drive`]).
pub struct Driven<D> {
    /// What the run read back in this frame did (the views follow its weights), if one was.
    pub read: Option<D>,
    /// The iteration count, once the step is over (None while a run is on its way).
    pub finished: Option<f64>,
}

/// The message of a GPU that failed mid-run: why, and where the run goes on from.
pub fn gpu_failed(failure: impl std::fmt::Display, iteration: u64) -> String {
    format!("{failure}; the run goes on from iteration {iteration} on the CPU")
}

/// A link records how many iterations were trained; opening it replays them over the next
/// frames.
pub fn progress() -> Progress {
    Progress {
        name: "iterations",
        max: MAX_LINK_ITERATIONS,
        over_frames: true,
        unit: "iterations trained",
    }
}

/// `step(n)` trains n iterations, each described by `unit`.
pub fn stepping(unit: &'static str) -> Stepping {
    Stepping {
        default: 1,
        max: MAX_STEPS_PER_CALL,
        unit,
    }
}

/// A check box of a plot's layers, in a link only when switched off.
pub fn layer(name: &'static str, label: &'static str) -> Setting {
    Setting::boolean(name)
        .label(label)
        .group(LAYERS)
        .in_link(InLink::WhenChanged)
}

/// Flat x, y pairs as a list of points.
pub fn pairs(flat: &[f32]) -> Vec<[f32; 2]> {
    flat.chunks_exact(2).map(|p| [p[0], p[1]]).collect()
}

/// How fast a lab that trains plays: a number of iterations per animation frame, or as many as
/// fit the frame's compute budget.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum FrameSpeed {
    PerFrame(u32),
    Max,
}

impl SettingType for FrameSpeed {
    fn to_value(&self) -> Value {
        match self {
            FrameSpeed::PerFrame(n) => Value::Number(*n as f64),
            FrameSpeed::Max => Value::text("max"),
        }
    }
    fn from_value(value: &Value) -> Self {
        match value.as_number() {
            Some(n) => FrameSpeed::PerFrame(n as u32),
            None => FrameSpeed::Max,
        }
    }
}

/// The `speed` entry of a lab that trains: 1 to 50 iterations per frame, or "max".
pub fn frame_speed() -> Setting {
    let mut choices: Vec<ChoiceItem> = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0]
        .into_iter()
        .map(|n: f64| {
            let plural = if n == 1.0 { "" } else { "s" };
            ChoiceItem::new(n, format!("{n} iteration{plural}/frame"))
        })
        .collect();
    choices.push(ChoiceItem::new("max", "max (as many as fit a frame)"));
    speed_setting(choices, "iterations per frame while playing")
}
