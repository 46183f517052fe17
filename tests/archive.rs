//! `wenshu archive`: the sample tree archived as PDF/A with 档号, 归档章, manifest and 归档文件目录;
//! reruns byte-identical; a killed run resumed equals an uninterrupted one; three shards merged
//! equal one run; the broken and the 涉密 file reported, the rest archived; SRC never written.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use wenshu::archive::manifest::{Entry, Manifest, Status};

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/archive")
}

fn wenshu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenshu"));
    c.arg("--ignore-system-fonts").env("WENSHU_THREADS", "2");
    c
}

fn archive(src: &Path, dest: &Path, extra: &[&str]) -> Output {
    let out = wenshu()
        .arg("archive")
        .arg(src)
        .arg("-o")
        .arg(dest)
        .arg("-q")
        .args(extra)
        .output()
        .expect("run wenshu archive");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "archive could not run: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// Every file under `dir` with its bytes, by relative path.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.expect("walk");
        if e.file_type().is_file() {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("rel")
                .display()
                .to_string();
            out.insert(rel, std::fs::read(e.path()).expect("read"));
        }
    }
    out
}

fn assert_same_tree(a: &Path, b: &Path) {
    let (ta, tb) = (tree(a), tree(b));
    assert_eq!(
        ta.keys().collect::<Vec<_>>(),
        tb.keys().collect::<Vec<_>>(),
        "the two archives hold different files"
    );
    for (k, v) in &ta {
        assert!(
            v == &tb[k],
            "{k} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

fn manifest(dest: &Path) -> Manifest {
    Manifest::read(&dest.join("manifest.json")).expect("manifest.json")
}

fn sha(bytes: &[u8]) -> String {
    wenshu::number::assign::sha256_hex(bytes)
}

/// The PDF's objects by number (the exporter writes no object streams, so the dictionaries
/// are plain text between `N 0 obj` and `endobj`).
fn objects(pdf: &[u8]) -> BTreeMap<u32, Vec<u8>> {
    let re = regex::bytes::Regex::new(r"(?s-u)(\d+) 0 obj(.*?)endobj").expect("regex");
    re.captures_iter(pdf)
        .map(|c| {
            let n = std::str::from_utf8(&c[1])
                .expect("digits")
                .parse()
                .expect("number");
            (n, c[2].to_vec())
        })
        .collect()
}

fn has(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The XMP packet.
fn xmp(pdf: &[u8]) -> String {
    let text = String::from_utf8_lossy(pdf);
    let start = text.find("<x:xmpmeta").expect("an XMP metadata stream");
    let end = text[start..].find("</x:xmpmeta>").expect("XMP end") + start;
    text[start..end].to_owned()
}

/// A structural PDF/A check: identification (part, conformance) in the XMP, an sRGB output
/// intent with an embedded ICC profile, every font embedded, no encryption, a file ID, and the
/// catalogue pointing at the metadata.
fn check_pdfa(pdf: &[u8], part: &str, conformance: &str) {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let meta = xmp(pdf);
    assert!(
        meta.contains(&format!("<pdfaid:part>{part}</pdfaid:part>")),
        "PDF/A part: {meta}"
    );
    assert!(
        meta.contains(&format!(
            "<pdfaid:conformance>{conformance}</pdfaid:conformance>"
        )),
        "PDF/A conformance"
    );
    let objs = objects(pdf);
    let intent = objs
        .values()
        .find(|o| has(o, "/Type/OutputIntent"))
        .expect("an output intent");
    assert!(has(intent, "/S/GTS_PDFA1"), "output intent subtype");
    let profile = regex::bytes::Regex::new(r"/DestOutputProfile (\d+) 0 R")
        .expect("regex")
        .captures(intent)
        .expect("an ICC profile");
    let n: u32 = std::str::from_utf8(&profile[1])
        .expect("d")
        .parse()
        .expect("n");
    assert!(has(&objs[&n], "stream"), "the ICC profile is embedded");
    let catalog = objs
        .values()
        .find(|o| has(o, "/Type/Catalog"))
        .expect("catalog");
    assert!(has(catalog, "/Metadata") && has(catalog, "/OutputIntents"));
    let descriptors: Vec<_> = objs
        .values()
        .filter(|o| has(o, "/Type/FontDescriptor"))
        .collect();
    assert!(!descriptors.is_empty(), "fonts are described");
    for d in &descriptors {
        assert!(
            has(d, "/FontFile"),
            "a font is not embedded: {}",
            String::from_utf8_lossy(d)
        );
    }
    for f in objs.values().filter(|o| has(o, "/Type/Font")) {
        assert!(
            has(f, "/Subtype/Type0") || has(f, "/Subtype/Type3") || has(f, "/FontDescriptor"),
            "a font without descriptor (not embedded): {}",
            String::from_utf8_lossy(f)
        );
    }
    assert!(!has(pdf, "/Encrypt"), "PDF/A forbids encryption");
    assert!(has(pdf, "/ID"), "PDF/A needs a file identifier");
}

/// The document's own metadata: 题名, 责任者, 文号, 档号, language, the document's date.
fn check_metadata(pdf: &[u8], e: &Entry) {
    let meta = xmp(pdf);
    assert!(meta.contains(&e.title), "dc:title {} in {meta}", e.title);
    let code = e.archival_code.as_deref().expect("档号");
    assert!(
        meta.contains(&format!("<pdf:Keywords>{code}</pdf:Keywords>")),
        "keywords = 档号"
    );
    for who in e.responsible.split('、') {
        assert!(meta.contains(who), "dc:creator {who}");
    }
    if !e.doc_number.is_empty() {
        assert!(meta.contains(&e.doc_number), "subject = 文号");
    }
    assert!(meta.contains("zh-CN"), "language zh-CN");
    let date = format!("{}-{}-{}", &e.date[..4], &e.date[4..6], &e.date[6..]);
    assert!(
        meta.contains(&format!("<xmp:CreateDate>{date}T00:00:00")),
        "the date is the document's ({date}), not the clock's"
    );
}

#[test]
fn the_sample_tree_becomes_pdfa_with_codes_catalogues_and_a_manifest() {
    let dir = tempfile::tempdir().expect("tmp");
    let dest = dir.path().join("out");
    let before = tree(&samples());
    let out = archive(&samples(), &dest, &["--stamp"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "a refused file makes the exit code 1"
    );
    assert_eq!(tree(&samples()), before, "SRC is never written to");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2026/财务科/05-通知-损坏.toml") && err.contains("line 4"),
        "{err}"
    );
    assert!(err.contains("archive.classified"), "{err}");

    let m = manifest(&dest);
    assert_eq!((m.totals.archived, m.totals.refused), (10, 2));
    let refused: Vec<&str> = m
        .items
        .iter()
        .filter(|e| e.status == Status::Refused)
        .map(|e| e.source.as_str())
        .collect();
    assert_eq!(
        refused,
        [
            "2026/办公室/03-报告-涉密.toml",
            "2026/财务科/05-通知-损坏.toml"
        ]
    );
    // 件号 per 年度/保管期限/机构 in date order; the 档号 names the PDF in the mirrored folder.
    let code_of = |src: &str, row: Option<usize>| {
        m.items
            .iter()
            .find(|e| e.source == src && e.row == row)
            .and_then(|e| e.archival_code.clone())
            .expect("archived")
    };
    assert_eq!(
        code_of("2025/办公室/2025-03-通知-年度工作要点.toml", None),
        "Z109-WS·2025-D30-BGS-0001"
    );
    assert_eq!(
        code_of("2025/办公室/2025-09-函-商请协助.toml", None),
        "Z109-WS·2025-D30-BGS-0002"
    );
    assert_eq!(
        code_of("2026/办公室/01-请示-增设服务站.toml", None),
        "Z109-WS·2026-Y-BGS-0001"
    );
    assert_eq!(
        code_of("2026/人事科/2026年工作人员请假申请单.xlsx", Some(4)),
        "Z109-WS·2026-D10-RSK-0003"
    );
    assert_eq!(
        code_of("2025/财务科/用印登记簿-2025年12月.csv", None),
        "Z109-WS·2025-D30-CWK-0001"
    );

    for e in m.items.iter().filter(|e| e.status == Status::Archived) {
        let output = e.output.as_deref().expect("output");
        assert!(output.ends_with(&format!(
            "{}.pdf",
            e.archival_code.as_deref().expect("code")
        )));
        let folder = e.source.rsplit_once('/').map_or("", |p| p.0);
        assert!(output.starts_with(folder), "{output} mirrors {}", e.source);
        let pdf = std::fs::read(dest.join(output)).expect("pdf");
        assert_eq!(e.output_sha256.as_deref(), Some(sha(&pdf).as_str()));
        let src = std::fs::read(samples().join(&e.source)).expect("source");
        assert_eq!(e.input_sha256, sha(&src));
        check_pdfa(&pdf, "2", "B");
        check_metadata(&pdf, e);
        assert_eq!(e.date.len(), 8);
    }
    for folder in [
        "2025/办公室",
        "2025/财务科",
        "2026/办公室",
        "2026/人事科",
        "2026/财务科",
    ] {
        let pdf = std::fs::read(dest.join(folder).join("归档文件目录.pdf")).expect("catalogue pdf");
        check_pdfa(&pdf, "2", "B");
        let xlsx = dest.join(folder).join("归档文件目录.xlsx");
        let mut wb = calamine::open_workbook_auto(&xlsx).expect("catalogue xlsx");
        let range = calamine::Reader::worksheet_range(&mut wb, "归档文件目录").expect("sheet");
        let rows: Vec<Vec<String>> = range
            .rows()
            .map(|r| r.iter().map(ToString::to_string).collect())
            .collect();
        assert_eq!(
            rows[2],
            [
                "序号",
                "档号",
                "文号",
                "责任者",
                "题名",
                "日期",
                "密级",
                "页数",
                "备注"
            ]
        );
        let listed: Vec<&Entry> = m
            .items
            .iter()
            .filter(|e| e.status == Status::Archived && e.source.starts_with(&format!("{folder}/")))
            .collect();
        assert_eq!(rows.len() - 3, listed.len(), "{folder}: one line per 件");
        for r in &rows[3..] {
            assert!(
                r[5].len() == 8 && r[5].chars().all(|c| c.is_ascii_digit()),
                "日期 {}",
                r[5]
            );
            assert!(
                listed
                    .iter()
                    .any(|e| e.archival_code.as_deref() == Some(r[1].as_str()))
            );
        }
    }
}

#[test]
fn a_second_run_is_byte_identical_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    archive(&samples(), &a, &["--stamp"]);
    archive(&samples(), &b, &["--stamp"]);
    assert_same_tree(&a, &b);
    let dry = dir.path().join("dry");
    let out = archive(&samples(), &dry, &["--dry-run"]);
    assert!(!dry.exists(), "--dry-run writes nothing");
    let plan = String::from_utf8_lossy(&out.stdout);
    assert!(
        plan.contains("Z109-WS·2026-Y-BGS-0001") && plan.contains("计划归档 10 件"),
        "{plan}"
    );
}

/// A tree big enough that a run can be stopped halfway: the samples plus copies of a 公文 in a
/// third year.
fn bigger_tree(root: &Path) -> PathBuf {
    let src = root.join("src");
    for (rel, bytes) in tree(&samples()) {
        let p = src.join(&rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, bytes).expect("copy");
    }
    let text =
        std::fs::read_to_string(src.join("2026/办公室/02-通知-专项检查.toml")).expect("read");
    for i in 1..=24 {
        let p = src.join(format!("2027/办公室/通知-{i:02}.toml"));
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        let t = text
            .replace("仁医保发〔2026〕7号", &format!("仁医保发〔2027〕{i}号"))
            .replace(
                "2026年4月8日",
                &format!("2027年{}月{}日", 1 + i % 12, 1 + i),
            );
        std::fs::write(p, t).expect("write");
    }
    src
}

#[test]
fn a_run_killed_halfway_and_resumed_equals_an_uninterrupted_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = bigger_tree(dir.path());
    let whole = dir.path().join("whole");
    archive(&src, &whole, &["--stamp", "--jobs", "1"]);
    assert_eq!(manifest(&whole).totals.archived, 34);

    let cut = dir.path().join("cut");
    let mut child = wenshu()
        .args(["archive", "-q", "--stamp", "--jobs", "1", "-o"])
        .arg(&cut)
        .arg(&src)
        .spawn()
        .expect("spawn");
    // Counted while the run writes: files come and go, so errors are skipped.
    let pdfs = |d: &Path| {
        walkdir::WalkDir::new(d)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with("Z109"))
            .count()
    };
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while pdfs(&cut) < 4 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    child.kill().expect("kill -9"); // SIGKILL on Unix: no cleanup runs
    child.wait().expect("wait");
    assert!(
        !cut.join("manifest.json").exists(),
        "the run was stopped before it finished"
    );
    // What a power loss can leave: a torn temp file and a written-but-empty PDF.
    let done: Vec<String> = tree(&cut)
        .into_keys()
        .filter(|k| k.contains("Z109"))
        .collect();
    std::fs::write(cut.join(&done[0]), b"").expect("truncate");
    std::fs::write(cut.join("2026/.wenshu-torn.tmp"), b"%PDF-1.7 half").ok();

    let out = archive(&src, &cut, &["--stamp", "--jobs", "2", "--resume"]);
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("沿用"), "{summary}");
    assert_same_tree(&whole, &cut);
}

