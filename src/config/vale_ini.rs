//! `.vale.ini`: Vale's own configuration, read where no `.candor.yaml` applies, so a repository
//! that runs Vale today runs Candor with no edits.
//!
//! What it reads: `StylesPath`, `MinAlertLevel` (Vale's default `warning`), `Vocab`
//! (`config/vocabularies/<name>/accept.txt` and `reject.txt`), `[formats]`, `[*]` and glob
//! sections with `BasedOnStyles` and `Style.Rule = YES | NO | suggestion | warning | error`,
//! `TokenIgnores` / `BlockIgnores` / `IgnorePatterns` (text masked before rules run) and
//! `SkippedScopes = blockquote`, `IgnoredScopes = strong` (code is skipped anyway),
//! `IgnoredClasses` (inline HTML elements of those classes). Vale's other settings are read but
//! not acted on (the run says so once). A later matching section's
//! `BasedOnStyles` replaces an earlier one's and its rule settings win, as in Vale.
//! Why it matters: docs teams keep their `.vale.ini` and StylesPath; Candor lints with them as
//! they are.
//!
//! ```ini
//! StylesPath = styles
//! MinAlertLevel = suggestion
//! Vocab = Docs
//!
//! [*.md]
//! BasedOnStyles = Vale, Microsoft
//! Microsoft.We = NO
//! ```
//!
//! Vale's dialect is plain INI: `key = value` lines, `[section]` headers, `#` and `;` comments
//! (go-ini's), values taken as written after the first `=`; a small reader keeps each key's
//! line for errors and the sections in file order, which a generic INI crate does not promise.

use std::path::{Path, PathBuf};

use crate::diagnostic::Severity;
use crate::error::ConfigError;

/// File names Vale looks for in each folder, first match wins.
pub const FILE_NAMES: &[&str] = &[".vale.ini", "_vale.ini", "vale.ini"];

/// What a Vale configuration says about one rule (`Style.Rule = ...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValeSetting {
    Off,
    On,
    Level(Severity),
}

/// A `[glob]` section (or the settings before any section and `[*]`).
#[derive(Debug, Clone, Default)]
pub struct ValeSection {
    /// The glob as written (`*.md`, `*.{md,txt}`); `None` for the global settings.
    pub glob: Option<String>,
    /// `BasedOnStyles`, when the section sets it.
    pub based_on: Option<Vec<String>>,
    /// `Style.Rule` settings in file order.
    pub rules: Vec<(String, ValeSetting)>,
    /// `TokenIgnores`: patterns whose matches no rule sees.
    pub token_ignores: Vec<String>,
    /// `BlockIgnores` (and `IgnorePatterns`): patterns whose matches (whole blocks) no rule
    /// sees.
    pub block_ignores: Vec<String>,
    /// `SkippedScopes`: of these, Candor acts on `blockquote` (code and HTML it skips anyway).
    pub skipped_scopes: Option<Vec<String>>,
    /// `IgnoredScopes`: of these, Candor acts on `strong` (code it skips anyway).
    pub ignored_scopes: Option<Vec<String>>,
    /// `IgnoredClasses`: classes of inline HTML elements whose text no rule sees.
    pub ignored_classes: Vec<String>,
    /// Keys Candor reads but does not honour, with their line (said once at run time).
    pub unhonoured: Vec<(String, usize)>,
}

/// A parsed `.vale.ini`.
#[derive(Debug, Clone)]
pub struct ValeIni {
    /// Path shown in errors and notes.
    pub shown: String,
    /// Folder the file is in (relative paths start there).
    pub dir: PathBuf,
    pub styles_path: Option<PathBuf>,
    pub min_alert_level: Severity,
    pub vocab: Vec<String>,
    /// `[formats]`: extension (without dot) -> the format it is read as (`mdx = md`).
    pub formats: Vec<(String, String)>,
    /// The settings before any section, then `[*]` (merged), then each glob section.
    pub global: ValeSection,
    pub sections: Vec<ValeSection>,
}

