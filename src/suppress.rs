//! Inline suppression comments: the writer turns rules off for part of a file.
//!
//! What it reads:
//! - `<!-- candor-disable -->` … `<!-- candor-enable -->`: every rule off in between;
//!   `<!-- candor-disable Candor.SelfFocus, Candor.CannedFiller -->` turns off only those (a pack
//!   name such as `Candor` covers all its rules) and `<!-- candor-enable Candor.SelfFocus -->`
//!   turns one back on;
//! - `<!-- candor-disable-next-line [rules] -->`: the line after the comment only;
//!   `<!-- candor-disable-line [rules] -->`: the comment's own line;
//! - Vale's `<!-- vale off -->` / `<!-- vale on -->`, `<!-- vale Pack.Rule = NO -->` / `= YES`,
//!   `<!-- vale Pack = NO -->` and `<!-- vale Pack.Rule["match"] = NO -->`, so documents written
//!   for Vale keep working.
//!
//! Text after ` -- ` is a reason for the reader and is ignored.
//! Why it matters: a macro that quotes filler on purpose ("never write 'We apologize for any
//! inconvenience'") must not fail CI, and the writer says so next to the text, not in a config.
//!
//! In Markdown only real HTML comments count (one shown inside a code block does not); in other
//! files a comment counts when it stands on its own line. In a helpdesk macro export a comment
//! anywhere inside a macro body counts (HTML bodies keep them; JSON may write `<` as `\u003c`),
//! and it applies within that body only: a `candor-disable` left open ends with the body, and
//! "line" means a line of the body (a newline, or a `\n` escape in a JSON string).

use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag};
use regex::Regex;

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::document::{Document, Format};

/// Rules a directive names; no selectors means every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Selector {
    /// A rule id (`Candor.SelfFocus`) or a pack (`Candor`).
    target: String,
    /// Vale's `Rule["a","b"]`: only findings whose matched text is one of these (ignoring
    /// ASCII case, so "utilize" covers a sentence-initial "Utilize").
    matches: Option<Vec<String>>,
}

impl Selector {
    /// Whether turning `self` on or off undoes an earlier `other`: the same selector, or the
    /// whole rule after one limited to some matches (`vale R = YES` after `vale R["x"] = NO`).
    fn replaces(&self, other: &Selector) -> bool {
        self == other || (self.matches.is_none() && self.target == other.target)
    }

    fn covers(&self, rule: &str, matched: &str) -> bool {
        let rule_hit = rule == self.target
            || rule
                .strip_prefix(self.target.as_str())
                .is_some_and(|rest| rest.starts_with('.'));
        rule_hit
            && self
                .matches
                .as_ref()
                .is_none_or(|m| m.iter().any(|x| x.eq_ignore_ascii_case(matched)))
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Disable(Vec<Selector>),
    Enable(Vec<Selector>),
    DisableNextLine(Vec<Selector>),
    DisableLine(Vec<Selector>),
}

/// A directive and the byte offset where its comment ends (where it takes effect).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    at: usize,
    action: Action,
}

/// Which rules are off at one point of the file.
#[derive(Debug, Clone, Default, PartialEq)]
struct State {
    /// Every rule off (except `except`).
    all: bool,
    except: Vec<Selector>,
    /// Rules off while `all` is false.
    off: Vec<Selector>,
}

impl State {
    fn apply(&mut self, action: &Action) {
        match action {
            Action::Disable(sels) if sels.is_empty() => {
                *self = State {
                    all: true,
                    ..State::default()
                }
            }
            Action::Enable(sels) if sels.is_empty() => *self = State::default(),
            Action::Disable(sels) => {
                for s in sels {
                    if self.all {
                        self.except.retain(|e| !s.replaces(e));
                    } else if !self.off.contains(s) {
                        self.off.push(s.clone());
                    }
                }
            }
            Action::Enable(sels) => {
                for s in sels {
                    if self.all {
                        self.except.push(s.clone());
                    } else {
                        self.off.retain(|e| !s.replaces(e));
                    }
                }
            }
            Action::DisableNextLine(_) | Action::DisableLine(_) => {}
        }
    }

