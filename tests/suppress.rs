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
