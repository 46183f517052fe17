//! Resuming: what earlier (interrupted, sharded or complete) runs finished, and cleaning up what
//! a crash or an older run left in DEST, so a resumed run ends exactly like an uninterrupted one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::manifest::{Entry, Journal, Manifest, STATE_DIR, Settings, Status};
use crate::error::{Error, Result};
use crate::number::assign::sha256_hex;
use crate::output::atomic;

/// Whether a previous run's entry can stand for the planned one: same plan (source, 档号,
/// description, input hashes), and the output on disk is the one recorded.
pub fn reusable(planned: &Entry, prev: &Entry, dest: &Path) -> bool {
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
/// were made with the same settings; and whether the journals were (else they start afresh).
pub fn previous(
    dest: &Path,
    settings: &Settings,
    notices: &mut Vec<String>,
) -> (HashMap<(String, Option<usize>), Entry>, bool) {
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
    let trusted = journal_settings.as_ref() == Some(settings);
    if trusted {
        for j in journals {
            out.extend(Journal::read(&j).into_iter().map(|e| (e.key(), e)));
        }
    } else if journal_settings.is_some() {
        stale = true;
    }
    if stale {
        notices.push("上次运行的设置（PDF/A 级别、归档章、双面、archive.toml 等）与本次不同，这些 件 全部重新生成".into());
    }
    (out, trusted)
}

pub fn write_settings(dest: &Path, settings: &Settings) -> Result<()> {
    let bytes = serde_json::to_vec_pretty(settings).map_err(|e| Error::Pdf(e.to_string()))?;
    atomic::write(&dest.join(STATE_DIR).join("settings.json"), &bytes)
}

/// Temporary files a killed run left (never anything else).
pub fn remove_temp_files(dest: &Path) {
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
pub fn remove_stale(dest: &Path, manifest: &Manifest) {
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
