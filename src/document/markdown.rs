//! Markdown to prose blocks, with pulldown-cmark's offset iterator.
//!
//! Kept: paragraphs, headings, list items, table cells, link text, image alt text (as its own
//! block), footnote text; the text of HTML blocks as blocks marked `from_html`, which only
//! Vale-type rules read ([`html_blocks`]). Left out: fenced and indented code, HTML tags, autolinks
//! and bare URLs, YAML/TOML front matter. Inline code and footnote references are masked, not
//! deleted: a run of [`CODE_MASK`] as long as their source, so words either side never meet. Block quotes are kept but marked
//! `quoted`: in a reply they are usually the customer's words. An alert (`> [!NOTE]`) is the
//! writer's own callout and is not marked.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, LinkType, Options, Parser, Tag, TagEnd};

use super::{html_blocks, push_prose, Block, BlockKind, Markup, OffsetMap};

/// The extensions the reader parses with.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// A block being collected.
struct Open {
    kind: BlockKind,
    quoted: bool,
    in_list: bool,
    prose: String,
    map: OffsetMap,
}

impl Open {
    /// A block collected into `buffers`: empty ones left by an earlier block, so a file's
    /// blocks reuse the same few buffers instead of each growing its own.
    fn new(kind: BlockKind, quoted: bool, in_list: bool, buffers: Buffers) -> Self {
        let (prose, map) = buffers;
        debug_assert!(prose.is_empty() && map.prose_len() == 0);
        Open {
            kind,
            quoted,
            in_list,
            prose,
            map,
        }
    }

    /// Adds an event's text: verbatim when it is exactly the source bytes, otherwise as a
    /// replacement of its whole source range (entities, escapes).
    fn push(&mut self, source: &str, text: &str, range: Range<usize>) {
        // Most texts are slices of `source` itself: the address check spares comparing bytes.
        let source_text = source.get(range.clone());
        let is_slice = source_text.is_some_and(|s| std::ptr::eq(s, text));
        if is_slice || source_text == Some(text) {
            push_prose(&mut self.prose, &mut self.map, text, range.start);
        } else {
            self.prose.push_str(text);
            self.map.push_replaced(range, text.len());
        }
    }

    /// Stands in for something left out (inline code, a tag) so words on either side stay
    /// apart.
    fn push_gap(&mut self, range: Range<usize>) {
        if !self.prose.is_empty() && !self.prose.ends_with(char::is_whitespace) {
            self.prose.push(' ');
            self.map.push_replaced(range, 1);
        }
    }

    /// Stands in for inline code (or a footnote reference): a placeholder as long as its
    /// source, of a character no word rule matches, so words on either side never meet and
    /// "Set `limit` to `-1` to" does not read as "to to".
    fn push_mask(&mut self, range: Range<usize>) {
        let len = range.len().max(1);
        self.prose.extend(std::iter::repeat_n(CODE_MASK, len));
        self.map.push_replaced(range, len);
    }

    /// The block, with its prose and map copied out at their exact sizes (at most one
    /// allocation each), and the emptied buffers to collect the next block in.
    fn finish(mut self) -> (Option<Block>, Buffers) {
        let block = (!self.prose.trim().is_empty()).then(|| {
            Block::new(
                self.kind,
                self.quoted,
                self.in_list,
                self.prose.clone(),
                self.map.compact(),
            )
        });
        self.prose.clear();
        self.map.clear();
        (block, (self.prose, self.map))
    }
}

/// What inline code reads as in prose: not a letter, digit, space or sentence mark.
pub const CODE_MASK: char = '*';

/// A prose buffer and its offset map, empty, kept for the next block.
type Buffers = (String, OffsetMap);

#[derive(Default)]
struct State {
    blocks: Vec<Block>,
    open: Option<Open>,
    alt: Option<Open>,
    /// For each open block quote, whether it quotes someone (an alert does not).
    quotes: Vec<bool>,
    list_depth: usize,
    /// Inside code blocks, metadata blocks or autolinks: text there is not prose.
    skip_depth: usize,
    in_table_head: bool,
    /// For each open link, whether it is an autolink (its text is a URL, not prose).
    links: Vec<bool>,
    /// Emptied buffers of finished blocks (at most two are in use: the open block and alt text).
    spare: Vec<Buffers>,
}

impl State {
    fn flush(&mut self) {
        if let Some(block) = self.open.take().and_then(|open| self.finish(open)) {
            self.blocks.push(block);
        }
    }

    /// Finishes `open`, keeping its buffers for the next block.
    fn finish(&mut self, open: Open) -> Option<Block> {
        let (block, buffers) = open.finish();
        self.spare.push(buffers);
        block
    }

