//! The output of `mods validate`: results written as they arrive, in input order, in the
//! chosen format (`formats`), to stdout or the `--output` file, with the `--failures-only`
//! and `--min-severity` filters applied; the progress bar on stderr; and the totals of the
//! summary, which count every record and issue whatever the filters.

use super::formats::{self, ReportFormat};
use super::summary::Summary;
use super::{FileOutcome, RecordResult};
use crate::cli::{MinSeverity, ValidateFormat};
use crate::output;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mods_core::Issue;
use std::io::{self, Write};
use std::time::Duration;

/// What the printer receives, in input order.
#[derive(Debug)]
pub enum Event<'a> {
    /// A JSON document input, validated; or a path that could not be read. `bytes` is the
    /// input's size, for the progress bar.
    File {
        /// The input's name.
        name: &'a str,
        /// Its records, or why it could not be read.
        outcome: FileOutcome,
        /// Its size in bytes (0 when unknown).
        bytes: u64,
    },
    /// An NDJSON input begins.
    Begin {
        /// The input's name.
        name: &'a str,
    },
    /// Records of the NDJSON input begun last, in order.
    Records {
        /// The records.
        records: Vec<RecordResult>,
        /// Bytes of the input they cover, for the progress bar.
        bytes: u64,
    },
    /// The NDJSON input begun last ends: read to its end (`None`), or stopped by an error
    /// (its message) after the records already given.
    End {
        /// Why the input could not be read to its end.
        error: Option<String>,
    },
}

/// The progress bar on stderr: input bytes done of the total (a spinner when the total is
/// unknown, as for stdin), with files and records done in its message.
pub struct Progress {
    bar: ProgressBar,
    files: usize,
    files_done: usize,
    records: usize,
}

impl Progress {
    /// A bar for `files` inputs of `total` bytes in all (`None`: unknown).
    pub fn new(files: usize, total: Option<u64>) -> Self {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
        let template = if total.is_some() {
            "{bar:40} {percent:>3}%  {msg}  {elapsed_precise}"
        } else {
            "{spinner} {msg}  {elapsed_precise}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        let p = Progress {
            bar,
            files,
            files_done: 0,
            records: 0,
        };
        p.show();
        p
    }

    fn advance(&mut self, bytes: u64, files: usize, records: usize) {
        self.files_done += files;
        self.records += records;
        self.bar.inc(bytes);
        self.show();
    }

    fn show(&self) {
        self.bar.set_message(format!(
            "{}/{} files, {}",
            self.files_done,
            self.files,
            output::plural(self.records, "record", "records")
        ));
    }
}

/// What the printer lists: the `--failures-only` and `--min-severity` filters.
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter {
    /// List only the records that fail.
    pub failures_only: bool,
    /// List only the issues of this severity or above (`None`: every issue).
    pub min_severity: Option<MinSeverity>,
}

impl Filter {
    /// The issues of a record to list.
    fn issues<'r>(&self, r: &'r RecordResult) -> Vec<&'r Issue> {
        r.report
            .issues
            .iter()
            .filter(|i| self.min_severity.is_none_or(|m| m.admits(i.severity)))
            .collect()
    }

    /// Whether to list a record whose listed issues are `issues`: with --failures-only,
    /// only an invalid record, or one with an issue at or above --min-severity.
    fn lists(&self, r: &RecordResult, issues: &[&Issue]) -> bool {
        !self.failures_only
            || !r.report.valid
            || (self.min_severity.is_some() && !issues.is_empty())
    }
}

/// Where the report goes: stdout, or the file of `--output`.
pub enum Destination {
    /// Standard output.
    Stdout,
    /// A file (created or truncated).
    File(std::fs::File),
}

/// Writes results in input order, as they come, in the chosen format (I/O errors on
/// stderr), keeping any progress bar out of the way, and keeps the totals.
pub struct Printer<'a> {
    out: io::BufWriter<Box<dyn Write>>,
    /// The report goes to stdout (where the progress bar must step aside).
    to_stdout: bool,
    report: Box<dyn ReportFormat>,
    quiet: bool,
    filter: Filter,
    progress: Option<Progress>,
    /// The NDJSON input being written.
    open: Option<&'a str>,
    /// The totals so far.
    pub summary: Summary,
}

impl<'a> Printer<'a> {
    /// A printer of `format` to `destination`.
    pub fn new(
        format: ValidateFormat,
        quiet: bool,
        filter: Filter,
        destination: Destination,
        progress: Option<Progress>,
    ) -> Self {
        let (out, to_stdout): (Box<dyn Write>, bool) = match destination {
            Destination::Stdout => (Box::new(io::stdout()), true),
            Destination::File(file) => (Box::new(file), false),
        };
        Printer {
            out: io::BufWriter::new(out),
            to_stdout,
            report: formats::new(format),
            quiet,
            filter,
            progress,
            open: None,
            summary: Summary::default(),
        }
    }

