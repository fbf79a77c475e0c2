//! Property tests over generated documents: every span slices out exactly the text it talks
//! about, the JSON report round-trips through serde and agrees with the spans, and a run's
//! results for a file do not depend on which other files come before it.
//!
//! (`--fix` idempotence and "only bytes inside the chosen spans change" are property tests in
//! `tests/fix.rs` and `src/fix.rs`.)

#[path = "regressions/harness.rs"]
mod harness;

use std::path::PathBuf;
use std::sync::{Arc, LazyLock};

use candor::check::check_document;
use candor::diagnostic::{LineIndex, Severity};
use candor::document::{Document, Format};
use candor::report::{self, FileReport, OutputFormat, Report};
use candor::rules::RuleSet;
use candor::run;
use proptest::prelude::*;
use serde_json::Value;

/// The words the test rule flags. One is not ASCII, so spans must land on character boundaries.
const WORDS: [&str; 3] = ["utilize", "kindly", "naïve"];

/// The built-in pack plus `Prop.Word`, an existence rule for [`WORDS`] (any case).
static RULES: LazyLock<RuleSet> = LazyLock::new(|| {
    let mut set = harness::rules().clone();
    set.add_file(
        "Prop",
        "Word.yml",
        "Prop/Word.yml",
        "extends: existence\nmessage: \"'%s'\"\nlevel: warning\nignorecase: true\ntokens: [utilize, kindly, naïve]\n",
    )
    .unwrap();
    set
});

/// One of [`WORDS`], in some case.
fn word() -> impl Strategy<Value = String> {
    (0..WORDS.len(), 0..3u8).prop_map(|(i, case)| match case {
        0 => WORDS[i].to_string(),
        1 => WORDS[i].to_uppercase(),
        _ => {
            let mut c = WORDS[i].chars();
            let first = c.next().unwrap().to_uppercase().collect::<String>();
            first + c.as_str()
        }
    })
}

/// Words that are never flagged, some multibyte.
fn filler() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "the refund",
        "your order",
        "café",
        "Grüße",
        "返品",
        "🙂",
        "ships today",
        "utilized-ish",
        "unkindly",
        "a.b",
        "it's",
        "—",
        "a\tb",
    ])
}

/// A Markdown block holding `w` in some construct, and how many times `Prop.Word` must flag
/// it there: once in prose (however it is marked up), never in code, URLs or HTML.
fn block() -> impl Strategy<Value = (String, usize)> {
    (word(), filler(), filler(), 0..19u8).prop_map(|(w, a, b, shape)| match shape {
        0 => (format!("{a} {w} {b}."), 1),
        1 => (format!("# {w} {a}"), 1),
        2 => (format!("- {a}\n- {w} {b}\n  - {w}"), 2),
        3 => (format!("1. *{w}* and **{w}**"), 2),
        4 => (format!("{a} [{w}](https://example.com/{w}) {b}"), 1),
        5 => (format!("![{w} {a}](img/{w}.png)"), 1),
        6 => (format!("| {a} | {w} |\n|---|---|\n| {w} | {b} |"), 2),
        7 => (format!("{a} `{w}` {b}"), 0),
        8 => (format!("```\n{w}\n```"), 0),
        9 => (format!("Code:\n\n    {w} indented code"), 0),
        10 => (format!("<https://example.com/{w}> {a}"), 0),
        11 => (format!("<div>\n{w}\n</div>"), 0),
        12 => (format!("{a}\n{w} on a second line\r\n{b}"), 1),
        13 => (format!("_{w}_, {w}! {w}?"), 3),
        14 => (format!("{a} ~~{w}~~ {b}"), 1),
        15 => (format!("Setext {w}\n======"), 1),
        16 => (format!("{a}<br>{w}"), 1),
        // Glued to the next word, it is flagged only if that word starts with no letter.
        17 => (
            format!("{w}{a}"),
            usize::from(!a.starts_with(char::is_alphanumeric)),
        ),
        _ => (format!("Hi {a},  {b}"), 0),
    })
}

/// A Markdown document of several blocks and the number of `Prop.Word` findings it must give.
fn document() -> impl Strategy<Value = (String, usize)> {
    (
        prop::collection::vec(block(), 0..8),
        prop::sample::select(vec!["\n\n", "\r\n\r\n", "\n\n\n"]),
    )
        .prop_map(|(blocks, sep)| {
            let expected = blocks.iter().map(|(_, n)| n).sum();
            let text: Vec<String> = blocks.into_iter().map(|(b, _)| b).collect();
            (text.join(sep), expected)
        })
}

fn lint(text: &str, format: Format) -> Report {
    let doc = Document::parse(text.to_string(), format);
    let path: Arc<str> = Arc::from("reply.md");
    let findings = check_document(&RULES, &path, &doc, &[]);
    Report {
        files: vec![FileReport {
            path,
            text: Arc::from(text),
            diagnostics: findings.diagnostics,
            questions: findings.questions,
            positions: None,
            human: None,
        }],
        rules: Vec::new(),
        related_sources: Vec::new(),
    }
}

