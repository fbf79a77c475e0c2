//! A catalogue of patterns (the phrases of `extends: filler`, the cues of `extends: framing`)
//! searched without compiling the catalogue as a whole until a run has much text to search.
//!
//! Small runs (a draft, a handful of files): a search of the patterns' literal strings tells
//! which patterns a text may hold: every match of a pattern holds a string of each of its
//! required literal sets (see [`required_literal_sets`]), so a pattern with a set none of whose
//! strings occur in a text cannot match it (a pattern without usable literals is always a
//! candidate). Only candidates are searched, each on its own: with the DFAs `build.rs` stored
//! for a built-in pattern and ASCII text (see [`prebuilt`]), else compiled the first time.
//! Large runs: once [`BULK_AFTER`] bytes have been searched, the whole catalogue is compiled as
//! one alternation, whose lazy DFA then scans each text once, faster per byte than several
//! patterns each scanning it (ASCII texts with an ASCII-mode alternation, others pattern by
//! pattern until a run has many of them).
//! Why: one alternation of a large case-insensitive catalogue takes tens of milliseconds to
//! compile; a draft needs two or three of its patterns.
//!
//! Both ways give the same matches: those of the leftmost-first alternation of every pattern in
//! order (the `regex` crate's `find_iter` of `p0|p1|...`), as long as no pattern can match the
//! empty string (see [`matches_empty`]), and for [`Matcher::first`] the lowest-numbered pattern
//! that matches.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex_automata::dfa::Automaton;
use regex_automata::{meta, util::syntax, Input};

use super::ascii_alternation::AsciiAlternation;
use super::lazy::{Lazy, LazyRegex};
use super::literal_scan::LiteralScan;
use super::prebuilt::{self, PrebuiltRegex};

pub use super::literals::{matches_empty, required_literal_sets, wrap_phrase, LiteralSets};
use super::prefilter::FOLD_TRIGGERS;
use crate::document::Block;

/// Bytes searched with the prebuilt DFAs (see [`PhraseRegex`]) before the patterns a text may
/// hold are compiled instead: a draft compiles nothing, a run of many files stops paying the
/// sparse DFAs' slower scan.
pub const PREBUILT_UNTIL: usize = 32 << 10;

/// Non-ASCII texts are searched pattern by pattern for this many times [`BULK_AFTER`] bytes
/// before the Unicode alternation is compiled: a docs corpus has a few hundred kilobytes of
/// them, and a second alternation's lazy DFA costs more memory than they cost time.
pub const NON_ASCII_BULK_FACTOR: usize = 16;

/// Bytes searched pattern by pattern before the whole catalogue is compiled as one.
pub const BULK_AFTER: usize = 64 << 10;

/// Case-insensitive patterns with a shared literal prefilter.
#[derive(Debug)]
pub struct PhraseSet {
    /// Each pattern as wrapped, without the `(?i)` it compiles with.
    patterns: Vec<String>,
    regexes: Vec<PhraseRegex>,
    /// Every literal string of the patterns' sets (lower-case), then the case-fold triggers.
    /// Used only until the run goes bulk, so it never switches to a DFA.
    strings: LiteralScan,
    /// For each of `strings`, the (phrase, bit of its literal set) it belongs to (empty: a
    /// case-fold trigger).
    owners: Vec<Vec<(usize, u32)>>,
    /// For each phrase, the bits of all its literal sets (0: always a candidate).
    all_sets: Vec<u32>,
    /// Every pattern in one leftmost-first alternation, for the non-ASCII texts of large runs.
    alternation: LazyRegex,
    /// The same in ASCII mode, for the ASCII texts of large runs: on ASCII text (99% of the
    /// corpus's paragraphs) it finds what the Unicode alternation finds (each branch does, see
    /// [`PhraseRegex`]), and its lazy DFA has far fewer states to build (Unicode `\s` and case
    /// folds put many NFA states behind each one).
    ascii_alternation: OnceLock<Result<AsciiAlternation, String>>,
    /// Bytes of non-ASCII texts searched so far.
    scanned_non_ascii: AtomicUsize,
    scanned: AtomicUsize,
    bulk_after: usize,
    /// The run has many files ([`PhraseSet::expect_large_run`]): ASCII texts go to the
    /// alternation at once.
    large_run: AtomicBool,
}

