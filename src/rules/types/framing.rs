//! `extends: framing` — sentences framed around the company instead of the customer (Candor's
//! own type), plus a per-reply balance check.
//!
//! What it catches: self-promotion ("our industry-leading platform", "we pride ourselves"),
//! policy talk ("that's our policy", "per our terms", "we use the issue tracker exclusively for
//! ..."), justification by the organisation's goals or capacity ("to maintain the team's
//! focus"), and blame-"you" ("you failed to"). Each cue is a regex with the reason it is shown;
//! the finding spans the sentence. Not every "we": "we'll refund you today" is an action taken
//! for the customer and no cue matches it.
//! The balance check adds one suggestion per reply when it says "we/our/us" far more often than
//! "you/your", on the sentence that leans on "we" the most.
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
use crate::document::Block;
use crate::error::ConfigError;
use crate::rules::lazy::{compiled, LazyRegex};
use crate::rules::phrases::PhraseSet;
use crate::rules::types::parse_options;
use crate::rules::{Rule, RuleMeta, RuleSource};

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
        let cues = PhraseSet::compile(src, &phrases, false)?;
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
        if let Some(pronouns) = text.contains('\u{17F}').then(pronouns).flatten() {
            for m in pronouns.find_iter(text) {
                tally(m.as_str().as_bytes());
            }
            return (org, cust);
        }
        for word in ascii_words(text) {
            if is_pronoun(word) {
                tally(word);
            }
        }
        (org, cust)
    }

    fn balance(&self, cx: &CheckContext<'_>, flagged: &[Range<usize>], out: &mut Findings) {
        let Some(b) = &self.balance else { return };
        let blocks: Vec<&Block> = cx
            .doc
            .blocks
            .iter()
            .filter(|b| self.meta.scope.selects(b))
            .collect();
        let (org, cust) = blocks
            .iter()
            .map(|blk| self.count(&blk.prose))
            .fold((0, 0), |a, c| (a.0 + c.0, a.1 + c.1));
        if org < b.min_org_words || (org as f64) <= b.ratio * cust.max(1) as f64 {
            return;
        }
        // Point at the sentence that leans on "we" the most, as the place to start rewriting.
        let mut best: Option<(usize, &Block, Range<usize>)> = None;
        for blk in &blocks {
            for s in blk.sentences() {
                let (o, c) = self.count(&blk.prose[s.clone()]);
                let lean = o.saturating_sub(c);
                if lean > 0 && best.as_ref().is_none_or(|(l, ..)| lean > *l) {
                    best = Some((lean, blk, s.clone()));
                }
            }
        }
        let Some((_, blk, s)) = best else { return };
        let span = blk.to_source(s);
        if flagged.contains(&span) {
            return;
        }
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

/// [`is_word_byte`] of every byte, looked up rather than computed: the balance check reads
/// every byte of every reply.
static WORD_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = is_word_byte(b as u8);
        b += 1;
    }
    table
};

/// Whether `word` is one of [`PRONOUNS`], case aside. Every pronoun starts with w, u, o or y
/// and has 2 to 10 letters: most words are ruled out by their first byte.
fn is_pronoun(word: &[u8]) -> bool {
    (2..=10).contains(&word.len())
        && matches!(word[0] | 0x20, b'w' | b'u' | b'o' | b'y')
        && PRONOUNS
            .iter()
            .any(|p| p.as_bytes().eq_ignore_ascii_case(word))
}

/// The maximal runs of ASCII word bytes in `text`.
fn ascii_words(text: &str) -> impl Iterator<Item = &[u8]> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !WORD_BYTE[usize::from(bytes[at])] {
            at += 1;
        }
        let start = at;
        while at < bytes.len() && WORD_BYTE[usize::from(bytes[at])] {
            at += 1;
        }
        (start < at).then(|| &bytes[start..at])
    })
}

impl Rule for Framing {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn expect_large_run(&self) {
        self.cues.expect_large_run();
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let mut flagged = Vec::new();
        for block in cx.doc.blocks.iter().filter(|b| self.meta.scope.selects(b)) {
            let Some(which) = compiled(self.cues.matcher(&block.prose), &self.meta, out) else {
                return;
            };
            let Some(which) = which else { continue };
            for s in block.sentences() {
                let text = &block.prose[s.clone()];
                let Some(cue) = which.first(text) else {
                    continue;
                };
                let exceptions = self.exceptions.as_ref().map(LazyRegex::get).transpose();
                let Some(exceptions) = compiled(exceptions, &self.meta, out) else {
                    return;
                };
                if exceptions.is_some_and(|e| e.is_match(text)) {
                    continue;
                }
                let span = block.to_source(s.clone());
                flagged.push(span.clone());
                out.push(
                    self.meta
                        .diagnostic(span, self.meta.format(&[&self.why[cue]])),
                );
            }
        }
        self.balance(cx, &flagged, out);
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
        fn ascii_word_count_is_what_the_pronoun_regex_finds(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "we", "We", "WE", "we're", "you'd", "Your", "yours", "ourselves", "us", "use",
                "well", "you_", "our2", "é", "ü", "'", " ", "\n", ",", "x", "ſ",
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
