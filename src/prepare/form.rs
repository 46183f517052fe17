//! Form records → `/data.json` for `templates/forms/form.typ`.
//!
//! The paper layout is decided here: which cells share a table row, how wide the label column is
//! (wide enough that no label takes more than two lines), repeated groups as tables, checkboxes as
//! □/☑, amounts with their unit, and where each cell's text may break (between words only,
//! [`crate::prepare::cells`]). The template only places what it is given.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde_json::{Value as Json, json};

use crate::error::{Error, Result};
use crate::form::schema::{FieldType, FormDef, GroupDef, GroupKind, Orientation};
use crate::model::value::{self, Value};
use crate::prepare::cells;
use crate::prepare::pattern;
use crate::validate::form::FormRecord;

/// Side margin of forms and registers (`templates/forms/common.typ`), mm.
pub const MARGIN_X_MM: f64 = 18.0;
/// Horizontal inset of a form's cells (`form.typ`), mm.
const INSET_X_MM: f64 = 2.0;
/// Label size (黑体 五号), pt.
const LABEL_PT: f64 = 11.0;
/// Nested-table text size, pt.
const TABLE_PT: f64 = 10.5;
/// Label column limits, mm.
const LABEL_MIN_MM: f64 = 22.0;
const LABEL_MAX_MM: f64 = 46.0;
/// Labels up to this width (em) are kept on one line.
const ONE_LINE_LABEL_EM: f64 = 6.0;
/// Signature box height when the definition gives none, mm.
pub const SIGNATURE_BOX_MM: f64 = 24.0;

/// Millimetres in a point.
pub fn pt_mm(pt: f64) -> f64 {
    pt * 25.4 / 72.0
}

/// Renders a placeholder pattern (numbering, file names, issuer); never reaches Typst source.
pub fn render_pattern(pattern: &str, values: &BTreeMap<String, String>) -> Result<String> {
    pattern::render(pattern, values).map_err(|e| Error::Template(format!("模式“{pattern}”：{e}")))
}

/// The line above the title: the definition's `issuer` pattern with `{office}`.
pub fn issuer_line(def: &FormDef, office: &str) -> Result<String> {
    match &def.issuer {
        Some(p) => render_pattern(
            p,
            &BTreeMap::from([("office".to_owned(), office.to_owned())]),
        ),
        None => Ok(String::new()),
    }
}

/// The number of a record: `numbering` with `year` (from the form date) and `seq`.
pub fn number_for(def: &FormDef, rec: &FormRecord, seq: u32) -> Result<Option<String>> {
    if let Some(n) = &rec.given_number {
        return Ok(Some(n.clone()));
    }
    match (&def.numbering, rec.date) {
        (Some(p), Some(d)) => render_pattern(
            p,
            &BTreeMap::from([
                ("year".to_owned(), d.year().to_string()),
                ("seq".to_owned(), seq.to_string()),
            ]),
        )
        .map(Some),
        _ => Ok(None),
    }
}

/// Signature images of a record, read from disk (relative to `base`) and served under `/assets/`.
pub fn signature_assets(
    rec: &FormRecord,
    base: &std::path::Path,
) -> Result<Vec<(String, Vec<u8>)>> {
    let mut out = Vec::new();
    for (i, s) in rec.signatures.iter().enumerate() {
        if let Some(rel) = &s.image {
            out.push(crate::prepare::read_asset(
                base,
                rel,
                &format!("signature-{i}"),
            )?);
        }
    }
    Ok(out)
}

/// A number with `decimals` places (none: as typed, without trailing zeros).
pub fn format_decimal(n: f64, decimals: Option<u8>) -> String {
    match decimals {
        Some(d) => format!("{n:.*}", usize::from(d)),
        None => value::format_number(n),
    }
}

