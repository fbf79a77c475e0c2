//! One folding of typographic quotes and apostrophes for the models: Gmail, Word, Docs and
//! `&rsquo;` write "Don’t", the corpus mostly "Don't", and both must read the same.

/// The ASCII stand-in for a typographic quote or apostrophe, if `c` is one.
pub fn fold_char(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201B}' | '\u{02BC}' | '\u{FF07}' | '\u{2032}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201F}' | '\u{FF02}' | '\u{2033}' => Some('"'),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typographic_quotes_fold_to_ascii_and_others_stay() {
        let folded: String = "Don’t “wait”"
            .chars()
            .map(|c| fold_char(c).unwrap_or(c))
            .collect();
        assert_eq!(folded, "Don't \"wait\"");
        assert_eq!(fold_char('a'), None);
    }
}
