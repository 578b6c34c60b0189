//! A Document's location travels as the attachment's `url` when it is a URL, and comes back
//! from the `url` of a DocumentReference from another system; such a DocumentReference without
//! a `date` gives the document the date its attachment was created.

use mods_fhir::{from_fhir, to_fhir, ExportOptions, ImportOptions};
use serde_json::{json, Value};
use std::path::PathBuf;

const EXT: &str =
    "https://mods-sdk.org/fhir/StructureDefinition/mods/document/documentation_location";

fn with_location(location: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/records/james.json");
    let mut r: Value = serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap();
    r["document"][0]["documentation_location"] = json!(location);
    r
}

fn document_reference(bundle: &Value) -> &Value {
    bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .find(|r| r["resourceType"] == "DocumentReference")
        .unwrap()
}

fn location_extension(res: &Value) -> Option<&Value> {
    res["extension"]
        .as_array()?
        .iter()
        .find(|x| x["url"] == EXT)
}

fn round_trip(record: &Value) -> Value {
    let bundle = to_fhir(record, &ExportOptions::default()).unwrap();
    let back = from_fhir(
        &serde_json::to_vec(&bundle).unwrap(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(&back.record, record);
    assert!(back.report.issues.is_empty(), "{:#?}", back.report.issues);
    bundle
}

#[test]
fn a_url_is_the_attachment_url() {
    let url = "https://records.example.org/docs/assessment-2025-11-03.pdf";
    let bundle = round_trip(&with_location(url));
    let doc = document_reference(&bundle);
    assert_eq!(doc["content"][0]["attachment"]["url"], url);
    assert!(location_extension(doc).is_none(), "exact at its path");
}

#[test]
fn other_text_stays_in_the_element_extension() {
    for text in [
        "Kirklees LAS case file KAS-2026-004117, Assessments",
        "C:\\care\\docs\\assessment.pdf",
        "https://example.org/a file.pdf",
    ] {
        let bundle = round_trip(&with_location(text));
        let doc = document_reference(&bundle);
        assert!(
            doc["content"][0]["attachment"].get("url").is_none(),
            "{text}"
        );
        assert_eq!(location_extension(doc).unwrap()["valueString"], text);
    }
}

#[test]
fn the_url_of_a_document_reference_from_another_system_is_read() {
    let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": {
            "resourceType": "Patient",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
            "name": [{"family": "Smith", "given": ["Margaret"]}]
        }},
        {"fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222", "resource": {
            "resourceType": "DocumentReference",
            "status": "current",
            "subject": {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"},
            "description": "Discharge summary",
            "content": [{"attachment": {"contentType": "application/pdf", "url": "https://hospital.example.org/docs/77"}}]
        }}
    ]});
    let got = from_fhir(
        &serde_json::to_vec(&bundle).unwrap(),
        &ImportOptions::default(),
    )
    .unwrap();
    assert_eq!(
        got.record["document"][0]["documentation_location"],
        "https://hospital.example.org/docs/77"
    );
    assert!(
        !got.report
            .issues
            .iter()
            .any(|i| i.location.contains("attachment.url")),
        "{:#?}",
        got.report.issues
    );
}

fn foreign(reference: Value) -> mods_fhir::Imported {
    let bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:11111111-1111-4111-8111-111111111111", "resource": {
            "resourceType": "Patient",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
            "name": [{"family": "Smith", "given": ["Margaret"]}]
        }},
        {"fullUrl": "urn:uuid:22222222-2222-4222-8222-222222222222", "resource": reference}
    ]});
    from_fhir(
        &serde_json::to_vec(&bundle).unwrap(),
        &ImportOptions::default(),
    )
    .unwrap()
}

#[test]
fn without_a_date_the_attachment_creation_is_the_documents_date() {
    let mut reference = json!({
        "resourceType": "DocumentReference",
        "status": "current",
        "subject": {"reference": "urn:uuid:11111111-1111-4111-8111-111111111111"},
        "description": "Discharge summary",
        "content": [{"attachment": {"contentType": "application/pdf", "creation": "2025-11-03T10:15:00+00:00"}}]
    });
    let got = foreign(reference.clone());
    assert_eq!(got.record["document"][0]["date"], "2025-11-03T10:15+00:00");
    assert!(
        !got.report
            .issues
            .iter()
            .any(|i| i.location.contains("creation")),
        "{:#?}",
        got.report.issues
    );
    // with a date, the date is the document's, and the creation is reported
    reference["date"] = json!("2025-11-04T09:00:00+00:00");
    let got = foreign(reference);
    assert_eq!(got.record["document"][0]["date"], "2025-11-04T09:00+00:00");
    assert!(got
        .report
        .issues
        .iter()
        .any(|i| i.code == "fhir-element-unmapped"
            && i.location == "Bundle.entry[1].resource.content[0].attachment.creation"));
}
