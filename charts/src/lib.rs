//! genplay's curve charts: a [`Chart`] says what to draw (axes, lines, dashed lines, points,
//! bands, notes, a legend), and [`draw`] draws it with plotters on any of its backends: the page's
//! canvases through plotters-canvas (`web`, wasm32 only), SVG files and strings through plotters'
//! SVG backend ([`Chart::svg`]: a chart saved from the page, and the bench's plots in docs/).
//!
//! The dense planes and heat maps are not here: the page draws them in JavaScript, where batched
//! paths and `ImageData` are faster than a general plotting library.

mod color;
mod draw;
mod measured;
#[cfg(target_arch = "wasm32")]
mod web;

pub use color::Color;
pub use draw::draw;

/// The size of the charts' text in CSS pixels, as the page's (www/style.css).
pub const TEXT_PX: f64 = 12.0;

/// One axis: its range and whether it is logarithmic.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    pub label: String,
    pub min: f64,
    pub max: f64,
    pub log: bool,
    /// Names of the whole numbers 1, 2, …, shown as their ticks in place of numbers (a chart of
    /// categories); empty for a numeric axis.
    pub names: Vec<String>,
}

/// How a series is drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum Mark {
    /// A polyline of this width (CSS pixels), dashed or solid.
    Line { width: f64, dashed: bool },
    /// Filled dots of this radius.
    Points { radius: f64 },
    /// The area between `ys` (below) and these values (above), at the same xs.
    Band { upper: Vec<f64> },
    /// Bars from the bottom of the y range up to each y, `half_width` x units either side.
    Bars { half_width: f64 },
}

/// One thing drawn in the plotting area, with its legend entry when it has a label.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub label: Option<String>,
    pub color: Color,
    pub mark: Mark,
    pub xs: Vec<f64>,
    pub ys: Vec<f64>,
}

/// A text in the plotting area, centred on a data point ("Train to see the losses").
#[derive(Clone, Debug, PartialEq)]
pub struct Note {
    pub x: f64,
    pub y: f64,
    pub text: String,
}

/// A whole chart.
#[derive(Clone, Debug, PartialEq)]
pub struct Chart {
    /// A title above the plot, for a chart on its own (a report's); the page's charts have
    /// their figure's caption instead.
    pub title: Option<String>,
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
    pub notes: Vec<Note>,
}

impl Chart {
    /// An empty chart with these axis labels over [0, 1] × [0, 1].
    pub fn new(x_label: &str, y_label: &str) -> Self {
        let axis = |label: &str| Axis {
            label: label.to_string(),
            min: 0.0,
            max: 1.0,
            log: false,
            names: Vec::new(),
        };
        Chart {
            title: None,
            x: axis(x_label),
            y: axis(y_label),
            series: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The chart as an SVG document of `width` × `height` pixels.
    pub fn svg(&self, width: u32, height: u32) -> Result<String, String> {
        use plotters::prelude::*;
        let mut out = String::new();
        {
            let inner = SVGBackend::with_string(&mut out, (width, height));
            // plotters' SVG writes a font of size s as s / 1.24 pixels.
            let font = TEXT_PX * 1.24;
            let width_of = |text: &str, _: &str| measured::estimate(text, TEXT_PX);
            let area = measured::Measured { inner, width_of }.into_drawing_area();
            draw(self, &area, 1.0, font)?;
            area.present().map_err(|e| e.to_string())?;
        }
        Ok(out)
    }
}
