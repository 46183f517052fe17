//! The forms engine on realistic data: every definition against its sample and cases, every
//! sample rendered, spreadsheets as clerks make them, and a 1,000-row batch with 10 bad rows.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::{Reader, open_workbook_auto};
use rust_xlsxwriter::{Format, Workbook};
use wenshu::fill::{FillOptions, fill};
use wenshu::form::load::Catalog;
use wenshu::render::fonts::FontOptions;
use wenshu::{Engine, EngineOptions};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::new(&EngineOptions {
            fonts: FontOptions::default(),
            templates: None,
        })
        .expect("engine")
    })
}

fn catalog() -> Catalog {
    Catalog::load(None).expect("built-in definitions load")
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms")
}

/// A catalog with one extra definition written to a temporary folder.
fn user_catalog(dir: &Path, id: &str, toml: &str) -> Catalog {
    let defs = dir.join("defs");
    std::fs::create_dir_all(&defs).expect("mkdir");
    std::fs::write(defs.join(format!("{id}.toml")), toml).expect("def");
    Catalog::load(Some(&defs)).expect("load")
}

/// Lays out data row `index` of `data` through the form template, as `fill` would print it
/// (signature images read relative to the data file).
fn layout_row(
    def: &wenshu::form::schema::FormDef,
    data: &Path,
    pick: impl Fn(&wenshu::ingest::table::SheetRow) -> bool,
) -> wenshu::render::inspect::Layout {
    let (table, map) = wenshu::fill::read_table(def, data, None).expect("read");
    let row = table.rows.iter().find(|r| pick(r)).expect("row");
    let rec =
        wenshu::validate::form::validate_row(def, &map, row, Default::default()).expect("valid");
    let d = wenshu::prepare::form::form_data(def, &rec, None, "兴仁市医疗保障局").expect("data");
    let assets =
        wenshu::prepare::form::signature_assets(&rec, data.parent().expect("dir")).expect("assets");
    wenshu::render::inspect::flatten(
        &engine()
            .compile("/templates/forms/form.typ", &d, &assets)
            .expect("compile")
            .document,
    )
}

