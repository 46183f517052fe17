//! Numbers of filled forms. A row's number belongs to its request: the registry key is the
//! request's content (the definition's identifying fields, or the `识别码` column), and the
//! identity beside it is the form, those fields' values and the form date. A number is never
//! tied to a row's position or the file it is in, and never made up outside the registry.

use chrono::Datelike;

use crate::error::{Error, Result};
use crate::form::schema::FormDef;
use crate::model::value::chinese_date;
use crate::number::assign::sha256_hex;
use crate::number::registry::{DocRecord, Identity, OnChange, Registry, RegistryError};
use crate::validate::form::{self, FormRecord, RowError};

/// What a row gets in its 编号 line.
#[derive(Debug, Clone)]
pub enum RowNumber {
    /// The form has no number.
    Unnumbered,
    /// Left blank for handwriting (no `--assign-numbers`, nothing typed).
    Blank,
    /// Held in the registry under `key` (issued, or typed and claimed): committed when its PDF
    /// is delivered.
    Held {
        /// The number as printed.
        number: String,
        /// The key the registry holds it under.
        key: String,
    },
    /// The row cannot be printed with a number; refused.
    Refused(Box<RowError>),
}

impl RowNumber {
    /// The number to print, if any.
    pub fn number(&self) -> Option<&str> {
        match self {
            Self::Held { number, .. } => Some(number),
            _ => None,
        }
    }
}

/// Who a request is, beyond its key: `请假申请单：王某某 2026年3月5日至6日` and the form date.
/// A key that comes back with another identity (a 识别码 reused for another request, a
/// committed request with another date) is refused rather than given the old number.
pub fn identity(def: &FormDef, rec: &FormRecord) -> Identity {
    let values: Vec<String> = form::key_fields(def)
        .iter()
        .filter_map(|label| rec.get(label))
        .map(|v| v.display())
        .filter(|s| !s.trim().is_empty())
        .collect();
    let title = if values.is_empty() {
        def.title.clone()
    } else {
        format!("{}：{}", def.title, values.join(" "))
    };
    Identity::new(title, rec.date.map(chinese_date).unwrap_or_default())
}

/// The number of one validated row. `registry` is `None` when no registry was given (then a
/// typed number cannot be checked and its row is refused). Registry failures that are not
/// about this row (the database is unreachable) end the batch.
pub fn number_row(
    registry: Option<&mut Registry>,
    def: &FormDef,
    rec: &FormRecord,
    assign: bool,
) -> Result<RowNumber> {
    let Some(pattern) = def.numbering.as_deref() else {
        return Ok(RowNumber::Unnumbered);
    };
    let year = rec.date.map_or(0, |d| d.year());
    let identity = identity(def, rec);
    let refuse = |code: &str, value: &str, message: String, hint: &str| {
        Ok(RowNumber::Refused(Box::new(RowError {
            row: rec.row,
            column: None,
            field: "编号".into(),
            value: value.to_owned(),
            code: code.into(),
            message,
            hint: hint.into(),
        })))
    };
    match (registry, &rec.given_number) {
        (None, Some(given)) => refuse(
            "form.number.unchecked",
            given,
            format!("编号“{given}”无法核对：没有指定编号库"),
            "用 --registry 指定编号库，或清空编号列留待手写",
        ),
        (Some(reg), None) if assign => {
            // The registry's sequence, per form and year, keyed by the request's content:
            // re-running, inserting or reordering rows keeps every number with its request.
            match reg.reserve_for(
                &def.id,
                "",
                year,
                &rec.key,
                &identity,
                OnChange::Refuse,
                pattern,
            ) {
                Ok(issued) => Ok(RowNumber::Held {
                    number: issued.number,
                    key: issued.key,
                }),
                Err(e) => registry_refusal(e, rec, "").map(|e| RowNumber::Refused(Box::new(e))),
            }
        }
        (_, None) => Ok(RowNumber::Blank),
        (Some(reg), Some(given)) => {
            // A typed number must parse, belong to the form's year, and be free and in sequence.
            match crate::prepare::pattern::parse_number(pattern, "", given) {
                None => refuse(
                    "form.number.format",
                    given,
                    format!("编号“{given}”不符合格式 {pattern}"),
                    "清空编号列，用 --assign-numbers 由编号库发号",
                ),
                Some((y, _)) if y != year => refuse(
                    "form.number.year",
                    given,
                    format!("编号“{given}”的年份 {y} 与表单日期年份 {year} 不一致"),
                    "清空编号列，用 --assign-numbers 由编号库发号",
                ),
                Some((y, seq)) => match reg.claim_for(
                    &def.id,
                    "",
                    y,
                    seq,
                    &rec.key,
                    &identity,
                    OnChange::Refuse,
                    pattern,
                ) {
                    // Printed as the registry spells it (`01号` typed → `1号`).
                    Ok(issued) => Ok(RowNumber::Held {
                        number: issued.number,
                        key: issued.key,
                    }),
                    Err(e) => {
                        registry_refusal(e, rec, given).map(|e| RowNumber::Refused(Box::new(e)))
                    }
                },
            }
        }
    }
}

