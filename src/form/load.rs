//! Loads the built-in definitions (embedded from `forms/`) and a user folder, and checks each
//! one when it is loaded: a malformed definition is an error naming the file and the problem.
//!
//! A broken built-in definition is a build error (the test suite loads them all). A broken file in
//! the user's folder is set aside with its error: the other forms keep working, the CLI reports
//! it, and asking for that form gives its error rather than "no such form".

use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};
use crate::form::family;
use crate::form::schema::{ComputeKind, Condition, FieldType, FormDef, FormKind, GroupKind, Op};

include!(concat!(env!("OUT_DIR"), "/builtin_forms.rs"));

/// A user definition file that could not be used.
#[derive(Debug)]
pub struct Broken {
    /// The file.
    pub path: std::path::PathBuf,
    /// The id it was meant to define (its file name).
    pub id: String,
    /// What is wrong.
    pub error: Error,
}

/// All definitions by id.
#[derive(Debug, Default)]
pub struct Catalog {
    forms: BTreeMap<String, FormDef>,
    broken: Vec<Broken>,
    user: std::collections::BTreeSet<String>,
    /// Family ids and titles (`forms show` names the family a definition extends).
    families: BTreeMap<String, String>,
}

/// `*.toml` files of a folder, sorted, with their text (none when the folder does not exist).
fn toml_files(dir: &Path, must_exist: bool) -> Result<Vec<(String, String)>> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(_) if !must_exist && !dir.exists() => return Ok(Vec::new()),
        Err(source) => {
            return Err(Error::Io {
                path: dir.to_owned(),
                source,
            });
        }
    };
    let mut paths: Vec<_> = rd
        .filter_map(std::result::Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|source| Error::Io {
                path: p.clone(),
                source,
            })?;
            Ok((p.display().to_string(), text))
        })
        .collect()
}

impl Catalog {
    /// The built-in forms and families, plus `*.toml` in `dir` (which override built-ins of the
    /// same id) and `dir/families/`. Definitions are resolved against their families first. A
    /// file of `dir` that fails to load is kept in [`Catalog::broken`] (and its id is then not
    /// served by the built-in of the same id); an unreadable `dir` is an error.
    pub fn load(dir: Option<&Path>) -> Result<Self> {
        let mut sources = family::Sources::default();
        for (name, text) in BUILTIN_FAMILIES {
            sources.add_family(name, text)?;
        }
        for (name, text) in BUILTIN_FORMS {
            sources.add_form(name, text);
        }
        let mut user_files = std::collections::BTreeSet::new();
        if let Some(dir) = dir {
            for (name, text) in toml_files(&dir.join("families"), false)? {
                sources.add_family(&name, &text)?;
            }
        }
        let mut forms = BTreeMap::new();
        let mut broken = Vec::new();
        if let Some(dir) = dir {
            for (name, text) in toml_files(dir, true)? {
                // A file whose id is not its name would override another form by that id:
                // set it aside before resolution.
                let stem = file_stem(&name);
                let id = toml::from_str::<toml::Table>(&text)
                    .ok()
                    .and_then(|t| t.get("id").and_then(|v| v.as_str()).map(str::to_owned));
                if let Some(id) = id.filter(|id| *id != stem) {
                    broken.push(Broken {
                        path: name.clone().into(),
                        id: stem.clone(),
                        error: id_mismatch(&name, &id, &stem),
                    });
                    continue;
                }
                user_files.insert(name.clone());
                sources.add_form(&name, &text);
            }
        }
        let mut user = std::collections::BTreeSet::new();
        for r in sources.resolve()? {
            let (name, loaded) = match r {
                family::Resolved::Plain { name, text } => {
                    let loaded = parse_file(&name, &text);
                    (name, loaded)
                }
                family::Resolved::Merged { name, table } => {
                    let loaded = family::from_table(&name, table)
                        .and_then(|def| checked(&name, def))
                        .and_then(|def| id_matches_file(&name, def));
                    (name, loaded)
                }
            };
            let is_user = user_files.contains(&name);
            match loaded {
                Ok(def) => {
                    if is_user {
                        user.insert(def.id.clone());
                    }
                    forms.insert(def.id.clone(), def);
                }
                Err(error) if is_user => {
                    let id = file_stem(&name);
                    broken.push(Broken {
                        path: name.clone().into(),
                        id,
                        error,
                    });
                }
                Err(error) => return Err(error),
            }
        }
        // A broken override must not silently fall back to the built-in form.
        for b in &broken {
            if !user.contains(&b.id) {
                forms.remove(&b.id);
            }
        }
        Ok(Self {
            forms,
            broken,
            user,
            families: sources.family_titles(),
        })
    }

