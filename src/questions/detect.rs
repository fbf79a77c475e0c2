//! Finding the questions in a customer's message.
//!
//! What it catches: explicit questions ("Where is my order?") and implicit ones with no question
//! mark ("I was wondering whether the plan includes support", "Please explain why I was
//! charged twice", "Is there any way to change the date").
//! Why it matters: a reply can only be checked against the questions it had to answer; about one
//! question in five in email has no "?".
//! What it leaves out: rhetorical venting ("Seriously??", "wtf?", "how hard can it be?!"),
//! greetings ("How are you?") and "On Monday, Sam wrote:" attribution lines.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

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

static IMPLICIT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \b(?:i\s+was|i'?m|i\s+am|just|was)\s+wondering\b
        | \bwondering\s+(?:if|whether|why|how|what|when|where|who|which)\b
        | \b(?:can|could|would|will)\s+(?:you|someone|anyone|somebody)\s+(?:please\s+)?(?:tell|let\s+me\s+know|explain|confirm|advise|clarify|check|help|look|assist|send|share|point)\b
        | \b(?:i'?d|i\s+would|we'?d|we\s+would)\s+(?:like|love)\s+to\s+(?:know|ask|understand|find\s+out|learn|get)\b
        | \b(?:i|we)\s+(?:want|wanted|need|needed)\s+to\s+(?:know|ask|understand|find\s+out)\b
        | \bneed(?:ed)?\s+to\s+know\b
        | \bplease\s+(?:explain|tell|let\s+(?:me|us)\s+know|advise|confirm|clarify|assist|help|check|look)\b
        | \bis\s+there\s+(?:any|a|some)\s+(?:way|chance|option|possibility|plan|eta|update|news)\b
        | \blet\s+(?:me|us)\s+know\s+(?:if|whether|when|how|what|why|where)\b
        | \bany\s+(?:idea|ideas|info|information|update|updates|news|eta|word)\s+(?:on|about|why|when|if|whether|how|what|regarding)\b
        | \bi\s+(?:don'?t|do\s+not|can'?t|cannot)\s+(?:know|understand|figure\s+out|find|tell)\s+(?:why|how|what|whether|if|where|when)\b
        | \b(?:can|may)\s+i\s+(?:know|ask|get|have)\b
        | \bappreciate\s+(?:it\s+)?if\s+you\s+could\b
        | \bany\s+feed\s*back\b
        | \b(?:need|want|needed)\s+(?:an?\s+)?(?:eta|answer|update|explanation)\b
        ",
    )
    .expect("valid implicit-question regex")
});

/// Sentences that open like a question but lack the mark: "how do you add a driver".
static QUESTION_OPENING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:(?:hi|hello|hey|so|and|also|but|btw|ok|okay)\W+)*
        (?:(?:how|what|why|when|where|which|who)(?:'s|\s+(?:do|does|did|is|are|was|were|can|could|should|would|will|much|many|long|often))
          | (?:is|are|do|does|did|can|could|will|would|should|has|have)\s+(?:you|i|we|it|there|this|that|the|my|your|our|they)\b)",
    )
    .expect("valid question-opening regex")
});

/// Questions that only vent, and greetings.
static RHETORICAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)
        \bwtf\b | \bwth\b | \bomfg\b | \bwhat\s+the\s+(?:hell|heck|fuck|f)\b
        | \bhow\s+hard\s+(?:can|could|is)\s+it\b
        | \bare\s+you\s+(?:kidding|serious|joking)\b
        | \bis\s+this\s+a\s+joke\b
        | \byou\s+(?:guys\s+)?call\s+this\b
        | \bhow\s+(?:is|was)\s+(?:this|that)\s+(?:ok|okay|acceptable|fair|legal)\b
        | \bhow\s+(?:are|r)\s+(?:you|u|ya)\b | \bhow'?s\s+it\s+going\b | \bhope\s+(?:you|u)\s*(?:'re|\s+are)\s+well\b
        | \bhow\s+do\s+you\s+(?:sleep|justify|live\s+with)\b
        | \bi\s+guess\b.*\bright\W*$
        ",
    )
    .expect("valid rhetorical regex")
});

/// A question that is nothing but an exclamation: "What?", "Seriously??", "#fail?".
static BARE_EXCLAMATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^\W*(?:(?:what|seriously|really|huh|why|excuse\s+me|come\s+on|omg|umm*|uh+|ok|sorry|hello|hi|hey|are\s+you\s+serious|you\s+serious|srsly|no|yes|right)\W*)+$|^\W*(?:[\#@]\w+\W*)+$",
    )
    .expect("valid exclamation regex")
});

/// "On Tue, 3 Mar 2025, Sam <sam@example.com> wrote:" and "-----Original Message-----".
static ATTRIBUTION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:on\b.{0,200}\bwrote:?\s*$|-{2,}\s*original message\s*-{2,}|from:\s)")
        .expect("valid attribution regex")
});

/// "I want to ask this, because…": announces a question without asking it.
static ANNOUNCES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?:want|wanted|like|need)\s+to\s+ask(?:\s+(?:this|you|something|a\s+question))?\s*(?:,|\bbecause\b|\bbecase\b|\bsince\b|$)")
        .expect("valid announcement regex")
});

/// Whether `sentence` only vents or greets (asks nothing).
pub fn is_rhetorical(sentence: &str) -> bool {
    RHETORICAL.is_match(sentence) || BARE_EXCLAMATION.is_match(sentence)
}

/// Whether `line` introduces quoted text ("On …, X wrote:").
pub fn is_attribution(line: &str) -> bool {
    ATTRIBUTION.is_match(line.trim())
}

/// A question too short to stand alone that continues the one before it: "Is it in the
/// remote itself? Under setup or help?"
pub fn is_elliptical(question: &str) -> bool {
    static OPENS_CLAUSE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^\W*(?:how|what|why|when|where|which|who|is|are|was|were|do|does|did|can|could|will|would|should|has|have|may|am|any)\b")
            .expect("valid clause-opening regex")
    });
    let words = crate::document::sentences::words(question).count();
    (1..=4).contains(&words) && !OPENS_CLAUSE.is_match(question)
}

/// Classifies one sentence: `Some(kind)` when it asks something.
pub fn classify(sentence: &str) -> Option<Kind> {
    let s = sentence.trim();
    if s.is_empty() || is_attribution(s) {
        return None;
    }
    if s.contains(['?', '？']) {
        return (!is_rhetorical(s)).then_some(Kind::Explicit);
    }
    if (IMPLICIT.is_match(s) && !ANNOUNCES.is_match(s)) || QUESTION_OPENING.is_match(s) {
        return (!is_rhetorical(s)).then_some(Kind::Implicit);
    }
    None
}

/// The block's sentences, with a line the sentence splitter cut off before a capital joined
/// back to the sentence it starts: "How does it compare with Zentro's\nBusiness plan?"
fn sentences(block: &Block) -> Vec<Range<usize>> {
    static GREETING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)^\W*(?:hi|hello|hey|dear|thanks|thank\s+you|cheers|regards|best|sent\s+from)\b",
        )
        .expect("valid greeting regex")
    });
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
    }

    #[test]
    fn short_follow_ups_continue_the_question_before() {
        assert!(is_elliptical("Under setup or help?"));
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
        ] {
            assert_eq!(classify(s), None, "{s}");
        }
    }
}
