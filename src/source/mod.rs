//! Where text comes from: files named on the command line, folders walked with `.gitignore`
//! respected ([`walk`]), and standard input.

pub mod walk;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::document::Format;
use crate::error::InputError;

/// A file's text, ready to parse.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user (`<stdin>` or the name given with `--stdin-filename`).
    pub path: Arc<str>,
    pub format: Format,
    pub text: String,
}

/// What reading one input gave.
#[derive(Debug)]
pub enum Loaded {
    Text(SourceFile),
    /// A binary file (it has NUL bytes): skipped, with a note.
    Binary(PathBuf),
}

/// Reads a file as UTF-8; `format` overrides the one its extension implies.
pub fn read_file(path: &Path, format: Option<Format>) -> Result<Loaded, InputError> {
    let bytes = std::fs::read(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let format = format.or_else(|| Format::for_path(path)).unwrap_or(Format::Text);
    decode(path, bytes, format)
}

/// Reads standard input to the end.
pub fn read_stdin(shown: &str, format: Format) -> Result<Loaded, InputError> {
    let mut bytes = Vec::new();
    std::io::stdin().read_to_end(&mut bytes).map_err(|source| InputError::Io {
        path: PathBuf::from(shown),
        source,
    })?;
    decode(Path::new(shown), bytes, format)
}

/// Decodes bytes as UTF-8 text, skipping binary files and naming the first invalid byte.
pub fn decode(path: &Path, bytes: Vec<u8>, format: Format) -> Result<Loaded, InputError> {
    if bytes.contains(&0) {
        return Ok(Loaded::Binary(path.to_path_buf()));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..offset].iter().filter(|b| **b == b'\n').count() + 1;
        InputError::InvalidUtf8 {
            path: path.to_path_buf(),
            offset,
            line,
        }
    })?;
    Ok(Loaded::Text(SourceFile {
        path: Arc::from(path.to_string_lossy().as_ref()),
        format,
        text,
    }))
}