/// Keys that hold a list separated by commas.
const LIST_KEYS: &[&str] = &[
    "BasedOnStyles",
    "Vocab",
    "TokenIgnores",
    "BlockIgnores",
    "IgnorePatterns",
    "SkippedScopes",
    "IgnoredScopes",
    "IgnoredClasses",
];

/// Vale settings Candor reads without acting on them (the run says so once).
const NOT_HONOURED: &[&str] = &[
    "WordTemplate",
    "Transform",
    "Lang",
    "Packages",
    "CommentDelimiters",
    "NLPEndpoint",
];

impl ValeIni {
    /// Reads and parses a `.vale.ini` at `path`.
    pub fn load(path: &Path) -> Result<ValeIni, ConfigError> {
        let shown = path.display().to_string();
        let bytes = crate::source::read::read_regular(path)
            .map_err(|e| ConfigError::whole_file(&shown, format!("cannot read config: {e}")))?;
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        ValeIni::parse(&shown, &dir, &text)
    }

    /// Parses the text of a `.vale.ini` read from `shown` in folder `dir`.
    pub fn parse(shown: &str, dir: &Path, text: &str) -> Result<ValeIni, ConfigError> {
        let mut ini = ValeIni {
            shown: shown.to_string(),
            dir: dir.to_path_buf(),
            styles_path: None,
            min_alert_level: Severity::Warning,
            vocab: Vec::new(),
            formats: Vec::new(),
            global: ValeSection::default(),
            sections: Vec::new(),
        };
        // Where keys go: the global settings, `[formats]`, or the last glob section.
        enum Target {
            Global,
            Formats,
            Section,
        }
        let mut target = Target::Global;
        let error = |line: usize, msg: String| ConfigError::at_line(shown, text, line, msg);
        for (i, raw) in text.lines().enumerate() {
            let line_no = i + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
                continue;
            }
            if let Some(header) = line.strip_prefix('[') {
                let Some(name) = header.strip_suffix(']') else {
                    return Err(error(
                        line_no,
                        format!("`{line}`: a section header needs `]`"),
                    ));
                };
                let name = name.trim();
                target = match name {
                    "*" => Target::Global,
                    "formats" => Target::Formats,
                    glob => {
                        globset::Glob::new(glob).map_err(|e| {
                            error(
                                line_no,
                                format!("`[{glob}]` is not a valid glob: {}", e.kind()),
                            )
                        })?;
                        ini.sections.push(ValeSection {
                            glob: Some(glob.to_string()),
                            ..ValeSection::default()
                        });
                        Target::Section
                    }
                };
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(error(
                    line_no,
                    format!("`{line}` is neither `key = value` nor a `[section]`"),
                ));
            };
            let (key, value) = (key.trim(), unquote(value.trim()));
            match target {
                Target::Formats => ini.formats.push((
                    key.trim_start_matches('.').to_ascii_lowercase(),
                    value.trim_start_matches('.').to_ascii_lowercase(),
                )),
                Target::Global | Target::Section => {
                    let global = matches!(target, Target::Global);
                    match key {
                        "StylesPath" if global => ini.styles_path = Some(dir.join(value)),
                        "MinAlertLevel" if global => {
                            ini.min_alert_level = Severity::parse(value).ok_or_else(|| {
                                error(
                                    line_no,
                                    format!("`MinAlertLevel = {value}` is not one of suggestion, warning, error"),
                                )
                            })?
                        }
                        "Vocab" if global => ini.vocab = list(value),
                        _ => {
                            let section = if global {
                                &mut ini.global
                            } else {
                                ini.sections.last_mut().expect("a section was pushed")
                            };
                            read_section_key(section, key, value, line_no)
                                .map_err(|msg| error(line_no, msg))?;
                        }
                    }
                }
            }
        }
        Ok(ini)
    }

    /// The format a file with extension `ext` is read as, when `[formats]` maps it.
    pub fn format_of(&self, ext: &str) -> Option<&str> {
        let ext = ext.to_ascii_lowercase();
        self.formats
            .iter()
            .rev()
            .find(|(from, _)| *from == ext)
            .map(|(_, to)| to.as_str())
    }

    /// The settings Candor does not act on, once each: `Key (file:line)`.
    pub fn unhonoured(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for s in std::iter::once(&self.global).chain(&self.sections) {
            for (key, line) in &s.unhonoured {
                if !out.iter().any(|o| o.starts_with(&format!("{key} "))) {
                    out.push(format!("{key} ({}:{line})", self.shown));
                }
            }
        }
        out
    }
}

