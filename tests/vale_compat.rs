//! Vale compatibility end to end: a repository's `.vale.ini` and StylesPath used as they are,
//! a bad rule file left out with a warning (not a stopped run), and Vale's rule semantics.

mod common;
use common::{run_candor, text};

use std::path::Path;
use std::process::Output;

fn write(dir: &Path, name: &str, content: &str) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// The `path:line:col: severity rule` part of each finding line not from Candor's own pack.
fn vale_lines(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .filter(|l| !l.contains(" Candor."))
        .filter_map(|l| l.split_once(": "))
        .filter_map(|(at, rest)| {
            let rule = rest.split(':').next()?;
            Some(format!("{at} {rule}"))
        })
        .collect()
}

/// `candor check --format line doc.md` in `dir`: its output, and its standard output as text.
fn check_doc(dir: &Path) -> (Output, String) {
    let out = run_candor(["check", "--format", "line", "doc.md"], dir, None);
    let stdout = text(&out.stdout);
    (out, stdout)
}

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\nVocab = Docs\n\n[*.md]\nBasedOnStyles = Acme\nAcme.Off = NO\nOther.Lone = YES\n",
    );
    write(
        dir.path(),
        "styles/Acme/Very.yml",
        "extends: existence\nmessage: \"Avoid '%s'.\"\nlevel: warning\ntokens: [very]\n",
    );
    write(
        dir.path(),
        "styles/Acme/Off.yml",
        "extends: existence\nmessage: \"'%s'\"\ntokens: [really]\n",
    );
    // Look-around: refused by the `regex` crate, run by fancy-regex.
    write(
        dir.path(),
        "styles/Acme/Go.yml",
        "extends: existence\nmessage: \"'%s'\"\nlevel: error\ntokens: ['go(?! ahead)']\n",
    );
    // Not in BasedOnStyles, but turned on by name.
    write(
        dir.path(),
        "styles/Other/Lone.yml",
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: error\nswap:\n  utilize: use\n  utilize the: use the\n",
    );
    write(
        dir.path(),
        "styles/Other/NotOn.yml",
        "extends: existence\nmessage: \"'%s'\"\ntokens: [text]\n",
    );
    // A broken rule: a key no rule type has.
    write(
        dir.path(),
        "styles/Acme/Broken.yml",
        "extends: existence\nmessage: x\ntokenz: [x]\n",
    );
    write(
        dir.path(),
        "styles/config/vocabularies/Docs/accept.txt",
        "# accepted\nVERY\n",
    );
    write(
        dir.path(),
        "doc.md",
        "# Title\n\nA very good text, really. Go ahead, then go.\n\nutilize the `very` form.\n\nVERY loud.\n",
    );
    dir
}

#[test]
fn a_vale_ini_picks_the_styles_and_rules_and_a_bad_rule_is_only_a_warning() {
    let dir = repo();
    let (out, stdout) = check_doc(dir.path());
    let stderr = text(&out.stderr);
    assert_eq!(
        vale_lines(&stdout),
        [
            "doc.md:3:3 warning Acme.Very",
            "doc.md:3:42 error Acme.Go",
            // Longest key first; inline code is masked, so "very" in it is not read.
            "doc.md:5:1 error Other.Lone",
        ],
        "{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("Broken.yml:3") && stderr.contains("tokenz"),
        "{stderr}"
    );
    // Findings below --fail-on error? Acme.Go is an error: exit 1, not 2.
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let strict = run_candor(
        ["check", "--format", "line", "--strict-rules", "doc.md"],
        dir.path(),
        None,
    );
    assert_eq!(strict.status.code(), Some(2));
    let listed = run_candor(["rules", "--check"], dir.path(), None);
    assert_eq!(listed.status.code(), Some(1));
}

#[test]
fn min_alert_level_defaults_to_warning_and_rule_levels_can_be_set() {
    let dir = repo();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\n[*.md]\nBasedOnStyles = Acme\nAcme.Very = suggestion\n",
    );
    let (out, _) = check_doc(dir.path());
    let lines = vale_lines(&text(&out.stdout));
    // Acme.Very is now a suggestion, below Vale's default MinAlertLevel (warning); Acme.Off has
    // no level: Vale's default, warning.
    assert_eq!(
        lines,
        ["doc.md:3:19 warning Acme.Off", "doc.md:3:42 error Acme.Go"],
        "{lines:?}"
    );
}