#[test]
fn every_form_passes_its_sample_and_its_boundary_cases() {
    let cat = catalog();
    let mut failures = Vec::new();
    let mut n = 0;
    for def in cat.iter() {
        n += 1;
        for p in wenshu::form::cases::verify(def, &samples()) {
            failures.push(format!("{}: {p}", def.id));
        }
    }
    assert!(n >= 1);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_form_renders_its_sample() {
    let cat = catalog();
    for def in cat.iter() {
        let dir = tempfile::tempdir().expect("tmp");
        let out = fill(
            engine(),
            def,
            &samples().join(format!("{}.xlsx", def.id)),
            dir.path(),
            &FillOptions {
                office: "兴仁市医疗保障局".into(),
                ..FillOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{}: {e}", def.id));
        assert!(out.errors.is_empty(), "{}: {:#?}", def.id, out.errors);
        let expected = if def.kind == wenshu::form::schema::FormKind::Register {
            1
        } else {
            out.rows
        };
        assert_eq!(out.written.len(), expected, "{}", def.id);
        for p in &out.written {
            let bytes = std::fs::read(p).expect("pdf");
            assert!(bytes.starts_with(b"%PDF-"), "{}", p.display());
        }
    }
}

#[test]
fn every_signature_box_prints_and_the_chain_is_marked() {
    let cat = catalog();
    let def = cat.get("qingjia").expect("qingjia");
    // (label, marked 须签) of each box, top to bottom.
    let boxes = |name: &str| -> Vec<(String, bool)> {
        let layout = layout_row(def, &samples().join("qingjia.xlsx"), |r| {
            r.cells.iter().any(|c| c.display() == name)
        });
        assert_eq!(layout.pages.len(), 1, "one page");
        let texts = &layout.pages[0].texts;
        texts
            .iter()
            .filter(|t| t.text.ends_with("意见"))
            .map(|l| {
                let marked = texts.iter().any(|m| {
                    m.text == "（须签）"
                        && m.baseline > l.baseline
                        && m.baseline < l.baseline + 20.0
                        && (m.x + m.width / 2.0 - (l.x + l.width / 2.0)).abs() < 10.0
                });
                (l.text.clone(), marked)
            })
            .collect()
    };
    let chain = |marks: [bool; 3]| -> Vec<(String, bool)> {
        ["股室意见", "分管领导意见", "局领导意见"]
            .iter()
            .zip(marks)
            .map(|(l, m)| ((*l).to_owned(), m))
            .collect()
    };
    // Every row prints the paper form's three boxes. 张某某: 3.5 days → 股室 + 分管领导 + 局领导;
    // 王某某: half a day → 股室 only; 陈某某 (股室负责人) → 分管领导 + 局领导; 周某某 (分管领导) → 局领导.
    assert_eq!(boxes("张某某"), chain([true, true, true]));
    assert_eq!(boxes("王某某"), chain([true, false, false]));
    assert_eq!(boxes("陈某某"), chain([false, true, true]));
    assert_eq!(boxes("周某某"), chain([false, false, true]));
}

/// Validates a sheet as `wenshu fill --dry-run` does (nothing is rendered).
fn dry_run(def: &wenshu::form::schema::FormDef, data: &Path) -> wenshu::fill::FillOutcome {
    let out_dir = data.with_extension("out");
    fill(
        engine(),
        def,
        data,
        &out_dir,
        &FillOptions {
            dry_run: true,
            ..FillOptions::default()
        },
    )
    .expect("fill --dry-run")
}

fn write_xlsx(path: &Path, rows: &[Vec<String>]) {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(
                u32::try_from(r).expect("row"),
                u16::try_from(c).expect("col"),
                v,
            )
            .expect("write");
        }
    }
    wb.save(path).expect("save");
}

const HEADERS: [&str; 9] = [
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

fn leave_row(i: usize, bad: bool) -> Vec<String> {
    vec![
        (i + 1).to_string(),
        format!("王{}", ["某某", "某甲", "某乙"][i % 3]),
        "办公室".into(),
        "一般工作人员".into(),
        "1".into(),
        "2026年3月5日至2026年3月5日".into(),
        if bad {
            "调休".into()
        } else {
            "事假".into()
        },
        "办理个人事务".into(),
        "2026-03-04".into(),
    ]
}

/// A sheet with a row inserted, filled again into the same folder: the clerk is told which
/// PDFs there this run did not make (the old names, whose row numbers moved).
#[test]
fn files_left_by_an_earlier_run_are_named_in_a_notice() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let out_dir = dir.path().join("out");
    let header = HEADERS.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let first = dir.path().join("三月.xlsx");
    write_xlsx(
        &first,
        &[header.clone(), leave_row(0, false), leave_row(1, false)],
    );
    let out = fill(engine(), def, &first, &out_dir, &FillOptions::default()).expect("fill");
    assert_eq!(out.written.len(), 2);
    assert!(
        !out.notices.iter().any(|n| n.contains("本次没有生成")),
        "{:?}",
        out.notices
    );
    // The same run again: every file is this run's own.
    let out = fill(engine(), def, &first, &out_dir, &FillOptions::default()).expect("fill");
    assert!(
        !out.notices.iter().any(|n| n.contains("本次没有生成")),
        "{:?}",
        out.notices
    );
    // A row inserted on top: 王某甲 and 王某乙 move down a row, their old files stay.
    let second = dir.path().join("三月（补）.xlsx");
    write_xlsx(
        &second,
        &[
            header,
            leave_row(2, false),
            leave_row(0, false),
            leave_row(1, false),
        ],
    );
    let out = fill(engine(), def, &second, &out_dir, &FillOptions::default()).expect("fill");
    assert_eq!(out.written.len(), 3);
    let notice = out
        .notices
        .iter()
        .find(|n| n.contains("本次没有生成"))
        .unwrap_or_else(|| panic!("no notice in {:?}", out.notices));
    assert!(notice.contains(" 2 个"), "{notice}");
    assert_eq!(std::fs::read_dir(&out_dir).expect("ls").count(), 5);
}

#[test]
fn a_thousand_rows_with_ten_bad_ones_give_990_pdfs_and_a_ten_line_report() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("请假.xlsx");
    let mut rows = vec![HEADERS.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()];
    for i in 0..1000 {
        rows.push(leave_row(i, i % 100 == 7));
    }
    write_xlsx(&data, &rows);
    let cat = catalog();
    let def = cat.get("工作人员请假申请单").expect("by title");
    let out_dir = dir.path().join("out");
    let out = fill(engine(), def, &data, &out_dir, &FillOptions::default()).expect("fill");
    assert_eq!(out.rows, 1000);
    assert_eq!(out.refused_rows, 10);
    assert_eq!(out.written.len(), 990);
    assert_eq!(
        std::fs::read_dir(&out_dir).expect("ls").count(),
        990,
        "only the PDFs, no temp files"
    );
    assert_eq!(out.errors.len(), 10);
    assert!(
        out.errors
            .iter()
            .all(|e| e.code == "form.enum" && e.column.as_deref() == Some("G"))
    );
    assert_eq!(
        out.errors[0].row, 9,
        "Excel row of the 8th data row (header on row 1)"
    );
    let report = dir.path().join("错误报告.xlsx");
    wenshu::output::report::write(&report, &out.sheet, &out.errors).expect("report");
    let mut wb = open_workbook_auto(&report).expect("open report");
    let range = wb.worksheet_range("错误报告").expect("sheet");
    assert_eq!(range.height(), 11, "header + 10 lines");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[..4], ["工作表", "行号", "列", "字段"]);
}

