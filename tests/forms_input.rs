//! The input and numbering side of forms, as clerks really work: rows inserted, deleted and
//! reordered between runs; no number printed outside the registry; PDF/A; spreadsheets that
//! expand to gigabytes or hold endless cells; GBK and UTF-16 CSVs; control characters; dates
//! and phones typed every way; one error per cause; a complete error report; progress.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Data, Reader, open_workbook_auto};
use serde_json::{Value as Json, json};
use wenshu::fill::{FillOptions, FillOutcome, fill};
use wenshu::form::load::Catalog;
use wenshu::form::schema::FormDef;
use wenshu::limits::Limits;
use wenshu::number::registry::Registry;

use common::engine;

fn catalog() -> Catalog {
    Catalog::load(None).expect("built-in definitions load")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms")
}

fn wenshu() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_wenshu"));
    c.arg("--ignore-system-fonts");
    c
}

/// A catalog with one extra definition written to a temporary folder.
fn user_catalog(dir: &Path, id: &str, toml: &str) -> Catalog {
    let defs = dir.join("defs");
    std::fs::create_dir_all(&defs).expect("mkdir");
    std::fs::write(defs.join(format!("{id}.toml")), toml).expect("def");
    Catalog::load(Some(&defs)).expect("load")
}

fn run(def: &FormDef, data: &Path, out: &Path, opts: &FillOptions) -> FillOutcome {
    fill(engine(), def, data, out, opts).unwrap_or_else(|e| panic!("{}: {e}", def.id))
}

fn dry(def: &FormDef, data: &Path) -> FillOutcome {
    run(
        def,
        data,
        &data.with_extension("out"),
        &FillOptions {
            dry_run: true,
            ..FillOptions::default()
        },
    )
}

fn codes(out: &FillOutcome) -> Vec<(usize, String)> {
    out.errors.iter().map(|e| (e.row, e.code.clone())).collect()
}

/// The first data row of a sample sheet, header → displayed value.
fn sample_row(def: &FormDef) -> serde_json::Map<String, Json> {
    let (table, _) =
        wenshu::fill::read_table(def, &samples().join(format!("{}.xlsx", def.id)), None)
            .expect("sample");
    table
        .headers
        .iter()
        .zip(&table.rows[0].cells)
        .filter(|(h, _)| !h.is_empty() && h.as_str() != "序号")
        .map(|(h, c)| (h.clone(), json!(c.display())))
        .collect()
}

fn write_json(path: &Path, rows: &[serde_json::Map<String, Json>]) {
    std::fs::write(path, serde_json::to_string(rows).expect("json")).expect("write");
}

const LEAVE_HEADERS: [&str; 9] = [
    "序号",
    "姓名",
    "股室",
    "职务级别",
    "请假天数",
    "休假起止日期",
    "请假类别",
    "请假事由",
    "填表日期",
];

/// A valid 请假申请单 row (one day of 事假 on 2026-03-05).
fn leave(name: &str) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("序号", "1".to_owned()),
        ("姓名", name.to_owned()),
        ("股室", "办公室".to_owned()),
        ("职务级别", "一般工作人员".to_owned()),
        ("请假天数", "1".to_owned()),
        ("休假起止日期", "2026年3月5日至2026年3月5日".to_owned()),
        ("请假类别", "事假".to_owned()),
        ("请假事由", "办理个人事务".to_owned()),
        ("填表日期", "2026-03-04".to_owned()),
    ])
}

fn leave_csv(path: &Path, rows: &[BTreeMap<&'static str, String>]) {
    let mut text = LEAVE_HEADERS.join(",") + "\n";
    for r in rows {
        text.push_str(
            &LEAVE_HEADERS
                .iter()
                .map(|h| r.get(h).cloned().unwrap_or_default())
                .collect::<Vec<_>>()
                .join(","),
        );
        text.push('\n');
    }
    std::fs::write(path, text).expect("csv");
}

// ---------------------------------------------------------------------------------------------
// 11.3 Rows keep their numbers when the sheet changes.

#[test]
fn numbers_stay_with_their_requests_when_rows_are_inserted_deleted_and_reordered() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let cat = catalog();
    let def = cat.get("paiche").expect("派车单");
    let base = sample_row(def);
    let request = |what: &str| {
        let mut r = base.clone();
        r.insert("用车事由".into(), json!(format!("{what}公务")));
        r
    };
    let opts = FillOptions {
        registry: Some(db.clone()),
        assign_numbers: true,
        ..FillOptions::default()
    };
    // Which number each request (by its 用车事由) was printed with.
    let numbers = |out: &FillOutcome| -> BTreeMap<String, String> {
        assert!(out.errors.is_empty(), "{:#?}", out.errors);
        out.printed
            .iter()
            .map(|p| {
                let what = p
                    .key
                    .split('；')
                    .find_map(|kv| kv.strip_prefix("用车事由="))
                    .expect("key names 用车事由")
                    .to_owned();
                (what, p.number.clone().expect("numbered"))
            })
            .collect()
    };
    // The same data moved to another file and folder: still the same requests.
    let sheet = |name: &str, rows: &[&str]| {
        let folder = dir.path().join(name);
        std::fs::create_dir_all(&folder).expect("mkdir");
        let path = folder.join(format!("{name}.json"));
        write_json(&path, &rows.iter().map(|w| request(w)).collect::<Vec<_>>());
        path
    };

    let first = numbers(&run(
        def,
        &sheet("one", &["甲", "乙", "丙"]),
        &dir.path().join("o1"),
        &opts,
    ));
    assert_eq!(first.len(), 3);
    // 丁 inserted at the top, 乙 deleted, 丙 and 甲 swapped.
    let second = numbers(&run(
        def,
        &sheet("two", &["丁", "丙", "甲"]),
        &dir.path().join("o2"),
        &opts,
    ));
    assert_eq!(second["甲公务"], first["甲公务"]);
    assert_eq!(second["丙公务"], first["丙公务"]);
    assert!(
        !first.values().any(|n| *n == second["丁公务"]),
        "the inserted request gets a number never printed before: {first:?} {second:?}"
    );
    // Everything back, in yet another order, plus a new one.
    let third = numbers(&run(
        def,
        &sheet("three", &["乙", "戊", "甲", "丁", "丙"]),
        &dir.path().join("o3"),
        &opts,
    ));
    for (what, n) in first.iter().chain(&second) {
        assert_eq!(&third[what], n, "{what}");
    }
    let mut all: Vec<&String> = third.values().collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 5, "five requests, five numbers: {third:?}");

    // The registry knows each number by its request, never by a path or a row.
    let mut reg = Registry::open(&db).expect("open");
    for e in reg.entries("paiche", None).expect("entries") {
        assert!(
            !e.doc_key.contains(".json") && !e.doc_key.contains('!'),
            "{}",
            e.doc_key
        );
    }
}

