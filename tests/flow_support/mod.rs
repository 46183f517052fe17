//! Documents and measures for tests/gongwen_layout_flow.rs: generated 通知 (the last paragraph
//! lengthened line by line, 附件说明 lines, joint 署名) and the rules of issue 12 measured on
//! their laid-out pages.

pub mod text;

use std::collections::BTreeSet;

use crate::common::*;
use wenshu::gbt9704::*;
use wenshu::pipeline::Rendered;
use wenshu::render::inspect::{ImageBox, TextRun};

/// Sentences of a realistic 通知 (no Latin digits: a paragraph of n lines is 28n − 2 characters).
pub const SENTENCES: [&str; 4] = [
    "各单位要高度重视冬季安全生产工作，切实落实属地管理责任和部门监管责任，",
    "对检查中发现的问题要建立台账，明确整改时限和责任人，确保整改到位；",
    "各乡（镇）人民政府要加强对辖区内重点企业的巡查，督促企业落实主体责任，",
    "要严格执行领导带班和值班制度，遇有重大情况及时报告，不得迟报漏报。",
];

/// A paragraph that fills `lines` lines (the first indented two characters), ending with 。.
pub fn paragraph(lines: usize, seed: usize) -> String {
    let want = lines * CHARS_PER_LINE as usize - 2;
    let mut s = String::new();
    let mut i = seed;
    while s.chars().count() < want {
        s.push_str(SENTENCES[i % SENTENCES.len()]);
        i += 1;
    }
    let mut s: String = s.chars().take(want - 1).collect();
    // Never end on punctuation followed by 。.
    while s.ends_with(['，', '；', '、', '（']) {
        s.pop();
    }
    s.push('。');
    s
}

pub const NOTES: [&str; 5] = [
    "兴仁市2026年度冬季安全生产大检查工作方案",
    "重点行业领域检查内容及责任分工表",
    "安全隐患排查整治台账（样表）",
    "冬季安全生产值班安排表",
    "各乡（镇）安全生产工作联系人名单",
];

pub const GOV_OFFICE: (&str, &str) = ("兴仁市人民政府办公室", "xingren-gov-office.png");
pub const JOINT: [(&str, &str); 3] = [
    ("兴仁市医疗保障局", "medical-insurance.png"),
    ("兴仁市卫生健康局", "health-commission.png"),
    ("兴仁市市场监督管理局", "market-regulation.png"),
];

pub struct Doc<'a> {
    pub title: &'a str,
    pub body: Vec<String>,
    pub notes: usize,
    pub issuers: &'a [(&'a str, &'a str)],
}

impl Doc<'_> {
    pub fn toml(&self) -> String {
        let q = |s: &str| format!("\"{s}\"");
        let mut t = format!(
            "kind = \"通知\"\ndoc_number = \"仁府办发〔2026〕80号\"\ntitle = {}\nrecipients = [\"各乡（镇）人民政府\", \"市政府各部门\"]\ndate = \"2026年12月1日\"\nbody = [{}]\n",
            q(self.title),
            self.body
                .iter()
                .map(|p| q(p))
                .collect::<Vec<_>>()
                .join(", ")
        );
        if self.notes > 0 {
            let notes: Vec<String> = NOTES[..self.notes].iter().map(|n| q(n)).collect();
            t.push_str(&format!("attachment_note = [{}]\n", notes.join(", ")));
        }
        for (name, seal) in self.issuers {
            t.push_str(&format!(
                "[[issuers]]\nname = \"{name}\"\nseal = \"seals/{seal}\"\n"
            ));
        }
        t
    }

    pub fn render(&self) -> Rendered {
        match render_toml(&self.toml()) {
            Ok(r) => r,
            Err(wenshu::Error::Invalid { diagnostics, .. }) => {
                panic!("{} refused: {diagnostics:#?}", self.describe())
            }
            Err(e) => panic!("{}: {e}", self.describe()),
        }
    }

    pub fn describe(&self) -> String {
        let lines: Vec<usize> = self
            .body
            .iter()
            .map(|p| p.chars().count().div_ceil(28))
            .collect();
        format!("body {lines:?} lines, {} 附件说明 lines", self.notes)
    }
}

