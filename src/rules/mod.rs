//! Rules: the YAML schema ([`spec`]), where a rule looks ([`scope`]), loading packs ([`load`])
//! and one file per rule type ([`types`]).
//!
//! A rule is data: a YAML file in Vale's schema (`extends: existence`, `substitution`, ...) or
//! one of Candor's own types for what Vale cannot express. Each compiles once into a value that
//! implements [`Rule`]. How a rule's patterns are searched (phrase catalogues, gates, literal
//! prefilters, automata) is the [`engine`](crate::engine)'s work.

pub mod load;
pub mod pattern;
pub mod scope;
pub mod spec;
pub mod types;

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use crate::check::{CheckContext, Findings};
use crate::diagnostic::{Diagnostic, Severity};
use crate::document::{Block, Document};
use crate::engine::phrases::{matches_empty, required_literal_sets, wrap_phrase, PhraseSet};
use crate::engine::{catalogue_gate, lazy, literals, prebuilt, prefilter};
use crate::error::{find_line, ConfigError};
pub use load::{RuleSet, MAX_RULE_FILE_BYTES};
pub use scope::{Scope, ScopeSet};
pub use spec::{Examples, RuleSpec};

/// What every rule has, whatever its type.
#[derive(Debug, Clone)]
pub struct RuleMeta {
    /// `Pack.Name`, from the pack folder and the file stem.
    pub id: Arc<str>,
    pub pack: String,
    /// The `extends:` type.
    pub extends: String,
    pub level: Severity,
    /// Message template; `%s` is filled in by the rule (usually with the matched text).
    pub message: String,
    pub description: String,
    pub link: Option<Arc<str>>,
    pub scope: ScopeSet,
    pub examples: Examples,
    /// At most this many findings per file (0: no limit).
    pub limit: usize,
}

impl RuleMeta {
    /// A finding of this rule at `span` with `message`.
    pub fn diagnostic(&self, span: Range<usize>, message: String) -> Diagnostic {
        let mut d = Diagnostic::new(self.id.clone(), self.level, message, span);
        d.link = self.link.clone();
        d
    }

    /// The message template with each `%s` filled in turn from `args`.
    pub fn format(&self, args: &[&str]) -> String {
        format_message(&self.message, args)
    }
}

/// A compiled rule.
pub trait Rule: Send + Sync + fmt::Debug {
    fn meta(&self) -> &RuleMeta;
    /// Adds this rule's findings for one file.
    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings);
    /// Strings one of which starts every match, if the rule has them: a file whose prose holds
    /// none of them is not given to [`Rule::check`] (see [`prefilter`]).
    fn literals(&self) -> Option<&prefilter::Literals> {
        None
    }
    /// The one regex the rule searches each whole block with, if it has one: a block it does
    /// not match is not given to it (see [`crate::engine::shared_pass`]).
    fn shared_pattern(&self) -> Option<&str> {
        None
    }
    /// Told before linting a run of many files (see `run::LARGE_RUN_FILES`): a rule that
    /// trades start-up cost against cost per byte may pay the start-up at once. Findings do
    /// not change.
    fn expect_large_run(&self) {}
    /// Compiles now what a large run will need anyway, so that it is ready when the files are:
    /// a run calls it on an idle thread while it is still finding each file's configuration
    /// (see `run::LARGE_RUN_FILES`). Findings do not change.
    fn warm_up(&self) {}
}

impl prefilter::HasLiterals for dyn Rule {
    fn literals(&self) -> Option<&prefilter::Literals> {
        Rule::literals(self)
    }

    fn shared_pattern(&self) -> Option<&str> {
        Rule::shared_pattern(self)
    }
}

