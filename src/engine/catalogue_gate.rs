//! The built-in catalogues' gates (see [`gate_pattern`](super::gate_pattern)), determinized
//! together when Candor was built and read in place from the binary: in a large run, one scan
//! of an ASCII block tells which catalogues may hold a phrase there ([`verdict`], kept with the
//! block), and a catalogue searches the block only if its gate says it may.
//!
//! Why: a catalogue's own search is a lazy DFA, and each thread of a run builds its states as
//! the text needs them, which was a third of CannedFiller's and SelfFocus's time on the docs
//! corpus; and each catalogue scanned every block. The gates' DFA has all its states already,
//! scans as fast as a warm lazy DFA, once for all catalogues, and few blocks get past it
//! (CannedFiller: 4.5% of the corpus's ASCII blocks, SelfFocus: 0.05%), so the lazy DFAs build
//! only the states those few need. Findings are the same: a block a catalogue's gate turns away
//! holds no match of any of its patterns (property-tested below).
//!
//! The built-in Vale-type rules (GenericGreeting) have a gate too, asked for each block they
//! read whole: they then need no prefilter, so with the default pack no file is searched for
//! literal strings at all (that pass was 7% of a docs run), and a draft whose blocks the gate
//! turns away compiles nothing for them.

use std::sync::{LazyLock, OnceLock};

use regex_automata::dfa::{dense, Automaton, OverlappingState};
use regex_automata::Input;

mod table {
    include!(concat!(env!("OUT_DIR"), "/catalogue_gates.rs"));
}

/// Bytes with the alignment a dense DFA is read in place with.
#[repr(C)]
struct Aligned<B: ?Sized> {
    _align: [u32; 0],
    bytes: B,
}

static BYTES: &Aligned<[u8]> = &Aligned {
    _align: [],
    bytes: *include_bytes!(concat!(env!("OUT_DIR"), "/catalogue_gates.bin")),
};

/// The gates' DFA, read in place the first time a rule asks for a gate. `None` if the bytes do
/// not read back.
static GATES: LazyLock<Option<dense::DFA<&'static [u32]>>> = LazyLock::new(|| {
    // SAFETY: the bytes are what `build.rs` serialized with regex-automata's own `to_bytes_*`
    // (the same crate version: Cargo.lock has one), embedded unchanged and aligned;
    // `from_bytes_unchecked` still checks the header, format version, byte order and sizes. It
    // skips only checking every transition, which a draft (the built-in Vale-type rules ask for
    // their gate when the pack loads) would pay for 6 MB; a test checks them all.
    let (dfa, _) = unsafe { dense::DFA::from_bytes_unchecked(&BYTES.bytes) }.ok()?;
    (dfa.pattern_len() == table::CATALOGUE_GATES.len()).then_some(dfa)
});

/// A built-in catalogue's (or Vale-type rule's) gate.
#[derive(Debug, Clone, Copy)]
pub struct Gate {
    /// Its bit in a [`verdict`].
    bit: u32,
}

impl Gate {
    /// The gate of the catalogue of `patterns` (as wrapped, in order), if it is a built-in one
    /// whose gate `build.rs` stored.
    pub fn lookup(patterns: &[String]) -> Option<Gate> {
        Gate::stored(&patterns.join("|"))
    }

    /// The gate stored for `key` (a catalogue's patterns joined with `|`).
    fn stored(key: &str) -> Option<Gate> {
        let at = table::CATALOGUE_GATES.iter().position(|k| *k == key)?;
        GATES.as_ref()?;
        Some(Gate { bit: 1 << at })
    }

    /// The gate of a built-in Vale-type rule whose pattern is `pattern` (flags included), if
    /// it `reads_whole_blocks` (neither the raw source nor sentence by sentence): only such a
    /// rule can be gated, since a gate's verdict is kept with a whole block, and it then needs
    /// no prefilter literals.
    pub fn for_token_rule(pattern: &str, reads_whole_blocks: bool) -> Option<Gate> {
        if !reads_whole_blocks {
            return None;
        }
        Gate::stored(pattern)
    }