#[test]
fn two_identical_requests_in_one_sheet_are_both_refused_naming_each_other() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("paiche").expect("派车单");
    let base = sample_row(def);
    let mut other = base.clone();
    other.insert("用车事由".into(), json!("另一项公务"));
    let data = dir.path().join("d.json");
    write_json(&data, &[base.clone(), other, base]);
    let out = run(
        def,
        &data,
        &dir.path().join("out"),
        &FillOptions {
            registry: Some(dir.path().join("r.sqlite")),
            assign_numbers: true,
            ..FillOptions::default()
        },
    );
    assert_eq!(
        codes(&out),
        vec![
            (1, "form.key.duplicate".to_owned()),
            (3, "form.key.duplicate".to_owned())
        ]
    );
    assert!(
        out.errors[0].message.contains("第 3 行"),
        "{:?}",
        out.errors[0]
    );
    assert!(
        out.errors[1].message.contains("第 1 行"),
        "{:?}",
        out.errors[1]
    );
    assert_eq!(out.written.len(), 1, "the other request prints");

    // An explicit 识别码 tells two such rows apart.
    let mut a = sample_row(def);
    a.insert("识别码".into(), json!("OA-2026-0001"));
    let mut b = a.clone();
    b.insert("识别码".into(), json!("OA-2026-0002"));
    write_json(&data, &[a, b]);
    let out = dry(def, &data);
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert!(out.unknown_columns.is_empty());
}

#[test]
fn definitions_name_their_key_fields_and_the_template_offers_a_key_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let toml = "id = \"k\"\ntitle = \"键表\"\nkey = [\"申请人\"]\nnumbering = \"键〔{year}〕{seq}号\"\ndate_field = \"日期\"\n[[fields]]\nlabel = \"申请人\"\ntype = \"person\"\nrequired = true\n[[fields]]\nlabel = \"日期\"\ntype = \"date\"\nrequired = true\n[[fields]]\nlabel = \"事由\"\ntype = \"text\"\nrequired = true\n";
    let cat = user_catalog(dir.path(), "k", toml);
    let def = cat.get("k").expect("def");
    assert_eq!(wenshu::validate::form::key_fields(def), ["申请人"]);
    // The key names the request; the 事由 can be corrected without a new number.
    let data = dir.path().join("d.json");
    let db = dir.path().join("r.sqlite");
    let opts = FillOptions {
        registry: Some(db),
        assign_numbers: true,
        ..FillOptions::default()
    };
    std::fs::write(
        &data,
        r#"[{"申请人": "王某某", "日期": "2026-03-04", "事由": "初稿"}]"#,
    )
    .expect("w");
    let a = run(def, &data, &dir.path().join("a"), &opts);
    std::fs::write(
        &data,
        r#"[{"申请人": "李某某", "日期": "2026-03-04", "事由": "x"}, {"申请人": "王某某", "日期": "2026-03-04", "事由": "改正后"}]"#,
    )
    .expect("w");
    let b = run(def, &data, &dir.path().join("b"), &opts);
    assert_eq!(a.printed[0].number, b.printed[1].number);
    assert_ne!(b.printed[0].number, b.printed[1].number);

    // A key naming no field is a load error.
    std::fs::write(
        dir.path().join("defs/k.toml"),
        toml.replace("key = [\"申请人\"]", "key = [\"不存在\"]"),
    )
    .expect("def");
    let err = Catalog::load(Some(&dir.path().join("defs"))).expect_err("refused");
    assert!(err.to_string().contains("key 中的“不存在”"), "{err}");

    // `forms template` of a numbered form has the optional 识别码 column.
    let cat = catalog();
    let path = dir.path().join("t.xlsx");
    wenshu::output::sheet_template::write(&path, cat.get("jiekuan").expect("def")).expect("t");
    let mut wb = open_workbook_auto(&path).expect("open");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("h")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert!(header.contains(&"识别码".to_owned()), "{header:?}");
}

// ---------------------------------------------------------------------------------------------
// 13.2 Numbers are never printed twice.

