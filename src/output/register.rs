//! Registers (登记簿) as xlsx, from the numbering registry, laid out like the paper books:
//! Chinese headers, set column widths, the header row frozen, filters, dates as dates, one sheet
//! per year.

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, XlsxError};

use crate::output::xlsx_style::TableFormats;

use typst::model::Document;
use typst_layout::PagedDocument;

use crate::error::{Error, Result};
use crate::model::value;
use crate::number::registry::Entry;
use crate::output::atomic;
use crate::prepare::register::{Book, Column, ColumnFormat, PAGES_PER_CHUNK};
use crate::render::workers;
use crate::render::world::Engine;

/// Entry template of registers.
pub const REGISTER_MAIN: &str = "/templates/forms/register.typ";

/// The title of the book for a scheme.
pub fn book_title(scheme: &str) -> String {
    match scheme {
        "发文" => "发文登记簿".into(),
        "收文" => "收文登记簿".into(),
        "用印" => "用印登记簿".into(),
        "派车" | "paiche" => "派车登记".into(),
        other => format!("{other}编号登记簿"),
    }
}

fn state_name(s: &str) -> &'static str {
    match s {
        "reserved" => "预留",
        "committed" => "已用",
        _ => "作废",
    }
}

/// Writes the register of `scheme` (entries already filtered) atomically.
pub fn write(path: &Path, scheme: &str, entries: &[Entry]) -> Result<()> {
    let bytes = build(scheme, entries).map_err(|e| Error::Table {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    atomic::write(path, &bytes)
}

fn build(scheme: &str, entries: &[Entry]) -> std::result::Result<Vec<u8>, XlsxError> {
    let outgoing = scheme == "发文";
    let columns: Vec<(&str, f64)> = if outgoing {
        vec![
            ("序号", 6.0),
            ("发文字号", 22.0),
            ("文种", 8.0),
            ("标题", 48.0),
            ("密级", 8.0),
            ("成文日期", 14.0),
            ("发文机关", 24.0),
            ("状态", 8.0),
            ("作废原因", 20.0),
            ("文件", 30.0),
            ("SHA-256", 20.0),
            ("登记时间", 20.0),
        ]
    } else {
        vec![
            ("序号", 6.0),
            ("编号", 22.0),
            ("表单", 16.0),
            ("标题", 30.0),
            ("日期", 14.0),
            ("状态", 8.0),
            ("作废原因", 20.0),
            ("文件", 30.0),
            ("SHA-256", 20.0),
            ("登记时间", 20.0),
        ]
    };
    let mut by_year: BTreeMap<i32, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        by_year.entry(e.year).or_default().push(e);
    }
    let mut wb = Workbook::new();
    let TableFormats { title, head, cell } = TableFormats::new();
    let date = Format::new()
        .set_border(FormatBorder::Thin)
        .set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    let void = Format::new()
        .set_border(FormatBorder::Thin)
        .set_font_strikethrough();
    if by_year.is_empty() {
        by_year.insert(0, Vec::new());
    }
    for (year, rows) in by_year {
        let ws = wb.add_worksheet();
        ws.set_name(if year == 0 {
            "登记簿".to_owned()
        } else {
            format!("{year}年")
        })?;
        let last_col = u16::try_from(columns.len() - 1).unwrap_or(0);
        ws.merge_range(
            0,
            0,
            0,
            last_col,
            &format!(
                "{}{}",
                if year == 0 {
                    String::new()
                } else {
                    format!("{year}年")
                },
                book_title(scheme)
            ),
            &title,
        )?;
        for (c, (h, w)) in columns.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            ws.write_string_with_format(1, c, *h, &head)?;
            ws.set_column_width(c, *w)?;
        }
        for (i, e) in rows.iter().enumerate() {
            let r = u32::try_from(i + 2).unwrap_or(u32::MAX);
            let f = if e.state == "void" { &void } else { &cell };
            let day = crate::model::date::parse(&e.record.date)
                .ok()
                .or_else(|| value::parse_date_text(&e.record.date));
            let mut texts: Vec<String> = vec![e.number.clone()];
            if outgoing {
                texts.extend([
                    e.record.kind.clone(),
                    e.record.title.clone(),
                    e.record.classification.clone(),
                ]);
            } else {
                texts.extend([e.scheme.clone(), e.record.title.clone()]);
            }
            let date_col = u16::try_from(texts.len() + 1).unwrap_or(0);
            let mut after: Vec<String> = Vec::new();
            if outgoing {
                after.push(e.record.issuer.clone());
            }
            after.extend([
                state_name(&e.state).to_owned(),
                e.reason.clone().unwrap_or_default(),
                e.record.output.clone(),
                e.record.sha256.clone(),
                e.committed_at
                    .clone()
                    .unwrap_or_else(|| e.reserved_at.clone()),
            ]);
            ws.write_number_with_format(r, 0, (i + 1) as f64, f)?;
            for (k, t) in texts.iter().enumerate() {
                ws.write_string_with_format(r, u16::try_from(k + 1).unwrap_or(0), t, f)?;
            }
            match day
                .and_then(|d| ExcelDateTime::parse_from_str(&d.format("%Y-%m-%d").to_string()).ok())
            {
                Some(d) => {
                    ws.write_datetime_with_format(r, date_col, &d, &date)?;
                }
                None => {
                    ws.write_string_with_format(r, date_col, &e.record.date, f)?;
                }
            }
            for (k, t) in after.iter().enumerate() {
                ws.write_string_with_format(r, date_col + 1 + u16::try_from(k).unwrap_or(0), t, f)?;
            }
        }
        ws.set_freeze_panes(2, 0)?;
        ws.autofilter(
            1,
            0,
            u32::try_from(rows.len() + 1).unwrap_or(u32::MAX),
            last_col,
        )?;
    }
    wb.save_to_buffer()
}

