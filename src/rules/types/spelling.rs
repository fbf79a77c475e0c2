//! `extends: spelling` — flags words no Hunspell dictionary of the rule knows.
//!
//! What it catches: typos and misspellings ("recieve", "teh") in prose; code, inline code and
//! words the rule's `filters` or ignore files name are left alone.
//! Why it matters: a misspelled word in a reply or a doc page reads as carelessness, and a docs
//! team that runs Vale's spelling rule expects the same findings from Candor.
//! Example:
//! ```yaml
//! extends: spelling
//! message: "Did you really mean '%s'?"
//! level: error
//! filters: ['[pP]y.*\b']      # words any of these patterns matches are not checked
//! ignore: [Vocab/ignore.txt]  # one word per line, from the StylesPath
//! ```
//! As in Vale: without `dictionaries` (or `dic`/`aff`) the built-in American English dictionary
//! is used (SCOWL's en_US, see `dictionaries/en_US/README.md`); `dictionaries` names
//! `<name>.aff`/`<name>.dic` pairs in `dicpath` (absolute, from the StylesPath or from the
//! working folder), and `append: true` keeps the built-in one beside them. Unless `custom:
//! true`, words with a character other than an ASCII letter, `_` or `'`, words ending in
//! capitals (acronyms) and mixed-case names (`JavaScript`) are not checked. Dictionaries load
//! the first time the rule runs, not when the pack loads.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use regex::Regex;

use crate::check::{CheckContext, Findings};
use crate::document::markdown::CODE_MASK;
use crate::error::ConfigError;
use crate::rules::{compiled, units, Rule, RuleMeta, RuleSource};

/// The built-in dictionary (see `dictionaries/en_US/README.md`).
const EN_US_AFF: &str = include_str!("../../../dictionaries/en_US/en_US.aff");
const EN_US_DIC: &str = include_str!("../../../dictionaries/en_US/en_US.dic");

/// Vale's default filters (turned off by `custom: true`): mixed-case names, words ending in
/// capitals, and words with anything but ASCII letters, `_` and `'`.
const DEFAULT_FILTERS: &[&str] = &[r"[A-Z]{1}[a-z]+[A-Z]+\w+", r"[A-Z]+$", r"[^a-zA-Z_']"];

#[derive(Debug)]
pub struct Spelling {
    meta: RuleMeta,
    /// `(aff, dic)` files, read and parsed on first use; the built-in pair if `builtin`.
    files: Vec<(PathBuf, PathBuf)>,
    builtin: bool,
    /// Files of words to accept (one a line).
    ignore_files: Vec<PathBuf>,
    filters: Vec<Regex>,
    dictionaries: OnceLock<Result<Vec<spellbook::Dictionary>, String>>,
    /// The ignore files' words, lower-cased: a word matches in any case ("HTTPie" for
    /// `httpie`), as in Vale.
    ignored: OnceLock<Result<HashSet<String>, String>>,
}

/// Every file under `dir`, sorted (none if it is not a folder).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.is_file() {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// Where `relative` is: as written if absolute, else from the StylesPath, else from the
/// working folder (Vale's order).
fn locate(relative: &str, styles: &Path, want_dir: bool) -> Option<PathBuf> {
    let given = Path::new(relative);
    let candidates = if given.is_absolute() {
        vec![given.to_path_buf()]
    } else {
        vec![styles.join(given), given.to_path_buf()]
    };
    candidates
        .into_iter()
        .find(|p| if want_dir { p.is_dir() } else { p.is_file() })
}

