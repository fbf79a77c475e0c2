//! The composite GitHub Action (`action.yml`): its wiring is checked statically (every input
//! and step output it refers to exists), and its "Run candor" script is run here with bash the
//! way the runner would, against the built binary, in both modes (annotations and SARIF).

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use serde_norway::Value;

fn action() -> Value {
    serde_norway::from_str(&std::fs::read_to_string("action.yml").expect("action.yml exists"))
        .expect("action.yml is YAML")
}

fn steps(action: &Value) -> &Vec<Value> {
    action["runs"]["steps"].as_sequence().expect("runs.steps")
}

/// Every `${{ ... }}` expression in a text.
fn expressions(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("${{") {
        let after = &rest[i + 3..];
        let end = after.find("}}").expect("expression is closed");
        out.push(after[..end].trim().to_string());
        rest = &after[end + 2..];
    }
    out
}

#[test]
fn action_is_composite_and_refers_only_to_inputs_and_steps_it_has() {
    let action = action();
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    let inputs: Vec<&str> = action["inputs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    let step_ids: Vec<&str> = steps(&action)
        .iter()
        .filter_map(|s| s["id"].as_str())
        .collect();
    let text = std::fs::read_to_string("action.yml").unwrap();
    let word = |s: &str| {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect::<String>()
    };
    for expr in expressions(&text) {
        for (i, _) in expr.match_indices("inputs.") {
            let name = word(&expr[i + "inputs.".len()..]);
            assert!(
                inputs.contains(&name.as_str()),
                "unknown input `{name}` in `{expr}`"
            );
        }
        for (i, _) in expr.match_indices("steps.") {
            let id = word(&expr[i + "steps.".len()..]);
            assert!(
                step_ids.contains(&id.as_str()),
                "unknown step `{id}` in `{expr}`"
            );
        }
    }
    for step in steps(&action) {
        if step.get("run").is_some() {
            assert_eq!(
                step["shell"].as_str(),
                Some("bash"),
                "composite run steps need a shell"
            );
        }
    }
    let uses: Vec<&str> = steps(&action)
        .iter()
        .filter_map(|s| s["uses"].as_str())
        .collect();
    assert!(uses
        .iter()
        .any(|u| u.starts_with("github/codeql-action/upload-sarif@")));
}

/// Runs the action's "Run candor" step with `inputs` (defaults for the rest).
fn run_check_step(inputs: &[(&str, &str)], dir: &Path) -> (String, i32, BTreeMap<String, String>) {
    let action = action();
    let step = steps(&action)
        .iter()
        .find(|s| s["id"].as_str() == Some("check"))
        .expect("a step with id `check`");
    let script = step["run"].as_str().unwrap();
    let defaults = action["inputs"].as_mapping().unwrap();
    let input = |name: &str| -> String {
        inputs
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.to_string())
            .unwrap_or_else(|| defaults[name]["default"].as_str().unwrap().to_string())
    };
    let output_file = dir.join("github_output");
    std::fs::write(&output_file, "").unwrap();
    let mut cmd = Command::new("bash");
    // The runner's shell for `shell: bash`.
    cmd.args(["--noprofile", "--norc", "-eo", "pipefail", "-c", script]);
    cmd.env("GITHUB_OUTPUT", &output_file);
    for (key, value) in step["env"].as_mapping().unwrap() {
        let key = key.as_str().unwrap();
        let value = value.as_str().unwrap();
        let resolved = match expressions(value).first().map(String::as_str) {
            Some("steps.setup.outputs.root") => value.replace(
                "${{ steps.setup.outputs.root }}/bin/candor",
                env!("CARGO_BIN_EXE_candor"),
            ),
            Some(e) if e.starts_with("inputs.") => input(&e["inputs.".len()..]),
            _ => value.to_string(),
        };
        cmd.env(key, resolved);
    }
    let out = cmd.output().expect("bash runs");
    let outputs = std::fs::read_to_string(&output_file)
        .unwrap()
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
        outputs,
    )
}

const REPLY: &str = "tests/fixtures/ci/réponse client.md";

