//! The forms pipeline: a spreadsheet of rows → one validated PDF per row (or one register),
//! plus the list of refused rows. Rows are independent; rendering runs on every core.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::NaiveDate;
use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::form::schema::{FormDef, FormKind};
use crate::ingest::table::{self, Table};
use crate::limits::Limits;
use crate::number::form::{self as number, RowNumber};
use crate::number::registry::Registry;
use crate::output::atomic;
use crate::output::progress::Progress;
use crate::pipeline::form::{lay_out_row, record_date};
use crate::prepare::form::{form_data, render_pattern, signature_assets};
use crate::render::workers;
use crate::render::world::Engine;
use crate::validate::form::{self, FormCheck, FormRecord, RowError};

mod deliver;
mod duplicates;
mod outputs;

use deliver::{commit_row, refuse_inputs};
use duplicates::refuse_duplicates;

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
    /// PDF/A-2b.
    pub pdfa: bool,
    /// The numbering registry: numbers typed in the sheet are checked against it (and recorded),
    /// and with `assign_numbers` blank numbers are taken from it. Without a registry a typed
    /// number cannot be checked and its row is refused.
    pub registry: Option<PathBuf>,
    /// Take numbers for rows without one from the registry. Otherwise the number is left blank
    /// for handwriting: a number is never made up outside the registry, so two runs can never
    /// print the same number on two requests.
    pub assign_numbers: bool,
    /// Limits on the spreadsheet read.
    pub limits: Limits,
    /// Where to show progress (hidden by default).
    pub progress: Option<Progress>,
    /// PDF, OFD or both (the OFD beside the PDF, same name, `.ofd`).
    pub formats: crate::render::formats::Formats,
}

/// What a run produced.
#[derive(Debug, Clone, Default)]
pub struct FillOutcome {
    /// The sheet read.
    pub sheet: String,
    /// Data rows considered.
    pub rows: usize,
    /// Files written: each form's PDF and/or OFD (PDF first), or the register's.
    pub written: Vec<PathBuf>,
    /// Every refused cell.
    pub errors: Vec<RowError>,
    /// Rows refused.
    pub refused_rows: usize,
    /// Headers that matched nothing.
    pub unknown_columns: Vec<String>,
    /// Their Excel column letters, parallel to `unknown_columns`.
    pub unknown_column_letters: Vec<String>,
    /// Rows whose form ran onto more than one page (printed with the title repeated).
    pub multi_page_rows: Vec<usize>,
    /// Things the clerk should know once per run (numbers left blank, the file's encoding …).
    pub notices: Vec<String>,
    /// The text encoding of a CSV/TXT input, when it was not plain UTF-8.
    pub encoding: Option<&'static str>,
    /// Every form printed, in sheet order.
    pub printed: Vec<Printed>,
}

/// One printed form: which row, which request, which number.
#[derive(Debug, Clone)]
pub struct Printed {
    /// Excel row.
    pub row: usize,
    /// The request's registry key ([`form::row_key`]).
    pub key: String,
    /// The number printed on it (`None`: left blank for handwriting, or the form has none).
    pub number: Option<String>,
    /// The PDF (the OFD when only OFD is written).
    pub path: PathBuf,
}

/// Reads the data file and maps its columns; a missing required column refuses the whole sheet.
pub fn read_table(
    def: &FormDef,
    data: &Path,
    sheet: Option<&str>,
) -> Result<(Table, form::ColumnMap)> {
    read_table_with(def, data, sheet, &crate::limits::get())
}

