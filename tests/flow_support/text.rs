//! The text layer (frames and pdftotext) and word breaks, for tests/gongwen_layout_flow.rs.

use super::squash;
use crate::common::*;
use wenshu::gbt9704::*;
use wenshu::pipeline::Rendered;

pub const SAMPLES: [&str; 10] = [
    "01-tongzhi-xiaxing.toml",
    "02-qingshi-shangxing.toml",
    "03-han.toml",
    "04-lianhe-xingwen.toml",
    "05-baogao-miji.toml",
    "06-jiyao.toml",
    "07-han-xinhan.toml",
    "08-ling.toml",
    "09-lianhe-wujia.toml",
    "10-hengpai-fujian.toml",
];

pub fn load(name: &str) -> wenshu::model::gongwen::Gongwen {
    wenshu::ingest::data::load(&sample(name)).expect("sample loads")
}

/// The text the document prints, piece by piece: what the engine hands the template, each
/// piece checked against the data file where the file spells it (whitespace aside).
pub fn printed_pieces(name: &str) -> Vec<String> {
    use wenshu::model::gongwen::Block;
    let doc = load(name);
    let data = wenshu::prepare::gongwen::prepare(&doc, &sample(""))
        .expect("prepares")
        .data;
    let s = |v: &serde_json::Value| v.as_str().unwrap_or_default().to_owned();
    // The body as the data file has it: the engine adds heading numbers, never characters.
    let source: Vec<String> = doc
        .body
        .iter()
        .filter_map(|b| match b {
            Block::Paragraph(t) => Some(squash(t)),
            Block::Rich(_) => None,
        })
        .collect();
    let mut pieces = Vec::new();
    let mut blocks: Vec<&serde_json::Value> =
        data["body"].as_array().into_iter().flatten().collect();
    for a in data["attachments"].as_array().into_iter().flatten() {
        pieces.push(s(&a["label"]));
        pieces.extend(a["title_lines"].as_array().into_iter().flatten().map(s));
        blocks.extend(a["body"].as_array().into_iter().flatten());
    }
    for b in blocks {
        match b["kind"].as_str() {
            Some("par") => pieces.push(s(&b["text"])),
            Some("heading") => pieces.push(format!(
                "{}{}{}",
                s(&b["number"]),
                s(&b["text"]),
                s(&b["run_in"])
            )),
            _ => {}
        }
    }
    for p in data["body"].as_array().into_iter().flatten() {
        if p["kind"] == "par" {
            assert!(
                source.contains(&squash(&s(&p["text"]))),
                "{name}: the engine changed a paragraph: {}",
                s(&p["text"])
            );
        }
    }
    pieces.push(
        data["title_lines"]
            .as_array()
            .into_iter()
            .flatten()
            .map(s)
            .collect(),
    );
    if data["recipients"].is_string() {
        pieces.push(s(&data["recipients"]));
    }
    for n in data["attachment_note"].as_array().into_iter().flatten() {
        pieces.push(format!("{}{}", s(&n["number"]), s(&n["name"])));
    }
    if data["note"].is_string() {
        pieces.push(s(&data["note"]));
    }
    if data["colophon"]["cc"].is_string() {
        pieces.push(format!("抄送：{}", s(&data["colophon"]["cc"])));
    }
    if data["colophon"]["print_office"].is_string() {
        pieces.push(format!(
            "{}{}",
            s(&data["colophon"]["print_office"]),
            s(&data["colophon"]["print_date"])
        ));
    }
    pieces.retain(|p| !p.is_empty());
    pieces
}

/// The page texts with the page numbers taken out (a paragraph runs on across a page break),
/// and the page numbers found.
pub fn reading_text(pages: &[String]) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut numbers = Vec::new();
    for p in pages {
        for line in p.lines() {
            let l = line.trim();
            if l.starts_with('—')
                && l.ends_with('—')
                && l.chars().filter(|c| c.is_ascii_digit()).count() > 0
            {
                numbers.push(squash(l));
            } else {
                text.push_str(&squash(l));
            }
        }
    }
    (text, numbers)
}

pub fn frame_pages(r: &Rendered) -> Vec<String> {
    r.layout
        .pages
        .iter()
        .map(|p| {
            lines(p)
                .iter()
                .map(|l| l.text.clone())
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

/// The PDF's text layer as a reader copies it (poppler's pdftotext); `None`, saying so, where it
/// is not installed (`.ci/run` installs it).
pub fn pdftotext(pdf: &[u8]) -> Option<Vec<String>> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    match std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
    {
        Ok(o) if o.status.success() => Some(
            String::from_utf8_lossy(&o.stdout)
                .split('\u{c}')
                .map(str::to_owned)
                .collect(),
        ),
        _ => {
            eprintln!("SKIPPED: the pdftotext half needs poppler-utils (.ci/run installs it)");
            None
        }
    }
}

/// Breaks that fall inside a word (the segmenter's verdict) or inside one of `keep`.
pub fn bad_breaks(lines: &[String], keep: &[&str], extra: &[&str]) -> Vec<String> {
    use wenshu::prepare::words::{Break, classify};
    let whole: String = lines.concat();
    let classes = classify(&whole, extra);
    let mut out = Vec::new();
    let mut at = 0;
    for l in &lines[..lines.len() - 1] {
        at += l.chars().count();
        if classes[at] == Break::Never {
            out.push(format!("{l}|"));
        }
    }
    for k in keep {
        if whole.contains(k) && !lines.iter().any(|l| l.contains(k)) {
            out.push(format!("“{k}” split"));
        }
    }
    out
}

/// 梯形 (no line longer than the one above) or 菱形 (lines grow, then shrink; the last never the
/// longest), measured in mm with half a character of slack.
pub fn well_shaped(widths: &[f64]) -> bool {
    let slack = pt_to_mm(SIZE_NO2_PT) / 2.0;
    let peak = widths
        .iter()
        .enumerate()
        .fold(0, |b, (i, w)| if *w > widths[b] + slack { i } else { b });
    widths[..=peak].windows(2).all(|w| w[1] >= w[0] - slack)
        && widths[peak..].windows(2).all(|w| w[1] <= w[0] + slack)
        && (widths.len() < 2 || widths[widths.len() - 1] <= widths[widths.len() - 2] + slack)
}

/// The top (mm) of the first PDF word containing `needle` on page 1, as pdftotext measures it.
pub fn pdftotext_bbox_top(pdf: &[u8], needle: &str) -> Option<f64> {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("doc.pdf");
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-bbox", "-f", "1", "-l", "1"])
        .arg(&path)
        .arg("-")
        .output()
        .ok()
        .filter(|o| o.status.success())?;
    let html = String::from_utf8_lossy(&out.stdout);
    let line = html
        .lines()
        .find(|l| l.contains("<word") && l.contains(needle))?;
    let y = line
        .split("yMin=\"")
        .nth(1)?
        .split('"')
        .next()?
        .parse::<f64>()
        .ok()?;
    Some(y * 25.4 / 72.0)
}
