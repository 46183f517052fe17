//! One failing example per validation rule: each mutation of a valid document is refused with
//! the rule's code, on the right field, with a message naming the rule.

mod common;

use std::path::Path;

use wenshu::ingest::data::{Format, parse};
use wenshu::model::gongwen::Gongwen;
use wenshu::validate::gongwen::validate;

const VALID: &str = r#"
kind = "请示"
direction = "上行"
doc_number = "仁卫呈〔2026〕12号"
signers = ["张某某"]
title = "兴仁市卫生健康局关于拨付设备更新资金的请示"
recipients = ["兴仁市人民政府"]
date = "2026年11月18日"
note = "联系人：王某某，联系电话：0859-6212345"
cc = ["市财政局"]
print_office = "兴仁市卫生健康局办公室"
print_date = "2026年11月18日"
body = ["为改善基层医疗卫生服务条件，拟申请拨付设备更新资金。", "妥否，请批示。"]

[[issuers]]
name = "兴仁市卫生健康局"
seal = "seals/health-commission.png"
"#;

fn diags(text: &str) -> Vec<wenshu::Diagnostic> {
    let doc: Gongwen = parse(text, Format::Toml).unwrap_or_else(|e| panic!("parse: {e}\n{text}"));
    validate(
        &doc,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/gongwen"),
    )
}

fn refused(text: &str, code: &str, field: &str, words: &str) {
    let d = diags(text);
    let hit = d
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("expected {code}, got {d:#?}"));
    assert!(hit.is_error(), "{code} is an error");
    assert_eq!(hit.field, field, "{code}: field");
    assert!(
        hit.message.contains(words),
        "{code}: message {:?} lacks {words:?}",
        hit.message
    );
}

fn with(from: &str, to: &str) -> String {
    assert!(VALID.contains(from), "{from}");
    VALID.replacen(from, to, 1)
}

