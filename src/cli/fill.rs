//! `wenshu fill FORM DATA -o DIR [--format pdf,ofd]`: one PDF (and/or OFD) per valid row, every
//! refused cell on the console and in an xlsx report; exit 1 when any row was refused.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::error::Error;
use crate::fill::{FillOptions, FillOutcome, fill};
use crate::output::progress::Progress;
use crate::output::report::{self, Report};
use crate::validate::form::RowError;

/// Arguments of `fill`.
#[derive(Debug, Args)]
pub struct FillArgs {
    /// 表单 ID 或名称（见 wenshu forms）
    form: String,
    /// 数据文件：xlsx、xls、ods、csv（UTF-8、GBK/GB18030 或 UTF-16）或 json
    data: PathBuf,
    /// 输出目录
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// 工作表名称（默认第一个）
    #[arg(long)]
    sheet: Option<String>,
    /// 只处理这些行（Excel 行号），如 3-40
    #[arg(long, value_parser = parse_rows)]
    rows: Option<(usize, usize)>,
    /// 只校验，不生成 PDF
    #[arg(long)]
    dry_run: bool,
    /// 审批链中的每个签字栏都必须已有签名（已审批的表单）
    #[arg(long, conflicts_with = "blank_signatures")]
    require_signatures: bool,
    /// 签字栏留空供手签（默认）
    #[arg(long)]
    blank_signatures: bool,
    /// 填入表头“{office}”处的单位名称
    #[arg(long, default_value = "")]
    office: String,
    /// 错误报告（xlsx）路径，默认为输出目录下的“错误报告.xlsx”；每次运行都会写出
    #[arg(long)]
    report: Option<PathBuf>,
    /// 归档格式：PDF 为 PDF/A-2b，OFD 为 OFD-A（GB/T 42133，须有 --office）
    #[arg(long)]
    pdfa: bool,
    /// 输出格式：pdf、ofd（GB/T 33190 版式文档）或 pdf,ofd（OFD 与 PDF 同名，扩展名为 .ofd）
    #[arg(long, value_name = "pdf|ofd|pdf,ofd", default_value = "pdf", value_parser = crate::render::formats::Formats::parse)]
    format: crate::render::formats::Formats,
    /// 由编号库发号（表单定义有 numbering 时），并登记生成的每个 PDF；不加时编号留空供手写。
    /// 表格中已填的编号总是与编号库核对
    #[arg(long)]
    assign_numbers: bool,
    /// 表格最多的数据行数（默认 200000，或 wenshu.toml [limits] sheet_max_rows）
    #[arg(long, value_name = "N")]
    max_rows: Option<usize>,
    /// 单元格最多的字数（默认 32767，或 wenshu.toml [limits] sheet_max_cell_chars）
    #[arg(long, value_name = "N")]
    max_cell_chars: Option<usize>,
    /// 表格解压后最大的大小，MiB（默认 512，或 wenshu.toml [limits] sheet_max_expanded_mib）
    #[arg(long, value_name = "MIB")]
    max_expanded_mib: Option<u64>,
}

fn parse_rows(s: &str) -> Result<(usize, usize), String> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: usize = a.trim().parse().map_err(|_| format!("“{s}”应写作 3-40"))?;
    let b: usize = b.trim().parse().map_err(|_| format!("“{s}”应写作 3-40"))?;
    if a > b {
        Err(format!("“{s}”起始行大于结束行"))
    } else {
        Ok((a, b))
    }
}

