//! Command-line arguments, declared with clap's derive API.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// MODS records: validate them, look up the model, move them between versions, compare
/// them, exchange them as FHIR, share, import and count them.
///
/// MODS is the Adult Social Care Minimum Operational Data Standard (DAPB4102) for digital
/// social care records in England.
#[derive(Debug, Parser)]
#[command(
    name = "mods",
    version,
    propagate_version = true,
    after_help = "`mods help COMMAND` (or `mods COMMAND --help`) gives a command's options and \
                  examples; docs/cli.md and `mods man` describe every command."
)]
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
    /// List the embedded value sets, the codes of one, or search code displays
    Codes(CodesArgs),
    /// Look up agreed MODS terms: definitions, synonyms, and the classes that use them
    Glossary(GlossaryArgs),
    /// Print or write the JSON Schema (draft 2020-12) of the record document or a class
    #[command(disable_version_flag = true, after_long_help = SCHEMA_AFTER_HELP)]
    Schema(SchemaArgs),
    /// Move records to another MODS version, with a report of every change
    #[command(after_long_help = MIGRATE_AFTER_HELP)]
    Migrate(MigrateArgs),
    /// List what differs between two MODS versions of the model
    DiffSpec(DiffSpecArgs),
    /// Show what changed between two versions of a record, in MODS terms
    Diff(DiffArgs),
    /// MODS records to and from FHIR R4 UK Core Bundles
    #[command(after_long_help = FHIR_AFTER_HELP)]
    Fhir(FhirArgs),
    /// A person's medication administration record for a day: every dose and every warning
    #[command(after_long_help = crate::mar::AFTER_HELP)]
    Mar(crate::mar::MarArgs),
    /// Compare a person's daily care notes of two days or periods, in MODS terms
    #[command(after_long_help = crate::days::AFTER_HELP)]
    CompareDays(crate::days::CompareDaysArgs),
    /// Merge a hospital discharge into the care plan, with a Change log entry per change
    #[command(after_long_help = crate::discharge::AFTER_HELP)]
    MergeDischarge(crate::discharge::MergeDischargeArgs),
    /// Commission a package of care: build it from the council's record, accept it into the provider's
    #[command(after_long_help = crate::commission::AFTER_HELP)]
    Commission(crate::commission::CommissionArgs),
    /// How far records meet a MODS version: what each lacks, class by class, with scores
    #[command(disable_version_flag = true, after_long_help = crate::conformance::AFTER_HELP)]
    Conformance(crate::conformance::ConformanceArgs),
    /// Share a record: a component of it, or what a purpose's recipient may see (view on stdout)
    #[command(after_long_help = crate::share::AFTER_HELP)]
    Share(crate::share::ShareArgs),
    /// Import a legacy export (CSV, NDJSON or JSON) by a mapping: one record per person
    #[command(after_long_help = crate::import::AFTER_HELP)]
    Import(crate::import::ImportArgs),
    /// Count people and records by coded categories, small numbers suppressed (MI)
    #[command(disable_version_flag = true, after_long_help = crate::aggregate::AFTER_HELP)]
    Aggregate(crate::aggregate::AggregateArgs),
    /// A client-level extract: one row per person and event, pseudonymised (MI)
    #[command(disable_version_flag = true, after_long_help = crate::extract::AFTER_HELP)]
    Extract(crate::extract::ExtractArgs),
    /// Print a completion script for a shell (bash, zsh, fish, elvish, powershell)
    #[command(after_long_help = crate::completions::AFTER_HELP)]
    Completions(crate::completions::CompletionsArgs),
    /// Print the manual page, or write one per subcommand into a directory (roff)
    #[command(after_long_help = crate::man::AFTER_HELP)]
    Man(crate::man::ManArgs),
}

const FHIR_AFTER_HELP: &str = "\
Examples:
  mods fhir export examples/records/mr-green.json > bundle.json
  mods fhir export --type transaction --profiles stu2 examples/records/james.json
  mods fhir export --allow-invalid record.json        (a record with validation errors, best effort)
  mods fhir import bundle.json > record.json          (the import report on stderr)
  mods fhir outcome record.json                         (validation as an OperationOutcome)
  mods fhir mapping --format markdown                   (the mapping tables, docs/fhir-mapping.md)
  mods fhir transfer-summary examples/records/james.json  (the hospital transfer summary, a document)
  mods fhir merge-gp record.json gp-bundle.json > merged.json   (report on stderr)
  mods fhir discharge record.json discharge-bundle.json > merged.json

