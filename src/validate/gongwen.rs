//! 条例 and GB/T 9704 rules on a 公文's data, checked before anything is laid out.
//!
//! Every rule runs; the validator never stops at the first problem, so the drafting office gets
//! the whole list at once. Rules that need the laid-out pages (首页显示正文, 版记 on an even page,
//! missing glyphs) live in `render::inspect`.

use std::path::Path;

use crate::error::Diagnostic;
use crate::model::date::{self, DateError};
use crate::model::gongwen::{Block, DOC_KINDS, Direction, Format, Gongwen, RichBlock};
use crate::number::pattern;
use crate::prepare::title::MAX_TITLE_CHARS;

/// Punctuation that must not end a name in the 附件说明, 主送 or 抄送 (the engine adds its own).
const TRAILING_PUNCT: &[char] = &['。', '，', '、', '；', '：', '.', ',', ';', ':', '！', '？'];

/// Checks one 公文. `base` is the data file's folder, for seal images.
pub fn validate(doc: &Gongwen, base: &Path) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    kind_and_title(doc, &mut out);
    header(doc, &mut out);
    doc_number(doc, &mut out);
    dates(doc, &mut out);
    body(doc, &mut out);
    attachments(doc, &mut out);
    seals(doc, base, &mut out);
    upward_rules(doc, &mut out);
    colophon(doc, &mut out);
    super::special::validate(doc, &mut out);
    out
}

fn kind_and_title(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    let kind = doc.kind_name();
    if !DOC_KINDS.contains(&kind) {
        out.push(
            Diagnostic::error(
                "gongwen.kind.unknown",
                "kind",
                format!(
                    "文种“{}”不是《党政机关公文处理工作条例》第八条规定的 15 种之一",
                    doc.kind
                ),
            )
            .hint(format!("可选：{}", DOC_KINDS.join("、"))),
        );
    }
    if let Some(d) = &doc.direction
        && Direction::parse(d).is_none()
    {
        out.push(
            Diagnostic::error(
                "gongwen.direction.unknown",
                "direction",
                format!("行文方向“{d}”无法识别"),
            )
            .hint("填写 上行、平行 或 下行"),
        );
    }
    let title = doc.title.trim();
    if doc.layout_format() == Some(Format::Order) {
        return; // a 命令 has no title (§10.2); special.rs reports one that is given
    }
    if title.is_empty() {
        out.push(
            Diagnostic::error("gongwen.title.empty", "title", "标题不能为空")
                .hint("标题由发文机关名称、事由和文种组成（条例第九条）"),
        );
        return;
    }
    if too_long(title, "title", out) {
        return;
    }
    let ends_with_kind = match kind {
        "命令" => title.ends_with('令'),
        k => title.ends_with(k),
    };
    if DOC_KINDS.contains(&kind) && !ends_with_kind {
        out.push(
            Diagnostic::error(
                "gongwen.title.kind_suffix",
                "title",
                format!("标题应以文种“{kind}”结尾，实为“{title}”"),
            )
            .hint("标题由发文机关名称 + 事由 + 文种组成；若文种填错，请改 kind"),
        );
    }
    if title.ends_with(TRAILING_PUNCT) {
        out.push(Diagnostic::error(
            "gongwen.title.punct",
            "title",
            "标题末尾不加标点符号",
        ));
    }
    if let Some(lines) = &doc.title_lines
        && lines.concat() != title
    {
        out.push(
            Diagnostic::error(
                "gongwen.title.lines",
                "title_lines",
                "标题分行连起来与标题不一致",
            )
            .hint("title_lines 只能在标题中间断行，不能增删文字"),
        );
    }
}

/// A title longer than [`MAX_TITLE_CHARS`] is refused before layout (the line-breaking search is
/// bounded by it, and no 版头 leaves room for a longer one on page 1). Reports and returns true.
fn too_long(title: &str, field: &str, out: &mut Vec<Diagnostic>) -> bool {
    let n = title.chars().count();
    if n <= MAX_TITLE_CHARS {
        return false;
    }
    let start: String = title.chars().take(20).collect();
    out.push(
        Diagnostic::error(
            "gongwen.title.too_long",
            field,
            format!("标题共 {n} 字，超过上限 {MAX_TITLE_CHARS} 字（“{start}…”）"),
        )
        .hint(format!(
            "标题应简明概括主要内容（§7.3.1）；请压缩到 {MAX_TITLE_CHARS} 字以内"
        )),
    );
    true
}

