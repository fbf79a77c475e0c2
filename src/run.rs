//! One lint run over many inputs: read each, check it, gather a [`Report`] in a stable order.
//! Per-file problems are collected, not fatal: the run goes on with the other files.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::check::{check_document, Inbound};
use crate::diagnostic::Severity;
use crate::document::Format;
use crate::error::InputError;
use crate::report::{FileReport, RelatedSource, Report};
use crate::rules::RuleSet;
use crate::source::{self, walk, Input, Loaded, ReadOptions};

/// What to lint and how.
#[derive(Debug, Clone)]
pub struct Options {
    /// Files and folders (folders are walked).
    pub paths: Vec<PathBuf>,
    /// Lint standard input too, shown under this name and read as this format.
    pub stdin: Option<(String, Format)>,
    /// The customer's message (`-` reads standard input).
    pub inbound: Option<PathBuf>,
    /// Findings below this level are dropped.
    pub min_level: Severity,
    /// How to read macro exports (`--field`, `--column`).
    pub read: ReadOptions,
    /// Lint every JSON, YAML and CSV file found in folders (`--macros`), not only those that
    /// look like macro exports.
    pub all_structured: bool,
}

/// What a run produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub report: Report,
    /// Inputs that could not be read (each names its path); they make the exit status 2.
    pub errors: Vec<InputError>,
    /// Things the user may want to know (skipped binary files).
    pub notes: Vec<String>,
}

impl Outcome {
    fn load(&mut self, result: Result<Loaded, InputError>) -> Option<Input> {
        match result {
            Ok(Loaded::Input(input)) => Some(input),
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
    match out.load(result) {
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

/// Lints everything `opts` names with `rules`.
pub fn run(rules: &RuleSet, opts: &Options) -> Outcome {
    let mut out = Outcome::default();
    let inbound = match &opts.inbound {
        Some(p) => read_inbound(p, &mut out),
        None => Vec::new(),
    };

    let mut inputs = Vec::new();
    if let Some((shown, format)) = &opts.stdin {
        inputs.extend(out.load(source::open_stdin_with(shown, *format, &opts.read)));
    }
    let walked = walk::walk(&opts.paths);
    out.errors.extend(walked.errors);
    for path in &walked.files {
        let read = ReadOptions {
            only_exports: !opts.all_structured && walked.only_if_export.contains(path),
            ..opts.read.clone()
        };
        inputs.extend(out.load(source::open_with(path, None, &read)));
    }

    let mut related: Vec<RelatedSource> = Vec::new();
    for input in inputs {
        let file = lint_input(rules, input, &inbound, opts.min_level, &mut related);
        out.report.files.push(file);
    }
    related.extend(inbound.into_iter().map(|i| RelatedSource {
        path: i.path,
        text: Arc::from(i.doc.source),
    }));
    out.report.related_sources = related;
    out
}

/// Lints one input against its own inbound message if it carries one, else the shared one.
fn lint_input(
    rules: &RuleSet,
    input: Input,
    shared_inbound: &[Inbound],
    min_level: Severity,
    related: &mut Vec<RelatedSource>,
) -> FileReport {
    let inbound = if input.inbound.is_empty() {
        shared_inbound
    } else {
        &input.inbound
    };
    let mut findings = check_document(rules, &input.path, &input.doc, inbound);
    findings.diagnostics.retain(|d| d.severity >= min_level);
    for i in input.inbound {
        related.push(RelatedSource {
            path: i.path,
            text: Arc::from(i.doc.source),
        });
    }
    FileReport {
        path: input.path,
        text: Arc::from(input.doc.source),
        diagnostics: findings.diagnostics,
        questions: findings.questions,
    }
}
