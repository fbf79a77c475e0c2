//! One pass over a file's prose that tells which phrase rules can match it at all.
//!
//! A rule may declare [`Literals`]: strings such that every match of its pattern holds one of
//! them: the prefixes regex-syntax's literal extractor finds, or a better set of
//! [`required_literal_sets`](super::literals::required_literal_sets) (for
//! "(hi|hello), customer", "customer" rather than "hi", which is in "this" and "ship"). All
//! rules' literals are searched for together ([`LiteralScan`]), with one search per rule set. A
//! rule none of whose literals occur in any block of a file cannot match there, so it is not
//! run; a rule without literals always runs. Findings are the same as without the prefilter; a
//! pack of a thousand phrase rules then costs about one pass per file instead of a thousand
//! regex passes.
//!
//! Case: the automaton compares ASCII letters without regard to case. Under Unicode case folding
//! a few other characters match ASCII letters too (the Kelvin sign `K` matches `k`); they are in
//! the automaton as well, and a file containing one runs every case-insensitive rule.
//!
//! Rules without literals that search whole blocks with one plain regex are asked together,
//! one search per block ([`SharedPass`]), and then run only on the blocks they match in.
//!
//! Speed: see [`LiteralScan`]: a draft's few hundred bytes are searched string by string, with
//! no automaton built; a run of many files switches to the contiguous NFA, and after
//! [`DFA_AFTER`] bytes to the DFA. All report the same strings.

use std::collections::HashMap;
use std::sync::Arc;

use regex_syntax::hir::Hir;

use super::literal_scan::LiteralScan;
use super::shared_pass::{intersect, SharedPass};

use super::literals::rule_literals;

mod precomputed {
    include!(concat!(env!("OUT_DIR"), "/token_literals.rs"));
}
use crate::document::Document;

/// Bytes of prose scanned with the NFA before the DFA is built: a draft or a handful of files
/// never wait for it, a folder of docs soon runs on it.
pub const DFA_AFTER: usize = 1 << 20;

/// Strings one of which every match of a rule's pattern holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Literals {
    strings: Vec<Vec<u8>>,
    /// The rule matches case-insensitively (its pattern is compiled with `(?i)`).
    ignorecase: bool,
}

impl Literals {
    /// The literals of `pattern`, written without the `(?i)` flag that `ignorecase` adds when the
    /// rule compiles it. `None` when there is no useful set: the pattern can start with anything
    /// (`\w+ly`), a literal is very short, or it has a non-ASCII letter and case is ignored.
    pub fn of_pattern(pattern: &str, ignorecase: bool) -> Option<Literals> {
        let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
        Literals::of_hir(&hir, ignorecase)
    }

    /// [`Literals::of_pattern`] for a pattern already parsed (see [`rule_literals`]).
    pub fn of_hir(hir: &Hir, ignorecase: bool) -> Option<Literals> {
        Some(Literals {
            strings: rule_literals(hir, ignorecase)?,
            ignorecase,
        })
    }

    /// What `build.rs` worked out for a built-in Vale-type rule whose tokens (or swap keys) are
    /// `tokens`: `Some(literals)` when such a rule is built in (its tokens each parse alone, and
    /// their pattern parses), `None` for any other.
    pub fn built_in(
        tokens: &[String],
        nonword: bool,
        ignorecase: bool,
    ) -> Option<Option<Literals>> {
        let (.., strings) = precomputed::TOKEN_LITERALS.iter().find(|(t, w, i, _)| {
            *w == nonword
                && *i == ignorecase
                && t.iter().copied().eq(tokens.iter().map(String::as_str))
        })?;
        Some(strings.map(|strings| Literals {
            strings: strings.iter().map(|s| s.to_vec()).collect(),
            ignorecase,
        }))
    }

    pub fn strings(&self) -> &[Vec<u8>] {
        &self.strings
    }
}

/// The non-ASCII characters that Unicode simple case folding (what the regex crate's `(?i)`
/// uses) equates with an ASCII letter: the Kelvin sign (`k`) and the long s (`s`). A test checks
/// this against regex-syntax's own tables.
pub(crate) const FOLD_TRIGGERS: [&str; 2] = ["\u{212A}", "\u{17F}"];

/// What the prefilter asks of a rule (the rules implement it for `dyn Rule`).
pub trait HasLiterals {
    /// Strings one of which starts every match, if the rule has them: a file whose prose holds
    /// none of them cannot match.
    fn literals(&self) -> Option<&Literals>;

