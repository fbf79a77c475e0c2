//! Helpdesk macro exports: the reply text inside JSON, YAML and CSV files (and HTML bodies),
//! read so that every finding points at the exact bytes in the file.
//!
//! Each reader yields [`TextField`]s: a value with its path and an [`OffsetMap`] from the
//! decoded value to the file (JSON escapes, YAML folding and quoting, CSV `""`). [`shapes`]
//! picks the fields that hold macro text; HTML bodies are reduced to text by [`html`], whose map
//! is composed with the field's. The document is marked as a template
//! ([`Origin::Template`]), so rules can expect `{{placeholders}}` in it.
//!
//! Which files: named on the command line, always; found in a folder, only when they look like
//! a macro export (or with `--macros`), so `package.json` in a docs repo stays out of it.

pub mod fields;
pub mod html;
pub mod shapes;
pub mod table;
pub mod yaml;

use std::ops::Range;
use std::path::{Path, PathBuf};

pub use fields::FieldPath;

use crate::document::{Document, Format, OffsetMap, Origin, Part, TemplateKind};
use crate::error::InputError;
use crate::source::json_strings::{self, JsonString, Step};

/// A string value found in a structured file.
#[derive(Debug, Clone)]
pub struct TextField {
    /// Keys and indices from the root to the value (for CSV: row, column name).
    pub path: Vec<Step>,
    /// The decoded value.
    pub value: String,
    /// Byte range of the value in the file (quotes included where there are any).
    pub span: Range<usize>,
    /// Maps `value`'s bytes to the file's.
    pub map: OffsetMap,
}

impl From<JsonString> for TextField {
    fn from(s: JsonString) -> Self {
        TextField {
            path: s.path,
            value: s.value,
            span: s.literal,
            map: s.map,
        }
    }
}

/// A kind of file this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Json,
    Yaml,
    Csv,
    Html,
}

impl FileKind {
    /// The kind for a file's extension, if this module reads it.
    pub fn for_path(path: &Path) -> Option<FileKind> {
        FileKind::from_extension(path.extension()?.to_str()?)
    }

    /// The kind an extension (without its dot) names, in any case.
    pub fn from_extension(ext: &str) -> Option<FileKind> {
        Some(match ext.to_ascii_lowercase().as_str() {
            "json" => FileKind::Json,
            "yaml" | "yml" => FileKind::Yaml,
            "csv" => FileKind::Csv,
            "html" | "htm" => FileKind::Html,
            _ => return None,
        })
    }

    /// Whether files of this kind found in folders may be macro exports (HTML pages are not).
    pub fn may_be_export(self) -> bool {
        !matches!(self, FileKind::Html)
    }
}

/// How to read structured files.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `--field`: read the JSON/YAML values at these paths instead of guessing.
    pub fields: Vec<FieldPath>,
    /// `--column`: read this CSV column instead of guessing.
    pub column: Option<String>,
    /// Read the file only if it looks like a macro export; skip anything else (including a
    /// file that does not parse) without a word. Set for files found by walking a folder.
    pub only_exports: bool,
}

/// What reading one structured file gave.
#[derive(Debug)]
pub enum Read {
    /// The text to lint, with notes for the user (YAML documents with nothing to lint, say).
    Doc(Document, Vec<String>),
    /// Nothing to lint; `note` says why when the user should hear it.
    Skip { note: Option<String> },
    /// A conversation thread (`{"messages": [{"role": ...}]}`), for the thread reader.
    Thread,
}

