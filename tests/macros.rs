//! Helpdesk macro exports: every finding's span slices out of the original file exactly the
//! text it talks about (in the file's own spelling: `\u00e9`, `&eacute;`, `""`), bad files are
//! input errors naming file and line, and folders only pick up files that are macro exports.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::Arc;

use candor::check::check_document;
use candor::document::{Origin, TemplateKind};
use candor::rules::RuleSet;
use candor::source::{self, Loaded, ReadOptions};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/macros")
        .join(name)
}

/// Only the test pack (`Test.Filler`, `Test.Accents`): the expected findings below do not move
/// when the built-in pack changes.
fn rules() -> RuleSet {
    let mut rules = RuleSet::default();
    rules.add_dir(&fixture("rules")).expect("test rules load");
    rules
}

/// (rule, the file's bytes at the span) for every finding in a fixture, and its origin.
fn findings(name: &str, opts: &ReadOptions) -> (Vec<(String, String)>, Origin) {
    let path = fixture(name);
    let bytes = std::fs::read(&path).unwrap();
    let Loaded::Input(input) = source::open_with(&path, None, opts).unwrap() else {
        panic!("{name}: not read as a document");
    };
    assert_eq!(
        input.doc.source.as_bytes(),
        bytes,
        "the source is the file, unchanged"
    );
    let shown: Arc<str> = Arc::from(name);
    let found = check_document(&rules(), &shown, &input.doc, &[]);
    let got = found
        .diagnostics
        .iter()
        .map(|d| {
            let text =
                std::str::from_utf8(&bytes[d.span.clone()]).expect("span on character boundaries");
            (d.rule.to_string(), text.to_string())
        })
        .collect();
    (got, input.doc.origin)
}

fn expect(name: &str, kind: TemplateKind, want: &[(&str, &str)]) {
    let (got, origin) = findings(name, &ReadOptions::default());
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .collect();
    assert_eq!(got, want, "{name}");
    assert_eq!(origin, Origin::Template(kind), "{name}");
}

const FILLER: &str = "Test.Filler";
const ACCENT: &str = "Test.Accents";

#[test]
fn zendesk_export_spans_cover_escapes_and_entities() {
    expect(
        "zendesk.json",
        TemplateKind::Zendesk,
        &[
            (
                FILLER,
                "We apologize for any inconvenience this may have caused",
            ),
            (ACCENT, r"Caf\u00e9 Team"),
            (FILLER, "Thanks for reaching out"),
            (ACCENT, "Cr&egrave;me br&ucirc;l&eacute;e"),
            (FILLER, "Dear valued customer"),
            (FILLER, r"Please don\u0027t hesitate to contact us"),
            (FILLER, "Sorry for the inconvenience caused"),
        ],
    );
}

#[test]
fn single_zendesk_macro() {
    expect(
        "zendesk-single.json",
        TemplateKind::Zendesk,
        &[(FILLER, "Thank you for reaching out")],
    );
}

#[test]
fn help_scout_saved_reply_html_and_chat_text() {
    expect(
        "helpscout.json",
        TemplateKind::HelpScout,
        &[
            (
                FILLER,
                "Feel free to reach out if you have any other questions",
            ),
            (FILLER, "Thanks for reaching out"),
        ],
    );
}

#[test]
fn freshdesk_reads_the_html_body_once() {
    expect(
        "freshdesk.json",
        TemplateKind::Freshdesk,
        &[(FILLER, "Your satisfaction is our top priority")],
    );
}

#[test]
fn intercom_macros_and_saved_reply_blocks() {
    expect(
        "intercom.json",
        TemplateKind::Intercom,
        &[
            (FILLER, "We value your business"),
            (FILLER, "I hope this message finds you well"),
        ],
    );
}

#[test]
fn yaml_plain_quoted_and_block_scalars() {
    expect(
        "replies.yaml",
        TemplateKind::Fields,
        &[
            (FILLER, "We apologize for any\n    inconvenience"),
            (FILLER, "Thank you for reaching out"),
            (ACCENT, r"caf\u00e9 hours"),
            (FILLER, "Sorry for the inconvenience caused"),
            (FILLER, "Please do not hesitate to contact us"),
            (FILLER, "dear valued customer"),
        ],
    );
}

