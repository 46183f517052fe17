//! The laid-out pages, flattened to absolute millimetre coordinates, and the checks that can
//! only be made on them (首页显示正文, 版记 on the last even page, no missing glyphs, 署名 not alone).
//!
//! Tests measure GB/T 9704 geometry from the same flattening, so what is tested is what is printed.

use typst::foundations::{Label, Selector};
use typst::introspection::Introspector;
use typst::layout::{Abs, Frame, FrameItem, Point, Transform};
use typst::utils::PicoStr;
use typst::visualize::{Geometry, Paint};
use typst_layout::PagedDocument;

use crate::error::Diagnostic;

/// A run of text on a page.
#[derive(Debug, Clone)]
pub struct TextRun {
    /// The text.
    pub text: String,
    /// Left edge, mm from the paper's left edge.
    pub x: f64,
    /// Baseline, mm from the paper top.
    pub baseline: f64,
    /// Font size in pt.
    pub size_pt: f64,
    /// Advance width in mm.
    pub width: f64,
    /// The font family the glyphs come from.
    pub family: String,
    /// Whether the fill is the 红头 red.
    pub red: bool,
    /// Characters whose glyph the font lacks (rendered as tofu).
    pub missing: Vec<char>,
    /// Direction of the writing, degrees: 0 for ordinary text, −90 for text on a turned page
    /// (§8: it runs up the page, its top towards the paper's left edge).
    pub angle: f64,
}

impl TextRun {
    /// Top of the em box (baseline − 0.88 em), mm.
    pub fn em_top(&self) -> f64 {
        self.baseline - crate::gbt9704::EM_BOX_TOP * crate::gbt9704::pt_to_mm(self.size_pt)
    }

    /// Bottom of the em box (baseline + 0.12 em), mm.
    pub fn em_bottom(&self) -> f64 {
        self.baseline + crate::gbt9704::EM_BOX_BOTTOM * crate::gbt9704::pt_to_mm(self.size_pt)
    }

    /// Right edge, mm.
    pub fn right(&self) -> f64 {
        self.x + self.width
    }
}

/// A straight horizontal or vertical line, or a filled thin rectangle used as a rule.
#[derive(Debug, Clone)]
pub struct Rule {
    /// Start x, mm.
    pub x0: f64,
    /// End x, mm.
    pub x1: f64,
    /// y of the rule's centre line, mm.
    pub y: f64,
    /// Thickness, mm.
    pub thickness: f64,
    /// Whether it is red.
    pub red: bool,
}

/// A placed image.
#[derive(Debug, Clone)]
pub struct ImageBox {
    /// Left, mm.
    pub x: f64,
    /// Top, mm.
    pub y: f64,
    /// Width, mm.
    pub width: f64,
    /// Height, mm.
    pub height: f64,
}

/// One page, flattened.
#[derive(Debug, Clone, Default)]
pub struct PageLayout {
    /// Text runs in paint order.
    pub texts: Vec<TextRun>,
    /// Horizontal rules.
    pub rules: Vec<Rule>,
    /// Images.
    pub images: Vec<ImageBox>,
}

/// The whole document, flattened.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Pages in order.
    pub pages: Vec<PageLayout>,
}

fn is_red(paint: &Paint) -> bool {
    match paint {
        Paint::Solid(c) => {
            let rgb = c.to_rgb();
            let (r, g, b) = (rgb.red, rgb.green, rgb.blue);
            r > 0.8 && g < 0.5 && b < 0.5
        }
        _ => false,
    }
}

/// Flattens a document.
pub fn flatten(doc: &PagedDocument) -> Layout {
    let pages = doc
        .pages()
        .iter()
        .map(|p| {
            let mut out = PageLayout::default();
            walk(&p.frame, Transform::identity(), &mut out);
            out
        })
        .collect();
    Layout { pages }
}

fn apply(ts: Transform, p: Point) -> (f64, f64) {
    let x = ts.sx.get() * p.x.to_raw() + ts.kx.get() * p.y.to_raw() + ts.tx.to_raw();
    let y = ts.ky.get() * p.x.to_raw() + ts.sy.get() * p.y.to_raw() + ts.ty.to_raw();
    (Abs::raw(x).to_mm(), Abs::raw(y).to_mm())
}

