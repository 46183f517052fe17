//! Registers (登记簿/台账) → pages for `templates/forms/register.typ`.
//!
//! A register is paginated here, not by Typst, because each page carries its own 本页合计 (and the
//! last the 累计): the engine must know which rows share a page. Row heights are estimated from
//! the cells' line counts ([`crate::prepare::cells`]) so rows fill the page; the renderer checks
//! the planned pages against the laid-out ones and plans again, tighter, if a page overflowed.
//!
//! The book: a 序号 column, one column per field (computed values after their first source), one
//! number format per column (money with two decimals and thousands separators, a decimal column
//! with as many places as its most precise value), totals in the column's format. The first page
//! carries the title block; continuation pages repeat the column heads under a short running
//! title. Pages are emitted in chunks, each compiled on its own, so memory stays flat however
//! long the book is.

use serde_json::{Value as Json, json};

use crate::error::Result;
use crate::form::schema::{FieldType, FormDef, Orientation};
use crate::model::value::{self, Value};
use crate::prepare::cells;
use crate::prepare::form::{format_decimal, head_with_unit, issuer_line, pt_mm};
use crate::validate::form::FormRecord;

/// Text size of a register cell, pt; a cell that would take more than two lines is set smaller.
const CELL_PT: f64 = 10.0;
const SMALL_PT: f64 = 8.0;
/// Head text size (黑体), pt.
const HEAD_PT: f64 = 10.0;
/// Cell insets, mm (`register.typ`).
const INSET_X_MM: f64 = 1.0;
const INSET_Y_MM: f64 = 1.45;
/// Line spacing (par leading) in em.
const LEADING_EM: f64 = 0.55;
/// Page margins (`common.typ`), mm.
const MARGIN_X_MM: f64 = 18.0;
const MARGIN_TOP_MM: f64 = 18.0;
const MARGIN_BOTTOM_MM: f64 = 20.0;
/// Title block of the first page, mm: the issuer line, the title, the gap before the table.
const ISSUER_BLOCK_MM: f64 = 8.0;
const TITLE_BLOCK_MM: f64 = 10.0;
/// The line under the title (the 归档文件目录's 全宗 and 文件夹), mm.
const SUBTITLE_BLOCK_MM: f64 = 7.0;
const TITLE_GAP_MM: f64 = 3.0;
/// Room kept free on every page for rounding, mm.
const PAGE_SLACK_MM: f64 = 1.5;
/// The widest word a column is widened for, em.
const MAX_WORD_EM: f64 = 6.0;
/// Pages laid out per compilation.
pub const PAGES_PER_CHUNK: usize = 40;

/// How a column's values print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnFormat {
    /// Text, centred (short columns) or left-aligned (wide ones).
    Text,
    /// Money: two decimals, thousands separators, right-aligned.
    Money,
    /// A number with this many decimals, right-aligned.
    Number(u8),
}

/// One column of a register.
#[derive(Debug, Clone)]
pub struct Column {
    /// The head (with its unit).
    pub head: String,
    /// Relative width.
    pub weight: f64,
    /// Value format.
    pub format: ColumnFormat,
    /// Totalled per page and overall.
    pub total: bool,
}

/// A whole register, ready to paginate.
#[derive(Debug, Clone)]
pub struct Book {
    /// Printed title.
    pub title: String,
    /// Line above the title.
    pub issuer: String,
    /// A4 landscape.
    pub landscape: bool,
    /// Columns, 序号 first.
    pub columns: Vec<Column>,
    /// Printed cells, row by row (序号 included).
    pub rows: Vec<Vec<String>>,
    /// Exact column sums (money in 分, numbers in millionths), for the columns totalled.
    pub sums: Vec<Vec<i128>>,
    /// Fixed notes under the last page's table.
    pub notes: Vec<String>,
    /// A line under the title, its left and right parts (the 归档文件目录's 全宗 and 文件夹).
    pub subtitle: Option<(String, String)>,
    /// Column widths, mm, computed once.
    widths: std::sync::OnceLock<Vec<f64>>,
}

impl Book {
    /// A book of `rows` (序号 included) under `columns`; `sums` holds, per row, the exact values of
    /// the totalled columns (money in 分, numbers in millionths).
    pub fn new(
        title: String,
        issuer: String,
        landscape: bool,
        columns: Vec<Column>,
        rows: Vec<Vec<String>>,
        sums: Vec<Vec<i128>>,
        notes: Vec<String>,
    ) -> Self {
        Self {
            title,
            issuer,
            landscape,
            columns,
            rows,
            sums,
            notes,
            subtitle: None,
            widths: std::sync::OnceLock::new(),
        }
    }

