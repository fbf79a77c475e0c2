//! Rule patterns with look-around or back-references (`(?!`, `(?<=`, `\1`), which Vale's packs
//! use and the `regex` crate does not support.
//!
//! What it does: a pattern the `regex` crate parses keeps going through it (linear time, with
//! the engine's literal prefilters and gates); only one it refuses, and `fancy-regex` accepts, is
//! compiled by `fancy-regex`, with a bound on backtracking ([`BACKTRACK_LIMIT`]) so a hostile
//! pattern cannot hang a run: a search that reaches the bound ends that unit's search.
//! Why it matters: Microsoft, Google and proselint ship such rules; refusing them left the whole
//! pack out.
//! Example: `(?<!\.)\bgo\b(?! ahead)` compiles here; `\bgo\b` never comes here.

use std::ops::Range;

use crate::engine::lazy::LazyRegex;

/// The most backtracking steps one search may take (fancy-regex counts them per search).
pub const BACKTRACK_LIMIT: usize = 200_000;

/// Whether `pattern` needs `fancy-regex`: the `regex` crate refuses it and `fancy-regex` parses
/// it (or its parts, around a leading look-behind of no fixed length: see
/// [`Matcher::behind`]). A pattern neither accepts is left to the `regex` crate, whose error
/// names the problem.
pub fn needs_fancy(pattern: &str) -> bool {
    // What only fancy-regex reads: look-around, atomic groups, conditionals, back-references,
    // `\G` and possessive quantifiers. A pattern with none of them is the `regex` crate's, and
    // is not parsed twice (a pack's every token is asked at load).
    const FANCY_ONLY: &[&str] = &[
        "(?=", "(?!", "(?<=", "(?<!", "(?>", "(?(", "\\k", "\\G", "++", "*+", "?+", "}+",
    ];
    let backreference = pattern
        .as_bytes()
        .windows(2)
        .any(|w| w[0] == b'\\' && (b'1'..=b'9').contains(&w[1]));
    if !backreference && !FANCY_ONLY.iter().any(|f| pattern.contains(f)) {
        return false;
    }
    if regex_syntax::Parser::new().parse(pattern).is_ok() {
        return false;
    }
    fancy(pattern).is_ok()
        || leading_lookbehind(pattern).is_some_and(|(_, behind, rest)| {
            fancy(&format!("(?:{behind})$")).is_ok() && fancy(rest).is_ok()
        })
}

/// Compiles `pattern` with `fancy-regex` and the backtracking bound.
pub fn fancy(pattern: &str) -> Result<fancy_regex::Regex, String> {
    fancy_regex::RegexBuilder::new(pattern)
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .map_err(|e| e.to_string().replace('\n', " "))
}

/// A rule's compiled pattern: the `regex` crate's (compiled on first use) or `fancy-regex`'s,
/// or one of the two shapes built for look-behinds of no fixed length, which `fancy-regex`
/// refuses (`(?<!:[^ ]+?):\s[A-Z]`, Google's Colons): see [`Matcher::behind`].
#[derive(Debug)]
pub enum Matcher {
    Plain(LazyRegex),
    Fancy(Box<Fancy>),
    /// Matches of `rest` whose preceding text does (or, `negative`, does not) end with a
    /// match of `behind`.
    Behind {
        negative: bool,
        behind: Box<Matcher>,
        rest: Box<Matcher>,
    },
    /// The matches of any of these, left to right, none overlapping.
    Union(Vec<Matcher>),
}

/// A `fancy-regex` pattern and its [`relaxed`] form, asked first: the backtracker steps
/// through every position of a text, the `regex` crate skips to its literals, and most texts
/// hold no match (Microsoft's Contractions took 10 of a corpus run's 16 seconds).
#[derive(Debug)]
pub struct Fancy {
    regex: fancy_regex::Regex,
    relaxed: Option<LazyRegex>,
    /// No match is empty (the pattern without its look-around needs a character): the matches
    /// can then be found one by one from the relaxed pattern's candidates, with the same
    /// results as `find_iter`, whose rules for empty matches are not reproduced.
    nonempty: bool,
}

