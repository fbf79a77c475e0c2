//! `--fix` and `--diff`: applying the rewrites rules mark as unambiguous ([`Diagnostic::fix`]).
//!
//! What it does: replaces exactly the bytes of each chosen edit and leaves every other byte as
//! it was; of two edits that overlap only the first is applied (the next pass sees the other
//! again, if it still applies). Passes repeat until nothing is left to fix, so a second run
//! changes nothing. Files are written atomically: a temporary file in the same folder, with the
//! original's permissions, renamed over it.
//! Why it matters: an agent or a docs team fixes the mechanical wording in one go, and a
//! crash or a full disk never leaves a half-written macro behind.
//! Example: `candor check --fix reply.md` turns "Please utilize the form." into "Please use the
//! form." when a substitution rule swaps `utilize` for `use`.

use std::io::{self, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use crate::diagnostic::{Applicability, Diagnostic, Edit};
use crate::document::{Document, Format, Origin};

/// Passes after which fixing stops even if rules keep offering edits (rules that rewrite
/// each other's output).
pub const MAX_PASSES: usize = 10;

/// Whether `replacement` holds a stand-in for the writer to fill in ("Hi (and the customer's
/// name)", "[name]", "{order number}", "<date>", "...", "XXX"): advice, never a fix.
pub fn has_stand_in(replacement: &str) -> bool {
    let bracketed =
        [('(', ')'), ('[', ']'), ('{', '}'), ('<', '>')]
            .iter()
            .any(|&(open, close)| {
                replacement
                    .find(open)
                    .is_some_and(|i| replacement[i..].contains(close))
            });
    bracketed
        || ["...", "\u{2026}", "___", "XXX"]
            .iter()
            .any(|s| replacement.contains(s))
}

/// Whether a rule's pattern matches only the words written in it (`e-mail`, `in order to`):
/// a fix of its match is then safe; a pattern (`colou?r`, `e.g.`) matches words that vary.
pub fn is_literal(pattern: &str) -> bool {
    use regex_syntax::hir::HirKind;
    if !pattern.is_empty() && !pattern.chars().any(regex_syntax::is_meta_character) {
        return true;
    }
    regex_syntax::Parser::new()
        .parse(pattern)
        .is_ok_and(|h| matches!(h.kind(), HirKind::Literal(_)))
}

/// Whether `edit` may be applied: safe, or unsafe when `--unsafe-fixes` allows it, and never
/// one with a stand-in.
pub fn allowed(edit: &Edit, unsafe_fixes: bool) -> bool {
    (edit.applicability == Applicability::Safe || unsafe_fixes) && !has_stand_in(&edit.replacement)
}

/// The edits of `diagnostics` that are safe to apply to `doc` together, in file order: allowed
/// (see [`allowed`]), inside the text and on character boundaries, changing something, not
/// overlapping an earlier one.
pub fn choose_edits(diagnostics: &[Diagnostic], doc: &Document, unsafe_fixes: bool) -> Vec<Edit> {
    choose(diagnostics, doc, unsafe_fixes)
        .into_iter()
        .map(|(_, e)| e.clone())
        .collect()
}

/// [`choose_edits`], each edit with the rule that offered it.
fn choose<'a>(
    diagnostics: &'a [Diagnostic],
    doc: &Document,
    unsafe_fixes: bool,
) -> Vec<(&'a Arc<str>, &'a Edit)> {
    let source = &doc.source;
    let mut edits: Vec<(&Arc<str>, &Edit)> = diagnostics
        .iter()
        .filter_map(|d| Some((&d.rule, d.fix.as_deref()?)))
        .filter(|(_, e)| {
            e.span.start <= e.span.end
                && allowed(e, unsafe_fixes)
                && source
                    .get(e.span.clone())
                    .is_some_and(|old| old != e.replacement)
                && writable(e, doc)
        })
        .collect();
    edits.sort_by(|(ra, a), (rb, b)| {
        (a.span.start, a.span.end, &a.replacement, ra).cmp(&(
            b.span.start,
            b.span.end,
            &b.replacement,
            rb,
        ))
    });
    edits.dedup_by(|(_, a), (_, b)| a == b);
    let mut chosen: Vec<(&Arc<str>, &Edit)> = Vec::new();
    for (rule, e) in edits {
        if let Some((_, prev)) = chosen.last() {
            if e.span.start < prev.span.end || e.span.start == prev.span.start {
                continue;
            }
        }
        chosen.push((rule, e));
    }
    chosen
}

