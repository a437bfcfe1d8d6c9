//! The EM lab's own controller behaviour, natively: refusals that come from the core, clicks
//! that are always kept, links of your own points, old links, the 1-D preset, and the lab's
//! numbers being exactly the core's.

use genplay::labs::em::{EmModel, LINK_POINTS};
use genplay::labs::{Lab, Value};
use genplay::mixture::{presets, CovarianceType, Em, EmOptions, Init, Kernel};

fn lab() -> Lab<EmModel> {
    Lab::new(7).expect("the default lab builds")
}

fn snapshot(lab: &Lab<EmModel>) -> serde_json::Value {
    serde_json::to_value(lab.snapshot()).unwrap()
}

fn rows(points: &[[f64; 2]]) -> Value {
    Value::List(
        points
            .iter()
            .map(|p| Value::List(vec![p[0].into(), p[1].into()]))
            .collect(),
    )
}

/// `n` distinct points on a spiral, three decimals each (as clicks are rounded).
fn spiral(n: usize) -> Vec<[f64; 2]> {
    (0..n)
        .map(|i| {
            let t = i as f64 * 0.37;
            let r = 1.0 + 0.05 * i as f64;
            let round = |v: f64| (v * 1000.0).round() / 1000.0;
            [round(r * t.cos()), round(r * t.sin())]
        })
        .collect()
}

fn link_of(lab: &Lab<EmModel>) -> Vec<(String, String)> {
    lab.link()
        .into_iter()
        .map(|(n, t)| (n.to_string(), t))
        .collect()
}

fn params(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .map(|pair| {
            let (name, value) = pair.split_once('=').unwrap();
            (name.to_string(), value.to_string())
        })
        .collect()
}

#[test]
fn k_above_the_number_of_points_is_refused_with_the_cores_message_and_changes_nothing() {
    let mut lab = lab();
    lab.set("points", &rows(&spiral(5))).unwrap();
    lab.step(3.0).unwrap();
    let before = snapshot(&lab);
    let values = lab.values();
    let message = lab.set("k", &Value::Number(6.0)).unwrap_err();
    assert_eq!(
        message,
        "k = 6 but there are only 5 points; choose k ≤ 5 or add points"
    );
    assert_eq!(snapshot(&lab), before);
    assert_eq!(lab.values(), values);
    // The schema's range comes first: 17 is no K at all, whatever the data.
    let message = lab.set("k", &Value::Number(17.0)).unwrap_err();
    assert!(message.starts_with("k = 17 is not allowed: k must be a whole number from 1 to 16"));
    // Too few points for K is the core's message too.
    let message = lab.set("points", &rows(&spiral(2))).unwrap_err();
    assert!(
        message.contains("k = 3 but there are only 2 points"),
        "{message}"
    );
    let message = lab.set("points", &Value::List(vec![])).unwrap_err();
    assert!(message.contains("the data set is empty"), "{message}");
    assert_eq!(snapshot(&lab), before);
}

#[test]
fn a_click_with_fewer_points_than_k_is_kept_with_the_problem_recorded() {
    let mut lab = lab();
    lab.clear_points();
    let s = snapshot(&lab);
    assert_eq!(s["n_points"], 0);
    assert_eq!(s["preset"], "custom");
    assert_eq!(
        s["problem"],
        "the data set is empty: add at least one point"
    );
    assert_eq!(s["next_half_step"], serde_json::Value::Null);
    assert!(lab.step(1.0).unwrap_err().contains("the data set is empty"));

    lab.add_point(0.5, 1.5).unwrap();
    lab.add_point(-1.0, 2.0).unwrap();
    let s = snapshot(&lab);
    assert_eq!(s["n_points"], 2, "both clicks are kept");
    assert_eq!(
        s["problem"],
        "k = 3 but there are only 2 points; choose k ≤ 2 or add points"
    );
    let message = lab.step(2.0).unwrap_err();
    assert!(message.contains("only 2 points"), "{message}");

    lab.add_point(3.0, -1.0).unwrap();
    let s = snapshot(&lab);
    assert_eq!(
        s["problem"],
        serde_json::Value::Null,
        "three points fit K = 3"
    );
    assert_eq!(s["next_half_step"], "E");
    assert_eq!(lab.step(2.0).unwrap(), 2.0);
    assert_eq!(
        lab.model().all_points(),
        &[0.5, 1.5, -1.0, 2.0, 3.0, -1.0][..]
    );
    assert!(lab.add_point(f64::NAN, 0.0).is_err());
}

