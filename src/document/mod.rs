//! The document model: a source file turned into blocks of prose that keep their byte offsets.
//!
//! Markdown is read with pulldown-cmark ([`markdown`]); plain text and email-style replies with
//! [`text`]. Either way a rule sees [`Block`]s: the prose a writer wrote (code, HTML, URLs and
//! front matter left out), each with an [`OffsetMap`] back into the file, so every finding
//! slices out exactly the source bytes it talks about.

pub mod html_blocks;
pub mod markdown;
pub mod mask;
pub mod offsets;
pub mod sentences;
pub mod text;

use std::ops::Range;
use std::sync::{LazyLock, OnceLock};

use regex::Regex;

pub use offsets::OffsetMap;

/// How to read a source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Markdown,
    Text,
}

impl Format {
    /// Format for a file extension (without the dot); `None` when Candor does not lint it by
    /// default.
    pub fn from_extension(ext: &str) -> Option<Format> {
        match ext.to_ascii_lowercase().as_str() {
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            "txt" | "text" => Some(Format::Text),
            _ => None,
        }
    }

    /// Format for a path: by extension, plain text when there is none.
    pub fn for_path(path: &std::path::Path) -> Option<Format> {
        match path.extension().and_then(|e| e.to_str()) {
            Some(ext) => Format::from_extension(ext),
            None => Some(Format::Text),
        }
    }
}

/// What kind of text a block holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    Heading(u8),
    TableHeader,
    TableCell,
    /// Image alt text.
    Alt,
    /// The caption of an HTML table (`<caption>`).
    TableCaption,
}

/// A run of prose: a paragraph, heading, list item, table cell or alt text.
#[derive(Debug)]
pub struct Block {
    pub kind: BlockKind,
    /// Inside a block quote (or email-style `>` lines): usually the customer's words.
    pub quoted: bool,
    /// Inside a list item.
    pub in_list: bool,
    /// The prose a rule reads.
    pub prose: String,
    /// Where each prose byte came from in the source.
    pub map: OffsetMap,
    /// Text of an HTML block inside Markdown ([`html_blocks`]): Vale lints it, Candor's own
    /// checks read it as markup and never see it.
    pub from_html: bool,
    sentences: OnceLock<Sentences>,
    /// Which built-in phrase catalogues may match in the prose, worked out once by the first
    /// catalogue to ask (see `engine::catalogue_gate`).
    pub catalogue_gates: OnceLock<u32>,
}

impl Block {
    pub fn new(
        kind: BlockKind,
        quoted: bool,
        in_list: bool,
        prose: String,
        map: OffsetMap,
    ) -> Self {
        debug_assert_eq!(prose.len(), map.prose_len());
        Block {
            kind,
            quoted,
            in_list,
            prose,
            map,
            from_html: false,
            sentences: OnceLock::new(),
            catalogue_gates: OnceLock::new(),
        }
    }

    /// Sentence ranges in the block's prose, trimmed of surrounding white space, computed once
    /// on first use (most rules never need them).
    pub fn sentences(&self) -> &[Range<usize>] {
        self.sentences
            .get_or_init(|| Sentences::from(sentences::split(&self.prose)))
            .as_slice()
    }

    /// Source range of a prose range.
    pub fn to_source(&self, prose: Range<usize>) -> Range<usize> {
        self.map.to_source(prose)
    }
}

/// A block's sentence ranges. Most blocks hold one sentence, kept inline: a file of many short
/// paragraphs then needs no allocation per block for them (a list of one took 64 bytes).
#[derive(Debug)]
enum Sentences {
    One(Range<usize>),
    Many(Box<[Range<usize>]>),
}

impl Sentences {
    fn as_slice(&self) -> &[Range<usize>] {
        match self {
            Sentences::One(one) => std::slice::from_ref(one),
            Sentences::Many(many) => many,
        }
    }
}

impl From<Vec<Range<usize>>> for Sentences {
    fn from(mut ranges: Vec<Range<usize>>) -> Self {
        match ranges.len() {
            1 => Sentences::One(ranges.remove(0)),
            _ => Sentences::Many(ranges.into_boxed_slice()),
        }
    }
}

/// Text taken from inside a file (a decoded JSON string, a CSV cell, an email body), with the
/// map from its bytes back to the file's.
#[derive(Debug, Clone)]
pub struct Part {
    pub text: String,
    pub map: OffsetMap,
    /// How to read `text`.
    pub format: Format,
    /// Whether the whole part is the customer's words.
    pub quoted: bool,
}

/// What kind of file a document came from, for rules whose advice depends on it: a
/// `{{first_name}}` left in a reply is a bug, but in a macro it is how the name gets in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// Written to be read as it is: a reply, a doc page, standard input.
    #[default]
    Prose,
    /// A reusable template (a helpdesk macro, saved reply or canned response) whose
    /// placeholders are filled in when it is sent.
    Template(TemplateKind),
}