/// Fills `%s` placeholders in order, and Go's `%[n]s` with the n-th argument (`%%` is a
/// literal percent sign); missing arguments leave an empty string.
pub fn format_message(template: &str, args: &[&str]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let all = args;
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(r) = after.strip_prefix('s') {
            out.push_str(args.next().copied().unwrap_or(""));
            rest = r;
        } else if let Some((n, r)) = explicit_index(after) {
            // Go's `%[2]s`: the second argument; a plain `%s` after it takes the third.
            out.push_str(all.get(n - 1).copied().unwrap_or(""));
            args = all.get(n..).unwrap_or(&[]).iter();
            rest = r;
        } else if let Some(r) = after.strip_prefix('%') {
            out.push('%');
            rest = r;
        } else {
            out.push('%');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// `[n]s` at the start of `after` (what follows a `%`): `n` (1 or more) and the rest.
fn explicit_index(after: &str) -> Option<(usize, &str)> {
    let inner = after.strip_prefix('[')?;
    let (digits, rest) = inner.split_once(']')?;
    let n: usize = digits.parse().ok().filter(|&n| n > 0)?;
    Some((n, rest.strip_prefix('s')?))
}

/// The value of `result`, or `None` after reporting [`not_compiled`] for `meta`'s rule: what a
/// rule's `check` does with each regex it compiles on first use (see [`lazy::Lazy::get`]).
/// ```text
/// let Some(pattern) = compiled(self.pattern.get(), &self.meta, out) else { return };
/// ```
pub fn compiled<T>(result: Result<T, &str>, meta: &RuleMeta, out: &mut Findings) -> Option<T> {
    result.map_err(|e| out.push(not_compiled(meta, e))).ok()
}

/// The finding a rule reports instead of its own when its regex cannot be compiled: an error at
/// the start of the file, so the run fails loudly rather than passing silently.
pub fn not_compiled(meta: &RuleMeta, err: &str) -> Diagnostic {
    let mut d = meta.diagnostic(
        0..0,
        format!(
            "rule {} was not run: its pattern does not compile: {err}",
            meta.id
        ),
    );
    d.severity = Severity::Error;
    d
}

/// [`units`] of the blocks the prefilter lets the rule being run match in (see
/// [`CheckContext::rule_may_match_in`]), less those `gate` turns away (see
/// [`Unit::turned_away_by`]).
pub fn units_past<'a>(
    cx: &CheckContext<'a>,
    scope: &ScopeSet,
    gate: Option<&catalogue_gate::Gate>,
) -> Vec<Unit<'a>> {
    let mut out = units_where(cx.doc, scope, |b| cx.rule_may_match_in(b));
    if let Some(gate) = gate {
        out.retain(|unit| !unit.turned_away_by(gate));
    }
    out
}

/// A stretch of prose a rule matches in: a block, one sentence of it, or the raw file.
#[derive(Debug, Clone, Copy)]
pub struct Unit<'a> {
    pub text: &'a str,
    block: Option<&'a Block>,
    /// Where `text` starts in the block's prose.
    base: usize,
}

impl<'a> Unit<'a> {
    /// Source range of a range in `text`.
    pub fn to_source(&self, r: Range<usize>) -> Range<usize> {
        match self.block {
            Some(b) => b.to_source(self.base + r.start..self.base + r.end),
            None => self.base + r.start..self.base + r.end,
        }
    }

    pub fn block(&self) -> Option<&'a Block> {
        self.block
    }

    /// Whether `gate` says its pattern cannot match in this unit: a whole ASCII block the gate
    /// turns away (its verdict kept with the block). Other units are never turned away.
    pub fn turned_away_by(&self, gate: &catalogue_gate::Gate) -> bool {
        match self.block {
            Some(block) if self.base == 0 && self.text.len() == block.prose.len() => {
                self.text.is_ascii()
                    && !gate.may_match(self.text.as_bytes(), Some(&block.catalogue_gates))
            }
            _ => false,
        }
    }
}

/// The units a scope selects: the raw source for `raw`, each sentence of the selected blocks for
/// `sentence`, otherwise each selected block.
pub fn units<'a>(doc: &'a Document, scope: &ScopeSet) -> Vec<Unit<'a>> {
    units_where(doc, scope, |_| true)
}

/// [`units`] of the blocks whose index `keep` accepts (the raw source is always a unit).
fn units_where<'a>(
    doc: &'a Document,
    scope: &ScopeSet,
    keep: impl Fn(usize) -> bool,
) -> Vec<Unit<'a>> {
    // Sized exactly: on a file of short paragraphs the slack of doubling was megabytes.
    let kept = || (doc.blocks.iter().enumerate()).filter(|(i, b)| keep(*i) && scope.selects(b));
    let count = usize::from(scope.is_raw())
        + if scope.by_sentence() {
            kept().map(|(_, b)| b.sentences().len()).sum()
        } else {
            kept().count()
        };
    let mut out = Vec::with_capacity(count);
    if scope.is_raw() {
        out.push(Unit {
            text: &doc.source,
            block: None,
            base: 0,
        });
    }
    for (_, block) in kept() {
        if scope.by_sentence() {
            for s in block.sentences() {
                out.push(Unit {
                    text: &block.prose[s.clone()],
                    block: Some(block),
                    base: s.start,
                });
            }
        } else {
            out.push(Unit {
                text: &block.prose,
                block: Some(block),
                base: 0,
            });
        }
    }
    out
}

