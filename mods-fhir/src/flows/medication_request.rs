//! A MedicationRequest (a prescription, or the medicines a hospital sends home) as a MODS
//! Medication. The mapping tables do not read MedicationRequest yet; this module does, for
//! the flows:
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

/// Read MedicationRequest entry `i` as a Medication (without uid, subject or date).
pub(crate) fn read(s: &mut Session, i: usize) -> Map<String, Value> {
    let res = s.resource(i).clone();
    let mut c = Consumed::default();
    for p in [
        "/resourceType",
        "/id",
        "/text",
        "/meta/profile",
        "/meta/lastUpdated",
        "/meta/versionId",
    ] {
        c.mark(p.into());
    }
    let about_patient = res
        .get("subject")
        .and_then(|r| s.resolve(r))
        .is_some_and(|k| {
            s.resource(k).get("resourceType").and_then(Value::as_str) == Some("Patient")
        });
    if about_patient {
        c.mark("/subject".into());
    } else {
        s.issues.push(FhirIssue::new(
            "fhir-subject-mismatch",
            Severity::Error,
            Session::loc(i, "subject"),
            "the MedicationRequest's subject is not the Bundle's Patient".into(),
        ));
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
        s.issues.push(FhirIssue::new(
            "merge-medication-uncoded",
            Severity::Warning,
            Session::loc(i, "medication"),
            "the medicine has no coded medicationCodeableConcept (a medicationReference is not read): the Medication has no code".into(),
        ));
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
        _ => s.issues.push(FhirIssue::new(
            "fhir-value-invalid",
            Severity::Error,
            Session::loc(i, "status"),
            "a MedicationRequest status the flow does not know (or none)".into(),
        )),
    }
    if let Some(r) = res.get("requester") {
        c.mark("/requester".into());
        match s.resolve(r).and_then(|k| s.practitioner(k)) {
            Some(uid) => {
                item.insert("prescriber".into(), json!(uid));
            }
            None => s.issues.push(FhirIssue::new(
                "merge-reference-dropped",
                Severity::Information,
                Session::loc(i, "requester"),
                "medication.prescriber: the requester is no care worker the record holds; left out"
                    .into(),
            )),
        }
    }
    // our own identifier, added while reading
    if let Some(ids) = res.get("identifier").and_then(Value::as_array) {
        for (k, x) in ids.iter().enumerate() {
            if x.get("system").and_then(Value::as_str) == Some(crate::systems::RECORD_UID) {
                c.mark(format!("/identifier/{k}"));
            }
        }
    }
    let mut residue = Vec::new();
    c.residue(&res, "", &mut residue);
    for (ptr, _) in residue {
        s.issues.push(FhirIssue::new(
            "fhir-element-unmapped",
            Severity::Warning,
            crate::import::fhirpath(Some(i), &ptr),
            "no MODS element of medication holds this MedicationRequest element".into(),
        ));
    }
    s.handled.insert(i);
    item
}
