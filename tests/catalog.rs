//! The seed catalogue (issue 16): every form and register the rulebooks name is defined, grouped
//! by category, built on families where forms share a shape, documented with its rules and their
//! sources, round-trips template → fill → PDF, and has a boundary case for every rule and every
//! conditional approval step.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wenshu::fill::{FillOptions, fill};
use wenshu::form::category::{Category, seeds};
use wenshu::form::load::Catalog;
use wenshu::form::schema::{FormDef, FormKind};
use wenshu::render::fonts::FontOptions;
use wenshu::{Engine, EngineOptions};

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| {
        Engine::new(&EngineOptions {
            fonts: FontOptions::default(),
            templates: None,
        })
        .expect("engine")
    })
}

fn catalog() -> &'static Catalog {
    static C: OnceLock<Catalog> = OnceLock::new();
    C.get_or_init(|| Catalog::load(None).expect("built-in definitions load"))
}

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/forms")
}

/// The forms issue 16 lists as missing, by the seed that names them (ids of their definitions).
const SEED_FORMS: &[(&str, &[&str])] = &[
    (
        "000",
        &[
            "minzhu_zhengqiu",
            "sanhui_yike",
            "xuexi_qiandao",
            "huiyi_wenjian_jiaohui",
            "fawen_dengji",
            "jiyao_wendian",
            "jiyao_fuyin",
            "jiyao_jieyue",
            "ducha_lixiang",
            "qingjia_dengji",
            "lingdao_waichu",
            "neibu_jiekuan",
            "gongwuka_baoxiao",
            "guoku_zhifu",
            "piaoju_dengji",
            "zhuanxiang_taizhang",
            "gdzc_shiwuzhang",
            "gdzc_dengjibiao",
            "gdzc_pandian",
            "caigou_jihua",
            "canhui_qiandao",
            "daiban_anpai",
            "shouwen_zeren",
        ],
    ),
    (
        "004",
        &["jiejiari_zhiban", "xingzheng_jingfei", "jiedai_jiesuan"],
    ),
    (
        "001",
        &[
            "jiaoban_dengji",
            "jiatiao",
            "kaoqin_koufa",
            "zhiban_paiban",
            "laidian_chuli",
            "laifang_chuli",
            "feigongzuori_shouwen",
            "zhuyao_waichu",
            "renwujian_shenpi",
            "huiyi_tongzhidan",
            "dianhua_tongzhi",
            "huiyi_qiandao",
            "waichu_yongzhang",
            "shoufei_piaoju",
            "yinhang_tiaojie",
            "zhipiao_dengji",
            "yuanshi_pingzheng",
            "huiyi_yujuesuan",
            "huiyi_jiesuan",
            "zijin_bofu",
            "gdzc_lingyong",
            "kuaiji_yijiao",
            "laike_dengji",
            "cheliang_churu",
            "danche_hesuan",
            "cheliang_weixiu_baogao",
            "weixiu_jiesuan",
            "siqin_zhiban",
        ],
    ),
    (
        "003",
        &[
            "fupin_lianxihu",
            "dangfei_dengji",
            "dangnei_zhengqiu",
            "fuwu_zhengqiu",
            "tanxin_jiafang",
            "zhiban_shoufawen",
            "zhipiao_lingyong",
            "ruzhang_lingyong",
            "jiejiari_chuche",
            "menwei_dengji",
            "weisheng_dafen",
            "shitang_caigou",
            "shitang_yanshou",
            "shangwang_baomi",
            "jisuanji_guzhang",
            "shemi_jiezhi",
            "waicunchu_dengji",
            "yewu_lixiang",
            "yewu_mingce",
            "yewu_yanshou",
            "fading_jiaqi",
            "chuangkou_paiban",
            "chuangkou_fuwu",
        ],
    ),
    (
        "002",
        &[
            "duban_dengji",
            "jiyao_baoguan",
            "wenyin_dengji",
            "yinmo_shiyong",
            "gouwu_shenqing",
            "bangong_lingyong",
            "ruku_taizhang",
            "shiyong_taizhang",
            "youzi_mingxi",
            "gdzc_mingxizhang",
            "gdzc_yijiao",
            "gdzc_baofei",
            "zichan_taizhang",
            "shumian_jiatiao",
            "xueli_jiaoyu",
            "houbei_qingkuang",
            "houbei_huamingce",
            "dangyuan_fazhan",
            "ducha_beian",
            "bianmin_tousu",
            "cheliang_shiyong",
            "yipiao_foujue",
            "lianzheng_fengxian",
            "muying_xuke",
            "muying_renyuan",
            "yinjianka",
            "bingyuan_beian",
            "jixu_jiaoyu",
        ],
    ),
];

