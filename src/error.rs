//! Errors that stop a run or skip a file. Each names the file and, where there is one, the line.

use std::ops::Range;
use std::path::PathBuf;

/// A rule pack or configuration file that cannot be used. Carries the file's text so the error
/// can be shown as a diagnostic pointing at the offending line.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{path}:{line}: {message}")]
pub struct ConfigError {
    pub path: String,
    /// 1-based line of the problem (1 when unknown).
    pub line: usize,
    pub message: String,
    /// The file's text, when it could be read.
    pub source_text: Option<String>,
    /// Byte range of the problem in `source_text`, when known.
    pub span: Option<Range<usize>>,
}

impl ConfigError {
    /// An error at 1-based `line` of `source_text`; the span covers that line.
    pub fn at_line(
        path: impl Into<String>,
        source_text: &str,
        line: usize,
        message: impl Into<String>,
    ) -> Self {
        let line = line.max(1);
        let span = line_span(source_text, line);
        ConfigError {
            path: path.into(),
            line,
            message: message.into(),
            source_text: Some(source_text.to_string()),
            span,
        }
    }

    /// An error about a file as a whole (it could not be read, say).
    pub fn whole_file(path: impl Into<String>, message: impl Into<String>) -> Self {
        ConfigError {
            path: path.into(),
            line: 1,
            message: message.into(),
            source_text: None,
            span: None,
        }
    }

    /// From a YAML parse error, keeping its line.
    pub fn from_yaml(
        path: impl Into<String>,
        source_text: &str,
        err: &serde_norway::Error,
    ) -> Self {
        let line = err.location().map_or(1, |l| l.line());
        // serde_norway appends "at line N column M" itself; keep the message short.
        let msg = err.to_string();
        let msg = match msg.find(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        ConfigError::at_line(path, source_text, line, msg)
    }
}

/// Byte range of 1-based `line` in `text`, without its line break.
pub fn line_span(text: &str, line: usize) -> Option<Range<usize>> {
    let mut start = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            let body = l.trim_end_matches(['\n', '\r']);
            return Some(start..start + body.len());
        }
        start += l.len();
    }
    None
}

/// 1-based line of the first occurrence of `needle` in `text` at or after line `from`.
pub fn find_line(text: &str, needle: &str, from: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .skip(from.saturating_sub(1))
        .find(|(_, l)| l.contains(needle))
        .map(|(i, _)| i + 1)
}

/// A source file that could not be linted; the run goes on with the others.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path}: not valid UTF-8: invalid byte at offset {offset} (line {line})")]
    InvalidUtf8 {
        path: PathBuf,
        offset: usize,
        line: usize,
    },
    /// A file with a UTF-16 byte order mark that is not valid UTF-16.
    #[error("{path}: not valid UTF-16 (it starts with a UTF-16 byte order mark): unpaired surrogate or odd length at byte offset {offset}")]
    InvalidUtf16 { path: PathBuf, offset: usize },
    /// A structured file (JSON, YAML, CSV) that does not parse.
    #[error("{path}:{location}: invalid {what}: {message}")]
    Malformed {
        path: PathBuf,
        /// `JSON`, `YAML` or `CSV`.
        what: &'static str,
        /// `line:column`, or `line` when the column is not known.
        location: String,
        message: String,
    },
    /// A file that parses but cannot be read the way it was asked (a `--column` it lacks).
    #[error("{path}: {message}")]
    Unusable { path: PathBuf, message: String },
    /// Not a regular file (a FIFO, a device, a socket): refused by its type before reading.
    #[error("{path}: not a regular file ({kind}); Candor reads only regular files")]
    NotAFile { path: PathBuf, kind: &'static str },
    /// Larger than the bound on one input (`--max-file-size`).
    #[error("{path}: larger than the {limit} limit on one input; raise it with --max-file-size or CANDOR_MAX_FILE_SIZE")]
    TooLarge {
        path: PathBuf,
        /// The bound, in words (`256 MiB`).
        limit: String,
    },
    /// A file named on the command line that is not text (it has NUL bytes). Found in a folder,
    /// such a file is skipped with a note instead.
    #[error("{path}: cannot be read as text: it looks binary (it has NUL bytes)")]
    Binary { path: PathBuf },
}

impl InputError {
    /// The error for `path` from a [`crate::source::read::ReadProblem`].
    pub fn from_read(path: &std::path::Path, problem: crate::source::read::ReadProblem) -> Self {
        use crate::source::read::{human_size, ReadProblem};
        let path = path.to_path_buf();
        match problem {
            ReadProblem::Io(source) => InputError::Io { path, source },
            ReadProblem::NotRegular(kind) => InputError::NotAFile { path, kind },
            ReadProblem::TooLarge { limit } => InputError::TooLarge {
                path,
                limit: human_size(limit),
            },
        }
    }
}
