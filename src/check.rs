//! Running a rule set over one document: the step between the document model and reporters.

use std::ops::Range;
use std::sync::Arc;

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};

use crate::diagnostic::{Diagnostic, Message};
use crate::document::{Block, BlockKind, Document};
use crate::engine::prefilter::Blocks;
use crate::judge::features::Place;
use crate::judge::{self, judge_sentence, Verdict};
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
    /// Byte range (in the reply) of the sentence closest to answering it, answered or not: where
    /// an answer would go, or what fell short.
    pub nearest: Option<Range<usize>>,
    /// How strongly the best reply passage engages the question (0 to 1).
    pub score: f64,
    /// Why the question was listed but not judged (then `addressed` is true, so it makes no
    /// finding): Candor cannot read its language, or the message has more questions than the
    /// map judges.
    pub not_judged: Option<NotJudged>,
}

/// Why a question was not judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotJudged {
    /// Not English: Candor's terms and answer forms are English.
    Language,
    /// Past the first [`crate::questions::MAX_JUDGED`] questions of one message.
    TooMany,
}

impl NotJudged {
    pub fn as_str(self) -> &'static str {
        match self {
            NotJudged::Language => "not English",
            NotJudged::TooMany => "past the questions judged per message",
        }
    }
}

/// Everything one rule may look at for one file.
pub struct CheckContext<'a> {
    pub path: &'a Arc<str>,
    pub doc: &'a Document,
    /// The customer's message(s), when known.
    pub inbound: &'a [Inbound],
    /// The sentence model's verdicts, kept so that each rule asking about a sentence (filler,
    /// self-focus) costs one judgement.
    judged: RefCell<Judged>,
    /// The blocks the rule being run may match in (the prefilter's verdict; all by default).
    rule_blocks: RefCell<Blocks>,
}

#[derive(Default)]
struct Judged {
    /// The first and last sentence of the writer's own text, as (block address, sentence start).
    ends: Option<[(usize, usize); 2]>,
    /// Words of the writer's own text in each part of the document (one part if it has none).
    part_words: Option<Vec<usize>>,
    verdicts: HashMap<(usize, usize), Option<Verdict>>,
}

impl<'a> CheckContext<'a> {
    pub fn new(path: &'a Arc<str>, doc: &'a Document, inbound: &'a [Inbound]) -> Self {
        CheckContext {
            path,
            doc,
            inbound,
            judged: RefCell::default(),
            rule_blocks: RefCell::new(Blocks::All),
        }
    }

    /// Whether the rule being run may match in block `index` of the document: the prefilter
    /// found none of its literals in the others (see [`crate::engine::prefilter`]).
    pub fn rule_may_match_in(&self, index: usize) -> bool {
        self.rule_blocks.borrow().holds(index)
    }

    /// The sentence model's verdict on `sentence` of `block`, with its place in the reply; `None`
    /// where the model does not judge: in a text longer than a reply (see
    /// [`judge::REPLY_MAX_WORDS`]) and in a sentence that holds code.
    pub fn judge(&self, block: &Block, sentence: Range<usize>) -> Option<Verdict> {
        let key = (block as *const Block as usize, sentence.start);
        if !self.judges(block) {
            return None;
        }
        let mut judged = self.judged.borrow_mut();
        if let Some(v) = judged.verdicts.get(&key) {
            return *v;
        }
        let v = if holds_code(self.doc, block.to_source(sentence.clone())) {
            None
        } else {
            let [first, last] = *judged.ends.get_or_insert_with(|| self.ends());
            let place = Place {
                first: key == first,
                last: key == last,
            };
            Some(judge_sentence(&block.prose[sentence], place))
        };
        judged.verdicts.insert(key, v);
        v
    }

    /// Whether the sentence model judges the sentences of `block`: its part of the document is
    /// no longer than a reply.
    pub fn judges(&self, block: &Block) -> bool {
        let part = self.part_of(block);
        let mut judged = self.judged.borrow_mut();
        let words = judged.part_words.get_or_insert_with(|| self.part_words());
        words[part] <= judge::REPLY_MAX_WORDS
    }

    /// The part of the document `block` is in (0 when it has no parts).
    fn part_of(&self, block: &Block) -> usize {
        let extents = &self.doc.part_extents;
        if extents.len() <= 1 {
            return 0;
        }
        let at = block.map.source_extent().start;
        extents
            .partition_point(|e| e.end <= at)
            .min(extents.len().saturating_sub(1))
    }

    fn part_words(&self) -> Vec<usize> {
        let mut words = vec![0; self.doc.part_extents.len().max(1)];
        let mut headings = vec![0; words.len()];
        for block in self.doc.own_blocks() {
            let part = self.part_of(block);
            // A part with sections (two headings or more) is an article, not a reply; a macro's
            // title heading alone does not make it one.
            if matches!(block.kind, BlockKind::Heading(_)) {
                headings[part] += 1;
                if headings[part] >= 2 {
                    words[part] = usize::MAX;
                }
            }
            // Past the limit the count no longer matters: a docs page stops here.
            if words[part] <= judge::REPLY_MAX_WORDS {
                words[part] += block.prose.split_ascii_whitespace().count();
            }
            if words.len() == 1 && words[0] > judge::REPLY_MAX_WORDS {
                break;
            }
        }
        words
    }

    /// Where the writer's own text starts and ends (headings and quotes aside).
    fn ends(&self) -> [(usize, usize); 2] {
        let mut own = self
            .doc
            .own_blocks()
            .filter(|b| !matches!(b.kind, BlockKind::Heading(_)) && !b.sentences().is_empty());
        let key = |b: &Block, s: &Range<usize>| (b as *const Block as usize, s.start);
        let Some(first) = own.next() else {
            return [(0, usize::MAX); 2];
        };
        let last = own.last().unwrap_or(first);
        [
            key(first, &first.sentences()[0]),
            key(last, last.sentences().last().expect("not empty")),
        ]
    }
}

