//! OFD export (GB/T 33190-2016《电子文件存储与交换格式 版式文档》), written natively from the
//! same laid-out Typst pages the PDF export walks, so both files carry the same glyphs at the
//! same places: text as `TextObject`s whose text layer is the document's text, rules and
//! shapes as `PathObject`s in the PDF's colours (the CMYK red stays CMYK), seals and
//! signatures as `ImageObject`s, fonts embedded as subsets.
//!
//! [`Profile::Archival`] writes OFD-A (GB/T 42133-2022《信息技术 OFD档案应用指南》): `DocType`
//! `OFD-A`, every font embedded, no reference outside the package, and the archival metadata
//! (档号, 题名, 责任者, 保管期限 …) in `DocInfo`. [`ArchivalRecord`] is what an archive passes
//! to [`export_archival`]; [`verify`] checks a package against both profiles.
//!
//! The bytes depend only on the pages and the settings: IDs follow paint order, the zip's
//! order and timestamps are fixed, the `DocID` is a digest of the content.
//!
//! Layout of the package:
//! ```text
//! OFD.xml
//! Doc_0/Document.xml  PublicRes.xml  DocumentRes.xml
//! Doc_0/Pages/Page_0/Content.xml …
//! Doc_0/Res/font_N.otf  image_N.png …
//! ```

mod document;
mod fonts;
mod geom;
mod images;
pub mod meta;
mod package;
mod page;
mod resources;
mod text;
pub mod verify;
mod xml;

use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use typst_layout::PagedDocument;

pub use meta::ArchivalRecord;
pub use verify::{Findings, verify};

use crate::error::{Error, Result};
use document::{DOC, RES};
use package::Part;
use resources::Resources;

/// The default page area: A4 portrait, mm (GB/T 9704 §5.1).
pub const A4_MM: (f64, f64) = (210.0, 297.0);

/// What `DocInfo` says about the document (GB/T 33190 table 4).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfdMeta {
    /// `Title`: the document's 标题 (题名).
    pub title: String,
    /// `Author`: the issuing office(s) (责任者).
    pub author: String,
    /// `Subject`.
    pub subject: Option<String>,
    /// `Abstract`.
    pub abstract_text: Option<String>,
    /// `CreationDate`: the document's own date (成文日期), never the clock.
    pub creation_date: Option<NaiveDate>,
    /// `Keywords`.
    pub keywords: Vec<String>,
    /// `CustomDatas`, in order: 文号, 档号, 保管期限 … (empty values are left out).
    pub custom: Vec<(String, String)>,
}

/// Which OFD to write.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Profile {
    /// Plain OFD (`DocType="OFD"`).
    #[default]
    Standard,
    /// OFD-A for archives (`DocType="OFD-A"`, GB/T 42133-2022): the metadata must name the
    /// title, the author and the date, and the package is checked with [`verify`] before it
    /// is returned.
    Archival,
}

/// What the OFD should carry.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OfdSettings {
    /// Document metadata.
    pub meta: OfdMeta,
    /// Plain OFD or OFD-A.
    pub profile: Profile,
}

/// OFD-A of an archived document (what `wenshu archive --format ofd` writes): `record`'s 档号,
/// 题名, 责任者, 日期 … in `DocInfo`, every font embedded, nothing outside the package, checked
/// with [`verify`] before it is returned. The archive's manifest takes the SHA-256 of these
/// bytes, as for a PDF.
pub fn export_archival(doc: &PagedDocument, record: &ArchivalRecord) -> Result<Vec<u8>> {
    if record.archival_code.trim().is_empty() {
        return Err(Error::Ofd("OFD-A 的档案元数据缺少档号".into()));
    }
    export(doc, &record.settings())
}

/// Exports laid-out pages to OFD bytes.
pub fn export(doc: &PagedDocument, settings: &OfdSettings) -> Result<Vec<u8>> {
    if settings.profile == Profile::Archival {
        let m = &settings.meta;
        let mut missing = Vec::new();
        if m.title.trim().is_empty() {
            missing.push("题名（Title）");
        }
        if m.author.trim().is_empty() {
            missing.push("责任者（Author）");
        }
        if m.creation_date.is_none() {
            missing.push("日期（CreationDate）");
        }
        if !missing.is_empty() {
            return Err(Error::Ofd(format!(
                "OFD-A 的文档元数据缺少：{}",
                missing.join("、")
            )));
        }
    }
    let mut res = Resources::default();
    let mut pages = Vec::new();
    let mut contents = Vec::new();
    for (i, page) in doc.pages().iter().enumerate() {
        let id = res.id();
        let loc = format!("Pages/Page_{i}/Content.xml");
        contents.push(Part {
            path: format!("{DOC}/{loc}"),
            data: page::content(&mut res, page, A4_MM)?,
            deflate: true,
        });
        pages.push((id, loc));
    }
    let mut parts = vec![
        Part {
            path: format!("{DOC}/Document.xml"),
            data: document::document(&res, A4_MM, &pages),
            deflate: true,
        },
        Part {
            path: format!("{DOC}/PublicRes.xml"),
            data: document::public_res(&res),
            deflate: true,
        },
        Part {
            path: format!("{DOC}/DocumentRes.xml"),
            data: document::document_res(&res),
            deflate: true,
        },
    ];
    parts.extend(contents);
    for f in res.fonts.all() {
        parts.push(Part {
            path: format!("{DOC}/{RES}/{}", document::font_file(f.id, f.extension())),
            data: f.subset()?,
            deflate: true,
        });
    }
    for img in res.images() {
        parts.push(Part {
            path: format!("{DOC}/{RES}/{}", document::image_file(img.id, img.file.ext)),
            data: img.file.data.clone(),
            deflate: false,
        });
    }
    // The DocID (32 characters, table 4) is a digest of everything else: the same document
    // keeps it on every run, another document gets another.
    let mut hash = Sha256::new();
    for p in &parts {
        hash.update(p.path.as_bytes());
        hash.update((p.data.len() as u64).to_le_bytes());
        hash.update(&p.data);
    }
    let digest = hash.finalize();
    let doc_id: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    parts.insert(
        0,
        Part {
            path: "OFD.xml".into(),
            data: document::entry(&settings.meta, settings.profile, &doc_id),
            deflate: true,
        },
    );
    let bytes = package::zip(&parts, settings.meta.creation_date)?;
    if settings.profile == Profile::Archival {
        let findings = verify(&bytes)?;
        if !findings.archival.is_empty() || !findings.structure.is_empty() {
            return Err(Error::Ofd(format!(
                "生成的 OFD-A 未通过自检：{}",
                findings
                    .structure
                    .iter()
                    .chain(&findings.archival)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("；")
            )));
        }
    }
    Ok(bytes)
}
