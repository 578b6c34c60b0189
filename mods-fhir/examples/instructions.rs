//! One operation on one record, repeated: the program `scripts/instructions` runs under
//! callgrind to count the instructions an operation costs (a count that does not depend on
//! the machine's load, so CI can hold it to a budget).
//!
//! `cargo run --release -p mods-fhir --example instructions -- OP RECORD.json N` with OP one
//! of `validate` (`mods_core::validate_record`), `to_fhir` (a collection Bundle) or
//! `from_fhir` (that Bundle's JSON bytes back to a record). The input is read and prepared
//! (and the operation run once, to warm the model tables) before the N timed repetitions.

use mods_fhir::{from_fhir, to_fhir, ExportOptions, ImportOptions};
use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [op, path, n] = args.as_slice() else {
        eprintln!("usage: instructions validate|to_fhir|from_fhir RECORD.json N");
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a whole number");
        return ExitCode::from(2);
    };
    let record: serde_json::Value = match std::fs::read(path)
        .map_err(|e| e.to_string())
        .and_then(|b| serde_json::from_slice(&b).map_err(|e| e.to_string()))
    {
        Ok(v) => v,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let export = ExportOptions::default();
    let import = ImportOptions::default();
    let Ok(bundle) = to_fhir(&record, &export) else {
        eprintln!("{path} does not export (is it a valid MODS 1.0 record?)");
        return ExitCode::from(2);
    };
    let Ok(bytes) = serde_json::to_vec(&bundle) else {
        return ExitCode::from(2);
    };
    let run = |k: usize| {
        for _ in 0..k {
            match op.as_str() {
                "validate" => drop(black_box(mods_core::validate_record(
                    black_box(&record),
                    &import.validation,
                ))),
                "to_fhir" => drop(black_box(to_fhir(black_box(&record), &export))),
                _ => drop(black_box(from_fhir(black_box(&bytes), &import))),
            }
        }
    };
    if !matches!(op.as_str(), "validate" | "to_fhir" | "from_fhir") {
        eprintln!("unknown operation {op}");
        return ExitCode::from(2);
    }
    run(1);
    run(n);
    ExitCode::SUCCESS
}
