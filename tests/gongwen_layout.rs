//! GB/T 9704-2012 geometry, measured on the laid-out pages (mm from the paper's top-left).
//! Each test is named after its clause.

mod common;

use common::*;
use wenshu::gbt9704::*;

const BASE: &str = r#"
kind = "通知"
doc_number = "仁府办发〔2026〕80号"
title = "兴仁市人民政府办公室关于做好冬季安全生产工作的通知"
recipients = ["各乡（镇）人民政府", "市政府各部门"]
date = "2026年12月1日"
cc = ["市委办公室"]
print_office = "兴仁市人民政府办公室"
print_date = "2026年12月1日"
BODY
[[issuers]]
name = "兴仁市人民政府办公室"
seal = "seals/xingren-gov-office.png"
"#;

/// A paragraph of `n` CJK characters without punctuation, ending with 。.
fn para(n: usize) -> String {
    let unit: Vec<char> = "各单位要高度重视冬季安全生产工作切实落实属地管理责任和部门监管责任"
        .chars()
        .collect();
    let mut s: String = (0..n).map(|i| unit[i % unit.len()]).collect();
    s.push('。');
    s
}

fn doc_with_body(paras: usize, len: usize) -> String {
    let body: Vec<String> = (0..paras).map(|_| format!("\"{}\"", para(len))).collect();
    BASE.replace("BODY", &format!("body = [{}]", body.join(", ")))
}

fn long_doc() -> wenshu::pipeline::Rendered {
    render_toml(&doc_with_body(14, 80)).expect("long document renders")
}

fn centre_x(page: usize) -> f64 {
    let left = if page % 2 == 1 {
        BINDING_MARGIN_MM
    } else {
        OUTER_MARGIN_MM
    };
    left + TYPE_AREA_WIDTH_MM / 2.0
}

#[test]
fn gbt_7_2_4_issuer_mark_is_red_centred_72mm_from_the_top() {
    let r = render_sample("01-tongzhi-xiaxing.toml");
    let l = lines(&r.layout.pages[0]);
    let mark = find_line(&l, "兴仁市人民政府办公室文件");
    close(
        mark.top,
        TOP_MARGIN_MM + ISSUER_MARK_TOP_MM,
        0.5,
        "标志 top",
    );
    assert!(mark.runs.iter().all(|r| r.red), "标志 must be red");
    close((mark.x0 + mark.x1) / 2.0, centre_x(1), 0.5, "标志 centre");
    assert!(
        mark.x0 >= BINDING_MARGIN_MM - 0.01
            && mark.x1 <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.01
    );
}

#[test]
fn gbt_7_2_5_doc_number_two_lines_below_the_mark_and_7_2_7_red_rule() {
    let r = render_sample("01-tongzhi-xiaxing.toml");
    let page = &r.layout.pages[0];
    let l = lines(page);
    let mark = find_line(&l, "兴仁市人民政府办公室文件");
    let num = find_line(&l, "仁府办发〔2026〕79号");
    let pitch = pt_to_mm(LINE_PITCH_PT);
    close(
        num.top - mark.bottom,
        pt_to_mm(LEADING_PT) + 2.0 * pitch,
        0.1,
        "字号 空二行",
    );
    close((num.x0 + num.x1) / 2.0, centre_x(1), 0.3, "字号 centred");
    let red: Vec<_> = page.rules.iter().filter(|r| r.red).collect();
    assert_eq!(red.len(), 1, "one red 版头 rule");
    close(
        red[0].x1 - red[0].x0,
        TYPE_AREA_WIDTH_MM,
        0.1,
        "red rule length",
    );
    close(red[0].x0, BINDING_MARGIN_MM, 0.1, "red rule start");
    close(
        red[0].y - num.bottom,
        HEADER_RULE_GAP_MM,
        0.1,
        "red rule 4 mm under the 字号",
    );
}

