//! Finding the questions in a customer's message.
//!
//! What it catches: explicit questions ("Where is my order?") and implicit ones with no question
//! mark ("I was wondering whether the plan includes support", "Please explain why I was
//! charged twice", "Is there any way to change the date", a forum title such as "How to move my
//! profile to a new PC").
//! Why it matters: a reply can only be checked against the questions it had to answer; about one
//! question in five in email has no "?".
//! What it leaves out: rhetorical venting ("Seriously??", "wtf?", "how hard can it be?!"),
//! greetings ("How are you?") and "On Monday, Sam wrote:" attribution lines.
//! How: a question mark, the request patterns in `patterns.rs`, and for the rest the question
//! model (`crate::judge::asks_something`), which learned requests in other words from the
//! customer messages in `data/questions/`.

use std::ops::Range;

use super::patterns;
use crate::engine::prebuilt::BuiltInRegex;

use crate::document::Block;

/// How a question was asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A sentence with a question mark.
    Explicit,
    /// A request for information without one ("I'd like to know…").
    Implicit,
}

/// A question found in one block's prose.
#[derive(Debug, Clone)]
pub struct Found {
    /// Range of the question in the block's prose.
    pub prose: Range<usize>,
    pub kind: Kind,
}

static IMPLICIT: BuiltInRegex = BuiltInRegex::new(patterns::IMPLICIT);

/// Sentences that open like a question but lack the mark: "how do you add a driver".
static QUESTION_OPENING: BuiltInRegex = BuiltInRegex::new(patterns::QUESTION_OPENING);

/// Questions that only vent, and greetings.
static RHETORICAL: BuiltInRegex = BuiltInRegex::new(patterns::RHETORICAL);

/// A question that is nothing but an exclamation: "What?", "Seriously??", "#fail?".
static BARE_EXCLAMATION: BuiltInRegex = BuiltInRegex::new(patterns::BARE_EXCLAMATION);

/// "On Tue, 3 Mar 2025, Sam <sam@example.com> wrote:" and "-----Original Message-----".
static ATTRIBUTION: BuiltInRegex = BuiltInRegex::new(patterns::ATTRIBUTION);

/// "I want to ask this, because…": announces a question without asking it.
static ANNOUNCES: BuiltInRegex = BuiltInRegex::new(patterns::ANNOUNCES);

/// Whether `sentence` only vents or greets (asks nothing).
pub fn is_rhetorical(sentence: &str) -> bool {
    RHETORICAL.is_match(sentence) || BARE_EXCLAMATION.is_match(sentence)
}

