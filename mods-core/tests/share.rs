//! Sharing (use case 7) in the core: every built-in purpose and every component, on every
//! example record, gives a valid view with no dangling reference and a manifest that
//! accounts for every record of the input; consents are honoured; bad policies are errors.

use chrono::NaiveDate;
use mods_core::share::{
    component, components, policy, share, Origin, Policy, PolicyError, Reason, ShareError,
    ShareOptions, View,
};
use mods_core::{validate_record, IssueCode, ValidationOptions};
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()
}

fn opts<'a>(
    policy: Option<&'a Policy>,
    component: Option<&'a mods_core::share::Component>,
) -> ShareOptions<'a> {
    let mut o = ShareOptions::new(today())
        .with_validation(ValidationOptions::default().with_today(today()));
    o.policy = policy;
    o.component = component;
    o
}

/// Every example record (examples/records), by file name.
fn examples() -> Vec<(String, Value)> {
    let dir = format!("{}/../examples/records", env!("CARGO_MANIFEST_DIR"));
    let mut out: Vec<(String, Value)> = std::fs::read_dir(dir)
        .expect("examples/records")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| {
            let v = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (p.file_name().unwrap().to_string_lossy().into_owned(), v)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() >= 3, "the example records are there");
    out
}

/// Records by class in a document (the subject of care counts as one).
fn counts(doc: &Value) -> BTreeMap<String, usize> {
    let model = mods_core::model::model(doc["mods_version"].as_str().unwrap()).unwrap();
    let mut out = BTreeMap::new();
    for (k, v) in doc.as_object().unwrap() {
        if model.class(k).is_none() {
            continue;
        }
        let n = match v {
            Value::Array(a) => a.len(),
            _ => 1,
        };
        out.insert(k.clone(), n);
    }
    out
}

/// What every view must be: valid when its input is, no dangling reference, and a manifest
/// whose counts add up with the input and the view.
fn check_view(name: &str, input: &Value, view: &View) {
    let what = format!(
        "{name} ({:?}, {:?})",
        view.manifest.purpose.as_ref().map(|p| &p.id),
        view.manifest.component
    );
    let report = validate_record(&view.document, &opts(None, None).validation);
    assert_eq!(report.valid, view.validation.valid, "{what}");
    assert!(
        report.valid,
        "{what}: {:#?}",
        report
            .issues
            .iter()
            .filter(|i| i.severity == mods_core::Severity::Error)
            .collect::<Vec<_>>()
    );
    assert!(
        !report
            .issues
            .iter()
            .any(|i| i.code == IssueCode::DanglingReference),
        "{what}: a dangling reference"
    );
    let input_counts = counts(input);
    let view_counts = counts(&view.document);
    let m = &view.manifest;
    assert_eq!(
        m.classes.keys().collect::<BTreeSet<_>>(),
        input_counts.keys().collect::<BTreeSet<_>>(),
        "{what}: the manifest lists every class of the input"
    );
    for (class, c) in &m.classes {
        assert_eq!(c.input, input_counts[class], "{what}: {class} input");
        assert_eq!(
            c.kept,
            view_counts.get(class).copied().unwrap_or(0),
            "{what}: {class} kept"
        );
        let listed: usize = m
            .withheld
            .iter()
            .filter(|w| &w.class == class && w.element.is_none())
            .map(|w| w.count)
            .sum();
        assert_eq!(c.kept + listed, c.input, "{what}: {class} kept + withheld");
        assert_eq!(c.withheld, listed, "{what}: {class} withheld");
    }
    assert_eq!(view.document["subject_of_care"], {
        // the subject of care is always there (as the policy lets it be seen)
        view.document["subject_of_care"].clone()
    });
    assert!(view.document["subject_of_care"].is_object(), "{what}");
    // no value of the record in the manifest: no string of the input appears in it
    let manifest = serde_json::to_string(&view.manifest).unwrap();
    for s in strings(input) {
        if s.len() >= 6 && !is_name_like(&s) {
            assert!(
                !manifest.contains(&format!("\"{s}\"")),
                "{what}: the manifest quotes a value"
            );
        }
    }
}

