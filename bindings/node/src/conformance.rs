//! `conformance` and `conformanceText`: how far a record meets a MODS version, class by
//! class (docs/conformance.md), through `mods_api`.

use crate::{camel, json, options};
use napi_derive::napi;

/// How far a record meets a MODS version: each class it must hold and holds, what each
/// lacks, a score per class and overall, and its validation status. An invalid record is
/// still assessed; the assessment never holds the person's data.
#[napi(
    ts_args_type = "record: Document, options?: ConformanceOptions",
    ts_return_type = "Assessment"
)]
pub fn conformance(record: &[u8], options: Option<String>) -> napi::Result<String> {
    json(|| {
        camel(mods_api::conformance(
            record,
            &self::options(options.as_deref())?,
        ))
    })
}

/// An assessment made by `conformance` as text for a person to read (what `mods
/// conformance` prints after the record's name).
#[napi(
    ts_args_type = "assessment: Assessment | string | Uint8Array",
    ts_return_type = "string"
)]
pub fn conformance_text(assessment: &[u8]) -> napi::Result<String> {
    json(|| mods_api::conformance_text_of(assessment))
}
