//! Sentence splitting on top of Unicode's sentence boundaries (UAX #29).
//!
//! UAX #29 ends a sentence at every line break. Prose is often hard-wrapped (emails, Markdown
//! paragraphs), so a break that follows no terminal punctuation and is followed by a lower-case
//! letter, or follows a word no sentence ends with ("the", "for", "your"), is joined back: "we
//! will\nsend it" and "If you need a\nDocker image" are one sentence, "Hi Anna,\nThanks" is two.
//! UAX #29 also ends one at a period glued to the capital after it when a space comes before
//! the period ("the following .NET types", "a .DS_Store file"): a file extension or product
//! name, not a full stop, so that break is joined back too.

use std::ops::Range;

use unicode_segmentation::UnicodeSegmentation;

/// Sentence ranges of `prose`, trimmed of surrounding white space, never empty.
pub fn split(prose: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let pieces: Vec<Range<usize>> = if prose.is_ascii() {
        ascii_sentence_pieces(prose.as_bytes())
    } else {
        unicode_sentence_pieces(prose).collect()
    };
    for piece in pieces {
        let glued = starts_after_glued_period(prose.as_bytes(), piece.start);
        let Some(range) = trim(prose, piece) else {
            continue;
        };
        if let Some(last) = out.last_mut() {
            if glued || is_wrapped_line(prose, last.clone(), range.clone()) {
                last.end = range.end;
                continue;
            }
        }
        out.push(range);
    }
    out
}

/// The reference: UAX #29 sentence boundaries, as the pieces between them.
fn unicode_sentence_pieces(prose: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    prose
        .split_sentence_bound_indices()
        .map(|(start, piece)| start..start + piece.len())
}

/// What UAX #29 (sentence boundaries) makes of an ASCII byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum SentenceClass {
    Cr,
    Lf,
    Sp,
    Lower,
    Upper,
    Numeric,
    /// `.`
    ATerm,
    /// `!` and `?`
    STerm,
    SContinue,
    Close,
    Other,
}

/// [`SentenceClass`] of every byte, looked up rather than matched: the ASCII splitter asks for
/// one per byte of prose.
static SENTENCE_CLASSES: [SentenceClass; 256] = {
    let mut table = [SentenceClass::Other; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = classify(b as u8);
        b += 1;
    }
    table
};

#[inline]
fn sentence_class(b: u8) -> SentenceClass {
    SENTENCE_CLASSES[b as usize]
}

const fn classify(b: u8) -> SentenceClass {
    use SentenceClass::*;
    match b {
        b'\r' => Cr,
        b'\n' => Lf,
        b'\t' | 0x0b | 0x0c | b' ' => Sp,
        b'a'..=b'z' => Lower,
        b'A'..=b'Z' => Upper,
        b'0'..=b'9' => Numeric,
        b'.' => ATerm,
        b'!' | b'?' => STerm,
        b',' | b'-' | b':' | b';' => SContinue,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Close,
        _ => Other,
    }
}

/// The same pieces as [`unicode_sentence_pieces`] for ASCII text, without the Unicode tables.
/// A sentence ends only after a line break (SB4) or after a terminator (`.`, `!`, `?`) with
/// the closing punctuation, spaces and one line break that follow it (SB9-SB11), unless what
/// comes next keeps the sentence going: `3.5` (SB6), `U.S.` (SB7), a lower-case word after
/// `.` (SB8), or a comma, colon or another terminator (SB8a).
fn ascii_sentence_pieces(b: &[u8]) -> Vec<Range<usize>> {
    use SentenceClass::*;
    let class = |i: usize| b.get(i).copied().map(sentence_class);
    let mut ends = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match sentence_class(b[i]) {
            Cr | Lf => {
                i += if class(i) == Some(Cr) && class(i + 1) == Some(Lf) {
                    2
                } else {
                    1
                };
                ends.push(i);
            }
            term @ (ATerm | STerm) => {
                let mut j = i + 1;
                if term == ATerm
                    && (class(j) == Some(Numeric)
                        || class(j) == Some(Upper)
                            && i > 0
                            && matches!(class(i - 1), Some(Upper | Lower)))
                {
                    i = j;
                    continue;
                }
                while class(j) == Some(Close) {
                    j += 1;
                }
                while class(j) == Some(Sp) {
                    j += 1;
                }
                let lower_ahead = || {
                    let stop = b[j..]
                        .iter()
                        .map(|&c| sentence_class(c))
                        .find(|c| matches!(c, Upper | Lower | Cr | Lf | ATerm | STerm));
                    stop == Some(Lower)
                };
                if matches!(class(j), Some(SContinue | ATerm | STerm))
                    || term == ATerm && lower_ahead()
                {
                    i = j;
                    continue;
                }
                match class(j) {
                    Some(Cr) if class(j + 1) == Some(Lf) => j += 2,
                    Some(Cr | Lf) => j += 1,
                    _ => {}
                }
                if j < b.len() {
                    ends.push(j);
                }
                i = j;
            }
            _ => i += 1,
        }
    }
    if !b.is_empty() && ends.last() != Some(&b.len()) {
        ends.push(b.len());
    }
    let mut start = 0;
    ends.into_iter()
        .map(|end| {
            let piece = start..end;
            start = end;
            piece
        })
        .collect()
}

