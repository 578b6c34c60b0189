//! Import: what real senders send, and what goes wrong in it.

use mods_fhir::{from_fhir, FhirIssue, ImportError, ImportOptions};
use serde_json::{json, Value};

fn import(v: &Value) -> mods_fhir::Imported {
    from_fhir(&serde_json::to_vec(v).unwrap(), &ImportOptions::default()).expect("imports")
}

fn codes(issues: &[FhirIssue]) -> Vec<&str> {
    issues.iter().map(|i| i.code).collect()
}

fn patient() -> Value {
    json!({
        "resourceType": "Patient",
        "id": "p1",
        "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
        "name": [{"use": "official", "family": "Smith", "given": ["Margaret"]}],
        "birthDate": "1941-03-12"
    })
}

#[test]
fn a_transaction_without_ids_relative_and_uuid_references_partial_dates_text_only_codes() {
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": patient(),
             "request": {"method": "POST", "url": "Patient"}},
            {"fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222",
             "request": {"method": "POST", "url": "Condition", "ifNoneExist": "identifier=x|y"},
             "resource": {
                "resourceType": "Condition",
                "subject": {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"},
                "code": {"text": "Heart failure, diagnosed by her GP"},
                "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
                "onsetDateTime": "2024-11"
            }},
            {"fullUrl": "https://gp.example.org/fhir/AllergyIntolerance/a9",
             "resource": {
                "resourceType": "AllergyIntolerance",
                "id": "a9",
                "patient": {"reference": "Patient/p1"},
                "code": {"coding": [
                    {"system": "https://example.org/local-codes", "code": "PEN"},
                    {"system": "http://snomed.info/sct", "code": "91936005", "display": "Allergy to penicillin"}
                ]},
                "recordedDate": "2025-11-03T09:30:00+00:00"
            }}
        ]
    });
    let got = import(&bundle);
    let r = &got.record;
    assert_eq!(r["subject_of_care"]["nhs_number"], "9434765919");
    assert_eq!(
        r["subject_of_care"]["person_name"][0]["family_name"],
        "Smith"
    );
    let problem = &r["problem"][0];
    assert_eq!(
        problem["problem_description"], "Heart failure, diagnosed by her GP",
        "text-only code kept as text"
    );
    assert_eq!(problem["onset_date"], "2024-11", "partial date kept");
    assert_eq!(problem["problem_status"]["code"], "active");
    let allergy = &r["allergy"][0];
    assert_eq!(
        allergy["causative_agent"]["code"], "91936005",
        "the coding from the bound system is taken"
    );
    // what no element holds is reported by FHIRPath, never dropped in silence
    let unmapped: Vec<&str> = got
        .report
        .issues
        .iter()
        .filter(|i| i.code == "fhir-element-unmapped")
        .map(|i| i.location.as_str())
        .collect();
    assert!(
        unmapped.contains(&"Bundle.entry[2].resource.code.coding[0].code"),
        "{unmapped:?}"
    );
    // a recorded date-time where MODS holds a date: the date, and the time reported
    assert_eq!(allergy["date"], "2025-11-03");
    let truncated = got
        .report
        .issues
        .iter()
        .find(|i| i.code == "fhir-value-truncated")
        .expect("reported");
    assert_eq!(truncated.location, "Bundle.entry[2].resource.recordedDate");
    assert!(
        !codes(&got.report.issues).contains(&"fhir-reference-unresolved"),
        "{:?}",
        got.report.issues
    );
}

#[test]
fn kept_unmapped_parts_travel_in_the_extension_slot() {
    let mut p = patient();
    p["maritalStatus"] = json!({"text": "it's complicated"});
    p["multipleBirthBoolean"] = json!(false);
    let got = from_fhir(
        &serde_json::to_vec(&p).unwrap(),
        &ImportOptions::default().with_keep_unmapped(true),
    )
    .unwrap();
    let kept = got.record["mods_extensions"]["fhir_unmapped"]
        .as_array()
        .expect("kept");
    let paths: Vec<&str> = kept.iter().filter_map(|k| k["path"].as_str()).collect();
    assert!(paths.contains(&"Patient.multipleBirthBoolean"), "{paths:?}");
    assert!(paths.contains(&"Patient.maritalStatus.text"), "{paths:?}");
}

