//! A plotters backend that measures text its own way ([`Measured`]), delegating all drawing to
//! the backend it wraps. plotters' own measure, on wasm32, lays each text out as a styled element
//! in the page's DOM: a layout per label, and an inline style the page's
//! Content-Security-Policy refuses. The page measures with its canvas's `measureText` instead;
//! an SVG document, which the viewer lays out itself, with a fixed estimate ([`estimate`]), the
//! same in the browser and natively.

use plotters::prelude::*;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind,
};

/// `inner`, with `width_of(text, css_font)` (in the backend's pixels) measuring its text.
pub struct Measured<B, W> {
    pub inner: B,
    pub width_of: W,
}

/// A sans-serif text's width in pixels at a font of `px` pixels: about 0.55 em per character.
pub fn estimate(text: &str, px: f64) -> f64 {
    0.55 * px * text.chars().count() as f64
}

type Outcome<B> = Result<(), DrawingErrorKind<<B as DrawingBackend>::ErrorType>>;

impl<B: DrawingBackend, W: Fn(&str, &str) -> f64> DrawingBackend for Measured<B, W> {
    type ErrorType = B::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.inner.get_size()
    }
    fn ensure_prepared(&mut self) -> Outcome<B> {
        self.inner.ensure_prepared()
    }
    fn present(&mut self) -> Outcome<B> {
        self.inner.present()
    }
    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Outcome<B> {
        self.inner.draw_pixel(point, color)
    }
    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Outcome<B> {
        self.inner.draw_line(from, to, style)
    }
    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Outcome<B> {
        self.inner.draw_rect(upper_left, bottom_right, style, fill)
    }
    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Outcome<B> {
        self.inner.draw_path(path, style)
    }
    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Outcome<B> {
        self.inner.draw_circle(center, radius, style, fill)
    }
    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Outcome<B> {
        self.inner.fill_polygon(vert, style)
    }
    fn draw_text<T: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &T,
        pos: BackendCoord,
    ) -> Outcome<B> {
        self.inner.draw_text(text, style, pos)
    }
    fn estimate_text_size<T: BackendTextStyle>(
        &self,
        text: &str,
        style: &T,
    ) -> Result<(u32, u32), DrawingErrorKind<B::ErrorType>> {
        let font = format!(
            "{} {}px {}",
            style.style().as_str(),
            style.size(),
            style.family().as_str()
        );
        let width = (self.width_of)(text, &font);
        Ok((width.ceil() as u32, style.size().ceil() as u32))
    }
}