Exit status:
  0  done, and the report has no errors
  1  export, transfer-summary: the record is invalid or of another MODS version, or the
     timestamp is not an instant; import: the report has errors (in the FHIR input or in
     the record read); outcome: the record is invalid; merge-gp, discharge: the report has
     errors (in the Bundle or in the merged record), or the Bundle cannot be merged
     (another person's, no Patient, not a Bundle)
  2  an input could not be read, or an internal error (a bug)";

/// Options of `mods fhir`.
#[derive(Debug, Args)]
pub struct FhirArgs {
    /// The FHIR subcommand.
    #[command(subcommand)]
    pub command: FhirCommand,
}

/// The subcommands of `mods fhir`.
#[derive(Debug, Subcommand)]
pub enum FhirCommand {
    /// Export a MODS record as a FHIR Bundle (JSON on stdout)
    Export(FhirExportArgs),
    /// Import a FHIR Bundle (or one resource) as a MODS record (on stdout; report on stderr)
    Import(FhirImportArgs),
    /// Validate a MODS record and print the report as a FHIR OperationOutcome
    Outcome(FhirOutcomeArgs),
    /// Print the mapping tables (Markdown, as in docs/fhir-mapping.md, or JSON)
    Mapping(FhirMappingArgs),
    /// Write the hospital transfer summary ("Red Bag") of a record: a FHIR document on stdout
    TransferSummary(FhirTransferSummaryArgs),
    /// Merge a GP system's Bundle (allergies, medicines, problems) into a record (the merged
    /// record on stdout; report on stderr)
    MergeGp(FhirMergeArgs),
    /// Merge a hospital's discharge Bundle (Encounter, medicines, discharge summary) into a
    /// record (the merged record on stdout; report on stderr)
    Discharge(FhirMergeArgs),
}

/// Options of `mods fhir transfer-summary`.
#[derive(Debug, Args)]
pub struct FhirTransferSummaryArgs {
    /// The record file, or `-` for stdin.
    #[arg(value_name = "RECORD")]
    pub record: PathBuf,
    /// The time of the summary (an instant, such as 2026-01-20T15:00:00Z); now without it.
    #[arg(long, value_name = "INSTANT")]
    pub timestamp: Option<String>,
    /// UK Core profile set claimed in meta.profile: `current` (drafts included) or `stu2` (2.0.2).
    #[arg(long, value_parser = ["current", "stu2"], default_value = "current")]
    pub profiles: String,
    /// Summarise a record with validation errors too (best effort).
    #[arg(long)]
    pub allow_invalid: bool,
}

/// Options of `mods fhir merge-gp` and `mods fhir discharge`.
#[derive(Debug, Args)]
pub struct FhirMergeArgs {
    /// The existing record file (MODS 1.0).
    #[arg(value_name = "RECORD")]
    pub record: PathBuf,
    /// The Bundle file, or `-` for stdin.
    #[arg(value_name = "BUNDLE")]
    pub bundle: PathBuf,
    /// The date of new records when neither the resources nor the Bundle give one
    /// (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Format of the report on stderr.
    #[arg(long, value_enum, default_value_t = MergeReportFormat::Human)]
    pub report_format: MergeReportFormat,
}

/// How `mods fhir merge-gp` and `mods fhir discharge` write their report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MergeReportFormat {
    /// One line per item and issue.
    Human,
    /// The report as JSON (with the documents' inline content, base64).
    Json,
}

