//! The cases of `tests/flows/mar/` (their format is in the README there), run through
//! `mods_api::mar`; and, for each, the dose-rule warnings of the view against the issues of
//! validation at the same doses.

use mods_api::{mar, FromJson, MarOptions, MarView};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn cases() -> Vec<(String, Value)> {
    let dir = root().join("tests/flows/mar/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("the cases folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 10, "cases missing from {}", dir.display());
    files
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let case = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (name, case)
        })
        .collect()
}

fn record_of(case: &Value) -> Vec<u8> {
    match case.get("record_file").and_then(Value::as_str) {
        Some(f) => std::fs::read(root().join(f)).expect("the record file"),
        None => serde_json::to_vec(&case["record"]).unwrap(),
    }
}

/// `want` (a case's value) equals `got`, numbers compared as numbers.
fn same(want: &Value, got: &Value) -> bool {
    match (want, got) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        _ => want == got,
    }
}

fn check(name: &str, case: &Value) {
    let opts = MarOptions::from_value(case.get("options").unwrap_or(&Value::Null)).unwrap();
    let date = case["date"].as_str().unwrap();
    let expect = &case["expect"];
    let got = mar(record_of(case).as_slice(), date, &opts);
    if let Some(code) = expect.get("error") {
        let e = got.expect_err(name);
        let e = serde_json::to_value(&e).unwrap();
        assert_eq!(&e["code"], code, "{name}");
        if let Some(option) = expect.get("option") {
            assert_eq!(&e["option"], option, "{name}");
        }
        return;
    }
    let view = got.unwrap_or_else(|e| panic!("{name}: {e}"));
    let v = serde_json::to_value(&view).unwrap();
    if let Some(valid) = expect.get("valid") {
        assert_eq!(&v["validation"]["valid"], valid, "{name}: valid");
    }
    if let Some(Value::Object(person)) = expect.get("person") {
        for (k, want) in person {
            assert_eq!(&v["person"][k], want, "{name}: person.{k}");
        }
    }
    if let Some(lb) = expect.get("look_back_from") {
        assert_eq!(&v["period"]["look_back_from"], lb, "{name}");
    }
    if let Some(Value::Array(doses)) = expect.get("doses") {
        let pointers: Vec<&Value> = doses.iter().map(|d| &d["pointer"]).collect();
        let got: Vec<&Value> = v["doses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| &d["pointer"])
            .collect();
        assert_eq!(got, pointers, "{name}: doses");
        for (want, d) in doses.iter().zip(v["doses"].as_array().unwrap()) {
            let at = want["pointer"].as_str().unwrap();
            let fields = [
                ("time", &d["time"]),
                ("medicine", &d["medicine"]["name"]),
                ("given_by", &d["given_by"]["name"]),
                ("role", &d["given_by"]["role"]),
                ("information_source", &d["information_source"]["code"]),
                ("counted", &d["counted"]),
            ];
            for (k, got) in fields {
                if let Some(w) = want.get(k) {
                    assert_eq!(got, w, "{name}: {at} {k}");
                }
            }
            if let Some(w) = want.get("warnings") {
                let codes: Vec<Value> = d["warnings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|i| v["warnings"][i.as_u64().unwrap() as usize]["code"].clone())
                    .collect();
                assert_eq!(&Value::Array(codes), w, "{name}: {at} warnings");
            }
        }
    }
    if let Some(earlier) = expect.get("earlier_doses") {
        let got: Vec<Value> = v["earlier_doses"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["pointer"].clone())
            .collect();
        assert_eq!(&Value::Array(got), earlier, "{name}: earlier doses");
    }
    if let Some(Value::Array(warnings)) = expect.get("warnings") {
        let got = v["warnings"].as_array().unwrap();
        let pairs = |ws: &[Value]| -> Vec<(Value, Value)> {
            ws.iter()
                .map(|w| (w["code"].clone(), w["dose"].clone()))
                .collect()
        };
        assert_eq!(pairs(got), pairs(warnings), "{name}: warnings");
        for (want, w) in warnings.iter().zip(got) {
            if let Some(Value::Object(c)) = want.get("context") {
                for (k, x) in c {
                    assert!(
                        same(x, &w["context"][k]),
                        "{name}: {} context.{k}: {} != {}",
                        w["code"],
                        w["context"][k],
                        x
                    );
                }
            }
        }
    }
    dose_rules_agree(name, &view);
}

/// Each dose-rule warning of the view is the validation issue at its dose: the same code,
/// message and context.
fn dose_rules_agree(name: &str, view: &MarView) {
    let rule_codes = [
        "dose-within-minimum-interval",
        "maximum-dose-per-24-hours-exceeded",
    ];
    let in_period: Vec<&str> = view.doses.iter().map(|d| d.pointer.as_str()).collect();
    let mut from_view: Vec<(String, String, String, String)> = view
        .warnings
        .iter()
        .filter(|w| rule_codes.contains(&w.code.as_str()))
        .map(|w| {
            (
                w.dose.clone().unwrap(),
                w.code.as_str().to_owned(),
                w.message.clone(),
                Value::Object(w.context.clone()).to_string(),
            )
        })
        .collect();
    let mut from_report: Vec<(String, String, String, String)> = view
        .validation
        .issues
        .iter()
        .filter(|i| rule_codes.contains(&i.code.as_str()) && in_period.contains(&i.path.as_str()))
        .map(|i| {
            (
                i.path.clone(),
                i.code.as_str().to_owned(),
                i.message.clone(),
                Value::Object(i.context.clone()).to_string(),
            )
        })
        .collect();
    from_view.sort();
    from_report.sort();
    assert_eq!(from_view, from_report, "{name}: the view's dose warnings");
}

#[test]
fn every_case_of_tests_flows_mar() {
    for (name, case) in cases() {
        check(&name, &case);
    }
}

#[test]
fn a_case_that_expects_something_else_fails() {
    // the checker is not vacuous: change one expected fact of a case and it must fail
    let (_, mut case) = cases()
        .into_iter()
        .find(|(n, _)| n == "mrs-smith-day-of-the-fall")
        .unwrap();
    case["expect"]["warnings"][0]["context"]["interval_hours"] = 1.5.into();
    let r = std::panic::catch_unwind(|| check("altered", &case));
    assert!(r.is_err());
}
