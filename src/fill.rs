//! The forms pipeline: a spreadsheet of rows → one validated PDF per row (or one register),
//! plus the list of refused rows. Rows are independent; rendering runs on every core.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::form::schema::{FormDef, FormKind};
use crate::ingest::table::{self, Table};
use crate::number::assign::sha256_hex;
use crate::number::registry::{DocRecord, Registry};
use crate::output::atomic;
use crate::pipeline::form::{check_pages, lay_out_register, lay_out_row};
use crate::prepare::form::{form_data, number_for, render_pattern, signature_assets};
use crate::render::pdf::{self, PdfSettings};
use crate::render::workers;
use crate::render::world::Engine;
use crate::validate::form::{self, FormCheck, FormRecord, RowError};

/// Options of `wenshu fill`.
#[derive(Debug, Clone, Default)]
pub struct FillOptions {
    /// Worksheet name.
    pub sheet: Option<String>,
    /// Only these Excel rows (inclusive).
    pub rows: Option<(usize, usize)>,
    /// Validate only.
    pub dry_run: bool,
    /// Required signatures must carry names (approved forms).
    pub require_signatures: bool,
    /// Issuing office for `{{ office }}`.
    pub office: String,
    /// First sequence number per year when numbers are generated.
    pub start_seq: u32,
    /// PDF/A-2b.
    pub pdfa: bool,
    /// Take numbers from this registry (and record every PDF produced).
    pub registry: Option<PathBuf>,
}

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct FillOutcome {
    /// The sheet read.
    pub sheet: String,
    /// Data rows considered.
    pub rows: usize,
    /// PDFs written.
    pub written: Vec<PathBuf>,
    /// Every refused cell.
    pub errors: Vec<RowError>,
    /// Rows refused.
    pub refused_rows: usize,
    /// Headers that matched nothing.
    pub unknown_columns: Vec<String>,
    /// Rows whose form ran onto more than one page (printed with the title repeated).
    pub multi_page_rows: Vec<usize>,
}

/// Reads the data file and maps its columns; a missing required column refuses the whole sheet.
pub fn read_table(
    def: &FormDef,
    data: &Path,
    sheet: Option<&str>,
) -> Result<(Table, form::ColumnMap)> {
    let table = table::read(data, sheet, &|h| form::knows_header(def, h))?;
    let map = form::map_columns(def, &table);
    if !map.missing.is_empty() {
        return Err(Error::Table {
            path: data.to_owned(),
            message: format!(
                "工作表“{}”第 {} 行的表头缺少必填列：{}（可用 wenshu forms template {} 生成模板）",
                table.sheet,
                table.header_row,
                map.missing.join("、"),
                def.id
            ),
        });
    }
    Ok((table, map))
}

