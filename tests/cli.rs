//! End-to-end tests of the `candor` binary: exit codes, stdin, folder walking, the JSON report's
//! shape, and the errors a user meets for bad input and bad rule files.

mod common;
use common::{run_candor, text};

use std::path::Path;
use std::process::Output;

// The second sentence names the amount, so it is specific whatever the sentence model makes of
// a bare "Your refund went out today." after another sentence (one trained model flagged it).
const FILLER: &str = "Thanks for reaching out! Your refund of 42 EUR went out today.\n";
const CLEAN: &str = "Your refund went out today.\n";

fn candor(args: &[&str], cwd: &Path, stdin: Option<&str>) -> Output {
    run_candor(args, cwd, stdin)
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

#[test]
fn exit_codes_follow_the_failing_level() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.md", FILLER);
    write(dir.path(), "good.md", CLEAN);
    // CannedFiller is a warning: below the default failing level (error).
    assert_eq!(
        candor(&["check", "bad.md"], dir.path(), None).status.code(),
        Some(0)
    );
    assert_eq!(
        candor(
            &["check", "bad.md", "--fail-on", "warning"],
            dir.path(),
            None
        )
        .status
        .code(),
        Some(1)
    );
    assert_eq!(
        candor(
            &["check", "good.md", "--fail-on", "suggestion"],
            dir.path(),
            None
        )
        .status
        .code(),
        Some(0)
    );
    // Unknown flag: usage error.
    assert_eq!(
        candor(&["check", "--bogus"], dir.path(), None)
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn json_report_has_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "reply.md", format!("Hello Ana,\n\n{FILLER}"));
    let out = candor(&["check", "reply.md", "--format", "json"], dir.path(), None);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(v["version"], 1);
    let file = &v["files"][0];
    assert_eq!(file["path"], "reply.md");
    assert!(file["questions"].is_array());
    let d = &file["diagnostics"][0];
    assert_eq!(d["rule"], "Candor.CannedFiller");
    assert_eq!(d["severity"], "warning");
    assert!(d["message"]
        .as_str()
        .unwrap()
        .contains("Thanks for reaching out"));
    assert!(d["suggestions"].is_array() && d["related"].is_array());
    let span = &d["span"];
    let source = std::fs::read_to_string(dir.path().join("reply.md")).unwrap();
    let (start, end) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    // A sentence that is nothing but filler is flagged whole, "!" included.
    assert_eq!(&source[start..end], "Thanks for reaching out!");
    assert_eq!(
        (span["line"].as_u64(), span["column"].as_u64()),
        (Some(3), Some(1))
    );
    assert_eq!(
        (span["end_line"].as_u64(), span["end_column"].as_u64()),
        (Some(3), Some(25))
    );
    let summary = &v["summary"];
    assert_eq!(
        (
            &summary["files"],
            &summary["errors"],
            &summary["warnings"],
            &summary["suggestions"]
        ),
        (&1.into(), &0.into(), &1.into(), &0.into())
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "r.txt",
        // A sentence that is only thanks is flagged whole (from column 1), so the finding here
        // is the second sentence, after multi-byte characters.
        "Olá José — your refund of 42 € went out today. Thanks for reaching out!\n",
    );
    let out = candor(&["check", "r.txt", "--format", "line"], dir.path(), None);
    assert_eq!(
        text(&out.stdout)
            .lines()
            .next()
            .unwrap()
            .split(": ")
            .next()
            .unwrap(),
        "r.txt:1:48", // 54 in bytes
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn reads_standard_input_as_text_or_as_markdown_when_told() {
    let dir = tempfile::tempdir().unwrap();
    let out = candor(&["check", "--format", "line"], dir.path(), Some(FILLER));
    assert!(
        text(&out.stdout).starts_with("<stdin>:1:1: warning Candor.CannedFiller"),
        "{}",
        text(&out.stdout)
    );
    // As Markdown, code spans are not prose.
    let md = "`thanks for reaching out` is code\n";
    let as_text = candor(&["check", "-", "--format", "line"], dir.path(), Some(md));
    assert!(text(&as_text.stdout).contains("Candor.CannedFiller"));
    let as_md = candor(
        &["check", "-", "--ext", "md", "--format", "line"],
        dir.path(),
        Some(md),
    );
    assert_eq!(text(&as_md.stdout), "");
    let named = candor(
        &["check", "--stdin-filename", "draft.md", "--format", "line"],
        dir.path(),
        Some(FILLER),
    );
    assert!(text(&named.stdout).starts_with("draft.md:1:1:"));
}

#[test]
fn folders_are_walked_with_gitignore_respected_and_only_prose_files() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "ignored/\n");
    write(dir.path(), "docs/a.md", FILLER);
    write(dir.path(), "docs/b.txt", FILLER);
    write(dir.path(), "docs/c.rs", FILLER);
    write(dir.path(), "ignored/d.md", FILLER);
    let out = candor(&["check", ".", "--format", "line"], dir.path(), None);
    let files: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| l.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(
        files,
        ["./docs/a.md", "./docs/b.txt"],
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn a_missing_path_is_reported_and_the_other_files_are_still_linted() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.md", FILLER);
    let out = candor(
        &["check", "nope.md", "a.md", "--format", "line"],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("nope.md"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("a.md:1:1"));
}

#[test]
fn when_no_path_could_be_read_the_summary_does_not_claim_a_clean_run() {
    let dir = tempfile::tempdir().unwrap();
    let out = candor(&["check", "nope.md"], dir.path(), None);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains("No findings"), "{stdout}");
    assert!(stdout.contains("No files were linted."), "{stdout}");
}

#[test]
fn invalid_utf8_names_the_file_and_byte_offset() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "bad.txt", b"fine line\nbroken \xff here\n");
    write(dir.path(), "a.md", FILLER);
    let out = candor(
        &["check", "bad.txt", "a.md", "--format", "line"],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("bad.txt") && err.contains("offset 17") && err.contains("line 2"),
        "{err}"
    );
    assert!(text(&out.stdout).contains("a.md:1:1"));
}

