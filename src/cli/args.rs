//! Command-line arguments (clap). Usage errors exit with status 2.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::diagnostic::Severity;
use crate::report::OutputFormat;
use crate::source::macros::FieldPath;

#[derive(Debug, Parser)]
#[command(
    name = "candor",
    version,
    about = "Lint customer-facing writing: self-focus, ignored questions, canned filler."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Lint files, folders (walked with .gitignore respected) or standard input.
    Check(CheckArgs),
    /// List the loaded rules with their pack, level and description.
    Rules(RulesArgs),
    /// Write a commented starter `.candor.yaml` (never overwrites one).
    Init(InitArgs),
    /// Run the Language Server on standard input and output (for editors).
    Lsp(LspArgs),
    /// Serve the draft page on a local address (printed; opens nothing).
    Serve(ServeArgs),
    /// Explain a rule: what it catches, why it matters, examples, options and its level here.
    Explain(ExplainArgs),
    /// Show the settings that apply to a path and where each came from.
    Config(ConfigArgs),
}

#[derive(Debug, clap::Args)]
pub struct LspArgs {
    /// Use this configuration file for every document instead of the nearest `.candor.yaml`.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore `.candor.yaml` files.
    #[arg(long)]
    pub no_config: bool,
    /// Accepted for editors that start every server with `--stdio`; standard input and output
    /// are the only transport.
    #[arg(long, hide = true)]
    pub stdio: bool,
    /// Answer any one message larger than this with an error instead of reading it, e.g.
    /// `16MiB` (default 64MiB).
    #[arg(long, value_name = "SIZE", value_parser = crate::source::read::parse_size)]
    pub max_message_size: Option<u64>,
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Address to listen on. Only loopback addresses unless --allow-remote.
    #[arg(long, default_value = "127.0.0.1")]
    pub host: std::net::IpAddr,
    /// Port to listen on (0: a free one).
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    /// Listen on a non-loopback address: anyone who can reach it can use the page.
    #[arg(long)]
    pub allow_remote: bool,
    /// Use this configuration file instead of the `.candor.yaml` of the current folder.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore `.candor.yaml` files.
    #[arg(long)]
    pub no_config: bool,
}

/// Where to look for rules and configuration (`explain`, `config`).
#[derive(Debug, clap::Args)]
pub struct ConfigSource {
    /// A rules folder to load beside the built-in pack.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Use this configuration file instead of the nearest `.candor.yaml`.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore `.candor.yaml` files.
    #[arg(long)]
    pub no_config: bool,
}

#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// The rule id, e.g. `Candor.CannedFiller` (case does not matter; the pack may be left
    /// out when the name is unique).
    pub rule: String,
    /// The level shown is the one the configuration gives files here (default: `.`).
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub path: PathBuf,
    #[command(flatten)]
    pub source: ConfigSource,
}

