//! Running a rule set over one document: the step between the document model and reporters.

use std::ops::Range;
use std::sync::Arc;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::rules::RuleSet;

/// The customer's message a reply answers, read from `--inbound`, an email or a thread.
#[derive(Debug)]
pub struct Inbound {
    /// Path as the user named it (shown in related spans).
    pub path: Arc<str>,
    pub doc: Document,
}

/// A question found in the customer's message and what the reply does with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    /// File the question is in.
    pub path: Arc<str>,
    /// Byte range of the question in that file.
    pub span: Range<usize>,
    pub text: String,
    pub addressed: bool,
    /// Byte range (in the reply) of the part that answers it.
    pub answer: Option<Range<usize>>,
    /// How strongly the best reply passage engages the question (0 to 1).
    pub score: f64,
}

/// Everything one rule may look at for one file.
pub struct CheckContext<'a> {
    pub path: &'a Arc<str>,
    pub doc: &'a Document,
    /// The customer's message(s), when known.
    pub inbound: &'a [Inbound],
}

/// What rules report for one file.
#[derive(Debug, Default)]
pub struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    pub questions: Vec<Question>,
}

impl Findings {
    pub fn push(&mut self, d: Diagnostic) {
        self.diagnostics.push(d);
    }
}

/// Lints one document with every rule, returning findings in a stable order. Rules whose
/// literals occur nowhere in the document are skipped: they could not match
/// (see [`crate::rules::prefilter`]).
pub fn check_document(
    rules: &RuleSet,
    path: &Arc<str>,
    doc: &Document,
    inbound: &[Inbound],
) -> Findings {
    let cx = CheckContext { path, doc, inbound };
    let mut findings = Findings::default();
    let may_match = rules.prefilter().select(rules.iter(), doc);
    for (rule, _) in rules.iter().zip(may_match).filter(|(_, run)| *run) {
        let before = findings.diagnostics.len();
        rule.check(&cx, &mut findings);
        let limit = rule.meta().limit;
        if limit > 0 && findings.diagnostics.len() - before > limit {
            findings.diagnostics.truncate(before + limit);
        }
    }
    findings
        .diagnostics
        .sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    findings.diagnostics.dedup();
    findings
}
