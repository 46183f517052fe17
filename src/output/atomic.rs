//! Atomic writes: a temp file in the target's folder, then a rename, so a crash never leaves a
//! half-written PDF behind.

use std::io::Write;
use std::path::Path;

use crate::error::{Error, Result};

/// Writes `bytes` to `path` atomically and durably (flushed to disk before the rename),
/// creating the parent folder.
pub fn write(path: &Path, bytes: &[u8]) -> Result<()> {
    write_impl(path, bytes, true)
}

/// Writes `bytes` to `path` atomically but leaves flushing to the kernel: for batches, which
/// call [`sync`] on everything they wrote once at the end. A crash of the process still never
/// leaves a half-written file (the rename is atomic); a flush per file would cost a journal
/// commit per document, more than the PDF export itself.
pub fn write_deferred(path: &Path, bytes: &[u8]) -> Result<()> {
    write_impl(path, bytes, false)
}

/// Flushes files written by [`write_deferred`], and their folders, to disk. On Linux one
/// `syncfs` per file system does it (one journal commit instead of one per file); elsewhere,
/// or if that fails, each file is synced.
pub fn sync<'a>(paths: impl IntoIterator<Item = &'a Path>) -> Result<()> {
    let paths: Vec<&Path> = paths.into_iter().collect();
    let dirs: std::collections::BTreeSet<&Path> = paths
        .iter()
        .map(|p| match p.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        })
        .collect();
    #[cfg(target_os = "linux")]
    {
        let whole = dirs.iter().all(|d| {
            std::fs::File::open(d)
                .ok()
                .is_some_and(|f| rustix::fs::syncfs(&f).is_ok())
        });
        if whole {
            return Ok(());
        }
    }
    for path in &paths {
        std::fs::File::open(path)
            .and_then(|f| f.sync_all())
            .map_err(|source| Error::Io {
                path: path.to_path_buf(),
                source,
            })?;
    }
    for d in dirs {
        // Folders cannot be opened for syncing on every platform; the files are what matter.
        if let Ok(f) = std::fs::File::open(d) {
            let _ = f.sync_all();
        }
    }
    Ok(())
}

fn write_impl(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut tmp = tempfile::Builder::new()
        .prefix(".wenshu-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    if durable {
        tmp.as_file().sync_all().map_err(io)?;
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
