//! Findings: what a rule reports, in byte offsets into the file it talks about.
//!
//! Offsets stay bytes all the way through the pipeline; [`LineIndex`] turns them into 1-based
//! line/column pairs (columns in Unicode scalar values) only when a reporter needs them.

use std::ops::Range;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// How serious a finding is. Ordered so that `Suggestion < Warning < Error`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Suggestion,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Suggestion => "suggestion",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s.to_ascii_lowercase().as_str() {
            "suggestion" => Some(Severity::Suggestion),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl std::fmt::Display for Severity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A span in another file (or the same one) that explains the finding, such as the customer's
/// question that a reply leaves unanswered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// Path of the file the span points into, as the user named it.
    pub path: Arc<str>,
    pub span: Range<usize>,
    pub message: String,
}

/// A byte-range replacement: `--fix` applies it when it is [`Applicability::Safe`],
/// `--fix --unsafe-fixes` also when it is [`Applicability::Unsafe`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Range<usize>,
    pub replacement: String,
    pub applicability: Applicability,
}

/// Whether a fix keeps the meaning for certain (ruff's split between safe and unsafe fixes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Applicability {
    /// The rule names the exact words it replaces: applied by `--fix`.
    #[default]
    Safe,
    /// The rule matched a pattern, so the words replaced vary: applied only with
    /// `--unsafe-fixes`, offered as a suggestion otherwise.
    Unsafe,
}

impl Applicability {
    pub fn as_str(self) -> &'static str {
        match self {
            Applicability::Safe => "safe",
            Applicability::Unsafe => "unsafe",
        }
    }
}

/// What a finding says. Shared rather than owned: a rule that says the same words at ten
/// thousand places keeps one copy of them ([`crate::check::Findings::push`] hands out the
/// copy), where each finding holding its own string once cost more memory than the file.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Message(Arc<str>);

impl std::ops::Deref for Message {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Message {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Message {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl From<String> for Message {
    fn from(s: String) -> Self {
        Message(Arc::from(s))
    }
}

impl From<&str> for Message {
    fn from(s: &str) -> Self {
        Message(Arc::from(s))
    }
}

impl From<Message> for String {
    fn from(m: Message) -> Self {
        m.0.to_string()
    }
}

impl std::fmt::Display for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl PartialEq<str> for Message {
    fn eq(&self, other: &str) -> bool {
        &*self.0 == other
    }
}

impl PartialEq<&str> for Message {
    fn eq(&self, other: &&str) -> bool {
        &*self.0 == *other
    }
}

impl PartialEq<String> for Message {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

/// A list that is empty in most findings (suggestions, related spans): one pointer then, where
/// a `Vec` is three words. A file dense with findings holds hundreds of thousands of them.
// The box is the point: one word for the usual empty list, where a `Vec` is three.
#[allow(clippy::box_collection)]
#[derive(Clone, PartialEq, Eq, Default)]
pub struct ShortList<T>(Option<Box<Vec<T>>>);

impl<T> ShortList<T> {
    pub fn new() -> Self {
        ShortList(None)
    }

    pub fn push(&mut self, item: T) {
        self.0.get_or_insert_with(Box::default).push(item);
    }

    pub fn as_slice(&self) -> &[T] {
        self
    }
}

impl<T> std::ops::Deref for ShortList<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_deref().map_or(&[], Vec::as_slice)
    }
}

impl<T> From<Vec<T>> for ShortList<T> {
    fn from(items: Vec<T>) -> Self {
        ShortList((!items.is_empty()).then(|| Box::new(items)))
    }
}

impl<T> FromIterator<T> for ShortList<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        Self::from(items.into_iter().collect::<Vec<T>>())
    }
}

impl<'a, T> IntoIterator for &'a ShortList<T> {
    type Item = &'a T;
    type IntoIter = std::slice::Iter<'a, T>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: PartialEq<U>, U, const N: usize> PartialEq<[U; N]> for ShortList<T> {
    fn eq(&self, other: &[U; N]) -> bool {
        self.as_slice() == other
    }
}

impl<T: PartialEq<U>, U> PartialEq<Vec<U>> for ShortList<T> {
    fn eq(&self, other: &Vec<U>) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ShortList<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

/// One finding of one rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// `Pack.RuleName`, e.g. `Candor.CannedFiller`. A contract: users' configs refer to it.
    pub rule: Arc<str>,
    pub severity: Severity,
    pub message: Message,
    /// Byte range in the checked file; slices out exactly the text the message talks about.
    pub span: Range<usize>,
    /// Rewrites to offer the writer, best first.
    pub suggestions: ShortList<String>,
    pub related: ShortList<Related>,
    /// Set only when the rewrite is unambiguous (one suggestion that replaces exactly `span`)
    /// and holds no stand-in for the writer to fill in (see [`crate::fix::has_stand_in`]).
    /// Boxed: most findings have none, and a finding's size is paid once per finding.
    pub fix: Option<Box<Edit>>,
    /// Rule's documentation link, if it has one.
    pub link: Option<Arc<str>>,
}

impl Diagnostic {
    pub fn new(
        rule: Arc<str>,
        severity: Severity,
        message: impl Into<Message>,
        span: Range<usize>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            message: message.into(),
            span,
            suggestions: ShortList::new(),
            related: ShortList::new(),
            fix: None,
            link: None,
        }
    }

    /// Order used by every reporter: by position, then rule id, so output never depends on the
    /// order rules or threads happened to run in.
    pub fn sort_key(&self) -> (usize, usize, &str, &str) {
        (self.span.start, self.span.end, &self.rule, &self.message)
    }
}

