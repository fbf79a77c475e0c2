//! The Language Server Protocol's framing over a byte stream (`Content-Length: N`, a blank
//! line, N bytes of JSON), read with limits so that bad input costs an error reply, never the
//! server: a header line past [`MAX_HEADER_LINE`] bytes, a body past the size limit (skipped
//! unread), a body that is not UTF-8 or not JSON, or JSON that is not a JSON-RPC message.
//! (`lsp_server`'s own reader stops the connection on any of these.)

use std::io::{self, BufRead, Read, Write};

use lsp_server::Message;
use serde_json::{json, Value};

/// Longest header line read; a longer one is skipped up to its end.
pub const MAX_HEADER_LINE: usize = 8 * 1024;

/// The largest message body accepted by default (an editor sends whole documents).
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// JSON-RPC error codes.
pub const PARSE_ERROR: i32 = -32700;
pub const INVALID_REQUEST: i32 = -32600;

/// One framed message, or why one could not be read.
#[derive(Debug)]
pub enum Incoming {
    Message(Message),
    /// Answered with an error response; `id` is the request's when it could be read.
    Invalid {
        id: Option<Value>,
        code: i32,
        message: String,
    },
}

/// Reads the next message; `None` at the end of the stream.
pub fn read(r: &mut impl BufRead, max_body: usize) -> io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut problem: Option<String> = None;
    let mut saw_header = false;
    loop {
        let Some(line) = read_line(r)? else {
            return Ok(None);
        };
        let line = match line {
            Line::Text(t) => t,
            Line::TooLong => {
                problem.get_or_insert_with(|| {
                    format!("a header line is longer than {MAX_HEADER_LINE} bytes")
                });
                saw_header = true;
                continue;
            }
        };
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages.
            continue;
        }
        saw_header = true;
        let Some((name, value)) = line.split_once(':') else {
            problem.get_or_insert_with(|| format!("malformed header line {line:?}"));
            continue;
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            match value.trim().parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => {
                    problem.get_or_insert_with(|| format!("bad Content-Length {:?}", value.trim()));
                }
            }
        }
    }
    let Some(length) = length else {
        return Ok(Some(invalid(
            None,
            PARSE_ERROR,
            problem.unwrap_or_else(|| "a message without Content-Length".to_string()),
        )));
    };
    if length > max_body {
        let skipped = io::copy(&mut r.by_ref().take(length as u64), &mut io::sink())?;
        if skipped < length as u64 {
            return Ok(None);
        }
        return Ok(Some(invalid(
            None,
            INVALID_REQUEST,
            format!("a message of {length} bytes is larger than the limit of {max_body} bytes"),
        )));
    }
    let mut body = vec![0; length];
    if let Err(e) = r.read_exact(&mut body) {
        return match e.kind() {
            io::ErrorKind::UnexpectedEof => Ok(None),
            _ => Err(e),
        };
    }
    if let Some(problem) = problem {
        return Ok(Some(invalid(None, PARSE_ERROR, problem)));
    }
    Ok(Some(parse(&body)))
}

/// A message body as a JSON-RPC message.
pub fn parse(body: &[u8]) -> Incoming {
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            return invalid(
                None,
                PARSE_ERROR,
                format!("the message is not UTF-8 (at byte {})", e.valid_up_to()),
            )
        }
    };
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return invalid(
                None,
                PARSE_ERROR,
                format!(
                    "the message is not JSON: {e} (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            )
        }
    };
    let id = value.get("id").cloned();
    // A response carries a result or an error; without them (or a method) it is nothing.
    let kind_known = ["method", "result", "error"]
        .iter()
        .any(|k| value.get(k).is_some());
    if !kind_known {
        return invalid(
            id,
            INVALID_REQUEST,
            "not a JSON-RPC request, response or notification".to_string(),
        );
    }
    match serde_json::from_value::<Message>(value) {
        Ok(m) => Incoming::Message(m),
        Err(_) => invalid(
            id,
            INVALID_REQUEST,
            "not a JSON-RPC request, response or notification".to_string(),
        ),
    }
}

fn invalid(id: Option<Value>, code: i32, message: String) -> Incoming {
    Incoming::Invalid { id, code, message }
}

enum Line {
    Text(String),
    TooLong,
}

