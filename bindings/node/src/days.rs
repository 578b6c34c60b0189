//! `compareDays`: day against day (docs/flows/days.md).

use crate::json;
use napi::bindgen_prelude::Uint8Array;
use napi_derive::napi;

/// A person's daily care notes of two days or periods compared, in MODS terms; the other
/// side's notes from `againstRecord` when it is given.
#[napi(
    ts_args_type = "record: Document, day: string, against: string, options?: CompareDaysOptions",
    ts_return_type = "DayComparison"
)]
pub fn compare_days(
    record: &[u8],
    day: String,
    against: String,
    against_record: Option<Uint8Array>,
) -> napi::Result<String> {
    json(|| {
        let opts = mods_api::CompareDaysOptions::default()
            .with_day(day)
            .with_against(against);
        let other = against_record.as_deref().map(mods_api::Input::from);
        mods_api::compare_days(record, &opts, other)
    })
}
