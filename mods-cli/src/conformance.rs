//! `mods conformance`: how far records meet a MODS version, class by class (use case 6),
//! as text, JSON or CSV (`docs/conformance.md`).
//!
//! Inputs are read one after the other (files, directories walked in sorted order, NDJSON
//! line by line in batches), and each record's result is written as soon as it is made:
//! memory stays flat however many records there are.

use crate::input::{self, Entry, Format, Input, Line, NdjsonReader, Source};
use crate::output;
use clap::{Args, ValueEnum};
use mods_api::{conformance_report, Assessment, ConformanceOptions, GapCode};
use serde::Serialize;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;

pub(crate) const AFTER_HELP: &str = "\
Examples:
  mods conformance examples/conformance/
  mods conformance record.json --version 1.0 --format json
  mods conformance export.ndjson --format csv > conformance.csv
  cat record.json | mods conformance -

A record conforms when it holds every class the version's profile requires for the
person (Subject of care with an NHS number, Person demographics...), every element the
standard marks as required on each instance it holds, and is valid. An invalid record is
still assessed. See docs/conformance.md for the rules and the score.

Exit status:
  0  every record conforms
  1  at least one record does not conform (a record that is not JSON among them)
  2  a path could not be read, --version names no supported version, or an internal
     error (a bug); these take precedence";

/// Options of `mods conformance`.
#[derive(Debug, Args)]
pub struct ConformanceArgs {
    /// Record documents: JSON or NDJSON files, directories (walked for *.json, *.ndjson,
    /// *.jsonl), or `-` for standard input.
    #[arg(value_name = "RECORD", required = true)]
    pub paths: Vec<PathBuf>,
    /// The MODS version to assess against (default: the current version).
    #[arg(long = "version", value_name = "VERSION")]
    pub mods_version: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ConformanceFormat::Human)]
    pub format: ConformanceFormat,
    /// Human output: only one line per record and the summary, not what each class lacks.
    #[arg(short, long)]
    pub quiet: bool,
    /// Read stdin as NDJSON instead of one JSON document.
    #[arg(long)]
    pub ndjson: bool,
    /// Validate in strict mode (unknown elements are errors) for the validation status.
    #[arg(long)]
    pub strict: bool,
    /// The date taken as today by the validation rules that need one (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

/// Output formats of `mods conformance`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ConformanceFormat {
    /// Text for a person to read.
    Human,
    /// One JSON document: every record's assessment, then a summary.
    Json,
    /// One row per record per class assessed.
    Csv,
}

/// The counts of the summary.
#[derive(Debug, Default, Serialize)]
struct Summary {
    records: usize,
    conformant: usize,
    not_conformant: usize,
    invalid: usize,
    unreadable: usize,
    errors: usize,
    mean_score: f64,
    #[serde(skip)]
    score_sum: f64,
}

/// Writes each result as it comes.
struct Printer<'w, W: Write> {
    out: &'w mut W,
    format: ConformanceFormat,
    quiet: bool,
    first: bool,
    summary: Summary,
}

/// One record's entry in the JSON output.
#[derive(Serialize)]
struct JsonEntry<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(flatten)]
    assessment: &'a Assessment,
}

/// An input or record that gave no assessment, in the JSON output.
#[derive(Serialize)]
struct JsonError<'a> {
    input: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    error: Problem<'a>,
}

/// Why there is no assessment: `io-error` (a path that could not be read) or an error code
/// of `mods_api` (`internal-error`, a bug).
#[derive(Serialize)]
struct Problem<'a> {
    code: &'a str,
    message: &'a str,
}