/// Options of `mods fhir export`.
#[derive(Debug, Args)]
pub struct FhirExportArgs {
    /// The record file, or `-` for stdin.
    #[arg(value_name = "RECORD")]
    pub record: PathBuf,
    /// Bundle type.
    #[arg(long = "type", value_parser = ["collection", "transaction", "document"], default_value = "collection")]
    pub r#type: String,
    /// UK Core profile set claimed in meta.profile: `current` (drafts included) or `stu2` (2.0.2).
    #[arg(long, value_parser = ["current", "stu2"], default_value = "current")]
    pub profiles: String,
    /// Bundle.timestamp (an instant); a document Bundle gets the current time without it.
    #[arg(long, value_name = "INSTANT")]
    pub timestamp: Option<String>,
    /// Export a record with validation errors too (best effort; the round trip is exact for
    /// valid records only).
    #[arg(long)]
    pub allow_invalid: bool,
}

/// Options of `mods fhir import`.
#[derive(Debug, Args)]
pub struct FhirImportArgs {
    /// The Bundle file, or `-` for stdin.
    #[arg(value_name = "BUNDLE")]
    pub bundle: PathBuf,
    /// Keep every FHIR part no MODS element holds in `mods_extensions.fhir_unmapped`.
    #[arg(long)]
    pub keep_unmapped: bool,
    /// Format of the report on stderr.
    #[arg(long, value_enum, default_value_t = ImportReportFormat::Human)]
    pub report_format: ImportReportFormat,
}

/// How `mods fhir import` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportReportFormat {
    /// One line per issue.
    Human,
    /// The report as JSON.
    Json,
    /// A FHIR OperationOutcome.
    OperationOutcome,
}

/// Options of `mods fhir outcome`.
#[derive(Debug, Args)]
pub struct FhirOutcomeArgs {
    /// The record file, or `-` for stdin.
    #[arg(value_name = "RECORD")]
    pub record: PathBuf,
}

/// Options of `mods fhir mapping`.
#[derive(Debug, Args)]
pub struct FhirMappingArgs {
    /// `markdown` or `json`.
    #[arg(long, value_parser = ["markdown", "json"], default_value = "markdown")]
    pub format: String,
}

const MIGRATE_AFTER_HELP: &str = "\
Exit status:
  0  every record was migrated
  1  a record could not be migrated (data the target cannot hold, without --keep-lost;
     or a record of an unknown version)
  2  usage error, an input could not be read or an output written, or a record hit an
     internal error (a bug); the other records are still migrated

Examples:
  mods migrate --to 1.0 examples/older/mr-green-mods-0.2.1.json
  mods migrate --to 1.1 --out migrated/ --report report.json examples/records
  mods migrate --to 0.2.1 --keep-lost record.json";

/// Options of `mods migrate`.
#[derive(Debug, Args)]
pub struct MigrateArgs {
    /// The MODS version to move the records to.
    #[arg(long, value_name = "VERSION")]
    pub to: String,

    /// Record files or directories (*.json), or `-` for stdin.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,

    /// Write each migrated record to this directory, under its file name. Without it, a
    /// single record is printed to stdout.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// Write the change report of every record as JSON to this file (else it is printed
    /// to stderr, for a person).
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,

    /// Keep data the target version cannot hold in the record's `mods_extensions.migration`
    /// slot instead of refusing to migrate.
    #[arg(long, alias = "keep-lossy")]
    pub keep_lost: bool,
}

/// Options of `mods diff-spec`.
#[derive(Debug, Args)]
pub struct DiffSpecArgs {
    /// One MODS version.
    #[arg(value_name = "VERSION")]
    pub a: String,
    /// The other MODS version.
    #[arg(value_name = "VERSION")]
    pub b: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ClassesFormat::Human)]
    pub format: ClassesFormat,
}

/// Options of `mods diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The older record.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The newer record.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Show values before and after. Off by default: records hold people's data.
    #[arg(long)]
    pub include_values: bool,
    /// Include Change log entries (the audit trail), left out by default.
    #[arg(long, alias = "audit")]
    pub include_audit: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ClassesFormat::Human)]
    pub format: ClassesFormat,
    /// Exit with status 1 when the records differ (0 when they do not, 2 on an error), as
    /// `git diff --exit-code` does.
    #[arg(long)]
    pub exit_code: bool,
}

const SCHEMA_AFTER_HELP: &str = "\
Examples:
  mods schema                          the record schema of the current MODS version
  mods schema --version 1.0 --class alert
  mods schema --out schemas            every version: schemas/<version>/record.schema.json
                                       and schemas/<version>/classes/<class>.schema.json";

