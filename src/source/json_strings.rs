//! String values of a JSON file with exact byte locations, for readers of JSON exports
//! (helpdesk macros, conversation threads) that must point findings inside the file.
//!
//! The file is validated with serde_json (strict JSON, bounded nesting depth, errors with line
//! and column), then located with jsonc-parser's syntax tree, whose string literals carry their
//! byte ranges. Escapes (`\n`, `\"`, `\u00e9`, surrogate pairs) are decoded here with a map
//! from each decoded byte back to the escape it came from.

use std::ops::Range;

use jsonc_parser::ast::{ObjectPropName, Value};
use jsonc_parser::{CollectOptions, ParseOptions};

use crate::document::OffsetMap;

/// One step of the path to a value: an object key or an array index.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// A string value found in a JSON file.
#[derive(Debug, Clone)]
pub struct JsonString {
    /// Keys and indices from the root to this value.
    pub path: Vec<Step>,
    /// The decoded value.
    pub value: String,
    /// Byte range of the literal in the file, quotes included.
    pub literal: Range<usize>,
    /// Maps `value`'s bytes to the file's.
    pub map: OffsetMap,
}

impl JsonString {
    /// The path as a dotted string, `actions.0.value`.
    pub fn dotted(&self) -> String {
        self.path
            .iter()
            .map(|s| match s {
                Step::Key(k) => k.clone(),
                Step::Index(i) => i.to_string(),
            })
            .collect::<Vec<_>>()
            .join(".")
    }

    /// The last key on the path (the field's name), if any.
    pub fn key(&self) -> Option<&str> {
        self.path.iter().rev().find_map(|s| match s {
            Step::Key(k) => Some(k.as_str()),
            Step::Index(_) => None,
        })
    }
}

/// Why a file is not JSON we can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Every string value (not keys) in `text`, in document order.
pub fn strings(text: &str) -> Result<Vec<JsonString>, JsonError> {
    // Strict validation first: jsonc-parser is lenient (comments, trailing commas) and
    // recursive; serde_json rejects non-JSON and nesting deeper than 128 levels.
    serde_json::from_str::<serde::de::IgnoredAny>(text).map_err(|e| JsonError {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line ")
            .next()
            .unwrap_or_default()
            .to_string(),
    })?;
    let parsed =
        jsonc_parser::parse_to_ast(text, &CollectOptions::default(), &ParseOptions::default())
            .map_err(|e| JsonError {
                // serde_json does not bound nesting when it only skips values; jsonc-parser
                // stops at 512 levels and names where.
                line: e.line_display(),
                column: e.column_display(),
                message: e.kind().to_string(),
            })?;
    let mut out = Vec::new();
    if let Some(value) = &parsed.value {
        collect(text, value, &mut Vec::new(), &mut out);
    }
    Ok(out)
}

