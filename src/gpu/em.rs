//! The EM E-step on the GPU (the kernel is `em.wgsl`, beside this file): the points go up once
//! per data set; per E-step only the mixture's parameters go up and K × 6 sufficient statistics
//! and the log-likelihood come back. The M-step stays on the CPU: the statistics are handed to
//! the run ([`Em`]), whose own M-step turns them into parameters, as it does the CPU kernel's.
//!
//! Owns [`EStepKernel`]: [`EStepKernel::new`] uploads the data, [`EStepKernel::start`] starts one
//! E-step (a [`Readback`] on its way: await it in a browser, wait for it natively) and
//! [`EStepKernel::finish`] gives the run what came back. Mixtures in one or two dimensions, with
//! full, diagonal or spherical covariances and up to [`MAX_COMPONENTS`] components.
//!
//! Precision: the GPU computes in f32, the CPU in f64. The points are uploaded relative to their
//! own mean and the statistics are moments about each component's current mean (as the CPU's
//! fast kernel takes them), so the rounding is relative to the spread of the data, not to where
//! they sit; sums go through tree reductions. The tests hold the two paths to 1e-4 relative
//! after 10 iterations.

use super::{Gpu, GpuError, Readback};
use crate::mixture::{Em, GaussianMixture, Statistics};

/// The most components the kernel takes (its per-invocation sums are sized for them).
pub const MAX_COMPONENTS: usize = 16;
/// Invocations per workgroup (as `@workgroup_size` in `em.wgsl`).
const WORKGROUP: usize = 256;
/// Points each invocation takes: enough to make the workgroup's reduction a small share of the
/// work, few enough that its own running sums (in f32) stay short.
const POINTS_PER_INVOCATION: usize = 8;
/// The most workgroups one dispatch may have along x (WebGPU's limit per dimension). Beyond
/// 65,535 × 256 × 8 points (134 million) each invocation simply takes more points.
const MAX_WORKGROUPS: usize = 65_535;
/// Sufficient statistics per component: Σr, Σr·dx, Σr·dy, Σr·dx², Σr·dx·dy, Σr·dy².
const STATISTICS: usize = 6;
/// The parameters' uniform: 4 words of counts, then two vec4 per component.
const PARAMS_WORDS: usize = 4 + 8 * MAX_COMPONENTS;

const SOURCE: &str = include_str!("em.wgsl");

/// The points of one data set on the GPU, and the two passes of the E-step over them.
pub struct EStepKernel {
    n: usize,
    dimension: usize,
    /// The mean of the points: they are uploaded relative to it, and so are the means.
    origin: [f64; 2],
    workgroups: usize,
    statistics: wgpu::ComputePipeline,
    reduce: wgpu::ComputePipeline,
    params: wgpu::Buffer,
    totals: wgpu::Buffer,
    staging: wgpu::Buffer,
    statistics_bind: wgpu::BindGroup,
    reduce_bind: wgpu::BindGroup,
}

impl EStepKernel {
    /// Uploads `points` (`dimension` coordinates per point, point-major, one or two dimensions)
    /// and builds the passes.
    pub fn new(gpu: &Gpu, points: &[f64], dimension: usize) -> Result<Self, GpuError> {
        if !(1..=2).contains(&dimension)
            || points.is_empty()
            || !points.len().is_multiple_of(dimension)
        {
            return Err(GpuError::Failed(format!(
                "the EM kernel takes 1-D or 2-D points, not {} numbers in {dimension}-D",
                points.len()
            )));
        }
        let n = points.len() / dimension;
        if n > u32::MAX as usize {
            return Err(GpuError::Failed(format!(
                "{n} points are more than the kernel counts"
            )));
        }
        let mut origin = [0.0; 2];
        for (a, o) in origin.iter_mut().enumerate().take(dimension) {
            *o = points.iter().skip(a).step_by(dimension).sum::<f64>() / n as f64;
        }
        let relative: Vec<f32> = points
            .chunks_exact(dimension)
            .flat_map(|p| {
                let y = if dimension == 2 {
                    p[1] - origin[1]
                } else {
                    0.0
                };
                [(p[0] - origin[0]) as f32, y as f32]
            })
            .collect();
        let workgroups = n
            .div_ceil(WORKGROUP * POINTS_PER_INVOCATION)
            .clamp(1, MAX_WORKGROUPS);
        let row = MAX_COMPONENTS * STATISTICS + 1;

        gpu.catch(|| {
            let points_buffer = gpu.storage("em points", relative.len());
            gpu.write(&points_buffer, &relative);
            let params = gpu.uniform("em parameters", PARAMS_WORDS);
            let partials = gpu.storage("em partial sums", workgroups * row);
            let totals = gpu.storage("em statistics", row);
            let statistics = gpu.pipeline("em statistics", SOURCE, "statistics");
            let reduce = gpu.pipeline("em reduce", SOURCE, "reduce_partials");
            // The passes share the parameters and the partial sums: their bindings are numbered
            // across the module, not from 0 in each.
            let statistics_bind = gpu.bind_numbered(
                &statistics,
                &[(0, &params), (1, &points_buffer), (2, &partials)],
            );
            let reduce_bind =
                gpu.bind_numbered(&reduce, &[(0, &params), (2, &partials), (3, &totals)]);
            Self {
                n,
                dimension,
                origin,
                workgroups,
                statistics,
                reduce,
                params,
                staging: Readback::staging(gpu, "em statistics read-back", row),
                totals,
                statistics_bind,
                reduce_bind,
            }
        })
    }