/// What rules report for one file.
#[derive(Debug, Default)]
pub struct Findings {
    pub diagnostics: Vec<Diagnostic>,
    pub questions: Vec<Question>,
    /// The messages said so far: a finding whose words were said before shares them.
    messages: HashSet<Message>,
}

impl Findings {
    pub fn new(diagnostics: Vec<Diagnostic>, questions: Vec<Question>) -> Findings {
        Findings {
            diagnostics,
            questions,
            messages: HashSet::new(),
        }
    }

    pub fn push(&mut self, mut d: Diagnostic) {
        d.message = shared(&mut self.messages, std::mem::take(&mut d.message));
        // Grown by half rather than doubled: a file dense with findings holds them all, and a
        // doubled list was up to twice their size.
        let (len, capacity) = (self.diagnostics.len(), self.diagnostics.capacity());
        if len == capacity && len >= 1024 {
            self.diagnostics.reserve_exact(len / 2);
        }
        self.diagnostics.push(d);
    }
}

/// `message`, or the copy of the same words said before.
fn shared(said: &mut HashSet<Message>, message: Message) -> Message {
    match said.get(&*message) {
        Some(copy) => copy.clone(),
        None => {
            said.insert(message.clone());
            message
        }
    }
}

/// Lints one document with every rule, returning findings in a stable order. Rules whose
/// literals occur nowhere in the document are skipped, and the others are told the blocks
/// that hold them: they could not match elsewhere (see [`crate::engine::prefilter`]).
pub fn check_document(
    rules: &RuleSet,
    path: &Arc<str>,
    doc: &Document,
    inbound: &[Inbound],
) -> Findings {
    let cx = CheckContext::new(path, doc, inbound);
    let mut findings = Findings::default();
    let selection = rules.prefilter().select_blocks(rules.iter(), doc);
    for (rule, blocks) in rules.iter().zip(selection) {
        if !blocks.may_match() {
            continue;
        }
        *cx.rule_blocks.borrow_mut() = blocks;
        let before = findings.diagnostics.len();
        rule.check(&cx, &mut findings);
        let limit = rule.meta().limit;
        if limit > 0 && findings.diagnostics.len() - before > limit {
            findings.diagnostics.truncate(before + limit);
        }
        // Findings a rule added to the list itself share their words too.
        for d in &mut findings.diagnostics[before..] {
            d.message = shared(&mut findings.messages, std::mem::take(&mut d.message));
        }
    }
    findings.messages = HashSet::new();
    sort_by_key_in_place(&mut findings.diagnostics);
    findings.diagnostics.dedup();
    findings
}

/// Sorts `diagnostics` by [`Diagnostic::sort_key`], keeping the order of equal keys (as a stable
/// sort does), without the buffer of half the findings a stable sort of them needs: the order
/// is worked out on indices, then the findings are moved into it along its cycles.
fn sort_by_key_in_place(diagnostics: &mut [Diagnostic]) {
    let mut order: Vec<usize> = (0..diagnostics.len()).collect();
    order.sort_by(|&a, &b| diagnostics[a].sort_key().cmp(&diagnostics[b].sort_key()));
    // Position `j` takes the finding at `order[j]`; a position done points at itself.
    for start in 0..order.len() {
        let mut j = start;
        loop {
            let from = order[j];
            order[j] = j;
            if from == start || from == j {
                break;
            }
            diagnostics.swap(j, from);
            j = from;
        }
    }
}

/// Whether the source range `extent` holds a Markdown code span: what the sentence says is in
/// the code, which prose leaves out.
fn holds_code(doc: &Document, extent: Range<usize>) -> bool {
    let Some(markup) = &doc.markup else {
        return false;
    };
    let first = markup
        .code_spans
        .partition_point(|c| c.start < extent.start);
    markup.code_spans[first..]
        .first()
        .is_some_and(|c| c.start < extent.end)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;

    /// Findings with colliding keys (same span, rule and message) that differ in severity, so
    /// an order that is not the stable one shows.
    fn findings(n: usize) -> Vec<Diagnostic> {
        let rule: Arc<str> = Arc::from("Test.Rule");
        (0..n)
            .map(|i| {
                let at = (i * 7919) % 13;
                let severity = [Severity::Suggestion, Severity::Warning, Severity::Error][i % 3];
                Diagnostic::new(rule.clone(), severity, format!("m{}", i % 2), at..at + 1)
            })
            .collect()
    }

    #[test]
    fn sorting_in_place_keeps_the_stable_order() {
        for n in [0, 1, 2, 3, 10, 97, 500] {
            let mut expected = findings(n);
            expected.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
            let mut sorted = findings(n);
            sort_by_key_in_place(&mut sorted);
            assert_eq!(sorted, expected, "{n} findings");
        }
    }

    #[test]
    fn findings_with_the_same_words_share_them() {
        let rule: Arc<str> = Arc::from("Test.Rule");
        let mut out = Findings::default();
        for at in 0..3 {
            let d = Diagnostic::new(rule.clone(), Severity::Warning, "same".to_string(), at..at);
            out.push(d);
        }
        out.push(Diagnostic::new(rule, Severity::Warning, "other", 0..0));
        let [a, b, c, d] = &out.diagnostics[..] else {
            panic!("four findings")
        };
        assert!(std::ptr::eq(a.message.as_ptr(), b.message.as_ptr()));
        assert!(std::ptr::eq(a.message.as_ptr(), c.message.as_ptr()));
        assert_eq!(d.message, "other");
        assert_eq!(a.message, "same");
    }
}
