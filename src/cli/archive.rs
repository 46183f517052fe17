//! `wenshu archive SRC -o DEST`: a tree of 公文 data files and form spreadsheets in, an archive
//! out (PDF/A with 档号 and 归档章, `manifest.json`, 归档文件目录 per folder); and
//! `wenshu archive merge DEST` to join the shards of one archive run on several machines.
//! Exit 1 when anything was refused.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use crate::archive::manifest::Status;
use crate::archive::run::{Outcome, RunOptions, run};
use crate::archive::shard::Shard;
use crate::error::Error;
use crate::pipeline::archive::Format;
use crate::render::pdf::Conformance;

/// Arguments of `archive`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ArchiveArgs {
    #[command(subcommand)]
    action: Option<ArchiveAction>,
    /// 源目录：按年度、机构分文件夹存放的公文数据文件（.toml/.json）和表单表格（.xlsx/.xls/.ods/.csv）
    src: Option<PathBuf>,
    /// 输出目录（按源目录的文件夹结构存放）
    #[arg(short, long, default_value = "archive")]
    output: PathBuf,
    /// 归档配置（默认为源目录下的 archive.toml）：全宗号、门类代码、保管期限规则、机构代码
    #[arg(long, value_name = "FILE")]
    archive_config: Option<PathBuf>,
    /// 只归档匹配的文件（相对源目录的路径，通配符，可多次给出），如 '2026/**'
    #[arg(long, value_name = "GLOB")]
    include: Vec<String>,
    /// 跳过匹配的文件（可多次给出），如 '*草稿*'
    #[arg(long, value_name = "GLOB")]
    exclude: Vec<String>,
    /// 同时排版的文档数（默认每核一个）
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// 只校验并列出归档计划（档号、输出文件、拒绝的文件），不生成任何文件
    #[arg(long)]
    dry_run: bool,
    /// 续做中断的归档：输入与设置未变、输出完好的件直接沿用
    #[arg(long)]
    resume: bool,
    /// 涉密文件（有密级）也归档（默认拒绝）
    #[arg(long)]
    include_classified: bool,
    /// PDF/A 级别：2b（默认）、2u、3b（3b 附带源数据文件或数据行）
    #[arg(long, value_name = "LEVEL", default_value = "2b", value_parser = parse_level)]
    pdfa: Conformance,
    /// 在每件首页右上角空白处加盖归档章
    #[arg(long)]
    stamp: bool,
    /// 双面打印：每件从奇数页开始（必要时补空白页）
    #[arg(long)]
    duplex: bool,
    /// 每个文件夹另出一册合订本：归档文件目录在前，各件按目录顺序，每件一个书签
    #[arg(long, conflicts_with = "shard")]
    bind: bool,
    /// 只做第 I 份（共 N 份，I 从 0 起）：I/N；只给 N 时 I 取自 JOB_COMPLETION_INDEX 或 SLURM_ARRAY_TASK_ID
    #[arg(long, value_name = "I/N")]
    shard: Option<String>,
    /// 输出格式：pdf（PDF/A，默认）或 ofd（OFD-A，GB/T 33190/42133，档案元数据写入 CustomDatas；
    /// 归档文件目录与合订本仍为 PDF）
    #[arg(long, value_enum, default_value = "pdf")]
    format: OutputFormat,
    /// 不显示进度
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Debug, Subcommand)]
enum ArchiveAction {
    /// 合并各分片（--shard）的清单，生成 manifest.json 和各文件夹的归档文件目录
    Merge {
        /// 各分片共同的输出目录
        dest: PathBuf,
    },
}

/// Output formats of the 件.
#[derive(Debug, Clone, Copy, ValueEnum)]
enum OutputFormat {
    /// PDF/A（GB/T 18894 认可的长期保存格式）
    Pdf,
    /// OFD-A（GB/T 33190 版式文档的归档格式）
    Ofd,
}

