//! `extends: conditional` — a term used without what it needs elsewhere in the file, such as
//! an acronym never spelled out.
//!
//! What it catches: "Open the CRM" in an article that never says "Customer Relationship
//! Management (CRM)".
//! Why it matters: a customer new to the product cannot ask what an acronym means.
//! Example:
//! ```yaml
//! extends: conditional
//! message: "'%s' has no definition."
//! first: '\b([A-Z]{3,5})\b'                      # what needs a definition (group 1)
//! second: '(?:\b[A-Z][a-z]+ )+\(([A-Z]{3,5})\)'  # a definition (group 1)
//! exceptions: [API, FAQ]
//! ```
//! As in Vale: every match of `second` in the file defines its first matched group (or the
//! whole match);
//! each match of `first` whose group 1 is not defined, and is not an exception, is reported.

use std::collections::HashSet;

use crate::check::{CheckContext, Findings};
use crate::error::ConfigError;
use crate::rules::pattern::{Matcher, Ready};
use crate::rules::{compiled, units, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Conditional {
    meta: RuleMeta,
    first: Matcher,
    second: Matcher,
    exceptions: HashSet<String>,
}

impl Conditional {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("'%s' has no definition.")?;
        let flags = if spec.ignorecase { "(?i)" } else { "" };
        let pattern = |key: &str, value: &Option<String>| {
            let value = value.as_deref().ok_or_else(|| src.missing(key))?;
            Matcher::new(format!("{flags}(?m){value}")).map_err(|e| {
                src.error_at(&format!("{key}:"), format!("`{key}` does not compile: {e}"))
            })
        };
        Ok(Conditional {
            first: pattern("first", &spec.first)?,
            second: pattern("second", &spec.second)?,
            exceptions: spec.exceptions.iter().flatten().cloned().collect(),
            meta,
        })
    }
}

/// The range of the first group that took part in each match of `pattern` in `text` (the whole
/// match without one): `second` may offer definitions in several forms, one group each.
fn keyed(pattern: Ready<'_>, text: &str) -> Vec<std::ops::Range<usize>> {
    pattern
        .captures_ranges(text)
        .into_iter()
        .filter_map(|groups| {
            let own = groups.iter().skip(1).find_map(Clone::clone);
            own.or_else(|| groups.first().cloned().flatten())
        })
        .collect()
}

impl Rule for Conditional {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let Some(first) = compiled(self.first.get(), &self.meta, out) else {
            return;
        };
        let Some(second) = compiled(self.second.get(), &self.meta, out) else {
            return;
        };
        let units = units(cx.doc, &self.meta.scope);
        let defined: HashSet<&str> = units
            .iter()
            .flat_map(|u| keyed(second, u.text).into_iter().map(|r| &u.text[r]))
            .collect();
        for unit in &units {
            for r in keyed(first, unit.text) {
                let term = &unit.text[r.clone()];
                if term.is_empty() || defined.contains(term) || self.exceptions.contains(term) {
                    continue;
                }
                out.push(
                    self.meta
                        .diagnostic(unit.to_source(r), self.meta.format(&[term])),
                );
            }
        }
    }
}
