//! `.candor.yaml`: per-project settings, found by walking up from each linted file (the nearest
//! wins) or named with `--config`.
//!
//! What it sets: extra rule packs, each rule's level (or `off`), rule options merged into the
//! rule file's `options:` map, the same per glob (`paths:`), files to ignore, and accepted terms
//! (a finding whose matched text is an accepted term is dropped, as with Vale's vocabularies).
//! Why it matters: a support-ops team tunes Candor once, in the repository, and every agent,
//! pre-commit hook and CI job lints the same way.
//!
//! ```yaml
//! packs: [styles/Acme]              # folders of rule files, relative to this file
//! rules:
//!   Candor.CannedFiller: error      # off, suggestion, warning or error
//!   Candor.Placeholder:
//!     options: {allow: true}
//! ignore: ["drafts/**"]
//! vocabulary: [Zendesk, "(?i)on-call"]
//! paths:
//!   "macros/**":
//!     rules:
//!       Candor.Placeholder: off
//! ```
//!
//! Rule sets are compiled once per distinct effective configuration (config file plus the
//! `paths:` sections that match), so thousands of files share a handful of compiled sets.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{GlobBuilder, GlobMatcher};
use regex::Regex;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::error::{find_line, ConfigError};
use crate::rules::{RuleSet, RuleSpec};
use crate::selection::Selection;

mod vale_apply;
pub mod vale_ini;
pub use vale_ini::ValeIni;

/// File names looked for in each folder, first match wins.
pub const FILE_NAMES: &[&str] = &[".candor.yaml", ".candor.yml"];

/// The starter file `candor init` writes. Every setting is shown, commented out.
pub const STARTER: &str = r#"# Candor configuration. Candor uses the nearest .candor.yaml above each file it lints
# (or the file named with `candor check --config PATH`). Uncomment what you need.

# Extra rule packs: folders of Vale-style rule files, relative to this file. A rule's id is
# Pack.FileStem; a pack rule with the id of a built-in rule replaces it.
packs:
  # - styles/Acme

# Per rule: `off`, a level (suggestion, warning, error), or a map with `level` and `options`
# (options are merged into the rule file's `options:`). `candor rules` lists the ids.
rules:
  # Candor.CannedFiller: error
  # Candor.SelfFocus: off
  # Candor.Placeholder:
  #   level: warning
  #   options: {allow: true}

# Files never linted: globs relative to this file (`*.txt` matches at any depth).
ignore:
  # - "drafts/**"

# Which rules run, by id or pack: only those in `select` (all when absent), never those in
# `ignore-rules`. `candor check --select/--ignore` take the same ids.
# select: [Candor]
# ignore-rules: [Candor.Length]

# Accepted terms: a finding whose matched text is one of these is dropped. Each entry is a
# regular expression matched against the whole finding, case-sensitive unless it starts
# with (?i).
vocabulary:
  # - Zendesk
  # - "(?i)on-call"

# Settings for some files only: a glob (relative to this file), then `rules` and `vocabulary`
# as above. Later sections win over earlier ones and over the top level.
paths:
  # "macros/**":
  #   rules:
  #     Candor.Placeholder: off
"#;

/// What `--config` / `--no-config` asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum ConfigChoice {
    /// The nearest `.candor.yaml` above each file.
    #[default]
    Discover,
    /// This file for every input.
    File(PathBuf),
    /// No configuration file at all.
    Disabled,
}

/// What a configuration says about one rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Setting {
    Off,
    On,
    Level(Severity),
}

impl Setting {
    fn parse(s: &str) -> Option<Setting> {
        match s.to_ascii_lowercase().as_str() {
            "off" | "no" | "false" => Some(Setting::Off),
            "on" | "yes" | "true" => Some(Setting::On),
            other => Severity::parse(other).map(Setting::Level),
        }
    }
}

