//! A day or a period of days: `YYYY-MM-DD`, or `YYYY-MM-DD..YYYY-MM-DD` (both ends included).

use chrono::{Datelike, NaiveDate};
use serde::{Serialize, Serializer};
use std::fmt;

/// One day, or a period of whole days with both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DaySpan {
    /// The first day.
    pub from: NaiveDate,
    /// The last day (equal to `from` for one day).
    pub to: NaiveDate,
}

/// Why a day or period could not be read. The message never repeats the text given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
    /// Not `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`, or not a date of the calendar.
    #[error("must be a date YYYY-MM-DD or a period YYYY-MM-DD..YYYY-MM-DD")]
    Format,
    /// A period whose last day comes before its first.
    #[error("is a period that ends before it starts")]
    Reversed,
}

/// A full calendar date `YYYY-MM-DD`, exactly (no shorter fields, no time, no spaces).
pub(crate) fn full_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    // Read by hand: chrono's format parser would add to the WebAssembly module's size.
    let n = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    NaiveDate::from_ymd_opt(i32::try_from(n(0..4)?).ok()?, n(5..7)?, n(8..10)?)
}

/// A date as `YYYY-MM-DD`.
pub(crate) fn date_text(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

impl DaySpan {
    /// One day.
    pub fn day(d: NaiveDate) -> DaySpan {
        DaySpan { from: d, to: d }
    }

    /// Read `YYYY-MM-DD` or `YYYY-MM-DD..YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<DaySpan, SpanError> {
        let (a, b) = match s.split_once("..") {
            Some((a, b)) => (a, b),
            None => (s, s),
        };
        let from = full_date(a).ok_or(SpanError::Format)?;
        let to = full_date(b).ok_or(SpanError::Format)?;
        if to < from {
            return Err(SpanError::Reversed);
        }
        Ok(DaySpan { from, to })
    }

    /// Whether the day falls inside.
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// How many days it covers (1 for one day).
    pub fn days(&self) -> u32 {
        u32::try_from((self.to - self.from).num_days() + 1).unwrap_or(u32::MAX)
    }
}

impl fmt::Display for DaySpan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.from == self.to {
            f.write_str(&date_text(self.from))
        } else {
            write!(f, "{}..{}", date_text(self.from), date_text(self.to))
        }
    }
}

impl Serialize for DaySpan {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_and_a_period() {
        let d = DaySpan::parse("2026-02-03").unwrap();
        assert_eq!((d.days(), d.to_string()), (1, "2026-02-03".to_owned()));
        let p = DaySpan::parse("2026-01-30..2026-02-01").unwrap();
        assert_eq!(p.days(), 3);
        assert_eq!(p.to_string(), "2026-01-30..2026-02-01");
        assert!(p.contains(full_date("2026-01-31").unwrap()));
        assert!(!p.contains(full_date("2026-02-02").unwrap()));
        assert_eq!(DaySpan::parse("2026-02-01..2026-02-01").unwrap().days(), 1);
    }

    #[test]
    fn what_is_not_a_day() {
        for bad in [
            "",
            "2026-2-3",
            "2026-02-30",
            "2026-02-03T10:00",
            " 2026-02-03",
            "2026-02",
            "2026-02-03..",
            "..2026-02-03",
            "2026-02-03...2026-02-04",
            "+202-02-03",
        ] {
            assert_eq!(DaySpan::parse(bad), Err(SpanError::Format), "{bad:?}");
        }
        assert_eq!(
            DaySpan::parse("2026-02-03..2026-02-01"),
            Err(SpanError::Reversed)
        );
    }
}
