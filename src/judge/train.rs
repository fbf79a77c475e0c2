//! Training the sentence model from the corpus in `data/replies/` (see `data/GUIDE.md`).
//!
//! Logistic regression by AdaGrad over hashed features, every head at once, in a fixed order
//! with a fixed seed: the same corpus gives the same weights, byte for byte, on every machine
//! that computes IEEE `f32` (a test checks the embedded weights are current).
//! `cargo run --release --example train` writes them.

use std::path::Path;

use serde::Deserialize;

use super::answered::{AnsweredModel, QUESTION_FEATURES};
use super::answers::{AnswerModel, FEATURES};
use super::features::{self, Hashed, Place, Tokens, Vocabulary, BUCKETS, VOCABULARY_BITS};
use super::model::{dedup, sigmoid};
use crate::document::{Document, Format};
use crate::questions::answer::Scored;

/// One labelled sentence of a reply.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledSentence {
    pub text: String,
    pub role: String,
    pub filler: bool,
    pub self_focus: bool,
}

/// One reply of the corpus.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledReply {
    pub id: String,
    #[serde(default)]
    pub domain: String,
    #[serde(default)]
    pub channel: String,
    pub sentences: Vec<LabelledSentence>,
}

/// A training example: feature slots and the label of each head.
#[derive(Debug, Clone)]
pub struct Example {
    pub slots: Vec<u32>,
    /// One label per head of the model being trained.
    pub labels: Vec<bool>,
    /// Which file of the corpus it came from (for held-out figures).
    pub file: usize,
    /// The sentence names the organisation (see [`features::Summary`]): held-out figures for
    /// self-focus count what the rule reports, which needs it.
    pub names_org: bool,
}

/// The `*.jsonl` files of `dir`, in name order.
fn jsonl_files(dir: &Path) -> Result<Vec<std::path::PathBuf>, String> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .collect();
    files.sort();
    Ok(files)
}

/// The items of one JSON Lines file; errors name the file and line.
fn read_jsonl<T: serde::de::DeserializeOwned>(path: &Path) -> Result<Vec<T>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            serde_json::from_str(line).map_err(|e| format!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// Reads every `*.jsonl` file of `dir` in name order, each with its name.
pub fn read_corpus(dir: &Path) -> Result<Vec<(String, Vec<LabelledReply>)>, String> {
    jsonl_files(dir)?
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned();
            Ok((name, read_jsonl(&path)?))
        })
        .collect()
}

/// How often a word must occur in the corpus to be known (to have weights of its own).
const KNOWN_FROM: u32 = 2;

/// The vocabulary of a corpus (its files but `leave_out`): the bit set of words it holds at
/// least [`KNOWN_FROM`] times.
pub fn vocabulary(corpus: &[(String, Vec<LabelledReply>)], leave_out: Option<usize>) -> Vec<u8> {
    let mut counts: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for (f, (_, replies)) in corpus.iter().enumerate() {
        if Some(f) == leave_out {
            continue;
        }
        for s in replies.iter().flat_map(|r| &r.sentences) {
            for h in Tokens::new(&s.text).word_hashes() {
                *counts.entry(h).or_default() += 1;
            }
        }
    }
    let mut bits = vec![0u8; VOCABULARY_BITS / 8];
    for (h, n) in counts {
        if n >= KNOWN_FROM {
            Vocabulary::learn(&mut bits, h);
        }
    }
    bits
}

/// The examples of a corpus, in corpus order, as the vocabulary `bits` sees them.
pub fn examples(corpus: &[(String, Vec<LabelledReply>)], bits: &[u8]) -> Vec<Example> {
    let vocabulary = Vocabulary { bits };
    let mut out = Vec::new();
    for (file, (_, replies)) in corpus.iter().enumerate() {
        for reply in replies {
            let n = reply.sentences.len();
            for (i, s) in reply.sentences.iter().enumerate() {
                let place = Place {
                    first: i == 0,
                    last: i + 1 == n,
                };
                let mut sink = Hashed::default();
                let summary = features::features(&s.text, place, vocabulary, &mut sink);
                dedup(&mut sink.0);
                out.push(Example {
                    slots: sink.0,
                    labels: vec![
                        s.filler,
                        s.self_focus,
                        s.role == "salutation",
                        s.role == "signoff",
                    ],
                    file,
                    names_org: summary.names_org,
                });
            }
        }
    }
    out
}

/// Training settings; [`Settings::default`] is what the embedded model was trained with.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub epochs: usize,
    pub rate: f32,
    pub l2: f32,
    pub seed: u64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            epochs: 8,
            rate: 0.2,
            l2: 1e-3,
            seed: 0x5eed_cad0,
        }
    }
}

