//! HTML bodies (Zendesk `comment_value_html`, Freshdesk `content_html`, Help Scout saved
//! replies, `.html` files) reduced to the text a customer reads, with a map back to the HTML.
//!
//! html5gum tokenises the HTML and gives every tag and text run its byte span. Text runs are
//! copied through; character references (`&amp;`, `&eacute;`, `&#8217;`) are decoded by html5gum
//! too, one reference at a time, so each decoded character maps to exactly the reference it came
//! from. Block tags (`<p>`, `<div>`, `<li>`, headings) end a paragraph and `<br>` ends a line;
//! `<script>`, `<style>` and comments are dropped. Runs of white space collapse to one space, as
//! a browser shows them.

use html5gum::{DefaultEmitter, Token, Tokenizer};

use crate::document::OffsetMap;

/// Tags whose start and end separate paragraphs (also the blocks of HTML inside Markdown,
/// `crate::document::html_blocks`).
pub(crate) const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "center",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "td",
    "th",
    "tr",
    "ul",
];

/// Tags whose content is not read as text.
const HIDDEN_TAGS: &[&str] = &["head", "noscript", "script", "style", "template", "title"];

/// Whether a string is worth reading as HTML: it has a tag such as `<p>`, `<br/>` or `</div>`,
/// or a character reference such as `&amp;` or `&#39;`.
pub fn looks_like_html(text: &str) -> bool {
    let b = text.as_bytes();
    let tag = b.windows(2).enumerate().any(|(i, w)| {
        w[0] == b'<'
            && (w[1].is_ascii_alphabetic()
                || (w[1] == b'/' && b.get(i + 2).is_some_and(|c| c.is_ascii_alphabetic()))
                || w[1] == b'!')
    });
    tag || text.match_indices('&').any(|(i, _)| {
        let name = &b[i + 1..];
        let len = name
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'#')
            .count();
        len >= 2 && name.get(len) == Some(&b';')
    })
}

/// A paragraph or line break waiting to be written before the next text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Break {
    None,
    Line,
    Paragraph,
}

/// The reduced text being built, with its map to the HTML's bytes.
struct Reducer<'a> {
    html: &'a str,
    text: String,
    map: OffsetMap,
    pending: Break,
    /// HTML range of the tag that asked for the pending break.
    pending_at: std::ops::Range<usize>,
}