/// Whether `edit` can go into `doc`'s file as is. A macro export (JSON, YAML, CSV) holds its
/// text escaped or quoted: only a replacement that needs no escaping there can; Markdown and
/// text files hold text as is.
fn writable(edit: &Edit, doc: &Document) -> bool {
    let prose_file =
        matches!(doc.format, Format::Markdown | Format::Text) && doc.origin == Origin::Prose;
    prose_file || !edit.replacement.chars().any(needs_escaping)
}

/// Drops the fixes `--fix` could not write (a replacement that would need quoting in a YAML or
/// CSV export), so no report offers them.
pub fn drop_unwritable(diagnostics: &mut [Diagnostic], doc: &Document) {
    for d in diagnostics {
        if d.fix.as_ref().is_some_and(|e| !writable(e, doc)) {
            d.fix = None;
        }
    }
}

fn needs_escaping(c: char) -> bool {
    matches!(c, '"' | '\\' | '<' | '>' | '&' | '\'') || c.is_control()
}

/// `source` with `edits` (sorted, non-overlapping, from [`choose_edits`]) applied.
pub fn apply(source: &str, edits: &[Edit]) -> String {
    apply_tracked(source, edits.iter()).0
}

/// [`apply`], also returning where each replacement landed in the new text.
fn apply_tracked<'a>(
    source: &str,
    edits: impl Iterator<Item = &'a Edit>,
) -> (String, Vec<Range<usize>>) {
    let mut out = String::with_capacity(source.len());
    let mut written = Vec::new();
    let mut last = 0;
    for e in edits {
        out.push_str(&source[last..e.span.start]);
        written.push(out.len()..out.len() + e.replacement.len());
        out.push_str(&e.replacement);
        last = e.span.end;
    }
    out.push_str(&source[last..]);
    (out, written)
}

/// One linted version of a file: whatever the caller needs (`item`) and its findings.
#[derive(Debug)]
pub struct Pass<T> {
    pub item: T,
    pub diagnostics: Vec<Diagnostic>,
}

/// What [`until_stable`] did.
#[derive(Debug)]
pub struct Fixing<T> {
    /// The last pass; the first (unfixed) one when the fixes were refused.
    pub pass: Pass<T>,
    /// Edits applied over all passes (0 when refused).
    pub applied: usize,
    /// When the fixes did not converge: the rules whose fixes rewrite each other's (or kept
    /// offering edits for [`MAX_PASSES`] passes). Nothing was applied.
    pub refused: Option<Vec<Arc<str>>>,
}

