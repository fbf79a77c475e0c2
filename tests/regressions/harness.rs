//! What every fuzz target checks, shared by the targets in `fuzz/` and by `tests/regressions.rs`
//! (which replays each saved crash input through the same code on every `cargo test`).
//!
//! Each function takes arbitrary bytes and panics only when Candor breaks a promise: a panic
//! inside Candor, a span outside its file or inside a UTF-8 sequence, a report that does not
//! render or does not parse back.

#![allow(dead_code)]

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use candor::check::{check_document, Inbound};
use candor::document::Document;
use candor::report::{self, FileReport, OutputFormat, Report};
use candor::rules::RuleSet;
use candor::source::{self, Loaded};

/// Extra rules of every supported type and scope, so the fuzzer reaches each rule type's code,
/// not only the built-in pack's.
const EXTRA_RULES: &[(&str, &str)] = &[
    (
        "Occurrence.yml",
        "extends: occurrence\nmessage: '%s words'\nscope: sentence\nmax: 6\ntoken: '\\b\\w+\\b'\n",
    ),
    (
        "WholeText.yml",
        "extends: occurrence\nmessage: '%s'\nscope: text\nmax: 2\ntoken: '(?i)\\bwe\\b'\n",
    ),
    (
        "Few.yml",
        "extends: occurrence\nmessage: '%s'\nscope: paragraph\nmin: 2\ntoken: '[.!?]'\n",
    ),
    (
        "Repeated.yml",
        "extends: repetition\nmessage: '%s'\nalpha: true\nignorecase: true\ntokens: ['[^\\s]+']\n",
    ),
    (
        "Swap.yml",
        "extends: substitution\nmessage: \"Use '%s' not '%s'\"\nignorecase: true\nswap:\n  utili[sz]e: use\n  à peu près: roughly\n  naïve: naive|simple\n",
    ),
    (
        "Raw.yml",
        "extends: existence\nmessage: '%s'\nscope: raw\nnonword: true\ntokens: ['[*_`>#|\\[\\]]+', '&\\w+;']\n",
    ),
    (
        "Parts.yml",
        "extends: existence\nmessage: '%s'\nscope: [heading, list, table, blockquote, alt, ~heading.h6]\ntokens: ['\\w+']\n",
    ),
    (
        "Sentence.yml",
        "extends: existence\nmessage: '%s'\nscope: sentence\nignorecase: true\ntokens: ['é\\w*', 'our \\w+']\naction:\n  name: replace\n  params: ['x']\n",
    ),
];

/// The built-in pack plus [`EXTRA_RULES`], compiled once.
pub fn rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut set = RuleSet::builtin().expect("built-in pack loads");
        for (file, text) in EXTRA_RULES {
            set.add_file("Fuzz", file, file, text)
                .unwrap_or_else(|e| panic!("harness rule {file}: {e}"));
        }
        set
    })
}

/// Asserts that `span` slices `text` within bounds and on character boundaries.
pub fn assert_span(text: &str, span: &Range<usize>, what: &str) {
    assert!(
        span.start <= span.end && span.end <= text.len(),
        "{what}: span {span:?} outside a text of {} bytes",
        text.len()
    );
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{what}: span {span:?} cuts a UTF-8 sequence"
    );
}

/// Every block's offset map sends the block, each sentence and each word to valid spans.
pub fn assert_document(doc: &Document) {
    for (i, block) in doc.blocks.iter().enumerate() {
        assert_eq!(
            block.prose.len(),
            block.map.prose_len(),
            "block {i} map length"
        );
        assert_span(
            &doc.source,
            &block.map.source_extent(),
            &format!("block {i} extent"),
        );
        assert_span(
            &doc.source,
            &block.to_source(0..block.prose.len()),
            &format!("block {i}"),
        );
        for s in block.sentences() {
            assert_span(&block.prose, s, &format!("block {i} sentence in prose"));
            assert_span(
                &doc.source,
                &block.to_source(s.clone()),
                &format!("block {i} sentence {s:?}"),
            );
        }
        for (at, w) in candor::document::sentences::words(&block.prose) {
            let r = at..at + w.len();
            assert_span(
                &doc.source,
                &block.to_source(r.clone()),
                &format!("block {i} word {r:?}"),
            );
        }
    }
}

