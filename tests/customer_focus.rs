//! The customer-focus pack (CannedFiller, SelfFocus, Placeholder, GenericGreeting,
//! BuriedAnswer, Length) on replies written for these tests: what fires, on exactly which
//! bytes, and what stays quiet. Each rule's own `examples` are run by `rule_examples.rs`.

use std::sync::Arc;

use candor::check::{check_document, Inbound};
use candor::diagnostic::Severity;
use candor::document::{Document, Format, Origin, TemplateKind};
use candor::rules::RuleSet;

/// The slices of `text` the built-in rule `id` reports.
fn spans_of(id: &str, text: &str, inbound: Option<&str>) -> Vec<String> {
    spans_in(
        id,
        &Document::parse(text.to_string(), Format::Text),
        inbound,
    )
}

fn spans_in(id: &str, doc: &Document, inbound: Option<&str>) -> Vec<String> {
    findings_in(id, doc, inbound)
        .into_iter()
        .map(|(text, _)| text)
        .collect()
}

/// The slices of `doc` the built-in rule `id` reports, each with its level.
fn findings_in(id: &str, doc: &Document, inbound: Option<&str>) -> Vec<(String, Severity)> {
    let rules = RuleSet::builtin().expect("built-in pack loads");
    let mut alone = RuleSet::default();
    alone.push(rules.get(id).expect("rule exists").clone());
    let inbound: Vec<Inbound> = inbound
        .map(|t| Inbound {
            path: Arc::from("inbound.txt"),
            doc: Document::parse(t.to_string(), Format::Text),
        })
        .into_iter()
        .collect();
    let path: Arc<str> = Arc::from("reply.txt");
    let found = check_document(&alone, &path, doc, &inbound);
    found
        .diagnostics
        .iter()
        .filter(|d| &*d.rule == id)
        .map(|d| (doc.source[d.span.clone()].to_string(), d.severity))
        .collect()
}

#[test]
fn a_sentence_of_nothing_but_filler_is_flagged_whole() {
    let text = "Thank you for reaching out to us! Your refund of $40 went out this morning.";
    assert_eq!(
        spans_of("Candor.CannedFiller", text, None),
        ["Thank you for reaching out to us!"]
    );
}

#[test]
fn a_stock_phrase_in_a_sentence_with_content_is_not_flagged_on_its_own() {
    // The sentence is judged whole: what it names makes it more than its polite phrase.
    for text in [
        "We have refunded the duplicate payment of 86.40 GBP to your account ending 2291 and apologise for the inconvenience.",
        "The second charge of 40 EUR is refunded to your Visa, and we apologise for the inconvenience caused.",
        "Thanks for reaching out about the Pro plan: it costs 12 EUR per seat per month.",
    ] {
        assert!(
            spans_of("Candor.CannedFiller", text, None).is_empty(),
            "{text}"
        );
    }
    // "The second charge is refunded and we apologise for the inconvenience caused." and "Your
    // card was charged twice; we apologise for the inconvenience and have refunded the second
    // charge." are left out: the learned model misses them (it flags the sentence whole).
}

#[test]
fn a_closing_with_a_specific_condition_is_not_filler() {
    let text = "Restart the router. If the light is still red after that, let us know the model.";
    assert!(spans_of("Candor.CannedFiller", text, None).is_empty());
    let generic = "Restart the router. Let us know if you have any other questions.";
    assert_eq!(
        spans_of("Candor.CannedFiller", generic, None),
        ["Let us know if you have any other questions."]
    );
}

#[test]
fn code_is_what_a_docs_sentence_says_and_keeps_it_from_being_filler() {
    let md = |t: &str| Document::parse(t.to_string(), Format::Markdown);
    // "for more details" alone is filler; with a command it is an instruction.
    let with_code = md("Run `npm ci` for more details.\n");
    assert!(spans_in("Candor.CannedFiller", &with_code, None).is_empty());
    // Without code the model judges each sentence whole: "Thanks!" is filler, and the
    // pointer's catalogue phrase is never flagged on its own (whether the bare pointer is
    // filler is the model's call; it sits at the threshold).
    let without = md("Thanks! For more details, reply here.\n");
    let found = findings_in("Candor.CannedFiller", &without, None);
    assert_eq!(
        found.first(),
        Some(&("Thanks!".to_string(), Severity::Warning))
    );
    assert!(
        found[1..]
            .iter()
            .all(|(text, _)| text == "For more details, reply here."),
        "{found:?}"
    );
    // A contact link stays canned, URL or not.
    let link = "Drop us a line at https://example.com/contact and we can assist.";
    assert_eq!(spans_of("Candor.CannedFiller", link, None), [link]);
}

