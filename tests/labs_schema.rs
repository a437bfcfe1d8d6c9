//! Every lab's schema, checked entry by entry: a value just outside its range (or a choice not
//! in its list, or a value of the wrong kind) is refused with a message that says what is
//! allowed, and the snapshot is unchanged; a value inside is accepted; every setting survives a
//! link (state → link → state); and the README's tables are the schemas'.

use genplay::labs::schema::{Applies, InLink, Kind, Setting};
use genplay::labs::{self, Lab, Model, Value};
use genplay::range::number_text;

fn snapshot_json<M: Model>(lab: &Lab<M>) -> serde_json::Value {
    serde_json::to_value(lab.snapshot()).expect("snapshots are plain data")
}

/// Values a setting must refuse, each with a piece of text its refusal must contain.
fn outside(s: &Setting) -> Vec<(Value, String)> {
    let allowed = s.allowed();
    let mut out = vec![(Value::Other("an object"), allowed.clone())];
    match &s.kind {
        Kind::Number { range, step, .. } => {
            let below = if range.min_exclusive {
                range.min
            } else {
                range.min - step.max(1e-9)
            };
            let above = if range.max_exclusive {
                range.max
            } else {
                range.max + step.max(1e-9)
            };
            for x in [below, above, f64::NAN, f64::INFINITY] {
                out.push((Value::Number(x), allowed.clone()));
            }
            if range.whole {
                out.push((Value::Number(range.min + 0.5), "not a whole number".into()));
            }
            out.push((Value::text("bogus"), allowed.clone()));
        }
        Kind::Choice(items) => {
            out.push((Value::text("no_such_choice"), allowed.clone()));
            // Every choice is named in the message.
            for item in items {
                assert!(allowed.contains(&item.value.to_string()), "{allowed}");
            }
            out.push((Value::Number(-12345.0), allowed.clone()));
        }
        Kind::Boolean => {
            out.push((Value::Number(1.0), "true or false".into()));
            out.push((Value::text("true"), "true or false".into()));
        }
        Kind::Points {
            columns,
            coordinates,
            ..
        } => {
            let width = columns.len();
            let mut bad_row = vec![Value::Number(0.0); width];
            bad_row[0] = Value::Number(f64::NAN);
            out.push((
                Value::List(vec![Value::List(bad_row)]),
                "row 0 has a non-finite coordinate".into(),
            ));
            out.push((
                Value::List(vec![Value::List(vec![Value::Number(0.0); width + 1])]),
                "row 0".into(),
            ));
            if let Some(range) = coordinates {
                let mut far = vec![Value::Number(0.0); width];
                far[0] = Value::Number(range.max + 1.0);
                out.push((Value::List(vec![Value::List(far)]), range.describe()));
            }
        }
        Kind::Tuple(items) => {
            let inside: Vec<Value> = items.iter().map(|i| Value::Number(i.range.min)).collect();
            for (k, item) in items.iter().enumerate() {
                let mut v = inside.clone();
                v[k] = Value::Number(item.range.max + 1.0);
                out.push((
                    Value::List(v),
                    format!(
                        "{}_{} = {}",
                        s.name,
                        item.name,
                        number_text(item.range.max + 1.0)
                    ),
                ));
            }
            out.push((Value::List(inside[1..].to_vec()), allowed.clone()));
        }
        Kind::Vector { .. } => {
            out.push((Value::List(vec![Value::Number(f64::NAN)]), allowed.clone()));
        }
    }
    out
}

