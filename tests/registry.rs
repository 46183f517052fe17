//! The numbering registry under contention and faults: threads, processes, a killed process.

use std::collections::BTreeSet;
use std::path::Path;
use std::process::{Command, Stdio};

use wenshu::number::registry::{DocRecord, Registry};

const P: &str = "{prefix}〔{year}〕{seq}号";

fn wenshu(registry: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenshu"));
    c.arg("--registry").arg(registry);
    c
}

/// Four processes reserving 25 numbers each at the same time; every number printed.
fn reserve_from_four_processes(db: &Path, scheme: &str, prefix: &str) -> Vec<String> {
    let children: Vec<_> = (0..4)
        .map(|p| {
            wenshu(db)
                .args([
                    "number", "reserve", "--scheme", scheme, "--prefix", prefix, "--year", "2026",
                    "--count", "25", "--key",
                ])
                .arg(format!("proc{p}"))
                .stdout(Stdio::piped())
                .spawn()
                .expect("spawn")
        })
        .collect();
    let mut all = Vec::new();
    for c in children {
        let out = c.wait_with_output().expect("wait");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        all.extend(
            String::from_utf8_lossy(&out.stdout)
                .lines()
                .map(str::to_owned),
        );
    }
    all
}

fn seqs(registry: &Path) -> Vec<u32> {
    let mut r = Registry::open(registry).expect("open");
    r.entries("发文", Some(2026))
        .expect("entries")
        .iter()
        .map(|e| e.seq)
        .collect()
}

#[test]
fn a_hundred_requests_from_four_processes_are_distinct_and_gap_free() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    Registry::open(&db).expect("create");
    let all = reserve_from_four_processes(&db, "发文", "仁府办发");
    assert_eq!(all.len(), 100);
    let distinct: BTreeSet<&String> = all.iter().collect();
    assert_eq!(distinct.len(), 100, "no number issued twice");
    let mut s = seqs(&db);
    s.sort_unstable();
    assert_eq!(s, (1..=100).collect::<Vec<u32>>(), "gap-free");
    let audit = Registry::open(&db).expect("open").audit(7).expect("audit");
    assert!(audit.stale.is_empty());
    assert!(audit.gaps.is_empty());
}

#[test]
fn threads_with_their_own_connections_never_share_a_number() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    Registry::open(&db).expect("create");
    let handles: Vec<_> = (0..8)
        .map(|t| {
            let db = db.clone();
            std::thread::spawn(move || {
                let mut r = Registry::open(&db).expect("open");
                (0..25)
                    .map(|i| {
                        r.reserve("发文", "仁府办发", 2026, &format!("t{t}-{i}"), P)
                            .expect("reserve")
                            .seq
                    })
                    .collect::<Vec<u32>>()
            })
        })
        .collect();
    let mut all: Vec<u32> = handles
        .into_iter()
        .flat_map(|h| h.join().expect("thread"))
        .collect();
    all.sort_unstable();
    assert_eq!(all, (1..=200).collect::<Vec<u32>>());
}

