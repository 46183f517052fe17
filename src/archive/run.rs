//! One archive run: plan the whole tree, render this shard's 件 folder by folder on every core,
//! write each atomically and journal it, then the folder's 归档文件目录 (and bound volume), and
//! at the end `manifest.json` (or, for a shard, its part of it).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::config::ArchiveConfig;
use super::manifest::{Entry, Journal, Manifest, STATE_DIR, Settings, Status};
use super::plan::{self, PlanContext};
use super::progress::Progress;
use super::shard::Shard;
use super::walk::{self, Filter, folder_of};
use super::{bind, catalogue, sheets};
use crate::error::{Error, Result};
use crate::form::load::Catalog;
use crate::number::assign::sha256_hex;
use crate::output::atomic;
use crate::pipeline::archive::{ArchiveOptions, Attachment, Body, produce};
use crate::render::pdf::Conformance;
use crate::render::workers;
use crate::render::world::Engine;

/// Options of `wenshu archive`.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    /// SRC.
    pub src: PathBuf,
    /// DEST.
    pub dest: PathBuf,
    /// `archive.toml` elsewhere than SRC.
    pub config: Option<PathBuf>,
    /// `--include` globs.
    pub include: Vec<String>,
    /// `--exclude` globs.
    pub exclude: Vec<String>,
    /// Plan and validate only.
    pub dry_run: bool,
    /// Skip 件 already done (same inputs, same settings, output intact).
    pub resume: bool,
    /// Archive 涉密 documents too.
    pub include_classified: bool,
    /// PDF/A level.
    pub conformance: Conformance,
    /// Print the 归档章.
    pub stamp: bool,
    /// Every 件 starts on a recto.
    pub duplex: bool,
    /// One bound PDF per folder.
    pub bind: bool,
    /// This machine's share.
    pub shard: Option<Shard>,
    /// No progress output.
    pub quiet: bool,
}

/// What a run did.
#[derive(Debug, Default)]
pub struct Outcome {
    /// This run's entries (this shard's share), final.
    pub entries: Vec<Entry>,
    /// 件 rendered now.
    pub rendered: usize,
    /// 件 found done by `--resume`.
    pub skipped: usize,
    /// Notices for the console.
    pub notices: Vec<String>,
}

impl Outcome {
    /// Entries refused.
    pub fn refused(&self) -> usize {
        self.entries
            .iter()
            .filter(|e| e.status == Status::Refused)
            .count()
    }
}

/// Refuses a DEST that is SRC, lies inside it, or contains it: SRC is never written to.
pub fn check_paths(src: &Path, dest: &Path) -> Result<()> {
    let s = std::fs::canonicalize(src).map_err(|source| Error::Io {
        path: src.to_owned(),
        source,
    })?;
    if !s.is_dir() {
        return Err(Error::Output {
            path: src.to_owned(),
            message: "源（SRC）应为目录".into(),
        });
    }
    let d = resolved(dest);
    if d.starts_with(&s) || s.starts_with(&d) {
        return Err(Error::Output {
            path: dest.to_owned(),
            message: format!(
                "输出目录与源目录 {} 重叠；源目录只读，请换一个输出目录",
                src.display()
            ),
        });
    }
    Ok(())
}

/// The absolute form of a path that may not exist yet (its existing part canonicalised).
fn resolved(p: &Path) -> PathBuf {
    let abs = std::path::absolute(p).unwrap_or_else(|_| p.to_owned());
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (
            existing.file_name().map(ToOwned::to_owned),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = parent.to_owned();
            }
            _ => break,
        }
    }
    let mut out = std::fs::canonicalize(&existing).unwrap_or(existing);
    out.extend(rest.iter().rev());
    out
}

/// Plans the whole tree: every entry (archived-to-be or refused) with its 档号, and the plan's fingerprint.
pub fn plan_tree(
    opts: &RunOptions,
    cfg: &ArchiveConfig,
    catalog: &Catalog,
) -> Result<(Vec<Entry>, String)> {
    let filter = Filter::new(&opts.include, &opts.exclude)?;
    let found = walk::walk(&opts.src, &filter, Some(&opts.dest))?;
    let ctx = PlanContext {
        src: &opts.src,
        config: cfg,
        catalog,
        include_classified: opts.include_classified,
    };
    let mut entries = plan::describe(&ctx, &found);
    plan::number(cfg, &mut entries);
    let fp = plan::fingerprint(&entries);
    Ok((entries, fp))
}

/// The settings recorded with the output.
pub fn settings(opts: &RunOptions, cfg: &ArchiveConfig) -> Settings {
    Settings {
        wenshu: env!("CARGO_PKG_VERSION").to_owned(),
        pdfa: opts.conformance.name().to_owned(),
        stamp: opts.stamp,
        duplex: opts.duplex,
        include_classified: opts.include_classified,
        config: cfg.clone(),
    }
}

