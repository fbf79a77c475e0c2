//! The text of an HTML block inside Markdown, as blocks for Vale-type rules.
//!
//! What it does: tokenises the block with html5gum and makes a [`Block`] of each element's text:
//! `<td>` a table cell, `<th>` a header cell, `<caption>` a table caption, `<h1>`..`<h6>` a
//! heading, `<li>` a list item, `<p>`, `<div>` and other block elements a paragraph. Code,
//! scripts and styles are masked as inline code is (a run of `*` as long as their source) and
//! comments left out; character references are decoded, each mapped to
//! exactly the reference it came from. Every block is marked [`Block::from_html`].
//! Why it matters: Vale lints the text of HTML in Markdown (a `<table>` with a `TODO` caption);
//! Candor's own checks read HTML as markup and never see these blocks (see
//! [`ScopeSet::selects`](crate::rules::scope::ScopeSet::selects)), so they make no new findings.
//! Example: `<table><caption>TODO</caption><tr><td>Jan</td></tr></table>` gives a caption block
//! "TODO" and a cell block "Jan".

use std::ops::Range;

use html5gum::{DefaultEmitter, Token, Tokenizer};

use super::markdown::CODE_MASK;
use super::{Block, BlockKind, OffsetMap};
use crate::source::macros::html::BLOCK_TAGS;

/// Elements whose content is not prose: code, scripts, styles; and `figure`, which Vale skips
/// by default too (its `SkippedScopes` are `script, style, pre, figure`).
const HIDDEN: &[&str] = &[
    "code", "pre", "script", "style", "template", "noscript", "textarea", "kbd", "samp", "head",
    "title", "svg", "math", "figure",
];

/// Elements that end the text before them and start a block of their own: the tags that
/// separate a macro's paragraphs, and a table's parts (a caption is a scope of its own).
fn is_block_element(name: &str) -> bool {
    const TABLE_PARTS: &[&str] = &["caption", "thead", "tbody", "tfoot"];
    BLOCK_TAGS.contains(&name) || TABLE_PARTS.contains(&name)
}

/// The kind of block an element's text makes, and whether it is a list item.
fn kind_of(element: &str) -> (BlockKind, bool) {
    match element {
        "td" => (BlockKind::TableCell, false),
        "th" => (BlockKind::TableHeader, false),
        "caption" => (BlockKind::TableCaption, false),
        "li" => (BlockKind::Paragraph, true),
        h if h.len() == 2 && h.starts_with('h') => match h.as_bytes()[1] {
            n @ b'1'..=b'6' => (BlockKind::Heading(n - b'0'), false),
            _ => (BlockKind::Paragraph, false),
        },
        _ => (BlockKind::Paragraph, false),
    }
}

/// Text being gathered for one block.
struct Gathering {
    kind: BlockKind,
    in_list: bool,
    prose: String,
    map: OffsetMap,
}

/// What an HTML block holds: its blocks of text, in document order, and what each element
/// with a `class` attribute holds (source range, class), for `IgnoredClasses`.
#[derive(Debug, Default)]
pub struct HtmlText {
    pub blocks: Vec<Block>,
    pub classed: Vec<(Range<usize>, String)>,
}

