//! Numbers from the registry for documents: issue a blank 发文字号, check a hand-typed one, and
//! record what was produced.

use chrono::Datelike;
use sha2::{Digest, Sha256};

use crate::error::Diagnostic;
use crate::model::date;
use crate::model::gongwen::{Format, Gongwen};
use crate::number::pattern;
use crate::number::registry::{DocRecord, Registry, RegistryError};

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
fn order_number(reg: &mut Registry, doc: &mut Gongwen, key: &str) -> Vec<Diagnostic> {
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
            .reserve(ORDER_SCHEME, &prefix, NO_YEAR, key, ORDER_PATTERN)
            .map(|issued| doc.order_number = Some(issued.number)),
        Some(typed) => match crate::validate::special::parse_order_number(typed) {
            None => Ok(()), // the syntax rule reports it
            Some(seq) => reg
                .claim(ORDER_SCHEME, &prefix, NO_YEAR, seq, key, ORDER_PATTERN)
                .map(|_| ()),
        },
    };
    match result {
        Ok(()) => Vec::new(),
        Err(e) => {
            let code = match e {
                RegistryError::Taken { .. } => "gongwen.order_number.taken",
                RegistryError::OutOfSequence { .. } => "gongwen.order_number.sequence",
                _ => "gongwen.order_number.registry",
            };
            vec![Diagnostic::error(code, "order_number", e.to_string()).hint(
                "令号连续编排，不受年份影响：留空 order_number 并用 --assign-numbers 由编号库发号",
            )]
        }
    }
}

/// Issues or checks the 发文字号 of `doc` against the registry (the 令号 of a 命令). A blank number is issued when
/// `issuer_code` is set; a typed one must be free (or already this document's) and in sequence.
/// Problems come back as diagnostics on `doc_number`.
pub fn gongwen_number(reg: &mut Registry, doc: &mut Gongwen, default_key: &str) -> Vec<Diagnostic> {
    let key = doc
        .doc_key
        .clone()
        .unwrap_or_else(|| default_key.to_owned());
    if scheme_of(doc) == ORDER_SCHEME {
        return order_number(reg, doc, &key);
    }
    let Ok(day) = date::parse(&doc.date) else {
        return Vec::new(); // the date rule reports it
    };
    let year = day.year();
    let registry_error = |e: RegistryError| {
        let code = match e {
            RegistryError::Taken { .. } => "gongwen.doc_number.taken",
            RegistryError::OutOfSequence { .. } => "gongwen.doc_number.sequence",
            _ => "gongwen.doc_number.registry",
        };
        vec![
            Diagnostic::error(code, "doc_number", e.to_string())
                .hint("留空 doc_number 并用 --assign-numbers 由编号库发号，或改用编号库中下一个号"),
        ]
    };
    match doc
        .doc_number
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => {
            let Some(code) = doc.issuer_code.clone() else {
                return vec![
                    Diagnostic::error(
                        "gongwen.doc_number.no_code",
                        "issuer_code",
                        "发文字号为空，无法自动编号：缺少机关代字",
                    )
                    .hint("填写 issuer_code = \"仁府办发\""),
                ];
            };
            match reg.reserve(GONGWEN_SCHEME, &code, year, &key, GONGWEN_PATTERN) {
                Ok(issued) => {
                    doc.doc_number = Some(issued.number);
                    Vec::new()
                }
                Err(e) => registry_error(e),
            }
        }
        Some(typed) => match pattern::parse(typed) {
            Err(_) => Vec::new(), // the syntax rule reports it
            Ok(n) => match reg.claim(
                GONGWEN_SCHEME,
                &n.issuer_code,
                n.year,
                n.sequence,
                &key,
                GONGWEN_PATTERN,
            ) {
                Ok(_) => Vec::new(),
                Err(e) => registry_error(e),
            },
        },
    }
}

/// Records a produced 公文 against its number.
pub fn record_gongwen(
    reg: &mut Registry,
    doc: &Gongwen,
    default_key: &str,
    output: &str,
    pdf: &[u8],
) -> Result<(), RegistryError> {
    let key = doc
        .doc_key
        .clone()
        .unwrap_or_else(|| default_key.to_owned());
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
    reg.commit(scheme_of(doc), &key, &record)
}

/// SHA-256 of bytes, lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
