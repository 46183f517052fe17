//! TOML/JSON 公文 data files → the typed model, with errors that name the file, line and key.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Error, Result};

/// Data file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// Chooses by extension; anything but `.json` is read as TOML.
    pub fn of(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Self::Json,
            _ => Self::Toml,
        }
    }
}

/// Reads and parses a data file.
///
/// The file must be UTF-8 (a BOM is allowed); otherwise the message names the line and byte of
/// the first invalid sequence instead of a bare “stream did not contain valid UTF-8”.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<T> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let text = crate::ingest::text::utf8(&bytes).map_err(|e| Error::Parse {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    parse(text, Format::of(path)).map_err(|message| Error::Parse {
        path: path.to_owned(),
        message,
    })
}

/// Parses data text; the error message carries line and column.
pub fn parse<T: DeserializeOwned>(text: &str, format: Format) -> std::result::Result<T, String> {
    match format {
        Format::Toml => toml::from_str(text).map_err(|e| translate(&e.to_string())),
        Format::Json => serde_json::from_str(text).map_err(|e| translate(&e.to_string())),
    }
}

/// Puts the most common serde messages into Chinese, keeping the original detail.
fn translate(msg: &str) -> String {
    let msg = msg.trim();
    let zh = if msg.contains("unknown field") {
        "未知的字段（拼写错误？）"
    } else if msg.contains("missing field") {
        "缺少必填字段"
    } else if msg.contains("invalid type") {
        "字段类型不对"
    } else if msg.contains("did not match any variant") {
        "内容的写法不符合任何一种允许的形式"
    } else {
        "无法解析"
    };
    format!("{zh}：{msg}")
}
