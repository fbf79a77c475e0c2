//! Walking a folder tree with each folder opened relative to its parent's handle (Unix).
//!
//! Why: a system call that names a path makes the kernel look up every component of it. The
//! `ignore` crate's walker names full paths (its probes for `.gitignore`, `.ignore` and `.git`,
//! and the opening of each folder), and the configuration look-up probed by full path too: on
//! a tree 2,000 folders deep each call resolved 2,000 components, and the walk was quadratic
//! in depth. Here a folder is read once through a handle and its children are opened by name
//! through it, so the calls per folder cost the same at any depth.
//!
//! What is walked is what the `ignore` crate walks with its defaults (ripgrep's): hidden
//! entries are passed over, `.ignore` and `.gitignore` files apply (in a git repository or
//! not), `.git/info/exclude` and the global git excludes file too, as do the ignore files of
//! the folders above the top; links are not followed. The `ignore` crate's matchers decide.
//!
//! Example: `candor check docs` with `docs/.gitignore` saying `drafts/` lints `docs/a.md` and
//! not `docs/drafts/b.md`.

use std::io::Read;
use std::os::fd::OwnedFd;
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::Match;
use rustix::fs::{AtFlags, Dir, FileType, Mode, OFlags};

/// Ignore files larger than this are not read (a runaway `.gitignore` should not stop a walk).
const MAX_IGNORE_FILE_BYTES: u64 = 16 << 20;

/// Folder handles held open at once while walking down; the handles of folders further up
/// are closed and opened again by path if the walk comes back to them with folders left.
const MAX_OPEN_FOLDERS: usize = 128;

/// What the walk found.
#[derive(Debug)]
pub enum Entry {
    /// A regular file: its path, its (device, inode) and its size.
    File {
        path: PathBuf,
        id: (u64, u64),
        len: u64,
    },
    /// A folder that was read: its path, the number of the folder it is in (folders are
    /// numbered from 0 as they are found, parents first; `None` for the top), and whether it
    /// holds an entry with one of the names asked about (configuration files).
    Folder {
        path: PathBuf,
        parent: Option<usize>,
        holds_named: bool,
    },
    /// A folder or file that could not be read.
    Error {
        path: PathBuf,
        error: std::io::Error,
    },
}

/// One folder's ignore files.
#[derive(Default)]
struct Rules {
    /// `.ignore`
    ignore: Option<Gitignore>,
    /// `.gitignore`
    git: Option<Gitignore>,
    /// `.git/info/exclude`
    exclude: Option<Gitignore>,
}

impl Rules {
    fn is_empty(&self) -> bool {
        self.ignore.is_none() && self.git.is_none() && self.exclude.is_none()
    }
}

/// The verdict of folders' rules (deepest first, each with the path to match against its
/// files: folders above the top match absolute paths) on a path, as the `ignore` crate gives
/// it (not requiring a repository): any `.ignore` match first, then `.gitignore`, then
/// `.git/info/exclude`; a folder's files override those of the folders above it.
fn verdict<'a>(levels: impl Iterator<Item = (&'a Rules, &'a Path)>, is_dir: bool) -> Match<()> {
    let (mut ignore, mut git, mut exclude) = (Match::None, Match::None, Match::None);
    let matched = |m: &Option<Gitignore>, path: &Path| match m {
        Some(m) => m.matched(path, is_dir).map(|_| ()),
        None => Match::None,
    };
    for (rules, path) in levels {
        if ignore.is_none() {
            ignore = matched(&rules.ignore, path);
        }
        if git.is_none() {
            git = matched(&rules.git, path);
        }
        if exclude.is_none() {
            exclude = matched(&rules.exclude, path);
        }
    }
    or(or(ignore, git), exclude)
}

fn or(a: Match<()>, b: Match<()>) -> Match<()> {
    if a.is_none() {
        b
    } else {
        a
    }
}

/// Builds a matcher for `root` from the ignore file `name` read through `dir`.
fn read_rules(dir: &OwnedFd, name: &str, root: &Path) -> Option<Gitignore> {
    let fd = rustix::fs::openat(
        dir,
        name,
        OFlags::RDONLY | OFlags::CLOEXEC | OFlags::NONBLOCK,
        Mode::empty(),
    )
    .ok()?;
    // Only a regular file is read: a FIFO named `.gitignore` must not stop the walk.
    let stat = rustix::fs::fstat(&fd).ok()?;
    if FileType::from_raw_mode(stat.st_mode) != FileType::RegularFile {
        return None;
    }
    let mut bytes = Vec::new();
    std::fs::File::from(fd)
        .take(MAX_IGNORE_FILE_BYTES)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let mut builder = GitignoreBuilder::new(root);
    let from = root.join(name);
    for line in text.lines() {
        // A line that is not a valid glob is passed over, as git passes over it.
        let _ = builder.add_line(Some(from.clone()), line);
    }
    builder.build().ok().filter(|g| !g.is_empty())
}

