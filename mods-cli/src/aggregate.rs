//! `mods aggregate`: counts of people and records by coded categories, with small-number
//! suppression, as text, JSON, CSV or an HTML report with a bar chart (`docs/mi.md`).

use crate::output;
use crate::records::{self, Item};
use clap::{Args, ValueEnum};
use mods_api::AggregateOptions;
use std::io::{self, Write};
use std::path::PathBuf;

pub(crate) const AFTER_HELP: &str = "\
Examples:
  mods aggregate --by ethnicity examples/records/
  mods aggregate --by age_band,gender_identity export.ndjson --format csv > counts.csv
  mods aggregate --by need --format html --out needs.html records/
  mods aggregate --by person_demographics.ethnicity --no-suppress --format json records/

Fields: class.element of any coded element, or a short name: ethnicity, gender_identity,
sexual_orientation, religion, first_language, need (need domain), eligibility_outcome,
service_type, care_setting, funding_source, plan_type, discharge_pathway; and age_band
(from the date of birth, on --as-of). A person is counted once in a row however many
records or instances put them there; records are record documents.

By default counts of 1 to 7 are shown as * and other counts are rounded to the nearest 5
(the NHS England disclosure control convention; see docs/mi.md).

Exit status:
  0  every record was read and counted
  1  some records could not be read: they are counted as unreadable, listed on stderr
     (and in the JSON output), and the table is written without them
  2  a field that is unknown or not coded, a bad option, or a path that could not be
     read; these take precedence";

/// Options of `mods aggregate`.
#[derive(Debug, Args)]
pub struct AggregateArgs {
    /// Record documents: JSON or NDJSON files, directories (walked for *.json, *.ndjson,
    /// *.jsonl), or `-` for standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub paths: Vec<PathBuf>,
    /// The fields to count by, comma-separated (e.g. `ethnicity,age_band`).
    #[arg(long, value_name = "FIELD[,FIELD...]", required = true)]
    pub by: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = AggregateFormat::Human)]
    pub format: AggregateFormat,
    /// Write the output to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The date ages are taken on (YYYY-MM-DD; default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// Show exact counts (no suppression, no rounding): for national totals or checking
    /// one's own data, never for publication below national level.
    #[arg(long, alias = "no-suppression", conflicts_with_all = ["threshold", "round_to"])]
    pub no_suppress: bool,
    /// The largest count shown as `*` (default 7).
    #[arg(long, value_name = "N")]
    pub threshold: Option<u64>,
    /// Round other counts to the nearest N (default 5; 1 for none).
    #[arg(long, value_name = "N")]
    pub round_to: Option<u64>,
    /// The MODS version whose model resolves the fields and labels the codes.
    #[arg(long = "version", alias = "mods-version", value_name = "VERSION")]
    pub mods_version: Option<String>,
    /// Read stdin as NDJSON instead of one JSON document.
    #[arg(long)]
    pub ndjson: bool,
}

/// Output formats of `mods aggregate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AggregateFormat {
    /// A table for a person to read.
    Human,
    /// The table as one JSON document.
    Json,
    /// One row per category combination, then a total row.
    Csv,
    /// An HTML page with a bar chart (SVG) and the table.
    Html,
}

/// Run `mods aggregate`; returns the exit code.
pub fn run(args: &AggregateArgs) -> io::Result<u8> {
    let defaults = AggregateOptions::default();
    let mut opts = AggregateOptions::default()
        .with_by(args.by.clone())
        .with_suppress(!args.no_suppress)
        .with_threshold(args.threshold.unwrap_or(defaults.threshold))
        .with_round_to(args.round_to.unwrap_or(defaults.round_to));
    opts.version = args.mods_version.clone();
    opts.as_of = args.as_of.clone();
    let mut agg = match mods_api::aggregator(&opts) {
        Ok(a) => a,
        Err(e) => {
            output::error(&e.to_string());
            return Ok(2);
        }
    };
    let mut path_errors = 0usize;
    records::each(&args.paths, args.ndjson, |name, line, item| {
        match item {
            Item::Record(v) => agg.add(v),
            Item::Unreadable(why) => {
                output::error(&format!("{}: {why}", shown(name, line)));
                agg.add_unreadable(name, line, why);
            }
            Item::PathError(why) => {
                path_errors += 1;
                output::error(&format!("{name}: {why}"));
            }
        }
        Ok(())
    })?;
    let table = agg.finish();
    let text = match args.format {
        AggregateFormat::Human => mods_api::aggregate_text(&table),
        AggregateFormat::Csv => mods_api::aggregate_csv(&table),
        AggregateFormat::Html => mods_api::aggregate_html(&table),
        AggregateFormat::Json => {
            let mut s = serde_json::to_string_pretty(&table).map_err(io::Error::other)?;
            s.push('\n');
            s
        }
    };
    write_out(args.out.as_deref(), text.as_bytes())?;
    Ok(if path_errors > 0 {
        2
    } else if table.unreadable > 0 {
        1
    } else {
        0
    })
}

/// `FILE` or `FILE:LINE`.
pub fn shown(name: &str, line: Option<usize>) -> String {
    match line {
        Some(n) => format!("{name}:{n}"),
        None => name.to_owned(),
    }
}

/// Write `bytes` to `out`, or to standard output.
pub fn write_out(out: Option<&std::path::Path>, bytes: &[u8]) -> io::Result<()> {
    match out {
        Some(p) => std::fs::write(p, bytes),
        None => {
            let mut s = io::stdout().lock();
            s.write_all(bytes)?;
            s.flush()
        }
    }
}
