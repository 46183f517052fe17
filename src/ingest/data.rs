//! TOML/JSON 公文 data files → the typed model, with errors that name the file, line and key.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::error::{Diagnostic, Error, Result};

/// Data file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// TOML (`.toml`).
    Toml,
    /// JSON (`.json`).
    Json,
}

impl Format {
    /// Chooses by extension; anything but `.json` is read as TOML.
    pub fn of(path: &Path) -> Self {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("json") => Self::Json,
            _ => Self::Toml,
        }
    }
}

/// Reads and parses a data file.
pub fn load<T: DeserializeOwned>(path: &Path) -> Result<T> {
    load_checked(path).map(|(value, _)| value)
}

/// Reads and parses a data file, and lists the control characters its strings carry (each an
/// error naming the field and the code point: NUL, BEL, ESC … never print and can hide text).
pub fn load_checked<T: DeserializeOwned>(path: &Path) -> Result<(T, Vec<Diagnostic>)> {
    let text = read_text(path)?;
    let format = Format::of(path);
    let value = parse(&text, format).map_err(|message| Error::Parse {
        path: path.to_owned(),
        message,
    })?;
    Ok((value, control_characters(&text, format)))
}

/// The file as UTF-8 text (a byte-order mark is dropped). Data files are UTF-8 (TOML and JSON
/// say so); anything else is refused naming the line and byte of the first bad sequence.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_owned(),
        source,
    })?;
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let at = e.valid_up_to();
            let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
            let line_start = bytes[..at]
                .iter()
                .rposition(|&b| b == b'\n')
                .map_or(0, |p| p + 1);
            let column =
                std::str::from_utf8(&bytes[line_start..at]).map_or(0, |s| s.chars().count()) + 1;
            let (gbk, _, bad) = encoding_rs::GB18030.decode(bytes);
            let guess = if bad {
                String::new()
            } else {
                format!(
                    "；文件像是 GBK/GB18030 编码（如“{}”），请用记事本或 WPS 另存为 UTF-8",
                    gbk.lines()
                        .nth(line - 1)
                        .unwrap_or_default()
                        .chars()
                        .take(20)
                        .collect::<String>()
                )
            };
            Err(Error::Parse {
                path: path.to_owned(),
                message: format!(
                    "第 {line} 行第 {column} 个字符处（文件第 {} 字节，值 0x{:02X}）不是有效的 UTF-8 编码{guess}",
                    at + 1,
                    bytes[at]
                ),
            })
        }
    }
}

/// Control characters in the strings of a data file: one error per field, naming the code point.
pub fn control_characters(text: &str, format: Format) -> Vec<Diagnostic> {
    let value: Option<serde_json::Value> = match format {
        Format::Toml => toml::from_str(text).ok(),
        Format::Json => serde_json::from_str(text).ok(),
    };
    let mut out = Vec::new();
    if let Some(v) = value {
        walk(&v, String::new(), &mut out);
    }
    out
}

/// Characters that never print: C0/C1 controls and DEL, except tab and line breaks.
pub fn first_control_char(s: &str) -> Option<char> {
    s.chars()
        .find(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
}

fn walk(v: &serde_json::Value, path: String, out: &mut Vec<Diagnostic>) {
    match v {
        serde_json::Value::String(s) => {
            if let Some(c) = first_control_char(s) {
                out.push(
                    Diagnostic::error(
                        "data.control_character",
                        path,
                        format!(
                            "含有不可打印的控制字符 U+{:04X}（{}），打印时会丢失或隐藏文字",
                            u32::from(c),
                            control_name(c)
                        ),
                    )
                    .hint("删除该字符（多为从其他系统复制粘贴带入）"),
                );
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk(item, format!("{path}[{i}]"), out);
            }
        }
        serde_json::Value::Object(map) => {
            for (k, item) in map {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                walk(item, p, out);
            }
        }
        _ => {}
    }
}

/// The usual name of a control character.
pub fn control_name(c: char) -> &'static str {
    match c {
        '\0' => "NUL",
        '\u{7}' => "BEL",
        '\u{8}' => "BS",
        '\u{b}' => "VT",
        '\u{c}' => "FF",
        '\u{1b}' => "ESC",
        '\u{7f}' => "DEL",
        '\u{80}'..='\u{9f}' => "C1 控制字符",
        _ => "C0 控制字符",
    }
}

/// Parses data text; the error message carries line and column.
pub fn parse<T: DeserializeOwned>(text: &str, format: Format) -> std::result::Result<T, String> {
    match format {
        Format::Toml => toml::from_str(text).map_err(|e| translate(&e.to_string())),
        Format::Json => serde_json::from_str(text).map_err(|e| translate(&e.to_string())),
    }
}

/// Puts the most common serde messages into Chinese, keeping the original detail.
fn translate(msg: &str) -> String {
    let msg = msg.trim();
    let zh = if msg.contains("unknown field") {
        "未知的字段（拼写错误？）"
    } else if msg.contains("missing field") {
        "缺少必填字段"
    } else if msg.contains("invalid type") {
        "字段类型不对"
    } else if msg.contains("did not match any variant") {
        "内容的写法不符合任何一种允许的形式"
    } else {
        "无法解析"
    };
    format!("{zh}：{msg}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_named_with_field_and_code_point() {
        let text = "title = \"关于\\u001B[31m通知\"\nbody = [\"一\", \"二\\u0000三\"]\n";
        let found = control_characters(text, Format::Toml);
        assert_eq!(found.len(), 2, "{found:?}");
        let title = found.iter().find(|d| d.field == "title").expect("title");
        assert!(title.message.contains("U+001B") && title.message.contains("ESC"));
        let body = found
            .iter()
            .find(|d| d.field == "body[1]")
            .expect("body[1]");
        assert!(body.message.contains("U+0000"));
        assert!(control_characters("title = \"a\\tb\\nc\"", Format::Toml).is_empty());
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let dir = tempfile::tempdir().expect("tmp");
        let p = dir.path().join("gbk.toml");
        let (gbk, _, _) =
            encoding_rs::GB18030.encode("kind = \"通知\"\ntitle = \"关于开展检查的通知\"\n");
        std::fs::write(&p, &gbk).expect("write");
        let Err(Error::Parse { message, .. }) = read_text(&p) else {
            panic!("GBK must be refused")
        };
        assert!(
            message.contains("第 2 行") && message.contains("GBK"),
            "{message}"
        );
    }
}
