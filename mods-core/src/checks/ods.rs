//! ODS codes, in general and by the role of the organisation they name.
//!
//! Sources (the formats of the Organisation Data Service, ODS):
//! - NHS Data Dictionary, ORGANISATION CODE and ORGANISATION SITE CODE coding frames: codes
//!   of up to 9 letters and digits; an NHS trust (or care trust) is three characters, its
//!   type identifier `R` (or `T`) and two more (`RH8`, `TAK`); a trust site adds two
//!   (`RH802`, `TAK01`).
//! - NHS Prescription Pricing Division, "GP Practice Identification Codes": a practice code
//!   is one letter and five digits (`A81001`).
//! - NHS Digital, "Primary Care Networks: publication of ODS codes" (2019): six characters,
//!   `U` and five digits (`U12345`).
//! - NHS Digital, "Sub-ICB Reporting Entity Codes" (2024): sub-ICB locations keep the codes
//!   of the clinical commissioning groups they replaced: three characters, two digits and a
//!   letter (`00Q`, `15N`), or the five characters ODS issued to merged CCGs (`D4U1Y`,
//!   `X2C4Y`).

/// The role an ODS code element names, and so the format its code must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OdsRole {
    /// Any organisation or site: 3 to 9 upper-case letters and digits.
    Any,
    /// A GP practice: a letter and five digits (`A81001`).
    GpPractice,
    /// A primary care network: `U` and five digits (`U12345`).
    PrimaryCareNetwork,
    /// An NHS trust or care trust: `R` or `T` and two letters or digits (`RXH`, `TAK`).
    Trust,
    /// A site of an NHS trust or care trust: the trust's code and two more letters or digits
    /// (`RXH01`).
    TrustSite,
    /// A sub-ICB location: two digits and a letter (`00Q`), or the five-character code of a
    /// merged CCG (`X2C4Y`).
    SubIcbLocation,
}

impl OdsRole {
    /// A stable snake-case name of the role, used in issue context (`expected_role`).
    pub fn as_str(self) -> &'static str {
        match self {
            OdsRole::Any => "organisation_or_site",
            OdsRole::GpPractice => "gp_practice",
            OdsRole::PrimaryCareNetwork => "primary_care_network",
            OdsRole::Trust => "nhs_trust",
            OdsRole::TrustSite => "nhs_trust_site",
            OdsRole::SubIcbLocation => "sub_icb_location",
        }
    }

    /// The form a code of this role takes, in words, for messages.
    pub fn form(self) -> &'static str {
        match self {
            OdsRole::Any => "an ODS code: 3 to 9 upper-case letters and digits",
            OdsRole::GpPractice => "a GP practice ODS code: a letter and five digits, e.g. A81001",
            OdsRole::PrimaryCareNetwork => {
                "a primary care network ODS code: U and five digits, e.g. U12345"
            }
            OdsRole::Trust => {
                "an NHS trust ODS code: R or T and two letters or digits, e.g. RXH"
            }
            OdsRole::TrustSite => {
                "an NHS trust site ODS code: the trust's three characters and two more, e.g. RXH01"
            }
            OdsRole::SubIcbLocation => {
                "a sub-ICB location ODS code: two digits and a letter (e.g. 00Q) or five characters letter, digit, letter, digit, letter (e.g. X2C4Y)"
            }
        }
    }

    /// The JSON Schema (ECMA-262) and `regex` pattern of the role's codes, anchored.
    pub fn pattern(self) -> &'static str {
        match self {
            OdsRole::Any => "^[A-Z0-9]{3,9}$",
            OdsRole::GpPractice => "^[A-Z][0-9]{5}$",
            OdsRole::PrimaryCareNetwork => "^U[0-9]{5}$",
            OdsRole::Trust => "^[RT][A-Z0-9]{2}$",
            OdsRole::TrustSite => "^[RT][A-Z0-9]{4}$",
            OdsRole::SubIcbLocation => "^(?:[0-9]{2}[A-Z]|[A-Z][0-9][A-Z][0-9][A-Z])$",
        }
    }

    /// Whether `s` is a code of this role.
    pub fn accepts(self, s: &str) -> bool {
        let b = s.as_bytes();
        let upper_or_digit = |c: &u8| c.is_ascii_uppercase() || c.is_ascii_digit();
        let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
        match self {
            OdsRole::Any => (3..=9).contains(&b.len()) && b.iter().all(upper_or_digit),
            OdsRole::GpPractice => b.len() == 6 && b[0].is_ascii_uppercase() && digits(&b[1..]),
            OdsRole::PrimaryCareNetwork => b.len() == 6 && b[0] == b'U' && digits(&b[1..]),
            OdsRole::Trust | OdsRole::TrustSite => {
                let len = if self == OdsRole::Trust { 3 } else { 5 };
                b.len() == len && matches!(b[0], b'R' | b'T') && b[1..].iter().all(upper_or_digit)
            }
            OdsRole::SubIcbLocation => match b.len() {
                3 => digits(&b[..2]) && b[2].is_ascii_uppercase(),
                5 => b.iter().enumerate().all(|(i, c)| {
                    if i % 2 == 0 {
                        c.is_ascii_uppercase()
                    } else {
                        c.is_ascii_digit()
                    }
                }),
                _ => false,
            },
        }
    }
}

