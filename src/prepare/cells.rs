//! Text in table cells (forms and registers): where it may break, and how much room it takes.
//!
//! A cell's text goes to the template as *pieces*: each piece is set in an unbreakable box, so a
//! line can only end between two pieces, that is between two words ([`crate::prepare::words`]),
//! never inside a word, date, number, ID or phone. The PDF's text stays the cell's text (nothing
//! is inserted). Text that fits on one line goes as one piece.
//!
//! The engine also needs to know, before layout, how many lines a cell will take (registers are
//! paginated here, so each page can carry its own totals; a form's label column is sized so no
//! label takes more than two lines). Widths are estimated from character classes, on the wide
//! side, so a row planned to fit does fit; the register renderer checks the result.

use crate::prepare::words;

/// Estimated advance of a character, in em. CJK characters and full-width forms are one em; Latin
/// letters and digits in the office fonts (宋体, 仿宋) are about half an em. The estimates err on
/// the wide side.
pub fn advance_em(c: char) -> f64 {
    match c {
        '\n' => 0.0,
        ' ' => 0.35,
        'i' | 'j' | 'l' | 'I' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.35,
        'm' | 'w' | 'M' | 'W' | '@' => 0.85,
        'A'..='Z' => 0.7,
        // Digits are half an em in the office fonts (宋体, 仿宋, Fandol).
        '0'..='9' => 0.5,
        c if c.is_ascii() => 0.56,
        // Latin-1 and general punctuation set half-width (· – —) in the office fonts.
        '\u{00A0}'..='\u{02FF}' => 0.6,
        _ => 1.0,
    }
}

/// Estimated width of `s` in em.
pub fn width_em(s: &str) -> f64 {
    s.chars().map(advance_em).sum()
}

/// Whether a unit is a number, date, ID, phone or code: such a unit never breaks, even when it is
/// wider than its cell (the renderer then refuses the row, naming the text).
fn is_numeric(unit: &str) -> bool {
    let t = unit.trim();
    !t.is_empty()
        && t.chars().any(|c| c.is_ascii_digit())
        && t.chars().all(|c| {
            c.is_ascii_alphanumeric()
                || "-./:：+#,()（）年月日号时分秒%％〔〕·".contains(c)
                || ('０'..='９').contains(&c)
        })
}

/// The pieces of `text` for a cell `width_em` wide (in em of the cell's font size): one piece per
/// word; a word wider than the cell that is not a number is cut into characters rather than run
/// out of the cell. A line break of the text is a piece of its own (`"\n"`).
pub fn pieces(text: &str, room_em: f64) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push("\n".to_owned());
        }
        let line = line.trim_end_matches('\r');
        for u in joined_numbers(words::units(line, &[])) {
            if room_em > 0.0 && width_em_fits(&u) > room_em && !is_numeric(&u) {
                out.extend(cut_over_wide(&u));
            } else {
                out.push(u.into_owned());
            }
        }
    }
    out
}

/// A word wider than its cell, cut so it stays inside: between characters, except that a number,
/// date, ID or phone inside it (`到13908591234`, `合计3,000.00元`) stays whole with its unit.
fn cut_over_wide(unit: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut run = String::new();
    let mut prev_digit = false;
    for c in unit.chars() {
        let digit = c.is_ascii_digit() || ('０'..='９').contains(&c);
        let joins = c.is_ascii_alphanumeric()
            || digit
            || (!run.is_empty() && "-./:,+#%％".contains(c))
            || (prev_digit && "年月日号时分秒元".contains(c));
        if joins {
            run.push(c);
        } else {
            if !run.is_empty() {
                out.push(std::mem::take(&mut run));
            }
            out.push(c.to_string());
        }
        prev_digit = digit;
    }
    if !run.is_empty() {
        out.push(run);
    }
    // A closing mark never starts a line and an opening one never ends one (as in
    // prepare/words.rs): they stay with their neighbour.
    let mut glued: Vec<String> = Vec::with_capacity(out.len());
    let mut open = String::new();
    for p in out {
        let p = std::mem::take(&mut open) + &p;
        if p.chars().all(|c| OPENING.contains(c)) {
            open = p;
        } else if let Some(prev) = glued
            .last_mut()
            .filter(|_| p.starts_with(|c| CLOSING.contains(c)))
        {
            prev.push_str(&p);
        } else {
            glued.push(p);
        }
    }
    if !open.is_empty() {
        glued.push(open);
    }
    glued
}

/// Marks that never start a line, and that never end one (the sets of prepare/words.rs).
const CLOSING: &str = "，。、；：？！）》」』”’〕】〗〉…—～·%％,.;:?!)]}";
const OPENING: &str = "（《「『“‘〔【〖〈([{";

/// Units rejoined where the segmenter split a number at its separators (`3,` + `000.00`): a
/// number with thousands separators never breaks.
fn joined_numbers<'a>(units: Vec<&'a str>) -> Vec<std::borrow::Cow<'a, str>> {
    let mut out: Vec<std::borrow::Cow<'a, str>> = Vec::new();
    for u in units {
        let glue = out.last().is_some_and(|prev| {
            let mut tail = prev.chars().rev();
            let sep = tail.next();
            matches!(sep, Some(',' | '.'))
                && tail.next().is_some_and(|c| c.is_ascii_digit())
                && u.starts_with(|c: char| c.is_ascii_digit())
        });
        match (glue, out.last_mut()) {
            (true, Some(prev)) => prev.to_mut().push_str(u),
            _ => out.push(std::borrow::Cow::Borrowed(u)),
        }
    }
    out
}

