//! OFD output (issue 18): every sample 公文, a filled form and a register as OFD, read back by an
//! independent reader (ofd-core): the package against GB/T 33190, every glyph where the PDF puts
//! it (within 0.01 mm), the text the document's text, fonts embedded as subsets, the pages drawn
//! like the PDF's, byte-identical reruns, and `--format` on the command line.

mod common;
#[path = "ofd/pdf.rs"]
mod pdf;
#[path = "ofd/reader.rs"]
mod reader;

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use wenshu::model::gongwen::{Block, Gongwen};
use wenshu::pipeline::{RenderOptions, Rendered, check_file, render_doc};
use wenshu::render::ofd::{self, OfdSettings, Profile};

/// Glyph positions in the OFD and the PDF agree to this (the issue's requirement).
const TOLERANCE_MM: f64 = 0.01;

struct Made {
    name: String,
    doc: Gongwen,
    rendered: Rendered,
    ofd: Vec<u8>,
}

fn sample_files() -> Vec<PathBuf> {
    let dir = common::sample("");
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("samples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    v.sort();
    v
}

fn make(path: &Path) -> Made {
    let (doc, diags) = check_file(path).expect("sample loads");
    let base = path.parent().expect("dir");
    let rendered = render_doc(
        common::engine(),
        &doc,
        base,
        diags,
        path,
        &RenderOptions::default(),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let settings = OfdSettings {
        meta: ofd::meta::gongwen(&doc),
        profile: Profile::Standard,
    };
    let ofd = ofd::export(&rendered.document, &settings).expect("OFD export");
    Made {
        name: path
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned(),
        doc,
        rendered,
        ofd,
    }
}

/// Every sample 公文, rendered once for all tests of this file.
fn samples() -> &'static [Made] {
    static S: OnceLock<Vec<Made>> = OnceLock::new();
    S.get_or_init(|| {
        let v: Vec<Made> = sample_files().iter().map(|p| make(p)).collect();
        assert!(v.len() >= 10, "the samples are all there");
        v
    })
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(Cursor::new(bytes)).expect("zip");
    (0..z.len())
        .map(|i| {
            let mut f = z.by_index(i).expect("entry");
            let mut data = Vec::new();
            f.read_to_end(&mut data).expect("read");
            (f.name().expect("name").into_owned(), data)
        })
        .collect()
}

/// A package made of `files` (to hand-edit one).
fn rezip(files: &BTreeMap<String, Vec<u8>>) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data) in files {
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default())
            .expect("start");
        std::io::Write::write_all(&mut w, data).expect("write");
    }
    w.finish().expect("zip").into_inner()
}

fn ignorable(c: char) -> bool {
    matches!(c, '\u{2060}' | '\u{200B}' | '\u{00AD}' | '\u{FEFF}')
}

/// Text as compared: no white space, no zero-width characters.
fn norm(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !ignorable(*c))
        .collect()
}

// ---- 5a. the package against GB/T 33190 ---------------------------------------------------

