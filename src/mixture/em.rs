//! The EM algorithm as a state machine that a student can step one half at a time.
//!
//! Owns [`Em`], its options and the two ways to compute a step:
//! - [`Kernel::Reference`]: the textbook E-step (responsibilities by log-sum-exp, stored n×K)
//!   and M-step (weights, means, then covariances around the new means). Plain and obviously
//!   correct; the fast kernel is tested against it.
//! - [`Kernel::Fast`]: the fused blocked E-step of `fast.rs`, which also accumulates the M-step's
//!   sufficient statistics, so the M-step only turns statistics into parameters.
//!
//! An E-step may also be done elsewhere: the GPU's (`crate::gpu::em`) hands its statistics, in
//! the fast kernel's form, to `Em::e_step_from_statistics`, and the same M-step follows.
//!
//! The lower bound follows scikit-learn's `lower_bound_`: the mean log-likelihood per point under
//! the parameters the E-step used. EM never decreases it (up to rounding); the run has converged
//! when one iteration changes it by less than `tol`.
//!
//! Degenerate cases and what happens:
//! - `reg_covar` (default 1e-6) is added to every covariance's diagonal, so a component that
//!   collapses onto one point (or onto duplicate points) keeps an invertible covariance;
//!   with `reg_covar = 0` the M-step reports [`MixtureError::Collapsed`] instead;
//! - a component left with (almost) no points — fewer than [`DEAD_COMPONENT_POINTS`] — is
//!   re-seeded: its mean moves to the point the current mixture explains worst (lowest
//!   log-likelihood), its covariance becomes the data covariance and its weight 1/n. Each such
//!   event is recorded in [`Em::reseeds`]. Re-seeding can lower the lower bound once.

use super::fast::{self, Scratch, Statistics};
use super::init::{initial_mixture, regularised, Init};
use super::model::{CovarianceType, Dataset, GaussianMixture};
use super::MixtureError;
use crate::prob::{log_sum_exp, ParamError};
use crate::rng;
use crate::state::{Reader, Writer};

/// Which half of an EM iteration comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HalfStep {
    /// Expectation: compute responsibilities under the current parameters.
    E,
    /// Maximisation: new parameters from the responsibilities.
    M,
}

/// Which implementation computes the steps; both give the same numbers to about 1e-12.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kernel {
    /// Blocked, fused, vectorised: for large data and benchmarks.
    Fast,
    /// Textbook loops: for checking.
    Reference,
}

/// A component whose effective number of points falls below this is re-seeded.
pub const DEAD_COMPONENT_POINTS: f64 = 1e-6;

/// Settings of an EM run; [`EmOptions::default`] gives scikit-learn's defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct EmOptions {
    /// Shape of every covariance.
    pub covariance_type: CovarianceType,
    /// Added to every covariance diagonal, keeping it invertible (scikit-learn: 1e-6).
    pub reg_covar: f64,
    /// Converged when the lower bound changes by less than this in one iteration (scikit-learn: 1e-3).
    pub tol: f64,
    /// [`Em::run`] stops after this many iterations (scikit-learn: 100).
    pub max_iter: usize,
    /// How the starting mixture is chosen.
    pub init: Init,
    /// Seed of the generator used by the initialisation: same seed, same run.
    pub seed: u64,
    /// Store the n×K responsibilities in each E-step (the fast kernel can skip it for speed).
    pub keep_responsibilities: bool,
    /// Which implementation computes the steps.
    pub kernel: Kernel,
}

impl Default for EmOptions {
    fn default() -> Self {
        Self {
            covariance_type: CovarianceType::Full,
            reg_covar: 1e-6,
            tol: 1e-3,
            max_iter: 100,
            init: Init::KMeansPlusPlus,
            seed: 0,
            keep_responsibilities: true,
            kernel: Kernel::Fast,
        }
    }
}

/// A component re-seeded because it had lost (almost) all its points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Reseed {
    /// The iteration (1-based, as `n_iter` after it) whose M-step re-seeded.
    pub iteration: usize,
    /// The component re-seeded.
    pub component: usize,
    /// The index of the point its mean moved to.
    pub point: usize,
}

