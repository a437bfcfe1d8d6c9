//! A GAN's, a VAE's and a diffusion model's training state exported to bytes and imported into a fresh lab continues
//! the same run, bit for bit (what lets the page's Web Worker train a copy of it), and a state
//! that does not fit is refused with a message and changes nothing.

use genplay::labs::diffusion::DiffusionRun;
use genplay::labs::gan::GanRun;
use genplay::labs::vae::VaeRun;
use genplay::labs::{Lab, Model, Value};

fn snapshot<M: Model>(lab: &Lab<M>) -> String {
    // serde_json writes each f32 in the fewest digits that read back as the same f32: equal
    // texts are equal numbers, bit for bit.
    serde_json::to_string(&lab.snapshot()).expect("snapshots are plain data")
}

/// Run A trains 150 iterations; run B trains 70, exports, a fresh lab imports and trains 80:
/// the two end the same (snapshots, histories and the states themselves). `prepare` applies
/// the same settings (some live) to every lab.
fn continues_the_same_run<M: Model>(prepare: impl Fn(&mut Lab<M>)) -> Lab<M> {
    let mut whole = Lab::<M>::new(5).unwrap();
    prepare(&mut whole);
    whole.step(150.0).unwrap();

    let mut first = Lab::<M>::new(5).unwrap();
    prepare(&mut first);
    first.step(70.0).unwrap();
    let bytes = first.export_state().unwrap();
    let mut second = Lab::<M>::new(5).unwrap();
    prepare(&mut second);
    second.import_state(&bytes).unwrap();
    assert_eq!(
        snapshot(&second),
        snapshot(&first),
        "the import is the export"
    );
    second.step(80.0).unwrap();

    assert_eq!(second.progress_count(), 150);
    assert_eq!(snapshot(&second), snapshot(&whole));
    assert_eq!(
        second.export_state().unwrap(),
        whole.export_state().unwrap()
    );
    whole
}

/// Bytes that do not fit are refused with `message` (a part of it) and the lab is unchanged.
fn refused<M: Model>(lab: &mut Lab<M>, bytes: &[u8], message: &str) {
    let before = lab.export_state().unwrap();
    let error = lab.import_state(bytes).unwrap_err();
    assert!(error.contains(message), "{error:?} should say {message:?}");
    assert_eq!(
        lab.export_state().unwrap(),
        before,
        "a refusal changes nothing"
    );
}

fn set<M: Model>(lab: &mut Lab<M>, name: &str, value: f64) {
    lab.set(name, &Value::Number(value)).unwrap();
}

#[test]
fn a_gan_continues_the_same_run_from_its_state() {
    let whole = continues_the_same_run::<GanRun>(|lab| {
        set(lab, "g_steps", 2.0);
        set(lab, "batch_size", 64.0);
    });
    let s: serde_json::Value = serde_json::to_value(whole.snapshot()).unwrap();
    assert_eq!(s["history_iterations"].as_array().unwrap().len(), 150);
    assert_eq!(s["g_updates"], 300);
    assert!(s["d_loss"].as_f64().unwrap().is_finite());
}

#[test]
fn a_gan_state_carries_the_live_learning_rates() {
    let mut changed = Lab::<GanRun>::new(2).unwrap();
    set(&mut changed, "g_learning_rate", 0.004);
    changed.step(20.0).unwrap();
    let mut plain = Lab::<GanRun>::new(2).unwrap();
    plain
        .import_state(&changed.export_state().unwrap())
        .unwrap();
    changed.step(20.0).unwrap();
    plain.step(20.0).unwrap();
    assert_eq!(
        plain.export_state().unwrap(),
        changed.export_state().unwrap()
    );
    let s: serde_json::Value = serde_json::to_value(plain.snapshot()).unwrap();
    assert_eq!(
        s["config"]["g_learning_rate"].as_f64(),
        Some(0.004f32 as f64)
    );
    assert_eq!(
        s["config"]["d_learning_rate"].as_f64(),
        Some(0.001f32 as f64)
    );
}

#[test]
fn a_gan_state_is_written_between_network_steps_only() {
    let mut narrated = Lab::<GanRun>::new(3).unwrap();
    narrated.step(4.0).unwrap();
    narrated.model_mut().sub_step().unwrap();
    let error = narrated.export_state().unwrap_err();
    assert!(error.contains("half done"), "{error}");
    // The rest of the discriminator's step: the generator's step starts next, and is exported.
    for _ in 0..5 {
        narrated.model_mut().sub_step().unwrap();
    }
    let mut copy = Lab::<GanRun>::new(3).unwrap();
    copy.import_state(&narrated.export_state().unwrap())
        .unwrap();
    narrated.step(10.0).unwrap();
    copy.step(10.0).unwrap();
    assert_eq!(snapshot(&copy), snapshot(&narrated));
    assert_eq!(copy.progress_count(), 14);
}

