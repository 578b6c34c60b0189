//! The import flows: a GP record merged into a care record, a hospital discharge.

use mods_fhir::flows::discharge::import_discharge;
use mods_fhir::flows::gp_merge::merge_gp_record;
use mods_fhir::flows::merge::{MergeError, MergeOptions, Merged};
use serde_json::{json, Value};

fn example(name: &str) -> Value {
    let path = format!(
        "{}/../examples/records/{name}.json",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/fixtures/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

/// Mr Bodat's record, with the penicillin allergy his social worker recorded from what his
/// daughter told her (no criticality assessed).
fn bodat() -> Value {
    let mut r = example("mr-bodat");
    r["allergy"] = json!([{
        "record_uid": "alg-bodat-penicillin",
        "version_number": 1,
        "subject_of_care": "soc-bodat",
        "date": "2026-01-15",
        "care_actor": ["cw-emma"],
        "causative_agent": {"code": "764146007", "system": "http://snomed.info/sct", "display": "Penicillin"},
        "causative_agent_description": "Penicillin: a rash, his daughter says",
        "allergy_category": {"code": "medication", "display": "Medication"},
        "criticality": {"code": "unable-to-assess", "display": "Unable to Assess Risk"},
        "allergy_status": {"code": "active", "display": "Active"},
        "onset_date": "1998",
        "information_source": {"code": "family", "display": "Family"}
    }]);
    r
}

fn gp(record: &Value) -> Merged {
    merge_gp_record(
        record,
        &fixture("gp-record-mr-bodat.json"),
        &MergeOptions::default(),
    )
    .expect("merges")
}

fn uids(m: &Merged, class: &str, which: &str) -> Vec<String> {
    let list = if which == "added" {
        &m.report.added
    } else {
        &m.report.already_present
    };
    list.iter()
        .filter(|i| i.class == class)
        .map(|i| i.record_uid.clone())
        .collect()
}

fn find<'a>(record: &'a Value, class: &str, uid: &str) -> &'a Value {
    record[class]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["record_uid"] == uid)
        .unwrap_or_else(|| panic!("{class} {uid} in the record"))
}

fn codes(m: &Merged) -> Vec<&str> {
    m.report.issues.iter().map(|i| i.code).collect()
}

#[test]
fn a_gp_record_adds_exactly_the_new_items_and_reports_the_rest() {
    let before = bodat();
    let m = gp(&before);
    let r = &m.record;
    assert!(
        m.report.validation.valid,
        "{:?}",
        m.report.validation.issues
    );
    assert!(!m.report.has_errors(), "{:?}", m.report.issues);
    // already present: the penicillin allergy (onset 1998 both), metformin (dm+d code = SNOMED code)
    assert_eq!(uids(&m, "allergy", "present"), ["alg-bodat-penicillin"]);
    assert_eq!(uids(&m, "medication", "present"), ["med-bodat-metformin"]);
    // added: codeine intolerance, type 2 diabetes, atorvastatin (a MedicationRequest)
    assert_eq!(m.report.added.len(), 3, "{:?}", m.report.added);
    assert_eq!(r["allergy"].as_array().unwrap().len(), 2);
    assert_eq!(r["problem"].as_array().unwrap().len(), 1);
    assert_eq!(r["medication"].as_array().unwrap().len(), 3);
    let allergy = find(r, "allergy", &uids(&m, "allergy", "added")[0]);
    assert_eq!(allergy["causative_agent"]["code"], "387494007");
    assert_eq!(allergy["information_source"]["code"], "gp-record");
    assert_eq!(
        allergy["care_actor"],
        json!(["gp-millane"]),
        "the practice, matched by ODS code"
    );
    assert_eq!(allergy["subject_of_care"], "soc-bodat");
    assert_eq!(allergy["date"], "2022-11-28", "recordedDate");
    assert_eq!(allergy["version_number"], 1);
    let problem = find(r, "problem", &uids(&m, "problem", "added")[0]);
    assert_eq!(problem["problem_code"]["code"], "44054006");
    assert_eq!(problem["information_source"]["code"], "gp-record");
    let med = find(r, "medication", &uids(&m, "medication", "added")[0]);
    assert_eq!(med["medication_code"]["code"], "320000009");
    assert_eq!(med["dose_instructions"], "Take ONE tablet at night.");
    assert_eq!(med["start_date"], "2026-02-20", "authoredOn");
    assert_eq!(med["medication_status"]["code"], "active");
    assert_eq!(
        med["prescriber"], "cw-drkhan",
        "the requester, by GMC number"
    );
    assert_eq!(med["care_actor"], json!(["gp-millane"]));
    assert_eq!(med["dose_quantity"], 1);
    // the conflict is reported, the record's value kept
    assert_eq!(m.report.conflicts.len(), 1, "{:?}", m.report.conflicts);
    let c = &m.report.conflicts[0];
    assert_eq!(
        (c.record_uid.as_str(), c.element),
        ("alg-bodat-penicillin", "criticality")
    );
    assert_eq!(
        find(r, "allergy", "alg-bodat-penicillin"),
        &before["allergy"][0],
        "an already present record is left as it is"
    );
    // everything else of the record is untouched
    for (k, v) in before.as_object().unwrap() {
        if !["allergy", "problem", "medication"].contains(&k.as_str()) {
            assert_eq!(&r[k], v, "{k} untouched");
        }
    }
    // unmapped parts are reported by FHIRPath (verificationStatus has no MODS element)
    assert!(m
        .report
        .unmapped()
        .any(|i| i.location == "Bundle.entry[4].resource.verificationStatus.coding[0].code"));
    // what the flow reads itself is not reported as unmapped
    assert!(!m
        .report
        .issues
        .iter()
        .any(|i| i.location.ends_with("recordedDate")
            || i.location.ends_with("authoredOn")
            || i.code == "fhir-resource-unmapped"));
}

