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
//! last resort, and so is a break inside an organ's name ([`Break::Avoid`]).

use std::sync::LazyLock;

use jieba_rs::Jieba;

/// What may happen between two characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Break {
    /// Inside a word, a number with its unit, a Latin run, or next to punctuation.
    Never,
    /// Between two words, but only as a last resort: inside a 《》 title, or inside an organ's
    /// name after its place (兴仁市 | 卫生 | 健康局: the second break).
    Avoid,
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
    "部门",
    "家",
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
    // A one-character place or organ suffix the dictionary left alone belongs to the word
    // before it (兴仁 + 市, 健康 + 局).
    // The dictionary's part of speech tells a verb ending in an organ suffix (离会, 开会) from a
    // name (总工会): only a name is held together by `organ_names`.
    let mut tokens: Vec<(usize, usize)> = Vec::new();
    let mut verbs: Vec<bool> = Vec::new();
    for t in JIEBA.tag(text, true) {
        let suffix = t.end == t.start + 1 && ORGAN_SUFFIXES.contains(chars[t.start]);
        match (tokens.last_mut(), verbs.last_mut()) {
            (Some(last), Some(verb))
                if suffix && chars[last.0..last.1].iter().all(|&c| is_cjk(c)) =>
            {
                last.1 = t.end;
                *verb = false;
            }
            _ => {
                tokens.push((t.start, t.end));
                verbs.push(t.tag.starts_with('v') && t.tag != "vn");
            }
        }
    }
    for &(start, end) in &tokens {
        if end < n {
            out[end] = Break::Word;
        }
        if end - start >= LONG_WORD {
            inner_breaks(&chars[start..end], &mut out[start..end]);
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
                        if chinese
                            && (j - end < 2
                                && !matches!(
                                    *u,
                                    "月" | "日" | "部门" | "个" | "项" | "次" | "批" | "名" | "家"
                                ))
                        {
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
    organ_names(&chars, &tokens, &verbs, &mut out);
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
            out[i] = Break::Avoid;
        }
        match chars[i] {
            '《' => depth += 1,
            '》' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    out
}

/// Dictionary words this long (广西壮族自治区人民政府) may break between their own parts as a
/// last resort, when a box is narrower than the word.
const LONG_WORD: usize = 6;

/// The breaks inside a long dictionary word, as [`Break::Avoid`]: the segmenter's search mode
/// lists the word's parts; the longest that do not overlap are kept (国务院 | 办公厅, 广西壮族 |
/// 自治区 | 人民政府) and the word may break between two of them.
fn inner_breaks(word: &[char], out: &mut [Break]) {
    let text: String = word.iter().collect();
    let mut parts: Vec<(usize, usize)> = JIEBA
        .cut_for_search(&text, true)
        .iter()
        .filter(|t| t.end - t.start >= 2 && t.end - t.start < word.len())
        .map(|t| (t.start, t.end))
        .collect();
    parts.sort_by_key(|&(s, e)| (std::cmp::Reverse(e - s), s));
    let mut kept: Vec<(usize, usize)> = Vec::new();
    for p in parts {
        if kept.iter().all(|&(s, e)| p.1 <= s || e <= p.0) {
            kept.push(p);
        }
    }
    // Between two kept parts that meet.
    for b in 1..word.len() {
        let meet = kept.iter().any(|k| k.1 == b) && kept.iter().any(|k| k.0 == b);
        if meet && is_cjk(word[b - 1]) && is_cjk(word[b]) {
            out[b] = Break::Avoid;
        }
    }
}

/// Place names: a token ending in one of these ends a place (兴仁市, 黔西南州).
const PLACE_SUFFIXES: &str = "省市县区州盟旗镇乡";

/// Words that are never part of an organ's name.
const FUNCTION_WORDS: &[&str] = &["关于", "的", "和", "与", "及", "等", "对", "在", "为", "将"];

/// Longest organ name (after its place) held together by [`organ_names`], in characters.
const ORGAN_NAME_MAX: usize = 8;

/// An organ's name after its place holds together: 兴仁市 | 卫生健康局, 兴仁市 | 市场监督管理局.
/// The dictionary cuts such names into words (卫生 | 健康局); a token ending in an organ suffix
/// (局, 委, 办 …) pulls back up to two tokens before it, stopping at a place name, a function word
/// or a non-CJK character, when the whole stays short. The breaks inside become
/// [`Break::Avoid`]: a name wider than its box still breaks between its words.
fn organ_names(chars: &[char], tokens: &[(usize, usize)], verbs: &[bool], out: &mut [Break]) {
    let cjk = is_cjk;
    let word = |t: (usize, usize)| chars[t.0..t.1].iter().collect::<String>();
    for (k, &(start, end)) in tokens.iter().enumerate() {
        let last = chars[end - 1];
        if end - start < 2
            || verbs.get(k).copied().unwrap_or(false)
            || !ORGAN_SUFFIXES.contains(last)
            || PLACE_SUFFIXES.contains(last)
        {
            continue;
        }
        let mut from = start;
        for &prev in tokens[..k].iter().rev().take(2) {
            let w = word(prev);
            // A place, or a whole organ before (…局 | 兴仁市…), ends the name.
            let stop = ORGAN_SUFFIXES.contains(chars[prev.1 - 1])
                || FUNCTION_WORDS.contains(&w.as_str())
                || !chars[prev.0..prev.1].iter().all(|&c| cjk(c))
                || end - prev.0 > ORGAN_NAME_MAX;
            if stop {
                break;
            }
            from = prev.0;
        }
        for b in out.iter_mut().take(end).skip(from + 1) {
            if *b == Break::Word {
                *b = Break::Avoid;
            }
        }
    }
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
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
    fn a_verb_ending_in_an_organ_suffix_is_not_an_organ_name() {
        // 离会 ends in 会 but is a verb: 报到 | 离会 may break.
        let u = cut("会议天数（含报到离会时间）");
        assert!(u.iter().any(|p| p.starts_with("离会")), "{u:?}");
        never_split("兴仁市总工会", "总工会");
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
            .filter(|&i| classes[i] == Break::Avoid)
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

    #[test]
    fn organ_names_hold_together_after_their_place() {
        for (name, place) in [
            ("兴仁市卫生健康局", 3),
            ("兴仁市市场监督管理局", 3),
            ("黔西南州医疗保障局", 4),
        ] {
            let classes = classify(name, &[]);
            let words: Vec<usize> = (1..name.chars().count())
                .filter(|&i| classes[i] == Break::Word)
                .collect();
            assert_eq!(words, vec![place], "{name}: {classes:?}");
        }
        // Two names in a row still break between them.
        let two = "兴仁市医疗保障局兴仁市卫生健康局";
        assert_eq!(classify(two, &[])[8], Break::Word);
    }

    #[test]
    fn long_dictionary_words_break_between_their_parts_as_a_last_resort() {
        let name = "广西壮族自治区人民政府";
        let classes = classify(name, &[]);
        assert_eq!(classes[7], Break::Avoid, "{classes:?}");
        assert_eq!(classes[8], Break::Never, "{classes:?}");
        assert_eq!(classify("国务院办公厅", &[])[3], Break::Avoid);
    }
}
