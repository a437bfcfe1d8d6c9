//! The EM lab: a Gaussian mixture fitted by EM one half-step at a time, to a preset data set
//! (drawn from the seed) or to your own points, in 2-D or (the "1d" preset) in 1-D.
//!
//! Any change of the data, K, the covariance type, the start or the seed restarts EM from a fresh
//! initialisation. A setting the core refuses (K above the number of points, a data set EM
//! cannot fit) is refused with the core's message and changes nothing. Clicking a point in or
//! clearing the points is always kept: when EM cannot start on the result (no points, fewer
//! points than K), the lab keeps the points and records the core's message in `problem` until
//! the data allow a fit again.
//!
//! The E-steps run on the CPU or on the GPU (`backend`; see [`compute`]); the M-steps always run
//! on the CPU, so both backends take the same half-steps and a run moves between them intact.

mod compute;

pub use compute::CROSSOVER_POINTS_TIMES_COMPONENTS;

use super::backend::{backend_setting, Backend, BackendReport, GpuAccess};
use super::lab::{playing_setting, seed_setting, speed_setting, Entry, Lab, Model, SettingType};
use super::schema::{ChoiceItem, Control, InLink, Progress, Setting, Stepping};
use super::transfer::numbers;
use super::value::Value;
use crate::choice::Choice;
use crate::field;
use crate::mixture::{
    information_criteria, presets, CovarianceType, Dataset, Em, EmOptions, GaussianMixture,
    HalfStep, Init, Kernel, MixtureError, ResponsibilityExplanation,
};
use crate::range::{number_text, Range};
use crate::state::{Reader, Writer};
use serde::Serialize;
use std::rc::Rc;

/// Runs `$body` with `$fit` bound to the 2-D or the 1-D fit, whichever `$space` holds.
macro_rules! with_fit {
    ($space:expr, $fit:ident => $body:expr) => {
        match $space {
            Space::Two($fit) => $body,
            Space::One($fit) => $body,
        }
    };
}

/// The most components the lab offers (one colour each: www/ui/plot.js, componentColors; the
/// GPU kernel takes as many).
pub const MAX_K: u64 = 16;
const _: () = assert!(MAX_K as usize <= crate::gpu::em::MAX_COMPONENTS);
pub const K: Range = Range::whole(1, MAX_K);
/// Points in each preset.
pub const PRESET_POINTS: usize = 600;
/// The largest data set the lab takes, so that a runaway data set cannot exhaust the page's
/// memory (the bench fits 100,000 points).
pub const MAX_POINTS: usize = 1_000_000;
/// Your own data sets of up to this many points travel in links (a link has to stay short).
pub const LINK_POINTS: usize = 200;
/// The most half-steps one `step(n)` does.
pub const MAX_STEPS_PER_CALL: u64 = 1_000_000;
/// The most half-steps a link replays (at once, on opening it).
pub const MAX_LINK_STEPS: u64 = 10_000;
/// Above this many points the n×K responsibilities are not stored (the fast kernel skips them);
/// drawing then colours the points under the mixture the last E-step used.
const KEEP_RESPONSIBILITIES_UP_TO: usize = 20_000;
/// The most points drawn: larger data sets are drawn through an evenly spaced sample.
const MAX_DRAWN: usize = 20_000;
/// EM iterations per second while playing.
const SPEEDS: [f64; 7] = [1.0, 2.0, 5.0, 10.0, 30.0, 100.0, 1000.0];

/// Where the data come from: a preset drawn with the seed, or your own points.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    Blobs,
    Anisotropic,
    Unbalanced,
    Overlapping,
    Ring,
    OneD,
    /// Your own points: clicked in, given to `set("points", ...)`, or a preset's points kept.
    Custom,
}

impl Choice for Preset {
    const ALL: &'static [Self] = &[
        Preset::Blobs,
        Preset::Anisotropic,
        Preset::Unbalanced,
        Preset::Overlapping,
        Preset::Ring,
        Preset::OneD,
        Preset::Custom,
    ];

    fn api_name(self) -> &'static str {
        match self {
            Preset::Blobs => "blobs",
            Preset::Anisotropic => "anisotropic",
            Preset::Unbalanced => "unbalanced",
            Preset::Overlapping => "overlapping",
            Preset::Ring => "ring",
            Preset::OneD => "1d",
            Preset::Custom => "custom",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Preset::Blobs => "Well-separated blobs",
            Preset::Anisotropic => "Anisotropic (tilted)",
            Preset::Unbalanced => "Unbalanced weights",
            Preset::Overlapping => "Overlapping",
            Preset::Ring => "Ring (no small mixture fits)",
            Preset::OneD => "1-D: three Gaussians on a line",
            Preset::Custom => "your own points",
        }
    }
}

