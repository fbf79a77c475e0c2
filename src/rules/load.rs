//! Loading rule packs: the built-in pack embedded at build time, then `--rules` folders.
//!
//! A pack is a folder of `.yml` files; a rule's id is `Pack.FileStem`. A folder given with
//! `--rules` is either a pack itself (it holds `.yml` files) or a Vale `StylesPath` (its
//! sub-folders are packs). A later rule with the same id replaces an earlier one.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use super::spec::{Head, RuleSpec};
use super::{types, Rule, RuleSource};
use crate::engine::prefilter::Prefilter;
use crate::error::ConfigError;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_rules.rs"));
}

/// The keys of a `extends: sequence` file but its `tokens` (a list of steps, which
/// [`types::sequence`] reads from the text), or `None` for a file of another type.
fn sequence_spec(text: &str) -> Option<Result<RuleSpec, String>> {
    if !text.contains("sequence") {
        return None;
    }
    let mut value: serde_norway::Value = serde_norway::from_str(text).ok()?;
    let map = value.as_mapping_mut()?;
    if map.get("extends").and_then(|v| v.as_str()) != Some("sequence") {
        return None;
    }
    map.remove("tokens");
    Some(serde_norway::from_value(value).map_err(|e| e.to_string()))
}

/// A rule file that loaded but is not used, and why.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub id: String,
    pub path: String,
    pub reason: String,
}

/// A rule file as parsed, kept so a configuration can compile the rule again with another level
/// or other options ([`RuleSet::reconfigure`]).
#[derive(Debug, Clone)]
pub struct StoredRule {
    pub pack: String,
    pub name: String,
    /// Path shown in errors.
    pub path: String,
    pub text: Arc<str>,
    pub spec: RuleSpec,
    /// Read as Vale reads it (see [`RuleSource::vale`]).
    pub vale: bool,
}

/// The rules a run uses, in a stable order (by id).
#[derive(Debug, Default, Clone)]
pub struct RuleSet {
    rules: Vec<Arc<dyn Rule>>,
    pub skipped: Vec<Skipped>,
    /// Rule files of a pack folder that could not be loaded (each names its file, line and
    /// reason): left out, so one bad rule never stops the others. A run reports them as
    /// warnings and fails on them only when asked to (`--strict-rules`).
    pub warnings: Vec<ConfigError>,
    /// Rule files added from now on are read as Vale reads them (for a `.vale.ini`; see
    /// [`RuleSource::vale`]).
    pub vale_reading: bool,
    /// Every loaded rule file (compiled or skipped) by id.
    stored: BTreeMap<String, Arc<StoredRule>>,
    /// Ids of rules added with [`RuleSet::push`] (they have no stored file).
    pushed: std::collections::HashSet<Arc<str>>,
    /// Built on first use; shared by clones, and still right for a subset after `retain`.
    prefilter: OnceLock<Arc<Prefilter<dyn Rule>>>,
}

impl RuleSet {
    /// The built-in pack alone.
    pub fn builtin() -> Result<RuleSet, ConfigError> {
        let mut set = RuleSet::default();
        for (rel, text, json) in embedded::EMBEDDED {
            let Some((pack, file)) = rel.split_once('/') else {
                continue;
            };
            let shown = format!("rules/{rel}");
            // The JSON form build.rs made of the file loads faster; the YAML one still gives
            // errors their lines.
            match json.and_then(|j| serde_json::from_str::<RuleSpec>(j).ok()) {
                Some(spec) => set.add_spec(pack, file, &shown, text, spec)?,
                None => set.add_file(pack, file, &shown, text)?,
            }
        }
        set.sort();
        Ok(set)
    }

    /// The built-in pack plus the packs in each of `dirs`, in order.
    pub fn load(dirs: &[impl AsRef<Path>]) -> Result<RuleSet, ConfigError> {
        RuleSet::load_with(dirs, false)
    }

