//! # mods-core
//!
//! The core of **mods-sdk**: a typed, validated implementation of the Adult Social Care
//! Minimum Operational Data Standard (MODS, DAPB4102) for digital social care records in
//! England.
//!
//! - [`model`]: the MODS model (classes, elements, value sets, provenance), generated from
//!   the spec data in `mods-core/spec/`.
//! - [`generated`]: typed Rust classes for each MODS version, serde and schemars ready.
//! - [`validate_record_json`], [`validate_record`], [`validate_instance`]: validation that
//!   never stops at the first problem and returns a [`Report`] of [`Issue`]s, each with a
//!   stable [`IssueCode`], a JSON-pointer path, a [`Severity`] and a message that never
//!   contains the person's data.
//! - [`bcp47`]: BCP 47 language tags (RFC 5646), checked against the embedded IANA
//!   Language Subtag Registry.
//! - [`parse_json`]: strict, bounded JSON reading; malformed input is an [`InputError`].
//!
//! ```
//! use mods_core::{validate_record_json, ValidationOptions};
//!
//! let record = br#"{
//!   "mods_version": "1.0",
//!   "subject_of_care": {
//!     "record_uid": "soc-1", "version_number": 1, "nhs_number": "9434765918",
//!     "person_name": [{ "given_name": ["Arthur"], "family_name": "Green" }]
//!   }
//! }"#;
//! let report = validate_record_json(record, &ValidationOptions::default()).unwrap();
//! assert!(!report.valid);
//! assert_eq!(report.issues[0].code.as_str(), "nhs-number-check-digit");
//! assert_eq!(report.issues[0].path, "/subject_of_care/nhs_number");
//! assert!(!report.issues[0].message.contains("9434765918"));
//! ```
//!
//! The crate does no I/O, has no unsafe code, and compiles for `wasm32-unknown-unknown`.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

// The `fault-injection` feature makes chosen input panic, for the tests of the boundaries
// that must contain panics. It must never reach anything that is shipped or installed.
#[cfg(all(feature = "fault-injection", not(debug_assertions)))]
compile_error!(
    "the `fault-injection` feature of mods-core is for tests only: it makes chosen input \
     panic. It cannot be built with optimisations (release builds, `cargo install`, wheels)."
);

pub mod bcp47;
pub mod checks;
pub mod conformance;
mod dose_rules;
#[cfg(feature = "fault-injection")]
pub mod fault_injection;
pub mod flows;
pub mod form;
#[allow(missing_docs, clippy::all)]
pub mod generated;
pub mod glossary;
pub mod guard;
pub mod history;
pub mod issue;
pub mod mi;
pub mod migrate;
pub mod model;
pub mod parse;
pub mod schema;
mod setters;
pub mod share;
pub mod spec_diff;
pub mod terminology;
pub mod types;
mod uk_time;
pub mod validate;

pub use issue::{Issue, IssueCode, Report, Severity};
pub use parse::{parse_json, InputError, Limits};
pub use validate::{
    is_valid_instance, is_valid_instance_json, is_valid_record, is_valid_record_json,
    validate_instance, validate_instance_json, validate_record, validate_record_json,
    InstanceError, Mode, ValidationOptions,
};

/// Validate a typed [`generated::latest::Record`] built in code.
///
/// The record is serialised to JSON and validated like any other document, so the report
/// is the same one a file with the same content would get.
pub fn validate_typed(record: &generated::latest::Record, opts: &ValidationOptions) -> Report {
    match serde_json::to_value(record) {
        Ok(v) => validate_record(&v, opts),
        Err(e) => Report {
            valid: false,
            issues: vec![Issue {
                code: IssueCode::InputSyntax,
                severity: Severity::Error,
                path: String::new(),
                message: format!("the record could not be written as JSON: {e}"),
                context: Default::default(),
            }],
            omitted: 0,
        },
    }
}