/// Every span in the report points into the text of the file it names.
pub fn assert_report(report: &Report) {
    for f in &report.files {
        for d in &f.diagnostics {
            assert_span(&f.text, &d.span, &d.rule);
            if let Some(fix) = &d.fix {
                assert_span(&f.text, &fix.span, &format!("{} fix", d.rule));
            }
            for r in &d.related {
                let text = report
                    .text_of(&r.path)
                    .unwrap_or_else(|| panic!("{}: related path {} unknown", d.rule, r.path));
                assert_span(text, &r.span, &format!("{} related", d.rule));
            }
        }
        for q in &f.questions {
            let text = report
                .text_of(&q.path)
                .unwrap_or_else(|| panic!("question path {} unknown", q.path));
            assert_span(text, &q.span, "question");
            if let Some(a) = &q.answer {
                assert_span(&f.text, a, "answer");
            }
        }
    }
    for format in [OutputFormat::Human, OutputFormat::Line] {
        let _ = report::render(report, format, false);
    }
    let json = report::render(report, OutputFormat::Json, false);
    let value: serde_json::Value = serde_json::from_str(&json).expect("JSON report parses");
    assert_eq!(value["version"], 1);
}

/// Lints one loaded document against `inbound`, checks everything about the result and returns
/// the number of findings.
pub fn lint_and_check(rules: &RuleSet, path: &str, doc: Document, inbound: &[Inbound]) -> usize {
    assert_document(&doc);
    for i in inbound {
        assert_document(&i.doc);
    }
    let path: Arc<str> = Arc::from(path);
    let findings = check_document(rules, &path, &doc, inbound);
    let report = Report {
        files: vec![FileReport {
            path,
            text: Arc::from(doc.source),
            diagnostics: findings.diagnostics,
            questions: findings.questions,
            positions: None,
            human: None,
        }],
        rules: Vec::new(),
        related_sources: inbound
            .iter()
            .map(|i| report::RelatedSource {
                path: i.path.clone(),
                text: Arc::from(i.doc.source.as_str()),
            })
            .collect(),
    };
    assert_report(&report);
    report.files[0].diagnostics.len()
}

/// Reads `data` as a file named `name` (its extension picks the reader) and lints it.
pub fn read_and_lint(name: &str, data: &[u8]) {
    // Skipped files (binary) and read errors are fine: only what is read must lint cleanly.
    if let Ok(Loaded::Input(input)) = source::open_bytes(Path::new(name), data.to_vec(), None) {
        lint_and_check(rules(), &input.path, input.doc, &input.inbound);
    }
}

/// Fuzz target `markdown`: the bytes as a Markdown file and as a plain-text file.
pub fn markdown(data: &[u8]) {
    read_and_lint("fuzz.md", data);
    read_and_lint("fuzz.txt", data);
}

/// Fuzz target `macros`: the first byte picks the kind of file (`'0'` JSON, `'1'` YAML, `'2'`
/// CSV, `'3'` HTML, `'4'` email; JSON includes conversation threads), the rest is the file, read both as named on the command line and as found in a
/// folder (`only_exports`), then linted.
pub fn macros(data: &[u8]) {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let names = [
        "export.json",
        "export.yaml",
        "export.csv",
        "page.html",
        "reply.eml",
    ];
    let name = names[usize::from(pick.wrapping_sub(b'0')) % names.len()];
    for only_exports in [false, true] {
        let opts = source::ReadOptions {
            only_exports,
            ..Default::default()
        };
        if let Ok(Loaded::Input(input)) =
            source::open_bytes_with(Path::new(name), file.to_vec(), None, &opts)
        {
            lint_and_check(rules(), &input.path, input.doc, &input.inbound);
        }
    }
}

