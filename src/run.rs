//! One lint run over many inputs: read each, check it, gather a [`Report`] in a stable order.
//! Per-file problems are collected, not fatal: the run goes on with the other files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use crate::check::{check_document, Findings, Inbound};
use crate::config::{Effective, Resolved, Resolver};
use crate::diagnostic::Severity;
use crate::document::Format;
use crate::error::{ConfigError, InputError};
use crate::fix;
use crate::report::{human, FileReport, KnownPositions, RelatedSource, Report};
use crate::rules::RuleSet;
use crate::source::{self, walk, Input, Loaded, ReadOptions, StdinKind};
use crate::suppress;

/// What to lint and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files and folders (folders are walked).
    pub paths: Vec<PathBuf>,
    /// Lint standard input too, shown under this name and read as this kind.
    pub stdin: Option<(String, StdinKind)>,
    /// The customer's message (`-` reads standard input).
    pub inbound: Option<PathBuf>,
    /// Findings below this level are dropped.
    pub min_level: Severity,
    /// How to read macro exports (`--field`, `--column`).
    pub read: ReadOptions,
    /// Lint every JSON, YAML and CSV file found in folders (`--macros`), not only those that
    /// look like macro exports.
    pub all_structured: bool,
    /// Apply the findings' unambiguous fixes (in memory: see [`Outcome::fixed`]).
    pub fix: bool,
    /// With `fix`: apply unsafe fixes too (`--unsafe-fixes`).
    pub unsafe_fixes: bool,
    /// Keep the text of each file with findings in the report, for snippets (human output).
    /// Without it a file keeps only the line and column of its findings' offsets
    /// ([`FileReport::forget_text`]), all other formats need.
    pub keep_text: bool,
    /// Render each file's part of the human output (with colour when `Some(true)`) in the
    /// worker that linted it, and keep that instead of the text: a run over thousands of files
    /// then holds no texts until it ends. Takes precedence over `keep_text`.
    pub render_human: Option<bool>,
    /// Counts the files as they are linted, for a progress display by the caller.
    pub progress: Option<Arc<Progress>>,
}

/// How far a run is: files to lint and files linted so far. The run only counts; showing it
/// (a progress bar) is the caller's business.
#[derive(Debug, Default)]
pub struct Progress {
    pub total: std::sync::atomic::AtomicUsize,
    pub done: std::sync::atomic::AtomicUsize,
}

impl Progress {
    fn set_total(progress: &Option<Arc<Progress>>, n: usize) {
        if let Some(p) = progress {
            p.total.store(n, std::sync::atomic::Ordering::Relaxed);
        }
    }

    fn one_done(progress: &Option<Arc<Progress>>) {
        if let Some(p) = progress {
            p.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
    }
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: Report,
    /// Inputs that could not be read (each names its path); they make the exit status 2.
    pub errors: Vec<InputError>,
    /// Things the user may want to know (skipped binary files).
    pub notes: Vec<String>,
    /// With [`Options::fix`]: each input that fixes changed (the report shows the fixed text).
    pub fixed: Vec<FixedFile>,
    /// Configuration files that could not be used (a nested `.candor.yaml` that is unreadable
    /// or invalid), each once: the files under them were not linted, the others were. They
    /// make the exit status 2.
    pub config_errors: Vec<ConfigError>,
}

/// An input that `--fix` changed. Writing it is up to the caller.
#[derive(Debug)]
pub struct FixedFile {
    /// The file to write; `None` for standard input.
    pub path: Option<PathBuf>,
    /// Path as shown to the user.
    pub shown: Arc<str>,
    pub original: String,
    pub fixed: String,
    /// Edits applied, over all passes.
    pub edits: usize,
    /// How the file was decoded, so the fix is written back the same way.
    pub encoding: crate::source::read::Encoding,
}

impl Outcome {
    /// The configuration for `path`, or `None` when it cannot be had: the error is kept (once)
    /// and the file is not linted.
    fn resolve(&mut self, resolved: Result<Resolved, ConfigError>) -> Option<Resolved> {
        match resolved {
            Ok(r) => Some(r),
            Err(e) => {
                let seen = self
                    .config_errors
                    .iter()
                    .any(|c| c.path == e.path && c.line == e.line && c.message == e.message);
                if !seen {
                    self.config_errors.push(e);
                }
                None
            }
        }
    }

    /// An input read from a path named on the command line (or `--inbound`, or standard
    /// input): one that cannot be read as text is an error, not a note.
    fn load_named(&mut self, result: Result<Loaded, InputError>) -> Option<Input> {
        self.load_named_with(result, false)
    }

