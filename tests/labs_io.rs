//! A CSV file imported into the EM, GAN, VAE and Classify labs (through each lab's points
//! setting), and a trained model exported to a model file and imported into a fresh lab: the
//! run continues the same, and a file of another lab or version, or a changed one, is refused
//! with a message while the lab keeps what it had.

use genplay::labs::classify::ClassifyModel;
use genplay::labs::em::EmModel;
use genplay::labs::gan::GanRun;
use genplay::labs::transfer::ModelFile;
use genplay::labs::vae::VaeRun;
use genplay::labs::{Lab, Model, Value};

fn snapshot<M: Model>(lab: &Lab<M>) -> String {
    serde_json::to_string(&lab.snapshot()).expect("snapshots are plain data")
}

fn rows(lab: &Lab<impl Model>, name: &str) -> Vec<Vec<f64>> {
    let value = serde_json::to_value(lab.value(name).unwrap()).unwrap();
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_csv_becomes_the_labs_points() {
    let mut em = Lab::<EmModel>::new(1).unwrap();
    let report = em.import_csv("x;y\n1;2\n3,5;4\n5;6\n-1;0\n").unwrap();
    assert_eq!(
        (report.rows, report.classes, report.setting),
        (4, 0, "points")
    );
    assert_eq!(
        report.scaling,
        "the points are used as they are (no scaling)"
    );
    assert_eq!(rows(&em, "points")[1], vec![3.5, 4.0]);
    assert_eq!(em.value("preset").unwrap(), Value::text("custom"));

    // The GAN's plane runs from -1.5 to 1.5: the points are scaled into it, and said so.
    let mut gan = Lab::<GanRun>::new(1).unwrap();
    let report = gan.import_csv("x,y,label\n0,0,a\n20,10,b\n").unwrap();
    assert_eq!(report.scale, 0.135);
    assert_eq!(report.center, [10.0, 5.0]);
    assert_eq!(
        report.notes,
        vec!["the gan lab does not use classes: the class column was left out"]
    );
    assert_eq!(
        rows(&gan, "drawn_points"),
        vec![vec![-1.35, -0.675], vec![1.35, 0.675]]
    );
    assert_eq!(gan.value("target").unwrap(), Value::text("drawn"));
    let link = gan.link();
    assert!(
        link.contains(&("points", "-1.35,-0.675;1.35,0.675".into())),
        "{link:?}"
    );

    // So does the diffusion lab, with the same scaling into the same plane.
    let mut diffusion = Lab::<genplay::labs::diffusion::DiffusionRun>::new(1).unwrap();
    let report = diffusion.import_csv("x,y\n0,0\n20,10\n").unwrap();
    assert_eq!((report.scale, report.center), (0.135, [10.0, 5.0]));
    assert_eq!(
        rows(&diffusion, "drawn_points"),
        vec![vec![-1.35, -0.675], vec![1.35, 0.675]]
    );
    assert_eq!(diffusion.value("target").unwrap(), Value::text("drawn"));

    // The VAE learns your points too, and its link holds them as the GAN's does.
    let mut vae = Lab::<VaeRun>::new(1).unwrap();
    vae.import_csv("0.5,0.5\n-0.5,-0.5\n0.5,-0.5\n").unwrap();
    assert_eq!(vae.value("target").unwrap(), Value::text("drawn"));
    vae.step(3.0).unwrap();
    let mut reopened = Lab::<VaeRun>::new(1).unwrap();
    let params: Vec<(String, String)> = vae
        .link()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
    assert!(reopened.apply_link(&params).refused.is_empty());
    let replay = reopened.progress_count();
    reopened.advance(3 - replay).unwrap();
    assert_eq!(
        snapshot(&reopened),
        snapshot(&vae),
        "the link reproduces the run"
    );

    // Classify numbers named classes in order of appearance.
    let mut classify = Lab::<ClassifyModel>::new(1).unwrap();
    let report = classify
        .import_csv("a,b,species\n0,0,setosa\n1,1,versicolor\n2,0,setosa\n0,2,virginica\n")
        .unwrap();
    assert_eq!((report.rows, report.classes), (4, 3));
    assert_eq!(
        report.class_names,
        vec!["setosa", "versicolor", "virginica"]
    );
    assert_eq!(rows(&classify, "points")[3], vec![0.0, 2.0, 2.0]);
}

#[test]
fn a_bad_csv_changes_nothing() {
    let mut gan = Lab::<GanRun>::new(1).unwrap();
    gan.step(2.0).unwrap();
    let before = snapshot(&gan);
    let error = gan.import_csv("x,y\n1,2\n1,oops\n").unwrap_err();
    assert_eq!(
        error,
        "line 3, column 2: 'oops' is not a number: x and y must be finite numbers such as -1.25 or 3e2"
    );
    assert_eq!(snapshot(&gan), before);

    let mut classify = Lab::<ClassifyModel>::new(1).unwrap();
    let before = snapshot(&classify);
    let five = "0,0,a\n1,0,b\n2,0,c\n3,0,d\n4,0,e\n";
    let error = classify.import_csv(five).unwrap_err();
    assert_eq!(
        error,
        "line 5, column 3: 'e' is class 4: the classify lab takes at most 4 classes (0 to 3)"
    );
    assert_eq!(snapshot(&classify), before);

    let too_many = "1,1\n".repeat(3001);
    let error = gan.import_csv(&too_many).unwrap_err();
    assert!(
        error.starts_with("line 3001, column 1: more than 3000 points"),
        "{error}"
    );

    let mut coin = Lab::<genplay::prob::coin_flips::CoinExperiment>::new(1).unwrap();
    assert_eq!(
        coin.import_csv("1,2").unwrap_err(),
        "the coin lab takes no points"
    );
}

/// Exports after `before` steps, imports into a fresh lab, and trains both `after` more: the
/// same snapshot and the same model file.
fn continues_the_same<M: Model + 'static>(
    prepare: impl Fn(&mut Lab<M>),
    before: f64,
    after: f64,
) -> ModelFile {
    let mut first = Lab::<M>::new(3).unwrap();
    prepare(&mut first);
    first.step(before).unwrap();
    let file = first.export_model().unwrap();
    let mut second = Lab::<M>::new(9).unwrap();
    second.import_model(&file).unwrap();
    assert_eq!(
        snapshot(&second),
        snapshot(&first),
        "the import is the export"
    );
    first.step(after).unwrap();
    second.step(after).unwrap();
    assert_eq!(
        snapshot(&second),
        snapshot(&first),
        "training continues the same"
    );
    file
}

