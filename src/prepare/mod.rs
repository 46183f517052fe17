//! From the typed model to the layout data a template reads as `/data.json`.
//!
//! Everything that is a decision rather than typesetting happens here, in Rust, where it can be
//! tested: heading numbers, title breaks, the 署名 mode, punctuation the standard adds (the colon
//! after 主送, the 。 after 抄送), date normalisation. Templates only place what they are given.

pub mod cells;
pub mod flow;
pub mod form;
pub mod gongwen;
pub mod numbering;
pub mod pattern;
pub mod register;
pub mod title;
pub mod words;

use std::path::Path;

use crate::error::{Error, Result};

/// Reads an image the data refers to (seal, signature), relative to the data file's folder, and
/// names it `/assets/<name>.<ext>` for the template.
/// The image is checked against the stated limits first (format from its content, pixel size
/// from its header), so that no image reaches the PDF writer that could exhaust memory.
pub fn read_asset(base: &Path, rel: &str, name: &str) -> Result<(String, Vec<u8>)> {
    let path = base.join(rel);
    let image =
        crate::ingest::image::read(&path, &crate::limits::get()).map_err(|e| Error::Io {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()),
        })?;
    Ok((format!("/assets/{name}.{}", asset_ext(rel)), image.bytes))
}

/// The lower-case extension of an image path (`png` when there is none).
pub fn asset_ext(rel: &str) -> String {
    Path::new(rel)
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("png")
        .to_ascii_lowercase()
}