/// `pattern` compiled with only the engines a phrase search needs (no full or one-pass DFA,
/// backtracker or literal prefilter): about half the compile time of a `regex::Regex`, which
/// matters to a draft that compiles a dozen patterns. Same matches.
fn lean(pattern: &str) -> Result<meta::Regex, String> {
    lean_with(pattern, syntax::Config::new().case_insensitive(true))
}

/// [`lean`] in ASCII mode: classes, case folding and `.` know only ASCII, and the pattern
/// works on bytes. Fails on a pattern that names a Unicode class or a non-ASCII letter.
fn lean_ascii(pattern: &str) -> Result<meta::Regex, String> {
    lean_with(pattern, super::literals::ascii_syntax())
}

fn lean_with(pattern: &str, syntax: syntax::Config) -> Result<meta::Regex, String> {
    meta::Builder::new()
        .configure(super::lazy::lean_config(super::lazy::DFA_SIZE_LIMIT))
        .syntax(syntax)
        .build(pattern)
        .map_err(|e| e.to_string().replace('\n', " "))
}

/// A catalogue pattern matched case-insensitively, compiled the first time a text needs it:
/// in ASCII mode for a text that is all ASCII, with Unicode otherwise. A built-in pattern
/// searching ASCII text needs no compiling: `build.rs` stored its DFAs (see [`prebuilt`]).
///
/// Why: an ASCII-mode pattern has no Unicode case folds or classes to build and compiles in
/// about a third of the time, and most drafts are plain ASCII. On ASCII text the two give the
/// same matches: every Unicode class, case fold and `.` agrees with its ASCII form on ASCII
/// characters, and the catalogues' `\b` is the ASCII one in both (see [`wrap_phrase`]).
/// A pattern that cannot compile in ASCII mode (`\p{...}`, `[üu]`) uses Unicode for all text.
#[derive(Debug)]
pub struct PhraseRegex {
    unicode: Lazy<meta::Regex>,
    ascii: Lazy<meta::Regex>,
    prebuilt: OnceLock<Option<PrebuiltRegex>>,
}

/// A [`PhraseRegex`] ready to search one text (or parts of it).
#[derive(Debug, Clone, Copy)]
pub enum Searcher<'a> {
    Compiled(&'a meta::Regex),
    Prebuilt(&'a PrebuiltRegex, &'a PhraseRegex),
}

impl PhraseRegex {
    /// `pattern` (without a `(?i)` flag), which the caller has checked parses.
    pub fn new(pattern: &str) -> PhraseRegex {
        PhraseRegex {
            unicode: Lazy::with(pattern.to_string(), lean),
            ascii: Lazy::with(pattern.to_string(), lean_ascii),
            prebuilt: OnceLock::new(),
        }
    }

    /// The pattern ready to search `text` (or parts of it).
    pub fn for_text(&self, text: &str) -> Result<Searcher<'_>, &str> {
        self.searcher(text, true)
    }

    /// The same, using the prebuilt DFAs only if `prebuilt`: a sparse DFA needs no compiling
    /// but scans several times slower than a compiled pattern's lazy DFA, so once a run has
    /// much text the pattern is better compiled.
    fn searcher(&self, text: &str, prebuilt: bool) -> Result<Searcher<'_>, &str> {
        if text.is_ascii() {
            let pattern = self.ascii.pattern();
            let stored =
                || prebuilt.then(|| self.prebuilt.get_or_init(|| prebuilt::lookup(pattern)));
            if let Some(Some(prebuilt)) = stored() {
                return Ok(Searcher::Prebuilt(prebuilt, self));
            }
            if let Ok(ascii) = self.ascii.get() {
                return Ok(Searcher::Compiled(ascii));
            }
        }
        self.unicode.get().map(Searcher::Compiled)
    }

    /// Whether a compiled form has been built (for tests of what a run compiles).
    pub fn is_compiled(&self) -> bool {
        self.unicode.is_compiled() || self.ascii.is_compiled()
    }
}

