//! Value types used by the generated classes: codings, partial dates, dates with an
//! optional time, and re-exports of the chrono types used for dates and times.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::fmt;

pub use crate::checks::PartialDate;
pub use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};

/// A coded value: the JSON form of a MODS Lookup to a value set or a Reference code.
///
/// `system` may be left out when the code comes from the value set the element is bound
/// to; the value set's system is then assumed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Coding {
    /// The code, e.g. `"active"`.
    pub code: String,
    /// URI of the code system, e.g. `http://snomed.info/sct`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// Text shown for the code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

impl Coding {
    /// A coding with only a code (the bound value set's system is assumed).
    pub fn code(code: impl Into<String>) -> Self {
        Coding {
            code: code.into(),
            system: None,
            display: None,
        }
    }

    /// A coding with a system and a code.
    pub fn with_system(system: impl Into<String>, code: impl Into<String>) -> Self {
        Coding {
            code: code.into(),
            system: Some(system.into()),
            display: None,
        }
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PartialDate::Year(y) => write!(f, "{y:04}"),
            PartialDate::YearMonth(y, m) => write!(f, "{y:04}-{m:02}"),
            PartialDate::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            PartialDate::Century(c) => write!(f, "{c:02}"),
            PartialDate::MonthDay(m, d) => write!(f, "--{m:02}-{d:02}"),
            PartialDate::Month(m) => write!(f, "--{m:02}"),
        }
    }
}

impl std::str::FromStr for PartialDate {
    type Err = InvalidPartialDate;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        crate::checks::parse_partial_date(s).ok_or(InvalidPartialDate)
    }
}

impl From<NaiveDate> for PartialDate {
    fn from(d: NaiveDate) -> Self {
        PartialDate::Date(d)
    }
}

/// The text is not a full or partial date in one of the forms of [`PartialDate`]
/// (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YY`, `--MM-DD`, `--MM`) naming a real date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a date written YYYY-MM-DD, YYYY-MM, YYYY, YY (a century), --MM-DD or --MM")]
pub struct InvalidPartialDate;

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for PartialDate {
    fn schema_name() -> Cow<'static, str> {
        "PartialDate".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A full or partial date: YYYY-MM-DD, YYYY-MM, YYYY, YY (a century), --MM-DD (day and month) or --MM (month).",
            "pattern": "^([0-9]{2}|[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?|--[0-9]{2}(-[0-9]{2})?)$"
        })
    }
}

/// A full date, or a date and time with an offset: the value of a `Date and Time` element
/// whose time is optional (the Change log Date, published as "date, or date with time").
///
/// Written `YYYY-MM-DD`, or as RFC 3339 `YYYY-MM-DDTHH:MM[:SS[.f]]` with `Z` or an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DateOrDateTime {
    /// A date alone.
    Date(NaiveDate),
    /// A date and time with an offset.
    DateTime(DateTime<FixedOffset>),
}

impl fmt::Display for DateOrDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateOrDateTime::Date(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            DateOrDateTime::DateTime(dt) => {
                f.write_str(&dt.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
            }
        }
    }
}

/// The text is neither `YYYY-MM-DD` nor an RFC 3339 date and time with an offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a date YYYY-MM-DD or a date and time YYYY-MM-DDTHH:MM[:SS] with Z or an offset")]
pub struct InvalidDateOrDateTime;

impl std::str::FromStr for DateOrDateTime {
    type Err = InvalidDateOrDateTime;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match crate::checks::parse_date_or_date_time(s) {
            Some(crate::checks::Moment::Date(PartialDate::Date(d))) => Ok(DateOrDateTime::Date(d)),
            Some(crate::checks::Moment::DateTime(dt)) => Ok(DateOrDateTime::DateTime(dt)),
            _ => Err(InvalidDateOrDateTime),
        }
    }
}

impl From<NaiveDate> for DateOrDateTime {
    fn from(d: NaiveDate) -> Self {
        DateOrDateTime::Date(d)
    }
}

impl From<DateTime<FixedOffset>> for DateOrDateTime {
    fn from(dt: DateTime<FixedOffset>) -> Self {
        DateOrDateTime::DateTime(dt)
    }
}

impl Serialize for DateOrDateTime {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DateOrDateTime {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = Cow::<str>::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for DateOrDateTime {
    fn schema_name() -> Cow<'static, str> {
        "DateOrDateTime".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A date YYYY-MM-DD, or a date and time YYYY-MM-DDTHH:MM[:SS[.fraction]] with Z or an offset.",
            "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}([Tt][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?([Zz]|[+-][0-9]{2}:[0-9]{2}))?$"
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_round_trip_through_text() {
        for s in [
            "2024-02-29",
            "1998-07",
            "1998",
            "0001",
            "19",
            "00",
            "--04-12",
            "--02-29",
            "--04",
        ] {
            let d: PartialDate = s.parse().unwrap();
            assert_eq!(d.to_string(), s);
            let json = serde_json::to_string(&d).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<PartialDate>(&json).unwrap(), d);
        }
        assert!("--04-31".parse::<PartialDate>().is_err());
        assert!(serde_json::from_str::<PartialDate>("\"1\"").is_err());
    }

    #[test]
    fn typed_classes_carry_every_date_form() {
        use crate::generated::latest::{Alert, ChangeLog};
        let log: ChangeLog = serde_json::from_value(serde_json::json!({
            "date": "2026-11-20", "change_type": {"code": "249"}, "system_identifier": "s-1",
            "committer": "cw-1", "record_uid": "al-1", "record_version": 1
        }))
        .unwrap();
        assert_eq!(
            log.date,
            DateOrDateTime::Date(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())
        );
        assert_eq!(serde_json::to_value(&log).unwrap()["date"], "2026-11-20");
        let alert: Alert = serde_json::from_value(serde_json::json!({
            "record_uid": "al-1", "version_number": 1, "subject_of_care": "soc-1",
            "date": "--03-15", "status": {"code": "active"}
        }))
        .unwrap();
        assert_eq!(alert.date, PartialDate::MonthDay(3, 15));
        assert_eq!(serde_json::to_value(&alert).unwrap()["date"], "--03-15");
    }

    #[test]
    fn date_or_date_time_round_trips() {
        for s in [
            "2026-11-20",
            "2026-11-20T10:15:00Z",
            "2026-11-20T10:15:00.500+01:00",
        ] {
            let v: DateOrDateTime = s.parse().unwrap();
            assert_eq!(v.to_string(), s);
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(serde_json::from_str::<DateOrDateTime>(&json).unwrap(), v);
        }
        let v: DateOrDateTime = "2026-11-20t10:15z".parse().unwrap();
        assert_eq!(v.to_string(), "2026-11-20T10:15:00Z");
        for bad in ["2026-11", "2026-11-20T10:15:00", "2026-02-30", ""] {
            assert!(bad.parse::<DateOrDateTime>().is_err(), "{bad}");
        }
    }
}
