//! The OFD as an independent reader sees it: ofd-core (a third-party GB/T 33190 parser and
//! renderer, no code shared with wenshu) opens the package, and the glyph positions are worked
//! out from its model by the standard's rule (§8.5, §11.3): `TextCode` X/Y and the running
//! `DeltaX`/`DeltaY` in the object's space, through `CTM`, then offset by the `Boundary` corner.

use std::io::Cursor;

use ofd_core::model::graphics::parse_deltas;
use ofd_core::{OfdPackage, OfdReader, PageBlock, TextObject};

pub type Reader = OfdReader<Cursor<Vec<u8>>>;

/// One character of a `TextCode` where the reader puts it on the page (mm, y down).
#[derive(Debug, Clone)]
pub struct Glyph {
    pub c: char,
    pub x: f64,
    pub y: f64,
}

/// One `TextObject`.
#[derive(Debug, Clone)]
pub struct Text {
    pub font: u64,
    /// `Size`, mm.
    pub size: f64,
    /// `FillColor`: colour space ID and components.
    pub fill: Option<(u64, Vec<f64>)>,
    pub glyphs: Vec<Glyph>,
    /// Characters covered by a `CGTransform`.
    pub transformed: Vec<bool>,
}

impl Text {
    pub fn text(&self) -> String {
        self.glyphs.iter().map(|g| g.c).collect()
    }
}

/// A page as read.
#[derive(Debug, Default)]
pub struct Page {
    pub texts: Vec<Text>,
    pub paths: Vec<ofd_core::PathObject>,
    pub images: Vec<ofd_core::ImageObject>,
}

impl Page {
    /// The page's text in paint order.
    pub fn text(&self) -> String {
        self.texts.iter().map(Text::text).collect()
    }
}

pub fn open(bytes: &[u8]) -> Reader {
    let pkg = OfdPackage::new(Cursor::new(bytes.to_vec())).expect("ofd-core opens the zip");
    OfdReader::new(pkg).expect("ofd-core parses OFD.xml")
}

/// Every page of the first document.
pub fn pages(reader: &mut Reader) -> Vec<Page> {
    let body = reader.ofd().doc_bodies[0].clone();
    let doc = reader.load_document(&body).expect("Document.xml");
    let refs = doc.pages().to_vec();
    refs.iter()
        .map(|r| {
            let page = reader.load_page(&doc, r).expect("Content.xml");
            let mut out = Page::default();
            for layer in page.content.iter().flat_map(|c| &c.layers) {
                collect(&layer.objects, &mut out);
            }
            out
        })
        .collect()
}

fn collect(blocks: &[PageBlock], out: &mut Page) {
    for b in blocks {
        match b {
            PageBlock::Text(t) => out.texts.push(text(t)),
            PageBlock::Path(p) => out.paths.push(p.clone()),
            PageBlock::Image(i) => out.images.push(i.clone()),
            PageBlock::Block(g) => collect(&g.objects, out),
            PageBlock::Composite(_) => panic!("wenshu writes no CompositeObject"),
        }
    }
}

fn text(t: &TextObject) -> Text {
    let ctm = t
        .ctm
        .as_ref()
        .map_or(vec![1.0, 0.0, 0.0, 1.0, 0.0, 0.0], |m| {
            m.as_slice().to_vec()
        });
    assert_eq!(ctm.len(), 6, "CTM has six numbers");
    let (bx, by) = (t.boundary.x, t.boundary.y);
    let mut glyphs = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    for code in &t.text_codes {
        let chars: Vec<char> = code.text.as_deref().unwrap_or_default().chars().collect();
        x = code.x.unwrap_or(x);
        y = code.y.unwrap_or(y);
        let dx = code
            .delta_x
            .as_deref()
            .map(parse_deltas)
            .unwrap_or_default();
        let dy = code
            .delta_y
            .as_deref()
            .map(parse_deltas)
            .unwrap_or_default();
        if chars.len() > 1 {
            // wenshu positions every glyph: no reader has to guess an advance from the font.
            assert_eq!(
                dx.len(),
                chars.len() - 1,
                "DeltaX for every glyph of {chars:?}"
            );
        }
        for (i, c) in chars.iter().enumerate() {
            if i > 0 {
                x += dx[i - 1];
                y += dy.get(i - 1).copied().unwrap_or(0.0);
            }
            glyphs.push(Glyph {
                c: *c,
                x: bx + ctm[0] * x + ctm[2] * y + ctm[4],
                y: by + ctm[1] * x + ctm[3] * y + ctm[5],
            });
        }
    }
    let mut transformed = vec![false; glyphs.len()];
    for cg in &t.cg_transforms {
        let start = usize::try_from(cg.code_position).expect("CodePosition ≥ 0");
        let count = usize::try_from(cg.code_count.unwrap_or(1)).expect("CodeCount ≥ 1");
        for f in transformed.iter_mut().skip(start).take(count) {
            *f = true;
        }
    }
    Text {
        font: t.font.value(),
        size: t.size,
        fill: t.fill_color.as_ref().map(|c| {
            (
                c.color_space.as_ref().map_or(0, |s| s.value()),
                c.value
                    .as_ref()
                    .map(|v| v.as_slice().to_vec())
                    .unwrap_or_default(),
            )
        }),
        glyphs,
        transformed,
    }
}

/// Draws page `index` as an RGBA image at `dpi`.
pub fn render(reader: &mut Reader, index: usize, dpi: f64) -> image::RgbaImage {
    let body = reader.ofd().doc_bodies[0].clone();
    let doc = reader.load_document(&body).expect("Document.xml");
    reader
        .render_page_to_image(&doc, index, &ofd_core::RenderOptions::with_dpi(dpi))
        .expect("ofd-core draws the page")
}
