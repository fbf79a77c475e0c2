//! CI output formats: SARIF (validated against the official OASIS 2.1.0 schema), GitHub
//! workflow commands and reviewdog's rdjson. Each test runs the real binary (or the real run
//! pipeline) on fixtures in `tests/fixtures/ci/` and checks that every reported position slices
//! out exactly the text the finding is about, in that format's own units.

use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use candor::diagnostic::Related;
use candor::report::{self, OutputFormat, RelatedSource, RuleDescriptor};
use candor::rules::RuleSet;
use candor::run;
use serde_json::Value;

const FIXTURES: &str = "tests/fixtures/ci";
const RULES: &str = "tests/fixtures/ci/rules";
const REPLY: &str = "tests/fixtures/ci/réponse client.md";

fn candor(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .output()
        .expect("candor runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("panicked"),
        "candor panicked on {args:?}: {stderr}"
    );
    (
        String::from_utf8(out.stdout).expect("output is UTF-8"),
        out.status.code().unwrap_or(-1),
    )
}

fn sarif_validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string("tests/schemas/sarif-schema-2.1.0.json")
            .expect("vendored schema is present"),
    )
    .expect("schema is JSON");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("schema compiles")
}

/// Every `artifactLocation.uri` in a log (the schema says `format: uri-reference`, a format
/// draft-04, the schema's dialect, does not define, so validators skip it).
fn artifact_uris(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            if let Some(Value::String(uri)) = map.get("artifactLocation").and_then(|a| a.get("uri"))
            {
                out.push(uri.clone());
            }
            map.values().for_each(|x| artifact_uris(x, out));
        }
        Value::Array(items) => items.iter().for_each(|x| artifact_uris(x, out)),
        _ => {}
    }
}

fn uri_reference_errors(log: &Value) -> Vec<String> {
    let validator = jsonschema::options()
        .should_validate_formats(true)
        .build(&serde_json::json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "type": "string",
            "format": "uri-reference"
        }))
        .unwrap();
    let mut uris = Vec::new();
    artifact_uris(log, &mut uris);
    uris.into_iter()
        .filter(|u| !validator.is_valid(&Value::from(u.as_str())))
        .map(|u| format!("{u:?} is not a URI reference"))
        .collect()
}

fn assert_valid_sarif(log: &Value) {
    let validator = sarif_validator();
    let mut errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    errors.extend(uri_reference_errors(log));
    assert!(
        errors.is_empty(),
        "SARIF output is not valid against the 2.1.0 schema:\n{}\n{}",
        errors.join("\n"),
        serde_json::to_string_pretty(log).unwrap()
    );
}

/// The `(path, start, end)` byte spans of every finding, from the stable JSON report.
fn json_spans(args: &[&str]) -> Vec<(String, String, usize, usize)> {
    let mut all = vec!["check", "--format", "json"];
    all.extend_from_slice(args);
    let (out, _) = candor(&all);
    let v: Value = serde_json::from_str(&out).unwrap();
    let mut spans = Vec::new();
    for f in v["files"].as_array().unwrap() {
        for d in f["diagnostics"].as_array().unwrap() {
            spans.push((
                f["path"].as_str().unwrap().to_string(),
                d["rule"].as_str().unwrap().to_string(),
                d["span"]["start"].as_u64().unwrap() as usize,
                d["span"]["end"].as_u64().unwrap() as usize,
            ));
        }
    }
    spans
}

/// Text between two 1-based (line, column) positions, columns counted by `col_to_byte`.
fn slice_by_line_col(
    text: &str,
    start: (usize, usize),
    end: (usize, usize),
    col_to_byte: impl Fn(&str, usize) -> usize,
) -> String {
    let lines: Vec<usize> = std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect();
    let at = |(line, col): (usize, usize)| {
        let ls = lines[line - 1];
        ls + col_to_byte(&text[ls..], col)
    };
    text[at(start)..at(end)].to_string()
}