/// Where a run stands between two iterations, read from a training state and not yet applied
/// (see [`Em::read_state`]).
#[derive(Debug, Clone)]
pub struct RunState<const D: usize> {
    mixture: GaussianMixture<D>,
    lower_bound: f64,
    lower_bound_history: Vec<f64>,
    n_iter: usize,
    converged: bool,
    reseeds: Vec<Reseed>,
}

/// An EM run in progress: data, current mixture and where in the iteration it stands.
#[derive(Debug, Clone)]
pub struct Em<const D: usize> {
    data: Dataset<D>,
    options: EmOptions,
    mixture: GaussianMixture<D>,
    next: HalfStep,
    responsibilities: Vec<f64>,
    has_responsibilities: bool,
    statistics: Statistics<D>,
    scratch: Scratch,
    lower_bound: f64,
    lower_bound_history: Vec<f64>,
    n_iter: usize,
    converged: bool,
    reseeds: Vec<Reseed>,
}

impl<const D: usize> Em<D> {
    /// Starts EM with `k` components initialised as `options.init` says, seeded by `options.seed`.
    pub fn new(data: Dataset<D>, k: usize, options: EmOptions) -> Result<Self, MixtureError> {
        check_options(&options)?;
        let mut rng = rng::seeded(options.seed);
        let mixture = initial_mixture(
            &data,
            k,
            options.covariance_type,
            options.reg_covar,
            options.init,
            &mut rng,
        )?;
        Self::from_mixture(data, mixture, options)
    }

    /// Starts EM from a given mixture (its covariance type replaces `options.covariance_type`).
    pub fn from_mixture(
        data: Dataset<D>,
        mixture: GaussianMixture<D>,
        mut options: EmOptions,
    ) -> Result<Self, MixtureError> {
        check_options(&options)?;
        if mixture.k() > data.len() {
            return Err(MixtureError::TooManyComponents {
                k: mixture.k(),
                points: data.len(),
            });
        }
        options.covariance_type = mixture.covariance_type();
        let k = mixture.k();
        Ok(Self {
            data,
            options,
            next: HalfStep::E,
            responsibilities: Vec::new(),
            has_responsibilities: false,
            statistics: Statistics::zeros(k),
            scratch: Scratch::default(),
            lower_bound: f64::NEG_INFINITY,
            lower_bound_history: Vec::new(),
            n_iter: 0,
            converged: false,
            reseeds: Vec::new(),
            mixture,
        })
    }

    /// Which half-step [`Em::step`] will do next.
    pub fn next_half_step(&self) -> HalfStep {
        self.next
    }

    /// The E-step: responsibilities (and sufficient statistics) under the current parameters;
    /// sets `lower_bound`. Repeating it before the M-step recomputes the same numbers.
    pub fn e_step(&mut self) {
        let k = self.mixture.k();
        let n = self.data.len();
        let store = self.options.keep_responsibilities || self.options.kernel == Kernel::Reference;
        if store {
            self.responsibilities.resize(n * k, 0.0);
        }
        let total = match self.options.kernel {
            Kernel::Fast => fast::fused_e_step(
                &self.data,
                &self.mixture,
                store.then_some(&mut self.responsibilities[..]),
                &mut self.statistics,
                &mut self.scratch,
            ),
            Kernel::Reference => {
                reference_e_step(&self.data, &self.mixture, &mut self.responsibilities)
            }
        };
        self.has_responsibilities = store;
        self.e_step_done(total);
    }

    /// The E-step done elsewhere (on the GPU): its sufficient statistics, centred at the current
    /// means as the fast kernel's are, and Σ log p(x_i). The M-step then turns them into
    /// parameters exactly as it turns the fast kernel's own; no responsibilities are stored.
    pub(crate) fn e_step_from_statistics(&mut self, statistics: Statistics<D>, total: f64) {
        self.statistics = statistics;
        self.has_responsibilities = false;
        self.e_step_done(total);
    }

    /// Records an E-step's lower bound (replacing the last one when the E-step was repeated).
    fn e_step_done(&mut self, total: f64) {
        self.lower_bound = total / self.data.len() as f64;
        if self.next == HalfStep::M {
            self.lower_bound_history.pop();
        }
        self.lower_bound_history.push(self.lower_bound);
        self.next = HalfStep::M;
    }

