//! The form definition format (`forms/*.toml`): typed fields, computed fields, cross-field rules,
//! the approval/signature chain with explicit threshold operators, numbering and layout hints.
//!
//! Written to be read by an office IT person. Thresholds are never prose: a condition names a
//! field, an operator and a value, and the definition states how it read the rule text
//! (以上/以下 inclusive → `>=`/`<=`; 超过/不满 exclusive → `>`/`<`). `wenshu forms schema`
//! prints the JSON Schema generated from these types.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use crate::form::category::Category;

/// One form definition.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FormDef {
    /// Stable identifier (file name without `.toml`), ASCII: `qingjia`.
    pub id: String,
    /// Printed title: `工作人员请假申请单`.
    pub title: String,
    /// Where the form comes from (rulebook, clause, line), and the choices made where it is silent.
    /// `seed NNN` names a rulebook; `wenshu forms` lists the rulebooks a form comes from.
    #[serde(default)]
    pub source: String,
    /// Catalogue group in `wenshu forms`: 人事考勤, 财务资产, 公文收发, 会议接待, 车辆, 值班, 党建,
    /// 保密, 业务.
    #[serde(default)]
    pub category: Option<Category>,
    /// A family (`forms/families/ID.toml`, or `families/` beside `--forms`) or another definition
    /// this one builds on. Resolved when the catalogue loads (`src/form/family.rs`): every key this
    /// file leaves out is inherited, except `id`, `title` and `source`; `fields`, `computed`,
    /// `rules` and `signatures` are merged by `label`/`code`/`role` (an entry with an inherited
    /// key overrides that entry's keys in place, a new entry is appended; fields land between the
    /// parent's `fields` and its `fields_after`); other lists (`notes`, `totals`) given here
    /// replace the inherited ones; `drop` removes inherited entries. A family may extend a family.
    #[serde(default)]
    pub extends: Option<String>,
    /// Inherited fields, computed values, rules (by `code`) and signature boxes (by `role`) this
    /// definition leaves out.
    #[serde(default)]
    pub drop: Vec<String>,
    /// `form` (one PDF per row) or `register` (登记簿: all rows in one multi-page table).
    #[serde(default)]
    pub kind: FormKind,
    /// Issuing office printed above the title; `{office}` takes `--office`.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Page orientation.
    #[serde(default)]
    pub orientation: Orientation,
    /// Label/value pairs per table row in the automatic layout (2 = label, value, label, value).
    #[serde(default = "default_pairs")]
    pub pairs_per_row: usize,
    /// Numbering pattern, e.g. `派车〔{year}〕{seq}号` (`{seq:03}` pads); `year` comes from `date_field`.
    #[serde(default)]
    pub numbering: Option<String>,
    /// The field whose date gives the year of the number and the form date.
    #[serde(default)]
    pub date_field: Option<String>,
    /// Output file name pattern: `{row}` (Excel row), `{number}`, and fields by label, e.g.
    /// `{row}-请假申请单-{姓名}`.
    #[serde(default)]
    pub file_name: Option<String>,
    /// The fields that identify one request, e.g. `["姓名", "休假起止日期"]`: a row keeps its
    /// number in the registry by these values, never by its position or the file it is in.
    /// Default: every required field. A `识别码` column, when the sheet has one, overrides.
    #[serde(default)]
    pub key: Vec<String>,
    /// Input fields, in print order.
    #[serde(default)]
    pub fields: Vec<FieldDef>,
    /// In a family: fields that follow those of the definitions extending it (备注, 经办人 …).
    /// In a definition, they are appended to `fields` when it loads.
    #[serde(default)]
    pub fields_after: Vec<FieldDef>,
    /// Derived values.
    #[serde(default)]
    pub computed: Vec<ComputedDef>,
    /// Cross-field rules.
    #[serde(default)]
    pub rules: Vec<RuleDef>,
    /// Repeated rows printed as one table (来访人员 1–4, 报销明细 1–4), and checkbox fields printed
    /// together as □/☑ items (交通工具：□飞机 ☑火车).
    #[serde(default)]
    pub groups: Vec<GroupDef>,
    /// Signature boxes, in approval order. The form prints all of them (the paper form's full
    /// signature block); the chain decides which must be signed on each row.
    #[serde(default)]
    pub signatures: Vec<SignatureDef>,
    /// Fixed notes printed under the table (填表说明).
    #[serde(default)]
    pub notes: Vec<String>,
    /// For registers: money/number columns totalled per page and overall.
    #[serde(default)]
    pub totals: Vec<String>,
}