/// Fuzz target `inbound`: the bytes before the first NUL are the reply, the rest the
/// customer's message (`--inbound`); the reply is linted against it as Markdown and as text,
/// so the question and answer spans are checked in both files.
pub fn inbound(data: &[u8]) {
    let Some(split) = data.iter().position(|b| *b == 0) else {
        return;
    };
    let (Ok(reply), Ok(message)) = (
        std::str::from_utf8(&data[..split]),
        std::str::from_utf8(&data[split + 1..]),
    ) else {
        return;
    };
    let inbound = [Inbound {
        path: Arc::from("inbound.txt"),
        doc: Document::parse(message.to_string(), candor::document::Format::Text),
    }];
    for format in [
        candor::document::Format::Markdown,
        candor::document::Format::Text,
    ] {
        let doc = Document::parse(reply.to_string(), format);
        lint_and_check(rules(), "reply", doc, &inbound);
    }
}

/// Fuzz target `rule_yaml`: the bytes up to the first NUL are a rule file; what follows (or a
/// fixed sample) is linted with it when it compiles. Loading must return `Ok` or `Err`, and an
/// error must point inside the rule file.
pub fn rule_yaml(data: &[u8]) {
    let (rule, doc) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, SAMPLE.as_bytes()),
    };
    let Ok(rule) = std::str::from_utf8(rule) else {
        return;
    };
    let mut set = RuleSet::default();
    match set.add_file("Fuzz", "Rule.yml", "Fuzz/Rule.yml", rule) {
        Err(e) => {
            assert!(e.line >= 1, "error line is 1-based: {e}");
            if let (Some(text), Some(span)) = (&e.source_text, &e.span) {
                assert_span(text, span, "config error");
            }
            let _ = candor::cli::render_config_error(&e, false);
        }
        Ok(()) => {
            let Ok(doc) = std::str::from_utf8(doc) else {
                return;
            };
            for format in [
                candor::document::Format::Markdown,
                candor::document::Format::Text,
            ] {
                let doc = Document::parse(doc.to_string(), format);
                lint_and_check(&set, "sample", doc, &[]);
            }
        }
    }
}

/// Text the `rule_yaml` target lints when the input carries none.
const SAMPLE: &str = "# Our update\n\nHi Sam,\n\nWe apologize for any inconvenience. We we value \
your business at our company; utilize the form at https://example.com.\n\n> Where is my order? \
Can I get a refund?\n\n- a list item with naïve café text\n\n| a | b |\n|---|---|\n| c | d |\n\n\
![alt text](x.png) `code` and &amp; entities.\n";

/// The shapes the `repeats` target builds from its seed: the file name (its extension picks the
/// reader), what goes before the repeats and after them, and how each repeat is wrapped.
const REPEAT_SHAPES: &[(&str, &str, &str, &str, &str)] = &[
    // name, head, each repeat's prefix, each repeat's suffix, tail
    ("big.md", "", "", "", ""),
    ("big.txt", "", "", "", ""),
    // One macro body holding every repeat (JSON-escaped by the builder).
    (
        "one-body.json",
        "{\"macros\":[{\"title\":\"A\",\"body\":\"",
        "",
        "",
        "\"}]}",
    ),
    // A macro per repeat.
    (
        "many.json",
        "{\"macros\":[",
        "{\"title\":\"A\",\"body\":\"",
        "\"},",
        "{\"body\":\"x\"}]}",
    ),
    (
        "many.yaml",
        "macros:\n",
        "  - title: A\n    body: \"",
        "\"\n",
        "",
    ),
    ("many.csv", "title,body\n", "A,\"", "\"\n", ""),
    ("page.html", "<html><body><p>", "", "", "</p></body></html>"),
    (
        "reply.eml",
        "From: a@example.com\nSubject: Re: help\n\n",
        "",
        "",
        "",
    ),
    (
        "thread.json",
        "{\"messages\":[",
        "{\"role\":\"customer\",\"text\":\"",
        "\"},{\"role\":\"agent\",\"text\":\"We value your business.\"},",
        "{\"role\":\"agent\",\"text\":\"x\"}]}",
    ),
];