/// Every string value of a document (not keys).
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(a) => a.iter().flat_map(strings).collect(),
        Value::Object(m) => m.values().flat_map(strings).collect(),
        _ => vec![],
    }
}

/// Codes and version strings the manifest may name (a consent's purpose or decision code).
fn is_name_like(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_lowercase() || b == b'-' || b == b'_')
}

#[test]
fn every_built_in_purpose_on_every_example_is_a_valid_view_that_accounts_for_every_record() {
    let policies = policy::built_in();
    assert_eq!(
        policies.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(),
        [
            "hospital-admission",
            "gp",
            "family-carer",
            "local-authority-review",
            "commissioning"
        ]
    );
    for (name, record) in examples() {
        for p in &policies {
            let view = share(&record, &opts(Some(p), None)).expect("a view");
            check_view(&name, &record, &view);
            // nothing of a class the policy does not share
            for (k, _) in view.document.as_object().unwrap() {
                if k != "mods_version" && k != "mods_extensions" {
                    assert!(p.rule(k).is_some(), "{name} {}: {k} is in the view", p.id);
                }
            }
        }
    }
}

#[test]
fn every_component_on_every_example_is_a_valid_document_holding_its_classes() {
    let all = components();
    assert_eq!(
        all.iter().map(|c| c.id.as_str()).collect::<Vec<_>>(),
        [
            "about-me",
            "needs",
            "care-plan",
            "carers",
            "medication",
            "allergies",
            "alerts-and-risks",
            "contacts"
        ]
    );
    for (name, record) in examples() {
        for c in &all {
            let view = share(&record, &opts(None, Some(c))).expect("a view");
            check_view(&name, &record, &view);
            // every record of the component's classes is there (no consent refuses them)
            for class in &c.classes {
                assert_eq!(
                    counts(&view.document).get(class),
                    counts(&record).get(class),
                    "{name} {}: {class}",
                    c.id
                );
            }
            // and with each purpose
            for p in policy::built_in() {
                let view = share(&record, &opts(Some(&p), Some(c))).expect("a view");
                check_view(&name, &record, &view);
            }
        }
    }
}

fn james() -> Value {
    examples()
        .into_iter()
        .find(|(n, _)| n == "james.json")
        .unwrap()
        .1
}

#[test]
fn a_component_brings_what_its_records_name_and_nothing_else() {
    let james = james();
    let c = component("medication").unwrap();
    let view = share(&james, &opts(None, Some(&c))).unwrap();
    let got = counts(&view.document);
    // not part of the medication component and named by none of its records
    assert!(!got.contains_key("alert"));
    assert!(!got.contains_key("care_plan"));
    assert!(!got.contains_key("change_log"));
    // every reference of the view resolves inside it (check_view) and the medicines'
    // prescribers came along
    assert!(got.contains_key("care_worker"));
    let w = &view.manifest.withheld;
    assert!(w.iter().any(|w| w.class == "alert"
        && w.reason == Reason::NotInComponent
        && w.rule.as_deref() == Some("component:medication")));
    check_view("james.json", &james, &view);
}