    fn disables(&self, rule: &str, matched: &str) -> bool {
        if self.all {
            !self.except.iter().any(|s| s.covers(rule, matched))
        } else {
            self.off.iter().any(|s| s.covers(rule, matched))
        }
    }
}

/// The suppression comments of one document.
#[derive(Debug, Default, PartialEq)]
pub struct Suppressions {
    /// Range directives in file order, each with the state right after it.
    states: Vec<(usize, State)>,
    /// 1-based line and the selectors of each `candor-disable-next-line` / `-line`.
    lines: Vec<(usize, Vec<Selector>)>,
    /// Byte range and selectors of each line directive inside a macro body.
    spans: Vec<(Range<usize>, Vec<Selector>)>,
}

impl Suppressions {
    /// Reads the directives of `doc`.
    pub fn of(doc: &Document) -> Suppressions {
        if !may_hold_directives(&doc.source) {
            return Suppressions::default();
        }
        Suppressions::read(doc)
    }

    /// [`Suppressions::of`] without its pre-check.
    fn read(doc: &Document) -> Suppressions {
        let source = &doc.source;
        if !doc.part_extents.is_empty() {
            return Suppressions::of_parts(source, &doc.part_extents);
        }
        let directives = match doc.format {
            Format::Markdown => markdown_directives(source),
            _ => own_line_directives(source),
        };
        let index = LineIndex::new(source);
        let mut out = Suppressions::default();
        let mut state = State::default();
        for d in directives {
            match &d.action {
                Action::DisableNextLine(sels) => {
                    let line = index.line_col(source, d.at).line + 1;
                    out.lines.push((line, sels.clone()));
                }
                Action::DisableLine(sels) => {
                    let line = index.line_col(source, d.at).line;
                    out.lines.push((line, sels.clone()));
                }
                _ => {
                    state.apply(&d.action);
                    out.states.push((d.at, state.clone()));
                }
            }
        }
        out
    }

    /// Directives inside each part (macro body) of an export, each part on its own.
    fn of_parts(source: &str, extents: &[Range<usize>]) -> Suppressions {
        let mut out = Suppressions::default();
        for extent in extents {
            let Some(body) = source.get(extent.clone()) else {
                continue;
            };
            let breaks = line_breaks(body);
            let mut state = State::default();
            let mut ranged = false;
            for c in ANY_COMMENT.captures_iter(body) {
                let (Some(whole), Some(inner)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                let Some(action) = parse(&inner.as_str().replace("\\\"", "\"")) else {
                    continue;
                };
                let shift = |r: Range<usize>| extent.start + r.start..extent.start + r.end;
                match action {
                    Action::DisableLine(sels) => {
                        out.spans
                            .push((shift(line_at(&breaks, body.len(), whole.start())), sels));
                    }
                    Action::DisableNextLine(sels) => {
                        // The next line with text: a blank line or a bare `<p>` does not count.
                        let next = breaks
                            .iter()
                            .filter(|b| b.start >= whole.end())
                            .map(|b| line_at(&breaks, body.len(), b.end))
                            .find(|l| !body[l.clone()].trim().is_empty());
                        if let Some(line) = next {
                            out.spans.push((shift(line), sels));
                        }
                    }
                    other => {
                        state.apply(&other);
                        out.states.push((extent.start + whole.end(), state.clone()));
                        ranged = true;
                    }
                }
            }
            if ranged {
                out.states.push((extent.end, State::default()));
            }
        }
        out.states.sort_by_key(|(at, _)| *at);
        out
    }

    pub fn is_empty(&self) -> bool {
        self.states.is_empty() && self.lines.is_empty() && self.spans.is_empty()
    }

    /// Whether a finding of `rule` starting at byte `at`, on 1-based `line`, over `matched`
    /// is turned off.
    fn suppresses(&self, rule: &str, at: usize, line: usize, matched: &str) -> bool {
        let before = self.states.partition_point(|(pos, _)| *pos <= at);
        if before > 0 && self.states[before - 1].1.disables(rule, matched) {
            return true;
        }
        let named =
            |sels: &[Selector]| sels.is_empty() || sels.iter().any(|s| s.covers(rule, matched));
        self.lines.iter().any(|(l, sels)| *l == line && named(sels))
            || self
                .spans
                .iter()
                .any(|(r, sels)| r.contains(&at) && named(sels))
    }
}

/// Drops the findings that suppression comments in `doc` turn off.
pub fn apply(diagnostics: &mut Vec<Diagnostic>, doc: &Document) {
    let sup = Suppressions::of(doc);
    if sup.is_empty() {
        return;
    }
    let index = LineIndex::new(&doc.source);
    diagnostics.retain(|d| {
        let line = index.line_col(&doc.source, d.span.start).line;
        let matched = doc.source.get(d.span.clone()).unwrap_or("");
        !sup.suppresses(&d.rule, d.span.start, line, matched)
    });
}

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--(.*?)-->").expect("valid comment regex"));

/// An HTML comment as it may appear in a JSON string: `<` and `>` possibly escaped.
static ANY_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)(?:<|\\u003[cC])!--(.*?)--(?:>|\\u003[eE])").expect("valid comment regex")
});