impl Fancy {
    fn new(pattern: &str) -> Result<Fancy, String> {
        let nonempty = fancy_regex::Expr::parse_tree(pattern)
            .ok()
            .and_then(|tree| {
                let mut plain = String::new();
                write_relaxed(&tree.expr, &mut plain, 0, false)?;
                regex_syntax::Parser::new().parse(&plain).ok()
            })
            .and_then(|hir| hir.properties().minimum_len())
            .is_some_and(|n| n > 0);
        Ok(Fancy {
            regex: fancy(pattern)?,
            relaxed: relaxed(pattern).map(LazyRegex::new),
            nonempty,
        })
    }

    /// Whether a match may start at or after `at`: `false` only when the relaxed pattern
    /// finds none there.
    fn may_match_at(&self, text: &str, at: usize) -> bool {
        self.candidate(text, at).is_some()
    }

    /// The first place at or after `at` where a match may start: where the relaxed pattern's
    /// first match there starts (no match starts before it). `None`: no match there.
    fn candidate(&self, text: &str, at: usize) -> Option<usize> {
        match self.relaxed.as_ref().map(LazyRegex::get) {
            Some(Ok(re)) => re.find_at(text, at).map(|m| m.start()),
            _ => Some(at),
        }
    }

    /// The first match starting at or after `at` (text before `at` still counts for
    /// look-behind), searched from the first candidate on.
    fn find_from(&self, text: &str, at: usize) -> Option<Range<usize>> {
        let from = self.candidate(text, at)?;
        self.regex
            .find_from_pos(text, from)
            .ok()
            .flatten()
            .map(|m| m.range())
    }
}

/// A pattern of the `regex` crate that matches wherever the `fancy-regex` pattern `pattern`
/// does, and more: look-around and `\K` dropped (a look-ahead that ends it matched instead), atomic groups and possessive repeats made
/// plain, a back-reference any text. A text it does not match cannot match `pattern`, so it
/// sorts texts out before the backtracker runs. `None` for what it cannot relax (conditionals,
/// `\G`) or when the result does not parse.
pub fn relaxed(pattern: &str) -> Option<String> {
    let tree = fancy_regex::Expr::parse_tree(pattern).ok()?;
    let mut out = String::with_capacity(pattern.len());
    write_relaxed(&tree.expr, &mut out, 0, true)?;
    regex_syntax::Parser::new().parse(&out).ok()?;
    Some(out)
}

