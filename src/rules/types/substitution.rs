//! `extends: substitution` — flags a phrase and offers the one to use instead.
//!
//! What it catches: wording with a plainer or warmer equivalent ("utilize" → "use",
//! "per our policy" → "because").
//! Why it matters: the customer gets the reply in the words they would use themselves.
//! Example:
//! ```yaml
//! extends: substitution
//! message: "Use '%s' instead of '%s'."
//! ignorecase: true
//! swap:
//!   utilize: use
//!   at this point in time: now
//! ```
//! A swap value may list alternatives separated by `|`; with exactly one, `--fix` applies it.

use crate::check::{CheckContext, Findings};
use crate::diagnostic::Edit;
use crate::error::ConfigError;
use crate::rules::catalogue_gate::Gate;
use crate::rules::lazy::{compiled, not_compiled, LazyRegex};
use crate::rules::prefilter::Literals;
use crate::rules::types::existence::{check_each, exceptions_regex};
use crate::rules::types::token_pattern;
use crate::rules::{units_past, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Substitution {
    meta: RuleMeta,
    /// All swap keys in one pattern, to find candidates in one pass.
    pattern: LazyRegex,
    literals: Option<Literals>,
    /// For a built-in rule: its gate, asked for each block instead of the prefilter's pass.
    gate: Option<Gate>,
    /// Each key anchored, to tell which one a match came from.
    keys: Vec<(LazyRegex, Vec<String>)>,
    exceptions: Option<LazyRegex>,
    capitalize: bool,
}

impl Substitution {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("Use '%s' instead of '%s'.")?;
        let swap = spec.swap.clone().filter(|s| !s.is_empty()).ok_or_else(|| {
            src.error_at(
                "swap",
                "`extends: substitution` needs a non-empty `swap` map",
            )
        })?;
        let keys: Vec<String> = swap.keys().cloned().collect();
        // A built-in rule's keys were checked, and its literals worked out, by build.rs.
        let literals = match Literals::built_in(&keys, spec.nonword, spec.ignorecase) {
            Some(known) => known,
            None => {
                check_each(src, &keys)?;
                let pattern = token_pattern(&keys, false, spec.nonword);
                let parsed = src.check_regex(&pattern, &keys[0])?;
                Literals::of_hir(&parsed, spec.ignorecase)
            }
        };
        let pattern = token_pattern(&keys, spec.ignorecase, spec.nonword);
        let gate = Gate::for_token_rule(&pattern, &meta.scope);
        let literals = literals.filter(|_| !meta.scope.is_raw() && gate.is_none());
        let flags = if spec.ignorecase { "(?i)" } else { "" };
        let pattern = LazyRegex::new(pattern);
        let keys = swap
            .iter()
            .map(|(k, v)| {
                // Each key parsed above (`check_each`); anchoring keeps it valid.
                let anchored = LazyRegex::new(format!("{flags}^(?:{k})$"));
                let options = v
                    .split('|')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect();
                (anchored, options)
            })
            .collect();
        Ok(Substitution {
            meta,
            pattern,
            literals,
            gate,
            keys,
            exceptions: exceptions_regex(src)?,
            capitalize: spec.capitalize || spec.ignorecase,
        })
    }
}

/// Gives `replacement` the capital first letter of `matched`, so "Utilize" becomes "Use".
fn match_case(matched: &str, replacement: &str) -> String {
    let starts_upper = matched.chars().next().is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(first) if starts_upper && first.is_lowercase() => {
            first.to_uppercase().chain(chars).collect()
        }
        _ => replacement.to_string(),
    }
}

impl Rule for Substitution {
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
                let text = m.as_str();
                if m.is_empty() || exceptions.is_some_and(|e| e.is_match(text)) {
                    continue;
                }
                let mut key = None;
                for (anchored, options) in &self.keys {
                    match anchored.get() {
                        Ok(k) if k.is_match(text) => {
                            key = Some(options);
                            break;
                        }
                        Ok(_) => {}
                        Err(e) => return out.push(not_compiled(&self.meta, e)),
                    }
                }
                let Some(options) = key else {
                    continue;
                };
                let suggestions: Vec<String> = options
                    .iter()
                    .map(|o| {
                        if self.capitalize {
                            match_case(text, o)
                        } else {
                            o.clone()
                        }
                    })
                    .filter(|o| o != text)
                    .collect();
                if suggestions.is_empty() {
                    continue;
                }
                let span = unit.to_source(m.range());
                let message = self.meta.format(&[&suggestions.join("' or '"), text]);
                let mut d = self.meta.diagnostic(span.clone(), message);
                // Only a plain single rewrite of exactly the matched source bytes is safe to apply.
                if let [only] = suggestions.as_slice() {
                    if cx.doc.source.get(span.clone()) == Some(text) {
                        d.fix = Some(Edit {
                            span,
                            replacement: only.clone(),
                        });
                    }
                }
                d.suggestions = suggestions;
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::match_case;

    #[test]
    fn keeps_leading_capital() {
        assert_eq!(match_case("Utilize", "use"), "Use");
        assert_eq!(match_case("utilize", "use"), "use");
        assert_eq!(match_case("Utilize", "API"), "API");
    }
}
