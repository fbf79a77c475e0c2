//! Trains Candor's sentence model from `data/replies/` and writes the embedded weights.
//!
//!     cargo run --release --example train            # write src/judge/weights/sentences.bin
//!     cargo run --release --example train -- --heldout   # also: each corpus file held out in turn
//!     cargo run --release --example train -- --heldout --dry-run   # figures only, write nothing
//!     cargo run --release --example train -- --judge "a reply sentence"   # the sentence model's view
//!     cargo run --release --example train -- --asks "a customer's sentence"   # the question detector's
//!     cargo run --release --example train -- --answers "message" "reply"   # the answer models' view
//!
//! The held-out figures train on all files but one and score that one: how the model does on
//! text of a kind (domain, channel) it was not trained on.

use std::path::Path;

use candor::judge::model::{sigmoid, LinearModel};
use candor::judge::train::{
    answer_rows, examples, question_examples, question_row, read_corpus, train, train_answered,
    train_answers, vocabulary, Example, QuestionRows, Settings,
};
use candor::judge::{Head, HEADS};

const HEAD_NAMES: [&str; HEADS] = ["filler", "self_focus", "salutation", "signoff"];

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--judge") {
        // What the embedded model makes of sentences, with each feature's weight.
        for text in &args[i + 1..] {
            explain(text);
        }
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--asks") {
        // What the embedded question model and the whole detector make of sentences.
        for text in &args[i + 1..] {
            let kind = candor::questions::detect::classify(text);
            println!(
                "{:.2} {kind:?}  {text}",
                candor::judge::asks_something(text)
            );
        }
        return;
    }
    if let Some(i) = args.iter().position(|a| a == "--answers") {
        // The answer models' view of one message and reply: each question's sentence
        // probabilities and features (by position in the feature enums), then its verdict.
        let [message, reply, ..] = &args[i + 1..] else {
            eprintln!(
                "train: --answers needs the customer's message and the reply, as two arguments"
            );
            std::process::exit(2);
        };
        explain_answers(message, reply);
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = match read_corpus(&root.join("data/replies")) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("train: {e}");
            std::process::exit(2);
        }
    };
    let bits = vocabulary(&corpus, None);
    let all = examples(&corpus, &bits);
    println!("{} files, {} sentences", corpus.len(), all.len());
    if std::env::args().any(|a| a == "--heldout") {
        heldout(&corpus);
    }
    let refs: Vec<&Example> = all.iter().collect();
    let weights = train(&refs, Settings::default());
    let out = root.join("src/judge/weights/sentences.bin");
    let stored = LinearModel::store(&weights, HEADS, &bits);
    // The answer model reads each reply sentence's filler probability from the embedded
    // sentence model: while that is stale, training it would fit the old one.
    let sentence_model_current = stored == candor::judge::sentence_model_bytes();
    write(&out, stored).expect("write the weights");
    println!("wrote {}", out.display());
    if !sentence_model_current {
        println!(
            "the sentence model changed: run the command again (cargo rebuilds with it) to train the answer and question models"
        );
        if !std::env::args().any(|a| a == "--dry-run") {
            return;
        }
        println!("(--dry-run: the answer figures below use the embedded sentence model)");
    }

    let questions = match answer_rows(&root.join("data/questions")) {
        Ok(q) => q,
        Err(e) => {
            eprintln!("train: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "{} questions found and labelled, {} pairs of question and reply sentence",
        questions.len(),
        questions
            .iter()
            .map(|q| q.sentences.iter().flatten().count())
            .sum::<usize>()
    );
    if std::env::args().any(|a| a == "--heldout") {
        answers_heldout(&questions);
    }
    let all_questions: Vec<&QuestionRows> = questions.iter().collect();
    let model = train_answers(&all_questions);
    let out = root.join("src/judge/weights/answers.bin");
    write(&out, model.store()).expect("write the weights");
    println!("wrote {}", out.display());
    let out = root.join("src/judge/weights/answered.bin");
    write(&out, train_answered(&all_questions).store()).expect("write the weights");
    println!("wrote {}", out.display());

    let (asking, bits, texts) = match question_examples(&root.join("data/questions")) {
        Ok(q) => (q.examples, q.bits, q.texts),
        Err(e) => {
            eprintln!("train: {e}");
            std::process::exit(2);
        }
    };
    println!("{} sentences of customer messages", asking.len());
    if std::env::args().any(|a| a == "--heldout") {
        let files = asking.iter().map(|e| e.file).max().map_or(0, |m| m + 1);
        let mut total = [0usize; 3];
        for f in 0..files {
            let train_set: Vec<&Example> = asking.iter().filter(|e| e.file != f).collect();
            let weights = train(&train_set, Settings::default());
            for ex in asking.iter().filter(|e| e.file == f) {
                let z: f32 = ex.slots.iter().map(|&s| weights[s as usize]).sum::<f32>();
                match (sigmoid(z) >= 0.5, ex.labels[0]) {
                    (true, true) => total[0] += 1,
                    (true, false) => total[1] += 1,
                    (false, true) => total[2] += 1,
                    _ => {}
                }
            }
        }
        println!("asking all held out: {}", figures("question", total));
        // The whole detector (question mark, patterns, then the model at a threshold), with
        // each file's sentences judged by a model trained without that file.
        let thresholds = [0.5f32, 0.6, 0.7, 0.8, 0.9];
        let mut detector = vec![[0usize; 3]; thresholds.len()];
        for f in 0..files {
            let train_set: Vec<&Example> = asking.iter().filter(|e| e.file != f).collect();
            let weights = train(&train_set, Settings::default());
            for (ex, text) in asking.iter().zip(&texts).filter(|(e, _)| e.file == f) {
                let z: f32 = ex.slots.iter().map(|&s| weights[s as usize]).sum::<f32>();
                for (counts, t) in detector.iter_mut().zip(thresholds) {
                    let found = candor::questions::detect::classify_by(text, |_| sigmoid(z) >= t);
                    tally(counts, found.is_some(), ex.labels[0]);
                }
            }
        }
        for (counts, t) in detector.iter().zip(thresholds) {
            println!(
                "  detector, model from {t:.1}: {}",
                figures("question", *counts)
            );
        }
    }
    let refs: Vec<&Example> = asking.iter().collect();
    let weights = train(&refs, Settings::default());
    let out = root.join("src/judge/weights/questions.bin");
    write(&out, LinearModel::store(&weights, 1, &bits)).expect("write the weights");
    println!("wrote {}", out.display());
}

/// Leave one file out for the answer models: precision and recall of "ignored" on the held-out
/// file's questions, for the noisy OR of the sentence model and for the question-level model
/// side by side, and the question-level model's F1 at each threshold.
fn answers_heldout(questions: &[QuestionRows]) {
    let files = questions.iter().map(|q| q.file).max().map_or(0, |m| m + 1);
    let threshold: f32 = std::env::var("ANSWERED")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(candor::questions::answer::ANSWERED as f32);
    let mut noisy_or = [0usize; 3];
    let mut stacked = [0usize; 3];
    let mut scored: Vec<(f32, bool)> = Vec::new();
    for f in 0..files {
        let train_set: Vec<&QuestionRows> = questions.iter().filter(|q| q.file != f).collect();
        let sentence_model = train_answers(&train_set);
        let question_model = train_answered(&train_set);
        let mut counts = [0usize; 3];
        for q in questions.iter().filter(|q| q.file == f) {
            let probabilities: Vec<f32> = q
                .sentences
                .iter()
                .flatten()
                .map(|(x, _)| sentence_model.probability(x))
                .collect();
            let or = candor::judge::answers::combine(&probabilities);
            tally(&mut noisy_or, or < threshold, !q.answered);
            let p = question_model.probability(&question_row(&sentence_model, q));
            tally(&mut counts, p < threshold, !q.answered);
            scored.push((p, q.answered));
        }
        println!(
            "questions file {f} held out: {}",
            figures("ignored", counts)
        );
        for k in 0..3 {
            stacked[k] += counts[k];
        }
    }
    println!(
        "questions all held out, noisy OR: {}",
        figures("ignored", noisy_or)
    );
    println!("questions all held out: {}", figures("ignored", stacked));
    for t in [0.3f32, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7] {
        let mut c = [0usize; 3];
        for (p, answered) in &scored {
            tally(&mut c, *p < t, !answered);
        }
        println!("  threshold {t:.2}: {}", figures("ignored", c));
    }
}

/// Counts a verdict as a true positive, false positive or false negative.
fn tally(counts: &mut [usize; 3], said: bool, truth: bool) {
    match (said, truth) {
        (true, true) => counts[0] += 1,
        (true, false) => counts[1] += 1,
        (false, true) => counts[2] += 1,
        _ => {}
    }
}

/// Leave one file out: precision and recall per head on the held-out file, at 0.5.
fn heldout(corpus: &[(String, Vec<candor::judge::train::LabelledReply>)]) {
    let mut total = [[0usize; 3]; HEADS];
    // Self-focus on held-out sentences: probability, label, whether the organisation is named.
    let mut self_focus: Vec<(f32, bool, bool)> = Vec::new();
    // Filler on held-out sentences: probability, label, whether a catalogued phrase is in it.
    let mut filler: Vec<(f32, bool, bool)> = Vec::new();
    let listed = catalogued(corpus);
    for (f, (name, _)) in corpus.iter().enumerate() {
        // The held-out file's words are unknown unless the other files hold them.
        let all = examples(corpus, &vocabulary(corpus, Some(f)));
        let train_set: Vec<&Example> = all.iter().filter(|e| e.file != f).collect();
        let weights = train(&train_set, Settings::default());
        let mut counts = [[0usize; 3]; HEADS];
        for (ex, &listed) in all.iter().zip(&listed).filter(|(e, _)| e.file == f) {
            for h in 0..HEADS {
                let z: f32 = ex
                    .slots
                    .iter()
                    .map(|&s| weights[s as usize * HEADS + h])
                    .sum::<f32>();
                // As the rule reports it: self-focus only where the organisation is named.
                if h == Head::SelfFocus as usize {
                    self_focus.push((sigmoid(z), ex.labels[h], ex.names_org));
                }
                if h == Head::Filler as usize {
                    filler.push((sigmoid(z), ex.labels[h], listed));
                }
                let yes = sigmoid(z) >= heldout_threshold(h)
                    && (h != Head::SelfFocus as usize || ex.names_org);
                let c = &mut counts[h];
                match (yes, ex.labels[h]) {
                    (true, true) => c[0] += 1,
                    (true, false) => c[1] += 1,
                    (false, true) => c[2] += 1,
                    _ => {}
                }
            }
        }
        print!("held out {name:12}");
        for h in 0..HEADS {
            print!("  {}", figures(HEAD_NAMES[h], counts[h]));
            for k in 0..3 {
                total[h][k] += counts[h][k];
            }
        }
        println!();
    }
    print!("all held out    ");
    for h in 0..HEADS {
        print!("  {}", figures(HEAD_NAMES[h], total[h]));
    }
    println!();
    // A sentence that names no organisation ("This forum is for user questions.") as self-focus
    // only from a higher probability: the sweep the rule's `unnamed_threshold` comes from.
    let at = heldout_threshold(Head::SelfFocus as usize);
    for unnamed in [0.5f32, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 1.01] {
        let mut counts = [0usize; 3];
        for &(p, label, named) in &self_focus {
            tally(&mut counts, p >= at && (named || p >= unnamed), label);
        }
        println!(
            "  self_focus, naming no organisation from {unnamed:.2}: {}",
            figures("self_focus", counts)
        );
    }
    // CannedFiller reports from its threshold (0.9, for docs pages), or from a lower one when
    // the sentence also holds a catalogued stock phrase: the sweep for that lower one.
    let at = heldout_threshold(Head::Filler as usize);
    for with_phrase in [0.3f32, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9] {
        let mut counts = [0usize; 3];
        for &(p, label, listed) in &filler {
            tally(&mut counts, p >= at || (listed && p >= with_phrase), label);
        }
        println!(
            "  filler from {at:.2}, with a catalogued phrase from {with_phrase:.2}: {} ({} found, {} false)",
            figures("filler", counts),
            counts[0],
            counts[1]
        );
    }
}

/// For each sentence of `corpus` (in [`examples`] order), whether it holds a phrase of the
/// built-in CannedFiller catalogue (not one that counts only alone, such as a greeting).
fn catalogued(corpus: &[(String, Vec<candor::judge::train::LabelledReply>)]) -> Vec<bool> {
    #[derive(serde::Deserialize)]
    struct Entry {
        #[serde(rename = "match")]
        pattern: String,
        #[serde(default)]
        alone: bool,
    }
    #[derive(serde::Deserialize)]
    struct Options {
        phrases: Vec<Entry>,
    }
    #[derive(serde::Deserialize)]
    struct Rule {
        options: Options,
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/Candor/CannedFiller.yml");
    let rule: Rule = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| serde_norway::from_str(&text).ok())
        .expect("rules/Candor/CannedFiller.yml holds a phrase catalogue");
    let alternation: Vec<String> = (rule.options.phrases.iter())
        .filter(|e| !e.alone)
        .map(|e| format!("(?:{})", e.pattern))
        .collect();
    let phrases = regex::RegexBuilder::new(&format!(r"\b(?:{})\b", alternation.join("|")))
        .case_insensitive(true)
        .size_limit(1 << 26)
        .build()
        .expect("the catalogue compiles");
    let fold = |text: &str| text.replace(['\u{2019}', '\u{2018}'], "'");
    (corpus.iter().flat_map(|(_, replies)| replies))
        .flat_map(|reply| &reply.sentences)
        .map(|s| phrases.is_match(&fold(&s.text)))
        .collect()
}

/// The threshold held-out figures are counted at for `head`: 0.5, or `THRESHOLD_<HEAD>`
/// (`THRESHOLD_SELF_FOCUS=0.7`) to see a rule's own threshold.
fn heldout_threshold(head: usize) -> f32 {
    std::env::var(format!("THRESHOLD_{}", HEAD_NAMES[head].to_uppercase()))
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0.5)
}

