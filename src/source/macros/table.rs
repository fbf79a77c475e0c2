//! CSV exports: one column of cells, each with a map back to the file's bytes.
//!
//! The `csv` crate parses the file (quoting, `""` escapes, CRLF, ragged rows as errors with a
//! line number) and says where each record starts; the chosen cell is then located from there
//! in the raw bytes, its `""` escapes mapped, and the result checked against the crate's value.

use std::ops::Range;

use super::TextField;
use crate::diagnostic::LineIndex;
use crate::document::OffsetMap;
use crate::source::json_strings::Step;

/// Column names tried, in order, when none is given.
pub const BODY_COLUMNS: &[&str] = &["body", "content", "text", "message", "reply"];
/// Column names that mark a CSV as a list of macros (with a body column).
pub const TITLE_COLUMNS: &[&str] = &["title", "name", "subject", "shortcut"];

/// Why a CSV file cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvProblem {
    /// The file is not valid CSV.
    Invalid { line: usize, message: String },
    /// The column asked for is not in the header.
    NoSuchColumn { asked: String, columns: Vec<String> },
    /// No column was asked for and none has a body-like name.
    NoBodyColumn { columns: Vec<String> },
}

/// The cells of the body column.
#[derive(Debug)]
pub struct Column {
    pub name: String,
    /// Whether the header also has a title-like column (the file looks like a macro list).
    pub titled: bool,
    pub cells: Vec<TextField>,
}

fn normalise(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .to_ascii_lowercase()
}

/// Reads the column named `asked` (or the first body-like column) of the CSV `text`.
pub fn column(text: &str, asked: Option<&str>) -> Result<Column, CsvProblem> {
    let invalid = |e: csv::Error| CsvProblem::Invalid {
        line: e
            .position()
            .map_or(1, |p| line_of(text, record_start(text, p.byte() as usize))),
        message: match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => format!("a row has {len} fields where the header has {expected_len}"),
            csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".to_string(),
            _ => e.to_string(),
        },
    };
    // The csv crate reads an unclosed quote to the end of the file as one cell: refused here,
    // at the line where the quote opens.
    if let Some(open) = unterminated_quote(text.as_bytes()) {
        return Err(CsvProblem::Invalid {
            line: line_of(text, open),
            message: "a quoted field opened on this line is never closed (it would swallow the rest of the file)".to_string(),
        });
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().map_err(invalid)?.clone();
    let columns: Vec<String> = headers.iter().map(|h| h.trim().to_string()).collect();
    let names: Vec<String> = headers.iter().map(normalise).collect();
    let index = match asked {
        Some(a) => names
            .iter()
            .position(|n| *n == normalise(a))
            .ok_or_else(|| CsvProblem::NoSuchColumn {
                asked: a.to_string(),
                columns: columns.clone(),
            })?,
        None => BODY_COLUMNS
            .iter()
            .find_map(|want| names.iter().position(|n| n == want))
            .ok_or_else(|| CsvProblem::NoBodyColumn {
                columns: columns.clone(),
            })?,
    };
    let titled = names.iter().any(|n| TITLE_COLUMNS.contains(&n.as_str()));
    let mut cells = Vec::new();
    let mut record = csv::StringRecord::new();
    let mut row = 0;
    while reader.read_record(&mut record).map_err(invalid)? {
        let Some(value) = record.get(index) else {
            continue;
        };
        let start = record_start(text, record.position().map_or(0, |p| p.byte() as usize));
        let (span, map) = locate(text, start, index, value);
        cells.push(TextField {
            path: vec![Step::Index(row), Step::Key(columns[index].clone())],
            value: value.to_string(),
            span,
            map,
        });
        row += 1;
    }
    Ok(Column {
        name: columns[index].clone(),
        titled,
        cells,
    })
}

/// Byte offset of a quote that opens a field and is never closed, if there is one: the
/// quoting the csv crate applies (a `"` at a field's start opens it, `""` inside is a quote,
/// the next lone `"` closes it), in one pass.
fn unterminated_quote(b: &[u8]) -> Option<usize> {
    let mut i = 0;
    let mut field_start = true;
    while i < b.len() {
        if field_start && b[i] == b'"' {
            let open = i;
            i += 1;
            loop {
                let Some(k) = memchr::memchr(b'"', &b[i..]) else {
                    return Some(open);
                };
                i += k + 1;
                if b.get(i) == Some(&b'"') {
                    i += 1;
                    continue;
                }
                break;
            }
            field_start = false;
            continue;
        }
        field_start = matches!(b[i], b',' | b'\n' | b'\r');
        i += 1;
    }
    None
}

/// The csv crate's record position can sit on the line break before the record (after a
/// `\r`); the record's first byte is past it.
fn record_start(text: &str, at: usize) -> usize {
    let b = text.as_bytes();
    let mut at = at.min(b.len());
    while at < b.len() && matches!(b[at], b'\r' | b'\n') {
        at += 1;
    }
    at
}

/// 1-based line of byte `at`.
fn line_of(text: &str, at: usize) -> usize {
    LineIndex::new(text).line_col(text, at).line
}