#[test]
fn models_round_trip_and_train_on_the_same() {
    let file = continues_the_same::<GanRun>(
        |lab| {
            // A live change mid-run, which a link could not replay: the state carries it.
            lab.step(5.0).unwrap();
            lab.set("d_learning_rate", &Value::Number(0.003)).unwrap();
        },
        20.0,
        15.0,
    );
    assert_eq!(
        (file.format.as_str(), file.version, file.lab.as_str()),
        ("genplay-model", 1.0, "gan")
    );
    assert_eq!(
        (file.progress_name.as_str(), file.progress),
        ("iterations", 25.0)
    );
    let names: Vec<&str> = file.model.iter().map(|(n, _)| n.as_str()).collect();
    assert!(names.contains(&"generator_weights") && names.contains(&"discriminator_optimizer_v"));
    // The default generator: 2 → 64 → 64 → 2, so its first layer has 2 rows of 64 weights.
    let weights = &file
        .model
        .iter()
        .find(|(n, _)| n == "generator_weights")
        .unwrap()
        .1;
    let Value::List(layers) = weights else {
        panic!("weights are a list")
    };
    let Value::List(first) = &layers[0] else {
        panic!("a layer is a list of rows")
    };
    assert_eq!((layers.len(), first.len()), (3, 2));

    continues_the_same::<VaeRun>(
        |lab| lab.set("beta", &Value::Number(0.5)).map(|_| ()).unwrap(),
        12.0,
        10.0,
    );
    let diffusion = continues_the_same::<genplay::labs::diffusion::DiffusionRun>(
        |lab| {
            lab.set("objective", &Value::text("flow_matching"))
                .map(|_| ())
                .unwrap()
        },
        12.0,
        10.0,
    );
    let names: Vec<&str> = diffusion.model.iter().map(|(n, _)| n.as_str()).collect();
    assert!(
        names.contains(&"velocity_predictor_weights"),
        "the network is named for what it predicts: {names:?}"
    );
    let em = continues_the_same::<EmModel>(
        |lab| lab.set("k", &Value::Number(4.0)).map(|_| ()).unwrap(),
        7.0,
        6.0,
    );
    assert_eq!(em.state, None, "EM's half-steps replay from the settings");
    assert_eq!((em.progress_name.as_str(), em.progress), ("steps", 7.0));

    let coin = Lab::<genplay::prob::coin_flips::CoinExperiment>::new(1).unwrap();
    assert_eq!(
        coin.export_model().unwrap_err(),
        "the coin lab has no trained model to export"
    );
}