impl Spelling {
    pub fn compile(src: &RuleSource<'_>) -> Result<Self, ConfigError> {
        let spec = &src.spec;
        let meta = src.meta("Did you really mean '%s'?")?;
        // The StylesPath: the folder of the rule's pack folder.
        let styles = Path::new(src.path)
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut files = Vec::new();
        if let (Some(aff), Some(dic)) = (&spec.aff, &spec.dic) {
            let (Some(aff), Some(dic)) = (locate(aff, &styles, false), locate(dic, &styles, false))
            else {
                return Err(src.error_at("aff", "the `aff`/`dic` files were not found"));
            };
            files.push((aff, dic));
        }
        let names = spec.dictionaries.clone().unwrap_or_default();
        if !names.is_empty() {
            let dir = match &spec.dicpath {
                Some(d) => locate(d, &styles, true).ok_or_else(|| {
                    src.error_at(
                        "dicpath",
                        format!("`dicpath: {d}` is not a folder (looked in the StylesPath and the working folder)"),
                    )
                })?,
                None => styles.clone(),
            };
            for name in &names {
                let aff = dir.join(format!("{name}.aff"));
                let dic = dir.join(format!("{name}.dic"));
                if !aff.is_file() || !dic.is_file() {
                    return Err(src.error_at(
                        name,
                        format!(
                            "dictionary `{name}`: no {name}.aff and {name}.dic in {}",
                            dir.display()
                        ),
                    ));
                }
                files.push((aff, dic));
            }
        }
        let builtin = files.is_empty() || spec.append;
        let mut ignore_files = Vec::new();
        for name in spec.ignore.clone().unwrap_or_default() {
            let path = locate(&name, &styles, false).ok_or_else(|| {
                src.error_at("ignore", format!("ignore file `{name}` was not found"))
            })?;
            ignore_files.push(path);
        }
        let mut filters = Vec::new();
        for f in spec.filters.clone().unwrap_or_default() {
            filters.push(src.regex(&f, &f)?);
        }
        if !spec.custom {
            filters.extend(
                DEFAULT_FILTERS
                    .iter()
                    .map(|f| Regex::new(f).expect("valid")),
            );
        }
        Ok(Spelling {
            meta,
            files,
            builtin,
            ignore_files,
            filters,
            dictionaries: OnceLock::new(),
            ignored: OnceLock::new(),
        })
    }

    /// The dictionaries, read and parsed now (once).
    fn load(&self) -> Result<&[spellbook::Dictionary], &str> {
        self.dictionaries
            .get_or_init(|| {
                let mut out = Vec::with_capacity(self.files.len() + 1);
                if self.builtin {
                    out.push(parse(EN_US_AFF, EN_US_DIC, "the built-in en_US")?);
                }
                for (aff, dic) in &self.files {
                    let aff_bytes =
                        std::fs::read(aff).map_err(|e| format!("{}: {e}", aff.display()))?;
                    let encoding = declared_encoding(&String::from_utf8_lossy(&aff_bytes));
                    let aff_text = read_text(aff, encoding.as_deref())?;
                    let dic_text = read_text(dic, encoding.as_deref())?;
                    out.push(parse(&aff_text, &dic_text, &dic.display().to_string())?);
                }
                Ok(out)
            })
            .as_ref()
            .map(Vec::as_slice)
            .map_err(String::as_str)
    }
}

/// Parses a dictionary. As in Vale, a hyphenated word is checked whole: unless the `.aff` file
/// sets `BREAK` itself, Hunspell's default of checking each part (which accepts
/// "human-friendly") is turned off.
impl Spelling {
    /// The ignore files' words (read once).
    fn ignored(&self) -> Result<&HashSet<String>, &str> {
        self.ignored
            .get_or_init(|| {
                let mut words = HashSet::new();
                for file in &self.ignore_files {
                    let text = read_text(file, None)?;
                    words.extend(
                        text.lines()
                            .map(str::trim)
                            .filter(|w| !w.is_empty() && !w.starts_with('#'))
                            .map(str::to_lowercase),
                    );
                }
                Ok(words)
            })
            .as_ref()
            .map_err(String::as_str)
    }
}

fn parse(aff: &str, dic: &str, name: &str) -> Result<spellbook::Dictionary, String> {
    let sets_break = aff.lines().any(|l| l.trim_start().starts_with("BREAK"));
    let aff = if sets_break {
        aff.to_string()
    } else {
        format!("{aff}\nBREAK 0\n")
    };
    spellbook::Dictionary::new(&aff, dic).map_err(|e| format!("dictionary {name}: {e}"))
}

/// The `SET` encoding an `.aff` file declares, upper-cased (`None`: none, or UTF-8).
fn declared_encoding(aff: &str) -> Option<String> {
    let set = aff.lines().find_map(|l| l.trim().strip_prefix("SET "))?;
    let set = set.trim().to_ascii_uppercase();
    (set != "UTF-8" && set != "UTF8").then_some(set)
}

/// A dictionary file as text: UTF-8 when it is valid UTF-8 (a byte-order mark dropped),
/// whatever `SET` says (files declaring ISO 8859-1 often hold UTF-8 `ICONV` lines, which is
/// how Vale reads them); otherwise ISO 8859-1 when the `.aff` file declares it. Other
/// encodings are refused with their name.
fn read_text(path: &Path, encoding: Option<&str>) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text.trim_start_matches('\u{feff}').to_string()),
        Err(e) => e.into_bytes(),
    };
    match encoding {
        Some("ISO8859-1" | "ISO-8859-1" | "LATIN1") => {
            Ok(bytes.iter().map(|&b| b as char).collect())
        }
        other => Err(format!(
            "{}: not UTF-8, and its encoding ({}) is not ISO8859-1, the other one Candor reads",
            path.display(),
            other.unwrap_or("none declared")
        )),
    }
}

