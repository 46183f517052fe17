//! Where Chinese text may break: between words, never inside one (§7.3.1 "词意完整").
//!
//! Typst breaks CJK text between any two characters. Titles, 署名 and form cells must break only
//! between words, so the engine decides the break opportunities here and the templates keep every
//! unit whole (a title is set line by line; a cell sets each unit in an unbreakable box, which keeps
//! the PDF's text exactly the source text).
//!
//! Words come from the jieba segmenter with its dictionary, plus words the caller knows (the
//! issuers of a document). On top of the dictionary, some spans never break: numbers with their
//! unit and dates (`2026年3月8日`, `二〇二六年三月四日`, `3.5万元`), runs of Latin letters and
//! digits (IDs, phones, `2026-03-08`), a punctuation mark and its neighbour (no line starts with a
//! closing mark or ends with an opening one). Inside a 《》 title a break is allowed only as a
//! last resort ([`Break::InsideTitle`]).

use std::sync::LazyLock;

use jieba_rs::Jieba;

/// What may happen between two characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// Inside a word, a number with its unit, a Latin run, or next to punctuation.
    Never,
    /// Between two words inside a 《》 title: only when the title cannot fit on one line.
    InsideTitle,
    /// Between two words.
    Word,
}

static JIEBA: LazyLock<Jieba> = LazyLock::new(Jieba::new);

/// Loads the segmenter's dictionary now (it takes a moment) rather than in the first document.
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Marks that never start a line (GB/T 15834 and common 禁则).
const CLOSING: &str = "，。、；：？！）》」』”’〕】〗〉…—～·%％,.;:?!)]}";
/// Marks that never end a line.
const OPENING: &str = "（《「『“‘〔【〖〈([{";

/// Suffixes of place and organ names: never the first character of a line when the segmenter
/// cut them from the name before.
const ORGAN_SUFFIXES: &str = "省市县区州盟旗镇乡村街局厅委办处科股室院所站队部署会社馆校";

/// Units that stay with the number before them.
const NUMBER_UNITS: &[&str] = &[
    "万元",
    "亿元",
    "千元",
    "周岁",
    "小时",
    "公里",
    "分钟",
    "平方米",
    "立方米",
    "元",
    "角",
    "分",
    "年",
    "月",
    "日",
    "号",
    "时",
    "秒",
    "天",
    "周",
    "岁",
    "个",
    "人",
    "次",
    "名",
    "件",
    "份",
    "页",
    "条",
    "项",
    "户",
    "台",
    "辆",
    "张",
    "本",
    "册",
    "批",
    "期",
    "届",
    "层",
    "间",
    "套",
    "%",
    "％",
    "‰",
    "km",
    "kg",
    "m",
    "cm",
    "mm",
    "t",
    "L",
];

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_chinese_digit(c: char) -> bool {
    "〇零一二三四五六七八九十百千万两".contains(c)
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || ('０'..='９').contains(&c)
        || ('Ａ'..='Ｚ').contains(&c)
        || ('ａ'..='ｚ').contains(&c)
}

/// Characters that join a Latin/digit run without ending it: `2026-03-08`, `3.5`, `a@b.cn`,
/// `0859-1234567`, `http://x.gov.cn/a_b`.
fn is_latin_joiner(c: char) -> bool {
    matches!(
        c,
        '-' | '.' | '/' | '@' | ':' | '_' | '+' | '#' | '－' | '．' | '／'
    )
}

