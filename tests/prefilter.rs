//! The prefilter (one Aho-Corasick pass deciding which phrase rules can match a file) must
//! never change what is found: on any text, findings with it equal findings without it.

use std::sync::{Arc, LazyLock};

use candor::check::{check_document, CheckContext, Findings};
use candor::document::{Document, Format};
use candor::engine::prefilter::Prefilter;
use candor::rules::{Rule, RuleMeta, RuleSet};
use proptest::prelude::*;

/// A rule with the same behaviour but no literals, so the prefilter always runs it.
#[derive(Debug)]
struct Unfiltered(Arc<dyn Rule>);

impl Rule for Unfiltered {
    fn meta(&self) -> &RuleMeta {
        self.0.meta()
    }
    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        self.0.check(cx, out)
    }
}

const RULES: &[(&str, &str)] = &[
    (
        "Filler.yml",
        "extends: existence\nmessage: \"'%s'\"\nignorecase: true\ntokens:\n  - thanks for reaching out\n  - sorry for (?:any|the) inconvenience\n  - kind regards\n",
    ),
    (
        "Exact.yml",
        "extends: existence\nmessage: \"'%s'\"\ntokens:\n  - Kindly\n  - ASAP\n",
    ),
    (
        "Nonword.yml",
        "extends: existence\nmessage: \"'%s'\"\nignorecase: true\nnonword: true\ntokens:\n  - 'ss\\b'\n  - 'sk'\n",
    ),
    (
        "Swap.yml",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nignorecase: true\nswap:\n  utilize: use\n  in order to: to\n  skip over: skip\n",
    ),
    (
        "Except.yml",
        "extends: existence\nmessage: \"'%s'\"\nignorecase: true\nexceptions: [basic]\ntokens:\n  - 'basic\\w*'\n",
    ),
    (
        "Sentence.yml",
        "extends: existence\nmessage: \"'%s'\"\nscope: sentence\nignorecase: true\ntokens:\n  - as soon as possible\n",
    ),
    (
        "Greeting.yml",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nignorecase: true\nswap:\n  '(?:hi|hello)\\W+(?:customer|client)s?': Hi\n",
    ),
    (
        "Curly.yml",
        "extends: existence\nmessage: \"'%s'\"\nignorecase: true\ntokens:\n  - don’t worry\n",
    ),
];

fn rule_set() -> RuleSet {
    let mut set = RuleSet::default();
    for (file, text) in RULES {
        set.add_file("Test", file, file, text).unwrap();
    }
    set
}

fn without_prefilter(set: &RuleSet) -> RuleSet {
    let mut out = RuleSet::default();
    for rule in set.iter() {
        out.push(Arc::new(Unfiltered(rule.clone())));
    }
    out
}

/// Pieces texts are made of: the rules' phrases in several cases, near misses, characters that
/// fold to ASCII letters (Kelvin sign, long s), Markdown markup and entities that sit between
/// prose and source.
const PIECES: &[&str] = &[
    "thanks for reaching out",
    "THANKS FOR REACHING OUT",
    "thanks for reaching outside",
    "Thanks for ſeaching",
    "\u{212A}ind regards",
    "kind regards",
    "KIND REGARDS",
    "Kindly",
    "kindly",
    "ASAP",
    "asap",
    "kiſs",
    "KISS",
    "sk",
    "\u{212A}",
    "ſ",
    "utilize",
    "UTILIZE",
    "utiliſe",
    "in order to",
    "in **order** to",
    "in order\nto",
    "skip over",
    "ſkip over",
    "basic",
    "basically",
    "BASICS",
    "as soon as possible",
    "As soon as\npossible",
    "don’t worry",
    "DON’T WORRY",
    "sorry for the inconvenience",
    "sorry for any &amp; inconvenience",
    "&#8490;ind regards",
    "`kind regards`",
    "> kind regards",
    "- utilize",
    "# Kindly",
    " ",
    ". ",
    "\n\n",
    "é",
    "x",
    // Customer-support phrases for the built-in pack.
    "Dear valued customer,",
    "DEAR SIR/MADAM",
    "Hello customer",
    "hi, valued member",
    "To whom it may concern:",
    "Greetings from the Acme support team",
    "We apologize for any inconvenience.",
    "Thank you for reaching out!",
    "Feel free to contact us if you have any other questions.",
    "Our industry-leading platform",
    "We pride ourselves on",
    "Hi {{first_name}},",
    "Hi [NAME],",
    "Your refund went out today.",
    "Can I change my plan?",
    "hi customer",
    "Hello, CLIENTS",
    "this shell",
    "customer",
];

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..24).prop_map(|p| p.concat())
}