/// A value as a form prints it in a label/value cell: money with two decimals, thousands
/// separators and 元 (and its 大写 where the field asks), numbers with their unit.
pub fn shown(def: &FormDef, label: &str, v: &Value) -> String {
    let unit = def.unit_of(label);
    let with_unit = |s: String| match &unit {
        Some(u) => format!("{s} {u}"),
        None => s,
    };
    let field = def.field(label);
    match v {
        Value::Money(fen) => {
            let s = with_unit(value::format_money(*fen));
            if field.is_some_and(|f| f.capital) {
                format!("{s}（大写：{}）", value::capital(*fen))
            } else {
                s
            }
        }
        Value::Number(n) => with_unit(format_decimal(*n, field.and_then(|f| f.decimals))),
        other => other.display(),
    }
}

/// A value as a table or register cell prints it: the unit is in the column head.
pub fn shown_in_column(def: &FormDef, label: &str, v: &Value) -> String {
    match v {
        Value::Money(fen) => value::format_money(*fen),
        Value::Number(n) => format_decimal(*n, def.field(label).and_then(|f| f.decimals)),
        other => other.display(),
    }
}

/// A column head with its unit: `金额（元）`.
pub fn head_with_unit(def: &FormDef, label: &str) -> String {
    match def.unit_of(label) {
        Some(u) => format!("{label}（{u}）"),
        None => label.to_owned(),
    }
}

/// Page geometry of a form.
struct Page {
    /// Width between the side margins, mm.
    content_mm: f64,
    /// Label column width, mm.
    label_mm: f64,
    pairs: usize,
}

impl Page {
    /// Width of one value column, mm (inner, without insets).
    fn value_mm(&self) -> f64 {
        (self.content_mm - self.pairs as f64 * self.label_mm) / self.pairs as f64
    }

    /// Inner width of a value cell spanning `span` columns, mm.
    fn span_mm(&self, span: usize) -> f64 {
        let extra_pairs = (span.saturating_sub(1)) / 2;
        self.value_mm() + extra_pairs as f64 * (self.label_mm + self.value_mm()) - 2.0 * INSET_X_MM
    }
}

/// What one label/value cell holds.
enum Content {
    Text(String),
    /// A checkbox: ticked, not ticked, or left blank.
    Check(Option<bool>),
    /// A table: heads, body rows, blank rows, optional 合计 row, numeric columns.
    Table {
        heads: Vec<String>,
        rows: Vec<Vec<String>>,
        blank: usize,
        total: Option<Vec<String>>,
        numeric: Vec<bool>,
    },
    /// Checkboxes in one cell.
    Checks(Vec<(String, bool)>),
}

struct Cell {
    label: String,
    content: Content,
    wide: bool,
    height_mm: Option<f64>,
}

/// Text size of a long value: long text shrinks within limits before the form grows a page.
fn fitted_pt(text: &str) -> f64 {
    let n = text.chars().count();
    if n > 240 {
        9.0
    } else if n > 100 {
        10.5
    } else {
        12.0
    }
}

/// The cells of a record in print order: fields (a group where its first field stands), each
/// computed value after its first source (inside its group's 合计 row when it is the total).
fn cells(def: &FormDef, rec: &FormRecord) -> Vec<Cell> {
    let mut out = Vec::new();
    let mut done_groups: Vec<&str> = Vec::new();
    let computed_after = |label: &str, out: &mut Vec<Cell>| {
        for c in def.computed.iter().filter(|c| {
            c.from.first().map(String::as_str) == Some(label)
                && !def
                    .groups
                    .iter()
                    .any(|g| g.total.as_deref() == Some(&c.label))
        }) {
            out.push(Cell {
                label: c.label.clone(),
                content: Content::Text(
                    rec.get(&c.label)
                        .map(|v| shown(def, &c.label, v))
                        .unwrap_or_default(),
                ),
                wide: c.wide,
                height_mm: None,
            });
        }
    };
    for f in &def.fields {
        if let Some(g) = def.group_of(&f.label) {
            if !done_groups.contains(&g.label.as_str()) {
                done_groups.push(&g.label);
                out.push(group_cell(def, rec, g));
                // Computed values of the group's fields print after the whole group.
                for m in g.members() {
                    computed_after(&m, &mut out);
                }
            }
            continue;
        }
        let v = rec.get(&f.label);
        let content = match (f.ty, v) {
            (FieldType::Checkbox, v) => Content::Check(match v {
                Some(Value::Bool(b)) => Some(*b),
                _ => None,
            }),
            (FieldType::Table, v) => {
                let rows = match v {
                    Some(Value::Table(rows)) => rows.clone(),
                    _ => Vec::new(),
                };
                let blank = f.max_rows.map_or(if rows.is_empty() { 2 } else { 0 }, |m| {
                    m.saturating_sub(rows.len())
                });
                Content::Table {
                    heads: f.columns.clone(),
                    numeric: vec![false; f.columns.len()],
                    rows,
                    blank,
                    total: None,
                }
            }
            (_, Some(v)) => Content::Text(shown(def, &f.label, v)),
            (_, None) => Content::Text(String::new()),
        };
        out.push(Cell {
            label: f.label.clone(),
            wide: f.wide || matches!(f.ty, FieldType::Multiline | FieldType::Table),
            height_mm: f.height_mm,
            content,
        });
        computed_after(&f.label, &mut out);
    }
    out
}

