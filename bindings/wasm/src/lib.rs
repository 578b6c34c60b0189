//! WebAssembly binding of mods-sdk (npm package `mods-sdk-wasm`, built by `npm run build`
//! in `bindings/wasm` for the browser, `pkg-web/`, and Node, `pkg-node/`).
//!
//! Thin by design: every operation is a function of `mods-api` (the layer every binding
//! shares); this crate converts JavaScript values to the layer's plain types and back
//! (`convert.rs`) and turns the layer's errors into JS `Error`s. No rule or message is
//! written here. See `bindings/wasm/README.md` and `docs/bindings.md`.
//!
//! Documents are a `Uint8Array` of UTF-8 JSON, a JSON string or a plain object; options
//! are plain objects with the layer's JSON names (`{strict: true, max_issues: 10}`).
//! Errors are `Error`s named `ModsError` with the layer's `code` (`invalid-json`,
//! `unknown-class`...) and details; a JS value JSON cannot hold is a `TypeError` with code
//! `invalid-value`; `check` throws a `ModsValidationError` with `.issues`.
//!
//! A panic (a bug) on `wasm32-unknown-unknown` aborts the call with a `RuntimeError`
//! (the target cannot unwind); the module should then be loaded again.

#![forbid(unsafe_code)]

mod clock;
mod commission;
#[cfg(feature = "conformance")]
mod conformance;
mod convert;
mod days;
#[cfg(feature = "legacy-import")]
mod legacy_import;
#[cfg(feature = "mi")]
mod mi;
#[cfg(feature = "share")]
mod share;
pub use commission::{commission_accept, commission_package};
#[cfg(feature = "conformance")]
pub use conformance::{conformance, conformance_text};
pub use days::compare_days;
#[cfg(feature = "legacy-import")]
pub use legacy_import::import_legacy;
#[cfg(feature = "mi")]
pub use mi::{aggregate, aggregate_csv, aggregate_html, aggregate_text, extract, extract_profiles};
#[cfg(feature = "share")]
pub use share::{share, share_components, share_purposes};

use convert::{doc, error, optional, options, out, to_js, validation_error};
use mods_api::{FromJson, Prepared, ValidateOptions};
use wasm_bindgen::prelude::*;

type Js = Result<JsValue, JsValue>;

/// Runs once when the module is instantiated: the layer's panic hook (it prints nothing,
/// as a panic's message could quote the input).
#[wasm_bindgen(start)]
fn start() {
    mods_api::install_panic_hook();
}

/// The version of mods-sdk.
#[wasm_bindgen]
pub fn version() -> String {
    mods_api::VERSION.to_owned()
}

/// Validation options from a JS object; `terminology` (FHIR CodeSystem or ValueSet
/// resources, loaded into one offline terminology for the call) is read here, the rest by
/// the layer.
fn validate_options(opts: &JsValue) -> Result<ValidateOptions, JsValue> {
    let mut v = optional(opts, "options")?.unwrap_or(serde_json::Value::Null);
    let resources = v.as_object_mut().and_then(|o| o.remove("terminology"));
    let mut o = ValidateOptions::from_camel_value(&v).map_err(|e| error(&e))?;
    // as on every other target, today defaults to the clock's date in UTC (the core has no
    // clock on wasm32-unknown-unknown; JavaScript has)
    if o.today.is_none() {
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        o.today = now.get(..10).map(str::to_owned);
    }
    match resources {
        None | Some(serde_json::Value::Null) => {}
        Some(serde_json::Value::Array(list)) => {
            let mut t = mods_api::OfflineTerminology::new();
            for r in &list {
                let bytes = serde_json::to_vec(r).unwrap_or_default();
                t.load_fhir_json(&bytes).map_err(|e| error(&e))?;
            }
            o.providers.push(t.into_provider());
        }
        Some(_) => {
            return Err(js_sys::TypeError::new(
                "options.terminology must be an array of FHIR CodeSystem or ValueSet resources",
            )
            .into())
        }
    }
    Ok(o)
}