#[test]
fn spreadsheets_as_clerks_make_them() {
    // A merged title row, the header on row 2, a blank row, an Excel date cell, a number stored
    // as text, full-width spaces in a header, and an unknown column.
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("手工表.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.merge_range(0, 0, 0, 9, "2026年3月请假登记", &Format::new())
        .expect("merge");
    let headers = [
        "序号",
        "姓　名",
        "股室",
        "职务级别",
        "请假天数",
        "休假起止日期",
        "请假类别",
        "请假事由",
        "填表日期",
        "备用列",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(1, u16::try_from(c).expect("col"), *h)
            .expect("h");
    }
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (r, days) in [(2u32, "1"), (4u32, "2")] {
        ws.write_number(r, 0, f64::from(r)).expect("n");
        ws.write_string(r, 1, "李某某").expect("s");
        ws.write_string(r, 2, "办公室").expect("s");
        ws.write_string(r, 3, "一般工作人员").expect("s");
        ws.write_string(r, 4, days).expect("text number");
        ws.write_string(
            r,
            5,
            if days == "1" {
                "2026/3/5至2026/3/5"
            } else {
                "2026年3月5日至3月6日"
            },
        )
        .expect("s");
        ws.write_string(r, 6, "事假").expect("s");
        ws.write_string(r, 7, "家中有事").expect("s");
        ws.write_datetime_with_format(
            r,
            8,
            rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 3, 4).expect("date"),
            &date,
        )
        .expect("d");
        ws.write_string(r, 9, "x").expect("s");
    }
    wb.save(&data).expect("save");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let out = dry_run(def, &data);
    assert_eq!(out.rows, 2, "blank row skipped, title row not data");
    assert!(out.errors.is_empty(), "{:#?}", out.errors);
    assert_eq!(out.unknown_columns, vec!["备用列".to_owned()]);
}

#[test]
fn csv_and_json_input_and_row_selection() {
    let dir = tempfile::tempdir().expect("tmp");
    let csv = dir.path().join("a.csv");
    let mut text = String::from("\u{FEFF}");
    text.push_str(&HEADERS.join(","));
    text.push('\n');
    for i in 0..5 {
        text.push_str(&leave_row(i, i == 3).join(","));
        text.push('\n');
    }
    std::fs::write(&csv, text).expect("write");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let out = dry_run(def, &csv);
    assert_eq!((out.rows, out.refused_rows), (5, 1));
    assert_eq!(out.errors[0].row, 5);
    let only = fill(
        engine(),
        def,
        &csv,
        &dir.path().join("o2"),
        &FillOptions {
            dry_run: true,
            rows: Some((2, 4)),
            ..FillOptions::default()
        },
    )
    .expect("rows");
    assert_eq!(only.rows, 3);

    let json = dir.path().join("a.json");
    std::fs::write(&json, r#"[{"姓名": "赵某某", "股室": "办公室", "职务级别": "一般工作人员", "请假天数": 2, "休假起止日期": "2026-03-05至2026-03-06", "请假类别": "事假", "请假事由": "事", "填表日期": "2026-03-01"}]"#).expect("write");
    let out = fill(
        engine(),
        def,
        &json,
        &dir.path().join("o3"),
        &FillOptions::default(),
    )
    .expect("json");
    assert_eq!(out.written.len(), 1);
}

#[test]
fn a_missing_required_column_refuses_the_sheet_with_the_fix() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("缺列.xlsx");
    write_xlsx(
        &data,
        &[
            vec!["姓名".into(), "股室".into()],
            vec!["王某某".into(), "办公室".into()],
        ],
    );
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let err = fill(engine(), def, &data, dir.path(), &FillOptions::default()).expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("缺少必填列")
            && msg.contains("请假天数")
            && msg.contains("forms template qingjia"),
        "{msg}"
    );
}

