//! The catalogue in words: `wenshu forms` (grouped by category, with the rulebooks each form
//! comes from) and `wenshu forms show ID` (fields with their limits, every rule and approval step
//! with its threshold read out and where it comes from).

use std::fmt::Write;

use crate::form::category::{Category, seeds};
use crate::form::load::Catalog;
use crate::form::schema::{Condition, FieldDef, FieldType, FormDef, FormKind, Op};
use crate::model::value;
use crate::output::sheet_template;

fn op_words(op: Op) -> &'static str {
    match op {
        Op::Gt => "超过（不含本数）",
        Op::Ge => "达到或超过（含本数，“以上”）",
        Op::Lt => "不满（不含本数）",
        Op::Le => "不超过（含本数，“以下”）",
        Op::Eq => "等于",
        Op::Ne => "不等于",
        Op::In => "属于",
        Op::NotIn => "不属于",
        Op::Present => "已填写",
        Op::Absent => "未填写",
    }
}

/// Whether `label` is a date-like field of `def` (its comparisons read 早于/晚于).
fn is_date(def: &FormDef, label: &str) -> bool {
    def.field(label).is_some_and(|f| {
        matches!(
            f.ty,
            FieldType::Date | FieldType::DateRange | FieldType::Datetime | FieldType::Time
        )
    })
}

/// A condition in words, dates as 早于/晚于: `填表日期早于“民主生活会日期”`.
fn words_in(def: &FormDef, c: &Condition) -> String {
    if is_date(def, &c.field) {
        let w = match c.op {
            Op::Lt => Some("早于"),
            Op::Le => Some("不晚于"),
            Op::Gt => Some("晚于"),
            Op::Ge => Some("不早于"),
            _ => None,
        };
        if let Some(w) = w {
            let mut s = condition_words(c);
            let cut = c.field.len() + op_words(c.op).len();
            s.replace_range(c.field.len()..cut, w);
            return s;
        }
    }
    condition_words(c)
}

/// A condition in words: `请假天数超过（不含本数）1`.
pub fn condition_words(c: &Condition) -> String {
    let rhs = match (&c.other, &c.value) {
        (Some(o), _) => format!("“{o}”"),
        (None, Some(serde_json::Value::Array(items))) => items
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| x.to_string())
            })
            .collect::<Vec<_>>()
            .join("、"),
        (None, Some(v)) => v
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| v.to_string()),
        _ => String::new(),
    };
    format!("{}{}{rhs}", c.field, op_words(c.op))
}

fn all_of(def: &FormDef, cs: &[Condition]) -> String {
    cs.iter()
        .map(|c| words_in(def, c))
        .collect::<Vec<_>>()
        .join("且")
}

fn kind_words(def: &FormDef) -> String {
    match def.kind {
        FormKind::Form => "表单（每行数据一份）".into(),
        FormKind::Register if def.totals.is_empty() => "登记簿（全部行一张表）".into(),
        FormKind::Register => format!(
            "登记簿（全部行一张表，每页合计并累计：{}）",
            def.totals.join("、")
        ),
    }
}

fn number(n: f64) -> String {
    value::format_number(n)
}

/// The limits of a field in words (range, step, length, pattern, conditional requiredness).
fn limits(def: &FormDef, f: &FieldDef) -> String {
    let mut parts = Vec::new();
    match (f.min, f.max) {
        (Some(a), Some(b)) => parts.push(format!("范围 {}–{}", number(a), number(b))),
        (Some(a), None) => parts.push(format!("不小于 {}", number(a))),
        (None, Some(b)) => parts.push(format!("不大于 {}", number(b))),
        (None, None) => {}
    }
    if let Some(s) = f.step {
        parts.push(format!("以 {} 为单位", number(s)));
    }
    if let Some(n) = f.max_len {
        parts.push(format!("至多 {n} 字"));
    }
    if let Some(h) = &f.pattern_hint {
        parts.push(h.clone());
    }
    if !f.columns.is_empty() {
        parts.push(format!("各行：{}", f.columns.join("、")));
    }
    if let Some(n) = f.max_rows {
        parts.push(format!("至多 {n} 行"));
    }
    if !f.options.is_empty() {
        parts.push(format!("可选：{}", f.options.join("、")));
    }
    if !f.required_when.is_empty() {
        parts.push(format!("当{}时必填", all_of(def, &f.required_when)));
    }
    parts.join("；")
}

