//! Management information (docs/mi.md): `aggregate` (and its CSV, text and HTML forms),
//! `extract` and `extractProfiles`, through `mods_api`, on the calling thread.

use crate::clock::today;
use crate::convert::{doc, error, optional, out, to_js, Doc};
use crate::Js;
use js_sys::{Array, Object, Reflect, Uint8Array};
use mods_api::{camel_error, AggregateOptions, ExtractOptions, FromJson, Table};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The documents of a list (`what` names it in errors).
fn records(list: &JsValue, what: &str) -> Result<Vec<Doc>, JsValue> {
    let arr = list
        .dyn_ref::<Array>()
        .ok_or_else(|| js_sys::TypeError::new(&format!("{what} must be an array of documents")))?;
    arr.iter()
        .enumerate()
        .map(|(i, item)| doc(&item, &format!("{what}[{i}]")))
        .collect()
}

/// aggregate's options: `by` may be one string (comma-separated for several) or a list;
/// `asOf` defaults to the clock's date.
fn aggregate_options(opts: &JsValue) -> Result<AggregateOptions, JsValue> {
    let mut v = optional(opts, "options")?.unwrap_or(Value::Null);
    if let Some(m) = v.as_object_mut() {
        if let Some(Value::String(by)) = m.get("by") {
            let by = by.clone();
            m.insert("by".into(), Value::Array(vec![Value::String(by)]));
        }
    }
    let mut o = AggregateOptions::from_camel_value(&v).map_err(|e| error(&e))?;
    if o.as_of.is_none() {
        o.as_of = Some(today());
    }
    Ok(o)
}

/// The table of `list` counted by `opts`.
fn table(list: &JsValue, opts: &JsValue) -> Result<Table, JsValue> {
    let o = aggregate_options(opts)?;
    let docs = records(list, "records")?;
    mods_api::aggregate(docs.iter().map(Doc::input), &o).map_err(|e| error(&camel_error(e)))
}

/// People and records counted by coded categories, small numbers suppressed: the table,
/// its rows as objects (`<field>`, `<field>_label`..., `people`, `records`; `null` where
/// suppressed). A record that cannot be read is counted in `unreadable`, not dropped.
/// `opts`: `{by, version, asOf, suppress, threshold, roundTo}`.
#[wasm_bindgen(skip_typescript)]
pub fn aggregate(list: &JsValue, opts: &JsValue) -> Js {
    to_js(&mods_api::aggregate_flat(&table(list, opts)?))
}

/// `aggregate`'s table as CSV (a header, one row per category combination, a total row).
#[wasm_bindgen(js_name = aggregateCsv, skip_typescript)]
pub fn aggregate_csv(list: &JsValue, opts: &JsValue) -> Js {
    Ok(mods_api::aggregate_csv(&table(list, opts)?).into())
}

/// `aggregate`'s table as text for a person to read.
#[wasm_bindgen(js_name = aggregateText, skip_typescript)]
pub fn aggregate_text(list: &JsValue, opts: &JsValue) -> Js {
    Ok(mods_api::aggregate_text(&table(list, opts)?).into())
}

/// `aggregate`'s table as an HTML page with a bar chart in SVG.
#[wasm_bindgen(js_name = aggregateHtml, skip_typescript)]
pub fn aggregate_html(list: &JsValue, opts: &JsValue) -> Js {
    Ok(mods_api::aggregate_html(&table(list, opts)?).into())
}

/// The key's bytes: a `Uint8Array` as it is, a string as UTF-8; never quoted in an error.
fn key_bytes(key: &JsValue) -> Result<Vec<u8>, JsValue> {
    if key.is_undefined() || key.is_null() {
        return Ok(Vec::new());
    }
    if let Some(b) = key.dyn_ref::<Uint8Array>() {
        return Ok(b.to_vec());
    }
    if let Some(s) = key.dyn_ref::<js_sys::JsString>() {
        if !s.is_valid_utf16() {
            return Err(js_sys::TypeError::new(
                "options.key: the key holds a lone surrogate (not valid Unicode)",
            )
            .into());
        }
        return Ok(String::from(s).into_bytes());
    }
    Err(js_sys::TypeError::new("options.key must be a Uint8Array or a string").into())
}

/// A client-level extract: one row per person and event, the person known by a keyed
/// HMAC-SHA256 pseudonym, an age band instead of the date of birth, no names, addresses or
/// free text. `opts`: `{key, profile, version, asOf}`; the key (bytes) is used for this
/// call only, never kept or shown.
#[wasm_bindgen(skip_typescript)]
pub fn extract(list: &JsValue, opts: &JsValue) -> Js {
    let mut key = Vec::new();
    let mut rest = opts.clone();
    if let Some(o) = opts.dyn_ref::<Object>().filter(|_| !opts.is_array()) {
        key = key_bytes(&Reflect::get(o, &JsValue::from_str("key"))?)?;
        let copy = Object::assign(&Object::new(), o);
        Reflect::delete_property(&copy, &JsValue::from_str("key"))?;
        rest = copy.into();
    }
    let mut o: ExtractOptions = crate::convert::options(&rest)?;
    if o.as_of.is_none() {
        o.as_of = Some(today());
    }
    let docs = records(list, "records")?;
    out(mods_api::extract(docs.iter().map(Doc::input), &o, &key).map_err(camel_error))
}

/// The names of the built-in extract profiles.
#[wasm_bindgen(js_name = extractProfiles, skip_typescript)]
pub fn extract_profiles() -> Js {
    to_js(&mods_api::profile_names())
}

/// The TypeScript declarations of the functions above (their types are in `types.d.ts`).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** People and records counted by coded categories, small numbers suppressed (docs/mi.md). */
export function aggregate(records: Document[], options: AggregateOptions): AggregateTable;
/** aggregate's table as CSV. */
export function aggregateCsv(records: Document[], options: AggregateOptions): string;
/** aggregate's table as text for a person to read. */
export function aggregateText(records: Document[], options: AggregateOptions): string;
/** aggregate's table as an HTML page with a bar chart in SVG. */
export function aggregateHtml(records: Document[], options: AggregateOptions): string;
/** A client-level extract with keyed pseudonyms (docs/mi.md); the key is never kept or shown. */
export function extract(records: Document[], options: ExtractOptions): Extract;
/** The names of the built-in extract profiles. */
export function extractProfiles(): string[];
"#;