#[test]
fn three_shards_merged_equal_one_run() {
    let dir = tempfile::tempdir().expect("tmp");
    let one = dir.path().join("one");
    archive(&samples(), &one, &["--stamp"]);
    let sharded = dir.path().join("sharded");
    let mut counts = Vec::new();
    for i in 0..3 {
        let env_shard = wenshu()
            .args(["archive", "-q", "--stamp", "--shard", "3", "-o"])
            .arg(&sharded)
            .arg(samples())
            .env("JOB_COMPLETION_INDEX", i.to_string())
            .output()
            .expect("shard");
        assert!(matches!(env_shard.status.code(), Some(0 | 1)));
        counts.push(String::from_utf8_lossy(&env_shard.stdout).into_owned());
    }
    assert!(
        !sharded.join("manifest.json").exists(),
        "shards leave the manifest to merge"
    );
    let merged = wenshu()
        .args(["archive", "merge"])
        .arg(&sharded)
        .output()
        .expect("merge");
    assert_eq!(
        merged.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&merged.stderr)
    );
    assert_same_tree(&one, &sharded);
    assert!(counts.iter().all(|c| c.contains("分片")), "{counts:?}");
}

#[test]
fn pdfa_3b_attaches_the_source_and_2u_is_unicode() {
    let dir = tempfile::tempdir().expect("tmp");
    let dest = dir.path().join("3b");
    archive(&samples(), &dest, &["--pdfa", "3b", "--include", "2026/**"]);
    let m = manifest(&dest);
    assert!(m.items.iter().all(|e| e.source.starts_with("2026/")));
    for e in m.items.iter().filter(|e| e.status == Status::Archived) {
        let pdf = std::fs::read(dest.join(e.output.as_deref().expect("out"))).expect("pdf");
        check_pdfa(&pdf, "3", "B");
        check_metadata(&pdf, e);
        assert!(
            has(&pdf, "/EmbeddedFiles") && has(&pdf, "/AFRelationship/Source"),
            "{}",
            e.source
        );
        if e.kind == "公文" {
            // The attached file is the data file itself: its MIME type and exact size.
            let src = std::fs::read(samples().join(&e.source)).expect("src");
            assert!(has(&pdf, "/Subtype/application#2Ftoml"), "{}", e.source);
            assert!(
                has(&pdf, &format!("/Params<</Size {}/", src.len())),
                "{}",
                e.source
            );
        } else {
            assert!(has(&pdf, "/Subtype/application#2Fjson") || has(&pdf, "/Subtype/text#2Fcsv"));
        }
    }
    let u = dir.path().join("2u");
    archive(
        &samples(),
        &u,
        &["--pdfa", "2u", "--include", "2025/办公室/**"],
    );
    for e in manifest(&u)
        .items
        .iter()
        .filter(|e| e.status == Status::Archived)
    {
        let pdf = std::fs::read(u.join(e.output.as_deref().expect("out"))).expect("pdf");
        check_pdfa(&pdf, "2", "U");
        assert!(!has(&pdf, "/EmbeddedFiles"));
    }
}

