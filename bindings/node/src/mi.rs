//! Management information (docs/mi.md): `aggregate` (and its CSV, text and HTML forms),
//! `extract` and `extractProfiles`, through `mods_api`. `index.js` passes a list of records
//! as their bytes concatenated and the end offset of each, as for `validateMany`.

use crate::{camel, json, json_text, options};
use mods_api::{AggregateOptions, Error, Table};
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;

/// The records of a list: `bytes` cut at `ends`.
fn records<'a>(bytes: &'a [u8], ends: &[u32]) -> Vec<&'a [u8]> {
    let mut out = Vec::with_capacity(ends.len());
    let mut start = 0usize;
    for &end in ends {
        let end = (end as usize).clamp(start, bytes.len());
        out.push(&bytes[start..end]);
        start = end;
    }
    out
}

/// The table of `records` counted by `options`.
fn table(bytes: &[u8], ends: &[u32], options: Option<&str>) -> Result<Table, Error> {
    let opts: AggregateOptions = self::options(options)?;
    camel(mods_api::aggregate(records(bytes, ends), &opts))
}

/// People and records counted by coded categories, small numbers suppressed: the table,
/// its rows as objects (`<field>`, `<field>_label`..., `people`, `records`; `null` where
/// suppressed). A record that cannot be read is counted in `unreadable`, not dropped.
#[napi(
    ts_args_type = "records: Document[], options: AggregateOptions",
    ts_return_type = "AggregateTable"
)]
pub fn aggregate(bytes: &[u8], ends: Vec<u32>, options: Option<String>) -> napi::Result<String> {
    json_text(|| {
        let t = table(bytes, &ends, options.as_deref())?;
        // the flat rows' keys in column order: serialised here, not through a `Value`
        serde_json::to_string(&mods_api::aggregate_flat(&t))
            .map_err(|_| mods_core::guard::Panicked::unlocated().into())
    })
}

/// `aggregate`'s table as CSV (a header, one row per category combination, a total row).
#[napi(
    ts_args_type = "records: Document[], options: AggregateOptions",
    ts_return_type = "string"
)]
pub fn aggregate_csv(
    bytes: &[u8],
    ends: Vec<u32>,
    options: Option<String>,
) -> napi::Result<String> {
    json(|| {
        Ok(mods_api::aggregate_csv(&table(
            bytes,
            &ends,
            options.as_deref(),
        )?))
    })
}

/// `aggregate`'s table as text for a person to read.
#[napi(
    ts_args_type = "records: Document[], options: AggregateOptions",
    ts_return_type = "string"
)]
pub fn aggregate_text(
    bytes: &[u8],
    ends: Vec<u32>,
    options: Option<String>,
) -> napi::Result<String> {
    json(|| {
        Ok(mods_api::aggregate_text(&table(
            bytes,
            &ends,
            options.as_deref(),
        )?))
    })
}

/// `aggregate`'s table as an HTML page with a bar chart in SVG.
#[napi(
    ts_args_type = "records: Document[], options: AggregateOptions",
    ts_return_type = "string"
)]
pub fn aggregate_html(
    bytes: &[u8],
    ends: Vec<u32>,
    options: Option<String>,
) -> napi::Result<String> {
    json(|| {
        Ok(mods_api::aggregate_html(&table(
            bytes,
            &ends,
            options.as_deref(),
        )?))
    })
}

/// A client-level extract: one row per person and event, the person known by a keyed
/// HMAC-SHA256 pseudonym, an age band instead of the date of birth, no names, addresses or
/// free text. The key (`options.key`, bytes) is used for this call only, never kept or
/// shown.
#[napi(
    ts_args_type = "records: Document[], options: ExtractOptions",
    ts_return_type = "Extract"
)]
pub fn extract(
    bytes: &[u8],
    ends: Vec<u32>,
    key: Option<Uint8Array>,
    options: Option<String>,
) -> napi::Result<String> {
    json(|| {
        let opts = self::options(options.as_deref())?;
        camel(mods_api::extract(
            records(bytes, &ends),
            &opts,
            key.as_deref().unwrap_or_default(),
        ))
    })
}

/// The names of the built-in extract profiles.
#[napi(ts_args_type = "", ts_return_type = "string[]")]
pub fn extract_profiles() -> napi::Result<String> {
    json(|| Ok(mods_api::profile_names()))
}
