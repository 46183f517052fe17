//! Stated limits on untrusted input, checked before layout so that no input can exhaust memory
//! or time. The defaults suit an office; `wenshu.toml` `[limits]` changes them for a run (see
//! SECURITY.md), and `fill` flags change the sheet limits for one batch.
//!
//! ```toml
//! [limits]                      # defaults shown
//! image_max_bytes = 20971520    # 20 MiB
//! image_max_pixels = 40000000
//! image_max_side = 20000
//! sheet_max_rows = 200000
//! sheet_max_cell_chars = 32767
//! sheet_max_expanded_mib = 512
//! sheet_max_zip_ratio = 100
//! ```

use std::sync::RwLock;

use serde::Deserialize;

/// Limits on what a data file may ask the engine to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Largest image file (seal, signature), bytes.
    pub image_max_bytes: u64,
    /// Most pixels of a raster image (width × height); a 42 mm seal scanned at 1200 dpi has
    /// about 4 million.
    pub image_max_pixels: u64,
    /// Longest side of a raster image, pixels.
    pub image_max_side: u32,
    /// Most data rows in one sheet (a spreadsheet, CSV or JSON table that `fill` reads).
    pub sheet_max_rows: usize,
    /// Most characters in one cell; Excel's own limit is 32,767.
    pub sheet_max_cell_chars: usize,
    /// Most bytes, in MiB, a zipped spreadsheet may expand to, or a CSV/JSON table may hold.
    pub sheet_max_expanded_mib: u64,
    /// Largest expansion ratio of a zipped spreadsheet, checked once it expands past
    /// [`RATIO_FLOOR`] bytes: ordinary xlsx files compress 5–30 times.
    pub sheet_max_zip_ratio: u64,
}

/// Below this many expanded bytes the zip ratio is not checked (tiny files compress oddly well).
pub const RATIO_FLOOR: u64 = 16 << 20;

const DEFAULT: Limits = Limits {
    image_max_bytes: 20 * 1024 * 1024,
    image_max_pixels: 40_000_000,
    image_max_side: 20_000,
    sheet_max_rows: 200_000,
    sheet_max_cell_chars: 32_767,
    sheet_max_expanded_mib: 512,
    sheet_max_zip_ratio: 100,
};

impl Default for Limits {
    fn default() -> Self {
        DEFAULT
    }
}

impl Limits {
    /// The sheet expansion limit in bytes.
    pub fn sheet_max_expanded_bytes(&self) -> u64 {
        self.sheet_max_expanded_mib.saturating_mul(1 << 20)
    }
}

static CURRENT: RwLock<Limits> = RwLock::new(DEFAULT);

/// The limits in force.
pub fn get() -> Limits {
    CURRENT.read().map(|l| *l).unwrap_or_default()
}

/// Sets the limits for the rest of the process (from the configuration, at start-up).
pub fn set(limits: Limits) {
    if let Ok(mut l) = CURRENT.write() {
        *l = limits;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_static_defaults_are_the_documented_defaults() {
        assert_eq!(super::get(), super::Limits::default());
        // The module documentation states the defaults; keep it in step.
        let doc = include_str!("limits.rs");
        let d = super::Limits::default();
        for (name, value) in [
            ("image_max_bytes", d.image_max_bytes.to_string()),
            ("image_max_pixels", d.image_max_pixels.to_string()),
            ("image_max_side", d.image_max_side.to_string()),
            ("sheet_max_rows", d.sheet_max_rows.to_string()),
            ("sheet_max_cell_chars", d.sheet_max_cell_chars.to_string()),
            (
                "sheet_max_expanded_mib",
                d.sheet_max_expanded_mib.to_string(),
            ),
            ("sheet_max_zip_ratio", d.sheet_max_zip_ratio.to_string()),
        ] {
            assert!(
                doc.contains(&format!("//! {name} = {value}")),
                "{name} = {value} not documented"
            );
        }
    }
}