/// The text each `Prop.Word` finding's span slices out of `text`.
fn flagged_words<'t>(report: &Report, text: &'t str) -> Vec<&'t str> {
    report.files[0]
        .diagnostics
        .iter()
        .filter(|d| &*d.rule == "Prop.Word")
        .map(|d| &text[d.span.clone()])
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// `Prop.Word` flags each word where it is prose and nowhere else, and its span is exactly
    /// the word in the file; every other rule's spans are valid too.
    #[test]
    fn spans_slice_out_exactly_the_flagged_text((text, expected) in document()) {
        let report = lint(&text, Format::Markdown);
        harness::assert_report(&report);
        let flagged = flagged_words(&report, &text);
        for slice in &flagged {
            prop_assert!(
                WORDS.iter().any(|w| w.to_lowercase() == slice.to_lowercase()),
                "span slices {slice:?}, not a flagged word"
            );
        }
        prop_assert_eq!(flagged.len(), expected, "{:?}", flagged);
    }

    /// Read as plain text, every word counts wherever it stands (markup is text) except inside
    /// a URL, and spans are still exact.
    #[test]
    fn plain_text_spans_are_exact((text, _) in document()) {
        let report = lint(&text, Format::Text);
        harness::assert_report(&report);
        let flagged = flagged_words(&report, &text);
        prop_assert!(flagged.iter().all(|s| WORDS.iter().any(|w| w.to_lowercase() == s.to_lowercase())));
        let lower = text.to_lowercase();
        let standalone = WORDS
            .iter()
            .map(|w| {
                lower
                    .match_indices(&w.to_lowercase())
                    .filter(|(at, m)| {
                        let before = lower[..*at].chars().next_back();
                        let after = lower[at + m.len()..].chars().next();
                        // A word character in the regex sense is a letter, digit or `_`.
                        let word = |c: char| c.is_alphanumeric() || c == '_';
                        !before.is_some_and(word)
                            && !after.is_some_and(word)
                            && !lower[..*at].ends_with("https://example.com/")
                    })
                    .count()
            })
            .sum::<usize>();
        prop_assert_eq!(flagged.len(), standalone);
    }

    /// The JSON report parses, serializes back to the same value, and each span's line and
    /// column agree with a count made afresh; the summary adds up.
    #[test]
    fn json_report_round_trips_and_agrees_with_spans((text, _) in document()) {
        let report = lint(&text, Format::Markdown);
        let json = report::render(&report, OutputFormat::Json, false);
        let value: Value = serde_json::from_str(&json).unwrap();
        let again: Value = serde_json::from_str(&serde_json::to_string(&value).unwrap()).unwrap();
        prop_assert_eq!(&again, &value);

        let diagnostics = value["files"][0]["diagnostics"].as_array().unwrap();
        prop_assert_eq!(diagnostics.len(), report.files[0].diagnostics.len());
        let index = LineIndex::new(&text);
        let mut by_level = [0u64; 3];
        for (d, original) in diagnostics.iter().zip(&report.files[0].diagnostics) {
            let span = &d["span"];
            let (start, end) = (span["start"].as_u64().unwrap() as usize, span["end"].as_u64().unwrap() as usize);
            prop_assert_eq!(start..end, original.span.clone());
            prop_assert_eq!(d["rule"].as_str().unwrap(), &*original.rule);
            for (offset, line, column) in [(start, "line", "column"), (end, "end_line", "end_column")] {
                let before = &text[..offset];
                let line_no = before.matches('\n').count() + 1;
                let col = before[before.rfind('\n').map_or(0, |i| i + 1)..].chars().count() + 1;
                prop_assert_eq!(span[line].as_u64().unwrap() as usize, line_no);
                prop_assert_eq!(span[column].as_u64().unwrap() as usize, col);
                prop_assert_eq!(index.line_col(&text, offset).column, col);
            }
            by_level[match original.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Suggestion => 2,
            }] += 1;
        }
        let summary = &value["summary"];
        prop_assert_eq!(summary["files"].as_u64(), Some(1));
        prop_assert_eq!(
            [summary["errors"].as_u64().unwrap(), summary["warnings"].as_u64().unwrap(), summary["suggestions"].as_u64().unwrap()],
            by_level
        );
    }
}

/// The JSON report of a run, minus nothing: used to compare runs.
fn run_json(paths: Vec<PathBuf>) -> Value {
    let opts = run::Options {
        paths,
        stdin: None,
        inbound: None,
        min_level: Severity::Suggestion,
        read: Default::default(),
        all_structured: false,
        fix: false,
        unsafe_fixes: false,
        keep_text: false,
        render_human: None,
        progress: None,
    };
    let outcome = run::run(&RULES, &opts);
    assert!(outcome.errors.is_empty(), "{:?}", outcome.errors);
    serde_json::from_str(&report::render(&outcome.report, OutputFormat::Json, false)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Each file's findings are the same whatever order the files are given in (Candor lints
    /// on one thread, so order is the only thing that could leak between files).
    #[test]
    fn results_do_not_depend_on_file_order(docs in prop::collection::vec(document(), 2..5)) {
        let dir = tempfile::tempdir().unwrap();
        let paths: Vec<PathBuf> = docs
            .iter()
            .enumerate()
            .map(|(i, (text, _))| {
                let p = dir.path().join(format!("r{i}.md"));
                std::fs::write(&p, text).unwrap();
                p
            })
            .collect();
        let forward = run_json(paths.clone());
        let backward = run_json(paths.iter().rev().cloned().collect());
        let files = |v: &Value| {
            let mut f = v["files"].as_array().unwrap().clone();
            f.sort_by_key(|f| f["path"].as_str().unwrap().to_string());
            f
        };
        prop_assert_eq!(files(&forward), files(&backward));
        prop_assert_eq!(&forward["summary"], &backward["summary"]);
        // Each file alone gives what it gave among the others.
        for (i, p) in paths.iter().enumerate() {
            let alone = run_json(vec![p.clone()]);
            prop_assert_eq!(&alone["files"][0], &files(&forward)[i]);
        }
    }
}