/// A 1-based line and column (column counted in Unicode scalar values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

/// Maps byte offsets of one text to lines and columns.
///
/// Columns count characters, which on a long line (a minified JSON export) would make each
/// lookup walk the line from its start. Character counts are kept at checkpoints every
/// `CHECKPOINT` bytes, so a lookup walks at most that far.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<usize>,
    /// (byte offset, characters before it), in order; empty when the text is ASCII.
    checkpoints: Vec<(usize, usize)>,
}

const CHECKPOINT: usize = 4096;

const BOM: &str = "\u{feff}";

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        let bytes = text.as_bytes();
        // A lone CR (old Mac line endings) ends a line too; CRLF ends one line.
        line_starts.extend(
            memchr::memchr2_iter(b'\n', b'\r', bytes)
                .filter(|&i| bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n'))
                .map(|i| i + 1),
        );
        let mut checkpoints = Vec::new();
        if !text.is_ascii() {
            let (mut at, mut chars) = (0, 0);
            checkpoints.push((0, 0));
            while at + CHECKPOINT < text.len() {
                let mut next = at + CHECKPOINT;
                while !text.is_char_boundary(next) {
                    next += 1;
                }
                chars += text[at..next].chars().count();
                checkpoints.push((next, chars));
                at = next;
            }
        }
        LineIndex {
            line_starts,
            checkpoints,
        }
    }

    /// Number of characters before byte `offset` (a char boundary).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        if self.checkpoints.is_empty() {
            return offset;
        }
        let i = self.checkpoints.partition_point(|(b, _)| *b <= offset) - 1;
        let (byte, chars) = self.checkpoints[i];
        chars + text[byte..offset].chars().count()
    }

    /// Line and column of `offset`. Offsets past the end or inside a UTF-8 sequence are clamped
    /// to the nearest preceding character boundary.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let mut offset = offset.min(text.len());
        while !text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = match self.line_starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let mut start = self.line_starts[line];
        // Editors hide a byte-order mark: the first visible character is column 1.
        if start == 0 && offset >= BOM.len() && text.starts_with(BOM) {
            start = BOM.len();
        }
        LineCol {
            line: line + 1,
            column: self.chars_before(text, offset) - self.chars_before(text, start) + 1,
        }
    }

    /// Byte offset where the 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line.checked_sub(1)?).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_short_list_holds_what_was_pushed_and_an_empty_one_allocates_nothing() {
        let mut list: ShortList<String> = ShortList::from(Vec::new());
        assert!(list.is_empty() && list.0.is_none());
        list.push("a".to_string());
        list.push("b".to_string());
        assert_eq!(list.as_slice(), ["a", "b"]);
        assert_eq!(format!("{list:?}"), r#"["a", "b"]"#);
        let collected: ShortList<usize> = (1..4).collect();
        assert_eq!(collected.iter().sum::<usize>(), 6);
        assert_eq!(
            ShortList::from(vec![1, 2]),
            [1, 2].into_iter().collect::<ShortList<_>>()
        );
    }

    #[test]
    fn a_finding_is_at_most_twelve_words() {
        // A file dense with findings holds one per stock phrase; at 168 bytes they were the
        // largest part of its memory.
        assert!(std::mem::size_of::<Diagnostic>() <= 96);
    }

    #[test]
    fn columns_count_scalar_values_not_bytes() {
        let text = "héllo\nwörld";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        // 'l' after 'hé' is byte 3 but column 3.
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 3 });
        let w = text.find('w').unwrap();
        assert_eq!(idx.line_col(text, w), LineCol { line: 2, column: 1 });
        assert_eq!(
            idx.line_col(text, text.len()),
            LineCol { line: 2, column: 6 }
        );
    }

    #[test]
    fn columns_on_long_multibyte_lines_match_a_plain_count() {
        let text = "é".repeat(10_000) + "x\n" + &"ü a".repeat(5_000);
        let idx = LineIndex::new(&text);
        for offset in [
            0,
            2,
            4095,
            4096,
            8193,
            20_000,
            20_001,
            20_002,
            25_000,
            text.len(),
        ] {
            let mut o = offset.min(text.len());
            while !text.is_char_boundary(o) {
                o -= 1;
            }
            let line_start = text[..o].rfind('\n').map_or(0, |i| i + 1);
            let expected = text[line_start..o].chars().count() + 1;
            assert_eq!(
                idx.line_col(&text, offset).column,
                expected,
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_byte_order_mark_is_not_a_column() {
        let text = "\u{feff}Dear customer,\r\nthanks";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 3), LineCol { line: 1, column: 1 });
        assert_eq!(idx.line_col(text, 8), LineCol { line: 1, column: 6 });
        assert_eq!(idx.line_col(text, 0), LineCol { line: 1, column: 1 });
        let t = text.find("thanks").unwrap();
        assert_eq!(idx.line_col(text, t), LineCol { line: 2, column: 1 });
    }

    #[test]
    fn columns_at_every_step_of_a_mixed_width_line_match_a_plain_count() {
        // 1-, 2- and 4-byte characters, so checkpoints land inside sequences and are moved.
        let text = format!("x\n{}", "aé🙂 ".repeat(5000));
        let idx = LineIndex::new(&text);
        for offset in (2..text.len())
            .filter(|o| text.is_char_boundary(*o))
            .step_by(997)
        {
            let expected = text[2..offset].chars().count() + 1;
            assert_eq!(
                idx.line_col(&text, offset).column,
                expected,
                "offset {offset}"
            );
        }
    }
}
