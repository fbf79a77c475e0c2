//! `extends: filler` — a sentence-aware catalogue of stock phrases (Candor's own type).
//!
//! What it catches: boilerplate that could be pasted into any reply ("Thank you for reaching
//! out", "We apologize for any inconvenience", "Please do not hesitate to contact us"). With
//! `model: true` (the built-in pack) the sentence model ([`crate::judge`]) judges every sentence
//! of a reply-sized text whole, and the catalogue names the stock wording and the rewrite; a
//! sentence that is nothing but catalogued phrases (plus greeting words, the customer's name, a
//! signature) is flagged either way, and one that holds a catalogued phrase is judged from
//! the lower `phrase_threshold` (the phrase and the model's lean are two pieces of evidence).
//! Without the model, a sentence of nothing but phrases is flagged whole, and in a sentence that
//! also says something specific only the phrase is.
//! Why it matters: the customer reads past filler looking for the answer; every stock line tells
//! them the reply was pasted rather than written for them.
//! Example:
//! ```yaml
//! extends: filler
//! message: "'%s' is canned filler: %s"
//! options:
//!   phrases:
//!     - match: 'we apologi[sz]e for any inconvenience'
//!       rewrite: "Sorry that your order arrived late."   # or leave out: "cut it"
//!     - match: 'hi|hello'
//!       alone: true          # only when the sentence is nothing else
//!   glue: [so, very, again]  # words that do not count as content
//! ```
//! Better: "Your refund of $40 went out today" instead of "Thank you for reaching out! We
//! apologize for any inconvenience."
//!
//! Phrases are found as by one case-insensitive alternation of the whole catalogue, but each
//! phrase compiles on its own, and only once a block holds one of its literals (see
//! [`PhraseSet`]): a draft compiles the two or three phrases it may hold, not the catalogue.
//! Sentences are split only in blocks where a phrase matched. Which phrase a match is, is told
//! by each phrase's own anchored regex, also compiled the first time it is needed. The
//! alternation is leftmost-first: list a longer phrase before any phrase it begins with ("let
//! us know if you have any questions" before "let us know").

use std::collections::HashSet;
use std::ops::Range;

use serde::Deserialize;

use crate::check::{CheckContext, Findings};
use crate::diagnostic::Severity;
use crate::document::sentences::words;
use crate::document::{Block, BlockKind, Document};
use crate::engine::phrases::{PhraseRegex, PhraseSet};
use crate::error::ConfigError;
use crate::judge::features::Place;
use crate::judge::{cues, Head};
use crate::rules::types::parse_options;
use crate::rules::{compiled, Rule, RuleMeta, RuleSource};

/// One catalogue entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhraseEntry {
    /// A regex (case-insensitive); alternations express the variants.
    #[serde(rename = "match")]
    pub pattern: String,
    /// A plain rewrite to offer; without one the advice is to cut the phrase.
    #[serde(default)]
    pub rewrite: Option<String>,
    /// Only flag when the sentence holds nothing else (greetings, "Thanks!", "Oh no!").
    #[serde(default)]
    pub alone: bool,
    /// Do not wrap the pattern in word boundaries (emoticons, emoji).
    #[serde(default)]
    pub nonword: bool,
    /// Only when the sentence stands on a line of its own (an emoji after a sentence belongs
    /// to it).
    #[serde(default)]
    pub own_line: bool,
    /// A greeting: on a line of its own and ending in a comma (or nothing) it is a letter's
    /// salutation, a convention of the format like a signature, and is left alone unless the
    /// rule's `salutations: true`.
    #[serde(default)]
    pub salutation: bool,
}

