//! The Classify lab's handle: labelled points, a generative classifier fitted to them, and a
//! logistic regression fitted by gradient descent beside LDA's closed form.
//!
//! Owns the lab's settings (preset, family, components, prior, smoothing, seed) and the data.
//! Every change refits at once: the closed-form families are final immediately, the mixture
//! family starts EM from k-means++ and [`ClassifyLab::step`] runs EM iterations; the logistic
//! regression starts at w = 0 and `step` takes gradient steps, so a student watches its line
//! approach the optimum (fitted by Newton's method and reported beside it) while LDA's is
//! instant. A setting the core refuses changes nothing; when the data cannot be fitted (no points)
//! the reason is kept in `problem`.

use super::{js_error, seed, whole_number};
use crate::classify::logistic::LogisticRegression;
use crate::classify::presets::ClassPreset;
use crate::classify::{
    lda_boundary, ClassifyError, Family, FitOptions, GenerativeClassifier, LabeledData,
    LinearBoundary, Prior, MAX_CLASSES,
};
use crate::mixture::GaussianMixture;
use crate::prob::ParamError;
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// Points in every preset.
const PRESET_POINTS: usize = 200;
/// The most points the lab holds (clicked or given).
const MAX_POINTS: usize = 5_000;

#[wasm_bindgen]
pub struct ClassifyLab {
    preset: String,
    data: LabeledData,
    family: Family,
    components: usize,
    /// P(class 1) for two classes; None: from the counts.
    prior: Option<f64>,
    smoothing: bool,
    seed: u64,
    classifier: Option<GenerativeClassifier>,
    lda: Option<GenerativeClassifier>,
    logistic: Option<LogisticRegression>,
    logistic_optimum: Option<LogisticRegression>,
    problem: Option<String>,
    steps: u64,
}

#[derive(Serialize)]
struct ClassDensity {
    weights: Vec<f64>,
    means: Vec<[f64; 2]>,
    covariances: Vec<[[f64; 2]; 2]>,
}

#[derive(Serialize)]
struct Snapshot {
    preset: String,
    family: &'static str,
    components: usize,
    n_classes: usize,
    n_points: usize,
    counts: Vec<usize>,
    /// "counts" or P(class 1).
    prior: PriorSetting,
    smoothing: bool,
    priors: Vec<f64>,
    /// The mean of each class's density (null for an empty class).
    means: Vec<Option<[f64; 2]>>,
    /// The covariance of each class's density (null for an empty class).
    covariances: Vec<Option<[[f64; 2]; 2]>>,
    /// Every component of every class (one for the Gaussian families).
    class_densities: Vec<Option<ClassDensity>>,
    accuracy: Option<f64>,
    log_loss: Option<f64>,
    n_parameters: Option<usize>,
    lda_weights: Option<[f64; 2]>,
    lda_bias: Option<f64>,
    lda_accuracy: Option<f64>,
    logistic_weights: Option<[f64; 2]>,
    logistic_bias: Option<f64>,
    logistic_accuracy: Option<f64>,
    logistic_objective: Option<f64>,
    logistic_steps: Option<usize>,
    logistic_optimum_weights: Option<[f64; 2]>,
    logistic_optimum_bias: Option<f64>,
    logistic_optimum_objective: Option<f64>,
    /// Degrees between LDA's boundary and the current logistic one (null before the first step).
    angle_lda_logistic: Option<f64>,
    angle_lda_logistic_optimum: Option<f64>,
    em_iterations: usize,
    em_converged: bool,
    steps: u64,
    notes: Vec<String>,
    problem: Option<String>,
    seed: u64,
}