#[test]
fn a_policy_withholds_elements_and_unknown_elements_and_names_its_rule() {
    let mut james = james();
    james["subject_of_care"]["supplier_flag"] = json!("x-123456");
    let p = Policy::built_in("family-carer").unwrap();
    let view = share(&james, &opts(Some(&p), None)).unwrap();
    let soc = &view.document["subject_of_care"];
    assert!(soc.get("nhs_number").is_none());
    assert!(soc.get("supplier_flag").is_none());
    assert!(soc.get("person_name").is_some());
    let w = &view.manifest.withheld;
    let find = |element: &str, reason: Reason| {
        w.iter()
            .find(|x| {
                x.class == "subject_of_care"
                    && x.element.as_deref() == Some(element)
                    && x.reason == reason
            })
            .unwrap_or_else(|| panic!("{element} {reason:?} in {w:#?}"))
    };
    assert_eq!(
        find("nhs_number", Reason::ElementNotInPolicy)
            .rule
            .as_deref(),
        Some("policy:family-carer#subject_of_care")
    );
    assert_eq!(find("supplier_flag", Reason::UnknownElement).count, 1);
    // a class the policy withholds on purpose names the withhold entry; the person's
    // demographics go, and the subject of care's reference to them is removed, not left
    let d = w
        .iter()
        .find(|x| x.class == "person_demographics" && x.element.is_none())
        .unwrap();
    assert_eq!(d.reason, Reason::NotInPolicy);
    assert_eq!(
        d.rule.as_deref(),
        Some("policy:family-carer#person_demographics")
    );
    assert!(soc.get("person_demographics").is_none());
    assert!(w.iter().any(|x| x.class == "subject_of_care"
        && x.element.as_deref() == Some("person_demographics")
        && x.reason == Reason::ReferenceRemoved));
    // medication administrations are withheld by the policy; alerts stay, their references
    // to the family kept (personal contacts are shared)
    assert!(view.document.get("medication_administration").is_none());
    assert_eq!(
        view.document["alert"].as_array().unwrap().len(),
        james["alert"].as_array().unwrap().len()
    );
    check_view("james.json", &james, &view);
}

#[test]
fn a_record_that_must_name_a_withheld_record_is_withheld_with_it() {
    // a custom policy sharing administrations but not medicines: every administration
    // must name its medicine, so none can stay
    let text = r#"
id = "doses-only"
title = "Doses only"
recipient = "A test"
description = "A test"
[[rule]]
class = "subject_of_care"
rationale = "who"
[[rule]]
class = "medication_administration"
rationale = "doses"
[[rule]]
class = "care_worker"
rationale = "who gave them"
[[rule]]
class = "location"
rationale = "where"
"#;
    let p = Policy::from_toml(text, Origin::Custom).unwrap();
    let james = james();
    let view = share(&james, &opts(Some(&p), None)).unwrap();
    assert!(view.document.get("medication_administration").is_none());
    let w = view
        .manifest
        .withheld
        .iter()
        .find(|w| w.class == "medication_administration")
        .unwrap();
    assert_eq!(w.reason, Reason::RequiresWithheldRecord);
    assert_eq!(w.via.as_deref(), Some("medication"));
    assert_eq!(w.count, counts(&james)["medication_administration"]);
    check_view("james.json", &james, &view);
}

/// James's record with one sharing consent added.
fn james_with_consent(consent: Value) -> Value {
    let mut j = james();
    j["consent"] = json!([consent]);
    j
}

fn sharing_consent(decision: &str, extra: Value) -> Value {
    let soc = james()["subject_of_care"]["record_uid"].clone();
    let mut c = json!({
        "record_uid": "cons-test", "version_number": 1, "subject_of_care": soc,
        "consent_purpose": {"code": "information-sharing"},
        "decision": {"code": decision}, "decided_by": {"code": "subject-of-care"},
        "decision_date": "2026-01-10"
    });
    for (k, v) in extra.as_object().unwrap() {
        c[k] = v.clone();
    }
    c
}

#[test]
fn a_refused_sharing_consent_for_the_care_plan_withholds_it_and_what_must_name_it() {
    let plan = james()["care_plan"][0]["record_uid"].clone();
    let record = james_with_consent(sharing_consent(
        "refused",
        json!({ "applies_to_care_plan": [plan] }),
    ));
    let p = Policy::built_in("hospital-admission").unwrap();
    let view = share(&record, &opts(Some(&p), None)).unwrap();
    assert!(view.document.get("care_plan").is_none());
    let w = view
        .manifest
        .withheld
        .iter()
        .find(|w| w.class == "care_plan" && w.element.is_none())
        .unwrap();
    assert_eq!(w.reason, Reason::ConsentRefused);
    let c = w.consent.as_ref().unwrap();
    assert_eq!(
        (c.pointer.as_str(), c.decision.as_str()),
        ("/consent/0", "refused")
    );
    // the consent stays (the hospital shares consent records), without its reference to
    // the withheld plan
    assert!(view.document["consent"][0]
        .get("applies_to_care_plan")
        .is_none());
    check_view("james+refusal", &record, &view);
    // without the refusal the plan is shared
    let view = share(&james(), &opts(Some(&p), None)).unwrap();
    assert_eq!(view.document["care_plan"].as_array().unwrap().len(), 1);
}

