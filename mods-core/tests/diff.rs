//! Record diff: a record compared with itself shows no change, whatever it holds (duplicate
//! uids included, which are reported as issues of their own), and instances that share a
//! uid are matched in document order.

use mods_core::history::{diff_records, DiffOptions, RecordChangeKind};
use mods_core::IssueCode;
use proptest::prelude::*;
use serde_json::{json, Value};
use std::collections::HashSet;
use std::path::Path;

fn all() -> DiffOptions {
    DiffOptions::default()
        .with_include_values(false)
        .with_include_audit(true)
}

fn two_workers_sharing_a_uid() -> Value {
    json!({
        "mods_version": "1.0",
        "subject_of_care": {"record_uid": "soc-1", "version_number": 1,
                            "person_name": [{"given_name": ["Arthur"], "family_name": "Green"}]},
        "care_worker": [
            {"record_uid": "cw-1", "version_number": 1, "job_title": "Support worker",
             "person_name": {"given_name": ["Emily"], "family_name": "Clark"},
             "care_worker_category": {"code": "care-worker"}},
            {"record_uid": "cw-2", "version_number": 1, "job_title": "Nurse",
             "person_name": {"given_name": ["Tom"], "family_name": "Hale"},
             "care_worker_category": {"code": "care-worker"}},
            {"record_uid": "cw-1", "version_number": 2, "job_title": "Senior support worker",
             "person_name": {"given_name": ["Emily"], "family_name": "Clark"},
             "care_worker_category": {"code": "care-worker"}}
        ]
    })
}

#[test]
fn a_duplicate_uid_is_an_issue_not_a_phantom_change() {
    let a = two_workers_sharing_a_uid();
    let d = diff_records(&a, &a, &all()).expect("diff");
    assert!(d.changes.is_empty(), "phantom changes: {:?}", d.changes);
    // reported once for each record, at the second use, naming the first; no value
    let paths: Vec<(&str, &str)> = d
        .issues
        .iter()
        .map(|i| (i.context["record"].as_str().unwrap_or(""), i.path.as_str()))
        .collect();
    assert_eq!(
        paths,
        [
            ("old", "/care_worker/2/record_uid"),
            ("new", "/care_worker/2/record_uid")
        ]
    );
    for i in &d.issues {
        assert_eq!(i.code, IssueCode::DuplicateRecordUid);
        assert_eq!(i.context["first"], "/care_worker/0/record_uid");
        assert_eq!(i.context["class"], "care_worker");
        assert!(!i.context.contains_key("value"));
    }
    let shown = diff_records(&a, &a, &all().with_include_values(true)).expect("diff");
    assert_eq!(shown.issues[0].context["value"], "cw-1");
}

#[test]
fn instances_sharing_a_uid_are_matched_in_document_order() {
    let a = two_workers_sharing_a_uid();
    let mut b = a.clone();
    b["care_worker"][2]["job_title"] = json!("Team leader");
    let d = diff_records(&a, &b, &all()).expect("diff");
    let got: Vec<(RecordChangeKind, &str)> = d
        .changes
        .iter()
        .map(|c| (c.kind, c.path.as_str()))
        .collect();
    assert_eq!(
        got,
        [(RecordChangeKind::Changed, "/care_worker/2/job_title")]
    );
    // one of the two removed: the other is not reported as changed into it
    let mut c = a.clone();
    c["care_worker"].as_array_mut().expect("array").remove(0);
    let d = diff_records(&a, &c, &all()).expect("diff");
    let got: Vec<(RecordChangeKind, &str)> = d
        .changes
        .iter()
        .map(|c| (c.kind, c.path.as_str()))
        .collect();
    assert_eq!(got, [(RecordChangeKind::Removed, "/care_worker/0")]);
}

#[test]
fn change_log_entries_are_matched_by_content_not_by_the_record_they_audit() {
    let entry = |desc: &str| {
        json!({"date": "2026-11-20T10:15:00Z", "change_type": {"code": "251"}, "description": desc,
               "system_identifier": "sys", "committer": "cw-1", "record_uid": "al-1", "record_version": 2})
    };
    let a = json!({"mods_version": "1.0", "change_log": [entry("Alert changed: Status."), entry("Alert changed: Date.")]});
    let d = diff_records(&a, &a, &all()).expect("diff");
    assert!(d.changes.is_empty() && d.issues.is_empty(), "{d:?}");
    let mut b = a.clone();
    b["change_log"]
        .as_array_mut()
        .expect("array")
        .push(entry("Alert changed: Free text."));
    let d = diff_records(&a, &b, &all()).expect("diff");
    let got: Vec<(RecordChangeKind, &str)> = d
        .changes
        .iter()
        .map(|c| (c.kind, c.path.as_str()))
        .collect();
    assert_eq!(got, [(RecordChangeKind::Added, "/change_log/2")]);
}

