//! Page flow before the 署名 (GB/T 9704 §7.3.5.5), seals, title and 署名 breaks, 附件 pages, the
//! 标志 and the text layer (issue 12), measured on the laid-out pages and in the PDF over sweeps
//! of generated documents: the last paragraph lengthened line by line, 1–5 lines of 附件说明,
//! joint 署名, 3–4-line titles.

mod common;

use std::collections::BTreeSet;

use common::*;
use wenshu::gbt9704::*;
use wenshu::pipeline::Rendered;
use wenshu::render::inspect::{ImageBox, TextRun};

// ---- documents --------------------------------------------------------------------------------

/// Sentences of a realistic 通知 (no Latin digits: a paragraph of n lines is 28n − 2 characters).
const SENTENCES: [&str; 4] = [
    "各单位要高度重视冬季安全生产工作，切实落实属地管理责任和部门监管责任，",
    "对检查中发现的问题要建立台账，明确整改时限和责任人，确保整改到位；",
    "各乡（镇）人民政府要加强对辖区内重点企业的巡查，督促企业落实主体责任，",
    "要严格执行领导带班和值班制度，遇有重大情况及时报告，不得迟报漏报。",
];

/// A paragraph that fills `lines` lines (the first indented two characters), ending with 。.
fn paragraph(lines: usize, seed: usize) -> String {
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

const NOTES: [&str; 5] = [
    "兴仁市2026年度冬季安全生产大检查工作方案",
    "重点行业领域检查内容及责任分工表",
    "安全隐患排查整治台账（样表）",
    "冬季安全生产值班安排表",
    "各乡（镇）安全生产工作联系人名单",
];

const GOV_OFFICE: (&str, &str) = ("兴仁市人民政府办公室", "xingren-gov-office.png");
const JOINT: [(&str, &str); 3] = [
    ("兴仁市医疗保障局", "medical-insurance.png"),
    ("兴仁市卫生健康局", "health-commission.png"),
    ("兴仁市市场监督管理局", "market-regulation.png"),
];

struct Doc<'a> {
    title: &'a str,
    body: Vec<String>,
    notes: usize,
    issuers: &'a [(&'a str, &'a str)],
}

impl Doc<'_> {
    fn toml(&self) -> String {
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

    fn render(&self) -> Rendered {
        match render_toml(&self.toml()) {
            Ok(r) => r,
            Err(wenshu::Error::Invalid { diagnostics, .. }) => {
                panic!("{} refused: {diagnostics:#?}", self.describe())
            }
            Err(e) => panic!("{}: {e}", self.describe()),
        }
    }

    fn describe(&self) -> String {
        let lines: Vec<usize> = self
            .body
            .iter()
            .map(|p| p.chars().count().div_ceil(28))
            .collect();
        format!("body {lines:?} lines, {} 附件说明 lines", self.notes)
    }
}

const TITLE: &str = "兴仁市人民政府办公室关于做好冬季安全生产工作的通知";

/// Paragraphs before the last one: the text reaches page 2, so the last paragraph, lengthened
/// line by line, ends at every height of pages 2 and 3.
fn flow_doc<'a>(last: usize, notes: usize, issuers: &'a [(&'a str, &'a str)]) -> Doc<'a> {
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

// ---- measures ---------------------------------------------------------------------------------

fn pitch() -> f64 {
    pt_to_mm(LINE_PITCH_PT)
}

fn left_edge(page: usize) -> f64 {
    if page % 2 == 0 {
        BINDING_MARGIN_MM
    } else {
        OUTER_MARGIN_MM
    }
}

/// 3号 lines of a page inside the 版心 (no page number, no 标志, no title).
fn body_lines(r: &Rendered, page: usize) -> Vec<Line> {
    lines(&r.layout.pages[page])
        .into_iter()
        .filter(|l| (l.size_pt - SIZE_NO3_PT).abs() < 0.01 && l.bottom <= TYPE_AREA_BOTTOM_MM + 0.5)
        .collect()
}

