//! Property tests of the postcode and ODS code checks, and of their agreement with the
//! patterns of the generated JSON Schemas.

use mods_core::checks::{is_postcode, normalise_postcode, OdsRole};
use proptest::prelude::*;
use regex::Regex;
use std::sync::OnceLock;

/// The pattern of a shared definition of the current version's Address or GP practice schema.
fn schema_pattern(class: &str, def: &str) -> Regex {
    let v = mods_core::model::latest().mods_version;
    let s = mods_core::schema::class_schema(v, class).expect("class schema");
    Regex::new(s["$defs"][def]["pattern"].as_str().expect("pattern")).expect("compiles")
}

/// The schema's postcode pattern (any letter case).
fn postcode_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| schema_pattern("address", "Postcode"))
}

/// The schema's pattern of each ODS role an element of the current version uses.
fn ods_res() -> &'static [(OdsRole, Regex)] {
    static RES: OnceLock<Vec<(OdsRole, Regex)>> = OnceLock::new();
    RES.get_or_init(|| {
        vec![
            (OdsRole::Any, schema_pattern("location", "OdsCode")),
            (
                OdsRole::GpPractice,
                schema_pattern("gp_practice", "OdsGpPractice"),
            ),
            (
                OdsRole::PrimaryCareNetwork,
                schema_pattern("gp_practice", "OdsPcn"),
            ),
            (
                OdsRole::SubIcbLocation,
                schema_pattern("gp_practice", "OdsSubIcb"),
            ),
        ]
    })
}

/// A postcode in normal form, from the accepted shapes.
fn normal_postcode() -> impl Strategy<Value = String> {
    let inward = "[0-9][ABD-HJLNP-UW-Z]{2}";
    prop_oneof![
        (
            "[A-PR-UWYZ][0-9]|[A-PR-UWYZ][0-9]{2}|[A-PR-UWYZ][A-HK-Y][0-9]|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9]{2}|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]",
            inward
        )
            .prop_map(|(o, i)| format!("{o} {i}")),
        "[0-9][A-Z]Z".prop_map(|i| format!("ZZ99 {i}")),
        "(ASCN|BBND|BIQQ|FIQQ|PCRN|SIQQ|STHL|TDCU|TKCA)".prop_map(|o| format!("{o} 1ZZ")),
        "[0-9]{1,4}".prop_map(|n| format!("BFPO {n}")),
        Just("GIR 0AA".to_owned()),
    ]
}

/// `p` written another accepted way: any letter case, and no space or (for outward codes
/// of two or three characters) the padding of the 8-character form.
fn respelled(p: &str, lower: &[bool], spacing: u8) -> String {
    let (outward, inward) = p.split_once(' ').expect("a space");
    let gap = match spacing % 3 {
        0 => String::new(),
        1 => " ".to_owned(),
        _ if outward.len() < 4 && outward != "BFPO" => " ".repeat(5 - outward.len()),
        _ => " ".to_owned(),
    };
    format!("{outward}{gap}{inward}")
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if lower.get(i).copied().unwrap_or(false) {
                c.to_ascii_lowercase()
            } else {
                c
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any text: never a panic; what is accepted normalises to a normal form that is
    /// accepted as it is; the schema pattern accepts exactly what the library accepts.
    #[test]
    fn postcode_check_is_total_and_agrees_with_the_schema(
        s in "[A-Za-z0-9 /-]{0,10}|\\PC{0,10}"
    ) {
        let normal = normalise_postcode(&s);
        prop_assert_eq!(normal.is_some(), is_postcode(&s));
        if let Some(n) = &normal {
            prop_assert_eq!(normalise_postcode(n), Some(n.clone()));
            prop_assert_eq!(n.to_ascii_uppercase(), n.clone());
        }
        prop_assert_eq!(postcode_re().is_match(&s), is_postcode(&s), "{:?}", s);
    }

    /// Every accepted spelling of a postcode normalises to it, and the schema accepts it.
    #[test]
    fn every_spelling_of_a_postcode_normalises_to_it(
        p in normal_postcode(),
        lower in prop::collection::vec(any::<bool>(), 8),
        spacing in 0u8..3,
    ) {
        prop_assert_eq!(normalise_postcode(&p), Some(p.clone()));
        let s = respelled(&p, &lower, spacing);
        prop_assert_eq!(normalise_postcode(&s), Some(p.clone()), "{:?}", s);
        prop_assert!(postcode_re().is_match(&s));
    }

    /// Each ODS role's schema pattern accepts exactly the codes the library accepts.
    #[test]
    fn ods_patterns_agree_with_the_checks(s in "[A-Za-z0-9]{0,10}") {
        for (role, re) in ods_res() {
            prop_assert_eq!(re.is_match(&s), role.accepts(&s), "{:?} {:?}", role, s);
        }
    }
}