/// Where a template came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TemplateKind {
    Zendesk,
    HelpScout,
    Freshdesk,
    Intercom,
    /// JSON or YAML fields chosen by name or by `--field`.
    Fields,
    /// A CSV column.
    Csv,
}

/// Where a Markdown file's code, front matter and HTML comments are, as the Markdown reader's own
/// parse found them (byte ranges in the source, in file order), so rules that scan the raw source
/// can skip them without parsing the file again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Markup {
    /// Fenced code blocks, fences included.
    pub fenced_code: Vec<Range<usize>>,
    /// Indented code blocks (four spaces or a tab, in a list item or a block quote too), as
    /// pulldown-cmark's events span them: from the first line's code to the last line's end.
    pub indented_code: Vec<Range<usize>>,
    /// YAML (`---`) or TOML (`+++`) front matter, delimiters included: page metadata, not text.
    pub front_matter: Vec<Range<usize>>,
    /// Inline code spans, backticks included.
    pub code_spans: Vec<Range<usize>>,
    /// HTML (a line of an HTML block, or inline HTML) that starts with `<!--`.
    pub comments: Vec<Range<usize>>,
    /// Strong emphasis (`**bold**`), delimiters included: a `.vale.ini` may hide it from rules
    /// (`IgnoredScopes = strong`).
    pub strong: Vec<Range<usize>>,
    /// What inline HTML elements with a `class` hold (`<span class="nop">TODO</span>`: the
    /// range of `TODO`) and their class attribute: a `.vale.ini` may hide some classes from
    /// rules (`IgnoredClasses`).
    pub classed: Vec<(Range<usize>, String)>,
}

/// A source file read as prose.
#[derive(Debug)]
pub struct Document {
    pub format: Format,
    /// The file's text, exactly as read.
    pub source: String,
    pub blocks: Vec<Block>,
    /// What kind of file this is (a reply, or a macro template).
    pub origin: Origin,
    /// For a document read from parts of a file (macro bodies in an export): the byte range
    /// of each part in `source`, in file order. Suppression comments apply within their part.
    /// Empty when the whole file is one text. (Boxed slices keep `Document` small to move.)
    pub part_extents: Box<[Range<usize>]>,
    /// For a Markdown file read whole ([`Document::parse`]): its code and HTML comments, parsed
    /// with [`markdown::options`]. `None` for other documents.
    pub markup: Option<Box<Markup>>,
}

/// `source` with each CR that no LF follows turned into an LF; `None` when there is none.
fn lone_cr_as_lf(source: &str) -> Option<String> {
    let bytes = source.as_bytes();
    let lone = |i: usize| bytes.get(i + 1) != Some(&b'\n');
    memchr::memchr_iter(b'\r', bytes).find(|&i| lone(i))?;
    let mut out = bytes.to_vec();
    for i in memchr::memchr_iter(b'\r', bytes).filter(|&i| lone(i)) {
        out[i] = b'\n';
    }
    // Only ASCII bytes changed, so the text is still UTF-8.
    String::from_utf8(out).ok()
}

impl Document {
    pub fn parse(source: String, format: Format) -> Document {
        let (blocks, markup) = match format {
            Format::Markdown => {
                // Old Mac line endings (a lone CR) are read as line feeds, byte for byte, so
                // fences and paragraphs end where the file's lines do; offsets do not move.
                let (blocks, markup) = match lone_cr_as_lf(&source) {
                    Some(normalised) => markdown::read(&normalised),
                    None => markdown::read(&source),
                };
                (blocks, Some(Box::new(markup)))
            }
            Format::Text => (text::blocks(&source), None),
        };
        // Exact: a file of many short paragraphs holds hundreds of thousands of blocks.
        let mut blocks = blocks;
        blocks.shrink_to_fit();
        Document {
            format,
            source,
            blocks,
            origin: Origin::Prose,
            part_extents: Box::default(),
            markup,
        }
    }

    /// A document whose prose sits in parts of a larger file: string values in a JSON or YAML
    /// export, a CSV cell, an email body. Each part's text is parsed as its own format and its
    /// map (part text → file) is composed in, so spans still point into `source`, the file.
    pub fn from_parts(source: String, format: Format, parts: Vec<Part>) -> Document {
        let mut blocks = Vec::new();
        let part_extents = parts.iter().map(|p| p.map.source_extent()).collect();
        for part in parts {
            let inner = match part.format {
                Format::Markdown => markdown::blocks(&part.text),
                Format::Text => text::blocks(&part.text),
            };
            for b in inner {
                let map = b.map.compose(&part.map);
                blocks.push(Block::new(
                    b.kind,
                    b.quoted || part.quoted,
                    b.in_list,
                    b.prose,
                    map,
                ));
            }
        }
        Document {
            format,
            source,
            blocks,
            origin: Origin::Prose,
            part_extents,
            markup: None,
        }
    }

