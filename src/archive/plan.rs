//! Planning an archive before anything is rendered: every source read and validated, every 件
//! described (题名, 责任者, 文号, 日期, 密级, 保管期限, 机构), then 件号 and 档号 assigned over the
//! whole tree in DA/T 22-2015 order. Nothing of a document is kept but its description, so the
//! plan of a tree of tens of thousands of 件 stays small; rendering reads each source again.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use rayon::prelude::*;

use super::config::ArchiveConfig;
use super::manifest::{Asset, Entry, Status};
use super::sheets;
use super::walk::{Found, SourceKind, folder_of, relative};
use crate::form::load::Catalog;
use crate::form::schema::FormKind;
use crate::number::assign::sha256_hex;

/// What the plan needs besides the sources.
pub struct PlanContext<'a> {
    /// SRC.
    pub src: &'a Path,
    /// `archive.toml`.
    pub config: &'a ArchiveConfig,
    /// Form definitions.
    pub catalog: &'a Catalog,
    /// Archive 涉密 documents too.
    pub include_classified: bool,
}

/// Describes every source: a 件 per 公文, per valid form row, per register; a refused entry per
/// source or row that cannot be archived. Sources are read on every core.
pub fn describe(ctx: &PlanContext, found: &[Found]) -> Vec<Entry> {
    let per_file: Vec<Vec<Entry>> = found
        .par_iter()
        .map(|f| match f.kind {
            SourceKind::Gongwen => vec![gongwen(ctx, f)],
            SourceKind::Sheet => sheet(ctx, f),
        })
        .collect();
    per_file.into_iter().flatten().collect()
}

/// A planned or refused entry with the fields every kind shares.
pub fn blank(source: &str, row: Option<usize>, kind: &str, input: &[u8]) -> Entry {
    Entry {
        source: source.to_owned(),
        row,
        kind: kind.to_owned(),
        form: None,
        output: None,
        archival_code: None,
        year: None,
        retention: None,
        department: None,
        item_number: None,
        doc_number: String::new(),
        title: String::new(),
        responsible: String::new(),
        date: String::new(),
        pages: None,
        classification: String::new(),
        remark: String::new(),
        input_sha256: sha256_hex(input),
        assets: Vec::new(),
        output_sha256: None,
        status: Status::Archived,
        messages: Vec::new(),
    }
}

/// Marks an entry refused with its reasons.
pub fn refuse(mut e: Entry, messages: Vec<String>) -> Entry {
    e.status = Status::Refused;
    e.messages = messages;
    e
}

/// Fills in what every planned 件 gets from the configuration: 年度, 保管期限, 机构.
fn classify(ctx: &PlanContext, mut e: Entry, date: Option<NaiveDate>, kinds: &[&str]) -> Entry {
    let Some(date) = date else {
        return refuse(
            e.clone(),
            vec![format!(
                "{}: 错误[archive.date.missing] 没有可用的日期，无法确定年度和件号；请填写成文日期或表单日期",
                locate(&e)
            )],
        );
    };
    e.date = date.format("%Y%m%d").to_string();
    e.year = Some(chrono::Datelike::year(&date));
    let dept = ctx.config.department(folder_of(&e.source));
    e.retention = Some(ctx.config.retention(dept.map(|d| d.1), kinds));
    e.department = dept.map(|(key, d)| {
        let name = d
            .name
            .clone()
            .unwrap_or_else(|| key.rsplit('/').next().unwrap_or(key).to_owned());
        (d.code.clone(), name)
    });
    if !e.classification.is_empty() && !ctx.include_classified {
        let why = format!(
            "{}: 错误[archive.classified] 涉密文件（密级：{}）未归档：涉密文件按保密规定单独整理、保管；确需一并归档请加 --include-classified",
            locate(&e),
            e.classification
        );
        return refuse(e, vec![why]);
    }
    e
}

/// `source` or `source:第N行`, for messages.
pub fn locate(e: &Entry) -> String {
    match e.row {
        Some(r) => format!("{}:第{r}行", e.source),
        None => e.source.clone(),
    }
}

