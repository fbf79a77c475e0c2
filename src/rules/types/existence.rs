//! `extends: existence` — flags any occurrence of the listed tokens.
//!
//! What it catches: words and phrases that should not appear at all, such as stock support
//! clichés ("we apologize for any inconvenience").
//! Why it matters: such phrases tell the customer the reply was pasted, not written for them.
//! Example:
//! ```yaml
//! extends: existence
//! message: "'%s' is canned filler; say what you are doing about it instead."
//! ignorecase: true
//! tokens: [we apologize for any inconvenience]
//! ```

use crate::check::{CheckContext, Findings};
use crate::diagnostic::Applicability;
use crate::engine::catalogue_gate::Gate;
use crate::engine::lazy::LazyRegex;
use crate::engine::prefilter::Literals;
use crate::error::ConfigError;
use crate::rules::types::token_pattern;
use crate::rules::{compiled, units_past, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Existence {
    meta: RuleMeta,
    pattern: LazyRegex,
    literals: Option<Literals>,
    /// For a built-in rule of tokens: its gate, asked for each block instead of the
    /// prefilter's pass.
    gate: Option<Gate>,
    exceptions: Option<LazyRegex>,
    /// Rewrites from `action: {name: replace, params: [...]}`.
    replacements: Vec<String>,
    /// Safe when the rule lists plain words; unsafe when a token or `raw` is a pattern.
    applicability: Applicability,
}

impl Existence {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("'%s' should not be used.")?;
        let tokens = spec.tokens.clone().unwrap_or_default();
        let raw = spec.raw.clone().unwrap_or_default();
        if tokens.is_empty() && raw.is_empty() {
            return Err(src.error_at(
                "tokens",
                "`extends: existence` needs a non-empty `tokens` (or `raw`) list",
            ));
        }
        let mut pattern = raw.join("");
        if !tokens.is_empty() {
            pattern.push_str(&token_pattern(&tokens, false, spec.nonword));
        }
        // A built-in rule's tokens were checked, and its literals worked out, by build.rs.
        let known = raw
            .is_empty()
            .then(|| Literals::built_in(&tokens, spec.nonword, spec.ignorecase))
            .flatten();
        let literals = match known {
            Some(known) => known,
            None => {
                check_each(src, &tokens)?;
                check_each(src, &raw)?;
                let (key, entries) = if tokens.is_empty() {
                    ("raw", raw.len())
                } else {
                    ("tokens", tokens.len() + raw.len())
                };
                let parsed = src.check_combined(&pattern, key, entries)?;
                Literals::of_hir(&parsed, spec.ignorecase)
            }
        };
        if spec.ignorecase {
            pattern = format!("(?i){pattern}");
        }
        let gate = raw
            .is_empty()
            .then(|| Gate::for_token_rule(&pattern, meta.scope.reads_whole_blocks()))
            .flatten();
        let literals = literals.filter(|_| !meta.scope.is_raw() && gate.is_none());
        let pattern = LazyRegex::new(pattern);
        let exceptions = exceptions_regex(src)?;
        let replacements = match &spec.action {
            Some(a) if a.name == "replace" => a.params.clone(),
            _ => Vec::new(),
        };
        let patterns = !raw.is_empty() || !tokens.iter().all(|t| crate::fix::is_literal(t));
        Ok(Existence {
            meta,
            pattern,
            literals,
            gate,
            exceptions,
            replacements,
            applicability: if patterns {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            },
        })
    }
}

/// Parses each pattern alone so that a bad one is reported at its own line.
pub(crate) fn check_each(src: &RuleSource<'_>, patterns: &[String]) -> Result<(), ConfigError> {
    for p in patterns {
        if p.is_empty() {
            return Err(src.error_at("tokens", "a token is empty: it would match everywhere"));
        }
        src.check_regex(p, p)?;
    }
    Ok(())
}

/// `exceptions:` as one anchored regex: a match equal to an exception is not reported.
pub(crate) fn exceptions_regex(src: &RuleSource<'_>) -> Result<Option<LazyRegex>, ConfigError> {
    let Some(exc) = src.spec.exceptions.as_ref().filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    check_each(src, exc)?;
    let flags = if src.spec.ignorecase { "(?i)" } else { "" };
    let pattern = format!("{flags}^(?:{})$", exc.join("|"));
    Ok(Some(LazyRegex::new(pattern)))
}

impl Rule for Existence {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn literals(&self) -> Option<&Literals> {
        self.literals.as_ref()
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        // Units the gate turns away are not searched, and with none left nothing compiles.
        let units = units_past(cx.doc, &self.meta.scope, self.gate.as_ref());
        if units.is_empty() {
            return;
        }
        let Some(pattern) = compiled(self.pattern.get(), &self.meta, out) else {
            return;
        };
        let exceptions = self.exceptions.as_ref().map(LazyRegex::get).transpose();
        let Some(exceptions) = compiled(exceptions, &self.meta, out) else {
            return;
        };
        for unit in units {
            for m in pattern.find_iter(unit.text) {
                if m.is_empty() || exceptions.is_some_and(|e| e.is_match(m.as_str())) {
                    continue;
                }
                let span = unit.to_source(m.range());
                let mut d = self
                    .meta
                    .diagnostic(span.clone(), self.meta.format(&[m.as_str()]));
                d.suggestions = self.replacements.clone();
                if let [only] = self.replacements.as_slice() {
                    if !crate::fix::has_stand_in(only) {
                        d.fix = Some(crate::diagnostic::Edit {
                            span,
                            replacement: only.clone(),
                            applicability: self.applicability,
                        });
                    }
                }
                out.push(d);
            }
        }
    }
}
