//! A catalogue of patterns (the phrases of `extends: filler`, the cues of `extends: framing`)
//! searched without compiling the catalogue as a whole until a run has much text to search.
//!
//! Small runs (a draft, a handful of files): each pattern compiles on its own the first time a
//! text may hold it, and one Aho-Corasick pass over a text tells which patterns may: every
//! match of a pattern holds one of its required literals (see [`required_literals`]), so a
//! pattern none of whose literals occur in a text cannot match it. A pattern without usable
//! literals is always a candidate.
//! Large runs: once [`BULK_AFTER`] bytes have been searched, the whole catalogue is compiled as
//! one alternation (and one [`RegexSet`]), whose lazy DFA then scans each text once, faster per
//! byte than several patterns each scanning it.
//! Why: one alternation of a large case-insensitive catalogue takes tens of milliseconds to
//! compile; a draft needs two or three of its patterns.
//!
//! Both ways give the same matches: those of the leftmost-first alternation of every pattern in
//! order (the `regex` crate's `find_iter` of `p0|p1|...`), as long as no pattern can match the
//! empty string (see [`matches_empty`]), and for [`Matcher::first`] the lowest-numbered pattern
//! that matches.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use regex_automata::{meta, Input};

use super::lazy::{Lazy, LazyRegex};

pub use super::literals::{matches_empty, required_literals, wrap_phrase};
use super::prefilter::FOLD_TRIGGERS;
use super::RuleSource;
use crate::error::ConfigError;

mod precomputed {
    include!(concat!(env!("OUT_DIR"), "/phrase_literals.rs"));
}

/// What `build.rs` worked out for a built-in catalogue pattern: its required literals and
/// whether it can match empty text. `None` for any other pattern.
fn built_in(wrapped: &str) -> Option<(Option<Vec<Vec<u8>>>, bool)> {
    let table = precomputed::PHRASE_LITERALS;
    let at = table.binary_search_by(|(p, ..)| (*p).cmp(wrapped)).ok()?;
    let (_, empty, lits) = table[at];
    Some((lits.map(|l| l.iter().map(|s| s.to_vec()).collect()), empty))
}
/// Bytes searched pattern by pattern before the whole catalogue is compiled as one.
pub const BULK_AFTER: usize = 256 << 10;

/// Case-insensitive patterns with a shared literal prefilter.
#[derive(Debug)]
pub struct PhraseSet {
    /// Each pattern as wrapped, without the `(?i)` it compiles with.
    patterns: Vec<String>,
    regexes: Vec<Lazy<meta::Regex>>,
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the phrases it belongs to (empty: a case-fold trigger).
    owners: Vec<Vec<usize>>,
    /// Phrases without literals.
    always: Vec<usize>,
    /// Every pattern in one leftmost-first alternation, for large runs.
    alternation: LazyRegex,
    scanned: AtomicUsize,
    bulk_after: usize,
}

/// `pattern` compiled with only the engines a phrase search needs (no one-pass DFA,
/// backtracker or literal prefilter): about half the compile time of a `regex::Regex`, which
/// matters to a draft that compiles a dozen patterns. Same matches.
fn lean(pattern: &str) -> Result<meta::Regex, String> {
    let config = meta::Config::new()
        .nfa_size_limit(Some(super::lazy::SIZE_LIMIT))
        .hybrid_cache_capacity(super::lazy::DFA_SIZE_LIMIT)
        .onepass(false)
        .backtrack(false)
        .auto_prefilter(false);
    meta::Builder::new()
        .configure(config)
        .build(pattern)
        .map_err(|e| e.to_string().replace('\n', " "))
}

/// One match of a [`PhraseSet`]: which pattern, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    pub phrase: usize,
    pub range: Range<usize>,
}

