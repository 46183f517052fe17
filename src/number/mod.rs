//! Document numbers: 发文字号 syntax (GB/T 9704 §7.2.5).

pub mod pattern;
