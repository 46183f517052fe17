//! Text runs as `TextObject`s (GB/T 33190 §11): the run's characters in `TextCode`, every
//! glyph's position from Typst's shaping (first position in `X`/`Y`, the rest as `DeltaX` and,
//! where glyphs are raised or lowered, `DeltaY`), so a reader draws each glyph where the PDF
//! does and its text layer is the document's text.
//!
//! A glyph cluster that is one character drawn by the font's own `cmap` needs nothing more.
//! Any other cluster (a ligature, a contextual form, several glyphs for one character) gets a
//! `CGTransform` naming its glyphs (§11.4): glyph *k* of the cluster sits at character *k*'s
//! position, which is where Typst put it. Glyphs beyond the cluster's character count (rare:
//! decomposed marks) have no character to stand on, so they are drawn as outlines next to the
//! text object. Default-ignorable characters (the word joiners the line breaker inserts)
//! draw nothing and are no part of the text: they are left out, as is white space at either end
//! of a run (which readers trim from the element's text).

use typst::text::{Glyph, TextItem, is_default_ignorable};

use super::geom::{Affine, BBox, Placement};
use super::page::{PathData, Writer};
use super::xml::{num, round};
use crate::error::Result;

/// One character of the `TextCode` and where it sits (local coordinates, mm).
struct Code {
    c: char,
    pos: (f64, f64),
}

/// A `CGTransform`: characters `[start, start + count)` drawn with `glyphs` (subset IDs).
struct Transform {
    start: usize,
    count: usize,
    glyphs: Vec<u16>,
}

/// A glyph drawn as an outline: original glyph ID and origin.
struct Extra {
    gid: u16,
    origin: (f64, f64),
}

/// Origins of every glyph of `t`, local coordinates in mm (y down), and the pen position
/// after the last one. Same arithmetic as the PDF export (krilla): the origin is the pen plus
/// the offset, `y_offset` and `y_advance` pointing up.
fn origins(t: &TextItem) -> (Vec<(f64, f64)>, (f64, f64)) {
    let size = t.size.to_mm();
    let (mut px, mut py) = (0.0f64, 0.0f64);
    let mut out = Vec::with_capacity(t.glyphs.len());
    for g in &t.glyphs {
        out.push((
            px + g.x_offset.get() * size,
            -(py + g.y_offset.get() * size),
        ));
        px += g.x_advance.get() * size;
        py += g.y_advance.get() * size;
    }
    (out, (px, -py))
}

