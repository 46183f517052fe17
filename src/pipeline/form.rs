//! The forms pipeline's per-document stages: lay out one row's form or a whole register, and
//! check the laid-out pages. The batch around them (reading the sheet, numbering, writing one
//! PDF per row, the error report) is [`crate::fill`]; the archive uses the same stages.

use chrono::NaiveDate;
use typst_layout::PagedDocument;

use crate::error::{Error, Result};
use crate::form::schema::FormDef;
use crate::model::value::Value;
use crate::render::inspect;
use crate::render::world::{Compiled, Engine};
use crate::validate::form::FormRecord;

/// Entry template of a form.
pub const FORM_MAIN: &str = "/templates/forms/form.typ";

/// Side margins of printed forms and registers (`templates/forms/common.typ`).
pub const FORM_MARGIN_X_MM: f64 = 18.0;

/// Lays out one row's form from its layout data (`prepare::form::form_data`); a form that runs
/// onto a second page is first set tighter (within limits) and kept tighter only if that saves
/// a page.
pub fn lay_out_row(
    engine: &Engine,
    mut data: serde_json::Value,
    assets: &[(String, Vec<u8>)],
) -> Result<Compiled> {
    let mut compiled = engine.compile(FORM_MAIN, &data, assets)?;
    if compiled.document.pages().len() > 1 {
        data["compact"] = serde_json::Value::Bool(true);
        let tighter = engine.compile(FORM_MAIN, &data, assets)?;
        if tighter.document.pages().len() < compiled.document.pages().len() {
            compiled = tighter;
        }
    }
    Ok(compiled)
}

/// Lays out a whole register (登记簿) as one document: the header repeated on every page. Long
/// books are better exported with [`crate::output::register::pdf`], which never holds all pages.
pub fn lay_out_register(
    engine: &Engine,
    def: &FormDef,
    records: &[FormRecord],
    office: &str,
) -> Result<PagedDocument> {
    let book = crate::prepare::register::Book::from_records(def, records, office)?;
    crate::output::register::layout(engine, &book)
}

/// Checks a laid-out form or register: no missing glyphs, no text over text, nothing past the
/// side margins. A failure is an [`Error::Template`] naming the page and the text; `first` is the
/// index of the document's first page in the whole book (registers are checked chunk by chunk).
pub fn check_pages(doc: &PagedDocument, def: &FormDef, first: usize) -> Result<()> {
    let layout = inspect::flatten(doc);
    let mut missing = Vec::new();
    inspect::missing_glyphs(&layout, &mut missing);
    if let Some(d) = missing.first() {
        return Err(Error::Template(format!("{}：{}", def.title, d.message)));
    }
    if let Some((page, a, b)) = inspect::overlapping_text(&layout) {
        return Err(Error::Template(format!(
            "{}：第 {} 页有文字相互重叠（“{a}”与“{b}”），多为格子放不下的长数字或长词",
            def.title,
            page + first
        )));
    }
    if let Some((page, text)) = inspect::past_side_margins(doc, &layout, FORM_MARGIN_X_MM) {
        return Err(Error::Template(format!(
            "{}：第 {} 页有文字超出版面（“{text}”），多为过长且无法断行的内容，如一长串数字",
            def.title,
            page + first
        )));
    }
    Ok(())
}

/// The date a record stands for: the form date, else the first date in the row.
pub fn record_date(rec: &FormRecord) -> Option<NaiveDate> {
    rec.date.or_else(|| {
        rec.values.iter().find_map(|(_, v)| match v {
            Value::Date(d) | Value::Range(d, _) => Some(*d),
            Value::DateTime(d) => Some(d.date()),
            _ => None,
        })
    })
}
