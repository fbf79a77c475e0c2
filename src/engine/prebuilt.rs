//! The built-in catalogue patterns as DFAs that `build.rs` determinized when Candor was built,
//! so a draft in plain ASCII searches them without compiling anything.
//!
//! Why: compiling the dozen patterns a draft may hold was a third of a one-draft run. Each
//! pattern is stored as it is searched (`p`) and as matched whole (`^p$`), in ASCII mode
//! ([`ascii_syntax`](super::literals::ascii_syntax)): the Unicode forms make DFAs hundreds of
//! times larger, and on ASCII text the two find the same matches. The DFAs are sparse (a few
//! kilobytes each) and are read in place from the binary; a pattern with a large DFA is left
//! out and compiles when needed, as before.
//!
//! The question checks' fixed regexes ([`crate::questions::patterns`]) are stored the same way
//! (as written: their own flags, ASCII mode) and searched through [`BuiltInRegex`]: a draft with
//! a customer's question compiled about thirty of them, five times the rest of the run.
//!
//! `build.rs` also worked out each built-in catalogue pattern's required literal sets and how it
//! searches ASCII text ([`built_in`], [`built_in_ascii_start`]), so loading the catalogues parses
//! none of their patterns.

use std::sync::atomic::AtomicUsize;
use std::sync::OnceLock;

use regex_automata::dfa::{regex::Regex, sparse, Automaton};
use regex_automata::Input;

use super::literals::{AsciiStart, LiteralSets};

mod table {
    include!(concat!(env!("OUT_DIR"), "/phrase_dfas.rs"));
}
mod fixed_table {
    include!(concat!(env!("OUT_DIR"), "/fixed_dfas.rs"));
}
mod precomputed {
    include!(concat!(env!("OUT_DIR"), "/phrase_literals.rs"));
}

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/phrase_dfas.bin"));
static FIXED_BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fixed_dfas.bin"));

/// A stored table: (pattern, byte offsets of its forward DFA, reverse DFA and end), sorted by
/// pattern, and the bytes it points into.
type Table = (&'static [(&'static str, [usize; 3])], &'static [u8]);

const PHRASES: Table = (table::PHRASE_DFAS, BYTES);
const FIXED: Table = (fixed_table::FIXED_DFAS, FIXED_BYTES);

/// A regex of two sparse DFAs read in place from the binary.
pub type PrebuiltRegex = Regex<sparse::DFA<&'static [u8]>>;

/// The prebuilt regex of `pattern` (as wrapped, without `(?i)`), if `build.rs` made one.
/// `None` too if the stored bytes do not read back (a build for another byte order).
pub fn lookup(pattern: &str) -> Option<PrebuiltRegex> {
    lookup_in(PHRASES, pattern)
}

fn lookup_in(table: Table, pattern: &str) -> Option<PrebuiltRegex> {
    let (forward, reverse) = stored(table, pattern)?;
    // SAFETY: the bytes are what `build.rs` serialized with regex-automata's own `to_bytes_*`
    // (the same crate version: Cargo.lock has one), embedded unchanged; `from_bytes_unchecked`
    // still checks the header, format version, byte order and sizes. It skips only checking
    // every transition, which took a quarter of a one-draft run; a test checks them all.
    let read = |bytes| unsafe { sparse::DFA::from_bytes_unchecked(bytes) };
    let (forward, _) = read(forward).ok()?;
    let (reverse, _) = read(reverse).ok()?;
    Some(Regex::builder().build_from_dfas(forward, reverse))
}

/// The stored bytes of `pattern`'s forward and reverse DFAs.
fn stored((table, bytes): Table, pattern: &str) -> Option<(&'static [u8], &'static [u8])> {
    let at = table.binary_search_by(|(p, _)| (*p).cmp(pattern)).ok()?;
    let [start, middle, end] = table[at].1;
    Some((bytes.get(start..middle)?, bytes.get(middle..end)?))
}

/// ASCII bytes one [`BuiltInRegex`] searches with its stored DFA before it is compiled: a
/// draft never compiles, and a run of many files soon stops paying the sparse DFA's slower scan
/// (on the docs corpus 32 KiB did best: 6.93G instructions, against 7.23G with 256 KiB).
pub const FIXED_PREBUILT_UNTIL: usize = 32 << 10;

/// One of Candor's own fixed regexes (a `regex::Regex` pattern, flags inline), matched with
/// the DFA `build.rs` stored for it while a run has searched little ASCII text with it, and
/// compiled for other text or once the run has searched more. Both say the same: on ASCII
/// text a pattern's ASCII-mode form matches what its Unicode form does (tests check each
/// pattern both ways).
#[derive(Debug)]
pub struct BuiltInRegex {
    pattern: &'static str,
    prebuilt: OnceLock<Option<PrebuiltRegex>>,
    compiled: OnceLock<regex::Regex>,
    searched: AtomicUsize,
}