/// The advance of a run up to its last glyph's em box: a justified line adds space after its
/// last glyph too (Typst spreads the line's slack over its justifiable glyphs, the last one
/// included), which is white, not text. A mark set half width (a closing mark at a line's end)
/// has half an em of box whatever slack follows it.
fn ink_width(t: &typst::text::TextItem) -> Abs {
    let Some((last, rest)) = t.glyphs.split_last() else {
        return Abs::zero();
    };
    let natural = t.font.x_advance(last.id).unwrap_or(last.x_advance);
    let own = if last.x_advance < natural * 0.75 {
        natural * 0.5
    } else {
        natural.min(last.x_advance)
    };
    let before: typst::layout::Em = rest.iter().map(|g| g.x_advance).sum();
    (before + last.x_offset + own).at(t.size)
}

fn walk(frame: &Frame, ts: Transform, out: &mut PageLayout) {
    for (pos, item) in frame.items() {
        let here = ts.pre_concat(Transform::translate(pos.x, pos.y));
        match item {
            FrameItem::Group(g) => walk(&g.frame, here.pre_concat(g.transform), out),
            FrameItem::Text(t) => {
                let (x, baseline) = apply(here, Point::zero());
                // Lengths along and across the writing direction, whatever the rotation.
                let scale = here.sx.get().hypot(here.ky.get());
                let cross = here.kx.get().hypot(here.sy.get());
                let angle = here.ky.get().atan2(here.sx.get()).to_degrees();
                let missing = t
                    .glyphs
                    .iter()
                    .filter(|g| g.id == 0)
                    .filter_map(|g| t.text.get(g.range()).and_then(|s| s.chars().next()))
                    .filter(|c| !c.is_whitespace())
                    .collect();
                out.texts.push(TextRun {
                    text: t.text.to_string(),
                    x,
                    baseline,
                    size_pt: t.size.to_pt() * cross,
                    width: ink_width(t).to_mm() * scale,
                    family: t.font.font().info().family.clone(),
                    red: is_red(&t.fill),
                    missing,
                    angle,
                });
            }
            FrameItem::Shape(shape, _) => {
                let red = shape.stroke.as_ref().is_some_and(|s| is_red(&s.paint))
                    || shape.fill.as_ref().is_some_and(is_red);
                match &shape.geometry {
                    Geometry::Line(to) => {
                        let (x0, y0) = apply(here, Point::zero());
                        let (x1, y1) = apply(here, *to);
                        if (y1 - y0).abs() < 1e-6 {
                            let thickness =
                                shape.stroke.as_ref().map_or(0.0, |s| s.thickness.to_mm());
                            out.rules.push(Rule {
                                x0: x0.min(x1),
                                x1: x0.max(x1),
                                y: y0,
                                thickness,
                                red,
                            });
                        }
                    }
                    Geometry::Rect(size) if shape.fill.is_some() && size.y.to_mm() < 1.0 => {
                        let (x0, y0) = apply(here, Point::zero());
                        let (x1, y1) = apply(here, Point::new(size.x, size.y));
                        out.rules.push(Rule {
                            x0: x0.min(x1),
                            x1: x0.max(x1),
                            y: (y0 + y1) / 2.0,
                            thickness: (y1 - y0).abs(),
                            red,
                        });
                    }
                    _ => {}
                }
            }
            FrameItem::Image(_, size, _) => {
                let (x0, y0) = apply(here, Point::zero());
                let (x1, y1) = apply(here, Point::new(size.x, size.y));
                out.images.push(ImageBox {
                    x: x0.min(x1),
                    y: y0.min(y1),
                    width: (x1 - x0).abs(),
                    height: (y1 - y0).abs(),
                });
            }
            FrameItem::Link(..) | FrameItem::Tag(_) => {}
        }
    }
}

/// Pages (1-based) and y (mm) of every `metadata` placed with `label` in the template.
pub fn markers(doc: &PagedDocument, label: &str) -> Vec<(usize, f64)> {
    let Some(label) = Label::new(PicoStr::intern(label)) else {
        return Vec::new();
    };
    let intro = doc.introspector();
    intro
        .query(&Selector::Label(label))
        .iter()
        .filter_map(|c| {
            let loc = c.location()?;
            let p = intro.position(loc)?;
            Some((p.page.get(), p.point.y.to_mm()))
        })
        .collect()
}

/// Slack for glyph boxes at the 版心 edges, mm.
const EDGE_SLACK_MM: f64 = 0.5;

