//! `extends: framing` — sentences framed around the company instead of the customer (Candor's
//! own type), plus a per-reply balance check.
//!
//! What it catches: self-promotion ("our industry-leading platform", "we pride ourselves"),
//! policy talk ("that's our policy", "per our terms", "bug reports are all we take on the tracker
//! ..."), justification by the organisation's goals or capacity ("to maintain the team's
//! focus"), and blame-"you" ("you failed to"). Each cue is a regex with the reason it is shown;
//! the finding spans the sentence. With `model: true` (the built-in pack) the sentence model
//! ([`crate::judge`]) also reports sentences no cue names, in reply-sized texts, when they name
//! the organisation. Not every "we": "we'll refund you today" is an action taken for the
//! customer; `exceptions` keep such sentences out whatever flags them.
//! The balance check adds one suggestion per reply when it says "we/our/us" far more often than
//! "you/your", on the sentence that leans on "we" the most and is not reported already.
//! Why it matters: the customer wrote about their problem; a reply about the company's rules,
//! capacity or excellence reads as a brush-off.
//! Example:
//! ```yaml
//! extends: framing
//! message: "This sentence is about us, not the customer (%s). Say what it means for them."
//! options:
//!   cues:
//!     - match: "that(?:'s| is) (?:our|the) policy"
//!       why: policy talk
//!   exceptions: ["we(?:'ll| will) refund"]
//!   balance: {min_org_words: 6, ratio: 3.0}
//! ```
//! Better: "You can get a refund within 30 days of delivery" instead of "Per our terms, refunds
//! are only issued within 30 days".

use std::ops::Range;

use serde::Deserialize;

use crate::check::{CheckContext, Findings};
use crate::diagnostic::Severity;
use crate::document::sentences::is_word_byte;
use crate::engine::lazy::LazyRegex;
use crate::engine::phrases::PhraseSet;
use crate::error::ConfigError;
use crate::judge::features::Place;
use crate::judge::{cues, Head};
use crate::rules::types::parse_options;
use crate::rules::{compiled, Rule, RuleMeta, RuleSource};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Cue {
    #[serde(rename = "match")]
    pattern: String,
    /// Shown in the message: what kind of self-focus this is.
    why: String,
}

/// The per-reply balance of "we" against "you".
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Balance {
    /// Report only when the reply uses at least this many we/our/us words.
    #[serde(default = "default_min_org")]
    min_org_words: usize,
    /// Report when we-words exceed this many times the you-words (you-words counted as at least 1).
    #[serde(default = "default_ratio")]
    ratio: f64,
}

fn default_min_org() -> usize {
    6
}
fn default_ratio() -> f64 {
    3.0
}

impl Default for Balance {
    fn default() -> Self {
        Balance {
            min_org_words: default_min_org(),
            ratio: default_ratio(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default)]
    cues: Vec<Cue>,
    /// A sentence matching one of these is not reported (customer-centred actions).
    #[serde(default)]
    exceptions: Vec<String>,
    /// `balance: {min_org_words, ratio}`; `true` for the defaults; `false` or left out: off.
    #[serde(default)]
    balance: Option<BalanceSetting>,
    /// Let the sentence model (`crate::judge`) find self-focused sentences too; the cues then
    /// name the kind when one matches. Off by default for user-defined rules.
    #[serde(default)]
    model: bool,
    /// With `model: true`: the model's probability from which a sentence is reported.
    #[serde(default = "crate::judge::default_threshold")]
    threshold: f32,
    /// With `model: true`: the probability from which a sentence that names no organisation
    /// (no we, our, the team...) is reported; above 1, never.
    #[serde(default = "never")]
    unnamed_threshold: f32,
}

fn never() -> f32 {
    f32::INFINITY
}

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum BalanceSetting {
    Off(bool),
    On(Balance),
}

#[derive(Debug)]
pub struct Framing {
    meta: RuleMeta,
    /// Every cue; a sentence is reported for the first one it holds.
    cues: PhraseSet,
    why: Vec<String>,
    exceptions: Option<LazyRegex>,
    balance: Option<Balance>,
    /// Only for text holding a long s (see [`Framing::count`]).
    pronouns: LazyRegex,
    /// The model's thresholds (for sentences that name the organisation and for those that
    /// do not), when the model judges sentences too.
    model: Option<(f32, f32)>,
}

impl Framing {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let meta = src.meta("This sentence is about us, not the customer (%s).")?;
        let opts: Options = parse_options(src)?;
        if opts.cues.is_empty() {
            return Err(src.error_at(
                "options:",
                "`extends: framing` needs a non-empty `options.cues` list",
            ));
        }
        let phrases: Vec<(&str, bool)> = opts
            .cues
            .iter()
            .map(|c| (c.pattern.as_str(), false))
            .collect();
        let cues = src.phrase_set(&phrases, false)?;
        let exceptions = if opts.exceptions.is_empty() {
            None
        } else {
            for e in &opts.exceptions {
                src.check_regex(e, e)?;
            }
            Some(LazyRegex::new(format!(
                r"(?i)(?-u:\b)(?:{})",
                opts.exceptions.join("|")
            )))
        };
        let balance = match opts.balance {
            None | Some(BalanceSetting::Off(false)) => None,
            Some(BalanceSetting::Off(true)) => Some(Balance::default()),
            Some(BalanceSetting::On(b)) => {
                if b.ratio.is_nan() || b.ratio <= 0.0 {
                    return Err(src.error_at("ratio", "`balance.ratio` must be above 0"));
                }
                Some(b)
            }
        };
        let pronouns = LazyRegex::new(format!(r"(?i)(?-u:\b)({})(?-u:\b)", PRONOUN_ALTERNATION));
        Ok(Framing {
            meta,
            cues,
            why: opts.cues.into_iter().map(|c| c.why).collect(),
            exceptions,
            balance,
            pronouns,
            model: opts
                .model
                .then_some((opts.threshold, opts.unnamed_threshold)),
        })
    }