#[test]
fn merging_the_same_gp_record_twice_adds_nothing_the_second_time() {
    let once = gp(&bodat());
    let twice = gp(&once.record);
    assert!(twice.report.added.is_empty(), "{:?}", twice.report.added);
    assert_eq!(twice.report.already_present.len(), 5);
    assert_eq!(twice.record, once.record);
    assert!(twice.report.validation.valid);
}

#[test]
fn a_gp_record_for_another_person_is_refused() {
    let mut b: Value = serde_json::from_slice(&fixture("gp-record-mr-bodat.json")).unwrap();
    // Mrs Smith's NHS number
    b["entry"][0]["resource"]["identifier"][0]["value"] = json!("9434765919");
    let text = serde_json::to_vec(&b).unwrap();
    let got = merge_gp_record(&bodat(), &text, &MergeOptions::default());
    assert!(matches!(got, Err(MergeError::OtherPatient)), "{got:?}");
    // a Patient without an NHS number cannot be matched
    b["entry"][0]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("identifier");
    let got = merge_gp_record(
        &bodat(),
        &serde_json::to_vec(&b).unwrap(),
        &MergeOptions::default(),
    );
    assert!(matches!(got, Err(MergeError::Patient(_))), "{got:?}");
    // nor a record whose subject has none
    let mut r = bodat();
    r["subject_of_care"]
        .as_object_mut()
        .unwrap()
        .remove("nhs_number");
    let got = merge_gp_record(
        &r,
        &fixture("gp-record-mr-bodat.json"),
        &MergeOptions::default(),
    );
    assert!(matches!(got, Err(MergeError::Record(_))), "{got:?}");
    // the error names no one
    let msg = MergeError::OtherPatient.to_string();
    assert!(!msg.contains("9434765"), "{msg}");
}

#[test]
fn an_unknown_practice_is_added_as_a_gp_practice_by_its_ods_code() {
    let mut r = bodat();
    r["gp_practice"][0]["gp_practice_code"] = json!("B85999");
    let m = gp(&r);
    assert!(
        m.report.validation.valid,
        "{:?}",
        m.report.validation.issues
    );
    let practice = uids(&m, "gp_practice", "added");
    assert_eq!(practice.len(), 1);
    let p = find(&m.record, "gp_practice", &practice[0]);
    assert_eq!(p["gp_practice_code"], "B85641");
    assert_eq!(p["organisation_name"], "Mill Lane Medical Practice");
    let allergy = find(&m.record, "allergy", &uids(&m, "allergy", "added")[0]);
    assert_eq!(allergy["care_actor"], json!([practice[0]]));
    // and found by its code the next time
    let again = gp(&m.record);
    assert!(again.report.added.is_empty(), "{:?}", again.report.added);
}

/// James's record as it was before he left hospital: without the discharge details, the
/// discharge medicine (and its administrations) and the discharge summary.
fn james_in_hospital() -> Value {
    let mut r = example("james");
    let o = r.as_object_mut().unwrap();
    o.remove("discharge_details");
    for (class, gone) in [
        ("medication", "med-james-amoxicillin"),
        ("document", "doc-james-discharge"),
    ] {
        o[class]
            .as_array_mut()
            .unwrap()
            .retain(|x| x["record_uid"] != gone);
    }
    o["medication_administration"]
        .as_array_mut()
        .unwrap()
        .retain(|x| x["medication"] != "med-james-amoxicillin");
    r
}