/// Values a setting must accept in a fresh lab.
fn inside(s: &Setting) -> Vec<Value> {
    match &s.kind {
        Kind::Number { range, step, .. } => {
            let low = if range.min_exclusive {
                range.min + step
            } else {
                range.min
            };
            let high = if range.max_exclusive {
                range.max - step
            } else {
                range.max
            };
            let mut values = vec![Value::Number(low), Value::Number(high)];
            if let Value::Number(_) = s.default {
                values.push(s.default.clone());
            }
            values
        }
        Kind::Choice(items) => items.iter().map(|i| i.value.clone()).collect(),
        Kind::Boolean => vec![Value::Bool(true), Value::Bool(false)],
        Kind::Points {
            columns, classes, ..
        } => {
            let width = columns.len();
            let rows: Vec<Value> = (0..12)
                .map(|i| {
                    let mut row = vec![
                        Value::Number((i as f64 * 0.37).sin()),
                        Value::Number((i as f64 * 0.91).cos()),
                    ];
                    if classes.is_some() {
                        row.push(Value::Number((i % 2) as f64));
                    }
                    assert_eq!(row.len(), width);
                    Value::List(row)
                })
                .collect();
            vec![Value::List(rows)]
        }
        Kind::Tuple(items) => vec![Value::List(
            items.iter().map(|i| Value::Number(i.range.max)).collect(),
        )],
        Kind::Vector { .. } => vec![Value::Null],
    }
}

/// A valid value different from the default, to write into a link.
fn changed_value(s: &Setting) -> Option<Value> {
    inside(s).into_iter().find(|v| *v != s.default)
}

/// Settings whose refusals depend on the lab's state, not on the schema alone.
fn accepted_in_fresh_lab(lab: &str, setting: &str, value: &Value) -> bool {
    match (lab, setting, value) {
        // "drawn" needs points first (a drawing, or a CSV file's).
        ("gan" | "vae", "target", Value::Text(t)) if t == "drawn" => false,
        // A fresh lab has not been told of a GPU (the page tells it once it has asked for one),
        // so "gpu" is refused there with the reason; tests/gpu_em.rs, tests/gpu_gan.rs and
        // tests/gpu_vae.rs set it on a lab that has one.
        (_, "backend", Value::Text(t)) if t == "gpu" => false,
        _ => true,
    }
}

/// The VAE's digits come from a file the page hands over; here the test hands it over.
fn provide_digits() {
    genplay::labs::vae::provide_digits(include_bytes!("../www/data/digits.bin")).unwrap();
}

fn check_lab<M: Model>() {
    provide_digits();
    let mut lab = Lab::<M>::new(1).expect("default settings build");
    let schema = lab.schema().clone();
    assert!(
        schema.settings.len() >= 3,
        "{} lists its settings",
        schema.lab
    );
    for s in &schema.settings {
        for (bad, must_contain) in outside(s) {
            let before = snapshot_json(&lab);
            let values_before = lab.values();
            let message = lab.set(s.name, &bad).expect_err(&format!(
                "{}.{} = {bad} must be refused",
                schema.lab, s.name
            ));
            assert!(message.contains(s.name), "{message}");
            assert!(
                message.contains(&must_contain),
                "{}.{} = {bad}: {message:?} should contain {must_contain:?}",
                schema.lab,
                s.name
            );
            assert_eq!(
                snapshot_json(&lab),
                before,
                "{}.{} refused",
                schema.lab,
                s.name
            );
            assert_eq!(lab.values(), values_before);
        }
        for good in inside(s) {
            let mut fresh = Lab::<M>::new(1).unwrap();
            if !accepted_in_fresh_lab(schema.lab, s.name, &good) {
                continue;
            }
            let applied = fresh
                .set(s.name, &good)
                .unwrap_or_else(|e| panic!("{}.{} = {good}: {e}", schema.lab, s.name));
            assert_eq!(applied, s.applies);
            // The GAN's preset is whichever preset the settings equal, so "custom" on settings
            // that are a preset changes nothing and still reads as that preset.
            let derived = schema.lab == "gan" && s.name == "preset";
            if let (Kind::Number { .. } | Kind::Choice(_) | Kind::Boolean, false) =
                (&s.kind, derived)
            {
                assert_eq!(fresh.value(s.name).unwrap(), good, "{}", s.name);
            }
        }
    }
    let message = lab.set("no_such_setting", &Value::Number(1.0)).unwrap_err();
    for s in &schema.settings {
        assert!(message.contains(&format!("{} (", s.name)), "{message}");
    }
}

