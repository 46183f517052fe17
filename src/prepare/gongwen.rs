//! 公文 model → `/data.json` for `templates/gongwen`.

use std::path::Path;

use serde_json::{Value, json};

use crate::error::Result;
use crate::gbt9704::{SEAL_DIAMETER_MM, SIZE_NO2_PT, TYPE_AREA_WIDTH_MM, mm_to_pt};
use crate::model::date;
use crate::model::gongwen::{Block, Direction, Format, Gongwen};
use crate::prepare::numbering::Counter;
use crate::prepare::title;

/// Layout data plus the files (seal images) it refers to, served to Typst under `/assets/`.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The `/data.json` value.
    pub data: Value,
    /// Virtual path → bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// A 附注 in parentheses (§7.3.6). Outer parentheses the office typed are not doubled; a final
/// `）` that closes a parenthesis inside the text stays (“……（办公室）” → “（……（办公室））”).
pub fn note_text(note: &str) -> String {
    let t = note.trim();
    format!("（{}）", strip_outer_parens(t).unwrap_or(t))
}

/// `t` without its outer parentheses, when the first character opens a pair that the last
/// character closes.
fn strip_outer_parens(t: &str) -> Option<&str> {
    let first = t.chars().next()?;
    if !matches!(first, '(' | '（') {
        return None;
    }
    let mut depth = 0usize;
    for (i, c) in t.char_indices() {
        match c {
            '(' | '（' => depth += 1,
            ')' | '）' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    // The pair opened first closes here: outer only if this is the end.
                    return (i + c.len_utf8() == t.len()).then(|| t[first.len_utf8()..i].trim());
                }
            }
            _ => {}
        }
    }
    None
}

/// `第一条`, `第十二章`, `第3节` … at the start of a paragraph is followed by one full-width space
/// (as 法规 and 规章 are set), whatever spacing the office typed.
fn article_space(text: &str) -> String {
    static ARTICLE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            r"^(第[一二三四五六七八九十百千零〇两0-9０-９]+[条章节款编])[\s\u{3000}]+",
        )
        .expect("article pattern")
    });
    ARTICLE.replace(text, "$1\u{3000}").into_owned()
}

/// Title lines fit in this many 2号 em (156 mm / 22 pt ≈ 20.1), less one em so that the width
/// estimate of digits and Latin letters can never make Typst wrap a line the engine chose.
fn title_max_em() -> f64 {
    (mm_to_pt(TYPE_AREA_WIDTH_MM) / SIZE_NO2_PT).floor() - 1.0
}

