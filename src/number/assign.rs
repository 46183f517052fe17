//! Numbers from the registry for documents: issue a blank 发文字号, check a hand-typed one, and
//! record what was produced.

use chrono::Datelike;
use sha2::{Digest, Sha256};

use crate::error::Diagnostic;
use crate::model::date;
use crate::model::gongwen::{Format, Gongwen};
use crate::number::pattern;
use crate::number::registry::{DocRecord, Identity, OnChange, Registry, RegistryError};

/// The registry scheme of 发文字号.
pub const GONGWEN_SCHEME: &str = "发文";
/// 发文字号 format (GB/T 9704 §7.2.5).
pub const GONGWEN_PATTERN: &str = "{prefix}〔{year}〕{seq}号";

/// The registry scheme of 令号 (§10.2): one sequence per issuing organ, continuous across years.
pub const ORDER_SCHEME: &str = "令";
/// 令号 format.
pub const ORDER_PATTERN: &str = "第{seq}号";
/// The registry's year slot for sequences that never restart.
const NO_YEAR: i32 = 0;

/// The scheme a document's number belongs to.
fn scheme_of(doc: &Gongwen) -> &'static str {
    if doc.layout_format() == Some(Format::Order) {
        ORDER_SCHEME
    } else {
        GONGWEN_SCHEME
    }
}

/// Issues or checks the 令号 of a 命令: its own sequence per organ (`issuer_code`, else the
/// organ's name), never restarting with the year.
fn order_number(
    reg: &mut Registry,
    doc: &mut Gongwen,
    key: &str,
    on_change: OnChange,
) -> (Vec<Diagnostic>, String) {
    let identity = identity_of(doc);
    let prefix = doc
        .issuer_code
        .clone()
        .or_else(|| doc.issuers.first().map(|i| i.name().trim().to_owned()))
        .unwrap_or_default();
    let result = match doc
        .order_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => reg
            .reserve_for(
                ORDER_SCHEME,
                &prefix,
                NO_YEAR,
                key,
                &identity,
                on_change,
                ORDER_PATTERN,
            )
            .map(|issued| {
                doc.order_number = Some(issued.number);
                issued.key
            }),
        Some(typed) => match crate::validate::special::parse_order_number(typed) {
            None => Ok(key.to_owned()), // the syntax rule reports it
            Some(seq) => reg
                .claim_for(
                    ORDER_SCHEME,
                    &prefix,
                    NO_YEAR,
                    seq,
                    key,
                    &identity,
                    on_change,
                    ORDER_PATTERN,
                )
                .map(|issued| issued.key),
        },
    };
    match result {
        Ok(key) => (Vec::new(), key),
        Err(e) => (
            vec![registry_diagnostic(
                e,
                "order_number",
                "令号连续编排，不受年份影响：留空 order_number 并用 --assign-numbers 由编号库发号",
            )],
            key.to_owned(),
        ),
    }
}

/// Who the document is, beyond its key: the title (a 命令 has none: its first paragraph) and
/// the date.
pub fn identity_of(doc: &Gongwen) -> Identity {
    let title = if doc.title.trim().is_empty() {
        doc.body
            .iter()
            .find_map(|b| match b {
                crate::model::gongwen::Block::Paragraph(t) => Some(t.chars().take(60).collect()),
                _ => None,
            })
            .unwrap_or_default()
    } else {
        doc.title.trim().to_owned()
    };
    Identity::new(title, doc.date.trim())
}

/// A registry refusal as a finding on `field`, with what the office can do about it.
fn registry_diagnostic(e: RegistryError, field: &str, sequence_hint: &str) -> Diagnostic {
    let (code, hint) = match (&e, field) {
        (RegistryError::IdentityChanged(_), _) => (
            "gongwen.doc_key.reused",
            "若这是一份新公文：在数据文件中设 doc_key = \"…\"（每份公文一个），或加 --new-number 由编号库另发新号；若是对原公文标题或日期的更正：先用 wenshu number void 作废原编号，再重新生成",
        ),
        (RegistryError::Voided { .. }, "order_number") => (
            "gongwen.order_number.void",
            "作废的令号不能再用：留空 order_number 并用 --assign-numbers 取新号",
        ),
        (RegistryError::Voided { .. }, _) => (
            "gongwen.doc_number.void",
            "作废的编号不能再用：留空 doc_number 并用 --assign-numbers 取新号",
        ),
        (RegistryError::Taken { .. }, "order_number") => {
            ("gongwen.order_number.taken", sequence_hint)
        }
        (RegistryError::Taken { .. }, _) => ("gongwen.doc_number.taken", sequence_hint),
        (RegistryError::OutOfSequence { .. }, "order_number") => {
            ("gongwen.order_number.sequence", sequence_hint)
        }
        (RegistryError::OutOfSequence { .. }, _) => ("gongwen.doc_number.sequence", sequence_hint),
        (_, "order_number") => ("gongwen.order_number.registry", sequence_hint),
        _ => ("gongwen.doc_number.registry", sequence_hint),
    };
    Diagnostic::error(code, field, e.to_string()).hint(hint)
}

