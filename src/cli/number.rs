//! `wenshu number …`: the numbering registry by hand: reserve, commit, void, list, audit, backup.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand};

use crate::error::Error;
use crate::number::registry::{DocRecord, Registry, RegistryError};

/// The default pattern of 发文字号 (GB/T 9704 §7.2.5).
pub const DOC_NUMBER_PATTERN: &str = "{prefix}〔{year}〕{seq}号";

/// Arguments of `number`.
#[derive(Debug, Args)]
pub struct NumberArgs {
    #[command(subcommand)]
    action: NumberAction,
}

#[derive(Debug, Subcommand)]
enum NumberAction {
    /// 预留下一个编号（同一文档键重复预留返回同一编号）
    Reserve {
        /// 编号种类，如 发文、收文、用印，或表单 ID
        #[arg(long, default_value = "发文")]
        scheme: String,
        /// 机关代字 / 前缀，如 仁府办发
        #[arg(long, default_value = "")]
        prefix: String,
        /// 年度（按成文日期或表单日期，而非当前时间）
        #[arg(long)]
        year: i32,
        /// 文档键（同一文档重复排版时保持同一编号）
        #[arg(long)]
        key: String,
        /// 编号格式：{prefix} {year} {seq}（默认取 wenshu.toml 的 [numbering]，否则为发文字号格式）
        #[arg(long)]
        pattern: Option<String>,
        /// 连续预留多个编号（文档键依次为 KEY-1、KEY-2 …）
        #[arg(long, default_value_t = 1)]
        count: u32,
    },
    /// 确认编号已用于生成的文档
    Commit {
        /// 编号种类
        #[arg(long, default_value = "发文")]
        scheme: String,
        /// 文档键
        #[arg(long)]
        key: String,
        /// 标题
        #[arg(long, default_value = "")]
        title: String,
    },
    /// 作废一个编号（保留记录，永不重发）
    Void {
        /// 编号全文，如 仁府办发〔2026〕3号
        number: String,
        /// 编号种类
        #[arg(long, default_value = "发文")]
        scheme: String,
        /// 作废原因
        #[arg(long)]
        reason: String,
    },
    /// 列出编号
    List {
        /// 编号种类（默认全部）
        #[arg(long, default_value = "")]
        scheme: String,
        /// 年度
        #[arg(long)]
        year: Option<i32>,
    },
    /// 检查跳号、超期未确认的预留；有问题时退出码为 1
    Audit {
        /// 预留超过多少天视为超期
        #[arg(long, default_value_t = 7)]
        days: i64,
    },
    /// 导出登记簿：xlsx（每年一个工作表）或 PDF（按文件扩展名）
    Register {
        /// 编号种类：发文、收文、用印、派车或表单 ID
        kind: String,
        /// 年度（默认全部）
        #[arg(long)]
        year: Option<i32>,
        /// 输出文件
        #[arg(short, long)]
        output: PathBuf,
    },
    /// 备份编号库
    Backup {
        /// 备份文件
        to: PathBuf,
    },
}

fn reg_err(e: RegistryError) -> Error {
    Error::Registry(e.to_string())
}

/// Runs `number`.
pub fn run(args: &NumberArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    let mut reg = Registry::open(&global.registry_path()).map_err(reg_err)?;
    match &args.action {
        NumberAction::Reserve {
            scheme,
            prefix,
            year,
            key,
            pattern,
            count,
        } => {
            let cfg = super::config::load(global.config.as_deref())?;
            let pattern = pattern
                .clone()
                .or_else(|| cfg.numbering.get(scheme).cloned())
                .unwrap_or_else(|| DOC_NUMBER_PATTERN.to_owned());
            for i in 1..=*count {
                let k = if *count == 1 {
                    key.clone()
                } else {
                    format!("{key}-{i}")
                };
                let issued = reg
                    .reserve(scheme, prefix, *year, &k, &pattern)
                    .map_err(reg_err)?;
                println!("{}", issued.number);
            }
        }
        NumberAction::Commit { scheme, key, title } => {
            // An empty --title keeps the title on record; a committed record is never rewritten.
            let number = reg
                .commit(
                    scheme,
                    key,
                    &DocRecord {
                        title: title.clone(),
                        ..DocRecord::default()
                    },
                )
                .map_err(reg_err)?;
            println!("{number}");
        }
        NumberAction::Void {
            number,
            scheme,
            reason,
        } => reg.void(scheme, number, reason).map_err(reg_err)?,
        NumberAction::List { scheme, year } => {
            for e in reg.entries(scheme, *year).map_err(reg_err)? {
                let state = match e.state.as_str() {
                    "reserved" => "预留",
                    "committed" => "已用",
                    _ => "作废",
                };
                println!(
                    "{}\t{}\t{state}\t{}\t{}",
                    e.scheme,
                    e.number,
                    e.doc_key,
                    e.reason.unwrap_or(e.record.title)
                );
            }
        }
        NumberAction::Audit { days } => {
            let a = reg.audit(*days).map_err(reg_err)?;
            for (scheme, prefix, year, seq) in &a.gaps {
                println!("跳号\t{scheme}\t{prefix}〔{year}〕第 {seq} 号未发出");
            }
            // Every open reservation shows (a crash a minute ago leaves one); those older than
            // --days are flagged.
            for (number, key, at) in &a.open {
                let label = if a.stale.iter().any(|(n, k, _)| n == number && k == key) {
                    "超期预留"
                } else {
                    "未确认预留"
                };
                println!("{label}\t{number}\t{key}\t预留于 {at}");
            }
            for d in &a.date_order {
                println!(
                    "日期倒序\t{}（{}）在 {}（{}）之后编号，日期却更早",
                    d.later, d.later_date, d.earlier, d.earlier_date
                );
            }
            println!(
                "预留 {}，已用 {}，作废 {}；跳号 {}，未确认预留 {}（其中超过 {days} 天 {}），日期倒序 {}",
                a.counts.0,
                a.counts.1,
                a.counts.2,
                a.gaps.len(),
                a.open.len(),
                a.stale.len(),
                a.date_order.len()
            );
            if a.has_problems() {
                return Ok(ExitCode::from(1));
            }
        }
        NumberAction::Register { kind, year, output } => {
            let entries = reg.entries(kind, *year).map_err(reg_err)?;
            if output
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("pdf"))
            {
                // The same book as PDF, through the forms engine's register layout.
                let engine = global.engine()?;
                let data = crate::output::register::pdf_data(kind, &entries, *year);
                let compiled = engine.compile("/templates/forms/register.typ", &data, &[])?;
                let pdf = crate::render::pdf::export(
                    &compiled.document,
                    &crate::render::pdf::PdfSettings {
                        ident: format!("register:{kind}:{year:?}"),
                        ..Default::default()
                    },
                )?;
                crate::output::atomic::write(output, &pdf)?;
            } else {
                crate::output::register::write(output, kind, &entries)?;
            }
            println!(
                "{}：{} 条 → {}",
                crate::output::register::book_title(kind),
                entries.len(),
                output.display()
            );
        }
        NumberAction::Backup { to } => {
            reg.backup(to).map_err(reg_err)?;
            println!("{} → {}", reg.location(), to.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
