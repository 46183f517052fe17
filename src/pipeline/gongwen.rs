//! The 公文 pipeline: data file → model → validation → layout data → Typst → checks → PDF.

use std::path::{Path, PathBuf};

use typst_layout::PagedDocument;

use crate::error::{Diagnostic, Error, Result, has_errors};
use crate::ingest::data;
use crate::model::date;
use crate::model::gongwen::Gongwen;
use crate::prepare::flow;
use crate::prepare::gongwen::prepare;
use crate::render::inspect::{self, Layout};
use crate::render::pdf::{self, PdfSettings};
use crate::render::world::Engine;
use crate::validate::gongwen::validate;

/// Entry template of the 公文 通用格式.
pub const GONGWEN_MAIN: &str = "/templates/gongwen/main.typ";

/// Rendering options.
#[derive(Debug, Clone, Default)]
pub struct RenderOptions {
    /// Refuse to render when a font role fell back to a bundled font.
    pub strict_fonts: bool,
    /// Produce PDF/A-2b.
    pub pdfa: bool,
}

/// A rendered 公文.
pub struct Rendered {
    /// The PDF bytes.
    pub pdf: Vec<u8>,
    /// Typst's pages.
    pub document: PagedDocument,
    /// The pages flattened to mm coordinates.
    pub layout: Layout,
    /// Warnings (nothing fatal).
    pub warnings: Vec<Diagnostic>,
}

/// Loads and validates a data file: every finding, errors and warnings.
pub fn check_file(path: &Path) -> Result<(Gongwen, Vec<Diagnostic>)> {
    let (doc, mut diags): (Gongwen, _) = data::load_checked(path)?;
    diags.extend(validate(&doc, base_dir(path)));
    Ok((doc, diags))
}

fn base_dir(path: &Path) -> &Path {
    path.parent().unwrap_or(Path::new("."))
}

/// One laid-out try: the document, its flattened pages, and what the post-layout checks found.
type Attempt = (
    crate::render::world::Compiled,
    inspect::Layout,
    Vec<Diagnostic>,
);

const FIRST_PAGE_BODY: &str = "gongwen.layout.first_page_body";
const SIGNATURE_ALONE: &str = "gongwen.layout.signature_alone";
const OVERLAP: &str = "gongwen.layout.overlap";
/// Findings that more room on the page would cure (§7.3.3 首页显示正文, §7.3.5.5).
const NEEDS_ROOM: [&str; 2] = [FIRST_PAGE_BODY, SIGNATURE_ALONE];

/// Whether the checks found any of `codes`.
fn has(found: &[Diagnostic], codes: &[&str]) -> bool {
    found.iter().any(|d| codes.contains(&d.code))
}

/// Lays the document out and checks it.
fn attempt(
    engine: &Engine,
    data: &serde_json::Value,
    assets: &[(String, Vec<u8>)],
) -> Result<Attempt> {
    let compiled = engine.compile(GONGWEN_MAIN, data, assets)?;
    let layout = inspect::flatten(&compiled.document);
    let found = inspect::check_gongwen(&compiled.document, &layout);
    Ok((compiled, layout, found))
}

/// Lays the document out; when the 署名 lands on a page without 正文, tries the flow plans of
/// §7.3.5.5 in order (prepare/flow.rs) and keeps the first the checks accept. As a last resort
/// the tail may break across pages (the check then reports what is left).
fn flowed(
    engine: &Engine,
    data: &serde_json::Value,
    assets: &[(String, Vec<u8>)],
) -> Result<Attempt> {
    let natural = attempt(engine, data, assets)?;
    if !has(&natural.2, &[SIGNATURE_ALONE]) {
        return Ok(natural);
    }
    let body = data["body"].as_array().cloned().unwrap_or_default();
    if let Some(m) = flow::measure(&natural.0.document, &natural.1, body.len()) {
        for plan in m.plans(&body) {
            let tried = attempt(engine, &flow::with_plan(data, &plan), assets)?;
            let tail_page = inspect::markers(&tried.0.document, "wenshu-tail")
                .first()
                .map(|m| m.0);
            if has(&tried.2, &NEEDS_ROOM) || (plan.same_page && tail_page != Some(m.text_end_page))
            {
                continue;
            }
            return Ok(tried);
        }
    }
    let mut breakable = data.clone();
    breakable["tail_breakable"] = serde_json::Value::Bool(true);
    let tried = attempt(engine, &breakable, assets)?;
    Ok(if has(&tried.2, &NEEDS_ROOM) {
        natural
    } else {
        tried
    })
}

/// Validates, renders and checks a data file. Refuses (with every finding) when invalid.
pub fn render_file(engine: &Engine, path: &Path, options: &RenderOptions) -> Result<Rendered> {
    let (doc, diags) = check_file(path)?;
    render_doc(engine, &doc, base_dir(path), diags, path, options)
}

/// Renders an already loaded document; `diags` are its validation findings.
pub fn render_doc(
    engine: &Engine,
    doc: &Gongwen,
    base: &Path,
    diags: Vec<Diagnostic>,
    path: &Path,
    options: &RenderOptions,
) -> Result<Rendered> {
    let laid = lay_out_doc(engine, doc, base, diags, path, options)?;
    let pdf = pdf::export(&laid.compiled.document, &pdf_settings(doc, options.pdfa))?;
    let mut diags = laid.diags;
    for w in laid.compiled.warnings {
        diags.push(Diagnostic::warning("render.typst", "", w));
    }
    Ok(Rendered {
        pdf,
        document: laid.compiled.document,
        layout: laid.layout,
        warnings: diags,
    })
}