#[test]
fn without_assign_numbers_the_number_is_left_blank_and_said_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("jiekuan").expect("借款单");
    let sample = samples().join("jiekuan.xlsx");
    for round in ["a", "b"] {
        let out = run(
            def,
            &sample,
            &dir.path().join(round),
            &FillOptions::default(),
        );
        assert!(out.errors.is_empty(), "{:#?}", out.errors);
        assert!(!out.printed.is_empty());
        assert!(
            out.printed.iter().all(|p| p.number.is_none()),
            "no number is made up outside the registry: {:?}",
            out.printed
        );
        let said: Vec<&String> = out
            .notices
            .iter()
            .filter(|n| n.contains("编号留空"))
            .collect();
        assert_eq!(said.len(), 1, "said once: {:?}", out.notices);
        assert!(said[0].contains("--assign-numbers"));
    }
    // The printed form keeps a blank 编号 line for handwriting.
    let (table, map) = wenshu::fill::read_table(def, &sample, None).expect("read");
    let rec = wenshu::validate::form::validate_row(def, &map, &table.rows[0], Default::default())
        .expect("valid");
    let mut data = wenshu::prepare::form::form_data(def, &rec, None, "").expect("data");
    data["number_blank"] = json!(true);
    let layout = wenshu::render::inspect::flatten(
        &engine()
            .compile("/templates/forms/form.typ", &data, &[])
            .expect("compile")
            .document,
    );
    let text: String = layout.pages[0]
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert!(text.contains("编号"), "{text}");
    assert!(!text.contains("借〔"), "{text}");
}

#[test]
fn a_typed_number_is_checked_against_the_registry_even_without_assign_numbers() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("jiekuan").expect("借款单");
    let mut row = sample_row(def);
    let year = 2026;
    row.insert("编号".into(), json!(format!("借〔{year}〕1号")));
    let data = dir.path().join("d.json");
    write_json(&data, &[row]);
    // No registry: the number cannot be checked, so it is not printed.
    let out = run(def, &data, &dir.path().join("a"), &FillOptions::default());
    assert_eq!(codes(&out), vec![(1, "form.number.unchecked".to_owned())]);
    // With one (and no --assign-numbers) it is claimed and recorded.
    let db = dir.path().join("r.sqlite");
    let out = run(
        def,
        &data,
        &dir.path().join("b"),
        &FillOptions {
            registry: Some(db.clone()),
            ..FillOptions::default()
        },
    );
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    let entries = Registry::open(&db)
        .expect("open")
        .entries("jiekuan", None)
        .expect("entries");
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0].number.as_str(), entries[0].state.as_str()),
        ("借〔2026〕1号", "committed")
    );
}

// ---------------------------------------------------------------------------------------------
// 11.15 PDF/A for forms and registers.

/// PDF/A-2b structure: identification in the XMP, an output intent, every font embedded.
fn assert_pdfa(pdf: &[u8], what: &str) {
    let text = String::from_utf8_lossy(pdf);
    assert!(
        text.contains("<pdfaid:part>2</pdfaid:part>") || text.contains("pdfaid:part=\"2\""),
        "{what}: PDF/A part 2 in the XMP"
    );
    assert!(
        text.contains("<pdfaid:conformance>B</pdfaid:conformance>")
            || text.contains("pdfaid:conformance=\"B\""),
        "{what}: conformance B"
    );
    assert!(
        text.contains("/OutputIntents") && text.contains("/GTS_PDFA1"),
        "{what}: output intent"
    );
    let descriptors: Vec<&str> = text
        .split("endobj")
        .filter(|o| o.contains("/Type /FontDescriptor") || o.contains("/Type/FontDescriptor"))
        .collect();
    assert!(!descriptors.is_empty(), "{what}: fonts");
    for d in descriptors {
        assert!(d.contains("/FontFile"), "{what}: every font embedded");
    }
}

#[test]
fn pdfa_forms_and_registers_are_written_and_their_numbers_committed() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let cat = catalog();
    let def = cat.get("jiekuan").expect("借款单");
    let out = run(
        def,
        &samples().join("jiekuan.xlsx"),
        &dir.path().join("forms"),
        &FillOptions {
            pdfa: true,
            registry: Some(db.clone()),
            assign_numbers: true,
            ..FillOptions::default()
        },
    );
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_eq!(out.written.len(), out.rows);
    for p in &out.written {
        assert_pdfa(&std::fs::read(p).expect("pdf"), &p.display().to_string());
    }
    let entries = Registry::open(&db)
        .expect("open")
        .entries("jiekuan", None)
        .expect("entries");
    assert_eq!(entries.len(), out.rows);
    assert!(
        entries.iter().all(|e| e.state == "committed"),
        "{entries:#?}"
    );

    let reg = cat.get("yongyin_dengji").expect("用印登记簿");
    let out = run(
        reg,
        &samples().join("yongyin_dengji.xlsx"),
        &dir.path().join("register"),
        &FillOptions {
            pdfa: true,
            ..FillOptions::default()
        },
    );
    assert_eq!(out.written.len(), 1, "{:#?}", out.errors);
    assert_pdfa(&std::fs::read(&out.written[0]).expect("pdf"), "register");
}

// ---------------------------------------------------------------------------------------------
// Numbers on record: nothing delivered with a voided number, a key is one request.

/// The PDFs and temporary files in a folder.
fn pdfs_and_temps(dir: &Path) -> (usize, usize) {
    let names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    (
        names.iter().filter(|n| n.ends_with(".pdf")).count(),
        names.iter().filter(|n| n.starts_with(".wenshu-")).count(),
    )
}

