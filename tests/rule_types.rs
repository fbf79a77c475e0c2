//! Each Vale rule type run over a bad and a good fixture, with the rendered diagnostics
//! snapshotted (insta) so a reviewer sees exactly what a user would.

use std::path::Path;
use std::sync::Arc;

use candor::check::check_document;
use candor::document::{Document, Format};
use candor::report::{self, FileReport, OutputFormat, Report};
use candor::rules::RuleSet;

const DIR: &str = "tests/fixtures/rule_types";

fn demo_rules() -> RuleSet {
    let mut rules = RuleSet::default();
    rules
        .add_dir(&Path::new(DIR).join("Demo"))
        .expect("demo pack loads");
    rules
}

fn lint(name: &str) -> Report {
    let text = std::fs::read_to_string(Path::new(DIR).join(name)).unwrap();
    let path: Arc<str> = Arc::from(format!("{DIR}/{name}"));
    let doc = Document::parse(text, Format::Markdown);
    let findings = check_document(&demo_rules(), &path, &doc, &[]);
    for d in &findings.diagnostics {
        assert!(
            doc.source.get(d.span.clone()).is_some(),
            "{d:?} out of bounds"
        );
    }
    Report {
        files: vec![FileReport {
            path,
            text: Arc::from(doc.source),
            diagnostics: findings.diagnostics,
            questions: findings.questions,
            positions: None,
            human: None,
        }],
        related_sources: Vec::new(),
        rules: Vec::new(),
    }
}

/// (rule, exact source text) of each finding.
fn flagged(report: &Report) -> Vec<(String, String)> {
    let f = &report.files[0];
    f.diagnostics
        .iter()
        .map(|d| (d.rule.to_string(), f.text[d.span.clone()].to_string()))
        .collect()
}

#[test]
fn bad_fixture_fires_every_rule_type_at_the_exact_text() {
    let report = lint("bad.md");
    let got = flagged(&report);
    let expected: Vec<(String, String)> = [
        ("Demo.Existence", "We will try to"),
        ("Demo.Substitution", "at this point in time"),
        ("Demo.Substitution", "Kindly"),
        ("Demo.Substitution", "utilize"),
        ("Demo.Repetition", "the the"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    for e in &expected {
        assert!(got.contains(e), "missing {e:?} in {got:?}");
    }
    // The long sentence is flagged whole by the occurrence rule.
    assert!(got.iter().any(|(r, t)| r == "Demo.Occurrence"
        && t.starts_with("This one sentence")
        && t.ends_with("account.")));
    // Quoted text, code and link targets are not the writer's prose.
    assert!(!got
        .iter()
        .any(|(_, t)| t.contains("Hopefully") || t == "we will try to"));
    assert_eq!(got.len(), expected.len() + 1, "{got:?}");
    insta::assert_snapshot!(
        "bad_human",
        report::render(&report, OutputFormat::Human, false)
    );
}

#[test]
fn good_fixture_is_clean() {
    let report = lint("good.md");
    assert_eq!(flagged(&report), Vec::<(String, String)>::new());
}

#[test]
fn substitution_offers_fix_only_when_unambiguous() {
    let report = lint("bad.md");
    let f = &report.files[0];
    let kindly = f
        .diagnostics
        .iter()
        .find(|d| &f.text[d.span.clone()] == "Kindly")
        .unwrap();
    assert_eq!(kindly.suggestions, ["Please", "(cut it)"]);
    assert!(kindly.fix.is_none());
    let utilize = f
        .diagnostics
        .iter()
        .find(|d| &f.text[d.span.clone()] == "utilize")
        .unwrap();
    assert_eq!(
        utilize.fix.as_ref().map(|e| e.replacement.as_str()),
        Some("use")
    );
}

#[test]
fn a_substitution_table_of_twenty_thousand_keys_lints_with_the_right_swaps() {
    // One capture group per key made the matcher ask for tens of gigabytes here and abort.
    let dir = tempfile::tempdir().unwrap();
    let pack = dir.path().join("Big");
    std::fs::create_dir_all(&pack).unwrap();
    let mut keys: String = (0..20_000)
        .map(|i| format!("  word{i}x: use{i}\n"))
        .collect();
    keys.push_str("  colou?red: colored\n");
    std::fs::write(
        pack.join("Swap.yml"),
        format!(
            "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\n\
             ignorecase: true\nswap:\n{keys}"
        ),
    )
    .unwrap();
    let rules = RuleSet::load(&[dir.path()]).unwrap();
    let text = "Please Word17x it, then word19999x and the coloured box.\n".to_string();
    let doc = Document::parse(text.clone(), Format::Markdown);
    let found = check_document(&rules, &Arc::from("a.md"), &doc, &[]);
    let swaps: Vec<(&str, &str)> = found
        .diagnostics
        .iter()
        .filter(|d| d.rule.starts_with("Big."))
        .map(|d| {
            (
                &text[d.span.clone()],
                d.fix.as_ref().map_or("", |f| f.replacement.as_str()),
            )
        })
        .collect();
    assert_eq!(
        swaps,
        [
            ("Word17x", "Use17"),
            ("word19999x", "use19999"),
            ("coloured", "colored")
        ]
    );
}
