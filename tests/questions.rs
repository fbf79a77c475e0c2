//! Candor.IgnoredQuestion end to end: every source of the customer's message (`--inbound`,
//! quoted text in the reply, a thread file, an email alone or with the message it answers),
//! checked through the binary's JSON report, with spans that slice out the exact question.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const DIR: &str = "tests/fixtures/questions";

fn check(args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .arg("check")
        .args(args)
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("candor runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON report")
}

fn fixture(name: &str) -> String {
    format!("{DIR}/{name}")
}

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap()
}

fn slice(path: &str, span: &Value) -> String {
    let text = read(path);
    let (a, b) = (
        span["start"].as_u64().unwrap() as usize,
        span["end"].as_u64().unwrap() as usize,
    );
    text[a..b].to_string()
}

/// (question text as found in the file, addressed) for the first file of a report.
/// Writes `text` to `dir/name` and returns the path.
fn write_in(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.to_string_lossy().into_owned()
}

fn questions(report: &Value) -> Vec<(String, bool)> {
    report["files"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| {
            let path = q["path"].as_str().unwrap();
            (slice(path, &q["span"]), q["addressed"].as_bool().unwrap())
        })
        .collect()
}

fn ignored(report: &Value) -> Vec<Value> {
    report["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["rule"] == "Candor.IgnoredQuestion")
        .cloned()
        .collect()
}

#[test]
fn inbound_file_questions_are_found_and_the_unanswered_one_is_flagged() {
    let inbound = fixture("inbound.txt");
    let report = check(&[&fixture("reply.txt"), "--inbound", &inbound]);
    assert_eq!(
        questions(&report),
        [
            ("Where is my parcel?".to_string(), true),
            (
                "Also, I was wondering whether I can still change the colour to walnut."
                    .to_string(),
                false
            ),
        ],
        "the venting 'How hard can it be…?!' is not a question"
    );
    let found = ignored(&report);
    assert_eq!(found.len(), 1);
    let related = &found[0]["related"][0];
    assert_eq!(related["path"], inbound.as_str());
    assert!(slice(&inbound, &related["span"]).starts_with("Also, I was wondering"));
    // The primary span is the reply sentence that came closest, never the salutation.
    assert!(slice(&fixture("reply.txt"), &found[0]["span"]).starts_with("Your parcel left"));
    // The answered question points at the sentence that answers it.
    let answer = &report["files"][0]["questions"][0]["answer"]["span"];
    assert!(slice(&fixture("reply.txt"), answer).contains("Thursday"));
}

#[test]
fn quoted_text_in_the_reply_is_the_customer_message_when_no_inbound_is_given() {
    let path = fixture("quoted-reply.md");
    let report = check(&[&path]);
    assert_eq!(
        questions(&report),
        [
            ("Can I get the $35 seat fee refunded?".to_string(), false),
            ("And when does the lounge open?".to_string(), false),
        ]
    );
    assert_eq!(ignored(&report).len(), 2);
}

#[test]
fn an_alert_in_a_doc_is_the_writers_note_not_the_customers_question() {
    let path = fixture("alert-doc.md");
    let report = check(&[&path]);
    // Only the plain block quote is someone else's words; the `> [!NOTE]` callout is the
    // writer's own, and its question is rhetorical.
    let asked: Vec<String> = questions(&report).into_iter().map(|(q, _)| q).collect();
    assert_eq!(asked, ["Can I restore a backup from last year?"]);
}

#[test]
fn thread_file_spans_point_inside_the_json_strings() {
    let path = fixture("thread.json");
    let report = check(&[&path]);
    let asked = questions(&report);
    let texts: Vec<&str> = asked.iter().map(|(q, _)| q.as_str()).collect();
    assert_eq!(
        texts,
        [
            "Can I get a refund?",
            "And why was I charged for express shipping?"
        ],
        "only customer messages since the previous agent reply count"
    );
    assert!(asked[0].1, "the refund question is answered");
    // Whether the refund sentence also answers the express-shipping question is the model's
    // call (it shares the charge); when it finds it open, the finding points inside the JSON.
    let found = ignored(&report);
    if found.is_empty() {
        return;
    }
    assert_eq!(found.len(), 1);
    assert_eq!(
        slice(&path, &found[0]["span"]),
        "Yes: I have refunded the full $64 to your card today."
    );
}

#[test]
fn an_email_alone_reads_its_quoted_part_and_with_its_original_reads_that() {
    let reply = fixture("reply.eml");
    let alone = check(&[&reply]);
    assert_eq!(
        questions(&alone),
        [
            (
                "Hello, does the walnut desk come with a cable tray?".to_string(),
                true
            ),
            ("And how much is delivery\r\n> to Leeds?".to_string(), false),
        ]
    );

    let original = fixture("original.eml");
    let paired = check(&[&reply, &original]);
    let files = paired["files"].as_array().unwrap();
    assert_eq!(
        files.len(),
        1,
        "the answered email is the inbound, not linted"
    );
    let qs = files[0]["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 2);
    assert!(qs.iter().all(|q| q["path"] == original.as_str()));
    // Quoted-printable: "=\r\n" soft break and "=3F" map back to the encoded bytes.
    assert_eq!(
        slice(&original, &qs[1]["span"]),
        "And how much is delivery =\r\nto Leeds=3F"
    );
    assert!(!qs[1]["addressed"].as_bool().unwrap());
}

#[test]
fn human_output_summarises_answered_and_open_questions() {
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args([
            "check",
            &fixture("reply.txt"),
            "--inbound",
            &fixture("inbound.txt"),
        ])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 of 2 questions answered"), "{text}");
    assert!(
        text.contains("open: \"Also, I was wondering whether I can still change the colour to walnut.\" (tests/fixtures/questions/inbound.txt:4:21)"),
        "{text}"
    );
    assert!(text.contains("the customer's question"), "{text}");
}

#[test]
fn a_thread_file_with_a_message_missing_its_role_is_an_error_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("thread.json");
    std::fs::write(
        &path,
        "{\"messages\": [\n  {\"role\": \"customer\", \"text\": \"Where is it?\"},\n  {\"text\": \"On its way.\"}\n]}\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .arg("check")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("thread.json:3:12") && err.contains("message 2 has no `role`"),
        "{err}"
    );
}

#[test]
fn questions_list_has_the_documented_shape() {
    let reply = fixture("reply.txt");
    let report = check(&[&reply, "--inbound", &fixture("inbound.txt")]);
    let qs = report["files"][0]["questions"].as_array().unwrap();
    assert_eq!(qs.len(), 2);
    let reply_text = read(&reply);
    for q in qs {
        let mut keys: Vec<&str> = q.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            [
                "addressed",
                "answer",
                "nearest",
                "not_judged",
                "path",
                "score",
                "span",
                "text"
            ]
        );
        // `text` is exactly what the span slices out of the customer's file.
        let path = q["path"].as_str().unwrap();
        assert_eq!(slice(path, &q["span"]), q["text"].as_str().unwrap());
        for key in ["start", "end", "line", "column", "end_line", "end_column"] {
            assert!(q["span"][key].is_u64(), "span.{key} in {q}");
        }
        let score = q["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&score), "{score}");
        // An answered question names its answer; an open one has none.
        let addressed = q["addressed"].as_bool().unwrap();
        assert_eq!(q["answer"].is_object(), addressed, "{q}");
        if addressed {
            assert!(q["answer"]["span"]["end"].as_u64() > q["answer"]["span"]["start"].as_u64());
        } else {
            assert!(q["answer"].is_null());
        }
        // Answered or not, `nearest` is the closest reply sentence: the answer when there is
        // one, and a whole sentence of the reply, its line and column where its offsets are.
        let nearest = &q["nearest"]["span"];
        if addressed {
            assert_eq!(nearest, &q["answer"]["span"], "{q}");
        }
        let said = slice(&reply, nearest);
        assert!(!said.trim().is_empty(), "{q}");
        assert_eq!(said.trim(), said, "{q}");
        for (offset, line, column) in [
            ("start", "line", "column"),
            ("end", "end_line", "end_column"),
        ] {
            let before = &reply_text[..nearest[offset].as_u64().unwrap() as usize];
            let (at_line, line_start) = (
                before.matches('\n').count() + 1,
                before.rfind('\n').map_or(0, |i| i + 1),
            );
            let at_column = before[line_start..].chars().count() + 1;
            assert_eq!(
                (nearest[line].as_u64(), nearest[column].as_u64()),
                (Some(at_line as u64), Some(at_column as u64)),
                "{offset} of {q}"
            );
        }
    }
}

#[test]
fn email_style_quoted_lines_are_the_customer_message_and_not_linted() {
    let path = fixture("quoted-reply.txt");
    let report = check(&[&path]);
    assert_eq!(
        questions(&report),
        [
            (
                "Hi, how much does the Pro plan cost per seat?".to_string(),
                true
            ),
            (
                "Do you also offer a discount for charities?".to_string(),
                false
            ),
        ]
    );
    let answer = &report["files"][0]["questions"][0]["answer"]["span"];
    assert!(slice(&path, answer).contains("$12 per seat"));
    // Only the unanswered question is flagged, and the quoted lines draw no other finding.
    let diagnostics = report["files"][0]["diagnostics"].as_array().unwrap();
    let quoted_from = read(&path).find("> Hi").unwrap() as u64;
    for d in diagnostics {
        assert!(d["span"]["start"].as_u64().unwrap() < quoted_from, "{d}");
    }
    assert_eq!(ignored(&report).len(), 1);
}

#[test]
fn inbound_from_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", &fixture("reply.txt"), "--inbound", "-"])
        .args(["--format", "json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"Hello! When will my parcel arrive? Is there a student discount?\n")
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let qs = report["files"][0]["questions"].as_array().unwrap();
    let found: Vec<(&str, bool)> = qs
        .iter()
        .map(|q| {
            (
                q["text"].as_str().unwrap(),
                q["addressed"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("When will my parcel arrive?", true),
            ("Is there a student discount?", false)
        ]
    );
    assert!(qs.iter().all(|q| q["path"] == "<stdin>"));
}

#[test]
fn a_comparison_naming_one_side_only_is_open_and_quoted_earlier_replies_ask_nothing() {
    let inbound = fixture("compare-inbound.md");
    let report = check(&[&fixture("compare-reply.md"), "--inbound", &inbound]);
    assert_eq!(
        questions(&report),
        [
            (
                "How does your Team plan compare with Zentro's\nBusiness plan?".to_string(),
                false
            ),
            ("Do you import tickets from a CSV file?".to_string(), true),
        ],
        "the agent's earlier question, quoted in the customer's message, is not the customer's"
    );
    let found = ignored(&report);
    assert_eq!(found.len(), 1);
    assert!(slice(&inbound, &found[0]["related"][0]["span"]).contains("Zentro"));
}

#[test]
fn the_writers_own_earlier_reply_quoted_twice_deep_is_not_the_customer_asking() {
    let path = fixture("nested-quote.md");
    let report = check(&[&path]);
    assert_eq!(
        questions(&report),
        [
            (
                "Does the walnut desk come with a cable tray?".to_string(),
                true
            ),
            ("And can I pay in three instalments?".to_string(), false),
        ]
    );
}

/// The story Candor exists for: a prospect's two questions, a canned feature dump that answers
/// neither, and a direct reply that answers both, each by its own sentence.
#[test]
fn a_feature_dump_leaves_a_prospects_questions_open_and_a_direct_reply_answers_both() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| write_in(dir.path(), name, text);
    let inbound = write(
        "prospect.txt",
        "How does yours compare with Freshdesk on price for six agents? And can your shared \
         inbox pull in our Instagram messages, or only email?\n",
    );
    let dump = write(
        "dump.txt",
        "Thanks for your interest! We are proud to be the industry-leading platform trusted by \
         over 10,000 businesses worldwide. Our powerful automation, reporting and integrations \
         help teams of every size deliver delightful support.\n",
    );
    let direct = write(
        "direct.txt",
        "For six agents we cost $90 a month in total; Freshdesk's comparable plan is $108. \
         Instagram messages do come into the shared inbox: connect the account under Settings > \
         Channels and they arrive beside your email.\n",
    );
    let verdicts = |reply: &str| {
        let report = check(&[reply, "--inbound", &inbound]);
        report["files"][0]["questions"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| {
                let answer = q["answer"]["span"].as_object().map(|span| {
                    let text = std::fs::read_to_string(reply).unwrap();
                    let (a, b) = (
                        span["start"].as_u64().unwrap() as usize,
                        span["end"].as_u64().unwrap() as usize,
                    );
                    text[a..b].to_string()
                });
                (q["addressed"].as_bool().unwrap(), answer)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(verdicts(&dump), [(false, None), (false, None)]);
    let answered = verdicts(&direct);
    assert_eq!(answered.len(), 2);
    assert_eq!(
        answered[0],
        (
            true,
            Some(
                "For six agents we cost $90 a month in total; Freshdesk's comparable plan is $108."
                    .to_string()
            )
        )
    );
    assert!(answered[1].0);
    assert!(answered[1]
        .1
        .as_deref()
        .is_some_and(|s| s.starts_with("Instagram messages do come into the shared inbox")));
}

#[test]
fn a_question_candor_cannot_read_or_past_the_judged_ones_is_listed_as_not_judged() {
    let dir = tempfile::tempdir().unwrap();
    let reply = dir.path().join("reply.txt");
    let mut text = String::from("> ¿Puedo cambiar la fecha de mi reserva?\n> Can I pay by card?\n");
    // More questions than the map judges: the rest are listed, not scored.
    for i in 0..250 {
        text.push_str(&format!("> Can order {i} ship to Oslo?\n"));
    }
    text.push_str("\nYes, you can pay by card.\n");
    std::fs::write(&reply, &text).unwrap();
    let path = reply.to_string_lossy().into_owned();
    let report = check(&[&path]);
    let listed = report["files"][0]["questions"].as_array().unwrap();
    assert_eq!(listed.len(), 252);
    let why = |q: &Value| q["not_judged"].as_str().map(str::to_string);
    assert_eq!(why(&listed[0]).as_deref(), Some("not English"));
    assert_eq!(listed[0]["answer"], Value::Null);
    assert_eq!(why(&listed[1]), None);
    assert!(listed[1]["addressed"].as_bool().unwrap());
    let past: Vec<&Value> = listed.iter().filter(|q| why(q).is_some()).collect();
    assert_eq!(past.len(), 1 + 252 - 200);
    assert_eq!(
        why(listed.last().unwrap()).as_deref(),
        Some("past the questions judged per message")
    );
    // Not judged means no finding about it.
    let flagged = ignored(&report).len();
    assert!(flagged <= 199, "{flagged}");

    let human = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["check", &path])
        .output()
        .unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(
        human.contains("not judged (not English): \"¿Puedo cambiar"),
        "{human}"
    );
    assert!(
        human.contains("not judged: 52 more questions past the first 200 of one message"),
        "{human}"
    );
}

/// A customer's message and the reports of replies to it, each in the same temporary folder.
struct Exchange {
    dir: tempfile::TempDir,
    inbound: String,
}

impl Exchange {
    fn new(message: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let inbound = write_in(dir.path(), "message.txt", message);
        Exchange { dir, inbound }
    }

    /// The JSON report on `reply` and the reply's path.
    fn report(&self, reply: &str) -> (Value, String) {
        let path = write_in(self.dir.path(), "reply.txt", reply);
        (check(&[&path, "--inbound", &self.inbound]), path)
    }

    /// Whether each question is answered by `reply`.
    fn verdicts(&self, reply: &str) -> Vec<bool> {
        questions(&self.report(reply).0)
            .into_iter()
            .map(|(_, addressed)| addressed)
            .collect()
    }
}

#[test]
fn a_terse_reply_answers_by_its_grammar_and_a_bare_contact_request_does_not() {
    let exchange = Exchange::new("Can I pay for the annual plan by bank transfer?\n");
    let verdicts = |reply: &str| exchange.verdicts(reply);
    assert_eq!(
        verdicts("Afraid not, cards and PayPal only for now.\n"),
        [true]
    );
    assert_eq!(
        verdicts("Sure can! Pick Bank transfer at checkout and the invoice shows our IBAN.\n"),
        [true]
    );
    assert_eq!(verdicts("Please send us a DM.\n"), [false]);
}

#[test]
fn yes_to_both_answers_each_yes_no_question_and_a_reply_to_one_leaves_the_other_open() {
    let exchange =
        Exchange::new("Is the plugin still maintained? Will there be a version for Django 5?\n");
    let (both, path) = exchange.report("Yes to both. Working on it this month.\n");
    let answers: Vec<String> = both["files"][0]["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| slice(&path, &q["answer"]["span"]))
        .collect();
    assert_eq!(answers, ["Yes to both.", "Yes to both."]);
    assert_eq!(exchange.verdicts("Yes, it is maintained.\n"), [true, false]);
}

#[test]
fn a_yes_answers_though_the_sentence_goes_on_to_ask_for_a_message() {
    let exchange = Exchange::new("Is the help desk the right place to report a billing error?\n");
    assert_eq!(
        exchange.verdicts("Yes, just send us a private message.\n"),
        [true]
    );
    assert_eq!(exchange.verdicts("Please send us a DM.\n"), [false]);
}

#[test]
fn a_link_that_answers_is_read_with_its_sentence() {
    let exchange = Exchange::new("Is there a way to read the bandwidth usage from a script?\n");
    let score = |reply: &str| {
        exchange.report(reply).0["files"][0]["questions"][0]["score"]
            .as_f64()
            .unwrap()
    };
    let linked =
        score("You probably want the stats endpoint: https://docs.example.com/api/stats\n");
    let bare = score("You probably want the stats endpoint.\n");
    assert!(linked > bare, "{linked} vs {bare}");
}