    /// (we-words, you-words) in `text`: whole ASCII words equal, case aside, to one of
    /// [`PRONOUNS`] (what the `pronouns` regex finds: its contracted forms never win over the
    /// bare pronoun, which matches first). The long s (`ſ`) case-folds to `s`, so a text holding
    /// one is counted with the regex itself.
    fn count(&self, text: &str) -> (usize, usize) {
        let (mut org, mut cust) = (0, 0);
        let mut tally = |word: &[u8]| {
            if word[0].eq_ignore_ascii_case(&b'y') {
                cust += 1;
            } else {
                org += 1;
            }
        };
        // (The pattern is a constant that compiles; were it not to, ASCII words are counted.)
        // Compiled only for such a text: it takes longer than a whole draft's lint.
        let pronouns = || self.pronouns.get().ok();
        if let Some(pronouns) = holds_long_s(text).then(pronouns).flatten() {
            for m in pronouns.find_iter(text) {
                tally(m.as_str().as_bytes());
            }
            return (org, cust);
        }
        let bytes = text.as_bytes();
        each_u_or_w(bytes, |at| {
            if let Some(word) = pronoun_at(bytes, at) {
                tally(word);
            }
        });
        (org, cust)
    }

    /// The reply's balance suggestion, given its (we-words, you-words) counted block by block
    /// in [`Rule::check`]'s one pass over the blocks.
    fn balance(
        &self,
        cx: &CheckContext<'_>,
        (org, cust): (usize, usize),
        flagged: &[Range<usize>],
        out: &mut Findings,
    ) {
        let Some(b) = &self.balance else { return };
        if org < b.min_org_words || (org as f64) <= b.ratio * cust.max(1) as f64 {
            return;
        }
        // Point at the sentence that leans on "we" the most and is not reported already, as the
        // place to start rewriting.
        let mut best: Option<(usize, Range<usize>)> = None;
        for blk in cx.doc.blocks.iter().filter(|b| self.meta.scope.selects(b)) {
            for s in blk.sentences() {
                let (o, c) = self.count(&blk.prose[s.clone()]);
                let lean = o.saturating_sub(c);
                if lean > 0 && best.as_ref().is_none_or(|(l, _)| lean > *l) {
                    let span = blk.to_source(super::sentence_proper(&blk.prose, s.clone()));
                    if !flagged.contains(&span) {
                        best = Some((lean, span));
                    }
                }
            }
        }
        let Some((_, span)) = best else { return };
        let mut d = self.meta.diagnostic(
            span,
            format!(
                "The reply says we/our/us {org} times and you/your {cust} times: it is about the company more than the customer. Rewrite around what the customer gets or can do."
            ),
        );
        d.severity = Severity::Suggestion;
        out.push(d);
    }
}

