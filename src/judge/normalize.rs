//! One folding of typographic quotes and apostrophes, used before every phrase and cue match.
//!
//! Gmail, Word, Docs and `&rsquo;` write "Don’t"; rules and models are written with "Don't".
//! Folding keeps every character's byte length where it can't (’ is three bytes, ' one), so the
//! folded text comes with a map back to the original bytes: spans still index what the user wrote.

use std::borrow::Cow;

/// The ASCII stand-in for a typographic quote or apostrophe, if `c` is one.
pub fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{FF07}' | '\u{2032}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{FF02}' | '\u{2033}' => Some('"'),
        _ => None,
    }
}

/// `text` with typographic quotes folded to ASCII, and for each byte of the result the byte of
/// `text` it came from (plus one entry for the end). Borrowed, with no map, when nothing folds.
pub struct Folded<'a> {
    pub text: Cow<'a, str>,
    /// `origin[i]` is the byte of the original text that byte `i` of `text` came from; empty when
    /// nothing was folded (the offsets are then the same).
    origin: Vec<usize>,
}

impl<'a> Folded<'a> {
    pub fn new(text: &'a str) -> Folded<'a> {
        if text.is_ascii() || !text.chars().any(|c| fold_char(c).is_some()) {
            return Folded {
                text: Cow::Borrowed(text),
                origin: Vec::new(),
            };
        }
        let mut out = String::with_capacity(text.len());
        let mut origin = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.char_indices() {
            let c2 = fold_char(c).unwrap_or(c);
            for _ in 0..c2.len_utf8() {
                origin.push(i);
            }
            out.push(c2);
        }
        origin.push(text.len());
        Folded {
            text: Cow::Owned(out),
            origin,
        }
    }

    /// The original byte offset of folded offset `at` (a start or an end).
    pub fn to_original(&self, at: usize) -> usize {
        if self.origin.is_empty() {
            at
        } else {
            self.origin[at]
        }
    }

    /// A folded range mapped back to the original text.
    pub fn range_to_original(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        self.to_original(r.start)..self.to_original(r.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_typographic_apostrophes_and_maps_back() {
        let text = "Don’t hesitate, it’s “fine”.";
        let f = Folded::new(text);
        assert_eq!(f.text, "Don't hesitate, it's \"fine\".");
        let at = f.text.find("it's").unwrap();
        let r = f.range_to_original(at..at + 4);
        assert_eq!(&text[r], "it’s");
        assert_eq!(f.to_original(f.text.len()), text.len());
    }

    #[test]
    fn plain_text_is_borrowed() {
        let f = Folded::new("Don't");
        assert!(matches!(f.text, Cow::Borrowed(_)));
        assert_eq!(f.to_original(3), 3);
    }
}