impl<W: Write> Printer<'_, W> {
    fn start(&mut self, version: &str) -> io::Result<()> {
        match self.format {
            ConformanceFormat::Json => write!(
                self.out,
                "{{\"mods_version\":{},\"records\":[",
                serde_json::Value::from(version)
            ),
            ConformanceFormat::Csv => self.out.write_all(mods_api::CSV_HEADER.as_bytes()),
            ConformanceFormat::Human => Ok(()),
        }
    }

    fn separator(&mut self) -> io::Result<()> {
        if !std::mem::take(&mut self.first) {
            self.out.write_all(b",")?;
        }
        self.out.write_all(b"\n")
    }

    fn record(&mut self, name: &str, line: Option<usize>, a: &Assessment) -> io::Result<()> {
        let s = &mut self.summary;
        s.records += 1;
        s.score_sum += a.score;
        if a.conformant {
            s.conformant += 1;
        } else {
            s.not_conformant += 1;
        }
        if !a.validation.valid {
            s.invalid += 1;
        }
        if a.gaps.iter().any(|g| g.code == GapCode::Unreadable) {
            s.unreadable += 1;
        }
        let shown = shown_name(name, line);
        match self.format {
            ConformanceFormat::Human => {
                let text = mods_api::conformance_text(a);
                let mut lines = text.lines();
                writeln!(self.out, "{shown}: {}", lines.next().unwrap_or_default())?;
                if !self.quiet {
                    for l in lines {
                        writeln!(self.out, "{l}")?;
                    }
                }
                Ok(())
            }
            ConformanceFormat::Json => {
                self.separator()?;
                let entry = JsonEntry {
                    input: name,
                    line,
                    assessment: a,
                };
                serde_json::to_writer(&mut *self.out, &entry).map_err(io::Error::other)
            }
            ConformanceFormat::Csv => self
                .out
                .write_all(mods_api::conformance_csv(name, line, a).as_bytes()),
        }
    }

    /// A path that could not be read, or a record that hit an internal error.
    fn error(&mut self, name: &str, line: Option<usize>, code: &str, e: &str) -> io::Result<()> {
        self.summary.errors += 1;
        output::error(&format!("{}: {e}", shown_name(name, line)));
        match self.format {
            ConformanceFormat::Json => {
                self.separator()?;
                let entry = JsonError {
                    input: name,
                    line,
                    error: Problem { code, message: e },
                };
                serde_json::to_writer(&mut *self.out, &entry).map_err(io::Error::other)
            }
            ConformanceFormat::Human => writeln!(self.out, "{}: ERROR {e}", shown_name(name, line)),
            ConformanceFormat::Csv => Ok(()),
        }
    }

    fn finish(mut self) -> io::Result<u8> {
        let s = &mut self.summary;
        if s.records > 0 {
            s.mean_score = (s.score_sum / s.records as f64 * 10_000.0).floor() / 10_000.0;
        }
        match self.format {
            ConformanceFormat::Json => {
                write!(self.out, "\n],\"summary\":")?;
                serde_json::to_writer(&mut *self.out, &self.summary).map_err(io::Error::other)?;
                writeln!(self.out, "}}")?;
            }
            ConformanceFormat::Human => {
                let s = &self.summary;
                let mut line = format!(
                    "{}: {} conformant, {} not conformant ({} invalid",
                    output::plural(s.records, "record", "records"),
                    s.conformant,
                    s.not_conformant,
                    s.invalid
                );
                if s.unreadable > 0 {
                    line.push_str(&format!(", {} unreadable", s.unreadable));
                }
                line.push(')');
                if s.errors > 0 {
                    line.push_str(&format!(
                        "; {}",
                        output::plural(s.errors, "error", "errors")
                    ));
                }
                writeln!(self.out, "{line}")?;
            }
            ConformanceFormat::Csv => {}
        }
        let s = &self.summary;
        Ok(if s.errors > 0 {
            2
        } else if s.not_conformant > 0 {
            1
        } else {
            0
        })
    }
}

/// `FILE` or `FILE:LINE`.
fn shown_name(name: &str, line: Option<usize>) -> String {
    match line {
        Some(n) => format!("{name}:{n}"),
        None => name.to_owned(),
    }
}

/// The code of a path that could not be read, in the JSON output.
const IO_ERROR: &str = "io-error";