/// The registry's book as a [`Book`] for the PDF route (through `templates/forms/register.typ`).
pub fn book(scheme: &str, entries: &[Entry], year: Option<i32>) -> Book {
    let outgoing = scheme == "发文";
    let columns: Vec<(&str, f64)> = if outgoing {
        vec![
            ("发文字号", 2.0),
            ("文种", 0.8),
            ("标题", 4.0),
            ("密级", 0.8),
            ("成文日期", 1.6),
            ("发文机关", 2.2),
            ("状态", 0.8),
            ("备注", 1.6),
        ]
    } else {
        vec![
            ("编号", 2.0),
            ("标题", 3.5),
            ("日期", 1.6),
            ("状态", 0.8),
            ("备注", 2.0),
        ]
    };
    let rows: Vec<Vec<String>> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let note = e.reason.clone().unwrap_or_default();
            let mut row = vec![(i + 1).to_string(), e.number.clone()];
            if outgoing {
                row.extend([
                    e.record.kind.clone(),
                    e.record.title.clone(),
                    e.record.classification.clone(),
                    e.record.date.clone(),
                    e.record.issuer.clone(),
                ]);
            } else {
                row.extend([e.record.title.clone(), e.record.date.clone()]);
            }
            row.extend([state_name(&e.state).to_owned(), note]);
            row
        })
        .collect();
    let sums = vec![Vec::new(); rows.len()];
    Book::new(
        format!(
            "{}{}",
            year.map(|y| format!("{y}年")).unwrap_or_default(),
            book_title(scheme)
        ),
        String::new(),
        true,
        std::iter::once(("序号", 0.0))
            .chain(columns)
            .map(|(h, w)| Column {
                head: h.to_owned(),
                weight: w,
                format: ColumnFormat::Text,
                total: false,
            })
            .collect(),
        rows,
        sums,
        Vec::new(),
    )
}

/// Lays out a register in chunks of [`PAGES_PER_CHUNK`] pages, each its own compilation (on the
/// rendering threads), and hands each chunk's pages to `finish` (its first page's index in the
/// book given) as soon as it is laid out, so only the chunks in flight are held in memory. A chunk
/// that came out longer than planned (a row taller than estimated) makes the whole book be
/// paginated again with more room to spare.
fn in_chunks<T: Send>(
    engine: &Engine,
    book: &Book,
    finish: impl Fn(&PagedDocument, usize) -> Result<T> + Sync,
) -> Result<Vec<T>> {
    let mut slack = 0.0;
    for _ in 0..4 {
        let pages = book.paginate(slack);
        let chunks = pages.len().div_ceil(PAGES_PER_CHUNK);
        let done = workers::run(chunks, |i| -> Result<Option<T>> {
            let data = book.chunk_json(&pages, i * PAGES_PER_CHUNK, PAGES_PER_CHUNK);
            let doc = engine.compile(REGISTER_MAIN, &data, &[])?.document;
            let planned = (pages.len() - i * PAGES_PER_CHUNK).min(PAGES_PER_CHUNK);
            let out = if doc.pages().len() == planned {
                finish(&doc, i * PAGES_PER_CHUNK).map(Some)
            } else {
                Ok(None)
            };
            drop(doc);
            // A chunk's memoized layout is never asked for again: trimming the cache after each
            // chunk keeps memory that of the chunks in flight (what every chunk shares, fonts and
            // the parsed template, is used again at once and stays).
            typst::comemo::evict(2);
            out
        });
        let mut out = Vec::with_capacity(chunks);
        let mut overflow = false;
        for d in done {
            match d? {
                Some(t) => out.push(t),
                None => overflow = true,
            }
        }
        if !overflow {
            return Ok(out);
        }
        slack += 8.0;
    }
    Err(Error::Template(format!(
        "{}：登记簿的行高估计反复超出页面，无法分页",
        book.title
    )))
}

/// The whole register laid out as one document (tests and short books; a long book is written
/// with [`pdf`], which never holds all its pages).
pub fn layout(engine: &Engine, book: &Book) -> Result<PagedDocument> {
    let docs = in_chunks(engine, book, |doc, _| Ok(doc.clone()))?;
    let info = docs.first().map(|d| d.info().clone()).unwrap_or_default();
    let all = docs
        .iter()
        .flat_map(|d| d.pages().iter().cloned())
        .collect();
    Ok(PagedDocument::new(all, info))
}

/// The register as PDF bytes: each chunk is checked by `check` (its first page's index in the
/// book given, for messages) and exported as soon as it is laid out, and the parts are joined
/// ([`crate::output::pdf_join`]). Memory stays that of the chunks in flight however long the book.
pub fn pdf(
    engine: &Engine,
    book: &Book,
    settings: &crate::render::pdf::PdfSettings,
    check: impl Fn(&PagedDocument, usize) -> Result<()> + Sync,
) -> Result<Vec<u8>> {
    let parts = in_chunks(engine, book, |doc, first| {
        check(doc, first)?;
        crate::render::pdf::export(doc, settings)
    })?;
    crate::output::pdf_join::join(&parts)
}
