//! `wenshu archive merge DEST`: the shards' manifests joined into `manifest.json`, and every
//! folder's 归档文件目录 written from it — byte for byte what one machine would have written.

use std::collections::BTreeMap;
use std::path::Path;

use super::manifest::{FILE_NAME, Manifest, STATE_DIR};
use super::{catalogue, run, shard};
use crate::error::Result;
use crate::output::atomic;
use crate::render::pdf::Conformance;
use crate::render::world::Engine;

/// Merges the shard manifests found in `dest`; returns the merged manifest.
pub fn merge(engine: &Engine, dest: &Path) -> Result<Manifest> {
    let (paths, manifest) = shard::collect(dest)?;
    let cfg = &manifest.settings.config;
    let conformance = Conformance::parse(&manifest.settings.pdfa).unwrap_or_default();
    let mut folders: BTreeMap<&str, Vec<&super::manifest::Entry>> = BTreeMap::new();
    for e in &manifest.items {
        folders
            .entry(super::walk::folder_of(&e.source))
            .or_default()
            .push(e);
    }
    let mut written = Vec::new();
    for (folder, entries) in folders {
        let archived = catalogue::ordered(entries);
        written.extend(run::write_catalogue(
            engine,
            dest,
            cfg,
            conformance,
            folder,
            &archived,
        )?);
    }
    atomic::sync(written.iter().map(std::path::PathBuf::as_path))?;
    atomic::write(&dest.join(FILE_NAME), &manifest.to_bytes()?)?;
    for p in paths {
        let _ = std::fs::remove_file(p);
    }
    let state = dest.join(STATE_DIR);
    let _ = std::fs::remove_file(state.join("settings.json"));
    let _ = std::fs::remove_dir(&state);
    Ok(manifest)
}
