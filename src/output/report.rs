//! The error report a clerk opens in Excel/WPS: one line per bad cell (row, column, field,
//! value, rule, problem, how to fix), header frozen, filters on; the columns of the sheet that
//! matched no field on a sheet of their own; notices (numbers left blank, the file's encoding).
//!
//! It is always written: every text is written as a string (a cell that reads `=HYPERLINK(…)`
//! stays text, never a formula), control characters are shown by code point, and long values are
//! cut to [`MAX_VALUE_CHARS`] characters (Excel refuses cells over 32,767).

use std::path::Path;

use rust_xlsxwriter::{Format, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::output::atomic;
use crate::validate::form::RowError;

/// Longest value written into a report cell; the rest is summarised.
pub const MAX_VALUE_CHARS: usize = 200;

/// Longest message text (messages are short; this only guards the format's limit).
const MAX_TEXT_CHARS: usize = 2_000;

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

/// What goes into a report.
#[derive(Debug, Clone, Default)]
pub struct Report<'a> {
    /// The data sheet's name.
    pub sheet: &'a str,
    /// Every refused cell, in sheet order.
    pub errors: &'a [RowError],
    /// Columns that matched no field: (Excel column letter, header text).
    pub unknown_columns: Vec<(String, String)>,
    /// Notices of the run, one per line.
    pub notices: &'a [String],
}

/// Writes the report of `errors` atomically.
pub fn write(path: &Path, sheet: &str, errors: &[RowError]) -> Result<()> {
    write_report(
        path,
        &Report {
            sheet,
            errors,
            ..Report::default()
        },
    )
}

/// Writes a full report atomically.
pub fn write_report(path: &Path, report: &Report<'_>) -> Result<()> {
    let bytes = build(report).map_err(|e| Error::Table {
        path: path.to_owned(),
        message: format!("无法生成错误报告：{e}"),
    })?;
    atomic::write(path, &bytes)
}

/// A cell text as the report shows it: control characters by code point, at most `max`
/// characters (the rest summarised with the full length).
pub fn cell_text(s: &str, max: usize) -> String {
    let mut out = String::new();
    let total = s.chars().count();
    for (n, c) in s.chars().enumerate() {
        if n >= max {
            out.push_str(&format!("…（共 {total} 字）"));
            return out;
        }
        if c.is_control() && !matches!(c, '\n' | '\t') {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

fn text(
    ws: &mut Worksheet,
    r: u32,
    c: u16,
    s: &str,
    max: usize,
    f: &Format,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(r, c, cell_text(s, max), f)?;
    Ok(())
}

fn build(report: &Report<'_>) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color("#D9D9D9")
        .set_border(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap().set_border(FormatBorder::Thin);
    let ws = wb.add_worksheet();
    ws.set_name("错误报告")?;
    for (c, (h, w)) in HEADERS.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(0, c, *h, &head)?;
        ws.set_column_width(c, *w)?;
    }
    for (i, e) in report.errors.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        text(ws, r, 0, report.sheet, MAX_TEXT_CHARS, &wrap)?;
        if e.row > 0 {
            ws.write_number_with_format(r, 1, e.row as f64, &wrap)?;
        } else {
            ws.write_blank(r, 1, &wrap)?;
        }
        text(ws, r, 2, e.column.as_deref().unwrap_or(""), 10, &wrap)?;
        text(ws, r, 3, &e.field, MAX_TEXT_CHARS, &wrap)?;
        text(ws, r, 4, &e.value, MAX_VALUE_CHARS, &wrap)?;
        text(ws, r, 5, &e.code, MAX_TEXT_CHARS, &wrap)?;
        text(ws, r, 6, &e.message, MAX_TEXT_CHARS, &wrap)?;
        text(ws, r, 7, &e.hint, MAX_TEXT_CHARS, &wrap)?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(
        0,
        0,
        u32::try_from(report.errors.len()).unwrap_or(u32::MAX),
        7,
    )?;

    if !report.unknown_columns.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("未识别的列")?;
        for (c, (h, w)) in [("列", 6.0), ("表头", 24.0), ("处理", 50.0)]
            .iter()
            .enumerate()
        {
            let c = u16::try_from(c).unwrap_or(0);
            ws.write_string_with_format(0, c, *h, &head)?;
            ws.set_column_width(c, *w)?;
        }
        for (i, (letter, header)) in report.unknown_columns.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            text(ws, r, 0, letter, 10, &wrap)?;
            text(ws, r, 1, header, MAX_VALUE_CHARS, &wrap)?;
            ws.write_string_with_format(
                r,
                2,
                "未对应到表单的任何字段，本列已忽略；如是字段，请按模板改正表头",
                &wrap,
            )?;
        }
        ws.set_freeze_panes(1, 0)?;
    }

    if !report.notices.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name("说明")?;
        ws.write_string_with_format(0, 0, "说明", &head)?;
        ws.set_column_width(0, 100.0)?;
        for (i, n) in report.notices.iter().enumerate() {
            let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
            text(ws, r, 0, n, MAX_TEXT_CHARS, &wrap)?;
        }
    }
    wb.save_to_buffer()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_values_and_control_characters_are_shown_safely() {
        let long = "字".repeat(40_000);
        let t = cell_text(&long, MAX_VALUE_CHARS);
        assert!(
            t.chars().count() < 220 && t.ends_with("（共 40000 字）"),
            "{t}"
        );
        assert_eq!(cell_text("a\u{7}b", 10), "a<U+0007>b");
    }
}
