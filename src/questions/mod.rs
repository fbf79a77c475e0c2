//! Customer questions and whether a reply answers them: [`detect`] finds the questions in the
//! customer's message, [`answer`] scores the reply against each, [`terms`] gives both the key
//! terms (stemmed, with synonyms).
//!
//! The customer's message is the `--inbound` file (or the one an email or thread carries); when
//! there is none, the reply's own quoted text (`>` lines, Markdown block quotes) stands in.

pub mod answer;
pub mod compare;
pub mod detect;
pub mod forms;
pub mod patterns;
pub mod terms;

use std::cell::OnceCell;
use std::ops::Range;
use std::sync::Arc;

use crate::check::{Inbound, NotJudged, Question};
use crate::document::{Block, Document};

use crate::judge::answers::FEATURES;
use answer::{
    features_of_reply, score, verdict, MessageTerms, QuestionTerms, ReplySentence, Scored,
};

/// How many questions of one message the map judges. Each is scored against every reply
/// sentence, so without a bound a long quoted thread against a long reply costs their product;
/// no customer's message asks this many, so the rest are listed as not judged.
pub const MAX_JUDGED: usize = 200;

/// Every question of the customer's message, with what the reply does about it, in message
/// order.
pub fn analyse(reply_path: &Arc<str>, reply: &Document, inbound: &[Inbound]) -> Vec<Question> {
    // Scoring the reply is the costly part: do it only once a question has been found.
    let sentences = OnceCell::new();
    let scored_reply = || sentences.get_or_init(|| reply_sentences(reply)).as_slice();
    let mut out = Vec::new();
    if inbound.is_empty() {
        // "> > …" is the writer's own earlier reply, quoted back by the customer.
        let quoted: Vec<&Block> = reply
            .quoted_blocks()
            .filter(|b| quote_depth(&reply.source, b) <= 1)
            .collect();
        collect(reply_path, &quoted, scored_reply, &mut out);
    } else {
        for message in inbound {
            let own: Vec<&Block> = message.doc.own_blocks().collect();
            let blocks = if own.is_empty() {
                message.doc.prose_blocks().collect()
            } else {
                own
            };
            collect(&message.path, &blocks, scored_reply, &mut out);
        }
    }
    out
}

/// How many `>` marks open the source line where `block` starts.
fn quote_depth(source: &str, block: &Block) -> usize {
    let start = block.to_source(0..0).start.min(source.len());
    let line_start = source[..start].rfind('\n').map_or(0, |n| n + 1);
    source
        .get(line_start..start)
        .map_or(0, |prefix| prefix.matches('>').count())
}

/// The sentences the writer of the reply wrote (quoted text left out).
fn reply_sentences(reply: &Document) -> Vec<ReplySentence> {
    let mut out = Vec::new();
    for block in reply.own_blocks() {
        let ranges = block.sentences();
        let block_end = block.map.source_extent().end;
        for (k, range) in ranges.iter().enumerate() {
            let span = block.to_source(range.clone());
            // Prose leaves links out, but a link is how many replies answer ("See
            // https://…/stats"): a sentence reads as written up to the next one when a link is
            // in it or right after it.
            let until = ranges
                .get(k + 1)
                .map_or(block_end, |next| block.to_source(next.clone()).start);
            let written = reply
                .source
                .get(span.start..until.max(span.end))
                .filter(|w| crate::document::may_hold_url(w));
            let text = written.map_or(&block.prose[range.clone()], str::trim_end);
            out.push(ReplySentence::new(span, text));
        }
    }
    out
}

