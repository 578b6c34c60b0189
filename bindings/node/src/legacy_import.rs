//! `importLegacy`: a legacy export turned into one record per person by a declarative
//! mapping (docs/import.md), through `mods_api`.

use crate::{camel, json, options};
use napi_derive::napi;

/// A legacy export held in memory (CSV, NDJSON or a JSON array) imported by a mapping
/// (TOML text): one record document per person, the report entries and the summary, which
/// accounts for every source cell. Documents the mapping attaches are read from disk,
/// relative to `options.baseDir` (default: the working folder).
#[napi(
    ts_args_type = "mapping: string, data: Uint8Array | string, options?: LegacyImportOptions",
    ts_return_type = "LegacyImported"
)]
pub fn import_legacy(
    mapping: String,
    data: &[u8],
    options: Option<String>,
) -> napi::Result<String> {
    json(|| {
        camel(mods_api::import_legacy(
            &mapping,
            data,
            &self::options(options.as_deref())?,
        ))
    })
}