#[test]
fn duplex_pads_to_even_pages_and_bind_makes_one_bookmarked_volume_per_folder() {
    let dir = tempfile::tempdir().expect("tmp");
    let dest = dir.path().join("out");
    archive(
        &samples(),
        &dest,
        &["--stamp", "--duplex", "--bind", "--include", "2026/**"],
    );
    let m = manifest(&dest);
    let mut folders: BTreeMap<String, Vec<&Entry>> = BTreeMap::new();
    for e in m.items.iter().filter(|e| e.status == Status::Archived) {
        let pdf = std::fs::read(dest.join(e.output.as_deref().expect("out"))).expect("pdf");
        let pages = count_pages(&pdf);
        assert_eq!(pages % 2, 0, "{} has {pages} pages", e.source);
        assert_eq!(
            pages,
            e.pages.expect("pages").div_ceil(2) * 2,
            "页数 counts printed pages only"
        );
        folders
            .entry(e.source.rsplit_once('/').expect("folder").0.to_owned())
            .or_default()
            .push(e);
    }
    for (folder, entries) in folders {
        let volume = std::fs::read(dest.join(&folder).join("合订本.pdf")).expect("bound volume");
        check_pdfa(&volume, "2", "B");
        let singles: usize = entries
            .iter()
            .map(|e| e.pages.expect("p").div_ceil(2) * 2)
            .sum();
        let catalogue =
            count_pages(&std::fs::read(dest.join(&folder).join("归档文件目录.pdf")).expect("cat"));
        assert_eq!(
            count_pages(&volume),
            catalogue.div_ceil(2) * 2 + singles,
            "{folder}"
        );
        let titles = outline_titles(&volume);
        assert_eq!(titles.len(), entries.len() + 1, "{folder}: {titles:?}");
        assert_eq!(titles[0], "归档文件目录");
        for e in &entries {
            let code = e.archival_code.as_deref().expect("code");
            assert!(
                titles.iter().any(|t| t.starts_with(code)),
                "{code} bookmarked"
            );
        }
    }
}

