//! `extends: questions` — Candor's check for customer questions the reply leaves unanswered.
//!
//! What it catches: a question in the customer's message (`--inbound`, an email's quoted part,
//! a thread file, or `>` quoted lines in the reply) that no sentence of the reply engages with.
//! Why it matters: customers judge a reply first by whether it answers what they asked; "Please
//! DM us" under "Can I get the $35 fee refunded?" reads as a brush-off.
//! Example:
//! ```yaml
//! extends: questions
//! message: "The customer asked \"%s\" and the reply does not answer it."
//! level: warning
//! ```
//! The finding's span is the reply's first sentence (the whole reply when it is empty); its
//! related span is the question in the customer's message. Every question found, answered or
//! not, goes into the report's `questions` list with the reply sentence that answers it.

use crate::check::{CheckContext, Findings};
use crate::diagnostic::Related;
use crate::error::ConfigError;
use crate::questions::analyse;
use crate::rules::{Rule, RuleMeta, RuleSource};

#[derive(Debug)]
pub struct IgnoredQuestion {
    meta: RuleMeta,
}

impl IgnoredQuestion {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let meta = src.meta("The customer asked \"%s\" and the reply does not answer it.")?;
        if let Some(options) = &src.spec.options {
            if let Some(key) = options.keys().next() {
                return Err(
                    src.error_at(key, format!("`extends: questions` has no option `{key}`"))
                );
            }
        }
        Ok(IgnoredQuestion { meta })
    }
}

impl Rule for IgnoredQuestion {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let questions = analyse(cx.path, cx.doc, cx.inbound);
        if questions.is_empty() {
            return;
        }
        let first = first_sentence(cx);
        for q in &questions {
            if q.addressed {
                continue;
            }
            let shown = shorten(&q.text, 120);
            // The reply's sentence closest to answering: where the answer is missing.
            let primary = q.nearest.clone().unwrap_or_else(|| first.clone());
            let mut d = self.meta.diagnostic(primary, self.meta.format(&[&shown]));
            d.related.push(Related {
                path: q.path.clone(),
                span: q.span.clone(),
                message: "the customer's question".to_string(),
            });
            out.push(d);
        }
        out.questions.extend(questions);
    }
}

/// The reply's first own sentence, or the whole file when it has none.
fn first_sentence(cx: &CheckContext<'_>) -> std::ops::Range<usize> {
    cx.doc
        .own_blocks()
        .find_map(|b| b.sentences().first().map(|s| b.to_source(s.clone())))
        .unwrap_or(0..cx.doc.source.len())
}

/// `text` on one line, cut at a character boundary after about `max` bytes.
fn shorten(text: &str, max: usize) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.len() <= max {
        return one_line;
    }
    let mut end = max;
    while !one_line.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &one_line[..end])
}
