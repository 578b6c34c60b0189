//! `share`, `sharePurposes` and `shareComponents`: a component of a record, or what a
//! purpose's recipient may see, with the manifest of what was withheld (docs/share.md),
//! through `mods_api`.

use crate::{json, options};
use napi_derive::napi;

/// A component of a record, or the record as a purpose (or a policy of your own, as TOML
/// text) lets its recipient see it, or both: `{view, manifest, validation}`. The view is a
/// record document with no reference left dangling; the manifest never holds a value of
/// the record.
#[napi(
    ts_args_type = "record: Document, options: ShareOptions",
    ts_return_type = "Shared"
)]
pub fn share(record: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| mods_api::share(record, &self::options(options.as_deref())?))
}

/// The built-in purposes, each with its recipient, sources and every rule with its
/// rationale.
#[napi(ts_args_type = "", ts_return_type = "SharePolicy[]")]
pub fn share_purposes() -> napi::Result<String> {
    json(|| Ok(mods_api::share_purposes()))
}

/// The named components and the classes each is made of.
#[napi(ts_args_type = "", ts_return_type = "ShareComponent[]")]
pub fn share_components() -> napi::Result<String> {
    json(|| Ok(mods_api::share_components()))
}
