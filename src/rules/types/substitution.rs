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
//!
//! As in Vale: keys are tried longest first (one alternation, each key its own group); a value
//! is a pattern, and a match it already matches (case-sensitively) is not reported; `$1` in a
//! value is the key's first group; an `exceptions` entry found in the match keeps it out.
//! `capitalize: true` gives the replacement the match's capital (so does `ignorecase`, except
//! for a `.vale.ini`'s rules, read as Vale reads them).

use std::ops::Range;
use std::sync::OnceLock;

use crate::check::{CheckContext, Findings};
use crate::diagnostic::{Applicability, Edit};
use crate::engine::catalogue_gate::Gate;
use crate::engine::prefilter::Literals;
use crate::error::ConfigError;
use crate::fix::has_stand_in;
use crate::rules::pattern::{needs_fancy, relaxed, Matcher};
use crate::rules::types::existence::{check_each, exceptions_regex};
use crate::rules::types::token_pattern;
use crate::rules::{compiled, units_past, Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct Substitution {
    meta: RuleMeta,
    /// The swap keys, longest first: those the `regex` crate runs in one pattern, each key in
    /// a group of its own; any other key in a pattern of its own.
    parts: Vec<Part>,
    literals: Option<Literals>,
    /// For a built-in rule: its gate, asked for each block instead of the prefilter's pass.
    gate: Option<Gate>,
    exceptions: Option<Matcher>,
    capitalize: bool,
    /// Keys match in any case (literal keys are looked up lower-cased).
    ignorecase: bool,
    /// The parts' patterns as one alternation, when each is a plain regex and the rule reads
    /// whole blocks: a block it does not match holds no finding (see
    /// [`crate::engine::shared_pass`]).
    shared: Option<String>,
}

/// A match: its range, its key, and the ranges of the key's own groups.
type Hit<'k> = (Range<usize>, &'k Key, Vec<Option<Range<usize>>>);

/// A pattern of swap keys and the keys it holds (each with what it is swapped for).
#[derive(Debug)]
struct Part {
    pattern: Matcher,
    keys: Vec<Key>,
    /// For a part of literal keys only: each key's text (lower-cased when the rule ignores
    /// case) and its index in `keys`. The pattern then has no groups and a match names its key
    /// by its text: one capture group per key made the matcher's memory grow with the square
    /// of the table (16,000 keys asked for 46 GB), and finding the group per match with its
    /// length.
    literal_keys: Option<foldhash::HashMap<String, usize>>,
}

/// Swap keys that are patterns (not plain words) share a pattern in groups of at most this
/// many: one capture group each, so the matcher's memory stays small.
const PATTERN_KEYS_PER_PART: usize = 64;

/// The text a literal swap key matches (`Dr\.` matches "Dr."), if it is one.
fn literal_text(key: &str) -> Option<String> {
    use regex_syntax::hir::HirKind;
    if !key.is_empty() && !key.chars().any(regex_syntax::is_meta_character) {
        return Some(key.to_string());
    }
    let hir = regex_syntax::Parser::new().parse(key).ok()?;
    match hir.kind() {
        HirKind::Literal(lit) => String::from_utf8(lit.0.to_vec()).ok(),
        _ => None,
    }
}

/// One swap entry.
#[derive(Debug)]
struct Key {
    /// Index of the key's own group in the combined pattern.
    group: usize,
    /// How many groups the key itself has (`$1`... in the value).
    inner_groups: usize,
    /// The value as written (`|` separates alternatives).
    value: String,
    /// `^(?:value)$`, compiled on first use: a match the value already matches is fine. `None`
    /// when the value is no valid pattern (it is then compared as text).
    value_pattern: OnceLock<Option<Matcher>>,
    /// How safe its fix is: safe when the key names the exact words it replaces, unsafe when
    /// it is a pattern (the words it matches vary).
    applicability: Applicability,
}

impl Key {
    /// Whether `observed` is already what the value asks for.
    fn satisfied_by(&self, expected: &str, observed: &str) -> bool {
        if expected != self.value {
            // A value with `$n` filled in: compare as text.
            return expected == observed;
        }
        let pattern = self.value_pattern.get_or_init(|| {
            Matcher::new(format!("^(?:{})$", self.value))
                .ok()
                .filter(|m| m.get().is_ok())
        });
        match pattern.as_ref().and_then(|m| m.get().ok()) {
            Some(ready) => ready.is_match(observed),
            None => expected == observed,
        }
    }
}