/// `options:` of `extends: filler`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    phrases: Vec<PhraseEntry>,
    /// Words that carry no content on their own ("so", "again", "there", "team").
    #[serde(default)]
    glue: Vec<String>,
    /// How many capitalised words (names) a sentence may keep and still be only filler.
    #[serde(default = "default_names")]
    max_names: usize,
    /// Also flag a salutation line ("Hi Sam," on its own line before the body).
    #[serde(default)]
    salutations: bool,
    /// Let the sentence model (`crate::judge`) decide which sentences are filler; the catalogue
    /// then only names phrases and rewrites. Off by default for user-defined catalogues.
    #[serde(default)]
    model: bool,
    /// With `model: true`: the model's probability from which a sentence is reported.
    #[serde(default = "crate::judge::default_threshold")]
    threshold: f32,
    /// With `model: true`: the model's probability from which a sentence that also holds a
    /// catalogued phrase (not one that counts only alone) is reported; `threshold` if unset.
    #[serde(default)]
    phrase_threshold: Option<f32>,
}

fn default_names() -> usize {
    2
}

/// A compiled phrase catalogue: find phrases, tell which entry matched, and judge whether a
/// sentence holds anything besides them. Shared with `buried_answer`.
#[derive(Debug)]
pub struct Catalogue {
    entries: Vec<PhraseEntry>,
    /// Every entry, searched as one alternation.
    phrases: PhraseSet,
    /// Each entry anchored, to tell which one a match is (the first that matches it whole).
    which: Vec<PhraseRegex>,
    glue: HashSet<String>,
    max_names: usize,
}

/// A phrase found in a sentence.
#[derive(Debug, Clone)]
pub struct Hit {
    /// Range in the block's prose.
    pub range: Range<usize>,
    pub entry: usize,
}

/// What the catalogue makes of one sentence.
#[derive(Debug, Clone)]
pub struct SentenceVerdict {
    /// Sentence range in the block's prose.
    pub sentence: Range<usize>,
    pub hits: Vec<Hit>,
    /// Nothing but filler, glue words, names and signatures.
    pub only_filler: bool,
}

impl Catalogue {
    /// Compiles a catalogue; errors point at the line of the offending phrase.
    pub fn compile(
        src: &RuleSource<'_>,
        entries: Vec<PhraseEntry>,
        glue: &[String],
        max_names: usize,
    ) -> Result<Catalogue, ConfigError> {
        if entries.is_empty() {
            return Err(src.error_at(
                "options:",
                format!(
                    "`extends: {}` needs a non-empty `options.phrases` list",
                    src.spec.extends
                ),
            ));
        }
        let phrases: Vec<(&str, bool)> = entries
            .iter()
            .map(|e| (e.pattern.as_str(), e.nonword))
            .collect();
        let phrases = src.phrase_set(&phrases, true)?;
        let which = phrases
            .patterns()
            .iter()
            .map(|w| PhraseRegex::new(&format!("^{w}$")))
            .collect();
        Ok(Catalogue {
            entries,
            phrases,
            which,
            glue: glue.iter().map(|g| g.to_lowercase()).collect(),
            max_names,
        })
    }

    /// See [`PhraseSet::expect_large_run`].
    pub fn expect_large_run(&self) {
        self.phrases.expect_large_run();
    }

    /// See [`PhraseSet::warm_up`].
    pub fn warm_up(&self) {
        self.phrases.warm_up();
    }

    pub fn entry(&self, i: usize) -> &PhraseEntry {
        &self.entries[i]
    }

