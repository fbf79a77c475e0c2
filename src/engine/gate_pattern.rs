//! The gate of a phrase catalogue: one pattern that matches somewhere in every ASCII text in
//! which any of the catalogue's patterns matches (and in a few more), small enough to
//! determinize whole, with the other built-in catalogues' gates, when Candor is built (see
//! [`catalogue_gate`](super::catalogue_gate)).
//!
//! Each pattern is cut to a prefix that every match of it starts with: the pattern up to its
//! first counted repetition (`[a-z ]{1,30}?`, `(?:\w+ ){0,2}`) or unbounded repetition of
//! anything but a narrow class (`[^.!?\n]*`, `\w+`; `\s+` stays). Those let partial matches
//! run on over almost any text, which multiplies a DFA's states: CannedFiller's gate is 4 MB
//! so cut, 8.5 MB with only counted repetitions cut, and passes 10,368 of the docs corpus's
//! 232,231 ASCII blocks where the catalogue matches in 10,236. Its classes keep only their ASCII part, its Unicode word boundaries become ASCII
//! ones and a literal with a non-ASCII byte can never match: on ASCII text all of that changes
//! nothing, and the Spanish, German and French phrases (`confusi[oó]n`) then need no Unicode.
//!
//! Self-contained (only `regex-syntax` and `regex-automata`): `build.rs` includes this file.

use regex_automata::dfa::dense;
use regex_automata::nfa::thompson;
use regex_syntax::hir::{Class, ClassBytes, ClassBytesRange, Hir, HirKind, Look, Repetition};

/// How a catalogue pattern (as wrapped, without the `(?i)` it compiles with) is parsed for its
/// gate: as the catalogue compiles it for any text, case-insensitive with Unicode.
pub fn parse(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
        .map_err(|e| e.to_string())
}

/// A pattern, over ASCII bytes, that matches wherever some match of `hir` starts in an ASCII
/// text (it may match elsewhere too).
pub fn ascii_prefix(hir: &Hir) -> Hir {
    prefix(hir).0
}

/// The gate of `patterns`: the alternation of each one's [`ascii_prefix`]. Errs when a
/// pattern does not parse.
pub fn gate(patterns: &[String]) -> Result<Hir, String> {
    let prefixes = patterns
        .iter()
        .map(|p| parse(p).map(|hir| ascii_prefix(&hir)))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Hir::alternation(prefixes))
}

/// The forward DFA of several catalogues' gates, unanchored, pattern `i` being `gates[i]`,
/// reporting every pattern that matches (an overlapping search tells which catalogues may
/// match in an ASCII text). Errs when it would pass `size_limit` bytes.
pub fn gate_dfa(gates: &[Hir], size_limit: usize) -> Result<dense::DFA<Vec<u32>>, String> {
    let nfa = thompson::Compiler::new()
        .configure(thompson::Config::new().utf8(false).shrink(true))
        .build_many_from_hir(gates)
        .map_err(|e| e.to_string())?;
    dense::Builder::new()
        .configure(
            dense::Config::new()
                .minimize(true)
                .match_kind(regex_automata::MatchKind::All)
                .start_kind(regex_automata::dfa::StartKind::Unanchored)
                .dfa_size_limit(Some(size_limit))
                .determinize_size_limit(Some(size_limit.saturating_mul(4))),
        )
        .build_from_nfa(&nfa)
        .map_err(|e| e.to_string())
}

/// `hir` cut as [`ascii_prefix`] says, and whether nothing was cut (the result matches
/// exactly what `hir` matches in ASCII text).
fn prefix(hir: &Hir) -> (Hir, bool) {
    match hir.kind() {
        HirKind::Empty => (Hir::empty(), true),
        HirKind::Literal(lit) if lit.0.is_ascii() => (hir.clone(), true),
        // Cannot occur in ASCII text: nothing that starts with it can match.
        HirKind::Literal(_) => (Hir::fail(), true),
        HirKind::Class(class) => (Hir::class(Class::Bytes(ascii_part(class))), true),
        HirKind::Look(look) => (Hir::look(ascii_look(*look)), true),
        HirKind::Capture(capture) => prefix(&capture.sub),
        HirKind::Repetition(rep) => {
            let (sub, whole) = prefix(&rep.sub);
            let counted = rep.min > 1 || rep.max.is_some_and(|max| max > 1);
            let open_ended = rep.max.is_none() && !is_narrow_class(&rep.sub);
            match (whole && !counted && !open_ended, rep.min) {
                (true, _) => (
                    Hir::repetition(Repetition {
                        sub: Box::new(sub),
                        ..rep.clone()
                    }),
                    true,
                ),
                // Every match starts with a match of the part repeated (or with nothing).
                (false, 0) => (Hir::empty(), false),
                (false, _) => (sub, false),
            }
        }
        HirKind::Concat(parts) => {
            let mut kept = Vec::with_capacity(parts.len());
            for part in parts {
                let (cut, whole) = prefix(part);
                kept.push(cut);
                if !whole {
                    return (Hir::concat(kept), false);
                }
            }
            (Hir::concat(kept), true)
        }
        HirKind::Alternation(branches) => {
            let cut: Vec<(Hir, bool)> = branches.iter().map(prefix).collect();
            let whole = cut.iter().all(|(_, w)| *w);
            (
                Hir::alternation(cut.into_iter().map(|(h, _)| h).collect()),
                whole,
            )
        }
    }
}