/// What a rule type's compiler gets: the parsed keys plus where they came from, for errors.
pub struct RuleSource<'a> {
    pub pack: &'a str,
    pub name: &'a str,
    /// Path shown in errors.
    pub path: &'a str,
    pub text: &'a str,
    pub spec: RuleSpec,
    /// Read for a `.vale.ini`: Vale's defaults and reading apply (level `warning`, block quotes
    /// in `text`, `ignorecase` not capitalising a replacement). Otherwise Candor's.
    pub vale: bool,
}

impl RuleSource<'_> {
    /// An error at the first line containing `needle` (or line 1).
    pub fn error_at(&self, needle: &str, message: impl Into<String>) -> ConfigError {
        let line = find_line(self.text, needle, 1).unwrap_or(1);
        ConfigError::at_line(self.path, self.text, line, message)
    }

    /// An error for a key that must be present.
    pub fn missing(&self, key: &str) -> ConfigError {
        self.error_at(
            "extends:",
            format!("`extends: {}` needs the key `{key}`", self.spec.extends),
        )
    }

    /// Compiles a regular expression written in this rule, with an error that names the line
    /// and says what the `regex` crate does not support (look-around, back-references).
    pub fn regex(&self, pattern: &str, shown: &str) -> Result<regex::Regex, ConfigError> {
        lazy::build_regex(pattern).map_err(|e| self.error_at(shown, regex_error(shown, &e)))
    }

    /// Checks that a regular expression parses (the same errors as [`Self::regex`]) and is not
    /// too big to compile, without compiling it unless it may be (see [`Self::check_size`]);
    /// the parsed form serves for literal extraction. Compile it later, on first use, with
    /// [`lazy::LazyRegex`]. Adding `(?i)` in front never makes a valid pattern invalid.
    pub fn check_regex(
        &self,
        pattern: &str,
        shown: &str,
    ) -> Result<regex_syntax::hir::Hir, ConfigError> {
        // The regex crate parses with these same defaults.
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| self.error_at(shown, regex_error(shown, &e)))?;
        self.check_size(&hir, shown)?;
        Ok(hir)
    }

    /// An error naming `shown`'s line when the parsed pattern compiles to more than a rule's
    /// regex may take ([`lazy::SIZE_LIMIT`]): a configuration error, found when the rule loads
    /// rather than as a failure on the first file that needs it. Only a pattern whose counted
    /// repetitions may make it that big ([`literals::size_estimate`]) is compiled to know.
    pub fn check_size(&self, hir: &regex_syntax::hir::Hir, shown: &str) -> Result<(), ConfigError> {
        self.check_size_at(hir, shown, &format!("`{shown}`"))
    }

    /// Checks the one pattern a rule makes of all the entries of its list `key` (`tokens`,
    /// `swap`), each entry checked alone before ([`Self::check_regex`]): an error is about the
    /// list as a whole, at the line of its key, not at the line of its first entry.
    pub fn check_combined(
        &self,
        pattern: &str,
        key: &str,
        entries: usize,
    ) -> Result<regex_syntax::hir::Hir, ConfigError> {
        let needle = format!("{key}:");
        let shown = format!("the {entries} entries of `{key}` together");
        let hir = regex_syntax::Parser::new()
            .parse(pattern)
            .map_err(|e| self.error_at(&needle, format!("{shown} do not compile: {e}")))?;
        self.check_size_at(&hir, &needle, &shown)?;
        Ok(hir)
    }

    /// [`Self::check_size`] with the error at the first line holding `needle`, naming the
    /// pattern as `shown`.
    fn check_size_at(
        &self,
        hir: &regex_syntax::hir::Hir,
        needle: &str,
        shown: &str,
    ) -> Result<(), ConfigError> {
        use regex_automata::nfa::thompson;
        if literals::size_estimate(hir) <= literals::MAY_BE_OVERSIZED {
            return Ok(());
        }
        thompson::Compiler::new()
            .configure(thompson::Config::new().nfa_size_limit(Some(lazy::SIZE_LIMIT)))
            .build_from_hir(hir)
            .map(drop)
            .map_err(|e| {
                self.error_at(
                    needle,
                    format!(
                        "{shown} is too big to compile (a rule's regex may take {} MiB): {e}",
                        lazy::SIZE_LIMIT >> 20
                    ),
                )
            })
    }

    /// The phrase catalogue of a rule (see [`PhraseSet`]): each of `phrases` (as written, and
    /// whether it is `nonword`) is wrapped with [`wrap_phrase`] and must parse; with
    /// `reject_empty`, one that can match empty text is an error too. Errors name the phrase's
    /// line. The built-in catalogues' literals were worked out when Candor was built, so loading
    /// them parses nothing.
    pub fn phrase_set(
        &self,
        phrases: &[(&str, bool)],
        reject_empty: bool,
    ) -> Result<PhraseSet, ConfigError> {
        let mut patterns = Vec::with_capacity(phrases.len());
        let mut literals = Vec::with_capacity(phrases.len());
        for &(phrase, nonword) in phrases {
            let wrapped = wrap_phrase(phrase, nonword);
            let (lits, empty) = match prebuilt::built_in(&wrapped) {
                Some(known) => known,
                None => {
                    // The phrase must parse alone (so that `a)|(b` cannot break out of its
                    // wrapping); on an error, show it as written rather than its wrapping.
                    let alone = regex_syntax::ast::parse::Parser::new().parse(phrase);
                    let hir = match (alone, regex_syntax::Parser::new().parse(&wrapped)) {
                        (Ok(_), Ok(hir)) => hir,
                        _ => {
                            self.check_regex(phrase, phrase)?;
                            self.check_regex(&wrapped, phrase)?
                        }
                    };
                    self.check_size(&hir, phrase)?;
                    (required_literal_sets(&hir), matches_empty(&hir))
                }
            };
            if reject_empty && empty {
                return Err(
                    self.error_at(phrase, format!("phrase `{phrase}` can match empty text"))
                );
            }
            patterns.push(wrapped);
            literals.push(lits);
        }
        Ok(PhraseSet::new(&patterns, literals))
    }

    /// The common keys every rule type shares.
    pub fn meta(&self, default_message: &str) -> Result<RuleMeta, ConfigError> {
        let spec = &self.spec;
        let level = match &spec.level {
            // Vale's default is `warning`.
            None if self.vale => Severity::Warning,
            None => Severity::Suggestion,
            Some(l) => Severity::parse(l).ok_or_else(|| {
                self.error_at(
                    "level:",
                    format!("`level: {l}` is not one of suggestion, warning, error"),
                )
            })?,
        };
        let mut scope = match &spec.scope {
            None => ScopeSet::default(),
            Some(s) => ScopeSet::parse(&s.to_vec()).map_err(|bad| {
                self.error_at(
                    "scope",
                    format!(
                        "`{bad}` is not a scope (text, paragraph, sentence, heading, heading.h1-h6, list, table, table.header, table.cell, blockquote, alt, raw)"
                    ),
                )
            })?,
        };
        scope.vale = self.vale;
        Ok(RuleMeta {
            id: format!("{}.{}", self.pack, self.name).into(),
            pack: self.pack.to_string(),
            extends: spec.extends.clone(),
            level,
            message: spec
                .message
                .clone()
                .unwrap_or_else(|| default_message.to_string()),
            description: spec.description.clone().unwrap_or_default(),
            link: spec.link.as_deref().map(Arc::from),
            scope,
            examples: spec.examples.clone().unwrap_or_default(),
            limit: spec.limit.unwrap_or(0),
        })
    }
}

