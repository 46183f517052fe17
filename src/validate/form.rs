//! Form rows: headers matched to fields, every cell parsed by its field type, constraints,
//! cross-field rules and the approval chain (which signature boxes this row requires).
//!
//! Rows are independent: each gives a [`FormRecord`] or a list of [`RowError`]s, never both,
//! and one bad row never stops the others.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;

use crate::form::schema::{ComputeKind, Condition, FieldDef, FieldType, FormDef, Op};
use crate::ingest::table::{SheetRow, Table, normalize};
use crate::model::value::{self, Cell, Value};

/// One problem in one cell (or row).
#[derive(Debug, Clone, Serialize)]
pub struct RowError {
    /// Excel row number.
    pub row: usize,
    /// Excel column letter, when the problem is in one cell.
    pub column: Option<String>,
    /// Field label.
    pub field: String,
    /// The value as found.
    pub value: String,
    /// Stable rule code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

impl RowError {
    /// `file:Sheet!C12（字段）：错误[code] message`.
    pub fn display_in(&self, file: &str, sheet: &str) -> String {
        let at = match &self.column {
            Some(c) => format!("{sheet}!{c}{}", self.row),
            None => format!("{sheet}!第{}行", self.row),
        };
        format!(
            "{file}:{at}（{}）：错误[{}] {}；{}",
            self.field, self.code, self.message, self.hint
        )
    }
}

/// A signature box as it will print.
#[derive(Debug, Clone, Serialize)]
pub struct SignatureBox {
    /// Role.
    pub role: String,
    /// Printed label.
    pub label: String,
    /// 意见 text, if given.
    pub opinion: Option<String>,
    /// Name (签名), if given.
    pub name: Option<String>,
    /// Date, if given.
    pub date: Option<String>,
    /// A signature image (path relative to the data file), if given.
    pub image: Option<String>,
    /// Whether this row's approval chain requires the box (the form prints every box).
    pub required: bool,
}

/// A validated row.
#[derive(Debug, Clone, Serialize)]
pub struct FormRecord {
    /// Excel row number.
    pub row: usize,
    /// Field and computed values by label, in definition order.
    pub values: Vec<(String, Value)>,
    /// Every signature box of the definition, in order; `required` marks the approval chain of
    /// this row.
    pub signatures: Vec<SignatureBox>,
    /// The form date (from `date_field`).
    pub date: Option<NaiveDate>,
    /// A number typed in the sheet (`编号` column), if any.
    pub given_number: Option<String>,
    /// What identifies this request in the numbering registry: the `识别码` column, or the
    /// definition's key fields with their values ([`row_key`]).
    pub key: String,
}

impl FormRecord {
    /// A value by label.
    pub fn get(&self, label: &str) -> Option<&Value> {
        self.values.iter().find(|(l, _)| l == label).map(|(_, v)| v)
    }
}

/// How headers map onto the definition.
#[derive(Debug, Clone, Default)]
pub struct ColumnMap {
    fields: BTreeMap<String, usize>,
    opinions: BTreeMap<String, usize>,
    names: BTreeMap<String, usize>,
    dates: BTreeMap<String, usize>,
    images: BTreeMap<String, usize>,
    number: Option<usize>,
    key: Option<usize>,
    /// Headers that match nothing (reported, not fatal).
    pub unknown: Vec<String>,
    /// Their column indexes (0-based), parallel to `unknown`.
    pub unknown_at: Vec<usize>,
    /// Required fields with no column (fatal for the whole sheet).
    pub missing: Vec<String>,
}

/// The header of the optional column that identifies a row explicitly (an OA 申请单号, say).
pub const KEY_COLUMN: &str = "识别码";

/// The fields that identify a request: the definition's `key`, else every required field,
/// else every field.
pub fn key_fields(def: &FormDef) -> Vec<&str> {
    if !def.key.is_empty() {
        return def.key.iter().map(String::as_str).collect();
    }
    let required: Vec<&str> = def
        .fields
        .iter()
        .filter(|f| f.required && f.required_when.is_empty())
        .map(|f| f.label.as_str())
        .collect();
    if required.is_empty() {
        def.fields.iter().map(|f| f.label.as_str()).collect()
    } else {
        required
    }
}

/// The registry key of a row: `识别码=…`, or `姓名=王某某；休假起止日期=2026年3月5日至…`
/// over the key fields, values in their canonical printed form (so `2026/3/5` and
/// `2026年3月5日` are the same request) and text without spaces or full-width letters.
pub fn row_key(def: &FormDef, values: &[(String, Value)], explicit: Option<&str>) -> String {
    if let Some(k) = explicit {
        return format!("{KEY_COLUMN}={}", normalize(k));
    }
    key_fields(def)
        .iter()
        .map(|label| {
            let v = lookup(values, label).map_or_else(String::new, |v| match v {
                Value::Text(t) => normalize(t),
                other => other.display(),
            });
            format!("{label}={v}")
        })
        .collect::<Vec<_>>()
        .join("；")
}

/// Excel column letters: 0 → A, 27 → AB.
pub fn column_letter(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(char::from(b'A' + u8::try_from(i % 26).unwrap_or(0)));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

/// Whether a header text is one the definition knows (used to find the header row).
pub fn knows_header(def: &FormDef, header: &str) -> bool {
    let h = normalize(header);
    def.fields.iter().any(|f| matches_field(f, &h))
        || def
            .signatures
            .iter()
            .any(|s| h.starts_with(&normalize(&s.role)))
        || def.computed.iter().any(|c| normalize(&c.label) == h)
        || h == KEY_COLUMN
}

fn matches_field(f: &FieldDef, h: &str) -> bool {
    let strip_unit = |s: &str| s.split(['（', '(']).next().unwrap_or(s).to_owned();
    normalize(&f.label) == h
        || f.aliases.iter().any(|a| normalize(a) == h)
        || strip_unit(h) == normalize(&f.label)
}

/// Maps the table's headers to fields, signature columns and the number column.
pub fn map_columns(def: &FormDef, table: &Table) -> ColumnMap {
    let mut map = ColumnMap::default();
    for (i, raw) in table.headers.iter().enumerate() {
        let h = normalize(raw);
        if h.is_empty() || h == "序号" || h == "行号" {
            continue;
        }
        if let Some(f) = def.fields.iter().find(|f| matches_field(f, &h)) {
            map.fields.entry(f.label.clone()).or_insert(i);
            continue;
        }
        if h == "编号" || h == "文号" && def.field("文号").is_none() {
            map.number = Some(i);
            continue;
        }
        if h == KEY_COLUMN {
            map.key = Some(i);
            continue;
        }
        if def.computed.iter().any(|c| normalize(&c.label) == h) {
            continue; // computed by the engine; a typed value is ignored
        }
        // The longest matching role wins: 办公室分管领导签名 belongs to 办公室分管领导, not 办公室.
        let sig = def
            .signatures
            .iter()
            .filter_map(|s| {
                let role = normalize(&s.role);
                let rest = h.strip_prefix(&role)?;
                Some((role.chars().count(), s.role.clone(), rest.to_owned()))
            })
            .max_by_key(|(n, _, _)| *n)
            .map(|(_, role, rest)| (role, rest));
        match sig {
            Some((role, rest))
                if rest == "意见"
                    || normalize(&format!("{role}{rest}"))
                        == normalize(
                            &def.signatures
                                .iter()
                                .find(|s| s.role == role)
                                .map(|s| s.label())
                                .unwrap_or_default(),
                        ) =>
            {
                map.opinions.insert(role, i);
            }
            Some((role, rest))
                if rest.is_empty() || rest == "签名" || rest == "签字" || rest == "姓名" =>
            {
                map.names.insert(role, i);
            }
            Some((role, rest)) if rest == "日期" || rest == "签字日期" || rest == "签名日期" =>
            {
                map.dates.insert(role, i);
            }
            Some((role, rest)) if rest == "签名图片" || rest == "签章图片" => {
                map.images.insert(role, i);
            }
            _ => {
                map.unknown.push(raw.clone());
                map.unknown_at.push(i);
            }
        }
    }
    for f in &def.fields {
        if f.required && f.required_when.is_empty() && !map.fields.contains_key(&f.label) {
            map.missing.push(f.label.clone());
        }
    }
    map
}

/// Options of a validation run.
#[derive(Debug, Clone, Copy, Default)]
pub struct FormCheck {
    /// Every box of the chain must carry a name (approved forms); otherwise boxes may be blank.
    pub require_signatures: bool,
}

/// Validates one row.
pub fn validate_row(
    def: &FormDef,
    map: &ColumnMap,
    row: &SheetRow,
    opts: FormCheck,
) -> Result<FormRecord, Vec<RowError>> {
    let mut errors = Vec::new();
    let mut values: Vec<(String, Value)> = Vec::new();
    let cell_at = |i: usize| row.cells.get(i).cloned().unwrap_or(Cell::Empty);
    let err = |errors: &mut Vec<RowError>,
               f: &str,
               col: Option<usize>,
               value: &Cell,
               code: &str,
               message: String,
               hint: &str| {
        errors.push(RowError {
            row: row.number,
            column: col.map(column_letter),
            field: f.to_owned(),
            value: value.display(),
            code: code.to_owned(),
            message,
            hint: hint.to_owned(),
        });
    };

    // Every cell that will print or be recorded: no control characters, no overlong text.
    let printed = map
        .opinions
        .iter()
        .chain(&map.names)
        .chain(&map.dates)
        .chain(&map.images)
        .map(|(role, i)| (format!("{role}（第 {} 列）", column_letter(*i)), *i))
        .chain(map.number.map(|i| ("编号".to_owned(), i)))
        .chain(map.key.map(|i| (KEY_COLUMN.to_owned(), i)));
    for (what, i) in printed {
        if let Some(problem) = cell_problem(&cell_at(i)) {
            let (code, message, hint) = problem;
            err(
                &mut errors,
                &what,
                Some(i),
                &cell_at(i),
                code,
                message,
                &hint,
            );
        }
    }
    // The year of the row's date, for dates and ranges typed without one (3月5日至6日).
    let row_year = def
        .date_field
        .as_deref()
        .and_then(|d| Some((def.field(d)?, map.fields.get(d).copied()?)))
        .and_then(|(f, i)| parse_field(f, &cell_at(i)).ok())
        .and_then(|v| match v {
            Value::Date(d) | Value::Range(d, _) => Some(d.year()),
            Value::DateTime(d) => Some(d.year()),
            _ => None,
        });
    for f in &def.fields {
        let col = map.fields.get(&f.label).copied();
        let cell = col.map(cell_at).unwrap_or(Cell::Empty);
        if cell.is_empty() {
            continue; // requiredness is checked once all values are known
        }
        match cell_problem(&cell).map_or_else(|| parse_field_in(f, &cell, row_year), Err) {
            Ok(v) => values.push((f.label.clone(), v)),
            Err((code, message, hint)) => {
                err(&mut errors, &f.label, col, &cell, code, message, &hint)
            }
        }
    }
    // One error per cause: a value that depends on a refused field is unknown, and nothing
    // that reads it is evaluated (computed values, conditional requiredness, rules, the chain).
    let mut refused: BTreeSet<String> = errors.iter().map(|e| e.field.clone()).collect();
    for c in &def.computed {
        if c.from.iter().any(|f| refused.contains(f)) {
            refused.insert(c.label.clone());
        }
    }
    let touches_refused = |c: &Condition| {
        refused.contains(&c.field) || c.other.as_ref().is_some_and(|o| refused.contains(o))
    };
    // Computed values.
    for c in &def.computed {
        if refused.contains(&c.label) {
            continue;
        }
        let v = match c.kind {
            ComputeKind::Days => c
                .from
                .first()
                .and_then(|s| lookup(&values, s))
                .and_then(Value::as_number)
                .map(Value::Number),
            ComputeKind::Sum if !c.factors.is_empty() => {
                // Weighted: a missing source counts 0 (no late arrivals this month). Amounts stay
                // amounts (an adjusted balance is 元), counted in 分.
                let parts: Vec<(&Value, f64)> = c
                    .from
                    .iter()
                    .zip(&c.factors)
                    .filter_map(|(s, k)| lookup(&values, s).map(|v| (v, *k)))
                    .collect();
                if !parts.is_empty() && parts.iter().all(|(v, _)| matches!(v, Value::Money(_))) {
                    let fen: f64 = parts
                        .iter()
                        .map(|(v, k)| {
                            if let Value::Money(f) = v {
                                *f as f64 * k
                            } else {
                                0.0
                            }
                        })
                        .sum();
                    Some(Value::Money(fen.round() as i64))
                } else {
                    Some(Value::Number(
                        parts
                            .iter()
                            .filter_map(|(v, k)| v.as_number().map(|n| n * k))
                            .sum(),
                    ))
                }
            }
            ComputeKind::Sum => {
                let parts: Vec<&Value> = c.from.iter().filter_map(|s| lookup(&values, s)).collect();
                if parts.iter().all(|v| matches!(v, Value::Money(_))) && !parts.is_empty() {
                    Some(Value::Money(
                        parts
                            .iter()
                            .map(|v| if let Value::Money(f) = v { *f } else { 0 })
                            .sum(),
                    ))
                } else {
                    Some(Value::Number(
                        parts.iter().filter_map(|v| v.as_number()).sum(),
                    ))
                }
            }
            ComputeKind::Capital => c
                .from
                .first()
                .and_then(|s| lookup(&values, s))
                .and_then(|v| {
                    if let Value::Money(f) = v {
                        Some(Value::Text(value::capital(*f)))
                    } else {
                        None
                    }
                }),
            ComputeKind::PerDay => {
                let money = c.from.first().and_then(|s| lookup(&values, s));
                let days = c
                    .from
                    .get(1)
                    .and_then(|s| lookup(&values, s))
                    .and_then(Value::as_number);
                match (money, days) {
                    (Some(Value::Money(fen)), Some(d)) if d > 0.0 => {
                        Some(Value::Money((*fen as f64 / d).round() as i64))
                    }
                    _ => None,
                }
            }
            ComputeKind::Interval => {
                // A range ends a gap by its last day and starts one by its first.
                let day = |i: usize, first: bool| {
                    c.from
                        .get(i)
                        .and_then(|s| lookup(&values, s))
                        .and_then(|v| match v {
                            Value::Date(d) => Some(*d),
                            Value::Range(a, b) => Some(if first { *b } else { *a }),
                            Value::DateTime(d) => Some(d.date()),
                            _ => None,
                        })
                };
                match (day(0, true), day(1, false)) {
                    (Some(a), Some(b)) => Some(Value::Number((b - a).num_days() as f64)),
                    _ => None,
                }
            }
            ComputeKind::Hours => {
                let at = |i: usize| {
                    c.from
                        .get(i)
                        .and_then(|s| lookup(&values, s))
                        .and_then(|v| match v {
                            Value::DateTime(d) => Some(*d),
                            Value::Date(d) => d.and_hms_opt(0, 0, 0),
                            _ => None,
                        })
                };
                match (at(0), at(1)) {
                    (Some(a), Some(b)) => {
                        // Floored to 0.01 h, so 1 h 59 min stays below a 2-hour limit.
                        let minutes = (b - a).num_minutes() as f64;
                        Some(Value::Number((minutes * 100.0 / 60.0).floor() / 100.0))
                    }
                    _ => None,
                }
            }
            ComputeKind::Years => {
                let from = c.from.first().and_then(|s| lookup(&values, s));
                let to = def.date_field.as_deref().and_then(|d| lookup(&values, d));
                match (from, to) {
                    (Some(Value::Date(a)), Some(Value::Date(b))) => {
                        Some(Value::Number(f64::from(years_between(*a, *b))))
                    }
                    _ => None,
                }
            }
        };
        if let Some(v) = v {
            values.push((c.label.clone(), v));
        }
    }
    // Requiredness (plain and conditional).
    for f in &def.fields {
        if values.iter().any(|(l, _)| *l == f.label)
            || refused.contains(&f.label)
            || f.required_when.iter().any(touches_refused)
        {
            continue;
        }
        let conditional =
            !f.required_when.is_empty() && f.required_when.iter().all(|c| holds(c, &values));
        if (f.required && f.required_when.is_empty()) || conditional {
            let why = if conditional {
                "按规则此项必填"
            } else {
                "必填项为空"
            };
            err(
                &mut errors,
                &f.label,
                map.fields.get(&f.label).copied(),
                &Cell::Empty,
                "form.required",
                why.to_owned(),
                &format!("填写“{}”", f.label),
            );
        }
    }
    // Cross-field rules. A rule over a cell that could not be read (or a value computed from
    // one) is skipped: that cell's own error says what is wrong, and a second message about it
    // would only mislead.
    for r in &def.rules {
        if r.when.iter().chain(&r.check).any(touches_refused) {
            continue;
        }
        if r.when.iter().all(|c| holds(c, &values)) && !r.check.iter().all(|c| holds(c, &values)) {
            let field = r.check.first().map(|c| c.field.clone()).unwrap_or_default();
            let shown = lookup(&values, &field)
                .map(Value::display)
                .unwrap_or_default();
            let col = map.fields.get(&field).copied();
            errors.push(RowError {
                row: row.number,
                column: col.map(column_letter),
                field,
                value: shown,
                code: format!("form.{}.{}", def.id, r.code),
                message: r.message.clone(),
                hint: r
                    .source
                    .clone()
                    .map(|s| format!("依据：{s}"))
                    .unwrap_or_else(|| "核对相关字段".into()),
            });
        }
    }
    // The approval chain.
    let mut signatures = Vec::new();
    for s in &def.signatures {
        if s.when_any.iter().flatten().any(touches_refused) {
            continue; // the chain is unknown until the refused field is fixed
        }
        let required = s.required
            || s.when_any
                .iter()
                .any(|g| g.iter().all(|c| holds(c, &values)));
        let text = |m: &BTreeMap<String, usize>| {
            m.get(&s.role)
                .map(|i| cell_at(*i))
                .filter(|c| !c.is_empty())
                .map(|c| c.display())
        };
        let (opinion, name) = (text(&map.opinions), text(&map.names));
        let date = map
            .dates
            .get(&s.role)
            .map(|i| cell_at(*i))
            .filter(|c| !c.is_empty())
            .map(|c| {
                value::parse_date(&c)
                    .map(value::chinese_date)
                    .unwrap_or_else(|| c.display())
            });
        if !required {
            if name.is_some() || opinion.is_some() {
                errors.push(RowError {
                    row: row.number,
                    column: map
                        .names
                        .get(&s.role)
                        .or(map.opinions.get(&s.role))
                        .copied()
                        .map(column_letter),
                    field: s.label(),
                    value: name.clone().or(opinion.clone()).unwrap_or_default(),
                    code: "form.signature.not_in_chain".into(),
                    message: format!("按本行数据，审批链不包括“{}”", s.role),
                    hint: s
                        .rule
                        .clone()
                        .unwrap_or_else(|| "删除该签字，或核对金额/天数等决定审批链的字段".into()),
                });
            }
            signatures.push(SignatureBox {
                role: s.role.clone(),
                label: s.label(),
                opinion: None,
                name: None,
                date: None,
                image: None,
                required: false,
            });
            continue;
        }
        if opts.require_signatures && name.is_none() {
            errors.push(RowError {
                row: row.number,
                column: map.names.get(&s.role).copied().map(column_letter),
                field: s.label(),
                value: String::new(),
                code: "form.signature.missing".into(),
                message: format!("审批链要求“{}”签字，但没有签名", s.role),
                hint: s
                    .rule
                    .clone()
                    .unwrap_or_else(|| format!("填写“{}签名”列", s.role)),
            });
        }
        let image = text(&map.images);
        if opts.require_signatures && name.is_none() && image.is_some() {
            errors.retain(|e| !(e.code == "form.signature.missing" && e.field == s.label()));
        }
        signatures.push(SignatureBox {
            role: s.role.clone(),
            label: s.label(),
            opinion,
            name,
            date,
            image,
            required: true,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let date = def
        .date_field
        .as_deref()
        .and_then(|d| lookup(&values, d))
        .and_then(|v| match v {
            Value::Date(d) => Some(*d),
            Value::Range(a, _) => Some(*a),
            Value::DateTime(d) => Some(d.date()),
            _ => None,
        });
    let given_number = map
        .number
        .map(cell_at)
        .filter(|c| !c.is_empty())
        .map(|c| value::nfkc(&c.display()).trim().to_owned());
    let explicit_key = map
        .key
        .map(cell_at)
        .filter(|c| !c.is_empty())
        .map(|c| c.display());
    let key = row_key(def, &values, explicit_key.as_deref());
    Ok(FormRecord {
        row: row.number,
        values,
        signatures,
        date,
        given_number,
        key,
    })
}

fn years_between(a: NaiveDate, b: NaiveDate) -> i32 {
    let mut y = b.year() - a.year();
    if (b.month(), b.day()) < (a.month(), a.day()) {
        y -= 1;
    }
    y.max(0)
}

fn lookup<'a>(values: &'a [(String, Value)], label: &str) -> Option<&'a Value> {
    values.iter().find(|(l, _)| l == label).map(|(_, v)| v)
}

/// Whether a condition holds on the values (a condition on a missing value does not hold).
pub fn holds(c: &Condition, values: &[(String, Value)]) -> bool {
    let Some(v) = lookup(values, &c.field) else {
        return c.op == Op::Absent;
    };
    if c.op == Op::Absent {
        return false;
    }
    if c.op == Op::Present {
        return true;
    }
    let rhs: Option<serde_json::Value> = match (&c.other, &c.value) {
        (Some(o), _) => lookup(values, o).map(|v| match v {
            // Dates compare as dates (a range by its first day).
            Value::Date(d) | Value::Range(d, _) => {
                serde_json::json!(d.format("%Y-%m-%d").to_string())
            }
            Value::DateTime(d) => serde_json::json!(d.format("%Y-%m-%d %H:%M").to_string()),
            _ => match v.as_number() {
                Some(n) => serde_json::json!(n),
                None => serde_json::json!(v.display()),
            },
        }),
        (None, Some(val)) => Some(val.clone()),
        _ => None,
    };
    let Some(rhs) = rhs else { return false };
    let text = match v {
        Value::Text(t) => Some(t.clone()),
        Value::Bool(b) => Some(if *b { "是" } else { "否" }.to_owned()),
        _ => None,
    };
    match c.op {
        Op::In | Op::NotIn => {
            let list = rhs.as_array().cloned().unwrap_or_default();
            let shown = text.unwrap_or_else(|| v.display());
            let found = list.iter().any(|x| {
                x.as_str() == Some(shown.as_str())
                    || x.as_f64().is_some_and(|n| v.as_number() == Some(n))
            });
            (c.op == Op::In) == found
        }
        _ => {
            if let (Some(a), Some(b)) = (v.as_number(), rhs.as_f64()) {
                // Compare in 分/half-units exactly enough: amounts carry two decimals.
                let (a, b) = ((a * 100.0).round(), (b * 100.0).round());
                match c.op {
                    Op::Gt => a > b,
                    Op::Ge => a >= b,
                    Op::Lt => a < b,
                    Op::Le => a <= b,
                    Op::Eq => a == b,
                    Op::Ne => a != b,
                    _ => false,
                }
            } else if let Some(o) = rhs.as_str().and_then(|b| compare_moments(v, b)) {
                cmp_op(c.op, o)
            } else {
                let a = text.unwrap_or_else(|| v.display());
                let b = rhs
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| rhs.to_string());
                match c.op {
                    Op::Eq => a == b,
                    Op::Ne => a != b,
                    _ => false,
                }
            }
        }
    }
}

/// A point in time as written in a cell or a condition: a date, a date and time, or a time of day.
#[derive(Debug, Clone, Copy)]
enum Moment {
    Day(NaiveDate),
    At(NaiveDateTime),
    Clock(chrono::NaiveTime),
}

fn moment_of_str(s: &str) -> Option<Moment> {
    let s = s.trim().replace('：', ":");
    if let Ok(t) = chrono::NaiveTime::parse_from_str(&s, "%H:%M") {
        return Some(Moment::Clock(t));
    }
    if let Some((d, t)) = s.rsplit_once(' ')
        && let (Some(d), Ok(t)) = (
            value::parse_date_text(d),
            chrono::NaiveTime::parse_from_str(t.trim(), "%H:%M"),
        )
    {
        return Some(Moment::At(NaiveDateTime::new(d, t)));
    }
    value::parse_date_text(&s).map(Moment::Day)
}

fn moment_of(v: &Value) -> Option<Moment> {
    match v {
        Value::Date(d) | Value::Range(d, _) => Some(Moment::Day(*d)),
        Value::DateTime(d) => Some(Moment::At(*d)),
        Value::Text(t) => moment_of_str(t).filter(|m| matches!(m, Moment::Clock(_))),
        _ => None,
    }
}

/// Orders two moments: date against date-time compares the days; times of day compare as times.
fn compare_moments(v: &Value, rhs: &str) -> Option<std::cmp::Ordering> {
    use Moment::*;
    match (moment_of(v)?, moment_of_str(rhs)?) {
        (Day(a), Day(b)) => Some(a.cmp(&b)),
        (Day(a), At(b)) => Some(a.cmp(&b.date())),
        (At(a), Day(b)) => Some(a.date().cmp(&b)),
        (At(a), At(b)) => Some(a.cmp(&b)),
        (Clock(a), Clock(b)) => Some(a.cmp(&b)),
        (At(a), Clock(b)) => Some(a.time().cmp(&b)),
        _ => None,
    }
}

fn cmp_op(op: Op, o: std::cmp::Ordering) -> bool {
    use std::cmp::Ordering::*;
    match op {
        Op::Gt => o == Greater,
        Op::Ge => o != Less,
        Op::Lt => o == Less,
        Op::Le => o != Greater,
        Op::Eq => o == Equal,
        Op::Ne => o != Equal,
        _ => false,
    }
}

type FieldError = (&'static str, String, String);

/// What makes a cell unreadable whatever its field: text past the reader's length limit, or a
/// control character (it would vanish or print as a box, and may hide other content).
fn cell_problem(cell: &Cell) -> Option<FieldError> {
    match cell {
        Cell::TooLong { chars, .. } => Some((
            "form.cell_too_long",
            format!("单元格有 {chars} 字，超过上限"),
            "缩短内容（上限 [limits] sheet_max_cell_chars，可在 wenshu.toml 的 [limits] 中调整）"
                .into(),
        )),
        Cell::Text(t) => crate::ingest::data::first_control_char(t).map(|c| {
            (
                "form.control_char",
                format!(
                    "含控制字符 U+{:04X}（{}），无法打印",
                    u32::from(c),
                    crate::ingest::data::control_name(c)
                ),
                "删除该字符（多由其他系统导出或复制时带入）".into(),
            )
        }),
        _ => None,
    }
}

/// Parses one non-empty cell by its field type and checks its constraints.
pub fn parse_field(f: &FieldDef, cell: &Cell) -> Result<Value, FieldError> {
    parse_field_in(f, cell, None)
}

/// [`parse_field`] for a row whose date field gives `row_year` to dates typed without a year.
pub fn parse_field_in(
    f: &FieldDef,
    cell: &Cell,
    row_year: Option<i32>,
) -> Result<Value, FieldError> {
    if let Some(problem) = cell_problem(cell) {
        return Err(problem);
    }
    let shown = cell.display();
    // Typed values are read after NFKC (full-width digits and separators); text keeps its form.
    let typed = value::nfkc(&shown);
    let bad = |code: &'static str, msg: String, hint: String| Err((code, msg, hint));
    let v = match f.ty {
        FieldType::Text | FieldType::Multiline => Value::Text(shown.clone()),
        FieldType::Person => {
            let n = shown.chars().count();
            if !(2..=20).contains(&n) || shown.chars().any(|c| c.is_ascii_digit()) {
                return bad(
                    "form.person",
                    format!("“{shown}”不像一个姓名"),
                    "填写 2–20 个字的姓名".into(),
                );
            }
            Value::Text(shown.clone())
        }
        FieldType::Integer | FieldType::Decimal => {
            let Some(n) = value::parse_number(cell) else {
                return bad(
                    "form.number",
                    format!("“{shown}”不是数字"),
                    "只填阿拉伯数字，如 3 或 2.5".into(),
                );
            };
            if f.ty == FieldType::Integer && n.fract() != 0.0 {
                return bad(
                    "form.integer",
                    format!("“{shown}”应为整数"),
                    "去掉小数部分".into(),
                );
            }
            Value::Number(n)
        }
        FieldType::Money => match value::parse_money(cell) {
            Some(fen) => Value::Money(fen),
            None => {
                return bad(
                    "form.money",
                    format!("“{shown}”不是金额"),
                    "填写以元为单位的数字，如 12345.60".into(),
                );
            }
        },
        FieldType::Date => match value::parse_date(cell).or_else(|| {
            // 3月5日 in a row whose date field gives the year.
            let y = row_year?;
            typed
                .contains('月')
                .then(|| value::parse_date_text(&format!("{y}年{typed}")))
                .flatten()
        }) {
            Some(d) => Value::Date(d),
            None => {
                return bad(
                    "form.date",
                    format!("“{shown}”不是有效日期"),
                    "写作 2024年3月5日、2024-03-05 或 2024/3/5".into(),
                );
            }
        },
        FieldType::DateRange => match value::parse_range_in(&shown, row_year) {
            Some((a, b)) if a <= b => Value::Range(a, b),
            Some(_) => {
                return bad(
                    "form.range_order",
                    format!("“{shown}”的结束日期早于开始日期"),
                    "先写开始日期，再写结束日期".into(),
                );
            }
            None => {
                return bad(
                    "form.date_range",
                    format!("“{shown}”不是起止日期"),
                    "写作 2024年3月5日至2024年3月7日、2024年3月5日-7日 或 3月5日至7日".into(),
                );
            }
        },
        FieldType::Time => {
            let t = typed.replace(['时', '点'], ":").replace('分', "");
            let t = t.trim();
            match chrono::NaiveTime::parse_from_str(t, "%H:%M")
                .or_else(|_| chrono::NaiveTime::parse_from_str(t, "%H:%M:%S"))
            {
                Ok(tm) => Value::Text(tm.format("%H:%M").to_string()),
                Err(_) => match cell {
                    Cell::Number(n) if (0.0..1.0).contains(n) => {
                        let mins = (n * 1440.0).round() as u32;
                        Value::Text(format!("{:02}:{:02}", mins / 60, mins % 60))
                    }
                    _ => {
                        return bad(
                            "form.time",
                            format!("“{shown}”不是时间"),
                            "写作 14:30".into(),
                        );
                    }
                },
            }
        }
        FieldType::Datetime => {
            let parsed = match cell {
                Cell::DateTime(d) => Some(*d),
                Cell::Number(n) => value::excel_serial(*n),
                _ => {
                    let t = typed.trim().to_owned();
                    let (d, tm) = t.rsplit_once(' ').unwrap_or((&t, "00:00"));
                    value::parse_date_text(d).and_then(|d| {
                        chrono::NaiveTime::parse_from_str(tm.trim(), "%H:%M")
                            .ok()
                            .map(|tm| NaiveDateTime::new(d, tm))
                    })
                }
            };
            match parsed {
                Some(d) => Value::DateTime(d),
                None => {
                    return bad(
                        "form.datetime",
                        format!("“{shown}”不是日期时间"),
                        "写作 2024-03-05 14:30".into(),
                    );
                }
            }
        }
        FieldType::Enum => {
            let typed = normalize(&typed);
            if !f
                .options
                .iter()
                .any(|o| normalize(&value::nfkc(o)) == typed)
            {
                return bad(
                    "form.enum",
                    format!("“{shown}”不在可选值中"),
                    format!("可选：{}", f.options.join("、")),
                );
            }
            Value::Text(
                f.options
                    .iter()
                    .find(|o| normalize(&value::nfkc(o)) == typed)
                    .cloned()
                    .unwrap_or(shown.clone()),
            )
        }
        FieldType::Phone => match value::parse_phone(&shown) {
            Some(p) => Value::Text(p),
            None => {
                return bad(
                    "form.phone",
                    format!("“{shown}”不是一个电话号码"),
                    "只填号码：手机 11 位（如 13908591234），或 区号-号码（如 0859-6212345），分机写作 转801".into(),
                );
            }
        },
        FieldType::IdNumber => match id_number_check(&typed) {
            Ok(id) => Value::Text(id),
            Err(why) => {
                return bad(
                    "form.id_number",
                    format!("“{shown}”不是有效的身份证号：{why}"),
                    "18 位（GB 11643）：6 位地址码、8 位出生日期、3 位顺序码、1 位校验码（0–9 或 X）".into(),
                );
            }
        },
        FieldType::Checkbox => match typed.trim() {
            "是" | "√" | "✓" | "✔" | "☑" | "1" | "true" | "TRUE" | "Y" | "y" | "有" => {
                Value::Bool(true)
            }
            "否" | "×" | "☐" | "□" | "0" | "false" | "FALSE" | "N" | "n" | "无" => {
                Value::Bool(false)
            }
            _ => {
                return bad(
                    "form.checkbox",
                    format!("“{shown}”应为 是 或 否"),
                    "填写 是/否 或 √".into(),
                );
            }
        },
        FieldType::Table => {
            let rows: Vec<Vec<String>> = shown
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty())
                .map(|l| {
                    l.split(['|', '\t', '，', ','])
                        .map(|c| c.trim().to_owned())
                        .collect()
                })
                .collect();
            let width = f.columns.len().max(1);
            if let Some((i, r)) = rows.iter().enumerate().find(|(_, r)| r.len() != width) {
                return bad(
                    "form.table",
                    format!(
                        "第 {} 行有 {} 项，应为 {width} 项（{}）",
                        i + 1,
                        r.len(),
                        f.columns.join("、")
                    ),
                    "每行一条，项与项之间用 | 或逗号分隔".into(),
                );
            }
            if let Some(max) = f.max_rows
                && rows.len() > max
            {
                return bad(
                    "form.table_rows",
                    format!("共 {} 行，最多 {max} 行", rows.len()),
                    format!("超过 {max} 行时另附名单"),
                );
            }
            if let Some(min) = f.min_rows
                && rows.len() < min
            {
                return bad(
                    "form.table_rows",
                    format!("共 {} 行，至少 {min} 行", rows.len()),
                    format!("至少填写 {min} 行"),
                );
            }
            Value::Table(rows)
        }
        FieldType::DocNumber => match crate::number::pattern::parse(&shown) {
            Ok(_) => Value::Text(shown.clone()),
            Err(e) => {
                return bad(
                    "form.doc_number",
                    format!("“{shown}”：{}", e.message()),
                    "格式：机关代字〔年份〕顺序号号".into(),
                );
            }
        },
    };
    if let Some(n) = v
        .as_number()
        .filter(|_| matches!(v, Value::Number(_) | Value::Money(_)))
    {
        if let Some(min) = f.min
            && n < min
        {
            return bad(
                "form.min",
                format!(
                    "{} 小于最小值 {}",
                    value::format_number(n),
                    value::format_number(min)
                ),
                format!("应不小于 {}", value::format_number(min)),
            );
        }
        if let Some(max) = f.max
            && n > max
        {
            return bad(
                "form.max",
                format!(
                    "{} 超过最大值 {}",
                    value::format_number(n),
                    value::format_number(max)
                ),
                format!("应不超过 {}", value::format_number(max)),
            );
        }
        if let Some(step) = f.step
            && ((n / step).round() * step - n).abs() > 1e-9
        {
            return bad(
                "form.step",
                format!(
                    "{} 不是 {} 的整数倍",
                    value::format_number(n),
                    value::format_number(step)
                ),
                format!("以 {} 为单位填写", value::format_number(step)),
            );
        }
    }
    if let Value::Text(t) = &v {
        if let Some(max) = f.max_len
            && t.chars().count() > max
        {
            return bad(
                "form.length",
                format!("共 {} 字，超过 {max} 字", t.chars().count()),
                format!("压缩到 {max} 字以内"),
            );
        }
        if let Some(p) = &f.pattern
            && !crate::regexes::is_match(p, t)
        {
            return bad(
                "form.pattern",
                format!("“{t}”格式不符"),
                f.pattern_hint
                    .clone()
                    .unwrap_or_else(|| format!("应匹配 {p}")),
            );
        }
    }
    Ok(v)
}

/// GB 11643 resident ID: 17 digits + check character.
pub fn id_number_ok(s: &str) -> bool {
    id_number_check(s).is_ok()
}

/// Checks a GB 11643-1999 citizen identification number (after NFKC, so full-width digits
/// are read): 17 digits, a real birth date at positions 7–14, and the ISO 7064 MOD 11-2 check
/// character. Returns the number with an upper-case X, or why it is wrong.
pub fn id_number_check(s: &str) -> Result<String, String> {
    let s = value::nfkc(s).trim().to_uppercase();
    let b = s.as_bytes();
    if b.len() != 18 {
        return Err(format!("应为 18 位，实为 {} 位", s.chars().count()));
    }
    if !b[..17].iter().all(u8::is_ascii_digit) || !(b[17].is_ascii_digit() || b[17] == b'X') {
        return Err("前 17 位应为数字，最后一位为数字或 X".into());
    }
    let birth = &s[6..14];
    if NaiveDate::parse_from_str(birth, "%Y%m%d").is_err() {
        return Err(format!("第 7–14 位的出生日期 {birth} 不是有效日期"));
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const C: &[u8; 11] = b"10X98765432";
    let sum: u32 = b[..17]
        .iter()
        .zip(W)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let want = C[(sum % 11) as usize];
    if want != b[17] {
        return Err(format!(
            "校验码应为 {}，实为 {}",
            char::from(want),
            char::from(b[17])
        ));
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_numbers_and_columns() {
        assert!(id_number_ok("11010519491231002X"));
        assert!(!id_number_ok("110105194912310021"));
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }
}