#[test]
fn gbt_7_3_1_title_is_2hao_centred_two_lines_below_the_rule() {
    let r = render_sample("01-tongzhi-xiaxing.toml");
    let l = lines(&r.layout.pages[0]);
    let titles: Vec<&Line> = l
        .iter()
        .filter(|l| (l.size_pt - SIZE_NO2_PT).abs() < 0.01)
        .collect();
    assert_eq!(titles.len(), 2, "two balanced title lines");
    for t in &titles {
        close((t.x0 + t.x1) / 2.0, centre_x(1), 0.3, "title centred");
        assert!(t.x1 - t.x0 <= TYPE_AREA_WIDTH_MM);
    }
    let num = find_line(&l, "仁府办发");
    close(
        titles[0].top - num.top,
        3.0 * pt_to_mm(LINE_PITCH_PT),
        0.1,
        "title on the third line after the 字号",
    );
    // Balanced: no line less than half the other.
    let (a, b) = (titles[0].chars() as f64, titles[1].chars() as f64);
    assert!(a.min(b) / a.max(b) > 0.5, "balanced title lines {a} / {b}");
}

#[test]
fn gbt_5_2_3_full_page_has_22_lines_and_full_line_28_characters() {
    let r = long_doc();
    assert!(r.layout.pages.len() >= 3);
    let page2 = lines(&r.layout.pages[1]);
    let body: Vec<&Line> = page2
        .iter()
        .filter(|l| (l.size_pt - SIZE_NO3_PT).abs() < 0.01)
        .collect();
    assert_eq!(body.len(), 22, "lines on a full page");
    close(
        body[0].top,
        TOP_MARGIN_MM,
        0.05,
        "first line on the 版心 top",
    );
    close(
        body[21].bottom,
        TYPE_AREA_BOTTOM_MM,
        0.05,
        "22nd line on the 版心 bottom",
    );
    for w in body.windows(2) {
        close(
            w[1].top - w[0].top,
            pt_to_mm(LINE_PITCH_PT),
            0.01,
            "line pitch",
        );
    }
    let full: Vec<&&Line> = body.iter().filter(|l| l.chars() == 28).collect();
    assert!(full.len() >= 5, "some full lines");
    for l in &full {
        close(
            l.x0,
            OUTER_MARGIN_MM,
            0.05,
            "full line starts on the 版心 edge (even page)",
        );
        close(
            l.x1,
            OUTER_MARGIN_MM + TYPE_AREA_WIDTH_MM,
            0.1,
            "full line ends on the 版心 edge",
        );
    }
    assert!(
        body.iter().all(|l| l.chars() <= 28),
        "no line holds 29 characters"
    );
    assert!(
        body.iter()
            .all(|l| l.runs.iter().all(|r| (r.size_pt - 16.0).abs() < 0.01)),
        "body is 3号 (16 pt)"
    );
}

#[test]
fn gbt_7_3_3_paragraphs_indent_two_characters() {
    let r = long_doc();
    let page2 = lines(&r.layout.pages[1]);
    let first_lines: Vec<&Line> = page2.iter().filter(|l| l.chars() == 26).collect();
    assert!(!first_lines.is_empty());
    for l in first_lines {
        close(
            l.x0 - OUTER_MARGIN_MM,
            2.0 * CHAR_PITCH_MM,
            0.1,
            "two-character indent",
        );
    }
}

#[test]
fn gbt_7_5_page_numbers_odd_right_even_left_7mm_below() {
    let r = long_doc();
    let small = pt_to_mm(SIZE_NO4_PT);
    for (i, page) in r.layout.pages.iter().enumerate() {
        let n = i + 1;
        let label = format!("— {n} —");
        let Some(num) = page.texts.iter().find(|t| t.text == label) else {
            continue;
        };
        assert!((num.size_pt - SIZE_NO4_PT).abs() < 0.01, "4号");
        close(
            num.em_top(),
            TYPE_AREA_BOTTOM_MM + PAGE_NUMBER_GAP_MM,
            0.1,
            "7 mm below the 版心",
        );
        if n % 2 == 1 {
            close(
                num.right(),
                BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM - small,
                0.1,
                "odd: 右空一字",
            );
        } else {
            close(num.x, OUTER_MARGIN_MM + small, 0.1, "even: 左空一字");
        }
    }
    // Every page but the last (the 版记 page, numbered when no blank page precedes it) has one.
    let numbered = r
        .layout
        .pages
        .iter()
        .enumerate()
        .filter(|(i, p)| p.texts.iter().any(|t| t.text == format!("— {} —", i + 1)))
        .count();
    assert_eq!(numbered, r.layout.pages.len());
}

