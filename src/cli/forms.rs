//! `wenshu forms`: list, explain, template spreadsheet, JSON Schema of the definition format.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::error::Error;
use crate::form::schema::{Condition, FormDef, Op};
use crate::output::sheet_template;

/// Arguments of `forms`.
#[derive(Debug, Args)]
pub struct FormsArgs {
    #[command(subcommand)]
    action: Option<FormsAction>,
}

#[derive(Debug, Subcommand)]
enum FormsAction {
    /// 列出全部表单
    List,
    /// 说明一个表单：字段、规则、审批链及其阈值含义
    Show {
        /// 表单 ID 或名称
        id: String,
    },
    /// 生成填写模板（xlsx）：表头、下拉选项、示例行
    Template {
        /// 表单 ID 或名称
        id: String,
        /// 输出文件
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
        None | Some(FormsAction::List) => {
            for f in catalog.iter() {
                println!(
                    "{}\t{}\t{}",
                    f.id,
                    f.title,
                    if f.kind == crate::form::schema::FormKind::Register {
                        "登记簿"
                    } else {
                        "表单"
                    }
                );
            }
        }
        Some(FormsAction::Show { id }) => print!("{}", explain(find(id)?)),
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

fn op_words(op: Op) -> &'static str {
    match op {
        Op::Gt => "超过（不含本数）",
        Op::Ge => "达到或超过（含本数，“以上”）",
        Op::Lt => "不满（不含本数）",
        Op::Le => "不超过（含本数，“以下”）",
        Op::Eq => "等于",
        Op::Ne => "不等于",
        Op::In => "属于",
        Op::NotIn => "不属于",
        Op::Present => "已填写",
    }
}

/// A condition in words.
pub fn condition_words(c: &Condition) -> String {
    let rhs = match (&c.other, &c.value) {
        (Some(o), _) => format!("“{o}”"),
        (None, Some(serde_json::Value::Array(items))) => items
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join("、"),
        (None, Some(v)) => v
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string()),
        _ => String::new(),
    };
    format!("{}{}{rhs}", c.field, op_words(c.op))
}

/// `forms show`.
pub fn explain(def: &FormDef) -> String {
    let mut s = format!("{}（{}）\n", def.title, def.id);
    if !def.source.is_empty() {
        s.push_str(&format!("来源：{}\n", def.source));
    }
    if let Some(n) = &def.numbering {
        s.push_str(&format!("编号：{n}\n"));
    }
    s.push_str("字段：\n");
    for f in &def.fields {
        s.push_str(&format!(
            "  {}{}\t{}",
            f.label,
            if f.required { "*" } else { "" },
            sheet_template::type_name(f.ty)
        ));
        if !f.options.is_empty() {
            s.push_str(&format!(" 可选：{}", f.options.join("、")));
        }
        if !f.required_when.is_empty() {
            s.push_str(&format!(
                " 当{}时必填",
                f.required_when
                    .iter()
                    .map(condition_words)
                    .collect::<Vec<_>>()
                    .join("且")
            ));
        }
        s.push('\n');
    }
    for c in &def.computed {
        s.push_str(&format!(
            "  {}\t自动计算（{:?}：{}）\n",
            c.label,
            c.kind,
            c.from.join("、")
        ));
    }
    if !def.rules.is_empty() {
        s.push_str("规则：\n");
        for r in &def.rules {
            s.push_str(&format!("  [{}] {}\n", r.code, r.message));
        }
    }
    if !def.signatures.is_empty() {
        s.push_str("审批链：\n");
        for sig in &def.signatures {
            let when = if sig.required {
                "必须".to_owned()
            } else if sig.when_any.is_empty() {
                "不需要".to_owned()
            } else {
                sig.when_any
                    .iter()
                    .map(|g| g.iter().map(condition_words).collect::<Vec<_>>().join("且"))
                    .collect::<Vec<_>>()
                    .join("，或")
            };
            s.push_str(&format!("  {}：{when}", sig.label()));
            if let Some(r) = &sig.rule {
                s.push_str(&format!("（{r}）"));
            }
            s.push('\n');
        }
    }
    s
}
