//! Joins PDFs exported in parts into one document, so a long register never holds all its laid-out
//! pages at once (Typst's frames take about half a megabyte a page, the PDF a few kilobytes).
//!
//! The parts are read one at a time and their pages written out at once, with everything the
//! pages use: memory stays that of one part. The first part gives the document its catalog
//! entries (XMP metadata, the PDF/A output intent, language), its information dictionary and its
//! identifier. The parts' structure trees are dropped, since each one only knows its own pages:
//! the joined file is an untagged PDF whose text is the parts' text. Each part keeps the font
//! subsets it embedded.

use std::collections::BTreeSet;
use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, Writer};

use crate::error::{Error, Result};

fn err(e: impl std::fmt::Display) -> Error {
    Error::Pdf(format!("合并分段导出的 PDF：{e}"))
}

/// The page tree root and the catalog of the joined file.
const PAGES: ObjectId = (1, 0);
const CATALOG: ObjectId = (2, 0);

/// Catalog entries of the first part that the joined file keeps.
const KEPT: &[&[u8]] = &[b"Metadata", b"OutputIntents", b"Lang", b"ViewerPreferences"];

/// One PDF with the pages of `parts`, in order.
pub fn join(parts: &[Vec<u8>]) -> Result<Vec<u8>> {
    match parts {
        [] => Err(err("没有可合并的内容")),
        [one] => Ok(one.clone()),
        _ => Joiner::default().run(parts),
    }
}

#[derive(Default)]
struct Joiner {
    out: Vec<u8>,
    /// Byte offset of each object written, by number.
    offsets: Vec<(u32, usize)>,
    kids: Vec<Object>,
    catalog: Dictionary,
    trailer: Dictionary,
}

impl Joiner {
    fn run(mut self, parts: &[Vec<u8>]) -> Result<Vec<u8>> {
        self.out.extend_from_slice(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n");
        let mut next = 3;
        for (i, part) in parts.iter().enumerate() {
            let mut doc = Document::load_mem(part).map_err(err)?;
            doc.renumber_objects_with(next);
            next = doc.max_id + 1;
            let mut roots: Vec<ObjectId> = Vec::new();
            if i == 0 {
                let catalog = doc.catalog().map_err(err)?;
                for key in KEPT {
                    if let Ok(v) = catalog.get(key) {
                        self.catalog.set(key.to_vec(), v.clone());
                    }
                }
                for key in [&b"Info"[..], b"ID"] {
                    if let Ok(v) = doc.trailer.get(key) {
                        self.trailer.set(key.to_vec(), v.clone());
                    }
                }
                roots.extend(references(&Object::Dictionary(self.catalog.clone())));
                roots.extend(references(&Object::Dictionary(self.trailer.clone())));
            }
            for id in doc.get_pages().into_values() {
                let page = doc.get_dictionary_mut(id).map_err(err)?;
                page.set("Parent", Object::Reference(PAGES));
                page.remove(b"StructParents");
                self.kids.push(Object::Reference(id));
                roots.push(id);
            }
            self.write_reachable(&doc, roots)?;
        }
        self.finish(next)
    }

    /// Writes the objects reachable from `roots` (the pages and what they use; never the part's
    /// own catalog, page tree or structure tree).
    fn write_reachable(&mut self, doc: &Document, roots: Vec<ObjectId>) -> Result<()> {
        let mut seen: BTreeSet<ObjectId> = BTreeSet::new();
        let mut todo = roots;
        while let Some(id) = todo.pop() {
            if id == PAGES || !seen.insert(id) {
                continue;
            }
            let Ok(object) = doc.get_object(id) else {
                continue;
            };
            let refs = references(object);
            todo.extend(refs);
        }
        for id in seen {
            if let Ok(object) = doc.get_object(id) {
                self.object(id, object)?;
            }
        }
        Ok(())
    }

    fn object(&mut self, id: ObjectId, object: &Object) -> Result<()> {
        self.offsets.push((id.0, self.out.len()));
        writeln!(self.out, "{} {} obj", id.0, id.1).map_err(err)?;
        Writer::write_object(&mut self.out, object).map_err(err)?;
        self.out.extend_from_slice(b"\nendobj\n");
        Ok(())
    }

    fn finish(mut self, size: u32) -> Result<Vec<u8>> {
        let count = i64::try_from(self.kids.len()).map_err(err)?;
        let mut pages = Dictionary::new();
        pages.set("Type", Object::Name(b"Pages".to_vec()));
        pages.set("Kids", Object::Array(std::mem::take(&mut self.kids)));
        pages.set("Count", Object::Integer(count));
        self.object(PAGES, &Object::Dictionary(pages))?;
        let mut catalog = std::mem::take(&mut self.catalog);
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(PAGES));
        self.object(CATALOG, &Object::Dictionary(catalog))?;
        // A classic cross-reference table; numbers no object took are free entries.
        let xref = self.out.len();
        let mut at = vec![None; size as usize];
        for (n, off) in &self.offsets {
            if let Some(slot) = at.get_mut(*n as usize) {
                *slot = Some(*off);
            }
        }
        write!(self.out, "xref\n0 {size}\n0000000000 65535 f\r\n").map_err(err)?;
        for slot in at.iter().skip(1) {
            match slot {
                Some(off) => write!(self.out, "{off:010} 00000 n\r\n"),
                None => write!(self.out, "0000000000 00000 f\r\n"),
            }
            .map_err(err)?;
        }
        let mut trailer = std::mem::take(&mut self.trailer);
        trailer.set("Size", Object::Integer(i64::from(size)));
        trailer.set("Root", Object::Reference(CATALOG));
        self.out.extend_from_slice(b"trailer\n");
        Writer::write_object(&mut self.out, &Object::Dictionary(trailer)).map_err(err)?;
        write!(self.out, "\nstartxref\n{xref}\n%%EOF\n").map_err(err)?;
        Ok(self.out)
    }
}

