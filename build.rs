//! Embeds every rule file under `rules/` in the binary, so `candor` works with no files around.
use std::{env, fs, path::Path};

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    if let Ok(packs) = fs::read_dir(&root) {
        for pack in packs.flatten().filter(|e| e.path().is_dir()) {
            println!("cargo:rerun-if-changed={}", pack.path().display());
            for file in fs::read_dir(pack.path()).into_iter().flatten().flatten() {
                let path = file.path();
                if matches!(
                    path.extension().and_then(|e| e.to_str()),
                    Some("yml" | "yaml")
                ) {
                    let rel = path
                        .strip_prefix(&root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    entries.push((rel, path.display().to_string()));
                }
            }
        }
    }
    entries.sort();
    let mut out = String::from("/// (path under rules/, file text) of each built-in rule.\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for (rel, abs) in entries {
        out.push_str(&format!("    ({rel:?}, include_str!({abs:?})),\n"));
    }
    out.push_str("];\n");
    fs::write(
        Path::new(&env::var("OUT_DIR").unwrap()).join("embedded_rules.rs"),
        out,
    )
    .unwrap();
}