#[test]
fn malformed_definitions_are_refused_at_load_naming_file_and_problem() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("bad.toml"),
        "id = \"bad\"\ntitle = \"坏表\"\n[[fields]]\nlabel = \"类别\"\ntype = \"enum\"\n[[signatures]]\nrole = \"领导\"\nwhen_any = [[{ field = \"金额\", op = \">=\", value = 30000 }]]\n",
    )
    .expect("write");
    // A broken user file is set aside with its error (the other forms stay usable); asking for
    // it gives that error.
    let cat = Catalog::load(Some(dir.path())).expect("the other forms load");
    assert!(cat.get("qingjia").is_some());
    let msg = cat.require("bad").expect_err("refused").to_string();
    assert!(
        msg.contains("bad.toml")
            && msg.contains("没有 options")
            && msg.contains("不存在的字段“金额”"),
        "{msg}"
    );
    std::fs::write(dir.path().join("bad.toml"), "id = \"bad\"\ntitle = 3\n").expect("write");
    let cat = Catalog::load(Some(dir.path())).expect("the other forms load");
    assert_eq!(cat.broken().len(), 1);
    assert!(cat.broken()[0].error.to_string().contains("bad.toml"));
}

#[test]
fn template_spreadsheet_has_the_headers_and_an_example_row() {
    let dir = tempfile::tempdir().expect("tmp");
    let path = dir.path().join("模板.xlsx");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    wenshu::output::sheet_template::write(&path, def).expect("template");
    let mut wb = open_workbook_auto(&path).expect("open");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).expect("sheet");
    let header: Vec<String> = range
        .rows()
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(header[0], "序号");
    for f in &def.fields {
        assert!(header.contains(&f.label), "{}", f.label);
    }
    // The example row validates (required fields have examples).
    let out = dry_run(def, &path);
    assert_eq!((out.rows, out.refused_rows), (1, 0), "{:#?}", out.errors);
}

/// `forms template ID -o X.csv` gives the xlsx template's columns and example row as a UTF-8 CSV
/// that fills as it is, for every form and register; another extension is refused by name.
#[test]
fn csv_templates_match_the_xlsx_ones_and_fill() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = catalog();
    for def in cat.iter() {
        let csv = dir.path().join(format!("{}.csv", def.id));
        let xlsx = dir.path().join(format!("{}.xlsx", def.id));
        wenshu::output::sheet_template::write(&csv, def).expect("csv template");
        wenshu::output::sheet_template::write(&xlsx, def).expect("xlsx template");
        let bytes = std::fs::read(&csv).expect("csv");
        assert!(bytes.starts_with("\u{feff}".as_bytes()), "{}: BOM", def.id);
        let (a, _) = wenshu::fill::read_table(def, &csv, None).expect("csv reads");
        let (b, _) = wenshu::fill::read_table(def, &xlsx, None).expect("xlsx reads");
        assert_eq!(a.headers, b.headers, "{}", def.id);
        assert_eq!(a.rows.len(), 1, "{}", def.id);
        let out = dry_run(def, &csv);
        assert_eq!(
            (out.rows, out.refused_rows),
            (1, 0),
            "{}: {:#?}",
            def.id,
            out.errors
        );
    }
    let def = cat.get("qingjia").expect("def");
    let err = wenshu::output::sheet_template::write(&dir.path().join("模板.ods"), def)
        .expect_err("ods is not written");
    assert!(err.to_string().contains(".ods"), "{err}");
    assert!(!dir.path().join("模板.ods").exists());
}