    /// Whether some pattern of the catalogue may match in `text`, which must be ASCII (`false`:
    /// none does). `memo` keeps the verdict for `text` for the other catalogues.
    pub fn may_match(&self, text: &[u8], memo: Option<&OnceLock<u32>>) -> bool {
        let verdict = match memo {
            Some(memo) => *memo.get_or_init(|| verdict(text)),
            None => verdict(text),
        };
        verdict & self.bit != 0
    }
}

/// Which built-in catalogues may match in `text` (ASCII): bit `i` for the `i`th gate.
pub fn verdict(text: &[u8]) -> u32 {
    debug_assert!(text.is_ascii());
    let everything = (1u32 << table::CATALOGUE_GATES.len()) - 1;
    let Some(dfa) = GATES.as_ref() else {
        return everything;
    };
    let input = Input::new(text);
    let mut state = OverlappingState::start();
    let mut seen = 0u32;
    loop {
        // The gates have no quit bytes, so the search cannot fail; if it did, search anyway.
        if dfa.try_search_overlapping_fwd(&input, &mut state).is_err() {
            return everything;
        }
        match state.get_match() {
            Some(m) => seen |= 1 << m.pattern().as_usize(),
            None => return seen,
        }
        if seen == everything {
            return seen;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_syntax::hir::{Class, Hir, HirKind};

    /// Each built-in catalogue's wrapped patterns, read from the rule files as the rules read
    /// them.
    fn built_in_catalogues() -> Vec<Vec<String>> {
        let mut out = Vec::new();
        for entry in
            std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules/Candor")).unwrap()
        {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let doc: serde_norway::Value = serde_norway::from_str(&text).unwrap();
            let key = match doc["extends"].as_str() {
                Some("filler" | "buried_answer") => "phrases",
                Some("framing") => "cues",
                _ => continue,
            };
            let patterns = doc["options"][key].as_sequence().unwrap().iter().map(|e| {
                let nonword = e.get("nonword").and_then(|n| n.as_bool()).unwrap_or(false);
                crate::engine::literals::wrap_phrase(e["match"].as_str().unwrap(), nonword)
            });
            out.push(patterns.collect());
        }
        out
    }

    #[test]
    fn every_built_in_catalogue_has_a_gate() {
        let catalogues = built_in_catalogues();
        assert_eq!(catalogues.len(), 3);
        for patterns in &catalogues {
            assert!(Gate::lookup(patterns).is_some(), "{}", patterns[0]);
        }
        // And GenericGreeting's pattern: with it gated, the built-in pack needs no prefilter
        // (tested with the rules: `rules::load`).
        assert_eq!(table::CATALOGUE_GATES.len(), catalogues.len() + 1);
        assert!(GATES.is_some());
        // Every transition checked, as `GATES` does not.
        dense::DFA::from_bytes(&BYTES.bytes).unwrap();
        assert!(Gate::lookup(&["(?:thanks)".to_string()]).is_none());
    }

    #[test]
    fn one_verdict_answers_each_catalogue() {
        let catalogues = built_in_catalogues();
        // CannedFiller has the most phrases, SelfFocus starts with policy talk.
        let filler = catalogues.iter().max_by_key(|c| c.len()).unwrap();
        let framing = catalogues.iter().find(|c| c[0].contains("polic")).unwrap();
        let (filler, framing) = (
            Gate::lookup(filler).unwrap(),
            Gate::lookup(framing).unwrap(),
        );
        let memo = OnceLock::new();
        let text = b"Thanks for reaching out! Install the package.";
        assert!(filler.may_match(text, Some(&memo)));
        assert!(!framing.may_match(text, Some(&memo)));
        assert_eq!(memo.get(), Some(&verdict(text)));
        let text = b"Sorry, that's our policy.";
        assert!(filler.may_match(text, None) && framing.may_match(text, None));
        assert_eq!(verdict(b"Install the package, then run it."), 0);
    }

    #[allow(clippy::type_complexity)]
    static CATALOGUES: std::sync::LazyLock<Vec<(Gate, regex::Regex, Vec<Hir>, Vec<String>)>> =
        std::sync::LazyLock::new(|| {
            built_in_catalogues()
                .into_iter()
                .map(|patterns| {
                    let gate = Gate::lookup(&patterns).unwrap();
                    let all = regex::Regex::new(&format!("(?i){}", patterns.join("|"))).unwrap();
                    let words = patterns.iter().map(String::as_str).collect::<Vec<_>>();
                    let hirs = (patterns.iter())
                        .map(|p| crate::engine::gate_pattern::parse(p).unwrap())
                        .collect();
                    (
                        gate,
                        all,
                        hirs,
                        crate::engine::prebuilt::tests::words_of(&words),
                    )
                })
                .collect()
        });

    /// Appends to `out` a text `hir` matches (look-arounds aside), choosing branches and
    /// repetition counts with `seed`; a class gives one of its ASCII members.
    fn sample(hir: &Hir, seed: &mut u64, out: &mut Vec<u8>) {
        let mut pick = |n: usize| {
            *seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (*seed >> 33) as usize % n.max(1)
        };
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(lit) => out.extend_from_slice(&lit.0),
            HirKind::Class(class) => {
                let members: Vec<u8> = (0u8..0x80)
                    .filter(|&b| match class {
                        Class::Unicode(c) => c
                            .ranges()
                            .iter()
                            .any(|r| r.start() <= b as char && b as char <= r.end()),
                        Class::Bytes(c) => {
                            c.ranges().iter().any(|r| r.start() <= b && b <= r.end())
                        }
                    })
                    .filter(|b| !b.is_ascii_control() || *b == b'\n')
                    .collect();
                if !members.is_empty() {
                    out.push(members[pick(members.len())]);
                }
            }
            HirKind::Capture(c) => sample(&c.sub, seed, out),
            HirKind::Repetition(rep) => {
                let max = rep.max.unwrap_or(rep.min + 3).min(rep.min + 3);
                let times = rep.min as usize + pick((max - rep.min) as usize + 1);
                for _ in 0..times {
                    sample(&rep.sub, seed, out);
                }
            }
            HirKind::Concat(parts) => parts.iter().for_each(|p| sample(p, seed, out)),
            HirKind::Alternation(branches) => {
                let at = pick(branches.len());
                sample(&branches[at], seed, out)
            }
        }
    }

    proptest::proptest! {
        /// The gate lets through every ASCII text in which the catalogue (searched as it is for
        /// any text: with Unicode) matches: texts of catalogue words, and texts around a
        /// match made from a pattern.
        #[test]
        fn the_gate_lets_through_every_text_that_holds_a_match(
            parts in proptest::collection::vec(
                (0..10_000usize, proptest::sample::select(vec![" ", "  ", "\n", ", ", ". ", "! ", "? ", ":", ":)", "-", "'", "", " x "])),
                0..8,
            ),
            pattern in 0..1_000usize,
            mut seed: u64,
            upper: bool,
        ) {
            for (gate, all, patterns, words) in CATALOGUES.iter() {
                let mut text = Vec::new();
                for (k, (word, glue)) in parts.iter().enumerate() {
                    if k == parts.len() / 2 {
                        sample(&patterns[pattern % patterns.len()], &mut seed, &mut text);
                        text.push(b' ');
                    }
                    text.extend_from_slice(words[word % words.len()].as_bytes());
                    text.extend_from_slice(glue.as_bytes());
                }
                let Ok(mut text) = String::from_utf8(text) else { continue };
                if !text.is_ascii() {
                    continue;
                }
                if upper {
                    text = text.to_uppercase();
                }
                if all.is_match(&text) {
                    proptest::prop_assert!(gate.may_match(text.as_bytes(), None), "{}", text);
                }
            }
        }
    }

    #[test]
    fn most_sampled_texts_hold_a_match() {
        // Else the property above would say little.
        let (_, all, patterns, _) = &CATALOGUES[0];
        let mut seed = 7;
        let matched = (0..200)
            .filter(|i| {
                let mut text = Vec::new();
                sample(&patterns[i % patterns.len()], &mut seed, &mut text);
                String::from_utf8(text).is_ok_and(|t| all.is_match(&t))
            })
            .count();
        assert!(matched > 100, "{matched}");
    }
}
