//! Whether a reply sentence answers a customer's question: logistic regression over the
//! features `crate::questions::answer::features` reads off the pair (topic, meaning, form, kind
//! of sentence), trained on the question-and-reply pairs in `data/questions/`
//! (`cargo run --release --example train`). Whether the question is answered is the
//! question-level model's call ([`super::answered`]), which reads these probabilities.

use super::logistic::Logistic;

/// The features of a (question, reply sentence) pair, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Bias,
    /// Weighted key terms of the question in the sentence (up to 1).
    OwnTerms,
    /// More than one term's worth (up to 2).
    MoreOwnTerms,
    /// Terms of the rest of the customer's message in the sentence (up to 1).
    ContextTerms,
    /// The sentence names what the question turns on ("ship to Oslo").
    FocusNamed,
    /// The question turns on a name the sentence does not give.
    FocusMissed,
    /// Cosine of the two sentences' embedding vectors.
    Cosine,
    /// The cosine where a key term is shared too.
    CosineOnTopic,
    /// The sentence is the reply's closest to the question in meaning.
    ClosestInMeaning,
    /// Its cosine above the reply's mean cosine.
    CosineAboveMean,
    /// The sentence model's probability that the sentence is canned filler.
    Filler,
    /// The sentence comes right after one that quotes the question back: replies that answer
    /// question by question quote each, then answer it.
    AfterEcho,
    /// Only an offer of help.
    Offer,
    /// Only contact, sympathy or thanks.
    Generic,
    /// Only sympathy or thanks.
    Sympathy,
    /// A question asked back about the problem.
    Probes,
    /// A question asked back that names the question's or the message's terms: a next step on
    /// that topic ("Which app version shows the error?").
    ProbesOnTopic,
    /// A contact pointer, for a question asking whom to contact.
    ContactPointer,
    /// Sends the customer elsewhere, naming where.
    Redirect,
    /// Sends the customer elsewhere and names the question's or the message's terms.
    RedirectOnTopic,
    /// "We don't have that information yet."
    NoInfo,
    /// "Yes to both": one sentence for every question of a message that asks more than one.
    AnswersAll,
    /// The form that answers this kind of question outright ("Yes, …" for yes/no).
    Direct,
    /// That form, on the question's topic.
    DirectOnTopic,
    /// That form, for the message's only question ("We sure can!" to "Can I pay by PayPal?").
    DirectForOnlyQuestion,
    /// The right kind of content (steps for "how"), on topic.
    FormOnTopic,
    /// The right kind of content, topic aside.
    Form,
    /// The only question of the message.
    Alone,
    /// The question has no topic of its own ("Can you help?").
    Vague,
    /// Nothing to match in the question or around it.
    Blank,
    /// A comparison whose sides the reply does not both name.
    OptionsUnmet,
    /// "When" or "how much" with no time or amount in the sentence.
    NeedsForm,
    AsksYesNo,
    AsksWhen,
    AsksHowMuch,
    AsksWhich,
    AsksHow,
    AsksWhy,
    AsksOther,
}

/// How many features a pair has.
pub const FEATURES: usize = Feature::AsksOther as usize + 1;

/// The embedded weights, one `f32` (little-endian) per feature.
static WEIGHTS: &[u8] = include_bytes!("weights/answers.bin");

/// The answer model: a weight per feature.
pub type AnswerModel = Logistic<FEATURES>;

/// The chance that at least one reply sentence answers, from each one's probability (a noisy
/// OR), so that an answer spread over several sentences of a long reply counts.
pub fn combine(probabilities: &[f32]) -> f32 {
    1.0 - probabilities.iter().map(|p| 1.0 - p).product::<f32>()
}

/// The embedded answer model.
pub fn model() -> AnswerModel {
    AnswerModel::load(WEIGHTS).expect("the embedded answer model is well-formed")
}
