//! Rows that are the same request: which one a number belongs to would depend on their order.

use std::collections::HashMap;

use crate::form::schema::FormDef;
use crate::validate::form::{self, FormRecord, RowError};

use super::FillOutcome;

/// Rows that are the same request by their key (the definition's key fields, or the 识别码
/// column) cannot each hold a number: which one the number belongs to would depend on their
/// order. Every row of such a group is refused, naming the others; a form without numbering
/// prints them and says so.
pub(super) fn refuse_duplicates(
    def: &FormDef,
    records: Vec<FormRecord>,
    outcome: &mut FillOutcome,
) -> Vec<FormRecord> {
    let mut groups: HashMap<&str, Vec<usize>> = HashMap::new();
    for r in &records {
        groups.entry(r.key.as_str()).or_default().push(r.row);
    }
    let dup: HashMap<usize, Vec<usize>> = groups
        .values()
        .filter(|rows| rows.len() > 1)
        .flat_map(|rows| rows.iter().map(move |r| (*r, rows.clone())))
        .collect();
    if dup.is_empty() {
        return records;
    }
    let fields = if records
        .first()
        .is_some_and(|r| r.key.starts_with(form::KEY_COLUMN))
    {
        form::KEY_COLUMN.to_owned()
    } else {
        form::key_fields(def).join("、")
    };
    if def.numbering.is_none() {
        let mut shown: Vec<Vec<usize>> = dup.values().cloned().collect();
        shown.sort();
        shown.dedup();
        for rows in shown {
            outcome.notices.push(format!(
                "第 {} 行是同一份申请（{fields}相同），各印一份；如为重复录入请删除",
                join_rows(&rows)
            ));
        }
        return records;
    }
    let mut kept = Vec::with_capacity(records.len());
    for r in records {
        match dup.get(&r.row) {
            None => kept.push(r),
            Some(rows) => {
                let others: Vec<usize> = rows.iter().copied().filter(|x| *x != r.row).collect();
                outcome.refused_rows += 1;
                outcome.errors.push(RowError {
                    row: r.row,
                    column: None,
                    field: fields.clone(),
                    value: r.key.clone(),
                    code: "form.key.duplicate".into(),
                    message: format!(
                        "与第 {} 行是同一份申请（{fields}相同），编号无法确定属于哪一行",
                        join_rows(&others)
                    ),
                    hint: format!(
                        "删除重复录入的行；确是不同的申请时，在“{}”列为每行填写不同的值",
                        form::KEY_COLUMN
                    ),
                });
            }
        }
    }
    kept
}

fn join_rows(rows: &[usize]) -> String {
    rows.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("、")
}
