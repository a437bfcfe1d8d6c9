//! The Classify lab: labelled points (a seeded preset or the user's own), a generative
//! classifier fitted to them, and a logistic regression fitted by gradient descent beside LDA's
//! closed form.
//!
//! Every change of the data or the model refits at once: the closed-form families are final
//! immediately, the mixture family starts EM from k-means++ and [`Model::step`] runs EM
//! iterations; the logistic regression starts at w = 0 and `step` takes gradient steps, so a
//! student watches its line approach the optimum (fitted by Newton's method and reported beside
//! it) while LDA's is instant. When the data cannot be fitted (no points) the reason is kept in
//! `problem`; that is a state of the lab, not a refusal.
//!
//! The data are held as the preset's name and the seed (the points are drawn again when the
//! model is built) or, once the user edits them, as the points themselves: so a link holds
//! `preset=moons&seed=5`, and only custom data need `points=x,y,c;...`.

mod settings;
mod views;

pub use settings::{ClassifySettings, ClickMode, Layers};
pub use views::Explanation;

use super::lab::{playing_setting, seed_setting, speed_setting, Entry, Model};
use super::schema::{ChoiceItem, Control, InLink, LinkGroup, Progress, Setting, Stepping, LAYERS};
use super::value::Value;
use crate::choice::Choice;
use crate::classify::logistic::LogisticRegression;
use crate::classify::presets::ClassPreset;
use crate::classify::{
    lda_boundary, ClassifyError, Family, FitOptions, GenerativeClassifier, LabeledData,
    LinearBoundary, Prior, CLASSES, COMPONENTS, MAX_CLASSES, TWO_CLASS_PRIOR,
};
use crate::field;
use crate::mixture::GaussianMixture;
use crate::range::{number_text, Range};
use serde::Serialize;
use settings::{get_prior, put_classes, put_points, put_preset, put_prior};

/// Points in every preset.
pub const PRESET_POINTS: usize = 200;
/// The most points the lab holds (clicked or given).
pub const MAX_POINTS: usize = 5_000;
/// Links carry custom data sets of at most this many points (a link has to stay short).
pub const LINK_POINTS: usize = 200;
/// The most steps one `step(n)` takes, and the most a link replays.
pub const MAX_STEPS: u64 = 100_000;
/// The cells per side of a posterior or log-evidence grid the page may ask for.
pub const GRID_SIDE: Range = Range::whole(1, 400);
/// The points along the line of a joint slice the page may ask for.
pub const SLICE_POINTS: Range = Range::whole(2, 4096);
/// Steps per second while playing.
const SPEEDS: [f64; 9] = [1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, 200.0, 500.0];
const SEED_HELP: &str =
    "Draws the preset again with this seed (your own points stay) and starts the fit over.";
const POINTS_HELP: &str = "Replaces the data (preset becomes \"custom\"); the class count grows \
                           to hold the largest class.";
/// The API name of the user's own data.
const CUSTOM: &str = "custom";
/// Marker shapes by class (as the plot draws them), so that colour is not the only cue.
const SHAPE_GLYPHS: [&str; MAX_CLASSES] = ["●", "■", "▲", "◆"];

/// The fitted classifier, LDA and the logistic regression beside it.
pub struct ClassifyModel {
    data: LabeledData,
    classifier: Option<GenerativeClassifier>,
    lda: Option<GenerativeClassifier>,
    logistic: Option<LogisticRegression>,
    logistic_optimum: Option<LogisticRegression>,
    problem: Option<String>,
    steps: u64,
}

#[derive(Serialize)]
pub struct ClassDensity {
    pub weights: Vec<f64>,
    pub means: Vec<[f64; 2]>,
    pub covariances: Vec<[[f64; 2]; 2]>,
}

