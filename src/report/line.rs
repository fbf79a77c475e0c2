//! `--format line`: one finding per line, `path:line:col: severity rule: message`, the shape
//! editors' and CI systems' problem matchers read.

use std::fmt::Write;

use super::Report;
use crate::diagnostic::LineIndex;

pub fn render(report: &Report) -> String {
    let mut out = String::new();
    for file in &report.files {
        let index = LineIndex::new(&file.text);
        for d in &file.diagnostics {
            let at = index.line_col(&file.text, d.span.start);
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
