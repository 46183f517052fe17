//! Output formats of a document: PDF, OFD, or both (`--format pdf,ofd`).

use std::path::{Path, PathBuf};

use crate::error::Error;

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

    /// The files one document is written to. `output` is what `-o` gave; without it both go
    /// beside `data` under its name. With one format `-o` is that file exactly (a device
    /// included); with both it names the PDF and the OFD goes beside it.
    pub fn targets(&self, output: Option<&Path>, data: &Path) -> Result<Targets, Error> {
        let main = match output {
            Some(o) => o.to_owned(),
            None => data.with_extension(if self.pdf { "pdf" } else { "ofd" }),
        };
        // An OFD named .pdf (or a PDF named .ofd) would open in the wrong program, or not at all.
        let ext = main
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase());
        let wrong = match (self.pdf, self.ofd, ext.as_deref()) {
            (false, true, Some("pdf")) => Some("输出格式为 OFD，-o 却是 .pdf 文件名；请改为 .ofd"),
            (true, false, Some("ofd")) => {
                Some("输出格式为 PDF，-o 却是 .ofd 文件名；要输出 OFD 请加 --format ofd")
            }
            _ => None,
        };
        if let Some(message) = wrong {
            return Err(Error::Output {
                path: main,
                message: message.into(),
            });
        }
        if !self.ofd {
            return Ok(Targets {
                pdf: Some(main),
                ofd: None,
            });
        }
        if !self.pdf {
            return Ok(Targets {
                pdf: None,
                ofd: Some(main),
            });
        }
        let ofd = Self::ofd_path(&main);
        let refuse = |message: &str| Error::Output {
            path: main.clone(),
            message: message.into(),
        };
        if ofd == main {
            return Err(refuse(
                "同时输出 PDF 和 OFD 时，-o 请给出 PDF 的文件名（OFD 与之同名）",
            ));
        }
        if std::fs::metadata(&main).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
            return Err(refuse(
                "输出到设备或管道时只能选一种格式（--format pdf 或 ofd）",
            ));
        }
        Ok(Targets {
            pdf: Some(main),
            ofd: Some(ofd),
        })
    }
}

/// Where one document's files go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Targets {
    /// The PDF, when asked for.
    pub pdf: Option<PathBuf>,
    /// The OFD, when asked for.
    pub ofd: Option<PathBuf>,
}

impl Targets {
    /// Every path, PDF first.
    pub fn paths(&self) -> impl Iterator<Item = &Path> {
        self.pdf.iter().chain(&self.ofd).map(PathBuf::as_path)
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

    #[test]
    fn targets_follow_the_output_name_and_refuse_collisions() {
        let data = Path::new("in/doc.toml");
        let both = Formats::parse("pdf,ofd").unwrap();
        let t = both.targets(None, data).unwrap();
        assert_eq!(t.pdf.as_deref(), Some(Path::new("in/doc.pdf")));
        assert_eq!(t.ofd.as_deref(), Some(Path::new("in/doc.ofd")));
        let ofd = Formats::parse("ofd").unwrap();
        let t = ofd.targets(None, data).unwrap();
        assert_eq!(
            (t.pdf, t.ofd.as_deref()),
            (None, Some(Path::new("in/doc.ofd")))
        );
        // One format: -o is the file, whatever its name.
        let t = ofd.targets(Some(Path::new("out/x.bin")), data).unwrap();
        assert_eq!(t.ofd.as_deref(), Some(Path::new("out/x.bin")));
        assert!(both.targets(Some(Path::new("x.ofd")), data).is_err());
        // A file named for the other format is refused.
        assert!(ofd.targets(Some(Path::new("x.PDF")), data).is_err());
        let pdf = Formats::default();
        assert!(pdf.targets(Some(Path::new("x.ofd")), data).is_err());
        assert!(pdf.targets(Some(Path::new("x.pdf")), data).is_ok());
        #[cfg(unix)]
        assert!(both.targets(Some(Path::new("/dev/null")), data).is_err());
    }
}
