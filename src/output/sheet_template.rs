//! `wenshu forms template ID`: the spreadsheet a clerk starts from: the right headers, a
//! drop-down list for every enum field, a note with the rules of each column, one example row.
//! A `.csv` path gets the same headers and example row as UTF-8 with a BOM (Excel and WPS open
//! it as Chinese text), for offices whose systems export CSV.

use std::path::Path;

use rust_xlsxwriter::{DataValidation, Format, FormatBorder, Note, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::form::schema::{FieldDef, FieldType, FormDef};
use crate::output::atomic;
use crate::validate::form::{KEY_COLUMN, key_fields};

/// Writes the template atomically: xlsx, or CSV when the path ends in `.csv`.
pub fn write(path: &Path, def: &FormDef) -> Result<()> {
    let err = |message: String| Error::Table {
        path: path.to_owned(),
        message,
    };
    let ext = path
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("xlsx") | None => build(def).map_err(|e| err(e.to_string()))?,
        Some("csv") => csv_template(def).map_err(err)?,
        Some(other) => {
            return Err(err(format!(
                "模板只能生成 .xlsx 或 .csv 文件，不能生成 .{other}"
            )));
        }
    };
    atomic::write(path, &bytes)
}

/// The columns of a template, in order: 序号, the fields, the request's key column (forms that
/// are numbered), a 签名 and a 日期 column per signature.
fn columns(def: &FormDef) -> Vec<String> {
    let mut cols = vec!["序号".to_owned()];
    cols.extend(def.fields.iter().map(|f| f.label.clone()));
    if has_key_column(def) {
        cols.push(KEY_COLUMN.to_owned());
    }
    for s in &def.signatures {
        for suffix in ["签名", "日期"] {
            cols.push(format!("{}{suffix}", s.role));
        }
    }
    cols
}

fn has_key_column(def: &FormDef) -> bool {
    def.kind == crate::form::schema::FormKind::Form && def.numbering.is_some()
}

/// The CSV template: headers and the example row, UTF-8 with a BOM.
fn csv_template(def: &FormDef) -> std::result::Result<Vec<u8>, String> {
    let cols = columns(def);
    let mut example = vec!["1".to_owned()];
    example.extend(
        def.fields
            .iter()
            .map(|f| f.example.clone().unwrap_or_default()),
    );
    example.resize(cols.len(), String::new());
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer("\u{feff}".as_bytes().to_vec());
    w.write_record(&cols).map_err(|e| e.to_string())?;
    w.write_record(&example).map_err(|e| e.to_string())?;
    w.into_inner().map_err(|e| e.to_string())
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
    if has_key_column(def) {
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
