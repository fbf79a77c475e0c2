//! Human output: codespan-reporting diagnostics with source snippets, related spans in other
//! files (the customer's message) as secondary labels, suggestions as notes, and a summary.

use std::collections::HashMap;
use std::ops::Range;

use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label, Severity as CsSeverity};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::termcolor::{Ansi, NoColor, WriteColor};
use codespan_reporting::term::{self, Config};

use super::{FileReport, HumanPart, Report};
use crate::check::NotJudged;
use crate::diagnostic::{LineIndex, Severity};

fn severity(s: Severity) -> CsSeverity {
    match s {
        Severity::Error => CsSeverity::Error,
        Severity::Warning => CsSeverity::Warning,
        Severity::Suggestion => CsSeverity::Help,
    }
}

/// Finds the text of a file a related span points into (the customer's message).
pub type TextOf<'t> = dyn Fn(&str) -> Option<&'t str> + 't;

/// Renders every finding, then a one-line summary. With `color`, ANSI colour codes are used.
/// A file whose part was rendered in the run's worker ([`FileReport::human`]) is not rendered
/// again.
pub fn render(report: &Report, color: bool) -> String {
    let text_of = |path: &str| report.text_of(path).map(|t| &**t);
    let related_first = |path: &str| related_text(report, path);
    let mut out = String::new();
    for f in &report.files {
        match &f.human {
            Some(HumanPart {
                diagnostics: Some(part),
                ..
            }) => out.push_str(part),
            Some(_) => out.push_str(&render_diagnostics(f, &related_first, color)),
            None => out.push_str(&render_diagnostics(f, &text_of, color)),
        }
    }
    out.push_str(&questions_summary(report));
    out.push_str(&summary_line(report));
    out
}

/// Writes what [`render`] returns (without the summary line unless `summary`) to `out`, one
/// file's part at a time: a report dense with findings is never held a second time as one
/// string (that copy was as large as all the parts together).
pub fn write(
    report: &Report,
    color: bool,
    summary: bool,
    mut out: impl std::io::Write,
) -> std::io::Result<()> {
    let text_of = |path: &str| report.text_of(path).map(|t| &**t);
    let related_first = |path: &str| related_text(report, path);
    for f in &report.files {
        // Straight to `out`: a file dense with findings renders to many times its size.
        let texts: &TextOf = match &f.human {
            Some(HumanPart {
                diagnostics: Some(part),
                ..
            }) => {
                out.write_all(part.as_bytes())?;
                continue;
            }
            Some(_) => &related_first,
            None => &text_of,
        };
        if color {
            write_diagnostics(f, texts, &mut Ansi::new(&mut out))?;
        } else {
            write_diagnostics(f, texts, &mut NoColor::new(&mut out))?;
        }
    }
    out.write_all(questions_summary(report).as_bytes())?;
    if summary {
        out.write_all(summary_line(report).as_bytes())?;
    }
    Ok(())
}

/// The part of the output for one file's findings (snippets of it and of `text_of` the files
/// their related spans are in), rendered in the worker that linted it so that its text need
/// not be kept until the end of the run. With `later`, only the questions' lines: the
/// findings are written at the end from the file's text (see [`HumanPart::diagnostics`]).
pub fn render_part<'t>(
    file: &'t FileReport,
    text_of: &TextOf<'t>,
    color: bool,
    later: bool,
) -> HumanPart {
    HumanPart {
        diagnostics: (!later).then(|| render_diagnostics(file, text_of, color)),
        questions: file_questions(file, text_of),
    }
}

/// How many bytes of human output a finding takes at least (a header, its place, a snippet
/// of three lines and a note): a file with more findings than its size over this is better
/// kept as text than rendered ahead of time.
pub const BYTES_PER_FINDING: usize = 150;

/// The text a file's related span points into, as the run's worker saw it: only the related
/// sources (customer's messages), not the linted files.
fn related_text<'r>(report: &'r Report, path: &str) -> Option<&'r str> {
    report
        .related_sources
        .iter()
        .find(|r| &*r.path == path)
        .map(|r| &*r.text)
}

