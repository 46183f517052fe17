//! The package's XML parts other than the pages: `OFD.xml` (entry and `DocInfo`, GB/T 33190
//! §7.4), `Document.xml` (§7.5), `PublicRes.xml` (colour spaces and fonts) and
//! `DocumentRes.xml` (images).

use super::resources::Resources;
use super::xml::{Xml, nums};
use super::{OfdMeta, Profile};

/// Folder of the one document in the package.
pub const DOC: &str = "Doc_0";
/// Folder of the resource files, relative to [`DOC`] (`BaseLoc` of both resource parts).
pub const RES: &str = "Res";

/// Font file name inside [`RES`].
pub fn font_file(id: u32, ext: &str) -> String {
    format!("font_{id}.{ext}")
}

/// Image file name inside [`RES`].
pub fn image_file(id: u32, ext: &str) -> String {
    format!("image_{id}.{ext}")
}

/// `OFD.xml`.
pub fn entry(meta: &OfdMeta, profile: Profile, doc_id: &str) -> Vec<u8> {
    let doc_type = match profile {
        Profile::Standard => "OFD",
        Profile::Archival => "OFD-A",
    };
    let mut x = Xml::new(
        "OFD",
        &[("Version", "1.0".into()), ("DocType", doc_type.into())],
    );
    x.start("DocBody", &[]);
    x.start("DocInfo", &[]);
    // Element order of CT_DocInfo (table 4).
    x.text("DocID", &[], doc_id);
    if !meta.title.is_empty() {
        x.text("Title", &[], &meta.title);
    }
    if !meta.author.is_empty() {
        x.text("Author", &[], &meta.author);
    }
    if let Some(s) = &meta.subject {
        x.text("Subject", &[], s);
    }
    if let Some(s) = &meta.abstract_text {
        x.text("Abstract", &[], s);
    }
    if let Some(d) = meta.creation_date {
        x.text("CreationDate", &[], &d.format("%Y-%m-%d").to_string());
    }
    if !meta.keywords.is_empty() {
        x.start("Keywords", &[]);
        for k in &meta.keywords {
            x.text("Keyword", &[], k);
        }
        x.end();
    }
    x.text("Creator", &[], "wenshu");
    x.text("CreatorVersion", &[], env!("CARGO_PKG_VERSION"));
    let custom: Vec<_> = meta.custom.iter().filter(|(_, v)| !v.is_empty()).collect();
    if !custom.is_empty() {
        x.start("CustomDatas", &[]);
        for (name, value) in custom {
            x.text("CustomData", &[("Name", name.clone())], value);
        }
        x.end();
    }
    x.end();
    x.text("DocRoot", &[], &format!("{DOC}/Document.xml"));
    x.end();
    x.finish()
}

/// `Document.xml`: common data and the page tree. `pages` are (page ID, content location).
pub fn document(res: &Resources, area: (f64, f64), pages: &[(u32, String)]) -> Vec<u8> {
    let mut x = Xml::new("Document", &[]);
    x.start("CommonData", &[]);
    x.text("MaxUnitID", &[], &res.max_id().to_string());
    x.start("PageArea", &[]);
    x.text("PhysicalBox", &[], &nums(&[0.0, 0.0, area.0, area.1]));
    x.end();
    x.text("PublicRes", &[], "PublicRes.xml");
    x.text("DocumentRes", &[], "DocumentRes.xml");
    x.end();
    x.start("Pages", &[]);
    for (id, loc) in pages {
        x.empty("Page", &[("ID", id.to_string()), ("BaseLoc", loc.clone())]);
    }
    x.end();
    x.finish()
}

/// `PublicRes.xml`: colour spaces and fonts, each font with its embedded subset.
pub fn public_res(res: &Resources) -> Vec<u8> {
    let mut x = Xml::new("Res", &[("BaseLoc", RES.into())]);
    res.write_spaces(&mut x);
    let fonts = res.fonts.all();
    if !fonts.is_empty() {
        x.start("Fonts", &[]);
        for f in fonts {
            let (name, family) = f.names();
            let (bold, italic, serif, mono) = f.flags();
            let mut attrs = vec![
                ("ID", f.id.to_string()),
                ("FontName", name),
                ("FamilyName", family),
            ];
            for (k, v) in [
                ("Italic", italic),
                ("Bold", bold),
                ("Serif", serif),
                ("FixedWidth", mono),
            ] {
                if v {
                    attrs.push((k, "true".into()));
                }
            }
            x.start("Font", &attrs);
            x.text("FontFile", &[], &font_file(f.id, f.extension()));
            x.end();
        }
        x.end();
    }
    x.finish()
}

/// `DocumentRes.xml`: the images.
pub fn document_res(res: &Resources) -> Vec<u8> {
    let mut x = Xml::new("Res", &[("BaseLoc", RES.into())]);
    let images = res.images();
    if !images.is_empty() {
        x.start("MultiMedias", &[]);
        for img in images {
            x.start(
                "MultiMedia",
                &[
                    ("ID", img.id.to_string()),
                    ("Type", "Image".into()),
                    ("Format", img.file.format.into()),
                ],
            );
            x.text("MediaFile", &[], &image_file(img.id, img.file.ext));
            x.end();
        }
        x.end();
    }
    x.finish()
}