/// The structure rules checked independently of `ofd::verify`: the parts the standard requires,
/// its namespace, IDs unique and within `MaxUnitID`, every reference resolving to the right kind
/// of resource, every file named present, lengths in millimetres.
fn check_structure(bytes: &[u8], pages: usize) -> Vec<String> {
    let files = unzip(bytes);
    let mut problems = Vec::new();
    let xml = |p: &str| -> String {
        String::from_utf8(
            files
                .get(p)
                .unwrap_or_else(|| panic!("{p} in the package"))
                .clone(),
        )
        .expect("UTF-8")
    };
    let entry = xml("OFD.xml");
    let entry = roxmltree::Document::parse(&entry).expect("OFD.xml parses");
    let root = entry.root_element();
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.ofdspec.org/2016")
    );
    assert_eq!(root.tag_name().name(), "OFD");
    assert_eq!(root.attribute("Version"), Some("1.0"));
    let doc_root = root
        .descendants()
        .find(|n| n.has_tag_name(("http://www.ofdspec.org/2016", "DocRoot")))
        .and_then(|n| n.text())
        .expect("DocRoot");
    let doc_dir = doc_root.rsplit_once('/').map_or("", |(d, _)| d).to_owned();
    let document = xml(doc_root);
    let document = roxmltree::Document::parse(&document).expect("Document.xml parses");
    let max_id: u64 = document
        .descendants()
        .find(|n| n.has_tag_name("MaxUnitID"))
        .and_then(|n| n.text())
        .and_then(|t| t.parse().ok())
        .expect("MaxUnitID");
    let physical = document
        .descendants()
        .find(|n| n.has_tag_name("PhysicalBox"))
        .and_then(|n| n.text())
        .expect("PageArea/PhysicalBox");
    // Millimetres: A4 is 210 × 297 (in points it would read 595 × 842).
    assert_eq!(physical, "0 0 210 297");
    let mut parts = vec![doc_root.to_owned()];
    let mut kinds: BTreeMap<u64, &'static str> = BTreeMap::new();
    let mut refs: Vec<(u64, &'static str, String)> = Vec::new();
    let mut define = |id: u64, kind: &'static str, at: &str, problems: &mut Vec<String>| {
        if id == 0 || id > max_id {
            problems.push(format!("{at}: ID {id} outside 1..=MaxUnitID {max_id}"));
        }
        if kinds.insert(id, kind).is_some() {
            problems.push(format!("{at}: ID {id} used twice"));
        }
    };
    let page_locs: Vec<(u64, String)> = document
        .descendants()
        .filter(|n| n.has_tag_name("Page"))
        .map(|n| {
            (
                n.attribute("ID")
                    .and_then(|v| v.parse().ok())
                    .expect("page ID"),
                n.attribute("BaseLoc").expect("BaseLoc").to_owned(),
            )
        })
        .collect();
    assert_eq!(page_locs.len(), pages, "one page entry per laid-out page");
    for (id, loc) in &page_locs {
        define(*id, "Page", loc, &mut problems);
        parts.push(format!("{doc_dir}/{loc}"));
    }
    for res in ["PublicRes", "DocumentRes"] {
        let loc = document
            .descendants()
            .find(|n| n.has_tag_name(res))
            .and_then(|n| n.text())
            .unwrap_or_else(|| panic!("{res}"));
        let path = format!("{doc_dir}/{loc}");
        let text = xml(&path);
        let d = roxmltree::Document::parse(&text).expect("resource parses");
        let base = d.root_element().attribute("BaseLoc").unwrap_or("");
        for n in d.descendants().filter(|n| n.is_element()) {
            let kind = match n.tag_name().name() {
                "ColorSpace" => "ColorSpace",
                "Font" => "Font",
                "MultiMedia" => "MultiMedia",
                _ => continue,
            };
            let id = n
                .attribute("ID")
                .and_then(|v| v.parse().ok())
                .expect("resource ID");
            define(id, kind, &path, &mut problems);
            for file in n
                .children()
                .filter(|c| c.has_tag_name("FontFile") || c.has_tag_name("MediaFile"))
            {
                let p = format!("{doc_dir}/{base}/{}", file.text().unwrap_or_default());
                if !files.contains_key(&p) {
                    problems.push(format!("{path}: {p} not in the package"));
                }
            }
        }
        parts.push(path);
    }
    for (_, loc) in &page_locs {
        let path = format!("{doc_dir}/{loc}");
        let text = xml(&path);
        let d = roxmltree::Document::parse(&text).expect("Content.xml parses");
        for n in d.descendants().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            if matches!(name, "Layer" | "TextObject" | "PathObject" | "ImageObject") {
                let id = n.attribute("ID").and_then(|v| v.parse().ok()).unwrap_or(0);
                define(id, "Object", &path, &mut problems);
            }
            for (attr, kind) in [
                ("Font", "Font"),
                ("ResourceID", "MultiMedia"),
                ("ColorSpace", "ColorSpace"),
            ] {
                if let Some(v) = n.attribute(attr) {
                    refs.push((v.parse().unwrap_or(0), kind, format!("{path} {name}")));
                }
            }
        }
    }
    for (id, kind, at) in refs {
        if kinds.get(&id) != Some(&kind) {
            problems.push(format!("{at}: {kind} {id} does not resolve"));
        }
    }
    for p in &parts {
        if !files.contains_key(p) {
            problems.push(format!("{p} missing"));
        }
    }
    problems
}

#[test]
fn every_sample_is_a_package_the_standard_and_an_independent_reader_accept() {
    for m in samples() {
        let pages = m.rendered.document.pages().len();
        let problems = check_structure(&m.ofd, pages);
        assert!(problems.is_empty(), "{}: {problems:#?}", m.name);
        let findings = ofd::verify(&m.ofd).expect("verify");
        assert!(findings.conforms(), "{}: {findings:?}", m.name);
        assert_eq!((findings.doc_type.as_str(), findings.pages), ("OFD", pages));
        let mut r = reader::open(&m.ofd);
        let report = ofd_core::check_reader(&mut r);
        assert!(
            report.problems.is_empty(),
            "{}: {:?}",
            m.name,
            report.problems
        );
        // DocInfo: title, author = the issuers, the document's own date, the 文号.
        let info = r.ofd().doc_bodies[0].doc_info.clone();
        assert_eq!(
            info.title.as_deref(),
            Some(ofd::meta::gongwen(&m.doc).title.as_str())
        );
        let author = info.author.clone().unwrap_or_default();
        assert!(
            m.doc.issuers.iter().all(|i| author.contains(i.name())),
            "{}: author {author}",
            m.name
        );
        let date = wenshu::model::date::parse(&m.doc.date).expect("date");
        assert_eq!(
            info.creation_date,
            Some(date.format("%Y-%m-%d").to_string())
        );
        let custom: BTreeMap<String, String> = info
            .custom_datas
            .iter()
            .flat_map(|c| &c.custom_datas)
            .map(|c| (c.name.clone(), c.value.clone()))
            .collect();
        let number = m
            .doc
            .doc_number
            .clone()
            .or_else(|| m.doc.order_number.clone())
            .or_else(|| m.doc.issue_number.clone());
        assert_eq!(custom.get("文号").cloned(), number, "{}", m.name);
        // Sizes are millimetres too: the body's 3号 is 16 pt = 5.6444 mm.
        let sizes: BTreeSet<String> = reader::pages(&mut r)
            .iter()
            .flat_map(|p| &p.texts)
            .map(|t| format!("{:.4}", t.size))
            .collect();
        assert!(sizes.contains("5.6444"), "{}: sizes {sizes:?}", m.name);
    }
}

