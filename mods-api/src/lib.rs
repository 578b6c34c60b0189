//! # mods-api
//!
//! The binding-neutral surface of **mods-sdk**: every operation the language bindings
//! (Python, Node, WebAssembly) offer, as functions over plain data, so that no binding
//! re-implements option handling, target resolution (record or class instance), report
//! shaping or error mapping. A binding converts its language's values to and from these
//! types and maps [`ErrorCode`] to its exception types; nothing else.
//!
//! - **In**: documents as [`Input`] (JSON bytes or text, read by the core's strict reader
//!   within the limits, or a parsed `serde_json::Value`); options as serde structs with
//!   defaults ([`ValidateOptions`], [`ExportOptions`], ...), built field by field or read
//!   from JSON with [`FromJson`] (an unknown name is `unknown-option`).
//! - **Out**: serialisable values: a [`Report`] (`valid`, `issues` with `code`, `severity`,
//!   `path` as an array, `pointer`, `message`, `context`, and `omitted`), the model's own
//!   serialisable types for look-ups, `serde_json::Value` for FHIR resources.
//! - **Errors**: one [`Error`] enum with a stable [`ErrorCode`] per kind (`invalid-json`,
//!   `limit`, `unknown-option`, `unknown-class`, `unknown-version`, ..., `internal-error`);
//!   it serialises as `{"code", "message", ...details}`.
//! - **Panics**: every function that reads input runs under [`mods_core::guard::catch`]; a
//!   panic (a bug) is [`Error::Internal`] (or an `internal-error` issue in a batch), with the
//!   location only, never the payload (it could quote the person's data). Call
//!   [`install_panic_hook`] once when the binding is loaded.
//!
//! No pyo3, napi or wasm-bindgen here: the crate builds for `wasm32-unknown-unknown`
//! (where [`validate_many`] runs on the calling thread and [`transfer_summary`] needs a
//! timestamp). See `docs/bindings.md`.
//!
//! ```
//! use mods_api::{validate, FromJson, ValidateOptions};
//!
//! let opts = ValidateOptions::from_json(r#"{"strict": true}"#)?.prepare()?;
//! let report = validate(r#"{"mods_version": "1.0"}"#, &opts)?;
//! assert!(!report.valid);
//! let json = serde_json::to_value(&report.issues[0]).unwrap();
//! assert_eq!(json["code"], "required-element-missing");
//! assert_eq!(json["path"], serde_json::json!(["subject_of_care"]));
//! assert_eq!(json["pointer"], "/subject_of_care");
//!
//! let err = ValidateOptions::from_json(r#"{"strikt": true}"#).unwrap_err();
//! assert_eq!(err.code().as_str(), "unknown-option");
//! # Ok::<(), mods_api::Error>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod conformance;
mod error;
mod fhir;
mod flows;
mod form;
mod legacy_import;
mod lookup;
mod mi;
mod naming;
mod options;
mod records;
mod report;
mod share;
mod validate;

pub use conformance::{
    conformance, conformance_csv, conformance_report, conformance_text, conformance_text_of,
    Assessment, Basis, ClassResult, ConformanceOptions, Gap, GapCode, ValidationStatus, CSV_HEADER,
};
pub use error::{Error, ErrorCode};
pub use fhir::{
    from_fhir, import_discharge, merge_gp_record, operation_outcome, to_fhir, transfer_summary,
    FromFhir, Merged,
};
pub use flows::*;
pub use form::{form_schema, validate_field, validate_instance, FormField, FormOption, FormSchema};
pub use legacy_import::{import_legacy, LegacyImportOptions, LegacyImported};
pub use lookup::{
    classes, codes, display, explain, glossary, glossary_term, issue_codes, latest_version,
    model_for, schema, search_codes, search_glossary, value_sets, versions, Code, Explanation,
};
pub use mi::{
    aggregate, aggregate_csv, aggregate_flat, aggregate_html, aggregate_rows, aggregate_text,
    aggregator, extract, extractor, mi_error, profile_names, row_object, AggregateOptions,
    Aggregator, Category, Extract, ExtractOptions, Extractor, FieldInfo, FlatRow, FlatTable, Key,
    Profile, RecordRows, Row, Suppression, Table, Unreadable, AGE_BANDS, MIN_KEY_BYTES,
};
pub use naming::{camel_case, camel_error};
pub use options::{
    DiffOptions, ExportOptions, FromJson, ImportOptions, LimitOptions, MergeOptions,
    MigrateOptions, TransferSummaryOptions, ValidateOptions, LIMIT_NAMES,
};
pub use records::{diff, diff_spec, migrate};
pub use report::{pointer_segments, Issue, PathSegment, Report};
pub use share::{share, share_components, share_purposes, ShareOptions, Shared};
pub use validate::{
    check_workers, is_valid, validate, validate_many, validate_report, BatchItem, Input,
    OfflineTerminology, Prepared, Target,
};

/// The version of mods-sdk (the crates share one).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Install the panic hook a binding needs: it records where a panic happened (for
/// [`Error::Internal`]) and prints nothing (a panic's message can quote the input). The
/// hook is global to the program, or to the shared library that links its own Rust
/// standard library (a Python extension, a Node addon): call this once when the binding
/// is loaded, never from a library.
pub fn install_panic_hook() {
    mods_core::guard::install_panic_hook(|_location| {});
}