fn collect<'r>(
    path: &Arc<str>,
    blocks: &[&Block],
    reply: impl FnOnce() -> &'r [ReplySentence],
    out: &mut Vec<Question>,
) {
    let mut reply = Some(reply);
    let mut sentences: &[ReplySentence] = &[];
    // Each judged question's place in `out` and its scores; verdicts wait for all of them,
    // since a sentence that answers one question is weighed against the others.
    let mut judged: Vec<(usize, Scored)> = Vec::new();
    each_question(blocks, |block, found, asked, q, alone| {
        let text = &block.prose[found.clone()];
        let not_judged = match q {
            None => Some(NotJudged::TooMany),
            // Listed, not judged: no finding for what Candor cannot read.
            Some(_) if !answer::is_english(text) => Some(NotJudged::Language),
            Some(_) => None,
        };
        out.push(Question {
            path: path.clone(),
            span: block.to_source(found.clone()),
            text: text.to_string(),
            addressed: true,
            answer: None,
            nearest: None,
            score: 0.0,
            not_judged,
        });
        if let (Some(q), None) = (q, not_judged) {
            if let Some(get) = reply.take() {
                sentences = get();
            }
            judged.push((out.len() - 1, score(q, asked, sentences, alone)));
        }
    });
    for (k, (at, scored)) in judged.iter().enumerate() {
        let others: Vec<&Scored> = judged
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != k)
            .map(|(_, (_, s))| s)
            .collect();
        let v = verdict(scored, &others);
        let question = &mut out[*at];
        question.addressed = v.addressed;
        question.answer = v.best.map(|i| sentences[i].span.clone());
        question.nearest = v.nearest.map(|i| sentences[i].span.clone());
        question.score = v.score;
    }
}

/// Calls `each` for every question found in `blocks`, in order, with its block, its range in
/// the block's prose, the question as judged (an elliptical question joined to the one before),
/// its terms (`None` past the first [`MAX_JUDGED`]) and whether it is the message's only
/// question.
fn each_question(
    blocks: &[&Block],
    mut each: impl FnMut(&Block, &Range<usize>, &str, Option<&QuestionTerms<'_>>, bool),
) {
    let found: Vec<(usize, detect::Found)> = blocks
        .iter()
        .enumerate()
        .flat_map(|(i, b)| detect::in_block(b).into_iter().map(move |f| (i, f)))
        .collect();
    if found.is_empty() {
        return;
    }
    // Every sentence of the message, as (block, range), with its key terms gathered once.
    let places: Vec<(usize, Range<usize>)> = blocks
        .iter()
        .enumerate()
        .flat_map(|(i, b)| b.sentences().iter().map(move |r| (i, r.clone())))
        .collect();
    let message = MessageTerms::new(places.iter().map(|(i, r)| &blocks[*i].prose[r.clone()]));
    let alone = found.len() == 1;
    let mut previous: Option<&str> = None;
    for (n, (at, found)) in found.into_iter().enumerate() {
        let block = blocks[at];
        if n >= MAX_JUDGED {
            each(block, &found.prose, "", None, alone);
            continue;
        }
        let text = &block.prose[found.prose.clone()];
        // "Or by bank transfer?" is judged with the question it continues.
        let asked = match previous {
            Some(before) if detect::is_elliptical(text) => format!("{before} {text}"),
            _ => text.to_string(),
        };
        previous = Some(text);
        // The message's sentences that overlap the question (places are in order).
        let first = places.partition_point(|(i, r)| (*i, r.end) <= (at, found.prose.start));
        let own: Vec<usize> = (first..places.len())
            .take_while(|&n| {
                let (i, r) = &places[n];
                *i == at && r.start < found.prose.end
            })
            .collect();
        let q = QuestionTerms::in_message(&asked, &message, own);
        each(block, &found.prose, &asked, Some(&q), alone);
    }
}

/// The answer model's training rows for one customer message and reply: for each question
/// found in the message (its source range), each reply sentence's source range and features
/// (`None` for a sentence that quotes the question back, and for a salutation or sign-off).
#[allow(clippy::type_complexity)]
pub fn training_rows(
    reply: &Document,
    message: &Document,
) -> Vec<(Range<usize>, Vec<(Range<usize>, Option<[f32; FEATURES]>)>)> {
    let sentences = reply_sentences(reply);
    let blocks: Vec<&Block> = message.own_blocks().collect();
    let mut out = Vec::new();
    each_question(&blocks, |block, found, asked, q, alone| {
        let Some(q) = q else { return };
        let features = features_of_reply(q, asked, &sentences, alone);
        out.push((
            block.to_source(found.clone()),
            sentences
                .iter()
                .map(|s| s.span.clone())
                .zip(features)
                .collect(),
        ));
    });
    out
}
