//! A bounded fuzz run per input format: 公文 data files (TOML, JSON), form sheets (CSV, xlsx),
//! form definitions, seal images, and 公文 text through layout. Each target mutates a real file
//! (byte flips, insertions, deletions, truncation, splices of troublesome text) and feeds it to
//! the same entry point the CLI uses; the only acceptable outcomes are a result or a clear error,
//! never a panic or a hang.
//!
//! CI runs `WENSHU_FUZZ_CASES` cases per target (default 200, ~the suite's budget); set it higher
//! for a long local run: `WENSHU_FUZZ_CASES=100000 cargo test --release --test fuzz`. A failure is
//! saved by proptest under `proptest-regressions/` and becomes a regression test.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use wenshu::fill::{FillOptions, fill};
use wenshu::form::load::{Catalog, parse as parse_definition};
use wenshu::form::schema::FormDef;
use wenshu::ingest::image;
use wenshu::limits::Limits;
use wenshu::pipeline::{RenderOptions, check_file, render_doc};
use wenshu::render::fonts::FontOptions;
use wenshu::{Engine, EngineOptions};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn cases(default: u32) -> u32 {
    std::env::var("WENSHU_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn runner(default: u32) -> TestRunner {
    TestRunner::new(Config {
        cases: cases(default),
        // A fuzz case never shrinks for long: the first failure is what matters.
        max_shrink_iters: 200,
        failure_persistence: None,
        ..Config::default()
    })
}

fn engine() -> &'static Engine {
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

/// Text that has broken parsers elsewhere: quotes, escapes, control characters, huge numbers,
/// brackets of every kind, combining marks, right-to-left marks, surrogate-like escapes.
const SPLICES: &[&str] = &[
    "\"",
    "\\",
    "\\u0000",
    "\u{0}",
    "\u{7}",
    "\u{1b}[31m",
    "\n[[issuers]]\n",
    "]]",
    "{",
    "〔〕",
    "99999999999999999999",
    "-1",
    "1e308",
    "NaN",
    "\u{202e}",
    "\u{301}\u{301}\u{301}",
    "\u{feff}",
    "𠀀𪚥",
    "=HYPERLINK(\"x\")",
    "2026年2月30日",
    ",,,,,,",
    "\r\n",
    "\u{fffd}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Insert(usize, u8),
    Delete(usize, usize),
    Splice(usize, usize),
    Truncate(usize),
    Repeat(usize, usize, u8),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(p, b)| Mutation::Insert(p, b)),
        (any::<usize>(), 1usize..64).prop_map(|(p, n)| Mutation::Delete(p, n)),
        (any::<usize>(), 0..SPLICES.len()).prop_map(|(p, s)| Mutation::Splice(p, s)),
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), 1usize..32, 1u8..12).prop_map(|(p, n, k)| Mutation::Repeat(p, n, k)),
    ]
}

/// Applies `muts` to `seed`; positions wrap around the current length.
fn mutate(seed: &[u8], muts: &[Mutation]) -> Vec<u8> {
    let mut b = seed.to_vec();
    for m in muts {
        let at = |p: usize, len: usize| if len == 0 { 0 } else { p % (len + 1) };
        match *m {
            Mutation::Flip(p, x) if !b.is_empty() => {
                let i = p % b.len();
                b[i] ^= x;
            }
            Mutation::Flip(..) => {}
            Mutation::Insert(p, x) => {
                let i = at(p, b.len());
                b.insert(i, x);
            }
            Mutation::Delete(p, n) => {
                let i = at(p, b.len()).min(b.len());
                let j = (i + n).min(b.len());
                b.drain(i..j);
            }
            Mutation::Splice(p, s) => {
                let i = at(p, b.len());
                b.splice(i..i, SPLICES[s].bytes());
            }
            Mutation::Truncate(p) => {
                let i = at(p, b.len());
                b.truncate(i);
            }
            Mutation::Repeat(p, n, k) => {
                // Duplicate a slice k times: long lines, many rows, deep nesting.
                let i = at(p, b.len()).min(b.len());
                let j = (i + n).min(b.len());
                let piece = b[i..j].repeat(usize::from(k));
                b.splice(j..j, piece);
            }
        }
    }
    b
}

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..6)
}

