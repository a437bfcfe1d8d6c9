//! The link parser under generated links: for every lab, a bounded number of seeded random links
//! (known and unknown names, values that are valid, mutated, out of range, of the wrong kind,
//! markup, control characters, huge or empty) must never panic; every refusal names the
//! parameter it refused; and whatever state a link leaves, that state's own link opens the same
//! run in a fresh lab, with nothing refused.

use genplay::labs::{self, Lab, Model};
use genplay::rng::{self, Rng};

/// Texts no setting accepts as they are, or that probe the parser's edges.
const ODD_VALUES: &[&str] = &[
    "",
    " ",
    "NaN",
    "-NaN",
    "inf",
    "-inf",
    "1e999",
    "-1e999",
    "1e-999",
    "-0",
    "0x10",
    "+3",
    "3.",
    ".5",
    "1,5",
    "1_000",
    "١٢",
    "３",
    "true",
    "false",
    "null",
    "undefined",
    "[]",
    "{}",
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "%00",
    "\u{0}",
    "\u{202e}ring",
    "ring,ring",
    "0.1,0.2",
    "0.1,0.2;0.3,0.4",
    "9999999999999999999999",
    "18446744073709551616",
    "-1",
    "0",
    "1",
    "2",
    "7",
    "0.5",
];

fn pick<'a, T>(rng: &mut Rng, items: &'a [T]) -> &'a T {
    &items[((rng::uniform(rng) * items.len() as f64) as usize).min(items.len() - 1)]
}

/// A value for one setting: one of its own valid texts, another setting's, a mutation of one,
/// or an odd value.
fn value_text(rng: &mut Rng, own: &str, pool: &[String]) -> String {
    match (rng::uniform(rng) * 5.0) as u32 {
        0 => own.to_string(),
        1 => pick(rng, pool).clone(),
        2 => {
            // A valid text with one character dropped, doubled or replaced.
            let mut chars: Vec<char> = own.chars().collect();
            if chars.is_empty() {
                return "x".into();
            }
            let i = ((rng::uniform(rng) * chars.len() as f64) as usize).min(chars.len() - 1);
            match (rng::uniform(rng) * 3.0) as u32 {
                0 => {
                    chars.remove(i);
                }
                1 => chars.insert(i, chars[i]),
                _ => chars[i] = *pick(rng, &['9', '-', '.', 'e', ',', 'x', '0']),
            }
            chars.into_iter().collect()
        }
        _ => pick(rng, ODD_VALUES).to_string(),
    }
}

fn fuzz_links<M: Model>(cases: usize, seed: u64) {
    let fresh = Lab::<M>::new(1).unwrap();
    let schema = fresh.schema().clone();
    let progress = schema.progress.name;
    // Every link name with a valid text for it: the fresh lab's link, and the schema's choices.
    let mut names: Vec<(String, String)> = fresh
        .link()
        .into_iter()
        .filter(|(name, _)| *name != progress)
        .map(|(n, t)| (n.to_string(), t))
        .collect();
    for s in &schema.settings {
        if !names.iter().any(|(n, _)| n == s.link_name) {
            names.push((s.link_name.to_string(), String::from("1")));
        }
    }
    let pool: Vec<String> = names.iter().map(|(_, t)| t.clone()).collect();
    let mut rng = rng::seeded(seed);
    for case in 0..cases {
        let mut link = Vec::new();
        for _ in 0..1 + (rng::uniform(&mut rng) * 6.0) as usize {
            let roll = rng::uniform(&mut rng);
            if roll < 0.1 {
                let name = pick(
                    &mut rng,
                    &["no_such_setting", "", "SEED", "seed ", "__proto__"],
                );
                link.push((name.to_string(), pick(&mut rng, ODD_VALUES).to_string()));
            } else if roll < 0.2 {
                // How far the run has gone: small (replaying a huge run is not what this tests).
                let steps = pick(&mut rng, &["0", "1", "3", "8", "-3", "2.5", "x", "1e999"]);
                link.push((progress.to_string(), steps.to_string()));
            } else {
                let (name, own) = pick(&mut rng, &names).clone();
                link.push((name, value_text(&mut rng, &own, &pool)));
            }
        }
        let mut lab = Lab::<M>::new(1).unwrap();
        let outcome = lab.apply_link(&link);
        for message in &outcome.refused {
            let names_it = |name: &str| {
                if name.is_empty() {
                    message.contains("\"\"")
                } else {
                    message.contains(name)
                }
            };
            assert!(
                link.iter().any(|(name, _)| names_it(name)),
                "{} case {case}: the refusal {message:?} names no parameter of {link:?}",
                schema.lab
            );
        }
        lab.advance(outcome.replay).unwrap();
        // The state the link left opens again from its own link, exactly.
        let again: Vec<(String, String)> = lab
            .link()
            .into_iter()
            .map(|(n, t)| (n.to_string(), t))
            .collect();
        let mut opened = Lab::<M>::new(1).unwrap();
        let reopened = opened.apply_link(&again);
        assert!(
            reopened.refused.is_empty(),
            "{} case {case}: {link:?} left a state whose link {again:?} is refused: {:?}",
            schema.lab,
            reopened.refused
        );
        opened.advance(reopened.replay).unwrap();
        assert_eq!(
            opened.values(),
            lab.values(),
            "{} case {case}: {link:?}",
            schema.lab
        );
        let (a, b) = (
            serde_json::to_value(opened.snapshot()).unwrap(),
            serde_json::to_value(lab.snapshot()).unwrap(),
        );
        let differ: Vec<String> = a
            .as_object()
            .unwrap()
            .iter()
            .filter(|(k, v)| b.get(k.as_str()) != Some(v))
            .map(|(k, v)| {
                let show =
                    |x: &serde_json::Value| x.to_string().chars().take(120).collect::<String>();
                format!("{k}: {} against {}", show(v), show(&b[k.as_str()]))
            })
            .collect();
        assert!(
            differ.is_empty(),
            "{} case {case}: {link:?} reopened from {again:?} differs in {differ:#?}",
            schema.lab
        );
    }
}

#[test]
fn generated_links_never_panic_name_what_they_refuse_and_leave_a_state_that_round_trips() {
    fuzz_links::<genplay::prob::coin_flips::CoinExperiment>(300, 11);
    fuzz_links::<labs::joint::JointRun>(300, 12);
    fuzz_links::<labs::gaussian::GaussianRun>(300, 13);
    fuzz_links::<labs::classify::ClassifyModel>(150, 14);
    fuzz_links::<labs::em::EmModel>(100, 15);
    fuzz_links::<labs::gan::GanRun>(60, 16);
    fuzz_links::<labs::vae::VaeRun>(60, 17);
    fuzz_links::<labs::diffusion::DiffusionRun>(30, 18);
}
