//! `--bind`: one PDF per folder, ready to print and bind — the 归档文件目录 in front, then every
//! 件 in catalogue order, a bookmark for each; with `--duplex` every part starts on a recto.
//! The pages are the ones the 件 were exported from, so the volume prints exactly what the
//! single files do.

use std::path::{Path, PathBuf};

use typst_layout::{Page, PagedDocument};

use super::catalogue;
use super::config::ArchiveConfig;
use super::manifest::Entry;
use super::run::RunOptions;
use super::stamp;
use crate::error::{Error, Result};
use crate::output::atomic;
use crate::pipeline::archive::blank_after;
use crate::render::pdf::{self, Info, PdfSettings};
use crate::render::world::Engine;

/// The bound volume's file name in each folder.
pub const FILE_NAME: &str = "合订本.pdf";

const BOOKMARKS_MAIN: &str = "/templates/archive/bookmarks.typ";

/// Writes the bound volume of a folder; `docs` are its 件's pages, in any order.
pub fn volume(
    engine: &Engine,
    dest: &Path,
    cfg: &ArchiveConfig,
    opts: &RunOptions,
    folder: &str,
    archived: &[&Entry],
    docs: Vec<(Entry, PagedDocument)>,
) -> Result<PathBuf> {
    let cat = catalogue::document(engine, &cfg.fonds, &cfg.office, folder, archived)?;
    let mut parts: Vec<(String, Vec<Page>)> = vec![("归档文件目录".into(), cat.pages().to_vec())];
    for e in archived {
        let Some((_, doc)) = docs.iter().find(|(d, _)| d.key() == e.key()) else {
            return Err(Error::Template(format!("合订本缺少 {}", e.source)));
        };
        let label = format!(
            "{} {}",
            e.archival_code.as_deref().unwrap_or_default(),
            e.title
        );
        parts.push((label, doc.pages().to_vec()));
    }
    let titles: Vec<&str> = parts.iter().map(|p| p.0.as_str()).collect();
    let marks = engine.compile(
        BOOKMARKS_MAIN,
        &serde_json::json!({ "titles": titles }),
        &[],
    )?;
    let mut pages: Vec<Page> = Vec::new();
    for ((_, part), mark) in parts.into_iter().zip(marks.document.pages()) {
        let start = pages.len();
        pages.extend(part.into_iter().map(|mut p| {
            p.frame = stamp::untagged(&p.frame);
            p
        }));
        if let Some(first) = pages.get_mut(start) {
            first
                .frame
                .prepend_frame(typst::layout::Point::zero(), mark.frame.clone());
        }
        if opts.duplex
            && (pages.len() - start) % 2 == 1
            && let Some(last) = pages.last()
        {
            let blank = blank_after(last);
            pages.push(blank);
        }
    }
    let info = typst::model::Document::info(&cat).clone();
    let doc = PagedDocument::new(pages.into_iter().collect(), info);
    let shown = if folder.is_empty() {
        "根目录"
    } else {
        folder
    };
    let settings = PdfSettings {
        ident: format!("合订本:{}:{folder}", cfg.fonds),
        date: archived
            .iter()
            .filter_map(|e| chrono::NaiveDate::parse_from_str(&e.date, "%Y%m%d").ok())
            .max(),
        pdfa: true,
        conformance: Some(opts.conformance),
        info: Some(Info {
            title: format!("归档文件合订本（{shown}）"),
            authors: (!cfg.office.is_empty())
                .then(|| cfg.office.clone())
                .into_iter()
                .collect(),
            subject: String::new(),
            keywords: vec![cfg.fonds.clone()],
        }),
        untagged: true,
    };
    let bytes = pdf::export(&doc, &settings)?;
    let path = dest.join(folder).join(FILE_NAME);
    atomic::write_deferred(&path, &bytes)?;
    Ok(path)
}
