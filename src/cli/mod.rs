//! The binary's edge: the only place that prints or exits. Exit 0 when nothing at or above the
//! failing level was found, 1 when something was, 2 for usage, configuration or input errors.

pub mod args;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer, Config};

use crate::config::{self, ConfigChoice, Resolver};
use crate::error::ConfigError;
use crate::fix;
use crate::report;
use crate::run;
use crate::source::StdinKind;
use args::{CheckArgs, Cli, ColorChoice, Command, InitArgs, RulesArgs};

pub const EXIT_CLEAN: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_ERROR: u8 = 2;

/// Runs the command line and returns the process exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    let code = match cli.command {
        Command::Check(args) => run_check(&args),
        Command::Rules(args) => run_rules(&args),
        Command::Init(args) => run_init(&args),
    };
    ExitCode::from(code)
}

fn use_color(choice: ColorChoice, stream_is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => stream_is_tty && std::env::var_os("NO_COLOR").is_none(),
    }
}

/// Writes to stdout; a closed pipe (`candor check | head`) ends quietly.
fn print_stdout(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|_| out.flush());
}

/// Streams the JSON report to stdout (a big run's report is never held as one string); a
/// closed pipe ends quietly.
fn print_json_stdout(report: &report::Report) {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let _ = report::json::write(report, &mut out).and_then(|_| out.flush());
}

fn error_line(msg: impl std::fmt::Display) {
    eprintln!("candor: error: {msg}");
}

/// Shows a configuration error as a diagnostic pointing into the offending file.
pub fn render_config_error(err: &ConfigError, color: bool) -> String {
    let (Some(text), Some(span)) = (&err.source_text, &err.span) else {
        return format!("error: {err}\n");
    };
    let file = SimpleFile::new(err.path.clone(), text.clone());
    let diag = CsDiagnostic::error()
        .with_message(err.message.clone())
        .with_labels(vec![Label::primary((), span.clone())]);
    let mut buffer = if color {
        Buffer::ansi()
    } else {
        Buffer::no_color()
    };
    if term::emit_to_write_style(&mut buffer, &Config::default(), &file, &diag).is_err() {
        return format!("error: {err}\n");
    }
    String::from_utf8_lossy(buffer.as_slice()).into_owned()
}

fn stdin_kind(args: &CheckArgs) -> Result<StdinKind, String> {
    if let Some(ext) = &args.ext {
        return StdinKind::for_extension(ext).ok_or_else(|| {
            format!("--ext {ext}: not a kind of file Candor reads (md, markdown, txt, json, yaml, yml, csv, html)")
        });
    }
    Ok(StdinKind::for_name(
        args.stdin_filename.as_deref().unwrap_or(""),
    ))
}

fn print_config_error(e: &ConfigError, color: ColorChoice) -> u8 {
    eprint!(
        "{}",
        render_config_error(e, use_color(color, std::io::stderr().is_terminal()))
    );
    EXIT_ERROR
}

/// The bound on one input: `--max-file-size`, else `$CANDOR_MAX_FILE_SIZE`, else 256 MiB.
fn max_file_size(args: &CheckArgs) -> Result<u64, String> {
    use crate::source::read;
    if let Some(n) = args.max_file_size {
        return Ok(n);
    }
    match std::env::var(read::MAX_BYTES_ENV) {
        Ok(v) if !v.trim().is_empty() => {
            read::parse_size(&v).map_err(|e| format!("{}: {e}", read::MAX_BYTES_ENV))
        }
        _ => Ok(read::DEFAULT_MAX_BYTES),
    }
}

