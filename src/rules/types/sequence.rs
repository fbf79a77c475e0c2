//! `extends: sequence` — flags a run of words that match, one after another, a list of steps
//! each given by a pattern, a part-of-speech tag, or both (Vale's type for grammar rules
//! ported from LanguageTool).
//!
//! What it catches: "It would be great write" (a modal, `be`, an adjective, then a bare verb),
//! "The endpoint's are" (a noun, `'s`, `are`), "the best player of all times".
//! Why it matters: these slips pass every word list, since each word is right on its own; only
//! the word classes in a row show them.
//! Example:
//! ```yaml
//! extends: sequence
//! message: "The infinitive '%[4]s' after 'be' requires 'to'."
//! tokens:
//!   - tag: MD
//!   - pattern: be
//!   - tag: JJ
//!   - tag: VB|VBN
//! ```
//! A step may also say `skip: N` (up to N words may stand before it) and `negate: true`.
//!
//! The steps are matched as Vale matches them (`internal/check/sequence.go`), sentence by
//! sentence: the first step with a pattern is the anchor, found in the sentence's words, and
//! the steps before and after it are checked word by word out from it; the finding is the
//! matched words as they stand in the sentence (a run the sentence does not hold as written,
//! such as one across a comma, is not reported, as in Vale). Tags are Penn Treebank tags, and a
//! step's `tag` is a pattern searched in the word's tag (so `NN` also takes `NNS` and `NNP`);
//! a step's `pattern` is searched in the word, without word boundaries (Vale builds it with
//! its non-word template), so `be` takes "been" too.
//!
//! The tagger is the `english-pos-tagger` crate: a Brill-style tagger (a lexicon of about
//! 92,000 words and ordered context rules) with Penn Treebank tags, which is what Vale's rules
//! name. It is small, deterministic, needs no model file, and tags a sentence in microseconds;
//! Vale's own tagger is an averaged perceptron, so a borderline word may get another tag here.
//! Sentences are tagged only where the anchor's pattern matches.

use std::ops::Range;
use std::sync::{Arc, LazyLock};

use regex::Regex;

use crate::check::{CheckContext, Findings};
use crate::error::ConfigError;
use crate::rules::pattern::Matcher;
use crate::rules::{compiled, format_message, units, Rule, RuleMeta, RuleSource, ScopeSet};

/// One step as written in the rule file.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct StepSpec {
    #[serde(default)]
    pattern: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    skip: usize,
    #[serde(default)]
    negate: bool,
}

/// The `tokens:` list of a sequence rule file (the other keys are read as for any rule).
#[derive(Debug, serde::Deserialize)]
struct StepsOnly {
    tokens: Vec<StepSpec>,
}

/// A step after `skip` is spread out: `skip: N` becomes N optional copies of the step (the
/// first of them its `start`) before the step itself (its `end`), as Vale builds them.
#[derive(Debug, Clone)]
struct Step {
    /// Shared by a skipped step's copies.
    pattern: Option<Arc<Matcher>>,
    tag: Option<Regex>,
    negate: bool,
    skip: usize,
    optional: bool,
    start: bool,
    end: bool,
}

#[derive(Debug)]
pub struct Sequence {
    meta: RuleMeta,
    steps: Vec<Step>,
    /// Index of the anchor: the first step with a pattern that is not negated.
    anchor: Option<usize>,
}

/// A word of a sentence and its Penn Treebank tag.
#[derive(Debug, Clone)]
struct Word<'a> {
    text: &'a str,
    tag: String,
}

static TAGGER: LazyLock<english_pos_tagger::Tagger> =
    LazyLock::new(english_pos_tagger::Tagger::new);

