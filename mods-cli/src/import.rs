//! `mods import`: legacy CSV, NDJSON or JSON exports to MODS record documents by a
//! declarative mapping (use case 5), through `mods_import`.

use crate::output;
use clap::{Args, ValueEnum};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mods_import::{Entry, Input, Mapping, Options, Sink, Summary};
use serde_json::Value;
use std::fs::{self, File};
use std::io::{self, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};

/// What `mods import --help` shows after the options.
pub const AFTER_HELP: &str = "\
Examples:
  mods import --mapping examples/legacy-import/mapping.toml --dry-run examples/legacy-import/clients.csv
  mods import --mapping mapping.toml export.csv --out records/          (one file per person)
  mods import --mapping mapping.toml export.csv --out records.ndjson    (one line per person)
  mods import --mapping mapping.toml export.csv --dry-run --report report.csv

The report (stdout, and --report FILE as CSV) has one entry per value, cell, row or column
that did not map or validate: input, row, column and code, never the value unless
--include-values. The real run also writes a summary beside the output
(DIR.summary.json beside the directory, or FILE.summary.json for FILE.ndjson). The mapping format is in
docs/import.md.

Exit status:
  0  every source cell was imported or ignored by the mapping, and every record is valid
  1  the report has errors (cells not imported, or records that do not validate); the
     records were still written
  2  nothing was imported: the mapping or an input could not be read, the mapping names an
     unknown class, element or column, or the output could not be written";

/// Format of the report on stdout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    /// One line per entry (the first 50), then the summary.
    Human,
    /// `{"entries": [...], "summary": {...}}`.
    Json,
}

/// Options of `mods import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The mapping file (TOML; see docs/import.md).
    #[arg(long, value_name = "MAP")]
    pub mapping: PathBuf,
    /// The exports to import: .csv, .ndjson (.jsonl) or .json files.
    #[arg(value_name = "INPUT", required = true)]
    pub inputs: Vec<PathBuf>,
    /// Report only: write no record.
    #[arg(long)]
    pub dry_run: bool,
    /// Where the records go: a directory (one JSON file per person) or FILE.ndjson.
    #[arg(
        long,
        value_name = "DIR|FILE.ndjson",
        required_unless_present = "dry_run"
    )]
    pub out: Option<PathBuf>,
    /// Write the report as CSV to FILE.
    #[arg(long, value_name = "FILE")]
    pub report: Option<PathBuf>,
    /// Output format of the report on stdout.
    #[arg(long, value_enum, default_value_t = ReportFormat::Human)]
    pub format: ReportFormat,
    /// Put each offending value in the report (values are personal data: off by default).
    #[arg(long)]
    pub include_values: bool,
    /// The folder document paths are relative to (default: the mapping file's folder).
    #[arg(long, value_name = "DIR")]
    pub base_dir: Option<PathBuf>,
    /// Rows held in memory before spilling to disk while grouping by person.
    #[arg(long, value_name = "N", default_value_t = 50_000)]
    pub chunk_rows: usize,
}

enum Out {
    None,
    Dir(PathBuf),
    Ndjson(BufWriter<File>),
}

struct CliSink {
    out: Out,
    stdout: BufWriter<io::StdoutLock<'static>>,
    format: ReportFormat,
    report: Option<csv_out::Writer>,
    shown: usize,
    entries: usize,
    bar: Option<ProgressBar>,
}

fn io_err(e: io::Error) -> mods_import::Error {
    mods_import::Error::Io(format!("cannot write the output: {}", e.kind()))
}

impl Sink for CliSink {
    fn record(&mut self, doc: &Value) -> Result<(), mods_import::Error> {
        match &mut self.out {
            Out::None => Ok(()),
            Out::Ndjson(w) => {
                serde_json::to_writer(&mut *w, doc)
                    .map_err(|e| mods_import::Error::Io(e.to_string()))?;
                w.write_all(b"\n").map_err(io_err)
            }
            Out::Dir(dir) => {
                let uid = doc["subject_of_care"]["record_uid"]
                    .as_str()
                    .unwrap_or("record");
                let mut w =
                    BufWriter::new(File::create(dir.join(format!("{uid}.json"))).map_err(io_err)?);
                serde_json::to_writer_pretty(&mut w, doc)
                    .map_err(|e| mods_import::Error::Io(e.to_string()))?;
                w.write_all(b"\n").map_err(io_err)?;
                w.flush().map_err(io_err)
            }
        }
    }