/// Builds the layout data. `base` is the data file's folder (seal paths are relative to it).
/// Call only on a document that passed validation.
pub fn prepare(doc: &Gongwen, base: &Path) -> Result<Prepared> {
    let mut assets = Vec::new();
    let kind = doc.kind_name();

    let classification =
        doc.classification
            .as_deref()
            .map(|c| match doc.secrecy_period.as_deref() {
                Some(p) if !p.trim().is_empty() => format!("{}★{}", c.trim(), p.trim()),
                _ => c.trim().to_owned(),
            });

    let mark_names: Vec<String> = match &doc.issuer_mark.names {
        Some(n) => n.clone(),
        None if doc.issuer_mark.lead_only => doc
            .issuers
            .iter()
            .take(1)
            .map(|i| i.mark_name().to_owned())
            .collect(),
        None => doc
            .issuers
            .iter()
            .map(|i| i.mark_name().to_owned())
            .collect(),
    };
    let suffix = doc
        .issuer_mark
        .suffix
        .clone()
        .unwrap_or_else(|| match kind {
            "函" => String::new(),
            "纪要" => "纪要".to_owned(),
            // §10.2: the organ's full name + 令 (or 命令, given as the suffix).
            "命令" => "令".to_owned(),
            _ => "文件".to_owned(),
        });

    let format = doc.layout_format().unwrap_or(Format::General);
    // The document's own issuer names never break (titles, 署名).
    let extra: Vec<&str> = doc
        .issuers
        .iter()
        .flat_map(|i| [i.name().trim(), i.mark_name().trim()])
        .collect();
    let title_lines = match &doc.title_lines {
        Some(lines) => lines.clone(),
        None if doc.title.trim().is_empty() => Vec::new(),
        None => title::balance(&doc.title, title_max_em(), &extra),
    };

    let recipients = (!doc.recipients.is_empty()).then(|| {
        format!(
            "{}：",
            doc.recipients
                .iter()
                .map(|r| r.trim())
                .collect::<Vec<_>>()
                .join("、")
        )
    });

    let note_lines = doc.attachment_note_lines();
    let attachment_note: Vec<Value> = if note_lines.len() == 1 {
        vec![json!({"number": "", "name": note_lines[0].trim()})]
    } else {
        note_lines
            .iter()
            .enumerate()
            .map(|(i, n)| json!({"number": format!("{}.", i + 1), "name": n.trim()}))
            .collect()
    };

    let date_text = date::parse(&doc.date)
        .map(date::format)
        .unwrap_or_else(|_| doc.date.clone());
    let sealed = !doc.issuers.is_empty() && doc.issuers.iter().all(|i| i.seal().is_some());
    let mut signature_issuers = Vec::new();
    for (i, issuer) in doc.issuers.iter().enumerate() {
        let seal = match issuer.seal() {
            Some(rel) if sealed => {
                let (vpath, bytes) = crate::prepare::read_asset(base, rel, &format!("seal-{i}"))?;
                assets.push((vpath.clone(), bytes));
                Some(vpath)
            }
            _ => None,
        };
        let name = issuer.name().trim();
        // The fewest lines first; the template takes the first that fits its column.
        let lines: Vec<Vec<String>> = (1..=3).map(|k| title::split_even(name, k, &[])).collect();
        signature_issuers.push(json!({
            "name": name,
            "lines": lines,
            "seal": seal,
            "diameter_mm": issuer.seal_diameter_mm().unwrap_or(SEAL_DIAMETER_MM),
        }));
    }

    let mut stamps = Vec::new();
    for (i, st) in doc.signature_stamps.iter().enumerate() {
        let (vpath, bytes) = crate::prepare::read_asset(base, &st.image, &format!("stamp-{i}"))?;
        assets.push((vpath.clone(), bytes));
        stamps.push(json!({"title": st.title.trim(), "image": vpath, "width_mm": st.width_mm.unwrap_or(30.0)}));
    }

    let attendance: Vec<Value> = [("出席", &doc.attendees), ("请假", &doc.on_leave), ("列席", &doc.observers)]
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(l, v)| json!({"label": l, "names": v.iter().map(|x| x.trim()).collect::<Vec<_>>().join("、")}))
        .collect();

    let attachments: Vec<Value> = doc
        .attachments
        .iter()
        .enumerate()
        .map(|(i, a)| {
            json!({
                "label": if doc.attachments.len() == 1 { "附件".to_owned() } else { format!("附件{}", i + 1) },
                "title_lines": title::balance(&a.title, title_max_em(), &extra),
                "body": blocks(&a.body),
                "landscape": a.landscape,
            })
        })
        .collect();

    let cc = (!doc.cc.is_empty()).then(|| {
        format!(
            "{}。",
            doc.cc
                .iter()
                .map(|c| c.trim())
                .collect::<Vec<_>>()
                .join("，")
        )
    });
    let print_date = doc.print_date.as_deref().map(|d| {
        date::parse(d)
            .map(date::format)
            .unwrap_or_else(|_| d.to_owned())
    });

    let minutes = (kind == "纪要").then(|| {
        json!({
            "issue_number": doc.issue_number.as_deref().map(str::trim),
            "issuer": doc.issuers.first().map(|i| i.name().trim()),
            "date": date_text.clone(),
            "attendance": attendance,
        })
    });
    let data = json!({
        "kind": kind,
        "format": format.key(),
        "order_number": doc.order_number.as_deref().map(str::trim),
        "direction": match doc.direction() {
            Direction::Upward => "upward",
            Direction::Lateral => "lateral",
            Direction::Downward => "downward",
        },
        "copy_number": doc.copy_number,
        "classification": classification,
        "urgency": doc.urgency.as_deref().map(str::trim),
        // Each name also broken between words into two lines: the template's last resort when a
        // stack is too wide for the 版心 even at the smallest size and narrowest squeeze.
        "mark": {
            "names": mark_names,
            "suffix": suffix,
            "split": mark_split(&mark_names),
        },
        "party_organ": doc.party_organ,
        "minutes": minutes,
        "doc_number": doc.doc_number.as_deref().map(str::trim),
        "signers": doc.signers.iter().map(|s| s.trim()).collect::<Vec<_>>(),
        "title_lines": title_lines,
        "recipients": recipients,
        "body": indexed(blocks(&doc.body)),
        "attachment_note": attachment_note,
        "signature": {
            // A 纪要 carries no 署名 or seal (§10.3 practice); its date sits in the 版头.
        "mode": if !stamps.is_empty() { "stamp" } else if sealed { "seal" } else if kind == "纪要" { "none" } else { "plain" },
            "stamps": stamps,
            "issuers": signature_issuers,
            "date": date_text,
        },
        "note": doc.note.as_deref().map(note_text),
        "attachments": attachments,
        "colophon": {
            "recipients": null,
            "cc": cc,
            // §10.1: a letter's 版记 has no 印发机关 and 印发日期 (and no rules).
            "print_office": if format == Format::Letter { None } else { doc.print_office.as_deref().map(str::trim) },
            "print_date": if format == Format::Letter { None } else { print_date.map(|d| format!("{d}印发")) },
            "rules": format != Format::Letter,
        },
    });
    Ok(Prepared { data, assets })
}

