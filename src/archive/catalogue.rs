//! The 归档文件目录 of a folder (DA/T 22-2015 §7.5): 序号, 档号, 文号, 责任者, 题名, 日期 (eight
//! digits), 密级, 页数, 备注, in 档号 order — as a spreadsheet and as a printed PDF (landscape A4,
//! the header row on every page). Made from manifest entries only, so a catalogue merged from
//! shards is the one a single run writes; dated by its latest 件, never by the clock.

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook};

use super::manifest::{Entry, Status};
use crate::error::{Error, Result};
use crate::output::register;
use crate::output::xlsx_style::TableFormats;
use crate::prepare::register::{Book, Column, ColumnFormat};
use crate::render::pdf::{Conformance, Info, PdfSettings};
use crate::render::world::Engine;

/// File names in each folder.
pub const XLSX: &str = "归档文件目录.xlsx";
/// See [`XLSX`].
pub const PDF: &str = "归档文件目录.pdf";

/// The archived entries of a folder in catalogue order: 年度, 保管期限, 机构, 件号.
pub fn ordered<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> Vec<&'a Entry> {
    let mut v: Vec<&Entry> = entries
        .into_iter()
        .filter(|e| e.status == Status::Archived && e.archival_code.is_some())
        .collect();
    v.sort_by(|a, b| {
        let key = |e: &Entry| {
            (
                e.year,
                e.retention,
                e.department.as_ref().map(|d| d.0.clone()),
                e.item_number,
            )
        };
        key(a).cmp(&key(b))
    });
    v
}

/// The table's rows.
pub fn rows(entries: &[&Entry]) -> Vec<[String; 9]> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            [
                (i + 1).to_string(),
                e.archival_code.clone().unwrap_or_default(),
                e.doc_number.clone(),
                e.responsible.clone(),
                e.title.clone(),
                e.date.clone(),
                e.classification.clone(),
                e.pages.map(|p| p.to_string()).unwrap_or_default(),
                e.remark.clone(),
            ]
        })
        .collect()
}

/// The heading line: 全宗 on the left, the folder and its years on the right.
fn heading(fonds: &str, office: &str, folder: &str, entries: &[&Entry]) -> (String, String) {
    let mut years: Vec<i32> = entries.iter().filter_map(|e| e.year).collect();
    years.dedup();
    let years = match (years.first(), years.last()) {
        (Some(a), Some(b)) if a == b => format!("{a}"),
        (Some(a), Some(b)) => format!("{a}—{b}"),
        _ => String::new(),
    };
    let left = if office.is_empty() {
        format!("全宗号：{fonds}")
    } else {
        format!("全宗号：{fonds}　全宗名称：{office}")
    };
    let shown = if folder.is_empty() {
        "（根目录）"
    } else {
        folder
    };
    (left, format!("文件夹：{shown}　年度：{years}"))
}

fn latest(entries: &[&Entry]) -> Option<chrono::NaiveDate> {
    entries
        .iter()
        .filter_map(|e| chrono::NaiveDate::parse_from_str(&e.date, "%Y%m%d").ok())
        .max()
}

/// The catalogue as xlsx bytes (reproducible: the workbook is dated by its latest 件).
pub fn xlsx(fonds: &str, office: &str, folder: &str, entries: &[&Entry]) -> Result<Vec<u8>> {
    build_xlsx(fonds, office, folder, entries).map_err(|e| Error::Table {
        path: XLSX.into(),
        message: e.to_string(),
    })
}

