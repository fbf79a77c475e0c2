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
use std::path::Path;

use crate::diagnostic::{Diagnostic, Edit};
use crate::document::{Document, Format, Origin};

/// Passes after which fixing stops even if rules keep offering edits (rules that rewrite
/// each other's output).
pub const MAX_PASSES: usize = 10;

/// The edits of `diagnostics` that are safe to apply to `doc` together, in file order: inside
/// the text and on character boundaries, changing something, not overlapping an earlier one.
pub fn choose_edits(diagnostics: &[Diagnostic], doc: &Document) -> Vec<Edit> {
    let source = &doc.source;
    // A macro export (JSON, YAML, CSV) holds its text escaped or quoted; Markdown and text files
    // hold it as is.
    let prose_file =
        matches!(doc.format, Format::Markdown | Format::Text) && doc.origin == Origin::Prose;
    let mut edits: Vec<&Edit> = diagnostics
        .iter()
        .filter_map(|d| d.fix.as_ref())
        .filter(|e| {
            e.span.start <= e.span.end
                && source.get(e.span.clone()).is_some_and(|old| old != e.replacement)
                // In a JSON, YAML or CSV export the bytes are escaped text: only a replacement
                // that needs no escaping can go in as is.
                && (prose_file || !e.replacement.chars().any(needs_escaping))
        })
        .collect();
    edits.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.replacement).cmp(&(b.span.start, b.span.end, &b.replacement))
    });
    edits.dedup();
    let mut chosen: Vec<Edit> = Vec::new();
    for e in edits {
        if let Some(prev) = chosen.last() {
            if e.span.start < prev.span.end || e.span.start == prev.span.start {
                continue;
            }
        }
        chosen.push(e.clone());
    }
    chosen
}

fn needs_escaping(c: char) -> bool {
    matches!(c, '"' | '\\' | '<' | '>' | '&' | '\'') || c.is_control()
}

/// `source` with `edits` (sorted, non-overlapping, from [`choose_edits`]) applied.
pub fn apply(source: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(source.len());
    let mut last = 0;
    for e in edits {
        out.push_str(&source[last..e.span.start]);
        out.push_str(&e.replacement);
        last = e.span.end;
    }
    out.push_str(&source[last..]);
    out
}

/// One linted version of a file: whatever the caller needs (`item`) and its findings.
#[derive(Debug)]
pub struct Pass<T> {
    pub item: T,
    pub diagnostics: Vec<Diagnostic>,
}

/// Applies fixes pass after pass until none is left (or [`MAX_PASSES`]). `doc_of` gives the
/// document of a pass; `relint` reads and lints a fixed text (`None` stops). Returns the last
/// pass and how many edits were applied in all.
pub fn until_stable<T>(
    first: Pass<T>,
    doc_of: impl Fn(&T) -> &Document,
    mut relint: impl FnMut(String) -> Option<Pass<T>>,
) -> (Pass<T>, usize) {
    let mut pass = first;
    let mut applied = 0;
    for _ in 0..MAX_PASSES {
        let doc = doc_of(&pass.item);
        let edits = choose_edits(&pass.diagnostics, doc);
        if edits.is_empty() {
            break;
        }
        let text = apply(&doc.source, &edits);
        match relint(text) {
            Some(next) => {
                applied += edits.len();
                pass = next;
            }
            None => break,
        }
    }
    (pass, applied)
}

/// Replaces the file at `path` with `text` atomically: written to a temporary file in the same
/// folder, flushed, given the original's permissions, then renamed over it. A symlink is
/// followed, so the file it points to is updated and the link stays a link.
pub fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    write_atomically_if(path, text, || Ok(()))
}

/// Like [`write_atomically`], but only if the file still holds `original`: a file edited while
/// Candor was linting it is left alone rather than overwritten with a fix of the old text. The
/// file is compared after the new text is written and flushed, just before the rename, so an
/// edit has only that moment to slip in.
pub fn write_if_unchanged(path: &Path, original: &str, text: &str) -> io::Result<()> {
    write_atomically_if(path, text, || {
        if std::fs::read(path)? != original.as_bytes() {
            return Err(io::Error::other(
                "it changed while Candor was checking it; not overwriting it",
            ));
        }
        Ok(())
    })
}

/// [`write_atomically`], renaming only if `still_ok` says so once the temporary file is ready
/// (the temporary file is removed otherwise).
fn write_atomically_if(
    path: &Path,
    text: &str,
    still_ok: impl FnOnce() -> io::Result<()>,
) -> io::Result<()> {
    let target = std::fs::canonicalize(path)?;
    let permissions = std::fs::metadata(&target)?.permissions();
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".candor-fix-")
        .tempfile_in(dir)?;
    tmp.write_all(text.as_bytes())?;
    tmp.as_file().sync_all()?;
    std::fs::set_permissions(tmp.path(), permissions)?;
    still_ok()?;
    tmp.persist(&target).map_err(|e| e.error)?;
    Ok(())
}

/// A unified diff (`--- a/path`, `+++ b/path`) from `old` to `new`; empty when they are equal.
pub fn unified_diff(shown: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    similar::TextDiff::from_lines(old, new)
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
        d.fix = Some(Edit {
            span,
            replacement: replacement.to_string(),
        });
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

    #[test]
    fn a_file_edited_meanwhile_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.md");
        let temporary = |dir: &Path| {
            std::fs::read_dir(dir)
                .unwrap()
                .filter(|e| {
                    let name = e.as_ref().unwrap().file_name();
                    name.to_string_lossy().starts_with(".candor-fix-")
                })
                .count()
        };
        std::fs::write(&path, "edited by someone else").unwrap();
        let err = write_if_unchanged(&path, "what candor read", "fixed").unwrap_err();
        assert!(err.to_string().contains("changed while"), "{err}");
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "edited by someone else"
        );
        assert_eq!(temporary(dir.path()), 0, "the refused write left no file");
        write_if_unchanged(&path, "edited by someone else", "fixed").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "fixed");
        // The file is compared once the new text is on disk, right before the rename.
        let mut seen = 0;
        write_atomically_if(&path, "again", || {
            seen = temporary(dir.path());
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, 1);
        assert_eq!(temporary(dir.path()), 0);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "again");
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
            let edits = choose_edits(&diags, &d);
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
