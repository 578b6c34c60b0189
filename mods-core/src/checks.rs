//! Value checks: NHS number, ODS code, UPRN, postcode and other identifiers; dates, partial
//! dates, times and date-times. Each function is pure and total (never panics).

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime};
use regex::Regex;
use std::cmp::Ordering;
use std::sync::OnceLock;

mod ods;
mod postcode;

pub use ods::{is_ods_code, OdsRole};
pub use postcode::{
    is_postcode, normalise_postcode, postcode_pattern, PostcodeChange, COUNTRY_ELEMENT,
    UK_POSTCODE_COUNTRIES,
};

/// Why an NHS number fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NhsNumberError {
    /// Not exactly ten ASCII digits, or one digit repeated ten times.
    Format,
    /// The Modulus 11 check digit does not match (or the check gives 10).
    CheckDigit,
}

/// Check an NHS number: ten ASCII digits whose last is the Modulus 11 check digit.
///
/// Numbers of one repeated digit (`1111111111`) pass the arithmetic but are never issued;
/// they are rejected as [`NhsNumberError::Format`].
pub fn check_nhs_number(s: &str) -> Result<(), NhsNumberError> {
    let b = s.as_bytes();
    if b.len() != 10 || !b.iter().all(u8::is_ascii_digit) {
        return Err(NhsNumberError::Format);
    }
    if b.iter().all(|&d| d == b[0]) {
        return Err(NhsNumberError::Format);
    }
    let sum: u32 = b[..9]
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&d, w)| u32::from(d - b'0') * w)
        .sum();
    let check = match 11 - sum % 11 {
        11 => 0,
        10 => return Err(NhsNumberError::CheckDigit),
        n => n,
    };
    if u32::from(b[9] - b'0') == check {
        Ok(())
    } else {
        Err(NhsNumberError::CheckDigit)
    }
}

/// UPRN: 1 to 12 digits, no leading zero.
pub fn is_uprn(s: &str) -> bool {
    (1..=12).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()) && !s.starts_with('0')
}

