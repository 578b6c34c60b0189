//! A MedicationRequest from another system is read as a Medication by `from_fhir` (as the GP
//! and discharge flows read it), and what it holds beyond that is reported.

use mods_fhir::{from_fhir, ImportOptions};
use serde_json::{json, Value};

fn bundle(request: Value) -> Value {
    json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "https://gp.example.org/fhir/Patient/p1", "resource": {
            "resourceType": "Patient", "id": "p1",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
            "name": [{"family": "Smith", "given": ["Margaret"]}]
        }},
        {"fullUrl": "https://gp.example.org/fhir/Practitioner/d1", "resource": {
            "resourceType": "Practitioner", "id": "d1",
            "identifier": [{"system": "https://fhir.hl7.org.uk/Id/gmc-number", "value": "7654321"}],
            "name": [{"family": "Okafor", "given": ["Ngozi"]}]
        }},
        {"fullUrl": "https://gp.example.org/fhir/Organization/o1", "resource": {
            "resourceType": "Organization", "id": "o1", "name": "Beech Surgery"
        }},
        {"fullUrl": "https://gp.example.org/fhir/MedicationRequest/m1", "resource": request}
    ]})
}

fn request() -> Value {
    json!({
        "resourceType": "MedicationRequest", "id": "m1",
        "status": "active",
        "intent": "order",
        "subject": {"reference": "Patient/p1"},
        "medicationCodeableConcept": {
            "coding": [{"system": "https://dmd.nhs.uk", "code": "39720311000001101", "display": "Paracetamol 500mg tablets"}],
            "text": "Paracetamol 500mg tablets"
        },
        "authoredOn": "2025-10-01T09:12:00+01:00",
        "requester": {"reference": "Practitioner/d1"},
        "dosageInstruction": [{
            "text": "One or two tablets up to four times a day when required",
            "asNeededBoolean": true,
            "route": {"coding": [{"system": "http://snomed.info/sct", "code": "26643006", "display": "Oral route"}]},
            "doseAndRate": [{"doseQuantity": {"value": 1, "unit": "tablet", "system": "http://snomed.info/sct", "code": "428673006"}}],
            "timing": {"repeat": {"boundsPeriod": {"end": "2025-12-31"}}}
        }],
        "substitution": {"allowedBoolean": true}
    })
}

fn import(b: &Value) -> mods_fhir::Imported {
    from_fhir(&serde_json::to_vec(b).unwrap(), &ImportOptions::default()).unwrap()
}

#[test]
fn a_medication_request_is_a_medication() {
    let got = import(&bundle(request()));
    let meds = got.record["medication"].as_array().expect("a Medication");
    assert_eq!(meds.len(), 1);
    let m = &meds[0];
    let worker = got.record["care_worker"][0]["record_uid"].clone();
    assert_eq!(m["record_uid"], "MedicationRequest-m1");
    assert_eq!(
        m["subject_of_care"],
        got.record["subject_of_care"]["record_uid"]
    );
    assert_eq!(m["medication_code"]["code"], "39720311000001101");
    assert_eq!(m["medication_name"], "Paracetamol 500mg tablets");
    assert_eq!(
        m["dose_instructions"],
        "One or two tablets up to four times a day when required"
    );
    assert_eq!(m["as_required"], true);
    assert_eq!(m["route"]["code"], "26643006");
    assert_eq!(m["dose_quantity"], 1);
    assert_eq!(m["dose_unit"]["code"], "428673006");
    assert_eq!(m["start_date"], "2025-10-01");
    assert_eq!(m["date"], "2025-10-01");
    assert_eq!(m["end_date"], "2025-12-31");
    assert_eq!(m["medication_status"]["code"], "active");
    assert_eq!(m["prescriber"], worker);
    let at_entry: Vec<(&str, &str)> = got
        .report
        .issues
        .iter()
        .filter(|i| i.location.starts_with("Bundle.entry[3]"))
        .map(|i| (i.code, i.location.as_str()))
        .collect();
    assert_eq!(
        at_entry,
        vec![
            ("fhir-element-unmapped", "Bundle.entry[3].resource.intent"),
            (
                "fhir-element-unmapped",
                "Bundle.entry[3].resource.substitution.allowedBoolean"
            ),
        ]
    );
}

#[test]
fn what_a_medication_request_cannot_give_is_reported() {
    let mut r = request();
    r["status"] = json!("draft-ish");
    r["requester"] = json!({"reference": "Organization/o1"});
    r["subject"] = json!({"reference": "Patient/someone-else"});
    let got = import(&bundle(r));
    let m = &got.record["medication"][0];
    assert!(m.get("medication_status").is_none());
    assert!(m.get("prescriber").is_none());
    let mut found: Vec<(&str, &str)> = got
        .report
        .issues
        .iter()
        .filter(|i| i.location.starts_with("Bundle.entry[3]") && i.code != "fhir-element-unmapped")
        .map(|i| (i.code, i.location.as_str()))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            (
                "fhir-reference-wrong-target",
                "Bundle.entry[3].resource.requester"
            ),
            ("fhir-subject-mismatch", "Bundle.entry[3].resource.subject"),
            ("fhir-value-invalid", "Bundle.entry[3].resource.status"),
        ]
    );
    assert!(got
        .report
        .issues
        .iter()
        .filter(|i| i.code != "fhir-element-unmapped")
        .all(|i| i.severity == mods_core::Severity::Error));
    // cancelled before it was taken: stopped
    let mut r = request();
    r["status"] = json!("cancelled");
    let got = import(&bundle(r));
    assert_eq!(
        got.record["medication"][0]["medication_status"]["code"],
        "stopped"
    );
}
