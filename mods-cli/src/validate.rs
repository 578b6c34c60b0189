//! `mods validate`: validate record documents from files, directories and stdin.
//!
//! Inputs are validated in parallel on every core (a shared work queue on scoped
//! threads), while results are printed in the deterministic input order.

use crate::cli::{ValidateArgs, ValidateFormat};
use crate::input::{self, Entry, Format, Input, Line, PathError, Source};
use crate::output;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mods_core::{guard, IssueCode, Report};
use serde::Serialize;
use std::io::{self, BufReader, IsTerminal, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// The report of one document, and where it was in its input.
#[derive(Debug)]
pub struct RecordResult {
    /// 1-based line number in an NDJSON input; `None` for a JSON document.
    pub line: Option<usize>,
    /// The validation report.
    pub report: Report,
}

/// What became of one input.
#[derive(Debug)]
pub enum FileOutcome {
    /// The input was read; one result per document.
    Records(Vec<RecordResult>),
    /// The input could not be read.
    Error(String),
}

/// What documents are validated as, with which options (checked once, by `mods-api`).
#[derive(Debug)]
struct Validator {
    opts: mods_api::Prepared,
}

impl Validator {
    /// Validate one document's bytes. Malformed input is an invalid report, not an error;
    /// a panic (a bug) is the document's `internal-error` report, and the run goes on.
    fn validate(&self, bytes: &[u8]) -> Report {
        mods_api::validate_report(bytes, &self.opts).into_core()
    }

    /// Read and validate one input. Each document is guarded on its own (`validate`); a
    /// panic anywhere else while the input is read makes the whole input one record with
    /// the `internal-error` report.
    fn run(&self, input: &Input) -> FileOutcome {
        let result = guard::catch(|| self.read_and_validate(input));
        match result {
            Ok(Ok(records)) => FileOutcome::Records(records),
            Ok(Err(e)) => FileOutcome::Error(input::io_message(&e)),
            Err(p) => FileOutcome::Records(vec![RecordResult {
                line: None,
                report: p.report(),
            }]),
        }
    }

    fn read_and_validate(&self, input: &Input) -> io::Result<Vec<RecordResult>> {
        let max = self.opts.limits().max_bytes;
        match &input.source {
            Source::Stdin => {
                let stdin = io::stdin();
                let lock = stdin.lock();
                self.read_from(lock, None, input.format, max)
            }
            Source::File(path) => {
                let (reader, size) = input::open(path)?;
                self.read_from(reader, size, input.format, max)
            }
        }
    }

    fn read_from(
        &self,
        reader: impl io::BufRead,
        size: Option<u64>,
        format: Format,
        max: usize,
    ) -> io::Result<Vec<RecordResult>> {
        match format {
            Format::Json => {
                let report = match input::read_document(reader, size, max)? {
                    Ok(bytes) => self.validate(&bytes),
                    Err(e) => Report::from_input_error(&e),
                };
                Ok(vec![RecordResult { line: None, report }])
            }
            Format::Ndjson => {
                let mut records = Vec::new();
                input::for_each_line(BufReader::new(reader), max, |n, line| {
                    let report = match line {
                        Line::Document(bytes) => self.validate(bytes),
                        Line::TooLong(len) => {
                            Report::from_input_error(&input::too_large(Some(len), max, "line"))
                        }
                    };
                    records.push(RecordResult {
                        line: Some(n),
                        report,
                    });
                })?;
                Ok(records)
            }
        }
    }
}

/// Running totals for the summary.
#[derive(Debug, Default, Serialize)]
struct Summary {
    files: usize,
    records: usize,
    valid: usize,
    invalid: usize,
    errors: usize,
    warnings: usize,
    elapsed_ms: f64,
    /// Records whose validation stopped on an internal error (a bug): exit status 2.
    internal_errors: usize,
    #[serde(skip)]
    io_errors: usize,
}

impl Summary {
    fn add(&mut self, outcome: &FileOutcome) {
        match outcome {
            FileOutcome::Error(_) => self.io_errors += 1,
            FileOutcome::Records(records) => {
                self.files += 1;
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
        }
    }

    fn line(&self, elapsed: std::time::Duration) -> String {
        let mut line = format!(
            "{}, {}: {} valid, {} invalid; {}, {} in {}",
            output::plural(self.files, "file", "files"),
            output::plural(self.records, "record", "records"),
            self.valid,
            self.invalid,
            output::plural(self.errors, "error", "errors"),
            output::plural(self.warnings, "warning", "warnings"),
            output::elapsed(elapsed),
        );
        if self.internal_errors > 0 {
            line.push_str(&format!(
                "; {} (a bug in mods-sdk: please report it)",
                output::plural(self.internal_errors, "internal error", "internal errors")
            ));
        }
        line
    }

    fn exit_code(&self) -> u8 {
        if self.io_errors > 0 || self.internal_errors > 0 {
            2
        } else if self.invalid > 0 {
            1
        } else {
            0
        }
    }
}

/// One record in the JSON output.
#[derive(Serialize)]
struct RecordJson<'a> {
    line: Option<usize>,
    valid: bool,
    issues: &'a [mods_core::Issue],
    omitted: usize,
}

/// One input in the JSON output.
#[derive(Serialize)]
#[serde(untagged)]
enum FileJson<'a> {
    Records {
        path: &'a str,
        records: Vec<RecordJson<'a>>,
    },
    Error {
        path: &'a str,
        error: &'a str,
    },
}