fn prepared(opts: &JsValue) -> Result<Prepared, JsValue> {
    validate_options(opts)?.prepare().map_err(|e| error(&e))
}

// ------------------------------------------------------------------ validation

/// Validate one record document (or, with `{class: "alert"}`, one instance of a class).
/// Throws when the input cannot be read (`invalid-json`, `limit`) or an option is wrong.
#[wasm_bindgen(skip_typescript)]
pub fn validate(input: &JsValue, opts: &JsValue) -> Js {
    let opts = prepared(opts)?;
    let d = doc(input, "the record")?;
    out(mods_api::validate(d.input(), &opts))
}

/// Validate many documents on the calling thread (WebAssembly has no threads here), one
/// report per document; a document that cannot be read gets a report with its `input-*`
/// issue.
#[wasm_bindgen(js_name = validateMany, skip_typescript)]
pub fn validate_many(inputs: &JsValue, opts: &JsValue) -> Js {
    let opts = prepared(opts)?;
    let arr = inputs
        .dyn_ref::<js_sys::Array>()
        .ok_or_else(|| js_sys::TypeError::new("inputs must be an array of documents"))?;
    let reports = js_sys::Array::new();
    for (i, item) in arr.iter().enumerate() {
        let d = doc(&item, &format!("inputs[{i}]"))?;
        reports.push(&to_js(&mods_api::validate_report(d.input(), &opts))?);
    }
    Ok(reports.into())
}

/// Validate and return the report when the document is valid; otherwise throw a
/// `ModsValidationError` with `.issues`.
#[wasm_bindgen(skip_typescript)]
pub fn check(input: &JsValue, opts: &JsValue) -> Js {
    let opts = prepared(opts)?;
    let d = doc(input, "the record")?;
    let report = mods_api::validate(d.input(), &opts).map_err(|e| error(&e))?;
    if !report.valid {
        return Err(validation_error(&report));
    }
    to_js(&report)
}

// ------------------------------------------------------------------ forms

/// The fields of a record or component class, in order, with label, description, type,
/// occurrence, value-set options and input hints. `opts`: `{version}`.
#[wasm_bindgen(js_name = formSchema, skip_typescript)]
pub fn form_schema(class_name: &str, opts: &JsValue) -> Js {
    let version = optional(opts, "options")?
        .and_then(|o| o.get("version").cloned())
        .filter(|v| !v.is_null());
    let version = match version {
        None => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(_) => return Err(js_sys::TypeError::new("options.version must be a string").into()),
    };
    out(mods_api::form_schema(class_name, version.as_deref()))
}

/// One field's issues (the element's issues from whole-instance validation): `value` is
/// the field's JSON value (`null` or `undefined`: empty), `context` the form's other
/// values (or `undefined`), `opts` validation options.
#[wasm_bindgen(js_name = validateField, skip_typescript)]
pub fn validate_field(
    class_name: &str,
    element: &str,
    value: &JsValue,
    context: &JsValue,
    opts: &JsValue,
) -> Js {
    let opts = prepared(opts)?;
    let value = convert::value(value, "the value")?;
    let context = optional(context, "the context")?;
    out(mods_api::validate_field(
        class_name,
        element,
        &value,
        context.as_ref().map(mods_api::Input::Value),
        &opts,
    ))
}

/// Validate a whole form: one instance of a class.
#[wasm_bindgen(js_name = validateInstance, skip_typescript)]
pub fn validate_instance(class_name: &str, instance: &JsValue, opts: &JsValue) -> Js {
    let opts = validate_options(opts)?;
    let d = doc(instance, "the instance")?;
    out(mods_api::validate_instance(class_name, d.input(), &opts))
}

// ------------------------------------------------------------------ versions and history

/// Migrate a record to MODS version `to`. `opts`: `{keep_lost}`.
#[wasm_bindgen(skip_typescript)]
pub fn migrate(input: &JsValue, to: &str, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let d = doc(input, "the record")?;
    out(mods_api::migrate(d.input(), to, &o))
}

