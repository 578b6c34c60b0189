//! The medication administration record view of a day (use case 3,
//! `mods_core::flows::mar`): every dose and every warning, for the bindings and the CLI.

use crate::error::{guarded, Error};
use crate::options::FromJson;
use crate::validate::Input;
use mods_core::checks::parse_date;
use mods_core::flows::mar::{self as core, MarError};
use serde::{Deserialize, Serialize};

pub use mods_core::flows::mar::{
    Actor, Coded, Dose, MarView, MarWarning, MarWarningCode, Medicine, Period, Person,
};

/// Options of [`mar`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
///
/// New options may be added in any release: build the struct with `default()` and its
/// `with_*` methods (see docs/releasing.md).
#[non_exhaustive]
pub struct MarOptions {
    /// The last day of the period (`YYYY-MM-DD`); the one day `date` when not given.
    pub to: Option<String>,
    /// Validate the record in strict mode (unknown elements are errors) for the report in
    /// the view.
    pub strict: bool,
    /// Put offending values in the validation report's `context.value`.
    pub include_values: bool,
    /// The date taken as today by the validation rules that need one (`YYYY-MM-DD`); the
    /// system clock's date when not given (those rules are skipped on
    /// `wasm32-unknown-unknown`, which has no clock).
    pub today: Option<String>,
}

mods_core::__option_setters!(MarOptions {
    with_to(to: Option<String>);
    with_strict(strict: bool);
    with_include_values(include_values: bool);
    with_today(today: Option<String>);
});

impl FromJson for MarOptions {
    const KNOWN: &'static [&'static str] = &["to", "strict", "include_values", "today"];
    fn expected(name: &str) -> &'static str {
        match name {
            "strict" | "include_values" => "true or false",
            _ => "a date (YYYY-MM-DD)",
        }
    }
}

fn date_option(name: &str, value: &str) -> Result<chrono::NaiveDate, Error> {
    parse_date(value)
        .ok_or_else(|| Error::option(name, format!("{name} must be a date (YYYY-MM-DD)")))
}

/// The medication administration record of a person for the day `date` (`YYYY-MM-DD`, UK
/// civil date), or the days `date` to `opts.to`: every dose, resolved to its medicine and
/// to who gave it, every warning, the doses of the 24 hours before, and the record's
/// validation report (see `docs/flows/mar.md`).
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`date`, `to` or `today` not a date,
/// or `to` before `date`); [`Error::UnknownVersion`] (the document states no supported MODS
/// version: `version` is what it states, `""` for nothing).
pub fn mar<'a>(
    record: impl Into<Input<'a>>,
    date: &str,
    opts: &MarOptions,
) -> Result<MarView, Error> {
    let record = record.into();
    guarded(|| {
        let from = date_option("date", date)?;
        let to = match &opts.to {
            Some(t) => date_option("to", t)?,
            None => from,
        };
        let mut validation = if opts.strict {
            mods_core::ValidationOptions::strict()
        } else {
            mods_core::ValidationOptions::default()
        };
        validation.include_values = opts.include_values;
        if let Some(t) = &opts.today {
            validation.today = Some(date_option("today", t)?);
        }
        let core_opts = core::MarOptions::new(from, to).with_validation(validation);
        let value = record.read(&core_opts.validation.limits)?;
        core::mar(&value, &core_opts).map_err(|e| match e {
            MarError::Input(i) => Error::Input(i),
            MarError::Period => Error::option("to", "to must not be before date"),
            MarError::Version(v) => Error::UnknownVersion {
                version: v.unwrap_or_default(),
            },
        })
    })
}

/// The view as text for a person to read (what `mods mar --format human` prints).
pub fn mar_text(view: &MarView) -> String {
    core::to_text(view)
}

/// [`mar_text`] of a view given as data (JSON, or a value), as a binding holds it after
/// [`mar`].
///
/// Errors: [`Error::Input`]; [`Error::InvalidOption`] (`view`: not a view of [`mar`]).
pub fn mar_text_of<'a>(view: impl Into<Input<'a>>) -> Result<String, Error> {
    let view = view.into();
    guarded(|| {
        let value = view.read(&mods_core::Limits::default())?;
        let view: MarView = serde_json::from_value(value.into_owned())
            .map_err(|_| Error::option("view", "view must be a view made by mar"))?;
        Ok(core::to_text(&view))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorCode;

    const SMITH: &str = include_str!("../../../examples/records/mrs-smith-after-fall.json");

    #[test]
    fn options_and_refusals_have_their_codes() {
        let o = MarOptions::from_json(r#"{"to": "2026-03-11", "strict": true}"#).unwrap();
        assert_eq!(o.to.as_deref(), Some("2026-03-11"));
        let e = MarOptions::from_json(r#"{"from": "2026-03-11"}"#).unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownOption);
        let e = mar(SMITH, "10/03/2026", &MarOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidOption);
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "date");
        let back = MarOptions {
            to: Some("2026-03-09".into()),
            ..Default::default()
        };
        let e = mar(SMITH, "2026-03-10", &back).unwrap_err();
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "to");
        let e = mar(
            r#"{"subject_of_care": {}}"#,
            "2026-03-10",
            &MarOptions::default(),
        )
        .unwrap_err();
        assert_eq!(e.code(), ErrorCode::UnknownVersion);
        assert_eq!(serde_json::to_value(&e).unwrap()["version"], "");
        let e = mar("{", "2026-03-10", &MarOptions::default()).unwrap_err();
        assert_eq!(e.code(), ErrorCode::InvalidJson);
    }

    #[test]
    fn the_view_serialises_with_codes_as_text() {
        let v = mar(SMITH, "2026-03-10", &MarOptions::default()).unwrap();
        let j = serde_json::to_value(&v).unwrap();
        assert_eq!(j["period"]["from"], "2026-03-10");
        assert_eq!(j["warnings"][0]["code"], "dose-within-minimum-interval");
        assert!(mar_text(&v).contains("TOO SOON"));
        // the view as data gives the same text
        assert_eq!(mar_text_of(&j).unwrap(), mar_text(&v));
        let e = mar_text_of(r#"{"doses": 3}"#).unwrap_err();
        assert_eq!(serde_json::to_value(&e).unwrap()["option"], "view");
    }

    #[test]
    fn a_view_as_data_with_any_time_text_gives_text_not_a_panic() {
        let v = mar(SMITH, "2026-03-10", &MarOptions::default()).unwrap();
        let mut j = serde_json::to_value(&v).unwrap();
        // the fifth byte falls inside the two-byte é
        j["doses"][0]["time"] = serde_json::json!("10:0é:00");
        let text = mar_text_of(&j).unwrap();
        assert!(text.contains("10:0é:00"), "{text}");
    }
}
