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
    // 30 mm from the paper's top edge.
    let mark = red_mark(
        &l,
        "兴仁市人民政府办公室",
        LETTER_MARK_TOP_FROM_PAPER_MM,
        centre_x(1),
    );

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
    // 20 mm below the 版心 top.
    let mark = red_mark(
        &l,
        "广西壮族自治区人民政府令",
        TOP_MARGIN_MM + ORDER_MARK_TOP_MM,
        centre_x(1),
    );
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

/// Checks §7.3.5.1 on every page with seals: rows of at most three, seals of a row aligned,
/// none touching another, none past the 版心; returns the number of seals.
fn check_seal_rows(r: &wenshu::pipeline::Rendered) -> usize {
    let mut total = 0;
    for (i, page) in r.layout.pages.iter().enumerate() {
        let seals = &page.images;
        if seals.is_empty() {
            continue;
        }
        total += seals.len();
        let left = type_area_left(i + 1);
        let mut rows: Vec<Vec<&wenshu::render::inspect::ImageBox>> = Vec::new();
        for s in seals {
            assert!(s.x >= left - 0.01, "seal past the 版心 left: {s:?}");
            assert!(
                s.x + s.width <= left + TYPE_AREA_WIDTH_MM + 0.01,
                "seal past the 版心 right: {s:?}"
            );
            match rows.iter_mut().find(|row| (row[0].y - s.y).abs() < 0.01) {
                Some(row) => row.push(s),
                None => rows.push(vec![s]),
            }
        }
        for row in &mut rows {
            assert!(row.len() <= 3, "at most three seals a row");
            row.sort_by(|a, b| a.x.total_cmp(&b.x));
            for w in row.windows(2) {
                assert!(
                    w[1].x - (w[0].x + w[0].width) >= SEAL_GAP_MM - 0.01,
                    "seals touch: {w:?}"
                );
            }
        }
        rows.sort_by(|a, b| a[0].y.total_cmp(&b[0].y));
        for w in rows.windows(2) {
            assert!(
                w[1][0].y - (w[0][0].y + w[0][0].height) >= SEAL_GAP_MM - 0.01,
                "rows touch"
            );
        }
    }
    total
}

#[test]
fn gbt_7_2_4_five_joint_issuers_stack_in_the_mark_with_wenjian_centred_beside_them() {
    let r = render_sample("09-lianhe-wujia.toml");
    let page = &r.layout.pages[0];
    let l = lines(page);
    let names = [
        "兴仁市医疗保障局",
        "兴仁市卫生健康局",
        "兴仁市财政局",
        "兴仁市民政局",
        "兴仁市市场监督管理局",
    ];
    let found: Vec<&Line> = names.iter().map(|n| find_line(&l, n)).collect();
    close(
        found[0].top,
        TOP_MARGIN_MM + ISSUER_MARK_TOP_MM,
        0.5,
        "标志 top at 35 mm",
    );
    for w in found.windows(2) {
        assert!(w[1].top > w[0].bottom, "names stacked in order");
    }
    for f in &found {
        assert!(f.runs.iter().all(|x| x.red), "red");
        assert!(
            f.size_pt >= SIZE_NO2_PT - 0.01,
            "never smaller than the title"
        );
    }
    let stack_h = found[4].bottom - found[0].top;
    assert!(
        stack_h <= ISSUER_MARK_JOINT_MAX_HEIGHT_MM + 0.5,
        "stack {stack_h} mm"
    );
    // 文件 to the right of the names, centred on the stack.
    let wenjian = page.texts.iter().find(|t| t.text == "文件").expect("文件");
    let widest = found
        .iter()
        .flat_map(|f| {
            f.runs
                .iter()
                .filter(|x| x.text != "文件")
                .map(|x| x.right())
        })
        .fold(f64::MIN, f64::max);
    assert!(wenjian.x > widest, "文件 right of the names");
    close(
        (wenjian.em_top() + wenjian.em_bottom()) / 2.0,
        (found[0].top + found[4].bottom) / 2.0,
        0.3,
        "文件 centred on the stack",
    );
    // The whole mark stays in the 版心, and the 正文 still starts on page 1.
    let x0 = found.iter().map(|f| f.x0).fold(f64::MAX, f64::min);
    assert!(x0 >= BINDING_MARGIN_MM - 0.01);
    assert!(wenjian.right() <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.01);
    assert!(
        l.iter().any(|x| x.text.contains("为深入贯彻")),
        "正文 on page 1"
    );
    // The 字号 is the 主办机关's, centred under the mark.
    let num = find_line(&l, "仁医保发〔2026〕31号");
    close((num.x0 + num.x1) / 2.0, centre_x(1), 0.3, "字号 centred");
}