/// Most ASCII bytes a class may hold and still be repeated without bound in a gate: `\s+`
/// stays (the white space between words), `[^.!?\n]*` and `\w+` are cut.
const NARROW_CLASS: usize = 12;

/// Whether `hir` is a class of at most [`NARROW_CLASS`] ASCII bytes.
fn is_narrow_class(hir: &Hir) -> bool {
    let HirKind::Class(class) = hir.kind() else {
        return false;
    };
    let bytes: usize = (ascii_part(class).ranges().iter())
        .map(|r| usize::from(r.end() - r.start()) + 1)
        .sum();
    bytes <= NARROW_CLASS
}

/// The ASCII characters (or bytes) of `class`.
fn ascii_part(class: &Class) -> ClassBytes {
    let ranges: Vec<(u32, u32)> = match class {
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .map(|r| (r.start() as u32, r.end() as u32))
            .collect(),
    };
    ClassBytes::new(
        ranges
            .into_iter()
            .filter(|&(start, _)| start < 0x80)
            .map(|(start, end)| ClassBytesRange::new(start as u8, end.min(0x7f) as u8)),
    )
}

/// The ASCII form of a look-around: on ASCII text a Unicode word boundary is an ASCII one.
fn ascii_look(look: Look) -> Look {
    match look {
        Look::WordUnicode => Look::WordAscii,
        Look::WordUnicodeNegate => Look::WordAsciiNegate,
        Look::WordStartUnicode => Look::WordStartAscii,
        Look::WordEndUnicode => Look::WordEndAscii,
        Look::WordStartHalfUnicode => Look::WordStartHalfAscii,
        Look::WordEndHalfUnicode => Look::WordEndHalfAscii,
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(pattern: &str) -> String {
        ascii_prefix(&parse(pattern).unwrap()).to_string()
    }

    fn matches(pattern: &str, text: &str) -> bool {
        let hir = ascii_prefix(&parse(pattern).unwrap());
        regex::bytes::Regex::new(&hir.to_string())
            .unwrap()
            .is_match(text.as_bytes())
    }

    #[test]
    fn a_pattern_is_cut_at_its_first_counted_repetition() {
        let p = r"(?-u:\b)(?:we take (?:[a-z]+ ){0,3}seriously)(?-u:\b)";
        assert!(!shown(p).contains("seriously"), "{}", shown(p));
        assert!(matches(p, "We take privacy very seriously."));
        assert!(matches(p, "we take it"));
        assert!(!matches(p, "we took it"));
        // A repetition that must happen once keeps its first round.
        assert!(!matches(r"(?:ab){2,3}c", "xx"));
        assert!(matches(r"(?:ab){2,3}c", "ab"));
    }

    #[test]
    fn unicode_parts_keep_what_ascii_text_can_match() {
        let p = r"(?-u:\b)(?:confusi[oó]n|olá)(?-u:\b)";
        assert!(matches(p, "Sorry for the CONFUSION."));
        assert!(!matches(p, "ola"));
        let hir = ascii_prefix(&parse(r"\bk\b").unwrap());
        // The Kelvin sign and Unicode word boundaries are gone: a byte DFA needs neither.
        let unicode = parse(r"\bk\b").unwrap().to_string();
        assert!(
            unicode.contains('\u{212A}') && !hir.to_string().contains('\u{212A}'),
            "{hir}"
        );
        assert!(gate_dfa(&[hir], 1 << 20).is_ok());
    }

    #[test]
    fn an_uncut_pattern_matches_exactly_as_before() {
        let p = r"(?-u:\b)(?:thanks?(?: so much)? for (?:your|the) patience)(?-u:\b)";
        let (_, whole) = prefix(&parse(p).unwrap());
        assert!(whole);
        assert!(matches(p, "Thank you! Thanks so much for the patience."));
        assert!(!matches(p, "Thanks for the patiences"));
    }
}