#[test]
fn a_refusal_naming_nothing_withholds_the_whole_record_but_the_person_and_the_consents() {
    let record = james_with_consent(sharing_consent("refused", json!({})));
    for p in policy::built_in() {
        let view = share(&record, &opts(Some(&p), None)).unwrap();
        let got = counts(&view.document);
        for k in got.keys() {
            assert!(k == "subject_of_care" || k == "consent", "{}: {k}", p.id);
        }
        check_view("james+refusal", &record, &view);
    }
}

#[test]
fn withdrawn_and_lapsed_consents_withhold_a_later_given_one_shares_again() {
    let p = Policy::built_in("gp").unwrap();
    let withdrawn = james_with_consent(sharing_consent("withdrawn", json!({})));
    let v = share(&withdrawn, &opts(Some(&p), None)).unwrap();
    assert!(v
        .manifest
        .withheld
        .iter()
        .any(|w| w.reason == Reason::ConsentWithdrawn));
    assert!(v.document.get("medication").is_none());

    let lapsed = james_with_consent(sharing_consent(
        "given",
        json!({"valid_until": "2026-02-01"}),
    ));
    let v = share(&lapsed, &opts(Some(&p), None)).unwrap();
    let w = v
        .manifest
        .withheld
        .iter()
        .find(|w| w.reason == Reason::ConsentLapsed)
        .unwrap();
    assert!(w.consent.as_ref().unwrap().lapsed);
    assert!(v.document.get("medication").is_none());
    // still in force the day before it lapses
    let in_force = james_with_consent(sharing_consent(
        "given",
        json!({"valid_until": "2026-03-01"}),
    ));
    let v = share(&in_force, &opts(Some(&p), None)).unwrap();
    assert!(v.document.get("medication").is_some());

    // a refusal, then consent given later: the later decision wins
    let mut both = james_with_consent(sharing_consent("refused", json!({})));
    let mut later = sharing_consent("given", json!({"decision_date": "2026-02-01"}));
    later["record_uid"] = json!("cons-later");
    both["consent"].as_array_mut().unwrap().push(later);
    let v = share(&both, &opts(Some(&p), None)).unwrap();
    assert!(v.document.get("medication").is_some());
    // and the other way round
    both["consent"][0]["decision_date"] = json!("2026-02-15");
    let v = share(&both, &opts(Some(&p), None)).unwrap();
    assert!(v.document.get("medication").is_none());
    // a consent for another purpose (assessment) is not a sharing decision
    let other = james_with_consent(sharing_consent(
        "refused",
        json!({"consent_purpose": {"code": "assessment"}}),
    ));
    let v = share(&other, &opts(Some(&p), None)).unwrap();
    assert!(v.document.get("medication").is_some());
}