/// ODS organisation or site code of any role: 3 to 9 upper-case ASCII letters and digits.
pub fn is_ods_code(s: &str) -> bool {
    OdsRole::Any.accepts(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROLES: [OdsRole; 6] = [
        OdsRole::Any,
        OdsRole::GpPractice,
        OdsRole::PrimaryCareNetwork,
        OdsRole::Trust,
        OdsRole::TrustSite,
        OdsRole::SubIcbLocation,
    ];

    fn accepted_by(s: &str) -> Vec<OdsRole> {
        ROLES.into_iter().filter(|r| r.accepts(s)).collect()
    }

    #[test]
    fn each_role_accepts_its_own_codes_only() {
        use OdsRole::*;
        let cases: &[(&str, &[OdsRole])] = &[
            ("A81001", &[Any, GpPractice]),
            ("Y02345", &[Any, GpPractice]),
            ("U12345", &[Any, GpPractice, PrimaryCareNetwork]),
            ("RXH", &[Any, Trust]),
            ("R1H", &[Any, Trust]),
            ("TAK", &[Any, Trust]),
            ("RXH01", &[Any, TrustSite]),
            ("RH802", &[Any, TrustSite]),
            ("TAK01", &[Any, TrustSite]),
            ("00Q", &[Any, SubIcbLocation]),
            ("15N", &[Any, SubIcbLocation]),
            ("X2C4Y", &[Any, SubIcbLocation]),
            ("D4U1Y", &[Any, SubIcbLocation]),
            ("VNF3Q", &[Any]),
            ("8HA03", &[Any]),
            ("LSP0101", &[Any]),
            ("EE134290", &[Any]),
            ("a81001", &[]),
            ("A8100", &[Any]),
            ("A810011", &[Any]),
            ("A810011234", &[]),
            ("U1234", &[Any]),
            ("RX", &[]),
            ("rxh", &[]),
            ("0Q", &[]),
            ("000Q", &[Any]),
            ("A81 001", &[]),
            ("Ａ81001", &[]),
            ("", &[]),
        ];
        for (s, want) in cases {
            assert_eq!(accepted_by(s), *want, "{s}");
        }
        assert!(is_ods_code("A81001") && !is_ods_code("A8"));
    }

    #[test]
    fn patterns_say_what_accepts_does() {
        let samples = [
            "A81001", "U12345", "RXH", "TAK", "RXH01", "00Q", "X2C4Y", "VNF3Q", "a81001", "U1234",
            "0Q", "RX", "R1", "12A", "1A2B3", "X2C4", "A8100Z", "RXH0", "RXH012", "",
        ];
        for r in ROLES {
            let re = regex::Regex::new(r.pattern()).unwrap();
            for s in samples {
                assert_eq!(re.is_match(s), r.accepts(s), "{r:?} {s}");
            }
            assert!(!r.form().is_empty() && !r.as_str().is_empty());
        }
    }
}