#[test]
fn your_own_points_travel_in_a_link_up_to_200_of_them() {
    let mut lab = lab();
    let points = spiral(LINK_POINTS);
    lab.set("points", &rows(&points)).unwrap();
    lab.set("k", &Value::Number(4.0)).unwrap();
    lab.step(7.0).unwrap();
    let link = link_of(&lab);
    let text = &link.iter().find(|(n, _)| n == "points").unwrap().1;
    assert_eq!(text.split(';').count(), LINK_POINTS);
    let mut opened = Lab::<EmModel>::new(1).unwrap();
    let outcome = opened.apply_link(&link);
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    assert_eq!(snapshot(&opened), snapshot(&lab));
    assert_eq!(opened.model().all_points(), lab.model().all_points());

    let mut large = self::lab();
    large
        .set("points", &rows(&spiral(LINK_POINTS + 1)))
        .unwrap();
    let link = link_of(&large);
    assert!(
        link.iter().all(|(n, _)| n != "points"),
        "201 points are not written into the link: {:?}",
        link.iter().map(|(n, _)| n).collect::<Vec<_>>()
    );
    assert!(link.iter().any(|(n, t)| n == "preset" && t == "custom"));
}

#[test]
fn an_old_link_of_a_few_clicked_points_with_a_small_k_opens() {
    // Old links wrote the points last; K = 2 must apply before the two points arrive.
    let mut opened = Lab::<EmModel>::new(1).unwrap();
    let outcome = opened.apply_link(&params(
        "preset=custom&k=2&covariance_type=full&init=random&seed=7&steps=4&points=0,0;1,1.5",
    ));
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    let s = snapshot(&opened);
    assert_eq!(s["k"], 2);
    assert_eq!(s["n_points"], 2);
    assert_eq!(s["half_steps"], 4);
    assert_eq!(opened.model().all_points(), &[0.0, 0.0, 1.0, 1.5][..]);
}

#[test]
fn an_old_link_opens_the_same_run_as_its_steps_done_by_hand() {
    let mut by_hand = Lab::<EmModel>::new(3).unwrap();
    by_hand.set("preset", &"blobs".into()).unwrap();
    by_hand.set("k", &Value::Number(3.0)).unwrap();
    by_hand.set("covariance_type", &"full".into()).unwrap();
    by_hand.set("init", &"random".into()).unwrap();
    by_hand.reset(7.0).unwrap();
    for _ in 0..8 {
        by_hand.step(1.0).unwrap();
    }
    let mut opened = Lab::<EmModel>::new(1).unwrap();
    let outcome = opened.apply_link(&params(
        "preset=blobs&k=3&covariance_type=full&init=random&seed=7&steps=8",
    ));
    assert!(outcome.refused.is_empty(), "{:?}", outcome.refused);
    assert_eq!(outcome.replay, 0, "half-steps are replayed at once");
    assert_eq!(snapshot(&opened), snapshot(&by_hand));
    assert_eq!(snapshot(&opened)["half_steps"], 8);
    // And the link written back is that link.
    let written: Vec<String> = opened
        .link()
        .into_iter()
        .map(|(n, t)| format!("{n}={t}"))
        .collect();
    assert_eq!(
        written.join("&"),
        "preset=blobs&k=3&covariance_type=full&init=random&seed=7&steps=8"
    );
}