/// The objects `object` refers to directly.
fn references(object: &Object) -> Vec<ObjectId> {
    let mut out = Vec::new();
    let mut stack = vec![object];
    while let Some(o) = stack.pop() {
        match o {
            Object::Reference(id) => out.push(*id),
            Object::Array(items) => stack.extend(items.iter()),
            Object::Dictionary(d) => stack.extend(d.iter().map(|(_, v)| v)),
            Object::Stream(s) => stack.extend(s.dict.iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dict(entries: Vec<(&str, Object)>) -> Dictionary {
        let mut d = Dictionary::new();
        for (k, v) in entries {
            d.set(k, v);
        }
        d
    }

    /// A one-page PDF whose page draws a `w` points wide rectangle (no fonts needed).
    fn part(w: i64) -> Vec<u8> {
        let mut doc = Document::with_version("1.7");
        let pages = doc.new_object_id();
        let content = doc.add_object(lopdf::Stream::new(
            Dictionary::new(),
            format!("0 0 {w} 10 re f").into_bytes(),
        ));
        let page = doc.add_object(dict(vec![
            ("Type", Object::Name(b"Page".to_vec())),
            ("Parent", Object::Reference(pages)),
            (
                "MediaBox",
                Object::Array(vec![0.into(), 0.into(), 595.into(), 842.into()]),
            ),
            ("Contents", Object::Reference(content)),
        ]));
        doc.objects.insert(
            pages,
            Object::Dictionary(dict(vec![
                ("Type", Object::Name(b"Pages".to_vec())),
                ("Kids", Object::Array(vec![Object::Reference(page)])),
                ("Count", Object::Integer(1)),
            ])),
        );
        let catalog = doc.add_object(dict(vec![
            ("Type", Object::Name(b"Catalog".to_vec())),
            ("Pages", Object::Reference(pages)),
            ("Lang", Object::string_literal("zh-CN")),
        ]));
        doc.trailer.set("Root", Object::Reference(catalog));
        let mut out = Vec::new();
        doc.save_to(&mut out).expect("save");
        out
    }

    #[test]
    fn pages_come_in_order_and_the_first_part_gives_the_catalog() {
        let joined = join(&[part(11), part(22), part(33)]).expect("join");
        let doc = Document::load_mem(&joined).expect("reads back");
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        assert_eq!(pages.len(), 3);
        let widths: Vec<String> = pages
            .iter()
            .map(|p| {
                let content = doc.get_page_content(*p);
                String::from_utf8_lossy(&content).trim().to_owned()
            })
            .collect();
        assert_eq!(
            widths,
            ["0 0 11 10 re f", "0 0 22 10 re f", "0 0 33 10 re f"]
        );
        let lang = doc.catalog().and_then(|c| c.get(b"Lang")).expect("lang");
        assert_eq!(lang.as_str().expect("string"), b"zh-CN");
        assert!(join(&[]).is_err());
    }
}
