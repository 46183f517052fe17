//! `archive.toml`: what an archive needs that the documents do not say — the 全宗号, the 档案门类
//! 代码, the 保管期限 rules and the 机构（问题） codes by folder (DA/T 22-2015 §6, §7).
//!
//! ```toml
//! fonds = "Z109"                 # 全宗号
//! category = "WS"                # 档案门类代码（文书）
//! office = "兴仁市医疗保障局"      # 立档单位：表单、登记簿的责任者
//! retention = "D30"              # 默认保管期限：Y（永久）、D30（定期30年）、D10（定期10年）
//! [retention_by_kind]            # 按文种或表单（ID 或名称）
//! "决定" = "Y"
//! "qingjia" = "D10"
//! [departments."办公室"]          # 路径中的一级文件夹名，或相对路径
//! code = "BGS"
//! retention = "D30"              # 本机构的默认保管期限
//! retention_by_kind = { "通知" = "Y" }
//! [forms]                        # 表格属于哪种表单（glob → 表单 ID）；否则按文件名、表头识别
//! "**/*请假*.xlsx" = "qingjia"
//! [stamp]                        # 归档章（DA/T 22-2015 附录 A）
//! cell_width_mm = 15
//! cell_height_mm = 8
//! color = "#c00000"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// The file name looked for at the top of SRC.
pub const FILE_NAME: &str = "archive.toml";

/// 保管期限 (DA/T 22-2015 §6.1.3: 永久, 定期30年, 定期10年), in the order 件号 run through them.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub enum Retention {
    /// 永久.
    Permanent,
    /// 定期30年 (the default when nothing else is said).
    #[default]
    Years30,
    /// 定期10年.
    Years10,
}

impl Retention {
    /// Reads `Y`/`永久`, `D30`/`30年`/`定期30年`, `D10`/`10年`/`定期10年`.
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().trim_start_matches("定期") {
            "Y" | "y" | "永久" => Some(Self::Permanent),
            "D30" | "d30" | "30年" => Some(Self::Years30),
            "D10" | "d10" | "10年" => Some(Self::Years10),
            _ => None,
        }
    }

    /// The code in the 档号: `Y`, `D30`, `D10`.
    pub fn code(self) -> &'static str {
        match self {
            Self::Permanent => "Y",
            Self::Years30 => "D30",
            Self::Years10 => "D10",
        }
    }

    /// The words on the 归档章 and in the catalogue: `永久`, `30年`, `10年`.
    pub fn words(self) -> &'static str {
        match self {
            Self::Permanent => "永久",
            Self::Years30 => "30年",
            Self::Years10 => "10年",
        }
    }
}

impl TryFrom<String> for Retention {
    type Error = String;
    fn try_from(s: String) -> std::result::Result<Self, String> {
        Self::parse(&s).ok_or_else(|| {
            format!("保管期限“{s}”应为 Y（永久）、D30（定期30年）或 D10（定期10年）")
        })
    }
}

impl From<Retention> for String {
    fn from(r: Retention) -> String {
        r.code().to_owned()
    }
}

/// One 机构（问题）.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Department {
    /// The code in the 档号, e.g. `BGS`.
    #[serde(alias = "代码")]
    pub code: String,
    /// The name on the 归档章 (default: the key, e.g. `办公室`).
    #[serde(default, alias = "名称")]
    pub name: Option<String>,
    /// This department's default 保管期限.
    #[serde(default, alias = "保管期限")]
    pub retention: Option<Retention>,
    /// This department's 保管期限 by 文种 or form.
    #[serde(default)]
    pub retention_by_kind: BTreeMap<String, Retention>,
}

/// The 归档章's look (DA/T 22-2015 附录 A: two rows of three cells).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields, default)]
pub struct StampStyle {
    /// Width of one cell, mm.
    pub cell_width_mm: f64,
    /// Height of one cell, mm.
    pub cell_height_mm: f64,
    /// Ink colour, `#rrggbb`.
    pub color: String,
    /// Largest type size in the cells, pt (longer entries are set smaller to fit).
    pub font_size_pt: f64,
    /// Preferred distance of the stamp's top from the paper's top edge, mm.
    pub top_mm: f64,
}

impl Default for StampStyle {
    fn default() -> Self {
        Self {
            cell_width_mm: 15.0,
            cell_height_mm: 8.0,
            color: "#c00000".into(),
            font_size_pt: 10.5,
            top_mm: 10.0,
        }
    }
}

/// `archive.toml`.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ArchiveConfig {
    /// 全宗号.
    #[serde(alias = "全宗号")]
    pub fonds: String,
    /// 档案门类代码 (`WS` for 文书).
    #[serde(default = "default_category", alias = "门类代码")]
    pub category: String,
    /// 立档单位: the 责任者 of forms and registers.
    #[serde(default, alias = "立档单位")]
    pub office: String,
    /// Default 保管期限.
    #[serde(default = "default_retention", alias = "保管期限")]
    pub retention: Retention,
    /// 保管期限 by 文种 (公文) or form (ID or title).
    #[serde(default)]
    pub retention_by_kind: BTreeMap<String, Retention>,
    /// 机构（问题） by folder name or relative path.
    #[serde(default)]
    pub departments: BTreeMap<String, Department>,
    /// Which form a spreadsheet holds: glob → form ID.
    #[serde(default)]
    pub forms: BTreeMap<String, String>,
    /// The 归档章.
    #[serde(default)]
    pub stamp: StampStyle,
}

