//! Scalar values of a YAML file with their paths and a map back to the file's bytes.
//!
//! saphyr-parser reads the file into events, each with the position of its scalar (counted in
//! characters, converted here to bytes). The parser also gives each scalar's value; this module
//! rebuilds that value from the source (line folding, `''` and `\` escapes, block indentation)
//! alongside a map, and keeps the map only when the rebuilt value matches the parser's exactly.
//! When it does not (an unusual block header, say), the whole scalar is one mapped piece: a
//! finding then covers the whole scalar rather than a wrong part of it.

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::TextField;
use crate::document::OffsetMap;
use crate::source::json_strings::Step;

/// Why a file is not YAML we can read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Converts the parser's character offsets to byte offsets.
struct CharIndex {
    /// Byte offset of each character, plus the text's length at the end; empty for ASCII.
    bytes: Vec<usize>,
    len: usize,
}

impl CharIndex {
    fn new(text: &str) -> Self {
        let bytes = if text.is_ascii() {
            Vec::new()
        } else {
            text.char_indices()
                .map(|(b, _)| b)
                .chain(std::iter::once(text.len()))
                .collect()
        };
        CharIndex {
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

/// Where the parser is: inside which mappings and sequences.
enum Frame {
    Seq { next: usize },
    Map { key: Option<String> },
}

/// Every scalar value (not keys) in `text`, in document order.
pub fn scalars(text: &str) -> Result<Vec<TextField>, YamlError> {
    Ok(documents(text)?.into_iter().flatten().collect())
}

/// [`scalars`], one list per document (`---`) of a multi-document stream; paths start at each
/// document's root.
pub fn documents(text: &str) -> Result<Vec<Vec<TextField>>, YamlError> {
    let mut docs: Vec<Vec<TextField>> = Vec::new();
    let index = CharIndex::new(text);
    let mut out = Vec::new();
    let mut stack: Vec<Frame> = Vec::new();
    // Depth of containers being read as a mapping key (`? [a, b]: value`); their scalars are
    // not values.
    let mut in_complex_key = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| YamlError {
            line: e.marker().line(),
            column: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        match event {
            Event::DocumentStart(_) => {
                stack.clear();
                docs.push(std::mem::take(&mut out));
            }
            Event::Scalar(value, style, _, _) => {
                if in_complex_key > 0 {
                    continue;
                }
                if let Some(Frame::Map { key }) = stack.last_mut() {
                    if key.is_none() {
                        *key = Some(value.into_owned());
                        continue;
                    }
                }
                let range = index.byte(span.start.index())..index.byte(span.end.index());
                let map = scalar_map(text, range.clone(), style, &value);
                out.push(TextField {
                    path: path_of(&stack),
                    value: value.into_owned(),
                    span: range,
                    map,
                });
                value_done(&mut stack);
            }
            Event::Alias(_) if in_complex_key == 0 => {
                if let Some(Frame::Map { key }) = stack.last_mut() {
                    if key.is_none() {
                        *key = Some("*".to_string());
                        continue;
                    }
                }
                value_done(&mut stack);
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                let is_key = matches!(stack.last(), Some(Frame::Map { key: None }));
                if in_complex_key > 0 || is_key {
                    in_complex_key += 1;
                    continue;
                }
                stack.push(if matches!(event, Event::SequenceStart(..)) {
                    Frame::Seq { next: 0 }
                } else {
                    Frame::Map { key: None }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if in_complex_key > 0 {
                    in_complex_key -= 1;
                    if in_complex_key == 0 {
                        if let Some(Frame::Map { key }) = stack.last_mut() {
                            *key = Some("?".to_string());
                        }
                    }
                    continue;
                }
                stack.pop();
                value_done(&mut stack);
            }
            _ => {}
        }
    }
    docs.push(out);
    // The list before the first document start holds nothing (or a bare document's values).
    if docs.len() > 1 && docs[0].is_empty() {
        docs.remove(0);
    }
    Ok(docs)
}

fn path_of(stack: &[Frame]) -> Vec<Step> {
    stack
        .iter()
        .map(|f| match f {
            Frame::Seq { next } => Step::Index(*next),
            Frame::Map { key } => Step::Key(key.clone().unwrap_or_default()),
        })
        .collect()
}

/// A value has been read in the innermost container: move to its next entry.
fn value_done(stack: &mut [Frame]) {
    match stack.last_mut() {
        Some(Frame::Seq { next }) => *next += 1,
        Some(Frame::Map { key }) => *key = None,
        None => {}
    }
}

/// The map from `value`'s bytes to the scalar at `range` in `text`.
fn scalar_map(text: &str, range: Range<usize>, style: ScalarStyle, value: &str) -> OffsetMap {
    let rebuilt = match style {
        ScalarStyle::Plain => Some(fold_flow(text, range.clone(), Quotes::None)),
        ScalarStyle::SingleQuoted => {
            strip_quotes(text, &range, b'\'').map(|inner| fold_flow(text, inner, Quotes::Single))
        }
        ScalarStyle::DoubleQuoted => {
            strip_quotes(text, &range, b'"').map(|inner| fold_flow(text, inner, Quotes::Double))
        }
        ScalarStyle::Literal => Some(block(text, range.clone(), false, value)),
        ScalarStyle::Folded => Some(block(text, range.clone(), true, value)),
    };
    match rebuilt {
        Some((s, map)) if s == value => map,
        _ => {
            let mut map = OffsetMap::default();
            map.push_replaced(range, value.len());
            map
        }
    }
}

fn strip_quotes(text: &str, range: &Range<usize>, quote: u8) -> Option<Range<usize>> {
    let b = text.as_bytes();
    (range.len() >= 2 && b[range.start] == quote && b[range.end - 1] == quote)
        .then(|| range.start + 1..range.end - 1)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quotes {
    None,
    Single,
    Double,
}

/// Lines of `text[range]` as (start, end) byte ranges, without line breaks.
fn lines(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = range.start;
    for (i, b) in text.as_bytes()[range.clone()].iter().enumerate() {
        if *b == b'\n' {
            let mut end = range.start + i;
            if end > start && text.as_bytes()[end - 1] == b'\r' {
                end -= 1;
            }
            out.push(start..end);
            start = range.start + i + 1;
        }
    }
    out.push(start..range.end);
    out
}

/// Rebuilds a plain or quoted scalar: each line's text copied (or unescaped), line breaks
/// folded to a space, blank lines kept as line breaks.
fn fold_flow(text: &str, inner: Range<usize>, quotes: Quotes) -> (String, OffsetMap) {
    let mut out = String::new();
    let mut map = OffsetMap::default();
    let all = lines(text, inner);
    let last = all.len() - 1;
    let mut blank_run = 0usize;
    // Source end of the last content written, where a folded break starts.
    let mut prev_end: Option<usize> = None;
    let mut joined_by_escape = false;
    for (i, line) in all.iter().enumerate() {
        let mut s = line.start;
        let mut e = line.end;
        let b = text.as_bytes();
        if i > 0 {
            while s < e && matches!(b[s], b' ' | b'\t') {
                s += 1;
            }
        }
        if i < last {
            while e > s && matches!(b[e - 1], b' ' | b'\t') {
                e -= 1;
            }
        }
        if s == e && i > 0 && i < last {
            blank_run += 1;
            continue;
        }
        let mut content = s..e;
        let mut escaped_break = false;
        if quotes == Quotes::Double && i < last {
            let trailing = text[content.clone()]
                .bytes()
                .rev()
                .take_while(|c| *c == b'\\')
                .count();
            if trailing % 2 == 1 {
                escaped_break = true;
                content.end -= 1;
            }
        }
        if let Some(pe) = prev_end {
            if !joined_by_escape {
                let sep = if blank_run == 0 {
                    " ".to_string()
                } else {
                    "\n".repeat(blank_run)
                };
                out.push_str(&sep);
                map.push_replaced(pe..content.start, sep.len());
            }
        }
        blank_run = 0;
        joined_by_escape = escaped_break;
        match quotes {
            Quotes::None => {
                out.push_str(&text[content.clone()]);
                map.push_verbatim(content.start, content.len());
            }
            Quotes::Single => unquote_single(text, content.clone(), &mut out, &mut map),
            Quotes::Double => unescape_double(text, content.clone(), &mut out, &mut map),
        }
        prev_end = Some(if escaped_break {
            content.end + 1
        } else {
            content.end
        });
    }
    (out, map)
}

fn unquote_single(text: &str, r: Range<usize>, out: &mut String, map: &mut OffsetMap) {
    let s = &text[r.clone()];
    let mut last = 0;
    for (i, _) in s.match_indices("''") {
        if i < last {
            continue;
        }
        out.push_str(&s[last..i]);
        map.push_verbatim(r.start + last, i - last);
        out.push('\'');
        map.push_replaced(r.start + i..r.start + i + 2, 1);
        last = i + 2;
    }
    out.push_str(&s[last..]);
    map.push_verbatim(r.start + last, s.len() - last);
}

fn unescape_double(text: &str, r: Range<usize>, out: &mut String, map: &mut OffsetMap) {
    let s = &text[r.clone()];
    let b = s.as_bytes();
    let mut i = 0;
    let mut run = 0;
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        out.push_str(&s[run..i]);
        map.push_verbatim(r.start + run, i - run);
        let (ch, len) = yaml_escape(s, i).unwrap_or(('\\', 1));
        let before = out.len();
        out.push(ch);
        map.push_replaced(r.start + i..r.start + i + len, out.len() - before);
        i += len;
        run = i;
    }
    out.push_str(&s[run..]);
    map.push_verbatim(r.start + run, s.len() - run);
}

/// The character a YAML double-quoted escape at `s[i]` (a backslash) stands for, and its length.
fn yaml_escape(s: &str, i: usize) -> Option<(char, usize)> {
    let hex = |len: usize| -> Option<(char, usize)> {
        let code = u32::from_str_radix(s.get(i + 2..i + 2 + len)?, 16).ok()?;
        Some((char::from_u32(code)?, 2 + len))
    };
    let c = match *s.as_bytes().get(i + 1)? {
        b'0' => '\0',
        b'a' => '\u{7}',
        b'b' => '\u{8}',
        b't' | b'\t' => '\t',
        b'n' => '\n',
        b'v' => '\u{b}',
        b'f' => '\u{c}',
        b'r' => '\r',
        b'e' => '\u{1b}',
        b' ' => ' ',
        b'"' => '"',
        b'/' => '/',
        b'\\' => '\\',
        b'N' => '\u{85}',
        b'_' => '\u{a0}',
        b'L' => '\u{2028}',
        b'P' => '\u{2029}',
        b'x' => return hex(2),
        b'u' => return hex(4),
        b'U' => return hex(8),
        _ => return None,
    };
    Some((c, 2))
}

/// Rebuilds a literal (`|`) or folded (`>`) block scalar whose content starts at `range.start`
/// (the parser's start, after the indentation of the first line). Chomping is taken from
/// `value`: its trailing line breaks map to the line breaks after the last content line.
fn block(text: &str, range: Range<usize>, folded: bool, value: &str) -> (String, OffsetMap) {
    let line_start = text[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let indent = range.start - line_start;
    let mut out = String::new();
    let mut map = OffsetMap::default();
    // Blank lines before the first content line (the parser starts the scalar after them).
    let leading = value.len() - value.trim_start_matches('\n').len();
    if leading > 0 && leading < value.len() {
        out.push_str(&"\n".repeat(leading));
        map.push_replaced(range.start..range.start, leading);
    }
    let b = text.as_bytes();
    // (content range, more indented?) per non-blank line, and blank lines before each.
    let mut prev: Option<(usize, bool)> = None;
    let mut blanks = 0usize;
    let mut last_content_end = range.start;
    for (i, line) in lines(text, line_start..range.end).into_iter().enumerate() {
        let content = if line.len() >= indent
            && b[line.start..line.start + indent]
                .iter()
                .all(|c| *c == b' ')
        {
            line.start + indent..line.end
        } else if b[line.clone()].iter().all(|c| *c == b' ') {
            line.end..line.end
        } else if i == 0 {
            range.start..line.end
        } else {
            break;
        };
        if content.is_empty() {
            blanks += 1;
            continue;
        }
        let more = matches!(b[content.start], b' ' | b'\t');
        if let Some((pe, prev_more)) = prev {
            let sep = if folded && !more && !prev_more {
                if blanks == 0 {
                    " ".to_string()
                } else {
                    "\n".repeat(blanks)
                }
            } else {
                "\n".repeat(blanks + 1)
            };
            out.push_str(&sep);
            map.push_replaced(pe..content.start, sep.len());
        }
        blanks = 0;
        out.push_str(&text[content.clone()]);
        map.push_verbatim(content.start, content.len());
        prev = Some((content.end, more));
        last_content_end = content.end;
    }
    let trailing = value.len() - value.trim_end_matches('\n').len();
    if trailing > 0 {
        let after = last_content_end..range.end.max(last_content_end);
        out.push_str(&"\n".repeat(trailing));
        map.push_replaced(after, trailing);
    }
    (out, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field<'a>(all: &'a [TextField], key: &str) -> &'a TextField {
        all.iter()
            .find(|f| f.path.last() == Some(&Step::Key(key.to_string())))
            .unwrap_or_else(|| panic!("no field {key}"))
    }

    fn slice<'a>(text: &'a str, f: &TextField, needle: &str) -> &'a str {
        let at = f
            .value
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {:?}", f.value));
        &text[f.map.to_source(at..at + needle.len())]
    }

    const DOC: &str = "- title: \"Refund é\"\n  plain: We apologize for any\n    inconvenience caused.\n  quoted: 'It''s done, we''re sorry'\n  dq: \"Line\\nnext \\u00e9 and\n    folded \\\n    joined\"\n  lit: |\n    Hello there,\n      indented\n    We apologize for any inconvenience.\n\n  fold: >-\n    Folded one\n    two\n\n    three\n  last: x\n";

    #[test]
    fn every_style_maps_back_exactly() {
        let all = scalars(DOC).unwrap();
        let plain = field(&all, "plain");
        assert_eq!(plain.value, "We apologize for any inconvenience caused.");
        assert_eq!(
            slice(DOC, plain, "any inconvenience"),
            "any\n    inconvenience"
        );
        assert_eq!(slice(DOC, plain, "caused"), "caused");
        let quoted = field(&all, "quoted");
        assert_eq!(slice(DOC, quoted, "we're sorry"), "we''re sorry");
        let dq = field(&all, "dq");
        assert_eq!(dq.value, "Line\nnext é and folded joined");
        assert_eq!(slice(DOC, dq, "é"), "\\u00e9");
        assert_eq!(slice(DOC, dq, "folded"), "folded");
        assert_eq!(slice(DOC, dq, "joined"), "joined");
        let lit = field(&all, "lit");
        assert_eq!(
            lit.value,
            "Hello there,\n  indented\nWe apologize for any inconvenience.\n"
        );
        assert_eq!(
            slice(DOC, lit, "apologize for any inconvenience"),
            "apologize for any inconvenience"
        );
        assert_eq!(slice(DOC, lit, "indented"), "indented");
        let fold = field(&all, "fold");
        assert_eq!(fold.value, "Folded one two\nthree");
        assert_eq!(slice(DOC, fold, "one two"), "one\n    two");
        assert_eq!(slice(DOC, fold, "three"), "three");
        assert_eq!(
            field(&all, "title").path,
            vec![Step::Index(0), Step::Key("title".into())]
        );
    }

    #[test]
    fn unusual_scalars_fall_back_to_the_whole_scalar() {
        let text = "a: |2\n    two extra\n";
        let all = scalars(text).unwrap();
        let f = field(&all, "a");
        let r = f.map.to_source(0..f.value.len());
        assert!(text[r].contains("two extra"));
    }

    #[test]
    fn errors_name_the_line() {
        let err = scalars("a: 1\nb: [1, 2\nc: 3\n").unwrap_err();
        assert!(err.line >= 2, "{err:?}");
        assert!(!err.message.is_empty());
    }

    proptest::proptest! {
        #[test]
        fn any_input_parses_or_fails_cleanly(text in "([a-z:\\-|>'\"#\\[\\]{},é ]|\n  |\n)*") {
            if let Ok(all) = scalars(&text) {
                for f in all {
                    proptest::prop_assert_eq!(f.value.len(), f.map.prose_len());
                    for (i, c) in f.value.char_indices() {
                        let r = f.map.to_source(i..i + c.len_utf8());
                        proptest::prop_assert!(text.get(r.clone()).is_some(), "{:?} -> {:?}", c, r);
                    }
                }
            }
        }
    }

    #[test]
    fn deep_nesting_is_an_error_or_fine_not_a_crash() {
        let deep = "[".repeat(50_000) + &"]".repeat(50_000);
        let _ = scalars(&deep);
    }
}
