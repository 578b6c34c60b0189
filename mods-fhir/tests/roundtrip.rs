//! MODS to FHIR to MODS is the identity on every example record, for every Bundle type and
//! profile set; the import of our own export reports nothing.

use mods_fhir::{from_fhir, to_fhir, BundleType, ExportOptions, ImportOptions, ProfileSet};
use serde_json::Value;
use std::path::PathBuf;

fn examples() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/records");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let v: Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
            out.push((p.file_name().unwrap().to_string_lossy().into_owned(), v));
        }
    }
    assert!(out.len() >= 5);
    out
}

fn diff(a: &Value, b: &Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for k in x.keys().chain(y.keys().filter(|k| !x.contains_key(*k))) {
                match (x.get(k), y.get(k)) {
                    (Some(p), Some(q)) => diff(p, q, &format!("{path}/{k}"), out),
                    (p, q) => out.push(format!("{path}/{k}: {p:?} vs {q:?}")),
                }
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                diff(p, q, &format!("{path}/{i}"), out);
            }
        }
        _ if a != b => out.push(format!("{path}: {a} vs {b}")),
        _ => {}
    }
}

#[test]
fn every_example_round_trips() {
    for (name, record) in examples() {
        for bundle_type in [
            BundleType::Collection,
            BundleType::Transaction,
            BundleType::Document,
        ] {
            for profiles in [ProfileSet::UkCoreCurrent, ProfileSet::UkCoreStu2] {
                let opts = ExportOptions::default()
                    .with_bundle_type(bundle_type)
                    .with_profiles(profiles)
                    .with_timestamp("2025-11-03T12:00:00Z");
                let bundle = to_fhir(&record, &opts).unwrap_or_else(|e| panic!("{name}: {e}"));
                let text = serde_json::to_vec(&bundle).unwrap();
                let back = from_fhir(&text, &ImportOptions::default()).unwrap();
                let mut d = Vec::new();
                diff(&record, &back.record, "", &mut d);
                assert!(
                    d.is_empty(),
                    "{name} {bundle_type:?}: {} differences:\n{}",
                    d.len(),
                    d.join("\n")
                );
                assert!(
                    back.report.issues.is_empty(),
                    "{name} {bundle_type:?}: {:#?}",
                    back.report.issues
                );
                assert!(back.report.validation.valid, "{name}");
            }
        }
    }
}