/// Writes `expr` relaxed (see [`relaxed`]) in the `regex` crate's syntax; `precedence` as in
/// `fancy_regex::Expr::to_str` (0 top, 1 an alternative, 2 in a sequence, 3 repeated).
/// `at_end`: nothing but zero-width assertions follows `expr` in the pattern. Returns whether
/// it matched a look-ahead that ends the pattern (the assertions after it are then dropped:
/// they were about the position before it).
fn write_relaxed(
    expr: &fancy_regex::Expr,
    buf: &mut String,
    precedence: u8,
    at_end: bool,
) -> Option<bool> {
    use fancy_regex::{Assertion, Expr, LookAround};
    // An atom that may stand where a repeat's operand goes.
    let atom = |buf: &mut String, text: &str| {
        if precedence > 2 {
            buf.push_str("(?:");
            buf.push_str(text);
            buf.push(')');
        } else {
            buf.push_str(text);
        }
    };
    let zero_width = |e: &Expr| {
        matches!(
            e,
            Expr::Empty | Expr::Assertion(_) | Expr::LookAround(..) | Expr::KeepOut
        )
    };
    let mut consumed = false;
    match expr {
        // A look-ahead that ends the pattern may as well be matched: whatever follows a match
        // is there to match (`\bI(?=\s)` is relaxed to `\bI\s`, not to `\bI`, which is in
        // every "in").
        Expr::LookAround(inner, LookAround::LookAhead) if at_end => {
            buf.push_str("(?:");
            write_relaxed(inner, buf, 0, true)?;
            buf.push(')');
            consumed = true;
        }
        Expr::Empty | Expr::LookAround(..) | Expr::KeepOut => atom(buf, ""),
        Expr::Backref(_) => atom(buf, "(?s:.)*?"),
        Expr::Assertion(a) => atom(
            buf,
            match a {
                Assertion::StartText => "^",
                Assertion::EndText => "$",
                Assertion::StartLine { crlf: false } => "(?m:^)",
                Assertion::EndLine { crlf: false } => "(?m:$)",
                Assertion::StartLine { crlf: true } => "(?Rm:^)",
                Assertion::EndLine { crlf: true } => "(?Rm:$)",
                Assertion::LeftWordBoundary => r"\b{start}",
                Assertion::RightWordBoundary => r"\b{end}",
                Assertion::WordBoundary => r"\b",
                Assertion::NotWordBoundary => r"\B",
            },
        ),
        Expr::Concat(children) => {
            // The last child that consumes text, and the assertions after it.
            let last = children.iter().rposition(|c| !zero_width(c));
            buf.push_str("(?:");
            for (i, child) in children.iter().enumerate() {
                let tail = last.is_none_or(|last| i > last);
                if consumed {
                    break;
                }
                consumed = write_relaxed(child, buf, 2, at_end && (tail || Some(i) == last))?;
            }
            buf.push(')');
        }
        Expr::Alt(children) => {
            buf.push_str("(?:");
            for (i, child) in children.iter().enumerate() {
                if i != 0 {
                    buf.push('|');
                }
                consumed |= write_relaxed(child, buf, 1, at_end)?;
            }
            buf.push(')');
        }
        Expr::Group(child) | Expr::AtomicGroup(child) => {
            buf.push_str("(?:");
            consumed = write_relaxed(child, buf, 0, at_end)?;
            buf.push(')');
        }
        Expr::Repeat {
            child,
            lo,
            hi,
            greedy,
        } => {
            buf.push_str("(?:");
            write_relaxed(child, buf, 3, false)?;
            match (*lo, *hi) {
                (0, 1) => buf.push('?'),
                (0, usize::MAX) => buf.push('*'),
                (1, usize::MAX) => buf.push('+'),
                (lo, usize::MAX) => buf.push_str(&format!("{{{lo},}}")),
                (lo, hi) if lo == hi => buf.push_str(&format!("{{{lo}}}")),
                (lo, hi) => buf.push_str(&format!("{{{lo},{hi}}}")),
            }
            if !greedy {
                buf.push('?');
            }
            buf.push(')');
        }
        Expr::Any { .. } | Expr::Literal { .. } | Expr::Delegate { .. } => {
            let mut text = String::new();
            expr.to_str(&mut text, 3);
            atom(buf, &text);
        }
        _ => return None,
    }
    Some(consumed)
}