/// The words the balance check counts (what [`PRONOUN_ALTERNATION`] can match as a whole word).
const PRONOUNS: [&str; 10] = [
    "we",
    "us",
    "our",
    "ours",
    "ourselves",
    "you",
    "your",
    "yours",
    "yourself",
    "yourselves",
];
/// The balance check's pronouns as first written, contractions included ("we're" never
/// matches as such: "we" comes first and ends at the apostrophe).
const PRONOUN_ALTERNATION: &str = "we|us|our|ours|ourselves|we're|we've|we'll|we'd|you|your|yours|yourself|yourselves|you're|you've|you'll|you'd";

/// Whether `text` holds a long s (`ſ`, U+017F: bytes C5 BF). `str::contains` would walk the
/// text without SIMD; C5 (Latin Extended-A) is rare in English prose.
fn holds_long_s(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xC5, bytes).any(|at| bytes.get(at + 1) == Some(&0xBF))
}

/// Whether `word` is one of [`PRONOUNS`], case aside. Every pronoun starts with w, u, o or y
/// and has 2 to 10 letters: most words are ruled out by their first byte.
fn is_pronoun(word: &[u8]) -> bool {
    (2..=10).contains(&word.len())
        && matches!(word[0] | 0x20, b'w' | b'u' | b'o' | b'y')
        && PRONOUNS
            .iter()
            .any(|p| p.as_bytes().eq_ignore_ascii_case(word))
}

/// The pronoun (see [`is_pronoun`]), as a whole ASCII word of `bytes`, that holds the `u` or
/// `w` (either case) at `at`, if any. Every pronoun holds one such letter, in one place: "w"
/// starts "we", "u" is the first, second or third letter of "us", "our..." and "you...".
fn pronoun_at(bytes: &[u8], at: usize) -> Option<&[u8]> {
    // Most hits are ruled out by the next byte: "we", and "us", "our..." or "you...".
    let next = bytes.get(at + 1).copied().unwrap_or(b' ');
    let fits = if bytes[at] | 0x20 == b'w' {
        next | 0x20 == b'e'
    } else {
        matches!(next | 0x20, b's' | b'r') || !is_word_byte(next)
    };
    if !fits {
        return None;
    }
    let starts_with = |prefix: &[u8]| {
        at >= prefix.len() && bytes[at - prefix.len()..at].eq_ignore_ascii_case(prefix)
    };
    // Where the word would start: only its first letters can come before the `u`.
    let start = if starts_with(b"yo") {
        at - 2
    } else if starts_with(b"o") {
        at - 1
    } else {
        at
    };
    if start > 0 && is_word_byte(bytes[start - 1]) {
        return None;
    }
    let end = bytes[at..]
        .iter()
        .position(|&b| !is_word_byte(b))
        .map_or(bytes.len(), |len| at + len);
    let word = &bytes[start..end];
    is_pronoun(word).then_some(word)
}

/// Calls `found` with the position of each `u`, `U`, `w` and `W` in `bytes`, in order.
///
/// Why: the balance check counts the pronouns of every reply, and these letters are about one
/// byte in thirty of prose. Eight bytes are tested at a time, as one `u64` (a `memchr` call per
/// letter found costs more than the test).
fn each_u_or_w(bytes: &[u8], mut found: impl FnMut(usize)) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    let chunks = bytes.chunks_exact(8);
    let tail = chunks.remainder();
    for (k, chunk) in chunks.enumerate() {
        let word = u64::from_le_bytes(chunk.try_into().expect("chunks of 8"));
        // Lower-cased (other bytes may change too, but none becomes `u` or `w`).
        let lower = word | (ONES * 0x20);
        let mut hits = zero_bytes(lower ^ (ONES * u64::from(b'u')))
            | zero_bytes(lower ^ (ONES * u64::from(b'w')));
        while hits != 0 {
            found(k * 8 + hits.trailing_zeros() as usize / 8);
            hits &= hits - 1;
        }
    }
    let tail_at = bytes.len() - tail.len();
    for (i, &b) in tail.iter().enumerate() {
        if matches!(b | 0x20, b'u' | b'w') {
            found(tail_at + i);
        }
    }
}

/// The high bit of each byte of `x` that is 0, no other bit (exact, unlike the shorter
/// `(x - ONES) & !x & HIGHS`, which can also mark a byte above a zero byte).
fn zero_bytes(x: u64) -> u64 {
    const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    !(((x & LOW7) + LOW7) | x | LOW7)
}

impl Rule for Framing {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn expect_large_run(&self) {
        self.cues.expect_large_run();
    }