fn default_pairs() -> usize {
    2
}

/// Form or register.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FormKind {
    /// One document per row.
    #[default]
    Form,
    /// One multi-page table of all rows.
    Register,
}

/// Page orientation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Orientation {
    /// A4 portrait.
    #[default]
    Portrait,
    /// A4 landscape (wide registers).
    Landscape,
}

/// Field types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Long text that wraps inside its cell.
    Multiline,
    /// Whole number.
    Integer,
    /// Decimal number (with optional `step`, e.g. 0.5 days).
    Decimal,
    /// Amount in 元, two decimals; printed with its 大写 when `capital` is set.
    Money,
    /// Calendar date.
    Date,
    /// Two dates (起止); day count available to computed fields.
    DateRange,
    /// Time of day, `14:30`.
    Time,
    /// Date and time, `2026-03-05 14:30`.
    Datetime,
    /// One of `options`.
    Enum,
    /// A person's name (2–20 characters, no digits).
    Person,
    /// Telephone or mobile number.
    Phone,
    /// 18-character resident ID number with checksum.
    IdNumber,
    /// Yes/no (是/否, √, 1/0).
    Checkbox,
    /// 发文字号-style number (GB/T 9704 §7.2.5).
    DocNumber,
    /// Table rows inside one cell: one row per line, cells separated by `|`, a tab or `，`
    /// (`columns` names them; `min_rows`/`max_rows` bound the count). Printed as a nested table.
    Table,
}

/// One input field.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldDef {
    /// Printed label, also the spreadsheet header: `请假天数`.
    pub label: String,
    /// Type.
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Required.
    #[serde(default)]
    pub required: bool,
    /// Other accepted spreadsheet headers.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Enum choices.
    #[serde(default)]
    pub options: Vec<String>,
    /// Smallest value (numbers, money).
    #[serde(default)]
    pub min: Option<f64>,
    /// Largest value.
    #[serde(default)]
    pub max: Option<f64>,
    /// Values must be multiples of this (0.5 for half days).
    #[serde(default)]
    pub step: Option<f64>,
    /// Longest text, in characters.
    #[serde(default)]
    pub max_len: Option<usize>,
    /// Regular expression the text must match.
    #[serde(default)]
    pub pattern: Option<String>,
    /// What the pattern means, for the error message.
    #[serde(default)]
    pub pattern_hint: Option<String>,
    /// Print the amount in 大写 beside it (money).
    #[serde(default)]
    pub capital: bool,
    /// Take a whole table row in the automatic layout.
    #[serde(default)]
    pub wide: bool,
    /// Minimum cell height in mm (space for handwriting or long text).
    #[serde(default)]
    pub height_mm: Option<f64>,
    /// Unit printed after the value in a form and in a register's column head: `天`, `人`, `升`.
    /// Money is always in 元. Not repeated when the label already ends with `（unit）`.
    #[serde(default)]
    pub unit: Option<String>,
    /// Decimal places printed for a number (money: always 2). Without it a register prints a
    /// decimal column with the most places any of its values has, so one column has one format.
    #[serde(default)]
    pub decimals: Option<u8>,
    /// Relative column width in a register (default 1; `wide` fields 3).
    #[serde(default)]
    pub width: Option<f64>,
    /// Column names of a `table` field.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Fewest rows of a `table` field.
    #[serde(default)]
    pub min_rows: Option<usize>,
    /// Most rows of a `table` field (the printed form's row count).
    #[serde(default)]
    pub max_rows: Option<usize>,
    /// Example value for the template spreadsheet.
    #[serde(default)]
    pub example: Option<String>,
    /// Help text for the template spreadsheet and `forms show`.
    #[serde(default)]
    pub help: Option<String>,
    /// Required only when this condition holds.
    #[serde(default)]
    pub required_when: Vec<Condition>,
}

