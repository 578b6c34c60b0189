//! The language-neutral discharge merge cases (`tests/flows/discharge/`), run through
//! `mods_api::merge_discharge` as every binding runs them.

use mods_api::{merge_discharge, FromJson, Input, MergeDischargeOptions};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A case input: a path relative to the repository root, or the document itself.
fn input(v: &Value) -> Value {
    match v {
        Value::String(p) => {
            let text =
                std::fs::read_to_string(root().join(p)).unwrap_or_else(|e| panic!("{p}: {e}"));
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{p}: {e}"))
        }
        other => other.clone(),
    }
}

/// Every key of `expected` equals the same key of `actual`, for each item in order.
fn subset_list(what: &str, actual: &Value, expected: &Value, case: &str) {
    let (a, e) = (
        actual.as_array().cloned().unwrap_or_default(),
        expected.as_array().cloned().unwrap_or_default(),
    );
    assert_eq!(a.len(), e.len(), "{case}: {what}: {actual:#}");
    for (x, y) in a.iter().zip(&e) {
        for (k, v) in y.as_object().into_iter().flatten() {
            assert_eq!(&x[k], v, "{case}: {what}.{k}: {x:#}");
        }
    }
}

#[test]
fn discharge_cases() {
    let dir = root().join("tests/flows/discharge");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("cases")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 9, "{files:?}");
    for f in files {
        let case: Value =
            serde_json::from_str(&std::fs::read_to_string(&f).expect("read")).expect("case JSON");
        let name = f
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("?")
            .to_owned();
        let opts = MergeDischargeOptions::from_value(&case["options"]).expect("options");
        let record = input(&case["record"]);
        let discharge = input(&case["discharge"]);
        let base = case.get("base").map(input);
        let got = merge_discharge(&record, &discharge, base.as_ref().map(Input::from), &opts);
        let expect = &case["expect"];
        if let Some(code) = expect.get("error") {
            let e = got.expect_err(&name);
            assert_eq!(e.code().as_str(), code, "{name}");
            continue;
        }
        let m = got.unwrap_or_else(|e| panic!("{name}: {e}"));
        let r = &m.report;
        for what in ["changes", "conflicts"] {
            if let Some(e) = expect.get(what) {
                subset_list(what, &r[what], e, &name);
            }
        }
        if let Some(e) = expect.get("notes") {
            let kinds: Vec<Value> = r["notes"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|n| n["kind"].clone())
                .collect();
            assert_eq!(&Value::Array(kinds), e, "{name}: notes");
        }
        if let Some(v) = expect.get("valid") {
            assert_eq!(
                &r["validation"]["valid"], v,
                "{name}: {:#}",
                r["validation"]
            );
        }
        for check in expect["record"].as_array().into_iter().flatten() {
            let p = check["pointer"].as_str().expect("pointer");
            assert_eq!(m.record.pointer(p), Some(&check["value"]), "{name}: {p}");
        }
        if let Some(file) = expect.get("record_equals") {
            assert!(m.record == input(file), "{name}: differs from {file}");
        }
    }
}
