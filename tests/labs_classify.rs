//! The Classify lab's own behaviour through its controller: refusals that depend on the data
//! (a number prior with three classes, too few classes for the points), today's links opening
//! the same run, custom data surviving a link, the lab's own actions and its checked views.

use genplay::labs::classify::{ClassifyModel, MAX_STEPS};
use genplay::labs::{Lab, Value};

fn lab() -> Lab<ClassifyModel> {
    Lab::new(7).expect("the default lab builds")
}

fn snapshot(lab: &Lab<ClassifyModel>) -> serde_json::Value {
    serde_json::to_value(lab.snapshot()).unwrap()
}

/// A link's text (`a=1&b=2`) as the parameters the page passes.
fn params(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .map(|pair| {
            let (name, text) = pair.split_once('=').unwrap();
            (name.to_string(), text.to_string())
        })
        .collect()
}

fn link_text(lab: &Lab<ClassifyModel>) -> String {
    lab.link()
        .into_iter()
        .map(|(name, text)| format!("{name}={text}"))
        .collect::<Vec<_>>()
        .join("&")
}

fn rows(points: &[[f64; 3]]) -> Value {
    Value::List(
        points
            .iter()
            .map(|p| Value::List(p.iter().map(|&x| Value::Number(x)).collect()))
            .collect(),
    )
}

#[test]
fn a_number_prior_is_refused_with_three_classes_and_nothing_changes() {
    let mut lab = lab();
    lab.set("preset", &Value::text("three_classes")).unwrap();
    let before = snapshot(&lab);
    let message = lab.set("prior", &Value::Number(0.3)).unwrap_err();
    assert!(
        message.contains("prior = 0.3 is not allowed with 3 classes")
            && message.contains("two classes only")
            && message.contains("\"counts\""),
        "{message}"
    );
    assert_eq!(snapshot(&lab), before);
    assert_eq!(lab.value("prior").unwrap(), Value::text("counts"));
    lab.set("prior", &Value::text("counts")).unwrap();
}

#[test]
fn a_number_prior_goes_back_to_the_counts_when_the_classes_are_not_two() {
    let mut lab = lab();
    lab.set("prior", &Value::Number(0.25)).unwrap();
    assert_eq!(snapshot(&lab)["priors"][1], 0.25);
    lab.set("preset", &Value::text("three_classes")).unwrap();
    assert_eq!(lab.value("prior").unwrap(), Value::text("counts"));
    lab.set("preset", &Value::text("moons")).unwrap();
    lab.set("prior", &Value::Number(0.25)).unwrap();
    lab.add_point(0.0, 0.0, 2.0).unwrap();
    assert_eq!(snapshot(&lab)["n_classes"], 3);
    assert_eq!(lab.value("prior").unwrap(), Value::text("counts"));
}

#[test]
fn an_old_link_with_smoothing_1_and_two_layers_opens_as_it_did() {
    let mut lab = lab();
    let outcome = lab.apply_link(&params(
        "preset=imbalanced&family=lda&components=2&prior=counts&smoothing=1&seed=5&steps=30\
         &show=heatmap,points",
    ));
    assert_eq!(outcome.refused, Vec::<String>::new());
    assert_eq!(lab.value("smoothing").unwrap(), Value::Bool(true));
    let layers = &snapshot(&lab)["layers"];
    for (name, on) in [
        ("show_heatmap", true),
        ("show_boundary", false),
        ("show_ellipses", false),
        ("show_points", true),
        ("show_lines", false),
        ("show_unusual", false),
    ] {
        assert_eq!(layers[name], on, "{name}");
    }
    // The same run, set by hand.
    let mut by_hand = Lab::<ClassifyModel>::new(5).unwrap();
    for (name, value) in [
        ("preset", Value::text("imbalanced")),
        ("family", Value::text("lda")),
        ("smoothing", Value::Bool(true)),
    ] {
        by_hand.set(name, &value).unwrap();
    }
    by_hand.step(30.0).unwrap();
    let (a, b) = (snapshot(&lab), snapshot(&by_hand));
    for key in [
        "preset",
        "priors",
        "class_densities",
        "logistic_weights",
        "steps",
        "seed",
    ] {
        assert_eq!(a[key], b[key], "{key}");
    }
    // smoothing=0 reads as off, as old links wrote it.
    lab.apply_link(&params("smoothing=0"));
    assert_eq!(lab.value("smoothing").unwrap(), Value::Bool(false));
}

