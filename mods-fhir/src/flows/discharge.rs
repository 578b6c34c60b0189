//! A hospital discharge merged into a care record (use case 4: James goes home from
//! hospital with extra support and a week of medicines).
//!
//! The hospital's Bundle holds an Encounter (UK Core discharge method extension,
//! `hospitalization.dischargeDisposition`, `period`, the hospital as `serviceProvider`), the
//! discharge MedicationRequest(s) and a DocumentReference (the discharge summary, inline
//! `data` or by `url`). They become:
//!
//! - **Discharge details** (the Encounter, read as Discharge details): linked to the
//!   record's Admission details whose admission date and time is the Encounter's
//!   `period.start` (the same instant, whatever the offset), reported when none is;
//!   `discharge_summary` names the Document whose `context.encounter` is the Encounter
//!   (or the only DocumentReference). Matched to a record's Discharge details of the same
//!   admission, or of the same discharge date and time.
//! - **Medication** for each MedicationRequest (see [`super::medication_request`]) or
//!   MedicationStatement, matched by medication code and start date; the hospital among its
//!   care actors.
//! - **Document**: `description` (else the attachment's `title`) as the title, `type`,
//!   `date`, the attachment's content type, its `url` as the documentation location.
//!   Content sent inline is handed back in [`Merged::attachments`] for the caller to
//!   store. Matched to a record's Document of the same date and title (or coded name), or
//!   of the same location.
//! - **The hospital** (`serviceProvider`): matched to an organisation of the record by ODS
//!   code, or added as a Care organisation.

use super::gp_merge::{merge_medicines, prepare};
use super::merge::{instant, same_code, Attachment, MergeError, MergeOptions, Merged, Session};
use crate::FhirIssue;
use mods_core::model::ClassDef;
use mods_core::Severity;
use serde_json::{json, Map, Value};

/// The classes this flow merges.
pub const CLASSES: [&str; 3] = ["discharge_details", "medication", "document"];

/// Options of [`import_discharge`] (the same as the GP record merge's).
pub type Options = MergeOptions;

