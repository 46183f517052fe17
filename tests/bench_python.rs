//! The Python comparison of `wenshu bench`: the export carries wenshu's own templates, fonts and
//! records, rewritten only where the binding differs; when the binding is installed, the script
//! renders them.

mod common;

use wenshu::bench::{prepared_records, python};
use wenshu::form::load::Catalog;
use wenshu::render::fonts::FontRole;

#[test]
fn the_python_route_gets_the_same_records_templates_and_fonts() {
    let dir = tempfile::tempdir().expect("tmp");
    let catalog = Catalog::load(None).expect("catalog");
    let workloads = prepared_records(&catalog, dir.path(), 2, 3, 1).expect("records");
    python::export(common::engine(), dir.path(), &workloads).expect("export");

    let list: serde_json::Value = serde_json::from_slice(
        &std::fs::read(dir.path().join("workloads.json")).expect("workloads.json"),
    )
    .expect("json");
    let counts: Vec<usize> = list
        .as_array()
        .expect("array")
        .iter()
        .map(|w| w["records"].as_array().expect("records").len())
        .collect();
    assert_eq!(counts, vec![2, 3, 1]);
    // Each record is exactly the data wenshu compiles.
    let first: serde_json::Value =
        serde_json::from_str(list[0]["records"][0].as_str().expect("record text")).expect("record");
    assert_eq!(first, workloads[0].records[0]);
    // The 公文 are sealed; the seal image is exported at the path the data names.
    let seal = first["signature"]["issuers"][0]["seal"]
        .as_str()
        .expect("sealed")
        .to_owned();
    assert!(
        dir.path()
            .join("root")
            .join(seal.trim_start_matches('/'))
            .is_file()
    );

    // Templates: role names replaced by the families that play them, data from sys.inputs.
    let main = std::fs::read_to_string(dir.path().join("root/templates/gongwen/main.typ"))
        .expect("main.typ");
    assert!(main.contains("json(bytes(sys.inputs.data))"), "{main}");
    let page = std::fs::read_to_string(dir.path().join("root/templates/gongwen/page.typ"))
        .expect("page.typ");
    for role in FontRole::ALL {
        assert!(
            !page.contains(role.family()),
            "{} still named",
            role.family()
        );
    }
    let fang = common::engine()
        .fonts()
        .role_font(FontRole::Fangsong)
        .expect("仿宋")
        .info()
        .family
        .clone();
    assert!(page.contains(&format!("{fang:?}")), "{fang} in {page}");
    assert!(dir.path().join("root/spec.json").is_file());
    let fonts: Vec<_> = std::fs::read_dir(dir.path().join("fonts"))
        .expect("fonts")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(fonts.len(), FontRole::ALL.len());

    if python::available() {
        let run = python::run(dir.path(), "请假申请单", "compiler", Some(2)).expect("python run");
        assert_eq!(run.docs, 2);
        assert!(run.docs_per_s > 0.0);
        let pdf = std::fs::read(dir.path().join("out/py-1.pdf")).expect("python wrote a PDF");
        assert!(pdf.starts_with(b"%PDF"));
    }
}