/// Writes results to stdout (and I/O errors to stderr) in input order, keeping any
/// progress bar out of the way.
struct Printer {
    out: io::BufWriter<io::Stdout>,
    format: ValidateFormat,
    quiet: bool,
    bar: Option<ProgressBar>,
    first: bool,
}

impl Printer {
    /// Write `bytes` to stdout, hiding the progress bar while doing so.
    fn emit(&mut self, bytes: &[u8]) -> io::Result<()> {
        if bytes.is_empty() {
            return Ok(());
        }
        match &self.bar {
            Some(bar) => {
                let out = &mut self.out;
                bar.suspend(|| {
                    out.write_all(bytes)?;
                    out.flush()
                })
            }
            None => self.out.write_all(bytes),
        }
    }

    fn warn(&self, message: &str) {
        match &self.bar {
            Some(bar) => bar.suspend(|| output::error(message)),
            None => output::error(message),
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.format == ValidateFormat::Json && !self.quiet {
            self.emit(b"{\"files\":[")?;
        }
        Ok(())
    }

    fn file(&mut self, name: &str, outcome: &FileOutcome) -> io::Result<()> {
        if let FileOutcome::Error(message) = outcome {
            self.warn(&format!("{name}: {message}"));
        }
        if self.quiet {
            return Ok(());
        }
        let mut buf = Vec::new();
        match self.format {
            ValidateFormat::Json => {
                if !self.first {
                    buf.push(b',');
                }
                let entry = match outcome {
                    FileOutcome::Error(error) => FileJson::Error { path: name, error },
                    FileOutcome::Records(records) => FileJson::Records {
                        path: name,
                        records: records
                            .iter()
                            .map(|r| RecordJson {
                                line: r.line,
                                valid: r.report.valid,
                                issues: &r.report.issues,
                                omitted: r.report.omitted,
                            })
                            .collect(),
                    },
                };
                serde_json::to_writer(&mut buf, &entry).map_err(io::Error::other)?;
            }
            ValidateFormat::Human => {
                if let FileOutcome::Records(records) = outcome {
                    for r in records {
                        human_record(&mut buf, name, r)?;
                    }
                }
            }
        }
        self.first = false;
        self.emit(&buf)
    }

    fn finish(&mut self, summary: &Summary, elapsed: std::time::Duration) -> io::Result<()> {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
        match self.format {
            ValidateFormat::Human => writeln!(self.out, "{}", summary.line(elapsed))?,
            ValidateFormat::Json => {
                if self.quiet {
                    self.out.write_all(b"{")?;
                } else {
                    self.out.write_all(b"],")?;
                }
                self.out.write_all(b"\"summary\":")?;
                serde_json::to_writer(&mut self.out, summary).map_err(io::Error::other)?;
                self.out.write_all(b"}\n")?;
            }
        }
        self.out.flush()
    }
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

/// Run `mods validate`; returns the exit code.
pub fn run(args: &ValidateArgs) -> io::Result<u8> {
    let start = Instant::now();
    let mut opts = mods_api::ValidateOptions {
        class: args.class.clone(),
        strict: args.strict,
        include_values: args.include_values,
        today: args.today.map(|d| d.format("%Y-%m-%d").to_string()),
        ..mods_api::ValidateOptions::default()
    };
    match terminology_providers(args) {
        Ok(providers) => opts.providers = providers,
        Err(message) => {
            output::error(&message);
            return Ok(2);
        }
    }
    let validator = match opts.prepare() {
        Ok(opts) => Validator { opts },
        Err(e) if e.code() == mods_api::ErrorCode::UnknownClass => {
            let class = args.class.as_deref().unwrap_or_default();
            output::error(&format!(
                "`{class}` is not a record or component class of the model; \
                 run `mods classes` to list them"
            ));
            return Ok(2);
        }
        Err(e) => {
            output::error(&e.to_string());
            return Ok(2);
        }
    };
    let entries = input::collect(&args.paths, args.ndjson);
    let inputs: Vec<&Input> = entries
        .iter()
        .filter_map(|e| match e {
            Entry::Input(i) => Some(i),
            Entry::Error(_) => None,
        })
        .collect();

    let bar = (inputs.len() > 1 && io::stderr().is_terminal()).then(|| {
        let bar =
            ProgressBar::with_draw_target(Some(inputs.len() as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:40} {pos}/{len} files  {elapsed_precise}")
        {
            bar.set_style(style);
        }
        bar
    });
    let mut printer = Printer {
        out: io::BufWriter::new(io::stdout()),
        format: args.format,
        quiet: args.quiet,
        bar,
        first: true,
    };
    let mut summary = Summary::default();

    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(inputs.len())
        .max(1);
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> io::Result<()> {
        let (tx, rx) = mpsc::channel::<(usize, FileOutcome)>();
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, inputs, validator) = (&next, &inputs, &validator);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(input) = inputs.get(i) else { break };
                // `run` contains every panic, so a worker always sends its result
                if tx.send((i, validator.run(input))).is_err() {
                    break;
                }
            });
        }
        drop(tx);