fn read(path: &Path) -> std::result::Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("无法读取：{e}"))
}

/// Hashes the images a 公文 or form row names (relative to its data file).
fn assets(ctx: &PlanContext, data: &Path, images: &[&str]) -> Vec<Asset> {
    let base = data.parent().unwrap_or(Path::new("."));
    images
        .iter()
        .map(|rel| {
            let p = base.join(rel);
            Asset {
                path: relative(ctx.src, &p),
                sha256: std::fs::read(&p)
                    .map(|b| sha256_hex(&b))
                    .unwrap_or_default(),
            }
        })
        .collect()
}

fn gongwen(ctx: &PlanContext, f: &Found) -> Entry {
    let bytes = match read(&f.path) {
        Ok(b) => b,
        Err(m) => {
            return refuse(
                blank(&f.rel, None, "文件", &[]),
                vec![format!("{}: {m}", f.rel)],
            );
        }
    };
    let e = blank(&f.rel, None, "公文", &bytes);
    let (doc, diags) = match crate::pipeline::check_file(&f.path) {
        Ok(x) => x,
        Err(err) => return refuse(e, vec![message_of(&f.rel, &f.path, &err)]),
    };
    let mut e = e;
    e.title = doc.title.clone();
    e.responsible = doc
        .issuers
        .iter()
        .map(|i| i.name().to_owned())
        .collect::<Vec<_>>()
        .join("、");
    e.doc_number = doc
        .doc_number
        .clone()
        .or_else(|| doc.order_number.clone())
        .unwrap_or_default();
    e.classification = doc.classification.clone().unwrap_or_default();
    let mut images: Vec<&str> = doc.issuers.iter().filter_map(|i| i.seal()).collect();
    images.extend(doc.signature_stamps.iter().map(|s| s.image.as_str()));
    e.assets = assets(ctx, &f.path, &images);
    if crate::error::has_errors(&diags) {
        let msgs = diags
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.display_in(&f.rel))
            .collect();
        return refuse(e, msgs);
    }
    e.messages = diags.iter().map(|d| d.display_in(&f.rel)).collect();
    let date = crate::model::date::parse(&doc.date).ok();
    classify(ctx, e, date, &[doc.kind.as_str()])
}

/// A whole-command error as one message line, naming the source by its path relative to SRC
/// (the manifest never carries where SRC happened to be).
pub fn message_of(rel: &str, path: &Path, err: &crate::Error) -> String {
    match err {
        crate::Error::Invalid { diagnostics, .. } => diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| d.display_in(rel))
            .collect::<Vec<_>>()
            .join("\n"),
        other => {
            let text = other.to_string().replace(&path.display().to_string(), rel);
            let text = text
                .strip_prefix(&format!("{rel}: "))
                .unwrap_or(&text)
                .to_owned();
            format!("{rel}: 错误[archive.source] {text}")
        }
    }
}

