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
use crate::rules::{compiled, units, Rule, RuleMeta, RuleSource, Scope, Unit};

#[derive(Debug)]
pub struct Occurrence {
    meta: RuleMeta,
    token: Matcher,
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
        let regex = Matcher::new(full)
            .map_err(|e| src.error_at("token", format!("`token` does not compile: {e}")))?;
        if spec.max.is_none() && spec.min.is_none() {
            return Err(src.error_at("extends", "`extends: occurrence` needs `max` or `min`"));
        }
        Ok(Occurrence {
            meta,
            token: regex,
            max: spec.max,
            min: spec.min,
        })
    }

    /// Reports when `matches` (source ranges, in order) are too many or too few, over `whole`
    /// (the unit from its own words on, so it starts where Vale reports). Under `min`, a rule
    /// read as Vale reads it reports at its first match, as Vale does.
    fn judge(&self, matches: &[Range<usize>], whole: Range<usize>, out: &mut Findings) {
        let count = matches.len();
        let too_many = self.max.is_some_and(|max| count > max);
        let too_few = self.min.is_some_and(|min| count < min);
        if !too_many && !too_few {
            return;
        }
        let at = match matches.first() {
            Some(first) if !too_many && self.meta.scope.vale => first.clone(),
            _ => whole,
        };
        let n = count.to_string();
        out.push(self.meta.diagnostic(at, self.meta.format(&[&n])));
    }
}

/// Source ranges of `token`'s matches in `unit`.
fn matches_in(token: crate::rules::pattern::Ready<'_>, unit: &Unit<'_>) -> Vec<Range<usize>> {
    token
        .find_ranges(unit.text)
        .into_iter()
        .filter(|r| !r.is_empty())
        .map(|r| unit.to_source(r))
        .collect()
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
        if whole_text {
            // Vale counts `text` scope over the whole file.
            let matches: Vec<Range<usize>> =
                units.iter().flat_map(|u| matches_in(token, u)).collect();
            let (Some(first), Some(last)) = (units.first(), units.last()) else {
                return;
            };
            let span = first.to_source(0..0).start..last.to_source(0..last.text.len()).end;
            self.judge(&matches, span, out);
            return;
        }
        for unit in units {
            let matches = matches_in(token, &unit);
            // Reported where the unit's own words start: after any leading inline code.
            let lead = unit.text.len()
                - unit
                    .text
                    .trim_start_matches(|c: char| c.is_whitespace() || c == CODE_MASK)
                    .len();
            let lead = if lead == unit.text.len() { 0 } else { lead };
            self.judge(&matches, unit.to_source(lead..unit.text.len()), out);
        }
    }
}
