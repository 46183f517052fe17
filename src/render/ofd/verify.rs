//! Checks an OFD package against GB/T 33190-2016 (the parts exist and parse, IDs are unique and
//! within `MaxUnitID`, every reference resolves, lengths are millimetres on a real page) and,
//! when it says `DocType="OFD-A"`, against GB/T 42133-2022 (every font embedded, nothing
//! referenced outside the package, no encryption, title, author and date in `DocInfo`).
//!
//! The export runs it on every OFD-A it writes; an archive can run it on what it stores.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Cursor, Read};

use crate::error::{Error, Result};

/// What the check found; empty lists mean conforming.
#[derive(Debug, Clone, Default)]
pub struct Findings {
    /// `DocType` as declared.
    pub doc_type: String,
    /// Breaches of GB/T 33190.
    pub structure: Vec<String>,
    /// Breaches of the OFD-A rules (checked only for `DocType="OFD-A"`).
    pub archival: Vec<String>,
    /// Pages found.
    pub pages: usize,
}

impl Findings {
    /// Whether the package conforms to what it declares.
    pub fn conforms(&self) -> bool {
        self.structure.is_empty() && self.archival.is_empty()
    }
}

/// Largest part read (a page's content or a font), so a hostile zip cannot exhaust memory.
const MAX_PART: u64 = 256 * 1024 * 1024;

struct Package {
    files: BTreeMap<String, Vec<u8>>,
}

impl Package {
    fn open(bytes: &[u8]) -> Result<Self> {
        let bad = |e: &dyn std::fmt::Display| Error::Ofd(format!("不是可读的 OFD 包：{e}"));
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| bad(&e))?;
        let mut files = BTreeMap::new();
        for i in 0..zip.len() {
            let f = zip.by_index(i).map_err(|e| bad(&e))?;
            if f.is_dir() {
                continue;
            }
            let name = f.name().map_err(|e| bad(&e))?.into_owned();
            let mut data = Vec::new();
            f.take(MAX_PART)
                .read_to_end(&mut data)
                .map_err(|e| bad(&e))?;
            files.insert(name, data);
        }
        Ok(Self { files })
    }

    fn xml(&self, path: &str, out: &mut Vec<String>) -> Option<String> {
        match self.files.get(path) {
            None => {
                out.push(format!("缺少 {path}"));
                None
            }
            Some(b) => match String::from_utf8(b.clone()) {
                Ok(s) => Some(s),
                Err(_) => {
                    out.push(format!("{path} 不是 UTF-8"));
                    None
                }
            },
        }
    }
}

/// Resolves an `ST_Loc` against the folder of the part that names it (§7.3); `None` for a
/// location outside the package (a URL, or `..` above the root).
fn resolve(base: &str, loc: &str) -> Option<String> {
    if loc.contains("://") || loc.starts_with("file:") {
        return None;
    }
    let mut parts: Vec<&str> = if loc.starts_with('/') {
        Vec::new()
    } else {
        base.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in loc.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

fn dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

fn child<'a, 'i>(n: roxmltree::Node<'a, 'i>, name: &str) -> Option<roxmltree::Node<'a, 'i>> {
    n.children()
        .find(|c| c.is_element() && c.tag_name().name() == name)
}

fn children<'a, 'i>(
    n: roxmltree::Node<'a, 'i>,
    name: &'a str,
) -> impl Iterator<Item = roxmltree::Node<'a, 'i>> + 'a {
    n.children()
        .filter(move |c| c.is_element() && c.tag_name().name() == name)
}

fn numbers(s: &str) -> Option<Vec<f64>> {
    s.split_whitespace().map(|t| t.parse().ok()).collect()
}

/// Checks the package in `bytes`. `Err` only when it is not a zip at all.
pub fn verify(bytes: &[u8]) -> Result<Findings> {
    let pkg = Package::open(bytes)?;
    let mut f = Findings::default();
    let mut structure = Vec::new();
    let s = &mut structure;
    let mut ext_refs: Vec<String> = Vec::new();
    let Some(entry) = pkg.xml("OFD.xml", s) else {
        f.structure = structure;
        return Ok(f);
    };
    let entry = match roxmltree::Document::parse(&entry) {
        Ok(d) => d,
        Err(e) => {
            s.push(format!("OFD.xml 无法解析：{e}"));
            f.structure = structure;
            return Ok(f);
        }
    };
    let root = entry.root_element();
    if root.tag_name().name() != "OFD" || root.tag_name().namespace() != Some(super::xml::NS) {
        s.push("OFD.xml 的根元素不是 ofd:OFD（命名空间 http://www.ofdspec.org/2016）".into());
    }
    if root.attribute("Version") != Some("1.0") {
        s.push("OFD.xml 的 Version 应为 1.0".into());
    }
    f.doc_type = root.attribute("DocType").unwrap_or_default().to_owned();
    if f.doc_type != "OFD" && f.doc_type != "OFD-A" {
        s.push(format!("DocType 应为 OFD 或 OFD-A，实为“{}”", f.doc_type));
    }
    let archival = f.doc_type == "OFD-A";
    let bodies: Vec<_> = children(root, "DocBody").collect();
    if bodies.is_empty() {
        s.push("OFD.xml 没有 DocBody".into());
    }
    for body in bodies {
        let info = child(body, "DocInfo");
        match info.and_then(|i| child(i, "DocID")).and_then(|d| d.text()) {
            Some(id) if id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()) => {}
            _ => s.push("DocInfo 缺少 32 位的 DocID".into()),
        }
        if archival {
            for (el, name) in [
                ("Title", "题名"),
                ("Author", "责任者"),
                ("CreationDate", "日期"),
            ] {
                if info
                    .and_then(|i| child(i, el))
                    .and_then(|n| n.text())
                    .is_none_or(|t| t.trim().is_empty())
                {
                    f.archival.push(format!("DocInfo 缺少{name}（{el}）"));
                }
            }
        }
        let Some(doc_root) = child(body, "DocRoot").and_then(|n| n.text()) else {
            s.push("DocBody 缺少 DocRoot".into());
            continue;
        };
        let Some(doc_path) = resolve("", doc_root) else {
            ext_refs.push(doc_root.to_owned());
            continue;
        };
        for el in ["Signatures"] {
            if let Some(loc) = child(body, el).and_then(|n| n.text())
                && resolve("", loc).is_none()
            {
                ext_refs.push(loc.to_owned());
            }
        }
        check_document(&pkg, &doc_path, &mut f, s, &mut ext_refs);
    }
    f.structure = structure;
    if archival {
        for r in ext_refs {
            f.archival.push(format!("引用了包外的文件：{r}"));
        }
        if pkg.files.keys().any(|k| k.ends_with("Encryptions.xml")) {
            f.archival.push("OFD-A 不应加密".into());
        }
    }
    Ok(f)
}