#[test]
fn the_catalogue_holds_every_seed_form_with_its_category_and_rulebook() {
    let cat = catalog();
    let all: Vec<&FormDef> = cat.iter().collect();
    assert!(all.len() >= 150, "only {} definitions", all.len());
    for (seed, ids) in SEED_FORMS {
        for id in *ids {
            let def = cat
                .get(id)
                .unwrap_or_else(|| panic!("{id} (seed {seed}) is missing"));
            assert!(
                seeds(&def.source).iter().any(|s| s == seed),
                "{id}: source does not name seed {seed}: {}",
                def.source
            );
        }
    }
    for def in &all {
        assert!(def.category.is_some(), "{}: no category", def.id);
        assert!(
            !seeds(&def.source).is_empty(),
            "{}: source names no rulebook",
            def.id
        );
    }
    let listing = wenshu::form::explain::listing(cat);
    for c in Category::ALL {
        assert!(
            listing.contains(&format!("【{}】", c.name())),
            "{} missing from the listing",
            c.name()
        );
    }
    for def in &all {
        assert!(
            listing
                .lines()
                .any(|l| l.starts_with(&format!("{}\t{}\t", def.id, def.title))),
            "{} not listed",
            def.id
        );
    }
    assert!(
        listing.contains(&format!("共 {} 种", all.len())),
        "{listing}"
    );
    // A line names the rulebooks: a seed 003 register.
    assert!(
        listing.contains("dangfei_dengji\t党费交费登记簿\t登记簿\tseed 003"),
        "{listing}"
    );
}

