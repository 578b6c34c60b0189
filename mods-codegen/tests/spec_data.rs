//! Checks of the committed spec data: it resolves, it cites sources, and its published rows
//! match the research record of the published standard row for row.

use mods_codegen::{parse_spec, published_occurs, resolve, spec::Spec};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn specs() -> Vec<(String, Spec)> {
    let dir = root().join("mods-core/spec");
    let mut out = Vec::new();
    for e in std::fs::read_dir(&dir)
        .expect("mods-core/spec exists")
        .flatten()
    {
        let p = e.path();
        let name = p
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_owned();
        if name.starts_with("mods-") && name.ends_with(".json") {
            let text = std::fs::read_to_string(&p).expect("readable spec");
            out.push((name, parse_spec(&text).expect("spec parses")));
        }
    }
    assert!(!out.is_empty(), "no spec files");
    out
}

fn spec_1_0() -> Spec {
    specs()
        .into_iter()
        .find(|(_, s)| s.mods_version == "1.0")
        .map(|(_, s)| s)
        .expect("a MODS 1.0 spec")
}

/// The research record of the published standard, beside the repository.
fn reference() -> Option<Value> {
    let candidates = [
        std::env::var("MODS_SHARED_DIR").ok().map(PathBuf::from),
        Some(root().join("../shared")),
    ];
    for c in candidates.into_iter().flatten() {
        let p = c.join("mods-reference/mods-spec.json");
        if let Ok(text) = std::fs::read_to_string(&p) {
            return Some(serde_json::from_str(&text).expect("mods-spec.json is JSON"));
        }
    }
    None
}

#[test]
fn every_spec_resolves() {
    for (name, spec) in specs() {
        if let Err(errs) = resolve(&spec) {
            panic!("{name}:\n  {}", errs.join("\n  "));
        }
    }
}

#[test]
fn provisional_classes_cite_sources_and_published_ones_cite_the_browser() {
    let spec = spec_1_0();
    for c in &spec.classes {
        assert!(!c.provenance.sources.is_empty(), "{} cites nothing", c.name);
        if c.provenance.status == "published" && c.kind != "abstract" {
            assert!(
                c.provenance
                    .sources
                    .iter()
                    .any(|s| s.reference.contains("standards.nhs.uk")),
                "published class {} does not cite the data browser",
                c.name
            );
        }
    }
}