/// Run `mods conformance`; returns the exit code.
pub fn run(args: &ConformanceArgs) -> io::Result<u8> {
    let mut opts = ConformanceOptions::default().with_strict(args.strict);
    opts.version = args.mods_version.clone();
    opts.today = args.today.clone();
    // The options are checked once, on an empty document, before any input is read.
    let version = match mods_api::conformance("{}", &opts) {
        Ok(a) => a.mods_version,
        Err(e) => {
            output::error(&e.to_string());
            return Ok(2);
        }
    };
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    let mut printer = Printer {
        out: &mut stdout,
        format: args.format,
        quiet: args.quiet,
        first: true,
        summary: Summary::default(),
    };
    printer.start(&version)?;
    let max = mods_core::Limits::default().max_bytes;
    for entry in input::collect(&args.paths, args.ndjson) {
        match entry {
            Entry::Error(e) => printer.error(&e.path, None, IO_ERROR, &e.message)?,
            Entry::Input(i) if i.format == Format::Json => json(&i, max, &opts, &mut printer)?,
            Entry::Input(i) => ndjson(&i, max, &opts, &mut printer)?,
        }
    }
    let code = printer.finish()?;
    stdout.flush()?;
    Ok(code)
}

/// Assess one record's bytes, writing its result.
fn assess<W: Write>(
    name: &str,
    line: Option<usize>,
    bytes: &[u8],
    opts: &ConformanceOptions,
    printer: &mut Printer<'_, W>,
) -> io::Result<()> {
    match conformance_report(bytes, opts) {
        Ok(a) => printer.record(name, line, &a),
        Err(e) => printer.error(name, line, e.code().as_str(), &e.to_string()),
    }
}

fn json<W: Write>(
    i: &Input,
    max: usize,
    opts: &ConformanceOptions,
    printer: &mut Printer<'_, W>,
) -> io::Result<()> {
    let read = match &i.source {
        Source::Stdin => input::read_document(io::stdin().lock(), None, max),
        Source::File(path) => {
            input::open(path).and_then(|(reader, size)| input::read_document(reader, size, max))
        }
    };
    match read {
        Ok(Ok(bytes)) => assess(&i.name, None, &bytes, opts, printer),
        Ok(Err(too_large)) => too_large_record(&i.name, None, &too_large, opts, printer),
        Err(e) => printer.error(&i.name, None, IO_ERROR, &input::io_message(&e)),
    }
}

fn too_large_record<W: Write>(
    name: &str,
    line: Option<usize>,
    e: &mods_core::InputError,
    opts: &ConformanceOptions,
    printer: &mut Printer<'_, W>,
) -> io::Result<()> {
    match mods_core::conformance::unreadable(opts.version.as_deref(), e) {
        Ok(a) => printer.record(name, line, &a),
        Err(e) => {
            output::error(&e.to_string());
            Ok(())
        }
    }
}

fn ndjson<W: Write>(
    i: &Input,
    max: usize,
    opts: &ConformanceOptions,
    printer: &mut Printer<'_, W>,
) -> io::Result<()> {
    let reader: Box<dyn BufRead> = match &i.source {
        Source::Stdin => Box::new(BufReader::with_capacity(
            input::READ_BUFFER,
            io::stdin().lock(),
        )),
        Source::File(path) => match input::open(path) {
            Ok((reader, _)) => Box::new(reader),
            Err(e) => return printer.error(&i.name, None, IO_ERROR, &input::io_message(&e)),
        },
    };
    let mut lines = NdjsonReader::new(reader, max);
    loop {
        let batch = match lines.next_batch(256 * 1024, 256) {
            Ok(Some(b)) => b,
            Ok(None) => return Ok(()),
            Err(e) => return printer.error(&i.name, None, IO_ERROR, &input::io_message(&e)),
        };
        for (n, line) in &batch.lines {
            match line {
                Line::Document(range) => {
                    assess(&i.name, Some(*n), batch.document(range), opts, printer)?
                }
                Line::TooLong(len) => {
                    let e = input::too_large(Some(*len), max, "line");
                    too_large_record(&i.name, Some(*n), &e, opts, printer)?
                }
            }
        }
    }
}