impl Searcher<'_> {
    /// The leftmost-first match in `input`'s span.
    pub fn find(&self, input: Input<'_>) -> Option<Range<usize>> {
        match self {
            Searcher::Compiled(regex) => regex.find(input).map(|m| m.range()),
            Searcher::Prebuilt(regex, pattern) => match regex.try_search(&input) {
                Ok(found) => found.map(|m| m.range()),
                // Not expected (no quit bytes, no Unicode word boundary): search as compiled.
                Err(_) => pattern.unicode.get().ok()?.find(input).map(|m| m.range()),
            },
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Searcher::Compiled(regex) => regex.is_match(text),
            Searcher::Prebuilt(regex, pattern) => {
                let earliest = Input::new(text).earliest(true);
                match regex.forward().try_search_fwd(&earliest) {
                    Ok(found) => found.is_some(),
                    Err(_) => pattern.unicode.get().is_ok_and(|r| r.is_match(text)),
                }
            }
        }
    }
}

/// One match of a [`PhraseSet`]: which pattern, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhraseMatch {
    pub phrase: usize,
    pub range: Range<usize>,
}

impl PhraseSet {
    /// A set of `patterns`, matched case-insensitively (each compiles as `(?i)pattern`), with
    /// each one's required literal sets (none: always a candidate).
    pub fn new(patterns: &[String], required: Vec<LiteralSets>) -> PhraseSet {
        debug_assert_eq!(patterns.len(), required.len());
        let mut strings: Vec<Vec<u8>> = Vec::new();
        let mut index: std::collections::HashMap<Vec<u8>, usize> = Default::default();
        let mut owners: Vec<Vec<(usize, u32)>> = Vec::new();
        let mut all_sets = vec![0u32; patterns.len()];
        for (i, sets) in required.into_iter().enumerate() {
            for (k, set) in sets
                .iter()
                .take(super::literals::MAX_LITERAL_SETS)
                .enumerate()
            {
                let bit = 1u32 << k;
                all_sets[i] |= bit;
                for s in set.iter().map(|s| s.to_ascii_lowercase()) {
                    let at = *index.entry(s.clone()).or_insert_with(|| {
                        strings.push(s);
                        owners.push(Vec::new());
                        owners.len() - 1
                    });
                    if !owners[at].contains(&(i, bit)) {
                        owners[at].push((i, bit));
                    }
                }
            }
        }
        for t in FOLD_TRIGGERS {
            strings.push(t.as_bytes().to_vec());
            owners.push(Vec::new());
        }
        PhraseSet {
            patterns: patterns.to_vec(),
            regexes: patterns.iter().map(|p| PhraseRegex::new(p)).collect(),
            strings: LiteralScan::new(strings, usize::MAX),
            owners,
            all_sets,
            alternation: LazyRegex::new(format!("(?i){}", patterns.join("|"))),
            ascii_alternation: OnceLock::new(),
            scanned_non_ascii: AtomicUsize::new(0),
            scanned: AtomicUsize::new(0),
            bulk_after: BULK_AFTER,
            large_run: AtomicBool::new(false),
        }
    }

    /// Told that the run has many files: its ASCII texts are searched with the whole-catalogue
    /// alternation from the first one, since it will be compiled anyway, rather than pattern by
    /// pattern for the first [`BULK_AFTER`] bytes (on the docs corpus those first 64 KiB cost
    /// as much as megabytes searched with the alternation). Non-ASCII texts are unaffected.
    pub fn expect_large_run(&self) {
        self.large_run.store(true, Ordering::Relaxed);
    }

    /// Compiles the alternation that a large run searches ASCII texts with (a rule calls it from
    /// its `warm_up`, on an idle thread before the run's files are ready).
    pub fn warm_up(&self) {
        self.ascii_alternation();
    }

    /// The ASCII alternation, compiled on first use.
    fn ascii_alternation(&self) -> &Result<AsciiAlternation, String> {
        self.ascii_alternation
            .get_or_init(|| AsciiAlternation::new(&self.patterns))
    }

