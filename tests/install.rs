//! What a new user installs from: the licence files Cargo.toml names, the release workflow
//! that builds binaries for Linux, macOS and Windows on tags, the pre-commit hook that uses a
//! prebuilt binary, and install docs that pin a commit rather than a tag that does not exist.

use serde_norway::Value;

fn read(path: &str) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn both_licences_named_in_the_manifest_are_there() {
    assert!(read("Cargo.toml").contains("license = \"MIT OR Apache-2.0\""));
    let mit = read("LICENSE-MIT");
    assert!(mit.starts_with("MIT License\n\nCopyright (c) 2026 The Candor authors\n"));
    assert!(mit.contains("THE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND"));
    let apache = read("LICENSE-APACHE");
    assert!(apache.contains("Apache License\n                        Version 2.0, January 2004"));
    assert!(apache.contains("9. Accepting Warranty or Additional Liability."));
    assert!(apache.contains("END OF TERMS AND CONDITIONS"));
}

#[test]
fn the_release_workflow_builds_every_platform_on_tags() {
    let workflow: Value = serde_norway::from_str(&read(".github/workflows/release.yml")).unwrap();
    let tags = &workflow["on"]["push"]["tags"];
    assert_eq!(tags[0].as_str(), Some("v*"));
    let matrix = workflow["jobs"]["build"]["strategy"]["matrix"]["include"]
        .as_sequence()
        .unwrap();
    let targets: Vec<&str> = matrix
        .iter()
        .map(|m| m["target"].as_str().unwrap())
        .collect();
    for wanted in ["linux", "apple-darwin", "windows"] {
        assert!(targets.iter().any(|t| t.contains(wanted)), "{targets:?}");
    }
    let steps = workflow["jobs"]["build"]["steps"].as_sequence().unwrap();
    assert!(steps.iter().any(|s| s["run"]
        .as_str()
        .is_some_and(|r| r.contains("cargo build --release --locked --target"))));
}

#[test]
fn a_hook_uses_the_installed_binary_and_the_docs_pin_a_commit() {
    let hooks: Value = serde_norway::from_str(&read(".pre-commit-hooks.yaml")).unwrap();
    let system = hooks
        .as_sequence()
        .unwrap()
        .iter()
        .find(|h| h["id"].as_str() == Some("candor-system"))
        .expect("a hook with id `candor-system`");
    assert_eq!(system["language"].as_str(), Some("system"));
    assert_eq!(system["entry"].as_str(), Some("candor check"));
    let readme = read("README.md");
    assert!(!readme.contains("v0.1.0"), "no tag that does not exist");
    assert!(readme.contains("rev: 0123456789abcdef0123456789abcdef01234567"));
    assert!(readme.contains("your-org/candor@0123456789abcdef0123456789abcdef01234567"));
    assert!(readme.contains("git ls-remote"));
}