    /// The one regex the rule searches each whole block with, if it has one: blocks it does not
    /// match cannot hold a finding (see [`SharedPass`]).
    fn shared_pattern(&self) -> Option<&str> {
        None
    }
}

/// What the automaton knows about one rule of the set it was built for.
#[derive(Debug)]
struct Slot<R: ?Sized> {
    /// Held so its address cannot be reused by another rule while this prefilter lives.
    rule: Arc<R>,
    filtered: bool,
    ignorecase: bool,
}

/// The search for every rule's literals, made once per rule set (of rules of type `R`).
#[derive(Debug)]
pub struct Prefilter<R: ?Sized> {
    /// Every rule's literals, then the case-fold triggers.
    scan: LiteralScan,
    /// For each string of `scan`, the slots of the rules it belongs to (empty: a fold trigger).
    owners: Vec<Vec<usize>>,
    slots: Vec<Slot<R>>,
    by_address: HashMap<usize, usize>,
    /// One search per block for the rules that have a shared pattern.
    shared: Option<SharedPass>,
}

fn address<R: ?Sized>(rule: &Arc<R>) -> usize {
    Arc::as_ptr(rule) as *const () as usize
}

impl<R: ?Sized + HasLiterals> Prefilter<R> {
    pub fn new<'a>(rules: impl IntoIterator<Item = &'a Arc<R>>) -> Prefilter<R>
    where
        R: 'a,
    {
        let mut slots = Vec::new();
        let mut owners: Vec<Vec<usize>> = Vec::new();
        let mut patterns: Vec<Vec<u8>> = Vec::new();
        let mut index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut any_ignorecase = false;
        for (slot, rule) in rules.into_iter().enumerate() {
            let literals = rule.literals();
            if let Some(lits) = literals {
                any_ignorecase |= lits.ignorecase;
                for s in lits.strings() {
                    let key = s.to_ascii_lowercase();
                    let at = *index.entry(key).or_insert_with(|| {
                        patterns.push(s.clone());
                        owners.push(Vec::new());
                        patterns.len() - 1
                    });
                    if owners[at].last() != Some(&slot) {
                        owners[at].push(slot);
                    }
                }
            }
            slots.push(Slot {
                rule: rule.clone(),
                filtered: literals.is_some(),
                ignorecase: literals.is_some_and(|l| l.ignorecase),
            });
        }
        if any_ignorecase {
            for t in FOLD_TRIGGERS {
                patterns.push(t.as_bytes().to_vec());
                owners.push(Vec::new());
            }
        }
        let by_address = slots
            .iter()
            .enumerate()
            .map(|(i, s)| (address(&s.rule), i))
            .collect();
        let shared = SharedPass::new(
            slots
                .iter()
                .enumerate()
                .filter(|(_, s)| !s.filtered)
                .filter_map(|(i, s)| s.rule.shared_pattern().map(|p| (i, p)))
                .collect(),
        );
        Prefilter {
            scan: LiteralScan::new(patterns, DFA_AFTER),
            owners,
            slots,
            by_address,
            shared,
        }
    }

    /// This prefilter, switching to the DFA after `bytes` scanned bytes instead of
    /// [`DFA_AFTER`] (0: at once; `usize::MAX`: never), and to an automaton at once. For tests
    /// and benchmarks.
    pub fn with_dfa_after(mut self, bytes: usize) -> Prefilter<R> {
        self.scan = self.scan.with_dfa_after(bytes).with_scan_directly(0);
        self
    }

    /// This prefilter, searching string by string for the first `bytes` bytes. For tests.
    pub fn with_scan_directly(mut self, bytes: usize) -> Prefilter<R> {
        self.scan = self.scan.with_scan_directly(bytes);
        self
    }

    /// Whether no rule has literals to search for: every rule runs, and no file is scanned.
    pub fn searches_nothing(&self) -> bool {
        self.scan.is_empty()
    }

    /// Builds the automaton a large run searches with (see [`LiteralScan::warm_up`]).
    pub fn warm_up(&self) {
        self.scan.warm_up();
    }

    /// For each of `rules` in order, whether it may match `doc` and so must run. Rules this
    /// prefilter was not built with always run.
    pub fn select<'a>(
        &self,
        rules: impl IntoIterator<Item = &'a Arc<R>>,
        doc: &Document,
    ) -> Vec<bool>
    where
        R: 'a,
    {
        self.select_blocks(rules, doc)
            .into_iter()
            .map(|b| b.may_match())
            .collect()
    }

    /// For each of `rules` in order, the blocks of `doc` it may match in: a rule's match lies
    /// in one block's prose, so it holds one of the rule's literals there. Rules this prefilter
    /// was not built with, or that have no literals, may match in every block.
    pub fn select_blocks<'a>(
        &self,
        rules: impl IntoIterator<Item = &'a Arc<R>>,
        doc: &Document,
    ) -> Vec<Blocks>
    where
        R: 'a,
    {
        let rules: Vec<&Arc<R>> = rules.into_iter().collect();
        let mut selection = self.select_by_literals(&rules, doc);
        if let Some(shared) = &self.shared {
            let matched = shared.blocks(doc, self.slots.len());
            for (rule, blocks) in rules.iter().zip(selection.iter_mut()) {
                let Some(Some(hits)) = self.slot(rule).map(|s| &matched[s]) else {
                    continue;
                };
                *blocks = Blocks::Some(match blocks {
                    Blocks::All => hits.clone(),
                    Blocks::Some(some) => intersect(some, hits),
                });
            }
        }
        selection
    }

    /// The slot of `rule`, if this prefilter was built with it.
    fn slot(&self, rule: &Arc<R>) -> Option<usize> {
        self.by_address.get(&address(rule)).copied()
    }

    /// [`Prefilter::select_blocks`] by the rules' literals alone.
    fn select_by_literals(&self, rules: &[&Arc<R>], doc: &Document) -> Vec<Blocks> {
        let rules = rules.iter().copied();
        if self.scan.is_empty() {
            return rules.map(|_| Blocks::All).collect();
        }
        // For each slot, the blocks its literals occur in (ascending); the blocks holding a
        // case-fold trigger.
        let mut hit: Vec<Vec<u32>> = vec![Vec::new(); self.slots.len()];
        let mut folded: Vec<u32> = Vec::new();
        for (b, block) in doc.blocks.iter().enumerate() {
            let b = b as u32;
            let scanned = self.scan.scan(&block.prose, |k| {
                let owners = &self.owners[k];
                if owners.is_empty() && folded.last() != Some(&b) {
                    folded.push(b);
                }
                for &slot in owners {
                    if hit[slot].last() != Some(&b) {
                        hit[slot].push(b);
                    }
                }
                true
            });
            if !scanned {
                return rules.map(|_| Blocks::All).collect();
            }
        }
        rules
            .enumerate()
            .map(|(i, rule)| {
                let slot = match self.slots.get(i) {
                    Some(s) if address(&s.rule) == address(rule) => Some(i),
                    _ => self.by_address.get(&address(rule)).copied(),
                };
                match slot {
                    None => Blocks::All,
                    Some(s) if !self.slots[s].filtered => Blocks::All,
                    Some(s) if self.slots[s].ignorecase && !folded.is_empty() => {
                        let mut blocks = std::mem::take(&mut hit[s]);
                        blocks.extend_from_slice(&folded);
                        blocks.sort_unstable();
                        blocks.dedup();
                        Blocks::Some(blocks)
                    }
                    Some(s) => Blocks::Some(std::mem::take(&mut hit[s])),
                }
            })
            .collect()
    }
}