fn sheet(ctx: &PlanContext, f: &Found) -> Vec<Entry> {
    let bytes = match read(&f.path) {
        Ok(b) => b,
        Err(m) => {
            return vec![refuse(
                blank(&f.rel, None, "文件", &[]),
                vec![format!("{}: {m}", f.rel)],
            )];
        }
    };
    let file = blank(&f.rel, None, "表单", &bytes);
    let def = match sheets::form_for(ctx.config, ctx.catalog, &f.rel, &f.path) {
        Ok(d) => d,
        Err(m) => {
            return vec![refuse(
                file,
                vec![format!("{}: 错误[archive.form.unknown] {m}", f.rel)],
            )];
        }
    };
    let loaded = match sheets::load(def, &f.path) {
        Ok(l) => l,
        Err(err) => {
            let mut file = file;
            file.form = Some(def.id.clone());
            return vec![refuse(file, vec![message_of(&f.rel, &f.path, &err)])];
        }
    };
    let kind = match def.kind {
        FormKind::Form => "表单",
        FormKind::Register => "登记簿",
    };
    let mut out = Vec::new();
    for (row, errs) in &loaded.refused {
        let mut e = blank(&f.rel, Some(*row), kind, &bytes);
        e.form = Some(def.id.clone());
        e.title = def.title.clone();
        out.push(refuse(
            e,
            errs.iter()
                .map(|x| x.display_in(&f.rel, &loaded.sheet))
                .collect(),
        ));
    }
    let kinds = [def.id.as_str(), def.title.as_str()];
    match def.kind {
        FormKind::Form => {
            for rec in &loaded.records {
                let mut e = blank(&f.rel, Some(rec.row), kind, &bytes);
                e.form = Some(def.id.clone());
                let d = sheets::describe(def, rec, &ctx.config.office);
                e.title = d.title;
                e.responsible = d.responsible;
                e.doc_number = d.number;
                e.classification = d.classification;
                let images: Vec<&str> = rec
                    .signatures
                    .iter()
                    .filter_map(|s| s.image.as_deref())
                    .collect();
                e.assets = assets(ctx, &f.path, &images);
                out.push(classify(ctx, e, d.date, &kinds));
            }
        }
        FormKind::Register if !loaded.records.is_empty() => {
            let mut e = blank(&f.rel, None, kind, &bytes);
            e.form = Some(def.id.clone());
            e.title = def.title.clone();
            e.responsible = ctx.config.office.clone();
            e.remark = format!("共 {} 条", loaded.records.len());
            let date = loaded
                .records
                .iter()
                .filter_map(crate::pipeline::form::record_date)
                .max();
            out.push(classify(ctx, e, date, &kinds));
        }
        FormKind::Register => {}
    }
    out
}

/// Assigns 件号 and 档号 (DA/T 22-2015 §7): 件号 run from 1 within each 年度, 保管期限 and 机构,
/// in the order of date, then 文号 (then source and row, so the order is total); the 档号 is
/// 全宗号-门类代码·年度-保管期限-机构代码-件号, and the 件 (`.pdf` or `.ofd`, `extension`) is named
/// after it in the mirrored folder.
pub fn number(cfg: &ArchiveConfig, entries: &mut [Entry], extension: &str) {
    type Group = (i32, super::config::Retention, String);
    let mut groups: BTreeMap<Group, Vec<usize>> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        if let (Status::Archived, Some(year), Some(ret)) = (e.status, e.year, e.retention) {
            let dept = e
                .department
                .as_ref()
                .map(|d| d.0.clone())
                .unwrap_or_default();
            groups.entry((year, ret, dept)).or_default().push(i);
        }
    }
    for ((year, ret, dept), mut members) in groups {
        members.sort_by(|&a, &b| {
            let (x, y) = (&entries[a], &entries[b]);
            (&x.date, &x.doc_number, &x.source, x.row).cmp(&(
                &y.date,
                &y.doc_number,
                &y.source,
                y.row,
            ))
        });
        for (n, i) in members.into_iter().enumerate() {
            let seq = u32::try_from(n + 1).unwrap_or(u32::MAX);
            let dept_part = if dept.is_empty() {
                String::new()
            } else {
                format!("-{dept}")
            };
            let code = format!(
                "{}-{}·{year}-{}{dept_part}-{seq:04}",
                cfg.fonds,
                cfg.category,
                ret.code()
            );
            let e = &mut entries[i];
            let folder = folder_of(&e.source);
            e.output = Some(if folder.is_empty() {
                format!("{code}.{extension}")
            } else {
                format!("{folder}/{code}.{extension}")
            });
            e.item_number = Some(seq);
            e.archival_code = Some(code);
        }
    }
}

/// A fingerprint of the plan: every entry's identity, status, 档号 and input hash. Shards of one
/// archive must have planned the same tree the same way.
pub fn fingerprint(entries: &[Entry]) -> String {
    let mut keyed: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{}\u{1f}{:?}\u{1f}{:?}\u{1f}{}\u{1f}{}",
                e.source,
                e.row,
                e.status,
                e.archival_code.as_deref().unwrap_or_default(),
                e.input_sha256
            )
        })
        .collect();
    keyed.sort();
    sha256_hex(keyed.join("\n").as_bytes())
}
