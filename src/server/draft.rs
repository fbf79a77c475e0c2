//! A draft checked in memory: the text an editor or the draft page holds, the customer's
//! message it answers, and the configuration that applies where the draft lives.
//!
//! Where the customer's message comes from, for a reply:
//! - quoted `>` lines in the reply itself (the library reads them as the customer's words), or
//! - a sibling file named by the `inbound:` key of the reply's front matter (Markdown):
//!   ```markdown
//!   ---
//!   inbound: customer.txt
//!   ---
//!   Thanks for writing in ...
//!   ```
//!   The path is relative to the reply's folder.
//!
//! The page passes the customer's message directly.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{Findings, Inbound};
use crate::config::{ConfigChoice, Effective, Resolved, Resolver};
use crate::diagnostic::Severity;
use crate::document::{Document, Format};
use crate::error::ConfigError;
use crate::rules::RuleMeta;

/// The configuration lookup of a server, kept between checks (rule sets compile once per
/// configuration) and started afresh by [`Drafts::reload`] when a configuration may have changed.
pub struct Drafts {
    choice: ConfigChoice,
    resolver: Resolver,
}

/// What checking a draft gave.
pub enum Checked {
    /// The configuration's `ignore:` matches the draft: nothing to report.
    Ignored,
    Linted {
        findings: Findings,
        /// The rules that applied, for their descriptions.
        rules: Arc<Effective>,
    },
}

impl Drafts {
    pub fn new(choice: ConfigChoice) -> Result<Drafts, ConfigError> {
        let resolver = Resolver::new(&[], choice.clone())?;
        Ok(Drafts { choice, resolver })
    }

    /// Forgets every configuration read so far: the next check reads them again.
    pub fn reload(&mut self) -> Result<(), ConfigError> {
        self.resolver = Resolver::new(&[], self.choice.clone())?;
        Ok(())
    }

    /// Checks `doc` as if it were the file at `path`, with the configuration found for it.
    pub fn check(
        &mut self,
        path: &Path,
        shown: &Arc<str>,
        doc: &Document,
        inbound: &[Inbound],
    ) -> Result<Checked, ConfigError> {
        match self.resolver.resolve(path)? {
            Resolved::Ignored => Ok(Checked::Ignored),
            Resolved::Lint(rules) => {
                let mut findings =
                    crate::run::lint_document(&rules, shown, doc, inbound, Severity::Suggestion);
                // A click applies what `--fix` would: safe fixes, never a stand-in.
                for d in &mut findings.diagnostics {
                    if d.fix
                        .as_ref()
                        .is_some_and(|f| !crate::fix::allowed(f, false))
                    {
                        d.fix = None;
                    }
                }
                Ok(Checked::Linted { findings, rules })
            }
        }
    }
}

/// The rule `id` of `rules`, for its description and link.
pub fn rule_meta<'a>(rules: &'a Effective, id: &str) -> Option<&'a RuleMeta> {
    rules.rules.get(id).map(|r| r.meta())
}

/// The format a draft at `path` is read as: by its extension, else by the editor's language
/// (`markdown`), else plain text.
pub fn format_of(path: &Path, language: Option<&str>) -> Format {
    Format::for_path(path).unwrap_or(match language {
        Some("markdown") => Format::Markdown,
        _ => Format::Text,
    })
}

/// The value of the `inbound:` key in a Markdown file's YAML front matter, with the byte range
/// of that line (to point at when the file cannot be read).
pub fn front_matter_inbound(text: &str) -> Option<(String, Range<usize>)> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skipped = text.len() - body.len();
    let mut lines = body.split_inclusive('\n');
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut at = skipped + 4;
    for line in lines {
        let start = at;
        at += line.len();
        let content = line.trim_end();
        if content == "---" || content == "..." {
            return None;
        }
        if let Some(value) = content.strip_prefix("inbound:") {
            let value = value.trim().trim_matches(['"', '\'']);
            if value.is_empty() {
                return None;
            }
            return Some((value.to_string(), start..start + content.len()));
        }
    }
    None
}

/// Where a front matter's `inbound:` value points, for a reply at `reply`.
pub fn inbound_path(reply: &Path, named: &str) -> PathBuf {
    reply.parent().unwrap_or(Path::new(".")).join(named)
}

/// The customer's message as an [`Inbound`], shown as `shown`, read as its extension says.
pub fn inbound(shown: &str, text: String) -> Inbound {
    let format = Format::for_path(Path::new(shown)).unwrap_or(Format::Text);
    Inbound {
        path: Arc::from(shown),
        doc: Document::parse(text, format),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_names_the_inbound_file() {
        let text = "---\ntitle: x\ninbound: \"customer.txt\"\n---\nHello.\n";
        let (name, span) = front_matter_inbound(text).unwrap();
        assert_eq!(name, "customer.txt");
        assert_eq!(&text[span], "inbound: \"customer.txt\"");
    }

    #[test]
    fn no_front_matter_or_key_names_nothing() {
        assert_eq!(front_matter_inbound("inbound: a.txt\n"), None);
        assert_eq!(
            front_matter_inbound("---\ntitle: x\n---\ninbound: a.txt\n"),
            None
        );
    }
}
