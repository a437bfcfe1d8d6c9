//! The EM lab's handle: a Gaussian-mixture fit by EM on 2-D or 1-D data, adapted to JavaScript.
//!
//! Owns the lab's settings (preset, K, covariance type, initialisation, seed), the user's points
//! and the EM run. Any change of settings or data restarts EM from a fresh initialisation. A
//! setting the core refuses (K larger than the number of points, bad points, ...) is refused
//! here too and changes nothing; clicking points in or clearing them is always kept, and when the
//! data cannot be fitted (no points, fewer points than K) the run is paused with the core's message
//! in `problem` until the data allow a fit again.

use super::{js_error, seed, whole_number};
use crate::mixture::{
    information_criteria, presets, CovarianceType, Dataset, Em, EmOptions, GaussianMixture,
    HalfStep, Init, Kernel, MixtureError,
};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// The most components the lab offers.
const MAX_K: f64 = 8.0;
/// Points in each 2-D preset and in the 1-D preset.
const PRESET_POINTS: usize = 600;
/// Above this many points the n×K responsibilities are not stored (the fast kernel skips them);
/// drawing then colours a sample of points under the mixture the last E-step used.
const KEEP_RESPONSIBILITIES_UP_TO: usize = 20_000;
/// The most points drawn: larger data sets are drawn through an evenly spaced sample.
const MAX_DRAWN: usize = 20_000;
/// The presets by name; "custom" is what clicked or given points are called.
const PRESETS: [&str; 6] = [
    "blobs",
    "anisotropic",
    "unbalanced",
    "overlapping",
    "ring",
    "1d",
];

/// The user's data, the mixture behind it (for presets) and the EM run, in D dimensions.
#[derive(Clone)]
struct Fit<const D: usize> {
    points: Vec<[f64; D]>,
    truth: Option<GaussianMixture<D>>,
    run: Option<Em<D>>,
    /// The mixture the last E-step used: colours of sampled points are computed under it.
    e_step_mixture: Option<GaussianMixture<D>>,
    /// Why there is no run (the core's message), when there is none.
    problem: Option<String>,
    half_steps: u64,
}

impl<const D: usize> Fit<D> {
    fn new(points: Vec<[f64; D]>, truth: Option<GaussianMixture<D>>) -> Self {
        Self {
            points,
            truth,
            run: None,
            e_step_mixture: None,
            problem: None,
            half_steps: 0,
        }
    }

    /// A fresh EM run on the points, or the core's reason why none can start.
    fn start(&self, k: usize, options: &EmOptions) -> Result<Em<D>, MixtureError> {
        let data = Dataset::from_points(&self.points)?;
        let options = EmOptions {
            keep_responsibilities: data.len() <= KEEP_RESPONSIBILITIES_UP_TO,
            ..options.clone()
        };
        Em::new(data, k, options)
    }

    /// Restarts EM; when it cannot start, keeps the points and records the reason.
    fn restart(&mut self, k: usize, options: &EmOptions) {
        self.e_step_mixture = None;
        self.half_steps = 0;
        match self.start(k, options) {
            Ok(run) => {
                self.run = Some(run);
                self.problem = None;
            }
            Err(e) => {
                self.run = None;
                self.problem = Some(e.to_string());
            }
        }
    }

    /// Does up to `count` half-steps; stops early only on an error, which is returned.
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

    /// An evenly spaced sample of at most MAX_DRAWN point indices (all points when fewer).
    fn drawn_indices(&self) -> impl Iterator<Item = usize> {
        let n = self.points.len();
        let m = n.min(MAX_DRAWN);
        (0..m).map(move |j| j * n / m)
    }

    /// The drawn points, coordinates interleaved.
    fn drawn_points(&self) -> Vec<f64> {
        self.drawn_indices()
            .flat_map(|i| self.points[i])
            .collect::<Vec<f64>>()
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
                .flat_map(|i| mixture.responsibilities(&self.points[i]))
                .map(|r| r as f32)
                .collect(),
            None => Vec::new(),
        }
    }
}