/// Trains all heads on `examples` (as many as their labels); returns `BUCKETS * heads` hashed
/// weights, slot-major.
pub fn train(examples: &[&Example], settings: Settings) -> Vec<f32> {
    let heads = examples.first().map_or(0, |e| e.labels.len());
    let mut w = vec![0f32; BUCKETS * heads];
    let mut g2 = vec![1e-6f32; BUCKETS * heads];
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut rng = settings.seed;
    for _ in 0..settings.epochs {
        shuffle(&mut order, &mut rng);
        for &i in &order {
            let ex = examples[i];
            for h in 0..heads {
                let z: f32 = ex.slots.iter().map(|&s| w[s as usize * heads + h]).sum();
                let err = sigmoid(z) - if ex.labels[h] { 1.0 } else { 0.0 };
                for &s in &ex.slots {
                    let k = s as usize * heads + h;
                    let g = err + settings.l2 * w[k];
                    g2[k] += g * g;
                    w[k] -= settings.rate * g / g2[k].sqrt();
                }
            }
        }
    }
    w
}

/// Fisher-Yates with xorshift64: the same order for the same seed everywhere.
fn shuffle(order: &mut [usize], rng: &mut u64) {
    for i in (1..order.len()).rev() {
        *rng ^= *rng << 13;
        *rng ^= *rng >> 7;
        *rng ^= *rng << 17;
        let j = (*rng % (i as u64 + 1)) as usize;
        order.swap(i, j);
    }
}

/// One labelled question of `data/questions/`.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledQuestion {
    pub text: String,
    pub kind: String,
    pub answer: Option<String>,
}

/// One customer message with its reply and labelled questions.
#[derive(Debug, Clone, Deserialize)]
pub struct LabelledPair {
    pub id: String,
    pub inbound: String,
    pub reply: String,
    pub questions: Vec<LabelledQuestion>,
}

/// The questions Candor finds in one pair that a label speaks for: their features against each
/// reply sentence, which sentence (if any) answers, and whether a reader found it answered.
#[derive(Debug, Clone)]
pub struct QuestionRows {
    pub file: usize,
    /// Each reply sentence's features (`None` where the sentence is not judged) and whether it
    /// is the labelled answer.
    pub sentences: Vec<Option<([f32; FEATURES], bool)>>,
    /// The features of the message's other questions against each reply sentence.
    pub others: Vec<Vec<Option<[f32; FEATURES]>>>,
    pub answered: bool,
}

/// Reads every `*.jsonl` of `dir` (in name order) and turns each labelled question that Candor
/// also finds into rows. Rhetorical questions and questions Candor does not find are left out.
pub fn answer_rows(dir: &Path) -> Result<Vec<QuestionRows>, String> {
    let mut out = Vec::new();
    for (file, pair) in read_pairs(dir)? {
        let reply = Document::parse(pair.reply.clone(), Format::Text);
        let message = Document::parse(pair.inbound.clone(), Format::Text);
        let found = crate::questions::training_rows(&reply, &message);
        for (k, (span, sentences)) in found.iter().enumerate() {
            let Some(label) = pair.questions.iter().find(|q| {
                find_range(&pair.inbound, &q.text)
                    .is_some_and(|r| r.start < span.end && span.start < r.end)
            }) else {
                continue;
            };
            if label.kind == "rhetorical" {
                continue;
            }
            let answer = label
                .answer
                .as_deref()
                .and_then(|a| find_range(&pair.reply, a));
            out.push(QuestionRows {
                file,
                answered: answer.is_some(),
                sentences: sentences
                    .iter()
                    .map(|(range, f)| {
                        let is_answer = answer
                            .as_ref()
                            .is_some_and(|a| a.start < range.end && range.start < a.end);
                        Some(((*f)?, is_answer))
                    })
                    .collect(),
                others: found
                    .iter()
                    .enumerate()
                    .filter(|(j, _)| *j != k)
                    .map(|(_, (_, s))| s.iter().map(|(_, f)| *f).collect())
                    .collect(),
            });
        }
    }
    Ok(out)
}

fn find_range(haystack: &str, needle: &str) -> Option<std::ops::Range<usize>> {
    haystack.find(needle).map(|at| at..at + needle.len())
}

/// The answer model's settings: what the embedded model was trained with.
pub const ANSWER_ITERATIONS: usize = 3000;
pub const ANSWER_RATE: f32 = 0.5;
pub const ANSWER_L2: f32 = 1e-3;

