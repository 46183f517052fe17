//! One archive run: plan the whole tree, render this shard's 件 folder by folder on every core,
//! write each atomically and journal it, then the folder's 归档文件目录 (and bound volume), and
//! at the end `manifest.json` (or, for a shard, its part of it).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::config::ArchiveConfig;
use super::manifest::{Entry, Journal, Manifest, STATE_DIR, Settings, Status};
use super::plan::{self, PlanContext};
use super::shard::Shard;
use super::walk::{self, Filter, folder_of};
use super::{bind, catalogue, resume, sheets};
use crate::error::{Error, Result};
use crate::form::load::Catalog;
use crate::output::progress::Progress;

use crate::output::atomic;
use crate::pipeline::archive::{ArchiveOptions, Format};
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
    /// PDF/A or OFD-A.
    pub format: Format,
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
    plan::number(cfg, &mut entries, opts.format.extension());
    let fp = plan::fingerprint(&entries);
    Ok((entries, fp))
}

/// The settings recorded with the output.
pub fn settings(opts: &RunOptions, cfg: &ArchiveConfig) -> Settings {
    Settings {
        wenshu: env!("CARGO_PKG_VERSION").to_owned(),
        pdfa: opts.conformance.name().to_owned(),
        format: opts.format.name().to_owned(),
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
        resume::remove_temp_files(&opts.dest);
    }
    let (previous, journal_trusted) = if opts.resume {
        resume::previous(&opts.dest, &settings, &mut outcome.notices)
    } else {
        (HashMap::new(), false)
    };
    resume::write_settings(&opts.dest, &settings)?;
    // A journal written under other settings is started afresh, never appended to.
    let journal = Mutex::new(Journal::open(
        &Journal::path(&opts.dest, shard.index, shard.count),
        !journal_trusted,
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
            .filter(|p| resume::reusable(e, p, &opts.dest))
    };
    let to_render = folders
        .values()
        .flatten()
        .filter(|e| reused(e).is_none())
        .count();
    let progress = if opts.quiet {
        Progress::hidden()
    } else {
        Progress::auto("归档", "件")
    };
    progress.set_total(to_render);
    progress.stage("排版");
    let aopts = ArchiveOptions {
        conformance: opts.conformance,
        stamp: opts.stamp.then(|| cfg.stamp.clone()),
        duplex: opts.duplex,
        fonds: cfg.fonds.clone(),
        office: cfg.office.clone(),
        format: opts.format,
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
            let r = super::item::one(
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
                let refused = matches!(&r, Ok((e, _)) if e.status == Status::Refused);
                progress.advance(1, usize::from(refused));
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
            resume::remove_stale(&opts.dest, &manifest);
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
    let bytes = catalogue::pdf(
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
