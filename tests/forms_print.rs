//! Forms as offices print them (issue 13, printing side; issue 11 item 11): every template fills,
//! the full signature block in definition order, repeated groups as tables, □/☑ with labels,
//! amounts with unit and two decimals, labels of at most two lines, no word broken in a cell,
//! registers with 序号, repeated heads, full pages and one number format per column, and
//! definitions that fail loudly. Layout is measured from the laid-out pages.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wenshu::fill::{FillOptions, fill, read_table};
use wenshu::form::load::Catalog;
use wenshu::form::schema::FormDef;
use wenshu::render::inspect::{Layout, TextRun, flatten};
use wenshu::validate::form::{FormRecord, validate_row};
use wenshu::{Engine, EngineOptions};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| Engine::new(&EngineOptions::default()).expect("engine"))
}

fn catalog() -> Catalog {
    Catalog::load(None).expect("built-in definitions load")
}

/// The validated rows of a data file.
fn records(def: &FormDef, data: &Path) -> Vec<FormRecord> {
    let (table, map) = read_table(def, data, None).expect("read");
    table
        .rows
        .iter()
        .map(|r| validate_row(def, &map, r, Default::default()).expect("valid row"))
        .collect()
}

/// A form row laid out as `fill` prints it (set tighter when it runs past one page).
fn layout_form(def: &FormDef, rec: &FormRecord) -> Layout {
    let mut data =
        wenshu::prepare::form::form_data(def, rec, None, "兴仁市医疗保障局").expect("data");
    let compile = |data: &serde_json::Value| {
        engine()
            .compile("/templates/forms/form.typ", data, &[])
            .expect("compile")
            .document
    };
    let mut doc = compile(&data);
    if doc.pages().len() > 1 {
        data["compact"] = serde_json::Value::Bool(true);
        doc = compile(&data);
    }
    flatten(&doc)
}

fn texts(layout: &Layout) -> Vec<&TextRun> {
    layout.pages.iter().flat_map(|p| p.texts.iter()).collect()
}

fn has(layout: &Layout, s: &str) -> bool {
    texts(layout).iter().any(|t| t.text == s)
}

/// A one-row CSV for `def`: the template's example row with `set` applied.
fn example_csv(dir: &Path, def: &FormDef, set: &[(&str, &str)]) -> PathBuf {
    let labels: Vec<&str> = def.fields.iter().map(|f| f.label.as_str()).collect();
    let values: Vec<String> = def
        .fields
        .iter()
        .map(|f| {
            set.iter()
                .find(|(k, _)| *k == f.label)
                .map(|(_, v)| (*v).to_owned())
                .or_else(|| f.example.clone())
                .unwrap_or_default()
        })
        .collect();
    let quote = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let text = format!(
        "{}\n{}\n",
        labels
            .iter()
            .map(|l| quote(l))
            .collect::<Vec<_>>()
            .join(","),
        values
            .iter()
            .map(|v| quote(v))
            .collect::<Vec<_>>()
            .join(",")
    );
    let path = dir.join(format!("{}.csv", def.id));
    std::fs::write(&path, text).expect("csv");
    path
}

