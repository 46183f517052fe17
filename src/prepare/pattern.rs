//! Placeholder patterns for numbers and file names: `派车〔{year}〕{seq}号`, `{row}-{姓名}`,
//! `{seq:03}` (zero-padded). Names may be Chinese field labels.
//!
//! (Tera was the first choice, but its variable names are ASCII-only and its bracket lookup
//! panics on Chinese keys; these patterns need nothing but substitution.)

use std::collections::BTreeMap;

/// Why a pattern could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PatternError {
    /// `{` without `}`.
    Unclosed,
    /// A placeholder with no value.
    Unknown(String),
    /// `{x:...}` with a format other than `0N`.
    Format(String),
}

impl std::fmt::Display for PatternError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unclosed => write!(f, "“{{”没有配对的“}}”"),
            Self::Unknown(n) => write!(f, "没有名为“{n}”的值"),
            Self::Format(s) => write!(f, "格式“{s}”无效，只支持 0N（补零到 N 位）"),
        }
    }
}

/// Renders `pattern` with `values`.
pub fn render(pattern: &str, values: &BTreeMap<String, String>) -> Result<String, PatternError> {
    let mut out = String::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let j = after.find('}').ok_or(PatternError::Unclosed)?;
        let inner = &after[..j];
        let (name, fmt) = inner
            .split_once(':')
            .map_or((inner, None), |(n, f)| (n, Some(f)));
        let value = values
            .get(name.trim())
            .ok_or_else(|| PatternError::Unknown(name.trim().to_owned()))?;
        match fmt {
            None => out.push_str(value),
            Some(f) => {
                let width: usize = f
                    .strip_prefix('0')
                    .and_then(|w| w.parse().ok())
                    .ok_or_else(|| PatternError::Format(f.to_owned()))?;
                out.push_str(&format!("{value:0>width$}"));
            }
        }
        rest = &after[j + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// The names a pattern uses.
pub fn names(pattern: &str) -> Result<Vec<String>, PatternError> {
    let mut v = BTreeMap::new();
    let mut out = Vec::new();
    let mut rest = pattern;
    while let Some(i) = rest.find('{') {
        let after = &rest[i + 1..];
        let j = after.find('}').ok_or(PatternError::Unclosed)?;
        let name = after[..j]
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_owned();
        v.insert(name.clone(), "1".to_owned());
        out.push(name);
        rest = &after[j + 1..];
    }
    render(pattern, &v)?;
    Ok(out)
}

/// Reads `year` and `seq` back out of a number written with `pattern` (prefix and literal text
/// must match exactly), e.g. `派车〔2026〕5号` with `派车〔{year}〕{seq}号` → (2026, 5).
pub fn parse_number(pattern: &str, prefix: &str, text: &str) -> Option<(i32, u32)> {
    let mut re = String::from("^");
    let mut rest = pattern;
    let (mut year_at, mut seq_at, mut group) = (None, None, 0);
    while let Some(i) = rest.find('{') {
        re.push_str(&regex::escape(&rest[..i]));
        let after = &rest[i + 1..];
        let j = after.find('}')?;
        let name = after[..j].split(':').next().unwrap_or_default().trim();
        match name {
            "year" => {
                group += 1;
                year_at = Some(group);
                re.push_str(r"(\d{4})");
            }
            "seq" => {
                group += 1;
                seq_at = Some(group);
                re.push_str(r"(\d+)");
            }
            "prefix" => re.push_str(&regex::escape(prefix)),
            _ => re.push_str(".*?"),
        }
        rest = &after[j + 1..];
    }
    re.push_str(&regex::escape(rest));
    re.push('$');
    let caps = crate::regexes::get(&re)?.captures(text.trim())?;
    let year = caps.get(year_at?)?.as_str().parse().ok()?;
    let seq = caps.get(seq_at?)?.as_str().parse().ok()?;
    Some((year, seq))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_numbers_and_chinese_names() {
        let mut v = BTreeMap::new();
        v.insert("year".to_owned(), "2026".to_owned());
        v.insert("seq".to_owned(), "7".to_owned());
        v.insert("姓名".to_owned(), "王某某".to_owned());
        assert_eq!(
            render("派车〔{year}〕{seq}号", &v).unwrap(),
            "派车〔2026〕7号"
        );
        assert_eq!(render("{seq:03}-{姓名}", &v).unwrap(), "007-王某某");
        assert_eq!(render("{x}", &v), Err(PatternError::Unknown("x".into())));
        assert_eq!(render("{year", &v), Err(PatternError::Unclosed));
        assert_eq!(
            parse_number("派车〔{year}〕{seq}号", "", "派车〔2026〕5号"),
            Some((2026, 5))
        );
        assert_eq!(
            parse_number("{prefix}〔{year}〕{seq:03}号", "收", "收〔2026〕007号"),
            Some((2026, 7))
        );
        assert_eq!(
            parse_number("派车〔{year}〕{seq}号", "", "派车[2026]5号"),
            None
        );
    }
}