    /// Verdicts for the sentences of `block` that hold at least one phrase; the block is split
    /// into sentences only when the scan found something. Errs when a phrase does not compile.
    /// `doc` is the document `block` belongs to.
    pub fn scan(&self, block: &Block, doc: &Document) -> Result<Vec<SentenceVerdict>, &str> {
        let all = self.phrases.find_all_in(block)?;
        if all.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        // Matches and sentences are both in text order: each sentence takes the matches from
        // where the last one stopped, so the block is walked once however many there are.
        let mut next = 0;
        for s in block.sentences() {
            let first = next + all[next..].partition_point(|m| m.start < s.start);
            let end = first + all[first..].partition_point(|m| m.start < s.end);
            next = end;
            let inside: Vec<Hit> = all[first..end]
                .iter()
                .filter(|m| m.end <= s.end)
                .filter_map(|m| {
                    let text = &block.prose[m.clone()];
                    // Only a phrase with a literal in the match can match it whole.
                    let entry =
                        self.phrases.candidates(text).into_iter().find(|&i| {
                            self.which[i].for_text(text).is_ok_and(|r| r.is_match(text))
                        })?;
                    Some(Hit {
                        range: m.clone(),
                        entry,
                    })
                })
                .collect();
            if inside.is_empty() {
                continue;
            }
            let only_filler = self.only_filler(&block.prose, s.clone(), &inside)
                && !holds_code(block, doc, s.clone(), &inside);
            out.push(SentenceVerdict {
                sentence: s.clone(),
                hits: inside,
                only_filler,
            });
        }
        Ok(out)
    }

    /// Whether the sentence's prose holds nothing but the hits, glue words, names and
    /// signatures (see also [`holds_code`]).
    fn only_filler(&self, prose: &str, sentence: Range<usize>, hits: &[Hit]) -> bool {
        let text = &prose[sentence.clone()];
        // Emoji alone: any word at all is content.
        let emoji_only = hits.iter().all(|h| self.entries[h.entry].nonword);
        let mut names = 0;
        // Words and hits are both in text order: `reach` is the furthest end of the hits that
        // start at or before the word, so a word is inside a hit when it starts before that
        // (one walk, not a scan of every hit per word: a one-line sentence of 40,000 stock
        // phrases took seconds).
        let (mut next, mut reach) = (0, 0);
        for (i, word) in words(text) {
            let at = sentence.start + i;
            while let Some(h) = hits.get(next).filter(|h| h.range.start <= at) {
                reach = reach.max(h.range.end);
                next += 1;
            }
            if at < reach {
                continue;
            }
            if emoji_only {
                return false;
            }
            if self.glue.contains(&word.to_lowercase()) || is_signature(text, i, word) {
                continue;
            }
            let capitalised = word.chars().next().is_some_and(char::is_uppercase);
            if capitalised && names < self.max_names && !opens_clause(text, i, word) {
                names += 1;
                continue;
            }
            return false;
        }
        true
    }
}

/// Whether `word`, at byte `at` of a sentence's `text`, is its first word and runs straight on
/// into the next ("Select Details for more information"): a sentence's first word is capitalised
/// whatever it is, so it is taken for a name only when it stands apart ("Dana, thanks!").
fn opens_clause(text: &str, at: usize, word: &str) -> bool {
    let before = text[..at].trim_start_matches(|c: char| !c.is_alphanumeric());
    let after = &text[at + word.len()..];
    before.is_empty() && after.starts_with(' ') && after[1..].starts_with(char::is_alphanumeric)
}

/// Whether the sentence at `sentence` in `block` holds a Markdown code span outside the hits
/// ("Run `npm ci` for more details"): prose leaves code out, but it is what the sentence says.
/// (A URL is left out too, and stays out: "Write to us at https://example.com/help so we can assist"
/// is a canned contact line, link or not.)
fn holds_code(block: &Block, doc: &Document, sentence: Range<usize>, hits: &[Hit]) -> bool {
    let Some(markup) = &doc.markup else {
        return false;
    };
    let extent = block.to_source(sentence);
    let mut hit_sources: Vec<Range<usize>> = hits
        .iter()
        .map(|h| block.to_source(h.range.clone()))
        .collect();
    // Sorted by start, with the furthest end so far: whether a code span overlaps a hit is a
    // binary search, not a scan of every hit per code span.
    hit_sources.sort_by_key(|h| h.start);
    let mut furthest = 0;
    let reach: Vec<usize> = hit_sources
        .iter()
        .map(|h| {
            furthest = furthest.max(h.end);
            furthest
        })
        .collect();
    let overlaps_a_hit = |c: &Range<usize>| {
        let i = hit_sources.partition_point(|h| h.start < c.end);
        i > 0 && reach[i - 1] > c.start
    };
    // Code spans are in source order: only those starting inside the sentence are looked at.
    let first = markup
        .code_spans
        .partition_point(|c| c.start < extent.start);
    let mut inside = markup.code_spans[first..]
        .iter()
        .take_while(|c| c.start < extent.end);
    inside.any(|c| c.end <= extent.end && !overlaps_a_hit(c))
}