/// Runs `target` on mutations of `seed` written to `name` in a fresh folder.
fn fuzz_file(seed: &[u8], name: &str, default_cases: u32, target: impl Fn(&Path)) {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join(name);
    // The seal the 公文 samples name, so that mutated documents still reach validation.
    let seals = dir.path().join("seals");
    std::fs::create_dir_all(&seals).expect("seals");
    for s in std::fs::read_dir(root().join("samples/gongwen/seals")).expect("ls") {
        let s = s.expect("entry").path();
        std::fs::copy(&s, seals.join(s.file_name().expect("name"))).expect("copy");
    }
    runner(default_cases)
        .run(&mutations(), |muts| {
            std::fs::write(&path, mutate(seed, &muts)).expect("write");
            target(&path);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
}

fn sample_toml() -> Vec<u8> {
    std::fs::read(root().join("samples/gongwen/01-tongzhi-xiaxing.toml")).expect("sample")
}

#[test]
fn gongwen_toml_data_files() {
    fuzz_file(&sample_toml(), "doc.toml", 200, |p| {
        let _ = check_file(p);
    });
}

#[test]
fn gongwen_json_data_files() {
    let value: toml::Value =
        toml::from_str(std::str::from_utf8(&sample_toml()).expect("utf8")).expect("toml");
    let json = serde_json::to_vec_pretty(&value).expect("json");
    fuzz_file(&json, "doc.json", 200, |p| {
        let _ = check_file(p);
    });
}

fn qingjia() -> FormDef {
    Catalog::load(None)
        .expect("catalog")
        .get("qingjia")
        .expect("qingjia")
        .clone()
}

fn dry_run(def: &FormDef, data: &Path) {
    let out = data.parent().expect("dir").join("out");
    let opts = FillOptions {
        dry_run: true,
        ..FillOptions::default()
    };
    let _ = fill(engine(), def, data, &out, &opts);
}

#[test]
fn form_sheets_as_csv() {
    let def = qingjia();
    let header = def
        .fields
        .iter()
        .map(|f| f.label.clone())
        .collect::<Vec<_>>()
        .join(",");
    let row = def
        .fields
        .iter()
        .map(|f| match f.label.as_str() {
            l if l.contains("日期") || l.contains("时间") => "2026年3月5日".to_owned(),
            l if l.contains("天数") => "2".to_owned(),
            _ => "张三".to_owned(),
        })
        .collect::<Vec<_>>()
        .join(",");
    let csv = format!("{header}\n{row}\n{row}\n");
    fuzz_file(csv.as_bytes(), "sheet.csv", 150, |p| dry_run(&def, p));
}

#[test]
fn form_sheets_as_xlsx() {
    let def = qingjia();
    let seed = std::fs::read(root().join("samples/forms/qingjia.xlsx")).expect("xlsx");
    // Most byte mutations break the zip container; they must still end in an error, not a crash.
    fuzz_file(&seed, "sheet.xlsx", 60, |p| dry_run(&def, p));
}

#[test]
fn form_definitions() {
    let seed = std::fs::read(root().join("forms/qingjia.toml")).expect("def");
    runner(300)
        .run(&mutations(), |muts| {
            let text = String::from_utf8_lossy(&mutate(&seed, &muts)).into_owned();
            let _ = parse_definition("qingjia.toml", &text);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("form definition: {e}"));
}

#[test]
fn seal_images() {
    let seed =
        std::fs::read(root().join("samples/gongwen/seals/xingren-gov-office.png")).expect("png");
    let limits = Limits::default();
    runner(300)
        .run(&mutations(), |muts| {
            let _ = image::check(mutate(&seed, &muts), &limits);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("image: {e}"));
}

/// Structure-aware: valid documents whose title, body and 署名 are arbitrary text go all the way
/// through validation, layout and PDF export.
#[test]
fn gongwen_text_through_layout() {
    let seal = root().join("samples/gongwen/seals/xingren-gov-office.png");
    let base: toml::Value = toml::from_str(&format!(
        r#"
kind = "通知"
doc_number = "仁府办发〔2026〕9号"
title = "x"
recipients = ["各乡（镇）人民政府"]
date = "2026年12月1日"
body = ["x"]
[[issuers]]
name = "兴仁市人民政府办公室"
seal = "{}"
"#,
        seal.display()
    ))
    .expect("base");
    // What documents hold: the characters of the bundled samples (all within the fonts), digits,
    // Latin, punctuation, and CJK and full-width punctuation (zero-width marks among them). Characters without a glyph are refused by validation, a correct outcome that
    // would not reach layout.
    let vocabulary: Vec<String> = sample_characters().into_iter().map(String::from).collect();
    let piece = prop_oneof![
        6 => prop::collection::vec(prop::sample::select(vocabulary), 1..12).prop_map(|v| v.concat()),
        1 => "[0-9]{1,8}",
        1 => "[A-Za-z]{1,10}",
        1 => "[，。；：、（）《》“”〔〕%—]",
        1 => "[\u{200b}\u{2060}\u{feff}‘’“”…‰※\u{3000}、。〈〉「」『』【】〔〕～\u{ff01}-\u{ff5e}]",
    ];
    let text = move |n: usize| prop::collection::vec(piece.clone(), 0..n).prop_map(|v| v.concat());
    let strategy = (text(12), prop::collection::vec(text(60), 1..4), text(6));
    let dir = tempfile::tempdir().expect("tmp");
    let options = RenderOptions::default();
    let rendered = std::sync::atomic::AtomicUsize::new(0);
    runner(48)
        .run(&strategy, |(title, body, issuer)| {
            let mut doc = base.clone();
            doc["title"] = toml::Value::String(format!("关于{title}的通知"));
            doc["body"] = toml::Value::Array(body.into_iter().map(toml::Value::String).collect());
            doc["issuers"][0]["name"] = toml::Value::String(format!("兴仁市{issuer}局"));

            let path: PathBuf = dir.path().join("t.toml");
            std::fs::write(&path, toml::to_string(&doc).expect("toml")).expect("write");
            if let Ok((doc, diags)) = check_file(&path)
                && render_doc(engine(), &doc, dir.path(), diags, &path, &options).is_ok()
            {
                rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            Ok(())
        })
        .unwrap_or_else(|e| panic!("layout: {e}"));
    // Most generated documents are valid, so the run really exercises layout and export.
    assert!(
        rendered.into_inner() * 2 >= cases(48) as usize,
        "too few generated documents reached the PDF"
    );
}

/// Every CJK character of the bundled 公文 samples.
fn sample_characters() -> Vec<char> {
    let mut chars = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(root().join("samples/gongwen")).expect("ls") {
        let p = e.expect("entry").path();
        if p.extension().is_some_and(|x| x == "toml") {
            let text = std::fs::read_to_string(&p).expect("read");
            chars.extend(
                text.chars()
                    .filter(|c| ('\u{4e00}'..='\u{9fa5}').contains(c)),
            );
        }
    }
    chars.into_iter().collect()
}
