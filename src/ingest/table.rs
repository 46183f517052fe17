//! Spreadsheets (xlsx/xls/ods via calamine), CSV and JSON arrays → rows of cells, each row
//! numbered as the clerk sees it in Excel (1-based), with the header row found automatically.

use std::path::Path;

use calamine::{Data, Reader, Sheets, open_workbook_auto};

use crate::error::{Error, Result};
use crate::ingest::limits;
use crate::ingest::text;
use crate::limits::Limits;
use crate::model::value::Cell;

/// Rows above the header that may hold a title: the header is looked for in the first ten.
const HEADER_SCAN: usize = 10;

/// One data row.
#[derive(Debug, Clone)]
pub struct SheetRow {
    /// Row number as shown by Excel (1-based), or the record number for JSON.
    pub number: usize,
    /// Cells, aligned with [`Table::headers`].
    pub cells: Vec<Cell>,
}

/// A table read from a file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The sheet name (spreadsheets) or file name.
    pub sheet: String,
    /// Header texts as found (merged header cells repeat the text of their first cell).
    pub headers: Vec<String>,
    /// Header row number (1-based).
    pub header_row: usize,
    /// Data rows; blank rows are skipped.
    pub rows: Vec<SheetRow>,
    /// The text encoding a CSV/TXT file was read in (`GBK/GB18030`, `UTF-16LE` …).
    pub encoding: Option<&'static str>,
}

/// Normalises a header or label for matching: no spaces (also full-width), full-width ASCII
/// folded, `*` required markers and trailing colons dropped.
pub fn normalize(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            '\u{3000}' | ' ' | '\t' | '\n' | '\r' | '*' | '＊' => None,
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0),
            c => Some(c),
        })
        .collect::<String>()
        .trim_end_matches([':', '：'])
        .to_owned()
}

/// The cells of an xlsx sheet, streamed, at their absolute (row, column) positions.
fn stream_xlsx<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Xlsx<RS>,
    name: &str,
    limits: &Limits,
) -> std::result::Result<Vec<Vec<Cell>>, String> {
    let mut reader = wb.worksheet_cells_reader(name).map_err(|e| e.to_string())?;
    let mut grid: Vec<Vec<Cell>> = Vec::new();
    let (mut rows_seen, mut last_row) = (0usize, usize::MAX);
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize, c as usize);
        let value = cell_of(&calamine::Data::from(cell.get_value().clone()), limits);
        if value == Cell::Empty {
            continue;
        }
        if r != last_row {
            last_row = r;
            rows_seen += 1;
            if rows_seen > limits.sheet_max_rows + HEADER_SCAN {
                return Err(too_many_rows(limits));
            }
        }
        if grid.len() <= r {
            grid.resize_with(r + 1, Vec::new);
        }
        let row = &mut grid[r];
        if row.len() <= c {
            row.resize(c + 1, Cell::Empty);
        }
        row[c] = value;
    }
    Ok(grid)
}

fn too_many_rows(limits: &Limits) -> String {
    format!(
        "数据超过 {} 行（上限 [limits] sheet_max_rows；可在 wenshu.toml 的 [limits] 或用 --max-rows 调整，或把表格分成几份）",
        limits.sheet_max_rows
    )
}

/// Reads `path`. `sheet` picks a worksheet by name (default: the first). `is_known` tells which
/// header texts are field labels, to find the header row under a merged title row.
pub fn read(path: &Path, sheet: Option<&str>, is_known: &dyn Fn(&str) -> bool) -> Result<Table> {
    read_with(path, sheet, is_known, &crate::limits::get())
}

