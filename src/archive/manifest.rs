//! `manifest.json`: every 件 and every refused file or row of an archive run, with the SHA-256 of
//! what went in and what came out; and the journal a run appends to as it goes, so `--resume`
//! after a crash knows what is already done.
//!
//! Nothing in either depends on the clock, the machine or the output folder's location: paths
//! are relative (sources to SRC, outputs to DEST), entries are sorted by source and row, so the
//! same inputs give the same bytes — on one machine or merged from several shards.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::config::Retention;
use crate::error::{Error, Result};

/// Name of the manifest in DEST.
pub const FILE_NAME: &str = "manifest.json";
/// Folder in DEST for the journal and shard manifests while a run or a sharded archive is under way.
pub const STATE_DIR: &str = ".wenshu-archive";

/// What became of a 件 or a source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Written, with its 档号.
    Archived,
    /// Not archived; `messages` say why.
    Refused,
}

/// Another file a 件 is made from (a seal or signature image).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Asset {
    /// Relative to SRC.
    pub path: String,
    /// SHA-256, hex.
    pub sha256: String,
}

/// One 件, or one refused source or row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// Source file, relative to SRC.
    pub source: String,
    /// Excel row (form rows only).
    pub row: Option<usize>,
    /// `公文`, `表单`, `登记簿`, or `文件` for a source that could not be read.
    pub kind: String,
    /// Form ID (forms and registers).
    pub form: Option<String>,
    /// The PDF, relative to DEST.
    pub output: Option<String>,
    /// 档号.
    pub archival_code: Option<String>,
    /// 年度.
    pub year: Option<i32>,
    /// 保管期限.
    pub retention: Option<Retention>,
    /// 机构（问题） code and name.
    pub department: Option<(String, String)>,
    /// 件号.
    pub item_number: Option<u32>,
    /// 文号.
    pub doc_number: String,
    /// 题名.
    pub title: String,
    /// 责任者.
    pub responsible: String,
    /// 日期, eight digits (DA/T 22-2015 §7.2.5).
    pub date: String,
    /// Pages with text or images (a blank page added for duplex is not counted).
    pub pages: Option<usize>,
    /// 密级.
    pub classification: String,
    /// 备注.
    pub remark: String,
    /// SHA-256 of the source file.
    pub input_sha256: String,
    /// Images the 件 is made from.
    pub assets: Vec<Asset>,
    /// SHA-256 of the PDF.
    pub output_sha256: Option<String>,
    /// Archived or refused.
    pub status: Status,
    /// Why refused (file, row, field, rule), or warnings.
    pub messages: Vec<String>,
}

impl Entry {
    /// The key that identifies a 件 across runs: source and row.
    pub fn key(&self) -> (String, Option<usize>) {
        (self.source.clone(), self.row)
    }
}

/// The settings that shape the output; a 件 is only skipped by `--resume` when they are unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// wenshu's version.
    pub wenshu: String,
    /// PDF/A level (`2b`, `2u`, `3b`).
    pub pdfa: String,
    /// `pdf` (PDF/A) or `ofd` (OFD-A); manifests written before OFD-A read as `pdf`.
    #[serde(default = "pdf_format")]
    pub format: String,
    /// Whether the 归档章 is printed.
    pub stamp: bool,
    /// Every 件 padded to an even page count.
    pub duplex: bool,
    /// 涉密 documents included.
    pub include_classified: bool,
    /// The archive configuration.
    pub config: super::config::ArchiveConfig,
}

fn pdf_format() -> String {
    "pdf".to_owned()
}

/// Counts over the whole archive.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// 件 archived.
    pub archived: usize,
    /// Sources or rows refused.
    pub refused: usize,
    /// Pages archived.
    pub pages: usize,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// The settings of the run.
    pub settings: Settings,
    /// Fingerprint of the whole plan (every source and its 档号), the same for every shard.
    pub plan: String,
    /// Counts.
    pub totals: Totals,
    /// Every entry, by source and row.
    pub items: Vec<Entry>,
}