fn char_col_to_byte(line: &str, col: usize) -> usize {
    line.char_indices()
        .nth(col - 1)
        .map_or(line.len(), |(i, _)| i)
}

fn byte_col_to_byte(_: &str, col: usize) -> usize {
    col - 1
}

#[test]
fn sarif_from_the_cli_is_valid_and_describes_every_rule() {
    let (out, code) = candor(&["check", FIXTURES, "--rules", RULES, "--format", "sarif"]);
    assert_eq!(code, 1, "the Acme rule reports errors");
    let log: Value = serde_json::from_str(&out).expect("SARIF is JSON");
    assert_valid_sarif(&log);

    let run = &log["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert!(ids.contains(&"Candor.CannedFiller") && ids.contains(&"Acme.Utilize"));
    let acme = rules.iter().find(|r| r["id"] == "Acme.Utilize").unwrap();
    assert_eq!(acme["shortDescription"]["text"], "Plain words read faster.");
    assert_eq!(
        acme["fullDescription"]["text"],
        "Plain words read faster. Customers often skim replies on a phone."
    );
    assert_eq!(
        acme["helpUri"],
        "https://example.com/style-guide#plain-words"
    );
    assert_eq!(acme["defaultConfiguration"]["level"], "error");

    // Every result points at its own rule and at the exact bytes and characters of its span.
    let text = std::fs::read_to_string(REPLY).unwrap();
    let results = run["results"].as_array().unwrap();
    let expected = json_spans(&[FIXTURES, "--rules", RULES]);
    assert_eq!(results.len(), expected.len());
    assert!(!results.is_empty());
    for (r, (path, rule, start, end)) in results.iter().zip(&expected) {
        assert_eq!(r["ruleId"], rule.as_str());
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            rule.as_str()
        );
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(path, REPLY);
        assert_eq!(
            loc["artifactLocation"]["uri"],
            "tests/fixtures/ci/r%C3%A9ponse%20client.md"
        );
        let region = &loc["region"];
        assert_eq!(region["byteOffset"].as_u64().unwrap() as usize, *start);
        assert_eq!(region["byteLength"].as_u64().unwrap() as usize, end - start);
        let by_columns = slice_by_line_col(
            &text,
            (
                region["startLine"].as_u64().unwrap() as usize,
                region["startColumn"].as_u64().unwrap() as usize,
            ),
            (
                region["endLine"].as_u64().unwrap() as usize,
                region["endColumn"].as_u64().unwrap() as usize,
            ),
            char_col_to_byte,
        );
        assert_eq!(by_columns, text[*start..*end]);
    }

    // An unambiguous swap is a fix; an ambiguous one (`use|rely on`) is not, but keeps both
    // rewrites as suggestions.
    let utilize = results
        .iter()
        .find(|r| r["message"]["text"] == "Use 'use' instead of 'utilize'.")
        .unwrap();
    let replacement = &utilize["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(replacement["insertedContent"]["text"], "use");
    let deleted = replacement["deletedRegion"]["byteOffset"].as_u64().unwrap() as usize;
    assert_eq!(&text[deleted..deleted + "utilize".len()], "utilize");
    let leverage = results
        .iter()
        .find(|r| r["message"]["text"] == "Use 'use' or 'rely on' instead of 'leverage'.")
        .unwrap();
    assert!(leverage.get("fixes").is_none());
    assert_eq!(
        leverage["properties"]["suggestions"],
        serde_json::json!(["use", "rely on"])
    );
}

#[test]
fn sarif_with_no_findings_is_still_a_valid_log_listing_the_rules() {
    let (out, code) = candor(&["check", "tests/fixtures/ci/clean.md", "--format", "sarif"]);
    assert_eq!(code, 0);
    let log: Value = serde_json::from_str(&out).unwrap();
    assert_valid_sarif(&log);
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
    assert!(!log["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
        .is_empty());
}

#[test]
fn sarif_related_locations_point_into_the_customer_message() {
    let rules = RuleSet::load(&[RULES]).unwrap();
    let opts = run::Options {
        paths: vec![REPLY.into()],
        stdin: None,
        inbound: None,
        min_level: candor::diagnostic::Severity::Suggestion,
        read: Default::default(),
        all_structured: false,
        fix: false,
        unsafe_fixes: false,
        keep_text: false,
        render_human: None,
        progress: None,
    };
    let mut outcome = run::run(&rules, &opts);
    let report = &mut outcome.report;
    report.rules = RuleDescriptor::all(&rules);
    // The ignored-question rule attaches the customer's question like this; this test does not
    // depend on that rule's heuristics, only on how SARIF carries the link.
    let customer_path = "tests/fixtures/ci/customer.txt";
    let customer = std::fs::read_to_string(customer_path).unwrap();
    let question = "Can I get a refund?";
    let q = customer.find(question).unwrap();
    report.related_sources.push(RelatedSource {
        path: Arc::from(customer_path),
        text: Arc::from(customer.as_str()),
    });
    let d = &mut report.files[0].diagnostics[0];
    d.related.push(Related {
        path: Arc::from(customer_path),
        span: q..q + question.len(),
        message: "the customer asked this".to_string(),
    });

    let log: Value = serde_json::from_str(&report::render(report, OutputFormat::Sarif, false))
        .expect("SARIF is JSON");
    assert_valid_sarif(&log);
    let related = &log["runs"][0]["results"][0]["relatedLocations"][0];
    assert_eq!(related["id"], 1);
    assert_eq!(related["message"]["text"], "the customer asked this");
    let loc = &related["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], customer_path);
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(
        loc["region"]["startColumn"].as_u64().unwrap() as usize,
        q + 1
    );
    assert_eq!(loc["region"]["byteOffset"].as_u64().unwrap() as usize, q);
}

#[test]
fn the_schema_check_rejects_a_log_that_breaks_the_schema() {
    // Guards the guard: if the validator accepted anything, the tests above would prove nothing.
    let (out, _) = candor(&["check", REPLY, "--format", "sarif"]);
    let mut log: Value = serde_json::from_str(&out).unwrap();
    assert!(sarif_validator().is_valid(&log));
    log["runs"][0]["results"][0]["level"] = Value::from("suggestion");
    assert!(!sarif_validator().is_valid(&log));
    let mut log: Value = serde_json::from_str(&out).unwrap();
    log["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"] = Value::from("not a uri");
    assert!(!sarif_validator().is_valid(&log));
    // An unencoded path is not a URI reference.
    let mut log: Value = serde_json::from_str(&out).unwrap();
    log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] =
        Value::from("tests/fixtures/ci/réponse client.md");
    assert_eq!(uri_reference_errors(&log).len(), 1);
}

/// A parsed `::command key=value,...::message` line.
struct Annotation {
    command: String,
    props: Vec<(String, String)>,
    message: String,
}

impl Annotation {
    fn parse(line: &str) -> Annotation {
        let rest = line.strip_prefix("::").expect("starts with ::");
        let (head, message) = rest.split_once("::").expect("has a message");
        let (command, props) = head.split_once(' ').expect("has properties");
        Annotation {
            command: command.to_string(),
            props: props
                .split(',')
                .map(|kv| {
                    let (k, v) = kv.split_once('=').expect("key=value");
                    (k.to_string(), v.to_string())
                })
                .collect(),
            message: message.to_string(),
        }
    }

    fn get(&self, key: &str) -> &str {
        &self.props.iter().find(|(k, _)| k == key).unwrap().1
    }

    fn num(&self, key: &str) -> usize {
        self.get(key).parse().unwrap()
    }
}

fn unescape(s: &str) -> String {
    s.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
}

#[test]
fn github_annotations_point_at_each_finding() {
    let (out, code) = candor(&["check", REPLY, "--rules", RULES, "--format", "github"]);
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(REPLY).unwrap();
    let expected = json_spans(&[REPLY, "--rules", RULES]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), expected.len());
    for (line, (_, rule, start, end)) in lines.iter().zip(&expected) {
        let a = Annotation::parse(line);
        assert_eq!(
            a.props.iter().map(|(k, _)| k.as_str()).collect::<Vec<_>>(),
            ["file", "line", "col", "endLine", "endColumn", "title"]
        );
        assert_eq!(unescape(a.get("file")), REPLY);
        assert_eq!(a.get("title"), rule.as_str());
        let slice = slice_by_line_col(
            &text,
            (a.num("line"), a.num("col")),
            (a.num("endLine"), a.num("endColumn")),
            char_col_to_byte,
        );
        assert_eq!(slice, text[*start..*end]);
        let expected_command = if rule.starts_with("Acme") {
            "error"
        } else {
            "warning"
        };
        assert_eq!(a.command, expected_command);
        assert!(!a.message.contains('\n'));
    }
    let utilize = lines
        .iter()
        .map(|l| Annotation::parse(l))
        .find(|a| a.message.starts_with("Use 'use' instead of 'utilize'."))
        .unwrap();
    assert_eq!(
        unescape(&utilize.message),
        "Use 'use' instead of 'utilize'.\nSuggestion: use\nSee https://example.com/style-guide#plain-words"
    );
}

#[test]
fn github_properties_escape_commas_colons_and_percent_signs() {
    let dir = tempfile::tempdir().unwrap();
    let name = "a,b:100%.txt";
    std::fs::write(
        dir.path().join(name),
        "Thanks for reaching out!\r\nIt ships today.\n",
    )
    .unwrap();
    let path = dir.path().join(name);
    let shown = path.to_str().unwrap();
    let (out, code) = candor(&["check", shown, "--format", "github"]);
    assert_eq!(
        code, 0,
        "canned filler is a warning: below the default --fail-on"
    );
    let line = out.lines().next().expect("one annotation");
    assert!(line.starts_with("::warning file="));
    let file = line
        .strip_prefix("::warning file=")
        .unwrap()
        .split(",line=")
        .next()
        .unwrap();
    assert!(file.ends_with("a%2Cb%3A100%25.txt"), "{file}");
    assert_eq!(unescape(file), shown);
    // CannedFiller flags a sentence that is nothing but filler whole, "!" included.
    assert!(line.contains(",line=1,col=1,endLine=1,endColumn=25,title=Candor.CannedFiller::"));
}

#[test]
fn rdjson_uses_utf8_byte_columns_and_offers_rewrites_as_suggestions() {
    let (out, code) = candor(&["check", REPLY, "--rules", RULES, "--format", "rdjson"]);
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).expect("rdjson is JSON");
    assert_eq!(v["source"]["name"], "candor");
    let text = std::fs::read_to_string(REPLY).unwrap();
    let expected = json_spans(&[REPLY, "--rules", RULES]);
    let diags = v["diagnostics"].as_array().unwrap();
    assert_eq!(diags.len(), expected.len());
    let pos = |p: &Value| {
        (
            p["line"].as_u64().unwrap() as usize,
            p["column"].as_u64().unwrap() as usize,
        )
    };
    for (d, (_, rule, start, end)) in diags.iter().zip(&expected) {
        assert_eq!(d["location"]["path"], REPLY);
        assert_eq!(d["code"]["value"], rule.as_str());
        let range = &d["location"]["range"];
        let slice = slice_by_line_col(
            &text,
            pos(&range["start"]),
            pos(&range["end"]),
            byte_col_to_byte,
        );
        assert_eq!(slice, text[*start..*end]);
        let severity = d["severity"].as_str().unwrap();
        assert_eq!(
            severity,
            if rule.starts_with("Acme") {
                "ERROR"
            } else {
                "WARNING"
            }
        );
    }
    // Line 3 has "é" and "—" before "utilize": byte columns differ from character columns.
    let utilize = diags
        .iter()
        .find(|d| d["message"] == "Use 'use' instead of 'utilize'.")
        .unwrap();
    let line3 = text.lines().nth(2).unwrap();
    let byte_col = line3.find("utilize").unwrap() + 1;
    assert_ne!(byte_col, line3[..byte_col - 1].chars().count() + 1);
    assert_eq!(pos(&utilize["location"]["range"]["start"]), (3, byte_col));
    assert_eq!(
        utilize["code"]["url"],
        "https://example.com/style-guide#plain-words"
    );
    assert_eq!(utilize["suggestions"][0]["text"], "use");
    assert_eq!(
        utilize["suggestions"][0]["range"],
        utilize["location"]["range"]
    );
    let leverage = diags
        .iter()
        .find(|d| d["message"] == "Use 'use' or 'rely on' instead of 'leverage'.")
        .unwrap();
    let texts: Vec<&str> = leverage["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["text"].as_str().unwrap())
        .collect();
    assert_eq!(texts, ["use", "rely on"]);
    let filler = diags
        .iter()
        .find(|d| d["code"]["value"] == "Candor.CannedFiller")
        .unwrap();
    assert!(filler.get("suggestions").is_none());
}

#[test]
fn every_format_reports_nothing_for_a_clean_reply() {
    assert!(Path::new("tests/fixtures/ci/clean.md").exists());
    let (gh, code) = candor(&["check", "tests/fixtures/ci/clean.md", "--format", "github"]);
    assert_eq!((gh.as_str(), code), ("", 0));
    let (rd, _) = candor(&["check", "tests/fixtures/ci/clean.md", "--format", "rdjson"]);
    let v: Value = serde_json::from_str(&rd).unwrap();
    assert_eq!(v["diagnostics"], serde_json::json!([]));
}

/// Human output rendered file by file in the run's workers (what the CLI does, so that a big run
/// keeps no texts) reads exactly as the report rendered whole at the end. A file keeps its text
/// only when its findings' output would be larger than it (they are then written from the text
/// at the end).
#[test]
fn human_output_rendered_as_the_run_goes_is_the_same_and_keeps_no_texts() {
    let rules = RuleSet::builtin().unwrap();
    // A long file with one finding: rendered in the worker, its text dropped.
    let dir = tempfile::tempdir().unwrap();
    let light = dir.path().join("light.md");
    std::fs::write(
        &light,
        format!(
            "{}We apologize for any inconvenience.\n",
            "The parcel left the depot on Monday and arrives on Thursday.\n\n".repeat(60)
        ),
    )
    .unwrap();
    let inputs = [
        (vec!["examples".into(), light.clone()], None),
        (
            vec![REPLY.into(), "examples/reply.md".into()],
            Some("tests/fixtures/ci/customer-ignored.txt".into()),
        ),
    ];
    for (paths, inbound) in inputs {
        for color in [false, true] {
            let opts = |render_human| run::Options {
                paths: paths.clone(),
                stdin: None,
                inbound: inbound.clone(),
                min_level: candor::diagnostic::Severity::Suggestion,
                read: Default::default(),
                all_structured: false,
                fix: false,
                unsafe_fixes: false,
                keep_text: true,
                render_human,
                progress: None,
            };
            let whole = run::run(&rules, &opts(None)).report;
            let parts = run::run(&rules, &opts(Some(color))).report;
            assert!(whole.files.iter().any(|f| !f.diagnostics.is_empty()));
            for f in &parts.files {
                let later = f.human.as_ref().is_some_and(|h| h.diagnostics.is_none());
                let heavy = f.diagnostics.len() * report::human::BYTES_PER_FINDING > f.text.len();
                assert!(f.text.is_empty() || (later && heavy), "{}", f.path);
                if f.path.ends_with("light.md") {
                    assert!(f.text.is_empty() && !later, "{}", f.path);
                }
            }
            assert_eq!(
                report::render(&parts, OutputFormat::Human, color),
                report::render(&whole, OutputFormat::Human, color),
                "{paths:?}"
            );
        }
    }
}
