//! Which of a list of literal strings occur in a text (ASCII case aside): the search behind the
//! rule prefilter ([`super::prefilter`]) and the phrase catalogues' candidates
//! ([`super::phrases`]).
//!
//! A run's first few kilobytes are searched string by string (memmem over a lower-cased copy):
//! a draft's few hundred bytes take microseconds that way, where building an Aho-Corasick
//! automaton over hundreds of strings takes a millisecond. Past [`SCAN_DIRECTLY`] bytes the
//! contiguous NFA is built (cheap to build), and past a caller-chosen number of bytes the DFA
//! (several times faster per byte, slower to build). All three report the same strings.

use std::sync::atomic::AtomicUsize;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};

/// Bytes searched string by string before the automaton is built.
pub const SCAN_DIRECTLY: usize = 8 << 10;

#[derive(Debug)]
pub struct LiteralScan {
    /// Lower-cased, for the string-by-string search.
    lowered: Vec<Vec<u8>>,
    /// As given, for the automata (which ignore ASCII case themselves).
    strings: Vec<Vec<u8>>,
    nfa: OnceLock<Option<AhoCorasick>>,
    dfa: OnceLock<Option<AhoCorasick>>,
    scanned: AtomicUsize,
    scan_directly: usize,
    dfa_after: usize,
}

impl LiteralScan {
    /// A search for `strings`, switching to the DFA once `dfa_after` bytes have been searched
    /// (`usize::MAX`: never).
    pub fn new(strings: Vec<Vec<u8>>, dfa_after: usize) -> LiteralScan {
        LiteralScan {
            lowered: strings.iter().map(|s| s.to_ascii_lowercase()).collect(),
            strings,
            nfa: OnceLock::new(),
            dfa: OnceLock::new(),
            scanned: AtomicUsize::new(0),
            scan_directly: SCAN_DIRECTLY,
            dfa_after,
        }
    }

    /// This search, going string by string for the first `bytes` bytes instead of
    /// [`SCAN_DIRECTLY`] (0: with an automaton at once). For tests.
    pub fn with_scan_directly(mut self, bytes: usize) -> LiteralScan {
        self.scan_directly = bytes;
        self
    }

    /// This search, switching to the DFA after `bytes` bytes. For tests and benchmarks.
    pub fn with_dfa_after(mut self, bytes: usize) -> LiteralScan {
        self.dfa_after = bytes;
        self
    }

    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Builds the DFA now, for a run that will search more than its `dfa_after` bytes: it is
    /// then ready when the search gets there (which automaton searches stays a matter of bytes).
    pub fn warm_up(&self) {
        self.dfa();
    }

    fn dfa(&self) -> Option<&AhoCorasick> {
        self.dfa
            .get_or_init(|| build(&self.strings, AhoCorasickKind::DFA))
            .as_ref()
    }

    /// Whether the DFA has been built (for tests).
    pub fn has_dfa(&self) -> bool {
        self.dfa.get().is_some_and(Option::is_some)
    }

    /// Calls `found(k)` for strings `k` that occur in `text`, each at least once (an automaton
    /// reports every occurrence), until `found` returns false. False when no automaton could
    /// be built: the caller must then assume every string occurs.
    pub fn scan(&self, text: &str, mut found: impl FnMut(usize) -> bool) -> bool {
        let limit = self.scan_directly.max(self.dfa_after);
        let before = super::lazy::count_bytes(&self.scanned, text.len(), limit);
        let after = before.saturating_add(text.len());
        if after <= self.scan_directly {
            let lower = text.to_ascii_lowercase();
            for (k, s) in self.lowered.iter().enumerate() {
                if memchr::memmem::find(lower.as_bytes(), s).is_some() && !found(k) {
                    break;
                }
            }
            return true;
        }
        let automaton = if after > self.dfa_after {
            self.dfa()
        } else {
            None
        };
        // Most texts hold none of the strings, and the DFA tells that a third faster searching
        // for the first match than reporting every one: a standard-semantics search finds a
        // match whenever any string occurs. Only a text with one is searched again for all.
        if automaton.is_some_and(|dfa| dfa.find(text).is_none()) {
            return true;
        }
        let Some(automaton) = automaton.or_else(|| {
            self.nfa
                .get_or_init(|| build(&self.strings, AhoCorasickKind::ContiguousNFA))
                .as_ref()
        }) else {
            return false;
        };
        for m in automaton.find_overlapping_iter(text) {
            if !found(m.pattern().as_usize()) {
                break;
            }
        }
        true
    }
}

