//! The YAML schema of a rule file: Vale's keys plus Candor's own.
//!
//! One struct holds every key any rule type reads, with `deny_unknown_fields`, so a misspelt
//! key is an error that names the key, the file and the line. Each rule type then takes the
//! keys it needs and says which required ones are missing.

use std::collections::BTreeMap;

use serde::Deserialize;

/// A YAML value that may be one item or a list of them (`scope: heading` or `scope: [a, b]`).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub fn to_vec(&self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => vec![s.clone()],
            OneOrMany::Many(v) => v.clone(),
        }
    }
}

/// Vale's `action:` block (what a fix does).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub name: String,
    #[serde(default)]
    pub params: Vec<String>,
}

/// Text that must make a rule fire (`bad`) and text that must not (`good`). The test suite runs
/// every rule's examples, so a rule file carries its own tests.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default)]
    pub bad: Vec<String>,
    #[serde(default)]
    pub good: Vec<String>,
}

/// Every key a rule file may have.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    // --- common (Vale) ---
    pub extends: String,
    #[serde(default)]
    pub message: Option<String>,
    #[serde(default)]
    pub level: Option<String>,
    #[serde(default)]
    pub scope: Option<OneOrMany>,
    #[serde(default)]
    pub link: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub ignorecase: bool,
    #[serde(default)]
    pub nonword: bool,
    #[serde(default)]
    pub action: Option<Action>,
    /// Vale: whether the vocabulary applies. Accepted for compatibility.
    #[serde(default)]
    pub vocab: Option<bool>,
    /// Vale: how many matches to report at most (0 = all).
    #[serde(default)]
    pub limit: Option<usize>,

    // --- existence / substitution / repetition ---
    #[serde(default, deserialize_with = "one_or_many")]
    pub tokens: Option<Vec<String>>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub raw: Option<Vec<String>>,
    #[serde(default, deserialize_with = "one_or_many")]
    pub exceptions: Option<Vec<String>>,
    #[serde(default)]
    pub append: bool,
    #[serde(default)]
    pub swap: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub capitalize: bool,
    #[serde(default)]
    pub alpha: bool,

    // --- occurrence ---
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
    pub max: Option<usize>,
    #[serde(default)]
    pub min: Option<usize>,

    // --- capitalization ---
    /// `$title`, `$sentence`, `$lower`, `$upper`, or a pattern the text must match.
    #[serde(default, rename = "match")]
    pub match_: Option<String>,
    /// Title style (`AP`, `Chicago`); Candor applies one list of small words for both.
    #[serde(default)]
    pub style: Option<String>,
    /// Share of words that must be right (`$title`, `$sentence`), 0 to 1.
    #[serde(default)]
    pub threshold: Option<f64>,
    /// `$sentence`: words after which a capital is fine (`:`).
    #[serde(default)]
    pub indicators: Option<Vec<String>>,
    /// Text to leave off the start before judging.
    #[serde(default)]
    pub prefix: Option<String>,

    // --- consistency ---
    #[serde(default)]
    pub either: Option<BTreeMap<String, String>>,

    // --- conditional ---
    #[serde(default)]
    pub first: Option<String>,
    #[serde(default)]
    pub second: Option<String>,

    // --- metric ---
    #[serde(default)]
    pub formula: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,

    // --- readability ---
    /// The grade level the average of `metrics` must not pass.
    #[serde(default)]
    pub grade: Option<f64>,
    /// Readability tests to average: `Flesch-Kincaid`, `Gunning Fog`, `Coleman-Liau`, `SMOG`,
    /// `Automated Readability`.
    #[serde(default, deserialize_with = "one_or_many")]
    pub metrics: Option<Vec<String>>,

    // --- spelling ---
    /// Leave out Vale's default filters (acronyms, names, words with digits or symbols).
    #[serde(default)]
    pub custom: bool,
    /// Patterns of words not to check.
    #[serde(default, deserialize_with = "one_or_many")]
    pub filters: Option<Vec<String>>,
    /// Files (from the StylesPath) of words to accept, one a line.
    #[serde(default, deserialize_with = "one_or_many")]
    pub ignore: Option<Vec<String>>,
    /// The folder of the `dictionaries`.
    #[serde(default)]
    pub dicpath: Option<String>,
    /// Hunspell dictionaries (`<name>.aff` and `<name>.dic` in `dicpath`).
    #[serde(default, deserialize_with = "one_or_many")]
    pub dictionaries: Option<Vec<String>>,
    /// One Hunspell dictionary by its files (Vale's older keys).
    #[serde(default)]
    pub aff: Option<String>,
    #[serde(default)]
    pub dic: Option<String>,

    // --- Candor ---
    /// Must-fire / must-not-fire examples for the rule's own test.
    #[serde(default)]
    pub examples: Option<Examples>,
    /// Options of Candor's own rule types (thresholds, allowed placeholders, ...); each type
    /// reads and checks the keys it knows.
    #[serde(default)]
    pub options: Option<BTreeMap<String, serde_norway::Value>>,
}

/// A list that may be written as one string (`raw: ^.*$`), as Vale allows.
/// A visitor, not an untagged enum, so a wrong type is named with its line.
fn one_or_many<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    struct Visit;
    impl<'de> serde::de::Visitor<'de> for Visit {
        type Value = Option<Vec<String>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or a list of strings")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(vec![v.to_string()]))
        }
        fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(item) = seq.next_element::<String>()? {
                out.push(item);
            }
            Ok(Some(out))
        }
    }
    d.deserialize_any(Visit)
}

/// Only the `extends:` key, read first to decide how to treat the rest.
#[derive(Debug, Deserialize)]
pub struct Head {
    #[serde(default)]
    pub extends: Option<String>,
}
