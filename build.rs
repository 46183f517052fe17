//! Embeds every `forms/*.toml` definition and `forms/families/*.toml` family in the binary, so a
//! copied binary needs no data folder.

use std::fmt::Write;

fn main() {
    let mut out = String::new();
    embed(
        &mut out,
        "forms",
        "BUILTIN_FORMS",
        "Built-in form definitions",
    );
    embed(
        &mut out,
        "forms/families",
        "BUILTIN_FAMILIES",
        "Built-in families the definitions extend",
    );
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("builtin_forms.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}

/// Appends `pub static NAME: &[(&str, &str)]` with every `*.toml` of `dir`: (file name, text).
fn embed(out: &mut String, dir: &str, name: &str, doc: &str) {
    println!("cargo:rerun-if-changed={dir}");
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    let _ = writeln!(
        out,
        "/// {doc}: (file name, text).\npub static {name}: &[(&str, &str)] = &["
    );
    for p in entries {
        let file = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        // Relative to the manifest, not absolute: the build cache is shared between clones
        // (CI builds another checkout into the same target folder).
        let _ = writeln!(
            out,
            "    ({file:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/{dir}/{file}\"))),"
        );
        println!("cargo:rerun-if-changed={}", p.display());
    }
    out.push_str("];\n");
}
