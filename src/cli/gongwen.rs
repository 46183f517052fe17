//! `wenshu gongwen DOC -o OUT.pdf`: validate, render, check, write.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::Error;
use crate::number::assign::{gongwen_number, record_gongwen};
use crate::number::registry::Registry;
use crate::output::atomic;
use crate::pipeline::{RenderOptions, check_file, render_doc, render_file};
use crate::validate::gongwen::validate;

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
    /// 使用编号库：发文字号为空时按机关代字自动发号，已填时核对是否重号、跳号，并登记生成的文档
    #[arg(long)]
    assign_numbers: bool,
}

/// Runs `gongwen`.
pub fn run(args: &GongwenArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let engine = global.engine()?;
    let options = RenderOptions {
        strict_fonts: global.strict_fonts,
        pdfa: args.pdfa,
    };
    let out = args
        .output
        .clone()
        .unwrap_or_else(|| args.file.with_extension("pdf"));
    let rendered = if args.assign_numbers {
        let (mut doc, _) = check_file(&args.file)?;
        let key = std::fs::canonicalize(&args.file)
            .unwrap_or_else(|_| args.file.clone())
            .display()
            .to_string();
        let mut reg =
            Registry::open(&global.registry_path()).map_err(|e| Error::Registry(e.to_string()))?;
        let mut diags = gongwen_number(&mut reg, &mut doc, &key);
        let base = args.file.parent().unwrap_or(std::path::Path::new("."));
        diags.extend(validate(&doc, base));
        let rendered = render_doc(&engine, &doc, base, diags, &args.file, &options)?;
        atomic::write(&out, &rendered.pdf)?;
        record_gongwen(
            &mut reg,
            &doc,
            &key,
            &out.display().to_string(),
            &rendered.pdf,
        )
        .map_err(|e| Error::Registry(e.to_string()))?;
        match &doc.order_number {
            Some(n) => println!("令号：{n}"),
            None => println!(
                "发文字号：{}",
                doc.doc_number.as_deref().unwrap_or_default()
            ),
        }
        rendered
    } else {
        let rendered = render_file(&engine, &args.file, &options)?;
        atomic::write(&out, &rendered.pdf)?;
        rendered
    };
    super::print_diagnostics(&args.file.display().to_string(), &rendered.warnings);
    println!(
        "{} → {}（{} 页）",
        args.file.display(),
        out.display(),
        rendered.layout.pages.len()
    );
    Ok(ExitCode::SUCCESS)
}
