//! Sentence vectors from static word-piece embeddings (potion-base-2M, MIT, vendored under
//! `models/`): a sentence's vector is the mean of its word pieces' vectors, normalised, so
//! "charged twice" and "duplicate charge" land near each other though they share no word.
//!
//! The pieces come from BERT's uncased WordPiece, done here: lower-case, split at white space
//! and punctuation, then the longest known piece first with `##` continuations. (The
//! `tokenizers` crate would parse a 680 KB JSON file at every start, longer than a whole draft's
//! lint; `build.rs` stores the vocabulary sorted and the vectors as `i8`, read in place.)

use super::normalize::fold_char;

static VOCAB: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/potion_vocab.bin"));
static VECTORS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/potion_vectors.bin"));

/// Dimensions of a vector.
pub const DIMS: usize = 64;

fn word_at(bytes: &[u8], i: usize) -> u32 {
    u32::from_le_bytes(bytes[i * 4..i * 4 + 4].try_into().expect("four bytes"))
}

/// The id of a word piece, by the vocabulary's hash table (built by `build.rs`).
fn piece_id(piece: &str) -> Option<u32> {
    let count = word_at(VOCAB, 0) as usize;
    let offsets = 1;
    let ids = offsets + count + 1;
    let text_start = (ids + count) * 4;
    let text = |i: usize| {
        let (a, b) = (word_at(VOCAB, offsets + i), word_at(VOCAB, offsets + i + 1));
        &VOCAB[text_start + a as usize..text_start + b as usize]
    };
    // The table comes right after the text, whose length is the last offset.
    let table = text_start + word_at(VOCAB, offsets + count) as usize;
    let size = u32::from_le_bytes(VOCAB[table..table + 4].try_into().expect("four bytes")) as usize;
    let slot = |at: usize| {
        let i = table + 4 + at * 4;
        u32::from_le_bytes(VOCAB[i..i + 4].try_into().expect("four bytes"))
    };
    let mut at = fnv1a(piece.as_bytes()) as usize & (size - 1);
    loop {
        match slot(at) {
            0 => return None,
            i if text((i - 1) as usize) == piece.as_bytes() => {
                return Some(word_at(VOCAB, ids + (i - 1) as usize))
            }
            _ => at = (at + 1) & (size - 1),
        }
    }
}

fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Adds the vector of piece `id` to `sum`.
fn add_vector(id: u32, sum: &mut [f32; DIMS]) {
    let row = 8 + id as usize * (DIMS + 4);
    let scale = f32::from_le_bytes(VECTORS[row..row + 4].try_into().expect("four bytes"));
    for (s, &q) in sum.iter_mut().zip(&VECTORS[row + 4..row + 4 + DIMS]) {
        *s += f32::from(q as i8) * scale;
    }
}

/// The word pieces of one word (none when a part of it is unknown, as BERT's `[UNK]`).
fn word_pieces(word: &str, out: &mut Vec<u32>) {
    if word.is_empty() || word.len() > 100 {
        return;
    }
    // Most words are one piece.
    if let Some(id) = piece_id(word) {
        out.push(id);
        return;
    }
    let mut start = 0;
    let mut pieces = Vec::new();
    let mut buf = String::new();
    while start < word.len() {
        let mut end = word.len();
        let mut found = None;
        while end > start {
            if word.is_char_boundary(end) {
                buf.clear();
                if start > 0 {
                    buf.push_str("##");
                }
                buf.push_str(&word[start..end]);
                if let Some(id) = piece_id(&buf) {
                    found = Some(id);
                    break;
                }
            }
            end -= 1;
        }
        match found {
            Some(id) => pieces.push(id),
            None => return,
        }
        start = end;
    }
    out.extend(pieces);
}

/// The word pieces of a text.
pub fn pieces(text: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut word = String::new();
    for c in text.chars() {
        let c = fold_char(c).unwrap_or(c);
        if c.is_whitespace() || c.is_control() {
            word_pieces(&word, &mut out);
            word.clear();
        } else if c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_ascii()) {
            word_pieces(&word, &mut out);
            word.clear();
            let mut p = [0u8; 4];
            word_pieces(c.encode_utf8(&mut p), &mut out);
        } else if c.is_ascii() {
            word.push(c.to_ascii_lowercase());
        } else {
            word.extend(c.to_lowercase());
        }
    }
    word_pieces(&word, &mut out);
    out
}

/// A text's vector: the normalised mean of its pieces' vectors (zero when it has none).
pub fn embed(text: &str) -> [f32; DIMS] {
    let mut sum = [0f32; DIMS];
    for id in pieces(text) {
        add_vector(id, &mut sum);
    }
    let norm = sum.iter().map(|x| x * x).sum::<f32>().sqrt();
    if norm > 0.0 {
        sum.iter_mut().for_each(|x| *x /= norm);
    }
    sum
}

/// Cosine similarity of two vectors from [`embed`].
pub fn cosine(a: &[f32; DIMS], b: &[f32; DIMS]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_words_and_continuations_are_pieces() {
        assert!(piece_id("charged").is_some());
        assert!(piece_id("##s").is_some());
        assert!(piece_id("zzqx-not-a-piece").is_none());
        // An unknown long word falls back to pieces rather than vanishing.
        assert!(
            pieces("refundability").len() >= 2,
            "{:?}",
            pieces("refundability")
        );
    }

    #[test]
    fn paraphrases_are_closer_than_unrelated_sentences() {
        let q = embed("Why was my card charged twice?");
        let near = embed("The duplicate payment was a pending authorisation.");
        let far = embed("Our office is closed on public holidays.");
        assert!(cosine(&q, &near) > cosine(&q, &far));
        let v = embed("Refund");
        assert!((cosine(&v, &v) - 1.0).abs() < 1e-4);
    }
}