#[derive(Serialize)]
#[serde(untagged)]
enum PriorSetting {
    Counts(&'static str),
    Class1(f64),
}

/// Every number of Bayes' rule at one point.
#[derive(Serialize)]
struct Explanation {
    point: [f64; 2],
    priors: Vec<f64>,
    likelihoods: Vec<f64>,
    products: Vec<f64>,
    evidence: f64,
    log_evidence: f64,
    posteriors: Vec<f64>,
    predicted: usize,
}

fn moments(mixture: &GaussianMixture<2>) -> ([f64; 2], [[f64; 2]; 2]) {
    let w = mixture.weights();
    let mut mean = [0.0; 2];
    for (k, m) in mixture.means().iter().enumerate() {
        mean[0] += w[k] * m[0];
        mean[1] += w[k] * m[1];
    }
    let mut cov = [[0.0; 2]; 2];
    for (k, (m, c)) in mixture
        .means()
        .iter()
        .zip(mixture.covariances())
        .enumerate()
    {
        let d = [m[0] - mean[0], m[1] - mean[1]];
        for a in 0..2 {
            for b in 0..2 {
                cov[a][b] += w[k] * (c[a][b] + d[a] * d[b]);
            }
        }
    }
    (mean, cov)
}

/// Plain data for JavaScript, with every missing value (`None`) as `null`, not `undefined`.
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let serializer = serde_wasm_bindgen::Serializer::new().serialize_missing_as_null(true);
    value.serialize(&serializer).map_err(js_error)
}

fn boundary_numbers(b: Option<LinearBoundary>) -> (Option<[f64; 2]>, Option<f64>) {
    (b.map(|b| b.weights), b.map(|b| b.bias))
}

#[wasm_bindgen]
impl ClassifyLab {
    #[wasm_bindgen(constructor)]
    pub fn new(preset: &str, seed_value: f64) -> Result<ClassifyLab, JsError> {
        let seed = seed(seed_value)?;
        let preset_kind = ClassPreset::from_name(preset).map_err(js_error)?;
        let mut lab = ClassifyLab {
            preset: preset.to_string(),
            data: preset_kind.generate(PRESET_POINTS, seed),
            family: Family::Qda,
            components: 2,
            prior: None,
            smoothing: false,
            seed,
            classifier: None,
            lda: None,
            logistic: None,
            logistic_optimum: None,
            problem: None,
            steps: 0,
        };
        lab.refit();
        Ok(lab)
    }

    /// Switches to a preset's points drawn with the current seed; the prior goes back to the
    /// counts when the class count changes.
    pub fn set_preset(&mut self, name: &str) -> Result<(), JsError> {
        let preset = ClassPreset::from_name(name).map_err(js_error)?;
        self.data = preset.generate(PRESET_POINTS, self.seed);
        if self.data.n_classes() != 2 {
            self.prior = None;
        }
        self.preset = name.to_string();
        self.refit();
        Ok(())
    }

    /// `qda`, `lda`, `naive_bayes` or `mixture` (with the current number of components).
    pub fn set_family(&mut self, name: &str) -> Result<(), JsError> {
        self.family = Family::from_name(name, self.components).map_err(js_error)?;
        self.refit();
        Ok(())
    }

    /// Components per class of the mixture family (1..=4); kept for when mixture is chosen.
    pub fn set_components(&mut self, m: f64) -> Result<(), JsError> {
        let m = whole_number("components", m, 1.0, 4.0)? as usize;
        self.components = m;
        if let Family::Mixture { .. } = self.family {
            self.family = Family::Mixture { components: m };
        }
        self.refit();
        Ok(())
    }

    /// P(class 1) strictly between 0 and 1, two classes only.
    pub fn set_prior(&mut self, p1: f64) -> Result<(), JsError> {
        Prior::two_class(p1).map_err(js_error)?;
        if self.data.n_classes() != 2 {
            return Err(JsError::new(&format!(
                "prior = {p1} is not allowed with {} classes: a number sets P(class 1) for two \
                 classes only; use \"counts\"",
                self.data.n_classes()
            )));
        }
        self.prior = Some(p1);
        self.refit();
        Ok(())
    }

