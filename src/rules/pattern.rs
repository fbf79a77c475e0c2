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
/// it. A pattern neither accepts is left to the `regex` crate, whose error names the problem.
pub fn needs_fancy(pattern: &str) -> bool {
    regex_syntax::Parser::new().parse(pattern).is_err() && fancy(pattern).is_ok()
}

/// Compiles `pattern` with `fancy-regex` and the backtracking bound.
pub fn fancy(pattern: &str) -> Result<fancy_regex::Regex, String> {
    fancy_regex::RegexBuilder::new(pattern)
        .backtrack_limit(BACKTRACK_LIMIT)
        .build()
        .map_err(|e| e.to_string().replace('\n', " "))
}

/// A rule's compiled pattern: the `regex` crate's (compiled on first use) or `fancy-regex`'s.
#[derive(Debug)]
pub enum Matcher {
    Plain(LazyRegex),
    Fancy(Box<fancy_regex::Regex>),
}

/// A compiled pattern ready to search.
#[derive(Debug, Clone, Copy)]
pub enum Ready<'a> {
    Plain(&'a regex::Regex),
    Fancy(&'a fancy_regex::Regex),
}

impl Matcher {
    /// `pattern` through `fancy-regex` when it needs it, else the `regex` crate (lazily).
    pub fn new(pattern: String) -> Result<Matcher, String> {
        if needs_fancy(&pattern) {
            Ok(Matcher::Fancy(Box::new(fancy(&pattern)?)))
        } else {
            Ok(Matcher::Plain(LazyRegex::new(pattern)))
        }
    }

    pub fn is_fancy(&self) -> bool {
        matches!(self, Matcher::Fancy(_))
    }

    /// The compiled pattern (a `regex` one compiles now, once).
    pub fn get(&self) -> Result<Ready<'_>, &str> {
        match self {
            Matcher::Plain(lazy) => lazy.get().map(Ready::Plain),
            Matcher::Fancy(re) => Ok(Ready::Fancy(re)),
        }
    }
}

impl<'a> Ready<'a> {
    /// Byte ranges of the matches in `text`, left to right, none overlapping. A `fancy-regex`
    /// search that reaches the backtracking bound ends the list there.
    pub fn find_ranges(self, text: &str) -> Vec<Range<usize>> {
        match self {
            Ready::Plain(re) => re.find_iter(text).map(|m| m.range()).collect(),
            Ready::Fancy(re) => re
                .find_iter(text)
                .map_while(Result::ok)
                .map(|m| m.range())
                .collect(),
        }
    }

    /// The ranges of each match's groups (index 0: the whole match).
    pub fn captures_ranges(self, text: &str) -> Vec<Vec<Option<Range<usize>>>> {
        match self {
            Ready::Plain(re) => re
                .captures_iter(text)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect(),
            Ready::Fancy(re) => re
                .captures_iter(text)
                .map_while(Result::ok)
                .map(|c| c.iter().map(|g| g.map(|m| m.range())).collect())
                .collect(),
        }
    }

    /// Whether the pattern matches somewhere in `text` (`false` when the bound is reached).
    pub fn is_match(self, text: &str) -> bool {
        match self {
            Ready::Plain(re) => re.is_match(text),
            Ready::Fancy(re) => re.is_match(text).unwrap_or(false),
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
    fn a_hostile_pattern_ends_its_search_instead_of_hanging() {
        let m = Matcher::new(r"(a+)+(?=b)\1".to_string()).unwrap();
        let text = "a".repeat(5_000);
        assert!(m.get().unwrap().find_ranges(&text).is_empty());
    }
}
