//! Line breaks for the 标题 (§7.3.1): "回行时，要做到词意完整，排列对称，长短适宜，间距恰当，
//! 标题排列应当使用梯形或菱形".
//!
//! Typst breaks greedily (a long first line, a short last one, anywhere between two characters).
//! The engine chooses the breaks itself:
//!
//! - only between words ([`words::classify`], with the document's issuer names as extra words);
//!   inside a 《》 title only as a last resort, and inside a word only when a single word is wider
//!   than a line;
//! - the shape is a 梯形 (each line no longer than the one above) or a 菱形 (lines grow, then
//!   shrink, the last line never the longest); an extra line is accepted to get that shape;
//! - among those, the fewest lines, then the most even (smallest sum of squared widths), with a
//!   small preference for breaking at the joint around 关于 / 印发.
//!
//! The search is a dynamic programme over break positions: a state is the last line (its start
//! and end) and whether the lines are still growing; each state is extended by every next line
//! that fits. A line holds at most `w` = 2 × `max_em` characters (a half-width character is ½
//! em), so there are at most n·w·3 states and n·w²·3 transitions for a title of n characters:
//! polynomial, and bounded because titles longer than [`MAX_TITLE_CHARS`] are refused by
//! validation and never searched (see [`balance`]).

use std::collections::HashMap;

use super::words::{self, Break};

/// Longest title the engine lays out, in characters. A 2号 title line holds about 19 characters,
/// so this is eight lines; with the 版头 above it, a longer title leaves page 1 no room for the
/// 正文 (§7.3.3). Checked by `wenshu check` (rule `gongwen.title.too_long`).
pub const MAX_TITLE_CHARS: usize = 150;

/// Width of a character in em: CJK and full-width forms are 1, ASCII about ½.
pub fn char_em(c: char) -> f64 {
    if c.is_ascii() { 0.5 } else { 1.0 }
}

/// Breaks that read well in a title: before or after 关于, after 印发/转发/批转 (a document's
/// name follows).
fn good_joint(before: &[char], after: &[char]) -> bool {
    let ends = |s: &str| {
        let t: Vec<char> = s.chars().collect();
        before.ends_with(&t)
    };
    let starts = |s: &str| {
        let t: Vec<char> = s.chars().collect();
        after.starts_with(&t)
    };
    ends("关于") || starts("关于") || ends("印发") || ends("转发") || ends("批转")
}

/// What a set of lines costs, compared field by field (lexicographically).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Cost {
    /// Breaks inside a word, number or punctuation pair.
    never: u32,
    /// Breaks between words inside a 《》 title.
    inside: u32,
    /// Places where the shape stops being a 梯形 or 菱形.
    shape: u32,
    /// Lines.
    lines: u32,
    /// Sum of squared line widths (em²), less a bonus for good joints: smaller is more even.
    uneven: f64,
}

impl Cost {
    fn add(self, o: Cost) -> Cost {
        Cost {
            never: self.never + o.never,
            inside: self.inside + o.inside,
            shape: self.shape + o.shape,
            lines: self.lines + o.lines,
            uneven: self.uneven + o.uneven,
        }
    }

    /// `shape_first`: a better shape outranks fewer lines; otherwise fewer lines come first.
    fn key(&self, shape_first: bool) -> (u32, u32, u32, u32, f64) {
        if shape_first {
            (self.never, self.inside, self.shape, self.lines, self.uneven)
        } else {
            (self.never, self.inside, self.lines, self.shape, self.uneven)
        }
    }

    fn better(&self, o: &Cost, shape_first: bool) -> bool {
        self.key(shape_first)
            .partial_cmp(&o.key(shape_first))
            .is_some_and(|c| c == std::cmp::Ordering::Less)
    }
}

/// Shape so far: only equal lines, growing (at least one line longer than the one above and
/// none shorter since), or shrinking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Phase {
    Flat,
    Growing,
    Shrinking,
}

/// Lines differing by less than this are equal (widths are multiples of ½ em).
const SAME: f64 = 0.01;

/// Bonus (em²) for a break at a good joint: worth about two characters of imbalance.
const JOINT_BONUS: f64 = 10.0;

struct Problem<'a> {
    chars: &'a [char],
    /// `prefix[i]`: width of `chars[..i]`.
    prefix: Vec<f64>,
    classes: Vec<Break>,
    max_em: f64,
}

