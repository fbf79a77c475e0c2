//! `--format line`: one finding per line, `path:line:col: severity rule: message`, the shape
//! editors' and CI systems' problem matchers read.

use std::io::Write;

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("writing to memory");
    String::from_utf8(out).expect("the report is UTF-8")
}

/// Writes [`render`]'s text to `out` a line at a time.
pub fn write(report: &Report, mut out: impl Write) -> std::io::Result<()> {
    for file in &report.files {
        let lines = file.lines();
        for d in &file.diagnostics {
            let at = lines.line_col(d.span.start);
            writeln!(
                out,
                "{}:{}:{}: {} {}: {}",
                file.path,
                at.line,
                at.column,
                d.severity,
                d.rule,
                d.message.replace('\n', " ")
            )?;
        }
    }
    Ok(())
}