pub const TITLE: &str = "兴仁市人民政府办公室关于做好冬季安全生产工作的通知";

/// Paragraphs before the last one: the text reaches page 2, so the last paragraph, lengthened
/// line by line, ends at every height of pages 2 and 3.
pub fn flow_doc<'a>(last: usize, notes: usize, issuers: &'a [(&'a str, &'a str)]) -> Doc<'a> {
    let mut body: Vec<String> = [6, 7, 5]
        .iter()
        .enumerate()
        .map(|(i, &n)| paragraph(n, i))
        .collect();
    body.push(paragraph(last, 3));
    Doc {
        title: TITLE,
        body,
        notes,
        issuers,
    }
}

pub fn pitch() -> f64 {
    pt_to_mm(LINE_PITCH_PT)
}

pub fn left_edge(page: usize) -> f64 {
    if page.is_multiple_of(2) {
        BINDING_MARGIN_MM
    } else {
        OUTER_MARGIN_MM
    }
}

/// 3号 lines of a page inside the 版心 (no page number, no 标志, no title).
pub fn body_lines(r: &Rendered, page: usize) -> Vec<Line> {
    lines(&r.layout.pages[page])
        .into_iter()
        .filter(|l| (l.size_pt - SIZE_NO3_PT).abs() < 0.01 && l.bottom <= TYPE_AREA_BOTTOM_MM + 0.5)
        .collect()
}

/// The page (0-based) of the 署名: the one with the last seal.
pub fn signature_page(r: &Rendered) -> usize {
    r.layout
        .pages
        .iter()
        .rposition(|p| !p.images.is_empty())
        .expect("a sealed document")
}

/// A run of the 署名 block: part of an issuer's name, or the date.
pub fn is_signature(t: &TextRun, issuers: &[&str], date: &str) -> bool {
    let s = t.text.trim();
    !s.is_empty() && (s == date || issuers.iter().any(|n| n.contains(s)))
}

pub fn overlaps(t: &TextRun, im: &ImageBox) -> bool {
    let (x0, x1, y0, y1) = (t.x, t.right(), t.em_top(), t.em_bottom());
    x0 < im.x + im.width - 0.05
        && x1 > im.x + 0.05
        && y0 < im.y + im.height - 0.05
        && y1 > im.y + 0.05
}

pub fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Characters that would make the PDF's text differ from the document's.
pub const INVISIBLE: [char; 6] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
];

/// Every rule of issue 12 that a flow document must keep; returns the 署名 page (0-based).
pub fn check_flow(doc: &Doc, r: &Rendered) -> usize {
    let what = doc.describe();
    let names: Vec<&str> = doc.issuers.iter().map(|(n, _)| *n).collect();
    let date = "2026年12月1日";
    let sig = signature_page(r);
    let full = TOP_MARGIN_MM + FLOW_MIN_PAGE_FILL * TYPE_AREA_HEIGHT_MM;
    // 1. Every page before the 署名 page is at least two-thirds full.
    for p in 0..sig {
        let bottom = body_lines(r, p)
            .iter()
            .map(|l| l.bottom)
            .fold(0.0, f64::max);
        assert!(
            bottom >= full - 0.01,
            "{what}: page {} of {} ends at {bottom:.1} mm, less than two-thirds full",
            p + 1,
            sig + 1
        );
    }
    // The 署名 page carries 正文 (not only the 附件说明).
    let body = squash(&doc.body.concat());
    let sig_lines = body_lines(r, sig);
    assert!(
        sig_lines
            .iter()
            .any(|l| squash(&l.text).chars().count() > 1 && body.contains(&squash(&l.text))),
        "{what}: the 署名 page {} shows no 正文",
        sig + 1
    );
    // 2. The seals cover only the 署名 and the date; the first row's top is within one line
    // below the text above it, never above it.
    let page = &r.layout.pages[sig];
    for im in &page.images {
        for t in page.texts.iter().filter(|t| overlaps(t, im)) {
            assert!(
                is_signature(t, &names, date),
                "{what}: a seal covers “{}”",
                t.text
            );
        }
    }
    let first_row = page.images.iter().map(|im| im.y).fold(f64::MAX, f64::min);
    let above = sig_lines
        .iter()
        .filter(|l| {
            l.bottom <= first_row + 0.05 && !l.runs.iter().all(|t| is_signature(t, &names, date))
        })
        .map(|l| l.bottom)
        .fold(0.0, f64::max);
    assert!(
        first_row >= above - 0.05 && first_row - above <= pitch() + 0.05,
        "{what}: seal top {first_row:.2} mm, text above ends at {above:.2} mm"
    );
    // Line spacing never tighter than the stated limit.
    let min_pitch =
        pt_to_mm(SIZE_NO3_PT + FLOW_TIGHT_LEADINGS[FLOW_TIGHT_LEADINGS.len() - 1] * LEADING_PT);
    for p in 0..=sig {
        let ls = body_lines(r, p);
        for w in ls.windows(2) {
            assert!(
                w[1].top - w[0].top >= min_pitch - 0.02,
                "{what}: page {} lines {:.2} mm apart (limit {min_pitch:.2})",
                p + 1,
                w[1].top - w[0].top
            );
        }
    }
    check_justified(r, &what);
    check_text_layer(r, &what);
    sig
}

