//! The sentence and answer models: the embedded weights are what the training command makes of
//! the corpus in `data/`, and the models tell the cases the labelling guide is about.

use std::path::Path;

use candor::judge::answered::AnsweredModel;
use candor::judge::answers::AnswerModel;
use candor::judge::features::Place;
use candor::judge::model::LinearModel;
use candor::judge::train::{
    answer_rows, examples, read_corpus, train, train_answered, train_answers, vocabulary, Example,
    Settings,
};
use candor::judge::{judge_sentence, HEADS};

fn data(dir: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data").join(dir)
}

#[test]
fn embedded_sentence_weights_are_current() {
    let corpus = read_corpus(&data("replies")).unwrap();
    let bits = vocabulary(&corpus, None);
    let all = examples(&corpus, &bits);
    assert!(all.len() >= 4000, "the corpus has {} sentences", all.len());
    let refs: Vec<&Example> = all.iter().collect();
    let trained = LinearModel::store(&train(&refs, Settings::default()), HEADS, &bits);
    let embedded = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("src/judge/weights/sentences.bin"),
    )
    .unwrap();
    assert!(
        trained == embedded,
        "src/judge/weights/sentences.bin is stale: run `cargo run --release --example train`"
    );
}

/// Fails unless `src/judge/weights/<name>` holds `trained` and loads with `loads`.
fn assert_current(name: &str, trained: Vec<u8>, loads: impl Fn(&[u8]) -> bool) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/judge/weights")
        .join(name);
    let embedded = std::fs::read(path).unwrap();
    assert!(loads(&embedded), "{name} does not load");
    assert!(
        trained == embedded,
        "src/judge/weights/{name} is stale: run `cargo run --release --example train`"
    );
}

#[test]
fn embedded_answer_weights_are_current() {
    let rows = answer_rows(&data("questions")).unwrap();
    let rows: Vec<_> = rows.iter().collect();
    assert_current("answers.bin", train_answers(&rows).store(), |b| {
        AnswerModel::load(b).is_some()
    });
    assert_current("answered.bin", train_answered(&rows).store(), |b| {
        AnsweredModel::load(b).is_some()
    });
}

#[test]
fn stock_wording_is_filler_and_specific_politeness_is_not() {
    let p = Place::default();
    for stock in [
        "We apologize for any inconvenience this may have caused.",
        "Please don’t hesitate to reach out if you have any other questions.",
        "Thank you for contacting us!",
    ] {
        assert!(judge_sentence(stock, p).filler() > 0.5, "{stock}");
    }
    for specific in [
        "Sorry the blender arrived with a cracked jug; a replacement ships from Leeds on Monday.",
        "Your refund of $42.10 went back to the Visa card ending 4417 this morning.",
    ] {
        assert!(judge_sentence(specific, p).filler() < 0.5, "{specific}");
    }
}

#[test]
fn self_focus_is_the_company_about_itself_not_an_action_for_the_customer() {
    let p = Place::default();
    assert!(
        judge_sentence("We are committed to excellence in everything we do.", p).self_focus() > 0.5
    );
    assert!(
        judge_sentence("We'll refund the delivery fee to your card today.", p).self_focus() < 0.5
    );
    // Without the organisation named, a plain fact is not the company talking about itself,
    // unless the model is far surer than for a sentence that names it.
    let fact = judge_sentence("This value is only available on Windows.", p);
    assert!(!fact.names_org());
    assert!(!fact.is_self_focused(0.5, 0.9), "{}", fact.self_focus());
}

#[test]
fn salutations_and_sign_offs_are_letter_conventions() {
    let p = Place::default();
    assert!(judge_sentence("Hi Priya,", p).is_letter_convention());
    assert!(judge_sentence("Kind regards,", p).is_letter_convention());
    assert!(!judge_sentence("Your parcel left our depot this morning.", p).is_letter_convention());
}

#[test]
fn the_reasons_given_never_say_one_word_twice() {
    use candor::judge::{cues, Head};
    for text in [
        "Your satisfaction is our top priority.",
        "We are the industry leader in cloud storage.",
        "Our award-winning team is committed to excellence in everything we do.",
    ] {
        let found = cues(text, Place::default(), Head::SelfFocus, 3);
        assert!(!found.is_empty(), "{text}");
        let words = |c: &str| -> Vec<String> {
            c.trim_matches('\'')
                .split(' ')
                .map(|w| match w {
                    "we" | "our" | "us" => "we/our".to_string(),
                    w => w.to_string(),
                })
                .collect()
        };
        for (i, a) in found.iter().enumerate() {
            for b in &found[i + 1..] {
                let (a, b) = (words(a), words(b));
                let inside = |x: &[String], y: &[String]| x.windows(y.len()).any(|w| w == y);
                assert!(!inside(&a, &b) && !inside(&b, &a), "{text}: {found:?}");
            }
        }
    }
}
