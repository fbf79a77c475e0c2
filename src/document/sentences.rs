//! Sentence splitting on top of Unicode's sentence boundaries (UAX #29).
//!
//! UAX #29 ends a sentence at every line break. Prose is often hard-wrapped (emails, Markdown
//! paragraphs), so a break that follows no terminal punctuation and is followed by a lower-case
//! letter is joined back: "we will\nsend it" is one sentence, "Hi Anna,\nThanks" is two.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Sentence ranges of `prose`, trimmed of surrounding white space, never empty.
pub fn split(prose: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (start, piece) in prose.split_sentence_bound_indices() {
        let Some(range) = trim(prose, start..start + piece.len()) else {
            continue;
        };
        if let Some(last) = out.last_mut() {
            if is_wrapped_line(prose, last.clone(), range.clone()) {
                last.end = range.end;
                continue;
            }
        }
        out.push(range);
    }
    out
}

fn trim(prose: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &prose[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return None;
    }
    let start = range.start + lead;
    Some(start..start + trimmed.len())
}

fn is_wrapped_line(prose: &str, prev: Range<usize>, next: Range<usize>) -> bool {
    let between = &prose[prev.end..next.start];
    if !between.contains('\n') || between.matches('\n').count() > 1 {
        return false;
    }
    let ends_sentence = prose[prev]
        .trim_end_matches(['"', '\'', ')', '’', '”', '*', '_'])
        .ends_with(['.', '!', '?', ':', '…']);
    let next_lower = prose[next].chars().next().is_some_and(|c| c.is_lowercase());
    !ends_sentence && next_lower
}

/// Word ranges (runs with at least one letter or digit) of `text`.
pub fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    if text.is_ascii() {
        Words::Ascii(AsciiWords { text, at: 0 })
    } else {
        Words::Unicode(unicode_words(text))
    }
}

type UnicodeWords<'a> =
    std::iter::Filter<unicode_segmentation::UWordBoundIndices<'a>, fn(&(usize, &'a str)) -> bool>;

/// The reference: UAX #29 word boundaries, keeping pieces with a letter or digit.
fn unicode_words(text: &str) -> UnicodeWords<'_> {
    text.split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(|c| c.is_alphanumeric()))
}

enum Words<'a> {
    Ascii(AsciiWords<'a>),
    Unicode(UnicodeWords<'a>),
}

impl<'a> Iterator for Words<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            Words::Ascii(w) => w.next(),
            Words::Unicode(w) => w.next(),
        }
    }
}

/// The same words as [`unicode_words`] for ASCII text, without the Unicode tables: in ASCII,
/// UAX #29 joins letters, digits and `_` (WB5, WB8-WB10, WB13a/b), a letter-`:`/`.`/`'`-letter
/// (WB6/WB7) and a digit-`,`/`;`/`.`/`'`-digit (WB11/WB12); everything else stands alone.
struct AsciiWords<'a> {
    text: &'a str,
    at: usize,
}

impl<'a> Iterator for AsciiWords<'a> {
    type Item = (usize, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let b = self.text.as_bytes();
        loop {
            while self.at < b.len() && !is_word_byte(b[self.at]) {
                self.at += 1;
            }
            if self.at >= b.len() {
                return None;
            }
            let start = self.at;
            self.at += 1;
            loop {
                if self.at < b.len() && is_word_byte(b[self.at]) {
                    self.at += 1;
                } else if self.at + 1 < b.len()
                    && joins_across(b[self.at - 1], b[self.at], b[self.at + 1])
                {
                    self.at += 2;
                } else {
                    break;
                }
            }
            let word = &self.text[start..self.at];
            // A run of `_` alone is no word.
            if word.bytes().any(|c| c.is_ascii_alphanumeric()) {
                return Some((start, word));
            }
        }
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Whether `mid` between `before` and `after` stays inside one word: "we'll", "e.g", "3.5", "1,000".
fn joins_across(before: u8, mid: u8, after: u8) -> bool {
    (before.is_ascii_alphabetic()
        && after.is_ascii_alphabetic()
        && matches!(mid, b':' | b'.' | b'\''))
        || (before.is_ascii_digit()
            && after.is_ascii_digit()
            && matches!(mid, b',' | b';' | b'.' | b'\''))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        split(s).into_iter().map(|r| &s[r]).collect()
    }

    #[test]
    fn splits_on_terminal_punctuation() {
        assert_eq!(
            texts("Thanks for writing. We refund you today! Is that ok?"),
            ["Thanks for writing.", "We refund you today!", "Is that ok?"]
        );
    }

    #[test]
    fn joins_hard_wrapped_lines_but_not_greeting_lines() {
        assert_eq!(
            texts("Hi Anna,\nThanks for the\nreport. It helps."),
            ["Hi Anna,", "Thanks for the\nreport.", "It helps."]
        );
    }

    proptest::proptest! {
        #[test]
        fn ascii_words_match_the_unicode_reference(text in "[a-zA-Z0-9_ .,:;'\"!?()\n\r\t-]{0,60}") {
            let fast: Vec<_> = words(&text).collect();
            let reference: Vec<_> = unicode_words(&text).collect();
            proptest::prop_assert_eq!(fast, reference);
        }

        #[test]
        fn ascii_words_match_on_any_ascii(text in "[\\x00-\\x7f]{0,40}") {
            let fast: Vec<_> = words(&text).collect();
            let reference: Vec<_> = unicode_words(&text).collect();
            proptest::prop_assert_eq!(fast, reference);
        }
    }

    #[test]
    fn ascii_words_keep_contractions_decimals_and_names() {
        let w: Vec<_> = words("we'll pay 1,000.50 on e.g. v2_beta: ok__")
            .map(|(_, w)| w)
            .collect();
        assert_eq!(
            w,
            ["we'll", "pay", "1,000.50", "on", "e.g", "v2_beta", "ok__"]
        );
    }

    #[test]
    fn words_skip_punctuation_and_space() {
        let w: Vec<_> = words("we'll refund, today").map(|(_, w)| w).collect();
        assert_eq!(w, ["we'll", "refund", "today"]);
    }
}