/// Runs the archive.
pub fn run(engine: Option<&Engine>, catalog: &Catalog, opts: &RunOptions) -> Result<Outcome> {
    check_paths(&opts.src, &opts.dest)?;
    let cfg = ArchiveConfig::load(&opts.src, opts.config.as_deref())?;
    let (planned, fingerprint) = plan_tree(opts, &cfg, catalog)?;
    let owned: Vec<Entry> = planned
        .into_iter()
        .filter(|e| opts.shard.is_none_or(|s| s.owns(&e.source)))
        .collect();
    let mut outcome = Outcome::default();
    let Some(engine) = engine.filter(|_| !opts.dry_run) else {
        outcome.entries = owned;
        return Ok(outcome);
    };
    let settings = settings(opts, &cfg);
    let shard = opts.shard.unwrap_or(Shard { index: 0, count: 1 });
    if opts.shard.is_none() {
        remove_temp_files(&opts.dest);
    }
    let previous = if opts.resume {
        previous(&opts.dest, &settings, &mut outcome.notices)
    } else {
        HashMap::new()
    };
    write_settings(&opts.dest, &settings)?;
    let journal = Mutex::new(Journal::open(
        &Journal::path(&opts.dest, shard.index, shard.count),
        !opts.resume,
    )?);
    let (refused, todo): (Vec<Entry>, Vec<Entry>) =
        owned.into_iter().partition(|e| e.status == Status::Refused);
    let mut folders: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for e in todo {
        folders
            .entry(folder_of(&e.source).to_owned())
            .or_default()
            .push(e);
    }
    let reused = |e: &Entry| {
        previous
            .get(&e.key())
            .filter(|p| reusable(e, p, &opts.dest))
    };
    let to_render = folders
        .values()
        .flatten()
        .filter(|e| reused(e).is_none())
        .count();
    let progress = Progress::new(to_render, opts.quiet);
    let aopts = ArchiveOptions {
        conformance: opts.conformance,
        stamp: opts.stamp.then(|| cfg.stamp.clone()),
        duplex: opts.duplex,
        fonds: cfg.fonds.clone(),
        office: cfg.office.clone(),
    };
    let cache = sheets::Cache::default();
    let mut written: Vec<PathBuf> = Vec::new();
    let mut finals = refused;
    for (folder, entries) in folders {
        let ordered = catalogue::ordered(&entries);
        let jobs: Vec<(Entry, Option<Entry>)> = ordered
            .iter()
            .map(|e| ((*e).clone(), reused(e).cloned()))
            .filter(|(_, prev)| opts.bind || prev.is_none())
            .collect();
        let results = workers::run(jobs.len(), |i| {
            let (e, prev) = &jobs[i];
            let r = one(
                engine,
                catalog,
                &cache,
                opts,
                &aopts,
                e,
                prev.is_none(),
                &journal,
            );
            if prev.is_none() {
                progress.advance();
            }
            r
        });
        let mut done: Vec<Entry> = Vec::new();
        let mut docs = Vec::new();
        for ((e, prev), r) in jobs.iter().zip(results) {
            let (entry, doc) = r?;
            match prev {
                Some(p) => {
                    outcome.skipped += 1;
                    done.push(p.clone());
                }
                None => {
                    if entry.status == Status::Archived {
                        outcome.rendered += 1;
                        written.extend(entry.output.as_ref().map(|o| opts.dest.join(o)));
                    }
                    done.push(entry);
                }
            }
            if let Some(d) = doc {
                docs.push((e.clone(), d));
            }
        }
        // 件 skipped without binding were not in the job list.
        for e in &ordered {
            if !jobs.iter().any(|(j, _)| j.key() == e.key())
                && let Some(p) = reused(e)
            {
                outcome.skipped += 1;
                done.push(p.clone());
            }
        }
        if opts.shard.is_none() {
            let archived = catalogue::ordered(&done);
            written.extend(write_catalogue(
                engine,
                &opts.dest,
                &cfg,
                opts.conformance,
                &folder,
                &archived,
            )?);
            if opts.bind && !archived.is_empty() {
                let path = bind::volume(engine, &opts.dest, &cfg, opts, &folder, &archived, docs)?;
                written.push(path);
            }
        }
        finals.extend(done);
    }
    progress.finish();
    atomic::sync(written.iter().map(PathBuf::as_path))?;
    let manifest = Manifest::new(settings, fingerprint, finals);
    match opts.shard {
        Some(s) => atomic::write(&s.manifest_path(&opts.dest), &manifest.to_bytes()?)?,
        None => {
            remove_stale(&opts.dest, &manifest);
            atomic::write(
                &opts.dest.join(super::manifest::FILE_NAME),
                &manifest.to_bytes()?,
            )?;
        }
    }
    drop(journal);
    let _ = std::fs::remove_file(Journal::path(&opts.dest, shard.index, shard.count));
    if opts.shard.is_none() {
        let _ = std::fs::remove_file(opts.dest.join(STATE_DIR).join("settings.json"));
        let _ = std::fs::remove_dir(opts.dest.join(STATE_DIR));
    }
    outcome.entries = manifest.items;
    Ok(outcome)
}

