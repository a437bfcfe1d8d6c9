//! The page's side of the charts: a [`WebChart`] is built call by call from JavaScript (bulk
//! numbers as `Float64Array`s, copied in once), then drawn on a canvas through plotters-canvas
//! or written as SVG. Every refusal is a JavaScript `Error` that says what is allowed.

use crate::measured::Measured;
use crate::{Chart, Color, Mark, Note, Series};
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// A chart under construction (see the crate's [`Chart`]).
#[wasm_bindgen(js_name = Chart)]
pub struct WebChart(Chart);

fn js(e: String) -> JsError {
    JsError::new(&e)
}

#[wasm_bindgen(js_class = Chart)]
impl WebChart {
    /// An empty chart with these axis labels.
    #[wasm_bindgen(constructor)]
    pub fn new(x_label: &str, y_label: &str) -> WebChart {
        WebChart(Chart::new(x_label, y_label))
    }

    /// The x axis's range, logarithmic or not.
    pub fn x_range(&mut self, min: f64, max: f64, log: bool) {
        (self.0.x.min, self.0.x.max, self.0.x.log) = (min, max, log);
    }

    /// The y axis's range, logarithmic or not.
    pub fn y_range(&mut self, min: f64, max: f64, log: bool) {
        (self.0.y.min, self.0.y.max, self.0.y.log) = (min, max, log);
    }

    fn add(
        &mut self,
        label: Option<String>,
        color: &str,
        mark: Mark,
        xs: &[f64],
        ys: &[f64],
    ) -> Result<(), JsError> {
        if xs.len() != ys.len() {
            return Err(js(format!(
                "a series needs as many y values as x values (got {} and {})",
                xs.len(),
                ys.len()
            )));
        }
        self.0.series.push(Series {
            label,
            color: Color::parse(color).map_err(js)?,
            mark,
            xs: xs.to_vec(),
            ys: ys.to_vec(),
        });
        Ok(())
    }

    /// A polyline through (xs, ys), `width` CSS pixels wide, dashed or solid; in the legend
    /// when it has a label.
    pub fn line(
        &mut self,
        label: Option<String>,
        color: &str,
        width: f64,
        dashed: bool,
        xs: &[f64],
        ys: &[f64],
    ) -> Result<(), JsError> {
        self.add(label, color, Mark::Line { width, dashed }, xs, ys)
    }

    /// Dots of `radius` CSS pixels at (xs, ys).
    pub fn points(
        &mut self,
        label: Option<String>,
        color: &str,
        radius: f64,
        xs: &[f64],
        ys: &[f64],
    ) -> Result<(), JsError> {
        self.add(label, color, Mark::Points { radius }, xs, ys)
    }

    /// Bars from the bottom of the y range up to each y, `half_width` x units either side.
    pub fn bars(
        &mut self,
        label: Option<String>,
        color: &str,
        half_width: f64,
        xs: &[f64],
        ys: &[f64],
    ) -> Result<(), JsError> {
        self.add(label, color, Mark::Bars { half_width }, xs, ys)
    }

    /// The area between `lower` and `upper` over xs.
    pub fn band(
        &mut self,
        label: Option<String>,
        color: &str,
        xs: &[f64],
        lower: &[f64],
        upper: &[f64],
    ) -> Result<(), JsError> {
        if upper.len() != xs.len() {
            return Err(js(format!(
                "a band needs as many upper values as x values (got {} and {})",
                upper.len(),
                xs.len()
            )));
        }
        let mark = Mark::Band {
            upper: upper.to_vec(),
        };
        self.add(label, color, mark, xs, lower)
    }

    /// A text centred on the data point (x, y).
    pub fn note(&mut self, x: f64, y: f64, text: &str) {
        self.0.notes.push(Note {
            x,
            y,
            text: text.to_string(),
        });
    }

    /// Draws the chart on `canvas` (its pixel size as it is), sizes scaled by `scale` (the
    /// device pixel ratio the canvas was sized with).
    pub fn draw(&self, canvas: HtmlCanvasElement, scale: f64) -> Result<(), JsError> {
        let no_context = || JsError::new("the chart's canvas has no 2-D context");
        let context = canvas
            .get_context("2d")
            .ok()
            .flatten()
            .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
            .ok_or_else(no_context)?;
        let inner = CanvasBackend::with_canvas_object(canvas).ok_or_else(no_context)?;
        let width_of = |text: &str, font: &str| {
            context.set_font(font);
            context.measure_text(text).map(|m| m.width()).unwrap_or(0.0)
        };
        let area = Measured { inner, width_of }.into_drawing_area();
        // plotters-canvas draws a font of size s at s pixels.
        crate::draw(&self.0, &area, scale, crate::TEXT_PX * scale).map_err(js)?;
        area.present().map_err(|e| js(e.to_string()))
    }

    /// The chart as an SVG document of `width` × `height` CSS pixels.
    pub fn svg(&self, width: u32, height: u32) -> Result<String, JsError> {
        self.0.svg(width, height).map_err(js)
    }
}