#[test]
fn spelling_rules_use_hunspell_dictionaries_ignore_files_and_accepted_terms() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\nVocab = Docs\n\n[*.md]\nVale.Spelling = YES\nOwn.Typos = YES\n",
    );
    write(dir.path(), "styles/config/ignore/tech.txt", "nginx\n");
    write(
        dir.path(),
        "styles/config/vocabularies/Docs/accept.txt",
        "definately\n",
    );
    // A dictionary of its own, without the built-in one (no `append`), and no default
    // filters (`custom`): "HTTP" is then checked, and "cat" is the only word it knows.
    write(
        dir.path(),
        "styles/dics/tiny.aff",
        "SET UTF-8\nSFX S Y 1\nSFX S 0 s .\n",
    );
    write(dir.path(), "styles/dics/tiny.dic", "1\ncat/S\n");
    write(
        dir.path(),
        "styles/Own/Typos.yml",
        "extends: spelling\nmessage: \"'%s'?\"\nlevel: warning\ncustom: true\ndicpath: dics\ndictionaries: [tiny]\n",
    );
    write(
        dir.path(),
        "doc.md",
        "Nginx cats recieve HTTP `codde` Definately.\n",
    );
    let (out, stdout) = check_doc(dir.path());
    assert_eq!(
        vale_lines(&stdout),
        [
            // Own.Typos: its own dictionary, where only "cats" (cat + the S suffix) is a word.
            // Vale.Spelling: the built-in en_US; "Nginx" is in an ignore file (any case),
            // "HTTP" an acronym (a default filter). For both, "Definately" is an accepted term
            // and inline code is masked.
            "doc.md:1:1 warning Own.Typos",
            "doc.md:1:12 warning Own.Typos",
            "doc.md:1:12 error Vale.Spelling",
            "doc.md:1:20 warning Own.Typos",
        ],
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(stdout.contains("'recieve'"), "{stdout}");
}

#[test]
fn vale_comments_reach_raw_scope_rules_only_through_a_vale_off_left_open() {
    // Vale lints `scope: raw` after the rest of the file, with each rule's comment toggles
    // reset: `vale R = NO` no longer holds there, and only a `vale off` still open at the end
    // of the file turns raw findings off. A prose rule keeps its regions.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\n[*.md]\nBasedOnStyles = Acme\n",
    );
    write(
        dir.path(),
        "styles/Acme/Raw.yml",
        "extends: existence\nmessage: \"'%s'\"\nlevel: error\nscope: raw\nraw: ['\\.html\\b']\n",
    );
    write(
        dir.path(),
        "styles/Acme/Word.yml",
        "extends: existence\nmessage: \"'%s'\"\nlevel: error\ntokens: [html]\n",
    );
    let doc = "<!-- vale Acme.Raw = NO -->\n<!-- vale Acme.Word = NO -->\n\nSee [a](b.html) and the html page.\n";
    write(dir.path(), "doc.md", doc);
    let (_, stdout) = check_doc(dir.path());
    assert_eq!(
        vale_lines(&stdout),
        ["doc.md:4:10 error Acme.Raw"],
        "{stdout}"
    );

    // Candor's own directive keeps its place for every rule.
    write(
        dir.path(),
        "doc.md",
        "<!-- candor-disable Acme.Raw -->\n\nSee [a](b.html).\n",
    );
    let (out, _) = check_doc(dir.path());
    assert_eq!(vale_lines(&text(&out.stdout)), Vec::<String>::new());

    // A `vale off` closed again leaves raw findings in; one left open turns them all off.
    write(
        dir.path(),
        "doc.md",
        "<!-- vale off -->\n\nSee [a](b.html).\n\n<!-- vale on -->\n",
    );
    let (out, _) = check_doc(dir.path());
    assert_eq!(
        vale_lines(&text(&out.stdout)),
        ["doc.md:3:10 error Acme.Raw"]
    );
    write(
        dir.path(),
        "doc.md",
        "See [a](b.html).\n\n<!-- vale off -->\n\nThe end.\n",
    );
    let (out, _) = check_doc(dir.path());
    assert_eq!(vale_lines(&text(&out.stdout)), Vec::<String>::new());
}