/// Whether `line` introduces quoted text ("On …, X wrote:").
pub fn is_attribution(line: &str) -> bool {
    // Every attribution starts with "on", "-" or "from:": most lines need no regex (its
    // `.{0,200}` is too big a DFA to store, so it compiles at first use).
    let line = line.trim();
    let starts = |prefix: &str| {
        line.get(..prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    (starts("on") || starts("-") || starts("from:")) && ATTRIBUTION.is_match(line)
}

/// A question too short to stand alone that continues the one before it: "Can I pay by card?
/// Or by bank transfer?"
pub fn is_elliptical(question: &str) -> bool {
    static OPENS_CLAUSE: BuiltInRegex = BuiltInRegex::new(patterns::OPENS_CLAUSE);
    let words = crate::document::sentences::words(question).count();
    (1..=4).contains(&words) && !OPENS_CLAUSE.is_match(question)
}

/// From this probability of the question model a sentence that neither carries a "?" nor opens
/// or asks like a question is a request for information: held out on `data/questions/`
/// (`--heldout` prints the sweep), the whole detector's F1 is best from 0.7 to 0.8 (0.93), and
/// this is the more precise end.
pub const ASKS_THRESHOLD: f32 = 0.8;

/// Classifies one sentence: `Some(kind)` when it asks something.
pub fn classify(sentence: &str) -> Option<Kind> {
    classify_by(sentence, |s| {
        crate::judge::asks_something(s) >= ASKS_THRESHOLD
    })
}

/// [`classify`] with the question model's verdict given by `model_asks` (the training
/// command's held-out figures score the whole detector with a model that has not seen the text).
pub fn classify_by(sentence: &str, model_asks: impl FnOnce(&str) -> bool) -> Option<Kind> {
    let s = sentence.trim();
    if s.is_empty() || is_attribution(s) {
        return None;
    }
    if s.contains(['?', '？']) {
        return (!is_rhetorical(s)).then_some(Kind::Explicit);
    }
    // "How to reproduce" heads a bug report's steps: a label, not a question.
    let template_heading = s
        .get(..16)
        .is_some_and(|start| start.eq_ignore_ascii_case("how to reproduce"));
    if (IMPLICIT.is_match(s) && !ANNOUNCES.is_match(s))
        || QUESTION_OPENING.is_match(s) && !template_heading
    {
        return (!is_rhetorical(s)).then_some(Kind::Implicit);
    }
    // Requests for information or help in other words ("any advice appreciated", "need a fix
    // for the login loop"): the question model, trained on customer messages, decides.
    if model_asks(s) && !is_rhetorical(s) {
        return Some(Kind::Implicit);
    }
    None
}

/// The block's sentences, with a line the sentence splitter cut off before a capital joined
/// back to the sentence it starts: "How does it compare with Zentro's\nBusiness plan?"
fn sentences(block: &Block) -> Vec<Range<usize>> {
    static GREETING: BuiltInRegex = BuiltInRegex::new(patterns::GREETING);
    let mut out: Vec<Range<usize>> = Vec::new();
    for range in block.sentences() {
        if let Some(last) = out.last_mut() {
            let prev = &block.prose[last.clone()];
            let between = &block.prose[last.end..range.start];
            let cut_mid_clause = between.matches('\n').count() == 1
                && !prev
                    .trim_end()
                    .ends_with(['.', ',', '!', '?', ':', ';', '…'])
                && !GREETING.is_match(prev)
                && !is_attribution(prev)
                && crate::document::sentences::words(prev).count() >= 3;
            if cut_mid_clause {
                last.end = range.end;
                continue;
            }
        }
        out.push(range.clone());
    }
    out
}

/// The questions in one block, sentence by sentence.
pub fn in_block(block: &Block) -> Vec<Found> {
    let mut out = Vec::new();
    for range in sentences(block) {
        let text = &block.prose[range.clone()];
        // An attribution line may be glued to the sentence after it by line joining.
        let (offset, text) = match text.split_once('\n') {
            Some((first, rest)) if is_attribution(first) => (text.len() - rest.len(), rest),
            _ => (0, text),
        };
        if let Some(kind) = classify(text) {
            let start = range.start + offset + (text.len() - text.trim_start().len());
            let end = range.start + offset + text.trim_end().len();
            if start < end {
                out.push(Found {
                    prose: start..end,
                    kind,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_and_implicit_questions_are_found() {
        assert_eq!(classify("Where is my order?"), Some(Kind::Explicit));
        assert_eq!(
            classify("I was wondering whether the plan includes phone support."),
            Some(Kind::Implicit)
        );
        assert_eq!(
            classify("Please explain why I was charged twice."),
            Some(Kind::Implicit)
        );
        assert_eq!(
            classify("Is there any way to move my booking to Friday."),
            Some(Kind::Implicit)
        );
        assert_eq!(
            classify("how do you add a second driver"),
            Some(Kind::Implicit)
        );
        assert_eq!(
            classify("I'd like to know when it ships."),
            Some(Kind::Implicit)
        );
        assert_eq!(
            classify("How to move my saved passwords to a new laptop"),
            Some(Kind::Implicit)
        );
        assert_eq!(
            classify("Where to find the invoice for March"),
            Some(Kind::Implicit)
        );
    }

    #[test]
    fn short_follow_ups_continue_the_question_before() {
        assert!(is_elliptical("Or in the app?"));
        assert!(is_elliptical("Or by card?"));
        assert!(!is_elliptical("Is it free?"));
        assert!(!is_elliptical("Where is my order now, and who has it?"));
    }

    #[test]
    fn venting_greetings_and_statements_are_not_questions() {
        for s in [
            "Seriously??",
            "wtf?",
            "How hard can it be?!",
            "What?",
            "#fail?",
            "Hi Sam, how are you?",
            "My parcel arrived broken.",
            "On Tue, 3 Mar 2025 at 10:02, Sam <sam@example.com> wrote:",
            "I want to ask this, because it is my first order.",
            "How to reproduce:",
            "How to reproduce",
            "How to use this, step by step, is in the guide below: it covers setup, sign-in and sync.",
        ] {
            assert_eq!(classify(s), None, "{s}");
        }
    }
}
