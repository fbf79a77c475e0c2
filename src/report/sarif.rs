//! `--format sarif`: a SARIF 2.1.0 log, the format GitHub code scanning, Azure DevOps and IDE
//! SARIF viewers read.
//!
//! One run; `tool.driver.rules` lists every rule the run used (id, short and full description
//! from the rule's `description:`, `helpUri` from its `link:`, default level), each result points
//! at its rule by `ruleId` and `ruleIndex`. A result's region carries both line/column (columns
//! in Unicode code points, declared with `columnKind`) and `byteOffset`/`byteLength`, so a viewer
//! lands on the exact bytes. `Diagnostic.related` (the customer's question a reply ignores)
//! becomes `relatedLocations`; an unambiguous rewrite becomes a `fixes` entry.
//!
//! The output is checked against the official OASIS schema in `tests/ci_formats.rs`.

use std::ops::Range;

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::{Positions, Report, RuleDescriptor};
use crate::diagnostic::{Applicability, Diagnostic, Severity};

/// The schema URI SARIF consumers expect in `$schema`.
pub const SCHEMA_URI: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

#[derive(Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    pub version: &'static str,
    pub runs: Vec<Run>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    pub tool: Tool,
    pub column_kind: &'static str,
    pub results: Vec<SarifResult>,
}

#[derive(Serialize)]
pub struct Tool {
    pub driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    pub name: &'static str,
    pub semantic_version: &'static str,
    pub rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    pub id: String,
    pub short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help_uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<Text>,
    pub default_configuration: Configuration,
}

#[derive(Serialize)]
pub struct Configuration {
    pub level: &'static str,
}

#[derive(Serialize)]
pub struct Text {
    pub text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: &'static str,
    pub message: Text,
    pub locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related_locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fixes: Vec<Fix>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub properties: Option<Properties>,
}

/// Rewrites the rule offers, best first (SARIF's property bag: free-form, tool-defined).
#[derive(Serialize)]
pub struct Properties {
    pub suggestions: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<usize>,
    pub physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    pub region: Region,
}

#[derive(Serialize)]
pub struct ArtifactLocation {
    pub uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    pub start_column: usize,
    pub end_line: usize,
    pub end_column: usize,
    pub byte_offset: usize,
    pub byte_length: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Fix {
    pub description: Text,
    pub artifact_changes: Vec<ArtifactChange>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ArtifactChange {
    pub artifact_location: ArtifactLocation,
    pub replacements: Vec<Replacement>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Replacement {
    pub deleted_region: Region,
    pub inserted_content: Text,
}

/// SARIF's level for a Candor severity (SARIF has no "suggestion"; "note" is its mildest).
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Suggestion => "note",
    }
}

/// Characters left as they are in a URI path: RFC 3986 unreserved, sub-delims, `@` and `/`.
/// `:` is escaped so a relative path like `a:b.md` cannot read as a scheme.
const PATH: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~')
    .remove(b'!')
    .remove(b'$')
    .remove(b'&')
    .remove(b'\'')
    .remove(b'(')
    .remove(b')')
    .remove(b'*')
    .remove(b'+')
    .remove(b',')
    .remove(b';')
    .remove(b'=')
    .remove(b'@')
    .remove(b'/');

/// A path as a SARIF artifact URI: relative paths stay relative (GitHub resolves them against
/// the repository root), absolute ones become `file://` URIs; either way percent-encoded so
/// spaces, `%` and non-ASCII names survive.
pub fn artifact_uri(path: &str) -> String {
    let slashed = path.replace('\\', "/");
    let is_windows_absolute = slashed.as_bytes().get(1) == Some(&b':')
        && slashed.as_bytes()[0].is_ascii_alphabetic()
        && slashed.as_bytes().get(2) == Some(&b'/');
    if is_windows_absolute {
        let (drive, rest) = slashed.split_at(2);
        return format!("file:///{drive}{}", utf8_percent_encode(rest, PATH));
    }
    let trimmed = slashed.strip_prefix("./").unwrap_or(&slashed);
    let encoded = utf8_percent_encode(trimmed, PATH).to_string();
    if slashed.starts_with('/') {
        format!("file://{encoded}")
    } else {
        encoded
    }
}

/// Whether `link` is an absolute URI (`scheme:...`), which is what `helpUri` must be.
fn is_absolute_uri(link: &str) -> bool {
    let Some((scheme, rest)) = link.split_once(':') else {
        return false;
    };
    !rest.is_empty()
        && !link.contains(char::is_whitespace)
        && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// The first sentence (or line) of a description, for `shortDescription`.
fn first_sentence(text: &str) -> &str {
    let line = text.trim().lines().next().unwrap_or("").trim();
    match line.find(". ") {
        Some(i) => &line[..=i],
        None => line,
    }
}

fn rule_entry(d: &RuleDescriptor) -> Rule {
    let description = d.description.trim();
    let short = first_sentence(description);
    let link = d.link.as_deref().map(str::trim).filter(|l| !l.is_empty());
    let help_uri = link.filter(|l| is_absolute_uri(l)).map(str::to_string);
    let help = match (description.is_empty(), link) {
        (true, None) => None,
        (false, None) => Some(description.to_string()),
        (true, Some(l)) => Some(format!("See {l}")),
        (false, Some(l)) => Some(format!("{description}\n\nSee {l}")),
    };
    Rule {
        id: d.id.to_string(),
        short_description: Text {
            text: if short.is_empty() {
                d.id.to_string()
            } else {
                short.to_string()
            },
        },
        full_description: (!description.is_empty()).then(|| Text {
            text: description.to_string(),
        }),
        help_uri,
        help: help.map(|text| Text { text }),
        default_configuration: Configuration {
            level: level(d.level),
        },
    }
}

/// Regions of spans in the report's files.
struct Regions<'a> {
    positions: Positions<'a>,
}

impl<'a> Regions<'a> {
    fn region(&mut self, path: &'a str, span: &Range<usize>) -> Region {
        let p = self.positions.of(path, span);
        Region {
            start_line: p.line,
            start_column: p.column,
            end_line: p.end_line,
            end_column: p.end_column,
            byte_offset: span.start,
            byte_length: span.end.saturating_sub(span.start),
        }
    }