#[test]
fn the_lab_runs_exactly_the_cores_em() {
    let mut lab = lab();
    lab.set("preset", &"anisotropic".into()).unwrap();
    lab.set("k", &Value::Number(2.0)).unwrap();
    lab.set("covariance_type", &"diag".into()).unwrap();
    lab.set("init", &"kmeans++".into()).unwrap();
    lab.reset(11.0).unwrap();
    lab.step(9.0).unwrap();
    let preset = presets::anisotropic(600, 11);
    let options = EmOptions {
        covariance_type: CovarianceType::Diag,
        init: Init::KMeansPlusPlus,
        seed: 11,
        kernel: Kernel::Fast,
        ..EmOptions::default()
    };
    let mut em = Em::new(preset.data, 2, options).unwrap();
    for _ in 0..9 {
        em.step().unwrap();
    }
    let s = snapshot(&lab);
    let means: Vec<Vec<f64>> = em.means().iter().map(|m| m.to_vec()).collect();
    assert_eq!(s["means"], serde_json::to_value(means).unwrap());
    assert_eq!(
        s["lower_bound_history"],
        serde_json::to_value(em.lower_bound_history()).unwrap()
    );
    assert_eq!(s["n_iter"], em.n_iter());
}

#[test]
fn the_1d_preset_fits_a_line_and_clicks_stay_on_it() {
    let mut lab = lab();
    lab.set("preset", &"1d".into()).unwrap();
    lab.step(9.0).unwrap();
    let s = snapshot(&lab);
    assert_eq!(s["dimension"], 1);
    assert_eq!(s["n_points"], 600);
    assert_eq!(s["means"][0].as_array().unwrap().len(), 1);
    assert_eq!(s["covariances"][0][0].as_array().unwrap().len(), 1);
    assert_eq!(s["truth"]["means"].as_array().unwrap().len(), 3);
    assert_eq!(lab.value("points").unwrap(), Value::Null);
    assert_eq!(lab.model().xs().len(), 600);
    let e = lab.inspect(1.0, 5.0).unwrap();
    assert_eq!(e.point, vec![1.0], "in 1-D only x counts");

    lab.add_point(2.5, 99.0).unwrap();
    let s = snapshot(&lab);
    assert_eq!(
        s["dimension"], 1,
        "a click on the 1-D view adds a 1-D point"
    );
    assert_eq!(s["n_points"], 601);
    assert_eq!(s["preset"], "custom");
    assert_eq!(lab.model().all_points().last(), Some(&2.5));
    // 1-D points are not a value of `points`, so a link does not carry them.
    assert!(link_of(&lab).iter().all(|(n, _)| n != "points"));
    lab.clear_points();
    assert_eq!(
        snapshot(&lab)["dimension"],
        1,
        "clearing keeps the dimension"
    );
}

#[test]
fn a_preset_is_redrawn_with_the_seed_and_your_own_points_are_kept() {
    let mut lab = lab();
    let first = lab.model().all_points().to_vec();
    lab.reset(8.0).unwrap();
    assert_ne!(
        lab.model().all_points(),
        &first[..],
        "a new seed redraws a preset"
    );
    lab.reset(7.0).unwrap();
    assert_eq!(
        lab.model().all_points(),
        &first[..],
        "the same seed, the same points"
    );

    // "Your own points" keeps the points on screen; a new seed then only restarts EM.
    lab.set("preset", &"custom".into()).unwrap();
    assert_eq!(lab.model().all_points(), &first[..]);
    assert_eq!(snapshot(&lab)["truth"], serde_json::Value::Null);
    lab.reset(9.0).unwrap();
    assert_eq!(lab.model().all_points(), &first[..]);
    assert_eq!(snapshot(&lab)["seed"], 9);
}

