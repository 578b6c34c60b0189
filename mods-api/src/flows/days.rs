//! Day against day (use case 1): [`compare_days`] over [`mods_core::flows::days`].

use crate::error::{guarded, Error};
use crate::options::FromJson;
use crate::validate::Input;
use mods_core::flows::days::{self as core, DaySpan};
use mods_core::Limits;
use serde::{Deserialize, Serialize};

pub use mods_core::flows::days::DayComparison;

/// What [`compare_days`] compares: two days, or periods `YYYY-MM-DD..YYYY-MM-DD` (both
/// ends included).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct CompareDaysOptions {
    /// The day (or period) looked at: `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`.
    pub day: String,
    /// The day (or period) it is compared with, in the same forms.
    pub against: String,
}

mods_core::__option_setters!(CompareDaysOptions {
    with_day(day: String);
    with_against(against: String);
});

impl FromJson for CompareDaysOptions {
    const KNOWN: &'static [&'static str] = &["day", "against"];
    fn expected(_: &str) -> &'static str {
        "a string"
    }
}

fn span(option: &str, text: &str) -> Result<DaySpan, Error> {
    DaySpan::parse(text).map_err(|e| Error::option(option, format!("{option} {e}")))
}

/// Compare the daily care notes of `opts.day` with those of `opts.against`, from
/// `record`, or the other side from `against_record` when given (the same person's notes
/// in another document). The result holds the person's care information (notes, names,
/// doses): it is what the caller asked for.
///
/// Errors: [`Error::Input`] (either document); [`Error::InvalidOption`] (`day`,
/// `against`: not a date or a period); [`Error::DiffRefused`] (not a record, no supported
/// MODS version, a version without the Daily care note class, or two documents about
/// different people).
pub fn compare_days<'a>(
    record: impl Into<Input<'a>>,
    opts: &CompareDaysOptions,
    against_record: Option<Input<'_>>,
) -> Result<DayComparison, Error> {
    let record = record.into();
    guarded(|| {
        let day = span("day", &opts.day)?;
        let against = span("against", &opts.against)?;
        let limits = Limits::default();
        let record = record.read(&limits)?;
        let other = match against_record {
            Some(i) => Some(i.read(&limits)?),
            None => None,
        };
        core::compare_days(&record, other.as_deref(), &day, &against)
            .map_err(|e| Error::DiffRefused(e.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    const GREEN: &str = include_str!("../../../examples/records/mr-green.json");
    const EARLIER: &str = include_str!("../../../examples/flows/days/mr-green-earlier-days.json");

    fn opts(day: &str, against: &str) -> CompareDaysOptions {
        CompareDaysOptions {
            day: day.into(),
            against: against.into(),
        }
    }

    #[test]
    fn compares_and_serialises() {
        let c = compare_days(GREEN, &opts("2026-02-03", "2026-01-27"), None).unwrap();
        let j = serde_json::to_value(&c).unwrap();
        assert_eq!(j["fluid_intake"]["difference_ml"], -200);
        assert_eq!(j["day"]["span"], "2026-02-03");
        let c = compare_days(
            GREEN,
            &opts("2026-02-03", "2026-01-31..2026-02-02"),
            Some(EARLIER.into()),
        )
        .unwrap();
        let j = serde_json::to_value(&c).unwrap();
        assert_eq!(j["against"]["document"], "against_record");
        assert_eq!(
            j["mood"]["against"]["usual"],
            serde_json::json!(["settled"])
        );
    }

    #[test]
    fn options_and_refusals_are_coded_errors() {
        let o = CompareDaysOptions::from_json(r#"{"day": "2026-02-03", "against": "x"}"#).unwrap();
        let e = compare_days(GREEN, &o, None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "against");
        assert_eq!(
            e.to_string(),
            "against must be a date YYYY-MM-DD or a period YYYY-MM-DD..YYYY-MM-DD"
        );
        let e =
            compare_days(GREEN, &opts("2026-02-03..2026-02-01", "2026-02-02"), None).unwrap_err();
        assert_eq!(e.to_string(), "day is a period that ends before it starts");
        assert_eq!(
            CompareDaysOptions::from_json(r#"{"days": "x"}"#)
                .unwrap_err()
                .code(),
            ErrorCode::UnknownOption
        );
        let e = compare_days("[1]", &opts("2026-02-03", "2026-02-02"), None).unwrap_err();
        assert_eq!(e.code(), ErrorCode::DiffRefused);
        let e =
            compare_days(GREEN, &opts("2026-02-03", "2026-02-02"), Some("{".into())).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
    }
}