    /// The number of points uploaded.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Always false: a kernel holds at least one point.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// Starts one E-step under `mixture`: uploads its parameters, runs both passes and starts
    /// reading the statistics back.
    pub fn start<const D: usize>(
        &self,
        gpu: &Gpu,
        mixture: &GaussianMixture<D>,
    ) -> Result<Readback, GpuError> {
        let k = mixture.k();
        if D != self.dimension || k > MAX_COMPONENTS {
            return Err(GpuError::Failed(format!(
                "the EM kernel holds {}-D points and takes up to {MAX_COMPONENTS} components, \
                 not a {D}-D mixture of {k}",
                self.dimension
            )));
        }
        gpu.catch(|| {
            gpu.write_words(&self.params, &self.parameter_words(mixture));
            let mut encoder = gpu.device.create_command_encoder(&Default::default());
            {
                let mut pass = encoder.begin_compute_pass(&Default::default());
                pass.set_pipeline(&self.statistics);
                pass.set_bind_group(0, &self.statistics_bind, &[]);
                pass.dispatch_workgroups(self.workgroups as u32, 1, 1);
                // The second dispatch sees all of the first one's writes (WebGPU orders them).
                pass.set_pipeline(&self.reduce);
                pass.set_bind_group(0, &self.reduce_bind, &[]);
                pass.dispatch_workgroups(k as u32, 1, 1);
            }
            let len = k * STATISTICS + 1;
            Readback::start(gpu, encoder, &self.totals, &self.staging, len)
        })
    }

    /// Gives `run` the E-step whose read-back returned `values`; `run`'s mixture must be the one
    /// the E-step was started with (its next half-step is then the M-step).
    pub fn finish<const D: usize>(&self, run: &mut Em<D>, values: &[f32]) -> Result<(), GpuError> {
        let k = run.mixture().k();
        if values.len() != k * STATISTICS + 1 || run.data().len() != self.n {
            return Err(GpuError::Failed(format!(
                "the read-back holds {} numbers for {} points; this run needs {} for {}",
                values.len(),
                self.n,
                k * STATISTICS + 1,
                run.data().len()
            )));
        }
        if let Some(bad) = values.iter().position(|v| !v.is_finite()) {
            return Err(GpuError::Failed(format!(
                "the E-step's statistics came back with a non-finite number (at {bad})"
            )));
        }
        let mut statistics = Statistics::<D>::zeros(k);
        for c in 0..k {
            let s = |i: usize| f64::from(values[c * STATISTICS + i]);
            statistics.sum_r[c] = s(0);
            // Index a of a D-D point is statistic 1 + a; entry (a, b) of the outer product is
            // 3 + a + b (dx·dx, dx·dy, dy·dy).
            for a in 0..D {
                statistics.sum_r_diff[c][a] = s(1 + a);
                for b in 0..D {
                    statistics.sum_r_outer[c][a][b] = s(3 + a + b);
                }
            }
        }
        run.e_step_from_statistics(statistics, f64::from(values[k * STATISTICS]));
        Ok(())
    }

    /// One E-step on the GPU, waited for (native only: a browser cannot wait).
    #[cfg(not(target_arch = "wasm32"))]
    pub fn e_step_blocking<const D: usize>(
        &self,
        gpu: &Gpu,
        run: &mut Em<D>,
    ) -> Result<(), GpuError> {
        let values = self.start(gpu, run.mixture())?.wait(gpu)?;
        self.finish(run, &values)
    }

    /// The uniform's words: counts, then per component its mean (relative to the points'
    /// origin), log πₖ + log normaliser and its precision, computed in f64 and rounded once.
    fn parameter_words<const D: usize>(&self, mixture: &GaussianMixture<D>) -> Vec<u32> {
        let k = mixture.k();
        let mut words = vec![self.n as u32, k as u32, self.workgroups as u32, 0];
        for (c, pre) in mixture.precomputed().iter().enumerate() {
            let mean = mixture.means()[c];
            let at = |a: usize, b: usize| {
                if a < D && b < D {
                    pre.precision[a][b]
                } else {
                    0.0
                }
            };
            // 1-D points have y = 0, and so do their means.
            let y = mean.get(1).map_or(0.0, |m| m - self.origin[1]);
            let constant = mixture.weights()[c].ln() + pre.log_normaliser;
            let values = [
                mean[0] - self.origin[0],
                y,
                constant,
                0.0,
                at(0, 0),
                at(0, 1),
                at(1, 1),
                0.0,
            ];
            words.extend(values.iter().map(|&v| (v as f32).to_bits()));
        }
        words.resize(PARAMS_WORDS, 0);
        words
    }
}