/// Every finding of `file`, with snippets.
fn render_diagnostics<'t>(file: &'t FileReport, text_of: &TextOf<'t>, color: bool) -> String {
    let mut out = Vec::new();
    // Writing to memory cannot fail.
    let _ = if color {
        write_diagnostics(file, text_of, &mut Ansi::new(&mut out))
    } else {
        write_diagnostics(file, text_of, &mut NoColor::new(&mut out))
    };
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// [`render_diagnostics`], written to `out` as each finding is rendered.
fn write_diagnostics<'t>(
    file: &'t FileReport,
    text_of: &TextOf<'t>,
    out: &mut impl WriteColor,
) -> std::io::Result<()> {
    if file.diagnostics.is_empty() {
        return Ok(());
    }
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<&str, (usize, &str)> = HashMap::new();
    let own: &str = &file.text;
    ids.insert(&file.path, (files.add(file.path.to_string(), own), own));
    for r in file.diagnostics.iter().flat_map(|d| &d.related) {
        if !ids.contains_key(&*r.path) {
            if let Some(text) = text_of(&r.path) {
                ids.insert(&r.path, (files.add(r.path.to_string(), text), text));
            }
        }
    }
    let config = Config::default();
    let mut indexes: HashMap<&str, LineIndex> = HashMap::new();
    for d in &file.diagnostics {
        let mut labels = Vec::new();
        let mut notes = Vec::new();
        let (file_id, _) = ids[&*file.path];
        let primary = (&file.path, own, &d.span, file_id, None);
        let related = d.related.iter().filter_map(|r| {
            let (rid, text) = *ids.get(&*r.path)?;
            Some((&r.path, text, &r.span, rid, Some(&r.message)))
        });
        for (path, text, span, id, message) in std::iter::once(primary).chain(related) {
            let index = indexes.entry(path).or_insert_with(|| LineIndex::new(text));
            if !fits_snippet(text, index, span) {
                notes.push(long_line_note(path, text, index, span, message));
                continue;
            }
            labels.push(match message {
                None => Label::primary(id, span.clone()),
                Some(m) => Label::secondary(id, span.clone()).with_message(m.clone()),
            });
        }
        notes.extend(match d.suggestions.as_slice() {
            [] => Vec::new(),
            [only] if only.is_empty() => vec!["suggestion: remove it".to_string()],
            [only] => vec![format!("suggestion: {only}")],
            many => vec![format!("suggestions: {}", many.join(" | "))],
        });
        if let Some(link) = &d.link {
            notes.push(format!("see {link}"));
        }
        let diag = CsDiagnostic::new(severity(d.severity))
            .with_message(d.message.clone())
            .with_code(d.rule.to_string())
            .with_labels(labels)
            .with_notes(notes);
        // A span outside its file would be a bug; never let it stop the report. A failed write
        // does.
        if let Err(codespan_reporting::files::Error::Io(e)) =
            term::emit_to_write_style(out, &config, &files, &diag)
        {
            return Err(e);
        }
    }
    Ok(())
}

/// Per file that had customer questions: "reply.txt: 2 of 3 questions answered", then each
/// open question with where it is in the customer's message.
pub fn questions_summary(report: &Report) -> String {
    let text_of = |path: &str| report.text_of(path).map(|t| &**t);
    let mut out = String::new();
    for f in &report.files {
        match &f.human {
            Some(part) => out.push_str(&part.questions),
            None => out.push_str(&file_questions(f, &text_of)),
        }
    }
    out
}