#[test]
fn gbt_7_4_colophon_rules_on_the_last_even_page() {
    for sample in [
        "01-tongzhi-xiaxing.toml",
        "02-qingshi-shangxing.toml",
        "03-han.toml",
        "04-lianhe-xingwen.toml",
        "05-baogao-miji.toml",
    ] {
        let r = render_sample(sample);
        let pages = r.layout.pages.len();
        assert_eq!(pages % 2, 0, "{sample}: the last face is an even page");
        let last = &r.layout.pages[pages - 1];
        let l = lines(last);
        let has_cc = l.iter().any(|x| x.text.starts_with("抄送："));
        // The 版记's rules: from the one above its first line down (an 附件 table may share
        // the page).
        let first = l
            .iter()
            .find(|x| x.text.starts_with("抄送：") || x.text.contains("印发"))
            .expect("版记 line");
        let mut rules: Vec<_> = last
            .rules
            .iter()
            .filter(|r| !r.red && r.y > first.top - pt_to_mm(LINE_PITCH_PT) / 2.0)
            .collect();
        rules.sort_by(|a, b| a.y.total_cmp(&b.y));
        let n = rules.len();
        assert_eq!(n, if has_cc { 3 } else { 2 }, "{sample}: 版记 rules");
        close(
            rules[0].thickness,
            COLOPHON_THICK_RULE_MM,
            0.01,
            "first rule",
        );
        if has_cc {
            close(
                rules[1].thickness,
                COLOPHON_THIN_RULE_MM,
                0.01,
                "middle rule",
            );
        }
        close(
            rules[n - 1].thickness,
            COLOPHON_THICK_RULE_MM,
            0.01,
            "last rule",
        );
        close(
            rules[n - 1].y,
            TYPE_AREA_BOTTOM_MM,
            0.2,
            "last rule on the 版心 bottom",
        );
        for rule in &rules {
            close(
                rule.x1 - rule.x0,
                TYPE_AREA_WIDTH_MM,
                0.1,
                "rule as wide as the 版心",
            );
        }
        let printed = find_line(&l, "印发");
        close(
            printed.x1,
            OUTER_MARGIN_MM + TYPE_AREA_WIDTH_MM - pt_to_mm(SIZE_NO4_PT),
            0.1,
            "印发日期 右空一字",
        );
        assert!(printed.top > rules[n - 2].y && printed.bottom < rules[n - 1].y);
        if !has_cc {
            continue;
        }
        let cc = find_line(&l, "抄送：");
        assert!((cc.size_pt - SIZE_NO4_PT).abs() < 0.01, "版记 4号");
        assert!(cc.text.trim_end().ends_with('。'), "抄送 ends with 。");
        close(
            cc.x0,
            OUTER_MARGIN_MM + pt_to_mm(SIZE_NO4_PT),
            0.1,
            "抄送 左空一字",
        );
    }
}

#[test]
fn gbt_7_3_5_1_seal_presses_signature_and_date() {
    let r = render_sample("01-tongzhi-xiaxing.toml");
    let (pi, page) = r
        .layout
        .pages
        .iter()
        .enumerate()
        .find(|(_, p)| !p.images.is_empty())
        .expect("a page with the seal");
    let seal = &page.images[0];
    close(seal.width, SEAL_DIAMETER_MM, 0.01, "seal diameter");
    let l = lines(page);
    let date = find_line(&l, "2026年11月20日");
    let right_edge = if (pi + 1) % 2 == 1 {
        BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM
    } else {
        OUTER_MARGIN_MM + TYPE_AREA_WIDTH_MM
    };
    close(
        date.x1,
        right_edge - 4.0 * CHAR_PITCH_MM,
        0.2,
        "成文日期 右空四字",
    );
    let sig = l
        .iter()
        .rev()
        .find(|l| l.text == "兴仁市人民政府办公室" && l.top < date.top)
        .expect("署名");
    close(
        (sig.x0 + sig.x1) / 2.0,
        (date.x0 + date.x1) / 2.0,
        0.2,
        "署名 centred over the date",
    );
    close(
        seal.x + seal.width / 2.0,
        (sig.x0 + sig.x1) / 2.0,
        0.2,
        "seal centred on the 署名",
    );
    let centre_y = seal.y + seal.height / 2.0;
    assert!(
        sig.top >= centre_y - 0.01 && date.bottom <= seal.y + seal.height,
        "署名 and date in the seal's lower half"
    );
    // The text above: the seal's top is within one line of it, and does not touch it.
    let above = l
        .iter()
        .filter(|x| x.bottom <= seal.y + 0.01)
        .map(|x| x.bottom)
        .fold(f64::MIN, f64::max);
    let gap = seal.y - above;
    assert!(
        gap >= 0.0 && gap <= pt_to_mm(LINE_PITCH_PT),
        "seal top within one line of the text: {gap:.2}"
    );
}

