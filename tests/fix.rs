//! `--fix` and `--diff`: exact rewrites, atomic writes that keep permissions, nothing written
//! without `--fix`, standard input, and idempotence (a property test over random texts).

mod common;
use common::{run_candor, text};

use std::path::Path;
use std::process::Output;
use std::sync::{Arc, LazyLock};

use candor::check::check_document;
use candor::document::{Document, Format};
use candor::fix;
use candor::rules::RuleSet;
use candor::suppress;
use proptest::prelude::*;

fn chain_pack() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix/Chain")
}

fn candor(args: &[&str], cwd: &Path, stdin: Option<&str>) -> Output {
    // Every run uses only the test pack, whatever config sits above the temp dir.
    let mut all: Vec<std::ffi::OsString> = args.iter().map(Into::into).collect();
    all.extend([
        "--no-config".into(),
        "--rules".into(),
        chain_pack().into_os_string(),
    ]);
    run_candor(all, cwd, stdin)
}

const BEFORE: &str = "# Refund\r\n\nPlease utilize of the form `utilize` in order to\nget  your refund. Kindly wait.\n<!-- candor-disable-next-line -->\nAt this point in time, utilize it.\n\nAt this point in time it is done.";
const AFTER: &str = "# Refund\r\n\nPlease using the form `utilize` to\nget  your refund. Kindly wait.\n<!-- candor-disable-next-line -->\nAt this point in time, utilize it.\n\nNow it is done.";

#[test]
fn fix_rewrites_only_the_flagged_bytes_and_keeps_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reply.md");
    std::fs::write(&path, BEFORE).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o604)).unwrap();
    }

    let out = candor(
        &["check", "reply.md", "--fix", "--format", "line"],
        dir.path(),
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    // Code, the ambiguous "Kindly" (two suggestions), the suppressed line, the CRLF, the double
    // space and the missing final newline are all left as they were.
    assert_eq!(std::fs::read_to_string(&path).unwrap(), AFTER);
    assert!(
        text(&out.stderr).contains("reply.md: applied 4 fixes"),
        "{}",
        text(&out.stderr)
    );
    // What is left is reported against the fixed text.
    assert_eq!(
        text(&out.stdout),
        "reply.md:4:19: warning Chain.Wordy: Use 'Please' or '(cut it)' instead of 'Kindly'.\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o604);
    }

    // A second run changes nothing.
    let out = candor(&["check", "reply.md", "--fix"], dir.path(), None);
    assert_eq!(std::fs::read_to_string(&path).unwrap(), AFTER);
    assert!(
        !text(&out.stderr).contains("applied"),
        "{}",
        text(&out.stderr)
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec!["reply.md"]);
}

#[test]
fn diff_shows_the_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reply.md");
    std::fs::write(&path, BEFORE).unwrap();
    let out = candor(&["check", "reply.md", "--diff"], dir.path(), None);
    assert_eq!(out.status.code(), Some(1));
    let diff = text(&out.stdout);
    assert!(
        diff.starts_with("--- a/reply.md\n+++ b/reply.md\n"),
        "{diff}"
    );
    assert!(
        diff.contains("-Please utilize of the form `utilize` in order to\n+Please using the form `utilize` to\n"),
        "{diff}"
    );
    assert!(diff.contains("+Now it is done."), "{diff}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), BEFORE);

    std::fs::write(&path, AFTER).unwrap();
    let out = candor(&["check", "reply.md", "--diff"], dir.path(), None);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
}