/// [`questions_summary`] of one file.
fn file_questions<'t>(file: &'t FileReport, text_of: &TextOf<'t>) -> String {
    let mut out = String::new();
    if file.questions.is_empty() {
        return out;
    }
    let not_judged = file
        .questions
        .iter()
        .filter(|q| q.not_judged.is_some())
        .count();
    let answered = file.questions.iter().filter(|q| q.addressed).count() - not_judged;
    let judged = file.questions.len() - not_judged;
    out.push_str(&format!(
        "{}: {answered} of {} answered{}\n",
        file.path,
        plural(judged, "question"),
        if not_judged > 0 {
            format!(", {not_judged} not judged")
        } else {
            String::new()
        }
    ));
    let one_line = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    for q in &file.questions {
        let text = if q.path == file.path && !file.text.is_empty() {
            Some(&*file.text)
        } else {
            text_of(&q.path)
        };
        let place = text
            .map(|text| {
                let at = crate::diagnostic::LineIndex::new(text).line_col(text, q.span.start);
                format!("{}:{}:{}", q.path, at.line, at.column)
            })
            .unwrap_or_else(|| q.path.to_string());
        let asked = one_line(&q.text);
        // The evidence: the sentence that answers, or the one that came closest.
        let reply_sentence = |span: &Range<usize>| {
            let text = &file.text;
            let line = crate::diagnostic::LineIndex::new(text)
                .line_col(text, span.start)
                .line;
            let mut said = text.get(span.clone()).map(one_line).unwrap_or_default();
            if said.chars().count() > 100 {
                said = said.chars().take(99).chain(['…']).collect();
            }
            (line, said)
        };
        if q.not_judged == Some(NotJudged::TooMany) {
            continue;
        }
        if let Some(why) = q.not_judged {
            out.push_str(&format!(
                "  not judged ({}): \"{asked}\" ({place})\n",
                why.as_str()
            ));
            continue;
        }
        match (&q.answer, &q.nearest) {
            (Some(answer), _) if !file.text.is_empty() => {
                let (line, said) = reply_sentence(answer);
                out.push_str(&format!(
                    "  answered: \"{asked}\" ({place}) by line {line}: \"{said}\"\n"
                ));
            }
            (None, Some(nearest)) if !file.text.is_empty() => {
                let (line, said) = reply_sentence(nearest);
                out.push_str(&format!(
                    "  open: \"{asked}\" ({place}); closest, line {line}: \"{said}\"\n"
                ));
            }
            (None, _) => out.push_str(&format!("  open: \"{asked}\" ({place})\n")),
            _ => {}
        }
    }
    let too_many = file
        .questions
        .iter()
        .filter(|q| q.not_judged == Some(NotJudged::TooMany))
        .count();
    if too_many > 0 {
        out.push_str(&format!(
            "  not judged: {} past the first {} of one message\n",
            plural(too_many, "more question"),
            crate::questions::MAX_JUDGED
        ));
    }
    out
}

/// Lines longer than this are not quoted: a one-line file of many megabytes with many findings
/// would otherwise be printed whole once per finding.
const MAX_SNIPPET_LINE: usize = 1000;

/// Spans over more lines than this are not quoted: the snippet shows only their first and last
/// lines anyway, but drawing it kept something for every line in between (a finding on a whole
/// file of a hundred thousand lines held more memory than the file).
const MAX_SNIPPET_LINES: usize = 1000;

/// Whether the lines a span starts and ends on are short enough to quote, and few enough.
fn fits_snippet(text: &str, index: &LineIndex, span: &Range<usize>) -> bool {
    let line_len = |line: usize| {
        let start = index.line_start(line).unwrap_or(0);
        let end = index.line_start(line + 1).unwrap_or(text.len());
        end.saturating_sub(start)
    };
    let first = index.line_col(text, span.start).line;
    let last = index.line_col(text, span.end).line;
    line_len(first) <= MAX_SNIPPET_LINE
        && line_len(last) <= MAX_SNIPPET_LINE
        && last.saturating_sub(first) <= MAX_SNIPPET_LINES
}

