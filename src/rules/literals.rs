//! Literal strings that every match of a pattern holds, for prefilters; and the wrapping that
//! turns a catalogue phrase into its pattern.
//!
//! Self-contained (only `regex-syntax`): `build.rs` includes this file too, to work out the
//! built-in catalogues' literals when Candor is built instead of at every start.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};

/// Literals shorter than this are in almost every text: a pattern whose best set has one is
/// always a candidate.
pub const MIN_LITERAL_LEN: usize = 3;
/// Longer literals are cut to this many bytes (as good a filter, and extraction stays small).
pub const MAX_LITERAL_LEN: usize = 16;

/// The pattern of a catalogue phrase: a space matches any run of white space, line breaks
/// included (prose is often hard-wrapped), `" ?"` any white space or none; unless `nonword`,
/// the phrase must start and end at word boundaries (ASCII ones: `\b` is then a byte test).
pub fn wrap_phrase(phrase: &str, nonword: bool) -> String {
    let p = phrase.replace(" ?", r"\s*").replace(' ', r"\s+");
    if nonword {
        format!("(?:{p})")
    } else {
        format!(r"(?-u:\b)(?:{p})(?-u:\b)")
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
    let prefixes = lowered_prefix_literals(hir);
    let structural = match hir.kind() {
        HirKind::Capture(c) => required_literals(&c.sub),
        HirKind::Repetition(r) if r.min >= 1 => required_literals(&r.sub),
        HirKind::Concat(parts) => parts.iter().filter_map(required_literals).reduce(better),
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

/// The prefix literals of `hir` (strings one of which starts every match), as written, when
/// they all have [`MIN_LITERAL_LEN`] bytes and, if case is ignored, ASCII case-insensitive search
/// finds every case form of them. Shared by the phrase-rule prefilter and [`required_literals`].
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

/// Whether a parsed pattern can match the empty string (which [`PhraseSet::find_iter`] does
/// not support: an empty match says nothing and would stall the search).
pub fn matches_empty(hir: &Hir) -> bool {
    hir.properties().minimum_len() == Some(0)
}

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
