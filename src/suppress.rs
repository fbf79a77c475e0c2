//! Inline suppression comments: the writer turns rules off for part of a file.
//!
//! What it reads:
//! - `<!-- candor-disable -->` … `<!-- candor-enable -->`: every rule off in between;
//!   `<!-- candor-disable Candor.SelfFocus, Candor.CannedFiller -->` turns off only those (a pack
//!   name such as `Candor` covers all its rules) and `<!-- candor-enable Candor.SelfFocus -->`
//!   turns one back on;
//! - `<!-- candor-disable-next-line [rules] -->`: the line after the comment only;
//!   `<!-- candor-disable-line [rules] -->`: the comment's own line;
//! - Vale's `<!-- vale off -->` / `<!-- vale on -->`, `<!-- vale Pack.Rule = NO -->` / `= YES`,
//!   `<!-- vale Pack = NO -->` and `<!-- vale Pack.Rule["match"] = NO -->`, so documents written
//!   for Vale keep working.
//!
//! Text after ` -- ` is a reason for the reader and is ignored.
//! Why it matters: a macro that quotes filler on purpose ("never write 'We apologize for any
//! inconvenience'") must not fail CI, and the writer says so next to the text, not in a config.
//!
//! In Markdown only real HTML comments count (one shown inside a code block does not); in other
//! files a comment counts when it stands on its own line. In a helpdesk macro export a comment
//! anywhere inside a macro body counts (HTML bodies keep them; JSON may write `<` as `\u003c`),
//! and it applies within that body only: a `candor-disable` left open ends with the body, and
//! "line" means a line of the body (a newline, or a `\n` escape in a JSON string).

use std::collections::HashMap;
use std::ops::Range;
use std::sync::LazyLock;

use pulldown_cmark::{Event, Options, Parser, Tag};
use regex::Regex;

use crate::diagnostic::{Diagnostic, LineIndex};
use crate::document::{Document, Format};

/// Rules a directive names; no selectors means every rule.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct Selector {
    /// A rule id (`Candor.SelfFocus`) or a pack (`Candor`).
    target: String,
    /// Vale's `Rule["a","b"]`: only findings whose matched text is one of these (ignoring
    /// ASCII case, so "utilize" covers a sentence-initial "Utilize").
    matches: Option<Vec<String>>,
}

impl Selector {
    /// Whether turning `self` on or off undoes an earlier `other`: the same selector, or the
    /// whole rule after one limited to some matches (`vale R = YES` after `vale R["x"] = NO`).
    #[cfg(test)]
    fn replaces(&self, other: &Selector) -> bool {
        self == other || (self.matches.is_none() && self.target == other.target)
    }

    fn covers(&self, rule: &str, matched: &str) -> bool {
        let rule_hit = names(&self.target, rule);
        rule_hit
            && self.matches.as_ref().is_none_or(|m| {
                let matched = match_key(matched);
                m.iter().any(|x| match_key(x) == matched)
            })
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Disable(Vec<Selector>),
    Enable(Vec<Selector>),
    DisableNextLine(Vec<Selector>),
    DisableLine(Vec<Selector>),
}

/// A directive and the byte offset where its comment ends (where it takes effect).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Directive {
    /// Where the comment starts.
    start: usize,
    at: usize,
    action: Action,
    /// Written in Vale's form (`vale ...`), not Candor's.
    vale: bool,
}

/// How Vale's `Rule["match"]` compares a finding's text: ASCII case ignored, and punctuation
/// and spaces around it too. Vale's match is the word or phrase its rule matched; a Candor
/// finding may cover the whole sentence around that phrase, "Thanks for reaching out!"
/// included, which `["thanks for reaching out"]` must still name.
fn match_key(text: &str) -> String {
    text.trim_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation() || c == '\u{feff}')
        .to_ascii_lowercase()
}

/// Where rules are off, from the range directives (`disable` / `enable`, Vale's `off` / `on`
/// and `R = NO` / `R = YES`), built in one pass over them: each distinct selector once, with
/// the sorted byte intervals where it is on the list that matters there (the rules turned back
/// on inside a disable-all region, the rules turned off outside one). A finding then costs a
/// binary search per selector that may cover its rule, whatever the number of directives.
#[derive(Debug, Default, PartialEq)]
struct Regions {
    /// Where every rule is off (but the ones turned back on): sorted, disjoint.
    all: Vec<Range<usize>>,
    /// For each distinct selector, sorted, disjoint intervals where it is listed.
    listed: Vec<Vec<Range<usize>>>,
    /// Selector ids by target, then by match (lowercased) for Vale's `R["match"]`.
    by_target: HashMap<String, TargetIds>,
}

#[derive(Debug, Default, PartialEq)]
struct TargetIds {
    /// Selectors of the whole target.
    whole: Vec<usize>,
    /// Selectors limited to some matched texts, by each of those texts (ASCII lowercase).
    by_match: HashMap<String, Vec<usize>>,
}