    fn entry(&mut self, entry: &Entry) -> Result<(), mods_import::Error> {
        if let Some(r) = &mut self.report {
            r.entry(entry).map_err(io_err)?;
        }
        self.entries += 1;
        match self.format {
            ReportFormat::Json => {
                let sep = if self.entries == 1 { "\n" } else { ",\n" };
                self.stdout.write_all(sep.as_bytes()).map_err(io_err)?;
                serde_json::to_writer(&mut self.stdout, entry)
                    .map_err(|e| mods_import::Error::Io(e.to_string()))
            }
            ReportFormat::Human if self.shown < 50 => {
                self.shown += 1;
                let line = human_line(entry);
                match &self.bar {
                    Some(bar) => bar.suspend(|| writeln!(self.stdout, "{line}")),
                    None => writeln!(self.stdout, "{line}"),
                }
                .map_err(io_err)
            }
            ReportFormat::Human => Ok(()),
        }
    }

    fn progress(&mut self, rows: u64) {
        if let Some(bar) = &self.bar {
            if rows % 1000 == 0 {
                bar.set_message(format!("{rows} rows read"));
                bar.tick();
            }
        }
    }
}

fn human_line(e: &Entry) -> String {
    let mut at = e.source.clone();
    if let Some(r) = e.row {
        at.push_str(&format!(":{r}"));
    }
    let col = e
        .column
        .as_deref()
        .map(|c| format!(" [{c}]"))
        .unwrap_or_default();
    let ptr = e
        .pointer
        .as_deref()
        .map(|p| format!(" {p}"))
        .unwrap_or_default();
    let cells = e
        .cells
        .map(|n| format!(" ({})", output::plural(n as usize, "cell", "cells")))
        .unwrap_or_default();
    let value = e
        .value
        .as_deref()
        .map(|v| format!(" (value: {v:?})"))
        .unwrap_or_default();
    format!(
        "{at}{col} {} {}{ptr}: {}{cells}{value}",
        e.severity, e.code, e.message
    )
}

/// Run `mods import`; returns the exit code.
pub fn run(args: &ImportArgs) -> io::Result<u8> {
    let text = match fs::read_to_string(&args.mapping) {
        Ok(t) => t,
        Err(e) => {
            output::error(&format!(
                "cannot read the mapping {}: {}",
                args.mapping.display(),
                e.kind()
            ));
            return Ok(2);
        }
    };
    let mapping = match Mapping::parse(&text) {
        Ok(m) => m,
        Err(errors) => {
            output::error(&mods_import::Error::Mapping(errors).to_string());
            return Ok(2);
        }
    };
    let out = match (&args.out, args.dry_run) {
        (_, true) | (None, _) => Out::None,
        (Some(p), false) if is_ndjson(p) => match File::create(p) {
            Ok(f) => Out::Ndjson(BufWriter::new(f)),
            Err(e) => {
                output::error(&format!("cannot create {}: {}", p.display(), e.kind()));
                return Ok(2);
            }
        },
        (Some(p), false) => match fs::create_dir_all(p) {
            Ok(()) => Out::Dir(p.clone()),
            Err(e) => {
                output::error(&format!(
                    "cannot create the folder {}: {}",
                    p.display(),
                    e.kind()
                ));
                return Ok(2);
            }
        },
    };
    let report = match &args.report {
        None => None,
        Some(p) => match csv_out::Writer::create(p) {
            Ok(w) => Some(w),
            Err(e) => {
                output::error(&format!("cannot create {}: {}", p.display(), e.kind()));
                return Ok(2);
            }
        },
    };
    let bar = io::stderr().is_terminal().then(|| {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg}  {elapsed_precise}") {
            bar.set_style(style);
        }
        bar.set_message("reading");
        bar
    });
    let base_dir = args.base_dir.clone().unwrap_or_else(|| {
        args.mapping
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default()
    });
    let base_dir = if base_dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        base_dir
    };
    let opts = Options::default()
        .with_dry_run(args.dry_run)
        .with_include_values(args.include_values)
        .with_chunk_rows(args.chunk_rows)
        .with_base_dir(base_dir);
    let mut sink = CliSink {
        out,
        stdout: BufWriter::new(io::stdout().lock()),
        format: args.format,
        report,
        shown: 0,
        entries: 0,
        bar,
    };
    if args.format == ReportFormat::Json {
        sink.stdout.write_all(b"{\"entries\": [")?;
    }
    let inputs: Vec<Input> = args.inputs.iter().cloned().map(Input::File).collect();
    let result = mods_import::run(&mapping, &inputs, &opts, &mut sink);
    if let Some(bar) = &sink.bar {
        bar.finish_and_clear();
    }
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            sink.stdout.flush()?;
            output::error(&e.to_string());
            return Ok(2);
        }
    };
    if let Out::Ndjson(w) = &mut sink.out {
        if let Err(e) = w.flush() {
            output::error(&format!("cannot write the records: {}", e.kind()));
            return Ok(2);
        }
    }
    if let Some(r) = sink.report.take() {
        if let Err(e) = r.finish() {
            output::error(&format!("cannot write the report: {}", e.kind()));
            return Ok(2);
        }
    }
    if let (Some(p), false) = (&args.out, args.dry_run) {
        let path = summary_path(p);
        let text = serde_json::to_string_pretty(&summary).unwrap_or_default();
        if let Err(e) = fs::write(&path, text + "\n") {
            output::error(&format!(
                "cannot write the summary {}: {}",
                path.display(),
                e.kind()
            ));
            return Ok(2);
        }
    }
    match args.format {
        ReportFormat::Json => {
            let s = serde_json::to_string(&summary).unwrap_or_default();
            let sep = if sink.entries == 0 { "" } else { "\n" };
            writeln!(sink.stdout, "{sep}], \"summary\": {s}}}")?;
        }
        ReportFormat::Human => {
            if sink.entries > sink.shown {
                writeln!(
                    sink.stdout,
                    "... and {} more (all of them with --report FILE or --format json)",
                    sink.entries - sink.shown
                )?;
            }
            write_summary(&mut sink.stdout, &summary, args)?;
        }
    }
    sink.stdout.flush()?;
    Ok(if summary.errors > 0 { 1 } else { 0 })
}

