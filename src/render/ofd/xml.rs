//! A small XML writer for the OFD parts: every element in the `ofd:` namespace, attributes in
//! the order given, text escaped, numbers in millimetres written without float noise.

use std::fmt::Write;

/// The OFD namespace (GB/T 33190-2016 §7.1).
pub const NS: &str = "http://www.ofdspec.org/2016";

/// An XML document being written.
pub struct Xml {
    out: String,
    open: Vec<&'static str>,
    /// Whether the last start tag is still open (`<x a="1"` without `>`).
    pending: bool,
}

impl Xml {
    /// Starts a document whose root element is `ofd:{root}` with the namespace declared.
    pub fn new(root: &'static str, attrs: &[(&str, String)]) -> Self {
        let mut x = Self {
            out: String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"),
            open: Vec::new(),
            pending: false,
        };
        let mut all = vec![("xmlns:ofd", NS.to_owned())];
        all.extend(attrs.iter().map(|(k, v)| (*k, v.clone())));
        x.start(root, &all);
        x
    }

    fn close_pending(&mut self) {
        if self.pending {
            self.out.push('>');
            self.pending = false;
        }
    }

    /// Opens `ofd:{name}` with attributes; close it with [`Xml::end`].
    pub fn start(&mut self, name: &'static str, attrs: &[(&str, String)]) {
        self.close_pending();
        let _ = write!(self.out, "<ofd:{name}");
        for (k, v) in attrs {
            let _ = write!(self.out, " {k}=\"{}\"", escape(v));
        }
        self.open.push(name);
        self.pending = true;
    }

    /// Closes the innermost open element.
    pub fn end(&mut self) {
        let Some(name) = self.open.pop() else { return };
        if self.pending {
            self.out.push_str("/>");
            self.pending = false;
        } else {
            let _ = write!(self.out, "</ofd:{name}>");
        }
    }

    /// An element with attributes and no content.
    pub fn empty(&mut self, name: &'static str, attrs: &[(&str, String)]) {
        self.start(name, attrs);
        self.end();
    }

    /// An element holding text.
    pub fn text(&mut self, name: &'static str, attrs: &[(&str, String)], text: &str) {
        self.start(name, attrs);
        self.close_pending();
        self.out.push_str(&escape(text));
        self.end();
    }

    /// Closes every open element and returns the bytes.
    pub fn finish(mut self) -> Vec<u8> {
        while !self.open.is_empty() {
            self.end();
        }
        self.out.into_bytes()
    }
}

/// Escapes text for element content and attribute values. Characters XML 1.0 cannot carry
/// (controls other than tab and line breaks) are dropped: no laid-out text contains them.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push_str("&#9;"),
            '\n' => out.push_str("&#10;"),
            '\r' => out.push_str("&#13;"),
            c if (c as u32) < 0x20 || matches!(c, '\u{FFFE}' | '\u{FFFF}') => {}
            c => out.push(c),
        }
    }
    out
}

/// Decimal places written for lengths in mm: 0.0001 mm, far below the 0.01 mm the glyph
/// positions are held to, and short enough to keep the parts small.
pub const DECIMALS: i32 = 4;

/// Rounds to [`DECIMALS`] places.
pub fn round(v: f64) -> f64 {
    let f = 10f64.powi(DECIMALS);
    (v * f).round() / f
}

/// A number as OFD writes it: rounded, no trailing zeros, never `-0`.
pub fn num(v: f64) -> String {
    let r = round(v);
    if r == 0.0 || !r.is_finite() {
        return "0".into();
    }
    let s = format!("{r:.4}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_owned()
}

/// Numbers separated by spaces (`ST_Array`, `ST_Box`, `ST_Pos`).
pub fn nums(vs: &[f64]) -> String {
    vs.iter().map(|v| num(*v)).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_stable() {
        assert_eq!(num(210.0), "210");
        assert_eq!(num(0.1 + 0.2), "0.3");
        assert_eq!(num(-0.00001), "0");
        assert_eq!(num(5.644_444_4), "5.6444");
        assert_eq!(nums(&[0.0, 0.0, 210.0, 297.0]), "0 0 210 297");
    }

    #[test]
    fn escapes_markup_in_text_and_attributes() {
        let mut x = Xml::new("Doc", &[("A", "\"<&>\"".into())]);
        x.text("T", &[], "a<b & c\u{1}");
        let s = String::from_utf8(x.finish()).unwrap();
        assert!(s.contains("A=\"&quot;&lt;&amp;&gt;&quot;\""), "{s}");
        assert!(s.contains("<ofd:T>a&lt;b &amp; c</ofd:T>"), "{s}");
        assert!(s.ends_with("</ofd:Doc>"), "{s}");
    }
}
