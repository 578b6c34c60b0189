//! The dose rules (use case 3): the minimum interval and the maximum in 24 hours, across
//! Medication records of one product, in UK civil time. The conformance corpus checks
//! codes and paths; these tests check the context each warning carries, the decisions
//! documented in docs/validation.md, and that the rules stay fast on hostile input.

use mods_core::{validate_record, Issue, IssueCode, ValidationOptions};
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const PARA: &str = "322236009";

fn med(uid: &str, extra: Value) -> Value {
    let mut m = json!({
        "record_uid": uid, "version_number": 1, "subject_of_care": "soc-1",
        "date": "2026-11-01", "dose_instructions": "As directed",
        "medication_code": { "code": PARA }, "medication_status": { "code": "active" },
        "dose_unit": { "code": "732936001" }
    });
    merge(&mut m, extra);
    m
}

fn dose(uid: &str, medication: &str, date: &str, time: &str, extra: Value) -> Value {
    let mut a = json!({
        "record_uid": uid, "version_number": 1, "subject_of_care": "soc-1",
        "date": date, "time": time, "medication": medication,
        "administration_status": { "code": "given" },
        "administered_by": "cw-1", "administered_by_role": { "code": "care-worker" }
    });
    merge(&mut a, extra);
    a
}

fn merge(into: &mut Value, extra: Value) {
    if let (Some(o), Value::Object(e)) = (into.as_object_mut(), extra) {
        o.extend(e);
    }
}

fn record(meds: Vec<Value>, doses: Vec<Value>) -> Value {
    json!({
        "mods_version": "1.0",
        "subject_of_care": {
            "record_uid": "soc-1", "version_number": 1,
            "person_name": [{ "given_name": ["Dorothy"], "family_name": "Smith" }]
        },
        "care_worker": [{
            "record_uid": "cw-1", "version_number": 1,
            "person_name": { "given_name": ["Kate"], "family_name": "Barker" },
            "care_worker_category": { "code": "care-worker" }
        }],
        "medication": meds,
        "medication_administration": doses
    })
}

/// The dose warnings of a record, which must otherwise have no issues.
fn warnings(doc: &Value) -> Vec<Issue> {
    let r = validate_record(doc, &ValidationOptions::strict());
    assert!(r.valid, "{:?}", r.issues);
    for i in &r.issues {
        assert!(
            matches!(
                i.code,
                IssueCode::DoseWithinMinimumInterval | IssueCode::MaximumDosePer24HoursExceeded
            ),
            "unexpected issue {i}"
        );
    }
    r.issues
}

#[test]
fn a_pair_across_two_records_names_the_other_record_and_takes_the_larger_interval() {
    let doc = record(
        vec![
            med("med-agency", json!({ "minimum_interval": 4 })),
            med(
                "med-family",
                json!({ "minimum_interval": 6,
                        "medication_code": { "code": PARA, "system": "http://snomed.info/sct" } }),
            ),
        ],
        vec![
            dose("ma-1", "med-family", "2026-11-20", "08:00", json!({})),
            dose("ma-2", "med-agency", "2026-11-20", "13:00", json!({})),
        ],
    );
    let w = warnings(&doc);
    assert_eq!(w.len(), 1, "{w:?}");
    let c = &w[0].context;
    assert_eq!(w[0].path, "/medication_administration/1");
    assert_eq!(c["previous"], "/medication_administration/0");
    assert_eq!(c["previous_medication"], "/medication/1");
    assert_eq!(c["minimum_interval_hours"], 6.0);
    assert_eq!(c["interval_hours"], 5.0);
    assert!(c.get("time_uncertain").is_none());
}

#[test]
fn within_one_record_the_later_doses_interval_is_the_one_in_force() {
    // the interval was shortened between the doses: the later administration's applies
    let doc = record(
        vec![med("med-1", json!({}))],
        vec![
            dose(
                "ma-1",
                "med-1",
                "2026-11-20",
                "08:00",
                json!({ "minimum_interval": 6 }),
            ),
            dose(
                "ma-2",
                "med-1",
                "2026-11-20",
                "11:00",
                json!({ "minimum_interval": 2 }),
            ),
        ],
    );
    assert!(warnings(&doc).is_empty());
    // and no `previous_medication` within one record
    let doc = record(
        vec![med("med-1", json!({ "minimum_interval": 4 }))],
        vec![
            dose("ma-1", "med-1", "2026-11-20", "08:00", json!({})),
            dose("ma-2", "med-1", "2026-11-20", "09:00", json!({})),
        ],
    );
    let w = warnings(&doc);
    assert_eq!(w.len(), 1);
    assert!(w[0].context.get("previous_medication").is_none());
}