#[test]
fn a_vae_continues_the_same_run_from_its_state_with_live_beta_and_prior_draws() {
    continues_the_same_run::<VaeRun>(|lab| {
        set(lab, "latent_dim", 1.0);
        set(lab, "batch_size", 32.0);
    });
    let mut changed = Lab::<VaeRun>::new(4).unwrap();
    set(&mut changed, "beta", 0.2);
    set(&mut changed, "learning_rate", 0.01);
    changed.step(30.0).unwrap();
    let settings = changed.settings().clone();
    changed.model_mut().redraw_prior_samples(&settings);
    let mut plain = Lab::<VaeRun>::new(4).unwrap();
    plain
        .import_state(&changed.export_state().unwrap())
        .unwrap();
    changed.step(30.0).unwrap();
    plain.step(30.0).unwrap();
    let s: serde_json::Value = serde_json::to_value(plain.snapshot()).unwrap();
    assert_eq!(s["beta"].as_f64(), Some(0.2f32 as f64));
    assert_eq!(
        plain.export_state().unwrap(),
        changed.export_state().unwrap()
    );
    // The snapshot's settings are the lab's own (the defaults), its run the state's.
    let strip = |lab: &Lab<VaeRun>| {
        let mut s: serde_json::Value = serde_json::to_value(lab.snapshot()).unwrap();
        s.as_object_mut().unwrap().remove("config");
        s
    };
    assert_eq!(strip(&plain), strip(&changed));
}

#[test]
fn a_state_that_does_not_fit_is_refused_and_changes_nothing() {
    let mut gan = Lab::<GanRun>::new(6).unwrap();
    gan.step(5.0).unwrap();
    let bytes = gan.export_state().unwrap();
    let mut other = Lab::<GanRun>::new(6).unwrap();
    other.step(2.0).unwrap();
    refused(&mut other, &bytes[..bytes.len() - 3], "ends early");
    refused(&mut other, &bytes[..10], "ends early");
    refused(
        &mut other,
        b"not a state at all",
        "not a genplay training state",
    );
    let mut longer = bytes.clone();
    longer.push(0);
    refused(&mut other, &longer, "1 bytes more");
    let mut version = bytes.clone();
    version[4] = 9;
    refused(&mut other, &version, "format 9");

    let mut vae = Lab::<VaeRun>::new(6).unwrap();
    refused(&mut vae, &bytes, "of the gan lab, not the vae lab");
    let mut wider = Lab::<GanRun>::new(6).unwrap();
    set(&mut wider, "hidden_units", 32.0);
    refused(
        &mut wider,
        &bytes,
        "the generator has 4482 numbers, the run 1218",
    );
    // A corrupt length deep inside is caught before it allocates.
    let mut corrupt = bytes.clone();
    let at = 4 + 4 + 8 + 3 + 8 + 8 + 4 + 8 + 4;
    corrupt[at..at + 8].copy_from_slice(&u64::MAX.to_le_bytes());
    refused(&mut other, &corrupt, "ends early");

    let mut beta = Lab::<VaeRun>::new(1).unwrap();
    let mut state = beta.export_state().unwrap();
    let at = 4 + 4 + 8 + 3;
    state[at..at + 4].copy_from_slice(&(-1.0f32).to_le_bytes());
    refused(&mut beta, &state, "beta");
}

#[test]
fn a_diverged_run_stays_diverged_through_its_state() {
    let mut wild = Lab::<GanRun>::new(7).unwrap();
    wild.set("optimizer", &Value::text("sgd")).unwrap();
    set(&mut wild, "learning_rate", 10.0);
    wild.step(200.0).unwrap();
    let s: serde_json::Value = serde_json::to_value(wild.snapshot()).unwrap();
    let message = s["diverged"]
        .as_str()
        .expect("SGD at a learning rate of 10 diverges")
        .to_string();
    let mut copy = Lab::<GanRun>::new(7).unwrap();
    copy.set("optimizer", &Value::text("sgd")).unwrap();
    copy.import_state(&wild.export_state().unwrap()).unwrap();
    let c: serde_json::Value = serde_json::to_value(copy.snapshot()).unwrap();
    assert_eq!(c["diverged"].as_str(), Some(message.as_str()));
    assert_eq!(c["next"], s["next"], "where it stopped, mid-step");
    let at = copy.progress_count();
    copy.step(5.0).unwrap();
    assert_eq!(
        copy.progress_count(),
        at,
        "a diverged run trains no further"
    );
}

#[test]
fn a_diffusion_model_continues_the_same_run_from_its_state_with_live_sampling_settings() {
    continues_the_same_run::<DiffusionRun>(|lab| {
        set(lab, "learning_rate", 0.01);
        lab.set("sampler", &Value::text("ddim")).unwrap();
        set(lab, "sampling_steps", 20.0);
    });
}

#[test]
fn a_diffusion_state_brings_the_samples_and_sample_runs_their_paths_again() {
    let mut whole = Lab::<DiffusionRun>::new(2).unwrap();
    whole.step(260.0).unwrap();
    let mut copy = Lab::<DiffusionRun>::new(2).unwrap();
    copy.import_state(&whole.export_state().unwrap()).unwrap();
    let (a, b) = (
        serde_json::to_value(whole.snapshot()).unwrap(),
        serde_json::to_value(copy.snapshot()).unwrap(),
    );
    assert_eq!(
        a["samples"], b["samples"],
        "the samples measured at 250 came along"
    );
    assert_eq!(a["distance_history"], b["distance_history"]);
    assert_eq!(a["sampling_steps_taken"], 100);
    assert_eq!(
        b["sampling_steps_taken"], 1,
        "only the samples, not their paths"
    );
    // Sampled again at iteration 260 on both sides (the measured pass was at 250).
    whole.model_mut().model_mut().sample();
    copy.model_mut().model_mut().sample();
    let a = serde_json::to_value(whole.snapshot()).unwrap();
    let b = serde_json::to_value(copy.snapshot()).unwrap();
    assert_eq!(
        a["trajectories"], b["trajectories"],
        "the same network, the same pass"
    );

    // A narrated iteration half done is not a state a worker can take.
    copy.model_mut().sub_step().unwrap();
    let error = copy.export_state().unwrap_err();
    assert!(error.contains("half done"), "{error}");
}