/// A group as one cell: a table (one row per entry, blank rows kept, 合计 row), or checkboxes.
fn group_cell(def: &FormDef, rec: &FormRecord, g: &GroupDef) -> Cell {
    let content = match g.kind {
        GroupKind::Checks => Content::Checks(
            g.fields
                .iter()
                .map(|f| (f.clone(), matches!(rec.get(f), Some(Value::Bool(true)))))
                .collect(),
        ),
        GroupKind::Table => {
            let first = |c: &str| format!("{c}1");
            let numeric: Vec<bool> = g
                .columns
                .iter()
                .map(|c| {
                    def.field(&first(c)).is_some_and(|f| {
                        matches!(
                            f.ty,
                            FieldType::Money | FieldType::Integer | FieldType::Decimal
                        )
                    })
                })
                .collect();
            let heads = g
                .columns
                .iter()
                .map(|c| match def.unit_of(&first(c)) {
                    Some(u) => format!("{c}（{u}）"),
                    None => c.clone(),
                })
                .collect();
            let mut rows = Vec::new();
            let mut blank = 0;
            for n in 1..=g.rows {
                let row: Vec<String> = g
                    .columns
                    .iter()
                    .map(|c| {
                        let l = format!("{c}{n}");
                        rec.get(&l)
                            .map(|v| shown_in_column(def, &l, v))
                            .unwrap_or_default()
                    })
                    .collect();
                if row.iter().all(String::is_empty) {
                    blank += 1;
                } else {
                    // Entries print in order; a blank line between two entries stays blank.
                    for _ in 0..blank {
                        rows.push(vec![String::new(); g.columns.len()]);
                    }
                    blank = 0;
                    rows.push(row);
                }
            }
            let total = g.total.as_ref().and_then(|t| {
                let c = def.computed(t)?;
                let col = g.columns.iter().position(|col| {
                    c.from.iter().any(|s| {
                        s.strip_prefix(col.as_str())
                            .is_some_and(|n| !n.is_empty() && n.chars().all(|d| d.is_ascii_digit()))
                    })
                })?;
                let mut row = vec![String::new(); g.columns.len()];
                row[col] = rec
                    .get(t)
                    .map(|v| shown_in_column(def, t, v))
                    .unwrap_or_default();
                if col > 0 {
                    row[0] = "合计".into();
                }
                Some(row)
            });
            Content::Table {
                heads,
                rows,
                blank,
                total,
                numeric,
            }
        }
    };
    Cell {
        label: g.label.clone(),
        content,
        wide: true,
        height_mm: None,
    }
}

/// Lays cells into table rows: ordinary cells fill `pairs` per row, a wide cell takes a row of
/// its own; the last cell of a row spans what is left. (cell, column span) per row.
fn rows(cells: Vec<Cell>, pairs: usize) -> Vec<Vec<(Cell, usize)>> {
    let mut out: Vec<Vec<Cell>> = Vec::new();
    let mut pending: Vec<Cell> = Vec::new();
    for c in cells {
        if c.wide {
            if !pending.is_empty() {
                out.push(std::mem::take(&mut pending));
            }
            out.push(vec![c]);
        } else {
            pending.push(c);
            if pending.len() == pairs {
                out.push(std::mem::take(&mut pending));
            }
        }
    }
    if !pending.is_empty() {
        out.push(pending);
    }
    let ncols = pairs * 2;
    out.into_iter()
        .map(|row| {
            let n = row.len();
            row.into_iter()
                .enumerate()
                .map(|(k, c)| {
                    let span = if k + 1 == n { ncols - 2 * k - 1 } else { 1 };
                    (c, span)
                })
                .collect()
        })
        .collect()
}

