//! Inline suppression comments, end to end: Candor's own and Vale's, in Markdown and plain text.

use std::path::Path;
use std::process::Command;

fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// 1-based line and rule of each finding in `name`, linted with the built-in pack plus the
/// Demo pack (whose `Demo.Substitution` flags "utilize").
fn lint(name: &str, body: &str) -> Vec<(usize, String)> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, body);
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rule_types/Demo");
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", name, "--no-config", "--format", "line", "--rules"])
        .arg(&demo)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut parts = l.split(':');
            let _path = parts.next();
            let line = parts.next().unwrap().parse().unwrap();
            let rule = l.split_whitespace().nth(2).unwrap().trim_end_matches(':');
            (line, rule.to_string())
        })
        .collect()
}

fn found(lines: &[(usize, &str)]) -> Vec<(usize, String)> {
    lines.iter().map(|(l, r)| (*l, r.to_string())).collect()
}

const FILLER: &str = "Candor.CannedFiller";
const SWAP: &str = "Demo.Substitution";

#[test]
fn candor_comments_in_markdown() {
    let body = "\
Thanks for reaching out! Please utilize the form.

<!-- candor-disable Demo.Substitution -- we quote the old wording on purpose -->
Thanks for reaching out! Please utilize the form.
<!-- candor-enable -->

<!-- candor-disable -->
Thanks for reaching out! Please utilize the form.

<!-- candor-enable Candor -->
Thanks for reaching out! Please utilize the form.
<!-- candor-enable -->

<!-- candor-disable-next-line -->
Thanks for reaching out! Please utilize the form.
Thanks for reaching out! Please utilize the form.

Inline <!-- candor-disable-next-line Candor.CannedFiller --> comment.
Thanks for reaching out! Please utilize the form.

Thanks for reaching out! Please utilize the form. <!-- candor-disable-line Demo -->
";
    assert_eq!(
        lint("reply.md", body),
        found(&[
            (1, FILLER),
            (1, SWAP),
            (4, FILLER),
            // Everything off from line 7; `candor-enable Candor` turns the built-in pack back on.
            (11, FILLER),
            (16, FILLER),
            (16, SWAP),
            (19, SWAP),
            (21, FILLER),
        ])
    );
}