    /// A new block, in spare buffers when there are some.
    fn new_open(&mut self, kind: BlockKind) -> Open {
        let buffers = self.spare.pop().unwrap_or_default();
        let quoted = self.quotes.contains(&true);
        Open::new(kind, quoted, self.list_depth > 0, buffers)
    }

    fn start(&mut self, kind: BlockKind) {
        self.flush();
        self.open = Some(self.new_open(kind));
    }

    fn end_link(&mut self) {
        if self.links.pop() == Some(true) {
            self.skip_depth = self.skip_depth.saturating_sub(1);
        }
    }

    /// Where inline text goes: alt text when inside an image, else the open block (opened on
    /// demand for tight list items, whose text has no paragraph around it).
    fn target(&mut self) -> &mut Open {
        if self.alt.is_none() && self.open.is_none() {
            self.open = Some(self.new_open(BlockKind::Paragraph));
        }
        match (&mut self.alt, &mut self.open) {
            (Some(alt), _) => alt,
            (None, Some(open)) => open,
            (None, None) => unreachable!("a block was opened above"),
        }
    }
}

/// Whether the block quote whose source starts `quote` is an alert ("> [!NOTE]", "> [!WARNING]",
/// as GitHub and Microsoft Learn write callouts): the writer's own words set apart, not someone
/// quoted, so its text is neither the customer's message nor left out of the writer's.
fn is_alert(quote: &str) -> bool {
    let rest = quote.trim_start_matches([' ', '\t']);
    let Some(rest) = rest.strip_prefix('>') else {
        return false;
    };
    let Some(rest) = rest.trim_start_matches([' ', '\t']).strip_prefix("[!") else {
        return false;
    };
    let kind_len = rest.bytes().take_while(u8::is_ascii_alphabetic).count();
    kind_len > 0 && rest[kind_len..].starts_with(']')
}

/// Prose blocks of a Markdown source, in document order (alt text after its paragraph).
pub fn blocks(source: &str) -> Vec<Block> {
    read(source).0
}

/// Prose blocks of a Markdown source (as [`blocks`]) and, from the same parse, where its code
/// and HTML comments are.
pub fn read(source: &str) -> (Vec<Block>, Markup) {
    let mut st = State::default();
    let mut pending_alt: Vec<Block> = Vec::new();
    let mut markup = Markup::default();
    let mut code_start: Option<(usize, bool)> = None;
    let mut open_tags: Vec<OpenTag> = Vec::new();
    for (event, range) in Parser::new_ext(source, options()).into_offset_iter() {
        markup.note(&event, &range, &mut code_start);
        if let Event::InlineHtml(tag) = &event {
            markup.note_inline_tag(tag, &range, &mut open_tags);
        }
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph if st.skip_depth == 0 => st.start(BlockKind::Paragraph),
                Tag::Heading { level, .. } => st.start(BlockKind::Heading(level as u8)),
                Tag::TableHead => {
                    st.flush();
                    st.in_table_head = true;
                }
                Tag::TableCell => {
                    let kind = if st.in_table_head {
                        BlockKind::TableHeader
                    } else {
                        BlockKind::TableCell
                    };
                    st.start(kind)
                }
                Tag::BlockQuote(_) => {
                    st.flush();
                    st.quotes.push(!is_alert(&source[range.start..]));
                }
                Tag::List(_) => {
                    st.flush();
                    st.list_depth += 1;
                }
                Tag::Item | Tag::FootnoteDefinition(_) | Tag::Table(_) | Tag::TableRow => {
                    st.flush()
                }
                Tag::HtmlBlock => {
                    st.flush();
                    if st.skip_depth == 0 {
                        let quoted = st.quotes.contains(&true);
                        let in_list = st.list_depth > 0;
                        let html = html_blocks::read(source, range, quoted, in_list);
                        st.blocks.extend(html.blocks);
                        markup.classed.extend(html.classed);
                    }
                    st.skip_depth += 1;
                }
                Tag::CodeBlock(_) | Tag::MetadataBlock(_) => {
                    st.flush();
                    st.skip_depth += 1;
                }
                Tag::Link { link_type, .. } => {
                    let auto = matches!(link_type, LinkType::Autolink | LinkType::Email);
                    st.links.push(auto);
                    if auto {
                        st.skip_depth += 1;
                        if st.skip_depth == 1 {
                            st.target().push_gap(range);
                        }
                    }
                }
                Tag::Image { .. } if st.alt.is_none() && st.skip_depth == 0 => {
                    st.target().push_gap(range);
                    st.alt = Some(st.new_open(BlockKind::Alt));
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::TableCell
                | TagEnd::Item
                | TagEnd::FootnoteDefinition => {
                    st.flush();
                    st.blocks.append(&mut pending_alt);
                }
                TagEnd::TableHead => {
                    st.flush();
                    st.in_table_head = false;
                }
                TagEnd::BlockQuote(_) => {
                    st.flush();
                    st.quotes.pop();
                }
                TagEnd::List(_) => {
                    st.flush();
                    st.list_depth = st.list_depth.saturating_sub(1);
                }
                TagEnd::CodeBlock | TagEnd::MetadataBlock(_) | TagEnd::HtmlBlock => {
                    st.skip_depth = st.skip_depth.saturating_sub(1);
                }
                TagEnd::Link => st.end_link(),
                TagEnd::Image => {
                    if let Some(block) = st.alt.take().and_then(|alt| st.finish(alt)) {
                        pending_alt.push(block);
                    }
                }
                _ => {}
            },
            Event::Text(text) => {
                if st.skip_depth == 0 {
                    st.target().push(source, &text, range);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if st.skip_depth == 0 {
                    let open = st.target();
                    if open.prose.is_empty() {
                        continue;
                    }
                    // Keep the line break itself so sentence splitting sees hard-wrapped lines.
                    match source.get(range.clone()) {
                        Some(s) if s.ends_with('\n') => {
                            let nl = range.end - 1;
                            open.prose.push('\n');
                            open.map.push_verbatim(nl, 1);
                        }
                        _ => {
                            open.prose.push('\n');
                            open.map.push_replaced(range, 1);
                        }
                    }
                }
            }
            Event::Code(_) | Event::FootnoteReference(_) | Event::InlineMath(_) => {
                if st.skip_depth == 0 && (st.open.is_some() || st.alt.is_some()) {
                    st.target().push_mask(range);
                }
            }
            Event::InlineHtml(_) | Event::Html(_) | Event::DisplayMath(_) => {
                if st.skip_depth == 0 && (st.open.is_some() || st.alt.is_some()) {
                    st.target().push_gap(range);
                }
            }
            Event::TaskListMarker(_) | Event::Rule => {}
        }
    }
    st.flush();
    st.blocks.append(&mut pending_alt);
    (st.blocks, markup)
}

