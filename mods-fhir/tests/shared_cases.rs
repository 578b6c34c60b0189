//! The reference cases in `../shared/fhir`: the four defects no offline validator catches are
//! caught by import, and every UK Core example of a type we map imports without panic, with
//! a report that accounts for what it does not map.

use mods_fhir::{from_fhir, ImportOptions};

const TEST: &str = "mods-fhir shared cases";

#[test]
fn the_four_defects_no_offline_validator_catches() {
    let cases = [
        (
            "10-nhsnumber-no-value.json",
            "fhir-slice-value-missing",
            "Patient.identifier[0]",
        ),
        (
            "13-nhs-number-checkdigit.json",
            "fhir-nhs-number-check-digit",
            "Patient.identifier[0].value",
        ),
        (
            "14-verification-code-not-in-vs.json",
            "fhir-code-not-in-required-value-set",
            "Patient.identifier[0].extension[0].valueCodeableConcept.coding[0].code",
        ),
        (
            "15-residential-status-wrong-system.json",
            "fhir-unknown-system-extensible",
            "",
        ),
    ];
    for (file, code, location) in cases {
        let Some(path) =
            mods_test_support::shared_path(&format!("fhir/validator-cases/broken/{file}"), TEST)
        else {
            return;
        };
        let got = from_fhir(&std::fs::read(&path).unwrap(), &ImportOptions::default()).expect(file);
        let hit = got.report.issues.iter().find(|i| i.code == code);
        let hit = hit.unwrap_or_else(|| panic!("{file}: no {code} in {:#?}", got.report.issues));
        if !location.is_empty() {
            assert_eq!(hit.location, location, "{file}");
        }
    }
    // and the valid reference Patient has none of them
    let Some(path) = mods_test_support::shared_path(
        "fhir/validator-cases/valid/UKCore-Patient-RichardSmith-Example.json",
        TEST,
    ) else {
        return;
    };
    let got = from_fhir(&std::fs::read(&path).unwrap(), &ImportOptions::default()).unwrap();
    for i in &got.report.issues {
        assert!(
            !i.code.starts_with("fhir-nhs")
                && !i.code.starts_with("fhir-slice")
                && !i.code.contains("value-set")
                && !i.code.contains("system"),
            "{i:?}"
        );
    }
}

#[test]
fn every_uk_core_example_of_a_mapped_type_imports() {
    let Some(dir) = mods_test_support::shared_path("fhir/ukcore/examples", TEST) else {
        return;
    };
    let mapped = mods_fhir::mapping::mapping();
    let mut n = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let rt = v["resourceType"].as_str().unwrap_or_default();
        if rt != "Bundle" && !mapped.table.classes.iter().any(|c| c.resource == rt) {
            continue;
        }
        n += 1;
        let got = from_fhir(&bytes, &ImportOptions::default().with_keep_unmapped(true))
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        // every part of the input is held by the record or reported (and kept)
        let kept = got
            .record
            .pointer("/mods_extensions/fhir_unmapped")
            .and_then(|k| k.as_array())
            .map_or(0, Vec::len);
        let reported = got
            .report
            .issues
            .iter()
            .filter(|i| i.code.ends_with("-unmapped"))
            .count();
        assert_eq!(kept, reported, "{}", p.display());
    }
    assert!(n >= 25, "only {n} UK Core examples of mapped types");
}

/// Leaves of a resource as (path without array indices, FHIRPath with them, value).
fn leaves(
    v: &serde_json::Value,
    path: &str,
    fp: &str,
    out: &mut Vec<(String, String, serde_json::Value)>,
) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m {
                let p = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                let f = if fp.is_empty() {
                    k.clone()
                } else {
                    format!("{fp}.{k}")
                };
                leaves(x, &p, &f, out);
            }
        }
        serde_json::Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                leaves(x, path, &format!("{fp}[{i}]"), out);
            }
        }
        other => out.push((path.to_string(), fp.to_string(), other.clone())),
    }
}

#[test]
fn fhir_to_mods_to_fhir_keeps_every_fact_the_mapping_covers() {
    let Some(dir) = mods_test_support::shared_path("fhir/ukcore/examples", TEST) else {
        return;
    };
    let mapped = mods_fhir::mapping::mapping();
    let mut checked = 0;
    let mut facts = 0;
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        let bytes = std::fs::read(&p).unwrap();
        let original: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        let rt = original["resourceType"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        if !mapped.table.classes.iter().any(|c| c.resource == rt) {
            continue;
        }
        let got = from_fhir(&bytes, &ImportOptions::default()).unwrap();
        // what the import reported as not held; and the references, which are minted anew
        let unmapped: Vec<String> = got
            .report
            .issues
            .iter()
            .map(|i| format!("{}.", i.location))
            .collect();
        let opts = mods_fhir::ExportOptions::default().with_allow_invalid(true);
        let bundle = mods_fhir::to_fhir(&got.record, &opts)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let again: Vec<&serde_json::Value> = bundle["entry"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| &e["resource"])
            .filter(|r| r["resourceType"] == rt.as_str())
            .collect();
        if again.is_empty()
            && got
                .report
                .issues
                .iter()
                .any(|i| i.code == "fhir-resource-unmapped")
        {
            // a type several classes share with no default (Observation): reported, not read
            continue;
        }
        assert_eq!(again.len(), 1, "{}", p.display());
        let mut out_leaves = Vec::new();
        leaves(again[0], "", &rt, &mut out_leaves);
        let mut in_leaves = Vec::new();
        leaves(&original, "", &rt, &mut in_leaves);
        for (path, fp, value) in in_leaves {
            let skip = matches!(
                path.split('.').next(),
                Some("id" | "meta" | "text" | "resourceType")
            ) || path.ends_with(".reference")
                || path == "reference"
                // a Patient.contact becomes a Personal contact, exported as a RelatedPerson
                // (the import tests check its facts)
                || (rt == "Patient" && path.starts_with("contact."))
                || unmapped
                    .iter()
                    .any(|u| format!("{fp}.").starts_with(u.as_str()));
            if skip {
                continue;
            }
            facts += 1;
            assert!(
                out_leaves.iter().any(|(p2, _, v2)| *p2
                    == format!("{rt}.{path}").trim_start_matches(&format!("{rt}."))
                    && *v2 == value)
                    || out_leaves
                        .iter()
                        .any(|(p2, _, v2)| *p2 == path && *v2 == value),
                "{}: the mapped fact {fp} = {value} is not in the export again",
                p.display()
            );
        }
        checked += 1;
    }
    eprintln!("{checked} UK Core examples, {facts} mapped facts kept");
    assert!(
        checked >= 15 && facts >= 100,
        "{checked} examples, {facts} facts"
    );
}