/// Whether `at` lies in one of the sorted, disjoint `intervals`.
fn inside(intervals: &[Range<usize>], at: usize) -> bool {
    let i = intervals.partition_point(|r| r.start <= at);
    i > 0 && intervals[i - 1].end > at
}

/// The selector targets that may cover `rule`: the rule and each pack prefix (`A.B.C`: `A`,
/// `A.B`, `A.B.C`).
fn targets_of(rule: &str) -> impl Iterator<Item = &str> {
    rule.match_indices('.')
        .map(|(i, _)| &rule[..i])
        .chain(std::iter::once(rule))
}

impl Regions {
    /// Whether the range directives turn `rule` off at `at` for a finding over `matched`.
    fn disables(&self, rule: &str, at: usize, matched: &str) -> bool {
        let all = inside(&self.all, at);
        let mut lowered: Option<String> = None;
        let listed = targets_of(rule).any(|t| {
            let Some(ids) = self.by_target.get(t) else {
                return false;
            };
            if ids.whole.iter().any(|&id| inside(&self.listed[id], at)) {
                return true;
            }
            if ids.by_match.is_empty() {
                return false;
            }
            let key = lowered.get_or_insert_with(|| match_key(matched));
            ids.by_match
                .get(key.as_str())
                .is_some_and(|v| v.iter().any(|&id| inside(&self.listed[id], at)))
        });
        if all {
            !listed
        } else {
            listed
        }
    }
}

/// Builds [`Regions`] from range directives given in order: each directive costs O(its
/// selectors), amortised (a selector is opened and closed once per listing).
#[derive(Default)]
struct RegionBuilder {
    regions: Regions,
    ids: HashMap<Selector, usize>,
    /// Where each selector's current listing started, if it is listed now.
    open: Vec<Option<usize>>,
    /// Selectors opened since the last reset (some may be closed since).
    open_ids: Vec<usize>,
    open_by_target: HashMap<String, Vec<usize>>,
    /// Where the current disable-all region started.
    all_since: Option<usize>,
}

impl RegionBuilder {
    fn id(&mut self, s: &Selector) -> usize {
        if let Some(&id) = self.ids.get(s) {
            return id;
        }
        let id = self.open.len();
        self.open.push(None);
        self.regions.listed.push(Vec::new());
        let ids = self.regions.by_target.entry(s.target.clone()).or_default();
        match &s.matches {
            None => ids.whole.push(id),
            Some(list) => {
                let mut keys: Vec<String> = list.iter().map(|m| match_key(m)).collect();
                keys.sort();
                keys.dedup();
                for k in keys {
                    ids.by_match.entry(k).or_default().push(id);
                }
            }
        }
        self.ids.insert(s.clone(), id);
        id
    }

    fn list(&mut self, s: &Selector, at: usize) {
        let id = self.id(s);
        if self.open[id].is_none() {
            self.open[id] = Some(at);
            self.open_ids.push(id);
            self.open_by_target
                .entry(s.target.clone())
                .or_default()
                .push(id);
        }
    }

    fn close(&mut self, id: usize, at: usize) {
        if let Some(start) = self.open[id].take() {
            if start < at {
                self.regions.listed[id].push(start..at);
            }
        }
    }

    /// Takes off the list whatever `s` undoes: the same selector, or with no match limit
    /// every selector of its target (`vale R = YES` after `vale R["x"] = NO`).
    fn unlist(&mut self, s: &Selector, at: usize) {
        if s.matches.is_none() {
            for id in self.open_by_target.remove(&s.target).unwrap_or_default() {
                self.close(id, at);
            }
        } else if let Some(&id) = self.ids.get(s) {
            self.close(id, at);
        }
    }

    fn unlist_all(&mut self, at: usize) {
        for id in std::mem::take(&mut self.open_ids) {
            self.close(id, at);
        }
        self.open_by_target.clear();
    }

    fn end_all(&mut self, at: usize) {
        if let Some(start) = self.all_since.take() {
            if start < at {
                self.regions.all.push(start..at);
            }
        }
    }

    /// Applies a directive whose comment ends at `at`.
    fn apply(&mut self, action: &Action, at: usize) {
        match action {
            Action::Disable(sels) if sels.is_empty() => {
                self.unlist_all(at);
                self.all_since.get_or_insert(at);
            }
            Action::Enable(sels) if sels.is_empty() => {
                self.unlist_all(at);
                self.end_all(at);
            }
            Action::Disable(sels) => {
                for s in sels {
                    if self.all_since.is_some() {
                        self.unlist(s, at);
                    } else {
                        self.list(s, at);
                    }
                }
            }
            Action::Enable(sels) => {
                for s in sels {
                    if self.all_since.is_some() {
                        self.list(s, at);
                    } else {
                        self.unlist(s, at);
                    }
                }
            }
            Action::DisableNextLine(_) | Action::DisableLine(_) => {}
        }
    }