fn regex(cell: &'static OnceLock<Regex>, pattern: &str) -> &'static Regex {
    // The patterns are constants tested below; a failure to compile is a bug in this file.
    cell.get_or_init(|| Regex::new(pattern).unwrap_or_else(|_| Regex::new("$^").unwrap()))
}

/// CQC location or provider id: `1-` followed by 1 to 15 digits.
pub fn is_cqc_id(s: &str) -> bool {
    s.strip_prefix("1-")
        .is_some_and(|d| (1..=15).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// ONS GSS code: `E`, `W`, `S` or `N` and eight digits.
pub fn is_gss_code(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9
        && matches!(b[0], b'E' | b'W' | b'S' | b'N')
        && b[1..].iter().all(u8::is_ascii_digit)
}

/// A plausible e-mail address: one `@`, no white space, a dot in the domain.
pub fn is_email(s: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    s.len() <= 254 && regex(&RE, r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$").is_match(s)
}

/// Record uid: 1 to 128 characters, none of them white space or control characters.
pub fn is_uid(s: &str) -> bool {
    if s.is_empty() || s.len() > 128 {
        return false;
    }
    // the ASCII white space and control characters are exactly the bytes up to the space,
    // and DEL; any other character is looked up. Eight bytes at a time while all eight are
    // printable ASCII (0x21 to 0x7e), then byte by byte from the first eight that are not.
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = s.as_bytes();
    let mut from = 0;
    for chunk in b.chunks_exact(8) {
        let mut w = [0u8; 8];
        w.copy_from_slice(chunk);
        let x = u64::from_le_bytes(w);
        // a high bit for a byte of 0x80 or more, else for one below 0x21 or equal to 0x7f
        let del = x ^ (ONES * 0x7f);
        let odd = x | (x.wrapping_sub(ONES * 0x21) & !x) | (del.wrapping_sub(ONES) & !del);
        if odd & HIGH != 0 {
            break;
        }
        from += 8;
    }
    for (i, b) in s.bytes().enumerate().skip(from) {
        if b >= 0x80 {
            return !s[i..].chars().any(|c| c.is_whitespace() || c.is_control());
        }
        if b <= b' ' || b == 0x7f {
            return false;
        }
    }
    true
}

/// Whether `s` holds nothing but white space (or nothing), as `str::trim` sees it.
pub fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        // a first byte that is ASCII and not white space settles it
        Some(&b) if b.is_ascii() && !matches!(b, b'\t'..=b'\r' | b' ') => false,
        Some(_) => s.trim().is_empty(),
    }
}

/// A date that may be partial, in one of the forms the MODS Event Date allows ("a full or
/// partial date (any combination of day, month, year, century)"). Each form is written as
/// ISO 8601 writes it (see docs/validation.md, "Partial dates"):
///
/// | form | written | ISO 8601 / XML Schema |
/// |---|---|---|
/// | a full date | `YYYY-MM-DD` | calendar date, complete representation |
/// | a month of a year | `YYYY-MM` | reduced precision, "a specific month" |
/// | a year | `YYYY` | reduced precision, "a specific year" |
/// | a century | `YY` (`19` is 1900 to 1999) | reduced precision, "a specific century" |
/// | a day and month, year unknown | `--MM-DD` | truncated "day of a month" (ISO 8601:2000), XML Schema `gMonthDay` |
/// | a month, year unknown | `--MM` | truncated "month" (ISO 8601:2000), XML Schema `gMonth` |
///
/// The year is 0001 to 9999 and the century 00 to 99. A day alone (`---DD`) and other
/// combinations (a century and a month...) are not accepted: they name no time a care
/// record could use.
///
/// The enum is `#[non_exhaustive]`: a later version of the standard may allow further forms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum PartialDate {
    /// `YYYY`
    Year(i32),
    /// `YYYY-MM`
    YearMonth(i32, u32),
    /// `YYYY-MM-DD`
    Date(NaiveDate),
    /// `YY`: the century whose years start with these two digits (`19`: 1900 to 1999).
    Century(i32),
    /// `--MM-DD`: a day of a month, the year unknown (month, day). `--02-29` is allowed.
    MonthDay(u32, u32),
    /// `--MM`: a month, the year unknown.
    Month(u32),
}

impl PartialDate {
    /// The first and the last day the value covers (`2024-02` covers 2024-02-01 to
    /// 2024-02-29), or `None` for the forms without a year (`--MM-DD`, `--MM`), which
    /// cannot be placed on the calendar.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        let ymd = NaiveDate::from_ymd_opt;
        match *self {
            PartialDate::Date(d) => Some((d, d)),
            PartialDate::Year(y) => Some((ymd(y, 1, 1)?, ymd(y, 12, 31)?)),
            PartialDate::YearMonth(y, m) => {
                let first = ymd(y, m, 1)?;
                let next = if m == 12 {
                    ymd(y + 1, 1, 1)?
                } else {
                    ymd(y, m + 1, 1)?
                };
                Some((first, next.pred_opt()?))
            }
            PartialDate::Century(c) => Some((ymd(c * 100, 1, 1)?, ymd(c * 100 + 99, 12, 31)?)),
            PartialDate::MonthDay(..) | PartialDate::Month(_) => None,
        }
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u32, |n, &d| n * 10 + u32::from(d - b'0')))
}

/// Parse a full date `YYYY-MM-DD` (four-digit year, a real day).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    parse_date_bytes(s.as_bytes())
}

fn parse_date_bytes(b: &[u8]) -> Option<NaiveDate> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = digits(&b[0..4])?;
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    if y == 0 {
        return None;
    }
    NaiveDate::from_ymd_opt(y as i32, m, d)
}