    fn location(&mut self, path: &'a str, span: &Range<usize>) -> PhysicalLocation {
        PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: artifact_uri(path),
            },
            region: self.region(path, span),
        }
    }
}

/// The rule list: every described rule, plus a bare entry for any rule that reported without a
/// descriptor (so every `ruleIndex` points at a real entry). Sorted by id.
fn rule_list(report: &Report) -> Vec<RuleDescriptor> {
    let mut rules = report.rules.clone();
    for d in report.files.iter().flat_map(|f| &f.diagnostics) {
        if !rules.iter().any(|r| r.id == d.rule) {
            rules.push(RuleDescriptor {
                id: d.rule.clone(),
                description: String::new(),
                link: d.link.clone(),
                level: d.severity,
            });
        }
    }
    rules.sort_by(|a, b| a.id.cmp(&b.id));
    rules.dedup_by(|a, b| a.id == b.id);
    rules
}

fn result<'a>(
    d: &'a Diagnostic,
    path: &'a str,
    rule_index: usize,
    regions: &mut Regions<'a>,
) -> SarifResult {
    let related_locations = d
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| Location {
            id: Some(i + 1),
            physical_location: regions.location(&r.path, &r.span),
            message: Some(Text {
                text: r.message.clone(),
            }),
        })
        .collect();
    let fixes = d
        .fix
        .iter()
        .map(|edit| Fix {
            description: Text {
                text: match (edit.replacement.is_empty(), edit.applicability) {
                    (true, Applicability::Safe) => "Remove it".to_string(),
                    (true, Applicability::Unsafe) => {
                        "Remove it (unsafe fix: check the meaning)".to_string()
                    }
                    (false, Applicability::Safe) => format!("Replace with '{}'", edit.replacement),
                    (false, Applicability::Unsafe) => format!(
                        "Replace with '{}' (unsafe fix: check the meaning)",
                        edit.replacement
                    ),
                },
            },
            artifact_changes: vec![ArtifactChange {
                artifact_location: ArtifactLocation {
                    uri: artifact_uri(path),
                },
                replacements: vec![Replacement {
                    deleted_region: regions.region(path, &edit.span),
                    inserted_content: Text {
                        text: edit.replacement.clone(),
                    },
                }],
            }],
        })
        .collect();
    SarifResult {
        rule_id: d.rule.to_string(),
        rule_index,
        level: level(d.severity),
        message: Text {
            text: d.message.to_string(),
        },
        locations: vec![Location {
            id: None,
            physical_location: regions.location(path, &d.span),
            message: None,
        }],
        related_locations,
        fixes,
        properties: (!d.suggestions.is_empty()).then(|| Properties {
            suggestions: d.suggestions.to_vec(),
        }),
    }
}

