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
//! `*|FNAME|*` parses as emphasis. Fenced and inline code, front matter, HTML comments and
//! Hugo's code shortcodes (`{{< highlight >}}`) are skipped; so is bracketed text that is a
//! Markdown link (`[DCO](https://...)`).
//! Spans slice exactly the placeholder.
//!
//! Templates: in a document read as a macro (a helpdesk export, so `doc.is_template()`),
//! placeholders are how the customer's name gets in, so well-formed ones are accepted and only
//! malformed ones (`{{name}`, `{{ }}`, an unclosed `%{`) are reported, plus, with `known:
//! [first_name, ...]`, placeholders naming any other variable (a typo the helpdesk would send as
//! is). Only the macro bodies are scanned, not the export's keys. `allow: true` applies the same
//! treatment to every file (a repository of macros kept as Markdown); `templates: false` treats
//! templates like replies.

use std::cell::OnceCell;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, MatchKind};
use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag};
use regex::Regex;
use regex_automata::{meta, Anchored, Input};
use serde::Deserialize;

use crate::check::{CheckContext, Findings};
use crate::document::{markdown, Document, Format};
use crate::engine::lazy::{Lazy, LazyRegex};
use crate::error::ConfigError;
use crate::rules::types::parse_options;
use crate::rules::{compiled, Rule, RuleMeta, RuleSource};

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

