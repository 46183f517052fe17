//! One 件 of a run: its source read again and checked against the plan, produced through the
//! archive pipeline, written atomically and journalled; or refused, and the run goes on.

use std::path::Path;
use std::sync::Mutex;

use super::manifest::{Entry, Journal};
use super::run::RunOptions;
use super::{plan, sheets};
use crate::error::{Error, Result};
use crate::form::load::Catalog;
use crate::number::assign::sha256_hex;
use crate::output::atomic;
use crate::pipeline::archive::{ArchiveOptions, Attachment, Body, produce};
use crate::render::world::Engine;

/// Renders (and, when `write`, writes and journals) one 件; a 件 that cannot be rendered comes
/// back refused, the run goes on.
#[allow(clippy::too_many_arguments)]
pub fn one(
    engine: &Engine,
    catalog: &Catalog,
    cache: &sheets::Cache,
    opts: &RunOptions,
    aopts: &ArchiveOptions,
    e: &Entry,
    write: bool,
    journal: &Mutex<Journal>,
) -> Result<(Entry, Option<typst_layout::PagedDocument>)> {
    let mut e = e.clone();
    let source = opts.src.join(&e.source);
    let produced = (|| {
        let bytes = std::fs::read(&source).map_err(|s| Error::Io {
            path: source.clone(),
            source: s,
        })?;
        if sha256_hex(&bytes) != e.input_sha256 {
            return Err(Error::Output {
                path: source.clone(),
                message: "源文件在归档过程中被修改，请重新运行".into(),
            });
        }
        let name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        match (
            e.kind.as_str(),
            e.form.as_deref().and_then(|f| catalog.get(f)),
        ) {
            ("公文", _) => {
                let att = Attachment {
                    name,
                    mime: mime_of(&source).into(),
                    bytes,
                };
                produce(engine, &e, &Body::Gongwen(&source), aopts, Some(att))
            }
            (kind, Some(def)) => {
                let loaded = cache.get(def, &source)?;
                if kind == "登记簿" {
                    let att = Attachment {
                        name,
                        mime: mime_of(&source).into(),
                        bytes,
                    };
                    return produce(
                        engine,
                        &e,
                        &Body::Register(def, &loaded.records),
                        aopts,
                        Some(att),
                    );
                }
                let rec = loaded
                    .records
                    .iter()
                    .find(|r| Some(r.row) == e.row)
                    .ok_or_else(|| Error::Output {
                        path: source.clone(),
                        message: "该行已不在表中".into(),
                    })?;
                let att = Attachment {
                    name: format!("{}-第{}行.json", name, rec.row),
                    mime: "application/json".into(),
                    bytes: row_json(&e, &loaded.sheet, rec),
                };
                produce(
                    engine,
                    &e,
                    &Body::FormRow(def, rec, &source),
                    aopts,
                    Some(att),
                )
            }
            _ => Err(Error::Definition {
                file: e.form.clone().unwrap_or_default(),
                message: "表单定义不存在".into(),
            }),
        }
    })();
    match produced {
        Ok(p) => {
            e.pages = Some(p.pages);
            e.output_sha256 = Some(sha256_hex(&p.bytes));
            e.messages.extend(p.warnings);
            if write {
                let out = opts.dest.join(e.output.as_deref().unwrap_or_default());
                atomic::refuse_inputs(&out, [source.as_path()])?;
                atomic::write_deferred(&out, &p.bytes)?;
                if let Ok(mut j) = journal.lock() {
                    j.record(&e)?;
                }
            }
            Ok((e, opts.bind.then_some(p.document)))
        }
        Err(err) => {
            let why = plan::message_of(&e.source, &source, &err);
            let kept = format!(
                "（件号 {} 保留，修正后用 --resume 重新运行）",
                e.item_number.unwrap_or(0)
            );
            let mut e = plan::refuse(e, vec![format!("{why}{kept}")]);
            e.output = None;
            Ok((e, None))
        }
    }
}

/// A form row as JSON, attached to a PDF/A-3b as its source.
fn row_json(e: &Entry, sheet: &str, rec: &crate::validate::form::FormRecord) -> Vec<u8> {
    let values: serde_json::Map<String, serde_json::Value> = rec
        .values
        .iter()
        .map(|(k, v)| (k.clone(), serde_json::Value::String(v.display())))
        .collect();
    let doc =
        serde_json::json!({"source": e.source, "sheet": sheet, "row": rec.row, "values": values});
    serde_json::to_vec_pretty(&doc).unwrap_or_default()
}

fn mime_of(p: &Path) -> &'static str {
    match p
        .extension()
        .and_then(|x| x.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("toml") => "application/toml",
        Some("json") => "application/json",
        Some("csv") => "text/csv",
        Some("xlsx" | "xlsm") => {
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
        Some("xls") => "application/vnd.ms-excel",
        Some("ods") => "application/vnd.oasis.opendocument.spreadsheet",
        _ => "application/octet-stream",
    }
}