#[test]
fn occurrence_over_its_limit_is_reported_from_the_first_match_outside_code() {
    // Vale reports a unit with too many matches at its first match that is not inline code;
    // the finding spans from there to the end of the last match.
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\n[*.md]\nBasedOnStyles = Acme\n",
    );
    write(
        dir.path(),
        "styles/Acme/Commas.yml",
        "extends: occurrence\nmessage: \"More than 2 commas!\"\nlevel: error\nscope: sentence\nmax: 2\ntoken: ','\n",
    );
    write(
        dir.path(),
        "styles/Acme/Long.yml",
        "extends: occurrence\nmessage: \"Too long.\"\nlevel: error\nscope: heading\nmax: 12\ntoken: .\n",
    );
    let doc = "## `Config`, then more\n\nShort. One, two, three, four.\n";
    write(dir.path(), "doc.md", doc);
    let out = run_candor(["check", "--format", "json", "doc.md"], dir.path(), None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let found: Vec<(u64, u64, String)> = json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"].as_str().unwrap().starts_with("Acme."))
        .map(|d| {
            let span = &d["span"];
            let (start, end) = (
                span["start"].as_u64().unwrap(),
                span["end"].as_u64().unwrap(),
            );
            (
                span["line"].as_u64().unwrap(),
                span["column"].as_u64().unwrap(),
                doc[start as usize..end as usize].to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            (1, 12, ", then more".to_string()),
            (3, 11, ", two, three,".to_string()),
        ],
        "{json}"
    );
}

#[test]
fn sequence_rules_match_tagged_words_and_readability_averages_its_tests() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\n[*.md]\nBasedOnStyles = Acme\n",
    );
    // A modal, `be`, an adjective, then a bare verb: "to" is missing.
    write(
        dir.path(),
        "styles/Acme/WouldBe.yml",
        "extends: sequence\nmessage: \"'%[4]s' after 'be %[3]s' needs 'to'.\"\nlevel: error\ntokens:\n  - tag: MD\n  - pattern: be\n  - tag: JJ\n  - tag: VB|VBN\n",
    );
    // A superlative up to three words before "of all times".
    write(
        dir.path(),
        "styles/Acme/AllTimes.yml",
        "extends: sequence\nmessage: \"Say 'of all time'.\"\nlevel: error\ntokens:\n  - tag: JJS\n    skip: 3\n  - pattern: of\n  - pattern: all\n  - pattern: times\n",
    );
    write(
        dir.path(),
        "styles/Acme/Grade.yml",
        "extends: readability\nmessage: \"Grade level (%s) too high!\"\nlevel: warning\ngrade: 8\nmetrics: [Flesch-Kincaid, Automated Readability]\n",
    );
    let doc = "It would be great write a story.\n\nIt would be great to write a story.\n\nThe best player of all times was here.\n\nShe sat on the mat.\n";
    write(dir.path(), "doc.md", doc);
    let (out, stdout) = check_doc(dir.path());
    assert_eq!(
        vale_lines(&stdout),
        // Short words in short sentences: well under grade 8.
        [
            "doc.md:1:4 error Acme.WouldBe",
            "doc.md:5:5 error Acme.AllTimes"
        ],
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert!(
        stdout.contains("'write' after 'be great' needs 'to'."),
        "{stdout}"
    );

    // Long words in a long sentence: the average grade is far above 8.
    write(
        dir.path(),
        "doc.md",
        "Consequently, organizational administrators occasionally misunderstand sophisticated configuration requirements, particularly regarding authentication infrastructure.\n",
    );
    let (out, _) = check_doc(dir.path());
    assert_eq!(
        vale_lines(&text(&out.stdout)),
        ["doc.md:1:1 warning Acme.Grade"]
    );
}

#[test]
fn ignored_classes_hide_what_inline_html_elements_of_those_classes_hold() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\nIgnoredClasses = nop\n[*.md]\nBasedOnStyles = Acme\n",
    );
    write(
        dir.path(),
        "styles/Acme/Todo.yml",
        "extends: existence\nmessage: \"'%s' left in text\"\nlevel: error\ntokens: [TODO]\n",
    );
    // `nop` is ignored, `keep` is not; Vale's own `code` class is skipped too.
    write(
        dir.path(),
        "doc.md",
        "A <span class=\"x nop\">TODO</span> and <span class=\"keep\">TODO</span> and <b class=code>TODO</b>.\n",
    );
    let (out, stdout) = check_doc(dir.path());
    assert_eq!(
        vale_lines(&stdout),
        ["doc.md:1:58 error Acme.Todo"],
        "{stdout}"
    );
    assert!(
        !text(&out.stderr).contains("IgnoredClasses"),
        "no longer a setting Candor does not act on: {}",
        text(&out.stderr)
    );
}

#[test]
fn html_blocks_in_markdown_reach_vale_rules_and_not_candors_own() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        ".vale.ini",
        "StylesPath = styles\nMinAlertLevel = suggestion\nIgnoredClasses = nop\n[*.md]\nBasedOnStyles = Acme\n",
    );
    write(
        dir.path(),
        "styles/Acme/Caption.yml",
        "extends: existence\nmessage: \"'%s' left in text\"\nlevel: error\nscope: [table.caption]\ntokens: [TODO]\n",
    );
    write(
        dir.path(),
        "styles/Acme/Sorry.yml",
        "extends: existence\nmessage: \"'%s'\"\nlevel: error\ntokens: [inconvenience]\n",
    );
    // Candor's own CannedFiller knows this sentence; in HTML it is markup to Candor's checks.
    let html = "<table>\n  <caption>TODO</caption>\n  <tr><td>TODO</td></tr>\n</table>\n\n\
                <p>We apologize for any inconvenience.</p>\n\n\
                <p class=\"nop\">Sorry for the inconvenience.</p>\n";
    write(dir.path(), "doc.md", &format!("# Notes\n\n{html}"));
    let (_, stdout) = check_doc(dir.path());
    assert_eq!(
        vale_lines(&stdout),
        [
            "doc.md:4:12 error Acme.Caption",
            "doc.md:8:25 error Acme.Sorry"
        ],
        "{stdout}"
    );
    assert!(!stdout.contains("Candor."), "{stdout}");
    // The same sentence as Markdown prose is Candor's to flag.
    write(
        dir.path(),
        "doc.md",
        "We apologize for any inconvenience.\n",
    );
    let (_, stdout) = check_doc(dir.path());
    assert!(stdout.contains("Candor.CannedFiller"), "{stdout}");
}