#[test]
fn linting_without_fix_never_writes() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reply.md");
    std::fs::write(&path, BEFORE).unwrap();
    let before = std::fs::metadata(&path).unwrap().modified().unwrap();
    for format in ["human", "json", "line"] {
        candor(&["check", ".", "--format", format], dir.path(), None);
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), BEFORE);
    assert_eq!(
        std::fs::metadata(&path).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn fix_on_standard_input_prints_the_fixed_text() {
    let dir = tempfile::tempdir().unwrap();
    let out = candor(
        &["check", "--fix", "--ext", "md", "--format", "line"],
        dir.path(),
        Some(BEFORE),
    );
    assert_eq!(text(&out.stdout), AFTER);
    // The report goes to standard error so the text can be piped on.
    assert!(
        text(&out.stderr).contains("Chain.Wordy"),
        "{}",
        text(&out.stderr)
    );
    // Nothing to fix: the text comes back as it was.
    let out = candor(&["check", "--fix"], dir.path(), Some("All good.\n"));
    assert_eq!(text(&out.stdout), "All good.\n");
}

/// Fixes `source` as `--fix` does, with the built-in pack plus the chaining test pack.
/// Returns the text and whether anything was left to fix at the end.
fn fix_text(rules: &RuleSet, source: &str, format: Format) -> (String, bool) {
    let path: Arc<str> = Arc::from("t");
    let lint = |doc: &Document| {
        let mut d = check_document(rules, &path, doc, &[]).diagnostics;
        suppress::apply(&mut d, doc);
        d
    };
    let doc = Document::parse(source.to_string(), format);
    let diagnostics = lint(&doc);
    let (last, _) = fix::until_stable(
        fix::Pass {
            item: doc,
            diagnostics,
        },
        |d| d,
        |text| {
            let doc = Document::parse(text, format);
            let diagnostics = lint(&doc);
            Some(fix::Pass {
                item: doc,
                diagnostics,
            })
        },
    );
    let left = !fix::choose_edits(&last.diagnostics, &last.item).is_empty();
    (last.item.source, left)
}

static RULES: LazyLock<RuleSet> = LazyLock::new(|| RuleSet::load(&[chain_pack()]).unwrap());

fn fragment() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "utilize",
        "Utilize",
        "use of",
        "utilize of",
        "of",
        "at this point in time",
        "point in time",
        "In order to",
        "in order to",
        "kindly",
        "the form",
        "refund",
        "é",
        " ",
        "  ",
        "\n",
        "\n\n",
        "\r\n",
        "# ",
        "- ",
        "> ",
        "`",
        "*",
        "[",
        "](",
        ")",
        "<!-- candor-disable-next-line -->",
        "<!-- vale off -->",
        "<!-- vale on -->",
        ".",
        ",",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Fixing settles (nothing fixable is left), and fixing the result again changes nothing.
    #[test]
    fn fix_is_idempotent(parts in prop::collection::vec(fragment(), 0..40), markdown: bool) {
        let format = if markdown { Format::Markdown } else { Format::Text };
        let source: String = parts.concat();
        let (once, left) = fix_text(&RULES, &source, format);
        prop_assert!(!left, "still fixable after {} passes: {once:?}", fix::MAX_PASSES);
        let (twice, _) = fix_text(&RULES, &once, format);
        prop_assert_eq!(twice, once);
    }
}

#[test]
fn fix_inside_a_macro_export_keeps_it_valid() {
    let dir = tempfile::tempdir().unwrap();
    write_pack(dir.path());
    let json = r#"{"macros": [{"title": "Refund", "actions": [{"field": "comment_value", "value": "Please utilize the form.\nWe do not refund fees."}]}]}"#;
    std::fs::write(dir.path().join("macros.json"), json).unwrap();
    let out = run_candor(
        [
            "check",
            "macros.json",
            "--fix",
            "--no-config",
            "--format",
            "line",
            "--rules",
            "styles",
        ],
        dir.path(),
        None,
    );
    let fixed = std::fs::read_to_string(dir.path().join("macros.json")).unwrap();
    // "utilize" -> "use" goes in as is; "don't" would need care inside a quoted export, so it is
    // left for the writer.
    assert_eq!(
        fixed,
        json.replace("Please utilize the form.", "Please use the form.")
    );
    serde_json::from_str::<serde_json::Value>(&fixed).unwrap();
    assert!(
        text(&out.stdout).contains("Use 'don't' instead of 'do not'"),
        "{}",
        text(&out.stdout)
    );
}

fn write_pack(dir: &Path) {
    let pack = dir.join("styles/House");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("Plain.yml"),
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\nswap:\n  utilize: use\n  do not: don't\n",
    )
    .unwrap();
}