#[derive(Debug, clap::Args)]
pub struct ConfigArgs {
    /// The file (or folder) whose settings to show.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// As `candor check --select`.
    #[arg(long, value_name = "RULE")]
    pub select: Vec<String>,
    /// As `candor check --ignore`.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    #[command(flatten)]
    pub source: ConfigSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Level {
    Suggestion,
    Warning,
    Error,
}

impl From<Level> for Severity {
    fn from(l: Level) -> Severity {
        match l {
            Level::Suggestion => Severity::Suggestion,
            Level::Warning => Severity::Warning,
            Level::Error => Severity::Error,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Files or folders to lint; `-` (or nothing, with piped input) reads standard input.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
    /// Report only findings at or above this level.
    #[arg(long, value_enum, default_value_t = Level::Suggestion)]
    pub min_level: Level,
    /// Run only these rules or packs (e.g. `Candor`, `Candor.CannedFiller`); repeatable or
    /// comma-separated. Replaces the configuration's `select:`.
    #[arg(long, value_name = "RULE")]
    pub select: Vec<String>,
    /// Never run these rules or packs; repeatable or comma-separated. Adds to the
    /// configuration's `ignore-rules:`.
    #[arg(long, value_name = "RULE")]
    pub ignore: Vec<String>,
    /// Exit with status 1 when a finding at or above this level is reported.
    #[arg(long, value_enum, default_value_t = Level::Error)]
    pub fail_on: Level,
    /// A rules folder (a pack, or a Vale StylesPath of packs) to add to or override the built-in pack.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// The customer's message the reply answers (Markdown or text; `-` for standard input).
    #[arg(long, value_name = "FILE")]
    pub inbound: Option<PathBuf>,
    /// Print findings only: no summary line, no notes about skipped files.
    #[arg(long, short)]
    pub quiet: bool,
    /// When to colour human output.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Read standard input as this kind of file (md, markdown, txt; json, yaml, csv, html: a
    /// helpdesk export or thread).
    #[arg(long, value_name = "EXT")]
    pub ext: Option<String>,
    /// Name to show for standard input; its extension picks the format.
    #[arg(long, value_name = "NAME")]
    pub stdin_filename: Option<String>,
    /// Lint every .json, .yaml, .yml and .csv file found in folders, not only those that look
    /// like helpdesk macro exports (files named explicitly are always read).
    #[arg(long)]
    pub macros: bool,
    /// In JSON and YAML files, lint the string values at this path instead of guessing, e.g.
    /// `actions.*.value` (`*` is any one step, `**` any number). Repeatable; implies --macros.
    #[arg(long = "field", value_name = "PATH", value_parser = FieldPath::parse)]
    pub fields: Vec<FieldPath>,
    /// In CSV files, lint this column (default: the first named body, content, text, message
    /// or reply). Implies --macros.
    #[arg(long, value_name = "NAME")]
    pub column: Option<String>,
    /// Use this configuration file for every input instead of the nearest `.candor.yaml`.
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore `.candor.yaml` files.
    #[arg(long)]
    pub no_config: bool,
    /// Print how many findings each rule made (most first) instead of the findings; with
    /// `--format json`, as a JSON array.
    #[arg(long, conflicts_with_all = ["fix", "diff"])]
    pub statistics: bool,
    /// Apply the safe fixes in place (standard input: print the fixed text). A suggestion with
    /// a stand-in to fill in is never applied.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// With --fix or --diff: also apply unsafe fixes (rewrites of text a rule matched by a
    /// pattern, which may change the meaning).
    #[arg(long)]
    pub unsafe_fixes: bool,
    /// Print a unified diff of what --fix would change, without writing; exit 1 if anything would.
    #[arg(long)]
    pub diff: bool,
    /// Refuse any one input (file, standard input, --inbound, configuration) larger than this,
    /// e.g. `64MiB`, `1G` or a number of bytes. Default: $CANDOR_MAX_FILE_SIZE, else 256MiB.
    #[arg(long, value_name = "SIZE", value_parser = crate::source::read::parse_size)]
    pub max_file_size: Option<u64>,
    /// Exit with status 2 when a rule file cannot be loaded (it is otherwise left out with a
    /// warning and the other rules run).
    #[arg(long)]
    pub strict_rules: bool,
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// Folder to write `.candor.yaml` into.
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// A rules folder to load beside the built-in pack.
    #[arg(long = "rules", value_name = "DIR")]
    pub rules: Vec<PathBuf>,
    /// Print the list as JSON.
    #[arg(long)]
    pub json: bool,
    /// Also load the packs of this configuration file (default: the nearest `.candor.yaml`).
    #[arg(long, value_name = "PATH", conflicts_with = "no_config")]
    pub config: Option<PathBuf>,
    /// Ignore `.candor.yaml` files.
    #[arg(long)]
    pub no_config: bool,
    /// Check the rule files: exit with status 1 when one cannot be loaded.
    #[arg(long)]
    pub check: bool,
}
