//! `mods fhir`: MODS records to and from FHIR R4 UK Core Bundles.

use crate::cli::{
    FhirArgs, FhirCommand, FhirExportArgs, FhirImportArgs, FhirMappingArgs, FhirMergeArgs,
    FhirOutcomeArgs, FhirTransferSummaryArgs, ImportReportFormat, MergeReportFormat,
};
use crate::input;
use crate::output;
use mods_core::{guard, Limits};
use mods_fhir::{BundleType, ExportError, ExportOptions, ImportOptions, ProfileSet};
use serde_json::Value;
use std::io::{self, Write};
use std::path::Path;

/// Run `mods fhir ...`; returns the exit code.
pub fn run(args: &FhirArgs) -> io::Result<u8> {
    match &args.command {
        FhirCommand::Export(a) => export(a),
        FhirCommand::Import(a) => import(a),
        FhirCommand::Outcome(a) => outcome(a),
        FhirCommand::Mapping(a) => mapping(a),
        FhirCommand::TransferSummary(a) => transfer_summary(a),
        FhirCommand::MergeGp(a) => merge(a, Flow::Gp),
        FhirCommand::Discharge(a) => merge(a, Flow::Discharge),
    }
}

fn print_json(v: &Value) -> io::Result<()> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    serde_json::to_writer_pretty(&mut out, v).map_err(io::Error::other)?;
    writeln!(out)?;
    out.flush()
}

