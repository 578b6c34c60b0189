//! UK postcodes: the forms real English care records contain, and their normal form.
//!
//! Accepted (any letter case):
//! - Royal Mail postcodes (BS 7666 format rules), e.g. `SW1A 1AA`, `M1 1AE`, `GIR 0AA`,
//!   Gibraltar's `GX11 1AA` and the Crown dependencies' `GY`, `JE` and `IM` postcodes;
//! - the NHS pseudo-postcodes: `ZZ99` and an inward code of a digit, a letter and `Z`
//!   (NHS Data Dictionary, POSTCODE OF USUAL ADDRESS: `ZZ99 3VZ` no fixed abode; overseas
//!   visitors the country pseudo-postcode, e.g. `ZZ99 6CZ` India; HES: `ZZ99 3CZ` England not
//!   otherwise stated, `ZZ99 3WZ` not known, `ZZ99 1WZ` Scotland, `ZZ99 2WZ` Northern Ireland,
//!   `ZZ99 3GZ` Wales);
//! - British Forces Post Office numbers, `BFPO` and one to four digits (`BFPO 61`);
//! - the single postcodes of British Overseas Territories: `ASCN 1ZZ`, `BBND 1ZZ`, `BIQQ 1ZZ`,
//!   `FIQQ 1ZZ`, `PCRN 1ZZ`, `SIQQ 1ZZ`, `STHL 1ZZ`, `TDCU 1ZZ`, `TKCA 1ZZ`.
//!
//! Written with no space, with one space, or in the 8-character form of the NHS Postcode
//! Directory (NHS Data Dictionary, "NHS Postcode Directory": the outward code left-justified
//! in characters 1 to 4, a space in character 5, the inward code in 6 to 8, so `M1   1AE`
//! and `LS1  4AP`). The **normal form** is upper case with one space before the inward code
//! (`BFPO 61` for a BFPO number).
//!
//! Not accepted: `BFPO c/o 61` ("care of" is an addressing instruction for an address line,
//! not part of the number), other spacing (`SW1A  1AA`), and the territories' own postcode
//! systems (`KY1-1234` Cayman Islands, `HM 12` Bermuda, `MSR 1110` Montserrat, `VG1110`
//! British Virgin Islands): those addresses are abroad, so their Address carries a country
//! other than the UK and the postcode is free text.

use super::regex;
use std::sync::OnceLock;

/// ISO 3166-1 alpha-2 codes of the countries whose addresses use UK postcodes: the United
/// Kingdom and the Crown dependencies Guernsey, Isle of Man and Jersey (the NHS Postcode
/// Directory covers "the UK, Channel Islands and the Isle of Man"). An Address whose country
/// is any other code is abroad: its postcode is free text.
pub const UK_POSTCODE_COUNTRIES: &[&str] = &["GB", "GG", "IM", "JE"];

/// The technical name of the element that says which country an address is in. A postcode
/// element is checked as a UK postcode unless its instance has this element with a code
/// outside [`UK_POSTCODE_COUNTRIES`].
pub const COUNTRY_ELEMENT: &str = "country";

/// The inward code: a digit and two letters, never C, I, K, M, O or V.
const INWARD: &str = "[0-9][ABD-HJLNP-UW-Z]{2}";
/// Outward codes of two characters: A9.
const OUTWARD_2: &str = "[A-PR-UWYZ][0-9]";
/// Outward codes of three characters: A99, AA9, A9A.
const OUTWARD_3: &str = "[A-PR-UWYZ](?:[0-9]{2}|[A-HK-Y][0-9]|[0-9][A-HJKPSTUW])";
/// Outward codes of four characters: AA99, AA9A.
const OUTWARD_4: &str = "[A-PR-UWYZ][A-HK-Y](?:[0-9]{2}|[0-9][ABEHMNPRVWXY])";
/// The British Overseas Territories with one UK-style postcode, `1ZZ` inward.
const TERRITORIES: &str = "ASCN|BBND|BIQQ|FIQQ|PCRN|SIQQ|STHL|TDCU|TKCA";

/// The pattern of every accepted postcode written in upper case, anchored: an outward code
/// and the inward code with no space, one space, or the spaces of the 8-character form;
/// `GIR 0AA`; NHS pseudo-postcodes; overseas territories; BFPO numbers. It is `regex`-crate
/// and ECMA-262 syntax alike (no look-around, no `\d` or `\s`).
pub fn postcode_pattern() -> &'static str {
    static PATTERN: OnceLock<String> = OnceLock::new();
    PATTERN.get_or_init(|| {
        format!(
            "^(?:{OUTWARD_2}(?: |   )?{INWARD}|{OUTWARD_3} {{0,2}}{INWARD}|{OUTWARD_4} ?{INWARD}\
             |GIR {{0,2}}0AA|ZZ99 ?[0-9][A-Z]Z|(?:{TERRITORIES}) ?1ZZ|BFPO ?[0-9]{{1,4}})$"
        )
    })
}

/// The normal form of an accepted postcode (upper case, one space before the inward code;
/// `BFPO` and the number for a BFPO number), or `None` when `s` is not an accepted postcode.
pub fn normalise_postcode(s: &str) -> Option<String> {
    static RE: OnceLock<::regex::Regex> = OnceLock::new();
    if !s.is_ascii() {
        return None;
    }
    let upper = s.to_ascii_uppercase();
    if !regex(&RE, postcode_pattern()).is_match(&upper) {
        return None;
    }
    let compact: String = upper.chars().filter(|&c| c != ' ').collect();
    Some(match compact.strip_prefix("BFPO") {
        Some(number) => format!("BFPO {number}"),
        None => {
            // every accepted form that is not BFPO ends in a three-character inward code
            let (outward, inward) = compact.split_at(compact.len().saturating_sub(3));
            format!("{outward} {inward}")
        }
    })
}

