//! The Python route: the same records, templates and fonts compiled by the official Typst
//! binding (`pip install typst`), in the three ways a Python user would (per-record
//! `typst.compile`, one reused `typst.Compiler`, a process pool of Compilers).
//!
//! wenshu exports what it renders into a folder the script `bench/python_route.py` reads:
//! `root/` (the templates with each font role replaced by the family that plays it, and the
//! entry files reading the record from `sys.inputs.data` instead of `/data.json`), `fonts/` (the
//! role fonts' files) and `workloads.json` (the records).

use std::path::Path;
use std::process::Command;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::render::fonts::FontRole;
use crate::render::world::Engine;

/// The script, compiled in so a copied binary can still compare.
pub const SCRIPT: &str = include_str!("../../bench/python_route.py");

/// The three Python modes, in report order.
pub const MODES: [(&str, &str); 3] = [
    ("compile", "per-record typst.compile"),
    ("compiler", "one reused typst.Compiler"),
    ("pool", "process pool, one Compiler per core"),
];

/// One Python run's figures, as the script prints them.
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct PyFigures {
    /// Workload name.
    pub workload: String,
    /// `compile`, `compiler` or `pool`.
    pub mode: String,
    /// Documents rendered.
    pub docs: usize,
    /// Wall time, seconds.
    pub wall_s: f64,
    /// Throughput.
    pub docs_per_s: f64,
    /// Median latency.
    pub median_ms: f64,
    /// 95th percentile latency.
    pub p95_ms: f64,
    /// Peak resident memory (largest process), MiB.
    pub peak_rss_mib: f64,
    /// CPU time over wall time (for the pool, the workers' warm-up is included).
    #[serde(default)]
    pub cores_used: f64,
}

/// Whether `python3 -c "import typst"` works here.
pub fn available() -> bool {
    Command::new("python3")
        .args(["-c", "import typst"])
        .output()
        .is_ok_and(|o| o.status.success())
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |source| Error::Io {
        path: path.to_owned(),
        source,
    }
}

/// Writes the script, the templates, the fonts and the records into `dir`.
pub fn export(engine: &Engine, dir: &Path, workloads: &[super::Prepared]) -> Result<()> {
    let root = dir.join("root");
    let fonts = dir.join("fonts");
    for d in [&root, &fonts] {
        std::fs::create_dir_all(d).map_err(io(d))?;
    }
    let script = dir.join("python_route.py");
    std::fs::write(&script, SCRIPT).map_err(io(&script))?;

    // Each role becomes the family that plays it; the role fonts' files go to fonts/.
    let mut families = Vec::new();
    for role in FontRole::ALL {
        let font = engine
            .fonts()
            .role_font(role)
            .ok_or_else(|| Error::Font(format!("{} 无字体", role.chinese())))?;
        let family = font.info().family.clone();
        // Font scanners go by extension.
        let ext = match font.data().as_slice().get(..4) {
            Some(b"OTTO") => "otf",
            Some(b"ttcf") => "ttc",
            _ => "ttf",
        };
        let file = fonts.join(format!("{}.{ext}", role.family()));
        std::fs::write(&file, font.data().as_slice()).map_err(io(&file))?;
        families.push((role.family(), family));
    }
    for (vpath, text) in engine.templates() {
        let mut text = text.replace("json(\"/data.json\")", "json(bytes(sys.inputs.data))");
        for (role, family) in &families {
            text = text.replace(&format!("\"{role}\""), &format!("{family:?}"));
        }
        let path = root.join(vpath.trim_start_matches('/'));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, text).map_err(io(&path))?;
    }
    let spec = root.join("spec.json");
    std::fs::write(&spec, engine.spec_json()).map_err(io(&spec))?;

    // The seal images the records refer to, at their virtual paths.
    for (vpath, bytes) in workloads.iter().flat_map(|w| &w.assets) {
        let path = root.join(vpath.trim_start_matches('/'));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io(parent))?;
        }
        std::fs::write(&path, bytes).map_err(io(&path))?;
    }
    let list: Vec<serde_json::Value> = workloads
        .iter()
        .map(|w| {
            serde_json::json!({
                "name": w.name,
                "main": w.main.trim_start_matches('/'),
                "records": w.records.iter().map(|r| r.to_string()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let file = dir.join("workloads.json");
    let text = serde_json::to_vec(&list).map_err(|e| Error::Template(e.to_string()))?;
    std::fs::write(&file, text).map_err(io(&file))?;
    Ok(())
}

/// Runs one workload in one mode (a fresh Python process, so memory is its own).
pub fn run(dir: &Path, workload: &str, mode: &str, limit: Option<usize>) -> Result<PyFigures> {
    let mut cmd = Command::new("python3");
    cmd.arg(dir.join("python_route.py"))
        .arg(dir)
        .arg(workload)
        .arg(mode);
    if let Some(n) = limit {
        cmd.arg("--limit").arg(n.to_string());
    }
    let out = cmd.output().map_err(io(dir))?;
    if !out.status.success() {
        return Err(Error::Template(format!(
            "Python 对照（{workload}，{mode}）失败：{}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| {
        Error::Template(format!(
            "Python 对照输出无法解析：{e}：{}",
            String::from_utf8_lossy(&out.stdout)
        ))
    })
}
