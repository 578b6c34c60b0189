//! Tests of the discharge merge, on James's example (use case 4).

use super::*;
use serde_json::json;

const BEFORE: &str =
    include_str!("../../../../examples/flows/discharge/james-before-discharge.json");
const AT_HOME: &str =
    include_str!("../../../../examples/flows/discharge/james-changed-at-home.json");
const DISCHARGE: &str = include_str!("../../../../examples/flows/discharge/discharge-james.json");

fn doc(text: &str) -> Value {
    serde_json::from_str(text).expect("example JSON")
}

fn opts() -> DischargeOptions {
    DischargeOptions {
        date_time: "2026-01-22T17:30:00Z".into(),
        committer: "cw-liam".into(),
        system_identifier: "Mersey Lane Supported Living care record (Nourish 5)".into(),
        discharge_uid: None,
        include_values: false,
    }
}

fn merge(record: &Value, base: Option<&Value>) -> MergedDischarge {
    merge_discharge(record, &doc(DISCHARGE), base, &opts()).expect("merged")
}

fn plan(m: &MergedDischarge) -> &Value {
    &m.record["care_plan"][0]
}

fn kinds(m: &MergedDischarge) -> Vec<(Action, &str, &str, u64)> {
    m.report
        .changes
        .iter()
        .map(|c| {
            (
                c.action,
                c.class.as_str(),
                c.record_uid.as_str(),
                c.version_number,
            )
        })
        .collect()
}

#[test]
fn james_discharge_becomes_need_service_alert_and_care_plan_version() {
    let m = merge(&doc(BEFORE), None);
    assert_eq!(
        kinds(&m),
        vec![
            (Action::Created, "discharge_details", "dis-james", 1),
            (Action::Created, "document", "doc-james-discharge", 1),
            (Action::Created, "medication", "med-james-amoxicillin", 1),
            (Action::Created, "need", "dis-james-need", 1),
            (Action::Created, "service", "dis-james-service", 1),
            (Action::Created, "alert", "dis-james-alert", 1),
            (Action::Updated, "care_plan", "cp-james", 2),
        ]
    );
    assert!(m.report.conflicts.is_empty());
    assert_eq!(m.report.admission_uid.as_deref(), Some("adm-james"));
    assert!(
        m.report.validation.valid,
        "{:?}",
        m.report.validation.issues
    );
    let p = plan(&m);
    assert_eq!(p["version_number"], 2);
    assert_eq!(p["review_date"], "2026-01-28");
    assert_eq!(p["services"], json!(["dis-james-service"]));
    assert!(p["needs_addressed"]
        .as_array()
        .is_some_and(|a| a.contains(&json!("dis-james-need"))));
    let activities = p["planned_activities"].as_array().expect("activities");
    assert_eq!(
        activities
            .iter()
            .filter(|a| a.as_str().is_some_and(|a| a.starts_with("Follow-up from")))
            .count(),
        3
    );
    // the support has the discharge's period
    let service = &m.record["service"][0];
    assert_eq!(service["service_start_date"], "2026-01-22");
    assert_eq!(service["service_end_date"], "2026-01-28");
    let alert = m.record["alert"]
        .as_array()
        .and_then(|a| a.iter().find(|x| x["record_uid"] == "dis-james-alert"))
        .expect("alert");
    assert_eq!(alert["alert_end_date"], "2026-01-28T23:59:59Z");
    // every change has a Change log entry naming the discharge, at the version it made
    let log = m.record["change_log"].as_array().expect("log");
    for c in &m.report.changes {
        let e = log
            .iter()
            .find(|e| {
                e["record_uid"] == c.record_uid.as_str()
                    && e["record_version"] == c.version_number
                    && e["date"] == "2026-01-22T17:30:00Z"
            })
            .expect("entry");
        assert!(e["description"]
            .as_str()
            .is_some_and(|d| d.contains("(discharge details dis-james)")));
        assert_eq!(e["committer"], "cw-liam");
    }
    assert_eq!(
        log.last().map(|e| &e["description"]),
        Some(&json!("Care plan changed from the hospital discharge (discharge details dis-james): Needs addressed, Services, Planned activities, Review date."))
    );
}

#[test]
fn merging_twice_changes_nothing_the_second_time() {
    let once = merge(&doc(BEFORE), None);
    let twice = merge(&once.record, None);
    assert!(
        twice.report.changes.is_empty(),
        "{:?}",
        twice.report.changes
    );
    assert!(twice.report.conflicts.is_empty());
    assert_eq!(twice.record, once.record);
    // the record itself as the discharge document: the same
    let again = merge_discharge(&once.record, &once.record, None, &opts()).expect("merged");
    assert!(again.report.changes.is_empty());
}