/// Runs `candor check` with a rules folder holding one rule file, returning (status, stderr).
fn with_rule(body: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "styles/Team/Rule.yml", body);
    write(dir.path(), "a.md", CLEAN);
    let out = candor(
        &["check", "a.md", "--rules", "styles", "--strict-rules"],
        dir.path(),
        None,
    );
    (out.status.code(), text(&out.stderr))
}

#[test]
fn bad_rule_files_are_configuration_errors_with_file_and_line() {
    let (code, err) = with_rule("extends: existence\nmessage: 'x'\ntokens:\n  - a\n bad: [\n");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("styles/Team/Rule.yml:5") || err.contains("Rule.yml:4"),
        "{err}"
    );

    let (code, err) = with_rule("extends: existence\nmesage: 'typo'\ntokens: [a]\n");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("unknown field `mesage`") && err.contains("Rule.yml:2"),
        "{err}"
    );

    let (code, err) =
        with_rule("extends: existence\nmessage: x\ntokens:\n  - fine\n  - 'foo(?!bar)'\n");
    // Look-ahead runs on fancy-regex: the rule loads.
    assert_eq!(code, Some(0), "{err}");
    let (code, err) =
        with_rule("extends: existence\nmessage: x\ntokens:\n  - fine\n  - 'fo(?<=o+)bar'\n");
    // A look-behind of no fixed length past the start: neither engine runs it.
    assert_eq!(code, Some(2));
    assert!(
        err.contains("look-around `(?<=`") && err.contains("Rule.yml:5"),
        "{err}"
    );

    let (code, err) = with_rule("extends: existence\ntokens: []\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("non-empty `tokens`"), "{err}");

    let (code, err) = with_rule("extends: existence\nlevel: fatal\ntokens: [a]\n");
    assert_eq!(code, Some(2));
    assert!(
        err.contains("`level: fatal`") && err.contains("Rule.yml:2"),
        "{err}"
    );

    let (code, err) = with_rule("extends: existence\nscope: footer\ntokens: [a]\n");
    assert_eq!(code, Some(2));
    assert!(err.contains("`footer` is not a scope"), "{err}");
}

#[test]
fn user_packs_add_rules_and_override_builtin_ones() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "styles/Candor/CannedFiller.yml",
        "extends: existence\nmessage: 'overridden: %s'\nlevel: error\ntokens: [refund]\n",
    );
    write(
        dir.path(),
        "styles/Team/Order.yml",
        "extends: script\nscript: order.tengo\n",
    );
    write(dir.path(), "a.md", FILLER);
    let out = candor(
        &["check", "a.md", "--rules", "styles", "--format", "line"],
        dir.path(),
        None,
    );
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("error Candor.CannedFiller: overridden: refund"),
        "{stdout}"
    );
    assert!(!stdout.contains("reaching out"), "{stdout}");
    assert_eq!(out.status.code(), Some(1));
    let listed = text(&candor(&["rules", "--rules", "styles"], dir.path(), None).stdout);
    assert!(
        listed.contains("Candor.CannedFiller")
            && listed
                .lines()
                .any(|l| l.starts_with("Team.Order") && l.contains("skipped")),
        "{listed}"
    );
}

#[test]
fn the_bundled_examples_show_readable_diagnostics() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = candor(&["check", "examples/"], root, None);
    let stdout = text(&out.stdout);
    assert!(stdout.contains("warning[Candor.CannedFiller]"), "{stdout}");
    assert!(stdout.contains("┌─ examples/reply.md:"), "{stdout}");
    // The second example carries the customer's message as quoted lines: self-focus and an
    // unanswered question show up, the answered one does not.
    assert!(stdout.contains("warning[Candor.SelfFocus]"), "{stdout}");
    assert!(
        stdout.contains("warning[Candor.IgnoredQuestion]"),
        "{stdout}"
    );
    assert!(
        stdout.contains("examples/ticket-reply.md: 1 of 2 questions answered"),
        "{stdout}"
    );
    assert!(
        stdout.contains("open: \"When does your Oslo store open on Sundays?\""),
        "{stdout}"
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "warnings alone do not fail the run"
    );
}