#[test]
fn docs_prose_about_the_following_or_dotnet_is_not_filler() {
    let text =
        "Consider the following:\n\nThe following .NET types are permitted. Users can add more.";
    assert!(spans_of("Candor.CannedFiller", text, None).is_empty());
    // A request to follow the account still is.
    let follow = "Please follow us and send a DM.";
    assert_eq!(spans_of("Candor.CannedFiller", follow, None), [follow]);
}

#[test]
fn an_emoji_in_a_table_is_a_value_not_filler() {
    let md = |t: &str| Document::parse(t.to_string(), Format::Markdown);
    let table =
        md("Feature|standard|extended\n:--|:-:|:-:\nCore features|:heavy_check_mark:|:x:\n");
    assert!(spans_in("Candor.CannedFiller", &table, None).is_empty());
    // Outside a table the same emoji alone is still decoration.
    let reply = md("Your refund went out today.\n\n:heavy_check_mark:\n");
    assert_eq!(
        spans_in("Candor.CannedFiller", &reply, None),
        [":heavy_check_mark:"]
    );
}

#[test]
fn an_apology_that_names_the_problem_is_not_filler() {
    let text = "Sorry the blender arrived with a cracked jug; a new one ships Monday.";
    assert!(spans_of("Candor.CannedFiller", text, None).is_empty());
}

#[test]
fn policy_talk_and_self_promotion_are_self_focus_but_actions_for_the_customer_are_not() {
    let text = "Per our terms, refunds take 30 days. We'll refund you today instead.";
    assert_eq!(
        spans_of("Candor.SelfFocus", text, None),
        ["Per our terms, refunds take 30 days."]
    );
    let promo = "Our award-winning support team is the best in the business.";
    assert_eq!(spans_of("Candor.SelfFocus", promo, None), [promo]);
    for fine in [
        "We'll refund you today.",
        "We shipped your replacement this morning.",
        "I'm sorry, I can see the charge went through twice.",
    ] {
        assert!(
            spans_of("Candor.SelfFocus", fine, None).is_empty(),
            "fired on {fine:?}"
        );
    }
}

#[test]
fn blame_you_is_self_focus() {
    let text = "You failed to enter the postcode, so the parcel came back.";
    assert_eq!(spans_of("Candor.SelfFocus", text, None), [text]);
}

#[test]
fn a_reply_all_about_us_is_reported_sentence_by_sentence_or_as_a_balance() {
    let text = "We have grown a lot. Our office moved. We hired our new lead. \
                Our team and our partners thank us. We are proud. Our plans are big.";
    let rules = RuleSet::builtin().unwrap();
    let mut alone = RuleSet::default();
    alone.push(rules.get("Candor.SelfFocus").unwrap().clone());
    let doc = Document::parse(text.to_string(), Format::Text);
    let found = check_document(&alone, &Arc::from("r"), &doc, &[]);
    let balance: Vec<_> = found
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Suggestion)
        .collect();
    // One balance suggestion at most, and only on a sentence not already flagged for itself
    // (the sentence model flags most of these sentences on their own).
    assert!(balance.len() <= 1, "{:?}", found.diagnostics);
    assert!(found.diagnostics.len() >= 2, "{:?}", found.diagnostics);
    for d in &found.diagnostics {
        assert!(text.get(d.span.clone()).is_some());
    }
    let spans: Vec<_> = found.diagnostics.iter().map(|d| &d.span).collect();
    let mut unique = spans.clone();
    unique.dedup();
    assert_eq!(spans, unique, "a sentence is reported once");
    // The same length of text about the customer: no balance finding.
    let about_you = "Your order shipped. You can track it with your code. \
                     Your parcel arrives Friday. You pay nothing extra.";
    let doc = Document::parse(about_you.to_string(), Format::Text);
    let found = check_document(&alone, &Arc::from("r"), &doc, &[]);
    assert!(found.diagnostics.is_empty(), "{:?}", found.diagnostics);
}