/// Parse a date that may be partial: `YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `YY` (a century),
/// `--MM-DD` or `--MM` (see [`PartialDate`]). Each part must name a real date: `2023-02-29`,
/// `2024-13`, `--04-31` and `0000` are refused.
pub fn parse_partial_date(s: &str) -> Option<PartialDate> {
    let b = s.as_bytes();
    if let Some(rest) = b.strip_prefix(b"--") {
        let m = digits(rest.get(0..2)?)?;
        if !(1..=12).contains(&m) {
            return None;
        }
        return match rest.len() {
            2 => Some(PartialDate::Month(m)),
            5 if rest[2] == b'-' => {
                let d = digits(&rest[3..5])?;
                // 2000 is a leap year: every day of every month occurs in it
                NaiveDate::from_ymd_opt(2000, m, d).map(|_| PartialDate::MonthDay(m, d))
            }
            _ => None,
        };
    }
    match b.len() {
        2 => digits(b).map(|c| PartialDate::Century(c as i32)),
        4 => {
            let y = digits(b)?;
            (y > 0).then_some(PartialDate::Year(y as i32))
        }
        7 if b[4] == b'-' => {
            let y = digits(&b[0..4])?;
            let m = digits(&b[5..7])?;
            (y > 0 && (1..=12).contains(&m)).then_some(PartialDate::YearMonth(y as i32, m))
        }
        10 => parse_date_bytes(b).map(PartialDate::Date),
        _ => None,
    }
}

/// Parse a full date `YYYY-MM-DD` or an RFC 3339 date and time (as [`parse_date_time`]):
/// the forms of a `Date and Time` element whose time is optional (the Change log Date,
/// "date, or date with time").
pub fn parse_date_or_date_time(s: &str) -> Option<Moment> {
    if s.len() == 10 {
        parse_date(s).map(|d| Moment::Date(PartialDate::Date(d)))
    } else {
        parse_date_time(s).map(Moment::DateTime)
    }
}

/// Parse a time `HH:MM` or `HH:MM:SS` (24-hour, no offset).
pub fn parse_time(s: &str) -> Option<NaiveTime> {
    parse_time_bytes(s.as_bytes())
}

fn parse_time_bytes(b: &[u8]) -> Option<NaiveTime> {
    let (h, m, sec) = match b.len() {
        5 if b[2] == b':' => (digits(&b[0..2])?, digits(&b[3..5])?, 0),
        8 if b[2] == b':' && b[5] == b':' => {
            (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?)
        }
        _ => return None,
    };
    NaiveTime::from_hms_opt(h, m, sec)
}

/// Parse an RFC 3339 date and time with an offset; seconds and fraction optional:
/// `YYYY-MM-DDTHH:MM[:SS[.f{1,9}]](Z|±HH:MM)`. As RFC 3339 (section 5.6) allows, the `T`
/// and `Z` may be lower case.
///
/// The parser works on bytes and only ever splits at ASCII bytes it has matched, so no
/// input (multi-byte characters anywhere included) can make it panic.
pub fn parse_date_time(s: &str) -> Option<DateTime<FixedOffset>> {
    let b = s.as_bytes();
    if b.len() < 17 || !matches!(b[10], b'T' | b't') {
        return None;
    }
    let date = parse_date_bytes(&b[..10])?;
    let rest = &b[11..];
    // split off the offset
    let (clock, offset) = match rest.split_last() {
        Some((b'Z' | b'z', c)) => (c, 0i32),
        _ => {
            let cut = rest.len().checked_sub(6)?;
            let (c, ob) = rest.split_at(cut);
            if !matches!(ob[0], b'+' | b'-') || ob[3] != b':' {
                return None;
            }
            let oh = digits(&ob[1..3])?;
            let om = digits(&ob[4..6])?;
            if oh > 23 || om > 59 {
                return None;
            }
            let secs = (oh * 3600 + om * 60) as i32;
            (c, if ob[0] == b'-' { -secs } else { secs })
        }
    };
    let (hms, frac) = match clock.iter().position(|&c| c == b'.') {
        Some(dot) => {
            let f = &clock[dot + 1..];
            if f.is_empty() || f.len() > 9 || !f.iter().all(u8::is_ascii_digit) {
                return None;
            }
            (&clock[..dot], Some(f))
        }
        None => (clock, None),
    };
    if frac.is_some() && hms.len() != 8 {
        return None;
    }
    let time = parse_time_bytes(hms)?;
    let nanos = match frac {
        Some(f) => digits(f)? * 10u32.pow(9 - f.len() as u32),
        None => 0,
    };
    let time = time.with_nanosecond(nanos)?;
    let tz = FixedOffset::east_opt(offset)?;
    date.and_time(time).and_local_timezone(tz).single()
}