/// A 公文 laid out and checked on its pages, not yet exported (the archive adds its 归档章 first).
pub struct LaidOut {
    /// Typst's pages and warnings.
    pub compiled: crate::render::world::Compiled,
    /// The pages flattened to mm coordinates.
    pub layout: Layout,
    /// Validation and layout findings (warnings only: errors refuse).
    pub diags: Vec<Diagnostic>,
}

/// The PDF settings of a 公文: identified by its 发文字号 (or 令号, or title), dated by its 成文日期.
pub fn pdf_settings(doc: &Gongwen, pdfa: bool) -> PdfSettings {
    PdfSettings {
        ident: doc
            .doc_number
            .clone()
            .or_else(|| doc.order_number.clone())
            .unwrap_or_else(|| doc.title.clone()),
        date: date::parse(&doc.date).ok(),
        pdfa,
        ..PdfSettings::default()
    }
}

/// Lays out and checks an already loaded document (the layout remedies of §7.2.4, §7.3.2, §7.3.5.5
/// included); refuses with every finding when anything is an error.
pub fn lay_out_doc(
    engine: &Engine,
    doc: &Gongwen,
    base: &Path,
    mut diags: Vec<Diagnostic>,
    path: &Path,
    options: &RenderOptions,
) -> Result<LaidOut> {
    let invalid = |diagnostics: Vec<Diagnostic>| Error::Invalid {
        path: PathBuf::from(path),
        diagnostics,
    };
    if options.strict_fonts {
        for r in engine.fonts().fallbacks() {
            diags.push(
                Diagnostic::error(
                    "render.font_fallback",
                    "",
                    format!(
                        "{}未找到办公字体，使用了内置字体 {}（--strict-fonts）",
                        r.role.chinese(),
                        r.family
                    ),
                )
                .hint("用 --font-dir 指定字体目录，或去掉 --strict-fonts"),
            );
        }
    }
    if has_errors(&diags) {
        return Err(invalid(diags));
    }
    let mut prepared = prepare(doc, base)?;
    if options.pdfa {
        prepared.data["pdfa"] = serde_json::Value::Bool(true);
    }
    // §7.3.5.5: the 署名 never stands on a page without 正文 (prepare/flow.rs).
    let run = |data: &serde_json::Value| flowed(engine, data, &prepared.assets);
    // A remedy is tried on a changed copy of the data and kept only if it clears `problem`;
    // the office is told what was changed.
    let remedy = |data: &mut serde_json::Value,
                  best: &mut Attempt,
                  changed: serde_json::Value,
                  problem: &[&str],
                  notice: Diagnostic|
     -> Result<()> {
        let tried = run(&changed)?;
        if !has(&tried.2, problem) {
            *best = tried;
            best.2.push(notice);
            *data = changed;
        }
        Ok(())
    };
    let mut data = prepared.data.clone();
    let mut best = run(&data)?;
    // §7.2.4 leaves the 标志's size to the office: a tall stack of joint issuers is shortened
    // before anything else moves.
    if data["mark"]["names"].as_array().map_or(0, Vec::len) > 1 {
        for cap in crate::gbt9704::ISSUER_MARK_JOINT_FALLBACK_HEIGHTS_MM {
            if !has(&best.2, &NEEDS_ROOM) {
                break;
            }
            let mut smaller = data.clone();
            smaller["mark_max_height_mm"] = serde_json::json!(cap);
            let notice = Diagnostic::warning(
                "gongwen.issuer_mark.shrunk",
                "issuer_mark",
                format!("联合发文机关较多，首页容不下正文或署名，已将发文机关标志缩至 {cap} mm 高（§7.2.4 字号由发文机关酌定）"),
            )
            .hint("也可设 issuer_mark.lead_only = true，只用主办机关名称");
            remedy(&mut data, &mut best, smaller, &NEEDS_ROOM, notice)?;
        }
    }
    // Table text that overflows its cells at 4号 is set smaller (小四, then 5号); if even 5号
    // overlaps, the overlap stays an error.
    for size in crate::gbt9704::TABLE_FALLBACK_SIZES_PT {
        if !has(&best.2, &[OVERLAP]) {
            break;
        }
        let mut smaller = data.clone();
        smaller["table_text_pt"] = serde_json::json!(size);
        let notice = Diagnostic::warning(
            "gongwen.table.smaller",
            "body",
            format!("表格文字在 4 号字下超出单元格，已改用 {size} 磅"),
        )
        .hint("也可加宽该列（columns）或设 landscape = true 横排（§8）");
        remedy(&mut data, &mut best, smaller, &[OVERLAP], notice)?;
    }
    // §7.3.2 / §7.4.2: when the 主送 list pushes the 正文 off the first page, it moves to the
    // 版记 ("主送：" above 抄送).
    if has(&best.2, &[FIRST_PAGE_BODY]) && data["recipients"].is_string() {
        let mut moved = data.clone();
        moved["colophon"]["recipients"] = serde_json::json!(format!(
            "{}。",
            data["recipients"]
                .as_str()
                .unwrap_or_default()
                .trim_end_matches('：')
        ));
        moved["recipients"] = serde_json::Value::Null;
        let notice = Diagnostic::warning(
            "gongwen.recipients.moved",
            "recipients",
            "主送机关过多，正文无法在首页显示，已将主送机关移至版记（GB/T 9704 §7.3.2、§7.4.2）",
        )
        .hint("如不希望移动，请精简主送机关或标题");
        remedy(&mut data, &mut best, moved, &[FIRST_PAGE_BODY], notice)?;
    }
    let (compiled, layout, found) = best;
    diags.extend(found);
    if has_errors(&diags) {
        return Err(invalid(diags));
    }
    Ok(LaidOut {
        compiled,
        layout,
        diags,
    })
}
