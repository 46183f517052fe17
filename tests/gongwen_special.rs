//! The special formats of GB/T 9704-2012 §10 and the hard cases of §7/§8 (joint issuers at
//! scale, landscape tables), measured on the laid-out pages (mm from the paper's top-left).

mod common;

use common::*;
use wenshu::gbt9704::*;
use wenshu::render::inspect::Rule;

fn type_area_left(page: usize) -> f64 {
    if page % 2 == 1 {
        BINDING_MARGIN_MM
    } else {
        OUTER_MARGIN_MM
    }
}

fn centre_x(page: usize) -> f64 {
    type_area_left(page) + TYPE_AREA_WIDTH_MM / 2.0
}

fn red_rules(page: &wenshu::render::inspect::PageLayout) -> Vec<&Rule> {
    let mut v: Vec<&Rule> = page.rules.iter().filter(|r| r.red).collect();
    v.sort_by(|a, b| a.y.total_cmp(&b.y));
    v
}

fn page_number_texts(page: &wenshu::render::inspect::PageLayout) -> Vec<String> {
    page.texts
        .iter()
        .filter(|t| t.text.contains('—'))
        .map(|t| t.text.clone())
        .collect()
}

#[test]
fn gbt_10_1_letter_head_double_lines_and_number_flush_right() {
    let r = render_sample("07-han-xinhan.toml");
    let page = &r.layout.pages[0];
    let l = lines(page);
    let mark = find_line(&l, "兴仁市人民政府办公室");
    assert!(mark.runs.iter().all(|x| x.red), "标志 red");
    close(
        mark.top,
        LETTER_MARK_TOP_FROM_PAPER_MM,
        0.5,
        "标志 30 mm from the paper top",
    );
    close((mark.x0 + mark.x1) / 2.0, centre_x(1), 0.3, "标志 centred");

    let red = red_rules(page);
    assert_eq!(red.len(), 4, "two double lines: {red:#?}");
    for r in &red {
        close(
            r.x1 - r.x0,
            LETTER_RULE_LENGTH_MM,
            0.1,
            "double line 170 mm",
        );
        close(
            (r.x0 + r.x1) / 2.0,
            centre_x(1),
            0.1,
            "double line centred on the 版心",
        );
    }
    // Upper double line: thick over thin, its top edge 4 mm below the 标志.
    assert!(red[0].thickness > red[1].thickness, "上粗下细");
    close(
        red[0].y - red[0].thickness / 2.0 - mark.bottom,
        LETTER_RULE_GAP_MM,
        0.3,
        "upper double line 4 mm below the 标志",
    );
    // Lower double line: thin over thick, its bottom edge 20 mm above the paper bottom.
    assert!(red[2].thickness < red[3].thickness, "上细下粗");
    close(
        red[3].y + red[3].thickness / 2.0,
        PAPER_HEIGHT_MM - LETTER_BOTTOM_RULE_FROM_PAPER_MM,
        0.05,
        "lower double line 20 mm above the paper bottom",
    );

    let num = find_line(&l, "仁府办函〔2026〕35号");
    close(
        num.x1,
        BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM,
        0.2,
        "发文字号 flush right",
    );
    let upper_bottom = red[1].y + red[1].thickness / 2.0;
    close(
        num.top - upper_bottom,
        LETTER_FIRST_LINE_GAP_EM * pt_to_mm(SIZE_NO3_PT),
        0.1,
        "发文字号 7/8 of a 3号 character below the double line",
    );
    let title = l
        .iter()
        .find(|x| (x.size_pt - SIZE_NO2_PT).abs() < 0.01)
        .expect("title");
    close(
        title.top - num.top,
        3.0 * pt_to_mm(LINE_PITCH_PT),
        0.1,
        "title 空二行 below the 发文字号",
    );
    // No page number on the first page; the second page is numbered 2, and carries no letterhead.
    assert!(page_number_texts(page).is_empty(), "首页不显示页码");
    let second = &r.layout.pages[1];
    assert_eq!(page_number_texts(second), vec!["— 2 —".to_owned()]);
    assert!(red_rules(second).is_empty());
}

#[test]
fn gbt_10_1_letter_colophon_has_no_print_line_and_no_rules() {
    let r = render_sample("07-han-xinhan.toml");
    let last = r.layout.pages.last().expect("pages");
    let l = lines(last);
    let cc = find_line(&l, "抄送：");
    assert!(
        last.texts.iter().all(|t| !t.text.contains("印发")),
        "no 印发机关/日期"
    );
    assert!(last.rules.iter().all(|r| r.red), "no black 版记 rules");
    // At the bottom of the 版心.
    assert!(cc.bottom <= TYPE_AREA_BOTTOM_MM + 0.05);
    assert!(TYPE_AREA_BOTTOM_MM - cc.bottom < pt_to_mm(LINE_PITCH_PT));
}

#[test]
fn gbt_10_2_order_mark_number_body_and_signature_stamp() {
    let r = render_sample("08-ling.toml");
    let page = &r.layout.pages[0];
    let l = lines(page);
    let mark = find_line(&l, "广西壮族自治区人民政府令");
    assert!(mark.runs.iter().all(|x| x.red), "标志 red");
    close(
        mark.top,
        TOP_MARGIN_MM + ORDER_MARK_TOP_MM,
        0.5,
        "标志 20 mm below the 版心 top",
    );
    close((mark.x0 + mark.x1) / 2.0, centre_x(1), 0.3, "标志 centred");
    assert!(
        mark.x0 >= BINDING_MARGIN_MM - 0.01
            && mark.x1 <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.01
    );
    let pitch = pt_to_mm(LINE_PITCH_PT);
    let num = find_line(&l, "第24号");
    close((num.x0 + num.x1) / 2.0, centre_x(1), 0.3, "令号 centred");
    close(
        num.top - mark.bottom,
        pt_to_mm(LEADING_PT) + 2.0 * pitch,
        0.1,
        "令号 空二行 below the 标志",
    );
    let body = find_line(&l, "《广西壮族自治区行政过错责任追究办法》");
    close(
        body.top - num.top,
        3.0 * pitch,
        0.1,
        "正文 空二行 below the 令号",
    );
    assert!(red_rules(page).is_empty(), "命令格式 has no red 版头 line");
    assert!(
        l.iter().all(|x| (x.size_pt - SIZE_NO2_PT).abs() > 0.01),
        "no title"
    );
    // §7.3.5.3: 职务 + 签名章 + date.
    let stamp = page.images.first().expect("签名章");
    close(
        stamp.x + stamp.width,
        BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM - 4.0 * CHAR_PITCH_MM,
        0.2,
        "签名章 右空四字",
    );
    let title = find_line(&l, "自治区主席");
    close(
        title.x1,
        stamp.x - 2.0 * CHAR_PITCH_MM,
        0.2,
        "职务 左空二字",
    );
    let date = find_line(&l, "2007年4月25日");
    close(
        date.top - (stamp.y + stamp.height),
        pt_to_mm(LEADING_PT) + pitch,
        0.1,
        "date 空一行 below the stamp",
    );
}
