//! Property tests (proptest) for the parsers and validators clerks and drafters feed: 发文字号,
//! dates in every accepted spelling, money and its 大写, header matching and word breaking.
//! Each property states what must hold for *every* input, not for the samples.

use chrono::{Datelike, NaiveDate};
use proptest::prelude::*;

use wenshu::ingest::table::normalize;
use wenshu::model::date;
use wenshu::model::value::{self, Cell};
use wenshu::number::pattern;
use wenshu::prepare::words::{self, Break};

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (1950i32..2100, 1u32..=12, 1u32..=31).prop_filter_map("calendar date", |(y, m, d)| {
        NaiveDate::from_ymd_opt(y, m, d)
    })
}

/// A 机关代字 as offices write them: two to six CJK characters.
fn issuer_code() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            '仁', '府', '办', '发', '函', '医', '保', '财', '教', '党', '委', '字',
        ]),
        2..7,
    )
    .prop_map(|v| v.into_iter().collect())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    // ---- 发文字号 ----

    #[test]
    fn doc_numbers_round_trip(code in issuer_code(), year in 1000i32..=9999, seq in 1u32..100_000) {
        let text = format!("{code}〔{year}〕{seq}号");
        let n = pattern::parse(&text).expect("a well-formed number parses");
        prop_assert_eq!((n.issuer_code.as_str(), n.year, n.sequence), (code.as_str(), year, seq));
        prop_assert_eq!(n.to_string(), text);
    }

    #[test]
    fn malformed_doc_numbers_are_refused(code in issuer_code(), year in 1000i32..=9999, seq in 1u32..1000,
                                         form in 0usize..5) {
        let text = match form {
            0 => format!("{code}[{year}]{seq}号"),
            1 => format!("{code}〔{year}〕第{seq}号"),
            2 => format!("{code}〔{year}〕0{seq}号"),
            3 => format!("{code}〔{year}〕{seq}"),
            _ => format!("{code}〔{}〕{seq}号", year % 100),
        };
        prop_assert!(pattern::parse(&text).is_err(), "{} accepted", text);
    }

    #[test]
    fn doc_number_parsing_never_panics_and_accepts_only_what_it_prints(s in "\\PC{0,40}") {
        if let Ok(n) = pattern::parse(&s) {
            prop_assert_eq!(pattern::parse(&n.to_string()), Ok(n));
        }
    }

    // ---- dates ----

    #[test]
    fn standard_dates_round_trip(d in any_date()) {
        let text = date::format(d);
        prop_assert_eq!(date::parse(&text), Ok(d));
        let iso = d.format("%Y-%m-%d").to_string();
        prop_assert_eq!(date::parse(&iso), Ok(d));
        // The standard forbids zero padding in 年月日 form.
        if d.month() < 10 {
            let padded = format!("{}年0{}月{}日", d.year(), d.month(), d.day());
            prop_assert!(date::parse(&padded).is_err());
        }
    }

    #[test]
    fn every_spelling_clerks_use_reads_as_the_same_day(d in any_date(), spelling in 0usize..7) {
        let (y, m, dd) = (d.year(), d.month(), d.day());
        let text = match spelling {
            0 => format!("{y}年{m}月{dd}日"),
            1 => format!("{y}-{m:02}-{dd:02}"),
            2 => format!("{y}/{m}/{dd}"),
            3 => format!("{y}.{m}.{dd}"),
            4 => format!("{y}-{m}-{dd}"),
            5 => format!(" {y}年{m:02}月{dd:02}日 "),
            _ => format!("{y}/{m:02}/{dd:02}"),
        };
        prop_assert_eq!(value::parse_date_text(&text), Some(d), "{}", text);
        prop_assert_eq!(value::parse_date(&Cell::Text(text)), Some(d));
    }

    #[test]
    fn ranges_read_both_ends(a in any_date(), len in 0i64..60, sep in 0usize..3) {
        let b = a + chrono::Duration::days(len);
        let text = match sep {
            0 => format!("{}至{}", value::chinese_date(a), value::chinese_date(b)),
            1 => format!("{}~{}", a.format("%Y-%m-%d"), b.format("%Y-%m-%d")),
            _ => format!("{}到{}", a.format("%Y/%m/%d"), b.format("%Y/%m/%d")),
        };
        prop_assert_eq!(value::parse_range(&text), Some((a, b)), "{}", text);
    }

    #[test]
    fn date_parsers_never_panic(s in "\\PC{0,30}") {
        let _ = date::parse(&s);
        let _ = value::parse_date_text(&s);
        let _ = value::parse_range(&s);
    }

    // ---- money ----

    #[test]
    fn money_round_trips_through_its_printed_form(fen in -99_999_999_999i64..99_999_999_999) {
        let printed = value::format_money(fen);
        prop_assert_eq!(value::parse_money(&Cell::Text(printed.clone())), Some(fen), "{}", printed);
        prop_assert_eq!(value::parse_money(&Cell::Text(format!("￥{printed}"))), Some(fen));
    }

    #[test]
    fn capital_amounts_read_back_to_the_same_amount(fen in 0i64..100_000_000_000_000) {
        let text = value::capital(fen);
        prop_assert_eq!(read_capital(&text), Some(fen), "{}", text);
        prop_assert!(text.ends_with('整') || text.ends_with('分'), "{}", text);
        prop_assert!(!text.contains("零零"), "{}", text);
        prop_assert!(!text.starts_with('零') || fen == 0, "{}", text);
    }

    #[test]
    fn capital_never_panics(fen in any::<i64>()) {
        prop_assert!(!value::capital(fen).is_empty());
    }

    // ---- headers ----

    #[test]
    fn header_matching_ignores_spaces_width_markers_and_colons(label in "[请假事由天数姓名部门]{1,6}",
                                                               spaces in 0usize..3, star in any::<bool>(),
                                                               colon in 0usize..3) {
        let mut typed = String::new();
        if star { typed.push('*'); }
        for (i, c) in label.chars().enumerate() {
            typed.push(c);
            if i == 0 && spaces > 0 { typed.push_str(if spaces == 1 { " " } else { "\u{3000}" }); }
        }
        typed.push_str(["", ":", "："][colon]);
        prop_assert_eq!(normalize(&typed), normalize(&label));
        prop_assert_eq!(normalize(&normalize(&typed)), normalize(&typed));
    }

    #[test]
    fn full_width_ascii_matches_half_width(s in "[A-Za-z0-9()/]{1,12}") {
        let wide: String = s.chars().map(|c| char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)).collect();
        prop_assert_eq!(normalize(&wide), normalize(&s));
    }

    // ---- word breaking ----

    #[test]
    fn breaking_keeps_every_character_and_never_splits_dates_or_amounts(
        head in "[关于做好全县安全生产工作的通知印发]{0,12}",
        d in any_date(),
        amount in 1u32..100_000,
        tail in "[关于做好全县安全生产工作的通知印发]{0,12}",
    ) {
        let date = value::chinese_date(d);
        let money = format!("{amount}元");
        let text = format!("{head}{date}{tail}{money}");
        let units = words::units(&text, &[]);
        prop_assert_eq!(units.concat(), text.clone());
        let classes = words::classify(&text, &[]);
        prop_assert_eq!(classes.len(), text.chars().count() + 1);
        let start = head.chars().count();
        let inside_date = &classes[start + 1..start + date.chars().count()];
        prop_assert!(inside_date.iter().all(|b| *b == Break::Never), "inside {} in {}", date, text);
        let m0 = text.chars().count() - money.chars().count();
        let inside_money = &classes[m0 + 1..text.chars().count()];
        prop_assert!(inside_money.iter().all(|b| *b == Break::Never), "inside {} in {}", money, text);
    }

    #[test]
    fn breaking_never_panics(s in "\\PC{0,60}") {
        let classes = words::classify(&s, &["兴仁市人民政府"]);
        prop_assert_eq!(classes.len(), s.chars().count() + 1);
        prop_assert_eq!(words::units(&s, &[]).concat(), s);
    }
}

