//! Validation of record documents and single class instances against the model.
//!
//! Validation never stops at the first problem: it walks the whole document and returns a
//! [`Report`] with every issue found (up to [`ValidationOptions::max_issues`], with a count
//! of the rest). The `is_valid_*` functions give the verdict alone and stop checking at the
//! first error. It is driven only by the model tables in [`crate::model`].
//!
//! One engine serves every entry point. It validates while it reads, in one pass, with
//! strings borrowed from the input and no tree built (`walk`): bytes are read by the
//! engine's own pull reader (`reader`), and a [`Value`] (or a typed record, written to a
//! `Value`) is walked in the same order, giving the same events (`source`), so a rule
//! exists once.
//! The rules that look at several records at once (references, the date of birth, the dose
//! rules) run after the pass over what it kept of each record (`records`).
//!
//! Issues are reported in the order of their JSON pointers (object keys by name, array
//! items by index), whatever the order of the keys in the input, so a document gets the
//! same report from its bytes and from its parsed `Value`. A report cut at `max_issues`
//! lists the first issues of the full report in that order.

use crate::issue::Report;
use crate::model::{self, ClassDef, ClassKind};
use crate::parse::{InputError, Limits};
use crate::terminology::TerminologyProvider;
use serde_json::Value;
use std::sync::Arc;

mod cx;
mod dates;
pub(crate) mod envelope;
pub(crate) mod identifier;
#[cfg(feature = "legacy-engine")]
#[doc(hidden)]
pub mod legacy;
mod plan;
mod reader;
pub(crate) mod records;
#[cfg(feature = "legacy-engine")]
#[doc(hidden)]
pub mod serde_pass;
mod source;
mod values;
mod walk;

pub(crate) use walk::parse_value;

/// The top-level key of a record document reserved for extensions (data kept by a
/// migration that the record's version cannot hold); see docs/record-format.md.
pub const EXTENSIONS: &str = "mods_extensions";

/// How unknown elements are treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Unknown elements are warnings (default).
    #[default]
    Lax,
    /// Unknown elements are errors.
    Strict,
}

/// Options for validation.
#[derive(Clone)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct ValidationOptions {
    /// Lax or strict treatment of unknown elements.
    pub mode: Mode,
    /// Put offending values in each issue's `context.value`. Off by default: records hold
    /// people's data, and reports travel into logs.
    pub include_values: bool,
    /// Most issues listed in a report; the rest are counted in `omitted`. Default 1,000.
    pub max_issues: usize,
    /// Limits on the input, for the `*_json` entry points.
    pub limits: Limits,
    /// Providers consulted, in order, for codes bound to terminologies that are not
    /// embedded (SNOMED CT, dm+d...). Empty by default: such codes are then checked for
    /// shape only.
    pub terminology: Vec<Arc<dyn TerminologyProvider>>,
    /// The date taken as today by the rules that need one (`implausible-date`: a birth or
    /// an event in the future, a birth more than 125 years ago). `None` (the default)
    /// takes the system clock's date in UTC; on `wasm32-unknown-unknown`, which has no
    /// clock, those rules are then skipped. Set it for reports that do not change with
    /// the day they are made.
    pub today: Option<chrono::NaiveDate>,
}

crate::__option_setters!(ValidationOptions {
    with_mode(mode: Mode);
    with_include_values(include_values: bool);
    with_max_issues(max_issues: usize);
    with_limits(limits: Limits);
});

impl std::fmt::Debug for ValidationOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ValidationOptions")
            .field("mode", &self.mode)
            .field("include_values", &self.include_values)
            .field("max_issues", &self.max_issues)
            .field("limits", &self.limits)
            .field(
                "terminology",
                &self
                    .terminology
                    .iter()
                    .map(|p| p.name())
                    .collect::<Vec<_>>(),
            )
            .field("today", &self.today)
            .finish()
    }
}

impl Default for ValidationOptions {
    fn default() -> Self {
        ValidationOptions {
            mode: Mode::Lax,
            include_values: false,
            max_issues: 1_000,
            limits: Limits::default(),
            terminology: Vec::new(),
            today: None,
        }
    }
}

impl ValidationOptions {
    /// Add a terminology provider, consulted after those already added.
    pub fn with_terminology(mut self, provider: Arc<dyn TerminologyProvider>) -> Self {
        self.terminology.push(provider);
        self
    }

    /// Take this date as today (see [`ValidationOptions::today`]).
    pub fn with_today(mut self, today: chrono::NaiveDate) -> Self {
        self.today = Some(today);
        self
    }

    /// Default options in strict mode.
    pub fn strict() -> Self {
        ValidationOptions {
            mode: Mode::Strict,
            ..Self::default()
        }
    }
}

