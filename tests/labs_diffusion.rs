//! The diffusion lab's controller: refusals that name the parameter and say what is allowed,
//! the objective taking its sampler along, T keeping t and the sampling steps in place, what
//! rebuilds and what applies live, the forward numbers of the snapshot, and a link's round trip.

use genplay::labs::diffusion::DiffusionRun;
use genplay::labs::{Applies, Lab, Value};

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

fn lab() -> Lab<DiffusionRun> {
    Lab::<DiffusionRun>::new(1).unwrap()
}

#[test]
fn refusals_name_the_parameter_and_what_is_allowed_and_change_nothing() {
    let mut lab = lab();
    lab.step(3.0).unwrap();
    let before = json(&lab.snapshot());
    let cases = [
        (
            "sampler",
            Value::text("euler"),
            "sampler = \"euler\" is not allowed: sampler must be \"ddpm\" or \"ddim\" while objective is \"ddpm\"",
        ),
        (
            "sampling_steps",
            Value::Number(101.0),
            "sampling_steps = 101 is not allowed: sampling_steps must be a whole number from 1 to timesteps (now 100)",
        ),
        (
            "t",
            Value::Number(250.0),
            "t = 250 is not allowed: t must be a whole number from 0 to timesteps (now 100)",
        ),
        (
            "timesteps",
            Value::Number(2000.0),
            "timesteps = 2000 is not allowed: timesteps must be a whole number from 10 to 1000",
        ),
        ("objective", Value::text("score"), "objective = \"score\" is not allowed"),
        ("target", Value::text("drawn"), "drawing"),
    ];
    for (name, value, message) in cases {
        let error = lab.set(name, &value).unwrap_err();
        assert!(
            error.starts_with(message) || error.contains(message),
            "{name}: {error}"
        );
        assert_eq!(
            json(&lab.snapshot()),
            before,
            "{name}: a refusal changes nothing"
        );
    }
}

#[test]
fn the_objective_takes_its_sampler_along_and_the_sampler_applies_without_retraining() {
    let mut lab = lab();
    lab.step(20.0).unwrap();
    let applied = lab.set("sampler", &Value::text("ddim")).unwrap();
    assert_eq!(applied, Applies::Live);
    let s = json(&lab.snapshot());
    assert_eq!(s["iteration"], 20, "sampling again does not retrain");
    assert_eq!(
        s["samples_iteration"], 20,
        "the trained network was sampled"
    );
    assert_eq!(
        lab.set("objective", &Value::text("flow_matching")).unwrap(),
        Applies::Rebuild
    );
    let s = json(&lab.snapshot());
    assert_eq!(s["config"]["sampler"], "euler");
    assert_eq!(s["iteration"], 0);
    assert_eq!(
        s["alpha_bar"],
        serde_json::Value::Null,
        "flow matching has no ᾱ"
    );
    // At t = 25 of 100 the straight path keeps 3/4 of x₀ and has noise variance (1/4)².
    assert_eq!(s["mean_factor"], 0.75);
    assert_eq!(s["noise_variance"], 0.0625);
}

#[test]
fn changing_t_keeps_t_and_the_sampling_steps_in_their_place() {
    let mut lab = lab();
    lab.set("t", &Value::Number(60.0)).unwrap();
    lab.set("timesteps", &Value::Number(1000.0)).unwrap();
    let s = json(&lab.snapshot());
    assert_eq!(s["t"], 600);
    assert_eq!(
        s["config"]["sampling_steps"], 1000,
        "every step stays every step"
    );
    lab.set("sampling_steps", &Value::Number(50.0)).unwrap();
    lab.set("timesteps", &Value::Number(20.0)).unwrap();
    let s = json(&lab.snapshot());
    assert_eq!(s["t"], 12);
    assert_eq!(s["config"]["sampling_steps"], 20, "no more steps than T");
    // The forward numbers are the closed form's at that t.
    let alpha_bar = s["alpha_bar"].as_f64().unwrap();
    assert!((s["mean_factor"].as_f64().unwrap().powi(2) - alpha_bar).abs() < 1e-12);
    assert!((s["noise_variance"].as_f64().unwrap() - (1.0 - alpha_bar)).abs() < 1e-12);
}

#[test]
fn a_link_reproduces_the_run() {
    let mut lab = lab();
    lab.set("target", &Value::text("spiral")).unwrap();
    lab.set("schedule", &Value::text("linear")).unwrap();
    lab.set("timesteps", &Value::Number(50.0)).unwrap();
    lab.set("sampler", &Value::text("ddim")).unwrap();
    lab.set("sampling_steps", &Value::Number(10.0)).unwrap();
    lab.set("seed", &Value::Number(4.0)).unwrap();
    lab.set("show_field", &Value::Bool(false)).unwrap();
    lab.step(30.0).unwrap();
    let link: Vec<(String, String)> = lab
        .link()
        .into_iter()
        .map(|(name, text)| (name.to_string(), text))
        .collect();
    let mut opened = Lab::<DiffusionRun>::new(1).unwrap();
    let outcome = opened.apply_link(&link);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    assert_eq!(outcome.replay, 30);
    opened.advance(outcome.replay).unwrap();
    assert_eq!(json(&opened.snapshot()), json(&lab.snapshot()));
}