fn default_category() -> String {
    "WS".into()
}

fn default_retention() -> Retention {
    Retention::Years30
}

impl ArchiveConfig {
    /// Reads `path`, or `SRC/archive.toml`; without either the run cannot number anything.
    pub fn load(src: &Path, path: Option<&Path>) -> Result<Self> {
        let path = path.map_or_else(|| src.join(FILE_NAME), Path::to_owned);
        let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
            path: path.clone(),
            source,
        })?;
        let cfg: Self = toml::from_str(&text).map_err(|e| Error::Parse {
            path: path.clone(),
            message: e.to_string(),
        })?;
        cfg.check()
            .map_err(|message| Error::Parse { path, message })?;
        Ok(cfg)
    }

    fn check(&self) -> std::result::Result<(), String> {
        let code = |what: &str, s: &str| {
            if s.is_empty() || s.chars().any(|c| c.is_whitespace() || "-·/\\".contains(c)) {
                Err(format!(
                    "{what}“{s}”不能为空，也不能含空白、“-”“·”或斜杠（它们是档号的分隔符）"
                ))
            } else {
                Ok(())
            }
        };
        code("全宗号 fonds", &self.fonds)?;
        code("门类代码 category", &self.category)?;
        for (k, d) in &self.departments {
            code(&format!("机构“{k}”的代码 code"), &d.code)?;
        }
        let s = &self.stamp;
        if !(5.0..=40.0).contains(&s.cell_width_mm) || !(4.0..=20.0).contains(&s.cell_height_mm) {
            return Err("归档章格子应为 5–40 mm 宽、4–20 mm 高".into());
        }
        if !(4.0..=16.0).contains(&s.font_size_pt) {
            return Err("归档章字号应为 4–16 pt".into());
        }
        let hex = s.color.trim_start_matches('#');
        if hex.len() != 6 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("归档章颜色“{}”应写作 #rrggbb", s.color));
        }
        Ok(())
    }

    /// The department of a folder (relative to SRC, `/`-separated): a key equal to the whole
    /// path or a trailing part of it wins over a key equal to one folder name, the deepest first.
    pub fn department(&self, folder: &str) -> Option<(&str, &Department)> {
        let parts: Vec<&str> = folder.split('/').filter(|p| !p.is_empty()).collect();
        for end in (1..=parts.len()).rev() {
            for start in 0..end {
                let key = parts[start..end].join("/");
                if let Some((k, d)) = self.departments.get_key_value(&key) {
                    return Some((k.as_str(), d));
                }
            }
        }
        None
    }

    /// 保管期限 of a 件: the department's rule for its kind, the general rule for its kind, the
    /// department's default, the general default. `kinds` are the names the 件 answers to (文种;
    /// or form ID and title).
    pub fn retention(&self, dept: Option<&Department>, kinds: &[&str]) -> Retention {
        let by =
            |map: &BTreeMap<String, Retention>| kinds.iter().find_map(|k| map.get(*k).copied());
        dept.and_then(|d| by(&d.retention_by_kind))
            .or_else(|| by(&self.retention_by_kind))
            .or_else(|| dept.and_then(|d| d.retention))
            .unwrap_or(self.retention)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_apply_from_the_most_specific() {
        let cfg: ArchiveConfig = toml::from_str(
            r#"
            fonds = "Z109"
            retention = "D10"
            retention_by_kind = { "决定" = "Y", "通知" = "D30" }
            [departments."办公室"]
            code = "BGS"
            retention = "D30"
            retention_by_kind = { "通知" = "Y" }
            [departments."2026/财务科"]
            code = "CWK"
            "#,
        )
        .expect("config");
        let (_, bgs) = cfg.department("2026/办公室").expect("by name");
        assert_eq!(bgs.code, "BGS");
        assert_eq!(cfg.retention(Some(bgs), &["通知"]), Retention::Permanent);
        assert_eq!(cfg.retention(Some(bgs), &["决定"]), Retention::Permanent);
        assert_eq!(cfg.retention(Some(bgs), &["函"]), Retention::Years30);
        assert_eq!(cfg.retention(None, &["函"]), Retention::Years10);
        assert_eq!(
            cfg.department("2026/财务科/票据").map(|d| d.0),
            Some("2026/财务科")
        );
        assert!(cfg.department("2025/财务科").is_none());
        assert!(toml::from_str::<ArchiveConfig>("fonds = \"Z1\"\nretention = \"长期\"").is_err());
    }
}