impl Sequence {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let mut meta = src.meta("'%s'")?;
        // Vale runs a sequence rule sentence by sentence, whatever its `scope:` says.
        let vale = meta.scope.vale;
        meta.scope = ScopeSet::parse(&["sentence".to_string()]).expect("a known scope");
        meta.scope.vale = vale;
        let written: StepsOnly = serde_norway::from_str(src.text).map_err(|e| {
            src.error_at(
                "tokens",
                format!("`tokens` of `extends: sequence` must be a list of steps (pattern, tag, skip, negate): {e}"),
            )
        })?;
        if written.tokens.is_empty() {
            return Err(src.error_at(
                "tokens",
                "`extends: sequence` needs a non-empty `tokens` list",
            ));
        }
        let flags = if src.spec.ignorecase { "(?i)" } else { "" };
        let mut steps = Vec::new();
        for spec in &written.tokens {
            let pattern = match spec.pattern.as_deref().filter(|p| !p.is_empty()) {
                Some(p) => Some(Arc::new(Matcher::new(format!("{flags}(?:{p})")).map_err(
                    |e| src.error_at(p, format!("pattern `{p}` does not compile: {e}")),
                )?)),
                None => None,
            };
            let tag = match spec.tag.as_deref().filter(|t| !t.is_empty()) {
                Some(t) => Some(
                    Regex::new(t)
                        .map_err(|e| src.error_at(t, format!("tag `{t}` does not compile: {e}")))?,
                ),
                None => None,
            };
            let step = Step {
                pattern,
                tag,
                negate: spec.negate,
                skip: spec.skip,
                optional: true,
                start: false,
                end: false,
            };
            for i in (1..=spec.skip).rev() {
                steps.push(Step {
                    start: i == spec.skip,
                    ..step.clone()
                });
            }
            if step.pattern.is_some() || step.tag.is_some() {
                steps.push(Step {
                    optional: false,
                    end: true,
                    ..step
                });
            }
        }
        let anchor = steps.iter().position(|s| !s.negate && s.pattern.is_some());
        Ok(Sequence {
            meta,
            steps,
            anchor,
        })
    }

    /// Whether `word` passes `step`: its tag (searched in the word's tag) and its pattern, each
    /// turned around by `negate`; a step with neither passes every word.
    fn passes(&self, step: &Step, word: &Word<'_>) -> Result<bool, String> {
        let tag_failed = step.tag.as_ref().is_none_or(|t| t.is_match(&word.tag)) == step.negate;
        let pattern_failed = match &step.pattern {
            Some(p) => p.get().map_err(str::to_string)?.is_match(word.text) == step.negate,
            None => false,
        };
        let (has_tag, has_pattern) = (step.tag.is_some(), step.pattern.is_some());
        Ok(!((!has_pattern && tag_failed)
            || (!has_tag && pattern_failed)
            || (has_tag && has_pattern && (tag_failed || pattern_failed))))
    }

    /// The words of the run anchored at the first word that passes the anchor step and is not
    /// in `tried`, with that word's index; no words when the run does not match.
    fn run_at(
        &self,
        anchor: usize,
        words: &[Word<'_>],
        tried: &[usize],
    ) -> Result<(Vec<usize>, usize), String> {
        let steps = &self.steps;
        for (at, word) in words.iter().enumerate() {
            if tried.contains(&at) || !self.passes(&steps[anchor], word)? {
                continue;
            }
            let mut run = Vec::new();
            // Leftwards from the anchor: the steps were spread out for reading rightwards, so
            // a skipped step's copies trade roles (its `end` becomes optional, its `start`
            // required).
            for i in 1..=anchor {
                let Some(w) = at.checked_sub(i) else {
                    return Ok((Vec::new(), at));
                };
                let step = &steps[anchor - i];
                let optional = if step.skip > 0 {
                    (step.optional || step.end) && !step.start
                } else {
                    step.optional
                };
                run.insert(0, w);
                let passed = self.passes(step, &words[w])?;
                if !passed && !optional {
                    return Ok((Vec::new(), at));
                } else if passed && optional {
                    break;
                }
            }
            // Rightwards, the anchor included.
            for (i, step) in steps.iter().enumerate().skip(anchor) {
                let Some(word) = words.get(at + i - anchor) else {
                    return Ok((Vec::new(), at));
                };
                run.push(at + i - anchor);
                let passed = self.passes(step, word)?;
                if !passed && !step.optional {
                    return Ok((Vec::new(), at));
                } else if passed && step.optional {
                    break;
                }
            }
            return Ok((run, at));
        }
        Ok((Vec::new(), 0))
    }
}