#[test]
fn example_records_compared_with_themselves_show_nothing() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/records");
    for e in std::fs::read_dir(dir).expect("examples").flatten() {
        let rec: Value =
            serde_json::from_slice(&std::fs::read(e.path()).expect("read")).expect("JSON");
        let d = diff_records(&rec, &rec, &all()).expect("diff");
        assert!(
            d.changes.is_empty() && d.issues.is_empty(),
            "{}",
            e.path().display()
        );
    }
}

/// A JSON value of any shape, small.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (0u32..5).prop_map(Value::from),
        "[a-c]{0,2}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::btree_map("[a-c]{1,2}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// An instance: usually a uid from a small pool (so that uids repeat), sometimes none or
/// one that is not text, with a few elements of any shape.
fn instance() -> impl Strategy<Value = Value> {
    let uid = prop_oneof![
        4 => "u[1-3]".prop_map(Value::from),
        1 => any_json(),
    ];
    (
        prop::option::of(uid),
        prop::collection::btree_map(
            prop_oneof![
                Just("job_title".to_owned()),
                Just("version_number".to_owned()),
                "[a-c]{1,2}"
            ],
            any_json(),
            0..3,
        ),
    )
        .prop_map(|(uid, mut els)| {
            if let Some(u) = uid {
                els.insert("record_uid".into(), u);
            }
            Value::Object(els.into_iter().collect())
        })
}

/// A 1.0 record: collections of versioned classes, the (unversioned) Change log, a subject
/// of care, and members of any shape (collections that are not arrays, unknown keys).
fn record() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("care_worker"),
        Just("alert"),
        Just("change_log"),
        Just("subject_of_care"),
        Just("mods_extensions"),
        Just("unknown_key"),
    ];
    let member = prop_oneof![
        4 => prop::collection::vec(instance(), 0..5).prop_map(Value::from),
        1 => instance(),
        1 => any_json(),
    ];
    prop::collection::btree_map(key, member, 0..5).prop_map(|m| {
        let mut o: serde_json::Map<String, Value> =
            m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        o.insert("mods_version".into(), "1.0".into());
        Value::Object(o)
    })
}

/// The uids used more than once among the versioned records, as the diff should see them.
fn has_duplicates(rec: &Value) -> bool {
    let mut seen = HashSet::new();
    let mut dup = false;
    for (k, v) in rec.as_object().into_iter().flatten() {
        let items: Vec<&Value> = match (k.as_str(), v) {
            ("care_worker" | "alert", Value::Array(a)) => a.iter().collect(),
            ("subject_of_care", Value::Object(_)) => vec![v],
            _ => continue,
        };
        for i in items {
            if let Some(u) = i.get("record_uid").and_then(Value::as_str) {
                dup |= !seen.insert(u.to_owned());
            }
        }
    }
    dup
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_record_compared_with_itself_shows_no_change(rec in record()) {
        let d = diff_records(&rec, &rec, &all()).expect("a 1.0 record");
        prop_assert!(d.changes.is_empty(), "{:?}", d.changes);
        // every duplicate uid is reported, in both records, and nothing else is
        prop_assert_eq!(!d.issues.is_empty(), has_duplicates(&rec));
        prop_assert!(d.issues.iter().all(|i| i.code == IssueCode::DuplicateRecordUid));
        let old = d.issues.iter().filter(|i| i.context["record"] == "old").count();
        prop_assert_eq!(old * 2, d.issues.len());
    }

    #[test]
    fn a_changed_element_is_the_only_change(rec in record(), n in 0usize..8, text in "[x-z]{1,3}") {
        // change one element of one instance of care_worker, if there is one
        let mut new = rec.clone();
        let target = new.get_mut("care_worker").and_then(Value::as_array_mut).and_then(|a| {
            let len = a.len();
            (len > 0).then(|| &mut a[n % len])
        });
        let mut changed = false;
        if let Some(Value::Object(inst)) = target {
            let text = Value::from(format!("changed {text}"));
            changed = inst.get("job_title") != Some(&text);
            inst.insert("job_title".into(), text);
        }
        if changed {
            let d = diff_records(&rec, &new, &all()).expect("diff");
            prop_assert_eq!(d.changes.len(), 1, "{:?}", d.changes);
            prop_assert_eq!(d.changes[0].kind, RecordChangeKind::Changed);
            prop_assert!(d.changes[0].path.ends_with("/job_title"));
        }
    }
}