/// Applies the allowed fixes pass after pass until none is left. `doc_of` gives the document
/// of a pass; `relint` reads and lints a fixed text (`None` stops).
///
/// Fixes must converge, so that a second `--fix` run changes nothing. A chain settles ("utilize
/// of" becomes "use of", then "using"); a cycle does not (one rule swaps "email" for "e-mail",
/// another swaps it back): when a pass gives a text an earlier pass had, or edits are still
/// offered after [`MAX_PASSES`], nothing is applied and [`Fixing::refused`] names the rules
/// whose fixes rewrite each other's.
pub fn until_stable<T>(
    first: Pass<T>,
    doc_of: impl Fn(&T) -> &Document,
    mut relint: impl FnMut(String) -> Option<Pass<T>>,
    unsafe_fixes: bool,
) -> Fixing<T> {
    let mut latest: Option<Pass<T>> = None;
    let mut applied = 0;
    // What the previous pass wrote (ranges in the current text) and which rule wrote each.
    let mut written: Vec<(Range<usize>, Arc<str>)> = Vec::new();
    // For each pass: a hash of the text it started from and the rules that rewrote what the
    // pass before wrote (with the rules that wrote it).
    let mut history: Vec<(u64, Vec<Arc<str>>)> = Vec::new();
    let refuse = |first: Pass<T>, mut rules: Vec<Arc<str>>| {
        rules.sort();
        rules.dedup();
        Fixing {
            pass: first,
            applied: 0,
            refused: Some(rules),
        }
    };
    loop {
        let step = {
            let pass = latest.as_ref().unwrap_or(&first);
            let doc = doc_of(&pass.item);
            let hash = text_hash(&doc.source);
            let edits = choose(&pass.diagnostics, doc, unsafe_fixes);
            if let Some(start) = history.iter().position(|(h, _)| *h == hash) {
                Step::Refuse(
                    history[start + 1..]
                        .iter()
                        .flat_map(|(_, r)| r.iter().cloned())
                        .collect(),
                )
            } else if edits.is_empty() {
                Step::Done
            } else if history.len() == MAX_PASSES {
                Step::Refuse(edits.iter().map(|(r, _)| (*r).clone()).collect())
            } else {
                let mut rewriting = Vec::new();
                for (rule, e) in &edits {
                    for (range, writer) in &written {
                        if e.span.start < range.end && range.start < e.span.end {
                            rewriting.extend([writer.clone(), (*rule).clone()]);
                        }
                    }
                }
                history.push((hash, rewriting));
                let (text, ranges) = apply_tracked(&doc.source, edits.iter().map(|(_, e)| *e));
                written = ranges
                    .into_iter()
                    .zip(edits.iter().map(|(rule, _)| (*rule).clone()))
                    .collect();
                Step::Apply(text, edits.len())
            }
        };
        match step {
            Step::Done => break,
            Step::Refuse(rules) => return refuse(first, rules),
            Step::Apply(text, count) => match relint(text) {
                Some(next) => {
                    applied += count;
                    latest = Some(next);
                }
                None => break,
            },
        }
    }
    Fixing {
        pass: latest.unwrap_or(first),
        applied,
        refused: None,
    }
}

/// What one pass of [`until_stable`] decided.
enum Step {
    Done,
    Refuse(Vec<Arc<str>>),
    /// The fixed text and how many edits made it.
    Apply(String, usize),
}

fn text_hash(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// Replaces the file at `path` with `text` atomically: see [`write_if_unchanged`], without
/// the check that the file still holds what was linted.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    replace(path, None, text.as_bytes(), |_| Ok(()))
}

/// Replaces the file at `path` with `new`, only if it still holds `original`:
///
/// - A symlink is written through: the file it points to is replaced, the link stays a link.
/// - Mode and owner are kept: the new file gets the original's permission bits, and its owner
///   and group when Candor may give them (root may; another user's file is refused, since the
///   replacement would become the runner's).
/// - Refused, with the reason, when the file is read-only (no write permission bit), when the
///   runner could not write to it anyway, or when it has more than one hard link (replacing it
///   would leave the other names with the old text).
/// - A concurrent change is never overwritten silently: the file is compared with `original`
///   through a handle opened first, once the new text is written and synced (immediately
///   before the rename), and once more after the rename. A change that lands in that last
///   moment went to the replaced copy: the fixed file is then left in place and the changed
///   copy is saved beside it (`<name>.candor-changed-*`), with an error saying so.
///
/// What remains: a process that keeps the file open and writes to it after that last check
/// writes to the replaced copy, which no one sees again (as with any editor that saves by
/// renaming). Extended attributes and ACLs are not copied.
pub fn write_if_unchanged(path: &Path, original: &[u8], new: &[u8]) -> io::Result<()> {
    replace(path, Some(original), new, |_| Ok(()))
}

/// Why a fix is not written: an error of kind `PermissionDenied` or `Other` with the reason.
fn refuse(kind: io::ErrorKind, why: impl Into<String>) -> io::Error {
    io::Error::new(kind, why.into())
}

const CHANGED: &str = "it changed while Candor was checking it; not overwriting it";

