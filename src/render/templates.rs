//! The Typst templates, compiled into the binary; a directory may override them.
//!
//! Paths are virtual (`/templates/gongwen/lib.typ`), the same whether the text comes from the
//! binary or from `--templates DIR`, so an override directory mirrors `templates/`.

use std::collections::HashMap;
use std::path::Path;

use crate::error::{Error, Result};

/// Embedded template files: (virtual path, text).
pub static EMBEDDED: &[(&str, &str)] = &[
    (
        "/templates/gongwen/lib.typ",
        include_str!("../../templates/gongwen/lib.typ"),
    ),
    (
        "/templates/gongwen/page.typ",
        include_str!("../../templates/gongwen/page.typ"),
    ),
    (
        "/templates/gongwen/header.typ",
        include_str!("../../templates/gongwen/header.typ"),
    ),
    (
        "/templates/gongwen/body.typ",
        include_str!("../../templates/gongwen/body.typ"),
    ),
    (
        "/templates/gongwen/signature.typ",
        include_str!("../../templates/gongwen/signature.typ"),
    ),
    (
        "/templates/gongwen/colophon.typ",
        include_str!("../../templates/gongwen/colophon.typ"),
    ),
    (
        "/templates/gongwen/main.typ",
        include_str!("../../templates/gongwen/main.typ"),
    ),
    (
        "/templates/forms/common.typ",
        include_str!("../../templates/forms/common.typ"),
    ),
    (
        "/templates/forms/form.typ",
        include_str!("../../templates/forms/form.typ"),
    ),
    (
        "/templates/forms/register.typ",
        include_str!("../../templates/forms/register.typ"),
    ),
    (
        "/templates/archive/overlay.typ",
        include_str!("../../templates/archive/overlay.typ"),
    ),
    (
        "/templates/archive/bookmarks.typ",
        include_str!("../../templates/archive/bookmarks.typ"),
    ),
];

/// Template sources by virtual path.
pub fn load(override_dir: Option<&Path>) -> Result<HashMap<String, String>> {
    let mut map: HashMap<String, String> = EMBEDDED
        .iter()
        .map(|(p, t)| ((*p).to_owned(), (*t).to_owned()))
        .collect();
    if let Some(dir) = override_dir {
        for entry in walk(dir)? {
            let rel = entry
                .strip_prefix(dir)
                .map_err(|e| Error::Template(e.to_string()))?;
            let vpath = format!("/templates/{}", rel.to_string_lossy().replace('\\', "/"));
            let text = std::fs::read_to_string(&entry).map_err(|source| Error::Io {
                path: entry.clone(),
                source,
            })?;
            map.insert(vpath, text);
        }
    }
    Ok(map)
}

fn walk(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut out = Vec::new();
    let rd = std::fs::read_dir(dir).map_err(|source| Error::Io {
        path: dir.to_owned(),
        source,
    })?;
    for e in rd {
        let e = e.map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
        let p = e.path();
        if p.is_dir() {
            out.extend(walk(&p)?);
        } else if p.extension().is_some_and(|x| x == "typ") {
            out.push(p);
        }
    }
    Ok(out)
}
