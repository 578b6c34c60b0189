//! The language-neutral cases of sharing (`tests/share/cases.json`) through the API the
//! bindings call, with the checks every view must pass.

use mods_api::{share, FromJson, ShareOptions};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The record of a case: a file of the repository with `set` applied, or inline `json`.
fn record(spec: &Value) -> Value {
    if let Some(v) = spec.get("json") {
        return v.clone();
    }
    let path = spec["path"].as_str().expect("path");
    let text = std::fs::read_to_string(root().join(path)).expect("record file");
    let mut v: Value = serde_json::from_str(&text).expect("record JSON");
    if let Some(set) = spec.get("set").and_then(Value::as_object) {
        for (pointer, value) in set {
            let (parent, last) = pointer.rsplit_once('/').expect("a pointer");
            match v.pointer_mut(parent).expect("parent exists") {
                Value::Object(m) => {
                    m.insert(last.to_owned(), value.clone());
                }
                _ => panic!("cannot set {pointer}"),
            }
        }
    }
    v
}

fn count(doc: &Value, class: &str) -> usize {
    match doc.get(class) {
        Some(Value::Array(a)) => a.len(),
        Some(Value::Object(_)) => 1,
        _ => 0,
    }
}

/// What every view must be.
fn invariants(name: &str, input: &Value, got: &Value) {
    let view = &got["view"];
    let issues = got["validation"]["issues"].as_array().unwrap();
    assert!(
        !issues.iter().any(|i| i["code"] == "dangling-reference"),
        "{name}: a dangling reference"
    );
    let manifest = &got["manifest"];
    let withheld = manifest["withheld"].as_array().unwrap();
    let mut listed: BTreeMap<&str, u64> = BTreeMap::new();
    for w in withheld.iter().filter(|w| w.get("element").is_none()) {
        *listed.entry(w["class"].as_str().unwrap()).or_default() += w["count"].as_u64().unwrap();
    }
    for (class, c) in manifest["classes"].as_object().unwrap() {
        let input_n = count(input, class) as u64;
        assert_eq!(
            c["input"].as_u64().unwrap(),
            input_n,
            "{name}: {class} input"
        );
        assert_eq!(
            c["kept"].as_u64().unwrap(),
            count(view, class) as u64,
            "{name}: {class} kept"
        );
        assert_eq!(
            c["kept"].as_u64().unwrap() + listed.get(class.as_str()).copied().unwrap_or(0),
            input_n,
            "{name}: {class} kept + withheld"
        );
    }
    for (class, n) in &listed {
        assert!(
            manifest["classes"].get(class).is_some(),
            "{name}: {class} listed, not counted"
        );
        assert!(*n > 0);
    }
}

#[test]
fn every_share_case_holds() {
    let text = std::fs::read_to_string(root().join("tests/share/cases.json")).expect("cases.json");
    let doc: Value = serde_json::from_str(&text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let input = record(&case["record"]);
        let mut options = case["options"].clone();
        if let Some(p) = case.get("policy_path").and_then(Value::as_str) {
            options["policy"] = Value::String(std::fs::read_to_string(root().join(p)).unwrap());
        }
        let opts = ShareOptions::from_value(&options).expect("options");
        let expect = &case["expect"];
        let result = share(&input, &opts);
        if let Some(code) = expect.get("error").and_then(Value::as_str) {
            let e = result.expect_err(name);
            assert_eq!(e.code().as_str(), code, "{name}: {e}");
            let m = expect["message"].as_str().unwrap();
            assert!(e.to_string().contains(m), "{name}: {e}");
            continue;
        }
        let got = serde_json::to_value(result.unwrap_or_else(|e| panic!("{name}: {e}"))).unwrap();
        invariants(name, &input, &got);
        let view = &got["view"];
        if let Some(v) = expect.get("valid") {
            assert_eq!(
                &got["validation"]["valid"], v,
                "{name}: {}",
                got["validation"]
            );
        }
        for class in expect
            .get("kept_all")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let c = class.as_str().unwrap();
            assert!(count(&input, c) > 0, "{name}: the input has {c}");
            assert_eq!(count(view, c), count(&input, c), "{name}: {c}");
        }
        for class in expect
            .get("absent")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            assert!(
                view.get(class.as_str().unwrap()).is_none(),
                "{name}: {class}"
            );
        }
        if let Some(only) = expect.get("present_only").and_then(Value::as_array) {
            let only: Vec<&str> = only.iter().filter_map(Value::as_str).collect();
            for k in view.as_object().unwrap().keys() {
                assert!(
                    only.contains(&k.as_str()) || k == "mods_version" || k == "mods_extensions",
                    "{name}: {k}"
                );
            }
        }
        for p in expect
            .get("elements_absent")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let p = p.as_str().unwrap();
            assert!(input.pointer(p).is_some(), "{name}: the input has {p}");
            assert!(view.pointer(p).is_none(), "{name}: {p}");
        }
        let withheld = got["manifest"]["withheld"].as_array().unwrap();
        for want in expect
            .get("withheld")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let want = want.as_object().unwrap();
            assert!(
                withheld.iter().any(|w| want.iter().all(|(k, v)| &w[k] == v)
                    && (want.contains_key("element") || w.get("element").is_none())),
                "{name}: {want:?} not in {withheld:#?}"
            );
        }
    }
}
