//! `--format json`: the stable report (version 1) that users' tools and our evaluation parse.
//!
//! Shape (fields may be added, never renamed or dropped):
//! `{"version": 1, "files": [{"path", "diagnostics": [{"rule", "severity", "message", "span",
//! "suggestions", "related": [{"path", "span", "message"}]}], "questions": [...]}],
//! "summary": {"files", "errors", "warnings", "suggestions"}}` where a span is
//! `{"start", "end", "line", "column", "end_line", "end_column"}` (bytes, end exclusive; lines
//! and columns 1-based, columns in Unicode scalar values).

use serde::Serialize;

use super::{Position, Positions, Report, Summary};

// The report borrows from [`Report`] rather than copying every message: on a run over a
// whole docs repository the copies doubled the report's memory.

#[derive(Serialize)]
pub struct JsonReport<'a> {
    pub version: u32,
    pub files: Vec<JsonFile<'a>>,
    pub summary: Summary,
}

#[derive(Serialize)]
pub struct JsonFile<'a> {
    pub path: &'a str,
    pub diagnostics: Vec<JsonDiagnostic<'a>>,
    pub questions: Vec<JsonQuestion<'a>>,
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
pub struct JsonDiagnostic<'a> {
    pub rule: &'a str,
    pub severity: &'static str,
    pub message: &'a str,
    pub span: JsonSpan,
    pub suggestions: &'a [String],
    pub related: Vec<JsonRelated<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<&'a str>,
    /// The edit `--fix` would apply, when there is an unambiguous one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
pub struct JsonFix<'a> {
    pub span: JsonSpan,
    pub replacement: &'a str,
}

#[derive(Serialize)]
pub struct JsonRelated<'a> {
    pub path: &'a str,
    pub span: JsonSpan,
    pub message: &'a str,
}

#[derive(Serialize)]
pub struct JsonAnswer {
    pub span: JsonSpan,
}

#[derive(Serialize)]
pub struct JsonQuestion<'a> {
    pub path: &'a str,
    pub span: JsonSpan,
    pub text: &'a str,
    pub addressed: bool,
    pub answer: Option<JsonAnswer>,
    pub score: f64,
}

fn json_span(p: Position) -> JsonSpan {
    JsonSpan {
        start: p.start,
        end: p.end,
        line: p.line,
        column: p.column,
        end_line: p.end_line,
        end_column: p.end_column,
    }
}

/// The report as a serialisable value.
pub fn to_value(report: &Report) -> JsonReport<'_> {
    let mut spans = Positions::new(report);
    let mut files = Vec::with_capacity(report.files.len());
    for f in &report.files {
        let file = JsonFile {
            path: &f.path,
            diagnostics: f
                .diagnostics
                .iter()
                .map(|d| JsonDiagnostic {
                    rule: &d.rule,
                    severity: d.severity.as_str(),
                    message: &d.message,
                    span: json_span(spans.of(&f.path, &d.span)),
                    suggestions: &d.suggestions,
                    related: d
                        .related
                        .iter()
                        .map(|r| JsonRelated {
                            path: &r.path,
                            span: json_span(spans.of(&r.path, &r.span)),
                            message: &r.message,
                        })
                        .collect(),
                    link: d.link.as_deref(),
                    fix: d.fix.as_ref().map(|e| JsonFix {
                        span: json_span(spans.of(&f.path, &e.span)),
                        replacement: &e.replacement,
                    }),
                })
                .collect(),
            questions: f
                .questions
                .iter()
                .map(|q| JsonQuestion {
                    path: &q.path,
                    span: json_span(spans.of(&q.path, &q.span)),
                    text: &q.text,
                    addressed: q.addressed,
                    answer: q.answer.as_ref().map(|a| JsonAnswer {
                        span: json_span(spans.of(&f.path, a)),
                    }),
                    score: (q.score * 1000.0).round() / 1000.0,
                })
                .collect(),
        };
        spans.done_with(&f.path);
        files.push(file);
    }
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