/// The em box of a run as (left, top, right, bottom), mm, for upright and turned runs.
fn run_box(t: &TextRun) -> Option<(f64, f64, f64, f64)> {
    let em = crate::gbt9704::pt_to_mm(t.size_pt);
    let (above, below) = (
        crate::gbt9704::EM_BOX_TOP * em,
        crate::gbt9704::EM_BOX_BOTTOM * em,
    );
    if t.angle.abs() < 0.01 {
        Some((t.x, t.baseline - above, t.x + t.width, t.baseline + below))
    } else if (t.angle + 90.0).abs() < 0.01 {
        // Turned a quarter anticlockwise (§8): the run goes up the page, its top to the left.
        Some((t.x - above, t.baseline - t.width, t.x + below, t.baseline))
    } else {
        None
    }
}

/// Two text runs printed over each other (their em boxes overlap by more than [`OVERLAP_MM`]
/// both ways): text that ran out of a table cell into the next one. (1-based page, the runs.)
pub fn overlapping_text(layout: &Layout) -> Option<(usize, String, String)> {
    for (i, page) in layout.pages.iter().enumerate() {
        let boxes: Vec<_> = page
            .texts
            .iter()
            .filter(|t| !t.text.trim().is_empty())
            .filter_map(|t| run_box(t).map(|b| (t, b)))
            .collect();
        for (k, (a, ba)) in boxes.iter().enumerate() {
            for (b, bb) in &boxes[k + 1..] {
                let dx = ba.2.min(bb.2) - ba.0.max(bb.0);
                let dy = ba.3.min(bb.3) - ba.1.max(bb.1);
                if dx > OVERLAP_MM && dy > OVERLAP_MM {
                    let short = |s: &str| s.chars().take(12).collect::<String>();
                    return Some((i + 1, short(&a.text), short(&b.text)));
                }
            }
        }
    }
    None
}

/// Overlap two glyph boxes may have without being text printed over text (tracking and
/// rounding bring neighbours within a fraction of a millimetre).
const OVERLAP_MM: f64 = 0.3;

/// The first upright text run that reaches past the side margins of its page (`margin_mm` from
/// each edge): (1-based page, the run's beginning). Used for forms, whose cells cannot hold a
/// long run of characters that has no break opportunity (a long number).
pub fn past_side_margins(
    doc: &PagedDocument,
    layout: &Layout,
    margin_mm: f64,
) -> Option<(usize, String)> {
    for (i, (page, frame)) in layout.pages.iter().zip(doc.pages()).enumerate() {
        let width = frame.frame.width().to_mm();
        if let Some(t) = page.texts.iter().find(|t| {
            !t.text.trim().is_empty()
                && run_box(t).is_some_and(|(x0, _, x1, _)| {
                    x0 < margin_mm - EDGE_SLACK_MM || x1 > width - margin_mm + EDGE_SLACK_MM
                })
        }) {
            return Some((i + 1, t.text.chars().take(12).collect()));
        }
    }
    None
}

/// No text of the document may leave the 版心 (§5.2.1), except the page numbers below it and the
/// red 版头 elements the templates place by the standard's own coordinates (the 信函 标志 sits
/// above the 版心). Anything else outside means a layout overflowed; it is refused, not printed.
fn outside_type_area(layout: &Layout, out: &mut Vec<Diagnostic>) {
    use crate::gbt9704::{
        BINDING_MARGIN_MM, OUTER_MARGIN_MM, TOP_MARGIN_MM, TYPE_AREA_BOTTOM_MM, TYPE_AREA_WIDTH_MM,
    };
    for (i, page) in layout.pages.iter().enumerate() {
        let left = if i % 2 == 0 {
            BINDING_MARGIN_MM
        } else {
            OUTER_MARGIN_MM
        };
        let right = left + TYPE_AREA_WIDTH_MM;
        let stray = page.texts.iter().filter(|t| !t.red).find(|t| {
            let page_number = t.baseline > TYPE_AREA_BOTTOM_MM && t.text.contains('—');
            !page_number
                && !t.text.trim().is_empty()
                && run_box(t).is_some_and(|(x0, y0, x1, y1)| {
                    x0 < left - EDGE_SLACK_MM
                        || x1 > right + EDGE_SLACK_MM
                        || y0 < TOP_MARGIN_MM - EDGE_SLACK_MM
                        || y1 > TYPE_AREA_BOTTOM_MM + EDGE_SLACK_MM
                })
        });
        if let Some(t) = stray {
            // The part that runs out: a justified line is one run, its overflow at the end.
            let past_right = run_box(t).is_some_and(|(_, _, x1, _)| x1 > right + EDGE_SLACK_MM);
            let chars: Vec<char> = t.text.chars().collect();
            let shown: String = if past_right && chars.len() > 12 {
                format!("…{}", chars[chars.len() - 12..].iter().collect::<String>())
            } else {
                chars.iter().take(12).collect()
            };
            out.push(
                Diagnostic::error(
                    "gongwen.layout.outside_type_area",
                    "",
                    format!("第 {} 页有文字超出版心（“{shown}”）", i + 1),
                )
                .hint("检查过长的不可断行内容（长数字、长表格单元格）；列多的表格可设 landscape = true 横排（§8）"),
            );
        }
    }
}