#[test]
fn signature_images_print_inside_their_box_and_a_missing_image_refuses_only_its_row() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::copy(
        samples().join("../gongwen/seals/finance-bureau.png"),
        dir.path().join("sig.png"),
    )
    .expect("copy");
    let data = dir.path().join("签名.xlsx");
    let mut rows = vec![
        HEADERS
            .iter()
            .map(|s| (*s).to_owned())
            .chain(["股室签名图片".to_owned()])
            .collect::<Vec<_>>(),
    ];
    rows.push(
        leave_row(0, false)
            .into_iter()
            .chain(["sig.png".to_owned()])
            .collect(),
    );
    rows.push(
        leave_row(1, false)
            .into_iter()
            .chain(["missing.png".to_owned()])
            .collect(),
    );
    write_xlsx(&data, &rows);
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let out = fill(
        engine(),
        def,
        &data,
        &dir.path().join("out"),
        &FillOptions {
            require_signatures: true,
            ..FillOptions::default()
        },
    )
    .expect("fill");
    assert_eq!(out.written.len(), 1);
    assert_eq!(out.refused_rows, 1);
    assert_eq!(out.errors[0].code, "form.signature.image");
    assert_eq!(out.errors[0].row, 3);

    // The image sits inside the 股室 box.
    let layout = layout_row(def, &data, |r| r.number == 2);
    let page = &layout.pages[0];
    assert_eq!(page.images.len(), 1);
    let img = &page.images[0];
    let label = page
        .texts
        .iter()
        .find(|t| t.text == "股室意见")
        .expect("label");
    assert!((img.height - 10.0).abs() < 0.01, "10 mm high");
    assert!(
        img.y > label.baseline - 20.0 && img.y < label.baseline + 20.0,
        "in the 股室 row"
    );
    assert!(
        img.x > label.x + 30.0,
        "in the value cell, right of the label"
    );
}

#[test]
fn long_text_shrinks_then_continues_on_a_page_with_the_title_repeated() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = user_catalog(
        dir.path(),
        "qingkuang",
        "id = \"qingkuang\"\ntitle = \"情况说明表\"\n[[fields]]\nlabel = \"事项\"\ntype = \"text\"\nrequired = true\n[[fields]]\nlabel = \"情况说明\"\ntype = \"multiline\"\nrequired = true\n",
    );
    let def = cat.get("qingkuang").expect("def");
    let long: String =
        "根据工作安排，本单位对有关情况进行了全面梳理和认真核查，现将具体情况说明如下。"
            .repeat(120);
    let data = dir.path().join("d.json");
    std::fs::write(&data, serde_json::json!([{"事项": "短", "情况说明": "简短说明。"}, {"事项": "长", "情况说明": long}]).to_string()).expect("data");
    let out = fill(
        engine(),
        def,
        &data,
        &dir.path().join("out"),
        &FillOptions::default(),
    )
    .expect("fill");
    assert_eq!(out.written.len(), 2);
    assert_eq!(out.multi_page_rows, vec![2]);

    let layout = layout_row(def, &data, |r| r.number == 2);
    assert!(layout.pages.len() >= 2);
    assert!(
        layout.pages[1]
            .texts
            .iter()
            .any(|t| t.text == "情况说明表（续）"),
        "title repeated on the next page"
    );
    let body: Vec<_> = layout.pages[0]
        .texts
        .iter()
        .filter(|t| t.text.contains("本单位"))
        .collect();
    assert!(
        body.iter().all(|t| t.size_pt < 12.0),
        "long text printed smaller"
    );
    for p in &layout.pages {
        for t in &p.texts {
            assert!(
                t.baseline < 297.0 - 10.0 && t.right() <= 210.0 - 17.9,
                "nothing past the margins"
            );
        }
    }
}