#[test]
fn the_base_document_is_valid() {
    let d = diags(VALID);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn doc_number_syntax() {
    refused(
        &with("仁卫呈〔2026〕12号", "仁卫呈[2026]12号"),
        "gongwen.doc_number.format",
        "doc_number",
        "六角括号",
    );
    refused(
        &with("仁卫呈〔2026〕12号", "仁卫呈【2026】12号"),
        "gongwen.doc_number.format",
        "doc_number",
        "六角括号",
    );
    refused(
        &with("仁卫呈〔2026〕12号", "仁卫呈〔2026〕第12号"),
        "gongwen.doc_number.format",
        "doc_number",
        "不加“第”字",
    );
    refused(
        &with("仁卫呈〔2026〕12号", "仁卫呈〔2026〕012号"),
        "gongwen.doc_number.format",
        "doc_number",
        "不编虚位",
    );
    refused(
        &with("仁卫呈〔2026〕12号", "仁卫呈〔2026〕12"),
        "gongwen.doc_number.format",
        "doc_number",
        "号",
    );
}

#[test]
fn doc_number_year_matches_the_date() {
    refused(
        &with("仁卫呈〔2026〕12号", "仁卫呈〔2025〕12号"),
        "gongwen.doc_number.year",
        "doc_number",
        "2025",
    );
}

#[test]
fn upward_doc_number_without_fa() {
    refused(
        &with("仁卫呈〔2026〕12号", "仁卫发〔2026〕12号"),
        "gongwen.doc_number.upward_fa",
        "doc_number",
        "不得带“发”字",
    );
}

#[test]
fn dates_in_full_without_leading_zeros() {
    refused(
        &with("date = \"2026年11月18日\"", "date = \"2026年03月08日\""),
        "gongwen.date.format",
        "date",
        "不编虚位",
    );
    refused(
        &with("date = \"2026年11月18日\"", "date = \"2026年2月30日\""),
        "gongwen.date.format",
        "date",
        "真实存在",
    );
    refused(
        &with(
            "date = \"2026年11月18日\"",
            "date = \"二〇二六年十一月十八日\"",
        ),
        "gongwen.date.format",
        "date",
        "阿拉伯数字",
    );
    refused(
        &with(
            "print_date = \"2026年11月18日\"",
            "print_date = \"2026年11月1日\"",
        ),
        "gongwen.print_date.before",
        "print_date",
        "早于",
    );
}

#[test]
fn copy_number_and_classification() {
    let classified = with(
        "kind = \"请示\"",
        "kind = \"请示\"\nclassification = \"秘密\"\nsecrecy_period = \"1年\"",
    );
    refused(
        &classified,
        "gongwen.copy_number.required",
        "copy_number",
        "份号",
    );
    refused(
        &with("kind = \"请示\"", "kind = \"请示\"\ncopy_number = \"15\""),
        "gongwen.copy_number.format",
        "copy_number",
        "6 位",
    );
    refused(
        &with(
            "kind = \"请示\"",
            "kind = \"请示\"\nclassification = \"内部\"\ncopy_number = \"000001\"",
        ),
        "gongwen.classification.value",
        "classification",
        "密级",
    );
    refused(
        &with(
            "kind = \"请示\"",
            "kind = \"请示\"\nsecrecy_period = \"1年\"",
        ),
        "gongwen.secrecy_period.orphan",
        "secrecy_period",
        "没有密级",
    );
    refused(
        &with(
            "kind = \"请示\"",
            "kind = \"请示\"\nclassification = \"秘密\"\ncopy_number = \"000001\"\nsecrecy_period = \"一年\"",
        ),
        "gongwen.secrecy_period.digits",
        "secrecy_period",
        "阿拉伯数字",
    );
    refused(
        &with("kind = \"请示\"", "kind = \"请示\"\nurgency = \"急件\""),
        "gongwen.urgency.value",
        "urgency",
        "紧急程度",
    );
}

#[test]
fn kind_and_title() {
    refused(
        &with("kind = \"请示\"", "kind = \"申请\""),
        "gongwen.kind.unknown",
        "kind",
        "15 种",
    );
    refused(
        &with("设备更新资金的请示\"", "设备更新资金的报告\""),
        "gongwen.title.kind_suffix",
        "title",
        "请示",
    );
    refused(
        &with("设备更新资金的请示\"", "设备更新资金的请示。\""),
        "gongwen.title.punct",
        "title",
        "标点",
    );
    refused(
        &with("direction = \"上行\"", "direction = \"斜行\""),
        "gongwen.direction.unknown",
        "direction",
        "行文方向",
    );
}

#[test]
fn upward_documents_need_signers_and_contact() {
    refused(
        &with("signers = [\"张某某\"]", "signers = []"),
        "gongwen.signers.required",
        "signers",
        "签发人",
    );
    refused(
        &with(
            "note = \"联系人：王某某，联系电话：0859-6212345\"",
            "note = \"请予支持\"",
        ),
        "gongwen.note.contact",
        "note",
        "联系人",
    );
}

#[test]
fn qingshi_one_matter_and_baogao_without_requests() {
    refused(
        &with(
            "关于拨付设备更新资金的请示",
            "关于申请设备更新资金和申请人员编制的请示",
        ),
        "gongwen.qingshi.one_matter",
        "title",
        "一文一事",
    );
    let report = with("kind = \"请示\"", "kind = \"报告\"").replace("资金的请示\"", "资金的报告\"");
    refused(
        &report,
        "gongwen.baogao.request",
        "body",
        "不得夹带请示事项",
    );
}

#[test]
fn seals() {
    refused(
        &with("seal = \"seals/health-commission.png\"", ""),
        "gongwen.seal.required",
        "issuers",
        "印章",
    );
    refused(
        &with("seals/health-commission.png", "seals/missing.png"),
        "gongwen.seal.file",
        "issuers[0].seal",
        "找不到印章图片",
    );
    let joint = format!("{VALID}\n[[issuers]]\nname = \"兴仁市财政局\"\n");
    refused(&joint, "gongwen.seal.partial", "issuers", "只有 1 个有印章");
    // Exempt: 纪要 and 普发性 documents.
    let general = with("seal = \"seals/health-commission.png\"", "").replace(
        "kind = \"请示\"",
        "kind = \"请示\"\ngeneral_distribution = true",
    );
    assert!(
        !diags(&general)
            .iter()
            .any(|d| d.code == "gongwen.seal.required")
    );
}

#[test]
fn attachments_agree_with_the_note() {
    let att = format!(
        "{}\n[[attachments]]\ntitle = \"设备清单\"\nbody = [\"略。\"]\n[[attachments]]\ntitle = \"资金测算表\"\nbody = [\"略。\"]\n",
        VALID.replace(
            "body = [",
            "attachment_note = [\"资金测算表\", \"设备清单\"]\nbody = ["
        )
    );
    refused(
        &att,
        "gongwen.attachments.order",
        "attachments[0].title",
        "顺序不一致",
    );
    let att2 = att.replace(
        "attachment_note = [\"资金测算表\", \"设备清单\"]",
        "attachment_note = [\"设备清单\"]",
    );
    refused(
        &att2,
        "gongwen.attachments.count",
        "attachments",
        "1 个附件",
    );
    let att3 = att.replace(
        "attachment_note = [\"资金测算表\", \"设备清单\"]",
        "attachment_note = [\"设备清单。\", \"资金测算表\"]",
    );
    refused(
        &att3,
        "gongwen.attachment_note.punct",
        "attachment_note[0]",
        "不加标点",
    );
    let att4 = att.replace(
        "attachment_note = [\"资金测算表\", \"设备清单\"]",
        "attachment_note = [\"设备明细\", \"资金测算表\"]",
    );
    refused(
        &att4,
        "gongwen.attachments.title",
        "attachments[0].title",
        "名称不一致",
    );
}

#[test]
fn colophon_lists() {
    refused(
        &with("cc = [\"市财政局\"]", "cc = [\"市财政局。\"]"),
        "gongwen.cc.punct",
        "cc[0]",
        "标点",
    );
    refused(
        &with(
            "recipients = [\"兴仁市人民政府\"]",
            "recipients = [\"兴仁市人民政府：\"]",
        ),
        "gongwen.recipients.punct",
        "recipients[0]",
        "标点",
    );
    refused(
        &with("print_office = \"兴仁市卫生健康局办公室\"", ""),
        "gongwen.print.pair",
        "print_office",
        "同时填写",
    );
}

#[test]
fn body_blocks() {
    refused(
        &with("body = [", "body = [{ h1 = \"一\", h2 = \"二\" }, "),
        "gongwen.body.block_kind",
        "body[0]",
        "只能是一个",
    );
    refused(
        &with(
            "body = [",
            "body = [{ table = [[\"a\", \"b\"], [\"c\"]] }, ",
        ),
        "gongwen.table.ragged",
        "body[0].table[1]",
        "列",
    );
    refused(
        &with(
            "body = [\"为改善基层医疗卫生服务条件，拟申请拨付设备更新资金。\", \"妥否，请批示。\"]",
            "body = []",
        ),
        "gongwen.body.empty",
        "body",
        "正文",
    );
}

#[test]
fn every_problem_is_listed_at_once() {
    let bad = with("仁卫呈〔2026〕12号", "仁卫发[2025]012号")
        .replace("date = \"2026年11月18日\"", "date = \"2026年03月8日\"")
        .replace("signers = [\"张某某\"]", "signers = []");
    let d = diags(&bad);
    let codes: Vec<&str> = d.iter().filter(|d| d.is_error()).map(|d| d.code).collect();
    for c in [
        "gongwen.doc_number.format",
        "gongwen.date.format",
        "gongwen.signers.required",
    ] {
        assert!(codes.contains(&c), "{c} in {codes:?}");
    }
}

#[test]
fn unknown_keys_are_refused_with_the_line() {
    let e = parse::<Gongwen>(&with("title =", "titel = \"x\"\ntitle ="), Format::Toml).unwrap_err();
    assert!(e.contains("未知的字段") && e.contains("titel"), "{e}");
}

#[test]
fn chinese_keys_are_accepted() {
    let zh = r#"
"文种" = "通知"
"发文字号" = "仁府办发〔2026〕1号"
"标题" = "关于放假的通知"
"成文日期" = "2026年1月5日"
"正文" = ["元旦放假一天。"]
"普发" = true
"发文机关" = ["兴仁市人民政府办公室"]
"#;
    let d = diags(zh);
    assert!(!d.iter().any(|d| d.is_error()), "{d:#?}");
}

/// A valid 命令 in 命令格式 (§10.2).
const ORDER: &str = r#"
kind = "命令"
order_number = "第24号"
date = "2007年4月25日"
body = ["《广西壮族自治区行政过错责任追究办法》已经自治区人民政府常务会议审议通过，现予公布，自2007年6月1日起施行。"]

[[issuers]]
name = "广西壮族自治区人民政府"

[[signature_stamps]]
title = "自治区主席"
image = "seals/signature-stamp-zhang.png"
"#;

fn order_with(from: &str, to: &str) -> String {
    assert!(ORDER.contains(from), "{from}");
    ORDER.replacen(from, to, 1)
}

fn warned(text: &str, code: &str, field: &str) {
    let d = diags(text);
    let hit = d
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("expected {code}, got {d:#?}"));
    assert!(!hit.is_error(), "{code} is a warning");
    assert_eq!(hit.field, field, "{code}: field");
}

