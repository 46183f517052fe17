//! PDF export: reproducible (ident and timestamp come from the data, never the clock),
//! optionally PDF/A-2b for archives.

use chrono::{Datelike, NaiveDate};
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard, PdfStandards, Timestamp};

use crate::error::{Error, Result};

/// What the PDF should carry.
#[derive(Debug, Clone, Default)]
pub struct PdfSettings {
    /// A stable identifier of the document (e.g. its 发文字号 or title).
    pub ident: String,
    /// The document date, used as the PDF creation date.
    pub date: Option<NaiveDate>,
    /// PDF/A-2b for archival output.
    pub pdfa: bool,
}

/// Exports laid-out pages to PDF bytes.
pub fn export(doc: &PagedDocument, settings: &PdfSettings) -> Result<Vec<u8>> {
    let standards = if settings.pdfa {
        PdfStandards::new(&[PdfStandard::A_2b]).map_err(|e| Error::Pdf(e.message().to_string()))?
    } else {
        PdfStandards::default()
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
        ..PdfOptions::default()
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
