//! Form records → `/data.json` for `templates/forms/form.typ` and `register.typ`.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde_json::{Value as Json, json};

use crate::error::{Error, Result};
use crate::form::schema::{FieldType, FormDef, Orientation};
use crate::model::value::{self, Value};
use crate::prepare::pattern;
use crate::validate::form::FormRecord;

/// Renders a placeholder pattern (numbering, file names, issuer); never reaches Typst source.
pub fn render_pattern(pattern: &str, values: &BTreeMap<String, String>) -> Result<String> {
    pattern::render(pattern, values).map_err(|e| Error::Template(format!("模式“{pattern}”：{e}")))
}

/// The line above the title: the definition's `issuer` pattern with `{office}`.
fn issuer_line(def: &FormDef, office: &str) -> Result<String> {
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

/// Layout data of one form; its signature images come from [`signature_assets`].
pub fn form_data(
    def: &FormDef,
    rec: &FormRecord,
    number: Option<&str>,
    office: &str,
) -> Result<Json> {
    let mut cells = Vec::new();
    for f in &def.fields {
        let v = rec.get(&f.label);
        let mut shown = v.map(Value::display).unwrap_or_default();
        if f.ty == FieldType::Money
            && f.capital
            && let Some(Value::Money(fen)) = v
        {
            shown = format!(
                "{}（大写：{}）",
                value::format_money(*fen),
                value::capital(*fen)
            );
        } else if f.ty == FieldType::Money
            && let Some(Value::Money(fen)) = v
        {
            shown = format!("{} 元", value::format_money(*fen));
        }
        let table = match v {
            Some(Value::Table(rows)) => Some(
                json!({"columns": f.columns, "rows": rows, "blank": f.max_rows.unwrap_or(0).saturating_sub(rows.len())}),
            ),
            None if f.ty == FieldType::Table => {
                Some(json!({"columns": f.columns, "rows": [], "blank": f.max_rows.unwrap_or(2)}))
            }
            _ => None,
        };
        cells.push(json!({
            "label": f.label,
            "value": shown,
            "table": table,
            "wide": f.wide || matches!(f.ty, FieldType::Multiline | FieldType::Table),
            "height_mm": f.height_mm,
        }));
        for c in def
            .computed
            .iter()
            .filter(|c| c.from.first() == Some(&f.label))
        {
            let shown = rec.get(&c.label).map(Value::display).unwrap_or_default();
            cells
                .push(json!({"label": c.label, "value": shown, "wide": c.wide, "height_mm": null}));
        }
    }
    Ok(json!({
        "title": def.title,
        "issuer": issuer_line(def, office)?,
        "number": number,
        "landscape": def.orientation == Orientation::Landscape,
        "pairs": def.pairs_per_row,
        "cells": cells,
        "signatures": rec.signatures.iter().enumerate().map(|(i, s)| json!({
            "label": s.label,
            "opinion": s.opinion,
            "name": s.name,
            "date": s.date,
            "height_mm": def.signatures.iter().find(|d| d.role == s.role).and_then(|d| d.height_mm),
            "image": s.image.as_ref().map(|p| format!("/assets/signature-{i}.{}", crate::prepare::asset_ext(p))),
        })).collect::<Vec<_>>(),
        "notes": def.notes,
    }))
}

/// Rows on one register page: one-line rows are 6.4 mm high, and a page keeps room for the
/// title, the header row, 本页合计/累计 and rows that wrap.
pub fn register_rows_per_page(def: &FormDef) -> usize {
    if def.orientation == crate::form::schema::Orientation::Landscape {
        16
    } else {
        26
    }
}

/// Layout data of a register: rows pre-paginated so each page can carry its own totals.
pub fn register_data(
    def: &FormDef,
    records: &[FormRecord],
    office: &str,
    rows_per_page: usize,
) -> Result<Json> {
    // Columns: each field, followed by the computed values derived from it.
    let mut columns: Vec<(&str, f64, bool)> = Vec::new();
    for f in &def.fields {
        columns.push((
            &f.label,
            f.width.unwrap_or(if f.wide { 3.0 } else { 1.0 }),
            f.ty == FieldType::Money,
        ));
        for c in def
            .computed
            .iter()
            .filter(|c| c.from.first() == Some(&f.label))
        {
            columns.push((&c.label, if c.wide { 3.0 } else { 1.0 }, false));
        }
    }
    let total_cols: Vec<usize> = def
        .totals
        .iter()
        .filter_map(|t| columns.iter().position(|c| c.0 == t))
        .collect();
    let fmt_total = |i: usize, sum: i64| {
        if columns[i].2 {
            value::format_money(sum)
        } else {
            value::format_number(sum as f64 / 100.0)
        }
    };
    let cents = |v: Option<&Value>| {
        v.and_then(Value::as_number)
            .map_or(0, |n| (n * 100.0).round() as i64)
    };
    let totals_row = |sums: &[i64]| -> Vec<String> {
        (0..columns.len())
            .map(|i| {
                if total_cols.contains(&i) {
                    fmt_total(i, sums[i])
                } else {
                    String::new()
                }
            })
            .collect()
    };
    let mut pages = Vec::new();
    let mut grand = vec![0i64; columns.len()];
    for (pi, chunk) in records.chunks(rows_per_page.max(1)).enumerate() {
        let mut page_sum = vec![0i64; columns.len()];
        let rows: Vec<Vec<String>> = chunk
            .iter()
            .map(|r| {
                for &i in &total_cols {
                    let c = cents(r.get(columns[i].0));
                    page_sum[i] += c;
                    grand[i] += c;
                }
                columns
                    .iter()
                    .map(|c| r.get(c.0).map(Value::display).unwrap_or_default())
                    .collect()
            })
            .collect();
        let totals = (!total_cols.is_empty()).then(|| totals_row(&page_sum));
        pages.push(json!({"index": pi + 1, "rows": rows, "totals": totals}));
    }
    let grand_totals = (!total_cols.is_empty()).then(|| totals_row(&grand));
    Ok(json!({
        "title": def.title,
        "issuer": issuer_line(def, office)?,
        "landscape": def.orientation == Orientation::Landscape,
        "columns": columns.iter().map(|c| c.0).collect::<Vec<_>>(),
        "widths": columns.iter().map(|c| c.1).collect::<Vec<_>>(),
        "pages": pages,
        "grand_totals": grand_totals,
        "notes": def.notes,
    }))
}
