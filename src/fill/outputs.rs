//! The files of one form or register in the formats asked for: the PDF, the OFD beside it
//! (same name, `.ofd`), or both, made from the same layout.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::FillOptions;
use crate::error::{Error, Result};
use crate::form::schema::FormDef;
use crate::render::formats::Formats;
use crate::render::ofd;
use crate::render::pdf::{self, PdfSettings};

/// Where the files go when the PDF would go to `pdf_path`: the PDF first, then the OFD.
pub(super) fn paths(pdf_path: &Path, formats: Formats) -> Vec<PathBuf> {
    let mut v = Vec::new();
    if formats.pdf {
        v.push(pdf_path.to_owned());
    }
    if formats.ofd {
        v.push(Formats::ofd_path(pdf_path));
    }
    v
}

/// The PDF and OFD files in `out_dir` that this run did not write (an earlier run's, left under
/// names whose row numbers have since changed), by name, sorted.
pub(super) fn stale(out_dir: &Path, written: &[PathBuf]) -> Vec<String> {
    let ours: std::collections::HashSet<&std::ffi::OsStr> =
        written.iter().filter_map(|p| p.file_name()).collect();
    let Ok(dir) = std::fs::read_dir(out_dir) else {
        return Vec::new();
    };
    let mut found: Vec<String> = dir
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|x| x.to_str())
                    .is_some_and(|x| x.eq_ignore_ascii_case("pdf") || x.eq_ignore_ascii_case("ofd"))
                && p.file_name().is_some_and(|n| !ours.contains(n))
        })
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    found.sort();
    found
}

/// Checks the layout ([`check_layout`]) and makes every requested file from it, in the order of
/// [`paths`]. Nothing is written: the caller stages them together.
pub(super) fn make(
    doc: &typst_layout::PagedDocument,
    def: &FormDef,
    number: Option<&str>,
    date: Option<NaiveDate>,
    opts: &FillOptions,
    pdf_path: &Path,
) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    crate::pipeline::form::check_pages(doc, def, 0)?;
    let mut files = Vec::new();
    for path in paths(pdf_path, opts.formats) {
        let bytes = if path == pdf_path {
            pdf::export(doc, &pdf_settings(def, number, date, opts))?
        } else {
            let settings = ofd::OfdSettings {
                meta: ofd::meta::form(&def.title, &opts.office, date, number),
                profile: if opts.pdfa {
                    ofd::Profile::Archival
                } else {
                    ofd::Profile::Standard
                },
            };
            ofd::export(doc, &settings)?
        };
        files.push((path, bytes));
    }
    Ok(files)
}

/// OFD-A names its 责任者 (GB/T 42133): without the office the whole run is refused at once,
/// rather than every row one by one.
pub(super) fn check_options(opts: &FillOptions) -> Result<()> {
    if opts.formats.ofd && opts.pdfa && opts.office.trim().is_empty() {
        return Err(Error::Ofd(
            "OFD-A 的元数据须有责任者：请用 --office 给出单位名称".into(),
        ));
    }
    Ok(())
}

/// What the PDF of a form or register carries.
pub(super) fn pdf_settings(
    def: &FormDef,
    number: Option<&str>,
    date: Option<NaiveDate>,
    opts: &FillOptions,
) -> PdfSettings {
    PdfSettings {
        ident: format!("{}:{}", def.id, number.unwrap_or_default()),
        date,
        pdfa: opts.pdfa,
        ..PdfSettings::default()
    }
}
