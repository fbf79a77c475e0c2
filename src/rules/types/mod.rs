//! One file per rule type. [`compile`] turns a parsed rule file into a [`Rule`].

pub mod existence;
pub mod ignored_question;
pub mod occurrence;
pub mod repetition;
pub mod substitution;

use super::{Rule, RuleSource};
use crate::error::ConfigError;

/// Vale rule types Candor does not implement: packs that use them still load, without them.
pub const UNSUPPORTED_VALE_TYPES: &[&str] = &[
    "capitalization",
    "conditional",
    "consistency",
    "spelling",
    "metric",
    "readability",
    "sequence",
    "script",
];

/// Names of the types [`compile`] accepts.
pub const SUPPORTED_TYPES: &[&str] = &[
    "existence",
    "substitution",
    "occurrence",
    "repetition",
    "questions",
];

/// Compiles a rule of a supported type. `Ok(None)` means a Vale type Candor skips.
pub fn compile(src: &RuleSource<'_>) -> Result<Option<Box<dyn Rule>>, ConfigError> {
    Ok(Some(match src.spec.extends.as_str() {
        "existence" => Box::new(existence::Existence::compile(src)?),
        "substitution" => Box::new(substitution::Substitution::compile(src)?),
        "occurrence" => Box::new(occurrence::Occurrence::compile(src)?),
        "repetition" => Box::new(repetition::Repetition::compile(src)?),
        "questions" => Box::new(ignored_question::IgnoredQuestion::compile(src)?),
        other if UNSUPPORTED_VALE_TYPES.contains(&other) => return Ok(None),
        other => {
            return Err(src.error_at(
                "extends",
                format!(
                    "`extends: {other}` is not a rule type (Candor supports {})",
                    SUPPORTED_TYPES.join(", ")
                ),
            ))
        }
    }))
}

/// Builds Vale's combined token pattern: case flag, word boundaries unless `nonword`.
pub fn token_pattern(tokens: &[String], ignorecase: bool, nonword: bool) -> String {
    let body = tokens.join("|");
    let flags = if ignorecase { "(?i)" } else { "" };
    if nonword {
        format!("{flags}(?:{body})")
    } else {
        format!(r"{flags}\b(?:{body})\b")
    }
}
