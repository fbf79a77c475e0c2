//! `extends: length` — a reply far longer than the customer's message warrants (Candor's own
//! type).
//!
//! What it catches: when the customer's message is known (`--inbound`), a reply more than
//! `ratio` times as long as it (and longer than `min_words`); otherwise a reply over `max_words`.
//! Documents with headings are articles, not replies, and are left alone unless
//! `skip_headed: false`.
//! Why it matters: a one-line question answered with a page of text hides the answer and
//! tells the customer nobody edited the macro.
//! Example: a 40-word question ("Can I change my delivery address?") answered in 400 words.
//! Better: answer in the first sentence, link to the details.
//!
//! The finding spans the reply from the sentence where it passes the budget to its end.

use serde::Deserialize;

use crate::check::{CheckContext, Findings};
use crate::document::BlockKind;
use crate::error::ConfigError;
use crate::rules::types::parse_options;
use crate::rules::{Rule, RuleMeta, RuleSource};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Word budget when the customer's message is not known (0: no budget).
    #[serde(default = "default_max")]
    max_words: usize,
    /// With the customer's message known: at most this many reply words per inbound word.
    #[serde(default = "default_ratio")]
    ratio: f64,
    /// A reply this short is never too long, whatever the inbound message.
    #[serde(default = "default_min")]
    min_words: usize,
    /// Leave documents with headings alone (they are articles, not replies).
    #[serde(default = "default_skip")]
    skip_headed: bool,
}

fn default_max() -> usize {
    250
}
fn default_ratio() -> f64 {
    4.0
}
fn default_min() -> usize {
    80
}
fn default_skip() -> bool {
    true
}

impl Default for Options {
    fn default() -> Self {
        Options {
            max_words: default_max(),
            ratio: default_ratio(),
            min_words: default_min(),
            skip_headed: default_skip(),
        }
    }
}

#[derive(Debug)]
pub struct Length {
    meta: RuleMeta,
    opts: Options,
}

/// Words (white-space separated runs with a letter or digit): cheap enough for every file.
fn word_count(text: &str) -> usize {
    text.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

impl Length {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let meta = src.meta("%s")?;
        let opts: Options = parse_options(src)?;
        if opts.ratio.is_nan() || opts.ratio <= 0.0 {
            return Err(src.error_at("ratio", "`ratio` must be above 0"));
        }
        Ok(Length { meta, opts })
    }
}

impl Rule for Length {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let blocks: Vec<_> = cx
            .doc
            .blocks
            .iter()
            .filter(|b| self.meta.scope.selects(b))
            .collect();
        let inbound_words: usize = cx
            .inbound
            .iter()
            .flat_map(|i| i.doc.prose_blocks())
            .map(|b| word_count(&b.prose))
            .sum();
        let (budget, why) = if inbound_words > 0 {
            let budget =
                ((inbound_words as f64 * self.opts.ratio) as usize).max(self.opts.min_words);
            (
                budget,
                format!("the customer wrote {inbound_words} words; keep the reply under {budget}"),
            )
        } else {
            if self.opts.max_words == 0
                || (self.opts.skip_headed
                    && cx
                        .doc
                        .prose_blocks()
                        .any(|b| matches!(b.kind, BlockKind::Heading(_))))
            {
                return;
            }
            (
                self.opts.max_words,
                format!("the budget is {} words", self.opts.max_words),
            )
        };
        let total: usize = blocks.iter().map(|b| word_count(&b.prose)).sum();
        if total <= budget {
            return;
        }
        // Span: from the sentence that passes the budget to the end of the reply.
        let mut seen = 0;
        let mut start = None;
        'outer: for b in &blocks {
            for s in b.sentences() {
                seen += word_count(&b.prose[s.clone()]);
                if seen > budget {
                    start = Some(b.to_source(s.clone()).start);
                    break 'outer;
                }
            }
        }
        let last = blocks.last().expect("words imply a block");
        let end = last.to_source(0..last.prose.len()).end;
        let Some(start) = start.filter(|s| *s < end) else {
            return;
        };
        let message = format!(
            "The reply is {total} words and {why}. Lead with the answer and cut or link the rest."
        );
        out.push(
            self.meta
                .diagnostic(start..end, self.meta.format(&[&message])),
        );
    }
}