fn count_pages(pdf: &[u8]) -> usize {
    objects(pdf)
        .values()
        .filter(|o| has(o, "/Type/Page") && !has(o, "/Type/Pages"))
        .count()
}

/// Titles of the outline items (UTF-16 hex or literal strings).
fn outline_titles(pdf: &[u8]) -> Vec<String> {
    let re = regex::bytes::Regex::new(r"(?s-u)/Title\s*(<[0-9A-Fa-f]+>|\((?:[^()\\]|\\.)*\))")
        .expect("re");
    objects(pdf)
        .values()
        .filter(|o| has(o, "/Parent") && has(o, "/Title"))
        .filter_map(|o| re.captures(o).map(|c| c[1].to_vec()))
        .map(|t| {
            let raw = if t[0] == b'<' {
                (1..t.len() - 1)
                    .step_by(2)
                    .filter_map(|i| {
                        u8::from_str_radix(std::str::from_utf8(&t[i..i + 2]).ok()?, 16).ok()
                    })
                    .collect()
            } else {
                t[1..t.len() - 1].to_vec()
            };
            if raw.starts_with(&[0xFE, 0xFF]) {
                let units: Vec<u16> = raw[2..]
                    .chunks(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect();
                String::from_utf16_lossy(&units)
            } else {
                String::from_utf8_lossy(&raw).into_owned()
            }
        })
        .collect()
}

#[test]
fn the_stamp_adds_six_cells_in_the_top_right_blank_and_moves_nothing() {
    use wenshu::archive::config::ArchiveConfig;
    use wenshu::pipeline::archive::{ArchiveOptions, Body, lay_out, produce};
    use wenshu::render::inspect::flatten;
    let engine = wenshu::Engine::new(&wenshu::EngineOptions::default()).expect("engine");
    let cfg = ArchiveConfig::load(&samples(), None).expect("archive.toml");
    let dir = tempfile::tempdir().expect("tmp");
    archive(&samples(), &dir.path().join("o"), &["--dry-run"]);
    let catalog = wenshu::form::load::Catalog::load(None).expect("forms");
    let opts = wenshu::archive::run::RunOptions {
        src: samples(),
        dest: dir.path().join("o"),
        ..Default::default()
    };
    let (entries, _) = wenshu::archive::run::plan_tree(&opts, &cfg, &catalog).expect("plan");
    let aopts = ArchiveOptions {
        stamp: Some(cfg.stamp.clone()),
        fonds: cfg.fonds.clone(),
        office: cfg.office.clone(),
        ..Default::default()
    };
    let gongwen = entries
        .iter()
        .find(|e| e.source.ends_with("01-请示-增设服务站.toml"))
        .expect("e");
    let path = samples().join(&gongwen.source);
    let body = Body::Gongwen(&path);
    let (plain, _) = lay_out(&engine, &body, &cfg.office).expect("lay out");
    let stamped = produce(&engine, gongwen, &body, &aopts, None).expect("stamp");
    let (a, b) = (flatten(&plain), flatten(&stamped.document));
    assert_eq!(a.pages.len(), b.pages.len());
    for (pa, pb) in a.pages.iter().zip(&b.pages) {
        for t in &pa.texts {
            assert!(
                pb.texts.iter().any(|u| u.text == t.text
                    && (u.x - t.x).abs() < 1e-6
                    && (u.baseline - t.baseline).abs() < 1e-6),
                "“{}” moved or vanished",
                t.text
            );
        }
        for r in &pa.rules {
            assert!(
                pb.rules
                    .iter()
                    .any(|q| (q.x0 - r.x0).abs() < 1e-6 && (q.y - r.y).abs() < 1e-6),
                "a rule moved"
            );
        }
    }
    // The stamp's own three horizontal rules, and nothing else, are new.
    assert_eq!(b.pages[0].rules.len(), a.pages[0].rules.len() + 3);
    assert!(
        a.pages
            .iter()
            .zip(&b.pages)
            .skip(1)
            .all(|(x, y)| x.rules.len() == y.rules.len())
    );
    let added: Vec<_> = b.pages[0]
        .texts
        .iter()
        .filter(|u| {
            !a.pages[0]
                .texts
                .iter()
                .any(|t| t.text == u.text && (t.x - u.x).abs() < 1e-6)
        })
        .collect();
    let words: Vec<&str> = added.iter().map(|t| t.text.as_str()).collect();
    for cell in [
        "Z109",
        "2026",
        "0001",
        "办公室",
        "永久",
        &stamped.pages.to_string(),
    ] {
        assert!(words.contains(&cell), "stamp cell {cell} in {words:?}");
    }
    // Top-right, above the 版心 (37 mm), right of the page's middle, clear of everything else.
    for t in &added {
        assert!(
            t.baseline < 37.0 && t.x > 105.0,
            "{} at ({}, {})",
            t.text,
            t.x,
            t.baseline
        );
        for o in &a.pages[0].texts {
            let apart = t.right() < o.x
                || o.right() < t.x
                || t.em_bottom() < o.em_top()
                || o.em_bottom() < t.em_top();
            assert!(apart, "stamp “{}” over “{}”", t.text, o.text);
        }
    }
}

#[test]
fn a_stamp_with_no_room_refuses_the_item_and_the_run_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    let cfg = dir.path().join("wide.toml");
    let text = std::fs::read_to_string(samples().join("archive.toml"))
        .expect("cfg")
        .replace("cell_width_mm = 15", "cell_width_mm = 40")
        .replace("cell_height_mm = 8", "cell_height_mm = 20");
    std::fs::write(&cfg, text).expect("write");
    let dest = dir.path().join("out");
    let cfg_arg = cfg.display().to_string();
    let out = archive(
        &samples(),
        &dest,
        &[
            "--stamp",
            "--archive-config",
            &cfg_arg,
            "--include",
            "2026/人事科/**",
            "--include",
            "2026/办公室/01*",
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let m = manifest(&dest);
    let forms: Vec<&Entry> = m.items.iter().filter(|e| e.kind == "表单").collect();
    assert!(forms.iter().all(|e| e.status == Status::Refused && e.messages.iter().any(|x| x.contains("归档章"))));
    assert!(
        m.items
            .iter()
            .any(|e| e.kind == "公文" && e.status == Status::Archived),
        "the 公文 has room"
    );
}

#[test]
fn classified_documents_need_the_flag_and_dest_may_not_overlap_src() {
    let dir = tempfile::tempdir().expect("tmp");
    let dest = dir.path().join("out");
    archive(
        &samples(),
        &dest,
        &["--include-classified", "--include", "2026/办公室/**"],
    );
    let m = manifest(&dest);
    let secret = m
        .items
        .iter()
        .find(|e| e.source.ends_with("03-报告-涉密.toml"))
        .expect("entry");
    assert_eq!(secret.status, Status::Archived);
    assert_eq!(secret.classification, "秘密");

    let src = bigger_tree(dir.path());
    let inside = wenshu()
        .arg("archive")
        .arg(&src)
        .arg("-o")
        .arg(src.join("out"))
        .output()
        .expect("run");
    assert_eq!(inside.status.code(), Some(2), "DEST inside SRC is refused");
    assert!(!src.join("out").exists());
}

/// One archived 件 of the sample tree as the plan describes it, to copy into long catalogues.
fn sample_entry() -> Entry {
    let dir = tempfile::tempdir().expect("tmp");
    let cfg = wenshu::archive::config::ArchiveConfig::load(&samples(), None).expect("cfg");
    let catalog = wenshu::form::load::Catalog::load(None).expect("forms");
    let opts = wenshu::archive::run::RunOptions {
        src: samples(),
        dest: dir.path().join("o"),
        ..Default::default()
    };
    let (entries, _) = wenshu::archive::run::plan_tree(&opts, &cfg, &catalog).expect("plan");
    entries
        .into_iter()
        .find(|e| e.status == Status::Archived)
        .expect("one archived 件")
}

/// Copies of [`sample_entry`] numbered `items`, each with the 档号 `code` gives it.
fn numbered_copies(
    items: std::ops::RangeInclusive<u32>,
    code: impl Fn(u32) -> String,
) -> Vec<Entry> {
    let one = sample_entry();
    items
        .map(|i| {
            let mut e = one.clone();
            e.item_number = Some(i);
            e.archival_code = Some(code(i));
            e
        })
        .collect()
}

#[test]
fn the_catalogue_repeats_its_header_on_every_landscape_page() {
    let engine = wenshu::Engine::new(&wenshu::EngineOptions::default()).expect("engine");
    let many = numbered_copies(1..=70, |i| format!("Z109-WS·2026-D30-BGS-{i:04}"));
    let refs: Vec<&Entry> = many.iter().collect();
    let pdf = wenshu::archive::catalogue::pdf(
        &engine,
        wenshu::render::pdf::Conformance::A2b,
        "Z109",
        "兴仁市医疗保障局",
        "2026/办公室",
        &refs,
    )
    .expect("catalogue");
    let doc = wenshu::archive::catalogue::document(
        &engine,
        "Z109",
        "兴仁市医疗保障局",
        "2026/办公室",
        &refs,
    )
    .expect("catalogue pages");
    check_pdfa(&pdf, "2", "B");
    let layout = wenshu::render::inspect::flatten(&doc);
    assert!(layout.pages.len() >= 3, "70 件 take several pages");
    for (i, p) in doc.pages().iter().enumerate() {
        assert!(
            p.frame.width() > p.frame.height(),
            "page {} is landscape",
            i + 1
        );
        let texts: Vec<&str> = layout.pages[i]
            .texts
            .iter()
            .map(|t| t.text.as_str())
            .collect();
        for h in [
            "序号",
            "档号",
            "文号",
            "责任者",
            "题名",
            "日期",
            "密级",
            "页数",
            "备注",
        ] {
            assert!(
                texts.iter().any(|t| t.contains(h)),
                "page {} lacks the header {h}",
                i + 1
            );
        }
    }
}

/// The XML of an OFD package, all parts joined (metadata lives in OFD.xml's `DocInfo`).
fn ofd_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("an OFD is a zip");
    let mut all = String::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).expect("part");
        if f.name().expect("part name").ends_with(".xml") {
            std::io::Read::read_to_string(&mut f, &mut all).expect("xml is UTF-8");
        }
    }
    all
}

