//! `extends: occurrence` — counts a token per unit (sentence, block or whole text) and flags a
//! unit with more than `max` or fewer than `min`.
//!
//! What it catches: sentences that pile up clauses, replies that say "we" ten times.
//! Why it matters: long, company-centred sentences make the customer dig for their answer.
//! Example:
//! ```yaml
//! extends: occurrence
//! message: "Sentences over 40 words are hard to follow."
//! scope: sentence
//! max: 40
//! token: '\b\w+\b'
//! ```
//! The finding's span is the whole unit that breaks the limit.

use std::ops::Range;

use crate::check::{CheckContext, Findings};
use crate::document::markdown::CODE_MASK;
use crate::error::ConfigError;
use crate::rules::pattern::Matcher;
use crate::rules::{compiled, units, Rule, RuleMeta, RuleSource, Scope};

#[derive(Debug)]
pub struct Occurrence {
    meta: RuleMeta,
    token: Matcher,
    /// The token is the word pattern `\b\w+\b` (in a group or not): its matches are the runs
    /// of word characters, found by a scan rather than a regex search per word (counting the
    /// words of every sentence of the docs corpus took half a second that way).
    words: bool,
    max: Option<usize>,
    min: Option<usize>,
}

impl Occurrence {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("'%s' occurs too often.")?;
        let token = spec.token.clone().ok_or_else(|| src.missing("token"))?;
        if token.is_empty() {
            return Err(src.error_at("token", "`token` is empty: it would match everywhere"));
        }
        let flags = if spec.ignorecase { "(?i)" } else { "" };
        let full = format!("{flags}(?m){token}");
        if !crate::rules::pattern::needs_fancy(&full) {
            src.regex(&full, &token)?;
        }
        let regex = Matcher::new(full.clone())
            .map_err(|e| src.error_at("token", format!("`token` does not compile: {e}")))?;
        if spec.max.is_none() && spec.min.is_none() {
            return Err(src.error_at("extends", "`extends: occurrence` needs `max` or `min`"));
        }
        let words = regex_syntax::Parser::new()
            .parse(&full)
            .is_ok_and(|hir| is_word_pattern(&hir));
        Ok(Occurrence {
            meta,
            token: regex,
            words,
            max: spec.max,
            min: spec.min,
        })
    }

    /// Reports when `count` matches are too many or too few, over `whole` (the unit from its
    /// own words on). A rule read as Vale reads it reports where Vale does, at its first match:
    /// under `min` that match (`matched` gives the first and last, as source ranges), under
    /// `max` the stretch from the first match to the end of the last, the text that breaks the
    /// limit (over the `whole_text`, the text: a span from match to match would take in the
    /// blocks between them). Both are worked out only for a finding: a rule counting words
    /// asks for every sentence.
    fn judge(
        &self,
        count: usize,
        whole_text: bool,
        matched: impl FnOnce() -> Option<(Range<usize>, Range<usize>)>,
        whole: impl FnOnce() -> Range<usize>,
        out: &mut Findings,
    ) {
        let too_many = self.max.is_some_and(|max| count > max);
        let too_few = self.min.is_some_and(|min| count < min);
        if !too_many && !too_few {
            return;
        }
        let at = match matched() {
            Some((first, _)) if !too_many && self.meta.scope.vale => first,
            Some((first, last)) if self.meta.scope.vale && !whole_text => first.start..last.end,
            _ => whole(),
        };
        let n = count.to_string();
        out.push(self.meta.diagnostic(at, self.meta.format(&[&n])));
    }
}

/// Whether `hir` is `\b\w+\b` (Unicode word characters and boundaries), in groups or not.
fn is_word_pattern(hir: &regex_syntax::hir::Hir) -> bool {
    use regex_syntax::hir::{Hir, HirKind};
    fn bare(hir: &Hir) -> Hir {
        match hir.kind() {
            HirKind::Capture(c) => bare(&c.sub),
            HirKind::Concat(parts) => Hir::concat(parts.iter().map(bare).collect()),
            HirKind::Repetition(r) => Hir::repetition(regex_syntax::hir::Repetition {
                sub: Box::new(bare(&r.sub)),
                ..r.clone()
            }),
            _ => hir.clone(),
        }
    }
    let word = regex_syntax::Parser::new()
        .parse(r"\b\w+\b")
        .expect("the word pattern parses");
    bare(hir) == word
}

