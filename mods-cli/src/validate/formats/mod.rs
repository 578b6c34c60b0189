//! The report formats of `mods validate`. Each writes its output piece by piece, in input
//! order, as the printer hands it inputs and records, so memory stays flat (JUnit aside:
//! it holds one input's test cases until the input ends, since a test suite's counts come
//! before its test cases).

mod human;
mod json;
mod jsonl;
mod junit;
mod sarif;

use super::summary::Summary;
use super::RecordResult;
use crate::cli::ValidateFormat;
use mods_core::Issue;
use serde::Serialize;
use std::io::{self, Write};

/// Writes one report format into byte buffers the printer then writes out.
pub trait ReportFormat {
    /// The opening of the output, before any input.
    fn start(&mut self, _buf: &mut Vec<u8>, _quiet: bool) -> io::Result<()> {
        Ok(())
    }
    /// An input (a file or stdin) begins.
    fn input_start(&mut self, _buf: &mut Vec<u8>, _name: &str) -> io::Result<()> {
        Ok(())
    }
    /// One record of the input begun last, with the issues to list (the severity filter
    /// applied).
    fn record(
        &mut self,
        buf: &mut Vec<u8>,
        name: &str,
        record: &RecordResult,
        issues: &[&Issue],
    ) -> io::Result<()>;
    /// The input begun last ends: read to its end, or stopped by an error (its message)
    /// after the records given. Written straight to the output (`out`), after what the
    /// other calls gave: a format may hold more than fits a buffer (JUnit's test cases).
    fn input_end(&mut self, out: &mut dyn Write, name: &str, error: Option<&str>)
        -> io::Result<()>;
    /// A path that could not be read at all (no `input_start` before it).
    fn path_error(&mut self, buf: &mut Vec<u8>, name: &str, message: &str) -> io::Result<()>;
    /// The end of the output: the summary.
    fn finish(&mut self, buf: &mut Vec<u8>, summary: &Summary, quiet: bool) -> io::Result<()>;
}

/// The writer of `format`.
pub fn new(format: ValidateFormat) -> Box<dyn ReportFormat> {
    match format {
        ValidateFormat::Human => Box::new(human::Human),
        ValidateFormat::Json => Box::new(json::Json::default()),
        ValidateFormat::Jsonl => Box::new(jsonl::Jsonl),
        ValidateFormat::Sarif => Box::new(sarif::Sarif::default()),
        ValidateFormat::Junit => Box::new(junit::Junit::default()),
    }
}

/// One record as the JSON and JSON Lines outputs give it.
#[derive(Serialize)]
struct RecordJson<'r> {
    /// The input's name (JSON Lines only; JSON nests records under their input).
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'r str>,
    line: Option<usize>,
    valid: bool,
    issues: &'r [&'r Issue],
    omitted: usize,
}

impl<'r> RecordJson<'r> {
    fn new(path: Option<&'r str>, r: &'r RecordResult, issues: &'r [&'r Issue]) -> Self {
        RecordJson {
            path,
            line: r.line,
            valid: r.report.valid,
            issues,
            omitted: r.report.omitted,
        }
    }
}

/// Where in its input an issue was found, as a person counts (1-based line and column),
/// when the issue says (input errors do): the line in the file, for a record of an NDJSON
/// input (whose issue counts lines within the record's own line).
fn position(r: &RecordResult, issue: &Issue) -> Option<(u64, u64)> {
    let number = |key: &str| issue.context.get(key).and_then(serde_json::Value::as_u64);
    let (line, column) = (number("line")?, number("column")?);
    let line = match r.line {
        Some(n) => (n as u64).saturating_add(line.saturating_sub(1)),
        None => line,
    };
    Some((line, column))
}

/// An issue as one line of text: `SEVERITY CODE POINTER: MESSAGE`, then its place in the
/// input (` (line L, column C)`) and, only with --include-values, ` [value: V]`.
fn issue_text(r: &RecordResult, issue: &Issue) -> String {
    let mut text = issue.to_string();
    if let Some((line, column)) = position(r, issue) {
        text.push_str(&format!(" (line {line}, column {column})"));
    }
    if let Some(v) = issue.context.get("value") {
        text.push_str(&format!(" [value: {v}]"));
    }
    text
}

/// Append `value` as JSON.
fn json_to(buf: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
    serde_json::to_writer(buf, value).map_err(io::Error::other)
}
