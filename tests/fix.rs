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
        suppress::apply(&mut d, doc, &|_| false);
        d
    };
    let doc = Document::parse(source.to_string(), format);
    let diagnostics = lint(&doc);
    let fixing = fix::until_stable(
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
        false,
    );
    assert!(fixing.refused.is_none(), "{:?}", fixing.refused);
    let last = fixing.pass;
    let left = !fix::choose_edits(&last.diagnostics, &last.item, false).is_empty();
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

/// `candor ARGS --no-config --rules Chain` as user and group 65534 (`nobody`) through
/// `setpriv`, when we are root and it is installed.
#[cfg(unix)]
fn candor_as_nobody(args: &[&str], cwd: &Path) -> Option<Output> {
    use std::process::Command;
    let root = std::fs::read_to_string("/proc/self/status")
        .ok()?
        .lines()
        .find(|l| l.starts_with("Uid:"))?
        .split_whitespace()
        .nth(1)?
        == "0";
    let probe = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"])
        .status();
    if !root || !probe.is_ok_and(|s| s.success()) {
        return None;
    }
    Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .args(["--no-config", "--rules"])
        .arg(chain_pack())
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .ok()
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(unix)]
#[test]
fn fix_keeps_the_owner_and_refuses_what_it_may_not_replace() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let path = d.join("reply.md");
    std::fs::write(&path, "Please utilize the form.\n").unwrap();
    let am_root = std::fs::metadata(&path).unwrap().uid() == 0;
    if am_root {
        // Root fixes another user's file: it stays theirs, with its mode.
        std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        set_mode(&path, 0o640);
        let out = candor(&["check", "reply.md", "--fix"], d, None);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let meta = std::fs::metadata(&path).unwrap();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "Please use the form.\n"
        );
        assert_eq!((meta.uid(), meta.gid()), (65534, 65534));
        assert_eq!(meta.mode() & 0o7777, 0o640);
    }

    // Another user, in a folder anyone may write: a root-owned file they may write to is not
    // taken over, and one they may not write to is not replaced.
    set_mode(d, 0o777);
    let shared = d.join("shared.md");
    let locked = d.join("locked.md");
    for (p, mode) in [(&shared, 0o666), (&locked, 0o644)] {
        std::fs::write(p, "Please utilize the form.\n").unwrap();
        std::os::unix::fs::chown(p, Some(0), Some(0)).ok();
        set_mode(p, mode);
    }
    let Some(out) = candor_as_nobody(&["check", "shared.md", "locked.md", "--fix"], d) else {
        eprintln!("skipped the unprivileged half: not root, or no `setpriv`");
        return;
    };
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("shared.md: cannot write the fixed file: it belongs to another user"),
        "{err}"
    );
    assert!(
        err.contains("locked.md: cannot write the fixed file: you may not write to it"),
        "{err}"
    );
    for p in [&shared, &locked] {
        assert_eq!(
            std::fs::read_to_string(p).unwrap(),
            "Please utilize the form.\n"
        );
        assert_eq!(std::fs::metadata(p).unwrap().uid(), 0);
    }
}

#[test]
fn fix_refuses_read_only_files_and_hard_links_and_fixes_a_file_named_twice_once() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let before = "Please utilize the form.\n";
    std::fs::write(d.join("ro.md"), before).unwrap();
    let mut ro = std::fs::metadata(d.join("ro.md")).unwrap().permissions();
    ro.set_readonly(true);
    std::fs::set_permissions(d.join("ro.md"), ro).unwrap();
    std::fs::write(d.join("linked.md"), before).unwrap();
    std::fs::hard_link(d.join("linked.md"), d.join("sub-linked.txt")).unwrap();
    let out = candor(&["check", "ro.md", "linked.md", "--fix"], d, None);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("ro.md: cannot write the fixed file: it is read-only"),
        "{err}"
    );
    assert!(
        err.contains("linked.md: cannot write the fixed file: it has 2 hard links"),
        "{err}"
    );
    for name in ["ro.md", "linked.md", "sub-linked.txt"] {
        assert_eq!(
            std::fs::read_to_string(d.join(name)).unwrap(),
            before,
            "{name}"
        );
    }

    std::fs::write(d.join("a.md"), before).unwrap();
    let out = candor(&["check", "a.md", "./a.md", "--fix"], d, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(d.join("a.md")).unwrap(),
        "Please use the form.\n"
    );
    assert_eq!(
        text(&out.stderr).matches("applied").count(),
        1,
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn fix_writes_utf16_back_as_utf16() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let encode = |s: &str| -> Vec<u8> {
        let mut out = vec![0xFF, 0xFE];
        out.extend(s.encode_utf16().flat_map(u16::to_le_bytes));
        out
    };
    std::fs::write(d.join("r.txt"), encode("Please utilize the form.\r\n")).unwrap();
    let out = candor(&["check", "r.txt", "--fix"], d, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read(d.join("r.txt")).unwrap(),
        encode("Please use the form.\r\n")
    );
}

