//! `wenshu bench`: prints throughput, latency, memory and the stage split of the pipeline.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::bench;
use crate::error::Error;

/// Arguments of `bench`.
#[derive(Debug, Args)]
pub struct BenchArgs {
    /// 公文份数
    #[arg(long = "gongwen-docs", default_value_t = 200)]
    gongwen: usize,
    /// 请假申请单份数
    #[arg(long = "form-docs", default_value_t = 400)]
    forms: usize,
    /// 登记簿份数（每份 200 行）
    #[arg(long = "register-docs", default_value_t = 10)]
    registers: usize,
    /// 输出目录（默认临时目录，结束后删除）
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// 把结果表格（Markdown）写入此文件，如 BENCHMARKS.md
    #[arg(long)]
    report: Option<PathBuf>,
    /// 每渲染 N 份打印一次内存（证明长批次内存不增长），例如 --form-docs 100000 --trace-rss 10000
    #[arg(long = "trace-rss", default_value_t = 0)]
    trace_rss: usize,
    /// 不运行 Python 对照（默认在 `python3 -c "import typst"` 可用时运行；安装：pip install typst）
    #[arg(long = "no-python")]
    no_python: bool,
    /// 轮数：wenshu 与 Python 各模式按工作负载交替运行 N 轮，报告中位数（机器速度有波动时用 3 或 5）
    #[arg(long, default_value_t = 1)]
    rounds: usize,
    /// Python 逐份 typst.compile 模式最多渲染的份数（该模式很慢）
    #[arg(long = "python-compile-limit", default_value_t = 100)]
    python_compile_limit: usize,
}

/// Runs `bench`.
pub fn run(args: &BenchArgs, global: &super::GlobalArgs) -> Result<ExitCode, Error> {
    bench::TRACE_EVERY.store(args.trace_rss, std::sync::atomic::Ordering::Relaxed);
    let started = std::time::Instant::now();
    let engine = global.engine()?;
    let catalog = global.catalog()?;
    let startup = started.elapsed();
    let tmp = tempfile::tempdir().map_err(|source| Error::Io {
        path: std::env::temp_dir(),
        source,
    })?;
    let out = args.output.clone().unwrap_or_else(|| tmp.path().to_owned());
    // Warm-up, as the Python route does: the first document of each kind pays for font
    // parsing and template evaluation.
    bench::gongwen(&engine, 2, &out)?;
    bench::form(&engine, &catalog, 2, &out)?;
    bench::register(&engine, &catalog, 1, &out)?;
    let python = !args.no_python && bench::python::available();
    let dir = out.join("python");
    let workloads = if python {
        let w = bench::prepared_records(&catalog, &out, args.gongwen, args.forms, args.registers)?;
        bench::python::export(&engine, &dir, &w)?;
        w
    } else {
        Vec::new()
    };
    // Each round runs wenshu and then the Python modes on one workload before the next, so a
    // drift in the machine's speed hits both sides alike; the medians are reported.
    let rounds = args.rounds.max(1);
    let mut ours: Vec<Vec<bench::Figures>> = vec![Vec::new(); 3];
    let mut theirs: Vec<Vec<Vec<bench::python::PyFigures>>> =
        vec![vec![Vec::new(); bench::python::MODES.len()]; 3];
    for _ in 0..rounds {
        for w in 0..3 {
            ours[w].push(match w {
                0 => bench::gongwen(&engine, args.gongwen, &out)?,
                1 => bench::form(&engine, &catalog, args.forms, &out)?,
                _ => bench::register(&engine, &catalog, args.registers, &out)?,
            });
            let Some(bench::Prepared { name, records, .. }) = workloads.get(w) else {
                continue;
            };
            if records.is_empty() {
                continue;
            }
            for (m, (mode, _)) in bench::python::MODES.iter().enumerate() {
                let limit = (*mode == "compile").then_some(args.python_compile_limit);
                eprintln!("Python 对照：{name}，{mode} …");
                theirs[w][m].push(bench::python::run(&dir, name, mode, limit)?);
            }
        }
    }
    let figures: Vec<bench::Figures> = ours
        .into_iter()
        .filter_map(|mut runs| {
            runs.sort_by(|a, b| a.docs_per_sec().total_cmp(&b.docs_per_sec()));
            let mid = runs.len() / 2;
            runs.into_iter().nth(mid)
        })
        .collect();
    let runs: Vec<Vec<bench::python::PyFigures>> = theirs
        .into_iter()
        .map(|modes| {
            modes
                .into_iter()
                .filter_map(|mut r| {
                    r.sort_by(|a, b| a.docs_per_s.total_cmp(&b.docs_per_s));
                    let mid = r.len() / 2;
                    r.into_iter().nth(mid)
                })
                .collect()
        })
        .collect();
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    let mut table = bench::markdown(&figures, cores);
    if rounds > 1 {
        table.push_str(&format!("Medians of {rounds} interleaved rounds.\n"));
    }
    if python {
        table.push_str("\n## Against the Python route (`pip install typst`)\n\n");
        table.push_str(&bench::comparison(&figures, &runs, cores));
    } else if !args.no_python {
        table.push_str(
            "\n（未运行 Python 对照：python3 -c \"import typst\" 失败；安装：pip install typst）\n",
        );
    }
    println!(
        "引擎启动（字体、模板、表单定义）：{:.0} ms\n",
        startup.as_secs_f64() * 1000.0
    );
    print!("{table}");
    if let Some(path) = &args.report {
        let text = format!(
            "# Benchmarks\n\nGenerated by `wenshu bench` (`cargo run --release -- bench --report BENCHMARKS.md`) on {}.\nEngine start-up (fonts, templates, form definitions): {:.0} ms.\n\n{table}\n{}",
            bench::machine(),
            startup.as_secs_f64() * 1000.0,
            bench::where_time_goes(&figures)
        );
        let trace = bench::TRACE
            .lock()
            .map(|t| t.join("\n"))
            .unwrap_or_default();
        let text = if trace.is_empty() {
            text
        } else {
            format!("{text}\n## Memory over a long run\n\n```\n{trace}\n```\n")
        };
        crate::output::atomic::write(path, text.as_bytes())?;
    }
    Ok(ExitCode::SUCCESS)
}