#[derive(Clone)]
enum Space {
    Two(Fit<2>),
    One(Fit<1>),
}

/// Runs `$body` with `$fit` bound to the 2-D or the 1-D fit, whichever the lab holds.
macro_rules! with_fit {
    ($space:expr, $fit:ident => $body:expr) => {
        match $space {
            Space::Two($fit) => $body,
            Space::One($fit) => $body,
        }
    };
}

#[derive(Serialize)]
struct MixtureSnapshot {
    weights: Vec<f64>,
    means: Vec<Vec<f64>>,
    covariances: Vec<Vec<Vec<f64>>>,
}

fn mixture_snapshot<const D: usize>(m: &GaussianMixture<D>) -> MixtureSnapshot {
    MixtureSnapshot {
        weights: m.weights().to_vec(),
        means: m.means().iter().map(|v| v.to_vec()).collect(),
        covariances: m
            .covariances()
            .iter()
            .map(|c| c.iter().map(|row| row.to_vec()).collect())
            .collect(),
    }
}

/// The EM lab's state as plain data (see docs/readme-em.md).
#[derive(Serialize)]
struct Snapshot {
    preset: String,
    dimension: usize,
    k: usize,
    covariance_type: &'static str,
    init: &'static str,
    seed: u64,
    n_points: usize,
    /// "E" or "M"; null when there is no run.
    next_half_step: Option<&'static str>,
    half_steps: u64,
    n_iter: usize,
    weights: Vec<f64>,
    means: Vec<Vec<f64>>,
    covariances: Vec<Vec<Vec<f64>>>,
    lower_bound_history: Vec<f64>,
    converged: bool,
    reseeds: usize,
    keep_responsibilities: bool,
    /// Why EM is not running (the core's message), or null.
    problem: Option<String>,
    truth: Option<MixtureSnapshot>,
}

/// One K of the BIC scan.
#[derive(Serialize)]
struct Score {
    k: usize,
    bic: f64,
    aic: f64,
    mean_log_likelihood: f64,
    n_parameters: usize,
    converged: bool,
}

/// The numbers behind one point's responsibilities.
#[derive(Serialize)]
struct Explanation {
    point: Vec<f64>,
    weights: Vec<f64>,
    densities: Vec<f64>,
    weighted_densities: Vec<f64>,
    normaliser: f64,
    log_normaliser: f64,
    responsibilities: Vec<f64>,
}

#[wasm_bindgen]
pub struct EmLab {
    preset: String,
    k: usize,
    options: EmOptions,
    space: Space,
}

fn parse_covariance_type(name: &str) -> Result<CovarianceType, JsError> {
    match name {
        "full" => Ok(CovarianceType::Full),
        "diag" => Ok(CovarianceType::Diag),
        "spherical" => Ok(CovarianceType::Spherical),
        _ => Err(JsError::new(&format!(
            "covariance_type = \"{name}\" is not allowed: covariance_type must be one of \
             \"full\", \"diag\", \"spherical\""
        ))),
    }
}

fn parse_init(name: &str) -> Result<Init, JsError> {
    match name {
        "kmeans++" => Ok(Init::KMeansPlusPlus),
        "random" => Ok(Init::Random),
        _ => Err(JsError::new(&format!(
            "init = \"{name}\" is not allowed: init must be \"kmeans++\" or \"random\""
        ))),
    }
}

fn init_name(init: Init) -> &'static str {
    match init {
        Init::KMeansPlusPlus => "kmeans++",
        Init::Random => "random",
    }
}