impl Problem<'_> {
    fn width(&self, a: usize, b: usize) -> f64 {
        self.prefix[b] - self.prefix[a]
    }

    /// Cost of a break before `chars[b]` (none at the ends).
    fn break_cost(&self, b: usize) -> Cost {
        let mut c = Cost {
            never: 0,
            inside: 0,
            shape: 0,
            lines: 0,
            uneven: 0.0,
        };
        if b == 0 || b == self.chars.len() {
            return c;
        }
        match self.classes[b] {
            Break::Never => c.never = 1,
            Break::Avoid => c.inside = 1,
            Break::Word => {}
        }
        if good_joint(&self.chars[..b], &self.chars[b..]) {
            c.uneven -= JOINT_BONUS;
        }
        c
    }

    /// The best line starts (cut positions) under the given ranking, or `None` when no set of
    /// lines fits (a single character wider than a line).
    fn solve(&self, shape_first: bool) -> Option<Vec<usize>> {
        let n = self.chars.len();
        // `at[b]`: the states whose last line ends at `b`, keyed by (line start, phase), with
        // their cost and the state before.
        type Key = (usize, Phase);
        type Entry = (Cost, Option<Key>);
        let mut at: Vec<HashMap<Key, Entry>> = vec![HashMap::new(); n + 1];
        let put = |slot: &mut HashMap<Key, Entry>, k: Key, cost: Cost, from: Option<Key>| match slot
            .get(&k)
        {
            Some((old, _)) if !cost.better(old, shape_first) => {}
            _ => {
                slot.insert(k, (cost, from));
            }
        };
        let line = |w: f64, shape: u32| Cost {
            never: 0,
            inside: 0,
            shape,
            lines: 1,
            uneven: w * w,
        };
        for (b, slot) in at.iter_mut().enumerate().skip(1) {
            let w = self.width(0, b);
            if w > self.max_em + SAME {
                break;
            }
            put(
                slot,
                (0, Phase::Flat),
                self.break_cost(b).add(line(w, 0)),
                None,
            );
        }
        // Every state ending at `b` is final before any line starting at `b` is added.
        for b in 1..n {
            let here: Vec<(Key, Cost)> = at[b].iter().map(|(k, (c, _))| (*k, *c)).collect();
            for ((a, phase), cost) in here {
                let prev = self.width(a, b);
                for (c, slot) in at.iter_mut().enumerate().skip(b + 1) {
                    let w = self.width(b, c);
                    if w > self.max_em + SAME {
                        break;
                    }
                    let (next, bad) = match phase {
                        _ if (w - prev).abs() < SAME => (phase, 0),
                        Phase::Flat | Phase::Growing if w > prev => (Phase::Growing, 0),
                        Phase::Flat | Phase::Growing => (Phase::Shrinking, 0),
                        Phase::Shrinking if w > prev => (Phase::Growing, 1),
                        Phase::Shrinking => (Phase::Shrinking, 0),
                    };
                    let total = cost.add(self.break_cost(c)).add(line(w, bad));
                    put(slot, (b, next), total, Some((a, phase)));
                }
            }
        }
        // A shape that ends growing has its longest line last: neither 梯形 nor 菱形.
        let (mut key, _) = at[n]
            .iter()
            .map(|(k, (c, _))| {
                let mut c = *c;
                if k.1 == Phase::Growing {
                    c.shape += 1;
                }
                (*k, c)
            })
            .reduce(|x, y| if y.1.better(&x.1, shape_first) { y } else { x })?;
        let mut end = n;
        let mut cuts = Vec::new();
        while key.0 != 0 {
            cuts.push(key.0);
            let from = at[end].get(&key)?.1?;
            end = key.0;
            key = from;
        }
        cuts.reverse();
        Some(cuts)
    }
}

/// Titles ending in 的 + 文种 keep the two together: a line never starts with the bare 文种.
fn keep_particle_with_kind(chars: &[char], classes: &mut [Break]) {
    const KINDS: [&str; 15] = [
        "决议", "决定", "命令", "公报", "公告", "通告", "意见", "通知", "通报", "报告", "请示",
        "批复", "议案", "函", "纪要",
    ];
    for k in KINDS {
        let k: Vec<char> = k.chars().collect();
        if chars.ends_with(&k) && chars.len() > k.len() && chars[chars.len() - k.len() - 1] == '的'
        {
            classes[chars.len() - k.len()] = Break::Never;
        }
    }
}

/// Splits `title` into lines no wider than `max_em`, between words, in 梯形 or 菱形 shape and as
/// even as possible. `extra_words` never break (the document's issuer names).
///
/// A title longer than [`MAX_TITLE_CHARS`] (validation refuses it) is not searched: it is cut
/// into full lines, so that the work stays linear whatever the input.
pub fn balance(title: &str, max_em: f64, extra_words: &[&str]) -> Vec<String> {
    balance_counted(title, max_em, extra_words).0
}

