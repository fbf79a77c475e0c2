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
use crate::diagnostic::{Applicability, Edit};
use crate::engine::catalogue_gate::Gate;
use crate::engine::lazy::LazyRegex;
use crate::engine::prefilter::Literals;
use crate::error::ConfigError;
use crate::fix::has_stand_in;
use crate::rules::types::existence::{check_each, exceptions_regex};
use crate::rules::types::token_pattern;
use crate::rules::{compiled, not_compiled, units_past, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Substitution {
    meta: RuleMeta,
    /// All swap keys in one pattern, to find candidates in one pass.
    pattern: LazyRegex,
    literals: Option<Literals>,
    /// For a built-in rule: its gate, asked for each block instead of the prefilter's pass.
    gate: Option<Gate>,
    /// Each key's replacements, in the file's order.
    options: Vec<Vec<String>>,
    /// Tells which key a match came from (the first that matches all of it).
    which: KeyIndex,
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
                let parsed = src.check_combined(&pattern, "swap", keys.len())?;
                Literals::of_hir(&parsed, spec.ignorecase)
            }
        };
        let pattern = token_pattern(&keys, spec.ignorecase, spec.nonword);
        let gate = Gate::for_token_rule(&pattern, meta.scope.reads_whole_blocks());
        let literals = literals.filter(|_| !meta.scope.is_raw() && gate.is_none());
        let flags = if spec.ignorecase { "(?i)" } else { "" };
        let pattern = LazyRegex::new(pattern);
        let options = swap
            .values()
            .map(|v| {
                v.split('|')
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .collect();
        // Each key parsed above (`check_each`); anchoring keeps it valid.
        let which = KeyIndex::new(
            swap.keys().map(|k| format!("{flags}^(?:{k})$")).collect(),
            &keys,
            spec.ignorecase,
        );
        Ok(Substitution {
            meta,
            pattern,
            literals,
            gate,
            options,
            which,
            exceptions: exceptions_regex(src)?,
            capitalize: spec.capitalize || spec.ignorecase,
        })
    }
}

/// Which swap key a match came from: the first key, in the file's order, whose anchored
/// pattern matches all of it. Trying each key in turn cost a regex per key per match (a swap
/// table of 16,000 keys took seconds); plain ASCII keys are looked up in a map, and anything
/// else goes to one set of all anchored keys, compiled on first need.
#[derive(Debug)]
struct KeyIndex {
    /// Each plain ASCII key (ASCII lowercase when the rule ignores case) and its first index;
    /// `None` when some key is a pattern.
    plain: Option<std::collections::HashMap<String, usize>>,
    ignorecase: bool,
    anchored: Vec<String>,
    set: std::sync::OnceLock<Result<regex::RegexSet, String>>,
    /// Keys that are patterns (the words they match vary): their fixes are unsafe.
    patterns: Vec<bool>,
}

impl KeyIndex {
    fn new(anchored: Vec<String>, keys: &[String], ignorecase: bool) -> KeyIndex {
        let is_plain = |k: &String| {
            k.is_ascii() && !k.chars().any(regex_syntax::is_meta_character) && !k.is_empty()
        };
        let plain = keys.iter().all(is_plain).then(|| {
            let mut map = std::collections::HashMap::with_capacity(keys.len());
            for (i, k) in keys.iter().enumerate() {
                let k = if ignorecase {
                    k.to_ascii_lowercase()
                } else {
                    k.clone()
                };
                map.entry(k).or_insert(i);
            }
            map
        });
        KeyIndex {
            plain,
            ignorecase,
            anchored,
            set: std::sync::OnceLock::new(),
            patterns: keys.iter().map(|k| !crate::fix::is_literal(k)).collect(),
        }
    }

    /// How safe a fix for a match of key `key` is.
    fn applicability(&self, key: usize) -> Applicability {
        if self.patterns.get(key).copied().unwrap_or(true) {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        }
    }

    /// The index of the first key matching all of `text`.
    fn first_match(&self, text: &str) -> Result<Option<usize>, &str> {
        if let Some(plain) = &self.plain {
            let hit = if self.ignorecase {
                plain.get(&text.to_ascii_lowercase())
            } else {
                plain.get(text)
            };
            // An ASCII text matches a plain key only if it equals it; a text with other
            // characters may still match under Unicode case folding: the set decides.
            if hit.is_some() || text.is_ascii() {
                return Ok(hit.copied());
            }
        }
        let set = self
            .set
            .get_or_init(|| {
                regex::RegexSetBuilder::new(&self.anchored)
                    .size_limit(crate::engine::lazy::SIZE_LIMIT)
                    .dfa_size_limit(crate::engine::lazy::DFA_SIZE_LIMIT)
                    .build()
                    .map_err(|e| e.to_string().replace('\n', " "))
            })
            .as_ref()
            .map_err(String::as_str)?;
        Ok(set.matches(text).iter().next())
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
                let key = match self.which.first_match(text) {
                    Ok(key) => key,
                    Err(e) => return out.push(not_compiled(&self.meta, e)),
                };
                let Some(options) = key.map(|k| &self.options[k]) else {
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
                // Only a single rewrite of exactly the matched source bytes, with no stand-in
                // to fill in, is a fix; it is safe when the key names the words it replaces.
                if let [only] = suggestions.as_slice() {
                    if cx.doc.source.get(span.clone()) == Some(text) && !has_stand_in(only) {
                        d.fix = Some(Edit {
                            span,
                            replacement: only.clone(),
                            applicability: self.which.applicability(key.unwrap_or(0)),
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
    use super::{match_case, KeyIndex};

    fn index(keys: &[&str], ignorecase: bool) -> KeyIndex {
        let flags = if ignorecase { "(?i)" } else { "" };
        let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
        let anchored = keys.iter().map(|k| format!("{flags}^(?:{k})$")).collect();
        KeyIndex::new(anchored, &keys, ignorecase)
    }

    #[test]
    fn the_first_key_matching_all_of_the_text_wins() {
        let plain = index(&["utilize", "Utilize", "in order to"], true);
        assert!(plain.plain.is_some());
        assert_eq!(plain.first_match("UTILIZE"), Ok(Some(0)));
        assert_eq!(plain.first_match("in order to"), Ok(Some(2)));
        assert_eq!(plain.first_match("utilized"), Ok(None));
        // The Kelvin sign folds to `k` under Unicode case folding, as the anchored key says.
        let k = index(&["kindly"], true);
        assert_eq!(k.first_match("\u{212A}indly"), Ok(Some(0)));
        let case = index(&["Utilize", "utilize"], false);
        assert_eq!(case.first_match("utilize"), Ok(Some(1)));
        assert_eq!(case.first_match("UTILIZE"), Ok(None));
        let patterns = index(&["colou?r", "colour"], false);
        assert!(patterns.plain.is_none());
        assert_eq!(patterns.first_match("colour"), Ok(Some(0)));
        assert_eq!(patterns.first_match("colr"), Ok(None));
    }

    #[test]
    fn keeps_leading_capital() {
        assert_eq!(match_case("Utilize", "use"), "Use");
        assert_eq!(match_case("utilize", "use"), "use");
        assert_eq!(match_case("Utilize", "API"), "API");
    }
}
