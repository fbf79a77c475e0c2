//! `--select` / `--ignore` and the `select:` / `ignore-rules:` keys of `.candor.yaml`: which
//! rules run, by rule id (`Candor.CannedFiller`) or pack (`Candor`).
//!
//! What it does: with a selection, only the named rules and packs run; ignored ones never do
//! (an ignore wins over a select). An id that names no loaded rule or pack is an error, so a
//! typo does not quietly turn a rule off or leave it on.
//! Why it matters: a team trying Candor turns on one pack or one rule at a time, at the command
//! line, as ruff users do with `--select` and `--ignore`.
//! Example: `candor check --select Candor --ignore Candor.Length reply.md`.

use crate::rules::RuleSet;

/// Rule ids and packs to run (`select`, `None`: all) and never to run (`ignore`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
}

impl Selection {
    /// From repeatable, comma-separated command-line values.
    pub fn from_args(select: &[String], ignore: &[String]) -> Selection {
        let split = |values: &[String]| -> Vec<String> {
            values
                .iter()
                .flat_map(|v| v.split(','))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        };
        Selection {
            select: (!select.is_empty()).then(|| split(select)),
            ignore: split(ignore),
        }
    }

    /// `self` (the command line) over `file` (a configuration): a select here replaces the
    /// file's; ignores add up.
    pub fn over(&self, file: &Selection) -> Selection {
        Selection {
            select: self.select.clone().or_else(|| file.select.clone()),
            ignore: file.ignore.iter().chain(&self.ignore).cloned().collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.select.is_none() && self.ignore.is_empty()
    }

    /// Whether the rule `id` runs.
    pub fn keeps(&self, id: &str) -> bool {
        self.selects(id) && !self.ignores(id)
    }

    /// Whether `select` names the rule `id` (or there is no `select`).
    pub fn selects(&self, id: &str) -> bool {
        self.select
            .as_deref()
            .is_none_or(|list| list.iter().any(|p| names(p, id)))
    }

    /// Whether `ignore` names the rule `id`.
    pub fn ignores(&self, id: &str) -> bool {
        self.ignore.iter().any(|p| names(p, id))
    }

    /// Every entry (selected first, then ignored) that names no rule or pack of `rules`.
    pub fn unknown<'a>(&'a self, rules: &RuleSet) -> Vec<&'a str> {
        let ids: Vec<&str> = rules
            .iter()
            .map(|r| &*r.meta().id)
            .chain(rules.skipped.iter().map(|s| s.id.as_str()))
            .chain(crate::suppress::COMMENT_CHECKS.iter().copied())
            .collect();
        self.select
            .iter()
            .flatten()
            .chain(&self.ignore)
            .filter(|p| !ids.iter().any(|id| names(p, id)))
            .map(String::as_str)
            .collect()
    }

    /// The ids of `rules` that do not run.
    pub fn dropped(&self, rules: &RuleSet) -> std::collections::HashSet<String> {
        rules
            .iter()
            .map(|r| r.meta().id.to_string())
            .filter(|id| !self.keeps(id))
            .collect()
    }
}

/// Whether `pattern` (a rule id or a pack) names the rule `id`.
fn names(pattern: &str, id: &str) -> bool {
    id == pattern
        || id
            .strip_prefix(pattern)
            .is_some_and(|rest| rest.starts_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_and_ids_are_named_whole() {
        let s = Selection::from_args(
            &["Candor, House.Spelling".into()],
            &["Candor.Length".into()],
        );
        assert!(s.keeps("Candor.CannedFiller"));
        assert!(s.keeps("House.Spelling"));
        assert!(!s.keeps("Candor.Length"));
        assert!(!s.keeps("House.Other"));
        // A pack name is not a prefix of another pack's name.
        let only = Selection::from_args(&["Cand".into()], &[]);
        assert!(!only.keeps("Candor.CannedFiller"));
        let cli = Selection::from_args(&[], &["Candor.SelfFocus".into()]);
        let merged = cli.over(&s);
        assert!(!merged.keeps("Candor.SelfFocus") && !merged.keeps("Candor.Length"));
        assert!(merged.keeps("Candor.CannedFiller"));
    }
}