/// The break class between every two characters of `text`: entry `i` is the break before char `i`
/// (entry 0 and the last entry, the ends of the text, are [`Break::Word`]). `extra_words` never
/// break (issuer names, say).
pub fn classify(text: &str, extra_words: &[&str]) -> Vec<Break> {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let mut out = vec![Break::Never; n + 1];
    out[0] = Break::Word;
    out[n] = Break::Word;
    if n == 0 {
        return out;
    }
    // Word boundaries from the dictionary (byte offsets → char offsets).
    let char_at: std::collections::HashMap<usize, usize> = text
        .char_indices()
        .enumerate()
        .map(|(ci, (bi, _))| (bi, ci))
        .collect();
    for token in JIEBA.cut(text, true) {
        // A one-character place or organ suffix the dictionary left alone belongs to the name
        // before it (兴仁 + 市, 医保 + 局).
        let suffix = token.end == token.start + 1 && ORGAN_SUFFIXES.contains(token.word);
        if token.start > 0 && suffix {
            out[token.start] = Break::Never;
        }
        if token.end < n {
            out[token.end] = Break::Word;
        }
    }
    let keep = |from: usize, to: usize, out: &mut Vec<Break>| {
        for b in out.iter_mut().take(to).skip(from + 1) {
            *b = Break::Never;
        }
    };
    // Spaces: a break may come after a space (Latin phrases), never before it.
    for i in 1..n {
        if chars[i].is_whitespace() {
            out[i] = Break::Never;
        } else if chars[i - 1].is_whitespace() {
            out[i] = Break::Word;
        }
    }
    // Latin runs: IDs, phone numbers, dates in digits, mail addresses.
    let mut i = 0;
    while i < n {
        if is_latin(chars[i]) {
            let start = i;
            while i < n
                && (is_latin(chars[i])
                    || (is_latin_joiner(chars[i]) && i + 1 < n && is_latin(chars[i + 1])))
            {
                i += 1;
            }
            keep(start, i, &mut out);
        } else {
            i += 1;
        }
    }
    // Numbers keep their units, and dates hold together: 2026年3月8日, 二〇二六年三月四日.
    let mut i = 0;
    while i < n {
        let numeric = |c: char| is_digit(c) || c.is_ascii_digit() || c == '.';
        let start = i;
        let mut end = i;
        loop {
            let mut j = end;
            if j < n && (numeric(chars[j]) || is_chinese_digit(chars[j])) {
                let chinese = is_chinese_digit(chars[j]);
                while j < n
                    && (if chinese {
                        is_chinese_digit(chars[j])
                    } else {
                        numeric(chars[j])
                    })
                {
                    j += 1;
                }
                let rest: String = chars[j..n.min(j + 3)].iter().collect();
                let unit = NUMBER_UNITS.iter().find(|u| rest.starts_with(**u));
                match unit {
                    Some(u) => {
                        let after = j + u.chars().count();
                        // A Chinese numeral only counts as a number when a date or measure unit
                        // follows (一年 is a word, 二〇二六年 a date); the dictionary decides the rest.
                        if chinese && (j - end < 2 && !matches!(*u, "月" | "日")) {
                            break;
                        }
                        end = after;
                    }
                    None if !chinese => {
                        end = j;
                        break;
                    }
                    None => break,
                }
            } else {
                break;
            }
        }
        if end > start + 1 {
            keep(start, end, &mut out);
            i = end;
        } else {
            i += 1;
        }
    }
    // Words the caller knows.
    for w in extra_words.iter().filter(|w| w.chars().count() > 1) {
        for (bi, _) in text.match_indices(*w) {
            if let Some(&start) = char_at.get(&bi) {
                keep(start, start + w.chars().count(), &mut out);
            }
        }
    }
    // Punctuation stays with its neighbour.
    for i in 1..n {
        if CLOSING.contains(chars[i]) || OPENING.contains(chars[i - 1]) {
            out[i] = Break::Never;
        }
    }
    // Inside 《…》 breaks are a last resort.
    let mut depth = 0usize;
    for i in 0..n {
        if i > 0 && depth > 0 && out[i] == Break::Word {
            out[i] = Break::InsideTitle;
        }
        match chars[i] {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// `text` cut where a line may break (between words, never inside 《》), in order; the pieces
/// joined give back `text`.
pub fn units<'a>(text: &'a str, extra_words: &[&str]) -> Vec<&'a str> {
    let classes = classify(text, extra_words);
    let mut out = Vec::new();
    let mut start_byte = 0;
    for (ci, (bi, _)) in text.char_indices().enumerate().skip(1) {
        if classes[ci] == Break::Word {
            out.push(&text[start_byte..bi]);
            start_byte = bi;
        }
    }
    if start_byte < text.len() {
        out.push(&text[start_byte..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(s: &str) -> Vec<&str> {
        units(s, &[])
    }

    fn never_split(text: &str, word: &str) {
        let u = cut(text);
        assert!(
            u.iter().any(|p| p.contains(word)),
            "“{word}” split in {u:?}"
        );
    }

    #[test]
    fn pieces_give_back_the_text() {
        for s in [
            "",
            "关于印发《兴仁市人民政府工作规则》的通知",
            "2026年3月8日至3月10日在兴仁市召开",
            "联系电话：0859-6212345，手机13908591234",
            "  a  b ",
        ] {
            assert_eq!(cut(s).concat(), s);
        }
    }

    #[test]
    fn words_dates_numbers_and_ids_stay_whole() {
        never_split("关于2021年全县医疗保障工作的报告", "全县");
        never_split("请假时间为2026年3月8日", "2026年3月8日");
        never_split("于二〇二六年三月四日印发", "二〇二六年三月四日");
        never_split("其他工作人员", "工作人员");
        never_split("关于印发兴仁市人民政府工作规则的通知", "兴仁市");
        never_split("身份证号码52232419850312001X已核对", "52232419850312001X");
        never_split("合计3.5万元整", "3.5万元");
        never_split("完成率达98.5%以上", "98.5%");
        never_split("日期2026-03-08前报送", "2026-03-08");
    }

    #[test]
    fn punctuation_never_starts_or_ends_a_piece_wrongly() {
        for p in cut("兴仁市医疗保障局（办公室），“十四五”规划。") {
            let first = p.chars().next().unwrap_or(' ');
            let last = p.chars().last().unwrap_or(' ');
            assert!(!CLOSING.contains(first), "{p}");
            assert!(!OPENING.contains(last), "{p}");
        }
    }

    #[test]
    fn book_titles_break_only_as_a_last_resort() {
        let text = "关于印发《兴仁市人民政府工作规则》的通知";
        let classes = classify(text, &[]);
        let inside: Vec<usize> = (0..classes.len())
            .filter(|&i| classes[i] == Break::InsideTitle)
            .collect();
        assert!(!inside.is_empty());
        never_split(text, "《兴仁市人民政府工作规则》");
    }

    #[test]
    fn extra_words_hold_together() {
        let text = "兴仁市医疗保障局兴仁市卫生健康局";
        let u = units(text, &["兴仁市医疗保障局", "兴仁市卫生健康局"]);
        assert_eq!(u, vec!["兴仁市医疗保障局", "兴仁市卫生健康局"]);
    }
}