#[test]
fn a_number_voided_while_the_batch_renders_is_never_delivered() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    drop(Registry::open(&db).expect("create"));
    // Another clerk voids every number as soon as it is reserved, i.e. between reservation and
    // the PDF being put in place: the commit must refuse it and no file may appear.
    let conn = rusqlite::Connection::open(&db).expect("sqlite");
    conn.execute_batch(
        "CREATE TRIGGER void_at_once AFTER INSERT ON numbers BEGIN
           UPDATE numbers SET state = 'void', reason = '另一位同事作废', voided_at = '2026-03-05 09:00:00'
           WHERE id = NEW.id; END;",
    )
    .expect("trigger");
    let cat = catalog();
    let def = cat.get("jiekuan").expect("借款单");
    let sample = samples().join("jiekuan.xlsx");
    let opts = FillOptions {
        registry: Some(db.clone()),
        assign_numbers: true,
        ..FillOptions::default()
    };
    let out_dir = dir.path().join("a");
    let out = run(def, &sample, &out_dir, &opts);
    assert!(out.rows > 0);
    assert_eq!(out.refused_rows, out.rows, "{:#?}", out.errors);
    assert!(
        out.errors
            .iter()
            .all(|e| e.code == "form.number.void" && e.message.contains("另一位同事作废")),
        "{:#?}",
        out.errors
    );
    assert!(out.written.is_empty());
    assert_eq!(
        pdfs_and_temps(&out_dir),
        (0, 0),
        "no PDF, no temporary file"
    );

    // Without the other clerk, the rows get new numbers, never the voided ones.
    conn.execute_batch("DROP TRIGGER void_at_once;")
        .expect("drop");
    let voided: Vec<String> = Registry::open(&db)
        .expect("open")
        .entries("jiekuan", None)
        .expect("entries")
        .into_iter()
        .map(|e| e.number)
        .collect();
    let out = run(def, &sample, &dir.path().join("b"), &opts);
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_eq!(out.written.len(), out.rows);
    for p in &out.printed {
        let n = p.number.as_deref().expect("numbered");
        assert!(!voided.iter().any(|v| v == n), "{n} was voided");
    }
}

#[test]
fn a_voided_number_is_never_printed_again_typed_or_held() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let cat = catalog();
    let def = cat.get("paiche").expect("派车单");
    let data = dir.path().join("d.json");
    let mut a = sample_row(def);
    a.insert("用车事由".into(), json!("甲公务"));
    let mut b = sample_row(def);
    b.insert("用车事由".into(), json!("乙公务"));
    write_json(&data, &[a.clone(), b]);
    let opts = FillOptions {
        registry: Some(db.clone()),
        assign_numbers: true,
        ..FillOptions::default()
    };
    let first = run(def, &data, &dir.path().join("1"), &opts);
    assert!(first.errors.is_empty(), "{:#?}", first.errors);
    let voided = first.printed[0].number.clone().expect("numbered");
    Registry::open(&db)
        .expect("open")
        .void("paiche", &voided, "车辆临时调整")
        .expect("void");
    // The request whose number was voided gets a new one; the other keeps its own.
    let second = run(def, &data, &dir.path().join("2"), &opts);
    assert!(second.errors.is_empty(), "{:#?}", second.errors);
    assert_ne!(second.printed[0].number.as_deref(), Some(voided.as_str()));
    assert_eq!(second.printed[1].number, first.printed[1].number);
    // Typed into the sheet, the voided number is refused and nothing is printed for that row.
    a.insert("编号".into(), json!(voided));
    a.insert("用车事由".into(), json!("丙公务"));
    write_json(&data, &[a]);
    let out_dir = dir.path().join("3");
    let third = run(def, &data, &out_dir, &opts);
    assert_eq!(codes(&third), vec![(1, "form.number.void".to_owned())]);
    assert!(
        third.errors[0].message.contains("车辆临时调整"),
        "{:?}",
        third.errors[0]
    );
    assert_eq!(pdfs_and_temps(&out_dir), (0, 0));
}

#[test]
fn a_key_reused_for_another_request_is_refused_naming_both() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("r.sqlite");
    let cat = catalog();
    let def = cat.get("jiekuan").expect("借款单");
    let data = dir.path().join("d.json");
    let mut row = sample_row(def);
    row.insert("识别码".into(), json!("OA-2026-0031"));
    write_json(&data, std::slice::from_ref(&row));
    let opts = FillOptions {
        registry: Some(db.clone()),
        assign_numbers: true,
        ..FillOptions::default()
    };
    let first = run(def, &data, &dir.path().join("1"), &opts);
    assert!(first.errors.is_empty(), "{:#?}", first.errors);
    // The registry knows the request by more than its key: the form, who and what, and the date.
    let entry = Registry::open(&db)
        .expect("open")
        .entries("jiekuan", None)
        .expect("entries")
        .remove(0);
    let who = row["借款人"].as_str().expect("借款人").to_owned();
    assert_eq!(entry.doc_key, "识别码=OA-2026-0031");
    assert!(
        entry.record.title.starts_with("借款单：") && entry.record.title.contains(&who),
        "{}",
        entry.record.title
    );
    assert!(entry.record.date.contains("年"), "{}", entry.record.date);
    // The same 识别码 typed on another person's request: refused, naming both; nothing printed.
    row.insert("借款人".into(), json!("欧阳某某"));
    write_json(&data, &[row]);
    let out_dir = dir.path().join("2");
    let out = run(def, &data, &out_dir, &opts);
    assert_eq!(codes(&out), vec![(1, "form.key.reused".to_owned())]);
    let msg = &out.errors[0].message;
    assert!(
        msg.contains("OA-2026-0031")
            && msg.contains(first.printed[0].number.as_deref().expect("n"))
            && msg.contains(&who)
            && msg.contains("欧阳某某"),
        "{msg}"
    );
    assert_eq!(pdfs_and_temps(&out_dir), (0, 0));
}