/// Trains the answer model on the rows of `questions`.
pub fn train_answers(questions: &[&QuestionRows]) -> AnswerModel {
    let rows: Vec<([f32; FEATURES], bool)> = questions
        .iter()
        .flat_map(|q| q.sentences.iter().flatten().copied())
        .collect();
    AnswerModel::train(&rows, ANSWER_ITERATIONS, ANSWER_RATE, ANSWER_L2)
}

/// The question-level model's settings.
pub const ANSWERED_ITERATIONS: usize = 3000;
pub const ANSWERED_RATE: f32 = 0.5;
pub const ANSWERED_L2: f32 = 1e-3;

/// Question-level rows: each question's features, with every sentence scored by an answer model
/// trained without the question's own file, so the second model learns from probabilities like
/// those it will see on text the first has not read.
pub fn answered_rows(questions: &[&QuestionRows]) -> Vec<([f32; QUESTION_FEATURES], bool)> {
    let mut files: Vec<usize> = questions.iter().map(|q| q.file).collect();
    files.sort_unstable();
    files.dedup();
    let mut rows = Vec::with_capacity(questions.len());
    for &f in &files {
        let others: Vec<&QuestionRows> =
            questions.iter().copied().filter(|q| q.file != f).collect();
        let model = train_answers(&others);
        for q in questions.iter().filter(|q| q.file == f) {
            rows.push((question_row(&model, q), q.answered));
        }
    }
    rows
}

/// One question's features under the answer model `model`.
pub fn question_row(model: &AnswerModel, q: &QuestionRows) -> [f32; QUESTION_FEATURES] {
    let own = Scored::new(
        q.sentences.iter().map(|s| s.map(|(f, _)| f)).collect(),
        model,
        false,
    );
    let others: Vec<Scored> = q
        .others
        .iter()
        .map(|o| Scored::new(o.clone(), model, false))
        .collect();
    own.question_features(&others.iter().collect::<Vec<_>>())
}

/// Trains the question-level model on the questions of `questions`.
pub fn train_answered(questions: &[&QuestionRows]) -> AnsweredModel {
    AnsweredModel::train(
        &answered_rows(questions),
        ANSWERED_ITERATIONS,
        ANSWERED_RATE,
        ANSWERED_L2,
    )
}

/// The question model's training set.
pub struct QuestionExamples {
    pub examples: Vec<Example>,
    /// The vocabulary's bits.
    pub bits: Vec<u8>,
    /// Each example's sentence.
    pub texts: Vec<String>,
}

/// Examples for the question model: every sentence of each customer message in `data/questions/`,
/// labelled a question when it holds a labelled question that asks something (not rhetorical).
pub fn question_examples(dir: &Path) -> Result<QuestionExamples, String> {
    let pairs = read_pairs(dir)?;
    let mut sentences: Vec<(String, bool, usize)> = Vec::new();
    for (file, pair) in &pairs {
        let message = Document::parse(pair.inbound.clone(), Format::Text);
        for block in message.own_blocks() {
            for range in block.sentences() {
                let span = block.to_source(range.clone());
                let asks = pair.questions.iter().any(|q| {
                    q.kind != "rhetorical"
                        && find_range(&pair.inbound, &q.text)
                            .is_some_and(|r| r.start < span.end && span.start < r.end)
                });
                sentences.push((block.prose[range.clone()].to_string(), asks, *file));
            }
        }
    }
    let mut counts: std::collections::HashMap<u64, u32> = std::collections::HashMap::new();
    for (text, _, _) in &sentences {
        for h in Tokens::new(text).word_hashes() {
            *counts.entry(h).or_default() += 1;
        }
    }
    let mut bits = vec![0u8; VOCABULARY_BITS / 8];
    for (h, n) in counts {
        if n >= KNOWN_FROM {
            Vocabulary::learn(&mut bits, h);
        }
    }
    let vocabulary = Vocabulary { bits: &bits };
    let texts = sentences.iter().map(|(text, _, _)| text.clone()).collect();
    let examples = sentences
        .into_iter()
        .map(|(text, asks, file)| {
            let mut sink = Hashed::default();
            let summary = features::features(&text, Place::default(), vocabulary, &mut sink);
            dedup(&mut sink.0);
            Example {
                slots: sink.0,
                labels: vec![asks],
                file,
                names_org: summary.names_org,
            }
        })
        .collect();
    Ok(QuestionExamples {
        examples,
        bits,
        texts,
    })
}

/// Every pair of every `*.jsonl` in `dir`, in name order, with its file's index.
fn read_pairs(dir: &Path) -> Result<Vec<(usize, LabelledPair)>, String> {
    let mut out = Vec::new();
    for (file, path) in jsonl_files(dir)?.iter().enumerate() {
        out.extend(read_jsonl(path)?.into_iter().map(|pair| (file, pair)));
    }
    Ok(out)
}