#[test]
fn csv_quoted_multiline_cells_and_doubled_quotes() {
    expect(
        "macros.csv",
        TemplateKind::Csv,
        &[
            (FILLER, "We apologize for any inconvenience"),
            (FILLER, "thanks for reaching out"),
            (FILLER, "Thank you for reaching out"),
        ],
    );
}

#[test]
fn field_paths_choose_what_is_read() {
    let opts = ReadOptions {
        fields: vec!["description".parse().unwrap()],
        ..ReadOptions::default()
    };
    let (got, origin) = findings("not-macros.json", &opts);
    assert_eq!(
        got,
        [(FILLER.to_string(), "Thank you for reaching out".to_string())]
    );
    assert_eq!(origin, Origin::Template(TemplateKind::Fields));

    // Only the second macro's actions.
    let opts = ReadOptions {
        fields: vec!["macros.1.actions.*.value".parse().unwrap()],
        ..ReadOptions::default()
    };
    let (got, _) = findings("zendesk.json", &opts);
    let texts: Vec<&str> = got.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Thanks for reaching out",
            "Cr&egrave;me br&ucirc;l&eacute;e"
        ]
    );
}

#[test]
fn csv_column_can_be_named() {
    let opts = ReadOptions {
        column: Some("title".to_string()),
        ..ReadOptions::default()
    };
    let (got, _) = findings("macros.csv", &opts);
    assert!(got.is_empty(), "titles hold no filler: {got:?}");
}

#[test]
fn byte_order_marks_are_not_text() {
    let dir = tempfile::tempdir().unwrap();
    let files = [
        (
            "bom.json",
            r#"{"macro": {"title": "T", "actions": [{"field": "comment_value", "value": "Caf\u00e9 news. Thank you for reaching out."}]}}"#,
        ),
        (
            "bom.yaml",
            "- title: T\n  body: Café news. Thank you for reaching out.\n",
        ),
        (
            "bom.csv",
            "title,body\r\nT,Café news. Thank you for reaching out.\r\n",
        ),
    ];
    for (name, body) in files {
        let text = format!("\u{feff}{body}");
        let path = dir.path().join(name);
        std::fs::write(&path, &text).unwrap();
        let Loaded::Input(input) = source::open(&path, None).unwrap() else {
            panic!("{name}: not read");
        };
        let found = check_document(&rules(), &Arc::from(name), &input.doc, &[]);
        let spans: Vec<&str> = found
            .diagnostics
            .iter()
            .map(|d| &text[d.span.clone()])
            .collect();
        assert_eq!(spans.len(), 2, "{name}: {spans:?}");
        assert!(spans[0].starts_with("Caf"), "{name}: {spans:?}");
        assert_eq!(spans[1], "Thank you for reaching out", "{name}");
    }
}

#[test]
fn html_files_are_documents() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("reply.html");
    let html = "<html><head><title>We value your business</title></head><body><p>Hi Sam,</p><p>Caf&eacute; hours changed &mdash; we apologize for the inconvenience.</p></body></html>";
    std::fs::write(&path, html).unwrap();
    let Loaded::Input(input) = source::open(&path, None).unwrap() else {
        panic!("not read");
    };
    assert!(!input.doc.is_template());
    let found = check_document(&rules(), &Arc::from("reply.html"), &input.doc, &[]);
    let spans: Vec<&str> = found
        .diagnostics
        .iter()
        .map(|d| &html[d.span.clone()])
        .collect();
    assert_eq!(
        spans,
        ["Caf&eacute; hours", "we apologize for the inconvenience"]
    );
}

// --- the command line ---

fn candor(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("candor runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn invalid_files_are_input_errors_naming_file_and_line_and_others_are_still_linted() {
    let dir = fixture("");
    let out = candor(
        &[
            "check",
            "--rules",
            "rules",
            "--format",
            "line",
            "broken/broken.json",
            "broken/broken.yaml",
            "broken/broken.csv",
            "zendesk-single.json",
        ],
        &dir,
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("broken/broken.json:4:33: invalid JSON: expected `,` or `}`"),
        "{err}"
    );
    // The bracket opened on line 2 is found unclosed on line 3.
    assert!(
        err.contains("broken/broken.yaml:3:5: invalid YAML"),
        "{err}"
    );
    assert!(err.contains("broken/broken.csv:3: invalid CSV"), "{err}");
    assert!(
        err.contains("a row has 1 fields where the header has 2"),
        "{err}"
    );
    assert!(
        stdout(&out).contains("zendesk-single.json:7:100: warning Test.Filler"),
        "{}",
        stdout(&out)
    );
}

#[test]
fn a_named_file_without_text_fields_gets_a_note() {
    let out = candor(&["check", "not-macros.json"], &fixture(""));
    assert_eq!(out.status.code(), Some(0));
    assert!(
        stderr(&out).contains("not-macros.json: no text to lint"),
        "{}",
        stderr(&out)
    );
    let out = candor(&["check", "macros.csv", "--column", "nope"], &fixture(""));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out)
            .contains("--column nope: no such column (the header has: id, title, body, tags)"),
        "{}",
        stderr(&out)
    );
}

