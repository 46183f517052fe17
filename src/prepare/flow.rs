//! Page flow before the 署名 (GB/T 9704 §7.3.5.5).
//!
//! The template keeps the tail (附件说明, 署名, 成文日期, 附注) in one unbreakable block. When the
//! tail does not fit after the last line of 正文, Typst moves it to a page of its own, which the
//! standard forbids. The engine then measures the natural layout and lays the document out again
//! with one of these plans, in order (the first that the post-layout checks accept is kept):
//!
//! 1. **Tighten**: from the first line of the last page of 正文 on, the leading is multiplied by
//!    each of [`FLOW_TIGHT_LEADINGS`] (the last is the stated limit), so that the tail joins
//!    that page. The pages before are unchanged.
//! 2. **Carry**: the last [`FLOW_CARRY_LINES`] lines of 正文 (the whole last paragraph when it is
//!    shorter) begin a new page with the tail. When that leaves the page before shorter than
//!    [`FLOW_MIN_PAGE_FILL`] of the 版心, lines move to it from the page before that first
//!    (**rebalance**), so that both stay at least two-thirds full.
//!
//! A block is cut between two of its lines by splitting its text where the line begins: the first
//! part keeps its last line justified full, the rest starts without indent on the next page, so
//! the lines are exactly those of the natural layout. Tables and headings without run-in text are
//! never cut (the cut moves to the block's start).

use serde_json::{Value, json};
use typst_layout::PagedDocument;

use crate::gbt9704::{
    FLOW_CARRY_LINES, FLOW_MIN_PAGE_FILL, LINE_PITCH_PT, SIZE_NO3_PT, TOP_MARGIN_MM,
    TYPE_AREA_BOTTOM_MM, TYPE_AREA_HEIGHT_MM, pt_to_mm,
};
use crate::render::inspect::{Layout, markers};

/// A line of 正文 in the natural layout.
#[derive(Debug, Clone)]
struct Line {
    page: usize,
    bottom: f64,
    /// Its text, runs joined left to right.
    text: String,
}

/// Where the 正文 lies in the natural layout: each body block's lines.
#[derive(Debug)]
pub struct Measure {
    /// Lines of each block of `data.body`, in order.
    blocks: Vec<Vec<Line>>,
    /// Page (1-based) where the 正文 ends.
    pub text_end_page: usize,
    /// Page where the tail begins.
    pub tail_page: usize,
}

/// A page break inserted into the body.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Cut {
    /// The body block where the next page begins.
    pub block: usize,
    /// Characters of the block's text before the cut (0: the block's start).
    pub offset: usize,
    /// `true`: a hard page break; `false`: only if not already at a page's start.
    pub hard: bool,
}

/// One way of laying the last pages out again.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// What it is, for messages and tests: "tighten", "carry" or "rebalance".
    pub name: &'static str,
    pub cuts: Vec<Cut>,
    /// The cut (index into `cuts`) from which the leading is multiplied by the factor.
    pub tight: Option<(usize, f64)>,
    /// Whether the 署名 must end up on the page where the 正文 ended before (tightening only
    /// helps if it does).
    pub same_page: bool,
}

fn line_pitch_mm() -> f64 {
    pt_to_mm(LINE_PITCH_PT)
}

/// The lowest line bottom that counts as a full-enough page.
pub fn full_page_bottom() -> f64 {
    TOP_MARGIN_MM + FLOW_MIN_PAGE_FILL * TYPE_AREA_HEIGHT_MM
}

/// 3号 upright lines of each page inside the 版心, top to bottom, as (top, bottom, text).
fn page_lines(layout: &Layout, page: usize) -> Vec<(f64, f64, String)> {
    let Some(p) = layout.pages.get(page - 1) else {
        return Vec::new();
    };
    let mut runs: Vec<_> = p
        .texts
        .iter()
        .filter(|t| (t.size_pt - SIZE_NO3_PT).abs() < 0.01 && t.angle.abs() < 0.01)
        .filter(|t| t.em_bottom() <= TYPE_AREA_BOTTOM_MM + 0.5)
        .collect();
    // Runs of one line share a baseline up to rounding.
    let key = |b: f64| (b * 100.0).round() as i64;
    runs.sort_by(|a, b| {
        key(a.baseline)
            .cmp(&key(b.baseline))
            .then(a.x.total_cmp(&b.x))
    });
    let mut out: Vec<(i64, f64, f64, String)> = Vec::new();
    for r in runs {
        match out.last_mut() {
            Some(l) if (l.0 - key(r.baseline)).abs() <= 5 => l.3.push_str(&r.text),
            _ => out.push((key(r.baseline), r.em_top(), r.em_bottom(), r.text.clone())),
        }
    }
    out.into_iter().map(|(_, t, b, s)| (t, b, s)).collect()
}

