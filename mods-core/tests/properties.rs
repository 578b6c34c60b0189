//! Property tests of the value checks.

use mods_core::checks::{
    check_nhs_number, parse_date, parse_partial_date, NhsNumberError, PartialDate,
};
use proptest::prelude::*;

fn check_digit(first9: &[u8]) -> Option<u8> {
    let sum: u32 = first9
        .iter()
        .zip((2..=10u32).rev())
        .map(|(&d, w)| u32::from(d) * w)
        .sum();
    match 11 - sum % 11 {
        11 => Some(0),
        10 => None,
        n => Some(n as u8),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// A number with the right check digit is valid; every other last digit fails.
    #[test]
    fn nhs_number_check_digit(first9 in prop::collection::vec(0u8..10, 9)) {
        prop_assume!(!first9.iter().all(|&d| d == first9[0]));
        let stem: String = first9.iter().map(|d| char::from(b'0' + d)).collect();
        let good = check_digit(&first9);
        for last in 0u8..10 {
            let n = format!("{stem}{last}");
            let r = check_nhs_number(&n);
            if Some(last) == good {
                prop_assert_eq!(r, Ok(()), "{}", n);
            } else {
                prop_assert_eq!(r, Err(NhsNumberError::CheckDigit), "{}", n);
            }
        }
    }

    /// Any text that is not ten ASCII digits is a format error, never a panic.
    #[test]
    fn nhs_number_never_panics(s in "\\PC{0,14}") {
        let r = check_nhs_number(&s);
        if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            prop_assert_eq!(r, Err(NhsNumberError::Format));
        }
    }

    /// A formatted real date parses back to itself, as a date and as a partial date.
    #[test]
    fn dates_round_trip(y in 1i32..=9999, ord in 1u32..=365) {
        let d = chrono::NaiveDate::from_yo_opt(y, ord).unwrap();
        let s = d.format("%Y-%m-%d").to_string();
        prop_assert_eq!(parse_date(&s), Some(d));
        prop_assert_eq!(parse_partial_date(&s), Some(PartialDate::Date(d)));
        prop_assert_eq!(PartialDate::Date(d).to_string(), s);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// Any text, multi-byte characters included, gives a verdict from every date and time
    /// parser: never a panic. Strings shaped like date-times with arbitrary characters
    /// spliced in are the ones that once split a character.
    #[test]
    fn date_time_parsers_never_panic(
        s in "\\PC{0,40}",
        shaped in "[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9:.]{0,12}\\PC{0,8}",
    ) {
        for v in [&s, &shaped] {
            let _ = mods_core::checks::parse_date_time(v);
            let _ = parse_date(v);
            let _ = parse_partial_date(v);
            let _ = mods_core::checks::parse_time(v);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    /// The fast paths of `is_blank` and `is_uid` agree with their definitions (`str::trim`;
    /// no white space or control character) on any text, ASCII or not.
    #[test]
    fn blank_and_uid_fast_paths_agree_with_their_definitions(
        s in "[ \\t\\n\\x0b\\x0c\\r\\x00-\\x1f\\x7f\\u{85}\\u{a0}\\u{2028}a-z0-9-]{0,12}",
        any in "\\PC{0,12}",
    ) {
        for v in [&s, &any] {
            prop_assert_eq!(mods_core::checks::is_blank(v), v.trim().is_empty(), "{:?}", v);
            let uid = !v.is_empty()
                && v.len() <= 128
                && !v.chars().any(|c| c.is_whitespace() || c.is_control());
            prop_assert_eq!(mods_core::checks::is_uid(v), uid, "{:?}", v);
        }
    }
}
