//! `wenshu gongwen DOC -o OUT.pdf`: validate, render, check, write.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::Error;
use crate::output::atomic;
use crate::pipeline::{RenderOptions, render_file};

/// Arguments of `gongwen`.
#[derive(Debug, Args)]
pub struct GongwenArgs {
    /// 公文数据文件（.toml 或 .json）
    file: PathBuf,
    /// 输出 PDF（默认与数据文件同名、同目录）
    #[arg(short, long, value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// 输出 PDF/A-2b（归档用）
    #[arg(long)]
    pdfa: bool,
}

/// Runs `gongwen`.
pub fn run(args: &GongwenArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let engine = global.engine()?;
    let options = RenderOptions {
        strict_fonts: global.strict_fonts,
        pdfa: args.pdfa,
    };
    let rendered = render_file(&engine, &args.file, &options)?;
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.file.with_extension("pdf"));
    atomic::write(&out, &rendered.pdf)?;
    super::print_diagnostics(&args.file.display().to_string(), &rendered.warnings);
    println!(
        "{} → {}（{} 页）",
        args.file.display(),
        out.display(),
        rendered.layout.pages.len()
    );
    Ok(ExitCode::SUCCESS)
}