fn run_check(args: &CheckArgs) -> u8 {
    match max_file_size(args) {
        Ok(n) => crate::source::read::set_max_bytes(n),
        Err(msg) => {
            error_line(msg);
            return EXIT_ERROR;
        }
    }
    let choice = config_choice(&args.config, args.no_config);
    // Never dropped: the process ends after this run, and freeing the compiled rules piece by
    // piece took a tenth of a one-draft run.
    let mut resolver = match Resolver::new(&args.rules, choice) {
        Ok(r) => std::mem::ManuallyDrop::new(r),
        Err(e) => return print_config_error(&e, args.color),
    };
    let stdin_kind = match stdin_kind(args) {
        Ok(f) => f,
        Err(msg) => {
            error_line(msg);
            return EXIT_ERROR;
        }
    };
    let read_stdin = args.paths.iter().any(|p| p.as_os_str() == "-")
        || (args.paths.is_empty() && !std::io::stdin().is_terminal());
    if args.paths.is_empty() && !read_stdin {
        error_line("no input: name files or folders to check, or pipe text in (`candor check -`)");
        return EXIT_ERROR;
    }
    if read_stdin
        && args
            .inbound
            .as_deref()
            .is_some_and(|p| p.as_os_str() == "-")
    {
        error_line("standard input cannot be both the reply and --inbound");
        return EXIT_ERROR;
    }
    let opts = run::Options {
        paths: args
            .paths
            .iter()
            .filter(|p| p.as_os_str() != "-")
            .cloned()
            .collect(),
        stdin: read_stdin.then(|| {
            let shown = args
                .stdin_filename
                .clone()
                .unwrap_or_else(|| "<stdin>".to_string());
            (shown, stdin_kind)
        }),
        inbound: args.inbound.clone(),
        min_level: args.min_level.into(),
        read: crate::source::ReadOptions {
            fields: args.fields.clone(),
            column: args.column.clone(),
            only_exports: false,
        },
        all_structured: args.macros || !args.fields.is_empty() || args.column.is_some(),
        fix: args.fix || args.diff,
        keep_text: args.format == report::OutputFormat::Human,
        // Rendered file by file as the run goes, so a big run keeps no texts; a fix run keeps
        // them (its report is rendered after the fixes).
        render_human: (args.format == report::OutputFormat::Human && !(args.fix || args.diff))
            .then(|| use_color(args.color, std::io::stdout().is_terminal())),
    };
    let mut outcome = match run::run_with(&mut resolver, &opts) {
        Ok(o) => o,
        Err(e) => return print_config_error(&e, args.color),
    };
    outcome.report.rules = resolver.rule_descriptors();
    if !args.quiet {
        for note in &outcome.notes {
            eprintln!("candor: note: {note}");
        }
    }
    for e in &outcome.errors {
        error_line(e);
    }
    for e in &outcome.config_errors {
        print_config_error(e, args.color);
    }
    let rule_warnings = print_rule_warnings(&resolver, args.quiet);
    if args.diff {
        return print_diffs(&outcome);
    }
    let mut write_failed = false;
    if args.fix {
        write_failed = write_fixes(&outcome, args.quiet);
    }
    // With --fix on standard input, stdout carries the fixed text and the report goes to stderr.
    let stdin_fixed = args.fix.then_some(opts.stdin.as_ref()).flatten();
    if let Some((shown, _)) = stdin_fixed {
        if let Some(file) = outcome.report.files.iter().find(|f| &*f.path == shown) {
            print_stdout(&file.text);
        }
    }

    let report = &outcome.report;
    let color = if stdin_fixed.is_some() {
        use_color(args.color, std::io::stderr().is_terminal())
    } else {
        use_color(args.color, std::io::stdout().is_terminal())
    };
    if args.format == report::OutputFormat::Json && stdin_fixed.is_none() {
        print_json_stdout(report);
    } else {
        print_report(report, args, color, stdin_fixed.is_some());
    }

    if !outcome.errors.is_empty()
        || !outcome.config_errors.is_empty()
        || write_failed
        || (args.strict_rules && rule_warnings > 0)
    {
        EXIT_ERROR
    } else if report
        .max_severity()
        .is_some_and(|s| s >= args.fail_on.into())
    {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    }
}

/// Prints each rule file that could not be loaded (left out, the others ran) and, unless
/// `quiet`, the Vale settings not acted on. Returns how many rule files were left out.
fn print_rule_warnings(resolver: &Resolver, quiet: bool) -> usize {
    let warnings = resolver.rule_warnings();
    for w in &warnings {
        eprintln!("candor: warning: rule left out: {w}");
    }
    if !quiet {
        for note in resolver
            .vale_notes()
            .into_iter()
            .chain(resolver.skipped_note())
        {
            eprintln!("candor: note: {note}");
        }
    }
    warnings.len()
}

