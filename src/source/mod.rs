//! Where text comes from: files named on the command line, folders walked with `.gitignore`
//! respected ([`walk`]), and standard input. [`open`] turns one of them into an [`Input`]: the
//! parsed document plus, when the file carries it, the customer's message.
//!
//! Readers for other kinds of files (emails, threads, helpdesk macro exports) plug in at
//! [`open_bytes`], chosen by the file's extension.

pub mod email;
pub mod json_strings;
pub mod macros;
pub mod read;
pub mod thread;
pub mod walk;
#[cfg(unix)]
mod walk_fd;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::Inbound;
use crate::document::{Document, Format};
use crate::error::InputError;
pub use macros::ReadOptions;

/// A file ready to lint.
#[derive(Debug)]
pub struct Input {
    /// Path as shown to the user (`<stdin>` or the name given with `--stdin-filename`).
    pub path: Arc<str>,
    pub doc: Document,
    /// The customer's message, when the file itself carries it (an email thread, say).
    pub inbound: Vec<Inbound>,
    /// How the file's bytes were decoded: `--fix` writes the fixed text back the same way.
    pub encoding: read::Encoding,
    /// What the user should hear about how it was read (decoded from UTF-16, say).
    pub notes: Vec<String>,
}

/// What reading one path gave.
#[derive(Debug)]
pub enum Loaded {
    Input(Input),
    /// A binary file (it has NUL bytes): skipped, with a note.
    Binary(PathBuf),
    /// A file with nothing to lint (a JSON file with no macro text, say): skipped, with a note
    /// when the user should hear why.
    Skipped {
        path: PathBuf,
        note: Option<String>,
    },
}

/// Reads and parses a file; `format` overrides the one its extension implies.
pub fn open(path: &Path, format: Option<Format>) -> Result<Loaded, InputError> {
    open_with(path, format, &ReadOptions::default())
}

/// [`open`], with options for structured files (macro exports).
pub fn open_with(
    path: &Path,
    format: Option<Format>,
    opts: &ReadOptions,
) -> Result<Loaded, InputError> {
    let bytes = read::read_regular(path).map_err(|p| InputError::from_read(path, p))?;
    open_bytes_with(path, bytes, format, opts)
}

/// All of standard input; an error names it as `shown`.
fn read_stdin(shown: &str) -> Result<Vec<u8>, InputError> {
    read::read_bounded(std::io::stdin().lock(), 0, read::max_bytes())
        .map_err(|p| InputError::from_read(Path::new(shown), p))
}

/// Reads standard input to the end and parses it as `format`.
pub fn open_stdin(shown: &str, format: Format) -> Result<Loaded, InputError> {
    let bytes = read_stdin(shown)?;
    open_bytes(Path::new(shown), bytes, Some(format))
}

/// How standard input is read: as prose in a format, or as a structured file of a kind (a
/// helpdesk export, a thread).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StdinKind {
    Prose(Format),
    Structured(macros::FileKind),
}

impl StdinKind {
    /// The kind an extension names (`md`, `txt`, `json`, `yaml`, `csv`, ...), if Candor reads it.
    pub fn for_extension(ext: &str) -> Option<StdinKind> {
        let ext = ext.trim_start_matches('.');
        Format::from_extension(ext)
            .map(StdinKind::Prose)
            .or_else(|| macros::FileKind::from_extension(ext).map(StdinKind::Structured))
    }

    /// The kind a shown name's extension picks: plain text when it picks none.
    pub fn for_name(name: &str) -> StdinKind {
        let path = Path::new(name);
        match (Format::for_path(path), macros::FileKind::for_path(path)) {
            (None, Some(kind)) => StdinKind::Structured(kind),
            (format, _) => StdinKind::Prose(format.unwrap_or(Format::Text)),
        }
    }
}

/// [`open_stdin`] for standard input of any [`StdinKind`] (`--ext json`, or
/// `--stdin-filename export.json`, reads it as a helpdesk export).
pub fn open_stdin_with(
    shown: &str,
    kind: StdinKind,
    opts: &ReadOptions,
) -> Result<Loaded, InputError> {
    match kind {
        StdinKind::Prose(format) => open_stdin(shown, format),
        StdinKind::Structured(kind) => {
            let bytes = read_stdin(shown)?;
            open_bytes_as(Path::new(shown), bytes, None, Some(kind), opts)
        }
    }
}

/// Parses a file's bytes, choosing the reader by `format` or the path's extension.
pub fn open_bytes(
    path: &Path,
    bytes: Vec<u8>,
    format: Option<Format>,
) -> Result<Loaded, InputError> {
    open_bytes_with(path, bytes, format, &ReadOptions::default())
}

/// [`open_bytes`], with options for structured files (macro exports).
pub fn open_bytes_with(
    path: &Path,
    bytes: Vec<u8>,
    format: Option<Format>,
    opts: &ReadOptions,
) -> Result<Loaded, InputError> {
    let kind = match format {
        None => macros::FileKind::for_path(path),
        Some(_) => None,
    };
    open_bytes_as(path, bytes, format, kind, opts)
}

/// A file passed over without a note.
fn skipped(path: &Path) -> Loaded {
    Loaded::Skipped {
        path: path.to_path_buf(),
        note: None,
    }
}