/// Consecutive glyphs sharing a text range: Typst gives every glyph of a cluster the
/// cluster's range.
fn clusters(glyphs: &[Glyph]) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, g) in glyphs.iter().enumerate() {
        match out.last_mut() {
            Some(r) if glyphs[r.start].range == g.range => r.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// Writes the text run `t`, whose origin (on the baseline) `m` maps to the page.
pub fn write(w: &mut Writer, t: &TextItem, m: Affine) -> Result<()> {
    let size = t.size.to_mm();
    let (origin, end) = origins(t);
    let font_id = w.res.font(&t.font).id;
    let mut codes: Vec<Code> = Vec::new();
    let mut transforms: Vec<Transform> = Vec::new();
    let mut extras: Vec<Extra> = Vec::new();
    let all = clusters(&t.glyphs);
    for (k, range) in all.iter().enumerate() {
        let glyphs = &t.glyphs[range.clone()];
        let text: Vec<char> = t
            .text
            .get(glyphs[0].range())
            .unwrap_or_default()
            .chars()
            .filter(|c| !is_default_ignorable(*c))
            .collect();
        let font = w.res.font(&t.font);
        if text.is_empty() {
            // Ignorables draw nothing; a glyph with ink here would still be drawn.
            for (j, g) in glyphs.iter().enumerate() {
                if has_outline(t, g.id) {
                    extras.push(Extra {
                        gid: g.id,
                        origin: origin[range.start + j],
                    });
                }
            }
            continue;
        }
        if text.len() == 1 && glyphs.len() == 1 && font.maps_plainly(text[0], glyphs[0].id) {
            codes.push(Code {
                c: text[0],
                pos: origin[range.start],
            });
            continue;
        }
        let n = text.len();
        let shown = glyphs.len().min(n);
        let start = codes.len();
        let ids: Vec<u16> = glyphs[..shown].iter().map(|g| font.glyph(g.id)).collect();
        // Characters beyond the glyphs (a ligature's later letters) share out the rest of the
        // cluster's advance, so selection and search find them where they are printed.
        let last = origin[range.start + shown - 1];
        let next = all.get(k + 1).map_or(end, |r| origin[r.start]);
        for (j, c) in text.iter().enumerate() {
            let pos = if j < shown {
                origin[range.start + j]
            } else {
                let f = (j + 1 - shown) as f64 / (n + 1 - shown) as f64;
                (last.0 + (next.0 - last.0) * f, last.1)
            };
            codes.push(Code { c: *c, pos });
        }
        for (j, g) in glyphs.iter().enumerate().skip(shown) {
            extras.push(Extra {
                gid: g.id,
                origin: origin[range.start + j],
            });
        }
        transforms.push(Transform {
            start,
            count: n,
            glyphs: ids,
        });
    }
    trim_spaces(&mut codes, &mut transforms);
    if !codes.is_empty() {
        write_object(w, t, m, size, font_id, &codes, &transforms)?;
    }
    for e in extras {
        outline(w, t, m, e)?;
    }
    Ok(())
}

/// Leaves out white space at either end of the run. Readers commonly trim the text of an XML
/// element (ofd-core does), which would shift every `DeltaX` after a leading space onto the
/// wrong character; a space draws nothing, so nothing on the page changes. Spaces inside the
/// run stay: they are part of the text.
fn trim_spaces(codes: &mut Vec<Code>, transforms: &mut [Transform]) {
    let plain = |i: usize, codes: &[Code], transforms: &[Transform]| {
        codes[i].c.is_whitespace()
            && !transforms
                .iter()
                .any(|t| (t.start..t.start + t.count).contains(&i))
    };
    let mut end = codes.len();
    while end > 0 && plain(end - 1, codes, transforms) {
        end -= 1;
    }
    codes.truncate(end);
    let mut lead = 0;
    while lead < codes.len() && plain(lead, codes, transforms) {
        lead += 1;
    }
    codes.drain(..lead);
    for t in transforms.iter_mut() {
        t.start -= lead;
    }
}

fn has_outline(t: &TextItem, gid: u16) -> bool {
    t.font
        .ttf()
        .glyph_bounding_box(ttf_parser::GlyphId(gid))
        .is_some()
}

/// The run's box in local coordinates: every glyph's ink and its line box (ascender to
/// descender), so the `Boundary` never clips a glyph.
fn local_box(t: &TextItem, codes: &[Code]) -> BBox {
    let size = t.size.to_mm();
    let metrics = t.font.metrics();
    let (asc, desc) = (
        metrics.ascender.get().max(1.0) * size,
        (-metrics.descender.get()).max(0.3) * size,
    );
    let upem = t.font.units_per_em();
    let mut b = BBox::default();
    let (origin, end) = origins(t);
    for (i, g) in t.glyphs.iter().enumerate() {
        let (x, y) = origin[i];
        b.add((x, y - asc));
        b.add((x, y + desc));
        let adv = g.x_advance.get() * size;
        b.add((x + adv, y));
        if let Some(r) = t.font.ttf().glyph_bounding_box(ttf_parser::GlyphId(g.id)) {
            let s = size / upem;
            b.add((x + f64::from(r.x_min) * s, y - f64::from(r.y_max) * s));
            b.add((x + f64::from(r.x_max) * s, y - f64::from(r.y_min) * s));
        }
    }
    b.add(end);
    for c in codes {
        b.add(c.pos);
    }
    let pad = t.stroke.as_ref().map_or(0.0, |s| s.thickness.to_mm());
    b.padded(pad + 0.1)
}

fn write_object(
    w: &mut Writer,
    t: &TextItem,
    m: Affine,
    size: f64,
    font_id: u32,
    codes: &[Code],
    transforms: &[Transform],
) -> Result<()> {
    let place = Placement::new(local_box(t, codes), m);
    let mut attrs = place.attrs(w.res.id());
    attrs.push(("Font", font_id.to_string()));
    attrs.push(("Size", num(size)));
    if t.stroke.is_some() {
        attrs.push(("Stroke", "true".into()));
    }
    if let Some(s) = &t.stroke {
        attrs.push(("LineWidth", num(s.thickness.to_mm())));
    }
    let fill = w.res.color(&t.fill)?;
    let stroke = t
        .stroke
        .as_ref()
        .map(|s| w.res.color(&s.paint))
        .transpose()?;
    w.x.start("TextObject", &attrs);
    fill.write(w.x, "FillColor");
    if let Some(s) = stroke {
        s.write(w.x, "StrokeColor");
    }
    for tr in transforms {
        w.x.start(
            "CGTransform",
            &[
                ("CodePosition", tr.start.to_string()),
                ("CodeCount", tr.count.to_string()),
                ("GlyphCount", tr.glyphs.len().to_string()),
            ],
        );
        let glyphs = tr
            .glyphs
            .iter()
            .map(u16::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        w.x.text("Glyphs", &[], &glyphs);
        w.x.end();
    }
    // Positions on the 0.0001 mm grid first, then differences of grid values: the deltas add
    // up to each glyph's position exactly, however long the line.
    let pts: Vec<(f64, f64)> = codes
        .iter()
        .map(|c| {
            let (x, y) = place.local(c.pos);
            (round(x), round(y))
        })
        .collect();
    let mut code_attrs = vec![("X", num(pts[0].0)), ("Y", num(pts[0].1))];
    if pts.len() > 1 {
        let dx: Vec<String> = pts.windows(2).map(|p| num(p[1].0 - p[0].0)).collect();
        code_attrs.push(("DeltaX", dx.join(" ")));
        if pts.windows(2).any(|p| (p[1].1 - p[0].1).abs() > 1e-9) {
            let dy: Vec<String> = pts.windows(2).map(|p| num(p[1].1 - p[0].1)).collect();
            code_attrs.push(("DeltaY", dy.join(" ")));
        }
    }
    let text: String = codes.iter().map(|c| c.c).collect();
    w.x.text("TextCode", &code_attrs, &text);
    w.x.end();
    Ok(())
}

/// A glyph with no character of its own, drawn as its outline in the run's fill.
fn outline(w: &mut Writer, t: &TextItem, m: Affine, e: Extra) -> Result<()> {
    struct Pen<'a> {
        path: &'a mut PathData,
        origin: (f64, f64),
        scale: f64,
    }
    impl Pen<'_> {
        fn p(&self, x: f32, y: f32) -> (f64, f64) {
            (
                self.origin.0 + f64::from(x) * self.scale,
                self.origin.1 - f64::from(y) * self.scale,
            )
        }
    }
    impl ttf_parser::OutlineBuilder for Pen<'_> {
        fn move_to(&mut self, x: f32, y: f32) {
            let p = self.p(x, y);
            self.path.push('M', &[p]);
        }
        fn line_to(&mut self, x: f32, y: f32) {
            let p = self.p(x, y);
            self.path.push('L', &[p]);
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            let (a, b) = (self.p(x1, y1), self.p(x, y));
            self.path.push('Q', &[a, b]);
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            let (a, b, c) = (self.p(x1, y1), self.p(x2, y2), self.p(x, y));
            self.path.push('B', &[a, b, c]);
        }
        fn close(&mut self) {
            self.path.push('C', &[]);
        }
    }
    let mut path = PathData::default();
    let mut pen = Pen {
        path: &mut path,
        origin: e.origin,
        scale: t.size.to_mm() / t.font.units_per_em(),
    };
    if t.font
        .ttf()
        .outline_glyph(ttf_parser::GlyphId(e.gid), &mut pen)
        .is_none()
        || path.bbox.is_empty()
    {
        return Ok(());
    }
    let place = Placement::new(path.bbox.padded(0.01), m);
    let mut attrs = place.attrs(w.res.id());
    attrs.push(("Stroke", "false".into()));
    attrs.push(("Fill", "true".into()));
    let fill = w.res.color(&t.fill)?;
    w.x.start("PathObject", &attrs);
    fill.write(w.x, "FillColor");
    w.x.text("AbbreviatedData", &[], &path.render(|p| place.local(p)));
    w.x.end();
    Ok(())
}
