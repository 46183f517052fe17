//! Families: a definition may `extends` a family (`forms/families/*.toml`: a 登记簿, a 审批单
//! with 经办/审核/审批 …) or another definition (a rulebook's variant of a form), so each form is a
//! short file. Resolution works on the TOML tables before they become [`FormDef`]s:
//!
//! - every key the child leaves out is inherited, except `id`, `title`, `source`;
//! - `fields`, `fields_after`, `computed`, `rules`, `signatures` merge by `label`/`code`/`role`: a
//!   child entry whose key is inherited overrides that entry's keys in place; a new entry follows
//!   the child's entry listed before it, or, when it comes first, ends its own list (fields
//!   between the parent's `fields` and its `fields_after`);
//! - other keys (lists included) given by the child replace the inherited value;
//! - `drop` removes inherited entries by key (and their `totals` column).
//!
//! A definition without `extends` is parsed from its own text, so TOML errors keep their line.

use std::collections::BTreeMap;

use toml::{Table, Value};

use crate::error::{Error, Result};
use crate::form::schema::FormDef;

/// Keyed lists and the key of their entries.
const KEYED: [(&str, &str); 5] = [
    ("fields", "label"),
    ("fields_after", "label"),
    ("computed", "label"),
    ("rules", "code"),
    ("signatures", "role"),
];

/// Keys a child never inherits.
const OWN: [&str; 5] = ["id", "title", "source", "extends", "drop"];

/// Deepest chain of `extends` (a form → its variant → a family → a base family is 3).
const MAX_DEPTH: usize = 8;

/// One definition or family file.
#[derive(Debug, Clone)]
struct Source {
    /// File name for messages.
    name: String,
    text: String,
    /// `None` when the text is not valid TOML (the parser then reports it with its line).
    table: Option<Table>,
}

/// A definition ready to deserialize.
#[derive(Debug)]
pub enum Resolved {
    /// No `extends`: the file's own text.
    Plain {
        /// File name.
        name: String,
        /// TOML text.
        text: String,
    },
    /// Merged with its parents.
    Merged {
        /// File name.
        name: String,
        /// The merged table.
        table: Table,
    },
}

/// Every family and definition of a catalogue, before resolution.
#[derive(Debug, Default)]
pub struct Sources {
    families: BTreeMap<String, Source>,
    forms: BTreeMap<String, Source>,
}