    /// Everything still open ends at `at` (the end of a macro body, or of the file).
    fn reset(&mut self, at: usize) {
        self.unlist_all(at);
        self.end_all(at);
    }

    fn finish(mut self) -> Regions {
        self.reset(usize::MAX);
        // Macro bodies may come out of file order: each list is sorted (they never overlap).
        self.regions.all.sort_by_key(|r| r.start);
        for l in &mut self.regions.listed {
            l.sort_by_key(|r| r.start);
        }
        self.regions
    }
}

/// The rules a line directive names, indexed: no selector means every rule.
#[derive(Debug, Default, PartialEq)]
struct Names {
    every: bool,
    targets: std::collections::HashSet<String>,
    /// Selectors limited to matched texts (Vale's form; line directives do not use it today).
    limited: Vec<Selector>,
}

impl Names {
    fn of(sels: Vec<Selector>) -> Names {
        let mut names = Names {
            every: sels.is_empty(),
            ..Names::default()
        };
        for s in sels {
            match s.matches {
                None => {
                    names.targets.insert(s.target);
                }
                Some(_) => names.limited.push(s),
            }
        }
        names
    }

    fn cover(&self, rule: &str, matched: &str) -> bool {
        self.every
            || (!self.targets.is_empty() && targets_of(rule).any(|t| self.targets.contains(t)))
            || self.limited.iter().any(|s| s.covers(rule, matched))
    }
}

/// The suppression comments of one document.
#[derive(Debug, Default, PartialEq)]
pub struct Suppressions {
    /// The range directives.
    regions: Regions,
    /// 1-based line and the rules of each `candor-disable-next-line` / `-line`, sorted by line.
    lines: Vec<(usize, Names)>,
    /// Byte range and rules of each line directive inside a macro body, sorted by start, with
    /// the largest end so far (to find every range holding a byte from the right).
    spans: Vec<(Range<usize>, Names, usize)>,
    /// The range directives in Candor's form only: what applies to a rule that reads the
    /// whole file (see [`apply`]).
    candor_regions: Regions,
    /// Whether a `vale off` is still open at the end of the file.
    vale_off_at_end: bool,
}

impl Suppressions {
    /// Reads the directives of `doc`.
    pub fn of(doc: &Document) -> Suppressions {
        if !may_hold_directives(&doc.source) {
            return Suppressions::default();
        }
        Suppressions::read(doc)
    }

    /// [`Suppressions::of`] without its pre-check.
    fn read(doc: &Document) -> Suppressions {
        let source = &doc.source;
        if !doc.part_extents.is_empty() {
            return Suppressions::of_parts(source, &doc.part_extents);
        }
        let directives = match doc.format {
            Format::Markdown => markdown_directives(source),
            _ => own_line_directives(source),
        };
        let index = LineIndex::new(source);
        let mut out = Suppressions::default();
        let mut regions = RegionBuilder::default();
        let mut candor_regions = RegionBuilder::default();
        for d in directives {
            match (&d.action, d.vale) {
                (Action::Disable(s), true) if s.is_empty() => out.vale_off_at_end = true,
                (Action::Enable(s), true) if s.is_empty() => out.vale_off_at_end = false,
                (_, false) => candor_regions.apply(&d.action, d.at),
                _ => {}
            }
            match d.action {
                Action::DisableNextLine(sels) => {
                    let line = index.line_col(source, d.at).line + 1;
                    out.lines.push((line, Names::of(sels)));
                }
                Action::DisableLine(sels) => {
                    let line = index.line_col(source, d.at).line;
                    out.lines.push((line, Names::of(sels)));
                }
                action => regions.apply(&action, d.at),
            }
        }
        out.regions = regions.finish();
        out.candor_regions = candor_regions.finish();
        out.lines.sort_by_key(|(line, _)| *line);
        out
    }

    /// Directives inside each part (macro body) of an export, each part on its own.
    fn of_parts(source: &str, extents: &[Range<usize>]) -> Suppressions {
        let mut out = Suppressions::default();
        let mut spans: Vec<(Range<usize>, Names)> = Vec::new();
        let mut regions = RegionBuilder::default();
        for extent in extents {
            let Some(body) = source.get(extent.clone()) else {
                continue;
            };
            let breaks = line_breaks(body);
            for c in ANY_COMMENT.captures_iter(body) {
                let (Some(whole), Some(inner)) = (c.get(0), c.get(1)) else {
                    continue;
                };
                let Some(action) = parse(&inner.as_str().replace("\\\"", "\"")) else {
                    continue;
                };
                let shift = |r: Range<usize>| extent.start + r.start..extent.start + r.end;
                match action {
                    Action::DisableLine(sels) => {
                        spans.push((
                            shift(line_at(&breaks, body.len(), whole.start())),
                            Names::of(sels),
                        ));
                    }
                    Action::DisableNextLine(sels) => {
                        // The next line with text: a blank line or a bare `<p>` does not count.
                        let first = breaks.partition_point(|b| b.start < whole.end());
                        let next = breaks[first..]
                            .iter()
                            .map(|b| line_at(&breaks, body.len(), b.end))
                            .find(|l| !body[l.clone()].trim().is_empty());
                        if let Some(line) = next {
                            spans.push((shift(line), Names::of(sels)));
                        }
                    }
                    other => regions.apply(&other, extent.start + whole.end()),
                }
            }
            // A region left open ends with the body.
            regions.reset(extent.end);
        }
        out.regions = regions.finish();
        spans.sort_by_key(|(r, _)| r.start);
        let mut reach = 0;
        out.spans = spans
            .into_iter()
            .map(|(r, names)| {
                reach = reach.max(r.end);
                (r, names, reach)
            })
            .collect();
        out
    }

