//! Email files (`.eml`, RFC 5322 with MIME multipart, quoted-printable and base64), read with
//! the `mail-parser` crate.
//!
//! The first text body is the document. Its new text is the reply; the quoted part (`>` lines,
//! and everything from an "On …, X wrote:" or "-----Original Message-----" line on) is marked
//! quoted: the customer's words, which the question check reads when no `--inbound` is given.
//! Spans point into the `.eml` file: plain and quoted-printable bodies map byte for byte
//! (an `=E2=80=99` maps to its escape); a base64 body maps each piece to the whole encoded body.

use std::ops::Range;

use mail_parser::{Encoding, MessageParser, PartType};

use crate::check::Inbound;
use crate::document::{Document, Format, OffsetMap, Part};
use crate::questions::detect::is_attribution;
use crate::source::Input;

/// The reply in an email file, with its quoted part marked quoted. `None` when the file is
/// not an email with a text body.
pub fn parse(source: &str) -> Option<Document> {
    let (body, map) = {
        let message = MessageParser::default().parse(source.as_bytes())?;
        let part = message
            .text_body
            .first()
            .or(message.html_body.first())
            .and_then(|&id| message.parts.get(id))?;
        let decoded = match &part.body {
            PartType::Text(t) | PartType::Html(t) => t.to_string(),
            _ => return None,
        };
        let end = part.offset_end.min(source.len());
        let raw = part.offset_body.min(end)..end;
        let map = body_map(source, raw, part.encoding, &decoded);
        (decoded, map)
    };
    let split = quoted_from(&body);
    let mut parts = Vec::new();
    for (range, quoted) in [(0..split, false), (split..body.len(), true)] {
        if range.is_empty() {
            continue;
        }
        let mut inner = OffsetMap::default();
        inner.push_verbatim(range.start, range.len());
        parts.push(Part {
            text: body[range].to_string(),
            map: inner.compose(&map),
            format: Format::Text,
            quoted,
        });
    }
    Some(Document::from_parts(
        source.to_string(),
        Format::Text,
        parts,
    ))
}

/// `Message-ID` and `In-Reply-To` of an email file (without angle brackets).
pub fn ids(source: &str) -> (Option<String>, Option<String>) {
    let Some(message) = MessageParser::default().parse(source.as_bytes()) else {
        return (None, None);
    };
    let clean = |s: &str| s.trim().trim_matches(['<', '>']).to_string();
    let id = message.message_id().map(clean);
    let reply_to = message.in_reply_to().as_text().map(clean);
    (id, reply_to)
}

/// Pairs emails given together: when one input's `In-Reply-To` names another's `Message-ID`,
/// the earlier message becomes the reply's inbound (the customer's words). A message that
/// answers nothing but is answered is the customer's first message: it is not linted as a
/// reply itself. In a chain (a answers b, b answers c) every reply is linted with the message
/// it answers (a with b, b with c), so no email vanishes. Other inputs pass through in order.
pub fn pair(inputs: Vec<Input>) -> Vec<Input> {
    pair_by(inputs, |i| i, |i| i)
}

/// [`pair`] for items that each carry an [`Input`] (`input` borrows it, `into_input` takes
/// it out of an item that is folded into another). Each message's ids are read once and
/// looked up in a map, so pairing n emails costs O(n).
pub fn pair_by<T>(
    items: Vec<T>,
    input: impl Fn(&mut T) -> &mut Input,
    into_input: impl Fn(T) -> Input,
) -> Vec<T> {
    let mut items = items;
    let keys: Vec<(Option<String>, Option<String>)> = items
        .iter_mut()
        .map(|t| {
            let i = input(t);
            if i.path.to_ascii_lowercase().ends_with(".eml") {
                ids(&i.doc.source)
            } else {
                (None, None)
            }
        })
        .collect();
    let mut by_id: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for (j, (id, _)) in keys.iter().enumerate() {
        if let Some(id) = id {
            by_id.entry(id.as_str()).or_insert(j);
        }
    }
    // For each input, the index of the message it answers.
    let answers: Vec<Option<usize>> = keys
        .iter()
        .enumerate()
        .map(|(i, (_, reply_to))| {
            let j = *by_id.get(reply_to.as_deref()?)?;
            (j != i).then_some(j)
        })
        .collect();
    let mut answered = vec![false; items.len()];
    for j in answers.iter().flatten() {
        answered[*j] = true;
    }
    // A message answered by another and answering one too (or answered twice) is linted and an
    // inbound, or two inbounds: other copies are parsed again from its text.
    let again: Vec<Option<(std::sync::Arc<str>, String)>> = items
        .iter_mut()
        .enumerate()
        .map(|(j, t)| {
            let i = input(t);
            answered[j].then(|| (i.path.clone(), i.doc.source.clone()))
        })
        .collect();
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    let mut out = Vec::new();
    for i in 0..slots.len() {
        if answered[i] && answers[i].is_none() {
            continue; // the customer's message: taken by its reply below (or already)
        }
        let Some(mut item) = slots[i].take() else {
            continue;
        };
        if let Some(j) = answers[i] {
            let root = answers[j].is_none();
            let inbound = match slots[j].take_if(|_| root) {
                Some(original) => {
                    let original = into_input(original);
                    Some(Inbound {
                        path: original.path,
                        doc: original.doc,
                    })
                }
                None => again[j].as_ref().and_then(|(path, source)| {
                    Some(Inbound {
                        path: path.clone(),
                        doc: parse(source)?,
                    })
                }),
            };
            input(&mut item).inbound.extend(inbound);
        }
        out.push(item);
    }
    out
}

