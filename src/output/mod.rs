//! Writing results to disk.

pub mod atomic;
pub mod report;
pub mod sheet_template;