#[test]
fn a_drawing_of_any_size_travels_in_the_file() {
    let csv: String = (0..500)
        .map(|i| {
            format!(
                "{},{}\n",
                (i % 25) as f64 * 0.1 - 1.2,
                (i / 25) as f64 * 0.1 - 1.0
            )
        })
        .collect();
    continues_the_same::<GanRun>(|lab| drop(lab.import_csv(&csv).unwrap()), 4.0, 3.0);
}

/// The file is refused with `message` and the lab is left as it was.
fn refused<M: Model + 'static>(lab: &mut Lab<M>, file: &ModelFile, message: &str) {
    let before = snapshot(lab);
    let error = lab.import_model(file).unwrap_err();
    assert!(error.contains(message), "{error:?} should say {message:?}");
    assert_eq!(snapshot(lab), before, "a refusal changes nothing");
}

#[test]
fn other_labs_versions_and_changed_files_are_refused() {
    let mut source = Lab::<GanRun>::new(2).unwrap();
    source.step(6.0).unwrap();
    let file = source.export_model().unwrap();
    let mut lab = Lab::<GanRun>::new(4).unwrap();
    lab.step(3.0).unwrap();

    let mut other = file.clone();
    other.format = "something-else".into();
    refused(&mut lab, &other, "this is not a genplay model file");
    let mut other = file.clone();
    other.version = 2.0;
    refused(
        &mut lab,
        &other,
        "this model file has format version 2: this genplay reads version 1 only",
    );
    let mut vae = Lab::<VaeRun>::new(1).unwrap();
    refused(
        &mut vae,
        &file,
        "this is a model of the gan lab, not of the vae lab: open it in #/gan",
    );

    // One weight changed.
    let mut other = file.clone();
    let (_, weights) = other
        .model
        .iter_mut()
        .find(|(n, _)| n == "generator_weights")
        .unwrap();
    if let Value::List(layers) = weights {
        if let Value::List(rows) = &mut layers[0] {
            if let Value::List(row) = &mut rows[0] {
                row[0] = Value::Number(0.5);
            }
        }
    }
    refused(
        &mut lab,
        &other,
        "the model's numbers do not match its settings and state (generator_weights)",
    );
    // The iteration count changed.
    let mut other = file.clone();
    other.progress = 7.0;
    refused(
        &mut lab,
        &other,
        "the file says iterations = 7 but its state holds 6",
    );
    // The state cut short, or not base64.
    let mut other = file.clone();
    let state = other.state.clone().unwrap();
    other.state = Some(state[..state.len() / 2].to_string());
    refused(&mut lab, &other, "");
    other.state = Some("not base64!".into());
    refused(&mut lab, &other, "the model's state is not base64");
    // A setting the lab refuses.
    let mut other = file.clone();
    other.settings.push(("batch_size".into(), "0".into()));
    refused(
        &mut lab,
        &other,
        "the model's settings were refused: batch_size = 0",
    );

    // EM: a mean moved by a little.
    let mut em = Lab::<EmModel>::new(1).unwrap();
    em.step(5.0).unwrap();
    let mut file = em.export_model().unwrap();
    let (_, means) = file.model.iter_mut().find(|(n, _)| n == "means").unwrap();
    if let Value::List(means) = means {
        if let Value::List(mean) = &mut means[0] {
            let Value::Number(x) = mean[0] else { panic!() };
            mean[0] = Value::Number(x + 1e-6);
        }
    }
    refused(&mut em, &file, "(means)");
}

#[test]
fn base64_round_trips() {
    use genplay::labs::transfer::{base64, from_base64};
    assert_eq!(base64(b"Man"), "TWFu");
    assert_eq!(base64(b"Ma"), "TWE=");
    assert_eq!(base64(b"M"), "TQ==");
    for n in 0..40u8 {
        let bytes: Vec<u8> = (0..n).map(|i| i.wrapping_mul(37).wrapping_add(n)).collect();
        assert_eq!(from_base64(&base64(&bytes)).unwrap(), bytes);
    }
    assert!(from_base64("TQ=x").is_err());
}
