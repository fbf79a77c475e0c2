//! Messages read as advice and spans cover only the text meant: whole-sentence findings
//! leave out a byte-order mark, an arrow and the quotation marks around the sentence; advice
//! never says "Cut it, or: Cut it"; a phrase cut from inside a sentence does not claim the
//! rest stands on its own when it does not.

mod common;
use common::{run_candor, text};

/// (rule, spanned text, message) of each finding in `body`.
fn findings(body: &str, extra: &[&str]) -> Vec<(String, String, String)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("r.md"), body).unwrap();
    let mut args = vec!["check", "r.md", "--format", "json"];
    args.extend(extra);
    let out = run_candor(args, dir.path(), None);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", text(&out.stderr)));
    json["files"][0]["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let (s, e) = (
                d["span"]["start"].as_u64().unwrap() as usize,
                d["span"]["end"].as_u64().unwrap() as usize,
            );
            (
                d["rule"].as_str().unwrap().to_string(),
                body[s..e].to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .filter(|(rule, _, _)| rule != "Candor.BuriedAnswer")
        .collect()
}

#[test]
fn whole_sentence_spans_leave_out_marks_around_the_sentence() {
    let body = "\u{feff}Thank you for reaching out!\n\n\"Thank you for your patience!\"\n\n\u{2192} Thank you for reaching out!\n\n\u{201c}We pride ourselves on our industry-leading platform.\u{201d}\n";
    let spans: Vec<(String, String)> = findings(body, &["--no-config"])
        .into_iter()
        .map(|(r, s, _)| (r, s))
        .collect();
    let expect = |r: &str, s: &str| (r.to_string(), s.to_string());
    assert_eq!(
        spans,
        [
            expect("Candor.CannedFiller", "Thank you for reaching out!"),
            expect("Candor.CannedFiller", "Thank you for your patience!"),
            expect("Candor.CannedFiller", "Thank you for reaching out!"),
            expect(
                "Candor.SelfFocus",
                "We pride ourselves on our industry-leading platform."
            ),
        ]
    );
}

#[test]
fn advice_does_not_repeat_itself_or_promise_what_is_not_there() {
    let all = findings("Have a great day!\n", &["--no-config"]);
    assert_eq!(all.len(), 1, "{all:?}");
    assert!(!all[0].2.contains("Cut it, or: Cut it"), "{}", all[0].2);
    assert!(
        all[0].2.ends_with("Cut it; end with the next step."),
        "{}",
        all[0].2
    );

    // With the sentence model off, a catalogue phrase inside a sentence is flagged alone.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("c.yaml");
    std::fs::write(
        &config,
        "rules:\n  Candor.CannedFiller:\n    options: {model: false}\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let hanging = findings(
        "Your refund went out today, and we appreciate your patience and understanding.\n",
        &["--config", config],
    );
    assert_eq!(hanging.len(), 1, "{hanging:?}");
    assert!(
        !hanging[0].2.contains("stands on its own"),
        "{}",
        hanging[0].2
    );
    let standing = findings(
        "The refund went out today; we appreciate your patience.\n",
        &["--config", config],
    );
    assert!(
        standing[0]
            .2
            .contains("the rest of the sentence stands on its own"),
        "{}",
        standing[0].2
    );
}

#[test]
fn the_generic_greeting_advice_names_a_stand_in_not_a_rewrite() {
    let all = findings(
        "Dear valued customer, your order shipped.\n",
        &["--no-config"],
    );
    let greeting = all
        .iter()
        .find(|(r, _, _)| r == "Candor.GenericGreeting")
        .unwrap();
    assert_eq!(greeting.1, "Dear valued customer");
    assert_eq!(
        greeting.2,
        "Use 'Hi [customer's name]' instead of 'Dear valued customer': a generic salutation tells the customer this is a form letter."
    );
}
