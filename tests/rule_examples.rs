//! Every rule file carries its own examples (`examples: {bad: [...], good: [...]}`): each `bad`
//! text must make the rule fire, each `good` text must not. Adding a rule touches one file.

use std::sync::Arc;

use candor::check::check_document;
use candor::document::{Document, Format};
use candor::rules::RuleSet;

#[test]
fn every_builtin_rule_fires_on_its_bad_examples_and_not_on_its_good_ones() {
    let rules = RuleSet::builtin().expect("built-in pack loads");
    assert!(!rules.is_empty());
    check_examples(&rules);
}

#[test]
fn the_demo_pack_of_every_vale_rule_type_passes_its_examples() {
    let mut rules = RuleSet::default();
    rules
        .add_dir(std::path::Path::new("tests/fixtures/rule_types/Demo"))
        .expect("demo pack loads");
    assert_eq!(rules.len(), 4);
    check_examples(&rules);
}

fn check_examples(rules: &RuleSet) {
    let mut failures = Vec::new();
    for rule in rules.iter() {
        let meta = rule.meta();
        if meta.examples.bad.is_empty() {
            failures.push(format!(
                "{}: has no `examples.bad` (every rule must show what it catches)",
                meta.id
            ));
        }
        // Run the rule alone, so other rules' findings cannot hide a miss.
        let mut alone = RuleSet::default();
        alone.push(rule.clone());
        for (text, should_fire) in meta
            .examples
            .bad
            .iter()
            .map(|t| (t, true))
            .chain(meta.examples.good.iter().map(|t| (t, false)))
        {
            for format in [Format::Text, Format::Markdown] {
                let doc = Document::parse(text.clone(), format);
                let path: Arc<str> = Arc::from("example");
                let found = check_document(&alone, &path, &doc, &[]);
                let fired: Vec<_> = found
                    .diagnostics
                    .iter()
                    .filter(|d| d.rule == meta.id)
                    .collect();
                for d in &fired {
                    assert!(
                        text.get(d.span.clone()).is_some(),
                        "{}: span {:?} outside {text:?}",
                        meta.id,
                        d.span
                    );
                }
                if should_fire && fired.is_empty() {
                    failures.push(format!(
                        "{} ({format:?}): did not fire on bad example {text:?}",
                        meta.id
                    ));
                }
                if !should_fire && !fired.is_empty() {
                    let spans: Vec<_> = fired.iter().map(|d| &text[d.span.clone()]).collect();
                    failures.push(format!(
                        "{} ({format:?}): fired on good example {text:?} at {spans:?}",
                        meta.id
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "rule examples failed:\n{}",
        failures.join("\n")
    );
}
