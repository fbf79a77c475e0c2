//! `--format json`: the stable report (version 1) that users' tools and our evaluation parse.
//!
//! Shape (fields may be added, never renamed or dropped):
//! `{"version": 1, "files": [{"path", "diagnostics": [{"rule", "severity", "message", "span",
//! "suggestions", "related": [{"path", "span", "message"}]}], "questions": [...]}],
//! "summary": {"files", "errors", "warnings", "suggestions"}}` where a span is
//! `{"start", "end", "line", "column", "end_line", "end_column"}` (bytes, end exclusive; lines
//! and columns 1-based, columns in Unicode scalar values).

use std::cell::RefCell;
use std::io::Write;

use serde::ser::{SerializeSeq, SerializeStruct, Serializer};
use serde::Serialize;

use super::{FileReport, Position, Positions, Report, Summary};
use crate::check::{NotJudged, Question};
use crate::diagnostic::Diagnostic;

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
    /// `safe` (applied by `--fix`) or `unsafe` (only with `--unsafe-fixes`). Added in 0.2.
    pub applicability: &'static str,
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
    /// The reply sentence closest to answering, answered or not (added in 0.2).
    pub nearest: Option<JsonAnswer>,
    /// Why the question was not judged (`"not English"`, `"past the questions judged per
    /// message"`), or null (added in 0.2).
    pub not_judged: Option<&'static str>,
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

/// One finding as a serialisable value.
fn json_diagnostic<'a>(
    f: &'a FileReport,
    d: &'a Diagnostic,
    spans: &mut Positions<'a>,
) -> JsonDiagnostic<'a> {
    JsonDiagnostic {
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
            applicability: e.applicability.as_str(),
        }),
    }
}

/// One question as a serialisable value.
fn json_question<'a>(
    f: &'a FileReport,
    q: &'a Question,
    spans: &mut Positions<'a>,
) -> JsonQuestion<'a> {
    JsonQuestion {
        path: &q.path,
        span: json_span(spans.of(&q.path, &q.span)),
        text: &q.text,
        addressed: q.addressed,
        answer: q.answer.as_ref().map(|a| JsonAnswer {
            span: json_span(spans.of(&f.path, a)),
        }),
        score: (q.score * 1000.0).round() / 1000.0,
        nearest: q.nearest.as_ref().map(|a| JsonAnswer {
            span: json_span(spans.of(&f.path, a)),
        }),
        not_judged: q.not_judged.map(NotJudged::as_str),
    }
}

/// One file's findings as a serialisable value.
fn json_file<'a>(f: &'a FileReport, spans: &mut Positions<'a>) -> JsonFile<'a> {
    let file = JsonFile {
        path: &f.path,
        diagnostics: f
            .diagnostics
            .iter()
            .map(|d| json_diagnostic(f, d, spans))
            .collect(),
        questions: f
            .questions
            .iter()
            .map(|q| json_question(f, q, spans))
            .collect(),
    };
    spans.done_with(&f.path);
    file
}

/// The report as a serialisable value.
pub fn to_value(report: &Report) -> JsonReport<'_> {
    let mut spans = Positions::new(report);
    JsonReport {
        version: 1,
        files: report
            .files
            .iter()
            .map(|f| json_file(f, &mut spans))
            .collect(),
        summary: report.summary(),
    }
}

/// The same report as [`to_value`], made one file at a time as it is written: a run over
/// thousands of files never holds the whole serialised report.
struct Streamed<'a> {
    report: &'a Report,
    spans: RefCell<Positions<'a>>,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("JsonReport", 3)?;
        out.serialize_field("version", &1u32)?;
        out.serialize_field("files", &StreamedFiles(self))?;
        out.serialize_field("summary", &self.report.summary())?;
        out.end()
    }
}

struct StreamedFiles<'s, 'a>(&'s Streamed<'a>);

