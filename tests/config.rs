//! `.candor.yaml`: discovery (nearest wins), `--config`, packs, levels, `off`, `paths:`
//! sections, ignore globs, vocabulary, errors that point at the line, `candor init`, and one
//! compiled rule set per distinct configuration.

mod common;
use common::{run_candor, text};

use std::path::Path;
use std::process::Output;

use candor::config::{ConfigChoice, Resolved, Resolver};

const FILLER: &str = "Thanks for reaching out! Please utilize the form.\n";

fn candor(args: &[&str], cwd: &Path, stdin: Option<&str>) -> Output {
    run_candor(args, cwd, stdin)
}

fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// A pack `styles/Acme` with one substitution rule, `Acme.Utilize`.
fn acme_pack(dir: &Path) {
    write(
        dir,
        "styles/Acme/Utilize.yml",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: warning\nignorecase: true\nswap:\n  utilize: use\n",
    );
}

/// `path:line:col: severity rule` of each finding, from `--format line`.
fn findings(out: &Output) -> Vec<String> {
    text(&out.stdout)
        .lines()
        .map(|l| l.split(": ").take(2).collect::<Vec<_>>().join(" "))
        .collect()
}

#[test]
fn the_nearest_config_wins_and_sets_levels_and_packs() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    acme_pack(d);
    write(
        d,
        ".candor.yaml",
        "packs: [styles/Acme]\nrules:\n  Candor.CannedFiller: error\n",
    );
    write(
        d,
        "sub/.candor.yaml",
        "rules:\n  Candor.CannedFiller: off\n",
    );
    write(d, "top.md", FILLER);
    write(d, "sub/deep/inner.md", FILLER);
    let out = candor(&["check", ".", "--format", "line"], d, None);
    assert_eq!(
        findings(&out),
        vec![
            "./top.md:1:1 error Candor.CannedFiller",
            "./top.md:1:33 warning Acme.Utilize",
        ],
        "{}",
        text(&out.stderr)
    );
    // An error is now reported, so the default --fail-on error fails.
    assert_eq!(out.status.code(), Some(1));

    // --config uses one file for everything; --no-config uses none.
    let out = candor(
        &[
            "check",
            "sub/deep/inner.md",
            "--config",
            ".candor.yaml",
            "--format",
            "line",
        ],
        d,
        None,
    );
    assert_eq!(findings(&out).len(), 2, "{}", text(&out.stdout));
    let out = candor(&["check", "top.md", "--config", "missing.yaml"], d, None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("missing.yaml") && err.contains("cannot read config"),
        "{err}"
    );
    let out = candor(
        &["check", "top.md", "--no-config", "--format", "line"],
        d,
        None,
    );
    assert_eq!(
        findings(&out),
        vec!["top.md:1:1 warning Candor.CannedFiller"]
    );
}

#[test]
fn paths_sections_ignore_globs_and_vocabulary() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    acme_pack(d);
    write(
        d,
        "styles/Acme/Vendor.yml",
        "extends: existence\nmessage: \"Name the product, not '%s'.\"\nlevel: warning\ntokens: [Zendesk, Freshdesk]\n",
    );
    write(
        d,
        "styles/Acme/Strict.yml",
        "extends: existence\nmessage: \"'%s'\"\nlevel: warning\nvocab: false\ntokens: [Zendesk]\n",
    );
    write(
        d,
        ".candor.yaml",
        "packs: [styles/Acme]\n\
         ignore: [\"drafts/**\", \"*.txt\"]\n\
         vocabulary: [Zendesk]\n\
         paths:\n  \"macros/**\":\n    vocabulary: [Freshdesk]\n    rules:\n      Candor.CannedFiller: off\n      Acme.Utilize: suggestion\n",
    );
    let body = "Thanks for reaching out! Please utilize Zendesk or Freshdesk.\n";
    write(d, "reply.md", body);
    write(d, "macros/a/m.md", body);
    write(d, "drafts/d.md", body);
    write(d, "notes/n.txt", body);
    let out = candor(&["check", ".", "--format", "line"], d, None);
    assert_eq!(
        findings(&out),
        vec![
            // Zendesk is accepted (Acme.Vendor stays quiet) except by the `vocab: false` rule.
            "./macros/a/m.md:1:33 suggestion Acme.Utilize",
            "./macros/a/m.md:1:41 warning Acme.Strict",
            // Freshdesk is accepted under macros/ only.
            "./reply.md:1:1 warning Candor.CannedFiller",
            "./reply.md:1:33 warning Acme.Utilize",
            "./reply.md:1:41 warning Acme.Strict",
            "./reply.md:1:52 warning Acme.Vendor",
        ],
        "{}",
        text(&out.stderr)
    );
    // A file named on the command line is still ignored, with a note saying why.
    let out = candor(&["check", "drafts/d.md", "--format", "line"], d, None);
    assert!(out.stdout.is_empty());
    assert!(
        text(&out.stderr).contains("drafts/d.md: skipped, the config's `ignore:` matches it"),
        "{}",
        text(&out.stderr)
    );
}