/// Elements that have no closing tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The text of the HTML block at `range` of `source` (`quoted`: inside a block quote;
/// `in_list`: inside a Markdown list item).
pub fn read(source: &str, range: Range<usize>, quoted: bool, in_list: bool) -> HtmlText {
    let Some(html) = source.get(range.clone()) else {
        return HtmlText::default();
    };
    let mut classed = Vec::new();
    // Elements with a class still open: name, class, where their content starts.
    let mut open_classed: Vec<(Vec<u8>, String, usize)> = Vec::new();
    let base = range.start;
    let mut out = Vec::new();
    let mut open: Option<Gathering> = None;
    // The element kinds open around the text, innermost last.
    let mut kinds: Vec<(String, BlockKind, bool)> = Vec::new();
    // The hidden element being skipped, and where its start tag began.
    let mut hidden: Option<(Vec<u8>, usize)> = None;
    let finish = |open: &mut Option<Gathering>, out: &mut Vec<Block>| {
        if let Some(g) = open.take() {
            if !g.prose.trim().is_empty() {
                let mut block = Block::new(g.kind, quoted, g.in_list || in_list, g.prose, g.map);
                block.from_html = true;
                out.push(block);
            }
        }
    };
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                if hidden.is_some() {
                    continue;
                }
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if !tag.self_closing && !VOID.contains(&name.as_str()) {
                    if let Some(class) = tag.attributes.get(b"class".as_slice()) {
                        let class = String::from_utf8_lossy(&class.value.0).into_owned();
                        open_classed.push((tag.name.0.to_ascii_lowercase(), class, tag.span.end));
                    }
                }
                if HIDDEN.contains(&name.as_str()) && !tag.self_closing {
                    hidden = Some((tag.name.0.clone(), tag.span.start));
                } else if name == "br" {
                    if let Some(g) = open.as_mut() {
                        g.prose.push('\n');
                        g.map
                            .push_replaced(base + tag.span.start..base + tag.span.end, 1);
                    }
                } else if is_block_element(&name) {
                    finish(&mut open, &mut out);
                    if !tag.self_closing && name != "hr" {
                        let (kind, list) = kind_of(&name);
                        kinds.push((name, kind, list));
                    }
                }
            }
            Token::EndTag(tag) => {
                if let Some((h, start)) = &hidden {
                    if h.eq_ignore_ascii_case(&tag.name) {
                        // Masked, as inline code is: words either side never meet.
                        if let Some(g) = open.as_mut() {
                            let len = tag.span.end - start;
                            g.prose.extend(std::iter::repeat_n(CODE_MASK, len));
                            g.map.push_replaced(base + start..base + tag.span.end, len);
                        }
                        hidden = None;
                    }
                    continue;
                }
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if let Some(i) = open_classed
                    .iter()
                    .rposition(|(n, ..)| *n == name.as_bytes())
                {
                    let (_, class, start) = open_classed.remove(i);
                    open_classed.truncate(i);
                    if start <= tag.span.start {
                        classed.push((base + start..base + tag.span.start, class));
                    }
                }
                if is_block_element(&name) {
                    finish(&mut open, &mut out);
                    if let Some(i) = kinds.iter().rposition(|(n, ..)| *n == name) {
                        kinds.truncate(i);
                    }
                }
            }
            Token::String(s) if hidden.is_none() => {
                let run = s.span.start..s.span.end;
                let Some(raw) = html.get(run.clone()) else {
                    continue;
                };
                if open.is_none() && raw.trim().is_empty() {
                    continue;
                }
                let g = open.get_or_insert_with(|| {
                    let (kind, list) = kinds
                        .last()
                        .map_or((BlockKind::Paragraph, false), |(_, k, l)| (*k, *l));
                    Gathering {
                        kind,
                        in_list: list || kinds.iter().any(|(_, _, l)| *l),
                        prose: String::new(),
                        map: OffsetMap::default(),
                    }
                });
                push_run(g, raw, base + run.start);
            }
            _ => {}
        }
    }
    finish(&mut open, &mut out);
    HtmlText {
        blocks: out,
        classed,
    }
}

/// Adds a text run found at `at` in the source: as written, each character reference
/// (`&amp;`, `&#8217;`) decoded and mapped to the reference itself.
fn push_run(g: &mut Gathering, raw: &str, at: usize) {
    let mut last = 0;
    for (amp, _) in raw.match_indices('&') {
        if amp < last {
            continue;
        }
        let Some(len) = reference_len(&raw[amp..]) else {
            continue;
        };
        let decoded = decode(&raw[amp..amp + len]);
        if decoded.is_empty() {
            continue;
        }
        g.prose.push_str(&raw[last..amp]);
        g.map.push_verbatim(at + last, amp - last);
        g.prose.push_str(&decoded);
        g.map.push_replaced(at + amp..at + amp + len, decoded.len());
        last = amp + len;
    }
    g.prose.push_str(&raw[last..]);
    g.map.push_verbatim(at + last, raw.len() - last);
}