/// [`read_table`] with explicit limits.
pub fn read_table_with(
    def: &FormDef,
    data: &Path,
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<(Table, form::ColumnMap)> {
    let table = table::read_with(data, sheet, &|h| form::knows_header(def, h), limits)?;
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
    outputs::check_options(opts)?;
    let progress = opts.progress.clone().unwrap_or_else(Progress::hidden);
    progress.stage("读取表格");
    let (table, map) = read_table_with(def, data, opts.sheet.as_deref(), &opts.limits)?;
    let base = data.parent().unwrap_or(Path::new("."));
    let rows: Vec<_> = table
        .rows
        .iter()
        .filter(|r| opts.rows.is_none_or(|(a, b)| (a..=b).contains(&r.number)))
        .collect();
    progress.set_total(rows.len());
    progress.stage("校验");
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
        unknown_column_letters: map
            .unknown_at
            .iter()
            .map(|i| form::column_letter(*i))
            .collect(),
        encoding: table.encoding,
        ..FillOutcome::default()
    };
    if let Some(enc) = table.encoding {
        outcome
            .notices
            .push(format!("文件编码为 {enc}，已按此编码读取"));
    }
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
    if def.kind == FormKind::Form {
        records = refuse_duplicates(def, records, &mut outcome);
    }
    progress.advance(outcome.refused_rows, outcome.refused_rows);
    if opts.dry_run || records.is_empty() {
        progress.advance(records.len(), 0);
        progress.finish();
        sort_errors(&mut outcome);
        return Ok(outcome);
    }
    match def.kind {
        FormKind::Register => {
            progress.stage(&format!("排版登记簿（{} 行）", records.len()));
            let path = out_dir.join(format!("{}.pdf", sanitize(&def.title)));
            for p in outputs::paths(&path, opts.formats) {
                atomic::refuse_inputs(&p, [data])?;
            }
            let date = records.iter().filter_map(record_date).max();
            let date = date.or_else(|| file_date(data));
            // Paginated by the engine and laid out in page-sized chunks, the PDF exported part by
            // part (flat memory); the progress keeps saying it is still running.
            let files = progress.busy(|| -> Result<Vec<(PathBuf, Vec<u8>)>> {
                let book =
                    crate::prepare::register::Book::from_records(def, &records, &opts.office)?;
                let mut files = Vec::new();
                if opts.formats.pdf {
                    let pdf = crate::output::register::pdf(
                        engine,
                        &book,
                        &outputs::pdf_settings(def, None, date, opts),
                        |doc, first| crate::pipeline::form::check_pages(doc, def, first),
                    )?;
                    files.push((path.clone(), pdf));
                }
                if opts.formats.ofd {
                    // The OFD is written from the whole book laid out at once: its memory grows
                    // with the book, unlike the PDF's.
                    let doc = crate::output::register::layout(engine, &book)?;
                    let only_ofd = FillOptions {
                        formats: crate::render::formats::Formats {
                            pdf: false,
                            ofd: true,
                        },
                        ..opts.clone()
                    };
                    files.extend(outputs::make(&doc, def, None, date, &only_ofd, &path)?);
                }
                Ok(files)
            })?;
            for (p, bytes) in files {
                atomic::write(&p, &bytes)?;
                outcome.written.push(p);
            }
            progress.advance(records.len(), 0);
        }
        FormKind::Form => fill_forms(
            engine,
            def,
            data,
            base,
            out_dir,
            opts,
            records,
            &progress,
            &mut outcome,
        )?,
    }
    progress.finish();
    sort_errors(&mut outcome);
    Ok(outcome)
}

/// Errors in sheet order (rows are validated in parallel and refused at several stages).
fn sort_errors(outcome: &mut FillOutcome) {
    outcome.errors.sort_by_key(|e| e.row);
}

/// The data file's modification date: the last resort for a PDF date, still reproducible for
/// the same file (never the clock of the run).
fn file_date(path: &Path) -> Option<NaiveDate> {
    let t = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(chrono::DateTime::<chrono::Utc>::from(t).date_naive())
}

/// A row refused after validation (numbering, rendering).
fn refuse(outcome: &mut FillOutcome, e: RowError) {
    outcome.refused_rows += 1;
    outcome.errors.push(e);
}

/// What became of one rendered row.
enum Delivered {
    /// The files are in place (PDF first), with the page count.
    Written(Vec<PathBuf>, usize),
    /// Not delivered: the registry refused its number at commit (voided meanwhile), or the
    /// output would replace an input.
    Refused(RowError),
}

