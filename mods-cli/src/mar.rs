//! `mods mar`: a person's medication administration record for a day (use case 3), as text
//! for a person to read or as JSON (`docs/flows/mar.md`).

use crate::output;
use clap::{Args, ValueEnum};
use mods_api::{mar, mar_text, Input, MarOptions};
use mods_core::guard;
use std::io::{self, Write};
use std::path::PathBuf;

pub(crate) const AFTER_HELP: &str = "\
Examples:
  mods mar examples/records/mrs-smith-after-fall.json --date 2026-03-10
  mods mar record.json --date 2026-03-10 --format json
  mods mar record.json --from 2026-03-09 --to 2026-03-10     (a period of days)
  cat record.json | mods mar - --date 2026-03-10

The day is a UK civil date; the warnings of the dose rules look at every dose of the record
(a dose just after midnight is checked against the night before), and the doses of the 24
hours before the day are listed too. See docs/flows/mar.md.

Exit status:
  0  the view was made and has no warnings
  1  the view was made and has warnings (too soon, over the 24-hour maximum, one medicine
     under two records, a dose only the person reports, a reference not found...)
  2  no view: the record could not be read, a date is not YYYY-MM-DD or the period ends
     before it starts, the record states no supported MODS version, or an internal error";

/// Options of `mods mar`.
#[derive(Debug, Args)]
pub struct MarArgs {
    /// The record document (`-` for standard input).
    #[arg(value_name = "RECORD")]
    pub record: PathBuf,
    /// The day (YYYY-MM-DD, UK civil date); the first day of a period with --to.
    #[arg(long, alias = "from", value_name = "YYYY-MM-DD")]
    pub date: String,
    /// The last day of a period (default: the --date day).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub to: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = MarFormat::Human)]
    pub format: MarFormat,
    /// Validate the record in strict mode (unknown elements are errors) for its report.
    #[arg(long)]
    pub strict: bool,
    /// Put offending values in the validation report's `context.value` (JSON output).
    #[arg(long)]
    pub include_values: bool,
    /// The date taken as today by the validation rules that need one (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub today: Option<String>,
}

/// Output formats of `mods mar`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MarFormat {
    /// Text for a person to read.
    Human,
    /// The view as JSON (its shape is in docs/flows/mar.md).
    Json,
}

/// Run `mods mar`; returns the exit code.
pub fn run(args: &MarArgs, out: &mut impl Write) -> io::Result<u8> {
    let mut opts = MarOptions::default()
        .with_strict(args.strict)
        .with_include_values(args.include_values);
    opts.to = args.to.clone();
    opts.today = args.today.clone();
    // A panic (a bug) while reading prints its location only (mods_api::mar contains its own).
    let made = guard::catch(|| {
        let record = crate::history::read_path(&args.record)?;
        mar(Input::Value(&record), &args.date, &opts).map_err(|e| e.to_string())
    });
    let view = match made {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            output::error(&e);
            return Ok(2);
        }
        Err(p) => {
            output::error(&p.message());
            return Ok(2);
        }
    };
    match args.format {
        MarFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, &view).map_err(io::Error::other)?;
            writeln!(out)?;
        }
        MarFormat::Human => out.write_all(mar_text(&view).as_bytes())?,
    }
    Ok(if view.warnings.is_empty() { 0 } else { 1 })
}
