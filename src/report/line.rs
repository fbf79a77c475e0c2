//! `--format line`: one finding per line, `path:line:col: severity rule: message`, the shape
//! editors' and CI systems' problem matchers read.

use std::fmt::Write;

use super::Report;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for file in &report.files {
        let lines = file.lines();
        for d in &file.diagnostics {
            let at = lines.line_col(d.span.start);
            let _ = writeln!(
                out,
                "{}:{}:{}: {} {}: {}",
                file.path,
                at.line,
                at.column,
                d.severity,
                d.rule,
                d.message.replace('\n', " ")
            );
        }
    }
    out
}
