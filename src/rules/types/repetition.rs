//! `extends: repetition` — flags a token repeated back to back ("the the").
//!
//! What it catches: doubled words left by editing a macro in a hurry.
//! Why it matters: a slip like this is the first thing a customer notices.
//! Example:
//! ```yaml
//! extends: repetition
//! message: "'%s' is repeated."
//! alpha: true
//! tokens: ['[^\s]+']
//! ```
//! The span covers both occurrences and the space between them.

use regex::Regex;

use crate::check::{CheckContext, Findings};
use crate::error::ConfigError;
use crate::rules::types::existence::check_each;
use crate::rules::{units, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Repetition {
    meta: RuleMeta,
    token: Regex,
    alpha: bool,
    ignorecase: bool,
}

impl Repetition {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("'%s' is repeated.")?;
        let tokens = spec
            .tokens
            .clone()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                src.error_at(
                    "tokens",
                    "`extends: repetition` needs a non-empty `tokens` list",
                )
            })?;
        check_each(src, &tokens)?;
        let token = src.regex(&format!("(?:{})", tokens.join("|")), &tokens[0])?;
        Ok(Repetition {
            meta,
            token,
            alpha: spec.alpha,
            ignorecase: spec.ignorecase,
        })
    }

    fn same(&self, a: &str, b: &str) -> bool {
        if self.ignorecase {
            a.to_lowercase() == b.to_lowercase()
        } else {
            a == b
        }
    }
}

impl Rule for Repetition {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        // As Vale: each match (trimmed) against the one before; a token with punctuation
        // ("plan.") is not the bare word, and a repeat across a line break is not reported.
        for unit in units(cx.doc, &self.meta.scope) {
            let mut prev: Option<(std::ops::Range<usize>, &str)> = None;
            for m in self.token.find_iter(unit.text) {
                let word = m.as_str().trim();
                let hit = prev.as_ref().is_some_and(|(_, p)| {
                    !word.is_empty()
                        && self.same(p, word)
                        && (!self.alpha || word.chars().all(char::is_alphabetic))
                });
                if hit {
                    let start = prev.as_ref().map_or(m.start(), |(r, _)| r.start);
                    if !unit.text[start..m.end()].contains('\n') {
                        let span = unit.to_source(start..m.end());
                        out.push(self.meta.diagnostic(span, self.meta.format(&[word])));
                    }
                }
                prev = Some((m.range(), word));
            }
        }
    }
}