/// The rules of the folder `dir` (whose path is `root`), from the names it holds.
fn folder_rules(dir: &OwnedFd, root: &Path, names: &[(Vec<u8>, FileType)]) -> Rules {
    let has = |n: &str| names.iter().any(|(name, _)| name == n.as_bytes());
    let mut rules = Rules::default();
    if has(".ignore") {
        rules.ignore = read_rules(dir, ".ignore", root);
    }
    if has(".gitignore") {
        rules.git = read_rules(dir, ".gitignore", root);
    }
    if has(".git") {
        rules.exclude = read_rules(dir, ".git/info/exclude", root);
    }
    rules
}

/// The rules of the folders above `top` that have any, nearest first, matched against
/// absolute paths.
fn rules_above(top: &Path) -> Outside {
    let Ok(absolute) = top.canonicalize() else {
        return Outside {
            absolute_top: None,
            rules: Vec::new(),
        };
    };
    let mut rules = Vec::new();
    for folder in absolute.ancestors().skip(1) {
        let Ok(fd) = open_folder(folder) else {
            continue;
        };
        let names: Vec<(Vec<u8>, FileType)> = [".ignore", ".gitignore", ".git"]
            .iter()
            .filter(|n| rustix::fs::statat(&fd, **n, AtFlags::SYMLINK_NOFOLLOW).is_ok())
            .map(|n| (n.as_bytes().to_vec(), FileType::Unknown))
            .collect();
        let found = folder_rules(&fd, folder, &names);
        if !found.is_empty() {
            rules.push((found, folder.to_path_buf()));
        }
    }
    Outside {
        absolute_top: Some(absolute),
        rules,
    }
}

fn open_folder(path: &Path) -> rustix::io::Result<OwnedFd> {
    rustix::fs::open(
        path,
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC,
        Mode::empty(),
    )
}

fn open_child_folder(parent: &OwnedFd, name: &[u8]) -> rustix::io::Result<OwnedFd> {
    rustix::fs::openat(
        parent,
        std::ffi::OsStr::from_bytes(name),
        OFlags::RDONLY | OFlags::DIRECTORY | OFlags::CLOEXEC | OFlags::NOFOLLOW,
        Mode::empty(),
    )
}

/// The entries of the folder open as `fd`, sorted by name, without `.` and `..`; the type of
/// each is asked for only when the listing does not give it.
fn list(fd: &OwnedFd) -> rustix::io::Result<Vec<(Vec<u8>, FileType)>> {
    let mut out = Vec::new();
    for entry in Dir::read_from(fd)? {
        let entry = entry?;
        let name = entry.file_name().to_bytes();
        if name == b"." || name == b".." {
            continue;
        }
        let kind = match entry.file_type() {
            FileType::Unknown => {
                rustix::fs::statat(fd, entry.file_name(), AtFlags::SYMLINK_NOFOLLOW)
                    .map_or(FileType::Unknown, |s| FileType::from_raw_mode(s.st_mode))
            }
            kind => kind,
        };
        out.push((name.to_vec(), kind));
    }
    out.sort_unstable_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}

/// A folder being walked: its handle (while held open), its path, its rules, and the
/// sub-folders left to walk into (last first).
struct Frame {
    /// Its number among the folders found ([`Entry::Folder`]).
    number: usize,
    fd: Option<OwnedFd>,
    path: PathBuf,
    rules: Rules,
    folders_left: Vec<Vec<u8>>,
}

