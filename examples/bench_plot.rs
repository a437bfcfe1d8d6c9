//! Draws `make bench`'s EM plot: time per iteration against N, log-log, one line per tool and K,
//! from the raw figures `benches/em-grid.mjs` wrote to `target/bench/em-grid.json`, into
//! `docs/em-grid.svg` with plotters' SVG backend.
//!
//! Run: `cargo run --example bench_plot` (after `node benches/em-grid.mjs`).

use plotters::prelude::*;
use serde_json::Value;

/// The tools, their field in a row, and their colour (Okabe–Ito, as the page's).
const TOOLS: [(&str, &str, RGBColor); 3] = [
    ("scikit-learn", "sklearn_ms", RGBColor(0xd5, 0x5e, 0x00)),
    ("genplay native", "native_ms", RGBColor(0x00, 0x72, 0xb2)),
    ("genplay wasm", "wasm_ms", RGBColor(0x00, 0x9e, 0x73)),
];

/// 100000 as "100,000".
fn thousands(n: f64) -> String {
    let digits = format!("{:.0}", n);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

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

    let out = root.join("docs/em-grid.svg");
    let area = SVGBackend::new(&out, (820, 520)).into_drawing_area();
    area.fill(&WHITE)?;
    let title = format!(
        "EM, one iteration, 2-D, full covariance ({}, {})",
        report["machine"]["cpu"].as_str().unwrap_or("?"),
        report["date"]
            .as_str()
            .unwrap_or("?")
            .get(..10)
            .unwrap_or("?")
    );
    let mut chart = ChartBuilder::on(&area)
        .caption(title, ("sans-serif", 18))
        .margin(16)
        .x_label_area_size(44)
        .y_label_area_size(64)
        .build_cartesian_2d(
            (n_min * 0.8..n_max * 1.25).log_scale(),
            (low * 0.6..high * 1.6).log_scale(),
        )?;
    chart
        .configure_mesh()
        .x_desc("N (points)")
        .y_desc("ms per iteration (median)")
        .label_style(("sans-serif", 14))
        .axis_desc_style(("sans-serif", 15))
        .x_label_formatter(&|n| thousands(*n))
        .y_label_formatter(&|ms| format!("{ms}"))
        .draw()?;
    for (tool, field, colour) in TOOLS {
        for (i, &k) in components.iter().enumerate() {
            let line: Vec<(f64, f64)> = rows
                .iter()
                .filter(|r| r["k"].as_u64() == Some(k))
                .filter_map(|r| Some((r["n"].as_f64()?, figure(r, field)?)))
                .collect();
            if line.is_empty() {
                continue;
            }
            // K by the line's weight and its markers' size, the tool by its colour.
            let style = colour.stroke_width(1 + i as u32);
            chart
                .draw_series(LineSeries::new(line.clone(), style))?
                .label(format!("{tool}, K = {k}"))
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], style));
            chart.draw_series(
                line.iter()
                    .map(|&p| Circle::new(p, 2 + i as i32, colour.filled())),
            )?;
        }
    }
    chart
        .configure_series_labels()
        .label_font(("sans-serif", 14))
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.9))
        .border_style(BLACK.mix(0.3))
        .draw()?;
    area.present()?;
    println!("wrote {}", out.display());
    Ok(())
}
