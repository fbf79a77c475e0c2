//! Byte offsets to and from editor positions (0-based line, character), with characters
//! counted in the unit the client and server agreed on: UTF-8 bytes, or UTF-16 code units
//! (the protocol's default). Findings stay in bytes until this step, like every reporter.

use std::ops::Range;

use lsp_types::{Position, Range as LspRange};

/// The unit a position's `character` counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Utf8,
    Utf16,
}

/// Line starts of one text, for converting many offsets.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
    unit: Unit,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str, unit: Unit) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts, unit }
    }

    /// The position of byte `offset` (clamped into the text, onto a character boundary).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let before = &self.text[self.starts[line]..offset];
        let character = match self.unit {
            Unit::Utf8 => before.len(),
            Unit::Utf16 => before.encode_utf16().count(),
        };
        Position::new(line as u32, character as u32)
    }

    pub fn range(&self, span: &Range<usize>) -> LspRange {
        LspRange::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of `pos`: past the end of its line is the line's end, past the last line
    /// is the end of the text, inside a character is that character's start.
    pub fn offset(&self, pos: Position) -> usize {
        let Some(&start) = self.starts.get(pos.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(pos.line as usize + 1)
            .map_or(self.text.len(), |next| next - 1);
        let line = &self.text[start..end];
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= pos.character as usize {
                return start + i;
            }
            units += match self.unit {
                Unit::Utf8 => c.len_utf8(),
                Unit::Utf16 => c.len_utf16(),
            };
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_positions_count_surrogate_pairs_twice() {
        let text = "a🙂b\nxé";
        let lines = Lines::new(text, Unit::Utf16);
        let b = text.find('b').unwrap();
        assert_eq!(lines.position(b), Position::new(0, 3));
        assert_eq!(lines.offset(Position::new(0, 3)), b);
        let e = text.find('é').unwrap();
        assert_eq!(lines.position(e), Position::new(1, 1));
        assert_eq!(lines.offset(Position::new(1, 9)), text.len());
        assert_eq!(lines.offset(Position::new(7, 0)), text.len());
    }

    #[test]
    fn utf8_positions_are_bytes_in_the_line() {
        let text = "é\nab";
        let lines = Lines::new(text, Unit::Utf8);
        assert_eq!(lines.position(text.len()), Position::new(1, 2));
        assert_eq!(lines.offset(Position::new(0, 2)), 2);
        // Inside a character: its start.
        assert_eq!(lines.position(1), Position::new(0, 0));
    }
}
