//! A MedicationRequest (a prescription, or the medicines a hospital sends home) as a MODS
//! Medication, for [`crate::from_fhir`] (untagged MedicationRequests) and for the flows (which
//! also match the prescriber in the record):
//!
//! | MODS element | MedicationRequest |
//! |---|---|
//! | `medication_code`, `medication_name` | `medicationCodeableConcept` (the dm+d or SNOMED CT coding, else the first), its `text` or the coding's `display` |
//! | `dose_instructions` | `dosageInstruction[0].text` |
//! | `route` | `dosageInstruction[0].route` (its SNOMED CT coding) |
//! | `as_required` | `dosageInstruction[0].asNeededBoolean` |
//! | `dose_quantity`, `dose_unit` | `dosageInstruction[0].doseAndRate[0].doseQuantity` (`value`; `code` when its system is SNOMED CT) |
//! | `start_date` | `authoredOn` (its date) |
//! | `end_date` | `dosageInstruction[0].timing.repeat.boundsPeriod.end` (its date) |
//! | `medication_status` | `status`, by [`status`] |
//! | `prescriber` | `requester`, when it is a Practitioner the record holds (matched by registration number) |
//! | `date` | `authoredOn` (its date) |
//!
//! Every other member is reported as unmapped.

use super::merge::{date_part, Session};
use crate::path::Consumed;
use crate::report::FhirIssue;
use mods_core::Severity;
use serde_json::{json, Map, Value};

/// The Medication status (MedicationStatement status) of a MedicationRequest status.
///
/// | MedicationRequest | Medication status |
/// |---|---|
/// | `active` | `active` |
/// | `on-hold` | `on-hold` |
/// | `completed` | `completed` |
/// | `stopped` | `stopped` |
/// | `cancelled` | `stopped` (withdrawn before it was taken) |
/// | `entered-in-error` | `entered-in-error` |
/// | `draft` | `intended` |
/// | `unknown` | `unknown` |
pub fn status(request_status: &str) -> Option<&'static str> {
    Some(match request_status {
        "active" => "active",
        "on-hold" => "on-hold",
        "completed" => "completed",
        "stopped" | "cancelled" => "stopped",
        "entered-in-error" => "entered-in-error",
        "draft" => "intended",
        "unknown" => "unknown",
        _ => return None,
    })
}

const SNOMED: &str = "http://snomed.info/sct";
const DMD: &str = "https://dmd.nhs.uk";

fn coding_of(cc: &Value, prefer: &[&str]) -> Option<(usize, Value)> {
    let codings = cc.get("coding")?.as_array()?;
    let pick = codings
        .iter()
        .position(|c| {
            c.get("system")
                .and_then(Value::as_str)
                .is_some_and(|s| prefer.contains(&s))
        })
        .or(if prefer.is_empty() { Some(0) } else { None })?;
    let c = codings.get(pick)?;
    let code = c.get("code")?.as_str()?;
    let mut out = Map::new();
    out.insert("code".into(), json!(code));
    if let Some(s) = c.get("system").and_then(Value::as_str) {
        out.insert("system".into(), json!(s));
    }
    if let Some(d) = c.get("display").and_then(Value::as_str) {
        out.insert("display".into(), json!(d));
    }
    Some((pick, Value::Object(out)))
}

/// What reading a MedicationRequest met, beside what it read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Note {
    /// The `subject` is not the Bundle's Patient.
    SubjectMismatch,
    /// No coded `medicationCodeableConcept`.
    Uncoded,
    /// A `status` the mapping does not know, or none.
    UnknownStatus,
    /// A `requester` that is no care worker (the caller says which it is).
    RequesterDropped,
}

/// A MedicationRequest read as a Medication (without uid, subject of care or version).
pub(crate) struct Read {
    /// The Medication's elements.
    pub item: Map<String, Value>,
    /// What was read.
    pub consumed: Consumed,
    /// What was met, in the order met.
    pub notes: Vec<Note>,
}