#[test]
fn ofd_format_writes_ofd_a_items_carrying_their_archival_record() {
    let dir = tempfile::tempdir().expect("tmp");
    let dest = dir.path().join("out");
    archive(&samples(), &dest, &["--format", "ofd", "--stamp"]);
    let m = manifest(&dest);
    assert_eq!(m.settings.format, "ofd");
    assert_eq!((m.totals.archived, m.totals.refused), (10, 2));
    for e in m.items.iter().filter(|e| e.status == Status::Archived) {
        let rel = e.output.as_deref().expect("output");
        let code = e.archival_code.as_deref().expect("档号");
        assert_eq!(rel.rsplit('/').next(), Some(format!("{code}.ofd").as_str()));
        let bytes = std::fs::read(dest.join(rel)).expect("the 件 is written");
        assert_eq!(
            e.output_sha256.as_deref(),
            Some(sha(&bytes).as_str()),
            "{rel}"
        );
        let found = wenshu::render::ofd::verify(&bytes).expect("the package reads");
        assert!(found.conforms(), "{rel}: {found:?}");
        assert_eq!(found.doc_type, "OFD-A", "{rel}");
        assert_eq!(Some(found.pages), e.pages, "{rel}");
        let xml = ofd_xml(&bytes);
        for value in [code, e.title.as_str(), e.responsible.as_str()] {
            assert!(
                xml.contains(value),
                "{rel}: “{value}” not in the package's metadata"
            );
        }
        // The PDF/A-3b attachment is for PDF only; no other format leaks into DEST.
        assert!(!dest.join(rel).with_extension("pdf").exists(), "{rel}");
    }
    // Reproducible like the PDF/A archive: a second run gives the same bytes.
    let again = dir.path().join("again");
    archive(&samples(), &again, &["--format", "ofd", "--stamp"]);
    assert_same_tree(&dest, &again);
}

