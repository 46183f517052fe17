//! The metadata an OFD carries, from a 公文, a form, or an archive's record.

use chrono::NaiveDate;

use super::{OfdMeta, OfdSettings, Profile};
use crate::model::date;
use crate::model::gongwen::Gongwen;

/// Metadata of a 公文: title, the issuing offices as author (主办 first), the 成文日期 as
/// creation date, 文号 (or 令号 / 期号) and 密级 as custom data.
pub fn gongwen(doc: &Gongwen) -> OfdMeta {
    let author = doc
        .issuers
        .iter()
        .map(|i| i.name().trim())
        .filter(|n| !n.is_empty())
        .collect::<Vec<_>>()
        .join("、");
    let number = doc
        .doc_number
        .clone()
        .or_else(|| doc.order_number.clone())
        .or_else(|| doc.issue_number.clone())
        .unwrap_or_default();
    // A 命令 in 命令格式 has no 标题: it is named by its 发文机关 and 令号.
    let title = if doc.title.trim().is_empty() {
        format!("{}{}{}", author, doc.kind, number)
    } else {
        doc.title.clone()
    };
    let mut custom = vec![
        ("文种".to_owned(), doc.kind.clone()),
        ("文号".to_owned(), number),
    ];
    if let Some(c) = &doc.classification {
        custom.push(("密级".into(), c.clone()));
    }
    OfdMeta {
        title,
        author,
        creation_date: date::parse(&doc.date).ok(),
        custom,
        ..OfdMeta::default()
    }
}

/// Metadata of a filled form or register: its title, the office, the row's date and number.
pub fn form(title: &str, office: &str, date: Option<NaiveDate>, number: Option<&str>) -> OfdMeta {
    OfdMeta {
        title: title.to_owned(),
        author: office.to_owned(),
        creation_date: date,
        custom: vec![("编号".into(), number.unwrap_or_default().to_owned())],
        ..OfdMeta::default()
    }
}

/// An archive's record of one document (DA/T 46 / GB/T 42133 metadata names): what
/// [`super::export_archival`] writes into the `DocInfo` of an OFD-A.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ArchivalRecord {
    /// 档号, e.g. `X001-WS·2026-Y-BGS-0001`.
    pub archival_code: String,
    /// 题名.
    pub title: String,
    /// 责任者.
    pub responsible: String,
    /// 日期 (成文日期).
    pub date: Option<NaiveDate>,
    /// 文号.
    pub doc_number: Option<String>,
    /// 保管期限: 永久, 定期30年, 定期10年.
    pub retention: Option<String>,
    /// 密级.
    pub classification: Option<String>,
    /// 全宗号.
    pub fonds: Option<String>,
    /// 年度.
    pub year: Option<i32>,
    /// Anything else the archive records, in order (name, value).
    pub extra: Vec<(String, String)>,
}

impl ArchivalRecord {
    /// OFD-A settings carrying this record: 题名 → `Title`, 责任者 → `Author`, 日期 →
    /// `CreationDate`, and every field under its Chinese name in `CustomDatas`.
    pub fn settings(&self) -> OfdSettings {
        let mut custom = vec![
            ("档号".to_owned(), self.archival_code.clone()),
            ("题名".to_owned(), self.title.clone()),
            ("责任者".to_owned(), self.responsible.clone()),
            (
                "日期".to_owned(),
                self.date
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
            ),
        ];
        let optional = [
            ("文号", self.doc_number.clone()),
            ("保管期限", self.retention.clone()),
            ("密级", self.classification.clone()),
            ("全宗号", self.fonds.clone()),
            ("年度", self.year.map(|y| y.to_string())),
        ];
        for (name, value) in optional {
            if let Some(v) = value {
                custom.push((name.to_owned(), v));
            }
        }
        custom.extend(self.extra.iter().cloned());
        OfdSettings {
            meta: OfdMeta {
                title: self.title.clone(),
                author: self.responsible.clone(),
                creation_date: self.date,
                custom,
                ..OfdMeta::default()
            },
            profile: Profile::Archival,
        }
    }

    /// The record of a 公文 before it has a 档号 (the archive fills that in).
    pub fn from_gongwen(doc: &Gongwen) -> Self {
        let m = gongwen(doc);
        let number = m
            .custom
            .iter()
            .find(|(k, _)| k == "文号")
            .map(|(_, v)| v.clone())
            .filter(|v| !v.is_empty());
        Self {
            title: m.title,
            responsible: m.author,
            date: m.creation_date,
            doc_number: number,
            classification: doc.classification.clone(),
            year: m.creation_date.map(|d| chrono::Datelike::year(&d)),
            ..Self::default()
        }
    }
}