    fn warm_up(&self) {
        self.cues.warm_up();
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let mut flagged = Vec::new();
        let mut words = (0, 0);
        for block in cx.doc.blocks.iter().filter(|b| self.meta.scope.selects(b)) {
            if self.balance.is_some() {
                let (org, cust) = self.count(&block.prose);
                words = (words.0 + org, words.1 + cust);
            }
            let Some(which) = compiled(self.cues.matcher_in(block), &self.meta, out) else {
                return;
            };
            if which.is_none() && (self.model.is_none() || !cx.judges(block)) {
                continue;
            }
            for s in block.sentences() {
                let text = &block.prose[s.clone()];
                let cue = which.as_ref().and_then(|w| w.first(text));
                let why = match (cue, self.model) {
                    (Some(cue), _) => {
                        let verdict = self.model.and_then(|_| cx.judge(block, s.clone()));
                        if verdict.is_some_and(|v| v.is_letter_convention()) {
                            continue;
                        }
                        self.why[cue].clone()
                    }
                    (None, Some((threshold, unnamed))) => {
                        let Some(verdict) = cx.judge(block, s.clone()) else {
                            continue;
                        };
                        if !verdict.is_self_focused(threshold, unnamed)
                            || verdict.is_letter_convention()
                        {
                            continue;
                        }
                        let cues = cues(text, Place::default(), Head::SelfFocus, 3);
                        format!("it reads as about us: {}", cues.join(", "))
                    }
                    (None, None) => continue,
                };
                let exceptions = self.exceptions.as_ref().map(LazyRegex::get).transpose();
                let Some(exceptions) = compiled(exceptions, &self.meta, out) else {
                    return;
                };
                if exceptions.is_some_and(|e| e.is_match(text)) {
                    continue;
                }
                let span = block.to_source(super::sentence_proper(&block.prose, s.clone()));
                flagged.push(span.clone());
                out.push(self.meta.diagnostic(span, self.meta.format(&[&why])));
            }
        }
        self.balance(cx, words, &flagged, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::LazyLock;

    static PRONOUN_REGEX: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(&format!(r"(?i)(?-u:\b)({PRONOUN_ALTERNATION})(?-u:\b)")).unwrap()
    });

    /// A framing rule as the built-in pack compiles it (for its `count`).
    static FRAMING: LazyLock<Framing> = LazyLock::new(framing);

    fn framing() -> Framing {
        let src = RuleSource {
            pack: "T",
            name: "F",
            path: "F.yml",
            text: "",
            spec: serde_norway::from_str(
                "extends: framing\nmessage: x\noptions:\n  cues:\n    - {match: 'per our policy', why: policy}\n",
            )
            .unwrap(),
            vale: false,
        };
        Framing::compile(&src).unwrap()
    }

    #[test]
    fn only_a_text_with_a_long_s_compiles_the_pronoun_regex() {
        let framing = framing();
        assert_eq!(framing.count("We will send you our reply"), (2, 1));
        assert!(!framing.pronouns.is_compiled());
        assert_eq!(framing.count("\u{17F}o we"), (1, 0));
        assert!(framing.pronouns.is_compiled());
    }

    proptest::proptest! {
        #[test]
        fn each_u_or_w_finds_every_u_and_w(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..40)) {
            let mut found = Vec::new();
            each_u_or_w(&bytes, |at| found.push(at));
            let expected: Vec<usize> = (0..bytes.len())
                .filter(|&i| matches!(bytes[i], b'u' | b'U' | b'w' | b'W'))
                .collect();
            proptest::prop_assert_eq!(found, expected);
        }

        #[test]
        fn ascii_word_count_is_what_the_pronoun_regex_finds(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "we", "We", "WE", "we're", "you'd", "Your", "yours", "ourselves", "us", "use",
                "well", "you_", "our2", "é", "ü", "'", " ", "\n", ",", "x", "ſ", "yo", "Yo",
                "o", "O", "u", "U", "w", "W", "s", "y", "usus", "ł",
            ]), 0..30),
        ) {
            let text = words.concat();
            let expected = PRONOUN_REGEX.find_iter(&text).fold((0, 0), |(o, c), m| {
                if m.as_str().as_bytes()[0].eq_ignore_ascii_case(&b'y') {
                    (o, c + 1)
                } else {
                    (o + 1, c)
                }
            });
            proptest::prop_assert_eq!(FRAMING.count(&text), expected);
        }
    }
}