fn parse_level(s: &str) -> Result<Conformance, String> {
    Conformance::parse(s).ok_or_else(|| format!("“{s}”应为 2b、2u 或 3b"))
}

/// Runs `archive`.
pub fn run_cmd(args: &ArchiveArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    if let Some(n) = args.jobs {
        crate::render::workers::set_threads(n.max(1));
    }
    if let Some(ArchiveAction::Merge { dest }) = &args.action {
        let engine = global.engine()?;
        let m = crate::archive::merge::merge(&engine, dest)?;
        for e in m.items.iter().filter(|e| e.status == Status::Refused) {
            for msg in &e.messages {
                eprintln!("{msg}");
            }
        }
        println!(
            "合并完成：归档 {} 件，拒绝 {} 项，共 {} 页 → {}",
            m.totals.archived,
            m.totals.refused,
            m.totals.pages,
            dest.join(crate::archive::manifest::FILE_NAME).display()
        );
        return Ok(exit(m.totals.refused));
    }
    let src = args.src.clone().ok_or_else(|| Error::Output {
        path: PathBuf::from("SRC"),
        message: "请给出源目录：wenshu archive SRC -o DEST".into(),
    })?;
    let shard = args
        .shard
        .as_deref()
        .map(|s| Shard::parse(s, &|k| std::env::var(k).ok()))
        .transpose()
        .map_err(|message| Error::Output {
            path: PathBuf::from("--shard"),
            message,
        })?;
    let opts = RunOptions {
        src,
        dest: args.output.clone(),
        config: args.archive_config.clone(),
        include: args.include.clone(),
        exclude: args.exclude.clone(),
        dry_run: args.dry_run,
        resume: args.resume,
        include_classified: args.include_classified,
        conformance: args.pdfa,
        format: match args.format {
            OutputFormat::Pdf => Format::PdfA,
            OutputFormat::Ofd => Format::Ofd,
        },
        stamp: args.stamp,
        duplex: args.duplex,
        bind: args.bind,
        shard,
        quiet: args.quiet,
    };
    let started = std::time::Instant::now();
    let catalog = global.catalog()?;
    let engine = if args.dry_run {
        None
    } else {
        Some(global.engine()?)
    };
    let out = run(engine.as_ref(), &catalog, &opts)?;
    report(&opts, &out, started.elapsed());
    Ok(exit(out.refused()))
}

fn exit(refused: usize) -> ExitCode {
    if refused > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn report(opts: &RunOptions, out: &Outcome, elapsed: std::time::Duration) {
    for n in &out.notices {
        eprintln!("wenshu: {n}");
    }
    for e in out.entries.iter().filter(|e| e.status == Status::Refused) {
        for m in &e.messages {
            eprintln!("{m}");
        }
    }
    let archived: Vec<_> = out
        .entries
        .iter()
        .filter(|e| e.status == Status::Archived)
        .collect();
    if opts.dry_run {
        for e in &archived {
            println!(
                "{}  ← {}{}  {}",
                e.archival_code.as_deref().unwrap_or_default(),
                e.source,
                e.row.map(|r| format!(":第{r}行")).unwrap_or_default(),
                e.title
            );
        }
        println!(
            "计划归档 {} 件，拒绝 {} 项（仅校验，未生成文件）",
            archived.len(),
            out.refused()
        );
        return;
    }
    let pages: usize = archived.iter().filter_map(|e| e.pages).sum();
    let shard = opts
        .shard
        .map(|s| {
            format!(
                "（分片 {}/{}，完成后运行 wenshu archive merge {}）",
                s.index,
                s.count,
                opts.dest.display()
            )
        })
        .unwrap_or_default();
    println!(
        "归档 {} 件（本次生成 {}，沿用 {}），拒绝 {} 项，共 {} 页，用时 {:.1} 秒 → {}{shard}",
        archived.len(),
        out.rendered,
        out.skipped,
        out.refused(),
        pages,
        elapsed.as_secs_f64(),
        opts.dest.display()
    );
}
