//! `compareDays`: day against day (docs/flows/days.md).

use crate::convert::{doc, error, out};
use crate::Js;
use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The one option of `compareDays`.
const KNOWN: &[&str] = &["againstRecord"];

/// A person's daily care notes of two days or periods compared, in MODS terms. `opts`:
/// `{againstRecord}`, the document the other side's notes come from.
#[wasm_bindgen(js_name = compareDays, skip_typescript)]
pub fn compare_days(record: &JsValue, day: &str, against: &str, opts: &JsValue) -> Js {
    let mut other = None;
    if !opts.is_undefined() && !opts.is_null() {
        let Some(o) = opts.dyn_ref::<Object>().filter(|_| !opts.is_array()) else {
            return Err(error(&mods_api::Error::InvalidOption {
                option: "options".into(),
                message: "the options must be an object".into(),
            }));
        };
        for k in Object::keys(o).iter() {
            let k = k.as_string().unwrap_or_default();
            if !KNOWN.contains(&k.as_str()) {
                return Err(error(&mods_api::Error::UnknownOption {
                    option: k,
                    kind: "option",
                    known: KNOWN,
                }));
            }
        }
        let v = Reflect::get(o, &"againstRecord".into()).unwrap_or(JsValue::UNDEFINED);
        if !v.is_undefined() && !v.is_null() {
            other = Some(doc(&v, "options.againstRecord")?);
        }
    }
    let d = doc(record, "the record")?;
    let opts = mods_api::CompareDaysOptions::default()
        .with_day(day.to_owned())
        .with_against(against.to_owned());
    out(mods_api::compare_days(
        d.input(),
        &opts,
        other.as_ref().map(|o| o.input()),
    ))
}
