//! The error report a clerk opens in Excel/WPS: one line per bad cell (row, column, field,
//! value, rule, problem, how to fix), header frozen, filters on.

use std::path::Path;

use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::output::atomic;
use crate::validate::form::RowError;

const HEADERS: [(&str, f64); 8] = [
    ("工作表", 10.0),
    ("行号", 6.0),
    ("列", 5.0),
    ("字段", 14.0),
    ("填写的值", 22.0),
    ("规则", 24.0),
    ("问题", 40.0),
    ("修改建议", 40.0),
];

/// Writes the report atomically.
pub fn write(path: &Path, sheet: &str, errors: &[RowError]) -> Result<()> {
    let bytes = build(sheet, errors).map_err(|e| Error::Table {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    atomic::write(path, &bytes)
}

fn build(sheet: &str, errors: &[RowError]) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("错误报告")?;
    let head = Format::new()
        .set_bold()
        .set_background_color("#D9D9D9")
        .set_border(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    for (c, (h, w)) in HEADERS.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(0, c, *h, &head)?;
        ws.set_column_width(c, *w)?;
    }
    for (i, e) in errors.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        ws.write_string_with_format(r, 0, sheet, &wrap)?;
        ws.write_number_with_format(r, 1, e.row as f64, &wrap)?;
        ws.write_string_with_format(r, 2, e.column.as_deref().unwrap_or(""), &wrap)?;
        ws.write_string_with_format(r, 3, &e.field, &wrap)?;
        ws.write_string_with_format(r, 4, &e.value, &wrap)?;
        ws.write_string_with_format(r, 5, &e.code, &wrap)?;
        ws.write_string_with_format(r, 6, &e.message, &wrap)?;
        ws.write_string_with_format(r, 7, &e.hint, &wrap)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, u32::try_from(errors.len()).unwrap_or(u32::MAX), 7)?;
    wb.save_to_buffer()
}
