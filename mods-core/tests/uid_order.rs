//! A `record_uid` used by records of two collections is reported on the same record
//! whichever order the collections are written in: the members of a JSON object have no
//! order, and a `Value` walks them sorted by key, so the bytes and the `Value` must agree.

use mods_core::{validate_record, validate_record_json, ValidationOptions};
use serde_json::Value;

fn duplicate_paths(text: &str) -> (Vec<String>, Vec<String>) {
    let opts = ValidationOptions::default();
    let from_bytes = validate_record_json(text.as_bytes(), &opts).expect("JSON");
    let doc: Value = serde_json::from_str(text).unwrap();
    let from_value = validate_record(&doc, &opts);
    let paths = |r: &mods_core::Report| {
        r.issues
            .iter()
            .filter(|i| i.code.as_str() == "duplicate-record-uid")
            .map(|i| i.path.clone())
            .collect::<Vec<_>>()
    };
    (paths(&from_bytes), paths(&from_value))
}

#[test]
fn the_same_record_is_reported_whatever_the_order_of_the_collections() {
    let soc = r#""subject_of_care": {"record_uid": "soc-1", "person_name": [{"given_name": ["A"], "family_name": "B"}]}"#;
    let need =
        r#""need": [{"record_uid": "same", "subject_of_care": "soc-1", "need_description": "x"}]"#;
    let alert = r#""alert": [{"record_uid": "same", "subject_of_care": "soc-1", "alert_description": "y"}]"#;
    let mut seen = Vec::new();
    for (a, b) in [(need, alert), (alert, need)] {
        let text = format!(r#"{{"mods_version": "1.0", {soc}, {a}, {b}}}"#);
        let (bytes, value) = duplicate_paths(&text);
        assert_eq!(bytes, value, "bytes vs Value: {text}");
        assert_eq!(bytes.len(), 1, "{text}: {bytes:?}");
        seen.push(bytes[0].clone());
    }
    assert_eq!(
        seen[0], seen[1],
        "the order of the collections changed the verdict"
    );
    // pointer order: /alert/0 before /need/0, so the need's uid is the second
    assert_eq!(seen[0], "/need/0/record_uid");
}