#[test]
fn a_policy_naming_an_unknown_class_or_element_or_malformed_is_an_error() {
    let base = "id = \"x\"\ntitle = \"x\"\nrecipient = \"x\"\ndescription = \"x\"\n[[rule]]\nclass = \"subject_of_care\"\nrationale = \"r\"\n";
    let err =
        |extra: &str| Policy::from_toml(&format!("{base}{extra}"), Origin::Custom).unwrap_err();
    let e = err("[[rule]]\nclass = \"daily_notes\"\nrationale = \"r\"\n");
    assert!(
        matches!(&e, PolicyError::UnknownClass { class, .. } if class == "daily_notes"),
        "{e}"
    );
    assert!(e.to_string().contains("rule 2"), "{e}");
    let e = err("[[rule]]\nclass = \"alert\"\nexcept = [\"colour\"]\nrationale = \"r\"\n");
    assert!(
        matches!(&e, PolicyError::UnknownElement { element, .. } if element == "colour"),
        "{e}"
    );
    let e = err("[[rule]]\nclass = \"alert\"\nexcept = [\"status\"]\nrationale = \"r\"\n");
    assert!(
        matches!(&e, PolicyError::RequiredElementWithheld { element, .. } if element == "status"),
        "{e}"
    );
    let e = err("[[withhold]]\nclass = \"person_name\"\nrationale = \"a component\"\n");
    assert!(matches!(e, PolicyError::UnknownClass { .. }), "{e}");
    let e = err("[[rule]]\nclass = \"subject_of_care\"\nrationale = \"again\"\n");
    assert!(matches!(e, PolicyError::Conflict(_)), "{e}");
    let e = err("colour = \"red\"\n");
    assert!(matches!(e, PolicyError::Syntax(_)), "{e}");
    let e = Policy::from_toml("id = \"x\"\n[[rule\n", Origin::Custom).unwrap_err();
    assert!(matches!(e, PolicyError::Syntax(_)), "{e}");
    let e = Policy::from_toml(
        "id = \"x\"\ntitle = \"x\"\nrecipient = \"x\"\ndescription = \"x\"\n",
        Origin::Custom,
    )
    .unwrap_err();
    assert_eq!(e, PolicyError::NoSubjectOfCare);
    let e = Policy::built_in("dentist").unwrap_err();
    assert!(e.to_string().contains("hospital-admission"), "{e}");
}

#[test]
fn bad_records_and_empty_requests_are_errors() {
    let p = Policy::built_in("gp").unwrap();
    for bad in [
        json!([]),
        json!({"mods_version": "9"}),
        json!({"mods_version": "1.0"}),
    ] {
        assert!(matches!(
            share(&bad, &opts(Some(&p), None)),
            Err(ShareError::Record(_))
        ));
    }
    assert_eq!(
        share(&james(), &opts(None, None)).unwrap_err(),
        ShareError::NothingAsked
    );
}

#[test]
fn members_that_are_not_records_are_withheld_and_listed() {
    let mut j = james();
    let alerts = j["alert"].as_array().unwrap().len();
    j["mods_extensions"] = json!({"migration": [{"value": "secret"}]});
    j["alert"]
        .as_array_mut()
        .unwrap()
        .push(json!("not a record"));
    let p = Policy::built_in("hospital-admission").unwrap();
    let v = share(&j, &opts(Some(&p), None)).unwrap();
    assert_eq!(v.manifest.members_withheld, ["mods_extensions"]);
    assert_eq!(
        v.document["mods_extensions"],
        json!({"share": {"purpose": "hospital-admission", "partial": true}})
    );
    assert!(v
        .manifest
        .withheld
        .iter()
        .any(|w| w.class == "alert" && w.reason == Reason::NotARecord));
    assert_eq!(v.manifest.classes["alert"].input, alerts + 1);
    assert_eq!(v.manifest.classes["alert"].kept, alerts);
}

#[test]
fn a_reference_that_did_not_resolve_in_the_record_is_removed_too() {
    let mut j = james();
    let alerts = j["alert"].as_array().unwrap().len();
    // an optional reference to a record the record does not hold
    j["alert"][0]["location"] = json!("loc-nowhere");
    let before = validate_record(&j, &opts(None, None).validation);
    assert!(before
        .issues
        .iter()
        .any(|i| i.code == IssueCode::DanglingReference));
    let p = Policy::built_in("hospital-admission").unwrap();
    let view = share(&j, &opts(Some(&p), None)).unwrap();
    assert_eq!(view.document["alert"].as_array().unwrap().len(), alerts);
    assert!(view.document["alert"][0].get("location").is_none());
    assert!(view.manifest.withheld.iter().any(|w| w.class == "alert"
        && w.element.as_deref() == Some("location")
        && w.reason == Reason::ReferenceRemoved));
    check_view("james+dangling", &j, &view);
}
