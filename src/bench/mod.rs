//! `wenshu bench`: throughput of the real pipeline on generated, realistic records.
//!
//! Three workloads: a two-page 公文 of ~600 characters, a one-page 请假申请单, and a 13-page landscape
//! 登记簿 of 200 rows. Each record goes through validate → prepare → Typst (eval + layout) →
//! checks → PDF export → atomic write, on all cores, and the stages are timed separately.
//! Figures are printed, never asserted: speed is not a test. [`python`] runs the same records
//! through the official Typst binding for comparison.

pub mod python;

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::form::load::Catalog;
use crate::form::schema::FormDef;
use crate::ingest::table::{SheetRow, Table};
use crate::model::gongwen::Gongwen;
use crate::model::value::Cell;
use crate::render::inspect;
use crate::render::pdf::{self, PdfSettings};
use crate::render::workers;
use crate::render::world::Engine;
use crate::validate::form::{ColumnMap, FormRecord};
use typst_layout::PagedDocument;

/// Time spent per stage, summed over all documents.
#[derive(Debug, Clone, Default)]
pub struct Stages {
    /// Parsing and validating the data.
    pub validate: Duration,
    /// Building the layout data.
    pub prepare: Duration,
    /// Typst evaluation and layout.
    pub typst: Duration,
    /// Post-layout checks.
    pub inspect: Duration,
    /// PDF export.
    pub pdf: Duration,
    /// Writing the file.
    pub write: Duration,
}

/// One workload's figures.
#[derive(Debug, Clone)]
pub struct Figures {
    /// Workload name.
    pub name: String,
    /// Documents produced.
    pub docs: usize,
    /// Wall time.
    pub wall: Duration,
    /// Median per-document latency.
    pub median: Duration,
    /// 95th percentile latency.
    pub p95: Duration,
    /// Stage totals.
    pub stages: Stages,
    /// Peak resident memory of the process so far, in MiB.
    pub peak_rss_mib: f64,
}

impl Figures {
    /// Documents per second.
    pub fn docs_per_sec(&self) -> f64 {
        self.docs as f64 / self.wall.as_secs_f64().max(1e-9)
    }
}

/// Peak resident set size (VmHWM) in MiB, where the platform reports it.
pub fn peak_rss_mib() -> f64 {
    status_mib("VmHWM:")
}

/// Current resident set size (VmRSS) in MiB.
pub fn rss_mib() -> f64 {
    status_mib("VmRSS:")
}

