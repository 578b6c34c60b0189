//! `share`, `sharePurposes` and `shareComponents`: a component of a record, or what a
//! purpose's recipient may see, with the manifest of what was withheld (docs/share.md),
//! through `mods_api`.

use crate::clock::today;
use crate::convert::{doc, options, out, to_js};
use crate::Js;
use wasm_bindgen::prelude::*;

/// A component of a record, or the record as a purpose (or a policy of your own, as TOML
/// text) lets its recipient see it, or both: `{view, manifest, validation}`. `opts`:
/// `{purpose, policy, component, today, includeValues}` (`today` defaults to the clock's
/// date, as on every other target).
#[wasm_bindgen(skip_typescript)]
pub fn share(record: &JsValue, opts: &JsValue) -> Js {
    let mut o: mods_api::ShareOptions = options(opts)?;
    if o.today.is_none() {
        o.today = Some(today());
    }
    let d = doc(record, "the record")?;
    out(mods_api::share(d.input(), &o))
}

/// The built-in purposes, each with its recipient, sources and every rule's rationale.
#[wasm_bindgen(js_name = sharePurposes, skip_typescript)]
pub fn share_purposes() -> Js {
    to_js(&mods_api::share_purposes())
}

/// The named components and the classes each is made of.
#[wasm_bindgen(js_name = shareComponents, skip_typescript)]
pub fn share_components() -> Js {
    to_js(&mods_api::share_components())
}

/// The TypeScript declarations of the functions above (their types are in `types.d.ts`).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** A component of a record, or what a purpose's (or policy's) recipient may see, with the manifest of what was withheld (docs/share.md). */
export function share(record: Document, options: ShareOptions): Shared;
/** The built-in purposes, with every rule's rationale. */
export function sharePurposes(): SharePolicy[];
/** The named components. */
export function shareComponents(): ShareComponent[];
"#;
