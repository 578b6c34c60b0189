//! Sexual orientation, pregnancy status and immigration status as UK Core Observations of the
//! Patient: written on export, recognised on import (the round trip stays exact; an edited
//! Observation is reported).

use mods_fhir::{from_fhir, to_fhir, BundleType, ExportOptions, ImportOptions, ProfileSet};
use serde_json::{json, Value};
use std::path::PathBuf;

const CLASS: &str = "https://mods-sdk.org/fhir/CodeSystem/mods-class";
const ELEMENT: &str = "https://mods-sdk.org/fhir/CodeSystem/mods-element";

/// Mr Green with all three elements.
fn record() -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/records/mr-green.json");
    let mut r: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    let pd = &mut r["person_demographics"][0];
    pd["pregnancy_status"] = json!({"code": "not-pregnant", "display": "Not pregnant"});
    pd["immigration_status"] = json!("British citizen");
    assert!(
        mods_core::validate_record(&r, &mods_core::ValidationOptions::default()).valid,
        "the test record is valid"
    );
    r
}

fn export(record: &Value, bundle_type: BundleType) -> Value {
    to_fhir(
        record,
        &ExportOptions::default()
            .with_bundle_type(bundle_type)
            .with_profiles(ProfileSet::UkCoreCurrent)
            .with_timestamp("2025-11-03T12:00:00Z"),
    )
    .unwrap()
}

fn observations(bundle: &Value) -> Vec<(usize, &Value)> {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
        .filter(|(_, e)| {
            e["resource"]["meta"]["tag"].as_array().is_some_and(|t| {
                t.iter()
                    .any(|t| t["system"] == CLASS && t["code"] == "demographic_observation")
            })
        })
        .map(|(i, e)| (i, &e["resource"]))
        .collect()
}

fn of<'b>(obs: &[(usize, &'b Value)], element: &str) -> (usize, &'b Value) {
    *obs.iter()
        .find(|(_, o)| {
            o["code"]["coding"][0]["code"] == format!("person_demographics.{element}").as_str()
        })
        .unwrap_or_else(|| panic!("no Observation of {element}"))
}

#[test]
fn the_three_elements_are_observations_of_the_patient() {
    let record = record();
    let bundle = export(&record, BundleType::Collection);
    let patient = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["resource"]["resourceType"] == "Patient")
        .unwrap()["fullUrl"]
        .clone();
    let obs = observations(&bundle);
    assert_eq!(obs.len(), 3);
    for (_, o) in &obs {
        assert_eq!(o["resourceType"], "Observation");
        assert_eq!(
            o["meta"]["profile"][0],
            "https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation"
        );
        assert_eq!(o["status"], "final");
        assert_eq!(o["subject"]["reference"], patient);
        assert_eq!(o["code"]["coding"][0]["system"], ELEMENT);
        assert_eq!(o["category"][0]["coding"][0]["code"], "social-history");
    }
    let (_, so) = of(&obs, "sexual_orientation");
    assert_eq!(
        so["valueCodeableConcept"]["coding"][0],
        json!({
            "system": "https://www.datadictionary.nhs.uk/data_elements/person_stated_sexual_orientation_code",
            "code": "1",
            "display": "Heterosexual or Straight"
        })
    );
    assert_eq!(so["code"]["text"], "Sexual orientation");
    let (_, pregnancy) = of(&obs, "pregnancy_status");
    assert_eq!(
        pregnancy["code"]["coding"][1],
        json!({"system": "http://loinc.org", "code": "82810-3"})
    );
    assert_eq!(
        pregnancy["valueCodeableConcept"]["coding"][0]["code"],
        "not-pregnant"
    );
    let (_, immigration) = of(&obs, "immigration_status");
    assert_eq!(immigration["valueString"], "British citizen");
    // a transaction creates each once
    let tx = export(&record, BundleType::Transaction);
    for (i, o) in observations(&tx) {
        assert_eq!(
            tx["entry"][i]["request"]["ifNoneExist"],
            format!(
                "identifier=https://mods-sdk.org/fhir/Id/derived-resource|{}",
                o["identifier"][0]["value"].as_str().unwrap()
            )
            .as_str()
        );
    }
}

#[test]
fn the_round_trip_stays_exact_and_an_edited_observation_is_reported() {
    let record = record();
    for bundle_type in [
        BundleType::Collection,
        BundleType::Transaction,
        BundleType::Document,
    ] {
        let bundle = export(&record, bundle_type);
        let back = from_fhir(
            &serde_json::to_vec(&bundle).unwrap(),
            &ImportOptions::default(),
        )
        .unwrap();
        assert_eq!(back.record, record, "{bundle_type:?}");
        assert!(back.report.issues.is_empty(), "{:#?}", back.report.issues);
    }
    let mut bundle = export(&record, BundleType::Collection);
    let (i, _) = of(&observations(&bundle), "sexual_orientation");
    bundle["entry"][i]["resource"]["valueCodeableConcept"]["coding"][0]["code"] = json!("3");
    let back = from_fhir(
        &serde_json::to_vec(&bundle).unwrap(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(back.record, record, "the Patient carries the value exactly");
    let located: Vec<(&str, &str)> = back
        .report
        .issues
        .iter()
        .map(|x| (x.code, x.location.as_str()))
        .collect();
    let at = format!("Bundle.entry[{i}].resource.valueCodeableConcept.coding[0].code");
    assert_eq!(located, vec![("fhir-element-unmapped", at.as_str())]);
}

#[test]
fn only_the_demographics_of_the_patient_are_observed() {
    let mut record = record();
    record["subject_of_care"]
        .as_object_mut()
        .unwrap()
        .remove("person_demographics");
    let bundle = export(&record, BundleType::Collection);
    assert!(observations(&bundle).is_empty());
}