#[test]
fn a_link_without_show_opens_the_default_layers_and_all_layers_on_survive() {
    let mut lab = lab();
    lab.set("show_lines", &Value::Bool(true)).unwrap();
    let text = link_text(&lab);
    assert!(
        text.contains("show=heatmap,boundary,ellipses,points,lines,unusual"),
        "{text}"
    );
    let mut opened = Lab::<ClassifyModel>::new(1).unwrap();
    opened.apply_link(&params(&text));
    assert_eq!(opened.value("show_lines").unwrap(), Value::Bool(true));
    let mut fresh = Lab::<ClassifyModel>::new(1).unwrap();
    fresh.apply_link(&params("preset=moons"));
    assert_eq!(fresh.value("show_lines").unwrap(), Value::Bool(false));
    assert_eq!(fresh.value("show_heatmap").unwrap(), Value::Bool(true));
}

#[test]
fn a_preset_link_is_todays_format() {
    let mut lab = lab();
    lab.set("preset", &Value::text("moons")).unwrap();
    lab.set("show_ellipses", &Value::Bool(false)).unwrap();
    lab.step(12.0).unwrap();
    assert_eq!(
        link_text(&lab),
        "preset=moons&family=qda&components=2&prior=counts&smoothing=false&seed=7\
         &show=heatmap,boundary,points,unusual&steps=12"
    );
}

#[test]
fn a_custom_data_set_survives_a_link() {
    let mut lab = lab();
    lab.set(
        "points",
        &rows(&[
            [-2.0, -1.0, 0.0],
            [-1.5, -0.5, 0.0],
            [-2.2, 0.3, 0.0],
            [2.0, 1.0, 1.0],
            [1.4, 0.2, 1.0],
            [0.125, 1.9, 1.0],
        ]),
    )
    .unwrap();
    lab.set("classes", &Value::Number(3.0)).unwrap();
    lab.set("family", &Value::text("mixture")).unwrap();
    lab.set("components", &Value::Number(2.0)).unwrap();
    lab.step(7.0).unwrap();
    let text = link_text(&lab);
    assert!(
        text.contains("preset=custom")
            && text.contains("classes=3")
            && text.contains("points=-2,-1,0;-1.5,-0.5,0;-2.2,0.3,0;2,1,1;1.4,0.2,1;0.125,1.9,1"),
        "{text}"
    );
    // Opened in a lab that shows something else entirely.
    let mut opened = Lab::<ClassifyModel>::new(3).unwrap();
    opened.set("preset", &Value::text("three_classes")).unwrap();
    opened.add_point(0.0, 0.0, 3.0).unwrap();
    let outcome = opened.apply_link(&params(&text));
    assert_eq!(outcome.refused, Vec::<String>::new());
    assert_eq!(snapshot(&opened), snapshot(&lab));
    assert_eq!(opened.points(), lab.points());
    // A new seed keeps the user's own points.
    opened.reset(99.0).unwrap();
    assert_eq!(opened.points(), lab.points());
}

#[test]
fn an_old_custom_link_opens_the_same_run() {
    // As the page wrote it before the settings schema: smoothing as 0/1, classes and points last.
    let old = "preset=custom&family=qda&components=2&prior=0.3&smoothing=0&seed=7&steps=4\
               &classes=2&points=-2,-1,0;-1,-1.2,0;-1.5,0,0;2,1,1;1.4,0.2,1;2.5,1.7,1\
               &show=heatmap,boundary,ellipses,points,unusual";
    let mut lab = lab();
    assert_eq!(lab.apply_link(&params(old)).refused, Vec::<String>::new());
    let s = snapshot(&lab);
    assert_eq!(s["preset"], "custom");
    assert_eq!(s["n_points"], 6);
    assert_eq!(s["prior"], 0.3);
    assert_eq!(s["steps"], 4);
    assert_eq!(s["counts"], serde_json::json!([3, 3]));
}

#[test]
fn classes_below_the_largest_class_are_refused() {
    let mut lab = lab();
    lab.add_point(1.0, 1.0, 3.0).unwrap();
    assert_eq!(snapshot(&lab)["n_classes"], 4);
    let before = snapshot(&lab);
    let message = lab.set("classes", &Value::Number(3.0)).unwrap_err();
    assert!(
        message.contains("classes = 3 is not allowed")
            && message.contains("class 3")
            && message.contains("classes must be exactly 4"),
        "{message}"
    );
    assert_eq!(snapshot(&lab), before);
    // The range itself comes from the schema.
    let message = lab.set("classes", &Value::Number(5.0)).unwrap_err();
    assert!(message.contains("a whole number from 2 to 4"), "{message}");
}

