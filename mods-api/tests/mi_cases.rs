//! The language-neutral cases of management information (`tests/mi/*.json`) through the
//! API the bindings call.

use mods_api::{aggregate, aggregate_rows, extract, AggregateOptions, ExtractOptions, FromJson};
use serde_json::Value;
use std::path::PathBuf;

fn cases(name: &str) -> Vec<Value> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/mi")
        .join(name);
    let text = std::fs::read_to_string(&path).unwrap();
    let v: Value = serde_json::from_str(&text).unwrap();
    v["cases"].as_array().unwrap().clone()
}

/// A case's records as JSON text: a string is taken as the text itself (not JSON).
fn texts(case: &Value) -> Vec<String> {
    case["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| match r {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        })
        .collect()
}

fn error_matches(name: &str, e: &mods_api::Error, want: &Value) {
    let got = serde_json::to_value(e).unwrap();
    assert_eq!(got["code"], want["code"], "{name}: {got}");
    assert_eq!(got["option"], want["option"], "{name}: {got}");
}

#[test]
fn aggregate_cases() {
    let all = cases("aggregate.json");
    assert!(all.len() >= 5);
    for case in all {
        let name = case["name"].as_str().unwrap();
        let result = AggregateOptions::from_value(&case["options"])
            .and_then(|o| aggregate(&texts(&case), &o));
        if let Some(want) = case.get("error") {
            error_matches(name, &result.unwrap_err(), want);
            continue;
        }
        let t = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let rows = Value::from(
            aggregate_rows(&t)
                .into_iter()
                .map(|r| serde_json::to_value(r).unwrap())
                .collect::<Vec<_>>(),
        );
        assert_eq!(rows, case["rows"], "{name}");
        assert_eq!(Value::from(t.total_people), case["total_people"], "{name}");
        assert_eq!(
            Value::from(t.total_records),
            case["total_records"],
            "{name}"
        );
        assert_eq!(Value::from(t.unreadable), case["unreadable"], "{name}");
    }
}

fn hex(s: &str) -> Vec<u8> {
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
        .collect()
}

#[test]
fn extract_cases() {
    let all = cases("extract.json");
    assert!(all.len() >= 3);
    for case in all {
        let name = case["name"].as_str().unwrap();
        let key = hex(case["key_hex"].as_str().unwrap());
        let result = ExtractOptions::from_value(&case["options"])
            .and_then(|o| extract(&texts(&case), &o, &key));
        if let Some(want) = case.get("error") {
            error_matches(name, &result.unwrap_err(), want);
            continue;
        }
        let x = result.unwrap_or_else(|e| panic!("{name}: {e}"));
        let want = case["rows"].as_array().unwrap();
        assert_eq!(x.rows.len(), want.len(), "{name}");
        for (got, want) in x.rows.iter().zip(want) {
            let want = want.as_object().unwrap();
            let columns: Vec<&String> = got.0.iter().map(|(k, _)| k).collect();
            assert_eq!(columns, x.columns.iter().collect::<Vec<_>>(), "{name}");
            for (column, value) in &got.0 {
                let expected = want.get(column).cloned().unwrap_or(Value::from(""));
                assert_eq!(value, &expected, "{name}: {column}");
            }
        }
        let text = serde_json::to_string(&x).unwrap();
        for secret in case["absent"].as_array().unwrap() {
            let secret = secret.as_str().unwrap();
            assert!(!text.contains(secret), "{name}: {secret} in the extract");
        }
    }
}