#[test]
fn gbt_7_3_5_2_unsealed_signature() {
    let text = doc_with_body(2, 40)
        .replace("seal = \"seals/xingren-gov-office.png\"", "")
        .replace(
            "kind = \"通知\"",
            "kind = \"通知\"\ngeneral_distribution = true",
        );
    let r = render_toml(&text).expect("renders");
    let l = lines(&r.layout.pages[0]);
    let date = find_line(&l, "2026年12月1日");
    let sig = l
        .iter()
        .find(|x| x.text == "兴仁市人民政府办公室" && x.top < date.top)
        .expect("署名");
    let right = BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM;
    close(sig.x1, right - 2.0 * CHAR_PITCH_MM, 0.2, "署名 右空二字");
    close(date.x0 - sig.x0, 2.0 * CHAR_PITCH_MM, 0.2, "date 右移二字");
    close(
        date.top - sig.top,
        pt_to_mm(LINE_PITCH_PT),
        0.05,
        "date on the next line",
    );
}

#[test]
fn data_prints_literally_never_as_typst_markup() {
    let text = doc_with_body(1, 20).replace(
        "title = \"兴仁市人民政府办公室关于做好冬季安全生产工作的通知\"",
        r##"title = "关于#set text(red) ]$x$\"引号\"的通知""##,
    );
    let r = render_toml(&text).expect("renders");
    let all: String = r.layout.pages[0]
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert!(
        all.contains("#set text(red) ]$x$\"引号\"的通知") || all.contains("#set"),
        "{all}"
    );
    let l = lines(&r.layout.pages[0]);
    let joined: String = l
        .iter()
        .filter(|x| (x.size_pt - 22.0).abs() < 0.1)
        .map(|x| x.text.clone())
        .collect();
    assert_eq!(joined, "关于#set text(red) ]$x$\"引号\"的通知");
}

#[test]
fn rendering_is_reproducible() {
    let a = render_sample("01-tongzhi-xiaxing.toml");
    let b = render_sample("01-tongzhi-xiaxing.toml");
    assert_eq!(a.pdf, b.pdf);
    assert!(a.pdf.starts_with(b"%PDF-"));
}

#[test]
fn gbt_7_3_7_attachments_start_new_pages_with_label_and_title_on_line_3() {
    let r = render_sample("01-tongzhi-xiaxing.toml");
    let pitch = pt_to_mm(LINE_PITCH_PT);
    let mut found = 0;
    for (i, page) in r.layout.pages.iter().enumerate() {
        let l = lines(page);
        if let Some(label) = l.iter().find(|x| {
            x.text.starts_with("附件")
                && x.text.len() <= "附件10".len()
                && (x.top - TOP_MARGIN_MM).abs() < 0.05
        }) {
            found += 1;
            let left = if (i + 1) % 2 == 1 {
                BINDING_MARGIN_MM
            } else {
                OUTER_MARGIN_MM
            };
            close(label.x0, left, 0.05, "附件N 顶格");
            assert!(
                label.runs[0].family.contains("Hei"),
                "附件N in 黑体: {}",
                label.runs[0].family
            );
            let title = l
                .iter()
                .find(|x| (x.size_pt - SIZE_NO2_PT).abs() < 0.01)
                .expect("attachment title");
            close(
                title.top,
                TOP_MARGIN_MM + 2.0 * pitch,
                0.05,
                "title on line 3",
            );
            close(
                (title.x0 + title.x1) / 2.0,
                left + TYPE_AREA_WIDTH_MM / 2.0,
                0.3,
                "title centred",
            );
        }
    }
    assert_eq!(found, 2, "two attachments");
}

