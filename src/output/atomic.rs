//! Atomic writes: a temp file in the target's folder, then a rename, so a crash never leaves a
//! half-written PDF behind.
//!
//! Outputs never replace what they must not: a path that is one of the command's inputs is
//! refused ([`refuse_inputs`]); a device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written
//! to directly, never renamed over; files get the permissions the user's umask gives (0666 less
//! the umask, like any other program's output), not the temp file's 0600.

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

/// Whether `a` and `b` are the same file (same device and inode on Unix; same canonical path
/// elsewhere). Paths that don't exist are not the same file as anything.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

/// Refuses an output path that is one of the inputs (the data file, an image it names): the
/// PDF would overwrite what it was made from.
pub fn refuse_inputs<'a>(output: &Path, inputs: impl IntoIterator<Item = &'a Path>) -> Result<()> {
    for input in inputs {
        if same_file(output, input) {
            return Err(Error::Output {
                path: output.to_owned(),
                message: format!("输出文件就是输入文件 {}，写入会覆盖它", input.display()),
            });
        }
    }
    Ok(())
}

/// A non-regular file that exists (a character device, a FIFO, a socket): written in place.
fn is_special(path: &Path) -> bool {
    std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir())
}

fn write_impl(path: &Path, bytes: &[u8], durable: bool) -> Result<()> {
    stage_impl(path, bytes, durable)?.persist()
}

/// A file written beside its destination but not yet in place: [`Staged::persist`] puts it there
/// (a rename); dropping it removes it. Lets a caller do what must succeed first (commit a number
/// to the registry) and deliver nothing if that fails.
#[derive(Debug)]
pub struct Staged {
    path: std::path::PathBuf,
    inner: StagedInner,
}

#[derive(Debug)]
enum StagedInner {
    Temp(tempfile::NamedTempFile),
    /// A device or pipe: written through on persist.
    Special(Vec<u8>),
}

/// Writes `bytes` durably to a temporary file beside `path` (see [`Staged`]).
pub fn stage(path: &Path, bytes: &[u8]) -> Result<Staged> {
    stage_impl(path, bytes, true)
}

/// [`stage`] without the flush to disk: for batches, which call [`sync`] on everything they
/// delivered once at the end (see [`write_deferred`]).
pub fn stage_deferred(path: &Path, bytes: &[u8]) -> Result<Staged> {
    stage_impl(path, bytes, false)
}

impl Staged {
    /// Puts the file in place.
    pub fn persist(self) -> Result<()> {
        let io = |source| Error::Io {
            path: self.path.clone(),
            source,
        };
        match self.inner {
            StagedInner::Temp(tmp) => tmp.persist(&self.path).map(|_| ()).map_err(|e| io(e.error)),
            StagedInner::Special(bytes) => {
                // `-o /dev/null`, `-o /dev/stdout`, a named pipe: write through, never replace
                // the node.
                let mut f = std::fs::OpenOptions::new()
                    .write(true)
                    .open(&self.path)
                    .map_err(io)?;
                f.write_all(&bytes).and_then(|()| f.flush()).map_err(io)
            }
        }
    }

    /// Where it goes.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn stage_impl(path: &Path, bytes: &[u8], durable: bool) -> Result<Staged> {
    let io = |source| Error::Io {
        path: path.to_owned(),
        source,
    };
    if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
        return Err(Error::Output {
            path: path.to_owned(),
            message: "这是一个目录，请给出文件名".into(),
        });
    }
    if is_special(path) {
        return Ok(Staged {
            path: path.to_owned(),
            inner: StagedInner::Special(bytes.to_vec()),
        });
    }
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".wenshu-").suffix(".tmp");
    #[cfg(unix)]
    {
        // open(2) applies the umask to this mode, as for any file a program creates.
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir).map_err(io)?;
    tmp.write_all(bytes).map_err(io)?;
    if durable {
        tmp.as_file().sync_all().map_err(io)?;
    }
    Ok(Staged {
        path: path.to_owned(),
        inner: StagedInner::Temp(tmp),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_are_written_through_and_never_replaced() {
        let null = Path::new("/dev/null");
        if !null.exists() {
            return;
        }
        write(null, b"%PDF").expect("write to /dev/null");
        assert!(!std::fs::metadata(null).expect("meta").is_file());
    }

    #[test]
    fn an_input_is_never_an_output_and_a_folder_is_refused() {
        let dir = tempfile::tempdir().expect("tmp");
        let input = dir.path().join("通知.toml");
        std::fs::write(&input, "title = 1").expect("write");
        let same = dir.path().join(".").join("通知.toml");
        assert!(refuse_inputs(&same, [input.as_path()]).is_err());
        assert!(refuse_inputs(&dir.path().join("通知.pdf"), [input.as_path()]).is_ok());
        assert!(write(dir.path(), b"x").is_err());
        assert_eq!(std::fs::read_to_string(&input).expect("read"), "title = 1");
    }

    #[test]
    fn a_dropped_staged_file_leaves_nothing() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = dir.path().join("a.pdf");
        drop(stage(&path, b"%PDF").expect("stage"));
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
        stage(&path, b"%PDF")
            .expect("stage")
            .persist()
            .expect("persist");
        assert!(path.is_file());
    }
}
