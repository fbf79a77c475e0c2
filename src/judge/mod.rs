//! How Candor decides that a sentence is canned filler, self-focused, or a letter's salutation or
//! sign-off: a small linear model over the sentence's words, word classes and shape
//! ([`features`]), trained on the labelled corpus in `data/replies/` ([`train`]) and embedded
//! in the binary ([`model`]). The same features, trained on the customer messages of
//! `data/questions/`, tell whether a sentence asks something ([`asks_something`]); whether a
//! reply sentence answers a question is the answer model's call ([`answers`]), with meaning from
//! static embeddings ([`embed`]).
//!
//! The phrase catalogues in the rule files still give exact phrase spans, rewrites and fixes;
//! the model says whether the sentence as a whole is filler or about us, which a list of
//! phrasings cannot do for wordings nobody listed.
//!
//! ```
//! use candor::judge::{judge_sentence, features::Place};
//! let v = judge_sentence("We apologize for any inconvenience this may have caused.", Place::default());
//! assert!(v.filler() > 0.5);
//! let v = judge_sentence("Your refund of $42.10 went back to the Visa card on Monday.", Place::default());
//! assert!(v.filler() < 0.5);
//! ```

pub mod answered;
pub mod answers;
pub mod embed;
pub mod features;
pub mod logistic;
pub mod model;
pub mod normalize;
pub mod train;

use features::Place;
use model::LinearModel;

/// The judgements the sentence model makes, one head each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    Filler = 0,
    SelfFocus = 1,
    Salutation = 2,
    Signoff = 3,
}

/// The longest text (in words) the model judges: it was trained on replies, macros and
/// messages, not on documentation pages, which are left to the phrase catalogues. Each part of
/// a macro export counts on its own; a part with two headings or more is an article and is not
/// judged.
pub const REPLY_MAX_WORDS: usize = 600;

/// A rule's `threshold:` when it sets none: the model's even odds.
pub fn default_threshold() -> f32 {
    0.5
}

/// How many heads the sentence model has.
pub const HEADS: usize = 4;

/// The embedded weights (written by `cargo run --release --example train`).
static SENTENCE_WEIGHTS: &[u8] = include_bytes!("weights/sentences.bin");

/// The embedded sentence model's bytes (the training command checks they are current).
pub fn sentence_model_bytes() -> &'static [u8] {
    SENTENCE_WEIGHTS
}

/// The embedded sentence model.
pub fn sentence_model() -> LinearModel<'static> {
    LinearModel::load(SENTENCE_WEIGHTS).expect("the embedded sentence model is well-formed")
}

/// What the model makes of one sentence: a probability per head, and whether the sentence
/// names the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Verdict {
    probabilities: [f32; HEADS],
    names_org: bool,
}

impl Verdict {
    pub fn filler(&self) -> f32 {
        self.probabilities[Head::Filler as usize]
    }
    /// The probability that the sentence is the organisation talking about itself.
    pub fn self_focus(&self) -> f32 {
        self.probabilities[Head::SelfFocus as usize]
    }
    /// Whether the sentence names the organisation (we, our, us, the team, the company...).
    pub fn names_org(&self) -> bool {
        self.names_org
    }
    /// Self-focus as a rule reports it: from `threshold` when the sentence names the
    /// organisation, and only from `unnamed` when it does not. "This forum is for user
    /// questions." can be the organisation on its remit, but "This value is only available on
    /// Windows" shares its words with policy talk and is a docs page's plain fact.
    pub fn is_self_focused(&self, threshold: f32, unnamed: f32) -> bool {
        let p = self.self_focus();
        p >= threshold && (self.names_org || p >= unnamed)
    }
    /// Whether the sentence is a letter's salutation or sign-off: a convention of the format,
    /// neither filler nor content.
    pub fn is_letter_convention(&self) -> bool {
        self.probabilities[Head::Salutation as usize]
            .max(self.probabilities[Head::Signoff as usize])
            >= 0.5
    }
}

/// Judges one sentence. A line without a word (emoji, `:emoji_codes:`, numbers, punctuation)
/// is not for the model: it gets no verdict (all zero).
pub fn judge_sentence(text: &str, place: Place) -> Verdict {
    let mut probabilities = [0f32; HEADS];
    if !has_words(text) {
        return Verdict::default();
    }
    let summary = sentence_model().predict(text, place, &mut probabilities);
    Verdict {
        probabilities,
        names_org: summary.names_org,
    }
}

/// The embedded question model (one head: the sentence asks the reader something), trained
/// on the customer messages of `data/questions/`.
static QUESTION_WEIGHTS: &[u8] = include_bytes!("weights/questions.bin");

/// The probability that a sentence of a customer's message asks something, "?" or not
/// ("Just checking whether the beta is still open", "any advice appreciated").
pub fn asks_something(text: &str) -> f32 {
    let model =
        LinearModel::load(QUESTION_WEIGHTS).expect("the embedded question model is well-formed");
    let mut out = [0f32; 1];
    let _ = model.predict(text, Place::default(), &mut out);
    out[0]
}

/// The strongest reasons the model has for `head` on this sentence, in words.
pub fn cues(text: &str, place: Place, head: Head, n: usize) -> Vec<String> {
    sentence_model().cues(text, place, head as usize, n)
}

/// Whether `text` has a letter outside emoji codes such as `:heavy_check_mark:`.
fn has_words(text: &str) -> bool {
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == ':' {
            let code = rest[1..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '_' | '+' | '-')))
                .map(|end| end + 1);
            if let Some(end) = code.filter(|&end| end > 1 && rest[end..].starts_with(':')) {
                rest = &rest[end + 1..];
                continue;
            }
        }
        if c.is_alphabetic() {
            return true;
        }
        rest = &rest[c.len_utf8()..];
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emoji_codes_are_not_words() {
        assert!(!has_words(":heavy_check_mark: :x: 100%"));
        assert!(has_words(":wave: Thanks!"));
        assert!(has_words("Time: 10:30 today"));
    }
}