    /// This set, compiling the whole catalogue after `bytes` searched bytes instead of
    /// [`BULK_AFTER`] (0: at once; `usize::MAX`: never). For tests and benchmarks.
    pub fn with_bulk_after(mut self, bytes: usize) -> PhraseSet {
        self.bulk_after = bytes;
        self
    }

    /// This set, looking for its literal strings one by one in the first `bytes` bytes instead
    /// of [`SCAN_DIRECTLY`](super::literal_scan::SCAN_DIRECTLY) (0: with the automaton at once). For tests.
    pub fn with_scan_directly(mut self, bytes: usize) -> PhraseSet {
        self.strings = self.strings.with_scan_directly(bytes);
        self
    }

    /// Counts `text` as searched and says how to search it: pattern by pattern until the run
    /// has searched [`BULK_AFTER`] bytes (ASCII texts of a large run: not at all, see
    /// [`PhraseSet::expect_large_run`]), then with a whole-catalogue alternation: the ASCII
    /// one for an ASCII text, the Unicode one once the run has also searched
    /// [`NON_ASCII_BULK_FACTOR`] times as many bytes of other texts.
    fn way(&self, text: &str) -> Result<Option<Alternation<'_>>, &str> {
        // Compared with `bulk_after` and PREBUILT_UNTIL only.
        let limit = self.bulk_after.max(PREBUILT_UNTIL);
        let before = super::lazy::count_bytes(&self.scanned, text.len(), limit);
        let bulk_after = if self.large_run.load(Ordering::Relaxed) {
            0
        } else {
            self.bulk_after
        };
        if before.saturating_add(text.len()) <= bulk_after {
            return Ok(None);
        }
        if text.is_ascii() {
            if let Ok(ascii) = self.ascii_alternation() {
                return Ok(Some(Alternation::Ascii(ascii)));
            }
        } else {
            let after = self.bulk_after.saturating_mul(NON_ASCII_BULK_FACTOR);
            let before = super::lazy::count_bytes(&self.scanned_non_ascii, text.len(), after);
            if before.saturating_add(text.len()) <= after {
                return Ok(None);
            }
        }
        self.alternation
            .get()
            .map(|r| Some(Alternation::Unicode(r)))
    }

    /// The non-overlapping leftmost-first matches in `text` of the alternation of every
    /// pattern. Errs when a pattern does not compile.
    pub fn find_all(&self, text: &str) -> Result<Vec<Range<usize>>, &str> {
        self.find_all_with(text, None)
    }

    /// [`PhraseSet::find_all`] in a block's prose, keeping the built-in catalogues' verdict on
    /// it with the block for the other catalogues (see [`catalogue_gate`](super::catalogue_gate)).
    pub fn find_all_in(&self, block: &Block) -> Result<Vec<Range<usize>>, &str> {
        self.find_all_with(&block.prose, Some(&block.catalogue_gates))
    }

    fn find_all_with(
        &self,
        text: &str,
        gates: Option<&OnceLock<u32>>,
    ) -> Result<Vec<Range<usize>>, &str> {
        if let Some(whole) = self.way(text)? {
            return Ok(whole.find_all(text, gates));
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
        self.matcher_with(text, None)
    }

    /// [`PhraseSet::matcher`] for a block's prose, keeping the built-in catalogues' verdict on
    /// it with the block (see [`PhraseSet::find_all_in`]).
    pub fn matcher_in(&self, block: &Block) -> Result<Option<Matcher<'_>>, &str> {
        self.matcher_with(&block.prose, Some(&block.catalogue_gates))
    }

    fn matcher_with(
        &self,
        text: &str,
        gates: Option<&OnceLock<u32>>,
    ) -> Result<Option<Matcher<'_>>, &str> {
        let whole = self.way(text)?;
        if whole.as_ref().is_some_and(|w| !w.is_match(text, gates)) {
            return Ok(None);
        }
        let candidates = self.candidates(text);
        if candidates.is_empty() {
            return Ok(None);
        }
        let regexes = candidates
            .iter()
            .map(|&i| self.regex(i, text).map(|r| (i, r)))
            .collect::<Result<Vec<_>, _>>()?;
        if whole.is_none() && !regexes.iter().any(|(_, r)| r.is_match(text)) {
            return Ok(None);
        }
        Ok(Some(Matcher { regexes }))
    }
}