#[test]
fn gbt_7_3_5_1_five_seals_in_rows_of_three_inside_the_type_area() {
    let r = render_sample("09-lianhe-wujia.toml");
    assert_eq!(check_seal_rows(&r), 5);
    let page = r
        .layout
        .pages
        .iter()
        .find(|p| !p.images.is_empty())
        .expect("seal page");
    let mut ys: Vec<f64> = page.images.iter().map(|s| s.y).collect();
    ys.sort_by(f64::total_cmp);
    ys.dedup_by(|a, b| (*a - *b).abs() < 0.01);
    assert_eq!(ys.len(), 2, "two rows (3 + 2)");
    // The first row's top within one line of the text above it.
    let l = lines(page);
    let text_bottom = l
        .iter()
        .filter(|x| x.bottom < ys[0])
        .map(|x| x.bottom)
        .fold(f64::MIN, f64::max);
    assert!(
        ys[0] - text_bottom <= pt_to_mm(LINE_PITCH_PT) + 0.01,
        "first row within one line"
    );
    // The last seal presses the date.
    let date = find_line(&l, "2026年11月20日");
    let last = page
        .images
        .iter()
        .max_by(|a, b| (a.y, a.x).partial_cmp(&(b.y, b.x)).expect("finite"))
        .expect("last");
    assert!(
        last.x < date.x1 && last.x + last.width > date.x0,
        "over the date"
    );
    assert!(
        last.y < date.top && last.y + last.height >= date.top,
        "pressing the date"
    );
}

/// Three to ten issuers, sealed and unsealed: every layout keeps §7.3.5.1/§7.3.5.2, the 标志 in
/// the 版心 and the 正文 on page 1.
#[test]
fn joint_issuers_from_three_to_ten() {
    let organs = [
        ("兴仁市医疗保障局", "medical-insurance.png"),
        ("兴仁市卫生健康局", "health-commission.png"),
        ("兴仁市财政局", "finance-bureau.png"),
        ("兴仁市民政局", "civil-affairs.png"),
        ("兴仁市市场监督管理局", "market-regulation.png"),
        ("兴仁市人民政府办公室", "xingren-gov-office.png"),
        ("兴仁市人民政府", "xingren-gov.png"),
    ];
    for n in 3..=10 {
        for sealed in [true, false] {
            // Enough text that the last paragraph can move with the 署名 (§7.3.5.5).
            let p = "各定点医药机构要对照整治重点，逐项开展自查自纠，对发现的问题立行立改，建立问题清单和整改台账，确保整改到位，切实维护医疗保障基金安全。";
            let mut text = format!(
                "kind = \"通知\"\ndoc_number = \"仁医保发〔2026〕31号\"\ntitle = \"兴仁市医疗保障局等部门关于开展医疗保障基金使用专项整治的通知\"\nrecipients = [\"各定点医药机构\"]\ndate = \"2026年11月20日\"\ngeneral_distribution = true\nbody = [\"{p}\", \"{p}\", \"请各单位按照要求开展自查自纠，并于2026年12月20日前报送自查报告。\"]\n",
            );
            for k in 0..n {
                let (name, seal) = organs[k % organs.len()];
                // Later rounds repeat organs with a distinguishing suffix (names must differ).
                let name = if k < organs.len() {
                    name.to_owned()
                } else {
                    format!("{name}{}分局", k)
                };
                text.push_str(&format!("[[issuers]]\nname = \"{name}\"\n"));
                if sealed {
                    text.push_str(&format!("seal = \"seals/{seal}\"\n"));
                }
            }
            let r = match render_toml(&text) {
                Ok(r) => r,
                Err(wenshu::Error::Invalid { diagnostics, .. }) => {
                    panic!("{n} issuers, sealed {sealed}: {diagnostics:#?}")
                }
                Err(e) => panic!("{n} issuers, sealed {sealed}: {e}"),
            };
            let first = &r.layout.pages[0];
            let l = lines(first);
            assert!(
                l.iter().any(|x| x.text.contains("各定点医药机构要")),
                "{n} issuers: 正文 on page 1"
            );
            for x in l.iter().filter(|x| x.runs.iter().all(|r| r.red)) {
                assert!(
                    x.x0 >= BINDING_MARGIN_MM - 0.01
                        && x.x1 <= BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM + 0.01,
                    "{n}: 标志 inside"
                );
            }
            if sealed {
                assert_eq!(check_seal_rows(&r), n, "{n} seals");
            } else {
                // §7.3.5.2: the 署名 stack downwards, one per line, left-aligned.
                let page = r
                    .layout
                    .pages
                    .iter()
                    .find(|p| {
                        p.texts
                            .iter()
                            .any(|t| t.text.contains("2026年11月20日") && !t.red)
                    })
                    .expect("signature page");
                let sl = lines(page);
                let date = find_line(&sl, "2026年11月20日");
                let signed: Vec<&Line> = sl
                    .iter()
                    .filter(|x| {
                        x.top < date.top
                            && x.top > date.top - (n as f64 + 0.5) * pt_to_mm(LINE_PITCH_PT)
                    })
                    .collect();
                assert_eq!(signed.len(), n, "{n} 署名 lines");
                for s in &signed {
                    close(s.x0, signed[0].x0, 0.05, "署名 aligned");
                }
            }
        }
    }
}