/// Validates every row; renders and writes the valid ones into `out_dir`.
pub fn fill(
    engine: &Engine,
    def: &FormDef,
    data: &Path,
    out_dir: &Path,
    opts: &FillOptions,
) -> Result<FillOutcome> {
    let (table, map) = read_table(def, data, opts.sheet.as_deref())?;
    let base = data.parent().unwrap_or(Path::new("."));
    let rows: Vec<_> = table
        .rows
        .iter()
        .filter(|r| opts.rows.is_none_or(|(a, b)| (a..=b).contains(&r.number)))
        .collect();
    let check = FormCheck {
        require_signatures: opts.require_signatures,
    };
    let results: Vec<std::result::Result<FormRecord, Vec<RowError>>> = rows
        .par_iter()
        .map(|r| form::validate_row(def, &map, r, check))
        .collect();
    let mut outcome = FillOutcome {
        sheet: table.sheet.clone(),
        rows: rows.len(),
        unknown_columns: map.unknown.clone(),
        ..FillOutcome::default()
    };
    let mut records = Vec::new();
    for r in results {
        match r {
            Ok(rec) => records.push(rec),
            Err(errs) => {
                outcome.refused_rows += 1;
                outcome.errors.extend(errs);
            }
        }
    }
    if opts.dry_run || records.is_empty() {
        return Ok(outcome);
    }
    match def.kind {
        FormKind::Register => {
            let compiled = workers::one(|| lay_out_register(engine, def, &records, &opts.office))?;
            let pdf = finish(&compiled.document, def, None, opts)?;
            let path = out_dir.join(format!("{}.pdf", sanitize(&def.title)));
            atomic::write(&path, &pdf)?;
            outcome.written.push(path);
        }
        FormKind::Form => {
            // Numbers are handed out in row order, per year, before rendering in parallel.
            let mut seqs: std::collections::BTreeMap<i32, u32> = std::collections::BTreeMap::new();
            let mut registry = match (&opts.registry, &def.numbering) {
                (Some(path), Some(_)) => {
                    Some(Registry::open(path).map_err(|e| Error::Registry(e.to_string()))?)
                }
                _ => None,
            };
            let source = std::fs::canonicalize(data)
                .unwrap_or_else(|_| data.to_owned())
                .display()
                .to_string();
            let key_of = |rec: &FormRecord| format!("{source}#{}!{}", table.sheet, rec.row);
            let mut jobs = Vec::new();
            for rec in records {
                let year = rec.date.map_or(0, |d| chrono::Datelike::year(&d));
                let number = match (&mut registry, &def.numbering, &rec.given_number) {
                    (Some(reg), Some(pattern), None) => {
                        // The registry's sequence, per form and year; re-running a sheet keeps its numbers.
                        let issued = reg
                            .reserve(&def.id, "", year, &key_of(&rec), pattern)
                            .map_err(|e| Error::Registry(e.to_string()))?;
                        Some(issued.number)
                    }
                    (Some(reg), Some(pattern), Some(given)) => {
                        // A hand-typed number must parse, belong to the form's year, and be free and in sequence.
                        let problem =
                            match crate::prepare::pattern::parse_number(pattern, "", given) {
                                None => Some((
                                    "form.number.format",
                                    format!("编号“{given}”不符合格式 {pattern}"),
                                )),
                                Some((y, _)) if y != year => Some((
                                    "form.number.year",
                                    format!("编号“{given}”的年份 {y} 与表单日期年份 {year} 不一致"),
                                )),
                                Some((y, seq)) => reg
                                    .claim(&def.id, "", y, seq, &key_of(&rec), pattern)
                                    .err()
                                    .map(|e| ("form.number.registry", e.to_string())),
                            };
                        if let Some((code, message)) = problem {
                            outcome.refused_rows += 1;
                            outcome.errors.push(RowError {
                                row: rec.row,
                                column: None,
                                field: "编号".into(),
                                value: given.clone(),
                                code: code.into(),
                                message,
                                hint: "清空编号列，用 --assign-numbers 由编号库发号".into(),
                            });
                            continue;
                        }
                        Some(given.clone())
                    }
                    _ => {
                        let seq = seqs.entry(year).or_insert(opts.start_seq.max(1));
                        let n = number_for(def, &rec, *seq)?;
                        *seq += 1;
                        n
                    }
                };
                let name = file_name(def, &rec, number.as_deref())?;
                jobs.push((rec, number, name));
            }
            dedupe(&mut jobs);
            let written: Vec<Result<(PathBuf, usize)>> = workers::run(jobs.len(), |i| {
                let (rec, number, name) = &jobs[i];
                let data = form_data(def, rec, number.as_deref(), &opts.office)?;
                let assets = signature_assets(rec, base)?;
                let compiled = lay_out_row(engine, data, &assets)?;
                let pdf = finish(&compiled.document, def, number.as_deref(), opts)?;
                let path = out_dir.join(name);
                atomic::write_deferred(&path, &pdf)?;
                Ok((path, compiled.document.pages().len()))
            });
            // A row that cannot be printed (a missing signature image, a character no font has)
            // is refused like an invalid one; the other rows go on.
            for ((rec, _, _), w) in jobs.iter().zip(written) {
                match w {
                    Ok((p, pages)) => {
                        if pages > 1 {
                            outcome.multi_page_rows.push(rec.row);
                        }
                        if let Some(reg) = &mut registry
                            && def.numbering.is_some()
                        {
                            let pdf = std::fs::read(&p).map_err(|source| Error::Io {
                                path: p.clone(),
                                source,
                            })?;
                            let record = DocRecord {
                                kind: def.id.clone(),
                                title: def.title.clone(),
                                date: rec
                                    .date
                                    .map(crate::model::value::chinese_date)
                                    .unwrap_or_default(),
                                output: p.display().to_string(),
                                sha256: sha256_hex(&pdf),
                                ..DocRecord::default()
                            };
                            reg.commit(&def.id, &key_of(rec), &record)
                                .map_err(|e| Error::Registry(e.to_string()))?;
                        }
                        outcome.written.push(p);
                    }
                    Err(Error::Io { path, source }) if !path.starts_with(out_dir) => {
                        outcome.refused_rows += 1;
                        outcome.errors.push(RowError {
                            row: rec.row,
                            column: None,
                            field: "签名图片".into(),
                            value: path.display().to_string(),
                            code: "form.signature.image".into(),
                            message: format!("无法读取签名图片：{source}"),
                            hint: "图片路径相对于数据文件所在目录".into(),
                        });
                    }
                    Err(Error::Template(message)) => {
                        outcome.refused_rows += 1;
                        outcome.errors.push(RowError {
                            row: rec.row,
                            column: None,
                            field: String::new(),
                            value: String::new(),
                            code: "form.render".into(),
                            message,
                            hint: "检查本行中的生僻字（或用 --font-dir 提供含这些字的字体）和过长且无法断行的内容"
                                .into(),
                        });
                    }
                    Err(e) => return Err(e),
                }
            }
            atomic::sync(outcome.written.iter().map(PathBuf::as_path))?;
        }
    }
    Ok(outcome)
}