    /// The book with a line under its title: `left` flush left, `right` flush right.
    pub fn with_subtitle(mut self, left: String, right: String) -> Self {
        self.subtitle = Some((left, right));
        self
    }
}

/// Decimal places of a number as typed (`38.3` → 1), at most 6.
fn places(n: f64) -> u8 {
    let s = value::format_number(n);
    s.split_once('.')
        .map_or(0, |(_, f)| u8::try_from(f.len().min(6)).unwrap_or(6))
}

/// Millionths, the unit numbers are summed in (exact for six decimals).
const MICRO: f64 = 1_000_000.0;

impl Book {
    /// The register of `def` over its validated rows.
    pub fn from_records(def: &FormDef, records: &[FormRecord], office: &str) -> Result<Self> {
        // (label, weight, field type) per data column: each field, then the computed values
        // derived from it.
        let mut cols: Vec<(String, f64, Option<FieldType>)> = Vec::new();
        for f in &def.fields {
            cols.push((
                f.label.clone(),
                f.width.unwrap_or(if f.wide { 3.0 } else { 1.0 }),
                Some(f.ty),
            ));
            for c in def
                .computed
                .iter()
                .filter(|c| c.from.first() == Some(&f.label))
            {
                cols.push((c.label.clone(), if c.wide { 3.0 } else { 1.0 }, None));
            }
        }
        let mut columns = vec![Column {
            head: "序号".into(),
            weight: 0.0,
            format: ColumnFormat::Text,
            total: false,
        }];
        for (label, weight, ty) in &cols {
            let values = records.iter().filter_map(|r| r.get(label));
            let format = match ty {
                Some(FieldType::Money) => ColumnFormat::Money,
                Some(FieldType::Integer) => ColumnFormat::Number(0),
                Some(FieldType::Decimal) => {
                    ColumnFormat::Number(def.field(label).and_then(|f| f.decimals).unwrap_or_else(
                        || {
                            values
                                .filter_map(Value::as_number)
                                .map(places)
                                .max()
                                .unwrap_or(0)
                        },
                    ))
                }
                Some(_) => ColumnFormat::Text,
                None => {
                    let mut all = values.peekable();
                    match all.peek() {
                        Some(Value::Money(_)) => ColumnFormat::Money,
                        Some(Value::Number(_)) => ColumnFormat::Number(
                            all.filter_map(Value::as_number)
                                .map(places)
                                .max()
                                .unwrap_or(0),
                        ),
                        _ => ColumnFormat::Text,
                    }
                }
            };
            columns.push(Column {
                head: head_with_unit(def, label),
                weight: *weight,
                format,
                total: def.totals.contains(label),
            });
        }
        let mut rows = Vec::with_capacity(records.len());
        let mut sums = Vec::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            let mut row = Vec::with_capacity(columns.len());
            let mut sum = Vec::new();
            row.push((i + 1).to_string());
            for (k, (label, _, _)) in cols.iter().enumerate() {
                let col = &columns[k + 1];
                let v = r.get(label);
                row.push(match (v, col.format) {
                    (Some(Value::Money(fen)), _) => value::format_money(*fen),
                    (Some(v), ColumnFormat::Number(d)) => v
                        .as_number()
                        .map(|n| format_decimal(n, Some(d)))
                        .unwrap_or_else(|| v.display()),
                    (Some(v), _) => v.display(),
                    (None, _) => String::new(),
                });
                if col.total {
                    sum.push(match v {
                        Some(Value::Money(fen)) => i128::from(*fen),
                        Some(v) => v.as_number().map_or(0, |n| (n * MICRO).round() as i128),
                        None => 0,
                    });
                }
            }
            rows.push(row);
            sums.push(sum);
        }
        Ok(Self::new(
            def.title.clone(),
            issuer_line(def, office)?,
            def.orientation == Orientation::Landscape,
            columns,
            rows,
            sums,
            def.notes.clone(),
        ))
    }

    /// Width between the side margins, mm.
    fn content_mm(&self) -> f64 {
        (if self.landscape { 297.0 } else { 210.0 }) - 2.0 * MARGIN_X_MM
    }

    /// Column widths, mm: 序号 as wide as its longest number (and the 本页合计 label when the
    /// book has totals), the rest shared by weight; a column is widened to hold its widest number
    /// or date (which never breaks), taking the room from the others.
    pub fn widths_mm(&self) -> Vec<f64> {
        self.widths.get_or_init(|| self.compute_widths()).clone()
    }

    fn compute_widths(&self) -> Vec<f64> {
        let mut w = self.weighted_widths();
        let pad = 2.0 * INSET_X_MM + 0.4;
        // The book's totals, which the widest figures of their columns may be.
        let grand: Vec<String> = self.grand_totals();
        let need: Vec<f64> = (0..w.len())
            .map(|i| {
                let room = (w[i] - 2.0 * INSET_X_MM) / pt_mm(CELL_PT);
                let cells_of = || {
                    self.rows
                        .iter()
                        .filter_map(|r| r.get(i))
                        .chain(grand.get(i))
                };
                let widest = cells_of()
                    .map(|t| cells::widest_unbreakable(t, room))
                    .fold(0.0, f64::max);
                // A word (社会保险科) is not cut when the column can be made wide enough for it;
                // only words up to six characters ask for room.
                let word = cells_of()
                    .map(|t| cells::widest_word(t, room))
                    .fold(0.0, f64::max)
                    .min(MAX_WORD_EM);
                let word_mm = if word > room {
                    word * pt_mm(CELL_PT) + pad
                } else {
                    0.0
                };
                // A figure is set at 8 pt when it does not fit at 10 pt.
                let at = |pt: f64| widest * pt_mm(pt) + pad;
                let figure_mm = if widest == 0.0 || at(CELL_PT) <= w[i] {
                    0.0
                } else {
                    at(SMALL_PT).max(w[i])
                };
                figure_mm.max(word_mm)
            })
            .collect();
        let extra: f64 = need.iter().zip(&w).map(|(n, w)| (n - w).max(0.0)).sum();
        if extra > 0.0 {
            let donors: f64 = (0..w.len())
                .filter(|&i| need[i] == 0.0 && i > 0)
                .map(|i| w[i])
                .sum();
            // The donors keep at least a third of their width; when that is not enough, every
            // column in need gets the same share of what there is (the renderer's overlap check
            // then names a figure that still does not fit).
            let share = (donors * 2.0 / 3.0 / extra).min(1.0);
            for i in 0..w.len() {
                if need[i] > w[i] {
                    w[i] += (need[i] - w[i]) * share;
                } else if need[i] == 0.0 && i > 0 {
                    w[i] -= extra * share * w[i] / donors;
                }
            }
        }
        w
    }

    fn weighted_widths(&self) -> Vec<f64> {
        let digits = self.rows.len().max(1).to_string().len().max(2) as f64;
        let mut first = (digits * 0.56).max(2.0) * pt_mm(CELL_PT) + 2.0 * INSET_X_MM + 0.5;
        if self.columns.iter().any(|c| c.total) && self.first_total_column() == 1 {
            first = first.max(4.0 * pt_mm(SMALL_PT) + 2.0 * INSET_X_MM + 0.5);
        }
        let rest: f64 = self
            .columns
            .iter()
            .skip(1)
            .map(|c| c.weight)
            .sum::<f64>()
            .max(1.0);
        let free = self.content_mm() - first;
        std::iter::once(first)
            .chain(self.columns.iter().skip(1).map(|c| free * c.weight / rest))
            .collect()
    }

    fn first_total_column(&self) -> usize {
        self.columns
            .iter()
            .position(|c| c.total)
            .unwrap_or(self.columns.len())
    }

    /// Inner widths in em at `pt`.
    fn inner_em(&self, widths: &[f64], pt: f64) -> Vec<f64> {
        widths
            .iter()
            .map(|w| (w - 2.0 * INSET_X_MM) / pt_mm(pt))
            .collect()
    }

    /// The height of a row of `n` lines at `pt`, mm.
    fn row_mm(lines: usize, pt: f64) -> f64 {
        let n = lines.max(1) as f64;
        pt_mm(pt) * (n + (n - 1.0) * LEADING_EM) + 2.0 * INSET_Y_MM
    }

    /// A cell's size and line count: 10 pt, or 8 pt when 10 pt would take more than two lines or
    /// a number, date or ID (which never breaks) would run past the cell's edge.
    fn fit(text: &str, em10: f64, em8: f64) -> (f64, usize) {
        if text.is_empty() {
            return (CELL_PT, 1);
        }
        let (n, over) = cells::cell_fit(text, em10);
        if n <= 2 && !over {
            (CELL_PT, n)
        } else {
            (SMALL_PT, cells::cell_lines(text, em8))
        }
    }

    fn row_height(&self, row: &[String], em10: &[f64], em8: &[f64]) -> f64 {
        row.iter()
            .enumerate()
            .map(|(i, t)| {
                let (pt, n) = Self::fit(t, em10[i], em8[i]);
                Self::row_mm(n, pt)
            })
            .fold(0.0, f64::max)
    }

    fn head_height(&self, widths: &[f64]) -> f64 {
        let em = self.inner_em(widths, HEAD_PT);
        self.columns
            .iter()
            .enumerate()
            .map(|(i, c)| Self::row_mm(cells::cell_lines(&c.head, em[i]), HEAD_PT))
            .fold(0.0, f64::max)
    }

    fn head_block_mm(&self) -> f64 {
        (if self.issuer.is_empty() {
            0.0
        } else {
            ISSUER_BLOCK_MM
        }) + TITLE_BLOCK_MM
            + if self.subtitle.is_some() {
                SUBTITLE_BLOCK_MM
            } else {
                0.0
            }
            + TITLE_GAP_MM
    }

    fn notes_mm(&self) -> f64 {
        if self.notes.is_empty() {
            return 0.0;
        }
        let em = self.content_mm() / pt_mm(CELL_PT);
        let lines: usize = self.notes.iter().map(|n| cells::cell_lines(n, em)).sum();
        2.0 + Self::row_mm(lines, CELL_PT) - 2.0 * INSET_Y_MM + 1.0
    }

    /// Splits the rows into pages: each page as full as its height allows, less `slack_mm`.
    /// Returns the row range of each page (at least one page, possibly empty).
    pub fn paginate(&self, slack_mm: f64) -> Vec<std::ops::Range<usize>> {
        let widths = self.widths_mm();
        let em10 = self.inner_em(&widths, CELL_PT);
        let em8 = self.inner_em(&widths, SMALL_PT);
        let page_h =
            (if self.landscape { 210.0 } else { 297.0 }) - MARGIN_TOP_MM - MARGIN_BOTTOM_MM;
        let head = self.head_height(&widths);
        let totals = self.columns.iter().any(|c| c.total);
        let total_row = Self::row_mm(1, CELL_PT);
        let per_page_fixed = head + if totals { total_row } else { 0.0 } + PAGE_SLACK_MM + slack_mm;
        let last_extra = if totals { total_row } else { 0.0 } + self.notes_mm();
        let heights: Vec<f64> = self
            .rows
            .iter()
            .map(|r| self.row_height(r, &em10, &em8))
            .collect();
        let n = heights.len();
        let mut pages = Vec::new();
        let mut start = 0;
        loop {
            let first = pages.is_empty();
            let room = page_h - per_page_fixed - if first { self.head_block_mm() } else { 0.0 };
            let mut used = 0.0;
            let mut end = start;
            while end < n && used + heights[end] <= room {
                used += heights[end];
                end += 1;
            }
            if end == start && end < n {
                // A row taller than a page still goes on a page of its own.
                used = heights[end];
                end += 1;
            }
            // The last page also holds 累计 and the notes. When they do not fit under the last
            // rows, this page stays full but for its last row, which opens the final page with
            // them (a page is never left half empty for them).
            if end == n && end - start > 1 && used + last_extra > room {
                end -= 1;
                used -= heights[end];
            }
            pages.push(start..end);
            start = end;
            if start >= n {
                if used + last_extra > room && last_extra > 0.0 && !pages.is_empty() && n > 0 {
                    pages.push(n..n);
                }
                break;
            }
        }
        pages
    }

    /// The printed total of every column over the whole book (empty where not totalled).
    fn grand_totals(&self) -> Vec<String> {
        let mut sums = vec![0i128; self.columns.len()];
        let totalled: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].total)
            .collect();
        for row in &self.sums {
            for (k, s) in row.iter().enumerate() {
                if let Some(&c) = totalled.get(k) {
                    sums[c] += s;
                }
            }
        }
        (0..self.columns.len())
            .map(|i| {
                if self.columns[i].total {
                    self.format_sum(i, sums[i])
                } else {
                    String::new()
                }
            })
            .collect()
    }

    fn format_sum(&self, col: usize, sum: i128) -> String {
        match self.columns[col].format {
            ColumnFormat::Money => value::format_money(i64::try_from(sum).unwrap_or(i64::MAX)),
            ColumnFormat::Number(d) => format_decimal(sum as f64 / MICRO, Some(d)),
            ColumnFormat::Text => String::new(),
        }
    }

    fn totals_row(&self, label: &str, rows: std::ops::Range<usize>) -> Json {
        let totalled: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i].total)
            .collect();
        let mut sums = vec![0i128; totalled.len()];
        for r in rows {
            for (k, s) in self.sums[r].iter().enumerate() {
                sums[k] += s;
            }
        }
        let span = self.first_total_column().max(1);
        let em10 = self.inner_em(&self.widths_mm(), CELL_PT);
        let mut cells = vec![json!({"span": span, "t": label})];
        for (i, &room) in em10.iter().enumerate().skip(span) {
            let t = totalled
                .iter()
                .position(|&c| c == i)
                .map(|k| self.format_sum(i, sums[k]))
                .unwrap_or_default();
            // A sum wider than its cell at 10 pt is set at 8 pt, as the column's figures are.
            let pt = if cells::width_em(&t) > room {
                SMALL_PT
            } else {
                CELL_PT
            };
            cells.push(json!({"span": 1, "t": t, "s": pt}));
        }
        json!(cells)
    }

    /// The data of pages `first..first + count` of a book paginated as `pages`.
    pub fn chunk_json(&self, pages: &[std::ops::Range<usize>], first: usize, count: usize) -> Json {
        let widths = self.widths_mm();
        let em10 = self.inner_em(&widths, CELL_PT);
        let em8 = self.inner_em(&widths, SMALL_PT);
        let head_em = self.inner_em(&widths, HEAD_PT);
        let totals = self.columns.iter().any(|c| c.total);
        let last = pages.len() - 1;
        let page_json: Vec<Json> = (first..(first + count).min(pages.len()))
            .map(|p| {
                let rows: Vec<Json> = self.rows[pages[p].clone()]
                    .iter()
                    .map(|row| {
                        Json::Array(
                            row.iter()
                                .enumerate()
                                .map(|(i, t)| {
                                    let (pt, _) = Self::fit(t, em10[i], em8[i]);
                                    if pt < CELL_PT {
                                        json!({"s": pt, "t": cells::cell_json(t, em8[i])})
                                    } else {
                                        cells::cell_json(t, em10[i])
                                    }
                                })
                                .collect(),
                        )
                    })
                    .collect();
                json!({
                    "index": p + 1,
                    "rows": rows,
                    // A one-page book has one 合计; a longer one 本页合计 on each page and 累计.
                    "totals": totals.then(|| self.totals_row(
                        if last == 0 { "合计" } else { "本页合计" },
                        pages[p].clone(),
                    )),
                    "grand": (totals && p == last && last > 0)
                        .then(|| self.totals_row("累计", 0..self.rows.len())),
                })
            })
            .collect();
        json!({
            "title": self.title,
            "issuer": self.issuer,
            "landscape": self.landscape,
            "head_mm": self.head_block_mm(),
            "subtitle": self.subtitle.as_ref().map(|(l, r)| json!([l, r])),
            "widths_mm": widths,
            "aligns": self.columns.iter().enumerate().map(|(i, c)| match c.format {
                ColumnFormat::Money | ColumnFormat::Number(_) => "right",
                ColumnFormat::Text if i > 0 && c.weight >= 2.0 => "left",
                ColumnFormat::Text => "center",
            }).collect::<Vec<_>>(),
            "heads": self.columns.iter().enumerate().map(|(i, c)| cells::cell_json(&c.head, head_em[i])).collect::<Vec<_>>(),
            "pages": page_json,
            "total_pages": pages.len(),
            "notes": if first + count >= pages.len() { json!(self.notes) } else { json!([]) },
        })
    }

    /// The whole book as one document's data (small books, tests, the benchmark).
    pub fn document_json(&self) -> Json {
        let pages = self.paginate(0.0);
        self.chunk_json(&pages, 0, pages.len())
    }
}

