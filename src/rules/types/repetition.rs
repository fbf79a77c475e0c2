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
        for unit in units(cx.doc, &self.meta.scope) {
            let mut prev: Option<regex::Match<'_>> = None;
            for m in self.token.find_iter(unit.text) {
                let word = m.as_str().trim_end_matches(|c: char| !c.is_alphanumeric());
                if self.alpha && !word.chars().all(char::is_alphabetic) || word.is_empty() {
                    prev = None;
                    continue;
                }
                if let Some(p) = prev {
                    let p_word = p.as_str().trim_end_matches(|c: char| !c.is_alphanumeric());
                    let between = &unit.text[p.end()..m.start()];
                    let gap_is_space = between.chars().all(char::is_whitespace)
                        && p_word.len() == p.as_str().len();
                    if gap_is_space && self.same(p_word, word) {
                        let span = unit.to_source(p.start()..m.start() + word.len());
                        out.push(self.meta.diagnostic(span, self.meta.format(&[word])));
                        prev = None;
                        continue;
                    }
                }
                prev = Some(m);
            }
        }
    }
}
