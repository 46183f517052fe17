//! One diagnostic shape for everything a user can get wrong, and the crate's error type.
//!
//! A [`Diagnostic`] names the file, the field (a dotted path into the data), the rule (a stable
//! English code plus the clause it comes from) and how to fix it. Messages are Chinese, in the
//! `file:field: message` shape of grep and csv tools.

use std::fmt;
use std::path::PathBuf;

use serde::Serialize;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Severity {
    /// Refuses the document.
    Error,
    /// Printed; the document is still produced.
    Warning,
}

/// One finding about one document.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Stable rule code, e.g. `gongwen.doc_number.bracket`.
    pub code: &'static str,
    /// Dotted path of the field in the data file, e.g. `doc_number` or `attachments[1].title`.
    pub field: String,
    /// What is wrong, in Chinese.
    pub message: String,
    /// How to fix it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error.
    pub fn error(code: &'static str, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            code,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning.
    pub fn warning(
        code: &'static str,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            severity: Severity::Warning,
            code,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// Adds the fix.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this refuses the document.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Renders as `file:field: 错误[code] message（hint）`.
    pub fn display_in(&self, file: &str) -> String {
        let level = match self.severity {
            Severity::Error => "错误",
            Severity::Warning => "警告",
        };
        let mut s = if self.field.is_empty() {
            format!("{file}: {level}[{}] {}", self.code, self.message)
        } else {
            format!(
                "{file}:{}: {level}[{}] {}",
                self.field, self.code, self.message
            )
        };
        if let Some(h) = &self.hint {
            s.push_str("\n    修改建议：");
            s.push_str(h);
        }
        s
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display_in("<文档>"))
    }
}

/// Whether any diagnostic refuses the document.
pub fn has_errors(diags: &[Diagnostic]) -> bool {
    diags.iter().any(Diagnostic::is_error)
}

/// Errors that stop a command (as opposed to findings about a document's content).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file could not be read or written.
    #[error("{path}: 无法访问文件：{source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A data file is not valid TOML/JSON or does not match the data model.
    #[error("{path}: 数据格式错误：{message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// Parser message with line/column.
        message: String,
    },
    /// The document was refused by validation.
    #[error("{path}: 文档未通过校验（{} 个错误）", count_errors(.diagnostics))]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Every finding.
        diagnostics: Vec<Diagnostic>,
    },
    /// Typst failed on a template (a bug in a template, or in an override template).
    #[error("排版模板出错：{0}")]
    Template(String),
    /// Font configuration problem.
    #[error("字体：{0}")]
    Font(String),
    /// A form definition is malformed.
    #[error("{file}: 表单定义错误：{message}")]
    Definition {
        /// The definition file.
        file: String,
        /// Every problem found.
        message: String,
    },
    /// A spreadsheet or data table could not be read.
    #[error("{path}: 无法读取表格：{message}")]
    Table {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// The numbering registry refused or failed.
    #[error("编号：{0}")]
    Registry(String),
    /// An output path that must not be written (an input, a folder).
    #[error("{path}: 不能写入：{message}")]
    Output {
        /// The output path.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// PDF export failed.
    #[error("PDF 输出失败：{0}")]
    Pdf(String),
    /// OFD export failed (something on the page OFD cannot carry, or a font that cannot be
    /// embedded).
    #[error("OFD 输出失败：{0}")]
    Ofd(String),
}

fn count_errors(d: &[Diagnostic]) -> usize {
    d.iter().filter(|d| d.is_error()).count()
}

/// The crate's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
