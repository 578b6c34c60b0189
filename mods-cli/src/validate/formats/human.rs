//! The human output: one line per record and one per listed issue, then the summary line.

use super::{issue_text, ReportFormat, Summary};
use crate::output;
use crate::validate::RecordResult;
use mods_core::Issue;
use std::io::{self, Write};

/// `--format human`.
pub struct Human;

impl ReportFormat for Human {
    fn record(
        &mut self,
        out: &mut Vec<u8>,
        name: &str,
        r: &RecordResult,
        issues: &[&Issue],
    ) -> io::Result<()> {
        let status = if r.report.valid { "valid" } else { "invalid" };
        let errors = output::plural(r.report.error_count(), "error", "errors");
        let warnings = output::plural(r.report.warning_count(), "warning", "warnings");
        match r.line {
            Some(n) => writeln!(out, "{name}:{n}: {status} ({errors}, {warnings})")?,
            None => writeln!(out, "{name}: {status} ({errors}, {warnings})")?,
        }
        for issue in issues {
            writeln!(out, "  {}", issue_text(r, issue))?;
        }
        Ok(())
    }

    fn input_end(&mut self, _: &mut dyn Write, _: &str, _: Option<&str>) -> io::Result<()> {
        // an input's error goes to stderr (the printer's warning)
        Ok(())
    }

    fn path_error(&mut self, _: &mut Vec<u8>, _: &str, _: &str) -> io::Result<()> {
        Ok(())
    }

    fn finish(&mut self, out: &mut Vec<u8>, summary: &Summary, _quiet: bool) -> io::Result<()> {
        writeln!(out, "{}", summary.line())
    }
}
