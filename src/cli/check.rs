//! `wenshu check DOC...`: validation only.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::error::{Error, has_errors};
use crate::pipeline::check_file;

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// 公文数据文件（.toml 或 .json），可给多个
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

/// Runs `check`.
pub fn run(args: &CheckArgs) -> Result<ExitCode, Error> {
    let mut failed = false;
    for file in &args.files {
        let name = file.display().to_string();
        match check_file(file) {
            Ok((_, diags)) => {
                super::print_diagnostics(&name, &diags);
                if has_errors(&diags) {
                    failed = true;
                } else {
                    println!("{name}: 校验通过");
                }
            }
            Err(e) => {
                eprintln!("{e}");
                failed = true;
            }
        }
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
