//! The output of `mods validate`: results printed as they arrive, in input order (human
//! lines or one JSON document written piece by piece), the progress bar on stderr, and the
//! totals of the summary.

use super::summary::Summary;
use super::{FileOutcome, RecordResult};
use crate::cli::ValidateFormat;
use crate::output;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde::Serialize;
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

/// One record in the JSON output.
#[derive(Serialize)]
struct RecordJson<'r> {
    line: Option<usize>,
    valid: bool,
    issues: &'r [mods_core::Issue],
    omitted: usize,
}

impl<'r> From<&'r RecordResult> for RecordJson<'r> {
    fn from(r: &'r RecordResult) -> Self {
        RecordJson {
            line: r.line,
            valid: r.report.valid,
            issues: &r.report.issues,
            omitted: r.report.omitted,
        }
    }
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

/// Writes results to stdout (and I/O errors to stderr) in input order, as they come,
/// keeping any progress bar out of the way, and keeps the totals.
pub struct Printer<'a> {
    out: io::BufWriter<io::Stdout>,
    format: ValidateFormat,
    quiet: bool,
    progress: Option<Progress>,
    /// No input has been written yet (JSON: no comma before the next).
    first: bool,
    /// The NDJSON input being written, and whether none of its records has been yet.
    open: Option<(&'a str, bool)>,
    /// The totals so far.
    pub summary: Summary,
}

impl<'a> Printer<'a> {
    /// A printer to stdout; the JSON output's opening is written at once.
    pub fn new(format: ValidateFormat, quiet: bool, progress: Option<Progress>) -> Self {
        Printer {
            out: io::BufWriter::new(io::stdout()),
            format,
            quiet,
            progress,
            first: true,
            open: None,
            summary: Summary::default(),
        }
    }