fn check_document(
    pkg: &Package,
    doc_path: &str,
    f: &mut Findings,
    s: &mut Vec<String>,
    ext: &mut Vec<String>,
) {
    let Some(text) = pkg.xml(doc_path, s) else {
        return;
    };
    let doc = match roxmltree::Document::parse(&text) {
        Ok(d) => d,
        Err(e) => {
            s.push(format!("{doc_path} 无法解析：{e}"));
            return;
        }
    };
    let base = dir(doc_path);
    let root = doc.root_element();
    let Some(common) = child(root, "CommonData") else {
        s.push(format!("{doc_path} 缺少 CommonData"));
        return;
    };
    let max_id: u64 = child(common, "MaxUnitID")
        .and_then(|n| n.text())
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or_else(|| {
            s.push("CommonData 缺少 MaxUnitID".into());
            0
        });
    match child(common, "PageArea")
        .and_then(|a| child(a, "PhysicalBox"))
        .and_then(|b| b.text())
        .and_then(numbers)
    {
        // Lengths are millimetres: a page between a business card and A0.
        Some(b)
            if b.len() == 4
                && (50.0..=1200.0).contains(&b[2])
                && (50.0..=1200.0).contains(&b[3]) => {}
        _ => s.push("PageArea/PhysicalBox 缺失或不是以毫米计的纸张尺寸".into()),
    }
    // Every ID of the document, where it was defined.
    let mut ids: BTreeMap<u64, String> = BTreeMap::new();
    let mut define = |id: Option<&str>, at: &str, s: &mut Vec<String>| match id
        .and_then(|t| t.trim().parse::<u64>().ok())
    {
        Some(0) | None => s.push(format!("{at} 缺少有效的 ID")),
        Some(n) => {
            if n > max_id {
                s.push(format!("{at} 的 ID {n} 大于 MaxUnitID {max_id}"));
            }
            if let Some(prev) = ids.insert(n, at.to_owned()) {
                s.push(format!("ID {n} 重复：{prev} 与 {at}"));
            }
        }
    };
    let mut fonts = BTreeSet::new();
    let mut spaces = BTreeSet::new();
    let mut media = BTreeSet::new();
    for el in ["PublicRes", "DocumentRes"] {
        for loc in children(common, el).filter_map(|n| n.text()) {
            let Some(path) = resolve(base, loc) else {
                ext.push(loc.to_owned());
                continue;
            };
            let Some(text) = pkg.xml(&path, s) else {
                continue;
            };
            let Ok(res) = roxmltree::Document::parse(&text) else {
                s.push(format!("{path} 无法解析"));
                continue;
            };
            let rroot = res.root_element();
            let res_base = match rroot.attribute("BaseLoc") {
                Some(b) => resolve(dir(&path), b).unwrap_or_default(),
                None => dir(&path).to_owned(),
            };
            for n in rroot.descendants().filter(|n| n.is_element()) {
                let at = format!("{path} 的 {}", n.tag_name().name());
                match n.tag_name().name() {
                    "ColorSpace" => {
                        define(n.attribute("ID"), &at, s);
                        spaces.insert(n.attribute("ID").unwrap_or_default().to_owned());
                    }
                    "Font" => {
                        define(n.attribute("ID"), &at, s);
                        fonts.insert(n.attribute("ID").unwrap_or_default().to_owned());
                        if n.attribute("FontName").is_none_or(str::is_empty) {
                            s.push(format!("{at} 缺少 FontName"));
                        }
                        match child(n, "FontFile").and_then(|x| x.text()) {
                            None if f.doc_type == "OFD-A" => f.archival.push(format!(
                                "字体 {} 未嵌入",
                                n.attribute("FontName").unwrap_or_default()
                            )),
                            None => {}
                            Some(loc) => match resolve(&res_base, loc) {
                                None => ext.push(loc.to_owned()),
                                Some(p) if !pkg.files.contains_key(&p) => {
                                    s.push(format!("{at} 的字体文件 {p} 不在包内"));
                                }
                                Some(p) => {
                                    if ttf_parser::Face::parse(&pkg.files[&p], 0).is_err() {
                                        s.push(format!("字体文件 {p} 无法解析"));
                                    }
                                }
                            },
                        }
                    }
                    "MultiMedia" => {
                        define(n.attribute("ID"), &at, s);
                        media.insert(n.attribute("ID").unwrap_or_default().to_owned());
                        match child(n, "MediaFile").and_then(|x| x.text()) {
                            None => s.push(format!("{at} 缺少 MediaFile")),
                            Some(loc) => match resolve(&res_base, loc) {
                                None => ext.push(loc.to_owned()),
                                Some(p) if !pkg.files.contains_key(&p) => {
                                    s.push(format!("{at} 的文件 {p} 不在包内"));
                                }
                                Some(_) => {}
                            },
                        }
                    }
                    "DrawParam" | "CompositeGraphicUnit" => define(n.attribute("ID"), &at, s),
                    _ => {}
                }
            }
        }
    }
    let Some(pages) = child(root, "Pages") else {
        s.push(format!("{doc_path} 缺少 Pages"));
        return;
    };
    for (i, page) in children(pages, "Page").enumerate() {
        f.pages += 1;
        define(page.attribute("ID"), &format!("第 {} 页", i + 1), s);
        let Some(loc) = page.attribute("BaseLoc") else {
            s.push(format!("第 {} 页缺少 BaseLoc", i + 1));
            continue;
        };
        let Some(path) = resolve(base, loc) else {
            ext.push(loc.to_owned());
            continue;
        };
        let Some(text) = pkg.xml(&path, s) else {
            continue;
        };
        let content = match roxmltree::Document::parse(&text) {
            Ok(d) => d,
            Err(e) => {
                s.push(format!("{path} 无法解析：{e}"));
                continue;
            }
        };
        for n in content.descendants().filter(|n| n.is_element()) {
            let name = n.tag_name().name();
            let at = format!("{path} 的 {name}");
            if matches!(
                name,
                "Layer"
                    | "TextObject"
                    | "PathObject"
                    | "ImageObject"
                    | "CompositeObject"
                    | "PageBlock"
            ) {
                define(n.attribute("ID"), &at, s);
            }
            if matches!(
                name,
                "TextObject" | "PathObject" | "ImageObject" | "CompositeObject"
            ) {
                match n.attribute("Boundary").and_then(numbers) {
                    Some(b) if b.len() == 4 && b[2] >= 0.0 && b[3] >= 0.0 => {}
                    _ => s.push(format!("{at} 的 Boundary 无效")),
                }
            }
            let refs: &[(&str, &BTreeSet<String>)] = match name {
                "TextObject" => &[("Font", &fonts)],
                "ImageObject" => &[("ResourceID", &media)],
                "FillColor" | "StrokeColor" => &[("ColorSpace", &spaces)],
                _ => &[],
            };
            for (attr, set) in refs {
                match n.attribute(*attr) {
                    Some(r) if set.contains(r) => {}
                    Some(r) => s.push(format!("{at} 引用的 {attr}={r} 不存在")),
                    None if *attr == "ColorSpace" => {}
                    None => s.push(format!("{at} 缺少 {attr}")),
                }
            }
            if name == "TextObject" && child(n, "TextCode").is_none() {
                s.push(format!("{at} 没有 TextCode"));
            }
            // Actions that reach outside the document (a URI, sound, video) have no place in
            // an archive; a Goto inside it is fine.
            if f.doc_type == "OFD-A" && matches!(name, "URI" | "Sound" | "Movie") {
                f.archival.push(format!("{path} 含有 {name} 动作"));
            }
        }
    }
}