#[test]
fn doses_under_one_record_are_compared_whatever_their_own_codes() {
    // two strengths recorded on the administrations of one Medication record
    let doc = record(
        vec![med("med-1", json!({ "minimum_interval": 4 }))],
        vec![
            dose(
                "ma-1",
                "med-1",
                "2026-11-20",
                "08:00",
                json!({ "medication_code": { "code": PARA } }),
            ),
            dose(
                "ma-2",
                "med-1",
                "2026-11-20",
                "09:00",
                json!({ "medication_code": { "code": "42109611000001109" } }),
            ),
        ],
    );
    assert_eq!(warnings(&doc).len(), 1);
}

#[test]
fn a_code_in_another_system_is_another_product() {
    let doc = record(
        vec![
            med("med-agency", json!({ "minimum_interval": 4 })),
            med(
                "med-family",
                json!({ "medication_code": { "code": PARA, "system": "https://family.example/medicines" } }),
            ),
        ],
        vec![
            dose("ma-1", "med-agency", "2026-11-20", "08:00", json!({})),
            dose("ma-2", "med-family", "2026-11-20", "09:00", json!({})),
        ],
    );
    assert!(warnings(&doc).is_empty());
}

#[test]
fn clock_changes_use_uk_time_and_the_shorter_reading() {
    let pair = |date: &str, a: &str, b: &str, hours: f64| {
        record(
            vec![med("med-1", json!({ "minimum_interval": hours }))],
            vec![
                dose("ma-1", "med-1", date, a, json!({})),
                dose("ma-2", "med-1", date, b, json!({})),
            ],
        )
    };
    // spring forward: 00:30 GMT to 02:30 BST is one hour
    let w = warnings(&pair("2026-03-29", "00:30", "02:30", 1.5));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].context["interval_hours"], 1.0);
    assert!(w[0].context.get("time_uncertain").is_none());
    // fall back: 00:30 BST to 02:30 GMT is three hours
    assert!(warnings(&pair("2026-10-25", "00:30", "02:30", 3.0)).is_empty());
    // fall back: 01:30 happens twice; the first reading is an hour after 00:30
    let w = warnings(&pair("2026-10-25", "00:30", "01:30", 1.5));
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].context["interval_hours"], 1.0);
    assert_eq!(w[0].context["time_uncertain"], true);
    // summer: both BST, two hours
    assert!(warnings(&pair("2026-07-01", "00:30", "02:30", 2.0)).is_empty());
    // the same pair a year before the clocks went forward on 30 March (2025): two hours
    assert!(warnings(&pair("2025-03-29", "00:30", "02:30", 2.0)).is_empty());
}

#[test]
fn the_24_hour_window_reports_its_doses_total_and_maximum() {
    let doc = record(
        vec![
            med(
                "med-agency",
                json!({ "maximum_dose_per_24_hours": 8, "dose_quantity": 2 }),
            ),
            med("med-family", json!({})),
        ],
        vec![
            dose(
                "ma-1",
                "med-agency",
                "2026-11-20",
                "12:00",
                json!({ "dose_given": 2 }),
            ),
            dose(
                "ma-2",
                "med-agency",
                "2026-11-20",
                "16:00",
                json!({ "dose_given": 2 }),
            ),
            // in milligrams: not added, counted in not_summed
            dose(
                "ma-3",
                "med-family",
                "2026-11-20",
                "18:00",
                json!({ "dose_given": 500, "dose_unit": { "code": "258684004" } }),
            ),
            // no dose_given: the agency record's dose_quantity is not this record's; the
            // family record has none, so this dose's amount is unknown
            dose("ma-4", "med-family", "2026-11-20", "19:00", json!({})),
            dose(
                "ma-5",
                "med-family",
                "2026-11-20",
                "20:00",
                json!({ "dose_given": 2 }),
            ),
            dose("ma-6", "med-agency", "2026-11-21", "00:00", json!({})),
            dose(
                "ma-7",
                "med-agency",
                "2026-11-21",
                "04:00",
                json!({ "dose_given": 2 }),
            ),
        ],
    );
    let w = warnings(&doc);
    assert_eq!(w.len(), 1, "{w:?}");
    assert_eq!(w[0].code, IssueCode::MaximumDosePer24HoursExceeded);
    let c = &w[0].context;
    assert_eq!(w[0].path, "/medication_administration/6");
    assert_eq!(c["window_start"], "/medication_administration/0");
    assert_eq!(c["window_end"], "/medication_administration/6");
    assert_eq!(c["total"], 10.0);
    assert_eq!(c["maximum"], 8.0);
    assert_eq!(c["doses"], 5);
    assert_eq!(c["not_summed"], 2);
    assert_eq!(c["maximum_from"], "/medication/0");
}