/// The runs of word characters in `text`: the matches of `\b\w+\b` (each run starts and
/// ends at a word boundary, and `\w+` takes all of it).
fn word_runs(text: &str) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        let word = if c.is_ascii() {
            c.is_ascii_alphanumeric() || c == '_'
        } else {
            regex_syntax::is_word_character(c)
        };
        match (word, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push(s..text.len());
    }
    runs
}

/// Ranges (in `text`) of `token`'s non-empty matches.
fn matches_in(token: crate::rules::pattern::Ready<'_>, text: &str) -> Vec<Range<usize>> {
    let mut ranges = token.find_ranges(text);
    ranges.retain(|r| !r.is_empty());
    ranges
}

impl Rule for Occurrence {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let scope = &self.meta.scope;
        let units = units(cx.doc, scope);
        let whole_text = scope.includes(Scope::Text) || scope.is_raw();
        let Some(token) = compiled(self.token.get(), &self.meta, out) else {
            return;
        };
        let matches_in = |text: &str| {
            if self.words {
                word_runs(text)
            } else {
                matches_in(token, text)
            }
        };
        if whole_text {
            // Vale counts `text` scope over the whole file.
            let matches: Vec<Vec<Range<usize>>> =
                units.iter().map(|u| matches_in(u.text)).collect();
            let (Some(first), Some(last)) = (units.first(), units.last()) else {
                return;
            };
            let count = matches.iter().map(Vec::len).sum();
            let first_match = || {
                let mut with = units.iter().zip(&matches).filter(|(_, m)| !m.is_empty());
                let (unit, ranges) = with.next()?;
                let first = unit.to_source(ranges[0].clone());
                Some((first.clone(), first))
            };
            let span = || first.to_source(0..0).start..last.to_source(0..last.text.len()).end;
            self.judge(count, true, first_match, span, out);
            return;
        }
        for unit in units {
            let matches = matches_in(unit.text);
            // Vale starts at the first match outside inline code (masked here).
            let first_match = || {
                let in_code =
                    |r: &Range<usize>| unit.text[r.clone()].chars().all(|c| c == CODE_MASK);
                let first = matches.iter().find(|r| !in_code(r)).or(matches.first())?;
                let last = matches.last()?;
                Some((unit.to_source(first.clone()), unit.to_source(last.clone())))
            };
            // Reported where the unit's own words start: after any leading inline code.
            let whole = || {
                let lead = unit.text.len()
                    - unit
                        .text
                        .trim_start_matches(|c: char| c.is_whitespace() || c == CODE_MASK)
                        .len();
                let lead = if lead == unit.text.len() { 0 } else { lead };
                unit.to_source(lead..unit.text.len())
            };
            self.judge(matches.len(), false, first_match, whole, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_pattern_is_counted_by_a_scan_with_the_same_matches() {
        let parse = |p: &str| regex_syntax::Parser::new().parse(p).unwrap();
        assert!(is_word_pattern(&parse(r"(?m)\b\w+\b")));
        assert!(is_word_pattern(&parse(r"(?i)(?m)\b(\w+)\b")));
        assert!(!is_word_pattern(&parse(r"(?m)\b\w+")));
        assert!(!is_word_pattern(&parse(r"(?m)\b[a-z]+\b")));
        let re = regex::Regex::new(r"(?m)\b(\w+)\b").unwrap();
        for text in [
            "Set it up, then run `x` twice.",
            "naïve café — 東京 x_y 3.14 e\u{301}t\u{e9} ß",
            "  trailing word",
            "αβγ.δ-ε   \u{200d}zwj\u{200c}",
            "",
            "...!",
        ] {
            let expected: Vec<Range<usize>> = re.find_iter(text).map(|m| m.range()).collect();
            assert_eq!(word_runs(text), expected, "{text:?}");
        }
    }
}