#[test]
fn the_structure_check_finds_what_is_wrong() {
    let good = &samples()[0].ofd;
    let mut files = unzip(good);
    // A duplicate ID, a font that is not there, a part missing.
    let page = "Doc_0/Pages/Page_0/Content.xml";
    let text = String::from_utf8(files[page].clone()).expect("utf8");
    let first_font = text
        .split("Font=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a text object")
        .to_owned();
    let ids: Vec<&str> = text
        .split(" ID=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .collect();
    let broken = text
        .replacen(&format!("Font=\"{first_font}\""), "Font=\"99999\"", 1)
        .replacen(
            &format!(" ID=\"{}\"", ids[1]),
            &format!(" ID=\"{}\"", ids[0]),
            1,
        );
    files.insert(page.into(), broken.into_bytes());
    files.remove("Doc_0/DocumentRes.xml");
    let bad = rezip(&files);
    let findings = ofd::verify(&bad).expect("verify");
    let all = findings.structure.join("\n");
    assert!(all.contains("Font=99999"), "{all}");
    assert!(all.contains(&format!("ID {} 重复", ids[0])), "{all}");
    assert!(all.contains("DocumentRes.xml"), "{all}");
}

// ---- 5b. glyphs where the PDF puts them ----------------------------------------------------

/// Pairs every glyph the PDF draws for text with the OFD character it stands for, and returns
/// the largest distance (mm) and how many glyphs were compared. Glyphs with no text of their own
/// (a second glyph of one character, a zero-width joiner) have nothing to pair with, and spaces
/// draw nothing (the OFD leaves them out at the ends of a run).
fn compare_glyphs(name: &str, pdf: &[u8], ofd: &[u8]) -> (f64, usize) {
    let pdf_pages = pdf::glyphs(pdf);
    let mut r = reader::open(ofd);
    let ofd_pages = reader::pages(&mut r);
    assert_eq!(pdf_pages.len(), ofd_pages.len(), "{name}: page count");
    let (mut worst, mut n) = (0.0f64, 0);
    for (i, (pg, og)) in pdf_pages.iter().zip(&ofd_pages).enumerate() {
        let ofd_glyphs: Vec<&reader::Glyph> = og
            .texts
            .iter()
            .flat_map(|t| &t.glyphs)
            .filter(|g| !g.c.is_whitespace())
            .collect();
        let mut k = 0;
        for g in pg {
            let chars: Vec<char> = g
                .text
                .chars()
                .filter(|c| !ignorable(*c) && !c.is_whitespace())
                .collect();
            if chars.is_empty() {
                continue;
            }
            let o = ofd_glyphs.get(k).unwrap_or_else(|| {
                panic!(
                    "{name} p{}: PDF glyph {:?} has no OFD character",
                    i + 1,
                    g.text
                )
            });
            assert_eq!(o.c, chars[0], "{name} p{}: character {k}", i + 1);
            let d = (o.x - g.x).hypot(o.y - g.y);
            assert!(
                d <= TOLERANCE_MM,
                "{name} p{}: {:?} at ({:.4}, {:.4}) in the OFD, ({:.4}, {:.4}) in the PDF",
                i + 1,
                o.c,
                o.x,
                o.y,
                g.x,
                g.y
            );
            worst = worst.max(d);
            n += 1;
            k += chars.len();
        }
        assert_eq!(
            k,
            ofd_glyphs.len(),
            "{name} p{}: every OFD character paired",
            i + 1
        );
    }
    (worst, n)
}

#[test]
fn every_glyph_of_every_sample_sits_where_the_pdf_puts_it() {
    let mut total = 0;
    for m in samples() {
        let (worst, n) = compare_glyphs(&m.name, &m.rendered.pdf, &m.ofd);
        assert!(n > 100, "{}: only {n} glyphs compared", m.name);
        eprintln!("{}: {n} glyphs, largest distance {worst:.5} mm", m.name);
        total += n;
    }
    assert!(total > 5000);
}

// ---- 5c. the text is the document's text ---------------------------------------------------

/// The strings of the data file that must come out as text.
fn source_strings(doc: &Gongwen) -> Vec<String> {
    let mut v: Vec<String> = Vec::new();
    let blocks = |bs: &[Block], v: &mut Vec<String>| {
        for b in bs {
            match b {
                Block::Paragraph(p) => v.push(p.clone()),
                Block::Rich(r) => {
                    v.extend(
                        [&r.h1, &r.h2, &r.h3, &r.h4, &r.text]
                            .into_iter()
                            .flatten()
                            .cloned(),
                    );
                    for row in r.table.iter().flatten() {
                        v.extend(row.iter().cloned());
                    }
                }
            }
        }
    };
    match &doc.title_lines {
        Some(lines) => v.push(lines.concat()),
        None => v.push(doc.title.clone()),
    }
    blocks(&doc.body, &mut v);
    for a in &doc.attachments {
        v.push(a.title.clone());
        blocks(&a.body, &mut v);
    }
    v.extend(doc.doc_number.iter().cloned());
    v.extend(doc.order_number.iter().cloned());
    v.extend(doc.signers.iter().cloned());
    v.extend(doc.recipients.iter().cloned());
    v.extend(doc.cc.iter().cloned());
    v.extend(doc.attendees.iter().cloned());
    v.extend(doc.note.iter().cloned());
    v.extend(doc.print_office.iter().cloned());
    v.push(doc.date.clone());
    v.retain(|s| !norm(s).is_empty());
    v
}

#[test]
fn the_text_an_independent_reader_extracts_is_the_documents_text() {
    for m in samples() {
        let mut r = reader::open(&m.ofd);
        let pages = reader::pages(&mut r);
        // Run for run, the text of the laid-out pages the PDF is made from (white space at the
        // ends of a run draws nothing and is left out).
        for (i, (page, layout)) in pages.iter().zip(&m.rendered.layout.pages).enumerate() {
            let want: Vec<String> = layout
                .texts
                .iter()
                .map(|t| {
                    t.text
                        .chars()
                        .filter(|c| !ignorable(*c))
                        .collect::<String>()
                        .trim()
                        .to_owned()
                })
                .filter(|t| !t.is_empty())
                .collect();
            let got: Vec<String> = page.texts.iter().map(reader::Text::text).collect();
            assert_eq!(got, want, "{} p{}", m.name, i + 1);
        }
        // And every string of the data file, in one piece, in reading order (page numbers,
        // which fall between the pages of a paragraph, taken out).
        let mut all = norm(&pages.iter().map(reader::Page::text).collect::<String>());
        for n in (1..=pages.len()).rev() {
            all = all.replace(&format!("—{n}—"), "");
        }
        for s in source_strings(&m.doc) {
            assert!(
                all.contains(&norm(&s)),
                "{}: {s:?} not in the OFD text",
                m.name
            );
        }
    }
}

#[test]
fn the_red_stays_the_same_red() {
    let m = samples()
        .iter()
        .find(|m| m.name.starts_with("01-"))
        .expect("sample 01");
    let files = unzip(&m.ofd);
    let res = String::from_utf8(files["Doc_0/PublicRes.xml"].clone()).expect("utf8");
    let cmyk = res
        .split("<ofd:ColorSpace ")
        .find(|s| s.contains("Type=\"CMYK\""))
        .and_then(|s| s.split("ID=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .expect("a CMYK colour space")
        .to_owned();
    let mut r = reader::open(&m.ofd);
    let page = &reader::pages(&mut r)[0];
    let mark = page
        .texts
        .iter()
        .find(|t| t.text().contains("兴仁市人民政府办公室"))
        .expect("标志");
    let (space, value) = mark.fill.clone().expect("fill");
    assert_eq!(space.to_string(), cmyk, "the 标志 is CMYK, as in the PDF");
    // The rule under the 字号 is a PathObject in the same red.
    let rule = page
        .paths
        .iter()
        .find(|p| p.line_width.is_some_and(|w| w > 0.3))
        .expect("red rule");
    let stroke = rule.stroke_color.as_ref().expect("stroke colour");
    assert_eq!(
        stroke.color_space.as_ref().map(|s| s.value().to_string()),
        Some(cmyk)
    );
    assert_eq!(
        stroke.value.as_ref().map(|v| v.as_slice().to_vec()),
        Some(value)
    );
}

// ---- 2. fonts embedded as subsets -----------------------------------------------------------

/// The bundled fonts by PostScript name: what the engine of these tests lays out with.
fn bundled_fonts() -> BTreeMap<String, Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fonts");
    std::fs::read_dir(&dir)
        .expect("fonts/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "otf" || e == "ttf"))
        .map(|p| {
            let data = std::fs::read(&p).expect("font");
            let face = ttf_parser::Face::parse(&data, 0).expect("parses");
            // PostScript names are ASCII, in whichever platform's record carries them.
            let ps = face
                .names()
                .into_iter()
                .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
                .map(|n| {
                    n.to_string()
                        .unwrap_or_else(|| String::from_utf8_lossy(n.name).into())
                })
                .find(|s| !s.is_empty())
                .expect("PostScript name");
            (ps, data)
        })
        .collect()
}

#[test]
fn fonts_are_embedded_as_subsets_that_draw_the_same_glyphs() {
    let originals = bundled_fonts();
    for m in samples() {
        let files = unzip(&m.ofd);
        let res = String::from_utf8(files["Doc_0/PublicRes.xml"].clone()).expect("utf8");
        let res = roxmltree::Document::parse(&res).expect("PublicRes");
        let mut r = reader::open(&m.ofd);
        let pages = reader::pages(&mut r);
        for font in res.descendants().filter(|n| n.has_tag_name("Font")) {
            let id: u64 = font
                .attribute("ID")
                .and_then(|v| v.parse().ok())
                .expect("ID");
            let name = font.attribute("FontName").expect("FontName");
            let file = font
                .children()
                .find(|c| c.has_tag_name("FontFile"))
                .and_then(|c| c.text())
                .expect("every font embedded");
            let sub_bytes = &files[&format!("Doc_0/Res/{file}")];
            let orig_bytes = originals
                .get(name)
                .unwrap_or_else(|| panic!("{}: {name} is not a bundled font", m.name));
            let sub = ttf_parser::Face::parse(sub_bytes, 0).expect("subset parses");
            let orig = ttf_parser::Face::parse(orig_bytes, 0).expect("original parses");
            // Characters the reader finds through the subset's own cmap.
            let mut plain = BTreeSet::new();
            let mut transformed = 0;
            for t in pages.iter().flat_map(|p| &p.texts).filter(|t| t.font == id) {
                for (g, cg) in t.glyphs.iter().zip(&t.transformed) {
                    if *cg {
                        transformed += 1;
                    } else {
                        plain.insert(g.c);
                    }
                }
            }
            // Only the glyphs used (and .notdef), never the whole font.
            assert!(
                usize::from(sub.number_of_glyphs()) <= plain.len() + transformed + 1,
                "{}: {name} keeps {} glyphs for {} characters",
                m.name,
                sub.number_of_glyphs(),
                plain.len()
            );
            assert!(
                sub_bytes.len() * 4 < orig_bytes.len(),
                "{}: {name} subset is {} of {} bytes",
                m.name,
                sub_bytes.len(),
                orig_bytes.len()
            );
            for c in plain {
                let gs = sub.glyph_index(c).unwrap_or_else(|| {
                    panic!("{}: {name} subset has no cmap entry for {c:?}", m.name)
                });
                let go = orig.glyph_index(c).expect("original has the character");
                assert_eq!(
                    (sub.glyph_hor_advance(gs), sub.glyph_bounding_box(gs)),
                    (orig.glyph_hor_advance(go), orig.glyph_bounding_box(go)),
                    "{}: {name} {c:?} is the same glyph",
                    m.name
                );
            }
        }
    }
}

// ---- the pages as an independent reader draws them ----------------------------------------

fn have(tool: &str) -> bool {
    Command::new(tool).arg("-v").output().is_ok()
}

/// Each pixel's darkest channel, so that the red of the 标志 and the seal counts as ink as much
/// as black does.
fn lightness(img: &image::RgbImage) -> image::GrayImage {
    image::GrayImage::from_fn(img.width(), img.height(), |x, y| {
        let p = img.get_pixel(x, y).0;
        image::Luma([p[0].min(p[1]).min(p[2])])
    })
}

/// Dark pixels of `a` with no ink of `b` in the 3 × 3 square around them, and all dark pixels
/// of `a`. "Dark" and "ink" are two thresholds, so that two rasterisers' anti-aliasing of the
/// same outline agree while a glyph, rule or image missing or moved by a pixel does not.
fn unmatched_ink(a: &image::GrayImage, b: &image::GrayImage) -> (usize, usize) {
    let (w, h) = (a.width().min(b.width()), a.height().min(b.height()));
    let (mut ink, mut lost) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            if a.get_pixel(x, y).0[0] >= 96 {
                continue;
            }
            ink += 1;
            let near = (y.saturating_sub(1)..=(y + 1).min(h - 1)).any(|yy| {
                (x.saturating_sub(1)..=(x + 1).min(w - 1)).any(|xx| b.get_pixel(xx, yy).0[0] < 224)
            });
            if !near {
                lost += 1;
            }
        }
    }
    (ink, lost)
}

#[test]
fn an_independent_reader_draws_every_page_as_the_pdf_shows_it() {
    if !have("pdftoppm") {
        eprintln!(
            "SKIPPED: drawing the PDF for comparison needs pdftoppm (poppler-utils; .ci/packages.sh installs it)"
        );
        return;
    }
    const DPI: u32 = 50;
    let mut first_page = None;
    for m in samples() {
        let dir = tempfile::tempdir().expect("tmp");
        let pdf = dir.path().join("a.pdf");
        std::fs::write(&pdf, &m.rendered.pdf).expect("write");
        let status = Command::new("pdftoppm")
            .args(["-r", &DPI.to_string(), "-png"])
            .arg(&pdf)
            .arg(dir.path().join("p"))
            .status()
            .expect("pdftoppm");
        assert!(status.success());
        let mut r = reader::open(&m.ofd);
        let n = m.rendered.document.pages().len();
        for i in 0..n {
            let width = n.to_string().len();
            let png = dir.path().join(format!("p-{:0width$}.png", i + 1));
            let want = lightness(&image::open(&png).expect("pdftoppm page").to_rgb8());
            let got = lightness(
                &image::DynamicImage::ImageRgba8(reader::render(&mut r, i, f64::from(DPI)))
                    .to_rgb8(),
            );
            assert!(
                want.width().abs_diff(got.width()) <= 1
                    && want.height().abs_diff(got.height()) <= 1,
                "{} p{}: page size",
                m.name,
                i + 1
            );
            if first_page.is_none() {
                first_page = Some(want.clone());
            }
            for (a, b, what) in [
                (&want, &got, "PDF ink missing from the OFD"),
                (&got, &want, "OFD ink not in the PDF"),
            ] {
                let (ink, lost) = unmatched_ink(a, b);
                assert!(ink > 0, "{} p{}: blank page", m.name, i + 1);
                assert!(
                    lost * 50 <= ink,
                    "{} p{}: {what}: {lost} of {ink} dark pixels",
                    m.name,
                    i + 1
                );
            }
        }
    }
    // The comparison sees a missing 标志: the same page with it taken out fails.
    let m = &samples()[0];
    let mut files = unzip(&m.ofd);
    let page = "Doc_0/Pages/Page_0/Content.xml";
    let xml = String::from_utf8(files[page].clone()).expect("utf8");
    let kept: Vec<&str> = xml
        .split_inclusive("</ofd:TextObject>")
        .filter(|part| !part.contains("兴仁市人民政府办公室</ofd:TextCode>"))
        .collect();
    assert!(kept.len() < xml.split_inclusive("</ofd:TextObject>").count());
    files.insert(page.into(), kept.concat().into_bytes());
    let mut r = reader::open(&rezip(&files));
    let without = lightness(
        &image::DynamicImage::ImageRgba8(reader::render(&mut r, 0, f64::from(DPI))).to_rgb8(),
    );
    let (ink, lost) = unmatched_ink(&first_page.expect("page 1"), &without);
    assert!(
        lost * 50 > ink,
        "a missing 标志 is noticed: {lost} of {ink}"
    );
}

// ---- 4. byte-identical reruns ----------------------------------------------------------------

#[test]
fn reruns_are_byte_identical_and_dated_by_the_document() {
    for (path, m) in sample_files().iter().zip(samples()) {
        let again = make(path);
        assert!(again.ofd == m.ofd, "{}: a second run differs", m.name);
        let mut z = zip::ZipArchive::new(Cursor::new(&m.ofd)).expect("zip");
        assert_eq!(
            z.by_index(0).expect("first").name().expect("name"),
            "OFD.xml"
        );
        let date = wenshu::model::date::parse(&m.doc.date).expect("date");
        for i in 0..z.len() {
            let f = z.by_index(i).expect("entry");
            let t = f.last_modified().expect("timestamp");
            assert_eq!(
                (
                    i32::from(t.year()),
                    u32::from(t.month()),
                    u32::from(t.day())
                ),
                (
                    chrono::Datelike::year(&date),
                    chrono::Datelike::month(&date),
                    chrono::Datelike::day(&date)
                ),
                "{}: {} is dated by the document, not the clock",
                m.name,
                f.name().expect("name")
            );
        }
    }
}

// ---- 1. --format on the command line --------------------------------------------------------

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenshu"));
    c.arg("--ignore-system-fonts");
    c
}

