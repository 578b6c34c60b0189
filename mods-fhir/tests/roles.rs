//! Care workers as PractitionerRole and CareTeam: written on export beside the Practitioner,
//! recognised on import (the round trip stays exact, an edited view is reported), and
//! PractitionerRole / CareTeam resources of other systems read into the care workers they name.

use mods_fhir::{from_fhir, to_fhir, BundleType, ExportOptions, ImportOptions, ProfileSet};
use serde_json::{json, Value};
use std::path::PathBuf;

const CLASS: &str = "https://mods-sdk.org/fhir/CodeSystem/mods-class";
const UID: &str = "https://mods-sdk.org/fhir/Id/record-uid";

fn example(name: &str) -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/records")
        .join(name);
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

fn examples() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/records");
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_some_and(|x| x == "json") {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            out.push((name.clone(), example(&name)));
        }
    }
    out
}

fn export(record: &Value, bundle_type: BundleType, profiles: ProfileSet) -> Value {
    to_fhir(
        record,
        &ExportOptions::default()
            .with_bundle_type(bundle_type)
            .with_profiles(profiles)
            .with_timestamp("2025-11-03T12:00:00Z"),
    )
    .unwrap()
}

fn entries(bundle: &Value) -> &Vec<Value> {
    bundle["entry"].as_array().unwrap()
}

fn tag(res: &Value) -> Option<&str> {
    res["meta"]["tag"]
        .as_array()?
        .iter()
        .find(|t| t["system"] == CLASS)?["code"]
        .as_str()
}

/// The full URL of the entry whose record uid is `uid`.
fn url_of_uid(bundle: &Value, uid: &str) -> String {
    entries(bundle)
        .iter()
        .find(|e| {
            e["resource"]["identifier"]
                .as_array()
                .is_some_and(|ids| ids.iter().any(|i| i["system"] == UID && i["value"] == uid))
        })
        .unwrap_or_else(|| panic!("no entry for {uid}"))["fullUrl"]
        .as_str()
        .unwrap()
        .to_string()
}

fn by_tag<'b>(bundle: &'b Value, code: &str) -> Vec<&'b Value> {
    entries(bundle)
        .iter()
        .filter(|e| tag(&e["resource"]) == Some(code))
        .collect()
}

fn import(bundle: &Value) -> mods_fhir::Imported {
    from_fhir(
        &serde_json::to_vec(bundle).unwrap(),
        &ImportOptions::default(),
    )
    .unwrap()
}

