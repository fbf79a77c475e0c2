//! A linear model over hashed features with one output per judgement (a "head"): logistic
//! regression, stored as little-endian `f32` weights, slot by slot, all heads of a slot together
//! (one cache line per feature).
//!
//! (Adding the sentence's embedding vector as 64 more features per head was tried: it lifted
//! held-out figures on `data/` by a point or two, left the real replies' figures where they were,
//! and cost a tenth of the docs corpus's lint time, so it is not done.)
//!
//! File layout: `CNDJ`, then `u32` version, buckets and heads, then `buckets * heads` weights,
//! then the vocabulary's bit set (see [`Vocabulary`]).

use super::features::{self, Hashed, Named, Place, Summary, Vocabulary, BUCKETS, VOCABULARY_BITS};

const MAGIC: &[u8; 4] = b"CNDJ";
const VERSION: u32 = 4;
const HEADER: usize = 16;

/// A linear model: its weights, read in place from the bytes it was stored as.
#[derive(Debug, Clone, Copy)]
pub struct LinearModel<'a> {
    bytes: &'a [u8],
    heads: usize,
}

impl<'a> LinearModel<'a> {
    /// Reads a model stored by [`LinearModel::store`]; `None` when the bytes are not one.
    pub fn load(bytes: &'a [u8]) -> Option<LinearModel<'a>> {
        let word = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        if bytes.len() < HEADER || &bytes[..4] != MAGIC || word(4) != VERSION {
            return None;
        }
        let (buckets, heads) = (word(8) as usize, word(12) as usize);
        if buckets != BUCKETS
            || heads == 0
            || bytes.len() != HEADER + buckets * heads * 4 + VOCABULARY_BITS / 8
        {
            return None;
        }
        Some(LinearModel { bytes, heads })
    }

    /// Stores weights (`BUCKETS * heads`, slot-major) and the vocabulary's bits in the layout
    /// [`LinearModel::load`] reads.
    pub fn store(weights: &[f32], heads: usize, vocabulary: &[u8]) -> Vec<u8> {
        assert_eq!(weights.len(), BUCKETS * heads);
        assert_eq!(vocabulary.len(), VOCABULARY_BITS / 8);
        let mut out = Vec::with_capacity(HEADER + weights.len() * 4);
        out.extend_from_slice(MAGIC);
        for n in [VERSION, BUCKETS as u32, heads as u32] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        for w in weights {
            out.extend_from_slice(&w.to_le_bytes());
        }
        out.extend_from_slice(vocabulary);
        out
    }

    /// The words the model was trained on.
    pub fn vocabulary(&self) -> Vocabulary<'a> {
        let start = HEADER + BUCKETS * self.heads * 4;
        Vocabulary {
            bits: &self.bytes[start..],
        }
    }

    pub fn heads(&self) -> usize {
        self.heads
    }

    /// The weight of `head` for feature slot `slot`.
    #[inline]
    pub fn weight(&self, slot: u32, head: usize) -> f32 {
        let at = HEADER + (slot as usize * self.heads + head) * 4;
        f32::from_le_bytes(self.bytes[at..at + 4].try_into().unwrap())
    }

    /// Each head's score (log-odds) for a set of feature slots.
    pub fn logits(&self, slots: &[u32], out: &mut [f32]) {
        out.iter_mut().for_each(|o| *o = 0.0);
        for &s in slots {
            let at = HEADER + s as usize * self.heads * 4;
            let weights = &self.bytes[at..at + self.heads * 4];
            for (o, w) in out.iter_mut().zip(weights.chunks_exact(4)) {
                *o += f32::from_le_bytes([w[0], w[1], w[2], w[3]]);
            }
        }
    }

    /// Each head's probability for a sentence, and what its features say besides.
    pub fn predict(&self, text: &str, place: Place, out: &mut [f32]) -> Summary {
        let mut sink = Hashed::default();
        let summary = features::features(text, place, self.vocabulary(), &mut sink);
        dedup(&mut sink.0);
        self.logits(&sink.0, out);
        out.iter_mut().for_each(|o| *o = sigmoid(*o));
        summary
    }

    /// The features that push `head` up the most for this sentence, strongest first: the
    /// model's reasons, in words.
    pub fn cues(&self, text: &str, place: Place, head: usize, n: usize) -> Vec<String> {
        let mut sink = Named::default();
        features::features(text, place, self.vocabulary(), &mut sink);
        let mut seen = std::collections::HashSet::new();
        let mut scored: Vec<(f32, String)> = sink
            .0
            .into_iter()
            .filter(|(_, slot)| seen.insert(*slot))
            .filter_map(|(name, slot)| Some((self.weight(slot, head), readable(&name)?)))
            .filter(|(w, _)| *w > 0.0)
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
        // A cue whose words hold another's ("'is our'" and "'our'", "'we/our top'" and "'we'")
        // says it twice: keep one.
        let words = |c: &str| {
            let each = c.trim_matches('\'').split(' ').map(|w| match w {
                "we" | "our" | "us" | "ours" => "we/our",
                w => w,
            });
            format!(" {} ", each.collect::<Vec<_>>().join(" "))
        };
        let overlaps =
            |a: &str, b: &str| words(a).contains(&words(b)) || words(b).contains(&words(a));
        let mut out: Vec<String> = Vec::new();
        for (_, cue) in scored {
            if !out.iter().any(|c| overlaps(c, &cue)) {
                out.push(cue);
            }
            if out.len() == n {
                break;
            }
        }
        out
    }
}

/// A feature name as a reader would say it, or `None` for features that are not words.
fn readable(name: &str) -> Option<String> {
    let (kind, rest) = name.split_once(' ')?;
    let words = |s: &str| {
        s.split(' ')
            .filter(|w| !matches!(*w, "<s>" | "</s>"))
            .map(|w| match w {
                "ORG" => "we/our",
                "YOU" => "you",
                "I" => "I",
                "NAME" => "a name",
                "<num>" => "a number",
                "<sym>" => "an emoji",
                "<rare>" => "",
                w => w,
            })
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let text = match kind {
        "w" | "b" | "k2" | "k3" => words(rest),
        _ => return None,
    };
    // A cue of nothing but function words ("of", "this") explains nothing.
    const FUNCTION_WORDS: &[&str] = &[
        "a", "an", "the", "of", "to", "in", "on", "at", "for", "by", "with", "and", "or", "is",
        "are", "be", "it", "this", "that", "these", "all", "as", "!", "?", "",
    ];
    if text.split(' ').all(|w| FUNCTION_WORDS.contains(&w)) {
        return None;
    }
    Some(format!("'{text}'"))
}

/// Sorts and removes repeated slots: each feature counts once.
pub fn dedup(slots: &mut Vec<u32>) {
    slots.sort_unstable();
    slots.dedup();
}

pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}
