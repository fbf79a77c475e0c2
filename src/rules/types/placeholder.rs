//! `extends: placeholder` — unfilled template variables (Candor's own type).
//!
//! What it catches: template markers left in a reply: Liquid/Handlebars `{{first_name}}` and
//! `{% if %}`, `%{name}`, `${name}`, `{$Ticket->Subject}`, `@{issue-author}`, `{customer_name}`,
//! Mailchimp `*|FNAME|*`, `$FIRSTNAME`, `<ISSUE_NUMBER>`, `[CUSTOMER NAME]`, `[[at-mention]]`, and
//! stand-in tokens (`XXX`, `#NUMBER`, `REPONAME`, `@username`, a list item that is only `...`).
//! Why it matters: a customer who reads "Hi {{first_name}}" knows at once that nobody wrote to
//! them; it is the worst canned-reply failure.
//! Example: `Hi {{first_name}}, your order shipped.` → `Hi Dana, your order shipped.`
//!
//! The raw source is scanned, not the prose blocks: in Markdown `<NAME>` is an HTML tag and
//! `*|FNAME|*` parses as emphasis. Fenced and inline code and HTML comments are skipped; so is
//! bracketed text that is a Markdown link (`[DCO](https://...)`).
//! Spans slice exactly the placeholder.
//!
//! Templates: in a document read as a macro (a helpdesk export, so `doc.is_template()`),
//! placeholders are how the customer's name gets in, so well-formed ones are accepted and only
//! malformed ones (`{{name}`, `{{ }}`, an unclosed `%{`) are reported, plus, with `known:
//! [first_name, ...]`, placeholders naming any other variable (a typo the helpdesk would send as
//! is). Only the macro bodies are scanned, not the export's keys. `allow: true` applies the same
//! treatment to every file (a repository of macros kept as Markdown); `templates: false` treats
//! templates like replies.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use pulldown_cmark::{CodeBlockKind, Event, Options as MdOptions, Parser, Tag};
use regex::Regex;
use serde::Deserialize;

use crate::check::{CheckContext, Findings};
use crate::document::{markdown, Document, Format};
use crate::error::ConfigError;
use crate::rules::lazy::{compiled, LazyRegex};
use crate::rules::types::parse_options;
use crate::rules::{Rule, RuleMeta, RuleSource};

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Options {
    /// Accept well-formed placeholders (a macro repository); report only malformed ones.
    #[serde(default)]
    allow: bool,
    /// Treat documents read as templates (helpdesk macro exports) as if `allow` were set.
    #[serde(default = "yes")]
    templates: bool,
    /// Variable names a template may use; with `allow`, any other name is reported.
    #[serde(default)]
    known: Vec<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            allow: false,
            templates: true,
            known: Vec::new(),
        }
    }
}

/// Every placeholder form, one alternation; the order matters (longest forms first).
const PLACEHOLDER: &str = r"(?x)
    \{\{[^{}\n]{0,200}\}\}                 # {{ first_name }}  {{ a | default: 'x' }}
  | \{%[^%\n]{0,200}%\}                    # {% if x %}
  | [%$@]\{[^{}\n]{1,120}\}                # %{name}  ${name}  @{issue-author}
  | \{\s?\$[^{}\n]{1,120}\}                # {$Ticket->Subject}
  | \{[A-Za-z_][A-Za-z0-9_.\-]{0,60}\}     # {customer_name}
  | \*\|[A-Z0-9_:]{2,40}\|\*               # *|FNAME|*
  | \[\[[^\[\]\n]{1,80}\]\]                # [[at-mention]]
  | <\#?[A-Za-z]+(?:[_\-][A-Za-z]+)+>      # <ISSUE_NUMBER>  <first_name>
  | <\#[A-Za-z_]+>                         # <#number>
  | <[A-Z][A-Z0-9]{2,}>                    # <NAME>
  | <(?:your|customer|agent|insert|user)[\ A-Za-z0-9_]{0,40}>
  | \[[A-Z][A-Z0-9_]*(?:[\ _/\-][A-Z0-9]+)*\]  # [CUSTOMER NAME]
  | \$[A-Z][A-Z0-9_]{2,40}(?-u:\b)               # $FIRSTNAME
  | (?-u:\b)X{3,}(?-u:\b)                              # XXX
  | \#[A-Z][A-Z_]{2,}(?-u:\b)                    # #NUMBER
  | (?-u:\b)[A-Z]{2,}(?:NAME|NUMBER|URL|EMAIL|ID)(?-u:\b)  # REPONAME
  | (?-u:\b)(?:FIRST|LAST|FULL|USER|CUSTOMER|AGENT|COMPANY|ORDER|TICKET|ISSUE|ACCOUNT)_[A-Z_]{2,}(?-u:\b)
  | (?-u:\B)@(?:username|user|handle|author|someone|mention|your[-_]?name)(?-u:\b)
  | \[[^\[\]\n]{0,60}?(?-u:\b)(?:(?i:url|link|name|e-?mail|number|date|phone|address|insert|placeholder))(?-u:\b)[^\[\]\n]{0,60}\]
