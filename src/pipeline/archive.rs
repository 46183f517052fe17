//! The archive pipeline for one 件: lay it out through the 公文 or forms pipeline, add the
//! 归档章 (and, for PDF/A-3b, the source data) to its first page without moving anything, pad it
//! to an even page count for duplex printing, and export it as PDF/A (or OFD-A, GB/T 42133)
//! carrying its 档号, 题名, 责任者 and 文号 as metadata, dated by the document, never by the clock.

use std::path::Path;

use typst_layout::{Page, PagedDocument};

use crate::archive::config::StampStyle;
use crate::archive::manifest::Entry;
use crate::archive::stamp;
use crate::error::{Error, Result};
use crate::form::schema::FormDef;
use crate::render::ofd::{self, ArchivalRecord};
use crate::render::pdf::{self, Conformance, Info, PdfSettings};
use crate::render::world::Engine;
use crate::validate::form::FormRecord;

/// Entry template of what the archive adds to a first page.
pub const OVERLAY_MAIN: &str = "/templates/archive/overlay.typ";

/// Output format of the 件: two writers over the same laid-out and stamped pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Format {
    /// PDF/A.
    #[default]
    PdfA,
    /// OFD-A (GB/T 33190 with the archival rules of GB/T 42133): the archival record in its
    /// `CustomDatas`, every font embedded.
    Ofd,
}

impl Format {
    /// The file extension of a 件 in this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::PdfA => "pdf",
            Format::Ofd => "ofd",
        }
    }

    /// The name in `settings.json` and the manifest.
    pub fn name(self) -> &'static str {
        match self {
            Format::PdfA => "pdf",
            Format::Ofd => "ofd",
        }
    }
}

/// How a 件 is produced.
#[derive(Debug, Clone, Default)]
pub struct ArchiveOptions {
    /// PDF/A level; 3b attaches the source.
    pub conformance: Conformance,
    /// Print the 归档章 in this style.
    pub stamp: Option<StampStyle>,
    /// Pad every 件 to an even number of pages.
    pub duplex: bool,
    /// 全宗号 (for the stamp).
    pub fonds: String,
    /// 立档单位, printed in the header of forms and registers.
    pub office: String,
    /// PDF/A or OFD-A.
    pub format: Format,
}

