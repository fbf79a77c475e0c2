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
    text.split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(|c| c.is_alphanumeric()))
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

    #[test]
    fn words_skip_punctuation_and_space() {
        let w: Vec<_> = words("we'll refund, today").map(|(_, w)| w).collect();
        assert_eq!(w, ["we'll", "refund", "today"]);
    }
}
