//! `wenshu fill FORM DATA -o DIR`: one PDF per valid row, every refused cell on the console and
//! in an xlsx report; exit 1 when any row was refused.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::Error;
use crate::fill::{FillOptions, fill};
use crate::output::report;

/// Arguments of `fill`.
#[derive(Debug, Args)]
pub struct FillArgs {
    /// 表单 ID 或名称（见 wenshu forms）
    form: String,
    /// 数据文件：xlsx、xls、ods、csv 或 json
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
    /// 错误报告（xlsx）路径，默认为输出目录下的“错误报告.xlsx”
    #[arg(long)]
    report: Option<PathBuf>,
    /// 自动编号的起始顺序号
    #[arg(long, default_value_t = 1)]
    start_seq: u32,
    /// 输出 PDF/A-2b
    #[arg(long)]
    pdfa: bool,
    /// 由编号库发号（表单定义有 numbering 时），并登记生成的每个 PDF
    #[arg(long)]
    assign_numbers: bool,
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
    let def = catalog.require(&args.form)?;
    let engine = global.engine()?;
    let opts = FillOptions {
        sheet: args.sheet.clone(),
        rows: args.rows,
        dry_run: args.dry_run,
        require_signatures: args.require_signatures,
        office: args.office.clone(),
        start_seq: args.start_seq,
        pdfa: args.pdfa,
        registry: args.assign_numbers.then(|| global.registry_path()),
    };
    let out = fill(&engine, def, &args.data, &args.output, &opts)?;
    let file = args.data.display().to_string();
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
        eprintln!("{}", e.display_in(&file, &out.sheet));
    }
    if !out.errors.is_empty() {
        let path = args
            .report
            .clone()
            .unwrap_or_else(|| args.output.join("错误报告.xlsx"));
        report::write(&path, &out.sheet, &out.errors)?;
        eprintln!("错误报告：{}", path.display());
    }
    println!(
        "{}：共 {} 行，通过 {} 行，拒绝 {} 行{}",
        def.title,
        out.rows,
        out.rows - out.refused_rows,
        out.refused_rows,
        if args.dry_run {
            "（仅校验）".to_owned()
        } else {
            format!(
                "；生成 {} 个 PDF 于 {}",
                out.written.len(),
                args.output.display()
            )
        }
    );
    Ok(if out.refused_rows > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