/// What a 件 is made from.
pub enum Body<'a> {
    /// A 公文 data file.
    Gongwen(&'a Path),
    /// One row of a form spreadsheet (`path` is the sheet, for signature images).
    FormRow(&'a FormDef, &'a FormRecord, &'a Path),
    /// A register: all valid rows of a sheet.
    Register(&'a FormDef, &'a [FormRecord]),
}

/// A finished 件.
pub struct Produced {
    /// The PDF/A (or OFD-A) bytes.
    pub bytes: Vec<u8>,
    /// Pages with content (without a duplex blank).
    pub pages: usize,
    /// The pages as exported (stamp included), for binding.
    pub document: PagedDocument,
    /// Warnings.
    pub warnings: Vec<String>,
}

/// Lays out a 件 through its own pipeline.
pub fn lay_out(engine: &Engine, body: &Body, office: &str) -> Result<(PagedDocument, Vec<String>)> {
    match body {
        Body::Gongwen(path) => {
            let (doc, diags) = crate::pipeline::check_file(path)?;
            let base = path.parent().unwrap_or(Path::new("."));
            let laid = crate::pipeline::lay_out_doc(
                engine,
                &doc,
                base,
                diags,
                path,
                // The templates choose PDF/A-safe colours (no CMYK without a profile).
                &crate::pipeline::RenderOptions {
                    pdfa: true,
                    ..Default::default()
                },
            )?;
            let mut warnings: Vec<String> = laid
                .diags
                .iter()
                .map(|d| d.display_in(&path.display().to_string()))
                .collect();
            warnings.extend(laid.compiled.warnings);
            Ok((laid.compiled.document, warnings))
        }
        Body::FormRow(def, rec, path) => {
            let base = path.parent().unwrap_or(Path::new("."));
            let data =
                crate::prepare::form::form_data(def, rec, rec.given_number.as_deref(), office)?;
            let assets = crate::prepare::form::signature_assets(rec, base)?;
            let compiled = crate::pipeline::form::lay_out_row(engine, data, &assets)?;
            crate::pipeline::form::check_pages(&compiled.document, def, 0)?;
            Ok((compiled.document, compiled.warnings))
        }
        Body::Register(def, records) => {
            let doc = crate::pipeline::form::lay_out_register(engine, def, records, office)?;
            crate::pipeline::form::check_pages(&doc, def, 0)?;
            Ok((doc, Vec::new()))
        }
    }
}

/// The source attached to a PDF/A-3b: its file name, MIME type and bytes.
pub struct Attachment {
    /// File name inside the PDF.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

/// Produces a 件: lay out, stamp, attach, pad, export.
pub fn produce(
    engine: &Engine,
    entry: &Entry,
    body: &Body,
    opts: &ArchiveOptions,
    attachment: Option<Attachment>,
) -> Result<Produced> {
    let (document, warnings) = lay_out(engine, body, &opts.office)?;
    let pages = document.pages().len();
    let document = finish_pages(engine, entry, document, opts, attachment, pages)?;
    let bytes = match opts.format {
        Format::PdfA => pdf::export(&document, &settings(entry, opts.conformance))?,
        Format::Ofd => ofd::export_archival(&document, &archival_record(entry, &opts.fonds))?,
    };
    Ok(Produced {
        bytes,
        pages,
        document,
        warnings,
    })
}

/// The PDF settings of a 件: its 档号 as identifier and keyword, its date, its description.
pub fn settings(entry: &Entry, conformance: Conformance) -> PdfSettings {
    PdfSettings {
        ident: entry.archival_code.clone().unwrap_or_default(),
        date: chrono::NaiveDate::parse_from_str(&entry.date, "%Y%m%d").ok(),
        pdfa: true,
        conformance: Some(conformance),
        info: Some(Info {
            title: entry.title.clone(),
            authors: entry
                .responsible
                .split('、')
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect(),
            subject: entry.doc_number.clone(),
            keywords: entry.archival_code.iter().cloned().collect(),
        }),
        untagged: false,
    }
}

/// The OFD-A archival record of a 件: what the PDF/A carries, plus 保管期限, 全宗号 and 年度.
pub fn archival_record(entry: &Entry, fonds: &str) -> ArchivalRecord {
    ArchivalRecord {
        archival_code: entry.archival_code.clone().unwrap_or_default(),
        title: entry.title.clone(),
        responsible: entry.responsible.clone(),
        date: chrono::NaiveDate::parse_from_str(&entry.date, "%Y%m%d").ok(),
        doc_number: Some(entry.doc_number.clone()).filter(|n| !n.is_empty()),
        retention: entry.retention.map(|r| r.words().to_owned()),
        classification: None,
        fonds: Some(fonds.to_owned()).filter(|f| !f.is_empty()),
        year: entry.year,
        extra: entry
            .item_number
            .map(|n| vec![("件号".to_owned(), n.to_string())])
            .unwrap_or_default(),
    }
}

fn finish_pages(
    engine: &Engine,
    entry: &Entry,
    document: PagedDocument,
    opts: &ArchiveOptions,
    attachment: Option<Attachment>,
    pages: usize,
) -> Result<PagedDocument> {
    // Only a PDF/A-3b carries its source (OFD-A keeps the package self-contained).
    let attach =
        attachment.filter(|_| opts.format == Format::PdfA && opts.conformance == Conformance::A3b);
    if opts.stamp.is_none() && attach.is_none() && !(opts.duplex && pages % 2 == 1) {
        return Ok(document);
    }
    let info = typst::model::Document::info(&document).clone();
    let mut out: Vec<Page> = document.pages().to_vec();
    let Some(first) = out.first_mut() else {
        return Err(Error::Template("文档没有页面".into()));
    };
    let attach_json = attach.as_ref().map(|a| {
        serde_json::json!({
            "name": a.name,
            "mime": a.mime,
            "description": format!("{}的源数据", entry.archival_code.as_deref().unwrap_or(&entry.title)),
        })
    });
    let assets: Vec<(String, Vec<u8>)> = attach
        .map(|a| vec![("/assets/source".to_owned(), a.bytes)])
        .unwrap_or_default();
    let mut placed = false;
    if let Some(style) = &opts.stamp {
        let cells = stamp::cells(entry, &opts.fonds, pages);
        for scale in stamp::SCALES {
            if let Some((x, y)) = stamp::place(&first.frame, style, scale) {
                let data = serde_json::json!({
                    "stamp": stamp::data(style, &cells, scale),
                    "attach": attach_json,
                });
                let overlay = engine.compile(OVERLAY_MAIN, &data, &assets)?;
                let frame = overlay
                    .document
                    .pages()
                    .first()
                    .map(|p| stamp::foreign(&p.frame))
                    .ok_or_else(|| Error::Template("归档章没有排出".into()))?;
                first.frame.prepend_frame(
                    typst::layout::Point::new(typst::layout::Abs::mm(x), typst::layout::Abs::mm(y)),
                    frame,
                );
                placed = true;
                break;
            }
        }
        if !placed {
            return Err(Error::Template(
                "首页右上角没有足够的空白加盖归档章（可在 archive.toml 的 [stamp] 中减小 cell_width_mm、cell_height_mm 或调整 top_mm）".into(),
            ));
        }
    } else if let Some(a) = attach_json {
        let data = serde_json::json!({"stamp": null, "attach": a});
        let overlay = engine.compile(OVERLAY_MAIN, &data, &assets)?;
        if let Some(p) = overlay.document.pages().first() {
            first
                .frame
                .prepend_frame(typst::layout::Point::zero(), stamp::foreign(&p.frame));
        }
    }
    if opts.duplex && pages % 2 == 1 {
        out.push(blank_after(out.last().unwrap_or(&out[0])));
    }
    Ok(PagedDocument::new(out.into_iter().collect(), info))
}

/// A blank page the size of `last`, to follow it.
pub fn blank_after(last: &Page) -> Page {
    Page {
        frame: typst::layout::Frame::hard(last.frame.size()),
        bleed: last.bleed,
        fill: last.fill.clone(),
        numbering: None,
        supplement: last.supplement.clone(),
        number: last.number + 1,
    }
}
