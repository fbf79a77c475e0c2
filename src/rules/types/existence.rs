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
use crate::engine::prefilter::Literals;
use crate::error::ConfigError;
use crate::rules::pattern::{needs_fancy, relaxed, Matcher};
use crate::rules::types::token_pattern;
use crate::rules::{compiled, units_past, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Existence {
    meta: RuleMeta,
    pattern: Matcher,
    literals: Option<Literals>,
    /// For a built-in rule of tokens: its gate, asked for each block instead of the
    /// prefilter's pass.
    gate: Option<Gate>,
    exceptions: Option<Matcher>,
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
        // Vale's patterns are multi-line: `^` and `$` match at each line.
        let mut pattern = format!("(?m){}", raw.join(""));
        if !tokens.is_empty() {
            pattern.push_str(&token_pattern(&tokens, false, spec.nonword));
        }
        if tokens.iter().chain(&raw).any(|p| needs_fancy(p)) {
            // Look-around or back-references: no gate, a bounded backtracker.
            let flags = if spec.ignorecase { "(?i)" } else { "" };
            // Only the tokens that need it go to the backtracker: the others stay one
            // linear-time alternation (a pack's 200-token list with one look-ahead took 7
            // times as long through fancy-regex).
            let matcher = if raw.is_empty() {
                split_by_engine(&tokens, flags, spec.nonword).map_err(|e| {
                    src.error_at("tokens", format!("the tokens do not compile: {e}"))
                })?
            } else {
                Matcher::new(format!("{flags}{pattern}"))
                    .map_err(|e| src.error_at("raw", format!("`raw` does not compile: {e}")))?
            };
            // The literals of the relaxed pattern (look-around dropped) hold for it too.
            let literals = relaxed(&pattern)
                .and_then(|r| Literals::of_pattern(&r, spec.ignorecase))
                .filter(|_| !meta.scope.is_raw());
            return Ok(Existence {
                meta,
                pattern: matcher,
                literals,
                gate: None,
                exceptions: exceptions_regex(src)?,
                replacements: replacements(src),
                // Look-around patterns match words that vary.
                applicability: Applicability::Unsafe,
            });
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
        let pattern = Matcher::Plain(crate::engine::lazy::LazyRegex::new(pattern));
        let exceptions = exceptions_regex(src)?;
        let replacements = replacements(src);
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

/// The tokens of a rule some of whose tokens need `fancy-regex`: the plain ones as one
/// linear-time alternation, each other one on its own (a leading look-behind of no fixed
/// length, which `fancy-regex` refuses, checked before each match of the rest); their
/// matches merged left to right.
fn split_by_engine(tokens: &[String], flags: &str, nonword: bool) -> Result<Matcher, String> {
    use crate::rules::pattern::leading_lookbehind;
    let wrap = |body: &str| {
        if nonword {
            format!("{flags}(?m)(?:{body})")
        } else {
            format!(r"{flags}(?m)\b(?:{body})\b")
        }
    };
    let (fancy, plain): (Vec<&String>, Vec<&String>) = tokens.iter().partition(|t| needs_fancy(t));
    let mut parts = Vec::with_capacity(fancy.len() + 1);
    if !plain.is_empty() {
        let joined: Vec<&str> = plain.iter().map(|t| t.as_str()).collect();
        parts.push(Matcher::new(wrap(&joined.join("|")))?);
    }
    for t in fancy {
        parts.push(match leading_lookbehind(t) {
            Some((negative, behind, rest)) if Matcher::new(wrap(t)).is_err() => {
                Matcher::behind(negative, behind, wrap(rest), flags)?
            }
            _ => Matcher::new(wrap(t))?,
        });
    }
    Ok(match parts.len() {
        1 => parts.pop().expect("one part"),
        _ => Matcher::Union(parts),
    })
}

/// Rewrites from `action: {name: replace, params: [...]}`.
fn replacements(src: &RuleSource<'_>) -> Vec<String> {
    match &src.spec.action {
        Some(a) if a.name == "replace" => a.params.clone(),
        _ => Vec::new(),
    }
}

/// Parses each pattern alone so that a bad one is reported at its own line. A pattern with
/// look-around or back-references is checked by `fancy-regex` instead (see [`Matcher`]).
pub(crate) fn check_each(src: &RuleSource<'_>, patterns: &[String]) -> Result<(), ConfigError> {
    for p in patterns {
        if p.is_empty() {
            return Err(src.error_at("tokens", "a token is empty: it would match everywhere"));
        }
        if !needs_fancy(p) {
            src.check_regex(p, p)?;
        }
    }
    Ok(())
}

/// `exceptions:` as one regex: as in Vale, a finding in which an exception occurs (as a whole
/// word, unless the rule is `nonword`) is not reported.
pub(crate) fn exceptions_regex(src: &RuleSource<'_>) -> Result<Option<Matcher>, ConfigError> {
    let Some(exc) = src.spec.exceptions.as_ref().filter(|e| !e.is_empty()) else {
        return Ok(None);
    };
    check_each(src, exc)?;
    let flags = if src.spec.ignorecase { "(?i)" } else { "" };
    let body = exc.join("|");
    let pattern = if src.spec.nonword {
        format!("{flags}(?:{body})")
    } else {
        format!(r"{flags}\b(?:{body})\b")
    };
    Matcher::new(pattern)
        .map(Some)
        .map_err(|e| src.error_at("exceptions", format!("`exceptions` do not compile: {e}")))
}

impl Rule for Existence {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn literals(&self) -> Option<&Literals> {
        self.literals.as_ref()
    }

    fn shared_pattern(&self) -> Option<&str> {
        match &self.pattern {
            Matcher::Plain(lazy) if self.gate.is_none() && self.meta.scope.reads_whole_blocks() => {
                Some(lazy.pattern())
            }
            _ => None,
        }
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        // Units the gate turns away are not searched, and with none left nothing compiles.
        let units = units_past(cx, &self.meta.scope, self.gate.as_ref());
        if units.is_empty() {
            return;
        }
        let Some(pattern) = compiled(self.pattern.get(), &self.meta, out) else {
            return;
        };
        let exceptions = self.exceptions.as_ref().map(Matcher::get).transpose();
        let Some(exceptions) = compiled(exceptions, &self.meta, out) else {
            return;
        };
        for unit in units {
            for range in pattern.find_ranges(unit.text) {
                let text = &unit.text[range.clone()];
                if range.is_empty() || exceptions.is_some_and(|e| e.is_match(text)) {
                    continue;
                }
                let span = unit.to_source(range);
                let mut d = self
                    .meta
                    .diagnostic(span.clone(), self.meta.format(&[text]));
                d.suggestions = self.replacements.clone().into();
                if let [only] = self.replacements.as_slice() {
                    if !crate::fix::has_stand_in(only) {
                        d.fix = Some(Box::new(crate::diagnostic::Edit {
                            span,
                            replacement: only.clone(),
                            applicability: self.applicability,
                        }));
                    }
                }
                out.push(d);
            }
        }
    }
}
