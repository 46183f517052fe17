//! The command line: clap types (their doc comments are the help text) and dispatch.
//! One file per subcommand; each turns arguments into library calls and an exit code
//! (0 done, 1 some document refused, 2 could not run).

mod archive;
mod bench;
mod check;
mod config;
mod demo;
mod fill;
mod fonts;
mod forms;
mod gongwen;
mod number;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::error::{Diagnostic, Error};
use crate::render::fonts::FontOptions;
use crate::render::world::{Engine, EngineOptions};

/// wenshu（文书）：把结构化数据排成符合 GB/T 9704-2012 的公文 PDF，打印之前先校验。
#[derive(Debug, Parser)]
#[command(name = "wenshu", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

/// Options every command shares.
#[derive(Debug, Args, Clone)]
pub struct GlobalArgs {
    /// 额外的字体目录（可多次给出；递归搜索），例如放有方正小标宋简体、仿宋_GB2312 的目录
    #[arg(
        long = "font-dir",
        global = true,
        env = "WENSHU_FONT_PATHS",
        value_delimiter = ':'
    )]
    font_dirs: Vec<PathBuf>,
    /// 不搜索操作系统已安装的字体（只用内置字体和 --font-dir）
    #[arg(long, global = true)]
    ignore_system_fonts: bool,
    /// 若某一字体角色找不到办公字体而退回内置字体，则拒绝排版
    #[arg(long, global = true)]
    strict_fonts: bool,
    /// 用此目录中的模板覆盖内置模板（目录结构同 templates/）
    #[arg(long, global = true, value_name = "DIR")]
    templates: Option<PathBuf>,
    /// 额外的表单定义目录（*.toml，同 ID 覆盖内置表单）
    #[arg(
        long = "forms",
        global = true,
        value_name = "DIR",
        env = "WENSHU_FORMS"
    )]
    forms_dir: Option<PathBuf>,
    /// 编号库：SQLite 文件路径，或 PostgreSQL 连接串 postgres://用户@主机/库?sslmode=verify-full&sslrootcert=ca.pem
    /// （连接串中的密码在任何提示中都显示为 ***；可放在环境变量 WENSHU_REGISTRY 里，不留在命令历史中）；
    /// 默认为用户数据目录下的 wenshu/registry.sqlite
    #[arg(long, global = true, value_name = "PATH", env = "WENSHU_REGISTRY")]
    registry: Option<PathBuf>,
    /// 配置文件（默认读取当前目录下的 wenshu.toml，如存在）
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// 校验并排版一份公文：DOC.toml（或 .json）→ PDF
    Gongwen(gongwen::GongwenArgs),
    /// 只校验，列出全部问题；无错误时退出码为 0，有错误时为 1
    Check(check::CheckArgs),
    /// 显示每个字体角色（仿宋、楷体、黑体、宋体、小标宋）用的是哪个字体、来自哪里
    Fonts,
    /// 把全部内置样例排版到目录中
    Demo(demo::DemoArgs),
    /// 按表单定义校验表格（xlsx/xls/ods/csv/json）的每一行，每行生成一个 PDF，并输出错误报告
    Fill(fill::FillArgs),
    /// 列出、说明表单定义，生成填写模板
    Forms(forms::FormsArgs),
    /// 编号库：预留、确认、作废、列出、检查、备份编号
    Number(number::NumberArgs),
    /// 性能测试：公文、表单、登记簿的吞吐量、延迟、内存和各阶段耗时
    Bench(bench::BenchArgs),
    /// 批量归档：源目录中的公文和表单 → PDF/A（档号、归档章）、manifest.json、归档文件目录
    Archive(archive::ArchiveArgs),
}

/// Parses arguments and runs the command.
pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match dispatch(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wenshu: {e}");
            if let Error::Invalid { path, diagnostics } = &e {
                print_diagnostics(&path.display().to_string(), diagnostics);
                return ExitCode::from(1);
            }
            ExitCode::from(2)
        }
    }
}

fn dispatch(cli: Cli) -> Result<ExitCode, Error> {
    crate::limits::set(config::load(cli.global.config.as_deref())?.limits);
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Gongwen(args) => gongwen::run(&args, &cli.global),
        Command::Fonts => fonts::run(&cli.global),
        Command::Demo(args) => demo::run(&args, &cli.global),
        Command::Fill(args) => fill::run(&args, &cli.global),
        Command::Forms(args) => forms::run(&args, &cli.global),
        Command::Number(args) => number::run(&args, &cli.global),
        Command::Bench(args) => bench::run(&args, &cli.global),
        Command::Archive(args) => archive::run_cmd(&args, &cli.global),
    }
}

impl GlobalArgs {
    /// The registry file: `--registry`, or the user's data directory.
    fn registry_path(&self) -> PathBuf {
        self.registry.clone().unwrap_or_else(|| {
            dirs::data_dir()
                .unwrap_or_else(|| PathBuf::from("."))
                .join("wenshu")
                .join("registry.sqlite")
        })
    }

    /// The registry to check typed numbers against when numbers are not being assigned: the one
    /// named by `--registry` / `WENSHU_REGISTRY`, or the default file if the office has one.
    fn existing_registry(&self) -> Option<PathBuf> {
        match &self.registry {
            Some(p) => Some(p.clone()),
            None => Some(self.registry_path()).filter(|p| p.is_file()),
        }
    }

    /// The form definitions (built-in plus `--forms`); a broken file in `--forms` is reported and
    /// the other forms stay usable.
    fn catalog(&self) -> Result<crate::form::load::Catalog, Error> {
        let catalog = crate::form::load::Catalog::load(self.forms_dir.as_deref())?;
        for b in catalog.broken() {
            eprintln!(
                "wenshu: 警告 表单定义无法使用，已跳过（其余表单照常可用）：{}",
                b.error
            );
        }
        Ok(catalog)
    }

    /// Builds the engine (fonts loaded once for the whole command).
    fn engine(&self) -> Result<Engine, Error> {
        let cfg = config::load(self.config.as_deref())?;
        let mut dirs = self.font_dirs.clone();
        dirs.extend(cfg.fonts.dirs.iter().cloned());
        let options = EngineOptions {
            fonts: FontOptions {
                dirs,
                system: !self.ignore_system_fonts && cfg.fonts.system.unwrap_or(true),
                overrides: cfg.role_overrides()?,
            },
            templates: self.templates.clone(),
        };
        Engine::new(&options)
    }
}

/// Prints findings, errors first, in `file:field: message` form.
pub fn print_diagnostics(file: &str, diags: &[Diagnostic]) {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| !d.is_error());
    for d in sorted {
        eprintln!("{}", d.display_in(file));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_command_line_definition_is_consistent() {
        use clap::CommandFactory;
        super::Cli::command().debug_assert();
    }
}
