//! UK civil time (GMT and British Summer Time) for the local clock times in MODS records.
//!
//! MODS Event `date` and `time` are clock times without an offset; records kept in England
//! are in UK civil time (the IANA zone Europe/London). To compare two such times, each is
//! turned into a UTC instant here. The rules are written out rather than taken from a time
//! zone database: the `chrono-tz` database costs about 880 KB in a WebAssembly build, and
//! limiting it to one zone needs an environment variable set by whoever builds the final
//! program. A unit test checks these rules against `chrono-tz`'s Europe/London for every
//! half hour from 1972 to 2037.
//!
//! Supported range: from 1972 (the end of British Standard Time) on, exactly; later years
//! follow the rule in force since 1996 (the Summer Time Order 2002). Before 1972 a clock time
//! is read as GMT or BST, whichever the caller needs ([`Kind::OutOfRange`]).
//!
//! Twice a year a clock time does not name one instant:
//! - spring forward: 01:00 to 01:59 on the last Sunday of March does not exist
//!   ([`Kind::Skipped`]); it is read as either GMT (a clock not yet put forward) or BST;
//! - fall back: 01:00 to 01:59 on the last Sunday of October happens twice, first in BST
//!   and then in GMT ([`Kind::Ambiguous`]).
//!
//! In every case the result is the earliest and the latest instant the clock time can name,
//! and the caller chooses (a safety check takes the reading that gives the shorter gap).

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime};

/// How a local clock time maps to UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One instant.
    Unique,
    /// The hour that happens twice when the clocks go back: first BST, then GMT.
    Ambiguous,
    /// The hour that does not exist when the clocks go forward: read as BST or as GMT.
    Skipped,
    /// Before 1972: read as BST or as GMT.
    OutOfRange,
}

/// The instants a local clock time can name, in seconds since the Unix epoch (UTC).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Reading {
    /// The earliest instant (the BST reading when there are two).
    pub earliest: i64,
    /// The latest instant (the GMT reading when there are two); equal to `earliest` for
    /// [`Kind::Unique`], one hour later otherwise.
    pub latest: i64,
    /// Whether the clock time names one instant, and if not, why.
    pub kind: Kind,
}

/// First year whose rules are implemented exactly.
pub(crate) const FIRST_YEAR: i32 = 1972;

const HOUR: i64 = 3600;

/// The UTC instants of a UK clock time.
pub(crate) fn to_utc(local: NaiveDateTime) -> Reading {
    let as_gmt = local.and_utc().timestamp();
    let as_bst = as_gmt - HOUR;
    if local.year() < FIRST_YEAR {
        return Reading {
            earliest: as_bst,
            latest: as_gmt,
            kind: Kind::OutOfRange,
        };
    }
    // Summer time in the local date's year, as UTC instants [start, end). A BST reading
    // of 00:00 to 00:59 on 1 January falls in the previous year, which is GMT then too.
    let (start, end) = summer_time(local.year());
    let gmt_ok = as_gmt < start || as_gmt >= end;
    let bst_ok = as_bst >= start && as_bst < end;
    let (earliest, latest, kind) = match (bst_ok, gmt_ok) {
        (true, true) => (as_bst, as_gmt, Kind::Ambiguous),
        (true, false) => (as_bst, as_bst, Kind::Unique),
        (false, true) => (as_gmt, as_gmt, Kind::Unique),
        (false, false) => (as_bst, as_gmt, Kind::Skipped),
    };
    Reading {
        earliest,
        latest,
        kind,
    }
}

/// British Summer Time in `year` (1972 or later): its start and end as UTC timestamps.
fn summer_time(year: i32) -> (i64, i64) {
    let at = |d: NaiveDate, hour: u32| {
        d.and_time(NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN))
            .and_utc()
            .timestamp()
    };
    match year {
        // Summer Time Act 1972: from the day after the third Saturday in March to the day
        // after the fourth Saturday in October, at 02:00 GMT.
        ..=1980 => (
            at(sunday_on_or_after(year, 3, 16), 2),
            at(sunday_on_or_after(year, 10, 23), 2),
        ),
        // 1981 to 1995: EC start (last Sunday in March, 01:00 GMT); the end stayed on the
        // day after the fourth Saturday in October.
        1981..=1989 => (
            at(last_sunday(year, 3), 1),
            at(sunday_on_or_after(year, 10, 23), 1),
        ),
        1990..=1995 => (
            at(last_sunday(year, 3), 1),
            at(sunday_on_or_after(year, 10, 22), 1),
        ),
        // Since 1996: last Sunday in March to last Sunday in October, 01:00 GMT.
        _ => (at(last_sunday(year, 3), 1), at(last_sunday(year, 10), 1)),
    }
}

fn sunday_on_or_after(year: i32, month: u32, day: u32) -> NaiveDate {
    let d = NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN);
    let ahead = (7 - d.weekday().num_days_from_sunday()) % 7;
    d + Duration::days(i64::from(ahead))
}