impl BuiltInRegex {
    pub const fn new(pattern: &'static str) -> BuiltInRegex {
        BuiltInRegex {
            pattern,
            prebuilt: OnceLock::new(),
            compiled: OnceLock::new(),
            searched: AtomicUsize::new(0),
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        if text.is_ascii()
            && super::lazy::count_bytes(&self.searched, text.len(), FIXED_PREBUILT_UNTIL)
                <= FIXED_PREBUILT_UNTIL
        {
            if let Some(dfa) = self.prebuilt() {
                let earliest = Input::new(text).earliest(true);
                if let Ok(found) = dfa.forward().try_search_fwd(&earliest) {
                    return found.is_some();
                }
            }
        }
        self.compiled().is_match(text)
    }

    fn prebuilt(&self) -> &Option<PrebuiltRegex> {
        self.prebuilt.get_or_init(|| lookup_in(FIXED, self.pattern))
    }

    /// The pattern compiled (the first time it is needed).
    pub fn compiled(&self) -> &regex::Regex {
        self.compiled.get_or_init(|| {
            regex::Regex::new(self.pattern).expect("a built-in pattern compiles (tested)")
        })
    }
}

/// What `build.rs` worked out for a built-in catalogue pattern (its row of
/// `PHRASE_LITERALS`); `None` for any other pattern.
#[allow(clippy::type_complexity)]
fn precomputed_row(
    wrapped: &str,
) -> Option<&'static (
    &'static str,
    bool,
    &'static [&'static [&'static [u8]]],
    Option<(bool, &'static [u8], bool)>,
)> {
    let table = precomputed::PHRASE_LITERALS;
    let at = table.binary_search_by(|(p, ..)| (*p).cmp(wrapped)).ok()?;
    Some(&table[at])
}

/// What `build.rs` worked out for a built-in catalogue pattern: its required literal sets and
/// whether it can match empty text. `None` for any other pattern.
pub fn built_in(wrapped: &str) -> Option<(LiteralSets, bool)> {
    let &(_, empty, sets, _) = precomputed_row(wrapped)?;
    let sets = sets
        .iter()
        .map(|set| set.iter().map(|s| s.to_vec()).collect())
        .collect();
    Some((sets, empty))
}

/// What `build.rs` worked out of how a built-in catalogue pattern searches ASCII text
/// (see [`AsciiStart`]): `Some(None)` if it does not parse, `None` for any other pattern.
pub fn built_in_ascii_start(wrapped: &str) -> Option<Option<AsciiStart>> {
    Some(
        precomputed_row(wrapped)?
            .3
            .map(|(ascii_mode, bytes, empty)| AsciiStart {
                ascii_mode,
                bytes: bytes.to_vec(),
                empty,
            }),
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn most_built_in_patterns_have_a_prebuilt_dfa_and_each_is_valid() {
        let table = table::PHRASE_DFAS;
        assert!(table.len() > 150, "{}", table.len());
        for (pattern, _) in table {
            // Every transition checked, as `lookup` does not.
            let (forward, reverse) = stored(PHRASES, pattern).unwrap();
            sparse::DFA::from_bytes(forward).unwrap();
            sparse::DFA::from_bytes(reverse).unwrap();
            assert!(lookup(pattern).is_some(), "{pattern}");
        }
        assert!(lookup("no such pattern").is_none());
    }

    #[test]
    fn most_fixed_patterns_have_a_prebuilt_dfa_and_each_is_valid() {
        let table = fixed_table::FIXED_DFAS;
        let all = crate::questions::patterns::ALL;
        assert!(
            table.len() * 4 >= all.len() * 3,
            "{} of {}",
            table.len(),
            all.len()
        );
        for (pattern, _) in table {
            assert!(all.contains(pattern), "{pattern}");
            let (forward, reverse) = stored(FIXED, pattern).unwrap();
            sparse::DFA::from_bytes(forward).unwrap();
            sparse::DFA::from_bytes(reverse).unwrap();
            assert!(BuiltInRegex::new(pattern).prebuilt().is_some(), "{pattern}");
        }
    }

    /// The words of `patterns` (runs of letters, digits and apostrophes), to build texts they
    /// may match.
    pub(crate) fn words_of(patterns: &[&str]) -> Vec<String> {
        let mut words: Vec<String> = patterns
            .iter()
            .flat_map(|p| p.split(|c: char| !c.is_ascii_alphanumeric() && c != '\''))
            .filter(|w| w.len() > 1)
            .map(str::to_string)
            .collect();
        words.sort();
        words.dedup();
        words
    }

    static WORDS: std::sync::LazyLock<Vec<String>> =
        std::sync::LazyLock::new(|| words_of(crate::questions::patterns::ALL));
    /// Built once: each case would otherwise compile every pattern again.
    static FIXED_REGEXES: std::sync::LazyLock<Vec<BuiltInRegex>> = std::sync::LazyLock::new(|| {
        crate::questions::patterns::ALL
            .iter()
            .map(|p| BuiltInRegex::new(p))
            .collect()
    });

    proptest::proptest! {
        /// On ASCII text each fixed pattern's stored DFA says what the compiled pattern says.
        #[test]
        fn stored_and_compiled_fixed_patterns_agree_on_ascii_text(
            parts in proptest::collection::vec(
                (0..10_000usize, proptest::sample::select(vec![" ", "  ", ", ", "? ", ". ", "\n", "-", ": ", "#", "@", "$4", " 10:30 ", "'"])),
                0..12,
            ),
            upper: bool,
        ) {
            let mut text = String::new();
            for (word, glue) in parts {
                text.push_str(&WORDS[word % WORDS.len()]);
                text.push_str(glue);
            }
            if upper {
                text = text.to_uppercase();
            }
            for fixed in FIXED_REGEXES.iter() {
                if let Some(dfa) = fixed.prebuilt() {
                    let found = dfa.forward().try_search_fwd(&Input::new(&text).earliest(true)).unwrap();
                    proptest::prop_assert_eq!(found.is_some(), fixed.compiled().is_match(&text), "{} on {:?}", fixed.pattern, text);
                }
            }
        }
    }
}