fn trim(prose: &str, range: Range<usize>) -> Option<Range<usize>> {
    let s = &prose[range.clone()];
    // A byte order mark (a file's first character) belongs to no sentence.
    let blank = |c: char| c.is_whitespace() || c == '\u{feff}';
    let lead = s.len() - s.trim_start_matches(blank).len();
    let trimmed = s.trim_matches(blank);
    if trimmed.is_empty() {
        return None;
    }
    let start = range.start + lead;
    Some(start..start + trimmed.len())
}

/// Whether the piece starting at `start` follows a period with nothing between them: the
/// period belongs to the word it starts (".NET"), since a full stop has space after it.
fn starts_after_glued_period(prose: &[u8], start: usize) -> bool {
    start > 0 && prose[start - 1] == b'.' && prose.get(start).is_some_and(u8::is_ascii_alphanumeric)
}

fn is_wrapped_line(prose: &str, prev: Range<usize>, next: Range<usize>) -> bool {
    let between = &prose[prev.end..next.start];
    if !between.contains('\n') || between.matches('\n').count() > 1 {
        return false;
    }
    let prev = &prose[prev];
    let ends_sentence = prev
        .trim_end_matches(['"', '\'', ')', '’', '”', '*', '_'])
        .ends_with(['.', '!', '?', ':', '…']);
    let next_lower = prose[next].chars().next().is_some_and(|c| c.is_lowercase());
    !ends_sentence && (next_lower || ends_in_function_word(prev))
}

/// Whether `line` ends in a word no sentence ends with (an article, preposition, conjunction
/// or possessive): "If you need a\nDocker image" is one sentence wrapped before a name.
fn ends_in_function_word(line: &str) -> bool {
    const FUNCTION_WORDS: &[&str] = &[
        "a", "an", "the", "to", "of", "in", "on", "at", "for", "with", "from", "by", "and", "or",
        "but", "your", "our", "my", "their", "its", "into", "than", "via", "per",
    ];
    let last = line
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    FUNCTION_WORDS.iter().any(|w| last.eq_ignore_ascii_case(w))
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

/// An ASCII word byte (a letter, digit or `_`), as `(?-u:\b)` sees it.
pub(crate) const fn is_word_byte(c: u8) -> bool {
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
        assert_eq!(
            texts("If you need a\nDocker image, pull it.\nThanks to the\nTeam"),
            [
                "If you need a\nDocker image, pull it.",
                "Thanks to the\nTeam"
            ]
        );
        assert_eq!(texts("Hi Anna\nThanks"), ["Hi Anna", "Thanks"]);
    }

    #[test]
    fn a_period_glued_to_the_next_word_ends_no_sentence() {
        assert_eq!(
            texts("The following .NET types are permitted. Users can add more."),
            [
                "The following .NET types are permitted.",
                "Users can add more."
            ]
        );
        assert_eq!(
            texts("Delete the .DS_Store file. Then retry."),
            ["Delete the .DS_Store file.", "Then retry."]
        );
        // Non-ASCII prose goes the Unicode way and is joined the same.
        assert_eq!(
            texts("Café .NET apps work. Then retry."),
            ["Café .NET apps work.", "Then retry."]
        );
    }

    fn reference_pieces(text: &str) -> Vec<Range<usize>> {
        unicode_sentence_pieces(text).collect()
    }

    proptest::proptest! {
        #[test]
        fn ascii_sentences_match_the_unicode_reference(
            text in "[aAbZ0-9 .!?,;:\"'()\n\r\t-]{0,60}",
        ) {
            proptest::prop_assert_eq!(ascii_sentence_pieces(text.as_bytes()), reference_pieces(&text));
        }

        #[test]
        fn ascii_sentences_match_on_any_ascii(text in "[\\x00-\\x7f]{0,60}") {
            proptest::prop_assert_eq!(ascii_sentence_pieces(text.as_bytes()), reference_pieces(&text));
        }

        #[test]
        fn ascii_sentences_match_on_prose_like_text(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "Hi", "we", "U", "S", "e", "g", "3", "5", ".", "..", "...", "!", "?", "?!", ",",
                ":", ";", "-", ")", "(", "\"", "'", "[", "]", " ", "  ", "\n", "\r\n", "\r",
                "\t", "#", "*", "_", "/", "Mr", "etc",
            ]), 0..30),
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(ascii_sentence_pieces(text.as_bytes()), reference_pieces(&text));
        }

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
