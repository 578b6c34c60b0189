//! The commissioning flow (use case 2) in the core: what the package holds, and that
//! accepting it loses nothing.

use mods_core::flows::commission::{
    accept, package, AcceptError, AcceptOptions, Package, PackageError, PackageOptions, Person,
};
use mods_core::{validate_record, IssueCode, ValidationOptions};
use serde_json::{json, Value};
use std::collections::BTreeSet;

fn example(name: &str) -> Value {
    let path = format!(
        "{}/../examples/flows/commission/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    serde_json::from_str(&std::fs::read_to_string(path).expect("example file")).expect("JSON")
}

fn today() -> ValidationOptions {
    ValidationOptions::default().with_today(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap())
}

fn bodat_package() -> Package {
    package(
        &example("council-record.json"),
        &PackageOptions::default()
            .with_plan("cp-bodat")
            .with_provider("prov-spenvalley")
            .with_validation(today()),
    )
    .expect("a package")
}

fn accept_opts() -> AcceptOptions {
    AcceptOptions::default()
        .with_date_time("2026-01-30T10:00:00Z")
        .with_committer("sv-cw-sue")
        .with_validation(today())
}

/// Every (collection, record uid) of a document's versioned records.
fn uids(doc: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (k, v) in doc.as_object().expect("object") {
        if let Value::Array(items) = v {
            for i in items {
                if let Some(u) = i.get("record_uid").and_then(Value::as_str) {
                    if k != "change_log" {
                        out.insert((k.clone(), u.to_owned()));
                    }
                }
            }
        }
    }
    out
}

fn find<'a>(doc: &'a Value, class: &str, uid: &str) -> &'a Value {
    doc[class]
        .as_array()
        .and_then(|a| a.iter().find(|r| r["record_uid"] == uid))
        .unwrap_or_else(|| panic!("{class} {uid} not in the document"))
}

/// Replace, anywhere in `v`, the string `from` with `to`.
fn rename(v: &mut Value, from: &str, to: &str) {
    match v {
        Value::String(s) if s == from => *s = to.to_owned(),
        Value::Array(a) => a.iter_mut().for_each(|x| rename(x, from, to)),
        Value::Object(m) => m.values_mut().for_each(|x| rename(x, from, to)),
        _ => {}
    }
}

#[test]
fn the_package_stands_on_its_own() {
    let p = bodat_package();
    assert!(p.report.complete, "{:?}", p.report.validation.issues);
    assert!(p.report.unresolved.is_empty());
    // validated again, on its own, it is valid with no issue
    let again = validate_record(&p.document, &today());
    assert!(again.valid && again.issues.is_empty(), "{:?}", again.issues);
    // the content the provider needs
    let doc = &p.document;
    assert_eq!(
        doc["mods_extensions"]["commission"]["sender"],
        "la-kirklees"
    );
    // the youth worker's referral, which led to the needs assessment, and the finance
    // officer's to the Benefits Advice team, which names no assessment
    let referral = find(doc, "referral", "ref-bodat");
    assert_eq!(
        referral["referral_source"]["code"],
        "voluntary-community-or-youth-worker"
    );
    assert_eq!(referral["resulting_assessment"], "as-bodat-needs");
    assert_eq!(
        find(doc, "referral", "ref-bodat-benefits")["referred_by"],
        "cw-caroline"
    );
    find(doc, "care_worker", "cw-caroline");
    let fin = find(doc, "assessment", "as-bodat-finance");
    assert_eq!(
        fin["funding_decision"]["code"],
        "local-authority-funds-full-cost"
    );
    assert_eq!(fin["weekly_contribution"], json!(0));
    assert_eq!(fin["care_actor"], json!(["cw-caroline"]));
    assert_eq!(
        find(doc, "service", "svc-bodat-homecare")["funded_hours_per_week"],
        json!(8.75)
    );
    // the community group's service travels too, though the council does not fund it
    assert!(find(doc, "service", "svc-bodat-neighbours")
        .get("weekly_cost")
        .is_none());
    // the need that is not eligible travels beside the eligible ones
    assert_eq!(
        find(doc, "need", "need-bodat-online")["eligible_under_care_act"],
        json!(false)
    );
    let kinds: BTreeSet<&str> = doc["outcome"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|o| o["outcome_kind"]["code"].as_str())
        .collect();
    assert_eq!(
        kinds,
        BTreeSet::from(["desired-outcome", "eligible-outcome"])
    );
    for at in ["at-bodat-pendant", "at-bodat-base-unit"] {
        find(doc, "assistive_technology", at);
    }
    assert!(
        doc.get("medication").is_none(),
        "medicines are not in the package"
    );
}

