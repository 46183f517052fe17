//! Document numbers: 发文字号 syntax (GB/T 9704 §7.2.5) and the registry that issues them.

pub mod assign;
pub mod form;
pub mod pattern;
pub mod registry;