impl Serialize for StreamedFiles<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Streamed { report, spans } = self.0;
        let mut seq = s.serialize_seq(Some(report.files.len()))?;
        for file in &report.files {
            seq.serialize_element(&StreamedFile { file, spans })?;
            spans.borrow_mut().done_with(&file.path);
        }
        seq.end()
    }
}

/// One file as [`json_file`] makes it, written finding by finding: a file dense with findings
/// never holds a serialisable copy of each (they were more memory than the findings).
struct StreamedFile<'s, 'a> {
    file: &'a FileReport,
    spans: &'s RefCell<Positions<'a>>,
}

impl Serialize for StreamedFile<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let StreamedFile { file, spans } = *self;
        let mut out = s.serialize_struct("JsonFile", 3)?;
        out.serialize_field("path", &*file.path)?;
        out.serialize_field(
            "diagnostics",
            &StreamedList(&file.diagnostics, |d| {
                json_diagnostic(file, d, &mut spans.borrow_mut())
            }),
        )?;
        out.serialize_field(
            "questions",
            &StreamedList(&file.questions, |q| {
                json_question(file, q, &mut spans.borrow_mut())
            }),
        )?;
        out.end()
    }
}

/// A list serialised item by item, each made by the function as it is written.
struct StreamedList<'a, T, F>(&'a [T], F);

impl<'a, T, J: Serialize, F: Fn(&'a T) -> J> Serialize for StreamedList<'a, T, F> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for item in self.0 {
            seq.serialize_element(&(self.1)(item))?;
        }
        seq.end()
    }
}

/// Writes the report to `out`, as [`render`] returns it.
pub fn write(report: &Report, mut out: impl Write) -> std::io::Result<()> {
    let streamed = Streamed {
        report,
        spans: RefCell::new(Positions::new(report)),
    };
    serde_json::to_writer_pretty(&mut out, &streamed)?;
    out.write_all(b"\n")
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("report serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::{Applicability, Edit, Related, Severity};
    use crate::report::RelatedSource;
    use std::sync::Arc;

    /// The report written finding by finding is byte for byte the report made whole.
    #[test]
    fn the_streamed_report_is_the_whole_report() {
        let text = "Héllo.\nWe apologize for any inconvenience.\nCan I get a refund?\n";
        let path: Arc<str> = Arc::from("reply.md");
        let mut with_fix = Diagnostic::new(Arc::from("T.Fix"), Severity::Warning, "fix me", 8..10);
        with_fix.fix = Some(Box::new(Edit {
            span: 8..10,
            replacement: "x".to_string(),
            applicability: Applicability::Unsafe,
        }));
        with_fix.suggestions.push("x".to_string());
        with_fix.link = Some(Arc::from("https://example.com"));
        let mut with_related =
            Diagnostic::new(Arc::from("T.Rel"), Severity::Error, "see there", 20..30);
        with_related.related.push(Related {
            path: Arc::from("customer.txt"),
            span: 0..5,
            message: "asked here".to_string(),
        });
        let file = |name: &str, diagnostics: Vec<Diagnostic>| FileReport {
            path: Arc::from(name),
            text: Arc::from(text),
            diagnostics,
            questions: vec![Question {
                path: Arc::from("customer.txt"),
                span: 0..5,
                text: "Why?".to_string(),
                addressed: true,
                answer: Some(1..4),
                nearest: Some(1..4),
                score: 0.12345,
                not_judged: None,
            }],
            positions: None,
            human: None,
        };
        let report = Report {
            files: vec![
                file(&path, vec![with_fix, with_related]),
                file("empty.md", Vec::new()),
            ],
            related_sources: vec![RelatedSource {
                path: Arc::from("customer.txt"),
                text: Arc::from("Why? Because."),
            }],
            rules: Vec::new(),
        };
        let whole = serde_json::to_string_pretty(&to_value(&report)).unwrap() + "\n";
        assert!(whole.contains("\"replacement\": \"x\"") && whole.contains("asked here"));
        assert_eq!(render(&report), whole);
    }
}
