//! The generated classes are built from outside the crate with `new` (their mandatory
//! elements) and then their public fields; they are `#[non_exhaustive]`, so a new optional
//! element in a later release does not break that code (docs/releasing.md).

use mods_core::generated::{v0_2_1, v1_0, v1_1};
use mods_core::types::{Coding, NaiveDate, PartialDate};
use serde_json::{json, Value};

/// Every `pub struct` of a generated module is marked `#[non_exhaustive]` and has a `new`.
#[test]
fn every_generated_class_is_non_exhaustive_and_has_new() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/generated");
    for file in ["v0_2_1.rs", "v1_0.rs", "v1_1.rs"] {
        let text = std::fs::read_to_string(format!("{dir}/{file}")).unwrap();
        let mut structs = 0;
        let mut previous: Vec<&str> = Vec::new();
        for line in text.lines() {
            if let Some(rest) = line.strip_prefix("pub struct ") {
                let name = rest.split_whitespace().next().unwrap();
                structs += 1;
                assert!(
                    previous
                        .iter()
                        .rev()
                        .take(4)
                        .any(|l| *l == "#[non_exhaustive]"),
                    "{file}: {name} is not #[non_exhaustive]"
                );
                assert!(
                    text.contains(&format!("impl {name} {{")),
                    "{file}: {name} has no impl with new"
                );
            }
            previous.push(line);
        }
        assert!(structs > 25, "{file}: only {structs} structs found");
    }
}

/// `new` sets exactly the mandatory elements; everything else starts empty and is not written.
#[test]
fn new_sets_the_mandatory_elements_only() {
    let alert = v1_0::Alert::new(
        "al-1".to_owned(),
        1,
        Coding::code("active"),
        "soc-1".to_owned(),
        PartialDate::Date(NaiveDate::from_ymd_opt(2026, 2, 2).unwrap()),
    );
    assert_eq!(
        serde_json::to_value(&alert).unwrap(),
        json!({"record_uid": "al-1", "version_number": 1, "status": {"code": "active"},
               "subject_of_care": "soc-1", "date": "2026-02-02"})
    );
    // (MODS 1.1 has one given name where 1.0 has several)
    let name = v1_1::PersonName::new("Ada".to_owned(), "Lovelace".to_owned());
    let v = serde_json::to_value(&name).unwrap();
    assert_eq!(v, json!({"given_name": "Ada", "family_name": "Lovelace"}));
    // and the value reads back into the same class
    assert_eq!(serde_json::from_value::<v1_1::PersonName>(v).unwrap(), name);
}

/// A class whose elements are all optional also has `Default`, equal to `new()`.
#[test]
fn all_optional_classes_have_default() {
    let empty = v1_0::PersonContactDetails::new();
    assert_eq!(empty, v1_0::PersonContactDetails::default());
    assert_eq!(serde_json::to_value(&empty).unwrap(), json!({}));
    let mut details = v0_2_1::PersonContactDetails::new();
    assert_eq!(details, v0_2_1::PersonContactDetails::default());
    details.email_address = vec!["a@example.org".to_owned()];
    assert_ne!(details, v0_2_1::PersonContactDetails::default());
    let record = v0_2_1::Record::new(v0_2_1::SubjectOfCare::new(
        "soc-1".to_owned(),
        vec![v0_2_1::PersonName::new(
            vec!["A".to_owned()],
            "B".to_owned(),
        )],
    ));
    assert_eq!(
        serde_json::to_value(record).unwrap()["mods_version"],
        Value::from("0.2.1")
    );
}
