//! How time and memory grow on hostile-sized input (`cargo bench --bench hostile`): a single
//! line of 12.5 to 100 MB; a minified (one-line) helpdesk export with thousands of findings
//! rendered as human output; pathological Markdown (unclosed brackets and links, emphasis runs,
//! nested images, wide tables, long indented lists) at 1,000 to 16,000 repeats. Each size
//! doubles; time and peak memory should roughly double too (linear), never quadruple. The tests
//! in `tests/hostile.rs` check behaviour at small sizes only; the figures belong here.
//!
//! `CANDOR_BENCH_MAX_MB` caps the single-line sizes (default 100).
//!
//! Then every input shape that once cost more than linear time (issue 22) is doubled four
//! times; each row prints the time at each size and the growth factor per doubling (about 2.0
//! is linear, 4.0 quadratic). `CANDOR_BENCH_ONLY=doubling` runs only those rows;
//! `CANDOR_BENCH_ROW=TEXT` only the rows whose name holds TEXT.

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

/// Times `f` at each size (the better of two runs) and prints one row: the times and the
/// growth factor per doubling.
fn doubling(name: &str, sizes: &[usize], mut f: impl FnMut(usize) -> f64) {
    if std::env::var("CANDOR_BENCH_ROW").is_ok_and(|only| !name.contains(&only)) {
        return;
    }
    let mut times = Vec::new();
    for &n in sizes {
        let t = f(n).min(f(n));
        times.push(t);
    }
    let sized: Vec<String> = sizes
        .iter()
        .zip(&times)
        .map(|(n, t)| format!("{n}:{t:.3}s"))
        .collect();
    let factors: Vec<String> = times
        .windows(2)
        .map(|w| format!("{:.2}", w[1] / w[0].max(1e-6)))
        .collect();
    println!("{name:<44} {:<58} x{}", sized.join(" "), factors.join(" x"));
}

/// Seconds to read `text` as `name`, lint it and apply its suppression comments.
fn lint_secs(rules: &RuleSet, name: &str, text: String) -> f64 {
    let t = Instant::now();
    let Ok(Loaded::Input(input)) = source::open_bytes(Path::new(name), text.into_bytes(), None)
    else {
        panic!("{name} did not load");
    };
    let mut findings = check_document(rules, &input.path, &input.doc, &input.inbound);
    candor::suppress::apply(&mut findings.diagnostics, &input.doc, &|_| false);
    std::hint::black_box(findings.diagnostics.len());
    t.elapsed().as_secs_f64()
}