/// Lines a label may take: two in an ordinary row, more in a tall box.
fn label_line_budget(height_mm: Option<f64>) -> usize {
    let line = pt_mm(LABEL_PT) * 1.55;
    height_mm.map_or(2, |h| ((h - 2.4) / line).floor().max(2.0) as usize)
}

/// The label column: as narrow as lets every label keep within its line budget, within limits.
fn label_mm(def: &FormDef, cells: &[Cell], pairs: usize, content_mm: f64) -> f64 {
    let mut em: f64 = 0.0;
    for c in cells {
        let budget = match c.content {
            Content::Table { .. } => 4,
            _ => label_line_budget(c.height_mm),
        };
        em = em.max(cells::width_for_lines(&c.label, budget));
    }
    for s in &def.signatures {
        let h = s.height_mm.unwrap_or(SIGNATURE_BOX_MM);
        em = em.max(cells::width_for_lines(
            &s.label(),
            label_line_budget(Some(h)),
        ));
    }
    // Short labels (up to six characters, the common case) keep to one line.
    let one_line = cells
        .iter()
        .map(|c| cells::width_em(&c.label))
        .filter(|w| *w <= ONE_LINE_LABEL_EM)
        .fold(0.0, f64::max);
    let em = em.max(one_line);
    let want = em * pt_mm(LABEL_PT) + 2.0 * INSET_X_MM + 0.6;
    // The value columns keep at least 52 % of the row.
    let max = (content_mm * 0.48 / pairs as f64).min(LABEL_MAX_MM);
    want.clamp(LABEL_MIN_MM, max.max(LABEL_MIN_MM))
}

/// A label as the template sets it, and its size: 黑体 五号, or smaller (down to 9 pt) when the
/// label column at its widest still cannot hold it in `budget` lines (a paper form's long label,
/// 会议天数（含报到离会时间）, in a three-pair row).
fn label_json(label: &str, label_mm: f64, budget: usize) -> (Json, f64) {
    let room = |pt: f64| (label_mm - 2.0 * INSET_X_MM) / pt_mm(pt);
    let pt = [LABEL_PT, 10.0, 9.0]
        .into_iter()
        .find(|pt| cells::cell_lines(label, room(*pt)) <= budget)
        .unwrap_or(9.0);
    (cells::cell_json(label, room(pt)), pt)
}

/// A nested table as the template reads it: heads, rows and column weights (its widest text).
fn table_json(
    heads: &[String],
    rows: &[Vec<String>],
    blank: usize,
    total: Option<&Vec<String>>,
    numeric: &[bool],
    inner_mm: f64,
) -> Json {
    let n = heads.len().max(1);
    let mut weights: Vec<f64> = heads.iter().map(|h| cells::width_em(h).max(2.0)).collect();
    for r in rows.iter().chain(total) {
        for (i, c) in r.iter().enumerate().take(n) {
            weights[i] = weights[i].max(cells::width_em(c).min(24.0));
        }
    }
    let sum: f64 = weights.iter().sum::<f64>().max(1.0);
    let col_em = |i: usize| (inner_mm * weights[i] / sum - 2.0 * 1.2) / pt_mm(TABLE_PT);
    let cell = |i: usize, t: &String| cells::cell_json(t, col_em(i));
    json!({
        "heads": heads.iter().enumerate().map(|(i, h)| cell(i, h)).collect::<Vec<_>>(),
        "widths": weights,
        "rows": rows.iter().map(|r| r.iter().enumerate().map(|(i, c)| cell(i, c)).collect::<Vec<_>>()).collect::<Vec<_>>(),
        "blank": blank,
        "total": total.map(|r| r.iter().enumerate().map(|(i, c)| cell(i, c)).collect::<Vec<_>>()),
        "numeric": numeric,
    })
}