/// The automaton over `strings`, with standard semantics so that an overlapping search reports
/// every occurrence of every string: none is hidden behind another.
fn build(strings: &[Vec<u8>], kind: AhoCorasickKind) -> Option<AhoCorasick> {
    if strings.is_empty() {
        return None;
    }
    AhoCorasickBuilder::new()
        .kind(Some(kind))
        .match_kind(MatchKind::Standard)
        .ascii_case_insensitive(true)
        .build(strings)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn found(scan: &LiteralScan, text: &str) -> Vec<usize> {
        let mut out = Vec::new();
        assert!(scan.scan(text, |k| {
            out.push(k);
            true
        }));
        out.sort();
        out.dedup();
        out
    }

    const STRINGS: [&str; 6] = ["dear", "Hi there", "hell", "ſ", "kind regards", "é"];

    proptest! {
        /// String by string, the NFA and the DFA find the same strings.
        #[test]
        fn every_way_finds_the_same_strings(
            text in "(dear|DEAR|hi there|Hi There|shell|ſ|kind|regards|kind regards|é|É|x| |\n){0,12}"
        ) {
            let strings = || STRINGS.iter().map(|s| s.as_bytes().to_vec()).collect();
            let direct = LiteralScan::new(strings(), usize::MAX);
            let nfa = LiteralScan::new(strings(), usize::MAX).with_scan_directly(0);
            let dfa = LiteralScan::new(strings(), 0).with_scan_directly(0);
            let want = found(&direct, &text);
            prop_assert_eq!(&found(&nfa, &text), &want);
            prop_assert_eq!(&found(&dfa, &text), &want);
            prop_assert!(text.is_empty() || (dfa.has_dfa() && !nfa.has_dfa()));
        }
    }

    #[test]
    fn ascii_case_is_ignored_and_other_case_is_not() {
        let scan = LiteralScan::new(STRINGS.iter().map(|s| s.as_bytes().to_vec()).collect(), 0);
        assert_eq!(found(&scan, "DEAR Sam, HI THERE"), [0, 1]);
        assert_eq!(found(&scan, "É"), Vec::<usize>::new());
    }

    #[test]
    fn warming_up_builds_the_dfa_and_finds_the_same() {
        let strings = || STRINGS.iter().map(|s| s.as_bytes().to_vec()).collect();
        let warm = LiteralScan::new(strings(), 1 << 20).with_scan_directly(0);
        warm.warm_up();
        assert!(warm.has_dfa());
        let cold = LiteralScan::new(strings(), 1 << 20).with_scan_directly(0);
        let text = "Dear Sam, hi there; kind regards";
        assert_eq!(found(&warm, text), found(&cold, text));
    }

    #[test]
    fn the_search_switches_ways_as_bytes_go_by() {
        let scan = LiteralScan::new(vec![b"dear".to_vec()], 20).with_scan_directly(10);
        assert_eq!(found(&scan, "dear Sam"), [0]); // 8 bytes: string by string
        assert!(scan.nfa.get().is_none());
        assert_eq!(found(&scan, "dear Sam"), [0]); // 16: the NFA
        assert!(scan.nfa.get().is_some() && !scan.has_dfa());
        assert_eq!(found(&scan, "dear Sam"), [0]); // 24: the DFA
        assert!(scan.has_dfa());
    }
}