fn write_summary(out: &mut impl Write, s: &Summary, args: &ImportArgs) -> io::Result<()> {
    let what = if s.dry_run { "dry run" } else { "import" };
    writeln!(
        out,
        "{what}: {} read, {} ({} invalid), {}, {}",
        output::plural(s.rows as usize, "row", "rows"),
        output::plural(s.persons as usize, "person", "persons"),
        s.invalid_records,
        output::plural(s.errors as usize, "error", "errors"),
        output::plural(s.warnings as usize, "warning", "warnings"),
    )?;
    let (mut cells, mut imported, mut ignored, mut reported) = (0, 0, 0, 0);
    for c in s.columns.values() {
        cells += c.cells;
        imported += c.imported;
        ignored += c.ignored;
        reported += c.reported;
    }
    writeln!(
        out,
        "cells: {cells} with a value: {imported} imported, {ignored} ignored, {reported} reported"
    )?;
    if !s.dry_run {
        if let Some(p) = &args.out {
            writeln!(
                out,
                "records written to {}; summary in {}",
                p.display(),
                summary_path(p).display()
            )?;
        }
    }
    Ok(())
}

fn is_ndjson(p: &Path) -> bool {
    matches!(
        p.extension().and_then(|e| e.to_str()),
        Some("ndjson" | "jsonl")
    )
}

/// The summary file beside the output.
fn summary_path(out: &Path) -> PathBuf {
    // beside a directory, not in it, so that the directory holds records only
    let name = out
        .file_stem()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".into());
    out.with_file_name(format!("{name}.summary.json"))
}

/// The report as CSV.
mod csv_out {
    use mods_import::Entry;
    use std::fs::File;
    use std::io::{self, BufWriter, Write};
    use std::path::Path;

    /// A CSV writer of report entries.
    pub struct Writer(BufWriter<File>);

    fn field(s: &str) -> String {
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s.to_string()
        }
    }

    impl Writer {
        /// Create the file and write the header.
        pub fn create(p: &Path) -> io::Result<Writer> {
            let mut w = BufWriter::new(File::create(p)?);
            writeln!(
                w,
                "source,row,column,code,severity,message,pointer,record_uid,cells,value"
            )?;
            Ok(Writer(w))
        }

        /// One entry.
        pub fn entry(&mut self, e: &Entry) -> io::Result<()> {
            let row = e.row.map(|r| r.to_string()).unwrap_or_default();
            let cells = e.cells.map(|r| r.to_string()).unwrap_or_default();
            let fields = [
                field(&e.source),
                row,
                field(e.column.as_deref().unwrap_or("")),
                e.code.clone(),
                e.severity.to_string(),
                field(&e.message),
                field(e.pointer.as_deref().unwrap_or("")),
                field(e.record_uid.as_deref().unwrap_or("")),
                cells,
                field(e.value.as_deref().unwrap_or("")),
            ];
            writeln!(self.0, "{}", fields.join(","))
        }

        /// Flush.
        pub fn finish(mut self) -> io::Result<()> {
            self.0.flush()
        }
    }
}