/// Runs `candor check a.md` with `config` as `.candor.yaml`, returning (status, stderr).
fn with_config(config: &str) -> (Option<i32>, String) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".candor.yaml", config);
    write(dir.path(), "a.md", FILLER);
    let out = candor(&["check", "a.md"], dir.path(), None);
    (out.status.code(), text(&out.stderr))
}

#[test]
fn a_bad_config_is_exit_2_with_the_line_shown() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "rules:\n  Candor.CannedFiller: loud\n",
            "`loud` is not a rule setting",
            "2 │   Candor.CannedFiller: loud",
        ),
        (
            "rules: {}\nignroe: []\n",
            "unknown field `ignroe`",
            "2 │ ignroe: []",
        ),
        (
            "rules:\n  Candor.CannedFillr: off\n",
            "no rule `Candor.CannedFillr` is loaded (did you mean `Candor.CannedFiller`?)",
            "2 │   Candor.CannedFillr: off",
        ),
        (
            "rules:\n  Candor.CannedFiller:\n    levle: error\n",
            "unknown field `levle`",
            "3 │     levle: error",
        ),
        (
            "rules:\n  Candor.CannedFiller:\n    options: {max: 2}\n",
            "unknown field `max`",
            "2 │   Candor.CannedFiller",
        ),
        (
            "ignore:\n  - ok/**\n  - \"a/[b\"\n",
            "is not a valid glob",
            "3 │   - \"a/[b\"",
        ),
        (
            "packs:\n  - nowhere\n",
            "pack folder `nowhere` does not exist",
            "2 │   - nowhere",
        ),
        ("rules: [\n", "", ".candor.yaml:"),
    ];
    for (config, message, shown) in cases {
        let (code, err) = with_config(config);
        assert_eq!(code, Some(2), "{config}\n{err}");
        assert!(err.contains(message), "{config}\nwant {message}\n{err}");
        assert!(err.contains(shown), "{config}\nwant {shown}\n{err}");
        assert!(err.contains(".candor.yaml"), "{err}");
    }
}

#[test]
fn init_writes_a_starter_that_loads_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let out = candor(&["init"], d, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(d.join(".candor.yaml")).unwrap();
    assert_eq!(written, candor::config::STARTER);
    write(d, "a.md", FILLER);
    let out = candor(&["check", "a.md", "--format", "line"], d, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(findings(&out), vec!["a.md:1:1 warning Candor.CannedFiller"]);

    write(d, ".candor.yaml", "rules: {}\n");
    let out = candor(&["init"], d, None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("already exists"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(d.join(".candor.yaml")).unwrap(),
        "rules: {}\n"
    );
}

#[test]
fn standard_input_uses_the_config_of_the_working_folder() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".candor.yaml",
        "rules:\n  Candor.CannedFiller: error\n",
    );
    let out = candor(&["check", "--format", "line"], dir.path(), Some(FILLER));
    assert_eq!(
        findings(&out),
        vec!["<stdin>:1:1 error Candor.CannedFiller"]
    );
}

#[test]
fn one_rule_set_is_compiled_per_distinct_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        ".candor.yaml",
        "rules:\n  Candor.CannedFiller: error\npaths:\n  \"macros/**\":\n    rules:\n      Candor.CannedFiller: suggestion\n",
    );
    write(
        d,
        "other/.candor.yaml",
        "rules:\n  Candor.CannedFiller: off\n",
    );
    let mut files = Vec::new();
    for folder in ["docs", "macros/billing", "other"] {
        for i in 0..40 {
            let name = format!("{folder}/f{i}.md");
            write(d, &name, FILLER);
            files.push(d.join(name));
        }
    }
    let mut resolver = Resolver::new(&[] as &[std::path::PathBuf], ConfigChoice::Discover).unwrap();
    let mut levels = std::collections::BTreeMap::new();
    for f in &files {
        let Resolved::Lint(eff) = resolver.resolve(f).unwrap() else {
            panic!("nothing is ignored")
        };
        let level = eff
            .rules
            .get("Candor.CannedFiller")
            .map(|r| r.meta().level.as_str());
        let folder = f.parent().unwrap().strip_prefix(d).unwrap().to_owned();
        levels.insert(folder, level);
    }
    assert_eq!(
        levels.into_iter().collect::<Vec<_>>(),
        vec![
            ("docs".into(), Some("error")),
            ("macros/billing".into(), Some("suggestion")),
            ("other".into(), None),
        ]
    );
    // docs, macros and other: three compiled sets for 120 files.
    assert_eq!(resolver.compiled_sets(), 3);
}

