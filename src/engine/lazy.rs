//! A rule's regex, checked when the rule loads and compiled the first time a file needs it.
//!
//! Loading a pack of a thousand phrase rules then takes milliseconds, and with the
//! [`prefilter`](super::prefilter) a run compiles only the rules whose phrases occur in its files.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use regex::Regex;

/// Compiled-size limit of a rule's regex (the `regex` crate's own default is 10 MiB).
pub const SIZE_LIMIT: usize = 64 << 20;
/// Cache limit of a rule regex's lazy DFA. With the `regex` crate's default (2 MiB) a big
/// case-insensitive catalogue (CannedFiller) cannot get a lazy DFA at all and every search
/// falls back to the PikeVM, about 100 times slower. The cache only grows as states are needed.
pub const DFA_SIZE_LIMIT: usize = 8 << 20;
/// Cache limit of a short pattern's lazy DFA: the `regex` crate's default. Each thread keeps a
/// full cache per regex, and short patterns with counted repetitions (Placeholder's
/// `[^{}\n]{0,200}`) fill all they are given: at [`DFA_SIZE_LIMIT`] they held 10 MB of a corpus
/// run's 60 MB heap, with no gain in speed.
pub const SMALL_DFA_SIZE_LIMIT: usize = 2 << 20;
/// Cache bytes per pattern byte above [`SMALL_DFA_SIZE_LIMIT`]: a catalogue alternation's NFA,
/// and so the room its lazy DFA needs, grows with the pattern (the built-in CannedFiller
/// catalogue, 18 kB, slows down below about 1.5 MiB).
const DFA_BYTES_PER_PATTERN_BYTE: usize = 512;

/// Cache limit of `pattern`'s lazy DFA: from [`SMALL_DFA_SIZE_LIMIT`] for short patterns to
/// [`DFA_SIZE_LIMIT`] for big catalogues.
pub fn dfa_size_limit(pattern: &str) -> usize {
    (pattern.len().saturating_mul(DFA_BYTES_PER_PATTERN_BYTE))
        .clamp(SMALL_DFA_SIZE_LIMIT, DFA_SIZE_LIMIT)
}

/// The engines a phrase search needs: the lazy DFA (with `cache_capacity` bytes of cache) and
/// the PikeVM it falls back on; no full or one-pass DFA, backtracker or literal prefilter
/// (shared by [`PhraseRegex`](super::phrases::PhraseRegex) and
/// [`AsciiAlternation`](super::ascii_alternation::AsciiAlternation)).
pub fn lean_config(cache_capacity: usize) -> regex_automata::meta::Config {
    regex_automata::meta::Config::new()
        .nfa_size_limit(Some(SIZE_LIMIT))
        .hybrid_cache_capacity(cache_capacity)
        .dfa(false)
        .onepass(false)
        .backtrack(false)
        .auto_prefilter(false)
}

/// Adds `bytes` to a run's count of searched bytes, which matters only up to `limit`, and
/// returns the count before. Past `limit` the count is only read: every thread of a run
/// updates it once per text, and writes from both cores fight over its cache line.
pub fn count_bytes(counter: &AtomicUsize, bytes: usize, limit: usize) -> usize {
    let seen = counter.load(Ordering::Relaxed);
    if seen > limit {
        return seen;
    }
    counter.fetch_add(bytes, Ordering::Relaxed)
}

/// A regex (of type `R`) compiled from its pattern the first time it is needed.
#[derive(Debug)]
pub struct Lazy<R> {
    pattern: String,
    build: fn(&str) -> Result<R, String>,
    compiled: OnceLock<Result<R, String>>,
}

/// A rule's regex, built with [`build_regex`].
pub type LazyRegex = Lazy<Regex>;

impl LazyRegex {
    /// A regex for `pattern`, which the caller has checked parses.
    pub fn new(pattern: String) -> LazyRegex {
        Lazy::with(pattern, build_regex)
    }
}

impl<R> Lazy<R> {
    /// `pattern`, to be compiled with `build`.
    pub fn with(pattern: String, build: fn(&str) -> Result<R, String>) -> Lazy<R> {
        Lazy {
            pattern,
            build,
            compiled: OnceLock::new(),
        }
    }

    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Whether [`Lazy::get`] has run (for tests of what a run compiles).
    pub fn is_compiled(&self) -> bool {
        self.compiled.get().is_some()
    }

    /// The compiled regex. Since the pattern parsed at load, the only possible error is that it
    /// compiles to more than [`SIZE_LIMIT`].
    pub fn get(&self) -> Result<&R, &str> {
        self.compiled
            .get_or_init(|| (self.build)(&self.pattern))
            .as_ref()
            .map_err(String::as_str)
    }
}

/// `pattern` as a rule's regex: the size limits above, the error on one line.
pub fn build_regex(pattern: &str) -> Result<Regex, String> {
    regex::RegexBuilder::new(pattern)
        .size_limit(SIZE_LIMIT)
        .dfa_size_limit(dfa_size_limit(pattern))
        .build()
        .map_err(|e| e.to_string().replace('\n', " "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiles_once_on_first_use() {
        let r = LazyRegex::new(r"(?i)\bhello\b".to_string());
        assert!(r.compiled.get().is_none());
        assert!(r.get().unwrap().is_match("Say HELLO"));
        assert!(std::ptr::eq(r.get().unwrap(), r.get().unwrap()));
    }

    #[test]
    fn long_alternations_get_bigger_lazy_dfa_caches_up_to_the_limit() {
        assert_eq!(
            dfa_size_limit(r"\{\{[^{}\n]{0,200}\}\}"),
            SMALL_DFA_SIZE_LIMIT
        );
        let catalogue = |n: usize| {
            (0..n)
                .map(|i| format!("phrase number {i}"))
                .collect::<Vec<_>>()
                .join("|")
        };
        let medium = catalogue(500);
        assert!(dfa_size_limit(&medium) > SMALL_DFA_SIZE_LIMIT);
        assert!(dfa_size_limit(&medium) < DFA_SIZE_LIMIT);
        assert_eq!(dfa_size_limit(&catalogue(5000)), DFA_SIZE_LIMIT);
        // A catalogue given the limit compiles and matches.
        let big = build_regex(&format!("(?i){}", catalogue(5000))).unwrap();
        assert_eq!(
            big.find("say PHRASE NUMBER 4321 now").map(|m| m.start()),
            Some(4)
        );
    }

    #[test]
    fn a_byte_count_stops_growing_past_its_limit() {
        let counter = AtomicUsize::new(0);
        assert_eq!(count_bytes(&counter, 6, 10), 0);
        assert_eq!(count_bytes(&counter, 6, 10), 6);
        assert_eq!(count_bytes(&counter, 6, 10), 12);
        // Past the limit it is only read: every later text sees a count above the limit.
        assert_eq!(count_bytes(&counter, 6, 10), 12);
        assert_eq!(counter.load(Ordering::Relaxed), 12);
    }
}