/// The words of `text` as Vale's tokenizer gives them, with their byte ranges: runs between
/// white space with the punctuation around them trimmed (`"(see` gives `see`; inner hyphens
/// and apostrophes stay: `human-friendly`, `doesn't`).
fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut at = 0;
    text.split(char::is_whitespace).filter_map(move |chunk| {
        let start = at;
        at += chunk.len()
            + text[start + chunk.len()..]
                .chars()
                .next()
                .map_or(0, char::len_utf8);
        let trimmed = chunk.trim_start_matches(|c: char| !c.is_alphanumeric());
        let lead = chunk.len() - trimmed.len();
        let word = trimmed.trim_end_matches(|c: char| !c.is_alphanumeric());
        (!word.is_empty()).then_some((start + lead, word))
    })
}

impl Rule for Spelling {
    fn meta(&self) -> &RuleMeta {
        &self.meta
    }

    fn check(&self, cx: &CheckContext<'_>, out: &mut Findings) {
        let units = units(cx.doc, &self.meta.scope);
        if units.is_empty() {
            return;
        }
        let Some(dictionaries) = compiled(self.load(), &self.meta, out) else {
            return;
        };
        let Some(ignored) = compiled(self.ignored(), &self.meta, out) else {
            return;
        };
        for unit in units {
            for (at, word) in words(unit.text) {
                if word.contains(CODE_MASK)
                    || self.filters.iter().any(|f| f.is_match(word))
                    || ignored.contains(&word.to_lowercase())
                    || dictionaries.iter().any(|d| d.check(word))
                {
                    continue;
                }
                let span = unit.to_source(at..at + word.len());
                out.push(self.meta.diagnostic(span, self.meta.format(&[word])));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::spec::RuleSpec;

    fn rule(yaml: &str, path: &str) -> Result<Spelling, ConfigError> {
        let spec: RuleSpec = serde_norway::from_str(yaml).unwrap();
        Spelling::compile(&RuleSource {
            pack: "T",
            name: "Spell",
            path,
            text: yaml,
            spec,
            vale: true,
        })
    }

    #[test]
    fn words_are_cut_at_white_space_with_their_punctuation_trimmed() {
        let text = "(see) human-friendly, doesn't \"work\".";
        let got: Vec<(usize, &str)> = words(text).collect();
        assert_eq!(
            got,
            [
                (1, "see"),
                (6, "human-friendly"),
                (22, "doesn't"),
                (31, "work")
            ]
        );
        for (at, w) in got {
            assert_eq!(&text[at..at + w.len()], w);
        }
    }

    #[test]
    fn the_built_in_dictionary_knows_english_and_not_typos() {
        let r = rule("extends: spelling\n", "styles/T/Spell.yml").unwrap();
        let d = r.load().unwrap();
        assert!(d[0].check("receive") && d[0].check("Doesn’t") && d[0].check("customers"));
        assert!(!d[0].check("recieve") && !d[0].check("teh"));
        // Checked whole, as Vale does (Hunspell alone would accept each part).
        assert!(!d[0].check("customer-frendly") && !d[0].check("human-friendly"));
    }

    #[test]
    fn a_missing_dictionary_is_an_error_naming_it() {
        let e = rule(
            "extends: spelling\ndicpath: /nonexistent\ndictionaries: [xx]\n",
            "styles/T/Spell.yml",
        )
        .unwrap_err();
        assert!(e.to_string().contains("dicpath"), "{e}");
    }

    #[test]
    fn an_iso_8859_1_dictionary_is_read_as_the_aff_file_declares() {
        let dir = std::env::temp_dir().join(format!("candor-spell-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("dics")).unwrap();
        std::fs::write(dir.join("dics/fr.aff"), b"SET ISO8859-1\n").unwrap();
        std::fs::write(dir.join("dics/fr.dic"), b"1\ncaf\xe9\n").unwrap();
        let yaml = format!(
            "extends: spelling\ndicpath: {}\ndictionaries: [fr]\ncustom: true\n",
            dir.join("dics").display()
        );
        let r = rule(&yaml, "styles/T/Spell.yml").unwrap();
        let d = r.load().unwrap();
        assert_eq!(d.len(), 1, "no built-in dictionary without `append`");
        assert!(d[0].check("café"));
        assert!(!d[0].check("receive"));
        std::fs::remove_dir_all(&dir).ok();
    }
}
