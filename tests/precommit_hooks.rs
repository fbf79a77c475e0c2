//! `.pre-commit-hooks.yaml` as pre-commit reads it. The end-to-end check (pre-commit installed
//! from PyPI, a real commit blocked and one let through) is `tests/precommit/run.sh`, run by
//! `.ci/run`; this test keeps the definition honest when PyPI is out of reach.

use serde_norway::Value;

#[test]
fn the_candor_hook_runs_check_on_markdown_and_plain_text() {
    let hooks: Value = serde_norway::from_str(
        &std::fs::read_to_string(".pre-commit-hooks.yaml").expect("hook file exists"),
    )
    .expect("hook file is YAML");
    let hooks = hooks.as_sequence().expect("a list of hooks");
    let candor = hooks
        .iter()
        .find(|h| h["id"].as_str() == Some("candor"))
        .expect("a hook with id `candor`");
    assert_eq!(candor["language"].as_str(), Some("rust"));
    assert_eq!(candor["entry"].as_str(), Some("candor check"));
    let types: Vec<&str> = candor["types_or"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    assert_eq!(types, ["markdown", "plain-text"]);
    // The entry names the binary `cargo install` builds from this package.
    let manifest = std::fs::read_to_string("Cargo.toml").unwrap();
    assert!(manifest.contains("[[bin]]\nname = \"candor\""));
}