    /// Whether `id` comes from the user's folder (not the built-in definitions).
    pub fn is_user(&self, id: &str) -> bool {
        self.user.contains(id)
    }

    /// The user files that could not be loaded.
    pub fn broken(&self) -> &[Broken] {
        &self.broken
    }

    /// A definition by id or title; for a form whose file is broken, that file's error.
    pub fn require(&self, key: &str) -> Result<&FormDef> {
        if let Some(def) = self.get(key) {
            return Ok(def);
        }
        if let Some(b) = self.broken.iter().find(|b| b.id == key) {
            return Err(Error::Definition {
                file: b.path.display().to_string(),
                message: format!("表单“{key}”的定义无法使用：{}", b.error),
            });
        }
        Err(Error::Definition {
            file: key.to_owned(),
            message: "没有这个表单，运行 wenshu forms 查看全部".into(),
        })
    }

    /// A definition by id or by title.
    pub fn get(&self, key: &str) -> Option<&FormDef> {
        self.forms
            .get(key)
            .or_else(|| self.forms.values().find(|f| f.title == key))
    }

    /// All definitions, by id.
    pub fn iter(&self) -> impl Iterator<Item = &FormDef> {
        self.forms.values()
    }

    /// The title of a family (`None` when `id` is a definition or unknown).
    pub fn family_title(&self, id: &str) -> Option<&str> {
        self.families.get(id).map(String::as_str)
    }
}

/// Parses and checks the definition file `name` (a path or file name): its `id` must be its file
/// name, so `--forms` never defines a form under a name nobody looks for.
pub fn parse_file(name: &str, text: &str) -> Result<FormDef> {
    id_matches_file(name, parse(name, text)?)
}

/// A definition's `id` must be its file name.
fn id_matches_file(name: &str, def: FormDef) -> Result<FormDef> {
    let stem = file_stem(name);
    if def.id != stem {
        return Err(id_mismatch(name, &def.id, &stem));
    }
    Ok(def)
}

