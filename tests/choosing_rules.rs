//! Choosing and understanding rules from the command line: `--select` / `--ignore` (and
//! `select:` / `ignore-rules:` in `.candor.yaml`), `candor explain`, `candor config`,
//! `candor rules` with the configured level, and `--statistics`.

mod common;
use common::{run_candor, text};

use std::path::Path;
use std::process::Output;

const REPLY: &str = "Dear valued customer, thank you for reaching out. We apologize for any inconvenience. Your refund went out today.\n";

fn setup() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("reply.md"), REPLY).unwrap();
    dir
}

fn candor(args: &[&str], cwd: &Path) -> Output {
    run_candor(args, cwd, None)
}

/// The rule ids of `--format line` output, in order.
fn rules_of(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|l| l.split_whitespace().nth(1))
        .map(|r| r.trim_end_matches(':').to_string())
        .collect()
}

#[test]
fn select_and_ignore_take_ids_and_packs_repeated_or_comma_separated() {
    let dir = setup();
    let d = dir.path();
    let base = ["check", "reply.md", "--no-config", "--format", "line"];
    let all = candor(&base, d);
    assert_eq!(
        rules_of(&all),
        [
            "Candor.GenericGreeting",
            "Candor.CannedFiller",
            "Candor.CannedFiller"
        ]
    );
    let only = candor(
        &[&base[..], &["--select", "Candor.GenericGreeting"]].concat(),
        d,
    );
    assert_eq!(rules_of(&only), ["Candor.GenericGreeting"]);
    let pack_minus = candor(
        &[
            &base[..],
            &[
                "--select",
                "Candor",
                "--ignore",
                "Candor.BuriedAnswer,Candor.CannedFiller",
            ],
        ]
        .concat(),
        d,
    );
    assert_eq!(rules_of(&pack_minus), ["Candor.GenericGreeting"]);
    let repeated = candor(
        &[
            &base[..],
            &[
                "--ignore",
                "Candor.CannedFiller",
                "--ignore",
                "Candor.GenericGreeting",
            ],
        ]
        .concat(),
        d,
    );
    assert_eq!(rules_of(&repeated), Vec::<String>::new());
    assert_eq!(repeated.status.code(), Some(0));
}

#[test]
fn an_unknown_rule_id_is_a_usage_error_naming_it() {
    let dir = setup();
    let d = dir.path();
    let out = candor(
        &[
            "check",
            "reply.md",
            "--no-config",
            "--select",
            "Candor.Canned",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        "candor: error: --select/--ignore: no rule or pack `Candor.Canned` is loaded; `candor rules` lists them\n"
    );
    assert_eq!(text(&out.stdout), "");
    let out = candor(
        &[
            "check",
            "reply.md",
            "--no-config",
            "--ignore",
            "Candor,Acme",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("`Acme`"),
        "{}",
        text(&out.stderr)
    );

    std::fs::write(d.join(".candor.yaml"), "select:\n  - Candor.Filler\n").unwrap();
    let out = candor(&["check", "reply.md"], d);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("no rule or pack `Candor.Filler` is loaded") && stderr.contains(":2"),
        "{stderr}"
    );
}

#[test]
fn the_configuration_selects_and_the_command_line_wins() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(
        d.join(".candor.yaml"),
        "select: [Candor.CannedFiller, Candor.GenericGreeting]\nignore-rules: [Candor.GenericGreeting]\n",
    )
    .unwrap();
    let out = candor(&["check", "reply.md", "--format", "line"], d);
    assert_eq!(
        rules_of(&out),
        ["Candor.CannedFiller", "Candor.CannedFiller"]
    );
    // A --select replaces the file's; the file's ignore-rules still holds.
    let out = candor(
        &[
            "check", "reply.md", "--format", "line", "--select", "Candor",
        ],
        d,
    );
    assert_eq!(
        rules_of(&out),
        ["Candor.CannedFiller", "Candor.CannedFiller"]
    );
    let out = candor(
        &[
            "check",
            "reply.md",
            "--format",
            "line",
            "--ignore",
            "Candor.CannedFiller",
        ],
        d,
    );
    assert_eq!(rules_of(&out), Vec::<String>::new());
}