/// [`read`] with explicit limits.
pub fn read_with(
    path: &Path,
    sheet: Option<&str>,
    is_known: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> Result<Table> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let err = |message: String| Error::Table {
        path: path.to_owned(),
        message,
    };
    let (sheet_name, grid) = match ext.as_str() {
        "xlsx" | "xlsm" | "xls" | "xlsb" | "ods" => {
            // Expansion is checked before calamine reads anything into memory.
            let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
            if ext == "xls" {
                limits::check_file_size(path, limits).map_err(&err)?;
            } else {
                let file = std::fs::File::open(path).map_err(|source| Error::Io {
                    path: path.to_owned(),
                    source,
                })?;
                limits::check_zip(std::io::BufReader::new(file), size, limits).map_err(&err)?;
            }
            let mut wb = open_workbook_auto(path).map_err(|e| err(e.to_string()))?;
            let names = wb.sheet_names();
            let name = match sheet {
                Some(s) => names
                    .iter()
                    .find(|n| n.as_str() == s)
                    .cloned()
                    .ok_or_else(|| {
                        err(format!("没有名为“{s}”的工作表（有：{}）", names.join("、")))
                    })?,
                None => names
                    .first()
                    .cloned()
                    .ok_or_else(|| err("工作簿中没有工作表".into()))?,
            };
            let merges = merged_regions(&mut wb, &name);
            // xlsx is read cell by cell into the grid (no intermediate copy of the sheet);
            // the other formats through calamine's range.
            let (mut grid, (r0, c0)) = match &mut wb {
                Sheets::Xlsx(x) => (stream_xlsx(x, &name, limits).map_err(&err)?, (0, 0)),
                _ => {
                    let range = wb.worksheet_range(&name).map_err(|e| err(e.to_string()))?;
                    if range.height() > limits.sheet_max_rows + HEADER_SCAN {
                        return Err(err(too_many_rows(limits)));
                    }
                    let start = range.start().unwrap_or((0, 0));
                    let grid: Vec<Vec<Cell>> = range
                        .rows()
                        .map(|r| r.iter().map(|d| cell_of(d, limits)).collect())
                        .collect();
                    (grid, start)
                }
            };
            // Merged cells: every cell of a merged area reads as its top-left cell.
            for m in merges {
                let (sr, sc) = (
                    m.start.0.saturating_sub(r0) as usize,
                    m.start.1.saturating_sub(c0) as usize,
                );
                let value = grid
                    .get(sr)
                    .and_then(|r: &Vec<Cell>| r.get(sc))
                    .cloned()
                    .unwrap_or(Cell::Empty);
                for r in m.start.0..=m.end.0 {
                    for c in m.start.1..=m.end.1 {
                        let (rr, cc) =
                            (r.saturating_sub(r0) as usize, c.saturating_sub(c0) as usize);
                        if let Some(cell) = grid.get_mut(rr).and_then(|row| row.get_mut(cc)) {
                            *cell = value.clone();
                        }
                    }
                }
            }
            // Prepend empty rows so indices match Excel's row numbers.
            let mut full = vec![Vec::new(); r0 as usize];
            full.extend(grid);
            (name, full)
        }
        "csv" | "txt" => {
            let (grid, encoding) = read_csv(path, limits)?;
            let mut table = from_grid(file_name(path), grid, is_known, limits).map_err(&err)?;
            table.encoding = Some(encoding);
            return Ok(table);
        }
        "json" => return read_json(path, limits),
        _ => {
            return Err(err(format!(
                "不支持的文件类型“.{ext}”，请使用 xlsx、xls、ods、csv 或 json"
            )));
        }
    };
    from_grid(sheet_name, grid, is_known, limits).map_err(err)
}

/// A text data file (CSV, JSON) within the size limit, decoded from whatever encoding it was
/// saved in.
fn read_text(path: &Path, limits: &Limits) -> Result<text::Decoded> {
    let err = |message: String| Error::Table {
        path: path.to_owned(),
        message,
    };
    limits::check_file_size(path, limits).map_err(&err)?;
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    text::decode(&bytes).map_err(|e| err(e.to_string()))
}

/// A CSV (or tab-separated TXT) file in whatever encoding it was saved in.
fn read_csv(path: &Path, limits: &Limits) -> Result<(Vec<Vec<Cell>>, &'static str)> {
    let err = |message: String| Error::Table {
        path: path.to_owned(),
        message,
    };
    let decoded = read_text(path, limits)?;
    let encoding = decoded.encoding;
    // Excel's “Unicode 文本” is tab-separated; its CSV is comma-separated.
    let first = decoded.text.lines().next().unwrap_or_default();
    let delimiter = if first.matches('\t').count() > first.matches(',').count() {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(decoded.text.as_bytes());
    let mut grid = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(format!("{e}（文件编码：{encoding}）")))?;
        if grid.len() > limits.sheet_max_rows + HEADER_SCAN {
            return Err(err(too_many_rows(limits)));
        }
        grid.push(
            rec.iter()
                .map(|s| {
                    if s.trim().is_empty() {
                        Cell::Empty
                    } else {
                        limit_text(s.trim_start_matches('\u{FEFF}').to_owned(), limits)
                    }
                })
                .collect(),
        );
    }
    Ok((grid, encoding))
}

/// A text cell, or [`Cell::TooLong`] past `sheet_max_cell_chars` (only its beginning is kept).
fn limit_text(s: String, limits: &Limits) -> Cell {
    // Cheap test first: fewer bytes than the limit means fewer characters too.
    if s.len() <= limits.sheet_max_cell_chars {
        return Cell::Text(s);
    }
    let chars = s.chars().count();
    if chars <= limits.sheet_max_cell_chars {
        return Cell::Text(s);
    }
    Cell::TooLong {
        chars,
        head: s.chars().take(40).collect(),
    }
}