#[test]
fn outputs_and_the_report_never_replace_the_data_file() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("d.csv");
    leave_csv(&data, &[leave("王某某")]);
    let before = std::fs::read(&data).expect("read");
    // The report pointed at the data file, spelled another way.
    let out = wenshu()
        .current_dir(dir.path())
        .args(["fill", "qingjia", "d.csv", "--dry-run", "-o", "out"])
        .args(["--report", "./d.csv"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("输出文件就是输入文件"), "{err}");
    assert_eq!(std::fs::read(&data).expect("read"), before, "data intact");

    // A register whose output is the data file itself (a hard link in the output folder).
    let cat = catalog();
    let def = cat.get("yongyin_dengji").expect("用印登记簿");
    let sheet = dir.path().join("登记.xlsx");
    std::fs::copy(samples().join("yongyin_dengji.xlsx"), &sheet).expect("copy");
    let out_dir = dir.path().join("reg");
    std::fs::create_dir_all(&out_dir).expect("mkdir");
    std::fs::hard_link(&sheet, out_dir.join("用印登记簿.pdf")).expect("link");
    let err = fill(engine(), def, &sheet, &out_dir, &FillOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("输出文件就是输入文件"), "{err}");
}

// ---------------------------------------------------------------------------------------------
// 11.9 Spreadsheet limits.

