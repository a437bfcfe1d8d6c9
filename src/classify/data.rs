//! The points a classifier learns from: [`LabeledData`], points in the plane with a class label
//! each, validated when built and when a point is added (finite coordinates, labels below the
//! class count, 2 to 4 classes).

use super::{ClassifyError, MAX_CLASSES, MIN_CLASSES};
use crate::range::Range;

/// Points in the plane, each with a class label 0..n_classes.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledData {
    points: Vec<[f64; 2]>,
    labels: Vec<usize>,
    n_classes: usize,
}

impl LabeledData {
    /// Checks the class count (2..=4), that every coordinate is finite and every label is a class.
    /// An empty set is allowed here (a student may clear the points); fitting needs a point.
    pub fn new(
        points: Vec<[f64; 2]>,
        labels: Vec<usize>,
        n_classes: usize,
    ) -> Result<Self, ClassifyError> {
        check_classes(n_classes)?;
        if points.len() != labels.len() {
            return Err(ClassifyError::LengthMismatch {
                points: points.len(),
                labels: labels.len(),
            });
        }
        for (row, (p, &label)) in points.iter().zip(&labels).enumerate() {
            if let Some(&value) = p.iter().find(|v| !v.is_finite()) {
                return Err(ClassifyError::NonFinite { row, value });
            }
            if label >= n_classes {
                return Err(ClassifyError::BadLabel {
                    row,
                    label,
                    n_classes,
                });
            }
        }
        Ok(Self {
            points,
            labels,
            n_classes,
        })
    }

    pub fn points(&self) -> &[[f64; 2]] {
        &self.points
    }

    pub fn labels(&self) -> &[usize] {
        &self.labels
    }

    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The number of points of each class.
    pub fn counts(&self) -> Vec<usize> {
        let mut counts = vec![0; self.n_classes];
        for &label in &self.labels {
            counts[label] += 1;
        }
        counts
    }

    /// The points of one class.
    pub fn class_points(&self, class: usize) -> Vec<[f64; 2]> {
        self.points
            .iter()
            .zip(&self.labels)
            .filter(|(_, &label)| label == class)
            .map(|(p, _)| *p)
            .collect()
    }

    /// Adds one point (checked like the constructor's rows).
    pub fn push(&mut self, point: [f64; 2], label: usize) -> Result<(), ClassifyError> {
        let row = self.points.len();
        if let Some(&value) = point.iter().find(|v| !v.is_finite()) {
            return Err(ClassifyError::NonFinite { row, value });
        }
        if label >= self.n_classes {
            return Err(ClassifyError::BadLabel {
                row,
                label,
                n_classes: self.n_classes,
            });
        }
        self.points.push(point);
        self.labels.push(label);
        Ok(())
    }
}

/// The classes a data set may have.
pub const CLASSES: Range = Range::whole(MIN_CLASSES as u64, MAX_CLASSES as u64);

pub(super) fn check_classes(n_classes: usize) -> Result<(), ClassifyError> {
    CLASSES.check_count("classes", n_classes)?;
    Ok(())
}