/// The Test.* findings of the Zendesk export fixture piped to `candor check` with `naming`.
fn export_on_standard_input(naming: &[&str]) -> Vec<String> {
    let text = std::fs::read(fixture("zendesk-single.json")).unwrap();
    let rules = fixture("rules");
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .arg("check")
        .args(naming)
        .args(["--format", "line", "-", "--rules"])
        .arg(&rules)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), &text).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success() || out.status.code() == Some(1),
        "{}",
        stderr(&out)
    );
    stdout(&out)
        .lines()
        .filter(|l| l.contains(" Test."))
        .map(|l| l.split(": '").next().unwrap_or(l).to_string())
        .collect()
}

#[test]
fn standard_input_named_as_an_export_is_read_as_one() {
    assert_eq!(
        export_on_standard_input(&["--stdin-filename", "export.json"]),
        ["export.json:7:100: warning Test.Filler"]
    );
    // `--ext json` says the same without a name.
    assert_eq!(
        export_on_standard_input(&["--ext", "json"]),
        ["<stdin>:7:100: warning Test.Filler"]
    );
    // Read as prose, the export's JSON escapes would be linted as text: no finding there.
    assert_eq!(
        export_on_standard_input(&["--ext", "md"]),
        Vec::<String>::new()
    );
}

fn json_paths(out: &Output) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON report");
    v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().replace('\\', "/"))
        .collect()
}

#[test]
fn folders_pick_up_macro_exports_only_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::copy(fixture("zendesk-single.json"), d.join("export.json")).unwrap();
    std::fs::copy(fixture("macros.csv"), d.join("macros.csv")).unwrap();
    std::fs::copy(fixture("not-macros.json"), d.join("package.json")).unwrap();
    std::fs::write(d.join("tsconfig.json"), "{ // comments are not JSON\n}\n").unwrap();
    std::fs::write(
        d.join("mkdocs.yml"),
        "site_name: Docs\nnav:\n  - Home: index.md\n",
    )
    .unwrap();
    std::fs::write(
        d.join("data.csv"),
        "id,text\n1,Thank you for reaching out\n",
    )
    .unwrap();
    std::fs::write(d.join("guide.md"), "Thank you for reaching out.\n").unwrap();
    // A generated search index: titles and texts, but no helpdesk's export shape.
    std::fs::write(
        d.join("search_index.json"),
        r#"{"docs": [{"location": "a/", "title": "A", "text": "Thank you for reaching out."}]}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("manifest.json"),
        r#"{"name": "app", "html": "index.html"}"#,
    )
    .unwrap();

    let out = candor(&["check", ".", "--format", "json"], d);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(
        json_paths(&out),
        ["./export.json", "./guide.md", "./macros.csv"],
        "data.csv has a text column but no title column: not a macro list"
    );
    assert!(!stderr(&out).contains("package.json"), "{}", stderr(&out));

    let out = candor(&["check", ".", "--format", "json", "--macros"], d);
    assert_eq!(
        out.status.code(),
        Some(2),
        "the broken tsconfig.json is now an error"
    );
    let err = stderr(&out);
    assert!(err.contains("tsconfig.json:1:"), "{err}");
    assert!(err.contains("package.json: no text to lint"), "{err}");
    assert!(err.contains("mkdocs.yml: no text to lint"), "{err}");
    assert!(err.contains("manifest.json: no text to lint"), "{err}");
    assert_eq!(
        json_paths(&out),
        [
            "./data.csv",
            "./export.json",
            "./guide.md",
            "./macros.csv",
            "./search_index.json"
        ]
    );
}