/// The lab's state as plain data (the README's "### Classify" lists every field).
#[derive(Serialize)]
pub struct ClassifySnapshot {
    pub preset: &'static str,
    pub family: &'static str,
    pub components: usize,
    pub n_classes: usize,
    pub n_points: usize,
    pub counts: Vec<usize>,
    /// "counts" or P(class 1).
    pub prior: Value,
    pub smoothing: bool,
    pub priors: Vec<f64>,
    /// The mean of each class's density (null for an empty class).
    pub means: Vec<Option<[f64; 2]>>,
    /// The covariance of each class's density (null for an empty class).
    pub covariances: Vec<Option<[[f64; 2]; 2]>>,
    /// Every component of every class (one for the Gaussian families).
    pub class_densities: Vec<Option<ClassDensity>>,
    pub accuracy: Option<f64>,
    pub log_loss: Option<f64>,
    pub n_parameters: Option<usize>,
    pub lda_weights: Option<[f64; 2]>,
    pub lda_bias: Option<f64>,
    pub lda_accuracy: Option<f64>,
    pub logistic_weights: Option<[f64; 2]>,
    pub logistic_bias: Option<f64>,
    pub logistic_accuracy: Option<f64>,
    pub logistic_objective: Option<f64>,
    pub logistic_steps: Option<usize>,
    pub logistic_optimum_weights: Option<[f64; 2]>,
    pub logistic_optimum_bias: Option<f64>,
    pub logistic_optimum_objective: Option<f64>,
    /// Degrees between LDA's boundary and the current logistic one (null before the first step).
    pub angle_lda_logistic: Option<f64>,
    pub angle_lda_logistic_optimum: Option<f64>,
    pub em_iterations: usize,
    pub em_converged: bool,
    pub steps: u64,
    pub notes: Vec<String>,
    pub problem: Option<String>,
    pub seed: u64,
    pub click_class: usize,
    pub click_mode: &'static str,
}

/// The overall mean and covariance of a mixture.
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
        for (a, row) in cov.iter_mut().enumerate() {
            for (b, v) in row.iter_mut().enumerate() {
                *v += w[k] * (c[a][b] + d[a] * d[b]);
            }
        }
    }
    (mean, cov)
}

fn boundary_numbers(b: Option<LinearBoundary>) -> (Option<[f64; 2]>, Option<f64>) {
    (b.map(|b| b.weights), b.map(|b| b.bias))
}

fn fit_options(s: &ClassifySettings, family: Family) -> FitOptions {
    FitOptions {
        family,
        prior: match s.prior {
            Some(p1) => Prior::two_class(p1).expect("the schema checked the prior"),
            None => Prior::FromCounts,
        },
        smoothing: s.smoothing,
        seed: s.seed,
        ..FitOptions::default()
    }
}

impl Model for ClassifyModel {
    type Settings = ClassifySettings;
    type Snapshot = ClassifySnapshot;
    const NAME: &'static str = "classify";

    fn entries() -> Vec<Entry<ClassifySettings>> {
        let presets = ClassPreset::ALL
            .iter()
            .map(|p| ChoiceItem::new(p.api_name(), p.label()))
            .chain([ChoiceItem::new(CUSTOM, "Your points (custom)")])
            .collect();
        let layer = |name, label, help| {
            Setting::boolean(name)
                .label(label)
                .help(help)
                .group(LAYERS)
                .in_link(InLink::WhenChanged)
        };
        vec![
            Setting::choices("preset", presets)
                .label("Data set")
                .group("Data")
                .rebuilds()
                .bind((
                    |s| Value::text(s.preset.map_or(CUSTOM, |p| p.api_name())),
                    put_preset,
                )),
            Setting::points("points", &["x", "y", "class"], MAX_POINTS, LINK_POINTS)
                .classes(MAX_CLASSES)
                .label("Points")
                .help(POINTS_HELP)
                .group("Data")
                .rebuilds()
                .bind((
                    |s| match s.preset {
                        Some(_) => Value::Null,
                        None => Value::Rows {
                            columns: 3,
                            data: s.custom.clone(),
                        },
                    },
                    put_points,
                )),
            Setting::number("classes", CLASSES)
                .label("Classes")
                .help("The number of classes (refused when a point has a larger class).")
                .group("Data")
                .rebuilds()
                .control(Control::Custom)
                .bind((|s| Value::Number(s.classes as f64), put_classes)),
            Setting::choice::<Family>("family")
                .label("Class density p(x | y)")
                .group("Model")
                .rebuilds()
                .bind(field!(family)),
            Setting::number("components", COMPONENTS)
                .label("Mixture components m per class")
                .help("used by the mixture family; Play runs EM")
                .group("Model")
                .rebuilds()
                .bind(field!(components)),
            Setting::number("prior", TWO_CLASS_PRIOR)
                .or_names(&["counts"])
                .label("P(class 1)")
                .help("two classes only; dragging it replaces the counts")
                .group("Model")
                .rebuilds()
                .control(Control::Custom)
                .bind((get_prior, put_prior)),
            Setting::boolean("smoothing")
                .label("Add-one (Laplace) smoothing of the counts")
                .group("Model")
                .rebuilds()
                .bind(field!(smoothing)),
            seed_setting(SEED_HELP).bind(field!(seed)),
            Setting::choice::<ClickMode>("click_mode")
                .label("A click on the plot")
                .group("Clicks")
                .in_link(InLink::WhenChanged)
                .bind(field!(click_mode)),
            Setting::choices(
                "click_class",
                (0..MAX_CLASSES)
                    .map(|c| ChoiceItem::new(c as f64, format!("{} class {c}", SHAPE_GLYPHS[c])))
                    .collect(),
            )
            .label("Class of added points")
            .group("Clicks")
            .in_link(InLink::WhenChanged)
            .bind(field!(click_class)),
            speed_setting(
                SPEEDS
                    .iter()
                    .map(|&v| {
                        let plural = if v == 1.0 { "" } else { "s" };
                        ChoiceItem::new(v, format!("{} step{plural}/s", number_text(v)))
                    })
                    .collect(),
                "steps per second while playing",
            )
            .bind(field!(speed)),
            playing_setting().bind(field!(playing)),
            layer(
                "show_heatmap",
                "Posterior heatmap",
                "the most likely class, paler where unsure",
            )
            .bind(field!(layers.show_heatmap)),
            layer(
                "show_boundary",
                "Decision boundary",
                "where two classes tie",
            )
            .bind(field!(layers.show_boundary)),
            layer(
                "show_ellipses",
                "1σ / 2σ ellipses",
                "of every fitted component",
            )
            .bind(field!(layers.show_ellipses)),
            layer("show_points", "Points", "the data, shaped by class")
                .bind(field!(layers.show_points)),
            layer(
                "show_lines",
                "LDA line vs logistic (dashed)",
                "two classes only",
            )
            .bind(field!(layers.show_lines)),
            layer(
                "show_unusual",
                "Grey where p(x) is tiny",
                "p(x) below 10⁻³: unlike every class",
            )
            .bind(field!(layers.show_unusual)),
        ]
    }