/// Options of `mods schema`.
#[derive(Debug, Args)]
pub struct SchemaArgs {
    /// The MODS version (default: the current version; with --out: every supported version).
    #[arg(long = "version", value_name = "VERSION")]
    pub mods_version: Option<String>,

    /// The class (technical name, e.g. `alert`) whose schema to print instead of the
    /// record document's.
    #[arg(long, value_name = "CLASS")]
    pub class: Option<String>,

    /// Write the schemas as files under this directory instead of printing one:
    /// DIR/VERSION/record.schema.json, DIR/VERSION/classes/CLASS.schema.json and,
    /// for every version, DIR/index.json.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

const VALIDATE_AFTER_HELP: &str = "\
Exit status:
  0  every record is valid (warnings allowed)
  1  at least one record is invalid
  2  usage error, an input could not be read, or a record hit an internal error (a bug;
     reported as `internal-error`); the other inputs are still validated

Examples:
  mods validate examples/records
  mods validate --strict --format json record.json
  cat record.json | mods validate -
  mods validate --jobs 4 export.ndjson                (one record per line, on 4 threads)
  zcat export.ndjson.gz | mods validate --ndjson -
  mods validate --class alert alert.json
  mods validate --failures-only --min-severity warning examples/records
  mods validate --format sarif --output mods.sarif export.ndjson   (code-scanning views)
  mods validate --format junit --output mods-junit.xml records/     (CI test views)
  mods validate --format jsonl export.ndjson | jq -c 'select(.valid == false)'";

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

    /// List only the records that fail: those with errors, and with --min-severity those
    /// with an issue at or above it. The summary still counts every record.
    #[arg(long)]
    pub failures_only: bool,

    /// List only the issues of this severity or above (`error`, `warning`,
    /// `information`: everything, the default). The summary and the exit status still
    /// count every issue.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub min_severity: Option<MinSeverity>,

    /// Write the report to FILE instead of stdout (the summary line then goes to stderr,
    /// unless -q; `-` is stdout). FILE must not be one of the inputs.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Read stdin as NDJSON (one document per line) instead of one JSON document.
    #[arg(long)]
    pub ndjson: bool,

    /// Validate on N threads (default: one per core). The records of an NDJSON input are
    /// spread over them too; the output keeps the input's order whatever N.
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<std::num::NonZeroUsize>,

    /// Take this date (YYYY-MM-DD) as today for the rules that need one (a birth or an
    /// event in the future, a birth more than 125 years ago: `implausible-date`). Default:
    /// the system clock's date in UTC.
    #[arg(long, value_name = "DATE", value_parser = parse_today)]
    pub today: Option<mods_core::types::NaiveDate>,

    /// Check codes bound to terminologies that are not embedded (SNOMED CT, dm+d...)
    /// against this file: a FHIR ValueSet (expansion) or CodeSystem as JSON, or a SNOMED
    /// CT RF2 simple refset (`.txt`). May be given more than once.
    #[arg(long, value_name = "FILE")]
    pub terminology: Vec<PathBuf>,

    /// Check such codes with this FHIR terminology server (base URL), after any
    /// --terminology files. When it cannot be reached the codes are reported as
    /// unchecked (`code-unchecked`), never as valid.
    #[cfg(feature = "terminology-server")]
    #[arg(long, value_name = "URL")]
    pub terminology_server: Option<String>,

    /// Name of an environment variable holding a bearer token for --terminology-server.
    #[cfg(feature = "terminology-server")]
    #[arg(long, value_name = "VAR", requires = "terminology_server")]
    pub terminology_token_env: Option<String>,

    /// Code systems the terminology server answers for (default: SNOMED CT).
    #[cfg(feature = "terminology-server")]
    #[arg(long, value_name = "URI", requires = "terminology_server")]
    pub terminology_system: Vec<String>,