#[test]
fn broken_references_duplicate_full_urls_and_wrong_targets_are_reported() {
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": patient()},
            {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": {
                "resourceType": "Flag", "status": "active", "code": {"text": "Dog in the house"},
                "subject": {"reference": "urn:uuid:99999999-9999-4999-8999-999999999999"}}},
            {"fullUrl": "urn:uuid:33333333-3333-4333-8333-333333333333", "resource": {
                "resourceType": "CarePlan", "status": "active", "intent": "plan",
                "subject": {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"},
                "period": {"start": "2025-01-06"},
                "addresses": [{"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"}]}},
            {"fullUrl": "urn:uuid:44444444-4444-4444-8444-444444444444", "resource": {
                "resourceType": "Immunization", "status": "completed"}}
        ]
    });
    let got = import(&bundle);
    let c = codes(&got.report.issues);
    assert!(c.contains(&"fhir-duplicate-fullurl"), "{c:?}");
    assert!(c.contains(&"fhir-reference-unresolved"), "{c:?}");
    assert!(c.contains(&"fhir-reference-wrong-target"), "{c:?}");
    assert!(c.contains(&"fhir-resource-unmapped"), "{c:?}");
    let wrong = got
        .report
        .issues
        .iter()
        .find(|i| i.code == "fhir-reference-wrong-target")
        .unwrap();
    assert_eq!(wrong.location, "Bundle.entry[2].resource.addresses[0]");
    assert!(got.report.has_errors());
}

#[test]
fn not_json_and_not_fhir_are_errors_not_panics() {
    let o = ImportOptions::default();
    assert!(matches!(
        from_fhir(b"{not json", &o),
        Err(ImportError::Input(_))
    ));
    assert!(matches!(
        from_fhir(b"{\"a\": 1}", &o),
        Err(ImportError::NotFhir(_))
    ));
    assert!(matches!(
        from_fhir(b"[1,2]", &o),
        Err(ImportError::NotFhir(_))
    ));
    let odd = from_fhir(
        br#"{"resourceType": "Bundle", "type": "collection", "entry": [1, {"resource": "x"}, {}]}"#,
        &o,
    )
    .unwrap();
    assert_eq!(
        codes(&odd.report.issues)
            .iter()
            .filter(|c| **c == "fhir-entry-without-resource")
            .count(),
        3
    );
    assert!(codes(&odd.report.issues).contains(&"fhir-no-patient"));
}

#[test]
fn messages_never_quote_the_input() {
    let mut p = patient();
    p["identifier"][0]["value"] = json!("1234567890");
    p["name"][0]["text"] = json!("Margaret SMITH");
    let got = import(&p);
    assert!(codes(&got.report.issues).contains(&"fhir-nhs-number-check-digit"));
    for i in &got.report.issues {
        assert!(
            !i.message.contains("1234567890") && !i.message.contains("Margaret"),
            "{i:?}"
        );
        assert!(!i.location.contains("1234567890"), "{i:?}");
    }
}

#[test]
fn a_patient_from_another_system_gives_its_demographics_a_record() {
    let mut p = patient();
    p["gender"] = json!("female");
    p["maritalStatus"] = json!({"coding": [{"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-PersonMaritalStatusEngland", "code": "W", "display": "Widowed"}]});
    p["extension"] = json!([{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-EthnicCategory",
        "valueCodeableConcept": {"coding": [{"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-EthnicCategoryEngland", "code": "A", "display": "White - British"}]}}]);
    let got = import(&p);
    let soc = &got.record["subject_of_care"];
    let uid = soc["person_demographics"].as_str().expect("linked");
    let demo = &got.record["person_demographics"][0];
    assert_eq!(demo["record_uid"], uid);
    assert_eq!(demo["administrative_gender"]["code"], "female");
    assert_eq!(demo["marital_status"]["code"], "W");
    assert_eq!(demo["ethnicity"]["code"], "A");
    assert_eq!(demo["date_of_birth"], "1941-03-12");
    assert!(got.report.issues.is_empty(), "{:#?}", got.report.issues);
}

