//! Reporters: one file per output format, all built from the same [`Report`].
//!
//! Reporters return text; only the binary's edge ([`crate::cli`]) writes it out.

pub mod github;
pub mod human;
pub mod json;
pub mod line;
pub mod rdjson;
pub mod sarif;

use std::sync::Arc;

use crate::check::Question;
use crate::diagnostic::{Diagnostic, LineIndex, Severity};
use crate::rules::{RuleMeta, RuleSet};

/// Findings for one linted file, with its text (for line numbers and snippets).
#[derive(Debug)]
pub struct FileReport {
    pub path: Arc<str>,
    pub text: Arc<str>,
    pub diagnostics: Vec<Diagnostic>,
    pub questions: Vec<Question>,
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
        let a = index.line_col(text, span.start);
        let b = index.line_col(text, span.end);
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
    texts: std::collections::HashMap<&'a str, &'a str>,
    indexes: std::collections::HashMap<&'a str, LineIndex>,
}

impl<'a> Positions<'a> {
    pub fn new(report: &'a Report) -> Positions<'a> {
        let mut texts = std::collections::HashMap::new();
        // As in [`Report::text_of`]: the first linted file of a name, then related sources.
        for r in &report.related_sources {
            texts.insert(&*r.path, &*r.text);
        }
        for f in report.files.iter().rev() {
            texts.insert(&*f.path, &*f.text);
        }
        Positions {
            texts,
            indexes: std::collections::HashMap::new(),
        }
    }

    /// Where `span` of the file at `path` is.
    pub fn of(&mut self, path: &'a str, span: &std::ops::Range<usize>) -> Position {
        let text: &str = self.texts.get(path).copied().unwrap_or("");
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
