//! The binary's edge: the only place that prints or exits. Exit 0 when nothing at or above the
//! failing level was found, 1 when something was, 2 for usage, configuration or input errors.

pub mod args;
mod explain;
mod progress;
mod show_config;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use codespan_reporting::diagnostic::{Diagnostic as CsDiagnostic, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::{self, termcolor::Buffer, Config};

use crate::config::{self, ConfigChoice, Resolver};
use crate::error::ConfigError;
use crate::fix;
use crate::report;
use crate::run;
use crate::selection::Selection;
use crate::source::StdinKind;
use args::{
    CheckArgs, Cli, ColorChoice, Command, ConfigArgs, ConfigSource, ExplainArgs, InitArgs, LspArgs,
    RulesArgs, ServeArgs,
};

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
        Command::Lsp(args) => run_lsp(&args),
        Command::Serve(args) => run_serve(&args),
        Command::Explain(args) => run_explain(&args),
        Command::Config(args) => run_config(&args),
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
    let selection = Selection::from_args(&args.select, &args.ignore);
    if !selection.is_empty() {
        // Checked against the rules a file here could use (built in, `--rules`, the packs of
        // the configuration that applies here).
        let here = args
            .paths
            .first()
            .filter(|p| p.as_os_str() != "-")
            .map_or(Path::new("."), PathBuf::as_path);
        let known = match resolver.available(&here.join("candor-selection")) {
            Ok(r) => r,
            Err(e) => return print_config_error(&e, args.color),
        };
        if let Some(id) = selection.unknown(&known).first() {
            error_line(format!(
                "--select/--ignore: no rule or pack `{id}` is loaded; `candor rules` lists them"
            ));
            return EXIT_ERROR;
        }
        resolver.set_selection(selection);
    }
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
        unsafe_fixes: args.unsafe_fixes,
        keep_text: args.format == report::OutputFormat::Human && !args.statistics,
        // Rendered file by file as the run goes, so a big run keeps no texts; a fix run keeps
        // them (its report is rendered after the fixes).
        render_human: (args.format == report::OutputFormat::Human
            && !(args.fix || args.diff || args.statistics))
            .then(|| use_color(args.color, std::io::stdout().is_terminal())),
        progress: Some(Arc::new(run::Progress::default())),
    };
    let bar = opts
        .progress
        .as_ref()
        .and_then(|p| progress::Bar::start(p, args.quiet));
    let outcome = run::run_with(&mut resolver, &opts);
    if let Some(bar) = bar {
        bar.finish();
    }
    let mut outcome = match outcome {
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
    if args.statistics {
        let counts = report::statistics::counts(report);
        print_stdout(&if args.format == report::OutputFormat::Json {
            report::statistics::render_json(&counts)
        } else {
            report::statistics::render(&counts)
        });
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

/// Writes the report in `args.format` as it is made: on stderr when stdout carries fixed text.
/// With `--quiet`, the human format leaves out its summary line.
fn print_report(report: &report::Report, args: &CheckArgs, color: bool, to_stderr: bool) {
    let summary = !(args.quiet && args.format == report::OutputFormat::Human);
    // A closed pipe (`candor check … | head`) is not an error worth a word.
    let _ = if to_stderr {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stderr().lock());
        report::write(report, args.format, color, summary, &mut out).and_then(|_| out.flush())
    } else {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
        report::write(report, args.format, color, summary, &mut out).and_then(|_| out.flush())
    };
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

fn run_lsp(args: &LspArgs) -> u8 {
    let max_body = args
        .max_message_size
        .map_or(crate::server::transport::DEFAULT_MAX_BODY, |n| {
            usize::try_from(n).unwrap_or(usize::MAX)
        });
    crate::server::lsp::run_stdio(config_choice(&args.config, args.no_config), max_body)
}

fn run_serve(args: &ServeArgs) -> u8 {
    let opts = crate::server::page::Options {
        host: args.host,
        port: args.port,
        allow_remote: args.allow_remote,
        config: config_choice(&args.config, args.no_config),
    };
    match crate::server::page::Page::bind(&opts) {
        Ok(page) => {
            print_stdout(&format!("candor serve: {}\n", page.url()));
            page.serve();
            EXIT_CLEAN
        }
        Err(msg) => {
            error_line(msg);
            EXIT_ERROR
        }
    }
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
    let here = Path::new("rules-listing");
    let (rules, settings) = match Resolver::new(&args.rules, choice).and_then(|mut r| {
        let rules = r.available(here)?;
        Ok((rules, r.settings(here)?))
    }) {
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
    // The level the configuration here gives each rule (`off` included), else the file's.
    let configured = |id: &str, file_level: &'static str| -> String {
        settings
            .rules
            .iter()
            .find(|s| s.id == id)
            .map_or_else(|| file_level.to_string(), |s| s.level.clone())
    };
    if args.json {
        let list: Vec<_> = rules
            .iter()
            .map(|r| {
                let m = r.meta();
                serde_json::json!({"id": &*m.id, "pack": m.pack, "extends": m.extends,
                    "level": m.level.as_str(), "description": m.description,
                    "configured_level": configured(&m.id, m.level.as_str())})
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
            configured(&m.id, m.level.as_str()),
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

/// A settings path for a folder: a file in it, so the folder's configuration applies.
fn settings_path(path: &Path) -> PathBuf {
    if path.is_dir() {
        path.join("candor-settings")
    } else {
        path.to_path_buf()
    }
}

fn resolver_for(source: &ConfigSource) -> Result<Resolver, ConfigError> {
    Resolver::new(
        &source.rules,
        config_choice(&source.config, source.no_config),
    )
}

fn run_explain(args: &ExplainArgs) -> u8 {
    let at = settings_path(&args.path);
    let mut resolver = match resolver_for(&args.source) {
        Ok(r) => r,
        Err(e) => return print_config_error(&e, ColorChoice::Auto),
    };
    let (rules, settings) = match resolver
        .available(&at)
        .and_then(|rules| Ok((rules, resolver.settings(&at)?)))
    {
        Ok(r) => r,
        Err(e) => return print_config_error(&e, ColorChoice::Auto),
    };
    let wanted = args.rule.to_ascii_lowercase();
    let matches: Vec<_> = rules
        .iter()
        .filter(|r| {
            let id = r.meta().id.to_ascii_lowercase();
            id == wanted || id.split_once('.').is_some_and(|(_, name)| name == wanted)
        })
        .collect();
    let rule = match matches.as_slice() {
        [one] => one,
        [] => {
            let near = rules
                .iter()
                .map(|r| {
                    (
                        strsim::jaro_winkler(&r.meta().id.to_ascii_lowercase(), &wanted),
                        r,
                    )
                })
                .filter(|(score, _)| *score > 0.8)
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .map(|(_, r)| format!(" (did you mean `{}`?)", r.meta().id))
                .unwrap_or_default();
            error_line(format!(
                "no rule `{}` is loaded{near}; `candor rules` lists them",
                args.rule
            ));
            return EXIT_ERROR;
        }
        many => {
            let ids: Vec<&str> = many.iter().map(|r| &*r.meta().id).collect();
            error_line(format!(
                "`{}` names more than one rule ({}); give the pack too",
                args.rule,
                ids.join(", ")
            ));
            return EXIT_ERROR;
        }
    };
    let stored = rules.stored(&rule.meta().id).map(|s| &**s);
    let rule: &dyn crate::rules::Rule = &***rule;
    print_stdout(&explain::render(rule, stored, &settings));
    EXIT_CLEAN
}

fn run_config(args: &ConfigArgs) -> u8 {
    let mut resolver = match resolver_for(&args.source) {
        Ok(r) => r,
        Err(e) => return print_config_error(&e, ColorChoice::Auto),
    };
    let selection = Selection::from_args(&args.select, &args.ignore);
    if !selection.is_empty() {
        let known = match resolver.available(&settings_path(&args.path)) {
            Ok(r) => r,
            Err(e) => return print_config_error(&e, ColorChoice::Auto),
        };
        if let Some(id) = selection.unknown(&known).first() {
            error_line(format!(
                "--select/--ignore: no rule or pack `{id}` is loaded; `candor rules` lists them"
            ));
            return EXIT_ERROR;
        }
        resolver.set_selection(selection);
    }
    match resolver.settings(&settings_path(&args.path)) {
        Ok(settings) => {
            print_stdout(&show_config::render(
                &args.path.display().to_string(),
                &settings,
            ));
            EXIT_CLEAN
        }
        Err(e) => print_config_error(&e, ColorChoice::Auto),
    }
}
