//! Reporters: one file per output format, all built from the same [`Report`].
//!
//! Reporters return text; only the binary's edge ([`crate::cli`]) writes it out.

pub mod github;
pub mod human;
pub mod json;
pub mod line;
pub mod rdjson;
pub mod sarif;
pub mod statistics;

use std::sync::Arc;

use crate::check::Question;
use crate::diagnostic::{Diagnostic, LineCol, LineIndex, Severity};
use crate::rules::{RuleMeta, RuleSet};

/// Findings for one linted file, with its text (for line numbers and snippets).
#[derive(Debug)]
pub struct FileReport {
    pub path: Arc<str>,
    pub text: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
    pub questions: Vec<Question>,
    /// Set by [`FileReport::forget_text`]: where the findings' offsets are, in place of the text.
    pub positions: Option<KnownPositions>,
    /// This file's part of the human output, when the run rendered it (see
    /// [`human::render_part`]) and dropped the text.
    pub human: Option<HumanPart>,
}

/// One file's part of the human output: its findings with snippets, and its line of the
/// questions summary.
#[derive(Debug, Clone, Default)]
pub struct HumanPart {
    /// `None` when the findings are written at the end from the file's text, kept for that
    /// because their output would be larger than the text (a file dense with findings).
    pub diagnostics: Option<String>,
    pub questions: String,
}

impl FileReport {
    /// Drops the file's text, keeping the line and column of every offset its findings use:
    /// all that reporters without snippets (every format but human) need. On a run over
    /// thousands of files the texts were the largest part of the report.
    pub fn forget_text(&mut self) {
        if self.positions.is_none() {
            self.positions = Some(KnownPositions::of(self, &self.text));
            self.text = Arc::from("");
        }
    }

    /// Line and column lookups in this file.
    pub fn lines(&self) -> FileLines<'_> {
        match &self.positions {
            Some(known) => FileLines::Known(known),
            None => FileLines::Text {
                text: &self.text,
                index: LineIndex::new(&self.text),
            },
        }
    }

    /// Offsets (in this file) that the findings' spans start or end at.
    fn offsets(&self) -> Vec<usize> {
        let own = |path: &str| path == &*self.path;
        let mut at = Vec::new();
        for d in &self.diagnostics {
            at.extend([d.span.start, d.span.end]);
            if let Some(fix) = &d.fix {
                at.extend([fix.span.start, fix.span.end]);
            }
            for r in d.related.iter().filter(|r| own(&r.path)) {
                at.extend([r.span.start, r.span.end]);
            }
        }
        for q in &self.questions {
            if own(&q.path) {
                at.extend([q.span.start, q.span.end]);
            }
            for reply_span in q.answer.iter().chain(&q.nearest) {
                at.extend([reply_span.start, reply_span.end]);
            }
        }
        at.sort_unstable();
        at.dedup();
        at
    }
}

/// Where some offsets of a text are, worked out while the text was at hand.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KnownPositions {
    /// (byte offset, its line and column, its 1-based column in UTF-8 bytes), by offset.
    at: Vec<(usize, LineCol, usize)>,
}

impl KnownPositions {
    /// The positions of the offsets `file`'s findings use, in `text` (the file's text).
    pub fn of(file: &FileReport, text: &str) -> KnownPositions {
        let lines = FileLines::Text {
            text,
            index: LineIndex::new(text),
        };
        KnownPositions {
            at: file
                .offsets()
                .into_iter()
                .map(|o| (o, lines.line_col(o), lines.byte_column(o)))
                .collect(),
        }
    }

    fn get(&self, offset: usize) -> Option<(LineCol, usize)> {
        let i = self.at.binary_search_by_key(&offset, |(o, _, _)| *o).ok()?;
        Some((self.at[i].1, self.at[i].2))
    }
}

