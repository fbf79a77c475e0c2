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

/// `Vale.Spelling` as Vale 3 makes it: the built-in en_US dictionary, plus every Hunspell
/// dictionary in `<StylesPath>/config/dictionaries`, and the words of every file under
/// `<StylesPath>/config/ignore` accepted.
fn spelling_rule(styles: &Path) -> String {
    use crate::rules::types::spelling::files_under;
    let dictionaries = styles.join("config").join("dictionaries");
    let names: Vec<String> = files_under(&dictionaries)
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "dic") && p.with_extension("aff").is_file())
        .filter(|p| p.parent() == Some(dictionaries.as_path()))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let ignore: Vec<String> = files_under(&styles.join("config").join("ignore"))
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    let mut text =
        "extends: spelling\nmessage: \"Did you really mean '%s'?\"\nlevel: error\n".to_string();
    if !names.is_empty() {
        let dicpath =
            serde_json::to_string(&dictionaries.display().to_string()).unwrap_or_default();
        let names = serde_json::to_string(&names).unwrap_or_default();
        text.push_str(&format!(
            "dicpath: {dicpath}\ndictionaries: {names}\nappend: true\n"
        ));
    }
    if !ignore.is_empty() {
        let ignore = serde_json::to_string(&ignore).unwrap_or_default();
        text.push_str(&format!("ignore: {ignore}\n"));
    }
    text
}

/// Adds the rules of Vale's built-in style to `rules`: `Vale.Repetition` always, `Vale.Terms`
/// for accepted words, `Vale.Avoid` for rejected ones and `Vale.Spelling` (see
/// [`spelling_rule`]); each runs as any style's rule does, when `BasedOnStyles` names `Vale`
/// or a section turns it on.
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
    if let Some(styles) = &ini.styles_path {
        files.push(("Spelling.yml", spelling_rule(styles)));
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
    /// Classes of inline HTML elements whose text no rule sees: Vale's own (`code`, `pre`,
    /// `problematic`) and `IgnoredClasses`.
    pub skip_classes: Vec<String>,
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
    let mut skip_classes: Vec<String> = ["problematic", "pre", "code"].map(String::from).to_vec();
    skip_classes.extend(
        applied
            .iter()
            .flat_map(|s| s.ignored_classes.iter().cloned()),
    );
    let (styles, by_rule) = settings(ini, sections);
    let styles: HashSet<&str> = styles.iter().map(String::as_str).collect();
    let (accept, _) = vocabulary(ini);
    // Spelling rules take the accepted terms as filters in any case ("definately" accepts
    // "Definately"), as Vale's do.
    let spelling_filters: Vec<String> = accept
        .iter()
        .map(|term| format!("(?i)^(?:{term})$"))
        .filter(|f| regex_syntax::Parser::new().parse(f).is_ok())
        .collect();
    let spelling: Vec<String> = rules
        .stored_ids()
        .filter(|id| {
            !spelling_filters.is_empty()
                && rules
                    .stored(id)
                    .is_some_and(|s| s.spec.extends == "spelling")
        })
        .map(str::to_string)
        .collect();
    let levels = by_rule.iter().filter_map(|(id, setting)| match setting {
        ValeSetting::Level(_) => Some(id.clone()),
        _ => None,
    });
    let reconfigured: std::collections::BTreeSet<String> = levels.chain(spelling).collect();
    let mut replacements = Vec::new();
    for id in &reconfigured {
        let Some(stored) = rules.stored(id).cloned() else {
            continue;
        };
        let mut spec = stored.spec.clone();
        if let Some(ValeSetting::Level(level)) = by_rule.get(id) {
            spec.level = Some(level.as_str().to_string());
        }
        if spec.extends == "spelling" {
            let mut filters = spec.filters.take().unwrap_or_default();
            filters.extend(spelling_filters.iter().cloned());
            spec.filters = Some(filters);
        }
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
    Applied {
        rules,
        accept,
        token_ignores,
        block_ignores,
        skip_quotes,
        skip_strong,
        skip_classes,
    }
}

fn level_rank(level: Severity) -> u8 {
    match level {
        Severity::Suggestion => 0,
        Severity::Warning => 1,
        Severity::Error => 2,
    }
}