/// Finds field `index` of the record starting at byte `start`, and maps `value` into it.
fn locate(text: &str, start: usize, index: usize, value: &str) -> (Range<usize>, OffsetMap) {
    let b = text.as_bytes();
    let mut at = start;
    let mut field = None;
    for _ in 0..=index {
        let (raw, quoted, next) = field_at(b, at);
        field = Some((raw, quoted));
        at = next;
    }
    let Some((raw, quoted)) = field else {
        return whole(start..start, value);
    };
    if !quoted {
        if text.get(raw.clone()) == Some(value) {
            let mut map = OffsetMap::default();
            map.push_verbatim(raw.start, raw.len());
            return (raw, map);
        }
        return whole(raw, value);
    }
    let inner = raw.start + 1..raw.end.saturating_sub(1).max(raw.start + 1);
    let Some(s) = text.get(inner.clone()) else {
        return whole(raw, value);
    };
    let mut out = String::with_capacity(s.len());
    let mut map = OffsetMap::default();
    let mut last = 0;
    for (i, _) in s.match_indices("\"\"") {
        if i < last {
            continue;
        }
        out.push_str(&s[last..i]);
        map.push_verbatim(inner.start + last, i - last);
        out.push('"');
        map.push_replaced(inner.start + i..inner.start + i + 2, 1);
        last = i + 2;
    }
    out.push_str(&s[last..]);
    map.push_verbatim(inner.start + last, s.len() - last);
    if out == value {
        (raw, map)
    } else {
        whole(raw, value)
    }
}

/// A map that points every byte of `value` at the whole cell.
fn whole(range: Range<usize>, value: &str) -> (Range<usize>, OffsetMap) {
    let mut map = OffsetMap::default();
    map.push_replaced(range.clone(), value.len());
    (range, map)
}

/// The raw extent of the field starting at `at` (quotes included), whether it is quoted, and
/// where the next field starts.
fn field_at(b: &[u8], at: usize) -> (Range<usize>, bool, usize) {
    if b.get(at) == Some(&b'"') {
        let mut i = at + 1;
        while i < b.len() {
            if b[i] == b'"' {
                if b.get(i + 1) == Some(&b'"') {
                    i += 2;
                    continue;
                }
                break;
            }
            i += 1;
        }
        let end = (i + 1).min(b.len());
        let mut next = end;
        while next < b.len() && !matches!(b[next], b',' | b'\n' | b'\r') {
            next += 1;
        }
        return (at..end, true, next + 1);
    }
    let mut end = at;
    while end < b.len() && !matches!(b[end], b',' | b'\n' | b'\r') {
        end += 1;
    }
    (at..end, false, end + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_multiline_cells_with_doubled_quotes_map_back() {
        let text = "title,body\r\nRefund,\"Hi,\r\nWe apologize for any \"\"inconvenience\"\".\"\r\nPlain,Thanks for reaching out\r\n";
        let col = column(text, None).unwrap();
        assert_eq!(col.name, "body");
        assert!(col.titled);
        assert_eq!(col.cells.len(), 2);
        let c = &col.cells[0];
        assert_eq!(c.value, "Hi,\r\nWe apologize for any \"inconvenience\".");
        let at = c.value.find("\"inconvenience\"").unwrap();
        assert_eq!(
            &text[c.map.to_source(at..at + "\"inconvenience\"".len())],
            "\"\"inconvenience\"\""
        );
        let p = &col.cells[1];
        assert_eq!(
            &text[p.map.to_source(0..p.value.len())],
            "Thanks for reaching out"
        );
    }

    #[test]
    fn columns_are_guessed_or_named() {
        let text = "Name,Message\nx,hello\n";
        assert_eq!(column(text, None).unwrap().name, "Message");
        assert_eq!(column(text, Some("name")).unwrap().cells[0].value, "x");
        assert!(matches!(
            column(text, Some("reply")),
            Err(CsvProblem::NoSuchColumn { .. })
        ));
        assert!(matches!(
            column("a,b\n1,2\n", None),
            Err(CsvProblem::NoBodyColumn { .. })
        ));
    }

    proptest::proptest! {
        #[test]
        fn any_input_reads_or_fails_cleanly(rest in "([a-z,\"é ]|\r\n|\n)*") {
            let text = format!("title,body\n{rest}");
            if let Ok(col) = column(&text, None) {
                for f in col.cells {
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
    fn an_unclosed_quote_is_an_error_at_its_line() {
        let text = "title,body\nA,\"fine, \"\"quoted\"\"\"\nB,\"never closed\nC,swallowed\n";
        assert_eq!(
            column(text, None).unwrap_err(),
            CsvProblem::Invalid {
                line: 3,
                message: "a quoted field opened on this line is never closed (it would swallow the rest of the file)".to_string()
            }
        );
        assert_eq!(unterminated_quote(b"a,b\nx\"y,\"z\"\"\"\n"), None);
    }

    #[test]
    fn ragged_rows_are_errors_with_a_line() {
        let err = column("title,body\na,b\nc\n", None).unwrap_err();
        assert!(
            matches!(err, CsvProblem::Invalid { line: 3, .. }),
            "{err:?}"
        );
        let err = column("title,body\r\na,b\r\nc\r\n", None).unwrap_err();
        assert!(
            matches!(err, CsvProblem::Invalid { line: 3, .. }),
            "{err:?}"
        );
    }
}
