//! The 公文 as the drafting office writes it: the 18 elements of 条例 §9, typed, with no layout.
//!
//! Keys are English `snake_case`; every key also accepts its Chinese name (`标题`, `发文字号` …)
//! so a data file can be written entirely in Chinese. Unknown keys are refused, so a typo never
//! silently drops an element.

use serde::{Deserialize, Serialize};

/// A 公文 data file (TOML or JSON).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Gongwen {
    /// 文种: one of the 15 of 条例 §8 (通知, 请示, 函 …).
    #[serde(alias = "文种")]
    pub kind: String,
    /// 行文方向: 上行 / 平行 / 下行. Derived from the 文种 when absent (请示/报告 → 上行, 函 → 平行).
    #[serde(alias = "行文方向", default)]
    pub direction: Option<String>,
    /// 份号 (§7.2.1): six digits.
    #[serde(alias = "份号", default)]
    pub copy_number: Option<String>,
    /// 密级 (§7.2.2): 绝密 / 机密 / 秘密.
    #[serde(alias = "密级", default)]
    pub classification: Option<String>,
    /// 保密期限 (§7.2.2), e.g. `1年`, `长期`.
    #[serde(alias = "保密期限", default)]
    pub secrecy_period: Option<String>,
    /// 紧急程度 (§7.2.3): 特急 / 加急.
    #[serde(alias = "紧急程度", default)]
    pub urgency: Option<String>,
    /// 发文机关 (§7.2.4), 主办机关 first.
    #[serde(alias = "发文机关")]
    pub issuers: Vec<Issuer>,
    /// 发文机关标志 options (§7.2.4).
    #[serde(alias = "发文机关标志", default)]
    pub issuer_mark: IssuerMark,
    /// 发文字号 (§7.2.5), e.g. `仁府办发〔2020〕79号`.
    #[serde(alias = "发文字号", default)]
    pub doc_number: Option<String>,
    /// 签发人 (§7.2.6), required for 上行文.
    #[serde(alias = "签发人", default)]
    pub signers: Vec<String>,
    /// 格式 (§10): `通用` (default), `信函`, `命令` (default for 命令) or `纪要` (default for 纪要).
    #[serde(alias = "格式", default)]
    pub format: Option<String>,
    /// 令号 (§10.2) of a 命令, e.g. `第24号`: its own sequence, continuous across years.
    #[serde(alias = "令号", default)]
    pub order_number: Option<String>,
    /// 标题 (§7.3.1). A 命令 in 命令格式 has none.
    #[serde(alias = "标题", default)]
    pub title: String,
    /// Explicit title lines, when the office wants to choose the breaks itself (§7.3.1).
    #[serde(alias = "标题分行", default)]
    pub title_lines: Option<Vec<String>>,
    /// 主送机关 (§7.3.2).
    #[serde(alias = "主送机关", default)]
    pub recipients: Vec<String>,
    /// 正文 (§7.3.3): paragraphs, headings and tables.
    #[serde(alias = "正文")]
    pub body: Vec<Block>,
    /// 附件说明 (§7.3.4). Derived from `attachments` when absent; when given, it must agree.
    #[serde(alias = "附件说明", default)]
    pub attachment_note: Option<Vec<String>>,
    /// 附件 (§7.3.7), each printed on its own pages after the 正文.
    #[serde(alias = "附件", default)]
    pub attachments: Vec<Attachment>,
    /// 成文日期 (§7.3.5.4), `2026年12月1日` (ISO `2026-12-01` is accepted and converted).
    #[serde(alias = "成文日期")]
    pub date: String,
    /// 附注 (§7.3.6), without the parentheses.
    #[serde(alias = "附注", default)]
    pub note: Option<String>,
    /// 抄送机关 (§7.4.2).
    #[serde(alias = "抄送", alias = "抄送机关", default)]
    pub cc: Vec<String>,
    /// 印发机关 (§7.4.3).
    #[serde(alias = "印发机关", default)]
    pub print_office: Option<String>,
    /// 印发日期 (§7.4.3).
    #[serde(alias = "印发日期", default)]
    pub print_date: Option<String>,
    /// 纪要 期号 (§10.3), printed instead of a 发文字号, e.g. `第12期`.
    #[serde(alias = "期号", default)]
    pub issue_number: Option<String>,
    /// 纪要 出席 (§10.3): units and names.
    #[serde(alias = "出席", default)]
    pub attendees: Vec<String>,
    /// 纪要 请假.
    #[serde(alias = "请假", default)]
    pub on_leave: Vec<String>,
    /// 纪要 列席.
    #[serde(alias = "列席", default)]
    pub observers: Vec<String>,
    /// 签发人签名章 (§7.3.5.3): used instead of the organ's seal (e.g. a 命令 or a document signed
    /// by its 签发人); 主办 first.
    #[serde(alias = "签名章", default)]
    pub signature_stamps: Vec<SignatureStamp>,
    /// 机关代字 (`仁府办发`): with `--assign-numbers`, a blank 发文字号 is issued by the registry.
    #[serde(alias = "机关代字", default)]
    pub issuer_code: Option<String>,
    /// Stable key of this document in the numbering registry (default: the data file's path),
    /// so rendering it again returns the same number.
    #[serde(alias = "文档键", default)]
    pub doc_key: Option<String>,
    /// 普发性公文 with a special 标志: may go out without a seal (条例 §9(十三)).
    #[serde(alias = "普发", default)]
    pub general_distribution: bool,
    /// 党的机关: print the red ★ on the 版头 line (practice, not GB/T 9704).
    #[serde(alias = "党的机关", default)]
    pub party_organ: bool,
}

