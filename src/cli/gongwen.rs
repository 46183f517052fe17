//! `wenshu gongwen DOC -o OUT.pdf [--format pdf,ofd]`: validate, render, check, write.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Args;

use crate::error::Error;
use crate::model::gongwen::Gongwen;
use crate::number::assign::{gongwen_number, record_gongwen, verify_typed};
use crate::number::registry::{OnChange, Registry};
use crate::output::atomic;
use crate::pipeline::{RenderOptions, check_file, render_doc};
use crate::render::formats::Formats;
use crate::render::ofd;

/// Arguments of `gongwen`.
#[derive(Debug, Args)]
pub struct GongwenArgs {
    /// 公文数据文件（.toml 或 .json）
    file: PathBuf,
    /// 输出文件（默认与数据文件同名、同目录）；同时输出 PDF 和 OFD 时为 PDF 的文件名，OFD 与之同名、扩展名为 .ofd
    #[arg(short, long, value_name = "OUT.pdf")]
    output: Option<PathBuf>,
    /// 输出格式：pdf、ofd（GB/T 33190 版式文档）或 pdf,ofd
    #[arg(long, value_name = "pdf|ofd|pdf,ofd", default_value = "pdf", value_parser = Formats::parse)]
    format: Formats,
    /// 归档格式：PDF 为 PDF/A-2b，OFD 为 OFD-A（GB/T 42133）
    #[arg(long)]
    pdfa: bool,
    /// 使用编号库：发文字号为空时按机关代字自动发号，已填时核对是否重号、跳号、作废，并登记生成的文档
    #[arg(long)]
    assign_numbers: bool,
    /// 同一文档键（默认为数据文件路径）再次出现、但标题或成文日期不同时，视为新公文另发新号（默认拒绝）
    #[arg(long, requires = "assign_numbers")]
    new_number: bool,
}

/// The files a 公文 is made from: the data file and the images it names.
fn inputs(file: &Path, doc: &Gongwen) -> Vec<PathBuf> {
    let base = file.parent().unwrap_or(Path::new("."));
    let mut v = vec![file.to_owned()];
    v.extend(
        doc.issuers
            .iter()
            .filter_map(|i| i.seal())
            .map(|s| base.join(s)),
    );
    v.extend(doc.signature_stamps.iter().map(|s| base.join(&s.image)));
    v
}

/// Runs `gongwen`.
pub fn run(args: &GongwenArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let options = RenderOptions {
        strict_fonts: global.strict_fonts,
        pdfa: args.pdfa,
    };
    let targets = args.format.targets(args.output.as_deref(), &args.file)?;
    let (mut doc, mut diags) = check_file(&args.file)?;
    let sources = inputs(&args.file, &doc);
    for out in targets.paths() {
        atomic::refuse_inputs(out, sources.iter().map(PathBuf::as_path))?;
    }
    // The document key defaults to the data file's path; the registry tells documents apart by
    // key *and* title and date.
    let default_key = std::fs::canonicalize(&args.file)
        .unwrap_or_else(|_| args.file.clone())
        .display()
        .to_string();
    let base = args.file.parent().unwrap_or(Path::new("."));
    let mut registry = if args.assign_numbers {
        let mut reg =
            Registry::open(&global.registry_path()).map_err(|e| Error::Registry(e.to_string()))?;
        let on_change = if args.new_number {
            OnChange::NewDocument
        } else {
            OnChange::Refuse
        };
        let (found, key) = gongwen_number(&mut reg, &mut doc, &default_key, on_change);
        // Re-validate with the issued number in place (findings about the file's text stay).
        diags.retain(|d| d.code == "data.control_character");
        diags.extend(crate::validate::gongwen::validate(&doc, base));
        diags.extend(found);
        Some((reg, key))
    } else {
        if let Some(path) = global.existing_registry() {
            let mut reg = Registry::open(&path).map_err(|e| Error::Registry(e.to_string()))?;
            diags.extend(verify_typed(&mut reg, &doc, &default_key));
        }
        None
    };
    let engine = global.engine()?;
    let rendered = render_doc(&engine, &doc, base, diags, &args.file, &options)?;
    // Every file is made and staged before the number is committed, and put in place only
    // after: a number voided meanwhile is refused and nothing is delivered with it.
    let mut files = Vec::new();
    if let Some(path) = &targets.pdf {
        files.push((path, rendered.pdf.clone()));
    }
    if let Some(path) = &targets.ofd {
        let settings = ofd::OfdSettings {
            meta: ofd::meta::gongwen(&doc),
            profile: if args.pdfa {
                ofd::Profile::Archival
            } else {
                ofd::Profile::Standard
            },
        };
        files.push((path, ofd::export(&rendered.document, &settings)?));
    }
    let staged = files
        .iter()
        .map(|(path, bytes)| atomic::stage(path, bytes))
        .collect::<Result<Vec<_>, _>>()?;
    if let (Some((reg, key)), Some((path, bytes))) = (&mut registry, files.first()) {
        // The registry keeps one file per number: the PDF, or the OFD when it is the only one.
        record_gongwen(reg, &doc, key, &path.display().to_string(), bytes)
            .map_err(|e| Error::Registry(e.to_string()))?;
    }
    for s in staged {
        s.persist()?;
    }
    if registry.is_some() {
        match &doc.order_number {
            Some(n) => println!("令号：{n}"),
            None => println!(
                "发文字号：{}",
                doc.doc_number.as_deref().unwrap_or_default()
            ),
        }
    }
    super::print_diagnostics(&args.file.display().to_string(), &rendered.warnings);
    println!(
        "{} → {}（{} 页）",
        args.file.display(),
        targets
            .paths()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join("、"),
        rendered.layout.pages.len()
    );
    Ok(ExitCode::SUCCESS)
}
