//! Page flow before the 署名 (GB/T 9704 §7.3.5.5), seals, title and 署名 breaks, 附件 pages, the
//! 标志 and the text layer (issue 12), measured on the laid-out pages and in the PDF over sweeps
//! of generated documents: the last paragraph lengthened line by line, 1–5 lines of 附件说明,
//! joint 署名, 3–4-line titles.

mod common;
mod flow_support;

use common::*;
use flow_support::text::*;
use flow_support::*;
use wenshu::gbt9704::*;
use wenshu::render::inspect::TextRun;

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

/// Opening marks keep their full width, at the start of a line too (§5.2.3: 28 characters to a
/// line): measured on every 正文 run that begins with one.
#[test]
fn opening_marks_keep_their_full_width() {
    let mut at_line_start = 0;
    for name in [
        "01-tongzhi-xiaxing.toml",
        "05-baogao-miji.toml",
        "08-ling.toml",
    ] {
        let r = render_sample(name);
        for (p, page) in r.layout.pages.iter().enumerate() {
            for t in page
                .texts
                .iter()
                .filter(|t| (t.size_pt - SIZE_NO3_PT).abs() < 0.01)
            {
                let Some(first) = t.text.chars().next() else {
                    continue;
                };
                if !"（《“〔【".contains(first) {
                    continue;
                }
                // Full-width characters advance one character pitch each (the last without
                // its tracking); a compressed mark would take half an em less.
                let n = t.text.chars().count() as f64;
                let full = n * pt_to_mm(SIZE_NO3_PT) + (n - 1.0) * pt_to_mm(TRACKING_PT);
                if t.text.chars().all(|c| !c.is_ascii()) {
                    assert!(
                        t.width >= full - 0.3,
                        "{name} page {}: “{}” is {:.2} mm wide, {full:.2} mm at full width",
                        p + 1,
                        t.text,
                        t.width
                    );
                }
                at_line_start += usize::from((t.x - left_edge(p)).abs() < 0.1);
            }
        }
    }
    assert!(at_line_start > 0, "some line begins with an opening mark");
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
        Ok(r) => assert!(!r.layout.pages.is_empty()),
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
        .flat_map(lines)
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
