//! The language-neutral cases of the conformance of a record to a MODS version
//! (`tests/record-conformance/cases.json`) through the API the bindings call.

use mods_api::{conformance, ConformanceOptions, FromJson};
use serde_json::{json, Value};
use std::path::PathBuf;

fn cases() -> Vec<Value> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/record-conformance/cases.json");
    let text = std::fs::read_to_string(path).expect("the cases");
    let doc: Value = serde_json::from_str(&text).expect("cases JSON");
    doc["cases"].as_array().expect("cases").clone()
}

/// Gaps as `[code, path, basis]`.
fn gaps(v: &Value) -> Value {
    Value::Array(
        v.as_array()
            .expect("gaps")
            .iter()
            .map(|g| json!([g["code"], g["path"], g["basis"]]))
            .collect(),
    )
}

/// What `case` says is wrong with `got`, if anything.
fn check(case: &Value) -> Vec<String> {
    let name = case["name"].as_str().unwrap_or("?");
    let opts = ConformanceOptions::from_value(&case["options"]).expect("options");
    let text = match (&case.get("record"), &case.get("record_text")) {
        (Some(r), _) => r.to_string(),
        (None, Some(t)) => t.as_str().expect("record_text").to_owned(),
        _ => panic!("{name}: no record"),
    };
    let expect = &case["expect"];
    let mut wrong = Vec::new();
    let got = match conformance(&text, &opts) {
        Ok(a) => serde_json::to_value(&a).expect("serialises"),
        Err(e) => {
            if expect["error"] != e.code().as_str() {
                wrong.push(format!("{name}: error {} not expected", e.code()));
            }
            return wrong;
        }
    };
    if let Some(code) = expect.get("error") {
        wrong.push(format!("{name}: expected the error {code}"));
        return wrong;
    }
    let mut same = |what: &str, want: &Value, have: &Value| {
        let equal = match (want.as_f64(), have.as_f64()) {
            (Some(a), Some(b)) => (a - b).abs() < 1e-12,
            _ => want == have,
        };
        if !equal {
            wrong.push(format!("{name}: {what}: expected {want}, got {have}"));
        }
    };
    for key in ["conformant", "score", "record_version", "mods_version"] {
        if let Some(want) = expect.get(key) {
            same(key, want, &got[key]);
        }
    }
    if let Some(want) = expect.get("valid") {
        same("valid", want, &got["validation"]["valid"]);
    }
    if let Some(want) = expect.get("gaps") {
        same("gaps", want, &gaps(&got["gaps"]));
    }
    let classes = got["classes"].as_array().expect("classes");
    if let Some(want) = expect.get("class_list") {
        let have: Vec<Value> = classes.iter().map(|c| c["class"].clone()).collect();
        same("class_list", want, &Value::Array(have));
    }
    for (class, want) in expect["classes"].as_object().into_iter().flatten() {
        let Some(have) = classes.iter().find(|c| c["class"] == class.as_str()) else {
            same(class, &json!("assessed"), &json!("not assessed"));
            continue;
        };
        for (key, w) in want.as_object().expect("class expectations") {
            let h = if key == "gaps" {
                gaps(&have["gaps"])
            } else {
                have[key].clone()
            };
            same(&format!("{class}.{key}"), w, &h);
        }
    }
    let out = got.to_string();
    for s in case["never_in_output"].as_array().into_iter().flatten() {
        let s = s.as_str().expect("a string");
        if out.contains(s) {
            wrong.push(format!(
                "{name}: the assessment holds the person's data ({s})"
            ));
        }
    }
    wrong
}

#[test]
fn every_case_holds() {
    let cases = cases();
    assert!(cases.len() >= 12);
    let wrong: Vec<String> = cases.iter().flat_map(check).collect();
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_cases_cover_every_gap_code_but_unreadable_and_every_basis() {
    // `unreadable` is the CLI's (mods-cli/tests/conformance.rs): the API gives an error.
    let mut seen = std::collections::BTreeSet::new();
    for case in cases() {
        let e = &case["expect"];
        let all = e["gaps"].as_array().into_iter().flatten().chain(
            e["classes"]
                .as_object()
                .into_iter()
                .flat_map(|m| m.values())
                .flat_map(|c| c["gaps"].as_array().into_iter().flatten()),
        );
        for g in all {
            seen.insert(g[0].as_str().unwrap_or_default().to_owned());
            seen.insert(format!("basis:{}", g[2].as_str().unwrap_or_default()));
        }
    }
    for want in [
        "class-missing",
        "element-missing",
        "version-mismatch",
        "version-unsupported",
        "basis:published",
        "basis:provisional",
        "basis:profile",
        "basis:document",
    ] {
        assert!(seen.contains(want), "no case shows {want}");
    }
}