fn header(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    if doc.issuers.is_empty() {
        out.push(
            Diagnostic::error("gongwen.issuers.empty", "issuers", "至少需要一个发文机关")
                .hint("在 issuers 中填写发文机关全称"),
        );
    }
    for (i, issuer) in doc.issuers.iter().enumerate() {
        if issuer.name().trim().is_empty() {
            out.push(Diagnostic::error(
                "gongwen.issuers.empty_name",
                format!("issuers[{i}].name"),
                "发文机关名称不能为空",
            ));
        }
    }
    if let Some(n) = &doc.copy_number {
        let ok = n.chars().count() == crate::gbt9704::COPY_NUMBER_DIGITS
            && n.chars().all(|c| c.is_ascii_digit());
        if !ok {
            out.push(
                Diagnostic::error(
                    "gongwen.copy_number.format",
                    "copy_number",
                    format!("份号应为 6 位阿拉伯数字（GB/T 9704 §7.2.1），实为“{n}”"),
                )
                .hint("不足 6 位时前面补 0，例如 000123"),
            );
        }
    }
    match doc.classification.as_deref().map(str::trim) {
        None | Some("") => {
            if doc.secrecy_period.is_some() {
                out.push(
                    Diagnostic::error(
                        "gongwen.secrecy_period.orphan",
                        "secrecy_period",
                        "有保密期限却没有密级",
                    )
                    .hint("填写 classification（绝密/机密/秘密），或删除保密期限"),
                );
            }
        }
        Some(c) => {
            if !matches!(c, "绝密" | "机密" | "秘密") {
                out.push(
                    Diagnostic::error(
                        "gongwen.classification.value",
                        "classification",
                        format!("密级“{c}”无效（条例第九条）"),
                    )
                    .hint("可选：绝密、机密、秘密"),
                );
            }
            if doc.copy_number.is_none() {
                out.push(
                    Diagnostic::error(
                        "gongwen.copy_number.required",
                        "copy_number",
                        "涉密公文应当标注份号（条例第九条）",
                    )
                    .hint("填写 6 位份号，例如 000001"),
                );
            }
        }
    }
    if let Some(p) = &doc.secrecy_period
        && p.chars().any(|c| "一二三四五六七八九十".contains(c))
    {
        out.push(
            Diagnostic::error(
                "gongwen.secrecy_period.digits",
                "secrecy_period",
                format!("保密期限中的数字应使用阿拉伯数字（§7.2.2），实为“{p}”"),
            )
            .hint("例如 1年、10年"),
        );
    }
    if let Some(u) = &doc.urgency
        && !matches!(u.trim(), "特急" | "加急")
    {
        out.push(
            Diagnostic::error(
                "gongwen.urgency.value",
                "urgency",
                format!("紧急程度“{u}”无效（条例第九条）"),
            )
            .hint("公文可选：特急、加急"),
        );
    }
    if let Some(names) = &doc.issuer_mark.names
        && names.is_empty()
    {
        out.push(Diagnostic::error(
            "gongwen.issuer_mark.empty",
            "issuer_mark.names",
            "发文机关标志文字为空",
        ));
    }
}