/// An agent's sign-off tag or a handle: `^NW`, `/RA`, `-Becky`, `*Erika`, `@name`, or a bare
/// two- or three-letter capital initial ("EZ").
fn is_signature(text: &str, at: usize, word: &str) -> bool {
    let before = text[..at].chars().next_back();
    if before == Some('@') {
        // A template's stand-in handle will be replaced by a real one: not a sign-off.
        return !matches!(
            word.to_ascii_lowercase().as_str(),
            "username" | "user" | "handle" | "author" | "name"
        );
    }
    if matches!(before, Some('^' | '/' | '-' | '*' | '~' | '—' | '–')) {
        return true;
    }
    (2..=3).contains(&word.len()) && word.chars().all(|c| c.is_ascii_uppercase())
}

/// Whether nothing but white space shares the sentence's line(s) in the block.
pub(crate) fn stands_on_own_line(prose: &str, sentence: Range<usize>) -> bool {
    let before = prose[..sentence.start].trim_end_matches([' ', '\t']);
    let after = prose[sentence.end..].trim_start_matches([' ', '\t']);
    (before.is_empty() || before.ends_with('\n')) && (after.is_empty() || after.starts_with('\n'))
}

/// The `filler` rule: a catalogue plus the rule's message.
#[derive(Debug)]
pub struct Filler {
    meta: RuleMeta,
    catalogue: Catalogue,
    salutations: bool,
    /// The model's thresholds (for any sentence, and for one holding a catalogued phrase),
    /// when the model decides.
    model: Option<(f32, f32)>,
}

impl Filler {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let meta = src.meta("'%s' is canned filler: %s")?;
        let opts: Options = parse_options(src)?;
        let catalogue = Catalogue::compile(src, opts.phrases, &opts.glue, opts.max_names)?;
        Ok(Filler {
            meta,
            catalogue,
            salutations: opts.salutations,
            model: opts.model.then_some((
                opts.threshold,
                opts.phrase_threshold.unwrap_or(opts.threshold),
            )),
        })
    }
}

impl Rule for Filler {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn expect_large_run(&self) {
        self.catalogue.expect_large_run();
    }

    fn warm_up(&self) {
        self.catalogue.warm_up();
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        for block in cx.doc.blocks.iter().filter(|b| self.meta.scope.selects(b)) {
            if let Some(thresholds) = self.model.filter(|_| cx.judges(block)) {
                if !self.check_block_with_model(cx, block, thresholds, out) {
                    return;
                }
                continue;
            }
            let Some(verdicts) = compiled(self.catalogue.scan(block, cx.doc), &self.meta, out)
            else {
                return;
            };
            for verdict in verdicts {
                if verdict.only_filler && !self.whole_sentence(block, &verdict) {
                    continue;
                }
                if verdict.only_filler {
                    let entry = self.catalogue.entry(verdict.hits[0].entry);
                    let sentence = super::sentence_proper(&block.prose, verdict.sentence.clone());
                    let text = &block.prose[sentence.clone()];
                    let advice = whole_sentence_advice(entry);
                    // The advice goes in the message, not in `suggestions`: those replace the
                    // span (editors, reviewdog), and advice is not replacement text.
                    out.push(self.meta.diagnostic(
                        block.to_source(sentence),
                        self.meta.format(&[text, &advice]),
                    ));
                    continue;
                }
                for hit in verdict
                    .hits
                    .iter()
                    .filter(|h| !self.catalogue.entry(h.entry).alone)
                {
                    let entry = self.catalogue.entry(hit.entry);
                    let text = &block.prose[hit.range.clone()];
                    let rest_stands = stands_without(
                        &block.prose[verdict.sentence.clone()],
                        hit.range.start.saturating_sub(verdict.sentence.start)
                            ..hit.range.end.saturating_sub(verdict.sentence.start),
                    );
                    let advice = match (&entry.rewrite, rest_stands) {
                        (Some(r), _) => or_rewrite("cut it", r),
                        (None, true) => {
                            "cut it; the rest of the sentence stands on its own.".to_string()
                        }
                        (None, false) => {
                            "cut it, and rewrite what is left of the sentence around the customer's case.".to_string()
                        }
                    };
                    out.push(self.meta.diagnostic(
                        block.to_source(hit.range.clone()),
                        self.meta.format(&[text, &advice]),
                    ));
                }
            }
        }
    }
}