/// The page (0-based) of the 署名: the one with the last seal.
fn signature_page(r: &Rendered) -> usize {
    r.layout
        .pages
        .iter()
        .rposition(|p| !p.images.is_empty())
        .expect("a sealed document")
}

/// A run of the 署名 block: part of an issuer's name, or the date.
fn is_signature(t: &TextRun, issuers: &[&str], date: &str) -> bool {
    let s = t.text.trim();
    !s.is_empty() && (s == date || issuers.iter().any(|n| n.contains(s)))
}

fn overlaps(t: &TextRun, im: &ImageBox) -> bool {
    let (x0, x1, y0, y1) = (t.x, t.right(), t.em_top(), t.em_bottom());
    x0 < im.x + im.width - 0.05
        && x1 > im.x + 0.05
        && y0 < im.y + im.height - 0.05
        && y1 > im.y + 0.05
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Characters that would make the PDF's text differ from the document's.
const INVISIBLE: [char; 6] = [
    '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}', '\u{00AD}',
];

/// Every rule of issue 12 that a flow document must keep; returns the 署名 page (0-based).
fn check_flow(doc: &Doc, r: &Rendered) -> usize {
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
fn check_justified(r: &Rendered, what: &str) {
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
fn check_text_layer(r: &Rendered, what: &str) {
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
fn sweep(notes: usize, issuers: &[(&str, &str)], lasts: impl Iterator<Item = usize>) {
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

// ---- §7.3.5.5 flow ----------------------------------------------------------------------------

#[test]
fn flow_one_line_of_attachment_note() {
    sweep(1, &[GOV_OFFICE], 1..=24);
}

#[test]
fn flow_two_lines_of_attachment_note() {
    sweep(2, &[GOV_OFFICE], (1..=24).step_by(2));
}

#[test]
fn flow_three_lines_of_attachment_note() {
    sweep(3, &[GOV_OFFICE], 1..=24);
}

#[test]
fn flow_four_lines_of_attachment_note() {
    sweep(4, &[GOV_OFFICE], (2..=24).step_by(2));
}

#[test]
fn flow_five_lines_of_attachment_note() {
    sweep(5, &[GOV_OFFICE], 1..=24);
}

#[test]
fn flow_joint_signature_of_three_sealed_issuers() {
    sweep(2, &JOINT, (1..=24).step_by(3));
}

// ---- samples ----------------------------------------------------------------------------------

const SAMPLES: [&str; 10] = [
    "01-tongzhi-xiaxing.toml",
    "02-qingshi-shangxing.toml",
    "03-han.toml",
    "04-lianhe-xingwen.toml",
    "05-baogao-miji.toml",
    "06-jiyao.toml",
    "07-han-xinhan.toml",
    "08-ling.toml",
    "09-lianhe-wujia.toml",
    "10-hengpai-fujian.toml",
];

fn load(name: &str) -> wenshu::model::gongwen::Gongwen {
    wenshu::ingest::data::load(&sample(name)).expect("sample loads")
}

/// The text the document prints, piece by piece: what the engine hands the template, each
/// piece checked against the data file where the file spells it (whitespace aside).
fn printed_pieces(name: &str) -> Vec<String> {
    use wenshu::model::gongwen::Block;
    let doc = load(name);
    let data = wenshu::prepare::gongwen::prepare(&doc, &sample(""))
        .expect("prepares")
        .data;
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    // The body as the data file has it: the engine adds heading numbers, never characters.
    let source: Vec<String> = doc
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(t) => Some(squash(t)),
            Block::Rich(_) => None,
        })
        .collect();
    let mut pieces = Vec::new();
    let mut blocks: Vec<&serde_json::Value> =
        data["body"].as_array().into_iter().flatten().collect();
    for a in data["attachments"].as_array().into_iter().flatten() {
        pieces.push(s(&a["label"]));
        pieces.extend(a["title_lines"].as_array().into_iter().flatten().map(s));
        blocks.extend(a["body"].as_array().into_iter().flatten());
    }
    for b in blocks {
        match b["kind"].as_str() {
            Some("par") => pieces.push(s(&b["text"])),
            Some("heading") => pieces.push(format!(
                "{}{}{}",
                s(&b["number"]),
                s(&b["text"]),
                s(&b["run_in"])
            )),
            _ => {}
        }
    }
    for p in data["body"].as_array().into_iter().flatten() {
        if p["kind"] == "par" {
            assert!(
                source.contains(&squash(&s(&p["text"]))),
                "{name}: the engine changed a paragraph: {}",
                s(&p["text"])
            );
        }
    }
    pieces.push(
        data["title_lines"]
            .as_array()
            .into_iter()
            .flatten()
            .map(s)
            .collect(),
    );
    if data["recipients"].is_string() {
        pieces.push(s(&data["recipients"]));
    }
    for n in data["attachment_note"].as_array().into_iter().flatten() {
        pieces.push(format!("{}{}", s(&n["number"]), s(&n["name"])));
    }
    if data["note"].is_string() {
        pieces.push(s(&data["note"]));
    }
    if data["colophon"]["cc"].is_string() {
        pieces.push(format!("抄送：{}", s(&data["colophon"]["cc"])));
    }
    if data["colophon"]["print_office"].is_string() {
        pieces.push(format!(
            "{}{}",
            s(&data["colophon"]["print_office"]),
            s(&data["colophon"]["print_date"])
        ));
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// The page texts with the page numbers taken out (a paragraph runs on across a page break),
/// and the page numbers found.
fn reading_text(pages: &[String]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut numbers = Vec::new();
    for p in pages {
        for line in p.lines() {
            let l = line.trim();
            if l.starts_with('—')
                && l.ends_with('—')
                && l.chars().filter(|c| c.is_ascii_digit()).count() > 0
            {
                numbers.push(squash(l));
            } else {
                text.push_str(&squash(l));
            }
        }
    }
    (text, numbers)
}

fn frame_pages(r: &Rendered) -> Vec<String> {
    r.layout
        .pages
        .iter()
        .map(|p| {
            lines(p)
                .iter()
                .map(|l| l.text.clone())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// The PDF's text layer as a reader copies it (poppler's pdftotext); `None`, saying so, where it
/// is not installed (`.ci/run` installs it).
fn pdftotext(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => Some(
            String::from_utf8_lossy(&o.stdout)
                .split('\u{c}')
                .map(str::to_owned)
                .collect(),
        ),
        _ => {
            eprintln!("SKIPPED: the pdftotext half needs poppler-utils (.ci/run installs it)");
            None
        }
    }
}

/// §7 item 7 of issue 12: the text a reader copies out of every sample is its text — no
/// invisible characters, every paragraph, heading, 附件说明 line, 附注 and 版记 line found whole
/// (whitespace and line breaks aside), and every numbered page's number.
#[test]
fn every_samples_text_layer_is_its_text() {
    for name in SAMPLES {
        let r = render_sample(name);
        check_text_layer(&r, name);
        let pieces = printed_pieces(name);
        let numbered: Vec<String> = (1..=r.layout.pages.len())
            .filter(|&n| {
                r.layout.pages[n - 1]
                    .texts
                    .iter()
                    .any(|t| t.text == format!("— {n} —"))
            })
            .map(|n| format!("—{n}—"))
            .collect();
        let mut layers = vec![("frames", frame_pages(&r))];
        if let Some(p) = pdftotext(&r.pdf) {
            layers.push(("pdftotext", p));
        }
        for (how, pages) in layers {
            let all: String = pages.concat();
            assert!(
                !all.contains(INVISIBLE),
                "{name} ({how}): invisible characters in the text layer"
            );
            let (text, numbers) = reading_text(&pages);
            for piece in &pieces {
                assert!(
                    text.contains(&squash(piece)),
                    "{name} ({how}): “{piece}” not found in the text layer"
                );
            }
            assert_eq!(numbers, numbered, "{name} ({how}): page numbers");
        }
    }
    // What the issue searched for: a term with an opening bracket.
    let r = render_sample("01-tongzhi-xiaxing.toml");
    let (text, _) = reading_text(&frame_pages(&r));
    assert!(text.contains("各乡（镇）人民政府"));
}

/// Item 1 on the bundled samples: no page before the 署名 page is less than two-thirds full, the
/// 署名 page carries 正文, and a seal covers only the 署名 and the date.
#[test]
fn every_sample_keeps_the_flow_rules() {
    let full = TOP_MARGIN_MM + FLOW_MIN_PAGE_FILL * TYPE_AREA_HEIGHT_MM;
    for name in SAMPLES {
        let doc = load(name);
        let r = render_sample(name);
        if doc.kind_name() == "纪要" {
            continue; // no 署名 (its date is in the 版头)
        }
        // The 署名 page: the last with the 成文日期 in 3号.
        let date_page = r
            .layout
            .pages
            .iter()
            .rposition(|p| {
                p.texts.iter().any(|t| {
                    squash(&t.text) == squash(&doc.date) && (t.size_pt - SIZE_NO3_PT).abs() < 0.01
                })
            })
            .expect("成文日期");
        for p in 0..date_page {
            // A turned page is full by construction; 附件 pages come after the 署名.
            let bottom = body_lines(&r, p)
                .iter()
                .map(|l| l.bottom)
                .fold(0.0, f64::max);
            assert!(
                bottom >= full - 0.01,
                "{name}: page {} ends at {bottom:.1} mm",
                p + 1
            );
        }
        let names: Vec<&str> = doc.issuers.iter().map(|i| i.name()).collect();
        let page = &r.layout.pages[date_page];
        for im in &page.images {
            for t in page.texts.iter().filter(|t| overlaps(t, im)) {
                assert!(
                    is_signature(t, &names, &doc.date)
                        || doc.signature_stamps.iter().any(|s| s.title == t.text),
                    "{name}: a seal covers “{}”",
                    t.text
                );
            }
        }
        check_justified(&r, name);
    }
}

// ---- §7.3.1 titles, 署名 and the 标志 broken between words ------------------------------------

/// Breaks that fall inside a word (the segmenter's verdict) or inside one of `keep`.
fn bad_breaks(lines: &[String], keep: &[&str], extra: &[&str]) -> Vec<String> {
    use wenshu::prepare::words::{Break, classify};
    let whole: String = lines.concat();
    let classes = classify(&whole, extra);
    let mut out = Vec::new();
    let mut at = 0;
    for l in &lines[..lines.len() - 1] {
        at += l.chars().count();
        if classes[at] == Break::Never {
            out.push(format!("{l}|"));
        }
    }
    for k in keep {
        if whole.contains(k) && !lines.iter().any(|l| l.contains(k)) {
            out.push(format!("“{k}” split"));
        }
    }
    out
}

/// 梯形 (no line longer than the one above) or 菱形 (lines grow, then shrink; the last never the
/// longest), measured in mm with half a character of slack.
fn well_shaped(widths: &[f64]) -> bool {
    let slack = pt_to_mm(SIZE_NO2_PT) / 2.0;
    let peak = widths
        .iter()
        .enumerate()
        .fold(0, |b, (i, w)| if *w > widths[b] + slack { i } else { b });
    widths[..=peak].windows(2).all(|w| w[1] >= w[0] - slack)
        && widths[peak..].windows(2).all(|w| w[1] <= w[0] + slack)
        && (widths.len() < 2 || widths[widths.len() - 1] <= widths[widths.len() - 2] + slack)
}

/// 3- and 4-line titles over a sweep of realistic wording: broken only between words (never in
/// a place or organ name, a 《》 title, a number with its unit), in 梯形 or 菱形 shape.
#[test]
fn long_titles_break_between_words_in_trapezoid_or_diamond_shape() {
    let titles: [(&str, &[&str]); 6] = [
        (
            "兴仁市人民政府办公室关于印发《兴仁市人民政府工作规则》和《兴仁市人民政府重大行政决策程序规定》的通知",
            &["兴仁市人民政府办公室", "《兴仁市人民政府工作规则》"],
        ),
        (
            "兴仁市人民政府办公室关于2021年全县医疗保障工作情况和2022年全县医疗保障工作安排的通知",
            &["全县", "2021年", "2022年", "医疗保障"],
        ),
        (
            "兴仁市医疗保障局兴仁市卫生健康局兴仁市市场监督管理局关于开展2026年度定点医药机构医疗保障基金使用专项整治工作的通知",
            &[
                "兴仁市医疗保障局",
                "兴仁市卫生健康局",
                "兴仁市市场监督管理局",
                "2026年度",
                "定点医药机构",
            ],
        ),
        (
            "兴仁市人民政府办公室关于印发兴仁市深化医疗保障制度改革推进医疗保障基金监督管理和城乡居民基本医疗保险财政补助资金管理实施方案的通知",
            &["兴仁市人民政府办公室", "城乡居民", "财政补助", "实施方案"],
        ),
        (
            "中共兴仁市委办公室兴仁市人民政府办公室关于进一步加强和改进新时代城乡社区治理推进基层治理体系和治理能力现代化的通知",
            &[
                "中共兴仁市委办公室",
                "兴仁市人民政府办公室",
                "新时代",
                "现代化",
            ],
        ),
        (
            "黔西南州医疗保障局关于转发《贵州省医疗保障局关于做好2026年城乡居民基本医疗保险参保缴费工作的通知》的通知",
            &["黔西南州医疗保障局", "2026年", "城乡居民"],
        ),
    ];
    let mut four = false;
    for (title, keep) in titles {
        // A joint title comes from its joint issuers (their names are words).
        let issuers: &[(&str, &str)] = if title.starts_with("兴仁市医疗保障局") {
            &JOINT
        } else {
            &[GOV_OFFICE]
        };
        let doc = Doc {
            title,
            body: vec![paragraph(3, 0)],
            notes: 0,
            issuers,
        };
        let r = doc.render();
        let t: Vec<Line> = lines(&r.layout.pages[0])
            .into_iter()
            .filter(|l| (l.size_pt - SIZE_NO2_PT).abs() < 0.01)
            .collect();
        let texts: Vec<String> = t.iter().map(|l| l.text.clone()).collect();
        assert_eq!(texts.concat(), title, "the title prints whole");
        assert!((3..=4).contains(&t.len()), "{texts:?}: 3 or 4 lines");
        four |= t.len() == 4;
        let mut extra = vec!["兴仁市人民政府办公室", "黔西南州医疗保障局"];
        extra.extend(issuers.iter().map(|(n, _)| *n));
        let bad = bad_breaks(&texts, keep, &extra);
        assert!(bad.is_empty(), "{texts:?}: {bad:?}");
        let widths: Vec<f64> = t.iter().map(|l| l.x1 - l.x0).collect();
        assert!(well_shaped(&widths), "{texts:?}: widths {widths:?}");
        for l in &t {
            assert!(
                l.x0 >= BINDING_MARGIN_MM - 0.01
                    && l.x1 <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.01
            );
        }
    }
    assert!(four, "the sweep has a four-line title");
}

/// Issue 11 item 6: the longest title `check` accepts lays out (the line-breaking search is
/// polynomial), whole and broken between words; a megabyte title is refused before layout.
#[test]
fn the_longest_accepted_title_lays_out_and_a_huge_one_is_refused() {
    use wenshu::prepare::title::MAX_TITLE_CHARS;
    let unit = "兴仁市人民政府办公室关于进一步加强医疗保障基金监督管理和城乡居民基本医疗保险工作";
    let title: String = unit
        .chars()
        .cycle()
        .take(MAX_TITLE_CHARS - 2)
        .collect::<String>()
        + "通知";
    let doc = Doc {
        title: &title,
        body: vec![paragraph(2, 0)],
        notes: 0,
        issuers: &[GOV_OFFICE],
    };
    // The engine's title lines: whole, between words.
    let data = wenshu::prepare::gongwen::prepare(
        &wenshu::ingest::data::parse(&doc.toml(), wenshu::ingest::data::Format::Toml)
            .expect("parses"),
        &sample(""),
    )
    .expect("prepares")
    .data;
    let lines: Vec<String> = data["title_lines"]
        .as_array()
        .expect("title lines")
        .iter()
        .map(|l| l.as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(lines.concat(), title);
    assert!(lines.len() >= 8, "{lines:?}");
    let bad = bad_breaks(
        &lines,
        &["兴仁市人民政府办公室", "医疗保障", "城乡居民"],
        &["兴仁市人民政府办公室"],
    );
    assert!(bad.is_empty(), "{lines:?}: {bad:?}");
    // The whole pipeline returns: laid out, or (eight or nine lines of 2号 leave page 1 no room
    // for 正文 under the 版头) refused for that, naming §7.3.3.
    match render_toml(&doc.toml()) {
        Ok(r) => assert!(r.layout.pages.len() >= 1),
        Err(wenshu::Error::Invalid { diagnostics, .. }) => assert!(
            diagnostics
                .iter()
                .all(|d| d.code == "gongwen.layout.first_page_body"
                    || !matches!(d.severity, wenshu::error::Severity::Error)),
            "{diagnostics:#?}"
        ),
        Err(e) => panic!("{e}"),
    }
    let huge: String = unit.chars().cycle().take(1 << 20).collect();
    let doc = Doc {
        title: &huge,
        body: vec![paragraph(2, 0)],
        notes: 0,
        issuers: &[GOV_OFFICE],
    };
    match render_toml(&doc.toml()) {
        Err(wenshu::Error::Invalid { diagnostics, .. }) => assert!(
            diagnostics
                .iter()
                .any(|d| d.code == "gongwen.title.too_long"),
            "{diagnostics:#?}"
        ),
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a megabyte title was laid out"),
    }
}

/// A joint 署名 under seals breaks between words when its column is narrow (never
/// “兴仁市医/疗保障局”), each line centred under its seal.
#[test]
fn joint_signature_names_break_between_words() {
    let doc = flow_doc(3, 0, &JOINT);
    let r = doc.render();
    let sig = signature_page(&r);
    let page = &r.layout.pages[sig];
    let mut broken = false;
    for (name, _) in JOINT {
        let mut parts: Vec<&TextRun> = page
            .texts
            .iter()
            .filter(|t| {
                (t.size_pt - SIZE_NO3_PT).abs() < 0.01
                    && !t.text.is_empty()
                    && name.contains(t.text.as_str())
            })
            .collect();
        parts.sort_by(|a, b| a.baseline.total_cmp(&b.baseline));
        // Other names' pieces can be substrings too (兴仁市): keep the pieces under this name's
        // seal column (they share a centre).
        let centre = |t: &TextRun| (t.x + t.right()) / 2.0;
        let column = parts
            .iter()
            .find(|t| t.text.chars().count() > 3)
            .map(|t| centre(t))
            .expect("name on the page");
        let lines: Vec<String> = parts
            .iter()
            .filter(|t| (centre(t) - column).abs() < 1.0)
            .map(|t| t.text.clone())
            .collect();
        assert_eq!(lines.concat(), name, "{lines:?}");
        broken |= lines.len() > 1;
        let bad = bad_breaks(&lines, &["医疗保障局", "卫生健康局", "市场监督管理局"], &[]);
        assert!(bad.is_empty(), "{lines:?}: {bad:?}");
    }
    assert!(broken, "some name is wider than its column");
}

/// The 标志 of joint issuers whose names are too wide even at the smallest size breaks the long
/// name between words into two lines, inside the 版心, top still 35 mm below the 版心 top.
#[test]
fn a_joint_mark_too_wide_for_the_type_area_breaks_between_words() {
    let long = "中共兴仁市委全面深化改革委员会城乡居民基本医疗保险制度改革专项小组办公室";
    let text = flow_doc(3, 0, &[GOV_OFFICE]).toml().replace(
        "[[issuers]]",
        &format!("[issuer_mark]\nnames = [\"{long}\", \"兴仁市人民政府办公室\"]\n[[issuers]]"),
    );
    let r = render_toml(&text).expect("renders");
    let marks: Vec<Line> = lines(&r.layout.pages[0])
        .into_iter()
        .filter(|l| l.runs.iter().all(|t| t.red) && l.text != "文件")
        .map(|mut l| {
            l.text = l.text.replace("文件", "");
            l
        })
        .collect();
    let texts: Vec<String> = marks.iter().map(|l| l.text.clone()).collect();
    assert_eq!(
        texts.concat(),
        format!("{long}兴仁市人民政府办公室"),
        "{texts:?}"
    );
    assert_eq!(marks.len(), 3, "{texts:?}");
    let bad = bad_breaks(
        &texts[..2],
        &["全面深化改革", "城乡居民", "基本医疗保险"],
        &[],
    );
    assert!(bad.is_empty(), "{texts:?}: {bad:?}");
    assert_eq!(
        texts[2], "兴仁市人民政府办公室",
        "a name that fits stays whole"
    );
    close(
        marks[0].top,
        TOP_MARGIN_MM + ISSUER_MARK_TOP_MM,
        0.3,
        "标志 top",
    );
    for l in &marks {
        assert!(
            l.x0 >= BINDING_MARGIN_MM - 0.01
                && l.x1 <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.01
        );
    }
}

// ---- 附件, 标志, 信函, 附注, 条 ---------------------------------------------------------------

/// §7.3.7: a long 附件's first page sits on the line grid: after “附件N” and a one- or two-line
/// title the body begins on a grid line, and the page holds the 20 lines the grid allows.
#[test]
fn attachment_first_pages_sit_on_the_grid() {
    for title in [
        "冬季安全生产检查工作方案",
        "兴仁市2026年度冬季安全生产大检查重点行业领域检查内容及责任分工方案",
    ] {
        let body: Vec<String> = (0..12)
            .map(|i| format!("\"{}\"", paragraph(5, i)))
            .collect();
        let text = flow_doc(3, 0, &[GOV_OFFICE]).toml().replace(
            "[[issuers]]",
            &format!(
                "[[attachments]]\ntitle = \"{title}\"\nbody = [{}]\n[[issuers]]",
                body.join(", ")
            ),
        );
        let r = render_toml(&text).expect("renders");
        let first = r
            .layout
            .pages
            .iter()
            .position(|p| p.texts.iter().any(|t| t.text == "附件"))
            .expect("附件 page");
        let all = lines(&r.layout.pages[first]);
        let titles = all
            .iter()
            .filter(|l| (l.size_pt - SIZE_NO2_PT).abs() < 0.01)
            .count();
        let body = body_lines(&r, first);
        for l in &body {
            let n = (l.top - TOP_MARGIN_MM) / pitch();
            assert!(
                (n - n.round()).abs() < 0.01,
                "{title}: line “{}” at {:.2} mm is off the grid",
                l.text,
                l.top
            );
        }
        // 附件N + title + body: 20 lines whether the title takes one line or two.
        assert_eq!(
            body.len() + titles,
            20,
            "{title}: {} title lines, {} body lines",
            titles,
            body.len() - 1
        );
        assert!(
            body.last().expect("body").bottom > TYPE_AREA_BOTTOM_MM - 0.5,
            "the page is full"
        );
    }
}

/// §7.2.4: a 纪要 标志 too long for the 版心 is set smaller; its top stays 35 mm below the 版心
/// top (frames and, where installed, the PDF's own text boxes).
#[test]
fn a_shrunk_mark_keeps_its_top_35mm_below_the_type_area() {
    let src = std::fs::read_to_string(sample("06-jiyao.toml")).expect("sample");
    for name in [
        "中共兴仁市委全面深化改革委员会第十二次全体会议暨专题学习会",
        "兴仁市卫生健康局党组会议",
    ] {
        let text = src.replace(
            "names = [\"兴仁市卫生健康局党组会议\"]",
            &format!("names = [\"{name}\"]"),
        );
        let r = render_toml(&text).expect("renders");
        let l = lines(&r.layout.pages[0]);
        let mark = find_line(&l, name);
        close(
            mark.top,
            TOP_MARGIN_MM + ISSUER_MARK_TOP_MM,
            0.05,
            "标志 top (frames)",
        );
        if name.chars().count() > 20 {
            assert!(
                mark.size_pt < ISSUER_MARK_SIZE_PT,
                "the long 标志 is set smaller"
            );
        }
        if let Some(bbox) = pdftotext_bbox_top(&r.pdf, name) {
            close(
                bbox,
                TOP_MARGIN_MM + ISSUER_MARK_TOP_MM,
                0.05,
                "标志 top (PDF)",
            );
        }
    }
}

/// The top (mm) of the first PDF word containing `needle` on page 1, as pdftotext measures it.
fn pdftotext_bbox_top(pdf: &[u8], needle: &str) -> Option<f64> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg("-")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let html = String::from_utf8_lossy(&out.stdout);
    let line = html
        .lines()
        .find(|l| l.contains("<word") && l.contains(needle))?;
    let y = line
        .split("yMin=\"")
        .nth(1)?
        .split('"')
        .next()?
        .parse::<f64>()
        .ok()?;
    Some(y * 25.4 / 72.0)
}

/// §10.1: the 信函 版记 (no rules) ends on the 版心's bottom edge of the last page.
#[test]
fn letter_colophon_sits_at_the_foot_of_the_type_area() {
    let r = render_sample("07-han-xinhan.toml");
    let last = r.layout.pages.last().expect("pages");
    let l = lines(last);
    let cc = find_line(&l, "抄送：");
    close(
        cc.bottom,
        TYPE_AREA_BOTTOM_MM,
        0.05,
        "版记 last line bottom",
    );
}

/// Item 8: `第X条` is followed by one full-width space whatever the office typed, in the text
/// layer too; 政府令 sample.
#[test]
fn articles_take_a_full_width_space() {
    let r = render_sample("08-ling.toml");
    let (text, _) = reading_text(&frame_pages(&r));
    let all: String = r
        .layout
        .pages
        .iter()
        .flat_map(|p| lines(p))
        .map(|l| l.text)
        .collect();
    for n in ["第一条", "第二条", "第七条", "第八条"] {
        assert!(
            all.contains(&format!("{n}\u{3000}")),
            "{n} followed by a full-width space"
        );
        assert!(
            !all.contains(&format!("{n} ")),
            "{n} followed by a half-width space"
        );
        assert!(text.contains(n));
    }
}

/// Issue 11 item 16: the 附注 is put in parentheses once; a closing ） of the text stays.
#[test]
fn notes_keep_their_own_closing_parenthesis() {
    for (note, printed) in [
        ("联系人：张某某（办公室）", "（联系人：张某某（办公室））"),
        (
            "（联系人：张某某，联系电话：0859-6223456）",
            "（联系人：张某某，联系电话：0859-6223456）",
        ),
        ("（此件公开发布）", "（此件公开发布）"),
        ("此件主动公开", "（此件主动公开）"),
        ("（一）类事项（见附件）", "（（一）类事项（见附件））"),
    ] {
        let text = flow_doc(3, 0, &[GOV_OFFICE])
            .toml()
            .replace("[[issuers]]", &format!("note = \"{note}\"\n[[issuers]]"));
        let r = render_toml(&text).expect("renders");
        let (all, _) = reading_text(&frame_pages(&r));
        assert!(all.contains(printed), "{note}: expected {printed}");
        assert!(!all.contains(&format!("{printed}）")), "{note}: doubled");
    }
}
