//! The built-in catalogue patterns as DFAs that `build.rs` determinized when Candor was built,
//! so a draft in plain ASCII searches them without compiling anything.
//!
//! Why: compiling the dozen patterns a draft may hold was a third of a one-draft run. Each
//! pattern is stored as it is searched (`p`) and as matched whole (`^p$`), in ASCII mode
//! ([`ascii_syntax`](super::literals::ascii_syntax)): the Unicode forms make DFAs hundreds of
//! times larger, and on ASCII text the two find the same matches. The DFAs are sparse (a few
//! kilobytes each) and are read in place from the binary; a pattern with a large DFA is left
//! out and compiles when needed, as before.

use regex_automata::dfa::{regex::Regex, sparse};

mod table {
    include!(concat!(env!("OUT_DIR"), "/phrase_dfas.rs"));
}

static BYTES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/phrase_dfas.bin"));

/// A regex of two sparse DFAs read in place from the binary.
pub type PrebuiltRegex = Regex<sparse::DFA<&'static [u8]>>;

/// The prebuilt regex of `pattern` (as wrapped, without `(?i)`), if `build.rs` made one.
/// `None` too if the stored bytes do not read back (a build for another byte order).
pub fn lookup(pattern: &str) -> Option<PrebuiltRegex> {
    let (forward, reverse) = stored(pattern)?;
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
fn stored(pattern: &str) -> Option<(&'static [u8], &'static [u8])> {
    let table = table::PHRASE_DFAS;
    let at = table.binary_search_by(|(p, _)| (*p).cmp(pattern)).ok()?;
    let [start, middle, end] = table[at].1;
    Some((BYTES.get(start..middle)?, BYTES.get(middle..end)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_built_in_patterns_have_a_prebuilt_dfa_and_each_is_valid() {
        let table = table::PHRASE_DFAS;
        assert!(table.len() > 150, "{}", table.len());
        for (pattern, _) in table {
            // Every transition checked, as `lookup` does not.
            let (forward, reverse) = stored(pattern).unwrap();
            sparse::DFA::from_bytes(forward).unwrap();
            sparse::DFA::from_bytes(reverse).unwrap();
            assert!(lookup(pattern).is_some(), "{pattern}");
        }
        assert!(lookup("no such pattern").is_none());
    }
}