#[test]
fn placeholders_of_every_common_syntax_are_errors_with_exact_spans() {
    let cases = [
        (
            "Hi {{ticket.requester.first_name}}, done.",
            "{{ticket.requester.first_name}}",
        ),
        (
            "Hi {{ first_name | default: \"there\" }}, done.",
            "{{ first_name | default: \"there\" }}",
        ),
        ("Dear %{name}, done.", "%{name}"),
        ("Hello [CUSTOMER NAME], done.", "[CUSTOMER NAME]"),
        ("Hi *|FNAME|*, done.", "*|FNAME|*"),
        ("Hi $FIRSTNAME, done.", "$FIRSTNAME"),
        ("Hi <NAME>, done.", "<NAME>"),
    ];
    for (text, placeholder) in cases {
        for format in [Format::Text, Format::Markdown] {
            let doc = Document::parse(text.to_string(), format);
            assert_eq!(
                spans_in("Candor.Placeholder", &doc, None),
                [placeholder],
                "{format:?}: {text:?}"
            );
        }
    }
}

#[test]
fn code_and_links_are_not_placeholders() {
    let text = "Run `echo {{name}}` to see it. See [the guide](https://example.com/guide).\n";
    let doc = Document::parse(text.to_string(), Format::Markdown);
    assert!(spans_in("Candor.Placeholder", &doc, None).is_empty());
}

#[test]
fn hugo_shortcodes_and_acronyms_are_not_placeholders() {
    let md = |t: &str| Document::parse(t.to_string(), Format::Markdown);
    let docs = md(
        "{{< code-toggle file=hugo >}}\nenable = true\n{{< /code-toggle >}}\n\n\
        {{% include \"/_common/x.md\" %}}\n\n{{< img\n  src=\"a.png\"\n>}}\n\n\
        Each session has a globally unique identifier (GUID).\n",
    );
    assert!(spans_in("Candor.Placeholder", &docs, None).is_empty());
    // Helpdesk forms next to them are still reported.
    let reply = md("{{< note >}}\n\nHi {{first_name}}, your TICKETID is {{name}.\n");
    assert_eq!(
        spans_in("Candor.Placeholder", &reply, None),
        ["{{first_name}}", "TICKETID", "{{name}"]
    );
}

#[test]
fn docs_markup_is_not_a_placeholder() {
    let md = |t: &str| Document::parse(t.to_string(), Format::Markdown);
    let docs = md("---\nsignatures: ['css.Build [OPTIONS] RESOURCE']\n---\n\n\
        The **NoTypeInformation** parameter removes the **#TYPE** header.\n\n\
        \\[ \\hat{y} = \\frac{1}{2}\\sum_{c=1}^{M} \\log{\\frac{\\hat{y}_c}{y_c}} \\]\n\n\
        It is stored in \\$PSHOME. See [URL management][url] and [RFC].\n\n\
        Shipping is slower due to COVID-19.\n\n\
        [url]: /url-management/\n   [rfc]: https://example.com/rfc\n");
    assert!(spans_in("Candor.Placeholder", &docs, None).is_empty());
    // The same forms outside that markup are still reported.
    let reply = md(
        "Hi {name}, order #NUMBER ships to [ADDRESS]. Your $FIRSTNAME and {y} too, \
        {{first_name}}{{last_name}}.\n",
    );
    assert_eq!(
        spans_in("Candor.Placeholder", &reply, None),
        [
            "{name}",
            "#NUMBER",
            "[ADDRESS]",
            "$FIRSTNAME",
            "{y}",
            "{{first_name}}",
            "{{last_name}}"
        ]
    );
}

#[test]
fn in_a_template_well_formed_placeholders_are_fine_and_malformed_ones_are_reported() {
    let text = "Hi {{ticket.requester.first_name}}, your refund went out. {{current_user.name}\n";
    let reply = Document::parse(text.to_string(), Format::Text);
    assert_eq!(
        spans_in("Candor.Placeholder", &reply, None),
        ["{{ticket.requester.first_name}}", "{{current_user.name}"]
    );
    let macro_doc = Document::parse(text.to_string(), Format::Text)
        .with_origin(Origin::Template(TemplateKind::Zendesk));
    assert_eq!(
        spans_in("Candor.Placeholder", &macro_doc, None),
        ["{{current_user.name}"]
    );
}