/// What a click on the main plot does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClickMode {
    Inspect,
    Add,
}

impl Choice for ClickMode {
    const ALL: &'static [Self] = &[ClickMode::Inspect, ClickMode::Add];

    fn api_name(self) -> &'static str {
        match self {
            ClickMode::Inspect => "inspect",
            ClickMode::Add => "add",
        }
    }

    fn label(self) -> &'static str {
        match self {
            ClickMode::Inspect => "inspects a point",
            ClickMode::Add => "adds a point",
        }
    }
}

/// Your own points: `dimension` coordinates per point, point-major, shared (a million points
/// are cloned as cheaply as ten).
#[derive(Clone, Debug, PartialEq)]
pub struct Points {
    pub dimension: usize,
    pub coordinates: Rc<[f64]>,
}

impl Points {
    fn none(dimension: usize) -> Self {
        Self {
            dimension,
            coordinates: Rc::from(Vec::new()),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct EmSettings {
    pub preset: Preset,
    /// Your own points when `preset` is `Custom` (a preset's points are drawn from the seed).
    pub points: Points,
    pub k: usize,
    pub covariance_type: CovarianceType,
    pub init: Init,
    pub seed: u64,
    pub speed: f64,
    pub playing: bool,
    pub show_truth: bool,
    pub click_mode: ClickMode,
    /// Where the E-steps run (the M-steps always run on the CPU).
    pub backend: Backend,
    /// The point the inspector explains, set by [`Lab::inspect`] (no setting of the schema). It
    /// stays when EM restarts, so a change of K shows the same point's new responsibilities, and
    /// goes with the data.
    pub inspected: Option<[f64; 2]>,
}

impl Default for EmSettings {
    fn default() -> Self {
        Self {
            preset: Preset::Blobs,
            points: Points::none(2),
            k: 3,
            covariance_type: CovarianceType::Full,
            init: Init::Random,
            seed: 7,
            speed: 5.0,
            playing: false,
            show_truth: true,
            click_mode: ClickMode::Inspect,
            backend: Backend::Auto,
            inspected: None,
        }
    }
}

impl EmSettings {
    fn options(&self) -> EmOptions {
        EmOptions {
            covariance_type: self.covariance_type,
            init: self.init,
            seed: self.seed,
            kernel: Kernel::Fast,
            ..EmOptions::default()
        }
    }

    /// The data these settings describe: a preset drawn with the seed, or your own points.
    fn space(&self) -> Space {
        fn drawn<const D: usize>(p: presets::Preset<D>) -> Fit<D> {
            Fit::new(p.data.points().into_iter().flatten().collect(), p.truth)
        }
        let (n, seed) = (PRESET_POINTS, self.seed);
        match self.preset {
            Preset::Blobs => Space::Two(drawn(presets::well_separated_blobs(n, seed))),
            Preset::Anisotropic => Space::Two(drawn(presets::anisotropic(n, seed))),
            Preset::Unbalanced => Space::Two(drawn(presets::unbalanced(n, seed))),
            Preset::Overlapping => Space::Two(drawn(presets::overlapping(n, seed))),
            Preset::Ring => Space::Two(drawn(presets::ring(n, seed))),
            Preset::OneD => Space::One(drawn(presets::one_dimensional(n, seed))),
            Preset::Custom => {
                let coordinates = self.points.coordinates.clone();
                match self.points.dimension {
                    1 => Space::One(Fit::new(coordinates, None)),
                    _ => Space::Two(Fit::new(coordinates, None)),
                }
            }
        }
    }
}

/// Choosing "your own points" keeps the points on screen as yours (clicks then add to them);
/// choosing a preset draws its points from the seed.
fn put_preset(s: &mut EmSettings, value: &Value) -> Result<(), String> {
    let preset = Preset::from_value(value);
    if preset != Preset::Custom {
        s.points = Points::none(2);
        s.inspected = None;
    } else if s.preset != Preset::Custom {
        s.points = with_fit!(s.space(), fit => fit.own_points());
    }
    s.preset = preset;
    Ok(())
}

/// Your own 2-D points (1-D ones and a preset's are not a value of this setting).
fn get_points(s: &EmSettings) -> Value {
    if s.preset == Preset::Custom && s.points.dimension == 2 {
        Value::rows(2, s.points.coordinates.clone())
    } else {
        Value::Null
    }
}

fn put_points(s: &mut EmSettings, value: &Value) -> Result<(), String> {
    s.points = Points {
        dimension: 2,
        coordinates: value
            .as_rows()
            .cloned()
            .unwrap_or_else(|| Rc::from(Vec::new())),
    };
    s.preset = Preset::Custom;
    s.inspected = None;
    Ok(())
}

/// The data, the mixture behind them (for presets) and the EM run, in D dimensions.
struct Fit<const D: usize> {
    /// D coordinates per point, point-major (shared with the settings for your own points).
    points: Rc<[f64]>,
    truth: Option<GaussianMixture<D>>,
    run: Option<Em<D>>,
    /// The mixture the last E-step used: colours of drawn points are computed under it when the
    /// responsibilities are not stored.
    e_step_mixture: Option<GaussianMixture<D>>,
    /// Why there is no run (the core's message), when there is none.
    problem: Option<String>,
    half_steps: u64,
}

impl<const D: usize> Fit<D> {
    fn new(points: Rc<[f64]>, truth: Option<GaussianMixture<D>>) -> Self {
        Self {
            points,
            truth,
            run: None,
            e_step_mixture: None,
            problem: None,
            half_steps: 0,
        }
    }

    fn n_points(&self) -> usize {
        self.points.len() / D
    }

    fn point(&self, i: usize) -> [f64; D] {
        std::array::from_fn(|a| self.points[i * D + a])
    }

    fn own_points(&self) -> Points {
        Points {
            dimension: D,
            coordinates: self.points.clone(),
        }
    }

    /// Starts EM; when it cannot start, keeps the points and records the core's reason.
    fn start(&mut self, k: usize, options: &EmOptions) {
        let started = Dataset::from_interleaved(&self.points).and_then(|data| {
            let options = EmOptions {
                keep_responsibilities: data.len() <= KEEP_RESPONSIBILITIES_UP_TO,
                ..options.clone()
            };
            Em::new(data, k, options)
        });
        match started {
            Ok(run) => self.run = Some(run),
            Err(e) => self.problem = Some(e.to_string()),
        }
    }

    /// Does `count` half-steps; stops early only on an error, which is returned (the state
    /// before the failed half-step is kept).
    fn half_steps(&mut self, count: u64) -> Result<u64, String> {
        let Some(run) = self.run.as_mut() else {
            return Err(self
                .problem
                .clone()
                .unwrap_or_else(|| MixtureError::EmptyData.to_string()));
        };
        for done in 0..count {
            if run.next_half_step() == HalfStep::E && !run.options().keep_responsibilities {
                self.e_step_mixture = Some(run.mixture().clone());
            }
            if let Err(e) = run.step() {
                return Err(format!("after {done} half-steps: {e}"));
            }
            self.half_steps += 1;
        }
        Ok(count)
    }

    /// Writes the run between two iterations, with the mixture the last E-step used (the drawn
    /// points' colours) and the half-step count.
    fn write_state(&self, w: &mut Writer) -> Result<(), String> {
        let run = self
            .run
            .as_ref()
            .ok_or("EM is not running: there is no run to copy")?;
        run.write_state(w)?;
        w.flag(self.e_step_mixture.is_some());
        if let Some(mixture) = &self.e_step_mixture {
            mixture.write_state(w);
        }
        w.u64(self.half_steps);
        Ok(())
    }

    fn read_state(&mut self, mut r: Reader) -> Result<(), String> {
        let run = self
            .run
            .as_mut()
            .ok_or("EM is not running: there is no run to go on")?;
        let (k, covariance_type) = (run.mixture().k(), run.options().covariance_type);
        let read = run.read_state(&mut r)?;
        let e_step_mixture = if r.flag("E-step")? {
            Some(GaussianMixture::read_state(&mut r, k, covariance_type)?)
        } else {
            None
        };
        let half_steps = r.u64()?;
        r.finish()?;
        run.restore(read);
        self.e_step_mixture = e_step_mixture;
        self.half_steps = half_steps;
        Ok(())
    }

    /// An evenly spaced sample of at most MAX_DRAWN point indices (all points when fewer).
    fn drawn_indices(&self) -> impl Iterator<Item = usize> {
        let n = self.n_points();
        let m = n.min(MAX_DRAWN);
        (0..m).map(move |j| j * n / m)
    }

    fn drawn_points(&self) -> Vec<f64> {
        self.drawn_indices().flat_map(|i| self.point(i)).collect()
    }

    /// The last E-step's responsibilities of the drawn points (m×K, point-major), empty before it.
    fn drawn_responsibilities(&self) -> Vec<f32> {
        let Some(run) = &self.run else {
            return Vec::new();
        };
        let k = run.mixture().k();
        if let Some(all) = run.responsibilities() {
            return self
                .drawn_indices()
                .flat_map(|i| all[i * k..(i + 1) * k].iter().map(|&r| r as f32))
                .collect();
        }
        match &self.e_step_mixture {
            Some(mixture) => self
                .drawn_indices()
                .flat_map(|i| mixture.responsibilities(&self.point(i)))
                .map(|r| r as f32)
                .collect(),
            None => Vec::new(),
        }
    }

    /// The numbers behind the responsibilities of `point` (in 1-D only its x counts).
    fn explain(&self, point: [f64; 2]) -> Result<Explanation, String> {
        let run = self
            .run
            .as_ref()
            .ok_or_else(|| self.problem.clone().unwrap_or("EM is not running".into()))?;
        let x: [f64; D] = std::array::from_fn(|a| point[a]);
        let e = run.explain_responsibility(&x);
        Ok(Explanation {
            point: x.to_vec(),
            numbers: e,
        })
    }

    /// BIC and AIC of K = 1..=MAX_K (fewer when there are fewer points), each run to convergence.
    fn information_criteria(&self, options: &EmOptions) -> Result<Vec<Score>, String> {
        let data = Dataset::<D>::from_interleaved(&self.points).map_err(|e| e.to_string())?;
        let k_max = data.len().min(MAX_K as usize);
        let options = EmOptions {
            keep_responsibilities: false,
            ..options.clone()
        };
        let scores = information_criteria(&data, k_max, &options).map_err(|e| e.to_string())?;
        Ok(scores
            .iter()
            .map(|s| Score {
                k: s.k,
                bic: s.bic,
                aic: s.aic,
                mean_log_likelihood: s.score,
                n_parameters: s.n_parameters,
                converged: s.converged,
            })
            .collect())
    }

    fn snapshot(&self) -> FitSnapshot {
        let run = self.run.as_ref();
        let mixture = run.map(|r| MixtureSnapshot::of(r.mixture()));
        FitSnapshot {
            dimension: D,
            n_points: self.n_points(),
            next_half_step: run.map(|r| match r.next_half_step() {
                HalfStep::E => "E",
                HalfStep::M => "M",
            }),
            half_steps: self.half_steps,
            n_iter: run.map_or(0, |r| r.n_iter()),
            weights: mixture.as_ref().map_or(Vec::new(), |m| m.weights.clone()),
            means: mixture.as_ref().map_or(Vec::new(), |m| m.means.clone()),
            covariances: mixture.map_or(Vec::new(), |m| m.covariances),
            lower_bound_history: run.map_or(Vec::new(), |r| r.lower_bound_history().to_vec()),
            converged: run.is_some_and(|r| r.converged()),
            reseeds: run.map_or(0, |r| r.reseeds().len()),
            keep_responsibilities: run.is_none_or(|r| r.options().keep_responsibilities),
            problem: self.problem.clone(),
            truth: self.truth.as_ref().map(MixtureSnapshot::of),
        }
    }
}

enum Space {
    Two(Fit<2>),
    One(Fit<1>),
}

/// The data and the EM run on them, the last BIC scan of this run, and where it computes.
pub struct EmModel {
    space: Space,
    bic: Option<Vec<Score>>,
    compute: compute::Compute,
}

impl EmModel {
    /// EM started on the settings' data; when it cannot start, the data are kept and `problem`
    /// says why.
    fn started(s: &EmSettings) -> Self {
        let mut space = s.space();
        with_fit!(&mut space, fit => fit.start(s.k, &s.options()));
        Self {
            space,
            bic: None,
            compute: compute::Compute::default(),
        }
    }

    /// Why EM is not running (the core's message), if it is not.
    pub fn problem(&self) -> Option<&str> {
        with_fit!(&self.space, fit => fit.problem.as_deref())
    }

    pub fn dimension(&self) -> usize {
        match self.space {
            Space::Two(_) => 2,
            Space::One(_) => 1,
        }
    }

    /// Whether EM is running (false while the data cannot be fitted).
    pub fn running(&self) -> bool {
        with_fit!(&self.space, fit => fit.run.is_some())
    }

    /// Whether the run has converged (false when there is none); cheaper than a snapshot.
    pub fn converged(&self) -> bool {
        with_fit!(&self.space, fit => fit.run.as_ref().is_some_and(|r| r.converged()))
    }

    /// Whether the next half-step is an E-step.
    pub fn next_is_e_step(&self) -> bool {
        with_fit!(&self.space, fit => fit
            .run
            .as_ref()
            .is_some_and(|r| r.next_half_step() == HalfStep::E))
    }

    /// Every point, coordinates interleaved (`x0, y0, x1, ...` in 2-D, `x0, x1, ...` in 1-D).
    pub fn all_points(&self) -> &[f64] {
        with_fit!(&self.space, fit => &fit.points)
    }

    /// Every point's x coordinate (for the 1-D histogram).
    pub fn xs(&self) -> Vec<f64> {
        let d = self.dimension();
        self.all_points().iter().step_by(d).copied().collect()
    }

    /// The points to draw (all of them up to 20,000, else an evenly spaced sample), interleaved
    /// as in [`EmModel::all_points`].
    pub fn drawn_points(&self) -> Vec<f64> {
        with_fit!(&self.space, fit => fit.drawn_points())
    }

    /// The last E-step's responsibilities of the drawn points, point-major (m×K); empty before
    /// the first E-step.
    pub fn drawn_responsibilities(&self) -> Vec<f32> {
        with_fit!(&self.space, fit => fit.drawn_responsibilities())
    }
}

/// Weights, means and covariances (full D×D matrices) of a mixture, as plain data.
#[derive(Clone, Debug, Serialize)]
pub struct MixtureSnapshot {
    pub weights: Vec<f64>,
    pub means: Vec<Vec<f64>>,
    pub covariances: Vec<Vec<Vec<f64>>>,
}

impl MixtureSnapshot {
    fn of<const D: usize>(m: &GaussianMixture<D>) -> Self {
        Self {
            weights: m.weights().to_vec(),
            means: m.means().iter().map(|v| v.to_vec()).collect(),
            covariances: m
                .covariances()
                .iter()
                .map(|c| c.iter().map(|row| row.to_vec()).collect())
                .collect(),
        }
    }
}

/// One K of the BIC scan.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Score {
    pub k: usize,
    pub bic: f64,
    pub aic: f64,
    pub mean_log_likelihood: f64,
    pub n_parameters: usize,
    pub converged: bool,
}

/// The numbers behind one point's responsibilities: rₖ = πₖ·N(x | μₖ, Σₖ) / Σⱼ πⱼ·N(x | μⱼ, Σⱼ).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Explanation {
    pub point: Vec<f64>,
    #[serde(flatten)]
    pub numbers: ResponsibilityExplanation,
}

/// What the fit itself reports, in the snapshot's order.
#[derive(Serialize)]
struct FitSnapshot {
    dimension: usize,
    n_points: usize,
    /// "E" or "M"; null when there is no run.
    next_half_step: Option<&'static str>,
    half_steps: u64,
    n_iter: usize,
    weights: Vec<f64>,
    means: Vec<Vec<f64>>,
    covariances: Vec<Vec<Vec<f64>>>,
    /// One per E-step: the mean log-likelihood per point (scikit-learn's `lower_bound_`).
    lower_bound_history: Vec<f64>,
    converged: bool,
    reseeds: usize,
    keep_responsibilities: bool,
    /// Why EM is not running (the core's message), or null.
    problem: Option<String>,
    truth: Option<MixtureSnapshot>,
}

/// The EM lab's state as plain data (the README's "### EM" lists the fields).
#[derive(Serialize)]
pub struct EmSnapshot {
    preset: &'static str,
    k: usize,
    covariance_type: &'static str,
    init: &'static str,
    seed: u64,
    #[serde(flatten)]
    fit: FitSnapshot,
    click_mode: &'static str,
    show_truth: bool,
    /// The inspected point's responsibilities under the current mixture, or null.
    inspected: Option<Explanation>,
    /// The last BIC scan of this run, or null.
    bic: Option<Vec<Score>>,
    bic_best_k: Option<usize>,
}

impl Model for EmModel {
    type Settings = EmSettings;
    type Snapshot = EmSnapshot;
    const NAME: &'static str = "em";

