//! From the typed model to the layout data a template reads as `/data.json`.
//!
//! Everything that is a decision rather than typesetting happens here, in Rust, where it can be
//! tested: heading numbers, title breaks, the 署名 mode, punctuation the standard adds (the colon
//! after 主送, the 。 after 抄送), date normalisation. Templates only place what they are given.

pub mod flow;
pub mod form;
pub mod gongwen;
pub mod numbering;
pub mod pattern;
pub mod title;
pub mod words;

use std::path::Path;

use crate::error::{Error, Result};

/// Reads an image the data refers to (seal, signature), relative to the data file's folder, and
/// names it `/assets/<name>.<ext>` for the template.
pub fn read_asset(base: &Path, rel: &str, name: &str) -> Result<(String, Vec<u8>)> {
    let path = base.join(rel);
    let bytes = std::fs::read(&path).map_err(|source| Error::Io {
        path: path.clone(),
        source,
    })?;
    Ok((format!("/assets/{name}.{}", asset_ext(rel)), bytes))
}

/// The lower-case extension of an image path (`png` when there is none).
pub fn asset_ext(rel: &str) -> String {
    Path::new(rel)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("png")
        .to_ascii_lowercase()
}
