//! Command-line arguments, declared with clap's derive API.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Validate MODS records, explain issue codes and list the model's classes.
///
/// MODS is the Adult Social Care Minimum Operational Data Standard (DAPB4102) for digital
/// social care records in England.
#[derive(Debug, Parser)]
#[command(name = "mods", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands of `mods`.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate record documents (JSON or NDJSON files, directories, or stdin)
    #[command(after_long_help = VALIDATE_AFTER_HELP)]
    Validate(ValidateArgs),
    /// Explain an issue code, or print the whole catalogue of codes
    Explain(ExplainArgs),
    /// List the classes of the MODS model, or show one class's elements
    Classes(ClassesArgs),
}

const VALIDATE_AFTER_HELP: &str = "\
Exit status:
  0  every record is valid (warnings allowed)
  1  at least one record is invalid
  2  usage error, or an input could not be read (the other inputs are still validated)

Examples:
  mods validate examples/records
  mods validate --strict --format json record.json
  cat record.json | mods validate -
  mods validate --class alert alert.json";

/// Options of `mods validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// Files or directories to validate, or `-` for stdin. Directories are walked
    /// recursively for *.json, *.ndjson and *.jsonl files, in sorted order.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Strict mode: elements the model does not define are errors, not warnings.
    #[arg(long)]
    pub strict: bool,

    /// Validate each document as one instance of this class (technical name, e.g.
    /// `alert`) instead of as a whole record document.
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ValidateFormat::Human)]
    pub format: ValidateFormat,

    /// Put the offending values in each issue's context. Off by default: records hold
    /// people's data, and reports end up in logs.
    #[arg(long)]
    pub include_values: bool,

    /// Print only the summary (JSON format: an object holding only `summary`). I/O
    /// errors are still reported on stderr.
    #[arg(long, short)]
    pub quiet: bool,

    /// Read stdin as NDJSON (one document per line) instead of one JSON document.
    #[arg(long)]
    pub ndjson: bool,
}

/// Output formats of `mods validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// One line per record and per issue, then a summary.
    Human,
    /// One JSON object holding every report and the summary.
    Json,
}

/// Options of `mods explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The issue code to explain, e.g. `nhs-number-check-digit`.
    #[arg(
        value_name = "CODE",
        required_unless_present = "all",
        conflicts_with = "all"
    )]
    pub code: Option<String>,

    /// Explain every code in the catalogue.
    #[arg(long)]
    pub all: bool,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Human)]
    pub format: ExplainFormat,
}

/// Output formats of `mods explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExplainFormat {
    /// Plain text, wrapped for a terminal.
    Human,
    /// Markdown (with `--all`: the document published as docs/issue-codes.md).
    Markdown,
}

/// Options of `mods classes`.
#[derive(Debug, Args)]
pub struct ClassesArgs {
    /// Show this class (technical name, e.g. `alert`) in detail.
    #[arg(value_name = "CLASS")]
    pub class: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ClassesFormat::Human)]
    pub format: ClassesFormat,
}

/// Output formats of `mods classes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ClassesFormat {
    /// An aligned table.
    Human,
    /// JSON.
    Json,
}