/// Measures the natural layout: which lines belong to which body block. `None` when the markers
/// are missing (a template override without them) or do not match the body.
pub fn measure(doc: &PagedDocument, layout: &Layout, blocks: usize) -> Option<Measure> {
    let starts = markers(doc, "wenshu-block");
    let (text_end_page, text_end_y) = *markers(doc, "wenshu-text-end").first()?;
    let tail_page = markers(doc, "wenshu-tail").first()?.0;
    let body_start = *markers(doc, "wenshu-body-start").first()?;
    if starts.len() != blocks || blocks == 0 {
        return None;
    }
    let mut out: Vec<Vec<Line>> = vec![Vec::new(); blocks];
    for page in body_start.0..=text_end_page {
        for (top, bottom, text) in page_lines(layout, page) {
            let at = (page, top);
            let before = |m: (usize, f64)| (m.0, m.1 - 0.5) <= at;
            if !before(body_start) || (page == text_end_page && top > text_end_y + 0.5) {
                continue;
            }
            // The last block that starts at or above this line.
            if let Some(k) = starts
                .iter()
                .rposition(|&m| m.0 < page || (m.0 == page && m.1 <= bottom))
            {
                out[k].push(Line { page, bottom, text });
            }
        }
    }
    Some(Measure {
        blocks: out,
        text_end_page,
        tail_page,
    })
}

/// The characters of a block that its laid-out lines show.
fn visible(block: &Value) -> Option<String> {
    let s = |k: &str| block[k].as_str().unwrap_or_default();
    match block["kind"].as_str()? {
        "par" => Some(s("text").to_owned()),
        "heading" => Some(format!("{}{}{}", s("number"), s("text"), s("run_in"))),
        _ => None,
    }
}

/// How many characters of `text` the `lines` show: their characters matched in order, white
/// space that a line break swallowed skipped. `None` when they do not match.
fn matched_chars(text: &str, lines: &[&Line]) -> Option<usize> {
    let src: Vec<char> = text.chars().collect();
    let mut i = 0;
    for c in lines.iter().flat_map(|l| l.text.chars()) {
        while i < src.len() && src[i] != c && src[i].is_whitespace() {
            i += 1;
        }
        if i < src.len() && src[i] == c {
            i += 1;
        } else if !c.is_whitespace() {
            return None;
        }
    }
    Some(i)
}

impl Measure {
    fn lines(&self) -> impl Iterator<Item = (usize, &Line)> {
        self.blocks
            .iter()
            .enumerate()
            .flat_map(|(k, ls)| ls.iter().map(move |l| (k, l)))
    }

    /// A cut before the `n`-th line (0-based) of block `k`.
    fn cut_before(&self, body: &[Value], k: usize, n: usize, hard: bool) -> Cut {
        let lines: Vec<&Line> = self.blocks[k].iter().take(n).collect();
        let offset = if n == 0 {
            0
        } else {
            visible(&body[k])
                .and_then(|t| matched_chars(&t, &lines))
                .filter(|&o| split(&body[k], o).is_some())
                .unwrap_or(0)
        };
        Cut {
            block: k,
            offset,
            hard,
        }
    }

    /// A cut where `line` (block, index in block) begins.
    fn cut_at(&self, body: &[Value], at: (usize, usize), hard: bool) -> Cut {
        self.cut_before(body, at.0, at.1, hard)
    }

    /// (block, index in block) of every line, in order.
    fn positions(&self) -> Vec<(usize, usize, &Line)> {
        let mut seen = vec![0usize; self.blocks.len()];
        self.lines()
            .map(|(k, l)| {
                seen[k] += 1;
                (k, seen[k] - 1, l)
            })
            .collect()
    }

