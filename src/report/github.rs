//! `--format github`: GitHub Actions workflow commands, one per finding, which GitHub shows as
//! annotations on the pull request's changed lines:
//!
//! ```text
//! ::warning file=replies/refund.md,line=3,col=1,endLine=3,endColumn=38,title=Candor.CannedFiller::'We apologize…' is canned filler…
//! ```
//!
//! Errors become `::error`, warnings `::warning`, suggestions `::notice`. GitHub reads `%`, CR
//! and LF in the message, and also `:` and `,` in property values, as syntax, so they are
//! percent-escaped the way the Actions toolkit does.

use std::fmt::Write;

use super::Report;
use crate::diagnostic::Severity;

/// The workflow command for a severity.
pub fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "notice",
    }
}

/// Escapes a command's message (the part after `::`).
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=`, `title=`): as data, plus `:` and `,`.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// Writes [`render`]'s text to `out` a command at a time.
pub fn write(report: &Report, mut out: impl std::io::Write) -> std::io::Result<()> {
    for file in &report.files {
        let lines = file.lines();
        let path = escape_property(&file.path);
        for d in &file.diagnostics {
            let p = lines.position(&d.span);
            let mut message = d.message.to_string();
            match d.suggestions.as_slice() {
                [] => {}
                [only] if only.is_empty() => message.push_str("\nSuggestion: remove it."),
                many => {
                    let _ = write!(message, "\nSuggestion: {}", many.join(" | "));
                }
            }
            if let Some(link) = &d.link {
                let _ = write!(message, "\nSee {link}");
            }
            writeln!(
                out,
                "::{} file={path},line={},col={},endLine={},endColumn={},title={}::{}",
                command(d.severity),
                p.line,
                p.column,
                p.end_line,
                p.end_column,
                escape_property(&d.rule),
                escape_data(&message),
            )?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_github_reads_as_syntax() {
        assert_eq!(
            escape_data("50% off\r\nnow: a, b"),
            "50%25 off%0D%0Anow: a, b"
        );
        assert_eq!(escape_property("dir:a,b/100%.md"), "dir%3Aa%2Cb/100%25.md");
        // `%` first, so the escapes themselves are not escaped again.
        assert_eq!(escape_property("%3A"), "%253A");
    }
}