/// Tags that start a new line in an HTML body.
static HTML_LINE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:p|div|li|h[1-6]|blockquote|tr|br)\b[^>]*>").expect("valid tag regex")
});

/// Line breaks of a macro body as written in the file, sorted: newlines, `\n` escapes (JSON,
/// double-quoted YAML; an escaped backslash `\\` is skipped so `\\n` is not one), and tags that
/// start a line in HTML (`<p>`, `<br>`, `<li>`, ...).
fn line_breaks(body: &str) -> Vec<Range<usize>> {
    let mut out = text_line_breaks(body);
    out.extend(HTML_LINE_START.find_iter(body).map(|m| m.range()));
    out.sort_by_key(|r| r.start);
    out
}

fn text_line_breaks(body: &str) -> Vec<Range<usize>> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => out.push(i..i + 1),
            b'\\' if bytes.get(i + 1) == Some(&b'n') => {
                out.push(i..i + 2);
                i += 1;
            }
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The line (between two breaks) holding byte `at`.
fn line_at(breaks: &[Range<usize>], len: usize, at: usize) -> Range<usize> {
    let start = breaks
        .iter()
        .rev()
        .find(|b| b.end <= at)
        .map_or(0, |b| b.end);
    let end = breaks
        .iter()
        .find(|b| b.start >= at)
        .map_or(len, |b| b.start);
    start..end
}

/// Directives in the HTML (blocks and inline) of a Markdown source.
fn markdown_directives(source: &str) -> Vec<Directive> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut html: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => html.push(range),
            _ => {}
        }
    }
    html.into_iter()
        .flat_map(|r| comments_in(source, r))
        .collect()
}

/// Whether `source` may hold a directive: a comment opening (`<!--`, or `\u003c!--` in JSON)
/// followed by `candor-`, or by `vale` and white space. Most files hold none, and reading them
/// parses a Markdown file again: the cheap tests come first, and a docs page with comments
/// that says "equivalent" (which holds "vale") stops at the last one.
fn may_hold_directives(source: &str) -> bool {
    static OPENING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:<|\\u003[cC])!--\s*(?:candor-|vale\s)").expect("valid opening regex")
    });
    // memmem's vectorised search: `str::contains` with a `&str` is several times slower.
    let has = |needle: &[u8]| memchr::memmem::find(source.as_bytes(), needle).is_some();
    (has(b"candor-") || has(b"vale"))
        && (has(b"<!--") || has(b"\\u003c!--") || has(b"\\u003C!--"))
        && OPENING.is_match(source)
}

/// Directives in comments that stand alone on a line.
fn own_line_directives(source: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        let body = line.trim();
        if body.starts_with("<!--") && body.ends_with("-->") {
            out.extend(comments_in(source, start..start + line.len()));
        }
        start += line.len();
    }
    out
}