    fn entries() -> Vec<Entry<EmSettings>> {
        let restarts = |s: Setting| s.rebuilds();
        vec![
            restarts(Setting::choice::<Preset>("preset"))
                .label("Data set")
                .help("A preset is drawn with the seed; your own points are clicked in or given.")
                .group("Data")
                .bind((|s| s.preset.to_value(), put_preset)),
            restarts(Setting::number("k", K))
                .label("Components K")
                .help("At most the number of points.")
                .group("Model")
                .bind(field!(k)),
            restarts(Setting::choice::<CovarianceType>("covariance_type"))
                .label("Covariance type")
                .group("Model")
                .bind(field!(covariance_type)),
            restarts(Setting::choice::<Init>("init"))
                .label("Start (initialisation)")
                .group("Model")
                .bind(field!(init)),
            // After K: a link's points are fitted with the link's K (a fresh page has 600 points,
            // so any K applies first), and a small data set with a small K opens.
            restarts(Setting::points(
                "points",
                &["x", "y"],
                MAX_POINTS,
                LINK_POINTS,
            ))
            .label("Your own points")
            .help("2-D points to fit (the data set becomes “your own points”).")
            .group("Data")
            .bind((get_points, put_points)),
            seed_setting("Redraws a preset's points and EM's start.").bind(field!(seed)),
            speed_setting(
                SPEEDS
                    .iter()
                    .map(|&v| {
                        let plural = if v == 1.0 { "" } else { "s" };
                        ChoiceItem::new(v, format!("{} iteration{plural}/s", number_text(v)))
                    })
                    .collect(),
                "iterations per second while playing",
            )
            .bind(field!(speed)),
            playing_setting().bind(field!(playing)),
            Setting::boolean("show_truth")
                .label("show the true mixture")
                .help(
                    "The mixture that generated the data: its 2σ ellipses, or its density in 1-D.",
                )
                .group("Data")
                .in_link(InLink::WhenChanged)
                .bind(field!(show_truth)),
            Setting::choice::<ClickMode>("click_mode")
                .label("A click on the plot")
                .group("Data")
                .control(Control::Radio)
                .in_link(InLink::WhenChanged)
                .bind(field!(click_mode)),
            backend_setting().bind(field!(backend)),
        ]
    }