";

/// Whether `source` may hold a match of [`PLACEHOLDER`]: every branch of it has a `{`, `<`,
/// `[`, `@` or `*|`, a `$` or `#` before a capital, or two capitals in a row (`XXX`,
/// `REPONAME`, `FIRST_NAME`).
fn may_hold_placeholder(source: &str) -> bool {
    let b = source.as_bytes();
    memchr::memchr3(b'{', b'<', b'[', b).is_some()
        || memchr::memchr(b'@', b).is_some()
        || b.windows(2).any(|w| {
            (w[0] == b'*' && w[1] == b'|')
                || (matches!(w[0], b'$' | b'#') || w[0].is_ascii_uppercase())
                    && w[1].is_ascii_uppercase()
        })
}

/// A list item that is nothing but an ellipsis: a stand-in for items still to write.
const ELLIPSIS_ITEM: &str = r"(?m)^[ \t]*(?:\d+[.)]|[-*+])[ \t]+(\.\.\.|…)[ \t]*$";

/// Placeholder-looking text that is broken: a single brace on one side, empty, or unclosed.
const MALFORMED: &str = r"(?x)
    \{\{[^{}\n]{0,200}\}(?:[^}]|$)          # {{name}
  | (?:^|[^{%$@])\{[A-Za-z_][^{}\n]{0,100}\}\}  # {name}}
  | \{\{\s*\}\}                            # {{ }}
  | \{\{[^}\n]{0,200}$                     # {{name   (unclosed)
  | %\{[^}\n]{0,120}$                      # %{name   (unclosed)
";

#[derive(Debug)]
pub struct Placeholder {
    meta: RuleMeta,
    // Compiled on first use: a draft without a placeholder candidate never needs `name`, and
    // compiling all four at every start cost a draft milliseconds.
    placeholder: LazyRegex,
    ellipsis: LazyRegex,
    malformed: LazyRegex,
    /// Cheap test for any candidate at all, so most files cost one scan.
    allow: bool,
    templates: bool,
    known: Vec<String>,
    name: LazyRegex,
}

impl Placeholder {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let meta = src.meta("'%s' is an unfilled placeholder: fill it in before sending.")?;
        let opts: Options = parse_options(src)?;
        let malformed = format!("(?m){MALFORMED}");
        let name = r"[A-Za-z_][A-Za-z0-9_]*(?:[.\->]+[A-Za-z_][A-Za-z0-9_]*)*";
        for pattern in [PLACEHOLDER, ELLIPSIS_ITEM, &malformed, name] {
            src.check_regex(pattern, "placeholder")?;
        }
        Ok(Placeholder {
            meta,
            placeholder: LazyRegex::new(PLACEHOLDER.to_string()),
            ellipsis: LazyRegex::new(ELLIPSIS_ITEM.to_string()),
            malformed: LazyRegex::new(malformed),
            allow: opts.allow,
            templates: opts.templates,
            known: opts.known,
            name: LazyRegex::new(name.to_string()),
        })
    }

    fn report(&self, source: &str, span: Range<usize>, message: String, out: &mut Findings) {
        debug_assert!(source.get(span.clone()).is_some());
        out.push(self.meta.diagnostic(span, message));
    }
}