/// An xlsx whose one data cell expands to `bytes` bytes (the shared string table rewritten
/// after rust_xlsxwriter, which refuses such cells itself).
fn xlsx_with_huge_cell(path: &Path, bytes: usize) {
    use std::io::{Read, Write};
    let plain = path.with_extension("plain.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (c, h) in LEAVE_HEADERS.iter().enumerate() {
        ws.write_string(0, u16::try_from(c).expect("c"), *h)
            .expect("h");
    }
    for (c, h) in LEAVE_HEADERS.iter().enumerate() {
        let v = if *h == "请假事由" {
            "PLACEHOLDER".to_owned()
        } else {
            leave("王某某")[h].clone()
        };
        ws.write_string(1, u16::try_from(c).expect("c"), v)
            .expect("v");
    }
    wb.save(&plain).expect("save");
    let mut src = zip::ZipArchive::new(std::fs::File::open(&plain).expect("open")).expect("zip");
    let mut dst = zip::ZipWriter::new(std::fs::File::create(path).expect("create"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for i in 0..src.len() {
        let mut f = src.by_index(i).expect("member");
        let name = f.name().expect("name").into_owned();
        let mut body = Vec::new();
        f.read_to_end(&mut body).expect("read");
        if name == "xl/sharedStrings.xml" {
            let s = String::from_utf8(body).expect("utf8");
            body = s
                .replace("PLACEHOLDER", &"事".repeat(bytes / 3))
                .into_bytes();
        }
        dst.start_file(name, options).expect("start");
        dst.write_all(&body).expect("write");
    }
    dst.finish().expect("finish");
}

#[test]
fn a_small_xlsx_that_expands_enormously_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().expect("tmp");
    let bomb = dir.path().join("bomb.xlsx");
    xlsx_with_huge_cell(&bomb, 48 << 20);
    let size = std::fs::metadata(&bomb).expect("meta").len();
    assert!(size < 1 << 20, "a small file ({size} bytes)");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let err = fill(engine(), def, &bomb, dir.path(), &FillOptions::default()).expect_err("refused");
    assert!(err.to_string().contains("sheet_max_zip_ratio"), "{err}");
    // The total is limited too, named and configurable.
    let err = fill(
        engine(),
        def,
        &bomb,
        dir.path(),
        &FillOptions {
            limits: Limits {
                sheet_max_expanded_mib: 8,
                sheet_max_zip_ratio: 100_000,
                ..Limits::default()
            },
            ..FillOptions::default()
        },
    )
    .expect_err("refused");
    assert!(err.to_string().contains("sheet_max_expanded_mib"), "{err}");
}

#[test]
fn an_overlong_cell_refuses_its_row_and_the_report_is_still_written() {
    let dir = tempfile::tempdir().expect("tmp");
    // An xlsx cell just over Excel's limit, and a CSV cell of 100,000 characters.
    let xlsx = dir.path().join("long.xlsx");
    xlsx_with_huge_cell(&xlsx, 3 * 32_768);
    let csv = dir.path().join("long.csv");
    let mut long = leave("李某某");
    long.insert("请假事由", "长".repeat(100_000));
    leave_csv(&csv, &[leave("王某某"), long]);
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    for (data, row) in [(&xlsx, 2), (&csv, 3)] {
        let out = dry(def, data);
        assert_eq!(
            codes(&out),
            vec![(row, "form.cell_too_long".to_owned())],
            "{}",
            data.display()
        );
        assert_eq!(out.errors[0].column.as_deref(), Some("H"));
        let report = dir.path().join("错误报告.xlsx");
        wenshu::output::report::write(&report, &out.sheet, &out.errors).expect("report written");
        let mut wb = open_workbook_auto(&report).expect("open");
        let range = wb.worksheet_range("错误报告").expect("sheet");
        let value = range.get_value((1, 4)).expect("value").to_string();
        assert!(
            value.chars().count() < 300,
            "value truncated: {} chars",
            value.chars().count()
        );
    }
    // Named and configurable.
    let out = run(
        def,
        &csv,
        dir.path(),
        &FillOptions {
            dry_run: true,
            limits: Limits {
                sheet_max_cell_chars: 200_000,
                ..Limits::default()
            },
            ..FillOptions::default()
        },
    );
    assert!(out.errors.iter().all(|e| e.code != "form.cell_too_long"));
}

#[test]
fn row_count_is_limited_in_the_library_and_in_wenshu_toml() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("rows.csv");
    let rows: Vec<_> = (0..6)
        .map(|i| leave(&format!("王某{}", ["甲", "乙", "丙", "丁", "戊", "己"][i])))
        .collect();
    leave_csv(&csv, &rows);
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let err = fill(
        engine(),
        def,
        &csv,
        dir.path(),
        &FillOptions {
            dry_run: true,
            limits: Limits {
                sheet_max_rows: 5,
                ..Limits::default()
            },
            ..FillOptions::default()
        },
    )
    .expect_err("refused");
    assert!(
        err.to_string().contains("sheet_max_rows") && err.to_string().contains('5'),
        "{err}"
    );

    std::fs::write(
        dir.path().join("wenshu.toml"),
        "[limits]\nsheet_max_rows = 4\n",
    )
    .expect("cfg");
    let out = wenshu()
        .current_dir(dir.path())
        .args(["fill", "qingjia", "rows.csv", "--dry-run", "-o", "out"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("4 行") && err.contains("sheet_max_rows"),
        "{err}"
    );
    assert!(
        dir.path().join("out/错误报告.xlsx").is_file(),
        "the report says so too"
    );
    // The flag overrides the file.
    let out = wenshu()
        .current_dir(dir.path())
        .args([
            "fill",
            "qingjia",
            "rows.csv",
            "--dry-run",
            "-o",
            "out",
            "--max-rows",
            "10",
        ])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

// ---------------------------------------------------------------------------------------------
// 11.14 Text encodings.

#[test]
fn gbk_and_utf16_csvs_from_excel_are_read_and_their_encoding_named() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let utf8 = dir.path().join("utf8.csv");
    leave_csv(&utf8, &[leave("王某某"), leave("李某某")]);
    let text = std::fs::read_to_string(&utf8).expect("read");

    let gbk = dir.path().join("gbk.csv");
    let (bytes, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(&gbk, &bytes).expect("w");
    let out = dry(def, &gbk);
    assert_eq!((out.rows, out.refused_rows), (2, 0), "{:#?}", out.errors);
    assert_eq!(out.encoding, Some("GBK/GB18030"));
    assert!(
        out.notices.iter().any(|n| n.contains("GBK/GB18030")),
        "{:?}",
        out.notices
    );

    // Excel's “Unicode 文本”: UTF-16LE with a BOM, tab-separated.
    let u16 = dir.path().join("unicode.txt");
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.replace(',', "\t").encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    std::fs::write(&u16, &bytes).expect("w");
    let out = dry(def, &u16);
    assert_eq!((out.rows, out.refused_rows), (2, 0), "{:#?}", out.errors);
    assert_eq!(out.encoding, Some("UTF-16LE"));

    let bom = dir.path().join("bom.csv");
    std::fs::write(&bom, format!("\u{FEFF}{text}")).expect("w");
    let out = dry(def, &bom);
    assert_eq!((out.rows, out.refused_rows), (2, 0));
    assert_eq!(out.encoding, Some("UTF-8（带 BOM）"));

    // Neither: the message names the line and the byte.
    let bad = dir.path().join("bad.csv");
    let mut bytes = text.as_bytes().to_vec();
    let second_line = bytes.iter().position(|b| *b == b'\n').expect("nl") + 1;
    bytes.splice(second_line..second_line, [0xFF, 0xFF, 0xFF]);
    std::fs::write(&bad, &bytes).expect("w");
    let err = fill(engine(), def, &bad, dir.path(), &FillOptions::default()).expect_err("bad");
    assert!(err.to_string().contains("第 2 行"), "{err}");

    // A data file (TOML) that is not UTF-8 names its line and byte too.
    let toml = dir.path().join("doc.toml");
    std::fs::write(&toml, b"kind = \"\xB9\xAB\xCE\xC4\"\n").expect("w");
    let err = wenshu::ingest::data::load::<toml::Value>(&toml).expect_err("bad");
    assert!(
        err.to_string().contains("第 1 行第 9 个字符") && err.to_string().contains("GBK/GB18030"),
        "{err}"
    );
}

// ---------------------------------------------------------------------------------------------
// 11.10 Control characters.

#[test]
fn control_characters_in_form_cells_are_refused_with_their_code_point() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let data = dir.path().join("ctl.json");
    let mut rows = Vec::new();
    for (i, c) in ['\u{0}', '\u{7}', '\u{1B}', '\u{7F}', '\u{85}']
        .iter()
        .enumerate()
    {
        let mut r: serde_json::Map<String, Json> =
            leave(["甲某", "乙某", "丙某", "丁某", "戊某"][i])
                .into_iter()
                .map(|(k, v)| (k.to_owned(), json!(v)))
                .collect();
        r.insert("请假事由".into(), json!(format!("办理{c}个人事务")));
        rows.push(r);
    }
    // A tab and a line break are text, not control characters to refuse.
    let mut ok: serde_json::Map<String, Json> = leave("己某")
        .into_iter()
        .map(|(k, v)| (k.to_owned(), json!(v)))
        .collect();
    ok.insert("请假事由".into(), json!("第一行\n第二行\t完"));
    rows.push(ok);
    write_json(&data, &rows);
    let out = dry(def, &data);
    assert_eq!(out.refused_rows, 5, "{:#?}", out.errors);
    let msgs: Vec<&str> = out.errors.iter().map(|e| e.message.as_str()).collect();
    for (e, cp) in out
        .errors
        .iter()
        .zip(["U+0000", "U+0007", "U+001B", "U+007F", "U+0085"])
    {
        assert_eq!(e.code, "form.control_char");
        assert_eq!(e.field, "请假事由");
        assert!(e.message.contains(cp), "{msgs:?}");
    }
    assert!(out.errors[1].message.contains("BEL") && out.errors[2].message.contains("ESC"));
}

// ---------------------------------------------------------------------------------------------
// 13.8 Input as clerks type it.

#[test]
fn dates_numbers_and_ranges_as_clerks_type_them() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let spellings: [(&str, &str, &str, &str); 8] = [
        // 请假天数, 休假起止日期, 填表日期, the expected range
        (
            "２",
            "２０２６年３月５日至２０２６年３月６日",
            "２０２６年３月４日",
            "2026年3月5日至2026年3月6日",
        ),
        (
            "2",
            "2026／3／5至2026／3／6",
            "2026／3／4",
            "2026年3月5日至2026年3月6日",
        ),
        (
            "2",
            "二〇二六年三月五日至二〇二六年三月六日",
            "二〇二六年三月四日",
            "2026年3月5日至2026年3月6日",
        ),
        (
            "2",
            "2026年3月5日-6日",
            "2026-03-04",
            "2026年3月5日至2026年3月6日",
        ),
        (
            "2",
            "2026.3.5-2026.3.6",
            "2026-03-04",
            "2026年3月5日至2026年3月6日",
        ),
        (
            "2",
            "3月5日至6日",
            "2026年3月4日",
            "2026年3月5日至2026年3月6日",
        ),
        (
            "2",
            "2026-03-05-2026-03-06",
            "2026-03-04",
            "2026年3月5日至2026年3月6日",
        ),
        (
            "4",
            "2026年12月30日至1月2日",
            "2026年12月29日",
            "2026年12月30日至2027年1月2日",
        ),
    ];
    let rows: Vec<serde_json::Map<String, Json>> = spellings
        .iter()
        .enumerate()
        .map(|(i, (days, range, date, _))| {
            let mut r = leave(&format!(
                "王某{}",
                "甲乙丙丁戊己庚辛".chars().nth(i).expect("n")
            ));
            r.insert("请假天数", (*days).to_owned());
            r.insert("休假起止日期", (*range).to_owned());
            r.insert("填表日期", (*date).to_owned());
            r.into_iter()
                .map(|(k, v)| (k.to_owned(), json!(v)))
                .collect()
        })
        .collect();
    let data = dir.path().join("typed.json");
    write_json(&data, &rows);
    let (table, map) = wenshu::fill::read_table(def, &data, None).expect("read");
    for (row, (_, typed, _, want)) in table.rows.iter().zip(spellings) {
        let rec = wenshu::validate::form::validate_row(def, &map, row, Default::default())
            .unwrap_or_else(|e| panic!("{typed}: {e:#?}"));
        assert_eq!(
            rec.get("休假起止日期").map(|v| v.display()).as_deref(),
            Some(want),
            "{typed}"
        );
    }
    // Free text keeps its full-width punctuation.
    let rec = wenshu::validate::form::validate_row(def, &map, &table.rows[0], Default::default())
        .expect("valid");
    assert_eq!(
        rec.get("填表日期").map(|v| v.display()).as_deref(),
        Some("2026年3月4日")
    );
    let mut r = leave("王某某");
    r.insert("请假事由", "家中有事，需回老家（３天内返回）".to_owned());
    let field = def.field("请假事由").expect("f");
    let v = wenshu::validate::form::parse_field(
        field,
        &wenshu::model::value::Cell::Text(r["请假事由"].clone()),
    )
    .expect("text");
    assert_eq!(v.display(), "家中有事，需回老家（３天内返回）");
}