    /// Write `bytes` out, hiding the progress bar while writing to stdout.
    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        match &self.progress {
            Some(p) if self.to_stdout => {
                let out = &mut self.out;
                p.bar.suspend(|| {
                    out.write_all(bytes)?;
                    out.flush()
                })
            }
            _ => self.out.write_all(bytes),
        }
    }

    /// The format's end of an input, written straight to the output (hiding the progress
    /// bar while writing to stdout).
    fn input_end(&mut self, name: &str, error: Option<&str>) -> io::Result<()> {
        let (report, out) = (&mut self.report, &mut self.out);
        match &self.progress {
            Some(p) if self.to_stdout => p.bar.suspend(|| {
                report.input_end(out, name, error)?;
                out.flush()
            }),
            _ => report.input_end(out, name, error),
        }
    }

    fn warn(&self, message: &str) {
        match &self.progress {
            Some(p) => p.bar.suspend(|| output::error(message)),
            None => output::error(message),
        }
    }

    /// The opening of the output.
    pub fn start(&mut self) -> io::Result<()> {
        let mut buf = Vec::new();
        self.report.start(&mut buf, self.quiet)?;
        self.emit(&buf)
    }

    /// Print one event and count it.
    pub fn event(&mut self, event: Event<'a>) -> io::Result<()> {
        let (bytes, files, records) = match &event {
            Event::File { outcome, bytes, .. } => match outcome {
                FileOutcome::Records(r) => (*bytes, 1, r.len()),
                FileOutcome::Error(_) => (*bytes, 0, 0),
            },
            Event::Records { records, bytes } => (*bytes, 0, records.len()),
            Event::End { error: None } => (0, 1, 0),
            Event::Begin { .. } | Event::End { .. } => (0, 0, 0),
        };
        let written = self.write(event);
        if let Some(p) = &mut self.progress {
            p.advance(bytes, files, records);
        }
        written
    }

    /// The records of an input, filtered, into `buf`.
    fn records(
        &mut self,
        buf: &mut Vec<u8>,
        name: &str,
        records: &[RecordResult],
    ) -> io::Result<()> {
        self.summary.records(records);
        if self.quiet {
            return Ok(());
        }
        for r in records {
            let issues = self.filter.issues(r);
            if self.filter.lists(r, &issues) {
                self.report.record(buf, name, r, &issues)?;
            }
        }
        Ok(())
    }

    fn write(&mut self, event: Event<'a>) -> io::Result<()> {
        let mut buf = Vec::new();
        match event {
            Event::File { name, outcome, .. } => match &outcome {
                FileOutcome::Error(message) => {
                    self.summary.io_errors += 1;
                    self.warn(&format!("{name}: {message}"));
                    if !self.quiet {
                        self.report.path_error(&mut buf, name, message)?;
                    }
                }
                FileOutcome::Records(records) => {
                    self.summary.files += 1;
                    if !self.quiet {
                        self.report.input_start(&mut buf, name)?;
                    }
                    self.records(&mut buf, name, records)?;
                    if !self.quiet {
                        self.emit(&buf)?;
                        buf.clear();
                        self.input_end(name, None)?;
                    }
                }
            },
            Event::Begin { name } => {
                self.open = Some(name);
                if !self.quiet {
                    self.report.input_start(&mut buf, name)?;
                }
            }
            Event::Records { records, .. } => {
                let Some(name) = self.open else {
                    return Ok(());
                };
                self.records(&mut buf, name, &records)?;
            }
            Event::End { error } => {
                let name = self.open.take().unwrap_or("");
                match &error {
                    None => self.summary.files += 1,
                    Some(message) => {
                        self.summary.io_errors += 1;
                        self.warn(&format!("{name}: {message}"));
                    }
                }
                if !self.quiet {
                    self.emit(&buf)?;
                    buf.clear();
                    self.input_end(name, error.as_deref())?;
                }
            }
        }
        self.emit(&buf)
    }

    /// Close an NDJSON input left open (the run stopped before its end), clear the
    /// progress bar, write the summary (with --output, also its line on stderr unless
    /// -q); returns the exit status.
    pub fn finish(&mut self, elapsed: Duration) -> io::Result<u8> {
        if self.open.is_some() {
            self.write(Event::End {
                error: Some("validation stopped before the end of the input".into()),
            })?;
        }
        if let Some(p) = self.progress.take() {
            p.bar.finish_and_clear();
        }
        self.summary.set_elapsed(elapsed);
        let mut buf = Vec::new();
        self.report.finish(&mut buf, &self.summary, self.quiet)?;
        self.out.write_all(&buf)?;
        self.out.flush()?;
        if !self.to_stdout && !self.quiet {
            let mut err = io::stderr().lock();
            let _ = writeln!(err, "{}", self.summary.line());
        }
        Ok(self.summary.exit_code())
    }
}
