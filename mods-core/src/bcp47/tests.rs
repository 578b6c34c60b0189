//! Tests of the BCP 47 check, over the examples of RFC 5646 Appendix A and the tags care
//! records in England use.

use super::*;
use proptest::prelude::*;

/// RFC 5646 Appendix A, every example tag (all well-formed).
const RFC_EXAMPLES: &[&str] = &[
    // simple language subtag
    "de",
    "fr",
    "ja",
    "i-enochian",
    // language subtag plus script subtag
    "zh-Hant",
    "zh-Hans",
    "sr-Cyrl",
    "sr-Latn",
    // extended language subtags and their primary language subtag counterparts
    "zh-cmn-Hans-CN",
    "cmn-Hans-CN",
    "zh-yue-HK",
    "yue-HK",
    // language-script-region
    "zh-Hans-CN",
    "sr-Latn-RS",
    // language-variant
    "sl-rozaj",
    "sl-rozaj-biske",
    "sl-nedis",
    // language-region-variant
    "de-CH-1901",
    "sl-IT-nedis",
    // language-script-region-variant
    "hy-Latn-IT-arevela",
    // language-region
    "de-DE",
    "en-US",
    "es-419",
    // private use subtags
    "de-CH-x-phonebk",
    "az-Arab-x-AZE-derbend",
    // private use registry values
    "x-whatever",
    "qaa-Qaaa-QM-x-southern",
    "de-Qaaa",
    "sr-Latn-QM",
    "sr-Qaaa-RS",
    // tags that use extensions
    "en-US-u-islamcal",
    "zh-CN-a-myext-x-private",
    "en-a-myext-b-another",
];

/// RFC 5646 Appendix A "Some Invalid Tags" that are not even well-formed, and other
/// malformed tags.
const MALFORMED: &[&str] = &[
    "de-419-DE", // two region subtags
    "a-DE",      // a single-character primary subtag
    "",
    "-",
    "en-",
    "-en",
    "en--GB",
    "en_GB",
    "en GB",
    " en",
    "en-GB ",
    "e",
    "toolonglang",
    "en-GB-x",   // private use with no subtag
    "x",         // same
    "en-a",      // singleton with no subtag
    "en-a-b-cc", // a singleton directly after another
    "en-x-toolongsubtag",
    "zh-abc-def-ghi-jkl", // four extended language subtags
    "en-GB-GB",
    "en-Latn-Latn",
    "123",
    "1en",
    "en-ü",
    "ENGLISH-x-",
    "i-notregistered", // i- is only the grandfathered tags
    "en-GB-oed-x",
];

#[test]
fn rfc_examples_are_well_formed() {
    for t in RFC_EXAMPLES {
        assert!(parse(t).is_ok(), "{t} should be well-formed");
        assert_ne!(check(t), TagStatus::Malformed, "{t}");
        assert_ne!(check(t), TagStatus::UnknownLanguage, "{t}");
    }
}

#[test]
fn malformed_tags_are_refused() {
    for t in MALFORMED {
        assert_eq!(parse(t), Err(Malformed), "{t:?} should be malformed");
        assert_eq!(check(t), TagStatus::Malformed, "{t:?}");
    }
}

#[test]
fn well_formed_edge_cases() {
    // a 7-letter primary subtag and an 8-letter variant: well-formed, but no such language
    assert_eq!(check("english-language"), TagStatus::UnknownLanguage);
    // 4-8 letter primary language subtags are reserved or unregistered
    assert_eq!(check("abcd"), TagStatus::UnknownLanguage);
    assert_eq!(check("abcdefgh"), TagStatus::UnknownLanguage);
    // extlangs: three allowed, and only after a 2-3 letter language
    assert!(parse("zh-abc-def-ghi").is_ok());
    assert_eq!(parse("abcd-abc"), Err(Malformed));
    // a variant of four starting with a digit; a 4-letter subtag after a region is no variant
    assert!(parse("de-CH-1996").is_ok());
    assert_eq!(parse("de-CH-abcd"), Err(Malformed));
    // extensions after variants, private use last
    assert!(parse("en-GB-oxendict-u-ca-gregory-x-local").is_ok());
    // ARABIC-style duplicate singletons are well-formed (RFC 5646 calls them invalid)
    assert!(parse("ar-a-aaa-b-bbb-a-ccc").is_ok());
}

