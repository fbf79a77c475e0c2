//! One search per block for many rules at once: which rules' patterns match in it at all.
//!
//! What it does: the patterns of rules that search whole blocks with one plain regex (most of a
//! Vale package's `existence` rules) are compiled together into one multi-pattern regex. For each
//! block of a file, one overlapping search tells which of them match somewhere in its prose; a
//! rule then searches only those blocks. A rule's findings do not change: a block its own regex
//! matches nowhere in is a block it finds nothing in.
//! Only rules the literal prefilter cannot narrow take part (their patterns have no literal to
//! skip to, `\d{1,2} ?[ap]m`, so their own search steps through every byte): with every
//! plain rule in it, the combined search cost what it saved, since a rule with a literal skips
//! most of a block with a fast literal search.
//! Why it matters: rules without literals each scan every block, one pass per rule; most match
//! in few blocks, so one pass for all of them spares the rest (Microsoft plus the default pack
//! on the 36 MB docs corpus: 2.63 to 2.37 s of CPU, the same findings).
//! Example: `Microsoft.AMPM` and `Microsoft.Units` are asked of a paragraph in one search;
//! only those that match there search it again for their findings.
//!
//! Blocks with non-ASCII text are not asked (the lazy DFA handles Unicode word boundaries only
//! in ASCII text, and would hand such a block to a far slower engine): every rule keeps them.

use regex_automata::meta::{self, Regex};
use regex_automata::{Input, MatchKind, PatternSet};

use crate::document::Document;

/// Cache limit of the combined pattern's lazy DFA: a union of dozens of rules needs more
/// states than one rule.
const CACHE_CAPACITY: usize = 32 << 20;

/// The combined search, and which rule (prefilter slot) each of its patterns belongs to.
#[derive(Debug)]
pub struct SharedPass {
    regex: Regex,
    slot_of: Vec<usize>,
}

impl SharedPass {
    /// The search over `patterns` (each with its rule's slot), or `None` when there are fewer
    /// than two or they do not compile together within the size limits.
    pub fn new(patterns: Vec<(usize, &str)>) -> Option<SharedPass> {
        if patterns.len() < 2 {
            return None;
        }
        let config = meta::Config::new()
            .match_kind(MatchKind::All)
            .nfa_size_limit(Some(super::lazy::SIZE_LIMIT))
            .hybrid_cache_capacity(CACHE_CAPACITY);
        let (slot_of, sources): (Vec<usize>, Vec<&str>) = patterns.into_iter().unzip();
        let regex = meta::Builder::new()
            .configure(config)
            .build_many(&sources)
            .ok()?;
        Some(SharedPass { regex, slot_of })
    }

    /// For each of `slots` prefilter slots: `None` if it has no pattern here, else the blocks
    /// of `doc` (ascending) its pattern matches in, together with every block not searched.
    pub fn blocks(&self, doc: &Document, slots: usize) -> Vec<Option<Vec<u32>>> {
        let mut out: Vec<Option<Vec<u32>>> = vec![None; slots];
        for &s in &self.slot_of {
            out[s] = Some(Vec::new());
        }
        let push = |out: &mut Vec<Option<Vec<u32>>>, slot: usize, b: u32| {
            if let Some(v) = out[slot].as_mut() {
                if v.last() != Some(&b) {
                    v.push(b);
                }
            }
        };
        let mut set = PatternSet::new(self.regex.pattern_len());
        for (b, block) in doc.blocks.iter().enumerate() {
            let b = b as u32;
            if !block.prose.is_ascii() {
                for &s in &self.slot_of {
                    push(&mut out, s, b);
                }
                continue;
            }
            set.clear();
            self.regex
                .which_overlapping_matches(&Input::new(&block.prose), &mut set);
            for p in set.iter() {
                push(&mut out, self.slot_of[p.as_usize()], b);
            }
        }
        out
    }
}

/// The blocks in both ascending lists.
pub fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Document, Format};

    #[test]
    fn each_rule_keeps_the_blocks_its_pattern_matches_and_the_non_ascii_ones() {
        let doc = Document::parse(
            "It was built today.\n\nMeet at 5pm.\n\nNothing here.\n\nIt’s at 9am.\n".to_string(),
            Format::Markdown,
        );
        let pass = SharedPass::new(vec![
            (0, r"(?i)\b(?:was|is)\b\s*\b(?:built|made)\b"),
            (2, r"\d{1,2} ?[ap]m"),
        ])
        .unwrap();
        let got = pass.blocks(&doc, 3);
        assert_eq!(got, [Some(vec![0, 3]), None, Some(vec![1, 3])]);
    }

    #[test]
    fn intersection_of_ascending_lists() {
        assert_eq!(intersect(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), [3, 7]);
        assert_eq!(intersect(&[], &[1]), Vec::<u32>::new());
    }
}
