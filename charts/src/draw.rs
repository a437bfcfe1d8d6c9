//! Drawing a [`Chart`] with plotters on any backend: the axes with their labels and ticks, a light
//! grid, the series in order (bands first if they are listed first), the notes and the legend.
//! Sizes are CSS pixels times `scale` (the device pixel ratio on a canvas, 1 in an SVG file); the
//! text's size is `font_size`, in plotters' units for the backend.

use crate::{Axis, Chart, Mark};
use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

const FONT: &str = "sans-serif";
/// The page's ink and grid colours (www/ui/plot.js).
const INK: RGBColor = RGBColor(0x1d, 0x24, 0x33);
const GRID: RGBColor = RGBColor(0xe6, 0xe8, 0xef);

fn error(e: impl std::fmt::Display) -> String {
    format!("the chart could not be drawn: {e}")
}

/// Draws `chart` filling `area`, sizes scaled by `scale`, its text at `font_size`.
pub fn draw<DB: DrawingBackend>(
    chart: &Chart,
    area: &DrawingArea<DB, Shift>,
    scale: f64,
    font_size: f64,
) -> Result<(), String> {
    area.fill(&WHITE).map_err(error)?;
    let (x, y) = (range(&chart.x), range(&chart.y));
    match (chart.x.log, chart.y.log) {
        (false, false) => plot(chart, area, (scale, font_size), x, y),
        (true, false) => plot(chart, area, (scale, font_size), x.log_scale(), y),
        (false, true) => plot(chart, area, (scale, font_size), x, y.log_scale()),
        (true, true) => plot(
            chart,
            area,
            (scale, font_size),
            x.log_scale(),
            y.log_scale(),
        ),
    }
}

/// An axis's range as plotters takes it: never empty, and positive on a log axis.
fn range(axis: &Axis) -> std::ops::Range<f64> {
    let (mut min, mut max) = (axis.min, axis.max);
    if axis.log {
        min = min.max(1e-300);
        max = max.max(min * 10.0);
    }
    if !(min.is_finite() && max.is_finite()) || max <= min {
        (min, max) = if min.is_finite() {
            (min, min + 1.0)
        } else {
            (0.0, 1.0)
        };
    }
    min..max
}

/// An x tick's text: its name on an axis of names (none between the whole numbers), else its
/// number.
fn x_tick(axis: &Axis, v: f64) -> String {
    if axis.names.is_empty() {
        return tick(v);
    }
    let whole = v.round();
    if whole < 1.0 || (v - whole).abs() > 1e-9 {
        return String::new();
    }
    axis.names
        .get(whole as usize - 1)
        .cloned()
        .unwrap_or_default()
}

