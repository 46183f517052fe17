//! Text files as offices save them: UTF-8 (with or without a BOM), UTF-16 with a BOM (Excel's
//! “Unicode 文本”), and GBK/GB18030 (Excel's “CSV” on Chinese Windows). The encoding is
//! detected, named in messages, and invalid bytes are reported by line and byte.

use encoding_rs::{Encoding, GB18030, UTF_8};

/// A decoded text file.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The text.
    pub text: String,
    /// The encoding it was read in, as offices name it: `UTF-8`, `UTF-8（带 BOM）`,
    /// `UTF-16LE`, `GBK/GB18030`.
    pub encoding: &'static str,
}

/// Where decoding failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// The encoding tried.
    pub encoding: &'static str,
    /// 1-based line of the first bad byte.
    pub line: usize,
    /// 1-based byte of the first bad byte within its line.
    pub column: usize,
    /// 1-based byte offset of the first bad byte in the file.
    pub byte: usize,
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let at = if self.column > 0 {
            format!("第 {} 行第 {} 字节", self.line, self.column)
        } else {
            format!("第 {} 行", self.line)
        };
        write!(
            f,
            "{at}（文件第 {} 字节）不是有效的 {} 文本；请用 UTF-8 编码保存（Excel/WPS：另存为“CSV UTF-8”）",
            self.byte, self.encoding
        )
    }
}

/// Where the first invalid UTF-8 sequence is.
pub fn utf8_error_at(bytes: &[u8], valid_up_to: usize) -> DecodeError {
    let before = &bytes[..valid_up_to];
    let line_start = before
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |p| p + 1);
    DecodeError {
        encoding: "UTF-8",
        line: before.iter().filter(|b| **b == b'\n').count() + 1,
        column: valid_up_to - line_start + 1,
        byte: valid_up_to + 1,
    }
}

/// Decodes a text table: a BOM decides; otherwise valid UTF-8 is UTF-8 and anything else is
/// read as GB18030 (the superset of GBK and GB2312 that Chinese Windows writes).
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    if let Some((enc, bom)) = Encoding::for_bom(bytes) {
        let name = match enc.name() {
            "UTF-8" => "UTF-8（带 BOM）",
            "UTF-16LE" => "UTF-16LE",
            _ => "UTF-16BE",
        };
        let body = &bytes[bom..];
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if had_errors {
            return Err(first_error(enc, body, name, bom));
        }
        return Ok(Decoded {
            text: text.into_owned(),
            encoding: name,
        });
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_owned(),
            encoding: "UTF-8",
        });
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        // Neither UTF-8 nor GB18030: report where UTF-8 broke, the likelier intent.
        let e = std::str::from_utf8(bytes)
            .err()
            .map_or(0, |e| e.valid_up_to());
        return Err(utf8_error_at(bytes, e));
    }
    Ok(Decoded {
        text: text.into_owned(),
        encoding: "GBK/GB18030",
    })
}

/// Finds the first malformed sequence by decoding chunk by chunk.
fn first_error(
    enc: &'static Encoding,
    body: &[u8],
    name: &'static str,
    skip: usize,
) -> DecodeError {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(64);
    let mut line = 1;
    let mut pos = 0;
    let step = if enc == UTF_8 { 1 } else { 2 };
    while pos < body.len() {
        let end = (pos + step).min(body.len());
        out.clear();
        out.reserve(16);
        let (_, _, had_errors) =
            decoder.decode_to_string(&body[pos..end], &mut out, end == body.len());
        if had_errors {
            break;
        }
        line += out.matches('\n').count();
        pos = end;
    }
    DecodeError {
        encoding: name,
        line,
        column: 0,
        byte: skip + pos + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_offices_use() {
        let (gbk, _, _) = GB18030.encode("姓名,股室\n王某某,办公室\n");
        let d = decode(&gbk).expect("gbk");
        assert_eq!(d.encoding, "GBK/GB18030");
        assert!(d.text.starts_with("姓名,股室"));
        let mut u16 = vec![0xFF, 0xFE];
        for u in "姓名\t股室\n".encode_utf16() {
            u16.extend(u.to_le_bytes());
        }
        let d = decode(&u16).expect("utf16");
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-16LE", "姓名\t股室\n"));
        let d = decode("\u{FEFF}姓名".as_bytes()).expect("bom");
        assert_eq!((d.encoding, d.text.as_str()), ("UTF-8（带 BOM）", "姓名"));
    }

    #[test]
    fn invalid_utf8_names_line_and_byte() {
        let bytes = [b"a = 1\nb = \"".as_slice(), &[0xFF], b"\"\n"].concat();
        let at = std::str::from_utf8(&bytes).expect_err("bad").valid_up_to();
        let e = utf8_error_at(&bytes, at);
        assert_eq!((e.line, e.column, e.byte), (2, 6, 12));
        let e = decode(b"ok\n\xFF\xFF\xFF\xFF").expect_err("bad");
        assert_eq!(e.line, 2);
    }
}