    fn progress() -> Progress {
        Progress {
            name: "steps",
            max: MAX_LINK_STEPS,
            over_frames: false,
            unit: "half-steps taken",
        }
    }

    fn stepping() -> Stepping {
        Stepping {
            default: 1,
            max: MAX_STEPS_PER_CALL,
            unit: "half-steps: E, M, E, …",
        }
    }

    fn build(s: &EmSettings) -> Result<Self, String> {
        let model = Self::started(s);
        match model.problem() {
            Some(problem) => Err(problem.to_string()),
            None => Ok(model),
        }
    }

    /// Does `n` half-steps (E, M, E, ...) and returns how many were done; an error when EM
    /// cannot run says why.
    fn step(&mut self, _: &EmSettings, n: u64) -> Result<f64, String> {
        if self.compute.busy() {
            return Err(
                "a step is under way on the GPU: wait for it to finish (the page's \
                        step returns a Promise there)"
                    .into(),
            );
        }
        with_fit!(&mut self.space, fit => fit.half_steps(n)).map(|done| done as f64)
    }

    fn progress_count(&self) -> u64 {
        with_fit!(&self.space, fit => fit.half_steps)
    }

    /// Where EM stands between two iterations (src/state.rs): a Web Worker iterates a copy of a
    /// run on large data and hands it back. Refused mid-iteration, on the GPU while a step is
    /// under way, and for data small enough to keep their responsibilities.
    fn export_state(&self) -> Result<Vec<u8>, String> {
        if self.compute.busy() {
            return Err("a step is under way on the GPU: wait for it to finish".into());
        }
        let mut w = Writer::new(Self::NAME);
        w.u32(self.dimension() as u32);
        with_fit!(&self.space, fit => fit.write_state(&mut w))?;
        Ok(w.into_bytes())
    }