#[test]
fn the_inspected_point_outlives_a_restart_but_not_new_data_and_bic_lasts_one_run() {
    let mut lab = lab();
    lab.step(4.0).unwrap();
    let e = lab.inspect(-5.0, 0.0).unwrap();
    let sum: f64 = e.numbers.responsibilities.iter().sum();
    assert!((sum - 1.0).abs() < 1e-12);
    let scores = lab.information_criteria().unwrap();
    assert_eq!(scores.len(), 16);
    let s = snapshot(&lab);
    assert_eq!(s["bic_best_k"], 3);
    assert_eq!(s["inspected"]["point"], serde_json::json!([-5.0, 0.0]));

    lab.set("show_truth", &false.into()).unwrap();
    assert_eq!(
        snapshot(&lab)["bic_best_k"],
        3,
        "a view setting keeps the scan"
    );
    lab.set("k", &Value::Number(2.0)).unwrap();
    let s = snapshot(&lab);
    assert_eq!(
        s["bic"],
        serde_json::Value::Null,
        "a restart drops the scan"
    );
    assert_eq!(
        s["inspected"]["responsibilities"].as_array().unwrap().len(),
        2,
        "the same point, explained under K = 2"
    );
    lab.set("preset", &"ring".into()).unwrap();
    assert_eq!(snapshot(&lab)["inspected"], serde_json::Value::Null);
}

#[test]
fn large_data_come_as_two_columns_and_drop_the_stored_responsibilities() {
    let mut lab = lab();
    let n = 30_000;
    let xs: Vec<f64> = (0..n).map(|i| (i as f64 * 0.001).sin() * 5.0).collect();
    let ys: Vec<f64> = (0..n).map(|i| (i as f64 * 0.0007).cos() * 5.0).collect();
    lab.set_points_xy(&xs, &ys).unwrap();
    lab.step(2.0).unwrap();
    let s = snapshot(&lab);
    assert_eq!(s["n_points"], n);
    assert_eq!(s["keep_responsibilities"], false);
    assert_eq!(lab.model().drawn_points().len(), 2 * 20_000);
    assert_eq!(lab.model().drawn_responsibilities().len(), 3 * 20_000);

    let before = snapshot(&lab);
    let message = lab.set_points_xy(&xs, &ys[1..]).unwrap_err();
    assert!(
        message.contains("30000 x values and 29999 y values"),
        "{message}"
    );
    let mut bad = xs.clone();
    bad[17] = f64::NAN;
    let message = lab.set_points_xy(&bad, &ys).unwrap_err();
    assert!(message.contains("points row 17"), "{message}");
    assert_eq!(snapshot(&lab), before);
}

#[test]
fn step_refuses_a_count_outside_its_range() {
    let mut lab = lab();
    let message = lab.step(1.5).unwrap_err();
    assert!(
        message.starts_with("n = 1.5 is not allowed: n must be a whole number from 0 to 1000000")
    );
    assert!(lab.step(1e6 + 1.0).is_err());
    assert_eq!(lab.step(0.0).unwrap(), 0.0);
}

#[test]
fn the_snapshot_holds_every_documented_field() {
    let s = snapshot(&lab());
    for field in [
        "preset",
        "dimension",
        "k",
        "covariance_type",
        "init",
        "seed",
        "n_points",
        "next_half_step",
        "half_steps",
        "n_iter",
        "weights",
        "means",
        "covariances",
        "lower_bound_history",
        "converged",
        "reseeds",
        "keep_responsibilities",
        "problem",
        "truth",
        "speed",
        "playing",
        "click_mode",
        "show_truth",
        "inspected",
        "bic",
        "bic_best_k",
    ] {
        assert!(s.get(field).is_some(), "snapshot has {field}: {s}");
    }
}

#[test]
fn a_scan_run_on_a_copy_of_the_data_is_kept_as_the_labs_own_and_bad_scores_are_refused() {
    // What the page does for large data: a copy (the worker's) gets the link and the points as
    // flat numbers, scans, and the lab keeps its scores.
    let mut lab = lab();
    lab.set("k", &Value::Number(4.0)).unwrap();
    let mut copy: Lab<EmModel> = Lab::new(7).unwrap();
    let link: Vec<(String, String)> = lab
        .link()
        .into_iter()
        .map(|(name, text)| (name.to_string(), text))
        .collect();
    copy.apply_link(&link);
    copy.set_points_flat(2, lab.model().all_points().to_vec())
        .unwrap();
    let scores = copy.information_criteria().unwrap();
    lab.keep_information_criteria(scores.clone()).unwrap();
    let kept = snapshot(&lab);
    assert_eq!(kept["bic_best_k"], 3);
    // The same numbers, to the bit, as the lab's own scan.
    assert_eq!(lab.information_criteria().unwrap(), scores);

    let before = snapshot(&lab);
    let mut shuffled = scores.clone();
    shuffled.swap(0, 1);
    let mut infinite = scores.clone();
    infinite[2].bic = f64::INFINITY;
    for bad in [Vec::new(), shuffled, infinite] {
        let message = lab.keep_information_criteria(bad).unwrap_err();
        assert!(
            message.contains("K = 1, 2, ... up to 16 in order"),
            "{message}"
        );
    }
    let message = lab.set_points_flat(3, vec![0.0; 9]).unwrap_err();
    assert!(message.contains("1 or 2 coordinates"), "{message}");
    let message = lab.set_points_flat(2, vec![0.0; 9]).unwrap_err();
    assert!(message.contains("9 numbers in rows of 2"), "{message}");
    assert_eq!(snapshot(&lab), before);
}