use chrono::Timelike;

/// A point in time at some precision, for ordering dates of mixed kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Moment {
    /// A partial or full date.
    Date(PartialDate),
    /// A date and time with offset.
    DateTime(DateTime<FixedOffset>),
}

impl Moment {
    /// The first and the last day (local to its own offset, for a date and time) the
    /// moment covers; `None` for a date without a year.
    pub fn span(&self) -> Option<(NaiveDate, NaiveDate)> {
        match self {
            Moment::Date(d) => d.span(),
            Moment::DateTime(dt) => {
                let d = dt.date_naive();
                Some((d, d))
            }
        }
    }

    /// Compare as far as both moments are known: one is before the other when every day
    /// it covers is before every day the other covers; two dates and times compare as
    /// instants. `Equal` when both cover the same days (the same year, month or day at
    /// the same precision, or a date against a date and time on that day). `None` when
    /// they cannot be ordered: they overlap (`2024` against `2024-05-01`, the century
    /// `20` against `2024`), or one has no year (`--05-01`, `--05`), which cannot be
    /// ordered against anything.
    pub fn compare(&self, other: &Moment) -> Option<Ordering> {
        if let (Moment::DateTime(a), Moment::DateTime(b)) = (self, other) {
            return Some(a.cmp(b));
        }
        let (a0, a1) = self.span()?;
        let (b0, b1) = other.span()?;
        if a1 < b0 {
            Some(Ordering::Less)
        } else if a0 > b1 {
            Some(Ordering::Greater)
        } else if (a0, a1) == (b0, b1) {
            Some(Ordering::Equal)
        } else {
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers() {
        // Valid numbers published in NHS examples and test data.
        for ok in ["9434765919", "9434765870", "9000000009", "4010232137"] {
            assert_eq!(check_nhs_number(ok), Ok(()), "{ok}");
        }
        assert_eq!(
            check_nhs_number("9434765918"),
            Err(NhsNumberError::CheckDigit)
        );
        assert_eq!(
            check_nhs_number("9434765910"),
            Err(NhsNumberError::CheckDigit)
        );
        // the check gives 10: never valid, whatever the last digit
        assert_eq!(
            check_nhs_number("0000000060"),
            Err(NhsNumberError::CheckDigit)
        );
        for bad in [
            "943476591",
            "94347659190",
            "943 476 5919",
            "943476591X",
            "",
            "９４３４７６５９１９",
            "1111111111",
            "0000000000",
        ] {
            assert_eq!(check_nhs_number(bad), Err(NhsNumberError::Format), "{bad}");
        }
    }

    #[test]
    fn identifiers() {
        assert!(is_uprn("100023336956") && is_uprn("1"));
        assert!(!is_uprn("0100023336956") && !is_uprn("1000233369561") && !is_uprn("10002333695a"));
        assert!(is_cqc_id("1-101234567") && !is_cqc_id("1-") && !is_cqc_id("2-123"));
        assert!(is_gss_code("E08000035") && !is_gss_code("E0800003") && !is_gss_code("X08000035"));
        assert!(
            is_email("eliza@example.org") && !is_email("eliza@example") && !is_email("a b@c.d")
        );
        assert!(is_uid("al-1") && !is_uid("") && !is_uid("a b") && !is_uid(&"x".repeat(129)));
    }

    #[test]
    fn uids_read_eight_bytes_at_a_time_agree_with_the_definition() {
        let definition = |s: &str| {
            !s.is_empty()
                && s.len() <= 128
                && !s.chars().any(|c| c.is_whitespace() || c.is_control())
        };
        // every length across several eight-byte chunks, with one odd character anywhere
        // (the bytes either side of the printable ASCII range, and non-ASCII ones)
        let odd = [
            "\0",
            "\t",
            "\u{1f}",
            " ",
            "!",
            "~",
            "\u{7f}",
            "\u{80}",
            "\u{a0}",
            "\u{e9}",
            "\u{2028}",
            "\u{1f600}",
        ];
        for len in 1..=40 {
            let base: String = (0..len).map(|i| (b'!' + (i % 94) as u8) as char).collect();
            assert_eq!(is_uid(&base), definition(&base), "{base:?}");
            for at in 0..len {
                for o in odd {
                    let mut s = base.clone();
                    s.replace_range(at..at + 1, o);
                    assert_eq!(is_uid(&s), definition(&s), "{s:?}");
                }
            }
        }
        assert!(is_uid(&"x".repeat(128)) && !is_uid(&"x".repeat(129)));
    }

    #[test]
    fn dates_and_times() {
        assert!(parse_date("2024-02-29").is_some());
        for bad in [
            "2023-02-29",
            "2024-13-01",
            "0000-01-01",
            "+10000-01-01",
            "2024-1-01",
            "2024/01/01",
            "24-01-01",
        ] {
            assert!(parse_date(bad).is_none(), "{bad}");
        }
        assert_eq!(parse_partial_date("1998"), Some(PartialDate::Year(1998)));
        assert_eq!(
            parse_partial_date("1998-07"),
            Some(PartialDate::YearMonth(1998, 7))
        );
        assert!(parse_partial_date("1998-13").is_none() && parse_partial_date("0000").is_none());
        assert!(parse_time("08:30").is_some() && parse_time("23:59:59").is_some());
        for bad in ["24:00", "23:59:60", "8:30", "08:30Z", "08:30:00+01:00"] {
            assert!(parse_time(bad).is_none(), "{bad}");
        }
        for ok in [
            "2026-11-20T08:30Z",
            "2026-11-20T08:30:00+00:00",
            "2026-11-20T08:30:00.123-05:30",
            "2026-11-20T08:30:00-00:00",
            "2026-11-20t08:30:00z",
            "2026-11-20t08:30:00+01:00",
        ] {
            assert!(parse_date_time(ok).is_some(), "{ok}");
        }
        for bad in [
            "2026-11-20T08:30:00",
            "2026-11-20 08:30:00Z",
            "2026-11-20T24:00:00Z",
            "2026-11-20T08:30:00.1234567891Z",
            "2026-11-20",
            "2026-11-20T08:30:00+1:00",
        ] {
            assert!(parse_date_time(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn every_partial_date_form() {
        let ok = [
            (
                "2024-02-29",
                PartialDate::Date(NaiveDate::from_ymd_opt(2024, 2, 29).unwrap()),
            ),
            ("1998-07", PartialDate::YearMonth(1998, 7)),
            ("1998", PartialDate::Year(1998)),
            ("0001", PartialDate::Year(1)),
            ("19", PartialDate::Century(19)),
            ("00", PartialDate::Century(0)),
            ("--04-12", PartialDate::MonthDay(4, 12)),
            ("--02-29", PartialDate::MonthDay(2, 29)),
            ("--12-31", PartialDate::MonthDay(12, 31)),
            ("--04", PartialDate::Month(4)),
            ("--12", PartialDate::Month(12)),
        ];
        for (s, want) in ok {
            assert_eq!(parse_partial_date(s), Some(want), "{s}");
        }
        for bad in [
            "1",
            "199",
            "19985",
            "-19",
            "+19",
            "--",
            "--1",
            "--13",
            "--00",
            "--04-",
            "--04-31",
            "--02-30",
            "--04-1",
            "--04-12-",
            "---12",
            "--0412",
            "-04-12",
            "--04--",
            "04-12",
            "1998-7",
            "1998-00",
            "0000-01",
            "19-07",
            "2023-02-29",
            "--04-12Z",
            "--١٢",
            "١٩",
            "--04-1é",
        ] {
            assert_eq!(parse_partial_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn partial_date_spans() {
        let span = |s| parse_partial_date(s).unwrap().span();
        let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(span("19"), Some((d(1900, 1, 1), d(1999, 12, 31))));
        assert_eq!(span("00"), Some((d(0, 1, 1), d(99, 12, 31))));
        assert_eq!(span("2024"), Some((d(2024, 1, 1), d(2024, 12, 31))));
        assert_eq!(span("2024-02"), Some((d(2024, 2, 1), d(2024, 2, 29))));
        assert_eq!(span("2023-12"), Some((d(2023, 12, 1), d(2023, 12, 31))));
        assert_eq!(span("2023-02-28"), Some((d(2023, 2, 28), d(2023, 2, 28))));
        assert_eq!(span("--02-29"), None);
        assert_eq!(span("--02"), None);
    }

    #[test]
    fn date_or_date_time() {
        assert!(matches!(
            parse_date_or_date_time("2026-11-20"),
            Some(Moment::Date(PartialDate::Date(_)))
        ));
        assert!(matches!(
            parse_date_or_date_time("2026-11-20T10:15:00Z"),
            Some(Moment::DateTime(_))
        ));
        for bad in [
            "2026-11",
            "2026",
            "2026-11-20T10:15:00",
            "2026-02-30",
            "2026-11-2é",
        ] {
            assert!(parse_date_or_date_time(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn multi_byte_characters_never_panic() {
        // Each of these once split a string inside a character (`é` is two bytes, `€` three,
        // `😀` four): they must be rejected, not panic.
        for bad in [
            "2025-11-03T09:00é12345",
            "2025-11-03T09:00:0€+01:00",
            "2025-11-03T09:00😀:00",
            "2025-11-03T09:0😀0",
            "2025-11-03T😀😀😀😀",
            "2025-11-03Té",
            "2025-11-0éT09:00:00Z",
            "éééééééééééééééééééé",
            "2025-11-03T09:00:00.é+01:00",
        ] {
            assert!(parse_date_time(bad).is_none(), "{bad}");
            assert!(parse_date(bad).is_none() && parse_partial_date(bad).is_none());
            assert!(parse_date_or_date_time(bad).is_none());
            assert!(parse_time(bad).is_none());
        }
        // every prefix and every one-character replacement of a valid value
        let ok = "2026-11-20T08:30:00.123+05:30";
        for (i, _) in ok.char_indices() {
            for c in ['é', '€', '😀', 'Z', 'T', '.', '+', ':'] {
                let mut s = ok[..i].to_owned();
                s.push(c);
                s.push_str(ok.get(i + 1..).unwrap_or(""));
                let _ = parse_date_time(&s);
                let _ = parse_date_time(&ok[..i]);
            }
        }
    }

    #[test]
    fn moments_compare_at_shared_precision() {
        let d = |s| Moment::Date(parse_partial_date(s).unwrap());
        let t = |s| Moment::DateTime(parse_date_time(s).unwrap());
        assert_eq!(d("2024").compare(&d("2025-01-01")), Some(Ordering::Less));
        assert_eq!(d("2024").compare(&d("2024-05-01")), None);
        assert_eq!(
            d("2024-05").compare(&d("2024-04-30")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            t("2024-05-01T10:00Z").compare(&t("2024-05-01T11:00+02:00")),
            Some(Ordering::Greater)
        );
        assert_eq!(
            d("2024-05-01").compare(&t("2024-05-01T10:00Z")),
            Some(Ordering::Equal)
        );
        assert_eq!(d("2024").compare(&d("2024")), Some(Ordering::Equal));
        assert_eq!(d("2024-05").compare(&d("2024-05")), Some(Ordering::Equal));
        // centuries
        assert_eq!(d("19").compare(&d("2001")), Some(Ordering::Less));
        assert_eq!(d("20").compare(&d("1999-12-31")), Some(Ordering::Greater));
        assert_eq!(d("20").compare(&d("2024")), None);
        assert_eq!(d("20").compare(&d("20")), Some(Ordering::Equal));
        assert_eq!(
            d("19").compare(&t("2000-01-01T00:30+01:00")),
            Some(Ordering::Less)
        );
        // a year-month against the days around it
        assert_eq!(d("2024-02").compare(&d("2024-02-29")), None);
        assert_eq!(d("2024-02").compare(&d("2024-03-01")), Some(Ordering::Less));
        // no year: never ordered, not even against itself
        for a in ["--05-01", "--05"] {
            for b in ["--05-01", "--04", "2024", "20", "2024-05-01"] {
                assert_eq!(d(a).compare(&d(b)), None, "{a} {b}");
                assert_eq!(d(b).compare(&d(a)), None, "{b} {a}");
            }
            assert_eq!(d(a).compare(&t("2024-05-01T10:00Z")), None);
        }
    }
}