/// An inline HTML element whose closing tag is still to come: its name, class attribute and
/// where its content starts.
struct OpenTag {
    name: String,
    class: String,
    content_start: usize,
}

/// Elements that have no closing tag.
const VOID_ELEMENTS: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// The name of the tag `html` opens or closes, and whether it closes.
fn tag_name(html: &str) -> Option<(String, bool)> {
    let rest = html.strip_prefix('<')?;
    let (closing, rest) = match rest.strip_prefix('/') {
        Some(r) => (true, r),
        None => (false, rest),
    };
    let len = rest
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'-')
        .count();
    (len > 0 && rest.as_bytes()[0].is_ascii_alphabetic())
        .then(|| (rest[..len].to_ascii_lowercase(), closing))
}

/// The value of the `class` attribute of an opening tag, if it has one.
fn class_attribute(tag: &str) -> Option<&str> {
    static CLASS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(?i)\sclass\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#)
            .expect("valid class regex")
    });
    let c = CLASS.captures(tag)?;
    c.get(1).or(c.get(2)).or(c.get(3)).map(|m| m.as_str())
}

impl Markup {
    /// Records what an inline HTML element with a class holds, once its closing tag comes.
    fn note_inline_tag(&mut self, html: &str, range: &Range<usize>, open: &mut Vec<OpenTag>) {
        let Some((name, closing)) = tag_name(html.trim_end()) else {
            return;
        };
        if !closing {
            if !VOID_ELEMENTS.contains(&name.as_str()) && !html.trim_end().ends_with("/>") {
                let class = class_attribute(html).unwrap_or("").to_string();
                open.push(OpenTag {
                    name,
                    class,
                    content_start: range.end,
                });
            }
            return;
        }
        if let Some(i) = open.iter().rposition(|t| t.name == name) {
            // Elements left open inside it end with it.
            let tag = open.remove(i);
            open.truncate(i);
            if !tag.class.is_empty() && tag.content_start <= range.start {
                self.classed
                    .push((tag.content_start..range.start, tag.class));
            }
        }
    }