/// The report as a SARIF log value.
pub fn to_log(report: &Report) -> Log {
    let rules = rule_list(report);
    let mut results = Vec::new();
    each_result(report, &rules, |r| {
        results.push(r);
        Ok::<(), std::convert::Infallible>(())
    })
    .unwrap_or_else(|never| match never {});
    Log {
        schema: SCHEMA_URI,
        version: "2.1.0",
        runs: vec![Run {
            tool: tool(&rules),
            column_kind: COLUMN_KIND,
            results,
        }],
    }
}

const COLUMN_KIND: &str = "unicodeCodePoints";

fn tool(rules: &[RuleDescriptor]) -> Tool {
    Tool {
        driver: Driver {
            name: "candor",
            semantic_version: env!("CARGO_PKG_VERSION"),
            rules: rules.iter().map(rule_entry).collect(),
        },
    }
}

/// Makes each result of the report in turn and hands it to `take`.
fn each_result<E>(
    report: &Report,
    rules: &[RuleDescriptor],
    mut take: impl FnMut(SarifResult) -> Result<(), E>,
) -> Result<(), E> {
    let mut regions = Regions {
        positions: Positions::new(report),
    };
    // Rules are sorted by id: each finding's index is found by a binary search.
    for f in &report.files {
        for d in &f.diagnostics {
            let rule_index = rules.binary_search_by(|r| r.id.cmp(&d.rule)).unwrap_or(0);
            take(result(d, &f.path, rule_index, &mut regions))?;
        }
        regions.positions.done_with(&f.path);
    }
    Ok(())
}

/// The same log as [`to_log`], each result made as it is written: a report dense with
/// findings is never held whole.
struct Streamed<'a> {
    report: &'a Report,
    rules: Vec<RuleDescriptor>,
}

impl Serialize for Streamed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Log", 3)?;
        out.serialize_field("$schema", SCHEMA_URI)?;
        out.serialize_field("version", "2.1.0")?;
        out.serialize_field("runs", &[StreamedRun(self)])?;
        out.end()
    }
}

struct StreamedRun<'s, 'a>(&'s Streamed<'a>);

impl Serialize for StreamedRun<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut out = s.serialize_struct("Run", 3)?;
        out.serialize_field("tool", &tool(&self.0.rules))?;
        out.serialize_field("columnKind", COLUMN_KIND)?;
        out.serialize_field("results", &StreamedResults(self.0))?;
        out.end()
    }
}

struct StreamedResults<'s, 'a>(&'s Streamed<'a>);

impl Serialize for StreamedResults<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let Streamed { report, rules } = self.0;
        let count = report.files.iter().map(|f| f.diagnostics.len()).sum();
        let mut seq = s.serialize_seq(Some(count))?;
        each_result(report, rules, |r| seq.serialize_element(&r))?;
        seq.end()
    }
}

/// Writes the report to `out`, as [`render`] returns it.
pub fn write(report: &Report, mut out: impl std::io::Write) -> std::io::Result<()> {
    let streamed = Streamed {
        report,
        rules: rule_list(report),
    };
    serde_json::to_writer_pretty(&mut out, &streamed)?;
    out.write_all(b"\n")
}

pub fn render(report: &Report) -> String {
    let mut out = Vec::new();
    write(report, &mut out).expect("SARIF log serialises");
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_uris_are_percent_encoded_and_keep_relative_paths_relative() {
        assert_eq!(artifact_uri("docs/reply.md"), "docs/reply.md");
        assert_eq!(artifact_uri("./docs/reply.md"), "docs/reply.md");
        assert_eq!(artifact_uri("my reply 100%.md"), "my%20reply%20100%25.md");
        assert_eq!(artifact_uri("réponse.md"), "r%C3%A9ponse.md");
        assert_eq!(artifact_uri("a:b.md"), "a%3Ab.md");
        assert_eq!(artifact_uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(
            artifact_uri("/srv/my docs/a.md"),
            "file:///srv/my%20docs/a.md"
        );
        assert_eq!(artifact_uri(r"C:\docs\a b.md"), "file:///C:/docs/a%20b.md");
    }

    #[test]
    fn only_absolute_links_become_help_uris() {
        assert!(is_absolute_uri("https://example.com/rules#x"));
        assert!(is_absolute_uri("mailto:docs@example.com"));
        assert!(!is_absolute_uri("docs/rules.md"));
        assert!(!is_absolute_uri("see: the wiki"));
        assert!(!is_absolute_uri("https:"));
    }

    #[test]
    fn short_description_is_the_first_sentence() {
        assert_eq!(
            first_sentence("Stock phrases. They carry nothing."),
            "Stock phrases."
        );
        assert_eq!(first_sentence("One line\nsecond line"), "One line");
        assert_eq!(first_sentence("e.g.no space"), "e.g.no space");
    }
}