#[test]
fn annotation_mode_prints_workflow_commands_and_fails_at_the_chosen_level() {
    let dir = tempfile::tempdir().unwrap();
    let (out, code, outputs) = run_check_step(&[("paths", &format!("{REPLY}\n"))], dir.path());
    assert_eq!(
        code, 0,
        "canned filler is a warning, below the default fail-on (error)"
    );
    assert_eq!(outputs["exit-code"], "0");
    let annotations: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("::warning file="))
        .collect();
    // Each sentence that is nothing but canned filler is one annotation, flagged whole (line 6
    // holds two catalogue phrases and nothing specific).
    assert_eq!(annotations.len(), 2, "{out}");
    assert!(
        annotations[0].contains(",line=3,col=1,endLine=3,endColumn=40,"),
        "{out}"
    );
    assert!(
        annotations[1].contains(",line=6,col=1,endLine=6,endColumn=79,"),
        "{out}"
    );

    let (_, code, outputs) = run_check_step(
        &[("paths", &format!("{REPLY}\n")), ("fail-on", "warning")],
        dir.path(),
    );
    assert_eq!((code, outputs["exit-code"].as_str()), (1, "1"));

    // Paths may be given one per line; extra arguments pass through.
    let (out, code, _) = run_check_step(
        &[
            (
                "paths",
                &format!("  {REPLY}\n\ntests/fixtures/ci/clean.md  \n"),
            ),
            ("args", "--rules tests/fixtures/ci/rules"),
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "the Acme rule reports errors");
    assert!(out
        .lines()
        .any(|l| l.starts_with("::error ") && l.contains("title=Acme.Utilize")));
}

#[test]
fn sarif_mode_writes_the_log_and_defers_failure_to_after_the_upload() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let (out, code, outputs) = run_check_step(
        &[
            ("paths", &format!("{REPLY}\n")),
            ("sarif", "true"),
            ("sarif-file", sarif.to_str().unwrap()),
            ("fail-on", "warning"),
        ],
        dir.path(),
    );
    assert_eq!(code, 0, "the step itself succeeds so the upload step runs");
    assert_eq!(outputs["exit-code"], "1");
    assert_eq!(outputs["sarif-file"], sarif.to_str().unwrap());
    assert!(!out.contains("::warning"));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert_eq!(log["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn args_take_one_argument_per_line_and_never_collide_with_the_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("macros.csv");
    std::fs::write(
        &csv,
        "Title,Reply text\nRefund,We apologize for any inconvenience this may have caused.\n",
    )
    .unwrap();
    let csv = csv.to_str().unwrap();
    // An argument with a space, on its own line.
    let (out, code, outputs) = run_check_step(
        &[
            ("paths", csv),
            ("args", "--column\n  Reply text\n--no-config\n"),
        ],
        dir.path(),
    );
    assert_eq!((code, outputs["exit-code"].as_str()), (0, "0"), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("::warning ") && l.contains("title=Candor.CannedFiller")),
        "{out}"
    );
    // --fail-on in args wins over the input (default `error`) instead of repeating it.
    let (out, code, _) = run_check_step(
        &[
            ("paths", csv),
            ("args", "--column\nReply text\n--fail-on\nwarning"),
        ],
        dir.path(),
    );
    assert_eq!(code, 1, "{out}");
    let (_, code, _) = run_check_step(
        &[("paths", csv), ("args", "--fail-on=warning --column=Title")],
        dir.path(),
    );
    assert_eq!(code, 0, "the Title column holds no filler");
    // --format is the action's: refused with a message, not a clap error about repeats.
    let (out, code, outputs) =
        run_check_step(&[("paths", csv), ("args", "--format json")], dir.path());
    assert_eq!((code, outputs["exit-code"].as_str()), (2, "2"));
    assert!(out.contains("the action chooses --format itself"), "{out}");
}

#[test]
fn a_field_or_column_matching_nothing_in_a_named_file_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(
        d.join("macros.json"),
        r#"[{"title": "A", "body": "Thanks!"}]"#,
    )
    .unwrap();
    std::fs::create_dir(d.join("more")).unwrap();
    std::fs::write(d.join("more/other.json"), r#"[{"title": "B"}]"#).unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(args)
            .arg("--no-config")
            .current_dir(d)
            .output()
            .unwrap()
    };
    let out = run(&["check", "macros.json", "--field", "actions.*.value"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "candor: error: macros.json: no text to lint: no string value matches --field actions.*.value\n"
    );
    // A file found in a folder that has no such field is passed over with a note.
    let out = run(&["check", "more", "--field", "actions.*.value"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stderr).contains("candor: note: more/other.json"));
}
