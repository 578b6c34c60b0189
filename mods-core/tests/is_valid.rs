//! `is_valid_*` (the verdict alone, which stops checking at the first error) agrees with
//! the full report's `valid` on every example record and on copies of them broken in many
//! places, from bytes and from a `Value`, lax and strict; and fails on the same input
//! errors. (The conformance corpus is checked the same way in tests/conformance.rs.)

use mods_core::{
    is_valid_instance, is_valid_instance_json, is_valid_record, is_valid_record_json,
    validate_instance, validate_instance_json, validate_record, validate_record_json,
    ValidationOptions,
};
use serde_json::{json, Value};
use std::path::Path;

fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/records");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| (p.display().to_string(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    assert!(out.len() >= 4, "only {} example records", out.len());
    out
}

fn options() -> [ValidationOptions; 2] {
    let today = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap();
    [
        ValidationOptions::default().with_today(today),
        ValidationOptions::strict().with_today(today),
    ]
}

/// The verdict agrees with the report, from the bytes and from the `Value`; returns it.
fn agree(name: &str, bytes: &[u8], opts: &ValidationOptions) -> Option<bool> {
    let full = validate_record_json(bytes, opts).map(|r| r.valid);
    let verdict = is_valid_record_json(bytes, opts);
    assert_eq!(
        verdict, full,
        "{name}: is_valid_record_json and validate disagree"
    );
    if let Ok(v) = serde_json::from_slice::<Value>(bytes) {
        assert_eq!(
            is_valid_record(&v, opts),
            validate_record(&v, opts).valid,
            "{name}: is_valid_record and validate_record disagree"
        );
    }
    full.ok()
}