fn comments_in(source: &str, range: Range<usize>) -> Vec<Directive> {
    let Some(text) = source.get(range.clone()) else {
        return Vec::new();
    };
    COMMENT
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let action = parse(c.get(1)?.as_str())?;
            Some(Directive {
                at: range.start + whole.end(),
                action,
            })
        })
        .collect()
}

/// The action of a comment's body, if it is a directive.
fn parse(body: &str) -> Option<Action> {
    let body = body.split(" -- ").next().unwrap_or("").trim();
    let (word, rest) = body
        .split_once(char::is_whitespace)
        .map_or((body, ""), |(w, r)| (w, r.trim()));
    match word {
        "candor-disable" => Some(Action::Disable(candor_selectors(rest))),
        "candor-enable" => Some(Action::Enable(candor_selectors(rest))),
        "candor-disable-next-line" => Some(Action::DisableNextLine(candor_selectors(rest))),
        "candor-disable-line" => Some(Action::DisableLine(candor_selectors(rest))),
        "vale" => parse_vale(rest),
        _ => None,
    }
}

fn candor_selectors(rest: &str) -> Vec<Selector> {
    rest.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| Selector {
            target: s.to_string(),
            matches: None,
        })
        .collect()
}

/// `off`, `on`, or `Target = NO|YES` where the target may carry `["match", ...]`.
fn parse_vale(rest: &str) -> Option<Action> {
    match rest.to_ascii_lowercase().as_str() {
        "off" => return Some(Action::Disable(Vec::new())),
        "on" => return Some(Action::Enable(Vec::new())),
        _ => {}
    }
    let (target, value) = rest.rsplit_once('=')?;
    let target = target.trim();
    if target.eq_ignore_ascii_case("style") || target.eq_ignore_ascii_case("styles") {
        return None; // `vale styles = A, B` picks styles: not a suppression.
    }
    let selector = match target.split_once('[') {
        Some((name, list)) => Selector {
            target: name.trim().to_string(),
            matches: Some(quoted_strings(list)),
        },
        None => Selector {
            target: target.to_string(),
            matches: None,
        },
    };
    if selector.target.is_empty() {
        return None;
    }
    match value.trim().to_ascii_uppercase().as_str() {
        "NO" => Some(Action::Disable(vec![selector])),
        "YES" => Some(Action::Enable(vec![selector])),
        _ => None,
    }
}

