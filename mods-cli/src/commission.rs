//! `mods commission package` and `mods commission accept`: the package of care handed from
//! the council to the provider (use case 2), through `mods_api`.

use crate::input;
use crate::output;
use clap::{Args, Subcommand, ValueEnum};
use mods_api::{
    commission_accept, commission_package, CommissionAcceptOptions, CommissionPackageOptions,
    Error, Report,
};
use mods_core::guard;
use serde::Serialize;
use std::io::{self, Write};
use std::path::PathBuf;

/// What `mods commission --help` shows after the options.
pub const AFTER_HELP: &str = "\
Examples:
  mods commission package council.json --plan cp-bodat --provider prov-spenvalley > package.json
  mods commission accept provider.json package.json --committer sv-cw-sue \\
      --date 2026-01-30T10:00:00Z > merged.json
  mods commission accept '[]'-file.json package.json --new-person ...   (a person new to the provider)

PROVIDER_RECORD is one record document or a JSON array of them (the provider's people); the
one whose subject of care has the package's NHS number is merged into. The report goes to
stderr (--report-format json for the whole report).

Exit status:
  0  package: complete (valid, every reference resolves inside it); accept: merged, and the
     merged record has no errors (warnings such as plan-exceeds-funded-envelope allowed)
  1  package: written but not complete (unresolved references or errors), or refused (no
     such plan, provider or sender); accept: refused (no record with the NHS number and no
     --new-person, several, another MODS version, a uid clash, no committer), or the
     merged record has errors
  2  an input could not be read, or an internal error (a bug)";

/// Options of `mods commission`.
#[derive(Debug, Args)]
pub struct CommissionArgs {
    /// The commissioning subcommand.
    #[command(subcommand)]
    pub command: CommissionCommand,
}

/// The subcommands of `mods commission`.
#[derive(Debug, Subcommand)]
pub enum CommissionCommand {
    /// Build the package of care for one care plan from the council's record (the package
    /// on stdout; report on stderr)
    Package(PackageArgs),
    /// Merge a package of care into the provider's record of the person (the merged record
    /// on stdout; report on stderr)
    Accept(AcceptArgs),
}

/// How the report on stderr is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One line per fact and issue, then a summary line.
    Human,
    /// The report as JSON.
    Json,
}

/// Options of `mods commission package`.
#[derive(Debug, Args)]
pub struct PackageArgs {
    /// The council's record file, or `-` for stdin.
    #[arg(value_name = "COUNCIL_RECORD")]
    pub record: PathBuf,
    /// The record uid of the care plan commissioned.
    #[arg(long, value_name = "PLAN_UID")]
    pub plan: String,
    /// The record uid of the provider the package is for (default: the one care provider
    /// the plan's services name).
    #[arg(long, value_name = "ORG_UID")]
    pub provider: Option<String>,
    /// The record uid of the sending organisation (default: the record's only local
    /// authority).
    #[arg(long, alias = "from", value_name = "ORG_UID")]
    pub sender: Option<String>,
    /// Put offending values in the validation issues (they hold the person's data).
    #[arg(long)]
    pub include_values: bool,
    /// Format of the report on stderr.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub report_format: ReportFormat,
}

/// Options of `mods commission accept`.
#[derive(Debug, Args)]
pub struct AcceptArgs {
    /// The provider's record file (one record document, or an array of them).
    #[arg(value_name = "PROVIDER_RECORD")]
    pub provider: PathBuf,
    /// The package file, or `-` for stdin.
    #[arg(value_name = "PACKAGE")]
    pub package: PathBuf,
    /// When the package was accepted, an RFC 3339 date and time (default: now).
    #[arg(long, value_name = "DATE_TIME")]
    pub date: Option<String>,
    /// The record uid of the care actor accepting it (default: the provider's registered
    /// manager, when the record holds them).
    #[arg(long, value_name = "UID")]
    pub committer: Option<String>,
    /// The system identifier of the Change log entries (default: mods-sdk commission accept).
    #[arg(long, alias = "system", value_name = "TEXT")]
    pub system_identifier: Option<String>,
    /// Start a new record when no record of the provider has the package's NHS number.
    #[arg(long)]
    pub new_person: bool,
    /// Put offending values in the validation issues (they hold the person's data).
    #[arg(long)]
    pub include_values: bool,
    /// Format of the report on stderr.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub report_format: ReportFormat,
}

/// Run `mods commission`; returns the exit code.
pub fn run(args: &CommissionArgs) -> io::Result<u8> {
    match &args.command {
        CommissionCommand::Package(a) => package(a),
        CommissionCommand::Accept(a) => accept(a),
    }
}

/// What a call gave: a result, an error of the API (exit 1 when refused, 2 when an input
/// could not be read), or a caught panic (exit 2, already announced).
fn call<T>(f: impl FnOnce() -> Result<T, (Error, &'static str)>) -> Result<T, u8> {
    match guard::catch(f) {
        Err(_) => Err(2),
        Ok(Ok(v)) => Ok(v),
        Ok(Err((e, which))) => {
            output::error(&format!("{which}: {e}"));
            Err(match e {
                Error::Input(_) | Error::Internal(_) => 2,
                _ => 1,
            })
        }
    }
}

fn print_json(v: &impl Serialize) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, v).map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