fn build_xlsx(
    fonds: &str,
    office: &str,
    folder: &str,
    entries: &[&Entry],
) -> std::result::Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut wb = Workbook::new();
    let date = latest(entries).unwrap_or_default();
    let when = ExcelDateTime::parse_from_str(&date.format("%Y-%m-%d").to_string())?;
    wb.set_properties(
        &DocProperties::new()
            .set_title("归档文件目录")
            .set_author(office)
            .set_creation_datetime(&when),
    );
    let TableFormats { title, head, cell } = TableFormats::new();
    let ws = wb.add_worksheet();
    ws.set_name("归档文件目录")?;
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_repeat_rows(2, 2)?;
    ws.merge_range(0, 0, 0, 8, "归档文件目录", &title)?;
    let (left, right) = heading(fonds, office, folder, entries);
    ws.merge_range(1, 0, 1, 4, &left, &Format::new())?;
    ws.merge_range(
        1,
        5,
        1,
        8,
        &right,
        &Format::new().set_align(FormatAlign::Right),
    )?;
    let columns = [
        ("序号", 6.0),
        ("档号", 26.0),
        ("文号", 20.0),
        ("责任者", 20.0),
        ("题名", 50.0),
        ("日期", 10.0),
        ("密级", 6.0),
        ("页数", 6.0),
        ("备注", 14.0),
    ];
    for (c, (h, w)) in columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(0);
        ws.write_string_with_format(2, c, *h, &head)?;
        ws.set_column_width(c, *w)?;
    }
    for (r, row) in rows(entries).iter().enumerate() {
        let r = u32::try_from(r + 3).unwrap_or(u32::MAX);
        for (c, text) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(0);
            // 序号 and 页数 are numbers; the 8-digit 日期 stays text (DA/T 22 writes it so).
            match (c, text.parse::<f64>()) {
                (0 | 7, Ok(n)) => ws.write_number_with_format(r, c, n, &cell)?,
                _ => ws.write_string_with_format(r, c, text, &cell)?,
            };
        }
    }
    ws.set_freeze_panes(3, 0)?;
    wb.save_to_buffer()
}

/// The catalogue as a register book: the heading line under the title, the header row on every
/// page, pages planned by the engine so that a folder of tens of thousands of 件 is laid out in
/// chunks with flat memory ([`crate::output::register`]).
pub fn book(fonds: &str, office: &str, folder: &str, entries: &[&Entry]) -> Book {
    let (left, right) = heading(fonds, office, folder, entries);
    // Relative widths as on DA/T 22's sample: 题名 the widest, 档号 whole on one line.
    let columns = [
        ("序号", 0.0),
        ("档号", 6.8),
        ("文号", 3.4),
        ("责任者", 3.0),
        ("题名", 7.0),
        ("日期", 1.8),
        ("密级", 1.2),
        ("页数", 1.1),
        ("备注", 2.0),
    ]
    .into_iter()
    .map(|(head, weight)| Column {
        head: head.to_owned(),
        weight,
        format: ColumnFormat::Text,
        total: false,
    })
    .collect();
    let rows = rows(entries).into_iter().map(Vec::from).collect::<Vec<_>>();
    let sums = vec![Vec::new(); rows.len()];
    Book::new(
        "归档文件目录".into(),
        String::new(),
        true,
        columns,
        rows,
        sums,
        Vec::new(),
    )
    .with_subtitle(left, right)
}

/// The catalogue as a PDF/A, exported chunk by chunk.
pub fn pdf(
    engine: &Engine,
    conformance: Conformance,
    fonds: &str,
    office: &str,
    folder: &str,
    entries: &[&Entry],
) -> Result<Vec<u8>> {
    let settings = PdfSettings {
        ident: format!("归档文件目录:{fonds}:{folder}"),
        date: latest(entries),
        pdfa: true,
        conformance: Some(conformance),
        info: Some(Info {
            title: format!(
                "归档文件目录（{}）",
                if folder.is_empty() {
                    "根目录"
                } else {
                    folder
                }
            ),
            authors: (!office.is_empty())
                .then(|| office.to_owned())
                .into_iter()
                .collect(),
            subject: String::new(),
            keywords: vec![fonds.to_owned()],
        }),
        untagged: false,
    };
    register::pdf(
        engine,
        &book(fonds, office, folder, entries),
        &settings,
        |_, _| Ok(()),
    )
}

/// The catalogue's pages as one document (the bound volume puts them in front).
pub fn document(
    engine: &Engine,
    fonds: &str,
    office: &str,
    folder: &str,
    entries: &[&Entry],
) -> Result<typst_layout::PagedDocument> {
    register::layout(engine, &book(fonds, office, folder, entries))
}