#[test]
fn a_killed_process_loses_nothing_and_numbering_continues() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    Registry::open(&db).expect("create");
    let mut child = wenshu(&db)
        .args([
            "number",
            "reserve",
            "--prefix",
            "仁府办发",
            "--year",
            "2026",
            "--count",
            "100000",
            "--key",
            "bulk",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    // Let it issue some numbers, then kill it mid-stream. Polling must not panic before the kill,
    // or the child would go on reserving after the test is gone.
    let start = std::time::Instant::now();
    let count = |db: &Path| -> usize {
        Registry::open(db)
            .and_then(|mut r| r.entries("发文", Some(2026)))
            .map_or(0, |e| e.len())
    };
    while count(&db) < 20 && start.elapsed().as_secs() < 30 {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    let before = seqs(&db);
    assert!(before.len() >= 20);
    let mut r = Registry::open(&db).expect("reopen after the kill");
    let audit = r.audit(7).expect("audit");
    assert!(audit.gaps.is_empty(), "{:?}", audit.gaps);
    let next = r
        .reserve("发文", "仁府办发", 2026, "after", P)
        .expect("reserve");
    assert_eq!(
        next.seq as usize,
        before.len() + 1,
        "continues right after the last number on record"
    );
    // The reservations the killed process made are visible, and can be committed or voided.
    assert_eq!(audit.counts.0, before.len());
    r.commit("发文", "bulk-1", &DocRecord::default())
        .expect("commit");
    r.void("发文", "仁府办发〔2026〕2号", "进程中断，未生成文档")
        .expect("void");
    let audit = r.audit(0).expect("audit");
    assert_eq!(audit.counts.1, 1);
    assert_eq!(audit.counts.2, 1);
    assert_eq!(
        audit.stale.len(),
        before.len() - 1,
        "the rest are reported as stale with --days 0"
    );
}

#[test]
fn cli_void_list_audit_and_backup() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let out = wenshu(&db)
        .args([
            "number",
            "reserve",
            "--prefix",
            "仁卫发",
            "--year",
            "2026",
            "--key",
            "a",
        ])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "仁卫发〔2026〕1号"
    );
    assert!(
        wenshu(&db)
            .args([
                "number",
                "void",
                "仁卫发〔2026〕1号",
                "--reason",
                "重复发文"
            ])
            .status()
            .expect("run")
            .success()
    );
    let list = wenshu(&db).args(["number", "list"]).output().expect("run");
    let text = String::from_utf8_lossy(&list.stdout);
    assert!(
        text.contains("仁卫发〔2026〕1号\t作废") && text.contains("重复发文"),
        "{text}"
    );
    let again = wenshu(&db)
        .args([
            "number",
            "reserve",
            "--prefix",
            "仁卫发",
            "--year",
            "2026",
            "--key",
            "b",
        ])
        .output()
        .expect("run");
    assert_eq!(
        String::from_utf8_lossy(&again.stdout).trim(),
        "仁卫发〔2026〕2号",
        "voided numbers are not reissued"
    );
    let audit = wenshu(&db)
        .args(["number", "audit", "--days", "0"])
        .output()
        .expect("run");
    assert_eq!(
        audit.status.code(),
        Some(1),
        "a reservation older than 0 days is reported"
    );
    let backup = dir.path().join("b.sqlite");
    assert!(
        wenshu(&db)
            .args(["number", "backup"])
            .arg(&backup)
            .status()
            .expect("run")
            .success()
    );
    assert_eq!(
        Registry::open(&backup)
            .expect("backup opens")
            .entries("", None)
            .expect("entries")
            .len(),
        2
    );
}

/// `wenshu gongwen --assign-numbers DOC -o DOC.pdf` against the registry `db`.
fn assign_and_render(db: &Path, doc: &Path) -> std::process::Output {
    wenshu(db)
        .args(["--ignore-system-fonts", "gongwen", "--assign-numbers"])
        .arg(doc)
        .arg("-o")
        .arg(doc.with_extension("pdf"))
        .output()
        .expect("run")
}