/// Merge a hospital's discharge Bundle into a record. See the module documentation.
///
/// Errors when the Bundle cannot be read, is not a Bundle, or its Patient is not the
/// record's subject of care (by NHS number); otherwise every finding is in the report.
pub fn import_discharge(
    record: &Value,
    bundle: &[u8],
    opts: &Options,
) -> Result<Merged, MergeError> {
    let mut s = Session::open(record, bundle, opts, &[("Encounter", "discharge_details")])?;
    let encounters = s.entries_of("Encounter");
    if encounters.is_empty() {
        s.issues.push(FhirIssue::new(
            "merge-no-encounter",
            Severity::Error,
            "Bundle.entry".into(),
            "the Bundle has no Encounter: there are no discharge details to read".into(),
        ));
    }
    // the hospital
    let mut hospital = None;
    for &e in &encounters {
        if let Some(k) = s
            .resource(e)
            .get("serviceProvider")
            .cloned()
            .and_then(|r| s.resolve(&r))
        {
            hospital = hospital.or(s.organisation(k, Some("care_organisation")));
        }
    }
    // documents
    let mut attachments = Vec::new();
    let mut summaries: Vec<(Option<usize>, String)> = Vec::new();
    for (i, mut item) in s.imported_items("document") {
        prepare(&mut s, "document", i, None, &mut item, None);
        let res = s.resource(i).clone();
        let att = res
            .pointer("/content/0/attachment")
            .cloned()
            .unwrap_or(Value::Null);
        if let Some(u) = att.get("url").and_then(Value::as_str) {
            s.cover(i, "content[0].attachment.url");
            item.entry("documentation_location")
                .or_insert_with(|| json!(u));
        }
        if let Some(t) = att.get("title").and_then(Value::as_str) {
            s.cover(i, "content[0].attachment.title");
            item.entry("document_title").or_insert_with(|| json!(t));
        }
        if let Some(c) = att.get("creation").and_then(Value::as_str) {
            if instant(c).is_some() {
                s.cover(i, "content[0].attachment.creation");
                item.entry("date").or_insert_with(|| json!(c));
            }
        }
        let data = att.get("data").and_then(Value::as_str).map(str::to_string);
        if data.is_some() {
            s.cover(i, "content[0].attachment.data");
        }
        let encounter = res
            .pointer("/context/encounter")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|r| s.resolve(r))
            .find(|k| encounters.contains(k));
        if encounter.is_some() {
            s.cover(i, "context.encounter");
        }
        let added_before = s.added.len();
        let uid = s.merge("document", i, item, &same_document);
        if let (Some(d), true) = (data, s.added.len() > added_before) {
            s.issues.push(FhirIssue::new(
                "merge-attachment-inline",
                Severity::Information,
                Session::loc(i, "content[0].attachment.data"),
                "the document's content came inline: it is handed back with the merged record for the caller to store (MODS keeps metadata about a document)".into(),
            ));
            attachments.push(Attachment {
                record_uid: uid.clone(),
                content_type: att
                    .get("contentType")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                title: att.get("title").and_then(Value::as_str).map(str::to_string),
                data: d,
            });
        }
        summaries.push((encounter, uid));
    }
    // medicines
    merge_medicines(&mut s, hospital.as_deref());
    // the discharge
    for (i, mut item) in s.imported_items("discharge_details") {
        prepare(&mut s, "discharge_details", i, None, &mut item, None);
        let start = s
            .resource(i)
            .pointer("/period/start")
            .and_then(Value::as_str)
            .and_then(instant);
        let admission = start.and_then(|t| {
            s.record
                .get("admission_details")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .find(|a| {
                    a.get("admission_date_and_time")
                        .and_then(Value::as_str)
                        .and_then(instant)
                        == Some(t)
                })
                .and_then(|a| a.get("record_uid"))
                .and_then(Value::as_str)
                .map(str::to_string)
        });
        match admission {
            Some(a) => {
                s.cover(i, "period.start");
                item.insert("admission".into(), json!(a));
            }
            None if item.contains_key("admission") => {}
            None => s.issues.push(FhirIssue::new(
                "merge-admission-not-found",
                Severity::Warning,
                Session::loc(i, "period.start"),
                "no Admission details of the record began when the Encounter began: the discharge is not linked to an admission".into(),
            )),
        }
        let summary = summaries
            .iter()
            .find(|(e, _)| *e == Some(i))
            .or(if summaries.len() == 1 {
                summaries.first()
            } else {
                None
            })
            .map(|(_, u)| u.clone());
        if let Some(u) = summary {
            item.entry("discharge_summary").or_insert_with(|| json!(u));
        }
        s.merge("discharge_details", i, item, &same_discharge);
    }
    Ok(s.finish(&CLASSES, attachments))
}

/// Discharge details match when they close the same admission, or at the same instant.
fn same_discharge(_: &ClassDef, a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let adm = |m: &Map<String, Value>| {
        m.get("admission")
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    if adm(a).is_some() && adm(a) == adm(b) {
        return true;
    }
    let t = |m: &Map<String, Value>| {
        m.get("discharge_date_and_time")
            .and_then(Value::as_str)
            .and_then(instant)
    };
    t(a).is_some() && t(a) == t(b)
}

/// Documents match by date and title (or coded name), or by location.
fn same_document(d: &ClassDef, a: &Map<String, Value>, b: &Map<String, Value>) -> bool {
    let text = |m: &Map<String, Value>, k: &str| {
        m.get(k)
            .and_then(Value::as_str)
            .map(|s| s.trim().to_lowercase())
    };
    let loc = text(a, "documentation_location");
    if loc.is_some() && loc == text(b, "documentation_location") {
        return true;
    }
    let t = |m: &Map<String, Value>| m.get("date").and_then(Value::as_str).and_then(instant);
    if t(a).is_none() || t(a) != t(b) {
        return false;
    }
    let title = text(a, "document_title");
    let named = match (
        d.element("document_name"),
        a.get("document_name"),
        b.get("document_name"),
    ) {
        (Some(el), Some(x), Some(y)) => same_code(el, x, y),
        _ => false,
    };
    (title.is_some() && title == text(b, "document_title")) || named
}