/// Where a span on a very long line (or over very many lines) is, with the start of its text,
/// in place of a snippet.
fn long_line_note(
    path: &str,
    text: &str,
    index: &LineIndex,
    span: &Range<usize>,
    message: Option<&String>,
) -> String {
    let at = index.line_col(text, span.start);
    let last = index.line_col(text, span.end).line;
    let many_lines = last.saturating_sub(at.line) > MAX_SNIPPET_LINES;
    let start = span.start.min(text.len());
    let mut end = span.end.clamp(start, text.len()).min(start + 80);
    if many_lines {
        // Only the start of its first line.
        let first_line = text.get(start..end).and_then(|t| t.find(['\r', '\n']));
        end = first_line.map_or(end, |n| start + n);
    }
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let shown = text.get(start..end).unwrap_or("");
    let more = if end < span.end { "…" } else { "" };
    let what = message.map_or(String::new(), |m| format!(" ({m})"));
    let why = if many_lines {
        format!("lines {} to {last}, too many to quote", at.line)
    } else {
        "line too long to quote".to_string()
    };
    format!(
        "at {path}:{}:{}{what}: `{shown}{more}` ({why})",
        at.line, at.column
    )
}

fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("{n} {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// "3 findings in 2 files (1 error, 2 warnings, 0 suggestions)".
pub fn summary_line(report: &Report) -> String {
    let s = report.summary();
    let total = s.errors + s.warnings + s.suggestions;
    if s.files == 0 {
        // "No findings" would read as a clean bill when every path failed to open.
        return "No files were linted.\n".to_string();
    }
    if total == 0 {
        return format!("No findings in {}.\n", plural(s.files, "file"));
    }
    format!(
        "{} in {} ({}, {}, {})\n",
        plural(total, "finding"),
        plural(s.files, "file"),
        plural(s.errors, "error"),
        plural(s.warnings, "warning"),
        plural(s.suggestions, "suggestion"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn report() -> Report {
        let rules = crate::rules::RuleSet::builtin().expect("built-in pack");
        let text = "We apologize for any inconvenience.\n\nPlease do not hesitate to contact us.\n";
        let doc =
            crate::document::Document::parse(text.to_string(), crate::document::Format::Markdown);
        let path: Arc<str> = Arc::from("reply.md");
        let found = crate::check::check_document(&rules, &path, &doc, &[]);
        assert!(!found.diagnostics.is_empty());
        Report {
            files: vec![FileReport {
                path,
                text: Arc::from(text),
                diagnostics: found.diagnostics,
                questions: found.questions,
                positions: None,
                human: None,
            }],
            rules: Vec::new(),
            related_sources: Vec::new(),
        }
    }

    /// A finding over more lines than a snippet shows is placed by a note with its first and
    /// last line; one over a few lines still gets its snippet.
    #[test]
    fn a_span_over_very_many_lines_is_a_note_not_a_snippet() {
        let line = "We apologize for any inconvenience.\n";
        let many = line.repeat(MAX_SNIPPET_LINES + 5);
        for (text, quoted) in [(many.as_str(), false), ("One.\nTwo.\nThree.\n", true)] {
            let path: Arc<str> = Arc::from("long.md");
            let d = crate::diagnostic::Diagnostic::new(
                Arc::from("T.Whole"),
                Severity::Warning,
                "the whole file",
                0..text.len() - 1,
            );
            let file = FileReport {
                path,
                text: Arc::from(text),
                diagnostics: vec![d],
                questions: Vec::new(),
                positions: None,
                human: None,
            };
            let out = render_diagnostics(&file, &|_| None, false);
            let last = text.lines().count();
            if quoted {
                assert!(out.contains("1 │ ╭ One."), "{out}");
                assert!(!out.contains("too many to quote"), "{out}");
            } else {
                assert!(out.contains("at long.md:1:1: `We apologize"), "{out}");
                assert!(
                    out.contains(&format!("…` (lines 1 to {last}, too many to quote)")),
                    "{out}"
                );
                assert!(out.len() < 1000, "{out}");
            }
        }
    }

    #[test]
    fn writing_gives_what_rendering_gives() {
        let report = report();
        for color in [false, true] {
            let mut written = Vec::new();
            write(&report, color, true, &mut written).unwrap();
            assert_eq!(String::from_utf8(written).unwrap(), render(&report, color));
            let mut quiet = Vec::new();
            write(&report, color, false, &mut quiet).unwrap();
            let full = render(&report, color);
            let summary = summary_line(&report);
            assert!(!summary.is_empty());
            assert_eq!(
                String::from_utf8(quiet).unwrap(),
                full[..full.len() - summary.len()]
            );
        }
    }
}