/// Where the quoted part of a body starts: the first attribution line (or the body's end).
fn quoted_from(body: &str) -> usize {
    let mut at = 0;
    for line in body.split_inclusive('\n') {
        if is_attribution(line) {
            return at;
        }
        at += line.len();
    }
    body.len()
}

/// Maps the decoded body back to the file: exactly where the encoding allows it, else each
/// character to the whole encoded body.
fn body_map(source: &str, raw: Range<usize>, encoding: Encoding, decoded: &str) -> OffsetMap {
    let exact = match encoding {
        Encoding::None => {
            let bytes = &source.as_bytes()[raw.clone()];
            bytes.starts_with(decoded.as_bytes()).then(|| {
                let mut m = OffsetMap::default();
                m.push_verbatim(raw.start, decoded.len());
                m
            })
        }
        Encoding::QuotedPrintable => quoted_printable_map(source.as_bytes(), raw.clone(), decoded),
        Encoding::Base64 => None,
    };
    exact.unwrap_or_else(|| {
        let mut m = OffsetMap::default();
        m.push_replaced(raw, decoded.len());
        m
    })
}

/// Decodes quoted-printable `raw` with the source range of every decoded byte; `Some(map)` when
/// the result is exactly `decoded` (same charset, nothing altered), `None` otherwise.
fn quoted_printable_map(file: &[u8], raw: Range<usize>, decoded: &str) -> Option<OffsetMap> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut from: Vec<Range<usize>> = Vec::with_capacity(raw.len());
    let mut i = raw.start;
    while i < raw.end {
        let b = file[i];
        if b == b'=' {
            let rest = &file[i + 1..raw.end];
            if rest.starts_with(b"\r\n") {
                i += 3;
                continue;
            }
            if rest.starts_with(b"\n") {
                i += 2;
                continue;
            }
            let hex = rest.get(..2).and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                bytes.push(v);
                from.push(i..i + 3);
                i += 3;
                continue;
            }
        }
        bytes.push(b);
        from.push(i..i + 1);
        i += 1;
    }
    if !bytes.starts_with(decoded.as_bytes()) {
        return None;
    }
    let mut map = OffsetMap::default();
    for (at, ch) in decoded.char_indices() {
        let pieces = &from[at..at + ch.len_utf8()];
        let verbatim = pieces.iter().all(|r| r.len() == 1)
            && pieces.windows(2).all(|w| w[0].end == w[1].start);
        let start = pieces[0].start;
        let end = pieces[pieces.len() - 1].end;
        if verbatim {
            map.push_verbatim(start, end - start);
        } else {
            map.push_replaced(start..end, ch.len_utf8());
        }
    }
    Some(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    const QP: &str = "From: Agent <a@example.com>\r\nTo: Sam <s@example.com>\r\nSubject: Re: order\r\nMessage-ID: <r1@example.com>\r\nIn-Reply-To: <q1@example.com>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nYour order ships today, and it=E2=80=99s insured. This line is long enough to =\r\nwrap softly.\r\n\r\nOn Mon, 3 Mar 2025, Sam <s@example.com> wrote:\r\n> Where is my order?\r\n";

    #[test]
    fn quoted_printable_body_maps_exactly_and_the_quote_is_marked() {
        let doc = parse(QP).expect("an email");
        let own: Vec<_> = doc.own_blocks().collect();
        let quoted: Vec<_> = doc.quoted_blocks().collect();
        assert!(own[0]
            .prose
            .starts_with("Your order ships today, and it’s insured."));
        let at = own[0].prose.find("ships").unwrap();
        assert_eq!(&QP[own[0].to_source(at..at + 5)], "ships");
        let apos = own[0].prose.find('’').unwrap();
        assert_eq!(&QP[own[0].to_source(apos..apos + 3)], "=E2=80=99");
        let wrap = own[0].prose.find("to wrap").unwrap();
        assert_eq!(&QP[own[0].to_source(wrap..wrap + 7)], "to =\r\nwrap");
        let q = quoted.iter().find(|b| b.prose.contains("Where")).unwrap();
        assert_eq!(&QP[q.to_source(0..q.prose.len())], "Where is my order?");
        assert_eq!(
            ids(QP),
            (Some("r1@example.com".into()), Some("q1@example.com".into()))
        );
    }

    #[test]
    fn base64_body_maps_to_its_encoded_range() {
        let eml = "Subject: x\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\nV2hlcmUgaXMgbXkgb3JkZXI/\r\n";
        let doc = parse(eml).unwrap();
        let b = &doc.blocks[0];
        assert_eq!(b.prose, "Where is my order?");
        assert_eq!(&eml[b.to_source(0..5)], "V2hlcmUgaXMgbXkgb3JkZXI/\r\n");
    }

    #[test]
    fn multipart_takes_the_text_part() {
        let eml = "Subject: x\r\nContent-Type: multipart/alternative; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nPlain words here.\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>Html words</p>\r\n--b--\r\n";
        let doc = parse(eml).unwrap();
        let b = &doc.blocks[0];
        assert_eq!(b.prose, "Plain words here.");
        assert_eq!(&eml[b.to_source(0..5)], "Plain");
    }
}