#[test]
fn published_rows_match_the_standard_exactly() {
    let Some(reference) = reference() else {
        println!("SKIPPED published_rows_match_the_standard_exactly: ../shared/mods-reference/mods-spec.json not found (set MODS_SHARED_DIR)");
        return;
    };
    let spec = spec_1_0();
    let mut rows = 0;
    let mut problems = Vec::new();
    for rc in reference["classes"].as_array().expect("classes") {
        let elements = rc["elements"].as_array().expect("elements");
        if elements.is_empty() {
            continue;
        }
        let name = rc["name"].as_str().unwrap_or("");
        let Some(ours) = spec.classes.iter().find(|c| c.name == name) else {
            problems.push(format!("class {name} missing"));
            continue;
        };
        if ours.provenance.status != "published" {
            problems.push(format!("class {name} is not marked published"));
        }
        let published: Vec<_> = ours
            .elements
            .iter()
            .filter(|e| e.published.is_some())
            .collect();
        if published.len() != elements.len() {
            problems.push(format!(
                "class {name}: {} published rows, the standard shows {}",
                published.len(),
                elements.len()
            ));
        }
        for (i, (re, oe)) in elements.iter().zip(&published).enumerate() {
            rows += 1;
            let p = oe.published.as_ref().expect("filtered");
            let want_name = re["name"].as_str().unwrap_or("");
            let want_type = re["type"].as_str();
            let want_occurs = re["occurs"].as_str();
            if oe.name != want_name
                || p.ty.as_deref() != want_type
                || p.occurs.as_deref() != want_occurs
            {
                problems.push(format!(
                    "class {name} row {}: ours ({:?}, {:?}, {:?}), published ({want_name:?}, {want_type:?}, {want_occurs:?})",
                    i + 1,
                    oe.name,
                    p.ty,
                    p.occurs
                ));
            }
            // the enforced occurrence follows the published one wherever it is known
            if let Some(o) = want_occurs.and_then(published_occurs) {
                if o != oe.occurs && oe.note.is_none() {
                    problems.push(format!(
                        "class {name} row {}: occurs differs without a note",
                        i + 1
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(
        rows, 76,
        "the standard's research record has 76 element rows"
    );
}

#[test]
fn published_date_forms_follow_the_descriptions() {
    // A published Date described as "full or partial" is `partial`; a published Date and
    // Time described as "date, or date with time" is `time_optional`, and keeps its type.
    let Some(reference) = reference() else {
        println!("SKIPPED published_date_forms_follow_the_descriptions: ../shared/mods-reference/mods-spec.json not found (set MODS_SHARED_DIR)");
        return;
    };
    let mut seen = (0, 0);
    for (file, spec) in specs() {
        for rc in reference["classes"].as_array().expect("classes") {
            let Some(ours) = spec.classes.iter().find(|c| rc["name"] == c.name.as_str()) else {
                continue;
            };
            for re in rc["elements"].as_array().expect("elements") {
                let summary = re["summary"].as_str().unwrap_or("");
                let Some(oe) = ours.elements.iter().find(|e| re["name"] == e.name.as_str()) else {
                    continue;
                };
                let what = format!("{file}: {} {}", ours.name, oe.name);
                if summary.contains("full or partial date") {
                    assert!(
                        oe.partial && oe.ty == "Date",
                        "{what} must be a partial Date"
                    );
                    seen.0 += 1;
                }
                if summary.contains("date, or date with time") {
                    assert!(
                        oe.time_optional
                            && oe.ty == "Date and Time"
                            && re["type"] == "Date and Time",
                        "{what} must be a Date and Time whose time is optional"
                    );
                    seen.1 += 1;
                }
            }
        }
    }
    assert!(seen.0 > 0 && seen.1 > 0, "no such rows found: {seen:?}");
}

#[test]
fn date_flags_are_checked() {
    let text = std::fs::read_to_string(root().join("mods-core/spec/mods-1.0.json")).unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    // (class, element, key, value, the error expected)
    let bad = [
        (
            "alert",
            "free_text",
            "time_optional",
            Value::Bool(true),
            "time_optional is for Date and Time",
        ),
        (
            "alert",
            "date",
            "time_optional",
            Value::Bool(true),
            "time_optional is for Date and Time",
        ),
        (
            "alert",
            "free_text",
            "plausible",
            "past".into(),
            "plausible is for Date",
        ),
        (
            "alert",
            "date",
            "plausible",
            "soon".into(),
            "unknown plausible soon",
        ),
    ];
    for (class, element, key, value, want) in bad {
        let mut spec = base.clone();
        let classes = spec["classes"].as_array_mut().unwrap();
        let c = classes
            .iter_mut()
            .find(|c| c["technical_name"] == class)
            .unwrap();
        let elements = c["elements"].as_array_mut().unwrap();
        let e = match elements.iter_mut().find(|e| e["technical_name"] == element) {
            Some(e) => e,
            None => {
                // inherited (alert.date comes from event): declare it on the class
                let ev = base["classes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|c| c["technical_name"] == "event")
                    .unwrap()["elements"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|e| e["technical_name"] == element)
                    .unwrap()
                    .clone();
                elements.push(ev);
                elements.last_mut().unwrap()
            }
        };
        e[key] = value;
        let parsed = parse_spec(&spec.to_string()).expect("parses");
        let errs = resolve(&parsed).err().unwrap_or_default();
        assert!(
            errs.iter().any(|m| m.contains(want)),
            "{class}.{element} {key}: expected an error containing {want:?}, got {errs:?}"
        );
    }
}

#[test]
fn the_issue_named_classes_are_modelled() {
    let spec = spec_1_0();
    let names: Vec<&str> = spec
        .classes
        .iter()
        .map(|c| c.technical_name.as_str())
        .collect();
    for want in [
        "subject_of_care",
        "person_name",
        "address",
        "person_contact_details",
        "care_organisation",
        "care_provider",
        "gp_practice",
        "local_authority",
        "care_worker",
        "unpaid_carer",
        "personal_contact",
        "proxy_for_subject_of_care",
        "need",
        "strength",
        "outcome",
        "assessment",
        "care_plan",
        "medication",
        "medication_administration",
        "allergy",
        "problem",
        "incident",
        "safeguarding_concern",
        "consent",
        "mental_capacity",
        "about_me",
        "communication_needs",
        "admission_details",
        "discharge_details",
    ] {
        assert!(names.contains(&want), "class {want} is not modelled");
    }
}
