//! A phrase catalogue's leftmost-first alternation for ASCII text (see
//! [`PhraseSet`](super::phrases::PhraseSet)), searched in two parts: the patterns that can
//! start with a word character, and those that can only start with punctuation (emoticons:
//! `:-)`, `<3`, `:tada:`), which are searched apart, only where one of their first bytes
//! occurs.
//!
//! Why: a lazy DFA builds a state for each set of partial matches it meets. A punctuation
//! pattern's partial matches start at every `:` of a URL or a "Note:", and join those of the
//! word patterns, so it multiplies the states: on the docs corpus CannedFiller's one emoticon
//! pattern doubled the states its alternation built, over 2% of a whole run's instructions.
//! Apart, behind a search for its four first bytes, it costs almost nothing.
//!
//! The two parts' matches merge into exactly the matches of the one alternation: a
//! leftmost-first alternation's next match is the one that starts first, and a match of one
//! part never starts where one of the other could (the parts' first bytes differ), so there is
//! no tie to break. When that does not hold the catalogue stays whole.

use std::ops::Range;
use std::sync::OnceLock;

use regex_automata::util::prefilter::Prefilter;
use regex_automata::{meta, Input, MatchKind};

use super::catalogue_gate::Gate;
use super::lazy::lean_config;
use super::literals::{ascii_start, ascii_syntax, AsciiStart};
use super::prebuilt::built_in_ascii_start;

#[derive(Debug)]
pub struct AsciiAlternation {
    /// The patterns that can start with a word character, as one alternation.
    words: meta::Regex,
    /// The others, if any, as one alternation searched only where one of their first bytes
    /// is. No pattern of `words` can start with one of those bytes.
    punctuation: Option<meta::Regex>,
    /// How many patterns `punctuation` holds.
    apart: usize,
    /// For a built-in catalogue: its gate, asked first (see [`Gate`]).
    gate: Option<Gate>,
}

/// The next match of `regex` at or after `at`.
fn next_match(regex: &meta::Regex, text: &[u8], at: usize) -> Option<Range<usize>> {
    regex
        .find(Input::new(text).span(at..text.len()))
        .map(|m| m.range())
}

impl AsciiAlternation {
    /// The alternation of `patterns` (as wrapped, case-insensitive), each in ASCII mode, or
    /// with Unicode (`(?u:...)`) if it needs it (`\p{...}`, `[éè]`).
    pub fn new(patterns: &[String]) -> Result<AsciiAlternation, String> {
        let mut branches = Vec::with_capacity(patterns.len());
        let mut starts = Vec::with_capacity(patterns.len());
        for p in patterns {
            let start = built_in_ascii_start(p).unwrap_or_else(|| ascii_start(p));
            let ascii_mode = start.as_ref().is_none_or(|s| s.ascii_mode);
            branches.push(if ascii_mode {
                p.clone()
            } else {
                format!("(?u:{p})")
            });
            starts.push(start);
        }
        let mut apart = split(&starts);
        let mut first_bytes: Vec<[u8; 1]> = starts
            .iter()
            .zip(&apart)
            .filter(|(_, &a)| a)
            .flat_map(|(s, _)| s.iter().flat_map(|s| s.bytes.clone()))
            .map(|b| [b])
            .collect();
        first_bytes.sort_unstable();
        first_bytes.dedup();
        let prefilter = apart
            .contains(&true)
            .then(|| Prefilter::new(MatchKind::LeftmostFirst, &first_bytes))
            .flatten();
        if prefilter.is_none() {
            apart.fill(false);
        }
        let join = |keep: bool| -> String {
            let kept: Vec<&str> = branches
                .iter()
                .zip(&apart)
                .filter(|(_, &a)| a == keep)
                .map(|(b, _)| b.as_str())
                .collect();
            kept.join("|")
        };
        // The lean engines; the punctuation part also looks for its first bytes.
        let compile = |pattern: String, prefilter: Option<Prefilter>| {
            let config = lean_config(super::lazy::dfa_size_limit(&pattern)).prefilter(prefilter);
            meta::Builder::new()
                .configure(config)
                .syntax(ascii_syntax())
                .build(&pattern)
                .map_err(|e| e.to_string())
        };
        let words = compile(join(false), None)?;
        let punctuation = match prefilter {
            Some(prefilter) => Some(compile(join(true), Some(prefilter))?),
            None => None,
        };
        Ok(AsciiAlternation {
            words,
            punctuation,
            apart: apart.iter().filter(|&&a| a).count(),
            gate: Gate::lookup(patterns),
        })
    }

    /// The non-overlapping leftmost-first matches in `text` (ASCII), none empty. `gates` keeps
    /// the built-in catalogues' verdict on `text` (see [`Gate::may_match`]).
    pub fn find_all(&self, text: &[u8], gates: Option<&OnceLock<u32>>) -> Vec<Range<usize>> {
        if !self.may_match(text, gates) {
            return Vec::new();
        }
        let Some(punctuation) = &self.punctuation else {
            return self
                .words
                .find_iter(text)
                .map(|m| m.range())
                .filter(|m| !m.is_empty())
                .collect();
        };
        // Each part's next match at or after `at`: still its next one for any later `at` up to
        // the match's start (nothing of the part starts before it), so it is searched again
        // only once passed. No two start at the same byte: the parts' first bytes differ.
        let mut word: Option<Option<Range<usize>>> = None;
        let mut mark: Option<Option<Range<usize>>> = None;
        let mut out = Vec::new();
        let mut at = 0;
        loop {
            if stale(&word, at) {
                word = Some(next_match(&self.words, text, at));
            }
            if stale(&mark, at) {
                mark = Some(next_match(punctuation, text, at));
            }
            let next = match (word.clone().flatten(), mark.clone().flatten()) {
                (Some(w), Some(p)) => Some(if p.start < w.start { p } else { w }),
                (w, p) => w.or(p),
            };
            let Some(m) = next else {
                return out;
            };
            at = m.end;
            out.push(m);
        }
    }

