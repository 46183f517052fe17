//! 发文字号 (§7.2.5): 机关代字 + 〔年份〕 + 顺序号 + 号, e.g. `仁府办发〔2020〕79号`.

use std::fmt;

/// A parsed 发文字号.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocNumber {
    /// 机关代字, e.g. `仁府办发`.
    pub issuer_code: String,
    /// 年份, written in full.
    pub year: i32,
    /// 发文顺序号, from 1.
    pub sequence: u32,
}

impl fmt::Display for DocNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}〔{}〕{}号",
            self.issuer_code, self.year, self.sequence
        )
    }
}

/// Why a 发文字号 was refused; each names the rule of §7.2.5 it breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocNumberError {
    /// Year not in 六角括号 〔〕 (e.g. `[2020]`, `【2020】`, `(2020)`).
    Brackets(String),
    /// The year is not four Arabic digits.
    Year,
    /// 顺序号 has 第 (`第79号`).
    Di,
    /// 顺序号 has a leading zero (`079号`).
    LeadingZero,
    /// Missing 号 or extra text after it.
    Suffix,
    /// 顺序号 missing or not Arabic digits.
    Sequence,
    /// 机关代字 missing.
    IssuerCode,
}

impl DocNumberError {
    /// The message in Chinese.
    pub fn message(&self) -> String {
        match self {
            Self::Brackets(found) => format!("年份须用六角括号“〔〕”括入，不能用“{found}”"),
            Self::Year => "年份应标全称（四位阿拉伯数字）".into(),
            Self::Di => "发文顺序号不加“第”字".into(),
            Self::LeadingZero => "发文顺序号不编虚位（1 不编为 01）".into(),
            Self::Suffix => "发文顺序号后应加“号”字，其后不能再有文字".into(),
            Self::Sequence => "发文顺序号应为阿拉伯数字".into(),
            Self::IssuerCode => "缺少机关代字".into(),
        }
    }
}

/// Parses a 发文字号.
pub fn parse(s: &str) -> Result<DocNumber, DocNumberError> {
    let s = s.trim();
    for (open, close) in [
        ('[', ']'),
        ('【', '】'),
        ('(', ')'),
        ('（', '）'),
        ('〈', '〉'),
        ('［', '］'),
    ] {
        if let (Some(a), Some(b)) = (s.find(open), s.find(close))
            && a < b
            && s[a + open.len_utf8()..b]
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            return Err(DocNumberError::Brackets(format!("{open}{close}")));
        }
    }
    let (code, rest) = s
        .split_once('〔')
        .ok_or(DocNumberError::Brackets("无括号".into()))?;
    let (year, rest) = rest
        .split_once('〕')
        .ok_or(DocNumberError::Brackets("〔".into()))?;
    let code = code.trim();
    if code.is_empty() {
        return Err(DocNumberError::IssuerCode);
    }
    if year.len() != 4 || !year.chars().all(|c| c.is_ascii_digit()) {
        return Err(DocNumberError::Year);
    }
    if rest.starts_with('第') || code.ends_with("字第") {
        return Err(DocNumberError::Di);
    }
    let seq = rest.strip_suffix('号').ok_or(DocNumberError::Suffix)?;
    if seq.is_empty() || !seq.chars().all(|c| c.is_ascii_digit()) {
        return Err(if seq.contains('号') {
            DocNumberError::Suffix
        } else {
            DocNumberError::Sequence
        });
    }
    if seq.starts_with('0') {
        return Err(DocNumberError::LeadingZero);
    }
    Ok(DocNumber {
        issuer_code: code.to_owned(),
        year: year.parse().map_err(|_| DocNumberError::Year)?,
        sequence: seq.parse().map_err(|_| DocNumberError::Sequence)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_standard_example() {
        let n = parse("仁府办发〔2020〕79号").unwrap();
        assert_eq!(
            (n.issuer_code.as_str(), n.year, n.sequence),
            ("仁府办发", 2020, 79)
        );
        assert_eq!(n.to_string(), "仁府办发〔2020〕79号");
    }

    #[test]
    fn refuses_each_breach() {
        assert!(matches!(
            parse("仁府办发[2020]79号"),
            Err(DocNumberError::Brackets(_))
        ));
        assert!(matches!(
            parse("仁府办发【2020】79号"),
            Err(DocNumberError::Brackets(_))
        ));
        assert!(matches!(
            parse("仁府办发（2020）79号"),
            Err(DocNumberError::Brackets(_))
        ));
        assert_eq!(parse("仁府办发〔2020〕第79号"), Err(DocNumberError::Di));
        assert_eq!(
            parse("仁府办发〔2020〕079号"),
            Err(DocNumberError::LeadingZero)
        );
        assert_eq!(parse("仁府办发〔20〕79号"), Err(DocNumberError::Year));
        assert_eq!(parse("仁府办发〔2020〕79"), Err(DocNumberError::Suffix));
        assert_eq!(parse("〔2020〕79号"), Err(DocNumberError::IssuerCode));
    }
}
