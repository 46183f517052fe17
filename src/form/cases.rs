//! Test cases that live beside each form's sample (`samples/forms/cases/<id>.toml`): a base row
//! and variations, each expecting a set of signature boxes (the approval chain) or an error code.
//! `wenshu forms verify` and the test suite run them, so every threshold boundary is exercised.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::form::schema::FormDef;
use crate::ingest::table::{SheetRow, Table};
use crate::model::value::Cell;
use crate::validate::form::{self, FormCheck};

/// A case file.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFile {
    /// A valid row; each case changes some cells.
    pub base: BTreeMap<String, toml::Value>,
    /// The cases.
    #[serde(default)]
    pub cases: Vec<Case>,
}

/// One case.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// What it shows, e.g. `请假1天：只需股室`.
    pub name: String,
    /// Cells to set (an empty string clears a cell).
    #[serde(default)]
    pub set: BTreeMap<String, toml::Value>,
    /// The exact list of signature roles the row must require, in order.
    #[serde(default)]
    pub expect_signatures: Option<Vec<String>>,
    /// An error code the row must be refused with.
    #[serde(default)]
    pub expect_error: Option<String>,
    /// Validate with `--require-signatures`.
    #[serde(default)]
    pub require_signatures: bool,
}

fn cell(v: &toml::Value) -> Cell {
    match v {
        toml::Value::String(s) if s.is_empty() => Cell::Empty,
        toml::Value::String(s) => Cell::Text(s.clone()),
        toml::Value::Integer(i) => Cell::Number(*i as f64),
        toml::Value::Float(f) => Cell::Number(*f),
        toml::Value::Boolean(b) => Cell::Bool(*b),
        other => Cell::Text(other.to_string()),
    }
}

/// Runs every case; returns one line per failure (empty when all pass).
pub fn run(def: &FormDef, text: &str) -> Vec<String> {
    let file: CaseFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => return vec![format!("用例文件无法解析：{e}")],
    };
    let mut failures = Vec::new();
    let base_case = Case {
        name: "基准行".into(),
        set: BTreeMap::new(),
        expect_signatures: None,
        expect_error: None,
        require_signatures: false,
    };
    for case in std::iter::once(&base_case).chain(&file.cases) {
        let mut row = file.base.clone();
        for (k, v) in &case.set {
            row.insert(k.clone(), v.clone());
        }
        let headers: Vec<String> = row.keys().cloned().collect();
        let table = Table {
            sheet: "cases".into(),
            headers: headers.clone(),
            header_row: 1,
            rows: vec![SheetRow {
                number: 2,
                cells: row.values().map(cell).collect(),
            }],
            encoding: None,
        };
        let map = form::map_columns(def, &table);
        if !map.unknown.is_empty() {
            failures.push(format!("{}：未知列 {}", case.name, map.unknown.join("、")));
            continue;
        }
        let result = form::validate_row(
            def,
            &map,
            &table.rows[0],
            FormCheck {
                require_signatures: case.require_signatures,
            },
        );
        match (&result, &case.expect_error) {
            (Ok(rec), None) => {
                if let Some(want) = &case.expect_signatures {
                    let got: Vec<String> = rec.signatures.iter().map(|s| s.role.clone()).collect();
                    if &got != want {
                        failures.push(format!("{}：审批链应为 {want:?}，实为 {got:?}", case.name));
                    }
                }
            }
            (Ok(_), Some(code)) => {
                failures.push(format!("{}：应以 {code} 拒绝，却通过了", case.name))
            }
            (Err(errs), None) => failures.push(format!(
                "{}：不应拒绝，却有 {}",
                case.name,
                errs.iter()
                    .map(|e| format!("{}（{}：{}）", e.code, e.field, e.message))
                    .collect::<Vec<_>>()
                    .join("；")
            )),
            (Err(errs), Some(code)) => {
                if !errs.iter().any(|e| &e.code == code) {
                    failures.push(format!(
                        "{}：应有 {code}，实为 {}",
                        case.name,
                        errs.iter()
                            .map(|e| e.code.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    ));
                }
            }
        }
    }
    failures
}

/// Checks a form against its sample spreadsheet and case file.
pub fn verify(def: &FormDef, samples: &std::path::Path) -> Vec<String> {
    let mut out = Vec::new();
    let sheet = samples.join(format!("{}.xlsx", def.id));
    match crate::fill::read_table(def, &sheet, None) {
        Err(e) => out.push(format!("样例表格：{e}")),
        Ok((table, map)) => {
            if !map.unknown.is_empty() {
                out.push(format!("样例表格有未知列：{}", map.unknown.join("、")));
            }
            if table.rows.len() < 3 {
                out.push(format!(
                    "样例表格只有 {} 行，至少应有 3 行",
                    table.rows.len()
                ));
            }
            for row in &table.rows {
                if let Err(errs) = crate::validate::form::validate_row(
                    def,
                    &map,
                    row,
                    crate::validate::form::FormCheck::default(),
                ) {
                    for e in errs {
                        out.push(format!(
                            "样例第 {} 行：{}（{}）{}",
                            e.row, e.code, e.field, e.message
                        ));
                    }
                }
            }
        }
    }
    let cases = samples.join("cases").join(format!("{}.toml", def.id));
    match std::fs::read_to_string(&cases) {
        Err(_) => out.push(format!("缺少用例文件 {}", cases.display())),
        Ok(text) => out.extend(crate::form::cases::run(def, &text)),
    }
    out
}
