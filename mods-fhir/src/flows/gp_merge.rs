//! A GP record merged into a care record (use case 7: a GP system's Bundle feeds the
//! person's allergies, medicines and problems into the record their care provider keeps).
//!
//! The Bundle holds AllergyIntolerance, MedicationStatement and/or MedicationRequest and
//! Condition resources, usually with the practice's Organization and the Patient. Each
//! becomes an Allergy, Medication or Problem:
//!
//! - **Matched, not duplicated**: an Allergy matches a record's Allergy with the same
//!   causative agent code (system and code; dm+d and SNOMED CT are one system) and, when
//!   both have one, an onset date that agrees (`2011` agrees with `2011-05-09`); a Problem by
//!   its problem code and onset date; a Medication by its medication code and start date.
//!   A match is reported as already present and left as it is; the facts the GP states
//!   differently (status, criticality, dates, ...; never wording) are reported as
//!   conflicts.
//! - **Marked with their source**: a new Allergy or Problem gets the information source
//!   `gp-record` ("GP record") unless the resource says otherwise; Medication has no
//!   information source element, so every new record (Medication too) names the GP
//!   practice in its `care_actor` (the event's care actors), and a Medication names the
//!   prescriber when the MedicationStatement's `informationSource` or the
//!   MedicationRequest's `requester` is a care worker of the record (matched by GMC, NMC,
//!   HCPC or GPhC number).
//! - **The practice**: the Organization the Patient's `generalPractitioner` names (else the
//!   first Organization) is matched to a GP practice (or other organisation) of the record
//!   by ODS code, or added as a GP practice.
//! - New records get a fresh record uid (a v5 UUID of the class, the subject and the
//!   resource's identifier), their `date` from `recordedDate` (AllergyIntolerance,
//!   Condition), `dateAsserted` (MedicationStatement) or `authoredOn` (MedicationRequest),
//!   else the Bundle's `timestamp`, else [`MergeOptions::date`].

use super::medication_request;
use super::merge::{same_code_and_date, MergeError, MergeOptions, Merged, Session};
use mods_core::model::ClassDef;
use serde_json::{json, Map, Value};

/// The classes this flow merges.
pub const CLASSES: [&str; 3] = ["allergy", "medication", "problem"];

/// Merge a GP system's Bundle into a record. See the module documentation.
///
/// Errors when the Bundle cannot be read, is not a Bundle, or its Patient is not the
/// record's subject of care (by NHS number); otherwise every finding is in the report.
pub fn merge_gp_record(
    record: &Value,
    bundle: &[u8],
    opts: &MergeOptions,
) -> Result<Merged, MergeError> {
    let mut s = Session::open(record, bundle, opts, &[])?;
    let practice = sender(&s).and_then(|k| s.organisation(k, Some("gp_practice")));
    if practice.is_none() {
        s.issues.push(crate::FhirIssue::new(
            "merge-sender-unknown",
            mods_core::Severity::Warning,
            "Bundle.entry".into(),
            "no Organization with an ODS code names the sending practice: new records name no care actor".into(),
        ));
    }
    let items = |s: &Session, class: &str| s.imported_items(class);
    // allergies
    for (i, mut item) in items(&s, "allergy") {
        prepare(
            &mut s,
            "allergy",
            i,
            Some("recordedDate"),
            &mut item,
            practice.as_deref(),
        );
        item.entry("information_source")
            .or_insert_with(|| json!({"code": "gp-record", "display": "GP record"}));
        s.merge("allergy", i, item, &|d: &ClassDef, a, b| {
            same_code_and_date(d, "causative_agent", "onset_date", a, b)
        });
    }
    for (i, mut item) in items(&s, "problem") {
        prepare(
            &mut s,
            "problem",
            i,
            Some("recordedDate"),
            &mut item,
            practice.as_deref(),
        );
        item.entry("information_source")
            .or_insert_with(|| json!({"code": "gp-record", "display": "GP record"}));
        s.merge("problem", i, item, &|d: &ClassDef, a, b| {
            same_code_and_date(d, "problem_code", "onset_date", a, b)
        });
    }
    merge_medicines(&mut s, practice.as_deref());
    Ok(s.finish(&CLASSES, Vec::new()))
}

/// A Medication matches by its medication code and start date.
/// The sender's medicines (MedicationStatement, MedicationRequest) merged as Medication
/// records, each dated and marked as from `sender`.
pub(crate) fn merge_medicines(s: &mut Session, sender: Option<&str>) {
    for (i, mut item) in s.imported_items("medication") {
        if s.resource(i).get("resourceType").and_then(Value::as_str) == Some("MedicationRequest") {
            // read below, as the flow reads a request (its prescriber matched in the record)
            continue;
        }
        prepare(s, "medication", i, Some("dateAsserted"), &mut item, sender);
        s.merge("medication", i, item, &same_medication);
    }
    for i in s.entries_of("MedicationRequest") {
        let mut item = medication_request::read(s, i);
        prepare(s, "medication", i, Some("authoredOn"), &mut item, sender);
        s.merge("medication", i, item, &same_medication);
    }
}

pub(crate) fn same_medication(
    d: &ClassDef,
    a: &Map<String, Value>,
    b: &Map<String, Value>,
) -> bool {
    same_code_and_date(d, "medication_code", "start_date", a, b)
}

/// The entry of the sending practice.
fn sender(s: &Session) -> Option<usize> {
    let by_patient = s.entries_of("Patient").into_iter().find_map(|p| {
        s.resource(p)
            .get("generalPractitioner")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| s.resolve(r))
            .find(|k| {
                s.resource(*k).get("resourceType").and_then(Value::as_str) == Some("Organization")
            })
    });
    by_patient.or_else(|| s.entries_of("Organization").into_iter().next())
}

/// What every new record of the flows gets: the subject, its references rewritten, its
/// date, and the sending organisation among its care actors.
pub(crate) fn prepare(
    s: &mut Session,
    class: &'static str,
    i: usize,
    date_member: Option<&str>,
    item: &mut Map<String, Value>,
    sender: Option<&str>,
) {
    s.rewrite_references(class, i, item);
    let def = s.class(class);
    if def.element("subject_of_care").is_some() {
        item.insert("subject_of_care".into(), json!(s.soc_uid));
    }
    if let (Some(m), Some(_)) = (date_member, def.element("date")) {
        s.event_date(i, m, item);
    }
    if let (Some(u), Some(_)) = (sender, def.element("care_actor")) {
        let list = item.entry("care_actor").or_insert_with(|| json!([]));
        if let Some(a) = list.as_array_mut() {
            if !a.iter().any(|x| x == u) {
                a.push(json!(u));
            }
        }
    }
}
