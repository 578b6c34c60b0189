//! Node binding of mods-sdk (the npm package `@mods-sdk/node`).
//!
//! Thin by design: every operation is a function of `mods-api` (the layer every binding
//! shares: options, target resolution, report shaping, error codes and messages). The
//! package's JavaScript (`index.js`) turns documents into bytes (a `Buffer` or
//! `Uint8Array` is borrowed as it is, without a copy) and options into JSON text with
//! camelCase names; these functions hand both to the layer and give back JSON text, which
//! `index.js` reads with `JSON.parse` (so a key such as `__proto__` in a result is a plain
//! own property, never a prototype). An error of the layer is thrown as a JavaScript
//! `Error` whose message is the layer's serialised error (`{"code", "message", ...}`),
//! which `index.js` turns into a `ModsError`.
//!
//! Every function runs under `mods_core::guard::catch`: a panic is the layer's
//! `internal-error`, never a crash of the Node process.
//!
//! The TypeScript signatures given here (`ts_args_type`, `ts_return_type`) are those of the
//! package's functions in `index.js`, which wrap these with the same names; the types they
//! name are declared in `lib/types.d.ts`, the header of the generated `index.d.ts`.

#![deny(clippy::unwrap_used)]

mod batch;
mod days;
pub use days::compare_days;
pub mod commission;
pub mod conformance;
pub mod legacy_import;
pub mod mi;
pub mod share;

pub use batch::{validate_many, Batch};

use mods_api::{Error, FromJson, OfflineTerminology, ValidateOptions};
use mods_core::guard;
use napi_derive::napi;
use serde::Serialize;
use serde_json::Value;

/// The binding's own Rust allocations (parsed records, reports, Bundles as `serde_json`
/// trees, the JSON text of results) go through mimalloc, as in the Python binding; the
/// figures with and without it are in the package's README.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// A panic records its location for the `internal-error` and prints nothing (its message
/// can quote the input). The hook belongs to this addon's own copy of the Rust standard
/// library.
#[napi_derive::module_init]
fn init() {
    mods_api::install_panic_hook();
}

/// The layer's error as the `Error` `index.js` recognises: its message is the serialised
/// error, `{"code": ..., "message": ..., ...details}`.
pub(crate) fn js_error(e: &Error) -> napi::Error {
    let text = serde_json::to_string(e)
        .unwrap_or_else(|_| format!(r#"{{"code":"{}","message":""}}"#, e.code()));
    napi::Error::from_reason(text)
}

/// Run `body` under the panic guard and give its result as JSON text.
pub(crate) fn json<T: Serialize>(body: impl FnOnce() -> Result<T, Error>) -> napi::Result<String> {
    json_text(|| {
        body().and_then(|v| {
            // a value the layer made always serialises; a failure would be a bug
            serde_json::to_string(&v).map_err(|_| guard::Panicked::unlocated().into())
        })
    })
}

/// Run `body`, which gives JSON text, under the panic guard.
pub(crate) fn json_text(body: impl FnOnce() -> Result<String, Error>) -> napi::Result<String> {
    let got = guard::catch(body);
    match got {
        Ok(Ok(text)) => Ok(text),
        Ok(Err(e)) => Err(js_error(&e)),
        Err(p) => Err(js_error(&Error::Internal(p))),
    }
}

/// An error of the layer that names an option in snake_case (`as_of`), named as the caller
/// spelt it (`asOf`).
fn camel<T>(r: Result<T, Error>) -> Result<T, Error> {
    r.map_err(mods_api::camel_error)
}

/// Options of type `T` from JSON text with camelCase names (none: the defaults).
fn options<T: FromJson>(text: Option<&str>) -> Result<T, Error> {
    T::from_camel_json(text.unwrap_or(""))
}

/// Validation options from JSON text with camelCase names, plus the binding's one extra
/// option, `terminology`: FHIR CodeSystem or ValueSet resources loaded into one offline
/// terminology for this call.
pub(crate) fn validate_options(text: Option<&str>) -> Result<ValidateOptions, Error> {
    let Some(text) = text else {
        return Ok(ValidateOptions::default());
    };
    let mut v: Value = serde_json::from_str(text).unwrap_or(Value::Null);
    let terminology = v.as_object_mut().and_then(|m| m.remove("terminology"));
    let mut o = ValidateOptions::from_camel_value(&v)?;
    if let Some(t) = terminology.filter(|t| !t.is_null()) {
        o.providers
            .push(OfflineTerminology::from_resources(&t)?.into_provider());
    }
    Ok(o)
}

// ------------------------------------------------------------------ validation

/// Validate one record document, or with `class` one instance of that class.
#[napi(
    ts_args_type = "input: Document, options?: ValidateOptions",
    ts_return_type = "Report"
)]
pub fn validate(input: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| {
        let opts = validate_options(options.as_deref())?.prepare()?;
        mods_api::validate(input, &opts)
    })
}

