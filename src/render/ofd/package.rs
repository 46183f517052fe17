//! The OFD container (GB/T 33190-2016 §6): a zip of the parts, written so that the same pages
//! give the same bytes: parts in a fixed order, one fixed timestamp, fixed permissions, no
//! extra fields, and a fixed compression level.

use std::io::{Cursor, Write};

use chrono::{Datelike, NaiveDate};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::error::{Error, Result};

/// One file of the package.
pub struct Part {
    /// Path inside the package, `/`-separated, no leading slash.
    pub path: String,
    /// The bytes.
    pub data: Vec<u8>,
    /// Whether to deflate it (XML and fonts shrink; PNG and JPEG are compressed already).
    pub deflate: bool,
}

/// The timestamp every entry carries: the document's date at midnight when it has one (zip
/// dates run from 1980 to 2107), otherwise the zip epoch. Never the clock.
fn timestamp(date: Option<NaiveDate>) -> DateTime {
    date.and_then(|d| {
        let year = u16::try_from(d.year()).ok()?;
        let month = u8::try_from(d.month()).ok()?;
        let day = u8::try_from(d.day()).ok()?;
        DateTime::from_date_and_time(year, month, day, 0, 0, 0).ok()
    })
    .unwrap_or_default()
}

/// Zips `parts` in the order given.
pub fn zip(parts: &[Part], date: Option<NaiveDate>) -> Result<Vec<u8>> {
    let err = |e: &dyn std::fmt::Display| Error::Ofd(format!("打包失败：{e}"));
    let mut w = ZipWriter::new(Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .last_modified_time(timestamp(date))
        .unix_permissions(0o644);
    for part in parts {
        let options = if part.deflate {
            base.compression_method(CompressionMethod::Deflated)
                .compression_level(Some(6))
        } else {
            base.compression_method(CompressionMethod::Stored)
        };
        w.start_file(part.path.as_str(), options)
            .map_err(|e| err(&e))?;
        w.write_all(&part.data).map_err(|e| err(&e))?;
    }
    Ok(w.finish().map_err(|e| err(&e))?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_parts_same_bytes_and_dated_by_the_document() {
        let parts = || {
            vec![
                Part {
                    path: "OFD.xml".into(),
                    data: b"<x/>".repeat(50),
                    deflate: true,
                },
                Part {
                    path: "Doc_0/Res/a.png".into(),
                    data: vec![1, 2, 3],
                    deflate: false,
                },
            ]
        };
        let date = NaiveDate::from_ymd_opt(2026, 11, 20);
        let a = zip(&parts(), date).unwrap();
        let b = zip(&parts(), date).unwrap();
        assert_eq!(a, b);
        let mut r = zip::ZipArchive::new(Cursor::new(a)).unwrap();
        assert_eq!(r.by_index(0).unwrap().name().unwrap(), "OFD.xml");
        let t = r.by_index(1).unwrap().last_modified().unwrap();
        assert_eq!((t.year(), t.month(), t.day()), (2026, 11, 20));
    }
}