#[test]
fn every_sample_renders_without_warnings_and_titles_stay_inside() {
    for entry in std::fs::read_dir(sample("")).expect("samples") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        let r = render_sample(&name);
        assert!(r.warnings.is_empty(), "{name}: {:#?}", r.warnings);
        let l = lines(&r.layout.pages[0]);
        let titles: Vec<&Line> = l
            .iter()
            .filter(|x| (x.size_pt - SIZE_NO2_PT).abs() < 0.01)
            .collect();
        // A 命令 in 命令格式 has no title (§10.2).
        let untitled = name.contains("-ling");
        assert!(
            titles.is_empty() == untitled && titles.len() <= 3,
            "{name}: {} title lines",
            titles.len()
        );
        for t in titles {
            assert!(
                t.x0 >= BINDING_MARGIN_MM && t.x1 <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM,
                "{name}: title line outside the 版心"
            );
            assert!(
                !t.text.starts_with(|c: char| c.is_ascii_digit())
                    || !t.text.ends_with(|c: char| c.is_ascii_digit()),
                "{name}"
            );
        }
        assert_eq!(r.layout.pages.len() % 2, 0, "{name}: even page count");
    }
}

#[test]
fn gbt_7_2_5_upward_doc_number_and_signers_share_a_line() {
    let r = render_sample("02-qingshi-shangxing.toml");
    let l = lines(&r.layout.pages[0]);
    let num = find_line(&l, "仁卫呈〔2026〕12号");
    assert!(
        num.text.contains("签发人："),
        "字号 and 签发人 on one line: {}",
        num.text
    );
    close(
        num.x0,
        BINDING_MARGIN_MM + CHAR_PITCH_MM,
        0.1,
        "字号 居左空一字",
    );
    close(
        num.x1,
        BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM - CHAR_PITCH_MM,
        0.3,
        "签发人 居右空一字",
    );
    let kai: Vec<_> = num
        .runs
        .iter()
        .filter(|r| r.family.contains("Kai"))
        .collect();
    assert_eq!(kai.len(), 2, "two 签发人 names in 楷体");
}

#[test]
fn gbt_7_2_1_security_lines_in_order() {
    let r = render_sample("05-baogao-miji.toml");
    let l = lines(&r.layout.pages[0]);
    let pitch = pt_to_mm(LINE_PITCH_PT);
    let copy = find_line(&l, "000015");
    let class = find_line(&l, "秘密★1年");
    let urgent = find_line(&l, "特急");
    close(copy.top, TOP_MARGIN_MM, 0.05, "份号 line 1");
    close(class.top, TOP_MARGIN_MM + pitch, 0.05, "密级 line 2");
    close(
        urgent.top,
        TOP_MARGIN_MM + 2.0 * pitch,
        0.05,
        "紧急程度 line 3",
    );
    for x in [copy, class, urgent] {
        close(x.x0, BINDING_MARGIN_MM, 0.05, "顶格");
    }
    assert!(
        class.runs[0].family.contains("Hei") && urgent.runs[0].family.contains("Hei"),
        "密级/紧急 in 黑体"
    );
}

#[test]
fn gbt_7_3_5_1_joint_seals_do_not_touch_and_stay_inside() {
    let r = render_sample("04-lianhe-xingwen.toml");
    let page = r
        .layout
        .pages
        .iter()
        .find(|p| p.images.len() == 2)
        .expect("a page with two seals");
    let (a, b) = (&page.images[0], &page.images[1]);
    let (left, right) = if a.x < b.x { (a, b) } else { (b, a) };
    assert!(
        right.x - (left.x + left.width) >= SEAL_GAP_MM - 0.01,
        "seals apart"
    );
    close(left.y, right.y, 0.01, "seals aligned");
    assert!(left.x >= OUTER_MARGIN_MM.min(BINDING_MARGIN_MM) - 0.01);
    assert!(right.x + right.width <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.01);
}