/// The run's words as Vale writes them out: joined by spaces, but a word starting with an
/// apostrophe (`'s`, `'re`) joined to the one before.
fn written_out(words: &[&str]) -> String {
    let mut out = String::new();
    for w in words {
        if !w.starts_with('\'') && !w.starts_with('\u{2019}') && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// Splits a sentence into words as a treebank tokenizer does: at white space, with leading and
/// trailing punctuation split off as words of their own and a clitic (`'s`, `n't`, `'re`,
/// `'ll`, `'ve`, `'m`, `'d`) split from its word; hyphenated words stay whole.
fn words_of(text: &str) -> Vec<Range<usize>> {
    const CLITICS: &[&str] = &[
        "n't", "'s", "'re", "'ll", "'ve", "'m", "'d", "’s", "’re", "’ll", "’ve", "’m", "’d", "n’t",
    ];
    let is_punct = |c: char| !c.is_alphanumeric() && c != '_' && c != '@' && c != '#';
    let mut out = Vec::new();
    let mut start = None;
    let mut chunks = Vec::new();
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                chunks.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        chunks.push(s..text.len());
    }
    for chunk in chunks {
        let mut r = chunk.clone();
        let mut trailing = Vec::new();
        while let Some(c) = text[r.clone()].chars().next().filter(|&c| is_punct(c)) {
            out.push(r.start..r.start + c.len_utf8());
            r.start += c.len_utf8();
        }
        while let Some(c) = text[r.clone()].chars().next_back().filter(|&c| is_punct(c)) {
            // An abbreviation keeps its final period ("e.g.", "U.S.").
            if c == '.' && text[r.start..r.end - 1].contains('.') {
                break;
            }
            trailing.push(r.end - c.len_utf8()..r.end);
            r.end -= c.len_utf8();
        }
        if !r.is_empty() {
            let word = &text[r.clone()];
            let lower = word.to_lowercase();
            match CLITICS
                .iter()
                .find(|c| lower.ends_with(*c) && lower.len() > c.len())
            {
                Some(c) => {
                    let cut = r.end - c.len();
                    out.push(r.start..cut);
                    out.push(cut..r.end);
                }
                None => out.push(r),
            }
        }
        out.extend(trailing.into_iter().rev());
    }
    out
}

/// The words of `sentence` with their tags.
fn tagged(sentence: &str) -> Vec<Word<'_>> {
    let ranges = words_of(sentence);
    let texts: Vec<&str> = ranges.iter().map(|r| &sentence[r.clone()]).collect();
    let tokens = TAGGER.tag_raw_tokens(&texts);
    ranges
        .into_iter()
        .zip(tokens)
        .map(|(range, token)| Word {
            text: &sentence[range],
            tag: token.pos.unwrap_or_default(),
        })
        .collect()
}

impl Rule for Sequence {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let Some(anchor) = self.anchor else {
            return;
        };
        let Some(pattern) = self.steps[anchor].pattern.as_ref() else {
            return;
        };
        let Some(pattern) = compiled(pattern.get(), &self.meta, out) else {
            return;
        };
        for unit in units(cx.doc, &self.meta.scope) {
            let sentence = unit.text;
            let hits = pattern.find_ranges(sentence).len();
            if hits == 0 {
                continue;
            }
            let words = tagged(sentence);
            // One try per match of the anchor's pattern, each from the next anchor word not
            // tried yet (as Vale does).
            let mut tried = Vec::new();
            for _ in 0..hits {
                let (run, at) = match self.run_at(anchor, &words, &tried) {
                    Ok(found) => found,
                    Err(e) => {
                        out.push(crate::rules::not_compiled(&self.meta, &e));
                        return;
                    }
                };
                tried.push(at);
                if run.is_empty() {
                    continue;
                }
                let texts: Vec<&str> = run.iter().map(|&i| words[i].text).collect();
                let seq = written_out(&texts);
                let Some(found) = sentence.find(&seq) else {
                    continue;
                };
                let range = unit.to_source(found..found + seq.len());
                out.push(
                    self.meta
                        .diagnostic(range, format_message(&self.meta.message, &texts)),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_punctuation_and_clitics_but_keep_hyphenated_words() {
        let text = "The endpoint's are \"meet-ups\", e.g. here; don't.";
        let words: Vec<&str> = words_of(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            words,
            [
                "The", "endpoint", "'s", "are", "\"", "meet-ups", "\"", ",", "e.g.", "here", ";",
                "do", "n't", "."
            ]
        );
    }

    #[test]
    fn a_run_is_written_out_with_clitics_joined() {
        assert_eq!(written_out(&["endpoint", "'s", "are"]), "endpoint's are");
        assert_eq!(written_out(&["would", "be", "great"]), "would be great");
    }
}