/// The points and generating mixture of preset `name` drawn with `seed`.
fn preset_space(name: &str, seed: u64) -> Result<Space, JsError> {
    let two = |p: presets::Preset<2>| Space::Two(Fit::new(p.data.points(), p.truth));
    Ok(match name {
        "blobs" => two(presets::well_separated_blobs(PRESET_POINTS, seed)),
        "anisotropic" => two(presets::anisotropic(PRESET_POINTS, seed)),
        "unbalanced" => two(presets::unbalanced(PRESET_POINTS, seed)),
        "overlapping" => two(presets::overlapping(PRESET_POINTS, seed)),
        "ring" => two(presets::ring(PRESET_POINTS, seed)),
        "1d" => {
            let p = presets::one_dimensional(PRESET_POINTS, seed);
            Space::One(Fit::new(p.data.points(), p.truth))
        }
        _ => {
            return Err(JsError::new(&format!(
                "preset = \"{name}\" is not allowed: preset must be one of {}",
                PRESETS.map(|p| format!("\"{p}\"")).join(", ")
            )))
        }
    })
}

#[wasm_bindgen]
impl EmLab {
    /// A lab on `preset` with `k` components; EM starts at once.
    #[wasm_bindgen(constructor)]
    pub fn new(
        preset: &str,
        k: f64,
        covariance_type: &str,
        init: &str,
        seed_value: f64,
    ) -> Result<EmLab, JsError> {
        let options = EmOptions {
            covariance_type: parse_covariance_type(covariance_type)?,
            init: parse_init(init)?,
            seed: seed(seed_value)?,
            kernel: Kernel::Fast,
            ..EmOptions::default()
        };
        let mut lab = EmLab {
            preset: preset.to_string(),
            k: whole_number("k", k, 1.0, MAX_K)? as usize,
            space: preset_space(preset, options.seed)?,
            options,
        };
        lab.try_restart(lab.space.clone(), lab.k, lab.options.clone())?;
        Ok(lab)
    }

    /// Switches to a preset's points (drawn with the current seed) and restarts EM.
    pub fn set_preset(&mut self, name: &str) -> Result<(), JsError> {
        let space = preset_space(name, self.options.seed)?;
        self.try_restart(space, self.k, self.options.clone())?;
        self.preset = name.to_string();
        Ok(())
    }

    pub fn set_k(&mut self, k: f64) -> Result<(), JsError> {
        let k = whole_number("k", k, 1.0, MAX_K)? as usize;
        self.try_restart(self.space.clone(), k, self.options.clone())
    }

    pub fn set_covariance_type(&mut self, name: &str) -> Result<(), JsError> {
        let options = EmOptions {
            covariance_type: parse_covariance_type(name)?,
            ..self.options.clone()
        };
        self.try_restart(self.space.clone(), self.k, options)
    }

    pub fn set_init(&mut self, name: &str) -> Result<(), JsError> {
        let options = EmOptions {
            init: parse_init(name)?,
            ..self.options.clone()
        };
        self.try_restart(self.space.clone(), self.k, options)
    }

    /// New seed: a preset's points are drawn again with it, and EM restarts with it.
    pub fn reset(&mut self, seed_value: f64) -> Result<(), JsError> {
        let options = EmOptions {
            seed: seed(seed_value)?,
            ..self.options.clone()
        };
        let space = if self.preset == "custom" {
            self.space.clone()
        } else {
            preset_space(&self.preset, options.seed)?
        };
        self.try_restart(space, self.k, options)
    }

    /// Replaces the data by 2-D points given as `x0, y0, x1, y1, ...`; refused (changing
    /// nothing) when a point is not finite (the message names its row, counting from 0) or there
    /// are fewer points than K.
    pub fn set_points(&mut self, interleaved: &[f64]) -> Result<(), JsError> {
        let data = Dataset::<2>::from_interleaved(interleaved).map_err(js_error)?;
        self.replace_points(data.points())
    }

