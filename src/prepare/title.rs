//! Balanced line breaks for the 标题 (§7.3.1): "回行时，要做到词意完整，排列对称，长短适宜，间距恰当，
//! 标题排列应当使用梯形或菱形".
//!
//! Typst breaks greedily (a long first line, a short last one). The title is short, so the engine
//! tries every break and keeps the most even set of lines, preferring breaks at phrase joints
//! (after 关于, 的, 印发, before 关于 …) and never splitting a run of Latin letters or digits, a
//! 《》 title, or a punctuation mark from its neighbour.

/// Width of a character in em: CJK and full-width forms are 1, others about ½.
pub fn char_em(c: char) -> f64 {
    if c.is_ascii() { 0.5 } else { 1.0 }
}

fn width(chars: &[char]) -> f64 {
    chars.iter().copied().map(char_em).sum()
}

/// Cost of breaking between `chars[i-1]` and `chars[i]`; `None` where a break is not allowed.
fn break_cost(chars: &[char], i: usize) -> Option<f64> {
    let (a, b) = (chars[i - 1], chars[i]);
    let closing = "，。、；：？！）》」』”’〕】";
    let opening = "（《「『“‘〔【";
    if closing.contains(b)
        || opening.contains(a)
        || (a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric())
    {
        return None;
    }
    // A number keeps its unit: 2026年, 20%, 3个.
    if a.is_ascii_digit() && !b.is_ascii_whitespace() {
        return None;
    }
    // Inside a 《…》 title: allowed, but only as a last resort.
    let open_books = chars[..i].iter().filter(|&&c| c == '《').count();
    let close_books = chars[..i].iter().filter(|&&c| c == '》').count();
    if open_books > close_books {
        return Some(40.0);
    }
    let before: String = chars[..i].iter().collect();
    let after: String = chars[i..].iter().collect();
    let good_after = [
        "关于",
        "的",
        "印发",
        "转发",
        "批转",
        "开展",
        "做好",
        "加强",
        "进一步",
        "和",
        "与",
        "及",
        "、",
        "，",
        "》",
        "）",
    ];
    let good_before = [
        "关于",
        "的通知",
        "的意见",
        "的请示",
        "的报告",
        "的函",
        "的批复",
        "的决定",
    ];
    if good_after.iter().any(|s| before.ends_with(s))
        || good_before.iter().any(|s| after.starts_with(s))
    {
        Some(0.0)
    } else {
        // Word integrity outweighs balance (§7.3.1 "词意完整"): an arbitrary break costs more than
        // a few characters of difference between lines.
        Some(20.0)
    }
}

/// Splits `title` into balanced lines no wider than `max_em`.
pub fn balance(title: &str, max_em: f64) -> Vec<String> {
    let chars: Vec<char> = title.trim().chars().collect();
    let total = width(&chars);
    if total <= max_em || chars.len() < 2 {
        return vec![chars.iter().collect()];
    }
    let lines = (total / max_em).ceil() as usize;
    let mut best: Option<(f64, Vec<usize>)> = None;
    let mut cuts = Vec::new();
    search(&chars, max_em, lines, 0, &mut cuts, 0.0, &mut best);
    match best {
        Some((_, cuts)) => {
            let mut out = Vec::new();
            let mut start = 0;
            for c in cuts.into_iter().chain(std::iter::once(chars.len())) {
                out.push(chars[start..c].iter().collect());
                start = c;
            }
            out
        }
        // No allowed break fits: fall back to hard breaks at the width limit.
        None => chars
            .chunks(max_em.floor().max(1.0) as usize)
            .map(|c| c.iter().collect())
            .collect(),
    }
}

/// Depth-first search over break positions, for `left` more lines starting at `start`.
fn search(
    chars: &[char],
    max_em: f64,
    left: usize,
    start: usize,
    cuts: &mut Vec<usize>,
    penalty: f64,
    best: &mut Option<(f64, Vec<usize>)>,
) {
    if left == 1 {
        if width(&chars[start..]) > max_em {
            return;
        }
        let mut bounds = vec![0];
        bounds.extend(cuts.iter().copied());
        bounds.push(chars.len());
        let widths: Vec<f64> = bounds
            .windows(2)
            .map(|w| width(&chars[w[0]..w[1]]))
            .collect();
        let mean = widths.iter().sum::<f64>() / widths.len() as f64;
        let spread: f64 = widths.iter().map(|w| (w - mean).powi(2)).sum();
        let score = spread + penalty;
        if best.as_ref().is_none_or(|(s, _)| score < *s) {
            *best = Some((score, cuts.clone()));
        }
        return;
    }
    // Bound the search: a 4+ line title is rare; limit the branching to keep it quick.
    for end in start + 1..chars.len() {
        if width(&chars[start..end]) > max_em {
            break;
        }
        if let Some(cost) = break_cost(chars, end) {
            cuts.push(end);
            search(chars, max_em, left - 1, end, cuts, penalty + cost, best);
            cuts.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_titles_stay_on_one_line() {
        assert_eq!(
            balance("关于开展安全检查的通知", 20.0),
            vec!["关于开展安全检查的通知"]
        );
    }

    #[test]
    fn long_titles_break_evenly_at_joints() {
        let lines = balance(
            "兴仁市人民政府办公室关于印发兴仁市医疗保障基金监督管理办法的通知",
            20.0,
        );
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines.concat(),
            "兴仁市人民政府办公室关于印发兴仁市医疗保障基金监督管理办法的通知"
        );
        let w: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(w[0].abs_diff(w[1]) <= 4, "{lines:?}");
    }

    #[test]
    fn never_splits_digits_or_orphans_punctuation() {
        let lines = balance(
            "关于2026年度第一批城乡居民基本医疗保险财政补助资金（12345678元）拨付情况的报告",
            20.0,
        );
        for l in &lines {
            assert!(!l.starts_with('）') && !l.ends_with('（'), "{lines:?}");
        }
        assert!(lines.iter().any(|l| l.contains("12345678")), "{lines:?}");
    }
}