fn check_links<M: Model>() {
    provide_digits();
    let schema = Lab::<M>::new(1).unwrap().schema().clone();
    for s in &schema.settings {
        if s.link == InLink::Never {
            continue;
        }
        let Some(value) = changed_value(s) else {
            continue;
        };
        let mut lab = Lab::<M>::new(1).unwrap();
        if !accepted_in_fresh_lab(schema.lab, s.name, &value) {
            continue;
        }
        lab.set(s.name, &value)
            .unwrap_or_else(|e| panic!("{}.{}: {e}", schema.lab, s.name));
        let link: Vec<(String, String)> = lab
            .link()
            .into_iter()
            .map(|(n, t)| (n.to_string(), t))
            .collect();
        let mut opened = Lab::<M>::new(1).unwrap();
        let outcome = opened.apply_link(&link);
        assert_eq!(
            outcome.refused,
            Vec::<String>::new(),
            "{}: {link:?}",
            s.name
        );
        assert_eq!(
            opened.values(),
            lab.values(),
            "{}.{} survives the link {link:?}",
            schema.lab,
            s.name
        );
        assert_eq!(snapshot_json(&opened), snapshot_json(&lab), "{}", s.name);
    }
    // Progress survives too: a run stepped a few times opens at the same place.
    let mut lab = Lab::<M>::new(3).unwrap();
    lab.step(schema.step.default.min(4) as f64).unwrap();
    let link: Vec<(String, String)> = lab
        .link()
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .collect();
    let mut opened = Lab::<M>::new(1).unwrap();
    let outcome = opened.apply_link(&link);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    if schema.progress.over_frames {
        opened.advance(outcome.replay).unwrap();
    } else {
        assert_eq!(outcome.replay, 0);
    }
    assert_eq!(opened.progress_count(), lab.progress_count());
    assert_eq!(
        snapshot_json(&opened),
        snapshot_json(&lab),
        "{} progress",
        schema.lab
    );
}

fn check_bad_links<M: Model>() {
    let mut lab = Lab::<M>::new(1).unwrap();
    let before = snapshot_json(&lab);
    let schema = lab.schema().clone();
    let mut link = vec![("no_such_setting".to_string(), "1".to_string())];
    link.push((schema.progress.name.to_string(), "-3".to_string()));
    for s in schema.settings.iter().filter(|s| s.link != InLink::Never) {
        link.push((s.link_name.to_string(), "1e999".to_string()));
    }
    let outcome = lab.apply_link(&link);
    assert!(outcome
        .refused
        .iter()
        .any(|m| m.contains("no_such_setting")));
    assert!(outcome
        .refused
        .iter()
        .any(|m| m.contains(schema.progress.name) && m.contains("whole number")));
    assert_eq!(
        snapshot_json(&lab),
        before,
        "{}: a bad link changes nothing",
        schema.lab
    );
}

macro_rules! lab_tests {
    ($($name:ident: $model:ty),* $(,)?) => {$(
        mod $name {
            use super::*;

            #[test]
            fn every_entry_refuses_outside_and_accepts_inside() {
                check_lab::<$model>();
            }

            #[test]
            fn every_setting_and_the_progress_survive_a_link() {
                check_links::<$model>();
            }

            #[test]
            fn a_bad_link_is_refused_value_by_value_and_changes_nothing() {
                check_bad_links::<$model>();
            }
        }
    )*};
}

lab_tests! {
    coin: genplay::prob::coin_flips::CoinExperiment,
    joint: labs::joint::JointRun,
    gaussian: labs::gaussian::GaussianRun,
    em: labs::em::EmModel,
    classify: labs::classify::ClassifyModel,
    gan: labs::gan::GanRun,
    vae: labs::vae::VaeRun,
}

#[test]
fn rebuilding_settings_say_so_and_live_ones_keep_the_run() {
    let mut coin = Lab::<genplay::prob::coin_flips::CoinExperiment>::new(42).unwrap();
    coin.step(10.0).unwrap();
    assert_eq!(coin.set("p", &Value::Number(0.3)).unwrap(), Applies::Live);
    assert_eq!(coin.progress_count(), 100, "a live change keeps the flips");
    assert_eq!(
        coin.set("seed", &Value::Number(5.0)).unwrap(),
        Applies::Rebuild
    );
    assert_eq!(coin.progress_count(), 0, "a new seed starts a new run");
}
