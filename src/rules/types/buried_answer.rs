//! `extends: buried_answer` — a reply that opens with sentences that say nothing yet (Candor's
//! own type).
//!
//! What it catches: replies whose first sentences are only greeting, thanks-for-contacting,
//! generic sympathy or an offer to help ("Hi Sam! Thanks for reaching out. We're sorry to hear
//! that. I'd be happy to help.") before the first sentence about the customer's case.
//! Why it matters: the customer reads the first line for the answer, and on a phone preview
//! that line is all they see.
//! Example: "Hi Sam! Thanks for reaching out. Sorry to hear that. Your refund went out today."
//! Better: "Your refund went out today; it reaches your card by Friday."
//!
//! Options: `min_lead` (how many empty opening sentences it takes, default 2), `phrases` and
//! `glue` (the opener catalogue, in the same form as `extends: filler`).

use serde::Deserialize;

use crate::check::{CheckContext, Findings};
use crate::error::ConfigError;
use crate::rules::types::filler::{stands_on_own_line, Catalogue, PhraseEntry};
use crate::rules::types::parse_options;
use crate::rules::{compiled, Rule, RuleMeta, RuleSource};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    #[serde(default = "default_min_lead")]
    min_lead: usize,
    #[serde(default)]
    phrases: Vec<PhraseEntry>,
    #[serde(default)]
    glue: Vec<String>,
    #[serde(default = "default_names")]
    max_names: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            min_lead: default_min_lead(),
            phrases: Vec::new(),
            glue: Vec::new(),
            max_names: default_names(),
        }
    }
}

fn default_min_lead() -> usize {
    2
}
fn default_names() -> usize {
    2
}

#[derive(Debug)]
pub struct BuriedAnswer {
    meta: RuleMeta,
    openers: Catalogue,
    min_lead: usize,
}

impl BuriedAnswer {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let meta = src.meta(
            "The reply opens with %s sentences that say nothing specific; lead with the answer.",
        )?;
        let opts: Options = parse_options(src)?;
        if opts.min_lead == 0 {
            return Err(src.error_at("min_lead", "`min_lead` must be at least 1"));
        }
        let openers = Catalogue::compile(src, opts.phrases, &opts.glue, opts.max_names)?;
        Ok(BuriedAnswer {
            meta,
            openers,
            min_lead: opts.min_lead,
        })
    }
}

impl Rule for BuriedAnswer {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn expect_large_run(&self) {
        self.openers.expect_large_run();
    }

    fn warm_up(&self) {
        self.openers.warm_up();
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        // Walk the opening sentences in order until one says something.
        let mut lead = 0;
        let mut first = None;
        let mut last = None;
        for block in cx.doc.blocks.iter().filter(|b| self.meta.scope.selects(b)) {
            let Some(verdicts) = compiled(self.openers.scan(block, cx.doc), &self.meta, out) else {
                return;
            };
            // Verdicts come in sentence order: look only at the next one.
            let mut at = 0;
            for s in block.sentences() {
                let listed = verdicts.get(at).filter(|v| v.sentence == *s);
                if listed.is_some() {
                    at += 1;
                }
                let verdict = listed.filter(|v| v.only_filler);
                // A letter's salutation on its own line ("Hi Sam,") is how a reply starts, not
                // a sentence that delays the answer: it neither counts nor ends the lead.
                if verdict.is_some_and(|v| {
                    v.hits
                        .iter()
                        .all(|h| self.openers.entry(h.entry).salutation)
                        && stands_on_own_line(&block.prose, s.clone())
                        && !block.prose[s.clone()].ends_with(['!', '.'])
                }) {
                    continue;
                }
                let empty = verdict.is_some();
                if !empty {
                    if lead >= self.min_lead {
                        if let (Some(a), Some(b)) = (first, last) {
                            let span: std::ops::Range<usize> = a..b;
                            // No `suggestions`: they replace the span, and the fix is a move.
                            out.push(
                                self.meta
                                    .diagnostic(span, self.meta.format(&[&lead.to_string()])),
                            );
                        }
                    }
                    return;
                }
                let span = block.to_source(s.clone());
                lead += 1;
                first.get_or_insert(span.start);
                last = Some(span.end);
            }
        }
    }
}