#[test]
fn the_smallest_maximum_in_a_unit_applies() {
    let doc = record(
        vec![
            med("med-agency", json!({ "maximum_dose_per_24_hours": 8 })),
            med("med-family", json!({ "maximum_dose_per_24_hours": 6 })),
        ],
        vec![
            dose(
                "ma-1",
                "med-agency",
                "2026-11-20",
                "08:00",
                json!({ "dose_given": 2 }),
            ),
            dose(
                "ma-2",
                "med-agency",
                "2026-11-20",
                "12:00",
                json!({ "dose_given": 2 }),
            ),
            dose(
                "ma-3",
                "med-agency",
                "2026-11-20",
                "16:00",
                json!({ "dose_given": 2 }),
            ),
            dose(
                "ma-4",
                "med-agency",
                "2026-11-20",
                "20:00",
                json!({ "dose_given": 2 }),
            ),
        ],
    );
    let w = warnings(&doc);
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].path, "/medication_administration/3");
    assert_eq!(w[0].context["maximum"], 6.0);
    assert_eq!(w[0].context["maximum_from"], "/medication/1");
}

#[test]
fn window_edges_and_rounding() {
    // exactly 24 hours apart: not in one window
    let doc = record(
        vec![med("med-1", json!({ "maximum_dose_per_24_hours": 2 }))],
        vec![
            dose(
                "ma-1",
                "med-1",
                "2026-11-20",
                "08:00",
                json!({ "dose_given": 2 }),
            ),
            dose(
                "ma-2",
                "med-1",
                "2026-11-21",
                "08:00",
                json!({ "dose_given": 2 }),
            ),
        ],
    );
    assert!(warnings(&doc).is_empty());
    // 0.1 + 0.2 is not more than 0.3, whatever binary floating point says
    let doc = record(
        vec![med("med-1", json!({ "maximum_dose_per_24_hours": 0.3 }))],
        vec![
            dose(
                "ma-1",
                "med-1",
                "2026-11-20",
                "08:00",
                json!({ "dose_given": 0.1 }),
            ),
            dose(
                "ma-2",
                "med-1",
                "2026-11-20",
                "09:00",
                json!({ "dose_given": 0.2 }),
            ),
        ],
    );
    assert!(warnings(&doc).is_empty());
    // one dose over the maximum on its own
    let doc = record(
        vec![med("med-1", json!({ "maximum_dose_per_24_hours": 2 }))],
        vec![dose(
            "ma-1",
            "med-1",
            "2026-11-20",
            "08:00",
            json!({ "dose_given": 3 }),
        )],
    );
    assert_eq!(warnings(&doc).len(), 1);
}

/// Messages hold no value of the record and no figure derived from it (the gap between the
/// doses, the interval, the total, the maximum): those are in the context only.
#[test]
fn messages_name_no_values_and_no_figures() {
    let doc = record(
        vec![med(
            "med-1",
            json!({ "minimum_interval": 7.5, "maximum_dose_per_24_hours": 3.25 }),
        )],
        vec![
            dose(
                "ma-1",
                "med-1",
                "2026-11-20",
                "08:00",
                json!({ "dose_given": 2.5 }),
            ),
            dose(
                "ma-2",
                "med-1",
                "2026-11-20",
                "09:15",
                json!({ "dose_given": 2.5 }),
            ),
        ],
    );
    let w = warnings(&doc);
    assert_eq!(w.len(), 2);
    for i in &w {
        assert!(
            !i.message.contains(PARA) && !i.message.contains("2026"),
            "{}",
            i.message
        );
        for figure in ["7.5", "1.2", "1.3", "3.25", " 5", "2.5"] {
            assert!(
                !i.message.contains(figure),
                "{figure} in the message: {}",
                i.message
            );
        }
        assert!(i.context.get("value").is_none());
    }
}

/// Tens of thousands of doses of one medicine, every one too close and over the maximum,
/// under thousands of Medication records: the rules stay linear (after sorting) and the
/// report is capped.
#[test]
fn hostile_numbers_of_doses_stay_fast() {
    let n = 20_000;
    let meds: Vec<Value> = (0..n / 10)
        .map(|i| {
            med(
                &format!("med-{i}"),
                json!({ "minimum_interval": 1e6, "maximum_dose_per_24_hours": 1 }),
            )
        })
        .collect();
    let doses: Vec<Value> = (0..n)
        .map(|i| {
            dose(
                &format!("ma-{i}"),
                &format!("med-{}", i % (n / 10)),
                "2026-11-20",
                &format!("{:02}:{:02}", (i / 60) % 24, i % 60),
                json!({ "dose_given": 1 }),
            )
        })
        .collect();
    let doc = record(meds, doses);
    let start = Instant::now();
    let r = validate_record(&doc, &ValidationOptions::default());
    assert!(
        start.elapsed() < Duration::from_secs(20),
        "{:?}",
        start.elapsed()
    );
    assert!(r.valid);
    assert_eq!(r.issues.len(), 1_001);
    assert!(r.omitted > 30_000, "{}", r.omitted);
}