/// Writes a folder's 归档文件目录 (xlsx and PDF); returns the paths written.
pub fn write_catalogue(
    engine: &Engine,
    dest: &Path,
    cfg: &ArchiveConfig,
    conformance: Conformance,
    folder: &str,
    archived: &[&Entry],
) -> Result<Vec<PathBuf>> {
    if archived.is_empty() {
        return Ok(Vec::new());
    }
    let dir = dest.join(folder);
    let xlsx = dir.join(catalogue::XLSX);
    let pdf = dir.join(catalogue::PDF);
    atomic::write_deferred(
        &xlsx,
        &catalogue::xlsx(&cfg.fonds, &cfg.office, folder, archived)?,
    )?;
    let (bytes, _) = catalogue::pdf(
        engine,
        conformance,
        &cfg.fonds,
        &cfg.office,
        folder,
        archived,
    )?;
    atomic::write_deferred(&pdf, &bytes)?;
    Ok(vec![xlsx, pdf])
}

/// Renders (and, when `write`, writes and journals) one 件; a 件 that cannot be rendered comes
/// back refused, the run goes on.
#[allow(clippy::too_many_arguments)]
fn one(
    engine: &Engine,
    catalog: &Catalog,
    cache: &sheets::Cache,
    opts: &RunOptions,
    aopts: &ArchiveOptions,
    e: &Entry,
    write: bool,
    journal: &Mutex<Journal>,
) -> Result<(Entry, Option<typst_layout::PagedDocument>)> {
    let mut e = e.clone();
    let source = opts.src.join(&e.source);
    let produced = (|| {
        let bytes = std::fs::read(&source).map_err(|s| Error::Io {
            path: source.clone(),
            source: s,
        })?;
        if sha256_hex(&bytes) != e.input_sha256 {
            return Err(Error::Output {
                path: source.clone(),
                message: "源文件在归档过程中被修改，请重新运行".into(),
            });
        }
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match (
            e.kind.as_str(),
            e.form.as_deref().and_then(|f| catalog.get(f)),
        ) {
            ("公文", _) => {
                let att = Attachment {
                    name,
                    mime: mime_of(&source).into(),
                    bytes,
                };
                produce(engine, &e, &Body::Gongwen(&source), aopts, Some(att))
            }
            (kind, Some(def)) => {
                let loaded = cache.get(def, &source)?;
                if kind == "登记簿" {
                    let att = Attachment {
                        name,
                        mime: mime_of(&source).into(),
                        bytes,
                    };
                    return produce(
                        engine,
                        &e,
                        &Body::Register(def, &loaded.records),
                        aopts,
                        Some(att),
                    );
                }
                let rec = loaded
                    .records
                    .iter()
                    .find(|r| Some(r.row) == e.row)
                    .ok_or_else(|| Error::Output {
                        path: source.clone(),
                        message: "该行已不在表中".into(),
                    })?;
                let att = Attachment {
                    name: format!("{}-第{}行.json", name, rec.row),
                    mime: "application/json".into(),
                    bytes: row_json(&e, &loaded.sheet, rec),
                };
                produce(
                    engine,
                    &e,
                    &Body::FormRow(def, rec, &source),
                    aopts,
                    Some(att),
                )
            }
            _ => Err(Error::Definition {
                file: e.form.clone().unwrap_or_default(),
                message: "表单定义不存在".into(),
            }),
        }
    })();
    match produced {
        Ok(p) => {
            e.pages = Some(p.pages);
            e.output_sha256 = Some(sha256_hex(&p.pdf));
            e.messages.extend(p.warnings);
            if write {
                let out = opts.dest.join(e.output.as_deref().unwrap_or_default());
                atomic::refuse_inputs(&out, [source.as_path()])?;
                atomic::write_deferred(&out, &p.pdf)?;
                if let Ok(mut j) = journal.lock() {
                    j.record(&e)?;
                }
            }
            Ok((e, opts.bind.then_some(p.document)))
        }
        Err(err) => {
            let why = plan::message_of(&e.source, &source, &err);
            let kept = format!(
                "（件号 {} 保留，修正后用 --resume 重新运行）",
                e.item_number.unwrap_or(0)
            );
            let mut e = plan::refuse(e, vec![format!("{why}{kept}")]);
            e.output = None;
            Ok((e, None))
        }
    }
}

