//! `conformance` and `conformanceText`: how far a record meets a MODS version, class by
//! class (docs/conformance.md), through `mods_api`.

use crate::clock::today;
use crate::convert::{doc, options, out};
use crate::Js;
use wasm_bindgen::prelude::*;

/// How far a record meets a MODS version: each class it must hold and holds, what each
/// lacks, a score per class and overall, and its validation status. `opts`: `{version,
/// strict, today}` (`today` defaults to the clock's date, as on every other target).
#[wasm_bindgen(skip_typescript)]
pub fn conformance(record: &JsValue, opts: &JsValue) -> Js {
    let mut o: mods_api::ConformanceOptions = options(opts)?;
    if o.today.is_none() {
        o.today = Some(today());
    }
    let d = doc(record, "the record")?;
    out(mods_api::conformance(d.input(), &o))
}

/// An assessment made by `conformance` as text for a person to read (what `mods
/// conformance` prints after the record's name).
#[wasm_bindgen(js_name = conformanceText, skip_typescript)]
pub fn conformance_text(assessment: &JsValue) -> Js {
    let d = doc(assessment, "the assessment")?;
    out(mods_api::conformance_text_of(d.input()))
}

/// The TypeScript declarations of the functions above (their types are in `types.d.ts`).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** How far a record meets a MODS version, class by class (docs/conformance.md); `today` defaults to the clock's date. */
export function conformance(record: Document, options?: ConformanceOptions | null): Assessment;
/** An assessment made by conformance as text for a person to read. */
export function conformanceText(assessment: Assessment | string | Uint8Array): string;
"#;