fn doc_number(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    let Some(raw) = &doc.doc_number else {
        if !matches!(doc.layout_format(), Some(Format::Minutes | Format::Order)) {
            out.push(
                Diagnostic::warning("gongwen.doc_number.missing", "doc_number", "没有发文字号")
                    .hint("通用格式公文一般应标注发文字号"),
            );
        }
        return;
    };
    match pattern::parse(raw) {
        Err(e) => out.push(
            Diagnostic::error(
                "gongwen.doc_number.format",
                "doc_number",
                format!("发文字号“{raw}”不规范：{}（GB/T 9704 §7.2.5）", e.message()),
            )
            .hint("格式：机关代字〔年份〕顺序号号，例如 仁府办发〔2020〕79号"),
        ),
        Ok(n) => {
            if let Ok(d) = date::parse(&doc.date) {
                use chrono::Datelike;
                if d.year() != n.year {
                    out.push(
                        Diagnostic::error(
                            "gongwen.doc_number.year",
                            "doc_number",
                            format!("发文字号年份 {} 与成文日期年份 {} 不一致", n.year, d.year()),
                        )
                        .hint("发文字号按成文日期所在年度编号"),
                    );
                }
            }
            if doc.direction() == Direction::Upward && n.issuer_code.ends_with('发') {
                out.push(
                    Diagnostic::error(
                        "gongwen.doc_number.upward_fa",
                        "doc_number",
                        format!(
                            "上报的{}，其发文字号“{raw}”不得带“发”字（退文情形第 9 项）",
                            doc.kind_name()
                        ),
                    )
                    .hint("上行文使用“呈”“请”“报”等代字，例如 仁卫呈〔2026〕3号"),
                );
            }
            // The 字号 belongs to the organ whose 代字 the office gave (the 主办机关 of a joint
            // document, §7.2.5 "联合行文时，使用主办机关的发文字号").
            if let Some(code) = doc.issuer_code.as_deref().map(str::trim)
                && !code.is_empty()
                && code != n.issuer_code
            {
                out.push(
                    Diagnostic::error(
                        "gongwen.doc_number.issuer_code",
                        "doc_number",
                        format!(
                            "发文字号的机关代字“{}”与 issuer_code“{code}”不一致",
                            n.issuer_code
                        ),
                    )
                    .hint("联合行文使用主办机关的发文字号；issuer_code 填主办机关的代字"),
                );
            }
        }
    }
}

fn date_rule(field: &str, value: &str, what: &str, out: &mut Vec<Diagnostic>) {
    if let Err(e) = date::parse(value) {
        let why = match e {
            DateError::Shape => "应写作“2026年12月1日”（年月日用阿拉伯数字标全）",
            DateError::LeadingZero => "月、日不编虚位（1 不编为 01）",
            DateError::NotACalendarDate => "不是一个真实存在的日期",
        };
        out.push(
            Diagnostic::error(
                "gongwen.date.format",
                field,
                format!("{what}“{value}”不规范：{why}（GB/T 9704 §7.3.5.4）"),
            )
            .hint("例如 2026年3月5日"),
        );
    }
}

fn dates(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    date_rule("date", &doc.date, "成文日期", out);
    if let Some(p) = &doc.print_date {
        date_rule("print_date", p, "印发日期", out);
        if let (Ok(a), Ok(b)) = (date::parse(&doc.date), date::parse(p))
            && b < a
        {
            out.push(
                Diagnostic::error(
                    "gongwen.print_date.before",
                    "print_date",
                    format!("印发日期 {p} 早于成文日期 {}", doc.date),
                )
                .hint("印发日期是公文送印的日期，不能早于成文日期"),
            );
        }
    }
}

fn body(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    if doc.body.is_empty() {
        out.push(Diagnostic::error(
            "gongwen.body.empty",
            "body",
            "正文不能为空（公文首页必须显示正文，§7.3.3）",
        ));
    }
    blocks(&doc.body, "body", out);
    for (i, r) in doc.recipients.iter().enumerate() {
        if r.trim().ends_with(TRAILING_PUNCT) {
            out.push(
                Diagnostic::error(
                    "gongwen.recipients.punct",
                    format!("recipients[{i}]"),
                    format!("主送机关“{r}”末尾不要加标点"),
                )
                .hint("机关之间的顿号、逗号和末尾的全角冒号由系统按 §7.3.2 添加"),
            );
        }
    }
}

/// Checks a list of body blocks (正文 or an 附件's content).
fn blocks(list: &[Block], path: &str, out: &mut Vec<Diagnostic>) {
    let half_width = crate::regexes::get(r"[\p{Han}][,;:?!]|[,;:?!][\p{Han}]");
    for (i, b) in list.iter().enumerate() {
        let field = format!("{path}[{i}]");
        match b {
            Block::Paragraph(t) => {
                if t.trim().is_empty() {
                    out.push(
                        Diagnostic::error("gongwen.body.empty_paragraph", &field, "空段落")
                            .hint("删除这一项"),
                    );
                }
                if let Some(re) = &half_width
                    && re.is_match(t)
                {
                    out.push(Diagnostic::warning(
                        "gongwen.body.half_width_punct",
                        &field,
                        "中文之间使用了半角标点（GB/T 15834 要求全角）",
                    ));
                }
            }
            Block::Rich(r) => rich_block(r, &field, out),
        }
    }
}