    /// The M-step: new weights, means and covariances from the last E-step; then checks
    /// convergence. Errors if no E-step has run since the last M-step.
    pub fn m_step(&mut self) -> Result<(), MixtureError> {
        if self.next != HalfStep::M {
            return Err(MixtureError::MStepBeforeEStep);
        }
        let moments = match (self.options.kernel, self.has_responsibilities) {
            // The reference E-step always stores the responsibilities this sums.
            (Kernel::Reference, true) => {
                reference_moments(&self.data, &self.responsibilities, self.mixture.k())
            }
            // The fast E-step, or one done on the GPU, left its sufficient statistics.
            _ => moments_from_statistics(&self.statistics, self.mixture.means()),
        };
        self.mixture = self.parameters_from_moments(&moments)?;
        self.n_iter += 1;
        self.next = HalfStep::E;
        if let [.., previous, last] = self.lower_bound_history[..] {
            self.converged = (last - previous).abs() < self.options.tol;
        }
        Ok(())
    }

    /// Does the next half-step and says which one it did.
    pub fn step(&mut self) -> Result<HalfStep, MixtureError> {
        let done = self.next;
        match done {
            HalfStep::E => self.e_step(),
            HalfStep::M => self.m_step()?,
        }
        Ok(done)
    }

    /// Completes one iteration: the E-step (unless it is already done) and the M-step.
    pub fn iterate(&mut self) -> Result<(), MixtureError> {
        if self.next == HalfStep::E {
            self.e_step();
        }
        self.m_step()
    }

    /// Iterates until converged or `max_iter` iterations in total.
    pub fn run(&mut self) -> Result<(), MixtureError> {
        while !self.converged && self.n_iter < self.options.max_iter {
            self.iterate()?;
        }
        Ok(())
    }

    /// Writes where the run stands between two iterations, bit for bit: the mixture, the lower
    /// bounds, the iteration count, convergence and the re-seeds, for a copy of the run elsewhere
    /// (src/state.rs) to go on from. Refused mid-iteration, whose E-step's statistics would have
    /// to travel too, and for a run that keeps its n×K responsibilities.
    pub fn write_state(&self, w: &mut Writer) -> Result<(), String> {
        if self.next == HalfStep::M {
            return Err("EM is between an E-step and its M-step: do the M-step first".into());
        }
        self.travels()?;
        self.mixture.write_state(w);
        w.f64(self.lower_bound);
        w.f64s(&self.lower_bound_history);
        w.u64(self.n_iter as u64);
        w.flag(self.converged);
        let reseeds: Vec<u64> = self
            .reseeds
            .iter()
            .flat_map(|r| [r.iteration, r.component, r.point].map(|v| v as u64))
            .collect();
        w.u64s(&reseeds);
        Ok(())
    }

    /// Reads a state [`Em::write_state`] wrote of a run with the same data and options, without
    /// changing this run yet ([`Em::restore`] applies it): a state that does not fit is refused.
    pub fn read_state(&self, r: &mut Reader) -> Result<RunState<D>, String> {
        self.travels()?;
        let mixture =
            GaussianMixture::read_state(r, self.mixture.k(), self.options.covariance_type)?;
        let lower_bound = r.f64()?;
        let lower_bound_history = r.any_f64s()?;
        let n_iter = usize::try_from(r.u64()?)
            .map_err(|_| "the training state's iteration count does not fit this machine")?;
        let converged = r.flag("convergence")?;
        let reseeds = r.u64s()?;
        if !reseeds.len().is_multiple_of(3) {
            return Err("the training state's re-seeds come in threes".into());
        }
        let (k, n) = (self.mixture.k(), self.data.len());
        let reseeds = reseeds
            .chunks_exact(3)
            .map(
                |t| match [t[0], t[1], t[2]].map(|v| usize::try_from(v).ok()) {
                    [Some(iteration), Some(component), Some(point)]
                        if component < k && point < n =>
                    {
                        Ok(Reseed {
                            iteration,
                            component,
                            point,
                        })
                    }
                    _ => Err("the training state re-seeds a component or a point this run lacks"),
                },
            )
            .collect::<Result<Vec<_>, _>>()?;
        Ok(RunState {
            mixture,
            lower_bound,
            lower_bound_history,
            n_iter,
            converged,
            reseeds,
        })
    }