        printer.start()?;
        let mut pending: Vec<Option<FileOutcome>> = (0..inputs.len()).map(|_| None).collect();
        let mut job = 0usize;
        for entry in &entries {
            match entry {
                Entry::Error(PathError { path, message }) => {
                    let outcome = FileOutcome::Error(message.clone());
                    summary.add(&outcome);
                    printer.file(path, &outcome)?;
                }
                Entry::Input(input) => {
                    let outcome = loop {
                        if let Some(o) = pending.get_mut(job).and_then(Option::take) {
                            break o;
                        }
                        match rx.recv() {
                            Ok((i, o)) => {
                                if let Some(bar) = &printer.bar {
                                    bar.inc(1);
                                }
                                if let Some(slot) = pending.get_mut(i) {
                                    *slot = Some(o);
                                }
                            }
                            // Every worker has stopped without sending this result.
                            Err(_) => break FileOutcome::Error("validation stopped".into()),
                        }
                    };
                    job += 1;
                    summary.add(&outcome);
                    printer.file(&input.name, &outcome)?;
                }
            }
        }
        // Stop any worker still running if printing failed above (rx is dropped here).
        Ok(())
    })?;

    let elapsed = start.elapsed();
    summary.elapsed_ms = elapsed.as_secs_f64() * 1000.0;
    printer.finish(&summary, elapsed)?;
    Ok(summary.exit_code())
}

/// The terminology providers asked for on the command line: the --terminology files (one
/// offline provider), then the --terminology-server.
fn terminology_providers(
    args: &ValidateArgs,
) -> Result<Vec<std::sync::Arc<dyn mods_core::terminology::TerminologyProvider>>, String> {
    use mods_core::terminology::OfflineProvider;
    let mut providers: Vec<std::sync::Arc<dyn mods_core::terminology::TerminologyProvider>> =
        Vec::new();
    if !args.terminology.is_empty() {
        let mut offline = OfflineProvider::new();
        for path in &args.terminology {
            let bytes = std::fs::read(path)
                .map_err(|e| format!("cannot read terminology file {}: {e}", path.display()))?;
            let is_rf2 = path
                .extension()
                .is_some_and(|x| x.eq_ignore_ascii_case("txt") || x.eq_ignore_ascii_case("tsv"));
            let loaded = if is_rf2 {
                let text = String::from_utf8(bytes)
                    .map_err(|_| format!("terminology file {} is not UTF-8", path.display()))?;
                offline.load_rf2_refset(&text)
            } else {
                offline.load_fhir_json(&bytes)
            };
            loaded.map_err(|e| format!("{}: {e}", path.display()))?;
        }
        providers.push(std::sync::Arc::new(offline));
    }
    #[cfg(feature = "terminology-server")]
    if let Some(url) = &args.terminology_server {
        // `try_from`: `Duration::from_secs_f64` panics on a value too large (1e300)
        let timeout = std::time::Duration::try_from_secs_f64(args.terminology_timeout)
            .ok()
            .filter(|t| !t.is_zero())
            .ok_or("--terminology-timeout must be a positive number of seconds (at most about 584 billion years)")?;
        let mut builder = mods_terminology::FhirTerminologyClient::builder(url.as_str())
            .timeout(timeout)
            .allow_cross_origin_redirects(args.terminology_allow_cross_origin_redirects);
        if !args.terminology_system.is_empty() {
            builder = builder.covers(args.terminology_system.iter().cloned());
        }
        if let Some(var) = &args.terminology_token_env {
            let token = std::env::var(var)
                .map_err(|_| format!("environment variable {var} (the token) is not set"))?;
            builder = builder.bearer_token(token);
        }
        let client = builder
            .build()
            .map_err(|e| format!("--terminology-server: {e}"))?;
        providers.push(std::sync::Arc::new(client));
    }
    Ok(providers)
}