impl PhraseSet {
    /// The catalogue of a rule: each of `phrases` (as written, and whether it is `nonword`) is
    /// wrapped with [`wrap_phrase`] and must parse; with `reject_empty`, one that can match empty
    /// text is an error too. Errors name the phrase's line. The built-in catalogues' literals
    /// were worked out when Candor was built, so loading them parses nothing.
    pub fn compile(
        src: &RuleSource<'_>,
        phrases: &[(&str, bool)],
        reject_empty: bool,
    ) -> Result<PhraseSet, ConfigError> {
        let mut patterns = Vec::with_capacity(phrases.len());
        let mut literals = Vec::with_capacity(phrases.len());
        for &(phrase, nonword) in phrases {
            let wrapped = wrap_phrase(phrase, nonword);
            let (lits, empty) = match built_in(&wrapped) {
                Some(known) => known,
                None => {
                    // The phrase must parse alone (so that `a)|(b` cannot break out of its
                    // wrapping); on an error, show it as written rather than its wrapping.
                    let alone = regex_syntax::ast::parse::Parser::new().parse(phrase);
                    let hir = match (alone, regex_syntax::Parser::new().parse(&wrapped)) {
                        (Ok(_), Ok(hir)) => hir,
                        _ => {
                            src.check_regex(phrase, phrase)?;
                            src.check_regex(&wrapped, phrase)?
                        }
                    };
                    (required_literals(&hir), matches_empty(&hir))
                }
            };
            if reject_empty && empty {
                return Err(src.error_at(phrase, format!("phrase `{phrase}` can match empty text")));
            }
            patterns.push(wrapped);
            literals.push(lits);
        }
        Ok(PhraseSet::new(&patterns, literals))
    }

    /// A set of `patterns`, matched case-insensitively (each compiles as `(?i)pattern`), with
    /// each one's required literals (`None`: always a candidate).
    pub fn new(patterns: &[String], required: Vec<Option<Vec<Vec<u8>>>>) -> PhraseSet {
        debug_assert_eq!(patterns.len(), required.len());
        let mut strings: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, lits) in required.into_iter().enumerate() {
            match lits {
                Some(lits) => {
                    for s in lits.iter().map(|s| s.to_ascii_lowercase()) {
                        match strings.iter().position(|t| *t == s) {
                            Some(at) => {
                                if owners[at].last() != Some(&i) {
                                    owners[at].push(i);
                                }
                            }
                            None => {
                                strings.push(s);
                                owners.push(vec![i]);
                            }
                        }
                    }
                }
                None => always.push(i),
            }
        }
        for t in FOLD_TRIGGERS {
            strings.push(t.as_bytes().to_vec());
            owners.push(Vec::new());
        }
        let automaton = AhoCorasickBuilder::new()
            // Built for every run that lints anything, used only until the run goes bulk: the
            // contiguous NFA builds in microseconds, a DFA in milliseconds.
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&strings)
            .ok();
        if automaton.is_none() {
            always = (0..patterns.len()).collect();
        }
        PhraseSet {
            patterns: patterns.to_vec(),
            regexes: patterns
                .iter()
                .map(|p| Lazy::with(format!("(?i){p}"), lean))
                .collect(),
            automaton,
            owners,
            always,
            alternation: LazyRegex::new(format!("(?i){}", patterns.join("|"))),
            scanned: AtomicUsize::new(0),
            bulk_after: BULK_AFTER,
        }
    }

    /// This set, compiling the whole catalogue after `bytes` searched bytes instead of
    /// [`BULK_AFTER`] (0: at once; `usize::MAX`: never). For tests and benchmarks.
    pub fn with_bulk_after(mut self, bytes: usize) -> PhraseSet {
        self.bulk_after = bytes;
        self
    }

    /// Counts `text` as searched and says whether to search it with the whole catalogue.
    fn bulk(&self, text: &str) -> bool {
        let before = self.scanned.fetch_add(text.len(), Ordering::Relaxed);
        before.saturating_add(text.len()) > self.bulk_after
    }

    /// The non-overlapping leftmost-first matches in `text` of the alternation of every
    /// pattern. Errs when a pattern does not compile.
    pub fn find_all(&self, text: &str) -> Result<Vec<Range<usize>>, &str> {
        if self.bulk(text) {
            let all = self.alternation.get()?;
            return Ok(all
                .find_iter(text)
                .filter(|m| !m.is_empty())
                .map(|m| m.range())
                .collect());
        }
        let candidates = self.candidates(text);
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .find_iter(text, &candidates)?
            .into_iter()
            .map(|m| m.range)
            .collect())
    }

    /// What to test the parts of `text` (its sentences) with, or `None` when no pattern can
    /// match anywhere in it. Either way the parts are tested with the patterns whose literals
    /// `text` holds, each alone (a set of every pattern, tested part by part, cost more time and
    /// memory); what tells whether any matches at all is, in large runs, the alternation.
    pub fn matcher(&self, text: &str) -> Result<Option<Matcher<'_>>, &str> {
        let bulk = self.bulk(text);
        if bulk && !self.alternation.get()?.is_match(text) {
            return Ok(None);
        }
        let candidates = self.candidates(text);
        if candidates.is_empty() {
            return Ok(None);
        }
        let regexes = candidates
            .iter()
            .map(|&i| self.regex(i).map(|r| (i, r)))
            .collect::<Result<Vec<_>, _>>()?;
        if !bulk && !regexes.iter().any(|(_, r)| r.is_match(text)) {
            return Ok(None);
        }
        Ok(Some(Matcher { regexes }))
    }
}

