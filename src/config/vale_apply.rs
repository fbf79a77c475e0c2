//! What a `.vale.ini` makes of the loaded rules for one file: Vale's built-in style `Vale`
//! (Repetition, and Terms / Avoid from the vocabularies), the styles a file is based on, each
//! `Style.Rule` setting, and `MinAlertLevel`.
//!
//! Why it matters: Vale runs only the rules of the styles a section names (plus the rules it
//! turns on one by one) and drops alerts below `MinAlertLevel`; Candor's own pack runs as usual
//! beside them, and a user turns it off the usual way.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use super::vale_ini::{ValeIni, ValeSetting};
use crate::diagnostic::Severity;
use crate::rules::RuleSet;

/// The pack of Candor's own rules: not a Vale style, so `BasedOnStyles` does not turn it off.
const CANDOR_PACK: &str = "Candor";

/// Shown as the path of Vale's built-in rules.
const BUILT_IN_PATH: &str = "<Vale's built-in style>";

/// The words of the vocabularies `ini` names: (accepted, rejected), in file order.
pub fn vocabulary(ini: &ValeIni) -> (Vec<String>, Vec<String>) {
    let (mut accept, mut reject) = (Vec::new(), Vec::new());
    let Some(styles) = &ini.styles_path else {
        return (accept, reject);
    };
    for name in &ini.vocab {
        let dir = styles.join("config").join("vocabularies").join(name);
        accept.extend(read_word_list(&dir.join("accept.txt")));
        reject.extend(read_word_list(&dir.join("reject.txt")));
    }
    (accept, reject)
}

/// One entry a line; blank lines and `#` comments left out. A missing list is empty.
fn read_word_list(path: &Path) -> Vec<String> {
    let Ok(bytes) = crate::source::read::read_regular(path) else {
        return Vec::new();
    };
    String::from_utf8_lossy(&bytes)
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_string)
        .collect()
}

/// Adds the rules of Vale's built-in style to `rules`: `Vale.Repetition` always, `Vale.Terms`
/// for accepted words and `Vale.Avoid` for rejected ones. (`Vale.Spelling` needs Vale's
/// embedded dictionary, which Candor does not ship.)
pub fn add_built_in_style(ini: &ValeIni, rules: &mut RuleSet) {
    let (accept, reject) = vocabulary(ini);
    let mut files = vec![(
        "Repetition.yml",
        "extends: repetition\nmessage: \"'%s' is repeated!\"\nlevel: error\nscope: text\nalpha: true\ntokens: ['[^\\s]+']\n".to_string(),
    )];
    let terms: Vec<&String> = accept
        .iter()
        .filter(|w| {
            w.chars()
                .all(|c| c.is_alphanumeric() || c == ' ' || c == '-')
        })
        .collect();
    if !terms.is_empty() {
        let mut swap = BTreeMap::new();
        for t in terms {
            // A later vocabulary's spelling wins.
            swap.insert(t.to_lowercase(), t.clone());
        }
        let swap = serde_json::to_string(&swap).unwrap_or_default();
        files.push((
            "Terms.yml",
            format!("extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nlevel: error\nscope: text\nignorecase: true\nvocab: false\noptions: {{exact_case: true}}\nswap: {swap}\n"),
        ));
    }
    if !reject.is_empty() {
        let tokens = serde_json::to_string(&reject).unwrap_or_default();
        files.push((
            "Avoid.yml",
            format!("extends: existence\nmessage: \"Avoid using '%s'.\"\nlevel: error\nscope: text\nvocab: false\ntokens: {tokens}\n"),
        ));
    }
    for (file, text) in files {
        if let Err(e) = rules.add_file("Vale", file, BUILT_IN_PATH, &text) {
            rules.warnings.push(e);
        }
    }
}

/// The rule settings of the sections that apply (`sections`: indexes into `ini.sections`, in
/// file order): the styles the file is based on, and each rule's setting.
fn settings(ini: &ValeIni, sections: &[usize]) -> (Vec<String>, BTreeMap<String, ValeSetting>) {
    let mut styles = ini.global.based_on.clone().unwrap_or_default();
    let mut by_rule: BTreeMap<String, ValeSetting> = ini.global.rules.iter().cloned().collect();
    for &i in sections {
        let s = &ini.sections[i];
        if let Some(based_on) = &s.based_on {
            styles = based_on.clone();
        }
        by_rule.extend(s.rules.iter().cloned());
    }
    (styles, by_rule)
}

/// What a `.vale.ini` makes of one file's rule set.
pub struct Applied {
    pub rules: RuleSet,
    /// Accepted words (each a pattern matched against a whole finding).
    pub accept: Vec<String>,
    /// `TokenIgnores` and `BlockIgnores` of the sections that apply, and whether block quotes
    /// are skipped.
    pub token_ignores: Vec<String>,
    pub block_ignores: Vec<String>,
    pub skip_quotes: bool,
    /// `IgnoredScopes = strong`.
    pub skip_strong: bool,
}

/// The rules Vale would run on a file the `sections` apply to, plus Candor's own, with their
/// levels set, and what to mask.
pub fn apply(ini: &ValeIni, sections: &[usize], mut rules: RuleSet) -> Applied {
    let applied: Vec<&super::vale_ini::ValeSection> = std::iter::once(&ini.global)
        .chain(sections.iter().map(|&i| &ini.sections[i]))
        .collect();
    let token_ignores = applied
        .iter()
        .flat_map(|s| s.token_ignores.iter().cloned())
        .collect();
    let block_ignores = applied
        .iter()
        .flat_map(|s| s.block_ignores.iter().cloned())
        .collect();
    let skip_quotes = applied
        .iter()
        .filter_map(|s| s.skipped_scopes.as_ref())
        .next_back()
        .is_some_and(|scopes| scopes.iter().any(|s| s == "blockquote"));
    let skip_strong = applied
        .iter()
        .filter_map(|s| s.ignored_scopes.as_ref())
        .next_back()
        .is_some_and(|scopes| scopes.iter().any(|s| s == "strong" || s == "b"));
    let (styles, by_rule) = settings(ini, sections);
    let styles: HashSet<&str> = styles.iter().map(String::as_str).collect();
    let mut replacements = Vec::new();
    for (id, setting) in &by_rule {
        let ValeSetting::Level(level) = setting else {
            continue;
        };
        let Some(stored) = rules.stored(id).cloned() else {
            continue;
        };
        let mut spec = stored.spec.clone();
        spec.level = Some(level.as_str().to_string());
        match rules.compile_reconfigured(id, spec) {
            Ok(rule) => replacements.extend(rule),
            Err(e) => rules.warnings.push(e),
        }
    }
    rules.replace_and_drop(replacements, &HashSet::new());
    let min = ini.min_alert_level;
    rules.retain(|rule| {
        let meta = rule.meta();
        if meta.pack == CANDOR_PACK && !by_rule.contains_key(&*meta.id) {
            return true;
        }
        let on = match by_rule.get(&*meta.id) {
            Some(ValeSetting::Off) => false,
            Some(_) => true,
            None => styles.contains(meta.pack.as_str()),
        };
        on && level_rank(meta.level) >= level_rank(min)
    });
    let (accept, _) = vocabulary(ini);
    Applied {
        rules,
        accept,
        token_ignores,
        block_ignores,
        skip_quotes,
        skip_strong,
    }
}

fn level_rank(level: Severity) -> u8 {
    match level {
        Severity::Suggestion => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}