/// The length of the character reference `s` starts with (`&name;`, `&#123;`, `&#x1F;`).
fn reference_len(s: &str) -> Option<usize> {
    let body = s.as_bytes().get(1..)?;
    let n = body
        .iter()
        .take(32)
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'#')
        .count();
    (n > 0 && body.get(n) == Some(&b';')).then_some(n + 2)
}

/// What html5gum makes of one character reference (empty when it is not one).
fn decode(reference: &str) -> String {
    let mut out = Vec::new();
    for token in Tokenizer::new(reference).flatten() {
        if let Token::String(s) = token {
            out.extend_from_slice(&s.value);
        }
    }
    let text = String::from_utf8_lossy(&out).into_owned();
    if text == reference {
        String::new()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(src: &str, range: Range<usize>) -> Vec<Block> {
        read(src, range, false, false).blocks
    }

    fn kinds(src: &str) -> Vec<(BlockKind, bool, String)> {
        blocks(src, 0..src.len())
            .into_iter()
            .map(|b| {
                assert!(b.from_html);
                (b.kind, b.in_list, b.prose)
            })
            .collect()
    }

    #[test]
    fn elements_become_blocks_of_their_kind() {
        let src = "<table>\n  <caption>TODO</caption>\n  <tr><th>Month</th></tr>\n  <tr><td>Jan</td></tr>\n</table>";
        let got = kinds(src);
        assert_eq!(
            got,
            [
                (BlockKind::TableCaption, false, "TODO".to_string()),
                (BlockKind::TableHeader, false, "Month".to_string()),
                (BlockKind::TableCell, false, "Jan".to_string()),
            ]
        );
    }

    #[test]
    fn code_scripts_and_comments_are_left_out_and_lists_headings_kept() {
        let src = "<div>\n<h2>Set up</h2>\n<!-- TODO hidden -->\n<ul><li>Run <code>make all</code> now</li></ul>\n<script>var TODO;</script>\n</div>";
        let got = kinds(src);
        assert_eq!(
            got,
            [
                (BlockKind::Heading(2), false, "Set up".to_string()),
                (
                    BlockKind::Paragraph,
                    true,
                    format!("Run {} now", "*".repeat("<code>make all</code>".len()))
                ),
            ]
        );
    }

    #[test]
    fn elements_with_a_class_are_recorded_with_what_they_hold() {
        let src = "<div>\n<p class=\"nop bar\">\nTODO <b>now</b>\n</p><br class=x><span class='k'>one</span></div>";
        let got = read(src, 0..src.len(), false, false).classed;
        let held: Vec<(&str, &str)> = got
            .iter()
            .map(|(r, c)| (&src[r.clone()], c.as_str()))
            .collect();
        assert_eq!(held, [("\nTODO <b>now</b>\n", "nop bar"), ("one", "k")]);
    }

    #[test]
    fn spans_map_to_the_source_through_references() {
        let src = "intro\n<p>Caf&eacute; &amp; more <b>bold</b></p>";
        let start = src.find('<').unwrap();
        let got = blocks(src, start..src.len());
        assert_eq!(got.len(), 1);
        let b = &got[0];
        assert_eq!(b.prose, "Café & more bold");
        let e = b.prose.find('é').unwrap();
        assert_eq!(&src[b.to_source(e..e + 'é'.len_utf8())], "&eacute;");
        let more = b.prose.find("more").unwrap();
        assert_eq!(&src[b.to_source(more..more + 4)], "more");
        let bold = b.prose.find("bold").unwrap();
        assert_eq!(&src[b.to_source(bold..bold + 4)], "bold");
    }
}