/// Layout data of one form; its signature images come from [`signature_assets`].
pub fn form_data(
    def: &FormDef,
    rec: &FormRecord,
    number: Option<&str>,
    office: &str,
) -> Result<Json> {
    let landscape = def.orientation == Orientation::Landscape;
    let content_mm = (if landscape { 297.0 } else { 210.0 }) - 2.0 * MARGIN_X_MM;
    let pairs = def.pairs_per_row.max(1);
    let cells = cells(def, rec);
    let page = Page {
        content_mm,
        label_mm: label_mm(def, &cells, pairs, content_mm),
        pairs,
    };
    let layout: Vec<Json> = rows(cells, pairs)
        .into_iter()
        .map(|row| {
            Json::Array(
                row.into_iter()
                    .map(|(c, span)| {
                        let inner = page.span_mm(span);
                        let budget = match c.content {
                            Content::Table { .. } => 4,
                            _ => label_line_budget(c.height_mm),
                        };
                        let (label, label_pt) = label_json(&c.label, page.label_mm, budget);
                        let base = json!({
                            "label": label,
                            "label_pt": label_pt,
                            "span": span,
                            "height_mm": c.height_mm,
                        });
                        let mut obj = base;
                        match c.content {
                            Content::Text(t) => {
                                let pt = fitted_pt(&t);
                                obj["kind"] = json!("text");
                                obj["size"] = json!(pt);
                                obj["value"] = cells::cell_json(&t, inner / pt_mm(pt));
                            }
                            Content::Check(on) => {
                                obj["kind"] = json!("check");
                                obj["on"] = json!(on);
                            }
                            Content::Checks(items) => {
                                obj["kind"] = json!("checks");
                                obj["items"] = json!(
                                    items
                                        .iter()
                                        .map(|(l, on)| json!({"label": l, "on": on}))
                                        .collect::<Vec<_>>()
                                );
                            }
                            Content::Table {
                                heads,
                                rows,
                                blank,
                                total,
                                numeric,
                            } => {
                                obj["kind"] = json!("table");
                                obj["table"] = table_json(
                                    &heads,
                                    &rows,
                                    blank,
                                    total.as_ref(),
                                    &numeric,
                                    inner + 2.0 * INSET_X_MM,
                                );
                            }
                        }
                        obj
                    })
                    .collect(),
            )
        })
        .collect();
    let sig_inner = page.span_mm(pairs * 2 - 1);
    let signatures: Vec<Json> = rec
        .signatures
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.required
                || !def
                    .signatures
                    .iter()
                    .any(|d| d.role == s.role && d.only_when_required)
        })
        .map(|(i, s)| {
            let height = def
                .signatures
                .iter()
                .find(|d| d.role == s.role)
                .and_then(|d| d.height_mm);
            let (label, label_pt) = label_json(
                &s.label,
                page.label_mm,
                label_line_budget(Some(height.unwrap_or(SIGNATURE_BOX_MM))),
            );
            json!({
                "label": label,
                "label_pt": label_pt,
                "required": s.required,
                "opinion": s.opinion.as_ref().map(|o| cells::cell_json(o, sig_inner / pt_mm(fitted_pt(o)))),
                "opinion_size": s.opinion.as_deref().map(fitted_pt),
                "name": s.name,
                "date": s.date,
                "height_mm": height,
                "image": s.image.as_ref().map(|p| format!("/assets/signature-{i}.{}", crate::prepare::asset_ext(p))),
            })
        })
        .collect();
    Ok(json!({
        "title": def.title,
        "issuer": issuer_line(def, office)?,
        "number": number,
        "landscape": landscape,
        "pairs": pairs,
        "label_mm": page.label_mm,
        "rows": layout,
        "signatures": signatures,
        "notes": def.notes,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_are_fixed_when_asked() {
        assert_eq!(format_decimal(41.0, Some(2)), "41.00");
        assert_eq!(format_decimal(38.3, Some(2)), "38.30");
        assert_eq!(format_decimal(38.3, None), "38.3");
    }
}
