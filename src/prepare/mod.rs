//! From the typed model to the layout data a template reads as `/data.json`.
//!
//! Everything that is a decision rather than typesetting happens here, in Rust, where it can be
//! tested: heading numbers, title breaks, the 署名 mode, punctuation the standard adds (the colon
//! after 主送, the 。 after 抄送), date normalisation. Templates only place what they are given.

pub mod form;
pub mod gongwen;
pub mod numbering;
pub mod pattern;
pub mod title;