fn findings(set: &RuleSet, text: &str, format: Format) -> Vec<String> {
    let doc = Document::parse(text.to_string(), format);
    let path: Arc<str> = Arc::from("t");
    check_document(set, &path, &doc, &[])
        .diagnostics
        .iter()
        .map(|d| format!("{} {:?} {}", d.rule, d.span, d.message))
        .collect()
}

/// Built once, so each case does not compile the rules' regexes again.
static FILTERED: LazyLock<RuleSet> = LazyLock::new(rule_set);
static PLAIN: LazyLock<RuleSet> = LazyLock::new(|| without_prefilter(&FILTERED));
static BUILTIN: LazyLock<RuleSet> =
    LazyLock::new(|| RuleSet::builtin().expect("built-in pack loads"));
static BUILTIN_PLAIN: LazyLock<RuleSet> = LazyLock::new(|| without_prefilter(&BUILTIN));
/// The test pack's prefilter searching string by string only, with its NFA only, and with its
/// DFA from the first byte.
static DIRECT_ONLY: LazyLock<Prefilter<dyn Rule>> =
    LazyLock::new(|| Prefilter::new(FILTERED.iter()).with_scan_directly(usize::MAX));
static NFA_ONLY: LazyLock<Prefilter<dyn Rule>> =
    LazyLock::new(|| Prefilter::new(FILTERED.iter()).with_dfa_after(usize::MAX));
static DFA_AT_ONCE: LazyLock<Prefilter<dyn Rule>> =
    LazyLock::new(|| Prefilter::new(FILTERED.iter()).with_dfa_after(0));

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn prefilter_never_changes_findings(text in text()) {
        for format in [Format::Text, Format::Markdown] {
            prop_assert_eq!(findings(&FILTERED, &text, format), findings(&PLAIN, &text, format));
        }
    }

    #[test]
    fn the_builtin_pack_finds_the_same_with_and_without_prefilter(text in text()) {
        for format in [Format::Text, Format::Markdown] {
            prop_assert_eq!(findings(&BUILTIN, &text, format), findings(&BUILTIN_PLAIN, &text, format));
        }
    }

    #[test]
    fn every_way_of_searching_selects_the_same_rules(text in text()) {
        for format in [Format::Text, Format::Markdown] {
            let doc = Document::parse(text.clone(), format);
            let nfa = NFA_ONLY.select(FILTERED.iter(), &doc);
            prop_assert_eq!(&nfa, &DFA_AT_ONCE.select(FILTERED.iter(), &doc));
            prop_assert_eq!(&nfa, &DIRECT_ONLY.select(FILTERED.iter(), &doc));
        }
    }
}

#[test]
fn rules_whose_phrases_are_absent_are_skipped_and_others_run() {
    let set = rule_set();
    let doc = Document::parse("Kindly utilize the form.".to_string(), Format::Text);
    let run: Vec<(String, bool)> = set
        .iter()
        .map(|r| r.meta().id.to_string())
        .zip(set.prefilter().select(set.iter(), &doc))
        .collect();
    let ran = |id: &str| run.iter().find(|(r, _)| r == id).unwrap().1;
    assert!(ran("Test.Exact"));
    assert!(ran("Test.Swap"));
    assert!(!ran("Test.Filler"));
    assert!(!ran("Test.Sentence"));
    // A Kelvin sign could be a `k` to a case-insensitive rule.
    let doc = Document::parse("\u{212A}ind regards".to_string(), Format::Text);
    let selected = set.prefilter().select(set.iter(), &doc);
    let filler = set
        .iter()
        .position(|r| &*r.meta().id == "Test.Filler")
        .unwrap();
    assert!(selected[filler]);
    assert_eq!(findings(&set, "\u{212A}ind regards", Format::Text).len(), 1);
}

#[test]
fn a_subset_after_retain_keeps_using_the_same_prefilter_correctly() {
    let mut set = rule_set();
    let _ = set.prefilter();
    set.retain(|r| &*r.meta().id != "Test.Exact");
    let plain = without_prefilter(&set);
    for text in ["Kindly utilize it", "thanks for reaching out, ASAP"] {
        assert_eq!(
            findings(&set, text, Format::Text),
            findings(&plain, text, Format::Text)
        );
    }
}

#[test]
fn a_thousand_phrase_rules_load_without_compiling_and_still_find_their_phrase() {
    let mut set = RuleSet::default();
    for i in 0..1000 {
        let text = format!(
            "extends: existence\nmessage: \"'%s'\"\nignorecase: true\ntokens:\n  - phrase number {i} here\n"
        );
        set.add_file("Many", &format!("R{i}.yml"), "R.yml", &text)
            .unwrap();
    }
    let found = findings(&set, "We saw Phrase number 617 here today.", Format::Text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("Many.R617 7..29"), "{found:?}");
}