/// `forms show`: the definition, its origin, its fields and every rule with its source.
pub fn explain(def: &FormDef, catalog: &Catalog) -> String {
    let mut s = format!("{}（{}）\n", def.title, def.id);
    let seeds = seeds(&def.source);
    let _ = writeln!(
        s,
        "类别：{}　种类：{}　规章：{}",
        def.category.map_or("未分类", Category::name),
        kind_words(def),
        if seeds.is_empty() {
            "（未注明）".to_owned()
        } else {
            seeds
                .iter()
                .map(|x| format!("seed {x}"))
                .collect::<Vec<_>>()
                .join("、")
        }
    );
    if let Some(p) = &def.extends {
        match catalog.family_title(p) {
            Some(t) => {
                let _ = writeln!(s, "族：{t}（{p}）");
            }
            None => {
                let t = catalog.get(p).map_or(p.as_str(), |f| f.title.as_str());
                let _ = writeln!(s, "变体：以“{t}”（{p}）为基础，按本规章改写");
            }
        }
    }
    if !def.source.is_empty() {
        let _ = writeln!(s, "来源：{}", def.source);
    }
    if let Some(n) = &def.numbering {
        let _ = writeln!(s, "编号：{n}");
    }
    s.push_str("字段：\n");
    for f in &def.fields {
        let _ = write!(
            s,
            "  {}{}\t{}",
            f.label,
            if f.required { "*" } else { "" },
            sheet_template::type_name(f.ty)
        );
        let l = limits(def, f);
        if !l.is_empty() {
            let _ = write!(s, " {l}");
        }
        s.push('\n');
    }
    for c in &def.computed {
        let from: Vec<String> = if c.factors.is_empty() {
            c.from.clone()
        } else {
            c.from
                .iter()
                .zip(&c.factors)
                .map(|(f, k)| format!("{f}×{}", number(*k)))
                .collect()
        };
        let _ = writeln!(
            s,
            "  {}\t自动计算（{:?}：{}）",
            c.label,
            c.kind,
            from.join("、")
        );
    }
    if !def.rules.is_empty() {
        s.push_str("规则与阈值：\n");
        for r in &def.rules {
            let _ = writeln!(s, "  [form.{}.{}] {}", def.id, r.code, r.message);
            if !r.when.is_empty() {
                let _ = writeln!(s, "      适用：{}", all_of(def, &r.when));
            }
            let _ = writeln!(s, "      要求：{}", all_of(def, &r.check));
            if let Some(src) = &r.source {
                let _ = writeln!(s, "      依据：{src}");
            }
        }
    }
    if !def.signatures.is_empty() {
        s.push_str("审批链：\n");
        for sig in &def.signatures {
            let when = if sig.required {
                "必须".to_owned()
            } else if sig.when_any.is_empty() {
                "不需要".to_owned()
            } else {
                format!(
                    "当{}",
                    sig.when_any
                        .iter()
                        .map(|g| all_of(def, g))
                        .collect::<Vec<_>>()
                        .join("，或")
                )
            };
            let _ = write!(s, "  {}：{when}", sig.label());
            if let Some(r) = &sig.rule {
                let _ = write!(s, "（{r}）");
            }
            s.push('\n');
            if let Some(src) = &sig.source {
                let _ = writeln!(s, "      依据：{src}");
            }
        }
    }
    s
}

/// `wenshu forms`: one group per category (then 未分类), one line per form:
/// id, title, 表单 or 登记簿 and the rulebooks, separated by tabs.
pub fn listing(catalog: &Catalog) -> String {
    let mut s = String::new();
    let groups: Vec<Option<Category>> = Category::ALL
        .iter()
        .copied()
        .map(Some)
        .chain(std::iter::once(None))
        .collect();
    let mut total = 0;
    for g in groups {
        let defs: Vec<&FormDef> = catalog.iter().filter(|f| f.category == g).collect();
        if defs.is_empty() {
            continue;
        }
        let _ = writeln!(
            s,
            "【{}】{} 种",
            g.map_or("未分类", Category::name),
            defs.len()
        );
        for f in defs {
            total += 1;
            let seeds = seeds(&f.source)
                .iter()
                .map(|x| format!("seed {x}"))
                .collect::<Vec<_>>()
                .join("、");
            let _ = writeln!(
                s,
                "{}\t{}\t{}\t{}",
                f.id,
                f.title,
                if f.kind == FormKind::Register {
                    "登记簿"
                } else {
                    "表单"
                },
                if seeds.is_empty() {
                    "自定义"
                } else {
                    &seeds
                }
            );
        }
    }
    let _ = writeln!(s, "共 {total} 种");
    s
}