fn figures(name: &str, [tp, fp, fn_]: [usize; 3]) -> String {
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = 2.0 * p * r / (p + r).max(f64::EPSILON);
    format!("{name} P {p:.2} R {r:.2} F1 {f1:.2}")
}

fn explain(text: &str) {
    use candor::judge::features::{features, Named, Place};
    let model = candor::judge::sentence_model();
    let mut probs = [0f32; HEADS];
    let _ = model.predict(text, Place::default(), &mut probs);
    println!("{text}");
    for h in 0..HEADS {
        print!("  {} {:.2}", HEAD_NAMES[h], probs[h]);
    }
    println!();
    let mut sink = Named::default();
    features(text, Place::default(), model.vocabulary(), &mut sink);
    for (name, slot) in sink.0 {
        let w: Vec<String> = (0..HEADS)
            .map(|h| format!("{:+.2}", model.weight(slot, h)))
            .collect();
        println!("    {name:30} {}", w.join(" "));
    }
}

/// Writes a weights file, unless `--dry-run` asks for the figures alone.
fn write(path: &Path, bytes: Vec<u8>) -> std::io::Result<()> {
    if std::env::args().any(|a| a == "--dry-run") {
        return Ok(());
    }
    std::fs::write(path, bytes)
}

fn explain_answers(message: &str, reply: &str) {
    use candor::document::{Document, Format};
    let reply_doc = Document::parse(reply.to_string(), Format::Text);
    let message_doc = Document::parse(message.to_string(), Format::Text);
    let model = candor::judge::answers::model();
    let answered = candor::judge::answered::model();
    for (span, sentences) in candor::questions::training_rows(&reply_doc, &message_doc) {
        println!("question: {}", &message[span]);
        let mut features = Vec::new();
        let mut probabilities = Vec::new();
        for (range, f) in sentences {
            let Some(f) = f else { continue };
            let p = model.probability(&f);
            println!(
                "  {p:.2} {:?}\n      {}",
                &reply[range],
                active(&f, &model.weights)
            );
            features.push(f);
            probabilities.push(p);
        }
        let q = candor::judge::answered::question_features(&features, &probabilities, 0.0);
        println!(
            "  answered {:.2} (taken as 0)\n      {}",
            answered.probability(&q),
            active(&q, &answered.weights)
        );
    }
}

/// The features that fire, as `position:value*weight`.
fn active(features: &[f32], weights: &[f32]) -> String {
    let fired: Vec<String> = features
        .iter()
        .zip(weights)
        .enumerate()
        .filter(|(_, (x, _))| **x != 0.0)
        .map(|(k, (x, w))| format!("{k}:{x:.2}*{w:+.2}"))
        .collect();
    fired.join(" ")
}