/// An independent reader of 大写 amounts (`壹万贰仟零伍元陆角整`) back to 分, to check
/// [`value::capital`] against something it does not share code with.
fn read_capital(text: &str) -> Option<i64> {
    let digit = |c: char| {
        "零壹贰叁肆伍陆柒捌玖"
            .chars()
            .position(|d| d == c)
            .map(|p| p as i64)
    };
    let (mut total, mut section, mut number) = (0i64, 0i64, 0i64);
    let mut yuan = None;
    let mut fen = 0i64;
    let mut after_yuan_digit = None;
    for c in text.chars() {
        match c {
            '拾' => section += number.max(if yuan.is_none() && number == 0 { 1 } else { 0 }) * 10,
            '佰' => section += number * 100,
            '仟' => section += number * 1000,
            '万' => {
                total += (section + number) * 10_000;
                section = 0;
            }
            '亿' => {
                total = (total + section + number) * 100_000_000;
                section = 0;
            }
            '元' => yuan = Some(total + section + number),
            '角' => fen += after_yuan_digit? * 10,
            '分' => fen += after_yuan_digit?,
            '整' => {}
            c => {
                let d = digit(c)?;
                if yuan.is_some() {
                    after_yuan_digit = Some(d);
                } else {
                    number = d;
                    continue;
                }
            }
        }
        if matches!(c, '拾' | '佰' | '仟' | '万' | '亿') {
            number = 0;
        }
    }
    Some(yuan.unwrap_or(0) * 100 + fen)
}