/// Renders the report in `args.format` and prints it: on stderr when stdout carries fixed text.
fn print_report(report: &report::Report, args: &CheckArgs, color: bool, to_stderr: bool) {
    let mut text = report::render(report, args.format, color);
    if args.quiet && args.format == report::OutputFormat::Human {
        let summary = report::human::summary_line(report);
        if text.ends_with(&summary) {
            text.truncate(text.len() - summary.len());
        }
    }
    if to_stderr {
        eprint!("{text}");
    } else {
        print_stdout(&text);
    }
}

/// `--diff`: what `--fix` would change, as unified diffs. Exit 1 when anything would change.
fn print_diffs(outcome: &run::Outcome) -> u8 {
    let mut text = String::new();
    for f in &outcome.fixed {
        text.push_str(&fix::unified_diff(&f.shown, &f.original, &f.fixed));
    }
    print_stdout(&text);
    if !outcome.errors.is_empty() || !outcome.config_errors.is_empty() {
        EXIT_ERROR
    } else if outcome.fixed.is_empty() {
        EXIT_CLEAN
    } else {
        EXIT_FINDINGS
    }
}

/// `--fix`: writes each changed file atomically. Returns whether a write failed.
fn write_fixes(outcome: &run::Outcome, quiet: bool) -> bool {
    let mut failed = false;
    for f in &outcome.fixed {
        let Some(path) = &f.path else { continue };
        let (original, fixed) = (f.encoding.encode(&f.original), f.encoding.encode(&f.fixed));
        match fix::write_if_unchanged(path, &original, &fixed) {
            Ok(()) if !quiet => eprintln!(
                "candor: note: {}: applied {} fix{}",
                f.shown,
                f.edits,
                if f.edits == 1 { "" } else { "es" }
            ),
            Ok(()) => {}
            Err(e) => {
                error_line(format!("{}: cannot write the fixed file: {e}", f.shown));
                failed = true;
            }
        }
    }
    failed
}

fn run_init(args: &InitArgs) -> u8 {
    match config::init(&args.dir) {
        Ok(path) => {
            print_stdout(&format!("candor: wrote {}\n", path.display()));
            EXIT_CLEAN
        }
        Err(msg) => {
            error_line(msg);
            EXIT_ERROR
        }
    }
}

fn config_choice(config: &Option<PathBuf>, no_config: bool) -> ConfigChoice {
    match (config, no_config) {
        (_, true) => ConfigChoice::Disabled,
        (Some(path), false) => ConfigChoice::File(path.clone()),
        (None, false) => ConfigChoice::Discover,
    }
}

fn run_rules(args: &RulesArgs) -> u8 {
    let choice = config_choice(&args.config, args.no_config);
    let rules = match Resolver::new(&args.rules, choice)
        .and_then(|mut r| r.available(Path::new("rules-listing")))
    {
        Ok(r) => r,
        Err(e) => return print_config_error(&e, ColorChoice::Auto),
    };
    for w in &rules.warnings {
        eprintln!("candor: warning: rule left out: {w}");
    }
    let unloaded = if args.check && !rules.warnings.is_empty() {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    };
    if args.json {
        let list: Vec<_> = rules
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({"id": &*m.id, "pack": m.pack, "extends": m.extends,
                    "level": m.level.as_str(), "description": m.description})
            })
            .collect();
        print_stdout(&format!(
            "{}\n",
            serde_json::to_string_pretty(&list).unwrap_or_default()
        ));
        return unloaded;
    }
    let mut out = String::new();
    let width = rules.iter().map(|r| r.meta().id.len()).max().unwrap_or(0);
    for r in rules.iter() {
        let m = r.meta();
        out.push_str(&format!(
            "{:width$}  {:10}  {:12}  {}\n",
            m.id,
            m.level.as_str(),
            m.extends,
            m.description.lines().next().unwrap_or("")
        ));
    }
    for s in &rules.skipped {
        out.push_str(&format!("{:width$}  skipped: {}\n", s.id, s.reason));
    }
    print_stdout(&out);
    unloaded
}
