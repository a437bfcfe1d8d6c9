//! The real handwritten digits: the test set of the UCI "Optical Recognition of Handwritten
//! Digits" (E. Alpaydin and C. Kaynak, CC BY 4.0; www/data/digits-ATTRIBUTION.txt), 1,797
//! images of 8×8 pixels with levels 0 to 16, as scikit-learn ships them.
//!
//! The file (www/data/digits.bin, written by scripts/digits.py) is 1,797 records of 65 bytes:
//! the class, then the 64 levels row by row. The page fetches it when a student first picks
//! the digits, so the WebAssembly the page loads does not carry it.

use super::ImageSet;

/// Images in the set.
pub const COUNT: usize = 1797;
/// Pixels on a side.
pub const SIDE: usize = 8;
/// The darkest level (a pen stroke covering the whole 4×4 block of the original bitmap).
pub const MAX_LEVEL: u8 = 16;
const RECORD: usize = 1 + SIDE * SIDE;

/// Reads the digits' file; Err says what is wrong with it.
pub fn parse(bytes: &[u8]) -> Result<ImageSet, String> {
    if bytes.len() != COUNT * RECORD {
        return Err(format!(
            "the digits file has {} bytes, not {} ({COUNT} records of {RECORD}): regenerate it with scripts/digits.py",
            bytes.len(),
            COUNT * RECORD
        ));
    }
    let mut labels = Vec::with_capacity(COUNT);
    let mut levels = Vec::with_capacity(COUNT * SIDE * SIDE);
    for (i, record) in bytes.chunks_exact(RECORD).enumerate() {
        let (label, pixels) = (record[0], &record[1..]);
        if label > 9 || pixels.iter().any(|&v| v > MAX_LEVEL) {
            return Err(format!(
                "record {i} of the digits file is out of range (classes are 0 to 9, levels 0 to {MAX_LEVEL})"
            ));
        }
        labels.push(label);
        levels.extend_from_slice(pixels);
    }
    Ok(ImageSet::new(SIDE, SIDE, MAX_LEVEL, 10, levels, labels))
}
