//! Literal strings that every match of a pattern holds, for prefilters; and the wrapping that
//! turns a catalogue phrase into its pattern.
//!
//! Self-contained (only `regex-syntax` and `regex-automata`): `build.rs` includes this file
//! too, to work out the built-in catalogues' literals and DFAs when Candor is built instead of
//! at every start.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

/// How a catalogue pattern is parsed to search ASCII text: case-insensitive, with ASCII-only
/// classes and case folding, over bytes. On ASCII text it finds what the Unicode pattern does.
pub fn ascii_syntax() -> regex_automata::util::syntax::Config {
    regex_automata::util::syntax::Config::new()
        .case_insensitive(true)
        .unicode(false)
        .utf8(false)
}

/// Literals shorter than this are in almost every text: a pattern whose best set has one is
/// always a candidate.
pub const MIN_LITERAL_LEN: usize = 3;
/// Longer literals are cut to this many bytes (as good a filter, and extraction stays small).
pub const MAX_LITERAL_LEN: usize = 16;

/// The pattern of a catalogue phrase: a space matches any run of white space, line breaks
/// included (prose is often hard-wrapped), `" ?"` any white space or none, and a space in a
/// class (`[a-z ]`) one white-space character; unless `nonword`, the phrase must start and end
/// at word boundaries (ASCII ones: `\b` is then a byte test).
pub fn wrap_phrase(phrase: &str, nonword: bool) -> String {
    let p = spaces_as_white_space(phrase);
    if nonword {
        format!("(?:{p})")
    } else {
        format!(r"(?-u:\b)(?:{p})(?-u:\b)")
    }
}

/// `phrase` with its spaces written as white space (see [`wrap_phrase`]). Escaped characters
/// are kept as they are. A class is tracked so that `[a-z ]` becomes `[a-z\s]`: `\s+` there
/// would also let the class match `+`.
fn spaces_as_white_space(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len() + 8);
    // Open classes (an unescaped `[` in a class opens a nested one), and whether the last
    // character opened one: a `]` right there is a literal `]`.
    let mut depth = 0usize;
    let mut just_opened = false;
    let mut chars = phrase.chars().peekable();
    while let Some(c) = chars.next() {
        let opened = just_opened;
        just_opened = false;
        match c {
            '\\' => {
                out.push(c);
                out.extend(chars.next());
            }
            '[' => {
                depth += 1;
                out.push(c);
                if chars.peek() == Some(&'^') {
                    out.extend(chars.next());
                }
                just_opened = true;
            }
            ']' if depth > 0 && !opened => {
                depth -= 1;
                out.push(c);
            }
            ' ' if depth > 0 => out.push_str(r"\s"),
            ' ' if chars.peek() == Some(&'?') => {
                chars.next();
                out.push_str(r"\s*");
            }
            ' ' => out.push_str(r"\s+"),
            _ => out.push(c),
        }
    }
    out
}

/// Builds Vale's combined token pattern: case flag, word boundaries unless `nonword`.
pub fn token_pattern(tokens: &[String], ignorecase: bool, nonword: bool) -> String {
    let body = tokens.join("|");
    let flags = if ignorecase { "(?i)" } else { "" };
    if nonword {
        format!("{flags}(?:{body})")
    } else {
        format!(r"{flags}\b(?:{body})\b")
    }
}

/// The strings a rule's prefilter looks for (one of which every match holds): the prefix
/// literals of `hir` ([`prefix_literals`]), or its best required literal set when that filters
/// better (a longer shortest string, then fewer strings); on a tie, the prefixes as written.
/// For `(?:hi|hello)\W+customer`, "customer": "hi" is in "this" and "ship".
pub fn rule_literals(hir: &Hir, ignorecase: bool) -> Option<Vec<Vec<u8>>> {
    let prefixes = prefix_literals(hir, ignorecase);
    let required = required_literal_sets(hir).into_iter().next();
    match (prefixes, required) {
        (Some(p), Some(r)) if literal_set_quality(&r) > literal_set_quality(&p) => Some(r),
        (Some(p), _) => Some(p),
        (None, r) => r,
    }
}

/// Sets of strings such that every match of a pattern holds a string of each set (ASCII case
/// aside): a conjunction of alternatives. A pattern none of whose sets is empty of hits in a
/// text may match it; one with a set without a hit cannot.
pub type LiteralSets = Vec<Vec<Vec<u8>>>;

/// At most this many sets are kept per pattern (the best ones): more filter little better.
pub const MAX_LITERAL_SETS: usize = 8;