#[test]
fn conversation_threads_are_left_to_the_thread_reader() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("thread.json");
    std::fs::write(
        &path,
        r#"{"messages": [{"role": "customer", "text": "Where is my order?"}, {"role": "agent", "text": "Thank you for reaching out."}]}"#,
    )
    .unwrap();
    let loaded = source::open(&path, None).unwrap();
    assert!(
        !matches!(loaded, Loaded::Input(ref i) if i.doc.is_template()),
        "a thread is not a macro export: {loaded:?}"
    );
}

// --- properties: whatever an exporter's encoder does to the text, spans land on the phrase ---

mod encoded {
    use super::*;
    use proptest::prelude::*;

    const PHRASE: &str = "We value your business";

    /// Text around the phrase: words, punctuation, quotes, backslashes, non-ASCII, line breaks.
    fn filler_text() -> impl Strategy<Value = String> {
        proptest::collection::vec(
            prop_oneof![
                Just("Hi".to_string()),
                Just("café".to_string()),
                Just("\"quoted\"".to_string()),
                Just("back\\slash".to_string()),
                Just("it's".to_string()),
                Just("😀".to_string()),
                Just("\n".to_string()),
                Just("\n\n".to_string()),
                Just("tab\there".to_string()),
                Just("a, b".to_string()),
                Just("{{ticket.id}}".to_string()),
                Just("#1: ok".to_string()),
            ],
            0..8,
        )
        .prop_map(|words| words.join(" "))
    }

    fn body() -> impl Strategy<Value = String> {
        (filler_text(), filler_text()).prop_map(|(a, b)| format!("{a}\n\n{PHRASE}.\n\n{b}"))
    }

    /// The findings' source slices for `text` written to a file named `name`.
    fn slices(name: &str, text: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let Loaded::Input(input) = source::open(&path, None).unwrap() else {
            panic!("not read: {text}");
        };
        let shown: Arc<str> = Arc::from(name);
        check_document(&rules(), &shown, &input.doc, &[])
            .diagnostics
            .iter()
            .filter(|d| &*d.rule == FILLER)
            .map(|d| text[d.span.clone()].to_string())
            .collect()
    }

    /// JSON with every non-ASCII character escaped as `\uXXXX`, as some exporters write it.
    fn ascii_json(s: &str) -> String {
        let mut out = String::new();
        for c in serde_json::to_string(s).unwrap().chars() {
            if c.is_ascii() {
                out.push(c);
            } else {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn zendesk_json(body in body(), ascii in any::<bool>()) {
            let value = if ascii { ascii_json(&body) } else { serde_json::to_string(&body).unwrap() };
            let file = format!(
                "{{\"macro\": {{\"title\": \"T\", \"actions\": [{{\"field\": \"comment_value\", \"value\": {value}}}]}}}}"
            );
            prop_assert_eq!(slices("m.json", &file), [PHRASE]);
        }

        #[test]
        fn zendesk_html_json(body in body()) {
            // The same text as HTML: escaped for HTML, then for JSON.
            let html: String = body
                .split("\n\n")
                .map(|p| format!("<p>{}</p>", p.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;").replace('\n', "<br>")))
                .collect();
            let file = format!(
                "{{\"actions\": [{{\"field\": \"comment_value_html\", \"value\": {}}}]}}",
                ascii_json(&html)
            );
            prop_assert_eq!(slices("m.json", &file), [PHRASE]);
        }

        #[test]
        fn yaml(body in body(), crlf in any::<bool>()) {
            #[derive(serde::Serialize)]
            struct Reply<'a> { title: &'a str, body: &'a str }
            let mut file = serde_norway::to_string(&[Reply { title: "T", body: &body }]).unwrap();
            if crlf {
                file = file.replace('\n', "\r\n");
            }
            prop_assert_eq!(slices("m.yaml", &file), [PHRASE], "{}", file);
        }

        #[test]
        fn csv(body in body()) {
            let mut w = ::csv::Writer::from_writer(Vec::new());
            w.write_record(["title", "body"]).unwrap();
            w.write_record(["T", body.as_str()]).unwrap();
            let file = String::from_utf8(w.into_inner().unwrap()).unwrap();
            prop_assert_eq!(slices("m.csv", &file), [PHRASE], "{}", file);
        }
    }
}