fn rich_block(r: &RichBlock, field: &str, out: &mut Vec<Diagnostic>) {
    let kinds = [
        r.h1.is_some(),
        r.h2.is_some(),
        r.h3.is_some(),
        r.h4.is_some(),
        r.table.is_some(),
    ];
    if kinds.iter().filter(|k| **k).count() != 1 {
        out.push(
            Diagnostic::error("gongwen.body.block_kind", field, "每一项只能是一个标题（h1–h4）或一个表格")
                .hint("例如 { h1 = \"总体要求\" } 或 { h2 = \"加强领导。\", text = \"……\" } 或 { table = [[\"项目\", \"金额\"]] }"),
        );
        return;
    }
    if r.landscape && r.table.is_none() {
        out.push(
            Diagnostic::error(
                "gongwen.body.landscape",
                format!("{field}.landscape"),
                "只有表格可以横排（§8）",
            )
            .hint("把 landscape = true 写在表格项上，或在附件上设 landscape = true 使整个附件横排"),
        );
    }
    if let Some(rows) = &r.table {
        let width = rows.first().map_or(0, Vec::len);
        if rows.is_empty() || width == 0 {
            out.push(Diagnostic::error(
                "gongwen.table.empty",
                field,
                "表格没有内容",
            ));
        } else if let Some(bad) = rows.iter().position(|row| row.len() != width) {
            out.push(
                Diagnostic::error(
                    "gongwen.table.ragged",
                    format!("{field}.table[{bad}]"),
                    format!(
                        "表格第 {} 行有 {} 列，第 1 行有 {width} 列",
                        bad + 1,
                        rows[bad].len()
                    ),
                )
                .hint("每行的单元格数必须相同；空单元格写 \"\""),
            );
        }
        if let Some(c) = &r.columns
            && (c.len() != width || c.iter().any(|w| !(w.is_finite() && *w > 0.0)))
        {
            out.push(Diagnostic::error(
                "gongwen.table.columns",
                format!("{field}.columns"),
                format!("列宽应为 {width} 个正数"),
            ));
        }
        if r.header_rows.is_some_and(|h| h > rows.len()) {
            out.push(Diagnostic::error(
                "gongwen.table.header_rows",
                format!("{field}.header_rows"),
                "表头行数超过了表格行数",
            ));
        }
    } else if r.text.is_none()
        && [&r.h1, &r.h2, &r.h3, &r.h4]
            .iter()
            .any(|h| h.as_deref().is_some_and(|t| t.trim().is_empty()))
    {
        out.push(Diagnostic::error(
            "gongwen.body.empty_heading",
            field,
            "标题文字为空",
        ));
    }
}

fn attachments(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    let note = doc.attachment_note_lines();
    for (i, line) in note.iter().enumerate() {
        if line.trim().ends_with(TRAILING_PUNCT) {
            out.push(
                Diagnostic::error(
                    "gongwen.attachment_note.punct",
                    format!("attachment_note[{i}]"),
                    format!("附件名称“{line}”后不加标点符号（§7.3.4）"),
                )
                .hint("删去末尾的标点"),
            );
        }
        if line.trim().is_empty() {
            out.push(Diagnostic::error(
                "gongwen.attachment_note.empty",
                format!("attachment_note[{i}]"),
                "附件名称为空",
            ));
        }
    }
    if doc.attachment_note.is_some() && !doc.attachments.is_empty() {
        if note.len() != doc.attachments.len() {
            out.push(
                Diagnostic::error(
                    "gongwen.attachments.count",
                    "attachments",
                    format!(
                        "附件说明列了 {} 个附件，实际附件有 {} 个（§7.3.7）",
                        note.len(),
                        doc.attachments.len()
                    ),
                )
                .hint("附件说明与附件的数量、顺序和名称必须一致"),
            );
        }
        for (i, (n, a)) in note.iter().zip(&doc.attachments).enumerate() {
            if n.trim() != a.title.trim() {
                let moved = note.iter().any(|x| x.trim() == a.title.trim());
                let (code, why) = if moved {
                    ("gongwen.attachments.order", "顺序不一致")
                } else {
                    ("gongwen.attachments.title", "名称不一致")
                };
                out.push(
                    Diagnostic::error(
                        code,
                        format!("attachments[{i}].title"),
                        format!(
                            "附件 {} 的标题“{}”与附件说明第 {} 项“{n}”{why}（§7.3.7）",
                            i + 1,
                            a.title,
                            i + 1
                        ),
                    )
                    .hint("附件顺序号和附件标题应当与附件说明的表述一致"),
                );
            }
        }
    }
    for (i, a) in doc.attachments.iter().enumerate() {
        too_long(a.title.trim(), &format!("attachments[{i}].title"), out);
        blocks(&a.body, &format!("attachments[{i}].body"), out);
    }
}