/// Tests parts of a text for the patterns of a [`PhraseSet`] (see [`PhraseSet::matcher`]).
#[derive(Debug)]
pub struct Matcher<'a> {
    /// The patterns that may match, each compiled alone.
    regexes: Vec<(usize, &'a meta::Regex)>,
}

impl Matcher<'_> {
    /// The lowest-numbered pattern that matches somewhere in `part`.
    pub fn first(&self, part: &str) -> Option<usize> {
        self.regexes
            .iter()
            .find(|(_, r)| r.is_match(part))
            .map(|(i, _)| *i)
    }
}

impl PhraseSet {
    /// The patterns, as wrapped (without `(?i)`).
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn len(&self) -> usize {
        self.regexes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty()
    }

    /// Pattern `i`, compiled on first use.
    pub fn regex(&self, i: usize) -> Result<&meta::Regex, &str> {
        self.regexes[i].get()
    }

    /// The patterns that may match somewhere in `text`, in ascending order.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        let Some(automaton) = &self.automaton else {
            return self.always.clone();
        };
        let mut hit = vec![false; self.len()];
        for &i in &self.always {
            hit[i] = true;
        }
        for m in automaton.find_overlapping_iter(text) {
            let owners = &self.owners[m.pattern().as_usize()];
            if owners.is_empty() {
                // A non-ASCII character that case-folds to an ASCII letter: any pattern may match.
                return (0..self.len()).collect();
            }
            for &i in owners {
                hit[i] = true;
            }
        }
        (0..self.len()).filter(|&i| hit[i]).collect()
    }

    /// The non-overlapping leftmost-first matches in `text` of the alternation of `candidates`
    /// (ascending pattern indices, usually [`PhraseSet::candidates`] of `text`), each with the
    /// pattern that made it. Errs when a pattern does not compile.
    pub fn find_iter(&self, text: &str, candidates: &[usize]) -> Result<Vec<PhraseMatch>, &str> {
        let regexes = candidates
            .iter()
            .map(|&i| self.regex(i))
            .collect::<Result<Vec<_>, _>>()?;
        // Each candidate's next match at or after `pos`: still its leftmost one for any later
        // `pos` up to the match's start, so each pattern searches again only once passed.
        let mut next: Vec<Option<Option<Range<usize>>>> = vec![None; candidates.len()];
        let mut out = Vec::new();
        let mut pos = 0;
        while pos <= text.len() {
            let mut best: Option<(usize, Range<usize>)> = None;
            for (k, re) in regexes.iter().enumerate() {
                let stale = match &next[k] {
                    None => true,
                    Some(Some(r)) => r.start < pos,
                    Some(None) => false,
                };
                if stale {
                    let from = Input::new(text).span(pos..text.len());
                    next[k] = Some(re.find(from).map(|m| m.range()));
                }
                if let Some(Some(r)) = &next[k] {
                    // Strictly earlier only: on a tie the earlier pattern (lower k) wins.
                    if best.as_ref().is_none_or(|(_, b)| r.start < b.start) {
                        best = Some((k, r.clone()));
                    }
                }
            }
            let Some((k, range)) = best else { break };
            pos = range.end;
            out.push(PhraseMatch {
                phrase: candidates[k],
                range,
            });
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::Regex;

    fn set(patterns: &[&str]) -> PhraseSet {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let literals = patterns
            .iter()
            .map(|p| required_literals(&regex_syntax::Parser::new().parse(p).unwrap()))
            .collect();
        PhraseSet::new(&patterns, literals)
    }

    /// The reference: one leftmost-first alternation of every pattern.
    fn alternation(patterns: &[&str], text: &str) -> Vec<(usize, Range<usize>)> {
        let wrapped: Vec<String> = patterns.iter().map(|p| format!("({p})")).collect();
        let re = Regex::new(&format!("(?i){}", wrapped.join("|"))).unwrap();
        re.captures_iter(text)
            .map(|c| {
                let i = (1..=patterns.len()).find(|&i| c.get(i).is_some()).unwrap();
                (i - 1, c.get(0).unwrap().range())
            })
            .collect()
    }

    fn found(s: &PhraseSet, text: &str) -> Vec<(usize, Range<usize>)> {
        let c = s.candidates(text);
        s.find_iter(text, &c)
            .unwrap()
            .into_iter()
            .map(|m| (m.phrase, m.range))
            .collect()
    }

    #[test]
    fn same_matches_as_one_alternation() {
        let patterns = [
            r"\bthank you for reaching out\b",
            r"\bthank you\b",
            r"\bhi\b",
            r"\bsorry(?: for the (?:delay|wait))?\b",
            r"\bfor the\b",
        ];
        let s = set(&patterns);
        for text in [
            "Hi! Thank you for reaching out. Sorry for the delay, thank you.",
            "THANK YOU for the wait; sorry for the wait",
            "nothing here",
            "this thinking is hi-fi",
        ] {
            assert_eq!(found(&s, text), alternation(&patterns, text), "{text}");
        }
    }

    const OVERLAPPING: [&str; 7] = [
        r"\bthank you for reaching out\b",
        r"\b(?:we|i)\s+(?:sincerely\s+)?apologi[sz]e(?:\s+for\s+the\s+delay)?\b",
        r"\bthanks?(?:\s+you)?\b",
        r"\b(?:hi|hey)\b",
        r"\bfor\s+the\b",
        r"(?::-?\)|<3)",
        r"\bsorry\b",
    ];

    proptest::proptest! {
        // Each case compiles a dozen regexes: few cases keep the debug test run short.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn both_ways_find_what_one_alternation_finds(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "thank", "Thank", "thanks", "you", "for", "reaching", "out", "we", "I",
                "apologise", "APOLOGIZE", "sincerely", "the", "delay", "hi", "hey", "sorry",
                ":)", "<3", "\u{212A}", "\n", ",", ".", "x",
            ]), 0..24),
            glue in proptest::sample::select(vec![" ", "", "\n", "  "]),
        ) {
            let text = words.join(glue);
            let reference: Vec<Range<usize>> =
                alternation(&OVERLAPPING, &text).into_iter().map(|(_, r)| r).collect();
            let few = set(&OVERLAPPING).with_bulk_after(usize::MAX);
            let bulk = set(&OVERLAPPING).with_bulk_after(0);
            proptest::prop_assert_eq!(&few.find_all(&text).unwrap(), &reference);
            proptest::prop_assert_eq!(&bulk.find_all(&text).unwrap(), &reference);
            let first = |s: &PhraseSet| s.matcher(&text).unwrap().and_then(|m| m.first(&text));
            let expected = (0..OVERLAPPING.len()).find(|&i| {
                Regex::new(&format!("(?i){}", OVERLAPPING[i])).unwrap().is_match(&text)
            });
            proptest::prop_assert_eq!(first(&few), expected);
            proptest::prop_assert_eq!(first(&bulk), expected);
        }
    }

    #[test]
    fn build_time_literals_cover_the_built_in_catalogues_and_agree_with_run_time() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/Candor");
        let mut covered = 0;
        for file in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
            let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
            let key = match doc["extends"].as_str() {
                Some("filler" | "buried_answer") => "phrases",
                Some("framing") => "cues",
                _ => continue,
            };
            for entry in doc["options"][key].as_sequence().unwrap() {
                let nonword = key == "phrases" && entry["nonword"].as_bool() == Some(true);
                let wrapped = wrap_phrase(entry["match"].as_str().unwrap(), nonword);
                let (lits, empty) = built_in(&wrapped).expect("worked out by build.rs");
                let hir = regex_syntax::Parser::new().parse(&wrapped).unwrap();
                assert_eq!(lits, required_literals(&hir), "{wrapped}");
                assert_eq!(empty, matches_empty(&hir), "{wrapped}");
                covered += 1;
            }
        }
        assert!(covered > 0);
    }

    #[test]
    fn only_patterns_whose_literals_occur_are_candidates() {
        let s = set(&[r"\bthank you\b", r"\bsorry\b", r"\b(?:a|an)\b"]);
        assert_eq!(s.candidates("Thank YOU"), [0, 2]);
        assert_eq!(s.candidates("nothing"), [2]);
        // The Kelvin sign folds to k: every pattern may match.
        assert_eq!(s.candidates("than\u{212A} you"), [0, 1, 2]);
        assert_eq!(found(&s, "than\u{212A} you"), [(0, 0..11)]);
    }

    #[test]
    fn patterns_compile_only_when_a_text_may_hold_them() {
        let s = set(&[r"\bthank you\b", r"\bsorry\b"]);
        found(&s, "thank you");
        assert!(s.regexes[0].is_compiled());
        assert!(!s.regexes[1].is_compiled());
    }

    fn required(p: &str) -> Option<Vec<String>> {
        let hir = regex_syntax::Parser::new().parse(p).unwrap();
        required_literals(&hir).map(|v| {
            v.into_iter()
                .map(|s| String::from_utf8(s).unwrap())
                .collect()
        })
    }

    #[test]
    fn required_literals_come_from_the_part_that_filters_best() {
        // "we"/"i" are too short; "apologi" is in every match.
        assert_eq!(
            required(r"\b(?:we|i)\s+(?:sincerely\s+)?apologi[sz]e for\b"),
            Some(vec!["apologi".to_string()])
        );
        // Each branch gives its own; optional parts give none.
        assert_eq!(
            required(r"(?:we\s+hope|sorry)(?:\s+truly)?"),
            Some(vec!["hope".to_string(), "sorry".to_string()])
        );
        assert_eq!(required(r"\b(?:hi|hey)\b"), None);
        assert_eq!(required(r"(?:hello)?\s+x"), None);
        // Letters with other case forms outside ASCII cannot be searched ASCII-insensitively.
        assert_eq!(required("ça va"), None);
    }

    #[test]
    fn empty_matching_patterns_are_recognised() {
        let parse = |p: &str| regex_syntax::Parser::new().parse(p).unwrap();
        assert!(matches_empty(&parse(r"\b(?:x)?\b")));
        assert!(!matches_empty(&parse(r"\bx\b")));
    }
}
