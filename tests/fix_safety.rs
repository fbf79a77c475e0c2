//! Fix safety: a suggestion with a stand-in is never a fix (not by `--fix`, `--diff`, SARIF or
//! rdjson); fixes of pattern matches are unsafe (only with `--unsafe-fixes`); fixes that do not
//! converge are refused with a note naming the rules.

mod common;
use common::{run_candor, text};

use std::path::Path;
use std::process::Output;

fn candor(args: &[&str], cwd: &Path) -> Output {
    let mut all: Vec<&str> = args.to_vec();
    all.push("--no-config");
    run_candor(all, cwd, None)
}

fn write_rule(dir: &Path, pack: &str, name: &str, yaml: &str) {
    let folder = dir.join("pack").join(pack);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join(format!("{name}.yml")), yaml).unwrap();
}

const GREETING: &str = "Dear valued customer, your order shipped today.\n";

#[test]
fn a_suggestion_with_a_stand_in_is_never_a_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("reply.md"), GREETING).unwrap();

    let out = candor(&["check", "reply.md", "--fix", "--unsafe-fixes"], d);
    assert_eq!(
        std::fs::read_to_string(d.join("reply.md")).unwrap(),
        GREETING
    );
    assert!(
        !text(&out.stderr).contains("applied"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stdout).contains("Candor.GenericGreeting"),
        "{}",
        text(&out.stdout)
    );

    let out = candor(&["check", "reply.md", "--diff", "--unsafe-fixes"], d);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");

    let out = candor(&["check", "reply.md", "--format", "json"], d);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let greeting = &json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["rule"] == "Candor.GenericGreeting")
        .unwrap()
        .clone();
    assert!(greeting.get("fix").is_none(), "{greeting}");

    let out = candor(&["check", "reply.md", "--format", "sarif"], d);
    let sarif: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for result in sarif["runs"][0]["results"].as_array().unwrap() {
        let fixes = result.get("fixes").and_then(|f| f.as_array());
        assert!(fixes.is_none_or(|f| f.is_empty()), "{result}");
    }

    let out = candor(&["check", "reply.md", "--format", "rdjson"], d);
    let rdjson: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    for diagnostic in rdjson["diagnostics"].as_array().unwrap() {
        let suggestions = diagnostic.get("suggestions").and_then(|s| s.as_array());
        assert!(suggestions.is_none_or(|s| s.is_empty()), "{diagnostic}");
    }
}

#[test]
fn a_fix_of_a_pattern_match_is_unsafe_and_needs_unsafe_fixes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write_rule(
        d,
        "House",
        "Spelling",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\nswap:\n  colou?rs?: hue\n  utilise: use\n",
    );
    let before = "Pick a colour and utilise it.\n";
    std::fs::write(d.join("reply.md"), before).unwrap();
    let rules = ["--rules", "pack"];

    let out = candor(
        &[&["check", "reply.md", "--format", "json"][..], &rules].concat(),
        d,
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let applicability: Vec<&str> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["fix"]["applicability"].as_str().unwrap())
        .collect();
    assert_eq!(applicability, ["unsafe", "safe"], "{json}");

    let out = candor(&[&["check", "reply.md", "--fix"][..], &rules].concat(), d);
    assert!(
        text(&out.stderr).contains("applied 1 fix"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("reply.md")).unwrap(),
        "Pick a colour and use it.\n"
    );

    let out = candor(
        &[
            &["check", "reply.md", "--diff", "--unsafe-fixes"][..],
            &rules,
        ]
        .concat(),
        d,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("+Pick a hue and use it."),
        "{}",
        text(&out.stdout)
    );

    candor(
        &[
            &["check", "reply.md", "--fix", "--unsafe-fixes"][..],
            &rules,
        ]
        .concat(),
        d,
    );
    assert_eq!(
        std::fs::read_to_string(d.join("reply.md")).unwrap(),
        "Pick a hue and use it.\n"
    );
}

#[test]
fn fixes_that_swap_back_and_forth_are_refused_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let swap = |from: &str, to: &str| {
        format!("extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\nswap:\n  {from}: {to}\n")
    };
    write_rule(d, "House", "Hyphen", &swap("email", "e-mail"));
    write_rule(d, "House", "Plain", &swap("e-mail", "email"));
    let before = "Send the email to us. Your e-mail arrived.\n";
    std::fs::write(d.join("reply.md"), before).unwrap();
    let rules = ["--rules", "pack"];

    let out = candor(&[&["check", "reply.md", "--fix"][..], &rules].concat(), d);
    assert_eq!(std::fs::read_to_string(d.join("reply.md")).unwrap(), before);
    let stderr = text(&out.stderr);
    assert!(!stderr.contains(": applied"), "{stderr}");
    assert!(
        stderr.contains(
            "reply.md: no fixes applied: the fixes of House.Hyphen and House.Plain do not converge"
        ),
        "{stderr}"
    );

    let out = candor(&[&["check", "reply.md", "--diff"][..], &rules].concat(), d);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "");
    assert!(
        text(&out.stderr).contains("do not converge"),
        "{}",
        text(&out.stderr)
    );
}
