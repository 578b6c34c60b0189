//! What the discharge asks of the record: the Need, Service and Alert it creates and the
//! additions to the Care plan, derived from the Discharge details (and the Medication
//! records the discharge brought). No decision about what the home changed is made here.

use super::apply::Merge;
use serde_json::{json, Map, Value};

/// The changes the discharge asks for, before conflicts are looked for.
pub(super) struct Plan {
    /// New (or changed) instances: class, uid, the elements the merge sets.
    pub instances: Vec<(&'static str, String, Map<String, Value>)>,
    /// Items to add to list elements of the care plan: element, item.
    pub additions: Vec<(&'static str, Value)>,
    /// The date the care plan's review is brought forward to.
    pub review_by: Option<String>,
    /// Extra support without a start or an end date.
    pub undated: bool,
}

fn text<'m>(m: &'m Map<String, Value>, k: &str) -> Option<&'m str> {
    m.get(k)
        .and_then(Value::as_str)
        .filter(|s| !crate::checks::is_blank(s))
}

fn date<'m>(m: &'m Map<String, Value>, k: &str) -> Option<&'m str> {
    text(m, k).filter(|s| crate::checks::parse_date(s).is_some())
}

/// The names of the medicines the discharge brought that the record did not hold before
/// (this merge, or an earlier merge of the same discharge, added them).
fn new_medicines(merge: &Merge<'_>, brought: &Map<String, Value>) -> Vec<String> {
    brought
        .get("medication")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter(|m| {
            m.get("record_uid")
                .and_then(Value::as_str)
                .is_some_and(|u| merge.added_by_discharge(u))
        })
        .filter_map(|m| {
            text(m, "medication_name")
                .or_else(|| m.get("medication_code")?.get("display")?.as_str())
                .map(str::to_owned)
        })
        .collect()
}

/// The period of the extra support, in words.
fn period(start: Option<&str>, end: Option<&str>) -> String {
    match (start, end) {
        (Some(s), Some(e)) => format!(" from {s} to {e}"),
        (Some(s), None) => format!(" from {s}"),
        (None, Some(e)) => format!(" until {e}"),
        (None, None) => String::new(),
    }
}

/// Derive the plan. `dis` is the Discharge details, `brought` the document they came in.
pub(super) fn plan(
    merge: &Merge<'_>,
    dis: &Map<String, Value>,
    brought: &Map<String, Value>,
) -> Plan {
    let uid = merge.dis_uid.as_str();
    let from = format!("the hospital discharge (discharge details {uid})");
    let soc = merge.soc.as_str();
    let discharged = text(dis, "discharge_date_and_time").unwrap_or_default();
    let discharge_day = merge.discharged.date_naive().to_string();
    let extra = text(dis, "extra_support_needed");
    let (start, end) = (
        date(dis, "extra_support_start_date"),
        date(dis, "extra_support_end_date"),
    );
    let changes = text(dis, "medication_changes");
    let medicines = new_medicines(merge, brought);
    let follow_ups: Vec<&str> = dis
        .get("follow_up_needs")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|s| !crate::checks::is_blank(s))
        .collect();
    let review = dis.get("care_plan_review_needed") == Some(&Value::Bool(true));
    let review_by = review.then(|| match end {
        Some(e) if e >= discharge_day.as_str() => e.to_owned(),
        _ => discharge_day.clone(),
    });

    let mut p = Plan {
        instances: Vec::new(),
        additions: Vec::new(),
        review_by: review_by.clone(),
        undated: extra.is_some() && (start.is_none() || end.is_none()),
    };
    if let Some(extra) = extra {
        let when = period(start, end);
        let need_uid = merge.derived_uid("need", "need");
        let mut need = Map::new();
        need.insert("subject_of_care".into(), json!(soc));
        need.insert("date".into(), json!(start.unwrap_or(&discharge_day)));
        need.insert("need_description".into(), json!(extra));
        need.insert(
            "need_status".into(),
            json!({"code": "active", "display": "Active"}),
        );
        need.insert(
            "how_need_will_be_met".into(),
            json!(format!(
                "Extra support{when}, after {from}; see the care plan's services."
            )),
        );
        let service_uid = merge.derived_uid("service", "service");
        let mut service = Map::new();
        service.insert("subject_of_care".into(), json!(soc));
        service.insert("service_description".into(), json!(extra));
        if let Some(s) = start {
            service.insert("service_start_date".into(), json!(s));
        }
        if let Some(e) = end {
            service.insert("service_end_date".into(), json!(e));
        }
        service.insert(
            "comment".into(),
            json!(format!("Extra support after {from}.")),
        );
        p.additions.push(("needs_addressed", json!(need_uid)));
        p.additions.push(("services", json!(service_uid)));
        p.instances.push(("need", need_uid, need));
        p.instances.push(("service", service_uid, service));
    }
    if let Some(c) = changes {
        p.additions.push((
            "planned_activities",
            json!(format!("Medication changes from {from}: {c}")),
        ));
    }
    if !medicines.is_empty() {
        p.additions.push((
            "planned_activities",
            json!(format!("Medicines from {from}: {}.", medicines.join("; "))),
        ));
    }
    for f in &follow_ups {
        p.additions.push((
            "planned_activities",
            json!(format!("Follow-up from {from}: {f}")),
        ));
    }
    if extra.is_some() || changes.is_some() || !medicines.is_empty() {
        let mut said = vec![format!(
            "Back from hospital on {discharge_day} (discharge details {uid})."
        )];
        if let Some(x) = extra {
            said.push(format!("Extra support{}: {x}", period(start, end)));
        }
        if let Some(c) = changes {
            said.push(format!("Medication changes: {c}"));
        }
        if !medicines.is_empty() {
            said.push(format!(
                "Medicines from the hospital: {}.",
                medicines.join("; ")
            ));
        }
        if !follow_ups.is_empty() {
            said.push(format!(
                "Follow-up: {} in the care plan.",
                if follow_ups.len() == 1 {
                    "1 item".to_owned()
                } else {
                    format!("{} items", follow_ups.len())
                }
            ));
        }
        if let Some(r) = &review_by {
            said.push(format!("Care plan review needed by {r}."));
        }
        let mut alert = Map::new();
        alert.insert("subject_of_care".into(), json!(soc));
        alert.insert("date".into(), json!(discharge_day));
        alert.insert("free_text".into(), json!(said.join(" ")));
        alert.insert("alert_start_date".into(), json!(discharged));
        if let Some(e) = end {
            alert.insert(
                "alert_end_date".into(),
                json!(format!("{e}T23:59:59{}", offset_of(discharged))),
            );
        }
        alert.insert(
            "status".into(),
            json!({"code": "active", "display": "Active"}),
        );
        alert.insert(
            "alert_category".into(),
            json!([{"code": "clinical", "display": "Clinical"}]),
        );
        p.instances
            .push(("alert", merge.derived_uid("alert", "alert"), alert));
    }
    p
}

/// The offset part of an RFC 3339 date and time (`Z` or `±HH:MM`), `Z` when there is none.
fn offset_of(dt: &str) -> &str {
    if dt.ends_with(['Z', 'z']) {
        return "Z";
    }
    match dt.len().checked_sub(6).and_then(|i| dt.get(i..)) {
        Some(o) if o.starts_with(['+', '-']) && o.as_bytes().get(3) == Some(&b':') => o,
        _ => "Z",
    }
}