/// Line and column lookups in one file: from its text, or from the positions kept when the text
/// was dropped ([`FileReport::forget_text`]).
pub enum FileLines<'a> {
    Text { text: &'a str, index: LineIndex },
    Known(&'a KnownPositions),
}

/// Where an offset no finding uses is said to be once the text is gone: where an empty text's
/// offsets are.
const UNKNOWN: (LineCol, usize) = (LineCol { line: 1, column: 1 }, 1);

impl FileLines<'_> {
    /// Line and column (in Unicode scalar values) of `offset`.
    pub fn line_col(&self, offset: usize) -> LineCol {
        match self {
            FileLines::Text { text, index } => index.line_col(text, offset),
            FileLines::Known(known) => known.get(offset).unwrap_or(UNKNOWN).0,
        }
    }

    /// 1-based column of `offset` in UTF-8 bytes.
    pub fn byte_column(&self, offset: usize) -> usize {
        match self {
            FileLines::Text { text, index } => {
                let line = index.line_col(text, offset).line;
                let start = index.line_start(line).unwrap_or(0);
                offset.min(text.len()).saturating_sub(start) + 1
            }
            FileLines::Known(known) => known.get(offset).unwrap_or(UNKNOWN).1,
        }
    }

    /// Where `span` is.
    pub fn position(&self, span: &std::ops::Range<usize>) -> Position {
        Position::at(span, self.line_col(span.start), self.line_col(span.end))
    }
}

/// A file read only to explain findings (the customer's message).
#[derive(Debug, Clone)]
pub struct RelatedSource {
    pub path: Arc<str>,
    pub text: Arc<str>,
}

/// Everything a run found, in a stable order (files sorted by path).
#[derive(Debug, Default)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub related_sources: Vec<RelatedSource>,
    /// The rules the run used, sorted by id (SARIF lists them with their help). Filled by the
    /// caller that has the [`RuleSet`]; reporters cope with an empty list.
    pub rules: Vec<RuleDescriptor>,
}

/// What a reporter may say about a rule besides its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleDescriptor {
    pub id: Arc<str>,
    pub description: String,
    pub link: Option<Arc<str>>,
    pub level: Severity,
}

impl RuleDescriptor {
    pub fn of(meta: &RuleMeta) -> RuleDescriptor {
        RuleDescriptor {
            id: meta.id.clone(),
            description: meta.description.clone(),
            link: meta.link.clone(),
            level: meta.level,
        }
    }

    /// Every rule in `rules`, in the set's order (by id).
    pub fn all(rules: &RuleSet) -> Vec<RuleDescriptor> {
        rules.iter().map(|r| RuleDescriptor::of(r.meta())).collect()
    }
}

/// Counts by severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Summary {
    pub files: usize,
    pub errors: usize,
    pub warnings: usize,
    pub suggestions: usize,
}

impl Report {
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            files: self.files.len(),
            ..Summary::default()
        };
        for d in self.files.iter().flat_map(|f| &f.diagnostics) {
            match d.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Suggestion => s.suggestions += 1,
            }
        }
        s
    }

    /// Text of a file a span may point into: a linted file or a related one.
    pub fn text_of(&self, path: &str) -> Option<&Arc<str>> {
        self.files
            .iter()
            .find(|f| &*f.path == path)
            .map(|f| &f.text)
            .or_else(|| {
                self.related_sources
                    .iter()
                    .find(|r| &*r.path == path)
                    .map(|r| &r.text)
            })
    }

    /// The most severe finding, if any.
    pub fn max_severity(&self) -> Option<Severity> {
        self.files
            .iter()
            .flat_map(|f| &f.diagnostics)
            .map(|d| d.severity)
            .max()
    }
}

/// A span's start and end as 1-based lines and columns.
#[derive(Debug, Clone, Copy)]
pub struct Position {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

impl Position {
    pub fn of(text: &str, index: &LineIndex, span: &std::ops::Range<usize>) -> Position {
        let (start, end) = (span.start, span.end);
        Position::at(span, index.line_col(text, start), index.line_col(text, end))
    }

    /// `span`, which starts at `a` and ends at `b`.
    fn at(span: &std::ops::Range<usize>, a: LineCol, b: LineCol) -> Position {
        Position {
            start: span.start,
            end: span.end,
            line: a.line,
            column: a.column,
            end_line: b.line,
            end_column: b.column,
        }
    }
}

/// Positions of spans in a report's files: each file's text found once (not by a search of
/// every file per span) and its line index built once, while its spans are made.
pub struct Positions<'a> {
    files: std::collections::HashMap<&'a str, Source<'a>>,
    /// Related sources' texts, for spans into a file whose text was dropped that its own
    /// findings do not use (the same file named as `--inbound`).
    related: std::collections::HashMap<&'a str, &'a str>,
    indexes: std::collections::HashMap<&'a str, LineIndex>,
}