    fn import_state(&mut self, _: &EmSettings, bytes: &[u8]) -> Result<(), String> {
        if self.compute.busy() {
            return Err("a step is under way on the GPU: wait for it to finish".into());
        }
        let mut r = Reader::new(bytes, Self::NAME)?;
        let dimension = r.u32()? as usize;
        if dimension != self.dimension() {
            return Err(format!(
                "this training state holds {dimension}-D points; the run has {}-D ones",
                self.dimension()
            ));
        }
        with_fit!(&mut self.space, fit => fit.read_state(r))
    }

    fn advance(&mut self, s: &EmSettings, count: u64) -> Result<(), String> {
        self.step(s, count).map(|_| ())
    }

    /// The mixture's parameters and where EM stands (see src/labs/transfer.rs); a model file
    /// replays the half-steps from its settings, so these are what a changed file would break.
    fn model_arrays(&self, _: &EmSettings) -> Vec<(String, Value)> {
        let fit = with_fit!(&self.space, fit => fit.snapshot());
        let Some(next) = fit.next_half_step else {
            return Vec::new();
        };
        let matrix = |rows: &[Vec<f64>]| {
            Value::List(rows.iter().map(|r| numbers(r.iter().copied())).collect())
        };
        vec![
            ("weights".into(), numbers(fit.weights.iter().copied())),
            ("means".into(), matrix(&fit.means)),
            (
                "covariances".into(),
                Value::List(fit.covariances.iter().map(|c| matrix(c)).collect()),
            ),
            ("next_half_step".into(), Value::text(next)),
            ("half_steps".into(), Value::Number(fit.half_steps as f64)),
            ("n_iter".into(), Value::Number(fit.n_iter as f64)),
            ("converged".into(), Value::Bool(fit.converged)),
            (
                "lower_bound_history".into(),
                numbers(fit.lower_bound_history.iter().copied()),
            ),
        ]
    }

