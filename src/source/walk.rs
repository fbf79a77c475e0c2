//! Expanding the paths on the command line into files to lint.
//!
//! Folders are walked with the `ignore` crate, so `.gitignore`, `.ignore` and hidden files are
//! respected as in ripgrep. Files named explicitly are always linted.
//!
//! In folders, Markdown and text files are linted. JSON, YAML and CSV files are picked up too
//! but marked [`Walked::only_if_export`]: they are linted only when they turn out to be
//! helpdesk macro exports (see `source::macros`) or conversation threads (`source::thread`),
//! so a docs repo's `package.json` or `mkdocs.yml` is passed over without a word. `--macros`
//! lints all of them.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::document::Format;
use crate::error::InputError;

/// Files found, plus the paths that could not be read (the run goes on without them).
#[derive(Debug, Default)]
pub struct Walked {
    /// The paths named that are files, and the files found in folders: those are regular
    /// files, never links (links are not followed).
    pub files: Vec<PathBuf>,
    pub errors: Vec<InputError>,
    /// Structured files found in folders (JSON, YAML, CSV): read only if they look like macro
    /// exports. Files named explicitly are never in here.
    pub only_if_export: BTreeSet<PathBuf>,
    /// Things to tell the user (a path that is the same file as another, linted once).
    pub notes: Vec<String>,
    /// The folders walked, parents before children (see `config::Resolver::note_walked_folders`).
    pub folders: Vec<Folder>,
    /// The (device, inode) of files found in folders, read as they were found.
    ids: foldhash::HashMap<PathBuf, (u64, u64)>,
}

/// A folder the walk read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folder {
    /// As walked (the path named, joined with the names below it).
    pub path: PathBuf,
    /// The folder it is in, by its place in [`Walked::folders`]; `None` for a path named.
    pub parent: Option<usize>,
    /// Whether it holds an entry named like a configuration file.
    pub holds_config: bool,
}

/// Whether a walked file may be a helpdesk macro export (JSON, YAML, CSV).
pub fn is_export_candidate(path: &Path) -> bool {
    crate::source::macros::FileKind::for_path(path).is_some_and(|k| k.may_be_export())
}

/// Structured files larger than this are not looked into when found in folders: macro exports
/// are far smaller, data dumps are not worth parsing to find out.
const MAX_CANDIDATE_BYTES: u64 = 16 << 20;

/// Whether a walked file is one Candor lints by default.
pub fn is_lintable(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| Format::from_extension(e).is_some() || e.eq_ignore_ascii_case("eml"))
}

/// Expands `paths` into a sorted, de-duplicated list of files.
pub fn walk(paths: &[PathBuf]) -> Walked {
    let mut out = Walked::default();
    for path in paths {
        match std::fs::metadata(path) {
            Err(source) => out.errors.push(InputError::Io {
                path: path.clone(),
                source,
            }),
            Ok(meta) if meta.is_dir() => walk_dir(path, &mut out),
            // A FIFO, a device or a socket is refused by its type, before anything reads it.
            Ok(meta) => match crate::source::read::special_kind(&meta.file_type()) {
                Some(kind) => out.errors.push(InputError::NotAFile {
                    path: path.clone(),
                    kind,
                }),
                None => out.files.push(path.clone()),
            },
        }
    }
    out.files.sort();
    out.files.dedup();
    dedup_by_identity(&mut out);
    out.ids = Default::default();
    for path in paths {
        out.only_if_export.remove(path);
    }
    out
}

/// Keeps one path per file: `a.md ./a.md`, a file and a link to it, or two hard links are one
/// file, linted (and fixed) once, under the first of its paths in sorted order.
fn dedup_by_identity(out: &mut Walked) {
    #[cfg(unix)]
    {
        use std::collections::HashMap;
        use std::os::unix::fs::MetadataExt;
        let mut seen: HashMap<(u64, u64), usize> = HashMap::with_capacity(out.files.len());
        let mut keep = Vec::with_capacity(out.files.len());
        for path in std::mem::take(&mut out.files) {
            let id = match out.ids.get(&path) {
                Some(id) => *id,
                None => match std::fs::metadata(&path) {
                    Ok(meta) => (meta.dev(), meta.ino()),
                    Err(_) => {
                        keep.push(path);
                        continue;
                    }
                },
            };
            match seen.entry(id) {
                std::collections::hash_map::Entry::Occupied(first) => {
                    out.notes.push(format!(
                        "{}: the same file as {}, linted once",
                        path.display(),
                        keep[*first.get()].display()
                    ));
                    out.only_if_export.remove(&path);
                }
                std::collections::hash_map::Entry::Vacant(slot) => {
                    slot.insert(keep.len());
                    keep.push(path);
                }
            }
        }
        out.files = keep;
    }
    #[cfg(not(unix))]
    let _ = out;
}

/// Walks `dir` through folder handles (see `walk_fd`).
#[cfg(unix)]
fn walk_dir(dir: &Path, out: &mut Walked) {
    use super::walk_fd::Entry;
    let config_names: Vec<&str> = crate::config::FILE_NAMES
        .iter()
        .chain(crate::config::vale_ini::FILE_NAMES)
        .copied()
        .collect();
    let first_folder = out.folders.len();
    super::walk_fd::walk(dir, &config_names, |entry| match entry {
        Entry::File { path, id, len } => {
            let wanted = if is_lintable(&path) {
                true
            } else if is_export_candidate(&path) && len <= MAX_CANDIDATE_BYTES {
                out.only_if_export.insert(path.clone());
                true
            } else {
                false
            };
            if wanted {
                out.ids.insert(path.clone(), id);
                out.files.push(path);
            }
        }
        Entry::Folder {
            path,
            parent,
            holds_named,
        } => out.folders.push(Folder {
            path,
            parent: parent.map(|p| p + first_folder),
            holds_config: holds_named,
        }),
        Entry::Error { path, error } => out.errors.push(InputError::Io {
            path,
            source: error,
        }),
    });
}

#[cfg(not(unix))]
fn walk_dir(dir: &Path, out: &mut Walked) {
    // Each folder's entries by name: the walk then yields its files in path order, and the sort
    // in `walk` only confirms it (sorting 4,000 paths component by component was a serial cost).
    let walker = ignore::WalkBuilder::new(dir)
        .require_git(false)
        .follow_links(false)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                if is_lintable(e.path()) {
                    out.files.push(e.into_path());
                } else if is_export_candidate(e.path())
                    && e.metadata().is_ok_and(|m| m.len() <= MAX_CANDIDATE_BYTES)
                {
                    out.only_if_export.insert(e.path().to_path_buf());
                    out.files.push(e.into_path());
                }
            }
            Err(err) => {
                let path = ignore_error_path(&err).unwrap_or_else(|| dir.to_path_buf());
                out.errors.push(InputError::Io {
                    path,
                    source: std::io::Error::other(strip_path(&err.to_string())),
                });
            }
        }
    }
}

#[cfg(not(unix))]
fn ignore_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            ignore_error_path(err)
        }
        ignore::Error::Loop { child, .. } => Some(child.clone()),
        _ => None,
    }
}

/// The `ignore` crate puts the path in front of its messages; we print the path ourselves.
#[cfg(not(unix))]
fn strip_path(msg: &str) -> String {
    match msg.split_once(": ") {
        Some((head, rest)) if head.contains('/') => rest.to_string(),
        _ => msg.to_string(),
    }
}
