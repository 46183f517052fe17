//! Output formats of a document: PDF, OFD, or both (`--format pdf,ofd`).

use std::path::{Path, PathBuf};

/// Which files to write for each document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Formats {
    /// A PDF (the default).
    pub pdf: bool,
    /// An OFD (GB/T 33190).
    pub ofd: bool,
}

impl Default for Formats {
    fn default() -> Self {
        Self {
            pdf: true,
            ofd: false,
        }
    }
}

impl Formats {
    /// Parses `pdf`, `ofd`, `pdf,ofd` (any order, any case, `，` accepted).
    pub fn parse(s: &str) -> Result<Self, String> {
        let mut f = Self {
            pdf: false,
            ofd: false,
        };
        for part in s
            .split([',', '，', '+'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            match part.to_ascii_lowercase().as_str() {
                "pdf" => f.pdf = true,
                "ofd" => f.ofd = true,
                other => {
                    return Err(format!(
                        "不认识的输出格式“{other}”，可用 pdf、ofd 或 pdf,ofd"
                    ));
                }
            }
        }
        if !f.pdf && !f.ofd {
            return Err("请给出输出格式：pdf、ofd 或 pdf,ofd".into());
        }
        Ok(f)
    }

    /// Where the OFD goes when the PDF would go to `pdf_path`: the same name, `.ofd`.
    pub fn ofd_path(pdf_path: &Path) -> PathBuf {
        pdf_path.with_extension("ofd")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_refuses_unknown_formats() {
        assert_eq!(Formats::parse("pdf").unwrap(), Formats::default());
        let both = Formats::parse("OFD, pdf").unwrap();
        assert!(both.pdf && both.ofd);
        let ofd = Formats::parse("ofd").unwrap();
        assert!(!ofd.pdf && ofd.ofd);
        assert!(Formats::parse("docx").unwrap_err().contains("docx"));
        assert!(Formats::parse(",").is_err());
    }
}
