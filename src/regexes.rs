//! Regular expressions compiled once per process: building a regex costs more than matching
//! it, and validation runs the same few patterns on every row of a batch.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use regex::Regex;

static CACHE: LazyLock<Mutex<HashMap<String, Option<Regex>>>> =
    LazyLock::new(|| Mutex::new(HashMap::new()));

/// The compiled `pattern`, or `None` if it is not a valid regex. Compiled on first use.
pub fn get(pattern: &str) -> Option<Regex> {
    if let Ok(cache) = CACHE.lock()
        && let Some(re) = cache.get(pattern)
    {
        return re.clone();
    }
    let re = Regex::new(pattern).ok();
    if let Ok(mut cache) = CACHE.lock() {
        cache.insert(pattern.to_owned(), re.clone());
    }
    re
}

/// Whether `pattern` is valid and matches `text`.
pub fn is_match(pattern: &str, text: &str) -> bool {
    get(pattern).is_some_and(|re| re.is_match(text))
}

#[cfg(test)]
mod tests {
    #[test]
    fn invalid_patterns_never_match_and_valid_ones_do() {
        assert!(!super::is_match("(", "("));
        assert!(super::is_match(r"^\d+$", "123"));
        assert!(super::is_match(r"^\d+$", "456"));
    }
}
