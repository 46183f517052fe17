//! `wenshu gongwen DOC -o OUT.pdf`: validate, render, check, write.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::Error;
use crate::number::assign::{gongwen_number, record_gongwen};
use crate::number::registry::Registry;
use crate::output::atomic;
use crate::pipeline::{RenderOptions, Rendered, check_file, render_doc};
use crate::render::formats::Formats;
use crate::render::ofd;
use crate::validate::gongwen::validate;

/// Arguments of `gongwen`.
#[derive(Debug, Args)]
pub struct GongwenArgs {
    /// 公文数据文件（.toml 或 .json）
    file: PathBuf,
    /// 输出 PDF（默认与数据文件同名、同目录）；OFD 与之同名，扩展名为 .ofd
    #[arg(short, long, value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// 输出格式：pdf、ofd（GB/T 33190 版式文档）或 pdf,ofd
    #[arg(long, value_name = "pdf|ofd|pdf,ofd", default_value = "pdf", value_parser = Formats::parse)]
    format: Formats,
    /// 归档格式：PDF 为 PDF/A-2b，OFD 为 OFD-A（GB/T 42133）
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
    let base = args.file.parent().unwrap_or(std::path::Path::new("."));
    let (mut doc, mut diags) = check_file(&args.file)?;
    let (rendered, written) = if args.assign_numbers {
        let key = std::fs::canonicalize(&args.file)
            .unwrap_or_else(|_| args.file.clone())
            .display()
            .to_string();
        let mut reg =
            Registry::open(&global.registry_path()).map_err(|e| Error::Registry(e.to_string()))?;
        diags = gongwen_number(&mut reg, &mut doc, &key);
        diags.extend(validate(&doc, base));
        let rendered = render_doc(&engine, &doc, base, diags, &args.file, &options)?;
        let written = write_outputs(&rendered, &doc, args, &out)?;
        if let Some((path, bytes)) = written.first() {
            record_gongwen(&mut reg, &doc, &key, &path.display().to_string(), bytes)
                .map_err(|e| Error::Registry(e.to_string()))?;
        }
        match &doc.order_number {
            Some(n) => println!("令号：{n}"),
            None => println!(
                "发文字号：{}",
                doc.doc_number.as_deref().unwrap_or_default()
            ),
        }
        (rendered, written)
    } else {
        let rendered = render_doc(&engine, &doc, base, diags, &args.file, &options)?;
        let written = write_outputs(&rendered, &doc, args, &out)?;
        (rendered, written)
    };
    super::print_diagnostics(&args.file.display().to_string(), &rendered.warnings);
    println!(
        "{} → {}（{} 页）",
        args.file.display(),
        written
            .iter()
            .map(|(p, _)| p.display().to_string())
            .collect::<Vec<_>>()
            .join("、"),
        rendered.layout.pages.len()
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes the requested formats from one layout: the PDF at `out`, the OFD beside it (same
/// name, `.ofd`). Both are made before either is written, so a failed export leaves nothing.
fn write_outputs(
    rendered: &Rendered,
    doc: &crate::model::gongwen::Gongwen,
    args: &GongwenArgs,
    out: &std::path::Path,
) -> Result<Vec<(PathBuf, Vec<u8>)>, Error> {
    let mut files = Vec::new();
    if args.format.pdf {
        files.push((out.to_owned(), rendered.pdf.clone()));
    }
    if args.format.ofd {
        let settings = ofd::OfdSettings {
            meta: ofd::meta::gongwen(doc),
            profile: if args.pdfa {
                ofd::Profile::Archival
            } else {
                ofd::Profile::Standard
            },
        };
        let bytes = ofd::export(&rendered.document, &settings)?;
        files.push((Formats::ofd_path(out), bytes));
    }
    for (path, bytes) in &files {
        atomic::write(path, bytes)?;
    }
    Ok(files)
}