impl<'de> Deserialize<'de> for Setting {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Setting;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("off, on, suggestion, warning or error")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Setting, E> {
                Ok(if b { Setting::On } else { Setting::Off })
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Setting, E> {
                Setting::parse(s).ok_or_else(|| {
                    E::custom(format!(
                        "`{s}` is not a rule setting (off, on, suggestion, warning, error)"
                    ))
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// One rule's entry: a setting alone (`Candor.SelfFocus: off`) or a map with `level`/`options`.
#[derive(Debug, Clone, Default, PartialEq)]
struct RuleOverride {
    setting: Option<Setting>,
    options: BTreeMap<String, serde_norway::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleOverrideMap {
    #[serde(default)]
    level: Option<Setting>,
    #[serde(default)]
    options: Option<BTreeMap<String, serde_norway::Value>>,
}

impl<'de> Deserialize<'de> for RuleOverride {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RuleOverride;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("off, a level, or a map with `level` and `options`")
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<RuleOverride, E> {
                Ok(RuleOverride {
                    setting: Some(if b { Setting::On } else { Setting::Off }),
                    options: BTreeMap::new(),
                })
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<RuleOverride, E> {
                let setting = Setting::parse(s).ok_or_else(|| {
                    E::custom(format!(
                        "`{s}` is not a rule setting (off, on, suggestion, warning, error, or a map with `level` and `options`)"
                    ))
                })?;
                Ok(RuleOverride {
                    setting: Some(setting),
                    options: BTreeMap::new(),
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RuleOverride, A::Error> {
                let m = RuleOverrideMap::deserialize(de::value::MapAccessDeserializer::new(map))?;
                Ok(RuleOverride {
                    setting: m.level,
                    options: m.options.unwrap_or_default(),
                })
            }
        }
        d.deserialize_any(V)
    }
}

/// A glob checked while parsing, so a bad one is reported at its line.
#[derive(Debug, Clone)]
struct Glob {
    matcher: GlobMatcher,
}

impl Glob {
    fn new(text: &str) -> Result<Glob, String> {
        let text = text.trim_start_matches("./");
        // Like .gitignore: a glob without a slash matches at any depth.
        let pattern = if text.contains('/') {
            text.trim_start_matches('/').to_string()
        } else {
            format!("**/{text}")
        };
        let matcher = GlobBuilder::new(&pattern)
            .literal_separator(true)
            .build()
            .map_err(|e| format!("`{text}` is not a valid glob: {}", e.kind()))?
            .compile_matcher();
        Ok(Glob { matcher })
    }

    /// Whether the glob matches `rel` or a folder above it (`drafts` ignores `drafts/a.md`).
    fn matches(&self, rel: &Path) -> bool {
        rel.ancestors()
            .filter(|p| !p.as_os_str().is_empty())
            .any(|p| self.matcher.is_match(p))
    }
}

impl<'de> Deserialize<'de> for Glob {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Glob::new(&s).map_err(de::Error::custom)
    }
}

/// An accepted term: a regular expression checked while parsing.
#[derive(Debug, Clone)]
struct Term(String);

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Regex::new(&s).map_err(|e| {
            de::Error::custom(format!(
                "vocabulary term `{s}` is not a valid regular expression: {}",
                e.to_string().replace('\n', " ")
            ))
        })?;
        Ok(Term(s))
    }
}

/// A map that keeps the file's order (later `paths:` sections win).
#[derive(Debug, Clone, Default)]
struct Ordered<V>(Vec<(String, V)>);

impl<'de, V: Deserialize<'de>> Deserialize<'de> for Ordered<V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Vis<V>(std::marker::PhantomData<V>);
        impl<'de, V: Deserialize<'de>> Visitor<'de> for Vis<V> {
            type Value = Ordered<V>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Ordered<V>, E> {
                Ok(Ordered(Vec::new()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<V>, A::Error> {
                let mut out: Vec<(String, V)> = Vec::new();
                let mut seen = std::collections::HashSet::new();
                while let Some((k, v)) = map.next_entry::<String, V>()? {
                    if !seen.insert(k.clone()) {
                        return Err(de::Error::custom(format_args!("duplicate entry `{k}`")));
                    }
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_any(Vis(std::marker::PhantomData))
    }
}

/// Settings that may apply to all files or to a `paths:` glob.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct Section {
    #[serde(default)]
    rules: Option<Ordered<RuleOverride>>,
    #[serde(default)]
    vocabulary: Option<Vec<Term>>,
}

/// The file as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    packs: Option<Vec<String>>,
    #[serde(default)]
    rules: Option<Ordered<RuleOverride>>,
    #[serde(default)]
    ignore: Option<Vec<Glob>>,
    #[serde(default)]
    vocabulary: Option<Vec<Term>>,
    #[serde(default)]
    paths: Option<Ordered<Section>>,
    /// Only these rules and packs run (see [`Selection`]).
    #[serde(default)]
    select: Option<Vec<String>>,
    /// These rules and packs never run (`ignore:` lists files).
    #[serde(default, rename = "ignore-rules")]
    ignore_rules: Option<Vec<String>>,
}

/// A parsed, checked configuration file.
#[derive(Debug)]
pub struct Config {
    /// Path shown in errors.
    pub shown: String,
    /// Folder that relative packs and globs start from.
    pub dir: PathBuf,
    text: String,
    packs: Vec<PathBuf>,
    top: Section,
    ignore: Vec<Glob>,
    sections: Vec<(Glob, Section)>,
    /// Line of each `paths:` glob, so an error about a section's rule points into that section.
    section_lines: Vec<usize>,
    /// `select:` and `ignore-rules:`.
    pub selection: Selection,
    /// Set when this configuration is a `.vale.ini` (its sections are `sections`, in order).
    pub vale: Option<Arc<ValeIni>>,
}

impl Config {
    /// Parses `text`, read from `path`. Packs must exist; rule ids are checked later, against
    /// the rules actually loaded.
    pub fn parse(path: &Path, text: &str) -> Result<Config, ConfigError> {
        let shown = shown_path(path);
        let file: ConfigFile = if text.trim().is_empty() || is_all_comments(text) {
            ConfigFile::default()
        } else {
            serde_norway::from_str::<Option<ConfigFile>>(text)
                .map_err(|e| yaml_error(&shown, text, &e))?
                .unwrap_or_default()
        };
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let dir = absolute(&dir);
        let mut packs = Vec::new();
        for p in file.packs.unwrap_or_default() {
            let full = dir.join(&p);
            if !full.is_dir() {
                let line = find_line(text, &p, 1).unwrap_or(1);
                return Err(ConfigError::at_line(
                    &shown,
                    text,
                    line,
                    format!(
                        "pack folder `{p}` does not exist (looked for {})",
                        full.display()
                    ),
                ));
            }
            packs.push(full);
        }
        let mut sections = Vec::new();
        let mut section_lines = Vec::new();
        let paths_line = text
            .lines()
            .position(|l| l.starts_with("paths:"))
            .map_or(1, |i| i + 1);
        // The globs come in file order: each is looked for from the line of the one before, so
        // the file is read once for all of them (from `paths:` each time was quadratic).
        let lines: Vec<&str> = text.lines().collect();
        let mut cursor = paths_line;
        for (glob, section) in file.paths.unwrap_or_default().0 {
            let from_cursor = (cursor.max(1) - 1..lines.len())
                .find(|&i| lines[i].contains(glob.as_str()))
                .map(|i| i + 1);
            let line = from_cursor
                .or_else(|| find_line(text, &glob, paths_line))
                .unwrap_or(1);
            if from_cursor.is_some() {
                cursor = line;
            }
            let g =
                Glob::new(&glob).map_err(|msg| ConfigError::at_line(&shown, text, line, msg))?;
            sections.push((g, section));
            section_lines.push(line);
        }
        Ok(Config {
            shown,
            dir,
            text: text.to_string(),
            packs,
            top: Section {
                rules: file.rules,
                vocabulary: file.vocabulary,
            },
            ignore: file.ignore.unwrap_or_default(),
            sections,
            section_lines,
            selection: Selection {
                select: file.select,
                ignore: file.ignore_rules.unwrap_or_default(),
            },
            vale: None,
        })
    }

    /// A configuration read from a `.vale.ini` (see [`vale_ini`]): its StylesPath is the pack
    /// folder, and its glob sections are the sections, in file order.
    pub fn from_vale(ini: ValeIni) -> Result<Config, ConfigError> {
        let mut packs = Vec::new();
        if let Some(styles) = &ini.styles_path {
            if !styles.is_dir() {
                return Err(ConfigError::whole_file(
                    &ini.shown,
                    format!("StylesPath `{}` is not a folder", styles.display()),
                ));
            }
            packs.push(absolute(styles));
        }
        let mut sections = Vec::new();
        for s in &ini.sections {
            let glob = s.glob.as_deref().unwrap_or("*");
            let g = Glob::new(glob).map_err(|m| ConfigError::whole_file(&ini.shown, m))?;
            sections.push((g, Section::default()));
        }
        Ok(Config {
            shown: ini.shown.clone(),
            dir: absolute(&ini.dir),
            text: String::new(),
            packs,
            top: Section::default(),
            ignore: Vec::new(),
            section_lines: vec![1; sections.len()],
            sections,
            selection: Selection::default(),
            vale: Some(Arc::new(ini)),
        })
    }

    /// Reads a configuration file: a `.vale.ini` (by its `.ini` name) or a `.candor.yaml`.
    pub fn load_any(path: &Path) -> Result<Config, ConfigError> {
        if path.extension().is_some_and(|e| e == "ini") {
            Config::from_vale(ValeIni::load(path)?)
        } else {
            Config::load(path)
        }
    }

    /// Reads and parses a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let shown = shown_path(path);
        let bytes = crate::source::read::read_regular(path)
            .map_err(|e| ConfigError::whole_file(&shown, format!("cannot read config: {e}")))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            ConfigError::whole_file(
                &shown,
                format!(
                    "config is not valid UTF-8 (byte {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        Config::parse(path, &text)
    }

    /// `path` relative to the config's folder (as given when it lies outside).
    /// `given` (whose absolute form is `abs`) relative to the config's folder; as given when
    /// it lies outside.
    fn relative<'a>(&self, abs: &'a Path, given: &'a Path) -> &'a Path {
        abs.strip_prefix(&self.dir)
            .unwrap_or_else(|_| given.strip_prefix("./").unwrap_or(given))
    }

    /// Whether `rel` (relative to the config's folder) matches one of the `ignore:` globs.
    fn ignores(&self, rel: &Path) -> bool {
        self.ignore.iter().any(|g| g.matches(rel))
    }

    /// Indexes of the `paths:` sections that apply to `rel`, in file order.
    fn sections_for(&self, rel: &Path) -> Vec<usize> {
        // A `.vale.ini` section for `*.md` also applies to a file `[formats]` reads as `md`.
        let as_format = self.vale.as_ref().and_then(|v| {
            let ext = rel.extension()?.to_str()?;
            v.format_of(ext).map(|to| rel.with_extension(to))
        });
        self.sections
            .iter()
            .enumerate()
            .filter(|(_, (g, _))| {
                g.matches(rel) || as_format.as_ref().is_some_and(|p| g.matches(p))
            })
            .map(|(i, _)| i)
            .collect()
    }

    fn error_at(&self, needle: &str, message: impl Into<String>) -> ConfigError {
        self.error_in(None, needle, message)
    }

    /// An error about `needle` inside `paths:` section `section` (`None`: the top level).
    fn error_in(
        &self,
        section: Option<usize>,
        needle: &str,
        message: impl Into<String>,
    ) -> ConfigError {
        let from = match section {
            Some(s) => self.section_lines[s],
            None => self
                .text
                .lines()
                .position(|l| l.starts_with("rules:"))
                .map_or(1, |i| i + 1),
        };
        let line = find_line(&self.text, needle, from)
            .or_else(|| find_line(&self.text, needle, 1))
            .unwrap_or(1);
        ConfigError::at_line(&self.shown, &self.text, line, message)
    }

    /// Every section that may apply, top level first.
    fn all_sections(&self) -> impl Iterator<Item = (Option<usize>, &Section)> {
        std::iter::once((None, &self.top)).chain(
            self.sections
                .iter()
                .enumerate()
                .map(|(i, (_, s))| (Some(i), s)),
        )
    }
}

/// A YAML error at its line. Errors from the checks above quote the bad value in backticks;
/// inside a list the parser may report the list's first line, so look for the value from there.
fn yaml_error(shown: &str, text: &str, err: &serde_norway::Error) -> ConfigError {
    let mut e = ConfigError::from_yaml(shown, text, err);
    let quoted = e.message.split('`').nth(1).filter(|q| !q.is_empty());
    if e.message.contains("duplicate ") {
        // The second time the key is written, not the first (nor the map it is in).
        if let Some(key) = quoted {
            let first = find_key_line(text, key, e.line).or_else(|| find_key_line(text, key, 1));
            if let Some(line) = first.and_then(|l| find_key_line(text, key, l + 1)) {
                return ConfigError::at_line(shown, text, line, e.message);
            }
        }
    }
    if let Some(line) = quoted.and_then(|q| find_line(text, q, e.line)) {
        e = ConfigError::at_line(shown, text, line, e.message);
    }
    e
}

/// 1-based line, at or after `from`, where `key` is written as a mapping key (`key:`, quoted
/// or not, perhaps after `- `).
fn find_key_line(text: &str, key: &str, from: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| {
            let l = l.trim_start().trim_start_matches("- ").trim_start();
            [key, &format!("\"{key}\""), &format!("'{key}'")]
                .iter()
                .any(|k| {
                    l.strip_prefix(k)
                        .is_some_and(|r| r.trim_start().starts_with(':'))
                })
        })
        .map(|(i, _)| i + 1)
}

fn is_all_comments(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .all(|l| l.is_empty() || l.starts_with('#') || l == "---")
}

/// The rules and accepted terms that apply to one file.
#[derive(Debug)]
pub struct Effective {
    pub rules: RuleSet,
    vocabulary: Option<Regex>,
    /// Rules whose file says `vocab: false`.
    vocab_exempt: HashSet<String>,
    /// Checks of suppression comments turned off (`Candor.UnusedSuppression`,
    /// `Candor.UnknownRule`: no rule files, but named like rules).
    pub comment_checks_off: Vec<&'static str>,
    /// Extensions read as another format (a `.vale.ini`'s `[formats]`: `mdx = md`).
    formats: Vec<(String, String)>,
    /// Text no rule sees (a `.vale.ini`'s `TokenIgnores`, `BlockIgnores`, `SkippedScopes`).
    masks: MaskPatterns,
}

/// The patterns of [`crate::document::mask::Masks`], compiled once per rule set.
#[derive(Debug, Default)]
struct MaskPatterns {
    tokens: Vec<crate::rules::pattern::Matcher>,
    blocks: Vec<crate::rules::pattern::Matcher>,
    skip_quotes: bool,
    skip_strong: bool,
    skip_classes: Vec<String>,
}

impl MaskPatterns {
    fn compile(
        tokens: &[String],
        blocks: &[String],
        skip_quotes: bool,
        skip_strong: bool,
        skip_classes: Vec<String>,
    ) -> Result<Self, String> {
        use crate::rules::pattern::Matcher;
        let each = |list: &[String], key: &str| {
            list.iter()
                .map(|p| {
                    let m = Matcher::new(format!("(?m){p}"))
                        .map_err(|e| format!("{key} pattern `{p}` does not compile: {e}"))?;
                    if let Err(e) = m.get() {
                        return Err(format!("{key} pattern `{p}` does not compile: {e}"));
                    }
                    Ok(m)
                })
                .collect::<Result<Vec<_>, String>>()
        };
        Ok(MaskPatterns {
            tokens: each(tokens, "TokenIgnores")?,
            blocks: each(blocks, "BlockIgnores")?,
            skip_quotes,
            skip_strong,
            skip_classes,
        })
    }
}

impl Effective {
    fn plain(rules: RuleSet) -> Effective {
        Effective {
            rules,
            vocabulary: None,
            vocab_exempt: HashSet::new(),
            comment_checks_off: Vec::new(),
            formats: Vec::new(),
            masks: MaskPatterns::default(),
        }
    }

    /// The format a file is read as when the configuration maps its extension (`None`: by
    /// its extension, as usual).
    pub fn format_for(&self, path: &Path) -> Option<crate::document::Format> {
        if self.formats.is_empty() {
            return None;
        }
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        let (_, to) = self.formats.iter().rev().find(|(from, _)| *from == ext)?;
        crate::document::Format::from_extension(to)
    }

    /// `doc` with what no rule may see masked ([`crate::document::mask`]); `None` when there
    /// is nothing to mask.
    pub fn masked(&self, doc: &crate::document::Document) -> Option<crate::document::Document> {
        let m = &self.masks;
        if m.tokens.is_empty()
            && m.blocks.is_empty()
            && !m.skip_quotes
            && !m.skip_strong
            && m.skip_classes.is_empty()
        {
            return None;
        }
        fn ready(list: &[crate::rules::pattern::Matcher]) -> Vec<crate::rules::pattern::Ready<'_>> {
            list.iter().filter_map(|p| p.get().ok()).collect()
        }
        crate::document::mask::Masks {
            tokens: ready(&m.tokens),
            blocks: ready(&m.blocks),
            skip_quotes: m.skip_quotes,
            skip_strong: m.skip_strong,
            skip_classes: &m.skip_classes,
        }
        .apply(doc)
    }

    /// Whether `d`'s matched text (`source[d.span]`) is an accepted term.
    pub fn accepts(&self, d: &Diagnostic, source: &str) -> bool {
        let Some(vocab) = &self.vocabulary else {
            return false;
        };
        if self.vocab_exempt.contains(&*d.rule) {
            return false;
        }
        // A word said twice ("did did", from a repetition rule) is accepted when the word is.
        source.get(d.span.clone()).is_some_and(|m| {
            vocab.is_match(m) || {
                let mut words = m.split_whitespace();
                let first = words.next().unwrap_or("");
                words.next().is_some()
                    && m.split_whitespace().all(|w| w == first)
                    && vocab.is_match(first)
            }
        })
    }

    /// Drops findings whose matched text is an accepted term.
    pub fn drop_accepted(&self, diagnostics: &mut Vec<Diagnostic>, source: &str) {
        if self.vocabulary.is_some() {
            diagnostics.retain(|d| !self.accepts(d, source));
        }
    }
}

/// What applies to one input.
#[derive(Debug, Clone)]
pub enum Resolved {
    /// An `ignore:` glob matches it.
    Ignored,
    Lint(Arc<Effective>),
}

/// Finds each file's configuration and compiles its rule set, once per distinct configuration.
#[derive(Debug)]
pub struct Resolver {
    cli_rules: Vec<PathBuf>,
    choice: ConfigChoice,
    configs: Vec<Config>,
    /// Nearest config for each folder already looked at.
    /// `Err(i)`: the nearest config is `broken[i]`, which could not be used.
    // Keyed by folder paths, hashed per file: foldhash (std's SipHash took a fifth of a walk
    // down a deep tree, feeding it one short component at a time).
    by_dir: foldhash::HashMap<PathBuf, Result<Option<usize>, usize>>,
    /// Configuration files found but unusable (unreadable, invalid): an error for the files
    /// under them only.
    broken: Vec<ConfigError>,
    /// Rule set of each config with its packs, before overrides.
    base: HashMap<Option<usize>, RuleSet>,
    effective: HashMap<(Option<usize>, Vec<usize>), Arc<Effective>>,
    /// Each folder of a linted file, made absolute once (see [`Resolver::absolute`]).
    absolute_dirs: foldhash::HashMap<PathBuf, PathBuf>,
    /// The folder of the last file made absolute, and its absolute form; and the last folder
    /// whose config was looked up, and that config. A walk gives the files of a folder one after
    /// another, so most files need neither map (hashing their paths was a serial cost).
    last_absolute: Option<(PathBuf, PathBuf)>,
    last_discovered: Option<(PathBuf, Result<Option<usize>, usize>)>,
    /// `--select` / `--ignore`, over each configuration's own.
    selection: Selection,
}

impl Resolver {
    /// `cli_rules` are the `--rules` folders (they win over config packs). With
    /// [`ConfigChoice::File`] the file is read now, so a bad one fails before any linting.
    pub fn new(cli_rules: &[PathBuf], choice: ConfigChoice) -> Result<Resolver, ConfigError> {
        let mut r = Resolver {
            cli_rules: cli_rules.to_vec(),
            choice: choice.clone(),
            configs: Vec::new(),
            by_dir: Default::default(),
            broken: Vec::new(),
            base: HashMap::new(),
            effective: HashMap::new(),
            absolute_dirs: Default::default(),
            last_absolute: None,
            last_discovered: None,
            selection: Selection::default(),
        };
        if let ConfigChoice::File(path) = &choice {
            r.configs.push(Config::load_any(path)?);
        }
        // The rules without any config load now too, so bad `--rules` fail first.
        r.base_rules(None)?;
        Ok(r)
    }

    /// A resolver that always uses `rules` as given: no config file, no discovery.
    pub fn fixed(rules: RuleSet) -> Resolver {
        let mut r = Resolver {
            cli_rules: Vec::new(),
            choice: ConfigChoice::Disabled,
            configs: Vec::new(),
            by_dir: Default::default(),
            broken: Vec::new(),
            base: HashMap::new(),
            effective: HashMap::new(),
            absolute_dirs: Default::default(),
            last_absolute: None,
            last_discovered: None,
            selection: Selection::default(),
        };
        r.effective.insert(
            (None, Vec::new()),
            Arc::new(Effective::plain(rules.clone())),
        );
        r.base.insert(None, rules);
        r
    }

    /// Runs only the rules `selection` keeps (`--select` / `--ignore`), over what each
    /// configuration selects. Set before any file is resolved.
    pub fn set_selection(&mut self, selection: Selection) {
        self.selection = selection;
    }

    /// How many rule sets were compiled (one per distinct effective configuration).
    pub fn compiled_sets(&self) -> usize {
        self.effective.len()
    }

    /// The rules of every rule set used so far, one entry per id (sorted), for reporters that
    /// list rules (SARIF). A rule set per configuration may give one id different levels: the
    /// entry comes from the first set in a stable order; each finding carries its own level.
    /// Before any file was resolved, the rules without a configuration.
    pub fn rule_descriptors(&self) -> Vec<crate::report::RuleDescriptor> {
        let mut keys: Vec<_> = self.effective.keys().collect();
        keys.sort();
        let mut by_id = BTreeMap::new();
        for key in keys {
            for r in self.effective[key].rules.iter() {
                by_id
                    .entry(r.meta().id.clone())
                    .or_insert_with(|| crate::report::RuleDescriptor::of(r.meta()));
            }
        }
        if by_id.is_empty() {
            if let Some(rules) = self.base.get(&None) {
                return crate::report::RuleDescriptor::all(rules);
            }
        }
        by_id.into_values().collect()
    }

    /// The configuration for `path` (a file to lint, or where standard input "is").
    pub fn resolve(&mut self, path: &Path) -> Result<Resolved, ConfigError> {
        self.resolve_with(path, false)
    }

    /// [`Resolver::resolve`] for a file found by walking a folder, which is a regular file and
    /// not a link: no need to ask the file system what it is (a serial system call per file).
    pub fn resolve_walked(&mut self, path: &Path) -> Result<Resolved, ConfigError> {
        self.resolve_with(path, true)
    }

    /// `path` made absolute (empty without configuration) and the index of the configuration
    /// that applies to it, if any.
    fn config_of(
        &mut self,
        path: &Path,
        regular: bool,
    ) -> Result<(PathBuf, Option<usize>), ConfigError> {
        let abs = match self.choice {
            ConfigChoice::Disabled => PathBuf::new(),
            _ => self.absolute(path, regular),
        };
        let config = match &self.choice {
            ConfigChoice::Disabled => None,
            ConfigChoice::File(_) => Some(0),
            ConfigChoice::Discover => {
                let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
                self.discover(&dir)?
            }
        };
        Ok((abs, config))
    }

    fn resolve_with(&mut self, path: &Path, regular: bool) -> Result<Resolved, ConfigError> {
        let (abs, config) = self.config_of(path, regular)?;
        let sections = match config {
            Some(i) => {
                let c = &self.configs[i];
                let rel = c.relative(&abs, path);
                if c.ignores(rel) {
                    return Ok(Resolved::Ignored);
                }
                c.sections_for(rel)
            }
            None => Vec::new(),
        };
        let key = (config, sections);
        if let Some(e) = self.effective.get(&key) {
            return Ok(Resolved::Lint(e.clone()));
        }
        let effective = Arc::new(self.build(config, &key.1)?);
        self.effective.insert(key, effective.clone());
        Ok(Resolved::Lint(effective))
    }

    /// [`absolute`] of a file, with its folder resolved once per folder rather than once per
    /// file (a run over thousands of files spent a serial tenth of its time in `canonicalize`).
    /// The same path: a file that is not a symbolic link resolves to its resolved folder joined
    /// with its name; a link, or anything else, is resolved whole. `regular`: the caller knows
    /// the file is not a link.
    fn absolute(&mut self, path: &Path, regular: bool) -> PathBuf {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return absolute(path);
        };
        if !regular && !path.symlink_metadata().is_ok_and(|m| m.is_file()) {
            return absolute(path);
        }
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        if let Some((last, resolved)) = &self.last_absolute {
            if last == dir {
                return resolved.join(name);
            }
        }
        let resolved = self.absolute_dir(dir);
        let file = resolved.join(name);
        self.last_absolute = Some((dir.to_path_buf(), resolved));
        file
    }

    /// Takes what a walk learnt of its folders (parents first): a folder found by the walk is
    /// a real folder (links are not followed), so its absolute form is its parent's joined with
    /// its name, and one holding nothing named like a configuration file has its parent's
    /// configuration. Asking the file system by full path at every folder, and looking each
    /// file's folders up by their paths, was quadratic in the depth of a tree.
    pub fn note_walked_folders(&mut self, folders: &[crate::source::walk::Folder]) {
        let discover = matches!(self.choice, ConfigChoice::Discover);
        let mut absolute: Vec<PathBuf> = Vec::with_capacity(folders.len());
        let mut found: Vec<Result<Option<usize>, usize>> = Vec::with_capacity(folders.len());
        for folder in folders {
            let parent = folder.parent.filter(|&p| p < absolute.len());
            let here = match (parent, folder.path.file_name()) {
                (Some(p), Some(name)) => absolute[p].join(name),
                _ => self.absolute_dir(&folder.path),
            };
            self.absolute_dirs.insert(folder.path.clone(), here.clone());
            let config = match parent {
                _ if !discover => Ok(None),
                Some(p) if !folder.holds_config => {
                    self.by_dir.insert(here.clone(), found[p]);
                    found[p]
                }
                _ => self.discover_cached(&here),
            };
            found.push(config);
            absolute.push(here);
        }
    }

    /// [`absolute`] of a folder, once per folder. A real folder (not a link) is its parent's
    /// resolved path joined with its name, so only the top of a tree (or a link in it) is
    /// canonicalised: a walk down a deep tree no longer resolves every folder from the root
    /// again (a canonicalisation per folder, each a look-up per component, was cubic in depth).
    fn absolute_dir(&mut self, dir: &Path) -> PathBuf {
        if let Some(resolved) = self.absolute_dirs.get(dir) {
            return resolved.clone();
        }
        // The folders up to the nearest one resolved before (or the top).
        let mut chain: Vec<&Path> = Vec::new();
        let mut above: Option<PathBuf> = None;
        let mut cur = dir;
        loop {
            chain.push(cur);
            let Some(parent) = cur.parent().filter(|p| !p.as_os_str().is_empty()) else {
                break;
            };
            if cur.file_name().is_none() {
                break;
            }
            if let Some(resolved) = self.absolute_dirs.get(parent) {
                above = Some(resolved.clone());
                break;
            }
            cur = parent;
        }
        let mut resolved = PathBuf::new();
        for d in chain.into_iter().rev() {
            resolved = match (above.take(), d.file_name()) {
                (Some(parent), Some(name)) if d.symlink_metadata().is_ok_and(|m| m.is_dir()) => {
                    parent.join(name)
                }
                _ => absolute(d),
            };
            self.absolute_dirs.insert(d.to_path_buf(), resolved.clone());
            above = Some(resolved.clone());
        }
        resolved
    }

    /// Every rule a configuration for `path` may name: built in, its packs and `--rules`,
    /// before its overrides.
    pub fn available(&mut self, path: &Path) -> Result<RuleSet, ConfigError> {
        let config = match &self.choice {
            ConfigChoice::Disabled => None,
            ConfigChoice::File(_) => Some(0),
            ConfigChoice::Discover => {
                let abs = absolute(path);
                let dir = abs.parent().map(Path::to_path_buf).unwrap_or_default();
                self.discover(&dir)?
            }
        };
        Ok(self.base_rules(config)?.clone())
    }

    /// The nearest config at or above `dir`, parsing it on first sight. A config that cannot
    /// be used is an error for every file under it (once read, it is not read again), and only
    /// for those.
    fn discover(&mut self, dir: &Path) -> Result<Option<usize>, ConfigError> {
        let found = self.discover_cached(dir);
        found.map_err(|i| self.broken[i].clone())
    }

    fn discover_cached(&mut self, dir: &Path) -> Result<Option<usize>, usize> {
        if let Some((last, found)) = &self.last_discovered {
            if last == dir {
                return *found;
            }
        }
        let mut unseen = Vec::new();
        let mut found = Ok(None);
        for d in dir.ancestors() {
            if let Some(hit) = self.by_dir.get(d) {
                found = *hit;
                break;
            }
            unseen.push(d.to_path_buf());
            // Any file by that name, not only a regular one: a FIFO or a device there is an
            // error (refused by its type), not a config silently passed over.
            // A `.candor.yaml` first; else Vale's own file, read as it is.
            if let Some(file) = FILE_NAMES
                .iter()
                .chain(vale_ini::FILE_NAMES)
                .map(|n| d.join(n))
                .find(|p| p.metadata().is_ok_and(|m| !m.is_dir()) || p.is_symlink())
            {
                found = match Config::load_any(&file) {
                    Ok(config) => {
                        self.configs.push(config);
                        Ok(Some(self.configs.len() - 1))
                    }
                    Err(e) => {
                        self.broken.push(e);
                        Err(self.broken.len() - 1)
                    }
                };
                break;
            }
        }
        for d in unseen {
            self.by_dir.insert(d, found);
        }
        self.last_discovered = Some((dir.to_path_buf(), found));
        found
    }

    fn base_rules(&mut self, config: Option<usize>) -> Result<&RuleSet, ConfigError> {
        if !self.base.contains_key(&config) {
            let mut dirs: Vec<PathBuf> = match config {
                Some(i) => self.configs[i].packs.clone(),
                None => Vec::new(),
            };
            dirs.extend(self.cli_rules.iter().cloned());
            let vale_ini = config.and_then(|i| self.configs[i].vale.as_deref());
            let mut set = RuleSet::load_with(&dirs, vale_ini.is_some())?;
            if let Some(vale) = vale_ini {
                vale_apply::add_built_in_style(vale, &mut set);
            }
            self.base.insert(config, set);
        }
        Ok(&self.base[&config])
    }

    /// Compiles the rule set for a config and the sections of it that match.
    fn build(
        &mut self,
        config: Option<usize>,
        sections: &[usize],
    ) -> Result<Effective, ConfigError> {
        let mut rules = self.base_rules(config)?.clone();
        let Some(i) = config else {
            let dropped = self.selection.dropped(&rules);
            rules.replace_and_drop(Vec::new(), &dropped);
            let mut plain = Effective::plain(rules);
            plain.comment_checks_off = comment_checks_off(&self.selection, |_| false);
            return Ok(plain);
        };
        let cfg = &self.configs[i];
        if let Some(vale) = &cfg.vale {
            let applied = vale_apply::apply(vale, sections, rules);
            let mut rules = applied.rules;
            let dropped = self.selection.dropped(&rules);
            rules.replace_and_drop(Vec::new(), &dropped);
            let off = comment_checks_off(&self.selection, |_| false);
            let mut effective = finish(cfg, rules, &applied.accept, off)?;
            effective.masks = MaskPatterns::compile(
                &applied.token_ignores,
                &applied.block_ignores,
                applied.skip_quotes,
                applied.skip_strong,
                applied.skip_classes,
            )
            .map_err(|e| ConfigError::whole_file(&cfg.shown, e))?;
            return Ok(effective);
        }
        check_rule_ids(cfg, &rules)?;
        if let Some(id) = cfg.selection.unknown(&rules).first() {
            return Err(cfg.error_at(
                id,
                format!("no rule or pack `{id}` is loaded; `candor rules` lists them"),
            ));
        }
        let selection = self.selection.over(&cfg.selection);

        let applied: Vec<(Option<usize>, &Section)> = std::iter::once((None, &cfg.top))
            .chain(sections.iter().map(|&s| (Some(s), &cfg.sections[s].1)))
            .collect();
        let mut merged: BTreeMap<String, RuleOverride> = BTreeMap::new();
        // The section that last set each rule, for errors.
        let mut set_in: BTreeMap<String, Option<usize>> = BTreeMap::new();
        let mut terms: Vec<String> = Vec::new();
        for (at, section) in &applied {
            for (id, o) in section.rules.iter().flat_map(|r| &r.0) {
                set_in.insert(id.clone(), *at);
                let m = merged.entry(id.clone()).or_default();
                if o.setting.is_some() {
                    m.setting = o.setting;
                }
                m.options
                    .extend(o.options.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            terms.extend(section.vocabulary.iter().flatten().map(|t| t.0.clone()));
        }

        // Rules turned off and rules recompiled with new settings go in at the end, in one
        // pass over the set.
        let mut off: HashSet<String> = selection.dropped(&rules);
        let mut replacements = Vec::new();
        for (id, o) in &merged {
            if o.setting == Some(Setting::Off) || off.contains(id) {
                off.insert(id.clone());
                continue;
            }
            let level = match o.setting {
                Some(Setting::Level(l)) => Some(l),
                _ => None,
            };
            if level.is_none() && o.options.is_empty() {
                continue;
            }
            let Some(stored) = rules.stored(id).cloned() else {
                continue;
            };
            let extends = stored.spec.extends.as_str();
            let vale_type = crate::rules::types::VALE_TYPES.contains(&extends)
                || crate::rules::types::UNSUPPORTED_VALE_TYPES.contains(&extends);
            let at = set_in.get(id).copied().flatten();
            if !o.options.is_empty() && vale_type {
                return Err(cfg.error_in(
                    at,
                    id,
                    format!(
                        "`{id}` is a Vale `{extends}` rule: it takes no `options` (only Candor's own rule types do)"
                    ),
                ));
            }
            let spec = merged_spec(&stored.spec, level, &o.options);
            let rule = rules.compile_reconfigured(id, spec).map_err(|e| {
                cfg.error_in(
                    at,
                    id,
                    format!(
                        "`{id}` does not accept these settings: {} (in {}:{})",
                        e.message, e.path, e.line
                    ),
                )
            })?;
            replacements.extend(rule);
        }
        rules.replace_and_drop(replacements, &off);
        let checks_off = comment_checks_off(&selection, |id| {
            merged
                .get(id)
                .is_some_and(|o| o.setting == Some(Setting::Off))
        });
        finish(cfg, rules, &terms, checks_off)
    }

    /// Rule-file problems of every rule set loaded so far (each once): files left out.
    pub fn rule_warnings(&self) -> Vec<ConfigError> {
        let mut keys: Vec<_> = self.base.keys().collect();
        keys.sort();
        let mut out: Vec<ConfigError> = Vec::new();
        for key in keys {
            for w in &self.base[key].warnings {
                if !out
                    .iter()
                    .any(|o| o.path == w.path && o.message == w.message)
                {
                    out.push(w.clone());
                }
            }
        }
        for e in self.effective.values() {
            for w in &e.rules.warnings {
                if !out
                    .iter()
                    .any(|o| o.path == w.path && o.message == w.message)
                {
                    out.push(w.clone());
                }
            }
        }
        out
    }

    /// One line naming the rules loaded but not run (Vale types Candor does not run), if any.
    pub fn skipped_note(&self) -> Option<String> {
        let mut ids: Vec<&str> = self
            .base
            .values()
            .flat_map(|set| set.skipped.iter().map(|s| s.id.as_str()))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        (!ids.is_empty()).then(|| {
            format!(
                "{} rule{} of Vale types Candor does not run (script) left out: {}; `candor rules` says why",
                ids.len(),
                if ids.len() == 1 { "" } else { "s" },
                ids.join(", ")
            )
        })
    }

    /// Vale settings read but not acted on, one line per `.vale.ini` used.
    pub fn vale_notes(&self) -> Vec<String> {
        self.configs
            .iter()
            .filter_map(|c| c.vale.as_deref())
            .map(|v| v.unhonoured())
            .filter(|u| !u.is_empty())
            .map(|u| format!("Vale settings Candor does not honour yet: {}", u.join(", ")))
            .collect()
    }
}

/// The rule set and accepted terms of a configuration, as one [`Effective`].
/// The checks of suppression comments (`Candor.UnusedSuppression`, `Candor.UnknownRule`: no
/// rule files, but named like rules) that `selection` leaves out or the configuration turns off.
fn comment_checks_off(
    selection: &Selection,
    turned_off: impl Fn(&str) -> bool,
) -> Vec<&'static str> {
    crate::suppress::COMMENT_CHECKS
        .iter()
        .copied()
        .filter(|id| !selection.keeps(id) || turned_off(id))
        .collect()
}

fn finish(
    cfg: &Config,
    rules: RuleSet,
    terms: &[String],
    comment_checks_off: Vec<&'static str>,
) -> Result<Effective, ConfigError> {
    {
        let vocabulary = if terms.is_empty() {
            None
        } else {
            let pattern = format!("^(?:{})$", terms.join("|"));
            Some(Regex::new(&pattern).map_err(|e| {
                cfg.error_at(
                    "vocabulary",
                    format!(
                        "vocabulary does not compile: {}",
                        e.to_string().replace('\n', " ")
                    ),
                )
            })?)
        };
        let vocab_exempt = rules
            .iter()
            .filter_map(|r| {
                let id = &*r.meta().id;
                rules
                    .stored(id)
                    .filter(|s| s.spec.vocab == Some(false))
                    .map(|_| id.to_string())
            })
            .collect();
        Ok(Effective {
            rules,
            vocabulary,
            vocab_exempt,
            comment_checks_off,
            formats: cfg
                .vale
                .as_ref()
                .map(|v| v.formats.clone())
                .unwrap_or_default(),
            masks: MaskPatterns::default(),
        })
    }
}

/// One rule's effective setting for a path and where it came from (`candor config`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSetting {
    pub id: String,
    /// The level it runs at, or `off`.
    pub level: String,
    /// Where that came from: `rule file PATH`, `CONFIG:LINE`, `--select`, `--ignore`.
    pub from: String,
    /// Options a configuration sets (`key: value`), each with `CONFIG:LINE`.
    pub options: Vec<(String, String)>,
}

/// The effective settings for one path and where each came from (`candor config PATH`).
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The configuration file used, as shown; `None` when there is none.
    pub config: Option<String>,
    /// `Some(CONFIG:LINE)` when an `ignore:` glob matches the path: it is not linted.
    pub ignored_by: Option<String>,
    /// Pack folders loaded beside the built-in pack, each with where it was named.
    pub packs: Vec<(String, String)>,
    pub rules: Vec<RuleSetting>,
    /// Accepted terms, each with `CONFIG:LINE`.
    pub vocabulary: Vec<(String, String)>,
}

impl Resolver {
    /// What applies to `path` (a file to lint) and where each setting came from.
    pub fn settings(&mut self, path: &Path) -> Result<Settings, ConfigError> {
        let (abs, config) = self.config_of(path, false)?;
        let mut out = Settings::default();
        for dir in &self.cli_rules {
            out.packs
                .push((dir.display().to_string(), "--rules".to_string()));
        }
        let base = self.base_rules(config)?.clone();
        let effective = match self.resolve(path)? {
            Resolved::Lint(e) => Some(e),
            Resolved::Ignored => None,
        };
        let cfg = config.map(|i| &self.configs[i]);
        let line_of = |cfg: &Config, section: Option<usize>, needle: &str| {
            let line = cfg.error_in(section, needle, "").line;
            format!("{}:{line}", cfg.shown)
        };
        if let Some(cfg) = cfg {
            out.config = Some(cfg.shown.clone());
            let rel = cfg.relative(&abs, path);
            if let Some(g) = cfg.ignore.iter().find(|g| g.matches(rel)) {
                let glob = g
                    .matcher
                    .glob()
                    .glob()
                    .trim_start_matches("**/")
                    .to_string();
                out.ignored_by = Some(format!("{} (`{glob}`)", line_of(cfg, None, &glob)));
            }
            for p in &cfg.packs {
                let name = p.strip_prefix(&cfg.dir).unwrap_or(p).display().to_string();
                let from = line_of(cfg, None, &name);
                out.packs.push((p.display().to_string(), from));
            }
        }
        let sections: Vec<(Option<usize>, &Section)> = match cfg {
            Some(cfg) => {
                let rel = cfg.relative(&abs, path);
                std::iter::once((None, &cfg.top))
                    .chain(
                        cfg.sections_for(rel)
                            .into_iter()
                            .map(|s| (Some(s), &cfg.sections[s].1)),
                    )
                    .collect()
            }
            None => Vec::new(),
        };
        let empty = Selection::default();
        let file_selection = cfg.map_or(&empty, |c| &c.selection);
        for rule in base.iter() {
            let id = rule.meta().id.to_string();
            let mut setting = RuleSetting {
                id: id.clone(),
                level: match effective.as_ref().and_then(|e| e.rules.get(&id)) {
                    Some(r) => r.meta().level.as_str().to_string(),
                    None => "off".to_string(),
                },
                from: match base.stored(&id) {
                    Some(stored) => format!("rule file {}", stored.path),
                    None => "built in".to_string(),
                },
                options: Vec::new(),
            };
            if let Some(cfg) = cfg {
                for (at, section) in &sections {
                    for (rid, o) in section.rules.iter().flat_map(|r| &r.0) {
                        if *rid != id {
                            continue;
                        }
                        if o.setting.is_some() {
                            setting.from = line_of(cfg, *at, rid);
                        }
                        for (k, v) in &o.options {
                            let value = serde_norway::to_string(v).unwrap_or_default();
                            setting
                                .options
                                .retain(|(key, _)| !key.starts_with(&format!("{k}:")));
                            setting
                                .options
                                .push((format!("{k}: {}", value.trim()), line_of(cfg, *at, rid)));
                        }
                    }
                }
            }
            let cli_select = self.selection.select.is_some();
            let select_from = |c: Option<&Config>| match c.filter(|_| !cli_select) {
                Some(c) => format!("{} (select: does not name it)", line_of(c, None, "select:")),
                None => "--select (does not name it)".to_string(),
            };
            if self.selection.ignores(&id) {
                setting.from = "--ignore".to_string();
            } else if let Some(c) = cfg.filter(|c| c.selection.ignores(&id)) {
                setting.from = format!("{} (ignore-rules:)", line_of(c, None, "ignore-rules:"));
            } else if !self.selection.over(file_selection).selects(&id) {
                setting.from = select_from(cfg);
            }
            out.rules.push(setting);
        }
        if let Some(cfg) = cfg {
            for (at, section) in &sections {
                for t in section.vocabulary.iter().flatten() {
                    out.vocabulary.push((t.0.clone(), line_of(cfg, *at, &t.0)));
                }
            }
        }
        Ok(out)
    }
}

/// A rule file's keys with a configuration's level and options put in: options key by key, the
/// configuration's value winning.
fn merged_spec(
    spec: &RuleSpec,
    level: Option<Severity>,
    options: &BTreeMap<String, serde_norway::Value>,
) -> RuleSpec {
    let mut spec = spec.clone();
    if let Some(l) = level {
        spec.level = Some(l.as_str().to_string());
    }
    if !options.is_empty() {
        let mut merged = spec.options.take().unwrap_or_default();
        merged.extend(options.iter().map(|(k, v)| (k.clone(), v.clone())));
        spec.options = Some(merged);
    }
    spec
}

/// Every rule id a config names must be loaded (built in, a pack, or `--rules`).
fn check_rule_ids(cfg: &Config, rules: &RuleSet) -> Result<(), ConfigError> {
    let known: Vec<String> = rules
        .iter()
        .map(|r| r.meta().id.to_string())
        .chain(rules.skipped.iter().map(|s| s.id.clone()))
        .chain(
            crate::suppress::COMMENT_CHECKS
                .iter()
                .map(|id| id.to_string()),
        )
        .collect();
    let known_set: HashSet<&str> = known.iter().map(String::as_str).collect();
    for (at, section) in cfg.all_sections() {
        for (id, _) in section.rules.iter().flat_map(|r| &r.0) {
            if known_set.contains(id.as_str()) {
                continue;
            }
            let near = known
                .iter()
                .map(|k| (strsim::jaro_winkler(k, id), k))
                .filter(|(score, _)| *score > 0.85)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, k)| format!(" (did you mean `{k}`?)"))
                .unwrap_or_default();
            return Err(cfg.error_in(
                at,
                id,
                format!("no rule `{id}` is loaded{near}; `candor rules` lists them"),
            ));
        }
    }
    Ok(())
}

/// `path` made absolute and, when it exists, with symlinks and `..` resolved.
fn absolute(path: &Path) -> PathBuf {
    path.canonicalize()
        .or_else(|_| std::path::absolute(path))
        .unwrap_or_else(|_| path.to_path_buf())
}

/// A path as users see it: relative to the working folder when it is inside it.
fn shown_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match cwd.as_deref().and_then(|c| abs.strip_prefix(c).ok()) {
        Some(rel) if !rel.as_os_str().is_empty() => rel.display().to_string(),
        _ => path.display().to_string(),
    }
}

