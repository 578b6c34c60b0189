//! `mods fhir transfer-summary`: the hospital transfer summary as a FHIR document on stdout.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn mods() -> Command {
    Command::cargo_bin("mods").expect("the mods binary is built")
}

fn james() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/records/james.json")
        .to_string_lossy()
        .into_owned()
}

fn document(out: &[u8]) -> Value {
    let doc: Value = serde_json::from_slice(out).expect("stdout is one JSON document");
    assert_eq!(doc["type"], "document");
    assert_eq!(doc["entry"][0]["resource"]["resourceType"], "Composition");
    doc
}

#[test]
fn writes_the_document_at_the_time_given() {
    let out = mods()
        .args([
            "fhir",
            "transfer-summary",
            "--timestamp",
            "2026-01-20T15:00:00Z",
            &james(),
        ])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc = document(&out);
    let c = &doc["entry"][0]["resource"];
    assert_eq!(c["date"], "2026-01-20T15:00:00Z");
    assert_eq!(doc["timestamp"], "2026-01-20T15:00:00Z");
    assert_eq!(c["title"], "Hospital transfer summary");
    assert_eq!(c["section"].as_array().unwrap().len(), 8);
}

#[test]
fn without_a_timestamp_it_is_now_and_reads_stdin() {
    let out = mods()
        .args(["fhir", "transfer-summary", "--profiles", "stu2", "-"])
        .write_stdin(std::fs::read(james()).unwrap())
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let doc = document(&out);
    let ts = doc["timestamp"].as_str().unwrap();
    assert_eq!(doc["entry"][0]["resource"]["date"], ts);
    // YYYY-MM-DDThh:mm:ssZ, this century
    assert_eq!(ts.len(), 20, "{ts}");
    assert!(
        ts.starts_with("20") && ts.ends_with('Z') && &ts[10..11] == "T",
        "{ts}"
    );
}

#[test]
fn a_bad_timestamp_or_an_invalid_record_exits_1_without_quoting_it() {
    let a = mods()
        .args([
            "fhir",
            "transfer-summary",
            "--timestamp",
            "14/01/2026",
            &james(),
        ])
        .assert()
        .code(1);
    let out = a.get_output();
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a FHIR instant"));

    let mut record: Value = serde_json::from_slice(&std::fs::read(james()).unwrap()).unwrap();
    record["subject_of_care"]["nhs_number"] = Value::from("4010232138");
    let a = mods()
        .args(["fhir", "transfer-summary", "-"])
        .write_stdin(serde_json::to_vec(&record).unwrap())
        .assert()
        .code(1);
    let out = a.get_output();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.stdout.is_empty());
    assert!(
        err.contains("not valid MODS") && err.contains("mods validate"),
        "{err}"
    );
    assert!(!err.contains("4010232138"), "{err}");
}