/// The ellipses of [`ELLIPSIS_ITEM`] list items. A match never spans lines and holds `...`
/// or `…`, so the pattern runs only on the lines that have one (with `(?m)`, `^` and `$`
/// match at a line slice's ends just as they do in the whole text).
fn ellipsis_items(items: &Regex, source: &str) -> Vec<Range<usize>> {
    static MARKS: LazyLock<AhoCorasick> =
        LazyLock::new(|| AhoCorasick::new(["...", "…"]).expect("two literal needles"));
    let mut out = Vec::new();
    let mut scanned_to = 0;
    for mark in MARKS.find_iter(source) {
        if mark.start() < scanned_to {
            continue;
        }
        let start = source[..mark.start()].rfind('\n').map_or(0, |i| i + 1);
        let end = source[mark.start()..]
            .find('\n')
            .map_or(source.len(), |i| mark.start() + i);
        for c in items.captures_iter(&source[start..end]) {
            let m = c.get(1).expect("group 1 always takes part");
            out.push(start + m.start()..start + m.end());
        }
        scanned_to = end;
    }
    out
}

/// `[text]` followed by `(`, `[` or `:` is a Markdown link or reference, not a placeholder.
fn is_link_text(source: &str, range: Range<usize>) -> bool {
    let text = &source[range.clone()];
    text.starts_with('[')
        && !text.starts_with("[[")
        && matches!(source[range.end..].chars().next(), Some('(' | '[' | ':'))
}

/// Byte ranges the scan must skip: code and HTML comments (Markdown), backtick code (text).
fn skipped_ranges(doc: &Document) -> Vec<Range<usize>> {
    let source = doc.source.as_str();
    match (doc.format, &doc.markup) {
        (Format::Markdown, Some(m)) if reader_parses_alike(source) => {
            let ranges = m.fenced_code.iter().chain(&m.code_spans).chain(&m.comments);
            ranges.cloned().collect()
        }
        (Format::Markdown, _) => markdown_skipped_ranges(source),
        (Format::Text, _) => text_skipped_ranges(source),
    }
}

/// The extensions this rule parses Markdown with.
fn markdown_options() -> MdOptions {
    MdOptions::ENABLE_TABLES
        | MdOptions::ENABLE_FOOTNOTES
        | MdOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS
}

/// Whether the Markdown reader's parse (the document's [`Markup`](crate::document::Markup))
/// finds code and comments where [`markdown_options`] would. It enables three more extensions:
/// strikethrough only pairs `~` runs, which never moves code or HTML, but a task-list box
/// (`[ ]`, `[x]`) is not link text to it and a `+++` line may open front matter, so a file that
/// may hold either is parsed again with this rule's own options.
fn reader_parses_alike(source: &str) -> bool {
    debug_assert!(markdown::options().contains(markdown_options()));
    let bytes = source.as_bytes();
    let task_box = source.match_indices('[').any(|(i, _)| {
        matches!(
            bytes.get(i + 1),
            Some(b' ' | b'\t' | 0x0b | 0x0c | b'x' | b'X')
        ) && bytes.get(i + 2) == Some(&b']')
    });
    !task_box && !source.contains("+++")
}

/// Fenced code, inline code and HTML comments, from a parse with [`markdown_options`].
fn markdown_skipped_ranges(source: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut in_code: Option<usize> = None;
    for (ev, range) in Parser::new_ext(source, markdown_options()).into_offset_iter() {
        match ev {
            // Indented "code" in a macro is usually just an indented line of the letter, so
            // only fenced code is skipped.
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) => in_code = Some(range.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(s) = in_code.take() {
                    out.push(s..range.end);
                }
            }
            Event::Code(_) => out.push(range),
            Event::Html(h) | Event::InlineHtml(h) if h.trim_start().starts_with("<!--") => {
                out.push(range)
            }
            _ => {}
        }
    }
    out
}

/// Backtick-quoted code in plain text.
fn text_skipped_ranges(source: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut rest = 0;
    while let Some(open) = source[rest..].find('`') {
        let start = rest + open;
        let ticks = source[start..].bytes().take_while(|b| *b == b'`').count();
        let fence = &source[start..start + ticks];
        match source[start + ticks..].find(fence) {
            Some(close) => {
                let end = start + ticks + close + ticks;
                out.push(start..end);
                rest = end;
            }
            None => break,
        }
    }
    out
}