fn turned(run: &wenshu::render::inspect::TextRun) -> bool {
    (run.angle + 90.0).abs() < 0.01
}

#[test]
fn gbt_8_landscape_attachment_turns_the_page_with_the_header_on_the_left_edge() {
    let r = render_sample("10-hengpai-fujian.toml");
    let turned_pages: Vec<(usize, &wenshu::render::inspect::PageLayout)> = r
        .layout
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| (i + 1, p))
        .filter(|(_, p)| p.texts.iter().any(turned))
        .collect();
    assert!(
        turned_pages.len() >= 2,
        "the table runs over several turned pages"
    );
    let first = turned_pages[0].1;
    assert!(
        first.texts.iter().any(|t| turned(t) && t.text == "附件"),
        "附件 label turned with the table"
    );
    let mut objects = Vec::new();
    for (n, page) in &turned_pages {
        let left = type_area_left(*n);
        // Every turned run lies inside the 版心 (it runs upwards from its origin).
        for t in page.texts.iter().filter(|t| turned(t)) {
            assert!(
                t.x >= left - 0.01 && t.x <= left + TYPE_AREA_WIDTH_MM + 0.01,
                "page {n}: {t:?}"
            );
            assert!(
                t.baseline <= TYPE_AREA_BOTTOM_MM + 0.01
                    && t.baseline - t.width >= TOP_MARGIN_MM - 0.01,
                "page {n}: {t:?}"
            );
        }
        // The header (repeated on every page) is the column nearest the paper's left edge:
        // the 订口 of an odd page, the 切口 of an even one.
        let header = page
            .texts
            .iter()
            .find(|t| turned(t) && t.text == "检查对象")
            .unwrap_or_else(|| panic!("page {n}: header repeated"));
        assert!(header.family.contains("Hei"), "header in 黑体");
        let cells: Vec<f64> = page
            .texts
            .iter()
            .filter(|t| {
                turned(t)
                    && (t.text.ends_with("卫生院")
                        || t.text.ends_with("药房")
                        || t.text.ends_with("医院"))
            })
            .map(|t| t.x)
            .collect();
        assert!(!cells.is_empty(), "page {n}: rows");
        assert!(
            cells.iter().all(|x| *x > header.x),
            "page {n}: header left of every row"
        );
        if n % 2 == 1 {
            assert!(
                header.x - BINDING_MARGIN_MM < TYPE_AREA_WIDTH_MM / 2.0,
                "odd page: header on the 订口 (left) side"
            );
        } else {
            assert!(
                header.x - OUTER_MARGIN_MM < TYPE_AREA_WIDTH_MM / 2.0,
                "even page: header on the 切口 (left) side"
            );
        }
        objects.extend(
            page.texts
                .iter()
                .filter(|t| turned(t) && t.text.ends_with("大药房"))
                .map(|t| t.text.clone()),
        );
        // The page number keeps its portrait position (§7.5).
        let number = page
            .texts
            .iter()
            .find(|t| t.text.contains('—'))
            .unwrap_or_else(|| panic!("page {n}: page number"));
        close(number.angle, 0.0, 0.01, "page number upright");
        close(
            number.em_top(),
            TYPE_AREA_BOTTOM_MM + PAGE_NUMBER_GAP_MM,
            0.3,
            "page number 7 mm below the 版心",
        );
        if n % 2 == 1 {
            close(
                number.right(),
                BINDING_MARGIN_MM + TYPE_AREA_WIDTH_MM - pt_to_mm(SIZE_NO4_PT),
                0.3,
                "odd: 右空一字",
            );
        } else {
            close(
                number.x,
                OUTER_MARGIN_MM + pt_to_mm(SIZE_NO4_PT),
                0.3,
                "even: 左空一字",
            );
        }
    }
    // No row lost or repeated across the turned pages.
    let mut unique = objects.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), objects.len(), "a row printed twice");
    assert_eq!(objects.len(), 20, "every pharmacy row printed");
}