    /// Whether the run can travel as a training state: one that keeps its n×K responsibilities
    /// cannot (they would have to travel too).
    fn travels(&self) -> Result<(), String> {
        if self.options.keep_responsibilities {
            return Err(
                "this run keeps its responsibilities, which a training state does not carry".into(),
            );
        }
        Ok(())
    }

    /// Goes on from a state read by [`Em::read_state`]: the next half-step is an E-step.
    pub fn restore(&mut self, state: RunState<D>) {
        self.mixture = state.mixture;
        self.lower_bound = state.lower_bound;
        self.lower_bound_history = state.lower_bound_history;
        self.n_iter = state.n_iter;
        self.converged = state.converged;
        self.reseeds = state.reseeds;
        self.next = HalfStep::E;
        self.has_responsibilities = false;
    }

    /// The current mixture.
    pub fn mixture(&self) -> &GaussianMixture<D> {
        &self.mixture
    }

    /// The data being fitted.
    pub fn data(&self) -> &Dataset<D> {
        &self.data
    }

    /// The options of this run.
    pub fn options(&self) -> &EmOptions {
        &self.options
    }

    /// The current weights π_k.
    pub fn weights(&self) -> &[f64] {
        self.mixture.weights()
    }

    /// The current means μ_k.
    pub fn means(&self) -> &[[f64; D]] {
        self.mixture.means()
    }

    /// The current covariances Σ_k (full D×D matrices).
    pub fn covariances(&self) -> &[[[f64; D]; D]] {
        self.mixture.covariances()
    }

    /// The mean log-likelihood per point at the last E-step; -∞ before the first.
    pub fn lower_bound(&self) -> f64 {
        self.lower_bound
    }

    /// The lower bound of every E-step so far, one per iteration.
    pub fn lower_bound_history(&self) -> &[f64] {
        &self.lower_bound_history
    }

    /// Completed iterations (M-steps).
    pub fn n_iter(&self) -> usize {
        self.n_iter
    }

    /// Whether the last iteration changed the lower bound by less than `tol`.
    pub fn converged(&self) -> bool {
        self.converged
    }

    /// The regularisation added to every covariance diagonal.
    pub fn reg_covar(&self) -> f64 {
        self.options.reg_covar
    }

    /// Components re-seeded so far.
    pub fn reseeds(&self) -> &[Reseed] {
        &self.reseeds
    }

    /// The last E-step's responsibilities, point-major (`[i * k + component]`), or None when no
    /// E-step has stored them (before the first, or with `keep_responsibilities` off).
    pub fn responsibilities(&self) -> Option<&[f64]> {
        self.has_responsibilities
            .then_some(&self.responsibilities[..])
    }

    /// The numbers behind one point's responsibilities under the current mixture.
    pub fn explain_responsibility(&self, x: &[f64; D]) -> super::ResponsibilityExplanation {
        self.mixture.explain_responsibility(x)
    }

    fn parameters_from_moments(
        &mut self,
        moments: &[Moments<D>],
    ) -> Result<GaussianMixture<D>, MixtureError> {
        let n = self.data.len() as f64;
        let covariance_type = self.options.covariance_type;
        let reg_covar = self.options.reg_covar;
        let mut weights = Vec::with_capacity(moments.len());
        let mut means = Vec::with_capacity(moments.len());
        let mut covariances = Vec::with_capacity(moments.len());
        let mut worst_points: Option<Vec<usize>> = None;
        for (component, m) in moments.iter().enumerate() {
            if m.points >= DEAD_COMPONENT_POINTS {
                weights.push(m.points / n);
                means.push(m.mean);
                covariances.push(regularised(m.scatter, covariance_type, reg_covar));
                continue;
            }
            let worst = worst_points.get_or_insert_with(|| {
                let scores = self.mixture.score_samples(&self.data);
                let mut order: Vec<usize> = (0..scores.len()).collect();
                order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]));
                order
            });
            let point = worst
                .pop()
                .expect("k ≤ n leaves a point for every component");
            self.reseeds.push(Reseed {
                iteration: self.n_iter + 1,
                component,
                point,
            });
            weights.push(1.0 / n);
            means.push(self.data.point(point));
            covariances.push(regularised(
                self.data.covariance(),
                covariance_type,
                reg_covar,
            ));
        }
        let total: f64 = weights.iter().sum();
        let weights = weights.iter().map(|w| w / total).collect();
        GaussianMixture::new(weights, means, covariances, covariance_type).map_err(|e| match e {
            MixtureError::BadCovariance { component, .. } => MixtureError::Collapsed { component },
            other => other,
        })
    }
}

