//! Limits on what a spreadsheet may make wenshu read: a small file must not expand into
//! gigabytes (a zip bomb, or one enormous shared string), a sheet must not run to millions of
//! rows, a cell must not hold more text than Excel itself allows. The limits themselves, named
//! and with their defaults, are in [`crate::limits`] (`[limits]` in `wenshu.toml`, `fill` flags).

use std::io::{Read, Seek};
use std::path::Path;

use crate::limits::{Limits, RATIO_FLOOR};

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / f64::from(1 << 20))
}

/// Checks a zipped spreadsheet (xlsx, xlsm, xlsb, ods) by decompressing every member into a
/// counter, before calamine keeps anything in memory. The sizes the archive declares are not
/// trusted: the bytes are counted as they come out.
pub fn check_zip<R: Read + Seek>(
    reader: R,
    file_bytes: u64,
    limits: &Limits,
) -> Result<(), String> {
    let mut zip = match zip::ZipArchive::new(reader) {
        Ok(z) => z,
        // Not a zip (an xls saved as .xlsx, a damaged file): calamine says what it is.
        Err(_) => return Ok(()),
    };
    let max = limits.sheet_max_expanded_bytes();
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
                    "解压后超过 {}（上限 [limits] sheet_max_expanded_mib = {}，在“{name}”处），可能是压缩炸弹或含极长的单元格；确需处理时在 wenshu.toml 的 [limits] 中调大",
                    mib(max),
                    limits.sheet_max_expanded_mib
                ));
            }
            if total > RATIO_FLOOR && total / file_bytes.max(1) > limits.sheet_max_zip_ratio {
                return Err(format!(
                    "文件 {} 解压到 {} 以上（压缩比超过 {}:1，上限 [limits] sheet_max_zip_ratio = {}，在“{name}”处），不像正常的表格",
                    mib(file_bytes),
                    mib(total),
                    limits.sheet_max_zip_ratio,
                    limits.sheet_max_zip_ratio
                ));
            }
        }
    }
    Ok(())
}

/// Checks the size of an uncompressed input (CSV, JSON, xls) against `sheet_max_expanded_mib`.
pub fn check_file_size(path: &Path, limits: &Limits) -> Result<u64, String> {
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    if size > limits.sheet_max_expanded_bytes() {
        return Err(format!(
            "文件有 {}，超过上限 {}（[limits] sheet_max_expanded_mib = {}）",
            mib(size),
            mib(limits.sheet_max_expanded_bytes()),
            limits.sheet_max_expanded_mib
        ));
    }
    Ok(size)
}
