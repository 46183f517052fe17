//! Shared test helpers: one engine per test binary (fonts parsed once), sample paths, and line
//! grouping of the flattened layout.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wenshu::pipeline::{RenderOptions, Rendered, render_doc, render_file};
use wenshu::render::fonts::FontOptions;
use wenshu::render::inspect::{PageLayout, TextRun};
use wenshu::{Engine, EngineOptions};

pub fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::new(&EngineOptions {
            fonts: FontOptions {
                dirs: vec![],
                system: false,
                overrides: vec![],
            },
            templates: None,
        })
        .expect("engine")
    })
}

pub fn sample(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/gongwen")
        .join(name)
}

pub fn render_sample(name: &str) -> Rendered {
    match render_file(engine(), &sample(name), &RenderOptions::default()) {
        Ok(r) => r,
        Err(wenshu::Error::Invalid { diagnostics, .. }) => {
            panic!("{name} refused: {diagnostics:#?}")
        }
        Err(e) => panic!("{name}: {e}"),
    }
}

/// Renders TOML text (seal paths relative to the samples folder).
pub fn render_toml(text: &str) -> Result<Rendered, wenshu::Error> {
    let doc: wenshu::model::gongwen::Gongwen =
        wenshu::ingest::data::parse(text, wenshu::ingest::data::Format::Toml).expect("parse");
    let base = sample("");
    let diags = wenshu::validate::gongwen::validate(&doc, &base);
    render_doc(
        engine(),
        &doc,
        &base,
        diags,
        Path::new("test.toml"),
        &RenderOptions::default(),
    )
}

/// A visual line: runs sharing a baseline.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    pub x0: f64,
    pub x1: f64,
    pub top: f64,
    pub bottom: f64,
    pub size_pt: f64,
    pub runs: Vec<TextRun>,
}

impl Line {
    /// Visible characters (zero-width joiners and spaces excluded).
    pub fn chars(&self) -> usize {
        self.text
            .chars()
            .filter(|c| !matches!(c, '\u{2060}' | '\u{200B}'))
            .count()
    }
}

pub fn lines(page: &PageLayout) -> Vec<Line> {
    let mut out: Vec<Line> = Vec::new();
    let mut runs: Vec<&TextRun> = page.texts.iter().collect();
    // Runs of one line share a baseline up to rounding (a boxed run may differ in the last bits).
    let key = |r: &TextRun| (r.baseline * 100.0).round() as i64;
    runs.sort_by(|a, b| key(a).cmp(&key(b)).then(a.x.total_cmp(&b.x)));
    for r in runs {
        match out.last_mut() {
            Some(l)
                if (l.runs[0].baseline - r.baseline).abs() < 0.05
                    && (l.size_pt - r.size_pt).abs() < 0.5 =>
            {
                l.text.push_str(&r.text);
                l.x0 = l.x0.min(r.x);
                l.x1 = l.x1.max(r.right());
                l.runs.push(r.clone());
            }
            _ => out.push(Line {
                text: r.text.clone(),
                x0: r.x,
                x1: r.right(),
                top: r.em_top(),
                bottom: r.em_bottom(),
                size_pt: r.size_pt,
                runs: vec![r.clone()],
            }),
        }
    }
    out
}

pub fn find_line<'a>(lines: &'a [Line], needle: &str) -> &'a Line {
    lines
        .iter()
        .find(|l| {
            l.text
                .replace(['\u{2060}', '\u{200B}'], "")
                .contains(needle)
        })
        .unwrap_or_else(|| panic!("no line with {needle:?}"))
}

pub fn close(actual: f64, expected: f64, tol: f64, what: &str) {
    assert!(
        (actual - expected).abs() <= tol,
        "{what}: {actual:.3} mm, expected {expected:.3} ± {tol}"
    );
}

/// The 发文机关标志 line containing `text`: asserts it is red, its top at `top_mm` and centred on
/// `centre_mm` (half a millimetre either way: a glyph's em box, not its ink).
pub fn red_mark<'a>(lines: &'a [Line], text: &str, top_mm: f64, centre_mm: f64) -> &'a Line {
    let mark = find_line(lines, text);
    assert!(mark.runs.iter().all(|x| x.red), "标志 {text} is red");
    close(mark.top, top_mm, 0.5, "标志 top");
    close((mark.x0 + mark.x1) / 2.0, centre_mm, 0.3, "标志 centred");
    mark
}