    pub fn is_match(&self, text: &[u8], gates: Option<&OnceLock<u32>>) -> bool {
        self.may_match(text, gates)
            && (self.words.is_match(text)
                || self.punctuation.as_ref().is_some_and(|p| p.is_match(text)))
    }

    /// False when the gate says no pattern matches in `text`.
    fn may_match(&self, text: &[u8], gates: Option<&OnceLock<u32>>) -> bool {
        self.gate.is_none_or(|gate| gate.may_match(text, gates))
    }

    /// How many patterns are searched apart (for tests).
    pub fn punctuation_patterns(&self) -> usize {
        self.apart
    }
}

/// Whether a part's remembered next match must be searched again from `at`.
fn stale(next: &Option<Option<Range<usize>>>, at: usize) -> bool {
    match next {
        None => true,
        Some(Some(m)) => m.start < at,
        Some(None) => false,
    }
}

/// Which patterns to search apart: those that cannot start with a word character, as long as
/// no other pattern can start with one of their first bytes (then a match of each part starts
/// where no match of the other can, and the merge needs no pattern order), no pattern can
/// match empty text (every match is then a step forward) and some pattern stays (an empty
/// alternation would match empty text everywhere). None when that does not hold.
fn split(starts: &[Option<AsciiStart>]) -> Vec<bool> {
    let none = vec![false; starts.len()];
    let Some(starts) = starts.iter().cloned().collect::<Option<Vec<AsciiStart>>>() else {
        return none;
    };
    if starts.iter().any(|s| s.empty) {
        return none;
    }
    let apart: Vec<bool> = starts
        .iter()
        .map(|s| !s.bytes.is_empty() && !s.bytes.iter().any(|&b| is_word_byte(b)))
        .collect();
    let mut punctuation = [false; 128];
    for (s, _) in starts.iter().zip(&apart).filter(|(_, &a)| a) {
        for &b in &s.bytes {
            punctuation[b as usize] = true;
        }
    }
    let overlap = starts
        .iter()
        .zip(&apart)
        .filter(|(_, &a)| !a)
        .any(|(s, _)| s.bytes.iter().any(|&b| punctuation[b as usize]));
    if overlap || apart.iter().all(|&a| a) {
        none
    } else {
        apart
    }
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn first(pattern: &str) -> AsciiStart {
        ascii_start(pattern).unwrap()
    }

    #[test]
    fn first_bytes_follow_optional_parts_and_ignore_non_ascii() {
        let emoticons = first(r"(?:(?::-?\)|<3|\^_\^|(?u:\p{Extended_Pictographic})|:[a-z_]+:)+)");
        assert_eq!(emoticons.bytes, b":<^");
        assert!(!emoticons.empty);
        let greeting = first(r"(?-u:\b)(?:(?:kind )?regards)(?-u:\b)");
        assert_eq!(greeting.bytes, b"KRkr");
        assert_eq!(first("(?:x?)*").bytes, b"Xx");
        assert!(first("(?:x?)*").empty);
    }

    const PATTERNS: [&str; 6] = [
        r"(?-u:\b)(?:thanks?)(?-u:\b)",
        r"(?:(?::-?\)|<3|:[a-z_]+:|\p{Extended_Pictographic})+)",
        r"(?-u:\b)(?:see\s+:ok:)(?-u:\b)",
        r"(?:<3\s+you)",
        r"(?-u:\b)(?:ok)(?-u:\b)",
        r"(?:;-?\))",
    ];

    fn alternation() -> AsciiAlternation {
        let patterns: Vec<String> = PATTERNS.iter().map(|p| p.to_string()).collect();
        AsciiAlternation::new(&patterns).unwrap()
    }

    #[test]
    fn emoticon_patterns_are_searched_apart() {
        assert_eq!(alternation().punctuation_patterns(), 3);
        // A word pattern that may start with `<` keeps the catalogue whole.
        let patterns = [PATTERNS[0], PATTERNS[1], r"(?:<?hi)"].map(String::from);
        assert_eq!(
            AsciiAlternation::new(&patterns)
                .unwrap()
                .punctuation_patterns(),
            0
        );
        // So does a catalogue of emoticons only.
        let patterns = [PATTERNS[1], PATTERNS[5]].map(String::from);
        let emoticons = AsciiAlternation::new(&patterns).unwrap();
        assert_eq!(emoticons.punctuation_patterns(), 0);
        assert_eq!(emoticons.find_all(b"ok :) ;)", None), [3..5, 6..8]);
    }

    proptest::proptest! {
        /// The two parts merged find what the one alternation finds.
        #[test]
        fn the_parts_find_what_the_alternation_finds(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "thanks", "Thank", "see", "ok", "OK", ":ok:", ":-)", ":)", "<3", "you", ";)",
                ";-)", ":", "x", "_", "http://", "\n",
            ]), 0..20),
            glue in proptest::sample::select(vec![" ", "", "  "]),
        ) {
            let text = words.join(glue);
            let one = Regex::new(&format!("(?i){}", PATTERNS.join("|"))).unwrap();
            let expected: Vec<Range<usize>> = one.find_iter(&text).map(|m| m.range()).collect();
            let split = alternation();
            proptest::prop_assert_eq!(split.find_all(text.as_bytes(), None), expected.clone());
            proptest::prop_assert_eq!(split.is_match(text.as_bytes(), None), !expected.is_empty());
        }
    }
}