    fn progress() -> Progress {
        Progress {
            name: "steps",
            max: MAX_STEPS,
            over_frames: false,
            unit: "steps since the last change",
        }
    }

    fn stepping() -> Stepping {
        Stepping {
            default: 1,
            max: MAX_STEPS,
            unit: "EM iterations per class and gradient steps of the logistic regression",
        }
    }

    fn link_groups() -> Vec<LinkGroup> {
        vec![LinkGroup {
            name: "show",
            members: vec![
                "show_heatmap",
                "show_boundary",
                "show_ellipses",
                "show_points",
                "show_lines",
                "show_unusual",
            ],
            strip: "show_",
        }]
    }

    /// `classes` goes with the user's own points; a preset says its classes itself.
    fn written_in_link(s: &ClassifySettings, name: &str) -> bool {
        name != "classes" || (s.preset.is_none() && s.custom.len() / 3 <= LINK_POINTS)
    }

    fn build(s: &ClassifySettings) -> Result<Self, String> {
        let data = s.data()?;
        let (classifier, problem) =
            match GenerativeClassifier::start(&data, &fit_options(s, s.family())) {
                Ok(c) => (Some(c), None),
                Err(e) => (None, Some(e.to_string())),
            };
        let two = data.n_classes() == 2;
        let lda = two
            .then(|| GenerativeClassifier::fit(&data, &fit_options(s, Family::Lda)).ok())
            .flatten();
        let logistic = two.then(|| LogisticRegression::new(&data).ok()).flatten();
        let logistic_optimum = logistic.clone().map(|mut l| {
            l.fit();
            l
        });
        Ok(Self {
            data,
            classifier,
            lda,
            logistic,
            logistic_optimum,
            problem,
            steps: 0,
        })
    }

    /// `n` EM iterations in every class (mixture family) and `n` gradient steps of the logistic
    /// regression. Returns the steps taken since the last change.
    fn step(&mut self, _: &ClassifySettings, n: u64) -> Result<f64, String> {
        if let Some(classifier) = &mut self.classifier {
            classifier
                .em_iterate(n as usize)
                .map_err(|e: ClassifyError| e.to_string())?;
        }
        if let Some(logistic) = &mut self.logistic {
            for _ in 0..n {
                logistic.gradient_step();
            }
        }
        self.steps += n;
        Ok(self.steps as f64)
    }

    fn progress_count(&self) -> u64 {
        self.steps
    }

    fn advance(&mut self, s: &ClassifySettings, count: u64) -> Result<(), String> {
        self.step(s, count).map(|_| ())
    }

    fn snapshot(&self, s: &ClassifySettings) -> ClassifySnapshot {
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
        ClassifySnapshot {
            preset: s.preset.map_or(CUSTOM, |p| p.api_name()),
            family: s.family.api_name(),
            components: s.components,
            n_classes: c,
            n_points: self.data.len(),
            counts: self.data.counts(),
            prior: get_prior(s),
            smoothing: s.smoothing,
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
            seed: s.seed,
            click_class: s.click_class,
            click_mode: s.click_mode.api_name(),
        }
    }
}