#[test]
fn table_fields_hold_rows_inside_one_cell_and_print_as_a_nested_table() {
    let dir = tempfile::tempdir().expect("tmp");
    let cat = user_catalog(
        dir.path(),
        "laifang",
        "id = \"laifang\"\ntitle = \"来访登记表\"\n[[fields]]\nlabel = \"来访单位\"\ntype = \"text\"\nrequired = true\n[[fields]]\nlabel = \"来访人数\"\ntype = \"integer\"\nrequired = true\n[[fields]]\nlabel = \"来访人员\"\ntype = \"table\"\nrequired = true\ncolumns = [\"姓名\", \"性别\", \"记者证号\"]\nmin_rows = 1\nmax_rows = 4\n[[rules]]\ncode = \"count\"\nmessage = \"来访人数应与登记的人员数一致\"\ncheck = [{ field = \"来访人员\", op = \"==\", other = \"来访人数\" }]\n",
    );
    let def = cat.get("laifang").expect("def");
    let data = dir.path().join("d.json");
    let rows = serde_json::json!([
        {"来访单位": "某日报", "来访人数": 2, "来访人员": "张某某|男|A1234\n李某某，女，B5678"},
        {"来访单位": "某电视台", "来访人数": 3, "来访人员": "张某某|男|A1234"},
        {"来访单位": "某网站", "来访人数": 1, "来访人员": "王某某|男"},
        {"来访单位": "某台", "来访人数": 5, "来访人员": "a|男|1\nb|男|2\nc|男|3\nd|男|4\ne|男|5"},
    ]);
    std::fs::write(&data, rows.to_string()).expect("data");
    let out = fill(
        engine(),
        def,
        &data,
        &dir.path().join("out"),
        &FillOptions::default(),
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
            (2, "form.laifang.count"),
            (3, "form.table"),
            (4, "form.table_rows")
        ]
    );
    assert_eq!(out.written.len(), 1);

    let layout = layout_row(def, &data, |r| r.number == 1);
    let texts: Vec<&str> = layout.pages[0]
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    for want in ["姓名", "记者证号", "李某某", "B5678"] {
        assert!(texts.contains(&want), "{want} in {texts:?}");
    }
}

#[test]
fn ods_and_xls_spreadsheets_are_read_too() {
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for name in ["qingjia.ods", "qingjia.xls"] {
        let dir = tempfile::tempdir().expect("tmp");
        let out = fill(
            engine(),
            def,
            &fixtures.join(name),
            dir.path(),
            &FillOptions {
                sheet: Some("请假".into()),
                ..FillOptions::default()
            },
        )
        .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            (out.rows, out.refused_rows, out.written.len()),
            (2, 1, 1),
            "{name}: {:#?}",
            out.errors
        );
        assert_eq!(
            (
                out.errors[0].row,
                out.errors[0].column.as_deref(),
                out.errors[0].code.as_str()
            ),
            (3, Some("G"), "form.enum"),
            "{name}"
        );
    }
}

/// A table that starts at B3 (a title above, column A left empty) is read cell by cell and every
/// problem names the Excel row and column the clerk sees.
#[test]
fn an_offset_table_reports_the_real_excel_row_and_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("请假.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 1, "工作人员请假申请单").expect("title");
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string(2, u16::try_from(c + 1).expect("col"), *h)
            .expect("header");
    }
    for i in 0..3 {
        for (c, v) in leave_row(i, i == 1).iter().enumerate() {
            ws.write_string(
                3 + u32::try_from(i).expect("row"),
                u16::try_from(c + 1).expect("col"),
                v,
            )
            .expect("cell");
        }
    }
    wb.save(&data).expect("save");
    let cat = catalog();
    let def = cat.get("工作人员请假申请单").expect("by title");
    let out = dry_run(def, &data);
    assert_eq!(out.rows, 3);
    assert_eq!(out.refused_rows, 1);
    let e = &out.errors[0];
    assert_eq!(e.row, 5, "Excel row 5 (header on row 3)");
    assert_eq!(
        e.column.as_deref(),
        Some("H"),
        "one column right of the plain sheet's G"
    );
}

/// A value with no break opportunity (a long number) would run out of its cell and off the
/// sheet: that row is refused, naming the text; the other rows print.
#[test]
fn text_past_the_sheet_refuses_only_its_row() {
    let dir = tempfile::tempdir().expect("tmp");
    let data = dir.path().join("请假.csv");
    let mut rows = vec![HEADERS.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>()];
    for i in 0..3 {
        let mut row = leave_row(i, false);
        if i == 1 {
            row[7] = format!("办理个人事务{}", "1234567890".repeat(12));
        }
        rows.push(row);
    }
    let text: String = rows.iter().map(|r| r.join(",") + "\n").collect();
    std::fs::write(&data, text).expect("csv");
    let cat = catalog();
    let def = cat.get("qingjia").expect("def");
    let out = fill(
        engine(),
        def,
        &data,
        &dir.path().join("out"),
        &FillOptions::default(),
    )
    .expect("fill");
    assert_eq!((out.rows, out.refused_rows, out.written.len()), (3, 1, 2));
    let e = &out.errors[0];
    assert_eq!((e.row, e.code.as_str()), (3, "form.render"));
    assert!(
        e.message.contains("超出版面") && e.message.contains("1234"),
        "{}",
        e.message
    );
}