/// [`open_bytes_with`], read as a structured file of `kind` if one is given (whatever the
/// path's extension), else as prose in `format` (by the extension when `None`).
fn open_bytes_as(
    path: &Path,
    bytes: Vec<u8>,
    format: Option<Format>,
    kind: Option<macros::FileKind>,
    opts: &ReadOptions,
) -> Result<Loaded, InputError> {
    let (text, encoding) = match decode_text(path, bytes) {
        Ok(Some(decoded)) => decoded,
        Ok(None) | Err(_) if kind.is_some() && opts.only_exports => return Ok(skipped(path)),
        Ok(None) => return Ok(Loaded::Binary(path.to_path_buf())),
        Err(e) => return Err(e),
    };
    let mut loaded = open_text(path, text, format, kind, opts)?;
    if let (Loaded::Input(input), read::Encoding::Utf16Le | read::Encoding::Utf16Be) =
        (&mut loaded, encoding)
    {
        input.encoding = encoding;
        input.notes.push(format!(
            "{}: decoded from {} (its byte order mark says so); offsets in the report count the bytes of its UTF-8 text, and --fix writes it back as {}",
            path.display(),
            encoding.name(),
            encoding.name()
        ));
    }
    Ok(loaded)
}

/// [`open_bytes_as`] once the bytes are text.
fn open_text(
    path: &Path,
    text: String,
    format: Option<Format>,
    kind: Option<macros::FileKind>,
    opts: &ReadOptions,
) -> Result<Loaded, InputError> {
    // An email carries the customer's message; JSON goes to the macro readers, which hand a
    // conversation thread back to the thread reader.
    if format.is_none() {
        if let Some(input) = open_email(path, &text) {
            return Ok(Loaded::Input(input));
        }
    }
    if let Some(kind) = kind {
        let json = (kind == macros::FileKind::Json).then(|| text.clone());
        return Ok(match macros::read(path, text, kind, opts)? {
            macros::Read::Doc(doc, notes) => Loaded::Input(Input {
                path: shown(path),
                doc,
                inbound: Vec::new(),
                encoding: read::Encoding::Utf8,
                notes: notes
                    .into_iter()
                    .map(|n| format!("{}: {n}", path.display()))
                    .collect(),
            }),
            macros::Read::Skip { note } => Loaded::Skipped {
                path: path.to_path_buf(),
                note,
            },
            macros::Read::Thread => match json.as_deref().map(thread::read) {
                Some(Ok(t)) => Loaded::Input(Input {
                    path: shown(path),
                    doc: t.reply,
                    inbound: vec![Inbound {
                        path: shown(path),
                        doc: t.inbound,
                    }],
                    encoding: read::Encoding::Utf8,
                    notes: Vec::new(),
                }),
                // Found in a folder: a thread-like file that is not one is passed over.
                _ if opts.only_exports => skipped(path),
                Some(Err(problem)) => {
                    return Err(InputError::Malformed {
                        path: path.to_path_buf(),
                        what: "thread",
                        location: format!("{}:{}", problem.line, problem.column),
                        message: problem.message,
                    })
                }
                None => skipped(path),
            },
        });
    }
    let format = format
        .or_else(|| Format::for_path(path))
        .unwrap_or(Format::Text);
    Ok(Loaded::Input(Input {
        path: shown(path),
        doc: Document::parse(text, format),
        inbound: Vec::new(),
        encoding: read::Encoding::Utf8,
        notes: Vec::new(),
    }))
}

/// An email (`.eml`): a reply that carries the customer's message (its quoted part). `None`
/// for anything else.
fn open_email(path: &Path, text: &str) -> Option<Input> {
    let ext = path.extension()?.to_str()?;
    if !ext.eq_ignore_ascii_case("eml") {
        return None;
    }
    Some(Input {
        path: shown(path),
        doc: email::parse(text)?,
        inbound: Vec::new(),
        encoding: read::Encoding::Utf8,
        notes: Vec::new(),
    })
}

/// The path as users see it in reports.
pub fn shown(path: &Path) -> Arc<str> {
    Arc::from(path.to_string_lossy().as_ref())
}

/// Decodes a file's bytes: UTF-16 when they start with its byte order mark (kept, as U+FEFF, at
/// the start of the text, so the text encodes back to exactly these bytes), else UTF-8 as
/// [`decode`] does. Offsets in the report are then the decoded (UTF-8) text's.
pub fn decode_text(
    path: &Path,
    bytes: Vec<u8>,
) -> Result<Option<(String, read::Encoding)>, InputError> {
    let encoding = match bytes.get(..2) {
        Some([0xFF, 0xFE]) => read::Encoding::Utf16Le,
        Some([0xFE, 0xFF]) => read::Encoding::Utf16Be,
        _ => return Ok(decode(path, bytes)?.map(|t| (t, read::Encoding::Utf8))),
    };
    match read::decode_utf16(&bytes, encoding) {
        Ok(text) => Ok(Some((text, encoding))),
        Err(unit) => Err(InputError::InvalidUtf16 {
            path: path.to_path_buf(),
            offset: unit * 2,
        }),
    }
}

/// Decodes bytes as UTF-8; `None` for a binary file (it has NUL bytes). An invalid byte is an
/// error naming its offset and line.
pub fn decode(path: &Path, bytes: Vec<u8>) -> Result<Option<String>, InputError> {
    if bytes.contains(&0) {
        return Ok(None);
    }
    String::from_utf8(bytes).map(Some).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count()
            + 1;
        InputError::InvalidUtf8 {
            path: path.to_path_buf(),
            offset,
            line,
        }
    })
}