/// A tick's text: at most 3 significant digits, thousands and millions as k and M.
fn tick(v: f64) -> String {
    let a = v.abs();
    let (value, suffix) = if a >= 1e6 {
        (v / 1e6, "M")
    } else if a >= 1e4 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = if value == 0.0 {
        "0".to_string()
    } else {
        let digits = (2 - value.abs().log10().floor() as i32).clamp(0, 6) as usize;
        let s = format!("{value:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    };
    format!("{text}{suffix}")
}

/// The width the y axis's ticks and label need, in CSS pixels: about 7.5 per character of the
/// widest tick (the range's ends and middle stand for them all), and room for the label.
fn y_label_width(chart: &Chart) -> f64 {
    let y = range(&chart.y);
    let widest = [y.start, (y.start + y.end) / 2.0, y.end]
        .map(|v| tick(v).chars().count())
        .into_iter()
        .max()
        .unwrap_or(1);
    let label = if chart.y.label.is_empty() { 0.0 } else { 20.0 };
    14.0 + 7.5 * widest as f64 + label
}

/// A line's width in whole pixels, rounded up: a line of 1 pixel on whole coordinates smears
/// over two, half as dark.
fn stroke(width: f64, scale: f64) -> u32 {
    (width * scale).ceil().max(1.0) as u32
}

fn rgba(c: crate::Color) -> RGBAColor {
    RGBAColor(c.rgb[0], c.rgb[1], c.rgb[2], c.alpha)
}

fn plot<DB, X, Y>(
    chart: &Chart,
    area: &DrawingArea<DB, Shift>,
    (scale, font_size): (f64, f64),
    x_spec: X,
    y_spec: Y,
) -> Result<(), String>
where
    DB: DrawingBackend,
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: ValueFormatter<f64>,
    Y::CoordDescType: ValueFormatter<f64>,
{
    let px = |v: f64| (v * scale).round() as i32;
    let (width, _) = area.dim_in_pixel();
    let narrow = (width as f64) < 360.0 * scale;
    let font = || (FONT, font_size).into_font().color(&INK);
    let mut builder = ChartBuilder::on(area);
    if let Some(title) = &chart.title {
        builder.caption(title, (FONT, font_size * 1.4).into_font().color(&INK));
    }
    let mut cc = builder
        .margin_top(px(10.0))
        .margin_right(px(12.0))
        .x_label_area_size(px(44.0))
        .y_label_area_size(px(y_label_width(chart)))
        .build_cartesian_2d(x_spec, y_spec)
        .map_err(error)?;
    cc.configure_mesh()
        .x_desc(chart.x.label.as_str())
        .y_desc(chart.y.label.as_str())
        .label_style(font())
        .axis_desc_style(font())
        .x_labels(match chart.x.names.len() {
            0 if narrow => 4,
            0 => 6,
            n => 2 * n + 2,
        })
        .y_labels(5)
        .x_label_formatter(&|v| x_tick(&chart.x, *v))
        .y_label_formatter(&|v| tick(*v))
        .bold_line_style(GRID.stroke_width(px(1.0).max(1) as u32))
        .light_line_style(TRANSPARENT)
        .axis_style(INK.mix(0.6))
        .draw()
        .map_err(error)?;

    let (x0, x1) = (range(&chart.x).start, range(&chart.x).end);
    let (y0, y1) = (range(&chart.y).start, range(&chart.y).end);
    // Values outside the y range are drawn at its edge (a spike leaves the top, it does not
    // leave the canvas); points outside the x range, or not finite, are left out.
    let kept = |xs: &[f64], ys: &[f64]| -> Vec<(f64, f64)> {
        xs.iter()
            .zip(ys)
            .filter(|(x, y)| x.is_finite() && y.is_finite() && (x0..=x1).contains(*x))
            .map(|(&x, &y)| (x, y.clamp(y0, y1)))
            .collect()
    };
    for series in &chart.series {
        let color = rgba(series.color);
        let points = kept(&series.xs, &series.ys);
        match &series.mark {
            Mark::Line { width, dashed } => {
                let style = color.stroke_width(stroke(*width, scale));
                if *dashed {
                    let (dash, gap) = (px(6.0).max(1), px(4.0).max(1));
                    cc.draw_series(DashedLineSeries::new(points, dash, gap, style))
                } else {
                    cc.draw_series(LineSeries::new(points, style))
                }
            }
            Mark::Points { radius } => {
                let r = px(*radius).max(1);
                cc.draw_series(
                    points
                        .into_iter()
                        .map(|p| Circle::new(p, r, color.filled())),
                )
            }
            Mark::Band { upper } => {
                let mut outline = points;
                outline.extend(kept(&series.xs, upper).into_iter().rev());
                cc.draw_series(std::iter::once(Polygon::new(outline, color.filled())))
            }
            Mark::Bars { half_width } => cc.draw_series(points.into_iter().map(|(x, y)| {
                Rectangle::new([(x - half_width, y0), (x + half_width, y)], color.filled())
            })),
        }
        .map_err(error)?;
    }
    let muted = INK.mix(0.7);
    for note in &chart.notes {
        let style = font()
            .color(&muted)
            .pos(Pos::new(HPos::Center, VPos::Center));
        cc.plotting_area()
            .draw(&Text::new(note.text.as_str(), (note.x, note.y), style))
            .map_err(error)?;
    }
    // Where the data lie, in the plotting area's pixels, for the legend to keep clear of.
    let (base_x, base_y) = cc.plotting_area().get_base_pixel();
    let occupied: Vec<(i32, i32)> = chart
        .series
        .iter()
        .flat_map(|s| kept(&s.xs, &s.ys))
        .map(|p| {
            let (x, y) = cc.backend_coord(&p);
            (x - base_x, y - base_y)
        })
        .collect();
    let area = cc.plotting_area().strip_coord_spec();
    legend(chart, &area, (scale, font_size), &occupied)
}

/// The legend of the labelled series, in the plotting area's corner that hides the fewest of the
/// `occupied` pixels (the data): each one's mark
/// (a short line, dashed or not, a dot, a swatch) and its label. Drawn here rather than by
/// plotters' series labels, which measure their text with plotters' fonts, not the backend's (see
/// src/measured.rs).
fn legend<DB: DrawingBackend>(
    chart: &Chart,
    area: &DrawingArea<DB, Shift>,
    (scale, font_size): (f64, f64),
    occupied: &[(i32, i32)],
) -> Result<(), String> {
    let entries: Vec<_> = chart
        .series
        .iter()
        .filter_map(|s| s.label.as_deref().map(|label| (label, s)))
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    let px = |v: f64| (v * scale).round() as i32;
    let font = (FONT, font_size).into_font().color(&INK);
    let (pad, mark, line) = (px(6.0), px(20.0), px(18.0));
    let mut text_width = 0;
    for (label, _) in &entries {
        text_width = text_width.max(area.estimate_text_size(label, &font).map_err(error)?.0 as i32);
    }
    let (width, height) = area.dim_in_pixel();
    let box_width = pad + mark + pad + text_width + pad;
    let box_height = 2 * pad + line * entries.len() as i32;
    // The corner that hides the fewest data points (top right on a tie).
    let (far_x, far_y) = (
        width as i32 - box_width - px(4.0),
        height as i32 - box_height - px(4.0),
    );
    let candidates = [
        (far_x, px(4.0)),
        (px(4.0), px(4.0)),
        (far_x, far_y),
        (px(4.0), far_y),
    ];
    let hidden = |&(x, y): &(i32, i32)| {
        occupied
            .iter()
            .filter(|(px, py)| {
                (x..=x + box_width).contains(px) && (y..=y + box_height).contains(py)
            })
            .count()
    };
    let (left, top) = candidates
        .iter()
        .copied()
        .min_by_key(hidden)
        .expect("four corners");
    let bottom = top + box_height;
    let corners = [(left, top), (left + box_width, bottom)];
    area.draw(&Rectangle::new(corners, WHITE.mix(0.85).filled()))
        .map_err(error)?;
    area.draw(&Rectangle::new(corners, GRID.stroke_width(1)))
        .map_err(error)?;
    let label_style = font.pos(Pos::new(HPos::Left, VPos::Center));
    for (i, (label, series)) in entries.iter().enumerate() {
        let y = top + pad + line * i as i32 + line / 2;
        let x = left + pad;
        let color = rgba(series.color);
        match &series.mark {
            Mark::Line { width, dashed } => {
                let style = color.stroke_width(stroke(*width, scale));
                let segments = if *dashed {
                    let third = mark / 3;
                    vec![(x, x + third), (x + 2 * third, x + mark)]
                } else {
                    vec![(x, x + mark)]
                };
                for (a, b) in segments {
                    area.draw(&PathElement::new(vec![(a, y), (b, y)], style))
                        .map_err(error)?;
                }
            }
            Mark::Points { radius } => {
                let r = px(*radius).max(1);
                area.draw(&Circle::new((x + mark / 2, y), r, color.filled()))
                    .map_err(error)?;
            }
            Mark::Band { .. } | Mark::Bars { .. } => {
                let half = px(5.0);
                let swatch = [(x, y - half), (x + mark, y + half)];
                area.draw(&Rectangle::new(swatch, color.filled()))
                    .map_err(error)?;
            }
        }
        area.draw(&Text::new(*label, (x + mark + pad, y), label_style.clone()))
            .map_err(error)?;
    }
    Ok(())
}
