//! Typed cell values of a form row: parsing what clerks type (or what Excel stores) into text,
//! numbers, money in 分, dates, ranges; and the 大写 of an amount.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

/// A raw cell as read from a spreadsheet, CSV or JSON.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text as typed.
    Text(String),
    /// A number (Excel stores every number as a float).
    Number(f64),
    /// An Excel date/time cell.
    DateTime(NaiveDateTime),
    /// TRUE/FALSE.
    Bool(bool),
    /// Text longer than the reader's `sheet_max_cell_chars`: only its length and beginning are kept,
    /// and validation refuses the cell.
    TooLong {
        /// Characters in the cell.
        chars: usize,
        /// Its first characters.
        head: String,
    },
}

impl Cell {
    /// Whether the cell holds nothing but whitespace.
    pub fn is_empty(&self) -> bool {
        match self {
            Cell::Empty => true,
            Cell::Text(t) => t.trim().is_empty(),
            _ => false,
        }
    }

    /// The cell as the clerk would read it.
    pub fn display(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.trim().to_owned(),
            Cell::Number(n) => format_number(*n),
            Cell::DateTime(d) if d.time() == NaiveTime::MIN => {
                d.date().format("%Y-%m-%d").to_string()
            }
            Cell::DateTime(d) => d.format("%Y-%m-%d %H:%M").to_string(),
            Cell::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            Cell::TooLong { chars, head } => format!("{head}…（共 {chars} 字）"),
        }
    }
}

/// Unicode NFKC: full-width digits, letters and separators (`２０２６／３／４`, `１３９…`, `：`)
/// become their ASCII forms. Only for reading typed values (numbers, dates, phones …); free
/// text keeps its full-width punctuation.
pub fn nfkc(s: &str) -> String {
    s.nfkc().collect()
}