impl Filler {
    /// Whether a sentence the catalogue finds to be nothing but phrases is reported whole: not an
    /// emoji as a table's value, not an `own_line` phrase inside a line, not a letter's
    /// salutation (unless `salutations: true`).
    fn whole_sentence(&self, block: &Block, verdict: &SentenceVerdict) -> bool {
        if !verdict.only_filler {
            return false;
        }
        let mut hits = verdict.hits.iter().map(|h| self.catalogue.entry(h.entry));
        // In a table an emoji is a value (":heavy_check_mark:" under "supported").
        if block.kind == BlockKind::TableCell && hits.clone().all(|e| e.nonword) {
            return false;
        }
        let own_line = stands_on_own_line(&block.prose, verdict.sentence.clone());
        if hits.clone().any(|e| e.own_line) && !own_line {
            return false;
        }
        // A letter's salutation ("Hi Sam," on its own line) is left alone unless asked for.
        let salutation = own_line
            && hits.all(|e| e.salutation)
            && !block.prose[verdict.sentence.clone()].ends_with(['!', '.']);
        self.salutations || !salutation
    }

    /// The model judges every sentence of `block`; the catalogue's hits in a sentence judged
    /// filler give the advice. Salutations and sign-offs are the format's conventions and are
    /// left alone. `false` when a phrase does not compile (reported): stop the rule.
    fn check_block_with_model(
        &self,
        cx: &CheckContext<'_>,
        block: &Block,
        (threshold, phrase_threshold): (f32, f32),
        out: &mut Findings,
    ) -> bool {
        let Some(verdicts) = compiled(self.catalogue.scan(block, cx.doc), &self.meta, out) else {
            return false;
        };
        let mut listed_at = 0;
        for sentence in block.sentences() {
            let verdict = cx.judge(block, sentence.clone());
            let proper = super::sentence_proper(&block.prose, sentence.clone());
            let text = &block.prose[proper.clone()];
            // Verdicts come in sentence order: look only at the next one.
            let listed = verdicts.get(listed_at).filter(|v| v.sentence == *sentence);
            if listed.is_some() {
                listed_at += 1;
            }
            // A sentence made of nothing but catalogued phrases is filler whatever the model
            // says; otherwise the model decides.
            let only_phrases = listed.is_some_and(|v| self.whole_sentence(block, v));
            // A stock phrase and the model's lean agree: two pieces of evidence.
            let holds_phrase = listed
                .is_some_and(|v| (v.hits.iter()).any(|h| !self.catalogue.entry(h.entry).alone));
            let threshold = if holds_phrase {
                phrase_threshold.min(threshold)
            } else {
                threshold
            };
            let probability = verdict.map_or(0.0, |v| v.filler());
            if (probability < threshold && !only_phrases)
                || (verdict.is_some_and(|v| v.is_letter_convention()) && !self.salutations)
            {
                continue;
            }
            let hit = listed.and_then(|v| v.hits.first());
            let advice = match hit {
                Some(h) => whole_sentence_advice(self.catalogue.entry(h.entry)),
                None => {
                    let why = cues(text, Place::default(), Head::Filler, 3);
                    let why = if why.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", why.join(", "))
                    };
                    format!(
                        "the sentence reads as stock wording{why} and says nothing specific to this customer; cut it or say what you did for them."
                    )
                }
            };
            let mut d = self
                .meta
                .diagnostic(block.to_source(proper), self.meta.format(&[text, &advice]));
            // Less sure without a catalogue phrase: a suggestion, not a warning.
            if hit.is_none() && probability < CONFIDENT && d.severity > Severity::Suggestion {
                d.severity = Severity::Suggestion;
            }
            out.push(d);
        }
        true
    }
}

