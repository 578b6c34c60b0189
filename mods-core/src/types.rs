//! Value types used by the generated classes: codings, partial dates, and re-exports of
//! the chrono types used for dates and times.

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

/// The text is not `YYYY`, `YYYY-MM` or `YYYY-MM-DD` naming a real date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a date written YYYY, YYYY-MM or YYYY-MM-DD")]
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
            "description": "A full or partial date: YYYY, YYYY-MM or YYYY-MM-DD.",
            "pattern": "^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"
        })
    }
}