/// Runs `fill`.
pub fn run(args: &FillArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let catalog = global.catalog()?;
    let def = catalog.get(&args.form).ok_or_else(|| Error::Definition {
        file: args.form.clone(),
        message: "没有这个表单，运行 wenshu forms 查看全部".into(),
    })?;
    // `[limits]` of wenshu.toml (set at start-up), with this run's flags on top.
    let mut limits = crate::limits::get();
    if let Some(n) = args.max_rows {
        limits.sheet_max_rows = n;
    }
    if let Some(n) = args.max_cell_chars {
        limits.sheet_max_cell_chars = n;
    }
    if let Some(n) = args.max_expanded_mib {
        limits.sheet_max_expanded_mib = n;
    }
    let engine = global.engine()?;
    let opts = FillOptions {
        sheet: args.sheet.clone(),
        rows: args.rows,
        dry_run: args.dry_run,
        require_signatures: args.require_signatures,
        office: args.office.clone(),
        pdfa: args.pdfa,
        registry: Some(global.registry_path()),
        assign_numbers: args.assign_numbers,
        limits,
        progress: Some(Progress::auto(&def.title, "行")),
        formats: args.format,
    };
    let file = args.data.display().to_string();
    let report_path = args
        .report
        .clone()
        .unwrap_or_else(|| args.output.join("错误报告.xlsx"));
    let out = match fill(&engine, def, &args.data, &args.output, &opts) {
        Ok(out) => out,
        Err(e @ (Error::Table { .. } | Error::Output { .. })) => {
            // The sheet as a whole was refused (a missing column, a limit, an output that would
            // replace the data file): the report says so too.
            let line = RowError {
                row: 0,
                column: None,
                field: String::new(),
                value: String::new(),
                code: "form.sheet".into(),
                message: e.to_string(),
                hint: "改正表格后重新运行".into(),
            };
            write_report(&report_path, &args.data, &FillOutcome::default(), &[line]);
            return Err(e);
        }
        Err(e) => return Err(e),
    };
    for n in &out.notices {
        eprintln!("{file}: 提示 {n}");
    }
    if !out.unknown_columns.is_empty() {
        eprintln!(
            "{file}: 警告 以下列无法对应到“{}”的字段，已忽略：{}",
            def.title,
            out.unknown_columns.join("、")
        );
    }
    if !out.multi_page_rows.is_empty() {
        eprintln!(
            "{file}: 警告 第 {} 行内容超过一页，已缩小字号并续页（续页重复表头）",
            out.multi_page_rows
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("、")
        );
    }
    for e in &out.errors {
        eprintln!(
            "{}",
            e.display_in(&file, &out.sheet)
                .chars()
                .map(|c| if c.is_control() { '�' } else { c })
                .collect::<String>()
        );
    }
    write_report(&report_path, &args.data, &out, &out.errors);
    println!(
        "{}：共 {} 行，通过 {} 行，拒绝 {} 行{}",
        def.title,
        out.rows,
        out.rows - out.refused_rows,
        out.refused_rows,
        if args.dry_run {
            "（仅校验）".to_owned()
        } else {
            format!("；生成 {} 于 {}", produced(&out), args.output.display())
        }
    );
    Ok(if out.refused_rows > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// What was written: “3 个 PDF”, “3 个 PDF、3 个 OFD”.
fn produced(out: &FillOutcome) -> String {
    let ofd = out
        .written
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("ofd")))
        .count();
    let pdf = out.written.len() - ofd;
    match (pdf, ofd) {
        (n, 0) => format!("{n} 个 PDF"),
        (0, m) => format!("{m} 个 OFD"),
        (n, m) => format!("{n} 个 PDF、{m} 个 OFD"),
    }
}

/// Writes the report (every run, so an old report never stands for this one); a failure to
/// write it is said, and does not hide the run's own result.
fn write_report(path: &Path, data: &Path, out: &FillOutcome, errors: &[RowError]) {
    if let Err(e) = crate::output::atomic::refuse_inputs(path, [data]) {
        eprintln!("wenshu: 错误报告未写出：{e}");
        return;
    }
    let report = Report {
        sheet: &out.sheet,
        errors,
        unknown_columns: out
            .unknown_column_letters
            .iter()
            .cloned()
            .zip(out.unknown_columns.iter().cloned())
            .collect(),
        notices: &out.notices,
    };
    match report::write_report(path, &report) {
        Ok(()) => eprintln!("错误报告：{}", path.display()),
        Err(e) => eprintln!("wenshu: {e}"),
    }
}