/// The rows of issue 22's table that are linear now: each shape doubled four times.
fn doubling_rows(rules: &RuleSet) {
    use candor::config::{ConfigChoice, Resolver};
    use std::fs;
    println!(
        "\ndoubling each hostile shape: time at each size, growth per doubling (2.0 = linear)"
    );
    let filler = "We value your business.";
    // Stock phrases: every block is scanned for the catalogue's matches once, and each
    // sentence (CannedFiller) or the first block (BuriedAnswer) walks them in order.
    let stock = "we apologize for any inconvenience ";
    doubling(
        "one line of stock phrases (.txt)",
        &[10000, 20000, 40000, 80000],
        |n| lint_secs(rules, "s.txt", stock.repeat(n)),
    );
    // A stock phrase among other words, in one sentence that never ends: each phrase is
    // reported on its own, and whether the rest stands without it must not walk the sentence
    // (found by the `repeats` fuzz target).
    doubling(
        "one sentence with a stock phrase every 45 bytes",
        &[5000, 10000, 20000, 40000],
        |n| {
            lint_secs(
                rules,
                "w.txt",
                "order 4471, we value your business for the pea ".repeat(n),
            )
        },
    );
    doubling(
        "a paragraph of filler sentences (.md)",
        &[5000, 10000, 20000, 40000],
        |n| {
            lint_secs(
                rules,
                "p.md",
                "We apologize for any inconvenience. ".repeat(n),
            )
        },
    );
    doubling(
        "one macro body of stock phrases (JSON)",
        &[10000, 20000, 40000, 80000],
        |n| {
            let json = format!(
                "{{\"macros\":[{{\"title\":\"A\",\"body\":\"{}\"}}]}}",
                stock.repeat(n)
            );
            lint_secs(rules, "b.json", json)
        },
    );
    doubling(
        "a <p> with many &amp; (HTML)",
        &[25000, 50000, 100000, 200000],
        |n| {
            let html = format!("<p>{}</p>", "We apologize &amp; thank you. ".repeat(n / 4));
            lint_secs(rules, "a.html", html)
        },
    );
    let line = stock.repeat(21_000_000 / stock.len());
    let mb = line.len() as f64 / 1e6;
    let spent = lint_secs(rules, "line.txt", line);
    println!(
        "{:<44} {mb:.1} MB: {spent:.2} s (issue 22: under 2 s)",
        "one 21 MB line of stock phrases"
    );
    doubling(
        "--inbound with many questions",
        &[1000, 2000, 4000, 8000],
        |n| {
            let message: String = (0..n)
                .map(|i| format!("Can I get refund number {i} for order {i}? "))
                .collect();
            let reply: String = (0..n)
                .map(|i| format!("Order {i} ships on Monday. "))
                .collect();
            let inbound = [candor::check::Inbound {
                path: Arc::from("in.txt"),
                doc: candor::document::Document::parse(message, candor::document::Format::Text),
            }];
            let t = Instant::now();
            let doc = candor::document::Document::parse(reply, candor::document::Format::Text);
            let found = check_document(rules, &Arc::from("r.txt"), &doc, &inbound);
            std::hint::black_box(found.diagnostics.len());
            t.elapsed().as_secs_f64()
        },
    );
    doubling(
        "quoted questions and a long reply, one file",
        &[1000, 2000, 4000, 8000],
        |n| {
            let quoted: String = (0..n)
                .map(|i| format!("> Can I get a refund for order {i}?\n"))
                .collect();
            let reply: String = (0..n)
                .map(|i| format!("Order {i} ships on Monday. "))
                .collect();
            lint_secs(rules, "q.txt", format!("{quoted}\n{reply}\n"))
        },
    );
    doubling(
        "many candor-disable (distinct rules)",
        &[2000, 4000, 8000, 16000],
        |n| {
            let text: String = (0..n)
                .map(|i| format!("<!-- candor-disable R{i}.X -->\n{filler}\n\n"))
                .collect();
            lint_secs(rules, "d.md", text)
        },
    );
    doubling(
        "candor-enable under disable-all",
        &[2000, 4000, 8000, 16000],
        |n| {
            let text: String = std::iter::once("<!-- candor-disable -->\n\n".to_string())
                .chain((0..n).map(|i| format!("<!-- candor-enable R{i}.X -->\n{filler}\n\n")))
                .collect();
            lint_secs(rules, "e.md", text)
        },
    );
    doubling(
        "one comment naming n rules",
        &[8000, 16000, 32000, 64000],
        |n| {
            let names: Vec<String> = (0..n).map(|i| format!("R{i}.X")).collect();
            let text = format!(
                "<!-- candor-disable {} -->\n\n{}",
                names.join(", "),
                format!("{filler}\n\n").repeat(n / 8)
            );
            lint_secs(rules, "o.md", text)
        },
    );
    doubling(
        "many disable-line comments",
        &[8000, 16000, 32000, 64000],
        |n| {
            let text =
                format!("{filler} <!-- candor-disable-line Candor.CannedFiller -->\n\n").repeat(n);
            lint_secs(rules, "l.md", text)
        },
    );
    doubling(
        "many disable-next-line comments",
        &[8000, 16000, 32000, 64000],
        |n| {
            let text = format!("<!-- candor-disable-next-line -->\n{filler}\n\n").repeat(n);
            lint_secs(rules, "n.txt", text)
        },
    );
    doubling(
        "disable-line in one macro body (JSON)",
        &[8000, 16000, 32000, 64000],
        |n| {
            // No full stops: one body of many sentences is one block, whose cost is the
            // stock-phrase scan's (`Catalogue::scan`, its own row), not the comments'.
            let body = "<!-- candor-disable-line -->See {{first_name} on page 4;\\n".repeat(n);
            let json = format!("{{\"macros\":[{{\"title\":\"A\",\"body\":\"{body}\"}}]}}");
            lint_secs(rules, "m.json", json)
        },
    );
    doubling(
        "thread JSON with many messages",
        &[1000, 2000, 4000, 8000],
        |n| {
            let messages: Vec<String> = (0..n)
                .map(|i| {
                    let role = if i % 2 == 0 { "customer" } else { "agent" };
                    format!("{{\"role\":\"{role}\",\"text\":\"Message {i}. {filler}\"}}")
                })
                .collect();
            let json = format!("{{\"messages\":[{}]}}", messages.join(","));
            lint_secs(rules, "thread.json", json)
        },
    );
    doubling(
        "Placeholder: code spans and placeholders",
        &[16000, 32000, 64000, 128000],
        |n| lint_secs(rules, "p.md", "`{{code}}` Hi {{first_name}}.\n\n".repeat(n)),
    );
    doubling(
        "Placeholder: malformed in a JSON export",
        &[32000, 64000, 128000, 256000],
        |n| {
            let one = r#"{"title":"A","body":"Hi {{first_name}, thanks."}"#;
            let json = format!("{{\"macros\":[{}]}}", vec![one; n].join(","));
            lint_secs(rules, "export.json", json)
        },
    );

    let dir = tempfile::tempdir().expect("a temporary folder");
    let d = dir.path();
    doubling(
        "substitution with many swap keys",
        &[2000, 4000, 8000, 16000],
        |n| {
            let pack = d.join(format!("swap{n}/Swap"));
            fs::create_dir_all(&pack).unwrap();
            let keys: String = (0..n).map(|i| format!("  word{i}x: use{i}\n")).collect();
            fs::write(
            pack.join("Many.yml"),
            format!("extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\nswap:\n{keys}"),
        )
        .unwrap();
            let set = RuleSet::load(&[pack.parent().unwrap()]).unwrap();
            let text: String = (0..n).map(|i| format!("Please word{i}x it. ")).collect();
            let t = Instant::now();
            let spent = lint_secs(&set, "s.md", text);
            std::hint::black_box(spent);
            t.elapsed().as_secs_f64()
        },
    );
    doubling(
        ".candor.yaml with many paths: sections",
        &[1000, 2000, 4000, 8000],
        |n| {
            let sections: String = (0..n)
                .map(|i| {
                    format!("  \"docs/s{i}/**\":\n    rules:\n      Candor.CannedFiller: error\n")
                })
                .collect();
            let config = d.join(format!("paths{n}.yaml"));
            fs::write(&config, format!("paths:\n{sections}")).unwrap();
            let t = Instant::now();
            let mut r =
                Resolver::new(&[] as &[std::path::PathBuf], ConfigChoice::File(config)).unwrap();
            for i in (0..n).step_by(n / 8) {
                std::hint::black_box(r.resolve(&d.join(format!("docs/s{i}/a.md"))).is_ok());
            }
            t.elapsed().as_secs_f64()
        },
    );
    doubling(
        "a level for each of many rules",
        &[500, 1000, 2000, 4000],
        |n| {
            let pack = d.join(format!("levels{n}/Lv"));
            fs::create_dir_all(&pack).unwrap();
            let mut config = String::from("rules:\n");
            for i in 0..n {
                fs::write(
                pack.join(format!("R{i}.yml")),
                format!("extends: existence\nmessage: \"'%s'\"\nlevel: warning\ntokens:\n  - zzq{i}\n"),
            )
            .unwrap();
                config.push_str(&format!("  Lv.R{i}: error\n"));
            }
            let file = d.join(format!("levels{n}.yaml"));
            fs::write(&file, config).unwrap();
            let t = Instant::now();
            let mut r = Resolver::new(
                &[pack.parent().unwrap().to_path_buf()],
                ConfigChoice::File(file),
            )
            .unwrap();
            std::hint::black_box(r.resolve(&d.join("a.md")).is_ok());
            t.elapsed().as_secs_f64()
        },
    );
    doubling(
        "--diff with many changed lines",
        &[5000, 10000, 20000, 40000],
        |n| {
            let old: String = (0..n)
                .map(|i| format!("line {i}: please utilize it\n"))
                .collect();
            let new: String = (0..n)
                .map(|i| {
                    if i % 2 == 0 {
                        format!("line {i}: please use it\n")
                    } else {
                        format!("line {i}: please utilize it\n")
                    }
                })
                .collect();
            let t = Instant::now();
            std::hint::black_box(candor::fix::unified_diff("r.md", &old, &new).len());
            t.elapsed().as_secs_f64()
        },
    );
    doubling(
        "a deep folder tree (depth; paths grow 4x)",
        &[250, 500, 1000, 2000],
        |n| {
            let top = d.join(format!("deep{n}"));
            let mut here = top.clone();
            for i in 0..n {
                here.push("d");
                fs::create_dir_all(&here).unwrap();
                if i % 4 == 0 {
                    fs::write(here.join("a.md"), filler).unwrap();
                }
            }
            let opts = candor::run::Options {
                paths: vec![top],
                stdin: None,
                inbound: None,
                min_level: candor::diagnostic::Severity::Suggestion,
                read: source::ReadOptions::default(),
                all_structured: false,
                fix: false,
                unsafe_fixes: false,
                keep_text: false,
                render_human: None,
                progress: None,
            };
            let t = Instant::now();
            let mut r =
                Resolver::new(&[] as &[std::path::PathBuf], ConfigChoice::Discover).unwrap();
            let out = candor::run::run_with(&mut r, &opts).unwrap();
            std::hint::black_box(out.report.files.len());
            t.elapsed().as_secs_f64()
        },
    );
    doubling(
        "many .eml files in a reply chain",
        &[8000, 16000, 32000, 64000],
        |n| {
            let inputs: Vec<source::Input> = (0..n)
            .map(|i| {
                let mail = format!(
                    "From: a@example.com\nMessage-ID: <m{i}@x>\nIn-Reply-To: <m{}@x>\n\nHello {i}.\n",
                    i + 1
                );
                match source::open_bytes(Path::new(&format!("m{i}.eml")), mail.into_bytes(), None) {
                    Ok(Loaded::Input(input)) => input,
                    _ => panic!("email {i} did not load"),
                }
            })
            .collect();
            let t = Instant::now();
            std::hint::black_box(source::email::pair(inputs).len());
            t.elapsed().as_secs_f64()
        },
    );
    doubling(
        "--field **.**.**.**.**.x (JSON depth)",
        &[64, 128, 256, 512],
        |n| {
            let json = format!("{}\"x\"{}", "{\"a\":[".repeat(n), "]}".repeat(n));
            let opts = source::ReadOptions {
                fields: vec![source::macros::FieldPath::parse("**.**.**.**.**.x").unwrap()],
                ..source::ReadOptions::default()
            };
            let t = Instant::now();
            let loaded =
                source::open_bytes_with(Path::new("f.json"), json.into_bytes(), None, &opts);
            std::hint::black_box(loaded.is_ok());
            t.elapsed().as_secs_f64()
        },
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` would pass nothing useful either.
    let rules = RuleSet::builtin().expect("built-in pack");
    if std::env::var("CANDOR_BENCH_ONLY").is_ok_and(|v| v == "doubling") {
        doubling_rows(&rules);
        return;
    }
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
    doubling_rows(&rules);
}