    /// The same document with the parts' byte ranges given by the reader: a part's text map
    /// may start after markup the reader dropped (an HTML comment), which still belongs to it.
    pub fn with_part_extents(mut self, extents: Vec<Range<usize>>) -> Document {
        self.part_extents = extents.into_boxed_slice();
        self
    }

    /// The same document, marked as coming from `origin`.
    pub fn with_origin(mut self, origin: Origin) -> Document {
        self.origin = origin;
        self
    }

    /// Whether the document is a template (a macro) whose placeholders are expected.
    pub fn is_template(&self) -> bool {
        matches!(self.origin, Origin::Template(_))
    }

    /// Blocks written by the author of the file (not quoted text, not HTML).
    pub fn own_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| !b.quoted && !b.from_html)
    }

    /// Blocks inside block quotes: in a reply, usually the customer's words (not HTML).
    pub fn quoted_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| b.quoted && !b.from_html)
    }

    /// Blocks read from Markdown or text itself, not from HTML blocks in it: what Candor's own
    /// checks read.
    pub fn prose_blocks(&self) -> impl Iterator<Item = &Block> {
        self.blocks.iter().filter(|b| !b.from_html)
    }
}

/// Adds `text` found at `source_start` to a prose buffer, leaving out URLs (they are not prose
/// and would only trip rules) by replacing each with one space.
pub(crate) fn push_prose(prose: &mut String, map: &mut OffsetMap, text: &str, source_start: usize) {
    // This runs for every text event, and most hold no URL: the pre-check is far cheaper than
    // a regex search.
    if !may_hold_url(text) {
        prose.push_str(text);
        map.push_verbatim(source_start, text.len());
        return;
    }
    let mut last = 0;
    for url in find_urls(text) {
        prose.push_str(&text[last..url.start]);
        map.push_verbatim(source_start + last, url.start - last);
        prose.push(' ');
        map.push_replaced(source_start + url.start..source_start + url.end, 1);
        last = url.end;
    }
    prose.push_str(&text[last..]);
    map.push_verbatim(source_start + last, text.len() - last);
}

/// A bare URL: `http://`, `https://` or `www.` and what follows up to white space or a tag.
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:https?://|www\.)[^\s<>]+").expect("valid URL regex"));

/// Byte ranges of bare URLs in `text`.
fn find_urls(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    URL.find_iter(text).filter_map(|m| {
        // Trailing punctuation belongs to the sentence, not the URL.
        let url = m
            .as_str()
            .trim_end_matches(['.', ',', ';', ':', '!', '?', ')', '"', '\'']);
        (!url.is_empty()).then(|| m.start()..m.start() + url.len())
    })
}

/// Whether `text` may hold a URL [`find_urls`] looks for: each contains `://` or `www.` (in
/// any case; `w` has no other case-folded form).
pub(crate) fn may_hold_url(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr2_iter(b':', b'.', bytes).any(|i| match bytes[i] {
        b':' => bytes[i + 1..].starts_with(b"//"),
        _ => i >= 3 && bytes[i - 3..i].eq_ignore_ascii_case(b"www"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_replaced_and_trailing_punctuation_kept() {
        let mut prose = String::new();
        let mut map = OffsetMap::default();
        let text = "See https://example.com/a?b=1. Then www.x.org, ok";
        push_prose(&mut prose, &mut map, text, 100);
        assert_eq!(prose, "See  . Then  , ok");
        assert_eq!(map.to_source(0..3), 100..103);
        let dot = prose.find('.').unwrap();
        assert_eq!(&text[map.to_source(dot..dot + 1).start - 100..][..1], ".");
    }

    #[test]
    fn urls_in_any_case_pass_the_pre_check() {
        for text in [
            "WWW.Example.com today",
            "HTTPS://X.IO",
            "see Www.x.org",
            "httpſ://x.io",
        ] {
            assert!(may_hold_url(text), "{text}");
            assert_eq!(find_urls(text).count(), 1, "{text}");
        }
        for text in ["No link here.", "ww.x", "www", "http:/x", "a.b.c"] {
            assert!(!may_hold_url(text), "{text}");
        }
    }

    proptest::proptest! {
        /// The pre-check only skips texts the URL pattern cannot match.
        #[test]
        fn pre_check_never_hides_a_url(text in "[wWhHtTpPsſ:/. <>a-c\\n]{0,24}") {
            if URL.is_match(&text) {
                proptest::prop_assert!(may_hold_url(&text));
            }
        }
    }
}