fn gongwen_doc(dir: &Path, name: &str, number_line: &str, date: &str) -> std::path::PathBuf {
    let seal =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/gongwen/seals/xingren-gov-office.png");
    let text = format!(
        "kind = \"通知\"\n{number_line}\ntitle = \"兴仁市人民政府办公室关于做好节假日值班工作的通知\"\nrecipients = [\"各乡（镇）人民政府\"]\ndate = \"{date}\"\nbody = [\"请各单位做好节假日值班工作。\"]\n[[issuers]]\nname = \"兴仁市人民政府办公室\"\nseal = \"{}\"\n",
        seal.display()
    );
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn gongwen_numbers_come_from_the_registry_and_typed_ones_are_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let run = |doc: &Path| assign_and_render(&db, doc);
    let a = gongwen_doc(
        dir.path(),
        "a.toml",
        "issuer_code = \"仁府办发\"",
        "2026年12月1日",
    );
    let out = run(&a);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("发文字号：仁府办发〔2026〕1号"));
    // Rendering the same document again keeps its number.
    let again = run(&a);
    assert!(String::from_utf8_lossy(&again.stdout).contains("仁府办发〔2026〕1号"));
    let b = gongwen_doc(
        dir.path(),
        "b.toml",
        "issuer_code = \"仁府办发\"",
        "2026年12月2日",
    );
    assert!(String::from_utf8_lossy(&run(&b).stdout).contains("仁府办发〔2026〕2号"));
    // Year rollover follows the 成文日期, not the clock.
    let c = gongwen_doc(
        dir.path(),
        "c.toml",
        "issuer_code = \"仁府办发\"",
        "2027年1月4日",
    );
    assert!(String::from_utf8_lossy(&run(&c).stdout).contains("仁府办发〔2027〕1号"));

    // A typed duplicate, a typed number that skips, and a typed number of another year are refused.
    let dup = gongwen_doc(
        dir.path(),
        "dup.toml",
        "doc_number = \"仁府办发〔2026〕1号\"",
        "2026年12月3日",
    );
    let out = run(&dup);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("gongwen.doc_number.taken"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!dup.with_extension("pdf").exists());
    let skip = gongwen_doc(
        dir.path(),
        "skip.toml",
        "doc_number = \"仁府办发〔2026〕9号\"",
        "2026年12月3日",
    );
    assert!(String::from_utf8_lossy(&run(&skip).stderr).contains("gongwen.doc_number.sequence"));
    let year = gongwen_doc(
        dir.path(),
        "year.toml",
        "doc_number = \"仁府办发〔2025〕3号\"",
        "2026年12月3日",
    );
    assert!(String::from_utf8_lossy(&run(&year).stderr).contains("gongwen.doc_number.year"));
    let ok = gongwen_doc(
        dir.path(),
        "ok.toml",
        "doc_number = \"仁府办发〔2026〕3号\"",
        "2026年12月3日",
    );
    assert!(run(&ok).status.success());

    // Every produced document is recorded with the SHA-256 of its PDF.
    let mut reg = Registry::open(&db).expect("open");
    let entries = reg.entries("发文", Some(2026)).expect("entries");
    let first = entries.iter().find(|e| e.seq == 1).expect("1号");
    assert_eq!(first.state, "committed");
    let pdf = std::fs::read(a.with_extension("pdf")).expect("pdf");
    assert_eq!(
        first.record.sha256,
        wenshu::number::assign::sha256_hex(&pdf)
    );
    assert_eq!(first.record.kind, "通知");
    assert!(first.record.output.ends_with("a.pdf"));
}

#[test]
fn form_numbers_come_from_the_registry_and_rerunning_a_sheet_keeps_them() {
    use wenshu::fill::{FillOptions, fill};
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let engine = wenshu::Engine::new(&wenshu::EngineOptions::default()).expect("engine");
    let cat = wenshu::form::load::Catalog::load(None).expect("forms");
    let def = cat.get("paiche").expect("派车单");
    let sample = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms/paiche.xlsx");
    let opts = FillOptions {
        registry: Some(db.clone()),
        assign_numbers: true,
        ..FillOptions::default()
    };
    let first = fill(&engine, def, &sample, &dir.path().join("a"), &opts).expect("fill");
    assert!(first.errors.is_empty());
    let mut reg = Registry::open(&db).expect("open");
    let entries = reg.entries("paiche", None).expect("entries");
    assert_eq!(entries.len(), first.written.len());
    assert!(entries.iter().all(|e| e.state == "committed"
        && e.number.starts_with("派车〔")
        && e.record.sha256.len() == 64));
    let numbers: Vec<String> = entries.iter().map(|e| e.number.clone()).collect();
    fill(&engine, def, &sample, &dir.path().join("b"), &opts).expect("again");
    let again: Vec<String> = reg
        .entries("paiche", None)
        .expect("entries")
        .iter()
        .map(|e| e.number.clone())
        .collect();
    assert_eq!(numbers, again, "the same rows keep the same numbers");
}