#[allow(clippy::too_many_arguments)]
fn fill_forms(
    engine: &Engine,
    def: &FormDef,
    data: &Path,
    base: &Path,
    out_dir: &Path,
    opts: &FillOptions,
    records: Vec<FormRecord>,
    progress: &Progress,
    outcome: &mut FillOutcome,
) -> Result<()> {
    let numbered = def.numbering.is_some();
    let typed_numbers = records.iter().any(|r| r.given_number.is_some());
    let mut registry = match (
        &opts.registry,
        numbered && (opts.assign_numbers || typed_numbers),
    ) {
        (Some(path), true) => {
            progress.stage("发号");
            Some(Registry::open(path).map_err(|e| Error::Registry(e.to_string()))?)
        }
        _ => None,
    };
    let fallback_date = file_date(data);
    let mut blank = 0usize;
    let mut jobs = Vec::new();
    for rec in records {
        let number = number::number_row(registry.as_mut(), def, &rec, opts.assign_numbers)?;
        match number {
            RowNumber::Refused(e) => {
                refuse(outcome, *e);
                progress.advance(1, 1);
                continue;
            }
            RowNumber::Blank => blank += 1,
            RowNumber::Unnumbered | RowNumber::Held { .. } => {}
        }
        let name = file_name(def, &rec, number.number())?;
        jobs.push((rec, number, name));
    }
    if blank > 0 {
        outcome.notices.push(format!(
            "{blank} 份{}的编号留空，供手写；要由编号库发号，请加 --assign-numbers",
            def.title
        ));
    }
    dedupe(&mut jobs);
    progress.stage("排版");
    // Rendering threads share the registry for the commits, one at a time.
    let registry = registry.map(Mutex::new);
    let written: Vec<Result<Delivered>> = workers::run(jobs.len(), |i| {
        let (rec, number, name) = &jobs[i];
        let result = (|| {
            let path = out_dir.join(name);
            for p in outputs::paths(&path, opts.formats) {
                if let Some(e) = refuse_inputs(&p, data, rec, base) {
                    return Ok(Delivered::Refused(e));
                }
            }
            let mut data = form_data(def, rec, number.number(), &opts.office)?;
            if matches!(number, RowNumber::Blank) {
                // The paper form's 编号 line, left blank for the number to be written in.
                data["number_blank"] = serde_json::Value::Bool(true);
            }
            let assets = signature_assets(rec, base)?;
            let compiled = lay_out_row(engine, data, &assets)?;
            let date = record_date(rec).or(fallback_date);
            let files = outputs::make(&compiled.document, def, number.number(), date, opts, &path)?;
            // Staged, committed, then put in place: a number voided since it was reserved is
            // refused by the commit, and no file is ever delivered with it. The registry
            // keeps the first file (the PDF, or the OFD when it is the only one).
            let staged = files
                .iter()
                .map(|(p, bytes)| atomic::stage_deferred(p, bytes))
                .collect::<Result<Vec<_>>>()?;
            if let Some((main, bytes)) = files.first()
                && let Some(refused) = commit_row(registry.as_ref(), def, rec, number, main, bytes)?
            {
                return Ok(Delivered::Refused(refused));
            }
            for s in staged {
                s.persist()?;
            }
            let paths = files.into_iter().map(|(p, _)| p).collect();
            Ok(Delivered::Written(paths, compiled.document.pages().len()))
        })();
        progress.advance(
            1,
            usize::from(!matches!(result, Ok(Delivered::Written(..)))),
        );
        result
    });
    // A row that cannot be printed (a missing signature image, a character no font has)
    // is refused like an invalid one; the other rows go on.
    for ((rec, number, _), w) in jobs.iter().zip(written) {
        match w {
            Ok(Delivered::Written(paths, pages)) => {
                if pages > 1 {
                    outcome.multi_page_rows.push(rec.row);
                }
                if let Some(p) = paths.first() {
                    outcome.printed.push(Printed {
                        row: rec.row,
                        key: rec.key.clone(),
                        number: number.number().map(str::to_owned),
                        path: p.clone(),
                    });
                }
                outcome.written.extend(paths);
            }
            Ok(Delivered::Refused(e)) => refuse(outcome, e),
            Err(Error::Io { path, source }) if !path.starts_with(out_dir) => refuse(
                outcome,
                RowError {
                    row: rec.row,
                    column: None,
                    field: "签名图片".into(),
                    value: path.display().to_string(),
                    code: "form.signature.image".into(),
                    message: format!("无法读取签名图片：{source}"),
                    hint: "图片路径相对于数据文件所在目录".into(),
                },
            ),
            Err(Error::Template(message)) => refuse(
                outcome,
                RowError {
                    row: rec.row,
                    column: None,
                    field: String::new(),
                    value: String::new(),
                    code: "form.render".into(),
                    message,
                    hint: "检查本行中的生僻字（或用 --font-dir 提供含这些字的字体）和过长且无法断行的内容"
                        .into(),
                },
            ),
            Err(e @ (Error::Pdf(_) | Error::Ofd(_))) => refuse(
                outcome,
                RowError {
                    row: rec.row,
                    column: None,
                    field: String::new(),
                    value: String::new(),
                    code: if matches!(e, Error::Ofd(_)) { "form.ofd" } else { "form.pdf" }.into(),
                    message: e.to_string(),
                    hint: "本行的编号已预留，修正后重新运行即沿用".into(),
                },
            ),
            Err(e) => return Err(e),
        }
    }
    atomic::sync(outcome.written.iter().map(PathBuf::as_path))?;
    let stale = outputs::stale(out_dir, &outcome.written);
    if !outcome.written.is_empty() && !stale.is_empty() {
        let shown: Vec<&str> = stale.iter().take(3).map(String::as_str).collect();
        outcome.notices.push(format!(
            "输出目录 {} 中另有 {} 个本次没有生成的 PDF/OFD（{}{}），多为以前运行留下的：表格插入、删除或调换行后，文件名中的行号会变，同一份申请会留下新旧两个文件；分发前请清理旧文件",
            out_dir.display(),
            stale.len(),
            shown.join("、"),
            if stale.len() > shown.len() { "……" } else { "" }
        ));
    }
    Ok(())
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

fn dedupe(jobs: &mut [(FormRecord, RowNumber, String)]) {
    let mut seen = std::collections::HashSet::new();
    for (rec, _, name) in jobs.iter_mut() {
        if !seen.insert(name.clone()) {
            let stem = name.trim_end_matches(".pdf").to_owned();
            *name = format!("{stem}-{}.pdf", rec.row);
            seen.insert(name.clone());
        }
    }
}