fn collect(text: &str, value: &Value<'_>, path: &mut Vec<Step>, out: &mut Vec<JsonString>) {
    match value {
        Value::StringLit(s) => {
            let literal = s.range.start..s.range.end;
            if let Some((decoded, map)) = decode_literal(text, literal.clone()) {
                out.push(JsonString {
                    path: path.clone(),
                    value: decoded,
                    literal,
                    map,
                });
            }
        }
        Value::Object(o) => {
            for prop in &o.properties {
                let key = match &prop.name {
                    ObjectPropName::String(s) => s.value.to_string(),
                    ObjectPropName::Word(w) => w.value.to_string(),
                };
                path.push(Step::Key(key));
                collect(text, &prop.value, path, out);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, el) in a.elements.iter().enumerate() {
                path.push(Step::Index(i));
                collect(text, el, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

/// Decodes the JSON string literal at `literal` (quotes included), mapping decoded bytes back.
fn decode_literal(text: &str, literal: Range<usize>) -> Option<(String, OffsetMap)> {
    let raw = text.get(literal.start + 1..literal.end.checked_sub(1)?)?;
    let base = literal.start + 1;
    let mut decoded = String::with_capacity(raw.len());
    let mut map = OffsetMap::default();
    let bytes = raw.as_bytes();
    let mut i = 0;
    let mut run_start = 0;
    while i < bytes.len() {
        if bytes[i] != b'\\' {
            i += 1;
            continue;
        }
        // Flush the verbatim run before the escape.
        decoded.push_str(&raw[run_start..i]);
        map.push_verbatim(base + run_start, i - run_start);
        let (ch, len) = escape_at(raw, i)?;
        let before = decoded.len();
        decoded.push(ch);
        map.push_replaced(base + i..base + i + len, decoded.len() - before);
        i += len;
        run_start = i;
    }
    decoded.push_str(&raw[run_start..]);
    map.push_verbatim(base + run_start, raw.len() - run_start);
    Some((decoded, map))
}

/// The character an escape at `raw[i]` (a backslash) stands for, and its length in bytes.
fn escape_at(raw: &str, i: usize) -> Option<(char, usize)> {
    let b = raw.as_bytes();
    let simple = match *b.get(i + 1)? {
        b'n' => '\n',
        b't' => '\t',
        b'r' => '\r',
        b'b' => '\u{8}',
        b'f' => '\u{c}',
        b'"' => '"',
        b'\'' => '\'',
        b'\\' => '\\',
        b'/' => '/',
        b'u' => {
            let hi = u32::from_str_radix(raw.get(i + 2..i + 6)?, 16).ok()?;
            if (0xD800..0xDC00).contains(&hi) {
                // A surrogate pair: `\uD83D\uDE00`.
                if raw.get(i + 6..i + 8) == Some("\\u") {
                    let lo = u32::from_str_radix(raw.get(i + 8..i + 12)?, 16).ok()?;
                    if (0xDC00..0xE000).contains(&lo) {
                        let c = char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?;
                        return Some((c, 12));
                    }
                }
                return Some(('\u{FFFD}', 6));
            }
            return Some((char::from_u32(hi).unwrap_or('\u{FFFD}'), 6));
        }
        _ => return None,
    };
    Some((simple, 2))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoded_bytes_map_back_into_the_literal() {
        let text = r#"{"actions": [{"field": "comment_value", "value": "Hi\nWe apologize \u00e9 \"now\" 😀 \ud83d\ude00 end"}]}"#;
        let all = strings(text).unwrap();
        let v = all.iter().find(|s| s.key() == Some("value")).unwrap();
        assert_eq!(v.dotted(), "actions.0.value");
        assert_eq!(v.value, "Hi\nWe apologize é \"now\" 😀 😀 end");
        let find = |needle: &str| {
            let at = v.value.find(needle).unwrap();
            &text[v.map.to_source(at..at + needle.len())]
        };
        assert_eq!(find("apologize"), "apologize");
        assert_eq!(find("é"), r"\u00e9");
        assert_eq!(find("\"now\""), r#"\"now\""#);
        assert_eq!(find("\nWe"), r"\nWe");
        assert_eq!(find("😀 😀"), r"😀 \ud83d\ude00");
        assert_eq!(find("end"), "end");
    }

    #[test]
    fn invalid_json_names_line_and_column() {
        let err = strings("{\n  \"a\": [1,\n}").unwrap_err();
        assert_eq!(err.line, 3);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000) + &"]".repeat(100_000);
        assert!(strings(&deep).is_err());
    }

    #[test]
    fn deep_nesting_names_the_line_and_column_where_it_stops() {
        let deep = format!("{{\n  \"a\": {}{}}}", "[".repeat(600), "]".repeat(600));
        let err = strings(&deep).unwrap_err();
        // Line 2 opens with `  "a": `, so its first `[` is column 8; with the object around
        // them, the 511th `[` (column 518) is where jsonc-parser's 512 levels run out.
        assert_eq!((err.line, err.column), (2, 8 + 510), "{err}");
        assert!(!err.message.contains(" on line "), "{err}");
    }
}