/// Read a MedicationRequest as a Medication: `about_patient` whether its `subject` is the
/// Bundle's Patient, `prescriber` the care worker its `requester` is (if it is one).
pub(crate) fn read_request(res: &Value, about_patient: bool, prescriber: Option<String>) -> Read {
    let mut c = Consumed::default();
    let mut notes = Vec::new();
    crate::import::mark_envelope(&mut c);
    if about_patient {
        c.mark("/subject".into());
    } else {
        notes.push(Note::SubjectMismatch);
    }
    let mut item = Map::new();
    if let Some(cc) = res.get("medicationCodeableConcept") {
        let picked = coding_of(cc, &[DMD, SNOMED]).or_else(|| coding_of(cc, &[]));
        if let Some((k, v)) = picked {
            c.mark(format!("/medicationCodeableConcept/coding/{k}"));
            if let Some(d) = v.get("display") {
                item.insert("medication_name".into(), d.clone());
            }
            item.insert("medication_code".into(), v);
        }
        if let Some(t) = cc.get("text").and_then(Value::as_str) {
            c.mark("/medicationCodeableConcept/text".into());
            item.insert("medication_name".into(), json!(t));
        }
    }
    if !item.contains_key("medication_code") {
        notes.push(Note::Uncoded);
    }
    let dose = res.pointer("/dosageInstruction/0");
    if let Some(t) = dose.and_then(|d| d.get("text")).and_then(Value::as_str) {
        c.mark("/dosageInstruction/0/text".into());
        item.insert("dose_instructions".into(), json!(t));
    }
    if let Some((k, v)) = dose
        .and_then(|d| d.get("route"))
        .and_then(|r| coding_of(r, &[SNOMED]))
    {
        c.mark(format!("/dosageInstruction/0/route/coding/{k}"));
        c.mark("/dosageInstruction/0/route/text".into());
        item.insert("route".into(), v);
    }
    if let Some(b) = dose
        .and_then(|d| d.get("asNeededBoolean"))
        .and_then(Value::as_bool)
    {
        c.mark("/dosageInstruction/0/asNeededBoolean".into());
        item.insert("as_required".into(), json!(b));
    }
    if let Some(q) = dose.and_then(|d| d.pointer("/doseAndRate/0/doseQuantity")) {
        if let Some(v) = q
            .get("value")
            .filter(|v| v.as_f64().is_some_and(|x| x >= 0.0))
        {
            c.mark("/dosageInstruction/0/doseAndRate/0/doseQuantity/value".into());
            item.insert("dose_quantity".into(), v.clone());
        }
        if q.get("system").and_then(Value::as_str) == Some(SNOMED) {
            if let Some(code) = q.get("code").and_then(Value::as_str) {
                for m in ["system", "code", "unit"] {
                    c.mark(format!(
                        "/dosageInstruction/0/doseAndRate/0/doseQuantity/{m}"
                    ));
                }
                let mut unit = json!({"code": code, "system": SNOMED});
                if let Some(u) = q.get("unit").and_then(Value::as_str) {
                    unit["display"] = json!(u);
                }
                item.insert("dose_unit".into(), unit);
            }
        }
    }
    if let Some(d) = res
        .get("authoredOn")
        .and_then(Value::as_str)
        .and_then(date_part)
    {
        c.mark("/authoredOn".into());
        item.insert("start_date".into(), json!(d.clone()));
        item.insert("date".into(), json!(d));
    }
    if let Some(d) = dose
        .and_then(|x| x.pointer("/timing/repeat/boundsPeriod/end"))
        .and_then(Value::as_str)
        .and_then(date_part)
    {
        c.mark("/dosageInstruction/0/timing/repeat/boundsPeriod/end".into());
        item.insert("end_date".into(), json!(d));
    }
    match res
        .get("status")
        .and_then(Value::as_str)
        .map(|x| (x, status(x)))
    {
        Some((_, Some(code))) => {
            c.mark("/status".into());
            item.insert("medication_status".into(), json!({"code": code}));
        }
        _ => notes.push(Note::UnknownStatus),
    }
    if res.get("requester").is_some() {
        c.mark("/requester".into());
        match prescriber {
            Some(uid) => {
                item.insert("prescriber".into(), json!(uid));
            }
            None => notes.push(Note::RequesterDropped),
        }
    }
    // the record uid identifier (ours, or added by the flow while reading)
    if let Some(ids) = res.get("identifier").and_then(Value::as_array) {
        for (k, x) in ids.iter().enumerate() {
            if x.get("system").and_then(Value::as_str) == Some(crate::systems::RECORD_UID) {
                c.mark(format!("/identifier/{k}"));
            }
        }
    }
    Read {
        item,
        consumed: c,
        notes,
    }
}