    pub fn is_empty(&self) -> bool {
        !self.vale_off_at_end
            && self.regions.all.is_empty()
            && self.regions.listed.iter().all(Vec::is_empty)
            && self.lines.is_empty()
            && self.spans.is_empty()
    }

    /// Whether a finding of `rule` starting at byte `at`, on 1-based `line`, over `matched`
    /// is turned off. `whole_file`: the rule reads the whole file (Vale's `scope: raw`), which
    /// Vale lints after the rest, once the comments of the file are read: a `vale R = NO`
    /// then no longer holds anywhere, and a `vale off` holds everywhere if it is still open
    /// at the end of the file (and nowhere otherwise). Candor's own directives keep their
    /// places.
    fn suppresses(
        &self,
        rule: &str,
        at: usize,
        line: usize,
        matched: &str,
        whole_file: bool,
    ) -> bool {
        let regions = if whole_file {
            if self.vale_off_at_end {
                return true;
            }
            &self.candor_regions
        } else {
            &self.regions
        };
        if regions.disables(rule, at, matched) {
            return true;
        }
        let from = self.lines.partition_point(|(l, _)| *l < line);
        if self.lines[from..]
            .iter()
            .take_while(|(l, _)| *l == line)
            .any(|(_, names)| names.cover(rule, matched))
        {
            return true;
        }
        // Spans starting at or before `at`, from the right, while one may still reach it.
        let upto = self.spans.partition_point(|(r, _, _)| r.start <= at);
        self.spans[..upto]
            .iter()
            .rev()
            .take_while(|(_, _, reach)| *reach > at)
            .any(|(r, names, _)| r.contains(&at) && names.cover(rule, matched))
    }
}

/// Drops the findings that suppression comments in `doc` turn off. `whole_file` says which
/// rules read the whole file as Vale's `scope: raw` does (see [`Suppressions::suppresses`]).
pub fn apply(diagnostics: &mut Vec<Diagnostic>, doc: &Document, whole_file: &dyn Fn(&str) -> bool) {
    let sup = Suppressions::of(doc);
    if sup.is_empty() {
        return;
    }
    let index = LineIndex::new(&doc.source);
    diagnostics.retain(|d| {
        let line = index.line_col(&doc.source, d.span.start).line;
        let matched = doc.source.get(d.span.clone()).unwrap_or("");
        !sup.suppresses(&d.rule, d.span.start, line, matched, whole_file(&d.rule))
    });
}

/// Whether `target` (a rule id, or a pack such as `Candor`) names the rule `rule`.
pub fn names(target: &str, rule: &str) -> bool {
    rule == target
        || rule
            .strip_prefix(target)
            .is_some_and(|rest| rest.starts_with('.'))
}

/// Rule id of the warning about a suppression comment that turns nothing off (ruff's RUF100).
pub const UNUSED_SUPPRESSION: &str = "Candor.UnusedSuppression";
/// Rule id of the warning about a suppression comment naming no loaded rule or pack.
pub const UNKNOWN_RULE: &str = "Candor.UnknownRule";
/// The ids of the checks of suppression comments: they may be selected, ignored and turned
/// off like rules.
pub const COMMENT_CHECKS: &[&str] = &[UNKNOWN_RULE, UNUSED_SUPPRESSION];

