//! Draws `make bench`'s plots with the charts the page draws (charts/, plotters' SVG backend):
//! - `docs/em-grid.svg`, EM's time per iteration against N, log-log, one line per tool and K,
//!   from the raw figures `benches/em-grid.mjs` wrote to `target/bench/em-grid.json`;
//! - `docs/training-steps.svg`, the training steps per second of genplay and of each peer it
//!   was measured beside (TensorFlow.js's backends), one group of bars per workload, from
//!   `target/bench/browser.json` (benches/browser.mjs).
//!
//! Run: `cargo run --example bench_plot` (after the benches; a plot whose figures are missing is
//! skipped, and says so).

use genplay_charts::{Chart, Color, Mark, Series};
use serde_json::Value;

/// The tools, their field in a row, and their colour (Okabe–Ito, as the page's).
const TOOLS: [(&str, &str, &str); 3] = [
    ("scikit-learn", "sklearn_ms", "#d55e00"),
    ("genplay native", "native_ms", "#0072b2"),
    ("genplay wasm", "wasm_ms", "#009e73"),
];

type Failure = Box<dyn std::error::Error>;

fn main() -> Result<(), Failure> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (input, output, plot) in [
        (
            "em-grid.json",
            "em-grid.svg",
            em_grid as fn(&Value) -> Result<Chart, Failure>,
        ),
        ("browser.json", "training-steps.svg", training_steps),
    ] {
        let input = root.join("target/bench").join(input);
        let Ok(text) = std::fs::read_to_string(&input) else {
            println!("no {}: {output} not drawn", input.display());
            continue;
        };
        let chart = plot(&serde_json::from_str(&text)?)?;
        let out = root.join("docs").join(output);
        std::fs::write(&out, chart.svg(820, 520)?)?;
        println!("wrote {}", out.display());
    }
    Ok(())
}

/// The date of a report, as YYYY-MM-DD.
fn day(report: &Value) -> &str {
    report["date"]
        .as_str()
        .unwrap_or("?")
        .get(..10)
        .unwrap_or("?")
}

fn em_grid(report: &Value) -> Result<Chart, Failure> {
    let rows = report["rows"].as_array().ok_or("no rows")?;
    let figure = |row: &Value, field: &str| row[field].as_f64().filter(|v| *v > 0.0);
    let all: Vec<f64> = rows
        .iter()
        .flat_map(|r| TOOLS.iter().filter_map(|(_, field, _)| figure(r, field)))
        .collect();
    let (low, high) = all
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let sizes: Vec<f64> = rows.iter().filter_map(|r| r["n"].as_f64()).collect();
    let (n_min, n_max) = sizes
        .iter()
        .fold((f64::INFINITY, 0.0f64), |(a, b), v| (a.min(*v), b.max(*v)));
    let mut components: Vec<u64> = rows.iter().filter_map(|r| r["k"].as_u64()).collect();
    components.sort_unstable();
    components.dedup();

    let mut chart = Chart::new("N (points)", "ms per iteration (median)");
    chart.title = Some(format!(
        "EM, one iteration, 2-D, full covariance ({}, {})",
        report["machine"]["cpu"].as_str().unwrap_or("?"),
        day(report)
    ));
    (chart.x.min, chart.x.max, chart.x.log) = (n_min * 0.8, n_max * 1.25, true);
    (chart.y.min, chart.y.max, chart.y.log) = (low * 0.6, high * 1.6, true);
    for (tool, field, colour) in TOOLS {
        let color = Color::parse(colour)?;
        for (i, &k) in components.iter().enumerate() {
            let (xs, ys): (Vec<f64>, Vec<f64>) = rows
                .iter()
                .filter(|r| r["k"].as_u64() == Some(k))
                .filter_map(|r| Some((r["n"].as_f64()?, figure(r, field)?)))
                .unzip();
            if xs.is_empty() {
                continue;
            }
            // K by the line's weight and its markers' size, the tool by its colour.
            let width = 1.0 + i as f64;
            chart.series.push(Series {
                label: Some(format!("{tool}, K = {k}")),
                color,
                mark: Mark::Line {
                    width,
                    dashed: false,
                },
                xs: xs.clone(),
                ys: ys.clone(),
            });
            chart.series.push(Series {
                label: None,
                color,
                mark: Mark::Points {
                    radius: 1.5 + width,
                },
                xs,
                ys,
            });
        }
    }
    Ok(chart)
}

/// The peers' colours, in the order they first appear (genplay's is its own).
const PEER_COLOURS: [&str; 3] = ["#e69f00", "#56b4e9", "#cc79a7"];

fn training_steps(report: &Value) -> Result<Chart, Failure> {
    let comparisons = report["comparisons"].as_array().ok_or("no comparisons")?;
    let mut workloads: Vec<&str> = Vec::new();
    let mut peers: Vec<&str> = Vec::new();
    for c in comparisons {
        let workload = c["workload"]
            .as_str()
            .ok_or("a comparison without a workload")?;
        if !workloads.contains(&workload) {
            workloads.push(workload);
        }
        let peer = c["peer"].as_str().ok_or("a comparison without a peer")?;
        if !peers.contains(&peer) {
            peers.push(peer);
        }
    }
    let mut chart = Chart::new("", "steps per second");
    chart.x.names = workloads
        .iter()
        .map(|w| w.split(',').next().unwrap_or(w).to_string())
        .collect();
    chart.title = Some(format!(
        "Training steps per second, interleaved in one page ({}, {})",
        report["cpu"].as_str().unwrap_or("?"),
        day(report)
    ));
    let all: Vec<f64> = comparisons
        .iter()
        .flat_map(|c| [c["genplay"].as_f64(), c["theirs"].as_f64()])
        .flatten()
        .filter(|v| *v > 0.0)
        .collect();
    let high = all.iter().copied().fold(1.0, f64::max);
    let low = all.iter().copied().fold(high, f64::min);
    (chart.x.min, chart.x.max) = (0.4, workloads.len() as f64 + 0.6);
    (chart.y.min, chart.y.max, chart.y.log) = (low / 3.0, high * 4.0, true);
    let width = 0.8 / (peers.len() + 1) as f64;
    let left = |i: usize, slot: usize| i as f64 + 1.0 - 0.4 + width * (slot as f64 + 0.5);
    let bars = |label: &str, colour: &str, xs: Vec<f64>, ys: Vec<f64>| -> Result<Series, Failure> {
        Ok(Series {
            label: Some(label.to_string()),
            color: Color::parse(colour)?,
            mark: Mark::Bars {
                half_width: width * 0.45,
            },
            xs,
            ys,
        })
    };
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    for (i, workload) in workloads.iter().enumerate() {
        if let Some(c) = comparisons.iter().find(|c| c["workload"] == *workload) {
            xs.push(left(i, 0));
            ys.push(c["genplay"].as_f64().unwrap_or(f64::NAN));
        }
    }
    chart
        .series
        .push(bars("genplay (wasm)", "#0072b2", xs, ys)?);
    for (p, peer) in peers.iter().enumerate() {
        let (mut xs, mut ys) = (Vec::new(), Vec::new());
        for (i, workload) in workloads.iter().enumerate() {
            let found = comparisons
                .iter()
                .find(|c| c["workload"] == *workload && c["peer"] == *peer);
            if let Some(c) = found {
                xs.push(left(i, p + 1));
                ys.push(c["theirs"].as_f64().unwrap_or(f64::NAN));
            }
        }
        let colour = PEER_COLOURS[p % PEER_COLOURS.len()];
        chart.series.push(bars(peer, colour, xs, ys)?);
    }
    Ok(chart)
}