/// Read MedicationRequest entry `i` as a Medication (without uid, subject or date).
pub(crate) fn read(s: &mut Session, i: usize) -> Map<String, Value> {
    let res = s.resource(i).clone();
    let about_patient = res
        .get("subject")
        .and_then(|r| s.resolve(r))
        .is_some_and(|k| {
            s.resource(k).get("resourceType").and_then(Value::as_str) == Some("Patient")
        });
    let prescriber = res
        .get("requester")
        .and_then(|r| s.resolve(r))
        .and_then(|k| s.practitioner(k));
    let read = read_request(&res, about_patient, prescriber);
    for note in &read.notes {
        let (code, severity, member, message) = match note {
            Note::SubjectMismatch => (
                "fhir-subject-mismatch",
                Severity::Error,
                "subject",
                "the MedicationRequest's subject is not the Bundle's Patient",
            ),
            Note::Uncoded => (
                "merge-medication-uncoded",
                Severity::Warning,
                "medication",
                "the medicine has no coded medicationCodeableConcept (a medicationReference is not read): the Medication has no code",
            ),
            Note::UnknownStatus => (
                "fhir-value-invalid",
                Severity::Error,
                "status",
                "a MedicationRequest status the flow does not know (or none)",
            ),
            Note::RequesterDropped => (
                "merge-reference-dropped",
                Severity::Information,
                "requester",
                "medication.prescriber: the requester is no care worker the record holds; left out",
            ),
        };
        s.issues.push(FhirIssue::new(
            code,
            severity,
            Session::loc(i, member),
            message.into(),
        ));
    }
    let mut residue = Vec::new();
    read.consumed.residue(&res, "", &mut residue);
    for (ptr, _) in residue {
        s.issues.push(FhirIssue::new(
            "fhir-element-unmapped",
            Severity::Warning,
            crate::import::fhirpath(Some(i), &ptr),
            "no MODS element of medication holds this MedicationRequest element".into(),
        ));
    }
    s.handled.insert(i);
    read.item
}

/// Read a MedicationRequest of a Bundle `from_fhir` reads as a Medication
/// record of `record`: the reading above, its record uid as any resource's, `subject_of_care`
/// the Patient, and `prescriber` the care worker of the Bundle its `requester` is. What the
/// reading met is reported as import problems (a subject other than the Patient, a status
/// not known, a requester that is no care worker of the Bundle).
pub(crate) fn import_request(
    record: &mut Map<String, Value>,
    entry: &crate::derived::Later<'_>,
    cx: &crate::derived::Cx<'_>,
    consumed: &mut Consumed,
    problems: &mut Vec<crate::convert::Problem>,
) -> Result<(), &'static str> {
    let (res, refs) = (entry.resource, cx.resolver);
    let soc = cx
        .patient_uid
        .ok_or("a MedicationRequest in a Bundle without a Patient")?;
    let class = mods_core::model::model(&crate::mapping::mapping().table.mods_version)
        .and_then(|m| m.class("medication"))
        .ok_or("no Medication class")?;
    let about_patient = res
        .get("subject")
        .and_then(|r| refs.resolve(r).ok())
        .is_some_and(|(u, _)| u == soc);
    let requester = res.get("requester").map(|r| refs.resolve(r));
    let prescriber = match &requester {
        Some(Ok((u, c))) if c == "care_worker" => Some(u.clone()),
        _ => None,
    };
    let read = read_request(res, about_patient, prescriber);
    let problem = |code: &'static str, pointer: &str, message: &str| crate::convert::Problem {
        code,
        pointer: pointer.into(),
        message: message.into(),
    };
    for note in &read.notes {
        match note {
            Note::SubjectMismatch => problems.push(problem(
                "fhir-subject-mismatch",
                "/subject",
                "the MedicationRequest is about someone other than the Bundle's Patient",
            )),
            // the record read has no medication code: its validation says so
            Note::Uncoded => {}
            Note::UnknownStatus => problems.push(problem(
                "fhir-value-invalid",
                "/status",
                "a MedicationRequest status the Medication status has no counterpart for (or none)",
            )),
            Note::RequesterDropped => problems.push(match requester {
                Some(Err(_)) => problem(
                    "fhir-reference-unresolved",
                    "/requester",
                    "the requester does not resolve to an entry of the Bundle",
                ),
                _ => problem(
                    "fhir-reference-wrong-target",
                    "/requester",
                    "the requester is no care worker: `prescriber` takes a care worker",
                ),
            }),
        }
    }
    let mut m = Map::new();
    m.insert(
        "record_uid".into(),
        json!(crate::import::uid_for(
            res,
            class,
            entry.full_url,
            entry.index
        )),
    );
    m.insert("version_number".into(), json!(1));
    m.insert("subject_of_care".into(), json!(soc));
    m.extend(read.item);
    *consumed = read.consumed;
    let list = record
        .entry("medication".to_string())
        .or_insert_with(|| json!([]));
    list.as_array_mut()
        .ok_or("the record's medication is not a list")?
        .push(Value::Object(m));
    Ok(())
}