/// Print the memory every this many documents (0: never), to show it stays flat.
pub static TRACE_EVERY: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The memory lines printed so far (for the report).
pub static TRACE: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn status_mib(key: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Sentences the benchmark 公文 are written from. Each record uses its own selection and order,
/// so no paragraph's layout can be reused from an earlier record, as in real documents.
const SENTENCES: [&str; 12] = [
    "为进一步规范医疗保障基金使用管理，切实维护参保群众合法权益，根据国家和省有关规定，结合我市实际，现就有关事项通知如下。",
    "各单位要高度重视，成立由主要负责同志任组长的工作专班，明确责任分工，细化工作措施，确保各项任务落到实处。",
    "要坚持问题导向，聚焦分解住院、挂床住院、过度诊疗、串换项目等突出问题，逐项建立问题清单和整改台账。",
    "市医疗保障局要会同卫生健康、市场监管、公安等部门建立信息共享和联合执法机制，形成监管合力。",
    "对检查发现的违法违规问题，要依法依规严肃处理，涉嫌犯罪的及时移送司法机关，并按规定向社会公开曝光典型案例。",
    "各乡（镇）人民政府、街道办事处要落实属地管理责任，配合做好辖区内定点医药机构的排查和整改督促工作。",
    "要加强政策宣传解读，通过政务网站、微信公众号和村（社区）宣传栏等渠道，引导参保群众自觉维护基金安全。",
    "各定点医药机构要严格执行医疗保障协议管理规定，规范诊疗和收费行为，如实上传结算数据，自觉接受监督检查。",
    "要完善智能监控规则库，对异常就诊、异常结算数据实行实时预警，提高发现问题的精准度和处置效率。",
    "工作中遇到的重大问题和意见建议，请及时向市医疗保障局报告，市医疗保障局将适时对各地工作进展情况进行通报。",
    "财政部门要做好专项检查工作经费保障，审计部门要将医疗保障基金使用情况纳入审计监督重点内容。",
    "各单位要于每季度末将工作进展情况报送市医疗保障局基金监管股，年底前报送全年工作总结。",
];

fn gongwen_record(i: usize) -> String {
    // Four paragraphs of two or three sentences each, chosen and ordered by the record number.
    let pick = |k: usize| SENTENCES[(i * 7 + k * 5 + i / 12) % SENTENCES.len()];
    let para = |k: usize| {
        let n = 2 + (i + k) % 2;
        (0..n).map(|j| pick(k * 3 + j)).collect::<String>()
    };
    format!(
        r#"kind = "通知"
doc_number = "仁府办发〔2026〕{n}号"
title = "兴仁市人民政府办公室关于做好第{n}批医疗保障基金监督检查工作的通知"
recipients = ["各乡（镇）人民政府、街道办事处", "市政府各部门"]
date = "2026年11月20日"
cc = ["市委办公室"]
print_office = "兴仁市人民政府办公室"
print_date = "2026年11月20日"
body = ["{p0}", {{ h1 = "工作要求" }}, "{p1}", {{ h2 = "加强组织领导。", text = "{p2}" }}, "{p3}"]
[[issuers]]
name = "兴仁市人民政府办公室"
seal = "{SEAL_FILE}"
"#,
        n = i + 1,
        p0 = para(0),
        p1 = para(1),
        p2 = para(2),
        p3 = para(3),
    )
}

fn leave_table(rows: usize) -> Table {
    let headers = [
        "姓名",
        "股室",
        "职务级别",
        "请假天数",
        "休假起止日期",
        "请假类别",
        "请假事由",
        "填表日期",
    ];
    sheet(
        &headers,
        (0..rows).map(|i| {
            // Every row differs (name, office, dates, reason), as in a real sheet, so
            // nothing is laid out from the cache of an identical earlier row.
            let days = 1 + i % 5;
            let start = 1 + (i * 7) % 20;
            [
                format!(
                    "{}{}{}",
                    ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周"][i % 10],
                    ["建", "晓", "文", "国", "丽", "志", "海", "春"][(i / 10) % 8],
                    ["华", "明", "芳", "强", "敏", "军", "燕", "平", "红"][(i / 80) % 9]
                ),
                [
                    "医疗保障股",
                    "办公室",
                    "基金监管股",
                    "待遇保障股",
                    "财务股",
                    "信息中心",
                ][i % 6]
                    .to_owned(),
                ["一般工作人员", "股室负责人", "分管领导"][i % 3].to_owned(),
                days.to_string(),
                format!(
                    "2026年{}月{}日至{}月{}日",
                    1 + i % 12,
                    start,
                    1 + i % 12,
                    start + days - 1
                ),
                ["事假", "病假", "探亲假", "婚丧假", "事假"][i % 5].to_owned(),
                [
                    "办理个人事务",
                    "陪同家人就医复诊",
                    "回老家探望父母",
                    "参加亲属婚礼",
                    "处理房屋交接手续",
                ][(i / 3) % 5]
                    .to_owned(),
                format!("2026-{:02}-{:02}", 1 + i % 12, start.max(2) - 1),
            ]
        }),
    )
}

/// Register `doc`'s rows: each document is another month's book, so no two are alike.
fn fuel_table(rows: usize, doc: usize) -> Table {
    let headers = [
        "车牌号",
        "起始公里数",
        "截止公里数",
        "加油时间",
        "加油数量（升）",
        "加油金额（元）",
        "加油人签字",
    ];
    sheet(
        &headers,
        (0..rows).map(|i| {
            [
                format!("贵E·A{:04}", 1000 + (i + doc) % 7),
                (60_000 + doc * 9_000 + i * 300).to_string(),
                (60_000 + doc * 9_000 + i * 300 + 280).to_string(),
                format!(
                    "2026-{:02}-{:02} {:02}:{:02}",
                    1 + doc % 12,
                    1 + (i + doc) % 28,
                    8 + (i * 3 + doc) % 10,
                    10 + (i + doc * 7) % 40
                ),
                format!("{}.{}", 30 + (i + doc) % 20, (i * doc) % 10),
                format!("{}.{:02}", 240 + (i * 13 + doc) % 100, (i * 7 + doc) % 100),
                ["李某某", "王某某", "张某某"][(i + doc) % 3].into(),
            ]
        }),
    )
}

/// A generated sheet: a header row, then the data rows from Excel row 2.
fn sheet<const N: usize>(headers: &[&str], rows: impl Iterator<Item = [String; N]>) -> Table {
    Table {
        sheet: "bench".into(),
        headers: headers.iter().map(|h| (*h).to_owned()).collect(),
        header_row: 1,
        rows: rows
            .enumerate()
            .map(|(i, cells)| SheetRow {
                number: i + 2,
                cells: cells.into_iter().map(Cell::Text).collect(),
            })
            .collect(),
        encoding: None,
    }
}

fn summarize(name: &str, wall: Duration, mut latencies: Vec<Duration>, stages: Stages) -> Figures {
    latencies.sort_unstable();
    let pick = |q: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or_default()
    };
    Figures {
        name: name.to_owned(),
        docs: latencies.len(),
        wall,
        median: pick(0.5),
        p95: pick(0.95),
        stages,
        peak_rss_mib: peak_rss_mib(),
    }
}