#[test]
fn a_dangling_reference_is_reported_where_it_is() {
    let mut council = example("council-record.json");
    council["care_plan"][0]["needs_addressed"][0] = json!("need-not-held");
    let p = package(
        &council,
        &PackageOptions::default()
            .with_plan("cp-bodat")
            .with_validation(today()),
    )
    .expect("a package, not complete");
    assert!(!p.report.complete);
    assert_eq!(p.report.unresolved.len(), 1);
    assert_eq!(
        p.report.unresolved[0].path,
        "/care_plan/0/needs_addressed/0"
    );
    assert_eq!(p.report.unresolved[0].element, "needs_addressed");
    let dangling: Vec<_> = p
        .report
        .validation
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::DanglingReference)
        .collect();
    assert_eq!(dangling.len(), 1);
}

#[test]
fn refusals_are_clear() {
    let council = example("council-record.json");
    let opts = |plan: &str, provider: Option<&str>, sender: Option<&str>| {
        let mut o = PackageOptions::default()
            .with_plan(plan)
            .with_validation(today());
        o.provider = provider.map(Into::into);
        o.sender = sender.map(Into::into);
        o
    };
    assert_eq!(
        package(&council, &opts("svc-bodat-homecare", None, None)).unwrap_err(),
        PackageError::NoPlan
    );
    assert_eq!(
        package(&council, &opts("cp-bodat", Some("cw-emma"), None)).unwrap_err(),
        PackageError::NoProvider
    );
    assert!(matches!(
        package(&council, &opts("cp-bodat", None, Some("nobody"))).unwrap_err(),
        PackageError::NoSender(_)
    ));
    assert!(matches!(
        package(&json!([]), &opts("cp-bodat", None, None)).unwrap_err(),
        PackageError::Record(_)
    ));
}

#[test]
fn accepting_loses_nothing() {
    let p = bodat_package();
    let provider = example("provider-record.json");
    let a = accept(&provider, &p.document, &accept_opts()).expect("accepted");
    assert_eq!(a.report.person, Person::Matched);
    assert!(
        a.report.validation.valid,
        "{:?}",
        a.report.validation.issues
    );
    let merged = &a.record;
    // every record of the provider's and of the package is in the merged record
    let have = uids(merged);
    for (k, u) in uids(&provider).into_iter().chain(uids(&p.document)) {
        assert!(have.contains(&(k.clone(), u.clone())), "{k} {u} lost");
    }
    // every record of the package arrives exactly as sent, its references to the subject
    // of care renamed to the provider's
    for (k, u) in uids(&p.document) {
        let mut sent = find(&p.document, &k, &u).clone();
        rename(&mut sent, "soc-bodat", "sv-client-0417");
        assert_eq!(*find(merged, &k, &u), sent, "{k} {u} changed on the way");
    }
    // the sender's history arrives too
    for e in p.document["change_log"].as_array().unwrap() {
        assert!(merged["change_log"].as_array().unwrap().contains(e));
    }
    // every element of the package's subject of care is in the provider's
    let soc = &merged["subject_of_care"];
    for (k, v) in p.document["subject_of_care"].as_object().unwrap() {
        if k == "record_uid" || k == "version_number" {
            continue;
        }
        match (v, &soc[k]) {
            (Value::Array(sent), Value::Array(now)) => {
                assert!(sent.iter().all(|x| now.contains(x)), "{k}")
            }
            (sent, now) => assert_eq!(sent, now, "{k}"),
        }
    }
    assert_eq!(soc["version_number"], json!(2));
    assert_eq!(
        soc["local_identifier"],
        json!(["SV-0417", "KAS-2026-004117"])
    );
    // a Change log entry for every record added and for the subject's new version, each
    // naming the sending organisation
    let ours: Vec<&Value> = merged["change_log"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["committer"] == "sv-cw-sue")
        .collect();
    assert_eq!(ours.len(), a.report.added.len() + 1);
    assert_eq!(ours.len(), a.report.change_log_entries);
    assert!(ours.iter().all(|e| e["description"]
        .as_str()
        .unwrap()
        .contains("Kirklees Council Adult Social Care")));
    let soc_entry = ours
        .iter()
        .find(|e| e["record_uid"] == "sv-client-0417")
        .expect("the subject's entry");
    assert_eq!(soc_entry["change_type"]["code"], "251");
    assert_eq!(soc_entry["record_version"], json!(2));
}