/// Walks the folder `top`, calling `found` with every regular file and folder that is not
/// ignored, in no promised order. `named`: entry names a folder is asked about
/// ([`Entry::Folder::holds_named`]).
pub fn walk(top: &Path, named: &[&str], mut found: impl FnMut(Entry)) {
    let outside = rules_above(top);
    let (global, _) = Gitignore::global();
    let top_fd = match open_folder(top) {
        Ok(fd) => fd,
        Err(e) => {
            found(Entry::Error {
                path: top.to_path_buf(),
                error: e.into(),
            });
            return;
        }
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut folders_found = 0;
    let mut next: Option<(OwnedFd, PathBuf)> = Some((top_fd, top.to_path_buf()));
    while let Some((fd, path)) = next.take() {
        match list(&fd) {
            Ok(names) => {
                found(Entry::Folder {
                    holds_named: names
                        .iter()
                        .any(|(n, _)| named.iter().any(|w| w.as_bytes() == n)),
                    path: path.clone(),
                    parent: stack.last().map(|f| f.number),
                });
                let mut frame =
                    read_folder(fd, path, names, &stack, top, &outside, &global, &mut found);
                frame.number = folders_found;
                folders_found += 1;
                stack.push(frame);
                // Only the deepest folders keep their handles.
                if stack.len() > MAX_OPEN_FOLDERS {
                    let i = stack.len() - MAX_OPEN_FOLDERS - 1;
                    stack[i].fd = None;
                }
            }
            Err(e) => found(Entry::Error {
                path,
                error: e.into(),
            }),
        }
        continue_up(&mut stack, &mut next, &mut found);
    }
}

/// What lies above the top folder: its absolute path and the rules of the folders above it
/// that have any, nearest first.
struct Outside {
    absolute_top: Option<PathBuf>,
    rules: Vec<(Rules, PathBuf)>,
}

/// Reports the files of the folder open as `fd` (at `path`, holding `names`) that are not
/// ignored, and returns it as a frame with the sub-folders to walk into.
#[allow(clippy::too_many_arguments)]
fn read_folder(
    fd: OwnedFd,
    path: PathBuf,
    names: Vec<(Vec<u8>, FileType)>,
    stack: &[Frame],
    top: &Path,
    outside: &Outside,
    global: &Gitignore,
    found: &mut impl FnMut(Entry),
) -> Frame {
    let rules = folder_rules(&fd, &path, &names);
    let mut frame = Frame {
        number: 0,
        fd: Some(fd),
        path,
        rules,
        folders_left: Vec::new(),
    };
    for (name, kind) in names {
        if kind != FileType::RegularFile && kind != FileType::Directory {
            continue;
        }
        let is_dir = kind == FileType::Directory;
        let child = frame.path.join(std::ffi::OsStr::from_bytes(&name));
        let inside = std::iter::once(&frame.rules)
            .chain(stack.iter().rev().map(|f| &f.rules))
            .filter(|r| !r.is_empty())
            .map(|r| (r, child.as_path()));
        let absolute;
        let mut m = match (&outside.absolute_top, outside.rules.is_empty()) {
            (Some(top_abs), false) => {
                absolute = top_abs.join(child.strip_prefix(top).unwrap_or(&child));
                let above = outside.rules.iter().map(|(r, _)| (r, absolute.as_path()));
                verdict(inside.chain(above), is_dir)
            }
            _ => verdict(inside, is_dir),
        };
        if m.is_none() {
            m = global.matched(&child, is_dir).map(|_| ());
        }
        let hidden = name.first() == Some(&b'.');
        if m.is_ignore() || (hidden && !m.is_whitelist()) {
            continue;
        }
        if is_dir {
            frame.folders_left.push(name);
            continue;
        }
        let fd = frame.fd.as_ref().expect("the folder being read is open");
        let stat = rustix::fs::statat(
            fd,
            std::ffi::OsStr::from_bytes(&name),
            AtFlags::SYMLINK_NOFOLLOW,
        );
        match stat {
            Ok(s) if FileType::from_raw_mode(s.st_mode) == FileType::RegularFile => {
                found(Entry::File {
                    path: child,
                    id: (s.st_dev, s.st_ino),
                    len: u64::try_from(s.st_size).unwrap_or(0),
                })
            }
            Ok(_) => {}
            Err(e) => found(Entry::Error {
                path: child,
                error: e.into(),
            }),
        }
    }
    frame.folders_left.reverse();
    frame
}

/// Sets `next` to the next folder to walk into: the deepest folder's next sub-folder, or
/// (when it has none left) its parent's, and so on up.
fn continue_up(
    stack: &mut Vec<Frame>,
    next: &mut Option<(OwnedFd, PathBuf)>,
    found: &mut impl FnMut(Entry),
) {
    while let Some(frame) = stack.last_mut() {
        let Some(name) = frame.folders_left.pop() else {
            stack.pop();
            continue;
        };
        if frame.fd.is_none() {
            match open_folder(&frame.path) {
                Ok(fd) => frame.fd = Some(fd),
                Err(e) => {
                    found(Entry::Error {
                        path: frame.path.clone(),
                        error: e.into(),
                    });
                    frame.folders_left.clear();
                    continue;
                }
            }
        }
        let parent = frame.fd.as_ref().expect("opened above");
        let path = frame.path.join(std::ffi::OsStr::from_bytes(&name));
        match open_child_folder(parent, &name) {
            Ok(fd) => {
                *next = Some((fd, path));
                return;
            }
            Err(e) => found(Entry::Error {
                path,
                error: e.into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    /// Regular files the `ignore` crate's walker finds under `top` with its defaults.
    fn by_ignore_crate(top: &Path) -> Vec<PathBuf> {
        let mut out: Vec<PathBuf> = ignore::WalkBuilder::new(top)
            .require_git(false)
            .follow_links(false)
            .build()
            .filter_map(Result::ok)
            .filter(|e| e.file_type().is_some_and(|t| t.is_file()))
            .map(|e| e.into_path())
            .collect();
        out.sort();
        out
    }

    fn by_handles(top: &Path) -> (Vec<PathBuf>, Vec<(PathBuf, bool)>) {
        let (mut files, mut folders) = (Vec::new(), Vec::new());
        walk(top, &[".candor.yaml"], |e| match e {
            Entry::File { path, .. } => files.push(path),
            Entry::Folder {
                path, holds_named, ..
            } => folders.push((path, holds_named)),
            Entry::Error { path, error } => panic!("{}: {error}", path.display()),
        });
        files.sort();
        (files, folders)
    }

    fn write(root: &Path, rel: &str, text: &str) {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }

    #[test]
    fn finds_what_the_ignore_crate_finds() {
        let dir = tempfile::tempdir().unwrap();
        // The repository is a folder down; the `.gitignore` above it applies in it too.
        let d = dir.path();
        write(d, ".gitignore", "repo/kept-by-repo-root.md\n");
        let r = &d.join("repo");
        write(r, ".git/info/exclude", "excluded.md\n");
        write(r, ".git/HEAD", "ref: refs/heads/main\n");
        write(
            r,
            ".gitignore",
            "build/\n*.log\n!keep.log\nnested/*.md\n!nested/again.md\n",
        );
        write(r, ".ignore", "from-dot-ignore.md\n!wanted.log\n");
        for f in [
            "a.md",
            "b.txt",
            "kept-by-repo-root.md",
            "excluded.md",
            "x.log",
            "keep.log",
            "wanted.log",
            "from-dot-ignore.md",
            "build/c.md",
            "nested/n.md",
            "nested/again.md",
            ".hidden.md",
            ".hidden/h.md",
            "deeper/.gitignore",
            "deeper/d.md",
            "deeper/skip.md",
            "deeper/sub/skip.md",
        ] {
            write(r, f, "text\n");
        }
        write(r, "deeper/.gitignore", "skip.md\n!sub/skip.md\n");
        std::os::unix::fs::symlink(r.join("a.md"), r.join("link.md")).unwrap();
        std::os::unix::fs::symlink(r.join("deeper"), r.join("linked-folder")).unwrap();
        for top in [r.clone(), r.join("deeper"), d.to_path_buf()] {
            let (files, _) = by_handles(&top);
            assert_eq!(files, by_ignore_crate(&top), "walking {}", top.display());
        }
        // The checks above compared something.
        let (files, _) = by_handles(r);
        assert!(files.contains(&r.join("a.md")) && files.contains(&r.join("wanted.log")));
        assert!(!files.contains(&r.join("x.log")) && !files.contains(&r.join("build/c.md")));
    }

    #[test]
    fn a_tree_deeper_than_the_handles_held_is_walked_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut here = dir.path().to_path_buf();
        // Two sub-folders per level, the deep one first by name: coming back up to walk the
        // other needs folders whose handles were closed.
        for level in 0..(MAX_OPEN_FOLDERS + 40) {
            write(&here, "side/s.md", "text\n");
            write(&here, &format!("f{level}.md"), "text\n");
            here.push("a");
        }
        write(&here, ".candor.yaml", "rules: {}\n");
        let (files, folders) = by_handles(dir.path());
        assert_eq!(files, by_ignore_crate(dir.path()));
        assert_eq!(files.len(), 2 * (MAX_OPEN_FOLDERS + 40));
        let holding: Vec<&PathBuf> = folders.iter().filter(|f| f.1).map(|f| &f.0).collect();
        assert_eq!(holding, [&here]);
    }

    #[test]
    fn an_unreadable_ignore_file_or_a_fifo_does_not_stop_the_walk() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a.md", "text\n");
        let fifo = d.join(".gitignore");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!("skipped: mkfifo is not available");
            return;
        }
        let (files, _) = by_handles(d);
        assert_eq!(files, [d.join("a.md")]);
    }
}