/// The [`LiteralSets`] of `hir`, lower-cased, best filter first; each string has at least
/// [`MIN_LITERAL_LEN`] bytes. Empty when there is none (the pattern is then always a candidate).
///
/// Every match of a concatenation holds a match of each of its parts, so every part's sets hold
/// for the whole; every match of an alternation is a match of one branch, so the union of the
/// branches' best sets is a set when every branch has one. Each node's own prefix literals
/// (regex-syntax's extractor) are a set too, and may join short parts ("we" + "'re").
///
/// "Thank you for your patience": `thanks?\s+for\s+your\s+(?:patience|time)` needs "thank"
/// and one of "patience", "time" ("for" and "your" too): a draft that only says "thanks for
/// reaching out" rules it out without compiling it.
pub fn required_literal_sets(hir: &Hir) -> LiteralSets {
    let mut sets: LiteralSets = Vec::new();
    if let Some(prefixes) = lowered_prefix_literals(hir) {
        sets.push(prefixes);
    }
    match hir.kind() {
        HirKind::Capture(c) => sets.extend(required_literal_sets(&c.sub)),
        HirKind::Repetition(r) if r.min >= 1 => sets.extend(required_literal_sets(&r.sub)),
        HirKind::Concat(parts) => {
            for part in parts {
                sets.extend(required_literal_sets(part));
            }
        }
        HirKind::Alternation(branches) => {
            // Deduplicated through a set (a search of the union per string made a list of
            // 50,000 tokens take seconds to load), kept in first-seen order.
            let mut union: Vec<Vec<u8>> = Vec::new();
            let mut seen: std::collections::HashSet<Vec<u8>> = std::collections::HashSet::new();
            let every_branch = branches.iter().all(|b| {
                let Some(best) = required_literal_sets(b).into_iter().next() else {
                    return false;
                };
                for s in best {
                    if seen.insert(s.clone()) {
                        union.push(s);
                    }
                }
                true
            });
            if every_branch {
                sets.push(union);
            }
        }
        _ => {}
    }
    for set in &mut sets {
        set.sort();
    }
    // Best first: longest shortest string, then fewest strings; then a stable order.
    sets.sort_by(|a, b| {
        literal_set_quality(b)
            .cmp(&literal_set_quality(a))
            .then_with(|| a.cmp(b))
    });
    // A set is redundant when a better one implies it: each string of that one holds one of
    // its strings ("thank" implies {"thank", "thanks"}).
    let mut kept: LiteralSets = Vec::new();
    for set in sets {
        let implied = kept
            .iter()
            .any(|k| k.iter().all(|a| set.iter().any(|b| contains(a, b))));
        if !implied {
            kept.push(set);
        }
    }
    kept.truncate(MAX_LITERAL_SETS);
    kept
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// How well a set filters: its shortest string's length, then how few strings it has.
pub fn literal_set_quality(set: &[Vec<u8>]) -> (usize, std::cmp::Reverse<usize>) {
    let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
    (shortest, std::cmp::Reverse(set.len()))
}

/// The prefix literals of `hir` (strings one of which starts every match), as written, when
/// they all have [`MIN_LITERAL_LEN`] bytes and, if case is ignored, ASCII case-insensitive search
/// finds every case form of them. Shared by the phrase-rule prefilter and [`required_literal_sets`].
pub fn prefix_literals(hir: &Hir, ignorecase: bool) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new()
        .kind(ExtractKind::Prefix)
        .limit_literal_len(MAX_LITERAL_LEN)
        .extract(hir);
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lit in seq.literals()? {
        let bytes = lit.as_bytes();
        if bytes.len() < MIN_LITERAL_LEN || (ignorecase && !ascii_fold_covers(bytes)) {
            return None;
        }
        if !out.iter().any(|s| s == bytes) {
            out.push(bytes.to_vec());
        }
    }
    (!out.is_empty()).then_some(out)
}

/// [`prefix_literals`] of a case-insensitive pattern, lower-cased (as the catalogues keep them).
fn lowered_prefix_literals(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for lower in prefix_literals(hir, true)?
        .iter()
        .map(|s| s.to_ascii_lowercase())
    {
        if !out.contains(&lower) {
            out.push(lower);
        }
    }
    Some(out)
}

/// Whether a parsed pattern can match the empty string (which `PhraseSet::find_iter` does
/// not support: an empty match says nothing and would stall the search).
pub fn matches_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len() == Some(0)
}

/// A rough upper bound on the size of a parsed pattern's compiled automaton, in states: counted
/// repetitions multiply their part's size, a Unicode class counts four per range (its UTF-8
/// sequences). Only a pattern over [`MAY_BE_OVERSIZED`] can come near a rule regex's size limit
/// (see `RuleSource::check_regex`), so only such a pattern needs compiling to know.
pub fn size_estimate(hir: &Hir) -> usize {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => 1,
        HirKind::Literal(lit) => lit.0.len(),
        HirKind::Class(Class::Unicode(class)) => class.ranges().len().saturating_mul(4),
        HirKind::Class(Class::Bytes(_)) => 1,
        HirKind::Repetition(rep) => {
            let copies = rep.max.unwrap_or(rep.min).max(1) as usize;
            size_estimate(&rep.sub)
                .saturating_mul(copies)
                .saturating_add(1)
        }
        HirKind::Capture(capture) => size_estimate(&capture.sub),
        HirKind::Concat(parts) | HirKind::Alternation(parts) => parts
            .iter()
            .fold(1, |total, part| total.saturating_add(size_estimate(part))),
    }
}