    fn snapshot(&self, s: &EmSettings) -> EmSnapshot {
        let inspected = s
            .inspected
            .and_then(|p| with_fit!(&self.space, fit => fit.explain(p)).ok());
        let bic_best_k = self.bic.as_ref().and_then(|scores| {
            scores
                .iter()
                .min_by(|a, b| a.bic.total_cmp(&b.bic))
                .map(|best| best.k)
        });
        EmSnapshot {
            preset: s.preset.api_name(),
            k: s.k,
            covariance_type: s.covariance_type.api_name(),
            init: s.init.api_name(),
            seed: s.seed,
            fit: with_fit!(&self.space, fit => fit.snapshot()),
            click_mode: s.click_mode.api_name(),
            show_truth: s.show_truth,
            inspected,
            bic: self.bic.clone(),
            bic_best_k,
        }
    }

    fn use_backend(&mut self, s: &EmSettings, gpu: &GpuAccess, strict: bool) -> Result<(), String> {
        let compute = &mut self.compute;
        with_fit!(&self.space, fit => compute.choose(s.backend, gpu, fit, s.k, strict))
    }

    fn backend(&self) -> Option<BackendReport> {
        Some(self.compute.report())
    }

    fn gpu_begin(&mut self, _: &EmSettings, n: u64) -> Result<(), String> {
        if let Some(problem) = self.problem() {
            return Err(problem.to_string());
        }
        self.compute.begin(n)
    }