#[test]
fn a_phone_field_takes_only_a_phone_number_and_ids_check_gb_11643() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = user_catalog(
        dir.path(),
        "lianxi",
        "id = \"lianxi\"\ntitle = \"联系登记\"\n[[fields]]\nlabel = \"电话\"\ntype = \"phone\"\n[[fields]]\nlabel = \"身份证号\"\ntype = \"id_number\"\n",
    );
    let def = cat.get("lianxi").expect("def");
    let cell = |s: &str| wenshu::model::value::Cell::Text(s.to_owned());
    let phone = def.field("电话").expect("f");
    for ok in [
        "13908591234",
        "139 0859 1234",
        "139-0859-1234",
        "１３９０８５９１２３４",
        "+86 13908591234",
        "0859-6212345",
        "(0859)6212345",
        "（０８５９）６２１２３４５",
        "6212345",
        "0859-6212345转801",
        "400-810-8888",
    ] {
        assert!(
            wenshu::validate::form::parse_field(phone, &cell(ok)).is_ok(),
            "{ok} is a phone number"
        );
    }
    for bad in [
        "13908591234abc",
        "电话13908591234",
        "tel:13908591234",
        "1390859123",
        "139085912345",
        "13908591234、13908591235",
        "--13908591234",
        "手机",
    ] {
        let e = wenshu::validate::form::parse_field(phone, &cell(bad)).expect_err(bad);
        assert_eq!(e.0, "form.phone", "{bad}");
    }
    let id = def.field("身份证号").expect("f");
    let v = wenshu::validate::form::parse_field(id, &cell("11010519491231002x")).expect("valid");
    assert_eq!(v.display(), "11010519491231002X");
    assert!(
        wenshu::validate::form::parse_field(id, &cell("１１０１０５１９４９１２３１００２Ｘ"))
            .is_ok(),
        "full-width"
    );
    let e =
        wenshu::validate::form::parse_field(id, &cell("110105194912310021")).expect_err("check");
    assert!(e.1.contains("校验码应为 X"), "{}", e.1);
    // A correct check digit over an impossible birth date (February 30th).
    let body = "11010519490230001";
    let w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(w)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = char::from(b"10X98765432"[(sum % 11) as usize]);
    let e = wenshu::validate::form::parse_field(id, &cell(&format!("{body}{check}")))
        .expect_err("birth date");
    assert!(e.1.contains("出生日期"), "{}", e.1);
}

