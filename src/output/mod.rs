//! Writing results to disk.

pub mod atomic;
pub mod pdf_join;
pub mod progress;
pub mod register;
pub mod report;
pub mod sheet_template;
pub mod xlsx_style;
