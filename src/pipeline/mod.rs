//! The three pipelines, one shape over shared stages.
//!
//! Every document goes load → validate → lay out → check the pages → export → write:
//! [`ingest`](crate::ingest) and [`validate`](crate::validate) take the data in,
//! [`prepare`](crate::prepare) and [`render::world`](crate::render::world) lay it out,
//! [`render::inspect`](crate::render::inspect) checks what was laid out,
//! [`render::pdf`](crate::render::pdf) exports it and [`output::atomic`](crate::output::atomic)
//! puts it in place. The pipelines differ only in what a unit of work is:
//!
//! - [`gongwen`]: one 公文 data file → one PDF (`wenshu gongwen`).
//! - [`form`]: one spreadsheet → one PDF per valid row, or one register (`wenshu fill`, with the
//!   batch logic in [`crate::fill`]).
//! - [`archive`]: one 件 of an archive (a 公文 or a form row or a register) → a PDF/A with its
//!   档号 in the metadata and, optionally, the 归档章 on its first page (`wenshu archive`, with the
//!   batch logic — walking, numbering, manifest, catalogue — in [`crate::archive`]).
//!
//! Each pipeline exposes a *lay out* step that stops before the export, so the archive can add
//! its stamp to the pages the other two produce instead of copying them.

pub mod archive;
pub mod form;
pub mod gongwen;

pub use gongwen::*;