/// Where a file's positions come from.
#[derive(Clone, Copy)]
enum Source<'a> {
    Text(&'a str),
    Known(&'a KnownPositions),
}

impl<'a> Positions<'a> {
    pub fn new(report: &'a Report) -> Positions<'a> {
        let mut files = std::collections::HashMap::new();
        let mut related = std::collections::HashMap::new();
        // As in [`Report::text_of`]: the first linted file of a name, then related sources.
        for r in &report.related_sources {
            files.insert(&*r.path, Source::Text(&r.text));
            related.insert(&*r.path, &*r.text);
        }
        for f in report.files.iter().rev() {
            let source = match &f.positions {
                Some(known) => Source::Known(known),
                None => Source::Text(&f.text),
            };
            files.insert(&*f.path, source);
        }
        Positions {
            files,
            related,
            indexes: std::collections::HashMap::new(),
        }
    }

    /// Where `span` of the file at `path` is.
    pub fn of(&mut self, path: &'a str, span: &std::ops::Range<usize>) -> Position {
        let text = match self.files.get(path).copied() {
            Some(Source::Known(known)) => match (known.get(span.start), known.get(span.end)) {
                (Some((a, _)), Some((b, _))) => return Position::at(span, a, b),
                _ => self.related.get(path).copied().unwrap_or(""),
            },
            Some(Source::Text(text)) => text,
            None => "",
        };
        let index = self
            .indexes
            .entry(path)
            .or_insert_with(|| LineIndex::new(text));
        Position::of(text, index, span)
    }

    /// Forgets the line index of a file whose spans are all made (memory stays flat over a
    /// run of thousands of files).
    pub fn done_with(&mut self, path: &str) {
        self.indexes.remove(path);
    }
}

/// Output formats of `candor check --format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// Rich diagnostics with source snippets (codespan-reporting).
    Human,
    /// The stable JSON report (version 1).
    Json,
    /// One line per finding: `path:line:col: severity rule: message`.
    Line,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow commands (`::warning file=…::…`): annotations on the PR diff.
    Github,
    /// reviewdog's Diagnostic Format (rdjson), for `reviewdog -f=rdjson`.
    Rdjson,
}

/// Writes `report` in `format` to `out` as it is made (what [`render`] returns, except that
/// the human format's summary line is left out unless `summary`): no format holds its whole
/// output at once. `color` applies to human output only.
pub fn write(
    report: &Report,
    format: OutputFormat,
    color: bool,
    summary: bool,
    out: impl std::io::Write,
) -> std::io::Result<()> {
    match format {
        OutputFormat::Human => human::write(report, color, summary, out),
        OutputFormat::Json => json::write(report, out),
        OutputFormat::Line => line::write(report, out),
        OutputFormat::Sarif => sarif::write(report, out),
        OutputFormat::Github => github::write(report, out),
        OutputFormat::Rdjson => rdjson::write(report, out),
    }
}

/// Renders `report` in `format`. `color` applies to human output only.
pub fn render(report: &Report, format: OutputFormat, color: bool) -> String {
    match format {
        OutputFormat::Human => human::render(report, color),
        OutputFormat::Json => json::render(report),
        OutputFormat::Line => line::render(report),
        OutputFormat::Sarif => sarif::render(report),
        OutputFormat::Github => github::render(report),
        OutputFormat::Rdjson => rdjson::render(report),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Edit, Related};
    use proptest::prelude::*;

    const FORMATS: [OutputFormat; 5] = [
        OutputFormat::Json,
        OutputFormat::Line,
        OutputFormat::Sarif,
        OutputFormat::Github,
        OutputFormat::Rdjson,
    ];

    /// A file of `text` with a finding at each of `spans` (offsets may be past the end or
    /// inside a character), some with a fix, a related span into the file itself and a
    /// question it answers.
    fn file(path: &str, text: &str, spans: &[(usize, usize)]) -> FileReport {
        let path: Arc<str> = Arc::from(path);
        let mut diagnostics = Vec::new();
        let mut questions = Vec::new();
        for (i, &(a, b)) in spans.iter().enumerate() {
            let span = a.min(b)..a.max(b);
            let mut d = Diagnostic::new(
                Arc::from("Test.Rule"),
                Severity::Warning,
                format!("finding {i}"),
                span.clone(),
            );
            if i % 2 == 0 {
                d.fix = Some(Box::new(Edit {
                    span: span.start..span.start + i,
                    replacement: String::new(),
                    applicability: crate::diagnostic::Applicability::Safe,
                }));
            }
            if i % 3 == 0 {
                d.related.push(Related {
                    path: path.clone(),
                    span: b / 2..a + 1,
                    message: "here too".to_string(),
                });
                d.related.push(Related {
                    path: Arc::from("customer.txt"),
                    span: b..a + b,
                    message: "asked here".to_string(),
                });
            }
            diagnostics.push(d);
            questions.push(Question {
                path: path.clone(),
                span: a / 3..b + 2,
                text: "Why?".to_string(),
                addressed: i % 2 == 1,
                answer: (i % 2 == 1).then_some(b..a + b),
                nearest: Some(b..a + b),
                score: 0.5,
                not_judged: None,
            });
        }
        FileReport {
            path,
            text: Arc::from(text),
            diagnostics,
            questions,
            positions: None,
            human: None,
        }
    }

    fn render_all(report: &Report) -> Vec<String> {
        FORMATS.iter().map(|f| render(report, *f, false)).collect()
    }

    /// Every format written as it is made gives the bytes rendered whole; the human format
    /// without its summary line when asked.
    #[test]
    fn writing_gives_what_rendering_gives_in_every_format() {
        let text = "Hello.\nWe apologize.\n\u{e9}t\u{e9}\nLast line";
        let report = Report {
            files: vec![
                file("a.md", text, &[(0, 5), (7, 20), (22, 30)]),
                file("b.md", "", &[]),
                file("c.md", text, &[(3, 3)]),
            ],
            related_sources: vec![RelatedSource {
                path: Arc::from("customer.txt"),
                text: Arc::from("Why is it late?\nWhere is it?"),
            }],
            rules: Vec::new(),
        };
        for format in FORMATS.into_iter().chain([OutputFormat::Human]) {
            for color in [false, true] {
                let whole = render(&report, format, color);
                assert!(!whole.is_empty(), "{format:?}");
                let mut written = Vec::new();
                write(&report, format, color, true, &mut written).unwrap();
                assert_eq!(String::from_utf8(written).unwrap(), whole, "{format:?}");
            }
        }
        let mut quiet = Vec::new();
        write(&report, OutputFormat::Human, false, false, &mut quiet).unwrap();
        let whole = render(&report, OutputFormat::Human, false);
        let summary = human::summary_line(&report);
        assert_eq!(
            String::from_utf8(quiet).unwrap(),
            whole[..whole.len() - summary.len()]
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Every format but human says the same from the positions kept at lint time as from
        /// the text, whatever the characters, line breaks and offsets.
        #[test]
        fn positions_kept_without_the_text_give_the_same_reports(
            pieces in prop::collection::vec(
                prop::sample::select(vec!["a", "bc ", "é", "🙂", "\n", "\r\n", "\u{feff}", "日本"]),
                0..80,
            ),
            spans in prop::collection::vec((0..260usize, 0..260usize), 1..6),
            other in prop::collection::vec((0..260usize, 0..260usize), 1..3),
        ) {
            let text = pieces.concat();
            let half = (0..=text.len() / 2).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            let mut second = file("b.md", &text[..half], &other);
            // A span from another file into the first one, which its own findings do not use:
            // found in the related source of the same name (`--inbound` naming a linted file).
            second.diagnostics[0].related.push(Related {
                path: Arc::from("a.md"),
                span: 1..text.len() + 3,
                message: "in a.md".to_string(),
            });
            let mut report = Report {
                files: vec![file("a.md", &text, &spans), second],
                related_sources: vec![
                    RelatedSource { path: Arc::from("customer.txt"), text: Arc::from(text.as_str()) },
                    RelatedSource { path: Arc::from("a.md"), text: Arc::from(text.as_str()) },
                ],
                rules: Vec::new(),
            };
            let before = render_all(&report);
            for f in &mut report.files {
                f.forget_text();
                prop_assert!(f.text.is_empty());
            }
            prop_assert_eq!(render_all(&report), before);
        }
    }
}