/// Whether `s` is an accepted UK postcode, in its normal form or not.
pub fn is_postcode(s: &str) -> bool {
    normalise_postcode(s).is_some()
}

/// What must change to bring an accepted postcode to its normal form: the letter case, the
/// spacing, or both. Says nothing about the postcode itself, so it may go in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostcodeChange {
    /// Letters must be upper case.
    pub case: bool,
    /// The space must be one, before the inward code.
    pub spacing: bool,
}

impl PostcodeChange {
    /// The change from `s` to `normal` (its normal form).
    pub fn between(s: &str, normal: &str) -> PostcodeChange {
        let upper = s.to_ascii_uppercase();
        PostcodeChange {
            case: upper != s,
            spacing: upper != normal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_forms_are_accepted_as_they_are() {
        for ok in [
            "SW1A 1AA",
            "LS11 5DT",
            "M1 1AE",
            "B33 8TH",
            "CR2 6XH",
            "DN55 1PT",
            "W1A 0AX",
            "EC1A 1BB",
            "GIR 0AA",
            "GX11 1AA",
            "JE2 3AB",
            "GY1 1AA",
            "IM1 1AA",
            "BF1 4AF",
            "ZZ99 3VZ",
            "ZZ99 3WZ",
            "ZZ99 3CZ",
            "ZZ99 1WZ",
            "ZZ99 2WZ",
            "ZZ99 3GZ",
            "ZZ99 6CZ",
            "ASCN 1ZZ",
            "BBND 1ZZ",
            "BIQQ 1ZZ",
            "FIQQ 1ZZ",
            "PCRN 1ZZ",
            "SIQQ 1ZZ",
            "STHL 1ZZ",
            "TDCU 1ZZ",
            "TKCA 1ZZ",
            "BFPO 1",
            "BFPO 61",
            "BFPO 792",
            "BFPO 5439",
        ] {
            assert_eq!(normalise_postcode(ok).as_deref(), Some(ok), "{ok}");
        }
    }

    #[test]
    fn other_accepted_forms_normalise() {
        for (given, normal) in [
            ("sw1a 1aa", "SW1A 1AA"),
            ("Sw1A 1aA", "SW1A 1AA"),
            ("SW1A1AA", "SW1A 1AA"),
            ("sw1a1aa", "SW1A 1AA"),
            ("M11AE", "M1 1AE"),
            ("M1   1AE", "M1 1AE"),
            ("LS1  4AP", "LS1 4AP"),
            ("LS14AP", "LS1 4AP"),
            ("GIR0AA", "GIR 0AA"),
            ("GIR  0AA", "GIR 0AA"),
            ("zz99 3vz", "ZZ99 3VZ"),
            ("ZZ993WZ", "ZZ99 3WZ"),
            ("sthl 1zz", "STHL 1ZZ"),
            ("FIQQ1ZZ", "FIQQ 1ZZ"),
            ("bfpo 61", "BFPO 61"),
            ("BFPO61", "BFPO 61"),
            ("Bfpo 1234", "BFPO 1234"),
        ] {
            assert_eq!(
                normalise_postcode(given).as_deref(),
                Some(normal),
                "{given}"
            );
            assert!(is_postcode(given));
        }
    }

    #[test]
    fn everything_else_is_rejected() {
        for bad in [
            "",
            " ",
            "SW1A  1AA",
            "SW1A   1AA",
            " SW1A 1AA",
            "SW1A 1AA ",
            "M1  1AE",
            "M1    1AE",
            "LS1   4AP",
            "LS1\t4AP",
            "SW1A\u{a0}1AA",
            "SW1A-1AA",
            "QW1 1AA",
            "SW1A 1AAA",
            "SW1A 1CA",
            "12345",
            "ZZ99 3VV",
            "ZZ99 VZZ",
            "ZZ9 3VZ",
            "ZZ99  3VZ",
            "STHL 2ZZ",
            "STHL 1AA",
            "BFPO",
            "BFPO 12345",
            "BFPO c/o 61",
            "BFPO C/O 61",
            "BFPO  61",
            "BFPO 6A",
            "KY1-1234",
            "HM 12",
            "MSR 1110",
            "VG1110",
            "75008",
            "ＳＷ1A 1AA",
            "sw1a 1aa é",
        ] {
            assert_eq!(normalise_postcode(bad), None, "{bad:?}");
            assert!(!is_postcode(bad), "{bad:?}");
        }
    }

    #[test]
    fn the_change_needed_is_named_without_the_postcode() {
        let change = |s: &str| PostcodeChange::between(s, &normalise_postcode(s).unwrap());
        assert_eq!(
            change("sw1a 1aa"),
            PostcodeChange {
                case: true,
                spacing: false
            }
        );
        assert_eq!(
            change("LS1  4AP"),
            PostcodeChange {
                case: false,
                spacing: true
            }
        );
        assert_eq!(
            change("bfpo61"),
            PostcodeChange {
                case: true,
                spacing: true
            }
        );
        assert_eq!(
            change("M1 1AE"),
            PostcodeChange {
                case: false,
                spacing: false
            }
        );
    }

    #[test]
    fn uk_postcode_countries_are_iso_alpha_2() {
        for c in UK_POSTCODE_COUNTRIES {
            assert!(c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()));
        }
    }
}