/// Documents whose text ends at every height of page 2: the 版记 and 署名 rules hold for each.
#[test]
fn gbt_7_4_and_7_5_blank_page_before_the_colophon_page_and_7_3_5_5_signature_never_alone() {
    let mut blank_case = false;
    for n in 1..=16 {
        let r =
            render_toml(&doc_with_body(n, 53)).unwrap_or_else(|e| panic!("{n} paragraphs: {e}"));
        let pages = r.layout.pages.len();
        assert_eq!(pages % 2, 0, "{n}: even page count");
        let numbered = |i: usize| {
            r.layout.pages[i]
                .texts
                .iter()
                .any(|t| t.text == format!("— {} —", i + 1))
        };
        let empty = |i: usize| {
            r.layout.pages[i]
                .texts
                .iter()
                .all(|t| t.text.starts_with('—'))
        };
        // The seal's page also carries body text (never a page of 署名 alone).
        let seal_page = r
            .layout
            .pages
            .iter()
            .position(|p| !p.images.is_empty())
            .expect("seal");
        let body_lines = lines(&r.layout.pages[seal_page])
            .iter()
            .filter(|l| (l.size_pt - 16.0).abs() < 0.01 && l.text.contains("各单位"))
            .count();
        assert!(body_lines > 0, "{n}: the seal page shows 正文");
        if pages >= 4 && empty(pages - 2) {
            blank_case = true;
            assert!(
                !numbered(pages - 2) && !numbered(pages - 1),
                "{n}: blank page and 版记 page carry no number (§7.5)"
            );
            assert!(
                (0..pages - 2).all(numbered),
                "{n}: the other pages are numbered"
            );
        } else {
            assert!((0..pages).all(numbered), "{n}: every page numbered");
        }
    }
    assert!(
        blank_case,
        "some length needs a blank page before the 版记 page"
    );
}

#[test]
fn gbt_7_3_2_recipients_that_push_the_body_off_page_one_move_to_the_colophon() {
    let many: Vec<String> = (1..=70).map(|i| format!("\"第{i}工作组\"")).collect();
    let text = doc_with_body(2, 40).replace(
        "recipients = [\"各乡（镇）人民政府\", \"市政府各部门\"]",
        &format!("recipients = [{}]", many.join(", ")),
    );
    let r = render_toml(&text).expect("renders with the 主送 moved");
    assert!(
        r.warnings
            .iter()
            .any(|d| d.code == "gongwen.recipients.moved"),
        "the office is told: {:#?}",
        r.warnings
    );
    // Page 1 shows the 正文 and no 主送.
    let first = lines(&r.layout.pages[0]);
    assert!(
        first.iter().any(|l| l.text.contains("各单位要高度重视")),
        "正文 on page 1"
    );
    assert!(!first.iter().any(|l| l.text.contains("第1工作组")));
    // The 版记 carries "主送：" directly above "抄送：", with no rule between them.
    let last = r.layout.pages.last().expect("page");
    let l = lines(last);
    let moved = find_line(&l, "主送：");
    let cc = find_line(&l, "抄送：");
    assert!(moved.top < cc.top);
    assert!(
        !last
            .rules
            .iter()
            .any(|rule| rule.y > moved.top && rule.y < cc.top),
        "no rule between 主送 and 抄送"
    );
    assert!(
        l.iter().any(|x| x.text.contains("第70工作组。")),
        "ends with 。"
    );
    assert!(r.layout.pages.len().is_multiple_of(2));
}

#[test]
fn gbt_7_2_4_long_issuer_names_are_fitted_inside_the_type_area() {
    let text = doc_with_body(1, 30).replace(
        "name = \"兴仁市人民政府办公室\"",
        "name = \"中共兴仁市委全面依法治市委员会办公室兴仁市司法局联合办公室\"",
    );
    let r = render_toml(&text).expect("renders");
    let mark: Vec<_> = r.layout.pages[0].texts.iter().filter(|t| t.red).collect();
    assert!(!mark.is_empty());
    let x0 = mark.iter().map(|t| t.x).fold(f64::MAX, f64::min);
    let x1 = mark.iter().map(|t| t.right()).fold(f64::MIN, f64::max);
    assert!(
        x0 >= BINDING_MARGIN_MM - 0.05 && x1 <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.05,
        "{x0:.2}–{x1:.2}"
    );
    close(
        mark[0].em_top(),
        TOP_MARGIN_MM + ISSUER_MARK_TOP_MM,
        0.5,
        "标志 top",
    );
}

