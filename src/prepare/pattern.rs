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
    }
}
