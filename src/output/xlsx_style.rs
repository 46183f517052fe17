//! The look of a printed table as a spreadsheet (registers, the 归档文件目录): one place, so the
//! office's xlsx files look alike.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

/// Formats of a printed table's sheet.
pub struct TableFormats {
    /// The title row: bold, 16 pt, centred.
    pub title: Format,
    /// The header row: bold, ruled, centred on grey.
    pub head: Format,
    /// A data cell: ruled, wrapped.
    pub cell: Format,
}

impl TableFormats {
    /// The formats every printed table's sheet uses.
    pub fn new() -> Self {
        Self {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center),
            head: Format::new()
                .set_bold()
                .set_background_color("#D9D9D9")
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center),
            cell: Format::new().set_border(FormatBorder::Thin).set_text_wrap(),
        }
    }
}

impl Default for TableFormats {
    fn default() -> Self {
        Self::new()
    }
}