#[test]
fn the_outgoing_register_opens_as_a_book_with_a_sheet_per_year() {
    use calamine::{Reader, open_workbook_auto};
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let mut reg = Registry::open(&db).expect("open");
    for (key, year) in [("a", 2025), ("b", 2026), ("c", 2026)] {
        reg.reserve("发文", "仁府办发", year, key, P)
            .expect("reserve");
        reg.commit(
            "发文",
            key,
            &DocRecord {
                kind: "通知".into(),
                title: format!("关于{key}的通知"),
                date: format!("{year}年3月5日"),
                issuer: "兴仁市人民政府办公室".into(),
                ..DocRecord::default()
            },
        )
        .expect("commit");
    }
    reg.void("发文", "仁府办发〔2026〕2号", "标题有误，重新发文")
        .expect("void");
    let out = dir.path().join("发文登记簿.xlsx");
    let run = wenshu(&db)
        .args(["number", "register", "发文", "-o"])
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut wb = open_workbook_auto(&out).expect("open xlsx");
    assert_eq!(
        wb.sheet_names(),
        vec!["2025年".to_owned(), "2026年".to_owned()]
    );
    let range = wb.worksheet_range("2026年").expect("sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| r.iter().map(ToString::to_string).collect())
        .collect();
    assert_eq!(rows[0][0], "2026年发文登记簿");
    assert_eq!(rows[1][..4], ["序号", "发文字号", "文种", "标题"]);
    assert_eq!(rows.len(), 4, "title, header, two numbers");
    assert!(
        rows[3].contains(&"作废".to_owned()) && rows[3].contains(&"标题有误，重新发文".to_owned())
    );
}

/// PostgreSQL: the same guarantees against a real server. `.ci/run` installs and starts one and
/// sets `WENSHU_TEST_POSTGRES`; elsewhere the test says why it did not run.
fn postgres_url() -> Option<String> {
    match std::env::var("WENSHU_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!(
                "SKIPPED: PostgreSQL tests need WENSHU_TEST_POSTGRES=postgres://… (set by .ci/run, which installs and starts a local server)"
            );
            None
        }
    }
}

fn unique(tag: &str) -> String {
    format!(
        "{tag}-{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0)
    )
}

#[test]
fn postgres_a_hundred_requests_from_four_processes_are_distinct_and_gap_free() {
    let Some(url) = postgres_url() else { return };
    let scheme = unique("并发");
    let db = Path::new(&url);
    let all = reserve_from_four_processes(db, &scheme, "仁府办发");
    let distinct: BTreeSet<&String> = all.iter().collect();
    assert_eq!((all.len(), distinct.len()), (100, 100));
    let mut reg = Registry::open(db).expect("open");
    let mut s: Vec<u32> = reg
        .entries(&scheme, Some(2026))
        .expect("entries")
        .iter()
        .map(|e| e.seq)
        .collect();
    s.sort_unstable();
    assert_eq!(s, (1..=100).collect::<Vec<u32>>());
}