/// Issues or checks the 发文字号 of `doc` against the registry (the 令号 of a 命令). A blank number is issued when
/// `issuer_code` is set; a typed one must be free (or already this document's), not voided and
/// in sequence. The document is its key (`doc_key`, else `default_key`) and its title and date:
/// the same key with another title or date is refused, or numbered as a new document when
/// `on_change` says so. Returns the problems (as diagnostics on `doc_number`) and the key the
/// number is held under.
pub fn gongwen_number(
    reg: &mut Registry,
    doc: &mut Gongwen,
    default_key: &str,
    on_change: OnChange,
) -> (Vec<Diagnostic>, String) {
    let key = doc
        .doc_key
        .clone()
        .unwrap_or_else(|| default_key.to_owned());
    if scheme_of(doc) == ORDER_SCHEME {
        return order_number(reg, doc, &key, on_change);
    }
    let Ok(day) = date::parse(&doc.date) else {
        return (Vec::new(), key); // the date rule reports it
    };
    let year = day.year();
    let identity = identity_of(doc);
    let hint = "留空 doc_number 并用 --assign-numbers 由编号库发号，或改用编号库中下一个号";
    let result = match doc
        .doc_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            let Some(code) = doc.issuer_code.clone() else {
                return (
                    vec![
                        Diagnostic::error(
                            "gongwen.doc_number.no_code",
                            "issuer_code",
                            "发文字号为空，无法自动编号：缺少机关代字",
                        )
                        .hint("填写 issuer_code = \"仁府办发\""),
                    ],
                    key,
                );
            };
            reg.reserve_for(
                GONGWEN_SCHEME,
                &code,
                year,
                &key,
                &identity,
                on_change,
                GONGWEN_PATTERN,
            )
            .map(|issued| {
                doc.doc_number = Some(issued.number);
                issued.key
            })
        }
        Some(typed) => match pattern::parse(typed) {
            Err(_) => Ok(key.clone()), // the syntax rule reports it
            Ok(n) => reg
                .claim_for(
                    GONGWEN_SCHEME,
                    &n.issuer_code,
                    n.year,
                    n.sequence,
                    &key,
                    &identity,
                    on_change,
                    GONGWEN_PATTERN,
                )
                .map(|issued| issued.key),
        },
    };
    match result {
        Ok(key) => (Vec::new(), key),
        Err(e) => (vec![registry_diagnostic(e, "doc_number", hint)], key),
    }
}

/// Without `--assign-numbers`, a typed number is still checked against a registry the office
/// keeps: a voided number, or one another document holds, is refused before anything is printed.
pub fn verify_typed(reg: &mut Registry, doc: &Gongwen, default_key: &str) -> Vec<Diagnostic> {
    let (field, number) = match (&doc.order_number, &doc.doc_number) {
        (Some(n), _) if scheme_of(doc) == ORDER_SCHEME => ("order_number", n),
        (_, Some(n)) => ("doc_number", n),
        _ => return Vec::new(),
    };
    let number = number.trim();
    let key = doc.doc_key.as_deref().unwrap_or(default_key);
    let identity = identity_of(doc);
    match reg.lookup(scheme_of(doc), number) {
        Ok(None) => Vec::new(),
        Ok(Some(h)) if h.state == "void" => vec![registry_diagnostic(
            RegistryError::Voided {
                number: number.to_owned(),
                reason: h.reason,
                at: h.voided_at,
            },
            field,
            "",
        )],
        Ok(Some(h)) if h.doc_key == key || h.matches(&identity) => Vec::new(),
        Ok(Some(h)) => vec![registry_diagnostic(
            RegistryError::Taken {
                number: number.to_owned(),
                holder: h.doc_key,
                state: crate::number::registry::state_name(&h.state).into(),
                title: if h.title.is_empty() {
                    String::new()
                } else {
                    format!("，《{}》", h.title)
                },
            },
            field,
            "编号库中此号属于另一份公文：核对发文字号，或用 --assign-numbers 由编号库发号",
        )],
        Err(e) => vec![
            Diagnostic::error(
                "gongwen.doc_number.registry",
                field,
                format!("无法核对编号库：{e}"),
            )
            .hint("检查 --registry 或 WENSHU_REGISTRY"),
        ],
    }
}

/// Records a produced 公文 against its number, under the key [`gongwen_number`] returned. Call it
/// before the output is put in place: a number voided meanwhile is refused, and nothing is
/// delivered with it.
pub fn record_gongwen(
    reg: &mut Registry,
    doc: &Gongwen,
    key: &str,
    output: &str,
    pdf: &[u8],
) -> Result<String, RegistryError> {
    let record = DocRecord {
        kind: doc.kind_name().to_owned(),
        title: doc.title.clone(),
        date: doc.date.clone(),
        classification: doc.classification.clone().unwrap_or_default(),
        issuer: doc
            .issuers
            .iter()
            .map(|i| i.name().to_owned())
            .collect::<Vec<_>>()
            .join("、"),
        output: output.to_owned(),
        sha256: sha256_hex(pdf),
    };
    reg.commit(scheme_of(doc), key, &record)
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
