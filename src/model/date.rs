//! 成文日期 and 印发日期 (§7.3.5.4): `2012年7月1日`, Arabic digits, no zero padding.

use chrono::{Datelike, NaiveDate};

/// Why a date was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateError {
    /// Not `YYYY年M月D日` nor ISO `YYYY-MM-DD`.
    Shape,
    /// Month or day written with a leading zero (`03月`).
    LeadingZero,
    /// Not a real calendar date (`2月30日`).
    NotACalendarDate,
}

/// Parses `2026年12月1日` (strict: no leading zeros) or ISO `2026-12-01`.
pub fn parse(s: &str) -> Result<NaiveDate, DateError> {
    let s = s.trim();
    if let Some((y, rest)) = s.split_once('年') {
        let (m, rest) = rest.split_once('月').ok_or(DateError::Shape)?;
        let d = rest.strip_suffix('日').ok_or(DateError::Shape)?;
        let all_digits = |t: &str| !t.is_empty() && t.chars().all(|c| c.is_ascii_digit());
        if y.len() != 4 || !all_digits(y) || !all_digits(m) || !all_digits(d) {
            return Err(DateError::Shape);
        }
        if m.starts_with('0') || d.starts_with('0') {
            return Err(DateError::LeadingZero);
        }
        let (y, m, d) = (num(y)?, num(m)?, num(d)?);
        return NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateError::NotACalendarDate);
    }
    let parts: Vec<&str> = s.split('-').collect();
    if parts.len() == 3
        && parts[0].len() == 4
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    {
        let (y, m, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
        return NaiveDate::from_ymd_opt(y as i32, m, d).ok_or(DateError::NotACalendarDate);
    }
    Err(DateError::Shape)
}

fn num(s: &str) -> Result<u32, DateError> {
    s.parse().map_err(|_| DateError::Shape)
}

/// Formats as the standard writes it: `2026年12月1日`.
pub fn format(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_standard_and_iso() {
        assert_eq!(format(parse("2012年7月1日").unwrap()), "2012年7月1日");
        assert_eq!(format(parse("2026-03-05").unwrap()), "2026年3月5日");
        assert_eq!(parse("2026年03月5日"), Err(DateError::LeadingZero));
        assert_eq!(parse("2026年2月30日"), Err(DateError::NotACalendarDate));
        assert_eq!(parse("二〇二六年三月五日"), Err(DateError::Shape));
        assert_eq!(parse("2026.3.5"), Err(DateError::Shape));
    }
}