/// Times `f` into `slot`.
fn timed<T>(slot: &mut Duration, f: impl FnOnce() -> Result<T>) -> Result<T> {
    let t = Instant::now();
    let out = f();
    *slot += t.elapsed();
    out
}

fn file_name(i: usize) -> String {
    format!("bench-{i}.pdf")
}

/// Runs `count` documents on the rendering threads: `job` validates, prepares and lays out document
/// `i` (timing its own stages); the driver exports, writes and sums everything up.
fn drive(
    name: &str,
    count: usize,
    out: &Path,
    job: impl Fn(usize, &mut Stages) -> Result<PagedDocument> + Sync,
) -> Result<Figures> {
    let total = Mutex::new(Stages::default());
    let start = Instant::now();
    // Peak memory per workload: Linux resets the high-water mark on request.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let done = std::sync::atomic::AtomicUsize::new(0);
    let every = TRACE_EVERY.load(std::sync::atomic::Ordering::Relaxed);
    let latencies: Vec<Result<Duration>> = workers::run(count, |i| {
        let n = done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if every > 0 && n.is_multiple_of(every) {
            let line = format!(
                "{name}：第 {n} 份，内存 {:.0} MiB，峰值 {:.0} MiB，{:.1} 份/秒",
                rss_mib(),
                peak_rss_mib(),
                n as f64 / start.elapsed().as_secs_f64().max(1e-9)
            );
            eprintln!("{line}");
            if let Ok(mut t) = TRACE.lock() {
                t.push(line);
            }
        }
        let t0 = Instant::now();
        let mut s = Stages::default();
        let doc = job(i, &mut s)?;
        let bytes = timed(&mut s.pdf, || {
            pdf::export(
                &doc,
                &PdfSettings {
                    ident: format!("bench-{name}-{i}"),
                    ..PdfSettings::default()
                },
            )
        })?;
        timed(&mut s.write, || {
            crate::output::atomic::write_deferred(&out.join(file_name(i)), &bytes)
        })?;
        if let Ok(mut t) = total.lock() {
            t.validate += s.validate;
            t.prepare += s.prepare;
            t.typst += s.typst;
            t.inspect += s.inspect;
            t.pdf += s.pdf;
            t.write += s.write;
        }
        Ok(t0.elapsed())
    });
    let latencies = latencies.into_iter().collect::<Result<Vec<_>>>()?;
    // A batch flushes what it wrote once, at the end, as `wenshu fill` does.
    let flushed = Instant::now();
    let paths: Vec<_> = (0..count).map(|i| out.join(file_name(i))).collect();
    crate::output::atomic::sync(paths.iter().map(PathBuf::as_path))?;
    let mut total = total.into_inner().unwrap_or_default();
    total.write += flushed.elapsed();
    let wall = start.elapsed();
    Ok(summarize(name, wall, latencies, total))
}

fn refused(what: impl std::fmt::Debug) -> Error {
    Error::Template(format!("bench record refused: {what:?}"))
}

