//! The charts as SVG: the data land where their axes put them (linear and logarithmic), values
//! above the range are drawn at its edge, non-finite ones are left out, bands are closed
//! outlines, the labels, ticks, notes and legend are written, and colours are read or refused
//! with a message that says what is allowed.

use genplay_charts::{Chart, Color, Mark, Note, Series};

fn line(label: Option<&str>, xs: Vec<f64>, ys: Vec<f64>) -> Series {
    Series {
        label: label.map(str::to_string),
        color: Color::parse("#0072b2").unwrap(),
        mark: Mark::Line {
            width: 2.0,
            dashed: false,
        },
        xs,
        ys,
    }
}

/// The pixel points of every `<polyline>` drawn in `color` (the data, not the axes).
fn polylines(svg: &str, color: &str) -> Vec<Vec<(f64, f64)>> {
    svg.lines()
        .filter(|l| l.starts_with("<polyline") && l.contains(&format!("stroke=\"{color}\"")))
        .map(|l| {
            let points = l
                .split("points=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap();
            points
                .split_whitespace()
                .map(|p| {
                    let (x, y) = p.split_once(',').unwrap();
                    (x.parse().unwrap(), y.parse().unwrap())
                })
                .collect()
        })
        .collect()
}

#[test]
fn a_line_lands_where_its_axes_put_it_and_spikes_stop_at_the_edge() {
    let mut chart = Chart::new("iteration", "loss");
    (chart.x.max, chart.y.max) = (4.0, 2.0);
    chart.series.push(line(
        Some("D loss"),
        vec![0.0, 1.0, 2.0, 3.0, 4.0],
        vec![0.0, 1.0, 2.0, 50.0, f64::NAN],
    ));
    let svg = chart.svg(600, 300).unwrap();
    let lines = polylines(&svg, "#0072B2");
    assert_eq!(lines.len(), 2, "the data and its legend entry: {svg}");
    let points = &lines[0];
    // The NaN is left out; 50 is drawn at the top, as 2 is.
    assert_eq!(points.len(), 4, "{points:?}");
    let (left, bottom) = points[0];
    let (right_of_two, top) = points[2];
    assert_eq!(points[3].1, top, "the spike stops at the top edge");
    // Evenly spaced xs are evenly spaced pixels; y = 1 is halfway up.
    let step = points[1].0 - left;
    assert!(step > 100.0, "{points:?}");
    assert!(
        (right_of_two - left - 2.0 * step).abs() <= 1.0,
        "{points:?}"
    );
    assert!(
        (points[1].1 - (bottom + top) / 2.0).abs() <= 1.0,
        "{points:?}"
    );
    assert!(top < bottom);
    for text in ["iteration", "loss", "D loss", ">\n1.5\n<", ">\n0\n<"] {
        assert!(svg.contains(text), "no {text:?} in the SVG");
    }
}

#[test]
fn a_logarithmic_axis_puts_ten_halfway_between_one_and_a_hundred() {
    let mut chart = Chart::new("flips", "frequency");
    (chart.x.min, chart.x.max, chart.x.log) = (1.0, 100.0, true);
    chart
        .series
        .push(line(None, vec![1.0, 10.0, 100.0], vec![0.5; 3]));
    let svg = chart.svg(500, 300).unwrap();
    let points = &polylines(&svg, "#0072B2")[0];
    let middle = (points[0].0 + points[2].0) / 2.0;
    assert!((points[1].0 - middle).abs() <= 1.0, "{points:?}");
    // Ticks in powers of ten, thousands as k.
    let mut wide = chart.clone();
    wide.x.max = 1e5;
    let svg = wide.svg(800, 300).unwrap();
    assert!(
        svg.contains(">\n10k\n<") && svg.contains(">\n100\n<"),
        "{svg}"
    );
}

#[test]
fn bands_are_closed_outlines_and_notes_and_dashes_are_drawn() {
    let mut chart = Chart::new("n", "");
    chart.series.push(Series {
        label: Some("p ± 2σ".into()),
        color: Color::parse("rgba(86, 180, 233, 0.28)").unwrap(),
        mark: Mark::Band {
            upper: vec![0.9, 0.8, 0.7],
        },
        xs: vec![0.0, 0.5, 1.0],
        ys: vec![0.1, 0.2, 0.3],
    });
    chart.series.push(Series {
        label: Some("p = 0.5".into()),
        color: Color::parse("#56b4e9").unwrap(),
        mark: Mark::Line {
            width: 2.0,
            dashed: true,
        },
        xs: vec![0.0, 1.0],
        ys: vec![0.5, 0.5],
    });
    chart.notes.push(Note {
        x: 0.5,
        y: 0.5,
        text: "Flip to see the frequency".into(),
    });
    let svg = chart.svg(400, 300).unwrap();
    let polygon = svg
        .lines()
        .find(|l| l.starts_with("<polygon") && l.contains("#56B4E9"))
        .expect("the band");
    assert!(polygon.contains("opacity=\"0.28\""), "{polygon}");
    let vertices = polygon
        .split("points=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .split_whitespace();
    assert_eq!(vertices.count(), 6, "three points below, three above");
    // A dashed line is many short segments along the line (and two in its legend entry).
    let dashes = polylines(&svg, "#56B4E9");
    assert!(dashes.len() > 10, "{} dashes", dashes.len());
    for text in ["Flip to see the frequency", "p ± 2σ", "p = 0.5"] {
        assert!(svg.contains(text), "no {text:?}");
    }
}

#[test]
fn colours_are_read_or_refused_with_what_is_allowed() {
    assert_eq!(
        Color::parse("#D55E00").unwrap(),
        Color {
            rgb: [0xd5, 0x5e, 0x00],
            alpha: 1.0
        }
    );
    assert_eq!(
        Color::parse("rgba(0, 158, 115, 0.5)").unwrap(),
        Color {
            rgb: [0, 158, 115],
            alpha: 0.5
        }
    );
    for bad in [
        "blue",
        "#12345",
        "rgba(300, 0, 0, 1)",
        "rgba(0, 0, 0, 2)",
        "rgb(1, 2)",
    ] {
        let message = Color::parse(bad).unwrap_err();
        assert!(
            message.contains("must be #rrggbb or rgba(r, g, b, a)") && message.contains(bad),
            "{message}"
        );
    }
}

#[test]
fn the_legend_takes_the_corner_that_hides_the_fewest_data() {
    /// The legend box's top-left corner: its half-opaque white background.
    fn legend_at(svg: &str) -> (f64, f64) {
        let rect = svg
            .lines()
            .find(|l| l.starts_with("<rect") && l.contains("opacity=\"0.85\""))
            .expect("a legend");
        let attr = |name: &str| -> f64 {
            let value = rect.split(&format!(" {name}=\"")).nth(1).unwrap();
            value.split('"').next().unwrap().parse().unwrap()
        };
        (attr("x"), attr("y"))
    }
    let mut chart = Chart::new("iteration", "loss");
    let xs: Vec<f64> = (0..=100).map(|i| i as f64 / 100.0).collect();
    // High on the right: the top right is taken, the top left is free.
    chart.series.push(line(
        Some("rising"),
        xs.clone(),
        xs.iter().map(|x| x * x).collect(),
    ));
    let (x, y) = legend_at(&chart.svg(500, 300).unwrap());
    assert!(x < 150.0 && y < 100.0, "top left: {x}, {y}");
    // High on the left: the top right is free again.
    chart.series[0].ys = xs.iter().map(|x| (1.0 - x) * (1.0 - x)).collect();
    let (x, y) = legend_at(&chart.svg(500, 300).unwrap());
    assert!(x > 300.0 && y < 100.0, "top right: {x}, {y}");
}

#[test]
fn an_axis_of_names_shows_them_at_the_whole_numbers_only() {
    let mut chart = Chart::new("", "steps per second");
    chart.x.names = vec!["GAN iteration".into(), "diffusion step".into()];
    (chart.x.min, chart.x.max) = (0.4, 2.6);
    chart.series.push(Series {
        label: None,
        color: Color::parse("#0072b2").unwrap(),
        mark: Mark::Bars { half_width: 0.2 },
        xs: vec![1.0, 2.0],
        ys: vec![0.5, 0.8],
    });
    let svg = chart.svg(500, 300).unwrap();
    assert!(svg.contains(">\nGAN iteration\n<") && svg.contains(">\ndiffusion step\n<"));
    // No number among the x ticks (the y axis has its own): 0.5, 1.5 and 2.5 are not shown.
    for number in [">\n1.5\n<", ">\n2.5\n<", ">\n2\n<"] {
        assert!(!svg.contains(number), "{number}");
    }
    let bars = svg
        .lines()
        .filter(|l| l.starts_with("<rect") && l.contains("#0072B2"))
        .count();
    assert_eq!(bars, 2);
}