/// The blocks of a document a rule may match in (see [`Prefilter::select_blocks`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Blocks {
    All,
    /// These blocks (indices into `Document::blocks`, ascending); none: the rule cannot match.
    Some(Vec<u32>),
}

impl Blocks {
    /// Whether the rule may match anywhere, and so must run.
    pub fn may_match(&self) -> bool {
        match self {
            Blocks::All => true,
            Blocks::Some(blocks) => !blocks.is_empty(),
        }
    }

    /// Whether the rule may match in block `index`.
    pub fn holds(&self, index: usize) -> bool {
        match self {
            Blocks::All => true,
            Blocks::Some(blocks) => blocks.binary_search(&(index as u32)).is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_syntax::hir::{Class, HirKind};

    fn strings(l: &Literals) -> Vec<&str> {
        l.strings()
            .iter()
            .map(|s| std::str::from_utf8(s).unwrap())
            .collect()
    }

    #[test]
    fn phrases_give_their_prefixes_cut_to_the_maximum_length() {
        let l = Literals::of_pattern(
            r"\b(?:thank you for reaching out|sorry for (?:any|the) mess)\b",
            true,
        )
        .unwrap();
        assert_eq!(
            strings(&l),
            ["thank you for re", "sorry for any me", "sorry for the me"]
        );
    }

    #[test]
    fn patterns_that_can_start_anywhere_or_too_short_have_none() {
        assert_eq!(Literals::of_pattern(r"\b\w+ly\b", false), None);
        assert_eq!(Literals::of_pattern(r"\b(?:a|an)\b", false), None);
        assert_eq!(Literals::of_pattern(r"(?:foo)?", false), None);
    }

    #[test]
    fn a_required_set_serves_when_it_filters_better_than_the_prefixes() {
        // Every match starts with "hi" or "hello" ("this", "shell"): too short a prefix to
        // filter; every match holds "customer" or "client" too.
        let l = Literals::of_pattern(r"\b(?:hi|hello)\W+(?:customer|client)s?\b", true).unwrap();
        assert_eq!(strings(&l), ["client", "customer"]);
        // A tie keeps the prefixes as written.
        let l = Literals::of_pattern(r"\bKind Regards\b", false).unwrap();
        assert_eq!(strings(&l), ["Kind Regards"]);
    }

    #[test]
    fn non_ascii_letters_are_only_filtered_when_case_matters() {
        assert_eq!(Literals::of_pattern("café au lait", true), None);
        assert!(Literals::of_pattern("café au lait", false).is_some());
        // Characters without case forms are fine either way.
        assert!(Literals::of_pattern("don’t worry", true).is_some());
    }

    #[test]
    fn fold_triggers_are_every_non_ascii_case_form_of_an_ascii_letter() {
        let mut found = Vec::new();
        for letter in 'a'..='z' {
            let hir = regex_syntax::Parser::new()
                .parse(&format!("(?i){letter}"))
                .unwrap();
            if let HirKind::Class(Class::Unicode(class)) = hir.kind() {
                for range in class.ranges() {
                    found.extend((range.start()..=range.end()).filter(|c| !c.is_ascii()));
                }
            }
        }
        let mut expected: Vec<char> = FOLD_TRIGGERS.iter().flat_map(|t| t.chars()).collect();
        found.sort();
        expected.sort();
        assert_eq!(found, expected);
    }

    /// A rule as the prefilter sees it.
    #[derive(Debug)]
    struct Stub(Option<Literals>);

    impl HasLiterals for Stub {
        fn literals(&self) -> Option<&Literals> {
            self.0.as_ref()
        }
    }

    #[test]
    fn the_dfa_is_built_only_after_enough_prose_was_scanned() {
        // The literals of `extends: existence` with `ignorecase: true` and the token
        // `kind regards`.
        let tokens = ["kind regards".to_string()];
        let pattern = super::super::literals::token_pattern(&tokens, false, false);
        let literals = Literals::of_pattern(&pattern, true);
        assert!(literals.is_some());
        let set = [Arc::new(Stub(literals))];
        let doc = Document::parse(
            "Kind regards, Sam".to_string(),
            crate::document::Format::Text,
        );
        let pre = Prefilter::new(set.iter()).with_dfa_after(20);
        assert_eq!(pre.select(set.iter(), &doc), [true]);
        assert!(!pre.scan.has_dfa(), "17 bytes scanned, under 20");
        assert_eq!(pre.select(set.iter(), &doc), [true]);
        assert!(pre.scan.has_dfa(), "34 bytes scanned");
        let other = Document::parse("Best, Sam".to_string(), crate::document::Format::Text);
        assert_eq!(pre.select(set.iter(), &other), [false]);
    }

    #[test]
    fn a_rule_runs_only_in_the_blocks_that_hold_its_literals() {
        let literals = |token: &str, ignorecase: bool| {
            let tokens = [token.to_string()];
            let pattern = super::super::literals::token_pattern(&tokens, false, false);
            Literals::of_pattern(&pattern, ignorecase)
        };
        let set = [
            Arc::new(Stub(literals("kind regards", true))),
            Arc::new(Stub(literals("Sincerely", false))),
            Arc::new(Stub(None)),
        ];
        let doc = Document::parse(
            "# Kind regards\n\nNothing here.\n\nAnother one, Sincerely yours.\n\nSee \u{212A}ind.\n"
                .to_string(),
            crate::document::Format::Markdown,
        );
        assert_eq!(doc.blocks.len(), 4);
        let pre = Prefilter::new(set.iter()).with_scan_directly(0);
        // The Kelvin sign folds to `k`: an ignorecase rule may match in its block too.
        assert_eq!(
            pre.select_blocks(set.iter(), &doc),
            [Blocks::Some(vec![0, 3]), Blocks::Some(vec![2]), Blocks::All]
        );
        assert!(!Blocks::Some(vec![0, 3]).holds(1));
        assert!(Blocks::Some(vec![0, 3]).holds(3));
    }
}