/// A form row as JSON, attached to a PDF/A-3b as its source.
fn row_json(e: &Entry, sheet: &str, rec: &crate::validate::form::FormRecord) -> Vec<u8> {
    let values: serde_json::Map<String, serde_json::Value> = rec
        .values
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.display())))
        .collect();
    let doc =
        serde_json::json!({"source": e.source, "sheet": sheet, "row": rec.row, "values": values});
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

fn mime_of(p: &Path) -> &'static str {
    match p
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("toml") => "application/toml",
        Some("json") => "application/json",
        Some("csv") => "text/csv",
        Some("xlsx" | "xlsm") => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        Some("xls") => "application/vnd.ms-excel",
        Some("ods") => "application/vnd.oasis.opendocument.spreadsheet",
        _ => "application/octet-stream",
    }
}

/// Whether a previous run's entry can stand for the planned one: same plan (source, 档号,
/// description, input hashes), and the output on disk is the one recorded.
fn reusable(planned: &Entry, prev: &Entry, dest: &Path) -> bool {
    let strip = |e: &Entry| {
        let mut e = e.clone();
        e.pages = None;
        e.output_sha256 = None;
        e.messages.clear();
        e
    };
    prev.status == Status::Archived
        && strip(planned) == strip(prev)
        && prev.output.as_ref().is_some_and(|o| {
            std::fs::read(dest.join(o)).is_ok_and(|b| Some(sha256_hex(&b)) == prev.output_sha256)
        })
}

/// What earlier runs finished, from `manifest.json`, shard manifests and journals — only if they
/// were made with the same settings.
fn previous(
    dest: &Path,
    settings: &Settings,
    notices: &mut Vec<String>,
) -> HashMap<(String, Option<usize>), Entry> {
    let mut out = HashMap::new();
    let mut stale = false;
    let state = dest.join(STATE_DIR);
    let mut manifests = vec![dest.join(super::manifest::FILE_NAME)];
    let mut journals = Vec::new();
    if let Ok(rd) = std::fs::read_dir(&state) {
        let mut paths: Vec<PathBuf> = rd
            .filter_map(std::result::Result::ok)
            .map(|e| e.path())
            .collect();
        paths.sort();
        for p in paths {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if name.starts_with("manifest-") {
                manifests.push(p);
            } else if name.starts_with("journal-") {
                journals.push(p);
            }
        }
    }
    for m in manifests {
        match Manifest::read(&m) {
            Ok(m) if &m.settings == settings => {
                out.extend(m.items.into_iter().map(|e| (e.key(), e)));
            }
            Ok(_) => stale = true,
            Err(_) => {}
        }
    }
    let journal_settings = std::fs::read(state.join("settings.json"))
        .ok()
        .and_then(|b| serde_json::from_slice::<Settings>(&b).ok());
    if journal_settings.as_ref() == Some(settings) {
        for j in journals {
            out.extend(Journal::read(&j).into_iter().map(|e| (e.key(), e)));
        }
    } else if journal_settings.is_some() {
        stale = true;
    }
    if stale {
        notices.push("上次运行的设置（PDF/A 级别、归档章、双面、archive.toml 等）与本次不同，这些 件 全部重新生成".into());
    }
    out
}

fn write_settings(dest: &Path, settings: &Settings) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(settings).map_err(|e| Error::Pdf(e.to_string()))?;
    atomic::write(&dest.join(STATE_DIR).join("settings.json"), &bytes)
}

/// Temporary files a killed run left (never anything else).
fn remove_temp_files(dest: &Path) {
    for e in walkdir::WalkDir::new(dest)
        .into_iter()
        .filter_map(std::result::Result::ok)
    {
        let name = e.file_name().to_string_lossy();
        if e.file_type().is_file() && name.starts_with(".wenshu-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

/// Outputs an earlier run recorded that this run no longer produces (a source removed or
/// refused since): removed, so DEST is exactly this run's result. Only recorded files go.
fn remove_stale(dest: &Path, manifest: &Manifest) {
    let Ok(old) = Manifest::read(&dest.join(super::manifest::FILE_NAME)) else {
        return;
    };
    let keep: std::collections::HashSet<&str> = manifest
        .items
        .iter()
        .filter(|e| e.status == Status::Archived)
        .filter_map(|e| e.output.as_deref())
        .collect();
    for o in old.items.iter().filter_map(|e| e.output.as_deref()) {
        if !keep.contains(o) {
            let _ = std::fs::remove_file(dest.join(o));
        }
    }
}
