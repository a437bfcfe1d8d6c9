//! The VAE lab on images: picking the digits (only once their file has arrived) or the glyphs,
//! what the snapshot adds for images (labels, image size, the decoded grid, reconstructions, the
//! interpolation), a step that changes the latent map and the grid, the shown coordinates of a
//! wider latent, and links that reproduce an image run.

use genplay::labs::vae::{provide_digits, VaeRun};
use genplay::labs::{Lab, Value};

const DIGITS_FILE: &[u8] = include_bytes!("../www/data/digits.bin");

fn json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap()
}

fn text(s: &str) -> Value {
    Value::text(s)
}

fn numbers(values: &[f64]) -> Value {
    Value::List(values.iter().map(|&v| v.into()).collect())
}

fn floats(value: &serde_json::Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_f64().unwrap())
        .collect()
}

#[test]
fn the_digits_are_refused_until_their_file_arrives_and_a_bad_file_is_named() {
    // Each test runs on a thread of its own, whose copy of the digits starts empty.
    let mut lab = Lab::<VaeRun>::new(1).unwrap();
    let refused = lab.set("target", &text("digits")).unwrap_err();
    assert!(refused.contains("the digits are not loaded"), "{refused}");
    assert_eq!(json(&lab.snapshot())["target"], "ring");
    let bad = provide_digits(&DIGITS_FILE[..100]).unwrap_err();
    assert!(bad.contains("100 bytes, not 116805"), "{bad}");
    provide_digits(DIGITS_FILE).unwrap();
    lab.set("target", &text("digits")).unwrap();
    assert_eq!(json(&lab.snapshot())["target"], "digits");
}

#[test]
fn an_image_snapshot_has_labels_the_image_size_the_grid_reconstructions_and_the_interpolation() {
    provide_digits(DIGITS_FILE).unwrap();
    let mut lab = Lab::<VaeRun>::new(1).unwrap();
    lab.set("target", &text("digits")).unwrap();
    let before = json(&lab.snapshot());
    assert_eq!(before["image_size"], serde_json::json!([8, 8]));
    let labels = before["labels"].as_array().unwrap();
    assert_eq!(labels.len(), 500);
    assert_eq!(before["latent_means"].as_array().unwrap().len(), 500);
    // The set starts 0, 1, 2, …, as scikit-learn's does.
    assert_eq!(labels[..3], [0, 1, 2]);
    let grid = &before["decoded_grid"];
    assert_eq!(grid["side"], 15);
    assert_eq!(grid["dims"], serde_json::json!([1, 2]));
    let z = grid["z"].as_array().unwrap();
    assert_eq!(z.len(), 225);
    // Row by row from the top: the first image sits at the top left (-2.5, 2.5).
    assert_eq!(floats(&z[0]), [-2.5, 2.5]);
    assert_eq!(floats(&z[224]), [2.5, -2.5]);
    let images = grid["images"].as_array().unwrap();
    assert_eq!(images.len(), 225);
    assert!(images
        .iter()
        .all(|i| floats(i).len() == 64 && floats(i).iter().all(|p| (0.0..=1.0).contains(p))));
    let reconstructions = before["reconstructions"].as_array().unwrap();
    assert_eq!(reconstructions.len(), 32);
    assert_eq!(before["real_samples"].as_array().unwrap().len(), 32);
    let interpolation = &before["interpolation"];
    assert_eq!(
        (interpolation["from"].clone(), interpolation["to"].clone()),
        (0.into(), 1.into())
    );
    assert_eq!(interpolation["images"].as_array().unwrap().len(), 10);
    // An untrained decoder: every pixel near ½, a cross-entropy near ln 2 per pixel or above.
    let error = before["reconstruction_error"].as_f64().unwrap();
    assert!(error > 0.6 && error < 1.5, "BCE per pixel {error}");

    lab.step(200.0).unwrap();
    let after = json(&lab.snapshot());
    assert_eq!(after["iteration"], 200);
    assert_ne!(after["latent_means"], before["latent_means"]);
    assert_ne!(after["decoded_grid"]["images"], grid["images"]);
    let trained = after["reconstruction_error"].as_f64().unwrap();
    assert!(trained < error - 0.1, "BCE per pixel {error} -> {trained}");

    // Picking two other images moves the interpolation's ends onto their reconstructions' codes.
    lab.set("interpolate", &numbers(&[5.0, 17.0])).unwrap();
    let picked = json(&lab.snapshot())["interpolation"].clone();
    assert_eq!(
        (picked["from"].clone(), picked["to"].clone()),
        (5.into(), 17.into())
    );
    assert_ne!(picked["images"], after["interpolation"]["images"]);
    let beyond = lab.set("interpolate", &numbers(&[0.0, 500.0])).unwrap_err();
    assert!(beyond.contains("from 0 to 499"), "{beyond}");
}