/// The 标志's names for a stack too wide for the 版心: the longest broken between words into two
/// lines, and any other name longer than the longest line that gives.
fn mark_split(names: &[String]) -> Vec<Vec<String>> {
    let em = |s: &str| s.chars().map(title::char_em).sum::<f64>();
    let split: Vec<Vec<String>> = names.iter().map(|n| title::split_even(n, 2, &[])).collect();
    let widest = split.iter().flatten().map(|l| em(l)).fold(0.0, f64::max);
    names
        .iter()
        .zip(split)
        .map(|(n, s)| if em(n) <= widest { vec![n.clone()] } else { s })
        .collect()
}

/// Blocks numbered in order (`index`), for the markers the engine finds pages by.
fn indexed(mut blocks: Vec<Value>) -> Vec<Value> {
    for (i, b) in blocks.iter_mut().enumerate() {
        b["index"] = json!(i);
    }
    blocks
}

/// Body blocks with heading numbers filled in.
fn blocks(list: &[Block]) -> Vec<Value> {
    let mut counter = Counter::default();
    list.iter()
        .map(|b| match b {
            Block::Paragraph(t) => json!({"kind": "par", "text": article_space(t.trim())}),
            Block::Rich(r) => {
                if let Some(rows) = &r.table {
                    return json!({
                        "kind": "table",
                        "rows": rows,
                        "header_rows": r.header_rows.unwrap_or(1).min(rows.len()),
                        "columns": r.columns,
                        "landscape": r.landscape,
                    });
                }
                let (level, text) = [(1u8, &r.h1), (2, &r.h2), (3, &r.h3), (4, &r.h4)]
                    .into_iter()
                    .find_map(|(l, t)| t.as_ref().map(|t| (l, t.trim().to_owned())))
                    .unwrap_or((1, String::new()));
                let auto = counter.next(level);
                json!({
                    "kind": "heading",
                    "level": level,
                    "number": r.number.clone().unwrap_or(auto),
                    "text": text,
                    "run_in": r.text.as_deref().map(|t| t.trim()),
                })
            }
        })
        .collect()
}