    /// [`Outcome::load_named`]; with `fields_asked` (`--field` or `--column` given), a file
    /// that gives no text to lint is an error too: a CI job whose field path matches nothing
    /// must fail, not pass forever.
    fn load_named_with(
        &mut self,
        result: Result<Loaded, InputError>,
        fields_asked: bool,
    ) -> Option<Input> {
        match result {
            Ok(Loaded::Binary(path)) => {
                self.errors.push(InputError::Binary { path });
                None
            }
            Ok(Loaded::Skipped {
                path,
                note: Some(message),
            }) if fields_asked => {
                self.errors.push(InputError::Unusable { path, message });
                None
            }
            other => self.load(other),
        }
    }

    fn load(&mut self, result: Result<Loaded, InputError>) -> Option<Input> {
        match result {
            Ok(Loaded::Input(mut input)) => {
                self.notes.append(&mut input.notes);
                Some(input)
            }
            Ok(Loaded::Binary(path)) => {
                self.notes.push(format!(
                    "{}: skipped, it looks binary (it has NUL bytes)",
                    path.display()
                ));
                None
            }
            Ok(Loaded::Skipped { path, note }) => {
                if let Some(note) = note {
                    self.notes.push(format!("{}: {note}", path.display()));
                }
                None
            }
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }
}

/// Reads the `--inbound` file.
fn read_inbound(path: &Path, out: &mut Outcome) -> Vec<Inbound> {
    let result = if path.as_os_str() == "-" {
        source::open_stdin("<stdin>", Format::Text)
    } else {
        source::open(path, None)
    };
    match out.load_named(result) {
        Some(input) => {
            let mut all = vec![Inbound {
                path: input.path,
                doc: input.doc,
            }];
            all.extend(input.inbound);
            all
        }
        None => Vec::new(),
    }
}

/// Lints everything `opts` names with `rules`, without configuration files.
pub fn run(rules: &RuleSet, opts: &Options) -> Outcome {
    match run_with(&mut Resolver::fixed(rules.clone()), opts) {
        Ok(out) => out,
        // A fixed resolver never reads a configuration file, so it has nothing to fail on.
        Err(e) => Outcome {
            notes: vec![e.to_string()],
            ..Outcome::default()
        },
    }
}

/// An input to lint, with what applies to it and how to read it again after a fix.
struct Job {
    input: Input,
    effective: Arc<Effective>,
    /// The file on disk (`None` for standard input).
    file: Option<PathBuf>,
    /// The format it was read as when not chosen by its extension.
    format: Option<Format>,
    /// How it was read (macro exports), to read the fixed text the same way.
    read: ReadOptions,
}

impl Job {
    /// A file found on disk, read with `read`.
    fn file(input: Input, effective: &Arc<Effective>, path: &Path, read: ReadOptions) -> Job {
        Job {
            input,
            effective: effective.clone(),
            file: Some(path.to_path_buf()),
            format: effective.format_for(path),
            read,
        }
    }
}

/// Lints everything `opts` names, each file with the configuration `resolver` finds for it.
/// A bad configuration file stops the run.
pub fn run_with(resolver: &mut Resolver, opts: &Options) -> Result<Outcome, ConfigError> {
    let mut out = Outcome::default();
    let inbound = match &opts.inbound {
        Some(p) => read_inbound(p, &mut out),
        None => Vec::new(),
    };

    let fields_asked = !opts.read.fields.is_empty() || opts.read.column.is_some();
    let mut jobs = Vec::new();
    if let Some((shown, kind)) = &opts.stdin {
        match out.resolve(resolver.resolve(Path::new(shown))) {
            None => {}
            Some(Resolved::Ignored) => out.notes.push(format!(
                "{shown}: skipped, the config's `ignore:` matches it"
            )),
            Some(Resolved::Lint(effective)) => {
                if let Some(input) = out.load_named_with(
                    source::open_stdin_with(shown, *kind, &opts.read),
                    fields_asked,
                ) {
                    let format = match kind {
                        StdinKind::Prose(format) => Some(*format),
                        StdinKind::Structured(_) => None,
                    };
                    jobs.push(Job {
                        input,
                        effective,
                        file: None,
                        format,
                        read: opts.read.clone(),
                    });
                }
            }
        }
    }
    let walked = walk::walk(&opts.paths);
    resolver.note_walked_folders(&walked.folders);
    out.errors.extend(walked.errors);
    out.notes.extend(walked.notes.iter().cloned());
    // Configurations are found one file after another (the resolver caches them) ...
    // Meanwhile the idle thread pool compiles what the rules of a large run will need.
    let warm_up = walked.files.len() >= LARGE_RUN_FILES;
    let mut warming: Vec<Arc<Effective>> = Vec::new();
    let mut to_lint = Vec::new();
    // A path named on the command line may be a link; the walk finds regular files only.
    let named: foldhash::HashSet<&PathBuf> = opts.paths.iter().collect();
    for path in &walked.files {
        let resolved = if named.contains(path) {
            resolver.resolve(path)
        } else {
            resolver.resolve_walked(path)
        };
        let Some(resolved) = out.resolve(resolved) else {
            continue;
        };
        match resolved {
            Resolved::Lint(effective) => {
                if warm_up && !warming.iter().any(|w| Arc::ptr_eq(w, &effective)) {
                    warming.push(effective.clone());
                    let rules = effective.clone();
                    rayon::spawn(move || rules.rules.warm_up());
                }
                to_lint.push((path, effective))
            }
            Resolved::Ignored => {
                if named.contains(path) {
                    out.notes.push(format!(
                        "{}: skipped, the config's `ignore:` matches it",
                        path.display()
                    ));
                }
            }
        }
    }

    // Many files: rules may pay their start-up costs at once (findings are the same). Every
    // rule set of such a run is being warmed up, so `warming` holds each one once.
    if to_lint.len() >= LARGE_RUN_FILES {
        for effective in &warming {
            effective.rules.expect_large_run();
        }
    }

    // ... then files are read, parsed and linted in parallel, each document dropped as soon as
    // it is done. Emails are the exception: a reply is paired with the message it answers by
    // Message-ID, so emails (and standard input) are all read first, then paired, then linted.
    // Keys keep the order: standard input first, then the walk's sorted order.
    let is_email = |p: &Path| {
        p.extension()
            .is_some_and(|e| e.to_string_lossy().eq_ignore_ascii_case("eml"))
    };
    // How a walked file is read: as a macro export only if it looks like one, unless `--macros`.
    let read_options = |path: &Path| ReadOptions {
        only_exports: !opts.all_structured && walked.only_if_export.contains(path),
        ..opts.read.clone()
    };
    Progress::set_total(&opts.progress, jobs.len() + to_lint.len());
    let mut keyed: Vec<(usize, Job)> = jobs.into_iter().map(|j| (0, j)).collect();
    for (i, (path, effective)) in to_lint.iter().enumerate() {
        if !is_email(path) {
            continue;
        }
        let read = read_options(path);
        let loaded = source::open_with(path, None, &read);
        let loaded = if named.contains(path) {
            out.load_named_with(loaded, fields_asked)
        } else {
            out.load(loaded)
        };
        if let Some(input) = loaded {
            keyed.push((i + 1, Job::file(input, effective, path, read)));
        }
    }
    let keyed = source::email::pair_by(keyed, |(_, j)| &mut j.input, |(_, j)| j.input);
    let mut linted: Vec<(usize, Linted)> = keyed
        .into_iter()
        .map(|(key, job)| {
            let mut own_related = Vec::new();
            let mut notes = Vec::new();
            let (file, fixed) = lint_job(job, &inbound, opts, &mut own_related, &mut notes);
            Progress::one_done(&opts.progress);
            (key, Ok(Ok((file, fixed.map(Box::new), own_related, notes))))
        })
        .collect();
    let lint_path = |(i, (path, effective)): (usize, &(&PathBuf, Arc<Effective>))| {
        let read = read_options(path);
        let format = effective.format_for(path);
        let result = source::open_with(path, format, &read).map(|loaded| match loaded {
            Loaded::Input(mut input) => {
                let mut notes = std::mem::take(&mut input.notes);
                let job = Job::file(input, effective, path, read);
                let mut own_related = Vec::new();
                let (file, fixed) = lint_job(job, &inbound, opts, &mut own_related, &mut notes);
                Ok((file, fixed.map(Box::new), own_related, notes))
            }
            skipped => Err(Box::new(skipped)),
        });
        Progress::one_done(&opts.progress);
        (i + 1, result)
    };
    let others = to_lint
        .iter()
        .enumerate()
        .filter(|(_, (p, _))| !is_email(p));
    // One file (the usual draft) needs no thread pool: starting one costs more than the lint.
    if to_lint.len() > 1 {
        let others: Vec<_> = others.collect();
        // Written in place: a second copy of thousands of results would only raise the peak.
        linted.par_extend(others.into_par_iter().map(lint_path));
    } else {
        linted.extend(others.map(lint_path));
    }
    linted.sort_by_key(|(key, _)| *key);
    let mut related: Vec<RelatedSource> = Vec::new();
    out.report.files.reserve_exact(linted.len());
    for (_, result) in linted {
        match result {
            Ok(Ok((file, fixed, own_related, notes))) => {
                out.notes.extend(notes);
                out.report.files.push(file);
                out.fixed.extend(fixed.map(|f| *f));
                related.extend(own_related);
            }
            Ok(Err(skipped)) => match *skipped {
                Loaded::Binary(path) if named.contains(&path) => {
                    out.load_named(Ok(Loaded::Binary(path)));
                }
                Loaded::Skipped { path, note } if named.contains(&path) => {
                    out.load_named_with(Ok(Loaded::Skipped { path, note }), fields_asked);
                }
                skipped => {
                    out.load(Ok(skipped));
                }
            },
            Err(e) => out.errors.push(e),
        }
    }
    related.extend(inbound.into_iter().map(|i| RelatedSource {
        path: i.path,
        text: Arc::from(i.doc.source),
    }));
    out.report.related_sources = related;
    Ok(out)
}

/// A run of at least this many files tells its rules to expect much text (see
/// [`crate::rules::Rule::expect_large_run`]): the phrase catalogues then compile whole at once
/// instead of searching pattern by pattern first, which only pays for the few kilobytes of a
/// draft or a handful of files.
pub const LARGE_RUN_FILES: usize = 64;

/// What reading and linting one file gave: its report, its fix and the related sources it
/// brought, or why it was skipped, or why it could not be read. (The rare fix is boxed: the
/// thousands of results of a big run are held until all are done.)
type Linted = Result<
    Result<
        (
            FileReport,
            Option<Box<FixedFile>>,
            Vec<RelatedSource>,
            Vec<String>,
        ),
        Box<Loaded>,
    >,
    InputError,
>;

/// Lints one input (fixing it first when asked) and returns its report. Fixes that do not
/// converge are refused with a note.
fn lint_job(
    job: Job,
    shared_inbound: &[Inbound],
    opts: &Options,
    related: &mut Vec<RelatedSource>,
    notes: &mut Vec<String>,
) -> (FileReport, Option<FixedFile>) {
    let Job {
        input,
        effective,
        file,
        format,
        read,
    } = job;
    let findings = lint_findings(&effective, &input, shared_inbound, opts.min_level);
    if !opts.fix {
        let keep = match opts.render_human {
            Some(color) => Keep::Rendered { color },
            None if opts.keep_text => Keep::WithFindings,
            None => Keep::Positions,
        };
        return (
            finish_input(input, findings, related, keep, shared_inbound),
            None,
        );
    }
    let original = input.doc.source.clone();
    let encoding = input.encoding;
    let first = fix::Pass {
        item: (input, findings.questions),
        diagnostics: findings.diagnostics,
    };
    let reread_path = file
        .clone()
        .unwrap_or_else(|| PathBuf::from(&*first.item.0.path));
    let fixing = fix::until_stable(
        first,
        |(input, _)| &input.doc,
        |text| {
            let Ok(Loaded::Input(input)) =
                source::open_bytes_with(&reread_path, text.into_bytes(), format, &read)
            else {
                return None;
            };
            let f = lint_findings(&effective, &input, shared_inbound, opts.min_level);
            Some(fix::Pass {
                item: (input, f.questions),
                diagnostics: f.diagnostics,
            })
        },
        opts.unsafe_fixes,
    );
    if let Some(rules) = &fixing.refused {
        notes.push(format!(
            "{}: no fixes applied: the fixes of {} do not converge (each run would rewrite what the last one wrote); change or turn off one of them",
            fixing.pass.item.0.path,
            rules.join(" and ")
        ));
    }
    let (edits, last) = (fixing.applied, fixing.pass);
    let ((input, questions), diagnostics) = (last.item, last.diagnostics);
    let fixed = (edits > 0 && input.doc.source != original).then(|| FixedFile {
        path: file,
        shown: input.path.clone(),
        original,
        fixed: input.doc.source.clone(),
        edits,
        encoding,
    });
    let findings = Findings::new(diagnostics, questions);
    (
        finish_input(input, findings, related, Keep::Always, shared_inbound),
        fixed,
    )
}

/// Checks one input with its configuration: rules, then suppression comments, accepted terms
/// and the minimum level.
fn lint_findings(
    effective: &Effective,
    input: &Input,
    shared_inbound: &[Inbound],
    min_level: Severity,
) -> Findings {
    let inbound = if input.inbound.is_empty() {
        shared_inbound
    } else {
        &input.inbound
    };
    lint_document(effective, &input.path, &input.doc, inbound, min_level)
}

/// Checks one parsed document the way a run checks a file: rules, then suppression comments,
/// accepted terms and the minimum level. The servers call it on the text an editor or the
/// draft page holds, so they report exactly what `candor check` would.
pub fn lint_document(
    effective: &Effective,
    path: &Arc<str>,
    doc: &crate::document::Document,
    inbound: &[Inbound],
    min_level: Severity,
) -> Findings {
    // What the configuration hides from rules (a `.vale.ini`'s TokenIgnores, ...) is masked
    // in a copy of the same length; suppressions and accepted terms read the file as it is.
    let masked = effective.masked(doc);
    let mut findings = check_document(
        &effective.rules,
        path,
        masked.as_ref().unwrap_or(doc),
        inbound,
    );
    let rules = &effective.rules;
    let names = suppress::names;
    let known = |t: &str| {
        rules.iter().any(|r| names(t, &r.meta().id)) || rules.stored_ids().any(|id| names(t, id))
    };
    let running = |t: &str| rules.iter().any(|r| names(t, &r.meta().id));
    // Vale's raw-scope rules, which its comments reach differently (see `suppress::apply`).
    let whole_file = |id: &str| {
        rules.iter().any(|r| {
            let meta = r.meta();
            meta.scope.vale && meta.scope.is_raw() && *meta.id == *id
        })
    };
    let warnings =
        suppress::check_comments(doc, &findings.diagnostics, &known, &running, &whole_file);
    findings.diagnostics.extend(
        warnings
            .into_iter()
            .filter(|w| !effective.comment_checks_off.contains(&&*w.rule)),
    );
    findings.diagnostics.retain(|d| d.severity >= min_level);
    suppress::apply(&mut findings.diagnostics, doc, &whole_file);
    effective.drop_accepted(&mut findings.diagnostics, &doc.source);
    fix::drop_unwritable(&mut findings.diagnostics, doc);
    findings
}

/// How much of a file's text its report keeps.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// The text (`--fix` prints fixed standard input).
    Always,
    /// The text of a file with findings, for snippets.
    WithFindings,
    /// Only the positions of the findings' offsets.
    Positions,
    /// The file's part of the human output (see [`human::render_part`]) and the positions.
    Rendered { color: bool },
}

/// The report of one input; its own inbound messages become related sources. A file with
/// nothing to report keeps no text unless `keep` is [`Keep::Always`].
fn finish_input(
    mut input: Input,
    findings: Findings,
    related: &mut Vec<RelatedSource>,
    keep: Keep,
    shared_inbound: &[Inbound],
) -> FileReport {
    // The parsed blocks and sentences are done with: dropped before the report's positions
    // are worked out, so the two never hold memory at once.
    let source = std::mem::take(&mut input.doc.source);
    drop(input.doc);
    let own_related = related.len();
    for i in input.inbound {
        related.push(RelatedSource {
            path: i.path,
            text: Arc::from(i.doc.source),
        });
    }
    // Dropping texts keeps memory flat on big runs.
    let nothing = findings.diagnostics.is_empty() && findings.questions.is_empty();
    let mut file = FileReport {
        path: input.path,
        text: Arc::from(""),
        diagnostics: findings.diagnostics,
        questions: findings.questions,
        positions: None,
        human: None,
    };
    match keep {
        Keep::Always => file.text = Arc::from(source),
        _ if nothing => {}
        Keep::WithFindings => file.text = Arc::from(source),
        Keep::Positions => {
            file.positions = Some(KnownPositions::of(&file, &source));
        }
        Keep::Rendered { color } => {
            file.text = Arc::from(source);
            let text_of = |path: &str| {
                related[own_related..]
                    .iter()
                    .find(|r| &*r.path == path)
                    .map(|r| &*r.text)
                    .or_else(|| {
                        shared_inbound
                            .iter()
                            .find(|i| &*i.path == path)
                            .map(|i| i.doc.source.as_str())
                    })
            };
            // A file dense with findings keeps its text (smaller than its output) and is
            // written at the end straight to the output.
            let later = file.diagnostics.len() * human::BYTES_PER_FINDING > file.text.len();
            file.human = Some(human::render_part(&file, &text_of, color, later));
            if !later {
                file.forget_text();
            }
        }
    }
    file
}
