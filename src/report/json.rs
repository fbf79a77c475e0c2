//! `--format json`: the stable report (version 1) that users' tools and our evaluation parse.
//!
//! Shape (fields may be added, never renamed or dropped):
//! `{"version": 1, "files": [{"path", "diagnostics": [{"rule", "severity", "message", "span",
//! "suggestions", "related": [{"path", "span", "message"}]}], "questions": [...]}],
//! "summary": {"files", "errors", "warnings", "suggestions"}}` where a span is
//! `{"start", "end", "line", "column", "end_line", "end_column"}` (bytes, end exclusive; lines
//! and columns 1-based, columns in Unicode scalar values).

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use super::{Position, Report, Summary};
use crate::diagnostic::LineIndex;

#[derive(Serialize)]
pub struct JsonReport {
    pub version: u32,
    pub files: Vec<JsonFile>,
    pub summary: Summary,
}

#[derive(Serialize)]
pub struct JsonFile {
    pub path: String,
    pub diagnostics: Vec<JsonDiagnostic>,
    pub questions: Vec<JsonQuestion>,
}

#[derive(Serialize)]
pub struct JsonSpan {
    pub start: usize,
    pub end: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

#[derive(Serialize)]
pub struct JsonDiagnostic {
    pub rule: String,
    pub severity: String,
    pub message: String,
    pub span: JsonSpan,
    pub suggestions: Vec<String>,
    pub related: Vec<JsonRelated>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    /// The edit `--fix` would apply, when there is an unambiguous one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix>,
}

#[derive(Serialize)]
pub struct JsonFix {
    pub span: JsonSpan,
    pub replacement: String,
}

#[derive(Serialize)]
pub struct JsonRelated {
    pub path: String,
    pub span: JsonSpan,
    pub message: String,
}

#[derive(Serialize)]
pub struct JsonAnswer {
    pub span: JsonSpan,
}

#[derive(Serialize)]
pub struct JsonQuestion {
    pub path: String,
    pub span: JsonSpan,
    pub text: String,
    pub addressed: bool,
    pub answer: Option<JsonAnswer>,
    pub score: f64,
}

/// Line indexes per file, built once each.
struct Spans<'a> {
    report: &'a Report,
    indexes: HashMap<String, LineIndex>,
}

impl Spans<'_> {
    fn span(&mut self, path: &str, range: &Range<usize>) -> JsonSpan {
        let text: &str = self.report.text_of(path).map_or("", |t| t);
        let index = self
            .indexes
            .entry(path.to_string())
            .or_insert_with(|| LineIndex::new(text));
        let p = Position::of(text, index, range);
        JsonSpan {
            start: p.start,
            end: p.end,
            line: p.line,
            column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
        }
    }
}

/// The report as a serialisable value.
pub fn to_value(report: &Report) -> JsonReport {
    let mut spans = Spans {
        report,
        indexes: HashMap::new(),
    };
    let files = report
        .files
        .iter()
        .map(|f| JsonFile {
            path: f.path.to_string(),
            diagnostics: f
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    rule: d.rule.to_string(),
                    severity: d.severity.as_str().to_string(),
                    message: d.message.clone(),
                    span: spans.span(&f.path, &d.span),
                    suggestions: d.suggestions.clone(),
                    related: d
                        .related
                        .iter()
                        .map(|r| JsonRelated {
                            path: r.path.to_string(),
                            span: spans.span(&r.path, &r.span),
                            message: r.message.clone(),
                        })
                        .collect(),
                    link: d.link.as_deref().map(str::to_string),
                    fix: d.fix.as_ref().map(|e| JsonFix {
                        span: spans.span(&f.path, &e.span),
                        replacement: e.replacement.clone(),
                    }),
                })
                .collect(),
            questions: f
                .questions
                .iter()
                .map(|q| JsonQuestion {
                    path: q.path.to_string(),
                    span: spans.span(&q.path, &q.span),
                    text: q.text.clone(),
                    addressed: q.addressed,
                    answer: q.answer.as_ref().map(|a| JsonAnswer {
                        span: spans.span(&f.path, a),
                    }),
                    score: (q.score * 1000.0).round() / 1000.0,
                })
                .collect(),
        })
        .collect();
    JsonReport {
        version: 1,
        files,
        summary: report.summary(),
    }
}

pub fn render(report: &Report) -> String {
    let mut s = serde_json::to_string_pretty(&to_value(report)).expect("report serialises");
    s.push('\n');
    s
}