#[test]
fn postgres_killed_process_void_commit_and_backup() {
    let Some(url) = postgres_url() else { return };
    let scheme = unique("中断");
    let db = Path::new(&url);
    let mut child = wenshu(db)
        .args([
            "number",
            "reserve",
            "--scheme",
            &scheme,
            "--prefix",
            "仁卫发",
            "--year",
            "2026",
            "--count",
            "100000",
            "--key",
            "bulk",
        ])
        .stdout(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut reg = Registry::open(db).expect("open");
    let start = std::time::Instant::now();
    while reg.entries(&scheme, None).expect("entries").len() < 10 && start.elapsed().as_secs() < 30
    {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    child.kill().expect("kill");
    child.wait().expect("reap");
    let before = reg.entries(&scheme, None).expect("entries").len();
    assert!(before >= 10);
    let next = reg
        .reserve(&scheme, "仁卫发", 2026, "after", P)
        .expect("reserve");
    assert_eq!(next.seq as usize, before + 1);
    reg.commit(
        &scheme,
        "bulk-1",
        &DocRecord {
            title: "关于…的通知".into(),
            ..DocRecord::default()
        },
    )
    .expect("commit");
    reg.void(&scheme, "仁卫发〔2026〕2号", "中断")
        .expect("void");
    assert!(matches!(
        reg.claim(&scheme, "仁卫发", 2026, 2, "x", P),
        Err(wenshu::number::registry::RegistryError::Voided { .. })
    ));
    let dir = tempfile::tempdir().expect("tmp");
    let copy = dir.path().join("pg-backup.sqlite");
    reg.backup(&copy).expect("backup");
    let mut restored = Registry::open(&copy).expect("open copy");
    assert_eq!(
        restored.entries(&scheme, None).expect("entries").len(),
        before + 1
    );
}

#[test]
fn the_register_also_prints_as_pdf_through_the_forms_engine() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let mut reg = Registry::open(&db).expect("open");
    for i in 0..20 {
        let key = format!("k{i}");
        reg.reserve("发文", "仁府办发", 2026, &key, P)
            .expect("reserve");
        reg.commit(
            "发文",
            &key,
            &DocRecord {
                kind: "通知".into(),
                title: format!("关于第{i}项工作的通知"),
                date: "2026年3月5日".into(),
                ..DocRecord::default()
            },
        )
        .expect("commit");
    }
    let out = dir.path().join("发文登记簿.pdf");
    let run = wenshu(&db)
        .args([
            "--ignore-system-fonts",
            "number",
            "register",
            "发文",
            "--year",
            "2026",
            "-o",
        ])
        .arg(&out)
        .output()
        .expect("run");
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let engine = wenshu::Engine::new(&wenshu::EngineOptions::default()).expect("engine");
    let data = wenshu::output::register::pdf_data(
        "发文",
        &reg.entries("发文", Some(2026)).expect("entries"),
        Some(2026),
    );
    let layout = wenshu::render::inspect::flatten(
        &engine
            .compile("/templates/forms/register.typ", &data, &[])
            .expect("compile")
            .document,
    );
    assert_eq!(layout.pages.len(), 2, "16 rows a page");
    for page in &layout.pages {
        assert!(
            page.texts.iter().any(|t| t.text == "发文字号"),
            "header repeated on every page"
        );
        assert!(page.texts.iter().any(|t| t.text == "2026年发文登记簿"));
    }
    assert!(std::fs::read(&out).expect("pdf").starts_with(b"%PDF-"));
}

#[test]
fn number_formats_per_scheme_come_from_the_config() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let cfg = dir.path().join("wenshu.toml");
    std::fs::write(
        &cfg,
        "[numbering]\n\"收文\" = \"收〔{year}〕{seq:03}号\"\n\"会议纪要\" = \"第{seq}期\"\n",
    )
    .expect("cfg");
    let run = |scheme: &str, key: &str| {
        let out = wenshu(&db)
            .arg("--config")
            .arg(&cfg)
            .args([
                "number", "reserve", "--scheme", scheme, "--year", "2026", "--key", key,
            ])
            .output()
            .expect("run");
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    };
    assert_eq!(run("收文", "a"), "收〔2026〕001号");
    assert_eq!(run("收文", "b"), "收〔2026〕002号");
    assert_eq!(run("会议纪要", "m"), "第1期");
}

