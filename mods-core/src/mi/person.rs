//! Who a record is about, without saying who: the key that tells people apart in counts,
//! and the age band that stands for a date of birth.

use super::field::instances;
use crate::checks::parse_date;
use chrono::{Datelike, NaiveDate};
use serde_json::Value;

/// The age bands, youngest first: those of the ONS's ten-year bands from 18, with the
/// under-18s (transition cases) and the over-85s each in one band. The Client Level Data
/// derives working age (18 to 64) and 65 and over from the same ages; both are unions of
/// these bands.
pub const AGE_BANDS: &[&str] = &[
    "0-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65-74", "75-84", "85+",
];

/// The person's date of birth: Person demographics' (the current one, the last listed),
/// else Subject of care's. A partial date (`YYYY` or `YYYY-MM`) gives none.
pub fn date_of_birth(record: &Value) -> Option<NaiveDate> {
    let from_demographics = instances(record, "person_demographics")
        .into_iter()
        .rev()
        .find_map(|d| d.get("date_of_birth").and_then(Value::as_str));
    let text = from_demographics.or_else(|| {
        record
            .get("subject_of_care")
            .and_then(|s| s.get("date_of_birth"))
            .and_then(Value::as_str)
    })?;
    parse_date(text)
}

/// Today's date in UTC from the system clock, the default date ages are taken on; `None`
/// where there is no clock (`wasm32-unknown-unknown`).
pub fn today() -> Option<NaiveDate> {
    #[cfg(all(target_family = "wasm", target_os = "unknown"))]
    {
        None
    }
    #[cfg(not(all(target_family = "wasm", target_os = "unknown")))]
    {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_secs();
        let days = i64::try_from(secs / 86_400).ok()?;
        NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::TimeDelta::try_days(days)?)
    }
}

/// Whole years from `born` to `on` (none when `on` is before `born`).
pub fn age(born: NaiveDate, on: NaiveDate) -> Option<u32> {
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// The band of an age.
pub fn band_of(age: u32) -> &'static str {
    match age {
        0..=17 => AGE_BANDS[0],
        18..=24 => AGE_BANDS[1],
        25..=34 => AGE_BANDS[2],
        35..=44 => AGE_BANDS[3],
        45..=54 => AGE_BANDS[4],
        55..=64 => AGE_BANDS[5],
        65..=74 => AGE_BANDS[6],
        75..=84 => AGE_BANDS[7],
        _ => AGE_BANDS[8],
    }
}

/// The person's age band on `on`; none without a full date of birth on or before it.
pub fn age_band(record: &Value, on: NaiveDate) -> Option<&'static str> {
    age(date_of_birth(record)?, on).map(band_of)
}

/// What identifies the person across records: their NHS number (`nhs:` and the digits),
/// else the Subject of care's record uid (`uid:`). Never shown; hashed for counting and
/// pseudonymised for extracts.
pub fn person_key(record: &Value) -> Option<String> {
    let soc = record.get("subject_of_care")?;
    if let Some(n) = soc.get("nhs_number").and_then(Value::as_str) {
        let digits: String = n.chars().filter(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            return Some(format!("nhs:{digits}"));
        }
    }
    soc.get("record_uid")
        .and_then(Value::as_str)
        .filter(|u| !u.trim().is_empty())
        .map(|u| format!("uid:{}", u.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn ages_turn_on_the_birthday() {
        assert_eq!(age(d("1960-03-01"), d("2025-02-28")), Some(64));
        assert_eq!(age(d("1960-03-01"), d("2025-03-01")), Some(65));
        assert_eq!(age(d("2025-03-01"), d("2025-02-28")), None);
        assert_eq!(band_of(64), "55-64");
        assert_eq!(band_of(65), "65-74");
        assert_eq!(band_of(17), "0-17");
        assert_eq!(band_of(101), "85+");
    }

    #[test]
    fn the_person_is_known_by_nhs_number_then_uid() {
        let r = json!({"subject_of_care": {"record_uid": "s1", "nhs_number": "401 023 2137"}});
        assert_eq!(person_key(&r).as_deref(), Some("nhs:4010232137"));
        let r = json!({"subject_of_care": {"record_uid": "s1"}});
        assert_eq!(person_key(&r).as_deref(), Some("uid:s1"));
        assert_eq!(person_key(&json!({})), None);
        let r = json!({"subject_of_care": {"date_of_birth": "1950-01-01"},
            "person_demographics": [{"date_of_birth": "1951-06-30"}]});
        assert_eq!(age_band(&r, d("2026-06-29")), Some("65-74"));
        let r = json!({"subject_of_care": {"date_of_birth": "1950"}});
        assert_eq!(age_band(&r, d("2026-06-29")), None);
    }
}