/// Every line of 正文 that wraps (the next line starts at the left edge, on this page or the
/// next) reaches the right edge of the 版心.
pub fn check_justified(r: &Rendered, what: &str) {
    let mut all: Vec<(usize, Line)> = Vec::new();
    for p in 0..r.layout.pages.len() {
        all.extend(body_lines(r, p).into_iter().map(|l| (p, l)));
    }
    // Page 1's 版头 lines (above the title) are placed, not wrapped.
    let title_bottom = lines(&r.layout.pages[0])
        .iter()
        .filter(|l| l.size_pt > SIZE_NO3_PT + 1.0)
        .map(|l| l.bottom)
        .fold(0.0, f64::max);
    all.retain(|(p, l)| *p > 0 || l.top > title_bottom);
    for w in all.windows(2) {
        let ((p, l), (q, next)) = (&w[0], &w[1]);
        // A line at the left edge in the body's font continues the paragraph (not “附件N”).
        let continues =
            (next.x0 - left_edge(*q)).abs() < 0.3 && !next.runs[0].family.contains("Hei");
        let body_line = l.x0 <= left_edge(*p) + 2.0 * CHAR_PITCH_MM + 0.3;
        if continues && body_line && l.runs.iter().all(|t| !t.red) {
            let right = left_edge(*p) + TYPE_AREA_WIDTH_MM;
            assert!(
                (l.x1 - right).abs() <= 0.3,
                "{what}: page {} line “{}” ends at {:.2} mm, the 版心 at {right:.2}",
                p + 1,
                l.text,
                l.x1
            );
        }
    }
}

/// No invisible characters anywhere in the text the PDF carries.
pub fn check_text_layer(r: &Rendered, what: &str) {
    for (i, page) in r.layout.pages.iter().enumerate() {
        for t in &page.texts {
            assert!(
                !t.text.contains(INVISIBLE),
                "{what}: page {} text “{}” carries invisible characters",
                i + 1,
                t.text.escape_unicode()
            );
        }
    }
}

/// Renders the last paragraph at every length in `lasts`: each keeps the rules, and one more
/// line never adds more than one page.
pub fn sweep(notes: usize, issuers: &[(&str, &str)], lasts: impl Iterator<Item = usize>) {
    let mut prev: Option<(usize, usize)> = None;
    let mut pages_seen = BTreeSet::new();
    for last in lasts {
        let doc = flow_doc(last, notes, issuers);
        let r = doc.render();
        let sig = check_flow(&doc, &r);
        pages_seen.insert(sig);
        if let Some((n, s)) = prev {
            assert!(
                sig <= s + 1,
                "{}: {} more lines moved the 署名 from page {} to page {}",
                doc.describe(),
                last - n,
                s + 1,
                sig + 1
            );
        }
        prev = Some((last, sig));
    }
    assert!(
        pages_seen.len() >= 2,
        "the sweep crosses a page: {pages_seen:?}"
    );
}
