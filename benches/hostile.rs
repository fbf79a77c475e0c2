//! How time and memory grow on hostile-sized input (`cargo bench --bench hostile`): a single
//! line of 12.5 to 100 MB; a minified (one-line) helpdesk export with thousands of findings
//! rendered as human output; pathological Markdown (unclosed brackets and links, emphasis runs,
//! nested images, wide tables, long indented lists) at 1,000 to 16,000 repeats. Each size
//! doubles; time and peak memory should roughly double too (linear), never quadruple. The tests
//! in `tests/hostile.rs` check behaviour at small sizes only; the figures belong here.
//!
//! `CANDOR_BENCH_MAX_MB` caps the single-line sizes (default 100).

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use candor::check::check_document;
use candor::report::{self, FileReport, OutputFormat, Report};
use candor::rules::RuleSet;
use candor::source::{self, Loaded};

/// Peak resident memory of this process so far, in MB (Linux; 0 elsewhere).
fn peak_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}

/// Reads `bytes` as `name`, lints it and renders `formats`; returns (findings, seconds per step).
fn run(rules: &RuleSet, name: &str, bytes: Vec<u8>, formats: &[OutputFormat]) -> (usize, Vec<f64>) {
    let mut times = Vec::new();
    let t = Instant::now();
    let Ok(Loaded::Input(input)) = source::open_bytes(Path::new(name), bytes, None) else {
        panic!("{name} did not load");
    };
    times.push(t.elapsed().as_secs_f64());
    let t = Instant::now();
    let findings = check_document(rules, &input.path, &input.doc, &[]);
    times.push(t.elapsed().as_secs_f64());
    let n = findings.diagnostics.len();
    let report = Report {
        files: vec![FileReport {
            path: input.path.clone(),
            text: Arc::from(input.doc.source),
            diagnostics: findings.diagnostics,
            questions: findings.questions,
            positions: None,
            human: None,
        }],
        rules: Vec::new(),
        related_sources: Vec::new(),
    };
    for format in formats {
        let t = Instant::now();
        let out = report::render(&report, *format, false);
        std::hint::black_box(out);
        times.push(t.elapsed().as_secs_f64());
    }
    (n, times)
}

/// Builds a pathological document with `n` repeats of its construct.
type MakeText = fn(usize) -> String;

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing useful either.
    let rules = RuleSet::builtin().expect("built-in pack");
    let max_mb: usize = std::env::var("CANDOR_BENCH_MAX_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100);

    println!("single line of prose, a finding every ~55 bytes");
    println!(
        "{:>8} {:>9} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "MB", "findings", "read s", "lint s", "json s", "human s", "peak MB"
    );
    let unit = "We value your business, and we will refund you today. ";
    let mut mb = 12.5;
    while mb <= max_mb as f64 {
        let line = unit.repeat((mb * 1e6) as usize / unit.len());
        let (n, t) = run(
            &rules,
            "one-line.txt",
            line.into_bytes(),
            &[OutputFormat::Json, OutputFormat::Human],
        );
        println!(
            "{mb:>8} {n:>9} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>9.0}",
            t[0],
            t[1],
            t[2],
            t[3],
            peak_mb()
        );
        mb *= 2.0;
    }

    println!("\npathological Markdown (tests/hostile.rs checks n = 1000 for panics and spans)");
    println!(
        "{:>20} {:>6} {:>8} {:>9} {:>8} {:>8}",
        "case", "n", "KB", "findings", "read s", "lint s"
    );
    let cases: [(&str, MakeText); 6] = [
        ("unclosed brackets", |n| {
            "[".repeat(n) + "We value your business."
        }),
        ("unclosed links", |n| {
            "[a](".repeat(n) + "We value your business."
        }),
        ("emphasis runs", |n| {
            format!("{}We value your business.{}", "*".repeat(n), "_".repeat(n))
        }),
        ("nested images", |n| {
            "![".repeat(n / 4) + "alt" + &"](x)".repeat(n / 4)
        }),
        ("wide table", |n| {
            format!(
                "{}|\n{}|\n{}|\n",
                "| h ".repeat(n),
                "|---".repeat(n),
                "| We value your business ".repeat(n)
            )
        }),
        ("indented list", |n| {
            (0..n)
                .map(|i| format!("{}- x\n", " ".repeat(i % 64 * 2)))
                .collect()
        }),
    ];
    for (what, make) in cases {
        for n in [1000, 2000, 4000, 8000, 16000] {
            let text = make(n);
            let kb = text.len() / 1024;
            let (found, t) = run(&rules, "pathological.md", text.into_bytes(), &[]);
            println!(
                "{what:>20} {n:>6} {kb:>8} {found:>9} {:>8.2} {:>8.2}",
                t[0], t[1]
            );
        }
    }

    println!("\nminified helpdesk export (one line), human output");
    println!(
        "{:>8} {:>8} {:>9} {:>8} {:>8} {:>8}",
        "macros", "KB", "findings", "read s", "lint s", "human s"
    );
    for macros in [1000, 2000, 4000, 8000] {
        let body = r#"{"title":"Refund","body":"<p>Dear valued customer,</p><p>We apologize for any inconvenience. Your refund of {{amount}} is on its way \u2014 thanks for your patience!</p>"}"#;
        let json = format!("{{\"macros\":[{}]}}", vec![body; macros].join(","));
        let kb = json.len() / 1024;
        let (n, t) = run(
            &rules,
            "export.json",
            json.into_bytes(),
            &[OutputFormat::Human],
        );
        println!(
            "{macros:>8} {kb:>8} {n:>9} {:>8.2} {:>8.2} {:>8.2}",
            t[0], t[1], t[2]
        );
    }
}