/// [`balance`], and how many breaks fall inside a word and how many are last resorts
/// ([`Break::Avoid`]).
fn balance_counted(title: &str, max_em: f64, extra_words: &[&str]) -> (Vec<String>, u32, u32) {
    let chars: Vec<char> = title.trim().chars().collect();
    let total: f64 = chars.iter().copied().map(char_em).sum();
    if total <= max_em + SAME || chars.len() < 2 {
        return (vec![chars.iter().collect()], 0, 0);
    }
    if chars.len() > MAX_TITLE_CHARS {
        let lines = hard_lines(&chars, max_em);
        let n = lines.len() as u32 - 1;
        return (lines, n, 0);
    }
    let text: String = chars.iter().collect();
    let mut classes = words::classify(&text, extra_words);
    keep_particle_with_kind(&chars, &mut classes);
    let mut prefix = vec![0.0];
    for c in &chars {
        prefix.push(prefix.last().copied().unwrap_or(0.0) + char_em(*c));
    }
    free_long_book_titles(&chars, &prefix, max_em, &mut classes);
    let p = Problem {
        chars: &chars,
        prefix,
        classes,
        max_em,
    };
    let fewest = (total / max_em).ceil() as usize;
    // The right shape is worth one extra line, not more.
    let cuts = match p.solve(true) {
        Some(c) if c.len() < fewest + 1 => Some(c),
        _ => p.solve(false),
    };
    match cuts {
        Some(cuts) => {
            let count = |class| cuts.iter().filter(|&&c| p.classes[c] == class).count() as u32;
            let (never, avoid) = (count(Break::Never), count(Break::Avoid));
            let mut out = Vec::new();
            let mut start = 0;
            for c in cuts.into_iter().chain(std::iter::once(chars.len())) {
                out.push(chars[start..c].iter().collect());
                start = c;
            }
            (out, never, avoid)
        }
        None => {
            let lines = hard_lines(&chars, max_em);
            let n = lines.len() as u32 - 1;
            (lines, n, 0)
        }
    }
}

/// A 《》 title wider than a line has to break inside: its word breaks are then ordinary ones,
/// so the lines can be balanced (a title that fits on a line still breaks inside only as a
/// last resort).
fn free_long_book_titles(chars: &[char], prefix: &[f64], max_em: f64, classes: &mut [Break]) {
    let mut open: Option<usize> = None;
    for (i, &c) in chars.iter().enumerate() {
        match c {
            '《' if open.is_none() => open = Some(i),
            '》' => {
                if let Some(o) = open.take()
                    && prefix[i + 1] - prefix[o] > max_em
                {
                    for b in classes.iter_mut().take(i + 1).skip(o + 1) {
                        if *b == Break::Avoid {
                            *b = Break::Word;
                        }
                    }
                }
            }
            _ => {}
        }
    }
}

/// `text` in at most `lines` lines, as even as possible, between words: for a 署名 or 标志 name
/// that must wrap in a box whose width the template knows. The lines are as narrow as breaking
/// between words allows; a word is split only when it alone is wider than the even share.
pub fn split_even(text: &str, lines: usize, extra_words: &[&str]) -> Vec<String> {
    let text = text.trim();
    let total: f64 = text.chars().map(char_em).sum();
    if lines <= 1 || text.chars().count() < 2 {
        return vec![text.to_owned()];
    }
    // The narrowest width that gives at most `lines` lines between words (then with last-resort
    // breaks, then with any); at most 2·total steps of ½ em.
    let mut em = (total / lines as f64).ceil();
    let (mut some, mut words_only) = (None, None);
    while em < total {
        let (out, never, avoid) = balance_counted(text, em, extra_words);
        if out.len() <= lines {
            if never == 0 && avoid == 0 {
                return out;
            }
            if never == 0 {
                words_only.get_or_insert(out.clone());
            }
            some.get_or_insert(out);
        }
        em += 0.5;
    }
    words_only.or(some).unwrap_or_else(|| vec![text.to_owned()])
}

