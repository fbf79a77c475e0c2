//! Hostile input, through the real binary: each test names what it feeds `candor` and what must
//! come out. Nothing may panic, hang, or touch a file; bad input is an error that names the
//! file (and line or byte) with exit status 2, and the other files are still linted.

#[path = "regressions/harness.rs"]
mod harness;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use candor::document::{Document, Format};
use serde_json::Value;

const FILLER: &str = "We value your business.";

fn candor(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("candor runs")
}

fn code(out: &Output) -> i32 {
    out.status
        .code()
        .unwrap_or_else(|| panic!("candor was killed by a signal: {:?}", out.status))
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            stderr(out)
        )
    })
}

/// Paths of the files the JSON report lists.
fn reported(report: &Value) -> Vec<String> {
    report["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

/// The diagnostics of one file in the JSON report, as (rule, source text of the span).
fn findings(report: &Value, path: &str, text: &str) -> Vec<(String, String)> {
    let file = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in the report: {report}"));
    file["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let (s, e) = (
                d["span"]["start"].as_u64().unwrap() as usize,
                d["span"]["end"].as_u64().unwrap() as usize,
            );
            (
                d["rule"].as_str().unwrap().to_string(),
                text.get(s..e).expect("span slices the file").to_string(),
            )
        })
        .collect()
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

#[test]
fn empty_files_are_linted_and_clean() {
    let dir = tmp();
    fs::write(dir.path().join("empty.md"), "").unwrap();
    fs::write(dir.path().join("empty.txt"), "").unwrap();
    let out = candor(
        dir.path(),
        &["check", "empty.md", "empty.txt", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(reported(&report), ["empty.md", "empty.txt"]);
    assert_eq!(report["summary"]["files"], 2);
    assert!(findings(&report, "empty.md", "").is_empty());
}

#[test]
fn a_binary_file_is_skipped_with_a_note_and_the_others_are_linted() {
    let dir = tmp();
    fs::write(dir.path().join("logo.md"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    fs::write(dir.path().join("reply.md"), FILLER).unwrap();
    let out = candor(dir.path(), &["check", ".", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("logo.md: skipped, it looks binary"),
        "{}",
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(reported(&report), ["./reply.md"]);
    assert_eq!(
        findings(&report, "./reply.md", FILLER),
        [("Candor.CannedFiller".to_string(), FILLER.to_string())]
    );
    // --quiet drops the note, not the skip.
    let quiet = candor(dir.path(), &["check", ".", "--quiet", "--format", "json"]);
    assert!(!stderr(&quiet).contains("skipped"));
    assert_eq!(reported(&json(&quiet)), ["./reply.md"]);
}

#[test]
fn invalid_utf8_is_an_error_naming_file_offset_and_line_and_the_others_are_linted() {
    let dir = tmp();
    // Byte 13 (on line 2) is a lone continuation byte.
    fs::write(dir.path().join("latin1.txt"), b"Hello,\ncaf\xe9 au lait\n").unwrap();
    fs::write(dir.path().join("reply.md"), FILLER).unwrap();
    let out = candor(
        dir.path(),
        &["check", "latin1.txt", "reply.md", "--format", "json"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("latin1.txt: not valid UTF-8: invalid byte at offset 10 (line 2)"),
        "{}",
        stderr(&out)
    );
    let report = json(&out);
    assert_eq!(reported(&report), ["reply.md"]);
    assert_eq!(findings(&report, "reply.md", FILLER).len(), 1);
}

#[test]
fn a_path_that_does_not_exist_is_an_error_naming_it_and_the_others_are_linted() {
    let dir = tmp();
    fs::write(dir.path().join("reply.md"), FILLER).unwrap();
    let out = candor(
        dir.path(),
        &["check", "no/such/file.md", "reply.md", "--format", "json"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("no/such/file.md: No such file or directory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(reported(&json(&out)), ["reply.md"]);
}

#[test]
fn symlink_loops_end_with_an_error_or_are_not_followed() {
    let dir = tmp();
    let d = dir.path();
    fs::create_dir(d.join("docs")).unwrap();
    fs::write(d.join("docs/reply.md"), FILLER).unwrap();
    // A folder that contains itself, and two links that point at each other.
    std::os::unix::fs::symlink("..", d.join("docs/up")).unwrap();
    std::os::unix::fs::symlink(".", d.join("docs/self")).unwrap();
    std::os::unix::fs::symlink("b.md", d.join("a.md")).unwrap();
    std::os::unix::fs::symlink("a.md", d.join("b.md")).unwrap();

    // Walking a folder does not follow links: each file once, no error.
    let out = candor(d, &["check", "docs", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(reported(&json(&out)), ["docs/reply.md"]);

    // A looping link named on the command line is an error naming it.
    let out = candor(d, &["check", "a.md", "docs", "--format", "json"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("a.md: Too many levels of symbolic links"),
        "{}",
        stderr(&out)
    );
    assert_eq!(reported(&json(&out)), ["docs/reply.md"]);

    // The whole temp folder: the loop links are links, not files, so they are passed over.
    let out = candor(d, &["check", ".", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(reported(&json(&out)), ["./docs/reply.md"]);
}

/// Whether this process can read a file whose mode forbids it (root can).
fn permissions_bind_us() -> bool {
    let dir = tmp();
    let probe = dir.path().join("probe");
    fs::write(&probe, "x").unwrap();
    set_mode(&probe, 0o000);
    fs::read(&probe).is_err()
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(mode)).unwrap();
}

/// Runs candor as a user that file modes bind: ourselves when we are not root, else `nobody`
/// through `setpriv` (when it is installed).
fn candor_unprivileged(dir: &Path, args: &[&str]) -> Option<Output> {
    if permissions_bind_us() {
        return Some(candor(dir, args));
    }
    let probe = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        return None;
    }
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .ok()
}

#[test]
fn unreadable_folders_and_files_are_errors_naming_them_and_the_others_are_linted() {
    let dir = tmp();
    let d = dir.path();
    set_mode(d, 0o755);
    fs::create_dir_all(d.join("docs/locked")).unwrap();
    fs::write(d.join("docs/locked/secret.md"), FILLER).unwrap();
    fs::write(d.join("docs/reply.md"), FILLER).unwrap();
    fs::write(d.join("docs/private.md"), FILLER).unwrap();
    set_mode(&d.join("docs/locked"), 0o000);
    set_mode(&d.join("docs/private.md"), 0o000);

    let out = candor_unprivileged(d, &["check", "docs", "--format", "json"]);
    set_mode(&d.join("docs/locked"), 0o755);
    let Some(out) = out else {
        // Root reads everything and there is no way here to drop privileges: say so rather
        // than pass quietly.
        eprintln!("skipped: running as root and `setpriv` is not available");
        return;
    };
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("docs/locked: "), "{err}");
    assert!(err.contains("docs/private.md: Permission denied"), "{err}");
    assert!(!err.contains("secret.md"), "{err}");
    assert_eq!(reported(&json(&out)), ["docs/reply.md"]);
}

#[test]
fn a_long_single_line_is_linted_whole_with_short_output() {
    let dir = tmp();
    // 50 KB on one line (50 times the longest line the human report quotes), a finding every
    // ~55 bytes: enough to show output that grows with line length times findings. Time and
    // memory on 12.5-100 MB lines are measured by `benches/hostile.rs`.
    let unit = "We value your business, and we will refund you today. ";
    let line = unit.repeat(50_000 / unit.len());
    fs::write(dir.path().join("one-line.md"), &line).unwrap();
    let expected = line.matches("We value your business").count();

    let out = candor(dir.path(), &["check", "one-line.md", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    let found = findings(&report, "one-line.md", &line);
    let filler: Vec<_> = found
        .iter()
        .filter(|(rule, _)| rule == "Candor.CannedFiller")
        .collect();
    // Every occurrence, to the end of the line: nothing is dropped or cut short.
    assert_eq!(filler.len(), expected);
    assert!(filler
        .iter()
        .all(|(_, text)| text == "We value your business"));
    // The only other finding: the reply is far over the length budget, flagged once.
    let others: Vec<_> = found
        .iter()
        .filter(|(rule, _)| rule != "Candor.CannedFiller")
        .map(|(rule, _)| rule.as_str())
        .collect();
    assert_eq!(others, ["Candor.Length"]);
    let last = report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|d| d["rule"] == "Candor.CannedFiller")
        .unwrap()["span"]
        .clone();
    assert_eq!(last["line"], 1);
    assert_eq!(
        last["column"].as_u64().unwrap() as usize,
        line.rfind("We value").unwrap() + 1
    );

    // Human output does not quote the whole line once per finding.
    let out = candor(dir.path(), &["check", "one-line.md"]);
    assert_eq!(code(&out), 0);
    assert!(
        out.stdout.len() < expected * 400,
        "{} bytes of output for {expected} findings",
        out.stdout.len()
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("at one-line.md:1:55: `We value your business` (line too long to quote)"));
}

/// Parses and lints `source` in-process, on the test's own (small) thread stack, with the fuzz
/// harness's checks (every span valid, every report renders); returns the number of findings.
fn lint_in_process(source: &str, format: Format) -> usize {
    let doc = Document::parse(source.to_string(), format);
    harness::lint_and_check(harness::rules(), "hostile", doc, &[])
}

#[test]
fn ten_thousand_deep_quotes_and_lists_do_not_overflow_the_stack() {
    let depth = 10_000;
    let cases = [
        ("quotes.md", "> ".repeat(depth)),
        ("bullets.md", "- ".repeat(depth)),
        ("ordered.md", "1. ".repeat(depth)),
        ("mixed.md", "> - ".repeat(depth / 2)),
        (
            "indented.md",
            // Indentation climbs 64 levels and falls back, over and over.
            (0..depth / 10)
                .map(|i| format!("{}- x\n", " ".repeat(i % 64 * 2)))
                .collect(),
        ),
        ("quotes.txt", ">".repeat(depth)),
    ];
    let dir = tmp();
    for (name, prefix) in &cases {
        let text = format!("{prefix}{FILLER}\n");
        fs::write(dir.path().join(name), &text).unwrap();
        let format = if name.ends_with(".md") {
            Format::Markdown
        } else {
            Format::Text
        };
        lint_in_process(&text, format);
        let out = candor(dir.path(), &["check", name, "--format", "json"]);
        assert!(matches!(code(&out), 0 | 1), "{name}: {}", stderr(&out));
        let (filler, others): (Vec<_>, Vec<_>) = findings(&json(&out), name, &text)
            .into_iter()
            .partition(|(rule, _)| rule == "Candor.CannedFiller");
        // Inside lists the filler is the writer's and is flagged, the whole sentence; inside
        // quotes it is the customer's and is not.
        let in_quote = name.starts_with("quotes") || name.starts_with("mixed");
        let expected: &[_] = if in_quote { &[] } else { &[FILLER] };
        let filler: Vec<_> = filler.iter().map(|(_, t)| t.as_str()).collect();
        assert_eq!(filler, expected, "{name}");
        // A 10,000-item list is also a long reply; nothing else fires.
        assert!(
            others.iter().all(|(rule, _)| rule == "Candor.Length"),
            "{name}: {:?}",
            others.iter().map(|(rule, _)| rule).collect::<Vec<_>>()
        );
    }
}

#[test]
fn pathological_markdown_finishes_with_valid_spans() {
    // Each construct a thousand times over: what these tests check is no panic and exact
    // spans; how time grows at larger sizes is measured by `benches/hostile.rs`.
    let n = 1_000;
    let cases: Vec<(&str, String)> = vec![
        ("unclosed brackets", "[".repeat(n) + FILLER),
        ("unclosed links", "[a](".repeat(n) + FILLER),
        ("unclosed emphasis", "*_".repeat(n) + FILLER),
        (
            "emphasis runs",
            format!("{}{FILLER}{}", "*".repeat(n), "_".repeat(n)),
        ),
        ("unclosed code span", "`".repeat(n) + FILLER),
        ("alternating ticks", "`a``".repeat(n / 4) + FILLER),
        ("unclosed fence", format!("```\n{}", "line\n".repeat(n))),
        (
            "unclosed html",
            format!("<div\n{FILLER}\n<!-- {}", "x\n".repeat(n)),
        ),
        (
            "unclosed front matter",
            format!("---\n{}", "k: v\n".repeat(n)),
        ),
        (
            "many references",
            (0..n).map(|i| format!("[r{i}]: http://x/{i}\n")).collect(),
        ),
        (
            "many reference uses",
            format!("[r]: http://x\n\n{}", "[r] ".repeat(n)),
        ),
        (
            "entities",
            "&amp;&#1;&#x10FFFF;&#xD800;&bogus;".repeat(n / 8),
        ),
        (
            "nested images",
            "![".repeat(n / 4) + "alt" + &"](x)".repeat(n / 4),
        ),
        (
            "footnotes",
            (0..n / 10)
                .map(|i| format!("[^{i}]: [^{i}] note\n"))
                .collect(),
        ),
        (
            "wide table",
            format!(
                "{}|\n{}|\n{}|\n",
                "| h ".repeat(n),
                "|---".repeat(n),
                "| We value your business ".repeat(n)
            ),
        ),
        (
            "long table",
            format!(
                "| a | b |\n|---|---|\n{}",
                "| c | We value your business |\n".repeat(n / 4)
            ),
        ),
        (
            "ragged table",
            format!("| a |\n|---|\n{}", "| b | c | d | e |\n".repeat(n / 4)),
        ),
        ("crlf and lone cr", "a\r\rb\r\n\r\n> q\r".repeat(n / 8)),
    ];
    for (what, text) in &cases {
        for format in [Format::Markdown, Format::Text] {
            // A panic names the case through the harness's messages; add ours.
            let result = std::panic::catch_unwind(|| lint_in_process(text, format));
            assert!(result.is_ok(), "{what} ({format:?}) panicked");
        }
    }
    let wide = &cases.iter().find(|c| c.0 == "wide table").unwrap().1;
    assert!(lint_in_process(wide, Format::Markdown) >= n);
}

fn write_rule(dir: &Path, name: &str, yaml: &str) -> PathBuf {
    let pack = dir.join("styles/House");
    fs::create_dir_all(&pack).unwrap();
    let _ = fs::remove_dir_all(&pack);
    fs::create_dir_all(&pack).unwrap();
    fs::write(pack.join(name), yaml).unwrap();
    pack
}

#[test]
fn a_regex_that_backtracking_engines_explode_on_runs_in_linear_time() {
    let dir = tmp();
    let d = dir.path();
    // Each pattern takes exponential time in a backtracking engine on a long run of `a` that
    // ends in a mismatch; the regex crate's automata take one pass.
    write_rule(
        d,
        "Explode.yml",
        "extends: existence\nmessage: \"'%s'\"\nnonword: true\ntokens:\n  - '(a+)+$'\n  - '(a|aa)+c'\n  - '(?:a*)*b'\n  - '(.*a){12}z'\n",
    );
    // Thirty `a`s already cost a backtracking engine some 2^30 steps on `(a+)+$`.
    let text = "a".repeat(20_000) + "!";
    fs::write(d.join("aaa.md"), &text).unwrap();
    let out = candor(
        d,
        &["check", "aaa.md", "--rules", "styles", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(findings(&json(&out), "aaa.md", &text).is_empty());

    // And it still matches where it should.
    fs::write(d.join("aab.md"), "aaab").unwrap();
    let out = candor(
        d,
        &["check", "aab.md", "--rules", "styles", "--format", "json"],
    );
    assert_eq!(
        findings(&json(&out), "aab.md", "aaab"),
        [("House.Explode".to_string(), "aaab".to_string())]
    );
}

#[test]
fn a_regex_too_big_to_compile_is_an_error_not_an_allocation() {
    let dir = tmp();
    write_rule(
        dir.path(),
        "Huge.yml",
        "extends: existence\nmessage: x\ntokens:\n  - 'x'\n  - 'a{1000}{1000}{100}'\n",
    );
    fs::write(dir.path().join("r.md"), "a").unwrap();
    let out = candor(
        dir.path(),
        &["check", "r.md", "--rules", "styles", "--strict-rules"],
    );
    // Rule regexes compile on first use (src/engine/lazy.rs), but one whose counted
    // repetitions may make it too big is compiled when it loads: a configuration error that
    // names the file and line.
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let shown = stderr(&out);
    assert!(shown.contains("Huge.yml:5"), "{shown}");
    assert!(
        shown.contains("`a{1000}{1000}{100}` is too big to compile"),
        "{shown}"
    );
}

#[test]
fn broken_rule_files_exit_2_naming_file_and_line() {
    let cases = [
        (
            "not YAML",
            "extends: existence\ntokens: [a\n  b: {\n",
            3,
            "did not find expected",
        ),
        ("a YAML scalar", "just some words\n", 1, "invalid type"),
        ("a YAML list", "- extends\n- existence\n", 1, "invalid type"),
        (
            "tabs",
            "extends: existence\n\ttokens: [a]\n",
            2,
            "tab character",
        ),
        (
            "unknown key",
            "extends: existence\nmessage: x\ncolour: red\ntokens: [a]\n",
            3,
            "unknown field `colour`",
        ),
        (
            "wrong type",
            "extends: existence\nlevel: [1, 2]\ntokens: [a]\n",
            2,
            "invalid type",
        ),
        (
            "number for list",
            "extends: existence\ntokens: 42\n",
            2,
            "invalid type",
        ),
        (
            "empty tokens",
            "extends: existence\nmessage: x\ntokens: []\n",
            3,
            "non-empty `tokens`",
        ),
        (
            "empty token",
            "extends: existence\ntokens:\n  - ''\n",
            2,
            "empty",
        ),
        (
            "empty swap",
            "extends: substitution\nswap: {}\n",
            2,
            "non-empty `swap`",
        ),
        (
            "no extends",
            "message: x\ntokens: [a]\n",
            1,
            "no `extends:`",
        ),
        (
            "unknown type",
            "extends: frobnicate\ntokens: [a]\n",
            1,
            "not a rule type",
        ),
        (
            "bad level",
            "extends: existence\nlevel: fatal\ntokens: [a]\n",
            2,
            "not one of",
        ),
        (
            "bad scope",
            "extends: existence\nscope: footer\ntokens: [a]\n",
            2,
            "is not a scope",
        ),
        (
            "look-behind of no fixed length",
            "extends: existence\ntokens:\n  - 'b(?<=a+)'\n",
            3,
            "look-around",
        ),
        (
            "bad regex",
            "extends: existence\ntokens:\n  - ok\n  - '(unclosed'\n",
            4,
            "does not compile",
        ),
        (
            "negative max",
            "extends: occurrence\ntoken: a\nmax: -1\n",
            3,
            "integer `-1`",
        ),
    ];
    let dir = tmp();
    fs::write(dir.path().join("r.md"), "Some reply.\n").unwrap();
    for (what, yaml, line, message) in cases {
        write_rule(dir.path(), "Broken.yml", yaml);
        let out = candor(
            dir.path(),
            &["check", "r.md", "--rules", "styles", "--strict-rules"],
        );
        let err = stderr(&out);
        assert_eq!(code(&out), 2, "{what}: {err}");
        assert!(err.contains(message), "{what}: {err}");
        assert!(
            err.contains(&format!("styles/House/Broken.yml:{line}:")),
            "{what}: expected line {line}: {err}"
        );
    }
}

#[test]
fn a_rule_file_that_is_not_utf8_names_the_file_and_byte() {
    let dir = tmp();
    let pack = write_rule(dir.path(), "Latin.yml", "");
    fs::write(
        pack.join("Latin.yml"),
        b"extends: existence\ntokens: [caf\xe9]\n",
    )
    .unwrap();
    fs::write(dir.path().join("r.md"), "x").unwrap();
    let out = candor(
        dir.path(),
        &["check", "r.md", "--rules", "styles", "--strict-rules"],
    );
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("styles/House/Latin.yml:1: rule file is not valid UTF-8 (byte 31)"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_missing_rules_folder_is_an_error_naming_it() {
    let dir = tmp();
    fs::write(dir.path().join("r.md"), "x").unwrap();
    let out = candor(dir.path(), &["check", "r.md", "--rules", "nowhere"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("nowhere"), "{}", stderr(&out));
}

/// Bytes and modification time of every file under `dir`.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap().flatten() {
            let meta = fs::symlink_metadata(e.path()).unwrap();
            if meta.is_dir() {
                stack.push(e.path());
            } else if meta.is_file() {
                out.push((
                    e.path(),
                    fs::read(e.path()).unwrap(),
                    meta.modified().unwrap(),
                ));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn linting_leaves_every_input_byte_and_mtime_untouched() {
    let dir = tmp();
    let d = dir.path();
    fs::create_dir_all(d.join("docs/nested")).unwrap();
    let files: &[(&str, &[u8])] = &[
        (
            "docs/reply.md",
            b"# Hi\n\nWe apologize for any inconvenience. Utilize the form.\n",
        ),
        (
            "docs/nested/macro.txt",
            b"Dear valued customer,\r\nthe the form is here.\r\n",
        ),
        (
            "docs/inbound.txt",
            b"Where is my order? Can I get a refund?\n",
        ),
        ("docs/binary.md", b"\0\x01\x02"),
        ("docs/latin1.txt", b"caf\xe9\n"),
        ("docs/empty.md", b""),
        (
            "styles/House/Swap.yml",
            b"extends: substitution\nmessage: \"Use '%s' not '%s'\"\nswap:\n  utilize: use\n",
        ),
        (
            "styles/House/Twice.yml",
            b"extends: repetition\nmessage: \"'%s' twice\"\ntokens: ['[^\\s]+']\n",
        ),
    ];
    let old = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000_000);
    for (name, bytes) in files {
        let path = d.join(name);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(&path, bytes).unwrap();
        fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(old)
            .unwrap();
    }
    let before = snapshot(d);
    assert_eq!(before.len(), files.len());

    let mut findings_seen = false;
    // Each output format once, each with one of the options that change what is read or shown.
    for (format, extra) in [
        ("human", &["--inbound", "docs/inbound.txt"][..]),
        ("json", &["--quiet"][..]),
        ("line", &[][..]),
    ] {
        let mut args = vec!["check", "docs", "--rules", "styles", "--format", format];
        args.extend_from_slice(extra);
        let out = candor(d, &args);
        assert_eq!(
            code(&out),
            2,
            "{format} {extra:?}: latin1.txt is an input error"
        );
        findings_seen |= String::from_utf8_lossy(&out.stdout).contains("Utilize");
    }
    assert!(
        findings_seen,
        "the run found nothing: the check proves little"
    );
    let after = snapshot(d);
    assert_eq!(before.len(), after.len(), "files were added or removed");
    for ((path, bytes, mtime), (_, bytes2, mtime2)) in before.iter().zip(&after) {
        assert_eq!(bytes, bytes2, "{} changed", path.display());
        assert_eq!(mtime, mtime2, "{} was written", path.display());
        assert_eq!(*mtime, old);
    }
}

#[test]
fn a_byte_order_mark_and_crlf_keep_spans_exact_and_columns_visible() {
    let dir = tmp();
    let text = "\u{feff}Dear valued customer,\r\n\r\nWe apologize for any inconvenience.\r\n";
    let csv = "\u{feff}title,body\r\nRefund,\"Hi,\r\nWe apologize for any inconvenience.\"\r\n";
    fs::write(dir.path().join("bom.md"), text).unwrap();
    fs::write(dir.path().join("bom.csv"), csv).unwrap();
    let out = candor(
        dir.path(),
        &["check", "bom.md", "bom.csv", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        findings(&report, "bom.md", text),
        [
            (
                "Candor.GenericGreeting".to_string(),
                "Dear valued customer".to_string()
            ),
            (
                "Candor.CannedFiller".to_string(),
                "We apologize for any inconvenience.".to_string()
            ),
        ]
    );
    let md = report["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == "bom.md")
        .unwrap();
    let first = &md["diagnostics"][0]["span"];
    assert_eq!(
        (first["start"].as_u64(), first["column"].as_u64()),
        (Some(3), Some(1))
    );
    let second = &md["diagnostics"][1]["span"];
    assert_eq!(
        (second["line"].as_u64(), second["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        findings(&report, "bom.csv", csv),
        [(
            "Candor.CannedFiller".to_string(),
            "We apologize for any inconvenience.".to_string()
        )]
    );
}

#[test]
fn large_json_and_csv_exports_are_read_whole() {
    let dir = tmp();
    // Thousands of macros, each with a finding; the benchmark grows them further.
    let rows = 1_000;
    // The apology is a sentence of its own: inside a sentence that says something ("refund
    // sent") a stock phrase is judged with the sentence, not flagged alone.
    let body = "Hi {{first_name}}, your refund \\u2014 the full amount \\u2014 was sent today. We apologize for any inconvenience.";
    let export = format!(
        "{{\"macros\":[{}]}}",
        (0..rows)
            .map(|i| format!("{{\"title\":\"M{i}\",\"actions\":[{{\"field\":\"comment_value\",\"value\":\"{body}\"}}]}}"))
            .collect::<Vec<_>>()
            .join(",")
    );
    let csv = format!(
        "title,body\n{}",
        (0..rows)
            .map(|i| format!("M{i},\"Dear valued customer, \"\"quoted\"\" {i}.\"\n"))
            .collect::<String>()
    );
    fs::write(dir.path().join("zendesk.json"), &export).unwrap();
    fs::write(dir.path().join("macros.csv"), &csv).unwrap();
    let out = candor(
        dir.path(),
        &["check", "zendesk.json", "macros.csv", "--format", "json"],
    );
    assert!(matches!(code(&out), 0 | 1), "{}", stderr(&out));
    let report = json(&out);
    let by_rule = |path: &str, text: &str, wanted: &str| {
        findings(&report, path, text)
            .into_iter()
            .filter(|(rule, _)| rule == wanted)
            .map(|(_, t)| t)
            .collect::<Vec<_>>()
    };
    // One finding per macro, in every macro: none is dropped, none read twice.
    let in_json = by_rule("zendesk.json", &export, "Candor.CannedFiller");
    assert_eq!(in_json.len(), rows);
    assert!(in_json
        .iter()
        .all(|t| t == "We apologize for any inconvenience."));
    let in_csv = by_rule("macros.csv", &csv, "Candor.GenericGreeting");
    assert_eq!(in_csv.len(), rows);
    assert!(in_csv.iter().all(|t| t == "Dear valued customer"));
}

/// Runs candor and fails the test (killing it) if it has not ended within `secs`.
fn candor_within(dir: &Path, args: &[&str], secs: u64) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("candor runs");
    let deadline = std::time::Instant::now() + Duration::from_secs(secs);
    while child.try_wait().unwrap().is_none() {
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("candor {args:?} still ran after {secs} s");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_by_type_before_reading() {
    let dir = tmp();
    let d = dir.path();
    fs::write(d.join("reply.md"), FILLER).unwrap();
    let fifo = d.join("pipe");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let have_fifo = made.is_ok_and(|s| s.success());
    let refused = |out: &Output, name: &str, kind: &str| {
        assert_eq!(code(out), 2, "{}", stderr(out));
        let err = stderr(out);
        assert!(
            err.contains(name) && err.contains(&format!("not a regular file ({kind})")),
            "{err}"
        );
    };
    if have_fifo {
        // As an input: an error naming it, and the other file is still linted.
        let out = candor_within(d, &["check", "pipe", "reply.md", "--no-config"], 10);
        refused(&out, "pipe", "a FIFO / named pipe");
        assert!(text_of(&out).contains("reply.md"), "{}", text_of(&out));
        let out = candor_within(d, &["check", "reply.md", "--inbound", "pipe"], 10);
        refused(&out, "pipe", "a FIFO / named pipe");
        let out = candor_within(d, &["check", "reply.md", "--config", "pipe"], 10);
        refused(&out, "pipe", "a FIFO / named pipe");
        // A FIFO where a nested config would be.
        fs::create_dir(d.join("sub")).unwrap();
        Command::new("mkfifo")
            .arg(d.join("sub/.candor.yaml"))
            .status()
            .unwrap();
        fs::write(d.join("sub/nested.md"), FILLER).unwrap();
        let out = candor_within(d, &["check", "sub/nested.md"], 10);
        refused(&out, "sub/.candor.yaml", "a FIFO / named pipe");
    }
    if Path::new("/dev/zero").exists() {
        let out = candor_within(d, &["check", "/dev/zero", "--no-config"], 10);
        refused(&out, "/dev/zero", "a character device");
        let out = candor_within(d, &["check", "reply.md", "--inbound", "/dev/zero"], 10);
        refused(&out, "/dev/zero", "a character device");
        let out = candor_within(d, &["check", "reply.md", "--config", "/dev/zero"], 10);
        refused(&out, "/dev/zero", "a character device");
    }
    let sock = d.join("sock");
    if let Ok(_listener) = std::os::unix::net::UnixListener::bind(&sock) {
        let out = candor_within(d, &["check", "sock", "--no-config"], 10);
        refused(&out, "sock", "a socket");
    }
}

fn text_of(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn every_input_has_a_size_bound_with_a_clear_error() {
    let dir = tmp();
    let d = dir.path();
    fs::write(d.join("big.md"), FILLER.repeat(100)).unwrap();
    fs::write(d.join("small.md"), FILLER).unwrap();
    let expect_too_large = |out: &Output, name: &str, limit: &str| {
        assert_eq!(code(out), 2, "{}", stderr(out));
        assert!(
            stderr(out).contains(&format!(
                "{name}: larger than the {limit} limit on one input; raise it with --max-file-size or CANDOR_MAX_FILE_SIZE"
            )),
            "{}",
            stderr(out)
        );
    };
    let out = candor(
        d,
        &[
            "check",
            "big.md",
            "small.md",
            "--no-config",
            "--max-file-size",
            "1K",
            "--format",
            "json",
        ],
    );
    expect_too_large(&out, "big.md", "1 KiB");
    assert_eq!(reported(&json(&out)), ["small.md"]);
    // The environment variable, when the flag is not given.
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .current_dir(d)
        .args(["check", "big.md", "--no-config"])
        .env("CANDOR_MAX_FILE_SIZE", "2000")
        .output()
        .unwrap();
    expect_too_large(&out, "big.md", "2000 bytes");
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .current_dir(d)
        .args(["check", "small.md", "--no-config"])
        .env("CANDOR_MAX_FILE_SIZE", "lots")
        .output()
        .unwrap();
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("CANDOR_MAX_FILE_SIZE"),
        "{}",
        stderr(&out)
    );
    // Standard input is read no further than the bound (an endless stream ends in an error).
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .current_dir(d)
        .args(["check", "-", "--no-config", "--max-file-size", "64K"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let block = [b'a'; 4096];
        // Writes until candor stops reading (a broken pipe), at most 64 MiB.
        for _ in 0..16_384 {
            if stdin.write_all(&block).is_err() {
                break;
            }
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    expect_too_large(&out, "<stdin>", "64 KiB");
    // A config file too.
    fs::write(d.join("big.yaml"), format!("# {}\n", "x".repeat(3000))).unwrap();
    let out = candor(
        d,
        &[
            "check",
            "small.md",
            "--config",
            "big.yaml",
            "--max-file-size",
            "1K",
        ],
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("big.yaml"), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("larger than the 1 KiB limit"),
        "{}",
        stderr(&out)
    );
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_a_byte_order_mark_is_decoded_and_linted_with_a_note() {
    let dir = tmp();
    let d = dir.path();
    fs::write(d.join("le.md"), utf16(FILLER, false)).unwrap();
    fs::write(d.join("be.txt"), utf16(FILLER, true)).unwrap();
    let out = candor(
        d,
        &[
            "check",
            "le.md",
            "be.txt",
            "--no-config",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("le.md: decoded from UTF-16LE"), "{err}");
    assert!(err.contains("be.txt: decoded from UTF-16BE"), "{err}");
    let report = json(&out);
    assert_eq!(reported(&report), ["be.txt", "le.md"]);
    // Spans count the bytes of the decoded text (which keeps the mark, as U+FEFF).
    let decoded = format!("\u{feff}{FILLER}");
    for name in ["le.md", "be.txt"] {
        assert_eq!(
            findings(&report, name, &decoded),
            [("Candor.CannedFiller".to_string(), FILLER.to_string())]
        );
    }
    // Half a code unit, or an unpaired surrogate, is an error naming the file and byte.
    let mut bad = utf16("Hi", false);
    bad.extend([0x00, 0xD8, b'x', 0]);
    fs::write(d.join("bad.md"), bad).unwrap();
    let out = candor(d, &["check", "bad.md", "--no-config"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("bad.md: not valid UTF-16") && stderr(&out).contains("offset 6"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_named_binary_file_is_an_error_a_walked_one_a_note() {
    let dir = tmp();
    let d = dir.path();
    fs::create_dir(d.join("docs")).unwrap();
    fs::write(d.join("docs/logo.md"), b"PNG\0\0\0").unwrap();
    fs::write(d.join("docs/reply.md"), FILLER).unwrap();
    let out = candor(
        d,
        &[
            "check",
            "docs/logo.md",
            "docs/reply.md",
            "--no-config",
            "--format",
            "json",
        ],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains("error: docs/logo.md: cannot be read as text: it looks binary"),
        "{}",
        stderr(&out)
    );
    assert_eq!(reported(&json(&out)), ["docs/reply.md"]);
    let out = candor(d, &["check", "docs", "--no-config", "--format", "json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert!(stderr(&out).contains("note: docs/logo.md: skipped, it looks binary"));
}

#[test]
fn every_document_of_a_yaml_stream_is_linted_and_empty_ones_are_named() {
    let dir = tmp();
    let d = dir.path();
    let doc = |n: usize| format!("- title: Reply {n}\n  body: \"{FILLER} Number {n}.\"\n");
    let stream = format!(
        "{}---\n{}---\nsettings: {{a: 1}}\n---\n{}",
        doc(1),
        doc(2),
        doc(4)
    );
    fs::write(d.join("replies.yaml"), &stream).unwrap();
    let out = candor(
        d,
        &["check", "replies.yaml", "--no-config", "--format", "json"],
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let report = json(&out);
    assert_eq!(
        findings(&report, "replies.yaml", &stream).len(),
        3,
        "{report}"
    );
    assert!(
        stderr(&out).contains("replies.yaml: YAML document 3 of 4 has no text to lint"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn every_email_of_a_reply_chain_is_reported() {
    let dir = tmp();
    let d = dir.path();
    // a answers b, b answers c.
    for (name, answers) in [("a", Some("b")), ("b", Some("c")), ("c", None)] {
        let mut mail = format!(
            "From: {name}@example.com\nTo: help@example.com\nSubject: Refund\nMessage-ID: <{name}@example.com>\n"
        );
        if let Some(to) = answers {
            mail.push_str(&format!("In-Reply-To: <{to}@example.com>\n"));
        }
        mail.push_str(&format!("\nCan you refund order {name}? {FILLER}\n"));
        fs::write(d.join(format!("{name}.eml")), mail).unwrap();
    }
    let out = candor(
        d,
        &[
            "check",
            "a.eml",
            "b.eml",
            "c.eml",
            "--no-config",
            "--format",
            "json",
        ],
    );
    assert!(code(&out) < 2, "{}", stderr(&out));
    let report = json(&out);
    // a and b are replies (each linted against the message it answers); c, the first
    // message, is b's inbound.
    assert_eq!(reported(&report), ["a.eml", "b.eml"]);
    for name in ["a.eml", "b.eml"] {
        let text = fs::read_to_string(d.join(name)).unwrap();
        assert!(
            findings(&report, name, &text)
                .iter()
                .any(|(rule, _)| rule == "Candor.CannedFiller"),
            "{name}: {report}"
        );
    }
}

#[test]
fn a_csv_with_an_unclosed_quote_is_an_error_naming_its_line() {
    let dir = tmp();
    let d = dir.path();
    fs::write(
        d.join("macros.csv"),
        "title,body\nA,\"Fine.\"\nB,\"Never closed.\nC,Swallowed.\n",
    )
    .unwrap();
    let out = candor(d, &["check", "macros.csv", "--no-config"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert!(
        stderr(&out).contains(
            "macros.csv:3: invalid CSV: a quoted field opened on this line is never closed"
        ),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_broken_nested_config_stops_only_the_files_under_it() {
    let dir = tmp();
    let d = dir.path();
    fs::create_dir_all(d.join("docs/broken")).unwrap();
    fs::create_dir_all(d.join("docs/fine")).unwrap();
    fs::write(d.join(".candor.yaml"), "rules: {}\n").unwrap();
    fs::write(d.join("docs/broken/.candor.yaml"), "rules: [\n").unwrap();
    fs::write(d.join("docs/broken/a.md"), FILLER).unwrap();
    fs::write(d.join("docs/broken/b.md"), FILLER).unwrap();
    fs::write(d.join("docs/fine/c.md"), FILLER).unwrap();
    let out = candor(d, &["check", "docs", "--format", "json"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    assert_eq!(reported(&json(&out)), ["docs/fine/c.md"]);
    // Said once, pointing into the file.
    assert_eq!(
        stderr(&out).matches("docs/broken/.candor.yaml").count(),
        1,
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_duplicate_config_key_points_at_its_own_line() {
    let dir = tmp();
    let d = dir.path();
    fs::write(d.join("r.md"), FILLER).unwrap();
    for (yaml, line) in [
        (
            "rules:\n  Candor.CannedFiller: warning\nvocabulary:\n  - Acme\nrules:\n  Candor.CannedFiller: off\n",
            5,
        ),
        (
            "rules:\n  Candor.CannedFiller: warning\n  Candor.Placeholder: off\n  Candor.CannedFiller: off\n",
            4,
        ),
    ] {
        fs::write(d.join(".candor.yaml"), yaml).unwrap();
        let out = candor(d, &["check", "r.md"]);
        assert_eq!(code(&out), 2, "{}", stderr(&out));
        assert!(
            stderr(&out).contains(&format!(".candor.yaml:{line}:")),
            "{yaml}\n{}",
            stderr(&out)
        );
        assert!(stderr(&out).contains("duplicate"), "{}", stderr(&out));
    }
}

#[test]
fn the_same_file_named_twice_is_linted_once() {
    let dir = tmp();
    let d = dir.path();
    fs::write(d.join("a.md"), FILLER).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(d.join("a.md"), d.join("link.md")).unwrap();
    fs::hard_link(d.join("a.md"), d.join("hard.md")).unwrap();
    let mut args = vec![
        "check",
        "a.md",
        "./a.md",
        "hard.md",
        "--no-config",
        "--format",
        "json",
    ];
    if cfg!(unix) {
        args.push("link.md");
    }
    let out = candor(d, &args);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    assert_eq!(reported(&json(&out)).len(), 1, "{}", text_of(&out));
    assert!(stderr(&out).contains("linted once"), "{}", stderr(&out));
}

#[test]
fn placeholders_in_indented_code_are_skipped_like_fenced_code_and_prose_is_still_checked() {
    let dir = tmp();
    let d = dir.path();
    let text = "Hi {{first_name}},\n\n    curl -d name={{first_name}} example.com\n\n\
                Then:\n\n\tsend {{ticket_id}}\n\n\
                - Run it:\n\n      echo {{order_id}}\n\n  Thanks, {{agent_name}}.\n\n\
                > Quoted:\n>\n>     echo {{quoted_id}}\n\n\
                ```\n{{fenced}}\n```\n\nBye {{last_name}} `{{span}}`.\n";
    fs::write(d.join("r.md"), text).unwrap();
    let out = candor(d, &["check", "r.md", "--format", "json"]);
    let found: Vec<String> = findings(&json(&out), "r.md", text)
        .into_iter()
        .filter(|(rule, _)| rule == "Candor.Placeholder")
        .map(|(_, span)| span)
        .collect();
    assert_eq!(
        found,
        ["{{first_name}}", "{{agent_name}}", "{{last_name}}"],
        "{}",
        stderr(&out)
    );
    // In plain text nothing is code but backticks: an indented line is still checked.
    fs::write(d.join("r.txt"), text).unwrap();
    let out = candor(d, &["check", "r.txt", "--format", "json"]);
    let found = findings(&json(&out), "r.txt", text);
    assert!(
        found
            .iter()
            .any(|(r, s)| r == "Candor.Placeholder" && s == "{{order_id}}"),
        "{found:?}"
    );
}

#[test]
fn a_rule_file_over_the_bound_is_an_error_naming_it_before_it_is_parsed() {
    let dir = tmp();
    let tokens: String = (0..80_000)
        .map(|i| format!("  - tokenword{i}x\n"))
        .collect();
    let yaml = format!("extends: existence\nmessage: \"'%s'\"\ntokens:\n{tokens}");
    assert!(yaml.len() > candor::rules::MAX_RULE_FILE_BYTES as usize);
    write_rule(dir.path(), "Huge.yml", &yaml);
    fs::write(dir.path().join("r.md"), "x").unwrap();
    let out = candor(
        dir.path(),
        &["check", "r.md", "--rules", "styles", "--strict-rules"],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("styles/House/Huge.yml"), "{err}");
    assert!(err.contains("larger than 1 MiB"), "{err}");
}

#[test]
fn tokens_too_big_together_are_blamed_on_their_list_not_the_first_token() {
    let dir = tmp();
    // Each token alone is small enough; all of them in one alternation are not.
    let tokens: String = (0..COMBINED_TOKENS)
        .map(|i| format!("  - 'b{i}[a-z]{{1000}}{{100}}'\n"))
        .collect();
    let yaml = format!("extends: existence\nmessage: x\nlevel: warning\ntokens:\n{tokens}");
    write_rule(dir.path(), "Wide.yml", &yaml);
    fs::write(dir.path().join("r.md"), "x").unwrap();
    let out = candor(
        dir.path(),
        &["check", "r.md", "--rules", "styles", "--strict-rules"],
    );
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("styles/House/Wide.yml:4:"), "{err}");
    assert!(
        err.contains(&format!(
            "the {COMBINED_TOKENS} entries of `tokens` together"
        )),
        "{err}"
    );
}

const COMBINED_TOKENS: usize = 40;

/// JSON nested past the parser's depth limit is an error at the column where the parser gave
/// up, not at `1:1`; the other file is still linted.
#[test]
fn json_nested_too_deep_is_an_error_at_the_column_the_parser_names() {
    let dir = tmp();
    let d = dir.path();
    let prefix = "{\"body\": ";
    fs::write(
        d.join("deep.json"),
        format!("{prefix}{}{}}}", "[".repeat(600), "]".repeat(600)),
    )
    .unwrap();
    fs::write(d.join("reply.md"), FILLER).unwrap();
    let out = candor(d, &["check", "deep.json", "reply.md", "--no-config"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    let line = err
        .lines()
        .find(|l| l.contains("deep.json:1:"))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(
        line.contains("invalid JSON") && line.contains("depth"),
        "{err}"
    );
    let column: usize = line
        .split("deep.json:1:")
        .nth(1)
        .and_then(|rest| rest.split(':').next())
        .and_then(|c| c.parse().ok())
        .unwrap_or_else(|| panic!("{err}"));
    // Somewhere in the run of brackets, past the key.
    assert!(
        column > prefix.len() && column <= prefix.len() + 600,
        "{err}"
    );
    assert!(text_of(&out).contains("reply.md"), "{}", text_of(&out));
}

/// A nested `.candor.yaml` the user may not read stops only the files under it, with an error
/// naming it; files elsewhere are linted. Run as an unprivileged user (root reads everything);
/// skipped, with a word, where that is not possible.
#[test]
fn an_unreadable_nested_config_stops_only_the_files_under_it() {
    let dir = tmp();
    let d = dir.path();
    set_mode(d, 0o755);
    fs::create_dir_all(d.join("docs/locked")).unwrap();
    fs::create_dir_all(d.join("docs/fine")).unwrap();
    fs::write(d.join(".candor.yaml"), "rules: {}\n").unwrap();
    fs::write(d.join("docs/locked/.candor.yaml"), "rules: {}\n").unwrap();
    fs::write(d.join("docs/locked/a.md"), FILLER).unwrap();
    fs::write(d.join("docs/fine/c.md"), FILLER).unwrap();
    for p in ["docs", "docs/locked", "docs/fine"] {
        set_mode(&d.join(p), 0o755);
    }
    for p in [".candor.yaml", "docs/locked/a.md", "docs/fine/c.md"] {
        set_mode(&d.join(p), 0o644);
    }
    set_mode(&d.join("docs/locked/.candor.yaml"), 0o000);
    let Some(out) = candor_unprivileged(d, &["check", "docs", "--format", "json"]) else {
        eprintln!("skipped: running as root and `setpriv` is not available");
        return;
    };
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("docs/locked/.candor.yaml") && err.contains("Permission denied"),
        "{err}"
    );
    assert_eq!(reported(&json(&out)), ["docs/fine/c.md"]);
}
