//! The fuzz targets. Each takes any bytes and runs its oracles; see `docs/fuzzing.md`.

mod diff;
mod fhir;
mod generated;
mod instance;
mod migrate;
mod record;

use crate::{Config, Finding, Outcome};

/// A fuzz target. Its [`name`](Target::name) is the name of the libFuzzer binary in
/// `fuzz/fuzz_targets/` and of its directories under `fuzz/corpus/` and `fuzz/regressions/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// Bytes as a record document: `validate_record_json` and the report oracles.
    ValidateRecordJson,
    /// A class technical name, a newline, then bytes as one instance of that class:
    /// `validate_instance_json` and the report oracles.
    ValidateInstanceJson,
    /// Bytes as a record document: `migrate` to every version under both loss policies, and
    /// the round trips of valid records.
    Migrate,
    /// Bytes as a record document: `diff_records` of the record with itself and with a
    /// rewritten copy.
    DiffRecords,
    /// Bytes as choices of the model-driven generator ([`crate::generate`]): every oracle of
    /// the other targets on a record that is most often valid.
    GeneratedRecord,
    /// Bytes as a FHIR Bundle (or one resource): `mods_fhir::from_fhir`, its report, and the
    /// round trip of what it reads.
    FhirImport,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 6] = [
        Target::ValidateRecordJson,
        Target::ValidateInstanceJson,
        Target::Migrate,
        Target::DiffRecords,
        Target::GeneratedRecord,
        Target::FhirImport,
    ];

    /// The target's name.
    pub fn name(self) -> &'static str {
        match self {
            Target::ValidateRecordJson => "validate_record_json",
            Target::ValidateInstanceJson => "validate_instance_json",
            Target::Migrate => "migrate",
            Target::DiffRecords => "diff_records",
            Target::GeneratedRecord => "generated_record",
            Target::FhirImport => "fhir_import",
        }
    }

    /// The target of a name.
    pub fn from_name(name: &str) -> Option<Target> {
        Target::ALL.into_iter().find(|t| t.name() == name)
    }

    /// Run the target on `data`: `Ok` with what was checked, or the first oracle that
    /// failed. It must never panic; a panic is a finding too (the fuzzer reports it as a
    /// crash, the replay tests as a failed test).
    pub fn run(self, data: &[u8], cfg: Config) -> Result<Outcome, Finding> {
        let mut cx = crate::Cx::new(cfg);
        match self {
            Target::ValidateRecordJson => record::run(&mut cx, data),
            Target::ValidateInstanceJson => instance::run(&mut cx, data),
            Target::Migrate => migrate::run(&mut cx, data),
            Target::DiffRecords => diff::run(&mut cx, data),
            Target::GeneratedRecord => generated::run(&mut cx, data),
            Target::FhirImport => fhir::run(&mut cx, data),
        }?;
        Ok(cx.finish())
    }

    /// Run the target as a libFuzzer binary does: known defects tolerated (unless the
    /// environment variable `MODS_FUZZ_REPORT_KNOWN` is set), any finding a panic with the
    /// oracle's message (which libFuzzer reports as a crash and saves).
    pub fn fuzz(self, data: &[u8]) {
        static CONFIG: std::sync::OnceLock<Config> = std::sync::OnceLock::new();
        let cfg = *CONFIG.get_or_init(|| match std::env::var_os("MODS_FUZZ_REPORT_KNOWN") {
            Some(_) => Config::STRICT,
            None => Config::FUZZING,
        });
        if let Err(f) = self.run(data, cfg) {
            panic!("{} found: {f}", self.name());
        }
    }
}