/// A catalogue compiled as one alternation, for ASCII text or any text.
enum Alternation<'a> {
    Ascii(&'a AsciiAlternation),
    Unicode(&'a regex::Regex),
}

impl Alternation<'_> {
    fn find_all(&self, text: &str, gates: Option<&OnceLock<u32>>) -> Vec<Range<usize>> {
        let ranges: Vec<Range<usize>> = match self {
            Alternation::Ascii(r) => r.find_all(text.as_bytes(), gates),
            Alternation::Unicode(r) => r.find_iter(text).map(|m| m.range()).collect(),
        };
        ranges.into_iter().filter(|m| !m.is_empty()).collect()
    }

    fn is_match(&self, text: &str, gates: Option<&OnceLock<u32>>) -> bool {
        match self {
            Alternation::Ascii(r) => r.is_match(text.as_bytes(), gates),
            Alternation::Unicode(r) => r.is_match(text),
        }
    }
}

/// Tests parts of a text for the patterns of a [`PhraseSet`] (see [`PhraseSet::matcher`]).
#[derive(Debug)]
pub struct Matcher<'a> {
    /// The patterns that may match, each compiled alone.
    regexes: Vec<(usize, Searcher<'a>)>,
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

    /// Pattern `i`, compiled (on first use) to search `text` or parts of it.
    pub fn regex(&self, i: usize, text: &str) -> Result<Searcher<'_>, &str> {
        let early = self.scanned.load(Ordering::Relaxed) <= PREBUILT_UNTIL;
        self.regexes[i].searcher(text, early)
    }

    /// The patterns that may match somewhere in `text` (each of whose literal sets has a string
    /// in it), in ascending order.
    pub fn candidates(&self, text: &str) -> Vec<usize> {
        let mut hit = vec![0u32; self.len()];
        // Marks the sets string `k` belongs to; false for a case-fold trigger (a non-ASCII
        // character that case-folds to an ASCII letter: any pattern may match).
        let mut mark = |k: usize| {
            for &(i, bit) in &self.owners[k] {
                hit[i] |= bit;
            }
            !self.owners[k].is_empty()
        };
        let mut folded = false;
        let scanned = self.strings.scan(text, |k| {
            folded = !mark(k);
            !folded
        });
        if folded || !scanned {
            return (0..self.len()).collect();
        }
        (0..self.len())
            .filter(|&i| hit[i] == self.all_sets[i])
            .collect()
    }

    /// The non-overlapping leftmost-first matches in `text` of the alternation of `candidates`
    /// (ascending pattern indices, usually [`PhraseSet::candidates`] of `text`), each with the
    /// pattern that made it. Errs when a pattern does not compile.
    pub fn find_iter(&self, text: &str, candidates: &[usize]) -> Result<Vec<PhraseMatch>, &str> {
        let regexes = candidates
            .iter()
            .map(|&i| self.regex(i, text))
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
                    next[k] = Some(re.find(from));
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
            .map(|p| required_literal_sets(&regex_syntax::Parser::new().parse(p).unwrap()))
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

    const OVERLAPPING: [&str; 9] = [
        r"\bthank you for reaching out\b",
        r"\b(?:we|i)\s+(?:sincerely\s+)?apologi[sz]e(?:\s+for\s+the\s+delay)?\b",
        r"\bthanks?(?:\s+you)?\b",
        r"\b(?:hi|hey)\b",
        r"\bfor\s+the\b",
        r"(?::-?\)|<3)",
        r"\bsorry\b",
        r"\bsorry\s+for\s+the\s+(?:delay|wait)\b",
        r"\bf[üu]r\s+you\b",
    ];

    proptest::proptest! {
        // Each case compiles a dozen regexes: few cases keep the debug test run short.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(48))]
        #[test]
        fn both_ways_find_what_one_alternation_finds(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "thank", "Thank", "thanks", "you", "for", "reaching", "out", "we", "I",
                "apologise", "APOLOGIZE", "sincerely", "the", "delay", "hi", "hey", "sorry",
                ":)", "<3", "\u{212A}", "\n", ",", ".", "x", "fur", "f\u{FC}r",
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
            // Past a few bytes: ASCII text by the ASCII alternation, other text pattern by
            // pattern (until 16 times as many bytes).
            let mixed = set(&OVERLAPPING).with_bulk_after(8);
            proptest::prop_assert_eq!(&mixed.find_all(&text).unwrap(), &reference);
            proptest::prop_assert_eq!(first(&mixed), expected);
            // Literals looked for one by one or with the automaton: the same candidates.
            let direct = set(&OVERLAPPING).with_scan_directly(usize::MAX);
            let automaton = set(&OVERLAPPING).with_scan_directly(0);
            proptest::prop_assert_eq!(direct.candidates(&text), automaton.candidates(&text));
        }
    }

    #[test]
    fn build_time_literals_cover_the_built_in_catalogues_and_agree_with_run_time() {
        let patterns = built_in_patterns();
        assert!(!patterns.is_empty());
        for wrapped in patterns {
            let (sets, empty) = prebuilt::built_in(&wrapped).expect("worked out by build.rs");
            let hir = regex_syntax::Parser::new().parse(&wrapped).unwrap();
            assert_eq!(sets, required_literal_sets(&hir), "{wrapped}");
            assert_eq!(empty, matches_empty(&hir), "{wrapped}");
        }
    }

    /// Each built-in rule file, parsed.
    fn built_in_rule_files() -> Vec<serde_norway::Value> {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/rules/Candor");
        std::fs::read_dir(dir)
            .unwrap()
            .map(|file| {
                let text = std::fs::read_to_string(file.unwrap().path()).unwrap();
                serde_norway::from_str(&text).unwrap()
            })
            .collect()
    }

    /// Every built-in catalogue pattern, as wrapped.
    fn built_in_patterns() -> Vec<String> {
        let mut out = Vec::new();
        for doc in built_in_rule_files() {
            let key = match doc["extends"].as_str() {
                Some("filler" | "buried_answer") => "phrases",
                Some("framing") => "cues",
                _ => continue,
            };
            for entry in doc["options"][key].as_sequence().unwrap() {
                let nonword = key == "phrases" && entry["nonword"].as_bool() == Some(true);
                out.push(wrap_phrase(entry["match"].as_str().unwrap(), nonword));
            }
        }
        out
    }

    /// The ranges of `regex`'s matches in `text`.
    fn ranges(regex: &meta::Regex, text: &str) -> Vec<Range<usize>> {
        regex.find_iter(text).map(|m| m.range()).collect()
    }

    /// The ASCII texts of every built-in rule's examples, and some of their own.
    fn ascii_example_texts() -> Vec<String> {
        let mut out = Vec::new();
        for doc in built_in_rule_files() {
            for kind in ["bad", "good"] {
                for example in doc["examples"][kind].as_sequence().into_iter().flatten() {
                    out.extend(example.as_str().map(str::to_string));
                }
            }
        }
        out.push("THANK YOU for your patience!! We are SORRY for the inconvenience.".into());
        out.push("we\tapologize\nfor any trouble_ it may have caused you :) ;-P <3".into());
        out.retain(|t| t.is_ascii());
        out
    }

    #[test]
    fn ascii_mode_finds_what_unicode_finds_in_ascii_text() {
        let texts = ascii_example_texts();
        assert!(texts.len() > 20);
        let (mut compared, mut hits) = (0, 0);
        for pattern in built_in_patterns() {
            let Ok(ascii) = lean_ascii(&pattern) else {
                continue;
            };
            let unicode = lean(&pattern).unwrap();
            for text in &texts {
                let u = ranges(&unicode, text);
                assert_eq!(ranges(&ascii, text), u, "{pattern} on {text:?}");
                hits += u.len();
            }
            compared += 1;
        }
        // Most patterns compile in ASCII mode, and the examples exercise them.
        assert!(compared > 90, "{compared}");
        assert!(hits > 50, "{hits}");
    }

    #[test]
    fn prebuilt_dfas_find_what_the_unicode_patterns_find_in_ascii_text() {
        let texts = ascii_example_texts();
        let (mut compared, mut wholes) = (0, 0);
        for pattern in built_in_patterns() {
            let unicode = lean(&pattern).unwrap();
            let whole = format!("^{pattern}$");
            let unicode_whole = lean(&whole).unwrap();
            let prebuilt = PhraseRegex::new(&pattern);
            let prebuilt_whole = PhraseRegex::new(&whole);
            for text in &texts {
                let Ok(searcher @ Searcher::Prebuilt(..)) = prebuilt.for_text(text) else {
                    continue;
                };
                let mut found = Vec::new();
                let mut at = 0;
                while let Some(m) = searcher.find(Input::new(text.as_str()).span(at..text.len())) {
                    at = m.end;
                    found.push(m);
                }
                let expected = ranges(&unicode, text);
                assert_eq!(found, expected, "{pattern} on {text:?}");
                assert_eq!(searcher.is_match(text), unicode.is_match(text.as_str()));
                // Telling which entry a match is: the whole-match form, on the match itself.
                for m in &expected {
                    let part = &text[m.clone()];
                    let whole = prebuilt_whole.for_text(part).unwrap();
                    assert!(matches!(whole, Searcher::Prebuilt(..)), "{pattern}");
                    assert_eq!(whole.is_match(part), unicode_whole.is_match(part), "{part}");
                    wholes += 1;
                }
                compared += 1;
            }
        }
        assert!(compared > 1000, "{compared}");
        assert!(wholes > 50, "{wholes}");
    }

    #[test]
    fn a_large_run_searches_ascii_text_with_the_alternation_from_the_start() {
        let text = "Thank you for reaching out :) Sorry for the delay.";
        let reference: Vec<Range<usize>> = alternation(&OVERLAPPING, text)
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let s = set(&OVERLAPPING);
        assert_eq!(s.find_all(text).unwrap(), reference);
        assert!(s.ascii_alternation.get().is_none());
        let large = set(&OVERLAPPING);
        large.expect_large_run();
        assert_eq!(large.find_all(text).unwrap(), reference);
        assert!(large.ascii_alternation.get().is_some());
        // Non-ASCII text is still searched pattern by pattern.
        assert_eq!(large.find_all("f\u{FC}r you").unwrap(), vec![(0..8)]);
        assert!(!large.alternation.is_compiled());
    }

    #[test]
    fn warming_up_compiles_the_alternation_and_changes_no_match() {
        let text = "Thank you for reaching out :) Sorry for the delay.";
        let s = set(&OVERLAPPING);
        s.warm_up();
        assert!(s.ascii_alternation.get().is_some_and(Result::is_ok));
        // A small run still searches pattern by pattern, and finds the same.
        assert_eq!(
            s.find_all(text).unwrap(),
            set(&OVERLAPPING).find_all(text).unwrap()
        );
        assert!(s.regexes.iter().any(PhraseRegex::is_compiled));
    }

    #[test]
    fn build_rs_works_out_the_ascii_starts_that_loading_would() {
        for p in built_in_patterns() {
            let start = super::super::literals::ascii_start(&p);
            assert!(start.is_some(), "{p}");
            assert_eq!(prebuilt::built_in_ascii_start(&p), Some(start), "{p}");
        }
    }

    #[test]
    fn the_ascii_alternation_finds_what_the_unicode_one_finds_in_ascii_text() {
        let patterns = built_in_patterns();
        let ascii = AsciiAlternation::new(&patterns).unwrap();
        // CannedFiller's emoticons are searched apart.
        assert_eq!(ascii.punctuation_patterns(), 1);
        let unicode = Regex::new(&format!("(?i){}", patterns.join("|"))).unwrap();
        let mut hits = 0;
        for text in &ascii_example_texts() {
            let a = ascii.find_all(text.as_bytes(), None);
            let u: Vec<_> = unicode.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(a, u, "{text:?}");
            hits += u.len();
        }
        assert!(hits > 20, "{hits}");
    }

    #[test]
    fn a_pattern_that_needs_unicode_still_serves_ascii_text() {
        let r = PhraseRegex::new(r"(?:f[üu]r|\p{Extended_Pictographic})");
        assert!(r.for_text("fur").unwrap().is_match("FUR"));
        assert!(r.for_text("für").unwrap().is_match("FÜR"));
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

    fn required(p: &str) -> Vec<Vec<&'static str>> {
        let hir = regex_syntax::Parser::new().parse(p).unwrap();
        required_literal_sets(&hir)
            .into_iter()
            .map(|set| {
                set.into_iter()
                    .map(|s| &*String::from_utf8(s).unwrap().leak())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn required_literal_sets_come_from_every_part_best_first() {
        // "we"/"i" are too short; "apologi" and "e for" are in every match.
        assert_eq!(
            required(r"\b(?:we|i)\s+(?:sincerely\s+)?apologi[sz]e for\b"),
            [vec!["apologi"], vec!["e for"]]
        );
        // Each branch gives its own; optional parts give none.
        assert_eq!(
            required(r"(?:we\s+hope|sorry)(?:\s+truly)?"),
            [vec!["hope", "sorry"]]
        );
        // Each part of a concatenation is a set of its own.
        assert_eq!(
            required(r"thanks?\s+for\s+your\s+(?:patience|time)"),
            [
                vec!["thank"],
                vec!["your"],
                vec!["patience", "time"],
                vec!["for"]
            ]
        );
        assert!(required(r"\b(?:hi|hey)\b").is_empty());
        assert!(required(r"(?:hello)?\s+x").is_empty());
        // Letters with other case forms outside ASCII cannot be searched ASCII-insensitively.
        assert!(required("ça va").is_empty());
    }

    #[test]
    fn a_pattern_is_a_candidate_only_when_each_of_its_sets_has_a_hit() {
        let s = set(&[
            r"\bthanks?\s+for\s+your\s+(?:patience|time)\b",
            r"\bthanks?\s+for\s+reaching\s+out\b",
        ]);
        assert_eq!(s.candidates("Thanks for reaching out!"), [1]);
        assert_eq!(s.candidates("Thanks for your time"), [0]);
        // Every set hit, in any order: a candidate, though it does not match.
        assert_eq!(s.candidates("time for your thanks"), [0]);
        assert!(found(&s, "time for your thanks").is_empty());
    }

    #[test]
    fn spaces_are_white_space_and_one_white_space_character_in_a_class() {
        assert_eq!(wrap_phrase("thank you", true), r"(?:thank\s+you)");
        assert_eq!(wrap_phrase("log ?in", true), r"(?:log\s*in)");
        assert_eq!(
            wrap_phrase("your [a-z ]{1,3} plan", true),
            r"(?:your\s+[a-z\s]{1,3}\s+plan)"
        );
        // A `]` that opens a class is literal; escapes and nested classes are kept.
        assert_eq!(
            wrap_phrase(r"[] ] x\ y[^ ?]", true),
            r"(?:[]\s]\s+x\ y[^\s?])"
        );
        assert_eq!(
            wrap_phrase("[[:alpha:] ]x y", true),
            r"(?:[[:alpha:]\s]x\s+y)"
        );
        // `\s+` in the class would have let it match `+`.
        let wrapped = wrap_phrase("take your [a-z ]{1,30}? seriously", false);
        let re = Regex::new(&format!("(?i){wrapped}")).unwrap();
        assert!(re.is_match("We take your data privacy seriously"));
        assert!(!re.is_match("take your C++ seriously"));
    }

    #[test]
    fn empty_matching_patterns_are_recognised() {
        let parse = |p: &str| regex_syntax::Parser::new().parse(p).unwrap();
        assert!(matches_empty(&parse(r"\b(?:x)?\b")));
        assert!(!matches_empty(&parse(r"\bx\b")));
    }
}