#[test]
fn hand_typed_form_numbers_are_checked_against_the_registry() {
    use wenshu::fill::{FillOptions, fill, read_table};
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let engine = wenshu::Engine::new(&wenshu::EngineOptions::default()).expect("engine");
    let cat = wenshu::form::load::Catalog::load(None).expect("forms");
    let def = cat.get("paiche").expect("派车单");
    let (table, _) = read_table(
        def,
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms/paiche.xlsx"),
        None,
    )
    .expect("sample");
    let row0: serde_json::Map<String, serde_json::Value> = table
        .headers
        .iter()
        .zip(&table.rows[0].cells)
        .filter(|(h, _)| !h.is_empty() && h.as_str() != "序号")
        .map(|(h, c)| (h.clone(), serde_json::json!(c.display())))
        .collect();
    let year = wenshu::validate::form::validate_row(
        def,
        &wenshu::validate::form::map_columns(def, &table),
        &table.rows[0],
        Default::default(),
    )
    .expect("valid")
    .date
    .map(|d| chrono::Datelike::year(&d))
    .expect("date");
    // Five different requests (a row is known by its content, not its position).
    let with = |i: usize, n: String| {
        let mut r = row0.clone();
        r.insert("编号".into(), serde_json::json!(n));
        r.insert("用车事由".into(), serde_json::json!(format!("公务用车{i}")));
        serde_json::Value::Object(r)
    };
    let rows = serde_json::json!([
        with(1, format!("派车〔{year}〕1号")),
        with(2, format!("派车〔{year}〕1号")),
        with(3, format!("派车〔{}〕2号", year - 1)),
        with(4, "第5号".into()),
        with(5, format!("派车〔{year}〕9号")),
    ]);
    let data = dir.path().join("d.json");
    std::fs::write(&data, rows.to_string()).expect("data");
    let out = fill(
        &engine,
        def,
        &data,
        &dir.path().join("out"),
        &FillOptions {
            registry: Some(db),
            ..FillOptions::default()
        },
    )
    .expect("fill");
    let codes: Vec<(usize, &str)> = out
        .errors
        .iter()
        .map(|e| (e.row, e.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        vec![
            (2, "form.number.registry"),
            (3, "form.number.year"),
            (4, "form.number.format"),
            (5, "form.number.registry")
        ],
        "{:#?}",
        out.errors
    );
    assert_eq!(out.written.len(), 1);
}

/// A 命令 with a blank 令号 (or a typed one), signed with the sample 签名章.
fn order_doc(dir: &Path, name: &str, number_line: &str, date: &str) -> std::path::PathBuf {
    let stamp = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("samples/gongwen/seals/signature-stamp-zhang.png");
    let text = format!(
        "kind = \"命令\"\nissuer_code = \"兴仁市人民政府令\"\n{number_line}\ndate = \"{date}\"\nbody = [\"《兴仁市城市绿化管理办法》已经市人民政府常务会议审议通过，现予公布，自公布之日起施行。\"]\n[[issuers]]\nname = \"兴仁市人民政府\"\n[[signature_stamps]]\ntitle = \"市长\"\nimage = \"{}\"\n",
        stamp.display()
    );
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

#[test]
fn gbt_10_2_order_numbers_run_on_across_years_in_their_own_sequence() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let run = |doc: &Path| {
        let out = assign_and_render(&db, doc);
        (
            out.status.success(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ),
        )
    };
    let a = order_doc(dir.path(), "a.toml", "", "2026年12月1日");
    let (ok, text) = run(&a);
    assert!(ok && text.contains("令号：第1号"), "{text}");
    // A 发文字号 of the same organ does not consume 令号.
    let notice = gongwen_doc(
        dir.path(),
        "n.toml",
        "issuer_code = \"仁府发\"",
        "2026年12月2日",
    );
    assert!(run(&notice).0);
    // The new year does not restart the 令号.
    let b = order_doc(dir.path(), "b.toml", "", "2027年1月5日");
    let (ok, text) = run(&b);
    assert!(ok && text.contains("令号：第2号"), "{text}");
    // A typed 令号 that skips numbers is refused.
    let c = order_doc(
        dir.path(),
        "c.toml",
        "order_number = \"第5号\"",
        "2027年2月1日",
    );
    let (ok, text) = run(&c);
    assert!(
        !ok && text.contains("gongwen.order_number.sequence"),
        "{text}"
    );
}
