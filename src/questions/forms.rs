//! The answer forms of a reply sentence ("Yes, …", a date, steps, a cause, …), each searched
//! with a bare lazy DFA.
//!
//! Why: a question is scored against every sentence of the reply, and each sentence asks for
//! about six of the twelve form patterns. Through `regex::Regex` the per-call cost dominated on
//! short sentences (2,400 instructions a call on the docs corpus: the engine's set-up and a
//! literal prefilter that finds candidates in most sentences). A forward lazy DFA per pattern
//! (ASCII mode, stopping at the first match) only scans the bytes. One DFA of all twelve
//! patterns was tried: it scans once, but builds so many more states that it cost more.
//!
//! Only for ASCII text, where a pattern's ASCII-mode form matches what its Unicode form does
//! (a property test checks each pattern both ways), and only once a run has offered more than
//! [`FIXED_PREBUILT_UNTIL`] bytes: a draft keeps using the DFAs stored in the binary and
//! compiles nothing. Otherwise [`FormSearch::is_match`] says `None` and the caller searches the
//! pattern as before.

use std::cell::RefCell;
use std::sync::atomic::AtomicUsize;
use std::sync::OnceLock;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::util::syntax;
use regex_automata::Input;

use super::patterns;
use crate::engine::lazy::count_bytes;
use crate::engine::prebuilt::FIXED_PREBUILT_UNTIL;

/// One answer form; its value is the pattern's index in [`PATTERNS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    Generic,
    Offer,
    Sympathy,
    NoInfo,
    YesNoAnswer,
    Time,
    Number,
    Steps,
    Cause,
    Docs,
    Pointer,
    Redirect,
}

/// The pattern of each [`Form`], in the enum's order.
pub const PATTERNS: [&str; 12] = [
    patterns::GENERIC,
    patterns::OFFER,
    patterns::SYMPATHY,
    patterns::NO_INFO,
    patterns::YES_NO_ANSWER,
    patterns::TIME,
    patterns::NUMBER,
    patterns::STEPS,
    patterns::CAUSE,
    patterns::DOCS_POINTER,
    patterns::POINTER,
    patterns::REDIRECT,
];

/// How much text a run has offered the form DFAs.
pub struct FormSearch {
    offered: AtomicUsize,
}

/// The run's form search.
pub static FORM_SEARCH: FormSearch = FormSearch {
    offered: AtomicUsize::new(0),
};

/// Each form's forward lazy DFA, built when first needed (`None` if it does not build).
static DFAS: [OnceLock<Option<DFA>>; 12] = [const { OnceLock::new() }; 12];

fn build(pattern: &str) -> Option<DFA> {
    let ascii = syntax::Config::new().unicode(false).utf8(false);
    DFA::builder().syntax(ascii).build(pattern).ok()
}

thread_local! {
    /// Each thread's lazy-DFA states, one cache per form, built as its sentences need them.
    static CACHES: RefCell<[Option<Cache>; 12]> = RefCell::new(Default::default());
}

impl FormSearch {
    /// Whether `text` has `form`, or `None` when the caller should search the pattern itself:
    /// `text` is not ASCII, or the run has offered little text yet.
    pub fn is_match(&self, form: Form, text: &str) -> Option<bool> {
        if !text.is_ascii() {
            return None;
        }
        let before = count_bytes(&self.offered, text.len(), FIXED_PREBUILT_UNTIL);
        if before <= FIXED_PREBUILT_UNTIL {
            return None;
        }
        search_ascii(form, text)
    }
}

/// Whether ASCII `text` has `form`, whatever the run has searched.
fn search_ascii(form: Form, text: &str) -> Option<bool> {
    let at = form as usize;
    let dfa = DFAS[at].get_or_init(|| build(PATTERNS[at])).as_ref()?;
    let input = Input::new(text).earliest(true);
    CACHES.with(|caches| {
        let mut caches = caches.borrow_mut();
        let cache = caches[at].get_or_insert_with(|| dfa.create_cache());
        dfa.try_search_fwd(cache, &input)
            .ok()
            .map(|found| found.is_some())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    /// Each pattern compiled as `BuiltInRegex` compiles it (Unicode, flags as written).
    static COMPILED: LazyLock<Vec<regex::Regex>> = LazyLock::new(|| {
        PATTERNS
            .iter()
            .map(|p| regex::Regex::new(p).unwrap())
            .collect()
    });

    /// The words of the twelve patterns, to build texts they may match.
    static WORDS: LazyLock<Vec<String>> =
        LazyLock::new(|| crate::engine::prebuilt::tests::words_of(&PATTERNS));

    const FORMS: [Form; 12] = [
        Form::Generic,
        Form::Offer,
        Form::Sympathy,
        Form::NoInfo,
        Form::YesNoAnswer,
        Form::Time,
        Form::Number,
        Form::Steps,
        Form::Cause,
        Form::Docs,
        Form::Pointer,
        Form::Redirect,
    ];

    fn has(form: Form, text: &str) -> bool {
        search_ascii(form, text).unwrap()
    }

    #[test]
    fn forms_of_plain_sentences() {
        let text = "Yes, you can reinstall it by Monday because of an outage.";
        for form in [Form::YesNoAnswer, Form::Time, Form::Steps, Form::Cause] {
            assert!(has(form, text), "{form:?}");
        }
        assert!(!has(Form::Number, text));
        let offer = "We'd be happy to help!";
        assert!(has(Form::Offer, offer) && has(Form::Generic, offer));
        assert!(!has(Form::Sympathy, offer));
    }

    proptest::proptest! {
        /// On ASCII text each form's DFA says what its compiled pattern says.
        #[test]
        fn each_form_dfa_agrees_with_its_compiled_pattern(
            lead in proptest::sample::select(vec!["", " ", "  ", "\n", "\t ", "- ", ", "]),
            parts in proptest::collection::vec(
                (0..10_000usize, proptest::sample::select(vec![" ", "  ", ", ", "? ", ". ", "! ", "\n", "-", ": ", "; ", "#", "@", "@x ", "$4", " 10:30 ", " 2024 ", "'", "'s ", "^", "www.", "https://", "ed "])),
                0..12,
            ),
            upper: bool,
        ) {
            let mut text = lead.to_string();
            for (word, glue) in parts {
                text.push_str(&WORDS[word % WORDS.len()]);
                text.push_str(glue);
            }
            if upper {
                text = text.to_uppercase();
            }
            for form in FORMS {
                let want = COMPILED[form as usize].is_match(&text);
                proptest::prop_assert_eq!(has(form, &text), want, "{:?} on {:?}", form, text);
            }
        }
    }
}