/// Comparison operators. Chinese rule words map onto them explicitly:
/// 以上/不少于 → `>=`, 超过/多于 → `>`, 以下/不超过 → `<=`, 不满/少于 → `<`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
pub enum Op {
    /// Greater than (超过).
    #[serde(rename = ">")]
    Gt,
    /// Greater or equal (以上, inclusive).
    #[serde(rename = ">=")]
    Ge,
    /// Less than (不满).
    #[serde(rename = "<")]
    Lt,
    /// Less or equal (以下, inclusive).
    #[serde(rename = "<=")]
    Le,
    /// Equal.
    #[serde(rename = "==")]
    Eq,
    /// Not equal.
    #[serde(rename = "!=")]
    Ne,
    /// One of a list.
    #[serde(rename = "in")]
    In,
    /// Not one of a list.
    #[serde(rename = "not_in")]
    NotIn,
    /// The field has a value.
    #[serde(rename = "present")]
    Present,
    /// The field is empty (or could not be computed), e.g. “收入、支出只填其一”.
    #[serde(rename = "absent")]
    Absent,
}

/// `field op value` (or `field op other`), e.g. `{ field = "金额", op = ">=", value = 30000 }`.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Field or computed label.
    pub field: String,
    /// Operator.
    pub op: Op,
    /// A constant: number, text, or list for `in`/`not_in`.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// Another field to compare with.
    #[serde(default)]
    pub other: Option<String>,
}

/// Computed value kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComputeKind {
    /// Calendar days of a date range, both ends included.
    Days,
    /// Sum of numeric fields.
    Sum,
    /// 大写 of a money field (壹万贰仟元整).
    Capital,
    /// Whole years from a date to the form date (工龄).
    Years,
    /// A money field divided by the days of a date range (`from = [金额, 起止日期]`), e.g. 住宿费
    /// per night against a standard.
    PerDay,
    /// Calendar days from the first date to the second (`from = [借款日期, 销账日期]`: 销账日期 −
    /// 借款日期; negative when the second is earlier). A date range counts by its last day when
    /// first and its first day when second, so `from = [活动起止日期, 报账日期]` is the days after
    /// the activity ended. For time limits: “5日内” → `<= 5`, “提前5天以上” → `>= 5`.
    Interval,
    /// Hours from the first date-time to the second (`from = [通知时间, 会议时间]`), floored to
    /// 0.01 h;
    /// a plain date counts from its midnight. For limits such as “会议两小时前发出” → `>= 2`.
    Hours,
}

/// A derived value, printed like a field.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ComputedDef {
    /// Printed label.
    pub label: String,
    /// How it is computed.
    pub kind: ComputeKind,
    /// Source field(s).
    pub from: Vec<String>,
    /// For `sum`: each source multiplied by its factor (one per source), e.g. a deduction of
    /// 50 元 per late arrival and 200 元 per day absent: `from = [迟到早退次数, 旷工天数]`,
    /// `factors = [50, 200]`.
    #[serde(default)]
    pub factors: Vec<f64>,
    /// Take a whole table row.
    #[serde(default)]
    pub wide: bool,
    /// Unit printed after the value (default: `天` for day counts, `元` for money, `年` for
    /// years, a sum's unit is its first source's).
    #[serde(default)]
    pub unit: Option<String>,
}

/// How a group prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GroupKind {
    /// One header row (`columns`) and one row per entry: the fields `<column><n>` for
    /// n = 1..=`rows` (姓名1, 性别1, … 姓名4, 性别4). Empty entries print as blank rows, as on paper.
    #[default]
    Table,
    /// The checkbox fields in `fields`, printed in one cell as □ (not ticked) or ☑ (ticked) before
    /// each field's label.
    Checks,
}

/// Fields printed together: a repeated group as a table, or checkboxes in one cell. The group
/// prints where its first field stands; its fields keep their own columns in the spreadsheet.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupDef {
    /// Printed label (left of the table or the boxes): `来访登记人数`, `交通工具`.
    pub label: String,
    /// `table` (default) or `checks`.
    #[serde(default)]
    pub kind: GroupKind,
    /// Table: the column heads; the fields are named `<column><n>`.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Table: the number of entries (rows) the paper form prints.
    #[serde(default)]
    pub rows: usize,
    /// Table: a computed `sum` printed as the table's 合计 row, under the column its sources are in.
    #[serde(default)]
    pub total: Option<String>,
    /// Checks: the checkbox fields, in print order.
    #[serde(default)]
    pub fields: Vec<String>,
}