/// One header line, read at most [`MAX_HEADER_LINE`] bytes at a time; `None` at the end.
fn read_line(r: &mut impl BufRead) -> io::Result<Option<Line>> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(if line.is_empty() && !too_long {
                None
            } else {
                Some(finish(line, too_long))
            });
        }
        let (chunk, done) = match memchr::memchr(b'\n', buf) {
            Some(i) => (&buf[..=i], true),
            None => (buf, false),
        };
        let used = chunk.len();
        if !too_long {
            line.extend_from_slice(chunk);
            if line.len() > MAX_HEADER_LINE {
                too_long = true;
                line = Vec::new();
            }
        }
        r.consume(used);
        if done {
            return Ok(Some(finish(line, too_long)));
        }
    }
}

fn finish(line: Vec<u8>, too_long: bool) -> Line {
    if too_long {
        return Line::TooLong;
    }
    Line::Text(String::from_utf8_lossy(&line).into_owned())
}

/// Writes one message.
pub fn write(w: &mut impl Write, message: &Message) -> io::Result<()> {
    message.write(w)
}

/// Writes the error response for an invalid message (`id` null when it could not be read).
pub fn write_invalid(
    w: &mut impl Write,
    id: Option<Value>,
    code: i32,
    message: &str,
) -> io::Result<()> {
    let body = json!({
        "jsonrpc": "2.0",
        "id": id.unwrap_or(Value::Null),
        "error": { "code": code, "message": message },
    })
    .to_string();
    write!(w, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &[u8]) -> Vec<u8> {
        let mut out = format!("Content-Length: {}\r\n\r\n", body.len()).into_bytes();
        out.extend_from_slice(body);
        out
    }

    #[test]
    fn bad_messages_are_errors_and_the_stream_goes_on() {
        let mut input = Vec::new();
        input.extend(frame(b"{not json"));
        input.extend(frame(&[0xff, 0xfe, b'{', b'}']));
        input.extend(frame(br#"{"id": 7, "weird": true}"#));
        input.extend(frame(&[b' '; 100]));
        input.extend(frame(br#"{"jsonrpc":"2.0","method":"exit"}"#));
        let mut r = io::Cursor::new(input);
        let mut codes = Vec::new();
        while let Some(m) = read(&mut r, 50).unwrap() {
            codes.push(match m {
                Incoming::Message(Message::Notification(n)) => n.method,
                Incoming::Invalid { id, code, .. } => format!("{code} {id:?}"),
                other => format!("{other:?}"),
            });
        }
        assert_eq!(
            codes,
            [
                "-32700 None",
                "-32700 None",
                "-32600 Some(Number(7))",
                "-32600 None",
                "exit"
            ]
        );
    }

    proptest::proptest! {
        /// Any stream, made of pieces of messages and noise, is read to its end: each read gives
        /// a message, an error to answer, or the end, and never loops without consuming.
        #[test]
        fn any_stream_is_read_to_its_end(
            pieces in proptest::collection::vec(
                proptest::prop_oneof![
                    proptest::strategy::Just(b"Content-Length: 7\r\n".to_vec()),
                    proptest::strategy::Just(b"Content-Length: 99999999999999999999\r\n".to_vec()),
                    proptest::strategy::Just(b"\r\n".to_vec()),
                    proptest::strategy::Just(br#"{"id":1,"method":"x"}"#.to_vec()),
                    proptest::collection::vec(proptest::prelude::any::<u8>(), 0..40),
                ],
                0..30,
            )
        ) {
            let bytes: Vec<u8> = pieces.concat();
            let total = bytes.len();
            let mut r = io::Cursor::new(bytes);
            let mut reads = 0;
            while read(&mut r, 64).unwrap().is_some() {
                reads += 1;
                proptest::prop_assert!(reads <= total, "more messages than bytes");
            }
        }
    }

    #[test]
    fn a_huge_header_line_is_skipped() {
        let mut input = vec![b'X'; MAX_HEADER_LINE * 3];
        input.extend(b"\r\nContent-Length: 2\r\n\r\n{}");
        let mut r = io::Cursor::new(input);
        let first = read(&mut r, 1000).unwrap().unwrap();
        assert!(
            matches!(
                first,
                Incoming::Invalid {
                    code: PARSE_ERROR,
                    ..
                }
            ),
            "{first:?}"
        );
        assert!(read(&mut r, 1000).unwrap().is_none());
    }
}