fn discharge(record: &Value) -> Merged {
    import_discharge(
        record,
        &fixture("discharge-james.json"),
        &MergeOptions::default(),
    )
    .expect("imports")
}

#[test]
fn a_discharge_links_to_the_admission_and_adds_the_medicine_and_the_summary() {
    let before = james_in_hospital();
    assert!(mods_core::validate_record(&before, &Default::default()).valid);
    let m = discharge(&before);
    let r = &m.record;
    assert!(
        m.report.validation.valid,
        "{:?}",
        m.report.validation.issues
    );
    assert!(!m.report.has_errors(), "{:?}", m.report.issues);
    assert_eq!(m.report.added.len(), 3, "{:?}", m.report.added);
    let doc_uid = &uids(&m, "document", "added")[0];
    let d = &r["discharge_details"][0];
    assert_eq!(
        d["admission"], "adm-james",
        "linked by period.start = admission time"
    );
    assert_eq!(d["hospital"], "org-irwell", "the hospital, by ODS code");
    assert_eq!(d["subject_of_care"], "soc-james");
    assert_eq!(&d["discharge_summary"], doc_uid);
    assert_eq!(d["discharge_method"]["code"], "1");
    assert_eq!(d["discharge_destination"]["code"], "19");
    assert_eq!(d["discharge_date_and_time"], "2026-01-22T15:30+00:00");
    let med = find(r, "medication", &uids(&m, "medication", "added")[0]);
    assert_eq!(med["medication_code"]["code"], "39732411000001106");
    assert_eq!(med["start_date"], "2026-01-22");
    assert_eq!(med["end_date"], "2026-01-28", "boundsPeriod.end");
    assert_eq!(med["care_actor"], json!(["org-irwell"]));
    assert_eq!(med["dose_unit"]["code"], "732937005");
    assert!(
        med.get("prescriber").is_none(),
        "the hospital doctor is no care worker of the record"
    );
    assert!(codes(&m).contains(&"merge-reference-dropped"));
    let doc = find(r, "document", doc_uid);
    assert_eq!(
        doc["document_title"],
        "Inpatient discharge summary, Acute Medical Unit"
    );
    assert_eq!(doc["document_mime_type"], "application/pdf");
    assert_eq!(doc["document_name"]["code"], "373942005");
    assert_eq!(doc["subject"], "soc-james");
    assert_eq!(doc["author"], json!(["org-irwell"]));
    // the inline content is handed back
    assert_eq!(m.attachments.len(), 1);
    assert_eq!(&m.attachments[0].record_uid, doc_uid);
    assert!(m.attachments[0].data.starts_with("JVBERi0"));
    assert!(codes(&m).contains(&"merge-attachment-inline"));
    // twice: nothing more
    let again = discharge(&m.record);
    assert!(again.report.added.is_empty(), "{:?}", again.report.added);
    assert_eq!(again.record, m.record);
}

#[test]
fn the_discharge_james_record_already_holds_is_already_present() {
    let m = discharge(&example("james"));
    assert!(m.report.added.is_empty(), "{:?}", m.report.added);
    assert_eq!(uids(&m, "discharge_details", "present"), ["dis-james"]);
    assert_eq!(uids(&m, "medication", "present"), ["med-james-amoxicillin"]);
    assert_eq!(uids(&m, "document", "present"), ["doc-james-discharge"]);
    assert!(m.report.conflicts.is_empty(), "{:?}", m.report.conflicts);
    assert!(m.attachments.is_empty());
    assert_eq!(m.record, example("james"));
}

#[test]
fn a_discharge_with_no_matching_admission_is_reported() {
    let mut r = james_in_hospital();
    r["admission_details"][0]["admission_date_and_time"] = json!("2026-01-13T09:00:00Z");
    let m = discharge(&r);
    assert!(
        codes(&m).contains(&"merge-admission-not-found"),
        "{:?}",
        m.report.issues
    );
    assert!(m.record["discharge_details"][0].get("admission").is_none());
    assert!(m.report.validation.valid);
}

#[test]
fn conflicting_facts_of_a_discharge_are_reported_not_overwritten() {
    let mut r = example("james");
    r["discharge_details"][0]["discharge_destination"] =
        json!({"code": "54", "display": "NHS run Care Home"});
    let m = discharge(&r);
    assert!(m.report.added.is_empty());
    let c: Vec<_> = m
        .report
        .conflicts
        .iter()
        .map(|c| (c.record_uid.as_str(), c.element))
        .collect();
    assert_eq!(c, [("dis-james", "discharge_destination")]);
    assert_eq!(m.record, r);
}

