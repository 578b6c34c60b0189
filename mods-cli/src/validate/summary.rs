//! The running totals of `mods validate`: the summary line, the JSON `summary` object and
//! the exit status.

use super::RecordResult;
use crate::output;
use mods_core::IssueCode;
use serde::Serialize;
use std::time::Duration;

/// Running totals for the summary.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Inputs read to their end.
    pub files: usize,
    /// Records validated.
    pub records: usize,
    /// Records without errors.
    pub valid: usize,
    /// Records with at least one error.
    pub invalid: usize,
    /// Issues of severity error.
    pub errors: usize,
    /// Issues of severity warning.
    pub warnings: usize,
    /// Wall-clock time of the run, in whole milliseconds (rounded down).
    pub elapsed_ms: u64,
    /// The same, exactly, for the human summary line.
    #[serde(skip)]
    pub elapsed: Duration,
    /// Records whose validation stopped on an internal error (a bug): exit status 2.
    pub internal_errors: usize,
    /// Paths or inputs that could not be read (to their end): exit status 2.
    #[serde(skip)]
    pub io_errors: usize,
}

impl Summary {
    /// Set the run's wall-clock time.
    pub fn set_elapsed(&mut self, elapsed: Duration) {
        self.elapsed = elapsed;
        self.elapsed_ms = u64::try_from(elapsed.as_millis()).unwrap_or(u64::MAX);
    }

    /// Count the records of an input.
    pub fn records(&mut self, records: &[RecordResult]) {
        for r in records {
            self.records += 1;
            if r.report.valid {
                self.valid += 1;
            } else {
                self.invalid += 1;
            }
            self.errors += r.report.error_count();
            self.warnings += r.report.warning_count();
            if r.report
                .issues
                .iter()
                .any(|i| i.code == IssueCode::InternalError)
            {
                self.internal_errors += 1;
            }
        }
    }

    /// The summary line of the human output.
    pub fn line(&self) -> String {
        let mut line = format!(
            "{}, {}: {} valid, {} invalid; {}, {} in {}",
            output::plural(self.files, "file", "files"),
            output::plural(self.records, "record", "records"),
            self.valid,
            self.invalid,
            output::plural(self.errors, "error", "errors"),
            output::plural(self.warnings, "warning", "warnings"),
            output::elapsed(self.elapsed),
        );
        if self.internal_errors > 0 {
            line.push_str(&format!(
                "; {} (a bug in mods-sdk: please report it)",
                output::plural(self.internal_errors, "internal error", "internal errors")
            ));
        }
        line
    }

    /// 2 for an I/O or internal error, else 1 for an invalid record, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.io_errors > 0 || self.internal_errors > 0 {
            2
        } else if self.invalid > 0 {
            1
        } else {
            0
        }
    }
}
