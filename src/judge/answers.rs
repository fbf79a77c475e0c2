//! Whether a reply sentence answers a customer's question: logistic regression over the
//! features `crate::questions::answer::features` reads off the pair (topic, meaning, form, kind
//! of sentence), trained on the question-and-reply pairs in `data/questions/`
//! (`cargo run --release --example train`). A question counts as answered when its best reply
//! sentence reaches [`crate::questions::answer::ANSWERED`].

/// The features of a (question, reply sentence) pair, by position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feature {
    Bias,
    /// Weighted key terms of the question in the sentence (up to 1).
    OwnTerms,
    /// More than one term's worth (up to 2).
    MoreOwnTerms,
    /// Terms of the rest of the customer's message in the sentence (up to 1).
    ContextTerms,
    /// The sentence names what the question turns on ("ship to Oslo").
    FocusNamed,
    /// The question turns on a name the sentence does not give.
    FocusMissed,
    /// Cosine of the two sentences' embedding vectors.
    Cosine,
    /// The cosine where a key term is shared too.
    CosineOnTopic,
    /// The sentence is the reply's closest to the question in meaning.
    ClosestInMeaning,
    /// Its cosine above the reply's mean cosine.
    CosineAboveMean,
    /// The sentence model's probability that the sentence is canned filler.
    Filler,
    /// The sentence comes right after one that quotes the question back: replies that answer
    /// question by question quote each, then answer it.
    AfterEcho,
    /// Only an offer of help.
    Offer,
    /// Only contact, sympathy or thanks.
    Generic,
    /// Only sympathy or thanks.
    Sympathy,
    /// A question asked back about the problem.
    Probes,
    /// A contact pointer, for a question asking whom to contact.
    ContactPointer,
    /// Sends the customer elsewhere, naming where.
    Redirect,
    /// "We don't have that information yet."
    NoInfo,
    /// The form that answers this kind of question outright ("Yes, …" for yes/no).
    Direct,
    /// That form, on the question's topic.
    DirectOnTopic,
    /// That form, for the message's only question ("We sure can!" to "Can I pay by PayPal?").
    DirectForOnlyQuestion,
    /// The right kind of content (steps for "how"), on topic.
    FormOnTopic,
    /// The right kind of content, topic aside.
    Form,
    /// The only question of the message.
    Alone,
    /// The question has no topic of its own ("Can you help?").
    Vague,
    /// Nothing to match in the question or around it.
    Blank,
    /// A comparison whose sides the reply does not both name.
    OptionsUnmet,
    /// "When" or "how much" with no time or amount in the sentence.
    NeedsForm,
    AsksYesNo,
    AsksWhen,
    AsksHowMuch,
    AsksWhich,
    AsksHow,
    AsksWhy,
    AsksOther,
}

/// How many features a pair has.
pub const FEATURES: usize = Feature::AsksOther as usize + 1;

/// The embedded weights, one `f32` (little-endian) per feature.
static WEIGHTS: &[u8] = include_bytes!("weights/answers.bin");

/// The answer model: a weight per feature.
#[derive(Debug, Clone, Copy)]
pub struct AnswerModel {
    pub weights: [f32; FEATURES],
}

impl AnswerModel {
    /// Reads weights stored by [`AnswerModel::store`]; `None` when the bytes do not fit.
    pub fn load(bytes: &[u8]) -> Option<AnswerModel> {
        if bytes.len() != FEATURES * 4 {
            return None;
        }
        let mut weights = [0f32; FEATURES];
        for (i, w) in weights.iter_mut().enumerate() {
            *w = f32::from_le_bytes(bytes[i * 4..i * 4 + 4].try_into().ok()?);
        }
        Some(AnswerModel { weights })
    }

    pub fn store(&self) -> Vec<u8> {
        self.weights.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    /// The probability that a sentence with these features answers the question.
    pub fn probability(&self, features: &[f32; FEATURES]) -> f32 {
        let z: f32 = self.weights.iter().zip(features).map(|(w, x)| w * x).sum();
        super::model::sigmoid(z)
    }
}

/// Whether a question is answered, from each reply sentence's probability of answering it: a
/// noisy OR (the chance that at least one does), so that an answer spread over several sentences
/// of a long reply counts, as readers count it. `COMBINE=max` (a bench knob) takes the best one.
pub fn combine(probabilities: &[f32]) -> f32 {
    if std::env::var("COMBINE").is_ok_and(|v| v == "max") {
        return probabilities.iter().copied().fold(0.0, f32::max);
    }
    1.0 - probabilities.iter().map(|p| 1.0 - p).product::<f32>()
}

/// The embedded answer model.
pub fn model() -> AnswerModel {
    AnswerModel::load(WEIGHTS).expect("the embedded answer model is well-formed")
}

/// Trains the answer model on rows of (features, answers?) by full-batch gradient descent with
/// L2, from zero weights: deterministic.
pub fn train(
    rows: &[([f32; FEATURES], bool)],
    iterations: usize,
    rate: f32,
    l2: f32,
) -> AnswerModel {
    let mut w = [0f32; FEATURES];
    if rows.is_empty() {
        return AnswerModel { weights: w };
    }
    let n = rows.len() as f32;
    for _ in 0..iterations {
        let mut grad = [0f32; FEATURES];
        for (x, y) in rows {
            let z: f32 = w.iter().zip(x).map(|(w, x)| w * x).sum();
            let err = super::model::sigmoid(z) - if *y { 1.0 } else { 0.0 };
            for (g, xi) in grad.iter_mut().zip(x) {
                *g += err * xi;
            }
        }
        for (i, wi) in w.iter_mut().enumerate() {
            let reg = if i == 0 { 0.0 } else { l2 * *wi };
            *wi -= rate * (grad[i] / n + reg);
        }
    }
    AnswerModel { weights: w }
}
