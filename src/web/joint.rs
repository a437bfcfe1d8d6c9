//! The two-coins lab's handle; its page draws from the snapshot alone.

use super::lab_handle;
use crate::labs::joint::JointRun;
use wasm_bindgen::prelude::*;

lab_handle!(
    /// The two-coins lab (`#/joint`).
    JointLab,
    JointRun
);