/// A registry refusal about this row as a row error; a failure of the registry itself as the
/// batch's error.
fn registry_refusal(e: RegistryError, rec: &FormRecord, given: &str) -> Result<RowError> {
    let (code, message, hint) = match &e {
        RegistryError::IdentityChanged(c) => (
            "form.key.reused",
            format!(
                "{}已用于编号“{}”的《{}》（{}），本行是《{}》（{}）：已生成的表单记录不能改写",
                key_name(&c.key),
                c.number,
                c.old_title,
                c.old_date,
                c.new_title,
                c.new_date
            ),
            format!(
                "若是另一份申请：在“{}”列填写与原申请不同的值；若是更正原申请：先用 wenshu number void 作废原编号，再重新生成",
                form::KEY_COLUMN
            ),
        ),
        RegistryError::Voided { .. } => (
            "form.number.void",
            e.to_string(),
            "作废的编号不能再用：清空编号列，用 --assign-numbers 由编号库发号".to_owned(),
        ),
        RegistryError::Taken { .. } | RegistryError::OutOfSequence { .. } => (
            "form.number.registry",
            e.to_string(),
            "清空编号列，用 --assign-numbers 由编号库发号".to_owned(),
        ),
        _ => return Err(Error::Registry(e.to_string())),
    };
    Ok(RowError {
        row: rec.row,
        column: None,
        field: if code == "form.key.reused" {
            form::KEY_COLUMN.into()
        } else {
            "编号".into()
        },
        value: if given.is_empty() {
            rec.key.clone()
        } else {
            given.to_owned()
        },
        code: code.into(),
        message,
        hint,
    })
}

/// `识别码“OA-1”` or `申请内容（姓名=…）` for messages.
fn key_name(key: &str) -> String {
    match key
        .strip_prefix(form::KEY_COLUMN)
        .and_then(|k| k.strip_prefix('='))
    {
        Some(k) => format!("{}“{k}”", form::KEY_COLUMN),
        None => format!("申请内容（{key}）"),
    }
}

/// Records a produced form against its number (call before the PDF is put in place: a number
/// voided meanwhile is refused and nothing is delivered with it). Returns the number on record.
pub fn commit(
    registry: &mut Registry,
    def: &FormDef,
    rec: &FormRecord,
    key: &str,
    output: &str,
    pdf: &[u8],
) -> std::result::Result<String, RegistryError> {
    let identity = identity(def, rec);
    let record = DocRecord {
        kind: def.id.clone(),
        title: identity.title,
        date: identity.date,
        output: output.to_owned(),
        sha256: sha256_hex(pdf),
        ..DocRecord::default()
    };
    registry.commit(&def.id, key, &record)
}