fn finish(
    doc: &typst_layout::PagedDocument,
    def: &FormDef,
    number: Option<&str>,
    opts: &FillOptions,
) -> Result<Vec<u8>> {
    check_pages(doc, def)?;
    pdf::export(
        doc,
        &PdfSettings {
            ident: format!("{}:{}", def.id, number.unwrap_or_default()),
            date: None,
            pdfa: opts.pdfa,
            ..PdfSettings::default()
        },
    )
}

/// Output file name: the definition's pattern, or `行号-标题`.
fn file_name(def: &FormDef, rec: &FormRecord, number: Option<&str>) -> Result<String> {
    let base = match &def.file_name {
        Some(p) => {
            let mut values: std::collections::BTreeMap<String, String> = rec
                .values
                .iter()
                .map(|(l, v)| (l.clone(), v.display()))
                .collect();
            values.insert("row".into(), rec.row.to_string());
            values.insert("number".into(), number.unwrap_or_default().to_owned());
            render_pattern(p, &values)?
        }
        None => format!("{:04}-{}", rec.row, def.title),
    };
    Ok(format!("{}.pdf", sanitize(&base)))
}

/// Characters no file system accepts become `_`.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(
                c,
                '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' | '\0'
            ) || c.is_control()
            {
                '_'
            } else {
                c
            }
        })
        .collect::<String>()
        .trim()
        .to_owned()
}

fn dedupe(jobs: &mut [(FormRecord, Option<String>, String)]) {
    let mut seen = std::collections::HashSet::new();
    for (rec, _, name) in jobs.iter_mut() {
        if !seen.insert(name.clone()) {
            let stem = name.trim_end_matches(".pdf").to_owned();
            *name = format!("{stem}-{}.pdf", rec.row);
            seen.insert(name.clone());
        }
    }
}
