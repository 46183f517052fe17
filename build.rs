//! Embeds every `forms/*.toml` definition in the binary, so a copied binary needs no data folder.

use std::fmt::Write;

fn main() {
    println!("cargo:rerun-if-changed=forms");
    let mut entries: Vec<_> = std::fs::read_dir("forms")
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    entries.sort();
    let mut out = String::from(
        "/// Built-in form definitions: (file name, text).\npub static BUILTIN_FORMS: &[(&str, &str)] = &[\n",
    );
    for p in entries {
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        // Relative to the manifest, not absolute: the build cache is shared between clones
        // (CI builds another checkout into the same target folder).
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/forms/{name}\"))),"
        );
        println!("cargo:rerun-if-changed={}", p.display());
    }
    out.push_str("];\n");
    let dest = std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()))
        .join("builtin_forms.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
