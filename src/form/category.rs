//! How `wenshu forms` groups the catalogue: the nine office categories, and the rulebooks
//! (`seed NNN`) a definition's `source` names.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A catalogue group, written in Chinese in the definition: `category = "人事考勤"`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
pub enum Category {
    /// Leave, attendance, cadres.
    #[serde(rename = "人事考勤")]
    Personnel,
    /// Money, receipts, assets, procurement.
    #[serde(rename = "财务资产")]
    Finance,
    /// Incoming and outgoing documents, seals, printing.
    #[serde(rename = "公文收发")]
    Documents,
    /// Meetings, sign-in sheets, hospitality.
    #[serde(rename = "会议接待")]
    Meetings,
    /// Official cars and drivers.
    #[serde(rename = "车辆")]
    Vehicles,
    /// Duty rosters, duty logs, gate and visitor logs.
    #[serde(rename = "值班")]
    Duty,
    /// Party branch and integrity work.
    #[serde(rename = "党建")]
    Party,
    /// Classified documents, media and publication review.
    #[serde(rename = "保密")]
    Secrecy,
    /// Line business: service windows, targets, licensing, complaints.
    #[serde(rename = "业务")]
    Business,
}

impl Category {
    /// All categories in listing order.
    pub const ALL: [Category; 9] = [
        Category::Personnel,
        Category::Finance,
        Category::Documents,
        Category::Meetings,
        Category::Vehicles,
        Category::Duty,
        Category::Party,
        Category::Secrecy,
        Category::Business,
    ];

    /// The Chinese name.
    pub fn name(self) -> &'static str {
        match self {
            Category::Personnel => "人事考勤",
            Category::Finance => "财务资产",
            Category::Documents => "公文收发",
            Category::Meetings => "会议接待",
            Category::Vehicles => "车辆",
            Category::Duty => "值班",
            Category::Party => "党建",
            Category::Secrecy => "保密",
            Category::Business => "业务",
        }
    }
}

/// The rulebooks a `source` text names (`seed 000`, `seed 003 §IV.10`), in order, without
/// repeats: `["000", "003"]`.
pub fn seeds(source: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = source;
    while let Some(i) = rest.find("seed") {
        rest = &rest[i + 4..];
        let digits: String = rest
            .trim_start()
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.len() == 3 && !out.contains(&digits) {
            out.push(digits);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_read_from_the_source_text() {
        assert_eq!(
            seeds("seed 001 文件处理制度 L518；seed 000 公文办理制度；seed 001 L610；seeds 12"),
            ["001", "000"]
        );
        assert!(seeds("自拟表样").is_empty());
    }

    #[test]
    fn category_names_round_trip_through_toml() {
        #[derive(Deserialize)]
        struct T {
            c: Category,
        }
        for c in Category::ALL {
            let t: T = toml::from_str(&format!("c = \"{}\"", c.name())).expect("parse");
            assert_eq!(t.c, c);
        }
    }
}