/// What to do with a sentence that is nothing but filler, with the catalogue entry it holds.
fn whole_sentence_advice(entry: &PhraseEntry) -> String {
    match &entry.rewrite {
        Some(r) => format!(
            "the sentence says nothing specific to this customer. {}",
            or_rewrite("Cut it", r)
        ),
        None => "the sentence says nothing specific to this customer; cut it.".to_string(),
    }
}

/// "Cut it, or: REWRITE", unless the rewrite already says to cut it ("Cut it; end with the
/// next step" would read "Cut it, or: Cut it; ...").
fn or_rewrite(cut: &str, rewrite: &str) -> String {
    if rewrite.to_ascii_lowercase().starts_with("cut it") {
        let mut chars = rewrite.chars();
        let first = chars.next().map(|c| {
            if cut.starts_with('C') {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            }
        });
        first.into_iter().chain(chars).collect()
    } else {
        format!("{cut}, or: {rewrite}")
    }
}

/// Whether `sentence` still reads as a sentence with `cut` (a range in it) taken out: at
/// least three words left, and what followed the cut does not hang on it ("we appreciate
/// your patience and understanding" leaves "and understanding").
fn stands_without(sentence: &str, cut: std::ops::Range<usize>) -> bool {
    let (Some(before), Some(after)) = (sentence.get(..cut.start), sentence.get(cut.end..)) else {
        return true;
    };
    // Counted only up to three: a sentence with many phrases asks this once per phrase.
    let words = before
        .split_whitespace()
        .chain(after.split_whitespace())
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .take(3)
        .count();
    let leading = |s: &str| {
        s.split_whitespace()
            .next()
            .map(|w| {
                w.trim_matches(|c: char| !c.is_alphanumeric())
                    .to_ascii_lowercase()
            })
            .is_some_and(|w| matches!(w.as_str(), "and" | "or" | "but" | "nor" | "so"))
    };
    // What follows the cut hangs on it ("... patience and understanding").
    words >= 3 && !leading(after)
}

/// The model's probability from which a finding without a catalogue phrase keeps the rule's
/// level; below it, the finding is a suggestion.
const CONFIDENT: f32 = 0.75;

#[cfg(test)]
mod tests {
    use crate::rules::RuleSet;

    fn load(phrases: &str) -> Result<RuleSet, crate::error::ConfigError> {
        let text = format!("extends: filler\nmessage: x\noptions:\n  phrases:\n{phrases}");
        let mut set = RuleSet::default();
        set.add_file("T", "F.yml", "F.yml", &text)?;
        Ok(set)
    }

    #[test]
    fn a_bad_phrase_is_reported_at_its_line() {
        let err = load("    - match: 'thanks'\n    - match: 'a)|(b'\n").unwrap_err();
        assert_eq!(err.line, 6, "{err:?}");
        assert!(err.message.contains("a)|(b"), "{}", err.message);
    }

    #[test]
    fn a_phrase_that_matches_empty_text_is_an_error() {
        let err = load("    - match: 'thanks'\n    - match: '(?:x)?'\n").unwrap_err();
        assert_eq!(err.line, 6, "{err:?}");
        assert!(err.message.contains("empty"), "{}", err.message);
        assert!(load("    - match: 'thanks'\n").is_ok());
    }
}