#[test]
fn gbt_8_landscape_table_in_the_body_takes_its_own_turned_page() {
    let rows: Vec<String> = (1..=12)
        .map(|i| format!("[\"{i}\", \"第{i}项工作任务\", \"市医疗保障局\", \"2026年12月{i}日前\", \"按期完成\"]"))
        .collect();
    let text = format!(
        r#"kind = "通知"
doc_number = "仁医保发〔2026〕34号"
title = "兴仁市医疗保障局关于印发年度重点工作任务分解表的通知"
recipients = ["局机关各股室"]
date = "2026年11月25日"
body = [
  "现将年度重点工作任务分解如下，请认真抓好落实。",
  {{ table = [["序号", "工作任务", "责任单位", "完成时限", "备注"], {}], landscape = true }},
  "请各股室于每月底前报送工作进展情况。",
]
[[issuers]]
name = "兴仁市医疗保障局"
seal = "seals/medical-insurance.png"
"#,
        rows.join(", ")
    );
    let r = render_toml(&text).expect("renders");
    let pages = &r.layout.pages;
    let t = pages
        .iter()
        .position(|p| p.texts.iter().any(turned))
        .expect("a turned page");
    assert!(
        pages[t]
            .texts
            .iter()
            .filter(|x| !x.text.contains('—'))
            .all(turned),
        "nothing else on the turned page"
    );
    assert!(
        pages[..t]
            .iter()
            .any(|p| p.texts.iter().any(|x| x.text.contains("现将年度")))
    );
    let after = pages[t + 1..]
        .iter()
        .find(|p| p.texts.iter().any(|x| x.text.contains("请各股室")))
        .expect("the body continues after the turned page");
    assert!(after.texts.iter().all(|x| !turned(x)));
}

#[test]
fn gbt_8_a_row_taller_than_a_turned_page_is_refused_not_overflowed() {
    let long = "各单位要高度重视冬季安全生产工作切实落实属地管理责任和部门监管责任".repeat(40);
    let text = format!(
        r#"kind = "通知"
doc_number = "仁医保发〔2026〕34号"
title = "兴仁市医疗保障局关于印发年度重点工作任务分解表的通知"
recipients = ["局机关各股室"]
date = "2026年11月25日"
body = ["现将年度重点工作任务分解如下，请认真抓好落实。", "请各股室于每月底前报送工作进展情况。"]
[[issuers]]
name = "兴仁市医疗保障局"
seal = "seals/medical-insurance.png"
[[attachments]]
title = "年度重点工作任务分解表"
landscape = true
body = [{{ table = [["序号", "工作任务", "责任单位"], ["1", "{long}", "市医疗保障局"]], columns = [1, 8, 2] }}]
"#
    );
    match render_toml(&text) {
        Err(wenshu::Error::Template(m)) => assert!(m.contains("超过一页"), "{m}"),
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("an overflowing turned page was printed"),
    }
}