#[test]
fn accepting_again_changes_nothing_and_a_newer_version_updates() {
    let p = bodat_package();
    let first = accept(
        &example("provider-record.json"),
        &p.document,
        &accept_opts(),
    )
    .unwrap();
    let again = accept(&first.record, &p.document, &accept_opts()).unwrap();
    assert!(again.report.added.is_empty());
    assert!(again.report.conflicts.is_empty());
    assert_eq!(again.report.unchanged.len(), first.report.added.len());
    assert_eq!(again.report.change_log_entries, 0);
    assert_eq!(again.record, first.record);

    // the council changes the home care service (version 2): the provider's copy follows
    let mut council = example("council-record.json");
    let svc = &mut council["service"][0];
    svc["version_number"] = json!(2);
    svc["funded_hours_per_week"] = json!(10.5);
    svc["weekly_cost"] = json!(294);
    let p2 = package(
        &council,
        &PackageOptions::default()
            .with_plan("cp-bodat")
            .with_validation(today()),
    )
    .unwrap();
    let updated = accept(&first.record, &p2.document, &accept_opts()).unwrap();
    assert_eq!(updated.report.updated.len(), 1);
    assert_eq!(updated.report.updated[0].record_uid, "svc-bodat-homecare");
    assert_eq!(
        updated.report.updated[0].elements,
        vec!["Funded hours per week", "Weekly cost"]
    );
    let svc = find(&updated.record, "service", "svc-bodat-homecare");
    assert_eq!(svc["funded_hours_per_week"], json!(10.5));
    assert_eq!(svc["version_number"], json!(2));
    // the plan's 8.75 hours and £250.25 are within the services' (10.5; £294.00 + £5.25)
    assert!(updated.report.validation.issues.is_empty());

    // the provider changed its copy of a record: its version is kept, the conflict listed
    let mut edited = first.record.clone();
    let comm = edited["communication_needs"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|r| r["record_uid"] == "comm-bodat")
        .unwrap();
    comm["communication_aids"] = json!("Reading glasses; a big-button telephone");
    let kept = accept(&edited, &p.document, &accept_opts()).unwrap();
    assert_eq!(kept.report.conflicts.len(), 1);
    assert_eq!(
        kept.report.conflicts[0].elements,
        vec!["Communication aids"]
    );
    assert_eq!(
        find(&kept.record, "communication_needs", "comm-bodat")["communication_aids"],
        "Reading glasses; a big-button telephone"
    );
}