fn run(c: &mut Command) -> (bool, String) {
    let o = c.output().expect("run wenshu");
    (
        o.status.success(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

#[test]
fn gongwen_writes_pdf_ofd_or_both_from_one_layout() {
    let dir = tempfile::tempdir().expect("tmp");
    let sample = common::sample("08-ling.toml");
    let both = dir.path().join("令.pdf");
    let (ok, out) = run(bin()
        .args(["gongwen", "--format", "pdf,ofd"])
        .arg(&sample)
        .arg("-o")
        .arg(&both));
    assert!(ok, "{out}");
    let ofd_beside = dir.path().join("令.ofd");
    assert!(out.contains("令.pdf") && out.contains("令.ofd"), "{out}");
    let pdf_bytes = std::fs::read(&both).expect("the PDF");
    let ofd_bytes = std::fs::read(&ofd_beside).expect("the OFD beside it");
    compare_glyphs("08 via the CLI", &pdf_bytes, &ofd_bytes);

    // One format: -o is that file; a rerun gives the same bytes.
    let only = dir.path().join("only.ofd");
    for _ in 0..2 {
        let (ok, out) = run(bin()
            .args(["gongwen", "--format", "ofd"])
            .arg(&sample)
            .arg("-o")
            .arg(&only));
        assert!(ok, "{out}");
        assert!(
            std::fs::read(&only).expect("ofd") == ofd_bytes,
            "same document, same bytes"
        );
    }
    assert!(
        !dir.path().join("only.pdf").exists(),
        "no PDF when only OFD is asked for"
    );

    // Both formats with -o naming an .ofd would put both in one file.
    let (ok, out) = run(bin()
        .args(["gongwen", "--format", "pdf,ofd"])
        .arg(&sample)
        .arg("-o")
        .arg(dir.path().join("x.ofd")));
    assert!(!ok && out.contains("PDF 的文件名"), "{out}");
    let (ok, out) = run(bin()
        .args(["gongwen", "--format", "ofd"])
        .arg(&sample)
        .arg("-o")
        .arg(dir.path().join("x.pdf")));
    assert!(
        !ok && out.contains(".ofd"),
        "an OFD is not named .pdf: {out}"
    );
    let (ok, out) = run(bin().args(["gongwen", "--format", "docx"]).arg(&sample));
    assert!(!ok && out.contains("docx"), "{out}");

    // --pdfa with OFD is OFD-A.
    let archival = dir.path().join("a.ofd");
    let (ok, out) = run(bin()
        .args(["gongwen", "--format", "ofd", "--pdfa"])
        .arg(&sample)
        .arg("-o")
        .arg(&archival));
    assert!(ok, "{out}");
    let f = ofd::verify(&std::fs::read(&archival).expect("ofd")).expect("verify");
    assert!(f.doc_type == "OFD-A" && f.conforms(), "{f:?}");
}

#[test]
fn an_ofd_never_replaces_its_data_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("通知.toml");
    let text = std::fs::read_to_string(common::sample("03-han.toml")).expect("sample");
    std::fs::write(&data, &text).expect("write");
    let (ok, out) = run(bin()
        .args(["gongwen", "--format", "ofd"])
        .arg(&data)
        .arg("-o")
        .arg(&data));
    assert!(!ok && out.contains("覆盖"), "{out}");
    assert_eq!(std::fs::read_to_string(&data).expect("data"), text);
}

#[test]
fn a_number_from_the_registry_is_in_the_ofd_and_recorded_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let data = dir.path().join("a.toml");
    std::fs::write(
        &data,
        format!(
            "kind = \"通知\"\nissuer_code = \"仁府办发\"\ntitle = \"兴仁市人民政府办公室关于做好节假日值班工作的通知\"\nrecipients = [\"各乡（镇）人民政府\"]\ndate = \"2026年12月1日\"\nbody = [\"请各单位做好值班工作，确保安全。\"]\n[[issuers]]\nname = \"兴仁市人民政府办公室\"\nseal = \"{}\"\n",
            common::sample("seals/xingren-gov-office.png").display()
        ),
    )
    .expect("write");
    let pdf = dir.path().join("a.pdf");
    let (ok, out) = run(bin()
        .arg("--registry")
        .arg(&db)
        .args(["gongwen", "--assign-numbers", "--format", "pdf,ofd"])
        .arg(&data)
        .arg("-o")
        .arg(&pdf));
    assert!(ok, "{out}");
    assert!(out.contains("仁府办发〔2026〕1号"), "{out}");
    let bytes = std::fs::read(dir.path().join("a.ofd")).expect("ofd");
    let mut r = reader::open(&bytes);
    let info = r.ofd().doc_bodies[0].doc_info.clone();
    let number = info
        .custom_datas
        .iter()
        .flat_map(|c| &c.custom_datas)
        .find(|c| c.name == "文号")
        .map(|c| c.value.clone());
    assert_eq!(number.as_deref(), Some("仁府办发〔2026〕1号"));
    let text = norm(&reader::pages(&mut r)[0].text());
    assert!(text.contains("仁府办发〔2026〕1号"), "{text}");
    let mut reg = wenshu::number::registry::Registry::open(&db).expect("registry");
    let entries = reg.entries("发文", None).expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].record.output, pdf.display().to_string());
}

