//! Limits on what a spreadsheet may make wenshu read: a small file must not expand into
//! gigabytes (a zip bomb, or one enormous shared string), a sheet must not run to millions of
//! rows, a cell must not hold more text than Excel itself allows. Each limit is named, has a
//! default, and can be changed in `wenshu.toml` (`[limits]`) or by a `fill` flag.

use std::io::{Read, Seek};
use std::path::Path;

use serde::Deserialize;

/// Limits applied while a data table is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SheetLimits {
    /// Most data rows in one sheet (`max_rows`).
    pub max_rows: usize,
    /// Most characters in one cell (`max_cell_chars`); Excel's own limit is 32,767.
    pub max_cell_chars: usize,
    /// Most bytes a spreadsheet may expand to, or a CSV/JSON file may hold, in MiB
    /// (`max_expanded_mib`).
    pub max_expanded_mib: u64,
    /// Largest expansion ratio of a zipped spreadsheet (`max_zip_ratio`), checked once it
    /// expands past [`RATIO_FLOOR`] bytes: ordinary xlsx files compress 5–30 times.
    pub max_zip_ratio: u64,
}

/// Below this many expanded bytes the ratio is not checked (tiny files compress oddly well).
pub const RATIO_FLOOR: u64 = 16 << 20;

impl Default for SheetLimits {
    fn default() -> Self {
        Self {
            max_rows: 200_000,
            max_cell_chars: 32_767,
            max_expanded_mib: 512,
            max_zip_ratio: 100,
        }
    }
}

impl SheetLimits {
    /// The expansion limit in bytes.
    pub fn max_expanded_bytes(&self) -> u64 {
        self.max_expanded_mib.saturating_mul(1 << 20)
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

/// Checks a zipped spreadsheet (xlsx, xlsm, xlsb, ods) by decompressing every member into a
/// counter, before calamine keeps anything in memory. The sizes the archive declares are not
/// trusted: the bytes are counted as they come out.
pub fn check_zip<R: Read + Seek>(
    reader: R,
    file_bytes: u64,
    limits: &SheetLimits,
) -> Result<(), String> {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        // Not a zip (an xls saved as .xlsx, a damaged file): calamine says what it is.
        Err(_) => return Ok(()),
    };
    let max = limits.max_expanded_bytes();
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut member = match zip.by_index(i) {
            Ok(m) => m,
            Err(_) => continue, // calamine reports unreadable members with their name
        };
        let name = member.name().map(|n| n.into_owned()).unwrap_or_default();
        loop {
            let n = match member.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => break,
            };
            total += n as u64;
            if total > max {
                return Err(format!(
                    "解压后超过 {}（上限 max_expanded_mib = {}，在“{name}”处），可能是压缩炸弹或含极长的单元格；确需处理时在 wenshu.toml 的 [limits] 中调大",
                    mib(max),
                    limits.max_expanded_mib
                ));
            }
            if total > RATIO_FLOOR && total / file_bytes.max(1) > limits.max_zip_ratio {
                return Err(format!(
                    "文件 {} 解压到 {} 以上（压缩比超过 {}:1，上限 max_zip_ratio = {}，在“{name}”处），不像正常的表格",
                    mib(file_bytes),
                    mib(total),
                    limits.max_zip_ratio,
                    limits.max_zip_ratio
                ));
            }
        }
    }
    Ok(())
}

/// Checks the size of an uncompressed input (CSV, JSON, xls) against `max_expanded_mib`.
pub fn check_file_size(path: &Path, limits: &SheetLimits) -> Result<u64, String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > limits.max_expanded_bytes() {
        return Err(format!(
            "文件有 {}，超过上限 {}（max_expanded_mib = {}）",
            mib(size),
            mib(limits.max_expanded_bytes()),
            limits.max_expanded_mib
        ));
    }
    Ok(size)
}
