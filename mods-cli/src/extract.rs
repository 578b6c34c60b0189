//! `mods extract`: a client-level extract, one row per person and event, with pseudonymised
//! person ids (keyed HMAC-SHA256), age bands instead of dates of birth, and no names,
//! addresses or free text (`docs/mi.md`). Rows are written as each record is read.

use crate::aggregate::shown;
use crate::output;
use crate::records::{self, Item};
use clap::{Args, ValueEnum};
use mods_api::ExtractOptions;
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

pub(crate) const AFTER_HELP: &str = "\
Examples:
  mods extract --profile dhsc-cld --key-file ~/.mods/cld.key records/ > cld.csv
  MODS_CLD_KEY=$(cat key) mods extract --profile dhsc-cld --key-env MODS_CLD_KEY export.ndjson
  mods extract --profile dhsc-cld --key-file key --format ndjson --out cld.ndjson records/

The key (at least 32 bytes; a final line ending is ignored) makes the person ids: the same
key gives the same id to the same person in every extract. It is read from the file or
the environment variable named, used, and never written anywhere. A summary (records,
rows, records naming no person, unreadable records) goes to stderr.

Exit status:
  0  every record was read
  1  some records could not be read: listed on stderr, counted in the summary
  2  an unknown profile, no key or a short key, a bad option, or a path that could not
     be read; these take precedence";

/// Options of `mods extract`.
#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// Record documents: JSON or NDJSON files, directories (walked for *.json, *.ndjson,
    /// *.jsonl), or `-` for standard input.
    #[arg(value_name = "INPUT", required = true)]
    pub paths: Vec<PathBuf>,
    /// The extract profile (`dhsc-cld`).
    #[arg(long, value_name = "NAME", required = true)]
    pub profile: String,
    /// A file holding the pseudonymisation key.
    #[arg(long, value_name = "FILE", conflicts_with = "key_env")]
    pub key_file: Option<PathBuf>,
    /// An environment variable holding the pseudonymisation key.
    #[arg(long, value_name = "VAR")]
    pub key_env: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExtractFormat::Csv)]
    pub format: ExtractFormat,
    /// Write the rows to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// The date ages are taken on for people with no event (YYYY-MM-DD; default today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// The MODS version the profile is checked against.
    #[arg(long = "version", alias = "mods-version", value_name = "VERSION")]
    pub mods_version: Option<String>,
    /// Read stdin as NDJSON instead of one JSON document.
    #[arg(long)]
    pub ndjson: bool,
    /// Write MODS codes in every column, untranslated (by default a column with one of
    /// the profile's code lists, such as Ethnicity, gets the collection's values).
    #[arg(long)]
    pub mods_codes: bool,
}

/// Output formats of `mods extract`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExtractFormat {
    /// A header row, then one row per person and event.
    Csv,
    /// One JSON object per person and event, keys in column order.
    Ndjson,
}

/// The key's bytes, from the file or the variable named; the message names only where it
/// was looked for.
fn key(args: &ExtractArgs) -> Result<Vec<u8>, String> {
    if let Some(path) = &args.key_file {
        return std::fs::read(path).map_err(|e| {
            format!(
                "cannot read the key file {}: {}",
                path.display(),
                crate::input::io_message(&e)
            )
        });
    }
    if let Some(var) = &args.key_env {
        return std::env::var_os(var)
            .map(|v| v.into_encoded_bytes())
            .ok_or_else(|| format!("the environment variable {var} is not set"));
    }
    Err("no pseudonymisation key: give --key-file FILE or --key-env VAR".into())
}

/// Run `mods extract`; returns the exit code.
pub fn run(args: &ExtractArgs) -> io::Result<u8> {
    let mut opts = ExtractOptions::default()
        .with_profile(args.profile.clone())
        .with_mods_codes(args.mods_codes);
    opts.version = args.mods_version.clone();
    opts.as_of = args.as_of.clone();
    // the profile first, so an unknown profile is said whatever the key
    if let Err(e) = mods_api::extractor(&opts, &[0u8; mods_api::MIN_KEY_BYTES]) {
        output::error(&e.to_string());
        return Ok(2);
    }
    let x = match key(args).map(|k| mods_api::extractor(&opts, &k)) {
        Ok(Ok(x)) => x,
        Ok(Err(e)) => {
            output::error(&e.to_string());
            return Ok(2);
        }
        Err(message) => {
            output::error(&message);
            return Ok(2);
        }
    };
    let mut out: Box<dyn Write> = match &args.out {
        Some(p) => Box::new(BufWriter::new(File::create(p)?)),
        None => Box::new(BufWriter::new(io::stdout().lock())),
    };
    let header = x.header().to_vec();
    if args.format == ExtractFormat::Csv {
        out.write_all(mods_core::mi::rows_csv(&header, &[]).as_bytes())?;
    }
    let (mut records, mut rows, mut unidentified, mut unreadable, mut path_errors) =
        (0u64, 0u64, 0u64, 0u64, 0u64);
    records::each(&args.paths, args.ndjson, |name, line, item| {
        match item {
            Item::Record(v) => {
                records += 1;
                let rr = x.rows(v);
                if !rr.identified {
                    unidentified += 1;
                    output::error(&format!(
                        "{}: no NHS number nor Subject of care uid; its rows have no person id",
                        shown(name, line)
                    ));
                }
                rows += rr.rows.len() as u64;
                match args.format {
                    ExtractFormat::Csv => {
                        out.write_all(mods_core::mi::rows_csv(&[], &rr.rows).as_bytes())?
                    }
                    ExtractFormat::Ndjson => {
                        for r in &rr.rows {
                            serde_json::to_writer(&mut out, &mods_api::row_object(&header, r))
                                .map_err(io::Error::other)?;
                            out.write_all(b"\n")?;
                        }
                    }
                }
            }
            Item::Unreadable(why) => {
                unreadable += 1;
                output::error(&format!("{}: {why}", shown(name, line)));
            }
            Item::PathError(why) => {
                path_errors += 1;
                output::error(&format!("{name}: {why}"));
            }
        }
        Ok(())
    })?;
    out.flush()?;
    eprintln!(
        "extract {}: {records} records, {rows} rows, {unidentified} naming no person, \
         {unreadable} unreadable",
        x.profile().name
    );
    Ok(if path_errors > 0 {
        2
    } else if unreadable > 0 {
        1
    } else {
        0
    })
}