    /// Write `bytes` to stdout, hiding the progress bar while doing so.
    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        match &self.progress {
            Some(p) => {
                let out = &mut self.out;
                p.bar.suspend(|| {
                    out.write_all(bytes)?;
                    out.flush()
                })
            }
            None => self.out.write_all(bytes),
        }
    }

    fn warn(&self, message: &str) {
        match &self.progress {
            Some(p) => p.bar.suspend(|| output::error(message)),
            None => output::error(message),
        }
    }

    /// The opening of the JSON output.
    pub fn start(&mut self) -> io::Result<()> {
        if self.format == ValidateFormat::Json && !self.quiet {
            self.emit(b"{\"files\":[")?;
        }
        Ok(())
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

    fn write(&mut self, event: Event<'a>) -> io::Result<()> {
        let json = self.format == ValidateFormat::Json;
        let mut buf = Vec::new();
        match event {
            Event::File { name, outcome, .. } => {
                match &outcome {
                    FileOutcome::Error(message) => {
                        self.summary.io_errors += 1;
                        self.warn(&format!("{name}: {message}"));
                    }
                    FileOutcome::Records(records) => {
                        self.summary.files += 1;
                        self.summary.records(records);
                    }
                }
                if self.quiet {
                    return Ok(());
                }
                if json {
                    self.json_entry_start(&mut buf, name)?;
                    match &outcome {
                        FileOutcome::Error(error) => {
                            buf.extend_from_slice(b"\"error\":");
                            json_to(&mut buf, error)?;
                        }
                        FileOutcome::Records(records) => {
                            buf.extend_from_slice(b"\"records\":[");
                            for (i, r) in records.iter().enumerate() {
                                if i > 0 {
                                    buf.push(b',');
                                }
                                json_to(&mut buf, &RecordJson::from(r))?;
                            }
                            buf.push(b']');
                        }
                    }
                    buf.push(b'}');
                } else if let FileOutcome::Records(records) = &outcome {
                    for r in records {
                        human_record(&mut buf, name, r)?;
                    }
                }
            }
            Event::Begin { name } => {
                self.open = Some((name, true));
                if json && !self.quiet {
                    self.json_entry_start(&mut buf, name)?;
                    buf.extend_from_slice(b"\"records\":[");
                }
            }
            Event::Records { records, .. } => {
                self.summary.records(&records);
                let Some((name, none_yet)) = &mut self.open else {
                    return Ok(());
                };
                if self.quiet {
                    return Ok(());
                }
                for r in &records {
                    if json {
                        if !*none_yet {
                            buf.push(b',');
                        }
                        json_to(&mut buf, &RecordJson::from(r))?;
                    } else {
                        human_record(&mut buf, name, r)?;
                    }
                    *none_yet = false;
                }
            }
            Event::End { error } => {
                let name = self.open.take().map_or("", |(name, _)| name);
                match &error {
                    None => self.summary.files += 1,
                    Some(message) => {
                        self.summary.io_errors += 1;
                        self.warn(&format!("{name}: {message}"));
                    }
                }
                if json && !self.quiet {
                    buf.push(b']');
                    if let Some(error) = &error {
                        buf.extend_from_slice(b",\"error\":");
                        json_to(&mut buf, error)?;
                    }
                    buf.push(b'}');
                }
            }
        }
        self.emit(&buf)
    }

    /// `,{"path":NAME,` (the comma unless this is the first input).
    fn json_entry_start(&mut self, buf: &mut Vec<u8>, name: &str) -> io::Result<()> {
        if !self.first {
            buf.push(b',');
        }
        self.first = false;
        buf.extend_from_slice(b"{\"path\":");
        json_to(buf, name)?;
        buf.push(b',');
        Ok(())
    }

    /// Close an NDJSON input left open (the run stopped before its end), clear the
    /// progress bar, write the summary; returns the exit status.
    pub fn finish(&mut self, elapsed: Duration) -> io::Result<u8> {
        if self.open.is_some() {
            self.write(Event::End {
                error: Some("validation stopped before the end of the input".into()),
            })?;
        }
        if let Some(p) = self.progress.take() {
            p.bar.finish_and_clear();
        }
        self.summary.elapsed_ms = elapsed.as_secs_f64() * 1000.0;
        match self.format {
            ValidateFormat::Human => writeln!(self.out, "{}", self.summary.line(elapsed))?,
            ValidateFormat::Json => {
                if self.quiet {
                    self.out.write_all(b"{")?;
                } else {
                    self.out.write_all(b"],")?;
                }
                self.out.write_all(b"\"summary\":")?;
                serde_json::to_writer(&mut self.out, &self.summary).map_err(io::Error::other)?;
                self.out.write_all(b"}\n")?;
            }
        }
        self.out.flush()?;
        Ok(self.summary.exit_code())
    }
}

fn json_to(buf: &mut Vec<u8>, value: &(impl Serialize + ?Sized)) -> io::Result<()> {
    serde_json::to_writer(buf, value).map_err(io::Error::other)
}

/// The human lines of one record: a status line, then one line per issue.
fn human_record(out: &mut Vec<u8>, name: &str, r: &RecordResult) -> io::Result<()> {
    let status = if r.report.valid { "valid" } else { "invalid" };
    let errors = output::plural(r.report.error_count(), "error", "errors");
    let warnings = output::plural(r.report.warning_count(), "warning", "warnings");
    match r.line {
        Some(n) => writeln!(out, "{name}:{n}: {status} ({errors}, {warnings})")?,
        None => writeln!(out, "{name}: {status} ({errors}, {warnings})")?,
    }
    for issue in &r.report.issues {
        write!(out, "  {issue}")?;
        let ctx = &issue.context;
        if let (Some(l), Some(c)) = (ctx.get("line"), ctx.get("column")) {
            write!(out, " (line {l}, column {c})")?;
        }
        // Present only when the caller opted in with --include-values.
        if let Some(v) = ctx.get("value") {
            write!(out, " [value: {v}]")?;
        }
        writeln!(out)?;
    }
    Ok(())
}