    /// The plans to try, in order (module doc).
    pub fn plans(&self, body: &[Value]) -> Vec<Plan> {
        let mut plans = Vec::new();
        let lines = self.positions();
        let q = self.text_end_page;
        let Some(&(fk, fi, _)) = lines.iter().find(|(_, _, l)| l.page == q) else {
            return plans;
        };
        // 1. Tighten the last page of 正文 from its first line. (A weak break: none when the
        // page already begins there, and none before the body's first block.)
        let start = self.cut_at(body, (fk, fi), false);
        for f in crate::gbt9704::FLOW_TIGHT_LEADINGS {
            plans.push(Plan {
                name: "tighten",
                cuts: vec![start],
                tight: Some((0, f)),
                same_page: true,
            });
        }
        // 2. Carry the last lines with the tail; one line when carrying two would take the
        // first page's only 正文.
        let last = self.blocks.len() - 1;
        let n_last = self.blocks[last].len();
        for c in (1..=FLOW_CARRY_LINES).rev() {
            let keep = n_last.saturating_sub(c);
            let carry = self.cut_before(body, last, keep, true);
            // The line that ends the page before the carried ones.
            let before_carry = if carry.offset == 0 {
                lines.iter().rposition(|(k, _, _)| *k < last)
            } else {
                lines
                    .iter()
                    .position(|(k, i, _)| *k == last && *i + 1 == keep)
            };
            if let Some(b) = before_carry
                && let Some(re) = self.rebalance(body, &lines, b)
            {
                plans.push(Plan {
                    name: "rebalance",
                    cuts: vec![re, carry],
                    tight: None,
                    same_page: false,
                });
            }
            let plan = Plan {
                name: "carry",
                cuts: vec![carry],
                tight: None,
                same_page: false,
            };
            if !plans.contains(&plan) {
                plans.push(plan);
            }
        }
        plans
    }

    /// When the page ending with line `b` would be less than two-thirds full, a cut on the page
    /// before that moves enough lines to it, provided that page stays two-thirds full.
    fn rebalance(&self, body: &[Value], lines: &[(usize, usize, &Line)], b: usize) -> Option<Cut> {
        let end = lines[b].2;
        let short = full_page_bottom() - end.bottom;
        if short <= 0.0 {
            return None;
        }
        let k = (short / line_pitch_mm()).ceil() as usize;
        // The lines of the page before, and the one that would begin the next page.
        let before: Vec<usize> = (0..=b)
            .filter(|&i| lines[i].2.page + 1 == end.page)
            .collect();
        let first_moved = *before.get(before.len().checked_sub(k)?)?;
        let keeps = lines[first_moved.checked_sub(1)?].2;
        if keeps.page + 1 != end.page || keeps.bottom < full_page_bottom() {
            return None;
        }
        let (blk, idx, _) = lines[first_moved];
        let cut = self.cut_at(body, (blk, idx), true);
        // A cut that fell back to the block's start must still leave the page full enough.
        if cut.offset == 0 && idx > 0 {
            let kept = lines[..first_moved]
                .iter()
                .rev()
                .find(|(k2, _, _)| *k2 < blk)?
                .2;
            if kept.page + 1 != end.page || kept.bottom < full_page_bottom() {
                return None;
            }
        }
        Some(cut)
    }
}

/// Block `b` cut after `offset` characters: the first part (its last line full) and the rest
/// (no indent). `None` for blocks that are not cut (tables, headings without run-in text, a cut
/// inside the heading's own words).
fn split(b: &Value, offset: usize) -> Option<(Value, Value)> {
    let at = |s: &str, n: usize| s.char_indices().nth(n).map_or(s.len(), |(i, _)| i);
    match b["kind"].as_str()? {
        "par" => {
            let text = b["text"].as_str()?;
            let i = at(text, offset);
            if i == 0 || i >= text.len() {
                return None;
            }
            let mut head = b.clone();
            head["text"] = json!(text[..i].trim_end());
            head["full_last"] = json!(true);
            let rest = json!({"kind": "par", "text": text[i..].trim_start(), "cont": true});
            Some((head, rest))
        }
        "heading" => {
            let own = format!(
                "{}{}",
                b["number"].as_str().unwrap_or_default(),
                b["text"].as_str().unwrap_or_default()
            )
            .chars()
            .count();
            let run_in = b["run_in"].as_str()?;
            let i = at(run_in, offset.checked_sub(own)?);
            if i == 0 || i >= run_in.len() {
                return None;
            }
            let mut head = b.clone();
            head["run_in"] = json!(run_in[..i].trim_end());
            head["full_last"] = json!(true);
            let rest = json!({"kind": "par", "text": run_in[i..].trim_start(), "cont": true});
            Some((head, rest))
        }
        _ => None,
    }
}