impl Rule for Placeholder {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let source = cx.doc.source.as_str();
        let template = cx.doc.is_template();
        let mut found: Vec<(Range<usize>, String)> = Vec::new();
        // Most replies hold no placeholder candidate at all: then the big pattern is not even
        // compiled (it costs a draft milliseconds).
        let placeholder = may_hold_placeholder(source).then(|| self.placeholder.get());
        let Some(placeholder) = compiled(placeholder.transpose(), &self.meta, out) else {
            return;
        };
        let placeholders = || placeholder.into_iter().flat_map(|r| r.find_iter(source));
        if !(self.allow || (self.templates && template)) {
            let ellipsis =
                (source.contains("...") || source.contains('…')).then(|| self.ellipsis.get());
            let Some(ellipsis) = compiled(ellipsis.transpose(), &self.meta, out) else {
                return;
            };
            for m in placeholders() {
                if is_link_text(source, m.range()) {
                    continue;
                }
                found.push((m.range(), self.meta.format(&[m.as_str()])));
            }
            for range in ellipsis.map_or_else(Vec::new, |e| ellipsis_items(e, source)) {
                found.push((
                    range,
                    "A list item that is only '…' is a stand-in: write the item or remove it."
                        .to_string(),
                ));
            }
        } else if !self.known.is_empty() {
            let Some(name_pattern) = compiled(self.name.get(), &self.meta, out) else {
                return;
            };
            for m in placeholders() {
                let text = m.as_str();
                if !text.starts_with(['{', '%', '$', '@', '*']) {
                    continue;
                }
                let Some(name) = name_pattern.find(text) else {
                    continue;
                };
                let name = name.as_str();
                let base = name.split(['.', '-', '>']).next().unwrap_or(name);
                if !self.known.iter().any(|k| k == name || k == base) {
                    found.push((
                        m.range(),
                        format!(
                            "'{text}' uses `{name}`, which is not one of the known placeholders ({}).",
                            self.known.join(", ")
                        ),
                    ));
                }
            }
        }
        // Every malformed form has a `{`; most files have none.
        let malformed = source.contains('{').then(|| self.malformed.get());
        let Some(malformed) = compiled(malformed.transpose(), &self.meta, out) else {
            return;
        };
        let malformed = malformed.map(|r| r.find_iter(source));
        for m in malformed.into_iter().flatten() {
            // Trim the context character the pattern needed on either side.
            let s = m.as_str();
            let start = m.start() + s.find('{').or_else(|| s.find('%')).unwrap_or(0);
            let end = m.start() + s.rfind('}').map_or(s.len(), |i| i + 1);
            let end = end.max(start + 1).min(m.end());
            found.push((
                start..end,
                format!(
                    "'{}' is a malformed placeholder: its braces do not match, so the helpdesk will send it as is.",
                    &source[start..end]
                ),
            ));
        }
        if found.is_empty() {
            return;
        }
        // A template's file is an export (JSON, YAML, CSV): only its macro bodies are text.
        let bodies: Vec<Range<usize>> = if template {
            cx.doc.own_blocks().map(|b| b.map.source_extent()).collect()
        } else {
            Vec::new()
        };
        let skip = if template {
            Vec::new()
        } else {
            skipped_ranges(cx.doc)
        };
        found.sort_by_key(|(r, _)| (r.start, r.end));
        let mut last_end = 0;
        for (span, message) in found {
            let outside_bodies = template
                && !bodies
                    .iter()
                    .any(|b| b.start <= span.start && span.end <= b.end);
            if span.start < last_end
                || outside_bodies
                || skip
                    .iter()
                    .any(|s| s.start < span.end && span.start < s.end)
            {
                continue;
            }
            last_end = span.end;
            self.report(source, span, message, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static PATTERN: std::sync::LazyLock<Regex> =
        std::sync::LazyLock::new(|| Regex::new(PLACEHOLDER).unwrap());

    proptest::proptest! {
        #[test]
        fn the_pre_check_passes_every_text_the_pattern_matches(
            parts in proptest::collection::vec(proptest::sample::select(vec![
                "{", "}", "{{", "}}", "%", "$", "@", "*", "|", "[", "]", "<", ">", "#", "X", "XX",
                "A", "NAME", "FIRST", "_", "-", "x", "name", "url", " ", "\n", "user", "Ticket",
            ]), 0..12),
        ) {
            let text = parts.concat();
            if PATTERN.is_match(&text) {
                proptest::prop_assert!(may_hold_placeholder(&text), "{text:?}");
            }
        }
    }

    #[test]
    fn plain_replies_skip_the_pattern() {
        assert!(!may_hold_placeholder(
            "Hi Priya, your refund of $40 went out today."
        ));
        assert!(may_hold_placeholder("Hi {{first_name}},"));
        assert!(may_hold_placeholder("Order #NUMBER shipped"));
        assert!(may_hold_placeholder("Hi XXX"));
    }

    fn from_reader(source: &str) -> Vec<Range<usize>> {
        let doc = Document::parse(source.to_string(), Format::Markdown);
        let mut ranges = skipped_ranges(&doc);
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges
    }

    fn own_parse(source: &str) -> Vec<Range<usize>> {
        let mut ranges = markdown_skipped_ranges(source);
        ranges.sort_by_key(|r| (r.start, r.end));
        ranges
    }

    #[test]
    fn code_and_comments_come_from_the_reader_parse() {
        let src = "Hi `{{a}}` there.\n\n```\n{{b}}\n```\n\n<!-- {{c}} -->\n\nok <!-- d --> ~~e~~\n";
        let doc = Document::parse(src.to_string(), Format::Markdown);
        assert!(reader_parses_alike(src));
        let got: Vec<&str> = from_reader(src).into_iter().map(|r| &src[r]).collect();
        assert_eq!(
            got,
            [
                "`{{a}}`",
                "```\n{{b}}\n```",
                "<!-- {{c}} -->\n",
                "<!-- d -->"
            ]
        );
        assert_eq!(from_reader(src), own_parse(src));
        assert!(doc.markup.is_some());
    }

    #[test]
    fn task_boxes_and_plus_front_matter_are_parsed_again() {
        // After a task box and a blank line the item is over, so to the reader the indented
        // line is code but not a code span; to this rule's parse it is a code span in the item.
        let task = "- [x]\n\n     `{{a}}`\n";
        let front = "+++\ntitle = \"`{{x}}`\"\n+++\n";
        for src in [task, front] {
            assert!(!reader_parses_alike(src), "{src}");
            let doc = Document::parse(src.to_string(), Format::Markdown);
            let markup = doc.markup.as_ref().unwrap();
            let mut shared: Vec<_> = (markup.code_spans.iter().chain(&markup.comments))
                .cloned()
                .collect();
            shared.sort_by_key(|r| (r.start, r.end));
            assert_ne!(shared, own_parse(src), "{src}");
            assert_eq!(from_reader(src), own_parse(src), "{src}");
        }
    }

    #[test]
    fn ellipsis_items_are_found_line_by_line_as_in_the_whole_text() {
        let items = Regex::new(ELLIPSIS_ITEM).unwrap();
        let whole = |src: &str| -> Vec<Range<usize>> {
            items
                .captures_iter(src)
                .map(|c| c.get(1).unwrap().range())
                .collect()
        };
        for src in [
            "- ...",
            "Intro...\n\n1. ...\n2) …  \n- done\n* ... and more\n+\t...\r\n- ...",
            "text ... text\n - ...\n\n٣. ...\n",
            "",
        ] {
            assert_eq!(ellipsis_items(&items, src), whole(src), "{src:?}");
        }
        assert_eq!(ellipsis_items(&items, "a\n- …\n").len(), 1);
    }

    proptest::proptest! {
        /// Taking code and comments from the reader's parse skips exactly what a parse with this
        /// rule's own options would.
        #[test]
        fn reader_markup_matches_own_parse(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "`", "``", "```", "~", "~~", "~~~", "*", "_", "[", "]", "(", ")", "<", ">",
                "<!--", "-->", "<b>", "</b>", "<div>", "!", "-", "+", "+++", "x", "a", " ",
                "    ", "\t", "\n", "\n\n", "|", "---", "#", ":", "\\", "&amp;", "[ ]", "[x]",
                "- ", "1. ", "> ", "{{n}}", "[^1]", "[^1]: ", "http://a.b", "+++\n", "\n+++\n",
                "- [x]\n\n", "     `a`", "~~`a`~~",
            ]),
            0..40,
        )) {
            let src: String = parts.concat();
            if reader_parses_alike(&src) {
                proptest::prop_assert_eq!(from_reader(&src), own_parse(&src));
            }
        }
    }
}