#[test]
fn statistics_count_findings_per_rule_most_first() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(d.join("second.md"), "Thank you for your patience!\n").unwrap();
    let out = candor(&["check", ".", "--no-config", "--statistics"], d);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "     3  Candor.CannedFiller     warning\n     1  Candor.GenericGreeting  warning\n"
    );
    let out = candor(
        &[
            "check",
            ".",
            "--no-config",
            "--statistics",
            "--format",
            "json",
            "--fail-on",
            "warning",
        ],
        d,
    );
    assert_eq!(out.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json[0]["rule"], "Candor.CannedFiller");
    assert_eq!(json[0]["count"], 3);
    assert_eq!(json[1]["fixable"], 0);
}

#[test]
fn explain_shows_the_rule_its_examples_and_its_configured_level() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(
        d.join(".candor.yaml"),
        "rules:\n  Candor.GenericGreeting: error\n",
    )
    .unwrap();
    let out = candor(&["explain", "Candor.GenericGreeting"], d);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    for expected in [
        "Candor.GenericGreeting  (substitution rule)\n",
        "Level: error (from .candor.yaml:2)\n",
        "What it catches:\n  Impersonal salutations",
        "Why it matters:\n  The customer gets the reply in the words they would use themselves.\n",
        "Flagged (bad):\n  - Dear valued customer, your order shipped.\n",
        "Not flagged (good):\n  - Hi Dana, your order shipped.\n",
        "Rule file: rules/Candor/GenericGreeting.yml\n",
    ] {
        assert!(shown.contains(expected), "{expected:?} not in:\n{shown}");
    }
    // The pack may be left out and case does not matter; options are listed.
    let out = candor(&["explain", "placeholder", "--no-config"], d);
    let shown = text(&out.stdout);
    assert!(shown.contains("Level: error (from rule file"), "{shown}");
    assert!(shown.contains("  allow: false\n"), "{shown}");
    let out = candor(&["explain", "Candor.CannedFilter"], d);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `Candor.CannedFiller`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn rules_lists_the_level_the_configuration_gives() {
    let dir = setup();
    let d = dir.path();
    std::fs::write(
        d.join(".candor.yaml"),
        "rules:\n  Candor.SelfFocus: off\n  Candor.Length: error\n",
    )
    .unwrap();
    let out = candor(&["rules"], d);
    let listing = text(&out.stdout);
    let level_of = |id: &str| {
        listing
            .lines()
            .find(|l| l.starts_with(id))
            .and_then(|l| l.split_whitespace().nth(1))
            .unwrap_or("")
            .to_string()
    };
    assert_eq!(level_of("Candor.SelfFocus"), "off");
    assert_eq!(level_of("Candor.Length"), "error");
    assert_eq!(level_of("Candor.CannedFiller"), "warning");
    let out = candor(&["rules", "--json"], d);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let length = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "Candor.Length")
        .unwrap();
    assert_eq!(length["level"], "suggestion");
    assert_eq!(length["configured_level"], "error");
}

#[test]
fn config_shows_the_effective_settings_and_where_each_came_from() {
    let dir = setup();
    let d = dir.path();
    std::fs::create_dir(d.join("macros")).unwrap();
    std::fs::write(
        d.join(".candor.yaml"),
        "rules:\n  Candor.CannedFiller: error\nignore: [\"drafts/**\"]\nignore-rules: [Candor.Length]\nvocabulary: [Zendesk]\npaths:\n  \"macros/**\":\n    rules:\n      Candor.Placeholder:\n        level: warning\n        options: {allow: true}\n",
    )
    .unwrap();
    let out = candor(
        &["config", "macros/a.md", "--ignore", "Candor.SelfFocus"],
        d,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    insta::assert_snapshot!(text(&out.stdout));
    let out = candor(&["config", "drafts/a.md"], d);
    assert!(
        text(&out.stdout).contains(
            "linted: no, the config's `ignore:` matches it (.candor.yaml:3 (`drafts/**`))"
        ),
        "{}",
        text(&out.stdout)
    );
}