fn last_sunday(year: i32, month: u32) -> NaiveDate {
    // the last Sunday is on or after the 25th in March and October (31-day months)
    let last = NaiveDate::from_ymd_opt(year, month, 31).unwrap_or(NaiveDate::MIN);
    let back = last.weekday().num_days_from_sunday();
    last - Duration::days(i64::from(back))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{LocalResult, Offset, TimeZone};

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    fn utc(s: &str) -> i64 {
        local(s).and_utc().timestamp()
    }

    #[test]
    fn winter_and_summer() {
        let r = to_utc(local("2026-01-15 10:00"));
        assert_eq!(
            (r.earliest, r.latest, r.kind),
            (
                utc("2026-01-15 10:00"),
                utc("2026-01-15 10:00"),
                Kind::Unique
            )
        );
        let r = to_utc(local("2026-07-15 10:00"));
        assert_eq!(
            (r.earliest, r.latest, r.kind),
            (
                utc("2026-07-15 09:00"),
                utc("2026-07-15 09:00"),
                Kind::Unique
            )
        );
    }

    #[test]
    fn spring_forward_hour_does_not_exist() {
        // 2026: BST starts on Sunday 29 March at 01:00 GMT
        assert_eq!(to_utc(local("2026-03-29 00:59")).kind, Kind::Unique);
        let r = to_utc(local("2026-03-29 01:30"));
        assert_eq!(r.kind, Kind::Skipped);
        assert_eq!(
            (r.earliest, r.latest),
            (utc("2026-03-29 00:30"), utc("2026-03-29 01:30"))
        );
        let r = to_utc(local("2026-03-29 02:00"));
        assert_eq!(
            (r.earliest, r.kind),
            (utc("2026-03-29 01:00"), Kind::Unique)
        );
        // 00:30 and 02:30 that night are one hour apart
        let gap =
            to_utc(local("2026-03-29 02:30")).earliest - to_utc(local("2026-03-29 00:30")).latest;
        assert_eq!(gap, HOUR);
    }

    #[test]
    fn fall_back_hour_happens_twice() {
        // 2026: BST ends on Sunday 25 October at 01:00 GMT (02:00 BST)
        let r = to_utc(local("2026-10-25 00:30"));
        assert_eq!(
            (r.earliest, r.kind),
            (utc("2026-10-24 23:30"), Kind::Unique)
        );
        let r = to_utc(local("2026-10-25 01:30"));
        assert_eq!(r.kind, Kind::Ambiguous);
        assert_eq!(
            (r.earliest, r.latest),
            (utc("2026-10-25 00:30"), utc("2026-10-25 01:30"))
        );
        assert_eq!(to_utc(local("2026-10-25 02:00")).kind, Kind::Unique);
        // 00:30 and 02:30 that night are three hours apart
        let gap =
            to_utc(local("2026-10-25 02:30")).earliest - to_utc(local("2026-10-25 00:30")).latest;
        assert_eq!(gap, 3 * HOUR);
    }

    #[test]
    fn old_rules_and_out_of_range() {
        // 1988: the end was the day after the fourth Saturday of October (23rd), not the
        // last Sunday (30th)
        assert_eq!(
            to_utc(local("1988-10-25 12:00")).earliest,
            utc("1988-10-25 12:00")
        );
        assert_eq!(to_utc(local("1988-10-23 01:30")).kind, Kind::Ambiguous);
        // 1975: changes at 02:00 GMT
        assert_eq!(to_utc(local("1975-03-16 02:30")).kind, Kind::Skipped);
        let r = to_utc(local("1971-06-01 12:00"));
        assert_eq!((r.kind, r.latest - r.earliest), (Kind::OutOfRange, HOUR));
    }

    /// Every half hour from 1972 to 2037 agrees with the IANA time zone database's
    /// Europe/London (chrono-tz), including the skipped and repeated hours.
    #[test]
    fn agrees_with_the_iana_database() {
        let london = chrono_tz::Europe::London;
        let mut t = local("1972-01-01 00:00");
        let stop = local("2038-01-01 00:00");
        let mut checked = 0u32;
        while t < stop {
            let mine = to_utc(t);
            let want = match london.offset_from_local_datetime(&t) {
                LocalResult::Single(o) => {
                    let s = t.and_utc().timestamp() - i64::from(o.fix().local_minus_utc());
                    (s, s, Kind::Unique)
                }
                LocalResult::Ambiguous(a, b) => {
                    let (x, y) = (
                        t.and_utc().timestamp() - i64::from(a.fix().local_minus_utc()),
                        t.and_utc().timestamp() - i64::from(b.fix().local_minus_utc()),
                    );
                    (x.min(y), x.max(y), Kind::Ambiguous)
                }
                LocalResult::None => {
                    let s = t.and_utc().timestamp();
                    (s - HOUR, s, Kind::Skipped)
                }
            };
            assert_eq!((mine.earliest, mine.latest, mine.kind), want, "at {t}");
            t += Duration::minutes(30);
            checked += 1;
        }
        assert!(checked > 1_150_000);
    }
}