fn seals(doc: &Gongwen, base: &Path, out: &mut Vec<Diagnostic>) {
    let limits = crate::limits::get();
    for (i, st) in doc.signature_stamps.iter().enumerate() {
        let path = base.join(&st.image);
        if !path.is_file() {
            out.push(
                Diagnostic::error(
                    "gongwen.signature_stamp.file",
                    format!("signature_stamps[{i}].image"),
                    format!("找不到签名章图片 {}", path.display()),
                )
                .hint("路径相对于数据文件所在目录"),
            );
        } else if let Err(e) = crate::ingest::image::read(&path, &limits) {
            out.push(
                Diagnostic::error(
                    "gongwen.signature_stamp.image",
                    format!("signature_stamps[{i}].image"),
                    format!("签名章图片 {}：{e}", path.display()),
                )
                .hint("使用 PNG 或 SVG 格式、尺寸合理（如 600 dpi 扫描）的签名章图片"),
            );
        }
        if st.title.trim().is_empty() {
            out.push(Diagnostic::error(
                "gongwen.signature_stamp.title",
                format!("signature_stamps[{i}].title"),
                "签名章左侧应标注签发人职务（§7.3.5.3）",
            ));
        }
    }
    let sealed = doc.issuers.iter().filter(|i| i.seal().is_some()).count();
    // A 签发人签名章 takes the place of the organ's seal (§7.3.5.3).
    // A 命令 is signed with the 签名章 (special.rs demands it).
    let exempt = matches!(doc.layout_format(), Some(Format::Minutes | Format::Order))
        || doc.general_distribution
        || !doc.signature_stamps.is_empty();
    if sealed == 0 && !exempt && !doc.issuers.is_empty() {
        out.push(
            Diagnostic::error("gongwen.seal.required", "issuers", "有发文机关署名的公文应当加盖发文机关印章（条例第九条第十三项）")
                .hint("为每个发文机关填写 seal = \"印章图片.png\"；有特定发文机关标志的普发性公文可设 general_distribution = true"),
        );
    }
    if sealed > 0 && sealed < doc.issuers.len() {
        out.push(
            Diagnostic::error(
                "gongwen.seal.partial",
                "issuers",
                format!(
                    "联合行文有 {} 个发文机关，只有 {sealed} 个有印章",
                    doc.issuers.len()
                ),
            )
            .hint("每个署名机关都要加盖印章，印章与署名机关相符（§7.3.5.1）"),
        );
    }
    for (i, issuer) in doc.issuers.iter().enumerate() {
        if let Some(seal) = issuer.seal() {
            let path = base.join(seal);
            if !path.is_file() {
                out.push(
                    Diagnostic::error(
                        "gongwen.seal.file",
                        format!("issuers[{i}].seal"),
                        format!("找不到印章图片 {}", path.display()),
                    )
                    .hint("路径相对于数据文件所在目录"),
                );
            } else {
                match crate::ingest::image::read(&path, &limits) {
                    Err(e) => out.push(
                        Diagnostic::error(
                            "gongwen.seal.image",
                            format!("issuers[{i}].seal"),
                            format!("印章图片 {}：{e}", path.display()),
                        )
                        .hint("印章图片应为 PNG、JPEG 或 SVG，尺寸合理（42 mm 的印章 600 dpi 扫描约 1000×1000 像素）"),
                    ),
                    Ok(img)
                        if !matches!(
                            img.kind,
                            crate::ingest::image::Kind::Png
                                | crate::ingest::image::Kind::Jpeg
                                | crate::ingest::image::Kind::Svg
                        ) =>
                    {
                        out.push(Diagnostic::error(
                            "gongwen.seal.format",
                            format!("issuers[{i}].seal"),
                            "印章图片应为 PNG、JPEG 或 SVG",
                        ));
                    }
                    Ok(_) => {}
                }
            }
        }
        if let Some(d) = issuer.seal_diameter_mm()
            && !(20.0..=60.0).contains(&d)
        {
            out.push(
                Diagnostic::error(
                    "gongwen.seal.diameter",
                    format!("issuers[{i}].seal_diameter_mm"),
                    format!("印章直径 {d} mm 不合理"),
                )
                .hint("常见为 40–45 mm"),
            );
        }
    }
}