/// What changed between two versions of a record. `opts`: `{include_values,
/// include_audit}`.
#[wasm_bindgen(skip_typescript)]
pub fn diff(old: &JsValue, new: &JsValue, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let (a, b) = (doc(old, "the old record")?, doc(new, "the new record")?);
    out(mods_api::diff(a.input(), b.input(), &o))
}

/// The differences between two MODS versions of the model.
#[wasm_bindgen(js_name = diffSpec, skip_typescript)]
pub fn diff_spec(a: &str, b: &str) -> Js {
    out(mods_api::diff_spec(a, b))
}

/// The JSON Schema of the record document of `version` (default: latest), or of one
/// class.
#[wasm_bindgen(skip_typescript)]
pub fn schema(version: Option<String>, class_name: Option<String>) -> Js {
    out(mods_api::schema(version.as_deref(), class_name.as_deref()))
}

// ------------------------------------------------------------------ look-ups

/// The supported MODS versions, oldest first.
#[wasm_bindgen(skip_typescript)]
pub fn versions() -> Js {
    to_js(&mods_api::versions())
}

/// The MODS version in force.
#[wasm_bindgen(js_name = latestVersion)]
pub fn latest_version() -> String {
    mods_api::latest_version().to_owned()
}

/// The classes of a MODS version.
#[wasm_bindgen(skip_typescript)]
pub fn classes(version: Option<String>) -> Js {
    out(mods_api::classes(version.as_deref()))
}

/// The embedded value sets of a MODS version.
#[wasm_bindgen(js_name = valueSets, skip_typescript)]
pub fn value_sets(version: Option<String>) -> Js {
    out(mods_api::value_sets(version.as_deref()))
}

/// The codes of an embedded value set (id or URL).
#[wasm_bindgen(skip_typescript)]
pub fn codes(value_set: &str, version: Option<String>) -> Js {
    out(mods_api::codes(value_set, version.as_deref()))
}

/// The display of a code of an embedded value set, or `null`.
#[wasm_bindgen(skip_typescript)]
pub fn display(value_set: &str, code: &str, version: Option<String>) -> Js {
    out(mods_api::display(value_set, code, version.as_deref()))
}

/// Codes whose display or code contains `text`, in one value set or all.
#[wasm_bindgen(js_name = searchCodes, skip_typescript)]
pub fn search_codes(text: &str, value_set: Option<String>, version: Option<String>) -> Js {
    out(mods_api::search_codes(
        text,
        value_set.as_deref(),
        version.as_deref(),
    ))
}

/// The glossary, or one term of it.
#[wasm_bindgen(skip_typescript)]
pub fn glossary(term: Option<String>) -> Js {
    match term {
        None => to_js(mods_api::glossary()),
        Some(t) => out(mods_api::glossary_term(&t)),
    }
}

/// Glossary terms matching `text`.
#[wasm_bindgen(js_name = searchGlossary, skip_typescript)]
pub fn search_glossary(text: &str) -> Js {
    out(mods_api::search_glossary(text))
}

/// An issue code's title, severity and explanation.
#[wasm_bindgen(skip_typescript)]
pub fn explain(code: &str) -> Js {
    out(mods_api::explain(code))
}

/// Every issue code.
#[wasm_bindgen(js_name = issueCodes, skip_typescript)]
pub fn issue_codes() -> Js {
    to_js(&mods_api::issue_codes())
}

// ------------------------------------------------------------------ FHIR

/// A record as a FHIR R4 Bundle (UK Core). `opts`: `{type, profiles, timestamp,
/// allow_invalid}`.
#[wasm_bindgen(js_name = toFhir, skip_typescript)]
pub fn to_fhir(record: &JsValue, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let d = doc(record, "the record")?;
    out(mods_api::to_fhir(d.input(), &o))
}

/// The hospital transfer summary of a record (a FHIR document Bundle). `opts`:
/// `{timestamp, profiles, allow_invalid}` (`timestamp` is required: WebAssembly has no
/// clock here).
#[wasm_bindgen(js_name = transferSummary, skip_typescript)]
pub fn transfer_summary(record: &JsValue, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let d = doc(record, "the record")?;
    out(mods_api::transfer_summary(d.input(), &o))
}