/// How many capture groups `pattern` has (`regex` first, else `fancy-regex`).
fn group_count(pattern: &str) -> usize {
    if let Ok(hir) = regex_syntax::Parser::new().parse(pattern) {
        return hir.properties().explicit_captures_len();
    }
    crate::rules::pattern::fancy(pattern)
        .map(|re| re.captures_len().saturating_sub(1))
        .unwrap_or(0)
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
        let fancy = keys.iter().any(|k| needs_fancy(k));
        // A built-in rule's keys were checked, and its literals worked out, by build.rs.
        let literals = match Literals::built_in(&keys, spec.nonword, spec.ignorecase) {
            Some(known) => known,
            None if fancy => {
                check_each(src, &keys)?;
                // The literals of the relaxed pattern (look-around dropped) hold for it too.
                relaxed(&token_pattern(&keys, false, spec.nonword))
                    .and_then(|r| Literals::of_pattern(&r, spec.ignorecase))
            }
            None => {
                check_each(src, &keys)?;
                let pattern = token_pattern(&keys, false, spec.nonword);
                let parsed = src.check_combined(&pattern, "swap", keys.len())?;
                Literals::of_hir(&parsed, spec.ignorecase)
            }
        };
        // The gate says whether any key may match, whatever their order.
        let gate = Gate::for_token_rule(
            &token_pattern(&keys, spec.ignorecase, spec.nonword),
            meta.scope.reads_whole_blocks(),
        )
        .filter(|_| !fancy);
        let literals = literals.filter(|_| !meta.scope.is_raw() && gate.is_none());

        let mut sorted: Vec<(&String, &String)> = swap.iter().collect();
        // Longest key first (stable: equal lengths keep their order), as Vale does.
        sorted.sort_by_key(|(k, _)| std::cmp::Reverse(k.len()));
        // The keys the `regex` crate runs make one linear-time pattern; each key that needs
        // fancy-regex is a pattern of its own (all through the backtracker, a pack's list with
        // a few look-aheads took ten times as long).
        let (fancy_keys, plain_keys): (Vec<_>, Vec<_>) =
            sorted.into_iter().partition(|(k, _)| needs_fancy(k));
        // Literal keys (most of a real table) make one pattern without groups; keys that are
        // patterns go in groups of a few, each key with its capture group.
        let (literal, patterned): (Vec<_>, Vec<_>) = plain_keys
            .into_iter()
            .partition(|(k, _)| literal_text(k).is_some());
        let mut groups: Vec<(bool, Vec<(&String, &String)>)> = Vec::new();
        if !literal.is_empty() {
            groups.push((true, literal));
        }
        groups.extend(
            patterned
                .chunks(PATTERN_KEYS_PER_PART)
                .map(|chunk| (false, chunk.to_vec())),
        );
        groups.extend(fancy_keys.into_iter().map(|k| (false, vec![k])));
        let flags = if spec.ignorecase { "(?mi)" } else { "(?m)" };
        let mut parts = Vec::with_capacity(groups.len());
        for (literal, entries) in groups {
            let mut group = 1;
            let mut keys = Vec::with_capacity(entries.len());
            let mut alternatives = Vec::with_capacity(entries.len());
            let mut literal_keys = literal.then(foldhash::HashMap::default);
            for (k, v) in entries {
                let inner_groups = if literal { 0 } else { group_count(k) };
                if let Some(map) = &mut literal_keys {
                    let text = literal_text(k).unwrap_or_default();
                    let text = if spec.ignorecase {
                        text.to_lowercase()
                    } else {
                        text
                    };
                    // Longest first, then file order: the first of equal keys wins.
                    map.entry(text).or_insert(keys.len());
                    alternatives.push(format!("(?:{k})"));
                } else {
                    alternatives.push(format!("({k})"));
                }
                keys.push(Key {
                    group,
                    inner_groups,
                    value: v.clone(),
                    value_pattern: OnceLock::new(),
                    // Safe when the key names the exact words it replaces.
                    applicability: if literal {
                        Applicability::Safe
                    } else {
                        Applicability::Unsafe
                    },
                });
                group += 1 + inner_groups;
            }
            let body = alternatives.join("|");
            let pattern = if spec.nonword {
                format!("{flags}(?:{body})")
            } else {
                format!(r"{flags}\b(?:{body})\b")
            };
            let pattern = Matcher::new(pattern)
                .map_err(|e| src.error_at("swap", format!("`swap` does not compile: {e}")))?;
            parts.push(Part {
                pattern,
                keys,
                literal_keys,
            });
        }
        let plain: Option<Vec<&str>> = parts
            .iter()
            .map(|p| match &p.pattern {
                Matcher::Plain(lazy) => Some(lazy.pattern()),
                _ => None,
            })
            .collect();
        let shared = plain
            .filter(|_| gate.is_none() && meta.scope.reads_whole_blocks())
            .map(|ps| {
                // Inline flags such as `(?i)` hold to the end of their group.
                ps.iter()
                    .map(|p| format!("(?:{p})"))
                    .collect::<Vec<_>>()
                    .join("|")
            });
        Ok(Substitution {
            meta,
            parts,
            literals,
            gate,
            shared,
            exceptions: exceptions_regex(src)?,
            // Vale capitalises only when asked; Candor's own reading also when ignoring case.
            capitalize: spec.capitalize || (spec.ignorecase && !src.vale),
            ignorecase: spec.ignorecase,
        })
    }
}