#[test]
fn clicks_clear_and_the_components_behave_as_documented() {
    let mut lab = lab();
    lab.set("components", &Value::Number(3.0)).unwrap();
    lab.set("family", &Value::text("lda")).unwrap();
    assert_eq!(snapshot(&lab)["components"], 3, "kept for the mixture");
    lab.set("family", &Value::text("mixture")).unwrap();
    assert_eq!(
        snapshot(&lab)["class_densities"][0]["means"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    lab.add_point(0.5, -0.5, 2.0).unwrap();
    let s = snapshot(&lab);
    assert_eq!(
        (s["preset"].clone(), s["n_points"].clone()),
        ("custom".into(), 201.into())
    );
    assert_eq!(s["n_classes"], 3);
    assert!(lab
        .add_point(f64::NAN, 0.0, 0.0)
        .unwrap_err()
        .contains("point = (NaN, 0)"));
    assert!(lab
        .add_point(0.0, 0.0, 4.0)
        .unwrap_err()
        .contains("class = 4 is not allowed"));
    lab.clear_points().unwrap();
    let s = snapshot(&lab);
    assert_eq!(s["n_points"], 0);
    assert_eq!(s["n_classes"], 3, "the classes stay");
    assert!(s["problem"].as_str().unwrap().contains("no points"));
    assert_eq!(lab.explain(0.0, 0.0).unwrap(), None);
}

#[test]
fn steps_replay_at_once_up_to_the_old_maximum() {
    let mut lab = lab();
    let outcome = lab.apply_link(&params(&format!("steps={MAX_STEPS}")));
    assert_eq!((outcome.refused.len(), outcome.replay), (0, 0));
    assert_eq!(lab.progress_count(), MAX_STEPS);
    let outcome = lab.apply_link(&params(&format!("steps={}", MAX_STEPS + 1)));
    assert!(outcome.refused[0].contains("steps = 100001 is not allowed"));
    assert!(lab.step(MAX_STEPS as f64 + 1.0).is_err());
}

#[test]
fn the_view_sizes_are_checked() {
    let lab = lab();
    let square = (-5.0, 5.0);
    assert_eq!(
        lab.posterior_grid(square, square, 4.0, 3.0).unwrap().len(),
        4 * 3 * 2
    );
    assert_eq!(
        lab.log_evidence_grid(square, square, 4.0, 3.0)
            .unwrap()
            .len(),
        4 * 3
    );
    assert_eq!(lab.joint_slice(0.0, square, 5.0).unwrap().len(), 5 * 2);
    for (nx, why) in [
        (
            0.0,
            "nx = 0 is not allowed: nx must be a whole number from 1 to 400",
        ),
        (2.5, "nx = 2.5"),
        (1e9, "nx = 1000000000"),
        (f64::NAN, "nx = NaN"),
    ] {
        let message = lab.posterior_grid(square, square, nx, 3.0).unwrap_err();
        assert!(message.contains(why), "{message}");
    }
    let message = lab
        .log_evidence_grid(square, square, 3.0, -1.0)
        .unwrap_err();
    assert!(message.contains("ny = -1"), "{message}");
    let message = lab.joint_slice(0.0, square, 1.0).unwrap_err();
    assert!(
        message.contains("n must be a whole number from 2 to 4096"),
        "{message}"
    );
    let message = lab
        .posterior_grid((5.0, -5.0), square, 3.0, 3.0)
        .unwrap_err();
    assert!(
        message.contains("x_min = 5, x_max = -5 is not allowed"),
        "{message}"
    );
    assert!(lab.joint_slice(f64::INFINITY, square, 3.0).is_err());
}

#[test]
fn bayes_rule_at_a_point_adds_up() {
    let lab = lab();
    let explanation = lab.explain(0.3, -0.2).unwrap().unwrap();
    let e = &explanation.numbers;
    // The posteriors come out of log-sum-exp; the plain products divided by p(x) must agree.
    for k in 0..2 {
        let by_hand = e.priors[k] * e.likelihoods[k] / e.evidence;
        assert!((by_hand - e.posteriors[k]).abs() < 1e-12);
    }
    let winner = (e.posteriors[1] > e.posteriors[0]) as usize;
    assert_eq!(explanation.predicted, winner);
    assert!(lab.explain(f64::NAN, 0.0).is_err());
}