/// `n` points along two interleaved curves: large data that EM fits over many iterations.
fn two_columns(n: usize) -> (Vec<f64>, Vec<f64>) {
    let xs = (0..n).map(|i| (i as f64 * 0.001).sin() * 5.0).collect();
    let ys = (0..n)
        .map(|i| (i as f64 * 0.0007).cos() * 5.0 + (i % 2) as f64)
        .collect();
    (xs, ys)
}

#[test]
fn a_copy_iterated_from_the_exported_state_goes_on_as_the_run_itself_to_the_bit() {
    // What Play does on large data: a copy (the worker's) gets the settings and the points,
    // then the run's state; it iterates and the page's run imports its state.
    let (xs, ys) = two_columns(30_000);
    let start = || {
        let mut lab = lab();
        lab.set("k", &Value::Number(4.0)).unwrap();
        lab.set_points_xy(&xs, &ys).unwrap();
        lab
    };
    let mut page = start();
    page.step(5.0).unwrap();
    let message = page.export_state().unwrap_err();
    assert!(message.contains("do the M-step first"), "{message}");
    page.step(1.0).unwrap();

    let mut copy = lab();
    let link: Vec<(String, String)> = link_of(&page)
        .into_iter()
        .filter(|(name, _)| name != "steps")
        .collect();
    copy.apply_link(&link);
    copy.set_points_flat(2, page.model().all_points().to_vec())
        .unwrap();
    copy.import_state(&page.export_state().unwrap()).unwrap();
    assert_eq!(snapshot(&copy), snapshot(&page));
    copy.step(8.0).unwrap();
    page.import_state(&copy.export_state().unwrap()).unwrap();

    let mut alone = start();
    alone.step(14.0).unwrap();
    assert_eq!(snapshot(&page), snapshot(&alone));
    assert_eq!(snapshot(&page)["n_iter"], 7);
    assert_eq!(
        page.model().drawn_responsibilities(),
        alone.model().drawn_responsibilities()
    );
    // Both go on alike from there.
    page.step(2.0).unwrap();
    alone.step(2.0).unwrap();
    assert_eq!(snapshot(&page), snapshot(&alone));

    // A state that does not fit this run is refused, and nothing changes.
    let state = page.export_state().unwrap();
    let mut three = start();
    three.set("k", &Value::Number(3.0)).unwrap();
    let before = snapshot(&three);
    let message = three.import_state(&state).unwrap_err();
    assert!(
        message.contains("weights has 4 numbers, the run 3"),
        "{message}"
    );
    let message = three.import_state(b"not a state").unwrap_err();
    assert!(
        message.contains("not a genplay training state"),
        "{message}"
    );
    assert_eq!(snapshot(&three), before);
    let older = start();
    let before = snapshot(&older);
    let mut cut = older;
    let message = cut.import_state(&state[..state.len() - 3]).unwrap_err();
    assert!(message.contains("ends early"), "{message}");
    assert_eq!(snapshot(&cut), before);
    // A preset's 600 points keep their responsibilities: that run is iterated where it is.
    let message = lab().export_state().unwrap_err();
    assert!(message.contains("keeps its responsibilities"), "{message}");
}
