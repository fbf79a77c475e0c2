//! Plain text (and email-style replies) to prose blocks.
//!
//! Paragraphs are separated by blank lines. Lines starting with `>` are email quoting: they are
//! gathered into `quoted` blocks with the `>` markers left out of the prose, since in a reply
//! they are the customer's words, not the writer's.

use super::{push_prose, Block, BlockKind, OffsetMap};

/// Prose blocks of a plain-text source.
pub fn blocks(source: &str) -> Vec<Block> {
    let mut out = Vec::new();
    // The paragraph being collected: quoted?, prose, map, source end of its last line.
    let mut current: Option<(bool, String, OffsetMap, usize)> = None;
    let flush = |current: &mut Option<(bool, String, OffsetMap, usize)>, out: &mut Vec<Block>| {
        if let Some((quoted, prose, map, _)) = current.take() {
            out.push(Block::new(BlockKind::Paragraph, quoted, false, prose, map));
        }
    };
    let mut line_start = 0;
    for line in source.split_inclusive('\n') {
        let start = line_start;
        line_start += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let (quoted, body, body_start) = match quote_body(content) {
            Some((offset, body)) => (true, body, start + offset),
            None => (false, content, start),
        };
        let body = body.trim_end();
        if body.trim_start().is_empty() {
            flush(&mut current, &mut out);
            continue;
        }
        if current.as_ref().is_some_and(|(q, ..)| *q != quoted) {
            flush(&mut current, &mut out);
        }
        let (_, prose, map, last_end) = current
            .get_or_insert_with(|| (quoted, String::new(), OffsetMap::default(), body_start));
        if !prose.is_empty() {
            // The line break (and any quote markers) between two lines of one paragraph, kept
            // as one newline for sentence splitting.
            prose.push('\n');
            map.push_replaced(*last_end..body_start, 1);
        }
        push_prose(prose, map, body, body_start);
        *last_end = body_start + body.len();
    }
    flush(&mut current, &mut out);
    out
}

/// For a `>`-quoted line, the offset and text after the quote markers.
fn quote_body(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start_matches([' ', '\t']);
    if !trimmed.starts_with('>') {
        return None;
    }
    let mut rest = trimmed;
    while let Some(r) = rest.strip_prefix('>') {
        rest = r.trim_start_matches([' ', '\t']);
    }
    Some((line.len() - rest.len(), rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_and_quoted_lines() {
        let src = "Hi Sam,\n\n> Where is my order?\n> It was due Monday.\nIt ships today.\n";
        let blocks = blocks(src);
        let got: Vec<_> = blocks
            .iter()
            .map(|b| (b.quoted, b.prose.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (false, "Hi Sam,"),
                (true, "Where is my order?\nIt was due Monday."),
                (false, "It ships today."),
            ]
        );
        let q = &blocks[1];
        let monday = q.prose.find("Monday").unwrap();
        assert_eq!(&src[q.to_source(monday..monday + 6)], "Monday");
        assert_eq!(
            &src[q.to_source(0..q.prose.len())],
            "Where is my order?\n> It was due Monday."
        );
    }

    #[test]
    fn crlf_line_ends_are_not_prose() {
        let src = "One line\r\nnext line\r\n";
        let b = &blocks(src)[0];
        assert_eq!(b.prose, "One line\nnext line");
        assert_eq!(&src[b.to_source(0..b.prose.len())], "One line\r\nnext line");
    }
}
