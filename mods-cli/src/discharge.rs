//! `mods merge-discharge`: discharge information merged into the care plan
//! (`mods_api::merge_discharge`; the rules are in `mods_core::flows::discharge`).

use crate::input;
use crate::output;
use clap::{Args, ValueEnum};
use mods_api::{Input, MergeDischargeOptions};
use mods_core::guard;
use serde_json::Value;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The help after the options of `mods merge-discharge`.
pub const AFTER_HELP: &str = "\
DISCHARGE is one of:
  - a Discharge details instance (JSON object);
  - a MODS record document holding Discharge details and the records the discharge brought
    (Medication, Document...): those not in RECORD are added; pass RECORD itself when it
    already holds the Discharge details;
  - a hospital's FHIR discharge Bundle (read first as `mods fhir discharge` reads it).

The merged record goes to stdout (or --out), the report to stderr.

Exit status:
  0  merged; no conflict, and the merged record is valid
  1  merged, but something needs a person: a conflict (a change made at home after the
     admission was kept), or the merged record does not validate
  2  nothing merged: an input could not be read, an option is wrong, the discharge is
     another person's or not a discharge, or an internal error (a bug)

Examples:
  mods merge-discharge --committer cw-liam record.json discharge.json > merged.json
  mods merge-discharge --committer cw-liam --base at-admission.json record.json discharge.json
  mods merge-discharge --committer cw-liam --format json record.json fhir-discharge.json";

/// Options of `mods merge-discharge`.
#[derive(Debug, Args)]
pub struct MergeDischargeArgs {
    /// The person's record (MODS 1.0), or `-` for stdin.
    #[arg(value_name = "RECORD")]
    pub record: PathBuf,
    /// The discharge: Discharge details, a record document holding them, or a FHIR
    /// discharge Bundle; `-` for stdin.
    #[arg(value_name = "DISCHARGE")]
    pub discharge: PathBuf,
    /// The record as it was at admission: changes at home are found by comparing with it
    /// (three-way) instead of from the Change log.
    #[arg(long, value_name = "BASE_RECORD")]
    pub base: Option<PathBuf>,
    /// The record_uid of the care actor who commits the merge (the Change log committer).
    #[arg(long, value_name = "UID")]
    pub committer: String,
    /// When the merge is committed (RFC 3339 with an offset); now without it.
    #[arg(long, value_name = "INSTANT")]
    pub date_time: Option<String>,
    /// The system the merge is committed in (the Change log system identifier).
    #[arg(long, alias = "system", value_name = "TEXT")]
    pub system_identifier: Option<String>,
    /// The Discharge details to merge when DISCHARGE holds several (default: the latest).
    #[arg(long, value_name = "UID")]
    pub discharge_uid: Option<String>,
    /// For a FHIR Bundle: the date of new records when neither the resources nor the
    /// Bundle give one (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,
    /// Write the merged record to this file instead of stdout.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Format of the report on stderr.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Put the home and discharge values in each conflict. Off by default: records hold
    /// people's data, and reports end up in logs.
    #[arg(long)]
    pub include_values: bool,
}

/// How `mods merge-discharge` writes its report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One line per change, conflict and note, then a summary.
    Human,
    /// The report as JSON.
    Json,
}