/// A compiled pattern ready to search.
#[derive(Debug, Clone, Copy)]
pub enum Ready<'a> {
    Plain(&'a regex::Regex),
    Fancy(&'a Fancy),
    Composite(&'a Matcher),
}

/// A token that starts with a look-behind, split into (negative, the look-behind's pattern,
/// the rest): `(?<!:[^ ]+?):\s[A-Z]` is `(true, ":[^ ]+?", ":\s[A-Z]")`.
pub fn leading_lookbehind(token: &str) -> Option<(bool, &str, &str)> {
    let negative = if token.starts_with("(?<!") {
        true
    } else if token.starts_with("(?<=") {
        false
    } else {
        return None;
    };
    let bytes = token.as_bytes();
    let (mut depth, mut i, mut in_class) = (0usize, 0usize, false);
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 1,
            b'[' if !in_class => in_class = true,
            b']' if in_class => in_class = false,
            b'(' if !in_class => depth += 1,
            b')' if !in_class => {
                depth -= 1;
                if depth == 0 {
                    return Some((negative, &token[4..i], &token[i + 1..]));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

impl Matcher {
    /// `pattern` through the `regex` crate (compiled on first use) when it parses it, else
    /// through `fancy-regex`.
    /// A pattern neither engine accepts is an error now, not at the first search.
    pub fn new(pattern: String) -> Result<Matcher, String> {
        if regex_syntax::Parser::new().parse(&pattern).is_ok() {
            Ok(Matcher::Plain(LazyRegex::new(pattern)))
        } else {
            Ok(Matcher::Fancy(Box::new(Fancy::new(&pattern)?)))
        }
    }

    /// Matches of `rest` where the text before does (`negative`: does not) end with a match
    /// of `behind`, a look-behind of any length; `flags` (`(?i)`) apply to both.
    pub fn behind(
        negative: bool,
        behind: &str,
        rest: String,
        flags: &str,
    ) -> Result<Matcher, String> {
        Ok(Matcher::Behind {
            negative,
            behind: Box::new(Matcher::new(format!("{flags}(?:{behind})$"))?),
            rest: Box::new(Matcher::new(rest)?),
        })
    }

    pub fn is_fancy(&self) -> bool {
        !matches!(self, Matcher::Plain(_))
    }

    /// The compiled pattern (a `regex` one compiles now, once).
    pub fn get(&self) -> Result<Ready<'_>, &str> {
        match self {
            Matcher::Plain(lazy) => lazy.get().map(Ready::Plain),
            Matcher::Fancy(re) => Ok(Ready::Fancy(re)),
            Matcher::Behind { behind, rest, .. } => {
                behind.get()?;
                rest.get()?;
                Ok(Ready::Composite(self))
            }
            Matcher::Union(parts) => {
                for p in parts {
                    p.get()?;
                }
                Ok(Ready::Composite(self))
            }
        }
    }
}

/// The next character boundary after `at` (or the end).
fn next_boundary(text: &str, at: usize) -> usize {
    text[at..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| at + c.len_utf8())
}

impl<'a> Ready<'a> {
    /// Byte ranges of the matches in `text`, left to right, none overlapping. A `fancy-regex`
    /// search that reaches the backtracking bound ends the list there.
    pub fn find_ranges(self, text: &str) -> Vec<Range<usize>> {
        match self {
            Ready::Plain(re) => re.find_iter(text).map(|m| m.range()).collect(),
            Ready::Fancy(f) if !f.may_match_at(text, 0) => Vec::new(),
            Ready::Fancy(f) if f.nonempty => {
                let mut out = Vec::new();
                let mut at = 0;
                while let Some(r) = f.find_from(text, at) {
                    at = r.end;
                    out.push(r);
                }
                out
            }
            Ready::Fancy(f) => f
                .regex
                .find_iter(text)
                .map_while(Result::ok)
                .map(|m| m.range())
                .collect(),
            Ready::Composite(Matcher::Union(parts)) => {
                let mut all: Vec<Range<usize>> = parts
                    .iter()
                    .filter_map(|p| p.get().ok())
                    .flat_map(|p| p.find_ranges(text))
                    .collect();
                all.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
                let mut out: Vec<Range<usize>> = Vec::with_capacity(all.len());
                for r in all {
                    if out.last().is_none_or(|last| r.start >= last.end) {
                        out.push(r);
                    }
                }
                out
            }
            Ready::Composite(Matcher::Behind {
                negative,
                behind,
                rest,
            }) => {
                let (Ok(behind), Ok(rest)) = (behind.get(), rest.get()) else {
                    return Vec::new();
                };
                let mut out = Vec::new();
                let mut at = 0;
                while at <= text.len() {
                    let Some(r) = rest.find_at(text, at) else {
                        break;
                    };
                    if behind.is_match(&text[..r.start]) != *negative {
                        at = if r.is_empty() {
                            next_boundary(text, r.end)
                        } else {
                            r.end
                        };
                        out.push(r);
                    } else {
                        at = next_boundary(text, r.start);
                    }
                }
                out
            }
            Ready::Composite(single) => single
                .get()
                .map_or_else(|_| Vec::new(), |r| r.find_ranges(text)),
        }
    }

    /// The first match starting at or after byte `at` (text before `at` still counts for
    /// `\b` and look-behind).
    fn find_at(self, text: &str, at: usize) -> Option<Range<usize>> {
        match self {
            Ready::Plain(re) => re.find_at(text, at).map(|m| m.range()),
            Ready::Fancy(f) => f.find_from(text, at),
            Ready::Composite(_) => self.find_ranges(text).into_iter().find(|r| r.start >= at),
        }
    }

    /// The ranges of each match's groups (index 0: the whole match).
    pub fn captures_ranges(self, text: &str) -> Vec<Vec<Option<Range<usize>>>> {
        match self {
            Ready::Plain(re) => re
                .captures_iter(text)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect(),
            Ready::Fancy(f) if !f.may_match_at(text, 0) => Vec::new(),
            Ready::Fancy(f) if f.nonempty => {
                let mut out = Vec::new();
                let mut at = 0;
                while let Some(from) = f.candidate(text, at) {
                    let Ok(Some(c)) = f.regex.captures_from_pos(text, from) else {
                        break;
                    };
                    let groups: Vec<Option<Range<usize>>> =
                        c.iter().map(|g| g.map(|m| m.range())).collect();
                    let Some(Some(whole)) = groups.first().cloned() else {
                        break;
                    };
                    at = whole.end;
                    out.push(groups);
                }
                out
            }
            Ready::Fancy(f) => f
                .regex
                .captures_iter(text)
                .map_while(Result::ok)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect(),
            // Composite patterns report the whole match only.
            Ready::Composite(_) => self
                .find_ranges(text)
                .into_iter()
                .map(|r| vec![Some(r)])
                .collect(),
        }
    }

    /// Whether the pattern matches somewhere in `text` (`false` when the bound is reached).
    pub fn is_match(self, text: &str) -> bool {
        match self {
            Ready::Plain(re) => re.is_match(text),
            Ready::Fancy(f) => f.find_from(text, 0).is_some(),
            Ready::Composite(_) => !self.find_ranges(text).is_empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_patterns_the_regex_crate_refuses_go_to_fancy_regex() {
        assert!(!needs_fancy(r"\bgo\b"));
        assert!(needs_fancy(r"\bgo\b(?! ahead)"));
        assert!(needs_fancy(r"(\w+) \1"));
        let m = Matcher::new(r"(?<!\.)\bgo\b(?! ahead)".to_string()).unwrap();
        assert!(m.is_fancy());
        let ready = m.get().unwrap();
        assert_eq!(
            ready.find_ranges("go ahead, go now. go"),
            vec![10..12, 18..20]
        );
    }

    #[test]
    fn a_look_behind_of_any_length_is_checked_before_each_match() {
        let (negative, behind, rest) = leading_lookbehind(r"(?<!:[^ ]+?):\s[A-Z]").unwrap();
        assert!(negative);
        assert_eq!((behind, rest), (":[^ ]+?", r":\s[A-Z]"));
        assert!(fancy(r"(?<!:[^ ]+?):\s[A-Z]").is_err());
        let m = Matcher::behind(negative, behind, rest.to_string(), "").unwrap();
        let ready = m.get().unwrap();
        // "Tone: Concise" is reported; "a:b: C" is not (a colon earlier in the word).
        assert_eq!(ready.find_ranges("Tone: Concise. See a:b: C"), vec![4..7]);
    }

    #[test]
    fn the_relaxed_pattern_matches_wherever_the_fancy_one_does() {
        let cases: &[(&str, &[&str])] = &[
            (
                r"(?mi)\b(?:it is(?!\.))\b",
                &["It is here.", "so it is.", "it isn't", "nothing"],
            ),
            (
                r"(?:^|\s)I(?=\s)",
                &["I am", "Then I go", "If I", "Iago", "\tI\t"],
            ),
            (
                r"(?<=\s)-\d+(?:\.\d+)?\b",
                &["set -5 now", "a-5", " -3.25x", "--"],
            ),
            (r"(\w+) \1\b", &["the the end", "a b", "is is"]),
            (r"(?>ab|a)c+?", &["abc", "ac", "b"]),
            (r"(?i)\bgo\b(?! ahead)x*", &["GO now", "go ahead", "ago"]),
            (r"(?<!\.)\b[A-Z]{2,}s?\b", &["API", ". APIs", "ok"]),
            (r"(?i)(?:a(?=x)|b(?=y))", &["ax", "by", "ay", "bx"]),
            (r"x(?=y(?=z))", &["xyz", "xy"]),
            (r"(?:it(?=s))+", &["itsits", "it"]),
            (r"\b(?:I(?=\s)|me)\b", &["I am", "me", "Im"]),
            (r"a(?=b)\b(?=c)", &["ab", "a c", "a"]),
        ];
        for (pattern, texts) in cases {
            let relaxed = relaxed(pattern).expect(pattern);
            let plain = regex::Regex::new(&relaxed).unwrap();
            let fancy = fancy(pattern).unwrap();
            for text in *texts {
                for at in 0..=text.len() {
                    if !text.is_char_boundary(at) {
                        continue;
                    }
                    if let Some(m) = fancy.find_from_pos(text, at).unwrap() {
                        assert!(
                            plain.is_match_at(text, at),
                            "{relaxed} misses {text:?} at {at} ({m:?})"
                        );
                    }
                }
            }
        }
        // It does sort texts out: no "it is", no look-ahead to try.
        let plain = regex::Regex::new(&relaxed(r"(?i)\bit is(?!\.)").unwrap()).unwrap();
        assert!(!plain.is_match("This is it."));
        let plain = regex::Regex::new(&relaxed(r"(?i)(?:^|\s)I(?=\s)").unwrap()).unwrap();
        assert!(!plain.is_match("This is in it"));
        assert!(plain.is_match("Then I go"));
        // Assertions after an ending look-ahead are about the position before it: dropped.
        assert_eq!(
            relaxed(r"\b(?:I(?=\s))\b").as_deref(),
            Some(r"(?:\b(?:I(?:\s)))")
        );
        // A conditional is not relaxed; such a pattern runs as before.
        assert_eq!(relaxed(r"(a)?(?(1)b|c)"), None);
    }

    #[test]
    fn matches_found_from_the_candidates_are_those_of_find_iter() {
        let cases: &[(&str, &[&str])] = &[
            (
                r"(?mi)\b(?:it is(?!\.))\b",
                &[
                    "It is. it is here, it is.it is",
                    "nothing",
                    "it isn't it is",
                ],
            ),
            (r"(?i)(?:^|\s)I(?=\s)", &["I am I\tI.", " I I I "]),
            (r"(?<=\s)-\d+(?:\.\d+)?\b", &["set -5 now -6.5 a-5 -7"]),
            (r"(\w+) \1\b", &["the the end is is", "a a a a"]),
            (r"(?<!x)(?=y)", &["xy y yy"]),
        ];
        for (pattern, texts) in cases {
            let m = Matcher::new(pattern.to_string()).unwrap();
            let ready = m.get().unwrap();
            let re = fancy(pattern).unwrap();
            for text in *texts {
                let expected: Vec<Range<usize>> =
                    re.find_iter(text).map(|m| m.unwrap().range()).collect();
                assert_eq!(ready.find_ranges(text), expected, "{pattern} on {text:?}");
                let groups: Vec<Vec<Option<Range<usize>>>> = re
                    .captures_iter(text)
                    .map(|c| c.unwrap().iter().map(|g| g.map(|m| m.range())).collect())
                    .collect();
                assert_eq!(ready.captures_ranges(text), groups, "{pattern} on {text:?}");
                assert_eq!(ready.is_match(text), !expected.is_empty());
            }
        }
    }

    #[test]
    fn a_hostile_pattern_ends_its_search_instead_of_hanging() {
        let m = Matcher::new(r"(a+)+(?=b)\1".to_string()).unwrap();
        let text = "a".repeat(5_000);
        assert!(m.get().unwrap().find_ranges(&text).is_empty());
    }
}