#[test]
fn demo_writes_every_sample_as_ofd() {
    let dir = tempfile::tempdir().expect("tmp");
    let (ok, out) = run(bin()
        .args(["demo", "--format", "ofd", "-o"])
        .arg(dir.path()));
    assert!(ok, "{out}");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .expect("out")
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    assert_eq!(names.len(), sample_files().len(), "{names:?}");
    assert!(names.iter().all(|n| n.ends_with(".ofd")), "{names:?}");
    for m in samples() {
        let stem = m.name.trim_end_matches(".toml");
        let bytes = std::fs::read(dir.path().join(format!("{stem}.ofd"))).expect("ofd");
        assert!(
            bytes == m.ofd,
            "{}: demo and the library agree byte for byte",
            m.name
        );
    }
}

// ---- forms and registers ---------------------------------------------------------------------

#[test]
fn a_filled_form_and_a_register_come_out_as_ofd_with_the_pdfs_glyphs() {
    use wenshu::fill::{FillOptions, fill};
    let catalog = wenshu::form::load::Catalog::load(None).expect("catalog");
    let forms = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms");
    for id in ["qingjia", "shouwen_dengji"] {
        let def = catalog.get(id).expect("definition");
        let dir = tempfile::tempdir().expect("tmp");
        let opts = FillOptions {
            office: "兴仁市医疗保障局".into(),
            formats: wenshu::render::formats::Formats::parse("pdf,ofd").expect("formats"),
            ..FillOptions::default()
        };
        let out = fill(
            common::engine(),
            def,
            &forms.join(format!("{id}.xlsx")),
            dir.path(),
            &opts,
        )
        .expect("fill");
        assert!(out.errors.is_empty(), "{id}: {:#?}", out.errors);
        let pdfs: Vec<&PathBuf> = out
            .written
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
            .collect();
        assert!(!pdfs.is_empty());
        assert_eq!(
            out.written.len(),
            2 * pdfs.len(),
            "{id}: an OFD beside every PDF"
        );
        for p in pdfs {
            let pdf_bytes = std::fs::read(p).expect("pdf");
            let ofd_bytes = std::fs::read(p.with_extension("ofd")).expect("ofd beside");
            let (_, n) = compare_glyphs(&p.display().to_string(), &pdf_bytes, &ofd_bytes);
            assert!(n > 20);
            let f = ofd::verify(&ofd_bytes).expect("verify");
            assert!(f.conforms(), "{f:?}");
            // The text the reader extracts is the PDF's text, glyph for glyph.
            let pdf_text: String = pdf::glyphs(&pdf_bytes)
                .iter()
                .flatten()
                .map(|g| g.text.as_str())
                .collect();
            let mut r = reader::open(&ofd_bytes);
            let info = r.ofd().doc_bodies[0].doc_info.clone();
            assert_eq!(info.title.as_deref(), Some(def.title.as_str()));
            assert_eq!(info.author.as_deref(), Some("兴仁市医疗保障局"));
            let ofd_text: String = reader::pages(&mut r)
                .iter()
                .map(reader::Page::text)
                .collect();
            assert_eq!(norm(&ofd_text), norm(&pdf_text), "{}", p.display());
            assert!(norm(&ofd_text).contains(&norm(&def.title)));
        }
    }
}