#[test]
fn a_pds_patient_imports_with_nothing_lost() {
    // the UK Core Patient PDS serves: names and addresses with use and period, telecom,
    // gender, birth date, death, the registered GP practice by ODS code, the NHS number with
    // its verification status
    let pds = json!({
        "resourceType": "Patient",
        "id": "9434765919",
        "meta": {"versionId": "4", "lastUpdated": "2025-10-01T09:00:00+00:00"},
        "identifier": [{
            "system": "https://fhir.nhs.uk/Id/nhs-number",
            "value": "9434765919",
            "extension": [{"url": "https://fhir.hl7.org.uk/StructureDefinition/Extension-UKCore-NHSNumberVerificationStatus",
                "valueCodeableConcept": {"coding": [{"system": "https://fhir.hl7.org.uk/CodeSystem/UKCore-NHSNumberVerificationStatusEngland", "code": "01", "display": "Number present and verified"}]}}]
        }],
        "name": [
            {"use": "official", "family": "Green", "given": ["Arthur", "James"], "prefix": ["Mr"], "period": {"start": "1938-05-02"}},
            {"use": "usual", "family": "Green", "given": ["Jim"], "period": {"start": "1990-01-01", "end": "2020-12-31"}}
        ],
        "gender": "male",
        "birthDate": "1938-05-02",
        "deceasedDateTime": "2026-02-01T07:30:00+00:00",
        "address": [
            {"use": "home", "line": ["Larchfield House Care Home", "14 Roundhay Park Lane"], "city": "Leeds", "district": "West Yorkshire", "postalCode": "LS8 2QR", "period": {"start": "2024-09-16"}},
            {"use": "old", "line": ["3 Oakwood Grove"], "city": "Leeds", "postalCode": "LS8 2PA", "period": {"start": "1970-04-01", "end": "2024-09-15"}}
        ],
        "telecom": [
            {"system": "phone", "value": "0113 496 0412", "use": "home"},
            {"system": "phone", "value": "07700 900123", "use": "mobile"},
            {"system": "email", "value": "arthur.green@example.org"}
        ],
        "generalPractitioner": [{"type": "Organization", "identifier": {"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "B86642"}, "display": "Oakwood Lane Surgery"}]
    });
    let got = from_fhir(
        &serde_json::to_vec(&pds).unwrap(),
        &ImportOptions::default().with_keep_unmapped(true),
    )
    .unwrap();
    let r = &got.record;
    let soc = &r["subject_of_care"];
    assert_eq!(soc["nhs_number"], "9434765919");
    assert_eq!(soc["nhs_number_verification_status"]["code"], "01");
    assert_eq!(soc["person_name"].as_array().unwrap().len(), 2);
    assert_eq!(soc["person_name"][1]["name_valid_to"], "2020-12-31");
    assert_eq!(soc["address"][1]["address_use"]["code"], "old");
    assert_eq!(soc["address"][1]["address_valid_to"], "2024-09-15");
    assert_eq!(soc["contact_details"]["home_telephone"], "0113 496 0412");
    assert_eq!(soc["contact_details"]["mobile_telephone"], "07700 900123");
    assert_eq!(
        soc["contact_details"]["email_address"][0],
        "arthur.green@example.org"
    );
    assert_eq!(soc["date_of_death"], "2026-02-01");
    assert_eq!(soc["version_number"], 4);
    let gp_uid = soc["registered_gp_practice"]
        .as_str()
        .expect("the GP practice is kept");
    let gp = &r["gp_practice"][0];
    assert_eq!(gp["record_uid"], gp_uid);
    assert_eq!(gp["gp_practice_code"], "B86642");
    assert_eq!(gp["organisation_name"], "Oakwood Lane Surgery");
    let demo = &r["person_demographics"][0];
    assert_eq!(demo["administrative_gender"]["code"], "male");
    // nothing unread; the one thing MODS cannot hold (the time of death) is said
    assert!(
        r.pointer("/mods_extensions/fhir_unmapped").is_none(),
        "{:#?}",
        got.report.issues
    );
    assert_eq!(
        codes(&got.report.issues),
        vec!["fhir-value-truncated"],
        "{:#?}",
        got.report.issues
    );
    assert_eq!(got.report.issues[0].location, "Patient.deceasedDateTime");
}

#[test]
fn a_practitioner_from_another_system_gives_its_register() {
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": patient()},
            {"fullUrl": "urn:uuid:55555555-5555-4555-8555-555555555555", "resource": {
                "resourceType": "Practitioner",
                "identifier": [{"system": "https://fhir.hl7.org.uk/Id/gmc-number", "value": "7123456"}],
                "name": [{"family": "Khan", "given": ["Amina"], "prefix": ["Dr"]}]
            }}
        ]
    });
    let got = import(&bundle);
    let w = &got.record["care_worker"][0];
    assert_eq!(w["registration_number"], "7123456");
    assert_eq!(w["registration_body"]["code"], "gmc");
    assert!(
        !got.report
            .issues
            .iter()
            .any(|i| i.location.contains("identifier")),
        "{:#?}",
        got.report.issues
    );
}

#[test]
fn a_registered_care_worker_is_exported_with_the_register_identifier() {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/records/mr-bodat.json");
    let record: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let bundle = mods_fhir::to_fhir(&record, &mods_fhir::ExportOptions::default()).unwrap();
    let registered: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resource"]["resourceType"] == "Practitioner")
        .flat_map(|e| e["resource"]["identifier"].as_array().into_iter().flatten())
        .filter(|i| {
            i["system"]
                .as_str()
                .is_some_and(|s| s.starts_with("https://fhir.hl7.org.uk/Id/"))
        })
        .collect();
    assert!(!registered.is_empty(), "no register identifier written");
}

#[test]
fn what_a_bundle_envelope_holds_beyond_its_structure_is_reported() {
    let bundle = json!({
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": "2025-11-03T12:00:00Z",
        "note": "not a Bundle member",
        "entry": [{"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": patient(), "comment": "x"}]
    });
    let got = import(&bundle);
    let unmapped: Vec<&str> = got
        .report
        .issues
        .iter()
        .filter(|i| i.code == "fhir-element-unmapped")
        .map(|i| i.location.as_str())
        .collect();
    assert_eq!(unmapped, vec!["Bundle.note", "Bundle.entry[0].comment"]);
}