/// Run `mods merge-discharge`; returns the exit code.
pub fn run(a: &MergeDischargeArgs) -> io::Result<u8> {
    let mut opts = MergeDischargeOptions::default()
        .with_committer(a.committer.clone())
        .with_include_values(a.include_values);
    opts.date_time = a.date_time.clone();
    opts.system_identifier = a.system_identifier.clone();
    opts.discharge_uid = a.discharge_uid.clone();
    opts.date = a.date.clone();
    let done = guard::catch(|| -> Result<mods_api::MergedDischarge, String> {
        let named = |p: &Path| {
            let p = p.to_path_buf();
            move |e: String| format!("{}: {e}", p.display())
        };
        let record = input::read_whole(&a.record).map_err(named(&a.record))?;
        let discharge = input::read_whole(&a.discharge).map_err(named(&a.discharge))?;
        let base = match &a.base {
            Some(b) => Some(input::read_whole(b).map_err(named(b))?),
            None => None,
        };
        mods_api::merge_discharge(
            record.as_slice(),
            discharge.as_slice(),
            base.as_deref().map(Input::from),
            &opts,
        )
        .map_err(|e| e.to_string())
    });
    let merged = match done {
        Err(_) => return Ok(2),
        Ok(Err(msg)) => {
            output::error(&msg);
            return Ok(2);
        }
        Ok(Ok(m)) => m,
    };
    let mut text = serde_json::to_vec_pretty(&merged.record).map_err(io::Error::other)?;
    text.push(b'\n');
    match &a.out {
        Some(p) => {
            if let Err(e) = std::fs::write(p, &text) {
                output::error(&format!("{}: {}", p.display(), input::io_message(&e)));
                return Ok(2);
            }
        }
        None => {
            let mut out = io::stdout().lock();
            out.write_all(&text)?;
            out.flush()?;
        }
    }
    let report = &merged.report;
    let mut err = io::stderr().lock();
    match a.format {
        ReportFormat::Json => {
            serde_json::to_writer_pretty(&mut err, report).map_err(io::Error::other)?;
            writeln!(err)?;
        }
        ReportFormat::Human => write_human(&mut err, report)?,
    }
    let attention = !report["conflicts"].as_array().is_none_or(Vec::is_empty)
        || report["validation"]["valid"] != Value::Bool(true);
    Ok(if attention { 1 } else { 0 })
}

fn s<'v>(v: &'v Value, k: &str) -> &'v str {
    v.get(k).and_then(Value::as_str).unwrap_or("")
}

fn list(v: &Value, k: &str) -> Vec<Value> {
    v.get(k)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// One tab-separated line per change, conflict, note and issue, then a summary.
fn write_human(err: &mut impl Write, r: &Value) -> io::Result<()> {
    for i in list(r.get("fhir").unwrap_or(&Value::Null), "issues") {
        writeln!(
            err,
            "fhir\t{}\t{}\t{}\t{}",
            s(&i, "severity"),
            s(&i, "code"),
            s(&i, "location"),
            s(&i, "message")
        )?;
    }
    let changes = list(r, "changes");
    for c in &changes {
        let elements: Vec<&str> = c
            .get("elements")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        writeln!(
            err,
            "{}\t{}\t{}\tversion {}{}",
            s(c, "action"),
            s(c, "class"),
            s(c, "record_uid"),
            c["version_number"],
            if elements.is_empty() {
                String::new()
            } else {
                format!("\t{}", elements.join(", "))
            }
        )?;
        writeln!(
            err,
            "  change log {}: {}",
            s(c, "change_log"),
            s(c, "description")
        )?;
    }
    let conflicts = list(r, "conflicts");
    for c in &conflicts {
        writeln!(
            err,
            "conflict\t{}\t{}\t{}\t{}\t{}",
            s(c, "reason"),
            s(c, "class"),
            s(c, "record_uid"),
            s(c, "path"),
            s(c, "message")
        )?;
    }
    for n in list(r, "notes") {
        writeln!(err, "note\t{}\t{}", s(&n, "kind"), s(&n, "message"))?;
    }
    let validation = r.get("validation").unwrap_or(&Value::Null);
    for i in list(validation, "issues") {
        writeln!(
            err,
            "{}\t{}\t{}\t{}",
            s(&i, "severity"),
            s(&i, "code"),
            s(&i, "path"),
            s(&i, "message")
        )?;
    }
    let created = changes.iter().filter(|c| c["action"] == "created").count();
    writeln!(
        err,
        "discharge details {}{}: {} created, {} updated, {}; merged record {}",
        s(r, "discharge_uid"),
        if r["three_way"] == Value::Bool(true) {
            " (three-way)"
        } else {
            ""
        },
        created,
        changes.len() - created,
        output::plural(conflicts.len(), "conflict", "conflicts"),
        if validation["valid"] == Value::Bool(true) {
            "valid"
        } else {
            "NOT valid"
        }
    )
}