#[test]
fn no_report_offers_a_fix_that_cannot_be_written() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pack = d.join("pack/Quote");
    std::fs::create_dir_all(&pack).unwrap();
    std::fs::write(
        pack.join("Contract.yml"),
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\nswap:\n  cannot: \"can't\"\n",
    )
    .unwrap();
    let body = "We cannot refund it.";
    std::fs::write(d.join("reply.md"), body).unwrap();
    std::fs::write(
        d.join("macros.yaml"),
        format!("- title: A\n  body: {body}\n"),
    )
    .unwrap();
    std::fs::write(d.join("macros.csv"), format!("title,body\nA,{body}\n")).unwrap();
    let out = run_candor(
        [
            "check",
            "reply.md",
            "macros.yaml",
            "macros.csv",
            "--no-config",
            "--rules",
            "pack",
            "--format",
            "json",
        ],
        d,
        None,
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let fixes = |path: &str| -> Vec<bool> {
        report["files"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["path"] == path)
            .unwrap()["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|x| x["rule"] == "Quote.Contract")
            .map(|x| x.get("fix").is_some_and(|f| !f.is_null()))
            .collect()
    };
    assert_eq!(fixes("reply.md"), [true], "{report}");
    assert_eq!(fixes("macros.yaml"), [false], "{report}");
    assert_eq!(fixes("macros.csv"), [false], "{report}");
}

/// `candor ARGS --no-config --rules Chain` in `cwd`: as ourselves, or as user and group 65534
/// (`nobody`) through `setpriv` (None when we are not root or it is not installed).
#[cfg(unix)]
fn candor_as(nobody: bool, args: &[&str], cwd: &Path) -> Option<Output> {
    if nobody {
        candor_as_nobody(args, cwd)
    } else {
        Some(candor(args, cwd, None))
    }
}

/// The same `--fix` run as root (or whoever runs the tests) and, when the machine allows, as an
/// unprivileged user on files that user owns: the fixed file keeps its mode and owner, a
/// symlink is written through and stays a link, a file named twice (by name and by a link to
/// it) is fixed once; a read-only file and a file with a second hard link are refused with
/// their reason and left as they were.
#[cfg(unix)]
#[test]
fn fix_keeps_mode_owner_and_links_as_root_and_as_an_unprivileged_user() {
    use std::os::unix::fs::{symlink, MetadataExt, PermissionsExt};
    const BEFORE: &str = "Please utilize the form.\n";
    const AFTER: &str = "Please use the form.\n";
    for nobody in [false, true] {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let owner = if nobody {
            Some(65534)
        } else {
            Some(std::fs::metadata(d).unwrap().uid())
        };
        let write = |name: &str, mode: u32| {
            let p = d.join(name);
            std::fs::write(&p, BEFORE).unwrap();
            std::os::unix::fs::chown(&p, owner, owner).unwrap();
            set_mode(&p, mode);
        };
        if nobody {
            std::os::unix::fs::chown(d, owner, owner).unwrap();
        }
        write("own.md", 0o640);
        write("target.md", 0o604);
        symlink("target.md", d.join("link.md")).unwrap();
        write("twice.md", 0o644);
        symlink(d.join("twice.md"), d.join("alias.md")).unwrap();
        let args = [
            "check",
            "own.md",
            "link.md",
            "twice.md",
            "alias.md",
            "./twice.md",
            "--fix",
        ];
        let Some(out) = candor_as(nobody, &args, d) else {
            eprintln!("skipped the unprivileged run: not root, or no `setpriv`");
            return;
        };
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "as nobody: {nobody}: {err}");
        assert_eq!(err.matches("applied").count(), 3, "{err}");
        for (name, mode) in [("own.md", 0o640), ("target.md", 0o604), ("twice.md", 0o644)] {
            let p = d.join(name);
            assert_eq!(std::fs::read_to_string(&p).unwrap(), AFTER, "{name}");
            let meta = std::fs::metadata(&p).unwrap();
            assert_eq!(meta.permissions().mode() & 0o7777, mode, "{name}");
            assert_eq!(Some(meta.uid()), owner, "{name}");
            assert_eq!(Some(meta.gid()), owner, "{name}");
        }
        for link in ["link.md", "alias.md"] {
            assert!(
                std::fs::symlink_metadata(d.join(link))
                    .unwrap()
                    .file_type()
                    .is_symlink(),
                "{link} is still a link"
            );
        }

        write("ro.md", 0o444);
        write("hard.md", 0o644);
        std::fs::hard_link(d.join("hard.md"), d.join("other-name.txt")).unwrap();
        let Some(out) = candor_as(nobody, &["check", "ro.md", "hard.md", "--fix"], d) else {
            return;
        };
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "as nobody: {nobody}: {err}");
        assert!(
            err.contains("ro.md: cannot write the fixed file: it is read-only"),
            "{err}"
        );
        assert!(
            err.contains("hard.md: cannot write the fixed file: it has 2 hard links"),
            "{err}"
        );
        for name in ["ro.md", "hard.md", "other-name.txt"] {
            let p = d.join(name);
            assert_eq!(std::fs::read_to_string(&p).unwrap(), BEFORE, "{name}");
            assert_eq!(Some(std::fs::metadata(&p).unwrap().uid()), owner, "{name}");
        }
        assert_eq!(
            std::fs::metadata(d.join("ro.md"))
                .unwrap()
                .permissions()
                .mode()
                & 0o7777,
            0o444
        );
    }
}