/// Writes the starter `.candor.yaml` into `dir`; refuses to overwrite one that exists.
pub fn init(dir: &Path) -> Result<PathBuf, String> {
    let path = if dir == Path::new(".") {
        PathBuf::from(FILE_NAMES[0])
    } else {
        dir.join(FILE_NAMES[0])
    };
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => format!(
                "{} already exists; not overwriting it (edit it, or remove it and run `candor init` again)",
                path.display()
            ),
            _ => format!("cannot create {}: {e}", path.display()),
        })?;
    std::io::Write::write_all(&mut file, STARTER.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(Path::new("/nowhere/.candor.yaml"), text)
    }

    #[test]
    fn starter_and_empty_files_parse() {
        let c = parse(STARTER).unwrap();
        assert!(c.packs.is_empty() && c.ignore.is_empty() && c.sections.is_empty());
        parse("").unwrap();
        parse("# only a comment\n").unwrap();
    }

    #[test]
    fn short_and_long_rule_entries() {
        let c = parse(
            "rules:\n  A.B: off\n  A.C: warning\n  A.D: false\n  A.E:\n    level: error\n    options: {allow: true}\n",
        )
        .unwrap();
        let rules = &c.top.rules.as_ref().unwrap().0;
        assert_eq!(rules[0].1.setting, Some(Setting::Off));
        assert_eq!(rules[1].1.setting, Some(Setting::Level(Severity::Warning)));
        assert_eq!(rules[2].1.setting, Some(Setting::Off));
        assert_eq!(rules[3].1.setting, Some(Setting::Level(Severity::Error)));
        assert_eq!(
            rules[3].1.options.get("allow"),
            Some(&serde_norway::Value::Bool(true))
        );
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("rules:\n  A.B: loud\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("`loud` is not a rule setting"), "{e}");

        let e = parse("rules:\n  A.B: off\nignroe: []\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");
        assert!(e.message.contains("ignroe"), "{e}");

        let e = parse("rules:\n  A.B:\n    levle: error\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");

        let e = parse("ignore:\n  - \"a/[b\"\n").unwrap_err();
        assert_eq!(e.line, 2, "{e}");
        assert!(e.message.contains("not a valid glob"), "{e}");

        let e = parse("vocabulary:\n  - ok\n  - \"(bad\"\n").unwrap_err();
        assert_eq!(e.line, 3, "{e}");

        let e = parse("packs: [missing/pack]\n").unwrap_err();
        assert!(e.message.contains("does not exist"), "{e}");
    }

    #[test]
    fn config_options_merge_into_the_rule_files_options() {
        let spec: RuleSpec = serde_norway::from_str(
            "extends: placeholder\nlevel: warning\noptions:\n  allow: false\n  known: [first_name]\n",
        )
        .unwrap();
        let c =
            parse("rules:\n  Candor.Placeholder:\n    level: error\n    options: {allow: true}\n")
                .unwrap();
        let o = &c.top.rules.as_ref().unwrap().0[0].1;
        let merged = merged_spec(&spec, Some(Severity::Error), &o.options);
        assert_eq!(merged.level.as_deref(), Some("error"));
        let options = merged.options.unwrap();
        assert_eq!(options["allow"], serde_norway::Value::Bool(true));
        // Keys the config does not mention keep the rule file's value.
        assert_eq!(
            options["known"],
            serde_norway::from_str::<serde_norway::Value>("[first_name]").unwrap()
        );
        // Nothing to change: the spec comes back as it was.
        assert_eq!(merged_spec(&spec, None, &BTreeMap::new()), spec);
    }

    #[test]
    fn globs_are_relative_and_slashless_ones_match_at_any_depth() {
        let g = Glob::new("macros/**").unwrap();
        assert!(g.matches(Path::new("macros/a/b.md")));
        assert!(!g.matches(Path::new("docs/macros/b.md")));
        let g = Glob::new("*.txt").unwrap();
        assert!(g.matches(Path::new("a/b/c.txt")));
        assert!(!g.matches(Path::new("a/b/c.md")));
        let g = Glob::new("drafts").unwrap();
        assert!(g.matches(Path::new("x/drafts/c.md")));
        let g = Glob::new("docs/*.md").unwrap();
        assert!(!g.matches(Path::new("docs/sub/c.md")));
    }
}
