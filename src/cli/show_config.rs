//! `candor config [PATH]`: the settings that apply to a path and where each came from, like
//! `vale ls-config` or `ruff --show-settings`.

use crate::config::Settings;

/// The text `candor config` prints for `path`.
pub fn render(path: &str, s: &Settings) -> String {
    let mut out = format!("Settings for {path}\n");
    out.push_str(&format!(
        "  configuration: {}\n",
        s.config.as_deref().unwrap_or("none (built-in defaults)")
    ));
    if let Some(by) = &s.ignored_by {
        out.push_str(&format!(
            "  linted: no, the config's `ignore:` matches it ({by})\n"
        ));
    }
    out.push_str("  packs: Candor (built in)");
    for (dir, from) in &s.packs {
        out.push_str(&format!(", {dir} ({from})"));
    }
    out.push('\n');
    out.push_str("\nRules:\n");
    let width = s.rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in &s.rules {
        out.push_str(&format!("  {:width$}  {:10}  {}\n", r.id, r.level, r.from));
        for (kv, from) in &r.options {
            out.push_str(&format!("  {:width$}  option {kv}  ({from})\n", ""));
        }
    }
    if !s.vocabulary.is_empty() {
        out.push_str("\nVocabulary (accepted terms):\n");
        for (term, from) in &s.vocabulary {
            out.push_str(&format!("  {term}  ({from})\n"));
        }
    }
    out
}