/// A person's medication administration record for a day (or `date` to `opts.to`): every
/// dose, who gave it, and every warning (docs/flows/mar.md). `opts`: `{to, strict,
/// includeValues, today}` (no clock here: pass `today` for the validation rules that need
/// one, or they are skipped).
#[wasm_bindgen(js_name = mar, skip_typescript)]
pub fn mar(record: &JsValue, date: &str, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let d = doc(record, "the record")?;
    out(mods_api::mar(d.input(), date, &o))
}

/// The view made by `mar` as text for a person to read (what `mods mar` prints).
#[wasm_bindgen(js_name = marText, skip_typescript)]
pub fn mar_text(view: &JsValue) -> Js {
    let d = doc(view, "the view")?;
    out(mods_api::mar_text_of(d.input()))
}

/// A FHIR Bundle read into a MODS record. `opts`: `{keep_unmapped}`.
#[wasm_bindgen(js_name = fromFhir, skip_typescript)]
pub fn from_fhir(bundle: &JsValue, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let d = doc(bundle, "the bundle")?;
    out(mods_api::from_fhir(d.input(), &o))
}

/// A GP record Bundle merged into a MODS record. `opts`: `{date}`.
#[wasm_bindgen(js_name = mergeGpRecord, skip_typescript)]
pub fn merge_gp_record(record: &JsValue, bundle: &JsValue, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let (r, b) = (doc(record, "the record")?, doc(bundle, "the bundle")?);
    out(mods_api::merge_gp_record(r.input(), b.input(), &o))
}

/// A hospital discharge Bundle merged into a MODS record. `opts`: `{date}`.
#[wasm_bindgen(js_name = importDischarge, skip_typescript)]
pub fn import_discharge(record: &JsValue, bundle: &JsValue, opts: &JsValue) -> Js {
    let o = options(opts)?;
    let (r, b) = (doc(record, "the record")?, doc(bundle, "the bundle")?);
    out(mods_api::import_discharge(r.input(), b.input(), &o))
}

/// Discharge information merged into the record's care plan, each change logged; what
/// changed at home after the admission is kept and reported (docs/flows/discharge.md).
/// `opts`: `{committer, base, dateTime, systemIdentifier, dischargeUid, includeValues,
/// date}`; `base` (the record as it was at admission) is a document like the others, and
/// `dateTime` defaults, as on every other target, to the clock's time (JavaScript's).
#[wasm_bindgen(js_name = mergeDischarge, skip_typescript)]
pub fn merge_discharge(record: &JsValue, discharge: &JsValue, opts: &JsValue) -> Js {
    let mut base = None;
    let mut rest = opts.clone();
    if opts.is_object() {
        let b = js_sys::Reflect::get(opts, &JsValue::from_str("base"))?;
        if !b.is_undefined() && !b.is_null() {
            base = Some(doc(&b, "options.base")?);
        }
        let copy = js_sys::Object::assign(&js_sys::Object::new(), opts.unchecked_ref());
        js_sys::Reflect::delete_property(&copy, &JsValue::from_str("base"))?;
        rest = copy.into();
    }
    let mut o: mods_api::MergeDischargeOptions = options(&rest)?;
    if o.date_time.is_none() {
        let now = String::from(js_sys::Date::new_0().to_iso_string());
        o.date_time = now.get(..19).map(|t| format!("{t}Z"));
    }
    let (r, d) = (doc(record, "the record")?, doc(discharge, "the discharge")?);
    out(mods_api::merge_discharge(
        r.input(),
        d.input(),
        base.as_ref().map(|b| b.input()),
        &o,
    ))
}

/// A record's validation report as a FHIR OperationOutcome.
#[wasm_bindgen(js_name = operationOutcome, skip_typescript)]
pub fn operation_outcome(record: &JsValue) -> Js {
    let d = doc(record, "the record")?;
    out(mods_api::operation_outcome(d.input()))
}

/// The TypeScript declarations of the functions above (hand-written: the generated ones
/// would say `any` for every JavaScript value).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = include_str!("types.d.ts");
