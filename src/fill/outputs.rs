//! The files of one form or register in the formats asked for: the PDF, the OFD beside it
//! (same name, `.ofd`), or both, made from the same layout.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::FillOptions;
use crate::error::{Error, Result};
use crate::form::schema::FormDef;
use crate::render::formats::Formats;
use crate::render::inspect;
use crate::render::ofd;
use crate::render::pdf::{self, PdfSettings};

/// Side margins of printed forms and registers (`templates/forms/common.typ`).
const FORM_MARGIN_X_MM: f64 = 18.0;

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
    check_layout(doc, def)?;
    let mut files = Vec::new();
    for path in paths(pdf_path, opts.formats) {
        let bytes = if path == pdf_path {
            pdf::export(
                doc,
                &PdfSettings {
                    ident: format!("{}:{}", def.id, number.unwrap_or_default()),
                    date,
                    pdfa: opts.pdfa,
                },
            )?
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

/// The checks every printed form passes before any file is made: every glyph found, no text
/// over text, nothing past the side margins.
fn check_layout(doc: &typst_layout::PagedDocument, def: &FormDef) -> Result<()> {
    let layout = inspect::flatten(doc);
    let mut missing = Vec::new();
    inspect::missing_glyphs(&layout, &mut missing);
    if let Some(d) = missing.first() {
        return Err(Error::Template(format!("{}：{}", def.title, d.message)));
    }
    if let Some((page, a, b)) = inspect::overlapping_text(&layout) {
        return Err(Error::Template(format!(
            "{}：第 {page} 页有文字相互重叠（“{a}”与“{b}”），多为格子放不下的长数字或长词",
            def.title
        )));
    }
    if let Some((page, text)) = inspect::past_side_margins(doc, &layout, FORM_MARGIN_X_MM) {
        return Err(Error::Template(format!(
            "{}：第 {page} 页有文字超出版面（“{text}”），多为过长且无法断行的内容，如一长串数字",
            def.title
        )));
    }
    Ok(())
}