/// Every object member of `v` (JSON pointer of the object, key), in document order.
fn members(v: &Value, at: &str, out: &mut Vec<(String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                out.push((at.to_owned(), k.clone()));
                members(
                    x,
                    &format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                members(x, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

#[test]
fn examples_agree() {
    for (name, bytes) in examples() {
        for opts in options() {
            assert_eq!(agree(&name, &bytes, &opts), Some(true), "{name} is valid");
        }
    }
}

/// Copies of each example broken at members spread over the whole document (removed, of
/// the wrong type, a wrong string, an unknown member beside it): the verdicts agree, and
/// most of the copies are invalid.
#[test]
fn broken_examples_agree() {
    let mut invalid = 0;
    let mut total = 0;
    for (name, bytes) in examples() {
        let doc: Value = serde_json::from_slice(&bytes).unwrap();
        let mut all = Vec::new();
        members(&doc, "", &mut all);
        let step = (all.len() / 40).max(1);
        for (at, key) in all.iter().step_by(step) {
            let replacements = [None, Some(json!(12345)), Some(json!("?")), Some(json!([]))];
            for (n, with) in replacements.into_iter().enumerate() {
                let mut copy = doc.clone();
                let obj = copy.pointer_mut(at).and_then(Value::as_object_mut).unwrap();
                match with {
                    None => {
                        obj.remove(key);
                    }
                    Some(v) => {
                        obj.insert(key.clone(), v);
                    }
                }
                if n == 0 {
                    obj.insert("zz_not_in_mods".into(), json!(1));
                }
                let b = serde_json::to_vec(&copy).unwrap();
                let what = format!("{name} with {at}/{key} changed ({n})");
                for opts in options() {
                    total += 1;
                    if agree(&what, &b, &opts) == Some(false) {
                        invalid += 1;
                    }
                }
            }
        }
    }
    assert!(total > 500, "only {total} broken copies");
    assert!(
        invalid * 2 > total,
        "only {invalid} of {total} copies are invalid"
    );
}

/// An early error does not hide input that cannot be read: the rest is still read (its
/// syntax, the limits), and the verdict fails as the report does.
#[test]
fn input_errors_after_an_error_are_the_same() {
    let (_, bytes) = examples().remove(0);
    let mut doc: Value = serde_json::from_slice(&bytes).unwrap();
    // an error at the start of the document (pointer order and reading order)
    doc["mods_version"] = json!(1);
    let text = serde_json::to_string(&doc).unwrap();
    let opts = ValidationOptions::default();
    assert_eq!(agree("early error", text.as_bytes(), &opts), Some(false));
    // then a syntax error at the end, a duplicate key, a limit
    let cut = &text[..text.len() - 1];
    let duplicate = format!("{},\"zz\":1,\"zz\":2}}", &text[..text.len() - 1]);
    let deep = format!(
        "{},\"zz\":{}{}}}",
        &text[..text.len() - 1],
        "[".repeat(100),
        "]".repeat(100)
    );
    for (what, input) in [("cut", cut), ("duplicate", &duplicate), ("deep", &deep)] {
        let full = validate_record_json(input.as_bytes(), &opts).map(|r| r.valid);
        assert!(full.is_err(), "{what}: an input error");
        assert_eq!(
            is_valid_record_json(input.as_bytes(), &opts),
            full,
            "{what}: the same input error"
        );
    }
    // a limit on the nodes that only the end of the document passes
    let limits = opts.limits.with_max_nodes(
        mods_core::parse_json(text.as_bytes(), &opts.limits)
            .map(|v| count(&v))
            .unwrap()
            - 1,
    );
    let tight = ValidationOptions::default().with_limits(limits);
    let full = validate_record_json(text.as_bytes(), &tight).map(|r| r.valid);
    assert!(full.is_err(), "one node too many");
    assert_eq!(is_valid_record_json(text.as_bytes(), &tight), full);
}

fn count(v: &Value) -> usize {
    1 + match v {
        Value::Object(m) => m.values().map(count).sum(),
        Value::Array(a) => a.iter().map(count).sum(),
        _ => 0,
    }
}

#[test]
fn instances_agree() {
    let opts = ValidationOptions::default();
    let cases = [
        json!({"alert_type": "x"}),
        json!({}),
        json!({"record_uid": 1, "zz": [1, 2, {"a": null}]}),
        json!([]),
    ];
    let classes: Vec<&str> = mods_core::model::latest()
        .classes
        .iter()
        .filter(|c| c.kind != mods_core::model::ClassKind::Abstract)
        .map(|c| c.technical_name)
        .collect();
    assert!(classes.len() > 20);
    for class in classes {
        for v in &cases {
            let b = serde_json::to_vec(v).unwrap();
            assert_eq!(
                is_valid_instance_json(class, &b, &opts).unwrap(),
                validate_instance_json(class, &b, &opts).unwrap().valid,
                "{class} {v}"
            );
            assert_eq!(
                is_valid_instance(class, v, &opts).unwrap(),
                validate_instance(class, v, &opts).unwrap().valid,
                "{class} {v}"
            );
        }
    }
    assert!(is_valid_instance("NoSuchClass", &json!({}), &opts).is_err());
}

/// A duplicate key is an input error whatever the object's size and the duplicate's place:
/// keys are kept in a short list, then a hash set (`walk::Keys`); both sides of the switch,
/// in an object the model does not know (scanned) and at the top of the document, and from
/// the verdict alone after an error.
#[test]
fn duplicate_keys_are_found_at_any_size() {
    let opts = ValidationOptions::default();
    for n in [1usize, 2, 15, 16, 17, 18, 40] {
        for dup in [0, n / 2, n - 1] {
            let mut members: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
            members.push(format!("\"k{dup}\": 0"));
            let inner = members.join(", ");
            for doc in [
                format!("{{\"mods_version\": \"1.0\", \"zz\": {{{inner}}}}}"),
                format!("{{\"mods_version\": \"1.0\", {inner}}}"),
                // an error first (a number as the version), then the duplicate
                format!("{{\"mods_version\": 1, \"zz\": {{{inner}}}}}"),
            ] {
                let full = validate_record_json(doc.as_bytes(), &opts);
                let code = full.as_ref().err().map(|e| e.code.as_str());
                assert_eq!(code, Some("input-duplicate-key"), "{n} {dup}: {doc}");
                assert_eq!(
                    is_valid_record_json(doc.as_bytes(), &opts).map_err(|e| e.code),
                    full.map(|r| r.valid).map_err(|e| e.code),
                    "{n} {dup}"
                );
            }
            // and no duplicate, no error
            let unique: Vec<String> = (0..n).map(|i| format!("\"k{i}\": {i}")).collect();
            let doc = format!(
                "{{\"mods_version\": \"1.0\", \"zz\": {{{}}}}}",
                unique.join(", ")
            );
            assert!(validate_record_json(doc.as_bytes(), &opts).is_ok(), "{n}");
        }
    }
}