    /// Timeout of each terminology-server request, in seconds.
    #[cfg(feature = "terminology-server")]
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 5.0,
        requires = "terminology_server"
    )]
    pub terminology_timeout: f64,

    /// Follow a redirect from --terminology-server to another origin (scheme, host or
    /// port). Off by default: such a redirect leaves the code unchecked. The bearer token
    /// is never sent to another origin either way.
    #[cfg(feature = "terminology-server")]
    #[arg(long, requires = "terminology_server")]
    pub terminology_allow_cross_origin_redirects: bool,
}

/// Parse `--today`: a real day written YYYY-MM-DD.
fn parse_today(s: &str) -> Result<mods_core::types::NaiveDate, String> {
    mods_core::checks::parse_date(s)
        .ok_or_else(|| "expected a date YYYY-MM-DD naming a real day".into())
}

/// Output formats of `mods validate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateFormat {
    /// One line per record and per issue, then a summary.
    Human,
    /// One JSON object holding every report and the summary.
    Json,
    /// JSON Lines: one JSON object per record, in input order, then one holding the summary.
    Jsonl,
    /// SARIF 2.1.0, for code-scanning views: one result per issue.
    Sarif,
    /// JUnit XML, for CI test views: one test suite per input, one test case per record.
    Junit,
}

/// The lowest severity `mods validate --min-severity` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MinSeverity {
    /// Errors only.
    Error,
    /// Errors and warnings.
    Warning,
    /// Every issue.
    Information,
}

impl MinSeverity {
    /// Whether an issue of `severity` is at or above this one.
    pub fn admits(self, severity: mods_core::Severity) -> bool {
        use mods_core::Severity;
        match self {
            MinSeverity::Error => severity == Severity::Error,
            MinSeverity::Warning => severity != Severity::Information,
            MinSeverity::Information => true,
        }
    }
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
    #[arg(value_name = "CLASS", conflicts_with = "bindings")]
    pub class: Option<String>,

    /// List every coded element of the model with its binding: an embedded value set
    /// (and strength) or an external terminology.
    #[arg(long)]
    pub bindings: bool,

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

/// Options of `mods codes`.
#[derive(Debug, Args)]
pub struct CodesArgs {
    /// The value set (id or canonical URL) whose codes to list. Without it, every value
    /// set is listed.
    #[arg(value_name = "VALUE_SET")]
    pub value_set: Option<String>,

    /// Search code displays (case-insensitive), in VALUE_SET or in every value set.
    #[arg(long, value_name = "TEXT")]
    pub search: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ClassesFormat::Human)]
    pub format: ClassesFormat,
}

/// Options of `mods glossary`.
#[derive(Debug, Args)]
pub struct GlossaryArgs {
    /// The term to show (its id, the term itself, or a synonym; case-insensitive).
    /// Without it, every term is listed.
    #[arg(value_name = "TERM")]
    pub term: Option<String>,

    /// Output format; `json` exports the glossary (or the term) for other systems.
    #[arg(long, value_enum, default_value_t = ClassesFormat::Human)]
    pub format: ClassesFormat,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    /// Every command in the top-level help has a description there, a row in the table at
    /// the top of docs/cli.md and a section of its own; every nested command is named in
    /// the page too.
    #[test]
    fn the_help_and_docs_cli_md_describe_every_command() {
        let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/cli.md"))
            .expect("docs/cli.md");
        let cmd = Cli::command();
        let mut names = Vec::new();
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            let name = sub.get_name();
            names.push(name);
            assert!(
                sub.get_about()
                    .is_some_and(|a| !a.to_string().trim().is_empty()),
                "`mods {name}` has no description in the help"
            );
            assert!(
                docs.contains(&format!("| [`mods {name}")),
                "docs/cli.md: no row for `mods {name}` in the table of commands"
            );
            assert!(
                docs.lines()
                    .any(|l| l.starts_with("## ") && l.contains(&format!("`mods {name}`"))),
                "docs/cli.md: no section `## \\`mods {name}\\``"
            );
            for nested in sub.get_subcommands().filter(|s| !s.is_hide_set()) {
                let nested = nested.get_name();
                assert!(
                    docs.contains(&format!("mods {name} {nested}")),
                    "docs/cli.md does not describe `mods {name} {nested}`"
                );
            }
        }
        assert!(names.len() >= 21 && names.contains(&"man"), "{names:?}");
    }
}
