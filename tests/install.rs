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

/// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

#[test]
fn the_readme_opens_with_the_two_commands_and_a_table_of_contents() {
    let readme = read("README.md");
    let top: String = readme.lines().take(12).collect::<Vec<_>>().join("\n");
    assert!(
        top.contains("cargo run --release -- check examples/"),
        "{top}"
    );
    assert!(top.contains("cargo test"), "{top}");
    assert!(
        top.matches("min").count() >= 2,
        "each command says how long: {top}"
    );

    let mut in_code = false;
    let mut headings = Vec::new();
    for line in readme.lines() {
        if line.starts_with("```") {
            in_code = !in_code;
        } else if !in_code {
            if let Some(h) = line.strip_prefix("## ") {
                headings.push(anchor(h));
            }
        }
    }
    let contents = readme
        .split("## Contents\n")
        .nth(1)
        .expect("a table of contents");
    let links: Vec<&str> = contents
        .lines()
        .skip(1)
        .take_while(|l| l.starts_with("- ["))
        .filter_map(|l| l.split("](#").nth(1)?.strip_suffix(')'))
        .collect();
    assert!(links.len() >= 10, "{links:?}");
    for link in links {
        assert!(headings.iter().any(|h| h == link), "no heading for #{link}");
    }
    // The performance essay lives in docs/, the README keeps a summary and a link.
    let performance = read("docs/performance.md");
    assert!(performance.contains("src/engine"));
    let section = readme.split("## Performance\n").nth(1).unwrap();
    let section = section.split("\n## ").next().unwrap();
    assert!(section.lines().count() < 15, "{section}");
    assert!(section.contains("(docs/performance.md)"));
}
