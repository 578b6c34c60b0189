//! `mods fhir merge-gp` and `mods fhir discharge`.

use assert_cmd::Command;
use serde_json::Value;

fn mods() -> Command {
    Command::cargo_bin("mods").unwrap()
}

fn root(p: &str) -> String {
    format!("{}/../{p}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn merge_gp_prints_the_merged_record_and_reports_on_stderr() {
    let out = mods()
        .args(["fhir", "merge-gp"])
        .arg(root("examples/records/mr-bodat.json"))
        .arg(root("mods-fhir/tests/fixtures/gp-record-mr-bodat.json"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let record: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["allergy"].as_array().unwrap().len(), 2);
    assert_eq!(record["medication"].as_array().unwrap().len(), 3);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("already-present\tmedication\tmed-bodat-metformin"),
        "{err}"
    );
    assert!(err.contains("4 added, 1 already present"), "{err}");
}

#[test]
fn discharge_reports_as_json_and_refuses_another_persons_bundle() {
    let out = mods()
        .args(["fhir", "discharge", "--report-format", "json"])
        .arg(root("examples/records/james.json"))
        .arg(root("mods-fhir/tests/fixtures/discharge-james.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(report["report"]["added"], serde_json::json!([]));
    assert_eq!(
        report["report"]["already_present"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Mr Bodat's record, James's discharge: refused, nothing on stdout
    let out = mods()
        .args(["fhir", "discharge"])
        .arg(root("examples/records/mr-bodat.json"))
        .arg(root("mods-fhir/tests/fixtures/discharge-james.json"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("another person"), "{err}");
    assert!(!err.contains("4010232137"), "no NHS number in the message");
}
