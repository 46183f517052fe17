//! One archive across machines: `--shard I/N` takes a deterministic share of the sources (a
//! stable hash of the relative path), every shard plans the whole tree (so 件号 agree) but
//! renders only its share and leaves its manifest in DEST; `wenshu archive merge DEST` joins
//! the shard manifests into exactly the `manifest.json` and 归档文件目录 one machine writes.
//!
//! `I/N` may come from the environment of a Kubernetes Indexed Job (`JOB_COMPLETION_INDEX`) or
//! a Slurm job array (`SLURM_ARRAY_TASK_ID`, less `SLURM_ARRAY_TASK_MIN`; N from
//! `SLURM_ARRAY_TASK_COUNT`).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::manifest::{Manifest, STATE_DIR};
use crate::error::{Error, Result};

/// A share: index `0..count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 0.
    pub index: usize,
    /// How many.
    pub count: usize,
}

impl Shard {
    /// Whether this shard owns a source (by its path relative to SRC).
    pub fn owns(&self, rel: &str) -> bool {
        let digest = Sha256::digest(rel.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % self.count as u64) as usize == self.index
    }

    /// Parses `I/N`, `N` or `/N` (I from the environment), reading `env` for the missing parts.
    pub fn parse(
        spec: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> std::result::Result<Self, String> {
        let num = |s: &str, what: &str| {
            s.trim()
                .parse::<usize>()
                .map_err(|_| format!("--shard {spec}：{what}“{s}”不是整数"))
        };
        let (i, n) = match spec.split_once('/') {
            Some((i, n)) if !i.trim().is_empty() => (Some(num(i, "序号")?), Some(num(n, "总数")?)),
            Some((_, n)) => (None, Some(num(n, "总数")?)),
            None if spec.trim().is_empty() => (None, None),
            None => (None, Some(num(spec, "总数")?)),
        };
        let from_env = |k: &str| env(k).and_then(|v| v.trim().parse::<usize>().ok());
        let index = i
            .or_else(|| from_env("JOB_COMPLETION_INDEX"))
            .or_else(|| {
                from_env("SLURM_ARRAY_TASK_ID")
                    .map(|id| id.saturating_sub(from_env("SLURM_ARRAY_TASK_MIN").unwrap_or(0)))
            })
            .ok_or_else(|| {
                format!("--shard {spec}：未给出分片序号，环境中也没有 JOB_COMPLETION_INDEX 或 SLURM_ARRAY_TASK_ID")
            })?;
        let count = n
            .or_else(|| from_env("SLURM_ARRAY_TASK_COUNT"))
            .ok_or_else(|| format!("--shard {spec}：未给出分片总数"))?;
        if count == 0 || index >= count {
            return Err(format!(
                "--shard {index}/{count}：序号应在 0 到 {} 之间",
                count.max(1) - 1
            ));
        }
        Ok(Self { index, count })
    }

    /// Where this shard leaves its manifest.
    pub fn manifest_path(&self, dest: &Path) -> PathBuf {
        dest.join(STATE_DIR)
            .join(format!("manifest-{}-of-{}.json", self.index, self.count))
    }
}

/// The shard manifests found in DEST, checked to be one complete, consistent set.
pub fn collect(dest: &Path) -> Result<(Vec<PathBuf>, Manifest)> {
    let dir = dest.join(STATE_DIR);
    let err = |message: String| Error::Output {
        path: dir.clone(),
        message,
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|source| Error::Io {
            path: dir.clone(),
            source,
        })?
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("manifest-") && n.ends_with(".json"))
        })
        .collect();
    paths.sort();
    let mut parts = Vec::new();
    for p in &paths {
        let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let spec = name
            .trim_start_matches("manifest-")
            .trim_end_matches(".json")
            .replace("-of-", "/");
        let shard = Shard::parse(&spec, &|_| None).map_err(err)?;
        parts.push((shard, Manifest::read(p)?));
    }
    let Some((first, m0)) = parts.first() else {
        return Err(err(
            "没有分片清单：先在各分片上运行 wenshu archive SRC -o DEST --shard I/N".into(),
        ));
    };
    let count = first.count;
    let mut seen = vec![false; count];
    for (s, m) in &parts {
        if s.count != count {
            return Err(err(format!("分片总数不一致：{} 与 {count}", s.count)));
        }
        if m.settings != m0.settings || m.plan != m0.plan {
            return Err(err(format!(
                "分片 {}/{count} 的设置或源文件与其他分片不同，不能合并；请在同一份 SRC 上用相同参数重新运行",
                s.index
            )));
        }
        seen[s.index] = true;
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| !**s)
        .map(|(i, _)| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(err(format!(
            "缺少分片：{}（尚未运行或尚未完成）",
            missing.join("、")
        )));
    }
    let settings = m0.settings.clone();
    let plan = m0.plan.clone();
    let items = parts.into_iter().flat_map(|(_, m)| m.items).collect();
    Ok((paths, Manifest::new(settings, plan, items)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_every_source_exactly_once() {
        let shards: Vec<Shard> = (0..3).map(|index| Shard { index, count: 3 }).collect();
        for i in 0..200 {
            let rel = format!("2026/办公室/{i}.toml");
            assert_eq!(shards.iter().filter(|s| s.owns(&rel)).count(), 1);
        }
        let none = |_: &str| None;
        assert_eq!(Shard::parse("1/3", &none), Ok(Shard { index: 1, count: 3 }));
        assert!(Shard::parse("3/3", &none).is_err());
        assert!(Shard::parse("3", &none).is_err());
        let k8s = |k: &str| (k == "JOB_COMPLETION_INDEX").then(|| "2".to_owned());
        assert_eq!(Shard::parse("3", &k8s), Ok(Shard { index: 2, count: 3 }));
        let slurm = |k: &str| match k {
            "SLURM_ARRAY_TASK_ID" => Some("5".to_owned()),
            "SLURM_ARRAY_TASK_MIN" => Some("4".to_owned()),
            "SLURM_ARRAY_TASK_COUNT" => Some("4".to_owned()),
            _ => None,
        };
        assert_eq!(Shard::parse("", &slurm), Ok(Shard { index: 1, count: 4 }));
    }
}
