//! Checks of the committed spec data: it resolves, it cites sources, and its published rows
//! match the research record of the published standard row for row, bindings included.

use mods_test_support as support;

use mods_codegen::spec::{LookupSpec, Spec};
use mods_codegen::{parse_spec, published_occurs, resolve};
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

/// The research record of the published standard, in the reference folder beside the
/// repository (see `support`: missing is a failure in CI and a visible skip elsewhere).
fn reference(test: &str) -> Option<Value> {
    support::shared_json("mods-reference/mods-spec.json", test)
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
    for (file, spec) in specs() {
        for c in &spec.classes {
            assert!(
                !c.provenance.sources.is_empty(),
                "{file}: {} cites nothing",
                c.name
            );
            if c.provenance.status == "published" && c.kind != "abstract" {
                // The production data browser page of this class, with its class id.
                assert!(
                    c.provenance
                        .sources
                        .iter()
                        .any(|s| s.kind == "MODS data browser"
                            && s.class_id.is_some()
                            && s.reference.starts_with("https://standards.nhs.uk/")),
                    "{file}: published class {} does not cite its MODS data browser page",
                    c.name
                );
            }
        }
    }
}

#[test]
fn published_rows_match_the_standard_exactly() {
    let Some(reference) = reference("published_rows_match_the_standard_exactly") else {
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

/// The binding the research record gives a published row.
#[derive(Debug, PartialEq)]
enum Recorded {
    /// No lookup.
    Nothing,
    /// A reference to another record, by published class name.
    Reference(String),
    /// One of the record's value sets with its codes (by name, which is our value set id),
    /// because the value set's `bound_to` lists the row.
    ValueSet(String),
    /// A named code list whose codes the record does not capture.
    CodeList(String),
}

fn recorded_binding(reference: &Value, class: &str, row: &Value) -> Recorded {
    let key = format!("{class}.{}", row["name"].as_str().unwrap_or(""));
    let bound = reference["value_sets"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|vs| {
            vs["bound_to"]
                .as_array()
                .is_some_and(|b| b.iter().any(|x| x.as_str() == Some(&key)))
        });
    if let Some(vs) = bound {
        let name = vs["name"].as_str().unwrap_or("").to_owned();
        // A value set recorded without codes ("reference only") is a named code list.
        let has_codes = vs["codes"].as_array().is_some_and(|c| !c.is_empty());
        return if has_codes {
            Recorded::ValueSet(name)
        } else {
            Recorded::CodeList(name)
        };
    }
    match row["lookup"].as_str() {
        None => Recorded::Nothing,
        Some(l) => match l.strip_prefix("reference: ") {
            Some(target) => Recorded::Reference(target.trim().to_owned()),
            None => Recorded::CodeList(l.to_owned()),
        },
    }
}

/// Whether our lookup is the one the research record gives.
fn same_binding(spec: &Spec, recorded: &Recorded, ours: Option<&LookupSpec>) -> bool {
    match (recorded, ours) {
        (Recorded::Nothing, None) => true,
        (Recorded::Reference(class), Some(LookupSpec::Reference { targets })) => spec
            .classes
            .iter()
            .find(|c| c.name == *class)
            .is_some_and(|c| targets.as_slice() == [c.technical_name.clone()]),
        (Recorded::ValueSet(id), Some(LookupSpec::ValueSet { value_set, .. })) => value_set == id,
        // A code list the record names but did not capture: any coded binding.
        (
            Recorded::CodeList(_),
            Some(LookupSpec::External { .. } | LookupSpec::ValueSet { .. }),
        ) => true,
        _ => false,
    }
}

#[test]
fn published_bindings_match_the_standard_or_carry_a_note() {
    let Some(reference) = reference("published_bindings_match_the_standard_or_carry_a_note") else {
        return;
    };
    let spec = spec_1_0();
    let mut compared = 0;
    let mut problems = Vec::new();
    for rc in reference["classes"].as_array().expect("classes") {
        let name = rc["name"].as_str().unwrap_or("");
        let Some(ours) = spec.classes.iter().find(|c| c.name == name) else {
            continue; // reported by published_rows_match_the_standard_exactly
        };
        let published = ours.elements.iter().filter(|e| e.published.is_some());
        for (row, el) in rc["elements"]
            .as_array()
            .expect("elements")
            .iter()
            .zip(published)
        {
            compared += 1;
            let recorded = recorded_binding(&reference, name, row);
            if !same_binding(&spec, &recorded, el.lookup.as_ref()) && el.note.is_none() {
                problems.push(format!(
                    "{name}.{}: the standard's record gives {recorded:?}, ours is {:?}; a deliberate difference needs a `note` on the element",
                    el.name, el.lookup
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(compared, 76, "every published row's binding is compared");
}

#[test]
fn binding_comparison_tells_differences_apart() {
    let spec = spec_1_0();
    let vs = |id: &str| LookupSpec::ValueSet {
        value_set: id.into(),
        strength: "required".into(),
    };
    let ext = LookupSpec::External {
        system: "http://snomed.info/sct".into(),
        name: "x".into(),
        strength: "preferred".into(),
        value_set: None,
    };
    let to = |t: &str| LookupSpec::Reference {
        targets: vec![t.into()],
    };
    let nothing = Recorded::Nothing;
    let care_actor = Recorded::Reference("Care actor".into());
    let ethnic = Recorded::ValueSet("ethnic_category".into());
    let list = Recorded::CodeList("IANA media types".into());
    assert!(same_binding(&spec, &nothing, None));
    assert!(!same_binding(&spec, &nothing, Some(&ext)));
    assert!(same_binding(&spec, &care_actor, Some(&to("care_actor"))));
    assert!(!same_binding(&spec, &care_actor, Some(&to("care_worker"))));
    assert!(same_binding(&spec, &ethnic, Some(&vs("ethnic_category"))));
    assert!(!same_binding(&spec, &ethnic, Some(&vs("language_code"))));
    assert!(!same_binding(&spec, &ethnic, Some(&ext)));
    assert!(same_binding(&spec, &list, Some(&ext)));
    assert!(!same_binding(&spec, &list, None));
}

#[test]
fn published_date_forms_follow_the_descriptions() {
    // A published Date described as "full or partial" is `partial`; a published Date and
    // Time described as "date, or date with time" is `time_optional`, and keeps its type.
    let Some(reference) = reference("published_date_forms_follow_the_descriptions") else {
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