/// A folder of thousands of 件 (five-digit 件号): every catalogue page but the last is as full as
/// the first continuation page; no half-empty page in the middle of the book.
#[test]
fn a_long_catalogue_fills_its_pages() {
    let engine = wenshu::Engine::new(&wenshu::EngineOptions::default()).expect("engine");
    let mut many = numbered_copies(12_001..=12_150, |i| format!("Z109-WS·2026-D10-RSK-{i:05}"));
    for e in &mut many {
        e.title = format!("工作人员请假申请单（第{}号）", e.item_number.unwrap_or(0));
        // A form row's 责任者 is the person: every row is one line.
        e.responsible = "李杰勇".into();
        e.doc_number = String::new();
    }
    let refs: Vec<&Entry> = many.iter().collect();
    let doc = wenshu::archive::catalogue::document(
        &engine,
        "Z109",
        "兴仁市医疗保障局",
        "2026/人事科",
        &refs,
    )
    .expect("catalogue pages");
    let layout = wenshu::render::inspect::flatten(&doc);
    let rows: Vec<usize> = layout
        .pages
        .iter()
        .map(|p| {
            p.texts
                .iter()
                .filter(|t| t.text.starts_with("Z109-WS"))
                .count()
        })
        .collect();
    assert_eq!(rows.iter().sum::<usize>(), 150, "{rows:?}");
    assert!(rows.len() >= 3, "{rows:?}");
    let full = rows[1];
    assert!(
        full >= 20,
        "a landscape page holds 20 or more one-line rows: {rows:?}"
    );
    for (i, n) in rows.iter().enumerate().take(rows.len() - 1).skip(1) {
        assert_eq!(*n, full, "page {} of {rows:?}", i + 1);
    }
}