/// 上行文 rules of 条例 §9(六) and the 退文 grounds of seed 001 (catalog B X-42, X-44).
fn upward_rules(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    let kind = doc.kind_name();
    let upward = doc.direction() == Direction::Upward;
    if upward && doc.signers.iter().all(|s| s.trim().is_empty()) {
        out.push(
            Diagnostic::error(
                "gongwen.signers.required",
                "signers",
                format!("上行文应当标注签发人（条例第九条第六项），本文为上行{kind}"),
            )
            .hint("填写 signers = [\"签发人姓名\"]"),
        );
    }
    if upward && matches!(kind, "请示" | "报告") {
        let note = doc.note.as_deref().unwrap_or("");
        let phone = crate::regexes::is_match(r"\d{3,4}-?\d{7,8}|1[3-9]\d{9}", note);
        if !note.contains("联系人") || !phone {
            out.push(
                Diagnostic::error(
                    "gongwen.note.contact",
                    "note",
                    format!("报送上级的{kind}应在附注处注明联系人及联系电话（退文情形第 4 项）"),
                )
                .hint("例如 note = \"联系人：王某某，联系电话：0859-1234567\""),
            );
        }
    }
    let text = all_text(doc);
    if kind == "请示" {
        let verbs = crate::regexes::get("申请|请求|恳请")
            .map(|re| re.find_iter(&doc.title).count())
            .unwrap_or(0);
        let joined =
            doc.title.contains("和") || doc.title.contains("及") || doc.title.contains("并");
        if verbs >= 2
            || (verbs >= 1
                && joined
                && doc.title.matches("经费").count() + doc.title.matches("事项").count() >= 2)
        {
            out.push(
                Diagnostic::error(
                    "gongwen.qingshi.one_matter",
                    "title",
                    "请示应当一文一事（退文情形第 3 项）：标题含有多个请求事项",
                )
                .hint("每个请求事项单独行文"),
            );
        }
    }
    if kind == "报告" {
        for phrase in [
            "请批示",
            "请审批",
            "请予批准",
            "妥否，请",
            "请批复",
            "当否，请",
        ] {
            if text.contains(phrase) {
                out.push(
                    Diagnostic::error(
                        "gongwen.baogao.request",
                        "body",
                        format!("报告中不得夹带请示事项（退文情形第 3 项）：出现“{phrase}”"),
                    )
                    .hint("需要上级答复的事项请另行请示"),
                );
                break;
            }
        }
    }
}

fn colophon(doc: &Gongwen, out: &mut Vec<Diagnostic>) {
    for (i, c) in doc.cc.iter().enumerate() {
        if c.trim().ends_with(TRAILING_PUNCT) {
            out.push(
                Diagnostic::error(
                    "gongwen.cc.punct",
                    format!("cc[{i}]"),
                    format!("抄送机关“{c}”末尾不要加标点"),
                )
                .hint("机关之间的顿号和最后的句号“。”由系统按 §7.4.2 添加"),
            );
        }
    }
    if doc.print_office.is_some() != doc.print_date.is_some() {
        out.push(Diagnostic::error(
            "gongwen.print.pair",
            "print_office",
            "印发机关和印发日期应同时填写（§7.4.3）",
        ));
    }
}

fn all_text(doc: &Gongwen) -> String {
    let mut s = String::new();
    for b in &doc.body {
        match b {
            Block::Paragraph(t) => s.push_str(t),
            Block::Rich(r) => {
                for t in [&r.h1, &r.h2, &r.h3, &r.h4, &r.text].into_iter().flatten() {
                    s.push_str(t);
                }
            }
        }
    }
    s
}