    /// [`RuleSet::load`], the packs read as Vale reads them when `vale` (for a `.vale.ini`).
    pub fn load_with(dirs: &[impl AsRef<Path>], vale: bool) -> Result<RuleSet, ConfigError> {
        let mut set = RuleSet::builtin()?;
        set.vale_reading = vale;
        for dir in dirs {
            set.add_dir(dir.as_ref())?;
        }
        set.sort();
        Ok(set)
    }

    /// Adds a pack folder, or every pack folder inside a styles folder.
    pub fn add_dir(&mut self, dir: &Path) -> Result<(), ConfigError> {
        let shown = dir.display().to_string();
        let entries = read_dir_sorted(dir).map_err(|e| {
            ConfigError::whole_file(&shown, format!("cannot read rules folder: {e}"))
        })?;
        let has_rules = entries.iter().any(|p| is_rule_file(p));
        if has_rules {
            let pack = dir
                .canonicalize()
                .ok()
                .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
                .unwrap_or_else(|| "Custom".to_string());
            return self.add_pack(&pack, &entries);
        }
        for sub in entries.iter().filter(|p| p.is_dir()) {
            let pack = sub
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let files = read_dir_sorted(sub).map_err(|e| {
                ConfigError::whole_file(
                    sub.display().to_string(),
                    format!("cannot read rules folder: {e}"),
                )
            })?;
            self.add_pack(&pack, &files)?;
        }
        Ok(())
    }

    /// Adds every rule file of a pack; a file that cannot be loaded is kept as a warning
    /// ([`RuleSet::warnings`]) and the others still load.
    fn add_pack(&mut self, pack: &str, files: &[std::path::PathBuf]) -> Result<(), ConfigError> {
        for path in files.iter().filter(|p| is_rule_file(p)) {
            if let Err(e) = self.add_path(pack, path) {
                self.warnings.push(e);
            }
        }
        Ok(())
    }

