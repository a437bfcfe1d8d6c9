//! Draws `make bench`'s EM plot: time per iteration against N, log-log, one line per tool and K,
//! from the raw figures `benches/em-grid.mjs` wrote to `target/bench/em-grid.json`, into
//! `docs/em-grid.svg`, with the charts the page draws (charts/, plotters' SVG backend).
//!
//! Run: `cargo run --example bench_plot` (after `node benches/em-grid.mjs`).

use genplay_charts::{Chart, Color, Mark, Series};
use serde_json::Value;

/// The tools, their field in a row, and their colour (Okabe–Ito, as the page's).
const TOOLS: [(&str, &str, &str); 3] = [
    ("scikit-learn", "sklearn_ms", "#d55e00"),
    ("genplay native", "native_ms", "#0072b2"),
    ("genplay wasm", "wasm_ms", "#009e73"),
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(
        root.join("target/bench/em-grid.json"),
    )?)?;
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
        report["date"]
            .as_str()
            .unwrap_or("?")
            .get(..10)
            .unwrap_or("?")
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
    let out = root.join("docs/em-grid.svg");
    std::fs::write(&out, chart.svg(820, 520)?)?;
    println!("wrote {}", out.display());
    Ok(())
}
