//! The `wenshu` binary: exit codes, messages, atomic output, the font report and the demo.

use std::path::Path;
use std::process::Command;

fn wenshu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenshu"));
    c.arg("--ignore-system-fonts")
        .current_dir(env!("CARGO_MANIFEST_DIR"));
    c
}

fn samples() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/samples/gongwen"))
}

#[test]
fn check_exits_0_on_valid_and_1_on_invalid_naming_file_field_and_rule() {
    let ok = wenshu()
        .arg("check")
        .arg(samples().join("02-qingshi-shangxing.toml"))
        .output()
        .expect("run");
    assert!(
        ok.status.success(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(String::from_utf8_lossy(&ok.stdout).contains("校验通过"));

    let dir = tempfile::tempdir().expect("tmp");
    let bad = dir.path().join("bad.toml");
    let text = std::fs::read_to_string(samples().join("02-qingshi-shangxing.toml")).expect("read");
    std::fs::write(
        &bad,
        text.replace("仁卫呈〔2026〕12号", "仁卫呈[2026]012号"),
    )
    .expect("write");
    let out = wenshu().arg("check").arg(&bad).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bad.toml:doc_number:")
            && err.contains("gongwen.doc_number.format")
            && err.contains("六角括号"),
        "{err}"
    );
    assert!(err.contains("修改建议"), "{err}");
}

#[test]
fn gongwen_writes_the_pdf_and_refuses_invalid_documents_without_output() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("a/b/通知.pdf");
    let run = wenshu()
        .arg("gongwen")
        .arg(samples().join("03-han.toml"))
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pdf = std::fs::read(&out).expect("pdf written");
    assert!(pdf.starts_with(b"%PDF-"));
    // No temp files left behind.
    let leftovers: Vec<_> = std::fs::read_dir(out.parent().expect("dir"))
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());

    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, r#"{"kind": "通知", "title": "关于#放假$的通知", "date": "2026年13月1日", "body": ["放假。"], "issuers": ["某局"]}"#).expect("write");
    let refused = dir.path().join("bad.pdf");
    let run = wenshu()
        .arg("gongwen")
        .arg(&bad)
        .arg("-o")
        .arg(&refused)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    assert!(!refused.exists(), "no PDF for a refused document");
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("bad.json:date:") && err.contains("bad.json:issuers:"),
        "{err}"
    );
}

#[test]
fn fonts_reports_every_role_and_strict_fonts_refuses_fallbacks() {
    let out = wenshu().arg("fonts").output().expect("run");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    for (role, family) in [
        ("小标宋", "FandolSong"),
        ("仿宋", "FandolFang R"),
        ("楷体", "FandolKai"),
        ("黑体", "FandolHei"),
        ("宋体", "FandolSong"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with(role) && l.contains(family) && l.contains("内置")),
            "{role}: {text}"
        );
    }
    let strict = wenshu()
        .args(["--strict-fonts", "gongwen"])
        .arg(samples().join("03-han.toml"))
        .arg("-o")
        .arg("/dev/null")
        .output()
        .expect("run");
    assert_eq!(strict.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&strict.stderr).contains("render.font_fallback"));
}

#[test]
fn a_font_dir_wins_over_the_bundled_fallback() {
    // An office font installed under its own family name: simulated with a copy of a Fandol file,
    // mapped to a role in wenshu.toml.
    let dir = tempfile::tempdir().expect("tmp");
    let fonts = dir.path().join("fonts");
    std::fs::create_dir(&fonts).expect("mkdir");
    std::fs::copy(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fonts/FandolKai-Regular.ttf"),
        fonts.join("office-kai.ttf"),
    )
    .expect("copy");
    let cfg = dir.path().join("wenshu.toml");
    std::fs::write(&cfg, "[fonts]\n[fonts.roles]\n\"仿宋\" = \"FandolKai\"\n").expect("write");
    let out = wenshu()
        .arg("--font-dir")
        .arg(&fonts)
        .arg("--config")
        .arg(&cfg)
        .arg("fonts")
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with("仿宋"))
        .expect("仿宋 line");
    assert!(
        line.contains("FandolKai") && line.contains("office-kai.ttf") && !line.contains("未找到"),
        "{line}"
    );
}

