//! Glyphs: 28×28 images of the digits 0 to 9 drawn by the project's own seeded code, so that a
//! VAE can be trained on MNIST-sized images without shipping any. Each class is a stroke
//! template (polylines in a unit box); every image draws it with its own slant, rotation,
//! scale, position, stroke thickness, wobble of the template's corners and pixel noise.
//!
//! The same seed and count give the same images, and class i % 10 goes to image i, so every
//! class is there in equal numbers.

use super::ImageSet;
use crate::rng::{self, Rng};
use std::f32::consts::TAU;

/// Pixels on a side, as MNIST's.
pub const SIDE: usize = 28;
/// Images in the set the VAE lab trains on.
pub const COUNT: usize = 10_000;
/// Classes: the digits 0 to 9.
pub const CLASSES: usize = 10;
/// Mixed into the seed, so the glyphs never share draws with training.
const GLYPH_SEED_MIX: u64 = 0x5851_f42d_4c95_7f2d;

/// `count` glyphs from `seed`.
pub fn glyphs(seed: u64, count: usize) -> ImageSet {
    let mut rng = rng::seeded(seed ^ GLYPH_SEED_MIX);
    let mut levels = vec![0u8; count * SIDE * SIDE];
    let mut labels = Vec::with_capacity(count);
    let mut canvas = [0.0f32; SIDE * SIDE];
    for (i, image) in levels.chunks_exact_mut(SIDE * SIDE).enumerate() {
        let class = i % CLASSES;
        draw(class, &mut rng, &mut canvas);
        for (level, &v) in image.iter_mut().zip(&canvas) {
            *level = (v.clamp(0.0, 1.0) * 255.0).round() as u8;
        }
        labels.push(class as u8);
    }
    ImageSet::new(SIDE, SIDE, 255, CLASSES, levels, labels)
}

/// The strokes of a digit in a unit box (x to the right, y down), each a polyline.
fn template(class: usize) -> Vec<Vec<[f32; 2]>> {
    let ellipse = |cx: f32, cy: f32, rx: f32, ry: f32, from: f32, to: f32| -> Vec<[f32; 2]> {
        (0..=16)
            .map(|k| {
                let a = TAU * (from + (to - from) * k as f32 / 16.0);
                [cx + rx * a.cos(), cy + ry * a.sin()]
            })
            .collect()
    };
    match class {
        0 => vec![ellipse(0.5, 0.5, 0.27, 0.4, 0.0, 1.0)],
        1 => vec![vec![[0.36, 0.25], [0.54, 0.1], [0.54, 0.9]]],
        2 => vec![[
            ellipse(0.5, 0.3, 0.26, 0.2, 0.5, 1.05),
            vec![[0.74, 0.38], [0.22, 0.9], [0.8, 0.9]],
        ]
        .concat()],
        3 => vec![
            ellipse(0.48, 0.29, 0.25, 0.19, 0.6, 1.25),
            ellipse(0.48, 0.69, 0.28, 0.21, 0.75, 1.4),
        ],
        4 => vec![vec![[0.66, 0.9], [0.66, 0.1], [0.2, 0.66], [0.84, 0.66]]],
        5 => vec![[
            vec![[0.78, 0.1], [0.32, 0.1], [0.28, 0.46]],
            ellipse(0.5, 0.65, 0.27, 0.24, 0.62, 1.35),
        ]
        .concat()],
        6 => vec![[
            vec![[0.7, 0.1], [0.4, 0.3]],
            ellipse(0.5, 0.67, 0.24, 0.22, 0.55, 1.55),
        ]
        .concat()],
        7 => vec![vec![[0.2, 0.1], [0.8, 0.1], [0.42, 0.9]]],
        8 => vec![
            ellipse(0.5, 0.29, 0.2, 0.19, 0.0, 1.0),
            ellipse(0.5, 0.7, 0.25, 0.21, 0.0, 1.0),
        ],
        _ => vec![[
            ellipse(0.5, 0.33, 0.24, 0.22, 0.0, 1.0),
            vec![[0.74, 0.33], [0.66, 0.9]],
        ]
        .concat()],
    }
}

/// Draws one glyph of `class` into `canvas` (values in [0, 1], roughly).
fn draw(class: usize, rng: &mut Rng, canvas: &mut [f32; SIDE * SIDE]) {
    let mut between = |lo: f32, hi: f32| lo + (hi - lo) * rng::uniform(rng) as f32;
    // As MNIST's digits, centred and of one size within a few pixels: variation enough to learn
    // from, while the class still decides most of what an image looks like.
    let angle = between(-0.15, 0.15);
    let slant = between(-0.25, 0.25);
    let scale = between(17.0, 20.0);
    let (dx, dy) = (between(-1.5, 1.5), between(-1.5, 1.5));
    let thickness = between(1.4, 2.6);
    let wobble = 0.025;
    let (sin, cos) = angle.sin_cos();
    let to_pixels = |[x, y]: [f32; 2], jx: f32, jy: f32| {
        let (x, y) = (x - 0.5 + jx, y - 0.5 + jy);
        let x = x + slant * -y;
        let (x, y) = (cos * x - sin * y, sin * x + cos * y);
        [14.0 + dx + scale * x, 14.0 + dy + scale * y]
    };
    let strokes: Vec<Vec<[f32; 2]>> = template(class)
        .into_iter()
        .map(|stroke| {
            stroke
                .into_iter()
                .map(|p| {
                    let (jx, jy) = (between(-wobble, wobble), between(-wobble, wobble));
                    to_pixels(p, jx, jy)
                })
                .collect()
        })
        .collect();
    canvas.fill(0.0);
    let radius = 0.5 * thickness;
    for stroke in &strokes {
        for segment in stroke.windows(2) {
            ink_segment(canvas, segment[0], segment[1], radius);
        }
    }
    for v in canvas.iter_mut() {
        *v += between(-0.08, 0.08);
    }
}

/// Darkens every pixel within `radius` (plus half a pixel of soft edge) of the segment a–b.
fn ink_segment(canvas: &mut [f32; SIDE * SIDE], a: [f32; 2], b: [f32; 2], radius: f32) {
    let reach = radius + 1.0;
    let lo = |u: f32, v: f32| ((u.min(v) - reach).floor().max(0.0)) as usize;
    let hi = |u: f32, v: f32| ((u.max(v) + reach).ceil().max(0.0) as usize).min(SIDE - 1);
    let (ab_x, ab_y) = (b[0] - a[0], b[1] - a[1]);
    let length_squared = (ab_x * ab_x + ab_y * ab_y).max(1e-6);
    for row in lo(a[1], b[1])..=hi(a[1], b[1]) {
        for column in lo(a[0], b[0])..=hi(a[0], b[0]) {
            // The pixel's centre, its nearest point on the segment, and the distance between.
            let (px, py) = (column as f32 + 0.5, row as f32 + 0.5);
            let t = (((px - a[0]) * ab_x + (py - a[1]) * ab_y) / length_squared).clamp(0.0, 1.0);
            let (ex, ey) = (px - a[0] - t * ab_x, py - a[1] - t * ab_y);
            let distance = (ex * ex + ey * ey).sqrt();
            let ink = (radius + 0.5 - distance).clamp(0.0, 1.0);
            let pixel = &mut canvas[row * SIDE + column];
            *pixel = pixel.max(ink);
        }
    }
}