/// Full lines, cut anywhere: the fallback when no set of breaks fits.
fn hard_lines(chars: &[char], max_em: f64) -> Vec<String> {
    let mut out = Vec::new();
    let mut line = String::new();
    let mut w = 0.0;
    for &c in chars {
        if w + char_em(c) > max_em + SAME && !line.is_empty() {
            out.push(std::mem::take(&mut line));
            w = 0.0;
        }
        line.push(c);
        w += char_em(c);
    }
    if !line.is_empty() {
        out.push(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(lines: &[String]) -> Vec<f64> {
        lines.iter().map(|l| l.chars().map(char_em).sum()).collect()
    }

    /// 梯形 (never longer than the line above) or 菱形 (growing, then shrinking, last line not
    /// the longest).
    fn well_shaped(lines: &[String]) -> bool {
        let w = widths(lines);
        let peak = w
            .iter()
            .enumerate()
            .fold(0, |best, (i, x)| if *x > w[best] + SAME { i } else { best });
        let up = w[..=peak].windows(2).all(|p| p[1] >= p[0] - SAME);
        let down = w[peak..].windows(2).all(|p| p[1] <= p[0] + SAME);
        up && down && (w.len() < 2 || w[w.len() - 1] <= w[w.len() - 2] + SAME)
    }

    fn words_intact(lines: &[String], words: &[&str]) {
        for word in words {
            assert!(
                lines.iter().any(|l| l.contains(word)),
                "“{word}” split in {lines:?}"
            );
        }
    }

    #[test]
    fn short_titles_stay_on_one_line() {
        assert_eq!(
            balance("关于开展安全检查的通知", 19.0, &[]),
            vec!["关于开展安全检查的通知"]
        );
    }

    #[test]
    fn long_titles_break_between_words_in_trapezoid_or_diamond_shape() {
        for (title, keep) in [
            (
                "兴仁市人民政府办公室关于印发兴仁市医疗保障基金监督管理办法的通知",
                &["兴仁市人民政府办公室", "医疗保障", "的通知"][..],
            ),
            (
                "兴仁市人民政府关于2021年全县医疗保障工作情况和2022年工作安排的报告",
                &["全县", "2021年", "2022年"][..],
            ),
            (
                "关于印发《兴仁市人民政府工作规则》和《兴仁市人民政府重大行政决策程序规定》的通知",
                &["《兴仁市人民政府工作规则》"][..],
            ),
            (
                "兴仁市医疗保障局等五部门关于开展2026年度医疗保障基金使用专项整治的通知",
                &["五部门", "2026年度", "兴仁市医疗保障局"][..],
            ),
        ] {
            let lines = balance(title, 19.0, &["兴仁市人民政府办公室", "兴仁市医疗保障局"]);
            assert_eq!(lines.concat(), title);
            assert!(well_shaped(&lines), "{lines:?}");
            assert!(widths(&lines).iter().all(|w| *w <= 19.0), "{lines:?}");
            words_intact(&lines, keep);
        }
    }

    #[test]
    fn the_shape_holds_for_three_and_four_line_titles() {
        let title = "兴仁市人民政府办公室关于印发兴仁市深化医疗保障制度改革推进医疗保障基金监督管理和城乡居民基本医疗保险财政补助资金管理实施方案的通知";
        let lines = balance(title, 19.0, &["兴仁市人民政府办公室"]);
        assert!(lines.len() >= 4, "{lines:?}");
        assert!(well_shaped(&lines), "{lines:?}");
        let w = widths(&lines);
        let spread = w.iter().cloned().fold(0.0, f64::max) - w.iter().cloned().fold(99.0, f64::min);
        assert!(spread <= 6.0, "{lines:?}");
    }

    #[test]
    fn never_splits_digits_or_orphans_punctuation() {
        let lines = balance(
            "关于2026年度第一批城乡居民基本医疗保险财政补助资金（12345678元）拨付情况的报告",
            19.0,
            &[],
        );
        for l in &lines {
            assert!(!l.starts_with('）') && !l.ends_with('（'), "{lines:?}");
        }
        assert!(lines.iter().any(|l| l.contains("12345678元")), "{lines:?}");
    }

    #[test]
    fn a_book_title_longer_than_a_line_breaks_between_its_words() {
        let title =
            "关于印发《兴仁市城乡居民基本医疗保险门诊共济保障机制改革实施细则（试行）》的通知";
        let lines = balance(title, 19.0, &[]);
        assert_eq!(lines.concat(), title);
        words_intact(&lines, &["城乡居民", "（试行）》", "的通知"]);
        assert!(well_shaped(&lines), "{lines:?}");
    }

    #[test]
    fn names_split_evenly_between_words() {
        assert_eq!(
            split_even("兴仁市医疗保障局", 2, &[]),
            vec!["兴仁市", "医疗保障局"]
        );
        assert_eq!(
            split_even("兴仁市市场监督管理局", 2, &[]),
            vec!["兴仁市", "市场监督管理局"]
        );
    }

    #[test]
    fn long_titles_take_polynomial_work() {
        // Hundreds of characters (past the limit: cut into full lines, linear) and a title just
        // under the limit (searched): both return; the search is bounded by n·w² (module doc).
        let unit = "兴仁市人民政府办公室关于进一步加强医疗保障基金监督管理工作";
        let near: String = unit
            .chars()
            .cycle()
            .take(MAX_TITLE_CHARS - 2)
            .collect::<String>()
            + "通知";
        let lines = balance(&near, 19.0, &[]);
        assert_eq!(lines.concat(), near);
        assert!(lines.len() >= 8);
        let huge: String = unit.chars().cycle().take(350_000).collect();
        let lines = balance(&huge, 19.0, &[]);
        assert_eq!(lines.concat().len(), huge.len());
    }
}