#[test]
fn every_template_fills_and_verify_checks_its_example_row() {
    let cat = catalog();
    let dir = tempfile::tempdir().expect("tmp");
    let mut failures = Vec::new();
    for def in cat.iter() {
        failures.extend(
            wenshu::form::cases::verify_template(def)
                .into_iter()
                .map(|p| format!("{}: {p}", def.id)),
        );
        // `wenshu forms template ID` → `wenshu fill ID` on that file.
        let sheet = dir.path().join(format!("{}.xlsx", def.id));
        wenshu::output::sheet_template::write(&sheet, def).expect("template");
        let out = dir.path().join(&def.id);
        match fill(engine(), def, &sheet, &out, &FillOptions::default()) {
            Ok(o) if o.errors.is_empty() && o.written.len() == 1 => {}
            Ok(o) => failures.push(format!("{}: {:?}", def.id, o.errors)),
            Err(e) => failures.push(format!("{}: {e}", def.id)),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // And verify refuses an example row the definition refuses.
    let def = cat.get("jiekuan").expect("jiekuan");
    let mut broken = def.clone();
    if let Some(f) = broken.fields.iter_mut().find(|f| f.label == "借款金额") {
        f.example = Some("5000.01".into());
    }
    let problems = wenshu::form::cases::verify_template(&broken);
    assert!(
        problems.iter().any(|p| p.contains("借款金额")),
        "{problems:?}"
    );
}

#[test]
fn the_full_signature_block_prints_in_definition_order_with_the_chain_marked() {
    let cat = catalog();
    let def = cat.get("feiyong_baoxiao").expect("def");
    let dir = tempfile::tempdir().expect("tmp");
    // 980 元, budgeted, 主管股室 ≠ 报销股室: no 集体研究.
    let recs = records(def, &example_csv(dir.path(), def, &[]));
    let layout = layout_form(def, &recs[0]);
    assert_eq!(layout.pages.len(), 1, "one page");
    let label_mm =
        wenshu::prepare::form::form_data(def, &recs[0], None, "").expect("data")["label_mm"]
            .as_f64()
            .expect("label_mm");
    // The label column's text, top to bottom, with the baseline each character stands on.
    let mut column: Vec<&TextRun> = texts(&layout)
        .into_iter()
        .filter(|t| t.right() < 18.0 + label_mm)
        .collect();
    column.sort_by(|a, b| {
        (a.baseline, a.x)
            .partial_cmp(&(b.baseline, b.x))
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let chars: Vec<(char, f64)> = column
        .iter()
        .flat_map(|t| t.text.chars().map(move |c| (c, t.baseline)))
        .collect();
    let stream: String = chars.iter().map(|c| c.0).collect();
    let mut found = Vec::new();
    let mut from = 0;
    for s in &def.signatures {
        let label = s.label();
        // In definition order: each label after the one before.
        let at = stream[from..]
            .find(&label)
            .map(|i| from + i)
            .unwrap_or_else(|| panic!("box {label} printed in order: {stream}"));
        from = at + label.len();
        let after = &stream[from..];
        let marked = after.starts_with("（须签）");
        let start = stream[..at].chars().count();
        found.push((s.role.clone(), chars[start].1, marked));
    }
    // Definition order, top to bottom.
    assert!(found.windows(2).all(|w| w[0].1 < w[1].1), "{found:?}");
    let marked: Vec<&str> = found.iter().filter(|f| f.2).map(|f| f.0.as_str()).collect();
    let chain: Vec<&str> = recs[0]
        .signatures
        .iter()
        .filter(|s| s.required)
        .map(|s| s.role.as_str())
        .collect();
    assert_eq!(marked, chain);
    assert!(!marked.contains(&"集体研究") && marked.contains(&"经办人"));
    assert!(has(&layout, "本件无需签署"));

    // A box the paper form does not have prints only where the row needs it.
    let def = cat.get("meiti_laifang").expect("def");
    let no = records(
        def,
        &example_csv(dir.path(), def, &[("以局名义受访", "否")]),
    );
    let yes = records(
        def,
        &example_csv(dir.path(), def, &[("以局名义受访", "是")]),
    );
    let authorised = |l: &Layout| {
        texts(l)
            .iter()
            .map(|t| t.text.as_str())
            .collect::<String>()
            .contains("局主要领导授权意见")
    };
    assert!(!authorised(&layout_form(def, &no[0])));
    assert!(authorised(&layout_form(def, &yes[0])));
}

#[test]
fn repeated_groups_print_as_tables_and_checkboxes_as_boxes_with_labels() {
    let cat = catalog();
    let dir = tempfile::tempdir().expect("tmp");
    let def = cat.get("meiti_laifang").expect("def");
    let rec = &records(def, &example_csv(dir.path(), def, &[]))[0];
    let layout = layout_form(def, rec);
    let runs = texts(&layout);
    // One header row: each column head once, on one baseline; no numbered label pairs.
    let heads: Vec<&&TextRun> = ["姓名", "性别", "记者证号", "联系方式"]
        .iter()
        .map(|h| {
            let all: Vec<&&TextRun> = runs.iter().filter(|t| t.text == *h).collect();
            assert_eq!(all.len(), 1, "{h}");
            all[0]
        })
        .collect();
    assert!(
        heads
            .windows(2)
            .all(|w| (w[0].baseline - w[1].baseline).abs() < 0.5)
    );
    assert!(heads.windows(2).all(|w| w[0].x < w[1].x));
    assert!(
        !runs
            .iter()
            .any(|t| t.text.contains("姓名1") || t.text.contains("记者证号2"))
    );
    // One row per entry, below the head, in column order.
    let name = runs.iter().find(|t| t.text == "王某某").expect("entry 1");
    let card = runs
        .iter()
        .find(|t| t.text == "B44140012600101")
        .expect("entry 1 card");
    assert!(name.baseline > heads[0].baseline);
    assert!((name.baseline - card.baseline).abs() < 0.5 && card.x > name.x);
    // Checkboxes: □ for each option, the ticked one drawn as a box with √; the label follows.
    let check_marks = runs.iter().filter(|t| t.text.contains('□')).count();
    assert!(check_marks >= 2, "{check_marks}");
    assert!(runs.iter().any(|t| t.text.contains('√')));

    // A table with a 合计 row, amounts with two decimals and separators, the unit in the head.
    let def = cat.get("feiyong_baoxiao").expect("def");
    let rec = &records(
        def,
        &example_csv(
            dir.path(),
            def,
            &[
                ("金额1", "12345.5"),
                ("金额2", "120"),
                ("报销金额", "12465.5"),
            ],
        ),
    )[0];
    let layout = layout_form(def, rec);
    for s in ["金额（元）", "合计", "12,345.50", "120.00", "12,465.50"] {
        assert!(has(&layout, s), "{s}");
    }
    let runs = texts(&layout);
    assert!(
        runs.iter().any(|t| t.text.starts_with("12,465.50 元")
            || t.text == "12,465.50 元（大写：壹万贰仟肆佰陆拾伍元伍角）"),
        "the amount carries its unit"
    );
    // Figures in a table column share their right edge.
    let a = runs.iter().find(|t| t.text == "12,345.50").expect("a");
    let b = runs.iter().find(|t| t.text == "120.00").expect("b");
    assert!((a.right() - b.right()).abs() < 0.5);
}

#[test]
fn labels_take_at_most_two_lines_and_share_the_value_line() {
    let cat = catalog();
    let dir = tempfile::tempdir().expect("tmp");
    for def in cat
        .iter()
        .filter(|d| d.kind == wenshu::form::schema::FormKind::Form)
    {
        let rec = &records(def, &example_csv(dir.path(), def, &[]))[0];
        let data = wenshu::prepare::form::form_data(def, rec, None, "").expect("data");
        let label_mm = data["label_mm"].as_f64().expect("label_mm");
        for row in data["rows"].as_array().expect("rows") {
            for cell in row.as_array().expect("cells") {
                if cell["kind"] == "table" || !cell["height_mm"].is_null() {
                    continue;
                }
                let label: String = match &cell["label"] {
                    serde_json::Value::String(s) => s.clone(),
                    v => v
                        .as_array()
                        .expect("pieces")
                        .iter()
                        .filter_map(|p| p.as_str())
                        .collect(),
                };
                let pt = cell["label_pt"].as_f64().expect("label_pt");
                let em = (label_mm - 4.0) / wenshu::prepare::form::pt_mm(pt);
                let lines = wenshu::prepare::cells::cell_lines(&label, em);
                assert!(lines <= 2, "{}: “{label}” takes {lines} lines", def.id);
            }
        }
    }
    // Measured: a one-line label and its one-line value stand on one line.
    let def = cat.get("jiekuan").expect("def");
    let rec = &records(def, &example_csv(dir.path(), def, &[]))[0];
    let layout = layout_form(def, rec);
    let runs = texts(&layout);
    let label = runs.iter().find(|t| t.text == "借款人").expect("label");
    let value = runs
        .iter()
        .find(|t| t.text == "王某某" && (t.baseline - label.baseline).abs() < 3.0);
    assert!(value.is_some(), "value beside its label");
    let v = value.expect("value");
    assert!(
        (v.baseline - label.baseline).abs() < 1.0,
        "{} vs {}",
        v.baseline,
        label.baseline
    );
}

/// The text of each line of a column between `x0` and `x1` (mm), top to bottom.
fn column_lines(layout: &Layout, x0: f64, x1: f64) -> Vec<String> {
    let mut runs: Vec<&TextRun> = texts(layout)
        .into_iter()
        .filter(|t| t.x >= x0 - 0.5 && t.right() <= x1 + 0.5)
        .collect();
    runs.sort_by(|a, b| {
        a.baseline
            .partial_cmp(&b.baseline)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(a.x.partial_cmp(&b.x).unwrap_or(std::cmp::Ordering::Equal))
    });
    let mut lines: Vec<(f64, String)> = Vec::new();
    for r in runs {
        match lines.last_mut() {
            Some((b, s)) if (r.baseline - *b).abs() < 1.0 => s.push_str(&r.text),
            _ => lines.push((r.baseline, r.text.clone())),
        }
    }
    lines.into_iter().map(|l| l.1).collect()
}

#[test]
fn a_cell_breaks_between_words_never_inside_a_date_number_or_phone() {
    use wenshu::prepare::register::{Book, Column, ColumnFormat};
    let text = "2026年3月8日其他工作人员到兴仁市医疗保障局办理医保关系转移，联系电话13908591234，身份证号52232419850312001X，金额3,000.00元";
    let col = |head: &str, weight: f64| Column {
        head: head.into(),
        weight,
        format: ColumnFormat::Text,
        total: false,
    };
    let book = Book::new(
        "登记簿".into(),
        String::new(),
        false,
        vec![col("序号", 0.0), col("事由", 1.0), col("备注", 5.0)],
        vec![vec!["1".into(), text.into(), "短".into()]],
        vec![Vec::new()],
        Vec::new(),
    );
    let widths = book.widths_mm();
    let layout = flatten(&wenshu::output::register::layout(engine(), &book).expect("layout"));
    // Positions are in mm; the table starts at the 18 mm margin.
    let x0 = 18.0 + widths[0];
    let lines: Vec<String> = column_lines(&layout, x0, x0 + widths[1])
        .into_iter()
        .filter(|l| l != "事由")
        .collect();
    assert!(lines.len() > 3, "{lines:?}");
    assert_eq!(lines.concat(), text, "the PDF's text is the cell's text");
    for whole in [
        "2026年3月8日",
        "13908591234",
        "52232419850312001X",
        "3,000.00元",
        "工作人员",
    ] {
        assert!(
            lines.iter().any(|l| l.contains(whole)),
            "“{whole}” broken: {lines:?}"
        );
    }
    // Every line ends where the segmenter allows a break.
    let units = wenshu::prepare::words::units(text, &[]);
    let mut bounds = vec![0usize];
    for u in &units {
        bounds.push(bounds.last().copied().unwrap_or(0) + u.chars().count());
    }
    let mut at = 0;
    for l in &lines[..lines.len() - 1] {
        at += l.chars().count();
        assert!(
            bounds.contains(&at),
            "line “{l}” ends inside a word: {lines:?}"
        );
    }
}

/// A fuel register of `n` rows as a CSV file.
fn fuel_csv(dir: &Path, n: usize) -> PathBuf {
    let mut s = String::from(
        "车牌号,起始公里数,截止公里数,加油时间,加油数量（升）,加油金额（元）,加油人签字\n",
    );
    let plates = ["贵E·A1234", "贵E·A5678", "贵E12345"];
    let names = ["孙某某", "钱某某", "赵某某", "李某某"];
    let mut km = [10_000u64, 52_000, 130_000];
    for i in 0..n {
        let p = i % 3;
        let to = km[p] + 120 + (i as u64 * 37) % 400;
        // Litres with one, two or no decimals: the column prints them all with two.
        let litres = match i % 3 {
            0 => format!("{}", 30 + i % 20),
            1 => format!("{}.5", 30 + i % 20),
            _ => format!("{}.25", 30 + i % 20),
        };
        s.push_str(&format!(
            "{},{},{},2026-{:02}-{:02} 09:{:02},{litres},{}.{:02},{}\n",
            plates[p],
            km[p],
            to,
            1 + (i / 28) % 12,
            1 + i % 28,
            i % 60,
            200 + i % 150,
            i % 100,
            names[i % 4]
        ));
        km[p] = to;
    }
    let path = dir.join("fuel.csv");
    std::fs::write(&path, s).expect("csv");
    path
}

#[test]
fn a_register_of_thousands_of_rows_fills_its_pages_and_repeats_its_heads() {
    let cat = catalog();
    let def = cat.get("cheliang_jiayou").expect("def");
    let dir = tempfile::tempdir().expect("tmp");
    let n = 3000;
    let recs = records(def, &fuel_csv(dir.path(), n));
    let book = wenshu::prepare::register::Book::from_records(def, &recs, "兴仁市医疗保障局")
        .expect("book");
    let planned = book.paginate(0.0);
    let number_mm = book.widths_mm()[0];
    let layout = flatten(&wenshu::output::register::layout(engine(), &book).expect("layout"));
    assert_eq!(layout.pages.len(), planned.len());
    assert!(layout.pages.len() > 100, "{}", layout.pages.len());
    let mut seen = vec![0usize; n + 1];
    let mut grand = None;
    for (i, page) in layout.pages.iter().enumerate() {
        let t: Vec<&str> = page.texts.iter().map(|t| t.text.as_str()).collect();
        // The heads on every page; the title block on the first, a short running title after.
        for h in ["序号", "车牌号", "加油数量（升）", "加油金额（元）"] {
            assert!(t.contains(&h), "page {} lacks {h}", i + 1);
        }
        if i == 0 {
            assert!(t.contains(&"车辆加油登记表") && t.contains(&"兴仁市医疗保障局"));
        } else {
            assert!(
                t.contains(&"车辆加油登记表（续）") && !t.contains(&"兴仁市医疗保障局"),
                "page {}: {t:?}",
                i + 1
            );
        }
        assert!(t.contains(&"本页合计"), "page {}", i + 1);
        // 序号 down the first column.
        let first_col: Vec<usize> = page
            .texts
            .iter()
            .filter(|r| r.right() < 18.0 + number_mm)
            .filter_map(|r| r.text.parse::<usize>().ok())
            .collect();
        for k in &first_col {
            seen[*k] += 1;
        }
        // Full pages: below 本页合计 of every page but the last two, less room is left than a
        // row of two lines takes (landscape: 210 mm high, 20 mm bottom margin).
        if i + 2 < layout.pages.len() {
            let sum = page
                .texts
                .iter()
                .find(|r| r.text == "本页合计")
                .expect("sum");
            assert!(
                sum.baseline > 190.0 - 14.0,
                "page {}: {} mm",
                i + 1,
                sum.baseline
            );
        }
        // One format per column: litres and money with two decimals.
        for r in &page.texts {
            if r.text.contains('.')
                && r.text
                    .chars()
                    .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
            {
                let decimals = r.text.rsplit('.').next().map_or(0, str::len);
                assert_eq!(decimals, 2, "“{}” on page {}", r.text, i + 1);
            }
        }
        if i + 1 == layout.pages.len() {
            let at = page
                .texts
                .iter()
                .position(|r| r.text == "累计")
                .expect("累计");
            grand = Some(
                page.texts[at + 1..]
                    .iter()
                    .map(|r| r.text.clone())
                    .collect::<Vec<_>>(),
            );
        }
    }
    assert!(
        seen[1..].iter().all(|c| *c == 1),
        "every row once, numbered 1..n"
    );
    // 累计 in the column's format: the sum of the litres and the money.
    let litres: f64 = recs
        .iter()
        .filter_map(|r| r.get("加油数量（升）").and_then(|v| v.as_number()))
        .sum();
    let grand = grand.expect("last page");
    assert_eq!(grand[0], format!("{litres:.2}"));
    assert!(grand[1].contains(',') && grand[1].ends_with(|c: char| c.is_ascii_digit()));
}

#[test]
fn a_long_register_is_written_in_parts_joined_into_one_pdf() {
    let cat = catalog();
    let def = cat.get("cheliang_jiayou").expect("def");
    let dir = tempfile::tempdir().expect("tmp");
    let data = fuel_csv(dir.path(), 2000);
    let out = dir.path().join("out");
    let o = fill(engine(), def, &data, &out, &FillOptions::default()).expect("fill");
    assert!(o.errors.is_empty(), "{:?}", o.errors);
    let bytes = std::fs::read(&o.written[0]).expect("pdf");
    let doc = lopdf::Document::load_mem(&bytes).expect("a valid PDF");
    let recs = records(def, &data);
    let book = wenshu::prepare::register::Book::from_records(def, &recs, "").expect("book");
    let pages = book.paginate(0.0).len();
    assert!(
        pages > wenshu::prepare::register::PAGES_PER_CHUNK,
        "more than one part"
    );
    assert_eq!(doc.get_pages().len(), pages);
}

#[test]
fn definitions_fail_loudly() {
    let dir = tempfile::tempdir().expect("tmp");
    let good = "id = \"good\"\ntitle = \"好表\"\n[[fields]]\nlabel = \"姓名\"\ntype = \"person\"\nexample = \"王某某\"\n";
    // A condition value that is not one of the enum's options.
    let sick = "id = \"sick\"\ntitle = \"请假\"\n[[fields]]\nlabel = \"假别\"\ntype = \"enum\"\noptions = [\"病假\", \"事假\"]\nexample = \"病假\"\n[[fields]]\nlabel = \"证明\"\ntype = \"text\"\nrequired_when = [{ field = \"假别\", op = \"==\", value = \"病休\" }]\n";
    let err = wenshu::form::load::parse_file("sick.toml", sick)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("病休") && err.contains("病假、事假"), "{err}");
    // An id that is not the file name.
    let err = wenshu::form::load::parse_file("other.toml", good)
        .expect_err("refused")
        .to_string();
    assert!(err.contains("good") && err.contains("other"), "{err}");
    // Under --forms: the broken files are reported, the others work.
    std::fs::write(dir.path().join("good.toml"), good).expect("write");
    std::fs::write(dir.path().join("sick.toml"), sick).expect("write");
    std::fs::write(dir.path().join("renamed.toml"), good).expect("write");
    let cat = Catalog::load(Some(dir.path())).expect("load");
    assert!(cat.get("good").is_some() && cat.get("qingjia").is_some());
    let broken: Vec<&str> = cat.broken().iter().map(|b| b.id.as_str()).collect();
    assert_eq!(broken, ["renamed", "sick"]);
    assert!(
        cat.require("sick")
            .expect_err("its error")
            .to_string()
            .contains("病休")
    );
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_wenshu"))
        .arg("--forms")
        .arg(dir.path())
        .args(["forms", "list"])
        .output()
        .expect("run");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stdout.contains("good") && stdout.contains("qingjia"),
        "{stdout}"
    );
    assert!(
        stderr.contains("sick.toml") && stderr.contains("renamed.toml"),
        "{stderr}"
    );
    // And `forms verify` fails on them.
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_wenshu"))
        .arg("--forms")
        .arg(dir.path())
        .args(["forms", "verify"])
        .output()
        .expect("run");
    assert!(!run.status.success());
}

/// The approval chain `def` requires for its example row with `set` applied.
fn chain(def: &FormDef, set: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tmp");
    records(def, &example_csv(dir.path(), def, set))[0]
        .signatures
        .iter()
        .filter(|s| s.required)
        .map(|s| s.role.clone())
        .collect()
}

#[test]
fn the_seeds_money_rules_hold_at_their_boundaries() {
    let cat = catalog();
    // seed 002: 2000 元 in both tiers → the higher (主要领导); 3万元以上 includes 30000 (党组会议).
    let def = cat.get("baozhang_wei").expect("报账审批单");
    let amount = |a: &str, minutes: &str| chain(def, &[("支出金额", a), ("党组会纪要", minutes)]);
    assert!(!amount("1999.99", "").contains(&"主要领导".to_owned()));
    assert!(amount("2000", "").contains(&"主要领导".to_owned()));
    assert!(!amount("29999.99", "").contains(&"委党组会议".to_owned()));
    assert!(amount("30000", "委党组会议纪要〔2026〕4号").contains(&"委党组会议".to_owned()));
    let def = cat.get("jiekuan_wei").expect("借款单 002");
    assert!(!chain(def, &[("借款金额", "1999.99")]).contains(&"主要领导".to_owned()));
    assert!(chain(def, &[("借款金额", "2000")]).contains(&"主要领导".to_owned()));
    // seed 003: 10000元以上 includes 10000 (局党组).
    let def = cat.get("zhichu_shenpi_xxj").expect("支出审批单");
    assert!(!chain(def, &[("支出金额", "9999.99")]).contains(&"局党组".to_owned()));
    assert!(
        chain(
            def,
            &[
                ("支出金额", "10000"),
                ("党组会议纪要", "局党组会议纪要〔2026〕3号")
            ]
        )
        .contains(&"局党组".to_owned())
    );
    // The definitions state how they resolve the boundary.
    for id in ["baozhang_wei", "jiekuan_wei", "zhichu_shenpi_xxj"] {
        let d = cat.get(id).expect("def");
        assert!(
            d.signatures
                .iter()
                .any(|s| s.rule.as_deref().is_some_and(|r| r.contains("含本数"))),
            "{id}"
        );
    }
}

/// A cell's text is set as unbreakable pieces side by side; a dash or quote at the end of a piece
/// must not hang out of its box into the next piece (Typst's hanging punctuation is off), in the
/// ordinary and the compact layout, wherever the piece falls on the line.
#[test]
fn punctuation_ending_a_cell_piece_never_runs_into_the_next() {
    let cat = catalog();
    let def = cat.get("kuaiji_yijiao").expect("def");
    let dir = tempfile::tempdir().expect("tmp");
    let texts = [
        "30760014—30760025",
        "第1—186号至第187—300号",
        "0031038—0031100；另0031101—0031150",
        "凭证（1—4月）、账簿“总账”。",
    ];
    for (k, text) in texts.iter().enumerate() {
        // The other rows set the column widths; the lead moves the pieces along the line.
        for lead in 0..6 {
            let list = format!(
                "会计凭证|2026年1—4月记账凭证|第1—186号|共8册\n\
                 会计账簿|总账、现金日记账、银行存款日记账|3本|\n\
                 支票簿|{}转账支票|{text}|12张空白",
                "空白".repeat(lead)
            );
            let rec = &records(def, &example_csv(dir.path(), def, &[("移交清单", &list)]))[0];
            for compact in [false, true] {
                let mut data = wenshu::prepare::form::form_data(def, rec, None, "兴仁市医疗保障局")
                    .expect("data");
                data["compact"] = serde_json::Value::Bool(compact);
                let doc = engine()
                    .compile("/templates/forms/form.typ", &data, &[])
                    .expect("compile")
                    .document;
                let layout = flatten(&doc);
                assert_eq!(
                    wenshu::render::inspect::overlapping_text(&layout),
                    None,
                    "case {k} “{text}”, lead {lead}, compact {compact}"
                );
            }
        }
    }
}