/// Entry templates of the three workloads.
pub const GONGWEN_MAIN: &str = crate::pipeline::GONGWEN_MAIN;
/// Entry template of a form.
pub const FORM_MAIN: &str = "/templates/forms/form.typ";
/// Entry template of a register.
pub const REGISTER_MAIN: &str = "/templates/forms/register.typ";
/// Rows of the benchmark 登记簿.
const REGISTER_ROWS: usize = 200;

/// The seal the benchmark 公文 carry (the project's specimen seal), compiled in so the benchmark
/// runs anywhere. Every record reads it from disk, as `wenshu gongwen` does; Typst decodes it once.
const SEAL_PNG: &[u8] = include_bytes!("../../samples/gongwen/seals/xingren-gov-office.png");
const SEAL_FILE: &str = "bench-seal.png";

/// Writes the benchmark seal into `dir` (the records' folder).
pub fn write_seal(dir: &Path) -> Result<()> {
    crate::output::atomic::write(&dir.join(SEAL_FILE), SEAL_PNG)
}

/// 公文 record `i`, parsed and validated; `base` holds the seal.
fn gongwen_doc(i: usize, base: &Path) -> Result<Gongwen> {
    let doc: Gongwen =
        crate::ingest::data::parse(&gongwen_record(i), crate::ingest::data::Format::Toml)
            .map_err(Error::Template)?;
    let diags = crate::validate::gongwen::validate(&doc, base);
    if crate::error::has_errors(&diags) {
        Err(refused(diags))
    } else {
        Ok(doc)
    }
}

/// The 请假申请单 definition, its generated sheet and the column mapping.
fn leave_sheet(catalog: &Catalog, n: usize) -> Result<(&FormDef, Table, ColumnMap)> {
    let def = catalog
        .get("qingjia")
        .ok_or_else(|| Error::Template("qingjia 定义缺失".into()))?;
    let table = leave_table(n);
    let map = crate::validate::form::map_columns(def, &table);
    Ok((def, table, map))
}