#[test]
fn vale_comments_keep_working() {
    let body = "\
<!-- vale off -->
Thanks for reaching out! Please utilize the form.
<!-- vale on -->

<!-- vale Candor.CannedFiller = NO -->
Thanks for reaching out! Please utilize the form.
<!-- vale Candor.CannedFiller = YES -->

<!-- vale Demo = NO -->
Thanks for reaching out! Please utilize the form.
<!-- vale Demo = YES -->

<!-- vale Demo.Substitution[\"at this point in time\"] = NO -->
At this point in time, please utilize the form.
<!-- vale Demo.Substitution = YES -->
Please utilize the form.
";
    assert_eq!(
        lint("reply.md", body),
        found(&[(6, SWAP), (10, FILLER), (14, SWAP), (16, SWAP)])
    );
}

#[test]
fn comments_shown_as_code_do_not_suppress() {
    let body = "\
```html
<!-- candor-disable -->
```

Use `<!-- vale off -->` to turn Vale off.

Thanks for reaching out! Please utilize the form.
";
    assert_eq!(lint("reply.md", body), found(&[(7, FILLER), (7, SWAP)]));
}

#[test]
fn plain_text_reads_comments_on_their_own_line() {
    let body = "\
<!-- candor-disable Candor.CannedFiller -->
Thanks for reaching out! Please utilize the form.
<!-- candor-enable -->
Thanks for reaching out! <!-- vale off --> Please utilize the form.
";
    assert_eq!(
        lint("reply.txt", body),
        found(&[(2, SWAP), (4, FILLER), (4, SWAP)])
    );
}

/// `(line, column, rule)` of each finding in `name`, as in [`lint`].
fn lint_at(name: &str, body: &str) -> Vec<(usize, usize, String)> {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), name, body);
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rule_types/Demo");
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", name, "--no-config", "--format", "line", "--rules"])
        .arg(&demo)
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let mut parts = l.split(':');
            let _path = parts.next();
            let line = parts.next().unwrap().parse().unwrap();
            let col = parts.next().unwrap().parse().unwrap();
            let rule = l.split_whitespace().nth(2).unwrap().trim_end_matches(':');
            (line, col, rule.to_string())
        })
        .collect()
}

/// 1-based line and column of the `nth` (0-based) `needle` on 1-based `line` of `text`.
fn pos(text: &str, line: usize, needle: &str, nth: usize) -> (usize, usize) {
    let l = text.lines().nth(line - 1).unwrap();
    let col = l.match_indices(needle).nth(nth).unwrap().0 + 1;
    (line, col)
}

#[test]
fn comments_inside_macro_bodies_apply_to_that_body_only() {
    // Line 2: an HTML body; the comment turns off the next paragraph.
    // Line 3: `<` and `>` escaped as JSON may write them; the disable is left open, so it must
    // end with this body (macro C's first sentence is still checked).
    // Line 4: a plain body; lines are `\n` escapes.
    let export = r#"{"macros": [
{"title": "A", "actions": [{"field": "comment_value_html", "value": "<p>Thanks for reaching out!</p><!-- candor-disable-next-line --><p>Please utilize the form.</p><p>Please utilize the form.</p>"}]},
{"title": "B", "actions": [{"field": "comment_value_html", "value": "<p>Please utilize the form.</p>\u003c!-- candor-disable Demo.Substitution --\u003e<p>Please utilize the form.</p>"}]},
{"title": "C", "actions": [{"field": "comment_value", "value": "Please utilize the form.\n<!-- candor-disable-line -->Thanks for reaching out! Please utilize it.\nPlease utilize the form."}]}
]}
"#;
    let want = |line, needle, nth, rule: &str| {
        let (l, c) = pos(export, line, needle, nth);
        (l, c, rule.to_string())
    };
    assert_eq!(
        lint_at("macros.json", export),
        vec![
            want(2, "Thanks", 0, FILLER),
            want(2, "utilize", 1, SWAP),
            want(3, "utilize", 0, SWAP),
            want(4, "utilize", 0, SWAP),
            want(4, "utilize", 2, SWAP),
        ]
    );
}

#[test]
fn comments_naming_no_rule_or_turning_nothing_off_are_warned_at_the_comment() {
    let body = "Thanks for reaching out!\n\
<!-- vale Candor.CannedFiller[\"thanks for reaching out\"] = NO -->\n\
Thanks for reaching out!\n\
<!-- vale Candor.CannedFiller = YES -->\n\n\
<!-- candor-disable-next-line Candor.CanedFiller -->\n\
Your refund went out today.\n\n\
<!-- candor-disable-next-line Candor.SelfFocus -- a stale comment -->\n\
Your refund went out today.\n\n\
<!-- candor-disable-next-line Candor.CannedFiller -->\n\
Thank you for your patience!\n\
<!-- vale Microsoft.Passive = NO -->\n";
    // Line 1 is flagged; line 3 is turned off by the Vale form although the finding's text
    // ends in "!"; the typo (6) and the stale comment (9) are warned; the comment that turns
    // a finding off (12) and a Vale comment for a pack Candor does not load (14) are not.
    assert_eq!(
        lint("r.md", body),
        found(&[
            (1, "Candor.CannedFiller"),
            (1, "Candor.BuriedAnswer"),
            (6, "Candor.UnknownRule"),
            (9, "Candor.UnusedSuppression"),
        ])
    );
    // The warning's span is exactly the comment.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "r.md", body);
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", "r.md", "--no-config", "--format", "json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let unknown = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "Candor.UnknownRule")
        .unwrap()
        .clone();
    let span = unknown["span"]["start"].as_u64().unwrap() as usize
        ..unknown["span"]["end"].as_u64().unwrap() as usize;
    assert_eq!(
        &body[span],
        "<!-- candor-disable-next-line Candor.CanedFiller -->"
    );
    assert!(
        unknown["message"]
            .as_str()
            .unwrap()
            .contains("`Candor.CanedFiller`"),
        "{unknown}"
    );
}

#[test]
fn the_comment_checks_are_turned_off_like_rules() {
    let dir = tempfile::tempdir().unwrap();
    let body = "<!-- candor-disable-next-line Candor.SelfFocus -->\nYour refund went out today.\n\n<!-- candor-disable-next-line Candor.Typo -->\nYour refund went out today.\n";
    write(dir.path(), "r.md", body);
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(["check", "r.md", "--format", "line"])
            .args(args)
            .current_dir(dir.path())
            .output()
            .unwrap();
        assert!(out.status.code().is_some_and(|c| c < 2), "{out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let all = run(&["--no-config"]);
    assert!(all.contains("Candor.UnusedSuppression") && all.contains("Candor.UnknownRule"));
    let quiet = run(&["--no-config", "--ignore", "Candor.UnusedSuppression"]);
    assert!(!quiet.contains("Candor.UnusedSuppression") && quiet.contains("Candor.UnknownRule"));
    write(
        dir.path(),
        ".candor.yaml",
        "rules:\n  Candor.UnknownRule: off\n",
    );
    let configured = run(&[]);
    assert!(
        configured.contains("Candor.UnusedSuppression")
            && !configured.contains("Candor.UnknownRule"),
        "{configured}"
    );
}