#[test]
fn a_review_date_changed_at_home_is_kept_and_reported_from_the_change_log() {
    let m = merge(&doc(AT_HOME), None);
    assert_eq!(m.report.conflicts.len(), 1);
    let c = &m.report.conflicts[0];
    assert_eq!(c.reason, ConflictReason::ChangedAtHome);
    assert_eq!(c.record_uid, "cp-james");
    assert_eq!(c.element.as_deref(), Some("review_date"));
    assert_eq!(c.path, "/care_plan/0/review_date");
    assert!(c.home.is_none() && c.discharge.is_none());
    let p = plan(&m);
    assert_eq!(p["review_date"], "2026-03-31");
    // the rest is still merged: the care plan is version 3, without the review date
    assert_eq!(p["version_number"], 3);
    assert_eq!(
        m.report.changes.last().map(|c| c.elements.clone()),
        Some(vec![
            "needs_addressed".to_owned(),
            "services".into(),
            "planned_activities".into()
        ])
    );
    assert!(m.report.needs_attention());
}

#[test]
fn three_way_with_the_record_at_admission() {
    let (before, home) = (doc(BEFORE), doc(AT_HOME));
    let m = merge(&home, Some(&before));
    assert!(m.report.three_way);
    assert_eq!(m.report.conflicts.len(), 1);
    assert_eq!(plan(&m)["review_date"], "2026-03-31");
    // a base where the review date already was 31 March: not changed at home, so the
    // discharge's earlier review wins, whatever the Change log says
    let m = merge(&home, Some(&home));
    assert!(m.report.conflicts.is_empty());
    assert_eq!(plan(&m)["review_date"], "2026-01-28");
}

#[test]
fn values_only_when_asked() {
    let o = DischargeOptions {
        include_values: true,
        ..opts()
    };
    let m = merge_discharge(&doc(AT_HOME), &doc(DISCHARGE), None, &o).expect("merged");
    let c = &m.report.conflicts[0];
    assert_eq!(c.home, Some(json!("2026-03-31")));
    assert_eq!(c.discharge, Some(json!("2026-01-28")));
    let hidden = merge(&doc(AT_HOME), None);
    let text = serde_json::to_string(&hidden.report).unwrap_or_default();
    assert!(
        !text.contains("2026-03-31") && !text.contains("second member of staff"),
        "{text}"
    );
}

#[test]
fn what_was_removed_at_home_after_a_merge_is_not_added_again() {
    let once = merge(&doc(BEFORE), None);
    let mut home = once.record.clone();
    // the team ends the alert early by deleting it, and takes a follow-up off the plan
    let alerts = home["alert"].as_array_mut().expect("alerts");
    alerts.retain(|a| a["record_uid"] != "dis-james-alert");
    let plan = &mut home["care_plan"][0];
    plan["planned_activities"]
        .as_array_mut()
        .expect("activities")
        .pop();
    plan["version_number"] = json!(3);
    home["change_log"].as_array_mut().expect("log").push(
        json!({"date": "2026-01-28T09:00:00Z", "change_type": {"code": "251"},
            "system_identifier": "x", "committer": "cw-grace", "record_uid": "cp-james",
            "record_version": 3}),
    );
    let m = merge(&home, None);
    assert!(m.report.changes.is_empty(), "{:?}", m.report.changes);
    let reasons: Vec<(ConflictReason, &str)> = m
        .report
        .conflicts
        .iter()
        .map(|c| (c.reason, c.class.as_str()))
        .collect();
    assert_eq!(
        reasons,
        vec![
            (ConflictReason::RemovedAtHome, "alert"),
            (ConflictReason::RemovedAtHome, "care_plan")
        ]
    );
}

#[test]
fn a_brought_record_that_differs_is_not_overwritten() {
    let mut record = doc(BEFORE);
    let mut amox = doc(DISCHARGE)["medication"][0].clone();
    amox["dose_instructions"] = json!("Something else the home wrote.");
    record["medication"]
        .as_array_mut()
        .expect("meds")
        .push(amox.clone());
    let m = merge(&record, None);
    let c: Vec<_> = m
        .report
        .conflicts
        .iter()
        .filter(|c| c.reason == ConflictReason::RecordDiffers)
        .collect();
    assert_eq!(c.len(), 1);
    assert_eq!(c[0].element.as_deref(), Some("dose_instructions"));
    assert_eq!(c[0].path, "/medication/2/dose_instructions");
    assert_eq!(m.record["medication"][2], amox);
}