/// The current time as an instant (for document Bundles).
fn now() -> String {
    let t: chrono::DateTime<chrono::Utc> = std::time::SystemTime::now().into();
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn export(a: &FhirExportArgs) -> io::Result<u8> {
    let bundle_type = BundleType::parse(&a.r#type).unwrap_or_default();
    let mut opts = ExportOptions::default()
        .with_bundle_type(bundle_type)
        .with_profiles(ProfileSet::parse(&a.profiles).unwrap_or_default())
        .with_allow_invalid(a.allow_invalid);
    opts.timestamp = a
        .timestamp
        .clone()
        .or_else(|| (bundle_type == BundleType::Document).then(now));
    export_with(&a.record, |record| mods_fhir::to_fhir(record, &opts))
}

/// Read a record, write what `f` makes of it (a Bundle) on stdout; an invalid record or
/// another version is exit 1 with the reason (never the record) on stderr.
fn export_with(
    path: &Path,
    f: impl FnOnce(&Value) -> Result<Value, ExportError>,
) -> io::Result<u8> {
    let done = guard::catch(|| -> Result<Value, String> {
        let bytes = input::read_whole(path)?;
        let record =
            mods_core::parse_json(&bytes, &Limits::default()).map_err(|e| e.to_string())?;
        f(&record).map_err(|e| match e {
            ExportError::Invalid(ref report) => {
                let n = report
                    .issues
                    .iter()
                    .filter(|i| i.severity == mods_core::Severity::Error)
                    .count();
                format!("{e}; {n} error(s): run `mods validate` on it")
            }
            other => other.to_string(),
        })
    });
    match done {
        Err(_) => Ok(2),
        Ok(Err(msg)) => {
            output::error(&format!("{}: {msg}", path.display()));
            Ok(1)
        }
        Ok(Ok(bundle)) => {
            print_json(&bundle)?;
            Ok(0)
        }
    }
}

fn import(a: &FhirImportArgs) -> io::Result<u8> {
    let opts = ImportOptions::default().with_keep_unmapped(a.keep_unmapped);
    let done = guard::catch(|| -> Result<mods_fhir::Imported, String> {
        let bytes = input::read_whole(&a.bundle)?;
        mods_fhir::from_fhir(&bytes, &opts).map_err(|e| e.to_string())
    });
    let imported = match done {
        Err(_) => return Ok(2),
        Ok(Err(msg)) => {
            output::error(&format!("{}: {msg}", a.bundle.display()));
            return Ok(2);
        }
        Ok(Ok(i)) => i,
    };
    print_json(&imported.record)?;
    let report = &imported.report;
    let mut err = io::stderr().lock();
    match a.report_format {
        ImportReportFormat::Json => {
            serde_json::to_writer_pretty(&mut err, report).map_err(io::Error::other)?;
            writeln!(err)?;
        }
        ImportReportFormat::OperationOutcome => {
            serde_json::to_writer_pretty(&mut err, &mods_fhir::import_outcome(report))
                .map_err(io::Error::other)?;
            writeln!(err)?;
        }
        ImportReportFormat::Human => {
            write_issue_lines(&mut err, &report.issues, &report.validation)?;
            writeln!(
                err,
                "{}: {} from FHIR, record {}",
                a.bundle.display(),
                output::plural(report.issues.len(), "issue", "issues"),
                if report.validation.valid {
                    "valid"
                } else {
                    "NOT valid"
                }
            )?;
        }
    }
    Ok(if report.has_errors() { 1 } else { 0 })
}

fn outcome(a: &FhirOutcomeArgs) -> io::Result<u8> {
    let done = guard::catch(|| -> Result<mods_core::Report, String> {
        let bytes = input::read_whole(&a.record)?;
        mods_core::validate_record_json(&bytes, &mods_core::ValidationOptions::default())
            .map_err(|e| e.to_string())
    });
    match done {
        Err(_) => Ok(2),
        Ok(Err(msg)) => {
            output::error(&format!("{}: {msg}", a.record.display()));
            Ok(2)
        }
        Ok(Ok(report)) => {
            print_json(&mods_fhir::operation_outcome(&report))?;
            Ok(if report.valid { 0 } else { 1 })
        }
    }
}

fn mapping(a: &FhirMappingArgs) -> io::Result<u8> {
    if a.format == "json" {
        print_json(
            &serde_json::to_value(&mods_fhir::mapping::mapping().table)
                .map_err(io::Error::other)?,
        )?;
    } else {
        let mut out = io::stdout().lock();
        out.write_all(mods_fhir::docs::mapping_markdown().as_bytes())?;
    }
    Ok(0)
}

fn transfer_summary(a: &FhirTransferSummaryArgs) -> io::Result<u8> {
    let opts = mods_fhir::TransferOptions::default()
        .with_timestamp(a.timestamp.clone().unwrap_or_else(now))
        .with_profiles(ProfileSet::parse(&a.profiles).unwrap_or_default())
        .with_allow_invalid(a.allow_invalid);
    export_with(&a.record, |record| {
        mods_fhir::transfer_summary(record, &opts)
    })
}

#[derive(Clone, Copy)]
enum Flow {
    Gp,
    Discharge,
}

fn merge(a: &FhirMergeArgs, flow: Flow) -> io::Result<u8> {
    let mut opts = mods_fhir::flows::merge::MergeOptions::default();
    opts.date = a.date.clone();
    let done = guard::catch(
        || -> Result<Result<mods_fhir::flows::merge::Merged, String>, String> {
            let record_bytes = input::read_whole(&a.record)?;
            let record = mods_core::parse_json(&record_bytes, &Limits::default())
                .map_err(|e| format!("{}: {e}", a.record.display()))?;
            let bytes = input::read_whole(&a.bundle)?;
            let got = match flow {
                Flow::Gp => mods_fhir::flows::gp_merge::merge_gp_record(&record, &bytes, &opts),
                Flow::Discharge => {
                    mods_fhir::flows::discharge::import_discharge(&record, &bytes, &opts)
                }
            };
            Ok(got.map_err(|e| e.to_string()))
        },
    );
    let merged = match done {
        Err(_) => return Ok(2),
        Ok(Err(msg)) => {
            output::error(&msg);
            return Ok(2);
        }
        Ok(Ok(Err(msg))) => {
            output::error(&format!("{}: {msg}", a.bundle.display()));
            return Ok(1);
        }
        Ok(Ok(Ok(m))) => m,
    };
    print_json(&merged.record)?;
    let report = &merged.report;
    let mut err = io::stderr().lock();
    match a.report_format {
        MergeReportFormat::Json => {
            let v = serde_json::json!({"report": report, "attachments": merged.attachments});
            serde_json::to_writer_pretty(&mut err, &v).map_err(io::Error::other)?;
            writeln!(err)?;
        }
        MergeReportFormat::Human => {
            for i in &report.added {
                writeln!(err, "added\t{}\t{}\t{}", i.class, i.record_uid, i.location)?;
            }
            for i in &report.already_present {
                writeln!(
                    err,
                    "already-present\t{}\t{}\t{}",
                    i.class, i.record_uid, i.location
                )?;
            }
            for c in &report.conflicts {
                writeln!(
                    err,
                    "conflict\t{}\t{}\t{}\t{}",
                    c.class, c.record_uid, c.element, c.location
                )?;
            }
            write_issue_lines(&mut err, &report.issues, &report.validation)?;
            for x in &merged.attachments {
                writeln!(
                    err,
                    "attachment\t{}\t{}\t(inline content; --report-format json gives it)",
                    x.record_uid,
                    x.content_type.as_deref().unwrap_or("?")
                )?;
            }
            writeln!(
                err,
                "{}: {} added, {} already present, {}, {}; merged record {}",
                a.bundle.display(),
                report.added.len(),
                report.already_present.len(),
                output::plural(report.conflicts.len(), "conflict", "conflicts"),
                output::plural(report.issues.len(), "issue", "issues"),
                if report.validation.valid {
                    "valid"
                } else {
                    "NOT valid"
                }
            )?;
        }
    }
    Ok(if report.has_errors() { 1 } else { 0 })
}

/// One line per issue: the FHIR input's (by FHIRPath), then the record's validation (by
/// JSON pointer).
fn write_issue_lines(
    err: &mut impl Write,
    issues: &[mods_fhir::FhirIssue],
    validation: &mods_core::Report,
) -> io::Result<()> {
    for i in issues {
        writeln!(
            err,
            "{:?}\t{}\t{}\t{}",
            i.severity, i.code, i.location, i.message
        )?;
    }
    for i in &validation.issues {
        let code = serde_json::to_value(i.code)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        writeln!(err, "{:?}\t{code}\t{}\t{}", i.severity, i.path, i.message)?;
    }
    Ok(())
}