/// §5.2.1: text that cannot break (a 90-digit number) would run past the 版心; the document is
/// refused with the page and the text, not printed.
#[test]
fn gbt_5_2_1_text_past_the_type_area_is_refused() {
    let text = r#"kind = "通知"
doc_number = "仁府办发〔2026〕80号"
title = "兴仁市人民政府办公室关于做好冬季安全生产工作的通知"
recipients = ["各乡（镇）人民政府"]
date = "2026年12月1日"
body = ["请登录系统填报，账号序列号为123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890。"]
[[issuers]]
name = "兴仁市人民政府办公室"
seal = "seals/xingren-gov-office.png"
"#;
    match render_toml(text) {
        Err(wenshu::Error::Invalid { diagnostics, .. }) => {
            let d = diagnostics
                .iter()
                .find(|d| d.code == "gongwen.layout.outside_type_area")
                .unwrap_or_else(|| panic!("{diagnostics:#?}"));
            assert!(
                d.message.contains("第 1 页") && d.message.contains("1234"),
                "{}",
                d.message
            );
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("text past the 版心 was printed"),
    }
}

fn money_table_doc(amount: &str) -> String {
    format!(
        r#"kind = "通知"
doc_number = "仁府办发〔2026〕80号"
title = "兴仁市人民政府办公室关于做好冬季安全生产工作的通知"
recipients = ["各乡（镇）人民政府"]
date = "2026年12月1日"
body = ["各单位要高度重视冬季安全生产工作，切实落实属地管理责任和部门监管责任。", {{ table = [["项目", "一季度", "二季度", "三季度", "四季度", "合计", "同比", "备注"], ["安全生产专项资金", "{amount}", "{amount}", "{amount}", "{amount}", "{amount}", "12.5%", "无"]] }}, "请认真贯彻落实，并于每月底前报送工作进展情况，遇有重大问题及时报告。"]
[[issuers]]
name = "兴仁市人民政府办公室"
seal = "seals/xingren-gov-office.png"
"#
    )
}

/// Figures that overflow their cells at 4号 are set smaller, with a notice; no text overlaps.
#[test]
fn table_text_that_overflows_its_cells_is_set_smaller() {
    let r = render_toml(&money_table_doc("1234567.89")).expect("renders");
    assert!(
        r.warnings.iter().any(|w| w.code == "gongwen.table.smaller"),
        "{:#?}",
        r.warnings
    );
    let cells: Vec<_> = r.layout.pages[0]
        .texts
        .iter()
        .filter(|t| t.text == "1234567.89")
        .collect();
    assert_eq!(cells.len(), 5, "four quarters and the total");
    assert!(cells.iter().all(|t| t.size_pt < SIZE_NO4_PT));
    assert!(wenshu::render::inspect::overlapping_text(&r.layout).is_none());
}

/// When even 5号 cannot hold them, the overlap is refused, naming the text.
#[test]
fn text_printed_over_text_is_refused() {
    match render_toml(&money_table_doc("123456789012345.67")) {
        Err(wenshu::Error::Invalid { diagnostics, .. }) => {
            let d = diagnostics
                .iter()
                .find(|d| d.code == "gongwen.layout.overlap")
                .unwrap_or_else(|| panic!("{diagnostics:#?}"));
            assert!(d.message.contains("123456789012"), "{}", d.message);
        }
        Err(e) => panic!("unexpected error: {e}"),
        Ok(_) => panic!("overlapping text was printed"),
    }
}

/// Three sealed issuers and a one-line body: at the full 标志 size the 署名 would stand alone on
/// page 2 (§7.3.5.5) even with the line spacing tightened to its limit, and carrying the only
/// line would leave page 1 without 正文, so the stack is shortened to a fallback height, with a
/// notice.
#[test]
fn gbt_7_2_4_a_joint_mark_shrinks_when_page_one_cannot_hold_text_and_signature() {
    let mut text = String::from(
        "kind = \"通知\"\ndoc_number = \"仁医保发〔2026〕31号\"\ntitle = \"兴仁市医疗保障局等部门关于开展医疗保障基金使用专项整治的通知\"\nrecipients = [\"各定点医药机构\"]\ndate = \"2026年11月20日\"\nbody = [\"请各单位按照要求开展自查自纠。\"]\n",
    );
    for (name, seal) in [
        ("兴仁市医疗保障局", "medical-insurance.png"),
        ("兴仁市卫生健康局", "health-commission.png"),
        ("兴仁市财政局", "finance-bureau.png"),
    ] {
        text.push_str(&format!(
            "[[issuers]]\nname = \"{name}\"\nseal = \"seals/{seal}\"\n"
        ));
    }
    let r = render_toml(&text).expect("renders");
    assert!(
        r.warnings
            .iter()
            .any(|w| w.code == "gongwen.issuer_mark.shrunk"),
        "{:#?}",
        r.warnings
    );
    let page = &r.layout.pages[0];
    let l = lines(page);
    let first = find_line(&l, "兴仁市医疗保障局");
    let last = find_line(&l, "兴仁市财政局");
    let stack = last.bottom - first.top;
    // At full size three names stack 50 mm high; the first fallback is 40 mm.
    assert!(
        stack <= ISSUER_MARK_JOINT_FALLBACK_HEIGHTS_MM[0] + 0.5,
        "stack {stack} mm"
    );
    assert_eq!(
        page.images.len(),
        3,
        "署名 and seals on page 1 with the text"
    );
}
