//! The GAN and VAE labs' own controller behaviour: what rebuilds and what applies live, the
//! preset read off the settings, drawings, the probe, and links in the old format.

use genplay::labs::gan::GanRun;
use genplay::labs::vae::VaeRun;
use genplay::labs::{Applies, Lab, Value};

fn params(link: &str) -> Vec<(String, String)> {
    link.split('&')
        .map(|pair| {
            let (name, text) = pair.split_once('=').unwrap();
            (
                name.to_string(),
                text.replace("%2C", ",").replace("%3B", ";"),
            )
        })
        .collect()
}

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

#[test]
fn an_old_gan_link_opens_the_run_it_recorded() {
    // As the page wrote links before the schema: f32 rates printed as f64, every setting.
    let old = "target=ring&preset=mode_collapse&hidden_layers=1&hidden_units=32&activation=leaky_relu&loss=nonsaturating&optimizer=adam&d_learning_rate=0.0010000000474974513&g_learning_rate=0.009999999776482582&batch_size=256&d_steps=1&g_steps=5&noise_dim=1&noise=gaussian&seed=3&iterations=12";
    let mut opened = Lab::<GanRun>::new(1).unwrap();
    let outcome = opened.apply_link(&params(old));
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    assert_eq!(outcome.replay, 12);
    opened.advance(outcome.replay).unwrap();

    let mut by_hand = Lab::<GanRun>::new(3).unwrap();
    by_hand
        .set("preset", &Value::text("mode_collapse"))
        .unwrap();
    by_hand.step(12.0).unwrap();
    let (a, b) = (json(&opened.snapshot()), json(&by_hand.snapshot()));
    assert_eq!(a["preset"], "mode_collapse");
    assert_eq!(a["iteration"], 12);
    assert_eq!(a["d_loss_history"], b["d_loss_history"]);
    assert_eq!(a["fake_samples"], b["fake_samples"]);
    // Links now write the rates as the numbers they are.
    let link = opened.link();
    let rate = link.iter().find(|(n, _)| *n == "g_learning_rate").unwrap();
    assert_eq!(rate.1, "0.01");
}

#[test]
fn the_preset_is_whichever_preset_the_settings_are() {
    let mut lab = Lab::<GanRun>::new(1).unwrap();
    assert_eq!(lab.value("preset").unwrap(), Value::text("healthy"));
    lab.set("preset", &Value::text("oscillation")).unwrap();
    assert_eq!(lab.value("optimizer").unwrap(), Value::text("sgd"));
    assert_eq!(lab.value("momentum").unwrap(), Value::Number(0.9));
    let s = json(&lab.snapshot());
    assert!(s["preset_explanation"]
        .as_str()
        .unwrap()
        .contains("overshoot"));
    lab.set("momentum", &Value::Number(0.5)).unwrap();
    assert_eq!(lab.value("preset").unwrap(), Value::text("custom"));
    assert!(json(&lab.snapshot())["preset_explanation"].is_null());
    lab.set("momentum", &Value::Number(0.9)).unwrap();
    assert_eq!(lab.value("preset").unwrap(), Value::text("oscillation"));
    // Choosing SGD again keeps the momentum; Adam has none.
    lab.set("optimizer", &Value::text("sgd")).unwrap();
    assert_eq!(lab.value("momentum").unwrap(), Value::Number(0.9));
    lab.set("optimizer", &Value::text("adam")).unwrap();
    assert_eq!(lab.value("momentum").unwrap(), Value::Null);
}