    /// The prior from the class counts.
    pub fn set_prior_from_counts(&mut self) {
        self.prior = None;
        self.refit();
    }

    pub fn set_smoothing(&mut self, on: bool) {
        self.smoothing = on;
        self.refit();
    }

    /// The number of classes (2..=4); refused when a point has a class outside the new range.
    pub fn set_classes(&mut self, classes: f64) -> Result<(), JsError> {
        let c = whole_number("classes", classes, 2.0, MAX_CLASSES as f64)? as usize;
        let data = LabeledData::new(self.data.points().to_vec(), self.data.labels().to_vec(), c)
            .map_err(js_error)?;
        self.replace_data(data);
        Ok(())
    }

    /// Replaces the points: `rows` is x, y, class for each point, flat. The number of classes
    /// grows to hold the largest class given (at most 4).
    pub fn set_points(&mut self, rows: &[f64]) -> Result<(), JsError> {
        if !rows.len().is_multiple_of(3) {
            return Err(JsError::new(&format!(
                "got {} numbers, which is not a whole number of points: give [x, y, class] \
                 for each point",
                rows.len()
            )));
        }
        if rows.len() / 3 > MAX_POINTS {
            return Err(JsError::new(&format!(
                "{} points is too many: give at most {MAX_POINTS}",
                rows.len() / 3
            )));
        }
        let mut points = Vec::with_capacity(rows.len() / 3);
        let mut labels = Vec::with_capacity(rows.len() / 3);
        for (row, r) in rows.chunks_exact(3).enumerate() {
            if let Some(&value) = r[..2].iter().find(|v| !v.is_finite()) {
                return Err(js_error(ClassifyError::NonFinite { row, value }));
            }
            let class = r[2];
            if !(class.is_finite()
                && class.fract() == 0.0
                && (0.0..MAX_CLASSES as f64).contains(&class))
            {
                return Err(JsError::new(&format!(
                    "row {row} has class {class}: the class must be a whole number from 0 to {} \
                     (rows count from 0)",
                    MAX_CLASSES - 1
                )));
            }
            points.push([r[0], r[1]]);
            labels.push(class as usize);
        }
        let c = labels
            .iter()
            .map(|l| l + 1)
            .max()
            .unwrap_or(0)
            .max(self.data.n_classes());
        let data = LabeledData::new(points, labels, c).map_err(js_error)?;
        self.replace_data(data);
        Ok(())
    }

    /// Adds one point of class `class` (0..=3); the number of classes grows to hold it.
    pub fn add_point(&mut self, x: f64, y: f64, class: f64) -> Result<(), JsError> {
        if self.data.len() >= MAX_POINTS {
            return Err(JsError::new(&format!(
                "the lab holds at most {MAX_POINTS} points: Clear some first"
            )));
        }
        let mut rows: Vec<f64> = self
            .data
            .points()
            .iter()
            .zip(self.data.labels())
            .flat_map(|(p, &l)| [p[0], p[1], l as f64])
            .collect();
        rows.extend([x, y, class]);
        self.set_points(&rows)
    }

    /// Removes every point (the classes stay).
    pub fn clear_points(&mut self) {
        let c = self.data.n_classes();
        self.replace_data(LabeledData::new(vec![], vec![], c).expect("2..=4 classes"));
    }

    /// Draws the current preset again with `seed`; custom points stay, the fit restarts.
    pub fn reset(&mut self, seed_value: f64) -> Result<(), JsError> {
        self.seed = seed(seed_value)?;
        if let Ok(preset) = ClassPreset::from_name(&self.preset) {
            self.data = preset.generate(PRESET_POINTS, self.seed);
        }
        self.refit();
        Ok(())
    }

