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

use regex::Regex;

use crate::check::{CheckContext, Findings};
use crate::error::ConfigError;
use crate::rules::{units, Rule, RuleMeta, RuleSource, Scope};

#[derive(Debug)]
pub struct Occurrence {
    meta: RuleMeta,
    token: Regex,
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
        let regex = src.regex(&format!("{flags}{token}"), &token)?;
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

    fn judge(&self, count: usize, span: Range<usize>, out: &mut Findings) {
        let too_many = self.max.is_some_and(|max| count > max);
        let too_few = self.min.is_some_and(|min| count < min);
        if too_many || too_few {
            let n = count.to_string();
            out.push(self.meta.diagnostic(span, self.meta.format(&[&n])));
        }
    }
}

impl Rule for Occurrence {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let scope = &self.meta.scope;
        let units = units(cx.doc, scope);
        let whole_text = scope.includes(Scope::Text) || scope.is_raw();
        if whole_text {
            // Vale counts `text` scope over the whole file.
            let count: usize = units
                .iter()
                .map(|u| self.token.find_iter(u.text).count())
                .sum();
            let (Some(first), Some(last)) = (units.first(), units.last()) else {
                return;
            };
            let span = first.to_source(0..0).start..last.to_source(0..last.text.len()).end;
            self.judge(count, span, out);
            return;
        }
        for unit in units {
            let count = self.token.find_iter(unit.text).count();
            self.judge(count, unit.to_source(0..unit.text.len()), out);
        }
    }
}
