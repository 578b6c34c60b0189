//! `importLegacy`: a legacy export held in memory turned into one record per person by a
//! declarative mapping (docs/import.md), through `mods_api`.
//!
//! WebAssembly here has no file system: documents the mapping attaches by path cannot be
//! read (each is reported `attachment-missing`, as a file that does not exist), and an
//! export of more rows than `chunkRows` (default 50,000) cannot spill to disk while rows
//! are grouped by person, so it is refused (`invalid-option` naming `chunkRows`) rather
//! than grouped wrongly.

use crate::convert::{doc, options, out, Doc};
use crate::Js;
use mods_api::camel_error;
use wasm_bindgen::prelude::*;

/// A legacy export (`data`: a `Uint8Array` or a string of CSV, NDJSON or a JSON array; an
/// array of plain objects is taken as JSON) imported by a mapping (TOML text): one record
/// document per person, the report entries and the summary. `opts`: `{format, dryRun,
/// includeValues, chunkRows, name}`.
#[wasm_bindgen(js_name = importLegacy, skip_typescript)]
pub fn import_legacy(mapping: &str, data: &JsValue, opts: &JsValue) -> Js {
    let o: mods_api::LegacyImportOptions = options(opts)?;
    let bytes = match doc(data, "the data")? {
        Doc::Json(b) => b,
        Doc::Value(v) => serde_json::to_vec(&v).unwrap_or_default(),
    };
    out(mods_api::import_legacy(mapping, &bytes, &o).map_err(camel_error))
}

/// The TypeScript declarations of the functions above (their types are in `types.d.ts`).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/**
 * A legacy export held in memory imported by a mapping (TOML text) (docs/import.md). There is
 * no file system here: documents the mapping attaches are reported attachment-missing, and an
 * export of more than chunkRows rows is refused (it cannot spill to disk); baseDir has no use.
 */
export function importLegacy(mapping: string, data: Uint8Array | string | object[], options?: LegacyImportOptions | null): LegacyImported;
"#;