#[test]
fn a_wider_latent_shows_the_two_chosen_coordinates() {
    let mut lab = Lab::<VaeRun>::new(1).unwrap();
    lab.set("target", &text("glyphs")).unwrap();
    lab.set("latent_dim", &Value::Number(4.0)).unwrap();
    lab.set("shown_dims", &numbers(&[3.0, 1.0])).unwrap();
    let s = json(&lab.snapshot());
    assert_eq!(s["image_size"], serde_json::json!([28, 28]));
    assert_eq!(s["shown_dims"], serde_json::json!([3, 1]));
    assert_eq!(s["decoded_grid"]["dims"], serde_json::json!([3, 1]));
    assert_eq!(s["latent_means"][0].as_array().unwrap().len(), 4);
    assert_eq!(
        s["decoded_grid"]["images"][0].as_array().unwrap().len(),
        784
    );
    let too_many = lab.set("latent_dim", &Value::Number(17.0)).unwrap_err();
    assert!(
        too_many.contains("a whole number from 1 to 16"),
        "{too_many}"
    );
    // Back to points: no images in the snapshot.
    lab.set("target", &text("moons")).unwrap();
    let points = json(&lab.snapshot());
    assert!(points["image_size"].is_null() && points["decoded_grid"].is_null());
    assert_eq!(points["real_samples"][0].as_array().unwrap().len(), 2);
}

#[test]
fn a_link_reproduces_an_image_run() {
    let mut lab = Lab::<VaeRun>::new(1).unwrap();
    lab.set("target", &text("glyphs")).unwrap();
    lab.set("hidden_layers", &Value::Number(1.0)).unwrap();
    lab.set("batch_size", &Value::Number(32.0)).unwrap();
    lab.set("interpolate", &numbers(&[2.0, 9.0])).unwrap();
    lab.step(20.0).unwrap();
    let link = lab.link();
    let written: Vec<String> = link.iter().map(|(n, v)| format!("{n}={v}")).collect();
    assert!(
        written.contains(&"target=glyphs".to_string()),
        "{written:?}"
    );
    assert!(
        written.contains(&"interpolate=2,9".to_string()),
        "{written:?}"
    );
    let mut opened = Lab::<VaeRun>::new(1).unwrap();
    let params: Vec<(String, String)> = link
        .iter()
        .map(|(n, v)| (n.to_string(), v.clone()))
        .collect();
    let outcome = opened.apply_link(&params);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    opened.advance(outcome.replay).unwrap();
    let (a, b) = (json(&lab.snapshot()), json(&opened.snapshot()));
    assert_eq!(a["elbo_history"], b["elbo_history"]);
    assert_eq!(a["interpolation"], b["interpolation"]);
}

#[test]
fn an_imported_image_state_redraws_its_views_when_asked() {
    let make = || {
        let mut lab = Lab::<VaeRun>::new(1).unwrap();
        lab.set("target", &text("glyphs")).unwrap();
        lab.set("hidden_layers", &Value::Number(1.0)).unwrap();
        lab
    };
    let (mut trained, mut copy) = (make(), make());
    trained.step(10.0).unwrap();
    let before = json(&copy.snapshot())["latent_means"].clone();
    copy.import_state(&trained.export_state().unwrap()).unwrap();
    let imported = json(&copy.snapshot());
    assert_eq!(imported["iteration"], 10, "the run is imported at once");
    assert_eq!(
        imported["latent_means"], before,
        "its views wait for the page"
    );
    let settings = copy.settings().clone();
    assert!(copy.model_mut().refresh_views(&settings));
    assert!(!copy.model_mut().refresh_views(&settings), "once");
    let after = json(&copy.snapshot());
    assert_eq!(
        after["latent_means"],
        json(&trained.snapshot())["latent_means"]
    );
    assert_eq!(
        after["decoded_grid"],
        json(&trained.snapshot())["decoded_grid"]
    );
}