#[test]
fn who_the_package_is_about() {
    let p = bodat_package();
    let provider = example("provider-record.json");
    let mut other = provider.clone();
    other["subject_of_care"]["nhs_number"] = json!("9434765919");
    // an array of the provider's people: the one with the NHS number is merged into
    let a = accept(
        &json!([other.clone(), provider.clone()]),
        &p.document,
        &accept_opts(),
    )
    .unwrap();
    assert_eq!(a.report.subject_of_care, "sv-client-0417");
    // nobody: refused, or a new record when asked for
    assert_eq!(
        accept(&other, &p.document, &accept_opts()).unwrap_err(),
        AcceptError::NoMatch
    );
    assert_eq!(
        accept(&json!([]), &p.document, &accept_opts()).unwrap_err(),
        AcceptError::NoMatch
    );
    let new = accept(&json!([]), &p.document, &{
        let mut o = accept_opts().with_new_person(true);
        o.committer = None;
        o
    })
    .unwrap();
    assert_eq!(new.report.person, Person::New);
    assert!(new.report.validation.valid);
    assert!(new.record.get("mods_extensions").is_none());
    // the provider's registered manager, named in the package, commits by default
    assert!(new.record["change_log"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["committer"] == "cw-aisha"));
    // two records with the number
    assert_eq!(
        accept(&json!([provider, provider]), &p.document, &accept_opts()).unwrap_err(),
        AcceptError::SeveralMatches
    );
}

#[test]
fn clashes_and_bad_options_refuse_the_whole_acceptance() {
    let p = bodat_package();
    let mut provider = example("provider-record.json");
    // the provider holds a care worker under the uid of the package's plan
    provider["care_worker"][0]["record_uid"] = json!("cp-bodat");
    provider["care_worker"][0]["record_uid"] = json!("cp-bodat");
    assert_eq!(
        accept(&provider, &p.document, &accept_opts()).unwrap_err(),
        AcceptError::UidClash {
            package_class: "care_plan",
            provider_class: "care_worker"
        }
    );
    let provider = example("provider-record.json");
    let bad_date = accept_opts().with_date_time("30/01/2026");
    assert_eq!(
        accept(&provider, &p.document, &bad_date).unwrap_err(),
        AcceptError::DateTime
    );
    let not_an_actor = accept_opts().with_committer("svc-bodat-homecare");
    assert!(matches!(
        accept(&provider, &p.document, &not_an_actor).unwrap_err(),
        AcceptError::Committer(_)
    ));
    let mut older = p.document.clone();
    older["mods_version"] = json!("1.1");
    assert_eq!(
        accept(&provider, &older, &accept_opts()).unwrap_err(),
        AcceptError::Versions
    );
}

#[test]
fn the_detailed_plan_stays_within_the_envelope_and_one_more_visit_would_not() {
    let detailed = example("detailed-plan.json");
    let r = validate_record(&detailed, &today());
    assert!(r.valid && r.issues.is_empty(), "{:?}", r.issues);
    let plan = find(&detailed, "care_plan", "sv-plan-bodat");
    let svc = find(&detailed, "service", "svc-bodat-homecare");
    assert_eq!(plan["services"], json!(["svc-bodat-homecare"]));
    assert_eq!(plan["planned_hours_per_week"], svc["funded_hours_per_week"]);
    assert_eq!(plan["weekly_cost"], svc["weekly_cost"]);

    // the Saturday visit he asked for (an hour at £28.00) goes beyond it
    let mut beyond = detailed.clone();
    let plan = &mut beyond["care_plan"][1];
    assert_eq!(plan["record_uid"], "sv-plan-bodat");
    plan["planned_hours_per_week"] = json!(9.75);
    plan["weekly_cost"] = json!(273);
    let r = validate_record(&beyond, &today());
    assert!(r.valid);
    let envelope: Vec<_> = r
        .issues
        .iter()
        .filter(|i| i.code == IssueCode::PlanExceedsFundedEnvelope)
        .collect();
    assert_eq!(envelope.len(), 2, "{:?}", r.issues);
    assert_eq!(
        envelope[0].context["services"],
        json!(["/service/0"]),
        "the detailed plan names only the home care"
    );
}

#[test]
fn the_council_record_is_mr_bodats_example_record() {
    let path = format!(
        "{}/../examples/records/mr-bodat.json",
        env!("CARGO_MANIFEST_DIR")
    );
    let record: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    assert_eq!(
        example("council-record.json"),
        record,
        "the example's council record has drifted from examples/records/mr-bodat.json"
    );
}