#[test]
fn gbt_7_3_4_attachment_note_wraps_aligned_after_the_number() {
    let text = doc_with_body(1, 30).replace(
        "[[issuers]]",
        "attachment_note = [\"兴仁市2026年度冬季安全生产大检查重点行业领域检查内容及责任分工一览表\", \"检查情况汇总表\"]\n[[issuers]]",
    );
    let r = render_toml(&text).expect("renders");
    let page = r
        .layout
        .pages
        .iter()
        .find(|p| p.texts.iter().any(|t| t.text.contains("附件：")))
        .expect("附件说明");
    let l = lines(page);
    let first = find_line(&l, "附件：");
    let label_x = first.x0;
    let left = if r.layout.pages[0]
        .texts
        .iter()
        .any(|t| t.text.contains("附件："))
    {
        BINDING_MARGIN_MM
    } else {
        OUTER_MARGIN_MM
    };
    close(label_x, left + 2.0 * CHAR_PITCH_MM, 0.1, "附件 左空二字");
    let name_x = first
        .runs
        .iter()
        .find(|r| r.text.contains("兴仁市"))
        .expect("name")
        .x;
    let idx = l
        .iter()
        .position(|x| x.text.contains("附件："))
        .expect("line");
    let wrapped = &l[idx + 1];
    close(
        wrapped.x0,
        name_x,
        0.1,
        "wrapped name aligned with its first character",
    );
    let second = find_line(&l, "2.检查情况汇总表");
    let number_x = first
        .runs
        .iter()
        .find(|r| r.text.starts_with("1."))
        .map(|r| r.x)
        .expect("number");
    close(second.x0, number_x, 0.1, "numbers aligned");
}

#[test]
fn gbt_7_3_3_heading_fonts_by_level() {
    let r = render_sample("05-baogao-miji.toml");
    let mut seen = [false; 4];
    for page in &r.layout.pages {
        for line in lines(page) {
            // The line's first run carries the heading's font.
            let (s, t) = (line.text.as_str(), &line.runs[0]);
            let level = if s.starts_with("一、") || s.starts_with("二、") {
                0
            } else if s.starts_with("（一）") {
                1
            } else if s.starts_with("1.") {
                2
            } else if s.starts_with("（1）") {
                3
            } else {
                continue;
            };
            let want = ["Hei", "Kai", "Fang", "Fang"][level];
            assert!(
                t.family.contains(want),
                "level {} heading {s} in {}",
                level + 1,
                t.family
            );
            seen[level] = true;
        }
    }
    assert_eq!(seen, [true; 4], "all four heading levels present");
}

#[test]
fn party_organ_variant_puts_a_red_star_on_the_header_rule() {
    let text =
        doc_with_body(1, 30).replace("kind = \"通知\"", "kind = \"通知\"\nparty_organ = true");
    let r = render_toml(&text).expect("renders");
    let page = &r.layout.pages[0];
    let star = page.texts.iter().find(|t| t.text == "★").expect("a ★");
    assert!(star.red, "red ★");
    let rule = page.rules.iter().find(|x| x.red).expect("red rule");
    let centre = (star.x + star.right()) / 2.0;
    close(
        centre,
        BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM / 2.0,
        0.5,
        "★ centred",
    );
    assert!(
        star.em_top() < rule.y && star.em_bottom() > rule.y,
        "★ sits on the rule"
    );
}

