//! Finding the archive's sources under SRC: 公文 data files (`.toml`, `.json` objects) and form
//! spreadsheets (`.xlsx`, `.xls`, `.ods`, `.csv`, `.json` arrays), in a stable order.
//!
//! Hidden files and folders, Office lock files (`~$…`) and `archive.toml` are not sources; every
//! other file (seal images, notes) is left alone. `--include`/`--exclude` globs match the path
//! relative to SRC with `/` separators (`*` also crosses folders: `--exclude '*草稿*'`).

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};

/// What a source file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SourceKind {
    /// A 公文 data file.
    Gongwen,
    /// A spreadsheet of a form or register.
    Sheet,
}

/// A source file.
#[derive(Debug, Clone)]
pub struct Found {
    /// Path relative to SRC, `/`-separated.
    pub rel: String,
    /// The file.
    pub path: PathBuf,
    /// What it holds.
    pub kind: SourceKind,
}

/// `--include`/`--exclude`.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    include: Option<GlobSet>,
    exclude: Option<GlobSet>,
}

impl Filter {
    /// Builds the filter; a malformed glob is an error naming it.
    pub fn new(include: &[String], exclude: &[String]) -> Result<Self> {
        Ok(Self {
            include: set(include)?,
            exclude: set(exclude)?,
        })
    }

    /// Whether a relative path is selected.
    pub fn selects(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|s| s.is_match(rel))
            && !self.exclude.as_ref().is_some_and(|s| s.is_match(rel))
    }
}

/// A glob set, or `None` for no globs.
pub fn set(globs: &[String]) -> Result<Option<GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut b = GlobSetBuilder::new();
    for g in globs {
        b.add(Glob::new(g).map_err(|e| Error::Parse {
            path: PathBuf::from(g),
            message: format!("通配符无效：{e}"),
        })?);
    }
    b.build().map(Some).map_err(|e| Error::Parse {
        path: PathBuf::from(globs.join(" ")),
        message: e.to_string(),
    })
}

/// The kind of a file by its name (and, for `.json`, its first character), or `None`.
fn kind_of(path: &Path) -> Option<SourceKind> {
    let name = path.file_name()?.to_str()?;
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    if name.starts_with("~$") {
        return None;
    }
    match ext.as_str() {
        "toml" => Some(SourceKind::Gongwen),
        "xlsx" | "xlsm" | "xls" | "ods" | "csv" => Some(SourceKind::Sheet),
        "json" => {
            // A JSON array is a table of rows; an object is a 公文.
            let bytes = std::fs::read(path).ok()?;
            let first = bytes
                .iter()
                .find(|b| !(b.is_ascii_whitespace() || matches!(**b, 0xEF | 0xBB | 0xBF)));
            Some(if first == Some(&b'[') {
                SourceKind::Sheet
            } else {
                SourceKind::Gongwen
            })
        }
        _ => None,
    }
}

/// The path of `path` relative to `root`, `/`-separated.
pub fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Every source under `src`, sorted by relative path. `skip` (the output folder, if it lies
/// inside SRC) is not entered.
pub fn walk(src: &Path, filter: &Filter, skip: Option<&Path>) -> Result<Vec<Found>> {
    let mut out = Vec::new();
    let it = walkdir::WalkDir::new(src)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let hidden = e.depth() > 0 && e.file_name().to_string_lossy().starts_with('.');
            let skipped = skip.is_some_and(|s| crate::output::atomic::same_file(e.path(), s));
            !hidden && !skipped
        });
    for entry in it {
        let entry = entry.map_err(|e| Error::Io {
            path: e.path().map_or_else(|| src.to_owned(), Path::to_owned),
            source: e
                .into_io_error()
                .unwrap_or_else(|| std::io::Error::other("目录循环")),
        })?;
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = relative(src, entry.path());
        if rel == super::config::FILE_NAME || !filter.selects(&rel) {
            continue;
        }
        if let Some(kind) = kind_of(entry.path()) {
            out.push(Found {
                rel,
                path: entry.path().to_owned(),
                kind,
            });
        }
    }
    out.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(out)
}

/// The folder part of a relative path (`""` at the top).
pub fn folder_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sources_are_found_in_order_and_filtered() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path();
        for (p, text) in [
            ("archive.toml", "fonds = \"Z1\""),
            ("b/通知.toml", "kind = \"通知\""),
            ("a/表.csv", "姓名\n张三"),
            ("a/行.json", " [ {\"姓名\": \"张三\"} ]"),
            ("a/文.json", "{\"kind\": \"函\"}"),
            ("a/印章.png", "png"),
            ("a/~$表.xlsx", ""),
            (".git/x.toml", ""),
            ("a/草稿/x.toml", ""),
        ] {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        let all = walk(root, &Filter::default(), None).expect("walk");
        let names: Vec<(&str, SourceKind)> = all.iter().map(|f| (f.rel.as_str(), f.kind)).collect();
        assert_eq!(
            names,
            [
                ("a/文.json", SourceKind::Gongwen),
                ("a/草稿/x.toml", SourceKind::Gongwen),
                ("a/行.json", SourceKind::Sheet),
                ("a/表.csv", SourceKind::Sheet),
                ("b/通知.toml", SourceKind::Gongwen),
            ]
        );
        let filter = Filter::new(&["a/**".into()], &["*草稿*".into()]).expect("globs");
        let some = walk(root, &filter, None).expect("walk");
        assert_eq!(some.len(), 3);
        assert!(Filter::new(&["a/[".into()], &[]).is_err());
        assert_eq!(folder_of("2026/办公室/通知.toml"), "2026/办公室");
        assert_eq!(folder_of("通知.toml"), "");
    }
}