// ------------------------------------------------------------------ model, terminology, glossary

/// The MODS versions supported, oldest first.
#[napi(ts_args_type = "", ts_return_type = "string[]")]
pub fn versions() -> napi::Result<String> {
    json(|| Ok(mods_api::versions()))
}

/// The MODS version in force (the default of every look-up).
#[napi(ts_args_type = "", ts_return_type = "string")]
pub fn latest_version() -> napi::Result<String> {
    json(|| Ok(mods_api::latest_version()))
}

/// The classes of a MODS version (name, technical_name, group, kind, elements, provenance...).
#[napi(
    ts_args_type = "options?: VersionOptions",
    ts_return_type = "ClassDef[]"
)]
pub fn classes(version: Option<String>) -> napi::Result<String> {
    json(|| mods_api::classes(version.as_deref()))
}

/// The embedded value sets of a MODS version.
#[napi(
    ts_args_type = "options?: VersionOptions",
    ts_return_type = "ValueSetDef[]"
)]
pub fn value_sets(version: Option<String>) -> napi::Result<String> {
    json(|| mods_api::value_sets(version.as_deref()))
}

/// The codes of an embedded value set (id or URL), in display order.
#[napi(
    ts_args_type = "valueSet: string, options?: VersionOptions",
    ts_return_type = "Code[]"
)]
pub fn codes(value_set: String, version: Option<String>) -> napi::Result<String> {
    json(|| mods_api::codes(&value_set, version.as_deref()))
}

/// The display of a code in an embedded value set, or `null` when the code is not in it.
#[napi(
    ts_args_type = "valueSet: string, code: string, options?: VersionOptions",
    ts_return_type = "string | null"
)]
pub fn display(value_set: String, code: String, version: Option<String>) -> napi::Result<String> {
    json(|| mods_api::display(&value_set, &code, version.as_deref()))
}

/// Codes whose display contains `text` (case-insensitive) or whose code is `text`, in one
/// embedded value set or all of them.
#[napi(
    ts_args_type = "text: string, options?: SearchCodesOptions",
    ts_return_type = "Code[]"
)]
pub fn search_codes(
    text: String,
    value_set: Option<String>,
    version: Option<String>,
) -> napi::Result<String> {
    json(|| mods_api::search_codes(&text, value_set.as_deref(), version.as_deref()))
}

/// The glossary of agreed MODS terms (`{terms: [...]}`).
#[napi(ts_args_type = "", ts_return_type = "Glossary")]
pub fn glossary() -> napi::Result<String> {
    json(|| Ok(mods_api::glossary()))
}

/// One glossary term by id, preferred term or synonym (case-insensitive).
#[napi(ts_args_type = "term: string", ts_return_type = "GlossaryTerm")]
pub fn glossary_term(term: String) -> napi::Result<String> {
    json(|| mods_api::glossary_term(&term))
}

/// Glossary terms whose term, synonyms or definition contain `text`.
#[napi(ts_args_type = "text: string", ts_return_type = "GlossaryTerm[]")]
pub fn search_glossary(text: String) -> napi::Result<String> {
    json(|| mods_api::search_glossary(&text))
}

/// What an issue code means: title, explanation, severity.
#[napi(ts_args_type = "code: string", ts_return_type = "Explanation")]
pub fn explain(code: String) -> napi::Result<String> {
    json(|| mods_api::explain(&code))
}

/// Every code of the issue catalogue.
#[napi(ts_args_type = "", ts_return_type = "string[]")]
pub fn issue_codes() -> napi::Result<String> {
    json(|| Ok(mods_api::issue_codes()))
}

/// The JSON Schema (draft 2020-12) of the record document of a MODS version, or of one class.
#[napi(ts_args_type = "options?: SchemaOptions", ts_return_type = "object")]
pub fn schema(version: Option<String>, class: Option<String>) -> napi::Result<String> {
    json(|| mods_api::schema(version.as_deref(), class.as_deref()))
}

// ------------------------------------------------------------------ versions and history

/// A record migrated to MODS version `to`, with what changed.
#[napi(
    ts_args_type = "record: Document, to: string, options?: MigrateOptions",
    ts_return_type = "Migration"
)]
pub fn migrate(record: &[u8], to: String, options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::migrate(record, &to, &self::options(options.as_deref())?))
}