/// Chinese numerals in a date become digits: a year is read digit by digit (`二〇二六` → 2026),
/// a month or day as a number (`十二` → 12, `二十一` → 21). `○` (often typed for `〇`) and `零`
/// count as zero.
pub fn date_numerals(s: &str) -> String {
    fn digit(c: char) -> Option<u32> {
        "〇一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as u32)
            .or(match c {
                '○' | '零' | 'Ｏ' => Some(0),
                '两' => Some(2),
                _ => None,
            })
    }
    let mut out = String::with_capacity(s.len());
    let mut run: Vec<char> = Vec::new();
    let flush = |run: &mut Vec<char>, out: &mut String| {
        if run.is_empty() {
            return;
        }
        if let Some(p) = run.iter().position(|c| *c == '十') {
            // 十 = 10, 十二 = 12, 二十 = 20, 二十一 = 21.
            let tens = if p == 0 {
                Some(1)
            } else if p == 1 {
                digit(run[0])
            } else {
                None
            };
            let units = match run.len() - p - 1 {
                0 => Some(0),
                1 => digit(run[p + 1]),
                _ => None,
            };
            match (tens, units) {
                (Some(t), Some(u)) => out.push_str(&(t * 10 + u).to_string()),
                _ => out.extend(run.iter()),
            }
        } else {
            for c in run.iter() {
                out.push(char::from_digit(digit(*c).unwrap_or(0), 10).unwrap_or('0'));
            }
        }
        run.clear();
    };
    for c in s.chars() {
        if c == '十' || digit(c).is_some() {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// What a typed date or range is read from: NFKC, Chinese numerals as digits, no spaces.
fn date_text(t: &str) -> String {
    date_numerals(&nfkc(t))
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whole numbers print without `.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// A parsed, typed value.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Value {
    /// Text.
    Text(String),
    /// A number (integer or decimal).
    Number(f64),
    /// Money in 分 (hundredths of a 元), exact.
    Money(i64),
    /// A date.
    Date(NaiveDate),
    /// A date range, both ends included.
    Range(NaiveDate, NaiveDate),
    /// Date and time.
    DateTime(NaiveDateTime),
    /// Yes/no.
    Bool(bool),
    /// Rows of cells (a `table` field).
    Table(Vec<Vec<String>>),
}

impl Value {
    /// The number used in comparisons (money in 元, ranges as day counts).
    pub fn as_number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            Value::Money(f) => Some(*f as f64 / 100.0),
            Value::Range(a, b) => Some(((*b - *a).num_days() + 1) as f64),
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            // A table compares by its row count.
            Value::Table(rows) => Some(rows.len() as f64),
            _ => None,
        }
    }

    /// Printed form.
    pub fn display(&self) -> String {
        match self {
            Value::Text(t) => t.clone(),
            Value::Number(n) => format_number(*n),
            Value::Money(f) => format_money(*f),
            Value::Date(d) => chinese_date(*d),
            Value::Range(a, b) => format!("{}至{}", chinese_date(*a), chinese_date(*b)),
            Value::DateTime(d) => format!("{} {}", chinese_date(d.date()), d.format("%H:%M")),
            Value::Bool(b) => if *b { "是" } else { "否" }.to_owned(),
            Value::Table(rows) => rows
                .iter()
                .map(|r| r.join("，"))
                .collect::<Vec<_>>()
                .join("；"),
        }
    }
}

/// `2026年3月5日`.
pub fn chinese_date(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `12,345.60`.
pub fn format_money(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let fen = fen.unsigned_abs();
    let yuan = (fen / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in yuan.chars().enumerate() {
        if i > 0 && (yuan.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", fen % 100)
}

/// Parses a date as clerks write it: `2024年3月5日`, `2024-03-05`, `2024/3/5`, `2024.3.5`,
/// full-width (`２０２４／３／５`), in Chinese numerals (`二〇二四年三月五日`), or an Excel serial
/// number.
pub fn parse_date(cell: &Cell) -> Option<NaiveDate> {
    match cell {
        Cell::DateTime(d) => Some(d.date()),
        Cell::Number(n) => excel_serial(*n).map(|d| d.date()),
        Cell::Text(t) => parse_date_text(t),
        _ => None,
    }
}

/// Text dates.
pub fn parse_date_text(t: &str) -> Option<NaiveDate> {
    let t = date_text(t);
    let t = t.as_str();
    let cleaned: String = t
        .replace(['年', '月', '/', '.'], "-")
        .replace(['日', '号'], "");
    let parts: Vec<&str> = cleaned.split('-').map(str::trim).collect();
    if parts.len() == 3 {
        if parts[0].len() != 4 || parts.iter().any(|p| p.is_empty() || p.len() > 4) {
            return None;
        }
        let (y, m, d) = (
            parts[0].parse().ok()?,
            parts[1].parse().ok()?,
            parts[2].parse().ok()?,
        );
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    // An Excel serial typed as text.
    t.parse::<f64>()
        .ok()
        .and_then(excel_serial)
        .map(|d| d.date())
}

/// Excel's 1900 date system (serial 1 = 1900-01-01, with its 1900-02-29 bug).
pub fn excel_serial(n: f64) -> Option<NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let secs = (n * 86_400.0).round() as i64;
    base.checked_add_signed(chrono::Duration::seconds(secs))
}

/// A range with its years written: `2026-03-05至2026-03-07`, `2026年3月5日—3月7日`,
/// `2026年3月5日-6日`, `2026.3.5-2026.3.6` (see [`parse_range_in`]).
pub fn parse_range(t: &str) -> Option<(NaiveDate, NaiveDate)> {
    parse_range_in(t, None)
}

/// A range, also `3月5日至6日` without a year (then `default_year`, the year of the row's date).
/// An end without year or month takes the start's; an end that would fall before the start
/// moves to the next month or year (`12月30日至1月2日`).
pub fn parse_range_in(t: &str, default_year: Option<i32>) -> Option<(NaiveDate, NaiveDate)> {
    let t = date_text(t);
    for sep in ["至", "到", "~", "〜", "——", "—", "–", "－"] {
        if let Some((a, b)) = t.split_once(sep) {
            return range_parts(a, b, default_year);
        }
    }
    // A hyphen also separates a date's parts: try each one as the separator.
    t.match_indices('-')
        .find_map(|(i, _)| range_parts(&t[..i], &t[i + 1..], default_year))
}

fn range_parts(a: &str, b: &str, default_year: Option<i32>) -> Option<(NaiveDate, NaiveDate)> {
    let start = parse_date_text(a).or_else(|| {
        let y = default_year?;
        a.contains('月')
            .then(|| parse_date_text(&format!("{y}年{a}")))
            .flatten()
    })?;
    if b.is_empty() {
        return None;
    }
    if let Some(end) = parse_date_text(b) {
        return Some((start, end));
    }
    let (y, m) = (start.year(), start.month());
    let (end, day_only) = if b.contains('月') {
        (parse_date_text(&format!("{y}年{b}"))?, false)
    } else {
        (parse_date_text(&format!("{y}年{m}月{b}"))?, true)
    };
    if end >= start {
        return Some((start, end));
    }
    // 12月30日至1月2日, 3月30日至2日: the end is in the next year or month.
    let later = if day_only {
        end.checked_add_months(chrono::Months::new(1))?
    } else {
        end.with_year(y + 1)?
    };
    Some((start, later))
}

/// A telephone number as one: a mobile (`13908591234`, `139 0859 1234`, `+86 139…`), a
/// landline with or without area code (`0859-6212345`, `(0859)6212345`, `6212345`), an extension
/// (`…转801`), or a 400/800 number. Anything else in the cell (letters, `电话`, `tel:`) refuses it.
/// Returns the number with its separators as typed (after NFKC).
pub fn parse_phone(t: &str) -> Option<String> {
    let s = nfkc(t).trim().to_owned();
    let compact: String = s.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let ok = crate::regexes::is_match(
        r"^(?:\+?86)?1[3-9]\d{9}$|^(?:\(0\d{2,3}\)|0\d{2,3})?[2-9]\d{6,7}(?:转\d{1,6})?$|^[48]00\d{7}$",
        &compact,
    );
    // Separators only between digit groups, never doubled or at the ends.
    let tidy = !s.contains("--") && !s.contains("  ") && !s.starts_with('-') && !s.ends_with('-');
    (ok && tidy).then_some(s)
}

/// Parses money (`12,345.6`, `￥12345.60`, `1.2万`, full-width `１２３４５`) into 分.
pub fn parse_money(cell: &Cell) -> Option<i64> {
    let n = match cell {
        Cell::Number(n) => *n,
        Cell::Text(t) => {
            let t = nfkc(t);
            let t = t
                .trim()
                .trim_start_matches(['￥', '¥'])
                .trim_end_matches('元')
                .replace([',', '，'], "");
            match t.strip_suffix('万') {
                Some(w) => w.trim().parse::<f64>().ok()? * 10_000.0,
                None => t.trim().parse::<f64>().ok()?,
            }
        }
        _ => return None,
    };
    n.is_finite().then(|| (n * 100.0).round() as i64)
}

/// Parses a number, including numbers stored as text.
pub fn parse_number(cell: &Cell) -> Option<f64> {
    match cell {
        Cell::Number(n) => Some(*n),
        Cell::Text(t) => nfkc(t).trim().replace([',', '，'], "").parse().ok(),
        Cell::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

/// 金额大写 (GB/T financial practice): `壹万贰仟叁佰肆拾伍元陆角整` style.
pub fn capital(fen: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"];
    const UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
    const GROUPS: [&str; 4] = ["", "万", "亿", "万亿"];
    if fen == 0 {
        return "零元整".into();
    }
    let neg = fen < 0;
    let fen = fen.unsigned_abs();
    let yuan = fen / 100;
    let (jiao, fen_) = ((fen / 10) % 10, fen % 10);
    let mut s = String::new();
    if yuan > 0 {
        // Groups of four digits (个, 万, 亿 …), a 零 wherever zeros are skipped.
        let mut groups = Vec::new();
        let mut rest = yuan;
        while rest > 0 {
            groups.push(rest % 10_000);
            rest /= 10_000;
        }
        let mut pending_zero = false;
        for (gi, g) in groups.iter().enumerate().rev() {
            if *g == 0 {
                pending_zero = !s.is_empty();
                continue;
            }
            if pending_zero || (!s.is_empty() && *g < 1000) {
                s.push('零');
            }
            pending_zero = false;
            let d = [g / 1000, g / 100 % 10, g / 10 % 10, g % 10];
            let (mut started, mut zero) = (false, false);
            for (i, x) in d.iter().enumerate() {
                if *x == 0 {
                    zero = started;
                } else {
                    if zero {
                        s.push('零');
                        zero = false;
                    }
                    s.push_str(DIGITS[*x as usize]);
                    s.push_str(UNITS[3 - i]);
                    started = true;
                }
            }
            s.push_str(GROUPS[gi.min(GROUPS.len() - 1)]);
        }
        s.push('元');
    }
    if jiao == 0 && fen_ == 0 {
        s.push('整');
    } else {
        if jiao > 0 {
            s.push_str(DIGITS[jiao as usize]);
            s.push('角');
        } else if yuan > 0 {
            s.push('零');
        }
        if fen_ > 0 {
            s.push_str(DIGITS[fen_ as usize]);
            s.push('分');
        } else {
            s.push('整');
        }
    }
    if neg { format!("负{s}") } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn capital_amounts() {
        assert_eq!(capital(1_234_560), "壹万贰仟叁佰肆拾伍元陆角整");
        assert_eq!(capital(3_000_000), "叁万元整");
        assert_eq!(capital(10_005), "壹佰元零伍分");
        assert_eq!(capital(100_000_000), "壹佰万元整");
        assert_eq!(capital(100_010_000), "壹佰万零壹佰元整");
        assert_eq!(capital(50), "伍角整");
        assert_eq!(capital(0), "零元整");
    }

    #[test]
    fn dates_as_clerks_type_them() {
        let d = NaiveDate::from_ymd_opt(2024, 3, 5);
        for t in [
            "2024年3月5日",
            "2024-03-05",
            "2024/3/5",
            "2024.3.5",
            "45356",
        ] {
            assert_eq!(parse_date_text(t), d, "{t}");
        }
        assert_eq!(parse_date(&Cell::Number(45356.0)), d);
        assert_eq!(
            parse_range("2024年3月5日至3月7日"),
            Some((d.unwrap(), NaiveDate::from_ymd_opt(2024, 3, 7).unwrap()))
        );
    }

    #[test]
    fn chinese_numerals_in_dates() {
        assert_eq!(date_numerals("二〇二六年三月四日"), "2026年3月4日");
        assert_eq!(date_numerals("二○二六年十二月三十一日"), "2026年12月31日");
        assert_eq!(date_numerals("十月二十日"), "10月20日");
        assert_eq!(date_numerals("请假"), "请假");
    }

    #[test]
    fn money_parses_into_fen() {
        assert_eq!(
            parse_money(&Cell::Text("￥12,345.6元".into())),
            Some(1_234_560)
        );
        assert_eq!(parse_money(&Cell::Text("3万".into())), Some(3_000_000));
        assert_eq!(format_money(1_234_560), "12,345.60");
    }
}