// ---------------------------------------------------------------------------------------------
// 13.9 One error per cause.

#[test]
fn a_refused_field_raises_one_error_and_nothing_that_depends_on_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let mut reversed = leave("王某某");
    reversed.insert("请假天数", "2".into());
    reversed.insert("休假起止日期", "2026年3月6日至2026年3月5日".into());
    let mut unreadable = leave("李某某");
    unreadable.insert("请假天数", "2".into());
    unreadable.insert("休假起止日期", "下周一至下周二".into());
    // 请假类别 refused: the 医院证明 requirement and the sick-leave rule depend on it.
    let mut kind = leave("张某某");
    kind.insert("请假类别", "病休".into());
    kind.insert("请假天数", "12".into());
    kind.insert("休假起止日期", "2026年3月5日至2026年3月16日".into());
    let data = dir.path().join("d.csv");
    leave_csv(&data, &[reversed, unreadable, kind]);
    let out = dry(def, &data);
    assert_eq!(
        codes(&out),
        vec![
            (2, "form.range_order".to_owned()),
            (3, "form.date_range".to_owned()),
            (4, "form.enum".to_owned()),
        ],
        "{:#?}",
        out.errors
    );
}

// ---------------------------------------------------------------------------------------------
// 13.10 The error report is complete.

#[test]
fn the_error_report_has_unknown_columns_numeric_rows_and_cells_as_text() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("d.csv");
    let mut text = LEAVE_HEADERS.join(",") + ",备用列,核对人\n";
    let mut bad = leave("王某某");
    bad.insert(
        "请假类别",
        "=HYPERLINK(\"http://example.invalid\";\"点我\")".into(),
    );
    for r in [leave("李某某"), bad] {
        text.push_str(
            &LEAVE_HEADERS
                .iter()
                .map(|h| {
                    let v = r[h].clone();
                    if v.contains(',') || v.contains('"') {
                        format!("\"{}\"", v.replace('"', "\"\""))
                    } else {
                        v
                    }
                })
                .collect::<Vec<_>>()
                .join(","),
        );
        text.push_str(",x,y\n");
    }
    std::fs::write(&data, text).expect("csv");
    let out = wenshu()
        .current_dir(dir.path())
        .args(["fill", "qingjia", "d.csv", "--dry-run", "-o", "out"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = dir.path().join("out/错误报告.xlsx");
    let mut wb = open_workbook_auto(&report).expect("report");
    assert!(
        wb.sheet_names().contains(&"未识别的列".to_owned()),
        "{:?}",
        wb.sheet_names()
    );
    let unknown = wb.worksheet_range("未识别的列").expect("sheet");
    let cols: Vec<(String, String)> = unknown
        .rows()
        .skip(1)
        .map(|r| (r[0].to_string(), r[1].to_string()))
        .collect();
    assert_eq!(
        cols,
        vec![
            ("J".to_owned(), "备用列".to_owned()),
            ("K".to_owned(), "核对人".to_owned())
        ]
    );
    let errors = wb.worksheet_range("错误报告").expect("sheet");
    assert_eq!(errors.height(), 2);
    assert!(
        matches!(errors.get_value((1, 1)), Some(Data::Float(f)) if *f == 3.0),
        "行号 is a number"
    );
    match errors.get_value((1, 4)) {
        Some(Data::String(s)) => assert!(s.starts_with("=HYPERLINK"), "{s}"),
        other => panic!("the value is text: {other:?}"),
    }
    let formulas = wb.worksheet_formula("错误报告").expect("formulas");
    assert!(
        formulas.used_cells().all(|(_, _, f)| f.is_empty()),
        "no formula in the report"
    );
}

// ---------------------------------------------------------------------------------------------
// 13.13 Long runs show progress.

#[test]
fn fill_and_demo_report_progress_in_plain_lines_off_a_terminal() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("d.csv");
    let mut bad = leave("赵某某");
    bad.insert("请假类别", "调休".into());
    leave_csv(&data, &[leave("王某某"), leave("李某某"), bad]);
    let out = wenshu()
        .current_dir(dir.path())
        .env("WENSHU_PROGRESS_SECS", "0")
        .args(["fill", "qingjia", "d.csv", "-o", "out"])
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("工作人员请假申请单：") && err.contains("已处理 3/3 行（已拒绝 1）"),
        "{err}"
    );
    assert!(err.contains("每秒"), "{err}");

    let samples = dir.path().join("samples");
    std::fs::create_dir_all(&samples).expect("mkdir");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/gongwen/03-han.toml"),
        samples.join("03-han.toml"),
    )
    .expect("copy");
    let out = wenshu()
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")))
        .env("WENSHU_PROGRESS_SECS", "0")
        .arg("demo")
        .arg("--samples")
        .arg(&samples)
        .arg("-o")
        .arg(dir.path().join("demo"))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("已处理 1/1 份"), "{err}");

    // A register is one long layout: it says so while it runs.
    let out = wenshu()
        .env("WENSHU_PROGRESS_SECS", "0")
        .arg("fill")
        .arg("yongyin_dengji")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms/yongyin_dengji.xlsx"))
        .arg("-o")
        .arg(dir.path().join("register"))
        .output()
        .expect("run");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("用印登记簿：排版登记簿（") && err.contains("进行中，已用时"),
        "{err}"
    );
}