/// Warnings about the suppression comments of `doc`, given its `findings` before any comment
/// turned them off: a rule id or pack that names nothing loaded (`known` says what is), and a
/// comment that turned no finding off although the rules it names ran (`running`), so a typo
/// or a stale comment does not silently hide nothing. Each warning spans its comment.
/// Macro exports are not checked (their comments live inside escaped bodies).
pub fn check_comments(
    doc: &Document,
    findings: &[Diagnostic],
    known: &dyn Fn(&str) -> bool,
    running: &dyn Fn(&str) -> bool,
    whole_file: &dyn Fn(&str) -> bool,
) -> Vec<Diagnostic> {
    if !doc.part_extents.is_empty() || !may_hold_directives(&doc.source) {
        return Vec::new();
    }
    let source = &doc.source;
    let directives = match doc.format {
        Format::Markdown => markdown_directives(source),
        _ => own_line_directives(source),
    };
    let sup = Suppressions::read(doc);
    let index = LineIndex::new(source);
    // The findings the comments turn off, with their line and matched text.
    let suppressed: Vec<(&Diagnostic, usize, &str)> = findings
        .iter()
        .map(|d| {
            let line = index.line_col(source, d.span.start).line;
            (d, line, source.get(d.span.clone()).unwrap_or(""))
        })
        .filter(|(d, line, matched)| {
            sup.suppresses(&d.rule, d.span.start, *line, matched, whole_file(&d.rule))
        })
        .collect();
    let mut out = Vec::new();
    let warn = |rule: &str, d: &Directive, message: String| {
        Diagnostic::new(
            std::sync::Arc::from(rule),
            crate::diagnostic::Severity::Warning,
            message,
            d.start..d.at,
        )
    };
    for (i, d) in directives.iter().enumerate() {
        let sels = match &d.action {
            Action::Disable(s)
            | Action::Enable(s)
            | Action::DisableNextLine(s)
            | Action::DisableLine(s) => s,
        };
        // A document written for Vale may name the rules of packs Candor does not load: only
        // an unknown rule of a loaded pack is a typo there.
        let vale = source[d.start..d.at]
            .trim_start_matches("<!--")
            .trim_start()
            .starts_with("vale");
        let typo = |target: &str| {
            !known(target) && (!vale || target.split_once('.').is_some_and(|(p, _)| known(p)))
        };
        let mut unknown = false;
        for s in sels.iter().filter(|s| typo(&s.target)) {
            unknown = true;
            out.push(warn(
                UNKNOWN_RULE,
                d,
                format!(
                    "This comment names `{}`, which is no loaded rule or pack, so it turns nothing off; `candor rules` lists them.",
                    s.target
                ),
            ));
        }
        if unknown || !sels.iter().all(|s| known(&s.target) && running(&s.target)) {
            continue;
        }
        let comment_line = index.line_col(source, d.start).line;
        let covers = |rule: &str, matched: &str| {
            sels.is_empty() || sels.iter().any(|s| s.covers(rule, matched))
        };
        let used = match &d.action {
            Action::Enable(_) => continue,
            Action::DisableLine(_) | Action::DisableNextLine(_) => {
                let line = match d.action {
                    Action::DisableLine(_) => comment_line,
                    _ => comment_line + 1,
                };
                suppressed
                    .iter()
                    .any(|(f, l, m)| *l == line && covers(&f.rule, m))
            }
            Action::Disable(_) => {
                let end = region_end(&directives[i + 1..], sels);
                suppressed
                    .iter()
                    .any(|(f, _, m)| (d.at..end).contains(&f.span.start) && covers(&f.rule, m))
            }
        };
        if !used {
            let what = if sels.is_empty() {
                "any rule".to_string()
            } else {
                sels.iter()
                    .map(|s| format!("`{}`", s.target))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            out.push(warn(
                UNUSED_SUPPRESSION,
                d,
                format!("This suppression comment turns nothing off: no finding of {what} is here to suppress. Remove it, or fix the rule name."),
            ));
        }
    }
    out
}

/// Where a `Disable` of `sels` that precedes `later` stops: at the first directive that turns
/// everything back on or starts over, or that turns one of its rules back on.
fn region_end(later: &[Directive], sels: &[Selector]) -> usize {
    later
        .iter()
        .find(|d| match &d.action {
            Action::Enable(on) if on.is_empty() => true,
            Action::Disable(off) if off.is_empty() => !sels.is_empty(),
            Action::Enable(on) => on.iter().any(|o| sels.iter().any(|s| s.target == o.target)),
            _ => false,
        })
        .map_or(usize::MAX, |d| d.start)
}

static COMMENT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?s)<!--(.*?)-->").expect("valid comment regex"));

/// An HTML comment as it may appear in a JSON string: `<` and `>` possibly escaped.
static ANY_COMMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?s)(?:<|\\u003[cC])!--(.*?)--(?:>|\\u003[eE])").expect("valid comment regex")
});

/// Tags that start a new line in an HTML body.
static HTML_LINE_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)<(?:p|div|li|h[1-6]|blockquote|tr|br)\b[^>]*>").expect("valid tag regex")
});

/// Line breaks of a macro body as written in the file, sorted: newlines, `\n` escapes (JSON,
/// double-quoted YAML; an escaped backslash `\\` is skipped so `\\n` is not one), and tags that
/// start a line in HTML (`<p>`, `<br>`, `<li>`, ...).
fn line_breaks(body: &str) -> Vec<Range<usize>> {
    let mut out = text_line_breaks(body);
    out.extend(HTML_LINE_START.find_iter(body).map(|m| m.range()));
    out.sort_by_key(|r| r.start);
    // A newline inside a tag is part of that break: the breaks never overlap, so their ends are
    // sorted too and [`line_at`] can search them.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for b in out {
        match merged.last_mut() {
            Some(last) if b.start < last.end => last.end = last.end.max(b.end),
            _ => merged.push(b),
        }
    }
    merged
}