fn check_options(options: &EmOptions) -> Result<(), MixtureError> {
    if !(options.reg_covar.is_finite() && options.reg_covar >= 0.0) {
        return Err(ParamError::new("reg_covar", options.reg_covar, "a finite number ≥ 0").into());
    }
    if !(options.tol.is_finite() && options.tol >= 0.0) {
        return Err(ParamError::new("tol", options.tol, "a finite number ≥ 0").into());
    }
    Ok(())
}

/// What the M-step needs of one component: effective point count, mean, and the scatter
/// Σ r (x - mean)(x - mean)ᵀ / points (the covariance before projection and regularisation).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Moments<const D: usize> {
    points: f64,
    mean: [f64; D],
    scatter: [[f64; D]; D],
}

fn moments_from_statistics<const D: usize>(
    stats: &Statistics<D>,
    old_means: &[[f64; D]],
) -> Vec<Moments<D>> {
    (0..stats.sum_r.len())
        .map(|k| {
            let points = stats.sum_r[k];
            // The statistics are centred at the old mean; `shift` is how far the mean moves.
            let shift: [f64; D] = std::array::from_fn(|a| stats.sum_r_diff[k][a] / points);
            Moments {
                points,
                mean: std::array::from_fn(|a| old_means[k][a] + shift[a]),
                scatter: std::array::from_fn(|a| {
                    std::array::from_fn(|b| {
                        stats.sum_r_outer[k][a][b] / points - shift[a] * shift[b]
                    })
                }),
            }
        })
        .collect()
}

/// The textbook E-step: r_ik = π_k N(x_i; μ_k, Σ_k) / p(x_i) by log-sum-exp; returns Σ log p(x_i).
fn reference_e_step<const D: usize>(
    data: &Dataset<D>,
    mixture: &GaussianMixture<D>,
    responsibilities: &mut [f64],
) -> f64 {
    let k = mixture.k();
    let mut total = 0.0;
    for i in 0..data.len() {
        let log_weighted = mixture.weighted_log_densities(&data.point(i));
        let log_p = log_sum_exp(&log_weighted);
        total += log_p;
        for (r, l) in responsibilities[i * k..(i + 1) * k]
            .iter_mut()
            .zip(&log_weighted)
        {
            *r = (l - log_p).exp();
        }
    }
    total
}

/// The textbook M-step moments: N_k, then means, then covariances around the new means.
fn reference_moments<const D: usize>(
    data: &Dataset<D>,
    responsibilities: &[f64],
    k: usize,
) -> Vec<Moments<D>> {
    (0..k)
        .map(|c| {
            let r = |i: usize| responsibilities[i * k + c];
            let points: f64 = (0..data.len()).map(r).sum();
            let mean: [f64; D] = std::array::from_fn(|a| {
                (0..data.len())
                    .map(|i| r(i) * data.column(a)[i])
                    .sum::<f64>()
                    / points
            });
            let mut scatter = [[0.0; D]; D];
            for a in 0..D {
                for b in 0..=a {
                    let s: f64 = (0..data.len())
                        .map(|i| {
                            r(i) * (data.column(a)[i] - mean[a]) * (data.column(b)[i] - mean[b])
                        })
                        .sum();
                    scatter[a][b] = s / points;
                    scatter[b][a] = s / points;
                }
            }
            Moments {
                points,
                mean,
                scatter,
            }
        })
        .collect()
}