/// Reads `text`, the contents of `path`, as a file of `kind`.
pub fn read(
    path: &Path,
    text: String,
    kind: FileKind,
    opts: &ReadOptions,
) -> Result<Read, InputError> {
    let malformed = |what: &'static str, location: String, message: String| {
        if opts.only_exports {
            Ok(Read::Skip { note: None })
        } else {
            Err(InputError::Malformed {
                path: path.to_path_buf(),
                what,
                location,
                message,
            })
        }
    };
    // A YAML stream's documents are read one by one, each choosing its own text; the rest
    // of a file is one document.
    let docs: Vec<Vec<TextField>> = match kind {
        FileKind::Html => {
            let (reduced, map) = html::reduce(&text);
            let part = Part {
                text: reduced,
                map,
                format: Format::Text,
                quoted: false,
            };
            let whole = std::iter::once(0..text.len()).collect();
            return Ok(Read::Doc(
                Document::from_parts(text, Format::Text, vec![part]).with_part_extents(whole),
                Vec::new(),
            ));
        }
        FileKind::Csv => {
            return read_csv(path, text, opts);
        }
        FileKind::Json => match json_fields(&text) {
            Ok(all) => vec![all],
            Err(e) => {
                return malformed("JSON", format!("{}:{}", e.line, e.column), e.message);
            }
        },
        FileKind::Yaml => match yaml::documents(&text) {
            Ok(all) => all,
            Err(e) => return malformed("YAML", format!("{}:{}", e.line, e.column), e.message),
        },
    };
    if kind == FileKind::Json && shapes::is_thread(&docs[0]) {
        return Ok(Read::Thread);
    }
    let mut fields: Vec<TextField> = Vec::new();
    let mut choices: Vec<shapes::Choice> = Vec::new();
    // Documents of a stream with nothing to lint, 1-based, when others have some.
    let mut empty_docs: Vec<usize> = Vec::new();
    let count = docs.len();
    for (n, doc) in docs.into_iter().enumerate() {
        let offset = fields.len();
        let mut chosen = choose(&doc, opts);
        if chosen.is_empty() {
            empty_docs.push(n + 1);
        }
        for c in &mut chosen {
            c.index += offset;
        }
        choices.extend(chosen);
        // Moved, not copied, when it is the only document: a list of all the fields twice was
        // the peak of reading a big export.
        if fields.is_empty() {
            fields = doc;
        } else {
            fields.extend(doc);
        }
    }
    let mut notes = Vec::new();
    if count > 1 && !choices.is_empty() && !empty_docs.is_empty() && !opts.only_exports {
        let list: Vec<String> = empty_docs.iter().map(usize::to_string).collect();
        notes.push(format!(
            "YAML document{} {} of {count} {} no text to lint (the other documents were linted)",
            if empty_docs.len() == 1 { "" } else { "s" },
            list.join(", "),
            if empty_docs.len() == 1 { "has" } else { "have" },
        ));
    }
    finish(text, fields, choices, opts, notes)
}

/// The fields of one document that hold text to lint.
fn choose(fields: &[TextField], opts: &ReadOptions) -> Vec<shapes::Choice> {
    if !opts.fields.is_empty() {
        shapes::by_paths(fields, &opts.fields)
    } else if opts.only_exports {
        // Found in a folder: only a helpdesk's own export shape counts. A generic list of
        // titles and texts may be anything (a generated search index, test data).
        let mut known = shapes::known_export(fields);
        known.retain(|c| c.kind != TemplateKind::Fields);
        known
    } else {
        let known = shapes::known_export(fields);
        if known.is_empty() {
            shapes::guessed(fields)
        } else {
            known
        }
    }
}

