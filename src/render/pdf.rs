//! PDF export: reproducible (ident and timestamp come from the data, never the clock),
//! optionally PDF/A (2b by default; 2u and 3b for archives) with the document's own metadata.

use chrono::{Datelike, NaiveDate};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{Error, Result};

/// Which PDF/A part and conformance level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Conformance {
    /// PDF/A-2b: the visual appearance is preserved (the archive default).
    #[default]
    A2b,
    /// PDF/A-2u: as 2b, and all text maps to Unicode.
    A2u,
    /// PDF/A-3b: as 2b, and files may be attached (the source data, for provenance).
    A3b,
}

impl Conformance {
    /// Parses `2b`, `2u`, `3b` (also `a-2b`, `PDF/A-2b`).
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.to_ascii_lowercase();
        let t = t.trim_start_matches("pdf/").trim_start_matches("a-");
        match t {
            "2b" => Some(Self::A2b),
            "2u" => Some(Self::A2u),
            "3b" => Some(Self::A3b),
            _ => None,
        }
    }

    /// `2b`, `2u`, `3b`.
    pub fn name(self) -> &'static str {
        match self {
            Self::A2b => "2b",
            Self::A2u => "2u",
            Self::A3b => "3b",
        }
    }

    fn standard(self) -> PdfStandard {
        match self {
            Self::A2b => PdfStandard::A_2b,
            Self::A2u => PdfStandard::A_2u,
            Self::A3b => PdfStandard::A_3b,
        }
    }
}

/// Document metadata written to the PDF's Info dictionary and XMP.
#[derive(Debug, Clone, Default)]
pub struct Info {
    /// Title (the 题名).
    pub title: String,
    /// Authors (the 责任者).
    pub authors: Vec<String>,
    /// Subject (the 文号).
    pub subject: String,
    /// Keywords (the 档号).
    pub keywords: Vec<String>,
}

/// What the PDF should carry.
#[derive(Debug, Clone, Default)]
pub struct PdfSettings {
    /// A stable identifier of the document (e.g. its 发文字号 or title).
    pub ident: String,
    /// The document date, used as the PDF creation date.
    pub date: Option<NaiveDate>,
    /// PDF/A-2b for archival output.
    pub pdfa: bool,
    /// A PDF/A level other than 2b (implies PDF/A).
    pub conformance: Option<Conformance>,
    /// Metadata replacing what the template set.
    pub info: Option<Info>,
    /// Write the structure tree (off for pages assembled from several documents, whose tags
    /// belong to different compilations).
    pub untagged: bool,
}

/// Exports laid-out pages to PDF bytes.
pub fn export(doc: &PagedDocument, settings: &PdfSettings) -> Result<Vec<u8>> {
    let conformance = settings
        .conformance
        .or(settings.pdfa.then_some(Conformance::A2b));
    let standards = match conformance {
        Some(c) => {
            PdfStandards::new(&[c.standard()]).map_err(|e| Error::Pdf(e.message().to_string()))?
        }
        None => PdfStandards::default(),
    };
    let timestamp = settings.date.and_then(|d| {
        let dt = Datetime::from_ymd_hms(
            d.year(),
            u8::try_from(d.month()).ok()?,
            u8::try_from(d.day()).ok()?,
            0,
            0,
            0,
        )?;
        Some(Timestamp::new_utc(dt))
    });
    let options = PdfOptions {
        ident: Smart::Custom(settings.ident.clone()),
        creator: Smart::Custom(Some(format!("wenshu {}", env!("CARGO_PKG_VERSION")))),
        timestamp,
        standards,
        tagged: !settings.untagged,
        ..PdfOptions::default()
    };
    let with_info;
    let doc = match &settings.info {
        Some(info) => {
            with_info = described(doc, info);
            &with_info
        }
        None => doc,
    };
    typst_pdf::pdf(doc, &options).map_err(|errors| {
        Error::Pdf(
            errors
                .iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })
}

/// A copy of `doc` (pages are shared, not copied) carrying `info`.
fn described(doc: &PagedDocument, info: &Info) -> PagedDocument {
    let mut doc = doc.clone();
    let i = doc.info_mut();
    i.title = (!info.title.is_empty()).then(|| info.title.as_str().into());
    i.author = info.authors.iter().map(|a| a.as_str().into()).collect();
    i.description = (!info.subject.is_empty()).then(|| info.subject.as_str().into());
    i.keywords = info.keywords.iter().map(|k| k.as_str().into()).collect();
    doc
}
