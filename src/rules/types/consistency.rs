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
    /// All pairs' patterns in one (when none needs `fancy-regex`, whose back-references
    /// would point at other groups there): a block it does not match holds no spelling of
    /// any pair, and is not searched pair by pair.
    any: Option<Matcher>,
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
        let mut patterns = Vec::with_capacity(either.len());
        for (a, b) in &either {
            let body = format!("({a})|({b})");
            let pattern = if spec.nonword {
                format!("{flags}(?:{body})")
            } else {
                format!(r"{flags}\b(?:{body})\b")
            };
            patterns.push(format!("(?:{pattern})"));
            pairs.push(
                Matcher::new(pattern)
                    .map_err(|e| src.error_at(a, format!("`{a}: {b}` does not compile: {e}")))?,
            );
        }
        let any = if pairs.len() > 1 && !pairs.iter().any(Matcher::is_fancy) {
            Matcher::new(patterns.join("|")).ok()
        } else {
            None
        };
        Ok(Consistency { meta, pairs, any })
    }
}

impl Rule for Consistency {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let mut units = units(cx.doc, &self.meta.scope);
        if let Some(any) = &self.any {
            let Some(any) = compiled(any.get(), &self.meta, out) else {
                return;
            };
            units.retain(|u| any.is_match(u.text));
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::spec::RuleSpec;

    fn rule(yaml: &str) -> Consistency {
        let spec: RuleSpec = serde_norway::from_str(yaml).unwrap();
        Consistency::compile(&RuleSource {
            pack: "T",
            name: "Either",
            path: "Either.yml",
            text: yaml,
            spec,
            vale: true,
        })
        .unwrap()
    }

    #[test]
    fn the_combined_pattern_matches_a_text_exactly_when_some_pair_does() {
        let r = rule("extends: consistency\nignorecase: true\neither:\n  colour: color\n  centre: center\n  learnt: learned\n");
        let any = r.any.as_ref().unwrap().get().unwrap();
        for text in [
            "The COLOUR of it",
            "centred",
            "We learned a lot",
            "discolour",
            "nothing here",
            "Center stage",
        ] {
            let pairwise = r.pairs.iter().any(|p| p.get().unwrap().is_match(text));
            assert_eq!(any.is_match(text), pairwise, "{text}");
        }
        // A pair with a back-reference keeps its own numbering: no combined pattern.
        let fancy = rule("extends: consistency\neither:\n  '(a)\\1': b\n  c: d\n");
        assert!(fancy.any.is_none());
    }
}