/// Failure to start validating an instance: the class is not in the model.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InstanceError {
    /// No class of that technical name, or one that cannot be instantiated.
    #[error("`{0}` is not a record or component class of MODS {1}")]
    UnknownClass(String, &'static str),
    /// The input could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
}

/// Parse and validate a record document.
///
/// Returns `Err` only when the bytes cannot be read as JSON within the limits; everything
/// else, including a document that is not an object, is an issue in the report.
pub fn validate_record_json(bytes: &[u8], opts: &ValidationOptions) -> Result<Report, InputError> {
    walk::record_bytes(bytes, opts, walk::Wanted::Report)
}

/// Validate a record document already parsed into a [`Value`].
pub fn validate_record(doc: &Value, opts: &ValidationOptions) -> Report {
    walk::record_value(doc, opts, walk::Wanted::Report)
}

/// Parse and validate one instance of a class on its own (for example, the Alert a form
/// is editing), against the latest model.
pub fn validate_instance_json(
    class: &str,
    bytes: &[u8],
    opts: &ValidationOptions,
) -> Result<Report, InstanceError> {
    let class_def = instance_class(class)?;
    Ok(walk::instance_bytes(
        class_def,
        bytes,
        opts,
        walk::Wanted::Report,
    )?)
}

/// Validate one instance of a class on its own, against the latest model. References are
/// checked for shape only: the records they name are not there to resolve.
pub fn validate_instance(
    class: &str,
    value: &Value,
    opts: &ValidationOptions,
) -> Result<Report, InstanceError> {
    let class_def = instance_class(class)?;
    Ok(walk::instance_value(
        class_def,
        value,
        opts,
        walk::Wanted::Report,
    ))
}

/// Whether a record document is valid (no issue of severity error): the `valid` of
/// [`validate_record_json`]'s report, found for less. No issue is kept, and the first error
/// stops the checks: the rest of the document is only read, for its syntax and within the
/// limits, so input that cannot be read is the same `Err` as there; the rules that look at
/// several records at once run only when no error was met before them.
pub fn is_valid_record_json(bytes: &[u8], opts: &ValidationOptions) -> Result<bool, InputError> {
    walk::record_bytes(bytes, opts, walk::Wanted::Verdict).map(|r| r.valid)
}

/// Whether a record document already parsed is valid: the `valid` of [`validate_record`]'s
/// report, stopping at the first error (see [`is_valid_record_json`]).
pub fn is_valid_record(doc: &Value, opts: &ValidationOptions) -> bool {
    walk::record_value(doc, opts, walk::Wanted::Verdict).valid
}

/// Whether one instance of a class is valid: the `valid` of [`validate_instance_json`]'s
/// report, stopping at the first error (see [`is_valid_record_json`]).
pub fn is_valid_instance_json(
    class: &str,
    bytes: &[u8],
    opts: &ValidationOptions,
) -> Result<bool, InstanceError> {
    let class_def = instance_class(class)?;
    Ok(walk::instance_bytes(class_def, bytes, opts, walk::Wanted::Verdict)?.valid)
}

/// Whether one instance of a class, already parsed, is valid: the `valid` of
/// [`validate_instance`]'s report, stopping at the first error (see
/// [`is_valid_record_json`]).
pub fn is_valid_instance(
    class: &str,
    value: &Value,
    opts: &ValidationOptions,
) -> Result<bool, InstanceError> {
    let class_def = instance_class(class)?;
    Ok(walk::instance_value(class_def, value, opts, walk::Wanted::Verdict).valid)
}

/// What the dose rules (crate::dose_rules) found in a document, for a view of its doses
/// (crate::flows::mar): the same findings validation turns into issues, every one of them
/// (not cut at `max_issues`), and the medicines whose doses are under more than one
/// Medication record.
#[derive(Debug, Default)]
pub(crate) struct Doses {
    /// The dose rules ran (the document states a supported MODS version).
    pub(crate) ran: bool,
    /// The findings, in document order of the dose they are at.
    pub(crate) findings: Vec<crate::dose_rules::Finding>,
    /// The medicines whose doses are under more than one Medication record.
    pub(crate) shared: Vec<crate::dose_rules::SharedMedicine>,
}

/// Validate a record document already parsed, as [`validate_record`] does (the same report),
/// keeping what the dose rules found; `None` when they did not run.
pub(crate) fn record_value_with_doses(
    doc: &Value,
    opts: &ValidationOptions,
) -> (Report, Option<Doses>) {
    walk::record_value_doses(doc, opts)
}

fn instance_class(class: &str) -> Result<&'static ClassDef, InstanceError> {
    let m = model::latest();
    m.class(class)
        .filter(|c| c.kind != ClassKind::Abstract)
        .ok_or_else(|| InstanceError::UnknownClass(class.to_owned(), m.mods_version))
}