#[test]
fn gbt_7_3_5_3_signature_stamp_with_title_and_date() {
    let text = doc_with_body(1, 40)
        .replace("recipients = [\"各乡（镇）人民政府\", \"市政府各部门\"]\n", "")
        .replace("seal = \"seals/xingren-gov-office.png\"", "")
        .replace("[[issuers]]", "[[signature_stamps]]\ntitle = \"主任\"\nimage = \"seals/signature-stamp-zhang.png\"\n[[issuers]]");
    let r = render_toml(&text).expect("renders");
    let page = &r.layout.pages[0];
    let l = lines(page);
    let stamp = page.images.first().expect("stamp");
    let right = BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM - 4.0 * CHAR_PITCH_MM;
    close(stamp.x + stamp.width, right, 0.2, "签名章 右空四字");
    close(stamp.width, 30.0, 0.01, "stamp width");
    let body_bottom = l
        .iter()
        .filter(|x| x.text.contains("各单位"))
        .map(|x| x.bottom)
        .fold(f64::MIN, f64::max);
    close(
        stamp.y - body_bottom,
        pt_to_mm(LEADING_PT) + 2.0 * pt_to_mm(LINE_PITCH_PT),
        0.1,
        "签名章 空二行 below the text",
    );
    let title = find_line(&l, "主任");
    close(
        title.x1,
        stamp.x - 2.0 * CHAR_PITCH_MM,
        0.2,
        "职务 左空二字",
    );
    close(
        (title.top + title.bottom) / 2.0,
        stamp.y + stamp.height / 2.0,
        0.2,
        "职务 centred on the stamp",
    );
    let date = find_line(&l, "2026年12月1日");
    close(date.x1, right, 0.2, "date 右空四字");
    close(
        date.top - (stamp.y + stamp.height),
        pt_to_mm(LEADING_PT) + pt_to_mm(LINE_PITCH_PT),
        0.1,
        "date 空一行 below the stamp",
    );
}

#[test]
fn gbt_10_3_minutes_mark_issue_number_and_attendance_lists() {
    let r = render_sample("06-jiyao.toml");
    assert!(
        r.layout.pages.iter().all(|p| p.images.is_empty()),
        "a 纪要 carries no seal"
    );
    let l0 = lines(&r.layout.pages[0]);
    let mark = find_line(&l0, "兴仁市卫生健康局党组会议纪要");
    assert!(mark.runs.iter().all(|x| x.red));
    close(
        mark.top,
        TOP_MARGIN_MM + ISSUER_MARK_TOP_MM,
        0.5,
        "纪要 标志 at 35 mm below the 版心 top",
    );
    let issue = find_line(&l0, "第12期");
    close(
        (issue.x0 + issue.x1) / 2.0,
        centre_x(1),
        0.3,
        "期号 centred",
    );
    let page = r
        .layout
        .pages
        .iter()
        .find(|p| p.texts.iter().any(|t| t.text == "出席："))
        .expect("attendance page");
    let l = lines(page);
    let attend = find_line(&l, "出席：");
    let label = attend
        .runs
        .iter()
        .find(|x| x.text == "出席：")
        .expect("label");
    assert!(label.family.contains("Hei"), "label in 黑体");
    let left = if r
        .layout
        .pages
        .iter()
        .position(|p| std::ptr::eq(p, page))
        .unwrap_or(0)
        % 2
        == 0
    {
        BINDING_MARGIN_MM
    } else {
        OUTER_MARGIN_MM
    };
    close(label.x, left + 2.0 * CHAR_PITCH_MM, 0.1, "左空二字");
    let names_x = label.right();
    let idx = l
        .iter()
        .position(|x| x.text.contains("出席："))
        .expect("line");
    close(
        l[idx + 1].x0,
        names_x,
        0.3,
        "wrapped names aligned after the colon",
    );
    for t in ["请假：", "列席："] {
        let x = page.texts.iter().find(|r| r.text == t).expect(t);
        close(x.x, label.x, 0.05, "labels aligned");
    }
}

#[test]
fn a_template_override_directory_replaces_the_built_in_templates() {
    let dir = tempfile::tempdir().expect("tmp");
    let over = dir.path().join("gongwen");
    std::fs::create_dir(&over).expect("mkdir");
    let body = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/templates/gongwen/body.typ"
    ))
    .expect("body.typ");
    let changed = body.replace("if level == 1 { HEI }", "if level == 1 { KAI }");
    assert_ne!(body, changed, "the override changes something");
    std::fs::write(over.join("body.typ"), changed).expect("write");
    let engine = wenshu::Engine::new(&wenshu::EngineOptions {
        fonts: Default::default(),
        templates: Some(dir.path().to_owned()),
    })
    .expect("engine");
    let r =
        wenshu::pipeline::render_file(&engine, &sample("05-baogao-miji.toml"), &Default::default())
            .expect("renders");
    let h1 = r
        .layout
        .pages
        .iter()
        .flat_map(|p| &p.texts)
        .find(|t| t.text.trim_start_matches('\u{2060}').starts_with("一、"))
        .expect("level-1 heading");
    assert!(
        h1.family.contains("Kai"),
        "the override's font is used: {}",
        h1.family
    );
}