/// The document of the chosen fields, or a skip saying why there is none.
fn finish(
    text: String,
    fields: Vec<TextField>,
    choices: Vec<shapes::Choice>,
    opts: &ReadOptions,
    notes: Vec<String>,
) -> Result<Read, InputError> {
    if choices.is_empty() {
        if opts.only_exports {
            return Ok(Read::Skip { note: None });
        }
        let note = if opts.fields.is_empty() {
            format!(
                "no text to lint: not a Zendesk, Help Scout, Freshdesk or Intercom export and no field named {}; name the field with --field PATH",
                shapes::BODY_KEYS.join(", ")
            )
        } else {
            let asked: Vec<String> = opts.fields.iter().map(|f| f.to_string()).collect();
            format!(
                "no text to lint: no string value matches --field {}",
                asked.join(", --field ")
            )
        };
        return Ok(Read::Skip { note: Some(note) });
    }
    let kind = choices[0].kind;
    let extents = choices
        .iter()
        .map(|c| fields[c.index].span.clone())
        .collect();
    // A field chosen once (always, unless two `--field` paths name it) gives its text to its
    // part rather than a copy, and the fields are gone before the parts are parsed: an export
    // of many short macros held each body three times.
    let mut uses = vec![0u32; fields.len()];
    for c in &choices {
        uses[c.index] += 1;
    }
    let mut fields = fields;
    let parts = choices
        .iter()
        .map(|c| {
            uses[c.index] -= 1;
            let field = &mut fields[c.index];
            if uses[c.index] == 0 {
                let (value, map) = (
                    std::mem::take(&mut field.value),
                    std::mem::take(&mut field.map),
                );
                part(value, map, c.html)
            } else {
                part(field.value.clone(), field.map.clone(), c.html)
            }
        })
        .collect();
    drop(fields);
    Ok(Read::Doc(
        Document::from_parts(text, Format::Text, parts)
            .with_origin(Origin::Template(kind))
            .with_part_extents(extents),
        notes,
    ))
}

/// The string values of a JSON file. A byte-order mark (Windows tools write one) is not JSON:
/// the rest is parsed, and its maps shifted past the mark.
fn json_fields(text: &str) -> Result<Vec<TextField>, json_strings::JsonError> {
    const BOM: &str = "\u{feff}";
    let Some(rest) = text.strip_prefix(BOM) else {
        return Ok(json_strings::strings(text)?
            .into_iter()
            .map(TextField::from)
            .collect());
    };
    let mut past_bom = OffsetMap::default();
    past_bom.push_verbatim(BOM.len(), rest.len());
    Ok(json_strings::strings(rest)?
        .into_iter()
        .map(|s| TextField {
            map: s.map.compose(&past_bom),
            span: s.literal.start + BOM.len()..s.literal.end + BOM.len(),
            path: s.path,
            value: s.value,
        })
        .collect())
}

/// A field's text as a document part; an HTML body is reduced to its text first.
fn part(value: String, map: OffsetMap, html: bool) -> Part {
    let (text, map) = if html {
        let (reduced, to_value) = html::reduce(&value);
        (reduced, to_value.compose(&map))
    } else {
        (value, map)
    };
    Part {
        text,
        map,
        format: Format::Text,
        quoted: false,
    }
}

fn read_csv(path: &Path, text: String, opts: &ReadOptions) -> Result<Read, InputError> {
    let column = match table::column(&text, opts.column.as_deref()) {
        Ok(c) => c,
        Err(_) if opts.only_exports => return Ok(Read::Skip { note: None }),
        Err(table::CsvProblem::Invalid { line, message }) => {
            return Err(InputError::Malformed {
                path: path.to_path_buf(),
                what: "CSV",
                location: line.to_string(),
                message,
            })
        }
        Err(table::CsvProblem::NoSuchColumn { asked, columns }) => {
            return Err(InputError::Unusable {
                path: PathBuf::from(path),
                message: format!(
                    "--column {asked}: no such column (the header has: {})",
                    columns.join(", ")
                ),
            })
        }
        Err(table::CsvProblem::NoBodyColumn { columns }) => {
            return Ok(Read::Skip {
                note: Some(format!(
                    "no text to lint: no column named {} (the header has: {}); name one with --column NAME",
                    table::BODY_COLUMNS.join(", "),
                    columns.join(", ")
                )),
            })
        }
    };
    if opts.only_exports && !column.titled {
        return Ok(Read::Skip { note: None });
    }
    let extents = column.cells.iter().map(|c| c.span.clone()).collect();
    let parts = column
        .cells
        .into_iter()
        .map(|c| {
            let html = html::looks_like_html(&c.value);
            part(c.value, c.map, html)
        })
        .collect();
    Ok(Read::Doc(
        Document::from_parts(text, Format::Text, parts)
            .with_origin(Origin::Template(TemplateKind::Csv))
            .with_part_extents(extents),
        Vec::new(),
    ))
}