#[test]
fn every_care_worker_has_a_practitioner_role_with_its_practitioner_organisation_and_roles() {
    let mut seen = 0;
    for (name, record) in examples() {
        let bundle = export(&record, BundleType::Collection, ProfileSet::UkCoreCurrent);
        let roles = by_tag(&bundle, "care_worker_role");
        let workers = record["care_worker"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(
            roles.len(),
            workers.len(),
            "{name}: one role per care worker"
        );
        for w in &workers {
            let uid = w["record_uid"].as_str().unwrap();
            let practitioner = url_of_uid(&bundle, uid);
            let role = roles
                .iter()
                .map(|e| &e["resource"])
                .find(|r| r["practitioner"]["reference"] == practitioner.as_str())
                .unwrap_or_else(|| panic!("{name}: no PractitionerRole of {uid}"));
            assert_eq!(role["resourceType"], "PractitionerRole");
            assert_eq!(
                role["meta"]["profile"][0],
                "https://fhir.hl7.org.uk/StructureDefinition/UKCore-PractitionerRole"
            );
            match w["employing_organisation"].as_str() {
                Some(org) => assert_eq!(
                    role["organization"]["reference"],
                    url_of_uid(&bundle, org).as_str(),
                    "{name} {uid}: the employer's Organization"
                ),
                None => assert!(role.get("organization").is_none()),
            }
            let codes: Vec<&Value> = role["code"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(|c| c["coding"].get(0))
                .collect();
            assert!(codes
                .iter()
                .any(|c| c["code"] == w["care_worker_category"]["code"]
                    && c["system"] == "https://mods-sdk.org/fhir/CodeSystem/care_worker_category"));
            for r in w["professional_role"].as_array().into_iter().flatten() {
                assert!(
                    codes.iter().any(|c| c["code"] == r["code"]
                        && c["system"] == "https://mods-sdk.org/fhir/CodeSystem/professional_role"),
                    "{name} {uid}: role {r}"
                );
            }
            if let Some(t) = w["job_title"].as_str() {
                assert!(role["code"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|c| c["text"] == t));
            }
            if let Some(t) = w["contact_details"]["work_telephone"].as_str() {
                assert_eq!(
                    role["telecom"],
                    json!([{"system": "phone", "value": t, "use": "work"}])
                );
            }
            seen += 1;
        }
    }
    assert!(seen >= 5, "the examples have care workers ({seen})");
}

#[test]
fn the_care_team_of_mr_green_lists_his_care_workers_by_team() {
    let record = example("mr-green.json");
    let bundle = export(&record, BundleType::Collection, ProfileSet::UkCoreCurrent);
    let patient = url_of_uid(&bundle, "soc-green");
    let roles = by_tag(&bundle, "care_worker_role");
    let teams = by_tag(&bundle, "care_team");
    assert!(!teams.is_empty());
    let mut participants = 0;
    for t in &teams {
        let r = &t["resource"];
        assert_eq!(r["resourceType"], "CareTeam");
        assert_eq!(r["subject"]["reference"], patient.as_str());
        assert_eq!(
            r["meta"]["profile"][0],
            "https://fhir.hl7.org.uk/StructureDefinition/UKCore-CareTeam"
        );
        for p in r["participant"].as_array().unwrap() {
            assert!(
                roles
                    .iter()
                    .any(|e| e["fullUrl"] == p["member"]["reference"]),
                "a member is a PractitionerRole of the Bundle"
            );
            assert!(p.get("onBehalfOf").is_none(), "ctm-1");
            participants += 1;
        }
    }
    let links: Vec<(&Value, &Value)> = record["care_worker"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|w| {
            w["provides_care_for"]
                .as_array()
                .into_iter()
                .flatten()
                .map(move |l| (w, l))
        })
        .filter(|(_, l)| l["subject_of_care"] == "soc-green")
        .collect();
    assert_eq!(participants, links.len(), "a participant per link");
    // Emily: Oak Wing day team, care worker, from 2022-03-07
    let emily_role = roles
        .iter()
        .find(|e| {
            e["resource"]["practitioner"]["reference"] == url_of_uid(&bundle, "cw-emily").as_str()
        })
        .unwrap()["fullUrl"]
        .clone();
    let oak = teams
        .iter()
        .find(|t| t["resource"]["name"] == "Oak Wing day team")
        .expect("a team per care team name");
    let p = oak["resource"]["participant"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["member"]["reference"] == emily_role)
        .expect("Emily is in the Oak Wing day team");
    assert_eq!(p["period"]["start"], "2022-03-07");
    assert_eq!(p["role"][0]["coding"][0]["code"], "care-worker");
    // the 2.0.2 set has no CareTeam profile
    let stu2 = export(&record, BundleType::Collection, ProfileSet::UkCoreStu2);
    assert!(by_tag(&stu2, "care_team")
        .iter()
        .all(|t| t["resource"]["meta"].get("profile").is_none()));
}

#[test]
fn derived_resources_are_created_once_in_a_transaction_and_listed_in_a_document() {
    let record = example("mr-green.json");
    let tx = export(&record, BundleType::Transaction, ProfileSet::UkCoreCurrent);
    for e in by_tag(&tx, "care_worker_role")
        .into_iter()
        .chain(by_tag(&tx, "care_team"))
    {
        let id = e["resource"]["identifier"][0]["value"].as_str().unwrap();
        assert_eq!(
            e["fullUrl"].as_str().unwrap(),
            format!("urn:uuid:{id}"),
            "the identifier is the stable UUID"
        );
        assert_eq!(
            e["request"]["ifNoneExist"],
            format!("identifier=https://mods-sdk.org/fhir/Id/derived-resource|{id}").as_str()
        );
    }
    let doc = export(&record, BundleType::Document, ProfileSet::UkCoreCurrent);
    let sections = doc["entry"][0]["resource"]["section"].as_array().unwrap();
    let roles = sections
        .iter()
        .find(|s| s["code"]["coding"][0]["code"] == "care_worker_role")
        .expect("a section of the roles");
    assert_eq!(roles["title"], "Care worker roles");
    assert_eq!(
        roles["entry"].as_array().unwrap().len(),
        by_tag(&doc, "care_worker_role").len()
    );
    // a second export gives the same resources
    assert_eq!(
        by_tag(&tx, "care_team").len(),
        by_tag(
            &export(&record, BundleType::Transaction, ProfileSet::UkCoreCurrent),
            "care_team"
        )
        .len()
    );
}

#[test]
fn an_edited_view_is_reported_and_the_record_stays_exact() {
    let record = example("mr-green.json");
    let mut bundle = export(&record, BundleType::Collection, ProfileSet::UkCoreCurrent);
    let i = entries(&bundle)
        .iter()
        .position(|e| tag(&e["resource"]) == Some("care_worker_role"))
        .unwrap();
    bundle["entry"][i]["resource"]["code"][0]["coding"][0]["code"] = json!("gp");
    bundle["entry"][i]["resource"]["active"] = json!(true);
    let got = import(&bundle);
    assert_eq!(
        got.record, record,
        "the Practitioner carries the worker exactly"
    );
    let mut located: Vec<(&str, &str)> = got
        .report
        .issues
        .iter()
        .map(|x| (x.code, x.location.as_str()))
        .collect();
    located.sort();
    let code_path = format!("Bundle.entry[{i}].resource.code[0].coding[0].code");
    let active_path = format!("Bundle.entry[{i}].resource.active");
    assert_eq!(
        located,
        vec![
            ("fhir-element-unmapped", active_path.as_str()),
            ("fhir-element-unmapped", code_path.as_str()),
        ]
    );
    // a view of no record read
    let mut orphan = export(&record, BundleType::Collection, ProfileSet::UkCoreCurrent);
    orphan["entry"][i]["resource"]["identifier"][0]["value"] =
        json!("00000000-0000-4000-8000-000000000000");
    let got = import(&orphan);
    assert_eq!(got.record, record);
    assert_eq!(got.report.issues.len(), 1, "{:#?}", got.report.issues);
    assert_eq!(got.report.issues[0].code, "fhir-resource-unmapped");
    assert_eq!(
        got.report.issues[0].location,
        format!("Bundle.entry[{i}].resource")
    );
}

fn hospital_bundle(extra: Vec<Value>) -> Value {
    let mut entry = vec![
        json!({"fullUrl": "https://hospital.example.org/fhir/Patient/p1", "resource": {
            "resourceType": "Patient", "id": "p1",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9434765919"}],
            "name": [{"use": "official", "family": "Smith", "given": ["Margaret"]}],
            "birthDate": "1941-03-12"
        }}),
        json!({"fullUrl": "https://hospital.example.org/fhir/Practitioner/d1", "resource": {
            "resourceType": "Practitioner", "id": "d1",
            "identifier": [{"system": "https://fhir.hl7.org.uk/Id/gmc-number", "value": "7654321"}],
            "name": [{"family": "Okafor", "given": ["Ngozi"], "prefix": ["Dr"]}]
        }}),
        json!({"fullUrl": "https://hospital.example.org/fhir/Organization/o1", "resource": {
            "resourceType": "Organization", "id": "o1",
            "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "RR8"}],
            "name": "Leeds Teaching Hospitals NHS Trust"
        }}),
    ];
    entry.extend(extra);
    json!({"resourceType": "Bundle", "type": "collection", "entry": entry})
}

fn role() -> Value {
    json!({"fullUrl": "https://hospital.example.org/fhir/PractitionerRole/r1", "resource": {
        "resourceType": "PractitionerRole", "id": "r1",
        "active": true,
        "practitioner": {"reference": "Practitioner/d1"},
        "organization": {"reference": "Organization/o1"},
        "code": [
            {"coding": [{"system": "http://snomed.info/sct", "code": "309343006", "display": "Physician"}]},
            {"text": "Consultant geriatrician"}
        ],
        "telecom": [
            {"system": "phone", "value": "0113 243 3144", "use": "work"},
            {"system": "fax", "value": "0113 243 3145"}
        ]
    }})
}

#[test]
fn a_practitioner_role_from_a_hospital_goes_into_its_care_worker() {
    let got = import(&hospital_bundle(vec![role()]));
    let workers = got.record["care_worker"].as_array().unwrap();
    assert_eq!(workers.len(), 1, "no second care worker");
    let w = &workers[0];
    let org_uid = got.record["care_organisation"][0]["record_uid"].clone();
    assert_eq!(w["employing_organisation"], org_uid);
    assert_eq!(
        w["professional_role"],
        json!([{"system": "http://snomed.info/sct", "code": "309343006", "display": "Physician"}])
    );
    assert_eq!(w["job_title"], "Consultant geriatrician");
    assert_eq!(w["contact_details"]["work_telephone"], "0113 243 3144");
    assert_eq!(w["registration_number"], "7654321");
    // the rest is reported by FHIRPath
    let mut unmapped: Vec<&str> = got
        .report
        .issues
        .iter()
        .filter(|i| i.code == "fhir-element-unmapped")
        .map(|i| i.location.as_str())
        .collect();
    unmapped.sort();
    assert_eq!(
        unmapped,
        vec![
            "Bundle.entry[3].resource.active",
            "Bundle.entry[3].resource.telecom[1].system",
            "Bundle.entry[3].resource.telecom[1].value",
        ]
    );
    assert!(!got
        .report
        .issues
        .iter()
        .any(|i| i.code == "fhir-resource-unmapped"));
}

#[test]
fn a_practitioner_role_of_no_care_worker_of_the_bundle_is_reported_whole() {
    let mut r = role();
    r["resource"]["practitioner"] = json!({"reference": "Practitioner/elsewhere"});
    let got = import(&hospital_bundle(vec![r]));
    assert!(got.record["care_worker"][0]
        .get("employing_organisation")
        .is_none());
    let whole: Vec<&str> = got
        .report
        .issues
        .iter()
        .filter(|i| i.code == "fhir-resource-unmapped")
        .map(|i| i.location.as_str())
        .collect();
    assert_eq!(whole, vec!["Bundle.entry[3].resource"]);
}

#[test]
fn a_care_team_from_a_hospital_gives_provides_care_for_links() {
    let team = json!({"fullUrl": "https://hospital.example.org/fhir/CareTeam/t1", "resource": {
        "resourceType": "CareTeam", "id": "t1",
        "status": "active",
        "name": "Ward 7 discharge team",
        "subject": {"reference": "Patient/p1"},
        "participant": [
            {"role": [{"coding": [{"system": "https://mods-sdk.org/fhir/CodeSystem/care_team_role", "code": "gp"}]}],
             "member": {"reference": "PractitionerRole/r1"},
             "period": {"start": "2025-10-01"}},
            {"member": {"reference": "Practitioner/d1"}, "period": {"start": "2025-10-02", "end": "2025-10-09"}},
            {"member": {"reference": "Organization/o1"}}
        ]
    }});
    let got = import(&hospital_bundle(vec![role(), team]));
    let w = &got.record["care_worker"][0];
    let soc = got.record["subject_of_care"]["record_uid"].clone();
    assert_eq!(
        w["provides_care_for"],
        json!([
            {"subject_of_care": soc, "role_in_care": {"code": "gp"}, "care_team_name": "Ward 7 discharge team", "start_date": "2025-10-01"},
            {"subject_of_care": soc, "care_team_name": "Ward 7 discharge team", "start_date": "2025-10-02", "end_date": "2025-10-09"}
        ])
    );
    let mut unmapped: Vec<&str> = got
        .report
        .issues
        .iter()
        .filter(|i| i.code == "fhir-element-unmapped" && i.location.starts_with("Bundle.entry[4]"))
        .map(|i| i.location.as_str())
        .collect();
    unmapped.sort();
    assert_eq!(
        unmapped,
        vec![
            "Bundle.entry[4].resource.participant[2].member.reference",
            "Bundle.entry[4].resource.status",
        ]
    );
    // a team about someone else is not read
    let mut other = hospital_bundle(vec![]);
    other["entry"]
        .as_array_mut()
        .unwrap()
        .push(json!({"resource": {
            "resourceType": "CareTeam",
            "subject": {"reference": "Patient/someone-else"},
            "participant": [{"member": {"reference": "Practitioner/d1"}}]
        }}));
    let got = import(&other);
    assert!(got.record["care_worker"][0]
        .get("provides_care_for")
        .is_none());
    assert!(got
        .report
        .issues
        .iter()
        .any(|i| i.code == "fhir-resource-unmapped" && i.location == "Bundle.entry[3].resource"));
}