/// Post-layout checks of a 公文 (GB/T 9704 §7.3.3, §7.3.5.5, §7.4, §7.5 and the no-tofu rule).
pub fn check_gongwen(doc: &PagedDocument, layout: &Layout) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    missing_glyphs(layout, &mut out);
    outside_type_area(layout, &mut out);
    if let Some((page, a, b)) = overlapping_text(layout) {
        out.push(
            Diagnostic::error(
                "gongwen.layout.overlap",
                "",
                format!("第 {page} 页有文字相互重叠（“{a}”与“{b}”）"),
            )
            .hint("多为表格单元格放不下的长数字或长词；加宽该列（columns）或设 landscape = true 横排（§8）"),
        );
    }
    // Where the 正文 begins: the first block's marker sits on its first line's baseline; the
    // body-start marker (templates without block markers) below the 主送, where a line would
    // begin.
    let first_page_body = match markers(doc, "wenshu-block").first() {
        Some((p, _)) => *p == 1,
        None => markers(doc, "wenshu-body-start")
            .first()
            .is_none_or(|(p, y)| *p == 1 && *y <= crate::gbt9704::TYPE_AREA_BOTTOM_MM - 1.0),
    };
    if !first_page_body {
        out.push(
            Diagnostic::error(
                "gongwen.layout.first_page_body",
                "body",
                "首页没有显示正文（GB/T 9704 §7.3.3“公文首页必须显示正文”）",
            )
            .hint("缩短标题或主送机关；主送机关过多时可移至版记"),
        );
    }
    let colophon = markers(doc, "wenshu-colophon");
    let pages = layout.pages.len();
    if let Some((p, _)) = colophon.first()
        && (*p != pages || !pages.is_multiple_of(2))
    {
        out.push(Diagnostic::error(
            "gongwen.layout.colophon_page",
            "colophon",
            format!("版记应位于最后一页且为偶数页，实际在第 {p} 页（共 {pages} 页）"),
        ));
    }
    // The 署名's page carries 正文, not only the 附件说明 (§7.3.5.5).
    let body_end = markers(doc, "wenshu-text-end");
    let signature = markers(doc, "wenshu-signature");
    if let (Some((pb, _)), Some((ps, _))) = (body_end.first(), signature.first())
        && pb != ps
    {
        out.push(
            Diagnostic::error("gongwen.layout.signature_alone", "signature", format!("署名和成文日期与正文不在同一页（正文止于第 {pb} 页，署名在第 {ps} 页），违反 §7.3.5.5"))
                .hint("调整正文最后一段的长度"),
        );
    }
    out
}

/// Reports characters the chosen fonts cannot draw, once per character.
pub fn missing_glyphs(layout: &Layout, out: &mut Vec<Diagnostic>) {
    let mut seen: Vec<(char, usize, String)> = Vec::new();
    for (i, page) in layout.pages.iter().enumerate() {
        for t in &page.texts {
            for &c in &t.missing {
                if !seen.iter().any(|(s, _, _)| *s == c) {
                    seen.push((c, i + 1, t.family.clone()));
                }
            }
        }
    }
    for (c, page, family) in seen {
        out.push(
            Diagnostic::error(
                "render.missing_glyph",
                "",
                format!(
                    "字体 {family} 中没有字符“{c}”（U+{:04X}，第 {page} 页），打印会出现空白方框",
                    c as u32
                ),
            )
            .hint(
                "用 --font-dir 指定包含该字的字体（如方正小标宋简体、仿宋_GB2312），或改用常用字",
            ),
        );
    }
}