    /// `n` EM iterations in every class (mixture family) and `n` gradient steps of the logistic
    /// regression. Returns the steps taken so far.
    pub fn step(&mut self, n: f64) -> Result<f64, JsError> {
        let n = whole_number("n", n, 0.0, 100_000.0)?;
        if let Some(classifier) = &mut self.classifier {
            classifier.em_iterate(n as usize).map_err(js_error)?;
        }
        if let Some(logistic) = &mut self.logistic {
            for _ in 0..n {
                logistic.gradient_step();
            }
        }
        self.steps += n;
        Ok(self.steps as f64)
    }

    fn replace_data(&mut self, data: LabeledData) {
        self.data = data;
        self.preset = "custom".to_string();
        if self.data.n_classes() != 2 {
            self.prior = None;
        }
        self.refit();
    }

    fn options(&self, family: Family) -> FitOptions {
        FitOptions {
            family,
            prior: match self.prior {
                Some(p1) => Prior::two_class(p1).expect("checked when set"),
                None => Prior::FromCounts,
            },
            smoothing: self.smoothing,
            seed: self.seed,
            ..FitOptions::default()
        }
    }

    fn refit(&mut self) {
        self.steps = 0;
        match GenerativeClassifier::start(&self.data, &self.options(self.family)) {
            Ok(c) => {
                self.classifier = Some(c);
                self.problem = None;
            }
            Err(e) => {
                self.classifier = None;
                self.problem = Some(e.to_string());
            }
        }
        self.lda = if self.data.n_classes() == 2 {
            GenerativeClassifier::fit(&self.data, &self.options(Family::Lda)).ok()
        } else {
            None
        };
        self.logistic = if self.data.n_classes() == 2 {
            LogisticRegression::new(&self.data).ok()
        } else {
            None
        };
        self.logistic_optimum = self.logistic.clone().map(|mut l| {
            l.fit();
            l
        });
    }

    pub fn snapshot(&self) -> Result<JsValue, JsError> {
        let c = self.data.n_classes();
        let classifier = self.classifier.as_ref();
        let densities: Vec<Option<&GaussianMixture<2>>> = match classifier {
            Some(cl) => cl.densities().iter().map(|d| d.as_ref()).collect(),
            None => vec![None; c],
        };
        let lda = self.lda.as_ref().and_then(lda_boundary);
        let logistic = self.logistic.as_ref().map(|l| l.boundary());
        let optimum = self.logistic_optimum.as_ref().map(|l| l.boundary());
        let moved = self.logistic.as_ref().is_some_and(|l| l.steps() > 0);
        let (lda_weights, lda_bias) = boundary_numbers(lda);
        let (logistic_weights, logistic_bias) = boundary_numbers(logistic);
        let (logistic_optimum_weights, logistic_optimum_bias) = boundary_numbers(optimum);
        let snapshot = Snapshot {
            preset: self.preset.clone(),
            family: self.family.name(),
            components: self.components,
            n_classes: c,
            n_points: self.data.len(),
            counts: self.data.counts(),
            prior: match self.prior {
                Some(p) => PriorSetting::Class1(p),
                None => PriorSetting::Counts("counts"),
            },
            smoothing: self.smoothing,
            priors: classifier.map_or_else(Vec::new, |cl| cl.priors().to_vec()),
            means: densities.iter().map(|d| d.map(|m| moments(m).0)).collect(),
            covariances: densities.iter().map(|d| d.map(|m| moments(m).1)).collect(),
            class_densities: densities
                .iter()
                .map(|d| {
                    d.map(|m| ClassDensity {
                        weights: m.weights().to_vec(),
                        means: m.means().to_vec(),
                        covariances: m.covariances().to_vec(),
                    })
                })
                .collect(),
            accuracy: classifier.map(|cl| cl.accuracy(&self.data)),
            log_loss: classifier.map(|cl| cl.log_loss(&self.data)),
            n_parameters: classifier.map(|cl| cl.n_parameters()),
            lda_weights,
            lda_bias,
            lda_accuracy: self.lda.as_ref().map(|l| l.accuracy(&self.data)),
            logistic_weights,
            logistic_bias,
            logistic_accuracy: self.logistic.as_ref().map(|l| l.accuracy()),
            logistic_objective: self.logistic.as_ref().map(|l| l.objective()),
            logistic_steps: self.logistic.as_ref().map(|l| l.steps()),
            logistic_optimum_weights,
            logistic_optimum_bias,
            logistic_optimum_objective: self.logistic_optimum.as_ref().map(|l| l.objective()),
            angle_lda_logistic: match (lda, logistic) {
                (Some(a), Some(b)) if moved => Some(a.angle_to(&b)),
                _ => None,
            },
            angle_lda_logistic_optimum: match (lda, optimum) {
                (Some(a), Some(b)) => Some(a.angle_to(&b)),
                _ => None,
            },
            em_iterations: classifier.map_or(0, |cl| cl.em_iterations()),
            em_converged: classifier.is_some_and(|cl| cl.em_converged()),
            steps: self.steps,
            notes: classifier.map_or_else(Vec::new, |cl| {
                cl.notes().iter().map(|n| n.to_string()).collect()
            }),
            problem: self.problem.clone(),
            seed: self.seed,
        };
        to_js(&snapshot)
    }