/// A regex error in plain words, naming the construct the `regex` crate does not support.
fn regex_error(pattern: &str, err: &dyn fmt::Display) -> String {
    let construct = ["(?=", "(?!", "(?<=", "(?<!"]
        .iter()
        .find(|c| pattern.contains(*c))
        .map(|c| format!("look-around `{c}`"))
        .or_else(|| {
            let b = pattern.as_bytes();
            (0..b.len().saturating_sub(1))
                .find(|&i| b[i] == b'\\' && b[i + 1].is_ascii_digit() && b[i + 1] != b'0')
                .map(|i| format!("back-reference `{}`", &pattern[i..i + 2]))
        });
    // Look-around and back-references go to fancy-regex (see `pattern`): one that reaches
    // here is a form it refuses too, such as a look-behind of no fixed length past the start.
    let why = crate::rules::pattern::fancy(pattern)
        .err()
        .unwrap_or_else(|| err.to_string().replace('\n', " "));
    match construct {
        Some(c) => format!(
            "regex `{pattern}` uses {c} in a form Candor cannot run (fancy-regex: {why}); rewrite the pattern"
        ),
        None => format!("regex `{pattern}` does not compile: {}", err.to_string().replace('\n', " ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_placeholders_fill_in_order() {
        assert_eq!(
            format_message("Use '%s' instead of '%s'.", &["a", "b"]),
            "Use 'a' instead of 'b'."
        );
        assert_eq!(format_message("100%% sure: %s", &["x"]), "100% sure: x");
        assert_eq!(format_message("%s and %s", &["x"]), "x and ");
    }
}