    /// Records `event` if it is code or an HTML comment. A code block is recorded at its end,
    /// from the start (and whether it was fenced) its opening event left in `code_start`.
    #[inline]
    fn note(
        &mut self,
        event: &Event<'_>,
        range: &Range<usize>,
        code_start: &mut Option<(usize, bool)>,
    ) {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let fenced = matches!(kind, CodeBlockKind::Fenced(_));
                *code_start = Some((range.start, fenced))
            }
            Event::End(TagEnd::CodeBlock) => match code_start.take() {
                Some((start, true)) => self.fenced_code.push(start..range.end),
                Some((start, false)) => self.indented_code.push(start..range.end),
                None => {}
            },
            Event::Start(Tag::MetadataBlock(_)) => self.front_matter.push(range.clone()),
            Event::Code(_) => self.code_spans.push(range.clone()),
            Event::Start(Tag::Strong) => self.strong.push(range.clone()),
            Event::Html(h) | Event::InlineHtml(h) if h.trim_start().starts_with("<!--") => {
                self.comments.push(range.clone())
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn prose(source: &str) -> Vec<(BlockKind, bool, bool, String)> {
        blocks(source)
            .into_iter()
            .map(|b| (b.kind, b.quoted, b.in_list, b.prose))
            .collect()
    }

    #[test]
    fn code_html_urls_and_front_matter_are_left_out() {
        let src = "---\ntitle: We apologize\n---\n\nRun `npm i` now, see <https://x.io>.\n\n```\ncode here\n```\n\n<div>html</div>\n";
        let all = blocks(src);
        let got: Vec<&Block> = all.iter().filter(|b| !b.from_html).collect();
        assert_eq!(got.len(), 1, "{got:?}");
        // Inline code stands as a mask of its own length, so "Run" and "now" never meet.
        assert_eq!(got[0].prose, "Run ******* now, see .");
        // The HTML block's text is kept apart, for Vale-type rules only.
        let html: Vec<&str> = all
            .iter()
            .filter(|b| b.from_html)
            .map(|b| b.prose.as_str())
            .collect();
        assert_eq!(html, ["html"]);
        let b = all.iter().find(|b| b.from_html).unwrap();
        assert_eq!(&src[b.to_source(0..4)], "html");
    }

    #[test]
    fn block_quotes_lists_tables_headings_and_alt_text() {
        let src = "# Title\n\n> Where is my order?\n\n- tight item\n- second\n\n| a | b |\n|---|---|\n| c | d |\n\n![a cat](cat.png) after\n";
        let got = prose(src);
        let kinds: Vec<_> = got.iter().map(|g| (g.0, g.1, g.2)).collect();
        assert_eq!(
            kinds,
            [
                (BlockKind::Heading(1), false, false),
                (BlockKind::Paragraph, true, false),
                (BlockKind::Paragraph, false, true),
                (BlockKind::Paragraph, false, true),
                (BlockKind::TableHeader, false, false),
                (BlockKind::TableHeader, false, false),
                (BlockKind::TableCell, false, false),
                (BlockKind::TableCell, false, false),
                (BlockKind::Paragraph, false, false),
                (BlockKind::Alt, false, false),
            ]
        );
        assert_eq!(got[1].3, "Where is my order?");
        assert_eq!(got[9].3, "a cat");
    }

    #[test]
    fn an_alert_is_the_writers_own_text_and_a_quote_inside_it_is_quoted() {
        let src =
            "> [!NOTE]\n> Why does this matter?\n>\n> > Can I get a refund?\n\n> [!not an alert]\n";
        let got = prose(src);
        let quoted: Vec<_> = got.iter().map(|g| (g.1, g.3.as_str())).collect();
        assert_eq!(
            quoted,
            [
                (false, "[!NOTE]\nWhy does this matter?"),
                (true, "Can I get a refund?"),
                (true, "[!not an alert]"),
            ]
        );
        assert!(is_alert("  >  [!WARNING]"));
        assert!(!is_alert("> [!]") && !is_alert("> [NOTE]") && !is_alert("[!NOTE]"));
    }

    #[test]
    fn inline_html_elements_with_a_class_are_recorded_with_what_they_hold() {
        let src = "A <span class=\"nop x\">TODO <b>now</b></span> b<br/> <i class='k'>one</i> <em class=z>two</em> <span>three</span>";
        let (_, markup) = read(src);
        let held: Vec<(&str, &str)> = markup
            .classed
            .iter()
            .map(|(r, class)| (&src[r.clone()], class.as_str()))
            .collect();
        assert_eq!(
            held,
            [("TODO <b>now</b>", "nop x"), ("one", "k"), ("two", "z")]
        );
    }

    #[test]
    fn spans_map_back_through_inline_markup() {
        let src = "We **apologize** for any\ninconvenience &amp; more.";
        let b = &blocks(src)[0];
        assert_eq!(b.prose, "We apologize for any\ninconvenience & more.");
        let start = b.prose.find("apologize").unwrap();
        let end = b.prose.find(" &").unwrap();
        assert_eq!(
            &src[b.to_source(start..end)],
            "apologize** for any\ninconvenience"
        );
        let amp = b.prose.find('&').unwrap();
        assert_eq!(&src[b.to_source(amp..amp + 1)], "&amp;");
    }
}
