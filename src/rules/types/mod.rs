//! One file per rule type. [`compile`] turns a parsed rule file into a [`Rule`].

pub mod buried_answer;
pub mod capitalization;
pub mod conditional;
pub mod consistency;
pub mod existence;
pub mod filler;
pub mod framing;
pub mod ignored_question;
pub mod length;
pub mod metric;
pub mod occurrence;
pub mod placeholder;
pub mod readability;
pub mod repetition;
pub mod sequence;
pub mod spelling;
pub mod substitution;

use super::{Rule, RuleSource};
use crate::error::ConfigError;

/// `range` (a sentence of `prose`) without what surrounds the sentence rather than belongs to
/// it: a byte-order mark, an arrow or bullet before it, and quotation marks around it, so a
/// finding about the sentence spans only the sentence (`"Thanks for reaching out!"` spans
/// `Thanks for reaching out!`). A closing quotation mark goes only with an opening one.
pub(crate) fn sentence_proper(
    prose: &str,
    range: std::ops::Range<usize>,
) -> std::ops::Range<usize> {
    const QUOTES: &[char] = &[
        '"', '\u{201c}', '\u{201d}', '\u{201e}', '\'', '\u{2018}', '\u{2019}', '\u{ab}', '\u{bb}',
    ];
    const LEADERS: &[char] = &[
        '\u{feff}', '\u{2192}', '\u{21d2}', '\u{279c}', '\u{2794}', '\u{203a}', '\u{2022}',
    ];
    let Some(text) = prose.get(range.clone()) else {
        return range;
    };
    let body = text.trim_start_matches(|c: char| c.is_whitespace() || LEADERS.contains(&c));
    let unquoted = body.trim_start_matches(QUOTES);
    let quoted = unquoted.len() < body.len();
    let mut inner = unquoted.trim_start();
    if quoted {
        inner = inner.trim_end().trim_end_matches(QUOTES);
    }
    let inner = inner.trim_end();
    if inner.is_empty() {
        return range;
    }
    // `inner` is a slice of `text`: its offset there is the distance between the pointers.
    let start = range.start + (inner.as_ptr() as usize - text.as_ptr() as usize);
    start..start + inner.len()
}

/// Vale rule types Candor does not implement: packs that use them still load, without them
/// (their files are skipped unparsed, with a note, whatever keys they carry).
pub const UNSUPPORTED_VALE_TYPES: &[&str] = &["script"];

/// Why a rule of Vale type `extends` is not run.
pub fn skip_reason(extends: &str) -> String {
    match extends {
        "script" => "`extends: script` runs a Tengo script, which Candor cannot run".to_string(),
        other => format!("`extends: {other}` is a Vale rule type Candor does not run yet"),
    }
}

/// Vale's rule types that Candor runs: their keys are top-level, they read no `options:`.
pub const VALE_TYPES: &[&str] = &[
    "existence",
    "substitution",
    "occurrence",
    "repetition",
    "capitalization",
    "conditional",
    "consistency",
    "metric",
    "spelling",
    "sequence",
    "readability",
];

/// Candor's own rule types.
pub const CANDOR_TYPES: &[&str] = &[
    "questions",
    "filler",
    "framing",
    "placeholder",
    "buried_answer",
    "length",
];

/// Names of the types [`compile`] accepts.
pub fn supported_types() -> impl Iterator<Item = &'static str> {
    VALE_TYPES.iter().chain(CANDOR_TYPES).copied()
}

/// Compiles a rule of a supported type. `Ok(None)` means a Vale type Candor skips.
pub fn compile(src: &RuleSource<'_>) -> Result<Option<Box<dyn Rule>>, ConfigError> {
    Ok(Some(match src.spec.extends.as_str() {
        "existence" => Box::new(existence::Existence::compile(src)?),
        "substitution" => Box::new(substitution::Substitution::compile(src)?),
        "occurrence" => Box::new(occurrence::Occurrence::compile(src)?),
        "repetition" => Box::new(repetition::Repetition::compile(src)?),
        "capitalization" => Box::new(capitalization::Capitalization::compile(src)?),
        "conditional" => Box::new(conditional::Conditional::compile(src)?),
        "consistency" => Box::new(consistency::Consistency::compile(src)?),
        "metric" => Box::new(metric::Metric::compile(src)?),
        "spelling" => Box::new(spelling::Spelling::compile(src)?),
        "sequence" => Box::new(sequence::Sequence::compile(src)?),
        "readability" => Box::new(readability::Readability::compile(src)?),
        "questions" => Box::new(ignored_question::IgnoredQuestion::compile(src)?),
        "filler" => Box::new(filler::Filler::compile(src)?),
        "framing" => Box::new(framing::Framing::compile(src)?),
        "placeholder" => Box::new(placeholder::Placeholder::compile(src)?),
        "buried_answer" => Box::new(buried_answer::BuriedAnswer::compile(src)?),
        "length" => Box::new(length::Length::compile(src)?),
        other if UNSUPPORTED_VALE_TYPES.contains(&other) => return Ok(None),
        other => {
            return Err(src.error_at(
                "extends",
                format!(
                    "`extends: {other}` is not a rule type (Candor supports {})",
                    supported_types().collect::<Vec<_>>().join(", ")
                ),
            ))
        }
    }))
}

pub use crate::engine::literals::token_pattern;

/// Reads a Candor type's `options:` map into `T` (a struct with `deny_unknown_fields`), with an
/// error that names the rule file and the line of the offending key.
pub fn parse_options<T: serde::de::DeserializeOwned + Default>(
    src: &RuleSource<'_>,
) -> Result<T, ConfigError> {
    let Some(map) = &src.spec.options else {
        return Ok(T::default());
    };
    let value = serde_norway::to_value(map)
        .map_err(|e| src.error_at("options:", format!("`options:` is not valid: {e}")))?;
    serde_norway::from_value(value).map_err(|e| {
        let msg = e.to_string();
        // serde names the key between backticks ("unknown field `foo`"); point at its line.
        let key = msg.split('`').nth(1).unwrap_or("options:").to_string();
        let needle = if src.text.contains(&format!("{key}:")) {
            format!("{key}:")
        } else {
            "options:".to_string()
        };
        src.error_at(
            &needle,
            format!("`options:` of `extends: {}`: {msg}", src.spec.extends),
        )
    })
}
