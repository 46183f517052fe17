//! Putting a row's PDF in place: never over an input, and only with its number committed.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::error::{Error, Result};
use crate::form::schema::FormDef;
use crate::number::form::{self as number, RowNumber};
use crate::number::registry::{Registry, RegistryError};
use crate::output::atomic;
use crate::validate::form::{FormRecord, RowError};

/// Commits a held number for the row's staged PDF: `Some` refusal when the number was voided
/// since it was reserved (the PDF is then not delivered).
pub(super) fn commit_row(
    registry: Option<&Mutex<Registry>>,
    def: &FormDef,
    rec: &FormRecord,
    number: &RowNumber,
    path: &Path,
    pdf: &[u8],
) -> Result<Option<RowError>> {
    let (Some(reg), RowNumber::Held { key, number }) = (registry, number) else {
        return Ok(None);
    };
    let mut reg = reg
        .lock()
        .map_err(|_| Error::Registry("编号库连接在另一线程出错后不可用".into()))?;
    match number::commit(&mut reg, def, rec, key, &path.display().to_string(), pdf) {
        Ok(on_record) if on_record == *number => Ok(None),
        Ok(on_record) => Err(Error::Registry(format!(
            "编号库中“{}”的编号是“{on_record}”，与印在表单上的“{number}”不符，未输出",
            rec.key
        ))),
        Err(e @ RegistryError::Voided { .. }) => Ok(Some(RowError {
            row: rec.row,
            column: None,
            field: "编号".into(),
            value: number.clone(),
            code: "form.number.void".into(),
            message: format!("{e}；本行未输出"),
            hint: "重新运行即由编号库另发新号".into(),
        })),
        Err(e) => Err(Error::Registry(e.to_string())),
    }
}

/// A row's PDF may not replace the data file or an image the row names: the refusal, if so.
pub(super) fn refuse_inputs(
    path: &Path,
    data: &Path,
    rec: &FormRecord,
    base: &Path,
) -> Option<RowError> {
    let images: Vec<PathBuf> = rec
        .signatures
        .iter()
        .filter_map(|s| s.image.as_deref())
        .map(|i| base.join(i))
        .collect();
    let inputs = std::iter::once(data).chain(images.iter().map(PathBuf::as_path));
    atomic::refuse_inputs(path, inputs).err().map(|e| RowError {
        row: rec.row,
        column: None,
        field: String::new(),
        value: path.display().to_string(),
        code: "form.output.input".into(),
        message: e.to_string(),
        hint: "换一个输出目录（-o），或在表单定义的 file_name 中换一个文件名".into(),
    })
}