#[test]
fn parts_are_split_out() {
    let Ok(LanguageTag::Tag(t)) = parse("zh-cmn-Hans-CN-variant1-u-co-pinyin-x-private") else {
        panic!("well-formed");
    };
    assert_eq!(t.language, "zh");
    assert_eq!(t.extlangs, ["cmn"]);
    assert_eq!(t.script, Some("Hans"));
    assert_eq!(t.region, Some("CN"));
    assert_eq!(t.variants, ["variant1"]);
    assert_eq!(t.extensions, ["u-co-pinyin"]);
    assert_eq!(t.private_use, Some("x-private"));
    assert_eq!(
        parse("I-KLINGON"),
        Ok(LanguageTag::Grandfathered("I-KLINGON"))
    );
    assert_eq!(parse("x-abc"), Ok(LanguageTag::PrivateUse("x-abc")));
}

#[test]
fn languages_in_english_care_records() {
    // British Sign Language, Gujarati, English (UK), Welsh, Polish, Punjabi in Gurmukhi,
    // Sylheti, Irish Sign Language, Makaton has no subtag (the NHS q5 code covers it)
    for t in [
        "bfi", "gu", "en-GB", "cy", "pl", "pa-Guru", "syl", "isg", "EN-gb", "BFI",
    ] {
        assert_eq!(check(t), TagStatus::Known, "{t}");
    }
    assert_eq!(check("sgn-GB"), TagStatus::Known); // sgn is a collection, still registered
}

#[test]
fn unknown_and_deprecated_languages() {
    assert_eq!(check("xyz"), TagStatus::UnknownLanguage);
    assert_eq!(check("zz-GB"), TagStatus::UnknownLanguage);
    assert_eq!(check("qaa"), TagStatus::Known); // private use range qaa..qtz
    assert_eq!(check("qtz-GB"), TagStatus::Known);
    assert_eq!(check("quz"), TagStatus::Known); // Cusco Quechua, outside the range
    assert_eq!(check("qua"), TagStatus::Known); // Quapaw
    assert_eq!(check("qzz"), TagStatus::UnknownLanguage); // past the private-use range
    assert_eq!(
        check("iw"),
        TagStatus::Deprecated {
            preferred: Some("he")
        }
    );
    assert_eq!(
        check("MO-md"),
        TagStatus::Deprecated {
            preferred: Some("ro")
        }
    );
    assert_eq!(
        check("i-klingon"),
        TagStatus::Deprecated {
            preferred: Some("tlh")
        }
    );
    assert_eq!(check("i-default"), TagStatus::Known);
}

#[test]
fn registry_tables_are_complete() {
    assert_eq!(
        registry::TWO_LETTER.split(' ').count(),
        registry::TWO_LETTER_COUNT
    );
    let three: usize = registry::THREE_LETTER
        .iter()
        .map(|l| l.split(' ').filter(|s| !s.is_empty()).count())
        .sum();
    assert_eq!(three, registry::THREE_LETTER_COUNT);
    // every ISO 639-1 code of the embedded language value set is a registered subtag
    let lang = crate::model::latest()
        .value_set("language_code")
        .expect("embedded");
    let iso: Vec<&str> = lang
        .codes()
        .map(|(_, c)| c.code)
        .filter(|c| c.bytes().all(|b| b.is_ascii_lowercase())) // not q1-q5
        .collect();
    assert_eq!(iso.len(), 184);
    for code in iso {
        assert_eq!(check(code), TagStatus::Known, "{code}");
    }
    let sorted = |v: &[&str]| v.windows(2).all(|w| w[0] < w[1]);
    let deprecated: Vec<&str> = registry::DEPRECATED.iter().map(|d| d.0).collect();
    assert!(
        sorted(&deprecated),
        "DEPRECATED must be sorted for binary search"
    );
    assert_eq!(registry::GRANDFATHERED.len(), 26);
}

fn schema_regex() -> regex::Regex {
    regex::Regex::new(&pattern()).expect("the pattern compiles")
}

#[test]
fn pattern_agrees_with_the_parser_on_the_examples() {
    let re = schema_regex();
    for t in RFC_EXAMPLES.iter().chain(MALFORMED).chain(&[
        "i-klingon",
        "EN-gb-OED",
        "sgn-BE-FR",
        "zh-min-nan",
        "art-lojban",
    ]) {
        assert_eq!(re.is_match(t), parse(t).is_ok(), "{t:?}");
    }
}

proptest! {
    /// Tags made of plausible subtags: the schema pattern and the parser agree on each.
    #[test]
    fn pattern_agrees_with_the_parser(parts in prop::collection::vec(
        prop_oneof![
            "[a-zA-Z]{1,8}", "[0-9]{1,4}", "[a-zA-Z0-9]{1,9}", Just("x".to_owned()),
            Just("u".to_owned()), Just("".to_owned()),
        ],
        1..7,
    )) {
        let tag = parts.join("-");
        prop_assert_eq!(schema_regex().is_match(&tag), parse(&tag).is_ok(), "{:?}", tag);
    }
}