fn text_line_breaks(body: &str) -> Vec<Range<usize>> {
    let bytes = body.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => out.push(i..i + 1),
            b'\\' if bytes.get(i + 1) == Some(&b'n') => {
                out.push(i..i + 2);
                i += 1;
            }
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    out
}

/// The line (between two breaks) holding byte `at`.
fn line_at(breaks: &[Range<usize>], len: usize, at: usize) -> Range<usize> {
    let before = breaks.partition_point(|b| b.end <= at);
    let start = if before > 0 {
        breaks[before - 1].end
    } else {
        0
    };
    let after = breaks.partition_point(|b| b.start < at);
    let end = breaks.get(after).map_or(len, |b| b.start);
    start..end
}

/// Directives in the HTML (blocks and inline) of a Markdown source.
fn markdown_directives(source: &str) -> Vec<Directive> {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_PLUSES_DELIMITED_METADATA_BLOCKS;
    let mut html: Vec<Range<usize>> = Vec::new();
    for (event, range) in Parser::new_ext(source, options).into_offset_iter() {
        match event {
            Event::Start(Tag::HtmlBlock) | Event::InlineHtml(_) => html.push(range),
            _ => {}
        }
    }
    html.into_iter()
        .flat_map(|r| comments_in(source, r))
        .collect()
}

/// Whether `source` may hold a directive: a comment opening (`<!--`, or `\u003c!--` in JSON)
/// followed by `candor-`, or by `vale` and white space. Most files hold none, and reading them
/// parses a Markdown file again: the cheap tests come first, and a docs page with comments
/// that says "equivalent" (which holds "vale") stops at the last one.
fn may_hold_directives(source: &str) -> bool {
    static OPENING: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:<|\\u003[cC])!--\s*(?:candor-|vale\s)").expect("valid opening regex")
    });
    // memmem's vectorised search: `str::contains` with a `&str` is several times slower.
    let has = |needle: &[u8]| memchr::memmem::find(source.as_bytes(), needle).is_some();
    (has(b"candor-") || has(b"vale"))
        && (has(b"<!--") || has(b"\\u003c!--") || has(b"\\u003C!--"))
        && OPENING.is_match(source)
}

/// Directives in comments that stand alone on a line.
fn own_line_directives(source: &str) -> Vec<Directive> {
    let mut out = Vec::new();
    let mut start = 0;
    for line in source.split_inclusive('\n') {
        let body = line.trim();
        if body.starts_with("<!--") && body.ends_with("-->") {
            out.extend(comments_in(source, start..start + line.len()));
        }
        start += line.len();
    }
    out
}

fn comments_in(source: &str, range: Range<usize>) -> Vec<Directive> {
    let Some(text) = source.get(range.clone()) else {
        return Vec::new();
    };
    COMMENT
        .captures_iter(text)
        .filter_map(|c| {
            let whole = c.get(0)?;
            let body = c.get(1)?.as_str();
            let action = parse(body)?;
            Some(Directive {
                start: range.start + whole.start(),
                at: range.start + whole.end(),
                action,
                vale: body.trim_start().starts_with("vale"),
            })
        })
        .collect()
}

/// The action of a comment's body, if it is a directive.
fn parse(body: &str) -> Option<Action> {
    let body = body.split(" -- ").next().unwrap_or("").trim();
    let (word, rest) = body
        .split_once(char::is_whitespace)
        .map_or((body, ""), |(w, r)| (w, r.trim()));
    match word {
        "candor-disable" => Some(Action::Disable(candor_selectors(rest))),
        "candor-enable" => Some(Action::Enable(candor_selectors(rest))),
        "candor-disable-next-line" => Some(Action::DisableNextLine(candor_selectors(rest))),
        "candor-disable-line" => Some(Action::DisableLine(candor_selectors(rest))),
        "vale" => parse_vale(rest),
        _ => None,
    }
}

fn candor_selectors(rest: &str) -> Vec<Selector> {
    rest.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(|s| Selector {
            target: s.to_string(),
            matches: None,
        })
        .collect()
}

