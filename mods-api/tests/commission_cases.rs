//! The language-neutral cases of the commissioning flow (`tests/flows/commission/cases.json`)
//! through the API the bindings call.

use mods_api::{
    commission_accept, commission_package, CommissionAcceptOptions, CommissionPackageOptions,
    FromJson,
};
use serde_json::{json, Value};
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// An input of a case: a file of the repository, with `set` and `remove` applied.
fn input(spec: &Value) -> Value {
    let path = spec["path"].as_str().expect("path");
    let text = std::fs::read_to_string(root().join(path)).expect("input file");
    let mut v: Value = serde_json::from_str(&text).expect("input JSON");
    if let Some(set) = spec.get("set").and_then(Value::as_object) {
        for (pointer, value) in set {
            let (parent, last) = pointer.rsplit_once('/').expect("a pointer");
            let target = v.pointer_mut(parent).expect("parent exists");
            match target {
                Value::Object(m) => {
                    m.insert(last.to_owned(), value.clone());
                }
                Value::Array(a) => a[last.parse::<usize>().expect("index")] = value.clone(),
                _ => panic!("cannot set {pointer}"),
            }
        }
    }
    if let Some(remove) = spec.get("remove").and_then(Value::as_array) {
        for pointer in remove.iter().filter_map(Value::as_str) {
            let (parent, last) = pointer.rsplit_once('/').expect("a pointer");
            if let Some(Value::Object(m)) = v.pointer_mut(parent) {
                m.remove(last);
            }
        }
    }
    v
}

fn issues(report: &Value) -> Vec<(String, String, String)> {
    let mut out: Vec<(String, String, String)> = report["validation"]["issues"]
        .as_array()
        .expect("issues")
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap_or_default().to_owned(),
                i["pointer"].as_str().unwrap_or_default().to_owned(),
                i["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    out.sort();
    out
}

fn check(name: &str, result: Result<Value, mods_api::Error>, expect: &Value) {
    if let Some(code) = expect.get("error") {
        let e = result.expect_err(name);
        assert_eq!(json!(e.code().as_str()), *code, "{name}: {e}");
        let part = expect["message"].as_str().expect("message");
        assert!(e.to_string().contains(part), "{name}: {e}");
        return;
    }
    let got = result.unwrap_or_else(|e| panic!("{name}: {e}"));
    let report = &got["report"];
    for (k, want) in expect.as_object().expect("expect") {
        match k.as_str() {
            "issues" => {
                let mut want: Vec<(String, String, String)> = want
                    .as_array()
                    .expect("issues")
                    .iter()
                    .map(|i| {
                        (
                            i["code"].as_str().unwrap().to_owned(),
                            i["pointer"].as_str().unwrap().to_owned(),
                            i["severity"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect();
                want.sort();
                assert_eq!(issues(report), want, "{name}: issues");
            }
            "records_include" => {
                for (class, n) in want.as_object().expect("records_include") {
                    assert_eq!(report["records"][class], *n, "{name}: records of {class}");
                }
            }
            "added_count" => {
                assert_eq!(
                    json!(report["added"].as_array().map_or(0, Vec::len)),
                    *want,
                    "{name}: added"
                );
            }
            _ => assert_eq!(report[k], *want, "{name}: {k}"),
        }
    }
}

#[test]
fn every_commission_case() {
    let text = std::fs::read_to_string(root().join("tests/flows/commission/cases.json"))
        .expect("cases file");
    let file: Value = serde_json::from_str(&text).expect("cases JSON");
    let cases = file["cases"].as_array().expect("cases");
    assert!(cases.len() >= 8);
    for case in cases {
        let name = case["name"].as_str().expect("name");
        let result = match case["operation"].as_str() {
            Some("package") => {
                let council = input(&case["council"]);
                let opts = CommissionPackageOptions::from_value(&case["options"]).expect(name);
                commission_package(&council, &opts)
                    .map(|p| serde_json::to_value(p).expect("serialisable"))
            }
            Some("accept") => {
                let of = &case["package_of"];
                let popts = CommissionPackageOptions::from_value(&of["options"]).expect(name);
                let package = commission_package(&input(&of["council"]), &popts)
                    .expect(name)
                    .package;
                let provider = input(&case["provider"]);
                let opts = CommissionAcceptOptions::from_value(&case["options"]).expect(name);
                commission_accept(&provider, &package, &opts)
                    .map(|a| serde_json::to_value(a).expect("serialisable"))
            }
            other => panic!("{name}: unknown operation {other:?}"),
        };
        check(name, result, &case["expect"]);
    }
}

#[test]
fn options_are_read_by_name() {
    let e = CommissionPackageOptions::from_value(&json!({"plan": "p", "colour": 1})).unwrap_err();
    assert_eq!(e.code().as_str(), "unknown-option");
    let e = CommissionAcceptOptions::from_value(&json!({"new_person": "yes"})).unwrap_err();
    assert_eq!(e.code().as_str(), "invalid-option");
    let e = commission_package(
        &json!({"mods_version": "1.0"}),
        &CommissionPackageOptions::default(),
    )
    .unwrap_err();
    assert_eq!(e.code().as_str(), "invalid-option");
}
