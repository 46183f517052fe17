//! `wenshu forms template ID`: the spreadsheet a clerk starts from: the right headers, a
//! drop-down list for every enum field, a note with the rules of each column, one example row.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Note, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::form::schema::{FieldDef, FieldType, FormDef};
use crate::output::atomic;
use crate::validate::form::{KEY_COLUMN, key_fields};

/// Writes the template atomically.
pub fn write(path: &Path, def: &FormDef) -> Result<()> {
    let bytes = build(def).map_err(|e| Error::Table {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    atomic::write(path, &bytes)
}

fn describe(f: &FieldDef) -> String {
    let mut s = format!(
        "{}{}",
        if f.required { "必填。" } else { "选填。" },
        type_name(f.ty)
    );
    if !f.options.is_empty() {
        s.push_str(&format!("可选：{}。", f.options.join("、")));
    }
    if let Some(m) = f.min {
        s.push_str(&format!("最小 {m}。"));
    }
    if let Some(m) = f.max {
        s.push_str(&format!("最大 {m}。"));
    }
    if let Some(h) = &f.help {
        s.push_str(h);
    }
    s
}

/// The Chinese name of a field type.
pub fn type_name(t: FieldType) -> &'static str {
    match t {
        FieldType::Text => "文字。",
        FieldType::Multiline => "多行文字。",
        FieldType::Integer => "整数。",
        FieldType::Decimal => "数字。",
        FieldType::Money => "金额（元）。",
        FieldType::Date => "日期，如 2024-03-05 或 2024年3月5日。",
        FieldType::DateRange => "起止日期，如 2024年3月5日至2024年3月7日。",
        FieldType::Time => "时间，如 14:30。",
        FieldType::Datetime => "日期时间，如 2024-03-05 14:30。",
        FieldType::Enum => "从下拉列表中选择。",
        FieldType::Person => "姓名。",
        FieldType::Phone => "电话号码。",
        FieldType::IdNumber => "18 位身份证号。",
        FieldType::Checkbox => "是/否。",
        FieldType::DocNumber => "文号，如 仁府办发〔2026〕1号。",
        FieldType::Table => {
            "多行表格：每行一条（单元格内换行 Alt+Enter），各项之间用 | 或逗号分隔。"
        }
    }
}

fn build(def: &FormDef) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(def.title.chars().take(31).collect::<String>())?;
    let head = Format::new()
        .set_bold()
        .set_background_color("#FFF2CC")
        .set_border(FormatBorder::Thin);
    let opt_head = Format::new()
        .set_bold()
        .set_background_color("#E2EFDA")
        .set_border(FormatBorder::Thin);
    ws.write_string_with_format(0, 0, "序号", &head)?;
    ws.write_number(1, 0, 1.0)?;
    let mut col: u16 = 1;
    for f in &def.fields {
        ws.write_string_with_format(0, col, &f.label, if f.required { &head } else { &opt_head })?;
        ws.set_column_width(
            col,
            if f.wide || f.ty == FieldType::Multiline {
                30.0
            } else {
                14.0
            },
        )?;
        ws.insert_note(0, col, &Note::new(describe(f)).set_author("wenshu"))?;
        if let Some(ex) = &f.example {
            ws.write_string(1, col, ex)?;
        }
        if f.ty == FieldType::Enum {
            let dv = DataValidation::new().allow_list_strings(&f.options)?;
            ws.add_data_validation(1, col, 1000, col, &dv)?;
        }
        col += 1;
    }
    if def.kind == crate::form::schema::FormKind::Form && def.numbering.is_some() {
        // The request's own identifier (an OA 申请单号), optional: without it a row is known by
        // its key fields, so its number stays with it when rows move.
        ws.write_string_with_format(0, col, KEY_COLUMN, &opt_head)?;
        ws.insert_note(
            0,
            col,
            &Note::new(format!(
                "选填。本行申请的唯一识别码（如 OA 申请单号）。留空时按 {} 识别同一份申请；编号随申请走，不随行号。",
                key_fields(def).join("、")
            ))
            .set_author("wenshu"),
        )?;
        ws.set_column_width(col, 14.0)?;
        col += 1;
    }
    for s in &def.signatures {
        for suffix in ["签名", "日期"] {
            ws.write_string_with_format(0, col, format!("{}{suffix}", s.role), &opt_head)?;
            ws.insert_note(
                0,
                col,
                &Note::new(format!(
                    "选填：审批后补录。{}",
                    s.rule.clone().unwrap_or_default()
                ))
                .set_author("wenshu"),
            )?;
            ws.set_column_width(col, 12.0)?;
            col += 1;
        }
    }
    ws.set_freeze_panes(1, 0)?;
    wb.save_to_buffer()
}
