//! `mods`: validate MODS records, explain issue codes, list the model's classes, value
//! sets and glossary.
//!
//! See `docs/cli.md` for the full description of the commands, their options, output
//! formats and exit codes.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod aggregate;
mod classes;
mod cli;
mod codes;
mod commission;
mod completions;
mod conformance;
mod days;
mod discharge;
mod explain;
mod extract;
mod fhir;
mod glossary;
mod history;
mod import;
mod input;
mod man;
mod mar;
mod output;
mod records;
mod schema;
mod share;
mod suggest;
mod validate;

use clap::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

fn main() -> ExitCode {
    // A panic (a bug) prints one fixed sentence with its location, never its message, which
    // can quote the input; each command contains panics record by record (exit status 2).
    mods_core::guard::install_panic_hook(announce_panic);
    let cli = cli::Cli::parse();
    // The last net: a panic outside any record's guard still ends with status 2, not 101.
    let Ok(result) = mods_core::guard::catch(|| run(&cli)) else {
        return ExitCode::from(2);
    };
    match result {
        Ok(code) => ExitCode::from(code),
        // The reader went away (`mods explain --all | head`): stop quietly.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            output::error(&format!("cannot write the output: {e}"));
            ExitCode::from(2)
        }
    }
}

/// The panic hook's message on stderr: fixed text and the location only.
fn announce_panic(location: Option<&str>) {
    output::error(&format!(
        "internal error (a bug in mods-sdk) at {}; please report it with this location. \
         Its message is not shown, since it can quote the input",
        location.unwrap_or("an unknown location")
    ));
}

/// Run the subcommand; returns its exit code.
fn run(cli: &cli::Cli) -> io::Result<u8> {
    match &cli.command {
        cli::Command::Validate(args) => validate::run(args),
        cli::Command::Explain(args) => with_stdout(|out| explain::run(args, out)),
        cli::Command::Classes(args) => with_stdout(|out| classes::run(args, out)),
        cli::Command::Codes(args) => with_stdout(|out| codes::run(args, out)),
        cli::Command::Glossary(args) => with_stdout(|out| glossary::run(args, out)),
        cli::Command::Schema(args) => with_stdout(|out| schema::run(args, out)),
        cli::Command::Migrate(args) => history::migrate(args),
        cli::Command::DiffSpec(args) => with_stdout(|out| history::diff_spec(args, out)),
        cli::Command::Diff(args) => with_stdout(|out| history::diff(args, out)),
        cli::Command::Fhir(args) => fhir::run(args),
        cli::Command::Mar(args) => with_stdout(|out| mar::run(args, out)),
        cli::Command::CompareDays(args) => with_stdout(|out| days::run(args, out)),
        cli::Command::MergeDischarge(args) => discharge::run(args),
        cli::Command::Commission(args) => commission::run(args),
        cli::Command::Conformance(args) => conformance::run(args),
        cli::Command::Share(args) => share::run(args),
        cli::Command::Import(args) => import::run(args),
        cli::Command::Aggregate(args) => aggregate::run(args),
        cli::Command::Extract(args) => extract::run(args),
        cli::Command::Completions(args) => with_stdout(|out| completions::run(args, out)),
        cli::Command::Man(args) => with_stdout(|out| man::run(args, out)),
    }
}

/// Run `f` with a buffered stdout, flushing it afterwards.
fn with_stdout(
    f: impl FnOnce(&mut io::BufWriter<io::StdoutLock<'static>>) -> io::Result<u8>,
) -> io::Result<u8> {
    let mut out = io::BufWriter::new(io::stdout().lock());
    let code = f(&mut out)?;
    out.flush()?;
    Ok(code)
}
