//! `mods validate`: validate record documents from files, directories and stdin.
//!
//! Inputs are validated in parallel on every core (or `--jobs N` threads), the records of
//! an NDJSON input too, while results are printed in the deterministic input order as they
//! come (`pipeline`), in the chosen report format (`formats`); memory stays flat however
//! long an NDJSON input is.

mod formats;
mod pipeline;
mod printer;
mod summary;

use crate::cli::ValidateArgs;
use crate::input::{self, Batch, Entry, Format, Input, Line, Source};
use crate::output;
use mods_core::{guard, Report};
use printer::{Destination, Filter, Printer, Progress};
use std::io::{self, IsTerminal};
use std::time::Instant;

/// The report of one document, and where it was in its input.
#[derive(Debug)]
pub struct RecordResult {
    /// 1-based line number in an NDJSON input; `None` for a JSON document.
    pub line: Option<usize>,
    /// The validation report.
    pub report: Report,
}

/// What became of a JSON document input, or of a path that could not be read.
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

    /// Read and validate one JSON document input. The document is guarded on its own
    /// (`validate`); a panic anywhere else while the input is read makes the input one
    /// record with the `internal-error` report.
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
        let document = match &input.source {
            Source::Stdin => input::read_document(io::stdin().lock(), None, max)?,
            Source::File(path) => {
                let (reader, size) = input::open(path)?;
                input::read_document(reader, size, max)?
            }
        };
        let report = match document {
            Ok(bytes) => self.validate(&bytes),
            Err(e) => Report::from_input_error(&e),
        };
        Ok(vec![RecordResult { line: None, report }])
    }

    /// Validate the lines of an NDJSON batch, each guarded on its own; a panic anywhere
    /// else gives every line of the batch the `internal-error` report.
    fn batch(&self, batch: &Batch) -> Vec<RecordResult> {
        let max = self.opts.limits().max_bytes;
        let validated = guard::catch(|| {
            batch
                .lines
                .iter()
                .map(|(n, line)| RecordResult {
                    line: Some(*n),
                    report: match line {
                        Line::Document(range) => self.validate(batch.document(range)),
                        Line::TooLong(len) => {
                            Report::from_input_error(&input::too_large(Some(*len), max, "line"))
                        }
                    },
                })
                .collect()
        });
        validated.unwrap_or_else(|p| {
            batch
                .lines
                .iter()
                .map(|(n, _)| RecordResult {
                    line: Some(*n),
                    report: p.report(),
                })
                .collect()
        })
    }
}

/// Run `mods validate`; returns the exit code.
pub fn run(args: &ValidateArgs) -> io::Result<u8> {
    let start = Instant::now();
    let mut opts = mods_api::ValidateOptions::default()
        .with_strict(args.strict)
        .with_include_values(args.include_values);
    opts.class = args.class.clone();
    opts.today = args.today.map(|d| d.format("%Y-%m-%d").to_string());
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
            let names = mods_core::model::latest()
                .classes
                .iter()
                .map(|c| c.technical_name);
            output::error(&format!(
                "`{class}` is not a record or component class of the model{}; \
                 run `mods classes` to list them",
                crate::suggest::did_you_mean(class, names)
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
    let destination = match &args.output {
        None => Destination::Stdout,
        Some(path) if path.as_os_str() == "-" => Destination::Stdout,
        Some(path) => match open_output(path, &inputs) {
            Ok(file) => Destination::File(file),
            Err(message) => {
                output::error(&message);
                return Ok(2);
            }
        },
    };
    let progress = show_progress(&inputs, io::stderr().is_terminal())
        .then(|| Progress::new(inputs.len(), total_bytes(&inputs)));
    let filter = Filter {
        failures_only: args.failures_only,
        min_severity: args.min_severity,
    };
    let mut printer = Printer::new(args.format, args.quiet, filter, destination, progress);
    let jobs = args.jobs.map_or_else(
        || std::thread::available_parallelism().map_or(1, |n| n.get()),
        |n| n.get(),
    );
    printer.start()?;
    pipeline::run(&entries, &validator, jobs, &mut printer)?;
    printer.finish(start.elapsed())
}

/// Create (or truncate) the `--output` file, refusing a file that is one of the inputs
/// (it would be destroyed before it is read), by whatever name or link.
fn open_output(path: &std::path::Path, inputs: &[&Input]) -> Result<std::fs::File, String> {
    let is_input = inputs.iter().any(|i| match &i.source {
        Source::File(p) => same_file(p, path),
        Source::Stdin => false,
    });
    if is_input {
        return Err(format!(
            "--output {} is one of the inputs; choose another file",
            path.display()
        ));
    }
    std::fs::File::create(path).map_err(|e| {
        format!(
            "cannot write --output {}: {}",
            path.display(),
            input::io_message(&e)
        )
    })
}

/// Whether two paths name one existing file: the same device and inode on Unix (hard
/// links too), the same canonical path elsewhere.
fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(a), Ok(b)) => a.dev() == b.dev() && a.ino() == b.ino(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        }
    }
}

/// Whether to draw the progress bar: only on a terminal, and only for more than one
/// input or an NDJSON input (one JSON document is done in a moment).
fn show_progress(inputs: &[&Input], terminal: bool) -> bool {
    terminal && (inputs.len() > 1 || inputs.iter().any(|i| i.format == Format::Ndjson))
}

/// The bytes of every input, when all are files of known size (not stdin).
fn total_bytes(inputs: &[&Input]) -> Option<u64> {
    inputs.iter().try_fold(0u64, |total, i| match &i.source {
        Source::File(path) => Some(total + std::fs::metadata(path).ok()?.len()),
        Source::Stdin => None,
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn input(source: Source, format: Format) -> Input {
        Input {
            source,
            name: "x".into(),
            format,
        }
    }

    #[test]
    fn the_bar_is_drawn_on_a_terminal_for_several_inputs_or_ndjson() {
        let json = input(Source::File(PathBuf::from("a.json")), Format::Json);
        let ndjson = input(Source::Stdin, Format::Ndjson);
        assert!(!show_progress(&[&json], true));
        assert!(show_progress(&[&json, &json], true));
        assert!(show_progress(&[&ndjson], true));
        assert!(!show_progress(&[&ndjson, &json], false));
        // stdin has no known size: a spinner, not a bar
        assert_eq!(total_bytes(&[&ndjson]), None);
    }
}
