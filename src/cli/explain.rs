//! `candor explain RULE`: what a rule catches, why it matters, its examples and options, and
//! the level it runs at here (as the configuration sets it), like `ruff rule X`.

use crate::config::Settings;
use crate::rules::load::StoredRule;
use crate::rules::Rule;

/// Each rule type's source, for the "Why it matters:" paragraph of its doc comment (the one
/// text behind the code's documentation and this command).
const TYPE_DOCS: &[(&str, &str)] = &[
    ("existence", include_str!("../rules/types/existence.rs")),
    (
        "substitution",
        include_str!("../rules/types/substitution.rs"),
    ),
    ("occurrence", include_str!("../rules/types/occurrence.rs")),
    ("repetition", include_str!("../rules/types/repetition.rs")),
    (
        "questions",
        include_str!("../rules/types/ignored_question.rs"),
    ),
    ("filler", include_str!("../rules/types/filler.rs")),
    ("framing", include_str!("../rules/types/framing.rs")),
    ("placeholder", include_str!("../rules/types/placeholder.rs")),
    (
        "buried_answer",
        include_str!("../rules/types/buried_answer.rs"),
    ),
    ("length", include_str!("../rules/types/length.rs")),
    (
        "capitalization",
        include_str!("../rules/types/capitalization.rs"),
    ),
    ("conditional", include_str!("../rules/types/conditional.rs")),
    ("sequence", include_str!("../rules/types/sequence.rs")),
    ("readability", include_str!("../rules/types/readability.rs")),
    ("consistency", include_str!("../rules/types/consistency.rs")),
    ("metric", include_str!("../rules/types/metric.rs")),
    ("spelling", include_str!("../rules/types/spelling.rs")),
];

/// The "Why it matters:" paragraph of the doc comment of the rule type `extends`.
pub fn why_it_matters(extends: &str) -> Option<String> {
    let (_, source) = TYPE_DOCS.iter().find(|(t, _)| *t == extends)?;
    let mut lines = source
        .lines()
        .map_while(|l| l.strip_prefix("//!"))
        .map(str::trim);
    let first = lines.find_map(|l| l.strip_prefix("Why it matters:"))?;
    let mut text = first.trim().to_string();
    for l in lines {
        // The paragraph ends at a blank line or the next labelled part.
        if l.is_empty() || l.starts_with("Example") || l.ends_with(':') && !l.contains(' ') {
            break;
        }
        text.push(' ');
        text.push_str(l);
    }
    // "the customer reads ..." continues "Why it matters:" in the source; here it starts a line.
    let mut chars = text.chars();
    Some(match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => text,
    })
}

/// Wraps `text` at `width` columns, each line indented by `indent`.
fn wrap(text: &str, indent: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && indent.len() + line.len() + 1 + word.len() > width {
            out.push_str(indent);
            out.push_str(&line);
            out.push('\n');
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push_str(indent);
        out.push_str(&line);
        out.push('\n');
    }
    out
}

/// A rule option's value in one line: scalars as written, long lists and maps by size.
fn option_value(v: &serde_norway::Value) -> String {
    use serde_norway::Value;
    match v {
        Value::Sequence(items) if items.len() > 8 => format!("[{} entries]", items.len()),
        Value::Mapping(m) if m.len() > 8 => format!("{{{} entries}}", m.len()),
        Value::Sequence(items) if items.iter().any(|i| !is_scalar(i)) => {
            format!("[{} entries]", items.len())
        }
        _ => serde_norway::to_string(v)
            .map(|s| flow(s.trim()))
            .unwrap_or_default(),
    }
}

fn is_scalar(v: &serde_norway::Value) -> bool {
    !matches!(
        v,
        serde_norway::Value::Sequence(_) | serde_norway::Value::Mapping(_)
    )
}

/// A small block-style YAML value on one line (`- a\n- b` as `[a, b]`).
fn flow(yaml: &str) -> String {
    if !yaml.contains('\n') {
        return yaml.to_string();
    }
    let items: Vec<&str> = yaml
        .lines()
        .map(|l| l.trim().trim_start_matches("- "))
        .collect();
    if yaml.starts_with("- ") {
        format!("[{}]", items.join(", "))
    } else {
        format!("{{{}}}", items.join(", "))
    }
}

/// The text `candor explain` prints for `rule`, with `settings` for the path it was asked about.
pub fn render(rule: &dyn Rule, stored: Option<&StoredRule>, settings: &Settings) -> String {
    let m = rule.meta();
    let mut out = String::new();
    let configured = settings.rules.iter().find(|s| *s.id == *m.id);
    out.push_str(&format!("{}  ({} rule)\n\n", m.id, m.extends));
    match configured {
        Some(s) => out.push_str(&format!("Level: {} (from {})\n", s.level, s.from)),
        None => out.push_str(&format!("Level: {}\n", m.level)),
    }
    if let Some(config) = &settings.config {
        out.push_str(&format!("Configuration: {config}\n"));
    }
    if let Some(link) = &m.link {
        out.push_str(&format!("More: {link}\n"));
    }
    out.push_str("\nWhat it catches:\n");
    out.push_str(&wrap(&m.description, "  ", 96));
    if let Some(why) = why_it_matters(&m.extends) {
        out.push_str("\nWhy it matters:\n");
        out.push_str(&wrap(&why, "  ", 96));
    }
    out.push_str(&format!("\nMessage: {}\n", m.message));
    if !m.examples.bad.is_empty() {
        out.push_str("\nFlagged (bad):\n");
        for e in &m.examples.bad {
            out.push_str(&format!("  - {e}\n"));
        }
    }
    if !m.examples.good.is_empty() {
        out.push_str("\nNot flagged (good):\n");
        for e in &m.examples.good {
            out.push_str(&format!("  - {e}\n"));
        }
    }
    let file_options = stored.and_then(|s| s.spec.options.as_ref());
    if let Some(options) = file_options.filter(|o| !o.is_empty()) {
        out.push_str("\nOptions (rule file; set them under `rules:` in .candor.yaml):\n");
        for (k, v) in options {
            out.push_str(&format!("  {k}: {}\n", option_value(v)));
        }
    }
    if let Some(s) = configured.filter(|s| !s.options.is_empty()) {
        out.push_str("\nOptions set by the configuration:\n");
        for (kv, from) in &s.options {
            out.push_str(&format!("  {kv}  ({from})\n"));
        }
    }
    if let Some(s) = stored {
        out.push_str(&format!("\nRule file: {}\n", s.path));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_supported_type_says_why_it_matters() {
        for t in crate::rules::types::supported_types() {
            let why = why_it_matters(t).unwrap_or_default();
            assert!(why.len() > 20 && !why.contains("//!"), "{t}: {why:?}");
        }
    }
}