    fn gpu_continue(&mut self, _: &EmSettings) -> Result<Option<f64>, String> {
        let compute = &mut self.compute;
        with_fit!(&mut self.space, fit => compute.resume(fit))
    }

    fn gpu_readback(&self) -> Option<&crate::gpu::Readback> {
        self.compute.readback()
    }
}

/// The EM lab's own actions, besides its settings.
impl Lab<EmModel> {
    /// Adds one clicked point (in 1-D only `x` counts) and restarts EM. Always kept, even when
    /// EM cannot start on the points yet (then `problem` says why).
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), String> {
        if !(x.is_finite() && y.is_finite()) {
            return Err("a point needs finite coordinates: click inside the plot".into());
        }
        let dimension = self.model().dimension();
        let mut coordinates = self.model().all_points().to_vec();
        if coordinates.len() / dimension >= MAX_POINTS {
            return Err(format!(
                "there are already {MAX_POINTS} points, the most the lab holds: clear them first"
            ));
        }
        coordinates.extend_from_slice(&[x, y][..dimension]);
        self.use_own_points(Points {
            dimension,
            coordinates: coordinates.into(),
        });
        Ok(())
    }

    /// Removes every point (the dimension stays); EM waits for points.
    pub fn clear_points(&mut self) {
        self.use_own_points(Points::none(self.model().dimension()));
    }

    /// Replaces the data by 2-D points given as two columns (for large data sets), as
    /// `set("points", ...)` does.
    pub fn set_points_xy(&mut self, xs: &[f64], ys: &[f64]) -> Result<(), String> {
        if xs.len() != ys.len() {
            return Err(format!(
                "got {} x values and {} y values: give one x and one y per point",
                xs.len(),
                ys.len()
            ));
        }
        let flat: Vec<f64> = xs.iter().zip(ys).flat_map(|(&x, &y)| [x, y]).collect();
        self.set_points_flat(2, flat)
    }