/// `off`, `on`, or `Target = NO|YES` where the target may carry `["match", ...]`.
fn parse_vale(rest: &str) -> Option<Action> {
    match rest.to_ascii_lowercase().as_str() {
        "off" => return Some(Action::Disable(Vec::new())),
        "on" => return Some(Action::Enable(Vec::new())),
        _ => {}
    }
    let (target, value) = rest.rsplit_once('=')?;
    let target = target.trim();
    if target.eq_ignore_ascii_case("style") || target.eq_ignore_ascii_case("styles") {
        return None; // `vale styles = A, B` picks styles: not a suppression.
    }
    let selector = match target.split_once('[') {
        Some((name, list)) => Selector {
            target: name.trim().to_string(),
            matches: Some(quoted_strings(list)),
        },
        None => Selector {
            target: target.to_string(),
            matches: None,
        },
    };
    if selector.target.is_empty() {
        return None;
    }
    match value.trim().to_ascii_uppercase().as_str() {
        "NO" => Some(Action::Disable(vec![selector])),
        "YES" => Some(Action::Enable(vec![selector])),
        _ => None,
    }
}

/// The double-quoted strings in `["a", "b"]`.
fn quoted_strings(list: &str) -> Vec<String> {
    list.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The straightforward model the regions must agree with: the state after each range
    /// directive, applied one after another.
    /// Which rules are off at one point of the file.
    #[derive(Debug, Clone, Default, PartialEq)]
    struct State {
        /// Every rule off (except `except`).
        all: bool,
        except: Vec<Selector>,
        /// Rules off while `all` is false.
        off: Vec<Selector>,
    }

    impl State {
        fn apply(&mut self, action: &Action) {
            match action {
                Action::Disable(sels) if sels.is_empty() => {
                    *self = State {
                        all: true,
                        ..State::default()
                    }
                }
                Action::Enable(sels) if sels.is_empty() => *self = State::default(),
                Action::Disable(sels) => {
                    for s in sels {
                        if self.all {
                            self.except.retain(|e| !s.replaces(e));
                        } else if !self.off.contains(s) {
                            self.off.push(s.clone());
                        }
                    }
                }
                Action::Enable(sels) => {
                    for s in sels {
                        if self.all {
                            self.except.push(s.clone());
                        } else {
                            self.off.retain(|e| !s.replaces(e));
                        }
                    }
                }
                Action::DisableNextLine(_) | Action::DisableLine(_) => {}
            }
        }

        fn disables(&self, rule: &str, matched: &str) -> bool {
            if self.all {
                !self.except.iter().any(|s| s.covers(rule, matched))
            } else {
                self.off.iter().any(|s| s.covers(rule, matched))
            }
        }
    }

    fn sel(t: &str) -> Selector {
        Selector {
            target: t.to_string(),
            matches: None,
        }
    }

    const PIECES: &[&str] = &[
        "<!--",
        "-->",
        "\\u003c!--",
        "\\u003C!--",
        "\\u003e",
        " ",
        "\t",
        "\u{a0}",
        "\n",
        "vale",
        "vale off",
        " vale on ",
        "Candor.SelfFocus = NO",
        "candor-disable",
        "candor-enable",
        "candor-disable-next-line Candor.CannedFiller",
        "equivalent",
        "Hi there.",
        "```\n",
    ];

    proptest::proptest! {
        /// The pre-check never skips a file that holds a directive.
        #[test]
        fn the_pre_check_never_changes_what_is_read(
            pieces in proptest::collection::vec(proptest::sample::select(PIECES), 0..14),
            markdown: bool,
        ) {
            let format = if markdown { Format::Markdown } else { Format::Text };
            let doc = Document::parse(pieces.concat(), format);
            proptest::prop_assert_eq!(Suppressions::of(&doc), Suppressions::read(&doc));
        }
    }

    /// Range directives over rules `A.B`, `A.C`, `D.E` and packs, some limited to matches.
    fn range_action() -> impl proptest::strategy::Strategy<Value = Action> {
        use proptest::prelude::*;
        let selector = (
            proptest::sample::select(vec!["A", "A.B", "A.C", "D.E", "D"]),
            proptest::option::of(proptest::collection::vec(
                proptest::sample::select(vec!["x", "X", "y"]),
                1..3,
            )),
        )
            .prop_map(|(t, m)| Selector {
                target: t.to_string(),
                matches: m.map(|v| v.into_iter().map(str::to_string).collect()),
            });
        let sels = proptest::collection::vec(selector, 0..3);
        prop_oneof![
            sels.clone().prop_map(Action::Disable),
            sels.prop_map(Action::Enable),
        ]
    }

    proptest::proptest! {
        /// The regions say what applying the directives one by one says, at every position,
        /// for every rule and matched text.
        #[test]
        fn regions_agree_with_applying_each_directive(
            actions in proptest::collection::vec((range_action(), 0usize..3), 0..24),
        ) {
            let mut builder = RegionBuilder::default();
            let mut model = State::default();
            let mut states: Vec<(usize, State)> = Vec::new();
            let mut at = 0;
            for (action, gap) in &actions {
                at += gap;
                builder.apply(action, at);
                model.apply(action);
                states.push((at, model.clone()));
            }
            let regions = builder.finish();
            for pos in 0..=at + 1 {
                let before = states.partition_point(|(p, _)| *p <= pos);
                for rule in ["A.B", "A.C", "D.E", "F.G"] {
                    for matched in ["x", "y", "z"] {
                        let expected = before > 0 && states[before - 1].1.disables(rule, matched);
                        proptest::prop_assert_eq!(
                            regions.disables(rule, pos, matched),
                            expected,
                            "{} at {} over {:?}", rule, pos, matched
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_comment_saying_equivalent_is_no_directive() {
        let doc = Document::parse(
            "<!-- the equivalent of candor -->\n\nText.".to_string(),
            Format::Markdown,
        );
        assert!(!may_hold_directives(&doc.source));
        let doc = Document::parse("<!--\tvale off -->\n\nText.".to_string(), Format::Markdown);
        assert!(may_hold_directives(&doc.source));
        assert_ne!(Suppressions::of(&doc), Suppressions::default());
    }

    #[test]
    fn parses_every_directive_form() {
        assert_eq!(parse(" candor-disable "), Some(Action::Disable(vec![])));
        assert_eq!(
            parse("candor-disable A.B, C.D -- quoting on purpose"),
            Some(Action::Disable(vec![sel("A.B"), sel("C.D")]))
        );
        assert_eq!(
            parse("candor-disable-next-line A.B"),
            Some(Action::DisableNextLine(vec![sel("A.B")]))
        );
        assert_eq!(parse("candor-enable"), Some(Action::Enable(vec![])));
        assert_eq!(parse("vale off"), Some(Action::Disable(vec![])));
        assert_eq!(parse("vale on"), Some(Action::Enable(vec![])));
        assert_eq!(
            parse("vale A.B = NO"),
            Some(Action::Disable(vec![sel("A.B")]))
        );
        assert_eq!(
            parse("vale A.B = YES"),
            Some(Action::Enable(vec![sel("A.B")]))
        );
        assert_eq!(
            parse(r#"vale A.B["x y","z"] = NO"#),
            Some(Action::Disable(vec![Selector {
                target: "A.B".into(),
                matches: Some(vec!["x y".into(), "z".into()])
            }]))
        );
        assert_eq!(parse("vale styles = A, B"), None);
        assert_eq!(parse("just a comment"), None);
        assert_eq!(parse("candor-disabled"), None);
    }

    #[test]
    fn turning_a_rule_back_on_ends_its_match_limited_suppression() {
        let mut s = State::default();
        s.apply(&parse(r#"vale A.B["x"] = NO"#).unwrap());
        assert!(s.disables("A.B", "x") && !s.disables("A.B", "y"));
        s.apply(&parse("vale A.B = YES").unwrap());
        assert!(!s.disables("A.B", "x"));
    }

    #[test]
    fn pack_selectors_cover_their_rules_only() {
        assert!(sel("Candor").covers("Candor.SelfFocus", ""));
        assert!(!sel("Cand").covers("Candor.SelfFocus", ""));
        assert!(sel("Candor.SelfFocus").covers("Candor.SelfFocus", ""));
    }

    #[test]
    fn enabling_one_rule_inside_a_disable_all_region() {
        let mut s = State::default();
        s.apply(&Action::Disable(vec![]));
        s.apply(&Action::Enable(vec![sel("A.B")]));
        assert!(!s.disables("A.B", ""));
        assert!(s.disables("A.C", ""));
        s.apply(&Action::Enable(vec![]));
        assert!(!s.disables("A.C", ""));
    }

    #[test]
    fn markdown_comments_in_code_do_not_count() {
        let src = "```\n<!-- candor-disable -->\n```\n\ntext\n\n`<!-- vale off -->`\n";
        assert!(markdown_directives(src).is_empty());
        let src = "para <!-- candor-disable A.B --> more\n\n<!--\nvale on\n-->\n";
        let d = markdown_directives(src);
        assert_eq!(d.len(), 2, "{d:?}");
        assert_eq!(&src[..d[0].at], "para <!-- candor-disable A.B -->");
        assert_eq!(d[1].action, Action::Enable(vec![]));
    }

    #[test]
    fn body_lines_split_at_newlines_escapes_and_html_line_tags() {
        // `\\n` is an escaped backslash then `n`: not a break.
        let body = r"a\nb\\nc<p>d<br/>e";
        let lines: Vec<&str> = {
            let breaks = line_breaks(body);
            let mut starts = vec![0];
            starts.extend(breaks.iter().map(|b| b.end));
            starts
                .into_iter()
                .map(|s| &body[line_at(&breaks, body.len(), s)])
                .collect()
        };
        assert_eq!(lines, vec!["a", r"b\\nc", "d", "e"]);
    }

    #[test]
    fn plain_text_needs_the_comment_on_its_own_line() {
        let src = "a <!-- candor-disable --> b\n  <!-- vale off -->  \n";
        let d = own_line_directives(src);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].action, Action::Disable(vec![]));
    }
}
