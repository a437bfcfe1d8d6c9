//! Image data sets the VAE learns from: [`ImageSet`] (labelled grey-level images kept as small
//! integers, handed out as pixels in [0, 1]) and its two sources, the real handwritten
//! [`digits`] (8×8, shipped with the project) and the seeded 28×28 [`glyphs`] drawn here.

pub mod digits;
pub mod glyphs;

use crate::rng::{self, Rng};

/// Labelled images of one size, every pixel an integer level from 0 to `max_level`.
#[derive(Clone, Debug, PartialEq)]
pub struct ImageSet {
    width: usize,
    height: usize,
    max_level: u8,
    classes: usize,
    /// image after image, row by row.
    levels: Vec<u8>,
    labels: Vec<u8>,
}

impl ImageSet {
    /// A set from its levels (len × width·height) and labels (each below `classes`).
    ///
    /// Panics if the sizes disagree or a level or label is out of range: the two sources
    /// build their sets themselves, and the digits' file is checked before it gets here.
    pub fn new(
        width: usize,
        height: usize,
        max_level: u8,
        classes: usize,
        levels: Vec<u8>,
        labels: Vec<u8>,
    ) -> Self {
        assert!(width > 0 && height > 0 && max_level > 0);
        assert_eq!(
            levels.len(),
            labels.len() * width * height,
            "levels ≠ images × pixels"
        );
        assert!(
            levels.iter().all(|&v| v <= max_level),
            "a level above max_level"
        );
        assert!(
            labels.iter().all(|&c| (c as usize) < classes),
            "a label ≥ classes"
        );
        Self {
            width,
            height,
            max_level,
            classes,
            levels,
            labels,
        }
    }

    /// [width, height] in pixels.
    pub fn size(&self) -> [usize; 2] {
        [self.width, self.height]
    }

    /// Pixels per image (the VAE's data dimension).
    pub fn pixels(&self) -> usize {
        self.width * self.height
    }

    pub fn len(&self) -> usize {
        self.labels.len()
    }

    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// How many classes the labels run over (10 for both sources).
    pub fn classes(&self) -> usize {
        self.classes
    }

    pub fn labels(&self) -> &[u8] {
        &self.labels
    }

    /// The integer levels of image `index`, row by row.
    pub fn levels(&self, index: usize) -> &[u8] {
        let n = self.pixels();
        &self.levels[index * n..(index + 1) * n]
    }

    /// Writes image `index` as pixels in [0, 1] (level / max_level) into `out` (one image long).
    pub fn write(&self, index: usize, out: &mut [f32]) {
        let scale = 1.0 / self.max_level as f32;
        for (o, &v) in out.iter_mut().zip(self.levels(index)) {
            *o = v as f32 * scale;
        }
    }

    /// One uniformly drawn image index.
    pub fn draw_index(&self, rng: &mut Rng) -> usize {
        ((rng::uniform(rng) * self.len() as f64) as usize).min(self.len() - 1)
    }

    /// Fills `out` (a whole number of images) with images drawn uniformly with replacement.
    pub fn sample(&self, rng: &mut Rng, out: &mut [f32]) {
        let n = self.pixels();
        for image in out.chunks_exact_mut(n) {
            let index = self.draw_index(rng);
            self.write(index, image);
        }
    }
}