/// `value` with `$n` (and `${n}`) replaced by group `n` of the key (`groups[n - 1]`).
fn expand(value: &str, groups: &[&str]) -> String {
    if !value.contains('$') {
        return value.to_string();
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let (digits, tail) = match after.strip_prefix('{') {
            Some(inner) => match inner.find('}') {
                Some(end) => (&inner[..end], &inner[end + 1..]),
                None => ("", after),
            },
            None => {
                let n = after.bytes().take_while(u8::is_ascii_digit).count();
                (&after[..n], &after[n..])
            }
        };
        match digits.parse::<usize>() {
            Ok(n) if n >= 1 => {
                out.push_str(groups.get(n - 1).copied().unwrap_or(""));
                rest = tail;
            }
            _ => {
                out.push('$');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
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

    fn shared_pattern(&self) -> Option<&str> {
        self.shared.as_deref()
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        // Units the gate turns away are not searched, and with none left nothing compiles.
        let units = units_past(cx, &self.meta.scope, self.gate.as_ref());
        if units.is_empty() {
            return;
        }
        let mut ready = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let Some(pattern) = compiled(part.pattern.get(), &self.meta, out) else {
                return;
            };
            ready.push((pattern, part));
        }
        let exceptions = self.exceptions.as_ref().map(Matcher::get).transpose();
        let Some(exceptions) = compiled(exceptions, &self.meta, out) else {
            return;
        };
        for unit in units {
            // Each match: its range, its key and the key's own groups; the groups are worked
            // out only where something matched.
            let mut hits: Vec<Hit<'_>> = Vec::new();
            for (pattern, part) in &ready {
                if !pattern.is_match(unit.text) {
                    continue;
                }
                if let Some(literal_keys) = &part.literal_keys {
                    for range in pattern.find_ranges(unit.text) {
                        let text = &unit.text[range.clone()];
                        let found = if self.ignorecase {
                            literal_keys.get(&text.to_lowercase())
                        } else {
                            literal_keys.get(text)
                        };
                        if let Some(&k) = found.filter(|_| !range.is_empty()) {
                            hits.push((range, &part.keys[k], Vec::new()));
                        }
                    }
                    continue;
                }
                let keys = &part.keys;
                for groups in pattern.captures_ranges(unit.text) {
                    let hit = keys.iter().find_map(|k| {
                        let range = groups.get(k.group).cloned().flatten()?;
                        let inner = (1..=k.inner_groups)
                            .map(|g| groups.get(k.group + g).cloned().flatten())
                            .collect();
                        Some((range, k, inner))
                    });
                    hits.extend(hit.filter(|(r, _, _)| !r.is_empty()));
                }
            }
            // Left to right, none overlapping (the longer of two at one place).
            hits.sort_by_key(|(r, _, _)| (r.start, std::cmp::Reverse(r.end)));
            let mut end = 0;
            for (range, key, inner) in hits {
                if range.start < end {
                    continue;
                }
                end = range.end;
                let text = &unit.text[range.clone()];
                let observed = text.trim();
                let inner: Vec<&str> = inner
                    .into_iter()
                    .map(|r| r.map_or("", |r| &unit.text[r]))
                    .collect();
                let expected = expand(&key.value, &inner);
                if key.satisfied_by(&expected, observed)
                    || exceptions.is_some_and(|e| e.is_match(observed))
                {
                    continue;
                }
                let suggestions: Vec<String> = expected
                    .split('|')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(|o| {
                        if self.capitalize {
                            match_case(observed, o)
                        } else {
                            o.to_string()
                        }
                    })
                    .filter(|o| o != observed)
                    .collect();
                if suggestions.is_empty() {
                    continue;
                }
                let span = unit.to_source(range);
                let message = self.meta.format(&[&suggestions.join("' or '"), observed]);
                let mut d = self.meta.diagnostic(span.clone(), message);
                // Only a single rewrite of exactly the matched source bytes, with no stand-in
                // to fill in, is a fix; it is safe when the key names the words it replaces.
                if let [only] = suggestions.as_slice() {
                    if cx.doc.source.get(span.clone()) == Some(text) && !has_stand_in(only) {
                        d.fix = Some(Box::new(Edit {
                            span,
                            replacement: only.clone(),
                            applicability: key.applicability,
                        }));
                    }
                }
                d.suggestions = suggestions.into();
                out.push(d);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{expand, group_count, match_case};

    #[test]
    fn dollar_groups_expand_from_the_keys_own_groups() {
        assert_eq!(
            expand("change to the $1 directory", &["/etc"]),
            "change to the /etc directory"
        );
        assert_eq!(expand("${1}s and $2", &["a", "b"]), "as and b");
        assert_eq!(expand("cost $ 5", &[]), "cost $ 5");
        assert_eq!(group_count("change in(?: )?to the (.*) directory"), 1);
        assert_eq!(group_count(r"(\w+)(?= ahead)"), 1);
    }

    #[test]
    fn keeps_leading_capital() {
        assert_eq!(match_case("Utilize", "use"), "Use");
        assert_eq!(match_case("utilize", "use"), "use");
        assert_eq!(match_case("Utilize", "API"), "API");
    }
}