impl Manifest {
    /// Builds a manifest: sorts the entries and counts them.
    pub fn new(settings: Settings, plan: String, mut items: Vec<Entry>) -> Self {
        items.sort_by_key(Entry::key);
        let mut totals = Totals::default();
        for e in &items {
            match e.status {
                Status::Archived => {
                    totals.archived += 1;
                    totals.pages += e.pages.unwrap_or(0);
                }
                Status::Refused => totals.refused += 1,
            }
        }
        Self {
            settings,
            plan,
            totals,
            items,
        }
    }

    /// The JSON bytes (pretty, with a final newline).
    pub fn to_bytes(&self) -> Result<Vec<u8>> {
        let mut v = serde_json::to_vec_pretty(self).map_err(|e| Error::Pdf(e.to_string()))?;
        v.push(b'\n');
        Ok(v)
    }

    /// Reads a manifest.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io {
            path: path.to_owned(),
            source,
        })?;
        serde_json::from_slice(&bytes).map_err(|e| Error::Parse {
            path: path.to_owned(),
            message: e.to_string(),
        })
    }
}

/// The journal of a run: one JSON line per finished 件, flushed as it is written, so a run
/// killed at any point leaves every finished 件 on record (a torn last line is ignored).
pub struct Journal {
    file: std::fs::File,
    path: PathBuf,
}

impl Journal {
    /// The journal of shard `index` of `count` in `dest`.
    pub fn path(dest: &Path, index: usize, count: usize) -> PathBuf {
        dest.join(STATE_DIR)
            .join(format!("journal-{index}-of-{count}.jsonl"))
    }

    /// Opens (appending) the journal; `fresh` empties it first.
    pub fn open(path: &Path, fresh: bool) -> Result<Self> {
        let io = |source| Error::Io {
            path: path.to_owned(),
            source,
        };
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .append(!fresh)
            .write(true)
            .truncate(fresh)
            .open(path)
            .map_err(io)?;
        Ok(Self {
            file,
            path: path.to_owned(),
        })
    }

    /// Appends an entry.
    pub fn record(&mut self, e: &Entry) -> Result<()> {
        let mut line =
            serde_json::to_vec(&(JOURNAL_TAG, e)).map_err(|e| Error::Pdf(e.to_string()))?;
        line.push(b'\n');
        self.file.write_all(&line).map_err(|source| Error::Io {
            path: self.path.clone(),
            source,
        })
    }

    /// The entries of a journal (lines that do not parse — a write torn by a crash — are skipped).
    pub fn read(path: &Path) -> Vec<Entry> {
        let Ok(text) = std::fs::read_to_string(path) else {
            return Vec::new();
        };
        text.lines()
            .filter_map(|l| serde_json::from_str::<(String, Entry)>(l).ok())
            .filter(|(tag, _)| tag == JOURNAL_TAG)
            .map(|(_, e)| e)
            .collect()
    }
}

/// Marks journal lines of this format.
const JOURNAL_TAG: &str = "wenshu-archive-1";

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(source: &str, row: Option<usize>) -> Entry {
        let mut e = super::super::plan::blank(source, row, "公文", b"");
        e.title = "t".into();
        e.pages = Some(2);
        e
    }

    #[test]
    fn a_torn_journal_line_is_ignored() {
        let dir = tempfile::tempdir().expect("tmp");
        let path = Journal::path(dir.path(), 0, 1);
        let mut j = Journal::open(&path, true).expect("open");
        j.record(&entry("a.toml", None)).expect("record");
        j.record(&entry("b.csv", Some(3))).expect("record");
        drop(j);
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        f.write_all(b"[\"wenshu-archive-1\",{\"source\":\"c.t")
            .expect("torn");
        let read = Journal::read(&path);
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].row, Some(3));
    }
}
