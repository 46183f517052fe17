//! `wenshu forms`: list, explain, template spreadsheet, JSON Schema of the definition format.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::error::Error;
use crate::form::explain;
use crate::form::schema::FormDef;
use crate::output::sheet_template;

/// Arguments of `forms`.
#[derive(Debug, Args)]
pub struct FormsArgs {
    #[command(subcommand)]
    action: Option<FormsAction>,
}

#[derive(Debug, Subcommand)]
enum FormsAction {
    /// 按类别列出全部表单，并注明各表出自哪部规章
    List,
    /// 说明一个表单：字段及其限制、规则与阈值、审批链，各自的依据
    Show {
        /// 表单 ID 或名称
        id: String,
    },
    /// 生成填写模板：xlsx（表头、说明批注、下拉选项、示例行），或 csv（表头和示例行，UTF-8 带 BOM）
    Template {
        /// 表单 ID 或名称
        id: String,
        /// 输出文件：.xlsx 或 .csv
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 输出表单定义格式的 JSON Schema
    Schema,
    /// 核对表单：填写模板的示例行、样例表格（samples/forms/ID.xlsx）每行都通过，用例（samples/forms/cases/ID.toml）符合预期
    Verify {
        /// 表单 ID（默认全部）
        id: Option<String>,
        /// 样例目录
        #[arg(long, default_value = "samples/forms")]
        samples: PathBuf,
    },
}

/// Runs `forms`.
pub fn run(args: &FormsArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let catalog = global.catalog()?;
    let find = |id: &str| catalog.require(id);
    match &args.action {
        None | Some(FormsAction::List) => print!("{}", explain::listing(&catalog)),
        Some(FormsAction::Show { id }) => print!("{}", explain::explain(find(id)?, &catalog)),
        Some(FormsAction::Template { id, output }) => {
            sheet_template::write(output, find(id)?)?;
            println!("{}", output.display());
        }
        Some(FormsAction::Verify { id, samples }) => {
            let defs: Vec<&FormDef> = match id {
                Some(id) => vec![find(id)?],
                None => catalog.iter().collect(),
            };
            let mut failed = false;
            if id.is_none() {
                for b in catalog.broken() {
                    failed = true;
                    eprintln!("{}：{}", b.id, b.error);
                }
            }
            for def in defs {
                // A user's own form needs no sample: its template's example row is checked, and
                // its sample and cases when it has them.
                let has_sample = samples.join(format!("{}.xlsx", def.id)).exists();
                let problems = if catalog.is_user(&def.id) && !has_sample {
                    crate::form::cases::verify_template(def)
                } else {
                    crate::form::cases::verify(def, samples)
                };
                if problems.is_empty() {
                    println!("{}：通过", def.id);
                } else {
                    failed = true;
                    for p in problems {
                        eprintln!("{}：{p}", def.id);
                    }
                }
            }
            return Ok(if failed {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            });
        }
        Some(FormsAction::Schema) => {
            let schema = schemars::schema_for!(FormDef);
            println!(
                "{}",
                serde_json::to_string_pretty(&schema)
                    .map_err(|e| Error::Template(e.to_string()))?
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