fn file_stem(name: &str) -> String {
    Path::new(name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn id_mismatch(name: &str, id: &str, stem: &str) -> Error {
    Error::Definition {
        file: name.to_owned(),
        message: format!(
            "id “{id}” 与文件名“{stem}”不一致（文件应命名为 {id}.toml，或把 id 改为 “{stem}”）"
        ),
    }
}

/// Parses and checks one definition; `name` is used in messages.
pub fn parse(name: &str, text: &str) -> Result<FormDef> {
    let def: FormDef = toml::from_str(text).map_err(|e| Error::Definition {
        file: name.to_owned(),
        message: e.to_string(),
    })?;
    checked(name, def)
}

/// A complete definition (`fields_after` in place) if it passes [`check`].
fn checked(name: &str, mut def: FormDef) -> Result<FormDef> {
    family::finish(&mut def);
    let problems = check(&def);
    if problems.is_empty() {
        Ok(def)
    } else {
        Err(Error::Definition {
            file: name.to_owned(),
            message: problems.join("；"),
        })
    }
}

/// Every problem of a definition.
pub fn check(def: &FormDef) -> Vec<String> {
    let mut out = Vec::new();
    if def.id.is_empty()
        || !def
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        out.push(format!("id “{}” 只能由英文字母、数字、下划线组成", def.id));
    }
    if def.fields.is_empty() {
        out.push("没有任何字段".into());
    }
    let mut labels: Vec<&str> = Vec::new();
    for f in &def.fields {
        if labels.contains(&f.label.as_str()) {
            out.push(format!("字段“{}”重复", f.label));
        }
        labels.push(&f.label);
        if f.ty == FieldType::Table && f.columns.is_empty() {
            out.push(format!("表格字段“{}”没有 columns", f.label));
        }
        if f.ty == FieldType::Enum && f.options.is_empty() {
            out.push(format!("枚举字段“{}”没有 options", f.label));
        }
        if let (Some(a), Some(b)) = (f.min, f.max)
            && a > b
        {
            out.push(format!("字段“{}”的 min 大于 max", f.label));
        }
        if let Some(p) = &f.pattern
            && regex::Regex::new(p).is_err()
        {
            out.push(format!("字段“{}”的 pattern 不是合法的正则表达式", f.label));
        }
        for c in &f.required_when {
            condition(
                def,
                c,
                &format!("字段“{}”的 required_when", f.label),
                &mut out,
            );
        }
        if f.unit.is_some() && !matches!(f.ty, FieldType::Integer | FieldType::Decimal) {
            out.push(format!(
                "字段“{}”的 unit 只用于 integer、decimal（金额的单位总是元）",
                f.label
            ));
        }
        if f.decimals.is_some_and(|d| d > 6) || (f.decimals.is_some() && f.ty != FieldType::Decimal)
        {
            out.push(format!(
                "字段“{}”的 decimals 只用于 decimal，且不超过 6",
                f.label
            ));
        }
    }
    groups(def, &mut out);
    for c in &def.computed {
        if labels.contains(&c.label.as_str()) {
            out.push(format!("计算字段“{}”与输入字段重名", c.label));
        }
        if !c.factors.is_empty() && (c.kind != ComputeKind::Sum || c.factors.len() != c.from.len())
        {
            out.push(format!(
                "计算字段“{}”的 factors 只用于 sum，且个数须与 from 相同",
                c.label
            ));
        }
        if matches!(c.kind, ComputeKind::Interval | ComputeKind::Hours) && c.from.len() != 2 {
            out.push(format!(
                "计算字段“{}”（{:?}）须给出两个日期字段：起点、终点",
                c.label, c.kind
            ));
        }
        for src in &c.from {
            match def.field(src) {
                None => out.push(format!("计算字段“{}”引用了不存在的字段“{src}”", c.label)),
                Some(f) => {
                    let ok = match c.kind {
                        ComputeKind::Days => f.ty == FieldType::DateRange,
                        ComputeKind::Sum => matches!(
                            f.ty,
                            FieldType::Integer | FieldType::Decimal | FieldType::Money
                        ),
                        ComputeKind::Capital => f.ty == FieldType::Money,
                        ComputeKind::Years => f.ty == FieldType::Date,
                        ComputeKind::PerDay => {
                            matches!(f.ty, FieldType::Money | FieldType::DateRange)
                        }
                        ComputeKind::Hours => {
                            matches!(f.ty, FieldType::Date | FieldType::Datetime)
                        }
                        ComputeKind::Interval => matches!(
                            f.ty,
                            FieldType::Date | FieldType::DateRange | FieldType::Datetime
                        ),
                    };
                    if !ok {
                        out.push(format!(
                            "计算字段“{}”（{:?}）不能由“{src}”（{:?}）计算",
                            c.label, c.kind, f.ty
                        ));
                    }
                }
            }
        }
    }
    for r in &def.rules {
        for c in r.when.iter().chain(&r.check) {
            condition(def, c, &format!("规则 {}", r.code), &mut out);
        }
    }
    let mut roles: Vec<&str> = Vec::new();
    for s in &def.signatures {
        if roles.contains(&s.role.as_str()) {
            out.push(format!("签字栏“{}”重复", s.role));
        }
        roles.push(&s.role);
        for g in &s.when_any {
            for c in g {
                condition(def, c, &format!("签字栏“{}”的条件", s.role), &mut out);
            }
        }
    }
    let known = |extra: &[&str], n: &str| extra.contains(&n) || def.knows(n);
    for (what, p, extra) in [
        ("numbering", def.numbering.as_deref(), &["year", "seq"][..]),
        (
            "file_name",
            def.file_name.as_deref(),
            &["row", "number"][..],
        ),
        ("issuer", def.issuer.as_deref(), &["office"][..]),
    ] {
        let Some(p) = p else { continue };
        match crate::prepare::pattern::names(p) {
            Err(e) => out.push(format!("{what} 模式无法解析：{e}")),
            Ok(names) => {
                for n in names.iter().filter(|n| !known(extra, n)) {
                    out.push(format!(
                        "{what} 模式中的“{{{n}}}”既不是字段，也不是 {}",
                        extra.join("、")
                    ));
                }
            }
        }
    }
    for k in &def.key {
        if def.field(k).is_none() {
            out.push(format!("key 中的“{k}”不是输入字段"));
        }
    }
    if let Some(p) = def.numbering.as_deref()
        && let Err(e) = crate::number::registry::check_pattern(p)
    {
        out.push(format!("numbering：{e}"));
    }
    if def.numbering.is_some() && def.date_field.is_none() {
        out.push("有 numbering 时必须给出 date_field（编号年度取自该日期）".into());
    }
    if let Some(d) = &def.date_field
        && def.field(d).is_none_or(|f| {
            !matches!(
                f.ty,
                FieldType::Date | FieldType::DateRange | FieldType::Datetime
            )
        })
    {
        out.push(format!("date_field “{d}” 不是日期字段"));
    }
    if def.kind == FormKind::Register && !def.signatures.is_empty() {
        out.push("登记簿（register）不设签字栏".into());
    }
    for t in &def.totals {
        // A computed sum, day count or interval totals like a number column (行驶里程).
        let computed_number = def.computed.iter().any(|c| {
            c.label == *t
                && matches!(
                    c.kind,
                    ComputeKind::Sum
                        | ComputeKind::Days
                        | ComputeKind::Interval
                        | ComputeKind::Hours
                )
        });
        if !computed_number
            && def.field(t).is_none_or(|f| {
                !matches!(
                    f.ty,
                    FieldType::Integer | FieldType::Decimal | FieldType::Money
                )
            })
        {
            out.push(format!("totals 中的“{t}”不是数值字段"));
        }
    }
    if def.pairs_per_row == 0 || def.pairs_per_row > 4 {
        out.push("pairs_per_row 应为 1–4".into());
    }
    out
}

/// Groups: every member exists once, tables have columns and rows, checks hold checkboxes, and a
/// table's total sums that table's fields.
fn groups(def: &FormDef, out: &mut Vec<String>) {
    let mut seen: Vec<String> = Vec::new();
    for g in &def.groups {
        let what = format!("分组“{}”", g.label);
        match g.kind {
            GroupKind::Table => {
                if g.columns.is_empty() || g.rows == 0 {
                    out.push(format!("{what}（table）须有 columns 和 rows"));
                }
                if !g.fields.is_empty() {
                    out.push(format!("{what}（table）不用 fields，字段名为“列名+序号”"));
                }
            }
            GroupKind::Checks => {
                if g.fields.is_empty() {
                    out.push(format!("{what}（checks）须有 fields"));
                }
                if !g.columns.is_empty() || g.rows != 0 || g.total.is_some() {
                    out.push(format!("{what}（checks）不用 columns、rows、total"));
                }
            }
        }
        let members = g.members();
        for m in &members {
            match def.field(m) {
                None => out.push(format!("{what}引用了不存在的字段“{m}”")),
                Some(f) if g.kind == GroupKind::Checks && f.ty != FieldType::Checkbox => {
                    out.push(format!("{what}（checks）中的“{m}”不是 checkbox 字段"))
                }
                Some(f) if matches!(f.ty, FieldType::Table | FieldType::Multiline) => {
                    out.push(format!("{what}中的“{m}”是表格或多行字段，不能放进分组"))
                }
                Some(_) => {}
            }
            if seen.contains(m) {
                out.push(format!("字段“{m}”属于两个分组"));
            }
            seen.push(m.clone());
        }
        if let Some(t) = &g.total {
            match def.computed(t) {
                Some(c) if c.kind == ComputeKind::Sum => {
                    if let Some(src) = c.from.iter().find(|s| !members.contains(s)) {
                        out.push(format!("{what}的合计“{t}”包含分组以外的字段“{src}”"));
                    }
                }
                _ => out.push(format!("{what}的 total “{t}” 不是 sum 计算字段")),
            }
        }
    }
}

fn condition(def: &FormDef, c: &Condition, what: &str, out: &mut Vec<String>) {
    if !def.knows(&c.field) {
        out.push(format!("{what}引用了不存在的字段“{}”", c.field));
    }
    if let Some(o) = &c.other
        && !def.knows(o)
    {
        out.push(format!("{what}引用了不存在的字段“{o}”"));
    }
    let needs_value = !matches!(c.op, Op::Present | Op::Absent);
    if needs_value && c.value.is_none() && c.other.is_none() {
        out.push(format!("{what}：条件“{}”缺少 value 或 other", c.field));
    }
    if matches!(c.op, Op::In | Op::NotIn)
        && !c.value.as_ref().is_some_and(serde_json::Value::is_array)
    {
        out.push(format!("{what}：in/not_in 的 value 必须是列表"));
    }
    // A value no cell can ever hold makes the condition silently never (or always) hold.
    if let (Some(f), Some(v)) = (def.field(&c.field), &c.value) {
        let values: Vec<&serde_json::Value> = match v {
            serde_json::Value::Array(items) => items.iter().collect(),
            one => vec![one],
        };
        let allowed: Option<Vec<String>> = match f.ty {
            FieldType::Enum => Some(f.options.clone()),
            FieldType::Checkbox => Some(vec!["是".into(), "否".into()]),
            _ => None,
        };
        if let Some(allowed) = allowed
            && matches!(c.op, Op::Eq | Op::Ne | Op::In | Op::NotIn)
        {
            let norm = |s: &str| crate::ingest::table::normalize(s);
            for v in values {
                let text = v
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| v.to_string());
                if !allowed.iter().any(|o| norm(o) == norm(&text)) {
                    out.push(format!(
                        "{what}：“{}”的值“{text}”不是它的可选值（{}），该条件永远不会成立",
                        c.field,
                        allowed.join("、")
                    ));
                }
            }
        }
    }
}