    fn add_path(&mut self, pack: &str, path: &Path) -> Result<(), ConfigError> {
        let shown = path.display().to_string();
        let bytes = read_rule_file(path).map_err(|e| ConfigError::whole_file(&shown, e))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            ConfigError::whole_file(
                &shown,
                format!(
                    "rule file is not valid UTF-8 (byte {})",
                    e.utf8_error().valid_up_to()
                ),
            )
        })?;
        let file = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.add_file(pack, &file, &shown, &text)
    }

    /// Parses and compiles one rule file and adds it, replacing a rule with the same id.
    pub fn add_file(
        &mut self,
        pack: &str,
        file: &str,
        shown: &str,
        text: &str,
    ) -> Result<(), ConfigError> {
        if text.len() as u64 > MAX_RULE_FILE_BYTES {
            return Err(ConfigError::whole_file(
                shown,
                format!(
                    "rule file is larger than {}, the most a rule file may hold; split its lists into several rules",
                    crate::source::read::human_size(MAX_RULE_FILE_BYTES)
                ),
            ));
        }
        // A Vale type Candor does not run is skipped with a note, whatever keys it carries.
        if let Ok(Head {
            extends: Some(extends),
        }) = serde_norway::from_str::<Head>(text)
        {
            if types::UNSUPPORTED_VALE_TYPES.contains(&extends.as_str()) {
                let name = file.trim_end_matches(".yml").trim_end_matches(".yaml");
                let id = format!("{pack}.{name}");
                self.rules.retain(|r| *r.meta().id != *id);
                self.skipped.retain(|s| s.id != id);
                self.skipped.push(Skipped {
                    id,
                    path: shown.to_string(),
                    reason: types::skip_reason(&extends),
                });
                return Ok(());
            }
        }
        // One YAML parse for a good file; a bad one is read again only to say what is wrong
        // (a missing `extends:` before the keys the rule type does not know).
        let spec: RuleSpec = match sequence_spec(text) {
            // A sequence rule's `tokens` are steps, not strings: the rule type reads them.
            Some(spec) => spec.map_err(|e| ConfigError::whole_file(shown, e))?,
            None => match serde_norway::from_str(text) {
                Ok(spec) => spec,
                Err(spec_error) => {
                    let head: Head = serde_norway::from_str(text)
                        .map_err(|e| ConfigError::from_yaml(shown, text, &e))?;
                    if head.extends.is_none() {
                        return Err(ConfigError::at_line(
                            shown,
                            text,
                            1,
                            "rule file has no `extends:` key (the rule type)",
                        ));
                    }
                    return Err(ConfigError::from_yaml(shown, text, &spec_error));
                }
            },
        };
        self.add_spec(pack, file, shown, text, spec)
    }

    /// Compiles one parsed rule file and adds it, replacing a rule with the same id.
    fn add_spec(
        &mut self,
        pack: &str,
        file: &str,
        shown: &str,
        text: &str,
        spec: RuleSpec,
    ) -> Result<(), ConfigError> {
        let name = file.trim_end_matches(".yml").trim_end_matches(".yaml");
        let id = format!("{pack}.{name}");
        let src = RuleSource {
            pack,
            name,
            path: shown,
            text,
            spec,
            vale: self.vale_reading,
        };
        // Only a rule loaded before under the same id is replaced (not a scan of every rule for
        // every file: a pack of a thousand rules loaded in quadratic time).
        if self.stored.contains_key(&id) || self.pushed.contains(id.as_str()) {
            self.rules.retain(|r| *r.meta().id != *id);
            self.skipped.retain(|s| s.id != id);
        }
        self.stored.insert(
            id.clone(),
            Arc::new(StoredRule {
                pack: pack.to_string(),
                name: name.to_string(),
                path: shown.to_string(),
                text: Arc::from(text),
                spec: src.spec.clone(),
                vale: self.vale_reading,
            }),
        );
        self.prefilter = OnceLock::new();
        let compiled = types::compile(&src).inspect_err(|_| {
            // A file that does not compile is not a rule a configuration may name.
            self.stored.remove(&id);
        })?;
        match compiled {
            Some(rule) => self.rules.push(Arc::from(rule)),
            None => self.skipped.push(Skipped {
                id,
                path: shown.to_string(),
                reason: format!(
                    "`extends: {}` is a Vale rule type Candor does not run yet",
                    src.spec.extends
                ),
            }),
        }
        Ok(())
    }

    /// The parsed file of the rule `id` (compiled or skipped), if it was loaded from one.
    pub fn stored(&self, id: &str) -> Option<&Arc<StoredRule>> {
        self.stored.get(id)
    }

    /// The id of every loaded rule file, compiled or skipped, on or off.
    pub fn stored_ids(&self) -> impl Iterator<Item = &str> {
        self.stored.keys().map(String::as_str)
    }

    /// Compiles the rule `id` again from `spec` (its own file's keys with a configuration's level
    /// or options merged in) and puts it in place of the old one.
    pub fn reconfigure(&mut self, id: &str, spec: RuleSpec) -> Result<(), ConfigError> {
        if let Some(rule) = self.compile_reconfigured(id, spec)? {
            self.replace_and_drop(vec![rule], &HashSet::new());
        }
        Ok(())
    }

    /// The rule `id` compiled from `spec` (see [`RuleSet::reconfigure`]) without putting it in;
    /// `None` when its type is one Candor does not run. Put in with
    /// [`RuleSet::replace_and_drop`], many at once.
    pub fn compile_reconfigured(
        &self,
        id: &str,
        spec: RuleSpec,
    ) -> Result<Option<Arc<dyn Rule>>, ConfigError> {
        let Some(stored) = self.stored.get(id) else {
            return Err(ConfigError::whole_file(
                id,
                format!("rule `{id}` was not loaded from a file, so it cannot be reconfigured"),
            ));
        };
        let src = RuleSource {
            pack: &stored.pack,
            name: &stored.name,
            path: &stored.path,
            text: &stored.text,
            spec,
            vale: stored.vale,
        };
        Ok(types::compile(&src)?.map(Arc::from))
    }

    /// Puts each of `replacements` in place of the rule with its id and drops the rules named
    /// in `off`, in one pass (one rule at a time, a configuration setting thousands of rules
    /// took quadratic time).
    pub fn replace_and_drop(&mut self, replacements: Vec<Arc<dyn Rule>>, off: &HashSet<String>) {
        if replacements.is_empty() && off.is_empty() {
            return;
        }
        let mut by_id: HashMap<Arc<str>, Arc<dyn Rule>> = replacements
            .into_iter()
            .map(|r| (r.meta().id.clone(), r))
            .collect();
        let rules = std::mem::take(&mut self.rules);
        self.rules = rules
            .into_iter()
            .filter(|r| !off.contains(&*r.meta().id))
            .map(|r| by_id.remove(&r.meta().id).unwrap_or(r))
            .collect();
        // Replacements for rules not in the set (a skipped rule now compiles): added, sorted.
        if !by_id.is_empty() {
            self.rules.extend(by_id.into_values());
            self.sort();
        }
        self.prefilter = OnceLock::new();
    }

    /// Adds an already compiled rule (for tests and embedding).
    pub fn push(&mut self, rule: Arc<dyn Rule>) {
        self.rules.retain(|r| r.meta().id != rule.meta().id);
        self.pushed.insert(rule.meta().id.clone());
        self.rules.push(rule);
        self.prefilter = OnceLock::new();
        self.sort();
    }

    /// The automaton over every rule's literals (see [`crate::engine::prefilter`]), built once.
    pub fn prefilter(&self) -> &Prefilter<dyn Rule> {
        self.prefilter
            .get_or_init(|| Arc::new(Prefilter::new(&self.rules)))
    }

    /// Keeps only the rules `keep` accepts.
    pub fn retain(&mut self, mut keep: impl FnMut(&dyn Rule) -> bool) {
        self.rules.retain(|r| keep(r.as_ref()));
    }

    fn sort(&mut self) {
        self.rules.sort_by(|a, b| a.meta().id.cmp(&b.meta().id));
    }

    /// Tells every rule that a run of many files is about to start (see
    /// [`Rule::expect_large_run`]).
    pub fn expect_large_run(&self) {
        for rule in &self.rules {
            rule.expect_large_run();
        }
    }

    /// Lets every rule compile what a large run needs ([`Rule::warm_up`]), rules in parallel.
    pub fn warm_up(&self) {
        use rayon::prelude::*;
        rayon::join(
            || self.prefilter().warm_up(),
            || self.rules.par_iter().for_each(|rule| rule.warm_up()),
        );
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<dyn Rule>> {
        self.rules.iter()
    }

    pub fn get(&self, id: &str) -> Option<&Arc<dyn Rule>> {
        self.rules.iter().find(|r| &*r.meta().id == id)
    }

    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

/// The most a rule file may hold. A rule is a message and lists of words and patterns: the
/// largest Vale packs' files are under 100 KB, and a 10 MB list took minutes and a gigabyte to
/// load (YAML parse, one alternation of every token). A larger file is an error naming it.
pub const MAX_RULE_FILE_BYTES: u64 = 1 << 20;

/// The bytes of a rule file: a regular file (a FIFO or device named `*.yml` is refused by its
/// type, not read), at most [`MAX_RULE_FILE_BYTES`].
fn read_rule_file(path: &Path) -> Result<Vec<u8>, String> {
    use crate::source::read::{human_size, read_regular_up_to, ReadProblem};
    read_regular_up_to(path, MAX_RULE_FILE_BYTES).map_err(|problem| match problem {
        ReadProblem::TooLarge { limit } => format!(
            "rule file is larger than {}, the most a rule file may hold; split its lists into several rules",
            human_size(limit)
        ),
        ReadProblem::NotRegular(kind) => {
            format!("cannot read rule file: not a regular file ({kind})")
        }
        ReadProblem::Io(e) => format!("cannot read rule file: {e}"),
    })
}

fn is_rule_file(p: &Path) -> bool {
    p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml"))
}

fn read_dir_sorted(dir: &Path) -> std::io::Result<Vec<std::path::PathBuf>> {
    let mut v: Vec<_> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    v.sort();
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_built_in_rule_loads_the_same_from_its_json_form_as_from_its_yaml() {
        assert!(embedded::EMBEDDED.len() >= 7);
        for (rel, text, json) in embedded::EMBEDDED {
            let from_yaml: RuleSpec = serde_norway::from_str(text).unwrap();
            let json = json.unwrap_or_else(|| panic!("{rel} has no JSON form"));
            let from_json: RuleSpec = serde_json::from_str(json).unwrap();
            assert_eq!(from_json, from_yaml, "{rel}");
        }
    }

    const SAY: &str = "extends: existence\nmessage: x\ntokens: [kindly]\n";
    const SAY_OTHER: &str = "extends: existence\nmessage: y\ntokens: [kindly]\n";

    #[test]
    fn the_built_in_pack_needs_no_prefilter() {
        // Each built-in catalogue and GenericGreeting's pattern has a gate (see
        // `catalogue_gate`), so no built-in rule has literals for the prefilter to search.
        let pack = RuleSet::builtin().unwrap();
        assert!(pack.prefilter().searches_nothing());
    }

    #[test]
    fn a_later_rule_with_the_same_id_replaces_the_earlier_one() {
        let mut set = RuleSet::default();
        set.add_file("P", "A.yml", "A.yml", SAY).unwrap();
        set.add_file("P", "B.yml", "B.yml", SAY).unwrap();
        set.add_file("P", "A.yml", "A.yml", SAY_OTHER).unwrap();
        let ids: Vec<(String, String)> = set
            .iter()
            .map(|r| (r.meta().id.to_string(), r.meta().message.clone()))
            .collect();
        assert_eq!(ids.len(), 2, "{ids:?}");
        assert!(ids.contains(&("P.A".to_string(), "y".to_string())));
        // A pushed rule is replaced by a file of the same id too.
        let pushed = set.iter().find(|r| &*r.meta().id == "P.B").unwrap().clone();
        let mut other = RuleSet::default();
        other.push(pushed);
        other.add_file("P", "B.yml", "B.yml", SAY_OTHER).unwrap();
        assert_eq!(other.iter().count(), 1);
    }

    #[test]
    fn a_pack_with_a_bad_file_loads_the_others_and_keeps_a_warning() {
        let dir = tempfile::tempdir().unwrap();
        let pack = dir.path().join("P");
        std::fs::create_dir(&pack).unwrap();
        std::fs::write(pack.join("Good.yml"), SAY).unwrap();
        std::fs::write(
            pack.join("Bad.yml"),
            "extends: existence\nmessage: x\ntokens: ['(']\n",
        )
        .unwrap();
        // A Vale type Candor skips, with keys of its own: skipped with a note, not a warning.
        std::fs::write(
            pack.join("Seq.yml"),
            "extends: script\nmessage: x\nscript: check.tengo\n",
        )
        .unwrap();
        // A sequence rule's steps are maps, not strings: it loads all the same.
        std::fs::write(
            pack.join("Steps.yml"),
            "extends: sequence\nmessage: x\ntokens:\n  - tag: NN\n  - pattern: up\n",
        )
        .unwrap();
        let set = RuleSet::load(&[dir.path()]).unwrap();
        assert!(set.get("P.Good").is_some());
        assert!(set.get("P.Steps").is_some());
        assert!(set.get("P.Bad").is_none());
        assert_eq!(set.warnings.len(), 1, "{:?}", set.warnings);
        assert!(set.warnings[0].path.ends_with("Bad.yml"));
        assert_eq!(set.warnings[0].line, 3);
        assert_eq!(set.skipped.len(), 1);
        assert_eq!(set.skipped[0].id, "P.Seq");
    }

    #[test]
    fn a_file_without_extends_says_so_and_bad_keys_are_named() {
        let mut set = RuleSet::default();
        let err = set
            .add_file("P", "A.yml", "A.yml", "message: x\nbogus: 1\n")
            .unwrap_err();
        assert!(err.message.contains("no `extends:`"), "{}", err.message);
        let err = set
            .add_file("P", "A.yml", "A.yml", "extends: existence\nbogus: 1\n")
            .unwrap_err();
        assert!(err.message.contains("bogus"), "{}", err.message);
    }
}
