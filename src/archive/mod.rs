//! `wenshu archive`: a year's documents in, an archive out (DA/T 22-2015). Walks SRC for 公文
//! data files and form spreadsheets, plans every 件 with its 档号, renders each through the
//! archive pipeline ([`crate::pipeline::archive`]) on every core into a mirror of SRC's folders,
//! and writes `manifest.json` and every folder's 归档文件目录.

pub mod bind;
pub mod catalogue;
pub mod config;
pub mod item;
pub mod manifest;
pub mod merge;
pub mod plan;
pub mod resume;
pub mod run;
pub mod shard;
pub mod sheets;
pub mod stamp;
pub mod walk;