#[test]
fn gbt_10_2_a_valid_order_needs_no_title_seal_or_doc_number() {
    let d = diags(ORDER);
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn gbt_10_format_names_and_kinds() {
    refused(
        &with("kind = \"请示\"", "kind = \"请示\"\nformat = \"公函\""),
        "gongwen.format.unknown",
        "format",
        "公函",
    );
    refused(
        &with("kind = \"请示\"", "kind = \"请示\"\nformat = \"命令\""),
        "gongwen.format.kind",
        "format",
        "命令格式只用于命令",
    );
    refused(
        &with("kind = \"请示\"", "kind = \"请示\"\nformat = \"纪要\""),
        "gongwen.format.kind",
        "format",
        "纪要格式只用于纪要",
    );
    refused(
        &with(
            "doc_number = \"仁卫呈〔2026〕12号\"",
            "order_number = \"第3号\"",
        ),
        "gongwen.order_number.not_order",
        "order_number",
        "令号",
    );
}

#[test]
fn gbt_10_2_order_number_rules() {
    refused(
        &order_with("order_number = \"第24号\"\n", ""),
        "gongwen.order_number.missing",
        "order_number",
        "令号",
    );
    refused(
        &order_with("第24号", "第024号"),
        "gongwen.order_number.format",
        "order_number",
        "第024号",
    );
    refused(
        &order_with("第24号", "桂政令〔2007〕24号"),
        "gongwen.order_number.format",
        "order_number",
        "不规范",
    );
    // With an 机关代字 the registry issues it (`--assign-numbers`).
    let d = diags(&order_with(
        "order_number = \"第24号\"\n",
        "issuer_code = \"桂政令\"\n",
    ));
    assert!(d.is_empty(), "{d:#?}");
}

#[test]
fn gbt_10_2_order_has_no_doc_number_no_title_and_one_organ_signing_with_a_stamp() {
    refused(
        &order_with(
            "order_number = \"第24号\"",
            "order_number = \"第24号\"\ndoc_number = \"桂政发〔2007〕24号\"",
        ),
        "gongwen.order.doc_number",
        "doc_number",
        "令号",
    );
    refused(
        &order_with(
            "order_number = \"第24号\"",
            "order_number = \"第24号\"\ntitle = \"广西壮族自治区人民政府令\"",
        ),
        "gongwen.order.title",
        "title",
        "不编排标题",
    );
    let no_stamp = ORDER
        .split("[[signature_stamps]]")
        .next()
        .expect("head")
        .to_owned();
    refused(
        &no_stamp,
        "gongwen.order.signature_stamp",
        "signature_stamps",
        "签名章",
    );
    refused(
        &order_with(
            "[[signature_stamps]]",
            "[[issuers]]\nname = \"广西壮族自治区人民政府办公厅\"\n\n[[signature_stamps]]",
        ),
        "gongwen.order.joint",
        "issuers",
        "一个机关",
    );
}

#[test]
fn gbt_10_1_letter_drops_print_office_with_a_warning() {
    let letter = with("kind = \"请示\"", "kind = \"请示\"\nformat = \"信函\"");
    warned(&letter, "gongwen.letter.print", "print_office");
    let joint = format!(
        "{}\n[[issuers]]\nname = \"兴仁市财政局\"\nseal = \"seals/finance-bureau.png\"\n",
        letter
    );
    warned(&joint, "gongwen.letter.joint_mark", "issuer_mark");
    let starred = letter.replace("kind = \"请示\"", "kind = \"请示\"\nparty_organ = true");
    warned(&starred, "gongwen.party_organ.no_rule", "party_organ");
}

#[test]
fn gbt_8_only_tables_turn() {
    refused(
        &with(
            "body = [\"为改善基层医疗卫生服务条件，拟申请拨付设备更新资金。\", ",
            "body = [{ h1 = \"总体要求\", landscape = true }, ",
        ),
        "gongwen.body.landscape",
        "body[0].landscape",
        "只有表格可以横排",
    );
}

#[test]
fn gbt_7_2_5_doc_number_uses_the_lead_organs_code() {
    refused(
        &with(
            "doc_number = \"仁卫呈〔2026〕12号\"",
            "doc_number = \"仁财呈〔2026〕12号\"\nissuer_code = \"仁卫呈\"",
        ),
        "gongwen.doc_number.issuer_code",
        "doc_number",
        "仁财呈",
    );
    let same = diags(&with(
        "doc_number = \"仁卫呈〔2026〕12号\"",
        "doc_number = \"仁卫呈〔2026〕12号\"\nissuer_code = \"仁卫呈\"",
    ));
    assert!(same.is_empty(), "{same:#?}");
}

#[test]
fn titles_longer_than_the_stated_limit_are_refused_quickly() {
    use wenshu::prepare::title::MAX_TITLE_CHARS;
    let title = |n: usize| {
        let unit = "兴仁市卫生健康局关于进一步加强基层医疗卫生机构设备更新资金管理";
        let mut t: String = unit.chars().cycle().take(n - 3).collect();
        t.push_str("的请示");
        t
    };
    let doc = |t: &str| {
        with(
            "title = \"兴仁市卫生健康局关于拨付设备更新资金的请示\"",
            &format!("title = \"{t}\""),
        )
    };
    // At the limit: accepted.
    let at = diags(&doc(&title(MAX_TITLE_CHARS)));
    assert!(
        !at.iter().any(|d| d.code == "gongwen.title.too_long"),
        "{at:#?}"
    );
    // One past it, and a 1 MB title: refused by `check`, naming the limit; the message quotes
    // only the beginning.
    for n in [MAX_TITLE_CHARS + 1, 1 << 20] {
        let text = doc(&title(n));
        refused(
            &text,
            "gongwen.title.too_long",
            "title",
            &format!("上限 {MAX_TITLE_CHARS} 字"),
        );
        let d = diags(&text);
        assert!(d.iter().all(|d| d.message.len() < 400), "short messages");
        // The renderer refuses it before any layout.
        match common::render_toml(&text) {
            Err(wenshu::Error::Invalid { diagnostics, .. }) => assert!(
                diagnostics
                    .iter()
                    .any(|d| d.code == "gongwen.title.too_long")
            ),
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("a {n}-character title was rendered"),
        }
    }
}
