//! `wenshu demo -o DIR [--format pdf,ofd]`: renders every bundled sample, one PDF (and/or OFD)
//! each, and says which were refused.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::Args;

use crate::error::Error;
use crate::output::atomic;
use crate::output::progress::Progress;
use crate::pipeline::{RenderOptions, check_file, render_doc};
use crate::render::formats::Formats;
use crate::render::ofd;

/// Arguments of `demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// 输出目录
    #[arg(short, long, default_value = "out")]
    output: PathBuf,
    /// 样例目录（默认为本项目的 samples/gongwen）
    #[arg(long, value_name = "DIR")]
    samples: Option<PathBuf>,
    /// 输出格式：pdf、ofd（GB/T 33190 版式文档）或 pdf,ofd
    #[arg(long, value_name = "pdf|ofd|pdf,ofd", default_value = "pdf", value_parser = Formats::parse)]
    format: Formats,
}

/// The samples folder of the source tree this binary was built from.
fn default_samples() -> PathBuf {
    let local = Path::new("samples/gongwen");
    if local.is_dir() {
        local.to_owned()
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/gongwen")
    }
}

/// Runs `demo`.
pub fn run(args: &DemoArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let dir = args.samples.clone().unwrap_or_else(default_samples);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("toml" | "json")
            )
        })
        .collect();
    files.sort();
    let started = Instant::now();
    let engine = global.engine()?;
    let options = RenderOptions {
        strict_fonts: global.strict_fonts,
        pdfa: false,
    };
    let (mut ok, mut refused) = (0, 0);
    let progress = Progress::auto("样例", "份");
    progress.set_total(files.len());
    progress.stage("排版");
    for file in &files {
        let name = file.display().to_string();
        let result = check_file(file).and_then(|(doc, diags)| {
            let base = file.parent().unwrap_or(Path::new("."));
            let r = render_doc(&engine, &doc, base, diags, file, &options)?;
            let ofd = if args.format.ofd {
                let settings = ofd::OfdSettings {
                    meta: ofd::meta::gongwen(&doc),
                    profile: ofd::Profile::Standard,
                };
                Some(ofd::export(&r.document, &settings)?)
            } else {
                None
            };
            Ok((r, ofd))
        });
        progress.advance(1, usize::from(result.is_err()));
        progress.suspend(|| -> Result<(), Error> {
            match result {
                Ok((r, ofd_bytes)) => {
                    let stem = file
                        .file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    let out = args.output.join(format!("{stem}.pdf"));
                    let mut shown = Vec::new();
                    if args.format.pdf {
                        atomic::write(&out, &r.pdf)?;
                        shown.push(out.display().to_string());
                    }
                    if let Some(bytes) = ofd_bytes {
                        let path = Formats::ofd_path(&out);
                        atomic::write(&path, &bytes)?;
                        shown.push(path.display().to_string());
                    }
                    super::print_diagnostics(&name, &r.warnings);
                    println!(
                        "{name} → {}（{} 页）",
                        shown.join("、"),
                        r.layout.pages.len()
                    );
                    ok += 1;
                }
                Err(Error::Invalid { diagnostics, .. }) => {
                    super::print_diagnostics(&name, &diagnostics);
                    refused += 1;
                }
                Err(e) => {
                    eprintln!("{name}: {e}");
                    refused += 1;
                }
            }
            Ok(())
        })?;
    }
    progress.finish();
    println!(
        "共 {} 份：成功 {ok}，拒绝 {refused}；用时 {:.2} 秒",
        files.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