/// What changed between two versions of a record.
#[napi(
    ts_args_type = "before: Document, after: Document, options?: DiffOptions",
    ts_return_type = "RecordDiff"
)]
pub fn diff(before: &[u8], after: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::diff(before, after, &self::options(options.as_deref())?))
}

/// What changed in the model between two MODS versions.
#[napi(ts_args_type = "from: string, to: string", ts_return_type = "object")]
pub fn diff_spec(from: String, to: String) -> napi::Result<String> {
    json(|| mods_api::diff_spec(&from, &to))
}

// ------------------------------------------------------------------ care flows: mar

/// A person's medication administration record for a day (or `date` to `options.to`):
/// every dose, who gave it, and every warning (docs/flows/mar.md).
#[napi(
    ts_args_type = "record: Document, date: string, options?: MarOptions",
    ts_return_type = "MarView"
)]
pub fn mar(record: &[u8], date: String, options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::mar(record, &date, &self::options(options.as_deref())?))
}

/// The view made by `mar` as text for a person to read (what `mods mar` prints).
#[napi(
    ts_args_type = "view: MarView | string | Buffer",
    ts_return_type = "string"
)]
pub fn mar_text(view: &[u8]) -> napi::Result<String> {
    json(|| mods_api::mar_text_of(view))
}

// ------------------------------------------------------------------ FHIR

/// A MODS 1.0 record as a FHIR R4 Bundle with UK Core profiles.
#[napi(
    ts_args_type = "record: Document, options?: ToFhirOptions",
    ts_return_type = "FhirResource"
)]
pub fn to_fhir(record: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::to_fhir(record, &self::options(options.as_deref())?))
}

/// The hospital transfer summary ("Red Bag") of a record: a FHIR `document` Bundle.
#[napi(
    ts_args_type = "record: Document, options?: TransferSummaryOptions",
    ts_return_type = "FhirResource"
)]
pub fn transfer_summary(record: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::transfer_summary(record, &self::options(options.as_deref())?))
}

/// A FHIR R4 Bundle (or one resource) imported as a MODS record, with a report.
#[napi(
    ts_args_type = "bundle: Document, options?: FromFhirOptions",
    ts_return_type = "FromFhir"
)]
pub fn from_fhir(bundle: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::from_fhir(bundle, &self::options(options.as_deref())?))
}

/// A GP system's FHIR Bundle merged into an existing record.
#[napi(
    ts_args_type = "record: Document, bundle: Document, options?: MergeOptions",
    ts_return_type = "Merged"
)]
pub fn merge_gp_record(
    record: &[u8],
    bundle: &[u8],
    options: Option<String>,
) -> napi::Result<String> {
    json(|| mods_api::merge_gp_record(record, bundle, &self::options(options.as_deref())?))
}

/// A hospital's discharge Bundle merged into an existing record.
#[napi(
    ts_args_type = "record: Document, bundle: Document, options?: MergeOptions",
    ts_return_type = "Merged"
)]
pub fn import_discharge(
    record: &[u8],
    bundle: &[u8],
    options: Option<String>,
) -> napi::Result<String> {
    json(|| mods_api::import_discharge(record, bundle, &self::options(options.as_deref())?))
}

/// Discharge information merged into the record's care plan, each change logged; what
/// changed at home after the admission is kept and reported (docs/flows/discharge.md).
/// `base` is the record as it was at admission (`index.js` takes it from `options.base`).
#[napi(
    ts_args_type = "record: Document, discharge: Document, options: MergeDischargeOptions",
    ts_return_type = "MergedDischarge"
)]
pub fn merge_discharge(
    record: &[u8],
    discharge: &[u8],
    base: Option<napi::bindgen_prelude::Uint8Array>,
    options: Option<String>,
) -> napi::Result<String> {
    json(|| {
        let base = base.as_deref().map(mods_api::Input::from);
        mods_api::merge_discharge(record, discharge, base, &self::options(options.as_deref())?)
    })
}

/// A record's validation report as a FHIR OperationOutcome.
#[napi(ts_args_type = "record: Document", ts_return_type = "FhirResource")]
pub fn operation_outcome(record: &[u8]) -> napi::Result<String> {
    json(|| mods_api::operation_outcome(record))
}

/// The version of mods-sdk.
#[napi(ts_args_type = "", ts_return_type = "string")]
pub fn core_version() -> String {
    mods_api::VERSION.to_owned()
}