    /// Replaces the data by points of `dimension` coordinates each, interleaved in `flat` (a
    /// Web Worker gets a copy of the data so); refused as `set("points", ...)` refuses.
    pub fn set_points_flat(&mut self, dimension: usize, flat: Vec<f64>) -> Result<(), String> {
        if !(1..=2).contains(&dimension) || !flat.len().is_multiple_of(dimension) {
            return Err(format!(
                "got {} numbers in rows of {dimension}: points have 1 or 2 coordinates each",
                flat.len()
            ));
        }
        self.set("points", &Value::rows(dimension, flat))
            .map(|_| ())
    }

    /// The numbers behind the responsibilities of the point (x, y) under the current mixture.
    pub fn explain(&self, x: f64, y: f64) -> Result<Explanation, String> {
        if !(x.is_finite() && y.is_finite()) {
            return Err("a point needs finite coordinates to be explained".into());
        }
        with_fit!(&self.model().space, fit => fit.explain([x, y]))
    }

    /// As [`Lab::explain`], and the inspector (and the snapshot's `inspected`) shows this point
    /// from now on.
    pub fn inspect(&mut self, x: f64, y: f64) -> Result<Explanation, String> {
        let explanation = self.explain(x, y)?;
        self.settings_mut().inspected = Some([x, y]);
        Ok(explanation)
    }

    /// Fits K = 1..=MAX_K to convergence from the current start and seed and scores each by BIC
    /// and AIC; the scores stay in the snapshot until EM restarts.
    pub fn information_criteria(&mut self) -> Result<Vec<Score>, String> {
        let options = self.settings().options();
        let scores = with_fit!(&self.model().space, fit => fit.information_criteria(&options))?;
        self.model_mut().bic = Some(scores.clone());
        Ok(scores)
    }

    /// Keeps the scores of a BIC scan run elsewhere (a Web Worker, on a copy of this lab's data
    /// and settings: the page drops a scan whose run changed meanwhile), as if the scan had run
    /// here; scores that are not of K = 1, 2, ... in order are refused and nothing changes.
    pub fn keep_information_criteria(&mut self, scores: Vec<Score>) -> Result<(), String> {
        let in_order = scores.iter().enumerate().all(|(i, score)| score.k == i + 1);
        let finite = scores
            .iter()
            .all(|s| s.bic.is_finite() && s.aic.is_finite() && s.mean_log_likelihood.is_finite());
        if scores.is_empty() || scores.len() > MAX_K as usize || !in_order || !finite {
            return Err(format!(
                "these are not a BIC scan's scores: a scan scores K = 1, 2, ... up to {MAX_K} in \
                 order, each with finite BIC, AIC and mean log-likelihood"
            ));
        }
        self.model_mut().bic = Some(scores);
        Ok(())
    }

    /// A fresh lab for the Scale view: `n` points of the blobs preset drawn with this lab's
    /// seed, fitted with its K, covariance type and start, on the CPU (until told otherwise).
    pub fn scale_probe(&self, n: f64) -> Result<Lab<EmModel>, String> {
        let s = self.settings();
        let sizes = Range::whole(s.k as u64, MAX_POINTS as u64);
        if !sizes.contains(n) {
            return Err(format!(
                "n = {} is not allowed: n must be {} (at least K = {} points)",
                number_text(n),
                sizes.describe(),
                s.k
            ));
        }
        let drawn = presets::well_separated_blobs(n as usize, s.seed);
        let settings = EmSettings {
            preset: Preset::Custom,
            points: Points {
                dimension: 2,
                coordinates: drawn.data.points().into_iter().flatten().collect(),
            },
            k: s.k,
            covariance_type: s.covariance_type,
            init: s.init,
            seed: s.seed,
            backend: Backend::Cpu,
            ..EmSettings::default()
        };
        let mut probe = Lab::<EmModel>::new(s.seed)?;
        let model = EmModel::started(&settings);
        probe.replace(settings, model);
        Ok(probe)
    }

    fn use_own_points(&mut self, points: Points) {
        let mut settings = self.settings().clone();
        settings.preset = Preset::Custom;
        settings.points = points;
        settings.inspected = None;
        let model = EmModel::started(&settings);
        self.replace(settings, model);
    }
}
