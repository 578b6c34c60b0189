//! # mods-fuzz
//!
//! The fuzz targets of mods-sdk as plain functions, with the oracles that judge each run.
//!
//! Each [`Target`] takes arbitrary bytes and returns an [`Outcome`], or a [`Finding`] when an
//! oracle fails. The same function is called by the libFuzzer binaries in `fuzz/` (nightly
//! Rust, `cargo fuzz`) and by this crate's stable tests, which replay the seed corpus built
//! from the repository ([`seeds`]), any committed corpus under `fuzz/corpus/<target>/` and
//! every saved reproducer under `fuzz/regressions/<target>/`. A regression therefore fails
//! `cargo test` on any machine with stable Rust. See `docs/fuzzing.md`.
//!
//! - [`targets`]: the five targets and their oracles.
//! - [`generate`]: a model-driven record generator (from [`arbitrary::Unstructured`]) whose
//!   records are mostly valid, so the migration and diff oracles run beyond parse errors.
//! - [`marker`]: the "no leak" oracle: values are rewritten to carry a marker character that
//!   no message, path or context may contain unless values were asked for.
//! - [`known`]: defects already known and being fixed elsewhere, recognised precisely so
//!   that fuzzing goes on past them; their reproducers must keep failing until the fix lands.
//! - [`dict`] and [`seeds`]: the libFuzzer dictionary and the seed corpus, both derived from
//!   the model and the repository, never hand-maintained.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod dict;
pub mod generate;
pub mod known;
pub mod marker;
pub mod pointer;
mod report;
pub mod seeds;
pub mod targets;

pub use known::KnownDefect;
pub use targets::Target;

use mods_core::ValidationOptions;
use std::collections::BTreeMap;
use std::fmt;

/// The date every target takes as today (`ValidationOptions::today`), so that a report,
/// and so every oracle's verdict, does not change with the day the fuzzer runs: the rules
/// that need a today (`implausible-date`) see this one. The generator's dates all lie
/// before it.
pub const TODAY: (i32, u32, u32) = (2026, 6, 1);

/// [`TODAY`] as a date.
pub fn today() -> chrono::NaiveDate {
    let (y, m, d) = TODAY;
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// The default validation options with [`TODAY`] as today: what the targets validate with.
pub fn options() -> ValidationOptions {
    ValidationOptions::default().with_today(today())
}

/// Strict validation with [`TODAY`] as today.
pub fn strict() -> ValidationOptions {
    ValidationOptions::strict().with_today(today())
}

/// How a target run is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Config {
    /// When an oracle fails in the precise way of a [`KnownDefect`], count it in
    /// [`Outcome::tolerated`] and go on instead of returning a [`Finding`]. On while fuzzing
    /// (so a known defect does not stop every run), off when a reproducer of a known defect is
    /// replayed to show it still fails.
    pub tolerate_known: bool,
}

impl Config {
    /// The configuration of the fuzzing binaries and of the seed replay: known defects are
    /// tolerated.
    pub const FUZZING: Config = Config {
        tolerate_known: true,
    };
    /// Every oracle failure is a finding.
    pub const STRICT: Config = Config {
        tolerate_known: false,
    };
}

/// What an oracle found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The oracle that failed, e.g. `report/valid-iff-error`.
    pub oracle: &'static str,
    /// What was seen (this is test output: it may show values of the input).
    pub detail: String,
    /// The known defect this failure is, when it matches one precisely.
    pub known: Option<KnownDefect>,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "oracle {} failed: {}", self.oracle, self.detail)?;
        if let Some(k) = self.known {
            write!(f, " [known defect {}: {}]", k.id(), k.description())?;
        }
        Ok(())
    }
}

impl std::error::Error for Finding {}

/// What a run that found nothing exercised.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Known defects met and tolerated (only with [`Config::tolerate_known`]).
    pub tolerated: Vec<KnownDefect>,
    /// How many times each oracle was actually checked, by name. The replay tests use it to
    /// show that the seeds reach the deep oracles (round trips, diffs), not only parse errors.
    pub checked: BTreeMap<&'static str, usize>,
}

impl Outcome {
    /// Add the counts of another run.
    pub fn merge(&mut self, other: Outcome) {
        self.tolerated.extend(other.tolerated);
        for (k, n) in other.checked {
            *self.checked.entry(k).or_default() += n;
        }
    }

    /// How many times `oracle` was checked.
    pub fn count(&self, oracle: &str) -> usize {
        self.checked.get(oracle).copied().unwrap_or(0)
    }
}

/// The state of one run: the configuration and what was checked so far.
pub(crate) struct Cx {
    cfg: Config,
    out: Outcome,
}

/// The result of one oracle check.
pub(crate) type Check = Result<(), Finding>;

impl Cx {
    pub(crate) fn new(cfg: Config) -> Self {
        Cx {
            cfg,
            out: Outcome::default(),
        }
    }

    /// Check one oracle: `ok` must hold; `detail` says what was seen when it does not.
    pub(crate) fn check(
        &mut self,
        oracle: &'static str,
        ok: bool,
        detail: impl FnOnce() -> String,
    ) -> Check {
        *self.out.checked.entry(oracle).or_default() += 1;
        if ok {
            Ok(())
        } else {
            Err(Finding {
                oracle,
                detail: detail(),
                known: None,
            })
        }
    }

    /// An oracle failed in the precise way of a known defect (unused while none is known).
    #[allow(dead_code)]
    pub(crate) fn known(
        &mut self,
        defect: KnownDefect,
        oracle: &'static str,
        detail: impl FnOnce() -> String,
    ) -> Check {
        if self.cfg.tolerate_known {
            self.out.tolerated.push(defect);
            Ok(())
        } else {
            Err(Finding {
                oracle,
                detail: detail(),
                known: Some(defect),
            })
        }
    }

    /// Count a check that needs no assertion of its own (a precondition reached).
    pub(crate) fn reached(&mut self, what: &'static str) {
        *self.out.checked.entry(what).or_default() += 1;
    }

    pub(crate) fn finish(self) -> Outcome {
        self.out
    }
}