/// `seed` repeated `n` times in `shape` (an index into [`REPEAT_SHAPES`]). In a JSON or YAML
/// string the seed is escaped (quotes, backslashes and control characters), so the file stays
/// well formed and the size reaches the reader's text, not its error path.
pub fn repeated(shape: usize, seed: &str, n: usize) -> (&'static str, String) {
    let (name, head, pre, post, tail) = REPEAT_SHAPES[shape % REPEAT_SHAPES.len()];
    let quoted = name.ends_with(".json") || name.ends_with(".yaml");
    let seed = if quoted {
        let json = serde_json::to_string(seed).expect("a string serialises");
        json[1..json.len() - 1].to_string()
    } else if name.ends_with(".csv") {
        seed.replace('"', "\"\"")
    } else {
        seed.to_string()
    };
    let mut out = String::with_capacity(head.len() + n * (pre.len() + seed.len() + post.len()));
    out.push_str(head);
    for _ in 0..n {
        out.push_str(pre);
        out.push_str(&seed);
        out.push_str(post);
    }
    out.push_str(tail);
    (name, out)
}

/// CPU time this process has used, in seconds: what [`repeats`] compares, so a machine busy with
/// other work (which stretches wall time, not CPU time) is not taken for super-linear cost.
#[cfg(unix)]
fn cpu_seconds() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ProcessCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

/// Wall time elsewhere (no process CPU clock in the standard library).
#[cfg(not(unix))]
fn cpu_seconds() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START
        .get_or_init(std::time::Instant::now)
        .elapsed()
        .as_secs_f64()
}

/// Fuzz target `repeats`: large structured inputs, which libFuzzer's own inputs never are
/// (they stay under a few KB). The first byte picks a shape ([`REPEAT_SHAPES`]: Markdown, text,
/// one macro body, many macros in JSON/YAML/CSV, HTML, email, a thread), the second a size
/// (16 KiB to 1 MiB), and the rest, as UTF-8, is the seed repeated to that size. The file is
/// read and linted with every check of [`lint_and_check`].
///
/// With `check_growth` (the fuzz target; never in `cargo test`, which must not time things) the
/// same seed at a quarter of the size is timed too (process CPU time, see [`cpu_seconds`]), and
/// a run that takes over 12 times as long for 4 times the input (linear is 4, quadratic 16),
/// twice in a row and above 0.25 s of CPU, panics:
/// the fuzzer then keeps the input as a crash, so super-linear cost is found like a panic.
pub fn repeats(data: &[u8], check_growth: bool) {
    let [shape, size, seed @ ..] = data else {
        return;
    };
    let Ok(seed) = std::str::from_utf8(seed) else {
        return;
    };
    if seed.is_empty() {
        return;
    }
    // Digits pick the first shapes and sizes, so a seed file can be written by hand.
    let shape = usize::from(shape.wrapping_sub(b'0'));
    let bytes = (16usize << 10) << (size.wrapping_sub(b'0') % 7);
    let n = (bytes / seed.len()).max(4);
    let (name, big) = repeated(shape, seed, n);
    let lint = |text: &str| {
        let t = cpu_seconds();
        read_and_lint(name, text.as_bytes());
        cpu_seconds() - t
    };
    let t_big = lint(&big);
    if !check_growth || t_big < 0.25 {
        return;
    }
    let (_, small) = repeated(shape, seed, n / 4);
    let t_small = lint(&small);
    if t_big <= 12.0 * t_small {
        return;
    }
    // Once more, so a pause of the machine is not taken for the input's cost.
    let (t_small, t_big) = (lint(&small).min(t_small), lint(&big).min(t_big));
    assert!(
        t_big <= 12.0 * t_small,
        "super-linear: {name} with {n} repeats ({} bytes) took {t_big:.3} s, a quarter of it {t_small:.3} s",
        big.len()
    );
}
