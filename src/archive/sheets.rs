//! Form spreadsheets in an archive: which form a sheet holds, its rows read and validated once
//! per use, and how a row is described in the catalogue.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::config::ArchiveConfig;
use crate::error::Result;
use crate::fill::read_table;
use crate::form::load::Catalog;
use crate::form::schema::{FieldType, FormDef};
use crate::model::value::Value;
use crate::validate::form::{self, FormCheck, FormRecord, RowError};

/// A sheet read and validated.
#[derive(Debug)]
pub struct Loaded {
    /// The worksheet's name.
    pub sheet: String,
    /// Valid rows, in sheet order.
    pub records: Vec<FormRecord>,
    /// Refused rows with their errors, in sheet order.
    pub refused: Vec<(usize, Vec<RowError>)>,
}

/// Reads the first worksheet and validates every row (signature boxes may be blank: archived
/// forms are the ones that were printed).
pub fn load(def: &FormDef, path: &Path) -> Result<Loaded> {
    let (table, map) = read_table(def, path, None)?;
    let results: Vec<_> = table
        .rows
        .par_iter()
        .map(|r| {
            (
                r.number,
                form::validate_row(def, &map, r, FormCheck::default()),
            )
        })
        .collect();
    let mut loaded = Loaded {
        sheet: table.sheet.clone(),
        records: Vec::new(),
        refused: Vec::new(),
    };
    for (row, r) in results {
        match r {
            Ok(rec) => loaded.records.push(rec),
            Err(errs) => loaded.refused.push((row, errs)),
        }
    }
    Ok(loaded)
}

/// Which form a spreadsheet holds: a `[forms]` glob in `archive.toml`, else a form whose ID is
/// the file name or whose title the file name contains, else the one form whose headers the
/// sheet matches best.
pub fn form_for<'a>(
    cfg: &ArchiveConfig,
    catalog: &'a Catalog,
    rel: &str,
    path: &Path,
) -> std::result::Result<&'a FormDef, String> {
    for (glob, id) in &cfg.forms {
        let matcher = globset::Glob::new(glob)
            .map_err(|e| format!("archive.toml [forms] 中的通配符“{glob}”无效：{e}"))?
            .compile_matcher();
        if matcher.is_match(rel) {
            return catalog.get(id).ok_or_else(|| {
                format!("archive.toml [forms] 指定的表单“{id}”不存在（见 wenshu forms）")
            });
        }
    }
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    if let Some(def) = catalog
        .iter()
        .find(|d| d.id == stem || stem.contains(d.title.as_str()))
    {
        return Ok(def);
    }
    // By headers: every required column present, most headers recognised.
    let mut scored: Vec<(usize, &FormDef)> = catalog
        .iter()
        .filter_map(|d| {
            let (table, map) = read_table(d, path, None).ok()?;
            Some((
                table.headers.iter().filter(|h| !h.is_empty()).count() - map.unknown.len(),
                d,
            ))
        })
        .filter(|(n, _)| *n > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
    match scored.as_slice() {
        [] => Err("认不出这是哪种表单：文件名不含表单名称，表头也不符合任何表单；可在 archive.toml 的 [forms] 中指定".into()),
        [(a, d), (b, e), ..] if a == b => Err(format!(
            "表头同样符合“{}”和“{}”，无法确定表单；请在 archive.toml 的 [forms] 中指定",
            d.title, e.title
        )),
        [(_, d), ..] => Ok(d),
    }
}

/// How a form row appears in the catalogue.
pub struct RowDescription {
    /// 题名: the form's title and who or what it is about, e.g. `工作人员请假申请单（王某某）`.
    pub title: String,
    /// 责任者: the person who made the request (the form's first person field), else the office.
    pub responsible: String,
    /// 文号: the number typed in the sheet, if any.
    pub number: String,
    /// 密级: a `密级` column, if the form has one.
    pub classification: String,
    /// The form's date.
    pub date: Option<NaiveDate>,
}

/// Describes a row.
pub fn describe(def: &FormDef, rec: &FormRecord, office: &str) -> RowDescription {
    let text_of = |ty: FieldType| {
        def.fields
            .iter()
            .filter(|f| f.ty == ty)
            .find_map(|f| rec.get(&f.label).map(Value::display))
            .filter(|s| !s.is_empty())
    };
    let person = text_of(FieldType::Person);
    let about = person.clone().or_else(|| text_of(FieldType::Text));
    RowDescription {
        title: match &about {
            Some(a) => format!("{}（{a}）", def.title),
            None => def.title.clone(),
        },
        responsible: person.unwrap_or_else(|| office.to_owned()),
        number: rec.given_number.clone().unwrap_or_default(),
        classification: rec.get("密级").map(Value::display).unwrap_or_default(),
        date: crate::pipeline::form::record_date(rec),
    }
}

/// Sheets loaded for rendering, shared by the rendering threads: 件 are rendered in source
/// order, so each sheet is read about once; only a few are kept, so memory does not grow with
/// the number of sheets.
#[derive(Default)]
pub struct Cache {
    loaded: Mutex<Vec<(PathBuf, Arc<Loaded>)>>,
}

/// Sheets kept at once.
const CACHED: usize = 8;

impl Cache {
    /// The sheet at `path`, read and validated (or from the cache).
    pub fn get(&self, def: &FormDef, path: &Path) -> Result<Arc<Loaded>> {
        if let Ok(v) = self.loaded.lock()
            && let Some((_, l)) = v.iter().find(|(p, _)| p == path)
        {
            return Ok(l.clone());
        }
        let l = Arc::new(load(def, path)?);
        if let Ok(mut v) = self.loaded.lock() {
            if v.len() >= CACHED {
                v.remove(0);
            }
            v.push((path.to_owned(), l.clone()));
        }
        Ok(l)
    }
}
