//! Whether a customer's question is answered by the reply as a whole: a second, question-level
//! model over what the answer model says of each reply sentence and over the reply's shape.
//!
//! The answer model is trained on one labelled answering sentence per question, so it is strict
//! about every other sentence; readers judge the whole reply. A short reply of two plain sentences
//! to a one-question message is about that question even when it shares no word with it ("Feel
//! free to use it." to "May I ship it in a paid app?"); a long reply that only comes near the
//! question in one generic sentence is not. This model learns such weights from the
//! question-level labels of `data/questions/` (`cargo run --release --example train`).

use super::answers::{Feature, FEATURES};
use super::logistic::Logistic;

/// The features of one question against a whole reply, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionFeature {
    Bias,
    /// Log-odds that at least one sentence answers (noisy OR of the answer model).
    AnyAnswers,
    /// Log-odds of the best sentence.
    BestAnswers,
    /// Log-odds of the second best: an answer spread over two sentences.
    SecondAnswers,
    /// How many sentences carry content (not filler, offers, thanks or sympathy), as ln(1 + n).
    Substantive,
    /// One or two such sentences: a short reply is about the message.
    ShortReply,
    /// The only question of the message.
    Alone,
    /// The question has no topic of its own ("Can you help?").
    Vague,
    /// A comparison whose sides the reply does not both name.
    OptionsUnmet,
    /// The reply asks back about the question's or the message's terms.
    ProbesOnTopic,
    /// The reply sends the customer elsewhere, naming where, on the question's or the message's
    /// terms.
    Redirects,
    /// The reply says the answer is not known.
    NoInfo,
    /// How much more likely another question of the message is to be answered by this one's
    /// best sentence (`crate::questions::answer::taken`).
    Taken,
    /// The most of the question's key terms one sentence names.
    BestOwnTerms,
    /// The most of the rest of the message's terms one sentence names.
    BestContextTerms,
    /// The highest cosine of the question with a reply sentence.
    BestCosine,
    AsksYesNo,
    AsksWhen,
    AsksHowMuch,
    AsksWhich,
    AsksHow,
    AsksWhy,
}

/// How many features a question has.
pub const QUESTION_FEATURES: usize = QuestionFeature::AsksWhy as usize + 1;

/// The question-level model.
pub type AnsweredModel = Logistic<QUESTION_FEATURES>;

static WEIGHTS: &[u8] = include_bytes!("weights/answered.bin");

/// The embedded question-level model.
pub fn model() -> AnsweredModel {
    AnsweredModel::load(WEIGHTS).expect("the embedded question-level model is well-formed")
}

/// Log-odds, bounded so that a certain sentence does not swamp the rest.
fn logit(p: f32) -> f32 {
    let p = p.clamp(1e-3, 1.0 - 1e-3);
    (p / (1.0 - p)).ln()
}

/// The question-level features from each judged reply sentence's features and its probability
/// of answering the question (same order), and how far another question takes its best sentence.
pub fn question_features(
    sentences: &[[f32; FEATURES]],
    probabilities: &[f32],
    taken: f32,
) -> [f32; QUESTION_FEATURES] {
    let at = |s: &[f32; FEATURES], f: Feature| s[f as usize];
    let any = |f: Feature| sentences.iter().any(|s| at(s, f) > 0.5);
    let most = |f: Feature| sentences.iter().map(|s| at(s, f)).fold(0f32, f32::max);
    let mut sorted = probabilities.to_vec();
    sorted.sort_by(|a, b| b.total_cmp(a));
    let any_answers = super::answers::combine(probabilities);
    let substantive = sentences
        .iter()
        .filter(|s| {
            at(s, Feature::Filler) < 0.5
                && at(s, Feature::Generic) < 0.5
                && at(s, Feature::Offer) < 0.5
        })
        .count();
    let flag = |b: bool| f32::from(u8::from(b));
    let first = sentences.first();
    let question_has = |f: Feature| first.is_some_and(|s| at(s, f) > 0.5);
    let mut out = [0f32; QUESTION_FEATURES];
    let mut set = |f: QuestionFeature, v: f32| out[f as usize] = v;
    set(QuestionFeature::Bias, 1.0);
    set(QuestionFeature::AnyAnswers, logit(any_answers));
    set(
        QuestionFeature::BestAnswers,
        logit(sorted.first().copied().unwrap_or(0.0)),
    );
    set(
        QuestionFeature::SecondAnswers,
        logit(sorted.get(1).copied().unwrap_or(0.0)),
    );
    set(
        QuestionFeature::Substantive,
        (1.0 + substantive as f32).ln(),
    );
    set(
        QuestionFeature::ShortReply,
        flag((1..=2).contains(&substantive)),
    );
    set(QuestionFeature::Alone, flag(question_has(Feature::Alone)));
    set(QuestionFeature::Vague, flag(question_has(Feature::Vague)));
    set(
        QuestionFeature::OptionsUnmet,
        flag(question_has(Feature::OptionsUnmet)),
    );
    set(
        QuestionFeature::ProbesOnTopic,
        flag(any(Feature::ProbesOnTopic)),
    );
    set(
        QuestionFeature::Redirects,
        flag(any(Feature::RedirectOnTopic)),
    );
    set(QuestionFeature::NoInfo, flag(any(Feature::NoInfo)));
    set(QuestionFeature::Taken, taken);
    set(QuestionFeature::BestOwnTerms, most(Feature::OwnTerms));
    set(
        QuestionFeature::BestContextTerms,
        most(Feature::ContextTerms),
    );
    set(
        QuestionFeature::BestCosine,
        sentences
            .iter()
            .map(|s| at(s, Feature::Cosine))
            .fold(-1f32, f32::max),
    );
    for (asks, feature) in [
        (Feature::AsksYesNo, QuestionFeature::AsksYesNo),
        (Feature::AsksWhen, QuestionFeature::AsksWhen),
        (Feature::AsksHowMuch, QuestionFeature::AsksHowMuch),
        (Feature::AsksWhich, QuestionFeature::AsksWhich),
        (Feature::AsksHow, QuestionFeature::AsksHow),
        (Feature::AsksWhy, QuestionFeature::AsksWhy),
    ] {
        set(feature, flag(question_has(asks)));
    }
    out
}
