//! Rules of the special formats of GB/T 9704 §10 (信函, 命令, 纪要), checked before layout.

use crate::error::Diagnostic;
use crate::model::gongwen::{Format, Gongwen};

/// 令号 (§10.2): `第N号`, N without leading zeros.
pub fn parse_order_number(text: &str) -> Option<u32> {
    let digits = text.trim().strip_prefix('第')?.strip_suffix('号')?;
    if digits.is_empty() || digits.starts_with('0') || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

/// Checks the choice of format and what each special format requires or cannot print.
pub fn validate(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    let kind = doc.kind_name();
    let Some(format) = doc.layout_format() else {
        out.push(
            Diagnostic::error(
                "gongwen.format.unknown",
                "format",
                format!(
                    "格式“{}”无法识别",
                    doc.format.as_deref().unwrap_or_default()
                ),
            )
            .hint(format!("可选：{}", Format::NAMES.join("、"))),
        );
        return;
    };
    match (format, kind) {
        (Format::Order, k) if k != "命令" => out.push(
            Diagnostic::error(
                "gongwen.format.kind",
                "format",
                format!("命令格式只用于命令（令），本文文种为“{k}”（§10.2）"),
            )
            .hint("删去 format，或把 kind 改为 命令"),
        ),
        (Format::Minutes, k) if k != "纪要" => out.push(
            Diagnostic::error(
                "gongwen.format.kind",
                "format",
                format!("纪要格式只用于纪要，本文文种为“{k}”（§10.3）"),
            )
            .hint("删去 format，或把 kind 改为 纪要"),
        ),
        (Format::General | Format::Letter, "纪要") => out.push(
            Diagnostic::error(
                "gongwen.format.kind",
                "format",
                "纪要应使用纪要格式（§10.3）",
            )
            .hint("删去 format，纪要自动使用纪要格式"),
        ),
        _ => {}
    }
    if format != Format::Order && doc.order_number.is_some() {
        out.push(
            Diagnostic::error(
                "gongwen.order_number.not_order",
                "order_number",
                "只有命令格式的公文编排令号（§10.2）",
            )
            .hint("其他公文用 doc_number（发文字号）"),
        );
    }
    if doc.party_organ && matches!(format, Format::Letter | Format::Order) {
        out.push(
            Diagnostic::warning(
                "gongwen.party_organ.no_rule",
                "party_organ",
                "信函格式和命令格式没有版头分隔线，红色五角星不印",
            )
            .hint("党的机关的五角星印在通用格式的版头分隔线上"),
        );
    }
    match format {
        Format::Order => order(doc, out),
        Format::Letter => letter(doc, out),
        Format::General | Format::Minutes => {}
    }
}

fn order(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    match doc.order_number.as_deref().map(str::trim) {
        None | Some("") if doc.issuer_code.is_none() => out.push(
            Diagnostic::error("gongwen.order_number.missing", "order_number", "命令缺少令号（§10.2）")
                .hint("填写 order_number = \"第24号\"，或填写 issuer_code 并用 --assign-numbers 由编号库按令号序列发号"),
        ),
        None | Some("") => {}
        Some(n) if parse_order_number(n).is_none() => out.push(
            Diagnostic::error(
                "gongwen.order_number.format",
                "order_number",
                format!("令号“{n}”不规范（§10.2）"),
            )
            .hint("格式：第N号，阿拉伯数字，不编虚位，例如 第24号"),
        ),
        Some(_) => {}
    }
    if doc.doc_number.is_some() {
        out.push(
            Diagnostic::error(
                "gongwen.order.doc_number",
                "doc_number",
                "命令格式以令号代替发文字号，不再标注发文字号（§10.2）",
            )
            .hint("把编号写在 order_number，例如 第24号"),
        );
    }
    if !doc.title.trim().is_empty() {
        out.push(
            Diagnostic::error(
                "gongwen.order.title",
                "title",
                "命令格式不编排标题：标志下是令号，令号下直接是正文（§10.2）",
            )
            .hint("删去 title；需要标题的命令（如嘉奖令）请用 format = \"通用\""),
        );
    }
    if doc.signature_stamps.is_empty() {
        out.push(
            Diagnostic::error(
                "gongwen.order.signature_stamp",
                "signature_stamps",
                "命令应由签发人署名：签发人职务、签名章和成文日期（§10.2、§7.3.5.3）",
            )
            .hint("填写 [[signature_stamps]] title = \"主席\" image = \"签名章.png\""),
        );
    }
    if doc.issuers.len() > 1 {
        out.push(
            Diagnostic::error(
                "gongwen.order.joint",
                "issuers",
                "命令格式的标志是一个机关的全称加“令”或“命令”（§10.2）",
            )
            .hint("命令只列一个发文机关"),
        );
    }
}

fn letter(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    if doc.print_office.is_some() || doc.print_date.is_some() {
        out.push(
            Diagnostic::warning(
                "gongwen.letter.print",
                "print_office",
                "信函格式的版记不加印发机关和印发日期（§10.1），已略去",
            )
            .hint("删去 print_office 和 print_date"),
        );
    }
    if doc.issuers.len() > 1 && !doc.issuer_mark.lead_only {
        // A letterhead names one organ; joint 函 usually carry only the 主办机关's.
        out.push(
            Diagnostic::warning(
                "gongwen.letter.joint_mark",
                "issuer_mark",
                "信函格式的标志通常只用主办机关名称",
            )
            .hint("设 issuer_mark.lead_only = true"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::parse_order_number;

    #[test]
    fn order_numbers() {
        assert_eq!(parse_order_number("第24号"), Some(24));
        assert_eq!(parse_order_number(" 第1号 "), Some(1));
        assert_eq!(parse_order_number("第024号"), None);
        assert_eq!(parse_order_number("24号"), None);
        assert_eq!(parse_order_number("第二十四号"), None);
    }
}