/// One 发文机关. Written as a table, or as a bare name.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Issuer {
    /// Just the name (全称); no seal.
    Name(String),
    /// Name, optional short name for the 标志, optional seal image.
    Full(IssuerSpec),
}

/// A 发文机关 with its options.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerSpec {
    /// 全称 (used in the 署名).
    #[serde(alias = "名称")]
    pub name: String,
    /// 规范化简称 for the 标志, when the office uses one.
    #[serde(alias = "简称", default)]
    pub short_name: Option<String>,
    /// 印章 image (PNG, JPEG or SVG), relative to the data file.
    #[serde(alias = "印章", default)]
    pub seal: Option<String>,
    /// Printed diameter of the seal in mm (default 42).
    #[serde(alias = "印章直径", default)]
    pub seal_diameter_mm: Option<f64>,
}

impl Issuer {
    /// 全称.
    pub fn name(&self) -> &str {
        match self {
            Issuer::Name(n) => n,
            Issuer::Full(s) => &s.name,
        }
    }

    /// The text used in the 标志: the short name if given, else the full name.
    pub fn mark_name(&self) -> &str {
        match self {
            Issuer::Name(n) => n,
            Issuer::Full(s) => s.short_name.as_deref().unwrap_or(&s.name),
        }
    }

    /// The seal image path, if any.
    pub fn seal(&self) -> Option<&str> {
        match self {
            Issuer::Name(_) => None,
            Issuer::Full(s) => s.seal.as_deref(),
        }
    }

    /// The seal diameter, if given.
    pub fn seal_diameter_mm(&self) -> Option<f64> {
        match self {
            Issuer::Name(_) => None,
            Issuer::Full(s) => s.seal_diameter_mm,
        }
    }
}

/// A 签发人签名章 with the 签发人's 职务 (§7.3.5.3).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SignatureStamp {
    /// 签发人职务, printed to the left of the stamp.
    #[serde(alias = "职务")]
    pub title: String,
    /// The stamp image, relative to the data file.
    #[serde(alias = "图片")]
    pub image: String,
    /// Printed width in mm (default 30).
    #[serde(alias = "宽度", default)]
    pub width_mm: Option<f64>,
}

/// 发文机关标志 options (§7.2.4, 条例 §9(四)).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerMark {
    /// Text after the name(s): `文件`, or empty for the name alone. Default: `文件`, except
    /// for 函 and 纪要.
    #[serde(alias = "后缀", default)]
    pub suffix: Option<String>,
    /// Show only the 主办机关 in a joint document's 标志.
    #[serde(alias = "仅主办机关", default)]
    pub lead_only: bool,
    /// Override of the 标志 text lines (one per issuer), e.g. a special 标志 of a 普发性公文.
    #[serde(alias = "文字", default)]
    pub names: Option<Vec<String>>,
}

/// A block of the 正文 or of an 附件.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(untagged)]
pub enum Block {
    /// A plain paragraph.
    Paragraph(String),
    /// A heading, a paragraph with a run-in heading, or a table.
    Rich(RichBlock),
}

