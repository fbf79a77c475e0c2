//! `--statistics`: how many findings each rule made across a run, most first (as
//! `ruff --statistics`), for a team deciding which rules to turn on.
//!
//! Example (human):
//! ```text
//!     12  Candor.CannedFiller     warning
//!      3  Candor.GenericGreeting  warning  (3 fixable)
//! ```

use std::collections::BTreeMap;

use serde::Serialize;

use super::Report;

/// One rule's count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleCount {
    pub rule: String,
    pub count: usize,
    /// The highest level among its findings.
    pub level: &'static str,
    /// Findings with a safe fix (`--fix` applies them).
    pub fixable: usize,
}

/// The counts of `report`, most findings first, then by rule id.
pub fn counts(report: &Report) -> Vec<RuleCount> {
    let mut by_rule: BTreeMap<&str, (usize, crate::diagnostic::Severity, usize)> = BTreeMap::new();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        let e = by_rule.entry(&d.rule).or_insert((0, d.severity, 0));
        e.0 += 1;
        e.1 = e.1.max(d.severity);
        if d.fix
            .as_ref()
            .is_some_and(|f| crate::fix::allowed(f, false))
        {
            e.2 += 1;
        }
    }
    let mut out: Vec<RuleCount> = by_rule
        .into_iter()
        .map(|(rule, (count, level, fixable))| RuleCount {
            rule: rule.to_string(),
            count,
            level: level.as_str(),
            fixable,
        })
        .collect();
    out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.rule.cmp(&b.rule)));
    out
}

/// The counts as aligned lines of text.
pub fn render(counts: &[RuleCount]) -> String {
    let width = counts.iter().map(|c| c.rule.len()).max().unwrap_or(0);
    let mut out = String::new();
    for c in counts {
        let fixable = if c.fixable > 0 {
            format!("  ({} fixable)", c.fixable)
        } else {
            String::new()
        };
        out.push_str(format!("{:6}  {:width$}  {}{fixable}", c.count, c.rule, c.level).trim_end());
        out.push('\n');
    }
    out
}

/// The counts as a JSON array.
pub fn render_json(counts: &[RuleCount]) -> String {
    serde_json::to_string_pretty(counts).unwrap_or_default() + "\n"
}