fn read_section_key(
    section: &mut ValeSection,
    key: &str,
    value: &str,
    line_no: usize,
) -> Result<(), String> {
    match key {
        "BasedOnStyles" => section.based_on = Some(list(value)),
        "TokenIgnores" => section.token_ignores.extend(list(value)),
        "BlockIgnores" | "IgnorePatterns" => section.block_ignores.extend(list(value)),
        "SkippedScopes" => section.skipped_scopes = Some(list(value)),
        "IgnoredScopes" => section.ignored_scopes = Some(list(value)),
        "IgnoredClasses" => section.ignored_classes.extend(list(value)),
        k if NOT_HONOURED.contains(&k) || LIST_KEYS.contains(&k) => {
            section.unhonoured.push((k.to_string(), line_no))
        }
        k if k.contains('.') => {
            let setting = match value.to_ascii_lowercase().as_str() {
                "yes" | "true" | "on" => ValeSetting::On,
                "no" | "false" | "off" => ValeSetting::Off,
                other => ValeSetting::Level(Severity::parse(other).ok_or_else(|| {
                    format!("`{k} = {value}`: expected YES, NO, suggestion, warning or error")
                })?),
            };
            section.rules.push((k.to_string(), setting));
        }
        // Other keys (a style's own settings, Vale's newer ones) change nothing here.
        other => section.unhonoured.push((other.to_string(), line_no)),
    }
    Ok(())
}

/// A comma-separated list, trimmed, empty entries dropped.
fn list(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(|s| unquote(s.trim()).to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn unquote(value: &str) -> &str {
    for q in ['"', '\'', '`'] {
        if let Some(inner) = value.strip_prefix(q).and_then(|v| v.strip_suffix(q)) {
            return inner;
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_rules_and_defaults_are_read_in_order() {
        let text = "StylesPath = styles\nVocab = A, B\n\n[formats]\nmdx = md\n\n[*]\nBasedOnStyles = Vale\n\n[*.md]\nBasedOnStyles = Microsoft, write-good\nMicrosoft.We = NO\nwrite-good.E-Prime = error\nIgnoredScopes = code\n";
        let ini = ValeIni::parse(".vale.ini", Path::new("/p"), text).unwrap();
        assert_eq!(ini.styles_path.as_deref(), Some(Path::new("/p/styles")));
        assert_eq!(ini.min_alert_level, Severity::Warning);
        assert_eq!(ini.vocab, ["A", "B"]);
        assert_eq!(ini.format_of("MDX"), Some("md"));
        assert_eq!(
            ini.global.based_on.as_deref(),
            Some(&["Vale".to_string()][..])
        );
        let md = &ini.sections[0];
        assert_eq!(md.glob.as_deref(), Some("*.md"));
        assert_eq!(md.rules[0], ("Microsoft.We".to_string(), ValeSetting::Off));
        assert_eq!(
            md.rules[1],
            (
                "write-good.E-Prime".to_string(),
                ValeSetting::Level(Severity::Error)
            )
        );
        assert!(ini.unhonoured().is_empty());
        let ini = ValeIni::parse(".vale.ini", Path::new("/p"), "WordTemplate = x\n").unwrap();
        assert_eq!(ini.unhonoured(), ["WordTemplate (.vale.ini:1)"]);
    }

    #[test]
    fn bad_lines_name_their_line() {
        let err = ValeIni::parse(
            "v.ini",
            Path::new("."),
            "StylesPath = s\n[*.md]\nA.B = maybe\n",
        )
        .unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.contains("A.B = maybe"), "{}", err.message);
        let err = ValeIni::parse("v.ini", Path::new("."), "MinAlertLevel = loud\n").unwrap_err();
        assert_eq!(err.line, 1);
    }
}