/// The body with `plan` applied, and the item index where the tight leading begins.
pub fn apply(body: &[Value], plan: &Plan) -> (Vec<Value>, Option<usize>) {
    let mut out = Vec::with_capacity(body.len() + 4);
    let mut tight_from = None;
    for (k, b) in body.iter().enumerate() {
        let mut cuts: Vec<(usize, &Cut)> = plan
            .cuts
            .iter()
            .enumerate()
            .filter(|(_, c)| c.block == k)
            .collect();
        cuts.sort_by_key(|(_, c)| c.offset);
        let mut rest = b.clone();
        let mut done = 0;
        for (ci, c) in cuts {
            let local = c.offset.saturating_sub(done);
            if local > 0 {
                match split(&rest, local) {
                    Some((head, tail)) => {
                        out.push(head);
                        rest = tail;
                        done = c.offset;
                    }
                    // Not cut here (`cut_before` only offers offsets that split).
                    None if done > 0 => continue,
                    None => {}
                }
            }
            // Nothing breaks before the body's first item (page 1 shows 正文, §7.3.3).
            if !out.is_empty() {
                out.push(json!({"kind": "pagebreak", "weak": !c.hard}));
            }
            if plan.tight.is_some_and(|(t, _)| t == ci) {
                tight_from = Some(out.len());
            }
        }
        out.push(rest);
    }
    (out, tight_from)
}

/// `data` with the plan applied (body, tight leading).
pub fn with_plan(data: &Value, plan: &Plan) -> Value {
    let body = data["body"].as_array().cloned().unwrap_or_default();
    let (body, tight_from) = apply(&body, plan);
    let mut out = data.clone();
    out["body"] = Value::Array(body);
    out["tight"] = match (tight_from, plan.tight) {
        (Some(from), Some((_, f))) => json!({"from": from, "leading": f}),
        _ => Value::Null,
    };
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn par(t: &str, i: usize) -> Value {
        json!({"kind": "par", "text": t, "index": i})
    }

    #[test]
    fn a_paragraph_cut_keeps_its_text_and_marks_the_parts() {
        let body = vec![par("甲乙丙丁戊己庚辛", 0), par("子丑寅卯", 1)];
        let plan = Plan {
            name: "carry",
            cuts: vec![Cut {
                block: 0,
                offset: 3,
                hard: true,
            }],
            tight: None,
            same_page: false,
        };
        let (out, tight) = apply(&body, &plan);
        assert_eq!(tight, None);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0]["text"], "甲乙丙");
        assert_eq!(out[0]["full_last"], true);
        assert_eq!(out[1]["kind"], "pagebreak");
        assert_eq!(out[1]["weak"], false);
        assert_eq!(out[2]["text"], "丁戊己庚辛");
        assert_eq!(out[2]["cont"], true);
        assert!(out[2].get("index").is_none());
        assert_eq!(out[3]["index"], 1);
    }

    #[test]
    fn headings_are_cut_only_in_their_run_in_text() {
        let h = json!({"kind": "heading", "level": 2, "number": "（一）", "text": "总体要求。", "run_in": "甲乙丙丁戊"});
        assert!(split(&h, 4).is_none());
        let (head, rest) = split(&h, 10).expect("cut in the run-in text");
        assert_eq!(head["run_in"], "甲乙");
        assert_eq!(rest["text"], "丙丁戊");
        assert!(split(&json!({"kind": "table"}), 3).is_none());
    }

    #[test]
    fn line_text_matches_the_source_across_swallowed_spaces() {
        let l = |t: &str| Line {
            page: 1,
            bottom: 0.0,
            text: t.into(),
        };
        let (a, b) = (l("依据GB/T"), l("9704排版"));
        assert_eq!(matched_chars("依据GB/T 9704排版。", &[&a, &b]), Some(13));
        assert_eq!(matched_chars("依据GB/T 9704排版。", &[&a]), Some(6));
        assert_eq!(matched_chars("别的文字", &[&a]), None);
    }
}