/// Whether the file behind `handle` holds exactly `expected` (read from its start).
fn holds(handle: &mut std::fs::File, expected: &[u8]) -> io::Result<bool> {
    use std::io::{Read, Seek, SeekFrom};
    if handle.metadata()?.len() != expected.len() as u64 {
        return Ok(false);
    }
    handle.seek(SeekFrom::Start(0))?;
    let mut now = Vec::with_capacity(expected.len());
    handle
        .take(expected.len() as u64 + 1)
        .read_to_end(&mut now)?;
    Ok(now == expected)
}

/// [`write_if_unchanged`] (`original: None`: whatever the file holds), calling `in_the_window`
/// with the temporary file's path between the last comparison and the rename (tests change
/// the file there, as a concurrent writer might).
fn replace(
    path: &Path,
    original: Option<&[u8]>,
    new: &[u8],
    in_the_window: impl FnOnce(&Path) -> io::Result<()>,
) -> io::Result<()> {
    use io::ErrorKind::{Other, PermissionDenied};
    // Through a link to the file it names: the link stays a link.
    let target = std::fs::canonicalize(path)?;
    let meta = std::fs::symlink_metadata(&target)?;
    if !meta.is_file() {
        return Err(refuse(Other, "not a regular file; not writing it"));
    }
    if meta.permissions().readonly() {
        return Err(refuse(
            PermissionDenied,
            "it is read-only (no write permission); not writing it (make it writable to fix it)",
        ));
    }
    // Opened for writing (nothing is written through it): the system says whether this user
    // may change the file, which a rename in a writable folder would not ask.
    let mut handle = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&target)
        .map_err(|e| match e.kind() {
            PermissionDenied => refuse(
                PermissionDenied,
                "you may not write to it (its permissions); not replacing it",
            ),
            _ => e,
        })?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(refuse(
                Other,
                format!(
                    "it has {} hard links; replacing it would leave the other names with the old text, so it is not fixed",
                    meta.nlink()
                ),
            ));
        }
    }
    if let Some(original) = original {
        if !holds(&mut handle, original)? {
            return Err(refuse(Other, CHANGED));
        }
    }
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".candor-fix-")
        .tempfile_in(dir)?;
    tmp.write_all(new)?;
    keep_owner(tmp.as_file(), &meta)?;
    // After the owner: changing it clears set-id bits.
    tmp.as_file().set_permissions(meta.permissions())?;
    tmp.as_file().sync_all()?;
    // Immediately before the rename.
    if let Some(original) = original {
        if !holds(&mut handle, original)? {
            return Err(refuse(Other, CHANGED));
        }
    }
    in_the_window(tmp.path())?;
    tmp.persist(&target).map_err(|e| e.error)?;
    // After it: a write that slipped in went to the copy just replaced, still open here.
    if let Some(original) = original {
        if !holds(&mut handle, original)? {
            let saved = save_changed_copy(&mut handle, &target)?;
            return Err(refuse(
                Other,
                format!(
                    "it changed while Candor was replacing it: the fixed file lacks that change, and the file as changed is saved as {}",
                    saved.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Gives the temporary file the original's owner and group. Root may; anyone else may only
/// keep their own file's owner, so another user's file is refused rather than taken over.
fn keep_owner(tmp: &std::fs::File, meta: &std::fs::Metadata) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        let mine = tmp.metadata()?;
        if (mine.uid(), mine.gid()) == (meta.uid(), meta.gid()) {
            return Ok(());
        }
        std::os::unix::fs::fchown(tmp, Some(meta.uid()), Some(meta.gid())).map_err(|_| {
            refuse(
                io::ErrorKind::PermissionDenied,
                format!(
                    "it belongs to another user or group (uid {}, gid {}); replacing it would make it yours, so it is not fixed",
                    meta.uid(),
                    meta.gid()
                ),
            )
        })?;
    }
    #[cfg(not(unix))]
    let _ = (tmp, meta);
    Ok(())
}

/// Saves what `handle` (the replaced copy) holds beside `target`; returns the copy's path.
fn save_changed_copy(handle: &mut std::fs::File, target: &Path) -> io::Result<std::path::PathBuf> {
    use std::io::{Read, Seek, SeekFrom};
    handle.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::new();
    handle.read_to_end(&mut bytes)?;
    let dir = target.parent().unwrap_or(Path::new("."));
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut copy = tempfile::Builder::new()
        .prefix(&format!("{name}.candor-changed-"))
        .tempfile_in(dir)?;
    copy.write_all(&bytes)?;
    copy.as_file().sync_all()?;
    let (_, path) = copy.keep().map_err(|e| e.error)?;
    Ok(path)
}

/// How long `--diff` looks for the shortest diff of one file before it takes a longer one.
pub const DIFF_TIMEOUT: std::time::Duration = std::time::Duration::from_millis(500);

/// A unified diff (`--- a/path`, `+++ b/path`) from `old` to `new`; empty when they are equal.
pub fn unified_diff(shown: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    // Myers' diff costs O(n x d): with tens of thousands of changed lines it ran for seconds.
    // Past the deadline it settles for a longer but still exact diff of what is left.
    similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(DIFF_TIMEOUT)
        .diff_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{shown}"), &format!("b/{shown}"))
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use proptest::prelude::*;

    fn diag(span: std::ops::Range<usize>, replacement: &str) -> Diagnostic {
        let mut d = Diagnostic::new("T.R".into(), Severity::Warning, String::new(), span.clone());
        d.fix = Some(Box::new(Edit {
            span,
            replacement: replacement.to_string(),
            applicability: Applicability::Safe,
        }));
        d
    }

    fn doc(text: &str) -> Document {
        Document::parse(text.to_string(), Format::Text)
    }

    #[test]
    fn overlapping_and_bad_edits_are_left_out() {
        let d = doc("héllo world"); // 'é' is bytes 1..3, "world" is 7..12
        let edits = choose_edits(
            &[
                diag(0..6, "A"),      // "héllo"
                diag(3..8, "B"),      // overlaps the one before: left for a later pass
                diag(2..3, "x"),      // inside 'é': not a character boundary
                diag(10..20, "Z"),    // past the end
                diag(7..12, "world"), // changes nothing
                diag(7..12, "X"),
                diag(7..12, "X"), // the same edit from a second rule: applied once
            ],
            &d,
            false,
        );
        assert_eq!(
            edits
                .iter()
                .map(|e| (e.span.clone(), e.replacement.as_str()))
                .collect::<Vec<_>>(),
            vec![(0..6, "A"), (7..12, "X")]
        );
        assert_eq!(apply(&d.source, &edits), "A X");
    }

    #[test]
    fn stand_ins_and_patterns_are_told_apart() {
        assert!(has_stand_in("Hi (and the customer's name)"));
        assert!(has_stand_in("Hello [name]"));
        assert!(has_stand_in("{order number}"));
        assert!(!has_stand_in("e-mail"));
        assert!(!has_stand_in("Hi Sam, thanks"));
        assert!(is_literal("e-mail") && is_literal("in order to") && is_literal("can't"));
        assert!(!is_literal("colou?r") && !is_literal("e.g.") && !is_literal("a|b"));
    }

    #[test]
    fn diff_has_headers_and_changed_lines() {
        let diff = unified_diff("r.md", "a\nutilize\nc\n", "a\nuse\nc\n");
        assert!(diff.starts_with("--- a/r.md\n+++ b/r.md\n"), "{diff}");
        assert!(diff.contains("\n-utilize\n+use\n"), "{diff}");
        assert_eq!(unified_diff("r.md", "same", "same"), "");
    }

    #[test]
    fn atomic_write_keeps_permissions_and_links() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        std::fs::write(&path, "old").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
            let link = dir.path().join("link.md");
            std::os::unix::fs::symlink(&path, &link).unwrap();
            write_atomically(&link, "new").unwrap();
            assert!(std::fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink());
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o640);
        }
        #[cfg(not(unix))]
        write_atomically(&path, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        // Nothing left behind but the file (and the link).
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(".candor-fix-"))
            .collect();
        assert!(names.is_empty(), "{names:?}");
    }

    fn temporary(dir: &Path, prefix: &str) -> Vec<std::path::PathBuf> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
            .collect()
    }

    #[test]
    fn a_file_edited_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        std::fs::write(&path, "edited by someone else").unwrap();
        let err = write_if_unchanged(&path, b"what candor read", b"fixed").unwrap_err();
        assert!(err.to_string().contains("changed while"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "edited by someone else"
        );
        assert!(
            temporary(dir.path(), ".candor-").is_empty(),
            "the refused write left no file"
        );
        write_if_unchanged(&path, b"edited by someone else", b"fixed").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fixed");
        // The file is compared once the new text is on disk, right before the rename.
        let mut seen = 0;
        replace(&path, Some(b"fixed"), b"again", |_| {
            seen = temporary(dir.path(), ".candor-fix-").len();
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, 1);
        assert!(temporary(dir.path(), ".candor-").is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "again");
    }

    #[test]
    fn a_write_between_the_last_comparison_and_the_rename_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log.md");
        std::fs::write(&path, "line 1\n").unwrap();
        // A writer that has the file open appends in the last moment before the rename.
        let mut writer = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap();
        let err = replace(&path, Some(b"line 1\n"), b"LINE 1\n", |_| {
            writer.write_all(b"line 2\n")
        })
        .unwrap_err();
        assert!(
            err.to_string()
                .contains("changed while Candor was replacing it"),
            "{err}"
        );
        let saved = temporary(dir.path(), "log.md.candor-changed-");
        assert_eq!(saved.len(), 1, "{err}");
        assert!(
            err.to_string().contains(&*saved[0].to_string_lossy()),
            "{err}"
        );
        // No byte is lost: the appended line is in the saved copy.
        assert_eq!(
            std::fs::read_to_string(&saved[0]).unwrap(),
            "line 1\nline 2\n"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "LINE 1\n");
    }

    #[test]
    fn read_only_files_and_hard_links_are_refused_with_a_reason() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        std::fs::write(&path, "old").unwrap();
        let mut ro = std::fs::metadata(&path).unwrap().permissions();
        ro.set_readonly(true);
        std::fs::set_permissions(&path, ro).unwrap();
        let err = write_if_unchanged(&path, b"old", b"new").unwrap_err();
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let mut rw = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        rw.set_readonly(false);
        std::fs::set_permissions(&path, rw).unwrap();

        let other = dir.path().join("other-name.md");
        std::fs::hard_link(&path, &other).unwrap();
        let err = write_if_unchanged(&path, b"old", b"new").unwrap_err();
        assert!(err.to_string().contains("2 hard links"), "{err}");
        assert_eq!(std::fs::read_to_string(&other).unwrap(), "old");
        assert!(temporary(dir.path(), ".candor-").is_empty());
    }

    proptest! {
        /// Whatever edits rules offer, the chosen ones never overlap and every byte outside
        /// them is kept, in order.
        #[test]
        fn only_chosen_spans_change(
            text in "[a-zé \n]{0,40}",
            raw in proptest::collection::vec((0usize..45, 0usize..6, "[A-Z]{0,3}"), 0..8),
        ) {
            let d = doc(&text);
            let diags: Vec<Diagnostic> = raw
                .iter()
                .map(|(s, len, r)| diag(*s..s + len, r))
                .collect();
            let edits = choose_edits(&diags, &d, false);
            for w in edits.windows(2) {
                prop_assert!(w[0].span.end <= w[1].span.start && w[0].span.start < w[1].span.start);
            }
            let out = apply(&text, &edits);
            // Rebuild the original from the output: kept stretches must match byte for byte.
            let mut rebuilt = String::new();
            let (mut last_src, mut last_out) = (0, 0);
            for e in &edits {
                let kept = &text[last_src..e.span.start];
                prop_assert_eq!(&out[last_out..last_out + kept.len()], kept);
                rebuilt.push_str(kept);
                rebuilt.push_str(&text[e.span.clone()]);
                last_out += kept.len() + e.replacement.len();
                last_src = e.span.end;
            }
            prop_assert_eq!(&out[last_out..], &text[last_src..]);
            rebuilt.push_str(&text[last_src..]);
            prop_assert_eq!(rebuilt, text);
        }
    }
}