/// A heading (levels 1–4 of §7.3.3), optionally followed by text in the same paragraph, or a
/// table. Exactly one of `h1`..`h4`, `table` must be set.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RichBlock {
    /// 第一层 heading text (numbered 一、).
    #[serde(alias = "一级标题", default)]
    pub h1: Option<String>,
    /// 第二层 heading text (numbered （一）).
    #[serde(alias = "二级标题", default)]
    pub h2: Option<String>,
    /// 第三层 heading text (numbered 1.).
    #[serde(alias = "三级标题", default)]
    pub h3: Option<String>,
    /// 第四层 heading text (numbered （1）).
    #[serde(alias = "四级标题", default)]
    pub h4: Option<String>,
    /// Explicit number (`一、`, `（三）` …) instead of the automatic one.
    #[serde(alias = "序号", default)]
    pub number: Option<String>,
    /// Text that follows the heading in the same paragraph.
    #[serde(alias = "内容", default)]
    pub text: Option<String>,
    /// A simple table: rows of cells.
    #[serde(alias = "表格", default)]
    pub table: Option<Vec<Vec<String>>>,
    /// How many leading rows of `table` are header rows (printed in 黑体, repeated on new pages).
    #[serde(alias = "表头行数", default)]
    pub header_rows: Option<usize>,
    /// Relative column widths of `table`.
    #[serde(alias = "列宽", default)]
    pub columns: Option<Vec<f64>>,
    /// Print `table` across turned (landscape) pages, header towards the page's left edge (§8).
    #[serde(alias = "横排", default)]
    pub landscape: bool,
}

/// 附件 (§7.3.7).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Attachment {
    /// 附件标题, identical to its line in the 附件说明.
    #[serde(alias = "标题")]
    pub title: String,
    /// Content blocks.
    #[serde(alias = "内容", alias = "正文", default)]
    pub body: Vec<Block>,
    /// Lay the whole 附件 out on turned (landscape) pages, e.g. a wide table (§8).
    #[serde(alias = "横排", default)]
    pub landscape: bool,
}

/// The formats of GB/T 9704: 通用 (§7) and the three special ones of §10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// 通用格式 (§7).
    General,
    /// 信函格式 (§10.1).
    Letter,
    /// 命令（令）格式 (§10.2).
    Order,
    /// 纪要格式 (§10.3).
    Minutes,
}

impl Format {
    /// Every name the data may use.
    pub const NAMES: [&str; 4] = ["通用", "信函", "命令", "纪要"];

    /// Parses a format name (`命令（令）` and `令` are accepted for 命令).
    pub fn parse(name: &str) -> Option<Self> {
        match name.trim() {
            "通用" | "通用格式" => Some(Self::General),
            "信函" | "信函格式" => Some(Self::Letter),
            "命令" | "令" | "命令（令）" | "命令格式" => Some(Self::Order),
            "纪要" | "纪要格式" => Some(Self::Minutes),
            _ => None,
        }
    }

    /// The name the templates use.
    pub fn key(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Letter => "letter",
            Self::Order => "order",
            Self::Minutes => "minutes",
        }
    }
}

/// 文种 (条例 §8): the fifteen kinds.
pub const DOC_KINDS: [&str; 15] = [
    "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示", "批复",
    "议案", "函", "纪要",
];

/// 行文方向 (条例 §15–§17), used by the 版头 layout (§7.2.5) and the validation rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Direction {
    /// 上行文: to a superior organ.
    Upward,
    /// 平行文: to an organ of equal rank or not in the line of authority.
    Lateral,
    /// 下行文: to subordinate organs.
    Downward,
}

impl Direction {
    /// Parses 上行 / 平行 / 下行 (with or without 文).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().trim_end_matches('文') {
            "上行" | "upward" => Some(Self::Upward),
            "平行" | "lateral" => Some(Self::Lateral),
            "下行" | "downward" => Some(Self::Downward),
            _ => None,
        }
    }

    /// The default for a 文种: 请示 and 报告 go up, 函 goes across, everything else goes down.
    pub fn default_for(kind: &str) -> Self {
        match kind {
            "请示" | "报告" | "议案" => Self::Upward,
            "函" => Self::Lateral,
            _ => Self::Downward,
        }
    }
}

impl Gongwen {
    /// The 文种 as written, with 命令（令） folded to 命令.
    pub fn kind_name(&self) -> &str {
        match self.kind.trim() {
            "命令（令）" | "令" => "命令",
            k => k,
        }
    }

    /// The format of §10, explicit or derived from the 文种. `None` for an unknown name.
    pub fn layout_format(&self) -> Option<Format> {
        match self.format.as_deref().map(str::trim) {
            None | Some("") => Some(match self.kind_name() {
                "命令" => Format::Order,
                "纪要" => Format::Minutes,
                _ => Format::General,
            }),
            Some(name) => Format::parse(name),
        }
    }

    /// 行文方向, explicit or derived from the 文种.
    pub fn direction(&self) -> Direction {
        self.direction
            .as_deref()
            .and_then(Direction::parse)
            .unwrap_or_else(|| Direction::default_for(self.kind_name()))
    }

    /// The 附件说明 lines: as given, or derived from the 附件 titles.
    pub fn attachment_note_lines(&self) -> Vec<String> {
        match &self.attachment_note {
            Some(lines) => lines.clone(),
            None => self.attachments.iter().map(|a| a.title.clone()).collect(),
        }
    }
}