/// The 车辆加油登记簿 definition and register `doc`'s 200 validated rows.
fn fuel_records(catalog: &Catalog, doc: usize) -> Result<(&FormDef, Vec<FormRecord>)> {
    let def = catalog
        .get("cheliang_jiayou")
        .ok_or_else(|| Error::Template("cheliang_jiayou 定义缺失".into()))?;
    let table = fuel_table(REGISTER_ROWS, doc);
    let map = crate::validate::form::map_columns(def, &table);
    let records = table
        .rows
        .iter()
        .map(|r| {
            crate::validate::form::validate_row(def, &map, r, Default::default()).map_err(refused)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((def, records))
}

const OFFICE: &str = "兴仁市医疗保障局";

/// Renders `n` two-page, sealed 公文 into `out`.
pub fn gongwen(engine: &Engine, n: usize, out: &Path) -> Result<Figures> {
    write_seal(out)?;
    drive("公文（2 页，约 600 字）", n, out, |i, s| {
        let doc = timed(&mut s.validate, || gongwen_doc(i, out))?;
        let prepared = timed(&mut s.prepare, || {
            crate::prepare::gongwen::prepare(&doc, out)
        })?;
        let compiled = timed(&mut s.typst, || {
            engine.compile(GONGWEN_MAIN, &prepared.data, &prepared.assets)
        })?;
        timed(&mut s.inspect, || {
            let found =
                inspect::check_gongwen(&compiled.document, &inspect::flatten(&compiled.document));
            if crate::error::has_errors(&found) {
                Err(refused(found))
            } else {
                Ok(())
            }
        })?;
        Ok(compiled.document)
    })
}

/// Renders `n` one-page 请假申请单 into `out`.
pub fn form(engine: &Engine, catalog: &Catalog, n: usize, out: &Path) -> Result<Figures> {
    let (def, table, map) = leave_sheet(catalog, n)?;
    drive("请假申请单（1 页）", n, out, |i, s| {
        let rec = timed(&mut s.validate, || {
            crate::validate::form::validate_row(def, &map, &table.rows[i], Default::default())
                .map_err(refused)
        })?;
        let data = timed(&mut s.prepare, || {
            crate::prepare::form::form_data(def, &rec, None, OFFICE)
        })?;
        Ok(timed(&mut s.typst, || engine.compile(FORM_MAIN, &data, &[]))?.document)
    })
}

/// Renders `n` 登记簿 of 200 rows (about 5 pages each) into `out`. Each document validates its
/// rows again, as `wenshu fill` would for a new sheet.
pub fn register(engine: &Engine, catalog: &Catalog, n: usize, out: &Path) -> Result<Figures> {
    drive("登记簿（200 行，横排 13 页）", n, out, |i, s| {
        let (def, records) = timed(&mut s.validate, || fuel_records(catalog, i))?;
        let data = timed(&mut s.prepare, || {
            crate::prepare::form::register_data(
                def,
                &records,
                OFFICE,
                crate::prepare::form::register_rows_per_page(def),
            )
        })?;
        Ok(timed(&mut s.typst, || engine.compile(REGISTER_MAIN, &data, &[]))?.document)
    })
}

/// One workload as the templates receive it (the Python route renders exactly these).
#[derive(Debug, Clone)]
pub struct Prepared {
    /// Short name.
    pub name: String,
    /// Entry template.
    pub main: &'static str,
    /// The data of each document.
    pub records: Vec<serde_json::Value>,
    /// Files the records refer to (seal images): virtual path and bytes.
    pub assets: Vec<(String, Vec<u8>)>,
}

/// The records of the three workloads; `base` is where the 公文's seal is written.
pub fn prepared_records(
    catalog: &Catalog,
    base: &Path,
    gongwen: usize,
    forms: usize,
    registers: usize,
) -> Result<Vec<Prepared>> {
    write_seal(base)?;
    let mut assets = std::collections::BTreeMap::new();
    let mut docs = Vec::new();
    for i in 0..gongwen {
        let p = crate::prepare::gongwen::prepare(&gongwen_doc(i, base)?, base)?;
        assets.extend(p.assets);
        docs.push(p.data);
    }
    let (def, table, map) = leave_sheet(catalog, forms)?;
    let leave = table
        .rows
        .iter()
        .map(|r| {
            let rec = crate::validate::form::validate_row(def, &map, r, Default::default())
                .map_err(refused)?;
            crate::prepare::form::form_data(def, &rec, None, OFFICE)
        })
        .collect::<Result<Vec<_>>>()?;
    let register = (0..registers)
        .map(|i| {
            let (def, records) = fuel_records(catalog, i)?;
            crate::prepare::form::register_data(
                def,
                &records,
                OFFICE,
                crate::prepare::form::register_rows_per_page(def),
            )
        })
        .collect::<Result<Vec<_>>>()?;
    let workload = |name: &str, main, records, assets| Prepared {
        name: name.to_owned(),
        main,
        records,
        assets,
    };
    Ok(vec![
        workload("公文", GONGWEN_MAIN, docs, assets.into_iter().collect()),
        workload("请假申请单", FORM_MAIN, leave, Vec::new()),
        workload("登记簿", REGISTER_MAIN, register, Vec::new()),
    ])
}

/// The figures as a Markdown table.
pub fn markdown(figures: &[Figures], cores: usize) -> String {
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut s = String::from(
        "| workload | N | docs/s | ms/doc median | ms/doc p95 | peak RSS MiB | validate | prepare | Typst | checks | PDF | write |\n|---|---|---|---|---|---|---|---|---|---|---|---|\n",
    );
    for f in figures.iter().filter(|f| f.docs > 0) {
        let st = &f.stages;
        let all = (st.validate + st.prepare + st.typst + st.inspect + st.pdf + st.write)
            .as_secs_f64()
            .max(1e-9);
        let pct = |d: Duration| format!("{:.0}%", 100.0 * d.as_secs_f64() / all);
        s.push_str(&format!(
            "| {} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {} | {} | {} | {} | {} | {} |\n",
            f.name,
            f.docs,
            f.docs_per_sec(),
            ms(f.median),
            ms(f.p95),
            f.peak_rss_mib,
            pct(st.validate),
            pct(st.prepare),
            pct(st.typst),
            pct(st.inspect),
            pct(st.pdf),
            pct(st.write)
        ));
    }
    s.push_str(&format!(
        "\n{cores} cores; stage shares are of summed per-document time. Peak RSS is the process's high-water mark during the workload, including what earlier workloads left with the allocator (one workload alone: see the long-run trace).\n"
    ));
    s
}

/// wenshu next to the three Python modes, as a Markdown table with ratios. `python[w]` holds
/// the runs of workload `w` (same order as `figures`).
pub fn comparison(figures: &[Figures], python: &[Vec<python::PyFigures>], cores: usize) -> String {
    let mut s = String::from("| workload | wenshu docs/s |");
    for (_, label) in python::MODES {
        s.push_str(&format!(" {label} docs/s | wenshu ÷ |"));
    }
    s.push_str("\n|---|---|");
    s.push_str(&"---|---|".repeat(python::MODES.len()));
    s.push('\n');
    for (f, runs) in figures.iter().zip(python).filter(|(f, _)| f.docs > 0) {
        s.push_str(&format!("| {} | {:.1} |", f.name, f.docs_per_sec()));
        for (mode, _) in python::MODES {
            match runs.iter().find(|r| r.mode == mode) {
                Some(r) => s.push_str(&format!(
                    " {:.1} | **{:.2}×** |",
                    r.docs_per_s,
                    f.docs_per_sec() / r.docs_per_s.max(1e-9)
                )),
                None => s.push_str(" — | — |"),
            }
        }
        s.push('\n');
    }
    s.push_str("\nPython runs in detail (same records, templates and fonts; pool of ");
    s.push_str(&format!("{cores} processes):\n\n| workload | mode | N | docs/s | ms/doc median | ms/doc p95 | peak RSS MiB | cores used |\n|---|---|---|---|---|---|---|---|\n"));
    for (f, runs) in figures.iter().zip(python) {
        for r in runs {
            s.push_str(&format!(
                "| {} | {} | {} | {:.1} | {:.1} | {:.1} | {:.0} | {:.2} |\n",
                f.name,
                r.mode,
                r.docs,
                r.docs_per_s,
                r.median_ms,
                r.p95_ms,
                r.peak_rss_mib,
                r.cores_used
            ));
        }
    }
    s
}

/// The machine the figures come from, for the report.
pub fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem = status_line("/proc/meminfo", "MemTotal:").map_or_else(String::new, |kb| {
        format!(", {:.0} GiB RAM", kb / 1024.0 / 1024.0)
    });
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    format!(
        "{cpu}, {cores} cores{mem}; {} {}; wenshu {}",
        std::env::consts::OS,
        std::env::consts::ARCH,
        env!("CARGO_PKG_VERSION")
    )
}

fn status_line(file: &str, key: &str) -> Option<f64> {
    std::fs::read_to_string(file).ok().and_then(|s| {
        s.lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
    })
}

/// A short note on where the remaining time goes, from the stage split of this run.
pub fn where_time_goes(figures: &[Figures]) -> String {
    let mut s = String::from("## Where the time goes\n\n");
    for f in figures.iter().filter(|f| f.docs > 0) {
        let st = &f.stages;
        let all = (st.validate + st.prepare + st.typst + st.inspect + st.pdf + st.write)
            .as_secs_f64()
            .max(1e-9);
        let pct = |d: Duration| 100.0 * d.as_secs_f64() / all;
        s.push_str(&format!(
            "- {}: Typst evaluation and layout {:.0}%, PDF export {:.0}%, wenshu's own stages (validation, preparation, post-layout checks, atomic write) {:.0}%.\n",
            f.name,
            pct(st.typst),
            pct(st.pdf),
            pct(st.validate + st.prepare + st.inspect + st.write)
        ));
    }
    s.push_str(
        "\nPDF export is mostly subsetting and compressing the CJK fonts a document uses (a 公文 uses five), \
redone for every document because every document has its own set of characters. Both routes do the same \
Typst work per document, so what wenshu saves is what it does once instead of once per process or per \
call: fonts parsed once and shared by all threads, one memoization cache for all threads (the template, \
the 版头 and the form grid are laid out once), no interpreter or inter-process copying. What remains per \
document is Typst's own layout and PDF export of that document's text.\n\n\
The Python route gets the same font files, but its font discovery sees FandolSong Bold and Regular \
(both reporting weight 400) as one face, so its titles come out in the Regular file: one font fewer \
to subset and embed per document than wenshu, which maps the 小标宋 role to the Bold file.\n",
    );
    s
}