impl GroupDef {
    /// Every field of the group, in print order (a table row by row).
    pub fn members(&self) -> Vec<String> {
        match self.kind {
            GroupKind::Table => (1..=self.rows)
                .flat_map(|n| self.columns.iter().map(move |c| format!("{c}{n}")))
                .collect(),
            GroupKind::Checks => self.fields.clone(),
        }
    }
}

/// A cross-field rule: `check` must hold when `when` holds.
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDef {
    /// Stable code suffix: `form.<id>.<code>`.
    pub code: String,
    /// Message when broken.
    pub message: String,
    /// Where the rule comes from.
    #[serde(default)]
    pub source: Option<String>,
    /// Conditions under which the rule applies (all must hold; empty = always).
    #[serde(default)]
    pub when: Vec<Condition>,
    /// What must hold.
    pub check: Vec<Condition>,
}

/// A signature box (审批意见 with name and date).
#[derive(Debug, Clone, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SignatureDef {
    /// Role, also the header prefix of its columns: `分管领导` → `分管领导意见`, `分管领导签名`,
    /// `分管领导日期`.
    pub role: String,
    /// Printed label (default `<role>意见`).
    #[serde(default)]
    pub label: Option<String>,
    /// Always required.
    #[serde(default)]
    pub required: bool,
    /// Required when any of these condition groups holds (each group: all conditions).
    #[serde(default)]
    pub when_any: Vec<Vec<Condition>>,
    /// How the thresholds were read from the rule text (以上/超过 …), printed by `forms show`.
    #[serde(default)]
    pub rule: Option<String>,
    /// Box height in mm.
    #[serde(default)]
    pub height_mm: Option<f64>,
    /// Print the box only on rows that require it: for a box the paper form does not have (an
    /// authorisation the rules add in some cases). Default: the box is always printed, blank
    /// where this row does not need it.
    #[serde(default)]
    pub only_when_required: bool,
    /// Where the chain step comes from (rulebook, clause, line), printed by `forms show`.
    #[serde(default)]
    pub source: Option<String>,
}

impl SignatureDef {
    /// The printed label.
    pub fn label(&self) -> String {
        self.label
            .clone()
            .unwrap_or_else(|| format!("{}意见", self.role))
    }
}

impl FormDef {
    /// A field by label.
    pub fn field(&self, label: &str) -> Option<&FieldDef> {
        self.fields.iter().find(|f| f.label == label)
    }

    /// Whether `label` names a field or a computed value.
    pub fn knows(&self, label: &str) -> bool {
        self.field(label).is_some() || self.computed.iter().any(|c| c.label == label)
    }

    /// A computed value by label.
    pub fn computed(&self, label: &str) -> Option<&ComputedDef> {
        self.computed.iter().find(|c| c.label == label)
    }

    /// The unit printed after a field's or computed value's number (`元` for money), unless its
    /// label already names it (`用油量（升）`).
    pub fn unit_of(&self, label: &str) -> Option<String> {
        let unit = if let Some(f) = self.field(label) {
            match f.ty {
                FieldType::Money => Some("元".to_owned()),
                FieldType::Integer | FieldType::Decimal => f.unit.clone(),
                _ => None,
            }
        } else {
            let c = self.computed(label)?;
            c.unit.clone().or_else(|| match c.kind {
                ComputeKind::Days | ComputeKind::Interval => Some("天".to_owned()),
                ComputeKind::Hours => Some("小时".to_owned()),
                ComputeKind::PerDay => Some("元".to_owned()),
                ComputeKind::Years => Some("年".to_owned()),
                ComputeKind::Capital => None,
                ComputeKind::Sum => c.from.first().and_then(|s| {
                    // A sum of a computed value would recurse only through definitions the
                    // loader refuses (sources must be fields).
                    self.field(s).and_then(|_| self.unit_of(s))
                }),
            })
        }?;
        let named =
            label.ends_with(&format!("（{unit}）")) || label.ends_with(&format!("({unit})"));
        (!named).then_some(unit)
    }

    /// The group a field belongs to.
    pub fn group_of(&self, label: &str) -> Option<&GroupDef> {
        self.groups
            .iter()
            .find(|g| g.members().iter().any(|m| m == label))
    }
}