/// Where the branches of a [`GROUPS`] entry can start a match.
#[derive(Debug, Clone, Copy)]
enum Start {
    /// At one of these bytes (never a capital letter).
    Bytes(&'static [u8]),
    /// At the start of an ASCII word whose first two letters are capitals ("XXX", "REPONAME").
    CapitalWord,
}

/// Every placeholder form, one alternation per group, each group's branches in order of
/// preference (longest forms first). Branches of different groups never start at the same byte,
/// so scanning group by group and taking the leftmost match finds what one alternation of them
/// all would; each group's own pattern starts with a literal byte and runs behind its fast
/// prefilter, where the whole alternation could not use one.
/// The words a stand-in starts with to say whom or what it is for (`$CUSTOMER_ID`,
/// `FIRST_NAME`): one list for the `$WORD` and the bare capital-word forms.
macro_rules! stand_in_subjects {
    () => {
        "FIRST|LAST|FULL|USER|CUSTOMER|AGENT|COMPANY|ORDER|TICKET|ISSUE|ACCOUNT"
    };
}

/// Whose detail a written-out stand-in is for (`(client name)`, `__customer's email__`): people
/// and organisations a reply is written to or from, or which of a person's names (`(first
/// name)`). Not things: "PowerShell (product name)" is a docs page's gloss.
macro_rules! stand_in_roles {
    () => {
        "[Cc]ustomer|[Cc]lient|[Uu]ser|[Mm]ember|[Gg]uest|[Cc]aller|[Rr]ecipient|[Pp]atient|\
         [Ss]tudent|[Cc]ontact|[Pp]erson|[Aa]gent|[Rr]ep|[Aa]dvis[eo]r|[Ss]taff|[Mm]anager|\
         [Cc]ompany|[Bb]usiness|[Oo]rgani[sz]ation|[Tt]eam|[Ff]irst|[Ll]ast|[Ff]ull"
    };
}

/// What detail a written-out stand-in asks for.
macro_rules! stand_in_slots {
    () => {
        "[Nn]ame|NAME|[Ee]-?mail(?:\\x20address)?|[Pp]hone(?:\\x20number)?|[Nn]umber|[Dd]ate|[Tt]ime|\
         [Aa]ddress"
    };
}

const GROUPS: &[(Start, &str)] = &[
    (
        Start::Bytes(b"{"),
        r"(?x)
            \{\{[<%][^\n]{0,200}?[>%]\}\}           # Hugo's {{< note >}}: markup, found to be skipped
          | \{\{[^{}\n]{0,200}\}\}                 # {{ first_name }}  {{ a | default: 'x' }}
          | \{%[^%\n]{0,200}%\}                    # {% if x %}
          | \{\s?\$[^{}\n]{1,120}\}                # {$Ticket->Subject}
          | \{[A-Za-z_][A-Za-z0-9_.\-]{0,60}\}     # {customer_name}
        ",
    ),
    (
        Start::Bytes(b"%$@"),
        concat!(
            r"(?x)
            [%$@]\{[^{}\n]{1,120}\}                # %{name}  ${name}  @{issue-author}
          | \$(?:[A-Z0-9_]{0,30}(?:NAME|NUMBER|URL|EMAIL|DATE|PHONE|ADDRESS)|[A-Z0-9_]{2,30}ID|(?:",
            stand_in_subjects!(),
            r")[A-Z0-9_]{0,30})(?-u:\b)  # $FIRSTNAME (not $HOME, $PSHOME)
          | (?-u:\B)@(?:username|user|handle|author|someone|mention|your[-_]?name)(?-u:\b)
        "
        ),
    ),
    (
        Start::Bytes(b"*"),
        r"(?x) \*\|[A-Z0-9_:]{2,40}\|\*            # *|FNAME|*
        ",
    ),
    (
        Start::Bytes(b"["),
        r"(?x)
            \[\[[^\[\]\n]{1,80}\]\]                # [[at-mention]]
          | \[[A-Z][A-Z0-9_]*(?:[\ _/\-][A-Z0-9]+)*\]  # [CUSTOMER NAME]
          | \[[^\[\]\n]{0,60}?(?-u:\b)(?:(?i:url|link|name|e-?mail|number|date|phone|address|insert|placeholder))(?-u:\b)[^\[\]\n]{0,60}\]
        ",
    ),
    (
        Start::Bytes(b"<"),
        r"(?x)
            <\#?[A-Za-z]+(?:[_\-][A-Za-z]+)+>      # <ISSUE_NUMBER>  <first_name>
          | <\#[A-Za-z_]+>                         # <#number>
          | <[A-Z][A-Z0-9]{2,}>                    # <NAME>
          | <[A-Z][A-Z0-9]*(?:\ [A-Z][A-Z0-9]*)+>   # <TEAM NAME> (a tag's attributes have '=')
          | <(?:your|customer|agent|insert|user)[\ A-Za-z0-9_]{0,40}>
        ",
    ),
    (
        Start::Bytes(b"("),
        concat!(
            r"(?x)
            \((?:[Ii]nsert|INSERT)\ [^()\n]{1,40}\)      # (insert date)
          | \((?:[Yy]our\ |[Tt]he\ )?(?:",
            stand_in_roles!(),
            r")(?:'s|’s)?\ (?:",
            stand_in_slots!(),
            r")\)                                    # (client name)  (customer's email)
        "
        ),
    ),
    (
        Start::Bytes(b"_"),
        concat!(
            r"(?x)
            _{2,}\([^()\n]{1,40}\)_{2,}               # __(day)____  __(your name)__
          | \b{start-half}_{4,20}\b{end-half}         # a blank to fill in: on ______ at 3pm
          | _{2,}(?:[Yy]our\ |[Tt]he\ )?(?:",
            stand_in_roles!(),
            r")(?:'s|’s)?\ (?:",
            stand_in_slots!(),
            r")_{2,}                                 # __client's name__
        "
        ),
    ),
    (
        Start::Bytes(b"#"),
        r"(?x) \#(?:[A-Z_]*(?:NUMBER|NUM|NO|NR|ID|REF)|TICKET|ORDER|ISSUE|CASE|INVOICE)(?-u:\b)  # #NUMBER (not #TYPE, #ERR)
        ",
    ),
    (
        Start::CapitalWord,
        concat!(
            r"(?x)
            (?-u:\b)X{3,}(?-u:\b)                  # XXX
          | (?-u:\b)(?:[A-Z]{2,}(?:NAME|NUMBER|URL|EMAIL)|[A-Z]{4,}ID)(?-u:\b)  # REPONAME, TICKETID (not GUID, COVID)
          | (?-u:\b)(?:",
            stand_in_subjects!(),
            r")_[A-Z_]{2,}(?-u:\b)
        "
        ),
    ),
];

/// The compiled [`GROUPS`].
#[derive(Debug)]
struct Placeholders {
    /// The groups that start at given bytes, with those bytes: found with their own search.
    by_byte: Vec<(&'static [u8], meta::Regex)>,
    /// The capital-word group: tried (anchored) only where [`capital_word_starts`] says.
    capital_words: Vec<meta::Regex>,
}

impl Placeholders {
    fn build(_: &str) -> Result<Placeholders, String> {
        let compile = |pattern: &str| meta::Regex::new(pattern).map_err(|e| e.to_string());
        let (mut by_byte, mut capital_words) = (Vec::new(), Vec::new());
        for (start, pattern) in GROUPS {
            match start {
                Start::Bytes(bytes) => by_byte.push((*bytes, compile(pattern)?)),
                Start::CapitalWord => capital_words.push(compile(pattern)?),
            }
        }
        Ok(Placeholders {
            by_byte,
            capital_words,
        })
    }

    /// The matches one alternation of every group would find, left to right, never
    /// overlapping.
    #[cfg(test)]
    fn find_all(&self, source: &str) -> Vec<Range<usize>> {
        self.find_in(source, 0..source.len())
    }

    /// The matches of [`Placeholders::find_all`] that lie in each of `windows` (in order, not
    /// overlapping), each window searched as if it were the whole text (`\b` still sees the
    /// bytes around it).
    fn find_in_windows(&self, source: &str, windows: &[Range<usize>]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for window in windows {
            out.append(&mut self.find_in(source, window.clone()));
        }
        out
    }

    /// [`Placeholders::find_all`] with the search bounded to `source[window]`.
    fn find_in(&self, source: &str, window: Range<usize>) -> Vec<Range<usize>> {
        let end = window.end;
        let search_from = |(start, re): &(&[u8], meta::Regex), at: usize| {
            group_match_from(source, start, re, at..end)
        };
        let mut next: Vec<Option<Range<usize>>> = (self.by_byte.iter())
            .map(|group| search_from(group, window.start))
            .collect();
        let capitals = if self.capital_words.is_empty() {
            Vec::new()
        } else {
            capital_word_starts(source.as_bytes(), window.clone())
        };
        let mut capitals = capitals.into_iter().peekable();
        let mut out = Vec::new();
        let mut at = window.start;
        loop {
            // A group's next match stays its leftmost one while it starts at or after `at`.
            for (group, m) in self.by_byte.iter().zip(&mut next) {
                if m.as_ref().is_some_and(|m| m.start < at) {
                    *m = search_from(group, at);
                }
            }
            let leftmost = next.iter().flatten().min_by_key(|m| m.start).cloned();
            let before = leftmost.as_ref().map_or(usize::MAX, |m| m.start);
            let mut found = None;
            while let Some(start) = capitals.next_if(|&s| s < before) {
                if start < at {
                    continue;
                }
                let anchored = Input::new(source).range(start..end).anchored(Anchored::Yes);
                found = self
                    .capital_words
                    .iter()
                    .find_map(|re| re.find(anchored.clone()));
                if found.is_some() {
                    break;
                }
            }
            let Some(m) = found.map(|m| m.range()).or(leftmost) else {
                return out;
            };
            at = m.end;
            out.push(m);
        }
    }
}

/// The leftmost match in `within` of the group `re` that starts at the bytes `start`.
/// The groups that start at `{` or `<` (common in code and HTML) are tried anchored, at each
/// such byte where [`may_match_at`] allows: with leftmost-first semantics that is the match an
/// unanchored search finds, and it skips the search's reverse pass to find where a match
/// starts. The other groups are searched as a whole, behind their regex's own prefilter.
fn group_match_from(
    source: &str,
    start: &[u8],
    re: &meta::Regex,
    within: Range<usize>,
) -> Option<Range<usize>> {
    let bytes = source.as_bytes();
    let (at, end) = (within.start, within.end);
    match start {
        [byte @ (b'{' | b'<')] => memchr::memchr_iter(*byte, &bytes[at..end])
            .map(|i| at + i)
            .filter(|&i| may_match_at(bytes, i))
            .find_map(|i| {
                let input = Input::new(source).range(i..end).anchored(Anchored::Yes);
                re.find(input).map(|m| m.range())
            }),
        _ => re.find(Input::new(source).range(within)).map(|m| m.range()),
    }
}

/// Whether a [`GROUPS`] branch may match at `b[i]`, a `{` or `<`: false only where none can,
/// from the bytes each branch needs after its first one.
fn may_match_at(b: &[u8], i: usize) -> bool {
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let next = b.get(i + 1).copied().unwrap_or(0);
    match b[i] {
        // `{{`, `{%`, `{$` (or `{`, one space character and `$`), or `{name}`: a letter or `_`,
        // then name bytes up to `}`. Any non-ASCII character is left to the regex (`\s` is
        // Unicode).
        b'{' => {
            let name_byte = |c: u8| is_word(c) || matches!(c, b'.' | b'-');
            let name = (next.is_ascii_alphabetic() || next == b'_')
                && (b[i + 1..].iter().find(|&&c| !name_byte(c))) == Some(&b'}');
            matches!(next, b'{' | b'%' | b'$')
                || name
                || next >= 0x80
                || (next <= b' ' && b.get(i + 2) == Some(&b'$'))
        }
        // Up to `>`, only letters, digits, `#`, `_`, `-` or spaces, and then `<#...>`,
        // `<first_name>` or `<issue-number>` (a `_` or `-`), `<NAME>` or
        // `<TEAM NAME>` (capitals, digits and spaces), or `<your ...>` and the like. HTML tags
        // (`<div>`, `<a href=...>`) are none of these.
        b'<' => {
            let tag_byte = |c: u8| is_word(c) || matches!(c, b'#' | b'-' | b' ');
            let Some(end) = b[i + 1..].iter().position(|&c| !tag_byte(c)) else {
                return false;
            };
            let text = &b[i + 1..i + 1 + end];
            let joined = text.iter().any(|&c| matches!(c, b'#' | b'_' | b'-'));
            let capitals = next.is_ascii_uppercase()
                && (text.iter())
                    .all(|&c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == b' ');
            let stand_in = ["your", "customer", "agent", "insert", "user"]
                .iter()
                .any(|w| text.starts_with(w.as_bytes()));
            b[i + 1 + end] == b'>'
                && (next == b'#' || next.is_ascii_alphabetic())
                && (joined || capitals || stand_in)
        }
        _ => true,
    }
}

/// Strings every match of the [`Start::CapitalWord`] group holds inside its first word:
/// `XXX`, a name suffix (`REPONAME`), or a variable prefix with its `_` (`FIRST_NAME`).
const CAPITAL_WORD_LITERALS: &[&str] = &[
    "XXX",
    "NAME",
    "NUMBER",
    "URL",
    "EMAIL",
    "ID",
    "FIRST_",
    "LAST_",
    "FULL_",
    "USER_",
    "CUSTOMER_",
    "AGENT_",
    "COMPANY_",
    "ORDER_",
    "TICKET_",
    "ISSUE_",
    "ACCOUNT_",
];

/// Where an ASCII word that starts with two capitals has one of [`CAPITAL_WORD_LITERALS`]
/// starting in its leading run of capitals: the only places the capital-word group can match,
/// as each of its matches holds one there. Found
/// from the literals (one search, then a walk back to the run's start) rather than from every
/// capital pair, which docs are full of ("API", "JSON"). Only literals in `b[window]` are
/// searched for; a walk back may leave the window (the caller skips such starts).
fn capital_word_starts(b: &[u8], window: Range<usize>) -> Vec<usize> {
    static LITERALS: LazyLock<AhoCorasick> = LazyLock::new(|| {
        AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostFirst)
            .build(CAPITAL_WORD_LITERALS)
            .expect("literal needles")
    });
    let mut out = Vec::new();
    // The last hit and the start of its run of capitals: a walk back stops there, so a long
    // run with many hits is walked once.
    let (mut last_hit, mut last_run) = (usize::MAX, 0);
    for hit in LITERALS.find_iter(aho_corasick::Input::new(b).range(window)) {
        let mut start = hit.start();
        while start > 0 && b[start - 1].is_ascii_uppercase() {
            start -= 1;
            if start == last_hit {
                start = last_run;
                break;
            }
        }
        (last_hit, last_run) = (hit.start(), start);
        let word_before =
            start > 0 && (b[start - 1].is_ascii_alphanumeric() || b[start - 1] == b'_');
        let two_capitals = b.get(start + 1).is_some_and(u8::is_ascii_uppercase);
        if !word_before && two_capitals && out.last() != Some(&start) {
            out.push(start);
        }
    }
    out
}

/// Whether `source` may hold a placeholder: every branch of [`GROUPS`] has a `{`, `<`, `[`,
/// `(`, `__`, `@` or `*|`, a `$` or `#` before a capital, or two capitals in a row (`XXX`, `REPONAME`,
/// `FIRST_NAME`).
fn may_hold_placeholder(source: &str) -> bool {
    let b = source.as_bytes();
    memchr::memchr3(b'{', b'<', b'[', b).is_some()
        || memchr::memmem::find(b, b"__").is_some()
        || memchr::memchr(b'(', b).is_some()
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
    placeholder: Lazy<Placeholders>,
    ellipsis: LazyRegex,
    malformed: Lazy<meta::Regex>,
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
        // The patterns are the code's own, checked by its tests (`every_pattern_compiles`), not
        // parsed again at every start.
        Ok(Placeholder {
            meta,
            placeholder: Lazy::with(String::new(), Placeholders::build),
            ellipsis: LazyRegex::new(ELLIPSIS_ITEM.to_string()),
            malformed: Lazy::with(malformed, |p| {
                meta::Regex::new(p).map_err(|e| e.to_string())
            }),
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

/// Whether `text` starts with a Hugo shortcode's opening (`{{<` or `{{%`): a docs site's markup,
/// never a helpdesk's variable.
fn is_hugo_shortcode(text: &str) -> bool {
    text.starts_with("{{<") || text.starts_with("{{%")
}

/// The matches of [`MALFORMED`] (compiled as `malformed`), as its own search would find them.
/// Every match has a `{` at its start or one character in (`%{`, `x{name}}`), so the pattern
/// runs anchored at those two places around each `{`, in order, rather than over the whole text
/// (its counted repetitions make an unanchored search slow). A `{` is tried only when the
/// byte after it is `{`, a letter or `_`, or the byte before it is `%`: every branch needs one
/// of those (a `{` before it was tried already), and code's `{ `, `{"` and `{\n` have none.
fn malformed_matches(malformed: &meta::Regex, source: &str) -> Vec<Range<usize>> {
    let bytes = source.as_bytes();
    let mut out = Vec::new();
    let mut at = 0;
    'braces: while let Some(i) = memchr::memchr(b'{', &bytes[at..]) {
        let brace = at + i;
        let next = bytes.get(brace + 1).copied().unwrap_or(0);
        let may_start = next == b'{'
            || next == b'_'
            || next.is_ascii_alphabetic()
            || (brace > 0 && bytes[brace - 1] == b'%');
        if !may_start {
            at = brace + 1;
            continue;
        }
        let before = source[..brace]
            .chars()
            .next_back()
            .map_or(0, char::len_utf8);
        for start in [brace - before, brace] {
            if start < at {
                continue;
            }
            let input = Input::new(source).range(start..).anchored(Anchored::Yes);
            if let Some(m) = malformed.find(input) {
                at = m.end();
                out.push(m.range());
                continue 'braces;
            }
        }
        at = brace + 1;
    }
    out
}

/// The ellipses of [`ELLIPSIS_ITEM`] list items. A match never spans lines and holds `...`
/// or `…`, so the pattern runs only on the lines that have one (with `(?m)`, `^` and `$`
/// match at a line slice's ends just as they do in the whole text). The marks are found with
/// one substring search each: a search for both at once stops at every `.` of the prose.
fn ellipsis_items(items: &Regex, source: &str) -> Vec<Range<usize>> {
    let bytes = source.as_bytes();
    let marks = memchr::memmem::find_iter(bytes, b"...")
        .chain(memchr::memmem::find_iter(bytes, "…".as_bytes()));
    let mut line_starts: Vec<usize> = marks
        .map(|mark| memchr::memrchr(b'\n', &bytes[..mark]).map_or(0, |i| i + 1))
        .collect();
    line_starts.sort_unstable();
    line_starts.dedup();
    let mut out = Vec::new();
    for start in line_starts {
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        for c in items.captures_iter(&source[start..end]) {
            let m = c.get(1).expect("group 1 always takes part");
            out.push(start + m.start()..start + m.end());
        }
    }
    out
}

/// `[text]` followed by `(`, `[` or `:` is a Markdown link or reference, not a placeholder; so
/// is the label of a reference link (`[the docs][RFC]`), and `[LABEL]` alone where the file
/// defines that label (`[RFC]: https://...`, matched without regard to case).
fn is_link_text(source: &str, range: Range<usize>, labels: &OnceCell<HashSet<String>>) -> bool {
    let text = &source[range.clone()];
    if !text.starts_with('[') || text.starts_with("[[") {
        return false;
    }
    matches!(source[range.end..].chars().next(), Some('(' | '[' | ':'))
        || source[..range.start].ends_with(']')
        || (labels.get_or_init(|| defined_labels(source))).contains(&text.to_lowercase())
}

/// The link reference labels `source` defines (`[label]: destination`, indented at most three
/// spaces), brackets included, in lower case.
fn defined_labels(source: &str) -> HashSet<String> {
    source
        .lines()
        .filter_map(|line| {
            let rest = line.trim_start_matches(' ');
            if line.len() - rest.len() > 3 || !rest.starts_with('[') {
                return None;
            }
            let end = rest.find("]:")?;
            Some(rest[..=end].to_lowercase())
        })
        .collect()
}

/// Whether the match is a bare capital word that the text names as a term rather than leaves to
/// be filled: set in bold and defined or listed (`**EVENTID** - The event identifier`,
/// `**EVENTID**, **TASK** and **OPCODE**`), or a keyword after a dot (`.FORWARDHELPTARGETNAME`).
/// A stand-in in a reply is plain text ("Hi FIRSTNAME,"), and one in bold followed by a comma
/// ("Hi **FIRSTNAME**, ...") is still reported.
fn is_named_term(source: &str, range: Range<usize>) -> bool {
    let word = &source[range.clone()];
    if !word.starts_with(|c: char| c.is_ascii_uppercase()) {
        return false;
    }
    let (before, after) = (&source[..range.start], &source[range.end..]);
    if before.ends_with('.') && !before[..before.len() - 1].ends_with(|c: char| c.is_alphanumeric())
    {
        return true;
    }
    let Some(after) = ["**", "__"]
        .iter()
        .find(|mark| before.ends_with(*mark))
        .and_then(|mark| after.strip_prefix(*mark))
    else {
        return false;
    };
    let rest = after.trim_start_matches([' ', '\t']);
    rest.starts_with(['-', '–', '—', ':'])
        || rest
            .strip_prefix(',')
            .map(|r| r.trim_start_matches(' '))
            .is_some_and(|r| r.starts_with("**") || r.starts_with("and **"))
}

/// Whether the match is TeX, not a template: a single-brace `{y}` group right after a command
/// or script mark (`\hat{y}`, `\frac{a}{b}`, `_{c}`, `^{M}`; `{{first}}{{last}}` stays two
/// placeholders), or a placeholder form the writer escaped with a backslash (`\$PSHOME`,
/// `\{name}`), which only a person writing it out would do.
fn is_tex_or_escaped(source: &str, range: Range<usize>) -> bool {
    let before = &source.as_bytes()[..range.start];
    let Some(&last) = before.last() else {
        return false;
    };
    if last == b'\\' {
        return true;
    }
    let text = &source[range];
    if !text.starts_with('{') || text.starts_with("{{") || text.starts_with("{%") {
        return false;
    }
    let letters = before
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphabetic())
        .count();
    matches!(last, b'_' | b'^' | b'}')
        || (letters > 0 && before.len() > letters && before[before.len() - letters - 1] == b'\\')
}

/// Byte ranges (in any order, perhaps overlapping) sorted by start, with the largest end so
/// far: whether one of them overlaps or holds a span is a binary search, not a scan of all of
/// them per finding.
struct Ranges {
    ranges: Vec<Range<usize>>,
    /// `reach[i]`: the largest end among `ranges[..=i]`.
    reach: Vec<usize>,
}

impl Ranges {
    fn new(mut ranges: Vec<Range<usize>>) -> Ranges {
        ranges.sort_by_key(|r| r.start);
        let mut max = 0;
        let reach = ranges
            .iter()
            .map(|r| {
                max = max.max(r.end);
                max
            })
            .collect();
        Ranges { ranges, reach }
    }

    /// Whether some range overlaps `span` (shares a byte with it).
    fn overlap(&self, span: &Range<usize>) -> bool {
        let i = self.ranges.partition_point(|r| r.start < span.end);
        i > 0 && self.reach[i - 1] > span.start
    }

    /// Whether some range holds all of `span`.
    fn contain(&self, span: &Range<usize>) -> bool {
        let i = self.ranges.partition_point(|r| r.start <= span.start);
        i > 0 && self.reach[i - 1] >= span.end
    }
}

/// Byte ranges the scan must skip: code (fenced and indented), front matter, HTML comments and Hugo's code
/// shortcodes (Markdown), backtick code (text).
fn skipped_ranges(doc: &Document) -> Vec<Range<usize>> {
    let source = doc.source.as_str();
    let mut ranges = match (doc.format, &doc.markup) {
        (Format::Markdown, Some(m)) if reader_parses_alike(source) => {
            let ranges = (m.fenced_code.iter().chain(&m.front_matter))
                .chain(&m.indented_code)
                .chain(&m.code_spans)
                .chain(&m.comments);
            ranges.cloned().collect()
        }
        (Format::Markdown, _) => markdown_skipped_ranges(source),
        (Format::Text, _) => return text_skipped_ranges(source),
    };
    ranges.extend(hugo_code_ranges(source));
    ranges
}

/// Hugo's paired shortcodes that show their inner text as code: `{{< highlight go >}}`, and the
/// Hugo docs' own `{{< code-toggle file=hugo >}}` (a TOML table header there, `[[menus.main]]`,
/// is not an at-mention) and `{{< code >}}`.
const HUGO_CODE_SHORTCODES: &[&str] = &["highlight", "code-toggle", "code"];

/// The opening Hugo shortcode at `b[i..]` (`{{< name args >}}` or `{{% name %}}`): its name,
/// whether it closes a pair (`{{< /name >}}`) and where it ends. Arguments may run to 200 bytes
/// and across lines.
fn hugo_shortcode_at(b: &[u8], i: usize) -> Option<(&[u8], bool, usize)> {
    let delimiter = *b.get(i + 2)?;
    if !b[i..].starts_with(b"{{") || !matches!(delimiter, b'<' | b'%') {
        return None;
    }
    let blank = |c: &u8| matches!(c, b' ' | b'\t' | b'\n' | b'\r');
    let mut at = i + 3;
    at += b[at..].iter().take_while(|c| blank(c)).count();
    let closing = b.get(at) == Some(&b'/');
    if closing {
        at += 1;
        at += b[at..].iter().take_while(|c| blank(c)).count();
    }
    let name_len = (b[at..].iter())
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_'))
        .count();
    let name = &b[at..at + name_len];
    let rest = &b[at + name_len..b.len().min(at + name_len + 200)];
    let close = [if delimiter == b'<' { b'>' } else { b'%' }, b'}', b'}'];
    let end = memchr::memmem::find(rest, &close)? + at + name_len + close.len();
    (name_len > 0).then_some((name, closing, end))
}

/// Where `source` has a [`HUGO_CODE_SHORTCODES`] pair, from its opening shortcode to the end
/// of its closing one (an opening one without a close is left alone).
fn hugo_code_ranges(source: &str) -> Vec<Range<usize>> {
    let b = source.as_bytes();
    let mut out = Vec::new();
    let mut opened: Option<(&[u8], usize)> = None;
    for i in memchr::memmem::find_iter(b, b"{{") {
        let Some((name, closing, end)) = hugo_shortcode_at(b, i) else {
            continue;
        };
        match opened {
            None if !closing && HUGO_CODE_SHORTCODES.iter().any(|c| c.as_bytes() == name) => {
                opened = Some((name, i))
            }
            Some((open, start)) if closing && open == name => {
                out.push(start..end);
                opened = None;
            }
            _ => {}
        }
    }
    out
}

/// The parts of `doc`'s source to search for placeholders: all of it, or in a Markdown reply
/// the parts outside front matter and fenced code blocks (a docs corpus holds more than a
/// quarter of its bytes in them), whose matches [`skipped_ranges`] would drop anyway. Taken from
/// the reader's parse only where it finds them as this rule's parse would, so no window leaves
/// out text that is not skipped.
///
/// The findings are the same as searching the whole source: no match can run across such a
/// block's edge. Front matter starts the file; a fenced block starts at its fence, after nothing
/// on its line but indentation or a container's `>`, list marker or spaces, where no
/// placeholder form can start. Both end at the end of their closing line (or of the fence's
/// container), and only `{ $name}`'s `\s` can match a line break, which a fence or front
/// matter line cannot follow with `$`.
fn search_windows(doc: &Document, template: bool) -> Vec<Range<usize>> {
    let source = doc.source.as_str();
    let whole = || std::iter::once(0..source.len()).collect();
    let blocks = match (&doc.markup, doc.format) {
        (Some(m), Format::Markdown) if !template => m.front_matter.iter().chain(&m.fenced_code),
        _ => return whole(),
    };
    if blocks.clone().next().is_none() || !reader_parses_alike(source) {
        return whole();
    }
    let mut windows = Vec::new();
    let mut at = 0;
    for code in blocks {
        if code.start > at {
            windows.push(at..code.start);
        }
        at = at.max(code.end);
    }
    if at < source.len() {
        windows.push(at..source.len());
    }
    windows
}

/// The extensions this rule parses Markdown with.
fn markdown_options() -> MdOptions {
    MdOptions::ENABLE_TABLES
        | MdOptions::ENABLE_FOOTNOTES
        | MdOptions::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | MdOptions::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS
}

/// Whether the Markdown reader's parse (the document's [`Markup`](crate::document::Markup))
/// finds code, front matter and comments where [`markdown_options`] would. It enables two more
/// extensions: strikethrough only pairs `~` runs, which never moves code or HTML, but a
/// task-list box (`[ ]`, `[x]`) is not link text to it, so a file that may hold one is parsed
/// again with this rule's own options.
fn reader_parses_alike(source: &str) -> bool {
    debug_assert!(markdown::options().contains(markdown_options()));
    let bytes = source.as_bytes();
    let task_box = memchr::memchr_iter(b'[', bytes).any(|i| {
        matches!(
            bytes.get(i + 1),
            Some(b' ' | b'\t' | 0x0b | 0x0c | b'x' | b'X')
        ) && bytes.get(i + 2) == Some(&b']')
    });
    !task_box
}

/// Code blocks, front matter, inline code and HTML comments, from a parse with
/// [`markdown_options`].
fn markdown_skipped_ranges(source: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut in_code: Option<usize> = None;
    for (ev, range) in Parser::new_ext(source, markdown_options()).into_offset_iter() {
        match ev {
            // Fenced and indented code alike: the Markdown reader reads neither as prose. (A
            // macro export's bodies are not Markdown files: nothing is skipped in them.)
            Event::Start(Tag::CodeBlock(_)) => in_code = Some(range.start),
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(s) = in_code.take() {
                    out.push(s..range.end);
                }
            }
            Event::Start(Tag::MetadataBlock(_)) | Event::Code(_) => out.push(range),
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

    /// A docs corpus needs all but `name` (an error is reported where the pattern is used).
    fn warm_up(&self) {
        let _ = self.placeholder.get();
        let _ = self.malformed.get();
        let _ = self.ellipsis.get();
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
        let mut placeholders = placeholder.map_or_else(Vec::new, |p| {
            p.find_in_windows(source, &search_windows(cx.doc, template))
        });
        // The scan finds a Hugo shortcode whole so that no placeholder is found inside it.
        placeholders.retain(|m| !is_hugo_shortcode(&source[m.start..]));
        if !(self.allow || (self.templates && template)) {
            let dots = memchr::memmem::find(source.as_bytes(), b"...").is_some();
            let ellipsis = (dots || source.contains('…')).then(|| self.ellipsis.get());
            let Some(ellipsis) = compiled(ellipsis.transpose(), &self.meta, out) else {
                return;
            };
            let labels = OnceCell::new();
            for m in placeholders {
                if is_link_text(source, m.clone(), &labels)
                    || is_tex_or_escaped(source, m.clone())
                    || is_named_term(source, m.clone())
                {
                    continue;
                }
                let text = &source[m.clone()];
                found.push((m, self.meta.format(&[text])));
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
            for m in placeholders {
                let text = &source[m.clone()];
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
                        m,
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
        let malformed = malformed.map_or_else(Vec::new, |r| malformed_matches(r, source));
        for m in malformed {
            // Trim the context character the pattern needed on either side.
            let s = &source[m.clone()];
            let start = m.start + s.find('{').or_else(|| s.find('%')).unwrap_or(0);
            let end = m.start + s.rfind('}').map_or(s.len(), |i| i + 1);
            let end = end.max(start + 1).min(m.end);
            // A Hugo shortcode may span lines ("{{< img\n  src=… >}}"): not a broken placeholder.
            if is_hugo_shortcode(&source[start..]) || is_tex_or_escaped(source, start..end) {
                continue;
            }
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
        let bodies = Ranges::new(bodies);
        let skip = Ranges::new(skip);
        found.sort_by_key(|(r, _)| (r.start, r.end));
        let mut last_end = 0;
        for (span, message) in found {
            let outside_bodies = template && !bodies.contain(&span);
            if span.start < last_end || outside_bodies || skip.overlap(&span) {
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

    #[test]
    fn every_pattern_compiles() {
        let malformed = format!("(?m){MALFORMED}");
        let groups = GROUPS.iter().map(|(_, pattern)| *pattern);
        for pattern in groups.chain([ELLIPSIS_ITEM, &malformed]) {
            assert!(meta::Regex::new(pattern).is_ok(), "{pattern}");
        }
        assert!(Placeholders::build("").is_ok());
    }

    proptest::proptest! {
        /// The sorted lookups say what scanning every range says.
        #[test]
        fn range_lookups_agree_with_a_scan(
            raw in proptest::collection::vec((0usize..30, 0usize..8), 0..12),
            span in (0usize..30, 0usize..6),
        ) {
            let ranges: Vec<Range<usize>> = raw.iter().map(|&(s, l)| s..s + l).collect();
            let span = span.0..span.0 + span.1;
            let r = Ranges::new(ranges.clone());
            proptest::prop_assert_eq!(
                r.overlap(&span),
                ranges.iter().any(|s| s.start < span.end && span.start < s.end)
            );
            proptest::prop_assert_eq!(
                r.contain(&span),
                ranges.iter().any(|b| b.start <= span.start && span.end <= b.end)
            );
        }
    }

    /// One alternation of every group, in order: what [`Placeholders::find_all`] must find.
    static PATTERN: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
        let groups = GROUPS.iter().map(|(_, p)| format!("(?:{p})"));
        Regex::new(&groups.collect::<Vec<_>>().join("|")).unwrap()
    });

    static SCANNER: std::sync::LazyLock<Placeholders> =
        std::sync::LazyLock::new(|| Placeholders::build("").unwrap());

    static MALFORMED_RE: std::sync::LazyLock<(Regex, meta::Regex)> =
        std::sync::LazyLock::new(|| {
            let pattern = format!("(?m){MALFORMED}");
            (
                Regex::new(&pattern).unwrap(),
                meta::Regex::new(&pattern).unwrap(),
            )
        });

    const TOKENS: &[&str] = &[
        "{", "}", "{{", "}}", "%", "$", "@", "*", "|", "[", "]", "<", ">", "#", "X", "XX", "A",
        "NAME", "FIRST", "_", "-", "x", "name", "url", " ", "\n", "user", "Ticket", "é", "ID", "(",
        ":", "{%", "%}", "*|", "|*", "[[", "]]", "AB", "USER_", "username", "\t", "URL", "EMAIL",
        "NUMBER", "ORDER_", "\u{a0}", "<a", "div", "=", "your", "1", "{{<", ">}}", "{{%", "%}}",
        "GUID", "ABC",
    ];

    /// Pieces of capital words, for the literal search's own test.
    const CAPITAL_TOKENS: &[&str] = &[
        "X", "XX", "XXX", "A", "AB", "NAME", "NUMBER", "URL", "EMAIL", "ID", "I", "D", "FIRST",
        "FIRST_", "USER_", "CUSTOMER", "_", "a", "1", " ", "-", "é", "\n", "NAMEID", "IDID",
    ];

    fn text_of(parts: Vec<&str>) -> String {
        parts.concat()
    }

    proptest::proptest! {
        #[test]
        fn the_pre_check_passes_every_text_the_pattern_matches(
            parts in proptest::collection::vec(proptest::sample::select(TOKENS), 0..12),
        ) {
            let text = text_of(parts);
            if PATTERN.is_match(&text) {
                proptest::prop_assert!(may_hold_placeholder(&text), "{text:?}");
            }
        }

        /// Scanning group by group finds exactly what one alternation of all of them finds.
        #[test]
        fn the_groups_find_what_one_alternation_finds(
            parts in proptest::collection::vec(proptest::sample::select(TOKENS), 0..60),
        ) {
            let text = text_of(parts);
            let whole: Vec<_> = PATTERN.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(SCANNER.find_all(&text), whole, "{:?}", text);
        }

        /// Anchored tries around each `{` find what a search of the whole text finds.
        #[test]
        fn malformed_tries_find_what_a_whole_search_finds(
            parts in proptest::collection::vec(proptest::sample::select(TOKENS), 0..40),
        ) {
            let text = text_of(parts);
            let (whole, anchored) = &*MALFORMED_RE;
            let want: Vec<_> = whole.find_iter(&text).map(|m| m.range()).collect();
            proptest::prop_assert_eq!(malformed_matches(anchored, &text), want, "{:?}", text);
        }

        /// The byte test before each anchored try passes wherever its group matches.
        #[test]
        fn groups_match_only_where_the_byte_test_allows(
            parts in proptest::collection::vec(proptest::sample::select(TOKENS), 0..40),
        ) {
            let text = text_of(parts);
            let b = text.as_bytes();
            for (start, re) in &SCANNER.by_byte {
                for i in (0..b.len()).filter(|&i| start.contains(&b[i])) {
                    let input = Input::new(&text).range(i..).anchored(Anchored::Yes);
                    if re.is_match(input) {
                        proptest::prop_assert!(may_match_at(b, i), "{} in {:?}", i, text);
                    }
                }
            }
        }

        /// The capital-word group matches only where the literal search says, and that is
        /// always the start of a word with two leading capitals.
        #[test]
        fn capital_word_starts_cover_every_capital_word_match(
            parts in proptest::collection::vec(proptest::sample::select(CAPITAL_TOKENS), 0..40),
        ) {
            let text = text_of(parts);
            let b = text.as_bytes();
            let word_start = |i: usize| {
                b[i].is_ascii_uppercase()
                    && b.get(i + 1).is_some_and(u8::is_ascii_uppercase)
                    && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
            };
            let matches_at = |i: usize| {
                let input = Input::new(&text).range(i..).anchored(Anchored::Yes);
                SCANNER.capital_words.iter().any(|re| re.is_match(input.clone()))
            };
            let starts = capital_word_starts(b, 0..b.len());
            proptest::prop_assert!(starts.windows(2).all(|w| w[0] < w[1]), "{:?}", text);
            proptest::prop_assert!(starts.iter().all(|&i| word_start(i)), "{:?}", text);
            for i in (0..b.len()).filter(|&i| matches_at(i)) {
                proptest::prop_assert!(starts.contains(&i), "{} in {:?}", i, text);
            }
        }
    }

    #[test]
    fn each_group_starts_only_where_it_says() {
        use regex_syntax::hir::literal::{ExtractKind, Extractor};
        let mut claimed: Vec<u8> = Vec::new();
        for (start, pattern) in GROUPS {
            let hir = regex_syntax::Parser::new().parse(pattern).unwrap();
            let mut extractor = Extractor::new();
            extractor
                .kind(ExtractKind::Prefix)
                .limit_literal_len(2)
                .limit_class(64)
                .limit_total(10_000);
            let prefixes = extractor.extract(&hir);
            let prefixes = prefixes.literals().expect("a finite set of prefixes");
            for prefix in prefixes {
                let bytes = prefix.as_bytes();
                match start {
                    Start::Bytes(set) => assert!(set.contains(&bytes[0]), "{pattern}: {bytes:?}"),
                    Start::CapitalWord => assert!(
                        bytes.len() == 2 && bytes.iter().all(u8::is_ascii_uppercase),
                        "{pattern}: {bytes:?}"
                    ),
                }
            }
            if let Start::Bytes(set) = start {
                assert!(set
                    .iter()
                    .all(|b| !b.is_ascii_uppercase() && !claimed.contains(b)));
                claimed.extend(*set);
            }
        }
    }

    #[test]
    fn blanks_to_fill_in_are_stand_ins_and_identifiers_are_not() {
        let text = "Booked for ______ at 3pm, __(your name)__. See my_var____x, __init__ and \
                    a rule ________________________________ below.";
        let found: Vec<&str> = SCANNER
            .find_all(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(found, ["______", "__(your name)__"]);
    }

    #[test]
    fn scanning_finds_every_form_in_file_order() {
        let text = "Hi {{first_name}} [CUSTOMER NAME] $FIRSTNAME, see XXX or REPONAME at \
                    <ISSUE_NUMBER> *|FNAME|* #NUMBER FIRST_NAME @username [link] %{x} {a}}";
        let found: Vec<&str> = SCANNER
            .find_all(text)
            .into_iter()
            .map(|r| &text[r])
            .collect();
        assert_eq!(
            found,
            [
                "{{first_name}}",
                "[CUSTOMER NAME]",
                "$FIRSTNAME",
                "XXX",
                "REPONAME",
                "<ISSUE_NUMBER>",
                "*|FNAME|*",
                "#NUMBER",
                "FIRST_NAME",
                "@username",
                "[link]",
                "%{x}",
                "{a}",
            ]
        );
        let (whole, anchored) = &*MALFORMED_RE;
        let want: Vec<_> = whole.find_iter(text).map(|m| m.range()).collect();
        assert_eq!(malformed_matches(anchored, text), want);
        assert_eq!(want.len(), 1);
    }

    #[test]
    fn the_byte_test_passes_each_brace_and_angle_form() {
        let forms = [
            "{{ a }}",
            "{% if %}",
            "{$x}",
            "{ $x}",
            "{\u{a0}$x}",
            "{a.b-c}",
            "<#n>",
            "<a-b>",
            "<NAME>",
            "<your name>",
            "<first_name>",
        ];
        for form in forms {
            let b = form.as_bytes();
            let group = SCANNER
                .by_byte
                .iter()
                .find(|(start, _)| start.contains(&b[0]));
            let input = Input::new(form).anchored(Anchored::Yes);
            assert!(group.unwrap().1.is_match(input), "{form}");
            assert!(may_match_at(b, 0), "{form}");
        }
        for html in [
            "<div>",
            "<a href=\"x\">",
            "</p>",
            "{\"a\": 1}",
            "{ a }",
            "{a b}",
        ] {
            assert!(!may_match_at(html.as_bytes(), 0), "{html}");
        }
    }

    #[test]
    fn hugo_code_shortcodes_are_skipped() {
        let src = "Set it:\n\n{{< code-toggle file=hugo >}}\n[[menus.main]]\nname = '{{ . }}'\n{{< /code-toggle >}}\n\n{{% note %}}Hi [[agent]]{{% /note %}} {{< highlight go\n  \"linenos=table\" >}}x := {y}{{< / highlight >}} {{< code >}}";
        let ranges: Vec<&str> = hugo_code_ranges(src).into_iter().map(|r| &src[r]).collect();
        assert_eq!(
            ranges,
            [
                "{{< code-toggle file=hugo >}}\n[[menus.main]]\nname = '{{ . }}'\n{{< /code-toggle >}}",
                "{{< highlight go\n  \"linenos=table\" >}}x := {y}{{< / highlight >}}",
            ]
        );
        let doc = Document::parse(src.to_string(), Format::Markdown);
        let skip = skipped_ranges(&doc);
        let kept: Vec<&str> = (SCANNER.find_all(src).into_iter())
            .filter(|m| !skip.iter().any(|s| s.start < m.end && m.start < s.end))
            .map(|m| &src[m])
            .filter(|text| !is_hugo_shortcode(text))
            .collect();
        assert_eq!(kept, ["[[agent]]"]);
    }

    #[test]
    fn terms_named_in_bold_or_after_a_dot_are_not_stand_ins() {
        for (text, want) in [
            ("- **EVENTID** - The event identifier.", false),
            ("- **MACHINENAME**: the system's name.", false),
            ("**EVENTID**, **TASK**, and **OPCODE** map to", false),
            ("### A.2.5 .FORWARDHELPTARGETNAME", false),
            ("Hi **FIRSTNAME**, your order shipped.", true),
            ("Hi FIRSTNAME - your order shipped.", true),
            ("Order **ORDERID** shipped.", true),
            ("Ship to CUSTOMERNAME.", true),
        ] {
            let found: Vec<Range<usize>> = SCANNER
                .find_all(text)
                .into_iter()
                .filter(|m| !is_named_term(text, m.clone()))
                .collect();
            assert_eq!(!found.is_empty(), want, "{text}: {found:?}");
        }
    }

    #[test]
    fn stand_ins_name_what_they_stand_for() {
        for (text, want) in [
            ("Order #NUMBER shipped", true),
            ("see #ISSUE_NUMBER", true),
            ("ticket #TICKET", true),
            ("the #TYPE header", false),
            ("shows #ERR", false),
            ("#Requires -Version 7", false),
            ("Hi $FIRSTNAME,", true),
            ("your $ORDER_ID", true),
            ("$CUSTOMER", true),
            ("stored in $PSHOME", false),
            ("the $PROFILE variable", false),
            ("check $PID and $HOME", false),
            ("Best, <TEAM NAME>", true),
            ("call <PHONE NUMBER> today", true),
            ("<A HREF=x>", false),
            ("Hi __first name__,", true),
            ("Dear (full name),", true),
            ("PowerShell (product name)", false),
        ] {
            let found: Vec<&str> = SCANNER
                .find_all(text)
                .into_iter()
                .map(|m| &text[m])
                .collect();
            assert_eq!(!found.is_empty(), want, "{text}: {found:?}");
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
    fn front_matter_is_skipped_whole() {
        for src in [
            "+++\ntitle = \"{{x}} [NAME]\"\n+++\nHi {{a}}\n",
            "---\nt: '{{x}}'\n---\nHi {{a}}\n",
        ] {
            assert!(reader_parses_alike(src), "{src}");
            let ranges = from_reader(src);
            assert_eq!(ranges, own_parse(src), "{src}");
            assert_eq!(ranges.len(), 1, "{src}");
            assert!(src[ranges[0].clone()].contains("{{x}}"), "{src}");
            assert!(!src[ranges[0].clone()].contains("{{a}}"), "{src}");
        }
    }

    #[test]
    fn task_boxes_are_parsed_again() {
        // After a task box and a blank line the item is over, so to the reader the indented
        // line is code but not a code span; to this rule's parse it is a code span in the item.
        let src = "- [x]\n\n     `{{a}}`\n";
        assert!(!reader_parses_alike(src));
        let doc = Document::parse(src.to_string(), Format::Markdown);
        let markup = doc.markup.as_ref().unwrap();
        let mut shared: Vec<_> = (markup.code_spans.iter().chain(&markup.comments))
            .cloned()
            .collect();
        shared.sort_by_key(|r| (r.start, r.end));
        assert_ne!(shared, own_parse(src));
        assert_eq!(from_reader(src), own_parse(src));
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

        /// Searching only between fenced code blocks keeps exactly the matches outside code
        /// that a search of the whole source keeps.
        #[test]
        fn windows_keep_what_the_whole_search_keeps(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "```", "```\n", "~~~\n", "\n```\n", "    ```\n", "> ", "> ```\n", "- ", "1. ",
                "  ", "\n", "\n\n", "`", "{", "}", "{{", "}}", "{{a}}", "{ $X}", "{\n$ID}", "$",
                "$FIRSTNAME", "[NAME]", "[", "]", "<", ">", "<NAME>", "#NUMBER", "*|A|*", "XXX",
                "USER_ID", "@user", "x", "a b", "%{", "{%", "%}", "<!--", "-->", "+++",
                "---\n", "+++\n", "t: {{a}}\n", "...\n",
            ]),
            0..40,
        )) {
            let src: String = parts.concat();
            let doc = Document::parse(src.clone(), Format::Markdown);
            let skip = skipped_ranges(&doc);
            let kept = |found: Vec<Range<usize>>| -> Vec<Range<usize>> {
                found
                    .into_iter()
                    .filter(|m| !skip.iter().any(|s| s.start < m.end && m.start < s.end))
                    .collect()
            };
            let windowed = SCANNER.find_in_windows(&src, &search_windows(&doc, false));
            proptest::prop_assert_eq!(
                kept(windowed),
                kept(SCANNER.find_all(&src)),
                "{:?}",
                src
            );
        }
    }

    #[test]
    fn windows_leave_out_fenced_code_only() {
        let src = "Hi {{a}}.\n\n```\n{{b}}\n```\n\nBye `{{c}}` [NAME].\n";
        let doc = Document::parse(src.to_string(), Format::Markdown);
        let windows = search_windows(&doc, false);
        let parts: Vec<&str> = windows.iter().map(|w| &src[w.clone()]).collect();
        assert_eq!(parts, ["Hi {{a}}.\n\n", "\n\nBye `{{c}}` [NAME].\n"]);
        let found = SCANNER.find_in_windows(src, &windows);
        let texts: Vec<&str> = found.iter().map(|m| &src[m.clone()]).collect();
        assert_eq!(texts, ["{{a}}", "{{c}}", "[NAME]"]);
        // A template's whole export is searched, as is a file the reader parses differently.
        let whole = |len: usize| std::iter::once(0..len).collect::<Vec<_>>();
        assert_eq!(search_windows(&doc, true), whole(src.len()));
        let task = format!("- [x]\n\n{src}");
        let doc = Document::parse(task.clone(), Format::Markdown);
        assert_eq!(search_windows(&doc, false), whole(task.len()));
        // Front matter is left out too.
        let front = format!("---\nt: '{{{{x}}}}'\n---\n{src}");
        let doc = Document::parse(front.clone(), Format::Markdown);
        let windows = search_windows(&doc, false);
        assert_eq!(&front[windows[0].clone()], "\nHi {{a}}.\n\n");
    }
}
