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
use std::sync::OnceLock;

use regex::{Regex, RegexSet, RegexSetBuilder};
use regex_syntax::hir::Hir;

use super::lazy::LazyRegex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::HirKind;

use super::prefilter::{ascii_fold_covers, FOLD_TRIGGERS};

/// Literals shorter than this are in almost every text: a pattern whose best set has one is
/// always a candidate.
const MIN_LITERAL_LEN: usize = 3;
/// Longer literals are cut to this many bytes (as good a filter, and extraction stays small).
const MAX_LITERAL_LEN: usize = 16;
/// Bytes searched pattern by pattern before the whole catalogue is compiled as one.
pub const BULK_AFTER: usize = 256 << 10;

/// Case-insensitive patterns with a shared literal prefilter.
#[derive(Debug)]
pub struct PhraseSet {
    regexes: Vec<LazyRegex>,
    /// Each pattern's prefix literals, lower-cased; `None`: always a candidate.
    literals: Vec<Option<Vec<Vec<u8>>>>,
    automaton: Option<AhoCorasick>,
    /// For each automaton pattern, the phrases it belongs to (empty: a case-fold trigger).
    owners: Vec<Vec<usize>>,
    /// Phrases without literals.
    always: Vec<usize>,
    /// Every pattern in one leftmost-first alternation, for large runs.
    alternation: LazyRegex,
    /// Every pattern in one set (which ones match), for large runs.
    set: OnceLock<Result<RegexSet, String>>,
    scanned: AtomicUsize,
    bulk_after: usize,
}

/// One match of a [`PhraseSet`]: which pattern, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    pub phrase: usize,
    pub range: Range<usize>,
}

impl PhraseSet {
    /// A set of `patterns` (each already parsed by the caller into `hirs`, same order), matched
    /// case-insensitively: each compiles as `(?i)pattern`.
    pub fn new(patterns: &[String], hirs: &[Hir]) -> PhraseSet {
        debug_assert_eq!(patterns.len(), hirs.len());
        let mut literals = Vec::with_capacity(patterns.len());
        let mut strings: Vec<Vec<u8>> = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, hir) in hirs.iter().enumerate() {
            match required_literals(hir) {
                Some(lits) => {
                    let lower: Vec<Vec<u8>> = lits.iter().map(|s| s.to_ascii_lowercase()).collect();
                    for s in &lower {
                        match strings.iter().position(|t| t == s) {
                            Some(at) => {
                                if owners[at].last() != Some(&i) {
                                    owners[at].push(i);
                                }
                            }
                            None => {
                                strings.push(s.clone());
                                owners.push(vec![i]);
                            }
                        }
                    }
                    literals.push(Some(lower));
                }
                None => {
                    always.push(i);
                    literals.push(None);
                }
            }
        }
        for t in FOLD_TRIGGERS {
            strings.push(t.as_bytes().to_vec());
            owners.push(Vec::new());
        }
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::DFA))
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(&strings)
            .ok();
        if automaton.is_none() {
            always = (0..patterns.len()).collect();
        }
        PhraseSet {
            regexes: patterns
                .iter()
                .map(|p| LazyRegex::new(format!("(?i){p}")))
                .collect(),
            literals,
            automaton,
            owners,
            always,
            alternation: LazyRegex::new(format!("(?i){}", patterns.join("|"))),
            set: OnceLock::new(),
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

    fn regex_set(&self) -> Result<&RegexSet, &str> {
        self.set
            .get_or_init(|| {
                RegexSetBuilder::new(self.regexes.iter().map(LazyRegex::pattern))
                    .size_limit(super::lazy::SIZE_LIMIT)
                    .dfa_size_limit(super::lazy::DFA_SIZE_LIMIT)
                    .build()
                    .map_err(|e| e.to_string().replace('\n', " "))
            })
            .as_ref()
            .map_err(String::as_str)
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
    /// match anywhere in it.
    pub fn matcher(&self, text: &str) -> Result<Option<Matcher<'_>>, &str> {
        if self.bulk(text) {
            if !self.alternation.get()?.is_match(text) {
                return Ok(None);
            }
            return Ok(Some(Matcher::All(self.regex_set()?)));
        }
        let candidates = self.candidates(text);
        if candidates.is_empty() {
            return Ok(None);
        }
        let regexes = candidates
            .iter()
            .map(|&i| self.regex(i).map(|r| (i, r)))
            .collect::<Result<Vec<_>, _>>()?;
        if !regexes.iter().any(|(_, r)| r.is_match(text)) {
            return Ok(None);
        }
        Ok(Some(Matcher::Few(regexes)))
    }
}