impl Reducer<'_> {
    fn request_break(&mut self, kind: Break, at: std::ops::Range<usize>) {
        if kind > self.pending {
            self.pending = kind;
            self.pending_at = at;
        }
    }

    fn at_line_start(&self) -> bool {
        self.text.is_empty() || self.text.ends_with('\n')
    }

    fn flush_break(&mut self) {
        let sep = match self.pending {
            Break::None => return,
            Break::Line => "\n",
            Break::Paragraph => "\n\n",
        };
        self.pending = Break::None;
        if self.text.is_empty() {
            return;
        }
        let have = self.text.len() - self.text.trim_end_matches('\n').len();
        let want = sep.len().saturating_sub(have);
        if want > 0 {
            self.text.push_str(&sep[..want]);
            self.map.push_replaced(self.pending_at.clone(), want);
        }
    }

    /// Adds text copied from `self.html[start..start + s.len()]`, collapsing white space.
    fn push_plain(&mut self, s: &str, start: usize) {
        let bytes = s.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if is_space(bytes[i]) {
                let run_end = i + bytes[i..].iter().take_while(|b| is_space(**b)).count();
                if !self.at_line_start() && self.pending == Break::None {
                    if run_end - i == 1 && bytes[i] == b' ' {
                        self.text.push(' ');
                        self.map.push_verbatim(start + i, 1);
                    } else {
                        self.text.push(' ');
                        self.map.push_replaced(start + i..start + run_end, 1);
                    }
                }
                i = run_end;
                continue;
            }
            let run_end = i + bytes[i..].iter().take_while(|b| !is_space(**b)).count();
            self.flush_break();
            self.text.push_str(&s[i..run_end]);
            self.map.push_verbatim(start + i, run_end - i);
            i = run_end;
        }
    }

    /// Adds a decoded character reference that stands for `self.html[range]`.
    fn push_decoded(&mut self, decoded: &str, range: std::ops::Range<usize>) {
        if decoded.is_empty() {
            return;
        }
        self.flush_break();
        self.text.push_str(decoded);
        self.map.push_replaced(range, decoded.len());
    }

    /// A text run at `range`: plain text with character references.
    fn push_run(&mut self, range: std::ops::Range<usize>) {
        let html = self.html;
        let raw = &html[range.clone()];
        let mut last = 0;
        for (amp, _) in raw.match_indices('&') {
            if amp < last {
                continue;
            }
            self.push_plain(&raw[last..amp], range.start + last);
            let reference = reference_candidate(&raw[amp..]);
            let decoded = decode_reference(reference);
            // html5gum may read only part of the candidate (`&notit` is `¬` then `it`): what it
            // left as is sits at the end of both strings.
            let mut common = common_suffix(reference, &decoded);
            if common == reference.len() {
                // Not a reference at all: copy it.
                self.push_plain(reference, range.start + amp);
            } else {
                while !reference.is_char_boundary(reference.len() - common)
                    || !decoded.is_char_boundary(decoded.len() - common)
                {
                    common -= 1;
                }
                let ref_len = reference.len() - common;
                self.push_decoded(
                    &decoded[..decoded.len() - common],
                    range.start + amp..range.start + amp + ref_len,
                );
                self.push_plain(&reference[ref_len..], range.start + amp + ref_len);
            }
            last = amp + reference.len();
        }
        self.push_plain(&raw[last..], range.start + last);
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// The longest stretch at the start of `s` (which starts with `&`) that can be one character
/// reference: `&name;`, `&#123;`, `&#x1F600;`, or a legacy name without `;`.
fn reference_candidate(s: &str) -> &str {
    let b = s.as_bytes();
    let mut end = 1;
    while end < b.len() && end < 40 && (b[end].is_ascii_alphanumeric() || b[end] == b'#') {
        end += 1;
    }
    if b.get(end) == Some(&b';') {
        end += 1;
    }
    &s[..end]
}

/// What html5gum makes of a lone character reference in text.
fn decode_reference(reference: &str) -> String {
    let mut out = Vec::new();
    for token in Tokenizer::new(reference).flatten() {
        if let Token::String(s) = token {
            out.extend_from_slice(&s.value);
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn common_suffix(a: &str, b: &str) -> usize {
    a.bytes()
        .rev()
        .zip(b.bytes().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// The text of an HTML fragment and the map from its bytes back to `html`'s.
pub fn reduce(html: &str) -> (String, OffsetMap) {
    let mut emitter = DefaultEmitter::<usize>::new_with_span();
    emitter.naively_switch_states(true);
    let mut r = Reducer {
        html,
        text: String::new(),
        map: OffsetMap::default(),
        pending: Break::None,
        pending_at: 0..0,
    };
    let mut hidden: Option<Vec<u8>> = None;
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                let span = tag.span.start..tag.span.end;
                if hidden.is_some() {
                    continue;
                }
                if HIDDEN_TAGS.contains(&name.as_str()) && !tag.self_closing {
                    hidden = Some(tag.name.0.clone());
                } else if name == "br" {
                    r.request_break(Break::Line, span);
                    // Two `<br>` in a row end a paragraph, as they look like one.
                    if r.pending == Break::Line && r.text.ends_with('\n') {
                        r.request_break(Break::Paragraph, tag.span.start..tag.span.end);
                    }
                    r.flush_break();
                } else if BLOCK_TAGS.contains(&name.as_str()) {
                    r.request_break(Break::Paragraph, span);
                }
            }
            Token::EndTag(tag) => {
                if let Some(h) = &hidden {
                    if h.eq_ignore_ascii_case(&tag.name) {
                        hidden = None;
                    }
                    continue;
                }
                let name = String::from_utf8_lossy(&tag.name).to_ascii_lowercase();
                if BLOCK_TAGS.contains(&name.as_str()) {
                    r.request_break(Break::Paragraph, tag.span.start..tag.span.end);
                }
            }
            Token::String(s) if hidden.is_none() => {
                let range = s.span.start..s.span.end;
                if html.get(range.clone()).is_some() {
                    r.push_run(range);
                }
            }
            _ => {}
        }
    }
    // A break still pending at the end is not text.
    let Reducer { text, map, .. } = r;
    (text, map)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slice<'a>(html: &'a str, text: &str, map: &OffsetMap, needle: &str) -> &'a str {
        let at = text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} in {text:?}"));
        &html[map.to_source(at..at + needle.len())]
    }

    #[test]
    fn tags_become_breaks_and_text_maps_back() {
        let html = "<p>Hi {{ticket.requester.first_name}},</p><p>We apologize for any\n   inconvenience.<br>Thanks</p>";
        let (text, map) = reduce(html);
        assert_eq!(
            text,
            "Hi {{ticket.requester.first_name}},\n\nWe apologize for any inconvenience.\nThanks"
        );
        assert_eq!(
            slice(html, &text, &map, "We apologize for any inconvenience"),
            "We apologize for any\n   inconvenience"
        );
        assert_eq!(slice(html, &text, &map, "Thanks"), "Thanks");
    }

    #[test]
    fn character_references_map_to_themselves() {
        let html = "<div>Caf&eacute; &amp; more &#8217;s &notit &bogus; x&nbsp;y</div>";
        let (text, map) = reduce(html);
        assert_eq!(text, "Café & more ’s ¬it &bogus; x\u{a0}y");
        assert_eq!(slice(html, &text, &map, "é"), "&eacute;");
        assert_eq!(slice(html, &text, &map, "Café &"), "Caf&eacute; &amp;");
        assert_eq!(slice(html, &text, &map, "’"), "&#8217;");
        assert_eq!(slice(html, &text, &map, "¬"), "&not");
        assert_eq!(slice(html, &text, &map, "it &bogus;"), "it &bogus;");
        assert_eq!(slice(html, &text, &map, "\u{a0}y"), "&nbsp;y");
    }

    #[test]
    fn scripts_styles_and_comments_are_not_text() {
        let html = "<style>p { color: red }</style><!-- note --><p>Shown</p><script>var a = '<p>';</script>";
        let (text, map) = reduce(html);
        assert_eq!(text, "Shown");
        assert_eq!(slice(html, &text, &map, "Shown"), "Shown");
    }

    #[test]
    fn broken_html_does_not_panic() {
        for html in [
            "<p",
            "</",
            "&",
            "&#",
            "&#x;",
            "<a href='x>t",
            "<<<>>>",
            "<p>\u{0}</p>",
        ] {
            let (text, map) = reduce(html);
            assert_eq!(text.len(), map.prose_len());
        }
    }

    proptest::proptest! {
        #[test]
        fn any_input_maps_inside_the_html(html in "(<[a-z/!]{0,3}[^>]{0,6}>?|&[#a-zA-Z0-9]{0,6};?|[a-z \n\r\té😀<>&;])*") {
            let (text, map) = reduce(&html);
            proptest::prop_assert_eq!(text.len(), map.prose_len());
            for (i, c) in text.char_indices() {
                let r = map.to_source(i..i + c.len_utf8());
                proptest::prop_assert!(html.get(r.clone()).is_some(), "{:?} -> {:?}", c, r);
            }
        }
    }

    #[test]
    fn html_is_recognised_by_its_tags() {
        assert!(looks_like_html("Hi<br />there"));
        assert!(looks_like_html("<p>x</p>"));
        assert!(!looks_like_html("a < b and c > d"));
        assert!(!looks_like_html("1<2"));
        assert!(looks_like_html("Tom &amp; Jerry"));
        assert!(looks_like_html("it&#39;s"));
        assert!(!looks_like_html("AT&T and R&D"));
    }
}