/// The widest piece of `text` that never breaks (a number, date, ID, or a run of digits left
/// whole when an over-wide word is cut: `30760014—`), in em; 0 when the text fits in `room_em`
/// anyway.
pub fn widest_unbreakable(text: &str, room_em: f64) -> f64 {
    if !text.contains('\n') && width_em(text) <= room_em {
        return 0.0;
    }
    pieces(text, room_em)
        .iter()
        .filter(|p| is_numeric(p) || width_em_fits(p) > room_em)
        .map(|p| width_em_fits(p))
        .fold(0.0, f64::max)
}

/// The widest word of `text` that is not a number, in em; 0 when the text fits in `room_em`.
pub fn widest_word(text: &str, room_em: f64) -> f64 {
    if !text.contains('\n') && width_em(text) <= room_em {
        return 0.0;
    }
    pieces(text, 0.0)
        .iter()
        .filter(|p| !is_numeric(p))
        .map(|p| width_em_fits(p))
        .fold(0.0, f64::max)
}

fn width_em_fits(u: &str) -> f64 {
    // A trailing space hangs past the line end and takes no room.
    width_em(u.trim_end())
}

/// Lines `pieces` take in a cell `width_em` wide, breaking greedily between pieces as the
/// layout does (an over-wide piece takes a line of its own).
pub fn lines(pieces: &[String], room_em: f64) -> usize {
    let mut lines = 1;
    let mut used = 0.0;
    for p in pieces {
        if p == "\n" {
            lines += 1;
            used = 0.0;
            continue;
        }
        let w = width_em_fits(p);
        if used > 0.0 && used + w > room_em + 1e-6 {
            lines += 1;
            used = 0.0;
        }
        used += width_em(p);
    }
    lines
}

/// The narrowest width (em) at which `text` takes at most `max_lines` lines; never less than its
/// widest unbreakable piece.
pub fn width_for_lines(text: &str, max_lines: usize) -> f64 {
    let ps = pieces(text, 0.0);
    let widest = ps.iter().map(|p| width_em_fits(p)).fold(0.0, f64::max);
    let total = width_em(text);
    let mut w = widest.max(total / max_lines.max(1) as f64);
    // Greedy breaking can need a little more than the average; widen in quarter ems.
    while lines(&ps, w) > max_lines && w < total {
        w += 0.25;
    }
    w.min(total.max(widest))
}

/// What a cell prints: one string when it fits on one line (no boxes needed), the pieces
/// otherwise.
pub fn cell_json(text: &str, room_em: f64) -> serde_json::Value {
    if !text.contains('\n') && width_em(text) <= room_em {
        serde_json::Value::String(text.to_owned())
    } else {
        serde_json::json!(pieces(text, room_em))
    }
}

/// Lines of [`cell_json`]'s output for `text` in `room_em`, and whether a piece that never
/// breaks (a number, date, ID) is wider than the cell: the pieces are made once for both.
pub fn cell_fit(text: &str, room_em: f64) -> (usize, bool) {
    if !text.contains('\n') && width_em(text) <= room_em {
        return (1, false);
    }
    let ps = pieces(text, room_em);
    // Every piece wider than the cell is one that never breaks (other words are cut).
    let over = ps.iter().any(|p| width_em_fits(p) > room_em + 1e-6);
    (lines(&ps, room_em), over)
}

/// Lines of [`cell_json`]'s output for `text` in `width_em`.
pub fn cell_lines(text: &str, room_em: f64) -> usize {
    if !text.contains('\n') && width_em(text) <= room_em {
        1
    } else {
        lines(&pieces(text, room_em), room_em)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_keep_words_dates_and_numbers_and_give_back_the_text() {
        let text = "2026年3月8日其他工作人员到13908591234处办理";
        let p = pieces(text, 5.0);
        assert_eq!(p.concat(), text);
        assert!(p.iter().any(|x| x == "2026年3月8日"), "{p:?}");
        assert!(p.iter().any(|x| x.contains("工作人员")), "{p:?}");
        assert!(p.iter().any(|x| x == "13908591234"), "{p:?}");
    }

    #[test]
    fn an_over_wide_word_is_cut_but_an_over_wide_number_is_not() {
        let p = pieces("中华人民共和国", 2.0);
        assert!(p.len() > 1, "{p:?}");
        let p = pieces("52232419850312001X", 2.0);
        assert_eq!(p, vec!["52232419850312001X"]);
        assert_eq!(
            pieces("合计3,000.00元", 1.0)
                .iter()
                .filter(|p| p.contains("000"))
                .count(),
            1
        );
        assert!(
            pieces("合计3,000.00元", 1.0)
                .iter()
                .any(|p| p.starts_with("3,000.00"))
        );
    }

    #[test]
    fn line_counts_follow_greedy_breaking_and_text_breaks() {
        let p: Vec<String> = ["ab", "cd", "\n", "ef"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
        assert_eq!(lines(&p, 10.0), 2);
        assert_eq!(lines(&p, 1.2), 3);
        assert_eq!(cell_lines("其他需要说明情况", 4.0), 2);
        assert_eq!(cell_lines("其他需要说明情况", 8.0), 1);
    }

    #[test]
    fn the_width_for_two_lines_of_a_label() {
        let w = width_for_lines("其他需要说明情况", 2);
        assert!((4.0..=5.0).contains(&w), "{w}");
        assert!(cell_lines("其他需要说明情况", w) <= 2);
        // A label that is one word cannot be narrower than the word.
        assert!(width_for_lines("2026年3月8日", 3) >= width_em("2026年3月8日") - 1e-9);
    }
}