#[test]
fn learning_rates_apply_live_and_unlink_the_sliders_when_they_differ() {
    let mut lab = Lab::<GanRun>::new(1).unwrap();
    lab.step(5.0).unwrap();
    assert_eq!(
        lab.set("d_learning_rate", &Value::Number(0.002)).unwrap(),
        Applies::Live
    );
    assert_eq!(lab.progress_count(), 5, "a live change keeps the run");
    assert_eq!(
        lab.value("link_learning_rates").unwrap(),
        Value::Bool(false)
    );
    assert_eq!(lab.value("learning_rate").unwrap(), Value::Null);
    lab.set("learning_rate", &Value::Number(0.0005)).unwrap();
    assert_eq!(lab.value("g_learning_rate").unwrap(), Value::Number(0.0005));
    assert_eq!(lab.value("learning_rate").unwrap(), Value::Number(0.0005));
    assert_eq!(
        lab.set("batch_size", &Value::Number(64.0)).unwrap(),
        Applies::Rebuild
    );
    assert_eq!(lab.progress_count(), 0, "a rebuild starts over");
}

#[test]
fn a_drawing_becomes_the_target_and_stays_for_later() {
    let mut lab = Lab::<GanRun>::new(1).unwrap();
    let refused = lab.set("target", &Value::text("drawn")).unwrap_err();
    assert!(refused.contains("the drawing has no points"), "{refused}");
    let drawing = Value::List(vec![
        Value::List(vec![0.5.into(), 0.25.into()]),
        Value::List(vec![(-0.5).into(), 0.0.into()]),
    ]);
    lab.set("drawn_points", &drawing).unwrap();
    assert_eq!(lab.value("target").unwrap(), Value::text("drawn"));
    lab.set("target", &Value::text("moons")).unwrap();
    assert_eq!(lab.value("drawn_points").unwrap(), Value::Null);
    lab.set("target", &Value::text("drawn")).unwrap();
    let s = json(&lab.snapshot());
    assert_eq!(
        s["drawn_points"],
        serde_json::json!([[0.5, 0.25], [-0.5, 0.0]])
    );
    let link = lab.link();
    let points = link.iter().find(|(n, _)| *n == "points").unwrap();
    assert_eq!(points.1, "0.5,0.25;-0.5,0");
}

#[test]
fn the_vae_probe_has_the_latent_dimension_and_a_new_dimension_drops_it() {
    let mut lab = Lab::<VaeRun>::new(1).unwrap();
    let wrong = lab
        .set(
            "probe",
            &Value::List(vec![1.0.into(), 2.0.into(), 3.0.into()]),
        )
        .unwrap_err();
    assert!(wrong.contains("probe must be 2 finite numbers"), "{wrong}");
    lab.set("probe", &Value::List(vec![0.5.into(), (-1.0).into()]))
        .unwrap();
    let probe = json(&lab.snapshot())["probe"].clone();
    assert_eq!(probe["z"], serde_json::json!([0.5, -1.0]));
    let x = probe["x"].as_array().unwrap();
    assert!(x.iter().all(|v| v.as_f64().unwrap().is_finite()));
    lab.set("latent_dim", &Value::Number(1.0)).unwrap();
    assert_eq!(lab.value("probe").unwrap(), Value::Null);
    assert!(json(&lab.snapshot())["probe"].is_null());
}

#[test]
fn the_vae_beta_applies_live_and_an_old_link_replays_its_iterations() {
    let mut lab = Lab::<VaeRun>::new(1).unwrap();
    lab.step(4.0).unwrap();
    assert_eq!(lab.set("beta", &Value::Number(5.0)).unwrap(), Applies::Live);
    assert_eq!(lab.progress_count(), 4);
    let old = "target=moons&beta=0.5&latent_dim=2&hidden_layers=1&hidden_units=32&learning_rate=0.003&batch_size=128&seed=9&iterations=7";
    let mut opened = Lab::<VaeRun>::new(1).unwrap();
    let outcome = opened.apply_link(&params(old));
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    opened.advance(outcome.replay).unwrap();
    let s = json(&opened.snapshot());
    assert_eq!(s["config"]["target"], "moons");
    assert_eq!(s["config"]["hidden_units"], 32);
    assert_eq!(s["iteration"], 7);
    assert_eq!(s["beta"], 0.5);
}
