//! `--format rdjson`: reviewdog's Diagnostic Format (`DiagnosticResult` as JSON), for
//! `candor check … --format rdjson | reviewdog -f=rdjson -reporter=github-pr-review`.
//!
//! Positions are 1-based lines and 1-based columns counted in UTF-8 bytes, ranges end-exclusive,
//! as the format defines. Severities: `ERROR`, `WARNING`, `INFO` (suggestions). Each rewrite a
//! rule offers becomes a `suggestions` entry replacing the finding's range, which reviewdog
//! turns into a GitHub "suggested change".

use std::ops::Range;

use serde::Serialize;

use super::{FileLines, Report};
use crate::diagnostic::Severity;

#[derive(Serialize)]
pub struct DiagnosticResult {
    pub source: Source,
    pub diagnostics: Vec<RdDiagnostic>,
}

#[derive(Serialize)]
pub struct Source {
    pub name: &'static str,
}

#[derive(Serialize)]
pub struct RdDiagnostic {
    pub message: String,
    pub location: Location,
    pub severity: &'static str,
    pub code: Code,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<Suggestion>,
}

#[derive(Serialize)]
pub struct Location {
    pub path: String,
    pub range: RdRange,
}

#[derive(Serialize)]
pub struct RdRange {
    pub start: RdPosition,
    pub end: RdPosition,
}

#[derive(Serialize, Debug, PartialEq, Eq)]
pub struct RdPosition {
    pub line: usize,
    pub column: usize,
}

#[derive(Serialize)]
pub struct Code {
    pub value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Serialize)]
pub struct Suggestion {
    pub range: RdRange,
    pub text: String,
}

pub fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "ERROR",
        Severity::Warning => "WARNING",
        Severity::Suggestion => "INFO",
    }
}

/// Line and UTF-8 byte column (both 1-based) of `offset`.
fn position(lines: &FileLines, offset: usize) -> RdPosition {
    RdPosition {
        line: lines.line_col(offset).line,
        column: lines.byte_column(offset),
    }
}

fn range(lines: &FileLines, span: &Range<usize>) -> RdRange {
    RdRange {
        start: position(lines, span.start),
        end: position(lines, span.end),
    }
}

/// One finding as rdjson.
fn diagnostic(path: &str, lines: &FileLines, d: &crate::diagnostic::Diagnostic) -> RdDiagnostic {
    let suggestions = match &d.fix {
        Some(edit) => vec![Suggestion {
            range: range(lines, &edit.span),
            text: edit.replacement.clone(),
        }],
        // Advice with a stand-in ("Hi (and the customer's name)") is not text to commit.
        None => d
            .suggestions
            .iter()
            .filter(|s| !crate::fix::has_stand_in(s))
            .map(|s| Suggestion {
                range: range(lines, &d.span),
                text: s.clone(),
            })
            .collect(),
    };
    RdDiagnostic {
        message: d.message.to_string(),
        location: Location {
            path: path.to_string(),
            range: range(lines, &d.span),
        },
        severity: severity(d.severity),
        code: Code {
            value: d.rule.to_string(),
            url: d.link.as_deref().map(str::to_string),
        },
        suggestions,
    }
}

pub fn to_value(report: &Report) -> DiagnosticResult {
    let mut diagnostics = Vec::new();
    for file in &report.files {
        let lines = file.lines();
        for d in &file.diagnostics {
            diagnostics.push(diagnostic(&file.path, &lines, d));
        }
    }
    DiagnosticResult {
        source: Source { name: "candor" },
        diagnostics,
    }
}

/// The same value as [`to_value`], each finding made as it is written: a report dense with
/// findings is never held whole.
struct Streamed<'a>(&'a Report);

impl Serialize for Streamed<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut out = s.serialize_struct("DiagnosticResult", 2)?;
        out.serialize_field("source", &Source { name: "candor" })?;
        out.serialize_field("diagnostics", &StreamedDiagnostics(self.0))?;
        out.end()
    }
}

struct StreamedDiagnostics<'a>(&'a Report);

impl Serialize for StreamedDiagnostics<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let count = self.0.files.iter().map(|f| f.diagnostics.len()).sum();
        let mut seq = s.serialize_seq(Some(count))?;
        for file in &self.0.files {
            let lines = file.lines();
            for d in &file.diagnostics {
                seq.serialize_element(&diagnostic(&file.path, &lines, d))?;
            }
        }
        seq.end()
    }
}

/// Writes the report to `out`, as [`render`] returns it.
pub fn write(report: &Report, mut out: impl std::io::Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut out, &Streamed(report))?;
    out.write_all(b"\n")
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("rdjson serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_utf8_bytes() {
        // reviewdog's own example: in 'a𐐀b', b is at column 6.
        let text = "x\na𐐀b";
        let lines = FileLines::Text {
            text,
            index: crate::diagnostic::LineIndex::new(text),
        };
        let b = text.find('b').unwrap();
        assert_eq!(position(&lines, b), RdPosition { line: 2, column: 6 });
        assert_eq!(position(&lines, 0), RdPosition { line: 1, column: 1 });
    }
}