/// Tests parts of a text for the patterns of a [`PhraseSet`] (see [`PhraseSet::matcher`]).
#[derive(Debug)]
pub enum Matcher<'a> {
    /// The patterns that may match, each compiled alone.
    Few(Vec<(usize, &'a Regex)>),
    /// The whole catalogue.
    All(&'a RegexSet),
}

impl Matcher<'_> {
    /// The lowest-numbered pattern that matches somewhere in `part`.
    pub fn first(&self, part: &str) -> Option<usize> {
        match self {
            Matcher::Few(regexes) => regexes
                .iter()
                .find(|(_, r)| r.is_match(part))
                .map(|(i, _)| *i),
            Matcher::All(set) => set.matches(part).iter().next(),
        }
    }
}

impl PhraseSet {
    pub fn len(&self) -> usize {
        self.regexes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.regexes.is_empty()
    }

    /// Pattern `i`, compiled on first use.
    pub fn regex(&self, i: usize) -> Result<&Regex, &str> {
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

    /// Whether pattern `i` may match `text` whole or in part: `text` holds one of its literals
    /// (case aside). A quick test before running an anchored form of the pattern on a match.
    pub fn may_contain(&self, i: usize, text: &str) -> bool {
        let Some(lits) = &self.literals[i] else {
            return true;
        };
        let bytes = text.as_bytes();
        lits.iter()
            .any(|l| bytes.windows(l.len()).any(|w| w.eq_ignore_ascii_case(l)))
            || FOLD_TRIGGERS.iter().any(|t| text.contains(t))
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
                    next[k] = Some(re.find_at(text, pos).map(|m| m.range()));
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

/// Strings one of which occurs in every match of `hir` (ASCII case aside), chosen to filter
/// well: the set whose shortest string is longest. `None` when there is no set whose strings
/// all have at least [`MIN_LITERAL_LEN`] bytes.
///
/// Every match of a concatenation holds a match of each of its parts, so any part's set serves;
/// every match of an alternation is a match of one branch, so the union of the branches' sets
/// serves when every branch has one. Each candidate set is also compared with the pattern's
/// own prefix literals (regex-syntax's extractor), which may join short parts ("we" + "'re").
pub fn required_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let prefixes = prefix_literals(hir);
    let structural = match hir.kind() {
        HirKind::Capture(c) => required_literals(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required_literals(&r.sub),
        HirKind::Concat(parts) => parts
            .iter()
            .filter_map(required_literals)
            .reduce(better),
        HirKind::Alternation(branches) => {
            let mut union: Vec<Vec<u8>> = Vec::new();
            for b in branches {
                for s in required_literals(b)? {
                    if !union.contains(&s) {
                        union.push(s);
                    }
                }
            }
            Some(union)
        }
        _ => None,
    };
    match (prefixes, structural) {
        (Some(a), Some(b)) => Some(better(a, b)),
        (a, b) => a.or(b),
    }
}

/// The better filter of two literal sets: longer shortest string, then fewer strings.
fn better(a: Vec<Vec<u8>>, b: Vec<Vec<u8>>) -> Vec<Vec<u8>> {
    let key = |s: &Vec<Vec<u8>>| {
        let shortest = s.iter().map(Vec::len).min().unwrap_or(0);
        (shortest, std::cmp::Reverse(s.len()))
    };
    if key(&b) > key(&a) {
        b
    } else {
        a
    }
}

/// The prefix literals of `hir`, when they all have [`MIN_LITERAL_LEN`] bytes and ASCII
/// case-insensitive search finds every case form of them.
fn prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_literal_len(MAX_LITERAL_LEN)
        .extract(hir);
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lit in seq.literals()? {
        let bytes = lit.as_bytes();
        if bytes.len() < MIN_LITERAL_LEN || !ascii_fold_covers(bytes) {
            return None;
        }
        let lower = bytes.to_ascii_lowercase();
        if !out.contains(&lower) {
            out.push(lower);
        }
    }
    (!out.is_empty()).then_some(out)
}

/// Whether a parsed pattern can match the empty string (which [`PhraseSet::find_iter`] does
/// not support: an empty match says nothing and would stall the search).
pub fn matches_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len() == Some(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(patterns: &[&str]) -> PhraseSet {
        let patterns: Vec<String> = patterns.iter().map(|p| p.to_string()).collect();
        let hirs: Vec<Hir> = patterns
            .iter()
            .map(|p| regex_syntax::Parser::new().parse(p).unwrap())
            .collect();
        PhraseSet::new(&patterns, &hirs)
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

    #[test]
    fn may_contain_looks_for_the_literals_anywhere() {
        let s = set(&[r"\bthank you\b", r"\b\w+ly\b"]);
        assert!(s.may_contain(0, "oh THANK you"));
        assert!(!s.may_contain(0, "thanks"));
        assert!(s.may_contain(1, "anything"));
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