#[test]
fn hostile_bundles_give_errors_or_reports_never_a_panic() {
    let record = bodat();
    for bytes in [
        &b""[..],
        b"[]",
        b"null",
        b"{}",
        b"{\"resourceType\": \"Patient\"}",
        b"{\"resourceType\": \"Bundle\", \"entry\": {}}",
        b"{\"resourceType\": \"Bundle\", \"entry\": [1, \"x\", {\"resource\": 5}, {}]}",
        b"{\"resourceType\": 7}",
        b"\xff\xfe",
    ] {
        assert!(merge_gp_record(&record, bytes, &MergeOptions::default()).is_err());
        assert!(import_discharge(&record, bytes, &MergeOptions::default()).is_err());
    }
    for bad_record in [
        json!(5),
        json!({}),
        json!({"mods_version": "0.2.1"}),
        json!({"mods_version": "1.0", "subject_of_care": []}),
    ] {
        let got = merge_gp_record(
            &bad_record,
            &fixture("gp-record-mr-bodat.json"),
            &MergeOptions::default(),
        );
        assert!(matches!(got, Err(MergeError::Record(_))), "{got:?}");
    }
    // every member of every resource of both fixtures given a value of the wrong type
    let wrong = [
        json!(null),
        json!(1),
        json!("x"),
        json!([]),
        json!({}),
        json!([1, {}]),
        json!(true),
    ];
    for (name, rec) in [
        ("gp-record-mr-bodat.json", bodat()),
        ("discharge-james.json", james_in_hospital()),
    ] {
        let base: Value = serde_json::from_slice(&fixture(name)).unwrap();
        let n = base["entry"].as_array().unwrap().len();
        for i in 0..n {
            let keys: Vec<String> = base["entry"][i]["resource"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            for k in keys.iter().filter(|k| *k != "resourceType") {
                for w in &wrong {
                    let mut b = base.clone();
                    b["entry"][i]["resource"][k.as_str()] = w.clone();
                    let text = serde_json::to_vec(&b).unwrap();
                    let opts = MergeOptions::default();
                    let _ = merge_gp_record(&rec, &text, &opts);
                    let _ = import_discharge(&rec, &text, &opts);
                }
            }
        }
    }
}

#[test]
fn a_broken_entry_is_reported_as_an_error_and_the_rest_merged() {
    let mut b: Value = serde_json::from_slice(&fixture("gp-record-mr-bodat.json")).unwrap();
    b["entry"]
        .as_array_mut()
        .unwrap()
        .push(json!({"fullUrl": "urn:uuid:5b1f0c2e-8d43-4c1a-9f0e-2a7b3c4d5e99"}));
    b["entry"].as_array_mut().unwrap().push(json!({"resource": {
        "resourceType": "Immunization", "status": "completed",
        "patient": {"reference": "urn:uuid:5b1f0c2e-8d43-4c1a-9f0e-2a7b3c4d5e01"}
    }}));
    let m = merge_gp_record(
        &bodat(),
        &serde_json::to_vec(&b).unwrap(),
        &MergeOptions::default(),
    )
    .unwrap();
    assert!(m.report.has_errors());
    assert!(
        codes(&m).contains(&"fhir-entry-without-resource"),
        "{:?}",
        m.report.issues
    );
    let not_merged: Vec<&str> = m
        .report
        .issues
        .iter()
        .filter(|i| i.code == "merge-resource-not-merged")
        .map(|i| i.location.as_str())
        .collect();
    assert_eq!(not_merged, ["Bundle.entry[9].resource"]);
    assert_eq!(m.report.added.len(), 3);
}

#[test]
fn new_records_without_any_date_are_reported_and_dated_by_the_options() {
    let mut b: Value = serde_json::from_slice(&fixture("gp-record-mr-bodat.json")).unwrap();
    b.as_object_mut().unwrap().remove("timestamp");
    b["entry"][5]["resource"]
        .as_object_mut()
        .unwrap()
        .remove("recordedDate");
    let text = serde_json::to_vec(&b).unwrap();
    let m = merge_gp_record(&bodat(), &text, &MergeOptions::default()).unwrap();
    assert!(codes(&m).contains(&"merge-date-missing"));
    assert!(!m.report.validation.valid, "a Problem needs its date");
    let opts = MergeOptions::default().with_date("2026-02-24");
    let m = merge_gp_record(&bodat(), &text, &opts).unwrap();
    let p = find(&m.record, "problem", &uids(&m, "problem", "added")[0]);
    assert_eq!(p["date"], "2026-02-24");
    assert!(m.report.validation.valid);
}
