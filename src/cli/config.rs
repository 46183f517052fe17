//! `wenshu.toml`: settings an office keeps instead of repeating flags.
//!
//! ```toml
//! [fonts]
//! dirs = ["/usr/share/fonts/office"]
//! system = true
//! [fonts.roles]
//! "小标宋" = "方正小标宋简体"   # TOML needs quotes around Chinese keys
//! "仿宋" = "仿宋_GB2312"
//! [numbering]
//! "收文" = "收〔{year}〕{seq}号"
//! [limits]                  # every limit and its default: src/limits.rs
//! image_max_pixels = 40000000
//! sheet_max_rows = 200000
//! ```

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::render::fonts::FontRole;

/// The configuration file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Font settings.
    #[serde(default)]
    pub fonts: FontConfig,
    /// Number formats per registry scheme, e.g. `"收文" = "收〔{year}〕{seq}号"`,
    /// `"会议纪要" = "第{seq}期"` ({prefix}, {year}, {seq}, {seq:03}).
    #[serde(default)]
    pub numbering: BTreeMap<String, String>,
    /// Limits on untrusted input (SECURITY.md).
    #[serde(default)]
    pub limits: crate::limits::Limits,
}

/// `[fonts]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FontConfig {
    /// Extra font directories.
    #[serde(default)]
    pub dirs: Vec<PathBuf>,
    /// Whether to search system fonts (default true).
    pub system: Option<bool>,
    /// Role → family name.
    #[serde(default)]
    pub roles: BTreeMap<String, String>,
}

impl Config {
    /// Role overrides, checked.
    pub fn role_overrides(&self) -> Result<Vec<(FontRole, String)>> {
        self.fonts
            .roles
            .iter()
            .map(|(k, v)| {
                FontRole::parse(k).map(|r| (r, v.clone())).ok_or_else(|| {
                    Error::Font(format!(
                        "配置 fonts.roles 中的角色“{k}”无效，可选：小标宋、仿宋、楷体、黑体、宋体"
                    ))
                })
            })
            .collect()
    }
}

/// Reads `path`, or `./wenshu.toml` when present, or the defaults.
pub fn load(path: Option<&Path>) -> Result<Config> {
    let path = match path {
        Some(p) => p.to_owned(),
        None => {
            let p = PathBuf::from("wenshu.toml");
            if !p.is_file() {
                return Ok(Config::default());
            }
            p
        }
    };
    let config: Config = crate::ingest::data::load(&path)?;
    for (scheme, pattern) in &config.numbering {
        crate::number::registry::check_pattern(pattern).map_err(|e| Error::Parse {
            path: path.clone(),
            message: format!("[numbering] “{scheme}”：{e}"),
        })?;
    }
    Ok(config)
}