fn issue_lines(err: &mut impl Write, report: &Report) -> io::Result<()> {
    for i in &report.issues {
        writeln!(
            err,
            "{}\t{}\t{}\t{}",
            i.severity.as_str(),
            i.code.as_str(),
            i.pointer,
            i.message
        )?;
    }
    Ok(())
}

fn package(a: &PackageArgs) -> io::Result<u8> {
    let name = a.record.display().to_string();
    let bytes = match input::read_whole(&a.record) {
        Ok(b) => b,
        Err(msg) => {
            output::error(&format!("{name}: {msg}"));
            return Ok(2);
        }
    };
    let mut opts = CommissionPackageOptions::default()
        .with_plan(a.plan.clone())
        .with_include_values(a.include_values);
    opts.provider = a.provider.clone();
    opts.sender = a.sender.clone();
    let got = match call(|| commission_package(&bytes, &opts).map_err(|e| (e, "package"))) {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    print_json(&got.package)?;
    let r = &got.report;
    let mut err = io::stderr().lock();
    match a.report_format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut err, r).map_err(io::Error::other)?;
            writeln!(err)?;
        }
        ReportFormat::Human => {
            writeln!(err, "care-plan\t{}", r.header.care_plan)?;
            writeln!(err, "sender\t{}", r.header.sender)?;
            if let Some(p) = &r.header.provider {
                writeln!(err, "provider\t{p}")?;
            }
            for (class, n) in &r.records {
                writeln!(err, "included\t{class}\t{n}")?;
            }
            for (class, n) in &r.left_out {
                writeln!(err, "left-out\t{class}\t{n}")?;
            }
            for u in &r.unresolved {
                writeln!(err, "unresolved\t{}\t{}.{}", u.path, u.class, u.element)?;
            }
            for n in &r.notes {
                writeln!(err, "note\t{n}")?;
            }
            issue_lines(&mut err, &r.validation)?;
            let total: usize = r.records.values().sum();
            writeln!(
                err,
                "{name}: package of {} for care plan {}; {} ({}, {}, {})",
                output::plural(total, "record", "records"),
                r.header.care_plan,
                if r.complete {
                    "complete"
                } else {
                    "NOT complete"
                },
                output::plural(
                    r.unresolved.len(),
                    "unresolved reference",
                    "unresolved references"
                ),
                output::plural(r.validation.errors().count(), "error", "errors"),
                output::plural(r.validation.warnings().count(), "warning", "warnings"),
            )?;
        }
    }
    Ok(if r.complete { 0 } else { 1 })
}

fn accept(a: &AcceptArgs) -> io::Result<u8> {
    let mut inputs = Vec::new();
    for p in [&a.provider, &a.package] {
        match input::read_whole(p) {
            Ok(b) => inputs.push(b),
            Err(msg) => {
                output::error(&format!("{}: {msg}", p.display()));
                return Ok(2);
            }
        }
    }
    let mut opts = CommissionAcceptOptions::default()
        .with_new_person(a.new_person)
        .with_include_values(a.include_values);
    opts.date = a.date.clone();
    opts.committer = a.committer.clone();
    opts.system_identifier = a.system_identifier.clone();
    let got = match call(|| {
        commission_accept(&inputs[0], &inputs[1], &opts).map_err(|e| (e, "accept"))
    }) {
        Ok(g) => g,
        Err(code) => return Ok(code),
    };
    print_json(&got.record)?;
    let r = &got.report;
    let mut err = io::stderr().lock();
    match a.report_format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut err, r).map_err(io::Error::other)?;
            writeln!(err)?;
        }
        ReportFormat::Human => {
            let person = match r.person {
                mods_core::flows::commission::Person::Matched => "matched",
                mods_core::flows::commission::Person::New => "new",
            };
            writeln!(err, "person\t{person}\t{}", r.subject_of_care)?;
            writeln!(err, "sender\t{}", r.sender)?;
            for x in &r.added {
                writeln!(err, "added\t{}\t{}", x.class, x.record_uid)?;
            }
            for x in &r.updated {
                writeln!(
                    err,
                    "updated\t{}\t{}\t{}",
                    x.class,
                    x.record_uid,
                    x.elements.join(", ")
                )?;
            }
            for x in &r.unchanged {
                writeln!(err, "unchanged\t{}\t{}", x.class, x.record_uid)?;
            }
            for x in &r.conflicts {
                writeln!(
                    err,
                    "conflict\t{}\t{}\t{}",
                    x.class,
                    x.record_uid,
                    x.elements.join(", ")
                )?;
            }
            for e in &r.subject_elements_added {
                writeln!(err, "subject-added\t{e}")?;
            }
            for e in &r.subject_conflicts {
                writeln!(err, "subject-conflict\t{e}")?;
            }
            for n in &r.notes {
                writeln!(err, "note\t{n}")?;
            }
            issue_lines(&mut err, &r.validation)?;
            writeln!(
                err,
                "{}: {} added, {} updated, {} unchanged, {}, {} naming the sender; merged record {} ({})",
                a.package.display(),
                r.added.len(),
                r.updated.len(),
                r.unchanged.len(),
                output::plural(r.conflicts.len(), "conflict", "conflicts"),
                output::plural(
                    r.change_log_entries,
                    "Change log entry",
                    "Change log entries"
                ),
                if r.validation.valid {
                    "valid"
                } else {
                    "NOT valid"
                },
                output::plural(r.validation.warnings().count(), "warning", "warnings"),
            )?;
        }
    }
    Ok(if r.validation.valid { 0 } else { 1 })
}