/// The double-quoted strings in `["a", "b"]`.
fn quoted_strings(list: &str) -> Vec<String> {
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sel(t: &str) -> Selector {
        Selector {
            target: t.to_string(),
            matches: None,
        }
    }

    const PIECES: &[&str] = &[
        "<!--",
        "-->",
        "\\u003c!--",
        "\\u003C!--",
        "\\u003e",
        " ",
        "\t",
        "\u{a0}",
        "\n",
        "vale",
        "vale off",
        " vale on ",
        "Candor.SelfFocus = NO",
        "candor-disable",
        "candor-enable",
        "candor-disable-next-line Candor.CannedFiller",
        "equivalent",
        "Hi there.",
        "```\n",
    ];

    proptest::proptest! {
        /// The pre-check never skips a file that holds a directive.
        #[test]
        fn the_pre_check_never_changes_what_is_read(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..14),
            markdown: bool,
        ) {
            let format = if markdown { Format::Markdown } else { Format::Text };
            let doc = Document::parse(pieces.concat(), format);
            proptest::prop_assert_eq!(Suppressions::of(&doc), Suppressions::read(&doc));
        }
    }

    #[test]
    fn a_comment_saying_equivalent_is_no_directive() {
        let doc = Document::parse(
            "<!-- the equivalent of candor -->\n\nText.".to_string(),
            Format::Markdown,
        );
        assert!(!may_hold_directives(&doc.source));
        let doc = Document::parse("<!--\tvale off -->\n\nText.".to_string(), Format::Markdown);
        assert!(may_hold_directives(&doc.source));
        assert_ne!(Suppressions::of(&doc), Suppressions::default());
    }

    #[test]
    fn parses_every_directive_form() {
        assert_eq!(parse(" candor-disable "), Some(Action::Disable(vec![])));
        assert_eq!(
            parse("candor-disable A.B, C.D -- quoting on purpose"),
            Some(Action::Disable(vec![sel("A.B"), sel("C.D")]))
        );
        assert_eq!(
            parse("candor-disable-next-line A.B"),
            Some(Action::DisableNextLine(vec![sel("A.B")]))
        );
        assert_eq!(parse("candor-enable"), Some(Action::Enable(vec![])));
        assert_eq!(parse("vale off"), Some(Action::Disable(vec![])));
        assert_eq!(parse("vale on"), Some(Action::Enable(vec![])));
        assert_eq!(
            parse("vale A.B = NO"),
            Some(Action::Disable(vec![sel("A.B")]))
        );
        assert_eq!(
            parse("vale A.B = YES"),
            Some(Action::Enable(vec![sel("A.B")]))
        );
        assert_eq!(
            parse(r#"vale A.B["x y","z"] = NO"#),
            Some(Action::Disable(vec![Selector {
                target: "A.B".into(),
                matches: Some(vec!["x y".into(), "z".into()])
            }]))
        );
        assert_eq!(parse("vale styles = A, B"), None);
        assert_eq!(parse("just a comment"), None);
        assert_eq!(parse("candor-disabled"), None);
    }

    #[test]
    fn turning_a_rule_back_on_ends_its_match_limited_suppression() {
        let mut s = State::default();
        s.apply(&parse(r#"vale A.B["x"] = NO"#).unwrap());
        assert!(s.disables("A.B", "x") && !s.disables("A.B", "y"));
        s.apply(&parse("vale A.B = YES").unwrap());
        assert!(!s.disables("A.B", "x"));
    }

    #[test]
    fn pack_selectors_cover_their_rules_only() {
        assert!(sel("Candor").covers("Candor.SelfFocus", ""));
        assert!(!sel("Cand").covers("Candor.SelfFocus", ""));
        assert!(sel("Candor.SelfFocus").covers("Candor.SelfFocus", ""));
    }

    #[test]
    fn enabling_one_rule_inside_a_disable_all_region() {
        let mut s = State::default();
        s.apply(&Action::Disable(vec![]));
        s.apply(&Action::Enable(vec![sel("A.B")]));
        assert!(!s.disables("A.B", ""));
        assert!(s.disables("A.C", ""));
        s.apply(&Action::Enable(vec![]));
        assert!(!s.disables("A.C", ""));
    }

    #[test]
    fn markdown_comments_in_code_do_not_count() {
        let src = "```\n<!-- candor-disable -->\n```\n\ntext\n\n`<!-- vale off -->`\n";
        assert!(markdown_directives(src).is_empty());
        let src = "para <!-- candor-disable A.B --> more\n\n<!--\nvale on\n-->\n";
        let d = markdown_directives(src);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(&src[..d[0].at], "para <!-- candor-disable A.B -->");
        assert_eq!(d[1].action, Action::Enable(vec![]));
    }

    #[test]
    fn body_lines_split_at_newlines_escapes_and_html_line_tags() {
        // `\\n` is an escaped backslash then `n`: not a break.
        let body = r"a\nb\\nc<p>d<br/>e";
        let lines: Vec<&str> = {
            let breaks = line_breaks(body);
            let mut starts = vec![0];
            starts.extend(breaks.iter().map(|b| b.end));
            starts
                .into_iter()
                .map(|s| &body[line_at(&breaks, body.len(), s)])
                .collect()
        };
        assert_eq!(lines, vec!["a", r"b\\nc", "d", "e"]);
    }

    #[test]
    fn plain_text_needs_the_comment_on_its_own_line() {
        let src = "a <!-- candor-disable --> b\n  <!-- vale off -->  \n";
        let d = own_line_directives(src);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].action, Action::Disable(vec![]));
    }
}