#[test]
fn notes_for_what_the_merge_cannot_see() {
    // a Discharge details instance alone, of no known admission, with nothing for the plan
    let dis = json!({"record_uid": "dis-2", "version_number": 1, "subject_of_care": "soc-james",
        "hospital": "org-irwell", "discharge_date_and_time": "2026-03-02T11:00:00Z"});
    let m = merge_discharge(&doc(BEFORE), &dis, None, &opts()).expect("merged");
    let notes: Vec<NoteKind> = m.report.notes.iter().map(|n| n.kind).collect();
    assert_eq!(
        notes,
        vec![NoteKind::AdmissionNotFound, NoteKind::NothingToMerge]
    );
    assert_eq!(
        kinds(&m),
        vec![(Action::Created, "discharge_details", "dis-2", 1)]
    );
    // extra support without dates, and a record without a care plan or a Change log
    let mut record = doc(BEFORE);
    record.as_object_mut().map(|o| o.remove("change_log"));
    let mut d = doc(DISCHARGE);
    d["discharge_details"][0]
        .as_object_mut()
        .map(|o| o.remove("extra_support_end_date"));
    let m = merge_discharge(&record, &d, None, &opts()).expect("merged");
    let notes: Vec<NoteKind> = m.report.notes.iter().map(|n| n.kind).collect();
    assert_eq!(
        notes,
        vec![NoteKind::ExtraSupportUndated, NoteKind::HistoryUnknown]
    );
    assert!(m.record["service"][0].get("service_end_date").is_none());
    // no active care plan
    record["care_plan"][0]["plan_status"] = json!({"code": "completed"});
    let m = merge_discharge(&record, &doc(DISCHARGE), None, &opts()).expect("merged");
    assert!(m
        .report
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::NoCarePlan));
    assert!(!m.report.changes.iter().any(|c| c.class == "care_plan"));
}

#[test]
fn a_brought_record_without_a_version_is_version_1() {
    let dis = json!({"record_uid": "dis-2", "subject_of_care": "soc-james",
        "hospital": "org-irwell", "discharge_date_and_time": "2026-03-02T11:00:00Z"});
    let m = merge_discharge(&doc(BEFORE), &dis, None, &opts()).expect("merged");
    assert_eq!(
        kinds(&m),
        vec![(Action::Created, "discharge_details", "dis-2", 1)]
    );
    assert_eq!(m.record["discharge_details"][0]["version_number"], 1);
    // a document whose medicine has a version that is not a whole number: not added
    let mut d = doc(DISCHARGE);
    d["medication"][0]["version_number"] = json!("two");
    let m = merge_discharge(&doc(BEFORE), &d, None, &opts()).expect("merged");
    assert!(m
        .report
        .notes
        .iter()
        .any(|n| n.kind == NoteKind::BroughtNotVersioned));
    assert!(!m.report.changes.iter().any(|c| c.class == "medication"));
}

#[test]
fn refusals() {
    let before = doc(BEFORE);
    let other = json!({"record_uid": "dis-x", "subject_of_care": "soc-someone-else",
        "discharge_date_and_time": "2026-01-22T15:30:00Z"});
    assert_eq!(
        merge_discharge(&before, &other, None, &opts()).err(),
        Some(DischargeError::OtherPerson("discharge"))
    );
    let mut base = before.clone();
    base["subject_of_care"]["record_uid"] = json!("soc-other");
    assert_eq!(
        merge_discharge(&before, &doc(DISCHARGE), Some(&base), &opts()).err(),
        Some(DischargeError::OtherPerson("base record"))
    );
    assert!(matches!(
        merge_discharge(&json!([]), &doc(DISCHARGE), None, &opts()),
        Err(DischargeError::NotARecord("record", _))
    ));
    assert!(matches!(
        merge_discharge(&before, &json!({"mods_version": "1.0"}), None, &opts()),
        Err(DischargeError::NoDischarge(_))
    ));
    assert!(matches!(
        merge_discharge(&before, &json!("x"), None, &opts()),
        Err(DischargeError::NotADischarge(_))
    ));
    let named = DischargeOptions {
        discharge_uid: Some("dis-nope".into()),
        ..opts()
    };
    assert!(matches!(
        merge_discharge(&before, &doc(DISCHARGE), None, &named),
        Err(DischargeError::NoDischarge(_))
    ));
    let bad = DischargeOptions {
        committer: "two words".into(),
        ..opts()
    };
    assert!(matches!(
        merge_discharge(&before, &doc(DISCHARGE), None, &bad),
        Err(DischargeError::BadMeta(_))
    ));
    let undated = json!({"record_uid": "dis-x", "subject_of_care": "soc-james",
        "discharge_date_and_time": "22 January"});
    assert_eq!(
        merge_discharge(&before, &undated, None, &opts()).err(),
        Some(DischargeError::BadDischarge)
    );
    // no message holds the person's data
    for e in [
        DischargeError::OtherPerson("discharge"),
        DischargeError::BadDischarge,
        DischargeError::NoDischarge(""),
    ] {
        assert!(!e.to_string().contains("james"));
    }
}