    /// The points as x, y, class, flat.
    pub fn points(&self) -> Vec<f64> {
        self.data
            .points()
            .iter()
            .zip(self.data.labels())
            .flat_map(|(p, &l)| [p[0], p[1], l as f64])
            .collect()
    }

    /// P(y | x) at the centres of an nx × ny grid over [x_min, x_max] × [y_min, y_max]: entry
    /// (iy·nx + ix)·C + y, row 0 the lowest y. Empty when there is no fit.
    pub fn posterior_grid(
        &self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
        nx: usize,
        ny: usize,
    ) -> Vec<f32> {
        self.classifier.as_ref().map_or_else(Vec::new, |cl| {
            cl.posterior_grid((x_min, x_max), (y_min, y_max), nx, ny)
                .into_iter()
                .map(|v| v as f32)
                .collect()
        })
    }

    /// ln p(x) on the same grid (one number per cell).
    pub fn log_evidence_grid(
        &self,
        x_min: f64,
        x_max: f64,
        y_min: f64,
        y_max: f64,
        nx: usize,
        ny: usize,
    ) -> Vec<f32> {
        self.classifier.as_ref().map_or_else(Vec::new, |cl| {
            cl.log_evidence_grid((x_min, x_max), (y_min, y_max), nx, ny)
                .into_iter()
                .map(|v| v as f32)
                .collect()
        })
    }

    /// P(y) p(x | y) for every class at n points x from x_min to x_max along the line y = y0:
    /// entry i·C + class.
    pub fn joint_slice(&self, y0: f64, x_min: f64, x_max: f64, n: usize) -> Vec<f64> {
        let Some(cl) = &self.classifier else {
            return Vec::new();
        };
        (0..n)
            .flat_map(|i| {
                let x = x_min + (x_max - x_min) * i as f64 / (n.max(2) - 1) as f64;
                cl.log_joint(&[x, y0]).into_iter().map(f64::exp)
            })
            .collect()
    }

    /// Bayes' rule at (x, y), number by number; null when there is no fit.
    pub fn explain(&self, x: f64, y: f64) -> Result<JsValue, JsError> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(js_error(ParamError::new(
                "point",
                format!("({x}, {y})"),
                "two finite numbers",
            )));
        }
        let Some(cl) = &self.classifier else {
            return Ok(JsValue::NULL);
        };
        let e = cl.explain(&[x, y]);
        let explanation = Explanation {
            point: [x, y],
            priors: e.priors,
            likelihoods: e.likelihoods,
            products: e.products,
            evidence: e.evidence,
            log_evidence: e.log_evidence,
            posteriors: e.posteriors,
            predicted: cl.predict(&[x, y]),
        };
        to_js(&explanation)
    }
}