#[test]
fn missing_glyphs_are_refused_not_printed_as_tofu() {
    let dir = tempfile::tempdir().expect("tmp");
    let doc = dir.path().join("rare.toml");
    std::fs::write(
        &doc,
        "kind = \"通知\"\ngeneral_distribution = true\ndoc_number = \"某发〔2026〕1号\"\ntitle = \"关于表彰𠀋同志的通知\"\ndate = \"2026年1月5日\"\nbody = [\"表彰。\"]\nissuers = [\"某局\"]\n",
    )
    .expect("write");
    let out = wenshu()
        .arg("gongwen")
        .arg(&doc)
        .arg("-o")
        .arg(dir.path().join("rare.pdf"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("render.missing_glyph") && err.contains("U+2000B"),
        "{err}"
    );
    assert!(!dir.path().join("rare.pdf").exists());
}

#[test]
fn demo_renders_every_sample() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = wenshu()
        .arg("demo")
        .arg("-o")
        .arg(dir.path())
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let n = std::fs::read_dir(samples())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "toml"))
        .count();
    let pdfs = std::fs::read_dir(dir.path())
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert!(n >= 5);
    assert_eq!(pdfs, n);
}

#[test]
fn pdfa_output_declares_pdfa_2b() {
    let dir = tempfile::tempdir().expect("tmp");
    let out = dir.path().join("a.pdf");
    let run = wenshu()
        .arg("gongwen")
        .arg(samples().join("03-han.toml"))
        .arg("--pdfa")
        .arg("-o")
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let pdf = std::fs::read(&out).expect("pdf");
    let text = String::from_utf8_lossy(&pdf);
    assert!(
        text.contains("pdfaid:part") && text.contains("pdfaid:conformance"),
        "PDF/A identification in the XMP metadata"
    );
}

#[test]
fn fill_writes_pdfs_and_an_error_report_and_exits_1_when_a_row_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("请假.csv");
    std::fs::write(
        &csv,
        "姓名,股室,职务级别,请假天数,休假起止日期,请假类别,请假事由,填表日期\n王某某,办公室,一般工作人员,1,2026-03-05至2026-03-05,事假,事,2026-03-04\n李某某,办公室,一般工作人员,1,2026-03-05至2026-03-05,调休,事,2026-03-04\n",
    )
    .expect("write");
    let out_dir = dir.path().join("out");
    let run = wenshu()
        .arg("fill")
        .arg("qingjia")
        .arg(&csv)
        .arg("-o")
        .arg(&out_dir)
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("请假.csv:请假.csv!F3（请假类别）：错误[form.enum]") && err.contains("可选："),
        "{err}"
    );
    assert!(out_dir.join("错误报告.xlsx").is_file());
    let pdfs = std::fs::read_dir(&out_dir)
        .expect("ls")
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
        .count();
    assert_eq!(pdfs, 1);
    assert!(String::from_utf8_lossy(&run.stdout).contains("通过 1 行，拒绝 1 行"));
}

#[test]
fn forms_list_show_template_and_schema() {
    let list = wenshu().arg("forms").output().expect("run");
    assert!(String::from_utf8_lossy(&list.stdout).contains("qingjia\t工作人员请假申请单"));
    let show = wenshu()
        .args(["forms", "show", "qingjia"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(
        text.contains("审批链") && text.contains("超过（不含本数）1"),
        "{text}"
    );
    let dir = tempfile::tempdir().expect("tmp");
    let t = dir.path().join("t.xlsx");
    assert!(
        wenshu()
            .args(["forms", "template", "qingjia", "-o"])
            .arg(&t)
            .status()
            .expect("run")
            .success()
    );
    assert!(t.is_file());
    let schema = wenshu().args(["forms", "schema"]).output().expect("run");
    let v: serde_json::Value = serde_json::from_slice(&schema.stdout).expect("JSON Schema");
    assert!(v["properties"]["fields"].is_object());
    let unknown = wenshu()
        .args(["forms", "show", "nope"])
        .output()
        .expect("run");
    assert_eq!(unknown.status.code(), Some(2));
}

#[test]
fn bench_prints_figures_for_the_three_workloads() {
    let dir = tempfile::tempdir().expect("tmp");
    let report = dir.path().join("BENCHMARKS.md");
    let out = wenshu()
        .args([
            "bench",
            "--gongwen-docs",
            "3",
            "--form-docs",
            "3",
            "--register-docs",
            "1",
            "--no-python",
            "--report",
        ])
        .arg(&report)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    for w in ["公文", "请假申请单", "登记簿", "docs/s", "peak RSS"] {
        assert!(text.contains(w), "{w}: {text}");
    }
    assert!(
        std::fs::read_to_string(&report)
            .expect("report")
            .contains("| 公文")
    );
}