/// Use case 3: Mrs Smith's record after her fall compared with the same day before Sophie's
/// evening visit. With values, the diff holds each event of the evening as the use case tells
/// it: Sophie's visit, what Mrs Smith told her, the fall, the head injury, the ambulance and
/// A&E, and what she told A&E.
#[test]
fn mrs_smiths_evening_is_in_the_diff() {
    let load = |name: &str| -> Value {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../examples/records")
            .join(name);
        serde_json::from_slice(&std::fs::read(p).expect("example")).expect("JSON")
    };
    let before = load("mrs-smith-before-fall.json");
    let after = load("mrs-smith-after-fall.json");
    let opts = DiffOptions::default()
        .with_include_values(true)
        .with_include_audit(false);
    let d = diff_records(&before, &after, &opts).expect("same version");
    assert!(d.changes.iter().all(|c| c.kind == RecordChangeKind::Added));
    let added = |class: &str| -> Vec<&Value> {
        d.changes
            .iter()
            .filter(|c| c.class == class)
            .map(|c| c.after.as_ref().expect("values asked for"))
            .collect()
    };
    let one = |class: &str| -> &Value {
        let all = added(class);
        assert_eq!(all.len(), 1, "{class}: {all:?}");
        all[0]
    };
    let text = |v: &Value, key: &str| v[key].as_str().unwrap_or_default().to_owned();

    // Sophie's visit: her evening note, written by the new care worker the record names
    let note = one("daily_care_note");
    assert_eq!(note["care_actor"], json!(["cw-sophie"]));
    assert_eq!(note["period_covered"]["code"], "evening");
    let sophie = after["care_worker"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["record_uid"] == "cw-sophie")
        .expect("Sophie is in the record");
    assert_eq!(sophie["person_name"]["given_name"], json!(["Sophie"]));
    // what Mrs Smith told her: no help to the toilet, and her medication already taken
    assert!(text(note, "personal_care").contains("did not need any help going to the toilet"));
    assert!(text(note, "general_note").contains("already taken her medication"));
    let reported = one("medication_administration");
    assert_eq!(reported["administered_by"], "soc-smith");
    assert_eq!(
        reported["information_source"]["code"],
        "reported-by-subject-of-care"
    );
    assert_eq!(reported["report_reliability"]["code"], "unreliable");
    // the fall, on her way to the bathroom alone
    let fall = one("incident");
    assert_eq!(fall["incident_type"]["code"], "fall");
    assert_eq!(fall["care_actor"], json!(["cw-sophie"]));
    assert!(text(fall, "incident_description").contains("bathroom on her own"));
    // the head injury
    assert_eq!(fall["injury_sustained"], true);
    assert_eq!(fall["injury"][0]["code"], "82271004");
    assert!(text(fall, "incident_description").contains("hit her head"));
    // the ambulance, and A&E
    assert!(text(fall, "procedure_followed").contains("Called an ambulance"));
    assert_eq!(fall["hospital_attendance"], true);
    let ae = one("location");
    assert_eq!(ae["location_type"]["code"], "E04");
    let admission = one("admission_details");
    assert_eq!(admission["related_incident"], "inc-smith-fall");
    assert_eq!(admission["ward_or_department"], ae["record_uid"]);
    assert_eq!(admission["admission_method"]["code"], "21");
    // what she told A&E, and what the record says instead
    let alert = one("alert");
    let said = text(alert, "free_text");
    for fact in [
        "she lives independently",
        "does not need support with personal care",
        "has not taken any medication today",
    ] {
        assert!(said.contains(fact), "{fact}");
    }
    assert!(alert["informed"]
        .as_array()
        .unwrap()
        .contains(&json!("org-northfield")));
}
