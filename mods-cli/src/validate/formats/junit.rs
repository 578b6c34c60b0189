//! The JUnit XML output, for CI test views: `<testsuites>` holding one `<testsuite>` per
//! input and one `<testcase>` per record listed. An invalid record's test case has a
//! `<failure>` listing its issues; a record that hit an internal error (a bug) has an
//! `<error>`; a valid record's listed warnings and notes go to its `<system-out>`. An input
//! that could not be read is a test suite with one test case in error.
//!
//! A test suite's counts come before its test cases, so one input's test cases are held
//! until the input ends: in memory up to [`SPILL_BYTES`], then in an anonymous temporary
//! file, so memory stays flat however long an NDJSON input is. The suites are written as
//! each input ends.

use super::{issue_text, ReportFormat, Summary};
use crate::output;
use crate::validate::RecordResult;
use mods_core::{Issue, IssueCode};
use std::fmt::Write as _;
use std::io::{self, Seek, SeekFrom, Write};

/// The test cases held in memory before they move to a temporary file.
pub const SPILL_BYTES: usize = 1 << 20;

/// `--format junit`.
#[derive(Default)]
pub struct Junit {
    /// The test cases of the open input (the latest ones, after any in `spill`).
    cases: String,
    /// The open input's earlier test cases, once they outgrew [`SPILL_BYTES`].
    spill: Option<std::fs::File>,
    tests: usize,
    failures: usize,
    errors: usize,
}

/// `text` escaped for XML 1.0 text and attribute values; characters XML 1.0 cannot hold
/// (control characters) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

impl Junit {
    /// Write the open input's test suite and start afresh.
    fn suite(&mut self, out: &mut dyn Write, name: &str) -> io::Result<()> {
        let name = escape(name);
        writeln!(
            out,
            "<testsuite name=\"{name}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"0\">",
            self.tests, self.failures, self.errors
        )?;
        if let Some(mut spill) = self.spill.take() {
            spill.seek(SeekFrom::Start(0))?;
            io::copy(&mut spill, out)?;
        }
        out.write_all(self.cases.as_bytes())?;
        out.write_all(b"</testsuite>\n")?;
        self.reset();
        Ok(())
    }

    fn reset(&mut self) {
        self.cases.clear();
        self.spill = None;
        (self.tests, self.failures, self.errors) = (0, 0, 0);
    }

    /// Move the test cases held in memory to the temporary file once they outgrow
    /// [`SPILL_BYTES`].
    fn maybe_spill(&mut self) -> io::Result<()> {
        if self.cases.len() < SPILL_BYTES {
            return Ok(());
        }
        let spill = match &mut self.spill {
            Some(file) => file,
            None => self.spill.insert(tempfile::tempfile()?),
        };
        spill.write_all(self.cases.as_bytes())?;
        self.cases.clear();
        Ok(())
    }

    /// A test case in error: the input could not be read (to its end).
    fn error_case(&mut self, name: &str, message: &str) {
        let name = escape(name);
        let message = escape(message);
        let _ = writeln!(
            self.cases,
            "<testcase name=\"{name}\" classname=\"{name}\"><error message=\"{message}\" type=\"io-error\">{message}</error></testcase>"
        );
        self.tests += 1;
        self.errors += 1;
    }
}

impl ReportFormat for Junit {
    fn start(&mut self, buf: &mut Vec<u8>, quiet: bool) -> io::Result<()> {
        buf.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        if !quiet {
            buf.extend_from_slice(b"<testsuites name=\"mods validate\">\n");
        }
        Ok(())
    }

    fn input_start(&mut self, _: &mut Vec<u8>, _: &str) -> io::Result<()> {
        self.reset();
        Ok(())
    }

    fn record(
        &mut self,
        _: &mut Vec<u8>,
        name: &str,
        r: &RecordResult,
        issues: &[&Issue],
    ) -> io::Result<()> {
        let case = match r.line {
            Some(n) => escape(&format!("{name}:{n}")),
            None => escape(name),
        };
        let class = escape(name);
        let _ = write!(
            self.cases,
            "<testcase name=\"{case}\" classname=\"{class}\""
        );
        self.tests += 1;
        let text: Vec<String> = issues.iter().map(|i| escape(&issue_text(r, i))).collect();
        let internal = r
            .report
            .issues
            .iter()
            .any(|i| i.code == IssueCode::InternalError);
        let summary = format!(
            "{}, {}",
            output::plural(r.report.error_count(), "error", "errors"),
            output::plural(r.report.warning_count(), "warning", "warnings")
        );
        if internal {
            self.errors += 1;
            let _ = writeln!(
                self.cases,
                "><error message=\"internal error (a bug in mods-sdk)\" type=\"internal-error\">{}</error></testcase>",
                text.join("\n")
            );
        } else if !r.report.valid {
            self.failures += 1;
            let kind = r
                .report
                .errors()
                .next()
                .map_or("invalid", |i| i.code.as_str());
            let _ = writeln!(
                self.cases,
                "><failure message=\"invalid: {summary}\" type=\"{kind}\">{}</failure></testcase>",
                text.join("\n")
            );
        } else if !text.is_empty() {
            let _ = writeln!(
                self.cases,
                "><system-out>{}</system-out></testcase>",
                text.join("\n")
            );
        } else {
            self.cases.push_str("/>\n");
        }
        self.maybe_spill()
    }

    fn input_end(
        &mut self,
        out: &mut dyn Write,
        name: &str,
        error: Option<&str>,
    ) -> io::Result<()> {
        if let Some(message) = error {
            self.error_case(name, message);
        }
        self.suite(out, name)
    }

    fn path_error(&mut self, buf: &mut Vec<u8>, name: &str, message: &str) -> io::Result<()> {
        self.input_start(buf, name)?;
        self.error_case(name, message);
        self.suite(buf, name)
    }

    fn finish(&mut self, buf: &mut Vec<u8>, summary: &Summary, quiet: bool) -> io::Result<()> {
        if quiet {
            // only the totals: an empty root carrying them
            writeln!(
                buf,
                "<testsuites name=\"mods validate\" tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3}\"/>",
                summary.records,
                summary.invalid - summary.internal_errors.min(summary.invalid),
                summary.internal_errors + summary.io_errors,
                summary.elapsed_ms as f64 / 1000.0
            )
        } else {
            buf.extend_from_slice(b"</testsuites>\n");
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_control_characters() {
        assert_eq!(escape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
        assert_eq!(escape("x\u{1}y\tz"), "x\u{FFFD}y\tz");
    }
}