/// Merged areas of a sheet (xlsx and xls; ods has none in calamine).
fn merged_regions<RS: std::io::Read + std::io::Seek>(
    wb: &mut calamine::Sheets<RS>,
    name: &str,
) -> Vec<calamine::Dimensions> {
    match wb {
        calamine::Sheets::Xlsx(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        calamine::Sheets::Xls(x) => x.merge_cells_by_sheet_name(name).unwrap_or_default(),
        _ => Vec::new(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn cell_of(d: &Data, limits: &Limits) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        Data::String(s) => limit_text(s.clone(), limits),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => dt
            .as_datetime()
            .map_or(Cell::Number(dt.as_f64()), Cell::DateTime),
        Data::DateTimeIso(s) | Data::DurationIso(s) => Cell::Text(s.clone()),
        Data::Error(e) => Cell::Text(format!("#{e:?}")),
    }
}

/// Finds the header row (the first row, within the first ten, with the most known labels) and
/// keeps the non-blank rows below it.
fn from_grid(
    sheet: String,
    grid: Vec<Vec<Cell>>,
    is_known: &dyn Fn(&str) -> bool,
    limits: &Limits,
) -> std::result::Result<Table, String> {
    let score = |row: &Vec<Cell>| {
        row.iter()
            .filter(|c| is_known(&normalize(&c.display())))
            .count()
    };
    let header_idx = grid
        .iter()
        .enumerate()
        .take(HEADER_SCAN)
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .max_by_key(|(i, r)| (score(r), std::cmp::Reverse(*i)))
        .map(|(i, _)| i)
        .unwrap_or(0);
    let headers: Vec<String> = grid
        .get(header_idx)
        .map(|r| r.iter().map(Cell::display).collect())
        .unwrap_or_default();
    let rows: Vec<SheetRow> = grid
        .into_iter()
        .enumerate()
        .skip(header_idx + 1)
        .filter(|(_, r)| r.iter().any(|c| !c.is_empty()))
        .map(|(i, mut cells)| {
            cells.resize(headers.len().max(cells.len()), Cell::Empty);
            SheetRow {
                number: i + 1,
                cells,
            }
        })
        .collect();
    if rows.len() > limits.sheet_max_rows {
        return Err(too_many_rows(limits));
    }
    Ok(Table {
        sheet,
        headers,
        header_row: header_idx + 1,
        rows,
        encoding: None,
    })
}

/// A JSON array of objects (keys are headers).
fn read_json(path: &Path, limits: &Limits) -> Result<Table> {
    let err = |message: String| Error::Table {
        path: path.to_owned(),
        message,
    };
    let decoded = read_text(path, limits)?;
    let value: serde_json::Value =
        serde_json::from_str(&decoded.text).map_err(|e| err(e.to_string()))?;
    let items = value
        .as_array()
        .ok_or_else(|| err("JSON 应为对象数组，每个对象一行".into()))?;
    if items.len() > limits.sheet_max_rows {
        return Err(err(too_many_rows(limits)));
    }
    let mut headers: Vec<String> = Vec::new();
    for item in items {
        if let Some(obj) = item.as_object() {
            for k in obj.keys() {
                if !headers.contains(k) {
                    headers.push(k.clone());
                }
            }
        }
    }
    let rows = items
        .iter()
        .enumerate()
        .map(|(i, item)| SheetRow {
            number: i + 1,
            cells: headers
                .iter()
                .map(|h| match item.get(h) {
                    None | Some(serde_json::Value::Null) => Cell::Empty,
                    Some(serde_json::Value::String(s)) => limit_text(s.clone(), limits),
                    Some(serde_json::Value::Number(n)) => {
                        n.as_f64().map_or(Cell::Empty, Cell::Number)
                    }
                    Some(serde_json::Value::Bool(b)) => Cell::Bool(*b),
                    Some(other) => limit_text(other.to_string(), limits),
                })
                .collect(),
        })
        .collect();
    Ok(Table {
        sheet: file_name(path),
        headers,
        header_row: 0,
        rows,
        encoding: (decoded.encoding != "UTF-8").then_some(decoded.encoding),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_normalisation() {
        assert_eq!(normalize(" 姓　名："), "姓名");
        assert_eq!(normalize("*请假天数"), "请假天数");
        assert_eq!(normalize("ＩＤ号"), "ID号");
    }
}