#[test]
fn ofd_a_forms_need_the_office_and_are_refused_at_once_without_it() {
    use wenshu::fill::{FillOptions, fill};
    let catalog = wenshu::form::load::Catalog::load(None).expect("catalog");
    let def = catalog.get("qingjia").expect("definition");
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms/qingjia.xlsx");
    let dir = tempfile::tempdir().expect("tmp");
    let opts = FillOptions {
        pdfa: true,
        formats: wenshu::render::formats::Formats::parse("ofd").expect("formats"),
        ..FillOptions::default()
    };
    let err = fill(common::engine(), def, &data, dir.path(), &opts).expect_err("refused");
    assert!(err.to_string().contains("--office"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

// ---- the archive's entry point ---------------------------------------------------------------

#[test]
fn the_archive_gets_ofd_a_carrying_its_record() {
    let m = &samples()[0];
    let mut rec = ofd::ArchivalRecord::from_gongwen(&m.doc);
    rec.archival_code = "X001-WS·2026-Y-BGS-0001".into();
    rec.retention = Some("永久".into());
    rec.fonds = Some("X001".into());
    let bytes = ofd::export_archival(&m.rendered.document, &rec).expect("OFD-A");
    let f = ofd::verify(&bytes).expect("verify");
    assert!(f.doc_type == "OFD-A" && f.conforms(), "{f:?}");
    let r = reader::open(&bytes);
    assert!(r.ofd().is_archive());
    let custom: BTreeMap<String, String> = r.ofd().doc_bodies[0]
        .doc_info
        .custom_datas
        .iter()
        .flat_map(|c| &c.custom_datas)
        .map(|c| (c.name.clone(), c.value.clone()))
        .collect();
    for (k, v) in [
        ("档号", "X001-WS·2026-Y-BGS-0001"),
        ("保管期限", "永久"),
        ("全宗号", "X001"),
        ("文号", "仁府办发〔2026〕79号"),
        ("年度", "2026"),
    ] {
        assert_eq!(custom.get(k).map(String::as_str), Some(v), "{k}");
    }
    // The same pages as the plain OFD: only OFD.xml differs.
    let (a, b) = (unzip(&bytes), unzip(&m.ofd));
    for (name, data) in &a {
        if name != "OFD.xml" {
            assert!(b.get(name) == Some(data), "{name}");
        }
    }

    rec.archival_code.clear();
    let e = ofd::export_archival(&m.rendered.document, &rec).expect_err("no 档号");
    assert!(e.to_string().contains("档号"), "{e}");
    rec.archival_code = "X001-WS·2026-Y-BGS-0001".into();
    rec.date = None;
    let e = ofd::export_archival(&m.rendered.document, &rec).expect_err("no date");
    assert!(e.to_string().contains("日期"), "{e}");

    // A font file outside the package is no archive.
    let mut files = a;
    let res = String::from_utf8(files["Doc_0/PublicRes.xml"].clone()).expect("utf8");
    let res = res.replacen("<ofd:FontFile>", "<ofd:FontFile>http://example.org/", 1);
    files.insert("Doc_0/PublicRes.xml".into(), res.into_bytes());
    let bad = rezip(&files);
    let f = ofd::verify(&bad).expect("verify");
    assert!(
        f.archival.iter().any(|a| a.contains("http://example.org/")),
        "{f:?}"
    );
}