    /// Replaces the data by 2-D points given as two columns (for large data sets).
    pub fn set_points_xy(&mut self, xs: &[f64], ys: &[f64]) -> Result<(), JsError> {
        if xs.len() != ys.len() {
            return Err(JsError::new(&format!(
                "got {} x values and {} y values: give one x and one y per point",
                xs.len(),
                ys.len()
            )));
        }
        let points: Vec<[f64; 2]> = xs.iter().zip(ys).map(|(&x, &y)| [x, y]).collect();
        Dataset::from_points(&points).map_err(js_error)?;
        self.replace_points(points)
    }

    /// Adds one clicked point (in 1-D only `x` counts) and restarts EM; always kept, even when
    /// EM cannot start yet (then `problem` says why).
    pub fn add_point(&mut self, x: f64, y: f64) -> Result<(), JsError> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(JsError::new(
                "a point needs finite coordinates: click inside the plot",
            ));
        }
        with_fit!(&mut self.space, fit => {
            let mut p = [x; _];
            if let Some(second) = p.get_mut(1) {
                *second = y;
            }
            fit.points.push(p);
            fit.truth = None;
            fit.restart(self.k, &self.options);
        });
        self.preset = "custom".to_string();
        Ok(())
    }

    /// Removes every point (the dimension stays); EM waits for points.
    pub fn clear_points(&mut self) {
        with_fit!(&mut self.space, fit => {
            fit.points.clear();
            fit.truth = None;
            fit.restart(self.k, &self.options);
        });
        self.preset = "custom".to_string();
    }

    /// Advances `count` half-steps (E, M, E, ...); returns how many were done. Errors when there
    /// is no run (the message says why) or a step fails (the state before that step is kept).
    pub fn step(&mut self, count: f64) -> Result<f64, JsError> {
        let count = whole_number("n", count, 0.0, 1e6)?;
        with_fit!(&mut self.space, fit => fit.half_steps(count))
            .map(|done| done as f64)
            .map_err(|m| JsError::new(&m))
    }

    /// Whether the run has converged (false when there is no run); cheaper than a snapshot.
    pub fn converged(&self) -> bool {
        with_fit!(&self.space, fit => fit.run.as_ref().is_some_and(|r| r.converged()))
    }

    /// Whether EM is running (false while the data cannot be fitted).
    pub fn running(&self) -> bool {
        with_fit!(&self.space, fit => fit.run.is_some())
    }

    /// Whether the next half-step is an E-step.
    pub fn next_is_e_step(&self) -> bool {
        with_fit!(&self.space, fit => fit.run.as_ref().is_some_and(|r| r.next_half_step() == HalfStep::E))
    }

    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let snapshot = with_fit!(&self.space, fit => {
            let run = fit.run.as_ref();
            let mixture = run.map(|r| mixture_snapshot(r.mixture()));
            Snapshot {
                preset: self.preset.clone(),
                dimension: self.dimension(),
                k: self.k,
                covariance_type: self.options.covariance_type.name(),
                init: init_name(self.options.init),
                seed: self.options.seed,
                n_points: fit.points.len(),
                next_half_step: run.map(|r| match r.next_half_step() {
                    HalfStep::E => "E",
                    HalfStep::M => "M",
                }),
                half_steps: fit.half_steps,
                n_iter: run.map_or(0, |r| r.n_iter()),
                weights: mixture.as_ref().map_or(Vec::new(), |m| m.weights.clone()),
                means: mixture.as_ref().map_or(Vec::new(), |m| m.means.clone()),
                covariances: mixture.map_or(Vec::new(), |m| m.covariances),
                lower_bound_history: run.map_or(Vec::new(), |r| r.lower_bound_history().to_vec()),
                converged: run.is_some_and(|r| r.converged()),
                reseeds: run.map_or(0, |r| r.reseeds().len()),
                keep_responsibilities: run.is_none_or(|r| r.options().keep_responsibilities),
                problem: fit.problem.clone(),
                truth: fit.truth.as_ref().map(mixture_snapshot),
            }
        });
        serde_wasm_bindgen::to_value(&snapshot).map_err(js_error)
    }

    /// The points to draw (all of them up to 20,000, else an evenly spaced sample),
    /// interleaved `x0, y0, ...` in 2-D and `x0, x1, ...` in 1-D.
    pub fn drawn_points(&self) -> Vec<f64> {
        with_fit!(&self.space, fit => fit.drawn_points())
    }

    /// The last E-step's responsibilities of the drawn points, point-major (m×K); empty before
    /// the first E-step.
    pub fn drawn_responsibilities(&self) -> Vec<f32> {
        with_fit!(&self.space, fit => fit.drawn_responsibilities())
    }

    /// Every point, coordinates interleaved as in `drawn_points`.
    pub fn all_points(&self) -> Vec<f64> {
        with_fit!(&self.space, fit => fit.points.iter().flatten().copied().collect())
    }

    /// Every point's x coordinate (for the 1-D histogram).
    pub fn xs(&self) -> Vec<f64> {
        with_fit!(&self.space, fit => fit.points.iter().map(|p| p[0]).collect())
    }

    /// The numbers behind the responsibilities of the point (x, y) under the current mixture.
    pub fn explain(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        let explanation = with_fit!(&self.space, fit => {
            let run = fit.run.as_ref().ok_or_else(|| {
                JsError::new(fit.problem.as_deref().unwrap_or("EM is not running"))
            })?;
            let mut p = [x; _];
            if let Some(second) = p.get_mut(1) {
                *second = y;
            }
            let e = run.explain_responsibility(&p);
            Explanation {
                point: p.to_vec(),
                weights: e.weights,
                densities: e.densities,
                weighted_densities: e.weighted_densities,
                normaliser: e.normaliser,
                log_normaliser: e.log_normaliser,
                responsibilities: e.responsibilities,
            }
        });
        serde_wasm_bindgen::to_value(&explanation).map_err(js_error)
    }

    /// BIC and AIC of fits with K = 1..=8 (fewer when there are fewer points), each run to
    /// convergence from the current seed, initialisation and covariance type.
    pub fn information_criteria(&self) -> Result<JsValue, JsError> {
        let scores = with_fit!(&self.space, fit => {
            let data = Dataset::from_points(&fit.points).map_err(js_error)?;
            let k_max = data.len().min(MAX_K as usize);
            let options = EmOptions {
                keep_responsibilities: false,
                ..self.options.clone()
            };
            information_criteria(&data, k_max, &options).map_err(js_error)?
        });
        let scores: Vec<Score> = scores
            .iter()
            .map(|s| Score {
                k: s.k,
                bic: s.bic,
                aic: s.aic,
                mean_log_likelihood: s.score,
                n_parameters: s.n_parameters,
                converged: s.converged,
            })
            .collect();
        serde_wasm_bindgen::to_value(&scores).map_err(js_error)
    }
}

impl EmLab {
    fn dimension(&self) -> usize {
        match self.space {
            Space::Two(_) => 2,
            Space::One(_) => 1,
        }
    }

    /// Restarts EM on `space` with `k` and `options`; when EM cannot start, changes nothing and
    /// returns the core's message.
    fn try_restart(
        &mut self,
        mut space: Space,
        k: usize,
        options: EmOptions,
    ) -> Result<(), JsError> {
        with_fit!(&mut space, fit => {
            let run = fit.start(k, &options).map_err(js_error)?;
            fit.run = Some(run);
            fit.problem = None;
            fit.e_step_mixture = None;
            fit.half_steps = 0;
        });
        self.space = space;
        self.k = k;
        self.options = options;
        Ok(())
    }

    fn replace_points(&mut self, points: Vec<[f64; 2]>) -> Result<(), JsError> {
        self.try_restart(
            Space::Two(Fit::new(points, None)),
            self.k,
            self.options.clone(),
        )?;
        self.preset = "custom".to_string();
        Ok(())
    }
}
