//! The colours a chart is given: CSS's `#rrggbb` and `rgba(r, g, b, a)`, the two forms the page's
//! palette (www/ui/plot.js, the Okabe–Ito colours) uses.

/// An sRGB colour with its opacity.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Color {
    pub rgb: [u8; 3],
    pub alpha: f64,
}

impl Color {
    /// Reads `#rrggbb` or `rgba(r, g, b, a)` (or `rgb(r, g, b)`); anything else is an error that
    /// says what is allowed.
    pub fn parse(css: &str) -> Result<Color, String> {
        let css = css.trim();
        let refused = || {
            format!("colour \"{css}\" is not allowed: a colour must be #rrggbb or rgba(r, g, b, a)")
        };
        if let Some(hex) = css.strip_prefix('#') {
            if hex.len() != 6 || !hex.is_ascii() {
                return Err(refused());
            }
            let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| refused());
            return Ok(Color {
                rgb: [byte(0)?, byte(2)?, byte(4)?],
                alpha: 1.0,
            });
        }
        let inner = css
            .strip_prefix("rgba(")
            .or_else(|| css.strip_prefix("rgb("))
            .and_then(|rest| rest.strip_suffix(')'))
            .ok_or_else(refused)?;
        let parts: Vec<&str> = inner.split(',').map(str::trim).collect();
        if parts.len() != 3 && parts.len() != 4 {
            return Err(refused());
        }
        let channel = |s: &str| s.parse::<u8>().map_err(|_| refused());
        let alpha = match parts.get(3) {
            Some(a) => a
                .parse::<f64>()
                .ok()
                .filter(|a| (0.0..=1.0).contains(a))
                .ok_or_else(refused)?,
            None => 1.0,
        };
        Ok(Color {
            rgb: [channel(parts[0])?, channel(parts[1])?, channel(parts[2])?],
            alpha,
        })
    }
}