#[test]
fn every_template_round_trips_through_fill_to_a_pdf() {
    let dir = tempfile::tempdir().expect("tmp");
    let started = std::time::Instant::now();
    let mut failures = Vec::new();
    let mut rendered = 0;
    for def in catalog().iter() {
        let xlsx = dir.path().join(format!("{}.xlsx", def.id));
        wenshu::output::sheet_template::write(&xlsx, def)
            .unwrap_or_else(|e| panic!("{}: template: {e}", def.id));
        let out = dir.path().join(&def.id);
        let result = fill(
            engine(),
            def,
            &xlsx,
            &out,
            &FillOptions {
                office: "丰顺县医疗保障局".into(),
                ..FillOptions::default()
            },
        );
        let problem = match result {
            Err(e) => Some(e.to_string()),
            Ok(o) if !o.errors.is_empty() || !o.unknown_columns.is_empty() => Some(format!(
                "{:?} {:?}",
                o.errors
                    .iter()
                    .map(|e| format!("{}（{}）", e.code, e.field))
                    .collect::<Vec<_>>(),
                o.unknown_columns
            )),
            Ok(o) => {
                assert_eq!(o.rows, 1, "{}: the template has one example row", def.id);
                assert_eq!(o.written.len(), 1, "{}", def.id);
                let bytes = std::fs::read(&o.written[0]).expect("pdf");
                assert!(bytes.starts_with(b"%PDF-"), "{}", def.id);
                rendered += 1;
                None
            }
        };
        if let Some(p) = problem {
            failures.push(format!("{}: {p}", def.id));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let total = catalog().iter().count();
    assert!(rendered == total, "{rendered} of {total} template PDFs");
    eprintln!(
        "{rendered} template PDFs in {:.1} s",
        started.elapsed().as_secs_f64()
    );
}

#[derive(serde::Deserialize)]
struct Cases {
    #[serde(default)]
    cases: Vec<Case>,
}

#[derive(serde::Deserialize)]
struct Case {
    #[serde(default)]
    expect_signatures: Option<Vec<String>>,
    #[serde(default)]
    expect_error: Option<String>,
}

#[test]
fn every_rule_and_every_conditional_approval_has_a_boundary_case() {
    let mut missing = Vec::new();
    for def in catalog().iter() {
        let path = samples().join("cases").join(format!("{}.toml", def.id));
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let cases: Cases = toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", def.id));
        let errors: BTreeSet<&str> = cases
            .cases
            .iter()
            .filter_map(|c| c.expect_error.as_deref())
            .collect();
        for r in &def.rules {
            let code = format!("form.{}.{}", def.id, r.code);
            if !errors.contains(code.as_str()) {
                missing.push(format!("{}: no case breaks rule {}", def.id, r.code));
            }
        }
        let chains: Vec<&Vec<String>> = cases
            .cases
            .iter()
            .filter_map(|c| c.expect_signatures.as_ref())
            .collect();
        for s in def
            .signatures
            .iter()
            .filter(|s| !s.required && !s.when_any.is_empty())
        {
            let with = chains.iter().any(|c| c.contains(&s.role));
            let without = chains.iter().any(|c| !c.contains(&s.role));
            if !(with && without) {
                missing.push(format!(
                    "{}: approval step {} is not shown both required and not required",
                    def.id, s.role
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn families_give_their_shape_and_a_variant_rewrites_its_base() {
    let cat = catalog();
    // A register: the 登记簿 family's layout, its columns before the family's 备注.
    let book = cat.get("piaoju_dengji").expect("piaoju_dengji");
    assert_eq!(book.kind, FormKind::Register);
    assert_eq!(book.extends.as_deref(), Some("dengjibu"));
    assert_eq!(book.fields.last().map(|f| f.label.as_str()), Some("备注"));
    assert_eq!(book.fields[0].label, "票据种类");
    // An approval slip: 经办人 first, the seed's approvers after it, 填表日期 last.
    let slip = cat.get("neibu_jiekuan").expect("neibu_jiekuan");
    let roles: Vec<&str> = slip.signatures.iter().map(|s| s.role.as_str()).collect();
    assert_eq!(roles, ["经办人", "办公室主任", "分管领导", "局长"]);
    assert_eq!(
        slip.fields.last().map(|f| f.label.as_str()),
        Some("填表日期")
    );
    assert_eq!(slip.date_field.as_deref(), Some("填表日期"));
    // A variant of another definition keeps what its rulebook shares and drops the rest.
    let card = cat.get("gongwuka_baoxiao").expect("gongwuka_baoxiao");
    assert_eq!(card.signatures.len(), 6, "the seed 000 chain is unchanged");
    assert!(card.field("支付方式").is_none() && card.field("持卡人").is_some());
    assert!(card.rules.iter().all(|r| r.code != "cash_at_most_1000"));
    assert_eq!(card.category, Some(Category::Finance), "inherited");
    // A sign-in sheet: the 签到 table with room for handwriting.
    let sheet = cat.get("xuexi_qiandao").expect("xuexi_qiandao");
    let sign = sheet.field("签到").expect("签到");
    assert_eq!(sign.max_rows, Some(20));
    assert_eq!(sign.columns.last().map(String::as_str), Some("本人签名"));
    assert!(
        sheet.field("会议名称").is_none(),
        "dropped by the study sheet"
    );
}

#[test]
fn a_user_folder_can_bring_its_own_family() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::create_dir_all(dir.path().join("families")).expect("mkdir");
    std::fs::write(
        dir.path().join("families/huamingce.toml"),
        "id = \"huamingce\"\ntitle = \"花名册\"\nkind = \"register\"\ncategory = \"人事考勤\"\n\
         [[fields]]\nlabel = \"姓名\"\ntype = \"person\"\nrequired = true\n",
    )
    .expect("family");
    std::fs::write(
        dir.path().join("zhiyuanzhe.toml"),
        "id = \"zhiyuanzhe\"\ntitle = \"志愿者花名册\"\nsource = \"自定义\"\nextends = \"huamingce\"\n\
         [[fields]]\nlabel = \"服务时长\"\ntype = \"decimal\"\n",
    )
    .expect("form");
    let cat = Catalog::load(Some(dir.path())).expect("load");
    let def = cat.get("zhiyuanzhe").expect("user form");
    assert_eq!(def.kind, FormKind::Register);
    assert_eq!(def.fields.len(), 2);
    assert_eq!(cat.family_title("huamingce"), Some("花名册"));
    let text = wenshu::form::explain::explain(def, &cat);
    assert!(text.contains("族：花名册（huamingce）"), "{text}");
    // A definition that extends nothing known is refused, naming the file and the families.
    std::fs::write(
        dir.path().join("bad.toml"),
        "id = \"bad\"\ntitle = \"坏\"\nextends = \"dengjibu2\"\n",
    )
    .expect("bad");
    let err = Catalog::load(Some(dir.path()))
        .expect_err("refused")
        .to_string();
    assert!(
        err.contains("bad.toml") && err.contains("dengjibu2") && err.contains("dengjibu"),
        "{err}"
    );
}

#[test]
fn forms_show_reads_out_each_threshold_and_where_it_comes_from() {
    let cat = catalog();
    let text = wenshu::form::explain::explain(cat.get("xingzheng_jingfei").expect("def"), cat);
    for want in [
        "类别：财务资产",
        "规章：seed 004",
        "族：审批单（shenpidan）",
        "支出金额达到或超过（含本数，“以上”）10000且支出金额不满（不含本数）15000",
        "依据：seed 004 L576；catalog A §9 #4",
        "[form.xingzheng_jingfei.purchase_and_custody_apart]",
        "依据：seed 004 财务管理与监督制度 一（L572）",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    let text = wenshu::form::explain::explain(cat.get("huiyi_tongzhidan").expect("def"), cat);
    assert!(text.contains("提前小时数\t自动计算（Hours"), "{text}");
    assert!(
        text.contains("填单时间早于") || text.contains("提前小时数达到或超过"),
        "{text}"
    );
    let text = wenshu::form::explain::explain(cat.get("kaoqin_koufa").expect("def"), cat);
    assert!(text.contains("旷工天数×200、迟到早退次数×50"), "{text}");
}

#[test]
fn the_json_schema_documents_families_categories_and_the_new_computations() {
    let schema = serde_json::to_string(&schemars::schema_for!(FormDef)).expect("schema");
    for want in [
        "extends",
        "fields_after",
        "drop",
        "人事考勤",
        "interval",
        "hours",
        "absent",
        "factors",
    ] {
        assert!(schema.contains(want), "{want} not in the schema");
    }
    let v: serde_json::Value = serde_json::from_str(&schema).expect("json");
    let doc = v["properties"]["extends"]["description"]
        .as_str()
        .expect("extends documented");
    assert!(doc.contains("family") && doc.contains("drop"), "{doc}");
}

/// The layout of one sample row of `def` (as `fill` prints it), with `set` cells replaced.
fn layout_of(def: &FormDef, set: &[(&str, &str)]) -> wenshu::render::inspect::Layout {
    use wenshu::ingest::table::{SheetRow, Table};
    use wenshu::model::value::Cell;
    let (table, _) =
        wenshu::fill::read_table(def, &samples().join(format!("{}.xlsx", def.id)), None)
            .expect("sample");
    let mut row = table.rows[0].clone();
    let mut headers = table.headers.clone();
    for (k, v) in set {
        match headers.iter().position(|h| h == k) {
            Some(i) => row.cells[i] = Cell::Text((*v).to_owned()),
            None => {
                headers.push((*k).to_owned());
                row.cells.resize(headers.len() - 1, Cell::Empty);
                row.cells.push(Cell::Text((*v).to_owned()));
            }
        }
    }
    let table = Table {
        headers,
        rows: vec![SheetRow {
            number: 2,
            cells: row.cells,
        }],
        ..table
    };
    let map = wenshu::validate::form::map_columns(def, &table);
    let rec = wenshu::validate::form::validate_row(def, &map, &table.rows[0], Default::default())
        .expect("valid row");
    let data = wenshu::prepare::form::form_data(def, &rec, None, "丰顺县医疗保障局").expect("data");
    wenshu::render::inspect::flatten(
        &engine()
            .compile("/templates/forms/form.typ", &data, &[])
            .expect("compile")
            .document,
    )
}

#[test]
fn sign_in_sheets_print_blank_rows_for_handwriting() {
    let def = catalog().get("canhui_qiandao").expect("canhui_qiandao");
    // The horizontal rules of the 签到 table under its head row: one more than its rows.
    let rows = |layout: &wenshu::render::inspect::Layout| -> Vec<f64> {
        let page = &layout.pages[0];
        let head = page
            .texts
            .iter()
            .find(|t| t.text == "本人签名")
            .expect("the 本人签名 column head");
        let ys: BTreeSet<i64> = page
            .rules
            .iter()
            .filter(|r| r.y > head.baseline && r.x0 <= head.x && r.x1 >= head.right())
            .map(|r| (r.y * 100.0).round() as i64)
            .collect();
        ys.into_iter().map(|y| y as f64 / 100.0).collect()
    };
    let blank = rows(&layout_of(def, &[("签到", "")]));
    assert_eq!(blank.len(), 21, "20 rows for handwriting: {blank:?}");
    for pair in blank.windows(2) {
        assert!(
            pair[1] - pair[0] >= 6.5,
            "a row is too low to sign in: {blank:?}"
        );
    }
    // Invited attendees print by name; the rest of the 20 rows stay blank.
    let named = layout_of(
        def,
        &[(
            "签到",
            "刘某某|汤坑镇医保服务站 站长|本地|\n何某某|汤南镇医保服务站 站长|本地|",
        )],
    );
    assert_eq!(rows(&named).len(), 21);
    let texts: Vec<&str> = named.pages[0]
        .texts
        .iter()
        .map(|t| t.text.as_str())
        .collect();
    assert!(
        texts.contains(&"刘某某") && texts.contains(&"何某某"),
        "{texts:?}"
    );
}
