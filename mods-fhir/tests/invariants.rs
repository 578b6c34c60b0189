//! FHIR invariants the export must keep whatever the record holds (found by the validators
//! on generated records): a Condition entered in error has no clinicalStatus (con-5), and a
//! MedicationAdministration whose MODS date no FHIR dateTime can hold still has effective[x]
//! (a data-absent-reason). Both round-trip to the same record.

use mods_fhir::{from_fhir, to_fhir, ExportOptions, ImportOptions};
use serde_json::{json, Value};
use std::path::PathBuf;

fn record() -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/records/mrs-smith-after-fall.json");
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn resources<'a>(bundle: &'a Value, ty: &str) -> Vec<&'a Value> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .filter(|r| r["resourceType"] == ty)
        .collect()
}

fn round_trip(record: &Value) -> Value {
    let report = mods_core::validate_record(record, &Default::default());
    assert!(report.valid, "{:?}", report.issues);
    let bundle = to_fhir(record, &ExportOptions::default()).unwrap();
    let bytes = serde_json::to_vec(&bundle).unwrap();
    let back = from_fhir(&bytes, &ImportOptions::default()).unwrap().record;
    assert_eq!(&back, record, "the record does not come back");
    bundle
}

#[test]
fn a_condition_entered_in_error_has_no_clinical_status() {
    let mut r = record();
    let problem = &mut r["problem"][0];
    assert!(
        problem.get("problem_status").is_some(),
        "the example's problem has a status"
    );
    problem["verification_status"] = json!({"code": "entered-in-error"});
    let bundle = round_trip(&r);
    let uid = r["problem"][0]["record_uid"].as_str().unwrap().to_string();
    let condition = resources(&bundle, "Condition")
        .into_iter()
        .find(|c| c["identifier"].to_string().contains(&uid))
        .expect("the problem's Condition");
    assert_eq!(
        condition["verificationStatus"]["coding"][0]["code"],
        "entered-in-error"
    );
    assert!(
        condition.get("clinicalStatus").is_none(),
        "con-5: {condition}"
    );
}

#[test]
fn an_administration_dated_without_a_year_keeps_effective() {
    let mut r = record();
    r["medication_administration"][0]["date"] = json!("--03");
    let bundle = round_trip(&r);
    for ma in resources(&bundle, "MedicationAdministration") {
        let has = ma.get("effectiveDateTime").is_some()
            || ma["_effectiveDateTime"]["extension"][0]["url"]
                == "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
        assert!(has, "effective[x] missing: {ma}");
    }
}