fn id_of(name: &str, table: Option<&Table>) -> String {
    table
        .and_then(|t| t.get("id"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| name.to_owned())
}

fn source(name: &str, text: &str) -> Source {
    Source {
        name: name.to_owned(),
        text: text.to_owned(),
        table: toml::from_str::<Table>(text).ok(),
    }
}

fn err(file: &str, message: String) -> Error {
    Error::Definition {
        file: file.to_owned(),
        message,
    }
}

impl Sources {
    /// Adds a family file; a family must be valid TOML with an `id` and a `title`.
    pub fn add_family(&mut self, name: &str, text: &str) -> Result<()> {
        let s = source(name, text);
        let Some(t) = &s.table else {
            let e = toml::from_str::<Table>(text).err();
            return Err(err(name, e.map(|e| e.to_string()).unwrap_or_default()));
        };
        if !t.get("title").is_some_and(Value::is_str) {
            return Err(err(name, "族缺少 title（族的名称，如“登记簿”）".into()));
        }
        let id = id_of(name, Some(t));
        self.families.insert(id, s);
        Ok(())
    }

    /// Adds a definition; a later one with the same `id` replaces the earlier (user files
    /// override built-ins).
    pub fn add_form(&mut self, name: &str, text: &str) {
        let s = source(name, text);
        let id = id_of(name, s.table.as_ref());
        self.forms.insert(id, s);
    }

    /// Family ids and titles.
    pub fn family_titles(&self) -> BTreeMap<String, String> {
        self.families
            .iter()
            .map(|(id, s)| {
                let title = s
                    .table
                    .as_ref()
                    .and_then(|t| t.get("title"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                (id.clone(), title.to_owned())
            })
            .collect()
    }

    /// Every definition, resolved, by id.
    pub fn resolve(&self) -> Result<Vec<Resolved>> {
        let mut out = Vec::new();
        for s in self.forms.values() {
            match &s.table {
                Some(t) if t.contains_key("extends") => out.push(Resolved::Merged {
                    name: s.name.clone(),
                    table: self.resolve_table(&s.name, t, &mut Vec::new())?,
                }),
                _ => out.push(Resolved::Plain {
                    name: s.name.clone(),
                    text: s.text.clone(),
                }),
            }
        }
        Ok(out)
    }

    fn parent(&self, file: &str, id: &str) -> Result<&Source> {
        match (self.families.get(id), self.forms.get(id)) {
            (Some(_), Some(_)) => Err(err(
                file,
                format!("extends 的“{id}”既是族又是表单，无法确定继承哪一个，请改名"),
            )),
            (Some(s), None) | (None, Some(s)) => Ok(s),
            (None, None) => Err(err(
                file,
                format!(
                    "extends 的“{id}”既不是族（families/{id}.toml）也不是表单；可用的族：{}",
                    self.families.keys().cloned().collect::<Vec<_>>().join("、")
                ),
            )),
        }
    }

    /// `table` with its ancestors merged in; `stack` holds the ids being resolved (cycles).
    fn resolve_table(&self, file: &str, table: &Table, stack: &mut Vec<String>) -> Result<Table> {
        let Some(parent_id) = table.get("extends") else {
            return Ok(table.clone());
        };
        let Some(parent_id) = parent_id.as_str() else {
            return Err(err(file, "extends 应为族或表单的 id（文字）".into()));
        };
        if stack.iter().any(|s| s == parent_id) || stack.len() >= MAX_DEPTH {
            stack.push(parent_id.to_owned());
            return Err(err(
                file,
                format!("extends 形成循环或层次过深：{}", stack.join(" → ")),
            ));
        }
        let parent = self.parent(file, parent_id)?;
        let Some(parent_table) = &parent.table else {
            return Err(err(
                file,
                format!("extends 的“{parent_id}”（{}）不是合法的 TOML", parent.name),
            ));
        };
        stack.push(parent_id.to_owned());
        let base = self.resolve_table(&parent.name, parent_table, stack)?;
        stack.pop();
        merge(file, base, table)
    }
}

fn key_of<'a>(entry: &'a Value, key: &str) -> Option<&'a str> {
    entry.as_table()?.get(key)?.as_str()
}

/// Overrides `base`'s keys with `over`'s (one list entry).
fn override_entry(base: &mut Value, over: &Value) {
    if let (Some(b), Some(o)) = (base.as_table_mut(), over.as_table()) {
        for (k, v) in o {
            b.insert(k.clone(), v.clone());
        }
    }
}

fn list(table: &Table, key: &str) -> Vec<Value> {
    table
        .get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The child's table merged onto its resolved parent.
fn merge(file: &str, parent: Table, child: &Table) -> Result<Table> {
    let mut out: Table = parent
        .into_iter()
        .filter(|(k, _)| !OWN.contains(&k.as_str()))
        .collect();
    // Dropped entries go before the child's own are merged: a child may drop an inherited entry
    // and declare a new one under the same key.
    let drops: Vec<String> = list(child, "drop")
        .iter()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    for d in &drops {
        let mut found = false;
        for (k, key) in KEYED {
            let mut items = list(&out, k);
            let before = items.len();
            items.retain(|x| key_of(x, key) != Some(d.as_str()));
            if items.len() != before {
                found = true;
                out.insert(k.to_owned(), Value::Array(items));
            }
        }
        if !found {
            return Err(err(
                file,
                format!("drop 中的“{d}”不是继承来的字段、计算字段、规则或签字栏"),
            ));
        }
        let mut totals = list(&out, "totals");
        totals.retain(|x| x.as_str() != Some(d.as_str()));
        if out.contains_key("totals") {
            out.insert("totals".into(), Value::Array(totals));
        }
    }
    for (k, v) in child {
        if let Some(&(_, key)) = KEYED.iter().find(|(l, _)| l == k) {
            let Some(entries) = v.as_array() else {
                return Err(err(file, format!("{k} 应为列表")));
            };
            // Fields may override an entry of either field list; new ones join their own list.
            let home: &[&str] = match k.as_str() {
                "fields" | "fields_after" => &["fields", "fields_after"],
                other => &[other][..],
            };
            // A new entry follows the child's entry before it (so a child can slot an approver
            // between inherited ones); the first new one goes to the end of its own list.
            let mut prev: Option<(&str, String)> = None;
            for e in entries {
                let Some(name) = key_of(e, key) else {
                    return Err(err(file, format!("{k} 中有一项缺少 {key}")));
                };
                let mut done = false;
                for h in home {
                    let mut items = list(&out, h);
                    if let Some(slot) = items.iter_mut().find(|x| key_of(x, key) == Some(name)) {
                        override_entry(slot, e);
                        out.insert((*h).to_owned(), Value::Array(items));
                        prev = Some((h, name.to_owned()));
                        done = true;
                        break;
                    }
                }
                if !done {
                    let (target, at) = match &prev {
                        Some((h, p)) => {
                            let items = list(&out, h);
                            let i = items.iter().position(|x| key_of(x, key) == Some(p));
                            (*h, i.map(|i| i + 1))
                        }
                        None => (k.as_str(), None),
                    };
                    let mut items = list(&out, target);
                    let at = at.unwrap_or(items.len());
                    items.insert(at, e.clone());
                    out.insert(target.to_owned(), Value::Array(items));
                    prev = Some((target, name.to_owned()));
                }
            }
        } else {
            out.insert(k.clone(), v.clone());
        }
    }
    Ok(out)
}

/// Deserializes a merged definition.
pub fn from_table(name: &str, table: Table) -> Result<FormDef> {
    Value::Table(table)
        .try_into::<FormDef>()
        .map_err(|e| err(name, e.to_string()))
}

/// Puts `fields_after` at the end of `fields` once a definition is complete.
pub fn finish(def: &mut FormDef) {
    let mut after = std::mem::take(&mut def.fields_after);
    def.fields.append(&mut after);
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOOK: &str = r#"
id = "book"
title = "登记簿"
kind = "register"
orientation = "landscape"
notes = ["注：登记簿由办公室保管。"]
[[fields]]
label = "登记日期"
type = "date"
required = true
[[fields_after]]
label = "备注"
type = "text"
"#;

    fn sources(forms: &[(&str, &str)]) -> Sources {
        let mut s = Sources::default();
        s.add_family("book.toml", BOOK).expect("family");
        for (n, t) in forms {
            s.add_form(n, t);
        }
        s
    }

    fn resolved(s: &Sources) -> Vec<FormDef> {
        s.resolve()
            .expect("resolve")
            .into_iter()
            .map(|r| match r {
                Resolved::Merged { name, table } => {
                    let mut d = from_table(&name, table).expect("def");
                    finish(&mut d);
                    d
                }
                Resolved::Plain { name, text } => {
                    panic!("{name} not merged: {text}")
                }
            })
            .collect()
    }

    #[test]
    fn a_register_takes_the_family_layout_and_places_its_columns_before_the_tail() {
        let s = sources(&[(
            "a.toml",
            r#"
id = "a"
title = "票据登记簿"
extends = "book"
[[fields]]
label = "票据号码"
type = "text"
[[fields]]
label = "备注"
type = "multiline"
"#,
        )]);
        let d = &resolved(&s)[0];
        let labels: Vec<&str> = d.fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["登记日期", "票据号码", "备注"]);
        assert_eq!(d.title, "票据登记簿");
        assert_eq!(d.kind, crate::form::schema::FormKind::Register);
        assert_eq!(
            d.fields[2].ty,
            crate::form::schema::FieldType::Multiline,
            "the child overrides the inherited 备注 in place"
        );
        assert_eq!(d.notes, ["注：登记簿由办公室保管。"]);
        assert_eq!(d.extends.as_deref(), Some("book"));
    }

    #[test]
    fn a_variant_extends_a_form_and_drops_what_its_rulebook_does_not_have() {
        let s = sources(&[
            (
                "base.toml",
                r#"
id = "base"
title = "请假单"
[[fields]]
label = "天数"
type = "integer"
[[fields]]
label = "证明"
type = "checkbox"
[[rules]]
code = "proof"
message = "须有证明"
check = [{ field = "证明", op = "==", value = "是" }]
[[signatures]]
role = "局长"
required = true
"#,
            ),
            (
                "v.toml",
                r#"
id = "v"
title = "假条"
extends = "base"
drop = ["证明", "proof"]
[[signatures]]
role = "局长"
required = false
when_any = [[{ field = "天数", op = ">", value = 3 }]]
"#,
            ),
        ]);
        let r = s.resolve().expect("resolve");
        let Resolved::Merged { name, table } = &r[1] else {
            panic!("v merged")
        };
        let d = from_table(name, table.clone()).expect("def");
        assert_eq!(d.fields.len(), 1);
        assert!(d.rules.is_empty());
        assert!(!d.signatures[0].required && d.signatures[0].when_any.len() == 1);
    }

    #[test]
    fn a_new_approver_lands_after_the_one_the_child_lists_before_it() {
        let s = sources(&[
            (
                "base.toml",
                "id = \"base\"\ntitle = \"单\"\n[[fields]]\nlabel = \"金额\"\ntype = \"money\"\n\
                 [[signatures]]\nrole = \"经办人\"\n[[signatures]]\nrole = \"分管领导\"",
            ),
            (
                "v.toml",
                "id = \"v\"\ntitle = \"借款单\"\nextends = \"base\"\n\
                 [[signatures]]\nrole = \"经办人\"\n[[signatures]]\nrole = \"办公室主任\"\n\
                 [[signatures]]\nrole = \"分管领导\"\n[[signatures]]\nrole = \"局长\"",
            ),
        ]);
        let r = s.resolve().expect("resolve");
        let Resolved::Merged { name, table } = &r[1] else {
            panic!("v merged")
        };
        let d = from_table(name, table.clone()).expect("def");
        let roles: Vec<&str> = d.signatures.iter().map(|s| s.role.as_str()).collect();
        assert_eq!(roles, ["经办人", "办公室主任", "分管领导", "局长"]);
    }

    #[test]
    fn a_dropped_entry_can_be_declared_anew_under_the_same_key() {
        let s = sources(&[(
            "n.toml",
            "id = \"n\"\ntitle = \"N\"\nextends = \"book\"\ndrop = [\"备注\"]\n\
             [[fields]]\nlabel = \"事由\"\ntype = \"text\"\n\
             [[fields]]\nlabel = \"备注\"\ntype = \"multiline\"",
        )]);
        let d = &resolved(&s)[0];
        let labels: Vec<&str> = d.fields.iter().map(|f| f.label.as_str()).collect();
        assert_eq!(labels, ["登记日期", "事由", "备注"]);
        assert_eq!(d.fields[2].ty, crate::form::schema::FieldType::Multiline);
        assert!(
            d.fields[2].aliases.is_empty(),
            "nothing of the dropped entry is kept"
        );
    }

    #[test]
    fn unknown_parents_cycles_and_stray_drops_are_load_errors_naming_the_file() {
        let msg =
            |forms: &[(&str, &str)]| sources(forms).resolve().expect_err("refused").to_string();
        let m = msg(&[("x.toml", "id = \"x\"\ntitle = \"X\"\nextends = \"nope\"")]);
        assert!(
            m.contains("x.toml") && m.contains("nope") && m.contains("book"),
            "{m}"
        );
        let m = msg(&[
            ("p.toml", "id = \"p\"\ntitle = \"P\"\nextends = \"q\""),
            ("q.toml", "id = \"q\"\ntitle = \"Q\"\nextends = \"p\""),
        ]);
        assert!(m.contains("循环"), "{m}");
        let m = msg(&[(
            "d.toml",
            "id = \"d\"\ntitle = \"D\"\nextends = \"book\"\ndrop = [\"金额\"]",
        )]);
        assert!(m.contains("d.toml") && m.contains("金额"), "{m}");
    }

    #[test]
    fn a_definition_without_extends_keeps_its_own_text() {
        let s = sources(&[(
            "p.toml",
            "id = \"p\"\ntitle = \"P\"\n[[fields]]\nlabel = \"甲\"\ntype = \"text\"",
        )]);
        assert!(matches!(
            &s.resolve().expect("ok")[0],
            Resolved::Plain { .. }
        ));
    }
}