/// See [`size_estimate`]: well below the states that [`super::lazy::SIZE_LIMIT`] allows, and
/// far above any phrase or ordinary pattern.
pub const MAY_BE_OVERSIZED: usize = 100_000;

/// Whether ASCII case-insensitive matching (plus the fold triggers) finds every string that
/// Unicode case-insensitive matching of `bytes` would: true when each non-ASCII character in it
/// has no other case form.
pub fn ascii_fold_covers(bytes: &[u8]) -> bool {
    if bytes.is_ascii() {
        return true;
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return false;
    };
    text.chars().filter(|c| !c.is_ascii()).all(|c| {
        let folded = format!("(?i){}", regex_syntax::escape(c.encode_utf8(&mut [0; 4])));
        regex_syntax::Parser::new()
            .parse(&folded)
            .is_ok_and(|hir| matches!(hir.kind(), HirKind::Literal(_)))
    })
}

/// How a catalogue pattern searches ASCII text in the whole-catalogue alternation (see
/// `ascii_alternation.rs`): whether it parses in ASCII mode (else it is wrapped in `(?u:...)`),
/// the ASCII bytes a match of it can start with, and whether it can match empty text (then what
/// follows may start the match instead). Bytes from 128 up are left out: they are in no ASCII
/// text. `build.rs` works this out for the built-in patterns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AsciiStart {
    pub ascii_mode: bool,
    pub bytes: Vec<u8>,
    pub empty: bool,
}

/// [`AsciiStart`] of `pattern` (as wrapped, case-insensitive); `None` if it does not parse.
pub fn ascii_start(pattern: &str) -> Option<AsciiStart> {
    let mut parser = regex_syntax::ParserBuilder::new();
    parser.unicode(false).utf8(false).case_insensitive(true);
    let (ascii_mode, hir) = match parser.build().parse(pattern) {
        Ok(hir) => (true, hir),
        Err(_) => (
            false,
            parser.build().parse(&format!("(?u:{pattern})")).ok()?,
        ),
    };
    let mut set = [false; 128];
    // Look-arounds consume nothing: as an empty match here (a superset, fine for a prefilter).
    let empty = mark_first_bytes(&hir, &mut set);
    Some(AsciiStart {
        ascii_mode,
        bytes: (0..128u8).filter(|&b| set[b as usize]).collect(),
        empty,
    })
}

/// Marks in `set` the ASCII bytes a match of `hir` can start with; returns whether it can
/// match empty text.
fn mark_first_bytes(hir: &Hir, set: &mut [bool; 128]) -> bool {
    let mut mark = |from: u32, to: u32| {
        for b in from..=to.min(127) {
            set[b as usize] = true;
        }
    };
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => true,
        HirKind::Literal(lit) => match lit.0.first() {
            Some(&b) => {
                mark(u32::from(b), u32::from(b));
                false
            }
            None => true,
        },
        HirKind::Class(Class::Unicode(class)) => {
            for r in class.iter() {
                mark(u32::from(r.start()), u32::from(r.end()));
            }
            false
        }
        HirKind::Class(Class::Bytes(class)) => {
            for r in class.iter() {
                mark(u32::from(r.start()), u32::from(r.end()));
            }
            false
        }
        HirKind::Repetition(r) => mark_first_bytes(&r.sub, set) || r.min == 0,
        HirKind::Capture(c) => mark_first_bytes(&c.sub, set),
        HirKind::Concat(parts) => parts.iter().all(|p| mark_first_bytes(p, set)),
        // Every branch marks its bytes (no short cut).
        HirKind::Alternation(branches) => {
            let mut empty = false;
            for branch in branches {
                empty |= mark_first_bytes(branch, set);
            }
            empty
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_counted_repetitions_make_a_pattern_look_oversized() {
        let estimate = |p: &str| size_estimate(&regex_syntax::Parser::new().parse(p).unwrap());
        assert!(estimate("a{1000}{1000}{100}") > MAY_BE_OVERSIZED);
        assert!(estimate(r"(?:\w{100}){5000}") > MAY_BE_OVERSIZED);
        for ordinary in [
            r"thanks?(?: you)? for (?:reaching out|contacting us)",
            r"[^{}\n]{0,200}",
            r"(?i)\b(?:dear|hello) \w+",
            "a*b+c?",
        ] {
            assert!(estimate(ordinary) < MAY_BE_OVERSIZED / 10, "{ordinary}");
        }
    }
}
