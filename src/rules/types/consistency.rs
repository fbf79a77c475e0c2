//! `extends: consistency` — a file that spells one word two ways.
//!
//! What it catches: "colour" in one paragraph and "color" in the next; "advisor" and
//! "adviser" in the same article.
//! Why it matters: one spelling throughout reads as one careful writer.
//! Example:
//! ```yaml
//! extends: consistency
//! message: "Inconsistent spelling of '%s'."
//! ignorecase: true
//! either:
//!   colour: color
//!   centre: center
//! ```
//! As in Vale: the file is read block by block; once both spellings of a pair have been seen,
//! a block that uses either is reported at its last use.

use crate::check::{CheckContext, Findings};
use crate::error::ConfigError;
use crate::rules::pattern::Matcher;
use crate::rules::{compiled, units, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Consistency {
    meta: RuleMeta,
    /// One pattern per pair: group 1 the first spelling, group 2 the second.
    pairs: Vec<Matcher>,
}

impl Consistency {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("Inconsistent spelling of '%s'.")?;
        let either = spec
            .either
            .clone()
            .filter(|e| !e.is_empty())
            .ok_or_else(|| src.missing("either"))?;
        let flags = if spec.ignorecase { "(?i)" } else { "" };
        let mut pairs = Vec::with_capacity(either.len());
        for (a, b) in &either {
            let body = format!("({a})|({b})");
            let pattern = if spec.nonword {
                format!("{flags}(?:{body})")
            } else {
                format!(r"{flags}\b(?:{body})\b")
            };
            pairs.push(
                Matcher::new(pattern)
                    .map_err(|e| src.error_at(a, format!("`{a}: {b}` does not compile: {e}")))?,
            );
        }
        Ok(Consistency { meta, pairs })
    }
}

impl Rule for Consistency {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let units = units(cx.doc, &self.meta.scope);
        for pair in &self.pairs {
            let Some(pattern) = compiled(pair.get(), &self.meta, out) else {
                return;
            };
            let mut seen = [false; 2];
            for unit in &units {
                let mut last = None;
                for groups in pattern.captures_ranges(unit.text) {
                    for (i, g) in groups.iter().skip(1).take(2).enumerate() {
                        if let Some(r) = g {
                            seen[i] = true;
                            last = Some(r.clone());
                        }
                    }
                }
                if let (Some(r), [true, true]) = (last, seen) {
                    let word = &unit.text[r.clone()];
                    out.push(
                        self.meta
                            .diagnostic(unit.to_source(r.clone()), self.meta.format(&[word])),
                    );
                }
            }
        }
    }
}