#[test]
fn a_rule_pack_can_accept_placeholders_everywhere_and_check_their_names() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Macros.yml"),
        "extends: placeholder\nmessage: \"'%s' is unfilled\"\nlevel: error\n\
         options:\n  allow: true\n  known: [first_name]\n",
    )
    .unwrap();
    let mut rules = RuleSet::default();
    rules.add_dir(dir.path()).unwrap();
    let text = "Hi {{first_name}}, from {{agnet.name}}.";
    let doc = Document::parse(text.to_string(), Format::Text);
    let found = check_document(&rules, &Arc::from("m"), &doc, &[]);
    let spans: Vec<_> = found
        .diagnostics
        .iter()
        .map(|d| &text[d.span.clone()])
        .collect();
    assert_eq!(spans, ["{{agnet.name}}"]);
}

#[test]
fn an_unknown_option_names_the_rule_file_and_the_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("Holes.yml"),
        "extends: placeholder\nmessage: \"'%s'\"\noptions:\n  alow: true\n",
    )
    .unwrap();
    // The file is left out with a warning; the run goes on.
    let mut set = RuleSet::default();
    set.add_dir(dir.path()).unwrap();
    assert!(set.is_empty());
    let err = set.warnings[0].to_string();
    assert!(err.contains("Holes.yml"), "{err}");
    assert!(err.contains("alow"), "{err}");
}

#[test]
fn generic_salutations_are_flagged_and_named_ones_are_not() {
    assert_eq!(
        spans_of(
            "Candor.GenericGreeting",
            "Dear valued customer, it shipped.",
            None
        ),
        ["Dear valued customer"]
    );
    assert!(spans_of("Candor.GenericGreeting", "Dear Dana, it shipped.", None).is_empty());
}

#[test]
fn an_answer_behind_two_empty_openers_is_buried() {
    let buried = "Hi Sam! Thanks for reaching out. We're sorry to hear that. \
                  Your refund went out today.";
    let found = spans_of("Candor.BuriedAnswer", buried, None);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("Hi Sam!"), "{found:?}");
    assert!(!found[0].contains("refund"), "{found:?}");
    let direct = "Your refund went out today. Thanks for reaching out!";
    assert!(spans_of("Candor.BuriedAnswer", direct, None).is_empty());
}

#[test]
fn length_is_measured_against_the_customers_message_when_it_is_known() {
    let sentence = "The replacement part ships from the warehouse on Monday morning. ";
    let long_reply = sentence.repeat(12); // 120 words
    let short_question = "Where is my part?";
    assert_eq!(
        spans_of("Candor.Length", &long_reply, Some(short_question)).len(),
        1
    );
    let long_question = "word ".repeat(60);
    assert!(spans_of("Candor.Length", &long_reply, Some(&long_question)).is_empty());
    // Without the customer's message, 120 words is within the default budget.
    assert!(spans_of("Candor.Length", &long_reply, None).is_empty());
}

#[test]
fn every_pack_rule_loads_with_its_stable_id() {
    let rules = RuleSet::builtin().unwrap();
    for id in [
        "Candor.CannedFiller",
        "Candor.SelfFocus",
        "Candor.Placeholder",
        "Candor.GenericGreeting",
        "Candor.BuriedAnswer",
        "Candor.Length",
    ] {
        assert!(rules.get(id).is_some(), "{id} missing");
    }
}

#[test]
fn a_stock_phrase_lowers_the_models_bar_to_the_phrase_threshold() {
    let text = "Feel free to reach out if the blender acts up again.";
    let lean = candor::judge::judge_sentence(text, Default::default()).filler();
    assert!((0.5..0.99).contains(&lean), "the model's lean is {lean}");
    let found = |phrase_threshold: &str| {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("Stock.yml"),
            format!(
                "extends: filler\nmessage: \"'%s' is stock: %s\"\noptions:\n  model: true\n  \
                 threshold: 0.99\n{phrase_threshold}  phrases:\n    - match: 'feel free to reach out'\n"
            ),
        )
        .unwrap();
        let mut rules = RuleSet::default();
        rules.add_dir(dir.path()).unwrap();
        let doc = Document::parse(text.to_string(), Format::Text);
        check_document(&rules, &Arc::from("m"), &doc, &[])
            .diagnostics
            .len()
    };
    assert_eq!(found(""), 0);
    assert_eq!(found("  phrase_threshold: 0.5\n"), 1);
}