/// Layout data of a register of `def`'s rows, all pages in one document.
pub fn register_data(def: &FormDef, records: &[FormRecord], office: &str) -> Result<Json> {
    Ok(Book::from_records(def, records, office)?.document_json())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(rows: usize, text: &str) -> Book {
        Book::new(
            "登记簿".into(),
            String::new(),
            true,
            vec![
                Column {
                    head: "序号".into(),
                    weight: 0.0,
                    format: ColumnFormat::Text,
                    total: false,
                },
                Column {
                    head: "事由".into(),
                    weight: 3.0,
                    format: ColumnFormat::Text,
                    total: false,
                },
                Column {
                    head: "金额（元）".into(),
                    weight: 1.0,
                    format: ColumnFormat::Money,
                    total: true,
                },
            ],
            (0..rows)
                .map(|i| vec![(i + 1).to_string(), text.to_owned(), "1.00".into()])
                .collect(),
            (0..rows).map(|_| vec![100]).collect(),
            vec![],
        )
    }

    #[test]
    fn pages_cover_every_row_once_in_order() {
        let b = book(500, "短");
        let pages = b.paginate(0.0);
        assert_eq!(pages.first().map(|p| p.start), Some(0));
        assert_eq!(pages.last().map(|p| p.end), Some(500));
        for w in pages.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
        // One-line rows (6.4 mm) on a landscape page: more than 16 rows.
        assert!(pages[1].len() >= 20, "{}", pages[1].len());
    }

    #[test]
    fn long_rows_take_fewer_per_page_and_an_empty_book_has_one_page() {
        let short = book(200, "短").paginate(0.0);
        let long = book(200, &"很长的事由说明".repeat(12)).paginate(0.0);
        assert!(long.len() > short.len());
        assert_eq!(book(0, "").paginate(0.0), vec![0..0]);
    }

    /// A book as wide as 固定资产实物帐: many text columns and one narrow money column.
    fn wide_book(figure: &str) -> Book {
        let mut columns = vec![Column {
            head: "序号".into(),
            weight: 0.0,
            format: ColumnFormat::Text,
            total: false,
        }];
        columns.extend((0..10).map(|_| Column {
            head: "栏目".into(),
            weight: 2.0,
            format: ColumnFormat::Text,
            total: false,
        }));
        columns.push(Column {
            head: "单价".into(),
            weight: 1.0,
            format: ColumnFormat::Money,
            total: false,
        });
        let mut row = vec!["1".to_owned()];
        row.extend((0..10).map(|_| "在用".to_owned()));
        row.push(figure.to_owned());
        Book::new(
            "固定资产实物帐".into(),
            String::new(),
            true,
            columns,
            vec![row],
            vec![vec![]],
            vec![],
        )
    }

    #[test]
    fn a_figure_wider_than_its_column_is_given_room_and_set_smaller() {
        for figure in ["138,000.00", "1,380,000.00", "12,345,678.90"] {
            let b = wide_book(figure);
            let w = b.widths_mm();
            assert!(
                (w.iter().sum::<f64>() - b.content_mm()).abs() < 1e-6,
                "{w:?}"
            );
            let em10 = b.inner_em(&w, CELL_PT);
            let em8 = b.inner_em(&w, SMALL_PT);
            let last = w.len() - 1;
            let (pt, lines) = Book::fit(figure, em10[last], em8[last]);
            assert_eq!(lines, 1, "{figure}");
            // The figure fits its cell at the size it is set in.
            let room = if pt < CELL_PT { em8[last] } else { em10[last] };
            assert!(
                cells::width_em(figure) <= room + 1e-6,
                "{figure}: {pt} pt, {w:?}"
            );
        }
    }

    #[test]
    fn a_book_with_no_room_to_give_keeps_its_widths() {
        // Every column asks for more room: nothing to take it from, no panic, widths sum up.
        let mut b = wide_book("138,000.00");
        for c in b.columns.iter_mut().skip(1) {
            c.format = ColumnFormat::Money;
            c.weight = 1.0;
        }
        b.rows = vec![
            std::iter::once("1".to_owned())
                .chain((0..11).map(|_| "123,456,789.00".to_owned()))
                .collect(),
        ];
        let w = b.widths_mm();
        assert!(
            (w.iter().sum::<f64>() - b.content_mm()).abs() < 1e-6,
            "{w:?}"
        );
    }

    #[test]
    fn totals_in_the_column_format() {
        let b = book(3, "短");
        let t = b.totals_row("本页合计", 0..3);
        assert_eq!(t[1]["t"], "3.00");
    }
}