#[test]
fn rules_lists_the_packs_of_the_config_too() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    acme_pack(d);
    write(d, ".candor.yaml", "packs: [styles/Acme]\n");
    let listed = text(&candor(&["rules"], d, None).stdout);
    assert!(listed.contains("Acme.Utilize"), "{listed}");
    assert!(listed.contains("Candor.CannedFiller"), "{listed}");
    let listed = text(&candor(&["rules", "--no-config"], d, None).stdout);
    assert!(!listed.contains("Acme.Utilize"), "{listed}");
}

/// The long form (`level:` in a map) works in a `paths:` section, and an error about a rule
/// named both at the top and in a section points at the line that caused it, not the first
/// mention of the id.
#[test]
fn long_form_levels_per_glob_and_errors_point_into_the_section() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "reply.md", FILLER);
    write(d, "macros/m.md", FILLER);
    write(
        d,
        ".candor.yaml",
        "rules:\n  Candor.CannedFiller: suggestion\npaths:\n  \"macros/**\":\n    rules:\n      Candor.CannedFiller:\n        level: error\n",
    );
    let out = candor(&["check", ".", "--format", "line"], d, None);
    assert_eq!(
        findings(&out),
        vec![
            "./macros/m.md:1:1 error Candor.CannedFiller",
            "./reply.md:1:1 suggestion Candor.CannedFiller",
        ],
        "{}",
        text(&out.stderr)
    );

    // Options a rule does not take, given in the section: the error shows line 6, not line 2.
    write(
        d,
        ".candor.yaml",
        "rules:\n  Candor.CannedFiller: suggestion\npaths:\n  \"macros/**\":\n    rules:\n      Candor.CannedFiller:\n        options: {max: 2}\n",
    );
    let out = candor(&["check", "macros/m.md"], d, None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("unknown field `max`"), "{err}");
    assert!(err.contains(".candor.yaml:6:"), "{err}");
    assert!(err.contains("6 │       Candor.CannedFiller:"), "{err}");

    // An unknown id in a section is shown in that section, too.
    write(
        d,
        ".candor.yaml",
        "paths:\n  \"a/**\":\n    rules: {Candor.Nope: off}\n  \"b/**\":\n    rules:\n      Candor.CannedFillr: off\nrules:\n  Candor.CannedFiller: off\n",
    );
    let out = candor(&["check", "reply.md"], d, None);
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("no rule `Candor.Nope` is loaded"), "{err}");
    assert!(err.contains("3 │     rules: {Candor.Nope: off}"), "{err}");
}

/// SARIF lists the rules the configuration actually used: a config pack's rule with the
/// config's level, not a rule the config turns off.
#[test]
fn sarif_lists_the_rules_of_the_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    acme_pack(d);
    write(
        d,
        ".candor.yaml",
        "packs: [styles/Acme]\nrules:\n  Candor.CannedFiller: off\n  Acme.Utilize: error\n",
    );
    write(d, "reply.md", "All good here.\n");
    let out = candor(&["check", "reply.md", "--format", "sarif"], d, None);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let log: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let rules = log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let listed: Vec<(&str, &str)> = rules
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap(),
                r["defaultConfiguration"]["level"].as_str().unwrap(),
            )
        })
        .collect();
    // Other built-in rules (Candor.IgnoredQuestion, …) may be listed too.
    assert!(listed.contains(&("Acme.Utilize", "error")), "{listed:?}");
    assert!(
        !listed.iter().any(|(id, _)| *id == "Candor.CannedFiller"),
        "{listed:?}"
    );
}

#[cfg(unix)]
#[test]
fn a_linked_file_or_folder_takes_the_config_of_where_it_really_is() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "quiet/.candor.yaml",
        "rules:\n  Candor.CannedFiller: off\n",
    );
    write(d, "quiet/real.md", FILLER);
    write(d, "loud/own.md", FILLER);
    std::os::unix::fs::symlink(d.join("quiet/real.md"), d.join("loud/link.md")).unwrap();
    std::os::unix::fs::symlink(d.join("quiet"), d.join("loud/quiet-dir")).unwrap();
    let mut resolver = Resolver::new(&[], ConfigChoice::Discover).unwrap();
    let fires = |resolver: &mut Resolver, p: &str| match resolver.resolve(&d.join(p)).unwrap() {
        Resolved::Lint(e) => e
            .rules
            .iter()
            .any(|r| &*r.meta().id == "Candor.CannedFiller"),
        Resolved::Ignored => panic!("{p} ignored"),
    };
    assert!(fires(&mut resolver, "loud/own.md"));
    assert!(
        !fires(&mut resolver, "loud/link.md"),
        "a link resolves to quiet/"
    );
    assert!(!fires(&mut resolver, "loud/quiet-dir/real.md"));
    assert!(!fires(&mut resolver, "quiet/real.md"));
}
